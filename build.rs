//! Turns the compound lexicon (`data/compound-lexicon-de.txt`) into perfect-hash
//! tables compiled into the binary, and the spelling variants of places and
//! people into a table of groups: a search process then starts without
//! building a hash map of 67,000 words or reading the actor list first.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

#[path = "src/analysis/part_filter.rs"]
mod part_filter;

fn main() {
    // A position-dependent executable: its pointer tables (the lexicon's
    // words among them) are fixed at link time instead of relocated, page by
    // page, at every start, which a search would otherwise pay each time.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    // The linker (.cargo/link-static) orders archiv's code by this list:
    // a new list has to link the program again.
    println!("cargo::rerun-if-changed=.cargo/hot-functions.txt");
    let source = "data/compound-lexicon-de.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = fs::read_to_string(source).expect("data/compound-lexicon-de.txt is readable");
    let mut parts = phf_codegen::Map::new();
    let mut whole = phf_codegen::Set::new();
    let mut parts_filter = vec![0u64; part_filter::WORDS];
    let mut whole_filter = vec![0u64; part_filter::WORDS];
    let set_bit = |bitmap: &mut [u64], word: &str| {
        let slot = part_filter::slot(word.as_bytes());
        bitmap[slot / 64] |= 1 << (slot % 64);
    };
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(word) = line.strip_prefix('!') {
            whole.entry(word);
            set_bit(&mut whole_filter, word);
        } else if let Some((form, class)) = line.split_once(' ') {
            let class: u8 = class
                .parse()
                .unwrap_or_else(|_| panic!("{source}: bad frequency class in {line:?}"));
            parts.entry(form, &class.to_string());
            set_bit(&mut parts_filter, form);
        }
    }
    let mut out = String::new();
    writeln!(
        out,
        "/// Noun forms usable as parts, with the frequency class of their noun.\n\
         static PARTS: phf::Map<&'static str, u8> = {};",
        parts.build()
    )
    .unwrap();
    writeln!(
        out,
        "/// Words never split.\nstatic WHOLE: phf::Set<&'static str> = {};",
        whole.build()
    )
    .unwrap();
    for (name, set, bitmap) in [
        ("PARTS_FILTER", "PARTS", parts_filter),
        ("WHOLE_FILTER", "WHOLE", whole_filter),
    ] {
        writeln!(
            out,
            "/// The bits of `{set}`'s words (see `part_filter`).\n\
             static {name}: [u64; super::part_filter::WORDS] = {bitmap:?};"
        )
        .unwrap();
    }
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("compound_lexicon.rs");
    fs::write(dest, out).unwrap();
    spelling_groups();
    country_names();
    stop_words();
    entity_data_hash();
}

/// The stop words already written as the analyzer normalises words (lower
/// case ASCII, no spelled-out umlaut), as a perfect-hash set; the analyzer
/// normalises the few others itself.
fn stop_words() {
    let source = "data/stopwords-de.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut plain = phf_codegen::Set::new();
    let mut seen = std::collections::HashSet::new();
    for word in text.lines().map(str::trim) {
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if is_plain(word) && seen.insert(word) {
            plain.entry(word);
        }
    }
    let out = format!(
        "/// Stop words needing no normalisation.\nstatic PLAIN_STOP_WORDS: phf::Set<&'static str> = {};\n",
        plain.build()
    );
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("stop_words.rs");
    fs::write(dest, out).unwrap();
}

/// A word the analyzer's normalisation leaves as it is: lower-case ASCII
/// letters without `ae`, `oe` or `ue`. The analyzer's own test checks that
/// every stop word is found either way.
fn is_plain(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase())
        && !["ae", "oe", "ue"].iter().any(|pair| word.contains(pair))
}

/// Each state's code, German name and other one-word names, in file order: a
/// search that names a country or shows one looks them up without parsing
/// the table first.
fn country_names() {
    let source = "data/countries-de.tsv";
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut out = String::from(
        "/// (code, German name, other one-word names of three letters or more).\n\
         pub static COUNTRY_NAMES: &[(&str, &str, &[&str])] = &[\n",
    );
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let (Some(code), Some(name)) = (cols.first(), cols.get(1)) else {
            continue;
        };
        let others: Vec<&str> = cols
            .get(2)
            .map(|c| c.split(',').map(str::trim).collect())
            .unwrap_or_default();
        let others: Vec<&str> = others
            .into_iter()
            .filter(|n| n.chars().count() >= 3 && !n.contains(' '))
            .collect();
        writeln!(out, "    ({code:?}, {name:?}, &{others:?}),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("country_names.rs");
    fs::write(dest, out).unwrap();
}

/// The entity recognition's data files, hashed once here rather than at
/// every start: an index records the hash, and a search compares it.
fn entity_data_hash() {
    let mut hasher = blake3::Hasher::new();
    for source in [
        "data/countries-de.tsv",
        "data/regions-de.tsv",
        "data/cities-de.tsv",
        "data/actors-de.tsv",
        "data/firstnames.txt",
        "data/role-words-de.txt",
        "data/not-actors-de.txt",
    ] {
        println!("cargo::rerun-if-changed={source}");
        let data = fs::read(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        hasher.update(&data);
    }
    let hex = hasher.finalize().to_hex();
    println!("cargo::rustc-env=ARCHIV_ENTITY_DATA_HASH={}", &hex[..8]);
}

/// Groups of spellings of one name: each line of the places file, and each
/// person's one-word aliases in the actor list (an organisation's, such as
/// `Union` or `UN`, can be words of their own).
fn spelling_groups() {
    let places = "data/spelling-variants-de.txt";
    let actors = "data/actors-de.tsv";
    println!("cargo::rerun-if-changed={places}");
    println!("cargo::rerun-if-changed={actors}");
    let lines = |path: &str| -> Vec<String> {
        fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    let mut groups: Vec<Vec<String>> = lines(places)
        .iter()
        .map(|l| l.split(", ").map(|s| s.trim().to_string()).collect())
        .collect();
    for line in lines(actors) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.get(1) == Some(&"person") {
            let aliases = cols.get(2).copied().unwrap_or_default();
            groups.push(
                aliases
                    .split(", ")
                    .map(str::trim)
                    .filter(|a| !a.is_empty() && !a.contains(' '))
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    let mut out = String::from("pub static SPELLING_GROUPS: &[&[&str]] = &[\n");
    for group in groups.iter().filter(|g| g.len() >= 2) {
        writeln!(out, "    &{group:?},").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("spelling_groups.rs");
    fs::write(dest, out).unwrap();
}
