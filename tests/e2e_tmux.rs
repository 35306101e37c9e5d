//! End-to-end: the real `wic` binary in a real terminal (tmux), driven by keys as a visitor or
//! an administrator would. One tmux server per test (`tmux -L wic-test-…`), killed on drop even
//! when the test fails. Waits poll `capture-pane` until the expected text shows (a generous
//! deadline, never a timing assertion).
//!
//! tmux is required: `tests/run.sh` installs it. Without it these tests fail, loudly.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wic");
const WAIT: Duration = Duration::from_secs(10);
const SESSION: &str = "wic";

/// One private tmux server, with the data directory of its test; killed when dropped.
struct Tmux {
    socket: String,
    data: PathBuf,
    socket_path: Option<PathBuf>,
    _tmp: tempfile::TempDir,
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
        // tmux leaves its socket file behind; it is ours, named after this test.
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn require_tmux() {
    let ok = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(ok, "tmux is not installed: the end-to-end tests need it (tests/run.sh installs it: apt-get install tmux)");
}

/// A shell word, quoted for `sh -c`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Tmux {
    /// Prepares a data dir from the seed catalogue and starts `wic browse ARGS` at `w`×`h`
    /// with the environment `env`. When wic exits, the pane prints `EXITED:<code>` and stays.
    fn start(test: &str, w: u16, h: u16, env: &[(&str, &str)], args: &[&str]) -> Tmux {
        Tmux::start_configured(test, w, h, env, "", args)
    }

    /// [`Tmux::start`] with `config` as the configuration file's text.
    fn start_configured(test: &str, w: u16, h: u16, env: &[(&str, &str)], config: &str, args: &[&str]) -> Tmux {
        require_tmux();
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!("wic-test-{}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), test);
        let tmp = tempfile::tempdir().expect("temp dir");
        let data = tmp.path().join("data");
        wic::data_dir::DataDir::new(&data).prepare(&mut |_| {}).expect("data dir prepared from the seeds");
        let mut cmd = String::from("env -u NO_COLOR -u COLORTERM TERM=xterm-256color LANG=C.UTF-8");
        for (k, v) in env {
            cmd.push_str(&format!(" {k}={}", sh_quote(v)));
        }
        cmd.push_str(&format!(" {} --data-dir {} browse", sh_quote(BIN), sh_quote(&data.display().to_string())));
        // No site configuration may leak in.
        cmd.push_str(&format!(" --config {}", sh_quote(&tmp.path().join("none.toml").display().to_string())));
        for a in args {
            cmd.push_str(&format!(" {}", sh_quote(a)));
        }
        cmd.push_str("; echo EXITED:$?; sleep 120");
        // The configuration is written before the session starts: wic reads it at once.
        std::fs::write(tmp.path().join("none.toml"), config).expect("the test's config");
        let mut t = Tmux { socket, data, socket_path: None, _tmp: tmp };
        let out = t.tmux(&["new-session", "-d", "-s", SESSION, "-x", &w.to_string(), "-y", &h.to_string(), &cmd]);
        assert!(out.status.success(), "tmux new-session failed: {}", String::from_utf8_lossy(&out.stderr));
        let path = t.tmux(&["display-message", "-p", "-t", SESSION, "#{socket_path}"]);
        let path = String::from_utf8_lossy(&path.stdout).trim().to_string();
        if path.contains("wic-test-") {
            t.socket_path = Some(PathBuf::from(path));
        }
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        common::tmux(&self.socket, args)
    }

    fn capture(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", SESSION]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The pane with its attributes as SGR escapes.
    fn capture_styled(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-e", "-t", SESSION]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let out = self.tmux(&["send-keys", "-t", SESSION, k]);
            assert!(out.status.success(), "send-keys {k}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }

    fn text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", SESSION, "-l", text]);
        assert!(out.status.success(), "send-keys -l {text}");
    }

    /// Polls the screen until `pred` holds; panics with the last screen after `timeout`.
    fn wait_for_within(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.capture();
            if pred(&screen) {
                return screen;
            }
            if screen.contains("EXITED:") {
                panic!("wic exited while waiting for {what}; the screen shows:\n{screen}");
            }
            if Instant::now() > deadline {
                panic!("waited {timeout:?} for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_for_within(what, WAIT, pred)
    }

    fn wait_text(&self, needle: &str) -> String {
        self.wait_for(&format!("{needle:?}"), |s| s.contains(needle))
    }

    fn pane_dead(&self) -> bool {
        let out = self.tmux(&["list-panes", "-t", SESSION, "-F", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() != "0"
    }

    fn data_dir(&self) -> &Path {
        &self.data
    }
}

const HOME: &str = "Que cherchez-vous";

fn has_drawing_chars(s: &str) -> Vec<char> {
    s.chars().filter(|c| ('\u{2500}'..='\u{25FF}').contains(c)).collect()
}

/// Whether some SGR sequence of `line` turns reverse video on.
fn has_reverse(line: &str) -> bool {
    line.split("\x1b[").skip(1).any(|seq| seq.split('m').next().is_some_and(|p| p.split(';').any(|n| n == "7")))
}

#[test]
fn staff_types_opens_a_result_and_comes_back() {
    let t = Tmux::start("search", 80, 24, &[], &["--staff"]);
    assert!(t.data_dir().join("catalogue.db").exists());
    t.wait_text(HOME);
    t.text("velo");
    let screen = t.wait_for("bike results", |s| {
        s.contains("Recherche : velo") && s.lines().any(|l| l.contains("▶ 1") && l.contains("Vélo"))
    });
    assert!(screen.contains("résultat(s)"), "{screen}");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the detail of the first result", |s| {
        s.lines().nth(1).is_some_and(|l| l.starts_with("Vélo-école de Mieux se déplacer")) && s.contains("CONTACT")
    });
    assert!(!screen.contains("Recherche : velo"), "{screen}");
    t.keys(&["Escape"]);
    let screen = t.wait_text("Recherche : velo");
    assert!(screen.lines().any(|l| l.starts_with("▶ 1 ⇄ Vélo-école")), "the same row is still selected:\n{screen}");
    assert!(!t.pane_dead());
}

#[test]
fn staff_quits_with_q_from_the_detail() {
    let t = Tmux::start("quit-q", 80, 24, &[], &["--staff"]);
    t.wait_text(HOME);
    t.text("velo");
    t.wait_text("Recherche : velo");
    t.keys(&["Enter"]);
    t.wait_text("CONTACT");
    t.keys(&["q"]);
    let screen = t.wait_text("EXITED:");
    assert!(screen.contains("EXITED:0"), "a clean exit:\n{screen}");
    assert!(!screen.contains("CONTACT"), "the alternate screen is gone:\n{screen}");
}

#[test]
fn staff_quits_with_f10() {
    let t = Tmux::start("quit-f10", 80, 24, &[], &["--staff"]);
    t.wait_text(HOME);
    t.keys(&["F10"]);
    let screen = t.wait_text("EXITED:");
    assert!(screen.contains("EXITED:0"), "{screen}");
}

#[test]
fn kiosk_survives_signal_keys_and_resets_when_idle() {
    let t = Tmux::start("kiosk", 80, 24, &[], &["--kiosk", "--idle-timeout", "5"]);
    t.wait_text(HOME);
    t.text("velo");
    t.wait_text("Recherche : velo");
    // In raw mode these are keys, not signals; a kiosk ignores them.
    t.keys(&["C-c", "C-z", "C-\\", "F10"]);
    // Then a letter: once it shows, every key before it has been handled.
    t.text("q");
    let screen = t.wait_text("Recherche : veloq");
    assert!(!screen.contains("EXITED"), "{screen}");
    t.keys(&["Escape"]);
    let screen = t.wait_for("Home with the typed text kept", |s| s.contains(HOME) && s.contains("veloq"));
    assert!(!screen.contains("EXITED"), "{screen}");
    assert!(!t.pane_dead());
    // The pane's shell waits for wic; wic is still its child.
    let pid = t.tmux(&["list-panes", "-t", SESSION, "-F", "#{pane_pid}"]);
    let pid = String::from_utf8_lossy(&pid.stdout).trim().to_string();
    let children = Command::new("ps").args(["-o", "comm=", "--ppid", &pid]).output().expect("ps");
    let children = String::from_utf8_lossy(&children.stdout).into_owned();
    assert!(children.lines().any(|c| c.trim() == "wic"), "wic still runs under pane pid {pid}: {children:?}");

    // No input for the idle timeout (5 s): back to an empty Home. The deadline is a wait.
    let screen = t.wait_for_within("the idle reset", Duration::from_secs(20), |s| {
        s.contains(HOME) && s.contains("tapez un mot") && !s.contains("velo")
    });
    assert!(!screen.contains("EXITED"), "{screen}");
}

#[test]
fn too_small_window_says_so_then_recovers() {
    let t = Tmux::start("resize", 80, 24, &[], &["--staff"]);
    t.wait_text(HOME);
    let out = t.tmux(&["resize-window", "-t", SESSION, "-x", "40", "-y", "12"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let screen = t.wait_text("Fenêtre trop petite");
    assert!(!screen.contains(HOME), "{screen}");
    let out = t.tmux(&["resize-window", "-t", SESSION, "-x", "80", "-y", "24"]);
    assert!(out.status.success());
    let screen = t.wait_text(HOME);
    assert!(!screen.contains("Fenêtre trop petite"), "{screen}");
    assert!(screen.contains("Se nourrir"), "{screen}");
}

#[test]
fn linux_console_gets_a_readable_ascii_screen() {
    let t = Tmux::start("linux", 80, 24, &[("TERM", "linux")], &["--staff"]);
    // The whole frame, not its first lines (a capture can land mid-frame on a busy machine).
    let screen = t.wait_text("0  [A] S'entraider");
    assert!(screen.starts_with("WIC"), "{screen}");
    for tile in ["1  [N] Se nourrir", "5  [D] Se déplacer", "0  [A] S'entraider"] {
        assert!(screen.contains(tile), "{tile}:\n{screen}");
    }
    assert!(screen.contains("> tapez un mot"), "ASCII caret:\n{screen}");
    assert_eq!(has_drawing_chars(&screen), Vec::<char>::new(), "{screen}");
    t.text("velo");
    let screen = t.wait_for("results", |s| s.lines().any(|l| l.starts_with("> 1 ")));
    assert_eq!(has_drawing_chars(&screen), Vec::<char>::new(), "{screen}");
}

#[test]
fn no_color_keeps_the_selection_visible_in_reverse_video() {
    let t = Tmux::start("nocolor", 80, 24, &[("NO_COLOR", "1")], &["--staff"]);
    let screen = t.wait_text(HOME);
    assert!(screen.contains("1  ♨ Se nourrir"), "{screen}");
    t.text("velo");
    t.wait_for("results", |s| s.lines().any(|l| l.starts_with("▶ 1 ")));
    let styled = t.capture_styled();
    let selected = styled.lines().find(|l| l.contains("▶")).expect("the selected row");
    assert!(has_reverse(selected), "reverse video on the selected row: {selected:?}");
    // Monochrome: no colour escapes at all (38;…/48;… or 30–37/40–47/90–97).
    let coloured = styled.split("\x1b[").skip(1).filter_map(|seq| seq.split('m').next()).find(|p| {
        p.split(';').any(|n| {
            n.parse::<u16>().is_ok_and(|v| {
                (30..=37).contains(&v) || (40..=47).contains(&v) || (90..=107).contains(&v) || v == 38 || v == 48
            })
        })
    });
    assert_eq!(coloured, None, "no colour with NO_COLOR:\n{styled}");
}

/// A printer that never answers (`sleep 30`) must not freeze the kiosk: after F9 the screen
/// says the print is under way, and keys keep working at once — long before the print's own
/// 20 s timeout could have freed a blocked loop.
#[test]
fn a_stuck_printer_never_freezes_the_kiosk() {
    let t = Tmux::start_configured("stuck-printer", 80, 24, &[], "print_command = \"sleep 30\"\n", &["--kiosk"]);
    t.wait_text(HOME);
    t.text("velo");
    t.wait_text("Recherche : velo");
    t.text("1");
    t.wait_text("CONTACT");
    t.keys(&["F9"]);
    t.wait_text("Impression en cours");
    let pressed = Instant::now();
    t.keys(&["Escape"]);
    let screen = t.wait_for("the results again, while the print hangs", |s| s.contains("Recherche : velo"));
    let answered = pressed.elapsed();
    assert!(!screen.contains("EXITED"), "{screen}");
    // Measured, not asserted to the millisecond: a blocked loop would take 20 s (the print's
    // timeout); the wait above gives up after 10.
    eprintln!("keys answered {answered:?} after Esc, with the print still under way");
    t.text("x");
    t.wait_text("Recherche : velox");
}
