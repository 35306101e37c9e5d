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
        temporary_status(&item.opening_hours, at, crate::day::parse(&item.reopens))
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

/// Whether `item` is closed for a while at `at`: temporarily closed and not yet at its
/// reopening day (the closure ends by itself on that day).
pub fn closed_for_now(item: &Initiative, at: NaiveDateTime) -> bool {
    item.status == TEMPORARILY_CLOSED && crate::day::parse(&item.reopens).is_none_or(|day| at.date() < day)
}

/// What the prefix of an hours key says: closed until that day, then the hours after `|`.
const REOPENS: &str = "reopens ";

/// The opening hours that decide whether `item` is open: as written; "off" (closed, in the
/// `opening_hours` syntax) while it is temporarily closed with no known end; and
/// `reopens YYYY-MM-DD|HOURS` when the end is known, so that the "ouvert" filter, which
/// reads this key from the index, lets the entry back in on that day without a rebuild.
/// [`mark`] and [`open_on`] agree with [`key_open_at`] / [`key_open_on`] on this key.
pub fn hours_key(item: &Initiative) -> std::borrow::Cow<'_, str> {
    if item.status != TEMPORARILY_CLOSED {
        return std::borrow::Cow::Borrowed(&item.opening_hours);
    }
    match crate::day::parse(&item.reopens) {
        Some(day) => std::borrow::Cow::Owned(format!("{REOPENS}{}|{}", crate::day::key(day), item.opening_hours)),
        None => std::borrow::Cow::Borrowed("off"),
    }
}

/// Splits an hours key into its reopening day (if any) and the hours.
fn split_key(key: &str) -> (Option<NaiveDate>, &str) {
    match key.strip_prefix(REOPENS).and_then(|rest| rest.split_once('|')) {
        Some((day, hours)) => (crate::day::parse(day), hours),
        None => (None, key),
    }
}

/// Whether an hours key says open at `at` (None: unknown).
pub fn key_open_at(key: &str, at: NaiveDateTime) -> Option<bool> {
    match split_key(key) {
        (Some(day), _) if at.date() < day => Some(false),
        (_, hours) => hours::is_open_at(hours, at),
    }
}

/// Whether an hours key opens at some point on `date` (None: unknown).
pub fn key_open_on(key: &str, date: NaiveDate) -> Option<bool> {
    match split_key(key) {
        (Some(day), _) if date < day => Some(false),
        (_, hours) => hours::open_on(hours, date),
    }
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
        let a = if today { key_open_on(key, at.date()) == Some(true) } else { key_open_at(key, at) == Some(true) };
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
    key_open_on(&hours_key(item), date)
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

    /// A closure with its reopening day in the catalogue: the detail, the badge and the
    /// "ouvert" filter (which reads the index's hours key) all let the entry back in on that
    /// day, with nobody lifting the closure.
    #[test]
    fn a_catalogue_closure_with_a_reopening_day_ends_by_itself() {
        let r = Reference::embedded().unwrap();
        let at = |d, h| NaiveDate::from_ymd_opt(2027, 1, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
        let mut closed = item("Mo-Fr 09:00-12:00", TEMPORARILY_CLOSED);
        closed.reopens = "2027-01-05".into();
        // Saturday 2 January: closed, reopens Tuesday 5 at 09:00.
        let before = mark(&closed, at(2, 10), None, &r);
        assert_eq!(before.status.next_change(), Some(at(5, 9)));
        assert!(closed_for_now(&closed, at(2, 10)));
        let key = hours_key(&closed);
        assert_eq!(key, "reopens 2027-01-05|Mo-Fr 09:00-12:00");
        assert_eq!(key_open_at(&key, at(4, 10)), Some(false), "Monday 4: still closed");
        assert_eq!(key_open_on(&key, at(4, 10).date()), Some(false));
        // Tuesday 5: its hours again, everywhere.
        assert_eq!(mark(&closed, at(5, 10), None, &r).status.is_open(), Some(true));
        assert!(!closed_for_now(&closed, at(5, 10)));
        assert_eq!(key_open_at(&key, at(5, 10)), Some(true));
        assert_eq!(open_on(&closed, at(5, 10).date()), Some(true));
        // Without a reopening day, the closure is open-ended.
        let open_ended = item("Mo-Fr 09:00-12:00", TEMPORARILY_CLOSED);
        assert_eq!(hours_key(&open_ended), "off");
        assert!(closed_for_now(&open_ended, at(5, 10)));
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
