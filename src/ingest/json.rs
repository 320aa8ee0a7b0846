//! JSON articles: news-please objects, arrays of them, wrappers such as
//! `{"articles": [...]}`, and JSON-lines dumps, with the common field-name
//! variants mapped onto one `Article`.

use serde_json::{Map, Value};

use crate::article::{Article, Shape};
use crate::entities::dates;
use crate::ingest::text::first_sentence;

const TITLE_KEYS: &[&str] = &["title", "headline", "name", "titel", "ueberschrift"];
const BODY_KEYS: &[&str] = &[
    "maintext",
    "text",
    "body",
    "content",
    "articleBody",
    "article_body",
    "fulltext",
    "full_text",
    "inhalt",
];
const FALLBACK_BODY_KEYS: &[&str] = &["description", "summary", "abstract", "teaser", "lead"];
const DATE_KEYS: &[&str] = &[
    "date_publish",
    "date",
    "published",
    "publishedAt",
    "published_at",
    "datePublished",
    "pubDate",
    "publish_date",
    "publication_date",
    "created_at",
    "datum",
    "date_modify",
];
const URL_KEYS: &[&str] = &["url", "link", "href", "canonical_url"];
const SOURCE_KEYS: &[&str] = &[
    "source_domain",
    "source",
    "publisher",
    "site_name",
    "domain",
    "outlet",
];
const AUTHOR_KEYS: &[&str] = &["authors", "author", "byline", "autor", "creator"];
const LANG_KEYS: &[&str] = &["language", "lang", "inLanguage", "locale"];
const WRAPPER_KEYS: &[&str] = &[
    "articles",
    "items",
    "data",
    "results",
    "documents",
    "docs",
    "entries",
];

/// Why one JSON value could not become an article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JsonError {
    #[error("invalid JSON: {0}")]
    Syntax(String),
    #[error("not a JSON object (found {0})")]
    NotObject(&'static str),
    #[error("no article text (looked for maintext, text, body, content, articleBody)")]
    NoBody,
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn get<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .filter_map(|k| obj.get(*k))
        .find(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
}

/// A string from a value that may be a string, a number, an object with a
/// `name`/`url`/`text` key, or an array of those (first taken).
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["name", "url", "href", "text", "value", "@id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(as_text)),
        Value::Array(items) => items.iter().find_map(as_text),
        _ => None,
    }
}

/// Body text: a string, or an array of paragraph strings.
fn as_body(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => {
            let paras: Vec<String> = items.iter().filter_map(as_text).collect();
            (!paras.is_empty()).then(|| paras.join("\n\n"))
        }
        other => as_text(other),
    }
}

fn as_list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(as_text).collect(),
        Value::String(s) => s
            .split([';', '|'])
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        other => as_text(other).into_iter().collect(),
    }
}

/// The host of a URL, without `www.`.
pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?;
    let host = host.split(':').next()?.to_lowercase();
    (host.contains('.')).then(|| normalize_source(&host))
}

/// One spelling per source: a domain in lower case without `www.`; a
/// publisher's name as written.
pub fn normalize_source(source: &str) -> String {
    let s = source.trim();
    if s.contains('.') && !s.contains(char::is_whitespace) {
        let lower = s.to_lowercase();
        return lower
            .strip_prefix("www.")
            .map(str::to_string)
            .unwrap_or(lower);
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One article of a file, or its address and why it was skipped.
pub type ItemResult = Result<Article, (String, JsonError)>;

/// Maps one JSON object onto an article.
pub fn article_from_value(
    address: String,
    value: &Value,
    shape: Shape,
    encoding: &'static str,
) -> Result<Article, JsonError> {
    let obj = value.as_object().ok_or(JsonError::NotObject(kind(value)))?;
    let body = get(obj, BODY_KEYS)
        .and_then(as_body)
        .or_else(|| get(obj, FALLBACK_BODY_KEYS).and_then(as_body))
        .ok_or(JsonError::NoBody)?;
    let mut article = Article::new(address, shape, encoding);
    article.body = body.replace("\r\n", "\n");
    article.title = get(obj, TITLE_KEYS).and_then(as_text);
    if article.title.is_none() {
        article.title = first_sentence(&article.body);
        article.title_derived = article.title.is_some();
    }
    article.url = get(obj, URL_KEYS).and_then(as_text);
    article.source = get(obj, SOURCE_KEYS)
        .and_then(as_text)
        .map(|s| normalize_source(&s))
        .or_else(|| article.url.as_deref().and_then(domain_of));
    article.authors = get(obj, AUTHOR_KEYS).map(as_list).unwrap_or_default();
    article.language = get(obj, LANG_KEYS).and_then(as_text).map(|l| {
        l.to_lowercase()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect()
    });
    article.date = get(obj, DATE_KEYS)
        .and_then(as_text)
        .and_then(|d| dates::parse_metadata_date(&d))
        .or_else(|| dates::date_from_text(&article.body));
    Ok(article)
}

/// The article objects in a `.json` file: the object itself, the items of a
/// top-level array, or the items of a wrapper key such as `articles`.
pub fn parse_json_file(
    path: &str,
    text: &str,
    encoding: &'static str,
) -> Result<Vec<ItemResult>, JsonError> {
    let value: Value = serde_json::from_str(text).map_err(|e| JsonError::Syntax(e.to_string()))?;
    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(obj) if get(obj, BODY_KEYS).is_none() => {
            match WRAPPER_KEYS
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_array))
            {
                Some(items) => items.iter().collect(),
                None => vec![&value],
            }
        }
        _ => {
            return Ok(vec![
                article_from_value(path.to_string(), &value, Shape::Json, encoding)
                    .map_err(|e| (path.to_string(), e)),
            ]);
        }
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let address = format!("{path}#{}", i + 1);
            article_from_value(address.clone(), item, Shape::Json, encoding)
                .map_err(|e| (address, e))
        })
        .collect())
}

/// The articles of a JSON-lines file, one per non-empty line, addressed `path#LINE`.
pub fn parse_jsonl_file(path: &str, text: &str, encoding: &'static str) -> Vec<ItemResult> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let address = format!("{path}#{}", i + 1);
            serde_json::from_str::<Value>(line)
                .map_err(|e| JsonError::Syntax(e.to_string()))
                .and_then(|v| article_from_value(address.clone(), &v, Shape::Jsonl, encoding))
                .map_err(|e| (address, e))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_please_fields() {
        let v: Value = serde_json::from_str(
            r#"{"title":"T","maintext":"Body text here.","date_publish":"2024-11-05 18:30:00",
                "url":"https://www.example.de/a","source_domain":"www.example.de","authors":["A B"],"language":"de"}"#,
        )
        .unwrap();
        let a = article_from_value("x.json".into(), &v, Shape::Json, "UTF-8").unwrap();
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.source.as_deref(), Some("example.de"));
        assert_eq!(a.date.unwrap().date.to_string(), "2024-11-05");
        assert_eq!(a.authors, vec!["A B"]);
        assert_eq!(a.language.as_deref(), Some("de"));
    }

    #[test]
    fn variant_fields() {
        let v: Value = serde_json::from_str(
            r#"{"headline":"H","body":"Text.","datePublished":"2024-07-14T23:10:00+02:00",
                "link":"https://zeitung.example.ch/x","author":"Eva Muster","source":{"name":"Alpenpost"}}"#,
        )
        .unwrap();
        let a = article_from_value("x.json".into(), &v, Shape::Json, "UTF-8").unwrap();
        assert_eq!(a.title.as_deref(), Some("H"));
        assert_eq!(a.source.as_deref(), Some("Alpenpost"));
        assert_eq!(a.authors, vec!["Eva Muster"]);
        assert_eq!(a.date.unwrap().date.to_string(), "2024-07-14");
    }

    #[test]
    fn date_with_a_wide_character_is_no_date() {
        for date in ["2023-06-0•1", "2023-06-0•1T09:00:00+02:00", " 2023-0€-01"] {
            let v = serde_json::json!({"text": "Ein Text.", "date": date});
            let a = article_from_value("x.json".into(), &v, Shape::Json, "UTF-8").unwrap();
            assert!(a.date.is_none(), "{date}");
        }
        assert_eq!(
            dates::parse_metadata_date("2023-06-01T09:00:00+02:00")
                .unwrap()
                .date
                .to_string(),
            "2023-06-01"
        );
    }

    #[test]
    fn wrong_types_are_reasons() {
        let v: Value = serde_json::from_str(r#"{"title":"T","maintext":null}"#).unwrap();
        assert_eq!(
            article_from_value("x".into(), &v, Shape::Json, "UTF-8").unwrap_err(),
            JsonError::NoBody
        );
        let items = parse_jsonl_file("d.jsonl", "{\"text\":\"a b\"}\n[1]\n{bad\n", "UTF-8");
        assert!(items[0].is_ok());
        assert_eq!(items[1].as_ref().unwrap_err().0, "d.jsonl#2");
        assert!(matches!(
            items[2].as_ref().unwrap_err().1,
            JsonError::Syntax(_)
        ));
    }
}
