//! The catalogue database: SQLite, the source of truth.
//!
//! Many processes read it at once (one per kiosk or SSH session) and only `wic import` writes.
//! Readers open it read-only, and on an installation they run as other accounts than the
//! writer, in a directory they cannot write (SECURITY.md, "The data directory"): so the
//! journal is SQLite's rollback journal, not WAL, whose readers must be able to create the
//! `-shm` file beside the database. A write blocks readers only while it commits (they wait
//! behind `busy_timeout`); searches never read this file, they read the index. Writers take
//! the write lock up front (`BEGIN IMMEDIATE`) so that writers take the write lock up front (`BEGIN IMMEDIATE`) so that
//! two writers queue behind `busy_timeout` instead of failing with "database is locked".
//! Every write bumps `catalogue_version`, which the search index records to know if it is stale.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::history::{self, Change, HistoryRow};
use super::model::Initiative;
use super::reference::{Commune, Reference, Theme};

/// How long a connection waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The schema this code reads and writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 3;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("catalogue {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("catalogue {0} does not exist")]
    Missing(PathBuf),
    #[error(
        "catalogue {path} has schema version {found}, newer than this program knows ({SCHEMA_VERSION}): upgrade wic"
    )]
    TooNew { path: PathBuf, found: i64 },
    #[error("catalogue {path}: stored record {id} is unreadable: {reason}")]
    Corrupt { path: PathBuf, id: String, reason: String },
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What an upsert changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UpsertCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Store {
    /// Opens (creating and migrating if needed) for writing. Seeds the reference tables from
    /// the embedded files when they are empty.
    pub fn open_write(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| sql(path, e))?;
        let store = Store { conn, path: path.to_path_buf() };
        store.configure(true)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing catalogue read-only: kiosks, staff sessions, search, export.
    pub fn open_read(path: &Path) -> Result<Store, StoreError> {
        Store::open_read_once(path, true)
    }

    /// [`Store::open_read`]; `repair`: roll a hot journal back (once) if it is found.
    fn open_read_once(path: &Path, repair: bool) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| sql(path, e))?;
        let store = Store { conn, path: path.to_path_buf() };
        store.configure(false)?;
        let found: i64 = match store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
            Ok(v) => v,
            // A writer killed mid-transaction left its rollback journal ("hot"): only a
            // connection that may write can roll it back. If this account may (the kiosk's
            // service user, a single-user directory), do it once and read again; a staff
            // session that may not reports it, and the service's next start repairs it.
            Err(rusqlite::Error::SqliteFailure(e, _)) if repair && e.code == rusqlite::ErrorCode::ReadOnly => {
                drop(store);
                let rollback = Connection::open(path)
                    .and_then(|c| c.busy_timeout(BUSY_TIMEOUT).map(|()| c))
                    .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)));
                rollback.map_err(|e| sql(path, e))?;
                return Store::open_read_once(path, false);
            }
            Err(e) => return Err(sql(path, e)),
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: path.to_path_buf(), found });
        }
        if found < 1 {
            // An empty or half-created file: nothing a reader can use.
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        if found < SCHEMA_VERSION {
            // A catalogue written by the previous version, read first by a kiosk after an
            // upgrade: migrate it once (each step is one transaction), then read as usual.
            drop(store);
            drop(Store::open_write(path)?);
            return Store::open_read(path);
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self, write: bool) -> Result<(), StoreError> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        if write {
            // A catalogue written by an earlier version is in WAL mode: back to the rollback
            // journal (see the module's comment). Leaving WAL needs every other connection
            // closed; if one is open the change waits for a later write, and WAL still works
            // for readers that may write beside it (the single-user layout).
            let mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).map_err(|e| self.err(e))?;
            if mode.eq_ignore_ascii_case("wal") {
                // Without waiting: a reader open now only postpones the change.
                self.conn.busy_timeout(Duration::ZERO).map_err(|e| self.err(e))?;
                let _ = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0));
                self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
            }
            self.conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql(&self.path, e)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let found: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: self.path.clone(), found });
        }
        if found < 1 {
            self.conn.execute_batch(SCHEMA_V1).map_err(|e| self.err(e))?;
        }
        if found < 2 {
            self.conn.execute_batch(&schema_v2()).map_err(|e| self.err(e))?;
        }
        if found < 3 {
            self.conn.execute_batch(SCHEMA_V3).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Fills the themes and communes tables from `reference` where they are empty.
    pub fn seed_reference(&mut self, reference: &Reference) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| sql(&path, e))?;
        let themes: i64 = tx.query_row("SELECT count(*) FROM themes", [], |r| r.get(0)).map_err(|e| sql(&path, e))?;
        if themes == 0 {
            for (pos, t) in reference.themes.iter().enumerate() {
                tx.execute(
                    "INSERT INTO themes (slug, key, label_fr, label_en, hint_fr, hint_en, position) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                    params![t.slug, t.key, t.label_fr, t.label_en, t.hint_fr, t.hint_en, pos as i64],
                )
                .map_err(|e| sql(&path, e))?;
            }
        }
        let communes: i64 =
            tx.query_row("SELECT count(*) FROM communes", [], |r| r.get(0)).map_err(|e| sql(&path, e))?;
        if communes == 0 {
            for c in &reference.communes {
                tx.execute(
                    "INSERT INTO communes (insee, name, postcode, lat, lon) VALUES (?1,?2,?3,?4,?5)",
                    params![c.insee, c.name, c.postcode, c.lat, c.lon],
                )
                .map_err(|e| sql(&path, e))?;
            }
        }
        if themes == 0 || communes == 0 {
            bump_version(&tx).map_err(|e| sql(&path, e))?;
        }
        tx.commit().map_err(|e| sql(&path, e))
    }

    /// The themes and communes as stored (administrators may have changed the themes).
    pub fn reference(&self) -> Result<Reference, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT slug, key, label_fr, label_en, hint_fr, hint_en FROM themes ORDER BY position, slug")
            .map_err(|e| self.err(e))?;
        let themes = stmt
            .query_map([], |r| {
                Ok(Theme {
                    slug: r.get(0)?,
                    key: r.get(1)?,
                    label_fr: r.get(2)?,
                    label_en: r.get(3)?,
                    hint_fr: r.get(4)?,
                    hint_en: r.get(5)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare("SELECT insee, name, postcode, lat, lon FROM communes ORDER BY name")
            .map_err(|e| self.err(e))?;
        let communes = stmt
            .query_map([], |r| {
                Ok(Commune { insee: r.get(0)?, name: r.get(1)?, postcode: r.get(2)?, lat: r.get(3)?, lon: r.get(4)? })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        Ok(Reference { themes, communes })
    }

    /// The number bumped by every change; the index records the one it was built from.
    pub fn version(&self) -> Result<u64, StoreError> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'catalogue_version'", [], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// When the catalogue last changed (RFC 3339, UTC), for the About screen.
    pub fn changed_at(&self) -> Result<String, StoreError> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'changed_at'", [], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(v.unwrap_or_default())
    }

    pub fn count(&self) -> Result<usize, StoreError> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM initiatives", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        Ok(n as usize)
    }

    /// Every initiative, ordered by id.
    pub fn all(&self) -> Result<Vec<Initiative>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, record FROM initiatives ORDER BY id").map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(id, json)| {
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                    path: self.path.clone(),
                    id,
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    pub fn get(&self, id: &str) -> Result<Option<Initiative>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT record FROM initiatives WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        json.map(|j| {
            serde_json::from_str(&j).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                id: id.to_string(),
                reason: e.to_string(),
            })
        })
        .transpose()
    }

    /// Inserts or replaces the given initiatives in one transaction, bumping the version once
    /// if anything changed and recording each change in the history. Either all are written or
    /// none. Moderators' edits are overwritten: imports go through [`Store::import`].
    pub fn upsert(&mut self, items: &[Initiative], change: &Change<'_>) -> Result<UpsertCounts, StoreError> {
        Ok(self.write_all(items, change, ImportPolicy::Overwrite, false, &[])?.counts)
    }

    /// An import: like [`Store::upsert`], but an entry a moderator changed by hand since is
    /// decided by `policy` (docs/CATALOGUE.md, "Imports and moderators' edits"), and every
    /// such case is listed in the outcome.
    pub fn import(
        &mut self,
        items: &[Initiative],
        change: &Change<'_>,
        policy: ImportPolicy,
    ) -> Result<WriteOutcome, StoreError> {
        self.write_all(items, change, policy, false, &[])
    }

    /// A signed bundle from the central machine: every entry of `items` written as it is,
    /// every stored entry absent from it set to `inactif` (kept, never deleted), and `meta`
    /// (the bundle's version, its ETag…) written, all in one transaction.
    pub fn replace_all(
        &mut self,
        items: &[Initiative],
        change: &Change<'_>,
        meta: &[(&str, &str)],
    ) -> Result<WriteOutcome, StoreError> {
        self.write_all(items, change, ImportPolicy::Overwrite, true, meta)
    }

    fn write_all(
        &mut self,
        items: &[Initiative],
        change: &Change<'_>,
        policy: ImportPolicy,
        retire_absent: bool,
        meta: &[(&str, &str)],
    ) -> Result<WriteOutcome, StoreError> {
        let path = self.path.clone();
        let e = |e| sql(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(e)?;
        let mut out = WriteOutcome::default();
        {
            let mut get = tx.prepare("SELECT record, version FROM initiatives WHERE id = ?1").map_err(e)?;
            for item in items {
                let json = serde_json::to_string(item).expect("an Initiative always serialises");
                let old: Option<(String, i64)> =
                    get.query_row([&item.id], |r| Ok((r.get(0)?, r.get(1)?))).optional().map_err(e)?;
                let (before, version) = match &old {
                    Some((old, _)) if *old == json => {
                        out.counts.unchanged += 1;
                        continue;
                    }
                    Some((old, v)) => (Some(old.as_str()), v + 1),
                    None => (None, 1),
                };
                let mut note = String::new();
                if let Some(before) = before
                    && let Some((who, at, _)) = history::last_moderation(&tx, &item.id).map_err(e)?
                {
                    let stored: Initiative = serde_json::from_str(before).unwrap_or_default();
                    let newer = item.updated.as_str() > at.get(..10).unwrap_or("");
                    let kept = policy == ImportPolicy::KeepEdits && !newer;
                    out.conflicts.push(Conflict {
                        id: item.id.clone(),
                        who: who.clone(),
                        at: at.clone(),
                        fields: history::changed_fields(&stored, item),
                        kept,
                    });
                    if kept {
                        out.counts.unchanged += 1;
                        continue;
                    }
                    note = format!("replaces the change of {who} on {at}");
                }
                if before.is_some() {
                    out.counts.updated += 1;
                } else {
                    out.counts.added += 1;
                }
                put_record(&tx, item, &json, version).map_err(e)?;
                history::record(&tx, change, &item.id, version, before, Some(&json), &note).map_err(e)?;
            }
        }
        if retire_absent {
            let keep: std::collections::HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
            let stored: Vec<(String, String, i64)> = {
                let mut stmt =
                    tx.prepare("SELECT id, record, version FROM initiatives WHERE status != 'inactif'").map_err(e)?;
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                    .map_err(e)?
            };
            for (id, json, version) in stored.into_iter().filter(|(id, _, _)| !keep.contains(id.as_str())) {
                let mut item: Initiative = serde_json::from_str(&json).map_err(|err| StoreError::Corrupt {
                    path: path.clone(),
                    id: id.clone(),
                    reason: err.to_string(),
                })?;
                item.status = "inactif".into();
                let after = serde_json::to_string(&item).expect("an Initiative always serialises");
                put_record(&tx, &item, &after, version + 1).map_err(e)?;
                history::record(&tx, change, &id, version + 1, Some(&json), Some(&after), "absent from the bundle")
                    .map_err(e)?;
                out.retired += 1;
            }
        }
        for (key, value) in meta {
            set_meta(&tx, key, value).map_err(e)?;
        }
        if out.counts.added + out.counts.updated + out.retired > 0 {
            bump_version(&tx).map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(out)
    }

    /// One entry and its version (what an edit form is opened on).
    pub fn get_versioned(&self, id: &str) -> Result<Option<(Initiative, i64)>, StoreError> {
        let row: Option<(String, i64)> = self
            .conn
            .query_row("SELECT record, version FROM initiatives WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(j, v)| {
            serde_json::from_str(&j).map(|i| (i, v)).map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                id: id.to_string(),
                reason: e.to_string(),
            })
        })
        .transpose()
    }

    /// Writes one entry on behalf of a person, if it is still at `base` (0: the entry must not
    /// exist yet). The optimistic check and the write are one transaction, so of two
    /// moderators saving the same version, exactly one succeeds. Returns the new version.
    pub fn write_entry(
        &mut self,
        item: &Initiative,
        base: i64,
        change: &Change<'_>,
        note: &str,
    ) -> Result<Result<i64, VersionConflict>, StoreError> {
        let path = self.path.clone();
        let e = |e| sql(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(e)?;
        let old = match at_version(&tx, &item.id, base).map_err(e)? {
            Ok(old) => old,
            Err(conflict) => return Ok(Err(conflict)),
        };
        let json = serde_json::to_string(item).expect("an Initiative always serialises");
        let version = base + 1;
        put_record(&tx, item, &json, version).map_err(e)?;
        history::record(&tx, change, &item.id, version, old.as_deref(), Some(&json), note).map_err(e)?;
        bump_version(&tx).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(Ok(version))
    }

    /// Four-eyes review (`review = "four-eyes"`): holds a person's change of one entry until
    /// a second moderator approves it. Nothing of the catalogue changes, so kiosks and the
    /// index go on showing the approved version. Refused like a save if the entry moved on
    /// since `base`; a newer proposal for the same entry replaces the older one.
    pub fn propose(
        &mut self,
        item: &Initiative,
        base: i64,
        change: &Change<'_>,
    ) -> Result<Result<(), VersionConflict>, StoreError> {
        let path = self.path.clone();
        let e = |e| sql(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(e)?;
        if let Err(conflict) = at_version(&tx, &item.id, base).map_err(e)? {
            return Ok(Err(conflict));
        }
        let json = serde_json::to_string(item).expect("an Initiative always serialises");
        tx.execute(
            "INSERT INTO pending (entry, base, record, who, via, at) VALUES (?1,?2,?3,?4,?5,?6)
             ON CONFLICT(entry) DO UPDATE SET base=excluded.base, record=excluded.record, who=excluded.who,
               via=excluded.via, at=excluded.at",
            params![item.id, base, json, change.who, change.via.as_str(), history::now_utc()],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(Ok(()))
    }

    /// Changes waiting for a second moderator, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT entry, base, record, who, via, at FROM pending ORDER BY at, entry")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<(String, i64, String, String, String, String)>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(entry, base, json, who, via, at)| {
                let item = serde_json::from_str(&json).map_err(|err| StoreError::Corrupt {
                    path: self.path.clone(),
                    id: entry.clone(),
                    reason: err.to_string(),
                })?;
                Ok(Pending { entry, base, item, who, via, at })
            })
            .collect()
    }

    /// A second moderator approves the change held for `entry`: it is written (recorded in the
    /// history with both names) and leaves the queue. The one who proposed it cannot approve it.
    pub fn approve(&mut self, entry: &str, approver: &str) -> Result<Result<i64, Refusal>, StoreError> {
        let Some(p) = self.pending()?.into_iter().find(|p| p.entry == entry) else {
            return Ok(Err(Refusal::NothingPending));
        };
        if p.who == approver {
            return Ok(Err(Refusal::SameModerator));
        }
        let via = history::Via::parse(&p.via).unwrap_or(history::Via::Edit);
        let origin = format!("four-eyes: proposed by {} at {}", p.who, p.at);
        let note = format!("approved by {approver}");
        let change = Change { who: &p.who, via, origin: &origin };
        match self.write_entry(&p.item, p.base, &change, &note)? {
            Ok(version) => {
                self.conn.execute("DELETE FROM pending WHERE entry = ?1", [entry]).map_err(|e| self.err(e))?;
                Ok(Ok(version))
            }
            Err(conflict) => Ok(Err(Refusal::Conflict(conflict))),
        }
    }

    /// Every change of one entry, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<HistoryRow>, StoreError> {
        self.history_where("entry = ?1", id)
    }

    /// Every change since `since` (RFC 3339, UTC), oldest first: the day's changes for staff.
    pub fn changes_since(&self, since: &str) -> Result<Vec<HistoryRow>, StoreError> {
        self.history_where("at >= ?1", since)
    }

    fn history_where(&self, cond: &str, arg: &str) -> Result<Vec<HistoryRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT seq, entry, version, at, who, via, origin, before, after, note FROM history WHERE {cond} ORDER BY seq"
            ))
            .map_err(|e| self.err(e))?;
        let parse = |j: Option<String>| j.and_then(|j| serde_json::from_str::<Initiative>(&j).ok());
        stmt.query_map([arg], |r| {
            Ok(HistoryRow {
                seq: r.get(0)?,
                entry: r.get(1)?,
                version: r.get(2)?,
                at: r.get(3)?,
                who: r.get(4)?,
                via: r.get(5)?,
                origin: r.get(6)?,
                before: parse(r.get(7)?),
                after: parse(r.get(8)?),
                note: r.get(9)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| self.err(e))
    }

    /// A value of the `meta` table (`bundle_version`, `bundle_etag`…).
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Copies the database to `dest` with SQLite's online backup API: a consistent snapshot
    /// even while other processes read or an import writes (a write during the copy makes
    /// SQLite restart it, so the copy is always of one version). `dest` is overwritten.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        let mut out = Connection::open(dest).map_err(|e| sql(dest, e))?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out).map_err(|e| sql(dest, e))?;
        // Small steps with pauses between them let readers and writers in meanwhile.
        backup.run_to_completion(256, Duration::from_millis(5), None).map_err(|e| sql(dest, e))?;
        drop(backup);
        // A backup is one self-contained file: no -wal or -shm beside it to lose on a copy.
        out.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0)).map_err(|e| sql(dest, e))?;
        Ok(())
    }

    /// Runs SQLite's own consistency check ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.err(e))
    }
}

fn put_record(tx: &rusqlite::Transaction<'_>, item: &Initiative, json: &str, version: i64) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO initiatives (id, name, commune, status, updated, record, version) VALUES (?1,?2,?3,?4,?5,?6,?7)
         ON CONFLICT(id) DO UPDATE SET name=excluded.name, commune=excluded.commune, status=excluded.status,
           updated=excluded.updated, record=excluded.record, version=excluded.version",
        params![item.id, item.name, item.commune, item.status, item.updated, json, version],
    )?;
    Ok(())
}

/// The optimistic check of a person's write: the entry's stored record if it is still at
/// `base` (None: it does not exist, and `base` is 0), else who changed it since and when.
fn at_version(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    base: i64,
) -> rusqlite::Result<Result<Option<String>, VersionConflict>> {
    let old: Option<(String, i64)> = tx
        .query_row("SELECT record, version FROM initiatives WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let current = old.as_ref().map_or(0, |(_, v)| *v);
    if current == base {
        return Ok(Ok(old.map(|(json, _)| json)));
    }
    let (who, at, _) = history::last_change(tx, id)?.unwrap_or_default();
    Ok(Err(VersionConflict { id: id.to_string(), base, current, who, at }))
}

fn set_meta(tx: &rusqlite::Transaction<'_>, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

fn bump_version(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('catalogue_version', '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )?;
    let now = history::now_utc();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('changed_at', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [now],
    )?;
    Ok(())
}

fn sql(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.to_path_buf(), source }
}

/// Version 1. The whole record is kept as JSON (so lists come back exactly as stored and a
/// new field needs no migration); the columns beside it are what SQL queries filter on.
/// `sources` (the page of each fact) was added this way: records written before it read back
/// with an empty list, thanks to `serde(default)` on [`Initiative`], and the next import of the
/// seeds or of an administrator's file fills it.
const SCHEMA_V1: &str = "
BEGIN;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE themes (
    slug TEXT PRIMARY KEY, key TEXT NOT NULL, label_fr TEXT NOT NULL, label_en TEXT NOT NULL,
    hint_fr TEXT NOT NULL DEFAULT '', hint_en TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL
);
CREATE TABLE communes (
    insee TEXT PRIMARY KEY, name TEXT NOT NULL, postcode TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL
);
CREATE TABLE initiatives (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, commune TEXT NOT NULL, status TEXT NOT NULL,
    updated TEXT NOT NULL, record TEXT NOT NULL
);
CREATE INDEX initiatives_commune ON initiatives (commune);
PRAGMA user_version = 1;
COMMIT;
";

/// Version 3: changes held for a second moderator (`review = "four-eyes"`).
const SCHEMA_V3: &str = "
BEGIN;
CREATE TABLE pending (
    entry TEXT PRIMARY KEY,
    base INTEGER NOT NULL,
    record TEXT NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL
);
PRAGMA user_version = 3;
COMMIT;
";

/// Version 2: each entry's version (the moderators' optimistic check) and the history of every
/// change (docs/CATALOGUE.md, "History").
fn schema_v2() -> String {
    format!(
        "BEGIN;
ALTER TABLE initiatives ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
{}
PRAGMA user_version = 2;
COMMIT;",
        history::SCHEMA
    )
}

/// What an import does with an entry a moderator changed by hand since the last import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportPolicy {
    /// The moderator's version stays, unless the imported record's `updated` is later than
    /// the day of the moderator's change (the file then carries newer information).
    #[default]
    KeepEdits,
    /// The imported record replaces it (`wic import --overwrite-edits`).
    Overwrite,
}

/// An imported record that meets a moderator's change.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    /// Who made the last change by hand, and when (RFC 3339).
    pub who: String,
    pub at: String,
    /// The fields where the file and the catalogue differ.
    pub fields: Vec<&'static str>,
    /// Whether the moderator's version was kept (else the file's replaced it).
    pub kept: bool,
}

/// What a write of many entries did.
#[derive(Debug, Clone, Default)]
pub struct WriteOutcome {
    pub counts: UpsertCounts,
    /// Entries set to `inactif` because a bundle no longer has them.
    pub retired: usize,
    pub conflicts: Vec<Conflict>,
}

/// A change held for a second moderator (`review = "four-eyes"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub entry: String,
    /// The version it was made on.
    pub base: i64,
    pub item: Initiative,
    pub who: String,
    pub via: String,
    pub at: String,
}

/// Why an approval did not go in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no change of this entry is waiting for approval")]
    NothingPending,
    #[error("the change must be approved by another moderator than the one who made it")]
    SameModerator,
    #[error(transparent)]
    Conflict(VersionConflict),
}

/// A save refused because the entry changed since the form was opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{id} changed since you opened it (version {current}, by {who} at {at}; you edited version {base})")]
pub struct VersionConflict {
    pub id: String,
    pub base: i64,
    pub current: i64,
    pub who: String,
    pub at: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::history::Via;

    /// A database written before `sources` existed: its records have no such key.
    #[test]
    fn records_stored_before_sources_still_read() {
        let dir = std::env::temp_dir().join(format!("wic-store-sources-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("catalogue.db");
        let _ = std::fs::remove_file(&path);
        {
            let store = Store::open_write(&path).unwrap();
            let old = r#"{"id":"ancien","name":"Ancien","themes":["se-nourrir"],"phone":"01 23 45 67 89","status":"actif","updated":"","source":"x"}"#;
            store
                .conn
                .execute(
                    "INSERT INTO initiatives (id, name, commune, status, updated, record) VALUES ('ancien','Ancien','','actif','',?1)",
                    [old],
                )
                .unwrap();
        }
        let mut store = Store::open_write(&path).unwrap();
        let item = store.get("ancien").unwrap().unwrap();
        assert_eq!(item.phone, "01 23 45 67 89");
        assert!(item.sources.is_empty());
        let mut sourced = item.clone();
        sourced.sources = vec!["phone=https://exemple.fr/contact".into()];
        let change = Change { who: "test", via: Via::Import, origin: "test" };
        assert_eq!(store.upsert(&[sourced.clone()], &change).unwrap().updated, 1);
        assert_eq!(store.get("ancien").unwrap().unwrap(), sourced);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn temp_store(name: &str) -> (std::path::PathBuf, Store) {
        let dir = std::env::temp_dir().join(format!("wic-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_write(&dir.join("catalogue.db")).unwrap();
        (dir, store)
    }

    fn entry(id: &str, phone: &str, updated: &str) -> Initiative {
        Initiative {
            id: id.into(),
            name: format!("Initiative {id}"),
            commune: "92050".into(),
            phone: phone.into(),
            status: "actif".into(),
            updated: updated.into(),
            ..Default::default()
        }
    }

    const IMPORT: Change<'static> = Change { who: "admin", via: Via::Import, origin: "a.csv" };
    const EDIT: Change<'static> = Change { who: "alice", via: Via::Edit, origin: "terminal" };

    /// import → a moderator's edit → the same file again → a newer file: the history has
    /// every step, the second import keeps the edit and says so, the newer file wins.
    #[test]
    fn history_of_one_entry_across_import_edit_import() {
        let (dir, mut store) = temp_store("history");
        let first = entry("repair", "01 00 00 00 01", "2025-01-10");
        let out = store.import(std::slice::from_ref(&first), &IMPORT, ImportPolicy::KeepEdits).unwrap();
        assert_eq!(out.counts.added, 1);
        let (got, v) = store.get_versioned("repair").unwrap().unwrap();
        assert_eq!((got, v), (first.clone(), 1));

        let mut edited = first.clone();
        edited.phone = "01 00 00 00 02".into();
        assert_eq!(store.write_entry(&edited, 1, &EDIT, "").unwrap(), Ok(2));

        let again = store.import(std::slice::from_ref(&first), &IMPORT, ImportPolicy::KeepEdits).unwrap();
        assert_eq!(again.conflicts.len(), 1, "{again:?}");
        let c = &again.conflicts[0];
        assert_eq!((c.id.as_str(), c.who.as_str(), c.kept), ("repair", "alice", true));
        assert_eq!(c.fields, vec!["phone"]);
        assert_eq!(store.get("repair").unwrap().unwrap().phone, "01 00 00 00 02", "the edit was kept");

        let mut newer = first.clone();
        newer.phone = "01 00 00 00 03".into();
        newer.updated = "2999-01-01".into();
        let out = store.import(std::slice::from_ref(&newer), &IMPORT, ImportPolicy::KeepEdits).unwrap();
        assert!(!out.conflicts[0].kept);
        assert_eq!(store.get("repair").unwrap().unwrap(), newer);

        let rows = store.history("repair").unwrap();
        let steps: Vec<(&str, &str, i64)> = rows.iter().map(|r| (r.via.as_str(), r.who.as_str(), r.version)).collect();
        assert_eq!(steps, vec![("import", "admin", 1), ("edit", "alice", 2), ("import", "admin", 3)]);
        assert_eq!(rows[1].before.as_ref().unwrap().phone, "01 00 00 00 01");
        assert_eq!(rows[1].after.as_ref().unwrap().phone, "01 00 00 00 02");
        assert_eq!(rows[1].changed_fields(), vec!["phone"]);
        assert_eq!(rows[2].origin, "a.csv");
        assert!(rows[2].note.contains("alice"), "{:?}", rows[2].note);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Two moderators open version 1; the first save wins, the second is refused with who
    /// saved in between, and nothing of the first is lost.
    #[test]
    fn a_second_save_on_the_same_version_is_refused() {
        let (dir, mut store) = temp_store("conflict");
        store.upsert(&[entry("amap", "", "2025-01-10")], &IMPORT).unwrap();
        let mut a = entry("amap", "01 11 11 11 11", "2025-01-10");
        let mut b = entry("amap", "01 22 22 22 22", "2025-01-10");
        a.name = "AMAP (Alice)".into();
        b.name = "AMAP (Bob)".into();
        assert_eq!(store.write_entry(&a, 1, &EDIT, "").unwrap(), Ok(2));
        let bob = Change { who: "bob", via: Via::Edit, origin: "terminal" };
        let refused = store.write_entry(&b, 1, &bob, "").unwrap().unwrap_err();
        assert_eq!((refused.base, refused.current, refused.who.as_str()), (1, 2, "alice"));
        assert_eq!(store.get("amap").unwrap().unwrap(), a);
        // Bob retries on the version he was told about: it goes in.
        assert_eq!(store.write_entry(&b, 2, &bob, "").unwrap(), Ok(3));
        // Creating an id that exists is refused too (base 0).
        assert!(store.write_entry(&entry("amap", "", ""), 0, &EDIT, "").unwrap().is_err());
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A version-1 catalogue (before history) is migrated by the first reader, entries kept.
    #[test]
    fn a_version_1_catalogue_is_migrated_on_read() {
        let (dir, store) = temp_store("v1");
        let path = store.path().to_path_buf();
        drop(store);
        std::fs::remove_file(&path).unwrap();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(SCHEMA_V1).unwrap();
            conn.execute(
                "INSERT INTO initiatives (id, name, commune, status, updated, record) VALUES ('v','V','','actif','',?1)",
                [r#"{"id":"v","name":"V","status":"actif"}"#],
            )
            .unwrap();
        }
        let store = Store::open_read(&path).unwrap();
        assert_eq!(store.get_versioned("v").unwrap().map(|(i, v)| (i.name, v)), Some(("V".to_string(), 1)));
        assert!(store.history("v").unwrap().is_empty());
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Four eyes: a proposal changes nothing until another moderator approves it.
    #[test]
    fn a_proposal_waits_for_a_second_moderator() {
        let (dir, mut store) = temp_store("four-eyes");
        store.upsert(&[entry("amap", "", "2025-01-10")], &IMPORT).unwrap();
        let proposed = entry("amap", "01 11 11 11 11", "2025-01-10");
        store.propose(&proposed, 1, &EDIT).unwrap().unwrap();
        assert_eq!(store.get("amap").unwrap().unwrap().phone, "", "nothing changed yet");
        assert_eq!(store.pending().unwrap()[0].who, "alice");
        assert_eq!(store.approve("amap", "alice").unwrap(), Err(Refusal::SameModerator));
        assert_eq!(store.approve("amap", "bob").unwrap(), Ok(2));
        assert_eq!(store.get("amap").unwrap().unwrap(), proposed);
        assert!(store.pending().unwrap().is_empty());
        let last = store.history("amap").unwrap().pop().unwrap();
        assert_eq!((last.who.as_str(), last.note.as_str()), ("alice", "approved by bob"));
        assert_eq!(store.approve("amap", "bob").unwrap(), Err(Refusal::NothingPending));
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A bundle: absent entries become inactif (kept), meta is written with the entries.
    #[test]
    fn replace_all_retires_what_the_bundle_lacks() {
        let (dir, mut store) = temp_store("replace");
        store.upsert(&[entry("a", "", "2025-01-01"), entry("b", "", "2025-01-01")], &IMPORT).unwrap();
        let sync = Change { who: "wic", via: Via::Sync, origin: "https://central.example/" };
        let out = store.replace_all(&[entry("a", "01", "2025-02-01")], &sync, &[("bundle_version", "7")]).unwrap();
        assert_eq!((out.counts.updated, out.retired), (1, 1));
        assert_eq!(store.get("b").unwrap().unwrap().status, "inactif");
        assert_eq!(store.meta("bundle_version").unwrap().as_deref(), Some("7"));
        assert_eq!(store.history("b").unwrap().last().unwrap().via, "sync");
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
