//! `wic doctor`: what an administrator runs when a kiosk misbehaves. Each check prints a
//! verdict (ok / warning / problem) and, when it is not ok, one line saying what to do. It only
//! reads, except for a probe file created and removed to prove the data directory writable.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{Failure, Out, no_catalogue_fix, shell_word};
use crate::cli::{BrowseArgs, DoctorArgs};
use crate::config::{self, Settings};
use crate::data_dir::{DataDir, IndexState};
use crate::i18n::Strings;
use crate::text::terminal_safe;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warning,
    Problem,
}

impl Verdict {
    fn key(self) -> &'static str {
        match self {
            Verdict::Ok => "cli.doctor.verdict.ok",
            Verdict::Warning => "cli.doctor.verdict.warning",
            Verdict::Problem => "cli.doctor.verdict.problem",
        }
    }
}

/// One line of the report, in the language of the [`Strings`] it was made with.
#[derive(Debug)]
pub struct Check {
    /// What was checked ("index", "config"…), as the report names it.
    pub what: String,
    pub verdict: Verdict,
    pub detail: String,
    /// What to do, when not ok.
    pub fix: Option<String>,
}

/// Makes the checks of one language: `name` is a key of `[cli.doctor.name]`.
struct Maker<'a> {
    s: &'a Strings,
}

impl Maker<'_> {
    fn what(&self, name: &str) -> String {
        self.s.get(&format!("cli.doctor.name.{name}")).to_string()
    }

    fn ok(&self, name: &str, detail: impl Into<String>) -> Check {
        Check { what: self.what(name), verdict: Verdict::Ok, detail: detail.into(), fix: None }
    }

    fn warn(&self, name: &str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { what: self.what(name), verdict: Verdict::Warning, detail: detail.into(), fix: Some(fix.into()) }
    }

    fn problem(&self, name: &str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { what: self.what(name), verdict: Verdict::Problem, detail: detail.into(), fix: Some(fix.into()) }
    }

    /// A string of `[cli.doctor]`, placeholders filled.
    fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.s.fmt(&format!("cli.doctor.{key}"), args)
    }
}

pub fn run(data: &DataDir, args: &DoctorArgs, s: &Strings) -> Result<(), Failure> {
    let mut checks = terminal(s);
    let (config_checks, settings) = configuration(args.config.as_deref(), s);
    // The data directory a kiosk started with the same configuration would use.
    let data = settings.as_ref().map_or_else(|| data.clone(), |st| st.data_dir_for(data));
    checks.extend(data_dir(&data, s));
    checks.extend(config_checks);
    // Columns as wide as this language's longest verdict and check name.
    let verdict_w = [Verdict::Ok, Verdict::Warning, Verdict::Problem].map(|v| s.get(v.key()).chars().count());
    let verdict_w = verdict_w.into_iter().max().unwrap_or(0).max(8);
    let what_w = checks.iter().map(|c| c.what.chars().count()).max().unwrap_or(0).max(13);
    let mut out = Out::stdout();
    for c in &checks {
        out.line(format!("{:<verdict_w$} {:<what_w$} {}", s.get(c.verdict.key()), c.what, terminal_safe(&c.detail)))?;
        if let Some(fix) = &c.fix {
            out.line(format!("{:<w$} → {}", "", terminal_safe(fix), w = verdict_w + what_w + 1))?;
        }
    }
    let problems = checks.iter().filter(|c| c.verdict == Verdict::Problem).count();
    let warnings = checks.iter().filter(|c| c.verdict == Verdict::Warning).count();
    let (p, w) = (problems.to_string(), warnings.to_string());
    out.line(format!("\n{}", s.fmt("cli.doctor.summary", &[("problems", &p), ("warnings", &w)])))?;
    if problems > 0 {
        return Err(Failure::Runtime(anyhow::anyhow!(s.fmt("cli.doctor.failed", &[("n", &p)]))));
    }
    Ok(())
}

/// The terminal this command runs in: a kiosk's console, or the staff member's SSH terminal.
pub fn terminal(s: &Strings) -> Vec<Check> {
    let m = Maker { s };
    let mut out = Vec::new();
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !tty {
        out.push(m.warn("terminal", m.text("not_tty", &[]), m.text("not_tty_fix", &[])));
    } else {
        match ratatui::crossterm::terminal::size() {
            Ok((w, h)) if w < 60 || h < 18 => out.push(m.problem(
                "terminal",
                m.text("too_small", &[("w", &w.to_string()), ("h", &h.to_string())]),
                m.text("too_small_fix", &[]),
            )),
            Ok((w, h)) => out.push(m.ok("terminal", format!("{w}x{h}"))),
            Err(e) => out.push(m.warn(
                "terminal",
                m.text("size_unknown", &[("error", &e.to_string())]),
                m.text("size_unknown_fix", &[]),
            )),
        }
    }
    let env = crate::terminal_env::TermEnv::from_env();
    out.push(colours(&env, s));
    match &env.locale {
        Some(l) if env.utf8_locale() => out.push(m.ok("locale", l.clone())),
        other => {
            let locale = other.clone().unwrap_or_else(|| m.text("no_locale", &[]));
            out.push(m.warn("locale", m.text("not_utf8", &[("locale", &locale)]), m.text("not_utf8_fix", &[])))
        }
    }
    out
}

/// What colours the interface will use, from TERM, COLORTERM and NO_COLOR (no-color.org: an
/// empty NO_COLOR is ignored).
pub fn colours(env: &crate::terminal_env::TermEnv, s: &Strings) -> Check {
    use crate::terminal_env::Colours;
    let m = Maker { s };
    let term = env.term.as_str();
    if term.is_empty() || term == "dumb" {
        let shown = if term.is_empty() { m.text("unset", &[]) } else { term.to_string() };
        return m.warn("colours", m.text("no_colours", &[("term", &shown)]), m.text("no_colours_fix", &[]));
    }
    if env.no_color {
        return m.ok("colours", m.text("no_color", &[("term", term)]));
    }
    let depth = match env.colours() {
        Colours::Full if env.colorterm == "truecolor" || env.colorterm == "24bit" => "true_colour",
        Colours::Full => "colours_256",
        _ if term == "linux" => "linux_console",
        Colours::Ansi16 => "colours_16",
        Colours::Mono => "mono",
    };
    m.ok("colours", format!("{}, TERM={term}", m.text(depth, &[])))
}

pub fn data_dir(data: &DataDir, s: &Strings) -> Vec<Check> {
    let m = Maker { s };
    let mut out = Vec::new();
    let root = terminal_safe(&data.root.display().to_string());
    let root_arg = [("root", root.as_str())];
    // Fixes are commands to paste: the directory as a shell word.
    let word = shell_word(&data.root);
    let word_arg = [("root", word.as_str())];
    let create = no_catalogue_fix(data, s);
    if !data.root.is_dir() {
        out.push(m.problem(
            "data_dir",
            m.text("no_data_dir", &root_arg),
            m.text("no_data_dir_fix", &[("fix", &create)]),
        ));
        return out;
    }
    // What this account must be able to write: the spool of a shared directory (its usage
    // figures and reports), else the directory itself.
    let (writable, shown) = if data.is_shared() {
        (data.spool_dir(), terminal_safe(&data.spool_dir().display().to_string()))
    } else {
        (data.root.clone(), root.clone())
    };
    let probe = writable.join(format!(".doctor-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            out.push(m.ok("data_dir", m.text("writable", &[("root", &shown)])));
        }
        Err(e) => out.push(m.warn(
            "data_dir",
            m.text("not_writable", &[("root", &shown), ("error", &e.to_string())]),
            m.text(if data.is_shared() { "not_writable_shared_fix" } else { "not_writable_fix" }, &[]),
        )),
    }
    out.extend(permissions(data, s));
    out.extend(waiting_changes(data, s));
    let store = match data.open_read() {
        Ok(s) => s,
        Err(e) => {
            out.push(m.problem("catalogue", e.to_string(), m.text("no_catalogue_fix", &[("fix", &create)])));
            return out;
        }
    };
    let restore = m.text("restore_fix", &[]);
    match store.integrity_check() {
        Ok(r) if r == "ok" => {
            let version = store.version().unwrap_or(0).to_string();
            let count = store.count().unwrap_or(0).to_string();
            out.push(m.ok("catalogue", m.text("catalogue_ok", &[("n", &count), ("version", &version)])));
        }
        Ok(r) => out.push(m.problem("catalogue", m.text("integrity", &[("result", &r)]), restore)),
        Err(e) => out.push(m.problem("catalogue", e.to_string(), restore)),
    }
    let rebuild = m.text("rebuild_fix", &word_arg);
    match data.index_state(&store) {
        Ok(IndexState::Fresh) => out.push(m.ok("index", m.text("index_ok", &[]))),
        Ok(IndexState::Missing) => out.push(m.problem("index", m.text("index_missing", &[]), rebuild)),
        Ok(IndexState::Stale(built, now)) => out.push(m.problem(
            "index",
            m.text("index_stale", &[("built", &built.to_string()), ("now", &now.to_string())]),
            rebuild,
        )),
        Ok(IndexState::Corrupt(reason)) => {
            out.push(m.problem("index", m.text("index_damaged", &[("reason", &reason)]), rebuild))
        }
        Err(e) => out.push(m.problem("index", e.to_string(), rebuild)),
    }
    let usage = data.usage_path();
    if usage.exists() {
        match crate::usage::open(&usage) {
            Ok(_) => out.push(m.ok("usage", m.text("usage_ok", &[]))),
            Err(e) => out.push(m.warn(
                "usage",
                m.text("usage_unwritable", &[("error", &e.to_string())]),
                m.text("usage_unwritable_fix", &[]),
            )),
        }
    } else {
        out.push(m.ok("usage", m.text("usage_absent", &[])));
    }
    out
}

/// Who may write what (crate::permissions): one line per path looser than the layout, each
/// with the command that tightens it.
pub fn permissions(data: &DataDir, s: &Strings) -> Vec<Check> {
    use crate::permissions::{Finding, octal};
    let m = Maker { s };
    let audit = match crate::permissions::audit(data) {
        Ok(a) => a,
        Err(e) => return vec![m.warn("permissions", e.to_string(), m.text("perm_unreadable_fix", &[]))],
    };
    if audit.findings.is_empty() {
        let detail = match &audit.staff_group {
            Some(group) if audit.shared => m.text("perm_shared_ok", &[("service", &audit.service), ("group", group)]),
            _ => m.text("perm_single_ok", &[("service", &audit.service)]),
        };
        return vec![m.ok("permissions", detail)];
    }
    let shown = |p: &Path| terminal_safe(&p.display().to_string());
    let word = |p: &Path| shell_word(p);
    let layout = m.text("perm_layout_fix", &[("root", &shell_word(&data.root))]);
    audit
        .findings
        .iter()
        .map(|f| match f {
            Finding::WritableByEveryone { path, mode } => m.problem(
                "permissions",
                m.text("perm_everyone", &[("path", &shown(path)), ("mode", &octal(*mode))]),
                format!("chmod o-w {}", word(path)),
            ),
            Finding::WritableByGroup { path, mode, group } => m.problem(
                "permissions",
                m.text("perm_group", &[("path", &shown(path)), ("mode", &octal(*mode)), ("group", group)]),
                format!("chmod g-w {}", word(path)),
            ),
            Finding::NotTheService { path, owner } => m.problem(
                "permissions",
                m.text("perm_owner", &[("path", &shown(path)), ("owner", owner), ("service", &audit.service)]),
                format!("chown {} {}", audit.service, word(path)),
            ),
            Finding::SpoolClosed { path, mode } => m.warn(
                "permissions",
                m.text("perm_spool", &[("path", &shown(path)), ("mode", &octal(*mode))]),
                layout.clone(),
            ),
            Finding::ServiceOutsideGroup { group } => m.warn(
                "permissions",
                m.text("perm_service_group", &[("service", &audit.service), ("group", group)]),
                format!("usermod -aG {group} {}", audit.service),
            ),
            Finding::LeftAtTop { path } => {
                m.warn("permissions", m.text("perm_left", &[("path", &shown(path))]), layout.clone())
            }
        })
        .collect()
}

/// Moderators' changes queued for the service for more than a minute: `wic apply` is not
/// running (wic-apply.path not enabled, or failing), and moderators read "En file" forever.
pub fn waiting_changes(data: &DataDir, s: &Strings) -> Vec<Check> {
    const STALE: std::time::Duration = std::time::Duration::from_secs(60);
    let m = Maker { s };
    if !data.is_shared() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(data.edits_dir()) else { return Vec::new() };
    let old = entries
        .flatten()
        .filter(|e| e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE)))
        .count();
    if old == 0 {
        return vec![m.ok("queue", m.text("queue_empty", &[]))];
    }
    let root = shell_word(&data.root);
    vec![m.warn("queue", m.text("queue_waiting", &[("n", &old.to_string())]), m.text("queue_fix", &[("root", &root)]))]
}

/// The configuration file, and the programs and folders it names.
pub fn configuration(explicit: Option<&Path>, s: &Strings) -> (Vec<Check>, Option<Settings>) {
    let m = Maker { s };
    let mut out = Vec::new();
    let (settings, path) = match config::load(explicit, &BrowseArgs::default()) {
        Ok(x) => x,
        Err(e) => {
            out.push(m.problem("config", e.to_string(), m.text("config_fix", &[])));
            return (out, None);
        }
    };
    let shown = path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| m.text("no_config", &[]));
    out.push(m.ok("config", shown));
    if let Some(command) = &settings.print_command {
        match program_of(command) {
            None => out.push(m.problem(
                "print",
                m.text("no_program", &[("command", &format!("{command:?}"))]),
                m.text("no_program_fix", &[]),
            )),
            Some(program) => match find_program(&program) {
                Some(found) => out.push(m.ok(
                    "print",
                    m.text("program_found", &[("program", &program), ("path", &found.display().to_string())]),
                )),
                None => out.push(m.problem(
                    "print",
                    m.text("program_missing", &[("program", &program)]),
                    m.text("program_missing_fix", &[]),
                )),
            },
        }
    }
    if settings.kiosk {
        out.push(speech(&settings, &m));
    }
    if let Some(dir) = &settings.export_dir {
        let shown = dir.display().to_string();
        if !dir.is_dir() {
            out.push(m.warn(
                "export_dir",
                m.text("no_export_dir", &[("dir", &shown)]),
                m.text("no_export_dir_fix", &[]),
            ));
        } else {
            out.push(m.ok("export_dir", shown));
        }
    }
    (out, Some(settings))
}

/// The program a `sh -c` command line runs first: its first word that is not a `VAR=value`
/// assignment, quotes removed. Good enough for `lp -d x`, `/usr/bin/lpr`, `LANG=C lp`.
/// Whether this kiosk reads screens aloud, and with what: speech is optional, so its absence is
/// said, not reported as a problem; a configured command whose program is missing is one.
fn speech(settings: &config::Settings, m: &Maker) -> Check {
    if !settings.speech {
        return m.ok("speech", m.text("speech_off", &[]));
    }
    let path = std::env::var_os("PATH");
    let Some(command) = crate::speech::SpeechCommand::resolve(settings.speech_command.as_deref(), path.as_deref())
    else {
        return m.ok("speech", m.text("speech_none", &[]));
    };
    let line = command.line("fr");
    match program_of(&line).map(|p| (find_program(&p), p)) {
        Some((Some(found), program)) => {
            m.ok("speech", m.text("program_found", &[("program", &program), ("path", &found.display().to_string())]))
        }
        Some((None, program)) => {
            m.problem("speech", m.text("speech_missing", &[("program", &program)]), m.text("speech_missing_fix", &[]))
        }
        None => m.problem(
            "speech",
            m.text("no_program", &[("command", &format!("{line:?}"))]),
            m.text("speech_missing_fix", &[]),
        ),
    }
}

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
        let en = &Strings::load("en");
        assert_eq!(colours(&env("", "", false), en).verdict, Verdict::Warning);
        assert!(colours(&env("xterm-256color", "", true), en).detail.contains("monochrome"));
        assert!(colours(&env("xterm-256color", "truecolor", false), en).detail.contains("true colour"));
        assert!(colours(&env("linux", "", false), en).detail.contains("ASCII"));
        let fr = &Strings::load("fr");
        assert_eq!(
            colours(&env("linux", "", false), fr).detail,
            "16 couleurs, bordures ASCII (console Linux), TERM=linux"
        );
        assert_eq!(colours(&env("linux", "", false), fr).what, "couleurs");
    }
}
