//! The `wic` binary: parse the command line, run, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;
use wic::cli::Cli;
use wic::commands::{self, Failure};
use wic::text::terminal_safe;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            match &failure {
                Failure::Input(msg) => eprintln!("wic: {}", terminal_safe(msg)),
                Failure::Runtime(e) => {
                    // The whole chain, as ripgrep does: "cannot open…: no such file".
                    let chain: Vec<String> = e.chain().map(|c| terminal_safe(&c.to_string())).collect();
                    eprintln!("wic: {}", chain.join(": "));
                }
            }
            failure.exit_code()
        }
    }
}
