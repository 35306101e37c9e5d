//! `wic doctor`: what an administrator runs when a kiosk misbehaves. Each check prints a
//! verdict (ok / warning / problem) and, when it is not ok, one line saying what to do. It only
//! reads, except for a probe file created and removed to prove the data directory writable.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::cli::{BrowseArgs, DoctorArgs};
use crate::config::{self, Settings};
use crate::data_dir::{DataDir, IndexState};
use crate::text::terminal_safe;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warning,
    Problem,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warning => "warning",
            Verdict::Problem => "problem",
        }
    }
}

/// One line of the report.
#[derive(Debug)]
pub struct Check {
    pub what: &'static str,
    pub verdict: Verdict,
    pub detail: String,
    /// What to do, when not ok.
    pub fix: Option<String>,
}

fn ok(what: &'static str, detail: impl Into<String>) -> Check {
    Check { what, verdict: Verdict::Ok, detail: detail.into(), fix: None }
}

fn warn(what: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check { what, verdict: Verdict::Warning, detail: detail.into(), fix: Some(fix.into()) }
}

fn problem(what: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
    Check { what, verdict: Verdict::Problem, detail: detail.into(), fix: Some(fix.into()) }
}

pub fn run(data: &DataDir, args: &DoctorArgs) -> Result<(), Failure> {
    let mut checks = terminal();
    let (config_checks, settings) = configuration(args.config.as_deref());
    // The data directory a kiosk started with the same configuration would use.
    let data = settings.as_ref().map_or_else(|| data.clone(), |s| s.data_dir_for(data));
    checks.extend(data_dir(&data));
    checks.extend(config_checks);
    for c in &checks {
        println!("{:<8} {:<13} {}", c.verdict.word(), c.what, terminal_safe(&c.detail));
        if let Some(fix) = &c.fix {
            println!("{:<22} → {}", "", terminal_safe(fix));
        }
    }
    let problems = checks.iter().filter(|c| c.verdict == Verdict::Problem).count();
    let warnings = checks.iter().filter(|c| c.verdict == Verdict::Warning).count();
    println!("\n{problems} problem(s), {warnings} warning(s).");
    if problems > 0 {
        return Err(Failure::Runtime(anyhow::anyhow!("{problems} problem(s) found by wic doctor")));
    }
    Ok(())
}

/// The terminal this command runs in: a kiosk's console, or the staff member's SSH terminal.
pub fn terminal() -> Vec<Check> {
    let mut out = Vec::new();
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !tty {
        out.push(warn(
            "terminal",
            "not a terminal (standard input or output is redirected)",
            "run `wic doctor` in the terminal the kiosk or staff session uses to check it",
        ));
    } else {
        match ratatui::crossterm::terminal::size() {
            Ok((w, h)) if w < 60 || h < 18 => out.push(problem(
                "terminal",
                format!("{w}x{h}, smaller than 60x18"),
                "enlarge the window or use a smaller font",
            )),
            Ok((w, h)) => out.push(ok("terminal", format!("{w}x{h}"))),
            Err(e) => out.push(warn("terminal", format!("size unknown ({e})"), "check the terminal emulator")),
        }
    }
    let env = crate::terminal_env::TermEnv::from_env();
    out.push(colours(&env));
    match &env.locale {
        Some(l) if env.utf8_locale() => out.push(ok("locale", l.clone())),
        other => out.push(warn(
            "locale",
            format!("{} is not UTF-8", other.clone().unwrap_or_else(|| "no locale set".into())),
            "set LANG=C.UTF-8 (or fr_FR.UTF-8) so accents and charts show",
        )),
    }
    out
}

/// What colours the interface will use, from TERM, COLORTERM and NO_COLOR (no-color.org: an
/// empty NO_COLOR is ignored).
pub fn colours(env: &crate::terminal_env::TermEnv) -> Check {
    use crate::terminal_env::Colours;
    let term = env.term.as_str();
    if term.is_empty() || term == "dumb" {
        return warn(
            "colours",
            format!("TERM={}: no colours, ASCII only", if term.is_empty() { "(unset)" } else { term }),
            "set TERM to the terminal's type (xterm-256color, linux…)",
        );
    }
    if env.no_color {
        return ok("colours", format!("monochrome (NO_COLOR is set), TERM={term}"));
    }
    let depth = match env.colours() {
        Colours::Full if env.colorterm == "truecolor" || env.colorterm == "24bit" => "true colour",
        Colours::Full => "256 colours",
        _ if term == "linux" => "16 colours, ASCII borders (Linux console)",
        Colours::Ansi16 => "16 colours",
        Colours::Mono => "monochrome",
    };
    ok("colours", format!("{depth}, TERM={term}"))
}

pub fn data_dir(data: &DataDir) -> Vec<Check> {
    let mut out = Vec::new();
    let root = terminal_safe(&data.root.display().to_string());
    if !data.root.is_dir() {
        out.push(problem(
            "data dir",
            format!("{root} does not exist"),
            format!("run `wic --data-dir {root} index rebuild` after `wic import`, or start `wic` once to create it"),
        ));
        return out;
    }
    let probe = data.root.join(format!(".doctor-{}", std::process::id()));
    match std::fs::write(&probe, b"") {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            out.push(ok("data dir", format!("{root} (writable)")));
        }
        Err(e) => out.push(warn(
            "data dir",
            format!("{root} is not writable by this user ({e})"),
            "usage figures and index rebuilds need it: chgrp wic and chmod 2775 the directory",
        )),
    }
    let store = match data.open_read() {
        Ok(s) => s,
        Err(e) => {
            out.push(problem(
                "catalogue",
                e.to_string(),
                format!("run `wic --data-dir {root} import FILE`, or restore a backup"),
            ));
            return out;
        }
    };
    match store.integrity_check() {
        Ok(r) if r == "ok" => {
            let version = store.version().unwrap_or(0);
            let count = store.count().unwrap_or(0);
            out.push(ok("catalogue", format!("{count} initiative(s), version {version}, integrity ok")));
        }
        Ok(r) => out.push(problem("catalogue", format!("integrity check: {r}"), "restore the last `wic backup`")),
        Err(e) => out.push(problem("catalogue", e.to_string(), "restore the last `wic backup`")),
    }
    let rebuild = format!("run `wic --data-dir {root} index rebuild`");
    match data.index_state(&store) {
        Ok(IndexState::Fresh) => out.push(ok("index", "built from the current catalogue")),
        Ok(IndexState::Missing) => out.push(problem("index", "missing", rebuild)),
        Ok(IndexState::Stale(built, now)) => out.push(problem(
            "index",
            format!("stale: built from catalogue version {built}, the catalogue is at {now}"),
            rebuild,
        )),
        Ok(IndexState::Corrupt(reason)) => out.push(problem("index", format!("damaged: {reason}"), rebuild)),
        Err(e) => out.push(problem("index", e.to_string(), rebuild)),
    }
    let usage = data.usage_path();
    if usage.exists() {
        match crate::usage::open(&usage) {
            Ok(_) => out.push(ok("usage.db", "writable")),
            Err(e) => out.push(warn(
                "usage.db",
                format!("cannot be written ({e})"),
                "usage figures are lost: make usage.db group-writable (chmod 664, group wic)",
            )),
        }
    } else {
        out.push(ok("usage.db", "not created yet (the first session creates it)"));
    }
    out
}

/// The configuration file, and the programs and folders it names.
pub fn configuration(explicit: Option<&Path>) -> (Vec<Check>, Option<Settings>) {
    let mut out = Vec::new();
    let (settings, path) = match config::load(explicit, &BrowseArgs::default()) {
        Ok(x) => x,
        Err(e) => {
            out.push(problem("config", e.to_string(), "fix the file (see assets/deploy/config.toml for every key)"));
            return (out, None);
        }
    };
    let shown = path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "none (defaults)".into());
    out.push(ok("config", shown));
    if let Some(command) = &settings.print_command {
        match program_of(command) {
            None => out.push(problem(
                "print",
                format!("print_command {command:?} names no program"),
                "set print_command, e.g. \"lp -d accueil\"",
            )),
            Some(program) => match find_program(&program) {
                Some(found) => out.push(ok("print", format!("{program} found ({})", found.display()))),
                None => out.push(problem(
                    "print",
                    format!("{program} (from print_command) is not on PATH"),
                    "install it (for lp: apt install cups-client) or change print_command",
                )),
            },
        }
    }
    if let Some(dir) = &settings.export_dir {
        if !dir.is_dir() {
            out.push(warn(
                "export dir",
                format!("{} does not exist", dir.display()),
                "create it, writable by the staff accounts",
            ));
        } else {
            out.push(ok("export dir", dir.display().to_string()));
        }
    }
    (out, Some(settings))
}

/// The program a `sh -c` command line runs first: its first word that is not a `VAR=value`
/// assignment, quotes removed. Good enough for `lp -d x`, `/usr/bin/lpr`, `LANG=C lp`.
fn program_of(command: &str) -> Option<String> {
    command
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .find(|w| !w.is_empty() && !is_assignment(w))
        .map(str::to_string)
}

/// `NAME=value`, a variable set for the command (NAME a shell identifier).
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// `program` as the shell would find it: a path, or a name searched in PATH.
fn find_program(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| p.is_file() && p.metadata().is_ok_and(|m| m.permissions().mode() & 0o111 != 0);
    if program.contains('/') {
        let p = PathBuf::from(program);
        return executable(&p).then_some(p);
    }
    // Shell built-ins and keywords a print command might start with.
    if ["exec", "command", "env"].contains(&program) {
        return Some(PathBuf::from(program));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| executable(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_program_of_a_command() {
        assert_eq!(program_of("lp -d accueil").as_deref(), Some("lp"));
        assert_eq!(program_of("LANG=C /usr/bin/lpr -P x").as_deref(), Some("/usr/bin/lpr"));
        assert_eq!(program_of("  ").as_deref(), None);
        assert_eq!(program_of("A_B=1 C=x/y ./imprimer --a=b").as_deref(), Some("./imprimer"));
        assert!(find_program("sh").is_some());
        assert!(find_program("surely-not-a-program-wic").is_none());
    }

    #[test]
    fn colour_verdicts() {
        use crate::terminal_env::TermEnv;
        let env = |term: &str, colorterm: &str, no_color: bool| TermEnv {
            term: term.into(),
            colorterm: colorterm.into(),
            no_color,
            locale: None,
        };
        assert_eq!(colours(&env("", "", false)).verdict, Verdict::Warning);
        assert!(colours(&env("xterm-256color", "", true)).detail.contains("monochrome"));
        assert!(colours(&env("xterm-256color", "truecolor", false)).detail.contains("true colour"));
        assert!(colours(&env("linux", "", false)).detail.contains("ASCII"));
    }
}
