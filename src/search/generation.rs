//! Index generations: each rebuild writes a complete new index beside the live one and
//! switches the `CURRENT` pointer with an atomic rename, so running kiosks never see a
//! half-written index and a crash at any point leaves the previous generation live.
//!
//! Layout under `<data>/search/`:
//! - `CURRENT` — the name of the live generation (one line);
//! - `gen-<catalogue version>-<unix ms>/` — a complete tantivy index plus `generation.json`;
//! - `.building-<pid>-<unix ms>/` — a rebuild in progress (left behind only by a crash, and
//!   removed by the next rebuild);
//! - `.lock` — held (flock) by the one rebuild allowed at a time; released by the kernel if
//!   the process dies, so nobody ever has to delete it by hand.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{Index, TantivyDocument, doc};

use super::analyzer;
use super::schema::{self, Fields};
use crate::catalogue::{Initiative, Reference};
use crate::text::fold;

pub const CURRENT: &str = "CURRENT";
/// Bumped whenever the schema or the analyzers change: a generation built by another format
/// is stale even if the catalogue has not changed. (4: the theme column is no longer fast.
/// 5: protected words are not stemmed, and the audience is indexed for the hints of #12.)
pub const FORMAT: u32 = 5;
pub const META: &str = "generation.json";
const LOCK: &str = ".lock";
/// From this many initiatives, the index is built on two threads (faster, but results with
/// equal scores may come in another order after each rebuild).
const PARALLEL_FROM: usize = 20_000;

/// Indexing memory per writer thread (tantivy needs at least 15 MB each).
const WRITER_MEMORY: usize = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no search index in {0}: run `wic index rebuild`")]
    Missing(PathBuf),
    #[error("search index {path} is damaged ({reason}): run `wic index rebuild`")]
    Corrupt { path: PathBuf, reason: String },
    #[error("another index rebuild is running in {0}; try again when it has finished")]
    Busy(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("search index {path}: {source}")]
    Tantivy { path: PathBuf, source: tantivy::TantivyError },
}

/// What a generation records about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GenerationMeta {
    #[serde(default)]
    pub format: u32,
    pub catalogue_version: u64,
    pub built_at: String,
    pub documents: usize,
    /// The themes and communes as they were when built: a generation is self-contained.
    pub themes: Vec<crate::catalogue::Theme>,
    pub communes: Vec<crate::catalogue::Commune>,
}

impl GenerationMeta {
    pub fn reference(&self) -> Reference {
        Reference { themes: self.themes.clone(), communes: self.communes.clone() }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io { path: path.to_path_buf(), source }
}

fn tv(path: &Path) -> impl FnOnce(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::Tantivy { path: path.to_path_buf(), source }
}

/// The name of the live generation, if any.
pub fn current_name(search_dir: &Path) -> Result<Option<String>, IndexError> {
    let path = search_dir.join(CURRENT);
    let corrupt = |reason: &str| IndexError::Corrupt { path: path.clone(), reason: reason.to_string() };
    match fs::read(&path) {
        Ok(bytes) => {
            let name = String::from_utf8(bytes).map_err(|_| corrupt("CURRENT is not text"))?.trim().to_string();
            // Only names this module writes: nothing else is ever joined onto a path.
            let valid = name.starts_with("gen-")
                && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid {
                return Err(corrupt("CURRENT does not name a generation"));
            }
            Ok(Some(name))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(IndexError::Io { path, source: e }),
        Err(_) => Err(corrupt("CURRENT is unreadable")),
    }
}

pub fn read_meta(dir: &Path) -> Result<GenerationMeta, IndexError> {
    let path = dir.join(META);
    let text = fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => IndexError::Io { path: path.clone(), source: e },
        std::io::ErrorKind::NotFound => {
            IndexError::Corrupt { path: dir.to_path_buf(), reason: format!("{META} is missing") }
        }
        _ => IndexError::Corrupt { path: path.clone(), reason: e.to_string() },
    })?;
    serde_json::from_str(&text).map_err(|e| IndexError::Corrupt { path, reason: e.to_string() })
}

/// Progress of a rebuild, for the progress line: (documents written, total).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Builds a new generation from `items` and makes it live. Fails with [`IndexError::Busy`]
/// when another rebuild holds the lock.
pub fn rebuild(
    search_dir: &Path,
    items: &[Initiative],
    reference: &Reference,
    catalogue_version: u64,
    progress: Progress<'_>,
) -> Result<GenerationMeta, IndexError> {
    fs::create_dir_all(search_dir).map_err(io(search_dir))?;
    let lock_path = search_dir.join(LOCK);
    let lock = File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(io(&lock_path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(IndexError::Busy(search_dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => return Err(IndexError::Io { path: lock_path, source: e }),
    }
    // We hold the lock, so any `.building-*` left here is from a crashed rebuild.
    remove_matching(search_dir, |n| n.starts_with(".building-"));

    let stamp = chrono::Utc::now();
    let millis = stamp.timestamp_millis();
    let building = search_dir.join(format!(".building-{}-{millis}", std::process::id()));
    fs::create_dir_all(&building).map_err(io(&building))?;
    let meta = write_index(
        &building,
        items,
        reference,
        catalogue_version,
        &stamp.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        progress,
    )?;
    sync_dir_files(&building)?;

    let name = format!("gen-{catalogue_version}-{millis}");
    let target = search_dir.join(&name);
    fs::rename(&building, &target).map_err(io(&target))?;
    let tmp = search_dir.join(".CURRENT.tmp");
    {
        let mut f = File::create(&tmp).map_err(io(&tmp))?;
        writeln!(f, "{name}").map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    fs::rename(&tmp, search_dir.join(CURRENT)).map_err(io(search_dir))?;
    sync_dir(search_dir)?;

    // Keep the new generation and the one before it (a reader may be opening it right now);
    // readers that still hold older ones keep answering from their open files.
    let mut gens: Vec<String> = list_generations(search_dir);
    gens.retain(|g| g != &name);
    gens.sort_by_key(|g| generation_millis(g));
    if gens.len() > 1 {
        for old in &gens[..gens.len() - 1] {
            let _ = fs::remove_dir_all(search_dir.join(old));
        }
    }
    drop(lock);
    Ok(meta)
}

fn write_index(
    dir: &Path,
    items: &[Initiative],
    reference: &Reference,
    catalogue_version: u64,
    built_at: &str,
    progress: Progress<'_>,
) -> Result<GenerationMeta, IndexError> {
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(dir, schema).map_err(tv(dir))?;
    analyzer::register(index.tokenizers());
    let listed: Vec<&Initiative> = items.iter().filter(|i| i.is_listed()).collect();
    // Indexing is CPU-bound (postings, stemming): one thread per core, up to two, halves a
    // 100k rebuild (7 s of CPU, BENCHMARKS.md). Kiosks keep answering from the old generation.
    // But two threads share the documents out as they come, so which segment holds which
    // document — and so the order of results with equal scores — changes from one build to
    // the next. A real catalogue (hundreds of entries, 40 ms to index) is built on one
    // thread, in one segment, the same every time; only large ones pay for that with speed.
    let threads = if listed.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
    };
    let mut writer =
        index.writer_with_num_threads::<TantivyDocument>(threads, WRITER_MEMORY * threads).map_err(tv(dir))?;

    let mut order: Vec<usize> = (0..listed.len()).collect();
    let sort_keys: Vec<String> = listed.iter().map(|i| fold(&i.name)).collect();
    order.sort_by(|&a, &b| sort_keys[a].cmp(&sort_keys[b]));
    let mut rank = vec![0u64; listed.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as u64;
    }
    let total = listed.len();
    for (n, item) in listed.iter().enumerate() {
        writer.add_document(document(&fields, item, reference, rank[n])).map_err(tv(dir))?;
        if n % 500 == 0 || n + 1 == total {
            progress(n + 1, total);
        }
    }
    if total == 0 {
        progress(0, 0);
    }
    writer.commit().map_err(tv(dir))?;
    writer.wait_merging_threads().map_err(tv(dir))?;

    let meta = GenerationMeta {
        format: FORMAT,
        catalogue_version,
        built_at: built_at.to_string(),
        documents: total,
        themes: reference.themes.clone(),
        communes: reference.communes.clone(),
    };
    let meta_path = dir.join(META);
    let json = serde_json::to_string_pretty(&meta).expect("meta serialises");
    fs::write(&meta_path, json).map_err(io(&meta_path))?;
    Ok(meta)
}

/// The searchable document of one initiative.
fn document(f: &Fields, i: &Initiative, reference: &Reference, rank: u64) -> TantivyDocument {
    let commune_name = reference.commune_by_code(&i.commune).map(|c| c.name.as_str()).unwrap_or("");
    // Words a visitor might type that are not in the text itself: theme labels in both
    // languages, tags, the commune, and the kind of action.
    let mut keywords: Vec<&str> = Vec::new();
    for t in &i.themes {
        if let Some(theme) = reference.theme(t) {
            keywords.extend([theme.label_fr.as_str(), theme.label_en.as_str()]);
        }
    }
    keywords.extend(i.tags.iter().map(String::as_str));
    keywords.push(commune_name);
    keywords.extend(i.actions.iter().map(String::as_str));
    if i.online {
        keywords.push("en ligne internet");
    }
    let keywords = keywords.join(" ; ");
    let body = format!("{}\n{}", i.summary, i.description);
    let record = serde_json::to_string(i).expect("an Initiative always serialises");

    let mut d = doc!(
        f.id => i.id.as_str(),
        f.record => record,
        f.name => i.name.as_str(),
        f.name_fold => i.name.as_str(),
        f.keywords => keywords.as_str(),
        f.keywords_fold => keywords.as_str(),
        f.body => body.as_str(),
        f.body_fold => body.as_str(),
        f.commune => i.commune.as_str(),
        f.access => i.access.as_str(),
        f.price => i.price.as_str(),
        f.online => if i.online { "1" } else { "0" },
        f.status => i.status.as_str(),
        f.name_rank => rank,
    );
    for t in &i.themes {
        d.add_text(f.theme, t);
        d.add_facet(f.theme_facet, Facet::from_path([t.as_str()]));
    }
    for a in &i.actions {
        d.add_text(f.action, a);
    }
    for a in &i.audience {
        d.add_text(f.audience, a);
    }
    d.add_text(f.hours, crate::mark::hours_key(i).as_ref());
    if let Some(place) = crate::geo::locate(i, reference) {
        d.add_f64(f.lat, place.point.lat);
        d.add_f64(f.lon, place.point.lon);
    }
    d
}

/// Generation directory names, in no particular order.
pub fn list_generations(search_dir: &Path) -> Vec<String> {
    fs::read_dir(search_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with("gen-"))
                .collect()
        })
        .unwrap_or_default()
}

fn generation_millis(name: &str) -> i64 {
    name.rsplit('-').next().and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn remove_matching(dir: &Path, pred: impl Fn(&str) -> bool) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            if let Some(n) = e.file_name().to_str()
                && pred(n)
            {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

/// fsync every file of a finished index, then the directory, before it can be renamed live.
/// Makes every file of a finished generation readable by everyone (0644, the directory
/// 0755) and flushes them. tantivy writes `meta.json` and `.managed.json` as 0600, which
/// would shut out every session but the builder's: on an installation the service user
/// builds and staff accounts read (README, "Deployment"). The index is the public catalogue.
fn sync_dir_files(dir: &Path) -> Result<(), IndexError> {
    use std::os::unix::fs::PermissionsExt;
    for e in fs::read_dir(dir).map_err(io(dir))?.flatten() {
        let p = e.path();
        if p.is_file() {
            fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).map_err(io(&p))?;
            File::open(&p).and_then(|f| f.sync_all()).map_err(io(&p))?;
        }
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).map_err(io(dir))?;
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), IndexError> {
    File::open(dir).and_then(|f| f.sync_all()).map_err(io(dir))
}
