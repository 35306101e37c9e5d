//! What the moment and the place make of one initiative: is it open (and until when), and how
//! far is it. `wic search` and the kiosk both ask here, so a row, a detail page and a line of
//! JSON can never disagree about the same initiative at the same minute.

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
        OpenStatus::Closed { opens: None }
    } else {
        hours::status(&item.opening_hours, at)
    };
    let distance = origin.and_then(|o| {
        geo::locate(item, reference).map(|l| Distance { metres: geo::distance_m(o, l.point), approx: l.approx })
    });
    Mark { status, distance }
}

/// Whether an entry last checked on `updated` (ISO date) is over a year old on `today`; an
/// empty or unreadable date counts as stale: nobody can say when it was checked.
pub fn stale(updated: &str, today: NaiveDate) -> bool {
    match NaiveDate::parse_from_str(updated, "%Y-%m-%d") {
        Ok(d) => today.checked_sub_months(chrono::Months::new(12)).is_some_and(|limit| d < limit),
        Err(_) => true,
    }
}

/// Whether `item` opens at some point on `date` (None: unknown hours).
pub fn open_on(item: &Initiative, date: NaiveDate) -> Option<bool> {
    if item.status == TEMPORARILY_CLOSED { Some(false) } else { hours::open_on(&item.opening_hours, date) }
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
        assert_eq!(closed.status, OpenStatus::Closed { opens: None });
        assert_eq!(open_on(&item("24/7", TEMPORARILY_CLOSED), at.date()), Some(false));
        assert_eq!(open_on(&item("", "actif"), at.date()), None);
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
