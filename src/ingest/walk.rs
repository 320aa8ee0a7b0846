//! Walking the user's folders: recursive, hidden entries skipped, symlinks
//! followed without looping, unknown extensions reported rather than read.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::{FileKind, Skip};

/// A file that will be read as an article source.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The path as walked (relative when the user gave a relative root).
    pub path: PathBuf,
    /// The path shown to the user and stored in the index.
    pub display: String,
    /// Canonical absolute path: the file's identity across runs.
    pub canonical: String,
    pub kind: FileKind,
    pub size: u64,
    /// Modification time and size folded into one number: a cheap "has it changed" check.
    pub stamp: u64,
}

/// Something the walk could not use.
pub type WalkSkip = Skip;

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// The stamp of a file: changes when its size or modification time does.
pub fn stamp_of(meta: &std::fs::Metadata) -> u64 {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    let mut hasher = blake3::Hasher::new();
    hasher.update(&mtime.to_le_bytes());
    hasher.update(&meta.len().to_le_bytes());
    let hash = hasher.finalize();
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().unwrap())
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The canonical path of a walked file. A file that is no symbolic link is
/// its canonical folder's entry, and the files of a folder come together:
/// each folder is resolved once.
fn canonical_path(
    entry: &walkdir::DirEntry,
    folder: &mut Option<(PathBuf, PathBuf)>,
) -> std::io::Result<String> {
    let path = entry.path();
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return std::fs::canonicalize(path).map(|c| c.to_string_lossy().into_owned());
    };
    if entry.path_is_symlink() || parent.as_os_str().is_empty() {
        return std::fs::canonicalize(path).map(|c| c.to_string_lossy().into_owned());
    }
    if folder.as_ref().is_none_or(|(walked, _)| walked != parent) {
        *folder = Some((parent.to_path_buf(), std::fs::canonicalize(parent)?));
    }
    let (_, canonical) = folder.as_ref().expect("set above");
    Ok(canonical.join(name).to_string_lossy().into_owned())
}

/// Walks the roots; returns the files to read and the entries skipped, with reasons.
pub fn walk(roots: &[PathBuf]) -> (Vec<FileEntry>, Vec<WalkSkip>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    // The canonical path of the folder of the last file (resolving a path
    // reads every link on it, which took most of a walk's time).
    let mut folder: Option<(PathBuf, PathBuf)> = None;
    for root in roots {
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let address = err.path().map_or_else(|| display_path(root), display_path);
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else if let Some(io) = err.io_error() {
                        format!("cannot read: {io}")
                    } else {
                        err.to_string()
                    };
                    skipped.push(Skip { address, reason });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path().to_path_buf();
            let display = display_path(&path);
            if path.to_str().is_none() {
                skipped.push(Skip {
                    address: display,
                    reason: "file name is not valid UTF-8 (rename the file to index it)".into(),
                });
                continue;
            }
            let Some(kind) = FileKind::from_path(&path) else {
                skipped.push(Skip {
                    address: display,
                    reason: "unknown extension (archiv reads .txt .text .md .json .jsonl .ndjson .html .htm)".into(),
                });
                continue;
            };
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    skipped.push(Skip {
                        address: display,
                        reason: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            let canonical = match canonical_path(&entry, &mut folder) {
                Ok(c) => c,
                Err(e) => {
                    skipped.push(Skip {
                        address: display,
                        reason: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            files.push(FileEntry {
                path,
                display,
                canonical,
                kind,
                size: meta.len(),
                stamp: stamp_of(&meta),
            });
        }
    }
    // The same file reached twice (two roots, or a symlink) is read once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.canonical.clone()));
    (files, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_canonical_path_however_reached() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("echt/unter")).unwrap();
        std::fs::write(root.join("echt/a.txt"), "Eins").unwrap();
        std::fs::write(root.join("echt/unter/b.txt"), "Zwei").unwrap();
        // The same files through a linked folder and a linked file.
        std::os::unix::fs::symlink("echt", root.join("verweis")).unwrap();
        std::os::unix::fs::symlink("echt/unter/b.txt", root.join("b-verweis.txt")).unwrap();
        let (files, skipped) = walk(&[root.to_path_buf()]);
        assert!(skipped.is_empty(), "{skipped:?}");
        let mut canonical: Vec<String> = files.iter().map(|f| f.canonical.clone()).collect();
        canonical.sort();
        let expected: Vec<String> = ["echt/a.txt", "echt/unter/b.txt"]
            .iter()
            .map(|p| {
                std::fs::canonicalize(root.join(p))
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(canonical, expected);
        for file in &files {
            let resolved = std::fs::canonicalize(&file.path).unwrap();
            assert_eq!(
                file.canonical,
                resolved.to_string_lossy(),
                "{:?}",
                file.path
            );
        }
    }
}
