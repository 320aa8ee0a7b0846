//! Incremental indexing: new and changed files are read, files that are gone
//! are removed, unchanged files cost one `stat`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use tantivy::{IndexWriter, TantivyError, Term};

use super::common_slots::{self, CommonSlots};
use super::{Archive, IndexStamp};
use crate::error::ArchivError;
use crate::ingest::{self, FileEntry, Skip};

/// Options of one `archiv index` run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub roots: Vec<PathBuf>,
    pub rebuild: bool,
    /// The writer's memory budget in bytes.
    pub memory_budget: usize,
    /// Files larger than this are skipped.
    pub max_file_bytes: u64,
    pub threads: usize,
    pub progress: bool,
    /// Entity recognition; off only to measure what it costs.
    pub annotate: bool,
    /// Merge the archive into one segment at the end of the run.
    pub optimize: bool,
    /// Commit this often (between chunks of files), so that a crash loses
    /// no more work.
    pub checkpoint: Duration,
    /// Set (by Ctrl-C) to stop after the files being read, committing what is done.
    pub stop: Arc<AtomicBool>,
}

/// What a run did, in articles (files for `unchanged_files`).
#[derive(Debug, Default, Serialize)]
pub struct IndexSummary {
    pub indexed: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: Vec<Skip>,
    pub files_read: usize,
    pub bytes_read: u64,
    pub elapsed: Duration,
    pub total_articles: u64,
    /// Stopped by `IndexOptions::stop`.
    pub interrupted: bool,
    /// New or changed files left for the next run.
    pub files_left: usize,
}

/// Files of the index with their stamps and article counts, read from the
/// fast columns of live documents.
fn indexed_files(archive: &Archive) -> Result<HashMap<String, (u64, usize)>, ArchivError> {
    let reader = archive.reader()?;
    let searcher = reader.searcher();
    let mut files: HashMap<String, (u64, usize)> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(file_col) = fast.str(super::schema::FILE)? else {
            continue;
        };
        let stamp_col = fast.u64(super::schema::FILE_STAMP)?;
        let alive = segment.alive_bitset();
        let mut name = String::new();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            let Some(ord) = file_col.term_ords(doc).next() else {
                continue;
            };
            name.clear();
            file_col.ord_to_str(ord, &mut name)?;
            let stamp = stamp_col.first(doc).unwrap_or(0);
            let entry = files.entry(name.clone()).or_insert((stamp, 0));
            entry.1 += 1;
        }
    }
    Ok(files)
}

fn writer_for(archive: &Archive, opts: &IndexOptions) -> Result<IndexWriter, ArchivError> {
    let writer = archive
        .index
        .writer_with_num_threads(opts.threads.max(1), opts.memory_budget)
        .map_err(|e| match e {
            // The lock file cannot be written: a read-only folder or disk.
            TantivyError::LockFailure(tantivy::directory::error::LockError::IoError(_), _) => {
                ArchivError::write(&archive.dir, &e, "; it is unchanged".into())
            }
            e => ArchivError::open(&archive.dir, e),
        })?;
    // Files a killed or failed run left half-written are removed, so that
    // they take no space.
    let _ = writer.garbage_collect_files().wait();
    Ok(writer)
}

/// Commits what the writer holds, stamped with this version of archiv.
fn commit(writer: &mut IndexWriter, opts: &IndexOptions) -> Result<(), TantivyError> {
    let mut stamp = IndexStamp::current();
    if !opts.annotate {
        // Stamped apart, so that a normal run asks for a rebuild.
        stamp.entities = "none".into();
    }
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&stamp).expect("stamp serialises"));
    prepared.commit()?;
    Ok(())
}

/// A fresh archive, stamped at once so that readers never see an unstamped index.
fn create_stamped(
    dir: &std::path::Path,
    opts: &IndexOptions,
) -> Result<(Archive, IndexWriter), ArchivError> {
    let archive = Archive::create(dir)?;
    let mut writer = writer_for(&archive, opts)?;
    commit(&mut writer, opts).map_err(|e| ArchivError::write(dir, &e, String::new()))?;
    Ok((archive, writer))
}

/// Opens the archive for writing, holding the writer lock: creates it when
/// missing, empties it with `--rebuild`, and recreates it with `--rebuild`
/// when another version made it or it differs from a new one in its fields
/// or settings. Returns whether it starts empty.
fn open_for_write(
    dir: &std::path::Path,
    opts: &IndexOptions,
) -> Result<(Archive, IndexWriter, bool), ArchivError> {
    if !super::exists(dir) {
        let (archive, writer) = create_stamped(dir, opts)?;
        return Ok((archive, writer, true));
    }
    let opened = Archive::open_for_indexing(dir);
    let (archive, writer) = match opened {
        Ok(archive) => {
            // The lock first: a running indexer is reported as such, not as a version problem.
            let writer = writer_for(&archive, opts)?;
            (archive, writer)
        }
        Err(ArchivError::Version { .. }) if opts.rebuild => return make_anew(dir, opts),
        Err(e) => return Err(e),
    };
    match archive.check_version() {
        // A rebuild makes the archive as this version would make it anew.
        Ok(()) if opts.rebuild && !archive.made_as_now() => {
            drop(writer);
            make_anew(dir, opts)
        }
        Ok(()) if opts.rebuild => {
            writer
                .delete_all_documents()
                .map_err(|e| ArchivError::write(dir, &e, "; it is unchanged".into()))?;
            Ok((archive, writer, true))
        }
        Ok(()) => Ok((archive, writer, false)),
        Err(e @ ArchivError::Version { .. }) if !opts.rebuild => Err(e),
        Err(ArchivError::Version { .. }) => {
            drop(writer);
            make_anew(dir, opts)
        }
        Err(e) => Err(e),
    }
}

/// Replaces the archive in `dir` with a new, empty one (its writer lock let go first).
fn make_anew(
    dir: &std::path::Path,
    opts: &IndexOptions,
) -> Result<(Archive, IndexWriter, bool), ArchivError> {
    remove_index_files(dir)?;
    let (archive, writer) = create_stamped(dir, opts)?;
    Ok((archive, writer, true))
}

/// Removes what tantivy wrote in `dir`, leaving other files (such as a
/// `.gitignore`) in place.
fn remove_index_files(dir: &std::path::Path) -> Result<(), ArchivError> {
    // meta.json first: a run stopped half-way leaves no index rather than
    // one whose segments are missing.
    match std::fs::remove_file(dir.join("meta.json")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(ArchivError::Io {
                path: dir.join("meta.json"),
                source: e,
            });
        }
        _ => {}
    }
    let entries = std::fs::read_dir(dir).map_err(|e| ArchivError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name == "meta.json"
            || name.starts_with(common_slots::FILE_NAME)
            || name == ".managed.json"
            || name == ".tantivy-meta.lock"
            || [
                ".idx",
                ".pos",
                ".term",
                ".store",
                ".fast",
                ".fieldnorm",
                ".del",
            ]
            .iter()
            .any(|ext| name.ends_with(ext));
        if ours {
            std::fs::remove_file(entry.path()).map_err(|e| ArchivError::Io {
                path: entry.path(),
                source: e,
            })?;
        }
    }
    Ok(())
}

fn under_roots(file: &str, roots: &[String]) -> bool {
    roots.iter().any(|root| {
        file == root
            || file
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
    })
}

/// Indexes the given folders into the archive at `dir`.
pub fn index_paths(
    dir: &std::path::Path,
    opts: &IndexOptions,
) -> Result<IndexSummary, ArchivError> {
    let started = Instant::now();
    for root in &opts.roots {
        if !root.exists() {
            return Err(ArchivError::Other(format!(
                "{}: no such file or folder",
                root.display()
            )));
        }
    }
    let (archive, mut writer, created) = open_for_write(dir, opts)?;
    let known = if created {
        HashMap::new()
    } else {
        indexed_files(&archive)?
    };

    let (entries, walk_skips) = ingest::walk(&opts.roots);
    let mut summary = IndexSummary {
        skipped: walk_skips,
        ..Default::default()
    };

    let walked: HashSet<&str> = entries.iter().map(|e| e.canonical.as_str()).collect();
    let mut to_read: Vec<(&FileEntry, bool)> = Vec::new();
    for entry in &entries {
        match known.get(&entry.canonical) {
            None => to_read.push((entry, false)),
            Some((stamp, _)) if *stamp != entry.stamp => to_read.push((entry, true)),
            Some((_, count)) => summary.unchanged += count,
        }
    }

    // Articles whose files are gone: under a root and not walked, or anywhere and missing.
    let roots: Vec<String> = opts
        .roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .map(|r| r.to_string_lossy().into_owned())
        .collect();
    let fields = archive.fields.clone();
    for (file, (_, count)) in &known {
        if walked.contains(file.as_str()) {
            continue;
        }
        let gone = under_roots(file, &roots) || !std::path::Path::new(file).exists();
        if gone {
            writer.delete_term(Term::from_field_text(fields.file, file));
            summary.removed += count;
        }
    }

    let progress = if opts.progress {
        let bar = ProgressBar::new(to_read.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} indexing [{bar:30}] {pos}/{len} files {per_sec} ETA {eta}",
            )
            .unwrap()
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };

    // Files are read and parsed in parallel, a chunk at a time; while the
    // writer takes one chunk's articles, the next chunk is being parsed.
    // Once `stop` is set, files not yet begun are left unread (`None`).
    let stop = &opts.stop;
    let parse_chunk = |chunk: &[(&FileEntry, bool)]| -> Vec<Option<ingest::FileOutcome>> {
        chunk
            .par_iter()
            .map(|(entry, _)| {
                (!stop.load(Ordering::Relaxed))
                    .then(|| ingest::read_entry(entry, opts.max_file_bytes, opts.annotate))
            })
            .collect()
    };
    let chunks = read_chunks(&to_read);
    let mut last_commit = Instant::now();
    // Commits happen between files, never between a changed file's delete
    // and its adds, so that every commit holds each file whole or not at all.
    let written = std::thread::scope(|scope| -> Result<(), TantivyError> {
        let mut parsing = chunks.first().map(|c| scope.spawn(|| parse_chunk(c)));
        for (n, chunk) in chunks.iter().enumerate() {
            let outcomes = parsing
                .take()
                .expect("every chunk is parsed")
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let stopping = stop.load(Ordering::Relaxed);
            if !stopping && let Some(next) = chunks.get(n + 1) {
                parsing = Some(scope.spawn(|| parse_chunk(next)));
            }
            for (outcome, (entry, changed)) in outcomes.into_iter().zip(chunk.iter()) {
                let Some(outcome) = outcome else {
                    continue;
                };
                summary.files_read += 1;
                summary.bytes_read += entry.size;
                let now = outcome.articles.len();
                if *changed {
                    writer.delete_term(Term::from_field_text(fields.file, &entry.canonical));
                    // A file that now holds more or fewer articles than before
                    // (a JSON-lines dump that grew) adds or removes the difference.
                    let before = known.get(&entry.canonical).map_or(0, |(_, c)| *c);
                    summary.updated += now.min(before);
                    summary.indexed += now.saturating_sub(before);
                    summary.removed += before.saturating_sub(now);
                } else {
                    summary.indexed += now;
                }
                for mut article in outcome.articles {
                    writer.add_document(archive.to_document(&mut article, entry.stamp))?;
                }
                summary.skipped.extend(outcome.skipped);
                progress.inc(1);
            }
            if stopping {
                break;
            }
            if n + 1 < chunks.len() && last_commit.elapsed() >= opts.checkpoint {
                commit(&mut writer, opts)?;
                last_commit = Instant::now();
            }
        }
        Ok(())
    });
    progress.finish_and_clear();
    summary.interrupted = stop.load(Ordering::Relaxed);
    summary.files_left = to_read.len() - summary.files_read;

    // Nothing to write: leave the last commit as it is (an index is only
    // created with a commit, so an existing one already carries its stamp).
    if written.is_ok() && !created && summary.files_read == 0 && summary.removed == 0 {
        if opts.optimize && !summary.interrupted {
            merge_into_one(&archive, &mut writer)?;
            writer.wait_merging_threads()?;
        } else {
            drop(writer);
        }
        let searcher = archive.reader()?.searcher();
        // A run stopped between its last commit and this file left it out.
        if CommonSlots::read(&archive.dir).is_none() {
            CommonSlots::count(&searcher)?.write(&archive.dir)?;
        }
        summary.total_articles = searcher.num_docs();
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    if let Err(e) = written.and_then(|()| commit(&mut writer, opts)) {
        return Err(write_failed(&archive, writer, e));
    }
    if summary.interrupted {
        // Merges are left for the next run: a stop should be quick.
        drop(writer);
    } else {
        if opts.optimize {
            merge_into_one(&archive, &mut writer)?;
        }
        writer.wait_merging_threads()?;
    }

    let searcher = archive.reader()?.searcher();
    CommonSlots::count(&searcher)?.write(&archive.dir)?;
    summary.total_articles = searcher.num_docs();
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Merges every segment of the archive into one (`index --optimize`): a
/// search opens, ranks and reads one segment instead of several (100,000
/// articles in 4 segments: p50 6.3 → 5.5 ms, for 2.8 s of merging). The
/// merge keeps the last commit's stamp.
fn merge_into_one(archive: &Archive, writer: &mut IndexWriter) -> Result<(), ArchivError> {
    let segments = archive
        .index
        .searchable_segment_ids()
        .map_err(|e| ArchivError::write(&archive.dir, &e, String::new()))?;
    if segments.len() > 1 {
        writer
            .merge(&segments)
            .wait()
            .map_err(|e| ArchivError::write(&archive.dir, &e, String::new()))?;
    }
    Ok(())
}

/// Files read and parsed at a time: at most this many...
const CHUNK_FILES: usize = 256;
/// ...and as few as hold this many bytes, so that a folder of large dumps
/// (10,000 articles a file) does not hold hundreds of MB of parsed articles
/// twice over, one chunk parsing while the last is written.
const CHUNK_BYTES: u64 = 32 << 20;

/// The files to read, cut into chunks of `CHUNK_FILES` files or `CHUNK_BYTES`.
fn read_chunks<'a, 'e>(files: &'a [(&'e FileEntry, bool)]) -> Vec<&'a [(&'e FileEntry, bool)]> {
    let mut chunks = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, (entry, _)) in files.iter().enumerate() {
        if i > start && (i - start == CHUNK_FILES || bytes + entry.size > CHUNK_BYTES) {
            chunks.push(&files[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += entry.size;
    }
    if start < files.len() {
        chunks.push(&files[start..]);
    }
    chunks
}

/// The error for a write that failed, after dropping what was not committed
/// (the index keeps its last commit) and removing the files it had begun.
fn write_failed(archive: &Archive, mut writer: IndexWriter, err: TantivyError) -> ArchivError {
    // When an indexing thread fails, adding reports only that it is gone;
    // its own error (the disk is full) comes when the threads are joined.
    let err = match err {
        TantivyError::ErrorInThread(_) => match writer.prepare_commit() {
            Err(cause) => cause,
            Ok(_) => err,
        },
        err => err,
    };
    // Best effort: what this run began and is no longer needed goes now (a
    // thread still writing may leave a file; the next run removes it first).
    if writer.rollback().is_ok() {
        let _ = writer.garbage_collect_files().wait();
    }
    drop(writer);
    let kept = match archive.reader() {
        Ok(reader) => format!(
            "; it keeps its last commit ({} articles)",
            reader.searcher().num_docs()
        ),
        Err(_) => String::new(),
    };
    ArchivError::write(&archive.dir, &err, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuild_makes_an_archive_from_before_the_word_marks_anew() {
        let articles = tempfile::tempdir().unwrap();
        let text = "Soldaten in Kursk\n\nAus Nordkorea kamen Soldaten. ".repeat(30);
        std::fs::write(articles.path().join("kursk.txt"), text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        super::super::create_as_before_word_marks(dir.path());
        let opts = |rebuild| IndexOptions {
            roots: vec![articles.path().to_path_buf()],
            rebuild,
            memory_budget: 50 << 20,
            max_file_bytes: 1 << 30,
            threads: 1,
            progress: false,
            annotate: true,
            optimize: false,
            checkpoint: Duration::from_secs(60),
            stop: Arc::default(),
        };
        // A run without --rebuild adds to the archive as it is...
        index_paths(dir.path(), &opts(false)).unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        assert!(!archive.made_as_now());
        assert_eq!(archive.reader().unwrap().searcher().num_docs(), 1);
        drop(archive);
        // ...a rebuild makes it as this version makes a new one.
        let summary = index_paths(dir.path(), &opts(true)).unwrap();
        assert_eq!(summary.indexed, 1);
        let archive = Archive::open(dir.path()).unwrap();
        assert!(archive.made_as_now());
        assert!(archive.fields.body_marks.is_some());
        assert_eq!(archive.reader().unwrap().searcher().num_docs(), 1);
    }

    fn entry(size: u64) -> FileEntry {
        FileEntry {
            path: "a.jsonl".into(),
            display: "a.jsonl".into(),
            canonical: "/a.jsonl".into(),
            kind: ingest::FileKind::Jsonl,
            size,
            stamp: 0,
        }
    }

    fn chunk_lengths(sizes: &[u64]) -> Vec<usize> {
        let entries: Vec<FileEntry> = sizes.iter().map(|&s| entry(s)).collect();
        let files: Vec<(&FileEntry, bool)> = entries.iter().map(|e| (e, false)).collect();
        read_chunks(&files).iter().map(|c| c.len()).collect()
    }

    #[test]
    fn chunks_hold_256_small_files_or_32_mib_of_large_ones() {
        assert_eq!(chunk_lengths(&[1_000; 600]), [256, 256, 88]);
        // Dumps of 35 MB: one a chunk; two of 16 MiB fill one.
        assert_eq!(chunk_lengths(&[35 << 20; 3]), [1, 1, 1]);
        assert_eq!(chunk_lengths(&[16 << 20; 5]), [2, 2, 1]);
        assert!(chunk_lengths(&[]).is_empty());
    }
}
