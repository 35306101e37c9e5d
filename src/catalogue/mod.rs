//! The domain: what an initiative is, the rules it obeys, where it is stored, and how it comes
//! in (importers) and goes out (export).

pub mod export;
pub mod import;
pub mod model;
pub mod reference;
pub mod store;
pub mod validate;

use std::path::PathBuf;

pub use model::Initiative;
pub use reference::{Commune, Reference, Theme};
pub use store::{Store, StoreError, UpsertCounts};
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

/// Reads, validates and (unless `dry_run`) writes every file in one transaction: all the
/// files' problems are reported together, and any problem means nothing is written.
pub fn import_files(
    store: &mut Store,
    paths: &[PathBuf],
    format: Format,
    ignore_unknown: bool,
    fix_hours: bool,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
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
        report.counts = store.upsert(&items)?;
    } else {
        report.counts.added = items.len();
    }
    Ok(report)
}
