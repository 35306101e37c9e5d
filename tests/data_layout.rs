//! A data directory each role can only touch its part of (#18): the layout the README's
//! install steps make (`assets/deploy/wic-layout`), what `wic doctor` says of it and of a
//! loosened copy, and the service's side of moderators' queued changes (`wic apply`): the
//! author is the file's owner, checked against `moderators`, and the queue always ends empty.
//! The staff side over a real SSH session is in `e2e_ssh.rs`.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wic::catalogue::edit::{Form, Intent};
use wic::data_dir::DataDir;
use wic::spool::{self, Request};

const BIN: &str = env!("CARGO_BIN_EXE_wic");
const LAYOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/deploy/wic-layout");
const ENTRY: &str = "repair-cafe-du-luth-gennevilliers";

fn wic(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("--data-dir").arg(data).args(args).env("LANG", "C.UTF-8").output().expect("run wic")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn id(args: &[&str]) -> String {
    let out = Command::new("id").args(args).output().expect("id");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A data directory with the shipped catalogue and its index, laid out for `service` and
/// the staff group `group` by the script the README runs.
fn laid_out(service: &str, group: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let data = tmp.path().join("data");
    DataDir::new(&data).prepare(&mut |_| {}).expect("prepare");
    let out = Command::new("sh").arg(LAYOUT).arg(&data).args([service, group]).output().expect("wic-layout");
    assert!(out.status.success(), "wic-layout: {}", text(&out));
    (tmp, data)
}

/// Lines of `wic doctor` that report a problem (the report is in French by default).
fn problems(report: &str) -> Vec<&str> {
    report.lines().filter(|l| l.starts_with("problème")).collect()
}

/// Every path under `dir`, `dir` included.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("ls").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

#[test]
fn the_installed_layout_passes_doctor_and_a_loosened_one_names_every_loose_path() {
    // The service and staff group are this test's own account and group, so it runs without
    // root; the modes are what the script gives any account.
    let (_tmp, data) = laid_out(&id(&["-un"]), &id(&["-gn"]));
    let spool = data.join("spool");
    for (path, mode) in
        [(&data, 0o755), (&spool, 0o2770), (&spool.join("edits"), 0o2770), (&data.join("applied"), 0o755)]
    {
        let found = std::fs::metadata(path).expect("stat").permissions().mode() & 0o7777;
        assert_eq!(found, mode, "{}: {found:o}", path.display());
    }
    let usage = std::fs::metadata(spool.join("usage.db")).expect("usage.db in the spool");
    assert_eq!(usage.permissions().mode() & 0o777, 0o660);

    let clean = wic(&data, &["doctor"]);
    let report = text(&clean);
    assert!(clean.status.success(), "{report}");
    assert_eq!(problems(&report), Vec::<&str>::new(), "{report}");
    assert!(report.contains("écrit seulement spool/"), "the layout is recognised:\n{report}");
    assert!(report.contains("aucune modification de modérateur n'attend"), "{report}");

    // A change queued two minutes ago and still there: the service is not running.
    let stale = spool.join("edits/1-1-0.json");
    std::fs::write(&stale, b"{}").expect("queue");
    let out = Command::new("touch").args(["-d", "2 minutes ago"]).arg(&stale).output().expect("touch");
    assert!(out.status.success());
    let waiting = text(&wic(&data, &["doctor"]));
    assert!(
        waiting.contains("1 modification(s) de modérateur attendent") && waiting.contains("wic-apply.path"),
        "{waiting}"
    );
    std::fs::remove_file(&stale).expect("rm");

    // What an administrator in a hurry does to "fix" a permission error.
    let out = Command::new("chmod").args(["-R", "g+w"]).arg(&data).output().expect("chmod");
    assert!(out.status.success());
    let loose = wic(&data, &["doctor"]);
    let report = text(&loose);
    assert_eq!(loose.status.code(), Some(1), "{report}");
    let named = problems(&report);
    let outside: Vec<PathBuf> = walk(&data).into_iter().filter(|p| !p.starts_with(&spool)).collect();
    assert!(outside.len() > 5, "catalogue, index, answers: {outside:?}");
    for path in &outside {
        let shown = format!("{} est modifiable par le groupe", path.display());
        assert!(named.iter().any(|l| l.contains(&shown)), "{} is not named:\n{report}", path.display());
    }
    assert_eq!(named.len(), outside.len(), "one line per loose path, nothing in the spool:\n{report}");

    // The script tightens it again.
    let out = Command::new("sh").arg(LAYOUT).arg(&data).args([id(&["-un"]), id(&["-gn"])]).output().expect("again");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(problems(&text(&wic(&data, &["doctor"]))), Vec::<&str>::new());
}

#[test]
fn an_older_layout_is_moved_into_the_spool() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    DataDir::new(&data).prepare(&mut |_| {}).expect("prepare");
    // The layout of earlier releases: usage.db at the top, the whole directory group-writable.
    wic::usage::open(&data.join("usage.db")).expect("usage.db");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o2775)).expect("chmod");
    let out = Command::new("sh").arg(LAYOUT).arg(&data).args([id(&["-un"]), id(&["-gn"])]).output().expect("layout");
    assert!(out.status.success(), "{}", text(&out));
    assert!(!data.join("usage.db").exists() && data.join("spool/usage.db").exists());
    assert_eq!(std::fs::metadata(&data).expect("stat").permissions().mode() & 0o7777, 0o755);
    assert_eq!(DataDir::new(&data).usage_path(), data.join("spool/usage.db"), "sessions write into the spool");
}

/// Queues `request` as `owner` would: written by wic's own code, then given to that account.
fn queue_as(data: &Path, owner: &str, request: &Request) -> spool::Ticket {
    let ticket = spool::submit(&DataDir::new(data), request).expect("queue");
    let path = data.join("spool/edits").join(&ticket.0);
    let out = Command::new("chown").arg(owner).arg(&path).output().expect("chown");
    assert!(out.status.success(), "chown {owner}: {}", text(&out));
    ticket
}

fn checked_form(data: &Path) -> Request {
    let store = DataDir::new(data).open_read().expect("catalogue");
    let (item, version) = store.get_versioned(ENTRY).expect("read").expect("the entry");
    let form = Form::open(&item, version, &store.reference().expect("reference"));
    Request::Save { form, intent: Intent::Check, today: "2026-12-02".into() }
}

fn apply(data: &Path, config: &Path) -> String {
    let out = wic(data, &["apply", "--config", config.to_str().expect("utf-8")]);
    assert!(out.status.success(), "wic apply: {}", text(&out));
    text(&out)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn the_service_applies_a_moderators_queued_change_in_the_name_of_the_files_owner() {
    if !is_root() || id(&["-u", "nobody"]).is_empty() || id(&["-u", "daemon"]).is_empty() {
        eprintln!("data_layout: SKIPPED: needs root and the accounts nobody and daemon (tests/run.sh runs as root)");
        return;
    }
    let (tmp, data) = laid_out("root", "root");
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, "moderators = [\"nobody\"]\n").expect("config");
    let version =
        || DataDir::new(&data).open_read().expect("open").get_versioned(ENTRY).expect("read").expect("entry").1;
    let before = version();

    // A moderator's change, and one queued by a staff account that is not a moderator.
    let mine = queue_as(&data, "nobody", &checked_form(&data));
    let theirs = queue_as(&data, "daemon", &checked_form(&data));
    // Things no session of wic writes, but someone with the group could: a link to a file
    // the service can read, and garbage.
    let edits = data.join("spool/edits");
    std::os::unix::fs::symlink(&config, edits.join("0-link.json")).expect("symlink");
    std::fs::write(edits.join("0-garbage.json"), b"{\"request\":\"rm -rf\"}").expect("garbage");

    let said = apply(&data, &config);
    assert!(said.contains("nobody: enregistrée"), "{said}");
    assert!(said.contains("daemon: refusée : daemon is not a moderator"), "{said}");
    assert!(said.contains("0-link.json ?: refusée : cannot read the request"), "{said}");
    assert!(said.contains("0-garbage.json ?: refusée : malformed request"), "{said}");
    assert_eq!(version(), before + 1, "one change went in");
    let history = DataDir::new(&data).open_read().expect("open").history(ENTRY).expect("history");
    let last = history.last().expect("a change");
    assert_eq!((last.who.as_str(), last.via.as_str()), ("nobody", "check"), "recorded as the file's owner");
    assert_eq!(std::fs::read_dir(&edits).expect("ls").count(), 0, "the queue ends empty");
    let dir = DataDir::new(&data);
    assert_eq!(spool::answer(&dir, &mine), Some(spool::Outcome::Saved { version: before + 1 }));
    assert!(matches!(spool::answer(&dir, &theirs), Some(spool::Outcome::Refused { .. })));
    let answer = std::fs::metadata(data.join("applied").join(&mine.0)).expect("answer");
    assert_eq!((answer.uid(), answer.permissions().mode() & 0o777), (0, 0o644), "the service's, readable");

    // Four eyes: held, refused to its own author, approved by a second moderator.
    std::fs::write(&config, "moderators = [\"nobody\", \"daemon\"]\nreview = \"four-eyes\"\n").expect("config");
    queue_as(&data, "nobody", &checked_form(&data));
    assert!(apply(&data, &config).contains("nobody: en attente d'un second modérateur"));
    assert_eq!(version(), before + 1, "held, not written");
    queue_as(&data, "nobody", &Request::Approve { entry: ENTRY.into() });
    assert!(apply(&data, &config).contains("nobody: refusée : the change must be approved by another moderator"));
    queue_as(&data, "daemon", &Request::Approve { entry: ENTRY.into() });
    assert!(apply(&data, &config).contains("daemon: approuvée"));
    assert_eq!(version(), before + 2);
    assert_eq!(apply(&data, &config).trim(), "Aucune modification en attente.");
}
