//! Opening hours (OpenStreetMap `opening_hours` syntax) turned into what a visitor reads: a
//! weekly table, and "open now, closes at …" for any moment, up to a year ahead. Parsing and
//! rule evaluation are the maintained `opening-hours` crate's job, with France's public holidays
//! (`PH`), the Europe/Paris time zone (chrono-tz) and Paris's sunrise and sunset.
//!
//! Where the crate and opening_hours.js (the other reference implementation) disagree, the kiosk
//! takes the cautious reading (docs/HOURS.md): an open end (`17:00+`), a rule that is only a
//! comment (`|| "sur rendez-vous"`) and a value that only closes holidays (`PH off`) are "to be
//! confirmed", never "open" or "closed all year".
//!
//! Times in and out are local Paris wall-clock times (`NaiveDateTime`).

pub mod french;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use opening_hours::localization::{Coordinates, Country, TzLocation};
use opening_hours::{Context, OpeningHours, RuleKind};
use opening_hours_syntax::extended_time::ExtendedTime;
use opening_hours_syntax::rules::day::WeekDayRange;
use opening_hours_syntax::rules::time::{Time, TimeSelector, TimeSpan};
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleOperator, RuleSequence};

/// The time zone every hour is read in: chrono-tz's embedded database, so summer time and its
/// gaps and overlaps follow the official rules (no host zoneinfo needed).
type Paris = chrono_tz::Tz;
const PARIS: Paris = chrono_tz::Europe::Paris;

/// Local Paris time now (the kiosks' zone), as the wall clock shows it: the one clock of
/// `wic search`, the kiosk and the usage figures.
pub fn paris_now() -> NaiveDateTime {
    paris_wall_clock(chrono::Utc::now())
}

/// A stored time stamp (RFC 3339, as the history writes them in UTC) as Paris shows it,
/// `YYYY-MM-DD HH:MM`; the stamp itself when it does not parse.
pub fn paris_stamp(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| paris_wall_clock(t.with_timezone(&chrono::Utc)).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The Paris wall clock at an instant, to the second: the zone's rules (chrono-tz's embedded
/// database) say whether it is UTC+1 or, in summer time, UTC+2.
fn paris_wall_clock(instant: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    use chrono::Timelike;
    let local = instant.with_timezone(&chrono_tz::Europe::Paris).naive_local();
    local.with_nanosecond(0).unwrap_or(local)
}

/// Whether an initiative is open at a moment, and when that changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenStatus {
    /// Open; closes at the given time (None: not within a year, e.g. `24/7`). The comment of
    /// the rule in force, if any ("sur rendez-vous").
    Open { closes: Option<NaiveDateTime>, comment: Option<String> },
    /// Closed; opens at the given time (None: not within a year).
    Closed { opens: Option<NaiveDateTime>, comment: Option<String> },
    /// The hours say neither open nor closed now: an `unknown` rule, an open end (`17:00+`),
    /// a rule that is only a comment ("sur rendez-vous"). "Horaires à confirmer", with the
    /// comment; `until`: when the hours say something else (None: not within a year).
    ToConfirm { until: Option<NaiveDateTime>, comment: Option<String> },
    /// No hours, hours that do not parse, or hours that only close holidays (`PH off`).
    Unknown,
}

impl OpenStatus {
    /// `Some(true)` open, `Some(false)` closed, `None` unknown or to be confirmed (the JSON
    /// `open` field).
    pub fn is_open(&self) -> Option<bool> {
        match self {
            OpenStatus::Open { .. } => Some(true),
            OpenStatus::Closed { .. } => Some(false),
            OpenStatus::ToConfirm { .. } | OpenStatus::Unknown => None,
        }
    }

    /// When the state next changes.
    pub fn next_change(&self) -> Option<NaiveDateTime> {
        match self {
            OpenStatus::Open { closes, .. } => *closes,
            OpenStatus::Closed { opens, .. } => *opens,
            OpenStatus::ToConfirm { until, .. } => *until,
            OpenStatus::Unknown => None,
        }
    }

    /// The comment of the rule in force ("sur rendez-vous"), if any.
    pub fn comment(&self) -> Option<&str> {
        match self {
            OpenStatus::Open { comment, .. }
            | OpenStatus::Closed { comment, .. }
            | OpenStatus::ToConfirm { comment, .. } => comment.as_deref(),
            OpenStatus::Unknown => None,
        }
    }
}

/// How far ahead a next change is looked for: "Ouvre en juin" in February is worth saying.
pub const HORIZON_DAYS: i64 = 366;

/// Where sunrise and sunset are computed: Paris (Notre-Dame), within a minute of every
/// commune of the Hauts-de-Seine.
const SUN_AT: (f64, f64) = (48.8535, 2.34839);

type Hours = OpeningHours<TzLocation<Paris>>;

fn context() -> Context<TzLocation<Paris>> {
    let locale = match Coordinates::new(SUN_AT.0, SUN_AT.1) {
        Some(c) => TzLocation::new(PARIS).with_coords(c),
        None => TzLocation::new(PARIS),
    };
    Context::default().with_holidays(Country::FR.holidays()).with_locale(locale)
}

/// For import errors on hours that do not parse: `did you mean "Mo-Fr 09:00-12:00"?` when the
/// French converter reads them, else None (docs/HOURS.md: the lines import adds).
pub fn did_you_mean(raw: &str) -> Option<String> {
    french::to_osm(raw).ok().map(|osm| format!("did you mean {osm:?}?"))
}

/// For `wic import --fix-hours` and the importers: the value to store. As given when it parses
/// as OSM `opening_hours`; otherwise the French converter's form; otherwise why not.
pub fn fixed(raw: &str) -> Result<String, french::Unreadable> {
    if raw.parse::<OpeningHours>().is_ok() { Ok(raw.to_string()) } else { french::to_osm(raw) }
}

/// A value the kiosk can evaluate, after the cautious readings of the module docs.
/// `None`: empty, unparseable, or holidays-only closures.
pub fn parse_fr(raw: &str) -> Option<Hours> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let oh: OpeningHours = raw.parse().ok()?;
    let expr = oh.get_expression();
    if only_closes_holidays(&expr) {
        return None;
    }
    let oh = match cautious(&expr, raw) {
        Some(rewritten) => rewritten.to_string().parse::<OpeningHours>().ok()?,
        None => oh,
    };
    Some(oh.with_context(context()))
}

/// `PH off`, `PH off; SH off`: says when it is closed and nothing else.
fn only_closes_holidays(expr: &OpeningHoursExpression) -> bool {
    !expr.rules.is_empty()
        && expr.rules.iter().all(|r| {
            r.kind == RuleKind::Closed
                && r.day_selector.year.is_empty()
                && r.day_selector.monthday.is_empty()
                && r.day_selector.week.is_empty()
                && !r.day_selector.weekday.is_empty()
                && r.day_selector.weekday.iter().all(|w| matches!(w, WeekDayRange::Holiday { .. }))
        })
}

/// The expression with open ends and comment-only rules made "unknown" (as opening_hours.js
/// reads them), or `None` when there are none.
fn cautious(expr: &OpeningHoursExpression, raw: &str) -> Option<OpeningHoursExpression> {
    let mut changed = false;
    let mut rules: Vec<RuleSequence> = Vec::with_capacity(expr.rules.len());
    for rule in &expr.rules {
        let mut rule = rule.clone();
        // A comment where a state would be, with no hours: `"sur rendez-vous"`, `Su "some
        // 08:00-16:00"`. Not `Mo-Fr open "…"`, where the state is written.
        if rule.kind == RuleKind::Open
            && !rule.comment.is_empty()
            && rule.time_selector == TimeSelector::default()
            && comment_only(raw, &rule.comment)
        {
            rule.kind = RuleKind::Unknown;
            changed = true;
        }
        if rule.kind == RuleKind::Closed || !rule.time_selector.spans.iter().any(|s| s.open_end) {
            rules.push(rule);
            continue;
        }
        changed = true;
        // "A-B+": open A-B, then unknown for a guessed while (opening_hours.js's guess: to
        // midnight when the open end starts before 17:00, ten hours from 17:00, eight from
        // 22:00). Written as "A-guess unknown" followed by the additional rule "A-B": the later
        // additional rule wins where they overlap.
        let mut fixed = Vec::new();
        let mut guessed = Vec::new();
        for span in &rule.time_selector.spans {
            if !span.open_end {
                fixed.push(span.clone());
                continue;
            }
            let (Time::Fixed(start), Time::Fixed(end)) = (span.range.start, span.range.end) else {
                fixed.push(TimeSpan { open_end: false, ..span.clone() });
                continue;
            };
            let start_only = end == ExtendedTime::MIDNIGHT_24 && start != ExtendedTime::MIDNIGHT_00;
            let a = start.mins_from_midnight() as u32;
            let mut from = if start_only { a } else { end.mins_from_midnight() as u32 };
            if !start_only {
                if from <= a {
                    from += 24 * 60; // "22:00-04:00+": the open end starts the next morning
                }
                fixed.push(TimeSpan { open_end: false, ..span.clone() });
            }
            let until = if from >= 22 * 60 {
                from + 8 * 60
            } else if from >= 17 * 60 {
                from + 10 * 60
            } else {
                24 * 60
            }
            .min(48 * 60);
            if until > from
                && let Some(u) = ExtendedTime::new((until / 60) as u8, (until % 60) as u8)
            {
                guessed.push(TimeSpan::fixed_range(start, u));
            }
        }
        if !guessed.is_empty() {
            rules.push(RuleSequence {
                day_selector: rule.day_selector.clone(),
                time_selector: TimeSelector::new(guessed),
                kind: RuleKind::Unknown,
                operator: rule.operator,
                comment: rule.comment.clone(),
            });
            rule.operator = RuleOperator::Additional;
        }
        if !fixed.is_empty() {
            rule.time_selector = TimeSelector::new(fixed);
            rules.push(rule);
        }
    }
    if let Some(js) = fallback_fills_gaps(&rules) {
        rules = js;
        changed = true;
    }
    changed.then_some(OpeningHoursExpression { rules })
}

/// `Mo-Fr 09:00-12:00 || "sur rendez-vous"`: opening_hours.js applies a fallback to every hour
/// the rules before it leave without a state, including the afternoons of the days they name;
/// the crate only to days no rule names. For a fallback that is "to be confirmed" (a comment or
/// `unknown`), after rules on days that do not overlap, the kiosk takes js's reading: the
/// fallback first, for every day, and the rules before it added over it. Anything more tangled
/// keeps the crate's reading.
fn fallback_fills_gaps(rules: &[RuleSequence]) -> Option<Vec<RuleSequence>> {
    let k = rules.iter().position(|r| r.operator == RuleOperator::Fallback)?;
    let fallback = &rules[k];
    if k == 0
        || fallback.kind != RuleKind::Unknown
        || !fallback.day_selector.is_empty()
        || fallback.time_selector != TimeSelector::default()
        || rules[k + 1..].iter().any(|r| r.operator == RuleOperator::Fallback)
    {
        return None;
    }
    let before = &rules[..k];
    if before.len() > 1 {
        let mut seen = [false; 7];
        for r in before {
            let days = plain_weekdays(r)?;
            for d in 0..7 {
                if days[d] && seen[d] {
                    return None;
                }
                seen[d] |= days[d];
            }
        }
    }
    let mut out = Vec::with_capacity(rules.len());
    out.push(RuleSequence { operator: RuleOperator::Normal, ..fallback.clone() });
    out.extend(before.iter().map(|r| RuleSequence { operator: RuleOperator::Additional, ..r.clone() }));
    out.extend(rules[k + 1..].iter().cloned());
    Some(out)
}

/// The weekdays of a rule that selects only whole weekdays (`Mo-Fr`, `Tu,Th`), Monday first.
fn plain_weekdays(rule: &RuleSequence) -> Option<[bool; 7]> {
    let d = &rule.day_selector;
    if !d.year.is_empty() || !d.monthday.is_empty() || !d.week.is_empty() || d.weekday.is_empty() {
        return None;
    }
    let mut days = [false; 7];
    for w in &d.weekday {
        let WeekDayRange::Fixed { range, offset: 0, nth_from_start, nth_from_end } = w else { return None };
        if nth_from_start.contains(&false) || nth_from_end.contains(&false) {
            return None;
        }
        let mut day = *range.start();
        for _ in 0..7 {
            days[day.num_days_from_monday() as usize] = true;
            if day == *range.end() {
                break;
            }
            day = day.succ();
        }
    }
    Some(days)
}

/// Whether `comment` stands in `raw` without an explicit state before it (`… || "sur
/// rendez-vous"`, `Su "…"`), rather than after `open`.
fn comment_only(raw: &str, comment: &str) -> bool {
    let quoted = format!("\"{comment}\"");
    raw.match_indices(&quoted).any(|(at, _)| !raw[..at].trim_end().to_ascii_lowercase().ends_with("open"))
}

fn local(dt: chrono::DateTime<Paris>) -> NaiveDateTime {
    dt.naive_local()
}

fn zoned(at: NaiveDateTime) -> chrono::DateTime<Paris> {
    // The latest reading of an hour that happens twice; a time that does not exist is moved
    // to the end of the gap (as the crate's TzLocation does).
    let mut t = at;
    for _ in 0..180 {
        if let Some(dt) = PARIS.from_local_datetime(&t).latest() {
            return dt;
        }
        t += Duration::minutes(1);
    }
    PARIS.from_utc_datetime(&at)
}

/// The status of `raw` at local time `at`. Never panics: anything unparseable is `Unknown`.
pub fn status(raw: &str, at: NaiveDateTime) -> OpenStatus {
    let Some(oh) = parse_fr(raw) else { return OpenStatus::Unknown };
    status_of(&oh, at)
}

/// [`status`] of an already parsed value.
pub fn status_of(oh: &Hours, at: NaiveDateTime) -> OpenStatus {
    let from = zoned(at);
    let mut ranges = oh.iter_range(from, from + Duration::days(HORIZON_DAYS));
    let Some(first) = ranges.next() else { return OpenStatus::Unknown };
    // Like opening_hours.js's getNextChange: a boundary where only the comment changes is
    // not a change for the visitor.
    let next = ranges.find(|r| r.kind != first.kind).map(|r| local(r.range.start));
    let comment = (!first.comment.is_empty()).then(|| first.comment.to_string());
    match first.kind {
        RuleKind::Open => OpenStatus::Open { closes: next, comment },
        RuleKind::Closed => OpenStatus::Closed { opens: next, comment },
        RuleKind::Unknown => OpenStatus::ToConfirm { until: next, comment },
    }
}

/// Whether `raw` is open at `at` (`None`: unknown): [`status`] without the search for the
/// next change, for filtering many initiatives at once.
pub fn is_open_at(raw: &str, at: NaiveDateTime) -> Option<bool> {
    match parse_fr(raw)?.state(zoned(at)).0 {
        RuleKind::Open => Some(true),
        RuleKind::Closed => Some(false),
        RuleKind::Unknown => None,
    }
}

/// Whether `raw` opens at some point on `date` (`None`: unknown).
pub fn open_on(raw: &str, date: NaiveDate) -> Option<bool> {
    let oh = parse_fr(raw)?;
    let mut any_unknown = false;
    for range in oh.schedule_at(date) {
        match range.kind {
            RuleKind::Open => return Some(true),
            RuleKind::Unknown => any_unknown = true,
            RuleKind::Closed => {}
        }
    }
    if any_unknown { None } else { Some(false) }
}

/// The first moment at or after the start of `day` when `raw` is open, within a year (for
/// "rouvre le …" after a temporary closure). None: never open, or unknown hours.
pub fn first_open_from(raw: &str, day: NaiveDate) -> Option<NaiveDateTime> {
    let oh = parse_fr(raw)?;
    let from = zoned(day.and_hms_opt(0, 0, 0)?);
    oh.iter_range(from, from + Duration::days(HORIZON_DAYS))
        .find(|r| r.kind == RuleKind::Open)
        .map(|r| local(r.range.start))
}

/// A next change in words, relative to `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// Later today, at this time.
    Today(String),
    /// Tomorrow at this time.
    Tomorrow(String),
    /// Within the week: weekday (0 = Monday) and time.
    ThisWeek(usize, String),
    /// Further: the date (weekday 0 = Monday, day, month 1–12) and the time unless midnight.
    Date { weekday: usize, day: u32, month: u32, time: Option<String> },
    /// The first of a month at midnight, a month or more ahead: "en juin" (month 1–12).
    Month(u32),
}

/// Words for a next change: "12:00", "demain 09:00", "lundi 09:00", "le lundi 5 janvier",
/// "en juin".
pub fn when_of(next: NaiveDateTime, at: NaiveDateTime) -> When {
    let time = next.format("%H:%M").to_string();
    let days = (next.date() - at.date()).num_days();
    let midnight = next.time() == chrono::NaiveTime::MIN;
    match days {
        0 => When::Today(time),
        1 => When::Tomorrow(time),
        2..=6 => When::ThisWeek(next.weekday().num_days_from_monday() as usize, time),
        _ if midnight && next.day() == 1 && days >= 28 => When::Month(next.month()),
        _ => When::Date {
            weekday: next.weekday().num_days_from_monday() as usize,
            day: next.day(),
            month: next.month(),
            time: (!midnight).then_some(time),
        },
    }
}

/// One day of the weekly table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayHours {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: usize,
    pub date: NaiveDate,
    /// Open intervals, as "09:00"–"12:30".
    pub open: Vec<(String, String)>,
    /// Some part of the day is "unknown" (e.g. `Mo off "sur rendez-vous"`… or `unknown`).
    pub unknown: bool,
    /// The "unknown" intervals, as "18:00"–"24:00" ("00:00"–"24:00": the whole day).
    pub to_confirm: Vec<(String, String)>,
    /// The comments of that day's rules, in order, once each ("sur rendez-vous").
    pub comments: Vec<String>,
    /// A French public holiday.
    pub holiday: bool,
}

/// The seven days from the Monday of `today`'s week, or `None` when `raw` is empty or does not
/// parse (never a panic: stored values were validated, but older stores may hold anything).
pub fn week_table(raw: &str, today: NaiveDate) -> Option<Vec<DayHours>> {
    let oh = parse_fr(raw)?;
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let holidays = Country::FR.holidays();
    Some(
        (0..7)
            .map(|d| {
                let date = monday + Duration::days(d);
                let mut open = Vec::new();
                let mut unknown = false;
                let mut to_confirm = Vec::new();
                let mut comments: Vec<String> = Vec::new();
                for range in oh.schedule_at(date) {
                    match range.kind {
                        RuleKind::Open => open.push((hhmm(range.range.start), hhmm(range.range.end))),
                        RuleKind::Unknown => {
                            unknown = true;
                            to_confirm.push((hhmm(range.range.start), hhmm(range.range.end)));
                        }
                        RuleKind::Closed => {}
                    }
                    if !range.comment.is_empty() && !comments.iter().any(|c| **c == *range.comment) {
                        comments.push(range.comment.to_string());
                    }
                }
                let holiday = holidays.get_public().contains(date);
                DayHours { weekday: d as usize, date, open, unknown, to_confirm, comments, holiday }
            })
            .collect(),
    )
}

fn hhmm(t: ExtendedTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_wall_clock_follows_summer_time() {
        let utc = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        let local = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(paris_wall_clock(utc("2026-01-15T11:30:00.75Z")), local("2026-01-15 12:30:00"));
        // Spring forward (29 March 2026): 02:00 does not exist in Paris.
        assert_eq!(paris_wall_clock(utc("2026-03-29T00:59:59Z")), local("2026-03-29 01:59:59"));
        assert_eq!(paris_wall_clock(utc("2026-03-29T01:00:00Z")), local("2026-03-29 03:00:00"));
        // Fall back (25 October 2026): 02:00-03:00 happens twice.
        assert_eq!(paris_wall_clock(utc("2026-10-25T00:59:59Z")), local("2026-10-25 02:59:59"));
        assert_eq!(paris_wall_clock(utc("2026-10-25T01:00:00Z")), local("2026-10-25 02:00:00"));
        assert_eq!(paris_wall_clock(utc("2026-07-01T22:00:00Z")), local("2026-07-02 00:00:00"));
    }

    #[test]
    fn weekly_table_of_a_simple_rule() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(); // a Wednesday
        let week = week_table("Mo-Fr 09:00-12:00; Sa 10:00-18:00", today).unwrap();
        assert_eq!(week[0].date, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(week[0].open, vec![("09:00".to_string(), "12:00".to_string())]);
        assert_eq!(week[5].open, vec![("10:00".to_string(), "18:00".to_string())]);
        assert!(week[6].open.is_empty());
    }

    #[test]
    fn next_changes_in_words() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let at = t("2026-02-15 10:00"); // a Sunday
        assert_eq!(when_of(t("2026-02-15 18:00"), at), When::Today("18:00".into()));
        assert_eq!(when_of(t("2026-02-16 09:00"), at), When::Tomorrow("09:00".into()));
        assert_eq!(when_of(t("2026-02-20 09:00"), at), When::ThisWeek(4, "09:00".into()));
        assert_eq!(when_of(t("2026-06-01 00:00"), at), When::Month(6));
        assert_eq!(
            when_of(t("2026-03-03 09:00"), at),
            When::Date { weekday: 1, day: 3, month: 3, time: Some("09:00".into()) }
        );
        // "Jun" in February: opens in June, a year ahead at most.
        assert_eq!(status("Jun", at).next_change(), Some(t("2026-06-01 00:00")));
    }

    #[test]
    fn import_hints() {
        assert_eq!(
            did_you_mean("du lundi au vendredi de 9h à 12h et de 14h à 17h30").as_deref(),
            Some("did you mean \"Mo-Fr 09:00-12:00,14:00-17:30\"?")
        );
        assert_eq!(did_you_mean("quand il fait beau"), None);
        assert_eq!(fixed("Mo-Fr 09:00-12:00").as_deref(), Ok("Mo-Fr 09:00-12:00"));
        assert_eq!(fixed("Lu-Ve 9h-12h").as_deref(), Ok("Mo-Fr 09:00-12:00"));
        assert!(fixed("quand il fait beau").is_err());
    }

    #[test]
    fn nonsense_is_none_not_a_panic() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(week_table("le mardi", today).is_none());
        assert!(week_table("", today).is_none());
    }
}
