//! The German analyzer: one function turns text into index terms, and the same
//! function serves indexing, query parsing and snippet highlighting.
//!
//! Steps for every word:
//! 1. segmentation that keeps German words whole: hyphenated compounds
//!    (`US-Außenamtssprecher`), numbers with separators (`1.500`, `3,5`),
//!    elisions (`geht's`), soft hyphens and combining umlauts;
//! 2. lower-casing and folding of foreign diacritics (`é` → `e`, `ł` → `l`),
//!    `ß` → `ss`;
//! 3. spelled-out umlauts to umlauts (`Suedkorea` → `südkorea`), as in
//!    Snowball's `german2` variant, except `ue` after a vowel (`Steuer`,
//!    `Bauer`, `neue` are diphthongs plus `e`) and in `qu` (`Quelle`);
//! 4. stop words dropped (their position is kept, so phrases stay exact);
//! 5. stemming with the classic Snowball German stemmer plus three rewrites
//!    of its stems (see `stem_normalized`), then umlauts removed, so
//!    `Südkorea`, `Suedkorea` and `Sudkorea` meet.
//!
//! A hyphenated compound yields the whole word (joined, stemmed) and each of
//! its parts; the parts take consecutive positions so that the phrase
//! `"Ukraine Krieg"` also finds `Ukraine-Krieg`.
//!
//! A closed compound (`Verteidigungsminister`, see `compounds`) yields its
//! whole term and then its parts' terms, marked with `PART_MARK`, at the same
//! position, so that `Minister` finds it (a query word asks for its term and,
//! weighted lower, its marked term). Queries keep only the whole of a compound
//! (`Term::is_compound_part` terms are left out): a query for the compound is
//! not flooded by its parts.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Bumped whenever the terms produced for some text change: an index built by
/// another analyzer version must be rebuilt.
pub const ANALYZER_VERSION: &str = "german-6";

/// Marks the term of a closed compound's part (`~minist` in
/// `Verteidigungsminister`): kept apart from the same word standing alone,
/// so that a query weighs a match inside a compound below a match of the
/// word itself, each with its own document frequency. Terms are made of word
/// characters, so no other term starts with it.
pub const PART_MARK: char = '~';

/// Name under which the analyzer is registered with tantivy.
pub const ANALYZER_NAME: &str = "archiv_german";

/// Terms longer than this (in bytes) are dropped: they are noise (base64,
/// URLs glued together) and would bloat the term dictionary.
const MAX_TERM_BYTES: usize = 64;

const STOP_WORDS_DATA: &str = include_str!("../../data/stopwords-de.txt");

include!(concat!(env!("OUT_DIR"), "/stop_words.rs"));

/// Whether a normalised word is a stop word. Nearly all of the list is
/// already normalised and compiled into a set: a search starts without
/// building one.
fn is_stop_word(normalized: &str) -> bool {
    static OTHERS: OnceLock<Vec<String>> = OnceLock::new();
    PLAIN_STOP_WORDS.contains(normalized)
        || OTHERS
            .get_or_init(|| {
                STOP_WORDS_DATA
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .filter(|word| !PLAIN_STOP_WORDS.contains(word))
                    .map(normalize_word)
                    .collect()
            })
            .iter()
            .any(|word| word == normalized)
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

/// One analysed term with the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub position: usize,
    pub start: usize,
    pub end: usize,
    /// True for the whole of a hyphenated compound (its parts follow it).
    pub is_compound_whole: bool,
    /// True for a part of a closed compound, at the compound's position and
    /// with its offsets.
    pub is_compound_part: bool,
}

/// A word as it stands in the text, split at its hyphens.
#[derive(Debug, Clone)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    /// Byte ranges of the parts of a hyphenated word; empty for a word
    /// without hyphens.
    pub parts: Vec<(usize, usize)>,
}

impl Word<'_> {
    /// How many word positions the analysis gives the word: one, or one for
    /// each part of a hyphenated word.
    pub fn positions(&self) -> u32 {
        self.parts.len().max(1) as u32
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c) || c == '\u{00AD}'
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Splits text into words. A word is a run of letters and digits, joined by
/// hyphens between word characters, by `.`/`,` between digits and by
/// apostrophes between letters.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity(text.len() / 7);
    out.extend(Words::new(text));
    out
}

/// The words of a text one at a time (see `words`).
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Words<'a> {
        Words { text, pos: 0 }
    }

    /// The words of `text` from byte `start` on, which must be where one of
    /// them starts (or where the text ends).
    pub fn starting_at(text: &'a str, start: usize) -> Words<'a> {
        Words { text, pos: start }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Most characters are ASCII: those are told apart by their byte,
        // the rest decoded.
        let char_at = |pos: usize| match bytes.get(pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => text[pos..].chars().next(),
            None => None,
        };
        let mut pos = self.pos;
        let first = loop {
            let Some(&b) = bytes.get(pos) else {
                self.pos = pos;
                return None;
            };
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break char::from(b);
                }
                pos += 1;
                continue;
            }
            let c = text[pos..].chars().next().expect("a character");
            if c.is_alphanumeric() {
                break c;
            }
            pos += c.len_utf8();
        };
        let start = pos;
        let mut parts = Vec::new();
        let mut part_start = start;
        let mut prev = first;
        pos += first.len_utf8();
        while let Some(&b) = bytes.get(pos) {
            let c = if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    prev = char::from(b);
                    pos += 1;
                    continue;
                }
                char::from(b)
            } else {
                let c = text[pos..].chars().next().expect("a character");
                if is_word_char(c) {
                    prev = c;
                    pos += c.len_utf8();
                    continue;
                }
                c
            };
            let joins = (is_hyphen(c) || c == '.' || c == ',' || is_apostrophe(c))
                && match char_at(pos + c.len_utf8()) {
                    Some(n) if is_hyphen(c) => n.is_alphanumeric() && is_word_char(prev),
                    Some(n) if c == '.' || c == ',' => n.is_ascii_digit() && prev.is_ascii_digit(),
                    Some(n) if is_apostrophe(c) => n.is_alphabetic() && prev.is_alphabetic(),
                    _ => false,
                };
            if !joins {
                break;
            }
            if is_hyphen(c) {
                parts.push((part_start, pos));
                part_start = pos + c.len_utf8();
            }
            prev = c;
            pos += c.len_utf8();
        }
        // A word without hyphens keeps `parts` empty (and unallocated).
        if !parts.is_empty() {
            parts.push((part_start, pos));
        }
        self.pos = pos;
        Some(Word {
            text: &text[start..pos],
            start,
            parts,
        })
    }
}

/// Lower-cases, folds diacritics other than umlauts, turns `ß` into `ss` and
/// spelled-out umlauts into umlauts. Digits keep their decimal comma; the
/// thousands dots of a number go (`1.500` → `1500`).
pub fn normalize_word(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    let all_numeric = word
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    while let Some(c) = chars.next() {
        // A combining diaeresis after a vowel is an umlaut written in two code points.
        let umlaut = matches!(chars.peek(), Some('\u{0308}'));
        match c {
            '\u{00AD}' | '\'' | '\u{2019}' => {}
            '.' if all_numeric => {}
            c if is_combining(c) => {}
            c => {
                for lower in c.to_lowercase() {
                    fold_char(lower, umlaut, &mut folded);
                }
            }
        }
    }
    transliterate_umlauts(&folded)
}

fn fold_char(c: char, umlaut: bool, out: &mut String) {
    if umlaut {
        match c {
            'a' => return out.push('ä'),
            'o' => return out.push('ö'),
            'u' => return out.push('ü'),
            _ => {}
        }
    }
    let folded = match c {
        'ä' | 'ö' | 'ü' => c,
        'ß' => return out.push_str("ss"),
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'æ' => return out.push_str("ae"),
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => 'c',
        'ď' | 'đ' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ķ' => 'k',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ŏ' => 'o',
        'ő' => 'ö',
        'œ' => return out.push_str("oe"),
        'ŕ' | 'ř' | 'ŗ' => 'r',
        'ś' | 'š' | 'ş' | 'ș' | 'ŝ' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ū' | 'ŭ' | 'ů' | 'ų' => 'u',
        'ű' => 'ü',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    };
    out.push(folded);
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö' | 'ü')
}

/// `ae`/`oe`/`ue` → `ä`/`ö`/`ü`, the way German is typed without umlaut keys.
fn transliterate_umlauts(word: &str) -> String {
    if !(word.contains("ae") || word.contains("oe") || word.contains("ue")) {
        return word.to_string();
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if i + 1 < chars.len() && chars[i + 1] == 'e' && matches!(c, 'a' | 'o' | 'u') {
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            // `ue` after a vowel is a diphthong plus `e` (Steuer, Bauer, neue),
            // after `q` it is `qu` (Quelle).
            let blocked = c == 'u' && prev.is_some_and(|p| is_vowel(p) || p == 'q');
            if !blocked {
                out.push(match c {
                    'a' => 'ä',
                    'o' => 'ö',
                    _ => 'ü',
                });
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

pub fn strip_umlauts(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'ä' => 'a',
            'ö' => 'o',
            'ü' => 'u',
            other => other,
        })
        .collect()
}

/// Stems a normalised word; words with digits are left as they are.
///
/// Three rewrites of the classic stem bring inflections together that the
/// classic algorithm leaves apart (measured in `eval/stemmer.rs`): feminine
/// plurals (`Ministerinnen` → `ministerinn` → `ministerin`), `-eln` plurals
/// (`Regeln` → `regel`) and `-s` plurals of words ending in a vowel
/// (`Autos`, `Handys`). Rewriting the stem, not the word, keeps every form of
/// one word alike (`Gewinn` and `gewinnen` both become `gewin`).
pub fn stem_normalized(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    strip_umlauts(&rewrite_classic_stem(stemmer().stem(word).into_owned()))
}

/// The rewrites `stem_normalized` applies to a classic Snowball stem.
pub fn rewrite_classic_stem(mut stem: String) -> String {
    let vowel_plural_s =
        (stem.ends_with("os") || stem.ends_with("ys")) && stem.chars().count() >= 4;
    if stem.ends_with("inn") || stem.ends_with("eln") || vowel_plural_s {
        stem.pop();
    }
    stem
}

/// Words whose terms a thread keeps: news vocabulary repeats so much that
/// most words are met again long before the cache is full.
const TERM_CACHE_WORDS: usize = 400_000;

/// A word's term as the caches hand it out: short ones (nearly all) are held
/// inline, so that a cache hit reads no other memory and its copy allocates
/// nothing.
pub type TermText = compact_str::CompactString;

thread_local! {
    // Keys inline too: comparing a looked-up word with a key on the heap
    // missed the CPU cache on most hits.
    static TERM_CACHE: std::cell::RefCell<foldhash::HashMap<TermText, Option<TermText>>> =
        std::cell::RefCell::new(foldhash::HashMap::default());
}

/// The term for one word, or `None` for a stop word or a word too long to index.
pub fn term_for_word(word: &str) -> Option<String> {
    cached_term_for_word(word).map(String::from)
}

/// As `term_for_word`, as the cache holds it.
pub fn cached_term_for_word(word: &str) -> Option<TermText> {
    if word.len() > 2 * MAX_TERM_BYTES {
        return compute_term(word).map(Into::into);
    }
    TERM_CACHE.with(|cache| {
        if let Some(hit) = cache.borrow().get(word) {
            return hit.clone();
        }
        let term: Option<TermText> = compute_term(word).map(Into::into);
        let mut cache = cache.borrow_mut();
        if cache.len() >= TERM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.into(), term.clone());
        term
    })
}

type SplitTerms = Option<std::rc::Rc<[Box<str>]>>;

thread_local! {
    static SPLIT_CACHE: std::cell::RefCell<foldhash::HashMap<TermText, SplitTerms>> =
        std::cell::RefCell::new(foldhash::HashMap::default());
}

/// Whether a word may be a closed compound worth splitting: only nouns are
/// (capitalised), and a compound has two parts of three letters or more.
#[inline]
fn may_be_compound(word: &str) -> bool {
    word.len() >= 6 && word.chars().next().is_some_and(char::is_uppercase)
}

/// The terms of a closed compound's parts (`Verteidigungsminister` →
/// `verteid`, `minist`), without the whole's own term; `None` for a word
/// that is no compound.
pub fn compound_part_terms(word: &str) -> SplitTerms {
    if !may_be_compound(word) {
        return None;
    }
    if word.len() > 2 * MAX_TERM_BYTES {
        return compute_compound_part_terms(word);
    }
    SPLIT_CACHE.with(|cache| {
        if let Some(hit) = cache.borrow().get(word) {
            return hit.clone();
        }
        let terms = compute_compound_part_terms(word);
        let mut cache = cache.borrow_mut();
        if cache.len() >= TERM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(word.into(), terms.clone());
        terms
    })
}

fn compute_compound_part_terms(word: &str) -> SplitTerms {
    let normalized = normalize_word(word);
    if normalized.chars().any(|c| !c.is_alphabetic()) {
        return None;
    }
    let mut terms: Vec<Box<str>> = Vec::new();
    for part in super::compounds::split(&normalized) {
        // Parts recur in many compounds: their terms come from the cache.
        if let Some(term) = term_for_word(part)
            && !terms.iter().any(|t| **t == *term)
        {
            terms.push(term.into());
        }
    }
    (!terms.is_empty()).then(|| terms.into())
}

/// A word's exact form, folded as terms are but not stemmed (lower case,
/// umlauts and accents removed, `ß` as `ss`: `Wähler`, `Waehler` and
/// `wähler` are `wahler`); `None` for a stop word. Titles index it in a
/// field of its own, so that a query word as written ranks above its other
/// inflections without lengthening the title for BM25.
pub fn exact_form(word: &str) -> Option<String> {
    term_for_word(word)?;
    let form = strip_umlauts(&normalize_word(word));
    (form.len() <= MAX_TERM_BYTES).then_some(form)
}

fn compute_term(word: &str) -> Option<String> {
    let normalized = normalize_word(word);
    if normalized.is_empty() || is_stop_word(&normalized) {
        return None;
    }
    let term = stem_normalized(&normalized);
    (term.len() <= MAX_TERM_BYTES).then_some(term)
}

/// Letters of a word looked at, folded: enough for the longest stem.
pub const FOLD_CHARS: usize = 24;

/// A word's first letters, folded the way terms are (lower case, umlauts
/// written or spelled out and accents folded, `ß` as `ss`), in a stack
/// buffer: the check runs for every word of every article.
#[derive(Default)]
pub struct Folded {
    pub letters: [char; FOLD_CHARS],
    pub chars: usize,
}

impl Folded {
    pub fn of(word: &str) -> Folded {
        let mut folded = Folded::default();
        for c in word.chars().take(2 * FOLD_CHARS) {
            folded.push_char(c);
        }
        folded
    }

    /// Folds one character of the word; returns how many letters it added.
    #[inline]
    pub fn push_char(&mut self, c: char) -> usize {
        // ASCII letters, most of them, need no tables.
        if c.is_ascii() {
            return self.push(c.to_ascii_lowercase());
        }
        let mut added = 0;
        for lower in c.to_lowercase() {
            let (letter, double) = fold_accent(lower);
            if double {
                added += self.push(letter);
            }
            added += self.push(letter);
        }
        added
    }

    #[inline]
    fn push(&mut self, c: char) -> usize {
        if self.chars == FOLD_CHARS || c == '\u{00AD}' || c == '-' {
            return 0;
        }
        // `Suedkorea`, `Oesterreich`: a spelled-out umlaut is one letter.
        if c == 'e' && self.chars > 0 && matches!(self.letters[self.chars - 1], 'a' | 'o' | 'u') {
            let before_last = if self.chars >= 2 {
                self.letters[self.chars - 2]
            } else {
                '\0'
            };
            if self.chars < 2 || !matches!(before_last, 'a' | 'e' | 'i' | 'o' | 'u' | 'q') {
                return 0;
            }
        }
        self.letters[self.chars] = c;
        self.chars += 1;
        1
    }

    /// The first `n` letters, encoded into `buf`.
    pub fn prefix<'b>(&self, n: usize, buf: &'b mut [u8; 4 * FOLD_CHARS]) -> &'b str {
        let mut len = 0;
        for c in &self.letters[..n] {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
        std::str::from_utf8(&buf[..len]).unwrap_or("")
    }
}

/// A whole text folded for looking up terms' heads in one pass: lower case,
/// accents folded as `Folded` folds them (combining ones dropped), `ß` as
/// `ss`, hyphens, soft hyphens, apostrophes and thousands dots left out.
/// Spelled-out umlauts stay as written (`suedkorea`): a head is looked for in
/// both spellings (`term_head_spellings`).
pub struct FoldedText {
    pub folded: Vec<u8>,
    /// (folded offset, text offset) wherever the two stop moving together;
    /// between two, one folded byte is one text byte.
    shifts: Vec<(u32, u32)>,
}

impl FoldedText {
    pub fn new(text: &str) -> FoldedText {
        let mut out = FoldedText {
            folded: Vec::with_capacity(text.len() + 8),
            shifts: vec![(0, 0)],
        };
        let raw = text.as_bytes();
        let mut at = 0;
        while let Some(&byte) = raw.get(at) {
            // Runs of ASCII, most of a German text, are copied and lower-cased in bulk.
            if byte.is_ascii() {
                let run = &raw[at..at + ascii_prefix_len(&raw[at..])];
                let mut from = 0;
                for i in memchr::memchr3_iter(b'-', b'.', b'\'', run) {
                    let thousands_dot = run[i] == b'.'
                        && i > 0
                        && run[i - 1].is_ascii_digit()
                        && run.get(i + 1).is_some_and(u8::is_ascii_digit);
                    if run[i] != b'.' || thousands_dot {
                        out.push_ascii(&run[from..i]);
                        out.shift(at + i + 1);
                        from = i + 1;
                    }
                }
                out.push_ascii(&run[from..]);
                at += run.len();
                continue;
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            match c {
                // The analyzer leaves out apostrophes too (`O'Brien` is `obrien`).
                '\u{00AD}' | '\u{2019}' => {}
                // Latin-1 letters, German's umlauts among them, without the
                // general case tables: upper case is lower case less 0x20.
                '\u{00C0}'..='\u{00FF}' if c != '\u{00D7}' && c != '\u{00F7}' => {
                    let lower = if c <= '\u{00DE}' {
                        char::from_u32(c as u32 + 0x20).unwrap_or(c)
                    } else {
                        c
                    };
                    out.push_letter(lower, at);
                }
                // Punctuation (dashes, quotation marks) has no case.
                '\u{2000}'..='\u{206F}' => out.push_letter(c, at),
                // Combining accents go as the analyzer drops them (`İ` is `i` and a dot).
                _ => {
                    for lower in c
                        .to_lowercase()
                        .filter(|l| !('\u{0300}'..='\u{036F}').contains(l))
                    {
                        out.push_letter(lower, at);
                    }
                }
            }
            at += c.len_utf8();
            out.shift(at);
        }
        out
    }

    fn push_ascii(&mut self, bytes: &[u8]) {
        let from = self.folded.len();
        self.folded.extend_from_slice(bytes);
        self.folded[from..].make_ascii_lowercase();
    }

    /// One lower-case letter of the character at text offset `at`, accent folded.
    fn push_letter(&mut self, lower: char, at: usize) {
        let (letter, double) = fold_accent(lower);
        let mut buf = [0u8; 4];
        let bytes = letter.encode_utf8(&mut buf).as_bytes();
        for _ in 0..1 + usize::from(double) {
            self.shift(at);
            self.folded.extend_from_slice(bytes);
        }
    }

    /// Notes that the next folded byte comes from text offset `at`, where
    /// the shifts so far do not already say so.
    fn shift(&mut self, at: usize) {
        let entry = (self.folded.len() as u32, at as u32);
        let last = self.shifts.last_mut().expect("the first shift");
        if last.0 == entry.0 {
            // Nothing folded since: the earlier entry would never be looked up.
            *last = entry;
        } else if last.1.wrapping_sub(last.0) != entry.1.wrapping_sub(entry.0) {
            self.shifts.push(entry);
        }
    }

    /// The byte offset in the text of the character folded byte `at` came from.
    pub fn origin(&self, at: usize) -> usize {
        let at = at as u32;
        let i = self.shifts.partition_point(|&(f, _)| f <= at) - 1;
        let (folded, text) = self.shifts[i];
        (text + (at - folded)) as usize
    }
}

/// How many bytes at the start are ASCII, eight at a time.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut len = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        len += 8;
    }
    len + bytes[len..].iter().take_while(|b| b.is_ascii()).count()
}

/// A lower-case letter without its accent; `ß` is a double `s`.
fn fold_accent(c: char) -> (char, bool) {
    let folded = match c {
        'ä' | 'á' | 'à' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ü' | 'ú' | 'ù' | 'û' | 'ū' | 'ů' | 'ű' => 'u',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ç' | 'ć' | 'č' => 'c',
        'ñ' | 'ń' | 'ň' => 'n',
        'š' | 'ś' | 'ş' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ğ' => 'g',
        'ý' => 'y',
        'đ' | 'ď' => 'd',
        'ß' => return ('s', true),
        c => c,
    };
    (folded, false)
}

/// Analyses text into terms with positions and byte offsets.
pub fn analyze(text: &str) -> Vec<Term> {
    analyze_splitting(text, |_| true)
}

/// As `analyze`, without the terms of compound parts: for a query, which
/// asks for a compound as written.
pub fn analyze_unsplit(text: &str) -> Vec<Term> {
    analyze_splitting(text, |_| false)
}

/// As `analyze`, with the parts only of the compounds `split` lets through:
/// splitting a word not met before is the costly step of analysis.
pub fn analyze_splitting(text: &str, split: impl Fn(&str) -> bool) -> Vec<Term> {
    let words = words(text);
    let mut terms = Vec::with_capacity(words.len());
    visit_terms(
        text,
        &words,
        |_, word| term_for_word(word).map(Cow::Owned),
        &split,
        |term| terms.push(term.into_owned()),
    );
    terms
}

/// Whether `word` is long enough for a compound part of it to have a term
/// of `term_letters` letters: a part leaves at least three letters of the
/// word to the other parts, and stemming never lengthens it.
pub fn may_have_part_of(word: &str, term_letters: usize) -> bool {
    normalize_word(word).chars().count() >= term_letters + MIN_OTHER_PARTS_LETTERS
}

/// Letters a compound keeps besides any one of its parts (see `compounds`).
const MIN_OTHER_PARTS_LETTERS: usize = 3;

/// Each word's term, for words without hyphens (`None` for a stop word);
/// `None` for hyphenated words, whose terms are made from their parts.
/// Ingest computes these once for entity recognition and the index.
pub fn word_terms(words: &[Word]) -> Vec<Option<TermText>> {
    words
        .iter()
        .map(|w| {
            if w.parts.is_empty() {
                cached_term_for_word(w.text)
            } else {
                None
            }
        })
        .collect()
}

/// One term as the analysis finds it, its text borrowed where it can be.
pub(crate) struct TermRef<'t> {
    pub text: Cow<'t, str>,
    pub position: usize,
    pub start: usize,
    pub end: usize,
    pub is_compound_whole: bool,
    pub is_compound_part: bool,
}

impl TermRef<'_> {
    fn into_owned(self) -> Term {
        Term {
            text: self.text.into_owned(),
            position: self.position,
            start: self.start,
            end: self.end,
            is_compound_whole: self.is_compound_whole,
            is_compound_part: self.is_compound_part,
        }
    }
}

/// The analysis proper: hands each term to `emit`, in order. `plain_term`
/// gives the term of the `i`-th word when it has no hyphens. A closed compound (a whole word or a
/// part between hyphens) that `split` lets through is followed by its parts' terms, at its position.
pub(crate) fn visit_terms<'t>(
    text: &str,
    words: &[Word],
    mut plain_term: impl FnMut(usize, &str) -> Option<Cow<'t, str>>,
    split: &dyn Fn(&str) -> bool,
    mut emit: impl FnMut(TermRef<'t>),
) {
    let emit_split = |emit: &mut dyn FnMut(TermRef<'t>), word: &str, position, start| {
        if !split(word) {
            return;
        }
        let Some(parts) = compound_part_terms(word) else {
            return;
        };
        for part in parts.iter() {
            let mut marked = String::with_capacity(part.len() + 1);
            marked.push(PART_MARK);
            marked.push_str(part);
            emit(TermRef {
                text: Cow::Owned(marked),
                position,
                start,
                end: start + word.len(),
                is_compound_whole: false,
                is_compound_part: true,
            });
        }
    };
    let mut position = 0usize;
    for (i, word) in words.iter().enumerate() {
        if word.parts.is_empty() {
            if let Some(term) = plain_term(i, word.text) {
                emit(TermRef {
                    text: term,
                    position,
                    start: word.start,
                    end: word.start + word.text.len(),
                    is_compound_whole: false,
                    is_compound_part: false,
                });
                emit_split(&mut emit, word.text, position, word.start);
            }
            position += 1;
            continue;
        }
        if let Some(whole) = hyphenated_whole_term(text, &word.parts) {
            emit(TermRef {
                text: Cow::Owned(whole),
                position,
                start: word.start,
                end: word.start + word.text.len(),
                is_compound_whole: true,
                is_compound_part: false,
            });
        }
        let double_name = is_double_name(text, &word.parts);
        for &(s, e) in &word.parts {
            let part = &text[s..e];
            if let Some(term) = term_for_word(part).map(Cow::<str>::Owned) {
                let split = !term.is_empty();
                emit(TermRef {
                    text: term,
                    position,
                    start: s,
                    end: e,
                    is_compound_whole: false,
                    is_compound_part: false,
                });
                if split && !double_name {
                    emit_split(&mut emit, part, position, s);
                }
            }
            position += 1;
        }
    }
}

/// The term of a hyphenated word as one (`Ukraine-Krieg` → `ukrainekrieg`),
/// which the index holds at the position of its first part; `None` when it
/// has none (too long).
pub fn hyphenated_whole_term(text: &str, parts: &[(usize, usize)]) -> Option<String> {
    let joined: String = parts
        .iter()
        .map(|&(s, e)| normalize_word(&text[s..e]))
        .collect();
    if joined.is_empty() {
        return None;
    }
    let whole = stem_normalized(&joined);
    (whole.len() <= MAX_TERM_BYTES).then_some(whole)
}

/// Whether a hyphenated word looks like a double-barrelled name
/// (`Kramp-Karrenbauer`): two capitalised parts, the first no known noun.
fn is_double_name(text: &str, parts: &[(usize, usize)]) -> bool {
    let title_case = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
    };
    match parts {
        [(s1, e1), (s2, e2)] => {
            let (first, second) = (&text[*s1..*e1], &text[*s2..*e2]);
            title_case(first)
                && title_case(second)
                && !super::compounds::is_noun(&normalize_word(first))
        }
        _ => false,
    }
}

/// Letters of a term's head that a word must have to be worth analysing for
/// the term: a term is a prefix of its word's folded text (of a part's, for a
/// compound part), but for spelled-out umlauts; longer heads than this only
/// multiply the spellings.
const HEAD_LETTERS: usize = 5;

/// The head of a term that a word with the term has in its folded text
/// (see `FoldedText`), compound parts included, in every spelling of its
/// umlauts (`sudko`, `suedko`).
pub fn term_head_spellings(term: &str) -> Vec<String> {
    let mut spellings = vec![String::new()];
    for c in term
        .trim_start_matches(PART_MARK)
        .chars()
        .take(HEAD_LETTERS)
    {
        let spelled_out = matches!(c, 'a' | 'o' | 'u');
        let mut next = Vec::with_capacity(spellings.len() * 2);
        for s in spellings {
            if spelled_out {
                next.push(format!("{s}{c}e"));
            }
            next.push(format!("{s}{c}"));
        }
        spellings = next;
    }
    spellings.retain(|s| !s.is_empty());
    spellings
}

/// The analyzer as a tantivy tokenizer.
#[derive(Clone, Default)]
pub struct GermanTokenizer;

pub struct GermanTokenStream {
    terms: std::vec::IntoIter<Term>,
    token: Token,
}

impl Tokenizer for GermanTokenizer {
    type TokenStream<'a> = GermanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GermanTokenStream {
        GermanTokenStream {
            terms: analyze(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for GermanTokenStream {
    fn advance(&mut self) -> bool {
        match self.terms.next() {
            Some(term) => {
                self.token.text = term.text;
                self.token.position = term.position;
                self.token.offset_from = term.start;
                self.token.offset_to = term.end;
                self.token.position_length = 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The exact forms of a text's words (`exact_form`), for the title's
/// exact-form field: no positions, no compound parts.
#[derive(Clone)]
pub struct ExactFormTokenizer;

impl Tokenizer for ExactFormTokenizer {
    type TokenStream<'a> = GermanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GermanTokenStream {
        let mut terms = Vec::new();
        for (position, word) in words(text).iter().enumerate() {
            let spans: Vec<(usize, usize)> = if word.parts.is_empty() {
                vec![(word.start, word.start + word.text.len())]
            } else {
                word.parts.clone()
            };
            for (start, end) in spans {
                if let Some(form) = exact_form(&text[start..end]) {
                    terms.push(Term {
                        text: form,
                        position,
                        start,
                        end,
                        is_compound_whole: false,
                        is_compound_part: false,
                    });
                }
            }
        }
        GermanTokenStream {
            terms: terms.into_iter(),
            token: Token::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.text).collect()
    }

    /// Every folded byte with the text offset of the character it came
    /// from, character by character: what `FoldedText` must agree with.
    fn folded_by_char(text: &str) -> Vec<(u8, usize)> {
        let mut out = Vec::new();
        for (at, c) in text.char_indices() {
            let thousands_dot = c == '.'
                && text[..at].ends_with(|p: char| p.is_ascii_digit())
                && text[at + 1..].starts_with(|n: char| n.is_ascii_digit());
            if matches!(c, '-' | '\u{00AD}' | '\'' | '\u{2019}') || thousands_dot {
                continue;
            }
            for lower in c
                .to_lowercase()
                .filter(|l| !('\u{0300}'..='\u{036F}').contains(l))
            {
                let (letter, double) = fold_accent(lower);
                let mut buf = [0u8; 4];
                for _ in 0..1 + usize::from(double) {
                    for &b in letter.encode_utf8(&mut buf).as_bytes() {
                        out.push((b, at));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn folded_text_maps_every_byte_back_to_its_character() {
        let text = "Straße, SÜDKOREA und Ärzte: „Ukraine-Krieg“ – 1.500 Euro, 3.5 Prozent, O'Brien's \
                    Tor, N’Golo, 'Zitat'. \
                    Verteidigungs\u{00AD}minister in İstanbul, Mañana, Æther × Þing ÿ, \
                    Su\u{0308}dkorea, ΑΘΗΝΑ; Maßstäbe";
        let folded = FoldedText::new(text);
        let expected = folded_by_char(text);
        let bytes: Vec<u8> = expected.iter().map(|&(b, _)| b).collect();
        assert_eq!(
            String::from_utf8_lossy(&folded.folded),
            String::from_utf8_lossy(&bytes)
        );
        for (i, &(_, at)) in expected.iter().enumerate() {
            // A multi-byte folded letter maps its first byte; the rest follow it.
            let first = expected[..i]
                .iter()
                .rposition(|&(_, a)| a != at)
                .map_or(0, |p| p + 1);
            assert_eq!(folded.origin(first), at, "folded byte {i} of {text:?}");
        }
        assert!(String::from_utf8_lossy(&folded.folded).contains("ukrainekrieg"));
        assert!(String::from_utf8_lossy(&folded.folded).contains("strasse"));
        assert!(String::from_utf8_lossy(&folded.folded).contains("obriens tor, ngolo, zitat."));
    }

    #[test]
    fn a_compound_is_longer_than_any_part_term_by_three_letters() {
        // What lets the snippet skip splitting short words.
        for word in [
            "Angriffskrieg",
            "Bundeswehrsoldaten",
            "Straßenbahnhaltestelle",
            "Außenministerin",
            "Rathaus",
            "Bundestag",
            "Grenzkontrollen",
            "Fußballnationalmannschaft",
            "Bundesverteidigungsministerium",
        ] {
            let parts: Vec<Term> = analyze(word)
                .into_iter()
                .filter(|t| t.is_compound_part)
                .collect();
            assert!(!parts.is_empty(), "{word} splits");
            for part in parts {
                let letters = part.text.trim_start_matches(PART_MARK).chars().count();
                assert!(may_have_part_of(word, letters), "{word}: {}", part.text);
            }
        }
        assert!(!may_have_part_of("Krieges", "krieg".len()));
        assert!(may_have_part_of("Angriffskrieg", "krieg".len()));
    }

    #[test]
    fn unsplit_analysis_is_the_analysis_without_compound_parts() {
        let text = "Bundeswehrsoldaten im Ukraine-Krieg, Verteidigungsminister Pistorius";
        let whole: Vec<Term> = analyze(text)
            .into_iter()
            .filter(|t| !t.is_compound_part)
            .collect();
        assert!(analyze(text).len() > whole.len());
        assert_eq!(analyze_unsplit(text), whole);
    }

    #[test]
    fn stop_words_are_normalised_as_words_are() {
        let listed = STOP_WORDS_DATA
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'));
        for word in listed {
            assert!(is_stop_word(&normalize_word(word)), "{word}");
        }
    }

    #[test]
    fn exact_forms_fold_case_and_umlauts_but_keep_inflection() {
        for spelling in ["Wähler", "Waehler", "wähler", "WÄHLER"] {
            assert_eq!(exact_form(spelling).as_deref(), Some("wahler"));
        }
        assert_eq!(exact_form("Soldaten").as_deref(), Some("soldaten"));
        assert_eq!(exact_form("Soldat").as_deref(), Some("soldat"));
        assert_eq!(exact_form("der"), None);
        let mut tokenizer = ExactFormTokenizer;
        let mut stream = tokenizer.token_stream("Die Soldaten der Ukraine-Armee");
        let mut forms = Vec::new();
        while stream.advance() {
            forms.push(stream.token().text.clone());
        }
        assert_eq!(forms, ["soldaten", "ukraine", "armee"]);
    }

    #[test]
    fn umlaut_spellings_meet() {
        let a = texts("Südkorea");
        assert_eq!(a, texts("Suedkorea"));
        assert_eq!(a, texts("Sudkorea"));
        assert_eq!(texts("Außenminister"), texts("Aussenminister"));
        assert_eq!(texts("Straße"), texts("Strasse"));
    }

    #[test]
    fn diphthongs_are_not_umlauts() {
        // Steuer/Steuern and Bauer/Bauern must stem alike.
        assert_eq!(texts("Steuer"), texts("Steuern"));
        assert_eq!(texts("Bauer"), texts("Bauern"));
        assert_eq!(texts("Quelle"), texts("Quellen"));
    }

    #[test]
    fn plural_classes_meet() {
        assert_eq!(texts("Ministerinnen"), texts("Ministerin"));
        assert_eq!(texts("Regeln"), texts("Regel"));
        assert_eq!(texts("Autos"), texts("Auto"));
        assert_eq!(texts("Gewinn"), texts("gewinnen"));
        assert_eq!(texts("aktuell"), texts("aktuelle"));
        assert_eq!(texts("Weg"), texts("Wege"));
    }

    #[test]
    fn inflections_meet() {
        assert_eq!(texts("Soldaten"), texts("Soldat"));
        assert_eq!(texts("nordkoreanischen"), texts("nordkoreanische"));
        assert_eq!(texts("Raketen"), texts("Rakete"));
    }

    #[test]
    fn hyphenated_compound_whole_and_parts() {
        let terms = analyze("der US-Außenamtssprecher sagte");
        let whole = terms.iter().find(|t| t.is_compound_whole).unwrap();
        assert_eq!(
            &"der US-Außenamtssprecher sagte"[whole.start..whole.end],
            "US-Außenamtssprecher"
        );
        let parts: Vec<&str> = terms
            .iter()
            .filter(|t| !t.is_compound_whole)
            .map(|t| t.text.as_str())
            .collect();
        assert!(parts.contains(&"us"));
        assert!(parts.contains(&texts("Außenamtssprecher")[0].as_str()));
        // The joined compound meets the same word written without hyphen.
        assert_eq!(texts("Ukraine-Krieg")[0], texts("Ukrainekrieg")[0]);
    }

    #[test]
    fn closed_compound_whole_then_parts_at_its_position() {
        let text = "Der Verteidigungsminister sagte";
        let terms = analyze(text);
        assert_eq!(terms[0].text, texts("Verteidigungsminister")[0]);
        assert!(!terms[0].is_compound_part);
        let parts: Vec<&Term> = terms.iter().filter(|t| t.is_compound_part).collect();
        // Parts are marked: a match inside a compound is told from the word itself.
        let head = format!("{PART_MARK}{}", texts("Minister")[0]);
        assert!(parts.iter().any(|t| t.text == head), "{terms:?}");
        let modifier = format!("{PART_MARK}{}", texts("Verteidigung")[0]);
        assert!(parts.iter().any(|t| t.text == modifier));
        assert!(!terms.iter().any(|t| t.text == texts("Minister")[0]));
        for part in parts {
            assert_eq!(part.position, terms[0].position);
            assert_eq!(&text[part.start..part.end], "Verteidigungsminister");
        }
        // The word after the compound keeps its position.
        assert_eq!(terms.last().unwrap().position, 2);
        // A part between hyphens is split too.
        assert!(
            analyze("US-Verteidigungsminister")
                .iter()
                .any(|t| t.text == head)
        );
    }

    #[test]
    fn words_that_are_no_compounds_are_not_split() {
        for text in [
            "Verein",
            "Vereinigten",
            "insgesamt",
            "Insgesamt",
            "Mitte",
            "beobachten",
            "Pistorius",
            "Kramp-Karrenbauer",
            "Minister",
            "Deutschland",
        ] {
            let terms = analyze(text);
            assert!(
                terms.iter().all(|t| !t.is_compound_part),
                "{text}: {terms:?}"
            );
        }
    }

    #[test]
    fn numbers_and_quotes() {
        assert_eq!(
            texts("„1.500 Soldaten“"),
            vec!["1500".to_string(), texts("Soldaten")[0].clone()]
        );
        assert_eq!(texts("3,5 Prozent")[0], "3,5");
    }

    #[test]
    fn stop_words_keep_positions() {
        let terms = analyze("Krieg gegen die Ukraine");
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[1].position, 3);
    }

    #[test]
    fn soft_hyphen_and_combining_umlaut() {
        assert_eq!(
            texts("Verteidigungs\u{00AD}minister"),
            texts("Verteidigungsminister")
        );
        assert_eq!(texts("Su\u{0308}dkorea"), texts("Südkorea"));
    }

    #[test]
    fn trailing_apostrophe_genitive() {
        assert_eq!(texts("Pistorius'"), texts("Pistorius"));
    }
}
