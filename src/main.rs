//! The `wic` binary: parse the command line, run, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;
use wic::cli::Cli;
use wic::commands::{self, Failure, say};
use wic::text::terminal_safe;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return commands::clap_outcome(e),
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            match &failure {
                Failure::Input(msg) => say(format!("wic: {}", terminal_safe(msg))),
                // `commands::run` has made these a quiet end or a `Runtime` line already.
                Failure::Output(_) => say(format!("wic: {}", terminal_safe(&failure.to_string()))),
                Failure::Runtime(e) => {
                    // The whole chain, as ripgrep does: "cannot open…: no such file".
                    // Errors that quote their source in their own message would say it twice.
                    let mut chain: Vec<String> = Vec::new();
                    for cause in e.chain() {
                        let text = terminal_safe(&cause.to_string());
                        if !chain.last().is_some_and(|prev| prev.ends_with(&text)) {
                            chain.push(text);
                        }
                    }
                    say(format!("wic: {}", chain.join(": ")));
                }
            }
            failure.exit_code()
        }
    }
}
