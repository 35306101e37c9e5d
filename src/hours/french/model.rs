//! What French hours are made of once read: day sets, time ranges, dates, groups of days with
//! their hours, closures.

// ---------------------------------------------------------------------------------------------
// What the text says

pub(super) const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
pub(super) const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Days {
    pub(super) week: [bool; 7],
    /// "le 1er samedi du mois": the nth weekdays of the month (negative from the end).
    pub(super) nth: Vec<i32>,
    pub(super) ph: bool,
}

impl Days {
    pub(super) fn is_empty(&self) -> bool {
        !self.ph && !self.week.iter().any(|d| *d)
    }
    pub(super) fn overlaps(&self, o: &Days) -> bool {
        (0..7).any(|d| self.week[d] && o.week[d]) || (self.ph && o.ph)
    }
    pub(super) fn osm(&self) -> String {
        let mut parts = Vec::new();
        if self.nth.is_empty() {
            parts.extend(runs(&self.week).into_iter().map(|(a, b)| span(&DAYS, a, b)));
        } else {
            let nth = self.nth.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",");
            for (d, on) in self.week.iter().enumerate() {
                if *on {
                    parts.push(format!("{}[{nth}]", DAYS[d]));
                }
            }
        }
        if self.ph {
            parts.push("PH".into());
        }
        parts.join(",")
    }
}

/// Runs of consecutive true values as (first, last).
pub(super) fn runs(set: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut d = 0;
    while d < set.len() {
        if set[d] {
            let a = d;
            while d + 1 < set.len() && set[d + 1] {
                d += 1;
            }
            out.push((a, d));
        }
        d += 1;
    }
    out
}

/// "Mo-Fr" for three or more, "Sa,Su" for two, "We" for one.
pub(super) fn span(names: &[&str], a: usize, b: usize) -> String {
    match b - a {
        0 => names[a].to_string(),
        1 => format!("{},{}", names[a], names[b]),
        _ => format!("{}-{}", names[a], names[b]),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Range {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) open_end: bool,
}

impl Range {
    pub(super) fn osm(&self) -> String {
        let t = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        if self.open_end { format!("{}+", t(self.start)) } else { format!("{}-{}", t(self.start), t(self.end)) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Date {
    pub(super) year: Option<u32>,
    pub(super) month: usize,
    pub(super) day: u32,
}

impl Date {
    pub(super) fn osm(&self, with_month: bool) -> String {
        let y = self.year.map(|y| format!("{y} ")).unwrap_or_default();
        if with_month { format!("{y}{} {:02}", MONTHS[self.month], self.day) } else { format!("{:02}", self.day) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum When {
    Always,
    Dates(Date, Date),
    Date(Date),
    Months([bool; 12]),
}

impl When {
    pub(super) fn osm(&self) -> String {
        match self {
            When::Always => String::new(),
            When::Date(d) => d.osm(true),
            When::Dates(a, b) => {
                let same = a.month == b.month && a.year == b.year;
                format!("{}-{}", a.osm(true), b.osm(!same || b.year.is_some()))
            }
            When::Months(m) => runs(m).into_iter().map(|(a, b)| span(&MONTHS, a, b)).collect::<Vec<_>>().join(","),
        }
    }
}

/// One positive rule: days, hours, a state and a comment.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Group {
    pub(super) when: When,
    pub(super) days: Option<Days>,
    pub(super) times: Vec<Range>,
    /// "le matin" and friends, or a day without hours: open at some point, hours unknown.
    pub(super) unknown: bool,
    pub(super) comment: Option<String>,
}

impl Group {
    pub(super) fn osm(&self) -> String {
        let mut s = self.when.osm();
        let push = |s: &mut String, x: &str| {
            if !x.is_empty() {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(x);
            }
        };
        let days = self.days.as_ref().map(Days::osm).unwrap_or_default();
        let all_week = self.days.as_ref().is_none_or(|d| d.week.iter().all(|x| *x) && !d.ph && d.nth.is_empty());
        let times = self.times.iter().map(Range::osm).collect::<Vec<_>>().join(",");
        if all_week && times == "00:00-24:00" && matches!(self.when, When::Always) && !self.unknown {
            push(&mut s, "24/7");
        } else {
            push(&mut s, &days);
            push(&mut s, &times);
        }
        if self.unknown {
            push(&mut s, "unknown");
        } else if self.comment.is_some() && (s.is_empty() || !times.is_empty() || !days.is_empty()) {
            push(&mut s, "open");
        }
        if let Some(c) = &self.comment {
            push(&mut s, &format!("\"{c}\""));
        }
        s
    }
}

/// A closure: days, a month, a date or a date range, "off".
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Off {
    pub(super) when: When,
    pub(super) days: Option<Days>,
}

pub(super) enum DM {
    Month(usize),
    Date(Date),
    Day(u32),
}

pub(super) fn last_day(month: usize) -> u32 {
    [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month.min(11)]
}
