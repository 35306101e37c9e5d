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

/// Why a typed file name is refused: the save prompt takes a *name* in the export folder,
/// never a path (a staff account must not be able to replace `~/.ssh/authorized_keys`, or any
/// file it can write, with a shortlist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("no file name")]
    Empty,
    #[error("a file name, not a path: no / or \\")]
    Separator,
    #[error("a name starting with a dot is hidden or leads elsewhere")]
    Dot,
    #[error("a name of at most {MAX_NAME} characters")]
    TooLong,
    #[error("control or invisible characters in the name")]
    Control,
}

/// Longest name accepted, in characters (file systems stop at 255 bytes; accents take two).
pub const MAX_NAME: usize = 100;

/// The name as it will be written, or why not: trimmed; one plain file name; the format's
/// extension added when none is typed.
pub fn checked_name(name: &str, format: Format) -> Result<String, NameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.contains(['/', '\\']) {
        return Err(NameError::Separator);
    }
    if name.starts_with('.') {
        return Err(NameError::Dot);
    }
    // Controls, and the invisible or reordering characters too:
    // `liste` + U+202E + `txt.exe` shows as `listeexe.txt` to whoever opens the export folder.
    if name.chars().any(crate::text::is_unsafe_char) {
        return Err(NameError::Control);
    }
    if name.chars().count() > MAX_NAME {
        return Err(NameError::TooLong);
    }
    let ext = match format {
        Format::Text => ".txt",
        Format::Html => ".html",
    };
    let has_ext = name.rsplit_once('.').is_some_and(|(stem, e)| !stem.is_empty() && !e.is_empty() && e.len() <= 5);
    Ok(if has_ext { name.to_string() } else { format!("{name}{ext}") })
}

/// Writes `contents` as a new file called `name` in `dir`, and nowhere else. Never overwrites:
/// when the name is taken (two lists written in the same minute, or a name typed twice),
/// `-2`, `-3`… are added before the extension. The file is created new and never through a
/// link (`create_new` and `O_NOFOLLOW`: an existing file, or a link planted under that name,
/// is never written through). Returns the path written, for the screen to show.
pub fn write_file(dir: &Path, name: &str, contents: &str, format: Format) -> Result<PathBuf, ExportError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = checked_name(name, format).map_err(ExportError::Name)?;
    let (stem, ext) = match file.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (file.clone(), String::new()),
    };
    let first = dir.join(&file);
    for n in 1..1000 {
        let path = if n == 1 { first.clone() } else { dir.join(format!("{stem}-{n}{ext}")) };
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .mode(0o640)
            .open(&path);
        match opened {
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
