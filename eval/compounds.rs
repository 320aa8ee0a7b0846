//! Measures the compound splitter against a labelled word list.
//!
//! `eval/compounds-labels.tsv`: one word a line as it stands in text, a TAB,
//! then its parts (base forms, space-separated) for a compound, or `-` for a
//! word that must stay whole (simple nouns, names, places, verbs, adverbs and
//! words that end in a noun by chance, `Mannheim`, `Kombination`).
//!
//! A compound counts as split correctly when the terms the analyzer adds for
//! its parts include the term of every labelled part (nested splits may add
//! more: `Bundesverteidigungsminister` also yields `verteidigungsminister`).
//! Precision: correct splits among the words split; recall: correct splits
//! among the compounds; head recall: compounds whose last part's term is
//! among the added terms (what a search for the head needs). The program
//! exits non-zero when a figure falls below its floor.
//!
//! Run: `cargo run --release --example eval_compounds [-- --show]`

use std::process::ExitCode;

use archiv::analysis::german::{compound_part_terms, term_for_word};

/// Floors, just under the figures measured when the splitter was added
/// (precision 0.981, recall 0.924, head recall 0.927).
const MIN_PRECISION: f64 = 0.97;
const MIN_RECALL: f64 = 0.91;
const MIN_HEAD_RECALL: f64 = 0.91;

const LABELS: &str = include_str!("compounds-labels.tsv");

fn main() -> ExitCode {
    let show = std::env::args().any(|a| a == "--show");
    let (mut compounds, mut wholes) = (0usize, 0usize);
    let (mut split, mut correct, mut heads, mut over) = (0usize, 0usize, 0usize, 0usize);
    for line in LABELS.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((word, label)) = line.split_once('\t') else {
            eprintln!("eval_compounds: bad line {line:?}");
            return ExitCode::FAILURE;
        };
        let found: Vec<String> = compound_part_terms(word)
            .map(|terms| terms.iter().map(|t| t.to_string()).collect())
            .unwrap_or_default();
        if !found.is_empty() {
            split += 1;
        }
        if label == "-" {
            wholes += 1;
            if !found.is_empty() {
                over += 1;
                if show {
                    println!("over-split  {word}: {found:?}");
                }
            }
            continue;
        }
        compounds += 1;
        let expected: Vec<String> = label.split(' ').filter_map(term_for_word).collect();
        let all = expected.iter().all(|t| found.contains(t));
        let head = expected.last().is_some_and(|t| found.contains(t));
        correct += usize::from(all);
        heads += usize::from(head);
        if show && !all {
            println!("missed      {word}: {found:?}, expected {expected:?}");
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = share(correct, split);
    let recall = share(correct, compounds);
    let head_recall = share(heads, compounds);
    println!(
        "compound splitting: {} words ({compounds} compounds, {wholes} to keep whole)",
        compounds + wholes
    );
    println!(
        "  precision   {:.3} ({correct} of {split} words split)",
        precision
    );
    println!(
        "  recall      {:.3} ({correct} of {compounds} compounds)",
        recall
    );
    println!(
        "  head recall {:.3} ({heads} of {compounds} compounds)",
        head_recall
    );
    println!("  over-split  {over} of {wholes} words to keep whole");
    let mut ok = true;
    for (name, value, floor) in [
        ("precision", precision, MIN_PRECISION),
        ("recall", recall, MIN_RECALL),
        ("head recall", head_recall, MIN_HEAD_RECALL),
    ] {
        if value < floor {
            eprintln!("eval_compounds: {name} {value:.3} below the floor {floor:.3}");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
