//! Errors a user sees, each naming the path or query and what to do.

use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;

use crate::search::query::QueryError;

#[derive(Debug, thiserror::Error)]
pub enum ArchivError {
    #[error("no index at {0}: run `archiv index [PATH...]` to build one")]
    NoIndex(PathBuf),
    #[error(
        "the index at {dir} was made by {found}; this is archiv {current}: run `archiv index --rebuild` to rebuild it",
        current = env!("CARGO_PKG_VERSION")
    )]
    Version { dir: PathBuf, found: String },
    #[error("another `archiv index` is already writing to {0}; wait for it to finish")]
    Locked(PathBuf),
    #[error("cannot open the index at {path}: {message}")]
    Open { path: PathBuf, message: String },
    /// Writing failed (disk full, read-only folder, no permission); `kept`
    /// says what the index still holds.
    #[error("cannot write to the index at {path}: {reason}{kept}")]
    Write {
        path: PathBuf,
        reason: String,
        kept: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Query(#[from] QueryError),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("reading the index: {0}")]
    IndexRead(#[from] std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl ArchivError {
    pub fn open(path: &Path, err: tantivy::TantivyError) -> ArchivError {
        if let tantivy::TantivyError::LockFailure(LockError::LockBusy, _) = err {
            return ArchivError::Locked(path.to_path_buf());
        }
        ArchivError::Open {
            path: path.to_path_buf(),
            message: reason(&err),
        }
    }

    /// A failed write to the index at `path`, which still holds its last
    /// commit; `kept` tells what that is (or is empty).
    pub fn write(path: &Path, err: &tantivy::TantivyError, kept: String) -> ArchivError {
        ArchivError::Write {
            path: path.to_path_buf(),
            reason: reason(err),
            kept,
        }
    }
}

/// What the system said, when an I/O error lies under tantivy's error
/// ("No space left on device (os error 28)"); tantivy's message otherwise.
pub fn reason(err: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError, OpenWriteError};
    let io: Option<&std::io::Error> = match err {
        T::IoError(e) => Some(e),
        T::LockFailure(LockError::IoError(e), _) => Some(e),
        T::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_error),
        T::OpenReadError(OpenReadError::IoError { io_error, .. }) => Some(io_error),
        T::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => Some(io_error),
        _ => None,
    };
    match (io, err) {
        (Some(io), _) => io.to_string(),
        (None, T::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_))) => {
            "no such folder".to_string()
        }
        (None, T::OpenReadError(OpenReadError::FileDoesNotExist(file))) => {
            format!("{} is missing", file.display())
        }
        // Tantivy passes some I/O errors on as text.
        (None, T::InternalError(text) | T::ErrorInThread(text) | T::SystemError(text)) => {
            text.clone()
        }
        _ => err.to_string(),
    }
}
