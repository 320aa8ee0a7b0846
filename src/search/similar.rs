//! More like this: the articles most like one article.
//!
//! tantivy's `MoreLikeThisQuery` reads an article's stored fields back and
//! runs each indexed one through its field's tokenizer. The body is indexed
//! (field `body`) but not stored there, and stored (`body_text`) but not
//! indexed; handing the stored text to the `body` tokenizer gives nothing
//! either, since that tokenizer reads the token stream ingest made. The
//! query would see the title and the keyword fields (id, source, …) only.
//! So the terms are made here, with the analyzer that indexed them, and
//! weighed by tf·idf.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::{SearchRequest, SearchResults, find_address, run_query, with_filters};
use crate::analysis;
use crate::error::ArchivError;
use crate::index::{Archive, StoredArticle, StoredFields};

/// Terms the query is made of, the article's most distinctive.
const MAX_TERMS: usize = 30;
/// A title word counts as this many words of the body.
const TITLE_OCCURRENCES: usize = 3;
/// A term in more than this share of the articles says little about any of
/// them...
const MAX_ARTICLE_SHARE: f64 = 0.1;
/// ...but in a small archive a term may be in this many articles (or in half
/// of them, whichever is fewer) before it is left out.
const SMALL_ARCHIVE_ARTICLES: f64 = 20.0;
/// Terms a hit must share with the article (fewer when the article has fewer).
const MIN_SHARED_TERMS: usize = 3;

/// One term of the query and its weight, the heaviest 1.
#[derive(Debug, Clone, Serialize)]
pub struct LikeTerm {
    pub term: String,
    pub weight: f32,
}

/// The articles like one article.
#[derive(Debug)]
pub struct SimilarResults {
    /// The article asked about (its body left out).
    pub article: StoredArticle,
    /// The terms the hits were found by, heaviest first.
    pub terms: Vec<LikeTerm>,
    pub results: SearchResults,
}

/// The terms of an article's title and body with their counts, titles
/// weighing more; closed compounds by their whole only (the parts would
/// find every article on a general theme).
fn term_counts(title: Option<&str>, body: &str) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut add = |text: &str, times: usize| {
        for term in analysis::analyze(text) {
            if term.is_compound_part || term.text.chars().count() < 2 {
                continue;
            }
            *counts.entry(term.text).or_default() += times;
        }
    };
    if let Some(title) = title {
        add(title, TITLE_OCCURRENCES);
    }
    add(body, 1);
    counts
}

/// The article's most distinctive terms: frequent in it, rare in the
/// archive, in at least one other article.
fn distinctive_terms(
    searcher: &tantivy::Searcher,
    archive: &Archive,
    article: &StoredArticle,
) -> Result<Vec<LikeTerm>, ArchivError> {
    let f = &archive.fields;
    let articles = searcher.num_docs() as f64;
    let most = (articles * MAX_ARTICLE_SHARE).max((articles / 2.0).min(SMALL_ARCHIVE_ARTICLES));
    let mut scored: Vec<(f64, String)> = Vec::new();
    for (term, count) in term_counts(article.title.as_deref(), &article.body) {
        let in_body = searcher.doc_freq(&Term::from_field_text(f.body, &term))?;
        let in_title = searcher.doc_freq(&Term::from_field_text(f.title, &term))?;
        let df = in_body.max(in_title) as f64;
        if df < 2.0 || df > most {
            continue;
        }
        // BM25's idf: a word used often in the article and seldom elsewhere wins.
        let idf = (1.0 + (articles - df + 0.5) / (df + 0.5)).ln();
        scored.push((count as f64 * idf, term));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(MAX_TERMS);
    let heaviest = scored.first().map_or(1.0, |(w, _)| *w);
    Ok(scored
        .into_iter()
        .map(|(w, term)| LikeTerm {
            term,
            weight: (w / heaviest) as f32,
        })
        .collect())
}

/// Finds the articles most like the one with id (or path) `key`, never the
/// article itself; `None` when there is no such article. The filters, order,
/// page and folding of `req` apply as in a search; its query is not used.
pub fn similar(
    archive: &Archive,
    key: &str,
    req: &SearchRequest,
) -> Result<Option<SimilarResults>, ArchivError> {
    let started = Instant::now();
    let reader = archive.reader()?;
    let searcher = reader.searcher();
    let f = &archive.fields;
    let Some(address) = find_address(&searcher, f, key)? else {
        return Ok(None);
    };
    let stored: StoredFields = searcher.doc(address)?;
    let mut article = StoredArticle::from_stored(stored, f);
    let terms = distinctive_terms(&searcher, archive, &article)?;
    article.body = String::new();
    // A title word counts this much against a body word.
    const TITLE_BOOST: f32 = 1.5;
    let clauses: Vec<Box<dyn Query>> = terms
        .iter()
        .map(|t| {
            let in_field = |field, boost: f32| -> Box<dyn Query> {
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &t.term),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                ))
            };
            Box::new(BooleanQuery::union(vec![
                in_field(f.body, t.weight),
                in_field(f.title, t.weight * TITLE_BOOST),
            ])) as Box<dyn Query>
        })
        .collect();
    let shared = MIN_SHARED_TERMS.min(clauses.len());
    let main: Box<dyn Query> = if clauses.is_empty() {
        // No word of it is in another article.
        Box::new(EmptyQuery)
    } else {
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::union_with_minimum_required_clauses(
                    clauses, shared,
                )),
            ),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.id, &article.id),
                    IndexRecordOption::Basic,
                )),
            ),
        ]))
    };
    let query = with_filters(&searcher, f, req, main)?;
    let results = run_query(searcher, archive, query, req, started)?;
    Ok(Some(SimilarResults {
        article,
        terms,
        results,
    }))
}
