//! `wic stats`: the anonymous usage figures of `usage.db` as bar charts in the terminal (or
//! JSON for a spreadsheet): searches per day, theme openings, the most viewed initiatives, and
//! the share of searches that found nothing, week by week, and the words kiosk visitors
//! searched in vain — only those typed in at least `usage::MISSED_THRESHOLD` separate visits.
//!
//! Initiative names come from the catalogue and are untrusted: sanitised before printing.

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Failure, Out};
use crate::catalogue::Reference;
use crate::cli::StatsArgs;
use crate::data_dir::DataDir;
use crate::day;
use crate::i18n::Strings;
use crate::text::{sanitize_line, terminal_safe};
use crate::usage::{self, Row};

/// Width of the longest bar, in columns: label + bar + figures fit in 80 columns.
const BAR_WIDTH: usize = 36;
/// Longest label (initiative names are cut with "…").
const LABEL_WIDTH: usize = 28;
/// How many initiatives the "most viewed" chart lists.
const TOP: usize = 10;
/// How many missed words the report lists.
const TOP_WORDS: usize = 30;

#[derive(Debug, Serialize)]
pub struct Figures {
    pub since: String,
    pub until: String,
    /// Total per event name (`search`, `search_no_result`, `theme_opened`…).
    pub totals: BTreeMap<String, u64>,
    /// Total per session mode (`kiosk`, `staff`), all events.
    pub by_mode: BTreeMap<String, u64>,
    pub searches_per_day: Vec<DayCount>,
    pub themes: Vec<Named>,
    pub most_viewed: Vec<Named>,
    pub zero_result_by_week: Vec<WeekRate>,
    /// Words kiosk visitors searched without success, each typed in at least
    /// [`usage::MISSED_THRESHOLD`] separate visits over the period, most frequent first.
    pub missed_words: Vec<MissedWord>,
}

#[derive(Debug, Serialize)]
pub struct MissedWord {
    pub word: String,
    /// In how many visits it was searched without success (at least the threshold).
    pub visits: u64,
}

#[derive(Debug, Serialize)]
pub struct DayCount {
    pub day: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct Named {
    /// Theme slug or initiative id.
    pub key: String,
    /// French label or initiative name (sanitised).
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct WeekRate {
    /// ISO week, e.g. `2026-W48`.
    pub week: String,
    pub searches: u64,
    pub no_result: u64,
    /// `no_result / searches`, 0 when there was no search.
    pub rate: f64,
}

pub fn run(data: &DataDir, args: &StatsArgs, s: &Strings) -> Result<(), Failure> {
    let since = match &args.since {
        Some(s) => {
            day::parse(s).ok_or_else(|| Failure::Input(format!("--since {}: expected YYYY-MM-DD", terminal_safe(s))))?
        }
        None => {
            let today = day::parse(&usage::today_paris()).context("today's date")?;
            today.checked_sub_days(chrono::Days::new(30)).context("date arithmetic")?
        }
    };
    let path = data.usage_path();
    let rows = if path.exists() {
        let conn = usage::open_read(&path)
            .with_context(|| s.fmt("cli.error.open_file", &[("path", &path.display().to_string())]))?;
        usage::read_rows(&conn, &day::key(since))
            .with_context(|| s.fmt("cli.error.read_file", &[("path", &path.display().to_string())]))?
    } else {
        if !args.json {
            let path = terminal_safe(&path.display().to_string());
            return Out::stdout().line(s.fmt("cli.stats.no_usage", &[("path", &path)]));
        }
        Vec::new()
    };
    // Names and labels from the catalogue when it opens; ids and slugs otherwise.
    let (reference, names) = match data.open_read() {
        Ok(store) => (
            store.reference().unwrap_or_default(),
            store.all().map(|all| all.into_iter().map(|i| (i.id, i.name)).collect()).unwrap_or_default(),
        ),
        Err(_) => (Reference::embedded().unwrap_or_default(), HashMap::new()),
    };
    let figures = figures(&rows, since, &reference, &names);
    let mut out = Out::stdout();
    if args.json {
        out.line(serde_json::to_string_pretty(&figures).context("JSON")?)
    } else {
        out.text(&render(&figures, ascii_terminal(), s))
    }
}

/// Whether bars must be ASCII: the Linux console and dumb terminals lack the block glyphs,
/// and a non-UTF-8 locale would show them as garbage.
pub fn ascii_terminal() -> bool {
    let env = crate::terminal_env::TermEnv::from_env();
    env.ascii_only() || !env.utf8_locale()
}

/// Aggregates the stored counters from `since` on.
pub fn figures(rows: &[Row], since: NaiveDate, reference: &Reference, names: &HashMap<String, String>) -> Figures {
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_mode: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_day: BTreeMap<String, u64> = BTreeMap::new();
    let mut themes: HashMap<String, u64> = HashMap::new();
    let mut viewed: HashMap<String, u64> = HashMap::new();
    let mut weeks: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut missed: HashMap<String, u64> = HashMap::new();
    let mut until = since;
    for r in rows {
        if r.event == usage::MISSED_WORD {
            // Words, not events: neither in the totals nor in the counts per mode. Checked
            // again here, whatever wrote the file: letters only, 40 at most.
            if usage::missed_words(&r.key) == [r.key.clone()] && r.key.chars().count() <= usage::MISSED_MAX_CHARS {
                *missed.entry(r.key.clone()).or_default() += r.count;
            }
            continue;
        }
        *totals.entry(r.event.clone()).or_default() += r.count;
        *by_mode.entry(r.mode.clone()).or_default() += r.count;
        let Some(day) = day::parse(&r.day) else { continue };
        until = until.max(day);
        let iso = day.iso_week();
        let week = format!("{:04}-W{:02}", iso.year(), iso.week());
        match r.event.as_str() {
            "search" => {
                *per_day.entry(r.day.clone()).or_default() += r.count;
                weeks.entry(week).or_default().0 += r.count;
            }
            "search_no_result" => weeks.entry(week).or_default().1 += r.count,
            "theme_opened" => *themes.entry(r.key.clone()).or_default() += r.count,
            "detail_viewed" => *viewed.entry(r.key.clone()).or_default() += r.count,
            _ => {}
        }
    }
    // Every day of the period, so that a day without searches shows as a gap.
    let mut searches_per_day = Vec::new();
    let mut date = since;
    while date <= until {
        let key = day::key(date);
        searches_per_day.push(DayCount { count: per_day.get(&key).copied().unwrap_or(0), day: key });
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    let mut themes: Vec<Named> = themes
        .into_iter()
        .map(|(slug, count)| Named {
            label: reference.theme(&slug).map(|t| t.label_fr.clone()).unwrap_or_else(|| sanitize_line(&slug)),
            key: slug,
            count,
        })
        .collect();
    themes.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    let mut most_viewed: Vec<Named> = viewed
        .into_iter()
        .map(|(id, count)| Named {
            label: sanitize_line(names.get(&id).map(String::as_str).unwrap_or(&id)),
            key: sanitize_line(&id),
            count,
        })
        .collect();
    most_viewed.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    most_viewed.truncate(TOP);
    let zero_result_by_week = weeks
        .into_iter()
        .map(|(week, (searches, no_result))| WeekRate {
            week,
            searches,
            no_result,
            rate: if searches == 0 { 0.0 } else { no_result as f64 / searches as f64 },
        })
        .collect();
    // Nothing below the threshold is ever shown.
    let mut missed_words: Vec<MissedWord> = missed
        .into_iter()
        .filter(|(_, visits)| *visits >= u64::from(usage::MISSED_THRESHOLD))
        .map(|(word, visits)| MissedWord { word, visits })
        .collect();
    missed_words.sort_by(|a, b| b.visits.cmp(&a.visits).then(a.word.cmp(&b.word)));
    missed_words.truncate(TOP_WORDS);
    Figures {
        since: day::key(since),
        until: day::key(until),
        totals,
        by_mode,
        searches_per_day,
        themes,
        most_viewed,
        zero_result_by_week,
        missed_words,
    }
}

/// A bar of `value` against `max`, [`BAR_WIDTH`] columns at most. Unicode bars have eighths
/// of a column; any non-zero value shows at least a sliver.
fn bar(value: u64, max: u64, ascii: bool) -> String {
    if max == 0 || value == 0 {
        return String::new();
    }
    if ascii {
        let n = ((value * BAR_WIDTH as u64) as f64 / max as f64).round().max(1.0) as usize;
        return "#".repeat(n);
    }
    let eighths = ((value * BAR_WIDTH as u64 * 8) as f64 / max as f64).round().max(1.0) as usize;
    let mut s = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PARTS[eighths % 8]);
    s
}

/// `s` cut to `width` columns with "…" (or "..." in ASCII mode), then padded.
fn fit(s: &str, width: usize, ascii: bool) -> String {
    let ellipsis = if ascii { "..." } else { "…" };
    let mut out = String::new();
    if s.width() > width {
        let room = width - ellipsis.width();
        let mut w = 0;
        for c in s.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > room {
                break;
            }
            w += cw;
            out.push(c);
        }
        out.push_str(ellipsis);
    } else {
        out.push_str(s);
    }
    let pad = width.saturating_sub(out.width());
    out + &" ".repeat(pad)
}

fn chart(out: &mut String, title: &str, rows: &[(String, u64, String)], ascii: bool, s: &Strings) {
    out.push_str(&format!("\n{title}\n"));
    if rows.is_empty() {
        out.push_str(&format!("  {}\n", s.get("cli.stats.nothing")));
        return;
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
    let label_w = rows.iter().map(|r| r.0.width()).max().unwrap_or(0).min(LABEL_WIDTH);
    for (label, value, figure) in rows {
        let b = bar(*value, max, ascii);
        let pad = BAR_WIDTH - b.chars().count().min(BAR_WIDTH);
        out.push_str(format!("  {} {b}{} {figure}", fit(label, label_w, ascii), " ".repeat(pad)).trim_end());
        out.push('\n');
    }
}

/// The figures as text, in the language of `s`: a summary line, then four bar charts.
pub fn render(f: &Figures, ascii: bool, s: &Strings) -> String {
    let t = |k: &str| f.totals.get(k).copied().unwrap_or(0).to_string();
    let mut out = s.fmt("cli.stats.title", &[("since", &f.since), ("until", &f.until)]) + "\n";
    let summary = [
        ("searches", t("search")),
        ("no_result", t("search_no_result")),
        ("themes", t("theme_opened")),
        ("details", t("detail_viewed")),
        ("exported", t("shortlist_exported")),
        ("tickets", t("ticket_printed")),
        ("resets", t("idle_reset")),
    ];
    let summary: Vec<(&str, &str)> = summary.iter().map(|(k, v)| (*k, v.as_str())).collect();
    out.push_str(&(s.fmt("cli.stats.summary", &summary) + "\n"));
    let modes: Vec<String> = f
        .by_mode
        .iter()
        .map(|(m, n)| {
            let mode = match m.as_str() {
                "kiosk" => s.get("cli.stats.kiosk"),
                "staff" => s.get("cli.stats.staff"),
                other => other,
            };
            format!("{mode} {n}")
        })
        .collect();
    if !modes.is_empty() {
        out.push_str(&(s.fmt("cli.stats.by_mode", &[("modes", &modes.join(", "))]) + "\n"));
    }
    let days: Vec<_> = f.searches_per_day.iter().map(|d| (d.day.clone(), d.count, d.count.to_string())).collect();
    chart(&mut out, s.get("cli.stats.per_day"), &days, ascii, s);
    let themes: Vec<_> = f.themes.iter().map(|t| (t.label.clone(), t.count, t.count.to_string())).collect();
    chart(&mut out, s.get("cli.stats.themes"), &themes, ascii, s);
    let viewed: Vec<_> = f.most_viewed.iter().map(|t| (t.label.clone(), t.count, t.count.to_string())).collect();
    chart(&mut out, s.get("cli.stats.most_viewed"), &viewed, ascii, s);
    // Rates are drawn against 100 %, not against the worst week, so bars compare across reports.
    let weeks: Vec<_> = f
        .zero_result_by_week
        .iter()
        .map(|w| {
            let pct = (w.rate * 100.0).round() as u64;
            let (n, of) = (w.no_result.to_string(), w.searches.to_string());
            (
                w.week.clone(),
                pct,
                s.fmt("cli.stats.week", &[("pct", &pct.to_string()), ("no_result", &n), ("searches", &of)]),
            )
        })
        .collect();
    out.push_str(&format!("\n{}\n", s.get("cli.stats.no_result")));
    if weeks.is_empty() {
        out.push_str(&format!("  {}\n", s.get("cli.stats.nothing")));
    }
    for (label, pct, figure) in &weeks {
        let b = bar(*pct, 100, ascii);
        let pad = BAR_WIDTH - b.chars().count().min(BAR_WIDTH);
        out.push_str(format!("  {label} {b}{} {figure}", " ".repeat(pad)).trim_end());
        out.push('\n');
    }
    let words: Vec<_> = f.missed_words.iter().map(|w| (w.word.clone(), w.visits, w.visits.to_string())).collect();
    let title = s.fmt("cli.stats.missed", &[("n", &usage::MISSED_THRESHOLD.to_string())]);
    chart(&mut out, &title, &words, ascii, s);
    out
}
