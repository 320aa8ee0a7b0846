//! Storage faults, made real (see `common/storage_faults.rs`): a read-only
//! or unwritable index folder, a vanished one, a full disk, an unreadable
//! input file. Each is reported with the path and the system's reason and
//! exit code 2 (a skipped input file: named, and the run goes on), and the
//! index still opens and answers with what it held before.
//!
//! A fault that cannot be produced on this machine makes its test print why
//! and return; root in CI can produce them all.

#![cfg(target_os = "linux")]

mod common;
#[path = "common/storage_faults.rs"]
mod storage_faults;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

use storage_faults::{
    Tmpfs, fault_is_real, with_file_size_limit, with_read_only, without_file_privileges,
};

/// A temporary folder with `articles/` to index; the index is `index/`.
struct Ws {
    dir: TempDir,
}

impl Ws {
    fn new() -> Ws {
        let ws = Ws {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fs::create_dir(ws.articles()).unwrap();
        ws
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn articles(&self) -> PathBuf {
        self.root().join("articles")
    }

    fn index(&self) -> PathBuf {
        self.root().join("index")
    }

    fn run(&self, args: &[&str]) -> common::Output {
        common::run_archiv(self.root(), &self.index(), args, None)
    }

    fn run_with(&self, args: &[&str], fault: impl FnOnce(&mut Command)) -> common::Output {
        common::run_archiv_with(self.root(), &self.index(), args, None, fault)
    }

    /// A plain-text article about `word`, which only it holds, with about
    /// `words` words of filler.
    fn article(&self, name: &str, word: &str, words: usize) {
        let mut text = format!("Meldung über {word}\n\nIm Rathaus sprach man über {word}.");
        let mut seed = name
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31) ^ u64::from(b));
        for _ in 0..words {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(&format!(" w{:x}", seed >> 40));
        }
        text.push('\n');
        let path = self.articles().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn index_ok(&self) -> common::Output {
        let out = self.run(&["index", "articles"]);
        assert_eq!(out.code, Some(0), "archiv index: {}", out.stderr);
        out
    }

    /// Articles counted by `archiv stats` (run with `fault`).
    fn count_with(&self, fault: impl FnOnce(&mut Command)) -> u64 {
        let out = self.run_with(&["stats", "--format", "json"], fault);
        assert_eq!(out.code, Some(0), "stats: {}", out.stderr);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["articles"].as_u64().unwrap()
    }

    fn count(&self) -> u64 {
        self.count_with(|_| {})
    }

    /// Paths of the hits for `word` (run with `fault`); the search must answer.
    fn found_with(&self, word: &str, fault: impl FnOnce(&mut Command)) -> Vec<String> {
        let out = self.run_with(&["search", word, "--format", "json", "-n", "1000"], fault);
        assert!(
            matches!(out.code, Some(0 | 1)),
            "search {word}: {}",
            out.stderr
        );
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    }

    fn found(&self, word: &str) -> Vec<String> {
        self.found_with(word, |_| {})
    }

    /// The index's own files (lock files and the like aside).
    fn index_files(&self) -> BTreeSet<String> {
        fs::read_dir(self.index())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect()
    }
}

/// Prints why a test cannot produce its fault here.
fn skip(test: &str, why: &str) {
    eprintln!("{test}: SKIPPED, the fault cannot be produced here: {why}");
}

/// `archiv index` with `fault` fails, naming the index folder, the system's
/// `reason` and what the index keeps; the index still answers with what it
/// held before, and holds all once the fault is gone.
fn assert_write_fault(ws: &Ws, fault: impl Fn(&mut Command), reason: &str, kept: &str) {
    let files_before = ws.index_files();
    let out = ws.run_with(&["index", "articles"], &fault);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let message = format!(
        "archiv: cannot write to the index at {}: {reason}",
        ws.index().display()
    );
    assert!(out.stderr.starts_with(&message), "{}", out.stderr);
    assert!(out.stderr.trim_end().ends_with(kept), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);

    // As before: the old articles found, the new ones not.
    assert_eq!(ws.count(), 3);
    assert_eq!(ws.found("Kegelbahn"), vec!["articles/alt/1.txt"]);
    assert!(ws.found("Wasserturm").is_empty());
    // The files the failed run had begun take no room for long: the next
    // run removes them first (this one, of the old articles only, has
    // nothing to write).
    let out = ws.run(&["index", "articles/alt"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(" 3 unchanged, 0 removed"),
        "{}",
        out.stderr
    );
    assert_eq!(ws.index_files(), files_before);
}

/// Three articles indexed, then many more added (about `words` words each)
/// that are not indexed yet.
fn indexed_then_grown(ws: &Ws, new_files: usize, words: usize) {
    ws.article("alt/1.txt", "Kegelbahn", 20);
    ws.article("alt/2.txt", "Zollhaus", 20);
    ws.article("alt/3.txt", "Glockenturm", 20);
    ws.index_ok();
    for i in 0..new_files {
        ws.article(&format!("neu/{i:04}.txt"), "Wasserturm", words);
    }
}

/// After the fault is gone, the next run indexes everything, each once.
fn assert_resumes(ws: &Ws, new_files: usize) {
    let out = ws.index_ok();
    assert!(
        out.stderr
            .contains(&format!("{new_files} indexed, 0 updated, 3 unchanged")),
        "{}",
        out.stderr
    );
    assert_eq!(ws.count(), 3 + new_files as u64);
    assert_eq!(ws.found("Wasserturm").len(), new_files);
}

#[test]
fn read_only_index_folder_is_named_and_still_searched() {
    let ws = Ws::new();
    indexed_then_grown(&ws, 5, 20);
    let index = ws.index();
    let read_only = |cmd: &mut Command| with_read_only(cmd, &index);
    let probe = format!("touch '{}/probe'", index.display());
    match fault_is_real(&probe, read_only) {
        Ok(true) => {}
        Ok(false) => return skip("read-only index", "a read-only bind mount is writable"),
        Err(why) => return skip("read-only index", &format!("cannot mount: {why}")),
    }
    assert_write_fault(
        &ws,
        read_only,
        "Read-only file system (os error 30)",
        "; it is unchanged",
    );
    // Searching needs no writing: an archive on a read-only disk answers.
    assert_eq!(
        ws.found_with("Kegelbahn", read_only),
        vec!["articles/alt/1.txt"]
    );
    assert_eq!(ws.count_with(read_only), 3);
    let show = ws.run_with(&["show", "articles/alt/2.txt"], read_only);
    assert_eq!(show.code, Some(0), "{}", show.stderr);
    assert_resumes(&ws, 5);
}

#[test]
fn index_folder_without_write_permission_is_named() {
    let ws = Ws::new();
    indexed_then_grown(&ws, 5, 20);
    let index = ws.index();
    fs::set_permissions(&index, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = format!("touch '{}/probe'", index.display());
    let real = fault_is_real(&probe, without_file_privileges);
    if real != Ok(true) {
        fs::set_permissions(&index, fs::Permissions::from_mode(0o755)).unwrap();
        return skip(
            "unwritable index folder",
            &format!("file modes do not hold: {real:?}"),
        );
    }
    assert_write_fault(
        &ws,
        without_file_privileges,
        "Permission denied (os error 13)",
        "; it keeps its last commit (3 articles)",
    );
    // Another user's index, readable but not writable, answers too.
    assert_eq!(
        ws.found_with("Zollhaus", without_file_privileges),
        vec!["articles/alt/2.txt"]
    );
    fs::set_permissions(&index, fs::Permissions::from_mode(0o755)).unwrap();
    assert_resumes(&ws, 5);
}

#[test]
fn full_disk_stops_indexing_and_keeps_the_last_commit() {
    let ws = Ws::new();
    // Room for the first three articles, not for 400 more of 500 words.
    let disk = match Tmpfs::mount(&ws.index(), 512 << 10) {
        Ok(disk) => disk,
        Err(e) => return skip("full disk", &format!("cannot mount a tmpfs: {e}")),
    };
    indexed_then_grown(&ws, 400, 500);
    assert_write_fault(
        &ws,
        |_| {},
        "No space left on device (os error 28)",
        "; it keeps its last commit (3 articles)",
    );
    disk.resize(64 << 20).unwrap();
    assert_resumes(&ws, 400);
}

#[test]
fn file_size_limit_stops_indexing_like_a_full_disk() {
    let ws = Ws::new();
    indexed_then_grown(&ws, 400, 500);
    let limit = |cmd: &mut Command| with_file_size_limit(cmd, 128 << 10);
    let probe = "head -c 200000 /dev/zero > big";
    match fault_is_real(probe, |cmd| {
        cmd.current_dir(ws.root());
        limit(cmd)
    }) {
        Ok(true) => {}
        other => return skip("file size limit", &format!("{other:?}")),
    }
    assert_write_fault(
        &ws,
        limit,
        "File too large (os error 27)",
        "; it keeps its last commit (3 articles)",
    );
    assert_resumes(&ws, 400);
}

#[test]
fn vanished_index_folder_is_named() {
    let ws = Ws::new();
    ws.article("1.txt", "Kegelbahn", 20);
    ws.index_ok();
    fs::remove_dir_all(ws.index()).unwrap();
    let no_index = format!("archiv: no index at {}", ws.index().display());
    for args in [
        &["search", "Kegelbahn"][..],
        &["stats"],
        &["export", "Kegelbahn"],
        &["show", "articles/1.txt"],
    ] {
        let out = ws.run(args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with(&no_index),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // Half gone: the index's files are there but a segment is not.
    ws.index_ok();
    let segment = fs::read_dir(ws.index())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a segment's store");
    fs::remove_file(&segment).unwrap();
    let out = ws.run(&["search", "Kegelbahn"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let message = format!(
        "archiv: cannot open the index at {}: ",
        ws.index().display()
    );
    assert!(out.stderr.starts_with(&message), "{}", out.stderr);
    let name = segment.file_name().unwrap().to_string_lossy();
    assert!(out.stderr.contains(name.as_ref()), "{}", out.stderr);
}

#[test]
fn unreadable_input_files_are_skipped_by_name_and_the_rest_indexed() {
    let ws = Ws::new();
    ws.article("gut.txt", "Kegelbahn", 20);
    ws.article("gesperrt.txt", "Zollhaus", 20);
    ws.article("zu/drin.txt", "Zollhaus", 20);
    let locked = ws.articles().join("gesperrt.txt");
    let closed = ws.articles().join("zu");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).unwrap();
    let real = fault_is_real(
        &format!("cat '{}'", locked.display()),
        without_file_privileges,
    );
    let out = ws.run_with(&["index", "articles", "--verbose"], without_file_privileges);
    // Modes back, so that the temporary folder can be removed.
    fs::set_permissions(&closed, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    if real != Ok(true) {
        return skip(
            "unreadable input",
            &format!("file modes do not hold: {real:?}"),
        );
    }
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().map(str::trim).collect();
    assert!(
        lines.contains(
            &"skipped articles/gesperrt.txt: cannot read: Permission denied (os error 13)"
        ),
        "{}",
        out.stderr
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("skipped articles/zu: cannot read")
                && l.contains("Permission denied")),
        "{}",
        out.stderr
    );
    assert_eq!(ws.found("Kegelbahn"), vec!["articles/gut.txt"]);
    assert!(ws.found("Zollhaus").is_empty());
}
