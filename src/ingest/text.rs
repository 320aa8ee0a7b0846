//! Plain-text articles (`.txt`, `.text`, `.md`): a copy of a web article,
//! perhaps with a headline line, perhaps with a date line.

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
        article.title = first_sentence(&article.body);
        article.title_derived = article.title.is_some();
    }
    article.date = dates::date_from_filename(file_name).or_else(|| dates::date_from_text(&text));
    article
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::DateSource;

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
