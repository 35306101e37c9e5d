//! Replays the kept cargo-fuzz corpus (`fuzz/corpus/<target>/`) through the fuzz targets' own
//! check, on stable, in every `cargo test` run.
//!
//! Live fuzzing needs nightly and cargo-fuzz (SECURITY.md); this test keeps what it found —
//! every input that reached new code, and every crash once fixed — guarding CI for free.

use std::path::Path;

use wic::catalogue::import::Format;

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

/// The fuzz targets, as in `fuzz/fuzz_targets/*.rs`: corpus folder, file name given to the
/// input, and the importer it goes through.
const TARGETS: [(&str, &str, Format); 4] = [
    ("import_csv", "f.csv", Format::Csv),
    ("import_json", "f.json", Format::Json),
    ("import_datainclusion", "di.json", Format::Datainclusion),
    ("import_hsds", "hsds.json", Format::Hsds),
];

#[test]
fn every_kept_fuzz_input_imports_or_fails_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, name, format) in TARGETS {
        let dir = root.join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        inputs.sort();
        let mut clean = 0;
        for input in &inputs {
            let data = std::fs::read(input).unwrap();
            // `common::run` panics on a problem without a line or with unsafe text; name the input.
            match std::panic::catch_unwind(|| common::run(&data, name, format)) {
                Ok(true) => clean += 1,
                Ok(false) => {}
                Err(_) => panic!("{target}: {} fails its check", input.display()),
            }
        }
        // The hand-written seeds include clean files: if none imports, the replay is not reaching
        // the importer and would pass vacuously.
        assert!(clean >= 1, "{target}: none of {} inputs imports cleanly", inputs.len());
    }
}
