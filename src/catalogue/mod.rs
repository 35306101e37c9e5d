//! The domain: what an initiative is, the rules it obeys, where it is stored, and how it comes
//! in (importers) and goes out (export).

pub mod edit;
pub mod export;
pub mod history;
pub mod import;
pub mod model;
pub mod reference;
pub mod store;
pub mod validate;
pub mod website;

use std::path::PathBuf;

pub use history::{Change, HistoryRow, Via};
pub use model::Initiative;
pub use reference::{Commune, Reference, Theme};
pub use store::{
    Conflict, ImportPolicy, Pending, Refusal, Store, StoreError, UpsertCounts, VersionConflict, WriteOutcome,
};
pub use validate::{Problem, RawRecord, RawValue, Validator};

use import::Format;

/// The embedded seed catalogue (canonical CSV), imported on first run.
pub const SEED_INITIATIVES_CSV: &str = include_str!("../../seeds/initiatives.csv");

/// What an import found and did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Per file: the format it was read as, and how many records.
    pub files: Vec<(PathBuf, Format, usize)>,
    pub counts: UpsertCounts,
    /// Entries a moderator edited that this import would have changed (see [`ImportPolicy`]).
    pub conflicts: Vec<Conflict>,
    pub unmapped: Vec<String>,
    /// How files were read when it matters: separator, encoding converted, spreadsheet sheet.
    pub notes: Vec<String>,
    pub dry_run: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Problems in the input: nothing was written.
    #[error("{} problem(s) found; the catalogue was not changed", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How `wic import` reads and writes (the command line's switches, and who runs it).
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    pub ignore_unknown: bool,
    pub fix_hours: bool,
    pub dry_run: bool,
    pub policy: ImportPolicy,
    /// Recorded in the history: the Unix account running the import.
    pub who: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: Format::Auto,
            ignore_unknown: false,
            fix_hours: false,
            dry_run: false,
            policy: ImportPolicy::default(),
            who: crate::identity::Account::current().name,
        }
    }
}

/// Reads, validates and (unless `dry_run`) writes every file in one transaction: all the
/// files' problems are reported together, and any problem means nothing is written.
pub fn import_files(
    store: &mut Store,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let ImportOptions { format, ignore_unknown, fix_hours, dry_run, policy, ref who } = *options;
    let reference = store.reference()?;
    let mut report = ImportReport { dry_run, ..Default::default() };
    let mut problems = Vec::new();
    let mut items = Vec::new();
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for path in paths {
        let (fmt, parsed) = match import::read(path, format) {
            Ok(x) => x,
            Err(mut p) => {
                problems.append(&mut p);
                continue;
            }
        };
        let validator =
            Validator { reference: &reference, file: path.display().to_string(), ignore_unknown, fix_hours };
        report.files.push((path.clone(), fmt, parsed.records.len()));
        report.unmapped.extend(parsed.unmapped);
        report.notes.extend(parsed.notes);
        match validator.validate_all(&parsed.records) {
            Ok(valid) => {
                // validate_all keeps the records' order, so each item has its record's line.
                for (item, record) in valid.iter().zip(&parsed.records) {
                    let file = path.display().to_string();
                    if let Some(other) = seen.insert(item.id.clone(), file.clone())
                        && other != file
                    {
                        problems.push(Problem {
                            file,
                            line: record.line,
                            field: "id".into(),
                            reason: format!("also in {other}"),
                            value: item.id.clone(),
                        });
                    }
                }
                items.extend(valid);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    if !dry_run {
        let origin = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        let outcome = store.import(&items, &Change { who: who.as_str(), via: Via::Import, origin: &origin }, policy)?;
        report.counts = outcome.counts;
        report.conflicts = outcome.conflicts;
    } else {
        report.counts.added = items.len();
    }
    Ok(report)
}
