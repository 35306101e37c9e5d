//! Where state lives (`--data-dir`, default `./index`): the catalogue database and the search
//! generations beside it, and what to do when they are missing or stale.
//!
//! On a first run the embedded seed catalogue is imported and the index built; a start that
//! finds the index older than the catalogue rebuilds it. Both are safe when several processes
//! start at once: imports are one transaction each, and a second rebuild waits for the first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::catalogue::{self, Reference, Store, StoreError};
use crate::search::{IndexError, SearchIndex, generation};

/// How long a rebuild that finds another one running waits before giving up.
const REBUILD_WAIT: Duration = Duration::from_secs(120);

/// The data directory when neither `--data-dir`, `WIC_DATA_DIR` nor the configuration names
/// one: `./index`, beside the binary's working directory.
pub const DEFAULT_DIR: &str = "index";

/// The subfolder of a shared data directory that staff sessions may write ([`DataDir::spool_dir`]).
pub const SPOOL: &str = "spool";

#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("cannot create the data directory {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the embedded seed catalogue is invalid (a bug in this build): {0}")]
    Seeds(String),
}

/// The state of the index found at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    Fresh,
    Missing,
    /// Built from catalogue version `.0`; the catalogue is at `.1`.
    Stale(u64, u64),
    Corrupt(String),
}

/// What [`DataDir::prepare`] reports while it works.
pub enum Step {
    ImportingSeeds,
    Indexing(usize, usize),
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn catalogue_path(&self) -> PathBuf {
        self.root.join("catalogue.db")
    }

    pub fn search_dir(&self) -> PathBuf {
        self.root.join("search")
    }

    /// Where sessions that do not own the data directory may write, on an installation
    /// (README, "Deployment"; SECURITY.md, "The data directory"): `<data>/spool`, group-writable
    /// by the staff group, holding the usage figures, the visitors' reports and the moderators'
    /// queued changes. Its presence is what makes a data directory *shared*.
    pub fn spool_dir(&self) -> PathBuf {
        self.root.join(SPOOL)
    }

    /// Whether this data directory is laid out for several accounts (it has a `spool/`).
    /// Without one (a developer's `./index`, a single-user machine) everything lives at the
    /// root and whoever runs wic writes it.
    pub fn is_shared(&self) -> bool {
        self.spool_dir().is_dir()
    }

    /// Whether this process must hand catalogue changes to the service (the spool) instead of
    /// writing them: a shared data directory that another account owns.
    pub fn writes_through_spool(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: getuid has no preconditions.
        let me = unsafe { libc::getuid() };
        self.is_shared() && std::fs::metadata(&self.root).is_ok_and(|m| m.uid() != me)
    }

    /// Where usage figures and reports go: the spool of a shared directory, else the top.
    fn writable_dir(&self) -> PathBuf {
        if self.is_shared() { self.spool_dir() } else { self.root.clone() }
    }

    pub fn usage_path(&self) -> PathBuf {
        self.writable_dir().join("usage.db")
    }

    /// Visitors' reports ("Signaler une erreur"), and their resolutions.
    pub fn reports_path(&self) -> PathBuf {
        self.writable_dir().join("reports.db")
    }

    /// Moderators' changes waiting for the service (`wic apply`).
    pub fn edits_dir(&self) -> PathBuf {
        self.spool_dir().join("edits")
    }

    /// The service's answers to queued changes: written only by the owner of the data
    /// directory, read by the session that is waiting.
    pub fn applied_dir(&self) -> PathBuf {
        self.root.join("applied")
    }

    pub fn open_read(&self) -> Result<Store, StoreError> {
        Store::open_read(&self.catalogue_path())
    }

    /// Opens for writing, creating the directory and the catalogue (with its reference
    /// data) if needed.
    pub fn open_write(&self) -> Result<Store, DataError> {
        std::fs::create_dir_all(&self.root).map_err(|source| DataError::Create { path: self.root.clone(), source })?;
        let mut store = Store::open_write(&self.catalogue_path())?;
        store.seed_reference(&Reference::embedded().map_err(|e| DataError::Seeds(e.to_string()))?)?;
        Ok(store)
    }

    /// Compares the live index with the catalogue.
    pub fn index_state(&self, store: &Store) -> Result<IndexState, DataError> {
        let dir = self.search_dir();
        let name = match generation::current_name(&dir) {
            Ok(Some(n)) => n,
            Ok(None) => return Ok(IndexState::Missing),
            Err(IndexError::Corrupt { reason, .. }) => return Ok(IndexState::Corrupt(reason)),
            Err(e) => return Err(e.into()),
        };
        let meta = match generation::read_meta(&dir.join(&name)) {
            Ok(m) => m,
            Err(IndexError::Corrupt { reason, .. }) => return Ok(IndexState::Corrupt(reason)),
            Err(e) => return Err(e.into()),
        };
        // Opening proves the files are readable, not only that the pointer is right.
        if let Err(e) = SearchIndex::open(&dir) {
            return Ok(IndexState::Corrupt(e.to_string()));
        }
        let version = store.version()?;
        if meta.catalogue_version != version || meta.format != generation::FORMAT {
            return Ok(IndexState::Stale(meta.catalogue_version, version));
        }
        Ok(IndexState::Fresh)
    }

    /// Rebuilds the index from the catalogue, once: fails with [`IndexError::Busy`] when another
    /// process is rebuilding (what `wic index rebuild` reports).
    pub fn rebuild_now(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<generation::GenerationMeta, DataError> {
        let (items, reference, version) = (store.all()?, store.reference()?, store.version()?);
        Ok(generation::rebuild(&self.search_dir(), &items, &reference, version, progress)?)
    }

    /// Rebuilds the index from the catalogue. When another process is already rebuilding,
    /// waits for it (up to [`REBUILD_WAIT`]): what it builds may be what we want; if it is not
    /// (it read the catalogue before our change), builds again once the lock is free. Returns
    /// the generation built here, or `None` when another process built a fresh one.
    pub fn rebuild(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Option<generation::GenerationMeta>, DataError> {
        let deadline = Instant::now() + REBUILD_WAIT;
        loop {
            match self.rebuild_now(store, progress) {
                Ok(meta) => return Ok(Some(meta)),
                Err(DataError::Index(IndexError::Busy(_))) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(200));
                    if let Ok(IndexState::Fresh) = self.index_state(store) {
                        return Ok(None);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Makes the data directory usable for browsing and searching: imports the seed catalogue
    /// on a first run, and (re)builds a missing, stale or damaged index.
    pub fn prepare(&self, progress: &mut dyn FnMut(Step)) -> Result<(), DataError> {
        if !self.catalogue_path().exists() || matches!(self.open_read(), Err(StoreError::Missing(_))) {
            progress(Step::ImportingSeeds);
            let mut store = self.open_write()?;
            if store.count()? == 0 {
                import_seeds(&mut store)?;
            }
        }
        let store = self.open_read()?;
        if self.index_state(&store)? != IndexState::Fresh {
            self.rebuild(&store, &mut |done, total| progress(Step::Indexing(done, total)))?;
        }
        Ok(())
    }
}

/// Imports the catalogue shipped in the binary.
fn import_seeds(store: &mut Store) -> Result<(), DataError> {
    let path = Path::new("seeds/initiatives.csv");
    let parsed = catalogue::import::canonical::parse_csv(path, catalogue::SEED_INITIATIVES_CSV.as_bytes())
        .map_err(|p| DataError::Seeds(p.first().map(|p| p.to_string()).unwrap_or_default()))?;
    let reference = store.reference()?;
    let validator = catalogue::Validator {
        reference: &reference,
        file: path.display().to_string(),
        ignore_unknown: false,
        fix_hours: false,
    };
    let items = validator
        .validate_all(&parsed.records)
        .map_err(|p| DataError::Seeds(p.first().map(|p| p.to_string()).unwrap_or_default()))?;
    let change = catalogue::Change {
        who: &crate::identity::Account::current().name,
        via: catalogue::Via::Import,
        origin: "seeds/initiatives.csv",
    };
    store.upsert(&items, &change)?;
    Ok(())
}
