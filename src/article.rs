//! `Article`: the one record every stage passes on, from ingest to rendering.

use chrono::NaiveDate;
use serde::Serialize;

/// Where an article's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A metadata field: JSON `date_publish`, HTML `article:published_time`, ...
    Metadata,
    /// The file name (`2024-10-23-slug.txt`).
    Filename,
    /// An explicit date line in the text (`Stand: 23.10.2024`, a dateline).
    Text,
    #[default]
    None,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Filename => "filename",
            DateSource::Text => "text",
            DateSource::None => "none",
        }
    }

    pub fn parse(s: &str) -> DateSource {
        match s {
            "metadata" => DateSource::Metadata,
            "filename" => DateSource::Filename,
            "text" => DateSource::Text,
            _ => DateSource::None,
        }
    }
}

/// How precise a date is: `2024` says less than `2024-10-23`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    #[default]
    Day,
    Month,
    Year,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Month => "month",
            Granularity::Year => "year",
        }
    }

    pub fn parse(s: &str) -> Granularity {
        match s {
            "month" => Granularity::Month,
            "year" => Granularity::Year,
            _ => Granularity::Day,
        }
    }
}

/// A publication date with its precision and origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PubDate {
    pub date: NaiveDate,
    pub granularity: Granularity,
    pub source: DateSource,
}

/// The input shape an article was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    Text,
    Json,
    Jsonl,
    Html,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Text => "text",
            Shape::Json => "json",
            Shape::Jsonl => "jsonl",
            Shape::Html => "html",
        }
    }
}

/// One article as ingest produced it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Stable short id, from the canonical file path and the place in the file.
    pub id: String,
    /// Canonical path of the file the article came from.
    pub file: String,
    /// `path` for a file holding one article, `path#N` for the N-th (1-based)
    /// of a JSON array or JSON-lines file.
    pub address: String,
    pub title: Option<String>,
    /// True when no title was given and the title is the first sentence.
    pub title_derived: bool,
    pub body: String,
    pub date: Option<PubDate>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub authors: Vec<String>,
    /// ISO codes, most mentioned first (the first is the focus country).
    pub countries: Vec<String>,
    /// Canonical names, most mentioned first.
    pub actors: Vec<String>,
    /// Countries and actors with their mention counts, kinds and roles.
    #[serde(skip)]
    pub findings: Option<crate::entities::Findings>,
    /// The body's analysis, encoded for the index (`analysis::preanalyzed`),
    /// when ingest made it.
    #[serde(skip)]
    pub analyzed_body: Option<crate::analysis::preanalyzed::AnalyzedBody>,
    /// The fingerprint for near-copy detection, when ingest made it.
    #[serde(skip)]
    pub signature: Option<crate::index::signature::Signature>,
    pub shape: Shape,
    pub encoding: &'static str,
}

impl Article {
    pub fn new(address: String, shape: Shape, encoding: &'static str) -> Article {
        Article {
            id: String::new(),
            file: String::new(),
            address,
            title: None,
            title_derived: false,
            body: String::new(),
            date: None,
            source: None,
            url: None,
            language: None,
            authors: Vec::new(),
            countries: Vec::new(),
            actors: Vec::new(),
            findings: None,
            analyzed_body: None,
            signature: None,
            shape,
            encoding,
        }
    }
}
