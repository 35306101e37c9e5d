//! Speech for visitors who read little (issue #17): the speech key reads the screen's
//! essentials through the configured command, off the UI thread; any next key, the idle reset
//! and the key itself silence it; staff sessions never speak.
//!
//! With the real espeak-ng, every offered language is rendered to a WAV file (`-w`) and sox
//! measures it: long enough, and not silence. The other tests use fake speech commands (shell
//! lines) that write what they were given, and a marker when they are stopped. Waits poll a
//! condition until a generous deadline, never a fixed time. espeak-ng, sox and tmux are
//! required: `tests/run.sh` installs them.

mod common;
mod ui_common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ui_common::{today, type_str};
use wic::i18n::Strings;
use wic::speech::SpeechCommand;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, Screen, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

const WAIT: Duration = Duration::from_secs(20);

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A session of `mode` in `lang`, whose speech command is `line`.
fn session(mode: Mode, lang: &str, line: &str, now: Instant) -> Runtime {
    let setup = Setup { can_speak: true, idle_timeout: Duration::from_secs(30), ..Setup::new(mode) };
    let options = Options { speech: SpeechCommand::resolve(Some(line), None), ..Options::default() };
    let app = App::new(setup, Strings::load(lang), Palette::new(Capability::Full, false), now);
    let mut rt = Runtime::new(app, ui_common::index(), options, now);
    rt.dispatch(Action::Clock(today().and_hms_opt(10, 0, 0).unwrap()), now);
    rt
}

/// A shell word, quoted for `sh -c`.
fn q(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// Polls `cond` until it holds; panics with `what` after [`WAIT`].
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "waited {WAIT:?} for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// A fake speech command that keeps "speaking" until stopped: it writes its text to `said`,
/// its process id to `pid`, and `stopped` when it gets SIGTERM.
fn talker(dir: &Path) -> (String, PathBuf, PathBuf, PathBuf) {
    let (said, pid, stopped) = (dir.join("said.txt"), dir.join("pid"), dir.join("stopped"));
    let line = format!(
        "echo $$ > {pid}; trap 'echo stopped >> {stopped}; exit 0' TERM; cat > {said}.tmp; mv {said}.tmp {said}; \
         while :; do sleep 1; done",
        pid = q(&pid),
        stopped = q(&stopped),
        said = q(&said),
    );
    (line, said, pid, stopped)
}

fn require(tool: &str, args: &[&str]) {
    let ok = Command::new(tool).args(args).output().is_ok_and(|o| o.status.success());
    assert!(ok, "{tool} is not installed: the speech tests need it (tests/run.sh installs it)");
}

/// sox's `stat` of a WAV file: (length in seconds, RMS amplitude).
fn measure(wav: &Path) -> (f64, f64) {
    let out = Command::new("sox").arg(wav).args(["-n", "stat"]).output().expect("running sox");
    // sox writes its statistics on standard error.
    let text = String::from_utf8_lossy(&out.stderr);
    let value = |name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name:?} in sox's answer:\n{text}"))
    };
    (value("Length (seconds)"), value("RMS     amplitude"))
}

#[test]
fn espeak_reads_home_aloud_in_every_offered_language() {
    require("espeak-ng", &["--version"]);
    require("sox", &["--version"]);
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    for (lang, _) in wic::i18n::LANGUAGES {
        let wav = dir.path().join(format!("{lang}.wav"));
        // The default command, writing a file instead of playing it.
        let line = format!("{} -w {}", wic::speech::DEFAULT_COMMAND, q(&wav));
        let mut rt = session(Mode::Kiosk, lang, &line, t);
        rt.dispatch(Action::Speak, t);
        assert!(rt.speaking(), "{lang}: the key starts speech");
        assert!(rt.wait_for_speech(WAIT, t), "{lang}: espeak-ng finished");
        assert!(!rt.speaking(), "{lang}: once said, the state knows");
        let (seconds, rms) = measure(&wav);
        // Ten themes and a sentence take far more than half a second in any language;
        // silence (an unknown voice, an empty text) has an RMS amplitude of 0.
        assert!(seconds > 0.5, "{lang}: {seconds} s of speech");
        assert!(rms > 0.01, "{lang}: RMS amplitude {rms} is silence");
    }
}

#[test]
fn each_screen_says_its_essentials_in_the_screens_language() {
    let dir = tempfile::tempdir().unwrap();
    let said = dir.path().join("said.txt");
    let line = format!("cat > {}", q(&said));
    let t = Instant::now();
    let mut rt = session(Mode::Kiosk, "fr", &line, t);
    let say = |rt: &mut Runtime| {
        rt.dispatch(Action::Speak, t);
        assert!(rt.wait_for_speech(WAIT, t), "the command finished");
        read(&said)
    };
    let home = say(&mut rt);
    assert!(home.starts_with("Choisissez un thème"), "{home}");
    assert!(home.contains("Touche 1 : Se nourrir.") && home.contains("Touche 0 : S'entraider."), "{home}");
    assert!(!home.contains('♨'), "signs are for the eyes, not read aloud:\n{home}");

    type_str(&mut rt, "velo", t);
    let row = say(&mut rt);
    let first = rt.selected_initiative().unwrap().name.clone();
    assert!(row.starts_with("Résultat 1 sur "), "{row}");
    assert!(row.contains(&first) && row.contains("Touche Entrée"), "{row}");

    rt.dispatch(Action::Open, t);
    assert_eq!(rt.screen(), Screen::Detail);
    let item = rt.visit().detail.clone().unwrap();
    let detail = say(&mut rt);
    assert!(detail.starts_with(&item.name), "{detail}");
    assert!(detail.contains(&item.summary), "{detail}");
    if !item.phone.is_empty() {
        assert!(detail.contains(&format!("Téléphone : {}", item.phone)), "{detail}");
    }
    assert!(detail.contains("Adresse : ") || item.address.is_empty(), "{detail}");

    // The language of the screen, the voice of the language.
    let dir = tempfile::tempdir().unwrap();
    let said = dir.path().join("said.txt");
    let mut rt = session(Mode::Kiosk, "uk", &format!("echo {{voice}} {{lang}} > {0}; cat >> {0}", q(&said)), t);
    rt.dispatch(Action::Speak, t);
    assert!(rt.wait_for_speech(WAIT, t));
    let text = read(&said);
    assert!(text.starts_with("uk uk\nВиберіть тему"), "{text}");
}

#[test]
fn any_key_the_speech_key_and_the_idle_reset_silence_the_voice() {
    let dir = tempfile::tempdir().unwrap();
    let (line, said, pid, stopped) = talker(dir.path());
    let t = Instant::now();
    let mut rt = session(Mode::Kiosk, "fr", &line, t);
    let started = |rt: &mut Runtime, t: Instant, needle: &str| {
        let _ = std::fs::remove_file(&said);
        let _ = std::fs::remove_file(&stopped);
        rt.event(key(KeyCode::F(12)), t);
        assert!(rt.speaking());
        wait_until("the fake command to get its text", || read(&said).contains(needle));
    };
    let gone = |what: &str| {
        wait_until(what, || read(&stopped).contains("stopped"));
        let pid = read(&pid).trim().to_string();
        wait_until("the command's process to be gone", || !Path::new(&format!("/proc/{pid}")).exists());
    };

    // Any other key: the voice stops, and the key does its job.
    started(&mut rt, t, "Se nourrir");
    rt.event(key(KeyCode::Right), t);
    gone("the marker after a key");
    assert!(!rt.speaking());
    assert!(rt.visit().home_tile.is_some(), "the key still did its job");

    // The speech key again: silence, not a second reading.
    started(&mut rt, t, "Se nourrir");
    rt.event(key(KeyCode::F(12)), t);
    gone("the marker after the speech key");
    assert!(!rt.speaking());

    // The idle reset: the visitor walked away.
    type_str(&mut rt, "velo", t);
    started(&mut rt, t, "Résultat 1 sur");
    let later = t + Duration::from_secs(31);
    rt.tick(later, today().and_hms_opt(10, 1, 0).unwrap());
    assert_eq!(rt.screen(), Screen::Home, "the idle reset happened");
    gone("the marker after the idle reset");
    assert!(!rt.speaking());
}

#[test]
fn staff_sessions_never_speak() {
    let dir = tempfile::tempdir().unwrap();
    let (line, _, _, _) = talker(dir.path());
    let t = Instant::now();
    // Even handed a speech command, a staff session does not offer speech.
    let mut rt = session(Mode::Staff, "fr", &line, t);
    assert!(!rt.can_speak());
    rt.event(key(KeyCode::F(12)), t);
    assert_eq!(rt.screen(), Screen::Shortlist, "F12 is the staff's shortlist");
    rt.event(key(KeyCode::Esc), t);
    assert_eq!(rt.screen(), Screen::Home);
    // The state starts an utterance in the same step as it asks for it: none here.
    rt.dispatch(Action::Speak, t);
    assert!(!rt.speaking(), "a staff session started speech");
    let mut kiosk = session(Mode::Kiosk, "fr", &line, t);
    kiosk.dispatch(Action::Speak, t);
    assert!(kiosk.speaking(), "the same setup on a kiosk speaks");
}

/// One private tmux server, killed when dropped (its socket file too: tmux leaves it behind).
struct Tmux {
    socket: String,
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let path = self.run(&["display-message", "-p", "#{socket_path}"]);
        let path = PathBuf::from(String::from_utf8_lossy(&path.stdout).trim());
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
        if path.file_name().is_some_and(|n| n.to_string_lossy() == self.socket) {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Tmux {
    fn run(&self, args: &[&str]) -> std::process::Output {
        common::tmux(&self.socket, args)
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "wic"]).stdout).into_owned()
    }
}

#[test]
fn in_a_real_terminal_f12_starts_speech_and_the_next_key_stops_it() {
    require("tmux", &["-V"]);
    let dir = tempfile::tempdir().unwrap();
    let (line, said, pid, stopped) = talker(dir.path());
    let data = dir.path().join("data");
    wic::data_dir::DataDir::new(&data).prepare(&mut |_| {}).unwrap();
    let config = dir.path().join("config.toml");
    let toml_line = line.replace('\\', "\\\\").replace('"', "\\\"");
    std::fs::write(&config, format!("kiosk = true\nspeech_command = \"{toml_line}\"\n")).unwrap();
    static N: AtomicUsize = AtomicUsize::new(0);
    let socket = format!("wic-speech-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
    let tmux = Tmux { socket };
    let cmd = format!(
        "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 {} --data-dir {} browse --config {}; echo EXITED:$?; sleep 120",
        env!("CARGO_BIN_EXE_wic"),
        q(&data),
        q(&config)
    );
    let out = tmux.run(&["new-session", "-d", "-s", "wic", "-x", "80", "-y", "24", &cmd]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_until("Home with the speech key in its footer", || {
        let s = tmux.screen();
        assert!(!s.contains("EXITED:"), "wic exited:\n{s}");
        s.contains("F12") && s.contains("Écouter") && s.contains("♨ Se nourrir")
    });
    tmux.run(&["send-keys", "-t", "wic", "F12"]);
    wait_until("the fake speech command to get Home's themes", || {
        let text = read(&said);
        text.contains("Touche 1 : Se nourrir.") && text.contains("Touche 0 : S'entraider.")
    });
    assert!(!stopped.exists());
    tmux.run(&["send-keys", "-t", "wic", "Down"]);
    wait_until("the speech command to be stopped", || read(&stopped).contains("stopped"));
    let pid = read(&pid).trim().to_string();
    wait_until("its process to be gone", || !Path::new(&format!("/proc/{pid}")).exists());
    let screen = tmux.screen();
    assert!(!screen.contains("EXITED:"), "the kiosk runs on:\n{screen}");
}
