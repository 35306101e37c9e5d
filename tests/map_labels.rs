//! The map's names and marks (#13, item 12): it drew `●Sai●t-Cloude-Billancourt` and
//! `oIosy-les-Moulineaux`, dots printed over names and names over each other. On the seed
//! catalogue, for searches that put dots in many communes, every word on the map must now be
//! a commune's name, whole or visibly shortened, with marks only around it; and the cursor
//! sits on the selected dot.

mod ui_common;

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ui_common::*;
use wic::ui::action::Action;
use wic::ui::app::{Mode, Screen, Setup};
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::{Counter, Options};

#[test]
fn names_are_whole_or_shortened_never_overwritten() {
    let t = Instant::now();
    let reference = wic::catalogue::Reference::embedded().expect("reference");
    let names: Vec<String> = reference.communes.iter().map(|c| c.name.clone()).collect();
    for (palette, marks, ellipsis) in
        [(Palette::new(Capability::Full, false), "●◉✚·", "…"), (Palette::new(Capability::Mono, true), "o@X.", "...")]
    {
        for (w, h) in [(80, 24), (60, 18), (120, 40)] {
            for query in ["epicerie", "velo", "repair", "jardin", "vetements", "amap"] {
                let setup = Setup { place: Some("Nanterre".into()), ..Setup::new(Mode::Staff) };
                let options = Options { counter: Counter::Memory(Vec::new()), ..Options::default() };
                let mut app = runtime_with(setup, palette, options, t);
                app.dispatch(Action::Resize(w, h), t);
                type_str(&mut app, query, t);
                act(&mut app, Action::ToggleMap, t);
                assert_eq!(app.screen(), Screen::Map);
                let buf = render(&mut app, w, h, t);
                let text = buffer_text(&buf);
                // The map's rows: below the legend, above the two lines of words and the footer.
                for y in 2..h - 3 {
                    let row = row_text(&buf, y);
                    // Braille is background that names may cover; marks sit beside names.
                    let row: String =
                        row.chars().map(|c| if ('\u{2800}'..='\u{28FF}').contains(&c) { ' ' } else { c }).collect();
                    for word in row.split(' ').filter(|w| !w.is_empty()) {
                        assert!(
                            names_and_marks(word, &names, marks, ellipsis),
                            "{query} {w}x{h}: {word:?} is not commune names and marks:\n{text}"
                        );
                    }
                }
                // The cursor is on the selected dot, when it is on the map.
                let selected = if palette.symbols.ascii { "@" } else { "◉" };
                if (2..h - 3).any(|y| row_text(&buf, y).contains(selected)) {
                    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                    terminal.draw(|f| wic::ui::view::render(f, app.app(), None)).expect("draw");
                    let pos = terminal.backend_mut().get_cursor_position().expect("cursor");
                    assert_eq!(buf[(pos.x, pos.y)].symbol(), selected, "{query} {w}x{h}: cursor at {pos:?}:\n{text}");
                }
            }
        }
    }
}

/// Whether `word` reads as marks and commune names (whole, or at least four letters and an
/// ellipsis) one after the other: what the map may show between two blanks.
fn names_and_marks(word: &str, names: &[String], marks: &str, ellipsis: &str) -> bool {
    let rest = word.trim_start_matches(|c| marks.contains(c));
    if rest.is_empty() {
        return true;
    }
    names.iter().any(|n| {
        let whole = rest.strip_prefix(n.as_str());
        let shortened = (4..n.chars().count()).find_map(|k| {
            let start: String = n.chars().take(k).collect();
            rest.strip_prefix(&format!("{start}{ellipsis}"))
        });
        [whole, shortened].into_iter().flatten().any(|after| names_and_marks(after, names, marks, ellipsis))
    })
}
