//! Issue #13, item 20: no command panics when its output cannot be written. Every subcommand
//! that writes to standard output is run (a) into a pipe whose reader has gone (`wic … | head`):
//! it ends quietly with status 0, as ripgrep does; (b) into /dev/full (a full disk): one line on
//! standard error and status 1. Never "panicked", never exit 101.
//!
//! `wic bench` is left out: it measures for minutes; its report goes through the same
//! `Failure::Output` path as the others. `wic browse` writes nothing without a terminal.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::TestDir;

/// The subcommands that write to standard output, each as its arguments after `--data-dir`.
fn commands(t: &TestDir) -> Vec<Vec<String>> {
    let csv = t.file("one.csv", one_initiative_csv());
    let backup = t.tmp.path().join("copy.db");
    let lists: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["help"],
        vec!["search", "--help"],
        vec!["--version"],
        vec!["search", "repas"],
        vec!["search", "repas", "--json"],
        vec!["search", "", "--limit", "200"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["check"],
        vec!["check", "--json"],
        vec!["doctor"],
        vec!["index", "check"],
        vec!["index", "rebuild"],
        vec!["import", "--no-index", csv.to_str().unwrap()],
        vec!["backup", "--force", backup.to_str().unwrap()],
        vec!["synth", "--count", "50"],
    ];
    lists.into_iter().map(|l| l.into_iter().map(String::from).collect()).collect()
}

/// One initiative in the canonical CSV (the header of an export, one row of the seeds).
fn one_initiative_csv() -> String {
    let mut lines = common::SEED_CSV.lines();
    format!("{}\n{}\n", lines.next().unwrap(), lines.next().unwrap())
}

fn wic(t: &TestDir, args: &[String]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wic"));
    c.arg("--data-dir")
        .arg(t.data())
        .args(args)
        .current_dir(t.tmp.path())
        .env_remove("WIC_DATA_DIR")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// A usage.db with a few figures, so that `stats` prints charts rather than one line.
fn usage_figures(data: &Path) {
    use wic::usage::{Event, SessionMode, Usage};
    let mut usage = Usage::new(data.join("usage.db"), SessionMode::Kiosk);
    let today = wic::usage::today_paris();
    for _ in 0..3 {
        usage.record_on(&today, Event::Search);
    }
    usage.record_on(&today, Event::SearchNoResult);
    usage.record_on(&today, Event::ThemeOpened("se-nourrir".into()));
    usage.flush().expect("write usage.db");
}

fn prepared() -> TestDir {
    let t = TestDir::new();
    t.prepare();
    usage_figures(&t.data());
    t
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let t = prepared();
    for args in commands(&t) {
        let mut child = wic(&t, &args).stdout(Stdio::piped()).spawn().expect("spawn wic");
        // The reader goes away before wic has written anything: its first write meets EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait for wic");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "`wic {}` panicked on a closed pipe:\n{stderr}", args.join(" "));
        assert_eq!(
            out.status.code(),
            Some(0),
            "`wic {}` into a closed pipe: status {:?} (expected 0)\n--- stderr\n{stderr}",
            args.join(" "),
            out.status
        );
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("os error"),
            "`wic {}` complained about a closed pipe:\n{stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn a_full_disk_is_one_line_and_status_1() {
    let t = prepared();
    for args in commands(&t) {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("open /dev/full");
        let out = wic(&t, &args).stdout(Stdio::from(full)).output().expect("run wic");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let what = format!("`wic {}` > /dev/full", args.join(" "));
        assert!(!stderr.contains("panicked"), "{what} panicked:\n{stderr}");
        assert_eq!(out.status.code(), Some(1), "{what}: status {:?} (expected 1)\n--- stderr\n{stderr}", out.status);
        // Progress lines ("Indexation : 314/314", from `index rebuild`) are not errors.
        let said: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("Indexation")).collect();
        assert_eq!(said.len(), 1, "{what}: not exactly one line on stderr:\n{stderr}");
        assert!(
            stderr.contains("impossible d'écrire sur la sortie standard : No space left on device"),
            "{what} does not say what failed:\n{stderr}"
        );
    }
}

#[test]
fn a_full_disk_is_said_in_english_too() {
    let t = prepared();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("open /dev/full");
    let args: Vec<String> = ["--lang", "en", "check"].map(String::from).to_vec();
    let out = wic(&t, &args).stdout(Stdio::from(full)).output().expect("run wic");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end(), "wic: cannot write to standard output: No space left on device");
    assert_eq!(out.status.code(), Some(1));
}

/// `wic … 2>&1 | head -c 1`: standard error is the closed pipe too. Nobody is left to tell, but
/// still no panic (exit 101 would look like a crash to a supervisor).
#[test]
fn a_closed_standard_error_is_no_panic_either() {
    let t = TestDir::new();
    // An empty data directory: `index check` fails and writes its reason to standard error.
    let mut child = wic(&t, &["index".into(), "check".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wic");
    drop(child.stderr.take());
    let status = child.wait().expect("wait for wic");
    assert_eq!(status.code(), Some(1), "`wic index check` with standard error closed: {status:?}");
}
