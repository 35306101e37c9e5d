//! Reading administrators' files into [`RawRecord`]s, one module per format.
//!
//! Every format ends in the same validation ([`crate::catalogue::validate`]) and the same
//! single transaction ([`crate::catalogue::Store::upsert`]); a format module only knows how to
//! read its files and how to map their vocabulary onto ours, saying what it could not map.

pub mod canonical;
mod common;
pub mod datainclusion;
mod decode;
pub mod hsds;
mod spreadsheet;

use std::path::Path;

use super::validate::{Problem, RawRecord};

/// The formats the importer reads (the command line's `--format` values are mapped onto these
/// in `cli.rs`: the catalogue knows nothing of clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Guess from the file name and content.
    Auto,
    /// Our canonical CSV (a header row with our field names).
    Csv,
    /// Our canonical JSON: an array of objects, or JSON Lines.
    Json,
    /// The data·inclusion schema v1 (structures and services), JSON or JSON Lines.
    Datainclusion,
    /// Open Referral HSDS 3.0: JSON (service or organization objects) or the CSV package.
    Hsds,
}

/// What a format module read from one file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<RawRecord>,
    /// What the source held that our catalogue has no place for, one readable line each
    /// (`services.csv:4: field fees: not mapped`), for the import report.
    pub unmapped: Vec<String>,
    /// How the file was read, when it matters (`x.csv: read as CSV, separator ';', converted
    /// from Windows-1252`), for the import report.
    pub notes: Vec<String>,
}

/// Reads `path` in the given format, or in the detected one for [`Format::Auto`].
/// File-level problems (unreadable, not UTF-8 where it must be, bad syntax) come back as
/// problems with the line where they were found.
pub fn read(path: &Path, format: Format) -> Result<(Format, Parsed), Vec<Problem>> {
    let format = match format {
        Format::Auto => detect(path).map_err(|p| vec![p])?,
        f => f,
    };
    let parsed = match format {
        Format::Csv => canonical::read_csv(path)?,
        Format::Json => canonical::read_json(path)?,
        Format::Datainclusion => datainclusion::read(path)?,
        Format::Hsds => hsds::read(path)?,
        Format::Auto => unreachable!("resolved above"),
    };
    Ok((format, parsed))
}

/// A problem about the whole file (line 0 is printed as the file's first line).
pub fn file_problem(path: &Path, line: usize, field: &str, reason: impl Into<String>) -> Problem {
    Problem {
        file: path.display().to_string(),
        line,
        field: field.to_string(),
        reason: reason.into(),
        value: String::new(),
    }
}

/// Guesses the format: a spreadsheet (`.xlsx`, `.ods`, or a zip file) has our columns; a directory or `datapackage.json` is an HSDS CSV package; a CSV file
/// is ours unless its header is HSDS's; JSON is told apart by its keys.
pub fn detect(path: &Path) -> Result<Format, Problem> {
    if path.is_dir() || path.file_name().is_some_and(|n| n == "datapackage.json") {
        return Ok(Format::Hsds);
    }
    let bytes = std::fs::read(path).map_err(|e| file_problem(path, 1, "file", format!("cannot read: {e}")))?;
    if spreadsheet::is_spreadsheet(path, &bytes) {
        return Ok(Format::Csv); // an .xlsx or .ods with the canonical columns
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('[') || head.starts_with('{') {
        // data·inclusion uses French keys; HSDS English ones with organization/service shapes.
        let has = |k: &str| head.contains(&format!("\"{k}\""));
        if has("structure_id") || (has("nom") && has("date_maj")) {
            return Ok(Format::Datainclusion);
        }
        // Our own JSON always carries `themes`; HSDS never does.
        if has("themes") {
            return Ok(Format::Json);
        }
        let hsds_markers = [
            "organization_id",
            "service_at_locations",
            "service_id",
            "location_id",
            "total_items",
            "organizations",
            "services",
            "service",
            "location",
            "schedules",
            "phones",
            "contacts",
            "service_areas",
        ];
        if hsds_markers.iter().any(|k| has(k)) {
            return Ok(Format::Hsds);
        }
        return Ok(Format::Json);
    }
    let first_line = head.lines().next().unwrap_or("");
    if first_line.contains("organization_id") {
        return Ok(Format::Hsds);
    }
    if [',', ';', '\t'].iter().any(|d| first_line.contains(*d))
        || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Ok(Format::Csv);
    }
    Err(file_problem(path, 1, "file", "cannot tell the format: give --format csv|json|datainclusion|hsds"))
}
