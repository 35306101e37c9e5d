//! The administrator's commands: import, index rebuild/check, export.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::Context;

use super::{Failure, ProgressLine};
use crate::catalogue::{ImportError, export, import::Format};
use crate::cli::{ExportArgs, ExportFormat, ImportArgs, IndexAction};
use crate::data_dir::{DataDir, IndexState};
use crate::text::terminal_safe;

pub fn import(data: &DataDir, args: &ImportArgs) -> Result<(), Failure> {
    let mut store = data.open_write().context("cannot open the catalogue")?;
    let report = match crate::catalogue::import_files(
        &mut store,
        &args.files,
        args.format.into(),
        args.ignore_unknown,
        args.dry_run,
    ) {
        Ok(r) => r,
        Err(ImportError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            return Err(Failure::Input(format!("{} problem(s) found; the catalogue was not changed", problems.len())));
        }
        Err(ImportError::Store(e)) => return Err(Failure::Runtime(e.into())),
    };
    for (path, format, n) in &report.files {
        let fmt = match format {
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Datainclusion => "data·inclusion",
            Format::Hsds => "HSDS",
            Format::Auto => "auto",
        };
        println!("{}: {n} record(s) read as {fmt}", terminal_safe(&path.display().to_string()));
    }
    if !report.unmapped.is_empty() {
        println!("Not mapped onto the catalogue ({}):", report.unmapped.len());
        for u in &report.unmapped {
            println!("  {}", terminal_safe(u));
        }
    }
    let c = report.counts;
    if report.dry_run {
        println!("Dry run: {} initiative(s) valid; nothing was written.", c.added);
        return Ok(());
    }
    println!("{} added, {} updated, {} unchanged.", c.added, c.updated, c.unchanged);
    if !args.no_index {
        // Not refused when another rebuild runs (a kiosk or `wic search` repairing a stale
        // index, a timer): the import has succeeded, so wait for that rebuild and build again
        // if it missed the import.
        rebuild(data, true)?;
    }
    Ok(())
}

pub fn index(data: &DataDir, action: IndexAction) -> Result<(), Failure> {
    match action {
        IndexAction::Rebuild => rebuild(data, false),
        IndexAction::Check => check(data),
    }
}

/// Rebuilds the index with a progress line. `wait`: wait for a rebuild already running
/// ([`DataDir::rebuild`]) instead of reporting it busy ([`DataDir::rebuild_now`]).
fn rebuild(data: &DataDir, wait: bool) -> Result<(), Failure> {
    let store = data.open_read().context("cannot open the catalogue (run `wic import` first?)")?;
    let started = std::time::Instant::now();
    let mut progress = ProgressLine::new();
    let mut show = |done, total| progress.show(format!("Indexing: {done}/{total}"));
    let result = if wait { data.rebuild(&store, &mut show) } else { data.rebuild_now(&store, &mut show).map(Some) };
    progress.finish();
    match result? {
        Some(meta) => println!(
            "Index rebuilt: {} initiative(s), catalogue version {}, in {} ms.",
            meta.documents,
            meta.catalogue_version,
            started.elapsed().as_millis()
        ),
        None => println!("Index up to date (rebuilt meanwhile by another process)."),
    }
    Ok(())
}

fn check(data: &DataDir) -> Result<(), Failure> {
    let store = data.open_read().context("cannot open the catalogue")?;
    let state = data.index_state(&store)?;
    let fix = format!("run `wic index rebuild --data-dir {}`", data.root.display());
    match state {
        IndexState::Fresh => {
            println!("ok: the index matches the catalogue (version {}).", store.version().context("catalogue")?);
            Ok(())
        }
        IndexState::Missing => Err(Failure::Runtime(anyhow::anyhow!("the search index is missing: {fix}"))),
        IndexState::Stale(built, now) => Err(Failure::Runtime(anyhow::anyhow!(
            "the search index is stale (built from catalogue version {built}, the catalogue is at {now}): {fix}"
        ))),
        IndexState::Corrupt(reason) => {
            Err(Failure::Runtime(anyhow::anyhow!("the search index is damaged ({}): {fix}", terminal_safe(&reason))))
        }
    }
}

pub fn export(data: &DataDir, args: &ExportArgs) -> Result<(), Failure> {
    let store = data.open_read().context("cannot open the catalogue")?;
    let items = store.all().context("cannot read the catalogue")?;
    let reference = store.reference().context("cannot read the catalogue")?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).with_context(|| format!("cannot write {}", path.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let out = BufWriter::new(out);
    let written = match args.format {
        ExportFormat::Csv => export::write_csv(out, &items, &reference),
        ExportFormat::Json => export::write_json(out, &items, &reference),
    };
    match written {
        Ok(()) => Ok(()),
        // `wic export | head` closes the pipe early: not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Runtime(anyhow::Error::from(e).context("export failed"))),
    }
}
