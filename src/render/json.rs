//! JSON and NDJSON hit lists, streamed.
//!
//! `search --format json` writes `{"query","total","took_ms","collapsed","hits"}`
//! (`similar` adds `"like"` after the query) with the
//! documented hit objects (README); an export writes
//! `{"query","filters","index","exported_at","total","hits"}` with the
//! columns of `--fields` (default: all). Either is laid out exactly as
//! `serde_json::to_writer_pretty` lays out the whole object, but one hit at a
//! time.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::columns::{Column, hit_object, or_all};
use super::hit_json;
use super::stream::{Head, HitWriter, WriterOptions};
use crate::search::Hit;

/// Which keys a hit object has.
#[derive(Debug, Clone)]
enum HitKeys {
    /// The documented search hit object ([`hit_json`]).
    Search,
    Columns(Vec<Column>),
}

impl HitKeys {
    fn value(&self, hit: &Hit) -> Value {
        match self {
            HitKeys::Search => hit_json(hit),
            HitKeys::Columns(columns) => hit_object(hit, columns),
        }
    }
}

/// `--fields`, else the documented search object for search output and
/// every column for an export.
fn hit_keys(fields: &[Column], head: &Head) -> HitKeys {
    if fields.is_empty() && head.export.is_none() {
        HitKeys::Search
    } else {
        HitKeys::Columns(or_all(fields).to_vec())
    }
}

/// Pretty JSON of `value`, its lines after the first indented by `indent`.
fn pretty(value: &impl Serialize, indent: &str) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    // JSON strings hold no raw line breaks, so every one is layout.
    Ok(text.replace('\n', &format!("\n{indent}")))
}

pub struct JsonWriter<'a> {
    out: &'a mut dyn Write,
    fields: Vec<Column>,
    keys: HitKeys,
    written: usize,
}

impl<'a> JsonWriter<'a> {
    pub fn new(out: &'a mut dyn Write, opts: &WriterOptions) -> JsonWriter<'a> {
        JsonWriter {
            out,
            fields: opts.fields.clone(),
            keys: HitKeys::Search,
            written: 0,
        }
    }
}

impl HitWriter for JsonWriter<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.keys = hit_keys(&self.fields, head);
        let mut entries: Vec<(&str, Value)> = vec![("query", json!(head.query))];
        if let Some(export) = &head.export {
            entries.push(("filters", Value::Object(head.filters.clone())));
            entries.push((
                "index",
                json!({"path": export.index_path, "articles": export.index_articles}),
            ));
            entries.push(("exported_at", json!(export.exported_at)));
            entries.push(("total", json!(head.total)));
        } else {
            if let Some(like) = &head.like {
                entries.push(("like", json!(like)));
            }
            entries.push(("total", json!(head.total)));
            entries.push(("took_ms", json!(head.took_ms)));
            entries.push(("collapsed", json!(head.collapse)));
        }
        write!(self.out, "{{")?;
        for (key, value) in entries {
            write!(
                self.out,
                "\n  {}: {},",
                serde_json::to_string(key).map_err(io::Error::other)?,
                pretty(&value, "  ")?
            )?;
        }
        write!(self.out, "\n  \"hits\": ")
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let sep = if self.written == 0 { "[" } else { "," };
        write!(
            self.out,
            "{sep}\n    {}",
            pretty(&self.keys.value(hit), "    ")?
        )?;
        self.written += 1;
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.written == 0 {
            writeln!(self.out, "[]\n}}")
        } else {
            writeln!(self.out, "\n  ]\n}}")
        }
    }
}

/// One hit object a line, nothing else.
pub struct NdjsonWriter<'a> {
    out: &'a mut dyn Write,
    fields: Vec<Column>,
    keys: HitKeys,
}

impl<'a> NdjsonWriter<'a> {
    pub fn new(out: &'a mut dyn Write, opts: &WriterOptions) -> NdjsonWriter<'a> {
        NdjsonWriter {
            out,
            fields: opts.fields.clone(),
            keys: HitKeys::Search,
        }
    }
}

impl HitWriter for NdjsonWriter<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.keys = hit_keys(&self.fields, head);
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        serde_json::to_writer(&mut *self.out, &self.keys.value(hit))?;
        writeln!(self.out)
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Style;
    use crate::render::stream::samples;

    fn render(head: &Head, hits: &[Hit], fields: Vec<Column>) -> String {
        let opts = WriterOptions {
            style: Style { color: false },
            fields,
            excel: false,
        };
        let mut out = Vec::new();
        crate::render::write_hits(&mut out, super::super::HitFormat::Json, &opts, head, hits)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn head(count: usize) -> Head {
        Head {
            query: "Fähre \"x\"".into(),
            filters: serde_json::Map::new(),
            total: 9,
            offset: 0,
            count,
            took_ms: Some(3),
            export: None,
            collapse: None,
            like: None,
        }
    }

    /// The streamed search object is byte for byte what `to_writer_pretty`
    /// makes of the whole object, as `search --format json` always printed.
    #[test]
    fn streamed_search_json_is_laid_out_as_pretty_json() {
        for n in 0..3 {
            let hits: Vec<Hit> = (1..=n).map(samples::hit).collect();
            let whole = json!({
                "query": "Fähre \"x\"",
                "total": 9,
                "took_ms": 3,
                "collapsed": null,
                "hits": hits.iter().map(hit_json).collect::<Vec<_>>(),
            });
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(render(&head(n), &hits, Vec::new()), expected);
        }
    }

    #[test]
    fn export_json_records_filters_index_and_time_and_picks_columns() {
        let mut head = head(1);
        head.filters.insert("from".into(), json!("2024"));
        head.export = Some(crate::render::ExportInfo {
            index_path: "index".into(),
            index_articles: 42,
            exported_at: "2026-01-01T00:00:00+01:00".into(),
        });
        let text = render(
            &head,
            &[samples::hit(1)],
            vec![Column::Title, Column::Score],
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value,
            json!({
                "query": "Fähre \"x\"",
                "filters": {"from": "2024"},
                "index": {"path": "index", "articles": 42},
                "exported_at": "2026-01-01T00:00:00+01:00",
                "total": 9,
                "hits": [{"title": "Fähre <b>\"Ja, wir\"; | *fahren*\nZeile 2", "score": 12.346}],
            })
        );
        assert!(
            text.contains("\"score\": 12.346\n"),
            "three decimals: {text}"
        );
    }
}
