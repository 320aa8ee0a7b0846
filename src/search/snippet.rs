//! Snippets and highlights: the words of a text that have one of the query's
//! terms, and the window of a body that shows them best. Where the index
//! gives the terms' positions in a body, its words are only counted to find
//! them. Otherwise (a title, or a body the index could not tell about) the
//! text is folded once and searched for the terms' heads, and only the words
//! around a head are analysed: a body has thousands of words and a query three.

use std::cell::{OnceCell, RefCell};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use foldhash::{HashMap, HashMapExt};

use crate::analysis::german;
use crate::analysis::word_marks::{Mark, MarkedWords};

/// How much a query term seen again in a window adds, against its first sight:
/// a window with every query word beats one with one word many times.
const REPEAT_WEIGHT: f32 = 0.25;

/// Up to this many heads, the search for them starts with a prefilter.
const PREFILTER_HEADS: usize = 4;

/// A body longer than this and half again is first searched for its window
/// in its lead, about this many bytes: the rest only when the lead misses a
/// query word the body has. Hits' bodies run to 10 KB on average and live
/// blogs to 50 KB, and finding the words is most of a search's own time.
const LEAD_BYTES: usize = 8192;

/// Finds the words of a text that have one of the query's terms.
pub struct Highlighter {
    /// Term → (index, weight); rarer terms weigh more in choosing a window.
    terms: HashMap<String, (usize, f32)>,
    /// Each term and its weight, by index.
    by_index: Vec<(String, f32)>,
    /// Each term's word, by index: a word and its compound-part term
    /// (`minist`, `~minist`) are one.
    word_of: Vec<usize>,
    words: usize,
    /// The heads to search for, and their automaton once it is needed.
    head_patterns: Vec<String>,
    heads: OnceCell<Option<AhoCorasick>>,
    /// The terms (without the compound-part mark) each head begins, by the
    /// head's pattern index.
    head_terms: Vec<Vec<String>>,
    /// Letters of the shortest compound-part term among the query's, if any:
    /// a word shorter than its parts can be is not split (`Krieges` cannot
    /// hold `~krieg`; `Angriffskrieg` can).
    part_letters: Option<usize>,
    /// The query terms found in each word analysed before. Articles about
    /// an election say `Wahl` and `Wahlen` dozens of times, and analysing a
    /// word (stemming, compound splitting) costs more than the rest of a snippet.
    analysed: RefCell<HashMap<String, Vec<TermInWord>>>,
}

/// A window, its highlights, and which words (by `word_of`) it shows.
type WindowShowing = (Range<usize>, Vec<Range<usize>>, Vec<bool>);

/// A query term in a word: its byte range within the word, index and weight.
type TermInWord = (Range<usize>, usize, f32);

/// A word with one of the query's terms.
#[derive(Debug, Clone, PartialEq)]
struct Match {
    range: Range<usize>,
    term: usize,
    weight: f32,
}

impl Highlighter {
    /// A highlighter for these terms (as the analyzer writes them) and their
    /// weights; `None` when there is no term to look for.
    pub fn new(weights: impl IntoIterator<Item = (String, f32)>) -> Option<Highlighter> {
        let mut terms = HashMap::new();
        let mut heads: Vec<String> = Vec::new();
        let mut head_terms: Vec<Vec<String>> = Vec::new();
        let mut word_texts: Vec<String> = Vec::new();
        let mut word_of = Vec::new();
        let mut by_index = Vec::new();
        for (term, weight) in weights {
            if terms.contains_key(&term) {
                continue;
            }
            let word = term.trim_start_matches(german::PART_MARK);
            for head in german::term_head_spellings(&term) {
                let at = heads.iter().position(|h| *h == head).unwrap_or_else(|| {
                    heads.push(head);
                    head_terms.push(Vec::new());
                    heads.len() - 1
                });
                if !head_terms[at].iter().any(|t| t == word) {
                    head_terms[at].push(word.to_string());
                }
            }
            word_of.push(match word_texts.iter().position(|w| w == word) {
                Some(i) => i,
                None => {
                    word_texts.push(word.to_string());
                    word_texts.len() - 1
                }
            });
            by_index.push((term.clone(), weight));
            terms.insert(term, (terms.len(), weight));
        }
        if terms.is_empty() {
            return None;
        }
        let part_letters = terms
            .keys()
            .filter_map(|t| t.strip_prefix(german::PART_MARK))
            .map(|t| t.chars().count())
            .min();
        Some(Highlighter {
            terms,
            by_index,
            word_of,
            words: word_texts.len(),
            head_patterns: heads,
            heads: OnceCell::new(),
            head_terms,
            part_letters,
            analysed: RefCell::default(),
        })
    }

    /// The automaton finding the terms' heads, built on first use (a body
    /// whose terms' positions the index gives needs none).
    fn heads(&self) -> Option<&AhoCorasick> {
        self.heads
            .get_or_init(|| {
                // A prefilter skips to the rare letters of a few heads, but
                // with more (three words, each in two or four umlaut
                // spellings) it stops on common letters and only slows the
                // automaton.
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::DFA))
                    .prefilter(self.head_patterns.len() <= PREFILTER_HEADS)
                    .build(&self.head_patterns)
                    .ok()
            })
            .as_ref()
    }

    /// The words with a query term, in text order.
    fn matches(&self, text: &str) -> Vec<Match> {
        let Some(heads) = self.heads() else {
            return Vec::new();
        };
        let folded = german::FoldedText::new(text);
        let mut out: Vec<Match> = Vec::new();
        let mut last_chunk = None;
        let mut analysed = self.analysed.borrow_mut();
        // Every head is reported, overlapping ones too: most heads found
        // (`bunde` of `bundesregier` in `Bundestag`) do not go on into their
        // term, and the word is analysed only for one that does.
        for found in heads.find_overlapping_iter(&folded.folded) {
            let rest = &folded.folded[found.start()..];
            if !self.head_terms[found.pattern().as_usize()]
                .iter()
                .any(|term| term_may_start(rest, term.as_bytes()))
            {
                continue;
            }
            let (start, end) = chunk_around(text, folded.origin(found.start()));
            if last_chunk == Some(start) {
                continue;
            }
            last_chunk = Some(start);
            // `Wahl,` and `Wahl.` are one word to analyse.
            let chunk = text[start..end].trim_start_matches(|c: char| !c.is_alphanumeric());
            let start = end - chunk.len();
            let chunk = chunk.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !analysed.contains_key(chunk) {
                let found = german::analyze_splitting(chunk, |word| {
                    self.part_letters
                        .is_some_and(|letters| german::may_have_part_of(word, letters))
                })
                .into_iter()
                .filter_map(|term| {
                    let &(index, weight) = self.terms.get(&term.text)?;
                    Some((term.start..term.end, index, weight))
                })
                .collect();
                analysed.insert(chunk.to_string(), found);
            }
            for (within, index, weight) in &analysed[chunk] {
                let range = start + within.start..start + within.end;
                let seen = out.iter().rev().take_while(|m| m.range.start >= start);
                if !seen.clone().any(|m| m.range == range && m.term == *index) {
                    out.push(Match {
                        range,
                        term: *index,
                        weight: *weight,
                    });
                }
            }
        }
        out.sort_by_key(|m| (m.range.start, m.range.end));
        out
    }

    /// The words of `text` at the given positions (word counts, from
    /// `first` at the text's start, as the index counts them: a hyphenated
    /// word takes one per part), with the term (by index) the index has
    /// there; `positions` sorted. Also the position after the text's last
    /// word, or, when every position was found before it, after that word.
    /// Words are counted from the mark (of the whole text, whose byte
    /// `base` is the start of `text`) before each position sought.
    fn matches_at(
        &self,
        text: &str,
        base: usize,
        first: u32,
        positions: &[(u32, usize)],
        marks: &[Mark],
    ) -> (Vec<Match>, u32) {
        let mut out: Vec<Match> = Vec::new();
        let mut next = 0;
        let mut words = MarkedWords::new(text, base, first, marks);
        while let Some(&(sought, _)) = positions.get(next) {
            let Some((position, word)) = words.next_toward(sought) else {
                break;
            };
            let span = word.positions();
            while let Some(&(at, index)) = positions.get(next) {
                if at >= position + span {
                    break;
                }
                next += 1;
                let Some(at) = at.checked_sub(position) else {
                    continue;
                };
                let (term, weight) = &self.by_index[index];
                let mut push = |range: Range<usize>| {
                    out.push(Match {
                        range,
                        term: index,
                        weight: *weight,
                    })
                };
                let Some(&(start, end)) = word.parts.get(at as usize) else {
                    push(word.start..word.start + word.text.len());
                    continue;
                };
                // A hyphenated word: its whole's term stands at its first
                // part's position, beside that part's own terms.
                if term.starts_with(german::PART_MARK) {
                    push(start..end);
                    continue;
                }
                let whole = at == 0
                    && german::hyphenated_whole_term(text, &word.parts).as_deref()
                        == Some(term.as_str());
                if whole {
                    push(word.start..word.start + word.text.len());
                }
                if !whole || german::term_for_word(&text[start..end]).as_ref() == Some(term) {
                    push(start..end);
                }
            }
        }
        out.sort_by_key(|m| (m.range.start, m.range.end));
        (out, words.position())
    }

    /// `best_window_lead_first` for a text whose query terms the index
    /// found: at these positions (see `matches_at`), sorted, each with its
    /// term's index (`term_index`); `marks` are the text's word marks, if
    /// the index has them.
    pub fn best_window_at(
        &self,
        text: &str,
        max_bytes: usize,
        positions: &[(u32, usize)],
        marks: &[Mark],
    ) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        if positions.is_empty() {
            return None;
        }
        if let Some((cut, true)) = lead_cut(text) {
            let (mut matches, after_lead) = self.matches_at(&text[..cut], 0, 0, positions, marks);
            if let Some((window, highlights, shown)) = self.window_among(text, &matches, max_bytes)
            {
                let mut in_text = vec![false; self.words];
                for &(_, index) in positions {
                    in_text[self.word_of[index]] = true;
                }
                if (0..self.words).all(|w| shown[w] || !in_text[w]) {
                    return Some((window, highlights));
                }
            }
            let rest = &positions[positions.partition_point(|&(at, _)| at < after_lead)..];
            let (more, _) = self.matches_at(&text[cut..], cut, after_lead, rest, marks);
            matches.extend(more.into_iter().map(|m| Match {
                range: m.range.start + cut..m.range.end + cut,
                ..m
            }));
            return self
                .window_among(text, &matches, max_bytes)
                .map(|(window, highlights, _)| (window, highlights));
        }
        let (matches, _) = self.matches_at(text, 0, 0, positions, marks);
        self.window_among(text, &matches, max_bytes)
            .map(|(window, highlights, _)| (window, highlights))
    }

    /// The index of a term (as the analyzer writes it), if it is one of the query's.
    pub fn term_index(&self, term: &str) -> Option<usize> {
        self.terms.get(term).map(|&(index, _)| index)
    }

    /// The byte ranges of the words with a query term, in order, overlaps merged.
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        merge_ranges(self.matches(text).into_iter().map(|m| m.range))
    }

    /// The word (see the field `word_of`) of a term.
    pub fn word_of(&self, term: &str) -> Option<usize> {
        self.terms.get(term).map(|&(index, _)| self.word_of[index])
    }

    /// How many words the query's terms make.
    pub fn words(&self) -> usize {
        self.words
    }

    /// The window of about `max_bytes` that shows the most of the query
    /// (each term's weight once, repeats a little), the earliest of equals,
    /// with its highlights; `None` when the text has no query term.
    pub fn best_window(
        &self,
        text: &str,
        max_bytes: usize,
    ) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        self.window_among(text, &self.matches(text), max_bytes)
            .map(|(window, highlights, _)| (window, highlights))
    }

    /// `best_window`, but a long text's window comes from its lead when the
    /// lead's best window shows every word that `in_text` (by `word_of`) says
    /// the text has somewhere: only repeats further down could beat it.
    pub fn best_window_lead_first(
        &self,
        text: &str,
        max_bytes: usize,
        in_text: impl FnOnce() -> Vec<bool>,
    ) -> Option<(Range<usize>, Vec<Range<usize>>)> {
        if let Some((cut, at_space)) = lead_cut(text) {
            let mut matches = self.matches(&text[..cut]);
            if let Some((window, highlights, shown)) = self.window_among(text, &matches, max_bytes)
            {
                let in_text = in_text();
                if (0..self.words).all(|w| shown[w] || !in_text.get(w).copied().unwrap_or(true)) {
                    return Some((window, highlights));
                }
            }
            // Words never span white space, so the rest's matches follow the
            // lead's as the whole text's would: the lead is not searched twice.
            if at_space {
                matches.extend(self.matches(&text[cut..]).into_iter().map(|m| Match {
                    range: m.range.start + cut..m.range.end + cut,
                    ..m
                }));
                return self
                    .window_among(text, &matches, max_bytes)
                    .map(|(window, highlights, _)| (window, highlights));
            }
        }
        self.best_window(text, max_bytes)
    }

    /// The best window around one of `matches` (see `best_window`), and
    /// which words it shows.
    fn window_among(
        &self,
        text: &str,
        matches: &[Match],
        max_bytes: usize,
    ) -> Option<WindowShowing> {
        let mut seen = vec![false; self.terms.len()];
        let mut best: Option<(f32, Range<usize>)> = None;
        let mut previous_anchor = None;
        for anchor in matches {
            if previous_anchor == Some(anchor.range.start) {
                continue;
            }
            previous_anchor = Some(anchor.range.start);
            let mut start = window_start(text, anchor.range.start, max_bytes / 5);
            let end = window_end(text, start, anchor.range.end, max_bytes);
            if end == text.len() && end - start < max_bytes {
                // Near the end of the text: use the room before the word.
                start = start.min(window_start(
                    text,
                    anchor.range.start,
                    max_bytes - (end - anchor.range.start),
                ));
            }
            seen.fill(false);
            let mut score = 0.0;
            let first = matches.partition_point(|m| m.range.start < start);
            for m in matches[first..].iter().take_while(|m| m.range.start < end) {
                if m.range.end > end {
                    continue;
                }
                if seen[m.term] {
                    score += m.weight * REPEAT_WEIGHT;
                } else {
                    seen[m.term] = true;
                    score += m.weight;
                }
            }
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, start..end));
            }
        }
        let (_, window) = best?;
        let inside: Vec<&Match> = matches
            .iter()
            .filter(|m| m.range.start >= window.start && m.range.end <= window.end)
            .collect();
        let mut shown = vec![false; self.words];
        for m in &inside {
            shown[self.word_of[m.term]] = true;
        }
        let highlights = merge_ranges(inside.into_iter().map(|m| m.range.clone()));
        Some((window, highlights, shown))
    }
}

/// Where a long text's lead ends: `None` for a text short enough to be
/// searched whole, else the cut and whether it is at white space (a word cut
/// in two is no word, so the lead ends at a space where there is one).
fn lead_cut(text: &str) -> Option<(usize, bool)> {
    if text.len() <= LEAD_BYTES + LEAD_BYTES / 2 {
        return None;
    }
    let mut cut = LEAD_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    Some(match text[..cut].rfind(char::is_whitespace) {
        Some(space) => (space, true),
        None => (cut, false),
    })
}

/// Whether a word with `term` may have it at the start of `folded` (see
/// `german::FoldedText`): the term's letters in order, where an `a`, `o` or
/// `u` may be an umlaut spelled out with an `e` after it. A term with other
/// than the letters `a`-`z`, or a letter other than ASCII where the term
/// goes on (`æ`, `ș`, a Unicode hyphen: the analyzer folds or drops them),
/// is taken as possible.
fn term_may_start(folded: &[u8], term: &[u8]) -> bool {
    if !term.iter().all(u8::is_ascii_lowercase) {
        return true;
    }
    fn from(folded: &[u8], term: &[u8], after_vowel: bool) -> bool {
        let Some((&want, term_rest)) = term.split_first() else {
            return true;
        };
        let Some(&have) = folded.first() else {
            return false;
        };
        if !have.is_ascii() {
            return true;
        }
        (have == want && from(&folded[1..], term_rest, matches!(want, b'a' | b'o' | b'u')))
            || (after_vowel && have == b'e' && from(&folded[1..], term, false))
    }
    from(folded, term, false)
}

/// The run of non-space characters around byte `at`.
fn chunk_around(text: &str, mut at: usize) -> (usize, usize) {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i);
    (start, end)
}

/// Where a window showing the word at `anchor` begins: at the start of the
/// word's sentence when it began at most `lead` bytes before, else at a word
/// boundary about `lead` bytes before.
fn window_start(text: &str, anchor: usize, lead: usize) -> usize {
    if anchor <= lead {
        return 0;
    }
    let mut from = anchor - lead;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..anchor];
    let sentence_end = before
        .char_indices()
        .zip(before.chars().skip(1))
        .filter(|((_, c), next)| matches!(c, '.' | '!' | '?' | ':') && next.is_whitespace())
        .map(|((i, c), _)| i + c.len_utf8())
        .last();
    let boundary = match sentence_end {
        Some(i) => from + i,
        None => before
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(anchor, |(i, _)| from + i),
    };
    let skipped = text[boundary..anchor].len() - text[boundary..anchor].trim_start().len();
    boundary + skipped
}

/// Where a window from `start` of about `max_bytes` ends: after the last
/// whole word that fits, and never before `anchor_end`.
fn window_end(text: &str, start: usize, anchor_end: usize, max_bytes: usize) -> usize {
    let mut to = start + max_bytes;
    if to >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    if to <= anchor_end {
        return chunk_around(text, anchor_end).1.max(anchor_end);
    }
    match text[anchor_end..to].rfind(char::is_whitespace) {
        Some(i) => text[..anchor_end + i].trim_end().len().max(anchor_end),
        None => to,
    }
}

/// Ranges sorted, overlapping ones merged (a hyphenated whole and its part).
fn merge_ranges(ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = ranges.collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::word_marks;

    /// The word marks `text` is stored with.
    fn marks_of(text: &str) -> Vec<Mark> {
        word_marks::decode(&word_marks::encode(&german::words(text))).expect("marks")
    }

    fn highlighter(words: &[&str]) -> Highlighter {
        let terms: Vec<(String, f32)> = words
            .iter()
            .flat_map(|w| {
                let term = german::term_for_word(w).expect("a term");
                [(term.clone(), 1.0), (format!("~{term}"), 0.5)]
            })
            .collect();
        Highlighter::new(terms).expect("terms")
    }

    /// What analysing the whole text finds: the reference the head search must match.
    fn by_full_analysis(h: &Highlighter, text: &str) -> Vec<Range<usize>> {
        merge_ranges(
            german::analyze(text)
                .into_iter()
                .filter(|t| h.terms.contains_key(&t.text))
                .map(|t| t.start..t.end),
        )
    }

    /// A text with the words analysis treats apart: spelled-out umlauts,
    /// apostrophes, hyphens, soft hyphens, numbers, compounds, a dotted `İ`
    /// and an umlaut in two code points.
    const MIXED_TEXT: &str = "Die Suedkoreaner und Nordkoreas Soldaten: O'Briens Ärzte in der Straße, \
        EU-Gipfel 2024 mit Außenministerin Sacharowa, Bundeswehrsoldaten am Wahlabend. \
        Es kosteten 1.500 Euro; 3,5 Prozent der Kiewer Ukraine-Kriegs\u{00AD}berichte, \
        Ukraine-Krieg und Nord-Süd-Gefälle. Flug nach İSTANBUL und Su\u{0308}dkorea.";

    /// Query words for `MIXED_TEXT`.
    const MIXED_WORDS: &[&str] = &[
        "suedkoreaner",
        "Soldat",
        "Ärzte",
        "Strasse",
        "Gipfel",
        "2024",
        "Außenminister",
        "Ministerin",
        "Abend",
        "1500",
        "3,5",
        "Krieg",
        "Kiew",
        "Süd",
        "Gefälle",
        "Istanbul",
        "Südkorea",
        "O'Brien",
    ];

    #[test]
    fn finds_every_word_the_full_analysis_finds() {
        let text = MIXED_TEXT;
        let h = highlighter(MIXED_WORDS);
        let expected = by_full_analysis(&h, text);
        assert!(expected.len() >= 15, "{expected:?}");
        assert!(
            expected.iter().any(|r| &text[r.clone()] == "O'Briens"),
            "{expected:?}"
        );
        assert_eq!(h.highlights(text), expected);
    }

    #[test]
    fn a_word_sharing_only_a_terms_head_is_no_match() {
        // `Bundestag` has the head of `bundesregier`, `Schulen` that of `schuldenbrems`.
        let text = "Im Bundestag streiten Bundesregierung und Schulen über die Schuldenbremse; \
                    die Bundes\u{2011}Regierungsbildung, Schuldenbremsen-Debatten, Mbappé's \
                    Tor und Mbappés Schuld.";
        let h = highlighter(&["Bundesregierung", "Schuldenbremse", "Mbappé"]);
        let expected = by_full_analysis(&h, text);
        assert!(expected.len() >= 4, "{expected:?}");
        assert_eq!(h.highlights(text), expected);
        let words: Vec<&str> = expected.iter().map(|r| &text[r.clone()]).collect();
        assert!(
            !words.contains(&"Bundestag") && !words.contains(&"Schulen"),
            "{words:?}"
        );
    }

    #[test]
    fn a_term_may_start_where_its_letters_follow_in_any_spelling() {
        assert!(term_may_start(b"suedkoreas", b"sudkorea"));
        assert!(term_may_start(b"sudkoreas", b"sudkorea"));
        assert!(term_may_start(b"quellen", b"quell"));
        assert!(term_may_start("kjærgaard".as_bytes(), b"kjargaard"));
        assert!(!term_may_start(b"bundestag", b"bundesregier"));
        assert!(!term_may_start(b"schulen", b"schuldenbrems"));
        assert!(!term_may_start(b"sued", b"sudkorea"));
    }

    #[test]
    fn the_window_shows_all_query_words_over_one_word_repeated() {
        let filler = "Das Wetter blieb an diesem Tag trocken und mild. ".repeat(6);
        let text = format!(
            "Soldaten, Soldaten und wieder Soldaten marschierten. {filler}\
             Nordkoreanische Soldaten sollen in Kursk eingesetzt worden sein. {filler}"
        );
        let h = highlighter(&["Soldaten", "Kursk"]);
        let (window, highlights) = h.best_window(&text, 150).expect("a window");
        let shown = &text[window.clone()];
        assert!(shown.starts_with("Nordkoreanische"), "{shown}");
        assert!(shown.contains("Kursk"), "{shown}");
        assert!(window.len() <= 150, "{shown}");
        let words: Vec<&str> = highlights.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["Soldaten", "Kursk"]);
    }

    #[test]
    fn a_window_begins_at_a_word_and_ends_after_one() {
        let text = "Am Montag meldeten mehrere Agenturen neue Kämpfe im Gebiet um die Stadt, \
                    die seit Wochen umkämpft ist, und die Armee sprach von schweren Verlusten in Kursk.";
        let h = highlighter(&["Kursk"]);
        let (window, _) = h.best_window(text, 60).expect("a window");
        let shown = &text[window.clone()];
        assert!(shown.ends_with("in Kursk."), "{shown}");
        assert!(shown.len() > 40 && shown.len() <= 60, "{shown}");
        let before = text[..window.start].chars().last();
        assert!(before.is_none_or(char::is_whitespace), "{shown}");
    }

    #[test]
    fn a_long_text_shows_its_lead_unless_a_word_is_only_further_down() {
        let filler = "Das Wetter blieb an diesem Tag trocken und mild. ".repeat(400);
        let text = format!(
            "In Kursk wurde gekämpft. {filler}Soldaten aus Nordkorea, Soldaten in Kursk, Soldaten überall. {filler}"
        );
        assert!(text.len() > 3 * LEAD_BYTES);
        let h = highlighter(&["Soldaten", "Kursk"]);
        let (soldaten, kursk) = (
            h.word_of(&german::term_for_word("Soldaten").unwrap())
                .unwrap(),
            h.word_of(&german::term_for_word("Kursk").unwrap()).unwrap(),
        );
        assert_ne!(soldaten, kursk);
        let mut both = vec![false; h.words()];
        (both[soldaten], both[kursk]) = (true, true);
        // The text has both words, the lead one: the window is found further down.
        let (window, _) = h
            .best_window_lead_first(&text, 150, || both.clone())
            .expect("a window");
        assert!(
            text[window.clone()].contains("Soldaten"),
            "{}",
            &text[window]
        );
        assert_eq!(
            h.best_window_lead_first(&text, 150, || both.clone()),
            h.best_window(&text, 150)
        );
        // Were `Kursk` all the text had, the lead would do, whatever repeats follow.
        let mut kursk_only = vec![false; h.words()];
        kursk_only[kursk] = true;
        let (window, highlights) = h
            .best_window_lead_first(&text, 150, || kursk_only)
            .expect("a window");
        assert!(window.end < LEAD_BYTES, "{window:?}");
        assert_eq!(&text[highlights[0].clone()], "Kursk");
        // A short text is searched whole.
        let short = "Soldaten hier. Kursk dort.";
        assert_eq!(
            h.best_window_lead_first(short, 150, Vec::new),
            h.best_window(short, 150)
        );
    }

    /// Where the index has the highlighter's terms in `text`: the positions
    /// the body's analysis gives them, as the ingest writes them.
    fn index_positions(h: &Highlighter, text: &str) -> Vec<(u32, usize)> {
        let mut found: Vec<(u32, usize)> = german::analyze_splitting(text, |_| true)
            .into_iter()
            .filter_map(|t| Some((t.position as u32, h.term_index(&t.text)?)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn the_index_positions_of_terms_are_the_words_the_analysis_finds() {
        let text = MIXED_TEXT;
        let h = highlighter(MIXED_WORDS);
        // A hyphenated query word asks for its whole too.
        let whole = german::analyze_unsplit("Ukraine-Krieg")
            .into_iter()
            .find(|t| t.is_compound_whole)
            .expect("a whole");
        let h =
            Highlighter::new(h.by_index.iter().cloned().chain([(whole.text, 1.0)])).expect("terms");
        let positions = index_positions(&h, text);
        let (matches, _) = h.matches_at(text, 0, 0, &positions, &[]);
        let found = merge_ranges(matches.into_iter().map(|m| m.range));
        let words: Vec<&str> = found.iter().map(|r| &text[r.clone()]).collect();
        for word in [
            "Ukraine-Krieg",
            "Bundeswehrsoldaten",
            "Süd",
            "Gefälle",
            "O'Briens",
        ] {
            assert!(words.contains(&word), "{word}: {words:?}");
        }
        assert_eq!(found, by_full_analysis(&h, text));
    }

    #[test]
    fn a_window_from_index_positions_is_the_one_the_text_gives() {
        let filler = "Das Wetter blieb an diesem Tag trocken und mild. ".repeat(400);
        let long_lead = format!("In Kursk wurde gekämpft. {filler}Soldaten in Kursk. {filler}");
        let lead_only = format!("In Kursk kämpften Soldaten. {filler}Soldaten in Kursk. {filler}");
        let short = "Soldaten hier, Nordkorea-Soldaten dort. Kursk dort.".to_string();
        let h = highlighter(&["Soldaten", "Kursk"]);
        for text in [long_lead, lead_only, short] {
            let positions = index_positions(&h, &text);
            let mut in_text = vec![false; h.words()];
            for &(_, index) in &positions {
                in_text[h.word_of[index]] = true;
            }
            let window = h.best_window_at(&text, 150, &positions, &[]);
            assert!(window.is_some());
            assert_eq!(window, h.best_window_lead_first(&text, 150, || in_text));
            let marks = marks_of(&text);
            assert_eq!(h.best_window_at(&text, 150, &positions, &marks), window);
        }
        assert_eq!(h.best_window_at("Kein Treffer hier.", 150, &[], &[]), None);
    }

    #[test]
    fn counting_words_from_the_marks_finds_the_same_words() {
        // Hyphenated words, parts and apostrophes on both sides of marks,
        // in a lead and after it.
        let text = format!("{} Schluss mit Kursk.", MIXED_TEXT.repeat(120));
        let h = highlighter(&["Krieg", "Soldaten", "Kursk", "Gefälle", "Euro"]);
        let positions = index_positions(&h, &text);
        let marks = marks_of(&text);
        assert!(marks.len() > 50, "{}", marks.len());
        let ranges = |marks: &[Mark]| {
            let (matches, end) = h.matches_at(&text, 0, 0, &positions, marks);
            (
                matches
                    .into_iter()
                    .map(|m| (m.range, m.term))
                    .collect::<Vec<_>>(),
                end,
            )
        };
        let (from_start, end) = ranges(&[]);
        assert!(from_start.len() > 200, "{}", from_start.len());
        assert_eq!(ranges(&marks), (from_start, end));
        // Only the last word sought: the count starts at the last mark.
        let last = &positions[positions.len() - 1..];
        let (found, _) = h.matches_at(&text, 0, 0, last, &marks);
        assert_eq!(&text[found[0].range.clone()], "Kursk");
        // A part of the text (after a lead) with the marks of the whole.
        let cut = text.len() / 2;
        let cut = text[..cut].rfind(' ').unwrap();
        let (_, at_cut) = h.matches_at(&text[..cut], 0, 0, &[(u32::MAX, 0)], &[]);
        let rest: Vec<(u32, usize)> = positions
            .iter()
            .copied()
            .filter(|p| p.0 >= at_cut)
            .collect();
        let tail = |marks: &[Mark]| h.matches_at(&text[cut..], cut, at_cut, &rest, marks).0;
        let with_marks: Vec<_> = tail(&marks).into_iter().map(|m| m.range).collect();
        let without: Vec<_> = tail(&[]).into_iter().map(|m| m.range).collect();
        assert!(!without.is_empty());
        assert_eq!(with_marks, without);
    }

    #[test]
    fn no_window_without_a_query_term() {
        let h = highlighter(&["Kursk"]);
        assert_eq!(h.best_window("Nichts davon hier.", 100), None);
        assert!(h.highlights("").is_empty());
    }
}
