//! A body analysed once at ingest (where entity recognition reuses its words
//! and terms) reaches the index as text: its tokens written one after the
//! other, read back by the body field's tokenizer. tantivy's own
//! pre-tokenized values travel through JSON inside its documents, which costs
//! more than analysing the text again.
//!
//! A token is `term US position-step US start-step US length RS`, the steps
//! counted from the token before. Terms are made of word characters, so they
//! never hold the two separators.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use std::borrow::Cow;

use super::german::{TermText, Word, visit_terms, word_terms};

/// The name the body field's tokenizer is registered under.
pub const PRE_ANALYZED_NAME: &str = "archiv_german_preanalyzed";

const FIELD_SEP: u8 = 0x1f;
const TOKEN_END: u8 = 0x1e;

/// A body's analysis as the index takes it: its tokens for the body field
/// and where its words begin (`word_marks`), stored beside it.
#[derive(Debug, Clone)]
pub struct AnalyzedBody {
    pub tokens: String,
    pub marks: Vec<u8>,
}

impl AnalyzedBody {
    /// The analysis of a text split into `words`, whose `word_terms` are made.
    pub fn new(text: &str, words: &[Word], terms: &[Option<TermText>]) -> AnalyzedBody {
        AnalyzedBody {
            tokens: encode_with_terms(text, words, terms),
            marks: super::word_marks::encode(words),
        }
    }

    pub fn of_text(text: &str) -> AnalyzedBody {
        let words = super::german::words(text);
        AnalyzedBody::new(text, &words, &word_terms(&words))
    }
}

/// A text's analysis, encoded for the body field, from its words and their `word_terms`.
pub fn encode_with_terms(text: &str, words: &[Word], terms: &[Option<TermText>]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len() + 4 * words.len());
    let (mut position, mut start) = (0, 0);
    visit_terms(
        text,
        words,
        |i, _| terms[i].as_deref().map(Cow::Borrowed),
        &|_| true,
        |term| {
            // Positions and starts never go back: a compound's whole and its
            // first part share both, later parts follow.
            out.extend_from_slice(term.text.as_bytes());
            out.push(FIELD_SEP);
            push_number(&mut out, term.position - position);
            out.push(FIELD_SEP);
            push_number(&mut out, term.start - start);
            out.push(FIELD_SEP);
            push_number(&mut out, term.end - term.start);
            out.push(TOKEN_END);
            position = term.position;
            start = term.start;
        },
    );
    String::from_utf8(out).expect("terms are UTF-8, the rest ASCII")
}

/// Decimal digits by hand: `write!` costs more than the rest of the encoding.
fn push_number(out: &mut Vec<u8>, number: usize) {
    if number < 10 {
        out.push(b'0' + number as u8);
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number;
    while rest > 0 {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out.extend_from_slice(&digits[at..]);
}

/// Reads the tokens `encode_with_terms` wrote.
#[derive(Clone, Default)]
pub struct PreAnalyzedTokenizer;

pub struct PreAnalyzedStream<'a> {
    rest: &'a str,
    token: Token,
    started: bool,
}

impl Tokenizer for PreAnalyzedTokenizer {
    type TokenStream<'a> = PreAnalyzedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreAnalyzedStream<'a> {
        PreAnalyzedStream {
            rest: text,
            token: Token::default(),
            started: false,
        }
    }
}

impl<'a> PreAnalyzedStream<'a> {
    /// The next token's fields, or `None` at the end (or on text `encode_with_terms` did not write).
    fn next_fields(&mut self) -> Option<(&'a str, usize, usize, usize)> {
        let bytes = self.rest.as_bytes();
        // The separators are ASCII, so a byte search finds them inside any UTF-8.
        let term_end = memchr::memchr(FIELD_SEP, bytes)?;
        let text = &self.rest[..term_end];
        let mut at = term_end;
        let mut number = |end: u8| -> Option<usize> {
            at += 1;
            let mut value = 0usize;
            let digits_from = at;
            while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
                value = value.checked_mul(10)?.checked_add(usize::from(b - b'0'))?;
                at += 1;
            }
            (at > digits_from && bytes.get(at) == Some(&end)).then_some(value)
        };
        let position_step = number(FIELD_SEP)?;
        let start_step = number(FIELD_SEP)?;
        let len = number(TOKEN_END)?;
        self.rest = &self.rest[at + 1..];
        Some((text, position_step, start_step, len))
    }
}

impl TokenStream for PreAnalyzedStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((text, position_step, start_step, len)) = self.next_fields() else {
            self.rest = "";
            return false;
        };
        let (position, start) = if self.started {
            (self.token.position, self.token.offset_from)
        } else {
            (0, 0)
        };
        self.started = true;
        self.token.text.clear();
        self.token.text.push_str(text);
        self.token.position = position + position_step;
        self.token.offset_from = start + start_step;
        self.token.offset_to = self.token.offset_from + len;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::german::{analyze, words};

    fn decoded(encoded: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = PreAnalyzedTokenizer;
        let mut stream = tokenizer.token_stream(encoded);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn the_index_reads_what_the_analyzer_made() {
        let text = "Die US-Außenamtssprecherin und 1.500 nordkoreanische Soldaten, \
                    Pistorius' Besuch in Kyjiw – Straße der Einheit.";
        let expected: Vec<(String, usize, usize, usize)> = analyze(text)
            .into_iter()
            .map(|t| (t.text, t.position, t.start, t.end))
            .collect();
        assert!(expected.len() > 10);
        let split = words(text);
        assert_eq!(decoded(&AnalyzedBody::of_text(text).tokens), expected);
        let terms = word_terms(&split);
        assert_eq!(decoded(&encode_with_terms(text, &split, &terms)), expected);
    }

    #[test]
    fn text_it_did_not_write_gives_no_tokens() {
        assert!(decoded("").is_empty());
        assert!(decoded("plain words, never encoded").is_empty());
        assert!(decoded("wort\u{1f}x\u{1f}0\u{1f}4\u{1e}").is_empty());
    }
}
