//! How each figure is taken: latency percentiles, the keystroke-to-frame replay through the
//! real `App` and view, bytes written to a terminal, and the two child-process probes (cold
//! start to first frame, peak memory of a kiosk-like process) that need a fresh process to
//! mean anything.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde::Serialize;

use super::queries::BenchQuery;
use crate::data_dir::DataDir;
use crate::i18n::Strings;
use crate::search::SearchIndex;
use crate::ui::action::Action;
use crate::ui::app::{App, Filters, Mode, OpenFilter, Setup, Sort};
use crate::ui::palette::{Capability, Palette};
use crate::ui::runtime::{Options, Runtime};
use crate::ui::view;

/// The terminal size every figure is taken at (the smallest common one).
pub const WIDTH: u16 = 80;
pub const HEIGHT: u16 = 24;

/// Latency figures of one series, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub n: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Stats {
    /// Nearest-rank percentiles (p99 of 200 samples is the 198th).
    pub fn of(samples: &[Duration]) -> Stats {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let rank = |p: f64| -> f64 {
            if ms.is_empty() {
                return 0.0;
            }
            let i = ((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1;
            ms[i]
        };
        let mean = if ms.is_empty() { 0.0 } else { ms.iter().sum::<f64>() / ms.len() as f64 };
        Stats {
            n: ms.len(),
            p50_ms: rank(0.50),
            p99_ms: rank(0.99),
            max_ms: ms.last().copied().unwrap_or(0.0),
            mean_ms: mean,
        }
    }

    /// Of several runs of the same session, the one with the median p99: one preempted
    /// sample is the p99 of a 200-key session on a shared 2-core machine, and a single run
    /// cannot tell that from the code's own tail.
    pub fn median_by_p99(mut runs: Vec<Stats>) -> Option<Stats> {
        runs.sort_by(|a, b| a.p99_ms.total_cmp(&b.p99_ms));
        let middle = runs.len().checked_sub(1)? / 2;
        runs.into_iter().nth(middle)
    }

    pub fn is_finite(&self) -> bool {
        [self.p50_ms, self.p99_ms, self.max_ms, self.mean_ms].iter().all(|x| x.is_finite() && *x >= 0.0)
    }
}

/// Times `f` on every query (after `warmup` untimed ones); `f` returns how many results.
pub fn time_each<E>(
    queries: &[BenchQuery],
    warmup: usize,
    mut f: impl FnMut(&BenchQuery) -> Result<usize, E>,
) -> Result<(Stats, usize), E> {
    for q in queries.iter().take(warmup) {
        f(q)?;
    }
    let mut samples = Vec::with_capacity(queries.len());
    let mut answered = 0;
    for q in queries {
        let t = Instant::now();
        let n = f(q)?;
        samples.push(t.elapsed());
        answered += usize::from(n > 0);
    }
    Ok((Stats::of(&samples), answered))
}

/// A kiosk on `index`, sized 80x24, as `wic browse --kiosk` builds it (`place`: its commune).
pub fn kiosk_app(index: SearchIndex) -> Runtime {
    kiosk_at(index, None)
}

fn kiosk_at(index: SearchIndex, place: Option<String>) -> Runtime {
    let now = Instant::now();
    let setup = Setup { place, ..Setup::new(Mode::Kiosk) };
    let app = App::new(setup, Strings::load("fr"), Palette::new(Capability::Full, false), now);
    let mut rt = Runtime::new(app, Ok(index), Options::default(), now);
    rt.dispatch(Action::Resize(WIDTH, HEIGHT), now);
    rt
}

fn draw<B: Backend>(term: &mut Terminal<B>, app: &App) -> anyhow::Result<()> {
    term.draw(|f| view::render(f, app, None)).map_err(|e| anyhow!("drawing failed: {e}"))?;
    Ok(())
}

/// Replays the session through the App and view: each query is one keystroke (a letter, or
/// Backspace) that is timed from the key to the finished frame — `update`, the search in
/// `settle`, and the render. When a query does not follow from the previous one (a new
/// visitor, new filters), the field is set up untimed first, as the visitor's earlier
/// keystrokes would have. `around(term, after)` is called just before and just after each
/// timed keystroke (to count bytes written).
pub fn replay<B: Backend>(
    app: &mut Runtime,
    term: &mut Terminal<B>,
    queries: &[BenchQuery],
    around: impl FnMut(&Terminal<B>, bool),
) -> anyhow::Result<Vec<Duration>> {
    replay_with(app, term, queries, |_| {}, around)
}

/// [`replay`], with `setup` applied to each new visitor's filters (to add what the session's
/// queries do not carry, such as the "ouvert" filter).
pub fn replay_with<B: Backend>(
    app: &mut Runtime,
    term: &mut Terminal<B>,
    queries: &[BenchQuery],
    setup: impl Fn(&mut Filters),
    mut around: impl FnMut(&Terminal<B>, bool),
) -> anyhow::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(queries.len());
    let mut prev: Option<&BenchQuery> = None;
    for q in queries {
        let follows = prev.filter(|p| p.same_filters(q));
        let key = match follows {
            Some(p) if q.text.starts_with(p.text.as_str()) && q.text.chars().count() == p.text.chars().count() + 1 => {
                q.text.chars().last().map(Action::Type)
            }
            Some(p) if p.text.starts_with(q.text.as_str()) && p.text.chars().count() == q.text.chars().count() + 1 => {
                Some(Action::Backspace)
            }
            _ => None,
        };
        let key = match key {
            Some(k) => k,
            None => {
                let mut chars: Vec<char> = q.text.chars().collect();
                let last = chars.pop().ok_or_else(|| anyhow!("empty query in the session"))?;
                let now = Instant::now();
                app.dispatch(Action::ClearQuery, now);
                app.settle(now);
                let mut filters = q.filters();
                setup(&mut filters);
                app.dispatch(Action::SetFilters(filters), now);
                for c in chars {
                    app.dispatch(Action::Type(c), now);
                }
                app.settle(now);
                draw(term, app)?;
                Action::Type(last)
            }
        };
        around(term, false);
        let t = Instant::now();
        app.dispatch(key, t);
        app.settle(t);
        draw(term, app)?;
        samples.push(t.elapsed());
        around(term, true);
        if app.visit().query != q.text {
            bail!("replay went astray: the field holds {:?}, the session says {:?}", app.visit().query, q.text);
        }
        prev = Some(q);
    }
    Ok(samples)
}

/// Keystroke-to-frame latency into ratatui's `TestBackend` (what rendering costs, without a
/// terminal's I/O).
pub fn keystroke_to_frame(index: SearchIndex, queries: &[BenchQuery]) -> anyhow::Result<Stats> {
    let mut app = kiosk_app(index);
    time_session(&mut app, queries, |_| {})
}

/// The session replayed into a `TestBackend` at 80x24, `setup` applied at each new visitor.
fn time_session(app: &mut Runtime, queries: &[BenchQuery], setup: impl Fn(&mut Filters)) -> anyhow::Result<Stats> {
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).map_err(|e| anyhow!("{e}"))?;
    draw(&mut term, app)?;
    let samples = replay_with(app, &mut term, queries, setup, |_, _| {})?;
    Ok(Stats::of(&samples))
}

/// Keystroke-to-frame latency, as [`keystroke_to_frame`], with the "ouvert maintenant" filter on
/// and the results sorted by distance from the kiosk: the path where every match is tested
/// for opening, and the best [`crate::ui::app::WIDE_LIMIT`] of the open ones are sorted by
/// distance, on each keystroke.
/// The clock is fixed on a weekday morning (Tuesday 1 December 2026, 10:00), when most
/// initiatives with hours are open, so that the figure does not depend on when it runs.
pub fn keystroke_to_frame_open_near(index: SearchIndex, queries: &[BenchQuery]) -> anyhow::Result<Stats> {
    // The kiosk stands at the first commune's centre.
    let centre = index.reference().communes.first().map(|c| format!("{},{}", c.lat, c.lon));
    let mut app = kiosk_at(index, Some(centre.ok_or_else(|| anyhow!("no commune in the reference data"))?));
    let tuesday = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(10, 0, 0));
    let now = Instant::now();
    app.dispatch(Action::Clock(tuesday.ok_or_else(|| anyhow!("bad fixed date"))?), now);
    app.dispatch(Action::ToggleSort, now);
    let wide = |filters: &mut Filters| filters.open = OpenFilter::Now;
    let stats = time_session(&mut app, queries, wide)?;
    if app.visit().filters.open != OpenFilter::Now || app.visit().sort != Sort::Distance {
        bail!("the replay lost the open filter or the distance sort");
    }
    Ok(stats)
}

/// F4 to the finished frame of the commune picker, for the first queries of the session: the
/// 37 count-only searches (each commune, and all) the picker's numbers need, then the frame.
pub fn picker_to_frame(index: SearchIndex, queries: &[BenchQuery]) -> anyhow::Result<Stats> {
    let mut app = kiosk_app(index);
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).map_err(|e| anyhow!("{e}"))?;
    let mut samples = Vec::new();
    for q in queries.iter().filter(|q| !q.text.is_empty()).take(30) {
        let now = Instant::now();
        app.dispatch(Action::Back, now);
        app.dispatch(Action::ClearQuery, now);
        app.dispatch(Action::Paste(q.text.clone()), now);
        app.settle(now);
        let t = Instant::now();
        app.dispatch(Action::FilterCommune, t);
        draw(&mut term, &app)?;
        samples.push(t.elapsed());
        if app.visit().picker.as_ref().and_then(|p| p.counts.as_ref()).is_none() {
            bail!("the commune picker opened without its counts");
        }
        app.dispatch(Action::Back, Instant::now());
    }
    Ok(Stats::of(&samples))
}

/// A theme's number pressed on Home to the finished frame of its list, ordered for a person
/// in need: each theme three times, the kiosk at the first commune (so "near the kiosk" and
/// "open today" are scored), a fixed weekday morning.
pub fn theme_to_frame(index: SearchIndex) -> anyhow::Result<Stats> {
    let centre = index.reference().communes.first().map(|c| c.name.clone());
    let keys: Vec<u8> = index.reference().themes.iter().filter_map(|t| t.key.parse().ok()).collect();
    let mut app = kiosk_at(index, centre);
    let tuesday = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).and_then(|d| d.and_hms_opt(10, 0, 0));
    app.dispatch(Action::Clock(tuesday.ok_or_else(|| anyhow!("bad fixed date"))?), Instant::now());
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).map_err(|e| anyhow!("{e}"))?;
    let mut samples = Vec::new();
    for _ in 0..3 {
        for &d in &keys {
            let t = Instant::now();
            app.dispatch(Action::Digit(d), t);
            app.settle(t);
            draw(&mut term, &app)?;
            samples.push(t.elapsed());
            if app.result_count() == 0 {
                bail!("theme {d} listed nothing");
            }
            // Any other key ends the digit run; Esc goes back Home.
            app.dispatch(Action::Back, Instant::now());
            app.settle(Instant::now());
        }
    }
    Ok(Stats::of(&samples))
}

/// A terminal's output stream that only counts bytes (the backend's own `writer()` accessor
/// is an unstable ratatui feature).
#[derive(Clone, Default)]
pub struct Counting(pub Rc<Cell<usize>>);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes a real terminal backend (crossterm) writes per timed keystroke (average), and for the
/// first frame: what an SSH link pays.
pub fn bytes_per_keystroke(index: SearchIndex, queries: &[BenchQuery]) -> anyhow::Result<(f64, usize)> {
    let mut app = kiosk_app(index);
    let count = Rc::new(Cell::new(0usize));
    let backend = CrosstermBackend::new(Counting(Rc::clone(&count)));
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)) };
    let mut term = Terminal::with_options(backend, options).map_err(|e| anyhow!("{e}"))?;
    draw(&mut term, &app)?;
    let first = count.get();
    let mut before = 0;
    let mut total = 0;
    let mut n = 0;
    replay(&mut app, &mut term, queries, |_, after| {
        if after {
            total += count.get() - before;
            n += 1;
        } else {
            before = count.get();
        }
    })?;
    Ok((if n == 0 { 0.0 } else { total as f64 / n as f64 }, first))
}

/// One hostile input (issue #6), and its worst time of three in each path, in ms.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hostile {
    pub name: String,
    pub bytes: usize,
    /// The whole text through the search layer (`SearchIndex::search`).
    pub search_ms: f64,
    /// Pasted (bracketed paste): update, search, render into the 80x24 TestBackend.
    pub paste_ms: f64,
    /// Arriving as a burst of keys (a terminal without bracketed paste): every key applied,
    /// then one search and one render, as the event loop drains input.
    pub burst_ms: f64,
    pub hits: usize,
}

impl Hostile {
    pub fn worst_ms(&self) -> f64 {
        self.search_ms.max(self.paste_ms).max(self.burst_ms)
    }
}

/// Times every hostile input through the search layer (`index`) and through the App and
/// view (`app_index`).
pub fn hostile(
    index: &mut SearchIndex,
    app_index: SearchIndex,
    inputs: &[(&str, String)],
    limit: usize,
) -> anyhow::Result<Vec<Hostile>> {
    let mut app = kiosk_app(app_index);
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).map_err(|e| anyhow!("{e}"))?;
    draw(&mut term, &app)?;
    let mut out = Vec::new();
    for (name, text) in inputs {
        let mut h = Hostile { name: name.to_string(), bytes: text.len(), ..Default::default() };
        let request = crate::search::SearchRequest {
            text: text.clone(),
            theme: None,
            commune: None,
            online: None,
            free_only: false,
            limit,
        };
        for _ in 0..3 {
            let t = Instant::now();
            h.hits = index.search(&request)?.total;
            h.search_ms = h.search_ms.max(t.elapsed().as_secs_f64() * 1000.0);
            for paste in [true, false] {
                let now = Instant::now();
                app.dispatch(Action::ClearQuery, now);
                app.settle(now);
                draw(&mut term, &app)?;
                let t = Instant::now();
                if paste {
                    app.dispatch(Action::Paste(text.clone()), t);
                } else {
                    for c in text.chars() {
                        app.dispatch(Action::Type(c), t);
                    }
                }
                app.settle(t);
                draw(&mut term, &app)?;
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let slot = if paste { &mut h.paste_ms } else { &mut h.burst_ms };
                *slot = slot.max(ms);
            }
        }
        out.push(h);
    }
    Ok(out)
}

/// What `wic browse` does before its first frame, with the index present: prepare the data
/// directory (which checks the index against the catalogue), open the index, build the App,
/// draw. Run in a fresh child process (`wic bench --cold-start-probe DIR`).
pub fn first_frame(dir: &Path) -> anyhow::Result<(Runtime, Terminal<TestBackend>)> {
    let data = DataDir::new(dir);
    data.prepare(&mut |_| {}).context("preparing the data directory")?;
    let index = SearchIndex::open(&data.search_dir()).context("opening the index")?;
    let app = kiosk_app(index);
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).map_err(|e| anyhow!("{e}"))?;
    draw(&mut term, &app)?;
    Ok((app, term))
}

/// Memory of a process from `/proc/PID/status`, in KiB.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Memory {
    /// Peak resident set (VmHWM).
    pub peak_kb: u64,
    /// Resident now, split: private (anonymous) and file-backed (the mmap'd index, shared
    /// with every other process through the page cache).
    pub anon_kb: u64,
    pub file_kb: u64,
}

/// The memory lines of a `/proc/PID/status`.
pub fn parse_status(status: &str) -> Memory {
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Memory { peak_kb: field("VmHWM:"), anon_kb: field("RssAnon:"), file_kb: field("RssFile:") }
}

/// Runs `exe` with `args`, returns the wall time until it printed its first line, and all of
/// its standard output.
pub fn spawn_probe(exe: &Path, args: &[&str]) -> anyhow::Result<(Duration, String)> {
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout from the probe"))?;
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let elapsed = start.elapsed();
    let mut out = first;
    for line in reader.lines() {
        out.push_str(&line?);
        out.push('\n');
    }
    let result = child.wait_with_output()?;
    if !result.status.success() {
        bail!("probe {} {:?} failed: {}", exe.display(), args, String::from_utf8_lossy(&result.stderr).trim());
    }
    Ok((elapsed, out))
}

/// `key value` lines printed by a probe.
pub fn probe_value(out: &str, key: &str) -> anyhow::Result<f64> {
    out.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|v| v.trim().parse().ok()))
        .ok_or_else(|| anyhow!("the probe did not report {key}: {out:?}"))
}

/// Size of every file under `dir`, in bytes.
pub fn dir_size(dir: &Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let samples: Vec<Duration> = (1..=200).map(Duration::from_millis).collect();
        let s = Stats::of(&samples);
        assert_eq!((s.p50_ms, s.p99_ms, s.max_ms), (100.0, 198.0, 200.0));
        assert_eq!(Stats::of(&[]).n, 0);
    }

    #[test]
    fn the_median_run_by_p99_is_kept() {
        let run = |p99_ms: f64, n: usize| Stats { n, p50_ms: 0.1, p99_ms, max_ms: p99_ms, mean_ms: 0.1 };
        let kept = Stats::median_by_p99(vec![run(9.0, 1), run(0.8, 2), run(0.9, 3)]).unwrap();
        assert_eq!((kept.p99_ms, kept.n), (0.9, 3));
        assert_eq!(Stats::median_by_p99(vec![run(2.0, 1)]).unwrap().n, 1);
        assert!(Stats::median_by_p99(Vec::new()).is_none());
    }
}
