//! The index folder as tantivy sees it: its own memory-mapped directory,
//! except that a reader can open an index it may not write to, and that an
//! indexing run lets go of the pages of the files it has read.

use std::fs::File;
use std::io;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use fs4::fs_std::FileExt;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, OwnedBytes,
    WatchCallback, WatchHandle, WritePtr,
};

/// An index folder on disk.
#[derive(Clone, Debug)]
pub struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    /// Set for an indexing run: the files it maps, to let go of their pages.
    mapped: Option<Arc<MappedFiles>>,
}

impl IndexDirectory {
    pub fn open(root: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        Ok(IndexDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            mapped: None,
        })
    }

    /// The folder for an indexing run. Merging segments reads every page of
    /// them once; mapped, those pages would count in the run's resident
    /// memory until the merge ends (1.7 GB at a million articles). Every
    /// `PAGE_RELEASE_INTERVAL` the run gives them back instead: they stay in
    /// the page cache, and a page read again comes from there.
    pub fn open_for_indexing(root: &Path) -> Result<IndexDirectory, OpenDirectoryError> {
        let mapped = Arc::new(MappedFiles::default());
        #[cfg(unix)]
        {
            let weak = Arc::downgrade(&mapped);
            std::thread::Builder::new()
                .name("archiv-page-release".into())
                .spawn(move || release_pages_until_dropped(&weak))
                .map_err(|e| OpenDirectoryError::IoError {
                    io_error: Arc::new(e),
                    directory_path: root.to_path_buf(),
                })?;
        }
        Ok(IndexDirectory {
            mapped: Some(mapped),
            ..IndexDirectory::open(root)?
        })
    }
}

/// How often an indexing run lets go of the pages it has read.
const PAGE_RELEASE_INTERVAL: Duration = Duration::from_millis(100);

/// The files an indexing run has mapped, while any part of tantivy uses them.
#[derive(Debug, Default)]
struct MappedFiles {
    maps: Mutex<Vec<Weak<memmap2::Mmap>>>,
}

#[cfg(unix)]
fn release_pages_until_dropped(files: &Weak<MappedFiles>) {
    loop {
        std::thread::sleep(PAGE_RELEASE_INTERVAL);
        let Some(files) = files.upgrade() else {
            return;
        };
        let mut maps = files.maps.lock().unwrap_or_else(|e| e.into_inner());
        maps.retain(|map| match map.upgrade() {
            Some(map) => {
                // SAFETY: the map is a read-only shared mapping of a file, so
                // dropping its pages loses nothing: the next read of a page
                // maps it again from the page cache or the file.
                let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
                true
            }
            None => false,
        });
    }
}

/// A mapped file as tantivy's bytes.
struct MappedBytes(Arc<memmap2::Mmap>);

impl Deref for MappedBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

// SAFETY: the bytes are the mapping's, which stays where it is while the Arc lives.
unsafe impl stable_deref_trait::StableDeref for MappedBytes {}

impl MappedFiles {
    fn open(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let file = File::open(path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(e, path.to_path_buf())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len();
        if len == 0 {
            // An empty file cannot be mapped.
            return Ok(Arc::new(OwnedBytes::empty()));
        }
        // SAFETY: tantivy never changes a file it has written; it writes new
        // ones and deletes old ones, which a mapping outlives.
        let map = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        let map = Arc::new(map);
        self.maps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::downgrade(&map));
        Ok(Arc::new(OwnedBytes::new(MappedBytes(map))))
    }
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match &self.mapped {
            Some(mapped) => mapped.open(&self.root.join(path)),
            None => self.inner.get_file_handle(path),
        }
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        match &self.mapped {
            Some(_) => Ok(FileSlice::new(self.get_file_handle(path)?)),
            None => self.inner.open_read(path),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_the_same_after_the_run_let_go_of_its_pages() {
        let dir = tempfile::tempdir().unwrap();
        let content: Vec<u8> = (0..3 * 4096 + 17).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("a.store"), &content).unwrap();
        std::fs::write(dir.path().join("empty.store"), b"").unwrap();
        let directory = IndexDirectory::open_for_indexing(dir.path()).unwrap();
        let slice = directory.open_read(Path::new("a.store")).unwrap();
        assert_eq!(slice.read_bytes().unwrap().as_slice(), &content[..]);
        std::thread::sleep(PAGE_RELEASE_INTERVAL * 3);
        assert_eq!(slice.read_bytes().unwrap().as_slice(), &content[..]);
        assert_eq!(
            slice.slice(4096..4100).read_bytes().unwrap().as_slice(),
            &content[4096..4100]
        );
        let empty = directory.open_read(Path::new("empty.store")).unwrap();
        assert!(empty.read_bytes().unwrap().is_empty());
        assert!(matches!(
            directory.open_read(Path::new("missing.store")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
