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
use crate::hours::{OpenStatus, When};
use crate::text::fit::{truncate, wrap};
use crate::ui::app::{App, Screen};
use crate::ui::palette::{Capability, Meaning};
use crate::ui::qr;

use crate::i18n::DAY_KEYS;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let Some(item) = app.visit().detail.as_ref() else { return };
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(2), ..area };
    let qr_lines = qr::payload(&item.website, &item.phone).and_then(|d| qr::lines(&d, app.palette().symbols.blocks));
    let qr_width = qr_lines.as_ref().map_or(0, |l| l.first().map_or(0, |r| r.chars().count()) as u16);
    let qr_height = qr_lines.as_ref().map_or(0, |l| l.len() as u16 + 1);
    // The QR code sits on the right when both fit (30 columns of text beside it: a 60x18
    // kiosk still shows the code without scrolling); otherwise after the text.
    let side = qr_width > 0 && area.width >= qr_width + 30 && body.height >= qr_height;
    let text_width = if side { area.width - qr_width - 1 } else { area.width };
    let mut lines = content(app, item, text_width as usize);
    // Staff see who changed the entry last (issue #14), under its name.
    if let Some((id, Some(change))) = &app.moderation().last_change
        && *id == item.id
        && !app.is_kiosk()
    {
        let text = app.strings().fmt("edit.last_change", &[("change", change)]);
        let text = crate::text::fit::truncate(&text, text_width as usize, app.palette().symbols.ellipsis);
        lines.insert(1.min(lines.len()), Line::from(Span::styled(text, app.palette().style(Meaning::Muted))));
    }
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
    let themes: Vec<String> =
        item.themes.iter().filter_map(|t| app.reference().theme(t)).map(|t| super::theme_title(app, t)).collect();
    push_wrapped(&mut lines, &format!("{} — {}", place_of(app, item), themes.join(", ")), p.style(Meaning::Muted));
    if crate::mark::closed_for_now(item, app.now()) {
        push_wrapped(&mut lines, s.get("detail.warning_closed"), p.style(Meaning::Warning));
        if let Some(t) = app.mark_of(item).status.next_change() {
            push_wrapped(
                &mut lines,
                &s.fmt("status.reopens", &[("when", &when_words(app, t))]),
                p.style(Meaning::Text),
            );
        }
    } else if let Some((text, meaning)) = status_sentence(app, item) {
        push_wrapped(&mut lines, &text, p.style(meaning));
    }
    if app.mark_of(item).distance.is_some_and(|d| d.approx && d.metres < 1000.0) {
        // Measured from the commune's centre and close: a walking time would be made up. Say
        // from where it was measured: the kiosk, or the commune staff chose (the person's).
        let from = match &app.visit().near {
            Some(c) => s.fmt("status.from_person", &[("commune", &c.name)]),
            None => s.get("status.from_kiosk").to_string(),
        };
        push_wrapped(&mut lines, &s.fmt("status.same_commune", &[("from", &from)]), p.style(Meaning::Text));
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
    // The summary in the visitor's language when translated, said to be a translation; the
    // description below stays the French original.
    let (summary, translated) = item.summary_for(&s.lang);
    if !summary.is_empty() {
        push_wrapped(&mut lines, summary, p.style(Meaning::Text));
    }
    if translated {
        push_wrapped(&mut lines, s.get("detail.translated"), p.style(Meaning::Muted));
    }
    if !item.description.is_empty() {
        lines.push(Line::from(""));
        push_wrapped(&mut lines, &item.description, p.style(Meaning::Text));
    }

    section(&mut lines, app, "detail.contact");
    // A label and its value, the value wrapped under itself. `key` is an i18n key, or the
    // label itself when it starts with `=` (labels built at run time).
    let field = |lines: &mut Vec<Line<'static>>, key: &str, value: &str| {
        if !value.is_empty() {
            let name = key.strip_prefix('=').unwrap_or_else(|| s.get(key));
            let label = format!("{name}{}", s.get("app.colon"));
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
    // The checked form (punycode host): a look-alike domain shows as xn--…
    let website = crate::catalogue::website::checked(&item.website).unwrap_or_default();
    field(&mut lines, "detail.website", &website);
    if item.online {
        field(&mut lines, "detail.online_service", s.get("detail.yes"));
    }

    section(&mut lines, app, "detail.hours");
    match crate::hours::week_table(&item.opening_hours, app.today()) {
        Some(week) => {
            for day in week {
                let name = format!("{:<10}", s.get(DAY_KEYS[day.weekday]));
                let mut parts: Vec<String> = day.open.iter().map(|(a, b)| format!("{a}–{b}")).collect();
                // What is to be confirmed, with its times unless it is the whole day.
                if day.to_confirm == [("00:00".to_string(), "24:00".to_string())]
                    || (day.unknown && day.to_confirm.is_empty())
                {
                    parts.push(s.get("days.to_confirm").to_string());
                } else {
                    for (a, b) in &day.to_confirm {
                        parts.push(format!("{a}–{b} {}", s.get("days.to_confirm")));
                    }
                }
                let mut hours = if parts.is_empty() { s.get("days.closed").to_string() } else { parts.join(", ") };
                // Beside the day: its comments ("sur rendez-vous") and whether it is a holiday.
                let mut notes = day.comments.clone();
                if day.holiday {
                    notes.insert(0, s.get("days.holiday").to_string());
                }
                if !notes.is_empty() {
                    hours.push_str(&format!(" ({})", notes.join(", ")));
                }
                let style = if day.date == app.today() { p.style(Meaning::Highlight) } else { p.style(Meaning::Text) };
                let room = width.saturating_sub(10).max(10);
                for (n, l) in wrap(&hours, room).into_iter().enumerate() {
                    let head = if n == 0 { name.clone() } else { " ".repeat(10) };
                    lines.push(Line::from(vec![Span::styled(head, style), Span::styled(l, style)]));
                }
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
            &s.fmt(
                "detail.updated",
                &[("date", &crate::day::parse(&item.updated).map_or(item.updated.clone(), |d| s.date(d)))],
            ),
            p.style(Meaning::Muted),
        );
    }
    field(&mut lines, "detail.source", &truncate(&item.source, 200, p.symbols.ellipsis));
    // Staff see where each fact comes from, to re-check it there before passing it on.
    if !app.is_kiosk() {
        for entry in &item.sources {
            if let Some((name, url)) = entry.split_once('=') {
                let label = s.fmt("detail.source_of", &[("field", s.get(&format!("fields.{}", name.trim())))]);
                field(&mut lines, &format!("={label}"), url.trim());
            }
        }
    }
    lines
}

/// "Ouvert maintenant, ferme à 18:00", "Fermé maintenant, ouvre en juin", "Horaires à
/// confirmer (sur rendez-vous)"… None when there are no hours: the hours section says so.
pub fn status_sentence(app: &App, item: &Initiative) -> Option<(String, Meaning)> {
    let s = &app.strings();
    let status = app.mark_of(item).status;
    let (text, meaning) = match &status {
        OpenStatus::Open { closes: Some(t), .. } => {
            let far = (t.date() - app.now().date()).num_days() > 6;
            if far && t.time() == chrono::NaiveTime::MIN {
                // Open until a midnight weeks away: the last open day, "inclus".
                let last = *t - chrono::Duration::days(1);
                (s.fmt("status.open_through", &[("date", &date_words(app, last))]), Meaning::Badge)
            } else {
                (s.fmt("status.open_until", &[("time", &when_words(app, *t))]), Meaning::Badge)
            }
        }
        OpenStatus::Open { closes: None, .. } => (s.get("status.open_always").to_string(), Meaning::Badge),
        OpenStatus::Closed { opens: Some(t), .. } => {
            (s.fmt("status.closed_until", &[("when", &when_words(app, *t))]), Meaning::Text)
        }
        OpenStatus::Closed { opens: None, .. } => (s.get("status.closed_week").to_string(), Meaning::Text),
        OpenStatus::ToConfirm { .. } => (s.get("status.to_confirm_long").to_string(), Meaning::Warning),
        OpenStatus::Unknown => return None,
    };
    Some(match status.comment() {
        Some(c) => (format!("{text} ({c})"), meaning),
        None => (text, meaning),
    })
}

/// A next change in the visitor's words: "à 18:00", "demain 09:00", "lundi 09:00", "le mardi
/// 5 janvier à 09:00", "en juin".
fn when_words(app: &App, t: chrono::NaiveDateTime) -> String {
    let s = &app.strings();
    // "lundi 09:00", "Monday 09:00": day names take no capital in French only.
    let day = |n: usize| lower_mid_sentence(app, s.get(DAY_KEYS[n]));
    let month = |m: u32| s.get("page.months").split(',').map(str::trim).nth(m as usize - 1).unwrap_or("").to_string();
    // "1er juin" in French.
    let number = |n: u32| if n == 1 { s.get("page.first_day").to_string() } else { n.to_string() };
    match crate::hours::when_of(t, app.now()) {
        When::Today(time) => s.fmt("status.at", &[("time", &time)]),
        When::Tomorrow(time) => format!("{} {time}", s.get("status.tomorrow")),
        When::ThisWeek(d, time) => format!("{} {time}", day(d)),
        When::Date { weekday, day: n, month: m, time: Some(time) } => s.fmt(
            "status.on_date_at",
            &[("weekday", &day(weekday)), ("day", &number(n)), ("month", &month(m)), ("time", &time)],
        ),
        When::Date { weekday, day: n, month: m, time: None } => {
            s.fmt("status.on_date", &[("weekday", &day(weekday)), ("day", &number(n)), ("month", &month(m))])
        }
        When::Month(m) => s.fmt("status.in_month", &[("month", &month(m))]),
    }
}

/// "lundi 4 janvier" (the date alone, for "jusqu'au … inclus").
fn date_words(app: &App, t: chrono::NaiveDateTime) -> String {
    let s = &app.strings();
    let day = lower_mid_sentence(app, s.get(DAY_KEYS[chrono::Datelike::weekday(&t).num_days_from_monday() as usize]));
    let month = s
        .get("page.months")
        .split(',')
        .map(str::trim)
        .nth(chrono::Datelike::month0(&t) as usize)
        .unwrap_or("")
        .to_string();
    let text = s.fmt(
        "status.on_date",
        &[("weekday", &day), ("day", &chrono::Datelike::day(&t).to_string()), ("month", &month)],
    );
    // "le lundi 4 janvier" → "lundi 4 janvier" after "jusqu'au"; "on Monday…" → "Monday…".
    text.strip_prefix("le ").or_else(|| text.strip_prefix("on ")).unwrap_or(&text).to_string()
}

fn lower_mid_sentence(app: &App, name: &str) -> String {
    // Day names are capitalised in the tables; mid-sentence, only English keeps the capital.
    if app.strings().lang == "en" { name.to_string() } else { name.to_lowercase() }
}

fn section(lines: &mut Vec<Line<'static>>, app: &App, key: &str) {
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(app.strings().get(key).to_uppercase(), app.palette().style(Meaning::Title))));
}

/// What a visitor can do about unknown hours with what the entry has: call, look at the
/// site, or ask at the desk ("appelez ou consultez le site" is no advice without either).
pub fn hours_unknown_key(item: &Initiative) -> &'static str {
    match (!item.phone.is_empty(), !item.website.is_empty()) {
        (true, true) => "detail.hours_unknown",
        (true, false) => "detail.hours_unknown_phone",
        (false, true) => "detail.hours_unknown_site",
        (false, false) => "detail.hours_unknown_none",
    }
}
