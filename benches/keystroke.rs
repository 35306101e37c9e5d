//! One keystroke at the kiosk, measured end to end: the search (through the real index), the
//! App update, and the render into ratatui's `TestBackend` at 80x24. Also prints the bytes a
//! real terminal backend writes for one keystroke — what an SSH link pays.
//!
//! Run: `cargo bench --bench keystroke` (figures in the README / issue notes).

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use wic::bench::measure::Counting;
use wic::data_dir::DataDir;
use wic::i18n::Strings;
use wic::search::SearchIndex;
use wic::ui::action::Action;
use wic::ui::app::{App, Mode, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Options, Runtime};
use wic::ui::view;

fn app(dir: &std::path::Path) -> Runtime {
    let data = DataDir::new(dir);
    data.prepare(&mut |_| {}).expect("seed data dir");
    let index = SearchIndex::open(&data.search_dir()).map_err(|e| e.to_string());
    let app =
        App::new(Setup::new(Mode::Staff), Strings::load("fr"), Palette::new(Capability::Full, false), Instant::now());
    let mut rt = Runtime::new(app, index, Options::default(), Instant::now());
    rt.dispatch(Action::Resize(80, 24), Instant::now());
    rt
}

fn type_str(app: &mut Runtime, s: &str) {
    for c in s.chars() {
        app.dispatch(Action::Type(c), Instant::now());
    }
    app.settle(Instant::now());
}

fn keystroke(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = app(dir.path());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    type_str(&mut app, "vel");
    terminal.draw(|f| view::render(f, app.app(), None)).expect("draw");

    // One keystroke: type "o" then erase it, so every iteration searches and draws.
    c.bench_function("keystroke: search + update + render 80x24 (600-ish docs)", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            if flip {
                app.dispatch(Action::Type('o'), Instant::now());
            } else {
                app.dispatch(Action::Backspace, Instant::now());
            }
            app.settle(Instant::now());
            terminal.draw(|f| view::render(f, app.app(), None)).expect("draw");
        })
    });

    // Bytes on the wire: draw "vel", then the frame after typing "o", through crossterm.
    let mut app = self::app(dir.path());
    let written = Counting::default();
    let backend = CrosstermBackend::new(written.clone());
    let mut term =
        Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) })
            .expect("terminal");
    type_str(&mut app, "vel");
    term.draw(|f| view::render(f, app.app(), None)).expect("draw");
    let first = written.0.get();
    type_str(&mut app, "o");
    term.draw(|f| view::render(f, app.app(), None)).expect("draw");
    let after = written.0.get();
    println!("bytes to the terminal: first frame {first} B, one keystroke ('vel' -> 'velo') {} B", after - first);
}

criterion_group!(benches, keystroke);
criterion_main!(benches);
