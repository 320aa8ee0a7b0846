//! Publication dates: from metadata strings, file names and explicit date
//! lines in the text. Only dates that say they are the article's date count:
//! a weekday (`am Mittwoch`) or a date in the middle of a sentence never does.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use regex::Regex;

use crate::article::{DateSource, Granularity, PubDate};

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
];

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase().replace("ae", "ä");
    let lower = lower.trim_end_matches('.');
    if lower == "jänner" {
        return Some(1);
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() >= 3 && m.starts_with(lower) && lower != "ma"))
        .map(|i| i as u32 + 1)
}

fn plausible(date: NaiveDate) -> bool {
    (1900..=2100).contains(&chrono::Datelike::year(&date))
}

fn day(date: NaiveDate, source: DateSource) -> Option<PubDate> {
    plausible(date).then_some(PubDate {
        date,
        granularity: Granularity::Day,
        source,
    })
}

/// Parses a date as metadata gives it: ISO 8601 with or without time and
/// zone, `2024-11-05 18:30:00`, RFC 2822, `23.10.2024`, Unix seconds.
pub fn parse_metadata_date(value: &str) -> Option<PubDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let source = DateSource::Metadata;
    if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        return day(dt.date_naive(), source);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(value) {
        return day(dt.date_naive(), source);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(value, format) {
            return day(dt.date(), source);
        }
    }
    if let Ok(dt) = DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return day(dt.date_naive(), source);
    }
    for format in ["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(value, format) {
            return day(d, source);
        }
    }
    // `get`: the tenth byte may fall inside a character (`2023-06-0•1`).
    if let Some(head) = value.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
    {
        return day(d, source);
    }
    if value.len() == 7
        && let Ok(d) = NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d")
    {
        return plausible(d).then_some(PubDate {
            date: d,
            granularity: Granularity::Month,
            source,
        });
    }
    if value.len() == 4
        && let Ok(year) = value.parse::<i32>()
    {
        return NaiveDate::from_ymd_opt(year, 1, 1)
            .filter(|d| plausible(*d))
            .map(|date| PubDate {
                date,
                granularity: Granularity::Year,
                source,
            });
    }
    if let Ok(secs) = value.parse::<i64>() {
        // Unix time in seconds or milliseconds.
        let secs = if secs > 100_000_000_000 {
            secs / 1000
        } else {
            secs
        };
        return DateTime::from_timestamp(secs, 0).and_then(|dt| day(dt.date_naive(), source));
    }
    None
}

/// A date at the start of a file name: `2024-10-23-slug.txt`, `20241023_slug.txt`.
pub fn date_from_filename(name: &str) -> Option<PubDate> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:(\d{4})-(\d{2})-(\d{2})|(\d{4})(\d{2})(\d{2}))(?:[-_. T]|$)").unwrap()
    });
    let caps = re.captures(name)?;
    let num = |a: usize, b: usize| caps.get(a).or_else(|| caps.get(b)).unwrap().as_str();
    let date = NaiveDate::from_ymd_opt(
        num(1, 4).parse().ok()?,
        num(2, 5).parse().ok()?,
        num(3, 6).parse().ok()?,
    )?;
    day(date, DateSource::Filename)
}

/// A date written out in German: `23.10.2024`, `23. Oktober 2024`, `Oktober 2024`.
fn parse_german_date(s: &str) -> Option<(NaiveDate, Granularity)> {
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    let numeric =
        NUMERIC.get_or_init(|| Regex::new(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b").unwrap());
    let words = WORDS.get_or_init(|| {
        Regex::new(r"^(?:(\d{1,2})\.\s*)?([A-Za-zÄÖÜäöü]{3,9}\.?)\s+(\d{4})\b").unwrap()
    });
    if let Some(c) = numeric.captures(s) {
        let date =
            NaiveDate::from_ymd_opt(c[3].parse().ok()?, c[2].parse().ok()?, c[1].parse().ok()?)?;
        return plausible(date).then_some((date, Granularity::Day));
    }
    if let Some(c) = words.captures(s) {
        let month = month_number(&c[2])?;
        let year: i32 = c[3].parse().ok()?;
        return match c.get(1) {
            Some(d) => {
                let date = NaiveDate::from_ymd_opt(year, month, d.as_str().parse().ok()?)?;
                plausible(date).then_some((date, Granularity::Day))
            }
            None => {
                let date = NaiveDate::from_ymd_opt(year, month, 1)?;
                plausible(date).then_some((date, Granularity::Month))
            }
        };
    }
    None
}

/// An explicit date line near the top or bottom of a text: `Stand: 23.10.2024`,
/// `Veröffentlicht am 5. November 2024`, `Aktualisiert: …`, or a dateline
/// (`Wien, 29.09.2024 –`, `Berlin (dpa), 23. Oktober 2024`). A line that is
/// only a date counts too.
pub fn date_from_text(text: &str) -> Option<PubDate> {
    static KEYWORD: OnceLock<Regex> = OnceLock::new();
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let keyword = KEYWORD.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:stand|veröffentlicht|erschienen|publiziert|aktualisiert|zuletzt aktualisiert|datum|erstellt)(?:\s+am)?\s*[:,]?\s*(?:\w+,\s*)?(?:den\s+)?(.+)$",
        )
        .unwrap()
    });
    let dateline = DATELINE.get_or_init(|| {
        Regex::new(r"^\s*[A-ZÄÖÜ][\p{L}.\- ]{1,30}(?:\s*\([^)]{1,30}\))?\s*[,/]\s*(?:am\s+)?(.+)$")
            .unwrap()
    });
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let head = lines.iter().take(6);
    let tail = lines.iter().rev().take(3);
    for line in head.chain(tail) {
        if let Some(c) = keyword.captures(line)
            && let Some((date, granularity)) = parse_german_date(c[1].trim())
        {
            return Some(PubDate {
                date,
                granularity,
                source: DateSource::Text,
            });
        }
        if let Some((date, granularity)) = parse_german_date(line) {
            // A line that starts with a date: the date must be most of the line
            // or be followed by a time or a dash, not be inside a sentence.
            let rest_is_short = line.len() <= 40 || line.contains(" Uhr") || line.contains(" – ");
            if rest_is_short {
                return Some(PubDate {
                    date,
                    granularity,
                    source: DateSource::Text,
                });
            }
        }
        if let Some(c) = dateline.captures(line)
            && let Some((date, granularity)) = parse_german_date(c[1].trim())
        {
            return Some(PubDate {
                date,
                granularity,
                source: DateSource::Text,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn metadata_formats() {
        for value in [
            "2024-11-05 18:30:00",
            "2024-11-05T18:30:00+01:00",
            "2024-11-05T18:30:00Z",
            "2024-11-05",
            "Tue, 05 Nov 2024 18:30:00 +0100",
            "05.11.2024",
        ] {
            assert_eq!(
                parse_metadata_date(value).unwrap().date,
                ymd(2024, 11, 5),
                "{value}"
            );
        }
        assert!(parse_metadata_date("gestern").is_none());
        // A wide character across the tenth byte is no date, and no panic.
        assert!(parse_metadata_date("2023-06-0•1").is_none());
        assert_eq!(
            parse_metadata_date("2023-06-01•").unwrap().date,
            ymd(2023, 6, 1)
        );
    }

    #[test]
    fn filenames() {
        assert_eq!(
            date_from_filename("2024-10-23-nordkorea.txt").unwrap().date,
            ymd(2024, 10, 23)
        );
        assert_eq!(
            date_from_filename("20241023_nordkorea.txt").unwrap().date,
            ymd(2024, 10, 23)
        );
        assert!(date_from_filename("bericht-2024.txt").is_none());
        assert!(date_from_filename("2024-13-45-x.txt").is_none());
    }

    #[test]
    fn text_lines() {
        let d = date_from_text("Titel\n\nStand: 23.10.2024 14:30 Uhr\n\nText.").unwrap();
        assert_eq!(d.date, ymd(2024, 10, 23));
        assert_eq!(d.source, DateSource::Text);
        let d = date_from_text("Veröffentlicht am 5. November 2024\nText.").unwrap();
        assert_eq!(d.date, ymd(2024, 11, 5));
        let d = date_from_text("Wien, 29.09.2024 – Die FPÖ hat die Wahl gewonnen.").unwrap();
        assert_eq!(d.date, ymd(2024, 9, 29));
        let d = date_from_text("Stand: Oktober 2024\nText").unwrap();
        assert_eq!(d.granularity, Granularity::Month);
    }

    #[test]
    fn no_date_from_weekdays_or_sentences() {
        assert!(
            date_from_text(
                "Am Mittwoch gab der Geheimdienst bekannt, dass Soldaten verlegt wurden."
            )
            .is_none()
        );
        assert!(
            date_from_text("Die Ukraine war am 6. August 2024 in die Region Kursk vorgedrungen und hält seither Dutzende Ortschaften.")
                .is_none()
        );
    }
}
