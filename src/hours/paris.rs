//! Europe/Paris as a `chrono` time zone, for the `opening-hours` crate's localized evaluation:
//! CET (UTC+1) in winter, CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday
//! of October 01:00 UTC (the EU rule, in force since 1996). With it, a range ending at 02:30 on
//! the spring-forward night (a time that does not exist in Paris) ends at 03:00, and the hour
//! that happens twice in October is read once, as the crate's `TzLocation` does with any zone.
//!
//! When `chrono-tz` joins the dependencies, `chrono_tz::Europe::Paris` can replace this type:
//! both give the same offsets on every date after 1996.

use std::fmt;

use chrono::{Datelike, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paris;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParisOffset(FixedOffset);

impl Offset for ParisOffset {
    fn fix(&self) -> FixedOffset {
        self.0
    }
}

impl fmt::Display for ParisOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

const HOUR: i32 = 3600;

fn winter() -> ParisOffset {
    ParisOffset(FixedOffset::east_opt(HOUR).expect("UTC+1"))
}

fn summer() -> ParisOffset {
    ParisOffset(FixedOffset::east_opt(2 * HOUR).expect("UTC+2"))
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, month + 1, 1).and_then(|d| d.pred_opt()).unwrap_or_default();
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// The UTC instants at which summer time starts and ends in `year`.
fn transitions(year: i32) -> (NaiveDateTime, NaiveDateTime) {
    let at_one = |d: NaiveDate| d.and_hms_opt(1, 0, 0).unwrap_or_default();
    (at_one(last_sunday(year, 3)), at_one(last_sunday(year, 10)))
}

impl TimeZone for Paris {
    type Offset = ParisOffset;

    fn from_offset(_: &ParisOffset) -> Self {
        Paris
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ParisOffset> {
        // A date's offset at noon: no transition happens then.
        self.offset_from_local_datetime(&local.and_hms_opt(12, 0, 0).unwrap_or_default())
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ParisOffset> {
        let (start, end) = transitions(local.year());
        // In local wall-clock time: summer starts at 02:00 (jumping to 03:00) and ends at 03:00
        // (going back to 02:00).
        let gap_start = start + chrono::Duration::hours(1);
        let gap_end = start + chrono::Duration::hours(2);
        let fold_start = end + chrono::Duration::hours(1);
        let fold_end = end + chrono::Duration::hours(2);
        if *local >= gap_start && *local < gap_end {
            MappedLocalTime::None
        } else if *local >= fold_start && *local < fold_end {
            MappedLocalTime::Ambiguous(summer(), winter())
        } else if *local >= gap_end && *local < fold_start {
            MappedLocalTime::Single(summer())
        } else {
            MappedLocalTime::Single(winter())
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ParisOffset {
        self.offset_from_utc_datetime(&utc.and_hms_opt(12, 0, 0).unwrap_or_default())
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ParisOffset {
        let (start, end) = transitions(utc.year());
        if *utc >= start && *utc < end { summer() } else { winter() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn gaps_and_folds_of_2024() {
        assert!(Paris.from_local_datetime(&local("2024-03-31 02:30")).single().is_none());
        assert!(matches!(Paris.from_local_datetime(&local("2024-03-31 02:30")), MappedLocalTime::None));
        assert_eq!(Paris.offset_from_local_datetime(&local("2024-03-31 03:00")).single(), Some(summer()));
        assert_eq!(Paris.offset_from_local_datetime(&local("2024-03-31 01:59")).single(), Some(winter()));
        assert!(matches!(
            Paris.offset_from_local_datetime(&local("2024-10-27 02:30")),
            MappedLocalTime::Ambiguous(_, _)
        ));
        assert_eq!(Paris.offset_from_local_datetime(&local("2024-10-27 03:00")).single(), Some(winter()));
        assert_eq!(Paris.offset_from_utc_datetime(&local("2024-07-01 12:00")), summer());
        assert_eq!(Paris.offset_from_utc_datetime(&local("2024-12-01 12:00")), winter());
    }
}
