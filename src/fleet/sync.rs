//! `wic sync` without the index: fetch, check, validate, apply — in that order, and nothing
//! written unless every step before the last has passed.

use std::path::Path;

use ed25519_dalek::VerifyingKey;

use super::FleetError;
use super::bundle::{self, Manifest};
use super::fetch::{ManifestFetch, Source, Validators};
use crate::catalogue::{Change, Store, Validator, Via, WriteOutcome};

/// The catalogue's meta keys a sync reads and writes (with the entries, in one transaction).
pub mod meta {
    pub const VERSION: &str = "bundle_version";
    pub const SHA256: &str = "bundle_sha256";
    pub const PUBLISHED: &str = "bundle_published";
    pub const SOURCE: &str = "bundle_source";
    pub const ETAG: &str = "bundle_etag";
    pub const LAST_MODIFIED: &str = "bundle_last_modified";
}

/// What a sync needs to know.
pub struct SyncRequest<'a> {
    pub source: &'a Source,
    /// The keys the kiosk trusts, and the file they came from (for messages).
    pub keys: &'a [VerifyingKey],
    pub keys_path: &'a Path,
    /// Recorded in the history (the Unix account running the sync).
    pub who: &'a str,
}

#[derive(Debug)]
pub enum SyncOutcome {
    /// The source offers the bundle already applied.
    UpToDate {
        version: u64,
    },
    Applied {
        version: u64,
        published: String,
        entries: usize,
        outcome: WriteOutcome,
    },
}

/// The version of the bundle applied last (0: none yet).
pub fn applied_version(store: &Store) -> Result<u64, FleetError> {
    Ok(store.meta(meta::VERSION)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub fn sync(store: &mut Store, request: &SyncRequest<'_>) -> Result<SyncOutcome, FleetError> {
    let source_name = request.source.display();
    let applied = applied_version(store)?;
    // A conditional request only makes sense to the server that gave the validators.
    let known = if store.meta(meta::SOURCE)?.as_deref() == Some(source_name.as_str()) {
        Validators { etag: store.meta(meta::ETAG)?, last_modified: store.meta(meta::LAST_MODIFIED)? }
    } else {
        Validators::default()
    };
    let (bytes, validators) = match request.source.manifest(&known)? {
        ManifestFetch::NotModified => return Ok(SyncOutcome::UpToDate { version: applied }),
        ManifestFetch::Fetched { bytes, validators } => (bytes, validators),
    };
    let manifest: Manifest = bundle::parse_manifest(&bytes, bundle::MANIFEST_NAME)?;
    if manifest.version == applied && store.meta(meta::SHA256)?.as_deref() == Some(manifest.sha256.as_str()) {
        return Ok(SyncOutcome::UpToDate { version: applied });
    }
    // Refused before the download: the manifest cannot make a kiosk go back, only stop it.
    if manifest.version <= applied {
        return Err(FleetError::NotNewer { offered: manifest.version, applied });
    }
    if manifest.size > super::fetch::MAX_BUNDLE_BYTES {
        return Err(FleetError::TooLarge { what: manifest.file.clone(), limit: super::fetch::MAX_BUNDLE_BYTES });
    }
    let data = request.source.bundle(&manifest.file, manifest.size)?;
    bundle::verify(&manifest, &data, request.keys, request.keys_path)?;
    // Signed bytes from here on: their version is the one that counts.
    let parsed = bundle::parse(&data, &manifest.file)?;
    if parsed.version != manifest.version {
        return Err(FleetError::Malformed {
            what: manifest.file.clone(),
            reason: format!("version {} inside, {} in the manifest", parsed.version, manifest.version),
        });
    }
    if parsed.version <= applied {
        return Err(FleetError::NotNewer { offered: parsed.version, applied });
    }
    let reference = store.reference()?;
    let validator =
        Validator { reference: &reference, file: manifest.file.clone(), ignore_unknown: false, fix_hours: false };
    let items = validator.validate_all(&parsed.records).map_err(FleetError::Invalid)?;
    let version = parsed.version.to_string();
    let values = [
        (meta::VERSION, version.as_str()),
        (meta::SHA256, manifest.sha256.as_str()),
        (meta::PUBLISHED, parsed.published.as_str()),
        (meta::SOURCE, source_name.as_str()),
        (meta::ETAG, validators.etag.as_deref().unwrap_or("")),
        (meta::LAST_MODIFIED, validators.last_modified.as_deref().unwrap_or("")),
    ];
    let change = Change { who: request.who, via: Via::Sync, origin: &source_name };
    let outcome = store.replace_all(&items, &change, &values)?;
    Ok(SyncOutcome::Applied { version: parsed.version, published: parsed.published, entries: items.len(), outcome })
}
