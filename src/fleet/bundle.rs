//! The bundle: what `wic publish` writes and `wic sync` checks.
//!
//! A published folder holds two kinds of file:
//! - `catalogue-<version>.json`: canonical JSON — `{"format":"wic-bundle/1","version":…,
//!   "published":"…","entries":[…]}`, entries sorted by id, in the exchange form of `wic export
//!   --format json` (communes by name), compact, so the same catalogue always gives the same bytes;
//! - `manifest.json`: the bundle's version, time, file name, size, SHA-256, the signing key's id
//!   and the Ed25519 signature of the bundle's exact bytes.
//!
//! The manifest is written last, by an atomic rename: it is the one switch from a bundle to
//! the next. A kiosk that read the previous manifest a moment earlier still finds the previous
//! bundle (the last two are kept), so no reader ever sees a half-published state. The manifest
//! itself is not trusted: its size and digest only let a kiosk refuse a bad download early; the
//! signature it carries is checked against the kiosk's own key, and the version inside the
//! signed bytes is the one that counts.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{FleetError, io_err, keys};
use crate::catalogue::import::canonical::json_to_raw;
use crate::catalogue::{Initiative, RawRecord, Reference, export};

pub const BUNDLE_FORMAT: &str = "wic-bundle/1";
pub const MANIFEST_FORMAT: &str = "wic-manifest/1";
pub const MANIFEST_NAME: &str = "manifest.json";

/// What `manifest.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// Also inside the signed bundle, where it is checked.
    pub version: u64,
    /// RFC 3339, UTC.
    pub published: String,
    /// The bundle's file name, beside the manifest.
    pub file: String,
    pub size: u64,
    pub sha256: String,
    /// How many entries the bundle holds.
    pub entries: usize,
    /// The SHA-256 of the entries alone: `wic publish` skips a catalogue that has not changed.
    pub entries_sha256: String,
    /// [`keys::key_id`] of the signing key.
    pub key_id: String,
    /// Ed25519 over the bundle file's bytes, hex.
    pub signature: String,
}

#[derive(Serialize)]
struct BundleOut<'a> {
    format: &'static str,
    version: u64,
    published: &'a str,
    entries: &'a [Initiative],
}

/// A bundle's content, once its bytes are verified.
#[derive(Debug)]
pub struct Bundle {
    pub version: u64,
    pub published: String,
    /// The entries as raw records, numbered from 1, for the import's validation.
    pub records: Vec<RawRecord>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The bundle file's name for a version: never anything but `catalogue-<digits>.json`, which is
/// also what a kiosk accepts (no path in a manifest can lead elsewhere).
pub fn file_name(version: u64) -> String {
    format!("catalogue-{version}.json")
}

fn is_bundle_name(name: &str) -> bool {
    name.strip_prefix("catalogue-")
        .and_then(|r| r.strip_suffix(".json"))
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// What `publish` did.
#[derive(Debug)]
pub struct Published {
    pub manifest: Manifest,
    /// The catalogue (and key) were those of the current manifest: nothing was written.
    pub unchanged: bool,
}

/// Writes a signed bundle of `items` into `dir` (created if needed). The version is the publish
/// time in seconds since 1970, or one more than the folder's current version if that is not
/// larger: it only grows, even if `dir` is rebuilt from scratch later.
pub fn publish(
    items: &[Initiative],
    reference: &Reference,
    key: &SigningKey,
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Published, FleetError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let previous = read_manifest_file(&dir.join(MANIFEST_NAME))?;
    let mut entries: Vec<Initiative> = items.iter().map(|i| export::to_exchange(i, reference)).collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let entries_sha256 = sha256_hex(&serde_json::to_vec(&entries).expect("initiatives serialise"));
    let key_id = keys::key_id(&key.verifying_key());
    if let Some(prev) = &previous
        && prev.entries_sha256 == entries_sha256
        && prev.key_id == key_id
        && dir.join(&prev.file).is_file()
    {
        return Ok(Published { manifest: prev.clone(), unchanged: true });
    }
    let seconds = u64::try_from(now.timestamp()).unwrap_or(0);
    let version = seconds.max(previous.as_ref().map_or(0, |p| p.version + 1));
    let published = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut bytes =
        serde_json::to_vec(&BundleOut { format: BUNDLE_FORMAT, version, published: &published, entries: &entries })
            .expect("a bundle serialises");
    bytes.push(b'\n');
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        version,
        published,
        file: file_name(version),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
        entries: entries.len(),
        entries_sha256,
        key_id,
        signature: hex::encode(key.sign(&bytes).to_bytes()),
    };
    write_atomic(dir, &manifest.file, &bytes)?;
    let mut text = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    text.push(b'\n');
    write_atomic(dir, MANIFEST_NAME, &text)?;
    // Keep this bundle and the one before (a kiosk may have just read the old manifest).
    let keep = [Some(manifest.file.as_str()), previous.as_ref().map(|p| p.file.as_str())];
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_bundle_name(&name) && !keep.contains(&Some(name.as_str())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(Published { manifest, unchanged: false })
}

/// Writes `dir/name` whole or not at all (a web server never serves half a file).
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), FleetError> {
    let path = dir.join(name);
    crate::whole_file::write(&path, bytes, None).map_err(|source| FleetError::Io { path, source })
}

fn read_manifest_file(path: &Path) -> Result<Option<Manifest>, FleetError> {
    match std::fs::read(path) {
        Ok(bytes) => parse_manifest(&bytes, &path.display().to_string()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(FleetError::Io { path: path.to_path_buf(), source: e }),
    }
}

/// Reads a manifest (untrusted: its file name is checked, its numbers only guide the download).
pub fn parse_manifest(bytes: &[u8], what: &str) -> Result<Manifest, FleetError> {
    let bad = |reason: String| FleetError::Malformed { what: what.to_string(), reason };
    let m: Manifest = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    if m.format != MANIFEST_FORMAT {
        return Err(bad(format!("format {:?}, expected {MANIFEST_FORMAT:?}", m.format)));
    }
    if !is_bundle_name(&m.file) {
        return Err(bad(format!("file {:?}", m.file)));
    }
    Ok(m)
}

/// Checks downloaded bytes against the manifest and the trusted keys: size, then SHA-256, then
/// the signature. Nothing of the bytes is parsed before all three hold.
pub fn verify(manifest: &Manifest, bytes: &[u8], trusted: &[VerifyingKey], keys_path: &Path) -> Result<(), FleetError> {
    let what = manifest.file.clone();
    if bytes.len() as u64 != manifest.size {
        return Err(FleetError::Truncated { what, expected: manifest.size, got: bytes.len() as u64 });
    }
    let got = sha256_hex(bytes);
    if !got.eq_ignore_ascii_case(&manifest.sha256) {
        return Err(FleetError::Digest { what, expected: manifest.sha256.clone(), got });
    }
    let refused = || FleetError::Signature { what: what.clone(), keys: keys_path.to_path_buf() };
    let signature: [u8; 64] =
        hex::decode(&manifest.signature).ok().and_then(|s| s.try_into().ok()).ok_or_else(refused)?;
    let signature = Signature::from_bytes(&signature);
    if trusted.iter().any(|k| k.verify_strict(bytes, &signature).is_ok()) { Ok(()) } else { Err(refused()) }
}

/// Parses verified bundle bytes into raw records (validated afterwards like an import's).
pub fn parse(bytes: &[u8], what: &str) -> Result<Bundle, FleetError> {
    let bad = |reason: String| FleetError::Malformed { what: what.to_string(), reason };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    let serde_json::Value::Object(mut top) = value else { return Err(bad("not an object".into())) };
    if top.get("format").and_then(|f| f.as_str()) != Some(BUNDLE_FORMAT) {
        return Err(bad(format!("format is not {BUNDLE_FORMAT:?}")));
    }
    let version = top.get("version").and_then(|v| v.as_u64()).ok_or_else(|| bad("no version".into()))?;
    let published = top.get("published").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let Some(serde_json::Value::Array(entries)) = top.remove("entries") else {
        return Err(bad("no entries".into()));
    };
    let mut records = Vec::with_capacity(entries.len());
    for (n, entry) in entries.into_iter().enumerate() {
        let serde_json::Value::Object(map) = entry else {
            return Err(bad(format!("entry {} is not an object", n + 1)));
        };
        let mut raw = RawRecord::new(n + 1);
        // As `wic import` reads canonical JSON: the same validation follows.
        for (k, v) in map {
            raw.set(&k, json_to_raw(v));
        }
        records.push(raw);
    }
    Ok(Bundle { version, published, records })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(id: &str) -> Initiative {
        Initiative { id: id.into(), name: format!("Name of {id}"), ..Initiative::default() }
    }

    fn at(seconds: i64) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc.timestamp_opt(seconds, 0).unwrap()
    }

    #[test]
    fn published_bytes_verify_and_parse_and_any_change_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[7; 32]);
        let reference = Reference::embedded().unwrap();
        let done = publish(&[entry("b"), entry("a")], &reference, &key, dir.path(), at(1_000)).unwrap();
        let m = done.manifest;
        assert_eq!((m.version, m.entries, m.file.as_str()), (1_000, 2, "catalogue-1000.json"));
        let bytes = std::fs::read(dir.path().join(&m.file)).unwrap();
        let trusted = [key.verifying_key()];
        verify(&m, &bytes, &trusted, Path::new("k.pub")).unwrap();
        let bundle = parse(&bytes, &m.file).unwrap();
        assert_eq!(bundle.version, 1_000);
        // Sorted by id, whatever the order given.
        assert_eq!(
            bundle.records[0].fields.iter().find(|(k, _)| k == "id").unwrap().1,
            crate::catalogue::RawValue::Text("a".into())
        );
        let mut altered = bytes.clone();
        altered[10] ^= 1;
        assert!(matches!(verify(&m, &altered, &trusted, Path::new("k.pub")), Err(FleetError::Digest { .. })));
        assert!(matches!(verify(&m, &bytes[1..], &trusted, Path::new("k.pub")), Err(FleetError::Truncated { .. })));
        let other = [SigningKey::from_bytes(&[8; 32]).verifying_key()];
        assert!(matches!(verify(&m, &bytes, &other, Path::new("k.pub")), Err(FleetError::Signature { .. })));
    }

    #[test]
    fn versions_only_grow_and_an_unchanged_catalogue_is_not_republished() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[7; 32]);
        let reference = Reference::embedded().unwrap();
        let first = publish(&[entry("a")], &reference, &key, dir.path(), at(5_000)).unwrap().manifest;
        let same = publish(&[entry("a")], &reference, &key, dir.path(), at(6_000)).unwrap();
        assert!(same.unchanged && same.manifest == first);
        // A clock set back still gives a larger version.
        let next = publish(&[entry("a"), entry("b")], &reference, &key, dir.path(), at(10)).unwrap().manifest;
        assert_eq!(next.version, 5_001);
    }

    #[test]
    fn a_manifest_cannot_name_a_file_elsewhere() {
        for file in ["../etc/passwd", "catalogue-1.json/../x", "catalogue-.json", "other.json"] {
            let m = format!(
                r#"{{"format":"{MANIFEST_FORMAT}","version":1,"published":"","file":"{file}","size":1,"sha256":"","entries":0,"entries_sha256":"","key_id":"","signature":""}}"#
            );
            assert!(matches!(parse_manifest(m.as_bytes(), "m"), Err(FleetError::Malformed { .. })), "{file}");
        }
    }
}
