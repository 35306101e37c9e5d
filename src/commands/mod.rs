//! One function per subcommand: each turns parsed arguments into calls to the library and
//! prints the outcome. Errors carry their exit code (DESIGN.md: 1 runtime, 2 usage/input).

pub mod admin;
pub mod backup;
pub mod bench;
pub mod browse;
pub mod check;
pub mod doctor;
pub mod search;
pub mod stats;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::data_dir::{DataDir, Step};

/// A failure with the exit code it deserves.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Invalid input or usage: exit 2.
    #[error("{0}")]
    Input(String),
    /// Anything else: exit 1.
    #[error(transparent)]
    Runtime(#[from] anyhow::Error),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Input(_) => ExitCode::from(2),
            Failure::Runtime(_) => ExitCode::from(1),
        }
    }
}

impl From<crate::data_dir::DataError> for Failure {
    fn from(e: crate::data_dir::DataError) -> Self {
        Failure::Runtime(e.into())
    }
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    let data = DataDir::new(&cli.data_dir);
    match cli.command {
        None => browse::run(&data, Default::default()),
        Some(Command::Browse(args)) => browse::run(&data, args),
        Some(Command::Import(args)) => admin::import(&data, &args),
        Some(Command::Index { action }) => admin::index(&data, action),
        Some(Command::Search(args)) => search::run(&data, &args),
        Some(Command::Export(args)) => admin::export(&data, &args),
        Some(Command::Stats(args)) => stats::run(&data, &args),
        Some(Command::Check(args)) => check::run(&data, &args),
        Some(Command::Doctor(args)) => doctor::run(&data, &args),
        Some(Command::Backup(args)) => backup::run(&data, &args),
        Some(Command::Synth(args)) => bench::synth(&args),
        Some(Command::Bench(args)) => bench::run(&args),
    }
}

/// A progress line on standard error: redrawn in place on a terminal, printed once at the
/// end otherwise (so logs stay readable).
pub struct ProgressLine {
    tty: bool,
    last: String,
}

impl ProgressLine {
    pub fn new() -> Self {
        ProgressLine { tty: std::io::stderr().is_terminal(), last: String::new() }
    }

    pub fn step(&mut self, step: Step) {
        let line = match step {
            Step::ImportingSeeds => "Première utilisation : import du catalogue fourni…".to_string(),
            Step::Indexing(done, total) => format!("Construction de l'index de recherche : {done}/{total}"),
        };
        self.show(line);
    }

    pub fn show(&mut self, line: String) {
        if self.tty {
            let mut err = std::io::stderr();
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
        } else if self.last.split(':').next() != line.split(':').next() {
            // Not a terminal: one line per stage, and the final count in `finish`.
            eprintln!("{line}");
        }
        self.last = line;
    }

    pub fn finish(&mut self) {
        if self.tty && !self.last.is_empty() {
            eprintln!();
        } else if !self.last.is_empty() && self.last.contains(':') {
            eprintln!("{}", self.last);
        }
        self.last.clear();
    }
}

impl Default for ProgressLine {
    fn default() -> Self {
        Self::new()
    }
}

/// Makes the data directory ready (first run, stale index) with a progress line.
pub fn prepare(data: &DataDir) -> Result<(), Failure> {
    let mut progress = ProgressLine::new();
    let result = data.prepare(&mut |s| progress.step(s));
    progress.finish();
    result.map_err(Failure::from)
}
