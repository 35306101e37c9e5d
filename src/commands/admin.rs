//! The administrator's commands: import, index rebuild/check, export.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::Context;

use super::{Failure, Out, ProgressLine, open_catalogue, say, shell_word};
use crate::catalogue::{ImportError, ImportOptions, ImportPolicy, export, import::Format};
use crate::cli::{ExportArgs, ExportFormat, ImportArgs, IndexAction};
use crate::data_dir::{DataDir, IndexState};
use crate::i18n::Strings;
use crate::text::terminal_safe;

pub fn import(data: &DataDir, args: &ImportArgs, s: &Strings) -> Result<(), Failure> {
    let mut store = data.open_write().context(s.get("cli.error.open_catalogue").to_string())?;
    let options = ImportOptions {
        format: args.format.into(),
        ignore_unknown: args.ignore_unknown,
        fix_hours: args.fix_hours,
        dry_run: args.dry_run,
        policy: if args.overwrite_edits { ImportPolicy::Overwrite } else { ImportPolicy::KeepEdits },
        ..ImportOptions::default()
    };
    let report = match crate::catalogue::import_files(&mut store, &args.files, &options) {
        Ok(r) => r,
        Err(ImportError::Invalid(problems)) => {
            for p in &problems {
                say(p);
            }
            return Err(Failure::Input(s.fmt("cli.import.refused", &[("n", &problems.len().to_string())])));
        }
        Err(ImportError::Store(e)) => return Err(Failure::Runtime(e.into())),
    };
    let mut out = Out::stdout();
    for (path, format, n) in &report.files {
        let fmt = match format {
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Datainclusion => "data·inclusion",
            Format::Hsds => "HSDS",
            Format::Auto => "auto",
        };
        let path = terminal_safe(&path.display().to_string());
        out.line(s.fmt("cli.import.read", &[("path", &path), ("n", &n.to_string()), ("format", fmt)]))?;
    }
    report.notes.iter().for_each(|note| println!("  {}", terminal_safe(note)));
    if !report.unmapped.is_empty() {
        out.line(s.fmt("cli.import.unmapped", &[("n", &report.unmapped.len().to_string())]))?;
        for u in &report.unmapped {
            out.line(format!("  {}", terminal_safe(u)))?;
        }
    }
    let c = report.counts;
    if report.dry_run {
        return out.line(s.fmt("cli.import.dry_run", &[("n", &c.added.to_string())]));
    }
    let (added, updated, unchanged) = (c.added.to_string(), c.updated.to_string(), c.unchanged.to_string());
    out.line(s.fmt("cli.import.counts", &[("added", &added), ("updated", &updated), ("unchanged", &unchanged)]))?;
    if !report.conflicts.is_empty() {
        out.line(s.fmt("cli.import.conflicts", &[("n", &report.conflicts.len().to_string())]))?;
        for c in &report.conflicts {
            let key = if c.kept { "cli.import.conflict_kept" } else { "cli.import.conflict_replaced" };
            let fields = c.fields.join(", ");
            out.line(format!(
                "  {}",
                terminal_safe(&s.fmt(key, &[("id", &c.id), ("who", &c.who), ("at", &c.at), ("fields", &fields)]))
            ))?;
        }
    }
    drop(out);
    if !args.no_index {
        // Not refused when another rebuild runs (a kiosk or `wic search` repairing a stale
        // index, a timer): the import has succeeded, so wait for that rebuild and build again
        // if it missed the import.
        rebuild(data, true, s)?;
    }
    Ok(())
}

pub fn index(data: &DataDir, action: IndexAction, s: &Strings) -> Result<(), Failure> {
    match action {
        IndexAction::Rebuild => rebuild(data, false, s),
        IndexAction::Check => check(data, s),
    }
}

/// Rebuilds the index with a progress line. `wait`: wait for a rebuild already running
/// ([`DataDir::rebuild`]) instead of reporting it busy ([`DataDir::rebuild_now`]).
pub(crate) fn rebuild(data: &DataDir, wait: bool, s: &Strings) -> Result<(), Failure> {
    let store = open_catalogue(data, s)?;
    let started = std::time::Instant::now();
    let mut progress = ProgressLine::new(s);
    let mut show = |done: usize, total: usize| {
        progress.show(s.fmt("cli.index.progress", &[("done", &done.to_string()), ("total", &total.to_string())]))
    };
    let result = if wait { data.rebuild(&store, &mut show) } else { data.rebuild_now(&store, &mut show).map(Some) };
    progress.finish();
    match result? {
        Some(meta) => Out::stdout().line(s.fmt(
            "cli.index.rebuilt",
            &[
                ("n", &meta.documents.to_string()),
                ("version", &meta.catalogue_version.to_string()),
                ("ms", &started.elapsed().as_millis().to_string()),
            ],
        )),
        None => Out::stdout().line(s.get("cli.index.rebuilt_meanwhile")),
    }
}

fn check(data: &DataDir, s: &Strings) -> Result<(), Failure> {
    let store = open_catalogue(data, s)?;
    let state = data.index_state(&store)?;
    let fix = s.fmt("cli.index.fix", &[("dir", &shell_word(&data.root))]);
    let failed = |key: &str, args: &[(&str, &str)]| {
        let mut args = args.to_vec();
        args.push(("fix", &fix));
        Err(Failure::Runtime(anyhow::anyhow!(s.fmt(key, &args))))
    };
    match state {
        IndexState::Fresh => {
            let version = store.version().context("catalogue")?.to_string();
            Out::stdout().line(s.fmt("cli.index.fresh", &[("version", &version)]))
        }
        IndexState::Missing => failed("cli.index.missing", &[]),
        IndexState::Stale(built, now) => {
            failed("cli.index.stale", &[("built", &built.to_string()), ("now", &now.to_string())])
        }
        IndexState::Corrupt(reason) => failed("cli.index.damaged", &[("reason", &terminal_safe(&reason))]),
    }
}

pub fn export(data: &DataDir, args: &ExportArgs, s: &Strings) -> Result<(), Failure> {
    let store = open_catalogue(data, s)?;
    let items = store.all().context(s.get("cli.error.read_catalogue").to_string())?;
    let reference = store.reference().context(s.get("cli.error.read_catalogue").to_string())?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path)
                .with_context(|| s.fmt("cli.error.write_file", &[("path", &path.display().to_string())]))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let out = BufWriter::new(out);
    let written = match args.format {
        ExportFormat::Csv => export::write_csv(out, &items, &reference),
        ExportFormat::Json => export::write_json(out, &items, &reference),
    };
    match written {
        Ok(()) => Ok(()),
        // `wic export | head` (a closed pipe) or a full disk: `commands::run` says it.
        Err(e) if args.output.is_none() => Err(Failure::Output(e)),
        Err(e) => Err(Failure::Runtime(anyhow::Error::from(e).context(s.get("cli.export.failed").to_string()))),
    }
}
