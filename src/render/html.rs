//! The HTML report: one self-contained page (inline CSS and SVG, no script,
//! no external asset) with the query and filters, the hit count, a timeline
//! of hits over time, the top countries, actors and sources as bars, and the
//! hit list with links, dates, sources and snippets.
//!
//! Streaming: the hit list is written as the hits arrive; the writer keeps
//! only counts per day, country, actor and source (bounded by the distinct
//! values, not by the hits) and writes the overview after the list, where a
//! flexbox `order` shows it above the list.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};

use super::stream::{Head, HitWriter, highlight_runs};
use crate::search::Hit;

/// Bars shown per facet.
const TOP_BARS: usize = 12;

/// Text escaped for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text with the highlighted ranges in `<mark>`.
fn marked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    highlight_runs(text, ranges)
        .into_iter()
        .map(|(hl, run)| {
            if hl {
                format!("<mark>{}</mark>", escape(run))
            } else {
                escape(run)
            }
        })
        .collect()
}

/// Digits in groups of three, with a narrow space (readable in any language).
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// Only web links become `href`s (never `javascript:` and the like).
fn web_link(url: Option<&str>) -> Option<&str> {
    let url = url?.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

const STYLE: &str = r#"
:root { --ink:#1d2430; --muted:#5b6575; --line:#e3e7ee; --accent:#2f6fb3; --accent-soft:#d6e6f7; --bg:#f6f8fb; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
.page { max-width: 1040px; margin: 0 auto; padding: 28px 24px 48px; }
header { margin-bottom: 20px; }
.kicker { margin:0; color:var(--muted); font-size:13px; letter-spacing:.08em; text-transform:uppercase; }
h1 { margin:4px 0 6px; font-size:30px; line-height:1.2; word-break:break-word; }
.count { margin:0 0 10px; font-size:18px; }
.count strong { font-size:22px; color:var(--accent); }
.filters { display:flex; flex-wrap:wrap; gap:6px; margin:0 0 8px; padding:0; list-style:none; }
.filters li { background:#fff; border:1px solid var(--line); border-radius:999px; padding:2px 10px; font-size:14px; }
.filters b { color:var(--muted); font-weight:600; }
.meta { margin:0; color:var(--muted); font-size:13px; }
code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
.report { display:flex; flex-direction:column; gap:20px; }
.overview { order:-1; display:grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap:20px; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:16px 18px; }
.card h2 { margin:0 0 10px; font-size:16px; }
.card .note { margin:6px 0 0; color:var(--muted); font-size:13px; }
.timeline { grid-column: 1 / -1; }
.timeline svg { display:block; width:100%; height:auto; }
.timeline .bar { fill:var(--accent); }
.timeline .grid { stroke:var(--line); stroke-width:1; }
.timeline .axis { stroke:#9aa4b2; stroke-width:1; }
.timeline text { fill:var(--muted); font: 11px system-ui, "DejaVu Sans", sans-serif; }
.bars { margin:0; padding:0; list-style:none; }
.bars li { display:grid; grid-template-columns: minmax(0, 11em) minmax(48px, 1fr) 2.6em; gap:8px; align-items:center; font-size:14px; margin:3px 0; }
.bars .label { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.bars .track { background:var(--accent-soft); border-radius:3px; height:12px; overflow:hidden; }
.bars .fill { display:block; background:var(--accent); height:100%; }
.bars .n { text-align:right; color:var(--muted); font-variant-numeric: tabular-nums; }
.empty { color:var(--muted); font-size:14px; margin:0; }
.hits h2 { margin:0 0 8px; font-size:18px; }
.hits ol { margin:0; padding-left:3.2em; }
.hit { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 16px; margin:0 0 10px; }
.hit::marker { color:var(--muted); font-weight:600; }
.hit .line { color:var(--muted); font-size:13px; }
.hit .source { color:var(--ink); font-weight:600; }
.hit h3 { margin:2px 0 4px; font-size:17px; line-height:1.35; word-break:break-word; }
.hit h3 a { color:var(--accent); text-decoration:none; }
.hit h3 a:hover { text-decoration:underline; }
.hit p { margin:0; }
.hit .path { color:var(--muted); font-size:12px; margin-top:4px; word-break:break-all; }
mark { background:#fff1a8; color:inherit; padding:0 1px; border-radius:2px; }
footer { margin-top:28px; color:var(--muted); font-size:12px; }
@media (max-width: 760px) { .overview { grid-template-columns: 1fr; } }
@media print { body { background:#fff; } .card, .hit { break-inside: avoid; } }
"#;

pub struct HtmlWriter<'a> {
    out: &'a mut dyn Write,
    days: BTreeMap<NaiveDate, usize>,
    undated: usize,
    countries: HashMap<String, usize>,
    actors: HashMap<String, usize>,
    sources: HashMap<String, usize>,
    written: usize,
}

impl<'a> HtmlWriter<'a> {
    pub fn new(out: &'a mut dyn Write) -> HtmlWriter<'a> {
        HtmlWriter {
            out,
            days: BTreeMap::new(),
            undated: 0,
            countries: HashMap::new(),
            actors: HashMap::new(),
            sources: HashMap::new(),
            written: 0,
        }
    }

    fn count(&mut self, hit: &Hit) {
        let a = &hit.article;
        match a.date {
            Some(d) => *self.days.entry(d).or_default() += 1,
            None => self.undated += 1,
        }
        // Each value once per hit, even if an article lists it twice.
        let mut seen: Vec<&str> = Vec::new();
        for c in &a.countries {
            if !seen.contains(&c.as_str()) {
                seen.push(c);
                *self.countries.entry(c.clone()).or_default() += 1;
            }
        }
        seen.clear();
        for c in &a.actors {
            if !seen.contains(&c.as_str()) {
                seen.push(c);
                *self.actors.entry(c.clone()).or_default() += 1;
            }
        }
        if let Some(s) = &a.source {
            *self.sources.entry(s.clone()).or_default() += 1;
        }
    }
}

impl HitWriter for HtmlWriter<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        let noun = if head.total == 1 { "hit" } else { "hits" };
        let query = escape(&head.query);
        write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"archiv {}\">\n\
             <title>“{query}”: {} {noun} – archiv</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <div class=\"page\">\n<header>\n<p class=\"kicker\">archiv report</p>\n<h1>“{query}”</h1>\n",
            env!("CARGO_PKG_VERSION"),
            group(head.total),
        )?;
        let shown = if head.count < head.total {
            if head.count == 0 {
                ", none of them listed".to_string()
            } else {
                format!(
                    ", hits {}–{} listed",
                    group(head.offset + 1),
                    group(head.offset + head.count)
                )
            }
        } else {
            String::new()
        };
        writeln!(
            self.out,
            "<p class=\"count\" id=\"hit-count\" data-total=\"{}\" data-listed=\"{}\"><strong>{}</strong> {noun}{shown}</p>",
            head.total,
            head.count,
            group(head.total)
        )?;
        let filters = head.filters_given();
        if !filters.is_empty() {
            write!(self.out, "<ul class=\"filters\">")?;
            for (name, value) in filters {
                write!(
                    self.out,
                    "<li><b>{}</b> {}</li>",
                    escape(&name),
                    escape(&value)
                )?;
            }
            writeln!(self.out, "</ul>")?;
        }
        let mut meta = Vec::new();
        if let Some(export) = &head.export {
            meta.push(format!(
                "index <code>{}</code> ({} articles)",
                escape(&export.index_path),
                group(export.index_articles as usize)
            ));
            meta.push(format!("exported {}", escape(&export.exported_at)));
        }
        if let Some(ms) = head.took_ms {
            meta.push(format!("searched in {ms} ms"));
        }
        if let Some(note) = head.collapse_note() {
            meta.push(escape(&note));
        }
        if !meta.is_empty() {
            writeln!(self.out, "<p class=\"meta\">{}</p>", meta.join(" · "))?;
        }
        writeln!(
            self.out,
            "</header>\n<main class=\"report\">\n<section class=\"hits\">\n<h2>Hits</h2>"
        )?;
        if head.count == 0 {
            writeln!(self.out, "<p class=\"empty\">No hits.</p>")?;
        } else {
            writeln!(self.out, "<ol start=\"{}\">", head.offset + 1)?;
        }
        Ok(())
    }

    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.count(hit);
        self.written += 1;
        let a = &hit.article;
        let date = a.date.map_or_else(
            || "undated".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        );
        let mut line = format!("<time>{date}</time>");
        if let Some(source) = &a.source {
            line.push_str(&format!(
                " · <span class=\"source\">{}</span>",
                escape(source)
            ));
        }
        if let Some(score) = hit.score {
            line.push_str(&format!(" · score {score:.2}"));
        }
        let title = match &a.title {
            Some(t) => marked(t, &hit.title_highlights),
            None => "(untitled)".to_string(),
        };
        let title = match web_link(a.url.as_deref()) {
            Some(url) => format!("<a href=\"{}\">{title}</a>", escape(url)),
            None => title,
        };
        writeln!(
            self.out,
            "<li class=\"hit\" value=\"{}\"><div class=\"line\">{line}</div>\n<h3>{title}</h3>\n<p>{}</p>\n<div class=\"path\">{} · id {}</div></li>",
            hit.rank,
            marked(&hit.snippet.text, &hit.snippet.highlights),
            escape(&a.path),
            escape(&a.id)
        )
    }

    fn end(&mut self) -> io::Result<()> {
        if self.written > 0 {
            writeln!(self.out, "</ol>")?;
        }
        writeln!(self.out, "</section>\n<section class=\"overview\">")?;
        write_timeline(self.out, &self.days, self.undated)?;
        let country = |code: &str| match crate::entities::countries::country_name(code) {
            Some(name) => format!("{name} {code}"),
            None => code.to_string(),
        };
        write_bars(
            self.out,
            "Countries",
            &self.countries,
            self.written,
            &country,
        )?;
        let same = |name: &str| name.to_string();
        write_bars(self.out, "Actors", &self.actors, self.written, &same)?;
        write_bars(self.out, "Sources", &self.sources, self.written, &same)?;
        writeln!(
            self.out,
            "</section>\n</main>\n<footer>Made by archiv {}. This page is self-contained and works offline.</footer>\n</div>\n</body>\n</html>",
            env!("CARGO_PKG_VERSION")
        )?;
        self.out.flush()
    }
}

/// Bucket width of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Day,
    Week,
    Month,
}

impl Bucket {
    /// Days up to 4 months, weeks up to 2 years, months beyond.
    fn for_span(days: i64) -> Bucket {
        if days <= 120 {
            Bucket::Day
        } else if days <= 730 {
            Bucket::Week
        } else {
            Bucket::Month
        }
    }

    fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => d,
            Bucket::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
            Bucket::Month => d.with_day(1).unwrap_or(d),
        }
    }

    fn next(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => d + Duration::days(1),
            Bucket::Week => d + Duration::days(7),
            Bucket::Month => d
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    fn label(self, d: NaiveDate) -> String {
        match self {
            Bucket::Day => d.format("%Y-%m-%d").to_string(),
            Bucket::Week => d.format("%G-W%V").to_string(),
            Bucket::Month => d.format("%Y-%m").to_string(),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }
}

/// A round step for about `target` grid lines up to `max`.
fn nice_step(max: usize, target: usize) -> usize {
    let raw = (max as f64 / target as f64).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    step.max(1.0) as usize
}

fn write_timeline(
    out: &mut dyn Write,
    days: &BTreeMap<NaiveDate, usize>,
    undated: usize,
) -> io::Result<()> {
    write!(out, "<div class=\"card timeline\">")?;
    let (Some((&first, _)), Some((&last, _))) = (days.first_key_value(), days.last_key_value())
    else {
        writeln!(
            out,
            "<h2>Hits over time</h2><p class=\"empty\">No dated hits.</p></div>"
        )?;
        return Ok(());
    };
    let bucket = Bucket::for_span((last - first).num_days());
    let mut buckets: Vec<(NaiveDate, usize)> = Vec::new();
    let mut at = bucket.start(first);
    while at <= last {
        buckets.push((at, 0));
        at = bucket.next(at);
    }
    for (d, n) in days {
        let start = bucket.start(*d);
        if let Ok(i) = buckets.binary_search_by_key(&start, |b| b.0) {
            buckets[i].1 += n;
        }
    }
    let max = buckets.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let step = nice_step(max, 4);
    let top = max.div_ceil(step) * step;

    let (width, height) = (960.0_f64, 240.0_f64);
    let (left, right, upper, lower) = (44.0, 12.0, 12.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - upper - lower;
    let n = buckets.len() as f64;
    let slot = plot_w / n;
    let gap = if slot > 4.0 { slot * 0.18 } else { 0.0 };
    writeln!(
        out,
        "<h2>Hits over time, by {}</h2>\n<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Hits per {} from {} to {}\">",
        bucket.noun(),
        bucket.noun(),
        bucket.label(first),
        bucket.label(last)
    )?;
    let y = |v: usize| upper + plot_h - plot_h * v as f64 / top as f64;
    let mut tick = 0;
    while tick <= top {
        let ty = y(tick);
        writeln!(
            out,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            width - right,
            left - 6.0,
            ty + 4.0
        )?;
        tick += step;
    }
    for (i, (start, count)) in buckets.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let x = left + i as f64 * slot + gap / 2.0;
        let top_y = y(*count);
        writeln!(
            out,
            "<rect class=\"bar\" x=\"{x:.2}\" y=\"{top_y:.2}\" width=\"{:.2}\" height=\"{:.2}\"><title>{}: {count} {}</title></rect>",
            (slot - gap).max(0.8),
            upper + plot_h - top_y,
            bucket.label(*start),
            if *count == 1 { "hit" } else { "hits" }
        )?;
    }
    let base = upper + plot_h;
    writeln!(
        out,
        "<line class=\"axis\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{base:.1}\" y2=\"{base:.1}\"/>",
        width - right
    )?;
    // About eight labels, evenly spaced, always the first.
    let every = buckets.len().div_ceil(8).max(1);
    for (i, (start, _)) in buckets.iter().enumerate().step_by(every) {
        let x = left + (i as f64 + 0.5) * slot;
        writeln!(
            out,
            "<line class=\"axis\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{base:.1}\" y2=\"{:.1}\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            base + 4.0,
            base + 18.0,
            bucket.label(*start)
        )?;
    }
    writeln!(out, "</svg>")?;
    let dated: usize = days.values().sum();
    let mut note = format!(
        "{} dated {} from {} to {}",
        group(dated),
        if dated == 1 { "hit" } else { "hits" },
        first.format("%Y-%m-%d"),
        last.format("%Y-%m-%d")
    );
    if undated > 0 {
        note.push_str(&format!("; {} undated not shown", group(undated)));
    }
    writeln!(out, "<p class=\"note\">{note}.</p></div>")
}

fn write_bars(
    out: &mut dyn Write,
    title: &str,
    counts: &HashMap<String, usize>,
    hits: usize,
    label: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    write!(out, "<div class=\"card\"><h2>{title}</h2>")?;
    if counts.is_empty() {
        writeln!(
            out,
            "<p class=\"empty\">None recorded for these hits.</p></div>"
        )?;
        return Ok(());
    }
    let mut top: Vec<(&String, &usize)> = counts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let max = *top[0].1 as f64;
    write!(out, "<ul class=\"bars\">")?;
    for (name, n) in top.iter().take(TOP_BARS) {
        let name = escape(&label(name));
        writeln!(
            out,
            "<li><span class=\"label\" title=\"{name}\">{name}</span><span class=\"track\"><span class=\"fill\" style=\"width:{:.1}%\"></span></span><span class=\"n\">{}</span></li>",
            **n as f64 / max * 100.0,
            group(**n)
        )?;
    }
    write!(out, "</ul>")?;
    let mut note = format!("{} different in {} hits", group(top.len()), group(hits));
    if top.len() > TOP_BARS {
        note.push_str(&format!("; the top {TOP_BARS} shown"));
    }
    writeln!(out, "<p class=\"note\">{note}</p></div>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::stream::samples;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        let first: Vec<_> = std::iter::once(0..1).collect();
        assert_eq!(marked("a<b", &first), "<mark>a</mark>&lt;b");
    }

    #[test]
    fn only_web_links_are_linked() {
        assert_eq!(web_link(Some(" https://a.de/x ")), Some("https://a.de/x"));
        assert_eq!(web_link(Some("HTTP://a.de")), Some("HTTP://a.de"));
        assert_eq!(web_link(Some("javascript:alert(1)")), None);
        assert_eq!(web_link(Some("http")), None);
        assert_eq!(web_link(None), None);
    }

    #[test]
    fn numbers_are_grouped_by_three() {
        assert_eq!(group(7), "7");
        assert_eq!(group(417), "417");
        assert_eq!(group(8727), "8\u{202f}727");
        assert_eq!(group(1234567), "1\u{202f}234\u{202f}567");
    }

    #[test]
    fn timeline_buckets_follow_the_span() {
        assert_eq!(Bucket::for_span(0), Bucket::Day);
        assert_eq!(Bucket::for_span(120), Bucket::Day);
        assert_eq!(Bucket::for_span(300), Bucket::Week);
        assert_eq!(Bucket::for_span(3000), Bucket::Month);
        let d = NaiveDate::from_ymd_opt(2024, 10, 23).unwrap(); // a Wednesday
        assert_eq!(Bucket::Week.start(d).to_string(), "2024-10-21");
        assert_eq!(Bucket::Week.label(d), "2024-W43");
        assert_eq!(Bucket::Month.start(d).to_string(), "2024-10-01");
        assert_eq!(Bucket::Month.next(d).to_string(), "2024-11-23");
        assert_eq!(nice_step(93, 4), 50);
        assert_eq!(nice_step(3, 4), 1);
        assert_eq!(nice_step(1200, 4), 500);
    }

    #[test]
    fn report_counts_facets_and_escapes_hits() {
        let mut out = Vec::new();
        let head = Head {
            query: "<Fähre>".into(),
            filters: serde_json::Map::new(),
            total: 2,
            offset: 0,
            count: 2,
            took_ms: None,
            export: None,
            collapse: None,
            like: None,
        };
        let mut w = HtmlWriter::new(&mut out);
        w.begin(&head).unwrap();
        w.hit(&samples::hit(1)).unwrap();
        w.hit(&samples::hit(2)).unwrap();
        w.end().unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("<h1>“&lt;Fähre&gt;”</h1>"));
        assert!(html.contains("<mark>Fähre</mark> &lt;b&gt;&quot;Ja, wir&quot;"));
        assert!(html.contains("href=\"https://seeblatt.de/a (1)\""));
        assert!(html.contains("<svg"));
        assert_eq!(html.matches("<rect class=\"bar\"").count(), 2, "two days");
        assert!(html.contains("title=\"Deutschland DE\">Deutschland DE</span>"));
        assert!(html.contains("<span class=\"n\">2</span>"));
    }
}
