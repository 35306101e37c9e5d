//! Detail: everything about one initiative in readable sections, its week of opening hours,
//! and a QR code to take the website or phone number away.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::results::place_of;
use super::{footer, title_bar};
use crate::catalogue::Initiative;
use crate::hours::OpenStatus;
use crate::text::fit::{truncate, wrap};
use crate::ui::app::{App, Screen};
use crate::ui::palette::{Capability, Meaning};
use crate::ui::qr;

use crate::i18n::DAY_KEYS;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let Some(item) = app.visit().detail.as_ref() else { return };
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
    let qr_lines = qr::payload(&item.website, &item.phone).and_then(|d| qr::lines(&d, app.palette().symbols.ascii));
    let qr_width = qr_lines.as_ref().map_or(0, |l| l.first().map_or(0, |r| r.chars().count()) as u16);
    let qr_height = qr_lines.as_ref().map_or(0, |l| l.len() as u16 + 1);
    // The QR code sits on the right when both fit; otherwise after the text.
    let side = qr_width > 0 && area.width >= qr_width + 40 && body.height >= qr_height;
    let text_width = if side { area.width - qr_width - 1 } else { area.width };
    let mut lines = content(app, item, text_width as usize);
    if !side {
        lines.push(Line::from(""));
        append_qr(app, &mut lines, qr_lines.as_deref());
    }
    let text_rect = Rect { width: text_width, ..body };
    let scroll = app.visit().detail_scroll.min(lines.len().saturating_sub(body.height as usize) as u16);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), text_rect);
    if side {
        let mut q = Vec::new();
        append_qr(app, &mut q, qr_lines.as_deref());
        let rect = Rect { x: area.x + text_width + 1, width: qr_width, ..body };
        frame.render_widget(Paragraph::new(q), rect);
    }
    frame.set_cursor_position((area.x, body.y));
    debug_assert!(app.screen() == Screen::Detail);
    footer(frame, app, area);
}

/// The preview pane of wide Results screens: the same content, without the QR code.
pub fn render_preview(frame: &mut Frame, app: &App, item: &Initiative, rect: Rect) {
    let lines = content(app, item, rect.width as usize);
    frame.render_widget(Paragraph::new(lines), rect);
}

fn append_qr(app: &App, lines: &mut Vec<Line<'static>>, qr_lines: Option<&[String]>) {
    let s = &app.strings();
    match qr_lines {
        Some(rows) => {
            lines.push(Line::from(Span::styled(s.get("detail.qr").to_string(), app.palette().style(Meaning::Muted))));
            // Scanners need dark modules on a light background, whatever the terminal's theme.
            let style = match app.palette().capability {
                Capability::Mono | Capability::HighContrast => {
                    Style::default().add_modifier(ratatui::style::Modifier::REVERSED)
                }
                _ => Style::default().fg(Color::Black).bg(Color::White),
            };
            for r in rows {
                lines.push(Line::from(Span::styled(r.clone(), style)));
            }
        }
        None => lines
            .push(Line::from(Span::styled(s.get("detail.qr_none").to_string(), app.palette().style(Meaning::Muted)))),
    }
}

/// The text of the detail screen, wrapped to `width`.
pub fn content(app: &App, item: &Initiative, width: usize) -> Vec<Line<'static>> {
    let s = &app.strings();
    let p = &app.palette();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let push_wrapped = |lines: &mut Vec<Line<'static>>, text: &str, style: Style| {
        for l in wrap(text, width.max(10)) {
            lines.push(Line::from(Span::styled(l, style)));
        }
    };
    push_wrapped(&mut lines, &item.name, p.style(Meaning::Title));
    let themes: Vec<&str> =
        item.themes.iter().filter_map(|t| app.reference().theme(t)).map(|t| t.label(&s.lang)).collect();
    push_wrapped(&mut lines, &format!("{} — {}", place_of(app, item), themes.join(", ")), p.style(Meaning::Muted));
    if item.status == crate::mark::TEMPORARILY_CLOSED {
        push_wrapped(&mut lines, s.get("detail.warning_closed"), p.style(Meaning::Warning));
    } else if let Some((text, meaning)) = status_sentence(app, item) {
        push_wrapped(&mut lines, &text, p.style(meaning));
    }
    if app.mark_of(item).distance.is_some_and(|d| d.approx && d.metres < 1000.0) {
        // Measured from the commune's centre and close: a walking time would be made up.
        push_wrapped(&mut lines, s.get("status.same_commune"), p.style(Meaning::Text));
    } else if let Some(d) = app.mark_of(item).distance {
        let distance = crate::geo::describe_distance(d.metres, d.approx);
        let mut text = s.fmt("status.distance", &[("distance", &distance)]);
        text.push_str(app.palette().symbols.separator);
        text.push_str(&s.fmt("status.walk", &[("min", &crate::geo::walking_minutes(d.metres).to_string())]));
        if d.approx {
            text.push_str(&format!(" ({})", s.get("status.approx")));
        }
        push_wrapped(&mut lines, &text, p.style(Meaning::Text));
    }
    // Old information says how old, in words, to everyone; a never-checked entry is for
    // staff to confirm (a visitor can't weigh "never checked").
    match crate::day::parse(&item.updated) {
        Some(d) if crate::mark::stale(&item.updated, app.today()) => {
            push_wrapped(&mut lines, &s.fmt("status.old", &[("month", &s.month_year(d))]), p.style(Meaning::Warning));
        }
        Some(_) => {}
        None if !app.is_kiosk() => push_wrapped(&mut lines, s.get("status.never"), p.style(Meaning::Warning)),
        None => {}
    }
    lines.push(Line::from(""));
    if !item.summary.is_empty() {
        push_wrapped(&mut lines, &item.summary, p.style(Meaning::Text));
    }
    if !item.description.is_empty() {
        lines.push(Line::from(""));
        push_wrapped(&mut lines, &item.description, p.style(Meaning::Text));
    }

    section(&mut lines, app, "detail.contact");
    let field = |lines: &mut Vec<Line<'static>>, key: &str, value: &str| {
        if !value.is_empty() {
            let label = format!("{}{}", s.get(key), s.get("app.colon"));
            let room = width.saturating_sub(label.chars().count());
            let mut first = true;
            for l in wrap(value, room.max(10)) {
                let head = if first { label.clone() } else { " ".repeat(label.chars().count()) };
                first = false;
                lines.push(Line::from(vec![Span::styled(head, p.style(Meaning::Muted)), Span::raw(l)]));
            }
        }
    };
    let address = [
        item.address.as_str(),
        &item.postcode,
        app.reference().commune_by_code(&item.commune).map_or("", |c| c.name.as_str()),
    ]
    .iter()
    .filter(|x| !x.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(", ");
    field(&mut lines, "detail.address", &address);
    field(&mut lines, "detail.phone", &item.phone);
    field(&mut lines, "detail.email", &item.email);
    field(&mut lines, "detail.website", &item.website);
    if item.online {
        field(&mut lines, "detail.online_service", s.get("detail.yes"));
    }

    section(&mut lines, app, "detail.hours");
    match crate::hours::week_table(&item.opening_hours, app.today()) {
        Some(week) => {
            for day in week {
                let name = format!("{:<10}", s.get(DAY_KEYS[day.weekday]));
                let hours = if day.open.is_empty() {
                    s.get("days.closed").to_string()
                } else {
                    day.open.iter().map(|(a, b)| format!("{a}–{b}")).collect::<Vec<_>>().join(", ")
                };
                let style = if day.date == app.today() { p.style(Meaning::Highlight) } else { p.style(Meaning::Text) };
                lines.push(Line::from(vec![Span::styled(name, style), Span::styled(hours, style)]));
            }
        }
        None => push_wrapped(&mut lines, s.get(hours_unknown_key(item)), p.style(Meaning::Muted)),
    }

    section(&mut lines, app, "detail.practical");
    let practical = lines.len();
    let values = |v: &[String]| v.iter().map(|x| s.value(x).to_string()).collect::<Vec<_>>().join(", ");
    field(&mut lines, "detail.actions", &values(&item.actions));
    field(&mut lines, "detail.access", s.value(&item.access));
    field(&mut lines, "detail.price", s.value(&item.price));
    field(&mut lines, "detail.audience", &values(&item.audience));
    let languages: Vec<&str> = item.languages.iter().map(|c| s.language_name(c)).collect();
    field(&mut lines, "detail.languages", &languages.join(", "));
    field(&mut lines, "detail.accessibility", &values(&item.accessibility));
    let any_field = lines.len() > practical;
    if !item.updated.is_empty() {
        // A blank line sets the date apart from the fields; under a bare heading it would
        // look like a field is missing.
        if any_field {
            lines.push(Line::from(""));
        }
        push_wrapped(
            &mut lines,
            &s.fmt("detail.updated", &[("date", &crate::day::parse(&item.updated).map_or(item.updated.clone(), |d| s.date(d)))]),
            p.style(Meaning::Muted),
        );
    }
    field(&mut lines, "detail.source", &truncate(&item.source, 200, p.symbols.ellipsis));
    lines
}

/// "Ouvert maintenant, ferme à 18:00", "Fermé maintenant, ouvre demain 09:00"… None when the
/// hours are unknown: the hours section below says so already.
fn status_sentence(app: &App, item: &Initiative) -> Option<(String, Meaning)> {
    let s = &app.strings();
    let now = app.now();
    let when = |t: chrono::NaiveDateTime| {
        if t.date() == now.date() {
            s.fmt("status.at", &[("time", &t.format("%H:%M").to_string())])
        } else {
            let days: Vec<String> = DAY_KEYS.iter().map(|k| s.get(k).to_lowercase()).collect();
            let days: [&str; 7] = std::array::from_fn(|i| days[i].as_str());
            crate::hours::when(t, now, &days, s.get("status.tomorrow"))
        }
    };
    Some(match app.mark_of(item).status {
        OpenStatus::Open { closes: Some(t) } => (s.fmt("status.open_until", &[("time", &when(t))]), Meaning::Badge),
        OpenStatus::Open { closes: None } => (s.get("status.open_always").to_string(), Meaning::Badge),
        OpenStatus::Closed { opens: Some(t) } => (s.fmt("status.closed_until", &[("when", &when(t))]), Meaning::Text),
        OpenStatus::Closed { opens: None } => (s.get("status.closed_week").to_string(), Meaning::Text),
        OpenStatus::Unknown => return None,
    })
}

fn section(lines: &mut Vec<Line<'static>>, app: &App, key: &str) {
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(app.strings().get(key).to_uppercase(), app.palette().style(Meaning::Title))));
}

/// What a visitor can do about unknown hours with what the entry has: call, look at the
/// site, or ask at the desk ("appelez ou consultez le site" is no advice without either).
fn hours_unknown_key(item: &Initiative) -> &'static str {
    match (!item.phone.is_empty(), !item.website.is_empty()) {
        (true, true) => "detail.hours_unknown",
        (true, false) => "detail.hours_unknown_phone",
        (false, true) => "detail.hours_unknown_site",
        (false, false) => "detail.hours_unknown_none",
    }
}
