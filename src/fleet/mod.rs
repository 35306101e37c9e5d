//! A fleet of kiosks, one catalogue: the central machine publishes a signed bundle of the
//! catalogue into a folder any static web server can serve, and each kiosk pulls it.
//!
//! Why signed, and why pulled: the kiosks sit in public offices on networks we do not run, and
//! the web server is just a web server. A kiosk therefore trusts nothing it downloads until the
//! bytes match the manifest's size and SHA-256 *and* carry an Ed25519 signature from a key it
//! was given beforehand (`public_key`); only then is the JSON even parsed. A kiosk only ever
//! moves forward (a bundle whose version is not newer than the applied one is refused), so a
//! replayed old bundle cannot undo corrections. Everything is checked before the catalogue is
//! touched, and the catalogue is then replaced in one transaction (`Store::replace_all`).
//!
//! - [`keys`]: the signing key and its public half, as files;
//! - [`bundle`]: the bundle's bytes, its manifest, signing and checking, publishing into a folder;
//! - [`fetch`]: getting the manifest and the bundle from `http(s)://…/` or a folder, with a
//!   conditional request, a timeout and size limits;
//! - [`sync`]: the whole of `wic sync` but the index rebuild (the command does that).

pub mod bundle;
pub mod fetch;
pub mod keys;
pub mod sync;

use std::path::PathBuf;

use crate::catalogue::{Problem, StoreError};

/// Everything that can stop a keygen, a publish or a sync. Each variant is one cause a person
/// can act on; the command turns it into one translated line.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("{}: not a wic key file ({reason})", path.display())]
    BadKey { path: PathBuf, reason: String },
    #[error("{from}: cannot be reached ({reason})")]
    Unreachable { from: String, reason: String },
    #[error("{url}: the server answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{what}: larger than {limit} bytes")]
    TooLarge { what: String, limit: u64 },
    #[error("{what}: download interrupted ({reason})")]
    Interrupted { what: String, reason: String },
    #[error("{what}: {got} bytes instead of the {expected} announced (truncated?)")]
    Truncated { what: String, expected: u64, got: u64 },
    #[error("{what}: SHA-256 {got} instead of {expected} (altered?)")]
    Digest { what: String, expected: String, got: String },
    #[error("{what}: not signed by the key(s) in {}", keys.display())]
    Signature { what: String, keys: PathBuf },
    #[error("{what}: not a wic bundle ({reason})")]
    Malformed { what: String, reason: String },
    #[error("bundle version {offered} is not newer than the applied version {applied}")]
    NotNewer { offered: u64, applied: u64 },
    #[error("{} entry problem(s) in the bundle", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(crate) fn io_err(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> FleetError + '_ {
    move |source| FleetError::Io { path: path.to_path_buf(), source }
}
