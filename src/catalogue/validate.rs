//! The one door into the catalogue: raw records from any importer become [`Initiative`]s, or a
//! list of every problem found, each naming its file, line and field.
//!
//! Every importer (CSV, JSON, data·inclusion, HSDS) produces [`RawRecord`]s with our field
//! names; the rules of docs/CATALOGUE.md live here only once. Text is sanitised here, so nothing
//! hostile is ever stored.

use std::collections::HashSet;
use std::fmt;

use super::model::{self, Initiative};
use super::reference::Reference;
use crate::text::{sanitize_line, sanitize_text, terminal_safe};

/// A value as an importer found it, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Text(String),
    List(Vec<String>),
    Bool(bool),
    Number(f64),
    Null,
}

impl RawValue {
    fn is_empty(&self) -> bool {
        match self {
            RawValue::Text(s) => s.trim().is_empty(),
            RawValue::List(l) => l.iter().all(|s| s.trim().is_empty()),
            RawValue::Null => true,
            _ => false,
        }
    }

    fn display(&self) -> String {
        match self {
            RawValue::Text(s) => s.clone(),
            RawValue::List(l) => l.join("|"),
            RawValue::Bool(b) => b.to_string(),
            RawValue::Number(n) => n.to_string(),
            RawValue::Null => String::new(),
        }
    }
}

/// One record of an input file, with the line it starts on.
#[derive(Debug, Clone, Default)]
pub struct RawRecord {
    pub line: usize,
    pub fields: Vec<(String, RawValue)>,
}

impl RawRecord {
    pub fn new(line: usize) -> Self {
        RawRecord { line, fields: Vec::new() }
    }
    pub fn set(&mut self, field: &str, value: RawValue) {
        self.fields.push((field.to_string(), value));
    }
    pub fn text(&mut self, field: &str, value: impl Into<String>) {
        self.set(field, RawValue::Text(value.into()));
    }
    pub fn list(&mut self, field: &str, value: Vec<String>) {
        self.set(field, RawValue::List(value));
    }
    fn get(&self, field: &str) -> Option<&RawValue> {
        self.fields.iter().rev().find(|(f, _)| f == field).map(|(_, v)| v)
    }
}

/// One problem in an input file: `FILE:LINE: field NAME: reason (value)`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub reason: String,
    pub value: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values come from the file: never let them act on the terminal that prints them.
        let value = terminal_safe(&self.value).replace('\n', "\\n");
        let value: String = value.chars().take(80).collect();
        // Field names come from the file's header, and reasons may quote the file too.
        let one_line = |s: &str| terminal_safe(s).replace('\n', "\\n");
        write!(f, "{}:{}: ", one_line(&self.file), self.line)?;
        // A problem of the file's bytes names a column in its reason, not a field.
        if !self.field.is_empty() {
            write!(f, "field {}: ", one_line(&self.field))?;
        }
        write!(f, "{}", one_line(&self.reason))?;
        if !value.is_empty() {
            write!(f, " ({value})")?;
        }
        Ok(())
    }
}

pub struct Validator<'a> {
    pub reference: &'a Reference,
    pub file: String,
    /// Unknown field names are an error unless this is set (`--ignore-unknown`).
    pub ignore_unknown: bool,
    /// Opening hours written in French are stored in their OSM form when the converter reads
    /// them (`--fix-hours`); without it they are an error that shows that form.
    pub fix_hours: bool,
}

impl Validator<'_> {
    /// Validates every record; returns the initiatives, or all the problems of the file.
    pub fn validate_all(&self, records: &[RawRecord]) -> Result<Vec<Initiative>, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut out = Vec::with_capacity(records.len());
        let mut seen: HashSet<String> = HashSet::new();
        for record in records {
            match self.validate(record) {
                Ok(initiative) => {
                    if !seen.insert(initiative.id.clone()) {
                        problems.push(self.problem(record.line, "id", "appears twice in this file", &initiative.id));
                    }
                    out.push(initiative);
                }
                Err(p) => {
                    // An unknown column is one problem of the file, not one per row.
                    for problem in p {
                        let repeated = problem.reason.starts_with("unknown field")
                            && problems
                                .iter()
                                .any(|q: &Problem| q.field == problem.field && q.reason == problem.reason);
                        if !repeated {
                            problems.push(problem);
                        }
                    }
                }
            }
        }
        if problems.is_empty() { Ok(out) } else { Err(problems) }
    }

    fn problem(&self, line: usize, field: &str, reason: &str, value: &str) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            field: field.to_string(),
            reason: reason.to_string(),
            value: value.to_string(),
        }
    }

    pub fn validate(&self, record: &RawRecord) -> Result<Initiative, Vec<Problem>> {
        let mut p = Vec::new();
        let line = record.line;
        let mut bad = |field: &str, reason: &str, value: &str| p.push(self.problem(line, field, reason, value));

        if !self.ignore_unknown {
            for (name, _) in &record.fields {
                if !model::FIELDS.contains(&name.as_str()) {
                    bad(name, "unknown field (use --ignore-unknown to skip it)", "");
                }
            }
        }

        let text = |field: &str| -> String {
            match record.get(field) {
                Some(v) => sanitize_line(&v.display()),
                None => String::new(),
            }
        };
        let list = |field: &str| -> Vec<String> {
            match record.get(field) {
                Some(RawValue::List(l)) => l.iter().map(|s| sanitize_line(s)).filter(|s| !s.is_empty()).collect(),
                Some(RawValue::Text(s)) => s.split('|').map(sanitize_line).filter(|s| !s.is_empty()).collect(),
                Some(other) if !other.is_empty() => vec![sanitize_line(&other.display())],
                _ => Vec::new(),
            }
        };

        let mut i = Initiative { ..Default::default() };

        i.id = text("id");
        if i.id.is_empty() {
            bad("id", "required", "");
        } else if !valid_id(&i.id) {
            bad("id", "must be 3 to 64 characters among a-z, 0-9 and -", &i.id);
        }

        i.name = text("name");
        let name_len = i.name.chars().count();
        if name_len == 0 {
            bad("name", "required", "");
        } else if name_len > 120 {
            bad("name", "longer than 120 characters", &i.name);
        }

        i.summary = text("summary");
        if i.summary.chars().count() > 200 {
            bad("summary", "longer than 200 characters", &i.summary);
        }
        // The translations follow the summary's rules: one line, sanitised, as long at most.
        let translations = model::SUMMARY_TRANSLATIONS.map(|(_, field)| (field, text(field)));
        for (field, value) in &translations {
            if value.chars().count() > 200 {
                bad(field, "longer than 200 characters", value);
            }
        }
        [i.summary_en, i.summary_es, i.summary_pt, i.summary_uk, i.summary_ro, i.summary_ar] =
            translations.map(|(_, value)| value);
        i.description = record.get("description").map(|v| sanitize_text(&v.display())).unwrap_or_default();

        i.themes = list("themes");
        if i.themes.is_empty() {
            bad("themes", "required: at least one theme", "");
        }
        for t in &i.themes {
            if self.reference.theme(t).is_none() {
                let slugs: Vec<&str> = self.reference.themes.iter().map(|t| t.slug.as_str()).collect();
                bad("themes", &with_hint("unknown theme", t, &slugs), t);
            }
        }
        i.actions = list("actions");
        check_all(&i.actions, &model::ACTIONS, "actions", "unknown type of action", &mut bad);
        i.tags = list("tags").into_iter().map(|t| t.to_lowercase()).collect();
        i.kind = text("kind");
        check_one(&i.kind, &model::KINDS, "kind", &mut bad);
        i.access = text("access");
        check_one(&i.access, &model::ACCESS, "access", &mut bad);
        i.price = text("price");
        check_one(&i.price, &model::PRICES, "price", &mut bad);
        i.audience = list("audience");
        check_all(&i.audience, &model::AUDIENCES, "audience", "unknown audience", &mut bad);

        i.online = match record.get("online") {
            None | Some(RawValue::Null) => false,
            Some(RawValue::Bool(b)) => *b,
            Some(v) => match parse_bool(&v.display()) {
                Some(b) => b,
                None => {
                    bad("online", "expected true/false, oui/non or 1/0", &v.display());
                    false
                }
            },
        };

        let commune_raw = text("commune");
        if !commune_raw.is_empty() {
            match self.reference.find_commune(&commune_raw) {
                Some(c) => i.commune = c.insee.clone(),
                None => bad("commune", "not a commune of the Hauts-de-Seine", &commune_raw),
            }
        }
        i.address = text("address");
        i.postcode = text("postcode");
        if !i.postcode.is_empty() {
            if !(i.postcode.len() == 5
                && i.postcode.starts_with("92")
                && i.postcode.bytes().all(|b| b.is_ascii_digit()))
            {
                bad("postcode", "expected a postcode of the Hauts-de-Seine (92xxx)", &i.postcode);
            } else if let (Some(owner), Some(commune)) =
                (self.reference.commune_by_postcode(&i.postcode), self.reference.commune_by_code(&i.commune))
                && owner.insee != commune.insee
            {
                let reason = format!("belongs to {}, not {}", owner.name, commune.name);
                bad("postcode", &reason, &i.postcode);
            }
        }
        i.latitude = number(record.get("latitude"), -90.0, 90.0, "latitude", &mut bad);
        i.longitude = number(record.get("longitude"), -180.0, 180.0, "longitude", &mut bad);
        if i.latitude.is_some() != i.longitude.is_some() {
            bad("latitude", "latitude and longitude go together", "");
        }

        let phone = text("phone");
        if !phone.is_empty() {
            match normalise_phone(&phone) {
                Some(n) => i.phone = n,
                None => bad("phone", "not a phone number", &phone),
            }
        }
        i.email = text("email");
        if !i.email.is_empty() && !valid_email(&i.email) {
            bad("email", "not an e-mail address", &i.email);
        }
        // Stored in the form every page shows and every QR code carries (punycode host).
        let website = text("website");
        if !website.is_empty() {
            match super::website::checked(&website) {
                Ok(shown) => i.website = shown,
                Err(why) => bad("website", &why.to_string(), &website),
            }
        }
        i.opening_hours = text("opening_hours");
        if self.fix_hours
            && let Ok(osm) = crate::hours::fixed(&i.opening_hours)
        {
            i.opening_hours = osm;
        }
        if !i.opening_hours.is_empty()
            && let Err(e) = i.opening_hours.parse::<opening_hours::OpeningHours>()
        {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or("").trim();
            // Say what the syntax looks like: the French form converted when it can be (accept
            // it with --fix-hours), else an example.
            let hint = crate::hours::did_you_mean(&i.opening_hours).map_or_else(
                || "write it like \"Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00\"".to_string(),
                |osm| format!("{osm} (wic import --fix-hours accepts it)"),
            );
            let reason = format!("not in OpenStreetMap opening_hours syntax: {first}; {hint}");
            bad("opening_hours", &reason, &i.opening_hours);
        }
        i.languages = list("languages").into_iter().map(|l| l.to_lowercase()).collect();
        for l in &i.languages {
            if !(l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase())) {
                bad("languages", "expected ISO 639-1 codes (fr, en, ar…)", l);
            }
        }
        i.accessibility = list("accessibility");
        check_all(&i.accessibility, &model::ACCESSIBILITY, "accessibility", "unknown accessibility value", &mut bad);
        i.status = text("status");
        if i.status.is_empty() {
            i.status = "actif".to_string();
        }
        check_one(&i.status, &model::STATUSES, "status", &mut bad);
        i.reopens = text("reopens");
        if !i.reopens.is_empty() {
            if !valid_date(&i.reopens) {
                bad("reopens", "expected a date YYYY-MM-DD", &i.reopens);
            } else if i.status != "ferme-temporairement" {
                bad("reopens", "a reopening date goes with status ferme-temporairement", &i.reopens);
            }
        }
        i.updated = text("updated");
        if !i.updated.is_empty() && !valid_date(&i.updated) {
            bad("updated", "expected a date YYYY-MM-DD", &i.updated);
        }
        i.source = text("source");
        i.sources = list("sources");
        for entry in &i.sources {
            match entry.split_once('=') {
                None => bad("sources", "expected FIELD=URL (phone=https://…)", entry),
                Some((field, url)) => {
                    if !model::is_sourceable_field(field.trim()) {
                        bad("sources", "unknown field name before '='", entry);
                    }
                    if !valid_url(url.trim()) {
                        bad("sources", "the source must be an http:// or https:// address", entry);
                    }
                }
            }
        }
        i.sources = i
            .sources
            .iter()
            .map(|e| match e.split_once('=') {
                Some((f, u)) => format!("{}={}", f.trim(), u.trim()),
                None => e.clone(),
            })
            .collect();

        if p.is_empty() { Ok(i) } else { Err(p) }
    }
}

/// The fact fields ([`model::FACT_FIELDS`]) that hold a value but name no page in `sources`.
///
/// An import accepts such entries (an administrator's file or an open-data feed may know a
/// phone number without a page to show for it); `wic check` and the staff screens can list
/// them, and the catalogue shipped in the binary must have none (tests/catalogue_invariants.rs).
pub fn unsourced_facts(i: &Initiative) -> Vec<&'static str> {
    model::FACT_FIELDS
        .iter()
        .copied()
        .filter(|&f| {
            let value = match f {
                "address" => &i.address,
                "phone" => &i.phone,
                "email" => &i.email,
                "opening_hours" => &i.opening_hours,
                _ => return false,
            };
            !value.trim().is_empty() && i.source_of(f).is_none()
        })
        .collect()
}

fn check_one(value: &str, allowed: &[&str], field: &str, bad: &mut impl FnMut(&str, &str, &str)) {
    if !value.is_empty() && !allowed.contains(&value) {
        let reason = with_hint(&format!("expected one of {}", allowed.join(", ")), value, allowed);
        bad(field, &reason, value);
    }
}

fn check_all(values: &[String], allowed: &[&str], field: &str, reason: &str, bad: &mut impl FnMut(&str, &str, &str)) {
    for v in values {
        if !allowed.contains(&v.as_str()) {
            bad(field, &with_hint(reason, v, allowed), v);
        }
    }
}

/// `reason; did you mean X?` when an accepted value is near enough to be what was meant.
fn with_hint(reason: &str, value: &str, allowed: &[&str]) -> String {
    match nearest(value, allowed) {
        Some(near) => format!("{reason}; did you mean {near}?"),
        None => reason.to_string(),
    }
}

/// The accepted value closest to `value` (compared as slugs: accents, case and spaces
/// aside), if at most a third of its letters (and at least 2) differ.
pub fn nearest<'a>(value: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let value = crate::text::slugify(value);
    let limit = (value.chars().count() / 3).max(2);
    allowed
        .iter()
        .map(|a| (edit_distance(&value, a), *a))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

fn number(
    v: Option<&RawValue>,
    min: f64,
    max: f64,
    field: &str,
    bad: &mut impl FnMut(&str, &str, &str),
) -> Option<f64> {
    let n = match v {
        None | Some(RawValue::Null) => return None,
        Some(RawValue::Number(n)) => *n,
        Some(v) => {
            let s = v.display();
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            match s.replace(',', ".").parse::<f64>() {
                Ok(n) => n,
                Err(_) => {
                    bad(field, "not a number", s);
                    return None;
                }
            }
        }
    };
    if !(min..=max).contains(&n) || !n.is_finite() {
        bad(field, &format!("must be between {min} and {max}"), &n.to_string());
        return None;
    }
    Some(n)
}

pub fn valid_id(id: &str) -> bool {
    (3..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "oui" | "1" | "vrai" | "yes" => Some(true),
        "false" | "non" | "0" | "faux" | "no" | "" => Some(false),
        _ => None,
    }
}

/// French numbers become `01 23 45 67 89`; short service numbers (115, 3919) are kept as
/// digits; anything with letters is refused.
pub fn normalise_phone(raw: &str) -> Option<String> {
    let mut digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || " .-+()/".contains(c));
    if !allowed || digits.is_empty() {
        return None;
    }
    if raw.trim_start().starts_with("+33") || raw.trim_start().starts_with("0033") {
        let rest = digits.trim_start_matches("00").trim_start_matches("33").to_string();
        let rest = rest.trim_start_matches('0');
        digits = format!("0{rest}");
    }
    match digits.len() {
        10 if digits.starts_with('0') => Some(
            digits.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).unwrap_or("")).collect::<Vec<_>>().join(" "),
        ),
        3..=6 if !raw.contains('+') => Some(digits),
        _ if raw.trim_start().starts_with('+') && (8..=15).contains(&digits.len()) => Some(format!("+{digits}")),
        _ => None,
    }
}

pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// An `http(s)://` address with a real host, nothing hidden (see [`super::website`]).
pub fn valid_url(s: &str) -> bool {
    super::website::checked(s).is_ok()
}

pub fn valid_date(s: &str) -> bool {
    crate::day::parse(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(normalise_phone("0123456789").as_deref(), Some("01 23 45 67 89"));
        assert_eq!(normalise_phone("+33 1 23 45 67 89").as_deref(), Some("01 23 45 67 89"));
        assert_eq!(normalise_phone("01.23.45.67.89").as_deref(), Some("01 23 45 67 89"));
        assert_eq!(normalise_phone("3919").as_deref(), Some("3919"));
        assert_eq!(normalise_phone("appelez-nous"), None);
        assert_eq!(normalise_phone("0123"), Some("0123".into()));
        assert_eq!(normalise_phone("01234567"), None);
    }

    #[test]
    fn sources_name_a_field_and_a_page() {
        let reference = Reference::embedded().unwrap();
        let v = Validator { reference: &reference, file: "t.csv".into(), ignore_unknown: false, fix_hours: false };
        let record = |sources: &str| {
            let mut r = RawRecord::new(2);
            r.text("id", "test-sources");
            r.text("name", "Test");
            r.text("themes", "se-nourrir");
            r.text("phone", "01 23 45 67 89");
            r.text("sources", sources);
            r
        };
        let ok = v.validate(&record("phone=https://exemple.fr/contact | address = https://exemple.fr/acces")).unwrap();
        assert_eq!(ok.sources, ["phone=https://exemple.fr/contact", "address=https://exemple.fr/acces"]);
        assert_eq!(ok.source_of("phone"), Some("https://exemple.fr/contact"));
        assert!(unsourced_facts(&ok).is_empty());
        for bad in ["https://exemple.fr", "telephone=https://exemple.fr", "phone=www.exemple.fr", "id=https://e.fr"] {
            let p = v.validate(&record(bad)).unwrap_err();
            assert!(p.iter().any(|p| p.field == "sources"), "{bad}: {p:?}");
        }
        let unsourced = v.validate(&record("")).unwrap();
        assert_eq!(unsourced_facts(&unsourced), ["phone"]);
    }

    #[test]
    fn urls_emails_dates() {
        assert!(valid_url("https://www.example.fr/a?b"));
        assert!(!valid_url("www.example.fr"));
        assert!(!valid_url("javascript:alert(1)"));
        assert!(valid_email("contact@asso.fr"));
        assert!(!valid_email("contact@asso"));
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2024-2-1"));
    }
}
