//! Splitting of closed compounds: `verteidigungsminister` is `verteidigung` +
//! `minister`, so that `Minister` finds `Verteidigungsminister`.
//!
//! A split is a sequence of modifiers, each a known noun form followed by an
//! optional linking element (`-s-`, `-es-`, `-n-`, `-en-`, `-er-`, `-e-`,
//! `-ens-`) or a noun with its final `-e` dropped (`Grenz-kontrolle`), and a
//! head: a known noun form running to the end of the word. A few adjectives,
//! adverbs and verb stems are modifiers too (`Hoch-wasser`, `Außen-politik`,
//! `Spreng-stoff`). Among the splits, the one with the fewest parts wins,
//! then the one with the longer head, then the one whose rarest part is most
//! frequent in news (the frequency class the lexicon gives). Parts that are
//! themselves compounds are split again, so that `Atom-kraftwerk` also yields
//! `werk` and `Bundesverteidigungsminister` also yields `minister`.
//!
//! Parts have at least four letters, except for a few common short nouns
//! (`Amt`, `Rat`, `Tag`); words the lexicon keeps whole (names, nominalised
//! adjectives, words mostly written in lower case) are never split.
//!
//! The lexicon (`data/compound-lexicon-de.txt`) is derived from German
//! Wiktionary's nouns; see `data/make-compound-lexicon.py`.

/// Letters a part needs, except the short nouns below.
const MIN_PART_CHARS: usize = 4;

/// Short nouns that are common compound parts (`Bundes-tag`, `Landrat`,
/// `Rat-haus`); other three-letter nouns split too much (`Ent-scheidung`).
const SHORT_PARTS: &[&str] = &[
    "amt", "rat", "tag", "bau", "weg", "zug", "bus", "eis", "ost", "süd", "see", "gas", "bad",
    "tat", "zoo", "uhr", "hof", "tor", "rad", "tee", "typ", "not", "ort", "akt", "mut", "tod",
];

/// Modifiers that are no nouns: adjectives, adverbs and verb stems that
/// often begin a compound.
const OTHER_MODIFIERS: &[&str] = &[
    "hoch",
    "innen",
    "außen",
    "aussen",
    "halb",
    "geheim",
    "mindest",
    "fern",
    "gross",
    "klein",
    "ober",
    "nord",
    "west",
    "national",
    "international",
    "spreng",
    "impf",
    "wohn",
    "schwimm",
    "sonder",
    "gesamt",
    "jugend",
    "privat",
    "sozial",
    "zentral",
    "regional",
    "lokal",
    "digital",
    "links",
    "rechts",
    "neben",
    "voll",
    "zweit",
    "dritt",
];

/// Frequency class given to `OTHER_MODIFIERS`.
const OTHER_MODIFIER_CLASS: u8 = 5;

/// Linking elements, longest first.
const LINKS: &[&str] = &["ens", "es", "en", "er", "s", "n", "e"];

/// Most parts a split may have.
const MAX_PARTS: usize = 4;

/// Most part terms a word yields, nested splits included.
pub const MAX_SPLIT_TERMS: usize = 6;

use super::part_filter::may_contain;

// `PARTS`, `WHOLE` and their filters, made from `data/compound-lexicon-de.txt` by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/compound_lexicon.rs"));

struct Lexicon {
    /// Noun forms usable as parts, with the frequency class of their noun.
    parts: &'static phf::Map<&'static str, u8>,
    /// Words never split.
    whole: &'static phf::Set<&'static str>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: Lexicon = Lexicon {
        parts: &PARTS,
        whole: &WHOLE,
    };
    &LEXICON
}

impl Lexicon {
    /// The frequency class of a part, or `None` when it is no part.
    fn part(&self, text: &str) -> Option<u8> {
        if fewer_chars_than(text, MIN_PART_CHARS) && !is_short_part(text) {
            return None;
        }
        if !may_contain(&PARTS_FILTER, text.as_bytes()) {
            return None;
        }
        self.parts.get(text).copied()
    }

    /// Whether `word` is never split.
    fn is_whole(&self, word: &str) -> bool {
        may_contain(&WHOLE_FILTER, word.as_bytes()) && self.whole.contains(word)
    }

    /// The frequency class of a modifier (without its linking element).
    fn modifier(&self, text: &str) -> Option<u8> {
        self.part(text).or_else(|| {
            other_modifiers()
                .contains(text)
                .then_some(OTHER_MODIFIER_CLASS)
        })
    }
}

/// `piece` without the linking element `link` at its end, compared byte by
/// byte: `strip_suffix` calls `memcmp`, which for one to three bytes costs
/// more than the comparison (splitting tries every link at every end).
fn strip_link<'p>(piece: &'p str, link: &str) -> Option<&'p str> {
    let cut = piece.len().checked_sub(link.len())?;
    let tail = &piece.as_bytes()[cut..];
    if !tail.iter().zip(link.as_bytes()).all(|(a, b)| a == b) || !piece.is_char_boundary(cut) {
        return None;
    }
    Some(&piece[..cut])
}

/// Whether `text` has fewer than `n` characters. Splitting asks this of
/// every candidate part: counted inline, as `chars().count()` is not.
fn fewer_chars_than(text: &str, n: usize) -> bool {
    text.len() < n
        || text.len() < 4 * n && text.bytes().filter(|&b| !is_continuation(b)).count() < n
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Whether `text` is one of `SHORT_PARTS`, compared as numbers: splitting
/// asks this of every three-letter candidate.
fn is_short_part(text: &str) -> bool {
    const fn packed(bytes: &[u8]) -> u32 {
        let mut n = 0u32;
        let mut i = 0;
        while i < bytes.len() {
            n = n << 8 | bytes[i] as u32;
            i += 1;
        }
        n
    }
    const PACKED: [u32; SHORT_PARTS.len()] = {
        let mut out = [0u32; SHORT_PARTS.len()];
        let mut i = 0;
        while i < SHORT_PARTS.len() {
            assert!(SHORT_PARTS[i].len() <= 4);
            out[i] = packed(SHORT_PARTS[i].as_bytes());
            i += 1;
        }
        out
    };
    // Three ASCII letters or four bytes (`süd`): never two lengths to one number.
    matches!(text.len(), 3 | 4) && PACKED.contains(&packed(text.as_bytes()))
}

/// `OTHER_MODIFIERS` hashed: asked for every candidate that is no part.
fn other_modifiers() -> &'static foldhash::HashSet<&'static str> {
    static SET: std::sync::OnceLock<foldhash::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| OTHER_MODIFIERS.iter().copied().collect())
}

/// A split: the parts as byte ranges of the word, and its rank.
#[derive(Clone)]
struct Split {
    parts: Vec<(usize, usize)>,
    /// Frequency class of the rarest part.
    rarest: u8,
}

impl Split {
    /// Whether `self` is better than `other`: fewer parts, then a longer
    /// head (its own split recovers a shorter one), then more frequent parts.
    fn better_than(&self, other: &Split) -> bool {
        let head_len = |s: &Split| s.parts.last().map_or(0, |&(a, b)| b - a);
        (other.parts.len(), head_len(self), self.rarest)
            > (self.parts.len(), head_len(other), other.rarest)
    }
}

/// Char boundaries of `word` strictly inside it, at least `min_chars` from
/// either end.
fn inner_boundaries(word: &str, min_chars: usize) -> impl Iterator<Item = usize> + '_ {
    let chars = word.chars().count();
    word.char_indices()
        .enumerate()
        .filter(move |&(n, _)| n >= min_chars && chars - n >= min_chars)
        .map(|(_, (i, _))| i)
}

/// The best split of `word[from..to]` into modifiers only.
fn modifiers(lex: &Lexicon, word: &str, from: usize, to: usize, depth: usize) -> Option<Split> {
    let text = &word[from..to];
    let mut best: Option<Split> = None;
    // Fewer parts, then more frequent ones; on a tie the first found (its
    // linking element taken off) stays.
    let mut consider = |candidate: Split| {
        if best
            .as_ref()
            .is_none_or(|b| (b.parts.len(), candidate.rarest) > (candidate.parts.len(), b.rarest))
        {
            best = Some(candidate);
        }
    };
    // Where the modifier ends (its link included): the end of the text, or
    // before a further modifier.
    let mut ends: Vec<usize> = inner_boundaries(text, 3).collect();
    ends.push(text.len());
    ends.reverse();
    for end in ends {
        let piece = &text[..end];
        // A linking element is taken off where it can be: `bundes` is `bund`.
        for link in LINKS.iter().copied().chain(std::iter::once("")) {
            let Some(base) = strip_link(piece, link) else {
                continue;
            };
            let class = lex.modifier(base).or_else(|| {
                // `Grenz-kontrolle`, `Schul-buch`: a noun without its `-e`.
                if !link.is_empty() || fewer_chars_than(base, MIN_PART_CHARS) {
                    return None;
                }
                let mut buf = [0u8; 64];
                let with_e = buf.get_mut(..base.len() + 1)?;
                with_e[..base.len()].copy_from_slice(base.as_bytes());
                with_e[base.len()] = b'e';
                lex.part(std::str::from_utf8(with_e).ok()?)
            });
            let Some(class) = class else {
                continue;
            };
            let part = (from, from + base.len());
            if end == text.len() {
                consider(Split {
                    parts: vec![part],
                    rarest: class,
                });
            } else if depth + 1 < MAX_PARTS
                && let Some(rest) = modifiers(lex, word, from + end, to, depth + 1)
            {
                let mut parts = vec![part];
                parts.extend(rest.parts);
                consider(Split {
                    parts,
                    rarest: class.min(rest.rarest),
                });
            }
        }
    }
    best
}

/// The best split of a normalised word into two or more parts.
fn best_split(lex: &Lexicon, word: &str) -> Option<Split> {
    let mut best: Option<Split> = None;
    for head_start in inner_boundaries(word, 3) {
        let Some(head_class) = lex.part(&word[head_start..]) else {
            continue;
        };
        let Some(mods) = modifiers(lex, word, 0, head_start, 1) else {
            continue;
        };
        let mut parts = mods.parts;
        parts.push((head_start, word.len()));
        let candidate = Split {
            parts,
            rarest: head_class.min(mods.rarest),
        };
        if best.as_ref().is_none_or(|b| candidate.better_than(b)) {
            best = Some(candidate);
        }
    }
    best
}

/// Whether a normalised word is a known noun form.
pub fn is_noun(word: &str) -> bool {
    lexicon().parts.contains_key(word)
}

/// The parts of a normalised compound, nested splits after their compound
/// part (`bundes`, `verteidigungsminister`, `verteidigung`, `minister`);
/// empty for a word that is no compound. Modifiers come without their
/// linking element.
pub fn split(word: &str) -> Vec<&str> {
    let lex = lexicon();
    let mut out = Vec::new();
    if word.chars().count() < 6 || lex.is_whole(word) {
        return out;
    }
    split_into(lex, word, &mut out);
    out
}

fn split_into<'w>(lex: &Lexicon, word: &'w str, out: &mut Vec<&'w str>) {
    let Some(split) = best_split(lex, word) else {
        return;
    };
    for (a, b) in split.parts {
        if out.len() >= MAX_SPLIT_TERMS {
            return;
        }
        let part = &word[a..b];
        out.push(part);
        if part.chars().count() >= 6 && !lex.is_whole(part) {
            // A known noun is split again only into parts as common as
            // itself (`kraftwerk`, not `kontrollen` as `konten` + `rollen`).
            let class = lex.parts.get(part).copied().unwrap_or(0);
            if best_split(lex, part).is_some_and(|s| s.rarest >= class.saturating_sub(1)) {
                split_into(lex, part, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> Vec<&str> {
        split(word)
    }

    /// Asserts the parts of `word` include `expected`, the head last of them.
    fn splits(word: &str, expected: &[&str]) {
        let found = parts(word);
        assert!(
            expected.iter().all(|p| found.contains(p)),
            "{word}: {found:?}, expected {expected:?}"
        );
        assert_eq!(found.last(), expected.last(), "{word}: {found:?}");
    }

    #[test]
    fn the_filters_pass_every_word_of_their_tables() {
        for form in PARTS.keys() {
            assert!(may_contain(&PARTS_FILTER, form.as_bytes()), "{form}");
        }
        for word in WHOLE.iter() {
            assert!(may_contain(&WHOLE_FILTER, word.as_bytes()), "{word}");
        }
        // And they keep most others out: at most one in ten of the
        // substrings of a word passes.
        let text = "zusammenfassungdesberichtsüberdiewirtschaftslage";
        let (mut asked, mut passed) = (0, 0);
        for (i, _) in text.char_indices() {
            for (j, _) in text[i..].char_indices().skip(3) {
                let piece = &text[i..i + j];
                asked += 1;
                if may_contain(&PARTS_FILTER, piece.as_bytes()) && !PARTS.contains_key(piece) {
                    passed += 1;
                }
            }
        }
        assert!(passed * 10 < asked, "{passed} of {asked} passed");
    }

    #[test]
    fn splits_at_linking_elements() {
        assert_eq!(parts("verteidigungsminister"), ["verteidigung", "minister"]);
        splits("angriffskrieg", &["angriff", "krieg"]);
        splits("bundeswehrsoldaten", &["bundeswehr", "soldaten"]);
        splits("wahlkampf", &["wahl", "kampf"]);
        splits("bundestag", &["bund", "tag"]);
        splits("kinderarmut", &["kind", "armut"]);
    }

    #[test]
    fn nested_compounds_yield_their_heads() {
        splits(
            "bundesverteidigungsminister",
            &["bund", "verteidigung", "minister"],
        );
    }

    #[test]
    fn dropped_final_e() {
        splits("grenzkontrollen", &["grenz", "kontrollen"]);
    }

    #[test]
    fn no_over_splitting() {
        for word in [
            "verein",
            "vereinigten",
            "insgesamt",
            "mitte",
            "beobachten",
            "pistorius",
            "minister",
            "deutschland",
            "entscheidung",
            "unterstützung",
            "gesellschaft",
            "vorsitzende",
            "mittlerweile",
            "frankfurt",
            "brandenburger",
        ] {
            assert!(parts(word).is_empty(), "{word}: {:?}", parts(word));
        }
    }
}
