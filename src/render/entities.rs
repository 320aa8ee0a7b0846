//! Rendering of entity findings: `extract` output, facets and the timeline.

use std::io::{self, Write};

use crate::extract::Extracted;
use crate::search::facets::{Count, Timeline};

use super::Format;

fn countries_line(e: &Extracted) -> String {
    if e.countries.is_empty() {
        return "-".into();
    }
    e.countries
        .iter()
        .map(|c| format!("{} {} ({})", c.code, c.name, c.mentions))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn write_extracted(out: &mut dyn Write, items: &[Extracted], format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            if let [one] = items {
                serde_json::to_writer_pretty(&mut *out, one)?;
            } else {
                serde_json::to_writer_pretty(&mut *out, items)?;
            }
            writeln!(out)
        }
        Format::Ndjson => {
            for e in items {
                serde_json::to_writer(&mut *out, e)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Text => {
            for (n, e) in items.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                let title = match (&e.title, e.title_derived) {
                    (Some(t), true) => format!("{t} (derived)"),
                    (Some(t), false) => t.clone(),
                    (None, _) => "(untitled)".into(),
                };
                let date = match &e.date {
                    Some(d) => format!(
                        "{d} (from {}{})",
                        e.date_source.as_str(),
                        e.date_granularity
                            .map(|g| format!(", {}", g.as_str()))
                            .unwrap_or_default()
                    ),
                    None => "none found".into(),
                };
                writeln!(out, "path:      {}", e.path)?;
                writeln!(out, "title:     {title}")?;
                writeln!(out, "date:      {date}")?;
                writeln!(out, "language:  {}", e.language.as_deref().unwrap_or("-"))?;
                writeln!(out, "source:    {}", e.source.as_deref().unwrap_or("-"))?;
                writeln!(out, "countries: {}", countries_line(e))?;
                if e.actors.is_empty() {
                    writeln!(out, "actors:    -")?;
                }
                for (i, a) in e.actors.iter().enumerate() {
                    let label = if i == 0 { "actors:   " } else { "          " };
                    let kind = match a.kind {
                        crate::entities::ActorKind::Person => "person",
                        crate::entities::ActorKind::Organisation => "organisation",
                    };
                    let role = a
                        .role
                        .as_deref()
                        .map(|r| format!(", {r}"))
                        .unwrap_or_default();
                    writeln!(out, "{label} {} ({kind}{role}, {})", a.name, a.mentions)?;
                }
            }
            Ok(())
        }
    }
}

/// A table of counts with bars scaled to the largest.
pub fn write_counts(
    out: &mut dyn Write,
    title: &str,
    counts: &[Count],
    top: usize,
    label: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    writeln!(out, "{title}")?;
    if counts.is_empty() {
        return writeln!(out, "  -");
    }
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    let shown: Vec<(String, &Count)> = counts
        .iter()
        .take(top)
        .map(|c| (label(&c.value), c))
        .collect();
    let width = shown
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (l, c) in shown {
        let bar = "█".repeat(((c.count * 30).div_ceil(max)) as usize);
        writeln!(out, "  {l:<width$}  {:>6}  {bar}", c.count)?;
    }
    if counts.len() > top {
        writeln!(out, "  … and {} more", counts.len() - top)?;
    }
    Ok(())
}

pub fn write_timeline(out: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    let unit = match t.bucket {
        crate::search::facets::Bucket::Day => "day",
        crate::search::facets::Bucket::Week => "week",
        crate::search::facets::Bucket::Month => "month",
    };
    writeln!(out, "hits per {unit}")?;
    let max = t.counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    for (start, n) in &t.counts {
        let label = match t.bucket {
            crate::search::facets::Bucket::Month => start.format("%Y-%m").to_string(),
            _ => start.format("%Y-%m-%d").to_string(),
        };
        let bar = "█".repeat(((n * 40).div_ceil(max)) as usize);
        writeln!(out, "  {label:<10}  {n:>6}  {bar}")?;
    }
    if t.undated > 0 {
        writeln!(out, "  undated     {:>6}", t.undated)?;
    }
    Ok(())
}
