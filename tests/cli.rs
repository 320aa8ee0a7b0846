//! End-to-end tests of the `archiv` binary: every test copies fixtures into
//! its own temporary folder, builds an index there with `archiv --index DIR
//! index ...` and checks what a user would see on stdout, stderr and in the
//! exit code.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The output of one `archiv` run.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        parse_json(&self.stdout)
    }

    /// The hits of `search --format json`.
    fn hits(&self) -> Vec<Value> {
        self.json()["hits"]
            .as_array()
            .unwrap_or_else(|| panic!("no hits array in {}", self.stdout))
            .clone()
    }
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// A temporary workspace: `articles/` holds a copy of fixtures, `index/` the index.
/// archiv runs with the workspace as its working directory, so paths are
/// given (and stored) relative to it, as `articles/...`.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// A workspace whose `articles/` folder is a copy of `tests/fixtures/<fixture>`.
    fn with_fixture(fixture: &str) -> Workspace {
        let ws = Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        copy_dir(&src, &ws.articles());
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

    fn file(&self, name: &str) -> PathBuf {
        self.articles().join(name)
    }

    /// Runs `archiv --index <ws>/index ARGS...` in the workspace.
    fn run(&self, args: &[&str]) -> Run {
        self.run_with_index(&self.index(), args)
    }

    fn run_with_index(&self, index: &Path, args: &[&str]) -> Run {
        let out = common::run_archiv(self.root(), index, args, None);
        Run {
            code: out.code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: out.stderr,
        }
    }

    /// `archiv index articles`, which must succeed.
    fn index_articles(&self, extra: &[&str]) -> Run {
        let mut args = vec!["index", "articles"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, Some(0), "archiv {args:?} failed:\n{}", run.stderr);
        run
    }

    /// `archiv search QUERY --format json EXTRA...`.
    fn search(&self, query: &str, extra: &[&str]) -> Run {
        let mut args = vec!["search", query, "--format", "json"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The hits of a search that must find something (exit code 0).
    fn hits(&self, query: &str, extra: &[&str]) -> Vec<Value> {
        let run = self.search(query, extra);
        assert_eq!(
            run.code,
            Some(0),
            "search {query:?} {extra:?} should find something:\n{}{}",
            run.stdout,
            run.stderr
        );
        run.hits()
    }

    /// The paths of the hits of a search, in order.
    fn paths(&self, query: &str, extra: &[&str]) -> Vec<String> {
        paths(&self.hits(query, extra))
    }

    /// Asserts a search finds nothing: exit code 1, no hits.
    fn assert_no_hits(&self, query: &str, extra: &[&str]) {
        let run = self.search(query, extra);
        assert_eq!(
            run.code,
            Some(1),
            "search {query:?} should find nothing:\n{}{}",
            run.stdout,
            run.stderr
        );
        assert_eq!(run.json()["total"], 0);
        assert!(run.hits().is_empty());
    }

    /// `archiv show KEY --format json`, which must succeed.
    fn show(&self, key: &str) -> Value {
        let run = self.run(&["show", key, "--format", "json"]);
        assert_eq!(run.code, Some(0), "show {key} failed:\n{}", run.stderr);
        run.json()
    }

    /// The single hit of a search that must find exactly one article.
    fn only_hit(&self, query: &str) -> Value {
        let hits = self.hits(query, &[]);
        assert_eq!(
            hits.len(),
            1,
            "search {query:?} should find one article: {hits:#?}"
        );
        hits[0].clone()
    }
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

fn paths(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["path"].as_str().expect("path is a string").to_string())
        .collect()
}

/// The figures of the summary line `archiv index` prints on stderr.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    indexed: u64,
    updated: u64,
    unchanged: u64,
    removed: u64,
    skipped: u64,
    articles: u64,
}

fn summary(stderr: &str) -> Summary {
    let re = Regex::new(
        r"archiv: (\d+) indexed, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) skipped; (\d+) articles in ",
    )
    .unwrap();
    let c = re
        .captures(stderr)
        .unwrap_or_else(|| panic!("no summary line in stderr:\n{stderr}"));
    let n = |i: usize| c[i].parse::<u64>().unwrap();
    Summary {
        indexed: n(1),
        updated: n(2),
        unchanged: n(3),
        removed: n(4),
        skipped: n(5),
        articles: n(6),
    }
}

fn counts(
    indexed: u64,
    updated: u64,
    unchanged: u64,
    removed: u64,
    skipped: u64,
    articles: u64,
) -> Summary {
    Summary {
        indexed,
        updated,
        unchanged,
        removed,
        skipped,
        articles,
    }
}

/// The `skipped PATH: reason` lines of an index run.
fn skip_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("skipped "))
        .collect()
}

/// Articles in `tests/fixtures/shapes`.
const SHAPES_ARTICLES: u64 = 10;

/// A workspace with the shapes fixtures, indexed.
fn indexed_shapes() -> Workspace {
    let ws = Workspace::with_fixture("shapes");
    ws.index_articles(&[]);
    ws
}

/// A workspace with the query fixtures, indexed.
fn indexed_queries() -> Workspace {
    let ws = Workspace::with_fixture("queries");
    ws.index_articles(&[]);
    ws
}

/// Adds files that cannot be committed as text (or must not be read) to the
/// shapes workspace: bad files, a hidden file and a symbolic link loop.
fn add_bad_files(ws: &Workspace) {
    fs::write(ws.file("leer.txt"), b"").unwrap();
    fs::write(
        ws.file("daten.txt"),
        b"PK\x03\x04\x00\x00\x14\x00binary\x00\x00\xff\xfe",
    )
    .unwrap();
    fs::write(ws.file("bericht.pdf"), b"%PDF-1.4\n% not really a pdf\n").unwrap();
    fs::write(ws.file("notiz.docx"), b"PK\x03\x04 a word document").unwrap();
    fs::write(ws.file("tabelle.csv"), "Ort;Einwohner\nDorf;120\n").unwrap();
    fs::write(
        ws.file(".secret.txt"),
        "Versteckte Notiz\n\nDas Wort Geheimwortxyz steht nur in dieser versteckten Datei und darf nie im Index landen.\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        fs::create_dir(ws.file("schleife")).unwrap();
        std::os::unix::fs::symlink("../schleife", ws.file("schleife/loop")).unwrap();
    }
}

/// Skips `add_bad_files` causes, plus the broken line of dump.jsonl.
const BAD_SKIPS: u64 = if cfg!(unix) { 7 } else { 6 };

// ---------------------------------------------------------------------------
// 1. Input shapes
// ---------------------------------------------------------------------------

#[test]
fn index_of_all_shapes_reports_every_article() {
    let ws = Workspace::with_fixture("shapes");
    let run = ws.index_articles(&[]);
    assert_eq!(
        summary(&run.stderr),
        counts(SHAPES_ARTICLES, 0, 0, 0, 1, SHAPES_ARTICLES)
    );
}

#[test]
fn search_json_hits_have_the_documented_keys() {
    let ws = indexed_shapes();
    let run = ws.search("Containerterminal", &[]);
    assert_eq!(run.code, Some(0));
    let json = run.json();
    assert_eq!(json["total"], 1);
    let hit = &json["hits"][0];
    for key in [
        "rank",
        "score",
        "id",
        "path",
        "title",
        "date",
        "source",
        "url",
        "countries",
        "actors",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "key {key} missing in {hit:#}");
    }
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    let id = hit["id"].as_str().unwrap();
    assert!(
        !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit()),
        "id {id}"
    );
    assert!(hit["countries"].is_array() && hit["actors"].is_array());
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("Containerterminal"),
        "{hit:#}"
    );
}

#[test]
fn a_long_article_s_snippet_shows_the_query_words_where_they_stand_together() {
    let ws = Workspace::with_fixture("shapes");
    let filler =
        "Das Wetter blieb an diesem Tag trocken und mild, sagte ein Sprecher. ".repeat(300);
    let body = format!(
        "Lange Meldung aus dem Grenzgebiet\n\nIn der Grenzregion wurde weiter gekämpft. {filler}\
         Am Abend bestätigte das Ministerium, dass Panzergrenadiere aus Brandenburg in der \
         Grenzregion eingetroffen seien. {filler}"
    );
    std::fs::write(ws.file("2024-11-02-lange-meldung.txt"), body).expect("write");
    ws.index_articles(&[]);
    let hits = ws.hits("Grenzregion Panzergrenadiere", &[]);
    let hit = hits
        .iter()
        .find(|h| h["path"] == "articles/2024-11-02-lange-meldung.txt")
        .expect("the long article");
    // The lead has one of the words; the snippet comes from where both stand.
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("Panzergrenadiere") && snippet.contains("Grenzregion"),
        "{snippet}"
    );
}

#[test]
fn a_snippet_highlights_the_word_itself_far_down_a_text_of_hyphenated_words() {
    let ws = Workspace::with_fixture("shapes");
    // Hyphenated words take a position per part, numbers and names with
    // apostrophes one: a snippet has to count them as the index did to find
    // the word at its position, 2,000 words in.
    let filler = "Das Nord-Süd-Gefälle und O'Briens 1.500 Euro-Scheine blieben Thema. ".repeat(200);
    let body = format!(
        "Meldung aus dem Zoo\n\n{filler}Am Abend kam im Zoo das Zwergflusspferd Toni zur Welt. {filler}"
    );
    std::fs::write(ws.file("2024-11-03-zoo.txt"), body).expect("write");
    ws.index_articles(&[]);
    let run = ws.run(&["search", "Zwergflusspferd", "--format", "markdown"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("das **Zwergflusspferd** Toni"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("**").count(), 4, "{}", run.stdout);
}

#[test]
fn txt_with_title_line_and_date_in_file_name() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Containerterminal");
    assert_eq!(hit["path"], "articles/2024-10-23-hafen.txt");
    assert_eq!(hit["title"], "Neue Kräne im Hafen");
    assert_eq!(hit["title_derived"], false);
    assert_eq!(hit["date"], "2024-10-23");
    assert_eq!(hit["source"], Value::Null);
    assert_eq!(hit["url"], Value::Null);
    // The title line is not repeated in the body.
    let body = ws.show(hit["id"].as_str().unwrap())["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        body.starts_with("Im Hafen wurden zwei neue Kräne"),
        "{body}"
    );
}

#[test]
fn txt_without_title_line_gets_first_sentence_and_no_date() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Bienenvölker");
    assert_eq!(hit["path"], "articles/ohne-titel.txt");
    assert_eq!(
        hit["title"],
        "Im Stadtpark wurden mehrere Bienenvölker angesiedelt, um die Bestäubung der Obstbäume zu fördern."
    );
    assert_eq!(hit["title_derived"], true);
    assert_eq!(hit["date"], Value::Null);
}

#[test]
fn txt_without_title_line_takes_its_title_from_the_file_name() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Bienenstöcke");
    assert_eq!(
        hit["path"],
        "articles/2024-06-12-imker-verkaufen-honig-vom-muehlbach-4711.txt"
    );
    // Spelt as the text spells the words: `Mühlbach` for `muehlbach`.
    assert_eq!(hit["title"], "Imker verkaufen Honig vom Mühlbach");
    assert_eq!(hit["title_derived"], true);
    assert_eq!(hit["date"], "2024-06-12");
    // The first sentence still counts as a title would: its words find it
    // with the title's weight, and the body keeps it.
    let body = ws.show(hit["id"].as_str().unwrap())["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.starts_with("Am Mühlbach stehen"), "{body}");
    let by_lead = ws.paths("title:Bienenstöcke", &[]);
    assert_eq!(by_lead, [hit["path"].as_str().unwrap()]);
}

/// Segments of the index: one `.store` file each.
fn segments(index: &Path) -> usize {
    fs::read_dir(index)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "store")
        })
        .count()
}

#[test]
fn index_optimize_merges_the_archive_into_one_segment() {
    let ws = Workspace::with_fixture("shapes");
    // Two runs commit two segments: the second finds one more file.
    let late = "2024-06-12-imker-verkaufen-honig-vom-muehlbach-4711.txt";
    fs::rename(ws.file(late), ws.root().join(late)).unwrap();
    ws.index_articles(&[]);
    fs::rename(ws.root().join(late), ws.file(late)).unwrap();
    ws.index_articles(&[]);
    assert!(segments(&ws.index()) >= 2, "expected several segments");
    let all = |ws: &Workspace| {
        let mut p = ws.paths("", &["--limit", "100", "--no-collapse"]);
        p.sort();
        p
    };
    let before = all(&ws);
    assert_eq!(before.len() as u64, SHAPES_ARTICLES);

    // Nothing changed, and still the archive is merged; it stays searchable.
    let run = ws.index_articles(&["--optimize"]);
    assert_eq!(
        summary(&run.stderr),
        counts(0, 0, SHAPES_ARTICLES, 0, 0, SHAPES_ARTICLES)
    );
    assert_eq!(segments(&ws.index()), 1);
    assert_eq!(all(&ws), before);
    assert_eq!(ws.paths("Bienenstöcke", &[]), [format!("articles/{late}")]);
}

#[test]
fn txt_with_stand_date_line() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Radweg");
    assert_eq!(hit["path"], "articles/radweg.txt");
    assert_eq!(hit["title"], "Neuer Radweg entlang des Flusses");
    assert_eq!(hit["date"], "2024-12-12");
}

#[test]
fn news_please_json_object() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Windpark");
    assert_eq!(hit["path"], "articles/newsplease.json");
    assert_eq!(hit["title"], "Weiterer Windpark vor der Küste geplant");
    assert_eq!(hit["date"], "2024-11-05");
    assert_eq!(hit["source"], "nordblatt-beispiel.de");
    assert_eq!(
        hit["url"],
        "https://www.nordblatt-beispiel.de/wirtschaft/windpark-kueste.html"
    );
    assert_eq!(hit["authors"], serde_json::json!(["Redaktion Nordblatt"]));
}

#[test]
fn json_array_with_variant_field_names() {
    let ws = indexed_shapes();
    let first = ws.only_hit("Sternwarte");
    assert_eq!(first["path"], "articles/varianten.json#1");
    assert_eq!(first["title"], "Sternwarte öffnet für Besucher");
    assert_eq!(first["date"], "2024-07-14");
    assert_eq!(
        first["source"], "suedkurier-beispiel.de",
        "source from the link's domain, without www."
    );
    assert_eq!(
        first["url"],
        "https://www.suedkurier-beispiel.de/region/sternwarte"
    );
    assert_eq!(first["authors"], serde_json::json!(["Lokalredaktion"]));

    let second = ws.only_hit("Stadtbibliothek");
    assert_eq!(second["path"], "articles/varianten.json#2");
    assert_eq!(second["title"], "Bibliothek verlängert Öffnungszeiten");
    assert_eq!(second["date"], "2024-08-02");
    assert_eq!(second["source"], "suedkurier-beispiel.de");
    assert_ne!(first["id"], second["id"]);
}

#[test]
fn jsonl_lines_are_addressed_by_line_number() {
    let ws = indexed_shapes();
    // Not `Fähre`: its term is `Fahrer`'s, the head of another article's `Radfahrer`.
    let first = ws.only_hit("Fahrplan");
    assert!(
        first["path"].as_str().unwrap().ends_with("dump.jsonl#1"),
        "{first:#}"
    );
    assert_eq!(first["title"], "Fähre fährt wieder nach Fahrplan");
    assert_eq!(first["date"], "2024-05-20");
    assert_eq!(first["source"], "seebote-beispiel.ch");

    let third = ws.only_hit("Kirchplatz");
    assert!(
        third["path"].as_str().unwrap().ends_with("dump.jsonl#3"),
        "{third:#}"
    );
    assert_eq!(third["title"], "Wochenmarkt zieht um");
    assert_eq!(third["date"], "2024-06-30");

    // The broken line 2 gives no article.
    ws.assert_no_hits("\"Kaputte Zeile\"", &[]);
}

#[test]
fn html_page_metadata_and_main_text_only() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Vorgängerbau");
    assert_eq!(hit["path"], "articles/seite.html");
    assert_eq!(
        hit["title"], "Neue Brücke über die Elbe eröffnet",
        "title without the site suffix"
    );
    assert_eq!(hit["date"], "2024-09-14");
    assert_eq!(hit["source"], "elbkurier-beispiel.de");
    assert_eq!(
        hit["url"],
        "https://www.elbkurier-beispiel.de/region/neue-bruecke-eroeffnet.html"
    );

    let article = ws.show(hit["id"].as_str().unwrap());
    let body = article["body"].as_str().unwrap();
    assert!(body.contains("Vorgängerbau"), "{body}");
    assert!(
        body.contains("Anwohner hoffen nun auf weniger Umwege."),
        "{body}"
    );
    for boilerplate in [
        "Startseite",
        "Wetterbericht",
        "Cookies",
        "akzeptieren",
        "Lesen Sie auch",
        "Feuerwerk",
        "Impressum",
        "Datenschutz",
    ] {
        assert!(
            !body.contains(boilerplate),
            "boilerplate {boilerplate:?} in body:\n{body}"
        );
    }
    // Boilerplate words are not searchable either.
    ws.assert_no_hits("Startseite", &[]);
    ws.assert_no_hits("Impressum", &[]);
}

// ---------------------------------------------------------------------------
// 2. Encodings
// ---------------------------------------------------------------------------

#[test]
fn windows_1252_utf16_and_utf8_bom_files_keep_their_umlauts() {
    let ws = Workspace::with_fixture("shapes");
    // Windows-1252: Ä = C4, ß = DF, ü = FC, ä = E4, ö = F6.
    fs::write(
        ws.file("cp1252.txt"),
        b"Kritische \xc4u\xdferung im Gemeinderat\n\nDie \xc4u\xdferung des B\xfcrgermeisters \xfcber die Stra\xdfenreinigung sorgte f\xfcr Unmut. Viele Anwohner \xe4rgerten sich \xfcber die h\xf6heren Geb\xfchren.\n",
    )
    .unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    let text16 = "Überschwemmung im Tal\n\nNach tagelangem Regen kam es zu einer Überschwemmung der Grünfläche am Fluss. Die Feuerwehr pumpte mehrere Keller leer.\n";
    for unit in text16.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    fs::write(ws.file("utf16.txt"), utf16).unwrap();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        "Bürgersteig wird verbreitert\n\nDer Bürgersteig an der Hauptstraße wird um einen Meter verbreitert. Fußgänger müssen während der Bauzeit ausweichen.\n"
            .as_bytes(),
    );
    fs::write(ws.file("bom.txt"), bom).unwrap();

    let run = ws.index_articles(&[]);
    assert_eq!(summary(&run.stderr).indexed, SHAPES_ARTICLES + 3);

    let cases = [
        (
            "Äußerung",
            "articles/cp1252.txt",
            "Kritische Äußerung im Gemeinderat",
            "Die Äußerung des Bürgermeisters über die Straßenreinigung sorgte für Unmut.",
            "windows-1252",
        ),
        (
            "Überschwemmung",
            "articles/utf16.txt",
            "Überschwemmung im Tal",
            "Überschwemmung der Grünfläche am Fluss.",
            "UTF-16LE",
        ),
        (
            "Bürgersteig",
            "articles/bom.txt",
            "Bürgersteig wird verbreitert",
            "Der Bürgersteig an der Hauptstraße wird um einen Meter verbreitert.",
            "UTF-8",
        ),
    ];
    for (word, path, title, sentence, encoding) in cases {
        let hit = ws.only_hit(word);
        assert_eq!(hit["path"], path);
        assert_eq!(hit["title"], title);
        let article = ws.show(hit["id"].as_str().unwrap());
        assert_eq!(article["title"], title);
        let body = article["body"].as_str().unwrap();
        assert!(body.contains(sentence), "{path}: {body:?}");
        assert!(
            !body.contains('\u{FFFD}') && !body.contains('\u{FEFF}'),
            "{path}: {body:?}"
        );
        assert_eq!(article["encoding"], encoding, "{path}");
    }
    // Spelled-out umlauts and ss find the Windows-1252 text too.
    assert_eq!(ws.paths("Aeusserung", &[]), vec!["articles/cp1252.txt"]);
    assert_eq!(ws.paths("Gruenflaeche", &[]), vec!["articles/utf16.txt"]);
}

// ---------------------------------------------------------------------------
// 3. Bad files
// ---------------------------------------------------------------------------

#[test]
fn bad_files_are_skipped_and_the_rest_is_indexed() {
    let ws = Workspace::with_fixture("shapes");
    add_bad_files(&ws);
    let run = ws.index_articles(&[]);
    assert_eq!(
        summary(&run.stderr),
        counts(SHAPES_ARTICLES, 0, 0, 0, BAD_SKIPS, SHAPES_ARTICLES),
        "{}",
        run.stderr
    );
    // Without --verbose at most five skips are listed, then a hint.
    let lines = skip_lines(&run.stderr);
    assert_eq!(lines.len(), 5, "{}", run.stderr);
    for line in &lines {
        let (path, reason) = line["skipped ".len()..]
            .split_once(": ")
            .unwrap_or_else(|| panic!("no reason in {line:?}"));
        assert!(path.starts_with("articles/"), "{line}");
        assert!(!reason.trim().is_empty(), "{line}");
    }
    let more = BAD_SKIPS - 5;
    assert!(
        run.stderr
            .contains(&format!("… and {more} more skipped (--verbose lists all)")),
        "{}",
        run.stderr
    );
    // Every good article is there.
    for word in [
        "Containerterminal",
        "Bienenvölker",
        "Radweg",
        "Windpark",
        "Sternwarte",
        "Stadtbibliothek",
        "Fahrplan",
        "Kirchplatz",
        "Vorgängerbau",
    ] {
        assert_eq!(ws.hits(word, &[]).len(), 1, "{word}");
    }
    let stats = ws.run(&["stats", "--format", "json"]).json();
    assert_eq!(stats["articles"], SHAPES_ARTICLES);
}

#[test]
fn verbose_lists_every_skip_with_its_reason() {
    let ws = Workspace::with_fixture("shapes");
    add_bad_files(&ws);
    let run = ws.index_articles(&["--verbose"]);
    let lines = skip_lines(&run.stderr);
    assert_eq!(lines.len() as u64, BAD_SKIPS, "{}", run.stderr);
    assert!(!run.stderr.contains("more skipped"), "{}", run.stderr);
    let mut expected = vec![
        ("articles/leer.txt", "empty file"),
        ("articles/daten.txt", "binary file"),
        ("articles/bericht.pdf", "unknown extension"),
        ("articles/notiz.docx", "unknown extension"),
        ("articles/tabelle.csv", "unknown extension"),
        ("articles/dump.jsonl#2", "invalid JSON"),
    ];
    if cfg!(unix) {
        expected.push(("articles/schleife/loop", "symbolic link loop"));
    }
    for (path, reason) in expected {
        let prefix = format!("skipped {path}: ");
        let line = lines
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no skip line for {path}:\n{}", run.stderr));
        assert!(
            line.contains(reason),
            "{line:?} should give the reason {reason:?}"
        );
    }
}

#[test]
fn hidden_files_are_not_indexed_or_reported() {
    let ws = Workspace::with_fixture("shapes");
    add_bad_files(&ws);
    let run = ws.index_articles(&["--verbose"]);
    assert!(!run.stderr.contains(".secret"), "{}", run.stderr);
    ws.assert_no_hits("Geheimwortxyz", &[]);
    let show = ws.run(&["show", "articles/.secret.txt"]);
    assert_eq!(show.code, Some(1), "{show:?}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_does_not_hang_or_crash() {
    let ws = Workspace::with_fixture("shapes");
    fs::create_dir(ws.file("schleife")).unwrap();
    fs::write(
        ws.file("schleife/2024-02-02-turm.txt"),
        "Turmuhr repariert\n\nDie Turmuhr der Dorfkirche zeigt nach einer Reparatur wieder die richtige Zeit an. Ein Uhrmacher hat das Werk gereinigt.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("../schleife", ws.file("schleife/loop")).unwrap();
    let started = Instant::now();
    let run = ws.index_articles(&["--verbose"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "indexing took {:?}",
        started.elapsed()
    );
    assert!(
        skip_lines(&run.stderr)
            .iter()
            .any(|l| l.starts_with("skipped articles/schleife/loop")
                && l.contains("symbolic link loop")),
        "{}",
        run.stderr
    );
    // The file in the looping folder is indexed exactly once.
    assert_eq!(
        ws.paths("Turmuhr", &[]),
        vec!["articles/schleife/2024-02-02-turm.txt"]
    );
    assert_eq!(summary(&run.stderr).articles, SHAPES_ARTICLES + 1);
}

// ---------------------------------------------------------------------------
// 4. Incremental indexing
// ---------------------------------------------------------------------------

#[test]
fn second_run_on_unchanged_folder_reads_nothing() {
    let ws = indexed_shapes();
    let run = ws.index_articles(&[]);
    assert_eq!(
        summary(&run.stderr),
        counts(0, 0, SHAPES_ARTICLES, 0, 0, SHAPES_ARTICLES)
    );
    assert!(run.stderr.contains(" 0 files read"), "{}", run.stderr);
}

#[test]
fn changed_added_and_deleted_files_are_picked_up() {
    let ws = indexed_shapes();
    ws.hits("Containerterminal", &[]);
    ws.hits("Radweg", &[]);

    // Changed: different content of a different length, so size and mtime both change.
    fs::write(
        ws.file("2024-10-23-hafen.txt"),
        "Neuer Schwimmkran im Hafen\n\nEin Schwimmkran hebt seit dieser Woche schwere Bauteile direkt vom Wasser aus an Land. Er ersetzt zwei ältere Geräte, die abgebaut werden. Die Hafenverwaltung erwartet kürzere Liegezeiten.\n",
    )
    .unwrap();
    // Added.
    fs::write(
        ws.file("2024-12-20-eisbahn.txt"),
        "Eisbahn auf dem Marktplatz\n\nAuf dem Marktplatz ist wieder eine Eisbahn aufgebaut worden. Schlittschuhe können vor Ort geliehen werden.\n",
    )
    .unwrap();
    // Deleted.
    fs::remove_file(ws.file("radweg.txt")).unwrap();

    let run = ws.index_articles(&[]);
    assert_eq!(
        summary(&run.stderr),
        counts(1, 1, SHAPES_ARTICLES - 2, 1, 0, SHAPES_ARTICLES),
        "{}",
        run.stderr
    );
    ws.assert_no_hits("Radweg", &[]);
    ws.assert_no_hits("Containerterminal", &[]);
    assert_eq!(
        ws.paths("Schwimmkran", &[]),
        vec!["articles/2024-10-23-hafen.txt"]
    );
    assert_eq!(
        ws.paths("Eisbahn", &[]),
        vec!["articles/2024-12-20-eisbahn.txt"]
    );
    let hit = ws.only_hit("Schwimmkran");
    assert_eq!(hit["title"], "Neuer Schwimmkran im Hafen");
    let stats = ws.run(&["stats", "--format", "json"]).json();
    assert_eq!(stats["articles"], SHAPES_ARTICLES);
}

// When a changed file holds fewer or more articles than before, the figures
// of the summary still add up: articles after = articles before + indexed - removed.

#[test]
fn summary_counts_the_dropped_article_of_a_shrunk_file_as_removed() {
    let ws = indexed_shapes();
    // dump.jsonl: 2 articles (lines 1 and 3) -> 1 article (line 1).
    let first_line = fs::read_to_string(ws.file("dump.jsonl"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    fs::write(ws.file("dump.jsonl"), format!("{first_line}\n")).unwrap();
    let run = ws.index_articles(&[]);
    let s = summary(&run.stderr);
    assert_eq!(s.articles, SHAPES_ARTICLES - 1, "{}", run.stderr);
    ws.assert_no_hits("Kirchplatz", &[]);
    assert_eq!(
        SHAPES_ARTICLES + s.indexed - s.removed,
        s.articles,
        "the article of the dropped line should count as removed:\n{}",
        run.stderr
    );
}

#[test]
fn summary_counts_the_new_article_of_a_grown_file_as_indexed() {
    let ws = indexed_shapes();
    // varianten.json: 2 articles -> 3 articles.
    let mut items = parse_json(&fs::read_to_string(ws.file("varianten.json")).unwrap());
    items.as_array_mut().unwrap().push(serde_json::json!({
        "headline": "Planetarium mit neuer Kuppel",
        "body": "Das Planetarium hat eine neue Kuppel mit modernen Projektoren erhalten. Die erste Vorstellung ist bereits ausverkauft.",
        "datePublished": "2024-09-01T18:00:00+02:00",
        "link": "https://www.suedkurier-beispiel.de/region/planetarium"
    }));
    fs::write(
        ws.file("varianten.json"),
        serde_json::to_string_pretty(&items).unwrap(),
    )
    .unwrap();
    let run = ws.index_articles(&[]);
    let s = summary(&run.stderr);
    assert_eq!(s.articles, SHAPES_ARTICLES + 1, "{}", run.stderr);
    assert_eq!(
        ws.paths("Planetarium", &[]),
        vec!["articles/varianten.json#3"]
    );
    assert_eq!(
        SHAPES_ARTICLES + s.indexed - s.removed,
        s.articles,
        "the new third article should count as indexed:\n{}",
        run.stderr
    );
}

#[test]
fn rebuild_reindexes_everything() {
    let ws = indexed_shapes();
    let run = ws.index_articles(&["--rebuild"]);
    assert_eq!(
        summary(&run.stderr),
        counts(SHAPES_ARTICLES, 0, 0, 0, 1, SHAPES_ARTICLES)
    );
    assert_eq!(
        ws.hits("Windpark", &[]).len(),
        1,
        "no duplicates after a rebuild"
    );
}

// ---------------------------------------------------------------------------
// 5. Queries
// ---------------------------------------------------------------------------

const GRENZE: &str = "articles/2024-10-18-grenze.txt";

#[test]
fn inflected_form_finds_base_form() {
    let ws = indexed_queries();
    // The text says "Soldat"; the query is the plural.
    assert_eq!(ws.paths("Soldaten", &[]), vec![GRENZE]);
    assert_eq!(ws.paths("Soldat", &[]), vec![GRENZE]);
}

#[test]
fn spelled_out_and_stripped_umlauts_find_umlaut_words() {
    let ws = indexed_queries();
    for query in [
        "Südkorea",
        "Suedkorea",
        "Sudkorea",
        "Außenminister",
        "Aussenminister",
    ] {
        assert_eq!(ws.paths(query, &[]), vec![GRENZE], "query {query}");
    }
}

#[test]
fn hyphenated_compound_found_by_its_part_and_as_a_whole() {
    let ws = indexed_queries();
    assert_eq!(ws.paths("Außenamtssprecher", &[]), vec![GRENZE]);
    assert_eq!(ws.paths("US-Außenamtssprecher", &[]), vec![GRENZE]);
}

#[test]
fn quoted_phrase_matches_only_adjacent_words() {
    let ws = indexed_queries();
    let mut loose = ws.paths("rote Fahne", &[]);
    loose.sort();
    assert_eq!(
        loose,
        vec![
            "articles/2024-03-05-fahne.txt",
            "articles/2024-12-01-farbe.txt"
        ]
    );
    assert_eq!(
        ws.paths("\"rote Fahne\"", &[]),
        vec!["articles/2024-03-05-fahne.txt"]
    );
    ws.assert_no_hits("\"Fahne rote\"", &[]);
}

#[test]
fn boolean_operators_and_prefixes() {
    let ws = indexed_queries();
    let both = "articles/2024-11-02-leuchtturm-kutter.txt";
    let tower = "articles/2024-11-03-leuchtturm.txt";
    let boat = "articles/2024-11-04-kutter.txt";
    let sorted = |q: &str| {
        let mut p = ws.paths(q, &[]);
        p.sort();
        p
    };
    assert_eq!(sorted("Leuchtturm AND Fischkutter"), vec![both]);
    assert_eq!(sorted("Leuchtturm OR Fischkutter"), vec![both, tower, boat]);
    assert_eq!(sorted("Leuchtturm NOT Fischkutter"), vec![tower]);
    assert_eq!(sorted("Leuchtturm -Fischkutter"), vec![tower]);
    assert_eq!(sorted("+Fischkutter Leuchtturm"), vec![both, boat]);
    assert_eq!(sorted("+Fischkutter +Leuchtturm"), vec![both]);
    // The plain juxtaposition finds any, with the article that has both first.
    let any = ws.paths("Leuchtturm Fischkutter", &[]);
    assert_eq!(any.len(), 3);
    assert_eq!(any[0], both);
}

#[test]
fn german_quotes_grouping_and_field_aliases() {
    let ws = indexed_queries();
    assert_eq!(
        ws.paths("„rote Fahne“", &[]),
        vec!["articles/2024-03-05-fahne.txt"]
    );
    // The group is evaluated first: without it, the tower article would match too.
    assert_eq!(
        ws.paths("(Leuchtturm OR Fischkutter) AND Möwen", &[]),
        vec!["articles/2024-11-04-kutter.txt"]
    );
    assert_eq!(
        ws.paths("titel:Sturmflut", &[]),
        vec!["articles/2024-09-10-sturmflut.txt"]
    );
    assert_eq!(
        ws.paths("body:Sturmflut", &[]),
        vec!["articles/2024-09-11-aufraeumen.txt"]
    );
    assert_eq!(
        ws.paths("title:\"an der Küste\"", &[]),
        vec!["articles/2024-09-10-sturmflut.txt"]
    );
    assert_eq!(
        ws.paths("quelle:www.kuestenbote-beispiel.de", &[]),
        vec!["articles/quellen.json#2"]
    );
    let mut late = ws.paths("Gemeinde AND date:>=2024-10-18", &[]);
    late.sort();
    assert_eq!(late, vec![GRENZE, "articles/2024-12-01-farbe.txt"]);
    assert_eq!(
        ws.paths("Gemeinde AND datum:<2024-10", &[]),
        vec!["articles/2024-03-05-fahne.txt"]
    );
    let id = ws.only_hit("Boot")["id"].as_str().unwrap().to_string();
    assert_eq!(
        ws.paths(&format!("id:{id}"), &[]),
        vec!["articles/2024-11-02-leuchtturm-kutter.txt"]
    );
}

#[test]
fn title_field_searches_titles_only() {
    let ws = indexed_queries();
    let in_title = "articles/2024-09-10-sturmflut.txt";
    let in_body = "articles/2024-09-11-aufraeumen.txt";
    assert_eq!(ws.paths("title:Sturmflut", &[]), vec![in_title]);
    assert_eq!(
        ws.paths("Sturmflut", &[]),
        vec![in_title, in_body],
        "title matches rank first"
    );
}

#[test]
fn source_field_and_source_flag_filter_by_domain() {
    let ws = indexed_queries();
    let alp = "articles/quellen.json#1";
    let coast = "articles/quellen.json#2";
    assert_eq!(ws.paths("source:kuestenbote-beispiel.de", &[]), vec![coast]);
    assert_eq!(
        ws.paths("Uhrmacherei AND source:bergpost-beispiel.at", &[]),
        vec![alp]
    );
    assert_eq!(
        ws.paths("Uhrmacherei", &["--source", "bergpost-beispiel.at"]),
        vec![alp]
    );
    assert_eq!(
        ws.paths("Uhrmacherei", &["--source", "www.bergpost-beispiel.at"]),
        vec![alp],
        "www. is ignored"
    );
    let mut both = ws.paths(
        "Uhrmacherei",
        &[
            "--source",
            "bergpost-beispiel.at",
            "--source",
            "kuestenbote-beispiel.de",
        ],
    );
    both.sort();
    assert_eq!(both, vec![alp, coast]);
    ws.assert_no_hits("Uhrmacherei", &["--source", "unbekannt-beispiel.de"]);
}

#[test]
fn date_field_and_from_to_flags_filter_by_date() {
    let ws = indexed_queries();
    let fahne = "articles/2024-03-05-fahne.txt";
    let farbe = "articles/2024-12-01-farbe.txt";
    assert_eq!(ws.paths("date:2024-10", &[]), vec![GRENZE]);
    assert_eq!(ws.paths("Gemeinde AND date:2024-10", &[]), vec![GRENZE]);
    let sorted = |q: &str, extra: &[&str]| {
        let mut p = ws.paths(q, extra);
        p.sort();
        p
    };
    assert_eq!(
        sorted("Gemeinde AND date:2024-10..2024-12", &[]),
        vec![GRENZE, farbe]
    );
    // --to is inclusive of the day given.
    assert_eq!(
        sorted("Gemeinde", &["--from", "2024-10", "--to", "2024-12-01"]),
        vec![GRENZE, farbe]
    );
    assert_eq!(sorted("Gemeinde", &["--from", "2024-11"]), vec![farbe]);
    // Undated articles are outside any date range.
    assert_eq!(sorted("Gemeinde", &["--to", "2024-10-17"]), vec![fahne]);
    ws.assert_no_hits("Gemeinde", &["--from", "2025"]);
}

fn dates(hits: &[Value]) -> Vec<Option<String>> {
    hits.iter()
        .map(|h| h["date"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn sort_newest_and_oldest_put_dated_articles_first() {
    let ws = indexed_queries();
    let d = |s: &str| Some(s.to_string());
    let newest = ws.hits("Gemeinde", &["--sort", "newest"]);
    assert!(
        newest.iter().all(|h| h["score"].is_null()),
        "score is null when sorted by date: {newest:#?}"
    );
    assert_eq!(
        dates(&newest),
        vec![d("2024-12-01"), d("2024-10-18"), d("2024-03-05"), None]
    );
    assert_eq!(newest[3]["path"], "articles/spielplatz.txt");
    let oldest = ws.hits("Gemeinde", &["--sort", "oldest"]);
    assert_eq!(
        dates(&oldest),
        vec![d("2024-03-05"), d("2024-10-18"), d("2024-12-01"), None]
    );
    // Ranks are still 1..n.
    let ranks: Vec<u64> = oldest.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, vec![1, 2, 3, 4]);
}

#[test]
fn limit_and_offset_page_through_hits() {
    let ws = indexed_queries();
    let all = ws.paths("Gemeinde", &["--sort", "oldest"]);
    assert_eq!(all.len(), 4);

    let run = ws.search("Gemeinde", &["--sort", "oldest", "--limit", "2"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.json()["total"],
        4,
        "total counts all matches, not the page"
    );
    assert_eq!(paths(&run.hits()), all[..2].to_vec());

    let run = ws.search(
        "Gemeinde",
        &["--sort", "oldest", "--limit", "2", "--offset", "2"],
    );
    assert_eq!(run.code, Some(0));
    let page = run.hits();
    assert_eq!(paths(&page), all[2..].to_vec());
    let ranks: Vec<u64> = page.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, vec![3, 4]);

    let run = ws.search(
        "Gemeinde",
        &["-n", "1", "--offset", "3", "--sort", "oldest"],
    );
    assert_eq!(paths(&run.hits()), vec![all[3].clone()]);
}

#[test]
fn article_with_all_words_ranks_above_one_repeating_a_single_word() {
    let ws = indexed_queries();
    let hits = ws.hits("Gletscher Schmelze", &[]);
    assert_eq!(
        paths(&hits),
        vec![
            "articles/2024-08-01-messungen.txt",
            "articles/2024-08-02-wanderung.txt"
        ],
        "{hits:#?}"
    );
    let hits = ws.hits("Schmelze Gletscher", &[]);
    assert_eq!(hits[0]["path"], "articles/2024-08-01-messungen.txt");
}

// ---------------------------------------------------------------------------
// 6. Exit codes
// ---------------------------------------------------------------------------

#[test]
fn exit_code_0_with_hits_and_1_without() {
    let ws = indexed_queries();
    let run = ws.run(&["search", "Leuchtturm"]);
    assert_eq!(run.code, Some(0));
    assert!(
        run.stdout.contains("hits for \"Leuchtturm\""),
        "{}",
        run.stdout
    );

    let run = ws.run(&["search", "Zeppelinhangar"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.contains("0 hits"), "{}", run.stdout);
    assert!(
        !run.stderr.contains("archiv:"),
        "no hits is not an error: {}",
        run.stderr
    );
}

const MALFORMED: [&str; 4] = ["\"unclosed", "(a b", "a AND", "foo:bar"];

#[test]
fn malformed_queries_exit_2_with_a_message() {
    let ws = indexed_queries();
    for query in MALFORMED {
        for format in ["text", "json"] {
            let run = ws.run(&["search", query, "--format", format]);
            assert_eq!(run.code, Some(2), "query {query:?}: {run:?}");
            assert!(
                run.stderr.contains("invalid query"),
                "query {query:?}: {}",
                run.stderr
            );
            assert!(
                !run.stderr.contains("panicked"),
                "query {query:?}: {}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "query {query:?}: {}", run.stdout);
        }
    }
}

#[test]
fn malformed_query_message_is_printed_once() {
    let ws = indexed_queries();
    for query in MALFORMED {
        let run = ws.run(&["search", query]);
        assert_eq!(
            run.stderr.matches("invalid query").count(),
            1,
            "query {query:?}: the message should appear once:\n{}",
            run.stderr
        );
    }
}

#[test]
fn missing_index_exits_2_and_says_how_to_build_one() {
    let ws = Workspace::with_fixture("shapes");
    fs::create_dir(ws.index()).unwrap();
    for args in [
        vec!["search", "Windpark"],
        vec!["show", "abc"],
        vec!["stats"],
    ] {
        let run = ws.run(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("archiv index"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // Nor does it make one behind the user's back.
    assert!(!ws.index().join("meta.json").exists());
    let missing = ws.root().join("nirgends");
    let run = ws.run_with_index(&missing, &["search", "Windpark"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("archiv index"), "{}", run.stderr);
}

#[test]
fn show_unknown_id_exits_1() {
    let ws = indexed_shapes();
    let run = ws.run(&["show", "0123456789ab"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("0123456789ab"), "{}", run.stderr);
    let run = ws.run(&["show", "articles/gibt-es-nicht.txt"]);
    assert_eq!(run.code, Some(1), "{run:?}");
}

// ---------------------------------------------------------------------------
// 7. Version check
// ---------------------------------------------------------------------------

#[test]
fn index_from_another_analyzer_must_be_rebuilt() {
    let ws = indexed_shapes();
    let meta_path = ws.index().join("meta.json");
    let mut meta = parse_json(&fs::read_to_string(&meta_path).unwrap());
    let mut payload = parse_json(meta["payload"].as_str().expect("payload is a JSON string"));
    assert!(
        payload.get("format").is_some() && payload.get("analyzer").is_some(),
        "{payload}"
    );
    payload["analyzer"] = Value::from("german-0-test");
    meta["payload"] = Value::from(payload.to_string());
    fs::write(&meta_path, serde_json::to_string_pretty(&meta).unwrap()).unwrap();

    for args in [
        vec!["search", "Windpark"],
        vec!["stats"],
        vec!["index", "articles"],
    ] {
        let run = ws.run(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains("--rebuild"), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }

    let run = ws.index_articles(&["--rebuild"]);
    assert_eq!(
        summary(&run.stderr),
        counts(SHAPES_ARTICLES, 0, 0, 0, 1, SHAPES_ARTICLES)
    );
    assert_eq!(ws.paths("Windpark", &[]), vec!["articles/newsplease.json"]);
}

/// `index --no-entities` (hidden, to measure what recognition costs) makes an
/// index that is stamped apart: a normal run asks for a rebuild instead of
/// mixing articles with and without countries and actors.
#[test]
fn index_without_entities_is_stamped_apart() {
    let ws = Workspace::with_fixture("shapes");
    let run = ws.index_articles(&["--no-entities"]);
    assert_eq!(
        summary(&run.stderr),
        counts(SHAPES_ARTICLES, 0, 0, 0, 1, SHAPES_ARTICLES)
    );
    let run = ws.run(&["index", "articles"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("--rebuild"), "{}", run.stderr);
    let run = ws.index_articles(&["--rebuild"]);
    assert_eq!(
        summary(&run.stderr),
        counts(SHAPES_ARTICLES, 0, 0, 0, 1, SHAPES_ARTICLES)
    );
    assert_eq!(ws.paths("Windpark", &[]), vec!["articles/newsplease.json"]);
}

// ---------------------------------------------------------------------------
// 8. Writer lock
// ---------------------------------------------------------------------------

/// Writes `files` articles of `words` pseudo-random words each into `dir`.
fn write_big_folder(dir: &Path, files: usize, words: usize) {
    const SYLLABLES: [&str; 18] = [
        "ber", "gen", "hau", "sen", "mit", "tel", "lan", "der", "stra", "ße", "wei", "ler", "kon",
        "fe", "renz", "ort", "ver", "ein",
    ];
    fs::create_dir_all(dir).unwrap();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for i in 0..files {
        let mut text = format!("Meldung Nummer {i}\n\n");
        for _ in 0..words {
            for _ in 0..2 + next() % 3 {
                text.push_str(SYLLABLES[next() % SYLLABLES.len()]);
            }
            text.push(' ');
        }
        text.push_str("Ende.\n");
        fs::write(dir.join(format!("m{i:05}.txt")), text).unwrap();
    }
}

/// Kills the child (started by this test) if the test fails early.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// True when process `pid` holds a lock on the file with inode `ino`, as
/// Linux lists it in /proc/locks (`1: FLOCK ADVISORY WRITE <pid> <dev>:<ino> 0 EOF`).
/// `None` when /proc/locks cannot be read.
#[cfg(unix)]
fn holds_lock(pid: u32, ino: u64) -> Option<bool> {
    let locks = fs::read_to_string("/proc/locks").ok()?;
    Some(locks.lines().any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() >= 6
            && fields[4] == pid.to_string()
            && fields[5].rsplit(':').next() == Some(ino.to_string().as_str())
    }))
}

/// Waits until the first indexer holds the writer lock: seen in /proc/locks
/// where there is one, otherwise after a fixed pause (and, on a fresh index,
/// once the index exists).
fn wait_for_writer_lock(index: &Path, first: &mut std::process::Child, fresh: bool) {
    let started = Instant::now();
    let timeout = Duration::from_secs(20);
    while fresh && !index.join("meta.json").exists() && started.elapsed() < timeout {
        if first.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        while started.elapsed() < timeout && first.try_wait().unwrap().is_none() {
            let ino = fs::metadata(index.join(".tantivy-writer.lock")).map(|m| m.ino());
            match ino.map(|ino| holds_lock(first.id(), ino)) {
                Ok(Some(true)) => return,
                Ok(None) => break,
                _ => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }
    std::thread::sleep(Duration::from_millis(150));
}

/// Starts `archiv index big` in the background, then runs a second
/// `archiv index articles` on the same index while the first still runs.
/// Returns the second run, or `None` when the first finished too early for
/// the race to say anything.
fn race_two_indexers(ws: &Workspace, big: &str, fresh: bool) -> Option<Run> {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_archiv"))
        .arg("--index")
        .arg(ws.index())
        .args(["index", big, "--threads", "1"])
        .current_dir(ws.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn archiv index");
    let mut first = KillOnDrop(child);
    wait_for_writer_lock(&ws.index(), &mut first.0, fresh);
    if first.0.try_wait().unwrap().is_some() {
        return None;
    }
    let second = ws.run(&["index", "articles"]);
    let first_still_running = first.0.try_wait().unwrap().is_none();
    let status = first.0.wait().unwrap();
    assert!(status.success(), "the first archiv index failed: {status}");
    if first_still_running || second.code == Some(2) {
        Some(second)
    } else {
        None
    }
}

fn assert_locked(second: &Run) {
    assert_eq!(
        second.code,
        Some(2),
        "the second indexer should fail: {second:?}"
    );
    assert!(
        second.stderr.contains("another `archiv index`"),
        "the message should name the other `archiv index`:\n{}",
        second.stderr
    );
}

fn lock_test(fresh: bool) {
    let ws = Workspace::with_fixture("shapes");
    if !fresh {
        ws.index_articles(&[]);
    }
    for (round, files) in [3000usize, 6000].into_iter().enumerate() {
        let big = format!("big{round}");
        write_big_folder(&ws.root().join(&big), files, 80);
        if let Some(second) = race_two_indexers(&ws, &big, fresh) {
            assert_locked(&second);
            // The index is intact afterwards.
            let run = ws.index_articles(&[]);
            assert_eq!(run.code, Some(0), "{}", run.stderr);
            // On a fresh index the fixtures are read now, with their one broken JSON line.
            let expected_skips = if fresh { 1 } else { 0 };
            assert_eq!(
                summary(&run.stderr).skipped,
                expected_skips,
                "{}",
                run.stderr
            );
            ws.hits("Windpark", &[]);
            return;
        }
        eprintln!(
            "lock test: the first archiv index finished too fast with {files} files; retrying larger"
        );
        fs::remove_dir_all(ws.index()).unwrap();
        if !fresh {
            ws.index_articles(&[]);
        }
    }
    eprintln!("lock test SKIPPED: archiv index always finished before the second run could start");
}

#[test]
fn second_indexer_fails_while_the_first_holds_the_lock() {
    lock_test(false);
}

#[test]
fn second_indexer_on_a_fresh_index_reports_the_lock() {
    lock_test(true);
}

// ---------------------------------------------------------------------------
// 9. stats and show
// ---------------------------------------------------------------------------

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() {
            dir_size(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}

#[test]
fn stats_json_reports_the_fixture_figures() {
    let ws = indexed_shapes();
    let run = ws.run(&["stats", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let stats = run.json();
    for key in [
        "articles",
        "first_date",
        "last_date",
        "sources",
        "size_bytes",
    ] {
        assert!(stats.get(key).is_some(), "key {key} missing in {stats:#}");
    }
    assert_eq!(stats["articles"], SHAPES_ARTICLES);
    assert_eq!(stats["first_date"], "2024-05-20");
    assert_eq!(stats["last_date"], "2024-12-12");
    assert_eq!(
        stats["sources"],
        serde_json::json!({
            "elbkurier-beispiel.de": 1,
            "nordblatt-beispiel.de": 1,
            "seebote-beispiel.ch": 2,
            "suedkurier-beispiel.de": 2,
        })
    );
    let size = stats["size_bytes"].as_u64().unwrap();
    assert!(size > 0);
    assert_eq!(size, dir_size(&ws.index()));

    // The text form says the same.
    let text = ws.run(&["stats"]);
    assert_eq!(text.code, Some(0));
    assert!(
        text.stdout
            .contains(&format!("articles:   {SHAPES_ARTICLES}\n")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("2024-05-20 – 2024-12-12"),
        "{}",
        text.stdout
    );
}

#[test]
fn show_accepts_an_id_or_a_path() {
    let ws = indexed_shapes();
    let hit = ws.only_hit("Containerterminal");
    let id = hit["id"].as_str().unwrap();
    let by_id = ws.show(id);
    assert_eq!(by_id["id"], id);
    assert_eq!(by_id["title"], "Neue Kräne im Hafen");
    assert_eq!(by_id["date"], "2024-10-23");

    let by_path = ws.show("articles/2024-10-23-hafen.txt");
    assert_eq!(by_path["id"], id);
    let absolute = ws.file("2024-10-23-hafen.txt");
    let by_absolute = ws.show(absolute.to_str().unwrap());
    assert_eq!(by_absolute["id"], id);

    let third = ws.only_hit("Kirchplatz");
    let by_fragment = ws.show("articles/dump.jsonl#3");
    assert_eq!(by_fragment["id"], third["id"]);
    assert_eq!(by_fragment["title"], "Wochenmarkt zieht um");

    // The text form shows the metadata and the body.
    let run = ws.run(&["show", "articles/2024-10-23-hafen.txt"]);
    assert_eq!(run.code, Some(0));
    assert!(
        run.stdout.contains(&format!("id:        {id}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("title:     Neue Kräne im Hafen"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Containerterminal"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------
// 10. Colour
// ---------------------------------------------------------------------------

#[test]
fn piped_output_has_no_ansi_codes() {
    let ws = Workspace::with_fixture("shapes");
    let run = ws.index_articles(&[]);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    for args in [
        vec!["search", "Hafen"],
        vec!["show", "articles/2024-10-23-hafen.txt"],
        vec!["stats"],
    ] {
        let run = ws.run(&args);
        assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
        assert!(!run.stdout.contains('\x1b'), "{args:?}: {:?}", run.stdout);
        assert!(!run.stderr.contains('\x1b'), "{args:?}: {:?}", run.stderr);
    }
}

#[test]
fn color_always_forces_ansi_codes() {
    let ws = indexed_shapes();
    let run = ws.run(&["--color", "always", "search", "Hafen"]);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.contains("\x1b["), "{:?}", run.stdout);
    let run = ws.run(&["search", "Hafen", "--color", "never"]);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

// ---------------------------------------------------------------------------
// 11. Help
// ---------------------------------------------------------------------------

#[test]
fn help_lists_every_subcommand_and_each_shows_its_own_options() {
    let ws = Workspace::with_fixture("shapes");
    let run = ws.run(&["--help"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    for (name, about) in [
        ("index", "Index folders of articles"),
        ("search", "Search the archive, ranked, with snippets"),
        ("similar", "List the articles most like one article"),
        ("export", "Write every hit of a query to a file"),
        ("show", "Print one stored article with its metadata"),
        ("extract", "Show what ingest and entity recognition see"),
        ("stats", "Print figures about the archive"),
    ] {
        let listed = run
            .stdout
            .lines()
            .any(|line| line.trim_start().starts_with(name) && line.contains(about));
        assert!(listed, "{name} not listed with its help:\n{}", run.stdout);
        for help in [vec![name, "--help"], vec!["help", name]] {
            let sub = ws.run(&help);
            assert_eq!(sub.code, Some(0), "{help:?}: {sub:?}");
            assert!(sub.stdout.starts_with(about), "{help:?}:\n{}", sub.stdout);
            assert!(
                sub.stdout.contains("--index <DIR>"),
                "{help:?}:\n{}",
                sub.stdout
            );
        }
    }
    let search = ws.run(&["search", "--help"]).stdout;
    assert!(
        search.contains("--facets") && search.contains("--from"),
        "{search}"
    );
    assert!(!search.contains("--threads"), "{search}");
    let index = ws.run(&["index", "--help"]).stdout;
    assert!(
        index.contains("--threads") && index.contains("Ctrl-C stops"),
        "{index}"
    );
    assert!(!index.contains("--facets"), "{index}");
    let run = ws.run(&["serch", "x"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("'search'"), "{}", run.stderr);
}
