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

/// Where each theme's tile sits, with its slug (the layout module shares the geometry with
/// mouse clicks).
pub fn tiles(app: &App, area: Rect) -> Vec<(Rect, String)> {
    let themes = &app.reference().themes;
    crate::ui::layout::home_tiles(themes.len(), area).into_iter().zip(themes.iter().map(|t| t.slug.clone())).collect()
}

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    title_bar(frame, app, area);
    let w = area.width as usize;
    let prompt = truncate(s.get("home.prompt"), w, p.symbols.ellipsis);
    frame.render_widget(
        Paragraph::new(Span::styled(prompt, p.style(Meaning::Text))),
        Rect { y: area.y + 2, height: 1, ..area },
    );

    // The search field. A search left with Esc is offered, not continued: the first letter
    // typed here starts a new search, Enter takes the previous one back.
    let caret = if p.symbols.ascii { "> " } else { "› " };
    let mut spans =
        vec![Span::raw(caret), Span::styled(app.symbol_text(s.get("search.placeholder")), p.style(Meaning::Muted))];
    if !app.visit().query.is_empty() {
        let previous = s.fmt("home.previous", &[("query", &app.visit().query)]);
        let room = (area.width as usize).saturating_sub(width(caret) + width(s.get("search.placeholder")) + 3);
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            truncate(&app.symbol_text(&previous), room, p.symbols.ellipsis),
            p.style(Meaning::Muted),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), Rect { y: area.y + 3, height: 1, ..area });
    frame.set_cursor_position((area.x + width(caret) as u16, area.y + 3));

    if let Some(error) = &app.index_error() {
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
    for (i, (rect, slug)) in tiles(app, area).into_iter().enumerate() {
        let Some(theme) = app.reference().theme(&slug) else { continue };
        // The tile chosen with the arrows: the selection marker and reverse video, never
        // colour alone.
        let chosen = app.visit().home_tile == Some(i);
        let count = app.home_counts().iter().find(|(t, _)| *t == slug).map_or(0, |(_, n)| *n);
        // The marker takes the key's leading space, so a chosen tile does not shift.
        let key =
            if chosen { format!("{}{} ", p.symbols.marker.trim_end(), theme.key) } else { format!(" {} ", theme.key) };
        let count = format!(" ({count})");
        let room = (rect.width as usize).saturating_sub(width(&key) + width(&count) + 2);
        let mut lines = vec![Line::from(vec![
            Span::styled(key, p.style(Meaning::Key)),
            Span::raw(" "),
            Span::styled(
                truncate(&super::theme_title(app, theme), room, p.symbols.ellipsis),
                p.style(if chosen { Meaning::Selected } else { Meaning::Tile }),
            ),
            Span::styled(count, p.style(Meaning::Muted)),
        ])];
        if rect.height >= 2 {
            let hint =
                truncate(super::theme_hint(app, theme), (rect.width as usize).saturating_sub(5), p.symbols.ellipsis);
            lines.push(Line::from(vec![Span::raw("    "), Span::styled(hint, p.style(Meaning::Muted))]));
        }
        frame.render_widget(Paragraph::new(lines), rect);
    }
    footer(frame, app, area);
}
