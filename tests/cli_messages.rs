//! Issue #13, item 21: every "not found / stale" message names the command that fixes it.
//! Each command runs on an empty data directory (or one whose index is gone).

mod common;

use common::TestDir;

const IMPORT_FIX: &str = "import FILE`, or start `wic --data-dir";

#[test]
fn a_missing_catalogue_names_the_import() {
    let t = TestDir::new();
    let backup = t.tmp.path().join("copy.db");
    for args in [
        vec!["index", "check"],
        vec!["index", "rebuild"],
        vec!["export"],
        vec!["check"],
        vec!["backup", backup.to_str().unwrap()],
    ] {
        let mut all = vec!["--lang", "en"];
        all.extend(&args);
        let run = t.wic(&all);
        run.assert_code(1);
        assert!(run.stderr.contains(IMPORT_FIX), "`wic {}` does not name its fix:\n{}", args.join(" "), run.stderr);
        assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    }
    // In French too.
    let run = t.wic(&["index", "check"]);
    assert!(run.stderr.contains("import FICHIER »"), "{}", run.stderr);
}

#[test]
fn doctor_names_the_import_for_a_missing_data_dir() {
    let t = TestDir::new();
    let run = t.wic_in("en", &["doctor"]);
    run.assert_code(1);
    assert!(run.stdout.contains(IMPORT_FIX), "{}", run.stdout);
}

#[test]
fn a_missing_index_names_the_rebuild() {
    let t = TestDir::new();
    t.prepare();
    std::fs::remove_dir_all(t.search_dir()).unwrap();
    let run = t.wic_in("en", &["index", "check"]);
    run.assert_code(1);
    assert!(run.stderr.contains("index rebuild"), "{}", run.stderr);
    let run = t.wic_in("en", &["doctor"]);
    assert!(run.stdout.contains("index rebuild"), "{}", run.stdout);
}

#[test]
fn stats_without_usage_says_what_creates_it() {
    let t = TestDir::new();
    t.prepare();
    let run = t.wic_in("en", &["stats"]);
    run.assert_code(0);
    assert!(run.stdout.contains("session (`wic`)"), "{}", run.stdout);
}
