//! Markdown hit lists to paste into notes: a numbered list (date, source,
//! linked title, snippet with the matched words in bold), or a table of the
//! columns picked with `--fields`.

use std::io::{self, Write};

use super::columns::Column;
use super::stream::{Head, HitWriter, WriterOptions, highlight_runs};
use crate::search::Hit;

/// Text with Markdown's markup characters escaped and line breaks as spaces,
/// so that it stays one line of literal text (also inside a table cell).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A URL usable as a link destination: spaces, parentheses and angle
/// brackets percent-encoded.
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// The title, linked to the article's URL when it has one.
fn linked_title(hit: &Hit) -> String {
    let a = &hit.article;
    let title = escape(a.title.as_deref().unwrap_or("(untitled)"));
    match a.url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => format!("[{title}]({})", link_target(url)),
        None => title,
    }
}

/// The snippet with the matched words in bold.
fn snippet(hit: &Hit) -> String {
    highlight_runs(&hit.snippet.text, &hit.snippet.highlights)
        .into_iter()
        .map(|(marked, run)| {
            let text = escape(run);
            if marked && !text.trim().is_empty() {
                format!("**{text}**")
            } else {
                text
            }
        })
        .collect()
}

pub struct MarkdownWriter<'a> {
    out: &'a mut dyn Write,
    /// Empty: the numbered list; else a table of these columns.
    columns: Vec<Column>,
}

impl<'a> MarkdownWriter<'a> {
    pub fn new(out: &'a mut dyn Write, opts: &WriterOptions) -> MarkdownWriter<'a> {
        MarkdownWriter {
            out,
            columns: opts.fields.clone(),
        }
    }
}

impl HitWriter for MarkdownWriter<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        let noun = if head.total == 1 { "hit" } else { "hits" };
        let shown = if head.count < head.total {
            if head.count == 0 {
                ", none shown".to_string()
            } else {
                format!(", {}–{} shown", head.offset + 1, head.offset + head.count)
            }
        } else {
            String::new()
        };
        writeln!(
            self.out,
            "## {} {noun} for “{}”{shown}\n",
            head.total,
            escape(&head.query)
        )?;
        let mut facts: Vec<String> = head
            .filters_given()
            .into_iter()
            .map(|(name, value)| format!("{name}: {}", escape(&value)))
            .collect();
        if let Some(export) = &head.export {
            facts.push(format!(
                "index `{}` ({} articles)",
                export.index_path.replace('`', "'"),
                export.index_articles
            ));
            facts.push(format!("exported {}", export.exported_at));
        }
        if let Some(note) = head.collapse_note() {
            facts.push(escape(&note));
        }
        if !facts.is_empty() {
            writeln!(self.out, "{}\n", facts.join(" · "))?;
        }
        if !self.columns.is_empty() {
            let names: Vec<&str> = self.columns.iter().map(|c| c.name()).collect();
            writeln!(self.out, "| {} |", names.join(" | "))?;
            let rules: Vec<&str> = self
                .columns
                .iter()
                .map(|c| match c {
                    Column::Rank | Column::Score => "---:",
                    _ => "---",
                })
                .collect();
            writeln!(self.out, "| {} |", rules.join(" | "))?;
        }
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        if !self.columns.is_empty() {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|c| match c {
                    Column::Title => linked_title(hit),
                    c => escape(&c.text(hit, false)),
                })
                .collect();
            return writeln!(self.out, "| {} |", cells.join(" | "));
        }
        let a = &hit.article;
        let marker = format!("{}. ", hit.rank);
        let indent = " ".repeat(marker.len());
        let mut line = marker;
        line.push_str(&a.date.map_or_else(
            || "undated".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        ));
        if let Some(source) = &a.source {
            line.push_str(" · ");
            line.push_str(&escape(source));
        }
        line.push_str(" · **");
        line.push_str(&linked_title(hit));
        line.push_str("**");
        let snippet = snippet(hit);
        if snippet.is_empty() {
            writeln!(self.out, "{line}")?;
        } else {
            // Two spaces: a line break inside the list item.
            writeln!(self.out, "{line}  \n{indent}{snippet}")?;
        }
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

    fn render(fields: Vec<Column>) -> String {
        let head = Head {
            query: "Fähre".into(),
            filters: serde_json::Map::new(),
            total: 1,
            offset: 0,
            count: 1,
            took_ms: None,
            export: None,
            collapse: None,
            like: None,
        };
        let opts = WriterOptions {
            style: Style { color: false },
            fields,
            excel: false,
        };
        let mut out = Vec::new();
        crate::render::write_hits(
            &mut out,
            crate::render::HitFormat::Markdown,
            &opts,
            &head,
            &[samples::hit(1)],
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn list_item_links_the_title_and_bolds_matches() {
        assert_eq!(
            render(Vec::new()),
            "## 1 hit for “Fähre”\n\n\
             1. 2024-10-21 · seeblatt.de · **[Fähre \\<b\\>\"Ja, wir\"; \\| \\*fahren\\* Zeile 2](https://seeblatt.de/a%20%281%29)**  \n   \
             Die **Fähre** fährt.\n\n"
        );
    }

    #[test]
    fn fields_make_a_table() {
        let md = render(vec![Column::Rank, Column::Countries, Column::Title]);
        assert!(
            md.ends_with(
                "| rank | countries | title |\n| ---: | --- | --- |\n\
                 | 1 | DE; AT | [Fähre \\<b\\>\"Ja, wir\"; \\| \\*fahren\\* Zeile 2](https://seeblatt.de/a%20%281%29) |\n"
            ),
            "{md}"
        );
    }
}
