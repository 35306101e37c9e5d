//! The review queue (staff, Ctrl-R): what needs checking, most urgent first — entries visitors
//! reported, then the oldest-checked, then those missing a phone, hours or an address — with
//! the counts of each, narrowed by the theme (F3) and commune (F4) filters.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{footer, title_bar};
use crate::review::Why;
use crate::text::fit::{truncate, width};
use crate::ui::app::App;
use crate::ui::palette::Meaning;

/// First row of the list.
const TOP: u16 = 4;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let s = app.strings();
    let p = app.palette();
    let row = |y: u16| Rect { y: area.y + y, height: 1, ..area };
    let w = area.width as usize;
    let counts = match &app.moderation().queue {
        Some(Ok((_, c))) => s.fmt(
            "review.counts",
            &[
                ("reported", &c.reported.to_string()),
                ("stale", &c.stale.to_string()),
                ("missing", &c.missing.to_string()),
            ],
        ),
        _ => String::new(),
    };
    let counts = match &app.moderation().queue {
        Some(Ok((_, c))) if c.pending > 0 => {
            format!("{} · {counts}", s.fmt("review.pending_count", &[("n", &c.pending.to_string())]))
        }
        _ => counts,
    };
    let title = s.get("review.title");
    let counts = truncate(&counts, w.saturating_sub(width(title) + 1), p.symbols.ellipsis);
    let pad = w.saturating_sub(width(title) + width(&counts)).max(1);
    let head = Line::from(vec![
        Span::styled(title.to_string(), p.style(Meaning::Title)),
        Span::raw(" ".repeat(pad)),
        Span::styled(counts, p.style(Meaning::Muted)),
    ]);
    frame.render_widget(Paragraph::new(head), row(1));
    let filters = &app.visit().filters;
    let theme = filters
        .theme
        .as_deref()
        .and_then(|t| app.reference().theme(t))
        .map(|t| super::theme_label(app, t).to_string())
        .unwrap_or_else(|| s.get("review.all").to_string());
    let commune = filters
        .commune
        .as_deref()
        .and_then(|c| app.reference().commune_by_code(c))
        .map(|c| c.name.clone())
        .unwrap_or_else(|| s.get("review.all").to_string());
    let line = s.fmt("review.filters", &[("theme", &theme), ("commune", &commune)]);
    frame.render_widget(
        Paragraph::new(Line::styled(truncate(&line, w, p.symbols.ellipsis), p.style(Meaning::Muted))),
        row(2),
    );

    let today = &app.moderation().today;
    if !today.is_empty() {
        let line = s.fmt("review.today", &[("n", &today.len().to_string()), ("changes", &today.join(" · "))]);
        frame.render_widget(
            Paragraph::new(Line::styled(truncate(&line, w, p.symbols.ellipsis), p.style(Meaning::Muted))),
            row(3),
        );
    }
    let body = Rect { y: area.y + TOP, height: area.height.saturating_sub(TOP + 2), ..area };
    let rows = app.queue_rows();
    let note = match &app.moderation().queue {
        None => Some(s.get("review.loading").to_string()),
        Some(Err(e)) => Some(s.fmt("edit.failed", &[("reason", e)])),
        Some(Ok(_)) if rows.is_empty() => Some(s.get("review.empty").to_string()),
        Some(Ok(_)) => None,
    };
    if let Some(note) = note {
        frame.render_widget(Paragraph::new(note).style(p.style(Meaning::Muted)).wrap(Wrap { trim: true }), body);
    } else {
        let height = body.height as usize;
        let selected = app.moderation().selected;
        let first = selected.saturating_sub(height.saturating_sub(1));
        for (n, (i, r)) in rows.iter().enumerate().skip(first).take(height).enumerate() {
            let is_selected = i == selected;
            let marker = if is_selected { p.symbols.marker } else { "  " };
            let why = match r.why {
                Why::Pending => {
                    let p = r.pending.as_ref().expect("a pending row holds its change");
                    let fields: Vec<&str> = crate::catalogue::history::changed_fields(&r.item, &p.item)
                        .into_iter()
                        .map(|f| field_label(app, f))
                        .collect();
                    s.fmt("review.pending", &[("who", &p.who), ("fields", &fields.join(", "))])
                }
                Why::Reported => {
                    let mut reasons: Vec<&str> = r.reports.iter().map(|x| s.get(x.reason.label_key())).collect();
                    reasons.dedup();
                    s.fmt("review.reported", &[("n", &r.reports.len().to_string()), ("reasons", &reasons.join(", "))])
                }
                Why::Stale if r.item.updated.is_empty() => s.get("review.never").to_string(),
                Why::Stale => s.fmt("review.stale", &[("date", &r.item.updated)]),
                Why::Missing => {
                    let fields: Vec<&str> = r.missing.iter().map(|f| field_label(app, f)).collect();
                    s.fmt("review.missing", &[("fields", &fields.join(", "))])
                }
            };
            let place = app.reference().commune_by_code(&r.item.commune).map(|c| c.name.as_str()).unwrap_or("");
            let name = if place.is_empty() {
                format!("{marker}{}", r.item.name)
            } else {
                format!("{marker}{} — {place}", r.item.name)
            };
            let room = w.saturating_sub(width(&why) + 2).max(w / 2);
            let name = truncate(&name, room, p.symbols.ellipsis);
            let why = truncate(&why, w.saturating_sub(width(&name) + 1), p.symbols.ellipsis);
            let pad = w.saturating_sub(width(&name) + width(&why));
            let style = if is_selected { p.style(Meaning::Selected) } else { p.style(Meaning::Text) };
            let why_style = match (is_selected, r.why) {
                (true, _) => style,
                (false, Why::Reported | Why::Pending) => p.style(Meaning::Warning),
                (false, _) => p.style(Meaning::Muted),
            };
            let line = Line::from(vec![
                Span::styled(name, style),
                Span::styled(" ".repeat(pad), style),
                Span::styled(why, why_style),
            ]);
            frame.render_widget(Paragraph::new(line), Rect { y: body.y + n as u16, height: 1, ..body });
        }
    }
    if let Some((message, failed)) = &app.visit().message {
        let style = if *failed { p.style(Meaning::Warning) } else { p.style(Meaning::Badge) };
        frame.render_widget(
            Paragraph::new(Line::styled(truncate(message, w, p.symbols.ellipsis), style)),
            row(area.height.saturating_sub(2)),
        );
    }
    footer(frame, app, area);
}

/// A catalogue field's name in the screen's language (the field's own name where none).
pub fn field_label<'a>(app: &'a App, field: &'a str) -> &'a str {
    app.strings().own(&format!("fields.{field}")).unwrap_or(field)
}
