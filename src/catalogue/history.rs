//! Who changed what, when and from where: every change of an entry is one row of the
//! `history` table, written in the same transaction as the change itself, so the catalogue
//! and its history can never disagree.
//!
//! Each entry carries a version number (`initiatives.version`), bumped by every change. A
//! moderator's form remembers the version it was opened on; a save on an older version is
//! refused ([`super::edit`]), which is how two moderators never silently overwrite each other.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::model::Initiative;

/// How a change came in. Stored as its lower-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// `wic import` (and the seed catalogue on a first run).
    Import,
    /// A moderator created the entry.
    Create,
    /// A moderator saved the form.
    Edit,
    /// "vérifié aujourd'hui": only `updated` moves.
    Check,
    /// "fermé temporairement jusqu'au …".
    Close,
    /// "retirer": status `inactif`, the entry is kept.
    Retire,
    /// `wic revert`: an earlier version restored.
    Revert,
    /// A signed bundle from the central machine (`wic sync`).
    Sync,
    /// A visitor's report (kept in `reports.db`, listed with the history).
    Report,
    /// A report marked fixed or not an error.
    Resolve,
}

impl Via {
    pub const ALL: [Via; 10] = [
        Via::Import,
        Via::Create,
        Via::Edit,
        Via::Check,
        Via::Close,
        Via::Retire,
        Via::Revert,
        Via::Sync,
        Via::Report,
        Via::Resolve,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Import => "import",
            Via::Create => "create",
            Via::Edit => "edit",
            Via::Check => "check",
            Via::Close => "close",
            Via::Retire => "retire",
            Via::Revert => "revert",
            Via::Sync => "sync",
            Via::Report => "report",
            Via::Resolve => "resolve",
        }
    }

    pub fn parse(s: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a person changed the entry by hand (what an import must not silently undo).
    pub fn is_moderation(self) -> bool {
        matches!(self, Via::Create | Via::Edit | Via::Check | Via::Close | Via::Retire | Via::Revert)
    }
}

/// Who makes a change and from where: written into every history row it causes.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The Unix account (never typed, never taken from the environment: `crate::identity`).
    pub who: &'a str,
    pub via: Via,
    /// Where from: the import files, "terminal" (the edit form), "wic edit", the sync source.
    pub origin: &'a str,
}

/// One row of an entry's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    pub seq: i64,
    pub entry: String,
    /// The entry's version after this change.
    pub version: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub who: String,
    pub via: String,
    pub origin: String,
    pub before: Option<Initiative>,
    pub after: Option<Initiative>,
    pub note: String,
}

impl HistoryRow {
    /// The fields that differ between before and after, in catalogue order.
    pub fn changed_fields(&self) -> Vec<&'static str> {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => changed_fields(b, a),
            (None, Some(_)) => vec!["(créée)"],
            _ => Vec::new(),
        }
    }
}

/// The fields whose values differ, in catalogue order.
pub fn changed_fields(before: &Initiative, after: &Initiative) -> Vec<&'static str> {
    changed_values(Some(before), Some(after)).into_iter().map(|(f, _, _)| f).collect()
}

/// (field, before, after) of each field that differs, as canonical CSV cells, in catalogue
/// order; a missing side (a creation) counts as empty.
pub fn changed_values(before: Option<&Initiative>, after: Option<&Initiative>) -> Vec<(&'static str, String, String)> {
    let empty = Initiative::default();
    let b = super::export::csv_row(before.unwrap_or(&empty));
    let a = super::export::csv_row(after.unwrap_or(&empty));
    super::model::FIELDS
        .iter()
        .zip(b.into_iter().zip(a))
        .filter(|(_, (b, a))| b != a)
        .map(|(f, (b, a))| (*f, b, a))
        .collect()
}

pub(super) const SCHEMA: &str = "
CREATE TABLE history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entry TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    origin TEXT NOT NULL,
    before TEXT,
    after TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_entry ON history (entry, seq);
";

/// The time stamp written in history rows and meta: RFC 3339, UTC, to the second.
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Records one change inside the caller's transaction.
pub(super) fn record(
    tx: &Transaction<'_>,
    change: &Change<'_>,
    entry: &str,
    version: i64,
    before: Option<&str>,
    after: Option<&str>,
    note: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO history (entry, version, at, who, via, origin, before, after, note)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        params![entry, version, now_utc(), change.who, change.via.as_str(), change.origin, before, after, note],
    )?;
    Ok(())
}

/// The last change of an entry, if any: (who, at, via).
pub(super) fn last_change(tx: &Transaction<'_>, entry: &str) -> rusqlite::Result<Option<(String, String, String)>> {
    tx.query_row("SELECT who, at, via FROM history WHERE entry = ?1 ORDER BY seq DESC LIMIT 1", [entry], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })
    .optional()
}

/// The last change of an entry if a person made it (an edit, a check…): (who, at, via).
pub(super) fn last_moderation(tx: &Transaction<'_>, entry: &str) -> rusqlite::Result<Option<(String, String, String)>> {
    last_change(tx, entry).map(|row| row.filter(|(_, _, via)| Via::parse(via).is_some_and(Via::is_moderation)))
}
