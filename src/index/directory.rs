//! The index folder as tantivy sees it: its own memory-mapped directory,
//! except that a reader can open an index it may not write to.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fs4::fs_std::FileExt;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// An index folder on disk.
#[derive(Clone, Debug)]
pub struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl IndexDirectory {
    pub fn open(root: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    /// Readers take the blocking meta lock while they open segments, so that
    /// a writer's clean-up cannot delete them half-way; tantivy opens its
    /// file for writing, which fails on a read-only mount or someone else's
    /// index. An advisory lock holds on a file opened for reading just as
    /// well, and on a read-only file system no writer can delete anything.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(cause)) if lock.is_blocking => {
                match File::open(self.root.join(&lock.filepath)) {
                    Ok(file) => {
                        FileExt::lock_exclusive(&file).map_err(LockError::wrap_io_error)?;
                        Ok(DirectoryLock::from(Box::new(file)))
                    }
                    Err(_) if cause.kind() == io::ErrorKind::ReadOnlyFilesystem => {
                        Ok(DirectoryLock::from(Box::new(())))
                    }
                    Err(_) => Err(LockError::IoError(cause)),
                }
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
