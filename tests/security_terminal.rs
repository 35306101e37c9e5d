//! Terminal safety (issue #6, items 1–4, 8, 13): a hostile catalogue (OSC title and clipboard
//! sequences, CSI, C0/C1 bytes, bidi and zero-width characters, a 500-mark combining flood,
//! invalid UTF-8) goes through the importer, every screen, the command line and the error
//! messages, and nothing but our own escape sequences reaches the terminal. Then render
//! fuzzing, key and resize storms, the idle reset, and hostile queries.

mod pty;

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use unicode_segmentation::UnicodeSegmentation;
use wic::catalogue::import::Format;
use wic::data_dir::DataDir;
use wic::i18n::Strings;
use wic::search::{SearchIndex, SearchRequest};
use wic::text::fit;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, Screen, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};

use pty::{Pty, Spawn, audit_terminal_bytes, hostile_data_dir, text_problems, wic_bin};

const HOSTILE_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/catalogue.csv");
const HOSTILE_JSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/catalogue.json");
const BAD_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile/bad.csv");
/// A clean word of each hostile record's name: proof that the record was drawn at all.
const TOKENS: [&str; 6] = ["tokosc", "tokcone", "tokbidi", "tokzalgo", "tokutf", "tokwide"];

/// The hostile corpus imported and indexed through the library, once per test binary.
fn hostile() -> &'static DataDir {
    static DIR: OnceLock<(tempfile::TempDir, DataDir)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(tmp.path().join("data"));
        let mut store = data.open_write().expect("catalogue");
        wic::catalogue::import_files(
            &mut store,
            &[HOSTILE_CSV.into()],
            &wic::catalogue::ImportOptions { format: Format::Csv, ..Default::default() },
        )
        .unwrap_or_else(|e| panic!("the hostile corpus imports: {e:?}"));
        drop(store);
        data.prepare(&mut |_| {}).expect("index");
        (tmp, data)
    })
    .1
}

fn app(mode: Mode) -> Runtime {
    let index = SearchIndex::open(&hostile().search_dir()).map_err(|e| e.to_string());
    assert!(index.is_ok(), "index opens: {:?}", index.as_ref().err());
    let setup = Setup { idle_timeout: Duration::from_secs(90), ..Setup::new(mode) };
    let app = App::new(setup, Strings::load("fr"), Palette::new(Capability::Full, false), Instant::now());
    let mut rt = Runtime::new(app, index, Options::default(), Instant::now());
    let ten = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).and_then(|d| d.and_hms_opt(10, 0, 0)).expect("a time");
    rt.dispatch(Action::Clock(ten), Instant::now());
    rt
}

/// Brings the session to `screen` through the one door, as a person would: `query` typed
/// (Detail shows the result `pick` of a hostile search instead).
fn show(app: &mut Runtime, screen: Screen, query: &str, pick: usize, now: Instant) {
    app.dispatch(Action::ClearQuery, now);
    app.settle(now);
    let text = if screen == Screen::Detail { "hostile" } else { query };
    app.dispatch(Action::Paste(text.to_string()), now);
    app.settle(now);
    app.dispatch(Action::First, now);
    for _ in 0..pick {
        app.dispatch(Action::Down, now);
    }
    match screen {
        Screen::Detail => app.dispatch(Action::Open, now),
        // Esc from the search field goes Home, the query kept in its field.
        Screen::Home => {
            app.dispatch(Action::Back, now);
            app.dispatch(Action::Back, now);
        }
        Screen::Help => app.dispatch(Action::Help, now),
        Screen::About => app.dispatch(Action::About, now),
        _ => {}
    }
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(wic_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run wic")
}

/// Every string in a JSON value.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out)
        }),
        _ => {}
    }
}

// ---- 1. The escape corpus: stored clean, drawn clean --------------------------------------

#[test]
fn hostile_corpus_is_stored_clean() {
    let store = hostile().open_read().expect("catalogue");
    let items = store.all().expect("read");
    assert_eq!(items.len(), 6, "every hostile row imports (invalid UTF-8 does not lose a row)");
    for item in &items {
        let mut all = Vec::new();
        strings(&serde_json::to_value(item).expect("json"), &mut all);
        for s in all {
            let problems = text_problems(&s);
            assert!(problems.is_empty(), "{}: stored text {s:?} is not clean: {problems:?}", item.id);
        }
    }
}

/// Sends a key, then waits until the program has drawn what it asked for (every bound key
/// redraws, and every frame writes at least the cursor position), so that no screen is
/// skipped by the loop's coalescing of pending keys, however slow the machine.
fn press(pty: &mut Pty, bytes: &[u8]) {
    let from = pty.output_len();
    pty.send(bytes);
    let deadline = Instant::now() + Duration::from_secs(5);
    while pty.output_len() == from && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    pty.settle(Duration::from_millis(80), Duration::from_secs(5));
}

#[test]
fn every_screen_of_the_hostile_corpus_writes_only_our_own_escape_sequences() {
    let dir = hostile_data_dir();
    for (cols, rows) in [(120u16, 40u16), (80, 24)] {
        for mode in ["--kiosk", "--staff"] {
            let mut pty = Pty::spawn(
                dir.path(),
                Spawn { args: vec!["browse".into(), mode.into()], cols, rows, ..Default::default() },
            );
            assert!(pty.wait_for("Hauts-de-Seine", Duration::from_secs(20)), "first frame:\n{}", pty.output_text());
            press(&mut pty, b"hostile");
            assert!(pty.wait_for("sultat", Duration::from_secs(5)), "the results screen shows");
            for _ in 0..6 {
                press(&mut pty, pty::DOWN); // moves the selection: the preview pane at 120 columns
            }
            for n in 1..=6u8 {
                press(&mut pty, b"\x1b[H"); // Home: back to the first page
                press(&mut pty, &[b'0' + n]); // opens result n: the detail screen
                press(&mut pty, b"\x1b[6~"); // PgDn through the description
                press(&mut pty, pty::ESC);
            }
            press(&mut pty, pty::F1);
            press(&mut pty, pty::ESC);
            press(&mut pty, pty::F7);
            press(&mut pty, pty::ESC);
            press(&mut pty, b"\x1bOQ"); // F2: English
            press(&mut pty, b"1");
            press(&mut pty, pty::ESC);
            pty.signal(libc::SIGTERM);
            assert!(pty.wait_exit(Duration::from_secs(5)).is_some(), "exits on SIGTERM");
            assert!(pty.wait_for("\x1b[?1049l", Duration::from_secs(5)), "restored");

            let out = pty.output();
            let text = String::from_utf8_lossy(&out);
            for token in TOKENS {
                assert!(text.contains(token), "{cols}x{rows} {mode}: the record {token} was never drawn");
            }
            assert!(text.contains("rouge"), "{cols}x{rows} {mode}: a detail screen was never drawn");
            let problems = audit_terminal_bytes(&out);
            assert!(problems.is_empty(), "{cols}x{rows} {mode}: bytes written to the terminal: {problems:#?}");
        }
    }
}

// ---- 2. Everything that is not the TUI ----------------------------------------------------

fn assert_clean_output(what: &str, out: &std::process::Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let problems = audit_terminal_bytes(bytes);
        assert!(
            problems.is_empty(),
            "{what} ({stream}) is not terminal-safe: {problems:?}\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn command_line_output_and_errors_are_terminal_safe() {
    let dir = hostile_data_dir();
    let d = dir.path();
    let search = run(d, &["search", "hostile", "--limit", "50"]);
    assert!(search.status.success(), "search: {}", String::from_utf8_lossy(&search.stderr));
    assert!(String::from_utf8_lossy(&search.stdout).contains("tokosc"), "search finds the corpus");
    assert_clean_output("wic search", &search);

    let json = run(d, &["search", "hostile", "--json", "--limit", "50"]);
    assert!(json.status.success());
    assert_clean_output("wic search --json", &json);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let mut all = Vec::new();
    strings(&parsed, &mut all);
    for s in all {
        assert!(text_problems(&s).is_empty(), "wic search --json carries {s:?}");
    }

    for format in ["csv", "json"] {
        let export = run(d, &["export", "--format", format]);
        assert!(export.status.success());
        // A CSV keeps its own line breaks; the check is on what a terminal would act on.
        assert_clean_output(&format!("wic export --format {format}"), &export);
    }

    let import_json = run(d, &["import", HOSTILE_JSON]);
    assert!(import_json.status.success(), "JSON import: {}", String::from_utf8_lossy(&import_json.stderr));
    assert_clean_output("wic import (JSON)", &import_json);
    let json_search = run(d, &["search", "tokjson", "--json"]);
    assert_clean_output("wic search after JSON import", &json_search);
    assert!(String::from_utf8_lossy(&json_search.stdout).contains("hostile-json"));

    // The administrator's reports show catalogue names too (most viewed, duplicates…).
    let check = run(d, &["check"]);
    assert_clean_output("wic check", &check);
    let check_json = run(d, &["check", "--json"]);
    assert_clean_output("wic check --json", &check_json);
    let stats = run(d, &["stats"]);
    assert!(stats.status.success(), "stats: {}", String::from_utf8_lossy(&stats.stderr));
    assert_clean_output("wic stats", &stats);

    let bad = run(d, &["import", BAD_CSV]);
    assert_eq!(bad.status.code(), Some(2), "a malformed import is refused");
    assert!(!bad.stderr.is_empty(), "and says why");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad.csv:"), "errors name the file and line");
    assert_clean_output("wic import errors", &bad);

    // Hostile text in arguments and error messages (unknown theme, bad commune).
    // (Arguments are quoted with Rust's escaping: inert text, so no PWNED marker here.)
    let theme = run(d, &["search", "x", "--theme", "\x1b]0;TITLE-ARG\x07\u{202e}"]);
    assert_eq!(theme.status.code(), Some(2));
    assert_clean_output("unknown theme error", &theme);
    let commune = run(d, &["search", "x", "--commune", "\x1b[2J\u{9b}31mX\u{202e}"]);
    assert_clean_output("unknown commune error", &commune);
    let missing = run(d, &["import", "/nonexistent/\x1b]0;TITLE-PATH\x07.csv"]);
    assert_clean_output("missing file error", &missing);

    // Nothing the program logs (it logs to standard error only) carries the corpus either:
    // every file it wrote in its data directory is checked by the privacy test.
}

// ---- 3. Render fuzzing --------------------------------------------------------------------

/// Text with many of the characters that break terminals and layouts.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\x1b]0;PWNED\x07".to_string()),
        Just("\x1b[31m".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{301}".repeat(30)),
        Just("🌞".to_string()),
        Just("界".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        "[a-zé]{1,12}",
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn sanitising_twice_equals_once(s in hostile_text()) {
        let line = wic::text::sanitize_line(&s);
        prop_assert_eq!(wic::text::sanitize_line(&line), line.clone());
        prop_assert!(text_problems(&line).is_empty(), "{:?} -> {:?}", s, line);
        let text = wic::text::sanitize_text(&s);
        prop_assert_eq!(wic::text::sanitize_text(&text), text.clone());
        let safe = wic::text::terminal_safe(&s);
        prop_assert_eq!(wic::text::terminal_safe(&safe), safe.clone());
    }

    #[test]
    fn fitting_text_never_splits_a_grapheme_nor_overflows(s in hostile_text(), max in 0usize..40) {
        let s = wic::text::sanitize_text(&s);
        let graphemes: std::collections::HashSet<&str> = s.graphemes(true).collect();
        let cut = fit::truncate(&s, max, "…");
        prop_assert!(fit::width(&cut) <= max, "truncate({:?}, {}) = {:?}", s, max, cut);
        let kept = cut.strip_suffix('…').unwrap_or(&cut);
        prop_assert!(s.starts_with(kept), "truncate keeps a prefix");
        prop_assert!(kept.graphemes(true).all(|g| graphemes.contains(g)), "truncate split a grapheme");
        for line in fit::wrap(&s, max) {
            prop_assert!(fit::width(&line) <= max.max(1), "wrap({:?}, {}) gave {:?}", s, max, line);
            prop_assert!(line.graphemes(true).all(|g| g == " " || graphemes.contains(g)), "wrap split a grapheme");
        }
    }
}

#[test]
fn a_sun_in_a_two_column_area_wraps_without_panicking() {
    // ratatui #2679: wrapping "a🌞b" in a 2-wide area panicked.
    assert_eq!(fit::wrap("a🌞b", 2), vec!["a", "🌞", "b"]);
    let mut t = Terminal::new(TestBackend::new(6, 4)).expect("terminal");
    t.draw(|f| {
        let p = ratatui::widgets::Paragraph::new("a🌞b").wrap(ratatui::widgets::Wrap { trim: true });
        f.render_widget(p, Rect::new(1, 1, 2, 3));
    })
    .expect("draw");
}

/// Problems in a rendered buffer: cells outside `area` written, forbidden characters, more
/// than one grapheme in a cell, combining floods.
fn buffer_problems(buf: &Buffer, area: Rect) -> Vec<String> {
    let mut problems = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            let inside = x >= area.x && x < area.right() && y >= area.y && y < area.bottom();
            if !inside && *cell != ratatui::buffer::Cell::EMPTY {
                problems.push(format!("cell ({x},{y}) outside {area:?} was drawn: {:?}", cell.symbol()));
            }
            let sym = cell.symbol();
            if sym.graphemes(true).count() > 1 {
                problems.push(format!("cell ({x},{y}) holds several graphemes {sym:?}"));
            }
            problems.extend(text_problems(sym).into_iter().map(|p| format!("cell ({x},{y}): {p}")));
        }
    }
    problems.truncate(5);
    problems
}

/// Draws one view of `app` into `area` of a larger buffer (a 3-cell margin all round).
fn draw_view(app: &App, area: Rect, view: usize) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(area.width + 6, area.height + 6)).expect("terminal");
    t.draw(|frame| {
        use wic::ui::view;
        match view {
            0 => view::home::render(frame, app, area),
            1 => view::results::render(frame, app, area),
            2 => view::detail::render(frame, app, area),
            3 => view::help::render_help(frame, app, area),
            4 => view::help::render_about(frame, app, area),
            5 => view::title_bar(frame, app, area),
            6 => view::footer(frame, app, area),
            _ => {
                if let Some(item) = app.selected_initiative() {
                    view::detail::render_preview(frame, app, item, area)
                }
            }
        }
    })
    .expect("draw");
    t.backend().buffer().clone()
}

/// Each view drawn into an area of a larger buffer, at every size it is made for (60x18 and
/// up): nothing is drawn outside its area. (Below 60x18 the views are never called.)
#[test]
fn every_view_at_every_size_stays_in_its_area() {
    let mut app = app(Mode::Kiosk);
    let now = Instant::now();
    app.dispatch(Action::Paste("hostile".into()), now);
    app.settle(Instant::now());
    app.dispatch(Action::Open, now);
    assert_eq!(app.screen(), Screen::Detail, "a hostile record opens");
    let app = std::cell::RefCell::new(app);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 64, ..Default::default() });
    runner
        .run(&(60u16..=300, 18u16..=100, 0usize..8, 0usize..6, hostile_text()), |(w, h, view, pick, query)| {
            // Size the app as the terminal, type arbitrary text, go to the view's screen.
            let mut app = app.borrow_mut();
            app.dispatch(Action::Resize(w, h), now);
            let screen = [Screen::Home, Screen::Results, Screen::Detail, Screen::Help, Screen::About]
                .get(view)
                .copied()
                .unwrap_or(Screen::Results);
            show(&mut app, screen, &query, pick, now);
            let area = Rect::new(3, 3, w, h);
            let buf = draw_view(&app, area, view);
            let problems = buffer_problems(&buf, area);
            prop_assert!(problems.is_empty(), "view {} at {}x{}: {:?}", view, w, h, problems);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_whole_screen_renders_at_every_size_from_0x0_to_300x100() {
    // The views are only ever called with the whole screen, from 60x18 up (below: a "please
    // enlarge" message); here every size, through the same entry point as the run loop.
    let mut app = app(Mode::Kiosk);
    let now = Instant::now();
    app.dispatch(Action::Paste("hostile".into()), now);
    app.settle(Instant::now());
    let app = std::cell::RefCell::new(app);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 64, ..Default::default() });
    let screens = [Screen::Home, Screen::Results, Screen::Detail, Screen::Help, Screen::About];
    runner
        .run(&(0u16..=300, 0u16..=100, 0usize..5, 0usize..6), |(w, h, screen, pick)| {
            let mut app = app.borrow_mut();
            app.dispatch(Action::Resize(w, h), now);
            show(&mut app, screens[screen], "hostile", pick, now);
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            t.draw(|frame| wic::ui::view::render(frame, app.app(), Some(3))).expect("draw");
            let problems = buffer_problems(t.backend().buffer(), Rect::new(0, 0, w, h));
            prop_assert!(problems.is_empty(), "{:?} at {}x{}: {:?}", app.screen(), w, h, problems);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

// ---- 4. Key and resize storms -------------------------------------------------------------

fn invariants(app: &App) -> Result<(), String> {
    let n = app.result_count();
    if app.visit().rows.len() != n {
        return Err(format!("{} loaded rows for {n} results", app.visit().rows.len()));
    }
    if n == 0 && (app.visit().selected != 0 || app.visit().scroll != 0) {
        return Err("a selection without results".into());
    }
    if n > 0 && app.visit().selected >= n {
        return Err(format!("selection {} outside the {n} results", app.visit().selected));
    }
    if app.visit().scroll > app.visit().selected {
        return Err(format!("scrolled ({}) past the selection ({})", app.visit().scroll, app.visit().selected));
    }
    if app.screen() == Screen::Detail && app.visit().detail.is_none() {
        return Err("the detail screen without an initiative".into());
    }
    if app.visit().query.chars().any(|c| c.is_control() || wic::text::is_unsafe_char(c)) {
        return Err(format!("unsafe character in the query {:?}", app.visit().query));
    }
    if app.visit().query.chars().count() > 80 {
        return Err("query longer than 80 characters".into());
    }
    if app.is_kiosk() && app.quit_requested() {
        return Err("the kiosk quit".into());
    }
    Ok(())
}

/// A small deterministic generator (xorshift): the storm is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_key(rng: &mut Rng) -> KeyEvent {
    let codes = [
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Backspace,
        KeyCode::Tab,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Delete,
    ];
    let chars =
        ['a', 'e', 'h', 'o', 's', 't', 'q', ' ', '1', '5', '0', '9', '?', 'é', '🌞', '\u{202e}', '\u{200b}', '\u{301}'];
    let code = match rng.below(4) {
        0 => codes[rng.below(codes.len() as u64) as usize],
        1 => KeyCode::F(1 + rng.below(12) as u8),
        _ => KeyCode::Char(chars[rng.below(chars.len() as u64) as usize]),
    };
    let modifiers = match rng.below(10) {
        0 => KeyModifiers::CONTROL,
        1 => KeyModifiers::SHIFT,
        2 => KeyModifiers::ALT,
        _ => KeyModifiers::NONE,
    };
    KeyEvent::new(code, modifiers)
}

#[test]
fn key_and_resize_storms_keep_the_state_sound() {
    for (mode, seed) in [(Mode::Kiosk, 0x9e37_79b9_7f4a_7c15u64), (Mode::Staff, 0x1234_5678_9abc_def1)] {
        let mut app = app(mode);
        let mut rng = Rng(seed);
        let start = Instant::now();
        let mut resizes = 0;
        let mut last = String::new();
        for step in 0..10_000u32 {
            let now = start + Duration::from_millis(step as u64 * 7);
            if step % 100 == 50 {
                let (w, h) = match resizes % 10 {
                    0 => (0, 0),
                    1 => (1, 1),
                    _ => (rng.below(301) as u16, rng.below(101) as u16),
                };
                resizes += 1;
                app.dispatch(Action::Resize(w, h), now);
            } else if step % 997 == 3 {
                app.dispatch(Action::Paste("\x1b]0;PWNED\x07 hostile \u{202e}\u{200b}épi".into()), now);
            } else {
                let key = random_key(&mut rng);
                if let Some(action) = wic::ui::keys::action_for(&app, key) {
                    last = format!("{action:?} on {:?}", app.screen());
                    app.dispatch(action, now);
                }
            }
            app.settle(Instant::now());
            if let Err(e) = invariants(&app) {
                panic!("{mode:?}, step {step}, after {last}: {e}");
            }
            if mode == Mode::Staff && app.quit_requested() {
                app = self::app(mode); // staff may quit; the storm goes on in a new session
            }
            if step % 50 == 0 {
                let (w, h) = app.size();
                let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                t.draw(|frame| wic::ui::view::render(frame, app.app(), None)).expect("draw");
                let problems = buffer_problems(t.backend().buffer(), Rect::new(0, 0, w, h));
                assert!(problems.is_empty(), "{mode:?}, step {step} at {w}x{h}: {problems:?}");
            }
        }
        assert_eq!(resizes, 100);
    }
}

// ---- 8. Idle privacy ----------------------------------------------------------------------

const SECRET: &str = "zqxprivee";

#[test]
fn the_idle_reset_leaves_nothing_of_the_visit_in_memory_or_on_screen() {
    let mut app = app(Mode::Kiosk);
    let start = Instant::now();
    app.dispatch(Action::Paste(format!("hostile {SECRET}")), start);
    app.settle(Instant::now());
    app.dispatch(Action::Backspace, start);
    for _ in 0..SECRET.len() {
        app.dispatch(Action::Backspace, start);
    }
    app.settle(Instant::now());
    app.dispatch(Action::Paste(SECRET.to_string()), start);
    app.dispatch(Action::FilterFree, start);
    app.settle(Instant::now());
    let mut shown = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    shown.draw(|f| wic::ui::view::render(f, app.app(), None)).expect("draw");
    let text = |t: &Terminal<TestBackend>| {
        let b = t.backend().buffer();
        (0..b.area.height)
            .map(|y| (0..b.area.width).map(|x| b[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(text(&shown).contains(SECRET), "the query is on screen during the visit");

    app.dispatch(Action::Tick, start + Duration::from_secs(91));
    app.settle(Instant::now());
    assert!(app.take_wipe(), "the reset asks the loop to clear the screen and the scrollback");
    assert_eq!(app.screen(), Screen::Home);
    assert!(app.visit().query.is_empty() && app.visit().results.is_none() && app.visit().rows.is_empty());
    assert!(app.visit().detail.is_none() && app.visit().filters.is_empty() && app.visit().error.is_none());
    assert_eq!((app.visit().selected, app.visit().scroll, app.visit().detail_scroll), (0, 0, 0));
    // The same terminal: ratatui diffs against the last frame; nothing of the visit may stay.
    shown.draw(|f| wic::ui::view::render(f, app.app(), None)).expect("draw");
    assert!(!text(&shown).contains(SECRET), "the query is still on screen after the reset");
    assert!(!text(&shown).contains("tokosc"), "results are still on screen after the reset");
}

/// Every file under `dir`, recursively.
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { files(&p, out) } else { out.push(p) }
        }
    }
}

#[test]
fn a_kiosk_visit_leaves_no_trace_on_disk_or_in_the_scrollback() {
    let dir = hostile_data_dir();
    let log = dir.path().join("kiosk.log");
    // The kiosk's standard error goes to the terminal; a log is whatever a supervisor keeps
    // of it, so the check covers the terminal bytes and every file in the data directory.
    let mut pty = Pty::spawn(
        dir.path(),
        Spawn {
            args: vec!["browse".into(), "--kiosk".into(), "--idle-timeout".into(), "5".into()],
            ..Default::default()
        },
    );
    assert!(pty.wait_for("Hauts-de-Seine", Duration::from_secs(20)));
    pty.send(format!("hostile {SECRET}").as_bytes());
    assert!(pty.wait_for(SECRET, Duration::from_secs(5)), "the query shows");
    let typed_at = pty.output_len();
    // After the idle timeout (5 s, the minimum) the kiosk clears screen and scrollback.
    assert!(
        pty.wait_for_after(typed_at, "\x1b[3J", Duration::from_secs(30)),
        "no scrollback clear (CSI 3J) after the idle reset"
    );
    let out = pty.output();
    let after = &out[typed_at..];
    let clear3 = after.windows(4).position(|w| w == b"\x1b[3J").expect("3J");
    assert!(pty::contains(&after[..clear3 + 4], b"\x1b[2J"), "no screen clear (CSI 2J) at the idle reset");
    pty.settle(Duration::from_millis(300), Duration::from_secs(5));
    assert!(!pty::contains(&pty.output()[typed_at + clear3..], SECRET.as_bytes()), "the query was drawn again");
    pty.signal(libc::SIGTERM);
    assert!(pty.wait_exit(Duration::from_secs(5)).is_some());
    std::fs::write(&log, pty.output()).expect("log");

    let mut all = Vec::new();
    files(dir.path(), &mut all);
    assert!(all.iter().any(|p| p.ends_with("catalogue.db")), "the data directory was searched");
    for path in all.iter().filter(|p| **p != log) {
        let bytes = std::fs::read(path).unwrap_or_default();
        assert!(!pty::contains(&bytes, SECRET.as_bytes()), "{} keeps the visitor's query", path.display());
    }
}

// ---- 13. Hostile queries ------------------------------------------------------------------

fn nasty_queries() -> Vec<String> {
    vec![
        "épicerie ".repeat(1200), // ~10 kB
        format!("{}vélo{}", "(".repeat(30), ")".repeat(30)),
        "\"vélo".into(),
        "vélo\" \"\"".into(),
        "name:vélo".into(),
        "id:hostile-osc theme:se-nourrir".into(),
        "*".into(),
        "vel*".into(),
        "vélo~2".into(),
        "~2".into(),
        "+vélo -pain".into(),
        "AND OR NOT".into(),
        "[a TO z]".into(),
        "\x1b[31mvélo\x07\0\u{9b}".into(),
        "\u{202e}\u{200b}".into(),
        "\\".into(),
        "^2".into(),
        ":".into(),
        "{}".into(),
        "/regex.*/".into(),
    ]
}

#[test]
fn hostile_queries_never_fail_nor_show_an_error() {
    let mut index = SearchIndex::open(&hostile().search_dir()).expect("index");
    for q in nasty_queries() {
        let req = SearchRequest { text: q.clone(), limit: 20, ..Default::default() };
        let r = index.search(&req);
        assert!(r.is_ok(), "search {:?} failed: {:?}", q.chars().take(40).collect::<String>(), r.err());
    }
    let mut app = app(Mode::Kiosk);
    let now = Instant::now();
    for q in nasty_queries() {
        app.dispatch(Action::ClearQuery, now);
        app.dispatch(Action::Paste(q.clone()), now);
        app.settle(Instant::now());
        assert!(app.visit().error.is_none(), "query {q:?} shows an error: {:?}", app.visit().error);
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        t.draw(|f| wic::ui::view::render(f, app.app(), None)).expect("draw");
    }
    let dir = hostile_data_dir();
    for q in nasty_queries() {
        let q = q.replace('\0', ""); // argv cannot carry NUL
        let out = run(dir.path(), &["search", &q]);
        assert!(out.status.success(), "wic search {:?}: {}", q, String::from_utf8_lossy(&out.stderr));
        assert_clean_output("wic search with a hostile query", &out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_query_is_answered(q in hostile_text()) {
        thread_local! {
            static INDEX: std::cell::RefCell<Option<SearchIndex>> = const { std::cell::RefCell::new(None) };
        }
        INDEX.with(|cell| {
            let mut cell = cell.borrow_mut();
            let index = cell.get_or_insert_with(|| SearchIndex::open(&hostile().search_dir()).expect("index"));
            let r = index.search(&SearchRequest { text: q.clone(), limit: 10, ..Default::default() });
            prop_assert!(r.is_ok(), "{:?}: {:?}", q, r.err());
            Ok(())
        })?;
    }
}
