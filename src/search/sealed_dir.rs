//! A generation opened for reading only. A live generation is never written again (a rebuild
//! makes a new one, `generation.rs`), yet tantivy's reader takes its `meta` lock on opening by
//! creating and locking a file in the index folder — which a staff session, running as its
//! own account in a folder only the `wic` service user may write, cannot do (SECURITY.md,
//! "The data directory"). The lock guards against tantivy's own clean-up removing segment
//! files while a reader opens them; that clean-up runs only in a writer, and no writer ever
//! touches a live generation, so here the lock is granted without a file. Every write is
//! refused.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

#[derive(Debug, Clone)]
pub struct SealedDir {
    inner: MmapDirectory,
}

impl SealedDir {
    pub fn open(path: &Path) -> tantivy::Result<SealedDir> {
        Ok(SealedDir { inner: MmapDirectory::open(path)? })
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, format!("{}: a live index generation is read-only", path.display()))
}

impl Directory for SealedDir {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: Arc::new(read_only(path)), filepath: path.to_path_buf() })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError { io_error: Arc::new(read_only(path)), filepath: path.to_path_buf() })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Nothing to hold: see the module's comment.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_but_never_writes() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("a"), b"x").expect("write");
        let sealed = SealedDir::open(dir.path()).expect("open");
        assert!(sealed.exists(Path::new("a")).expect("exists"));
        assert!(sealed.atomic_write(Path::new("a"), b"y").is_err());
        assert!(sealed.open_write(Path::new("b")).is_err());
        assert!(sealed.delete(Path::new("a")).is_err());
        assert!(sealed.acquire_lock(&tantivy::directory::META_LOCK).is_ok());
        // No lock file was made: nothing at all was written.
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
        assert_eq!(std::fs::read(dir.path().join("a")).expect("read"), b"x");
    }
}
