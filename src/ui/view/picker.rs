//! The commune picker, drawn over the Results screen while it is open: its field takes the
//! search line's place, its choices the list's, its hints the footer's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::text::fit::{tail, truncate, width};
use crate::ui::app::{App, Picker, PickerFor};
use crate::ui::palette::Meaning;

/// The field: a short question, then what is typed, with the cursor after it. The question
/// gives way to the field, never the reverse.
pub fn field(frame: &mut Frame, app: &App, picker: &Picker, rect: Rect) {
    let s = app.strings();
    let p = app.palette();
    let question = match picker.purpose {
        PickerFor::Filter => s.get("picker.filter"),
        PickerFor::Near => s.get("picker.near"),
    };
    let field_room = (width(&picker.text) + 1).clamp(16, (rect.width as usize / 2).max(16));
    let label = truncate(question, (rect.width as usize).saturating_sub(field_room), p.symbols.ellipsis);
    let text = tail(&picker.text, (rect.width as usize).saturating_sub(width(&label) + 1), p.symbols.ellipsis);
    let line = Line::from(vec![
        Span::styled(label.clone(), p.style(Meaning::Title)),
        Span::styled(text.clone(), p.style(Meaning::Input)),
    ]);
    frame.render_widget(Paragraph::new(line), rect);
    frame.set_cursor_position((rect.x + (width(&label) + width(&text)) as u16, rect.y));
}

/// The choices, one a line: name (and "ici" for the kiosk's commune), postcode, and how many
/// initiatives match there once counted; the selected one highlighted.
pub fn list(frame: &mut Frame, app: &App, picker: &Picker, rect: Rect) {
    let s = app.strings();
    let p = app.palette();
    let choices = app.picker_choices();
    if choices.is_empty() {
        let text = s.fmt("picker.none", &[("text", &picker.text)]);
        frame.render_widget(Paragraph::new(text).style(p.style(Meaning::Warning)).wrap(Wrap { trim: true }), rect);
        return;
    }
    let w = rect.width as usize;
    let lines: Vec<Line> = choices
        .iter()
        .enumerate()
        .skip(picker.scroll)
        .take(rect.height as usize)
        .map(|(i, choice)| {
            let selected = i == picker.selected;
            let marker = if selected { p.symbols.marker } else { "  " };
            let (name, postcode) = match &choice.commune {
                Some(c) if app.kiosk_commune().is_some_and(|k| k.insee == c.insee) => {
                    (format!("{} ({})", c.name, s.get("picker.here")), c.postcode.clone())
                }
                Some(c) => (c.name.clone(), c.postcode.clone()),
                None => match picker.purpose {
                    PickerFor::Filter => (s.get("picker.all").to_string(), String::new()),
                    PickerFor::Near if app.kiosk_point().is_some() => {
                        (s.get("picker.near_kiosk").to_string(), String::new())
                    }
                    PickerFor::Near => (s.get("picker.near_none").to_string(), String::new()),
                },
            };
            let count = choice.count.map(|n| n.to_string()).unwrap_or_default();
            let right = columns(app, picker, &postcode, &count);
            let room = w.saturating_sub(width(&right) + 3);
            let name = truncate(&name, room, p.symbols.ellipsis);
            let pad = w.saturating_sub(2 + width(&name) + width(&right));
            let text = format!("{marker}{name}{}{right}", " ".repeat(pad));
            let style = if selected {
                p.style(Meaning::Selected)
            } else if choice.count == Some(0) {
                // Nothing there for this search: still offered (all 36 can be reached), but quiet.
                p.style(Meaning::Muted)
            } else {
                p.style(Meaning::Text)
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rect);
}

/// The right-hand columns of a line (and of the header): postcode, then the count, each
/// right-aligned under its title so a column of numbers reads down.
fn columns(app: &App, picker: &Picker, postcode: &str, count: &str) -> String {
    let s = app.strings();
    let code_w = width(s.get("picker.postcode_title")).max(5);
    let count_w = width(s.get("picker.count_title")).max(5);
    match picker.purpose {
        PickerFor::Filter => format!("{postcode:>code_w$}  {count:>count_w$}"),
        PickerFor::Near => format!("{postcode:>code_w$}"),
    }
}

/// Titles over the choices, in place of the counts line.
pub fn header(frame: &mut Frame, app: &App, picker: &Picker, rect: Rect) {
    let s = app.strings();
    let p = app.palette();
    let right = columns(app, picker, s.get("picker.postcode_title"), s.get("picker.count_title"));
    let left = format!("  {}", s.get("picker.commune_title"));
    let pad = (rect.width as usize).saturating_sub(width(&left) + width(&right));
    let line = format!("{left}{}{right}", " ".repeat(pad));
    frame.render_widget(Paragraph::new(Line::styled(line, p.style(Meaning::Muted))), rect);
}

/// The footer while the picker is open: the only keys that do something in it.
pub fn hints(frame: &mut Frame, app: &App, rect: Rect) {
    let s = app.strings();
    let p = app.palette();
    let pairs = [
        ("↑↓".to_string(), s.get("picker.choose")),
        (s.get("keys.open").to_string(), s.get("picker.confirm")),
        (s.get("keys.back").to_string(), s.get("picker.cancel")),
    ];
    let mut spans = Vec::new();
    for (key, desc) in pairs {
        spans.push(Span::styled(format!(" {} ", app.symbol_text(&key)), p.style(Meaning::Key)));
        spans.push(Span::raw(format!(" {desc}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}
