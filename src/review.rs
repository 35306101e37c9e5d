//! The staff review queue: what needs a person's eyes, most urgent first — entries visitors
//! reported, then those not checked for a year (oldest first), then those missing a phone,
//! opening hours or an address. Pure: the caller reads the catalogue and the reports.

use crate::catalogue::{Initiative, Pending};
use crate::reports::Report;

/// Why an entry is in the queue (the first reason that applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// A moderator's change waits for a second moderator (four eyes).
    Pending,
    Reported,
    Stale,
    Missing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub item: Initiative,
    pub why: Why,
    /// The entry's unresolved reports, oldest first.
    pub reports: Vec<Report>,
    /// Which of phone, opening_hours, address it lacks.
    pub missing: Vec<&'static str>,
    /// The change waiting for approval, if any.
    pub pending: Option<Pending>,
}

/// How many entries each reason holds (before filtering by commune and theme).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: usize,
    pub reported: usize,
    pub stale: usize,
    pub missing: usize,
}

/// The whole queue, most urgent first, and its counts, as of `today`. [`narrow`] keeps what a
/// commune and a theme filter show.
pub fn queue(
    entries: &[Initiative],
    open_reports: &[Report],
    pending: &[Pending],
    today: chrono::NaiveDate,
) -> (Vec<QueueRow>, Counts) {
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    for item in entries {
        let reports: Vec<Report> = open_reports.iter().filter(|r| r.entry == item.id).cloned().collect();
        let held = pending.iter().find(|p| p.entry == item.id).cloned();
        // A retired entry leaves the queue, unless someone reported it (it may have reopened).
        if item.status == "inactif" && reports.is_empty() && held.is_none() {
            continue;
        }
        let missing: Vec<&'static str> =
            [("phone", &item.phone), ("opening_hours", &item.opening_hours), ("address", &item.address)]
                .into_iter()
                .filter(|(_, v)| v.trim().is_empty())
                .map(|(f, _)| f)
                // Online services have no address or hours to give.
                .filter(|f| !(item.online && *f != "phone"))
                .collect();
        // The one freshness rule of the staff's mark and `wic check`.
        let stale = crate::mark::stale(&item.updated, today);
        let why = if held.is_some() {
            Why::Pending
        } else if !reports.is_empty() {
            Why::Reported
        } else if stale {
            Why::Stale
        } else if !missing.is_empty() {
            Why::Missing
        } else {
            continue;
        };
        match why {
            Why::Pending => counts.pending += 1,
            Why::Reported => counts.reported += 1,
            Why::Stale => counts.stale += 1,
            Why::Missing => counts.missing += 1,
        }
        rows.push(QueueRow { item: item.clone(), why, reports, missing, pending: held });
    }
    rows.sort_by(|a, b| {
        a.why
            .cmp(&b.why)
            .then_with(|| match a.why {
                Why::Pending => a.pending.as_ref().map(|p| &p.at).cmp(&b.pending.as_ref().map(|p| &p.at)),
                // More reports first, then the oldest report.
                Why::Reported => {
                    b.reports.len().cmp(&a.reports.len()).then_with(|| a.reports[0].day.cmp(&b.reports[0].day))
                }
                Why::Stale => a.item.updated.cmp(&b.item.updated),
                Why::Missing => b.missing.len().cmp(&a.missing.len()),
            })
            .then_with(|| a.item.id.cmp(&b.item.id))
    });
    (rows, counts)
}

/// The rows of a commune (INSEE code) and a theme (slug), in queue order.
pub fn narrow<'a>(rows: &'a [QueueRow], commune: Option<&str>, theme: Option<&str>) -> Vec<&'a QueueRow> {
    rows.iter()
        .filter(|r| commune.is_none_or(|c| r.item.commune == c))
        .filter(|r| theme.is_none_or(|t| r.item.themes.iter().any(|x| x == t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::Reason;

    fn item(id: &str, updated: &str, phone: &str) -> Initiative {
        Initiative {
            id: id.into(),
            commune: "92050".into(),
            themes: vec!["se-nourrir".into()],
            updated: updated.into(),
            phone: phone.into(),
            opening_hours: "Mo 09:00-12:00".into(),
            address: "1 rue".into(),
            status: "actif".into(),
            ..Default::default()
        }
    }

    fn report(entry: &str, day: &str) -> Report {
        Report {
            kiosk: "k".into(),
            local_id: 1,
            entry: entry.into(),
            reason: Reason::Closed,
            day: day.into(),
            resolution: None,
            resolved_by: String::new(),
            resolved_at: String::new(),
        }
    }

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn reported_first_then_oldest_checked_then_missing() {
        let entries = vec![
            item("fine", "2026-11-01", "01"),
            item("no-phone", "2026-11-01", ""),
            item("old", "2024-01-01", "01"),
            item("older", "2023-01-01", "01"),
            item("flagged", "2026-11-01", "01"),
        ];
        let (rows, counts) = queue(&entries, &[report("flagged", "2026-12-01")], &[], day());
        let ids: Vec<&str> = rows.iter().map(|r| r.item.id.as_str()).collect();
        assert_eq!(ids, ["flagged", "older", "old", "no-phone"]);
        assert_eq!(counts, Counts { pending: 0, reported: 1, stale: 2, missing: 1 });
        assert_eq!(rows[3].missing, ["phone"]);
        assert_eq!(narrow(&rows, Some("92050"), Some("se-nourrir")).len(), 4);
        assert!(narrow(&rows, Some("92000"), None).is_empty(), "another commune");
        assert!(narrow(&rows, None, Some("se-loger")).is_empty(), "another theme");
    }
}
