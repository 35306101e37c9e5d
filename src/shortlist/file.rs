//! Writing a page to a file, never overwriting one.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime, Timelike};

use super::{ExportError, Format};

/// The default file name for a page prepared at `now`: `liste-2026-11-29-1030.txt` (`.html`).
pub fn default_name(now: NaiveDateTime, format: Format) -> String {
    let ext = match format {
        Format::Text => "txt",
        Format::Html => "html",
    };
    format!("liste-{:04}-{:02}-{:02}-{:02}{:02}.{ext}", now.year(), now.month(), now.day(), now.hour(), now.minute())
}

/// Writes `contents` to `target`: into it under [`default_name`] if it is a directory, else to
/// that file name. Never overwrites: when the name is taken (two lists written in the same
/// minute, or a name typed twice), `-2`, `-3`… are added before the extension, and the file is
/// created new (`create_new`: an existing file, or a link planted under that name, is never
/// written through). Returns the path written, for the screen to show.
pub fn write_file(target: &Path, contents: &str, format: Format, now: NaiveDateTime) -> Result<PathBuf, ExportError> {
    let first = if target.is_dir() { target.join(default_name(now, format)) } else { target.to_path_buf() };
    let dir = first.parent().map(Path::to_path_buf).unwrap_or_default();
    let file = first.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, ext) = match file.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (file.clone(), String::new()),
    };
    for n in 1..1000 {
        let path = if n == 1 { first.clone() } else { dir.join(format!("{stem}-{n}{ext}")) };
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(contents.as_bytes()).map_err(|source| ExportError::Io { path: path.clone(), source })?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(ExportError::Io { path, source }),
        }
    }
    Err(ExportError::Io { path: first, source: std::io::Error::other("too many lists with this name") })
}
