//! The one rendering layer for hit lists: every format is a [`HitWriter`]
//! that gets a [`Head`] first, then the hits one at a time, then `end`.
//! `search --format` feeds it the top hits it holds; `export` feeds it every
//! hit of a query as it reads them, so memory does not grow with the hits.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::columns::Column;
use super::{Style, write_text_head, write_text_hit};
use crate::search::{CollapseSummary, Hit, SearchResults};

/// The formats a hit list renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum HitFormat {
    /// For the terminal: rank, date, source, title, path, snippet
    #[default]
    Text,
    /// One object: the query, the total and the hits
    Json,
    /// One hit a line, nothing else
    Ndjson,
    /// RFC 4180 with a header row (`--excel` for German Excel)
    Csv,
    /// A numbered list to paste into notes (a table with --fields)
    #[value(alias = "md")]
    Markdown,
    /// One self-contained report page: timeline, countries, actors, hits
    Html,
}

impl HitFormat {
    /// The format a file name asks for by its extension.
    pub fn from_extension(path: &std::path::Path) -> Option<HitFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => HitFormat::Csv,
            "json" => HitFormat::Json,
            "ndjson" | "jsonl" => HitFormat::Ndjson,
            "md" | "markdown" => HitFormat::Markdown,
            "html" | "htm" => HitFormat::Html,
            "txt" => HitFormat::Text,
            _ => return None,
        })
    }
}

/// What an export records about itself.
#[derive(Debug, Clone, Serialize)]
pub struct ExportInfo {
    /// The index folder, as given.
    pub index_path: String,
    /// Articles in the index.
    pub index_articles: u64,
    /// When the export ran, RFC 3339 local time.
    pub exported_at: String,
}

/// Everything a writer knows before the first hit.
#[derive(Debug, Clone)]
pub struct Head {
    pub query: String,
    /// The filter flags by name (`from`, `to`, `source`, `sort`, …), as given.
    pub filters: Map<String, Value>,
    /// All matches of the query.
    pub total: usize,
    /// Hits skipped before the first one written.
    pub offset: usize,
    /// Hits that will be written.
    pub count: usize,
    /// Search time, for `search` output.
    pub took_ms: Option<u128>,
    /// Set for `export`: the JSON object then records filters, index and time.
    pub export: Option<ExportInfo>,
    /// Set when near-copies were folded into the hits.
    pub collapse: Option<CollapseSummary>,
    /// Set for `similar`: the article the hits are like.
    pub like: Option<LikeInfo>,
}

/// The article `similar` was asked about, and the terms it was searched by.
#[derive(Debug, Clone, Serialize)]
pub struct LikeInfo {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub source: Option<String>,
    /// Its most distinctive terms (analysed forms), heaviest first.
    pub terms: Vec<String>,
}

impl Head {
    /// The head of `search` output.
    pub fn search(query: &str, filters: &impl Serialize, results: &SearchResults) -> Head {
        Head {
            query: query.to_string(),
            filters: filter_map(filters),
            total: results.total,
            offset: results.hits.first().map_or(0, |h| h.rank - 1),
            count: results.hits.len(),
            took_ms: Some(results.took_ms),
            export: None,
            collapse: results.collapse,
            like: None,
        }
    }

    /// What folding near-copies did, for people; `None` when nothing was folded.
    pub fn collapse_note(&self) -> Option<String> {
        let c = self.collapse.filter(|c| c.folded > 0)?;
        let noun = if c.folded == 1 {
            "near-copy"
        } else {
            "near-copies"
        };
        Some(format!(
            "{} {noun} folded into the hits below (top {} hits compared; --no-collapse lists every hit)",
            c.folded, c.compared
        ))
    }

    /// The filters that narrow or order the hits, for people: flags given, in
    /// order, as `(name, value)`; defaults (relevance order) left out.
    pub fn filters_given(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, value) in &self.filters {
            let text = match value {
                Value::Null => continue,
                Value::Array(items) if items.is_empty() => continue,
                Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
                Value::Bool(false) => continue,
                Value::String(s) if name == "sort" && s == "relevance" => continue,
                v => value_text(v),
            };
            out.push((name.clone(), text));
        }
        out
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// Flags as a JSON object (anything that does not serialize to an object is empty).
pub fn filter_map(filters: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(filters) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// How writers render, beyond the format.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    pub style: Style,
    /// Columns picked with `--fields`; empty: each format's default.
    pub fields: Vec<Column>,
    /// CSV for German Excel.
    pub excel: bool,
}

/// A streaming renderer: `begin` once, `hit` for every hit in order, `end` once.
pub trait HitWriter {
    fn begin(&mut self, head: &Head) -> io::Result<()>;
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    /// Writes what follows the last hit and flushes the writer's own buffers.
    fn end(&mut self) -> io::Result<()>;
}

/// The writer for `format`, writing to `out`.
pub fn hit_writer<'a>(
    format: HitFormat,
    out: &'a mut dyn Write,
    opts: &WriterOptions,
) -> Box<dyn HitWriter + 'a> {
    match format {
        HitFormat::Text => Box::new(TextWriter {
            out,
            style: opts.style,
        }),
        HitFormat::Json => Box::new(super::json::JsonWriter::new(out, opts)),
        HitFormat::Ndjson => Box::new(super::json::NdjsonWriter::new(out, opts)),
        HitFormat::Csv => Box::new(super::csv::CsvWriter::new(out, opts)),
        HitFormat::Markdown => Box::new(super::markdown::MarkdownWriter::new(out, opts)),
        HitFormat::Html => Box::new(super::html::HtmlWriter::new(out)),
    }
}

/// Renders a list of hits held in memory.
pub fn write_hits(
    out: &mut dyn Write,
    format: HitFormat,
    opts: &WriterOptions,
    head: &Head,
    hits: &[Hit],
) -> io::Result<()> {
    let mut w = hit_writer(format, out, opts);
    w.begin(head)?;
    for hit in hits {
        w.hit(hit)?;
    }
    w.end()
}

/// The terminal format.
struct TextWriter<'a> {
    out: &'a mut dyn Write,
    style: Style,
}

impl HitWriter for TextWriter<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        write_text_head(self.out, head, self.style)
    }
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        write_text_hit(self.out, hit, self.style)
    }
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `text` cut into runs, each marked as highlighted or not, by byte ranges
/// (ranges out of order or off character boundaries are ignored).
pub fn highlight_runs<'t>(
    text: &'t str,
    ranges: &[std::ops::Range<usize>],
) -> Vec<(bool, &'t str)> {
    let mut runs = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || r.start >= r.end
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            runs.push((false, &text[at..r.start]));
        }
        runs.push((true, &text[r.clone()]));
        at = r.end;
    }
    if at < text.len() {
        runs.push((false, &text[at..]));
    }
    runs
}

/// Hits to render in unit tests.
#[cfg(test)]
pub(crate) mod samples {
    use crate::index::StoredArticle;
    use crate::search::{Hit, Snippet};

    /// A hit whose title has markup, quotes and a line break.
    pub fn hit(rank: usize) -> Hit {
        let article = StoredArticle {
            id: format!("id{rank}"),
            path: format!("artikel/{rank}.json#2"),
            title: Some("Fähre <b>\"Ja, wir\"; | *fahren*\nZeile 2".into()),
            date: chrono::NaiveDate::from_ymd_opt(2024, 10, 20 + rank as u32),
            source: Some("seeblatt.de".into()),
            url: Some("https://seeblatt.de/a (1)".into()),
            countries: vec!["DE".into(), "AT".into()],
            actors: vec!["Jana Köhler".into()],
            ..StoredArticle::default()
        };
        Hit {
            rank,
            score: Some(12.346),
            article,
            snippet: Snippet {
                text: "Die Fähre fährt.".into(),
                highlights: std::iter::once(4..10).collect(),
            },
            title_highlights: std::iter::once(0..6).collect(),
            similar: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_runs_split_at_ranges_and_skip_bad_ones() {
        let runs = highlight_runs("Die Fähre fährt", &[4..10, 5..7, 11..99]);
        assert_eq!(runs, [(false, "Die "), (true, "Fähre"), (false, " fährt")]);
    }

    #[test]
    fn filters_given_leave_out_defaults_and_empty_flags() {
        let filters = serde_json::json!({"from": "2024", "to": null, "source": ["a.de", "b.at"],
            "country": [], "sort": "relevance"});
        let head = Head {
            query: "q".into(),
            filters: filter_map(&filters),
            total: 0,
            offset: 0,
            count: 0,
            took_ms: None,
            export: None,
            collapse: None,
            like: None,
        };
        assert_eq!(
            head.filters_given(),
            [
                ("from".to_string(), "2024".to_string()),
                ("source".to_string(), "a.de, b.at".to_string())
            ]
        );
    }

    #[test]
    fn format_from_extension() {
        use std::path::Path;
        assert_eq!(
            HitFormat::from_extension(Path::new("a/b.CSV")),
            Some(HitFormat::Csv)
        );
        assert_eq!(
            HitFormat::from_extension(Path::new("b.jsonl")),
            Some(HitFormat::Ndjson)
        );
        assert_eq!(
            HitFormat::from_extension(Path::new("b.md")),
            Some(HitFormat::Markdown)
        );
        assert_eq!(HitFormat::from_extension(Path::new("b")), None);
    }
}
