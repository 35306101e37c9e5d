//! Writing a file whole or not at all: a temporary file beside it, flushed to disk, then
//! renamed over it, and the folder flushed so the rename survives a power cut. Whoever reads
//! the file at that moment — a web server serving a signed bundle, the central machine copying
//! a kiosk's reports, a session waiting for the service's answer — finds the old file or the
//! new one, never half of either.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Writes `bytes` to `path` whole, with permissions `mode` when given (else the umask's).
/// On failure the temporary file is removed and `path` is as it was.
pub fn write(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Some(mode) = mode {
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
        }
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return written;
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.json");
        std::fs::write(&path, b"old").expect("w");
        write(&path, b"new", Some(0o644)).expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777, 0o644);
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1, "no temporary file left");
        // A folder that does not exist: an error, and nothing written anywhere.
        assert!(write(&dir.path().join("no/such.json"), b"x", None).is_err());
    }
}
