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

pub fn run(data: &[u8], name: &str, format: Format) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join(name);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(reference) = Reference::embedded() else { return };
    match import::read(&path, format) {
        Ok((_, parsed)) => {
            let v = Validator { reference: &reference, file: name.into(), ignore_unknown: false };
            if let Err(problems) = v.validate_all(&parsed.records) {
                check(&problems);
            }
        }
        Err(problems) => check(&problems),
    }
}
