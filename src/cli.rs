//! The command line, as data (clap derive): every flag defined once, with its help.
//! The command-line contract (docs/ARCHITECTURE.md) is what scripts and tests rely on.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalogue::import::Format;

#[derive(Debug, Parser)]
#[command(
    name = "wic",
    version,
    about = "WIC kiosk: find the collaborative initiatives of the Hauts-de-Seine",
    long_about = "WIC kiosk: find the collaborative initiatives of the Hauts-de-Seine \
                  (food, housing, clothing, equipment, getting around, work, leisure, money, \
                  holidays, mutual help).\n\nWith no command, starts the kiosk (`wic browse`). \
                  On first run with an empty data directory, the shipped catalogue is imported \
                  and the search index built.",
    after_help = "Exit codes: 0 ok, 1 runtime error, 2 usage or invalid input."
)]
pub struct Cli {
    /// Where the catalogue and search index live.
    #[arg(long, global = true, env = "WIC_DATA_DIR", default_value = crate::data_dir::DEFAULT_DIR, value_name = "DIR")]
    pub data_dir: PathBuf,

    /// Language of the messages (and of the kiosk's screen): fr or en. Default: French, or
    /// English when LC_ALL, LC_MESSAGES or LANG starts with "en" (the kiosk's screen follows
    /// its configuration file instead).
    #[arg(long, global = true, value_name = "LANG", value_parser = crate::i18n::parse_lang_code)]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the kiosk (the default command).
    Browse(BrowseArgs),
    /// Validate files and add or update their initiatives, in one transaction.
    Import(ImportArgs),
    /// Rebuild or check the search index.
    Index {
        #[command(subcommand)]
        action: IndexAction,
    },
    /// Search from the command line, as the kiosk does.
    Search(SearchArgs),
    /// Write the catalogue as canonical CSV or JSON.
    Export(ExportArgs),
    /// Anonymous usage figures per day, as bar charts (or JSON).
    #[command(long_about = "Anonymous usage figures from usage.db in the data directory: searches per \
                  day, theme openings by theme, the most viewed initiatives, and the share of \
                  searches that found nothing, by ISO week. Only counts per day are kept: never \
                  what was typed.\n\nBars use block characters, or `#` when TERM is linux or \
                  dumb or the locale is not UTF-8.")]
    Stats(StatsArgs),
    /// Freshness report on the catalogue: old entries, duplicates, broken fields, gaps.
    #[command(long_about = "Freshness report on the catalogue, for the people who maintain it:\n\
                  - initiatives not updated for 12 months (or never dated);\n\
                  - duplicates (same name, accents and case aside, in the same commune);\n\
                  - broken fields (opening hours that do not parse, websites without http(s)://, \
                  bad e-mail addresses or phone numbers, postcodes of another commune, unknown themes, \
                  no way at all to reach the initiative);\n\
                  - gaps: communes with no initiative of a theme (information only).\n\n\
                  Exit code: 0 when there is nothing to fix (gaps alone do not count), 1 when \
                  there are old entries, duplicates or broken fields, so that a nightly job can \
                  alert; 2 on bad usage.")]
    Check(CheckArgs),
    /// Check this machine: terminal, data directory, catalogue, index, configuration.
    #[command(long_about = "Checks what a kiosk or staff session needs and prints one line per check \
                  with a verdict (ok, warning, problem) and a one-line fix: the terminal (a TTY? \
                  its size, its colours from TERM, COLORTERM and NO_COLOR), the data directory \
                  (exists, writable; on an installation with spool/, every path looser than each \
                  role's part, each named with its chmod or chown, and moderators' changes \
                  waiting for `wic apply`), the catalogue (opens, SQLite integrity check), the search \
                  index (present and built from the current catalogue), usage.db, and the \
                  configuration file (parses; the print command's program is on PATH).\n\n\
                  Exit code: 0 when there is no problem (warnings allowed), 1 otherwise.")]
    Doctor(DoctorArgs),
    /// Copy the catalogue to FILE with SQLite's online backup, safely while kiosks run.
    #[command(long_about = "Copies the catalogue database to FILE with SQLite's online backup API: the \
                  copy is consistent even while kiosks read and an import writes. The copy is \
                  written beside FILE and renamed into place once complete and checked, so FILE \
                  is never half-written. An existing FILE is replaced only with --force.\n\n\
                  To restore: stop imports, copy FILE to <data-dir>/catalogue.db, run \
                  `wic index rebuild`.")]
    Backup(BackupArgs),
    /// Every change of one initiative (imports, edits, checks, syncs, reverts) and its reports.
    #[command(long_about = "Prints the history of one initiative, oldest first: each change with its \
                  version, the Paris time, the Unix account, how it came (import, edit, check, close, \
                  retire, revert, sync, create), where from (the import files, the terminal, `wic edit`, \
                  the sync source) and each changed field before → after; then the visitors' reports \
                  of the entry and how they were resolved. --json prints the same as one object.")]
    History(HistoryArgs),
    /// Edit one initiative as TOML in $EDITOR (administrators); validated on save.
    #[command(long_about = "Opens the initiative ID as a TOML file in $EDITOR (else `editor`, else `vi`). \
                  On save it is validated as an import would validate it; with problems, the file is \
                  opened again with the problems written at its top, until it is valid or left \
                  unchanged (nothing is written then). The save is refused if someone changed the \
                  entry meanwhile (its version moved): nothing is lost, the file stays where it is \
                  said. The change is recorded in the history as `edit`, from `wic edit`, and the \
                  index is rebuilt.")]
    Edit(EditArgs),
    /// Restore an initiative as it was at an earlier version (recorded in the history too).
    Revert(RevertArgs),
    /// Apply the moderators' changes queued by staff sessions (run by the service user).
    #[command(long_about = "On an installation whose data directory belongs to the service user \
                  (README, \"Deployment\"), staff sessions cannot write the catalogue: a moderator's \
                  save or approval is queued as a file in <data-dir>/spool/edits/. `wic apply`, run as \
                  the service user (wic-apply.path starts it as soon as a change is queued), takes \
                  each one in order: its author is the Unix owner of the file, who must be in \
                  `moderators`; the form is validated as an import is; the save goes through the \
                  same version check as a direct save (and is held for a second moderator under \
                  review = \"four-eyes\"). Then the index is rebuilt once, and each answer is \
                  written to <data-dir>/applied/ for the session waiting for it.\n\n\
                  Prints one line per request. Exit code: 0 when every request was handled \
                  (refusals included); 1 when the catalogue could not be opened or written.")]
    Apply(ApplyArgs),
    /// Write a new signing key FILE (mode 0600) and its public half FILE.pub, for `wic publish`.
    Keygen(KeygenArgs),
    /// Write a signed bundle of the catalogue into DIR, for kiosks to `wic sync` from.
    #[command(long_about = "Writes into DIR (created if needed) a bundle of the whole catalogue, \
                  canonical JSON named catalogue-VERSION.json, and manifest.json: its version, \
                  publish time, size, SHA-256 and Ed25519 signature by the key FILE. The manifest \
                  is replaced last, atomically, so any static web server can serve DIR while it \
                  is written. Nothing is written when the catalogue has not changed since the \
                  last publish with the same key.")]
    Publish(PublishArgs),
    /// Fetch the signed catalogue from SOURCE (http(s)://…/ or a folder) and apply it.
    #[command(long_about = "Fetches manifest.json from SOURCE (a conditional request over HTTP), then \
                  the bundle it names, with a timeout and a size limit; checks its size, SHA-256 and \
                  Ed25519 signature against the public key(s) before reading it; refuses a bundle \
                  not newer than the one applied; validates every entry as `wic import` does; then \
                  replaces the catalogue in one transaction (entries absent from the bundle become \
                  inactif, never deleted) and rebuilds the search index, which running kiosks \
                  pick up by themselves.\n\nSOURCE and the public key default to sync_source and \
                  public_key in the configuration file.\n\nExit code: 0 applied or already up to \
                  date; 1 when anything failed (the catalogue is then untouched); 2 on bad usage.")]
    Sync(SyncArgs),
    /// Visitors' reports: export them from a kiosk, import them on the central machine.
    Reports {
        #[command(subcommand)]
        action: ReportsAction,
    },
    /// Usage figures of a fleet: export them from a kiosk, import them on the central machine.
    Usage {
        #[command(subcommand)]
        action: UsageAction,
    },
    /// Write a deterministic synthetic catalogue (canonical CSV) for benchmarks.
    Synth(SynthArgs),
    /// Measure search, rendering, start-up and memory on synthetic catalogues (BENCHMARKS.md).
    Bench(BenchArgs),
}

#[derive(Debug, Args, Default, Clone)]
pub struct BrowseArgs {
    /// Kiosk mode: cannot be quit by visitors; resets after inactivity.
    #[arg(long, conflicts_with = "staff")]
    pub kiosk: bool,
    /// Staff mode (the default): `q` quits, no idle reset.
    #[arg(long)]
    pub staff: bool,
    /// Interface language: the global `--lang` ([`Cli::lang`]), which `wic browse --lang`
    /// still accepts; filled in by `commands::run`.
    #[arg(skip)]
    pub lang: Option<String>,
    /// Configuration file (default: /etc/wic/config.toml if it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Seconds without input before a kiosk clears everything and shows Home.
    #[arg(long, value_name = "SECONDS")]
    pub idle_timeout: Option<u64>,
    /// ASCII borders and markers (automatic on TERM=linux, vt100, dumb).
    #[arg(long)]
    pub ascii: bool,
    /// High-contrast colours.
    #[arg(long)]
    pub high_contrast: bool,
    /// Accept mouse clicks and wheel.
    #[arg(long)]
    pub mouse: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (an HSDS CSV package may be given as its folder).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Validate and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value = "auto")]
    pub format: ImportFormat,
    /// Skip columns or keys that are not catalogue fields instead of refusing the file.
    #[arg(long)]
    pub ignore_unknown: bool,
    /// Store opening hours written in French ("du lundi au vendredi de 9h à 12h") in the
    /// OpenStreetMap form the converter proposes, instead of refusing them.
    #[arg(long)]
    pub fix_hours: bool,
    /// Do not rebuild the search index afterwards.
    #[arg(long)]
    pub no_index: bool,
    /// Let the file replace entries a moderator edited since (by default an edit stays unless
    /// the file's `updated` is later than the edit; docs/CATALOGUE.md).
    #[arg(long)]
    pub overwrite_edits: bool,
}

/// `wic import --format`: the command line's side of [`Format`], so the catalogue needs no clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Guess from the file name and content.
    Auto,
    /// Our canonical CSV (a header row with our field names).
    Csv,
    /// Our canonical JSON: an array of objects, or JSON Lines.
    Json,
    /// The data·inclusion schema v1 (structures and services), JSON or JSON Lines.
    Datainclusion,
    /// Open Referral HSDS 3.0: JSON (service or organization objects) or the CSV package.
    Hsds,
}

impl From<ImportFormat> for Format {
    fn from(f: ImportFormat) -> Format {
        match f {
            ImportFormat::Auto => Format::Auto,
            ImportFormat::Csv => Format::Csv,
            ImportFormat::Json => Format::Json,
            ImportFormat::Datainclusion => Format::Datainclusion,
            ImportFormat::Hsds => Format::Hsds,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum IndexAction {
    /// Build a new index generation from the catalogue and make it live.
    Rebuild,
    /// Check the index against the catalogue (exit 1 if stale, missing or damaged).
    Check,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for (several words are all required; the last may be incomplete).
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: Vec<String>,
    /// Only this theme (slug, e.g. se-nourrir).
    #[arg(long, value_name = "SLUG")]
    pub theme: Option<String>,
    /// Only this commune (name, postcode or INSEE code; accents optional).
    #[arg(long, value_name = "COMMUNE")]
    pub commune: Option<String>,
    /// Only services used online.
    #[arg(long, conflicts_with = "on_site")]
    pub online: bool,
    /// Only places to go to.
    #[arg(long)]
    pub on_site: bool,
    /// Only free services.
    #[arg(long)]
    pub free: bool,
    /// Only what is open right now (Paris time).
    #[arg(long, conflicts_with = "open_at")]
    pub open_now: bool,
    /// Only what is open at this local Paris time, e.g. 2026-12-01T10:00.
    #[arg(long, value_name = "DATETIME", conflicts_with = "at")]
    pub open_at: Option<String>,
    /// Report opening status (the `open` and `next_change` fields) as at this local Paris
    /// time instead of now, without filtering: for reproducible output.
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
    /// Measure distances from this commune (name, postcode, INSEE code) or LAT,LON.
    #[arg(long, value_name = "COMMUNE|LAT,LON")]
    pub near: Option<String>,
    /// Order of results: relevance, or distance from --near (online services stay in place).
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortOrder,
    /// How many results at most.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print a JSON array (id, name, themes, commune, score, match, …), best first.
    #[arg(long)]
    pub json: bool,
    /// Also print, on standard error, the orientation cards and suggested themes the words
    /// lead to (a JSON object with --json, else two lines); standard output is unchanged.
    #[arg(long)]
    pub orientation: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    Relevance,
    Distance,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The initiative's id.
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The initiative's id.
    pub id: String,
}

#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The initiative's id.
    pub id: String,
    /// The version to restore (`wic history ID` lists them); default: the one before the last change.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<i64>,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// How many initiatives to generate.
    #[arg(long, value_name = "N")]
    pub count: usize,
    /// Seed of the generator: the same seed gives the same catalogue.
    #[arg(long, default_value_t = 42, value_name = "S")]
    pub seed: u64,
    /// Write to this file instead of standard output (never into seeds/).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Catalogue sizes to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "600,10000,100000", value_name = "N,...")]
    pub sizes: Vec<usize>,
    /// Length of the recorded typing session (keystrokes).
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub queries: usize,
    /// Seed of the synthetic catalogue and of the typing session.
    #[arg(long, default_value_t = 42, value_name = "S")]
    pub seed: u64,
    /// Print the results as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Internal: time open + first frame on DIR in this fresh process, and exit.
    #[arg(long, value_name = "DIR", hide = true)]
    pub cold_start_probe: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// First day shown, YYYY-MM-DD (default: 30 days ago).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Print the figures as JSON instead of charts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The day the report is made for, YYYY-MM-DD (default: today); "not updated for 12
    /// months" counts from it.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Configuration file: its `moderators` and `review` (default: /etc/wic/config.toml if it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Configuration file to check (default: /etc/wic/config.toml if it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy of the catalogue.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The signing key to create (refused if it exists); its public half goes to FILE.pub.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The signing key (`wic keygen FILE`).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The folder a web server serves to the kiosks.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// `http(s)://…/` or a folder holding manifest.json (default: the configuration's sync_source).
    #[arg(value_name = "SOURCE")]
    pub source: Option<String>,
    /// The central machine's public key(s) (default: the configuration's public_key).
    #[arg(long, value_name = "FILE.pub")]
    pub public_key: Option<PathBuf>,
    /// Configuration file (default: /etc/wic/config.toml if it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportsAction {
    /// Write every report of this machine as JSON Lines (standard output, or FILE).
    Export {
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Add the reports of JSON Lines files (from `wic reports export`); importing twice adds nothing.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsageAction {
    /// Write this machine's usage counters as JSON Lines, named after its kiosk_name.
    Export {
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Configuration file, for kiosk_name (default: /etc/wic/config.toml if it exists).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Add kiosks' counters (from `wic usage export`) to `wic stats`; importing twice adds nothing.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}
