//! Reading a screen aloud, for visitors who read little (issue #17). This module knows how to
//! run the office's speech command and how to silence it; what to say is the interface's
//! business (`ui::spoken`).
//!
//! The command is a shell line (`speech_command` in the configuration; by default
//! [`DEFAULT_COMMAND`] when `espeak-ng` is installed) with `{voice}` replaced by the
//! espeak-ng voice of the screen's language and `{lang}` by its code. The text goes on its
//! standard input, never on its command line: catalogue text is untrusted, and a shell would
//! read quotes and `$(…)` in it. The command runs in a process group of its own, so that
//! stopping it stops a pipeline too (`espeak-ng --stdout | aplay`), not only the shell.
//!
//! A [`Speaker`] owns one thread that starts and stops the command, so the interface never
//! waits on a process: it sends an order and goes on. One utterance at a time: a new one
//! silences the last.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// The command used when the configuration names none and `espeak-ng` is on the PATH. A
/// little slower than espeak-ng's 175 words a minute: the listeners are often learning the
/// language.
pub const DEFAULT_COMMAND: &str = "espeak-ng -v {voice} -s 150";

/// How often the speech thread looks whether the command has finished, while one runs.
const POLL: Duration = Duration::from_millis(100);
/// How long a stopped command has to end after SIGTERM before it is killed.
const GRACE: Duration = Duration::from_secs(1);

/// The espeak-ng voice for one of our language codes. European Portuguese (`pt`) and Spanish
/// (`es`) rather than the American variants: the offices' newcomers come from both sides, and
/// the screen's spelling is European.
pub fn voice(lang: &str) -> &str {
    match lang {
        "fr" => "fr-fr",
        "en" => "en-gb",
        "es" => "es",
        "pt" => "pt",
        "uk" => "uk",
        "ro" => "ro",
        "ar" => "ar",
        other => other,
    }
}

/// A speech command line, with its placeholders still in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechCommand {
    template: String,
}

impl SpeechCommand {
    /// The command a kiosk uses: the configured one, else [`DEFAULT_COMMAND`] if `espeak-ng`
    /// is on `path` (the `PATH` variable's value); None when there is nothing to run.
    pub fn resolve(configured: Option<&str>, path: Option<&std::ffi::OsStr>) -> Option<SpeechCommand> {
        if let Some(line) = configured.map(str::trim).filter(|l| !l.is_empty()) {
            return Some(SpeechCommand { template: line.to_string() });
        }
        let found = path.is_some_and(|p| std::env::split_paths(p).any(|dir| is_executable(&dir.join("espeak-ng"))));
        found.then(|| SpeechCommand { template: DEFAULT_COMMAND.to_string() })
    }

    /// The shell line for `lang`. The values put in come from [`voice`] and our own language
    /// codes, never from the catalogue.
    pub fn line(&self, lang: &str) -> String {
        self.template.replace("{voice}", voice(lang)).replace("{lang}", lang)
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

enum Order {
    Say { id: u64, line: String, text: String },
    Stop,
}

/// The speech thread's handle. Dropping it silences whatever is being said.
pub struct Speaker {
    /// None once dropping: closing the channel ends the thread.
    orders: Option<Sender<Order>>,
    ended: Receiver<u64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Speaker {
    pub fn start() -> Speaker {
        let (orders, inbox) = mpsc::channel();
        let (done, ended) = mpsc::channel();
        let thread = std::thread::Builder::new().name("speech".into()).spawn(move || serve(&inbox, &done)).ok();
        Speaker { orders: Some(orders), ended, thread }
    }

    /// Says `text` with `line` (a resolved [`SpeechCommand::line`]), silencing what was being
    /// said. `id` comes back from [`Speaker::try_ended`] when it has been said to the end.
    pub fn say(&self, id: u64, line: String, text: String) {
        self.send(Order::Say { id, line, text });
    }

    /// Silences what is being said (nothing happens if nothing is).
    pub fn stop(&self) {
        self.send(Order::Stop);
    }

    fn send(&self, order: Order) {
        if let Some(orders) = &self.orders {
            // The thread gone (it never started): nothing is said, and nothing to stop.
            let _ = orders.send(order);
        }
    }

    /// An utterance that was said to the end (a stopped one never comes back), if any.
    pub fn try_ended(&self) -> Option<u64> {
        self.ended.try_recv().ok()
    }

    /// Waits up to `timeout` for an utterance to end. For tests.
    pub fn wait_ended(&self, timeout: Duration) -> Option<u64> {
        self.ended.recv_timeout(timeout).ok()
    }
}

impl Drop for Speaker {
    fn drop(&mut self) {
        // Closing the channel ends the thread, which stops the command first.
        drop(self.orders.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The speech thread: one command at a time; reports those that finish by themselves.
fn serve(inbox: &Receiver<Order>, done: &Sender<u64>) {
    let mut current: Option<(u64, Child)> = None;
    loop {
        let order = if current.is_some() {
            match inbox.recv_timeout(POLL) {
                Ok(o) => Some(o),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match inbox.recv() {
                Ok(o) => Some(o),
                Err(_) => break,
            }
        };
        match order {
            Some(Order::Say { id, line, text }) => {
                silence(current.take());
                current = spawn(&line, &text).map(|c| (id, c));
            }
            Some(Order::Stop) => silence(current.take()),
            None => {}
        }
        if let Some((id, child)) = current.as_mut()
            && !matches!(child.try_wait(), Ok(None))
        {
            let _ = done.send(*id);
            current = None;
        }
    }
    silence(current);
}

/// Starts `line` with `text` on its standard input, in a process group of its own. Its
/// output goes nowhere: a word of espeak-ng on the kiosk's terminal would tear the screen.
fn spawn(line: &str, text: &str) -> Option<Child> {
    let mut child = Command::new("sh")
        .args(["-c", line])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()?;
    // A screen's essentials are a few hundred bytes, far below a pipe's buffer: this write
    // does not wait on the reader. Closing stdin tells the command the text is complete.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
        let _ = stdin.write_all(b"\n");
    }
    Some(child)
}

/// Stops a command and everything it started: SIGTERM to its process group, SIGKILL after
/// [`GRACE`], then reaps it.
fn silence(current: Option<(u64, Child)>) {
    let Some((_, mut child)) = current else { return };
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let group = child.id() as libc::pid_t;
    // SAFETY: kill(2) with a negative pid signals that process group; the group is the
    // child's own (process_group(0)), which has not been reaped, so its id is not reused.
    unsafe { libc::kill(-group, libc::SIGTERM) };
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: as above.
    unsafe { libc::kill(-group, libc::SIGKILL) };
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_command_wins_and_espeak_is_found_on_the_path() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(SpeechCommand::resolve(None, Some(dir.path().as_os_str())), None);
        let espeak = dir.path().join("espeak-ng");
        std::fs::write(&espeak, "#!/bin/sh\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&espeak, std::fs::Permissions::from_mode(0o755)).unwrap();
        let found = SpeechCommand::resolve(None, Some(dir.path().as_os_str())).unwrap();
        assert_eq!(found.line("uk"), "espeak-ng -v uk -s 150");
        assert_eq!(found.line("fr"), "espeak-ng -v fr-fr -s 150");
        let mine = SpeechCommand::resolve(Some("say --lang {lang} --voice {voice}"), None).unwrap();
        assert_eq!(mine.line("en"), "say --lang en --voice en-gb");
        assert_eq!(SpeechCommand::resolve(Some("  "), None), None);
    }
}
