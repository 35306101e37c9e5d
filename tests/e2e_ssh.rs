//! End-to-end through a real OpenSSH server on 127.0.0.1, configured with the shipped
//! `assets/deploy/sshd_config.d/wic-staff.conf` (only the wic path, the data directory and a
//! `--config` for the export folder are replaced). A staff account in group `wic-staff` logs
//! in with a key from a real `ssh -tt` inside tmux and searches; the client is killed with
//! SIGKILL and no `wic` of that user may survive. A second session adds to the shortlist
//! (Insert), opens it (F12) and writes its text page (`t`, Enter on the proposed file name)
//! to the configured export folder; then it tries to save outside that folder (`../x`, `/tmp/…`,
//! a file of the data directory, `~/.ssh/authorized_keys`) and through a link planted in it,
//! and fails; after the session nothing of the data directory is gone or changed but the usage
//! figures (#18 item 2). Also: a remote command (`ssh host 'echo …'`) still gets
//! wic, not a shell; port forwarding is refused; no pty (`ssh -T`) gets one clear sentence and exit 2.
//!
//! Needs root (to create the account) and sshd (tests/run.sh installs openssh-server). Not
//! root: skipped with a message. Root without sshd: fails, loudly.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wic");
const SNIPPET: &str = include_str!("../assets/deploy/sshd_config.d/wic-staff.conf");
const SSHD: &str = "/usr/sbin/sshd";
const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/deploy/wic-layout");
const USER: &str = "wicstaff";
const GROUP: &str = "wic-staff";
const WAIT: Duration = Duration::from_secs(20);

fn run(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"))
}

fn is_root() -> bool {
    String::from_utf8_lossy(&run("id", &["-u"]).stdout).trim() == "0"
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Everything the test started, stopped even when an assertion fails.
struct Server {
    sshd: Child,
    tmux_socket: String,
    dir: tempfile::TempDir,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.tmux_socket, "kill-server"]).output();
        // tmux leaves its socket file behind (where `-L` puts it); it is ours, named after this
        // test's pid.
        let uid = String::from_utf8_lossy(&run("id", &["-u"]).stdout).trim().to_string();
        let tmpdir = std::env::var("TMUX_TMPDIR").unwrap_or_else(|_| "/tmp".into());
        let _ = std::fs::remove_file(Path::new(&tmpdir).join(format!("tmux-{uid}")).join(&self.tmux_socket));
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
        // Killing tmux killed the ssh clients, which ends their sessions on the server side.
        // A wic that outlived its session (the bug step 4 catches) would spin on its dead
        // terminal for ever: stop those of this test, by pid, matched on this test's binary.
        let bin = self.path("bin/wic").display().to_string();
        let out = Command::new("pgrep").args(["-u", USER, "-f", &bin]).output();
        for pid in out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default().split_whitespace() {
            let _ = Command::new("kill").args(["-KILL", pid]).output();
        }
    }
}

impl Server {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ssh_args(&self) -> Vec<String> {
        vec![
            "-i".into(),
            self.path("user_key").display().to_string(),
            "-p".into(),
            self.port.to_string(),
            "-o".into(),
            "StrictHostKeyChecking=no".into(),
            "-o".into(),
            "UserKnownHostsFile=/dev/null".into(),
            "-o".into(),
            "IdentitiesOnly=yes".into(),
            "-o".into(),
            "BatchMode=yes".into(),
            "-o".into(),
            "LogLevel=ERROR".into(),
        ]
    }

    fn ssh(&self, extra: &[&str]) -> Command {
        let mut c = Command::new("ssh");
        c.args(self.ssh_args()).args(extra).stdin(Stdio::null());
        c
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-u")
            .args(["-L", &self.tmux_socket])
            .args(args)
            .env_remove("TMUX")
            .env("LANG", "C.UTF-8")
            .output()
            .expect("tmux")
    }

    fn screen(&self, session: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", session]).stdout).into_owned()
    }

    fn wait_screen(&self, session: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let s = self.screen(session);
            if pred(&s) {
                return s;
            }
            assert!(Instant::now() < deadline, "waited {WAIT:?} for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn keys(&self, session: &str, keys: &[&str]) {
        for k in keys {
            assert!(self.tmux(&["send-keys", "-t", session, k]).status.success(), "send-keys {k}");
        }
    }
}

/// Creates the group and the staff account (idempotent), able to log in with a key only.
fn staff_account() {
    let _ = run("groupadd", &["-f", GROUP]);
    if !run("id", &[USER]).status.success() {
        let out = run("useradd", &["-m", "-G", GROUP, "-s", "/bin/sh", USER]);
        assert!(out.status.success(), "useradd: {}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = run("usermod", &["-a", "-G", GROUP, USER]);
    // `!` (locked) makes sshd refuse even key logins without PAM; `*` only forbids passwords.
    let _ = run("usermod", &["-p", "*", USER]);
}

fn start() -> Option<Server> {
    if !is_root() {
        eprintln!("e2e_ssh: SKIPPED: needs root to create the staff account (tests/run.sh runs as root in CI)");
        return None;
    }
    assert!(
        Path::new(SSHD).exists(),
        "{SSHD} is missing: install openssh-server (tests/run.sh does: apt-get install openssh-server)"
    );
    staff_account();
    let dir = tempfile::Builder::new().prefix("wic-e2e-ssh-").tempdir().unwrap();
    chmod(dir.path(), 0o755);
    let p = |n: &str| dir.path().join(n);
    // Keys.
    for (name, t) in [("host_key", "ed25519"), ("user_key", "ed25519")] {
        let out = run("ssh-keygen", &["-q", "-t", t, "-N", "", "-f", p(name).to_str().unwrap()]);
        assert!(out.status.success(), "ssh-keygen: {}", String::from_utf8_lossy(&out.stderr));
    }
    std::fs::copy(p("user_key.pub"), p("authorized_keys")).unwrap();
    chmod(&p("authorized_keys"), 0o644);
    // The binary, where the staff account can run it.
    std::fs::create_dir(p("bin")).unwrap();
    std::fs::copy(BIN, p("bin/wic")).unwrap();
    chmod(&p("bin"), 0o755);
    chmod(&p("bin/wic"), 0o755);
    // The data directory, laid out as the README's install steps do (assets/deploy/wic-layout):
    // the service account (root here, `wic` on a real machine) owns it; the staff group may
    // write only spool/.
    wic::data_dir::DataDir::new(p("data")).prepare(&mut |_| {}).expect("prepare the data dir");
    let out = run(LAYOUT, &[p("data").to_str().unwrap(), "root", GROUP]);
    assert!(out.status.success(), "wic-layout: {}", String::from_utf8_lossy(&out.stderr));
    // The staff member is a moderator: their changes go through the spool (checked last).
    std::fs::write(
        p("config.toml"),
        format!("export_dir = \"{}\"\nmoderators = [\"{USER}\"]\n", p("data/spool/listes").display()),
    )
    .unwrap();
    chmod(&p("config.toml"), 0o644);
    // The shipped snippet, with this test's paths.
    let snippet = SNIPPET
        .replace(
            "/usr/local/bin/wic browse --staff",
            &format!("{} browse --staff --config {}", p("bin/wic").display(), p("config.toml").display()),
        )
        .replace("/var/lib/wic", &p("data").display().to_string());
    assert!(snippet.contains(&p("bin/wic").display().to_string()), "the snippet's ForceCommand was found");
    let port = free_port();
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\n\
         StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
         PermitRootLogin no\nAllowUsers {USER}\nLogLevel VERBOSE\n{snippet}",
        p("host_key").display(),
        p("sshd.pid").display(),
        p("authorized_keys").display(),
    );
    std::fs::write(p("sshd_config"), config).unwrap();
    std::fs::create_dir_all("/run/sshd").unwrap();
    let check = run(SSHD, &["-t", "-f", p("sshd_config").to_str().unwrap()]);
    assert!(check.status.success(), "sshd -t: {}", String::from_utf8_lossy(&check.stderr));
    let sshd = Command::new(SSHD)
        .args(["-D", "-e", "-f", p("sshd_config").to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(p("sshd.log")).unwrap())
        .spawn()
        .expect("start sshd");
    let tmux_socket = format!("wic-e2e-ssh-{}", std::process::id());
    let server = Server { sshd, tmux_socket, dir, port };
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "sshd did not listen; log:\n{}",
            std::fs::read_to_string(server.path("sshd.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(server)
}

fn wic_processes_of_staff() -> Vec<String> {
    let out = run("pgrep", &["-u", USER, "-a", "wic"]);
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn staff_over_ssh() {
    let Some(server) = start() else { return };
    let log = || std::fs::read_to_string(server.path("sshd.log")).unwrap_or_default();

    // 1. No pty, and a remote command: still wic (ForceCommand), which says it needs a terminal.
    let out = server.ssh(&["-T", &format!("{USER}@127.0.0.1"), "echo SHELL-OK; id"]).output().expect("ssh -T");
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!all.contains("SHELL-OK") && !all.contains("uid="), "a remote command ran a shell:\n{all}");
    assert!(all.contains("wic a besoin d'un terminal interactif"), "no clear message:\n{all}\n--- sshd\n{}", log());
    assert_eq!(out.status.code(), Some(2), "{all}");

    // 2. Port forwarding is refused: remote (-R) at once, local (-L) when used.
    let out = server
        .ssh(&["-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9", &format!("{USER}@127.0.0.1")])
        .output()
        .expect("ssh -R");
    assert!(!out.status.success(), "remote forwarding was accepted");
    let local = free_port();
    let mut fwd = server
        .ssh(&["-N", "-L", &format!("{local}:127.0.0.1:{}", server.port), &format!("{USER}@127.0.0.1")])
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh -L");
    let deadline = Instant::now() + WAIT;
    let mut stream = loop {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", local)) {
            break s;
        }
        assert!(Instant::now() < deadline, "ssh -L never listened");
        std::thread::sleep(Duration::from_millis(50));
    };
    // Through a working tunnel we would read sshd's banner; a refused channel is closed.
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    let _ = fwd.kill();
    let _ = fwd.wait();
    assert!(!String::from_utf8_lossy(&got).contains("SSH-2.0"), "the -L tunnel reached sshd: forwarding allowed");

    // 3. A real session in a terminal: Home, then a search.
    let session = |name: &str| {
        let ssh_line = format!(
            "exec ssh -tt {} {USER}@127.0.0.1",
            server.ssh_args().iter().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(" ")
        );
        let out = server.tmux(&["new-session", "-d", "-s", name, "-x", "80", "-y", "24", &ssh_line]);
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
        server.wait_screen(name, "the Home screen over SSH", |s| s.contains("Que cherchez-vous"));
        server.tmux(&["send-keys", "-t", name, "-l", "velo"]);
        let results =
            server.wait_screen(name, "results for velo", |s| s.contains("Recherche : velo") && s.contains("résultat"));
        assert!(!results.contains(" 0 résultat"), "{results}");
    };
    session("a");
    assert!(!wic_processes_of_staff().is_empty(), "wic runs as the staff account");

    // 4. The staff member's laptop dies: kill -9 the ssh client. No wic may stay behind.
    let pid = String::from_utf8_lossy(&server.tmux(&["display-message", "-p", "-t", "a", "#{pane_pid}"]).stdout)
        .trim()
        .to_string();
    assert!(!pid.is_empty());
    run("kill", &["-KILL", &pid]);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = wic_processes_of_staff();
        if left.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "wic still running 5 s after the client died: {left:?}");
        std::thread::sleep(Duration::from_millis(100));
    }

    // What the data directory holds before the next session: a staff session may add to its
    // usage figures, and nothing else there may change or go (checked at the end).
    let data_before = files_with_contents(&server.path("data"));
    assert!(data_before.keys().any(|f| f.ends_with("catalogue.db")), "{:?}", data_before.keys());

    // 5. Shortlist, in a new session: Insert adds the selected result, F12 opens the
    // shortlist, `t` proposes a file in the configured export folder and Enter writes it.
    session("b");
    server.keys("b", &["IC", "F12", "t", "Enter"]);
    // The file exists from its creation on; it is whole once the screen says it was saved
    // (reading it before could find it half-written).
    server.wait_screen("b", "the list saved", |s| s.contains("Liste enregistrée"));
    let exports = server.path("data/spool/listes");
    let deadline = Instant::now() + WAIT;
    let written = loop {
        let files: Vec<PathBuf> =
            std::fs::read_dir(&exports).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
        if let Some(f) = files.into_iter().find(|f| f.extension().is_some_and(|e| e == "txt")) {
            break f;
        }
        assert!(
            Instant::now() < deadline,
            "no shortlist written to {}; screen:\n{}",
            exports.display(),
            server.screen("b")
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("Liste préparée le"), "{text}");
    assert!(text.contains("1. "), "one initiative in the list:\n{text}");
    assert!(!text.contains("2. "), "only the one added:\n{text}");

    // 6. The same staff member tries to save the list outside the export folder (#18): the
    // prompt takes a name, not a path, and says so; nothing is written anywhere else.
    // Also a file of the data directory (a save there would replace it) and the staff
    // member's own keys.
    for outside in ["../escaped", "/tmp/wic-e2e-escaped", "../data/catalogue.db", "~/.ssh/authorized_keys"] {
        server.keys("b", &["t", "C-u"]);
        server.tmux(&["send-keys", "-t", "b", "-l", outside]);
        server.keys("b", &["Enter"]);
        server.wait_screen("b", "the name refused on the prompt", |s| s.contains("Un nom de fichier seulement"));
        server.keys("b", &["Escape"]);
    }
    let spool = server.path("data/spool");
    assert!(!spool.join("escaped.txt").exists() && !spool.join("escaped").exists(), "written beside exports");
    assert!(!Path::new("/tmp/wic-e2e-escaped").exists() && !Path::new("/tmp/wic-e2e-escaped.txt").exists());
    let files = std::fs::read_dir(&exports).unwrap().count();
    assert_eq!(files, 1, "only the first list in the export folder");

    // 7. A link planted in the export folder (by anyone who can write there) under the name
    // the staff member types, pointing at a file their account may write — their keys: the
    // list is written beside the link, never through it, and the screen names the file.
    let victim = server.path("victim_authorized_keys");
    std::fs::write(&victim, "ssh-ed25519 AAAA staff@laptop\n").unwrap();
    let out = run("chown", &[USER, victim.to_str().unwrap()]);
    assert!(out.status.success(), "chown: {}", String::from_utf8_lossy(&out.stderr));
    chmod(&victim, 0o600);
    std::os::unix::fs::symlink(&victim, exports.join("pour-madame.txt")).unwrap();
    server.keys("b", &["t", "C-u"]);
    server.tmux(&["send-keys", "-t", "b", "-l", "pour-madame"]);
    server.keys("b", &["Enter"]);
    let beside = exports.join("pour-madame-2.txt");
    let screen = server.wait_screen("b", "the list saved beside the link", |s| s.contains("pour-madame-2.txt"));
    assert!(screen.contains("Liste enregistrée"), "{screen}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "ssh-ed25519 AAAA staff@laptop\n", "the link was followed");
    // The file exists from its creation on; whole once the screen said so.
    assert!(std::fs::read_to_string(&beside).unwrap().contains("Liste préparée le"));

    // 8. The session ends (`q` on the shortlist, and `o` to the question a list not yet
    // empty asks); then nothing of the data directory is gone or changed, but the usage
    // figures a session keeps (usage.db and SQLite's companions).
    server.keys("b", &["q"]);
    server.wait_screen("b", "the question before quitting", |s| s.contains("quitter quand même"));
    server.keys("b", &["o"]);
    let deadline = Instant::now() + WAIT;
    while !wic_processes_of_staff().is_empty() {
        assert!(Instant::now() < deadline, "wic still runs after q: {:?}", wic_processes_of_staff());
        std::thread::sleep(Duration::from_millis(100));
    }
    let data_after = files_with_contents(&server.path("data"));
    for (file, bytes) in &data_before {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let after = data_after.get(file);
        assert!(after.is_some(), "{} was removed by a staff session", file.display());
        // The spool is the staff's part: usage figures (and SQLite's companions) change.
        if !(file.starts_with(&spool) && name.starts_with("usage.db")) {
            assert!(after == Some(bytes), "{} was changed by a staff session", file.display());
        }
    }

    // 9. The staff account itself, outside wic, can neither remove nor add anything outside
    // the spool: the layout, not only the interface, holds the boundary.
    let data = server.path("data");
    let attempt = format!(
        "rm -f {d}/catalogue.db; rm -rf {d}/search; mv {d}/applied {d}/gone; (: > {d}/planted); \
         (: > {d}/search/CURRENT); echo done",
        d = data.display()
    );
    let search_before = files_with_contents(&data.join("search"));
    let out = run("su", &[USER, "-s", "/bin/sh", "-c", &attempt]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("done"), "{out:?}");
    assert!(data.join("catalogue.db").exists() && data.join("search/CURRENT").exists());
    assert!(data.join("applied").exists() && !data.join("gone").exists() && !data.join("planted").exists());
    assert!(files_with_contents(&data.join("search")) == search_before, "the index was changed by the staff account");
    let doctor = Command::new(BIN).args(["--data-dir", data.to_str().unwrap(), "doctor"]).output().unwrap();
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(
        doctor.status.success() && !report.lines().any(|l| l.starts_with("problème")),
        "doctor on the e2e layout:\n{report}"
    );

    // 10. A moderator's change goes through wic's edit path only: the session queues it in
    // the spool, the service (here the test, running `wic apply` as the owner of the data
    // directory, as wic-apply.path would) applies it, and the session says it is saved.
    session("c");
    server.keys("c", &["Enter"]);
    server.wait_screen("c", "a detail page", |s| s.contains("CONTACT") || s.contains("Contact"));
    server.keys("c", &["e"]);
    server.wait_screen("c", "the edit form", |s| s.contains("Modifier :"));
    server.keys("c", &["F6"]);
    let edits = data.join("spool/edits");
    let deadline = Instant::now() + WAIT;
    let queued = loop {
        let found: Vec<PathBuf> = std::fs::read_dir(&edits).unwrap().flatten().map(|e| e.path()).collect();
        if let Some(f) = found.into_iter().find(|f| f.extension().is_some_and(|e| e == "json")) {
            break f;
        }
        assert!(Instant::now() < deadline, "nothing queued; screen:\n{}", server.screen("c"));
        std::thread::sleep(Duration::from_millis(100));
    };
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(&queued).unwrap().uid();
    assert_eq!(run("id", &["-u", USER]).stdout, format!("{owner}\n").into_bytes(), "queued by the staff account");
    let config = server.path("config.toml");
    let apply = run(BIN, &["--data-dir", data.to_str().unwrap(), "apply", "--config", config.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&apply.stdout);
    assert!(apply.status.success() && said.contains(&format!("{USER}: enregistrée")), "{said}");
    server.wait_screen("c", "the session told it is saved", |s| s.contains("Enregistré (version"));
    assert_eq!(std::fs::read_dir(&edits).unwrap().count(), 0, "the queue is empty");
}

/// Every file under `dir` with its contents.
fn files_with_contents(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.insert(path, bytes);
            }
        }
    }
    out
}
