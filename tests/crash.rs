//! Never losing the archive: `archiv index` killed at random points, stopped
//! with Ctrl-C, and run while others search or index. After each of these
//! the index must open, hold every file whole or not at all, hold no article
//! twice, and a further run must finish the work.

#![cfg(target_os = "linux")]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// A generated corpus and what the index may hold of it
// ---------------------------------------------------------------------------

const SYLLABLES: [&str; 18] = [
    "ber", "gen", "hau", "sen", "mit", "tel", "lan", "der", "stra", "ße", "wei", "ler", "kon",
    "fe", "renz", "ort", "ver", "ein",
];

/// A small deterministic pseudo-random generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What a file holds: the version of its text and its number of articles.
type Version = (u32, usize);

/// A folder of generated articles in three shapes (.txt: one article,
/// .json: an array, .jsonl: one a line). Every title ends in "Fassung N",
/// the version of its file, so that the index shows which version it holds.
struct Corpus {
    /// Where archiv runs; files are stored as `arts/NAME`.
    root: PathBuf,
    rng: Lcg,
    /// Each file's state on disk: `None` once removed.
    files: BTreeMap<String, Option<Version>>,
    /// The states each file may have in the index: before or after the
    /// changes a run has still to index.
    allowed: BTreeMap<String, Vec<Option<Version>>>,
}

impl Corpus {
    fn new(root: &Path, files: usize) -> Corpus {
        fs::create_dir_all(root.join("arts")).unwrap();
        let mut corpus = Corpus {
            root: root.to_path_buf(),
            rng: Lcg(0x5eed_f00d),
            files: BTreeMap::new(),
            allowed: BTreeMap::new(),
        };
        for i in 0..files {
            corpus.write(i, 1);
        }
        corpus
    }

    fn name(i: usize) -> String {
        let ext = ["txt", "json", "jsonl"][i % 3];
        format!("arts/a{i:05}.{ext}")
    }

    fn words(&mut self, n: usize) -> String {
        let mut text = String::from("Der Gemeinderat tagte.");
        for _ in 0..n {
            text.push(' ');
            for _ in 0..2 + self.rng.below(3) {
                text.push_str(SYLLABLES[self.rng.below(SYLLABLES.len() as u64) as usize]);
            }
        }
        text.push('.');
        text
    }

    /// Writes file `i` in `version`: .json and .jsonl files change their
    /// number of articles from one version to the next.
    fn write(&mut self, i: usize, version: u32) {
        let name = Corpus::name(i);
        let title = |part: usize| format!("Meldung {i} {part} Fassung {version}");
        let (text, count) = match i % 3 {
            0 => (format!("{}\n\n{}\n", title(0), self.words(60)), 1),
            1 => {
                let count = 1 + version as usize;
                let items: Vec<Value> = (0..count)
                    .map(|part| serde_json::json!({"title": title(part), "text": self.words(50)}))
                    .collect();
                (Value::Array(items).to_string(), count)
            }
            _ => {
                let count = if version == 1 { 3 } else { 2 };
                let lines: Vec<String> = (0..count)
                    .map(|part| {
                        serde_json::json!({"title": title(part), "text": self.words(40)})
                            .to_string()
                    })
                    .collect();
                (lines.join("\n") + "\n", count)
            }
        };
        fs::write(self.root.join(&name), text).unwrap();
        self.files.insert(name, Some((version, count)));
    }

    fn remove(&mut self, i: usize) {
        let name = Corpus::name(i);
        fs::remove_file(self.root.join(&name)).unwrap();
        self.files.insert(name, None);
    }

    /// Articles on disk.
    fn total(&self) -> usize {
        self.files.values().flatten().map(|(_, n)| n).sum()
    }

    /// Before a run: each file may be indexed as it was or as it is now.
    fn expect_run(&mut self, indexed_before: &BTreeMap<String, Option<Version>>) {
        self.allowed = self
            .files
            .iter()
            .map(|(name, now)| {
                let before = indexed_before.get(name).copied().flatten();
                let mut states = vec![before];
                if *now != before {
                    states.push(*now);
                }
                (name.clone(), states)
            })
            .collect();
    }

    /// After a run finished: the index holds every file as it is now.
    fn expect_done(&mut self) {
        self.allowed = self
            .files
            .iter()
            .map(|(name, now)| (name.clone(), vec![*now]))
            .collect();
    }
}

/// A workspace: the corpus under `arts/`, the index in `index/`.
struct Ws {
    dir: TempDir,
}

impl Ws {
    fn new() -> Ws {
        Ws {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn index(&self) -> PathBuf {
        self.root().join("index")
    }

    fn run(&self, args: &[&str]) -> common::Output {
        common::run_archiv(self.root(), &self.index(), args, None)
    }

    /// Starts `archiv index arts ARGS...` in the background.
    fn spawn_index(&self, args: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_archiv"))
            .arg("--index")
            .arg(self.index())
            .args(["index", "arts"])
            .args(args)
            .current_dir(self.root())
            .env_remove("ARCHIV_INDEX")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn archiv index")
    }

    /// Every article of the index by file, as `archiv export` lists them:
    /// (id, title) pairs.
    fn exported(&self) -> BTreeMap<String, Vec<(String, String)>> {
        let out = self.run(&[
            "export",
            "",
            "--format",
            "ndjson",
            "--fields",
            "id,path,title",
        ]);
        assert!(matches!(out.code, Some(0 | 1)), "export: {}", out.stderr);
        let mut files: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let hit: Value = serde_json::from_str(line).unwrap();
            let path = hit["path"].as_str().unwrap();
            let file = path.split('#').next().unwrap().to_string();
            files.entry(file).or_default().push((
                hit["id"].as_str().unwrap().to_string(),
                hit["title"].as_str().unwrap_or_default().to_string(),
            ));
        }
        files
    }

    /// The articles `archiv stats` counts.
    fn stats_count(&self) -> u64 {
        let out = self.run(&["stats", "--format", "json"]);
        assert_eq!(out.code, Some(0), "stats: {}", out.stderr);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["articles"].as_u64().unwrap()
    }

    /// Checks that the index answers, that it holds each file in a state the
    /// corpus allows (whole, in one version), and no article twice. Returns
    /// what it holds of each file.
    fn check_committed(&self, corpus: &Corpus) -> BTreeMap<String, Option<Version>> {
        self.check(corpus, false)
    }

    /// `check_committed` while an indexer may commit between two commands,
    /// so that their counts need not agree.
    fn check_while_indexing(&self, corpus: &Corpus) -> BTreeMap<String, Option<Version>> {
        self.check(corpus, true)
    }

    fn check(&self, corpus: &Corpus, indexing: bool) -> BTreeMap<String, Option<Version>> {
        if !self.index().join("meta.json").exists() {
            // Stopped before the index was created: there is none, and
            // archiv says so.
            let search = self.run(&["search", "Gemeinderat"]);
            assert_eq!(search.code, Some(2), "{}", search.stderr);
            assert!(search.stderr.contains("no index at"), "{}", search.stderr);
            for (file, states) in &corpus.allowed {
                assert!(
                    states.contains(&None),
                    "{file} is lost with the whole index"
                );
            }
            return BTreeMap::new();
        }
        let search = self.run(&["search", "Gemeinderat", "--format", "json"]);
        assert!(
            matches!(search.code, Some(0 | 1)),
            "search failed: {}",
            search.stderr
        );
        let files = self.exported();
        let count: usize = files.values().map(Vec::len).sum();
        if !indexing {
            assert_eq!(
                self.stats_count(),
                count as u64,
                "stats and export disagree"
            );
            assert_eq!(
                search.code,
                Some(if count > 0 { 0 } else { 1 }),
                "search: {}",
                search.stderr
            );
        }
        let mut ids = HashSet::new();
        let mut held = BTreeMap::new();
        for (file, articles) in &files {
            for (id, _) in articles {
                assert!(
                    ids.insert(id.clone()),
                    "article {id} ({file}) is indexed twice"
                );
            }
            let versions: HashSet<&str> = articles
                .iter()
                .map(|(_, title)| title.rsplit("Fassung ").next().unwrap())
                .collect();
            assert_eq!(
                versions.len(),
                1,
                "{file} is indexed in parts of two versions: {articles:?}"
            );
            let version: u32 = versions.into_iter().next().unwrap().parse().unwrap();
            held.insert(file.clone(), Some((version, articles.len())));
        }
        for (file, states) in &corpus.allowed {
            let state = held.get(file).copied().flatten();
            assert!(
                states.contains(&state),
                "{file}: the index holds {state:?}; a commit could only have left one of {states:?}"
            );
        }
        for file in held.keys() {
            assert!(
                corpus.allowed.contains_key(file),
                "{file} is not in the corpus"
            );
        }
        held
    }
}

fn send(child: &Child, signal: i32) {
    // SAFETY: kill(2) on the id of a child that has not been waited for.
    let rc = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(rc, 0, "kill({}, {signal})", child.id());
}

/// Waits for the child and returns its status and stderr.
fn finish(mut child: Child) -> (ExitStatus, String) {
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

/// The counts of the summary line of `archiv index`.
fn summary(stderr: &str) -> BTreeMap<&'static str, u64> {
    let re = regex::Regex::new(
        r"archiv: (\d+) indexed, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) skipped; (\d+) articles in ",
    )
    .unwrap();
    let c = re
        .captures(stderr)
        .unwrap_or_else(|| panic!("no summary in:\n{stderr}"));
    [
        "indexed",
        "updated",
        "unchanged",
        "removed",
        "skipped",
        "articles",
    ]
    .into_iter()
    .enumerate()
    .map(|(i, name)| (name, c[i + 1].parse().unwrap()))
    .collect()
}

// ---------------------------------------------------------------------------
// SIGKILL at random points
// ---------------------------------------------------------------------------

/// Runs `archiv index --checkpoint 0` again and again, killing each run,
/// until a run finishes by itself. The first two kills come at once (while
/// the run opens or creates the index); after that, every other run is
/// killed after a random delay, and the rest a random moment after their
/// first commit, so that some kills surely land mid-run. Every kill is
/// followed by a check of what the index holds. Returns (kills, kills after
/// which the index held more than before the run).
fn kill_until_done(ws: &Ws, corpus: &mut Corpus, rng: &mut Lcg) -> (usize, usize) {
    let (mut kills, mut kept) = (0, 0);
    let mut held = ws.check_committed(corpus);
    corpus.expect_run(&held);
    let meta = ws.index().join("meta.json");
    loop {
        let meta_before = fs::read(&meta).ok();
        let mut child = ws.spawn_index(&["--checkpoint", "0"]);
        let delay = match kills {
            0 => 0,
            1 => 5,
            n if n % 2 == 1 => rng.below(1000),
            _ => {
                while child.try_wait().unwrap().is_none() && fs::read(&meta).ok() == meta_before {
                    std::thread::sleep(Duration::from_millis(2));
                }
                rng.below(400)
            }
        };
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() && kills < 40 {
            child.kill().unwrap();
            let (status, _) = finish(child);
            assert_eq!(status.code(), None, "the run was to be killed");
            kills += 1;
            let now = ws.check_committed(corpus);
            if now != held {
                kept += 1;
            }
            held = now;
            continue;
        }
        // Finished before the kill (or enough kills): the run must succeed.
        // The killed runs left their writer lock file behind, but the lock
        // itself is the system's and died with them.
        if kills > 0 {
            assert!(ws.index().join(".tantivy-writer.lock").exists());
        }
        let (status, stderr) = finish(child);
        assert!(
            status.success(),
            "archiv index after {kills} kills: {status}\n{stderr}"
        );
        corpus.expect_done();
        ws.check_committed(corpus);
        let s = summary(&stderr);
        assert_eq!(s["articles"], corpus.total() as u64, "{stderr}");
        return (kills, kept);
    }
}

#[test]
fn sigkill_at_random_points_loses_no_commit_and_doubles_no_article() {
    let ws = Ws::new();
    let mut corpus = Corpus::new(ws.root(), 2000);
    let mut rng = Lcg(20_241_023);

    // A fresh index, built under kills.
    let (kills, kept) = kill_until_done(&ws, &mut corpus, &mut rng);
    eprintln!("fresh index: {kills} kills, {kept} left more committed than before");
    assert!(kills >= 3, "too few kills to say anything ({kills})");
    assert!(kept >= 1, "no kill left a checkpoint behind");

    // Changes under kills: a changed file is held in its old or its new
    // version, never both or half; removed ones go, new ones come.
    for i in (0..2000).step_by(4) {
        corpus.write(i, 2);
    }
    for i in (1..2000).step_by(41) {
        corpus.remove(i);
    }
    for i in 2000..2300 {
        corpus.write(i, 2);
    }
    let (kills, kept) = kill_until_done(&ws, &mut corpus, &mut rng);
    eprintln!("changes: {kills} kills, {kept} left more committed than before");
    assert!(kept >= 1, "no kill left a checkpoint of the changes behind");

    // A last run has nothing left to do.
    let out = ws.run(&["index", "arts"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let s = summary(&out.stderr);
    assert_eq!(
        s["indexed"] + s["updated"] + s["removed"],
        0,
        "{}",
        out.stderr
    );
    assert_eq!(s["unchanged"], corpus.total() as u64);
}

// ---------------------------------------------------------------------------
// Ctrl-C and SIGTERM
// ---------------------------------------------------------------------------

/// Starts `archiv index --checkpoint 0`, waits until it has committed some
/// articles, then delivers `signal` while it is held stopped, so that the
/// signal lands mid-run whatever the machine's speed.
fn interrupt_mid_run(ws: &Ws, signal: i32) -> (ExitStatus, String) {
    let mut child = ws.spawn_index(&["--checkpoint", "0"]);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "archiv index finished before it could be interrupted"
        );
        if ws.index().join("meta.json").exists() && ws.stats_count() > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    send(&child, libc::SIGSTOP);
    send(&child, signal);
    send(&child, libc::SIGCONT);
    finish(child)
}

/// After an interrupted run: the summary tells what is committed, which is
/// exactly what the index holds; a second run indexes the rest.
fn assert_interrupted_then_resumed(ws: &Ws, corpus: &mut Corpus, stderr: &str) {
    let s = summary(stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("archiv: interrupted"))
        .unwrap_or_else(|| panic!("the summary does not say it was interrupted:\n{stderr}"));
    corpus.expect_run(&BTreeMap::new());
    let held = ws.check_committed(corpus);
    let committed: usize = held.values().flatten().map(|(_, n)| n).sum();
    assert_eq!(s["articles"], committed as u64, "{stderr}");
    assert_eq!(s["indexed"], committed as u64, "{stderr}");
    assert!(
        committed < corpus.total() || line.contains("every file"),
        "{stderr}"
    );

    let out = ws.run(&["index", "arts"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let again = summary(&out.stderr);
    assert_eq!(again["unchanged"], committed as u64, "{}", out.stderr);
    assert_eq!(
        again["indexed"],
        (corpus.total() - committed) as u64,
        "{}",
        out.stderr
    );
    corpus.expect_done();
    ws.check_committed(corpus);
}

#[test]
fn ctrl_c_commits_what_is_done_and_exits_130() {
    let ws = Ws::new();
    let mut corpus = Corpus::new(ws.root(), 1500);
    let (status, stderr) = interrupt_mid_run(&ws, libc::SIGINT);
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("left for the next `archiv index`"),
        "{stderr}"
    );
    assert_interrupted_then_resumed(&ws, &mut corpus, &stderr);
}

#[test]
fn sigterm_stops_like_ctrl_c_and_exits_143() {
    let ws = Ws::new();
    let mut corpus = Corpus::new(ws.root(), 1500);
    let (status, stderr) = interrupt_mid_run(&ws, libc::SIGTERM);
    assert_eq!(status.code(), Some(143), "{stderr}");
    assert_interrupted_then_resumed(&ws, &mut corpus, &stderr);
}

// ---------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------

#[test]
fn searches_while_indexing_see_only_whole_commits() {
    let ws = Ws::new();
    let mut corpus = Corpus::new(ws.root(), 300);
    let out = ws.run(&["index", "arts"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    corpus.expect_done();
    let before = ws.check_committed(&corpus);
    for i in 300..1500 {
        corpus.write(i, 1);
    }
    corpus.expect_run(&before);

    let mut child = ws.spawn_index(&["--checkpoint", "0"]);
    let mut counts = Vec::new();
    loop {
        let finished = child.try_wait().unwrap().is_some();
        let held = ws.check_while_indexing(&corpus);
        counts.push(held.values().flatten().map(|(_, n)| n).sum::<usize>());
        if finished {
            break;
        }
    }
    let (status, stderr) = finish(child);
    assert!(status.success(), "{stderr}");
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "a search saw articles vanish: {counts:?}"
    );
    assert_eq!(counts.last(), Some(&corpus.total()));
    eprintln!("article counts seen while indexing: {counts:?}");
}

/// True when process `pid` holds a lock on the file with inode `ino`, as
/// /proc/locks lists it (`1: FLOCK ADVISORY WRITE <pid> <dev>:<ino> 0 EOF`).
fn holds_lock(pid: u32, ino: u64) -> bool {
    let locks = fs::read_to_string("/proc/locks").expect("/proc/locks");
    locks.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() >= 6
            && fields[4] == pid.to_string()
            && fields[5].rsplit(':').next() == Some(ino.to_string().as_str())
    })
}

#[test]
fn a_second_indexer_fails_at_once_naming_the_index() {
    use std::os::unix::fs::MetadataExt;
    let ws = Ws::new();
    let mut corpus = Corpus::new(ws.root(), 600);
    let mut first = ws.spawn_index(&[]);
    let lock = ws.index().join(".tantivy-writer.lock");
    loop {
        assert!(
            first.try_wait().unwrap().is_none(),
            "archiv index finished before it took the lock"
        );
        if fs::metadata(&lock).is_ok_and(|m| holds_lock(first.id(), m.ino())) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // Held stopped, the first indexer keeps the lock for as long as the
    // second one takes: a second one that waited would never return.
    send(&first, libc::SIGSTOP);
    let second = ws.run(&["index", "arts"]);
    send(&first, libc::SIGCONT);
    assert_eq!(second.code, Some(2), "{}", second.stderr);
    let message = format!(
        "archiv: another `archiv index` is already writing to {}",
        ws.index().display()
    );
    assert!(second.stderr.starts_with(&message), "{}", second.stderr);

    let (status, stderr) = finish(first);
    assert!(status.success(), "{stderr}");
    corpus.expect_done();
    ws.check_committed(&corpus);
}
