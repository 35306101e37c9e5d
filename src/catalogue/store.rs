//! The catalogue database: SQLite in WAL mode, the source of truth.
//!
//! Many processes read it at once (one per kiosk or SSH session) and only `wic import` writes.
//! Readers open it read-only; writers take the write lock up front (`BEGIN IMMEDIATE`) so that
//! two writers queue behind `busy_timeout` instead of failing with "database is locked".
//! Every write bumps `catalogue_version`, which the search index records to know if it is stale.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::model::Initiative;
use super::reference::{Commune, Reference, Theme};

/// How long a connection waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The schema this code reads and writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

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
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| sql(path, e))?;
        let store = Store { conn, path: path.to_path_buf() };
        store.configure(false)?;
        let found: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| sql(path, e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: path.to_path_buf(), found });
        }
        if found < SCHEMA_VERSION {
            // An empty or half-created file: nothing a reader can use.
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self, write: bool) -> Result<(), StoreError> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        if write {
            // WAL lets readers go on while an import writes; NORMAL is durable at each
            // checkpoint and safe against corruption, which is what a catalogue needs.
            self.conn
                .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                .map_err(|e| self.err(e))?;
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
    /// if anything changed. Either all are written or none.
    pub fn upsert(&mut self, items: &[Initiative]) -> Result<UpsertCounts, StoreError> {
        let path = self.path.clone();
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| sql(&path, e))?;
        let mut counts = UpsertCounts::default();
        {
            let mut get = tx.prepare("SELECT record FROM initiatives WHERE id = ?1").map_err(|e| sql(&path, e))?;
            let mut put = tx
                .prepare(
                    "INSERT INTO initiatives (id, name, commune, status, updated, record) VALUES (?1,?2,?3,?4,?5,?6)
                     ON CONFLICT(id) DO UPDATE SET name=excluded.name, commune=excluded.commune,
                       status=excluded.status, updated=excluded.updated, record=excluded.record",
                )
                .map_err(|e| sql(&path, e))?;
            for item in items {
                let json = serde_json::to_string(item).expect("an Initiative always serialises");
                let old: Option<String> =
                    get.query_row([&item.id], |r| r.get(0)).optional().map_err(|e| sql(&path, e))?;
                match old {
                    Some(old) if old == json => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.added += 1,
                }
                put.execute(params![item.id, item.name, item.commune, item.status, item.updated, json])
                    .map_err(|e| sql(&path, e))?;
            }
        }
        if counts.added + counts.updated > 0 {
            bump_version(&tx).map_err(|e| sql(&path, e))?;
        }
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok(counts)
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

fn bump_version(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('catalogue_version', '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(store.upsert(&[sourced.clone()]).unwrap().updated, 1);
        assert_eq!(store.get("ancien").unwrap().unwrap(), sourced);
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
