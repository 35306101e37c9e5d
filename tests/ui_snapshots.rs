//! Every screen rendered into ratatui's `TestBackend` at the three sizes the kiosk supports
//! (80x24, 120x40 with its preview pane, 60x18 the smallest), compared with insta snapshots
//! of the text. Each snapshot holds the Unicode render (identical in colour and monochrome,
//! which is asserted) and the ASCII render (identical in 16 colours and monochrome). What the
//! text cannot show — reverse video, colours, the QR code's cells — is asserted on the cells.
//!
//! Accept new snapshots with `INSTA_UPDATE=always cargo test --test ui_snapshots`, then read them.

mod ui_common;

use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ui_common::*;
use wic::ui::action::Action;
use wic::ui::app::{App, Filters, Mode, OpenFilter, Place, Screen};
use wic::ui::layout::LIST_TOP;
use wic::ui::palette::{Capability, Palette};
use wic::ui::runtime::Runtime;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (60, 18)];

const FULL: Palette = Palette {
    capability: Capability::Full,
    symbols: wic::ui::palette::Symbols {
        ascii: false,
        blocks: true,
        marker: "▶ ",
        bullet: "• ",
        ellipsis: "…",
        separator: " · ",
    },
};

fn palettes() -> [(&'static str, Palette); 4] {
    [
        ("full", Palette::new(Capability::Full, false)),
        ("mono", Palette::new(Capability::Mono, false)),
        ("ascii16", Palette::new(Capability::Ansi16, true)),
        ("asciimono", Palette::new(Capability::Mono, true)),
    ]
}

/// Box drawing, block elements (half blocks of the QR code), geometric shapes (▶): what a
/// Linux console font may not have.
fn is_drawing_char(c: char) -> bool {
    ('\u{2500}'..='\u{25FF}').contains(&c)
}

fn is_arrow(c: char) -> bool {
    ('\u{2190}'..='\u{21FF}').contains(&c) || c == '›'
}

/// The screen row of the selected result, if the list shows it.
fn selected_row(app: &App) -> Option<u16> {
    if !matches!(app.screen(), Screen::Results) || app.result_count() == 0 {
        return None;
    }
    let n = app.visit().selected.checked_sub(app.visit().scroll)?;
    Some(LIST_TOP + 2 * n as u16)
}

/// What must hold for one render, whatever the screen.
fn check_styles(name: &str, mode: &str, app: &App, buf: &Buffer) {
    let text = buffer_text(buf);
    let ascii = app.palette().symbols.ascii;
    if let Some(y) = selected_row(app) {
        let marker = app.palette().symbols.marker;
        assert!(
            row_text(buf, y).starts_with(marker),
            "{name}/{mode}: selected row {y} starts with {marker:?}:\n{text}"
        );
        // The marker and the name are in reverse video in every mode: never colour alone.
        // (Columns 2–3 hold the row number, drawn in the key style.)
        for x in [0, 1, 4, 5, 6, 7] {
            let cell = &buf[(x, y)];
            assert!(cell.modifier.contains(Modifier::REVERSED), "{name}/{mode}: cell ({x},{y}) {cell:?} is reversed");
        }
        if app.palette().capability == Capability::Mono {
            for x in [0, 1, 4, 5, 6, 7] {
                let cell = &buf[(x, y)];
                assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{name}/{mode}: ({x},{y}) has no colour");
            }
        }
        if app.palette().capability == Capability::Full {
            assert_eq!(buf[(0, y)].bg, Color::Indexed(231), "{name}/{mode}: selection colour");
        }
        // Only one row is selected.
        let marked = (LIST_TOP..buf.area.height).filter(|&y| row_text(buf, y).starts_with(marker)).count();
        assert_eq!(marked, 1, "{name}/{mode}: one selected row:\n{text}");
    }
    if app.palette().capability == Capability::Mono {
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let cell = &buf[(x, y)];
                assert_eq!(
                    (cell.fg, cell.bg),
                    (Color::Reset, Color::Reset),
                    "{name}/{mode}: no colour at ({x},{y}): {cell:?}"
                );
            }
        }
    }
    if ascii {
        let bad: Vec<char> = text.chars().filter(|&c| is_drawing_char(c)).collect();
        assert!(bad.is_empty(), "{name}/{mode}: drawing characters {bad:?} in ASCII mode:\n{text}");
    }
}

/// Builds the state with `setup` in every palette (the palette is fixed for a session) at
/// `w`×`h`, checks styles, and returns the snapshot text.
fn render_all(name: &str, w: u16, h: u16, t0: Instant, setup: &dyn Fn(&mut Runtime, Instant)) -> String {
    let mut texts = Vec::new();
    for (mode, palette) in palettes() {
        let mut app = app_with(Mode::Staff, palette, t0);
        app.dispatch(Action::Resize(w, h), t0);
        setup(&mut app, t0);
        let buf = render(&mut app, w, h, t0);
        check_styles(name, mode, &app, &buf);
        texts.push((mode, redact(&app, buffer_text(&buf))));
    }
    assert_eq!(texts[0].1, texts[1].1, "{name}: colour and monochrome show the same text");
    assert_eq!(texts[2].1, texts[3].1, "{name}: ASCII text is the same in 16 colours and mono");
    let frame = |t: &str| t.lines().map(|l| format!("|{l}")).collect::<Vec<_>>().join("\n");
    format!("{w}x{h} unicode (colour = mono)\n{}\n{w}x{h} ascii\n{}", frame(&texts[0].1), frame(&texts[2].1))
}

/// The About screen shows when the index was built and its generation: not reproducible.
fn redact(app: &App, text: String) -> String {
    let catalogue = app.catalogue();
    let mut text = text;
    let generation = &catalogue.generation;
    if !generation.is_empty() {
        text = text.replace(generation.as_str(), &"G".repeat(generation.chars().count()));
    }
    if let Some(date) = catalogue.built_at.get(..10) {
        text = text.replace(date, "YYYY-MM-DD");
        // The About screen writes the date in words, in the screen's language.
        if let Some(day) = wic::day::parse(date) {
            for lang in ["fr", "en"] {
                text = text.replace(&wic::i18n::Strings::load(lang).date(day), "DATE");
            }
        }
    }
    text
}

/// Builds the state of one screen (at the size it will be drawn), renders and snapshots it.
fn snapshot_screen(name: &str, setup: impl Fn(&mut Runtime, Instant)) {
    for (w, h) in SIZES {
        let t0 = Instant::now();
        let text = render_all(name, w, h, t0, &setup);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn open_result(app: &mut Runtime, query: &str, id: &str, t0: Instant) {
    type_str(app, query, t0);
    for _ in 0..app.result_count() {
        if selected_id(app).as_deref() == Some(id) {
            break;
        }
        act(app, Action::Down, t0);
    }
    assert_eq!(selected_id(app).as_deref(), Some(id), "{id} is among the results of {query:?}");
    act(app, Action::Open, t0);
    assert_eq!(app.screen(), Screen::Detail);
}

#[test]
fn home() {
    snapshot_screen("home", |_, _| {});
}

#[test]
fn results_velo() {
    snapshot_screen("results_velo", |app, t| {
        type_str(app, "velo", t);
        assert_eq!(app.screen(), Screen::Results);
    });
}

#[test]
fn results_none() {
    snapshot_screen("results_none", |app, t| {
        type_str(app, "zzzzqqq", t);
        assert_eq!(app.result_count(), 0);
    });
}

#[test]
fn theme_from_home() {
    snapshot_screen("theme_5", |app, t| {
        act(app, Action::Digit(5), t);
        assert_eq!(app.visit().filters.theme.as_deref(), Some("se-deplacer"));
    });
}

#[test]
fn detail_with_website_qr() {
    snapshot_screen("detail_qr", |app, t| open_result(app, "velo", "bicycode-fub", t));
}

#[test]
fn detail_without_website() {
    snapshot_screen("detail_noqr", |app, t| open_result(app, "velo", "velo-ecole-mdb-colombes", t));
}

#[test]
fn help() {
    snapshot_screen("help", |app, t| act(app, Action::Help, t));
}

#[test]
fn about() {
    snapshot_screen("about", |app, t| act(app, Action::About, t));
}

#[test]
fn too_small_message() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    let buf = render(&mut app, 30, 10, t0);
    let text = buffer_text(&buf);
    assert!(text.contains("Fenêtre trop petite"), "{text}");
    assert!(!text.contains("Vélo"), "nothing of the layout is drawn squeezed:\n{text}");
    insta::assert_snapshot!("too_small_30x10", text);
}

/// Home with a tile chosen by the arrows (issue #13, item 3).
#[test]
fn home_with_a_tile_chosen_by_arrows() {
    snapshot_screen("home_arrows", |app, t| {
        for a in [Action::Down, Action::Down, Action::Right] {
            act(app, a, t);
        }
    });
}

#[test]
fn english_home() {
    let t0 = Instant::now();
    let text = render_all("home_en", 80, 24, t0, &|app, t| act(app, Action::ToggleLanguage, t));
    assert!(text.contains("Getting around"), "{text}");
    insta::assert_snapshot!("home_en_80x24", text);
}

/// #17 item 2: in English, result rows and the detail page show each summary's translation
/// with its mark (kept whole on a 60-column row too); the description stays the French one.
#[test]
fn translated_summaries_in_english() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    act(&mut app, Action::ToggleLanguage, t0);
    assert_eq!(app.strings().lang, "en");
    type_str(&mut app, "velo", t0);
    let results = buffer_text(&render(&mut app, 60, 18, t0));
    assert!(results.contains("Lessons for adults to learn") && results.contains(" (translated)"), "{results}");
    assert!(!results.contains("Cours pour apprendre"), "no French summary where a translation exists");
    act(&mut app, Action::ClearQuery, t0);
    open_result(&mut app, "velo", "bicycode-fub", t0);
    let detail = buffer_text(&render(&mut app, 80, 24, t0));
    assert!(detail.contains("Bike marking against theft") && detail.contains("(translated from French)"));
    assert!(detail.contains("La Fédération française des usagers"), "the description stays French:\n{detail}");
    insta::assert_snapshot!("translated_summaries_en", format!("{results}\n--- detail\n{detail}"));
}

/// The QR code's cells: dark on light in colour (whatever the terminal's theme), reverse video
/// in monochrome, `#` in ASCII.
#[test]
fn qr_code_cells_are_scannable_in_every_mode() {
    let t0 = Instant::now();
    let detail_in = |palette: Palette| {
        let mut app = app_with(Mode::Staff, palette, t0);
        open_result(&mut app, "velo", "bicycode-fub", t0);
        app
    };
    let qr_cells = |buf: &Buffer, glyphs: &[&str]| -> Vec<(u16, u16)> {
        let mut v = Vec::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                if glyphs.contains(&buf[(x, y)].symbol()) {
                    v.push((x, y));
                }
            }
        }
        v
    };
    let mut app = detail_in(Palette::new(Capability::Full, false));
    let buf = render(&mut app, 80, 24, t0);
    let cells = qr_cells(&buf, &["█", "▀", "▄"]);
    assert!(cells.len() > 50, "a QR code is drawn at 80x24:\n{}", buffer_text(&buf));
    assert!(cells.iter().all(|&(x, _)| x >= 40), "the code sits on the right, beside the text");
    for &(x, y) in &cells {
        assert_eq!((buf[(x, y)].fg, buf[(x, y)].bg), (Color::Black, Color::White), "({x},{y})");
    }

    let mut app = detail_in(Palette::new(Capability::Mono, false));
    let buf = render(&mut app, 80, 24, t0);
    for (x, y) in qr_cells(&buf, &["█", "▀", "▄"]) {
        assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED), "({x},{y}) reversed in mono");
    }

    // ASCII modules are two columns wide: the code only fits beside the text from 90 columns.
    let mut app = detail_in(Palette::new(Capability::Mono, true));
    let buf = render(&mut app, 120, 40, t0);
    let text = buffer_text(&buf);
    assert!(text.lines().filter(|l| l.contains("######")).count() >= 10, "an ASCII QR code:\n{text}");
    assert!(!text.chars().any(is_drawing_char), "{text}");
}

/// A Linux console font has no arrows: in ASCII mode the key names should be words, as
/// gitui does in its `keys/symbols.rs`.
#[test]
fn ascii_mode_shows_no_arrows() {
    let t0 = Instant::now();
    let mut app = app_with(Mode::Staff, Palette::new(Capability::Ansi16, true), t0);
    type_str(&mut app, "velo", t0);
    for screen in ["results", "help"] {
        if screen == "help" {
            act(&mut app, Action::Help, t0);
        }
        let text = buffer_text(&render(&mut app, 80, 24, t0));
        let bad: Vec<char> = text.chars().filter(|&c| is_arrow(c)).collect();
        assert!(bad.is_empty(), "{screen}: {bad:?}\n{text}");
    }
}

/// The wide layout shows the selected initiative beside the list; narrower ones do not.
#[test]
fn preview_pane_only_from_110_columns() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    let name = app.selected_initiative().map(|i| i.name.clone()).expect("selected");
    let wide = render(&mut app, 120, 40, t0);
    // The preview's first line is the name, right of the list and of the rule between them.
    let rule_x = 120 * 55 / 100;
    assert_eq!(wide[(rule_x, LIST_TOP)].symbol(), "│", "a rule parts the list from the preview");
    let preview_x = rule_x + 2;
    let preview_top: String =
        (preview_x..120).map(|x| wide[(x, LIST_TOP)].symbol().to_string()).collect::<String>().trim_end().to_string();
    assert!(name.starts_with(preview_top.trim_end_matches('…')), "preview top {preview_top:?} vs {name:?}");
    assert!(screen_has(&wide, "CONTACT"), "{}", buffer_text(&wide));
    let narrow = render(&mut app, 80, 24, t0);
    assert!(!screen_has(&narrow, "CONTACT"), "{}", buffer_text(&narrow));
}

/// Help has no scrolling: at 80x24 its last lines (the kiosk sentence, "Appuyez sur Échap pour
/// revenir") fall under the footer, and at 60x18 half the keys do.
#[test]
fn help_fits_on_the_supported_sizes() {
    for (w, h) in [(80, 24), (60, 18)] {
        let t0 = Instant::now();
        let mut app = app_with(Mode::Kiosk, FULL, t0);
        act(&mut app, Action::Help, t0);
        let buf = render(&mut app, w, h, t0);
        for needle in ["F2", "F7", "Appuyez sur Échap pour revenir."] {
            assert!(screen_has(&buf, needle), "{w}x{h}: {needle:?} visible:\n{}", buffer_text(&buf));
        }
    }
}

/// A theme opened from Home: the counts line lists every theme of the whole catalogue
/// ("Se nourrir 69 · Se loger 20 …" above a list of 19 bike services) and, at 60 columns,
/// the open theme's own count is cut off.
#[test]
fn theme_screen_counts_line_shows_the_open_theme() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    app.dispatch(Action::Resize(60, 18), t0);
    act(&mut app, Action::Digit(5), t0);
    let buf = render(&mut app, 60, 18, t0);
    let shown = app.result_count();
    assert!(shown > 0, "theme 5 lists something");
    assert!(row_text(&buf, 3).contains(&format!("Se déplacer {shown}")), "{}", buffer_text(&buf));
}

/// The filter line never cuts a filter mid-word (it once read "F6 G" at 60 columns): filters
/// that are off give way, whole, and the ones that are on always show.
#[test]
fn filter_line_fits_60_columns() {
    let t0 = Instant::now();
    let mut app = staff_app(t0);
    type_str(&mut app, "velo", t0);
    // Set at once: F5 and F6 refuse a setting that would empty the list, and this one may.
    let filters = Filters { free: true, open: OpenFilter::Now, place: Place::OnSite, ..Filters::default() };
    act(&mut app, Action::SetFilters(filters), t0);
    let buf = render(&mut app, 60, 18, t0);
    let line = row_text(&buf, 2);
    for active in ["F5 Lieu: sur place", "F6 Gratuit: oui", "F7 Ouvert: maintenant"] {
        assert!(line.contains(active), "{active:?} missing from {line:?}");
    }
    let shown: Vec<&str> = line.split("  ").map(str::trim).filter(|g| !g.is_empty()).collect();
    for group in &shown {
        let known = ["F3 Thème", "F4 Commune", "F5 Lieu", "F6 Gratuit", "F7 Ouvert", "F8 Tri"];
        assert!(known.iter().any(|k| group.starts_with(k)), "a filter cut short: {group:?} in {line:?}");
    }
}

/// Issue #12, item 6, at the two kiosk sizes: the answer without rows, the orientation card
/// (alone, and under a short list) and close matches.
fn snapshot_kiosk_sizes(name: &str, setup: impl Fn(&mut Runtime, Instant)) {
    for (w, h) in [(80, 24), (60, 18)] {
        let t0 = Instant::now();
        let text = render_all(name, w, h, t0, &setup);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn nothing_found_with_an_orientation_card() {
    snapshot_kiosk_sizes("orientation_none", |app, t| {
        type_str(app, "medecin", t);
        assert_eq!(app.result_count(), 0, "no initiative for a doctor in the seed catalogue");
        assert!(!app.orientation_cards().is_empty());
    });
}

#[test]
fn an_orientation_card_under_a_short_list() {
    snapshot_kiosk_sizes("orientation_results", |app, t| {
        type_str(app, "docteur", t);
        assert!(app.result_count() > 0, "a loose match for 'docteur'");
        assert!(!app.orientation_cards().is_empty());
    });
}

#[test]
fn close_matches_are_headed() {
    snapshot_kiosk_sizes("results_near", |app, t| {
        type_str(app, "velo zzzz", t);
        assert!(app.result_count() > 0);
        assert!(app.near_from().is_some(), "the answer holds close matches");
    });
}

#[test]
fn close_matches_after_a_few_exact_ones() {
    snapshot_kiosk_sizes("results_near_boundary", |app, t| {
        type_str(app, "velo electrique", t);
        let near = app.near_from().expect("close matches follow");
        assert!(near > 0 && near < app.result_count(), "exact rows, then close ones: {near}");
    });
}

#[test]
fn nothing_found_with_a_theme_chosen_by_arrows() {
    snapshot_kiosk_sizes("results_none_chosen", |app, t| {
        type_str(app, "zzzqqq", t);
        for _ in 0..3 {
            act(app, Action::Down, t);
        }
        assert_eq!(app.visit().theme_choice, Some(2));
    });
}

#[test]
fn an_orientation_card_above_a_long_list() {
    snapshot_kiosk_sizes("orientation_long", |app, t| {
        type_str(app, "dormir dehors", t);
        assert!(app.result_count() >= 9, "a full page for a bed tonight");
        assert!(!app.orientation_cards().is_empty());
    });
}

/// #17: Home, a result list and a detail page in every language offered beyond French and
/// English (those have their own snapshots), at 80x24, reached with F2 as a visitor would.
/// No raw key ("search.none_for") may show: every string is translated.
#[test]
fn every_language_at_80x24() {
    for (code, _) in &wic::i18n::LANGUAGES[2..] {
        let t0 = Instant::now();
        let mut app = staff_app(t0);
        for _ in 0..wic::i18n::LANGUAGES.len() {
            if app.strings().lang == *code {
                break;
            }
            act(&mut app, Action::ToggleLanguage, t0);
        }
        assert_eq!(app.strings().lang, *code, "F2 reaches {code}");
        let home = buffer_text(&render(&mut app, 80, 24, t0));
        type_str(&mut app, "velo", t0);
        let results = buffer_text(&render(&mut app, 80, 24, t0));
        act(&mut app, Action::ClearQuery, t0);
        open_result(&mut app, "velo", "bicycode-fub", t0);
        let detail = buffer_text(&render(&mut app, 80, 24, t0));
        let text = format!("{home}\n--- velo\n{results}\n--- detail\n{detail}");
        for raw in ["search.", "keys.", "home.", "detail.", "filter.", "status.", "app."] {
            assert!(!text.contains(raw), "{code}: a raw key {raw}… on screen:\n{text}");
        }
        insta::assert_snapshot!(format!("language_{code}_80x24"), text);
    }
}
