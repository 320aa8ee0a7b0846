//! End-to-end German matching and ranking: closed compounds are found by
//! their parts, a compound query keeps to the compound, words that only begin
//! like a noun stay whole, and query words near each other rank first.

mod common;

use std::path::Path;

use serde_json::Value;

/// A temporary folder with `tests/fixtures/<fixture>` indexed into `index/`.
fn indexed(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), articles.join(entry.file_name())).unwrap();
    }
    let out = common::run_archiv(
        dir.path(),
        &dir.path().join("index"),
        &["index", "articles"],
        None,
    );
    assert_eq!(out.code, Some(0), "index failed:\n{}", out.stderr);
    dir
}

/// The file names of a search's hits, in rank order.
fn found(dir: &Path, query: &str) -> Vec<String> {
    found_with(dir, query, &[])
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

const ARMY: &str = "2024-05-02-ruestung.txt";
const STATES: &str = "2024-05-03-staaten.txt";
const SPORTS: &str = "2024-05-04-sportfest.txt";

#[test]
fn a_part_finds_the_compound_and_the_compound_only_itself() {
    let dir = indexed("compounds");
    let dir = dir.path();
    // The article only says `Verteidigungsminister`.
    let minister = found(dir, "Minister");
    assert!(minister.contains(&ARMY.to_string()), "{minister:?}");
    assert!(minister.contains(&SPORTS.to_string()), "{minister:?}");
    // The word itself (once) ranks above the compound (twice).
    assert_eq!(minister[0], SPORTS, "{minister:?}");
    assert_eq!(found(dir, "Verteidigungsminister"), [ARMY]);
    assert_eq!(found(dir, "Krieg"), [ARMY]);
    assert_eq!(found(dir, "Soldaten"), [ARMY]);
}

#[test]
fn a_word_that_begins_like_a_noun_is_not_split() {
    let dir = indexed("compounds");
    let dir = dir.path();
    assert_eq!(found(dir, "Verein"), [SPORTS]);
    assert_eq!(found(dir, "Vereinigten"), [STATES]);
}

/// Both articles have each query word once; the one with the words far apart
/// is shorter, so that it would rank first on the words alone.
#[test]
fn words_near_each_other_rank_above_words_far_apart() {
    let dir = indexed("proximity");
    let near = "2024-06-01-nachtschicht.txt";
    let far = "2024-06-02-ortskern.txt";
    for query in ["Deich Pumpe", "Pumpe Deich", "deich pumpe"] {
        assert_eq!(found(dir.path(), query), [near, far], "{query}");
    }
    // One word alone: nearness plays no part, the shorter article leads.
    assert_eq!(found(dir.path(), "Pumpe"), [far, near]);
}

/// The files `found` lists, in any order.
fn found_sorted(dir: &Path, query: &str) -> Vec<String> {
    let mut files = found(dir, query);
    files.sort();
    files
}

#[test]
fn one_spelling_of_a_place_or_person_finds_the_others() {
    let dir = indexed("names");
    let kyiv = [
        "2024-11-20-kiew-luftalarm.txt",
        "2024-11-21-kyjiw-strom.txt",
    ];
    for query in ["Kyiv", "Kiew", "Kyjiw", "kiev"] {
        assert_eq!(found_sorted(dir.path(), query), kyiv, "{query}");
    }
    for query in ["Zakharova", "Sacharowa"] {
        assert_eq!(
            found(dir.path(), query),
            ["2024-09-02-sprecherin.txt"],
            "{query}"
        );
    }
    assert_eq!(
        found(dir.path(), "Pyongyang"),
        ["2024-10-25-truppen-fernost.txt"]
    );
}

#[test]
fn a_state_s_name_also_finds_its_other_forms_ranked_below_the_name() {
    let dir = indexed("names");
    // The second article says only `nordkoreanische` and `Pjöngjang`.
    let expected = [
        "2024-10-30-raketentest.txt",
        "2024-10-25-truppen-fernost.txt",
    ];
    assert_eq!(found(dir.path(), "Nordkorea"), expected);
    assert_eq!(found(dir.path(), "nordkorea"), expected);
    // An adjective or a capital is no state's name: it finds its own word.
    assert_eq!(
        found(dir.path(), "nordkoreanisch"),
        ["2024-10-25-truppen-fernost.txt"]
    );
}

#[test]
fn a_typo_in_a_longer_word_is_forgiven_but_a_known_or_short_word_is_taken_as_written() {
    let dir = indexed("names");
    let harvest = ["2024-08-15-ernte.txt"];
    // One letter dropped from a word of 13, two letters swapped in one of 9.
    assert_eq!(found(dir.path(), "Getreideente"), harvest);
    assert_eq!(
        found(dir.path(), "Sacharwoa"),
        ["2024-09-02-sprecherin.txt"]
    );
    // `Morgen` is in the archive: it does not reach `Sorgen`, one letter away.
    assert_eq!(
        found(dir.path(), "Morgen"),
        ["2024-11-20-kiew-luftalarm.txt"]
    );
    // Four letters are too few for a guess.
    assert!(found(dir.path(), "Rgen").is_empty());
    // The word as written ranks above the word a letter away.
    assert_eq!(
        found(dir.path(), "Sorgen Morgn"),
        ["2024-08-15-ernte.txt", "2024-11-20-kiew-luftalarm.txt"]
    );
}

/// Both titles have a form of `wahl`; the shorter article with `Wahl` in
/// its title leads on the stem alone, the title with `Wähler` as written
/// leads for `Wähler` however it is typed.
#[test]
fn a_word_as_written_in_a_title_ranks_above_its_other_forms() {
    let dir = indexed("exact");
    let voters = "2024-09-20-waehler.txt";
    let election = "2024-09-21-wahl.txt";
    for query in ["Wähler", "Waehler", "wähler"] {
        assert_eq!(found(dir.path(), query), [voters, election], "{query}");
    }
    assert_eq!(found(dir.path(), "Wahl"), [election, voters]);
}

/// Articles that rank equal come in the order of their file paths, however
/// they were indexed: here `a` arrives in a later run (a later segment),
/// which tantivy alone would list last.
#[test]
fn hits_that_rank_equal_come_in_file_order_however_they_were_indexed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    let index = dir.path().join("index");
    // Same length, same date, one `Hafen` each: equal scores, equal dates.
    let write = |name: &str, place: &str| {
        let text = format!(
            "Neuer Kran im Hafen\n\n9. März 2024 – Der Hafen von {place} hat einen neuen Kran bekommen.\n"
        );
        std::fs::write(articles.join(name), text).unwrap();
    };
    let index_now = || {
        let out = common::run_archiv(dir.path(), &index, &["index", "articles"], None);
        assert_eq!(out.code, Some(0), "index failed:\n{}", out.stderr);
    };
    write("b.txt", "Rostock");
    write("c.txt", "Wismar");
    index_now();
    write("a.txt", "Lübeck");
    index_now();
    let in_file_order = ["a.txt", "b.txt", "c.txt"];
    for args in [
        vec!["Hafen"],
        vec!["Hafen", "--sort", "newest"],
        vec!["Hafen", "--sort", "oldest"],
    ] {
        let out = common::run_archiv(
            dir.path(),
            &index,
            &[&["search", "--no-collapse", "--format", "json"], &args[..]].concat(),
            None,
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let names: Vec<&str> = json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["path"].as_str().unwrap().rsplit('/').next().unwrap())
            .collect();
        assert_eq!(names, in_file_order, "{args:?}");
        // A page boundary inside the tie takes the next in file order.
        let page = common::run_archiv(
            dir.path(),
            &index,
            &[
                &[
                    "search",
                    "--no-collapse",
                    "-n",
                    "1",
                    "--offset",
                    "1",
                    "--format",
                    "json",
                ],
                &args[..],
            ]
            .concat(),
            None,
        );
        let json: Value = serde_json::from_slice(&page.stdout).expect("JSON");
        let path = json["hits"][0]["path"].as_str().unwrap_or_default();
        assert!(path.ends_with("b.txt"), "{args:?}: {path}");
    }
}

/// An empty query, or `*`, lists every article the filters let through,
/// newest first unless another order is asked for.
#[test]
fn a_query_without_words_lists_every_article_newest_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for (name, place) in [
        ("2024-01-05-kiel.txt", "Kiel"),
        ("2024-03-09-rostock.txt", "Rostock"),
        ("2024-02-01-wismar.txt", "Wismar"),
    ] {
        let text = format!("Hafen {place}\n\nIm Hafen von {place} liegt ein neues Schiff.\n");
        std::fs::write(articles.join(name), text).unwrap();
    }
    let index = dir.path().join("index");
    let out = common::run_archiv(dir.path(), &index, &["index", "articles"], None);
    assert_eq!(out.code, Some(0), "index failed:\n{}", out.stderr);
    let listed = |args: &[&str]| -> Vec<String> {
        let out = common::run_archiv(
            dir.path(),
            &index,
            &[&["search", "--format", "json"], args].concat(),
            None,
        );
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", out.stderr));
        json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["date"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let newest_first = ["2024-03-09", "2024-02-01", "2024-01-05"];
    assert_eq!(listed(&[""]), newest_first);
    assert_eq!(listed(&["*"]), newest_first);
    assert_eq!(
        listed(&["*", "--sort", "oldest"]),
        ["2024-01-05", "2024-02-01", "2024-03-09"]
    );
    assert_eq!(listed(&["*", "--from", "2024-02-01"]), newest_first[..2]);
}

/// A word's occurrences inside compounds count in the same frequency as the
/// word's own, at a lower weight: the article that keeps coming back to the
/// word ranks above one with it once and three compounds of it.
#[test]
fn a_word_repeated_ranks_above_the_word_once_among_its_compounds() {
    let dir = indexed("repeats");
    assert_eq!(
        found(dir.path(), "Hafen"),
        ["2024-06-10-faehre.txt", "2024-06-11-kraene.txt"]
    );
}

/// The file names and scores of a search's hits with these extra flags.
fn found_with(dir: &Path, query: &str, flags: &[&str]) -> Vec<(String, f64)> {
    let mut args = vec!["search", query, "--format", "json"];
    args.extend_from_slice(flags);
    let out = common::run_archiv(dir, &dir.join("index"), &args, None);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("search {query:?}: not JSON ({e}): {}", out.stderr));
    json["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| {
                    let path = h["path"].as_str().unwrap_or_default();
                    let name = path.rsplit('/').next().unwrap_or(path).to_string();
                    (name, h["score"].as_f64().unwrap_or(f64::NAN))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Two copies of a story differ in one word's form (`einen Toten`, `eine
/// Tote`), which the index holds as one term: the copy with the form as
/// typed ranks first however it is typed, leads the hit its copy is folded
/// into, and every page agrees.
#[test]
fn a_body_with_the_form_as_typed_ranks_above_one_with_another_form() {
    let dir = indexed("forms");
    let dir = dir.path();
    let (dead_man, dead_woman) = ("2024-12-07-a-wohnhaus.txt", "2024-12-07-b-wohnhaus.txt");
    for (query, first, second) in [
        ("Tote Trümmern", dead_woman, dead_man),
        ("tote", dead_woman, dead_man),
        ("TOTEN Truemmern", dead_man, dead_woman),
        ("Toten", dead_man, dead_woman),
    ] {
        let all = found_with(dir, query, &["--no-collapse"]);
        let names: Vec<&str> = all.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, [first, second], "{query}");
        assert!(all[0].1 > all[1].1, "{query}: scores {all:?}");
        assert_eq!(found(dir, query), [first], "{query}: the folded hit");
        let page = |flags: &[&str]| -> Vec<String> {
            let mut flags = flags.to_vec();
            flags.push("--no-collapse");
            found_with(dir, query, &flags)
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        };
        assert_eq!(page(&["-n", "1"]), [first], "{query}");
        assert_eq!(page(&["-n", "1", "--offset", "1"]), [second], "{query}");
    }
    // A word both have as typed leaves them tied, in file order.
    let both = found_with(dir, "Trümmern", &["--no-collapse"]);
    assert_eq!(both[0].0, dead_man);
    assert_eq!(both[1].0, dead_woman);
    assert_eq!(both[0].1, both[1].1);
}
