//! The opening status of a table of real-world `opening_hours` strings at chosen instants
//! (local Paris time): simple days, lunch breaks, midnight-spanning ranges, daylight-saving
//! change days, French public holidays with `PH off`, `24/7`, and nonsense.

use chrono::{NaiveDate, NaiveDateTime};
use wic::hours::{OpenStatus, open_on, status, week_table};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// (hours, instant, expected open (None = unknown), expected next change or "")
const CASES: &[(&str, &str, Option<bool>, &str)] = &[
    // 2026-12-01 is a Tuesday.
    ("Mo-Fr 09:00-12:00", "2026-12-01 10:00", Some(true), "2026-12-01 12:00"),
    ("Mo-Fr 09:00-12:00", "2026-12-01 08:59", Some(false), "2026-12-01 09:00"),
    ("Mo-Fr 09:00-12:00", "2026-12-01 12:00", Some(false), "2026-12-02 09:00"),
    ("Mo-Fr 09:00-12:00", "2026-12-05 10:00", Some(false), "2026-12-07 09:00"),
    ("Mo-Fr 09:00-12:00,14:00-17:00", "2026-12-01 13:00", Some(false), "2026-12-01 14:00"),
    ("Mo-Fr 09:00-12:00,14:00-17:00", "2026-12-01 15:30", Some(true), "2026-12-01 17:00"),
    ("Tu,Th 14:30-17:00; Sa 10:00-12:00", "2026-12-03 14:30", Some(true), "2026-12-03 17:00"),
    ("Tu,Th 14:30-17:00; Sa 10:00-12:00", "2026-12-04 10:00", Some(false), "2026-12-05 10:00"),
    ("Th 18:00-19:30", "2026-12-03 19:00", Some(true), "2026-12-03 19:30"),
    ("Th 18:00-19:30", "2026-12-03 19:30", Some(false), "2026-12-10 18:00"),
    ("Sa 10:00-18:00", "2026-12-06 11:00", Some(false), "2026-12-12 10:00"),
    // Midnight-spanning: Friday night into Saturday.
    ("Fr 22:00-02:00", "2026-12-04 23:30", Some(true), "2026-12-05 02:00"),
    ("Fr 22:00-02:00", "2026-12-05 01:00", Some(true), "2026-12-05 02:00"),
    ("Fr 22:00-02:00", "2026-12-05 02:30", Some(false), "2026-12-11 22:00"),
    ("Fr 22:00-02:00", "2026-12-04 21:00", Some(false), "2026-12-04 22:00"),
    // Always open.
    ("24/7", "2026-12-01 03:00", Some(true), ""),
    ("24/7", "2026-07-14 12:00", Some(true), ""),
    // French public holidays: 14 July 2026 is a Tuesday, 25 December 2026 a Friday.
    ("Mo-Fr 09:00-17:00; PH off", "2026-07-14 10:00", Some(false), "2026-07-15 09:00"),
    ("Mo-Fr 09:00-17:00; PH off", "2026-07-15 10:00", Some(true), "2026-07-15 17:00"),
    ("Mo-Fr 09:00-17:00; PH off", "2026-12-25 10:00", Some(false), "2026-12-28 09:00"),
    ("Mo-Fr 09:00-17:00; PH off", "2026-12-24 16:00", Some(true), "2026-12-24 17:00"),
    ("Mo-Sa 10:00-19:00; PH off", "2026-05-01 11:00", Some(false), "2026-05-02 10:00"),
    // Daylight-saving change days (29 March 2026: 02:00 → 03:00; 25 October 2026: 03:00 → 02:00):
    // rules are local wall-clock times, so a Sunday morning market keeps its hours.
    ("Su 08:00-13:00", "2026-03-29 09:00", Some(true), "2026-03-29 13:00"),
    ("Su 08:00-13:00", "2026-03-29 07:59", Some(false), "2026-03-29 08:00"),
    ("Su 08:00-13:00", "2026-10-25 12:59", Some(true), "2026-10-25 13:00"),
    ("Su 00:00-04:00", "2026-10-25 02:30", Some(true), "2026-10-25 04:00"),
    // 02:30 does not exist in Paris on 29 March 2026: a range ending then ends at 03:00.
    ("Sa 22:00-02:30", "2026-03-28 23:00", Some(true), "2026-03-29 03:00"),
    ("Sa 22:00-02:30", "2026-03-21 23:00", Some(true), "2026-03-22 02:30"),
    // Months and exceptions.
    // The next opening is looked for up to a year ahead: "ouvre le lundi 4 janvier à 10:00".
    ("Jan-Jun Mo 10:00-12:00", "2026-12-07 11:00", Some(false), "2027-01-04 10:00"),
    ("Jun", "2026-02-15 10:00", Some(false), "2026-06-01 00:00"),
    ("Mo-Fr 09:00-12:00; We off", "2026-12-02 10:00", Some(false), "2026-12-03 09:00"),
    // No `PH off` here: Christmas (a Friday) is an ordinary open day.
    ("Mo-Fr 09:00-18:00; Dec 24 off", "2026-12-24 10:00", Some(false), "2026-12-25 09:00"),
    // Unknown and nonsense: never a panic.
    // To be confirmed until Saturday, when the hours say "closed".
    ("Mo-Fr unknown", "2026-12-01 10:00", None, "2026-12-05 00:00"),
    // An open end and a comment-only rule are to be confirmed, never "open"; a bare
    // `PH off` says nothing about ordinary days.
    ("17:00+", "2026-12-01 18:00", None, "2026-12-02 03:00"),
    ("\"sur rendez-vous\"", "2026-12-01 10:00", None, ""),
    ("PH off", "2026-12-01 10:00", None, ""),
    ("le mardi et le jeudi", "2026-12-01 10:00", None, ""),
    ("", "2026-12-01 10:00", None, ""),
    ("Mo-Fr 25:00-26:00", "2026-12-01 10:00", None, ""),
    ("\u{1b}[31mMo 10:00-12:00", "2026-12-01 10:00", None, ""),
];

#[test]
fn opening_status_table() {
    let mut failures = Vec::new();
    for (hours, instant, open, next) in CASES {
        let got = status(hours, at(instant));
        let want_next = if next.is_empty() { None } else { Some(at(next)) };
        if got.is_open() != *open || got.next_change() != want_next {
            failures.push(format!("{hours:?} at {instant}: got {got:?}, want open={open:?} next={want_next:?}"));
        }
    }
    assert!(CASES.len() >= 30);
    assert!(failures.is_empty(), "{} of {} cases wrong:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn open_today_and_weekly_table() {
    let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(open_on("Tu 14:00-16:00", tuesday), Some(true));
    assert_eq!(open_on("We 14:00-16:00", tuesday), Some(false));
    assert_eq!(open_on("nonsense", tuesday), None);
    let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    let week = week_table("Mo-Fr 09:00-17:00; PH off", christmas).unwrap();
    assert!(week[4].open.is_empty(), "Christmas Friday is closed");
    assert_eq!(week[3].open, vec![("09:00".to_string(), "17:00".to_string())]);
    assert!(matches!(status("24/7", at("2026-12-01 00:00")), OpenStatus::Open { closes: None, comment: None }));
    assert_eq!(
        status("\"sur rendez-vous\"", at("2026-12-01 10:00")),
        OpenStatus::ToConfirm { until: None, comment: Some("sur rendez-vous".into()) }
    );
    assert_eq!(status("PH off", at("2026-12-25 10:00")), OpenStatus::Unknown);
    let appointment = status("Mo-Fr 14:00-17:00 open \"sur rendez-vous\"", at("2026-12-01 15:00"));
    assert_eq!(appointment.comment(), Some("sur rendez-vous"));
}

#[test]
fn a_comment_where_a_state_would_be_is_to_be_confirmed() {
    // Sunday 6 December 2026: the Sunday rule is only a comment, not an opening.
    let s = status("Mo-Sa 08:00-21:00; Su \"some 08:00-16:00\"", at("2026-12-06 10:00"));
    assert_eq!(
        s,
        OpenStatus::ToConfirm { until: Some(at("2026-12-07 00:00")), comment: Some("some 08:00-16:00".into()) }
    );
    // With the state written, the comment goes with it.
    let s = status("Su open \"marché\"", at("2026-12-06 10:00"));
    assert_eq!(s.is_open(), Some(true));
    assert_eq!(s.comment(), Some("marché"));
}

#[test]
fn a_fallback_to_be_confirmed_fills_the_hours_left_without_a_state() {
    // Tuesday 1 December 2026: mornings open, the rest "sur rendez-vous", as opening_hours.js
    // reads it (the crate would say closed on weekday afternoons).
    let hours = "Mo-Fr 09:00-12:00 || \"sur rendez-vous\"";
    let afternoon = status(hours, at("2026-12-01 15:00"));
    assert_eq!(
        afternoon,
        OpenStatus::ToConfirm { until: Some(at("2026-12-02 09:00")), comment: Some("sur rendez-vous".into()) }
    );
    assert_eq!(status(hours, at("2026-12-01 10:00")).next_change(), Some(at("2026-12-01 12:00")));
    // Rules on overlapping days keep the crate's reading.
    let tangled = status("Mo-Fr 09:00-12:00; We 14:00-16:00 || \"sur rendez-vous\"", at("2026-12-01 15:00"));
    assert_eq!(tangled.is_open(), Some(false));
}
