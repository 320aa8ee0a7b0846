//! Errors a user sees, each naming the path or query and what to do.

use std::path::{Path, PathBuf};

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
        if let tantivy::TantivyError::LockFailure(
            tantivy::directory::error::LockError::LockBusy,
            _,
        ) = err
        {
            return ArchivError::Locked(path.to_path_buf());
        }
        ArchivError::Open {
            path: path.to_path_buf(),
            message: err.to_string(),
        }
    }
}
