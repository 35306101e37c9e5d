//! Sending a page to the configured print command, which may hang: it runs in its own process
//! group and is killed, group and all, after [`PRINT_TIMEOUT`].

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::PrintError;
use crate::text::sanitize_line;

/// How long a print command may run before it is killed: a printer that hangs must not hang
/// the staff member's session.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(20);

/// How much of a print command's standard error is kept for the message.
const STDERR_KEPT: usize = 2_000;

/// Runs `sh -c command` with `text` on its standard input (e.g. `lp -d accueil`). A non-zero
/// exit is an error carrying what the command wrote on standard error; a command still
/// running after [`PRINT_TIMEOUT`] is killed (with its process group) and reported.
pub fn print(command: &str, text: &str) -> Result<(), PrintError> {
    print_with_timeout(command, text, PRINT_TIMEOUT)
}

/// Kills the process group led by `leader` (the print command runs in its own group).
///
/// Calls kill(2) directly: procps-ng 4.0's `kill -KILL -PID` reads `-PID` as `-1` and, run as
/// root, kills every process on the machine (it took a CI runner down once).
fn kill_process_group(leader: u32) {
    match libc::pid_t::try_from(leader) {
        // A group id of 0 or 1 would mean "our own group" or "everyone": never.
        Ok(pgid) if pgid > 1 => {
            // SAFETY: kill(2) takes plain integers and has no memory effects.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        _ => {}
    }
}

/// [`print`] with a chosen timeout.
pub fn print_with_timeout(command: &str, text: &str, timeout: Duration) -> Result<(), PrintError> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout kills the printer program too, not only `sh`.
        .process_group(0)
        .spawn()
        .map_err(|source| PrintError::Spawn { command: command.to_string(), source })?;
    // Writing and reading happen on threads: a command that does not read its input (or
    // fills its stderr) must not block us before the timeout can act.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = text.as_bytes().to_vec();
    std::thread::spawn(move || {
        // A command that exits without reading (EPIPE) is judged by its exit status.
        let _ = stdin.write_all(&input);
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                kill_process_group(child.id());
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::TimedOut { command: command.to_string(), seconds: timeout.as_secs() });
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    // A background grandchild may keep stderr open: wait for it only briefly.
    let err = rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
    let mut stderr = sanitize_line(&String::from_utf8_lossy(&err));
    if stderr.len() > STDERR_KEPT {
        let mut cut = STDERR_KEPT;
        while !stderr.is_char_boundary(cut) {
            cut -= 1;
        }
        stderr.truncate(cut);
        stderr.push('…');
    }
    let status = match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_string(),
    };
    Err(PrintError::Failed { command: command.to_string(), status, stderr })
}
