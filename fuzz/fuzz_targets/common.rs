//! Shared by the import fuzz targets: write the input to a file, import it in the given format,
//! validate what was read. Never a panic; every problem names its file and a line.

use wic::catalogue::import::{self, Format};
use wic::catalogue::{Problem, Reference, Validator};

fn check(problems: &[Problem]) {
    for p in problems {
        assert!(p.line >= 1, "a problem without a row: {p}");
        let shown = p.to_string();
        assert!(!shown.contains('\x1b') && !shown.contains('\n'), "unsafe problem text: {shown:?}");
    }
}

/// Imports `data` as a file called `name`; panics on a broken promise. Returns whether the input
/// was a clean import (read and validated without a problem), so that replaying a corpus can tell
/// it really went through the importer.
pub fn run(data: &[u8], name: &str, format: Format) -> bool {
    let Ok(dir) = tempfile::tempdir() else { return false };
    let path = dir.path().join(name);
    if std::fs::write(&path, data).is_err() {
        return false;
    }
    let reference = Reference::embedded().expect("the embedded reference data loads");
    match import::read(&path, format) {
        Ok((_, parsed)) => {
            let v = Validator { reference: &reference, file: name.into(), ignore_unknown: false, fix_hours: false };
            match v.validate_all(&parsed.records) {
                Ok(_) => true,
                Err(problems) => {
                    check(&problems);
                    false
                }
            }
        }
        Err(problems) => {
            check(&problems);
            false
        }
    }
}
