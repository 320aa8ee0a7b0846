//! End-to-end tests of entity recognition through the `archiv` binary:
//! `archiv extract` (countries, actors and dates of one file or of stdin,
//! without indexing), the `--country`/`--actor` filters and the
//! `country:`/`actor:` query fields, `search --facets`/`--timeline`, and the
//! top countries and actors of `archiv stats`.
//!
//! Every test runs archiv with its own temporary index (`--index DIR`); the
//! articles are in `tests/fixtures/entities`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

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
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entities")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// Runs `archiv --index DIR ARGS...` in `cwd`, with `stdin` piped in if given.
fn archiv(cwd: &Path, index: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let out = common::run_archiv(cwd, index, args, stdin);
    Run {
        code: out.code,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: out.stderr,
    }
}

/// `archiv extract ARGS...` with a fresh index location that must stay
/// untouched: extract never indexes.
fn extract_run(args: &[&str], stdin: Option<&str>) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    let run = archiv(dir.path(), &index, &all, stdin);
    assert!(
        !index.exists(),
        "archiv extract must not create an index, but {} exists",
        index.display()
    );
    run
}

/// `archiv extract FILE --format json`, which must succeed.
fn extract_file(name: &str) -> Value {
    let path = fixture(name);
    let run = extract_run(&[path.to_str().unwrap(), "--format", "json"], None);
    assert_eq!(run.code, Some(0), "extract {name} failed:\n{}", run.stderr);
    run.json()
}

/// `archiv extract - --format json` with `text` on stdin, which must succeed.
fn extract_text(text: &str) -> Value {
    let run = extract_run(&["-", "--format", "json"], Some(text));
    assert_eq!(run.code, Some(0), "extract - failed:\n{}", run.stderr);
    run.json()
}

/// The country codes of an extracted article, in the order given.
fn codes(article: &Value) -> Vec<String> {
    article["countries"]
        .as_array()
        .unwrap_or_else(|| panic!("no countries array in {article:#}"))
        .iter()
        .map(|c| c["code"].as_str().expect("code is a string").to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The actor names of an extracted article, in the order given.
fn actor_names(article: &Value) -> Vec<String> {
    article["actors"]
        .as_array()
        .unwrap_or_else(|| panic!("no actors array in {article:#}"))
        .iter()
        .map(|a| a["name"].as_str().expect("name is a string").to_string())
        .collect()
}

/// The actor of that name in an extracted article.
fn actor<'a>(article: &'a Value, name: &str) -> &'a Value {
    article["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| {
            panic!(
                "no actor {name:?} in {:?} of {}",
                actor_names(article),
                article["title"]
            )
        })
}

/// The country of that code in an extracted article.
fn country<'a>(article: &'a Value, code: &str) -> &'a Value {
    article["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no country {code} in {:?}", codes(article)))
}

/// A temporary folder with a copy of the entity fixtures in `articles/`,
/// indexed into `index/`.
struct Archive {
    dir: TempDir,
}

impl Archive {
    fn new() -> Archive {
        let dir = tempfile::tempdir().expect("temp dir");
        let articles = dir.path().join("articles");
        fs::create_dir(&articles).unwrap();
        for entry in fs::read_dir(fixtures()).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), articles.join(entry.file_name())).unwrap();
        }
        let archive = Archive { dir };
        let run = archive.run(&["index", "articles"]);
        assert_eq!(run.code, Some(0), "index failed:\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{ARTICLES} articles in")),
            "expected {ARTICLES} articles:\n{}",
            run.stderr
        );
        archive
    }

    fn run(&self, args: &[&str]) -> Run {
        archiv(self.dir.path(), &self.dir.path().join("index"), args, None)
    }

    /// `search QUERY --format json -n 100 EXTRA...`.
    fn search(&self, query: &str, extra: &[&str]) -> Run {
        let mut args = vec!["search", query, "--format", "json", "-n", "100"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// The hits of a search that must find something.
    fn hits(&self, query: &str, extra: &[&str]) -> Vec<Value> {
        let run = self.search(query, extra);
        assert_eq!(
            run.code,
            Some(0),
            "search {query:?} {extra:?} should find something:\n{}{}",
            run.stdout,
            run.stderr
        );
        run.json()["hits"].as_array().unwrap().clone()
    }

    /// The paths of the hits of a search that must find something, sorted.
    fn paths(&self, query: &str, extra: &[&str]) -> Vec<String> {
        sorted(
            self.hits(query, extra)
                .iter()
                .map(|h| h["path"].as_str().unwrap().to_string())
                .collect(),
        )
    }

    /// `search QUERY --color never EXTRA...` (text output), which must succeed.
    fn search_text(&self, query: &str, extra: &[&str]) -> String {
        let mut args = vec!["search", query, "--color", "never"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(
            run.code,
            Some(0),
            "search {query:?} {extra:?}:\n{}{}",
            run.stdout,
            run.stderr
        );
        run.stdout
    }
}

/// Articles in `tests/fixtures/entities` (the .jsonl file holds two).
const ARTICLES: usize = 11;

const SOLDATEN: &str = "articles/2024-10-18-nordkorea-soldaten.txt";
const KURSK: &str = "articles/2024-10-30-kursk-einheiten.txt";
const PISTORIUS: &str = "articles/2024-11-04-pistorius-kyjiw.txt";
const SELENSKY: &str = "articles/2024-11-20-selensky-gefangene.txt";
const MELDUNG_1: &str = "articles/meldungen.jsonl#1";
const MELDUNG_2: &str = "articles/meldungen.jsonl#2";

fn strings(items: &[&str]) -> Vec<String> {
    sorted(items.iter().map(|s| s.to_string()).collect())
}

/// The rows `  LABEL  COUNT  ███` of a section of `--facets` output that
/// starts with the line `title`, up to the next blank line.
fn facet_rows(stdout: &str, title: &str) -> Vec<(String, u64)> {
    let row = Regex::new(r"^  (\S.*?)\s+(\d+)  █+$").unwrap();
    stdout
        .lines()
        .skip_while(|l| *l != title)
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| row.captures(l))
        .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
        .collect()
}

// ---------------------------------------------------------------------------
// 1. archiv extract
// ---------------------------------------------------------------------------

#[test]
fn extract_json_of_a_file_has_the_documented_keys() {
    let a = extract_file("2024-10-18-nordkorea-soldaten.txt");
    assert!(a.is_object(), "one article is one object: {a:#}");
    for key in [
        "title",
        "date",
        "date_source",
        "language",
        "countries",
        "actors",
    ] {
        assert!(a.get(key).is_some(), "key {key} missing in {a:#}");
    }
    assert_eq!(a["title"], "Nordkorea schickt Soldaten nach Russland");
    assert_eq!(a["date"], "2024-10-18");
    assert_eq!(a["date_source"], "filename");
    assert_eq!(a["language"], "de");
    for c in a["countries"].as_array().unwrap() {
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "name", "mentions"], "{c}");
    }
    for x in a["actors"].as_array().unwrap() {
        let keys: Vec<&String> = x.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "kind", "role", "mentions"], "{x}");
    }
    let kp = country(&a, "KP");
    assert_eq!(kp["name"], "Nordkorea");
}

#[test]
fn extract_counts_mentions_and_puts_the_most_mentioned_country_first() {
    let a = extract_file("2024-10-18-nordkorea-soldaten.txt");
    // Nordkorea ×3 (title and body), nordkoreanischen, Nordkoreaner, Pjöngjang;
    // Russland ×2, Kreml; südkoreanischen, Seoul; US-Außenamtssprecher.
    let found: Vec<(String, u64)> = a["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().into(),
                c["mentions"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("KP".to_string(), 6),
            ("RU".to_string(), 3),
            ("KR".to_string(), 2),
            ("US".to_string(), 1)
        ]
    );
    // Every fixture lists its countries and actors most mentioned first.
    for name in [
        "2024-10-30-kursk-einheiten.txt",
        "2024-11-04-pistorius-kyjiw.txt",
        "2024-11-12-wien-minenraeumung.txt",
        "2024-11-20-selensky-gefangene.txt",
        "vermittlung.html",
    ] {
        let a = extract_file(name);
        for list in ["countries", "actors"] {
            let mentions: Vec<u64> = a[list]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["mentions"].as_u64().unwrap())
                .collect();
            assert!(
                mentions.windows(2).all(|w| w[0] >= w[1]),
                "{list} of {name} not most mentioned first: {mentions:?}"
            );
        }
    }
}

#[test]
fn extract_reads_plain_text_from_stdin() {
    let text = "Russlands Angriffe auf Kiew\n\nDas Weiße Haus kündigte am Dienstag neue Hilfen an. \
                In Wien wurde das begrüßt.\n";
    let a = extract_text(text);
    assert_eq!(a["title"], "Russlands Angriffe auf Kiew");
    assert_eq!(sorted(codes(&a)), ["AT", "RU", "UA", "US"]);
    assert_eq!(a["date"], Value::Null, "no date in the text: {a:#}");
    assert_eq!(a["date_source"], "none");

    // The text form says the same.
    let run = extract_run(&["-"], Some(text));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("title:     Russlands Angriffe auf Kiew"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("RU Russland (1)") && run.stdout.contains("AT Österreich (1)"),
        "{}",
        run.stdout
    );
}

#[test]
fn extract_jsonl_gives_an_array_of_its_articles() {
    let v = extract_file("meldungen.jsonl");
    let items = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v:#}"));
    assert_eq!(items.len(), 2, "{v:#}");
    assert!(
        items[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("meldungen.jsonl#1")
    );
    assert!(
        items[1]["path"]
            .as_str()
            .unwrap()
            .ends_with("meldungen.jsonl#2")
    );
    assert_eq!(items[0]["date"], "2024-11-13");
    assert_eq!(items[0]["date_source"], "metadata");
    // Russland ×2, Nordkorea ×2, Pjöngjang; Peking; Seoul.
    assert_eq!(codes(&items[0]), ["KP", "RU", "CN", "KR"]);
    // Moskau, russische; Nordkorea.
    assert_eq!(codes(&items[1]), ["RU", "KP"]);
    assert_eq!(actor_names(&items[1]), ["Maria Sacharowa"]);
}

#[test]
fn extract_html_page_finds_entities_in_the_main_text() {
    let a = extract_file("vermittlung.html");
    assert_eq!(a["title"], "Türkei bietet Vermittlung an");
    assert_eq!(a["date"], "2024-11-25");
    assert_eq!(a["date_source"], "metadata");
    // Türkei (title), Die Türkei, Ankara, der Türkei; Russland, Moskau; Ukraine, Kyjiw.
    assert_eq!(codes(&a), ["TR", "RU", "UA"]);
    assert_eq!(country(&a, "TR")["mentions"], 4);
    assert_eq!(actor_names(&a), ["Vereinte Nationen"]);
    assert_eq!(actor(&a, "Vereinte Nationen")["kind"], "organisation");
}

#[test]
fn extract_of_an_unknown_extension_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notiz.pdf");
    fs::write(&file, "Russland").unwrap();
    let run = extract_run(&[file.to_str().unwrap()], None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("notiz.pdf"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// 2. Countries
// ---------------------------------------------------------------------------

#[test]
fn countries_from_inflections_adjectives_demonyms_seats_and_compounds() {
    let cases: &[(&str, &[&str])] = &[
        ("Die Armee Russlands rückt weiter vor.", &["RU"]),
        (
            "Gespräche mit der Türkei und den USA sind geplant.",
            &["TR", "US"],
        ),
        ("Die nordkoreanischen Soldaten trafen ein.", &["KP"]),
        ("Die Russen und die Nordkoreaner verhandeln.", &["KP", "RU"]),
        (
            "Aus Moskau, Pjöngjang und Peking kamen Reaktionen.",
            &["CN", "KP", "RU"],
        ),
        ("Der Kreml und das Weiße Haus schweigen.", &["RU", "US"]),
        ("Die Delegation reiste von Kiew nach Wien.", &["AT", "UA"]),
        ("Die Regierung in Kyjiw sprach mit Seoul.", &["KR", "UA"]),
        ("Ein US-Außenamtssprecher äußerte sich dazu.", &["US"]),
        ("Seit dem Ukraine-Krieg ist vieles anders.", &["UA"]),
        ("Der Ukrainekrieg dauert an.", &["UA"]),
    ];
    for (text, expected) in cases {
        let a = extract_text(&format!("{text}\n"));
        assert_eq!(sorted(codes(&a)), strings(expected), "in {text:?}");
    }
}

#[test]
fn regions_count_for_their_state_and_are_never_listed() {
    // Kursk (title and body) is the only word for Russia in this article.
    let a = extract_file("2024-10-30-kursk-einheiten.txt");
    assert_eq!(codes(&a), ["KP", "RU", "KR", "US"]);
    assert_eq!(country(&a, "RU")["mentions"], 2);
    for c in a["countries"].as_array().unwrap() {
        let code = c["code"].as_str().unwrap();
        assert!(
            code.len() == 2 && code.chars().all(|ch| ch.is_ascii_uppercase()),
            "not an ISO code: {c}"
        );
        assert_ne!(c["name"], "Kursk", "{c}");
    }
    let b = extract_text("Die Kämpfe in der Region Kursk halten an.\n");
    assert_eq!(codes(&b), ["RU"]);
}

#[test]
fn people_named_like_places_and_language_names_are_no_countries() {
    let a = extract_file("2024-12-02-filmfestival.txt");
    assert_eq!(
        codes(&a),
        Vec::<String>::new(),
        "Denzel Washington, Paris Hilton, auf Deutsch"
    );
    let b = extract_text("Der Schauspieler Denzel Washington reiste nach Berlin.\n");
    assert_eq!(codes(&b), ["DE"]);
    let c = extract_text("Sie gab dem Sender ein Interview auf Deutsch.\n");
    assert_eq!(codes(&c), Vec::<String>::new());
}

#[test]
fn nato_states_are_no_country_but_nato_is_an_actor() {
    let a = extract_text("Die Nato-Staaten wollen am Donnerstag beraten.\n");
    assert_eq!(codes(&a), Vec::<String>::new());
    assert_eq!(actor_names(&a), ["NATO"]);
}

// ---------------------------------------------------------------------------
// 3. Actors
// ---------------------------------------------------------------------------

#[test]
fn full_names_with_role_and_surname_mentions() {
    let a = extract_file("2024-11-04-pistorius-kyjiw.txt");
    assert_eq!(
        actor_names(&a),
        ["Boris Pistorius", "Wolodymyr Selenskyj"],
        "{a:#}"
    );
    // Pistorius (title), Verteidigungsminister Boris Pistorius, Pistorius'.
    let p = actor(&a, "Boris Pistorius");
    assert_eq!(p["kind"], "person");
    assert_eq!(p["role"], "Verteidigungsminister");
    assert_eq!(p["mentions"], 3);
    let s = actor(&a, "Wolodymyr Selenskyj");
    assert_eq!(s["role"], "Präsident");
    assert_eq!(s["mentions"], 2);

    // US-Außenamtssprecher John Kirby … Kirby: the role with its country prefix.
    let k = extract_file("2024-10-18-nordkorea-soldaten.txt");
    let kirby = actor(&k, "John Kirby");
    assert_eq!(kirby["role"], "US-Außenamtssprecher");
    assert_eq!(kirby["mentions"], 2);
    assert!(!actor_names(&k).iter().any(|n| n == "Kirby"));
}

#[test]
fn unknown_people_from_role_word_or_first_name() {
    let text = "Neue Bibliothek eröffnet\n\n\
        Bürgermeisterin Sabine Grünwald eröffnete am Montag die neue Stadtbibliothek. \
        Nach Grünwalds Worten soll das Haus auch abends geöffnet sein. Unterstützt wurde \
        das Projekt von Tobias Kranich, der den Förderverein leitet. Kranich verwies auf \
        zahlreiche Spenden aus der Bürgerschaft.\n";
    let a = extract_text(text);
    assert_eq!(
        actor_names(&a),
        ["Sabine Grünwald", "Tobias Kranich"],
        "{a:#}"
    );
    let g = actor(&a, "Sabine Grünwald");
    assert_eq!(g["role"], "Bürgermeisterin");
    assert_eq!(g["mentions"], 2, "Grünwalds counts for Sabine Grünwald");
    let k = actor(&a, "Tobias Kranich");
    assert_eq!(k["role"], Value::Null);
    assert_eq!(k["mentions"], 2);
}

#[test]
fn transliteration_variants_and_genitives_are_one_actor() {
    let a = extract_file("2024-11-20-selensky-gefangene.txt");
    // Selensky (title), Selensky, Zelensky; Maria Sacharowa, Sacharowa, Zakharova; Putins.
    assert_eq!(
        sorted(actor_names(&a)),
        strings(&["Maria Sacharowa", "Wladimir Putin", "Wolodymyr Selenskyj"]),
        "{a:#}"
    );
    assert_eq!(actor(&a, "Wolodymyr Selenskyj")["mentions"], 3);
    assert_eq!(actor(&a, "Maria Sacharowa")["mentions"], 3);
    assert_eq!(actor(&a, "Wladimir Putin")["mentions"], 1);
    // The same person in another spelling in another article.
    let m = extract_file("meldungen.jsonl");
    let second = &m.as_array().unwrap()[1];
    let s = actor(second, "Maria Sacharowa");
    assert_eq!(s["mentions"], 2, "Maria Zakharova and Sacharowa");
    assert_eq!(s["role"], "Sprecherin");
}

#[test]
fn organisation_aliases_are_one_actor() {
    let a = extract_file("2024-10-18-nordkorea-soldaten.txt");
    let nato = actor(&a, "NATO");
    assert_eq!(nato["kind"], "organisation");
    assert_eq!(nato["mentions"], 2, "Nato and NATO");
    assert!(!actor_names(&a).iter().any(|n| n == "Nato"));

    let b = extract_file("2024-11-12-wien-minenraeumung.txt");
    assert_eq!(actor_names(&b), ["Vereinte Nationen"], "{b:#}");
    let un = actor(&b, "Vereinte Nationen");
    assert_eq!(un["kind"], "organisation");
    assert_eq!(un["mentions"], 3, "den Vereinten Nationen, UNO, UN");
    assert_eq!(codes(&b), ["AT", "TR", "US"]);
}

#[test]
fn photo_credit_lines_are_never_actors() {
    let a = extract_file("2024-11-04-pistorius-kyjiw.txt");
    let names = actor_names(&a);
    assert!(
        !names
            .iter()
            .any(|n| n.contains("Tallis") || n.contains("Justin")),
        "APA/AFP/Justin Tallis: {names:?}"
    );
    let b = extract_file("2024-12-02-filmfestival.txt");
    let names = actor_names(&b);
    assert!(
        !names
            .iter()
            .any(|n| n.contains("Erika") || n.contains("Beispiel")),
        "dpa/Erika Beispiel: {names:?}"
    );
    let c = extract_text(
        "Hafenfest beginnt\n\nFoto: Stadtverwaltung/Peter Knips\n\n\
         Das Hafenfest beginnt am Freitag mit einem Konzert.\n",
    );
    assert_eq!(actor_names(&c), Vec::<String>::new(), "{c:#}");
}

#[test]
fn headings_weekdays_and_sentence_starts_are_not_actors() {
    let text = "Kritik aus Moskau\n\nSorge in Berlin\n\n\
        Am Donnerstag bestätigte ein Sprecher die Angaben. Dennoch bleibt vieles offen. \
        Montag Morgen soll weiter verhandelt werden.\n";
    let a = extract_text(text);
    assert_eq!(actor_names(&a), Vec::<String>::new(), "{a:#}");
    assert_eq!(sorted(codes(&a)), ["DE", "RU"]);
}

#[test]
fn a_sentence_after_a_role_word_does_not_start_a_name() {
    // `Sprecher.` ends a sentence: `Weitere Einzelheiten` is no person.
    let text = "Unfall auf der Autobahn\n\n\
        Den Unfall bestätigte am Abend ein Sprecher. Weitere Einzelheiten wurden zunächst \
        nicht bekannt.\n";
    let a = extract_text(text);
    assert_eq!(actor_names(&a), Vec::<String>::new(), "{a:#}");
}

#[test]
fn a_place_between_role_word_and_name_is_not_part_of_the_name() {
    // (text, the actors expected, most mentioned first)
    let cases: &[(&str, &[&str])] = &[
        (
            "Konferenz in Wien\n\nDer Bürgermeister Wiens, Stefan Musterer, eröffnete die \
             Konferenz am Dienstag. Musterer verwies auf die lange Tradition der Stadt als Ort \
             für Verhandlungen.\n",
            &["Stefan Musterer"],
        ),
        (
            "Besuch in Berlin\n\nDer Präsident Frankreichs Emmanuel Macron traf am Abend in \
             Berlin ein.\n",
            &["Emmanuel Macron"],
        ),
    ];
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let names = actor_names(&extract_text(text));
        if names != *expected {
            wrong.push(format!(
                "{text:?}\n  expected {expected:?}\n  got      {names:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------
// 4. Dates from the text
// ---------------------------------------------------------------------------

#[test]
fn stand_line_gives_the_date_of_an_article_without_metadata() {
    let a = extract_file("schneefall-stand.txt");
    assert_eq!(a["date"], "2024-12-12");
    assert_eq!(a["date_source"], "text");
    assert_eq!(a["date_granularity"], "day");

    // The same date is stored in the index and filters searches.
    let archive = Archive::new();
    let hits = archive.hits(
        "Räumdienste",
        &["--from", "2024-12-12", "--to", "2024-12-12"],
    );
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0]["path"], "articles/schneefall-stand.txt");
    assert_eq!(hits[0]["date"], "2024-12-12");
    assert_eq!(hits[0]["date_source"], "text");
}

#[test]
fn a_weekday_alone_is_never_a_date() {
    let a = extract_file("radweg-mittwoch.txt");
    assert_eq!(a["date"], Value::Null, "{a:#}");
    assert_eq!(a["date_source"], "none");
    let b = extract_text("Am Mittwoch tagte der Ausschuss.\n\nEr vertagte sich auf Freitag.\n");
    assert_eq!(b["date"], Value::Null, "{b:#}");
}

// ---------------------------------------------------------------------------
// 5. Search filters
// ---------------------------------------------------------------------------

#[test]
fn country_filter_takes_a_code_a_german_name_or_lower_case() {
    let archive = Archive::new();
    let by_code = archive.paths("", &["--country", "KP"]);
    assert_eq!(by_code, strings(&[SOLDATEN, KURSK, MELDUNG_1, MELDUNG_2]));
    assert_eq!(archive.paths("", &["--country", "Nordkorea"]), by_code);
    assert_eq!(archive.paths("", &["--country", "kp"]), by_code);
    // With a query, the filter narrows its hits.
    assert_eq!(
        archive.paths("Soldaten", &["--country", "KP"]),
        strings(&[SOLDATEN, KURSK])
    );
}

#[test]
fn repeated_country_filters_must_all_hold() {
    let archive = Archive::new();
    assert_eq!(
        archive.paths("", &["--country", "KP", "--country", "USA"]),
        strings(&[SOLDATEN, KURSK])
    );
    assert_eq!(
        archive.paths("", &["--country", "RU", "--country", "China"]),
        strings(&[MELDUNG_1])
    );
    let none = archive.search("", &["--country", "KP", "--country", "UA"]);
    assert_eq!(none.code, Some(1), "{none:?}");
    assert_eq!(none.json()["total"], 0);
}

#[test]
fn actor_filter_takes_full_name_surname_or_alias() {
    let archive = Archive::new();
    let full = archive.paths("", &["--actor", "John Kirby"]);
    assert_eq!(full, strings(&[SOLDATEN, KURSK]));
    assert_eq!(archive.paths("", &["--actor", "Kirby"]), full);
    assert_eq!(
        archive.paths("", &["--actor", "Selensky"]),
        strings(&[PISTORIUS, SELENSKY])
    );
    assert_eq!(
        archive.paths("", &["--actor", "Zakharova"]),
        strings(&[SELENSKY, MELDUNG_2])
    );
    // Actor and country filters together.
    assert_eq!(
        archive.paths("", &["--actor", "Sacharowa", "--country", "KP"]),
        strings(&[MELDUNG_2])
    );
    let none = archive.search("", &["--actor", "Kirby", "--actor", "Pistorius"]);
    assert_eq!(none.code, Some(1), "{none:?}");
}

#[test]
fn query_fields_country_land_actor_akteur() {
    let archive = Archive::new();
    let flag = archive.paths("", &["--country", "KP"]);
    assert_eq!(archive.paths("country:KP", &[]), flag);
    assert_eq!(archive.paths("land:Nordkorea", &[]), flag);
    assert_eq!(archive.paths("actor:Pistorius", &[]), strings(&[PISTORIUS]));
    assert_eq!(
        archive.paths("akteur:Selensky", &[]),
        strings(&[PISTORIUS, SELENSKY])
    );
    assert_eq!(
        archive.paths("akteur:\"Maria Sacharowa\"", &[]),
        strings(&[SELENSKY, MELDUNG_2])
    );
    assert_eq!(
        archive.paths("Soldaten AND land:Russland AND actor:Kirby", &[]),
        strings(&[SOLDATEN, KURSK])
    );
}

#[test]
fn unknown_country_exits_2_and_names_it() {
    let archive = Archive::new();
    for (query, extra) in [
        ("", vec!["--country", "Atlantis"]),
        ("land:Atlantis", vec![]),
    ] {
        let run = archive.search(query, &extra);
        assert_eq!(run.code, Some(2), "{query:?} {extra:?}: {run:?}");
        assert!(run.stderr.contains("Atlantis"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn search_json_hits_list_countries_focus_first_and_actors() {
    let archive = Archive::new();
    let hits = archive.hits("", &["--country", "KP"]);
    let hit = |path: &str| {
        hits.iter()
            .find(|h| h["path"] == path)
            .unwrap_or_else(|| panic!("no hit {path}"))
            .clone()
    };
    let soldaten = hit(SOLDATEN);
    assert_eq!(
        soldaten["countries"],
        serde_json::json!(["KP", "RU", "KR", "US"])
    );
    assert_eq!(
        soldaten["actors"],
        serde_json::json!(["John Kirby", "NATO"])
    );
    // Russia is this article's focus; North Korea is named once.
    let kritik = hit(MELDUNG_2);
    assert_eq!(kritik["countries"], serde_json::json!(["RU", "KP"]));
    assert_eq!(kritik["actors"], serde_json::json!(["Maria Sacharowa"]));
    // An article without entities has empty arrays, not missing keys.
    let film = archive.hits("Filmfestival", &[]);
    assert_eq!(film[0]["countries"], serde_json::json!([]));
    assert_eq!(film[0]["actors"], serde_json::json!([]));
}

#[test]
fn show_json_gives_the_entities_with_their_mentions() {
    let archive = Archive::new();
    let run = archive.run(&["show", SOLDATEN, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let shown = run.json();
    let extracted = extract_file("2024-10-18-nordkorea-soldaten.txt");
    assert_eq!(shown["entities"]["countries"], extracted["countries"]);
    assert_eq!(shown["entities"]["actors"], extracted["actors"]);
    assert!(
        country(&shown["entities"], "KP")["mentions"]
            .as_u64()
            .unwrap()
            >= 2
    );
}

// ---------------------------------------------------------------------------
// 6. Facets and timeline
// ---------------------------------------------------------------------------

#[test]
fn facets_count_countries_and_actors_over_all_hits() {
    let archive = Archive::new();
    let out = archive.search_text("", &["--facets", "-n", "1"]);
    assert!(out.contains("  1. "), "{out}");
    assert!(!out.contains("  2. "), "only one hit shown:\n{out}");
    let countries = facet_rows(&out, "countries");
    assert!(!countries.is_empty(), "no countries section:\n{out}");
    assert_eq!(countries[0], ("RU Russland".to_string(), 7), "{out}");
    assert!(
        countries.contains(&("KP Nordkorea".to_string(), 4)),
        "{countries:?}"
    );
    assert!(
        countries.contains(&("AT Österreich".to_string(), 1)),
        "{countries:?}"
    );
    let actors = facet_rows(&out, "actors");
    for expected in [
        ("John Kirby", 2),
        ("Wolodymyr Selenskyj", 2),
        ("NATO", 2),
        ("Vereinte Nationen", 2),
        ("Boris Pistorius", 1),
    ] {
        assert!(
            actors.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} missing in {actors:?}:\n{out}"
        );
    }
    // With a filter, the counts are those of the filtered hits.
    let out = archive.search_text("", &["--facets", "-n", "1", "--country", "UA"]);
    let countries = facet_rows(&out, "countries");
    // Pistorius, Selensky and the html page: each names Ukraine and Russia.
    assert!(
        countries.contains(&("UA Ukraine".to_string(), 3)),
        "{countries:?}"
    );
    assert!(
        countries.contains(&("RU Russland".to_string(), 3)),
        "{countries:?}"
    );
    assert!(
        !countries.iter().any(|(c, _)| c.starts_with("KP")),
        "{countries:?}"
    );
}

#[test]
fn timeline_prints_hits_per_day_over_all_hits() {
    let archive = Archive::new();
    let out = archive.search_text("Nordkorea", &["--timeline", "-n", "1"]);
    assert!(out.contains("\nhits per day\n"), "{out}");
    let row = Regex::new(r"^  (\d{4}-\d{2}-\d{2})\s+(\d+)").unwrap();
    let rows: Vec<(String, u64)> = out
        .lines()
        .skip_while(|l| *l != "hits per day")
        .filter_map(|l| row.captures(l))
        .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
        .collect();
    // 2024-10-18 … 2024-11-14, one row a day, gaps included.
    assert_eq!(rows.len(), 28, "{out}");
    assert_eq!(rows[0], ("2024-10-18".to_string(), 1));
    assert_eq!(rows[1], ("2024-10-19".to_string(), 0));
    assert_eq!(rows[27], ("2024-11-14".to_string(), 1));
    assert_eq!(rows.iter().map(|r| r.1).sum::<u64>(), 4, "{out}");
    // Undated hits are counted below the rows.
    let out = archive.search_text("", &["--timeline", "-n", "1"]);
    assert!(
        Regex::new(r"(?m)^  undated\s+1$").unwrap().is_match(&out),
        "{out}"
    );
}

#[test]
fn facets_and_timeline_with_json_format_exit_2() {
    let archive = Archive::new();
    for flag in ["--facets", "--timeline"] {
        let run = archive.run(&["search", "Nordkorea", flag, "--format", "json"]);
        assert_eq!(run.code, Some(2), "{flag}: {run:?}");
        assert!(run.stderr.contains(flag), "{}", run.stderr);
    }
}

// ---------------------------------------------------------------------------
// 7. Stats
// ---------------------------------------------------------------------------

#[test]
fn stats_show_top_countries_and_actors() {
    let archive = Archive::new();
    let run = archive.run(&["stats"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let text = &run.stdout;
    let countries_at = text.find("top countries:").expect("top countries:");
    let actors_at = text.find("top actors:").expect("top actors:");
    assert!(countries_at < actors_at, "{text}");
    let countries = &text[countries_at..actors_at];
    assert!(
        Regex::new(r"(?m)^\s+7  RU Russland$")
            .unwrap()
            .is_match(countries),
        "{text}"
    );
    let actors = &text[actors_at..];
    assert!(
        Regex::new(r"(?m)^\s+2  John Kirby$")
            .unwrap()
            .is_match(actors),
        "{text}"
    );

    let run = archive.run(&["stats", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let stats = run.json();
    assert_eq!(stats["articles"], ARTICLES);
    assert_eq!(stats["undated"], 1, "only radweg-mittwoch.txt has no date");
    assert_eq!(stats["top_countries"][0], serde_json::json!(["RU", 7]));
    let actors = stats["top_actors"].as_array().expect("top_actors array");
    assert!(
        actors.contains(&serde_json::json!(["Maria Sacharowa", 2])),
        "{actors:?}"
    );
    assert!(
        actors.contains(&serde_json::json!(["Wladimir Putin", 1])),
        "{actors:?}"
    );
}
