//! Words of a text as entity recognition sees them: with their case, whether
//! they start a sentence, and their hyphen parts.

use std::borrow::Cow;

use crate::analysis::german::{TermText, Word, term_for_word, words};

#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub text: &'a str,
    /// The analyzer's term of a word without hyphens (`None` for a stop
    /// word, and always for a hyphenated word).
    pub term: Option<Cow<'a, str>>,
    /// Starts a sentence, a line or a quotation: its capital says nothing.
    pub sentence_start: bool,
    /// Punctuation stands between this word and the one before (`Wiens, Stefan`).
    pub after_punct: bool,
    /// The parts of a hyphenated word (`US-Außenamtssprecher` → `US`,
    /// `Außenamtssprecher`); empty for a word without hyphens.
    pub parts: Vec<&'a str>,
}

impl Token<'_> {
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Lines that credit a photo or an agency (`APA/AFP/Justin Tallis`,
/// `dpa/Oleh Dmytrenko`, `Foto: Reuters`): their names are not actors.
pub fn is_credit_line(line: &str) -> bool {
    let line = line.trim();
    // Eight words at most: a long line (most paragraphs) is no credit.
    if line.is_empty() || line.len() > 320 || line.split_whitespace().nth(8).is_some() {
        return false;
    }
    let lower = line.to_lowercase();
    if ["foto:", "bild:", "fotos:", "quelle:", "©", "(c)"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    line.contains('/')
        && !line.ends_with('.')
        && line.split('/').all(|seg| {
            !seg.trim().is_empty()
                && seg
                    .trim()
                    .chars()
                    .all(|c| c.is_alphabetic() || " .-'".contains(c))
        })
}

/// Credits after a marker: `© Lea Dohle/ZEIT ONLINE`, `Quelle: AP/Lewis Joly`,
/// `Foto: dpa`: the marker, a capitalised word, then up to six more parts,
/// each `/ word [Word]` or ` Word`.
fn marked_credits(line: &str) -> Vec<std::ops::Range<usize>> {
    const COLON_MARKERS: &[&str] = &["Quelle:", "Foto:", "Fotos:", "Bild:", "Bilder:", "Credit:"];
    let name_char = |c: char| c.is_alphabetic() || matches!(c, '.' | '\'' | '-');
    // The length of the word at the start of `s` (name characters only).
    let word_len = |s: &str| -> usize {
        s.char_indices()
            .find(|&(_, c)| !name_char(c))
            .map_or(s.len(), |(i, _)| i)
    };
    let capitalised_len = |s: &str| -> usize {
        if s.starts_with(char::is_uppercase) {
            word_len(s)
        } else {
            0
        }
    };
    // Markers as (start, end): each `©`, and each colon that ends a marker
    // word (one pass over the line, not one per marker).
    let markers = line
        .match_indices('©')
        .map(|(at, m)| (at, at + m.len()))
        .chain(
            memchr::memchr_iter(b':', line.as_bytes()).filter_map(|colon| {
                let upto = &line[..=colon];
                COLON_MARKERS
                    .iter()
                    .find(|m| upto.ends_with(*m))
                    .map(|m| (colon + 1 - m.len(), colon + 1))
            }),
        );
    let mut spans = Vec::new();
    for (at, marker_end) in markers {
        let mut end = marker_end;
        end += line[end..].len() - line[end..].trim_start().len();
        let first = capitalised_len(&line[end..]);
        if first == 0 {
            continue;
        }
        end += first;
        for _ in 0..6 {
            let rest = &line[end..];
            let spaced = rest.trim_start_matches([' ', '\u{200B}']);
            if let Some(after_slash) = spaced.strip_prefix('/') {
                let after = after_slash.trim_start_matches([' ', '\u{200B}']);
                let word = word_len(after);
                if word == 0 {
                    break;
                }
                end = line.len() - after.len() + word;
                if let Some(next) = line[end..].strip_prefix(' ') {
                    let more = capitalised_len(next);
                    if more > 0 {
                        end += 1 + more;
                    }
                }
            } else if let Some(next) = rest.strip_prefix(' ') {
                let more = capitalised_len(next);
                if more == 0 {
                    break;
                }
                end += 1 + more;
            } else {
                break;
            }
        }
        spans.push(at..end);
    }
    spans
}

/// A caption ending in its credit: `… vor dem Hauptquartier. Ariel Schalit / AP`:
/// one to four capitalised words, a slash, then only name characters, eight
/// words at most, from a sentence start to the line's end. (By hand: a regex
/// with Unicode classes, run on every line with a slash, cost more than all
/// the rest of entity recognition.)
fn trailing_credit(line: &str) -> Option<std::ops::Range<usize>> {
    let body = line.trim_end();
    if !body.contains('/') {
        return None;
    }
    let name_char = |c: char| c.is_alphabetic() || matches!(c, '.' | '\'' | '-');
    let credit_at = |start: usize| -> bool {
        let candidate = &body[start..];
        if candidate.split_whitespace().nth(8).is_some() {
            return false;
        }
        let Some(slash) = candidate.find('/') else {
            return false;
        };
        let names: Vec<&str> = candidate[..slash].split_whitespace().collect();
        let rest = &candidate[slash + 1..];
        (1..=4).contains(&names.len())
            && names
                .iter()
                .all(|w| w.starts_with(char::is_uppercase) && w.chars().all(name_char))
            && rest.chars().any(char::is_alphabetic)
            && rest
                .chars()
                .all(|c| name_char(c) || c == '/' || c.is_whitespace())
    };
    // Sentence starts from the left: the longest credit wins.
    let mut starts = vec![0];
    for (i, c) in body.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let after = &body[i + 1..];
            let gap = after.len() - after.trim_start().len();
            if gap > 0 {
                starts.push(i + 1 + gap);
            }
        }
    }
    starts
        .into_iter()
        .find(|&start| start < body.len() && credit_at(start))
        .map(|start| start..body.len())
}

/// Byte ranges of parenthesised credits inside a line: `(Evelyn Hockstein /
/// Pool Reuters / AP)` at the end of a caption.
fn credit_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    // `©` is the only non-ASCII character with the byte 0xA9 after 0xC2;
    // a stray match only costs the checks below.
    if memchr::memchr3(b'/', b':', 0xA9, line.as_bytes()).is_none() {
        return spans;
    }
    spans.extend(marked_credits(line));
    if let Some(range) = trailing_credit(line) {
        spans.push(range);
    }
    let mut from = 0;
    while let Some(open) = line[from..].find('(').map(|o| o + from) {
        let Some(close) = line[open..].find(')').map(|c| c + open) else {
            break;
        };
        if is_credit_line(&line[open + 1..close]) && line[open + 1..close].contains('/') {
            spans.push(open..close);
        }
        from = close + 1;
    }
    spans
}

/// Tokens of the text outside credit lines.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    tokens_of_words(text, &words(text), None)
}

/// Tokens of a text already split into `words` (of that text), with their
/// `word_terms` when the caller has them. Words never span lines, so each
/// line takes the words that start in it.
pub fn tokens_of_words<'a>(
    text: &'a str,
    words: &[Word<'a>],
    terms: Option<&'a [Option<TermText>]>,
) -> Vec<Token<'a>> {
    let mut out = Vec::with_capacity(words.len());
    push_tokens_of_words(&mut out, text, words, terms);
    out
}

/// As `tokens_of_words`, appended to `out` (a title's tokens and then the
/// body's, without moving the body's).
pub fn push_tokens_of_words<'a>(
    out: &mut Vec<Token<'a>>,
    text: &'a str,
    words: &[Word<'a>],
    terms: Option<&'a [Option<TermText>]>,
) {
    let mut next_word = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let offset = line_start;
        line_start += line.len();
        let first = next_word;
        while next_word < words.len() && words[next_word].start < line_start {
            next_word += 1;
        }
        let line_words = &words[first..next_word];
        if line_words.is_empty() || is_credit_line(line) {
            continue;
        }
        let credits = credit_spans(line);
        let mut prev_end = 0;
        for (n, word) in line_words.iter().enumerate() {
            let start = word.start - offset;
            if credits.iter().any(|r| r.contains(&start)) {
                continue;
            }
            let between = &line[prev_end..start];
            // Most words follow one space: nothing to look at.
            let plain_gap = between == " ";
            let sentence_start = prev_end == 0
                || !plain_gap
                    && between
                        .contains(['.', '!', '?', ':', '„', '"', '“', '»', '«', '(', '–', '—'])
                    && !between.trim().is_empty();
            let after_punct = !plain_gap && !between.trim().is_empty();
            prev_end = start + word.text.len();
            let term = if !word.parts.is_empty() {
                None
            } else if let Some(terms) = terms {
                terms[first + n].as_deref().map(Cow::Borrowed)
            } else {
                term_for_word(word.text).map(Cow::Owned)
            };
            out.push(Token {
                after_punct,
                text: word.text,
                term,
                sentence_start,
                parts: if word.parts.is_empty() {
                    Vec::new()
                } else {
                    word.parts.iter().map(|&(s, e)| &text[s..e]).collect()
                },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits() {
        assert!(is_credit_line("APA/AFP/Justin Tallis"));
        assert!(is_credit_line("dpa/Oleh Dmytrenko"));
        assert!(!is_credit_line(
            "Russland und Nordkorea haben ihre Beziehungen ausgebaut."
        ));
        assert!(!is_credit_line("Die Bundeswehr/Marine übt."));
        let t = tokens("Rubio und Lawrow in Riad (Evelyn Hockstein / Pool Reuters / AP)");
        assert!(!t.iter().any(|t| t.text == "Hockstein"));
        for line in [
            "Soldaten vor dem Hauptquartier. Ariel Schalit / AP",
            "Jubel nach dem Titel Quelle: AP/Lewis Joly",
            "© Lea Dohle/ZEIT ONLINE",
        ] {
            let names: Vec<&str> = tokens(line).iter().map(|t| t.text).collect();
            assert!(
                !names.contains(&"Schalit")
                    && !names.contains(&"Joly")
                    && !names.contains(&"Dohle"),
                "{line}: {names:?}"
            );
        }
    }

    #[test]
    fn credits_keep_the_story() {
        // The credit goes, the sentence before it stays.
        let line = "Der Kanzler traf die Ministerin in Berlin. Kay Nietfeld / dpa";
        let names: Vec<&str> = tokens(line).iter().map(|t| t.text).collect();
        assert!(names.contains(&"Kanzler") && names.contains(&"Berlin"));
        assert!(!names.contains(&"Nietfeld"), "{names:?}");
        // A slash inside a sentence is no credit.
        let line = "Die Preise stiegen um 5 Prozent pro Jahr / Monat, sagte Anna Berger.";
        let names: Vec<&str> = tokens(line).iter().map(|t| t.text).collect();
        assert!(names.contains(&"Berger"), "{names:?}");
        // A marker credits the names after it, not the words before it.
        let line = "Olaf Scholz in Brüssel. Foto: Reuters/Yves Herman";
        let names: Vec<&str> = tokens(line).iter().map(|t| t.text).collect();
        assert!(names.contains(&"Scholz"), "{names:?}");
        assert!(!names.contains(&"Herman"), "{names:?}");
    }

    #[test]
    fn sentence_starts() {
        let t = tokens("Der Minister sagte: Russland sei bereit. Dann ging er.\nNeue Zeile");
        let starts: Vec<&str> = t
            .iter()
            .filter(|t| t.sentence_start)
            .map(|t| t.text)
            .collect();
        assert_eq!(starts, vec!["Der", "Russland", "Dann", "Neue"]);
    }
}
