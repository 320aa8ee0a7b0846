//! Rendering hits and articles for the terminal and for programs. Never
//! touches the index: everything arrives as `SearchResults` / `StoredArticle`.

pub mod columns;
pub mod csv;
pub mod entities;
pub mod html;
pub mod json;
pub mod markdown;
pub mod stream;

use std::io::{self, Write};
use std::ops::Range;

use serde_json::{Value, json};

use crate::index::StoredArticle;
use crate::search::{Hit, SearchResults};
use crate::stats::Stats;
pub use stream::{
    ExportInfo, Head, HitFormat, HitWriter, LikeInfo, WriterOptions, hit_writer, write_hits,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Ndjson,
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    fn cyan(&self, t: &str) -> String {
        self.paint("36", t)
    }
    fn magenta(&self, t: &str) -> String {
        self.paint("35", t)
    }
    fn matched(&self, t: &str) -> String {
        self.paint("1;31", t)
    }

    /// Text with its highlighted ranges painted.
    fn highlight(
        &self,
        text: &str,
        ranges: &[Range<usize>],
        base: &dyn Fn(&str) -> String,
    ) -> String {
        if !self.color || ranges.is_empty() {
            return base(text);
        }
        let mut out = String::new();
        let mut at = 0;
        for r in ranges {
            if r.start < at
                || r.end > text.len()
                || !text.is_char_boundary(r.start)
                || !text.is_char_boundary(r.end)
            {
                continue;
            }
            out.push_str(&base(&text[at..r.start]));
            out.push_str(&self.matched(&text[r.clone()]));
            at = r.end;
        }
        out.push_str(&base(&text[at..]));
        out
    }
}

fn date_text(a: &StoredArticle) -> String {
    match (a.date, a.date_granularity) {
        (Some(d), Some(crate::article::Granularity::Year)) => d.format("%Y").to_string(),
        (Some(d), Some(crate::article::Granularity::Month)) => d.format("%Y-%m").to_string(),
        (Some(d), _) => d.format("%Y-%m-%d").to_string(),
        (None, _) => "undated".to_string(),
    }
}

fn title_text(a: &StoredArticle) -> String {
    a.title.clone().unwrap_or_else(|| "(untitled)".to_string())
}

/// The hit as JSON, with the keys the README documents.
pub fn hit_json(hit: &Hit) -> Value {
    let a = &hit.article;
    json!({
        "rank": hit.rank,
        "score": columns::score_json(hit.score),
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "title_derived": a.title_derived,
        "date": a.date.map(|d| d.format("%Y-%m-%d").to_string()),
        "date_source": a.date_source,
        "source": a.source,
        "url": a.url,
        "language": a.language,
        "authors": a.authors,
        "countries": a.countries,
        "actors": a.actors,
        "snippet": hit.snippet.text,
        "similar": hit.similar.len(),
        "similar_ids": hit.similar.iter().map(|s| &s.id).collect::<Vec<_>>(),
    })
}

/// Renders search results in any hit format (no filters recorded).
pub fn write_search(
    out: &mut dyn Write,
    query: &str,
    results: &SearchResults,
    format: HitFormat,
    style: Style,
) -> io::Result<()> {
    let head = Head::search(query, &serde_json::Map::new(), results);
    let opts = WriterOptions {
        style,
        fields: Vec::new(),
        excel: false,
    };
    write_hits(out, format, &opts, &head, &results.hits)
}

/// The first line of text output: the total, the page shown and the time taken.
fn write_text_head(out: &mut dyn Write, head: &Head, style: Style) -> io::Result<()> {
    let noun = if head.total == 1 { "hit" } else { "hits" };
    let shown = if head.count > 0 && head.total > head.count {
        format!(", showing {}–{}", head.offset + 1, head.offset + head.count)
    } else {
        String::new()
    };
    let took = head
        .took_ms
        .map(|ms| format!(" ({ms} ms)"))
        .unwrap_or_default();
    match &head.like {
        Some(like) => writeln!(
            out,
            "{} {noun} like {} {}{shown}{took}",
            style.bold(&head.total.to_string()),
            style.bold(&like.id),
            style.bold(&format!(
                "“{}”",
                like.title.as_deref().unwrap_or("(untitled)")
            )),
        )?,
        None => writeln!(
            out,
            "{} {noun} for {}{shown}{took}",
            style.bold(&head.total.to_string()),
            style.bold(&format!("\"{}\"", head.query)),
        )?,
    }
    if let Some(note) = head.collapse_note() {
        writeln!(out, "{}", style.dim(&note))?;
    }
    Ok(())
}

/// One hit of text output: rank, date, source, title, path, id and snippet.
fn write_text_hit(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
    let a = &hit.article;
    writeln!(out)?;
    let source = a.source.as_deref().unwrap_or("-");
    writeln!(
        out,
        "{:>3}. {}  {}",
        hit.rank,
        style.green(&date_text(a)),
        style.cyan(source)
    )?;
    let title = title_text(a);
    let derived = if a.title_derived {
        style.dim(" (derived)")
    } else {
        String::new()
    };
    writeln!(
        out,
        "     {}{derived}",
        style.highlight(&title, &hit.title_highlights, &|t| style.bold(t))
    )?;
    writeln!(
        out,
        "     {}  {}",
        style.magenta(&a.path),
        style.dim(&format!("id {}", a.id))
    )?;
    if !hit.snippet.text.is_empty() {
        writeln!(
            out,
            "     {}",
            style.highlight(&hit.snippet.text, &hit.snippet.highlights, &|t| t
                .to_string())
        )?;
    }
    if !hit.similar.is_empty() {
        writeln!(out, "     {}", style.dim(&similar_line(&hit.similar)))?;
    }
    Ok(())
}

/// Most near-copies named under a hit; the rest are counted.
const SIMILAR_NAMED: usize = 3;

/// `+ 2 similar: id (source, date), …` under a hit.
fn similar_line(similar: &[crate::search::SimilarRef]) -> String {
    let named: Vec<String> = similar
        .iter()
        .take(SIMILAR_NAMED)
        .map(|s| {
            let date = s.date.map_or_else(
                || "undated".to_string(),
                |d| d.format("%Y-%m-%d").to_string(),
            );
            format!("{} ({}, {date})", s.id, s.source.as_deref().unwrap_or("-"))
        })
        .collect();
    let more = similar.len().saturating_sub(SIMILAR_NAMED);
    let rest = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("+ {} similar: {}{rest}", similar.len(), named.join(", "))
}

pub fn write_article(out: &mut dyn Write, a: &StoredArticle, format: Format) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => {
            let mut value = serde_json::to_value(a).map_err(io::Error::other)?;
            if let Some(obj) = value.as_object_mut() {
                obj.insert(
                    "date".into(),
                    json!(a.date.map(|d| d.format("%Y-%m-%d").to_string())),
                );
            }
            if format == Format::Json {
                serde_json::to_writer_pretty(&mut *out, &value)?;
            } else {
                serde_json::to_writer(&mut *out, &value)?;
            }
            writeln!(out)
        }
        Format::Text => {
            let date = match a.date {
                Some(_) => format!(
                    "{} (from {}{})",
                    date_text(a),
                    a.date_source.as_str(),
                    a.date_granularity
                        .map(|g| format!(", {}", g.as_str()))
                        .unwrap_or_default()
                ),
                None => "none found".to_string(),
            };
            let title = match (&a.title, a.title_derived) {
                (Some(t), true) => format!("{t} (derived)"),
                (Some(t), false) => t.clone(),
                (None, _) => "(untitled)".into(),
            };
            let list = |v: &[String]| {
                if v.is_empty() {
                    "-".to_string()
                } else {
                    v.join("; ")
                }
            };
            writeln!(out, "id:        {}", a.id)?;
            writeln!(out, "path:      {}", a.path)?;
            writeln!(out, "title:     {title}")?;
            writeln!(out, "date:      {date}")?;
            writeln!(out, "source:    {}", a.source.as_deref().unwrap_or("-"))?;
            writeln!(out, "url:       {}", a.url.as_deref().unwrap_or("-"))?;
            writeln!(out, "language:  {}", a.language.as_deref().unwrap_or("-"))?;
            writeln!(out, "authors:   {}", list(&a.authors))?;
            writeln!(out, "countries: {}", list(&a.countries))?;
            writeln!(out, "actors:    {}", list(&a.actors))?;
            writeln!(
                out,
                "read as:   {} ({})",
                a.shape.as_deref().unwrap_or("-"),
                a.encoding.as_deref().unwrap_or("-")
            )?;
            writeln!(out)?;
            writeln!(out, "{}", a.body)
        }
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

pub fn write_stats(out: &mut dyn Write, s: &Stats, format: Format) -> io::Result<()> {
    if format != Format::Text {
        serde_json::to_writer_pretty(&mut *out, s)?;
        return writeln!(out);
    }
    writeln!(out, "index:      {}", s.index)?;
    writeln!(out, "articles:   {}", s.articles)?;
    let date = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    writeln!(
        out,
        "dates:      {} – {} ({} undated)",
        date(s.first_date),
        date(s.last_date),
        s.undated
    )?;
    writeln!(out, "size:       {}", human_bytes(s.size_bytes))?;
    let mut sources: Vec<(&String, &u64)> = s.sources.iter().collect();
    sources.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    writeln!(out, "sources:    {}", sources.len())?;
    for (name, n) in sources.iter().take(20) {
        writeln!(out, "  {n:>7}  {name}")?;
    }
    if sources.len() > 20 {
        writeln!(
            out,
            "  … and {} more (--format json lists all)",
            sources.len() - 20
        )?;
    }
    writeln!(out, "top countries:")?;
    for (code, n) in &s.top_countries {
        let name = crate::entities::countries::country_name(code).unwrap_or("");
        writeln!(out, "  {n:>7}  {code} {name}")?;
    }
    writeln!(out, "top actors:")?;
    for (name, n) in &s.top_actors {
        writeln!(out, "  {n:>7}  {name}")?;
    }
    Ok(())
}
