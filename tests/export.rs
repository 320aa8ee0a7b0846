//! End-to-end tests of `archiv export` and `archiv search --format
//! csv|markdown|html`: every test indexes `tests/fixtures/export` in its own
//! temporary folder, exports, parses the file back and compares it with what
//! `search --format json` returns for the same query and filters.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

/// Matches every article but the one about the heat wave.
const QUERY: &str = "Fähre";
/// The title with an umlaut, a double quote, a comma, a semicolon and a line break.
const TRICKY_TITLE: &str =
    "Bürgermeisterin über die Fähre: \"Ja, wir fahren; aber später\"\nZweite Zeile der Überschrift";
const CSV_HEADER: [&str; 11] = [
    "rank",
    "score",
    "id",
    "date",
    "source",
    "title",
    "url",
    "path",
    "countries",
    "actors",
    "snippet",
];

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("UTF-8 output")
    }
}

struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// A workspace with the export fixtures indexed.
    fn indexed() -> Workspace {
        let ws = Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export");
        let dst = ws.dir.path().join("articles");
        fs::create_dir_all(&dst).unwrap();
        for entry in fs::read_dir(&src).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
        }
        let run = ws.run(&["index", "articles"]);
        assert_eq!(run.code, Some(0), "index failed: {}", run.stderr);
        ws
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = common::run_archiv(self.dir.path(), &self.dir.path().join("index"), args, None);
        Run {
            code: out.code,
            stdout: out.stdout,
            stderr: out.stderr,
        }
    }

    /// `search QUERY --format json EXTRA...` (all hits unless EXTRA has a
    /// `--limit`): the whole object.
    fn search(&self, query: &str, extra: &[&str]) -> Value {
        let mut args = vec!["search", query, "--format", "json"];
        if !extra.contains(&"--limit") {
            args.extend(["--limit", "1000"]);
        }
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert!(run.code == Some(0) || run.code == Some(1), "{}", run.stderr);
        serde_json::from_str(&run.stdout()).expect("search JSON")
    }

    /// `export QUERY ARGS...`, which must exit with `code`.
    fn export(&self, query: &str, args: &[&str], code: i32) -> Run {
        let mut all = vec!["export", query];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(
            run.code,
            Some(code),
            "export {query} {args:?}:\n{}{}",
            run.stdout(),
            run.stderr
        );
        run
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Names of the files in the workspace folder (not in subfolders).
    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn hits(search: &Value) -> &Vec<Value> {
    search["hits"].as_array().expect("hits array")
}

/// A JSON value as the text of a CSV cell.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join("; "),
        Value::Number(n) if n.is_f64() => format!("{:.3}", n.as_f64().unwrap()),
        v => v.to_string(),
    }
}

fn read_csv(text: &str, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Asserts the CSV rows are the search hits, in order, column by column.
fn assert_rows_are_hits(header: &[String], rows: &[Vec<String>], hits: &[Value]) {
    assert_eq!(rows.len(), hits.len(), "one row a hit");
    for (row, hit) in rows.iter().zip(hits) {
        for (name, value) in header.iter().zip(row) {
            assert_eq!(value, &cell(&hit[name.as_str()]), "column {name} of {hit}");
        }
    }
}

#[test]
fn csv_export_holds_exactly_the_search_hits_in_order() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &[]);
    assert_eq!(search["total"], 7);
    let run = ws.export(QUERY, &["--format", "csv", "-o", "hits.csv"], 0);
    assert!(
        run.stderr.contains("7 hits of 7 written to hits.csv"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing on stdout with -o");
    let text = ws.read("hits.csv");
    assert!(
        text.starts_with("rank,score,id,date,source,title,url,path,countries,actors,snippet\r\n")
    );
    let (header, rows) = read_csv(&text, b',');
    assert_eq!(header, CSV_HEADER);
    assert_rows_are_hits(&header, &rows, hits(&search));
    let titles: Vec<&str> = rows.iter().map(|r| r[5].as_str()).collect();
    assert!(titles.contains(&TRICKY_TITLE), "{titles:#?}");
    // The file is the only new one: no temporary file is left behind.
    assert_eq!(ws.files(), ["hits.csv"]);
}

#[test]
fn json_export_holds_the_query_filters_index_and_exactly_the_search_hits() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &["--from", "2024-06"]);
    ws.export(QUERY, &["--from", "2024-06", "-o", "hits.json"], 0);
    let export: Value = serde_json::from_str(&ws.read("hits.json")).expect("valid JSON");
    let keys: Vec<&str> = export
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["query", "filters", "index", "exported_at", "total", "hits"]
    );
    assert_eq!(export["query"], QUERY);
    assert_eq!(export["filters"]["from"], "2024-06");
    assert_eq!(export["filters"]["sort"], "relevance");
    assert_eq!(export["index"]["articles"], 8);
    assert!(export["index"]["path"].as_str().unwrap().ends_with("index"));
    assert!(export["exported_at"].as_str().unwrap().starts_with("20"));
    assert_eq!(export["total"], search["total"]);
    let exported = hits(&export);
    let searched = hits(&search);
    assert_eq!(exported.len(), searched.len());
    assert!(!exported.is_empty());
    for (e, s) in exported.iter().zip(searched) {
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, CSV_HEADER, "every column, in order");
        for key in CSV_HEADER {
            assert_eq!(e[key], s[key], "{key} of {s}");
        }
    }
    // The tricky title survives JSON too (it is from March, so search it alone).
    ws.export(QUERY, &["--format", "json", "-o", "all.json"], 0);
    let all: Value = serde_json::from_str(&ws.read("all.json")).unwrap();
    assert!(hits(&all).iter().any(|h| h["title"] == TRICKY_TITLE));
}

#[test]
fn ndjson_export_is_one_hit_a_line_and_nothing_else() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &["--sort", "newest"]);
    let run = ws.export(QUERY, &["--sort", "newest", "--format", "ndjson"], 0);
    let lines: Vec<Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let ids = |hits: &[Value]| hits.iter().map(|h| h["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&lines), ids(hits(&search)));
    assert_eq!(lines[0]["date"], "2025-01-15", "newest first");
}

#[test]
fn filters_of_search_apply_to_export() {
    let ws = Workspace::indexed();
    for filters in [
        vec!["--source", "kurier-beispiel.at"],
        vec!["--from", "2024-07", "--to", "2024-12"],
        vec!["--sort", "oldest"],
    ] {
        let search = ws.search(QUERY, &filters);
        let mut args = filters.clone();
        args.extend(["--format", "csv"]);
        let run = ws.export(QUERY, &args, 0);
        let (header, rows) = read_csv(&run.stdout(), b',');
        assert_rows_are_hits(&header, &rows, hits(&search));
        assert!(
            rows.len() < 7 || filters[0] == "--sort",
            "{filters:?} filters"
        );
    }
}

#[test]
fn excel_csv_has_a_byte_order_mark_semicolons_and_decimal_commas() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &[]);
    ws.export(QUERY, &["--excel", "-o", "excel.csv"], 0);
    let bytes = fs::read(ws.path("excel.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("rank;score;id;date;source;title;url;path;countries;actors;snippet\r\n")
    );
    let (header, rows) = read_csv(&text, b';');
    assert_eq!(header, CSV_HEADER);
    assert_eq!(rows.len(), hits(&search).len());
    for (row, hit) in rows.iter().zip(hits(&search)) {
        assert_eq!(
            row[1],
            cell(&hit["score"]).replace('.', ","),
            "decimal comma"
        );
        assert_eq!(row[5], cell(&hit["title"]));
    }
    // --excel is CSV only.
    let run = ws.export(QUERY, &["--excel", "--format", "json"], 2);
    assert!(run.stderr.contains("--excel"), "{}", run.stderr);
}

#[test]
fn existing_file_is_not_replaced_without_force() {
    let ws = Workspace::indexed();
    fs::write(ws.path("hits.csv"), "keep me\n").unwrap();
    let run = ws.export(QUERY, &["-o", "hits.csv"], 2);
    assert!(
        run.stderr.contains("hits.csv exists") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(ws.read("hits.csv"), "keep me\n");
    ws.export(QUERY, &["-o", "hits.csv", "--force"], 0);
    assert!(ws.read("hits.csv").starts_with("rank,"));
    assert_eq!(ws.files(), ["hits.csv"], "no temporary file left");
}

#[test]
fn a_bad_query_leaves_no_file() {
    let ws = Workspace::indexed();
    let run = ws.export("(Fähre", &["-o", "hits.csv"], 2);
    assert!(run.stderr.contains("parenthesis"), "{}", run.stderr);
    assert!(ws.files().is_empty(), "{:?}", ws.files());
}

#[test]
fn no_hits_still_writes_a_valid_file_and_exits_1() {
    let ws = Workspace::indexed();
    ws.export("Zeppelin", &["-o", "none.csv"], 1);
    assert_eq!(
        ws.read("none.csv"),
        "rank,score,id,date,source,title,url,path,countries,actors,snippet\r\n"
    );
    ws.export("Zeppelin", &["-o", "none.json"], 1);
    let json: Value = serde_json::from_str(&ws.read("none.json")).unwrap();
    assert_eq!(json["total"], 0);
    assert_eq!(json["hits"], Value::Array(vec![]));
    ws.export("Zeppelin", &["-o", "none.ndjson"], 1);
    assert_eq!(ws.read("none.ndjson"), "");
    ws.export("Zeppelin", &["-o", "none.html"], 1);
    assert!(ws.read("none.html").contains("No hits."));
}

#[test]
fn fields_pick_and_order_the_columns() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &[]);
    let run = ws.export(QUERY, &["--fields", "title,date", "--format", "csv"], 0);
    let (header, rows) = read_csv(&run.stdout(), b',');
    assert_eq!(header, ["title", "date"]);
    assert!(rows.iter().all(|r| r.len() == 2));
    assert_rows_are_hits(&header, &rows, hits(&search));

    let run = ws.export(QUERY, &["--fields", "date,id", "--format", "json"], 0);
    let json: Value = serde_json::from_str(&run.stdout()).unwrap();
    for hit in hits(&json) {
        let keys: Vec<&str> = hit
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["date", "id"]);
    }
    let run = ws.run(&["export", QUERY, "--fields", "title,nope"]);
    assert_eq!(run.code, Some(2));
}

#[test]
fn limit_caps_the_export() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &["--limit", "2"]);
    let run = ws.export(QUERY, &["--limit", "2", "--format", "json"], 0);
    let json: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["total"], 7, "total counts every match");
    assert_eq!(json["filters"]["limit"], 2);
    let ids = |v: &Value| hits(v).iter().map(|h| h["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&json), ids(&search));
}

#[test]
fn format_follows_the_file_extension_and_dash_is_stdout() {
    let ws = Workspace::indexed();
    ws.export(QUERY, &["-o", "hits.json"], 0);
    serde_json::from_str::<Value>(&ws.read("hits.json")).expect("JSON by extension");
    ws.export(QUERY, &["-o", "hits.md"], 0);
    assert!(ws.read("hits.md").starts_with("## 7 hits for “Fähre”"));
    let run = ws.export(QUERY, &["-o", "-"], 0);
    assert!(run.stdout().starts_with("rank,score,"), "CSV on stdout");
}

#[test]
fn markdown_is_a_numbered_list_with_linked_titles() {
    let ws = Workspace::indexed();
    let run = ws.export(QUERY, &["--format", "markdown"], 0);
    let md = run.stdout();
    assert!(md.starts_with("## 7 hits for “Fähre”\n"), "{md}");
    assert!(
        md.contains("[Neue Fähre für den Ströhmsee bestellt](https://www.seeblatt-beispiel.de/region/neue-faehre-bestellt)"),
        "{md}"
    );
    assert!(md.contains("\n1. "), "{md}");
    assert!(md.contains("**Fähre**"), "matched words in bold: {md}");
    // The title's line break does not break the list item.
    assert!(md.contains("aber später\" Zweite Zeile"), "{md}");
    // With --fields: a table.
    let run = ws.export(QUERY, &["--format", "md", "--fields", "rank,title"], 0);
    let md = run.stdout();
    assert!(
        md.contains("| rank | title |\n| ---: | --- |\n| 1 | "),
        "{md}"
    );
}

#[test]
fn html_report_is_one_self_contained_file() {
    let ws = Workspace::indexed();
    ws.export(QUERY, &["-o", "report.html"], 0);
    let html = ws.read("report.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<svg"), "timeline chart");
    assert!(html.contains("data-total=\"7\""), "hit count");
    assert_eq!(html.matches("<li class=\"hit\"").count(), 7);
    for asset in [
        "<script src",
        "<link rel",
        "src=\"http",
        "url(http",
        "@import",
    ] {
        assert!(!html.contains(asset), "external asset {asset}");
    }
    // Titles are escaped, matched words marked, links are the articles' URLs.
    assert!(html.contains("&quot;Ja, wir ") && html.contains("; aber später&quot;"));
    assert!(!html.contains("\"Ja, wir"));
    assert!(html.contains("<mark>Fähre</mark>"));
    assert!(html.contains("href=\"https://www.kurier-beispiel.at/lokal/bruecke-oder-faehre\""));
    assert_eq!(ws.files(), ["report.html"]);
}

#[test]
fn search_format_offers_the_same_renderers_for_the_top_hits() {
    let ws = Workspace::indexed();
    let search = ws.search(QUERY, &["--limit", "3"]);
    let run = ws.run(&["search", QUERY, "--limit", "3", "--format", "csv"]);
    assert_eq!(run.code, Some(0));
    let (header, rows) = read_csv(&run.stdout(), b',');
    assert_rows_are_hits(&header, &rows, hits(&search));

    let run = ws.run(&["search", QUERY, "--limit", "3", "--format", "markdown"]);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout().starts_with("## 7 hits for “Fähre”, 1–3 shown"));

    let run = ws.run(&["search", QUERY, "--limit", "3", "--format", "html"]);
    assert_eq!(run.code, Some(0));
    let html = run.stdout();
    assert!(html.contains("<svg") && html.contains("data-total=\"7\" data-listed=\"3\""));

    // search --format json keeps its documented object.
    let keys: Vec<&str> = search
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["query", "total", "took_ms", "collapsed", "hits"]);
    let run = ws.run(&["search", "Zeppelin", "--format", "csv"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout().lines().count(), 1, "header only");
}
