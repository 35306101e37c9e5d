//! Help (generated from the key table) and About (catalogue size and date).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{footer, title_bar};
use crate::ui::app::App;
use crate::ui::keys;
use crate::ui::palette::Meaning;
use crate::ui::textfit::width;

pub fn render_help(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings;
    let p = &app.palette;
    title_bar(frame, app, area);
    let mut lines = vec![
        Line::from(Span::styled(s.get("help.title").to_string(), p.style(Meaning::Title))),
        Line::from(s.get("help.intro").to_string()),
        Line::from(""),
    ];
    let key_width = keys::applicable(app.mode).map(|b| width(s.get(b.label))).max().unwrap_or(0);
    for b in keys::applicable(app.mode) {
        let key = s.get(b.label);
        let pad = " ".repeat(key_width.saturating_sub(width(key)));
        lines.push(Line::from(vec![
            Span::styled(format!(" {key}{pad} "), p.style(Meaning::Key)),
            Span::raw(format!("  {}", s.get(b.desc))),
        ]));
    }
    lines.push(Line::from(""));
    if app.is_kiosk() {
        lines.push(Line::from(s.get("help.kiosk").to_string()));
    }
    lines.push(Line::from(Span::styled(s.get("help.close").to_string(), p.style(Meaning::Muted))));
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    footer(frame, app, area);
}

pub fn render_about(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings;
    let p = &app.palette;
    title_bar(frame, app, area);
    let mut lines = vec![
        Line::from(Span::styled(s.get("about.title").to_string(), p.style(Meaning::Title))),
        Line::from(""),
        Line::from(s.get("about.text").to_string()),
        Line::from(""),
    ];
    if let Some(index) = &app.index {
        let meta = index.meta();
        let date = meta.built_at.get(..10).unwrap_or("").to_string();
        lines.push(Line::from(s.fmt("about.catalogue", &[("n", &meta.documents.to_string()), ("date", &date)])));
        lines.push(Line::from(Span::styled(
            s.fmt("about.index", &[("generation", index.generation())]),
            p.style(Meaning::Muted),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(s.get("about.honest").to_string()));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(s.get("help.close").to_string(), p.style(Meaning::Muted))));
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    footer(frame, app, area);
}
