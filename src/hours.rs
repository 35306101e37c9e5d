//! Opening hours (OpenStreetMap `opening_hours` syntax) turned into what a visitor reads: a
//! weekly table, and "open now, closes at …" for any moment. Parsing and rule evaluation are
//! the maintained `opening-hours` crate's job, with France's public holidays (`PH off`).
//!
//! Times are local Paris wall-clock times (`NaiveDateTime`): rules are written in local time,
//! so evaluating them on local time is what makes daylight-saving days come out right.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use opening_hours::localization::Country;
use opening_hours::{Context, OpeningHours, RuleKind};

/// Local Paris time now (the kiosks' zone), as the wall clock shows it: the one clock of
/// `wic search`, the kiosk and the usage figures.
pub fn paris_now() -> NaiveDateTime {
    paris_wall_clock(chrono::Utc::now())
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
    /// Open; closes at the given time (None: does not close within a week, e.g. `24/7`).
    Open { closes: Option<NaiveDateTime> },
    /// Closed; opens at the given time (None: not within a week).
    Closed { opens: Option<NaiveDateTime> },
    /// No hours, hours that do not parse, or an `unknown` rule.
    Unknown,
}

impl OpenStatus {
    /// `Some(true)` open, `Some(false)` closed, `None` unknown (the JSON `open` field).
    pub fn is_open(&self) -> Option<bool> {
        match self {
            OpenStatus::Open { .. } => Some(true),
            OpenStatus::Closed { .. } => Some(false),
            OpenStatus::Unknown => None,
        }
    }

    /// When the state next changes.
    pub fn next_change(&self) -> Option<NaiveDateTime> {
        match self {
            OpenStatus::Open { closes } => *closes,
            OpenStatus::Closed { opens } => *opens,
            OpenStatus::Unknown => None,
        }
    }
}

/// How far ahead a next change is looked for: beyond a week, "closed" is all a visitor needs.
const HORIZON_DAYS: i64 = 8;

fn parse_fr(raw: &str) -> Option<OpeningHours> {
    if raw.trim().is_empty() {
        return None;
    }
    let oh: OpeningHours = raw.parse().ok()?;
    Some(oh.with_context(Context::default().with_holidays(Country::FR.holidays())))
}

/// The status of `raw` at local time `at`. Never panics: anything unparseable is `Unknown`.
pub fn status(raw: &str, at: NaiveDateTime) -> OpenStatus {
    let Some(oh) = parse_fr(raw) else { return OpenStatus::Unknown };
    let horizon = at + Duration::days(HORIZON_DAYS);
    let next = oh.next_change(at).filter(|t| *t <= horizon);
    match oh.state(at).0 {
        RuleKind::Open => OpenStatus::Open { closes: next },
        RuleKind::Closed => OpenStatus::Closed { opens: next.filter(|t| oh.is_open(*t)) },
        RuleKind::Unknown => OpenStatus::Unknown,
    }
}

/// Whether `raw` is open at `at` (`None`: unknown): [`status`] without the search for the
/// next change, for filtering many initiatives at once.
pub fn is_open_at(raw: &str, at: NaiveDateTime) -> Option<bool> {
    match parse_fr(raw)?.state(at).0 {
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

/// Words for a next change, relative to `at`: "12:00", "demain 09:00", "lundi 09:00".
/// `day_names` are Monday…Sunday in the visitor's language; `tomorrow` likewise.
pub fn when(next: NaiveDateTime, at: NaiveDateTime, day_names: &[&str; 7], tomorrow: &str) -> String {
    let time = next.format("%H:%M").to_string();
    let days = (next.date() - at.date()).num_days();
    match days {
        0 => time,
        1 => format!("{tomorrow} {time}"),
        _ => format!("{} {time}", day_names[next.weekday().num_days_from_monday() as usize]),
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
}

/// The seven days from the Monday of `today`'s week, or `None` when `raw` is empty or does not
/// parse (never a panic: stored values were validated, but older stores may hold anything).
pub fn week_table(raw: &str, today: NaiveDate) -> Option<Vec<DayHours>> {
    let oh = parse_fr(raw)?;
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    Some(
        (0..7)
            .map(|d| {
                let date = monday + Duration::days(d);
                let mut open = Vec::new();
                let mut unknown = false;
                for range in oh.schedule_at(date) {
                    match range.kind {
                        RuleKind::Open => open.push((hhmm(range.range.start), hhmm(range.range.end))),
                        RuleKind::Unknown => unknown = true,
                        RuleKind::Closed => {}
                    }
                }
                DayHours { weekday: d as usize, date, open, unknown }
            })
            .collect(),
    )
}

fn hhmm(t: opening_hours_syntax::ExtendedTime) -> String {
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
    fn nonsense_is_none_not_a_panic() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(week_table("le mardi", today).is_none());
        assert!(week_table("", today).is_none());
    }
}
