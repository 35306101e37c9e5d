//! A real pseudo-terminal for the security tests: the `wic` binary runs on the slave side as
//! on a kiosk or over SSH, and the test holds the master — it reads every byte the program
//! writes, types keys, sends signals and can hang up (close the master).
//!
//! Built on `libc::openpty` (libc is already a dependency): no extra crate. The child gets its
//! own session; with `controlling` the pty becomes its controlling terminal, so the kernel
//! sends SIGHUP on hang-up, as sshd's does; without it no SIGHUP ever comes, which is the case
//! where crossterm would spin.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    pub child: Child,
    master: Option<Arc<File>>,
    /// Tells the reader thread to let go of the master (so that closing it hangs up).
    stop: Arc<std::sync::atomic::AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    /// A slave descriptor kept by the test, to read the terminal's modes after the child exits.
    probe: Option<OwnedFd>,
    output: Arc<Mutex<Vec<u8>>>,
}

pub struct Spawn<'a> {
    pub args: Vec<String>,
    pub env: Vec<(&'a str, String)>,
    pub cols: u16,
    pub rows: u16,
    pub controlling: bool,
    /// Keep a slave descriptor to inspect termios after exit (keeps the pty alive: do not use
    /// with hang-up tests).
    pub probe: bool,
    /// Run this copy of `wic` instead of cargo's (see [`wic_bin_for_anyone`]).
    pub program: Option<&'static Path>,
}

impl Default for Spawn<'_> {
    fn default() -> Self {
        Spawn { args: Vec::new(), env: Vec::new(), cols: 100, rows: 30, controlling: true, probe: true, program: None }
    }
}

pub fn wic_bin() -> &'static str {
    env!("CARGO_BIN_EXE_wic")
}

/// A copy of `wic` that any user may run: tests that drop to an unprivileged user (uid 65534)
/// cannot reach cargo's binary when the clone lives in a private directory (root's home, a
/// `mktemp -d` of mode 0700). One copy per test binary, in the system's temp directory.
pub fn wic_bin_for_anyone() -> &'static Path {
    static COPY: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    &COPY
        .get_or_init(|| {
            use std::os::unix::fs::PermissionsExt;
            let dir = tempfile::Builder::new().prefix("wic-bin-").tempdir().expect("a temp dir for the binary");
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod dir");
            let bin = dir.path().join("wic");
            std::fs::copy(wic_bin(), &bin).expect("copy wic");
            std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod wic");
            (dir, bin)
        })
        .1
}

fn cloexec(fd: i32) {
    // SAFETY: plain fcntl on a descriptor we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC);
    }
}

impl Pty {
    pub fn spawn(data_dir: &Path, spec: Spawn<'_>) -> Pty {
        Pty::spawn_with(data_dir, spec, |_| {})
    }

    /// As [`Pty::spawn`], with `adjust` applied to the command first (limits, user…).
    pub fn spawn_with(data_dir: &Path, spec: Spawn<'_>, adjust: impl FnOnce(&mut Command)) -> Pty {
        let mut master: libc::c_int = -1;
        let mut slave: libc::c_int = -1;
        let ws = libc::winsize { ws_row: spec.rows, ws_col: spec.cols, ws_xpixel: 0, ws_ypixel: 0 };
        // SAFETY: out-pointers to two ints, no name buffer, no termios, a valid winsize.
        let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &ws) };
        assert_eq!(rc, 0, "openpty failed: {}", std::io::Error::last_os_error());
        cloexec(master);
        cloexec(slave);
        // SAFETY: openpty just returned these descriptors; each is owned once.
        let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let probe = if spec.probe { Some(slave.try_clone().expect("dup slave")) } else { None };

        let mut cmd = match spec.program {
            Some(p) => Command::new(p),
            None => Command::new(wic_bin()),
        };
        cmd.arg("--data-dir").arg(data_dir).args(&spec.args);
        cmd.env_remove("NO_COLOR").env("TERM", "xterm-256color").env("LANG", "C.UTF-8");
        for (k, v) in &spec.env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave));
        adjust(&mut cmd);
        let controlling = spec.controlling;
        // SAFETY: only async-signal-safe calls (setsid, ioctl, signal) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                libc::setsid();
                if controlling {
                    libc::ioctl(0, libc::TIOCSCTTY as _, 0);
                }
                // Test harnesses may run with signals ignored; a kiosk starts with defaults.
                libc::signal(libc::SIGHUP, libc::SIG_DFL);
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                libc::signal(libc::SIGTERM, libc::SIG_DFL);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn wic on a pty");

        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        let master = Arc::new(master);
        let shared = Arc::clone(&master);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                let mut fds = [libc::pollfd { fd: shared.as_raw_fd(), events: libc::POLLIN, revents: 0 }];
                // SAFETY: one valid pollfd.
                let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, 50) };
                if n <= 0 {
                    continue;
                }
                match (&*shared).read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().expect("output lock").extend_from_slice(&buf[..n]),
                }
            }
        });
        Pty { child, master: Some(master), stop, reader: Some(reader), probe, output }
    }

    /// Gives the terminal a new size (the kernel sends SIGWINCH to the program).
    pub fn resize(&self, cols: u16, rows: u16) {
        let ws = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
        let master = self.master.as_ref().expect("the pty is open");
        // SAFETY: a valid descriptor and a valid winsize for TIOCSWINSZ.
        let rc = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
        assert_eq!(rc, 0, "resize the pty: {}", std::io::Error::last_os_error());
    }

    /// The program's peak resident memory so far (VmHWM), in kB.
    pub fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmHWM line")
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Everything the program wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().expect("output lock").clone()
    }

    pub fn output_len(&self) -> usize {
        self.output.lock().expect("output lock").len()
    }

    pub fn output_text(&self) -> String {
        String::from_utf8_lossy(&self.output()).into_owned()
    }

    /// Types bytes as the terminal would send them.
    pub fn send(&mut self, bytes: &[u8]) {
        let mut m: &File = self.master.as_ref().expect("pty still open");
        m.write_all(bytes).expect("write to pty");
        m.flush().expect("flush pty");
    }

    /// Waits (polling, up to `timeout`) until the output holds `needle` after byte `from`.
    pub fn wait_for_after(&self, from: usize, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let out = self.output();
            if out.len() > from && contains(&out[from..], needle.as_bytes()) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        self.wait_for_after(0, needle, timeout)
    }

    /// Waits until the output has not grown for `quiet` (bounded by `timeout`): the program
    /// has drawn what the last key asked for.
    pub fn settle(&self, quiet: Duration, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut last = self.output_len();
        let mut since = Instant::now();
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            let now = self.output_len();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }

    /// The exit status if the child ends within `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on our own child's pid.
        let rc = unsafe { libc::kill(self.pid(), sig) };
        assert_eq!(rc, 0, "kill failed");
    }

    /// Closes the master side: the terminal hangs up, as when an SSH connection drops.
    pub fn hang_up(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.master = None;
    }

    /// The terminal's local modes (ICANON, ECHO, ISIG) as the probe sees them.
    pub fn lflags(&self) -> libc::tcflag_t {
        let fd = self.probe.as_ref().expect("spawned with probe").as_raw_fd();
        // SAFETY: a zeroed termios is a valid out-buffer for tcgetattr.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: fd is a live slave descriptor.
        let rc = unsafe { libc::tcgetattr(fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr failed");
        t.c_lflag
    }

    /// CPU time (user + system, in clock ticks) the child has used, from /proc.
    pub fn cpu_ticks(&self) -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        let after = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        // Fields 14 and 15 of stat(5) (utime, stime), counted from after the command name.
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

pub fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The exit code, or 128+signal when killed by a signal (as a shell reports it).
pub fn code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

/// A data directory with the hostile catalogue imported (and indexed) by the real binary.
pub fn hostile_data_dir() -> tempfile::TempDir {
    let tmp = tempfile::Builder::new().prefix("wic-sec-").tempdir().expect("temp dir");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/catalogue.csv");
    let out = Command::new(wic_bin())
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["import", fixture])
        .output()
        .expect("run wic import");
    assert!(
        out.status.success(),
        "importing the hostile corpus failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    tmp
}

pub const F1: &[u8] = b"\x1bOP";
pub const F7: &[u8] = b"\x1b[18~";
pub const DOWN: &[u8] = b"\x1b[B";
pub const ESC: &[u8] = b"\x1b";

/// Characters that must never reach a terminal from our text: C0/C1 controls (but CR/LF),
/// DEL, bidi controls, zero-width and other invisible format characters, the BOM, and the
/// replacement character that betrays invalid UTF-8 let through.
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\r' && c != '\n')
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{206a}'..='\u{206f}' | '\u{061c}' | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}' | '\u{fffd}' | '\u{00ad}')
}

/// Combining marks (the blocks the sanitiser caps).
pub fn combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Problems in a text meant for a terminal or a log: forbidden characters, combining floods
/// (more than 4 marks in a row), payloads of the hostile corpus.
pub fn text_problems(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut run = 0;
    for c in text.chars() {
        if forbidden_char(c) {
            problems.push(format!("character U+{:04X}", c as u32));
        }
        run = if combining(c) { run + 1 } else { 0 };
        if run == 5 {
            problems.push("more than 4 combining marks in a row".into());
        }
    }
    if text.contains("PWNED") {
        problems.push("a payload of an escape sequence (PWNED) leaked".into());
    }
    problems.dedup();
    problems
}

/// The escape sequences `wic` itself writes (ratatui/crossterm drawing and the terminal
/// set-up): SGR, cursor position/moves, erase in display/line, and the private modes for
/// the cursor, alternate screen, bracketed paste and mouse reporting. Anything else — OSC,
/// DCS, APC, PM, SOS, a device query, a bare C0/C1 byte — did not come from us.
pub fn audit_terminal_bytes(bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != 0x1b {
            text.push(b);
            i += 1;
            continue;
        }
        // An escape sequence: replace it by a space in the text we check afterwards.
        text.push(b' ');
        match bytes.get(i + 1) {
            Some(b'[') => {
                let start = i + 2;
                let mut j = start;
                while j < bytes.len() && (0x20..=0x3f).contains(&bytes[j]) {
                    j += 1;
                }
                let Some(&fin) = bytes.get(j) else {
                    problems.push("unterminated CSI at the end".into());
                    break;
                };
                let params = String::from_utf8_lossy(&bytes[start..j]).into_owned();
                let ok = match fin {
                    b'm' | b'H' | b'J' | b'K' | b'A' | b'B' | b'C' | b'D' | b'G' => {
                        params.bytes().all(|c| c.is_ascii_digit() || c == b';' || c == b':')
                    }
                    b'h' | b'l' => matches!(
                        params.as_str(),
                        "?25" | "?1049" | "?2004" | "?1000" | "?1002" | "?1003" | "?1006" | "?1015"
                    ),
                    _ => false,
                };
                if !ok {
                    problems.push(format!("CSI {:?}{} is not one of ours", params, fin as char));
                }
                i = j + 1;
            }
            Some(&c) => {
                problems.push(format!("ESC {:?} sequence is not one of ours", c as char));
                i += 2;
            }
            None => {
                problems.push("bare ESC at the end".into());
                i += 1;
            }
        }
    }
    match String::from_utf8(text) {
        Ok(s) => problems.extend(text_problems(&s)),
        Err(e) => problems.push(format!("invalid UTF-8 written to the terminal: {e}")),
    }
    problems.dedup();
    problems
}
