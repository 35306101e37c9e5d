//! Days as the catalogue and the usage figures write them: ISO `YYYY-MM-DD` keys.
//!
//! `updated` dates, usage rows, `wic stats --since` and `wic check --today` all use this one
//! spelling, and it is compared as text in SQL (`day >= ?`): so there is one parser, strict
//! (exactly four-two-two digits, a real calendar day), and one printer.

use chrono::NaiveDate;

/// The day of an ISO `YYYY-MM-DD` key; `None` for any other spelling or an impossible day.
pub fn parse(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::from_ymd_opt(s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..].parse().ok()?)
}

/// The key of a day: `2026-12-01`.
pub fn key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_iso_days() {
        assert_eq!(parse("2026-12-01"), NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(parse("2024-02-29").map(key).as_deref(), Some("2024-02-29"));
        for bad in ["2025-02-29", "2026-1-05", "20261201", "+026-12-01", "2026-12-01T10:00", "", "hier", "2026-13-01"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
