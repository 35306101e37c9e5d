//! What the moment and the place make of one initiative: is it open (and until when), and how
//! far is it. `wic search` and the kiosk both ask here, so a row, a detail page and a line of
//! JSON can never disagree about the same initiative at the same minute.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::catalogue::{Initiative, Reference};
use crate::geo::{self, Point};
use crate::hours::{self, OpenStatus};

/// The catalogue status that overrides any opening hours.
pub const TEMPORARILY_CLOSED: &str = "ferme-temporairement";

/// A straight-line distance, and whether it was measured to the commune's centre only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distance {
    pub metres: f64,
    pub approx: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub status: OpenStatus,
    /// None: no origin known, an online service, or a département-wide one.
    pub distance: Option<Distance>,
}

/// Marks `item` at local Paris time `at`, measuring from `origin` when there is one.
pub fn mark(item: &Initiative, at: NaiveDateTime, origin: Option<Point>, reference: &Reference) -> Mark {
    let status = if item.status == TEMPORARILY_CLOSED {
        // With a reopening date in the catalogue (docs/HOURS.md), this becomes
        // `temporary_status(&item.opening_hours, at, item.reopens_on())`.
        temporary_status(&item.opening_hours, at, None)
    } else {
        hours::status(&item.opening_hours, at)
    };
    let distance = origin.and_then(|o| {
        geo::locate(item, reference).map(|l| Distance { metres: geo::distance_m(o, l.point), approx: l.approx })
    });
    Mark { status, distance }
}

/// The status of an initiative closed for a while: closed, and from `reopens` on (when known)
/// its hours again, by themselves: nobody has to lift the closure on the day. Until then the
/// next change is its first opening from that day ("rouvre le …"), or that day itself when its
/// hours are unknown.
pub fn temporary_status(hours: &str, at: NaiveDateTime, reopens: Option<NaiveDate>) -> OpenStatus {
    match reopens {
        Some(day) if at.date() >= day => hours::status(hours, at),
        Some(day) => OpenStatus::Closed {
            opens: hours::first_open_from(hours, day).or_else(|| day.and_hms_opt(0, 0, 0)),
            comment: None,
        },
        None => OpenStatus::Closed { opens: None, comment: None },
    }
}

/// The opening hours that decide whether `item` is open: as written, or "off" (closed, in the
/// `opening_hours` syntax) while it is temporarily closed. [`mark`] and [`open_on`] agree with
/// [`crate::hours`] evaluated on this key; the search index stores it for the "ouvert" filter.
pub fn hours_key(item: &Initiative) -> &str {
    if item.status == TEMPORARILY_CLOSED { "off" } else { &item.opening_hours }
}

/// Answers of the "ouvert" filter per hours key ([`hours_key`]), for one minute and one
/// question (now, or today). Successive keystrokes examine mostly the same matches, and
/// evaluating `opening_hours` is the dear part of the filter.
#[derive(Debug, Default)]
pub struct OpenCache {
    asked: Option<(NaiveDateTime, bool)>,
    answers: HashMap<String, bool>,
}

impl OpenCache {
    /// Bounds the memory a national catalogue of distinct hours could take.
    const MAX: usize = 100_000;

    /// Whether an initiative with this hours key is open at `at` (false when unknown).
    pub fn open_now(&mut self, key: &str, at: NaiveDateTime) -> bool {
        self.answer(key, at, false)
    }

    /// Whether it opens at some point on `at`'s day (false when unknown).
    pub fn open_today(&mut self, key: &str, at: NaiveDateTime) -> bool {
        self.answer(key, at, true)
    }

    fn answer(&mut self, key: &str, at: NaiveDateTime, today: bool) -> bool {
        if self.asked != Some((at, today)) {
            self.answers.clear();
            self.asked = Some((at, today));
        }
        if let Some(&a) = self.answers.get(key) {
            return a;
        }
        let a =
            if today { hours::open_on(key, at.date()) == Some(true) } else { hours::is_open_at(key, at) == Some(true) };
        if self.answers.len() >= Self::MAX {
            self.answers.clear();
        }
        self.answers.insert(key.to_string(), a);
        a
    }
}

/// An entry older than this many months should be checked again with the initiative.
pub const STALE_MONTHS: u32 = 12;

/// Whether an entry last checked on `updated` (ISO date) is over [`STALE_MONTHS`] old on
/// `today`; an empty or unreadable date counts as stale: nobody can say when it was checked.
/// The one rule behind the staff's "à revérifier" mark and `wic check`.
pub fn stale(updated: &str, today: NaiveDate) -> bool {
    match crate::day::parse(updated) {
        Some(d) => today.checked_sub_months(chrono::Months::new(STALE_MONTHS)).is_some_and(|limit| d < limit),
        None => true,
    }
}

/// Whether `item` opens at some point on `date` (None: unknown hours).
pub fn open_on(item: &Initiative, date: NaiveDate) -> Option<bool> {
    hours::open_on(hours_key(item), date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(hours: &str, status: &str) -> Initiative {
        Initiative {
            id: "x".into(),
            name: "X".into(),
            commune: "92050".into(),
            opening_hours: hours.into(),
            status: status.into(),
            ..Default::default()
        }
    }

    #[test]
    fn temporary_closure_wins_over_hours() {
        let r = Reference::embedded().unwrap();
        let at = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let open = mark(&item("24/7", "actif"), at, None, &r);
        assert_eq!(open.status.is_open(), Some(true));
        let closed = mark(&item("24/7", TEMPORARILY_CLOSED), at, None, &r);
        assert_eq!(closed.status, OpenStatus::Closed { opens: None, comment: None });
        assert_eq!(open_on(&item("24/7", TEMPORARILY_CLOSED), at.date()), Some(false));
        assert_eq!(open_on(&item("", "actif"), at.date()), None);
    }

    #[test]
    fn temporary_closure_ends_by_itself() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
        let hours = "Mo-Fr 09:00-12:00";
        // Closed until Tuesday 5 January 2027: reopens that day at 09:00.
        let before = temporary_status(hours, day(2).and_hms_opt(10, 0, 0).unwrap(), Some(day(5)));
        assert_eq!(before, OpenStatus::Closed { opens: day(5).and_hms_opt(9, 0, 0), comment: None });
        let after = temporary_status(hours, day(5).and_hms_opt(10, 0, 0).unwrap(), Some(day(5)));
        assert_eq!(after.is_open(), Some(true));
        // Unknown hours: the reopening day is all that can be said.
        let unknown = temporary_status("", day(2).and_hms_opt(10, 0, 0).unwrap(), Some(day(5)));
        assert_eq!(unknown.next_change(), day(5).and_hms_opt(0, 0, 0));
    }

    #[test]
    fn stale_after_a_year() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(!stale("2026-01-15", today));
        assert!(!stale("2025-12-02", today));
        assert!(stale("2025-12-01", today));
        assert!(stale("", today));
        assert!(stale("hier", today));
    }

    #[test]
    fn distance_from_commune_centre_is_approximate() {
        let r = Reference::embedded().unwrap();
        let at = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let origin = geo::parse_point("Antony", &r);
        let m = mark(&item("", "actif"), at, origin, &r);
        let d = m.distance.expect("a distance");
        assert!(d.approx && d.metres > 10_000.0, "{d:?}");
        assert_eq!(mark(&item("", "actif"), at, None, &r).distance, None);
    }
}
