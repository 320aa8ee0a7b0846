//! Words of a text as entity recognition sees them: with their case, whether
//! they start a sentence, and their hyphen parts.

use crate::analysis::german::words;

#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
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
    if line.is_empty() || line.split_whitespace().nth(8).is_some() {
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

/// Byte ranges of parenthesised credits inside a line: `(Evelyn Hockstein /
/// Pool Reuters / AP)` at the end of a caption.
fn credit_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    use std::sync::OnceLock;
    static MARKED: OnceLock<regex::Regex> = OnceLock::new();
    static TRAILING: OnceLock<regex::Regex> = OnceLock::new();
    let mut spans = Vec::new();
    // `©` is the only non-ASCII character with the byte 0xA9 after 0xC2;
    // a stray match only costs the checks below.
    if memchr::memchr3(b'/', b':', 0xA9, line.as_bytes()).is_none() {
        return spans;
    }
    // `© Lea Dohle/ZEIT ONLINE`, `Quelle: AP/Lewis Joly`, `Foto: dpa`.
    let marked = MARKED.get_or_init(|| {
        regex::Regex::new(
            r"(?:©|(?:Quelle|Foto|Fotos|Bild|Bilder|Credit):)\s*\p{Lu}[\p{L}.'-]*(?:[ \u{200B}]*/[ \u{200B}]*[\p{L}.'-]+(?: [\p{Lu}][\p{L}.'-]*)?| \p{Lu}[\p{L}.'-]*){0,6}",
        )
        .expect("valid regex")
    });
    // A caption ending in its credit: `… vor dem Hauptquartier. Ariel Schalit / AP`.
    let trailing = TRAILING.get_or_init(|| {
        regex::Regex::new(
            r"(?:^|[.!?]\s+)(\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*){0,3}\s*/\s*[\p{L}.' /-]+)\s*$",
        )
        .expect("valid regex")
    });
    // The regexes only where they can match: most lines with a colon credit nothing.
    let has_marker = line.contains('©')
        || ["Quelle:", "Foto:", "Fotos:", "Bild:", "Bilder:", "Credit:"]
            .iter()
            .any(|m| line.contains(m));
    if has_marker {
        spans.extend(marked.find_iter(line).map(|m| m.range()));
    }
    if let Some(c) = line
        .contains('/')
        .then(|| trailing.captures(line))
        .flatten()
        .and_then(|c| c.get(1))
        .filter(|c| c.as_str().split_whitespace().count() <= 8)
    {
        spans.push(c.range());
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
    let mut out = Vec::with_capacity(text.len() / 7);
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let offset = line_start;
        line_start += line.len();
        if is_credit_line(line) {
            continue;
        }
        let credits = credit_spans(line);
        let mut prev_end = 0;
        for word in words(line) {
            if credits.iter().any(|r| r.contains(&word.start)) {
                continue;
            }
            let between = &line[prev_end..word.start];
            let sentence_start = prev_end == 0
                || between.contains(['.', '!', '?', ':', '„', '"', '“', '»', '«', '(', '–', '—'])
                    && !between.trim().is_empty();
            let after_punct = !between.trim().is_empty();
            prev_end = word.start + word.text.len();
            out.push(Token {
                after_punct,
                text: word.text,
                start: offset + word.start,
                end: offset + prev_end,
                sentence_start,
                parts: word.parts.iter().map(|&(s, e)| &line[s..e]).collect(),
            });
        }
    }
    out
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
