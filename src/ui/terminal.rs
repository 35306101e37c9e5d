//! The real terminal and the loop around the [`Runtime`]: raw mode, the alternate screen,
//! signals, hang-ups, and `poll` until the next deadline (idle countdown, idle reset, index
//! check, a finished print) or input. All pending input is drained before one search and one
//! frame, and nothing is drawn when nothing changed — an SSH link pays for every byte.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{execute, terminal};
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::app::{App, Setup};
use super::layout;
use super::palette::Palette;
use super::runtime::{self, Counter, Options, Runtime};
use super::view;
use crate::i18n::Strings;
use crate::kiosk::AdminChord;
use crate::search::SearchIndex;
use crate::usage::Usage;

/// The loop wakes at least this often, to notice signals.
const MAX_WAIT: Duration = Duration::from_millis(500);
/// While a print or a file write is under way, the loop looks for its outcome this often.
const EFFECT_POLL: Duration = Duration::from_millis(50);
/// How often counted usage is written to `usage.db` (by its own thread, and at exit).
const USAGE_FLUSH_EVERY: Duration = Duration::from_secs(30);

/// Everything a session needs, resolved by the caller from the configuration.
pub struct Launch {
    pub setup: Setup,
    pub strings: Strings,
    pub palette: Palette,
    /// The live index, or why it could not be opened (the kiosk still starts and says so).
    pub index: Result<SearchIndex, String>,
    pub print_command: Option<String>,
    /// The kiosk's way out; `None` for staff sessions.
    pub chord: Option<AdminChord>,
    /// The session's usage counters (`usage.db`).
    pub usage: Usage,
    /// Where reports, the review queue and edits go (None: not offered).
    pub seat: Option<super::desk::Seat>,
    /// What reads the screen aloud (kiosks with speech only).
    pub speech: Option<crate::speech::SpeechCommand>,
}

/// Runs a session on the terminal until it quits. Returns the signal that ended it, or 0.
pub fn run(launch: Launch) -> std::io::Result<usize> {
    let Launch { setup, strings, palette, index, print_command, chord, usage, seat, speech } = launch;
    let mouse = setup.mouse;
    let now = Instant::now();
    let usage = Arc::new(Mutex::new(usage));
    let app = App::new(setup, strings, palette, now);
    let options = Options { print_command, chord, counter: Counter::Store(Arc::clone(&usage)), seat, speech };
    let mut rt = Runtime::new(app, index, options, now);

    let signal = Arc::new(AtomicUsize::new(0));
    // A hang-up is also caught by the watchdog below: crossterm 0.29 spins inside `poll` on a
    // hung-up tty, where this flag would never be looked at.
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        // Store the signal number: the loop restores the terminal and exits with 128+n. An
        // atomic store is async-signal-safe, which is all this handler does.
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }

    let linux_console = std::env::var("TERM").is_ok_and(|t| t == "linux");
    let mut terminal = open_terminal()?;
    install_panic_hook(mouse);
    spawn_hangup_watchdog(Arc::clone(&usage));
    spawn_usage_flusher(usage);
    #[cfg(debug_assertions)]
    inject_test_panic("worker");
    if mouse {
        let _ = execute!(std::io::stdout(), event::EnableMouseCapture);
    }
    let _ = execute!(std::io::stdout(), event::EnableBracketedPaste);
    let outcome = event_loop(&mut terminal, &mut rt, &signal);
    // Usage figures are a nicety: a read-only data directory must not stop anything.
    rt.flush_usage();
    restore_terminal(mouse);
    if linux_console {
        // The Linux console has no alternate screen: leave it clean for the next person.
        let _ = execute!(std::io::stdout(), terminal::Clear(terminal::ClearType::All));
    }
    outcome
}

/// Returns the signal number that ended the loop, or 0 for a normal quit.
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    rt: &mut Runtime,
    signal: &AtomicUsize,
) -> std::io::Result<usize> {
    let size = terminal.size()?;
    let mut drawn = layout::drawn_area(size.width, size.height);
    rt.dispatch(super::action::Action::Resize(drawn.width, drawn.height), Instant::now());
    let mut shown_countdown = None;
    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Ok(sig);
        }
        if terminal_hung_up(0) {
            return Ok(signal_hook::consts::SIGHUP as usize);
        }
        if rt.quit_requested() {
            return Ok(0);
        }
        let now = Instant::now();
        rt.tick(now, crate::hours::paris_now());
        let countdown = rt.idle_countdown(now);
        let mut dirty = rt.take_dirty();
        if countdown != shown_countdown {
            shown_countdown = countdown;
            dirty = true;
        }
        if dirty {
            if rt.take_wipe() {
                // Nothing of the last visitor may stay on screen or in the scrollback.
                // Not `terminal.clear()`: ratatui 0.30 asks the terminal for the cursor
                // position (CSI 6n) there, and fails after 2 s on one that does not answer —
                // which ended the kiosk at its first idle reset. A blank frame makes ratatui's
                // idea of the screen blank; then screen and scrollback are erased.
                terminal.draw(|_| {})?;
                let mut out = std::io::stdout();
                out.write_all(b"\x1b[H\x1b[2J\x1b[3J")?;
                out.flush()?;
            }
            terminal.draw(|frame| view::render(frame, rt.app(), countdown))?;
            #[cfg(debug_assertions)]
            inject_test_panic("ui");
        }
        let bytes = rt.take_terminal_bytes();
        if !bytes.is_empty() {
            let mut out = std::io::stdout();
            out.write_all(&bytes)?;
            out.flush()?;
        }
        let mut wait = rt.next_deadline(now).saturating_duration_since(now).min(MAX_WAIT);
        if rt.effects_pending() > 0 {
            wait = wait.min(EFFECT_POLL);
        }
        if event::poll(wait)? {
            // Drain everything pending, then search once and draw once.
            loop {
                let ev = match event::read()? {
                    // The frame is capped and centred in a huge window: the runtime sees the
                    // drawn area, and clicks relative to it.
                    Event::Resize(w, h) => {
                        drawn = layout::drawn_area(w, h);
                        // The frame may have moved (centred in a huge window): nothing of the
                        // old one may stay outside the new.
                        execute!(std::io::stdout(), terminal::Clear(terminal::ClearType::All))?;
                        terminal.resize(drawn)?;
                        Event::Resize(drawn.width, drawn.height)
                    }
                    Event::Mouse(mut m) => {
                        m.column = m.column.saturating_sub(drawn.x);
                        m.row = m.row.saturating_sub(drawn.y);
                        Event::Mouse(m)
                    }
                    other => other,
                };
                rt.event(ev, Instant::now());
                if rt.quit_requested() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            rt.settle(Instant::now());
        }
    }
}

/// Raw mode, the alternate screen, and a terminal whose frame is never larger than
/// [`layout::MAX_WIDTH`] × [`layout::MAX_HEIGHT`] (a fixed viewport, moved on every resize,
/// instead of ratatui's full-screen one, which sizes its buffers to the window).
fn open_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    terminal::enable_raw_mode()?;
    execute!(std::io::stdout(), terminal::EnterAlternateScreen)?;
    let (w, h) = terminal::size()?;
    let options = TerminalOptions { viewport: Viewport::Fixed(layout::drawn_area(w, h)) };
    Terminal::with_options(CrosstermBackend::new(std::io::stdout()), options)
}

/// Writes the counted usage every [`USAGE_FLUSH_EVERY`], off the UI thread: a slow disk must
/// not freeze the screen. The UI thread only adds to the counters in memory.
fn spawn_usage_flusher(usage: Arc<Mutex<Usage>>) {
    let _ = std::thread::Builder::new().name("usage-flush".into()).spawn(move || {
        loop {
            std::thread::sleep(USAGE_FLUSH_EVERY);
            let _ = runtime::lock(&usage).flush();
        }
    });
}

/// Leaves the terminal as we found it: bracketed paste and mouse reporting off, raw mode off,
/// main screen, cursor shown. Safe to call twice (the panic hook may run after a normal exit
/// started) and when the terminal is gone (errors are ignored).
fn restore_terminal(mouse: bool) {
    let _ = execute!(std::io::stdout(), event::DisableBracketedPaste);
    if mouse {
        let _ = execute!(std::io::stdout(), event::DisableMouseCapture);
    }
    ratatui::restore();
}

/// A panic anywhere — the UI thread or any other — restores the terminal and ends the whole
/// process at once (exit code 101). Without this, a panic on another thread would leave a
/// half-alive UI, and one on the UI thread could leave a kiosk in raw mode on the alternate
/// screen. systemd restarts the kiosk (SECURITY.md).
fn install_panic_hook(mouse: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal(mouse);
        previous(info);
        std::process::exit(101);
    }));
}

/// Test-only (debug builds): `WIC_TEST_PANIC=ui` panics on the UI thread after the first frame,
/// `WIC_TEST_PANIC=worker` on another thread, to prove the panic hook (tests/security_process.rs).
#[cfg(debug_assertions)]
fn inject_test_panic(place: &str) {
    if std::env::var("WIC_TEST_PANIC").is_ok_and(|v| v == place) {
        if place == "worker" {
            std::thread::spawn(|| {
                std::thread::sleep(Duration::from_millis(300));
                panic!("injected test panic on a worker thread");
            });
        } else {
            panic!("injected test panic on the UI thread");
        }
    }
}

/// Whether the terminal hung up (the SSH connection dropped, the pty master was closed),
/// waiting up to `timeout_ms`. crossterm reads from standard input when it is a terminal,
/// which `run` checked.
fn terminal_hung_up(timeout_ms: i32) -> bool {
    // No events asked: poll(2) reports only hang-up and errors.
    let mut fds = [libc::pollfd { fd: libc::STDIN_FILENO, events: 0, revents: 0 }];
    // SAFETY: one valid pollfd; poll only writes `revents`.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, timeout_ms) };
    n > 0 && fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// After a hang-up, crossterm 0.29's `poll`/`read` loop forever at 100 % CPU inside one call
/// (its mio source retries a read that returns 0 or EIO), so the UI thread never comes back to
/// notice a signal. This thread watches the terminal and ends the process (exit 129, as for
/// SIGHUP) when it hangs up: there is no terminal left to restore, and the UI writes nothing
/// but the screen. It writes the usage counted since the last flush first: staff sessions end
/// this way whenever an SSH link drops, and their figures would be lost.
fn spawn_hangup_watchdog(usage: Arc<Mutex<crate::usage::Usage>>) {
    let spawned = std::thread::Builder::new().name("hangup-watchdog".into()).spawn(move || {
        loop {
            if terminal_hung_up(1000) {
                // The UI thread holds the lock only while counting or flushing, never while it
                // spins in crossterm.
                let _ = runtime::lock(&usage).flush();
                std::process::exit(128 + signal_hook::consts::SIGHUP);
            }
        }
    });
    if spawned.is_err() {
        // Without the watchdog, the loop's own check still catches most hang-ups.
    }
}
