//! Helpers shared by the integration tests: a throw-away data directory, the real `wic`
//! binary run against it, and a data directory prepared from the embedded seed catalogue.
//!
//! Each test file uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;
use wic::data_dir::DataDir;

/// The seed catalogue as shipped (the file the binary embeds).
pub const SEED_CSV: &str = include_str!("../../seeds/initiatives.csv");

/// A temporary directory holding a data directory (`<tmp>/data`) and room for input files.
pub struct TestDir {
    pub tmp: TempDir,
}

impl TestDir {
    pub fn new() -> TestDir {
        TestDir { tmp: tempfile::Builder::new().prefix("wic-test-").tempdir().expect("temp dir") }
    }

    /// The data directory given to `--data-dir` (not created until a command needs it).
    pub fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    pub fn data_dir(&self) -> DataDir {
        DataDir::new(self.data())
    }

    /// `<data>/search`.
    pub fn search_dir(&self) -> PathBuf {
        self.data().join("search")
    }

    /// Writes `bytes` to `<tmp>/<name>` and returns the path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.tmp.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// Runs `wic --data-dir <data> ARGS…`, in the default language (French: see [`run_wic`]).
    pub fn wic(&self, args: &[&str]) -> Run {
        let mut all: Vec<String> = vec!["--data-dir".into(), self.data().display().to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        run_wic(&all, self.tmp.path())
    }

    /// Runs `wic --lang LANG --data-dir <data> ARGS…`: for tests that read its messages in
    /// that language.
    pub fn wic_in(&self, lang: &str, args: &[&str]) -> Run {
        let mut all: Vec<&str> = vec!["--lang", lang];
        all.extend(args);
        self.wic(&all)
    }

    /// Imports the embedded seed catalogue and builds the index, through the library.
    pub fn prepare(&self) -> DataDir {
        let data = self.data_dir();
        data.prepare(&mut |_| {}).expect("prepare the data dir from the seeds");
        data
    }

    /// `wic export --format FORMAT`, which must succeed; its standard output.
    pub fn export(&self, format: &str) -> String {
        let r = self.wic(&["export", "--format", format]);
        r.assert_code(0);
        r.stdout
    }

    /// `wic export --format json`, parsed.
    pub fn export_json(&self) -> Vec<serde_json::Value> {
        match serde_json::from_str(&self.export("json")).expect("export is JSON") {
            serde_json::Value::Array(items) => items,
            other => panic!("export --format json is not an array: {other}"),
        }
    }

    /// One exported record by id (JSON), panicking if absent.
    pub fn exported(&self, id: &str) -> serde_json::Value {
        self.export_json().into_iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("{id} is not in the export"))
    }
}

impl Default for TestDir {
    fn default() -> Self {
        Self::new()
    }
}

/// What one run of the binary printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "`wic {}` exited with {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("`wic {}` did not print JSON ({e}):\n{}", self.args.join(" "), self.stdout))
    }
}

/// Runs the real binary with `args`, in `cwd`, with no `WIC_DATA_DIR` from the outside and
/// standard input closed. Never hangs on a terminal: stdin is null.
///
/// The locale is a neutral `C.UTF-8` whatever the machine's, so the messages are French
/// (the command line's default) unless `args` hold `--lang en`.
pub fn run_wic(args: &[String], cwd: &Path) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_wic"))
        .args(args)
        .current_dir(cwd)
        .env_remove("WIC_DATA_DIR")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run the wic binary");
    Run {
        args: args.to_vec(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether `s` holds any character a terminal would act on or that reorders/hides text.
pub fn has_control_or_bidi(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c,
                '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{061c}')
    })
}

/// How many initiatives of the shipped catalogue are listed (status other than `inactif`):
/// the documents an index built from the seeds holds.
pub fn seed_listed() -> usize {
    let mut reader = csv::Reader::from_reader(SEED_CSV.as_bytes());
    let status = reader.headers().expect("seed header").iter().position(|h| h == "status").expect("a status column");
    reader.records().filter_map(Result::ok).filter(|r| r.get(status) != Some("inactif")).count()
}

/// `tmux -u -L SOCKET ARGS`: a tmux server of the test's own (its socket), in UTF-8, and never
/// the tmux the tests may be run from (`TMUX` removed).
pub fn tmux(socket: &str, args: &[&str]) -> Output {
    Command::new("tmux")
        .arg("-u")
        .args(["-L", socket])
        .args(args)
        .env_remove("TMUX")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("running tmux")
}
