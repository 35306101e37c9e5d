//! The benchmark suite behind `wic bench`: for each catalogue size, in one run and on the same
//! synthetic data and typing session, the figures the kiosk's budgets are about
//! (BENCHMARKS.md) — keystroke-to-frame latency through the real search, App and view; the
//! same queries through SQLite FTS5 and a linear scan as baselines; index build time; cold
//! start to first frame, peak memory and bytes written of the real kiosk (`wic browse --kiosk`)
//! on an 80x24 pseudo-terminal; hostile queries;
//! binary size; bytes written to an 80x24 terminal per keystroke.
//!
//! It lives in the library (not in `benches/`) so that the release binary can measure itself
//! anywhere with one command, and so that a reduced run is an ordinary test
//! (`tests/bench_smoke.rs`) that keeps it from rotting.

pub mod fts5;
pub mod measure;
pub mod pty;
pub mod queries;
pub mod report;
pub mod scan;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use serde::Serialize;

use self::measure::{Hostile, Memory, Stats, time_each};
use self::queries::{BenchQuery, KNOWN_QUERY};
use crate::catalogue::{Initiative, Reference, Validator};
use crate::data_dir::DataDir;
use crate::search::{SearchIndex, generation};
use crate::ui::app::RESULT_LIMIT;

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub sizes: Vec<usize>,
    pub queries: usize,
    pub seed: u64,
    /// The `wic` binary to spawn for the cold-start and memory probes (the running one, for
    /// `wic bench`; `CARGO_BIN_EXE_wic` in tests).
    pub exe: PathBuf,
    /// How many fresh processes the cold-start figure is the median of.
    pub cold_runs: usize,
    /// Where the per-size data directories go (removed afterwards).
    pub work_dir: PathBuf,
}

impl BenchConfig {
    pub fn new(sizes: Vec<usize>, queries: usize, exe: PathBuf) -> BenchConfig {
        BenchConfig { sizes, queries, seed: 42, exe, cold_runs: 5, work_dir: std::env::temp_dir() }
    }
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub machine: Machine,
    pub seed: u64,
    pub queries: usize,
    pub terminal: String,
    pub binary_bytes: u64,
    pub sizes: Vec<SizeReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub ram_mb: u64,
    pub os: String,
}

/// Hits of [`KNOWN_QUERY`] in each engine (a sanity check: all must find something).
#[derive(Debug, Clone, Default, Serialize)]
pub struct KnownQuery {
    pub text: String,
    pub ours: usize,
    pub fts5: usize,
    pub scan: usize,
}

/// Keystroke sessions are replayed this many times; the run with the median p99 is reported.
const KEYSTROKE_RUNS: usize = 3;

/// The figures for one catalogue size.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SizeReport {
    /// Rows generated.
    pub n: usize,
    /// Documents in the index (inactive rows are kept out, as in production).
    pub documents: usize,
    pub import_ms: f64,
    /// Reading the catalogue from SQLite and writing a complete index generation.
    pub index_build_ms: f64,
    pub index_bytes: u64,
    /// Search, update and render into a TestBackend, per keystroke.
    pub keystroke_to_frame: Stats,
    /// The same with "ouvert maintenant" on and results sorted by distance (every match loaded
    /// and marked on each keystroke).
    pub keystroke_open_near: Stats,
    /// F4 to the drawn commune picker: one count-only search per commune (36) and a frame.
    pub picker_to_frame: Stats,
    /// A theme's number pressed on Home to its drawn list, ordered for a person in need
    /// (every match up to `WIDE_LIMIT` loaded and scored).
    pub theme_to_frame: Stats,
    pub search: Stats,
    pub fts5: Stats,
    pub scan: Stats,
    /// Queries with at least one result, per engine.
    pub answered: [usize; 3],
    pub fts5_build_ms: f64,
    pub scan_build_ms: f64,
    /// Baseline p99 / our search p99 (above 1: we are faster).
    pub fts5_ratio: f64,
    pub scan_ratio: f64,
    /// Spawn of the real `wic browse --kiosk` on an 80x24 pty to the last byte of its first
    /// frame, median of `cold_runs` processes.
    pub cold_start_ms: f64,
    /// Open + first frame timed inside a fresh `wic bench --cold-start-probe` process (without
    /// exec, dynamic loading and terminal set-up).
    pub cold_start_inproc_ms: f64,
    /// Memory of the real kiosk process (on a pty) after typing the whole session.
    pub memory: Memory,
    /// Through ratatui's CrosstermBackend at 80x24, per timed keystroke of the session.
    pub bytes_per_keystroke: f64,
    pub first_frame_bytes: usize,
    /// What the real kiosk wrote to its pty per keystroke typed one by one.
    pub pty_bytes_per_keystroke: f64,
    /// Real kiosk on a pty: from writing a key to the last byte of the frame it caused.
    pub pty_key_to_last_byte: Stats,
    /// Hostile inputs (issue #6), and the worst time among them.
    pub hostile: Vec<Hostile>,
    pub hostile_max_ms: f64,
    pub known: KnownQuery,
}

/// The searchable text of an initiative as our index has it: (name, keywords, body).
/// Baselines index the same text, so that only the engines differ.
pub fn document_text(i: &Initiative, reference: &Reference) -> (String, String, String) {
    let mut keywords: Vec<&str> = Vec::new();
    for t in &i.themes {
        if let Some(theme) = reference.theme(t) {
            keywords.extend([theme.label_fr.as_str(), theme.label_en.as_str()]);
        }
    }
    keywords.extend(i.tags.iter().map(String::as_str));
    if let Some(c) = reference.commune_by_code(&i.commune) {
        keywords.push(c.name.as_str());
    }
    keywords.extend(i.actions.iter().map(String::as_str));
    if i.online {
        keywords.push("en ligne internet");
    }
    (i.name.clone(), keywords.join(" ; "), format!("{}\n{}", i.summary, i.description))
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Removes a data directory when the run is over, even on error.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs every size; `progress` receives one line per stage.
pub fn run(config: &BenchConfig, progress: &mut dyn FnMut(&str)) -> anyhow::Result<BenchReport> {
    let binary_bytes = std::fs::metadata(&config.exe).with_context(|| format!("{}", config.exe.display()))?.len();
    let mut sizes = Vec::new();
    for &n in &config.sizes {
        sizes.push(run_size(config, n, progress).with_context(|| format!("benchmark at N = {n}"))?);
    }
    Ok(BenchReport {
        machine: machine(),
        seed: config.seed,
        queries: config.queries,
        terminal: format!("{}x{}", measure::WIDTH, measure::HEIGHT),
        binary_bytes,
        sizes,
    })
}

/// Imports `n` synthetic rows as `wic import` would (CSV, parse, validate, one transaction).
fn import_synthetic(data: &DataDir, n: usize, seed: u64) -> anyhow::Result<()> {
    let reference = Reference::embedded()?;
    let mut csv = Vec::new();
    crate::synth::write_csv(&mut csv, n, seed, &reference)?;
    let path = Path::new("synth.csv");
    let first = |p: Vec<crate::catalogue::Problem>| {
        anyhow!("synthetic catalogue invalid: {}", p.first().map(|p| p.to_string()).unwrap_or_default())
    };
    let parsed = crate::catalogue::import::canonical::parse_csv(path, &csv).map_err(first)?;
    let mut store = data.open_write()?;
    let reference = store.reference()?;
    let validator =
        Validator { reference: &reference, file: path.display().to_string(), ignore_unknown: false, fix_hours: false };
    let items = validator.validate_all(&parsed.records).map_err(first)?;
    let change = crate::catalogue::Change { who: "bench", via: crate::catalogue::Via::Import, origin: "synthetic" };
    store.upsert(&items, &change)?;
    Ok(())
}

fn run_size(config: &BenchConfig, n: usize, progress: &mut dyn FnMut(&str)) -> anyhow::Result<SizeReport> {
    let dir = config.work_dir.join(format!("wic-bench-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _guard = TempDir(dir.clone());
    let data = DataDir::new(&dir);
    let mut r = SizeReport { n, ..Default::default() };

    progress(&format!("N = {n}: generating and importing the synthetic catalogue…"));
    let t = Instant::now();
    import_synthetic(&data, n, config.seed)?;
    r.import_ms = ms(t);

    progress(&format!("N = {n}: building the index…"));
    let store = data.open_read()?;
    let t = Instant::now();
    let items = store.all()?;
    let reference = store.reference()?;
    let meta = generation::rebuild(&data.search_dir(), &items, &reference, store.version()?, &mut |_, _| {})?;
    r.index_build_ms = ms(t);
    r.documents = meta.documents;
    r.index_bytes = generation::current_name(&data.search_dir())?
        .map(|g| measure::dir_size(&data.search_dir().join(g)))
        .unwrap_or(0);

    let open = || SearchIndex::open(&data.search_dir()).context("opening the index");
    let mut index = open()?;
    let session: Vec<BenchQuery> = queries::session(config.queries, config.seed, index.reference());
    let warmup = (config.queries / 10).clamp(1, 20);

    progress(&format!("N = {n}: {} queries through tantivy, FTS5 and a linear scan…", session.len()));
    let (search, ours) = time_each(&session, warmup, |q| index.search(&q.request(RESULT_LIMIT)).map(|r| r.hits.len()))?;
    let t = Instant::now();
    let fts = fts5::Fts5::build(&items, &reference)?;
    r.fts5_build_ms = ms(t);
    let (fts5_stats, fts5_answered) = time_each(&session, warmup, |q| fts.search(q, RESULT_LIMIT).map(|v| v.len()))?;
    let t = Instant::now();
    let scan = scan::Scan::build(&items, &reference);
    r.scan_build_ms = ms(t);
    let (scan_stats, scan_answered) =
        time_each(&session, warmup, |q| Ok::<_, anyhow::Error>(scan.search(q, RESULT_LIMIT).len()))?;
    let known = BenchQuery { text: KNOWN_QUERY.into(), theme: None, commune: None, online: false, free: false };
    r.known = KnownQuery {
        text: KNOWN_QUERY.into(),
        ours: index.search(&known.request(RESULT_LIMIT))?.total,
        fts5: fts.search(&known, RESULT_LIMIT)?.len(),
        scan: scan.search(&known, RESULT_LIMIT).len(),
    };
    let ratio = |baseline: f64| if search.p99_ms > 0.0 { baseline / search.p99_ms } else { 0.0 };
    r.fts5_ratio = ratio(fts5_stats.p99_ms);
    r.scan_ratio = ratio(scan_stats.p99_ms);
    r.answered = [ours, fts5_answered, scan_answered];
    (r.search, r.fts5, r.scan) = (search, fts5_stats, scan_stats);
    drop((fts, scan, items, index));

    progress(&format!("N = {n}: keystroke to frame at 80x24…"));
    let median_of = |runs: Vec<Stats>| Stats::median_by_p99(runs).context("no keystroke session ran");
    r.keystroke_to_frame = median_of(
        (0..KEYSTROKE_RUNS).map(|_| measure::keystroke_to_frame(open()?, &session)).collect::<anyhow::Result<_>>()?,
    )?;
    r.keystroke_open_near = median_of(
        (0..KEYSTROKE_RUNS)
            .map(|_| measure::keystroke_to_frame_open_near(open()?, &session))
            .collect::<anyhow::Result<_>>()?,
    )?;
    (r.bytes_per_keystroke, r.first_frame_bytes) = measure::bytes_per_keystroke(open()?, &session)?;
    r.picker_to_frame = measure::picker_to_frame(open()?, &session)?;
    r.theme_to_frame = measure::theme_to_frame(open()?)?;

    progress(&format!("N = {n}: hostile queries…"));
    r.hostile = measure::hostile(&mut open()?, open()?, &queries::hostile(), RESULT_LIMIT)?;
    r.hostile_max_ms = r.hostile.iter().map(Hostile::worst_ms).fold(0.0, f64::max);

    progress(&format!("N = {n}: cold start, memory and bytes of the real kiosk on a pty…"));
    let dir_arg = dir.to_string_lossy().to_string();
    let mut walls = Vec::new();
    let mut inproc = Vec::new();
    for _ in 0..config.cold_runs.max(1) {
        walls.push(pty::cold_start(&config.exe, &dir)?.0);
        let (_, out) = measure::spawn_probe(&config.exe, &["bench", "--cold-start-probe", &dir_arg])?;
        inproc.push(std::time::Duration::from_secs_f64(measure::probe_value(&out, "first_frame_ms")? / 1000.0));
    }
    r.cold_start_ms = Stats::of(&walls).p50_ms;
    r.cold_start_inproc_ms = Stats::of(&inproc).p50_ms;
    let browse = pty::browse(&config.exe, &dir, &session)?;
    r.memory = browse.memory;
    r.pty_bytes_per_keystroke = browse.bytes_per_keystroke;
    r.pty_key_to_last_byte = browse.key_to_last_byte;
    Ok(r)
}

/// `wic bench --cold-start-probe DIR`: the child's side. Writes `first_frame_ms` to `out` as
/// soon as the first frame is drawn (before anything is dropped: the parent's clock stops
/// when it reads this line).
pub fn cold_start_probe(dir: &Path, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let t = Instant::now();
    let (app, term) = measure::first_frame(dir)?;
    writeln!(out, "first_frame_ms {:.3}", ms(t))?;
    out.flush()?;
    drop((app, term));
    Ok(())
}

/// This machine, as BENCHMARKS.md describes it.
pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_string()))
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    Machine {
        cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        cpu_model,
        ram_mb: ram_kb / 1024,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    }
}
