//! Index generations (docs/SEARCH.md): `wic index check` tells fresh from missing, damaged and
//! stale; `wic index rebuild` repairs; a rebuild never disturbs a reader that keeps
//! searching; only one rebuild runs at a time; old generations are removed.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use common::TestDir;
use wic::data_dir::{DataDir, IndexState};
use wic::search::generation;
use wic::search::{IndexError, SearchIndex, SearchRequest};

fn live_generation(search_dir: &Path) -> PathBuf {
    let name = generation::current_name(search_dir).expect("CURRENT readable").expect("a live generation");
    search_dir.join(name)
}

/// Rebuilds through the library, as `wic index rebuild` does.
fn rebuild(data: &DataDir) -> Result<generation::GenerationMeta, IndexError> {
    let store = data.open_read().expect("open the catalogue");
    generation::rebuild(
        &data.search_dir(),
        &store.all().unwrap(),
        &store.reference().unwrap(),
        store.version().unwrap(),
        &mut |_, _| {},
    )
}

/// Starts a rebuild of the catalogue as it is now, on another thread, and returns once it holds
/// the rebuild lock; it finishes when the returned sender is used (or dropped).
fn rebuild_holding_the_lock(
    data: &DataDir,
) -> (std::thread::JoinHandle<Result<generation::GenerationMeta, IndexError>>, mpsc::Sender<()>) {
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let data = data.clone();
    let handle = std::thread::spawn(move || {
        let store = data.open_read().unwrap();
        let mut first_call = true;
        generation::rebuild(
            &data.search_dir(),
            &store.all().unwrap(),
            &store.reference().unwrap(),
            store.version().unwrap(),
            &mut |_, _| {
                if first_call {
                    first_call = false;
                    started_tx.send(()).unwrap();
                    let _ = release_rx.recv();
                }
            },
        )
    });
    started_rx.recv().expect("the rebuild reported progress, so it holds the lock");
    (handle, release_tx)
}

fn check(dir: &TestDir) -> common::Run {
    dir.wic_in("en", &["index", "check"])
}

#[test]
fn check_is_ok_after_prepare() {
    let dir = TestDir::new();
    dir.prepare();
    let run = check(&dir);
    run.assert_code(0);
    assert!(run.stdout.starts_with("ok: the index matches the catalogue (version "), "{}", run.stdout);
    let meta = generation::read_meta(&live_generation(&dir.search_dir())).unwrap();
    assert_eq!(meta.documents, common::seed_listed());
    assert_eq!(meta.catalogue_version, dir.data_dir().open_read().unwrap().version().unwrap());
}

#[test]
fn missing_index_is_reported_with_the_fix_and_rebuild_repairs_it() {
    let dir = TestDir::new();
    dir.prepare();
    std::fs::remove_dir_all(dir.search_dir()).unwrap();
    let run = check(&dir);
    run.assert_code(1);
    assert!(run.stderr.contains("the search index is missing"), "{}", run.stderr);
    assert!(run.stderr.contains("wic index rebuild"), "{}", run.stderr);

    let run = dir.wic_in("en", &["index", "rebuild"]);
    run.assert_code(0);
    let rebuilt = format!("Index rebuilt: {} initiative(s), catalogue version ", common::seed_listed());
    assert!(run.stdout.starts_with(&rebuilt), "{}", run.stdout);
    check(&dir).assert_code(0);
}

#[test]
fn garbage_in_current_is_damaged_and_rebuild_repairs_it() {
    for garbage in ["garbage", "../../etc", ".hidden", "", "  \n", "gen-does-not-exist"] {
        let dir = TestDir::new();
        dir.prepare();
        std::fs::write(dir.search_dir().join("CURRENT"), garbage).unwrap();
        let run = check(&dir);
        run.assert_code(1);
        assert!(run.stderr.contains("the search index is damaged"), "CURRENT = {garbage:?}: {}", run.stderr);
        assert!(run.stderr.contains("wic index rebuild"), "{}", run.stderr);
        assert!(
            matches!(dir.data_dir().index_state(&dir.data_dir().open_read().unwrap()).unwrap(), IndexState::Corrupt(_)),
            "CURRENT = {garbage:?}"
        );
        dir.wic_in("en", &["index", "rebuild"]).assert_code(0);
        check(&dir).assert_code(0);
    }
}

/// Start-up (`wic search`, `wic browse`) repairs a damaged index by itself.
#[test]
fn search_repairs_a_damaged_index_by_itself() {
    let dir = TestDir::new();
    dir.prepare();
    std::fs::write(dir.search_dir().join("CURRENT"), "gen-does-not-exist\n").unwrap();
    check(&dir).assert_code(1);
    let run = dir.wic(&["search", "amap", "sceaux", "--json"]);
    run.assert_code(0);
    assert_eq!(run.json()[0]["id"], "amap-de-sceaux");
    check(&dir).assert_code(0);
}

/// CURRENT holding bytes that are not a plain generation name (random bytes after a disk
/// fault, a NUL, or the name of a file) must read as "damaged", like any other garbage, so
/// that `wic index check` names the fix and start-up rebuilds instead of refusing to run.
#[test]

fn unreadable_current_is_damaged_not_an_io_error() {
    let garbage: [&[u8]; 3] = [b"\xff\xfe\x00garbage", b"\x00\x01garbage", b"CURRENT"];
    for bytes in garbage {
        let dir = TestDir::new();
        dir.prepare();
        std::fs::write(dir.search_dir().join("CURRENT"), bytes).unwrap();
        let run = check(&dir);
        run.assert_code(1);
        assert!(run.stderr.contains("the search index is damaged"), "CURRENT = {bytes:?}: {}", run.stderr);
        assert!(run.stderr.contains("wic index rebuild"), "{}", run.stderr);
        // Start-up repairs it, as it does for other damage.
        let run = dir.wic(&["search", "amap", "sceaux", "--json"]);
        run.assert_code(0);
        assert_eq!(run.json()[0]["id"], "amap-de-sceaux");
        check(&dir).assert_code(0);
    }
}

#[test]
fn truncated_generation_files_are_damaged_and_rebuild_repairs_it() {
    let dir = TestDir::new();
    dir.prepare();
    let live = live_generation(&dir.search_dir());
    // Every tantivy file emptied; generation.json left intact so only the index is wrong.
    let mut emptied = 0;
    for e in std::fs::read_dir(&live).unwrap().flatten() {
        if e.file_name() != generation::META && e.path().is_file() {
            std::fs::write(e.path(), b"").unwrap();
            emptied += 1;
        }
    }
    assert!(emptied > 0);
    let run = check(&dir);
    run.assert_code(1);
    assert!(run.stderr.contains("the search index is damaged"), "{}", run.stderr);
    assert!(SearchIndex::open(&dir.search_dir()).is_err());

    dir.wic_in("en", &["index", "rebuild"]).assert_code(0);
    check(&dir).assert_code(0);
    assert_ne!(live_generation(&dir.search_dir()), live, "a new generation is live");
}

#[test]
fn garbage_generation_files_are_damaged() {
    let dir = TestDir::new();
    dir.prepare();
    let live = live_generation(&dir.search_dir());
    for e in std::fs::read_dir(&live).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::write(e.path(), b"\x00garbage{[not an index").unwrap();
        }
    }
    let run = check(&dir);
    run.assert_code(1);
    assert!(run.stderr.contains("the search index is damaged"), "{}", run.stderr);
    dir.wic_in("en", &["index", "rebuild"]).assert_code(0);
    check(&dir).assert_code(0);
}

#[test]
fn damaged_segment_data_is_damaged() {
    // Keep tantivy's meta.json and generation.json, garble the segment files.
    let dir = TestDir::new();
    dir.prepare();
    let live = live_generation(&dir.search_dir());
    for e in std::fs::read_dir(&live).unwrap().flatten() {
        let name = e.file_name().into_string().unwrap();
        if e.path().is_file() && name != generation::META && name != "meta.json" && !name.starts_with('.') {
            let len = std::fs::metadata(e.path()).unwrap().len() as usize;
            std::fs::write(e.path(), vec![0xA5u8; len.max(1)]).unwrap();
        }
    }
    let run = check(&dir);
    run.assert_code(1);
    assert!(run.stderr.contains("the search index is damaged"), "{}", run.stderr);
}

#[test]
fn import_with_no_index_leaves_the_index_stale_until_rebuilt() {
    let dir = TestDir::new();
    dir.prepare();
    let file =
        dir.file("new.csv", "id,name,themes,commune\ntest-stale,Nouvelle initiative périmée,s-entraider,Bagneux\n");
    dir.wic_in("en", &["import", file.to_str().unwrap(), "--no-index"]).assert_code(0);
    let run = check(&dir);
    run.assert_code(1);
    assert!(run.stderr.contains("the search index is stale"), "{}", run.stderr);
    assert!(run.stderr.contains("wic index rebuild"), "{}", run.stderr);

    // Unchanged re-import does not bump the version; a rebuild makes it fresh.
    dir.wic_in("en", &["index", "rebuild"]).assert_code(0);
    check(&dir).assert_code(0);
    dir.wic_in("en", &["import", file.to_str().unwrap(), "--no-index"]).assert_code(0);
    check(&dir).assert_code(0);

    // An import without --no-index rebuilds by itself.
    let file2 = dir.file("new2.csv", "id,name,themes\ntest-stale-two,Deuxième,s-entraider\n");
    let run = dir.wic_in("en", &["import", file2.to_str().unwrap()]);
    run.assert_code(0);
    let rebuilt = format!("Index rebuilt: {} initiative(s)", common::seed_listed() + 2);
    assert!(run.stdout.contains(&rebuilt), "{}", run.stdout);
    check(&dir).assert_code(0);
}

#[test]
fn search_rebuilds_a_stale_index_by_itself() {
    let dir = TestDir::new();
    dir.prepare();
    let file = dir.file("new.csv", "id,name,themes\ntest-zygomorphe,Atelier zygomorphe,s-entraider\n");
    dir.wic_in("en", &["import", file.to_str().unwrap(), "--no-index"]).assert_code(0);
    let run = dir.wic(&["search", "zygomorphe", "--json"]);
    run.assert_code(0);
    assert_eq!(run.json()[0]["id"], "test-zygomorphe");
    check(&dir).assert_code(0);
}

#[test]
fn a_reader_keeps_searching_through_three_rebuilds() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let search_dir = data.search_dir();
    let done = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = mpsc::channel();

    let reader = {
        let done = Arc::clone(&done);
        let search_dir = search_dir.clone();
        std::thread::spawn(move || {
            let mut index = SearchIndex::open(&search_dir).expect("open the live index");
            let queries = ["vélo", "epicerie", "amap sceaux", "ress", "covoiturrage", "jardins partagés", "fringues"];
            let (mut searches, mut failures, mut refreshes, mut refresh_errors) =
                (0usize, Vec::new(), 0usize, Vec::new());
            ready_tx.send(()).unwrap();
            // Bounded: at least 200 searches, then until the writer is done (at most 20,000).
            while searches < 20_000 && (searches < 200 || !done.load(Ordering::SeqCst)) {
                let q = queries[searches % queries.len()];
                let req = SearchRequest { text: q.into(), limit: 10, ..Default::default() };
                match index.search(&req).and_then(|r| r.load_all().map(|h| (r.total, h))) {
                    Ok((total, hits)) if total > 0 && !hits.is_empty() => {}
                    Ok((total, _)) => failures.push(format!("{q:?}: {total} results")),
                    Err(e) => failures.push(format!("{q:?}: {e}")),
                }
                searches += 1;
                if searches % 50 == 0 {
                    match index.refresh() {
                        Ok(true) => refreshes += 1,
                        Ok(false) => {}
                        Err(e) => refresh_errors.push(e.to_string()),
                    }
                }
            }
            // After the last rebuild: one more refresh, and the new initiative is found.
            let moved = index.refresh();
            let found = index
                .search(&SearchRequest { text: "Quokkathèque solidaire".into(), limit: 3, ..Default::default() })
                .and_then(|r| r.load_all());
            (
                searches,
                failures,
                refreshes,
                refresh_errors,
                moved.map_err(|e| e.to_string()),
                found,
                index.generation().to_string(),
            )
        })
    };

    ready_rx.recv().unwrap();
    let file =
        dir.file("quokka.csv", "id,name,themes,commune\ntest-quokkatheque,Quokkathèque solidaire,se-divertir,Vanves\n");
    let mut store = data.open_write().expect("open for writing");
    let report = wic::catalogue::import_files(&mut store, &[file], &Default::default()).expect("import");
    assert_eq!(report.counts.added, 1);
    drop(store);
    let mut metas = Vec::new();
    for _ in 0..3 {
        metas.push(rebuild(&data).expect("rebuild while a reader searches"));
    }
    done.store(true, Ordering::SeqCst);

    let (searches, failures, refreshes, refresh_errors, moved, found, reader_gen) =
        reader.join().expect("reader thread");
    assert!(failures.is_empty(), "{} of {searches} searches failed: {failures:?}", failures.len());
    assert!(refresh_errors.is_empty(), "refresh failed: {refresh_errors:?}");
    assert!(moved.is_ok(), "last refresh failed: {moved:?}");
    assert_eq!(reader_gen, generation::current_name(&search_dir).unwrap().unwrap(), "reader is on the live generation");
    println!("reader: {searches} searches, moved to a new generation {refreshes} time(s) while searching");
    let found = found.expect("search after the last refresh");
    assert_eq!(
        found.first().map(|(_, i)| i.id.as_str()),
        Some("test-quokkatheque"),
        "searches: {searches}, refreshes: {refreshes}"
    );
    assert!(metas.iter().all(|m| m.documents == common::seed_listed() + 1));
    check(&dir).assert_code(0);
}

#[test]
fn a_second_concurrent_rebuild_is_busy() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let (first, release_tx) = rebuild_holding_the_lock(&data);
    let second = rebuild(&data);
    assert!(matches!(second, Err(IndexError::Busy(_))), "expected Busy, got {:?}", second.map(|m| m.documents));
    // The command line says so too (exit 1, not a crash or a wait forever).
    let run = dir.wic_in("en", &["index", "rebuild"]);
    run.assert_code(1);
    assert!(run.stderr.contains("another index rebuild is running"), "{}", run.stderr);

    release_tx.send(()).unwrap();
    let meta = first.join().unwrap().expect("the first rebuild finishes");
    assert_eq!(meta.documents, common::seed_listed());
    // The lock is released with the rebuild: the next one goes through.
    rebuild(&data).expect("rebuild after the first one finished");
    check(&dir).assert_code(0);
}

#[test]
fn old_generations_and_crash_leftovers_are_cleaned_up() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let search_dir = data.search_dir();
    // A rebuild that crashed half-way left its building directory behind.
    let leftover = search_dir.join(".building-99999-1");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("junk"), b"half an index").unwrap();

    let mut names = Vec::new();
    for _ in 0..4 {
        rebuild(&data).unwrap();
        names.push(generation::current_name(&search_dir).unwrap().unwrap());
    }
    let mut gens = generation::list_generations(&search_dir);
    gens.sort();
    assert!(gens.len() <= 2, "at most two generations kept after 4 rebuilds: {gens:?}");
    let live = names.last().unwrap();
    assert!(gens.contains(live), "the live generation {live} is kept: {gens:?}");
    assert!(!leftover.exists(), "the crashed rebuild's directory is removed");
    let names_set: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(names_set.len(), 4, "each rebuild made a new generation: {names:?}");
    check(&dir).assert_code(0);
}

/// An I/O error is printed once: `wic: PATH: REASON`, not `wic: PATH: REASON: REASON`.
#[test]

fn io_errors_are_reported_once() {
    let dir = TestDir::new();
    dir.prepare();
    std::fs::remove_dir_all(dir.search_dir()).unwrap();
    std::fs::write(dir.search_dir(), b"a file where the search directory should be").unwrap();
    let run = dir.wic_in("en", &["index", "rebuild"]);
    run.assert_code(1);
    let line = run.stderr.lines().find(|l| l.starts_with("wic: ")).expect("an error line");
    assert_eq!(line.matches("os error").count(), 1, "the cause is repeated: {line}");
}

/// An import finishes while another process rebuilds from the catalogue as it was before (a
/// kiosk repairing its index, a timer): the import is not refused; it waits for that rebuild,
/// sees it missed the import, and builds again. (Found by CI: the import of
/// `security_data::readers_never_fail_while_an_import_and_two_rebuilds_run` failed with
/// "another index rebuild is running" when a `wic search` was repairing the index.)
#[test]
fn an_import_during_another_rebuild_waits_and_leaves_the_index_fresh() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let csv = dir.file("five.csv", "");
    dir.wic(&["synth", "--count", "5", "--seed", "3", "--output", csv.to_str().unwrap()]).assert_code(0);
    let (old, release_tx) = rebuild_holding_the_lock(&data);
    let version_before = data.open_read().unwrap().version().unwrap();
    let mut import = std::process::Command::new(env!("CARGO_BIN_EXE_wic"))
        .args(["--lang", "en", "--data-dir", data.root.to_str().unwrap(), "import", csv.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the import has committed, then give it time to meet the held lock.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while data.open_read().unwrap().version().unwrap() == version_before {
        assert!(std::time::Instant::now() < deadline, "the import never committed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(import.try_wait().unwrap().is_none(), "the import waits for the running rebuild");
    release_tx.send(()).unwrap();
    let meta = old.join().unwrap().expect("the old rebuild finishes");
    assert_eq!(meta.catalogue_version, version_before, "it indexed the catalogue before the import");
    let out = import.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Index rebuilt"), "{text}");
    let store = data.open_read().unwrap();
    assert_eq!(data.index_state(&store).unwrap(), IndexState::Fresh);
    assert_eq!(SearchIndex::open(&data.search_dir()).unwrap().meta().documents, common::seed_listed() + 5);
}
