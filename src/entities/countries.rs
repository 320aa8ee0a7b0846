//! Countries: names in every inflection, adjectives in every ending,
//! demonyms, capitals used for the state, regions that belong to a state,
//! hyphenated and joined compounds — all to ISO 3166-1 alpha-2 codes.
//!
//! Words are compared by their analyzer terms (stemmed and umlaut-folded),
//! so `Russland`/`Russlands`, `russisch`/`russischen` and `Vereinigte
//! Staaten`/`Vereinigten Staaten` each meet in one key.

use std::borrow::Cow;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;

use super::text::{Token, tokens};
use crate::analysis::german::{FOLD_CHARS, Folded, normalize_word, term_for_word};

const COUNTRIES_DATA: &str = include_str!("../../data/countries-de.tsv");
const REGIONS_DATA: &str = include_str!("../../data/regions-de.tsv");
const CITIES_DATA: &str = include_str!("../../data/cities-de.tsv");
const FIRST_NAMES_DATA: &str = include_str!("../../data/firstnames.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Adjective,
    Demonym,
    Seat,
    Region,
}

/// A set of `Kind`s.
#[derive(Debug, Clone, Copy, Default)]
struct Kinds(u8);

impl Kinds {
    fn with(self, kind: Kind) -> Kinds {
        Kinds(self.0 | 1 << kind as u8)
    }
    fn has(self, kind: Kind) -> bool {
        self.0 & (1 << kind as u8) != 0
    }
    fn only_adjective(self) -> bool {
        self.0 == 1 << Kind::Adjective as u8
    }
}

#[derive(Debug)]
pub struct Country {
    pub code: String,
    pub name: String,
}

pub struct Gazetteer {
    pub countries: Vec<Country>,
    by_code: HashMap<String, usize>,
    /// Analyzer terms of one or more words (joined by a space) → country and
    /// the kinds of form with that key (`nordkoreanisch` and `Nordkoreaner`
    /// share the stem `nordkorean`).
    by_terms: HashMap<String, (usize, Kinds)>,
    /// Acronyms matched only as written: `USA`, `US`, `UK`, `DVRK`.
    acronyms: HashMap<String, usize>,
    /// Lower-cased names and seats, for joined compounds (`Ukrainekrieg`, `Kremlchef`).
    prefixes: HashMap<String, usize>,
    longest_phrase: usize,
    /// Every single-word key and first word of a phrase key, folded: a word
    /// that starts with none of them is skipped without computing its term.
    stems: HashSet<String>,
    /// The same stems, hashed into a bitset: most words fail here before any
    /// hash-set look-up.
    stem_bits: Vec<u64>,
    /// The stems' first three letters, hashed likewise: a word whose head is
    /// none of them is done after three letters.
    head_bits: Vec<u64>,
    /// First four letters of the names and seats in `prefixes` (those
    /// written in ASCII): words that start otherwise are no joined compound.
    prefix_heads: HashSet<[u8; 4]>,
    /// Letters of the longest folded stem: no need to look further into a word.
    longest_stem: usize,
    /// First terms of multi-word keys: a phrase is only tried where one starts.
    phrase_starts: HashSet<String>,
    /// Every shorter run of terms that opens a multi-word key: a window
    /// grows while it is one.
    phrase_prefixes: HashSet<String>,
    first_names: HashSet<String>,
}

fn data_lines(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn list(column: Option<&&str>) -> Vec<String> {
    column
        .map(|c| {
            c.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A word's part of a phrase key: its analyzer term, or for a stop word its
/// normalised form (`Frankfurt am Main` keeps its `am`).
fn phrase_term(word: &str) -> Option<String> {
    term_for_word(word).or_else(|| Some(normalize_word(word)).filter(|w| !w.is_empty()))
}

/// Analyzer terms of a phrase, joined by spaces.
fn phrase_key(words: &[&str]) -> Option<String> {
    let terms: Option<Vec<String>> = words.iter().map(|w| phrase_term(w)).collect();
    terms.map(|t| t.join(" "))
}

fn is_acronym(s: &str) -> bool {
    // At most five characters of at most four bytes each.
    if s.len() < 2 || s.len() > 20 {
        return false;
    }
    let mut count = 0;
    for c in s.chars() {
        if !(c.is_uppercase() || c.is_ascii_digit()) {
            return false;
        }
        count += 1;
    }
    (2..=5).contains(&count)
}

/// Slots of the bitset of stems (128 KiB).
const STEM_SLOTS: usize = 1 << 20;

/// One step of the rolling hash over folded letters, and its bitset slot.
#[inline]
fn roll(hash: u32, letter: char) -> u32 {
    hash.wrapping_mul(0x9E37_79B1).wrapping_add(letter as u32)
}

#[inline]
fn slot_of(hash: u32) -> usize {
    (hash.wrapping_mul(0x85EB_CA6B) >> 12) as usize % STEM_SLOTS
}

/// Inflected forms of a demonym: `Russe` → `Russen`, `Russin`, `Russinnen`;
/// `Nordkoreaner` → `Nordkoreanern`, `Nordkoreanerin`, `Nordkoreanerinnen`.
fn demonym_forms(base: &str) -> Vec<String> {
    let stem = base.strip_suffix('e').unwrap_or(base);
    vec![
        base.to_string(),
        format!("{base}n"),
        format!("{base}s"),
        format!("{stem}in"),
        format!("{stem}innen"),
    ]
}

// The first three columns of `COUNTRIES_DATA`, as `build.rs` writes them.
include!(concat!(env!("OUT_DIR"), "/country_names.rs"));

/// The German name of a country code, from the first two columns of the
/// data alone: showing names must not pay for building the gazetteer.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRY_NAMES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, name, _)| *name)
}

/// A country code for a code or a German name as typed (`kp`, `Nordkorea`),
/// from the same small table; other forms need the gazetteer.
pub fn quick_code(input: &str) -> Option<&'static str> {
    let input = input.trim().to_lowercase();
    COUNTRY_NAMES
        .iter()
        .find(|(code, name, _)| {
            code.eq_ignore_ascii_case(&input)
                || name.chars().flat_map(char::to_lowercase).eq(input.chars())
        })
        .map(|(code, _, _)| *code)
}

/// The country a one-word German name of a state names, as typed in any
/// case or umlaut spelling (`Nordkorea`, `nordkoreas`, `Suedkorea`); not its
/// code, adjective or capital: a query word `in` or `Kiew` names no state.
pub fn code_of_name(word: &str) -> Option<&'static str> {
    // Names with their codes, folded only when their first letter is the
    // word's: a search asks for a word or three, not for a map of them all.
    let names = COUNTRY_NAMES.iter().flat_map(|(code, name, others)| {
        std::iter::once(name)
            .filter(|n| n.chars().count() >= 3 && !n.contains(' '))
            .chain(others.iter())
            .map(move |n| (*n, *code))
    });
    if word.contains(char::is_whitespace) {
        return None;
    }
    let folded = Folded::of(word);
    let first_letter = |text: &str| {
        let mut head = Folded::default();
        if let Some(c) = text.chars().next() {
            head.push_char(c);
        }
        head.letters[0]
    };
    let first = folded.letters[0];
    names
        .rev()
        .filter(|(name, _)| first_letter(name) == first)
        .find(|(name, _)| {
            let other = Folded::of(name);
            other.letters[..other.chars] == folded.letters[..folded.chars]
        })
        .map(|(_, code)| code)
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut g = Gazetteer {
            countries: Vec::new(),
            by_code: HashMap::default(),
            by_terms: HashMap::default(),
            acronyms: HashMap::default(),
            prefixes: HashMap::default(),
            longest_phrase: 1,
            stems: HashSet::default(),
            stem_bits: vec![0; STEM_SLOTS / 64],
            head_bits: vec![0; STEM_SLOTS / 64],
            prefix_heads: HashSet::default(),
            longest_stem: 0,
            phrase_starts: HashSet::default(),
            phrase_prefixes: HashSet::default(),
            first_names: FIRST_NAMES_DATA
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        };
        for cols in data_lines(COUNTRIES_DATA) {
            if cols.len() < 2 {
                continue;
            }
            let idx = g.countries.len();
            g.countries.push(Country {
                code: cols[0].to_string(),
                name: cols[1].to_string(),
            });
            g.by_code.insert(cols[0].to_string(), idx);
            let mut names = vec![cols[1].to_string()];
            names.extend(list(cols.get(2)));
            for name in names {
                g.add(&name, idx, Kind::Name);
            }
            for adjective in list(cols.get(3)) {
                g.add(&adjective, idx, Kind::Adjective);
            }
            for demonym in list(cols.get(4)) {
                for form in demonym_forms(&demonym) {
                    g.add(&form, idx, Kind::Demonym);
                }
            }
            for seat in list(cols.get(5)) {
                g.add(&seat, idx, Kind::Seat);
            }
        }
        // Regions and cities count for their state and are never countries themselves.
        for cols in data_lines(REGIONS_DATA).chain(data_lines(CITIES_DATA)) {
            if let (Some(region), Some(code)) = (cols.first(), cols.get(1))
                && let Some(&idx) = g.by_code.get(*code)
            {
                g.add(region, idx, Kind::Region);
            }
        }
        for name in g.prefixes.keys() {
            if let Some(head) = name.as_bytes().get(..4)
                && head.iter().all(u8::is_ascii_alphabetic)
            {
                g.prefix_heads.insert([head[0], head[1], head[2], head[3]]);
            }
        }
        let firsts: Vec<String> = g
            .by_terms
            .keys()
            .chain(g.prefixes.keys())
            .map(|key| key.split(' ').next().unwrap_or_default().to_string())
            .collect();
        for first in firsts {
            g.add_stem(&first);
        }
        g
    }

    fn add(&mut self, form: &str, idx: usize, kind: Kind) {
        if is_acronym(form) {
            self.acronyms.insert(form.to_string(), idx);
            return;
        }
        let words: Vec<&str> = form.split_whitespace().collect();
        // Hyphenated names (`Saudi-Arabien`) are one word to the analyzer's
        // segmentation but several terms; key them by their joined form.
        let key = if words.len() == 1 && form.contains('-') {
            term_for_word(&form.replace('-', ""))
        } else {
            phrase_key(&words)
        };
        let Some(key) = key else { return };
        self.longest_phrase = self.longest_phrase.max(words.len());
        if let Some((first, _)) = key.split_once(' ') {
            self.phrase_starts.insert(first.to_string());
            for (at, _) in key.match_indices(' ') {
                self.phrase_prefixes.insert(key[..at].to_string());
            }
        }
        // The first country wins a key; its kinds accumulate.
        let entry = self.by_terms.entry(key).or_insert((idx, Kinds::default()));
        if entry.0 == idx {
            entry.1 = entry.1.with(kind);
        }
        if matches!(kind, Kind::Name | Kind::Seat) && words.len() == 1 && form.chars().count() >= 4
        {
            self.prefixes.entry(normalize_word(form)).or_insert(idx);
        }
    }

    fn add_stem(&mut self, stem: &str) {
        let folded = Folded::of(stem);
        if folded.chars < 2 {
            return;
        }
        let hash = folded.letters[..folded.chars]
            .iter()
            .fold(0, |hash, &c| roll(hash, c));
        let slot = slot_of(hash);
        self.stem_bits[slot / 64] |= 1 << (slot % 64);
        if folded.chars >= 3 {
            let head = folded.letters[..3].iter().fold(0, |hash, &c| roll(hash, c));
            let slot = slot_of(head);
            self.head_bits[slot / 64] |= 1 << (slot % 64);
        }
        self.longest_stem = self.longest_stem.max(folded.chars);
        let mut buf = [0u8; 4 * FOLD_CHARS];
        self.stems
            .insert(folded.prefix(folded.chars, &mut buf).to_string());
    }

    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::load)
    }

    pub fn by_code(&self, code: &str) -> Option<&Country> {
        self.by_code
            .get(&code.to_uppercase())
            .map(|&i| &self.countries[i])
    }

    /// A code from what a user typed: `KP`, `kp`, `Nordkorea`, `nordkoreanisch`.
    pub fn resolve(&self, input: &str) -> Option<&Country> {
        self.by_code(input.trim())
            .or_else(|| self.lookup(input).map(|(i, _)| &self.countries[i]))
    }

    /// Like `resolve`, but only names, adjectives, demonyms and seats of a
    /// state: a region (`Kursk`) names no state.
    pub fn resolve_state(&self, input: &str) -> Option<&Country> {
        match self.lookup(input)? {
            (i, kinds) if kinds.0 != Kinds::default().with(Kind::Region).0 => {
                Some(&self.countries[i])
            }
            _ => None,
        }
    }

    /// Whether a word names a state, region or city (`Wiens`, `Kursk`): the
    /// cheap check first, as it runs for many words.
    pub fn names_place(&self, word: &str) -> bool {
        (is_acronym(word) || self.may_start_form(word)) && self.resolve(word).is_some()
    }

    /// The entry a name, as written by a user or a data set, falls under.
    fn lookup(&self, input: &str) -> Option<(usize, Kinds)> {
        let input = input.trim();
        if let Some(&i) = self.acronyms.get(input) {
            return Some((i, Kinds::default().with(Kind::Name)));
        }
        let words: Vec<&str> = input.split_whitespace().collect();
        let key = if words.len() == 1 && input.contains('-') {
            term_for_word(&input.replace('-', ""))
        } else {
            phrase_key(&words)
        }?;
        self.by_terms.get(&key).copied()
    }

    /// Whether the word starts with the stem of a form of the gazetteer
    /// (`Russlands` → `russland`, `Irans` → `iran`, `Ukrainekrieg` → `ukrain`).
    fn may_start_form(&self, word: &str) -> bool {
        let mut folded = Folded::default();
        let mut hash = 0u32;
        let mut buf = [0u8; 4 * FOLD_CHARS];
        for c in word.chars().take(2 * FOLD_CHARS) {
            let before = folded.chars;
            if folded.push_char(c) == 0 {
                continue;
            }
            for n in before + 1..=folded.chars {
                hash = roll(hash, folded.letters[n - 1]);
                let slot = slot_of(hash);
                if n == 3 && self.head_bits[slot / 64] & (1 << (slot % 64)) == 0 {
                    return false;
                }
                if n >= 3
                    && self.stem_bits[slot / 64] & (1 << (slot % 64)) != 0
                    && self.stems.contains(folded.prefix(n, &mut buf))
                {
                    return true;
                }
            }
            if folded.chars >= self.longest_stem {
                return false;
            }
        }
        false
    }

    pub fn is_first_name(&self, word: &str) -> bool {
        self.first_names.contains(word)
    }

    /// The country a single word or hyphen part names, if any.
    fn match_word(
        &self,
        word: &str,
        term: Option<&str>,
        capitalized: bool,
        sentence_start: bool,
    ) -> Option<usize> {
        if is_acronym(word)
            && let Some(&i) = self.acronyms.get(word)
        {
            return Some(i);
        }
        let key = term?;
        if let Some(&(i, kinds)) = self.by_terms.get(key) {
            // `russisch` in any ending; a capitalised adjective inside a
            // sentence is a noun (`auf Deutsch`, `Französisch lernen`).
            let ok = if kinds.only_adjective() {
                !capitalized || sentence_start
            } else {
                capitalized || kinds.has(Kind::Adjective)
            };
            if ok {
                return Some(i);
            }
        }
        if capitalized {
            return self.match_prefix(word);
        }
        None
    }

    /// A cheap first look for `match_prefix`: a word whose first four
    /// letters are plain ASCII must share them with a name or seat
    /// (`Ukra…`, `Krem…`); other words take the slower look.
    fn may_start_prefix(&self, word: &str) -> Option<bool> {
        let head = word.as_bytes().get(..4)?;
        let plain = head.iter().all(u8::is_ascii_alphabetic)
            // `Oe`, `ue`, `ss`: what normalisation would turn into `ö`, `ü`, `ß`.
            && !head.windows(2).any(|p| {
                matches!(p[1].to_ascii_lowercase(), b'e' | b's')
                    && matches!(p[0].to_ascii_lowercase(), b'a' | b'o' | b'u' | b's')
            });
        if !plain {
            return None;
        }
        let mut lower = [0u8; 4];
        lower.copy_from_slice(head);
        lower.make_ascii_lowercase();
        Some(self.prefix_heads.contains(&lower))
    }

    /// Joined compounds: `Ukrainekrieg`, `Russlandreise`, `Kremlchef`.
    fn match_prefix(&self, word: &str) -> Option<usize> {
        // Shortest name plus shortest rest: nothing shorter can be a compound.
        if word.len() < 8 {
            return None;
        }
        let may_start = match self.may_start_prefix(word) {
            Some(known) => known,
            None => self.may_start_form(word),
        };
        if !may_start {
            return None;
        }
        let lower = normalize_word(word);
        let chars: Vec<(usize, char)> = lower.char_indices().collect();
        // The rest after the name must be a word of its own (4+ letters).
        for cut in (4..chars.len().saturating_sub(3)).rev() {
            let (at, _) = chars[cut];
            if let Some(&i) = self.prefixes.get(&lower[..at]) {
                return Some(i);
            }
        }
        None
    }
}

/// A country and how often the article mentions it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct CountryMention {
    pub code: String,
    pub name: String,
    pub mentions: usize,
}

fn is_person_context(g: &Gazetteer, toks: &[Token], i: usize) -> bool {
    // `Denzel Washington`, `George Washington`: a first name before a place.
    i > 0 && toks[i - 1].is_capitalized() && g.is_first_name(toks[i - 1].text)
}

const NOT_COUNTRY_PHRASES: &[&[&str]] = &[
    &["Paris", "Hilton"],
    &["Paris", "Saint-Germain"],
    &["Washington", "Post"],
    &["Washington", "Capitals"],
    &["Washington", "Commanders"],
    &["Washington", "Wizards"],
    &["Real", "Madrid"],
    &["Atlético", "Madrid"],
    &["Inter", "Mailand"],
    &["AC", "Mailand"],
    &["FC", "Barcelona"],
    &["Juventus", "Turin"],
    &["SSC", "Neapel"],
    &["Lago", "Maggiore"],
    &["Lago", "di", "Garda"],
];

fn not_country_starts() -> &'static HashSet<&'static str> {
    static STARTS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STARTS.get_or_init(|| NOT_COUNTRY_PHRASES.iter().map(|p| p[0]).collect())
}

/// Countries of a text, most mentioned first (ties by code).
pub fn find_countries(text: &str) -> Vec<CountryMention> {
    countries_in(&tokens(text))
}

/// Countries among already tokenised words.
pub fn countries_in(toks: &[Token]) -> Vec<CountryMention> {
    let g = Gazetteer::get();
    // Each word's analyzer term (tokens carry them; a hyphenated word's is
    // made here): phrases and words both use it.
    let hyphenated_terms: Vec<Option<String>> = toks
        .iter()
        .map(|t| {
            // Only a word that starts like a form can have a form's term.
            (t.parts.len() > 1 && g.may_start_form(t.text))
                .then(|| term_for_word(t.text))
                .flatten()
        })
        .collect();
    let terms: Vec<Option<&str>> = toks
        .iter()
        .zip(&hyphenated_terms)
        .map(|(t, hyphenated)| hyphenated.as_deref().or(t.term.as_deref()))
        .collect();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    let mut i = 0;
    'outer: while i < toks.len() {
        let first = toks[i].text;
        let may_open_phrase = toks[i].is_capitalized() && not_country_starts().contains(first);
        if may_open_phrase {
            for phrase in NOT_COUNTRY_PHRASES.iter().filter(|p| p[0] == first) {
                if toks.len() - i >= phrase.len()
                    && phrase.iter().zip(&toks[i..]).all(|(p, t)| *p == t.text)
                {
                    i += phrase.len();
                    continue 'outer;
                }
            }
        }
        // Longest multi-word name first: `Vereinigten Staaten`, `Weißen Hauses`.
        let starts_phrase =
            toks[i].is_capitalized() && terms[i].is_some_and(|t| g.phrase_starts.contains(t));
        if starts_phrase {
            let mut key = terms[i].unwrap_or_default().to_string();
            let mut best = None;
            for k in i + 1..(i + g.longest_phrase).min(toks.len()) {
                // Later words of a phrase need not start a name themselves (`Haus`).
                let Some(term) = terms[k]
                    .map(Cow::Borrowed)
                    .or_else(|| phrase_term(toks[k].text).map(Cow::Owned))
                else {
                    break;
                };
                key.push(' ');
                key.push_str(&term);
                if let Some(&(idx, _)) = g.by_terms.get(&key) {
                    best = Some((k + 1 - i, idx));
                }
                if !g.phrase_prefixes.contains(&key) {
                    break;
                }
            }
            if let Some((len, idx)) = best {
                *counts.entry(idx).or_default() += 1;
                i += len;
                continue 'outer;
            }
        }
        let tok = &toks[i];
        let capitalized = tok.is_capitalized();
        let whole = g
            .match_word(tok.text, terms[i], capitalized, tok.sentence_start)
            .or_else(|| {
                (tok.parts.len() > 1)
                    .then(|| {
                        let joined = tok.text.replace(['-', '\u{2010}', '\u{2011}'], "");
                        let term = g
                            .may_start_form(&joined)
                            .then(|| term_for_word(&joined))
                            .flatten();
                        g.match_word(&joined, term.as_deref(), capitalized, tok.sentence_start)
                    })
                    .flatten()
            });
        match whole {
            // `Denzel Washington`, `George Washington`: a person, not a state.
            Some(_) if is_person_context(g, toks, i) => {}
            Some(idx) => *counts.entry(idx).or_default() += 1,
            None if tok.parts.len() > 1 => {
                // `US-Außenamtssprecher`, `Ukraine-Krieg`, `russisch-ukrainisch`.
                let mut seen = Vec::new();
                for (n, part) in tok.parts.iter().enumerate() {
                    let cap = part.chars().next().is_some_and(char::is_uppercase);
                    let start = tok.sentence_start || n > 0;
                    // Terms only for parts that can start a form: most parts are nouns.
                    let term = g
                        .may_start_form(part)
                        .then(|| term_for_word(part))
                        .flatten();
                    if let Some(idx) = g.match_word(part, term.as_deref(), cap, start)
                        && !seen.contains(&idx)
                    {
                        seen.push(idx);
                        *counts.entry(idx).or_default() += 1;
                    }
                }
            }
            None => {}
        }
        i += 1;
    }
    let mut out: Vec<CountryMention> = counts
        .into_iter()
        .map(|(idx, mentions)| CountryMention {
            code: g.countries[idx].code.clone(),
            name: g.countries[idx].name.clone(),
            mentions,
        })
        .collect();
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.code.cmp(&b.code)));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_state_is_named_in_any_case_and_spelling_but_not_by_code_or_city() {
        for word in [
            "Nordkorea",
            "nordkorea",
            "Nordkoreas",
            "Suedkorea",
            "Südkorea",
            "Ukraine",
        ] {
            assert!(super::code_of_name(word).is_some(), "{word}");
        }
        assert_eq!(super::code_of_name("Suedkorea"), Some("KR"));
        for word in ["in", "de", "Kiew", "nordkoreanisch", "Haus", "Nord Korea"] {
            assert_eq!(super::code_of_name(word), None, "{word}");
        }
    }

    use super::*;

    fn codes(text: &str) -> Vec<String> {
        let mut c: Vec<String> = find_countries(text).into_iter().map(|m| m.code).collect();
        c.sort();
        c
    }

    #[test]
    fn names_adjectives_demonyms_seats() {
        assert_eq!(codes("Russlands Krieg gegen die Ukraine"), vec!["RU", "UA"]);
        assert_eq!(codes("die nordkoreanischen Soldaten"), vec!["KP"]);
        assert_eq!(codes("Die Russen und die Nordkoreaner"), vec!["KP", "RU"]);
        assert_eq!(
            codes("Gespräche zwischen Pjöngjang und Peking"),
            vec!["CN", "KP"]
        );
        assert_eq!(codes("Das Weiße Haus und der Kreml"), vec!["RU", "US"]);
        assert_eq!(codes("in den Vereinigten Staaten"), vec!["US"]);
        assert_eq!(codes("in der Türkei"), vec!["TR"]);
    }

    #[test]
    fn compounds_and_regions() {
        assert_eq!(codes("US-Außenamtssprecher John Kirby"), vec!["US"]);
        assert_eq!(codes("Der Ukraine-Krieg dauert an"), vec!["UA"]);
        assert_eq!(codes("Der Ukrainekrieg dauert an"), vec!["UA"]);
        assert_eq!(codes("in der Region Kursk"), vec!["RU"]);
        assert_eq!(codes("US-amerikanische Truppen"), vec!["US"]);
        assert!(codes("Die Nato-Staaten beraten").is_empty());
    }

    #[test]
    fn not_fooled() {
        assert!(codes("Der Schauspieler Denzel Washington kam.").is_empty());
        assert!(codes("Sie traf Paris Hilton.").is_empty());
        assert!(codes("Er spricht auf Deutsch mit uns.").is_empty());
    }

    #[test]
    fn mention_counts_and_focus() {
        let found =
            find_countries("Russland und die Ukraine. Russland greift an. Moskau schweigt.");
        assert_eq!(found[0].code, "RU");
        assert_eq!(found[0].mentions, 3);
    }

    #[test]
    fn resolve_user_input() {
        let g = Gazetteer::get();
        assert_eq!(g.resolve("KP").unwrap().code, "KP");
        assert_eq!(g.resolve("Nordkorea").unwrap().code, "KP");
        assert_eq!(g.resolve("kp").unwrap().code, "KP");
        assert!(g.resolve("Atlantis").is_none());
    }
}
