//! Shared helpers of the terminal-UI tests (`ui_visits`, `ui_snapshots`): one data directory
//! prepared from the embedded seed catalogue per test binary, an `App` on it with a fixed clock
//! and date, and the text of a rendered `TestBackend` buffer.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;
use wic::data_dir::DataDir;
use wic::i18n::Strings;
use wic::search::SearchIndex;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Counter, Options, Runtime};

/// The seed catalogue, imported and indexed once for the whole test binary.
pub fn data_dir() -> &'static DataDir {
    static DIR: OnceLock<(tempfile::TempDir, DataDir)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data = DataDir::new(tmp.path().join("data"));
        data.prepare(&mut |_| {}).expect("preparing the data dir from the seed catalogue");
        (tmp, data)
    })
    .1
}

/// The fixed "today" of every test (a Wednesday).
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("valid date")
}

/// The seed catalogue's live index.
pub fn index() -> Result<SearchIndex, String> {
    let index = SearchIndex::open(&data_dir().search_dir()).map_err(|e| e.to_string());
    assert!(index.is_ok(), "the search index opens: {:?}", index.as_ref().err());
    index
}

/// A session in French on the seed catalogue, set up as `setup` says, with the runtime's
/// effects configured by `options`, a fixed clock and date.
pub fn runtime_with(setup: Setup, palette: Palette, options: Options, now: Instant) -> Runtime {
    let app = App::new(setup, Strings::load("fr"), palette, now);
    let mut rt = Runtime::new(app, index(), options, now);
    rt.dispatch(Action::Clock(today().and_hms_opt(10, 0, 0).expect("valid time")), now);
    rt
}

/// A session in French on the seed catalogue, with a fixed clock and date; usage is
/// counted in memory (`take_counted`).
pub fn app_with(mode: Mode, palette: Palette, now: Instant) -> Runtime {
    let options = Options { counter: Counter::Memory(Vec::new()), ..Options::default() };
    runtime_with(Setup::new(mode), palette, options, now)
}

pub fn staff_app(now: Instant) -> Runtime {
    app_with(Mode::Staff, Palette::new(Capability::Full, false), now)
}

pub fn kiosk_app(now: Instant) -> Runtime {
    app_with(Mode::Kiosk, Palette::new(Capability::Full, false), now)
}

/// Types `text` one character at a time, then runs the (coalesced) search.
pub fn type_str(app: &mut Runtime, text: &str, now: Instant) {
    for c in text.chars() {
        app.dispatch(Action::Type(c), now);
    }
    app.settle(now);
}

/// Applies one action then settles, as the run loop does after a burst of input.
pub fn act(app: &mut Runtime, action: Action, now: Instant) {
    app.dispatch(action, now);
    app.settle(now);
}

/// The id of the initiative on result row `i` (loading it if needed is the app's job).
pub fn selected_id(app: &App) -> Option<String> {
    app.selected_initiative().map(|i| i.id.clone())
}

/// Renders the session at `w`×`h` as the run loop does (a Resize first, then one draw).
pub fn render(app: &mut Runtime, w: u16, h: u16, now: Instant) -> Buffer {
    app.dispatch(wic::ui::action::Action::Resize(w, h), now);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|frame| wic::ui::view::render(frame, app.app(), None)).expect("draw");
    terminal.backend().buffer().clone()
}

/// One row of the buffer as text: wide characters once (their trailing cells skipped).
pub fn row_text(buf: &Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut x = 0;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol();
        out.push_str(sym);
        x += (sym.width() as u16).max(1);
    }
    out
}

/// The whole buffer, one line per row, trailing spaces removed (readable snapshots).
pub fn buffer_text(buf: &Buffer) -> String {
    (0..buf.area.height).map(|y| row_text(buf, y).trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

/// Whether some row of the screen contains `needle`.
pub fn screen_has(buf: &Buffer, needle: &str) -> bool {
    (0..buf.area.height).any(|y| row_text(buf, y).contains(needle))
}

pub fn data_path() -> &'static Path {
    &data_dir().root
}
