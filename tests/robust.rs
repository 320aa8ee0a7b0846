//! Hostile input and hostile queries, through the real binary: every bad
//! file is skipped with a message that names it and says why, the good
//! files beside it are still indexed and found, and no query panics, hangs
//! or runs without bounds.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// A temporary folder with `articles/` to index and `index/` for the index;
/// archiv runs in it, so paths read `articles/...`.
struct Ws {
    dir: TempDir,
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
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

    fn file(&self, name: &str) -> PathBuf {
        self.articles().join(name)
    }

    fn run(&self, args: &[&str]) -> Run {
        let started = Instant::now();
        let out = common::run_archiv(self.root(), &self.root().join("index"), args, None);
        Run {
            code: out.code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: out.stderr,
            took: started.elapsed(),
        }
    }

    /// `archiv index articles --verbose`: exit code 0 (skips are reported,
    /// not errors).
    fn index(&self, extra: &[&str]) -> Run {
        let mut args = vec!["index", "articles", "--verbose"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, Some(0), "archiv {args:?}:\n{}", run.stderr);
        run
    }

    /// Paths of the hits for `query` (none when exit code 1).
    fn found(&self, query: &str) -> Vec<String> {
        let run = self.run(&["search", query, "--format", "json", "-n", "100"]);
        assert!(matches!(run.code, Some(0 | 1)), "search {query:?}: {run:?}");
        let json: Value = serde_json::from_str(&run.stdout).expect("json output");
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    }

    /// A plain-text article with `word` in it, which must be found afterwards.
    fn good(&self, name: &str, word: &str) {
        fs::write(
            self.file(name),
            format!(
                "Meldung aus dem Ort\n\nIm Gemeindesaal wurde am Montag über {word} gesprochen. Viele Leute kamen und blieben bis zum Abend.\n"
            ),
        )
        .unwrap();
    }

    fn assert_found(&self, word: &str, path: &str) {
        assert_eq!(self.found(word), vec![path.to_string()], "search {word}");
    }
}

/// The `skipped PATH: REASON` line for `path`, which must be there.
fn skip_line<'a>(run: &'a Run, path: &str) -> &'a str {
    let prefix = format!("skipped {path}: ");
    run.stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no skip line for {path}:\n{}", run.stderr))
}

fn assert_skipped(run: &Run, path: &str, reason: &str) {
    let line = skip_line(run, path);
    assert!(line.contains(reason), "{line:?} should say {reason:?}");
}

fn skipped_count(run: &Run) -> usize {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("archiv: ") && l.contains(" skipped; "))
        .unwrap_or_else(|| panic!("no summary:\n{}", run.stderr));
    let before = line.split(" skipped; ").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

// ---------------------------------------------------------------------------
// Hostile files
// ---------------------------------------------------------------------------

#[test]
fn damaged_utf8_is_read_as_utf8_and_nul_bytes_are_skipped() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    let mut damaged = "Neuer Gemüsehändler\n\nDer Gemüsehändler am Markt verkauft Äpfel und Birnen aus der Region. "
        .as_bytes()
        .to_vec();
    damaged.extend_from_slice(b"Hier fehlt ein Byte: \xc3 und hier ist M\xfcll \xff\xfe. ");
    damaged.extend_from_slice("Die Kundschaft grüßt freundlich.\n".as_bytes());
    fs::write(ws.file("kaputt.txt"), damaged).unwrap();
    let mut nul = b"Titel\n\nText mit einem Nullbyte".to_vec();
    nul.push(0);
    nul.extend_from_slice(b" mitten im Satz ueber Wasserturm.\n");
    fs::write(ws.file("nul.txt"), &nul).unwrap();
    // A NUL far behind the start, past the quick look at the first bytes.
    let mut late = b"Titel\n\n".to_vec();
    late.extend(b"Wasserturm und Stadtmauer. ".repeat(1000));
    late.push(0);
    fs::write(ws.file("spaet.txt"), &late).unwrap();

    let run = ws.index(&[]);
    assert_skipped(&run, "articles/nul.txt", "binary file (NUL bytes)");
    assert_skipped(&run, "articles/spaet.txt", "binary file (NUL bytes)");
    assert_eq!(skipped_count(&run), 2, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    // The damaged file keeps its umlauts: read as UTF-8, not as Windows-1252.
    ws.assert_found("Gemüsehändler", "articles/kaputt.txt");
    ws.assert_found("grüßt", "articles/kaputt.txt");
    assert!(ws.found("Wasserturm").is_empty());
    let show = ws.run(&["show", "articles/kaputt.txt", "--format", "json"]);
    let article: Value = serde_json::from_str(&show.stdout).unwrap();
    let body = article["body"].as_str().unwrap();
    assert!(body.contains("Äpfel und Birnen"), "{body}");
    assert!(!body.contains("Ã"), "mojibake in {body}");
    assert_eq!(article["encoding"], "UTF-8");
}

/// Peak resident memory of a child process in MiB, polled from /proc while
/// it runs, and its exit code.
#[cfg(target_os = "linux")]
fn run_measuring_memory(ws: &Ws, args: &[&str]) -> (Option<i32>, String, u64, Duration) {
    use std::io::Read;
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_archiv"))
        .arg("--index")
        .arg(ws.root().join("index"))
        .args(args)
        .current_dir(ws.root())
        .env_remove("ARCHIV_INDEX")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Ok(status) = fs::read_to_string(&status_file) {
            for line in status.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kib: u64 = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak_kib = peak_kib.max(kib);
                }
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "archiv {args:?} still runs after a minute"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr, peak_kib >> 10, started.elapsed())
}

#[cfg(target_os = "linux")]
#[test]
fn file_of_200_mb_on_one_line_is_refused_fast_and_small() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(fs::File::create(ws.file("riesig.txt")).unwrap());
        // 640 × 5 × 65,536 bytes: 200 MiB of `Zoll Zoll …` without a line break.
        let chunk = "Zoll ".repeat(1 << 16);
        for _ in 0..640 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        f.flush().unwrap();
    }
    let (code, stderr, peak_mib, took) =
        run_measuring_memory(&ws, &["index", "articles", "--verbose"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("skipped articles/riesig.txt: file too large (200.0 MiB; the limit is 64.0 MiB, see --max-file-size)"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(peak_mib < 400, "peak memory {peak_mib} MiB");
    ws.assert_found("Kegelbahn", "articles/gut.txt");

    // A lower cap refuses a smaller file; the default lets it in.
    let line = "Zollamt ".repeat(300_000);
    fs::write(ws.file("gross.txt"), format!("Titel\n\n{line}\n")).unwrap();
    let run = ws.index(&["--max-file-size", "1"]);
    assert_skipped(
        &run,
        "articles/gross.txt",
        "file too large (2.3 MiB; the limit is 1.0 MiB",
    );
    assert!(ws.found("Zollamt").is_empty());
}

#[test]
fn an_article_above_the_size_cap_is_skipped_before_it_costs_time() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    // 5 MiB of text on one line, in a file well under --max-file-size.
    let words = "Kaimole ".repeat(5 << 17);
    fs::write(ws.file("lang.txt"), format!("Titel\n\n{words}\n")).unwrap();
    fs::write(
        ws.file("lang.html"),
        format!(
            "<html><body><p>{}</p></body></html>",
            "Kaimole ".repeat(5 << 19)
        ),
    )
    .unwrap();
    fs::write(
        ws.file("dump.jsonl"),
        format!("{{\"text\": \"{words}\"}}\n{{\"text\": \"Der Fischmarkt öffnet am Sonntag.\"}}\n"),
    )
    .unwrap();
    let run = ws.index(&[]);
    assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
    assert_skipped(
        &run,
        "articles/lang.txt",
        "article too large (5.0 MiB of text; the limit is 4.0 MiB, see --max-article-size)",
    );
    assert_skipped(
        &run,
        "articles/lang.html",
        "article too large (20.0 MiB of text; the limit is 16.0 MiB, see --max-article-size)",
    );
    assert_skipped(
        &run,
        "articles/dump.jsonl#1",
        "article too large (5.0 MiB of text; the limit is 4.0 MiB",
    );
    assert_eq!(skipped_count(&run), 3, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    ws.assert_found("Fischmarkt", "articles/dump.jsonl#2");
    assert!(ws.found("Kaimole").is_empty());

    // A higher cap lets the text file in.
    fs::remove_file(ws.file("lang.html")).unwrap();
    let run = ws.index(&["--max-article-size", "8"]);
    assert!(
        !run.stderr.contains("skipped articles/lang.txt"),
        "{}",
        run.stderr
    );
    assert!(
        ws.found("Kaimole")
            .contains(&"articles/lang.txt".to_string())
    );
}

#[test]
fn deeply_nested_json_and_html_are_skipped_quickly() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    fs::write(ws.file("tief.json"), "[".repeat(100_000)).unwrap();
    fs::write(
        ws.file("tief-objekt.json"),
        format!(
            "{}{{\"text\": \"Kellerfund\"}}{}",
            "{\"a\":".repeat(50_000),
            "}".repeat(50_000)
        ),
    )
    .unwrap();
    fs::write(
        ws.file("tief.jsonl"),
        format!(
            "{}\n{{\"text\": \"Heimatmuseum im Dorf\"}}\n",
            "[".repeat(100_000)
        ),
    )
    .unwrap();
    fs::write(
        ws.file("tief.html"),
        format!(
            "<html><body>{}<p>Kellerfund in der Altstadt</p>{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    )
    .unwrap();
    fs::write(
        ws.file("offen.html"),
        format!(
            "<html><body>{}Kellerfund ohne Ende",
            "<span>".repeat(100_000)
        ),
    )
    .unwrap();
    let run = ws.index(&[]);
    assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
    assert_skipped(
        &run,
        "articles/tief.json",
        "invalid JSON: recursion limit exceeded",
    );
    assert_skipped(
        &run,
        "articles/tief-objekt.json",
        "invalid JSON: recursion limit exceeded",
    );
    assert_skipped(
        &run,
        "articles/tief.jsonl#1",
        "invalid JSON: recursion limit exceeded",
    );
    assert_skipped(
        &run,
        "articles/tief.html",
        "HTML elements nested more than 512 deep",
    );
    assert_skipped(
        &run,
        "articles/offen.html",
        "HTML elements nested more than 512 deep",
    );
    assert_eq!(skipped_count(&run), 5, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    // The good line of the JSON-lines file is indexed.
    ws.assert_found("Heimatmuseum", "articles/tief.jsonl#2");
    assert!(ws.found("Kellerfund").is_empty());
}

#[test]
fn json_with_wrong_types_keeps_what_it_can() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    fs::write(
        ws.file("zahl.json"),
        r#"{"title": 42, "maintext": "Der Turnverein feiert sein Jubiläum mit einem Fest.", "date_publish": "gestern abend"}"#,
    )
    .unwrap();
    fs::write(
        ws.file("objekt.json"),
        r#"{"title": "Objekt", "maintext": {"absatz": "Schachclub"}, "date_publish": 20240101}"#,
    )
    .unwrap();
    fs::write(
        ws.file("mix.json"),
        r#"[1, "Text", null, true, {"text": ["Der Chor probt", 7, {"x": []}, "im Gemeindehaus."], "date": {"jahr": 2024}, "authors": 5, "url": ["nicht", "da"]}]"#,
    )
    .unwrap();
    fs::write(
        ws.file("datum.json"),
        r#"{"title": "Datum", "text": "Das Feuerwehrhaus bekommt ein neues Dach.", "date": "2024-99-99T99:99:99"}"#,
    )
    .unwrap();
    let run = ws.index(&[]);
    assert_skipped(&run, "articles/objekt.json", "no article text");
    assert_skipped(
        &run,
        "articles/mix.json#1",
        "not a JSON object (found a number)",
    );
    assert_skipped(
        &run,
        "articles/mix.json#2",
        "not a JSON object (found a string)",
    );
    assert_skipped(
        &run,
        "articles/mix.json#3",
        "not a JSON object (found null)",
    );
    assert_skipped(
        &run,
        "articles/mix.json#4",
        "not a JSON object (found a boolean)",
    );
    assert_eq!(skipped_count(&run), 5, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    ws.assert_found("Turnverein", "articles/zahl.json");
    ws.assert_found("Gemeindehaus", "articles/mix.json#5");
    ws.assert_found("Feuerwehrhaus", "articles/datum.json");
    // A garbage date is no date, not an error.
    let show = ws.run(&["show", "articles/datum.json", "--format", "json"]);
    let article: Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(article["date"], Value::Null, "{article}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_reported() {
    use std::os::unix::fs::symlink;
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    fs::create_dir(ws.file("kreis")).unwrap();
    ws.good("kreis/innen.txt", "Glockenturm");
    symlink("..", ws.file("kreis/hoch")).unwrap();
    symlink("selbst.txt", ws.file("selbst.txt")).unwrap();
    symlink("nirgends.txt", ws.file("weg.txt")).unwrap();
    symlink("b.txt", ws.file("a.txt")).unwrap();
    symlink("a.txt", ws.file("b.txt")).unwrap();
    let run = ws.index(&[]);
    assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
    assert_skipped(&run, "articles/kreis/hoch", "symbolic link loop");
    assert_skipped(&run, "articles/selbst.txt", "cannot read");
    assert_skipped(&run, "articles/weg.txt", "cannot read");
    assert_skipped(&run, "articles/a.txt", "cannot read");
    assert_skipped(&run, "articles/b.txt", "cannot read");
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    ws.assert_found("Glockenturm", "articles/kreis/innen.txt");
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_named_in_the_skip() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    let name = OsStr::from_bytes(b"Bericht M\xfcnchen.txt");
    fs::write(
        ws.articles().join(name),
        "Titel\n\nDie Stadt baut eine Seilbahn über den Fluss zum Zoo.\n",
    )
    .unwrap();
    let folder = ws.articles().join(OsStr::from_bytes(b"Ordner \xe4"));
    fs::create_dir(&folder).unwrap();
    fs::write(
        folder.join("drin.txt"),
        "Titel\n\nIm Ordner steht ein Bericht über den Stausee.\n",
    )
    .unwrap();
    ws.good("Bericht Zürich.txt", "Turmuhr");
    let run = ws.index(&[]);
    assert_skipped(
        &run,
        "articles/Bericht M\u{FFFD}nchen.txt",
        "file name is not valid UTF-8 (rename the file to index it)",
    );
    assert_skipped(
        &run,
        "articles/Ordner \u{FFFD}/drin.txt",
        "file name is not valid UTF-8",
    );
    assert_eq!(skipped_count(&run), 2, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    // Names in UTF-8 with umlauts are read as usual.
    ws.assert_found("Turmuhr", "articles/Bericht Zürich.txt");
    assert!(ws.found("Seilbahn").is_empty());
}

#[test]
fn a_word_of_one_megabyte_does_not_stop_the_article() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    let word = "Donaudampfschiff".repeat(65_536);
    fs::write(
        ws.file("wort.txt"),
        format!(
            "Langes Wort\n\nVor dem Wort steht Rathausplatz, dann {word} und danach Marktbrunnen.\n"
        ),
    )
    .unwrap();
    fs::write(
        ws.file("wort.json"),
        format!("{{\"title\": \"{word}\", \"text\": \"Im Titel steht ein langes Wort, hier Brückenzoll.\"}}"),
    )
    .unwrap();
    let run = ws.index(&[]);
    assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
    assert_eq!(skipped_count(&run), 0, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    ws.assert_found("Rathausplatz", "articles/wort.txt");
    ws.assert_found("Marktbrunnen", "articles/wort.txt");
    ws.assert_found("Brückenzoll", "articles/wort.json");
    // Such a word is not indexed, and a query for it says so.
    let run = ws.run(&["search", &word[..5000], "--format", "json"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("words longer than 64 bytes are not"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_of_100_000_tiny_files() {
    let ws = Ws::new();
    for i in 0..100_000u32 {
        let dir = ws.file(&format!("d{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir(&dir).unwrap();
        }
        let text = match i % 4 {
            0 => String::new(),
            1 => format!("Notiz {i}"),
            2 => format!("{{\"text\": \"Zettel {i}\"}}"),
            _ => "x".to_string(),
        };
        let ext = if i % 4 == 2 { "json" } else { "txt" };
        fs::write(dir.join(format!("f{i}.{ext}")), text).unwrap();
    }
    ws.good("gut.txt", "Kegelbahn");
    let run = ws.index(&[]);
    eprintln!("100,000 tiny files indexed in {:?}", run.took);
    assert_eq!(skipped_count(&run), 25_000, "the empty files");
    assert!(run.stderr.contains("75001 articles in"), "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    assert_eq!(
        ws.found("\"Zettel 99998\""),
        vec!["articles/d099/f99998.json"]
    );
    // Nothing changed: the second run re-reads none of the files that gave
    // articles (the skipped ones have nothing in the index to compare with).
    let again = ws.run(&["index", "articles"]);
    assert!(
        again
            .stderr
            .contains("0 indexed, 0 updated, 75001 unchanged, 0 removed, 25000 skipped"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains(" 25000 files read"),
        "{}",
        again.stderr
    );
}

// ---------------------------------------------------------------------------
// Hostile queries
// ---------------------------------------------------------------------------

fn indexed_ws() -> Ws {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    ws.good("zwei.txt", "Sternwarte");
    ws.index(&[]);
    ws
}

#[test]
fn malformed_queries_exit_2_with_a_message_and_no_panic() {
    let ws = indexed_ws();
    let long = "Kegelbahn ".repeat(10_240);
    let deep = format!("{}Kegelbahn{}", "(".repeat(4000), ")".repeat(4000));
    let cases: Vec<(&str, &str)> = vec![
        ("\"Kegelbahn", "this quote is never closed"),
        ("„Kegelbahn", "this quote is never closed"),
        ("(Kegelbahn", "this parenthesis is never closed"),
        ("Kegelbahn)", "unmatched closing parenthesis"),
        ("((Kegelbahn)", "this parenthesis is never closed"),
        ("()", "empty parentheses"),
        ("AND", "an operator needs a term before it"),
        ("OR OR", "OR needs a term on both sides"),
        (")", "unmatched closing parenthesis"),
        (
            "Kegelbahn OR OR Sternwarte",
            "OR needs a term on both sides",
        ),
        ("Kegelbahn AND", "AND needs a term on both sides"),
        ("NOT", "NOT needs a term after it"),
        ("-", "needs a term after it"),
        ("+", "needs a term after it"),
        ("Kegelbahn -", "needs a term after it"),
        ("foo:bar", "unknown field `foo:`"),
        ("date:2024-13-45", "`2024-13-45` is not a date"),
        ("datum:2024-02-30", "not a date"),
        ("date:..", "not a date"),
        (long.as_str(), "the limit is 10000"),
        (deep.as_str(), "the query nests too deeply"),
    ];
    for (query, message) in cases {
        let shown: String = query.chars().take(40).collect();
        for format in ["text", "json"] {
            let run = ws.run(&["search", query, "--format", format]);
            assert_eq!(run.code, Some(2), "query {shown:?}: {run:?}");
            assert!(
                run.stderr.starts_with("archiv: invalid query: "),
                "query {shown:?}: {}",
                run.stderr
            );
            assert!(
                run.stderr.contains(message),
                "query {shown:?} should say {message:?}: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "query {shown:?}: {}", run.stdout);
            assert!(
                run.took < Duration::from_secs(10),
                "query {shown:?} took {:?}",
                run.took
            );
        }
    }
    // `export` refuses the same queries the same way.
    let run = ws.run(&["export", "(Kegelbahn"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("this parenthesis is never closed"),
        "{}",
        run.stderr
    );
}

#[test]
fn query_with_too_many_terms_is_refused_with_the_limit() {
    let ws = indexed_ws();
    let words: Vec<String> = (0..1500).map(|i| format!("w{i}")).collect();
    let many = words.join(" ");
    assert!(many.len() < 10_000);
    let run = ws.run(&["search", &many]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains("the query has 1500 terms; the limit is 1024"),
        "{}",
        run.stderr
    );
    // At the limit the query runs, and finds what it names.
    let mut at_limit = words[..1023].to_vec();
    at_limit.push("Kegelbahn".into());
    let run = ws.run(&["search", &at_limit.join(" "), "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
    assert!(run.stdout.contains("articles/gut.txt"));
}

#[test]
fn huge_limits_and_offsets_are_answered() {
    let ws = indexed_ws();
    const MAX: &str = "18446744073709551615";
    // (arguments, whether the hit is printed)
    let cases: [(Vec<&str>, bool); 6] = [
        (vec!["search", "Kegelbahn", "-n", MAX], true),
        (
            vec!["search", "Kegelbahn", "--sort", "newest", "-n", MAX],
            true,
        ),
        (
            vec!["search", "Kegelbahn", "--sort", "oldest", "-n", MAX],
            true,
        ),
        (vec!["search", "Kegelbahn", "--offset", MAX], false),
        (
            vec![
                "search",
                "Kegelbahn",
                "-n",
                "4000000000",
                "--offset",
                "4000000000",
            ],
            false,
        ),
        (
            vec!["export", "Kegelbahn", "-n", MAX, "--format", "ndjson"],
            true,
        ),
    ];
    for (args, shown) in cases {
        let run = ws.run(&args);
        // One article matches: exit code 0 whether or not the page shows it.
        assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
        assert_eq!(
            run.stdout.contains("articles/gut.txt"),
            shown,
            "{args:?}: {}",
            run.stdout
        );
        assert!(
            run.took < Duration::from_secs(10),
            "{args:?} took {:?}",
            run.took
        );
    }
}

/// Found by fuzzing: a metadata date with a character of several bytes
/// where the tenth byte falls made the date parser panic, which ended the
/// whole index run.
#[test]
fn metadata_date_with_a_wide_character_is_no_date() {
    let ws = Ws::new();
    ws.good("gut.txt", "Kegelbahn");
    fs::write(
        ws.file("datum.json"),
        r#"{"title": "Datum", "text": "Die Schleuse am Kanal wird erneuert.", "date": "2023-06-0•1"}"#,
    )
    .unwrap();
    fs::write(
        ws.file("datum.html"),
        r#"<html><head><meta property="article:published_time" content="2023-06-0•1T09:00:00+02:00"></head>
<body><article><h1>Datum</h1><p>Der Steg am Badesee wird erneuert und im Sommer wieder geöffnet.</p></article></body></html>"#,
    )
    .unwrap();
    let run = ws.index(&[]);
    assert_eq!(skipped_count(&run), 0, "{}", run.stderr);
    ws.assert_found("Kegelbahn", "articles/gut.txt");
    for (word, path) in [
        ("Schleuse", "articles/datum.json"),
        ("Badesee", "articles/datum.html"),
    ] {
        ws.assert_found(word, path);
        let run = ws.run(&["extract", path, "--format", "json"]);
        assert_eq!(run.code, Some(0), "{run:?}");
        let extracted: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(extracted["date"], Value::Null, "{extracted}");
    }
}
