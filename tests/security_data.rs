//! Data safety (issue #6, items 9–11, 14): `kill -9` during imports and rebuilds, readers
//! during writes, damaged state at start, and importers fed garbage.
//!
//! The crash loop runs the real binary and kills it at random moments (a seeded generator:
//! the same points every run); `WIC_CRASH_POINTS` overrides the number of points (200).

mod pty;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use wic::catalogue::import::{self, Format};
use wic::catalogue::{Reference, Store, Validator};
use wic::data_dir::{DataDir, IndexState};
use wic::search::{SearchIndex, SearchRequest};

use pty::{Pty, Spawn, wic_bin};

const ROWS: usize = 12;

/// Version `v` ("A" or "B") of a small catalogue: the same ids, different names.
fn catalogue_csv(v: &str) -> String {
    let mut s = String::from("id,name,themes,summary\n");
    for n in 0..ROWS {
        s.push_str(&format!("crash-{n:02},Version {v} numéro {n},se-nourrir,Résumé {v} {n}\n"));
    }
    s
}

fn wic(data: &Path) -> Command {
    let mut c = Command::new(wic_bin());
    c.arg("--data-dir").arg(data).stdin(Stdio::null());
    c
}

fn run(data: &Path, args: &[&str]) -> Output {
    wic(data).args(args).output().expect("run wic")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Which version ("A" or "B") every name belongs to, or a description of the mix.
fn version_of(names: &[String]) -> Result<&'static str, String> {
    let a = names.iter().filter(|n| n.starts_with("Version A ")).count();
    let b = names.iter().filter(|n| n.starts_with("Version B ")).count();
    match (a, b) {
        (ROWS, 0) => Ok("A"),
        (0, ROWS) => Ok("B"),
        _ => Err(format!("{a} names of A and {b} of B among {}", names.len())),
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    a: PathBuf,
    b: PathBuf,
}

fn setup() -> Setup {
    let tmp = tempfile::Builder::new().prefix("wic-data-").tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let a = tmp.path().join("a.csv");
    let b = tmp.path().join("b.csv");
    std::fs::write(&a, catalogue_csv("A")).expect("write");
    std::fs::write(&b, catalogue_csv("B")).expect("write");
    let out = run(&data, &["import", a.to_str().expect("utf8")]);
    assert!(out.status.success(), "first import: {}", text(&out));
    Setup { _tmp: tmp, data, a, b }
}

// ---- 9. kill -9 during writes -------------------------------------------------------------

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The state after a crash: the catalogue is whole and one version; the index is one version
/// and either matches the catalogue or is reported stale.
fn check_after_crash(data: &Path, point: usize, what: &str) {
    let dd = DataDir::new(data);
    let store = Store::open_read(&dd.catalogue_path()).unwrap_or_else(|e| panic!("point {point} ({what}): {e}"));
    let integrity = store.integrity_check().expect("integrity_check runs");
    assert_eq!(integrity, "ok", "point {point} ({what}): PRAGMA integrity_check");
    let names: Vec<String> = store.all().expect("read").into_iter().map(|i| i.name).collect();
    let catalogue =
        version_of(&names).unwrap_or_else(|e| panic!("point {point} ({what}): catalogue mixes versions: {e}"));
    match dd.index_state(&store).expect("index state") {
        IndexState::Fresh | IndexState::Stale(..) => {}
        other => panic!("point {point} ({what}): index is {other:?} after a crash"),
    }
    let mut index = SearchIndex::open(&dd.search_dir()).unwrap_or_else(|e| panic!("point {point}: index opens: {e}"));
    let req = SearchRequest { theme: Some("se-nourrir".into()), limit: 1000, ..Default::default() };
    let hits = index.search(&req).expect("search").load_all().expect("load");
    let names: Vec<String> = hits.into_iter().map(|(_, i)| i.name).collect();
    let indexed = version_of(&names).unwrap_or_else(|e| panic!("point {point} ({what}): index mixes versions: {e}"));
    if dd.index_state(&store).expect("state") == IndexState::Fresh {
        assert_eq!(indexed, catalogue, "point {point} ({what}): a fresh index must hold the catalogue's version");
    }
}

#[test]
fn kill_9_during_imports_and_rebuilds_never_damages_anything() {
    let s = setup();
    let points: usize = std::env::var("WIC_CRASH_POINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    // How long an uninterrupted import (with its rebuild) takes: kills land inside it.
    let t = Instant::now();
    let out = run(&s.data, &["import", s.b.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", text(&out));
    let span = (t.elapsed().as_micros() as u64).max(1000);
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut completed = 0;
    for point in 0..points {
        let (what, file) = match point % 3 {
            0 => ("import A", Some(&s.a)),
            1 => ("import B", Some(&s.b)),
            _ => ("index rebuild", None),
        };
        let mut cmd = wic(&s.data);
        match file {
            Some(f) => cmd.arg("import").arg(f),
            None => cmd.args(["index", "rebuild"]),
        };
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
        let delay = Duration::from_micros(rng.below(span * 11 / 10));
        let deadline = Instant::now() + delay;
        while Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
            std::thread::sleep(Duration::from_micros(500));
        }
        if child.try_wait().expect("wait").is_some() {
            completed += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        check_after_crash(&s.data, point, what);
    }
    assert!(completed < points, "no kill landed inside a write ({completed} of {points} completed)");
    // The next rebuild starts without anyone deleting lock files, and the index is whole.
    let out = run(&s.data, &["index", "rebuild"]);
    assert!(out.status.success(), "rebuild after the crashes: {}", text(&out));
    let out = run(&s.data, &["index", "check"]);
    assert!(out.status.success(), "index check after the crashes: {}", text(&out));
    let leftovers: Vec<String> = std::fs::read_dir(s.data.join("search"))
        .expect("search dir")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(".building-"))
        .collect();
    assert!(leftovers.is_empty(), "a rebuild leaves no half-built generation behind: {leftovers:?}");
}

#[test]
fn a_second_concurrent_rebuild_is_told_busy() {
    let s = setup();
    let lock = std::fs::File::options().write(true).open(s.data.join("search/.lock")).expect("lock file exists");
    lock.lock().expect("take the rebuild lock as a running rebuild would");
    let t = Instant::now();
    let out = run(&s.data, &["index", "rebuild"]);
    assert_eq!(out.status.code(), Some(1), "a second rebuild fails: {}", text(&out));
    assert!(text(&out).contains("another index rebuild is running"), "a clear busy error: {}", text(&out));
    assert!(t.elapsed() < Duration::from_secs(30), "it says so at once, not after a long wait");
    drop(lock);
    // Other tests of this binary fork children all the time; a child forked while our lock
    // descriptor was open holds the lock until its exec closes it (microseconds): retry briefly.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut out = run(&s.data, &["index", "rebuild"]);
    while !out.status.success() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        out = run(&s.data, &["index", "rebuild"]);
    }
    assert!(out.status.success(), "once the first is done, a rebuild runs: {}", text(&out));
}

#[test]
fn writes_take_the_write_lock_up_front() {
    // BEGIN IMMEDIATE everywhere the catalogue is written (store.rs); a plain BEGIN would
    // upgrade to a write lock mid-transaction and fail with SQLITE_BUSY under a reader.
    let src = include_str!("../src/catalogue/store.rs");
    let immediate = src.matches("TransactionBehavior::Immediate").count();
    let plain = src.matches(".transaction()").count() + src.matches("\"BEGIN\"").count();
    assert!(immediate >= 2, "writes use BEGIN IMMEDIATE");
    assert_eq!(plain, 0, "no deferred write transaction in store.rs");
}

// ---- 10. Readers during writes ------------------------------------------------------------

/// (inode, size, mtime) of every file of every generation.
fn index_files(search: &Path) -> BTreeMap<PathBuf, (u64, u64, i64)> {
    let mut out = BTreeMap::new();
    for g in std::fs::read_dir(search).into_iter().flatten().flatten() {
        if !g.file_name().to_string_lossy().starts_with("gen-") {
            continue;
        }
        for f in std::fs::read_dir(g.path()).into_iter().flatten().flatten() {
            if let Ok(m) = f.metadata() {
                out.insert(f.path(), (m.ino(), m.size(), m.mtime_nsec() + m.mtime() * 1_000_000_000));
            }
        }
    }
    out
}

#[test]
fn readers_never_fail_while_an_import_and_two_rebuilds_run() {
    let s = setup();
    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for r in 0..8 {
        let data = s.data.clone();
        let stop = Arc::clone(&stop);
        readers.push(std::thread::spawn(move || {
            let mut failures = Vec::new();
            let mut searches = 0;
            while !stop.load(Ordering::Relaxed) || searches == 0 {
                let q = ["numéro", "version", "résumé 3", "crash"][(r + searches) % 4];
                let out = run(&data, &["search", q, "--json", "--limit", "50"]);
                searches += 1;
                let err = String::from_utf8_lossy(&out.stderr).into_owned();
                if !out.status.success() || err.contains("locked") {
                    failures.push(format!("{q}: exit {:?}: {err}", out.status.code()));
                    continue;
                }
                let json: serde_json::Value = match serde_json::from_slice(&out.stdout) {
                    Ok(v) => v,
                    Err(e) => {
                        failures.push(format!("{q}: not JSON ({e})"));
                        continue;
                    }
                };
                let names: BTreeSet<char> = json
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h["name"].as_str()?.strip_prefix("Version ")?.chars().next())
                    .collect();
                if names.len() > 1 {
                    failures.push(format!("{q}: one result list mixes versions {names:?}"));
                }
            }
            (searches, failures)
        }));
    }
    // Watch the index files: a generation's files are written once, never rewritten.
    let watching = Arc::clone(&stop);
    let search = s.data.join("search");
    let watcher = std::thread::spawn(move || {
        let mut seen: BTreeMap<PathBuf, (u64, u64, i64)> = BTreeMap::new();
        let mut changed = Vec::new();
        while !watching.load(Ordering::Relaxed) {
            for (path, meta) in index_files(&search) {
                if let Some(before) = seen.insert(path.clone(), meta)
                    && before != meta
                {
                    changed.push(path);
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        changed
    });
    let import = run(&s.data, &["import", s.b.to_str().expect("utf8")]);
    let r1 =
        wic(&s.data).args(["index", "rebuild"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let r2 = run(&s.data, &["index", "rebuild"]);
    let r1 = r1.wait_with_output().expect("wait");
    stop.store(true, Ordering::Relaxed);
    assert!(import.status.success(), "the import: {}", text(&import));
    for r in [&r1, &r2] {
        // Two rebuilds at once: one may be told the other is running, which is the contract.
        assert!(r.status.success() || text(r).contains("another index rebuild is running"), "rebuild: {}", text(r));
    }
    let mut total = 0;
    for r in readers {
        let (n, failures) = r.join().expect("reader thread");
        total += n;
        assert!(failures.is_empty(), "a visitor's search failed: {failures:#?}");
    }
    assert!(total >= 8, "the readers searched ({total})");
    let changed = watcher.join().expect("watcher");
    assert!(changed.is_empty(), "index files rewritten in place: {changed:?}");
}

// ---- 11. Damaged state at start -----------------------------------------------------------

/// The current generation's directory.
fn current_gen(data: &Path) -> PathBuf {
    let name = std::fs::read_to_string(data.join("search/CURRENT")).expect("CURRENT");
    data.join("search").join(name.trim())
}

/// Runs `wic` as an unprivileged user when the tests run as root (root ignores permissions,
/// so a read-only directory would not be read-only for it).
fn as_reader(cmd: &mut Command, data: &Path) {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } == 0 {
        chmod_tree(data.parent().expect("parent"), 0o755);
        // SAFETY: setgid/setuid between fork and exec are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setgid(65534) != 0 || libc::setuid(65534) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
}

fn chmod_tree(p: &Path, dirs: u32) {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(p).expect("meta");
    let mode = if meta.is_dir() { dirs } else { 0o444 };
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
    if meta.is_dir() {
        for e in std::fs::read_dir(p).expect("read dir").flatten() {
            chmod_tree(&e.path(), dirs);
        }
    }
}

/// Starts a kiosk on `data` in a pty and checks it stays up, showing `expect` (fr strings).
fn kiosk_stays_up(data: &Path, read_only: bool, env: Vec<(&'static str, String)>, what: &str, expect: &str) {
    if read_only {
        chmod_tree(data, 0o555);
    }
    // SAFETY: getuid has no preconditions.
    let as_other_user = read_only && unsafe { libc::getuid() } == 0;
    let program = as_other_user.then(pty::wic_bin_for_anyone);
    let mut pty = Pty::spawn_with(
        data,
        Spawn { args: vec!["browse".into(), "--kiosk".into()], env, program, ..Default::default() },
        |cmd| {
            if read_only {
                as_reader(cmd, data)
            }
        },
    );
    let shown = pty.wait_for(expect, Duration::from_secs(30));
    let alive = pty.alive();
    if read_only {
        chmod_tree(data, 0o755);
    }
    assert!(shown, "{what}: the kiosk does not show {expect:?}:\n{}", pty.output_text());
    assert!(alive, "{what}: the kiosk exited instead of staying up");
    pty.settle(Duration::from_millis(300), Duration::from_secs(3));
    assert!(pty.alive(), "{what}: the kiosk exited instead of staying up");
    pty.signal(libc::SIGTERM);
    assert!(pty.wait_exit(Duration::from_secs(5)).is_some(), "{what}: ends on SIGTERM");
}

const UNAVAILABLE: &str = "indisponible";

#[test]
fn damaged_index_at_start_is_rebuilt_or_reported_never_a_crash() {
    type Damage = fn(&Path);
    let damages: Vec<(&str, Damage)> = vec![
        ("missing index", |d| std::fs::remove_dir_all(d.join("search")).expect("rm")),
        ("garbage CURRENT", |d| std::fs::write(d.join("search/CURRENT"), b"\x1b]0;x\x07../../etc\n").expect("w")),
        ("CURRENT naming nothing", |d| std::fs::write(d.join("search/CURRENT"), b"gen-1-1\n").expect("w")),
        ("truncated index files", |d| {
            for f in std::fs::read_dir(current_gen(d)).expect("gen").flatten() {
                let len = f.metadata().expect("meta").len();
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(f.path())
                    .expect("open")
                    .set_len(len / 2)
                    .expect("truncate");
            }
        }),
        ("garbage index files", |d| {
            for f in std::fs::read_dir(current_gen(d)).expect("gen").flatten() {
                std::fs::write(f.path(), b"garbage \x00\xff").expect("w");
            }
        }),
    ];
    for (what, damage) in damages {
        // Writable: the kiosk repairs the index at start and searches.
        let s = setup();
        damage(&s.data);
        let check = run(&s.data, &["index", "check"]);
        assert_eq!(check.status.code(), Some(1), "{what}: `wic index check` reports it: {}", text(&check));
        assert!(text(&check).contains("wic index rebuild"), "{what}: and says what to do: {}", text(&check));
        kiosk_stays_up(&s.data, false, vec![], what, "Se nourrir");
        let check = run(&s.data, &["index", "check"]);
        assert!(check.status.success(), "{what}: repaired at start: {}", text(&check));

        // Read-only: nothing can be repaired; the kiosk says search is unavailable.
        let s = setup();
        damage(&s.data);
        kiosk_stays_up(&s.data, true, vec![], &format!("{what}, read-only"), UNAVAILABLE);
    }
}

#[test]
fn damaged_catalogue_at_start_is_reported_never_a_crash() {
    // Missing catalogue, read-only directory: the seeds cannot be imported.
    let s = setup();
    std::fs::remove_file(s.data.join("catalogue.db")).expect("rm");
    for f in ["catalogue.db-wal", "catalogue.db-shm"] {
        let _ = std::fs::remove_file(s.data.join(f));
    }
    kiosk_stays_up(&s.data, true, vec![], "missing catalogue, read-only", "Hauts-de-Seine");

    // A catalogue that is not a database.
    let s = setup();
    for f in ["catalogue.db-wal", "catalogue.db-shm"] {
        let _ = std::fs::remove_file(s.data.join(f));
    }
    std::fs::write(s.data.join("catalogue.db"), b"\x1b]0;PWNED\x07 this is not SQLite".repeat(200)).expect("w");
    let check = run(&s.data, &["index", "check"]);
    assert_ne!(check.status.code(), Some(0), "index check on a garbage catalogue fails");
    assert!(pty::audit_terminal_bytes(&check.stderr).is_empty(), "its message is terminal-safe");
    kiosk_stays_up(&s.data, false, vec![], "garbage catalogue", "Hauts-de-Seine");

    // A truncated catalogue.
    let s = setup();
    let _ = run(&s.data, &["index", "check"]);
    let db = s.data.join("catalogue.db");
    let len = std::fs::metadata(&db).expect("meta").len();
    std::fs::OpenOptions::new().write(true).open(&db).expect("open").set_len(len / 3).expect("truncate");
    kiosk_stays_up(&s.data, false, vec![], "truncated catalogue", "Hauts-de-Seine");
}

/// Limits the size of any file the child writes (RLIMIT_FSIZE) and ignores SIGXFSZ, so a write
/// past the limit fails with EFBIG — the same failed write(2) a full disk gives (ENOSPC),
/// without root or a tmpfs.
fn disk_full_after(cmd: &mut Command, bytes: u64) {
    // SAFETY: setrlimit and signal are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
}

#[test]
fn disk_full_during_a_rebuild_keeps_the_old_generation_live() {
    let s = setup();
    // Make the index stale (a new catalogue version) without rebuilding it.
    let out = run(&s.data, &["import", "--no-index", s.b.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", text(&out));
    let before = std::fs::read_to_string(s.data.join("search/CURRENT")).expect("CURRENT");
    let mut cmd = wic(&s.data);
    cmd.args(["index", "rebuild"]);
    disk_full_after(&mut cmd, 2048);
    let out = cmd.output().expect("run");
    assert_eq!(out.status.code(), Some(1), "a rebuild on a full disk fails: {}", text(&out));
    assert!(pty::audit_terminal_bytes(&out.stderr).is_empty());
    assert_eq!(std::fs::read_to_string(s.data.join("search/CURRENT")).expect("CURRENT"), before, "old generation live");
    let check = run(&s.data, &["--lang", "en", "index", "check"]);
    assert!(text(&check).contains("stale"), "index check reports the index stale: {}", text(&check));
    // A kiosk starting on the full disk cannot rebuild: it answers from the old generation.
    let s2 = &s.data;
    let mut pty =
        Pty::spawn_with(s2, Spawn { args: vec!["browse".into(), "--kiosk".into()], ..Default::default() }, |c| {
            disk_full_after(c, 2048)
        });
    assert!(pty.wait_for("Hauts-de-Seine", Duration::from_secs(30)), "{}", pty.output_text());
    pty.send(b"version");
    assert!(pty.wait_for("numéro", Duration::from_secs(10)), "the kiosk still searches:\n{}", pty.output_text());
    assert!(pty.alive());
    pty.signal(libc::SIGTERM);
    assert!(pty.wait_exit(Duration::from_secs(5)).is_some());
    // Space again: the next rebuild works, with nobody deleting anything by hand.
    let out = run(&s.data, &["index", "rebuild"]);
    assert!(out.status.success(), "{}", text(&out));
}

// ---- 14. Import fuzzing (proptest; the cargo-fuzz targets live in fuzz/) ------------------

fn reference() -> &'static Reference {
    static R: std::sync::OnceLock<Reference> = std::sync::OnceLock::new();
    R.get_or_init(|| Reference::embedded().expect("embedded reference"))
}

/// Every problem names its file and a line (1-based) and is one terminal-safe line.
fn problems_ok(problems: &[wic::catalogue::Problem], file: &str) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty(), "an error without a problem");
    for p in problems {
        let shown = p.to_string();
        prop_assert!(shown.starts_with(&format!("{file}:")), "problem does not name the file: {}", shown);
        prop_assert!(p.line >= 1, "problem without a row: {}", shown);
        prop_assert!(!shown.contains('\n'), "multi-line problem: {:?}", shown);
        prop_assert!(pty::audit_terminal_bytes(shown.as_bytes()).is_empty(), "unsafe problem text: {:?}", shown);
    }
    Ok(())
}

fn validate(records: &[wic::catalogue::RawRecord], file: &str) -> Result<(), TestCaseError> {
    let v = Validator { reference: reference(), file: file.to_string(), ignore_unknown: false, fix_hours: false };
    if let Err(problems) = v.validate_all(records) {
        problems_ok(&problems, file)?;
    }
    Ok(())
}

fn cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..12),
        Just(b"se-nourrir".to_vec()),
        Just(b"crash-01".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\x1b]0;TITLE\x07".to_vec()),
        Just(b"Nanterre".to_vec()),
        Just(b"Mo-Fr 09:00-12:00".to_vec()),
        Just(b"\r\n".to_vec()),
        "[a-z|, ]{0,10}".prop_map(String::into_bytes),
    ]
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("se-nourrir".into())),
        Just(Value::String("\u{1b}]0;TITLE\u{7}".into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        let keys = prop_oneof![
            Just("id".to_string()),
            Just("name".to_string()),
            Just("nom".to_string()),
            Just("themes".to_string()),
            Just("thematiques".to_string()),
            Just("structure_id".to_string()),
            Just("services".to_string()),
            Just("organization".to_string()),
            Just("locations".to_string()),
            Just("date_maj".to_string()),
            Just("commune".to_string()),
            Just("code_insee".to_string()),
            Just("phone".to_string()),
            Just("website".to_string()),
            Just("schedules".to_string()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn csv_import_of_garbage_never_panics_and_names_rows(
        header in proptest::collection::vec(prop_oneof![
            Just(b"id".to_vec()), Just(b"name".to_vec()), Just(b"themes".to_vec()), Just(b"commune".to_vec()),
            Just(b"phone".to_vec()), Just(b"opening_hours".to_vec()), Just(b"website".to_vec()),
            Just(b"latitude".to_vec()), cell()], 0..8),
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..6),
    ) {
        let mut bytes = header.join(&b","[..]);
        for r in &rows {
            bytes.push(b'\n');
            bytes.extend(r.join(&b","[..]));
        }
        match import::canonical::parse_csv(Path::new("fuzz.csv"), &bytes) {
            Ok(parsed) => validate(&parsed.records, "fuzz.csv")?,
            Err(problems) => problems_ok(&problems, "fuzz.csv")?,
        }
    }

    #[test]
    fn json_imports_of_garbage_never_panic_and_name_rows(values in proptest::collection::vec(json_value(), 0..4), lines in any::<bool>()) {
        let dir = tempfile::tempdir().expect("tmp");
        let body = if lines {
            values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("\n")
        } else {
            serde_json::Value::Array(values.clone()).to_string()
        };
        for (name, format) in [("f.json", Format::Json), ("di.json", Format::Datainclusion), ("hsds.json", Format::Hsds)] {
            let path = dir.path().join(name);
            std::fs::write(&path, &body).expect("write");
            let file = path.display().to_string();
            match import::read(&path, format) {
                Ok((_, parsed)) => validate(&parsed.records, &file)?,
                Err(problems) => problems_ok(&problems, &file)?,
            }
        }
    }
}
