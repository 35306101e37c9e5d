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

/// Writes `contents` to `target`: into it under [`default_name`] if it is a directory (never
/// overwriting: `-2`, `-3`… are added when two lists are written in the same minute), else
/// to that file. Returns the path written, for the screen to show.
pub fn write_file(target: &Path, contents: &str, format: Format, now: NaiveDateTime) -> Result<PathBuf, ExportError> {
    if !target.is_dir() {
        std::fs::write(target, contents).map_err(|source| ExportError::Io { path: target.to_path_buf(), source })?;
        return Ok(target.to_path_buf());
    }
    let name = default_name(now, format);
    let (stem, ext) = name.rsplit_once('.').expect("the default name has an extension");
    for n in 1..1000 {
        let path = if n == 1 { target.join(&name) } else { target.join(format!("{stem}-{n}.{ext}")) };
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(contents.as_bytes()).map_err(|source| ExportError::Io { path: path.clone(), source })?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(ExportError::Io { path, source }),
        }
    }
    let path = target.join(name);
    Err(ExportError::Io { path, source: std::io::Error::other("too many lists with this name") })
}
