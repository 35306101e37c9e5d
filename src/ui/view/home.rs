//! Home: the title, a search prompt that takes the first letter typed, and one tile per theme
//! with its key and count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{footer, title_bar};
use crate::text::fit::{truncate, width};
use crate::ui::app::App;
use crate::ui::palette::Meaning;

/// Where each theme's tile sits (shared by drawing and mouse clicks).
pub fn tiles(app: &App, area: Rect) -> Vec<(Rect, String)> {
    let themes = &app.reference.themes;
    if themes.is_empty() {
        return Vec::new();
    }
    let top = area.y + 6;
    let bottom = area.y + area.height.saturating_sub(2);
    let columns: u16 = if area.width >= 100 && themes.len() > 6 { 3 } else { 2 };
    let rows = (themes.len() as u16).div_ceil(columns);
    let available = bottom.saturating_sub(top);
    let tile_h = (available / rows.max(1)).clamp(1, 3);
    let tile_w = area.width / columns;
    themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            // Fill down the first column, then the second: reading order for 1…5, 6…0.
            let col = i as u16 / rows;
            let row = i as u16 % rows;
            (Rect { x: area.x + col * tile_w, y: top + row * tile_h, width: tile_w, height: tile_h }, t.slug.clone())
        })
        .filter(|(r, _)| r.y + r.height <= bottom)
        .collect()
}

/// The theme whose tile covers screen row `row` (for a mouse click).
pub fn tile_at(app: &App, row: u16) -> Option<String> {
    let area = Rect { x: 0, y: 0, width: app.size.0, height: app.size.1 };
    tiles(app, area).into_iter().find(|(r, _)| row >= r.y && row < r.y + r.height).map(|(_, s)| s)
}

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings;
    let p = &app.palette;
    title_bar(frame, app, area);
    let w = area.width as usize;
    let prompt = truncate(s.get("home.prompt"), w, p.symbols.ellipsis);
    frame.render_widget(
        Paragraph::new(Span::styled(prompt, p.style(Meaning::Text))),
        Rect { y: area.y + 2, height: 1, ..area },
    );

    // The search field: what has been typed so far (after an Esc from Results) or a hint.
    let caret = if p.symbols.ascii { "> " } else { "› " };
    let field = if app.visit.query.is_empty() {
        Line::from(vec![
            Span::raw(caret),
            Span::styled(app.symbol_text(s.get("search.placeholder")), p.style(Meaning::Muted)),
        ])
    } else {
        Line::from(vec![Span::raw(caret), Span::styled(app.visit.query.clone(), p.style(Meaning::Input))])
    };
    frame.render_widget(Paragraph::new(field), Rect { y: area.y + 3, height: 1, ..area });
    frame.set_cursor_position((area.x + 2 + width(&app.visit.query) as u16, area.y + 3));

    if let Some(error) = &app.index_error {
        let lines = vec![
            Line::from(Span::styled(s.get("search.unavailable").to_string(), p.style(Meaning::Warning))),
            Line::from(s.get("search.unavailable_hint").to_string()),
            Line::from(Span::styled(truncate(error, w, p.symbols.ellipsis), p.style(Meaning::Muted))),
        ];
        frame.render_widget(
            Paragraph::new(lines),
            Rect { y: area.y + 5, height: 3.min(area.height.saturating_sub(6)), ..area },
        );
        footer(frame, app, area);
        return;
    }

    let label = truncate(s.get("home.or_theme"), w, p.symbols.ellipsis);
    frame.render_widget(Paragraph::new(label), Rect { y: area.y + 5, height: 1, ..area });
    for (rect, slug) in tiles(app, area) {
        let Some(theme) = app.reference.theme(&slug) else { continue };
        let count = app.home_counts.iter().find(|(t, _)| *t == slug).map_or(0, |(_, n)| *n);
        let key = format!(" {} ", theme.key);
        let count = format!(" ({count})");
        let room = (rect.width as usize).saturating_sub(width(&key) + width(&count) + 2);
        let mut lines = vec![Line::from(vec![
            Span::styled(key, p.style(Meaning::Key)),
            Span::raw(" "),
            Span::styled(truncate(theme.label(&s.lang), room, p.symbols.ellipsis), p.style(Meaning::Tile)),
            Span::styled(count, p.style(Meaning::Muted)),
        ])];
        if rect.height >= 2 {
            let hint = truncate(theme.hint(&s.lang), (rect.width as usize).saturating_sub(5), p.symbols.ellipsis);
            lines.push(Line::from(vec![Span::raw("    "), Span::styled(hint, p.style(Meaning::Muted))]));
        }
        frame.render_widget(Paragraph::new(lines), rect);
    }
    footer(frame, app, area);
}
