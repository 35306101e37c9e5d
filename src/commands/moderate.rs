//! The catalogue's upkeep from the command line: `wic history ID`, `wic edit ID` (TOML in
//! $EDITOR, validated as an import) and `wic revert ID [--to VERSION]`. Every write goes through
//! the store's versioned `write_entry`, so it is recorded in the history and refused if someone
//! changed the entry meanwhile. `wic apply` is the service's side of the same writes when they
//! come queued from staff sessions ([`crate::spool`]).

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{Failure, Out, open_catalogue};
use crate::catalogue::edit::Form;
use crate::catalogue::history::changed_values;
use crate::catalogue::model::FIELDS;
use crate::catalogue::{Change, HistoryRow, Initiative, Via};
use crate::cli::{ApplyArgs, BrowseArgs, EditArgs, HistoryArgs, RevertArgs};
use crate::data_dir::DataDir;
use crate::i18n::Strings;
use crate::reports::ReportsDb;
use crate::text::fit::truncate;
use crate::text::terminal_safe;

/// A changed value is shown up to this many columns (descriptions run long).
const VALUE_WIDTH: usize = 60;

pub fn history(data: &DataDir, args: &HistoryArgs, s: &Strings) -> Result<(), Failure> {
    let store = open_catalogue(data, s)?;
    let rows = store.history(&args.id).context("reading the history")?;
    let reports = match ReportsDb::open_existing(&data.reports_path()).context("reading the reports")? {
        Some(db) => db.of_entry(&args.id).context("reading the reports")?,
        None => Vec::new(),
    };
    if rows.is_empty() && reports.is_empty() && store.get(&args.id).context("reading the catalogue")?.is_none() {
        return Err(Failure::Input(s.fmt("cli.history.unknown", &[("id", &args.id)])));
    }
    let mut out = Out::stdout();
    if args.json {
        let value = serde_json::json!({ "id": args.id, "changes": rows, "reports": reports });
        return out.line(serde_json::to_string_pretty(&value).map_err(anyhow::Error::from)?);
    }
    for row in &rows {
        out.line(terminal_safe(&summary_line(row)))?;
        for (field, before, after) in changed_values(row.before.as_ref(), row.after.as_ref()) {
            out.line(terminal_safe(&format!("    {field}: {} → {}", shorten(&before), shorten(&after))))?;
        }
    }
    for r in &reports {
        let resolution = match r.resolution {
            Some(res) => {
                s.fmt("cli.history.resolved", &[("how", res.as_str()), ("who", &r.resolved_by), ("at", &r.resolved_at)])
            }
            None => s.get("cli.history.open").to_string(),
        };
        out.line(terminal_safe(&format!(
            "{}  {}  {}  {} — {resolution}",
            r.day,
            s.get("cli.history.report"),
            r.kiosk,
            s.get(r.reason.label_key())
        )))?;
    }
    Ok(())
}

fn summary_line(row: &HistoryRow) -> String {
    let mut line = format!(
        "v{:<3} {}  {:<10} {:<7} {}",
        row.version,
        crate::hours::paris_stamp(&row.at),
        row.who,
        row.via,
        row.origin
    );
    if !row.note.is_empty() {
        line.push_str(&format!("  ({})", row.note));
    }
    line
}

/// A changed value on one line: cut to [`VALUE_WIDTH`] columns, "∅" when empty.
fn shorten(v: &str) -> String {
    if v.is_empty() { "∅".into() } else { truncate(v, VALUE_WIDTH, "…") }
}

pub fn revert(data: &DataDir, args: &RevertArgs, s: &Strings) -> Result<(), Failure> {
    let store = open_catalogue(data, s)?;
    let rows = store.history(&args.id).context("reading the history")?;
    let Some((_, current)) = store.get_versioned(&args.id).context("reading the catalogue")? else {
        return Err(Failure::Input(s.fmt("cli.history.unknown", &[("id", &args.id)])));
    };
    drop(store);
    let target = args.to.unwrap_or(current - 1);
    // The entry as it stood at `target`: the state after the change that made that version.
    let Some(item) = rows.iter().rev().find(|r| r.version == target).and_then(|r| r.after.clone()) else {
        return Err(Failure::Input(
            s.fmt("cli.revert.no_version", &[("id", &args.id), ("version", &target.to_string())]),
        ));
    };
    let who = crate::identity::Account::current().name;
    let note = format!("to version {target}");
    let change = Change { who: &who, via: Via::Revert, origin: "wic revert" };
    let version = write(data, &item, current, &change, &note, s)?;
    Out::stdout().line(
        s.fmt("cli.revert.done", &[("id", &args.id), ("version", &target.to_string()), ("new", &version.to_string())]),
    )
}

/// Writes one entry on `base`, then rebuilds the index; a version conflict is the caller's input problem.
fn write(
    data: &DataDir,
    item: &Initiative,
    base: i64,
    change: &Change<'_>,
    note: &str,
    s: &Strings,
) -> Result<i64, Failure> {
    let mut store = data.open_write().context(s.get("cli.error.open_catalogue").to_string())?;
    let version = store.write_entry(item, base, change, note).context("writing the catalogue")?.map_err(|c| {
        Failure::Runtime(anyhow::anyhow!(
            s.fmt("cli.edit.conflict", &[("who", &c.who), ("at", &crate::hours::paris_stamp(&c.at))])
        ))
    })?;
    data.rebuild(&store, &mut |_, _| {}).context("rebuilding the search index")?;
    Ok(version)
}

pub fn edit(data: &DataDir, args: &EditArgs, s: &Strings) -> Result<(), Failure> {
    let store = open_catalogue(data, s)?;
    let reference = store.reference().context("reading the reference lists")?;
    let Some((item, base)) = store.get_versioned(&args.id).context("reading the catalogue")? else {
        return Err(Failure::Input(s.fmt("cli.history.unknown", &[("id", &args.id)])));
    };
    drop(store);
    let original = to_toml(&Form::open(&item, base, &reference));
    let path = scratch_path(&args.id);
    let mut text = original.clone();
    loop {
        std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
        run_editor(&path)?;
        let edited = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let body = strip_problems(&edited);
        if body.trim() == strip_problems(&original).trim() || body.trim().is_empty() {
            let _ = std::fs::remove_file(&path);
            return Out::stdout().line(s.get("cli.edit.unchanged"));
        }
        let problems = match from_toml(&body, base) {
            Ok(form) => match form.validate(&reference) {
                Ok(new) => {
                    let who = crate::identity::Account::current().name;
                    let via = if new.id != item.id { Via::Create } else { Via::Edit };
                    let change = Change { who: &who, via, origin: "wic edit" };
                    let base = if via == Via::Create { 0 } else { base };
                    let version = write(data, &new, base, &change, "", s).inspect_err(|_| {
                        super::say(s.fmt("cli.edit.kept", &[("path", &path.display().to_string())]));
                    })?;
                    let _ = std::fs::remove_file(&path);
                    return Out::stdout()
                        .line(s.fmt("cli.edit.saved", &[("id", &new.id), ("version", &version.to_string())]));
                }
                Err(problems) => {
                    problems.iter().map(|p| format!("field {}: {} ({})", p.field, p.reason, p.value)).collect()
                }
            },
            Err(e) => vec![e],
        };
        for p in &problems {
            super::say(terminal_safe(p));
        }
        text = format!("{}{}", problems_header(&problems), body);
    }
}

/// Where the TOML is edited: the user's own temporary directory, a name of its own.
fn scratch_path(id: &str) -> PathBuf {
    let safe: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    std::env::temp_dir().join(format!("wic-edit-{safe}-{}.toml", std::process::id()))
}

fn run_editor(path: &Path) -> Result<(), Failure> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| if Path::new("/usr/bin/editor").exists() { "editor".into() } else { "vi".into() });
    // Through the shell, as git does: EDITOR may carry arguments ("code --wait").
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .with_context(|| format!("starting the editor ({editor})"))?;
    if !status.success() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "the editor ({editor}) failed: {status}; {} kept",
            path.display()
        )));
    }
    Ok(())
}

const PROBLEM_MARK: &str = "# ! ";

fn problems_header(problems: &[String]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(PROBLEM_MARK);
        out.push_str(&p.replace('\n', " "));
        out.push('\n');
    }
    out
}

fn strip_problems(text: &str) -> String {
    text.lines().filter(|l| !l.starts_with(PROBLEM_MARK)).map(|l| format!("{l}\n")).collect()
}

/// The form as TOML: one key per catalogue field, in catalogue order, every value a string
/// (lists joined with `|`, as in the canonical CSV), so the file reads like the form.
fn to_toml(form: &Form) -> String {
    let mut out = String::from(
        "# wic edit: change the values, save and quit. Lists are separated by |.\n\
         # docs/CATALOGUE.md describes each field. Leave the file unchanged to cancel.\n",
    );
    for (field, value) in FIELDS.iter().zip(&form.values) {
        let quoted = toml::Value::String(value.clone()).to_string();
        out.push_str(&format!("{field} = {quoted}\n"));
    }
    out
}

fn from_toml(text: &str, base: i64) -> Result<Form, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| format!("TOML: {}", e.message()))?;
    let mut form = Form { values: vec![String::new(); FIELDS.len()], base, field: 0 };
    for (key, value) in table {
        let Some(i) = FIELDS.iter().position(|f| *f == key) else {
            return Err(format!("field {key}: not a catalogue field"));
        };
        form.values[i] = match value {
            toml::Value::String(v) => v,
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                .collect::<Vec<_>>()
                .join("|"),
            other => other.to_string(),
        };
    }
    Ok(form)
}

/// `wic apply`: the queued changes of staff sessions, applied as the service user.
pub fn apply(data: &DataDir, args: &ApplyArgs, s: &Strings) -> Result<(), Failure> {
    use crate::spool::{self, Outcome, Policy};
    let (settings, _) = crate::config::load(args.config.as_deref(), &BrowseArgs::default())
        .map_err(|e| Failure::Input(terminal_safe(&e.to_string())))?;
    let data = settings.data_dir_for(data);
    let policy = Policy { moderators: settings.moderators.clone(), four_eyes: settings.four_eyes };
    let done = spool::apply_all(&data, &policy)?;
    let mut out = Out::stdout();
    if done.is_empty() {
        return out.line(s.get("cli.apply.none"));
    }
    for a in done {
        let text = match &a.outcome {
            Outcome::Saved { version } => s.fmt("cli.apply.saved", &[("version", &version.to_string())]),
            Outcome::Approved { version } => s.fmt("cli.apply.approved", &[("version", &version.to_string())]),
            Outcome::Held => s.get("cli.apply.held").to_string(),
            Outcome::Invalid { problems } => s.fmt("cli.apply.invalid", &[("n", &problems.len().to_string())]),
            Outcome::Conflict { conflict } => s.fmt("cli.apply.refused", &[("reason", &conflict.to_string())]),
            Outcome::Refused { reason } => s.fmt("cli.apply.refused", &[("reason", reason)]),
        };
        let who = if a.who.is_empty() { "?" } else { a.who.as_str() };
        out.line(terminal_safe(&format!("{} {who}: {text}", a.ticket.0)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_round_trips_the_form_and_problems_are_stripped() {
        let reference = crate::catalogue::Reference::embedded().unwrap();
        let item = Initiative {
            id: "x".into(),
            name: "Un \"nom\" avec des guillemets".into(),
            themes: vec!["se-nourrir".into(), "s-entraider".into()],
            ..Default::default()
        };
        let form = Form::open(&item, 4, &reference);
        let text = to_toml(&form);
        assert_eq!(from_toml(&text, 4).unwrap(), form);
        let with = format!("{}{text}", problems_header(&["field email: bad".into()]));
        assert_eq!(strip_problems(&with), strip_problems(&text));
        assert!(from_toml("nom = \"x\"", 1).unwrap_err().contains("nom"));
    }
}
