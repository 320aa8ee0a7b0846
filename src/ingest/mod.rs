//! Ingest: from a folder on disk to `Article`s. Never touches the index.

pub mod decode;
pub mod html;
pub mod json;
pub mod text;
pub mod walk;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::analysis::{german, preanalyzed};
use crate::article::Article;
use crate::index::signature;
pub use walk::{FileEntry, WalkSkip, walk};

/// The input shape a file is read as, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Text,
    Json,
    Jsonl,
    Html,
}

impl FileKind {
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "md" => Some(FileKind::Text),
            "json" => Some(FileKind::Json),
            "jsonl" | "ndjson" => Some(FileKind::Jsonl),
            "html" | "htm" | "xhtml" => Some(FileKind::Html),
            _ => None,
        }
    }
}

/// An article that could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    pub address: String,
    pub reason: String,
}

/// What one file gave: its articles and the parts of it that were skipped.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub articles: Vec<Article>,
    pub skipped: Vec<Skip>,
}

/// A stable id for an article: a short hash of its file's canonical path and
/// its place in the file, the same on every run.
pub fn article_id(canonical: &str, fragment: Option<&str>) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(canonical.as_bytes());
    if let Some(fragment) = fragment {
        hasher.update(b"#");
        hasher.update(fragment.as_bytes());
    }
    hasher.finalize().to_hex()[..12].to_string()
}

/// The language of a text without metadata, from its commonest function
/// words: German, English, French or none when unsure.
pub fn guess_language(text: &str) -> Option<&'static str> {
    const WORDS: [(&str, &[&str]); 3] = [
        (
            "de",
            &[
                "der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "sich", "auf",
                "für", "ein", "eine", "dem", "wird",
            ],
        ),
        (
            "en",
            &[
                "the", "and", "of", "to", "is", "that", "for", "with", "on", "was", "as", "by",
                "are", "this", "from", "have",
            ],
        ),
        (
            "fr",
            &[
                "le", "la", "les", "et", "des", "est", "une", "pour", "dans", "que", "qui", "sur",
                "pas", "du", "au", "avec",
            ],
        ),
    ];
    let mut counts = [0usize; 3];
    for word in text.split_whitespace().take(400) {
        let word = word
            .trim_matches(|c: char| !c.is_alphabetic())
            .to_lowercase();
        for (i, (_, list)) in WORDS.iter().enumerate() {
            if list.contains(&word.as_str()) {
                counts[i] += 1;
            }
        }
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    let second = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    (n >= 3 && n >= 2 * second).then_some(WORDS[best].0)
}

/// Default of `--max-article-size`, in MiB. Real articles stay far below it;
/// one article of 64 MiB takes a minute and a gigabyte to index.
pub const DEFAULT_MAX_ARTICLE_MIB: u64 = 4;

/// Longest article text read, in bytes. Process-wide, so that the index
/// writer's call of `read_entry` needs no further argument.
static MAX_ARTICLE_BYTES: AtomicUsize = AtomicUsize::new((DEFAULT_MAX_ARTICLE_MIB as usize) << 20);

/// Sets the longest article text read (`--max-article-size`).
pub fn set_max_article_bytes(bytes: usize) {
    MAX_ARTICLE_BYTES.store(bytes.max(1), Ordering::Relaxed);
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
}

fn too_large(len: usize, limit: usize) -> String {
    format!(
        "article too large ({} of text; the limit is {}, see --max-article-size)",
        mib(len),
        mib(limit)
    )
}

/// Parses already-read bytes as the given kind, with entity recognition.
pub fn parse_bytes(display: &str, file_name: &str, kind: FileKind, bytes: &[u8]) -> FileOutcome {
    parse_bytes_with(display, file_name, kind, bytes, true)
}

/// Parses already-read bytes; `annotate` runs entity recognition.
pub fn parse_bytes_with(
    display: &str,
    file_name: &str,
    kind: FileKind,
    bytes: &[u8],
    annotate: bool,
) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let skip = |reason: String| Skip {
        address: display.to_string(),
        reason,
    };
    let declared = match kind {
        FileKind::Html => decode::html_declared_charset(bytes),
        _ => None,
    };
    let decoded = match decode::decode(bytes, declared.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            outcome.skipped.push(skip(e.to_string()));
            return outcome;
        }
    };
    let encoding = decoded.encoding;
    let text = decoded.text;
    let max_article = MAX_ARTICLE_BYTES.load(Ordering::Relaxed);
    // A text or HTML file is one article: refused before it is parsed. A
    // page may hold four times the limit in markup.
    let whole_file_limit = match kind {
        FileKind::Text => Some(max_article),
        FileKind::Html => Some(max_article.saturating_mul(4)),
        FileKind::Json | FileKind::Jsonl => None,
    };
    if let Some(limit) = whole_file_limit
        && text.len() > limit
    {
        outcome.skipped.push(skip(too_large(text.len(), limit)));
        return outcome;
    }
    let results: Vec<Result<Article, Skip>> = match kind {
        FileKind::Text => vec![Ok(text::parse(
            display.to_string(),
            file_name,
            &text,
            encoding,
        ))],
        FileKind::Html => {
            vec![html::parse(display.to_string(), &text, encoding).map_err(|e| skip(e.to_string()))]
        }
        FileKind::Json => match json::parse_json_file(display, &text, encoding) {
            Ok(items) => items
                .into_iter()
                .map(|r| {
                    r.map_err(|(address, e)| Skip {
                        address,
                        reason: e.to_string(),
                    })
                })
                .collect(),
            Err(e) => vec![Err(skip(e.to_string()))],
        },
        FileKind::Jsonl => json::parse_jsonl_file(display, &text, encoding)
            .into_iter()
            .map(|r| {
                r.map_err(|(address, e)| Skip {
                    address,
                    reason: e.to_string(),
                })
            })
            .collect(),
    };
    let mut to_annotate = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(article) if article.body.split_whitespace().next().is_none() => {
                outcome.skipped.push(Skip {
                    address: article.address,
                    reason: "no article text".into(),
                })
            }
            Ok(article) if article.body.len() > max_article => outcome.skipped.push(Skip {
                reason: too_large(article.body.len(), max_article),
                address: article.address,
            }),
            Ok(article) => to_annotate.push(article),
            Err(s) => outcome.skipped.push(s),
        }
    }
    // The articles of one file (a JSON-lines dump of thousands) are analysed
    // on every core, as the files of a folder are.
    outcome.articles = to_annotate
        .into_par_iter()
        .map(|article| prepare(article, annotate))
        .collect();
    if outcome.articles.is_empty() && outcome.skipped.is_empty() {
        outcome.skipped.push(skip("no articles in file".into()));
    }
    outcome
}

/// Analyses one parsed article for the index: language, analysed body, copy
/// signature and, with `annotate`, countries and actors.
fn prepare(mut article: Article, annotate: bool) -> Article {
    if article.language.is_none() {
        article.language = guess_language(&article.body).map(str::to_string);
    }
    // One split into words serves the index and recognition.
    let body_words = german::words(&article.body);
    let body_terms = german::word_terms(&body_words);
    let findings =
        annotate.then(|| crate::entities::find_with_body_words(&article, &body_words, &body_terms));
    let analyzed = preanalyzed::AnalyzedBody::new(&article.body, &body_words, &body_terms);
    let term_hashes = signature::body_terms(&article.body, &body_words, &body_terms);
    drop(body_words);
    article.signature = Some(signature::Signature::new(
        article.title.as_deref(),
        &term_hashes,
    ));
    if let Some(findings) = findings {
        article.findings = Some(crate::entities::apply(&mut article, findings));
    }
    article.analyzed_body = Some(analyzed);
    article
}

/// Reads and parses one walked file; ids are set from its canonical path.
pub fn read_entry(entry: &FileEntry, max_bytes: u64, annotate: bool) -> FileOutcome {
    let display = entry.display.clone();
    if entry.size > max_bytes {
        return FileOutcome {
            articles: Vec::new(),
            skipped: vec![Skip {
                address: display,
                reason: format!(
                    "file too large ({}; the limit is {}, see --max-file-size)",
                    mib(usize::try_from(entry.size).unwrap_or(usize::MAX)),
                    mib(usize::try_from(max_bytes).unwrap_or(usize::MAX))
                ),
            }],
        };
    }
    let bytes = match std::fs::read(&entry.path) {
        Ok(b) => b,
        Err(e) => {
            return FileOutcome {
                articles: Vec::new(),
                skipped: vec![Skip {
                    address: display,
                    reason: format!("cannot read: {e}"),
                }],
            };
        }
    };
    let file_name = entry
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    // A parser bug on one file must not end the run and lose the others.
    let parsed = std::panic::catch_unwind(|| {
        parse_bytes_with(&display, file_name, entry.kind, &bytes, annotate)
    });
    let Ok(mut outcome) = parsed else {
        return FileOutcome {
            articles: Vec::new(),
            skipped: vec![Skip {
                address: display,
                reason: "archiv failed on this file (an internal error; please report it)".into(),
            }],
        };
    };
    for article in &mut outcome.articles {
        let fragment = article
            .address
            .strip_prefix(display.as_str())
            .and_then(|rest| rest.strip_prefix('#'))
            .map(str::to_string);
        article.id = article_id(&entry.canonical, fragment.as_deref());
        article.file = entry.canonical.clone();
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(
            guess_language(
                "Der Bundestag hat am Montag über die Vertrauensfrage abgestimmt, die der Kanzler gestellt hat und die er verlor."
            ),
            Some("de")
        );
        assert_eq!(
            guess_language(
                "The parliament voted on the motion and the chancellor lost the vote of confidence."
            ),
            Some("en")
        );
        assert_eq!(guess_language("Kursk"), None);
    }
}
