//! Fuzz target: arbitrary bytes as a Datainclusion import file (`cargo +nightly fuzz run import_datainclusion`).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use wic::catalogue::import::Format;

fuzz_target!(|data: &[u8]| {
    common::run(data, "di.json", Format::Datainclusion);
});
