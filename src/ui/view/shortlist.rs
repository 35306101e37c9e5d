//! Shortlist (staff): the initiatives chosen with the person being helped, in the order they
//! will be handed over, with what can be done with the list and the outcome of the last action.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::results::{place_of, prompt_line};
use super::{footer, title_bar};
use crate::text::fit::{truncate, width};
use crate::ui::app::App;
use crate::ui::palette::Meaning;

/// First row of the list.
const TOP: u16 = 3;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let s = &app.strings();
    let p = &app.palette();
    let list = &app.visit().shortlist;
    let row = |y: u16| Rect { y: area.y + y, height: 1, ..area };
    match &app.visit().prompt {
        Some(prompt) => prompt_line(frame, app, prompt, row(1)),
        None => {
            let count = s.fmt("shortlist.count", &[("n", &list.len().to_string())]);
            let title = s.get("shortlist.title");
            let pad = (area.width as usize).saturating_sub(width(title) + width(&count));
            let line = Line::from(vec![
                Span::styled(title.to_string(), p.style(Meaning::Title)),
                Span::raw(" ".repeat(pad)),
                Span::styled(count, p.style(Meaning::Muted)),
            ]);
            frame.render_widget(Paragraph::new(line), row(1));
        }
    }
    let body = Rect { y: area.y + TOP, height: area.height.saturating_sub(TOP + 2), ..area };
    if list.is_empty() {
        let text = Line::styled(s.get("shortlist.empty").to_string(), p.style(Meaning::Muted));
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), body);
    } else {
        let rows = body.height as usize;
        let selected = app.visit().shortlist_selected;
        let first = selected.saturating_sub(rows.saturating_sub(1));
        let w = area.width as usize;
        for (n, (i, item)) in list.iter().enumerate().skip(first).take(rows).enumerate() {
            let is_selected = i == selected;
            let marker = if is_selected { p.symbols.marker } else { "  " };
            let contact = if item.phone.is_empty() { item.website.as_str() } else { item.phone.as_str() };
            let head = format!("{marker}{:>2}. {} — {}", i + 1, item.name, place_of(app, item));
            let room = w.saturating_sub(width(contact) + 2);
            let head = truncate(&head, room, p.symbols.ellipsis);
            let pad = w.saturating_sub(width(&head) + width(contact));
            let style = if is_selected { p.style(Meaning::Selected) } else { p.style(Meaning::Text) };
            let line = Line::from(vec![
                Span::styled(head, style),
                Span::styled(" ".repeat(pad), style),
                Span::styled(contact.to_string(), if is_selected { style } else { p.style(Meaning::Muted) }),
            ]);
            frame.render_widget(Paragraph::new(line), Rect { y: body.y + n as u16, height: 1, ..body });
        }
    }
    if let Some((message, failed)) = &app.visit().message {
        let style = if *failed { p.style(Meaning::Warning) } else { p.style(Meaning::Badge) };
        let text = truncate(message, area.width as usize, p.symbols.ellipsis);
        frame.render_widget(Paragraph::new(Line::styled(text, style)), row(area.height.saturating_sub(2)));
    }
    footer(frame, app, area);
}
