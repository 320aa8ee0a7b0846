//! Other spellings of a query word that name the same thing: a place across
//! transliterations (`Kyiv`, `Kiew`, `Kyjiw`) and a person's surname
//! (`Zelensky`, `Selenskyj`), as analyzer terms.

use std::sync::OnceLock;

use crate::analysis;
use crate::analysis::german::Folded;

/// The terms of the other spellings of the word with this term, if any.
pub fn other_spellings(term: &str) -> Vec<String> {
    // Only spellings that begin like the term are analysed: a search should
    // not stem a thousand names to expand one word.
    let head: Vec<char> = term.chars().take(HEAD_LETTERS).collect();
    let term_of = |spelling: &str| match analysis::analyze(spelling).as_slice() {
        [t] => Some(t.text.clone()),
        _ => None,
    };
    let mut others: Vec<String> = Vec::new();
    for (group, heads) in SPELLING_GROUPS.iter().zip(spelling_heads()) {
        let named = group.iter().zip(heads).any(|(s, h)| {
            h[..h.len().min(head.len())] == head[..] && term_of(s).as_deref() == Some(term)
        });
        if !named {
            continue;
        }
        for other in group.iter().filter_map(|s| term_of(s)) {
            if other != term && !others.contains(&other) {
                others.push(other);
            }
        }
    }
    others
}

/// Letters of a spelling compared with a term before the spelling is analysed.
const HEAD_LETTERS: usize = 3;

/// The first letters of every spelling, folded as the analyzer folds them,
/// once per process: a query asks for them once per word and field.
fn spelling_heads() -> &'static [Vec<Vec<char>>] {
    static HEADS: OnceLock<Vec<Vec<Vec<char>>>> = OnceLock::new();
    HEADS.get_or_init(|| {
        SPELLING_GROUPS
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|spelling| {
                        let folded = Folded::of(spelling);
                        folded.letters[..folded.chars.min(HEAD_LETTERS)].to_vec()
                    })
                    .collect()
            })
            .collect()
    })
}

// `SPELLING_GROUPS`: each place's spellings (data/spelling-variants-de.txt)
// and each person's one-word aliases (data/actors-de.tsv), made by build.rs.
include!(concat!(env!("OUT_DIR"), "/spelling_groups.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    fn spellings_of(word: &str) -> Vec<String> {
        let term = &analysis::analyze(word)[0].text;
        let mut words = other_spellings(term);
        words.sort();
        words
    }

    fn terms(words: &[&str]) -> Vec<String> {
        let mut terms: Vec<String> = words
            .iter()
            .map(|w| analysis::analyze(w)[0].text.clone())
            .collect();
        terms.sort();
        terms
    }

    #[test]
    fn places_and_people_have_their_other_spellings() {
        assert_eq!(spellings_of("Kyiv"), terms(&["Kiew", "Kyjiw", "Kiev"]));
        assert_eq!(spellings_of("Pyongyang"), terms(&["Pjöngjang"]));
        assert!(spellings_of("Zelensky").contains(&terms(&["Selenskyj"])[0]));
        assert!(spellings_of("Zakharova").contains(&terms(&["Sacharowa"])[0]));
    }

    #[test]
    fn ordinary_words_and_organisations_have_none() {
        assert!(spellings_of("Haus").is_empty());
        assert!(spellings_of("Union").is_empty());
    }
}
