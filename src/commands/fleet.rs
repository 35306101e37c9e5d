//! `wic keygen`, `wic publish`, `wic sync` and `wic reports`: the fleet's commands
//! (README, "Running a fleet of kiosks"). The work is in [`crate::fleet`] and
//! [`crate::reports`]; here, arguments and configuration are resolved, and every outcome and
//! every failure becomes one translated line.

use std::path::Path;

use super::{Failure, Out, say, shell_word};
use crate::cli::{BrowseArgs, KeygenArgs, PublishArgs, ReportsAction, SyncArgs, UsageAction};
use crate::data_dir::{DataDir, IndexState};
use crate::fleet::fetch::Source;
use crate::fleet::sync::{SyncOutcome, SyncRequest};
use crate::fleet::{FleetError, bundle, keys};
use crate::i18n::Strings;
use crate::reports::{self, ReportsDb};
use crate::text::terminal_safe;

/// One line naming the cause, in `s`'s language (values from outside made terminal-safe).
fn cause(e: &FleetError, s: &Strings) -> String {
    let path = |p: &Path| shell_word(p);
    let text = |t: &str| terminal_safe(t).replace('\n', " ");
    match e {
        FleetError::Io { path: p, source } => {
            s.fmt("cli.fleet.cause.io", &[("path", &path(p)), ("reason", &text(&source.to_string()))])
        }
        FleetError::Exists(p) => s.fmt("cli.fleet.cause.exists", &[("path", &path(p))]),
        FleetError::BadKey { path: p, reason } => {
            s.fmt("cli.fleet.cause.bad_key", &[("path", &path(p)), ("reason", &text(reason))])
        }
        FleetError::Unreachable { from, reason } => {
            s.fmt("cli.fleet.cause.unreachable", &[("source", &text(from)), ("reason", &text(reason))])
        }
        FleetError::Status { url, status } => {
            s.fmt("cli.fleet.cause.status", &[("url", &text(url)), ("status", &status.to_string())])
        }
        FleetError::TooLarge { what, limit } => {
            s.fmt("cli.fleet.cause.too_large", &[("what", &text(what)), ("limit", &limit.to_string())])
        }
        FleetError::Interrupted { what, reason } => {
            s.fmt("cli.fleet.cause.interrupted", &[("what", &text(what)), ("reason", &text(reason))])
        }
        FleetError::Truncated { what, expected, got } => s.fmt(
            "cli.fleet.cause.truncated",
            &[("what", &text(what)), ("expected", &expected.to_string()), ("got", &got.to_string())],
        ),
        FleetError::Digest { what, .. } => s.fmt("cli.fleet.cause.digest", &[("what", &text(what))]),
        FleetError::Signature { what, keys } => {
            s.fmt("cli.fleet.cause.signature", &[("what", &text(what)), ("keys", &path(keys))])
        }
        FleetError::Malformed { what, reason } => {
            s.fmt("cli.fleet.cause.malformed", &[("what", &text(what)), ("reason", &text(reason))])
        }
        FleetError::NotNewer { offered, applied } => {
            s.fmt("cli.fleet.cause.not_newer", &[("offered", &offered.to_string()), ("applied", &applied.to_string())])
        }
        FleetError::Invalid(problems) => s.fmt("cli.fleet.cause.invalid", &[("n", &problems.len().to_string())]),
        FleetError::Store(e) => s.fmt("cli.fleet.cause.store", &[("reason", &text(&e.to_string()))]),
    }
}

pub fn keygen(args: &KeygenArgs, s: &Strings) -> Result<(), Failure> {
    match keys::generate(&args.file) {
        Ok(id) => Out::stdout().line(s.fmt(
            "cli.fleet.keygen_done",
            &[("file", &shell_word(&args.file)), ("pub", &shell_word(&keys::public_path(&args.file))), ("id", &id)],
        )),
        // An existing key is never overwritten: a usage error, not a failure of the machine.
        Err(e @ FleetError::Exists(_)) => Err(Failure::Input(cause(&e, s))),
        Err(e) => Err(Failure::Runtime(anyhow::anyhow!(cause(&e, s)))),
    }
}

pub fn publish(data: &DataDir, args: &PublishArgs, s: &Strings) -> Result<(), Failure> {
    let failed = |e: FleetError| {
        Failure::Runtime(anyhow::anyhow!(s.fmt("cli.fleet.publish_failed", &[("cause", &cause(&e, s))])))
    };
    let key = keys::load_secret(&args.key).map_err(failed)?;
    let store = super::open_catalogue(data, s)?;
    let items = store.all().map_err(|e| failed(e.into()))?;
    let reference = store.reference().map_err(|e| failed(e.into()))?;
    let done = bundle::publish(&items, &reference, &key, &args.dir, chrono::Utc::now()).map_err(failed)?;
    let m = &done.manifest;
    let dir = shell_word(&args.dir);
    if done.unchanged {
        return Out::stdout().line(s.fmt("cli.fleet.unchanged", &[("version", &m.version.to_string()), ("dir", &dir)]));
    }
    Out::stdout().line(s.fmt(
        "cli.fleet.published",
        &[
            ("version", &m.version.to_string()),
            ("n", &m.entries.to_string()),
            ("size", &m.size.to_string()),
            ("dir", &dir),
            ("id", &m.key_id),
        ],
    ))
}

pub fn sync(data: &DataDir, args: &SyncArgs, s: &Strings) -> Result<(), Failure> {
    let (settings, _) = crate::config::load(args.config.as_deref(), &BrowseArgs::default())
        .map_err(|e| Failure::Input(terminal_safe(&e.to_string())))?;
    let data = settings.data_dir_for(data);
    let source = args
        .source
        .clone()
        .or(settings.sync_source)
        .ok_or_else(|| Failure::Input(s.get("cli.fleet.no_source").into()))?;
    let keys_path = args
        .public_key
        .clone()
        .or(settings.public_key)
        .ok_or_else(|| Failure::Input(s.get("cli.fleet.no_key").into()))?;
    let refused = |e: FleetError| {
        if let FleetError::Invalid(problems) = &e {
            problems.iter().for_each(say);
        }
        Failure::Runtime(anyhow::anyhow!(s.fmt("cli.fleet.sync_refused", &[("cause", &cause(&e, s))])))
    };
    let trusted = keys::load_public(&keys_path).map_err(refused)?;
    // A new kiosk starts from the shipped catalogue, as `wic browse` would: were the first
    // sync to fail, an empty catalogue left behind would stop `browse` from importing it.
    if !data.catalogue_path().exists() {
        super::prepare(&data, s)?;
    }
    let mut store = data.open_write()?;
    let source = Source::parse(&source);
    let who = crate::identity::Account::current().name;
    let request = SyncRequest { source: &source, keys: &trusted, keys_path: &keys_path, who: &who };
    let changed = match crate::fleet::sync::sync(&mut store, &request).map_err(refused)? {
        SyncOutcome::UpToDate { version } => {
            Out::stdout().line(s.fmt("cli.fleet.up_to_date", &[("version", &version.to_string())]))?;
            false
        }
        SyncOutcome::Applied { version, published, entries, outcome } => {
            let c = outcome.counts;
            Out::stdout().line(s.fmt(
                "cli.fleet.applied",
                &[
                    ("version", &version.to_string()),
                    ("published", &terminal_safe(&published)),
                    ("n", &entries.to_string()),
                    ("added", &c.added.to_string()),
                    ("updated", &c.updated.to_string()),
                    ("unchanged", &c.unchanged.to_string()),
                    ("retired", &outcome.retired.to_string()),
                ],
            ))?;
            c.added + c.updated + outcome.retired > 0
        }
    };
    drop(store);
    // Running kiosks move to the new index generation by themselves (docs/ARCHITECTURE.md).
    let store = super::open_catalogue(&data, s)?;
    if changed || data.index_state(&store)? != IndexState::Fresh {
        drop(store);
        super::admin::rebuild(&data, true, s)?;
    }
    Ok(())
}

pub fn reports(data: &DataDir, action: ReportsAction, s: &Strings) -> Result<(), Failure> {
    let failed = |e: reports::ReportsError| {
        Failure::Runtime(anyhow::anyhow!(
            s.fmt("cli.fleet.reports_failed", &[("reason", &terminal_safe(&e.to_string()))])
        ))
    };
    make_root(data, s)?;
    let mut db = ReportsDb::open(&data.reports_path()).map_err(failed)?;
    match action {
        ReportsAction::Export { output } => {
            let all = db.all().map_err(failed)?;
            export_lines(&all, output, "cli.fleet.reports_exported", s)
        }
        ReportsAction::Import { files } => {
            // Every file is read and checked before anything is added.
            let mut read = Vec::new();
            for (path, text) in read_all(&files, s)? {
                let parsed =
                    reports::parse_lines(path, &text).map_err(|e| Failure::Input(terminal_safe(&e.to_string())))?;
                read.push((path, parsed));
            }
            let mut out = Out::stdout();
            for (path, parsed) in read {
                let c = db.import(&parsed).map_err(failed)?;
                out.line(s.fmt(
                    "cli.fleet.reports_imported",
                    &[("path", &shell_word(path)), ("added", &c.added.to_string()), ("known", &c.known.to_string())],
                ))?;
            }
            Ok(())
        }
    }
}

/// Rows as JSON Lines, to standard output or whole into `output` (then `done`, an i18n key
/// with `{n}` and `{path}`, is said on standard error).
fn export_lines<T: serde::Serialize>(
    rows: &[T],
    output: Option<std::path::PathBuf>,
    done: &str,
    s: &Strings,
) -> Result<(), Failure> {
    let text: String = rows.iter().map(|r| serde_json::to_string(r).expect("a row serialises") + "\n").collect();
    match output {
        None => Out::stdout().text(&text),
        Some(path) => {
            write_whole(&path, &text, s)?;
            say(s.fmt(done, &[("n", &rows.len().to_string()), ("path", &shell_word(&path))]));
            Ok(())
        }
    }
}

/// The data directory, created if needed (a kiosk's first export may come before its first run).
fn make_root(data: &DataDir, s: &Strings) -> Result<(), Failure> {
    std::fs::create_dir_all(&data.root).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(cause(&FleetError::Io { path: data.root.clone(), source: e }, s)))
    })
}

/// Every file of an import, read before anything is added: a missing one stops it all.
fn read_all<'a>(
    files: &'a [std::path::PathBuf],
    s: &Strings,
) -> Result<Vec<(&'a std::path::PathBuf, String)>, Failure> {
    files
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .map(|text| (path, text))
                .map_err(|e| Failure::Input(cause(&FleetError::Io { path: path.clone(), source: e }, s)))
        })
        .collect()
}

/// Writes `path` whole or not at all: the central machine may be copying it at that moment.
fn write_whole(path: &Path, text: &str, s: &Strings) -> Result<(), Failure> {
    crate::whole_file::write(path, text.as_bytes(), None).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(cause(&FleetError::Io { path: path.to_path_buf(), source: e }, s)))
    })
}

pub fn usage(data: &DataDir, action: UsageAction, s: &Strings) -> Result<(), Failure> {
    let failed = |e: rusqlite::Error| {
        Failure::Runtime(anyhow::anyhow!(
            s.fmt("cli.fleet.usage_failed", &[("reason", &terminal_safe(&e.to_string()))])
        ))
    };
    make_root(data, s)?;
    let mut conn = crate::usage::open(&data.usage_path()).map_err(failed)?;
    match action {
        UsageAction::Export { output, config } => {
            let (settings, _) = crate::config::load(config.as_deref(), &BrowseArgs::default())
                .map_err(|e| Failure::Input(terminal_safe(&e.to_string())))?;
            let rows = crate::usage::export_rows(&conn, &settings.kiosk_name).map_err(failed)?;
            export_lines(&rows, output, "cli.fleet.usage_exported", s)
        }
        UsageAction::Import { files } => {
            // Every file is read and checked before anything is added.
            let mut read = Vec::new();
            for (path, text) in read_all(&files, s)? {
                let mut rows = Vec::new();
                for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let row: crate::usage::KioskRow = serde_json::from_str(line).map_err(|e| {
                        Failure::Input(terminal_safe(&format!("{} line {}: {e}", path.display(), n + 1)))
                    })?;
                    rows.push(row);
                }
                read.push((path, rows));
            }
            let mut out = Out::stdout();
            for (path, rows) in read {
                let c = crate::usage::import_fleet(&mut conn, &rows).map_err(failed)?;
                out.line(s.fmt(
                    "cli.fleet.usage_imported",
                    &[
                        ("path", &shell_word(path)),
                        ("added", &c.added.to_string()),
                        ("grown", &c.grown.to_string()),
                        ("known", &c.known.to_string()),
                    ],
                ))?;
            }
            Ok(())
        }
    }
}
