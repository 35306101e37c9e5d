//! Help (generated from the key table) and About (catalogue size and date).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{footer, title_bar};
use crate::text::fit::{truncate, width};
use crate::ui::app::App;
use crate::ui::keys;
use crate::ui::palette::Meaning;

pub fn render_help(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    title_bar(frame, app, area);
    let mut lines = vec![Line::from(Span::styled(s.get("help.title").to_string(), p.style(Meaning::Title)))];
    for l in crate::text::fit::wrap(s.get("help.intro"), area.width as usize) {
        lines.push(Line::from(l));
    }
    lines.push(Line::from(""));
    let bindings: Vec<(String, String)> =
        keys::applicable(app).map(|b| (app.symbol_text(b.key_name(app)), app.symbol_text(&b.desc_text(app)))).collect();
    let cell = |(key, desc): &(String, String), room: usize, key_width: usize| -> Vec<Span<'static>> {
        let pad = " ".repeat(key_width.saturating_sub(width(key)));
        let desc = truncate(desc, room.saturating_sub(key_width + 4), p.symbols.ellipsis);
        vec![Span::styled(format!(" {key}{pad} "), p.style(Meaning::Key)), Span::raw(format!(" {desc}"))]
    };
    // One column when it fits under the text, else two side by side.
    let intro_lines = crate::text::fit::wrap(s.get("help.intro"), area.width as usize).len();
    let kiosk_lines =
        if app.is_kiosk() { crate::text::fit::wrap(s.get("help.kiosk"), area.width as usize).len() } else { 0 };
    // Body rows left for one column: title, intro, blank, keys, blank, close, kiosk note.
    let room = (area.height as usize).saturating_sub(2 + 1 + intro_lines + 1 + 1 + 1 + kiosk_lines);
    let widest = |bs: &[(String, String)]| bs.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let two_columns = bindings.len() > room;
    if !two_columns {
        let key_width = widest(&bindings);
        for b in &bindings {
            lines.push(Line::from(cell(b, area.width as usize, key_width)));
        }
        lines.push(Line::from(""));
    } else {
        let half = bindings.len().div_ceil(2);
        let col = area.width as usize / 2;
        let (left, right) = bindings.split_at(half);
        let (lw, rw) = (widest(left), widest(right));
        for (r, b) in left.iter().enumerate() {
            let mut spans = cell(b, col, lw);
            let used: usize = spans.iter().map(|sp| width(&sp.content)).sum();
            spans.push(Span::raw(" ".repeat(col.saturating_sub(used))));
            if let Some(b) = right.get(r) {
                spans.extend(cell(b, col, rw));
            }
            lines.push(Line::from(spans));
        }
    }
    if app.is_kiosk() {
        for l in crate::text::fit::wrap(s.get("help.kiosk"), area.width as usize) {
            lines.push(Line::from(l));
        }
    }
    // The body scrolls (↑↓, PgUp/PgDn) when it is taller than the screen; how to leave stays
    // on the last line above the footer, always in view.
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(3), ..area };
    let overflow = (lines.len() as u16).saturating_sub(body.height);
    let scroll = app.help_scroll().min(overflow);
    let close = if overflow > 0 { s.get("help.close_scroll") } else { s.get("help.close") };
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
    let close_line = Rect { y: area.y + area.height.saturating_sub(2), height: 1.min(area.height), ..area };
    frame.render_widget(
        Paragraph::new(Span::styled(truncate(close, area.width as usize, p.symbols.ellipsis), p.style(Meaning::Muted))),
        close_line,
    );
    footer(frame, app, area);
}

pub fn render_about(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    title_bar(frame, app, area);
    let mut lines = vec![
        Line::from(Span::styled(s.get("about.title").to_string(), p.style(Meaning::Title))),
        Line::from(""),
        Line::from(s.get("about.text").to_string()),
        Line::from(""),
    ];
    let catalogue = app.catalogue();
    if !catalogue.generation.is_empty() {
        let staff = !app.is_kiosk();
        let built = catalogue.built_at.get(..10).unwrap_or("");
        let date = crate::day::parse(built).map_or_else(|| built.to_string(), |d| s.date(d));
        lines.push(Line::from(s.fmt("about.catalogue", &[("n", &catalogue.documents.to_string()), ("date", &date)])));
        // Technical detail for staff only; a visitor has no use for it.
        if staff {
            lines.push(Line::from(Span::styled(
                s.fmt("about.index", &[("generation", &catalogue.generation)]),
                p.style(Meaning::Muted),
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(s.get("about.honest").to_string()));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(s.get("help.close").to_string(), p.style(Meaning::Muted))));
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    footer(frame, app, area);
}
