//! The terminal interface: a synchronous loop around [`app::App`].
//!
//! `poll` waits until the next deadline (idle countdown, idle reset, index check) or input;
//! all pending input is drained and applied before one search and one redraw, and nothing is
//! drawn when nothing changed — an SSH link pays for every byte.

pub mod action;
pub mod app;
pub mod effects;

pub mod keys;
pub mod palette;
pub mod qr;

pub mod view;

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use ratatui::crossterm::{execute, terminal};

use self::action::Action;
use self::app::{App, Mode};
use self::palette::{Capability, Palette};
use crate::cli::BrowseArgs;
use crate::commands::{Failure, ProgressLine};
use crate::config::{self, Settings};
use crate::data_dir::DataDir;
use crate::i18n::Strings;
use crate::kiosk::AdminChord;
use crate::search::SearchIndex;

/// The loop wakes at least this often, to notice signals.
const MAX_WAIT: Duration = Duration::from_millis(500);

pub fn run(data: &DataDir, args: BrowseArgs) -> Result<(), Failure> {
    let (file, path) = config::load_file(args.config.as_deref()).map_err(|e| Failure::Input(e.to_string()))?;
    let settings = Settings::resolve(&args, file, path.as_deref()).map_err(|e| Failure::Input(e.to_string()))?;
    let strings = Strings::load(&settings.lang);
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        // ratatui would panic without a TTY (`ssh -T host wic`): one plain sentence instead.
        return Err(Failure::Input(strings.get("notty.message").to_string()));
    }
    let data = match &settings.data_dir {
        Some(dir) if data.root.as_os_str() == "index" => DataDir::new(dir),
        _ => data.clone(),
    };

    // First run / stale index: build before the screen opens, with a progress line. If that
    // fails, the kiosk still starts and says plainly that search is unavailable.
    let mut progress = ProgressLine::new();
    let prepared = data.prepare(&mut |s| progress.step(s));
    progress.finish();
    let index = match prepared {
        Ok(()) => SearchIndex::open(&data.search_dir()).map_err(|e| e.to_string()),
        // A stale index that could not be rebuilt (disk full, read-only directory) still
        // answers: better yesterday's catalogue than no search at all.
        Err(e) => SearchIndex::open(&data.search_dir()).map_err(|_| e.to_string()),
    };

    let palette = choose_palette(&settings);
    let mode = if settings.kiosk { Mode::Kiosk } else { Mode::Staff };
    let now = Instant::now();
    let mut app = App::new(mode, strings, palette, index, now);
    app.set_kiosk_commune(settings.commune.as_deref());
    app.idle_timeout = Duration::from_secs(settings.idle_timeout);
    app.mouse = settings.mouse;
    app.can_print = settings.print_command.is_some();
    app.can_copy = settings.osc52 && !app.is_kiosk();
    app.export_dir = settings.export_dir.clone().unwrap_or_else(|| std::path::PathBuf::from("."));
    let session = if app.is_kiosk() { crate::usage::SessionMode::Kiosk } else { crate::usage::SessionMode::Staff };
    let usage = Arc::new(Mutex::new(crate::usage::Usage::new(data.usage_path(), session)));
    let mut outside = Outside { usage: Arc::clone(&usage), settings: &settings };
    let chord = AdminChord::parse(&settings.admin_chord).map_err(Failure::Input)?;

    let signal = Arc::new(AtomicUsize::new(0));
    // A hang-up is also caught by the watchdog below: crossterm 0.29 spins inside `poll` on a
    // hung-up tty, where this flag would never be looked at.
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        // Store the signal number: the loop restores the terminal and exits with 128+n.
        let flag = Arc::clone(&signal);
        // SAFETY-free: register_conditional_default etc. are not needed; an atomic store is
        // async-signal-safe, which is all this handler does.
        signal_hook::flag::register_usize(sig, flag, sig as usize)
            .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot install signal handlers: {e}")))?;
    }

    let linux_console = std::env::var("TERM").is_ok_and(|t| t == "linux");
    let mut terminal = ratatui::init();
    install_panic_hook(settings.mouse);
    spawn_hangup_watchdog(usage);
    #[cfg(debug_assertions)]
    inject_test_panic("worker");
    if settings.mouse {
        let _ = execute!(std::io::stdout(), event::EnableMouseCapture);
    }
    let _ = execute!(std::io::stdout(), event::EnableBracketedPaste);
    let outcome = event_loop(&mut terminal, &mut app, chord, &signal, &mut outside);
    // Usage figures are a nicety: a read-only data directory must not stop anything.
    outside.flush_usage();
    restore_terminal(settings.mouse);
    if linux_console {
        // The Linux console has no alternate screen: leave it clean for the next person.
        let _ = execute!(std::io::stdout(), terminal::Clear(terminal::ClearType::All));
    }
    match outcome {
        Ok(0) => Ok(()),
        Ok(sig) => std::process::exit(128 + sig as i32),
        Err(e) => Err(Failure::Runtime(anyhow::Error::from(e).context("terminal error"))),
    }
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
                let _ = lock_usage(&usage).flush();
                std::process::exit(128 + signal_hook::consts::SIGHUP);
            }
        }
    });
    if spawned.is_err() {
        // Without the watchdog, the loop's own check still catches most hang-ups.
    }
}

fn choose_palette(settings: &Settings) -> Palette {
    let no_color = std::env::var("NO_COLOR").ok();
    if no_color.as_deref().is_some_and(|v| !v.is_empty()) {
        // crossterm 0.29 writes a reset right after reverse video when NO_COLOR is set, which
        // erases the selection (STYLE.md): force its output and use the monochrome palette.
        ratatui::crossterm::style::force_color_output(true);
    }
    let term = std::env::var("TERM").ok();
    let colorterm = std::env::var("COLORTERM").ok();
    let mut p = Palette::detect(
        term.as_deref(),
        colorterm.as_deref(),
        no_color.as_deref(),
        settings.palette == "high-contrast",
        settings.ascii,
    );
    p.capability = match settings.palette.as_str() {
        "color" => Capability::Full,
        "16" => Capability::Ansi16,
        "mono" => Capability::Mono,
        _ => p.capability,
    };
    p
}

/// The usage counters, shared by the UI thread and the hang-up watchdog. A poisoned lock
/// still holds sound counters (a panic elsewhere does not corrupt them): take them anyway.
fn lock_usage(usage: &Mutex<crate::usage::Usage>) -> std::sync::MutexGuard<'_, crate::usage::Usage> {
    usage.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the loop reaches outside the state machine: the usage counters and the settings the
/// effects need.
struct Outside<'a> {
    /// Shared with the hang-up watchdog, which flushes it before ending the process.
    usage: Arc<Mutex<crate::usage::Usage>>,
    settings: &'a Settings,
}

/// How often counted usage is written to `usage.db` (and at exit).
const USAGE_FLUSH_EVERY: Duration = Duration::from_secs(30);

impl Outside<'_> {
    /// Runs the effects `update` asked for and counts the usage events it produced.
    fn serve(&mut self, app: &mut App) {
        for effect in std::mem::take(&mut app.effects) {
            let cx = effects::Context {
                print_command: self.settings.print_command.as_deref(),
                reference: &app.reference,
                strings: &app.strings,
                now: app.now,
            };
            let (outcome, event) = effects::run(&effect, &cx, &mut std::io::stdout());
            if let Some(e) = event {
                app.usage_events.push(e);
            }
            app.update(Action::EffectDone(outcome), Instant::now());
        }
        if !app.usage_events.is_empty() {
            let mut usage = lock_usage(&self.usage);
            for e in app.usage_events.drain(..) {
                usage.record(e);
            }
        }
    }

    fn flush_usage(&self) {
        let _ = lock_usage(&self.usage).flush();
    }
}

/// Returns the signal number that ended the loop, or 0 for a normal quit.
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    mut chord: AdminChord,
    signal: &AtomicUsize,
    outside: &mut Outside,
) -> std::io::Result<usize> {
    let mut last_flush = Instant::now();
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height), Instant::now());
    let mut shown_countdown = None;
    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Ok(sig);
        }
        if terminal_hung_up(0) {
            return Ok(signal_hook::consts::SIGHUP as usize);
        }
        if app.quit {
            return Ok(0);
        }
        let now = Instant::now();
        let (clock, local_now) = local_clock();
        if clock != app.clock {
            app.clock = clock;
            app.dirty = true;
        }
        app.set_now(local_now);
        let countdown = app.idle_countdown(now);
        if countdown != shown_countdown {
            shown_countdown = countdown;
            app.dirty = true;
        }
        if app.dirty {
            if app.wiped {
                // Nothing of the last visitor may stay on screen or in the scrollback.
                // Not `terminal.clear()`: ratatui 0.30 asks the terminal for the cursor
                // position (CSI 6n) there, and fails after 2 s on one that does not answer —
                // which ended the kiosk at its first idle reset. A blank frame makes ratatui's
                // idea of the screen blank; then screen and scrollback are erased.
                terminal.draw(|_| {})?;
                let mut out = std::io::stdout();
                out.write_all(b"\x1b[H\x1b[2J\x1b[3J")?;
                out.flush()?;
                app.wiped = false;
            }
            terminal.draw(|frame| view::render(frame, app, countdown))?;
            app.dirty = false;
            #[cfg(debug_assertions)]
            inject_test_panic("ui");
        }
        let wait = app.next_deadline(now).saturating_duration_since(now).min(MAX_WAIT);
        if event::poll(wait)? {
            // Drain everything pending, then search once and draw once.
            loop {
                let ev = event::read()?;
                handle_event(app, &mut chord, ev);
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            app.settle();
        }
        app.update(Action::Tick, Instant::now());
        app.settle();
        outside.serve(app);
        if last_flush.elapsed() >= USAGE_FLUSH_EVERY {
            last_flush = Instant::now();
            outside.flush_usage();
        }
    }
}

fn handle_event(app: &mut App, chord: &mut AdminChord, ev: Event) {
    let now = Instant::now();
    match ev {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if chord.feed(&key, now) {
                app.quit = true;
                return;
            }
            if let Some(action) = keys::action_for(app, key) {
                app.update(action, now);
            } else {
                // An unbound key still proves someone is there.
                app.last_input = now;
            }
        }
        Event::Paste(text) => app.update(Action::Paste(text), now),
        Event::Resize(w, h) => app.update(Action::Resize(w, h), now),
        Event::Mouse(m) if app.mouse => match m.kind {
            MouseEventKind::Down(_) => app.update(Action::Click(m.column, m.row), now),
            MouseEventKind::ScrollUp => app.update(Action::WheelUp, now),
            MouseEventKind::ScrollDown => app.update(Action::WheelDown, now),
            _ => {}
        },
        _ => {}
    }
}

/// "HH:MM" and the local time in Paris (the kiosks' time zone), or the system's zone.
fn local_clock() -> (String, chrono::NaiveDateTime) {
    let now = crate::hours::paris_now();
    (now.format("%H:%M").to_string(), now)
}
