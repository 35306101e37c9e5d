//! One function per subcommand: each turns parsed arguments into calls to the library and
//! prints the outcome. Errors carry their exit code (docs/ARCHITECTURE.md: 1 runtime, 2 usage/input).
//!
//! Every subcommand speaks one language, decided once here by
//! [`i18n::command_line_language`] (French unless `--lang en` or an English locale), with the
//! `[cli]` strings of `assets/i18n/*.toml`. `--json` outputs and the `FILE:LINE: field NAME:`
//! error lines of imports are the same in every language.

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

use crate::cli::{BrowseArgs, Cli, Command};
use crate::data_dir::{DataDir, Step};
use crate::i18n::{self, Strings};

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
    let s = &Strings::load(i18n::command_line_language(cli.lang.as_deref()));
    // The kiosk's screen takes `--lang` too, else its configuration file (not the locale).
    let browse_args = |args: BrowseArgs| BrowseArgs { lang: cli.lang.clone(), ..args };
    match cli.command {
        None => browse::run(&data, browse_args(Default::default())),
        Some(Command::Browse(args)) => browse::run(&data, browse_args(args)),
        Some(Command::Import(args)) => admin::import(&data, &args, s),
        Some(Command::Index { action }) => admin::index(&data, action, s),
        Some(Command::Search(args)) => search::run(&data, &args, s),
        Some(Command::Export(args)) => admin::export(&data, &args, s),
        Some(Command::Stats(args)) => stats::run(&data, &args, s),
        Some(Command::Check(args)) => check::run(&data, &args, s),
        Some(Command::Doctor(args)) => doctor::run(&data, &args, s),
        Some(Command::Backup(args)) => backup::run(&data, &args, s),
        Some(Command::Synth(args)) => bench::synth(&args),
        Some(Command::Bench(args)) => bench::run(&args),
    }
}

/// A progress line on standard error: redrawn in place on a terminal, printed once at the
/// end otherwise (so logs stay readable). Speaks the language of the `Strings` it is given.
pub struct ProgressLine {
    tty: bool,
    last: String,
    strings: Strings,
}

impl ProgressLine {
    pub fn new(strings: &Strings) -> Self {
        ProgressLine { tty: std::io::stderr().is_terminal(), last: String::new(), strings: strings.clone() }
    }

    pub fn step(&mut self, step: Step) {
        let line = match step {
            Step::ImportingSeeds => self.strings.get("cli.progress.seeds").to_string(),
            Step::Indexing(done, total) => {
                self.strings.fmt("cli.progress.indexing", &[("done", &done.to_string()), ("total", &total.to_string())])
            }
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

/// Makes the data directory ready (first run, stale index) with a progress line.
pub fn prepare(data: &DataDir, s: &Strings) -> Result<(), Failure> {
    let mut progress = ProgressLine::new(s);
    let result = data.prepare(&mut |s| progress.step(s));
    progress.finish();
    result.map_err(Failure::from)
}
