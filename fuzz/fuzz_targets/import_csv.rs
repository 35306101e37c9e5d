//! Fuzz target: arbitrary bytes as a Csv import file (`cargo +nightly fuzz run import_csv`).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use wic::catalogue::import::Format;

fuzz_target!(|data: &[u8]| {
    common::run(data, "f.csv", Format::Csv);
});
