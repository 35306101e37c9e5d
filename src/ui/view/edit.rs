//! The moderators' form (issue #14): every field of one initiative, the cursor's field
//! highlighted, each problem of the import's validation beside its field as it is typed, and
//! the opening hours previewed as a week while the cursor is on them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::review::field_label;
use super::{footer, title_bar};
use crate::catalogue::model::FIELDS;
use crate::i18n::DAY_KEYS;
use crate::text::fit::{truncate, width};
use crate::ui::app::App;
use crate::ui::palette::Meaning;

/// Width of the field names' column.
const LABEL: usize = 15;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let Some(edit) = &app.moderation().edit else { return };
    let s = app.strings();
    let p = app.palette();
    let w = area.width as usize;
    let row = |y: u16| Rect { y: area.y + y, height: 1, ..area };
    let form = &edit.form;
    let title = if form.base == 0 {
        s.get("edit.new_title").to_string()
    } else {
        s.fmt("edit.title", &[("name", form.value("name"))])
    };
    let version =
        if form.base == 0 { String::new() } else { s.fmt("edit.version", &[("version", &form.base.to_string())]) };
    let title = truncate(&title, w.saturating_sub(width(&version) + 1), p.symbols.ellipsis);
    let pad = w.saturating_sub(width(&title) + width(&version));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, p.style(Meaning::Title)),
            Span::raw(" ".repeat(pad)),
            Span::styled(version, p.style(Meaning::Muted)),
        ])),
        row(1),
    );
    // What the last save did, or the form's problem count.
    let status = match (&edit.status, edit.problems.len()) {
        (Some((text, failed)), _) => Some((text.clone(), *failed)),
        (None, 0) => None,
        (None, n) => Some((s.fmt("edit.invalid", &[("n", &n.to_string())]), true)),
    };
    let mut top = 2;
    if let Some((text, failed)) = status {
        let style = p.style(if failed { Meaning::Warning } else { Meaning::Badge });
        let lines = if width(&text) > w { 2 } else { 1 };
        frame.render_widget(
            Paragraph::new(text).style(style).wrap(Wrap { trim: true }),
            Rect { y: area.y + 2, height: lines, ..area },
        );
        top += lines;
    }

    // The week's hours, under the fields, while the cursor is on them.
    let on_hours = FIELDS[form.field] == "opening_hours";
    let week = if on_hours { crate::hours::week_table(form.value("opening_hours"), app.today()) } else { None };
    let week_rows = if week.is_some() { 8 } else { 0 };
    let body_height = area.height.saturating_sub(top + 2 + week_rows) as usize;

    // Each field one line; a field with problems gets one line per problem under it.
    let mut lines: Vec<(Line, bool)> = Vec::new();
    for (i, field) in FIELDS.iter().enumerate() {
        let current = i == form.field;
        let marker = if current { p.symbols.marker } else { "  " };
        let label = format!("{marker}{:<LABEL$}", truncate(field_label(app, field), LABEL - 1, p.symbols.ellipsis));
        let value = &form.values[i];
        let cursor = if current { "_" } else { "" };
        let room = w.saturating_sub(width(&label) + 1);
        // The end of a long value is where typing happens: show that end.
        let shown = format!("{value}{cursor}");
        let shown = if current && width(&shown) > room {
            let chars: Vec<char> = shown.chars().collect();
            let keep = room.saturating_sub(width(p.symbols.ellipsis));
            format!("{}{}", p.symbols.ellipsis, chars[chars.len().saturating_sub(keep)..].iter().collect::<String>())
        } else {
            truncate(&shown, room, p.symbols.ellipsis)
        };
        let style = if current { p.style(Meaning::Input) } else { p.style(Meaning::Text) };
        lines.push((
            Line::from(vec![
                Span::styled(label, if current { p.style(Meaning::Selected) } else { p.style(Meaning::Muted) }),
                Span::raw(" "),
                Span::styled(shown, style),
            ]),
            current,
        ));
        for problem in edit.problems.iter().filter(|pr| pr.field == *field) {
            let reason = super::reasons::reason_text(app.strings(), &problem.reason);
            let text = format!("{:>w$}{} {reason}", "", if p.symbols.ascii { "!" } else { "⚠" }, w = LABEL + 3);
            lines.push((Line::styled(truncate(&text, w, p.symbols.ellipsis), p.style(Meaning::Warning)), current));
        }
    }
    // Scroll so the cursor's field (and its problems) stay in view.
    let cursor_line = lines.iter().position(|(_, c)| *c).unwrap_or(0);
    let first = cursor_line
        .saturating_sub(body_height.saturating_sub(3).max(1) / 2)
        .min(lines.len().saturating_sub(body_height));
    for (n, (line, _)) in lines.into_iter().skip(first).take(body_height).enumerate() {
        frame.render_widget(Paragraph::new(line), Rect { y: area.y + top + n as u16, height: 1, ..area });
    }

    if let Some(week) = week {
        let y0 = area.y + top + body_height as u16;
        frame.render_widget(
            Paragraph::new(Line::styled(s.get("edit.week").to_string(), p.style(Meaning::Title))),
            Rect { y: y0, height: 1, ..area },
        );
        for (n, day) in week.iter().enumerate().take(7) {
            let hours: Vec<String> = day.open.iter().map(|(a, b)| format!("{a}–{b}")).collect();
            let hours = if hours.is_empty() { s.get("days.closed").to_string() } else { hours.join(", ") };
            let text = format!("  {:<10} {hours}", s.get(DAY_KEYS[day.weekday]));
            frame.render_widget(
                Paragraph::new(Line::styled(truncate(&text, w, p.symbols.ellipsis), p.style(Meaning::Text))),
                Rect { y: y0 + 1 + n as u16, height: 1, ..area },
            );
        }
    }
    footer(frame, app, area);
}
