//! The order of a list browsed without words (a theme opened from Home): what a person in
//! need can use soonest comes first (issue #12, item 7), not the alphabet. Free or cheap, open
//! to all, on site in or near the kiosk's commune, open today first; subscription schemes,
//! temporarily closed entries and services for organisations (a food-bank warehouse serves
//! associations, not the visitor) last. `docs/SEARCH.md` ("Theme listings") states the rule.
//!
//! [`score`] is a pure function of one initiative and the [`NeedContext`]; [`order`] applies
//! it to a browse answer. Ties keep the browse's alphabetical order (the sort is stable).

use chrono::NaiveDate;

use super::generation::IndexError;
use super::searcher::SearchResults;
use crate::catalogue::{Initiative, Reference};
use crate::geo::{self, Point};
use crate::mark;

/// Within this distance of the kiosk (or of the commune staff chose), a place counts as near.
pub const NEAR_METRES: f64 = 3_000.0;

/// Tags that say an entry with no audience serves organisations, not people: a food bank
/// gives to associations, a crowdfunding platform to project holders. (The catalogue has no
/// audience value for organisations; an empty audience alone is only "not said".)
const ORGANISATION_TAGS: [&str; 4] = ["associations", "banque alimentaire", "entreprises", "ess"];

/// What the order depends on besides the initiative: the day, and where the visitor is.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedContext {
    /// Today, in Paris.
    pub today: NaiveDate,
    /// INSEE code of the kiosk's commune (or the one staff chose with F9).
    pub commune: Option<String>,
    /// The kiosk's place (or the chosen commune's centre).
    pub point: Option<Point>,
}

/// How soon a person in need can use `item`: higher comes first. The weights, in
/// `docs/SEARCH.md`:
///
/// | what | points |
/// |---|---|
/// | price `gratuit` / `prix-libre`, `solidaire` / not said / `payant` | 4 / 3 / 1 / 0 |
/// | access `libre` / `conditions`, `orientation`, not said / `adhesion` | 3 / 1 / 0 |
/// | audience includes `tous` | 1 |
/// | a place to go (not only online) | 2 |
/// | … in the kiosk's commune / else within 3 km | 3 / 2 more |
/// | open at some point today (its hours say so) | 2 |
/// | temporarily closed | −10 |
/// | serves organisations only (no audience, an organisation tag) | −20 |
pub fn score(item: &Initiative, cx: &NeedContext, reference: &Reference) -> i32 {
    let price = match item.price.as_str() {
        "gratuit" => 4,
        "prix-libre" | "solidaire" => 3,
        "payant" => 0,
        _ => 1,
    };
    let access = match item.access.as_str() {
        "libre" => 3,
        "adhesion" => 0,
        _ => 1,
    };
    let all = i32::from(item.audience.iter().any(|a| a == "tous"));
    let on_site = !item.online || !item.commune.is_empty() || !item.address.is_empty();
    let mut place = 0;
    if on_site && (!item.commune.is_empty() || item.latitude.is_some()) {
        place = 2;
        if cx.commune.as_deref().is_some_and(|c| c == item.commune) {
            place += 3;
        } else if let (Some(from), Some(at)) = (cx.point, geo::locate(item, reference))
            && geo::distance_m(from, at.point) <= NEAR_METRES
        {
            place += 2;
        }
    }
    let open_today = if mark::open_on(item, cx.today) == Some(true) { 2 } else { 0 };
    let closed = if mark::closed_for_now(item, cx.today.and_hms_opt(12, 0, 0).unwrap_or_default()) { -10 } else { 0 };
    price + access + all + place + open_today + closed + if serves_organisations(item) { -20 } else { 0 }
}

/// An entry for organisations rather than people: no audience said, and a tag that names
/// organisations.
pub fn serves_organisations(item: &Initiative) -> bool {
    item.audience.is_empty() && item.tags.iter().any(|t| ORGANISATION_TAGS.contains(&t.to_lowercase().as_str()))
}

/// Reorders a browse answer by [`score`], highest first (ties keep the order they came in),
/// and keeps the first `keep`. Every hit is loaded once: a browse examines at most the
/// search's limit (`ui::app::NEED_LIMIT`), so a theme larger than that is ordered within its
/// first matches by name.
pub fn order(
    results: &mut SearchResults,
    cx: &NeedContext,
    reference: &Reference,
    keep: usize,
) -> Result<(), IndexError> {
    let mut scored = Vec::with_capacity(results.hits.len());
    for (i, hit) in results.hits.iter().enumerate() {
        scored.push((score(&results.load(i)?, cx, reference), *hit));
    }
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    scored.truncate(keep);
    results.hits = scored.into_iter().map(|(_, hit)| hit).collect();
    // A browse has no words: every row is an exact one.
    results.near_start = results.hits.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(price: &str, access: &str, audience: &[&str], commune: &str) -> Initiative {
        Initiative {
            id: "x".into(),
            name: "X".into(),
            price: price.into(),
            access: access.into(),
            audience: audience.iter().map(|s| s.to_string()).collect(),
            commune: commune.into(),
            ..Default::default()
        }
    }

    fn cx() -> NeedContext {
        NeedContext {
            today: NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"),
            commune: Some("92050".into()),
            point: None,
        }
    }

    #[test]
    fn free_and_open_to_all_before_paid_subscriptions() {
        let r = Reference::default();
        let free = score(&item("gratuit", "conditions", &["tous"], "92012"), &cx(), &r);
        let grocery = score(&item("solidaire", "conditions", &["familles"], "92026"), &cx(), &r);
        let amap = score(&item("payant", "adhesion", &["tous"], "92025"), &cx(), &r);
        assert!(free > grocery && grocery > amap, "{free} {grocery} {amap}");
    }

    #[test]
    fn the_kiosks_commune_first_and_organisations_last() {
        let r = Reference::default();
        let here = score(&item("payant", "libre", &["tous"], "92050"), &cx(), &r);
        let there = score(&item("payant", "libre", &["tous"], "92012"), &cx(), &r);
        assert!(here > there);
        let mut warehouse = item("gratuit", "", &[], "92036");
        warehouse.tags = vec!["banque alimentaire".into(), "associations".into()];
        assert!(serves_organisations(&warehouse));
        assert!(score(&warehouse, &cx(), &r) < score(&item("payant", "adhesion", &[], "92012"), &cx(), &r));
    }

    #[test]
    fn open_today_and_closed_for_now() {
        let r = Reference::default();
        let mut open = item("gratuit", "libre", &["tous"], "92012");
        open.opening_hours = "Mo-Su 09:00-18:00".into();
        let mut closed = open.clone();
        closed.status = mark::TEMPORARILY_CLOSED.into();
        let unknown = item("gratuit", "libre", &["tous"], "92012");
        assert_eq!(score(&open, &cx(), &r), score(&unknown, &cx(), &r) + 2);
        assert!(score(&closed, &cx(), &r) < score(&unknown, &cx(), &r));
    }
}
