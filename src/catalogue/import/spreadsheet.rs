//! `.xlsx` and `.ods` spreadsheets read directly (calamine): the first sheet, its first row
//! the header, every cell as the text a CSV export would hold (integral numbers without
//! `.0`, dates as `YYYY-MM-DD`), then the same reading as the canonical CSV.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use super::file_problem;
use crate::catalogue::validate::Problem;

/// Whether a file is a spreadsheet: its extension, or a zip archive's magic bytes (xlsx and
/// ods are both zip files).
pub fn is_spreadsheet(path: &Path, bytes: &[u8]) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    matches!(ext.as_deref(), Some("xlsx" | "ods")) || bytes.starts_with(b"PK\x03\x04")
}

/// Rows as (sheet row number, cells as text).
pub type Rows = Vec<(usize, Vec<String>)>;

/// The first sheet: its name, and its rows.
pub fn rows(path: &Path, bytes: Vec<u8>) -> Result<(String, Rows), Problem> {
    let unreadable = |e: String| file_problem(path, 1, "file", format!("unreadable spreadsheet (.xlsx or .ods): {e}"));
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let name = book.sheet_names().first().cloned().unwrap_or_default();
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(e.to_string()))?,
        None => return Err(unreadable("it has no sheet".into())),
    };
    // The used range may start below row 1 or right of column A: keep sheet numbering.
    let (first_row, first_col) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![String::new(); first_col];
            cells.extend(row.iter().map(cell_text));
            (first_row + i + 1, cells)
        })
        .collect();
    Ok((name, rows))
}

/// One cell as a CSV would hold it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).filter(|d| d.as_bytes().get(4) == Some(&b'-')).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
