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
pub mod fleet;
pub mod moderate;
pub mod search;
pub mod stats;

use std::io::{IsTerminal, Write};
use std::path::Path;
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
    /// Standard output could not be written: [`run`] ends quietly on a closed pipe
    /// (`wic export | head`, exit 0, as ripgrep does) and makes anything else (a full disk)
    /// one clear line and exit 1.
    #[error("standard output: {0}")]
    Output(std::io::Error),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Input(_) => ExitCode::from(2),
            Failure::Runtime(_) | Failure::Output(_) => ExitCode::from(1),
        }
    }
}

/// A command's results on standard output. `println!` panics when it cannot write (a closed
/// pipe, a full disk); this returns [`Failure::Output`] instead, which [`run`] turns into a
/// quiet end or one line. Every write is flushed, so an error surfaces where it happens.
pub struct Out(std::io::StdoutLock<'static>);

impl Out {
    pub fn stdout() -> Out {
        Out(std::io::stdout().lock())
    }

    /// Writes `text` as it is.
    pub fn text(&mut self, text: &str) -> Result<(), Failure> {
        self.0.write_all(text.as_bytes()).and_then(|()| self.0.flush()).map_err(Failure::Output)
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: impl std::fmt::Display) -> Result<(), Failure> {
        self.text(&format!("{text}\n"))
    }

    /// The lock itself, for writers that take `impl Write` (their errors go through
    /// [`Failure::Output`] by the caller).
    pub fn raw(&mut self) -> &mut std::io::StdoutLock<'static> {
        &mut self.0
    }
}

/// A line on standard error that never panics: `eprintln!` does when standard error is a
/// closed pipe or a full disk, and then there is nobody left to tell anyway.
pub fn say(line: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The system's error under the wrappers of writers: the csv crate turns a closed pipe into
/// an `Other` error holding a `csv::Error` holding the real one.
fn root_io(e: &std::io::Error) -> &std::io::Error {
    let Some(inner) = e.get_ref() else { return e };
    if let Some(io) = inner.downcast_ref::<std::io::Error>() {
        return root_io(io);
    }
    match inner.downcast_ref::<csv::Error>().map(csv::Error::kind) {
        Some(csv::ErrorKind::Io(io)) => root_io(io),
        _ => e,
    }
}

/// Why standard output failed, in `s`'s language, without Rust's "(os error 28)".
fn output_error(e: &std::io::Error, s: &Strings) -> String {
    let text = e.to_string();
    let text = text.find(" (os error ").map_or(text.as_str(), |i| &text[..i]).to_string();
    s.fmt("cli.error.write_stdout", &[("error", &text)])
}

/// A path as a shell word the user can paste: quoted when it holds anything but plain
/// characters.
pub fn shell_word(path: &Path) -> String {
    let text = crate::text::terminal_safe(&path.display().to_string());
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c)) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The catalogue, read-only; when there is none yet, an error that names the commands that
/// make one.
pub fn open_catalogue(data: &DataDir, s: &Strings) -> Result<crate::catalogue::Store, Failure> {
    match data.open_read() {
        Ok(store) => Ok(store),
        Err(crate::catalogue::StoreError::Missing(path)) => Err(Failure::Runtime(anyhow::anyhow!(s.fmt(
            "cli.error.no_catalogue",
            &[("path", &crate::text::terminal_safe(&path.display().to_string())), ("fix", &no_catalogue_fix(data, s))]
        )))),
        Err(e) => Err(Failure::Runtime(anyhow::Error::from(e).context(s.get("cli.error.open_catalogue").to_string()))),
    }
}

/// "run `wic --data-dir DIR import FILE`, or start `wic --data-dir DIR` once…".
pub fn no_catalogue_fix(data: &DataDir, s: &Strings) -> String {
    s.fmt("cli.error.no_catalogue_fix", &[("dir", &shell_word(&data.root))])
}

impl From<crate::data_dir::DataError> for Failure {
    fn from(e: crate::data_dir::DataError) -> Self {
        Failure::Runtime(e.into())
    }
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    let s = &Strings::load(i18n::command_line_language(cli.lang.as_deref()));
    match dispatch(cli, s) {
        // The reader has gone (`wic export | head`): it has what it wanted.
        Err(Failure::Output(e)) if root_io(&e).kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(Failure::Output(e)) => Err(Failure::Runtime(anyhow::anyhow!(output_error(root_io(&e), s)))),
        other => other,
    }
}

/// What clap has to say when parsing fails or help is asked for: help and version go to
/// standard output with the same rules as every command's output (quiet on a closed pipe,
/// one line and exit 1 on a full disk); usage errors go to standard error, exit 2.
pub fn clap_outcome(e: clap::Error) -> ExitCode {
    if e.use_stderr() {
        let _ = e.print();
        return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
    }
    let written = if std::io::stdout().is_terminal() {
        e.print() // in colour
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(e.render().to_string().as_bytes()).and_then(|()| out.flush())
    };
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            let s = Strings::load(i18n::command_line_language(lang_argument().as_deref()));
            say(format!("wic: {}", output_error(&err, &s)));
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `--lang xx` or `--lang=xx` from the raw arguments, for when clap could not parse them.
fn lang_argument() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(n, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(n + 1).cloned(),
        Some(rest) => rest.strip_prefix('=').map(str::to_string),
        None => None,
    })
}

fn dispatch(cli: Cli, s: &Strings) -> Result<(), Failure> {
    let data = DataDir::new(&cli.data_dir);
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
        Some(Command::History(args)) => moderate::history(&data, &args, s),
        Some(Command::Edit(args)) => moderate::edit(&data, &args, s),
        Some(Command::Revert(args)) => moderate::revert(&data, &args, s),
        Some(Command::Apply(args)) => moderate::apply(&data, &args, s),
        Some(Command::Keygen(args)) => fleet::keygen(&args, s),
        Some(Command::Publish(args)) => fleet::publish(&data, &args, s),
        Some(Command::Sync(args)) => fleet::sync(&data, &args, s),
        Some(Command::Reports { action }) => fleet::reports(&data, action, s),
        Some(Command::Usage { action }) => fleet::usage(&data, action, s),
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
            say(&line);
        }
        self.last = line;
    }

    pub fn finish(&mut self) {
        if self.tty && !self.last.is_empty() {
            say("");
        } else if !self.last.is_empty() && self.last.contains(':') {
            say(&self.last);
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
