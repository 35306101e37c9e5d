//! The runtime driven with raw terminal events, as the terminal loop feeds it: keys go through
//! the admin chord and the key table, the state changes only through `App::update`, and the
//! commands that come back (search, wipe) are carried out. No terminal involved.

mod ui_common;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ui_common::{buffer_text, render, runtime_with, screen_has};
use wic::kiosk::AdminChord;
use wic::ui::app::{Mode, Screen, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// A kiosk with the default admin chord and a 30 s idle reset.
fn kiosk(t: Instant) -> Runtime {
    let setup = Setup { idle_timeout: Duration::from_secs(30), ..Setup::new(Mode::Kiosk) };
    let chord = AdminChord::parse(wic::config::DEFAULT_ADMIN_CHORD).expect("the default chord parses");
    let options = Options { chord: Some(chord), ..Options::default() };
    runtime_with(setup, Palette::new(Capability::Full, false), options, t)
}

/// Types `text` as key events, then ends the burst as the loop does.
fn type_keys(rt: &mut Runtime, text: &str, t: Instant) {
    for c in text.chars() {
        rt.event(key(KeyCode::Char(c)), t);
    }
    rt.settle(t);
}

#[test]
fn type_open_back_idle_reset_and_admin_chord() {
    let t0 = Instant::now();
    let mut rt = kiosk(t0);
    rt.event(Event::Resize(80, 24), t0);
    assert_eq!(rt.screen(), Screen::Home);

    type_keys(&mut rt, "velo", t0);
    assert_eq!(rt.screen(), Screen::Results);
    assert_eq!(rt.visit().query, "velo");
    assert!(rt.result_count() > 0, "the search ran when the burst ended");
    let first = rt.selected_initiative().map(|i| i.id.clone());

    rt.event(key(KeyCode::Down), t0);
    rt.event(key(KeyCode::Up), t0);
    rt.event(key(KeyCode::Enter), t0);
    rt.settle(t0);
    assert_eq!(rt.screen(), Screen::Detail);
    assert_eq!(rt.visit().detail.as_ref().map(|d| d.id.clone()), first);

    rt.event(key(KeyCode::Esc), t0);
    assert_eq!(rt.screen(), Screen::Results, "Esc goes back one step");
    let buf = render(&mut rt, 80, 24, t0);
    assert!(screen_has(&buf, "Recherche : velo"), "{}", buffer_text(&buf));

    // Ctrl-C, Ctrl-Z and F10 are keys to a kiosk: nothing happens.
    for e in [ctrl('c'), ctrl('z'), key(KeyCode::F(10))] {
        rt.event(e, t0);
    }
    assert!(!rt.quit_requested());

    // No input for the idle timeout: the visit is gone, and the screen must be wiped.
    let later = t0 + Duration::from_secs(31);
    rt.tick(later, ui_common::today().and_hms_opt(10, 1, 0).expect("a time"));
    assert_eq!(rt.screen(), Screen::Home);
    assert!(rt.visit().query.is_empty() && rt.visit().results.is_none());
    assert!(rt.take_wipe(), "the terminal is told to erase screen and scrollback");

    // The administrator's chord, and only it, ends a kiosk session.
    rt.event(ctrl('x'), later);
    assert!(!rt.quit_requested(), "half a chord does nothing");
    rt.event(ctrl('q'), later);
    assert!(rt.quit_requested(), "ctrl-x ctrl-q leaves the kiosk");
}

#[test]
fn a_mouse_click_is_read_only_where_the_mouse_is_on() {
    let t0 = Instant::now();
    let click = |rt: &mut Runtime, col: u16, row: u16| {
        use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        let m = MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        };
        rt.event(Event::Mouse(m), t0);
        rt.settle(t0);
    };
    // Home at 80x24: the first tile of the right-hand column is theme 6 (Travailler).
    let tile = wic::ui::layout::home_tiles(10, ratatui::layout::Rect::new(0, 0, 80, 24))[5];
    let mut off = runtime_with(Setup::new(Mode::Staff), Palette::new(Capability::Full, false), Options::default(), t0);
    off.event(Event::Resize(80, 24), t0);
    click(&mut off, tile.x + 2, tile.y);
    assert_eq!(off.screen(), Screen::Home, "without --mouse, clicks are ignored");

    let setup = Setup { mouse: true, ..Setup::new(Mode::Staff) };
    let mut on = runtime_with(setup, Palette::new(Capability::Full, false), Options::default(), t0);
    on.event(Event::Resize(80, 24), t0);
    click(&mut on, tile.x + 2, tile.y);
    assert_eq!(on.screen(), Screen::Results);
    assert_eq!(on.visit().filters.theme.as_deref(), Some("travailler"), "the tile under the pointer opened");
}
