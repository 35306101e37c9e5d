//! Fuzz target: arbitrary bytes as a Hsds import file (`cargo +nightly fuzz run import_hsds`).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use wic::catalogue::import::Format;

fuzz_target!(|data: &[u8]| {
    common::run(data, "hsds.json", Format::Hsds);
});
