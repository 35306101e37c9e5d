//! Opening hours (OpenStreetMap `opening_hours` syntax) turned into what a visitor reads: a
//! weekly table. Parsing and rule evaluation are the maintained `opening-hours` crate's job.

use chrono::{Datelike, Duration, NaiveDate};
use opening_hours::{OpeningHours, RuleKind};

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
    if raw.trim().is_empty() {
        return None;
    }
    let oh: OpeningHours = raw.parse().ok()?;
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
