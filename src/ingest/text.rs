//! Plain-text articles (`.txt`, `.text`, `.md`): a copy of a web article,
//! perhaps with a headline line, perhaps with a date line.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::article::{Article, Shape};
use crate::entities::dates;

/// Reads like a headline: short, not a sentence that ends in a period, no
/// sentence break inside, and something follows it.
fn is_headline(line: &str) -> bool {
    let line = line.trim().trim_start_matches('#').trim();
    let words = line.split_whitespace().count();
    if line.is_empty() || line.chars().count() > 120 || words > 18 {
        return false;
    }
    let ends_sentence = (line.ends_with('.') && !line.ends_with(".."))
        || line.ends_with(',')
        || line.ends_with(';');
    let starts_upper = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || "„\"'‚»".contains(c));
    !ends_sentence && starts_upper && !has_sentence_break(line)
}

/// `… Vance. Weiter geht …`: a period after a word of four letters or more
/// (not an abbreviation or ordinal), followed by a capitalised word.
fn has_sentence_break(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).any(|pair| {
        let (word, next) = (pair[0], pair[1]);
        word.ends_with('.')
            && !word.ends_with("..")
            && word
                .trim_end_matches('.')
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 4
            && next.chars().next().is_some_and(char::is_uppercase)
    })
}

/// A teaser copied above the article repeats the start of a later paragraph.
fn repeats_later(first: &str, rest: &str) -> bool {
    let stem = first
        .trim()
        .trim_end_matches('.')
        .trim_end_matches('…')
        .trim();
    stem.chars().count() >= 40 && rest.lines().any(|l| l.trim().starts_with(stem))
}

/// The first sentence of a text, cut to a display length.
pub fn first_sentence(body: &str) -> Option<String> {
    let para = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let mut end = para.len();
    for (i, c) in para.char_indices() {
        if matches!(c, '.' | '!' | '?') && i > 20 {
            let next = para[i + c.len_utf8()..].chars().next();
            if next.is_none_or(char::is_whitespace) {
                end = i + c.len_utf8();
                break;
            }
        }
    }
    let sentence = &para[..end];
    Some(truncate_chars(sentence, 120))
}

pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The title a file name carries when the text has none: a web address's
/// slug as saved (`2024-04-21-joko-und-klaas-regieren-prosieben-04341.txt`)
/// or a page title (`Joko und Klaas regieren ProSieben.txt`). Each word is
/// spelt as the text spells it (`ProSieben`, `München` for `muenchen`,
/// `Ampel-Koalition` for `ampel-koalition`); a word the text lacks keeps the
/// name's spelling. `None` unless at least two words, and more than half of
/// them, are found in the text: `notizen.txt` or `scan_0001.txt` is no title.
pub fn title_from_file_name(file_name: &str, text: &str) -> Option<String> {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let words = name_words(stem);
    // Slugs are cut at a length (60 characters in many systems), perhaps
    // inside a word; a short name is whole.
    let maybe_cut = words.iter().map(|w| w.len() + 1).sum::<usize>() > 50;
    if words.len() < 2 {
        return None;
    }
    let spellings = TextSpellings::new(&words, text);
    let mut out: Vec<String> = Vec::new();
    let mut found = 0;
    let mut i = 0;
    while i < words.len() {
        // `ampel-koalition` is one word of the text, `Ampel-Koalition`.
        let joined = (2..=3.min(words.len() - i)).rev().find_map(|n| {
            let key = words[i..i + n].join("-");
            spellings.exact(&key).map(|s| (n, s))
        });
        if let Some((n, spelling)) = joined {
            out.push(spelling);
            found += n;
            i += n;
            continue;
        }
        let word = &words[i];
        let cut_last = maybe_cut && i + 1 == words.len();
        if cut_last && out.len() >= 2 && word.chars().count() == 1 {
            // `…-rollen-nicht-s`: a name cut inside its last word.
            if let Some(previous) = out.last_mut() {
                previous.push_str(" …");
            }
        } else if let Some(spelling) = spellings.exact(word) {
            out.push(spelling);
            found += 1;
        } else if let Some(prefix) = spellings.prefix(word) {
            // `suedkorea` of `Südkoreas`; at the end, a word the name cut short.
            out.push(if cut_last {
                format!("{prefix}…")
            } else {
                prefix
            });
            found += 1;
        } else if cut_last && word.chars().count() <= 2 && out.len() >= 2 {
            // `…-auf-eis-ist-e`: a name cut inside its last word.
            if let Some(previous) = out.last_mut() {
                previous.push_str(" …");
            }
        } else {
            out.push(word.clone());
        }
        i += 1;
    }
    if found < 2 || found * 2 <= words.len() {
        return None;
    }
    let mut title = out.join(" ");
    if let Some(first) = title.chars().next().filter(|c| c.is_lowercase()) {
        title = first.to_uppercase().chain(title.chars().skip(1)).collect();
    }
    Some(title)
}

/// The words of a file name without its leading date and trailing number.
fn name_words(stem: &str) -> Vec<String> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    let date =
        DATE.get_or_init(|| Regex::new(r"^(?:\d{4}-\d{2}-\d{2}|\d{8})(?:[-_. T]|$)").unwrap());
    let number = NUMBER.get_or_init(|| Regex::new(r"[-_ ]\d+$").unwrap());
    let stem = date.replace(stem, "");
    let stem = number.replace(&stem, "");
    stem.split(['-', '_', ' ', '+'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How the words of a text are spelt, for the words of a file name: each
/// text word folded as names fold it (lower case, `ä` as `ae` or `a`, no
/// accents), with how often each spelling stands (inside a sentence twice
/// what it counts opening one).
struct TextSpellings {
    /// Folded name word → spelling → count, in the order first seen.
    exact: HashMap<String, Vec<(String, usize)>>,
    prefixes: HashMap<String, Vec<(String, usize)>>,
}

impl TextSpellings {
    fn new(name_words: &[String], text: &str) -> TextSpellings {
        let wanted: HashSet<String> = name_words
            .iter()
            .flat_map(|w| [fold_name(w, true), fold_name(w, false)])
            .collect();
        let mut joined_wanted = HashSet::new();
        for n in 2..=3 {
            for window in name_words.windows(n) {
                joined_wanted.insert(fold_name(&window.join("-"), true));
            }
        }
        let mut spellings = TextSpellings {
            exact: HashMap::new(),
            prefixes: HashMap::new(),
        };
        let prefix_keys: Vec<String> = name_words
            .iter()
            .filter(|w| w.chars().count() >= 4)
            .map(|w| fold_name(w, true))
            .collect();
        // Only a word whose folding starts as a key's does can count: most
        // words of the text are passed over without folding them whole.
        let mut initials = [false; 256];
        for key in wanted.iter().chain(&joined_wanted).chain(&prefix_keys) {
            if let Some(&first) = key.as_bytes().first() {
                initials[usize::from(first)] = true;
            }
        }
        let mut sentence_start = true;
        for piece in text.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let token = piece
                .trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '-'))
                .trim_matches('-');
            // `Die` opening a sentence is `die` in a title.
            let weight = if sentence_start { 1 } else { 2 };
            let end = piece.chars().next_back().unwrap_or(' ');
            if !token.is_empty() || !end.is_whitespace() {
                sentence_start = matches!(end, '.' | '!' | '?' | ':' | '„' | '"' | '»');
            }
            if token.is_empty()
                || !first_folded_byte(token).is_some_and(|b| initials[usize::from(b)])
            {
                continue;
            }
            let with_e = fold_name(token, true);
            let without_e = fold_name(token, false);
            // A word without umlauts folds alike either way: look at it once.
            let folds = [(true, with_e), (false, without_e)];
            let distinct = if folds[0].1 == folds[1].1 { 1 } else { 2 };
            for (umlaut_e, folded) in folds.into_iter().take(distinct) {
                if wanted.contains(&folded) || joined_wanted.contains(&folded) {
                    count(spellings.exact.entry(folded).or_default(), token, weight);
                    break;
                }
                for key in &prefix_keys {
                    if folded.len() > key.len()
                        && folded.starts_with(key.as_str())
                        && let Some(prefix) = prefix_folding_to(token, key.len(), umlaut_e)
                    {
                        count(
                            spellings.prefixes.entry(key.clone()).or_default(),
                            prefix,
                            weight,
                        );
                    }
                }
            }
        }
        spellings
    }

    fn exact(&self, word: &str) -> Option<String> {
        [true, false]
            .iter()
            .find_map(|&e| most_frequent(self.exact.get(&fold_name(word, e))?))
    }

    fn prefix(&self, word: &str) -> Option<String> {
        most_frequent(self.prefixes.get(&fold_name(word, true))?)
    }
}

fn count(spellings: &mut Vec<(String, usize)>, spelling: &str, weight: usize) {
    match spellings.iter_mut().find(|(s, _)| s == spelling) {
        Some((_, n)) => *n += weight,
        None => spellings.push((spelling.to_string(), weight)),
    }
}

/// The spelling seen most often, the first of equals.
fn most_frequent(spellings: &[(String, usize)]) -> Option<String> {
    let max = spellings.iter().map(|(_, n)| *n).max()?;
    spellings
        .iter()
        .find(|(_, n)| *n == max)
        .map(|(s, _)| s.clone())
}

/// The first byte of `fold_name(word, …)` (the same with or without `e`
/// after umlauts), folding no more of the word than it takes.
fn first_folded_byte(word: &str) -> Option<u8> {
    let mut out = String::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        push_folded(c, false, &mut out);
        if let Some(&first) = out.as_bytes().first() {
            return Some(first);
        }
    }
    None
}

/// A word as a web address or file name writes it: lower case, `ä` as `ae`
/// (or as `a`), `ß` as `ss`, accents dropped.
fn fold_name(word: &str, umlaut_e: bool) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars().flat_map(char::to_lowercase) {
        push_folded(c, umlaut_e, &mut out);
    }
    out
}

fn push_folded(c: char, umlaut_e: bool, out: &mut String) {
    match c {
        'ä' | 'ö' | 'ü' => {
            out.push(match c {
                'ä' => 'a',
                'ö' => 'o',
                _ => 'u',
            });
            if umlaut_e {
                out.push('e');
            }
        }
        'ß' => out.push_str("ss"),
        c if c.is_ascii() => out.push(c),
        c => out.extend(
            std::iter::once(c)
                .nfd()
                .filter(|d| !unicode_normalization::char::is_combining_mark(*d)),
        ),
    }
}

/// The start of `word` whose folded form is `len` bytes long, if a character
/// ends there.
fn prefix_folding_to(word: &str, len: usize, umlaut_e: bool) -> Option<&str> {
    let mut folded = String::new();
    for (i, c) in word.char_indices() {
        if folded.len() == len {
            return Some(&word[..i]);
        }
        if folded.len() > len {
            return None;
        }
        for lower in c.to_lowercase() {
            push_folded(lower, umlaut_e, &mut folded);
        }
    }
    None
}

/// Parses a plain-text article. `file_name` is the bare file name, for its date.
pub fn parse(address: String, file_name: &str, text: &str, encoding: &'static str) -> Article {
    let mut article = Article::new(address, Shape::Text, encoding);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let first = lines.next().unwrap_or("");
    let rest: String = lines.collect::<Vec<_>>().join("\n");
    let rest_has_text = rest.split_whitespace().nth(5).is_some();
    if rest_has_text
        && is_headline(first)
        && !repeats_later(first, &rest)
        && dates::date_from_text(first).is_none()
    {
        article.title = Some(first.trim().trim_start_matches('#').trim().to_string());
        article.body = rest.trim().to_string();
    } else {
        article.body = text.trim().to_string();
        article.title = title_from_file_name(file_name, &article.body)
            .or_else(|| first_sentence(&article.body));
        article.title_derived = article.title.is_some();
    }
    article.date = dates::date_from_filename(file_name).or_else(|| dates::date_from_text(&text));
    article
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::DateSource;

    const JOKO: &str = "Nachdem die Entertainer Joko und Klaas bei einer TV-Aktion ein Feuerwerk \
        gezündet haben, warnt ihr Sender ProSieben. Joko und Klaas kosten ihre Allmacht bei \
        ProSieben aus.";

    #[test]
    fn slug_gives_title_spelt_as_the_text() {
        assert_eq!(
            title_from_file_name(
                "2024-04-21-joko-und-klaas-regieren-prosieben-04341.txt",
                JOKO
            )
            .as_deref(),
            Some("Joko und Klaas regieren ProSieben")
        );
        let text = "Die Ampel-Koalition ist am Ende. In München und Köln wird gestreikt.";
        assert_eq!(
            title_from_file_name("20241107_ampel-koalition-muenchen-koeln.txt", text).as_deref(),
            Some("Ampel-Koalition München Köln")
        );
        // A page title saved as the file name.
        assert_eq!(
            title_from_file_name("Joko und Klaas regieren ProSieben.txt", JOKO).as_deref(),
            Some("Joko und Klaas regieren ProSieben")
        );
    }

    #[test]
    fn slug_words_cut_or_inflected_take_the_text_form() {
        let text = "Südkoreas Präsident verhängt das Kriegsrecht. Die Opposition spricht von einem \
            Putschversuch gegen die Verfassung des Landes und ruft zu Protesten auf.";
        assert_eq!(
            title_from_file_name("suedkorea-kriegsrecht.txt", text).as_deref(),
            Some("Südkorea Kriegsrecht")
        );
        // Cut at 60 characters inside `Putschversuch` and inside a last word.
        assert_eq!(
            title_from_file_name(
                "2024-12-03-praesident-verhaengt-kriegsrecht-opposition-spricht-von-putschv-1.txt",
                text
            )
            .as_deref(),
            Some("Präsident verhängt Kriegsrecht Opposition spricht von Putschv…")
        );
        assert_eq!(
            title_from_file_name(
                "2024-12-03-praesident-verhaengt-kriegsrecht-die-opposition-spricht-von-e-1.txt",
                text
            )
            .as_deref(),
            Some("Präsident verhängt Kriegsrecht die Opposition spricht von …")
        );
    }

    #[test]
    fn names_that_are_not_titles() {
        for name in [
            "notizen.txt",
            "scan_0001.txt",
            "2024-10-23.txt",
            "ohne-titel.txt",
        ] {
            assert_eq!(title_from_file_name(name, JOKO), None, "{name}");
        }
        // Words of another text: two of five found is not the title.
        assert_eq!(
            title_from_file_name("hochwasser-in-wien-und-klaas.txt", JOKO),
            None
        );
    }

    #[test]
    fn headline_line_becomes_title() {
        let a = parse(
            "a.txt".into(),
            "2024-10-23-x.txt",
            "Nordkoreanische Soldaten in Russland\n\nDer südkoreanische Geheimdienst meldet eine Verlegung von Truppen.\n",
            "UTF-8",
        );
        assert_eq!(
            a.title.as_deref(),
            Some("Nordkoreanische Soldaten in Russland")
        );
        assert!(!a.title_derived);
        assert!(a.body.starts_with("Der südkoreanische"));
        assert_eq!(a.date.unwrap().source, DateSource::Filename);
    }

    #[test]
    fn no_title_line_gives_derived_title() {
        let text = "„Dem Botschafter wurde klargemacht, dass das inakzeptabel ist“, hieß es aus dem Ministerium in Wien. Weiter hieß es, man sei besorgt.\n\nZweiter Absatz mit mehr Text.";
        let a = parse("a.txt".into(), "a.txt", text, "UTF-8");
        assert!(a.title_derived);
        assert!(a.title.unwrap().ends_with("Wien."));
        assert!(a.body.starts_with("„Dem Botschafter"));
        assert!(a.date.is_none());
    }

    #[test]
    fn date_line_in_text() {
        let a = parse(
            "a.txt".into(),
            "vertrauensfrage.txt",
            "Scholz stellt die Vertrauensfrage\n\nStand: 16.12.2024 18:00 Uhr\n\nDer Bundestag hat dem Kanzler das Vertrauen entzogen.",
            "UTF-8",
        );
        assert_eq!(a.date.unwrap().date.to_string(), "2024-12-16");
        assert_eq!(a.date.unwrap().source, DateSource::Text);
    }
}
