//! Distances "as the crow flies" between the kiosk (or a commune the staff chose) and each
//! initiative, and a walking estimate from them. The point of an initiative is its own
//! coordinates, else its commune's centre (then marked approximate); online services and
//! département-wide ones have none, and are never pushed down by distance.

use crate::catalogue::{Initiative, Reference};

/// A point on Earth, in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// Where an initiative is, and whether that is only its commune's centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    pub point: Point,
    pub approx: bool,
}

/// Straight-line walking pace used for the estimate (4.5 km/h, a slow urban pace: streets are
/// never straight, so the estimate stays honest rather than flattering).
const WALK_METRES_PER_MINUTE: f64 = 75.0;

pub fn locate(item: &Initiative, reference: &Reference) -> Option<Located> {
    if let (Some(lat), Some(lon)) = (item.latitude, item.longitude) {
        return Some(Located { point: Point { lat, lon }, approx: false });
    }
    if item.online && item.commune.is_empty() {
        return None;
    }
    reference.commune_by_code(&item.commune).map(|c| Located { point: Point { lat: c.lat, lon: c.lon }, approx: true })
}

/// Haversine distance in metres.
pub fn distance_m(a: Point, b: Point) -> f64 {
    const R: f64 = 6_371_000.0;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

/// Minutes on foot for a straight-line distance (at least 1).
pub fn walking_minutes(metres: f64) -> u32 {
    ((metres / WALK_METRES_PER_MINUTE).ceil() as u32).max(1)
}

/// "350 m" or "2,4 km" (French decimal comma).
fn format_distance(metres: f64) -> String {
    if metres < 1000.0 {
        format!("{} m", ((metres / 10.0).round() * 10.0) as u32)
    } else {
        format!("{:.1} km", metres / 1000.0).replace('.', ",")
    }
}

/// A distance as a person reads it: exact ("350 m"), or from a commune's centre ("≈ 2,4 km",
/// and "< 1 km" rather than a precise-looking "≈ 0 m" when the kiosk is in that commune).
pub fn describe_distance(metres: f64, approx: bool) -> String {
    match (approx, metres < 1000.0) {
        (false, _) => format_distance(metres),
        (true, true) => "< 1 km".to_string(),
        (true, false) => format!("≈ {}", format_distance(metres)),
    }
}

/// A point typed by a person: a commune (name, postcode, INSEE code) or `LAT,LON`.
pub fn parse_point(text: &str, reference: &Reference) -> Option<Point> {
    if let Some(c) = reference.find_commune(text) {
        return Some(Point { lat: c.lat, lon: c.lon });
    }
    let (lat, lon) = text.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some(Point { lat, lon })
}

/// Sorts the items that have a distance by it, nearest first, in the slots they already hold:
/// items without one (online services) stay where relevance put them.
pub fn sort_by_distance<T: Clone>(items: &mut [T], distance: impl Fn(&T) -> Option<f64>) {
    let slots: Vec<usize> = (0..items.len()).filter(|&i| distance(&items[i]).is_some()).collect();
    let mut located: Vec<T> = slots.iter().map(|&i| items[i].clone()).collect();
    located.sort_by(|a, b| distance(a).unwrap_or(f64::MAX).total_cmp(&distance(b).unwrap_or(f64::MAX)));
    for (slot, item) in slots.into_iter().zip(located) {
        items[slot] = item;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_between_communes() {
        let r = Reference::embedded().unwrap();
        let nanterre = parse_point("Nanterre", &r).unwrap();
        let antony = parse_point("antony", &r).unwrap();
        let d = distance_m(nanterre, antony);
        // Nanterre–Antony is about 16 km as the crow flies.
        assert!((14_000.0..18_000.0).contains(&d), "{d}");
        assert_eq!(distance_m(nanterre, nanterre), 0.0);
        assert_eq!(parse_point("48.85, 2.35", &r), Some(Point { lat: 48.85, lon: 2.35 }));
        assert_eq!(parse_point("nowhere", &r), None);
        assert_eq!(describe_distance(120.0, true), "< 1 km");
        assert_eq!(describe_distance(2440.0, true), "≈ 2,4 km");
        assert_eq!(describe_distance(354.0, false), "350 m");
    }

    #[test]
    fn distance_sort_keeps_online_in_place() {
        let mut items = vec![(1, Some(900.0)), (2, None), (3, Some(100.0)), (4, Some(500.0))];
        sort_by_distance(&mut items, |i| i.1);
        assert_eq!(items.iter().map(|i| i.0).collect::<Vec<_>>(), vec![3, 2, 4, 1]);
    }

    #[test]
    fn walking_and_formatting() {
        assert_eq!(walking_minutes(900.0), 12);
        assert_eq!(walking_minutes(10.0), 1);
        assert_eq!(format_distance(347.0), "350 m");
        assert_eq!(format_distance(2_430.0), "2,4 km");
    }
}
