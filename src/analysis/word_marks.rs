//! Where in a text a word begins, every so many word positions (a mark).
//!
//! The index knows at which word positions a query's terms stand in a body,
//! not at which bytes. A snippet counts the body's words up to those
//! positions (`search::snippet`); with the marks stored beside the body it
//! starts counting at the mark before each position instead of at the start
//! of the text, which for a long article was most of a search's work.

use tantivy_common::VInt;

use super::german::{Word, Words};

/// A mark every this many positions: an article of 600 words has 18 marks,
/// about 50 bytes, and a position is found after 16 words on average.
pub const STEP: u32 = 32;

/// A word's start: its position (as the analysis counts them) and its byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub position: u32,
    pub byte: usize,
}

/// The marks of a text split into `words`: the first word `STEP` or more
/// positions after the last mark (the start of the text is no mark), encoded
/// as the differences from one to the next.
pub fn encode(words: &[Word]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut last = Mark {
        position: 0,
        byte: 0,
    };
    let mut position = 0;
    for word in words {
        if position >= last.position + STEP {
            VInt(u64::from(position - last.position)).serialize_into_vec(&mut out);
            VInt((word.start - last.byte) as u64).serialize_into_vec(&mut out);
            last = Mark {
                position,
                byte: word.start,
            };
        }
        position += word.positions();
    }
    out
}

/// The marks `encode` wrote, in order; `None` when the bytes are no marks.
pub fn decode(mut bytes: &[u8]) -> Option<Vec<Mark>> {
    let mut marks = Vec::new();
    let mut last = Mark {
        position: 0,
        byte: 0,
    };
    while !bytes.is_empty() {
        let position = VInt::deserialize_u64(&mut bytes).ok()?;
        let byte = VInt::deserialize_u64(&mut bytes).ok()?;
        last = Mark {
            position: last.position.checked_add(u32::try_from(position).ok()?)?,
            byte: last.byte.checked_add(usize::try_from(byte).ok()?)?,
        };
        marks.push(last);
    }
    Some(marks)
}

/// The words of a text, each with its position as the index counts them,
/// walked from the mark before each position sought rather than from the
/// start of the text.
pub struct MarkedWords<'a> {
    text: &'a str,
    /// Where `text` starts in the text the marks are of.
    base: usize,
    marks: &'a [Mark],
    /// The first mark past the last position sought.
    mark: usize,
    words: Words<'a>,
    /// The position of the next word.
    position: u32,
}

impl<'a> MarkedWords<'a> {
    /// The words of `text`, which starts at byte `base` and word position
    /// `first` of the text whose marks are `marks`.
    pub fn new(text: &'a str, base: usize, first: u32, marks: &'a [Mark]) -> MarkedWords<'a> {
        MarkedWords {
            text,
            base,
            marks,
            mark: 0,
            words: Words::new(text),
            position: first,
        }
    }

    /// The next word and its position, after a jump to the last mark at or
    /// before `sought` where that mark is ahead of the next word.
    #[inline]
    pub fn next_toward(&mut self, sought: u32) -> Option<(u32, Word<'a>)> {
        while self
            .marks
            .get(self.mark)
            .is_some_and(|m| m.position <= sought)
        {
            self.mark += 1;
        }
        if let Some(before) = self.mark.checked_sub(1).map(|m| self.marks[m])
            && before.position > self.position
            && let Some(at) = before.byte.checked_sub(self.base)
            && at < self.text.len()
            && self.text.is_char_boundary(at)
        {
            self.words = Words::starting_at(self.text, at);
            self.position = before.position;
        }
        let word = self.words.next()?;
        let at = self.position;
        self.position += word.positions();
        Some((at, word))
    }

    /// The position after the last word given.
    pub fn position(&self) -> u32 {
        self.position
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::german::{Words, words};

    #[test]
    fn each_mark_is_where_the_words_at_its_position_begin() {
        let text = "Die Ukraine-Krieg-Berichte, O'Briens Notizen und 1.500 Soldaten. ".repeat(40);
        let words = words(&text);
        let marks = decode(&encode(&words)).expect("marks");
        assert!(marks.len() >= 10, "{}", marks.len());
        let mut starts = Vec::new();
        let mut position = 0;
        for word in &words {
            starts.push((position, word.start));
            position += word.positions();
        }
        for pair in marks.windows(2) {
            let apart = pair[1].position - pair[0].position;
            assert!((STEP..STEP + 3).contains(&apart), "{pair:?}");
        }
        for mark in &marks {
            assert!(starts.contains(&(mark.position, mark.byte)), "{mark:?}");
            // Counting from the mark finds the same words as from the start.
            let from_mark: Vec<&str> = Words::starting_at(&text, mark.byte)
                .map(|w| w.text)
                .collect();
            let index = starts.iter().position(|s| s.1 == mark.byte).unwrap();
            let from_start: Vec<&str> = words[index..].iter().map(|w| w.text).collect();
            assert_eq!(from_mark, from_start);
        }
    }

    #[test]
    fn a_short_text_has_no_marks_and_bad_bytes_are_no_marks() {
        assert!(encode(&words("Nur ein paar Worte.")).is_empty());
        assert_eq!(decode(&[]), Some(Vec::new()));
        assert_eq!(decode(&[0x05]), None);
    }
}
