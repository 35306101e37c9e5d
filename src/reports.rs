//! What visitors flag as wrong ("Signaler une erreur"): an entry, one of five reasons, the day
//! and the kiosk — no free text, nothing that could name a visitor. Staff resolve them from the
//! review queue (fixed / not an error), which records who and when.
//!
//! Reports live in their own SQLite file, `reports.db`, beside `usage.db` and for the same
//! reason: kiosk and staff sessions open the catalogue read-only, and many of them write
//! reports at once (WAL, a busy timeout, `BEGIN IMMEDIATE`). A kiosk's reports travel to the
//! central machine with `wic reports export` / `wic reports import`; a report is known
//! everywhere by its kiosk's name and its number on that kiosk, so importing twice adds nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a visitor flags an entry. Closed: no free text on a public kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    Closed,
    Moved,
    WrongHours,
    WrongPhone,
    Other,
}

impl Reason {
    /// In the order the visitor's menu shows them.
    pub const ALL: [Reason; 5] = [Reason::Closed, Reason::Moved, Reason::WrongHours, Reason::WrongPhone, Reason::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Closed => "closed",
            Reason::Moved => "moved",
            Reason::WrongHours => "wrong-hours",
            Reason::WrongPhone => "wrong-phone",
            Reason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The i18n key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Reason::Closed => "report.closed",
            Reason::Moved => "report.moved",
            Reason::WrongHours => "report.wrong_hours",
            Reason::WrongPhone => "report.wrong_phone",
            Reason::Other => "report.other",
        }
    }
}

/// How staff resolved a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resolution {
    Fixed,
    NotAnError,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Fixed => "fixed",
            Resolution::NotAnError => "not-an-error",
        }
    }

    pub fn parse(s: &str) -> Option<Resolution> {
        [Resolution::Fixed, Resolution::NotAnError].into_iter().find(|r| r.as_str() == s)
    }
}

/// One report, as stored and as exchanged between machines (JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The kiosk it was made on (config `kiosk_name`).
    pub kiosk: String,
    /// Its number on that kiosk.
    pub local_id: i64,
    pub entry: String,
    pub reason: Reason,
    /// `YYYY-MM-DD`: the day only, never the time.
    pub day: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resolved_by: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resolved_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportsError {
    #[error("reports {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{path} line {line}: {reason}")]
    BadLine { path: PathBuf, line: usize, reason: String },
}

/// What an import of reports did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    /// Already known (same kiosk and number); a resolution found in the file is kept.
    pub known: usize,
}

pub struct ReportsDb {
    conn: Connection,
    path: PathBuf,
}

impl ReportsDb {
    /// Opens (creating if needed) `path`.
    pub fn open(path: &Path) -> Result<ReportsDb, ReportsError> {
        let err = |source| ReportsError::Sqlite { path: path.to_path_buf(), source };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS reports (
                 kiosk TEXT NOT NULL, local_id INTEGER NOT NULL, entry TEXT NOT NULL, reason TEXT NOT NULL,
                 day TEXT NOT NULL, resolution TEXT, resolved_by TEXT NOT NULL DEFAULT '',
                 resolved_at TEXT NOT NULL DEFAULT '', PRIMARY KEY (kiosk, local_id)
             );
             CREATE INDEX IF NOT EXISTS reports_entry ON reports (entry);",
        )
        .map_err(err)?;
        Ok(ReportsDb { conn, path: path.to_path_buf() })
    }

    /// Opens `path` if it exists: a reader (the review queue, `wic history`) must not create
    /// the file where no visitor has reported anything yet.
    pub fn open_existing(path: &Path) -> Result<Option<ReportsDb>, ReportsError> {
        if path.exists() { ReportsDb::open(path).map(Some) } else { Ok(None) }
    }

    fn err(&self, source: rusqlite::Error) -> ReportsError {
        ReportsError::Sqlite { path: self.path.clone(), source }
    }

    /// Adds a visitor's report; returns its number on this kiosk.
    pub fn add(&mut self, kiosk: &str, entry: &str, reason: Reason, day: &str) -> Result<i64, ReportsError> {
        let path = self.path.clone();
        let e = |source| ReportsError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(e)?;
        let next: i64 = tx
            .query_row("SELECT coalesce(max(local_id), 0) + 1 FROM reports WHERE kiosk = ?1", [kiosk], |r| r.get(0))
            .map_err(e)?;
        tx.execute(
            "INSERT INTO reports (kiosk, local_id, entry, reason, day) VALUES (?1,?2,?3,?4,?5)",
            params![kiosk, next, entry, reason.as_str(), day],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(next)
    }

    /// Every report, oldest first.
    pub fn all(&self) -> Result<Vec<Report>, ReportsError> {
        self.select("?1 = ''", "")
    }

    /// The reports of one entry, oldest first.
    pub fn of_entry(&self, entry: &str) -> Result<Vec<Report>, ReportsError> {
        self.select("entry = ?1", entry)
    }

    /// Reports no one has resolved yet.
    pub fn open_reports(&self) -> Result<Vec<Report>, ReportsError> {
        self.select("resolution IS NULL AND ?1 = ''", "")
    }

    fn select(&self, cond: &str, arg: &str) -> Result<Vec<Report>, ReportsError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT kiosk, local_id, entry, reason, day, resolution, resolved_by, resolved_at FROM reports
                 WHERE {cond} ORDER BY day, kiosk, local_id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([arg], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        // A reason or resolution this version does not know (a newer kiosk's) is skipped
        // rather than failing the whole queue.
        Ok(rows
            .into_iter()
            .filter_map(|(kiosk, local_id, entry, reason, day, resolution, resolved_by, resolved_at)| {
                Some(Report {
                    kiosk,
                    local_id,
                    entry,
                    reason: Reason::parse(&reason)?,
                    day,
                    resolution: resolution.as_deref().and_then(Resolution::parse),
                    resolved_by,
                    resolved_at,
                })
            })
            .collect())
    }

    /// Marks every open report of `entry` resolved. Returns how many were.
    pub fn resolve_entry(
        &mut self,
        entry: &str,
        resolution: Resolution,
        who: &str,
        at: &str,
    ) -> Result<usize, ReportsError> {
        let path = self.path.clone();
        let e = |source| ReportsError::Sqlite { path: path.clone(), source };
        self.conn
            .execute(
                "UPDATE reports SET resolution = ?1, resolved_by = ?2, resolved_at = ?3
                 WHERE entry = ?4 AND resolution IS NULL",
                params![resolution.as_str(), who, at, entry],
            )
            .map_err(e)
    }

    /// Adds reports from another machine; known ones (same kiosk and number) take a
    /// resolution the file has and this database lacks, nothing else.
    pub fn import(&mut self, reports: &[Report]) -> Result<ImportCounts, ReportsError> {
        let path = self.path.clone();
        let e = |source| ReportsError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(e)?;
        let mut counts = ImportCounts::default();
        for r in reports {
            let known: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM reports WHERE kiosk = ?1 AND local_id = ?2",
                    params![r.kiosk, r.local_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(e)?;
            if known.is_some() {
                counts.known += 1;
                if let Some(res) = r.resolution {
                    tx.execute(
                        "UPDATE reports SET resolution = ?1, resolved_by = ?2, resolved_at = ?3
                         WHERE kiosk = ?4 AND local_id = ?5 AND resolution IS NULL",
                        params![res.as_str(), r.resolved_by, r.resolved_at, r.kiosk, r.local_id],
                    )
                    .map_err(e)?;
                }
                continue;
            }
            tx.execute(
                "INSERT INTO reports (kiosk, local_id, entry, reason, day, resolution, resolved_by, resolved_at)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                params![
                    r.kiosk,
                    r.local_id,
                    r.entry,
                    r.reason.as_str(),
                    r.day,
                    r.resolution.map(Resolution::as_str),
                    r.resolved_by,
                    r.resolved_at
                ],
            )
            .map_err(e)?;
            counts.added += 1;
        }
        tx.commit().map_err(e)?;
        Ok(counts)
    }
}

/// Reads reports written as JSON Lines (`wic reports export`), naming the line of a bad one.
pub fn parse_lines(path: &Path, text: &str) -> Result<Vec<Report>, ReportsError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str::<Report>(l).map_err(|e| ReportsError::BadLine {
                path: path.to_path_buf(),
                line: n + 1,
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, ReportsDb) {
        let dir = tempfile::tempdir().unwrap();
        let db = ReportsDb::open(&dir.path().join("reports.db")).unwrap();
        (dir, db)
    }

    #[test]
    fn numbers_per_kiosk_and_resolution() {
        let (_d, mut db) = db();
        assert_eq!(db.add("nanterre-1", "restos-nanterre", Reason::Closed, "2026-12-02").unwrap(), 1);
        assert_eq!(db.add("nanterre-1", "repair-cafe", Reason::WrongPhone, "2026-12-02").unwrap(), 2);
        assert_eq!(db.add("clichy", "repair-cafe", Reason::Moved, "2026-12-02").unwrap(), 1);
        assert_eq!(db.open_reports().unwrap().len(), 3);
        assert_eq!(db.resolve_entry("repair-cafe", Resolution::Fixed, "alice", "2026-12-02T10:00:00Z").unwrap(), 2);
        let open = db.open_reports().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].entry, "restos-nanterre");
        let fixed = db.of_entry("repair-cafe").unwrap();
        assert!(fixed.iter().all(|r| r.resolved_by == "alice" && r.resolution == Some(Resolution::Fixed)));
    }

    #[test]
    fn importing_twice_adds_once() {
        let (_d, mut kiosk) = db();
        kiosk.add("clichy", "a-b-c", Reason::WrongHours, "2026-12-01").unwrap();
        let lines: String = kiosk.all().unwrap().iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
        let parsed = parse_lines(Path::new("x.jsonl"), &lines).unwrap();
        let (_e, mut central) = db();
        assert_eq!(central.import(&parsed).unwrap(), ImportCounts { added: 1, known: 0 });
        assert_eq!(central.import(&parsed).unwrap(), ImportCounts { added: 0, known: 1 });
        assert_eq!(central.all().unwrap(), kiosk.all().unwrap());
    }

    #[test]
    fn a_bad_line_is_named() {
        let err = parse_lines(Path::new("r.jsonl"), "\n{\"kiosk\":1}\n").unwrap_err();
        assert!(err.to_string().starts_with("r.jsonl line 2:"), "{err}");
    }
}
