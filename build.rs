//! Turns the compound lexicon (`data/compound-lexicon-de.txt`) into perfect-hash
//! tables compiled into the binary: a search process then starts without
//! building a hash map of 67,000 words first.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    // A position-dependent executable: its pointer tables (the lexicon's
    // words among them) are fixed at link time instead of relocated, page by
    // page, at every start, which a search would otherwise pay each time.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    let source = "data/compound-lexicon-de.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = fs::read_to_string(source).expect("data/compound-lexicon-de.txt is readable");
    let mut parts = phf_codegen::Map::new();
    let mut whole = phf_codegen::Set::new();
    for line in text.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(word) = line.strip_prefix('!') {
            whole.entry(word);
        } else if let Some((form, class)) = line.split_once(' ') {
            let class: u8 = class
                .parse()
                .unwrap_or_else(|_| panic!("{source}: bad frequency class in {line:?}"));
            parts.entry(form, &class.to_string());
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
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("compound_lexicon.rs");
    fs::write(dest, out).unwrap();
}
