//! The real kiosk, measured from outside: `wic browse --kiosk` started in a pseudo-terminal of
//! 80x24, exactly as a visitor's terminal would run it (raw mode, alternate screen, the real
//! event loop, crossterm writing to the pty). What it writes is read back with a timestamp,
//! which gives cold start to first frame (spawn to the last byte of the first frame), the bytes
//! a real terminal receives per keystroke, and — read from `/proc/PID/status` after typing the
//! whole session — the peak resident memory (VmHWM) of the kiosk process itself.
//!
//! Linux only (`/proc`, `openpty`), like the kiosks.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};

use super::measure::{HEIGHT, Memory, WIDTH};
use super::queries::BenchQuery;

/// Output stops for this long: the frame is complete (ratatui writes a frame in one burst).
const QUIET: Duration = Duration::from_millis(250);
/// Between keystrokes: the reply to a key has ended once nothing came for this long.
const KEY_QUIET: Duration = Duration::from_millis(25);
/// Give up waiting for a frame after this long.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `wic browse --kiosk` on a pty.
pub struct Kiosk {
    child: Child,
    master: File,
    output: Receiver<(Instant, usize)>,
    /// Bytes read from the pty so far.
    pub bytes: usize,
}

fn openpty() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut master: libc::c_int = -1;
    let mut slave: libc::c_int = -1;
    let size = libc::winsize { ws_row: HEIGHT, ws_col: WIDTH, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors into the given integers; the name and termios
    // arguments may be null; the winsize pointer is valid for the call.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) })
}

impl Kiosk {
    /// Starts `exe browse --kiosk` on the data directory `dir`; returns it and the instant just
    /// before the spawn.
    pub fn spawn(exe: &Path, dir: &Path) -> anyhow::Result<(Kiosk, Instant)> {
        let (master, slave) = openpty().context("cannot open a pseudo-terminal")?;
        let mut cmd = Command::new(exe);
        cmd.arg("browse")
            .arg("--kiosk")
            .env("WIC_DATA_DIR", dir)
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .stdin(Stdio::from(slave.try_clone()?))
            .stdout(Stdio::from(slave.try_clone()?))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec: a new session, and the
        // pty (now standard input) as its controlling terminal, so that `/dev/tty` is the pty.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let master = File::from(master);
        let mut reader = master.try_clone()?;
        let (tx, output) = channel();
        let start = Instant::now();
        let child = cmd.spawn().with_context(|| format!("cannot start {} browse", exe.display()))?;
        // `cmd` still holds the slave side: drop it so the pty reports EOF/EIO when the child exits.
        drop(cmd);
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send((Instant::now(), n)).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok((Kiosk { child, master, output, bytes: 0 }, start))
    }

    /// Reads until the output has been quiet for `quiet` (after at least one chunk, or after
    /// `PATIENCE` without any); returns the instant of the last byte and how many bytes came.
    pub fn wait_quiet(&mut self, quiet: Duration) -> anyhow::Result<(Option<Instant>, usize)> {
        let begin = Instant::now();
        let mut last = None;
        let mut n = 0;
        loop {
            let timeout = if last.is_some() { quiet } else { PATIENCE.saturating_sub(begin.elapsed()) };
            match self.output.recv_timeout(timeout) {
                Ok((at, bytes)) => {
                    last = Some(at);
                    n += bytes;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    if let Ok(Some(status)) = self.child.try_wait() {
                        bail!("the kiosk exited with {status}");
                    }
                    break;
                }
            }
            if begin.elapsed() > PATIENCE {
                break;
            }
        }
        self.bytes += n;
        Ok((last, n))
    }

    pub fn send(&mut self, keys: &[u8]) -> anyhow::Result<()> {
        self.master.write_all(keys)?;
        self.master.flush()?;
        Ok(())
    }

    /// The kiosk process's memory, from `/proc/PID/status`.
    pub fn memory(&self) -> anyhow::Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        Ok(super::measure::parse_status(&status))
    }

    /// SIGTERM (the kiosk restores the terminal and exits), then a kill if it lingers.
    pub fn stop(mut self) {
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: a plain kill(2) on our own child.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            // Keep draining so the child never blocks on a full pty.
            while self.output.try_recv().is_ok() {}
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Cold start of the real kiosk: from the spawn to the last byte of its first frame (the
/// output then stays quiet for [`QUIET`]). Also returns the first frame's size in bytes.
pub fn cold_start(exe: &Path, dir: &Path) -> anyhow::Result<(Duration, usize)> {
    let (mut kiosk, start) = Kiosk::spawn(exe, dir)?;
    let (last, n) = kiosk.wait_quiet(QUIET)?;
    kiosk.stop();
    let last = last.ok_or_else(|| anyhow!("the kiosk drew nothing in {PATIENCE:?}"))?;
    if n < 500 {
        bail!("the kiosk's first frame is only {n} bytes");
    }
    Ok((last - start, n))
}

/// What typing the session into the real kiosk gave.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Browse {
    /// Memory of the kiosk process after the session (VmHWM is the peak).
    pub memory: Memory,
    /// Bytes the terminal received per single keystroke (average).
    pub bytes_per_keystroke: f64,
    /// Keystrokes typed one by one (others set up the field in one burst, untimed).
    pub keystrokes: usize,
    /// From writing the key to the last byte of the frame it caused.
    pub key_to_last_byte: super::measure::Stats,
}

/// Types the session's text into a real kiosk, one keystroke at a time (waiting for each
/// frame), then reads its memory. Filters are not driven here (they are F-keys cycling
/// through lists); the text of every query is.
pub fn browse(exe: &Path, dir: &Path, session: &[BenchQuery]) -> anyhow::Result<Browse> {
    let (mut kiosk, _) = Kiosk::spawn(exe, dir)?;
    let result = type_session(&mut kiosk, session);
    let memory = kiosk.memory();
    kiosk.stop();
    let (samples, bytes) = result?;
    let keystrokes = samples.len();
    Ok(Browse {
        memory: memory?,
        bytes_per_keystroke: if keystrokes == 0 { 0.0 } else { bytes as f64 / keystrokes as f64 },
        keystrokes,
        key_to_last_byte: super::measure::Stats::of(&samples),
    })
}

fn type_session(kiosk: &mut Kiosk, session: &[BenchQuery]) -> anyhow::Result<(Vec<Duration>, usize)> {
    kiosk.wait_quiet(QUIET)?;
    let mut samples = Vec::with_capacity(session.len());
    let mut bytes = 0;
    let mut prev: Option<&str> = None;
    for q in session {
        let text = q.text.as_str();
        let single: Option<Vec<u8>> = match prev {
            Some(p) if text.starts_with(p) && text.chars().count() == p.chars().count() + 1 => {
                Some(text.as_bytes()[p.len()..].to_vec())
            }
            Some(p) if p.starts_with(text) && p.chars().count() == text.chars().count() + 1 => Some(vec![0x7f]),
            _ => None,
        };
        match single {
            Some(key) => {
                let t = Instant::now();
                kiosk.send(&key)?;
                let (last, n) = kiosk.wait_quiet(KEY_QUIET)?;
                samples.push(last.map(|l| l.saturating_duration_since(t)).unwrap_or_default());
                bytes += n;
            }
            None => {
                // A new visitor's word: clear the field (Ctrl-U) and type it in one burst.
                let mut keys = vec![0x15];
                keys.extend_from_slice(text.as_bytes());
                kiosk.send(&keys)?;
                kiosk.wait_quiet(KEY_QUIET)?;
            }
        }
        prev = Some(text);
    }
    Ok((samples, bytes))
}
