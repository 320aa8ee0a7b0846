//! Saved HTML article pages: main content through readability (navigation,
//! asides, footers and cookie banners stay out), metadata from the head.

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use serde_json::Value;

use crate::article::{Article, Shape};
use crate::entities::dates;
use crate::ingest::json::{domain_of, normalize_source};
use crate::ingest::text::first_sentence;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HtmlError {
    #[error("no article text found in the page")]
    NoText,
    #[error("HTML elements nested more than {MAX_DEPTH} deep")]
    TooDeep,
}

/// Deepest element nesting read. Real pages stay below a hundred; the
/// readability pass costs the square of the depth, and its recursion can
/// overflow the stack on pages tens of thousands deep.
pub const MAX_DEPTH: usize = 512;

/// Elements without content or whose end tag the parser implies (a new `<p>`
/// closes the open one), so they add no depth when left open.
fn adds_no_depth(name: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"param",
        b"source",
        b"track",
        b"wbr",
        b"keygen",
        b"frame",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"tr",
        b"td",
        b"th",
        b"option",
        b"optgroup",
        b"rb",
        b"rt",
        b"rtc",
        b"rp",
        b"thead",
        b"tbody",
        b"tfoot",
        b"colgroup",
        b"caption",
        b"html",
        b"head",
        b"body",
        b"a",
        b"nobr",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Whether the page nests elements deeper than `limit`, from a single scan
/// over its tags (comments and script or style contents skipped), before
/// any tree is built.
pub fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let find = |from: usize, needle: &[u8]| -> usize {
        memchr::memmem::find(&bytes[from.min(bytes.len())..], needle)
            .map_or(bytes.len(), |i| from + i)
    };
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + lt + 1;
        let rest = &bytes[start..];
        if rest.starts_with(b"!--") {
            at = find(start + 3, b"-->") + 3;
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!doctype`, `<?xml`, or a bare `<` in text.
            at = start;
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        let end = find(name_start + name_len, b">");
        at = (end + 1).min(bytes.len());
        if closing {
            if !adds_no_depth(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let self_closing = end > 0 && end < bytes.len() && bytes[end - 1] == b'/';
        if [
            b"script".as_slice(),
            b"style",
            b"textarea",
            b"title",
            b"xmp",
        ]
        .iter()
        .any(|raw| raw.eq_ignore_ascii_case(name))
        {
            // Raw text: whatever looks like tags inside is not.
            let lower: Vec<u8> = name.to_ascii_lowercase();
            let mut close = Vec::with_capacity(lower.len() + 2);
            close.extend_from_slice(b"</");
            close.extend_from_slice(&lower);
            at = (find_ignore_case(bytes, at, &close) + close.len()).min(bytes.len());
            continue;
        }
        if self_closing || adds_no_depth(name) {
            continue;
        }
        depth += 1;
        if depth > limit {
            return true;
        }
    }
    false
}

/// Where `needle` (lower case) starts in `bytes` from `from` on, in any case;
/// the end when it does not occur.
fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    let mut at = from;
    while let Some(i) = memchr::memchr(b'<', &bytes[at.min(bytes.len())..]) {
        let pos = at + i;
        if bytes.len() - pos >= needle.len()
            && bytes[pos..pos + needle.len()].eq_ignore_ascii_case(needle)
        {
            return pos;
        }
        at = pos + 1;
    }
    bytes.len()
}

fn meta(doc: &Document, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|sel| {
        doc.select(sel)
            .attr("content")
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Headline | Site`, `Headline - Site`, `Headline – Site` → `Headline`.
fn strip_site_suffix(title: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.split_whitespace().count() <= 4
            && head.chars().count() >= 10
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// JSON-LD objects of the page, flattened through `@graph` and arrays.
fn json_ld(doc: &Document) -> Vec<Value> {
    let mut out = Vec::new();
    for node in doc.select("script[type='application/ld+json']").iter() {
        let Ok(value) = serde_json::from_str::<Value>(node.text().trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items),
                Value::Object(mut obj) => {
                    if let Some(graph) = obj.remove("@graph") {
                        stack.push(graph);
                    }
                    out.push(Value::Object(obj));
                }
                _ => {}
            }
        }
    }
    out
}

fn ld_str(objects: &[Value], key: &str) -> Option<String> {
    objects.iter().find_map(|o| match o.get(key)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Object(inner) => inner
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string),
        Value::Array(items) => items.iter().find_map(|i| match i {
            Value::String(s) => Some(s.clone()),
            Value::Object(inner) => inner
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        }),
        _ => None,
    })
}

/// Paragraph text of a content element, without boilerplate elements.
fn fallback_text(doc: &Document) -> String {
    doc.select(
        "script, style, noscript, nav, header, footer, aside, form, [class*=cookie], [id*=cookie]",
    )
    .remove();
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .map(|sel| doc.select(sel))
        .find(|s| s.exists());
    let Some(root) = root else {
        return collapse_ws(&doc.text());
    };
    let paras: Vec<String> = root
        .select("p, h2, h3, li, blockquote")
        .iter()
        .map(|n| collapse_ws(&n.text()))
        .filter(|t| !t.is_empty())
        .collect();
    if paras.is_empty() {
        collapse_ws(&root.text())
    } else {
        paras.join("\n\n")
    }
}

/// Tidies readability's formatted text: one blank line between paragraphs,
/// and no leading date or byline lines (`23.10.2024, 18:00 Uhr`, `Von · …`).
fn tidy_paragraphs(text: &str) -> String {
    let paras: Vec<String> = text
        .lines()
        .map(collapse_ws)
        .filter(|l| !l.is_empty())
        .collect();
    let start = paras.iter().take_while(|p| is_meta_line(p)).count();
    paras[start.min(paras.len())..].join("\n\n")
}

/// A short line that only dates or credits the article.
fn is_meta_line(line: &str) -> bool {
    static DATE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let date = DATE.get_or_init(|| {
        regex::Regex::new(
            r"\b\d{1,2}\.\s?(\d{1,2}\.|[A-ZÄÖÜ][a-zäöü]+)\s?\d{4}\b|\b\d{1,2}:\d{2}\s?Uhr\b",
        )
        .unwrap()
    });
    line.chars().count() <= 100
        && !line.ends_with('.')
        && (date.is_match(line) || line.starts_with("Von "))
}

pub fn parse(address: String, html: &str, encoding: &'static str) -> Result<Article, HtmlError> {
    if nests_deeper_than(html, MAX_DEPTH) {
        return Err(HtmlError::TooDeep);
    }
    let doc = Document::from(html);
    let ld = json_ld(&doc);
    let mut article = Article::new(address, Shape::Html, encoding);

    let h1 = doc
        .select("h1")
        .iter()
        .next()
        .map(|n| collapse_ws(&n.text()));
    let title_tag = doc
        .select("title")
        .iter()
        .next()
        .map(|n| collapse_ws(&n.text()));
    article.title = meta(
        &doc,
        &["meta[property='og:title']", "meta[name='twitter:title']"],
    )
    .or_else(|| ld_str(&ld, "headline"))
    .or(h1.filter(|t| !t.is_empty()))
    .or_else(|| title_tag.map(|t| strip_site_suffix(&t)))
    .map(|t| collapse_ws(&t))
    .filter(|t| !t.is_empty());

    article.url = doc
        .select("link[rel='canonical']")
        .attr("href")
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| meta(&doc, &["meta[property='og:url']"]))
        .or_else(|| ld_str(&ld, "url"));

    let date_text = meta(
        &doc,
        &[
            "meta[property='article:published_time']",
            "meta[name='article:published_time']",
            "meta[itemprop='datePublished']",
            "meta[name='date']",
            "meta[name='pubdate']",
            "meta[name='publish-date']",
            "meta[name='dc.date']",
            "meta[name='DC.date.issued']",
        ],
    )
    .or_else(|| ld_str(&ld, "datePublished"))
    .or_else(|| {
        doc.select("time[datetime]")
            .attr("datetime")
            .map(|d| d.to_string())
    });
    article.date = date_text.and_then(|d| dates::parse_metadata_date(&d));

    article.source =
        article.url.as_deref().and_then(domain_of).or_else(|| {
            meta(&doc, &["meta[property='og:site_name']"]).map(|s| normalize_source(&s))
        });
    article.authors = meta(
        &doc,
        &["meta[name='author']", "meta[property='article:author']"],
    )
    .or_else(|| ld_str(&ld, "author"))
    .into_iter()
    .collect();
    article.language = doc
        .select("html")
        .attr("lang")
        .map(|l| {
            l.to_lowercase()
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
        })
        .filter(|l| !l.is_empty());

    let config = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let readable = Readability::new(html, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|a| tidy_paragraphs(&a.text_content))
        .filter(|t| t.split_whitespace().nth(20).is_some());
    let body = match readable {
        Some(text) => text,
        None => fallback_text(&doc),
    };
    // Readability may repeat the headline as the first paragraph.
    let body = match &article.title {
        Some(title) => body
            .strip_prefix(title.as_str())
            .map(|rest| rest.trim_start().to_string())
            .filter(|rest| !rest.is_empty())
            .unwrap_or(body),
        None => body,
    };
    if body.split_whitespace().next().is_none() {
        return Err(HtmlError::NoText);
    }
    article.body = body;
    if article.title.is_none() {
        article.title = first_sentence(&article.body);
        article.title_derived = article.title.is_some();
    }
    if article.date.is_none() {
        article.date = dates::date_from_text(&article.body);
    }
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Pistorius besucht Litauen | Beispielzeitung</title>
<meta property="article:published_time" content="2024-10-23T10:00:00+02:00">
<link rel="canonical" href="https://www.beispiel.de/politik/pistorius-litauen">
</head><body>
<header><nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav></header>
<div class="cookie-banner">Wir verwenden Cookies. Akzeptieren</div>
<main><article><h1>Pistorius besucht Litauen</h1>
<p class="meta">Politik · <time datetime="2024-10-23T10:00:00+02:00">23.10.2024, 10:00 Uhr</time></p>
<p>Der Verteidigungsminister hat am Mittwoch die Brigade in Litauen besucht und mit Soldaten gesprochen.</p>
<p>Die Bundeswehr baut dort eine dauerhaft stationierte Brigade auf, die bis 2027 einsatzbereit sein soll.</p>
<p>Nach Angaben des Ministeriums sollen rund 5000 Soldatinnen und Soldaten dort stationiert werden.</p>
</article>
<aside><h2>Mehr zum Thema</h2><a href="/x">Eine andere Schlagzeile über Panzer</a></aside></main>
<footer>Impressum Datenschutz © Beispielzeitung</footer></body></html>"#;

    #[test]
    fn metadata_and_main_text() {
        let a = parse("p.html".into(), PAGE, "UTF-8").unwrap();
        assert_eq!(a.title.as_deref(), Some("Pistorius besucht Litauen"));
        assert_eq!(a.date.unwrap().date.to_string(), "2024-10-23");
        assert_eq!(a.source.as_deref(), Some("beispiel.de"));
        assert_eq!(a.language.as_deref(), Some("de"));
        assert!(
            a.body.starts_with("Der Verteidigungsminister"),
            "{}",
            a.body
        );
        for boilerplate in ["Startseite", "Cookies", "Impressum", "Mehr zum Thema"] {
            assert!(!a.body.contains(boilerplate), "{boilerplate} in {}", a.body);
        }
    }

    #[test]
    fn nesting_depth() {
        let deep = |n: usize, tag: &str| {
            format!(
                "<body>{}Text{}</body>",
                format!("<{tag}>").repeat(n),
                format!("</{tag}>").repeat(n)
            )
        };
        assert!(!nests_deeper_than(PAGE, 20));
        assert!(!nests_deeper_than(&deep(MAX_DEPTH, "div"), MAX_DEPTH));
        assert!(nests_deeper_than(&deep(MAX_DEPTH + 1, "div"), MAX_DEPTH));
        // Left open, these close each other: no depth.
        assert!(!nests_deeper_than(
            &"<p>Absatz <br> <img src=x>".repeat(5000),
            MAX_DEPTH
        ));
        assert!(!nests_deeper_than(&"<li>Punkt".repeat(5000), MAX_DEPTH));
        assert!(!nests_deeper_than(&"<div/>".repeat(5000), MAX_DEPTH));
        // Tags in comments and scripts are not tags.
        let script = format!(
            "<script>var s = \"{}\";</SCRIPT><div>x</div>",
            "<div>".repeat(5000)
        );
        assert!(!nests_deeper_than(&script, MAX_DEPTH));
        let comment = format!("<!-- {} --><p>x", "<span>".repeat(5000));
        assert!(!nests_deeper_than(&comment, MAX_DEPTH));
        // Unclosed divs stay open in the tree too.
        assert!(nests_deeper_than(&"<div>Text ".repeat(5000), MAX_DEPTH));
        assert_eq!(
            parse("d.html".into(), &deep(100_000, "div"), "UTF-8").unwrap_err(),
            HtmlError::TooDeep
        );
    }

    #[test]
    fn site_suffix() {
        assert_eq!(
            strip_site_suffix("Neuer Audi A5: Schick | www.adac.de"),
            "Neuer Audi A5: Schick"
        );
        assert_eq!(strip_site_suffix("Kurz - Lang"), "Kurz - Lang");
    }
}
