//! The administrator's commands of issue #4: `wic stats`, `wic check`, `wic doctor` and
//! `wic backup`, run as the real binary against data directories the tests build.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

const TEST_CHANGE: wic::catalogue::Change<'static> =
    wic::catalogue::Change { who: "test", via: wic::catalogue::Via::Import, origin: "admin_commands.rs" };

use common::{Run, TestDir};
use wic::catalogue::{Initiative, Reference, Store};
use wic::usage::{Event, SessionMode, Usage};

/// Runs `wic --data-dir DATA ARGS…` with a chosen terminal environment (stats draws
/// differently on a UTF-8 terminal and on the Linux console).
fn wic_env(dir: &TestDir, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all: Vec<String> = vec!["--data-dir".into(), dir.data().display().to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wic"));
    cmd.args(&all).current_dir(dir.tmp.path()).stdin(Stdio::null());
    // Without LANG and LC_*, the messages are French (the default) unless ARGS say `--lang en`.
    for v in ["WIC_DATA_DIR", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LANG", "TERM", "COLORTERM", "NO_COLOR"] {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run wic");
    Run {
        args: all,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------- stats

/// A usage.db with fixed dates: two weeks of searches, themes and details, from two modes.
fn usage_fixture(dir: &TestDir) {
    let path = dir.data_dir().usage_path();
    let mut kiosk = Usage::new(&path, SessionMode::Kiosk);
    let days = [("2026-11-20", 12, 3), ("2026-11-21", 4, 0), ("2026-11-23", 20, 2), ("2026-11-24", 9, 1)];
    for (day, searches, none) in days {
        for _ in 0..searches {
            kiosk.record_on(day, Event::Search);
        }
        for _ in 0..none {
            kiosk.record_on(day, Event::SearchNoResult);
        }
    }
    for (slug, n) in [("se-nourrir", 7), ("s-habiller", 3), ("se-deplacer", 1)] {
        for _ in 0..n {
            kiosk.record_on("2026-11-23", Event::ThemeOpened(slug.into()));
        }
    }
    for (id, n) in [("avf-saint-cloud", 5), ("accorderies", 2), ("boutique-solidaire-croix-rouge-sceaux", 2)] {
        for _ in 0..n {
            kiosk.record_on("2026-11-24", Event::DetailViewed(id.into()));
        }
    }
    kiosk.record_on("2026-11-24", Event::IdleReset);
    // Before --since: must not be counted.
    kiosk.record_on("2026-11-01", Event::Search);
    kiosk.flush().unwrap();
    let mut staff = Usage::new(&path, SessionMode::Staff);
    staff.record_on("2026-11-24", Event::Search);
    staff.record_on("2026-11-24", Event::ShortlistExported);
    staff.flush().unwrap();
}

#[test]
fn stats_draws_bar_charts() {
    let dir = TestDir::new();
    dir.prepare();
    usage_fixture(&dir);
    let run = wic_env(&dir, &["stats", "--since", "2026-11-20"], &[("TERM", "xterm-256color"), ("LANG", "C.UTF-8")]);
    run.assert_code(0);
    assert!(run.stdout.contains("█"), "UTF-8 terminal: block bars");
    // Names come from the catalogue.
    assert!(run.stdout.contains("Réseau des Accorderies"), "{}", run.stdout);
    insta::assert_snapshot!("stats_utf8", run.stdout);
    let ascii = wic_env(&dir, &["stats", "--since", "2026-11-20"], &[("TERM", "linux"), ("LANG", "C.UTF-8")]);
    ascii.assert_code(0);
    assert!(ascii.stdout.is_ascii() || !ascii.stdout.contains('█'), "no block glyphs on the Linux console");
    insta::assert_snapshot!("stats_ascii", ascii.stdout);
}

#[test]
fn stats_json_has_exact_figures() {
    let dir = TestDir::new();
    dir.prepare();
    usage_fixture(&dir);
    let v = wic_env(&dir, &["stats", "--since", "2026-11-20", "--json"], &[]).assert_code(0).json();
    assert_eq!(v["totals"]["search"], 46);
    assert_eq!(v["totals"]["search_no_result"], 6);
    assert_eq!(v["by_mode"]["staff"], 2);
    let days = v["searches_per_day"].as_array().unwrap();
    assert_eq!(days.len(), 5, "20 to 24 November, the 22nd with none");
    assert_eq!(days[2]["day"], "2026-11-22");
    assert_eq!(days[2]["count"], 0);
    assert_eq!(v["themes"][0]["label"], "Se nourrir");
    assert_eq!(v["most_viewed"][0]["key"], "avf-saint-cloud");
    let weeks = v["zero_result_by_week"].as_array().unwrap();
    assert_eq!(weeks[0]["week"], "2026-W47");
    assert_eq!(weeks[0]["searches"], 16);
    assert_eq!(weeks[0]["no_result"], 3);
    assert_eq!(weeks[1]["week"], "2026-W48");
    assert_eq!(weeks[1]["searches"], 30);
}

#[test]
fn stats_without_usage_db_says_so() {
    let dir = TestDir::new();
    dir.prepare();
    let run = wic_env(&dir, &["stats"], &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("Aucune statistique"), "{}", run.stdout);
    wic_env(&dir, &["stats", "--since", "hier"], &[]).assert_code(2);
}

// ---------------------------------------------------------------- check

fn initiative(id: &str, name: &str, commune: &str, updated: &str) -> Initiative {
    Initiative {
        id: id.into(),
        name: name.into(),
        summary: "Résumé.".into(),
        themes: vec!["se-nourrir".into()],
        commune: commune.into(),
        status: "actif".into(),
        updated: updated.into(),
        website: "https://exemple.fr".into(),
        ..Default::default()
    }
}

/// A catalogue written through the store directly: validation would refuse the broken
/// fields, but an older or hand-edited database may hold them.
fn catalogue(dir: &TestDir, items: &[Initiative]) {
    let data = dir.data_dir();
    let mut store = data.open_write().unwrap();
    store.upsert(items, &TEST_CHANGE).unwrap();
}

#[test]
fn check_finds_each_kind_of_problem() {
    let dir = TestDir::new();
    let mut broken_hours = initiative("horaires-casses", "Épicerie des horaires", "92050", "2026-10-01");
    broken_hours.opening_hours = "le mardi matin".into();
    let mut no_scheme = initiative("site-sans-schema", "Ressourcerie sans schéma", "92050", "2026-10-01");
    no_scheme.website = "www.exemple.fr".into();
    let mut hidden = initiative("ancienne-fermee", "Vieille entrée inactive", "92050", "2010-01-01");
    hidden.status = "inactif".into();
    catalogue(
        &dir,
        &[
            initiative("epicerie-fraiche", "Épicerie fraîche", "92050", "2026-06-01"),
            initiative("vieille-amap", "Vieille AMAP", "92050", "2025-11-28"),
            initiative("jamais-datee", "Jamais datée", "92050", ""),
            initiative("doublon-1", "Le Repair Café", "92002", "2026-09-01"),
            initiative("doublon-2", "le repair cafe", "92002", "2026-09-01"),
            initiative("meme-nom-autre-commune", "Le Repair Café", "92012", "2026-09-01"),
            broken_hours,
            no_scheme,
            hidden,
        ],
    );
    let run = wic_env(&dir, &["check", "--today", "2026-11-29", "--json"], &[]);
    run.assert_code(1);
    let v = run.json();
    let ids = |key: &str| -> Vec<String> {
        v[key].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids("stale"), vec!["jamais-datee", "vieille-amap"]);
    assert_eq!(v["duplicates"].as_array().unwrap().len(), 1);
    assert_eq!(v["duplicates"][0]["ids"], serde_json::json!(["doublon-1", "doublon-2"]));
    assert_eq!(v["duplicates"][0]["commune"], "Antony");
    let broken: Vec<(String, String)> = v["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["id"].as_str().unwrap().into(), b["field"].as_str().unwrap().into()))
        .collect();
    assert!(broken.contains(&("horaires-casses".into(), "opening_hours".into())), "{broken:?}");
    assert!(broken.contains(&("site-sans-schema".into(), "website".into())), "{broken:?}");
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert_eq!(v["problems"], 5);
    // Nanterre (92050) has food initiatives; Antony none: a gap, for information.
    let food = v["gaps"].as_array().unwrap().iter().find(|g| g["theme"] == "se-nourrir").unwrap();
    let communes: Vec<&str> = food["communes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(!communes.contains(&"Nanterre") && communes.contains(&"Bagneux"), "{communes:?}");

    let text = wic_env(&dir, &["check", "--today", "2026-11-29"], &[]);
    text.assert_code(1);
    assert!(text.stdout.contains("vieille-amap — Vieille AMAP (mise à jour le 2025-11-28)"), "{}", text.stdout);
    assert!(text.stdout.contains("site-sans-schema : website : sans http:// ni https:// (www.exemple.fr)"));
    assert!(text.stdout.contains("Bilan : 5 problème(s) à corriger."));
}

#[test]
fn check_of_a_clean_catalogue_exits_0() {
    let dir = TestDir::new();
    catalogue(&dir, &[initiative("epicerie-fraiche", "Épicerie fraîche", "92050", "2026-06-01")]);
    let run = wic_env(&dir, &["check", "--today", "2026-11-29"], &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("rien à corriger"), "{}", run.stdout);
    wic_env(&dir, &["check", "--today", "29/11/2026"], &[]).assert_code(2);
}

// ---------------------------------------------------------------- doctor

fn verdict_line<'a>(run: &'a Run, what: &str) -> &'a str {
    run.stdout
        .lines()
        .find(|l| l.get(9..).is_some_and(|rest| rest.starts_with(what)))
        .unwrap_or_else(|| panic!("no `{what}` line in:\n{}", run.stdout))
}

/// `wic doctor` in English: the tests below read its verdicts and check names.
fn doctor(dir: &TestDir, config: &Path) -> Run {
    let args = ["--lang", "en", "doctor", "--config", config.to_str().unwrap()];
    wic_env(dir, &args, &[("TERM", "xterm-256color"), ("LANG", "C.UTF-8")])
}

#[test]
fn doctor_on_a_healthy_directory() {
    let dir = TestDir::new();
    dir.prepare();
    let cfg = dir.file("config.toml", "lang = \"fr\"\nprint_command = \"cat > /dev/null\"\n");
    let run = doctor(&dir, &cfg);
    run.assert_code(0);
    assert!(verdict_line(&run, "index").starts_with("ok"), "{}", run.stdout);
    assert!(verdict_line(&run, "catalogue").starts_with("ok"));
    assert!(verdict_line(&run, "catalogue").contains("integrity ok"));
    assert!(verdict_line(&run, "config").starts_with("ok"));
    assert!(verdict_line(&run, "print").starts_with("ok"));
    // Not run in a terminal here: a warning, not a problem.
    assert!(verdict_line(&run, "terminal").starts_with("warning"));
    assert!(verdict_line(&run, "colours").contains("256 colours"));
}

#[test]
fn doctor_reports_a_missing_index() {
    let dir = TestDir::new();
    dir.prepare();
    std::fs::remove_dir_all(dir.search_dir()).unwrap();
    let run = doctor(&dir, &dir.file("c.toml", ""));
    run.assert_code(1);
    let line = verdict_line(&run, "index");
    assert!(line.starts_with("problem") && line.contains("missing"), "{line}");
    assert!(run.stdout.contains("→ run `wic --data-dir"), "a fix is given:\n{}", run.stdout);
}

#[test]
fn doctor_reports_a_stale_index() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let mut store = data.open_write().unwrap();
    store.upsert(&[initiative("nouvelle-entree", "Nouvelle entrée", "92050", "2026-11-01")], &TEST_CHANGE).unwrap();
    drop(store);
    let run = doctor(&dir, &dir.file("c.toml", ""));
    run.assert_code(1);
    let line = verdict_line(&run, "index");
    assert!(line.starts_with("problem") && line.contains("stale"), "{line}");
}

#[test]
fn doctor_reports_a_bad_config() {
    let dir = TestDir::new();
    dir.prepare();
    let run = doctor(&dir, &dir.file("c.toml", "kisok = true\n"));
    run.assert_code(1);
    assert!(verdict_line(&run, "config").starts_with("problem"), "{}", run.stdout);
}

#[test]
fn doctor_reports_a_missing_print_program() {
    let dir = TestDir::new();
    dir.prepare();
    let run = doctor(&dir, &dir.file("c.toml", "print_command = \"no-such-printer-wic -d accueil\"\n"));
    run.assert_code(1);
    let line = verdict_line(&run, "print");
    assert!(line.starts_with("problem") && line.contains("no-such-printer-wic"), "{line}");
}

/// A kiosk's speech: a configured program that is missing is a problem; speech turned off, or
/// no espeak-ng to default to, is said plainly (speech is optional). Staff configs say nothing.
#[test]
fn doctor_says_what_reads_a_kiosk_aloud() {
    let dir = TestDir::new();
    dir.prepare();
    let run = doctor(&dir, &dir.file("a.toml", "kiosk = true\nspeech_command = \"no-such-voice-wic -v {voice}\"\n"));
    run.assert_code(1);
    let line = verdict_line(&run, "speech");
    assert!(line.starts_with("problem") && line.contains("no-such-voice-wic"), "{line}");
    let run = doctor(&dir, &dir.file("b.toml", "kiosk = true\nspeech_command = \"cat > /dev/null\"\n"));
    assert!(verdict_line(&run, "speech").starts_with("ok"), "{}", run.stdout);
    let run = doctor(&dir, &dir.file("c.toml", "kiosk = true\nspeech = false\n"));
    assert!(verdict_line(&run, "speech").contains("off (speech = false)"), "{}", run.stdout);
    let run = doctor(&dir, &dir.file("d.toml", "speech_command = \"no-such-voice-wic\"\n"));
    assert!(!run.stdout.lines().any(|l| l.get(9..).is_some_and(|r| r.starts_with("speech"))), "{}", run.stdout);
}

#[test]
fn doctor_reports_a_missing_data_dir() {
    let dir = TestDir::new();
    let run = doctor(&dir, &dir.file("c.toml", ""));
    run.assert_code(1);
    assert!(verdict_line(&run, "data dir").starts_with("problem"), "{}", run.stdout);
}

// ---------------------------------------------------------------- backup

#[test]
fn backup_while_another_connection_reads() {
    let dir = TestDir::new();
    let data = dir.prepare();
    let catalogue = data.catalogue_path();
    // A reader in the middle of a read transaction, as a kiosk is while it loads.
    let reader = rusqlite::Connection::open_with_flags(&catalogue, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader.query_row("SELECT count(*) FROM initiatives", [], |r| r.get(0)).unwrap();
    assert!(n > 200);
    let out = dir.tmp.path().join("sauvegarde.db");
    let run = dir.wic(&["backup", out.to_str().unwrap()]);
    run.assert_code(0);
    assert!(run.stdout.contains("Sauvegarde écrite"), "{}", run.stdout);
    let n2: i64 = reader.query_row("SELECT count(*) FROM initiatives", [], |r| r.get(0)).unwrap();
    assert_eq!(n, n2, "the reader was not disturbed");
    reader.execute_batch("COMMIT").unwrap();

    let original = data.open_read().unwrap();
    let copy = Store::open_read(&out).unwrap();
    assert_eq!(copy.version().unwrap(), original.version().unwrap());
    assert_eq!(copy.all().unwrap(), original.all().unwrap());
    assert_eq!(copy.integrity_check().unwrap(), "ok");
    let reference: Reference = copy.reference().unwrap();
    assert_eq!(reference.communes.len(), 36);
    // A single self-contained file, nothing left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(dir.tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sauvegarde") && n != "sauvegarde.db")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An existing file is kept unless --force.
    dir.wic(&["backup", out.to_str().unwrap()]).assert_code(2);
    dir.wic(&["backup", "--force", out.to_str().unwrap()]).assert_code(0);
}
