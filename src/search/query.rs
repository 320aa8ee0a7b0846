//! The query language: parsing text into an `Expr`, with errors that point at
//! the problem.
//!
//! ```text
//! query   := or
//! or      := seq ("OR" seq)*
//! seq     := and+                    bare juxtaposition: any may match, all rank first
//! and     := unary ("AND" unary)*
//! unary   := ("NOT" | "-" | "+") unary | primary
//! primary := "(" or ")" | FIELD ":" value | "phrase" | word
//! ```

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

/// A malformed query, with the character position of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub query: String,
    /// Character (not byte) offset into the query.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 80;
        // Show a window of the query around the problem, with a caret under it.
        let chars: Vec<char> = self.query.chars().collect();
        let start = self.position.saturating_sub(SHOWN / 2);
        let end = (start + SHOWN).min(chars.len());
        let window: String = chars[start.min(chars.len())..end]
            .iter()
            .map(|c| if c.is_control() { ' ' } else { *c })
            .collect();
        let prefix = if start > 0 { "…" } else { "" };
        let caret_at = self.position - start + prefix.chars().count();
        write!(
            f,
            "invalid query: {}\n  {prefix}{window}\n  {}^",
            self.message,
            " ".repeat(caret_at)
        )
    }
}

impl std::error::Error for QueryError {}

/// Fields a query can name, with their German aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryField {
    Title,
    Body,
    Source,
    Date,
    Author,
    Language,
    Country,
    Actor,
    Id,
}

impl QueryField {
    fn from_name(name: &str) -> Option<QueryField> {
        Some(match name.to_lowercase().as_str() {
            "title" | "titel" => QueryField::Title,
            "body" | "text" => QueryField::Body,
            "source" | "quelle" => QueryField::Source,
            "date" | "datum" => QueryField::Date,
            "author" | "autor" => QueryField::Author,
            "lang" | "language" | "sprache" => QueryField::Language,
            "country" | "land" => QueryField::Country,
            "actor" | "akteur" => QueryField::Actor,
            "id" => QueryField::Id,
            _ => return None,
        })
    }

    pub const KNOWN: &'static str = "title/titel, body/text, source/quelle, date/datum, author/autor, lang/sprache, country/land, actor/akteur, id";
}

/// A date interval: `start` inclusive, `end` exclusive; either may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// The period a partial date names: `2024` is the year, `2024-10` the month.
pub fn parse_period(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let year: i32 = parts
        .first()?
        .parse()
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    match parts.len() {
        1 => Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?,
        )),
        2 => {
            let start = NaiveDate::from_ymd_opt(year, parts[1].parse().ok()?, 1)?;
            Some((start, start.checked_add_months(Months::new(1))?))
        }
        3 => {
            let start =
                NaiveDate::from_ymd_opt(year, parts[1].parse().ok()?, parts[2].parse().ok()?)?;
            Some((start, start.succ_opt()?))
        }
        _ => None,
    }
    .filter(|(s, _)| s.year() == year)
}

/// Parses a date value: `2024`, `2024-10`, `2024-10-23`, `2024-10..2024-12`,
/// `2024-10..`, `..2024`, `>=2024-10-01`, `>2024`, `<2025`, `<=2024-10`.
pub fn parse_date_range(text: &str) -> Option<DateRange> {
    let text = text.trim();
    if let Some((a, b)) = text.split_once("..") {
        let start = if a.is_empty() {
            None
        } else {
            Some(parse_period(a)?.0)
        };
        let end = if b.is_empty() {
            None
        } else {
            Some(parse_period(b)?.1)
        };
        if start.is_none() && end.is_none() {
            return None;
        }
        return Some(DateRange { start, end });
    }
    for (op, f) in [
        (
            ">=",
            (|p: (NaiveDate, NaiveDate)| DateRange {
                start: Some(p.0),
                end: None,
            }) as fn(_) -> _,
        ),
        ("<=", |p: (NaiveDate, NaiveDate)| DateRange {
            start: None,
            end: Some(p.1),
        }),
        (">", |p: (NaiveDate, NaiveDate)| DateRange {
            start: Some(p.1),
            end: None,
        }),
        ("<", |p: (NaiveDate, NaiveDate)| DateRange {
            start: None,
            end: Some(p.0),
        }),
    ] {
        if let Some(rest) = text.strip_prefix(op) {
            return parse_period(rest).map(f);
        }
    }
    parse_period(text).map(|(s, e)| DateRange {
        start: Some(s),
        end: Some(e),
    })
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Everything (an empty query).
    All,
    Word {
        field: Option<QueryField>,
        text: String,
    },
    Phrase {
        field: Option<QueryField>,
        text: String,
    },
    Date(DateRange),
    /// Juxtaposed clauses: `+` required, `-` excluded, the rest optional.
    Seq(Vec<(Occur, Expr)>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    Should,
    Must,
    MustNot,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// A word or `field:value`, with a leading `+`/`-` split off.
    Word {
        prefix: Option<char>,
        text: String,
    },
    Phrase {
        prefix: Option<char>,
        field: Option<String>,
        text: String,
    },
}

fn is_open_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '„' => Some('“'),
        '“' => Some('”'),
        '»' => Some('«'),
        '«' => Some('»'),
        _ => None,
    }
}

struct Lexer<'a> {
    query: &'a str,
    chars: Vec<char>,
    pos: usize,
}

impl Lexer<'_> {
    fn error(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.into(),
        }
    }

    fn read_quoted(&mut self, open_at: usize, close: char) -> Result<String, QueryError> {
        let start = self.pos;
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            // `„…“` may also be closed by a straight quote or `”`.
            if c == close || c == '"' || (close == '“' && c == '”') {
                let text: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                return Ok(text);
            }
            self.pos += 1;
        }
        Err(self.error(open_at, "this quote is never closed"))
    }

    fn tokens(mut self) -> Result<Vec<(usize, Tok)>, QueryError> {
        let mut out = Vec::new();
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            let at = self.pos;
            if c.is_whitespace() {
                self.pos += 1;
                continue;
            }
            if c == '(' {
                self.pos += 1;
                out.push((at, Tok::LParen));
                continue;
            }
            if c == ')' {
                self.pos += 1;
                out.push((at, Tok::RParen));
                continue;
            }
            let mut prefix = None;
            if (c == '+' || c == '-') && self.pos + 1 < self.chars.len() {
                let next = self.chars[self.pos + 1];
                if !next.is_whitespace() && next != ')' {
                    prefix = Some(c);
                    self.pos += 1;
                }
            }
            if prefix.is_none()
                && (c == '+' || c == '-')
                && self.chars[self.pos + 1..]
                    .iter()
                    .find(|c| !c.is_whitespace())
                    .is_none_or(|c| *c == ')')
            {
                // `Kursk -`: the operator has nothing to act on. (`a - b` in
                // the middle is a dash between words, not an operator.)
                return Err(self.error(at, format!("`{c}` needs a term after it")));
            }
            let c = self.chars[self.pos];
            if let Some(close) = is_open_quote(c) {
                self.pos += 1;
                let text = self.read_quoted(self.pos - 1, close)?;
                out.push((
                    at,
                    Tok::Phrase {
                        prefix,
                        field: None,
                        text,
                    },
                ));
                continue;
            }
            if c == '(' && prefix.is_some() {
                // `-(a b)` excludes a group; `+(a b)` is the group itself.
                if prefix == Some('-') {
                    out.push((at, Tok::Not));
                }
                continue;
            }
            let start = self.pos;
            while self.pos < self.chars.len() {
                let c = self.chars[self.pos];
                if c.is_whitespace() || c == '(' || c == ')' {
                    break;
                }
                if is_open_quote(c).is_some() && self.pos > start && self.chars[self.pos - 1] == ':'
                {
                    break;
                }
                self.pos += 1;
            }
            let text: String = self.chars[start..self.pos].iter().collect();
            // `field:"a phrase"`
            if text.ends_with(':')
                && self.pos < self.chars.len()
                && let Some(close) = is_open_quote(self.chars[self.pos])
            {
                self.pos += 1;
                let phrase = self.read_quoted(self.pos - 1, close)?;
                let field = text.trim_end_matches(':').to_string();
                out.push((
                    at,
                    Tok::Phrase {
                        prefix,
                        field: Some(field),
                        text: phrase,
                    },
                ));
                continue;
            }
            let tok = match (prefix, text.as_str()) {
                (None, "AND" | "&&") => Tok::And,
                (None, "OR" | "||") => Tok::Or,
                (None, "NOT") => Tok::Not,
                _ => Tok::Word { prefix, text },
            };
            out.push((at, tok));
        }
        Ok(out)
    }
}

struct Parser<'a> {
    query: &'a str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser<'_> {
    fn error(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.into(),
        }
    }

    fn here(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.query.chars().count(), |(at, _)| *at)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.seq()?];
        while self.peek() == Some(&Tok::Or) {
            let at = self.here();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                return Err(self.error(at, "OR needs a term on both sides"));
            }
            items.push(self.seq()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Expr::Or(items)
        })
    }

    fn seq(&mut self) -> Result<Expr, QueryError> {
        let mut clauses = Vec::new();
        while let Some(tok) = self.peek() {
            if matches!(tok, Tok::Or | Tok::RParen) {
                break;
            }
            clauses.push(self.and()?);
        }
        if clauses.is_empty() {
            let message = match self.peek() {
                Some(Tok::Or) => "OR needs a term on both sides",
                Some(Tok::RParen) => "unmatched closing parenthesis",
                _ => "expected a search term here",
            };
            return Err(self.error(self.here(), message));
        }
        if clauses.len() == 1 {
            let only = &clauses[0];
            // A lone optional clause, or a lone AND group, needs no wrapper.
            if only.0 == Occur::Should || (only.0 == Occur::Must && matches!(only.1, Expr::Seq(_)))
            {
                return Ok(clauses.pop().unwrap().1);
            }
        }
        Ok(Expr::Seq(clauses))
    }

    fn and(&mut self) -> Result<(Occur, Expr), QueryError> {
        let mut items = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            let at = self.here();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                return Err(self.error(at, "AND needs a term on both sides"));
            }
            items.push(self.unary()?);
        }
        if items.len() == 1 {
            return Ok(items.pop().unwrap());
        }
        // Inside AND every clause is required, except the negated ones.
        let clauses = items
            .into_iter()
            .map(|(occur, e)| {
                (
                    if occur == Occur::MustNot {
                        Occur::MustNot
                    } else {
                        Occur::Must
                    },
                    e,
                )
            })
            .collect();
        Ok((Occur::Must, Expr::Seq(clauses)))
    }

    fn unary(&mut self) -> Result<(Occur, Expr), QueryError> {
        let at = self.here();
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(at, "the query nests too deeply"));
        }
        let result = match self.peek().cloned() {
            Some(Tok::Not) => {
                self.pos += 1;
                if self.peek().is_none() {
                    return Err(self.error(at, "NOT needs a term after it"));
                }
                let (_, e) = self.unary()?;
                Ok((Occur::MustNot, e))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::RParen) {
                    return Err(self.error(at, "empty parentheses"));
                }
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.error(at, "this parenthesis is never closed"));
                }
                self.pos += 1;
                Ok((Occur::Should, e))
            }
            Some(Tok::RParen) => Err(self.error(at, "unmatched closing parenthesis")),
            Some(Tok::And | Tok::Or) => Err(self.error(at, "an operator needs a term before it")),
            Some(Tok::Phrase {
                prefix,
                field,
                text,
            }) => {
                self.pos += 1;
                let field = match field {
                    Some(name) => Some(
                        QueryField::from_name(&name)
                            .ok_or_else(|| self.error(at, unknown_field(&name)))?,
                    ),
                    None => None,
                };
                Ok((occur_of(prefix), Expr::Phrase { field, text }))
            }
            Some(Tok::Word { prefix, text }) => {
                self.pos += 1;
                Ok((occur_of(prefix), self.word(at, &text)?))
            }
            None => Err(self.error(at, "expected a search term here")),
        };
        self.depth -= 1;
        result
    }

    fn word(&self, at: usize, text: &str) -> Result<Expr, QueryError> {
        if let Some((name, value)) = text.split_once(':') {
            let looks_like_field = !name.is_empty() && name.chars().all(|c| c.is_alphabetic());
            if looks_like_field && !value.is_empty() {
                let field = QueryField::from_name(name)
                    .ok_or_else(|| self.error(at, unknown_field(name)))?;
                if field == QueryField::Date {
                    let range = parse_date_range(value).ok_or_else(|| {
                        self.error(
                            at + name.chars().count() + 1,
                            format!(
                                "`{value}` is not a date: use 2024, 2024-10, 2024-10-23, a range 2024-10..2024-12, or >=2024-10-01"
                            ),
                        )
                    })?;
                    return Ok(Expr::Date(range));
                }
                return Ok(Expr::Word {
                    field: Some(field),
                    text: value.to_string(),
                });
            }
            if looks_like_field && value.is_empty() {
                // `Seoul:` pasted from a text: the colon is punctuation.
                return Ok(Expr::Word {
                    field: None,
                    text: name.to_string(),
                });
            }
        }
        Ok(Expr::Word {
            field: None,
            text: text.to_string(),
        })
    }
}

fn unknown_field(name: &str) -> String {
    format!(
        "unknown field `{name}:` (known fields: {}); put the word in quotes to search for it as text",
        QueryField::KNOWN
    )
}

fn occur_of(prefix: Option<char>) -> Occur {
    match prefix {
        Some('+') => Occur::Must,
        Some('-') => Occur::MustNot,
        _ => Occur::Should,
    }
}

/// Longest query accepted, in bytes; longer ones are refused, not truncated.
pub const MAX_QUERY_BYTES: usize = 10_000;

/// Most words a query may have (counting the words of its phrases); each
/// becomes several clauses of the search, so more would cost seconds.
pub const MAX_TERMS: usize = 1024;

fn count_terms(toks: &[(usize, Tok)]) -> usize {
    toks.iter()
        .map(|(_, tok)| match tok {
            Tok::Word { .. } => 1,
            Tok::Phrase { text, .. } => text.split_whitespace().count().max(1),
            _ => 0,
        })
        .sum()
}

/// Whether `query` is empty or `*` alone (how other search tools ask for
/// every document): it then matches every article.
pub fn asks_for_everything(query: &str) -> bool {
    matches!(query.trim(), "" | "*")
}

/// Parses a query. An empty query (or `*`) matches every article.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError {
            query: query.chars().take(60).collect(),
            position: 0,
            message: format!(
                "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
                query.len()
            ),
        });
    }
    if asks_for_everything(query) {
        return Ok(Expr::All);
    }
    let toks = Lexer {
        query,
        chars: query.chars().collect(),
        pos: 0,
    }
    .tokens()?;
    let terms = count_terms(&toks);
    if terms > MAX_TERMS {
        return Err(QueryError {
            query: query.to_string(),
            position: 0,
            message: format!("the query has {terms} terms; the limit is {MAX_TERMS}"),
        });
    }
    let mut parser = Parser {
        query,
        toks,
        pos: 0,
        depth: 0,
    };
    let expr = parser.or()?;
    if let Some((at, _)) = parser.toks.get(parser.pos) {
        return Err(parser.error(*at, "unmatched closing parenthesis"));
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Expr {
        Expr::Word {
            field: None,
            text: t.into(),
        }
    }

    #[test]
    fn bare_words_are_a_sequence() {
        assert_eq!(
            parse("Nordkorea Soldaten").unwrap(),
            Expr::Seq(vec![
                (Occur::Should, word("Nordkorea")),
                (Occur::Should, word("Soldaten"))
            ])
        );
    }

    #[test]
    fn operators() {
        assert_eq!(
            parse("a OR b").unwrap(),
            Expr::Or(vec![word("a"), word("b")])
        );
        assert_eq!(
            parse("a AND NOT b").unwrap(),
            Expr::Seq(vec![(Occur::Must, word("a")), (Occur::MustNot, word("b"))])
        );
        assert_eq!(
            parse("+a -b c").unwrap(),
            Expr::Seq(vec![
                (Occur::Must, word("a")),
                (Occur::MustNot, word("b")),
                (Occur::Should, word("c"))
            ])
        );
    }

    #[test]
    fn phrases_and_fields() {
        assert_eq!(
            parse("„nordkoreanische Soldaten“").unwrap(),
            Expr::Phrase {
                field: None,
                text: "nordkoreanische Soldaten".into()
            }
        );
        assert_eq!(
            parse("title:\"Kursk Region\"").unwrap(),
            Expr::Phrase {
                field: Some(QueryField::Title),
                text: "Kursk Region".into()
            }
        );
        assert_eq!(
            parse("quelle:spiegel.de").unwrap(),
            Expr::Word {
                field: Some(QueryField::Source),
                text: "spiegel.de".into()
            }
        );
    }

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(
            parse("date:2024-10").unwrap(),
            Expr::Date(DateRange {
                start: d(2024, 10, 1),
                end: d(2024, 11, 1)
            })
        );
        assert_eq!(
            parse_date_range("2024-10..2024-12").unwrap(),
            DateRange {
                start: d(2024, 10, 1),
                end: d(2025, 1, 1)
            }
        );
        assert_eq!(
            parse_date_range(">=2024-10-05").unwrap().start,
            d(2024, 10, 5)
        );
        assert!(parse_date_range("2024-13").is_none());
        assert!(
            parse("date:gestern")
                .unwrap_err()
                .message
                .contains("not a date")
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("Kursk \"Soldaten").unwrap_err();
        assert_eq!(e.position, 6);
        assert!(e.to_string().contains("never closed"));
        assert_eq!(parse("(a b").unwrap_err().position, 0);
        assert_eq!(parse("a b)").unwrap_err().position, 3);
        assert!(parse("a AND").is_err());
        assert!(parse("OR a").is_err());
        assert!(parse("NOT").is_err());
        assert!(
            parse("foo:bar")
                .unwrap_err()
                .message
                .contains("unknown field")
        );
        assert!(parse(&"a ".repeat(20_000)).is_err());
        assert_eq!(
            parse(&"a ".repeat(MAX_TERMS + 1)).unwrap_err().message,
            format!(
                "the query has {} terms; the limit is {MAX_TERMS}",
                MAX_TERMS + 1
            )
        );
        assert!(parse(&"a ".repeat(MAX_TERMS)).is_ok());
        assert!(parse(&format!("\"{}\" b", "a ".repeat(MAX_TERMS))).is_err());
        assert_eq!(parse("-").unwrap_err().message, "`-` needs a term after it");
        assert_eq!(parse("a +  ").unwrap_err().position, 2);
        assert!(parse("(a -)").is_err());
        // A dash between words is punctuation.
        assert!(parse("Nordkorea - Russland").is_ok());
        assert!(parse(&"(".repeat(500)).is_err());
    }

    #[test]
    fn trailing_colon_is_punctuation() {
        assert_eq!(parse("Seoul:").unwrap(), word("Seoul"));
    }
}
