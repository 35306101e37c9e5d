//! The central machine's signing key and the public half kiosks are given, as small text
//! files: a comment line, then the key in hexadecimal. The secret file is created new with
//! mode 0600 (never over an existing key: losing one means re-keying every kiosk).
//!
//! A public-key file may hold several keys, one a line: a kiosk accepts a bundle signed by any
//! of them. That is how keys are rotated without a day when kiosks refuse every bundle (README,
//! "Running a fleet of kiosks").

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::{FleetError, io_err};

const SECRET_HEADER: &str =
    "# wic signing key (Ed25519 seed, hex). Keep it secret: whoever holds it can publish to every kiosk.";
const PUBLIC_HEADER: &str =
    "# wic public key(s) (Ed25519, hex), one a line: kiosks accept bundles signed by any of them.";

/// `FILE` and `FILE.pub`.
pub fn public_path(secret: &Path) -> PathBuf {
    let mut name = secret.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// A short name for a public key (the first 16 hex digits of its SHA-256), shown in the
/// manifest and in messages so people can tell keys apart.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// Writes a new key pair: `secret` (mode 0600) and `secret.pub`. Neither may exist.
/// Returns the public key's id.
pub fn generate(secret: &Path) -> Result<String, FleetError> {
    let public = public_path(secret);
    for path in [secret, public.as_path()] {
        if path.exists() {
            return Err(FleetError::Exists(path.to_path_buf()));
        }
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| FleetError::Io { path: secret.to_path_buf(), source: std::io::Error::other(e.to_string()) })?;
    let key = SigningKey::from_bytes(&seed);
    write_new(secret, 0o600, &format!("{SECRET_HEADER}\n{}\n", hex::encode(seed)))?;
    let verifying = key.verifying_key();
    write_new(&public, 0o644, &format!("{PUBLIC_HEADER}\n{}\n", hex::encode(verifying.as_bytes())))?;
    Ok(key_id(&verifying))
}

/// Creates `path` (refusing an existing one) with `mode` from the start: the secret is never
/// readable by others, not even for a moment.
fn write_new(path: &Path, mode: u32, text: &str) -> Result<(), FleetError> {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(mode).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            FleetError::Exists(path.to_path_buf())
        } else {
            FleetError::Io { path: path.to_path_buf(), source: e }
        }
    })?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(io_err(path))
}

/// The 32-byte lines of a key file (comments and blank lines skipped).
fn key_lines(path: &Path) -> Result<Vec<[u8; 32]>, FleetError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    let bad = |reason: String| FleetError::BadKey { path: path.to_path_buf(), reason };
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bytes = hex::decode(line).map_err(|e| bad(format!("line {}: {e}", n + 1)))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| bad(format!("line {}: not 32 bytes", n + 1)))?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(bad("no key".into()));
    }
    Ok(keys)
}

/// Reads the signing key `wic keygen` wrote.
pub fn load_secret(path: &Path) -> Result<SigningKey, FleetError> {
    match key_lines(path)?.as_slice() {
        [one] => Ok(SigningKey::from_bytes(one)),
        _ => Err(FleetError::BadKey { path: path.to_path_buf(), reason: "more than one key".into() }),
    }
}

/// Reads the public key(s) a kiosk trusts.
pub fn load_public(path: &Path) -> Result<Vec<VerifyingKey>, FleetError> {
    key_lines(path)?
        .iter()
        .map(|k| {
            VerifyingKey::from_bytes(k)
                .map_err(|e| FleetError::BadKey { path: path.to_path_buf(), reason: e.to_string() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn keygen_writes_a_private_key_and_its_public_half_once() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("central.key");
        let id = generate(&secret).unwrap();
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let signing = load_secret(&secret).unwrap();
        let public = load_public(&public_path(&secret)).unwrap();
        assert_eq!(public, vec![signing.verifying_key()]);
        assert_eq!(key_id(&public[0]), id);
        assert!(matches!(generate(&secret), Err(FleetError::Exists(_))));
    }

    #[test]
    fn a_public_file_may_hold_two_keys_and_garbage_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        generate(&a).unwrap();
        generate(&b).unwrap();
        let both = dir.path().join("both.pub");
        let text =
            std::fs::read_to_string(public_path(&a)).unwrap() + &std::fs::read_to_string(public_path(&b)).unwrap();
        std::fs::write(&both, text).unwrap();
        assert_eq!(load_public(&both).unwrap().len(), 2);
        std::fs::write(&both, "zz\n").unwrap();
        let e = load_public(&both).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
    }
}
