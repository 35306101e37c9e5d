//! HSDS schedules (RRULE-like rows) turned into OpenStreetMap `opening_hours`.

use super::Obj;
use crate::catalogue::import::common::{number, text, valid_hours};

const DAYS: [(&str, &str); 7] =
    [("MO", "Mo"), ("TU", "Tu"), ("WE", "We"), ("TH", "Th"), ("FR", "Fr"), ("SA", "Sa"), ("SU", "Su")];

/// Weekly (and daily) schedules become day groups with their hours, monthly ones with a
/// numbered weekday (`1SA`) become `Sa[1]`; the result is checked by the same parser as our
/// validator. Validity dates and the other RRULE parts are reported, not kept.
pub(super) fn opening_hours_of(schedules: &[&Obj]) -> Result<String, String> {
    let mut week: [Vec<String>; 7] = Default::default();
    let mut monthly: Vec<(usize, i32, String)> = Vec::new();
    for s in schedules {
        let span = format!("{}-{}", clock(s, "opens_at")?, clock(s, "closes_at")?);
        if number(s, "interval").is_some_and(|i| i != 1.0) {
            return Err("an interval other than 1".into());
        }
        let freq = text(s, "freq").unwrap_or_default().to_uppercase();
        let byday: Vec<String> = text(s, "byday")
            .unwrap_or_default()
            .split(',')
            .map(|d| d.trim().to_uppercase())
            .filter(|d| !d.is_empty())
            .collect();
        match freq.as_str() {
            "DAILY" if byday.is_empty() => week.iter_mut().for_each(|d| d.push(span.clone())),
            "" | "WEEKLY" | "DAILY" if !byday.is_empty() => {
                for day in &byday {
                    week[day_index(day).ok_or(format!("day \"{day}\""))?].push(span.clone());
                }
            }
            "MONTHLY" if !byday.is_empty() => {
                for day in &byday {
                    let (nth, code) = day.split_at(day.len().saturating_sub(2));
                    let nth: i32 = nth.trim_start_matches('+').parse().map_err(|_| format!("day \"{day}\""))?;
                    let index = day_index(code).ok_or(format!("day \"{day}\""))?;
                    if nth == 0 || nth.abs() > 5 {
                        return Err(format!("day \"{day}\""));
                    }
                    monthly.push((index, nth, span.clone()));
                }
            }
            _ => return Err(format!("frequency \"{freq}\" without days")),
        }
    }
    let mut rules = weekly_rules(&mut week);
    rules.extend(monthly.iter().map(|(d, n, span)| format!("{}[{n}] {span}", DAYS[*d].1)));
    let hours = rules.join("; ");
    if hours.is_empty() || !valid_hours(&hours) {
        return Err(format!("\"{hours}\" is not valid opening_hours"));
    }
    Ok(hours)
}

/// Days with the same hours grouped, in week order: `Mo-Th 09:00-12:00,15:00-17:00`.
fn weekly_rules(week: &mut [Vec<String>; 7]) -> Vec<String> {
    for spans in week.iter_mut() {
        spans.sort();
        spans.dedup();
    }
    let mut done = [false; 7];
    let mut rules = Vec::new();
    for first in 0..7 {
        if done[first] || week[first].is_empty() {
            continue;
        }
        let days: Vec<usize> = (first..7).filter(|&d| week[d] == week[first]).collect();
        days.iter().for_each(|&d| done[d] = true);
        rules.push(format!("{} {}", day_ranges(&days), week[first].join(",")));
    }
    rules
}

/// `[0,1,2,3]` → `Mo-Th`; `[3,4]` → `Th,Fr`; `[0,2]` → `Mo,We`.
fn day_ranges(days: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        match j - i {
            0 => parts.push(DAYS[days[i]].1.to_string()),
            1 => parts.push(format!("{},{}", DAYS[days[i]].1, DAYS[days[j]].1)),
            _ => parts.push(format!("{}-{}", DAYS[days[i]].1, DAYS[days[j]].1)),
        }
        i = j + 1;
    }
    parts.join(",")
}

fn day_index(code: &str) -> Option<usize> {
    DAYS.iter().position(|(c, _)| *c == code)
}

/// `09:00:00Z`, `9:00`, `17:30:00+01:00` → `HH:MM` (HSDS times are local in practice).
fn clock(s: &Obj, key: &str) -> Result<String, String> {
    let raw = text(s, key).ok_or(format!("no {key}"))?;
    let mut parts = raw.split(':');
    let hour: u32 = parts.next().and_then(|h| h.trim().parse().ok()).ok_or(format!("{key} \"{raw}\""))?;
    let minute: u32 =
        parts.next().and_then(|m| m.get(..2)).and_then(|m| m.parse().ok()).ok_or(format!("{key} \"{raw}\""))?;
    if hour > 24 || minute > 59 {
        return Err(format!("{key} \"{raw}\""));
    }
    Ok(format!("{hour:02}:{minute:02}"))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn obj(v: Value) -> Obj {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn weekly_and_monthly_schedules_become_opening_hours() {
        let s = [
            obj(
                serde_json::json!({"freq": "WEEKLY", "byday": "MO,TU,WE,TH", "opens_at": "09:00:00Z", "closes_at": "12:00:00Z"}),
            ),
            obj(
                serde_json::json!({"freq": "WEEKLY", "byday": "MO,TU,WE,TH", "opens_at": "15:00:00Z", "closes_at": "17:00:00Z"}),
            ),
            obj(serde_json::json!({"freq": "MONTHLY", "byday": "1SA", "opens_at": "09:00", "closes_at": "17:00"})),
        ];
        let refs: Vec<&Obj> = s.iter().collect();
        assert_eq!(opening_hours_of(&refs).unwrap(), "Mo-Th 09:00-12:00,15:00-17:00; Sa[1] 09:00-17:00");
    }

    #[test]
    fn schedules_we_cannot_express_are_refused() {
        let every_other_week = obj(
            serde_json::json!({"freq": "WEEKLY", "interval": 2, "byday": "MO", "opens_at": "09:00", "closes_at": "12:00"}),
        );
        assert!(opening_hours_of(&[&every_other_week]).is_err());
        let no_time = obj(serde_json::json!({"freq": "WEEKLY", "byday": "MO"}));
        assert_eq!(opening_hours_of(&[&no_time]).unwrap_err(), "no opens_at");
    }

    #[test]
    fn day_groups() {
        assert_eq!(day_ranges(&[0, 1, 2, 3]), "Mo-Th");
        assert_eq!(day_ranges(&[3, 4]), "Th,Fr");
        assert_eq!(day_ranges(&[0, 2, 4, 5, 6]), "Mo,We,Fr-Su");
    }
}
