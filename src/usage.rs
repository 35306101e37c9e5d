//! Anonymous usage figures: how many searches, which themes, which initiatives were looked at,
//! so that the Département knows what the kiosks are for. Only counts per day: never a time of
//! day, never anything that could tell one visitor from another.
//!
//! One exception about what was typed, aggregated so that it names no one: the words kiosk
//! visitors searched without finding anything (or left without opening a result), so that
//! administrators learn what the catalogue lacks. Letters only, at most 40, and a word reaches
//! the disk only once this session has seen it in [`MISSED_THRESHOLD`] separate visits; below
//! that it is kept in memory only and lost at exit ([`Usage::missed_visit`]).
//!
//! Counting happens in memory ([`Usage::record`] costs a hash-map increment, nothing on the
//! disk); [`Usage::flush`] adds the counts to `usage.db` in one short transaction. It is a
//! separate SQLite file from the catalogue, because kiosk and staff sessions open the
//! catalogue read-only and many sessions write these counters at once: WAL, a busy timeout and
//! `BEGIN IMMEDIATE` make concurrent writers queue instead of failing with "database is
//! locked". A failure here must never break browsing: every error is returned for the UI to
//! log or ignore, and unsaved counts are kept for the next flush.
//!
//! A fleet's kiosks send their counters to the central machine (`wic usage export` there,
//! `wic usage import` here): they are kept per kiosk in `fleet_usage`, each counter replaced by
//! the larger of the two (a day's count only grows), so importing the same file again changes
//! nothing, and [`read_rows`] adds them to the machine's own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// How long a flush waits for other sessions' flushes (each takes milliseconds).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Above this many distinct unsaved counters (a usage.db that cannot be written for days),
/// new events are dropped rather than letting a kiosk's memory grow without bound.
const MAX_PENDING: usize = 50_000;
/// A word a visitor searched without success is written only once typed in this many
/// separate visits ([`Usage::missed_visit`]).
pub const MISSED_THRESHOLD: u32 = 3;
/// Longest word kept (a longer one is not a word a catalogue could add).
pub const MISSED_MAX_CHARS: usize = 40;
/// How many distinct words below the threshold a session remembers (in memory only).
const MAX_TALLY: usize = 10_000;
/// The stored event name of a missed word (its key is the word).
pub const MISSED_WORD: &str = "missed_word";

/// Who is using the program: a visitor at a kiosk, or staff (over SSH).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionMode {
    Kiosk,
    Staff,
}

impl SessionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionMode::Kiosk => "kiosk",
            SessionMode::Staff => "staff",
        }
    }
}

/// What is counted. Carries catalogue identifiers only, never typed text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    /// A search was made (once per query a visitor settled on, not per keystroke).
    Search,
    /// The same search found nothing (counted in addition to `Search`).
    SearchNoResult,
    /// A theme was opened (its slug).
    ThemeOpened(String),
    /// An initiative's detail was shown (its id).
    DetailViewed(String),
    ShortlistExported,
    TicketPrinted,
    /// A kiosk cleared itself after a visit.
    IdleReset,
}

impl Event {
    /// The stored `(event, key)` pair.
    fn name_and_key(&self) -> (&'static str, &str) {
        match self {
            Event::Search => ("search", ""),
            Event::SearchNoResult => ("search_no_result", ""),
            Event::ThemeOpened(slug) => ("theme_opened", slug),
            Event::DetailViewed(id) => ("detail_viewed", id),
            Event::ShortlistExported => ("shortlist_exported", ""),
            Event::TicketPrinted => ("ticket_printed", ""),
            Event::IdleReset => ("idle_reset", ""),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("usage figures {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
}

/// The counters of one session; flushed to `usage.db` in batches.
pub struct Usage {
    path: PathBuf,
    mode: SessionMode,
    /// (day `YYYY-MM-DD`, event, key) → count not yet written.
    pending: HashMap<(String, &'static str, String), u64>,
    /// Missed words below [`MISSED_THRESHOLD`]: in how many visits each was typed. Memory
    /// only, never written: a word one visitor typed dies with the session.
    tally: HashMap<String, u32>,
    conn: Option<Connection>,
}

/// The words of a search that found nothing (or that the visitor left without opening
/// anything) that may be kept at all: lower-case letters only — a chunk with a digit (a
/// phone number, a postcode, a date) or an `@` (an address) is dropped whole — 2 to
/// [`MISSED_MAX_CHARS`] letters, each once.
pub fn missed_words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for chunk in query.split_whitespace() {
        if chunk.chars().any(|c| c.is_numeric() || c == '@') {
            continue;
        }
        for word in chunk.split(|c: char| !c.is_alphabetic() && c != '-') {
            let word = word.trim_matches('-').to_lowercase();
            let n = word.chars().count();
            if (2..=MISSED_MAX_CHARS).contains(&n)
                && word.chars().all(|c| c.is_alphabetic() || c == '-')
                && !out.contains(&word)
            {
                out.push(word);
            }
        }
    }
    out
}

impl Usage {
    /// Counters for a session writing to `path` (usually `DataDir::usage_path()`). Opens
    /// nothing yet: a missing or read-only data directory only shows at the first flush.
    pub fn new(path: impl Into<PathBuf>, mode: SessionMode) -> Usage {
        Usage { path: path.into(), mode, pending: HashMap::new(), tally: HashMap::new(), conn: None }
    }

    /// Counts `event` today (Paris time, where the kiosks are).
    pub fn record(&mut self, event: Event) {
        self.record_on(&today_paris(), event);
    }

    /// Counts `event` on `day` (`YYYY-MM-DD`): for tests and imports of old figures.
    pub fn record_on(&mut self, day: &str, event: Event) {
        let (name, key) = event.name_and_key();
        let k = (day.to_string(), name, key.to_string());
        if self.pending.len() >= MAX_PENDING && !self.pending.contains_key(&k) {
            return;
        }
        *self.pending.entry(k).or_insert(0) += 1;
    }

    /// One visit's missed words (already [`missed_words`], each once). A word is written
    /// (today, as a count of visits) only when this session has seen it in
    /// [`MISSED_THRESHOLD`] separate visits; below that it stays in memory and is lost at exit.
    pub fn missed_visit(&mut self, words: &[String]) {
        self.missed_visit_on(&today_paris(), words);
    }

    /// [`Usage::missed_visit`] on `day`, for tests.
    pub fn missed_visit_on(&mut self, day: &str, words: &[String]) {
        for word in words {
            let word = word.to_lowercase();
            if word.chars().count() > MISSED_MAX_CHARS || !word.chars().all(|c| c.is_alphabetic() || c == '-') {
                continue;
            }
            let full = self.tally.len() >= MAX_TALLY;
            let seen = match self.tally.get_mut(&word) {
                Some(n) => {
                    *n = n.saturating_add(1);
                    *n
                }
                None if !full => {
                    self.tally.insert(word.clone(), 1);
                    1
                }
                None => continue,
            };
            // The visit that reaches the threshold writes all of them at once; later ones one each.
            let add = match seen.cmp(&MISSED_THRESHOLD) {
                std::cmp::Ordering::Less => continue,
                std::cmp::Ordering::Equal => MISSED_THRESHOLD as u64,
                std::cmp::Ordering::Greater => 1,
            };
            let k = (day.to_string(), MISSED_WORD, word);
            if self.pending.len() >= MAX_PENDING && !self.pending.contains_key(&k) {
                continue;
            }
            *self.pending.entry(k).or_insert(0) += add;
        }
    }

    /// How many events are counted but not yet written.
    pub fn pending(&self) -> u64 {
        self.pending.values().sum()
    }

    /// Adds the pending counts to `usage.db` in one transaction. On error nothing is lost: the
    /// counts stay pending for the next flush.
    pub fn flush(&mut self) -> Result<(), UsageError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |source| UsageError::Sqlite { path: path.clone(), source };
        if self.conn.is_none() {
            self.conn = Some(open(&self.path).map_err(err)?);
        }
        let conn = self.conn.as_mut().expect("opened above");
        let result = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut put = tx.prepare_cached(
                    "INSERT INTO usage (day, mode, event, key, count) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (day, mode, event, key) DO UPDATE SET count = count + excluded.count",
                )?;
                for ((day, event, key), count) in &self.pending {
                    put.execute(params![day, self.mode.as_str(), event, key, *count as i64])?;
                }
            }
            tx.commit()
        })();
        match result {
            Ok(()) => {
                self.pending.clear();
                Ok(())
            }
            Err(e) => {
                // A broken connection is reopened next time.
                self.conn = None;
                Err(err(e))
            }
        }
    }
}

impl Drop for Usage {
    /// Last chance to save: at exit, or when a session ends without the UI flushing.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Opens (creating if needed) `usage.db` for writing.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Switching to WAL needs a moment alone with the file; when many sessions create the
    // file at once, one wins and the others see WAL already set.
    retry_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)).map(|_| ()))?;
    conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
    retry_busy(|| conn.execute_batch(SCHEMA))?;
    Ok(conn)
}

/// Opens an existing `usage.db` read-only, for `wic stats`.
pub fn open_read(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Some statements (the journal-mode switch) return SQLITE_BUSY without waiting on the busy
/// handler; retry them for a few seconds.
fn retry_busy(mut f: impl FnMut() -> rusqlite::Result<()>) -> rusqlite::Result<()> {
    let mut tries = 0;
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy && tries < 200 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS usage (
    day TEXT NOT NULL, mode TEXT NOT NULL, event TEXT NOT NULL, key TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL,
    PRIMARY KEY (day, mode, event, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fleet_usage (
    kiosk TEXT NOT NULL, day TEXT NOT NULL, mode TEXT NOT NULL, event TEXT NOT NULL,
    key TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL,
    PRIMARY KEY (kiosk, day, mode, event, key)
) WITHOUT ROWID;";

/// Today's date in Paris, `YYYY-MM-DD` (the system's zone if Paris is unknown).
pub fn today_paris() -> String {
    crate::day::key(crate::hours::paris_now().date())
}

/// One stored counter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub day: String,
    pub mode: String,
    pub event: String,
    pub key: String,
    pub count: u64,
}

/// Every counter from `since` (inclusive, `YYYY-MM-DD`) on, ordered by day: this machine's,
/// plus the fleet's kiosks' when some were imported.
pub fn read_rows(conn: &Connection, since: &str) -> rusqlite::Result<Vec<Row>> {
    // A usage.db written before fleets (or never imported into) has no fleet_usage table, and
    // a read-only connection does not create it.
    let fleet: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'fleet_usage'",
        [],
        |r| r.get(0),
    )?;
    let sql = if fleet {
        "SELECT day, mode, event, key, sum(count) FROM (
             SELECT day, mode, event, key, count FROM usage
             UNION ALL SELECT day, mode, event, key, count FROM fleet_usage
         ) WHERE day >= ?1 GROUP BY day, mode, event, key ORDER BY day, mode, event, key"
    } else {
        "SELECT day, mode, event, key, count FROM usage WHERE day >= ?1 ORDER BY day, mode, event, key"
    };
    let mut stmt = conn.prepare(sql)?;
    stmt.query_map([since], |r| {
        Ok(Row { day: r.get(0)?, mode: r.get(1)?, event: r.get(2)?, key: r.get(3)?, count: r.get::<_, i64>(4)? as u64 })
    })?
    .collect()
}

/// A counter as it travels from a kiosk to the central machine (JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KioskRow {
    /// The kiosk's `kiosk_name`.
    pub kiosk: String,
    #[serde(flatten)]
    pub row: Row,
}

/// This machine's own counters, named after it, for `wic usage export`.
pub fn export_rows(conn: &Connection, kiosk: &str) -> rusqlite::Result<Vec<KioskRow>> {
    Ok(read_own(conn)?.into_iter().map(|row| KioskRow { kiosk: kiosk.to_string(), row }).collect())
}

fn read_own(conn: &Connection) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare("SELECT day, mode, event, key, count FROM usage ORDER BY day, mode, event, key")?;
    stmt.query_map([], |r| {
        Ok(Row { day: r.get(0)?, mode: r.get(1)?, event: r.get(2)?, key: r.get(3)?, count: r.get::<_, i64>(4)? as u64 })
    })?
    .collect()
}

/// What an import of kiosks' counters did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FleetImport {
    /// Counters not seen before.
    pub added: usize,
    /// Counters that had grown since the last import.
    pub grown: usize,
    /// Counters already known with this count or more.
    pub known: usize,
}

/// Adds kiosks' counters in one transaction; each keeps the larger count (idempotent).
pub fn import_fleet(conn: &mut Connection, rows: &[KioskRow]) -> rusqlite::Result<FleetImport> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut out = FleetImport::default();
    for KioskRow { kiosk, row } in rows {
        let old: Option<i64> = tx
            .query_row(
                "SELECT count FROM fleet_usage WHERE kiosk = ?1 AND day = ?2 AND mode = ?3 AND event = ?4 AND key = ?5",
                params![kiosk, row.day, row.mode, row.event, row.key],
                |r| r.get(0),
            )
            .optional()?;
        let count = row.count as i64;
        match old {
            Some(old) if old >= count => out.known += 1,
            old => {
                if old.is_some() {
                    out.grown += 1
                } else {
                    out.added += 1
                }
                tx.execute(
                    "INSERT INTO fleet_usage (kiosk, day, mode, event, key, count) VALUES (?1,?2,?3,?4,?5,?6)
                     ON CONFLICT (kiosk, day, mode, event, key) DO UPDATE SET count = excluded.count",
                    params![kiosk, row.day, row.mode, row.event, row.key, count],
                )?;
            }
        }
    }
    tx.commit()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosks_counters_add_to_the_central_ones_once() {
        let dir = tempfile::tempdir().unwrap();
        let kiosk_path = dir.path().join("kiosk.db");
        let mut k = Usage::new(&kiosk_path, SessionMode::Kiosk);
        k.record_on("2026-12-01", Event::Search);
        k.record_on("2026-12-01", Event::Search);
        k.flush().unwrap();
        let exported = export_rows(&open(&kiosk_path).unwrap(), "clichy").unwrap();
        let central_path = dir.path().join("central.db");
        let mut c = Usage::new(&central_path, SessionMode::Kiosk);
        c.record_on("2026-12-01", Event::Search);
        c.flush().unwrap();
        let mut conn = open(&central_path).unwrap();
        assert_eq!(import_fleet(&mut conn, &exported).unwrap(), FleetImport { added: 1, grown: 0, known: 0 });
        assert_eq!(import_fleet(&mut conn, &exported).unwrap(), FleetImport { added: 0, grown: 0, known: 1 });
        let rows = read_rows(&open_read(&central_path).unwrap(), "2026-01-01").unwrap();
        assert_eq!(rows.iter().find(|r| r.event == "search").unwrap().count, 3);
        // The central machine's own export stays its own.
        assert_eq!(export_rows(&conn, "central").unwrap()[0].row.count, 1);
    }

    #[test]
    fn counts_add_up_across_flushes_and_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.db");
        let mut u = Usage::new(&path, SessionMode::Kiosk);
        u.record_on("2026-11-28", Event::Search);
        u.record_on("2026-11-28", Event::Search);
        u.record_on("2026-11-28", Event::ThemeOpened("se-nourrir".into()));
        u.flush().unwrap();
        assert_eq!(u.pending(), 0);
        u.record_on("2026-11-28", Event::Search);
        drop(u);
        let rows = read_rows(&open_read(&path).unwrap(), "2026-01-01").unwrap();
        let search = rows.iter().find(|r| r.event == "search").unwrap();
        assert_eq!(search.count, 3);
        assert_eq!(search.mode, "kiosk");
        assert!(rows.iter().any(|r| r.event == "theme_opened" && r.key == "se-nourrir" && r.count == 1));
    }

    #[test]
    fn an_unwritable_place_is_an_error_and_keeps_the_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut u = Usage::new(dir.path().join("missing-dir").join("usage.db"), SessionMode::Staff);
        u.record(Event::IdleReset);
        assert!(u.flush().is_err());
        assert_eq!(u.pending(), 1);
    }
}
