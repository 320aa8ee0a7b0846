//! `archiv extract`: what ingest and entity recognition see in one file,
//! without touching the index.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::article::{DateSource, Granularity};
use crate::entities::{ActorMention, CountryMention};
use crate::error::ArchivError;
use crate::ingest::{self, FileKind, Skip};

/// One article as `extract` reports it.
#[derive(Debug, Serialize)]
pub struct Extracted {
    pub path: String,
    pub title: Option<String>,
    pub title_derived: bool,
    pub date: Option<String>,
    pub date_source: DateSource,
    pub date_granularity: Option<Granularity>,
    pub language: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
    pub countries: Vec<CountryMention>,
    pub actors: Vec<ActorMention>,
}

/// Reads and analyses a file (`-`: plain text from stdin).
pub fn extract(path: &Path) -> Result<(Vec<Extracted>, Vec<Skip>), ArchivError> {
    let display = path.to_string_lossy().into_owned();
    let (bytes, kind) = if display == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| ArchivError::Io {
                path: path.to_path_buf(),
                source: e,
            })?;
        (bytes, FileKind::Text)
    } else {
        let kind = FileKind::from_path(path).ok_or_else(|| {
            ArchivError::Other(format!(
                "{display}: unknown extension (archiv reads .txt .text .md .json .jsonl .ndjson .html .htm)"
            ))
        })?;
        let bytes = std::fs::read(path).map_err(|e| ArchivError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        (bytes, kind)
    };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let outcome = ingest::parse_bytes(&display, file_name, kind, &bytes);
    let articles = outcome
        .articles
        .into_iter()
        .map(|a| {
            let findings = a.findings.clone().unwrap_or_default();
            Extracted {
                path: a.address,
                title: a.title,
                title_derived: a.title_derived,
                date: a.date.map(|d| d.date.format("%Y-%m-%d").to_string()),
                date_source: a.date.map_or(DateSource::None, |d| d.source),
                date_granularity: a.date.map(|d| d.granularity),
                language: a.language,
                source: a.source,
                url: a.url,
                authors: a.authors,
                countries: findings.countries,
                actors: findings.actors,
            }
        })
        .collect();
    Ok((articles, outcome.skipped))
}
