//! One language policy for the whole command line (#11): French by default, English with
//! `--lang en` or an English locale, `--lang` winning; an unknown code is a usage error. What
//! scripts read — `--json`, the `FILE:LINE: field NAME:` lines of imports, exit codes — is the
//! same in every language.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{Run, TestDir};

/// Runs `wic --data-dir DATA ARGS…` with no locale from the outside but `env`.
fn wic(dir: &TestDir, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all: Vec<String> = vec!["--data-dir".into(), dir.data().display().to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wic"));
    cmd.args(&all).current_dir(dir.tmp.path()).stdin(Stdio::null());
    for v in ["WIC_DATA_DIR", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANG", "LANGUAGE"] {
        cmd.env_remove(v);
    }
    cmd.env("NO_COLOR", "1").env("TERM", "xterm-256color");
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

const NEUTRAL: &[(&str, &str)] = &[("LANG", "C.UTF-8")];
const BRITISH: &[(&str, &str)] = &[("LANG", "en_GB.UTF-8")];

#[test]
fn index_check_speaks_french_by_default_and_english_when_asked() {
    let dir = TestDir::new();
    let french = "il n'y a pas encore de catalogue";
    let english = "there is no catalogue yet";
    for (args, env, expected) in [
        (&["index", "check"][..], &[][..], french),
        (&["index", "check"], NEUTRAL, french),
        (&["index", "check"], &[("LANG", "fr_FR.UTF-8")], french),
        (&["--lang", "en", "index", "check"], NEUTRAL, english),
        (&["index", "check", "--lang", "en"], NEUTRAL, english),
        (&["index", "check"], BRITISH, english),
        (&["index", "check"], &[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "fr_FR.UTF-8")], english),
        // LC_ALL comes first, and --lang wins over any locale.
        (&["index", "check"], &[("LC_ALL", "fr_FR.UTF-8"), ("LANG", "en_GB.UTF-8")], french),
        (&["--lang", "fr", "index", "check"], BRITISH, french),
    ] {
        let run = wic(&dir, args, env);
        run.assert_code(1);
        assert!(run.stderr.contains(expected), "{args:?} with {env:?}: expected {expected:?} in\n{}", run.stderr);
    }
}

#[test]
fn doctor_speaks_french_by_default_and_english_when_asked() {
    let dir = TestDir::new();
    let config = dir.file("config.toml", "");
    let config = config.to_str().unwrap();
    let fr = wic(&dir, &["doctor", "--config", config], NEUTRAL);
    fr.assert_code(1);
    assert!(fr.stdout.contains("1 problème(s), 1 avertissement(s)."), "{}", fr.stdout);
    assert!(fr.stdout.lines().any(|l| l.starts_with("problème  données ")), "{}", fr.stdout);
    assert!(fr.stderr.contains("wic doctor a trouvé 1 problème(s)"), "{}", fr.stderr);
    for run in [
        wic(&dir, &["--lang", "en", "doctor", "--config", config], NEUTRAL),
        wic(&dir, &["doctor", "--config", config], BRITISH),
    ] {
        run.assert_code(1);
        assert!(run.stdout.contains("1 problem(s), 1 warning(s)."), "{}", run.stdout);
        assert!(run.stdout.lines().any(|l| l.starts_with("problem  data dir ")), "{}", run.stdout);
        assert!(!run.stdout.contains("problème"), "{}", run.stdout);
    }
}

#[test]
fn an_unknown_language_is_a_usage_error_naming_the_offered_ones() {
    let dir = TestDir::new();
    for args in [&["--lang", "xx", "doctor"][..], &["doctor", "--lang", "de"], &["browse", "--lang", "xx"]] {
        let run = wic(&dir, args, NEUTRAL);
        run.assert_code(2);
        assert!(run.stderr.contains("fr, en, es, pt, uk, ro"), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn every_subcommand_accepts_lang() {
    let dir = TestDir::new();
    for sub in [
        &["browse"][..],
        &["import"],
        &["index", "rebuild"],
        &["index", "check"],
        &["search"],
        &["export"],
        &["stats"],
        &["check"],
        &["doctor"],
        &["backup"],
        &["synth"],
        &["bench"],
    ] {
        let mut args = sub.to_vec();
        args.extend(["--lang", "en", "--help"]);
        wic(&dir, &args, NEUTRAL).assert_code(0);
    }
}

#[test]
fn the_first_run_progress_line_follows_the_language() {
    let fr = TestDir::new();
    let run = wic(&fr, &["search", "vélo", "--limit", "1"], NEUTRAL);
    run.assert_code(0);
    assert!(run.stderr.contains("Première utilisation : import du catalogue fourni"), "{}", run.stderr);
    assert!(run.stderr.contains("Construction de l'index de recherche : "), "{}", run.stderr);
    assert!(run.stdout.contains("résultats en tout"), "{}", run.stdout);

    let en = TestDir::new();
    let run = wic(&en, &["search", "vélo", "--limit", "1", "--lang", "en"], NEUTRAL);
    run.assert_code(0);
    assert!(run.stderr.contains("First run: importing the shipped catalogue"), "{}", run.stderr);
    assert!(run.stderr.contains("Building the search index: "), "{}", run.stderr);
    assert!(!run.stderr.contains("Première"), "{}", run.stderr);
    assert!(run.stdout.contains("results in all"), "{}", run.stdout);
}

#[test]
fn json_outputs_are_the_same_in_every_language() {
    let dir = TestDir::new();
    dir.prepare();
    for args in [
        &["search", "amap", "--json", "--at", "2026-12-01T10:00"][..],
        &["check", "--json", "--today", "2026-11-29"],
        &["stats", "--json", "--since", "2026-11-01"],
    ] {
        let fr = wic(&dir, args, NEUTRAL);
        let en = wic(&dir, args, BRITISH);
        assert_eq!(fr.code, en.code, "{args:?}");
        fr.json();
        assert_eq!(fr.stdout, en.stdout, "{args:?}: --json differs between French and English");
    }
}

#[test]
fn import_error_lines_keep_their_shape_in_every_language() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/canonical/three-bad-of-ten.csv");
    let dir = TestDir::new();
    let problems =
        |run: &Run| run.stderr.lines().filter(|l| l.contains(": field ")).map(String::from).collect::<Vec<_>>();
    let fr = wic(&dir, &["import", bad.to_str().unwrap()], NEUTRAL);
    let en = wic(&dir, &["import", bad.to_str().unwrap(), "--lang", "en"], NEUTRAL);
    fr.assert_code(2);
    en.assert_code(2);
    let lines = problems(&fr);
    assert_eq!(lines.len(), 3, "{}", fr.stderr);
    let prefix = format!("{}:4: field themes: ", bad.display());
    assert!(lines[0].starts_with(&prefix), "{}", lines[0]);
    assert_eq!(lines, problems(&en), "the FILE:LINE: field NAME: lines are the same");
    assert!(fr.stderr.contains("3 problème(s) trouvé(s) ; le catalogue n'a pas été modifié"), "{}", fr.stderr);
    assert!(en.stderr.contains("3 problem(s) found; the catalogue was not changed"), "{}", en.stderr);
}
