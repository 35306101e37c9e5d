//! The plain-text page (72 columns) and the kiosk ticket (40): one card per initiative, every
//! field sanitised, opening hours as a weekly table.

use chrono::{Datelike, NaiveDate};
use unicode_width::UnicodeWidthStr;

use super::{PAGE_WIDTH, TICKET_WIDTH};
use crate::catalogue::{Initiative, Reference};
use crate::hours;
use crate::i18n::{DAY_KEYS, Strings};
use crate::pictogram::{self, Signs};
use crate::text::fit::wrap;
use crate::text::sanitize_line;

/// The date in words, in the language of `strings` (one home: [`Strings::date`]).
pub fn date_in_words(date: NaiveDate, strings: &Strings) -> String {
    strings.date(date)
}

/// "Adresse : " — a label as a text page writes it.
fn label(strings: &Strings, key: &str) -> String {
    format!("{}{}", strings.get(key), strings.get("app.colon"))
}

/// One initiative, cleaned for display: every field sanitised once, here.
pub(super) struct Card {
    pub(super) name: String,
    /// "♨ Se nourrir, ♻ S'équiper": the themes with the signs the screen showed.
    pub(super) themes: String,
    pub(super) summary: String,
    pub(super) place: String,
    pub(super) hours: Vec<String>,
    pub(super) phone: String,
    pub(super) website: String,
    pub(super) email: String,
}

impl Card {
    pub(super) fn new(
        item: &Initiative,
        reference: &Reference,
        date: NaiveDate,
        strings: &Strings,
        signs: Signs,
    ) -> Card {
        Card {
            name: sanitize_line(&item.name),
            themes: themes(item, reference, strings, signs),
            summary: summary(item, strings),
            place: place(item, reference, strings),
            hours: hours_lines(&item.opening_hours, date, strings),
            phone: sanitize_line(&item.phone),
            // Only a checked address, its host in punycode: what a store of an older version
            // holds unchecked is left out rather than printed for a visitor to follow.
            website: crate::catalogue::website::checked(&item.website).unwrap_or_default(),
            email: sanitize_line(&item.email),
        }
    }
}

/// The summary in the page's language when the entry has that translation, then marked as one
/// (as on screen); else the French summary.
fn summary(item: &Initiative, strings: &Strings) -> String {
    match item.summary_for(&strings.lang) {
        (text, true) => sanitize_line(&format!("{text} {}", strings.get("search.translated"))),
        (text, false) => sanitize_line(text),
    }
}

/// The initiative's themes, each with its sign, named as the screen names them (the
/// language's own translation, else the reference data's).
fn themes(item: &Initiative, reference: &Reference, strings: &Strings, signs: Signs) -> String {
    let names: Vec<String> = item
        .themes
        .iter()
        .filter_map(|slug| reference.theme(slug))
        .map(|t| {
            let label = strings.own(&format!("themes.{}.label", t.slug)).unwrap_or_else(|| t.label(&strings.lang));
            pictogram::labelled(&t.slug, &sanitize_line(label), signs)
        })
        .collect();
    names.join(", ")
}

/// "13 place Charles-de-Gaulle, 92210 Saint-Cloud", "En ligne", "Tout le département".
fn place(item: &Initiative, reference: &Reference, strings: &Strings) -> String {
    let commune = reference.commune_by_code(&item.commune);
    let name = commune.map(|c| c.name.clone()).unwrap_or_else(|| item.commune.clone());
    let postcode = if item.postcode.is_empty() {
        commune.map(|c| c.postcode.clone()).unwrap_or_default()
    } else {
        item.postcode.clone()
    };
    let town = [postcode, name].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    let line = [item.address.clone(), town].into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join(", ");
    let line = sanitize_line(&line);
    match (line.is_empty(), item.online) {
        (true, true) => strings.get("page.online").to_string(),
        (true, false) => strings.get("page.everywhere").to_string(),
        (false, true) => format!("{line} {}", strings.get("page.also_online")),
        (false, false) => line,
    }
}

/// The next seven days from `date`, one line each ("Mardi    01/12  14:30–17:00"), when
/// the hours parse; else the raw text as written. A list is read in the days after it is
/// printed, so it shows those days (public holidays included), not an abstract week.
fn hours_lines(raw: &str, date: NaiveDate, strings: &Strings) -> Vec<String> {
    let raw_clean = sanitize_line(raw);
    if raw_clean.is_empty() {
        return Vec::new();
    }
    let (Some(this), Some(next)) =
        (hours::week_table(raw, date), hours::week_table(raw, date + chrono::Duration::days(7)))
    else {
        return vec![raw_clean];
    };
    let days: Vec<&str> = DAY_KEYS.iter().map(|k| strings.get(k)).collect();
    let pad = days.iter().map(|d| d.width()).max().unwrap_or(0);
    this.into_iter()
        .chain(next)
        .filter(|d| d.date >= date)
        .take(7)
        .map(|d| {
            let mut what: Vec<String> = d.open.iter().map(|(a, b)| format!("{a}–{b}")).collect();
            if d.unknown {
                what.push(strings.get("page.to_confirm").to_string());
            }
            let what = if what.is_empty() { strings.get("days.closed").to_string() } else { what.join(", ") };
            let day = days[d.weekday];
            let fill = " ".repeat(pad.saturating_sub(day.width()));
            format!("{day}{fill} {:02}/{:02}  {what}", d.date.day(), d.date.month())
        })
        .collect()
}

/// Appends `label` + `value` wrapped to `width`, continuation lines indented under the value.
fn field(out: &mut Vec<String>, indent: &str, label: &str, value: &str, width: usize) {
    if value.is_empty() {
        return;
    }
    let head = format!("{indent}{label}");
    let pad = " ".repeat(head.width());
    for (i, l) in wrap(value, width.saturating_sub(head.width()).max(10)).into_iter().enumerate() {
        out.push(if i == 0 { format!("{head}{l}") } else { format!("{pad}{l}") });
    }
}

/// The shortlist as a plain UTF-8 page, wrapped at [`PAGE_WIDTH`] columns, for a file, a
/// printer or the clipboard. `date` is the day it is prepared (shown, and the start of the
/// opening-hours days). Lines end with `\n`. Theme signs are written as `signs` says (the
/// letter codes for a printer or terminal that only has ASCII).
pub fn to_text(
    items: &[Initiative],
    reference: &Reference,
    date: NaiveDate,
    strings: &Strings,
    signs: Signs,
) -> String {
    let w = PAGE_WIDTH;
    let s = strings;
    let prepared = s.fmt("page.prepared", &[("date", &date_in_words(date, s))]);
    let mut out = vec![s.get("page.title").to_string(), prepared, "=".repeat(w), String::new()];
    for (n, item) in items.iter().enumerate() {
        let c = Card::new(item, reference, date, s, signs);
        let number = format!("{}. ", n + 1);
        let indent = " ".repeat(number.len());
        for (i, l) in wrap(&c.name, w - number.len()).into_iter().enumerate() {
            out.push(if i == 0 { format!("{number}{l}") } else { format!("{indent}{l}") });
        }
        for l in wrap(&c.themes, w - indent.len()) {
            out.push(format!("{indent}{l}"));
        }
        for l in wrap(&c.summary, w - indent.len()) {
            out.push(format!("{indent}{l}"));
        }
        field(&mut out, &indent, &label(s, "page.address"), &c.place, w);
        if !c.hours.is_empty() {
            if c.hours.len() == 1 {
                field(&mut out, &indent, &label(s, "page.hours"), &c.hours[0], w);
            } else {
                out.push(format!("{indent}{}", label(s, "page.hours").trim_end()));
                for l in &c.hours {
                    out.push(format!("{indent}  {l}"));
                }
            }
        }
        field(&mut out, &indent, &label(s, "page.phone"), &c.phone, w);
        field(&mut out, &indent, &label(s, "page.email"), &c.email, w);
        field(&mut out, &indent, &label(s, "page.website"), &c.website, w);
        out.push(String::new());
    }
    if items.is_empty() {
        out.push(s.get("page.empty").to_string());
        out.push(String::new());
    }
    out.push("-".repeat(w));
    out.extend(wrap(s.get("page.footer"), w));
    out.join("\n") + "\n"
}

/// A ticket of [`TICKET_WIDTH`] columns for one initiative, printed at a kiosk for a visitor
/// to take away. Only catalogue data and the date: nothing about the visitor. The themes carry
/// the signs the kiosk's screen showed (`signs`), so the ticket matches what was chosen.
pub fn ticket(item: &Initiative, reference: &Reference, date: NaiveDate, strings: &Strings, signs: Signs) -> String {
    let w = TICKET_WIDTH;
    let s = strings;
    let c = Card::new(item, reference, date, s, signs);
    let mut out = vec!["-".repeat(w)];
    out.extend(wrap(&c.name, w));
    out.extend(wrap(&c.themes, w));
    out.push(String::new());
    out.extend(wrap(&c.place, w));
    if !c.hours.is_empty() {
        out.push(label(s, "page.hours").trim_end().to_string());
        if c.hours.len() == 1 {
            out.extend(wrap(&c.hours[0], w));
        } else {
            // The day-name column is shortened so the times fit in 40 columns.
            out.extend(c.hours.iter().map(|l| l.chars().take(w).collect::<String>()));
        }
    }
    field(&mut out, "", &label(s, "page.phone_short"), &c.phone, w);
    if !c.website.is_empty() {
        out.extend(wrap(&c.website, w));
    }
    out.push(String::new());
    out.push(s.fmt("page.ticket_date", &[("date", &date_in_words(date, s))]));
    out.push("-".repeat(w));
    out.join("\n") + "\n"
}
