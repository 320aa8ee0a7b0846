//! Searching: query text and flags to ranked hits with snippets.

mod bm25f;
pub mod collapse;
mod coord;
pub mod facets;
mod forms;
pub mod query;
pub mod similar;
pub mod snippet;
mod ties;
pub mod variants;

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::sort_key::{ComparatorEnum, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur as TOccur, PhraseQuery,
    Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, InvertedIndexReader, Order, Searcher, Term};

use crate::analysis;
use crate::analysis::word_marks::{self, Mark};
use crate::entities::Gazetteer;
use crate::error::ArchivError;
use crate::index::common_slots::CommonSlots;
use crate::index::{Archive, Fields, StoredArticle, StoredFields, date_value};
use crate::ingest::json::normalize_source;
use forms::TypedForms;
use query::{DateRange, Expr, Occur, QueryField};
use snippet::Highlighter;

/// A query word's occurrence in the title counts this many in the body, in
/// one BM25F frequency over both (`bm25f`)...
const TITLE_OCCURRENCE_WEIGHT: f32 = 2.0;
/// ...and a match in the title adds its own score, weighted this much. On the
/// known-item queries (`eval/known-item.sh`, mean of seeds 1-3) this lifted
/// MRR@10 from 0.943 (title and body scored apart, the title weighted 1.5) to
/// 0.948 over all queries, 0.951 to 0.963 for lower-case ones and 0.932 to
/// 0.943 for other inflections, for 0.002 less on exact titles (0.991 to
/// 0.989); occurrence weights 1 and 3 ranked worse, no title score of its own
/// lost 0.03 on exact titles. Half as much (0.3 → 0.15), with the words'
/// nearness in the title weighing more (`TITLE_PROXIMITY_WEIGHT`) and the
/// form as written as much as before (`EXACT_WEIGHT`), ranks every query
/// type better (mean of seeds 1-3, with `PART_WEIGHT`'s single frequency):
/// exact titles 0.987 → 0.991, lower case 0.964 → 0.968, compound parts
/// 0.879 → 0.886, all 0.949 → 0.953.
const TITLE_BOOST: f32 = 0.15;
/// How much more a query word counts in a title that has it as written
/// (`Wähler`, `Waehler`, `wähler`) than in one with another form of it
/// (`Wahl`). BM25F's later saturation (k1 2.0) lets a shorter article with
/// the stem overtake a title with the form as written at 0.25; on the
/// known-item queries 0.25, 0.4 and 0.5 stay within 0.002 of each other on
/// every query type (mean of seeds 1-3). In the title field itself (before
/// it had one of its own) 0.5 and more lost the queries in other inflections
/// (0.930 → 0.916 and below). It counts within the title's score, scaled by
/// `TITLE_BOOST`: 0.8 at 0.15 is the 0.4 it was at 0.3.
const EXACT_WEIGHT: f32 = 0.8;
/// How much a query word's occurrence inside a compound (`Minister` in
/// `Verteidigungsminister`) counts against one of the word itself, in one
/// BM25F frequency with the word's (`word_and_parts`). Scored apart (its own
/// BM25, weighted 0.5), an article with the word and a few compounds of it
/// outran one that kept repeating the word. 0.7 and 1.0 ranked the
/// known-item queries of compound parts up to 0.009 better and the other
/// types within 0.003, but an article with a compound twice then outran one
/// with the word itself once.
const PART_WEIGHT: f32 = 0.5;
/// A query word of this many letters may have one typo, of the second this
/// many two...
const TYPO_ONE_LETTERS: usize = 5;
const TYPO_TWO_LETTERS: usize = 9;
/// ...when no article has it as written, or at most this many and at most
/// one in this many articles (a typo that made it into print, a form the
/// stemmer leaves apart: on the known-item queries of other inflections
/// MRR@10 rises from 0.911 to 0.930)...
const TYPO_MAX_ARTICLES: u64 = 2;
const TYPO_RARITY: u64 = 2_000;
/// ...and a term that near counts this much (a constant, not BM25), below
/// the articles with the word as written.
const TYPO_WEIGHT: f32 = 0.5;
/// How much an article involving a state counts for the state's name in
/// the query, against the name itself in its text.
const COUNTRY_WEIGHT: f32 = 0.3;
/// Two words of a query count as near each other in the body with up to
/// three words between them in the query's order, or one in the other (a
/// swap costs two: `Pumpe und Deich` is near for `Deich Pumpe`)...
const PROXIMITY_SLOP: u32 = 3;
/// ...and their nearness weighs this much against the words themselves: on
/// the known-item queries (words a reader remembers from anywhere in an
/// article) more weight or a wider reach ranked worse (0.2 against 0.1: 0.002
/// less on exact titles, 0.001 less on lower case and other inflections).
const PROXIMITY_WEIGHT: f32 = 0.1;
/// Two query words near each other in the title weigh this much: with 0.1,
/// exact-title known-item queries ranked 0.988 against 0.982 without (the
/// body's nearness does not see the title's words); 0.3 with a title score
/// half as large (`TITLE_BOOST`) keeps a title of the query's words on top
/// while a title with only some of them counts less.
const TITLE_PROXIMITY_WEIGHT: f32 = 0.3;
/// Added once for every top-level query word an article matches, so that
/// articles matching all words rank above those matching some; the BM25 part
/// orders articles within each level. Kept out of the reported score.
const COORD_BONUS: f32 = 1000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// One search as the user asked for it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub from: Option<NaiveDate>,
    /// Exclusive end.
    pub until: Option<NaiveDate>,
    pub sources: Vec<String>,
    /// Every one must hold: ISO codes or German names.
    pub countries: Vec<String>,
    /// Every one must hold: full names or surnames.
    pub actors: Vec<String>,
    pub sort: SortOrder,
    pub snippet_chars: usize,
    /// Fold near-copies of one story among the top hits into one hit.
    pub collapse: bool,
}

/// A snippet: text with the byte ranges of matched words.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Snippet {
    pub text: String,
    #[serde(skip)]
    pub highlights: Vec<std::ops::Range<usize>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: Option<f32>,
    pub article: StoredArticle,
    pub snippet: Snippet,
    pub title_highlights: Vec<std::ops::Range<usize>>,
    /// Near-copies folded into this hit, in ranked order.
    pub similar: Vec<SimilarRef>,
}

/// A hit folded into another as a near-copy of its story.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarRef {
    pub id: String,
    pub source: Option<String>,
    pub date: Option<NaiveDate>,
}

/// What folding near-copies did to a page of hits.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CollapseSummary {
    /// Hits folded into the hits shown.
    pub folded: usize,
    /// Top hits compared with each other.
    pub compared: usize,
}

#[derive(Debug, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub took_ms: u128,
    pub hits: Vec<Hit>,
    /// Set when near-copies were folded (`SearchRequest::collapse`).
    pub collapse: Option<CollapseSummary>,
}

/// Builds tantivy queries from parsed expressions.
struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    /// How many articles have a word's term in the body, looked up once per
    /// word: its title and its body query both ask (see `typo_query`).
    body_doc_freqs: RefCell<HashMap<String, u64>>,
}

/// A word's term, scored by frequency: its positions (which phrases and
/// nearness read for themselves) would be opened and left unread.
fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.pop().unwrap(),
        _ => Box::new(BooleanQuery::union(queries)),
    }
}

impl<'a> Builder<'a> {
    fn new(fields: &'a Fields, searcher: &'a Searcher) -> Builder<'a> {
        Builder {
            fields,
            searcher,
            body_doc_freqs: RefCell::default(),
        }
    }

    fn text_fields(&self, field: Option<QueryField>) -> Vec<(Field, f32)> {
        match field {
            Some(QueryField::Title) => vec![(self.fields.title, 1.0)],
            Some(QueryField::Body) => vec![(self.fields.body, 1.0)],
            _ => vec![(self.fields.title, TITLE_BOOST), (self.fields.body, 1.0)],
        }
    }

    /// Terms of analysed text in one field: single term, or a phrase over
    /// the parts (positions kept, so stop words leave their gap).
    /// A word's term in one field; in the body, when the query is for title
    /// and body, the term in both scored as one (see `bm25f`).
    fn word_term(&self, field: Field, term: &str, with_title: bool) -> Box<dyn Query> {
        if !with_title || field != self.fields.body {
            return term_query(field, term);
        }
        Box::new(bm25f::FieldsTermQuery::new(vec![
            (
                Term::from_field_text(self.fields.title, term),
                TITLE_OCCURRENCE_WEIGHT,
            ),
            (Term::from_field_text(self.fields.body, term), 1.0),
        ]))
    }

    /// A word in title and body, itself and inside compounds (its `part`
    /// term), scored as one (see `bm25f`).
    fn word_and_parts(&self, term: &str, part: &str) -> Box<dyn Query> {
        let (title, body) = (self.fields.title, self.fields.body);
        Box::new(bm25f::FieldsTermQuery::with_lengths(
            vec![
                (Term::from_field_text(title, term), TITLE_OCCURRENCE_WEIGHT),
                (Term::from_field_text(body, term), 1.0),
                (
                    Term::from_field_text(title, part),
                    TITLE_OCCURRENCE_WEIGHT * PART_WEIGHT,
                ),
                (Term::from_field_text(body, part), PART_WEIGHT),
            ],
            vec![(title, TITLE_OCCURRENCE_WEIGHT), (body, 1.0)],
        ))
    }

    /// The queries any of which finds the text in one field, their scores
    /// added (empty when the text has no term).
    fn field_query(
        &self,
        field: Field,
        text: &str,
        whole_words: bool,
        with_title: bool,
    ) -> Vec<Box<dyn Query>> {
        // A query word that is a compound asks for the compound: its parts
        // (which the index holds beside it) would flood the results.
        let terms: Vec<analysis::german::Term> = analysis::german::analyze_unsplit(text);
        let wholes: Vec<&analysis::german::Term> =
            terms.iter().filter(|t| t.is_compound_whole).collect();
        let parts: Vec<&analysis::german::Term> =
            terms.iter().filter(|t| !t.is_compound_whole).collect();
        let phrase = |ts: &[&analysis::german::Term]| -> Vec<Box<dyn Query>> {
            match ts {
                [] => Vec::new(),
                // The word itself or another spelling of it (`Kyiv`, `Kiew`),
                // or weighted lower, the word inside a compound.
                [t] => {
                    let part = format!("{}{}", analysis::german::PART_MARK, t.text);
                    let mut any = if with_title && field == self.fields.body {
                        vec![self.word_and_parts(&t.text, &part)]
                    } else {
                        vec![
                            self.word_term(field, &t.text, with_title),
                            boosted(self.word_term(field, &part, with_title), PART_WEIGHT),
                        ]
                    };
                    if field == self.fields.title
                        && let Some(form) = analysis::german::exact_form(&text[t.start..t.end])
                    {
                        any.push(boosted(
                            Box::new(TermQuery::new(
                                Term::from_field_text(self.fields.title_exact, &form),
                                IndexRecordOption::WithFreqs,
                            )),
                            EXACT_WEIGHT,
                        ));
                    }
                    any.extend(
                        variants::other_spellings(&t.text)
                            .iter()
                            .map(|other| self.word_term(field, other, with_title)),
                    );
                    if let Some(typo) = self.typo_query(field, &text[t.start..t.end], &t.text) {
                        any.push(typo);
                    }
                    any
                }
                _ => {
                    let base = ts[0].position;
                    vec![Box::new(PhraseQuery::new_with_offset(
                        ts.iter()
                            .map(|t| (t.position - base, Term::from_field_text(field, &t.text)))
                            .collect(),
                    ))]
                }
            }
        };
        let mut any = phrase(&parts);
        // A single hyphenated word: its joined whole, or its parts in a row.
        if whole_words && wholes.len() == 1 && terms.len() == parts.len() + 1 {
            any.insert(0, self.word_term(field, &wholes[0].text, with_title));
        }
        any
    }

    fn text_query(
        &self,
        field: Option<QueryField>,
        text: &str,
        whole_words: bool,
    ) -> Option<Box<dyn Query>> {
        // One union of every field's queries, each boosted by its field's
        // weight, rather than a union of a union per field: tantivy scores
        // each union of a word over all its articles before its parent does
        // (same hits and scores).
        let mut alternatives: Vec<Box<dyn Query>> = self
            .text_fields(field)
            .into_iter()
            .flat_map(|(f, boost)| {
                self.field_query(f, text, whole_words, field.is_none())
                    .into_iter()
                    .map(move |q| if boost == 1.0 { q } else { boosted(q, boost) })
            })
            .collect();
        // A state's name also finds the articles that involve the state in
        // other words (`nordkoreanische`, `Pjöngjang`), ranked below.
        if field.is_none()
            && whole_words
            && let Some(code) = crate::entities::countries::code_of_name(text)
        {
            alternatives.push(boosted(
                self.raw_term(self.fields.countries, code),
                COUNTRY_WEIGHT,
            ));
        }
        (!alternatives.is_empty()).then(|| any_of(alternatives))
    }

    fn raw_term(&self, field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    fn keyword(&self, field: QueryField, value: &str) -> Box<dyn Query> {
        let f = self.fields;
        match field {
            QueryField::Source => source_query(f, value),
            QueryField::Language => self.raw_term(f.language, &value.to_lowercase()),
            QueryField::Country => match country_code(value) {
                Some(code) => self.raw_term(f.countries, &code),
                None => Box::new(EmptyQuery),
            },
            QueryField::Actor => actor_query(self.searcher, f, value),
            QueryField::Author => self.raw_term(f.authors, value),
            QueryField::Id => self.raw_term(f.id, &value.to_lowercase()),
            QueryField::Title | QueryField::Body | QueryField::Date => unreachable!("text fields"),
        }
    }

    /// Terms a letter or two away from a word's term, at low weight, when
    /// the archive hardly knows the term itself (a typo, most likely): a word
    /// the archive knows, or a short word, is taken as written.
    fn typo_query(&self, field: Field, word: &str, term: &str) -> Option<Box<dyn Query>> {
        let letters = word.chars().count();
        let distance = match letters {
            0..TYPO_ONE_LETTERS => return None,
            TYPO_ONE_LETTERS..TYPO_TWO_LETTERS => 1,
            _ => 2,
        };
        let known = *self
            .body_doc_freqs
            .borrow_mut()
            .entry(term.to_string())
            .or_insert_with(|| {
                self.searcher
                    .doc_freq(&Term::from_field_text(self.fields.body, term))
                    .unwrap_or(0)
            });
        let rare = known <= TYPO_MAX_ARTICLES
            && known.saturating_mul(TYPO_RARITY) <= self.searcher.num_docs();
        rare.then(|| {
            let near = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
            boosted(Box::new(near), TYPO_WEIGHT)
        })
    }

    /// For each two neighbouring plain words of a query, a bonus for articles
    /// that have them near each other in the body or the title, in either order.
    fn proximity(&self, clauses: &[(Occur, Expr)]) -> Vec<Box<dyn Query>> {
        let body = self.fields.body;
        let terms: Vec<Option<String>> = clauses
            .iter()
            .map(|(occur, expr)| match (occur, expr) {
                (
                    Occur::Should | Occur::Must,
                    Expr::Word {
                        field: None | Some(QueryField::Body),
                        text,
                    },
                ) => {
                    // A closed compound (`Nationalteam`) counts by its whole
                    // term: its parts stand at the same position.
                    let mut terms = analysis::german::analyze_unsplit(text).into_iter();
                    match (terms.next(), terms.next()) {
                        (Some(t), None) if !t.is_compound_whole => Some(t.text),
                        _ => None,
                    }
                }
                _ => None,
            })
            .collect();
        terms
            .windows(2)
            .filter_map(|pair| match pair {
                [Some(a), Some(b)] if a != b => Some(
                    [
                        (body, PROXIMITY_WEIGHT),
                        (self.fields.title, TITLE_PROXIMITY_WEIGHT),
                    ]
                    .map(|(field, weight)| {
                        let mut near = PhraseQuery::new(vec![
                            Term::from_field_text(field, a),
                            Term::from_field_text(field, b),
                        ]);
                        near.set_slop(PROXIMITY_SLOP);
                        boosted(Box::new(near), weight)
                    }),
                ),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// `None` when the expression has no searchable term (only stop words).
    fn build(&self, expr: &Expr, coordinate: bool) -> Option<Box<dyn Query>> {
        match expr {
            Expr::All => Some(Box::new(AllQuery)),
            Expr::Word { field, text } => match field {
                None | Some(QueryField::Title | QueryField::Body) => {
                    self.text_query(*field, text, true)
                }
                Some(QueryField::Date) => unreachable!("dates parse to Expr::Date"),
                Some(k) => Some(self.keyword(*k, text)),
            },
            Expr::Phrase { field, text } => match field {
                None | Some(QueryField::Title | QueryField::Body) => {
                    self.text_query(*field, text, false)
                }
                Some(QueryField::Date) => None,
                Some(k) => Some(self.keyword(*k, text)),
            },
            Expr::Date(range) => Some(date_query(self.fields.date, *range)),
            Expr::Or(items) => {
                let qs: Vec<Box<dyn Query>> =
                    items.iter().filter_map(|e| self.build(e, false)).collect();
                (!qs.is_empty()).then(|| any_of(qs))
            }
            Expr::And(items) => {
                let qs: Vec<(TOccur, Box<dyn Query>)> = items
                    .iter()
                    .filter_map(|e| self.build(e, false))
                    .map(|q| (TOccur::Must, q))
                    .collect();
                (!qs.is_empty()).then(|| Box::new(BooleanQuery::new(qs)) as Box<dyn Query>)
            }
            Expr::Seq(clauses) => {
                let mut out: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
                let scored: Vec<(Occur, Box<dyn Query>)> = clauses
                    .iter()
                    .filter_map(|(occur, e)| self.build(e, false).map(|q| (*occur, q)))
                    .collect();
                let positive = scored.iter().filter(|(o, _)| *o != Occur::MustNot).count();
                for (occur, q) in scored {
                    match occur {
                        Occur::MustNot => out.push((TOccur::MustNot, q)),
                        Occur::Must => out.push((TOccur::Must, q)),
                        Occur::Should => {
                            if coordinate && positive > 1 {
                                out.push((
                                    TOccur::Should,
                                    Box::new(coord::BonusQuery::new(q, COORD_BONUS)),
                                ));
                            } else {
                                out.push((TOccur::Should, q));
                            }
                        }
                    }
                }
                if coordinate && positive > 1 {
                    out.extend(
                        self.proximity(clauses)
                            .into_iter()
                            .map(|q| (TOccur::Should, q)),
                    );
                }
                if out.is_empty() {
                    return None;
                }
                if positive == 0 {
                    // Only exclusions: everything else.
                    out.push((TOccur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(out)))
            }
        }
    }
}

/// A source as the user typed it, as stored (`www.` dropped, domains in
/// lower case), or in lower case.
fn source_query(f: &Fields, value: &str) -> Box<dyn Query> {
    let mut spellings = vec![
        normalize_source(value),
        value.trim().to_string(),
        value.trim().to_lowercase(),
    ];
    spellings.sort();
    spellings.dedup();
    any_of(
        spellings
            .iter()
            .map(|s| {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.source, s),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect(),
    )
}

fn date_query(field: Field, range: DateRange) -> Box<dyn Query> {
    let lower = range.start.map_or(Bound::Unbounded, |d| {
        Bound::Included(Term::from_field_date_for_search(field, date_value(d)))
    });
    let upper = range.end.map_or(Bound::Unbounded, |d| {
        Bound::Excluded(Term::from_field_date_for_search(field, date_value(d)))
    });
    Box::new(RangeQuery::new(lower, upper))
}

/// Parses the request into the query to run (with filters as required, unscored clauses).
/// The actor values of the index that a user's name means: the canonical
/// name of a known alias (`Selensky`), the name itself in any case, or every
/// full name whose last words it is (`Kirby` → `John Kirby`).
pub fn resolve_actor(searcher: &Searcher, fields: &Fields, input: &str) -> Vec<String> {
    let input = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let canonical = crate::entities::actors::canonical_for(&input);
    // A known actor, or a full name as indexed, needs no scan of every actor.
    if let Some(canonical) = canonical {
        return vec![canonical.to_string()];
    }
    let exact = Term::from_field_text(fields.actors, &input);
    if input.contains(' ') && searcher.doc_freq(&exact).is_ok_and(|n| n > 0) {
        return vec![input];
    }
    let lower = input.to_lowercase();
    let suffix = format!(" {lower}");
    let mut values = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.actors) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(value) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let value_lower = value.to_lowercase();
            let matches = value_lower == lower || value_lower.ends_with(&suffix);
            if matches && !values.iter().any(|v| v == value) {
                values.push(value.to_string());
            }
        }
    }
    values
}

fn actor_query(searcher: &Searcher, f: &Fields, input: &str) -> Box<dyn Query> {
    any_of(
        resolve_actor(searcher, f, input)
            .iter()
            .map(|v| {
                Box::new(TermQuery::new(
                    Term::from_field_text(f.actors, v),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect(),
    )
}

fn unknown_country(query: &str, value: &str) -> ArchivError {
    ArchivError::Query(query::QueryError {
        query: query.to_string(),
        position: 0,
        message: format!(
            "unknown country `{value}`: use an ISO code (KP) or a German name (Nordkorea)"
        ),
    })
}

/// The code of a country as a user names it: a code or the German name is
/// looked up in a small table, other forms (`nordkoreanisch`) in the gazetteer.
fn country_code(input: &str) -> Option<String> {
    crate::entities::countries::quick_code(input)
        .map(str::to_string)
        .or_else(|| Gazetteer::get().resolve(input).map(|c| c.code.clone()))
}

/// Country names in the query must name a country: a typo is an error, not zero hits.
fn check_countries(expr: &Expr, query: &str) -> Result<(), ArchivError> {
    match expr {
        Expr::Word {
            field: Some(QueryField::Country),
            text,
        }
        | Expr::Phrase {
            field: Some(QueryField::Country),
            text,
        } => country_code(text)
            .map(|_| ())
            .ok_or_else(|| unknown_country(query, text)),
        Expr::Seq(clauses) => clauses
            .iter()
            .try_for_each(|(_, e)| check_countries(e, query)),
        Expr::And(items) | Expr::Or(items) => {
            items.iter().try_for_each(|e| check_countries(e, query))
        }
        _ => Ok(()),
    }
}

/// Longest word the analyzer makes a term of (its terms hold 64 bytes).
const MAX_WORD_BYTES: usize = 64;

pub fn build_query(
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
) -> Result<Box<dyn Query>, ArchivError> {
    let expr = query::parse(&req.query)?;
    check_countries(&expr, &req.query)?;
    let builder = Builder::new(fields, searcher);
    let main = builder.build(&expr, true).ok_or_else(|| {
        // Words longer than a term can be are not indexed either.
        let too_long = req
            .query
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.len() > MAX_WORD_BYTES);
        let message = if too_long {
            format!(
                "the query has no word that is indexed: stop words (der, die, und, …) and words longer than {MAX_WORD_BYTES} bytes are not; search for a part of the long word"
            )
        } else {
            "the query has only stop words (der, die, und, …); add a word that carries meaning"
                .to_string()
        };
        ArchivError::Query(query::QueryError {
            query: req.query.clone(),
            position: 0,
            message,
        })
    })?;
    with_filters(searcher, fields, req, main)
}

/// `main`, restricted to the dates, sources, countries and actors of `req`
/// (the restrictions unscored).
pub fn with_filters(
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    main: Box<dyn Query>,
) -> Result<Box<dyn Query>, ArchivError> {
    let builder = Builder::new(fields, searcher);
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    if req.from.is_some() || req.until.is_some() {
        filters.push(date_query(
            fields.date,
            DateRange {
                start: req.from,
                end: req.until,
            },
        ));
    }
    if !req.sources.is_empty() {
        filters.push(any_of(
            req.sources
                .iter()
                .map(|s| source_query(fields, s))
                .collect(),
        ));
    }
    for country in &req.countries {
        let code = country_code(country).ok_or_else(|| {
            ArchivError::Other(format!(
                "--country {country}: unknown country; use an ISO code (KP) or a German name (Nordkorea)"
            ))
        })?;
        filters.push(builder.raw_term(fields.countries, &code));
    }
    for actor in &req.actors {
        filters.push(actor_query(searcher, fields, actor));
    }
    if filters.is_empty() {
        return Ok(main);
    }
    let mut clauses = vec![(TOccur::Must, main)];
    clauses.extend(filters.into_iter().map(|q| (TOccur::Must, boosted(q, 0.0))));
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Highlighted snippet of `text` for the query's terms, or its start when
/// nothing matches; `marks` are the text's word marks, if the index has them.
fn snippet_for(
    highlighter: Option<&Highlighter>,
    text: &str,
    marks: &[Mark],
    max_chars: usize,
    positions_in_text: impl FnOnce(&Highlighter) -> Option<Vec<(u32, usize)>>,
    words_in_text: impl FnOnce(&Highlighter) -> Vec<bool>,
) -> Snippet {
    let window = highlighter.and_then(|h| match positions_in_text(h) {
        Some(positions) => h.best_window_at(text, max_chars, &positions, marks),
        None => h.best_window_lead_first(text, max_chars, || words_in_text(h)),
    });
    if let Some((range, highlights)) = window {
        let mut out = String::new();
        if range.start > 0 {
            out.push_str("… ");
        }
        let offset = out.len();
        let relative: Vec<std::ops::Range<usize>> = highlights
            .iter()
            .map(|r| r.start - range.start..r.end - range.start)
            .collect();
        let (fragment, ranges) = collapse_whitespace(&text[range.clone()], &relative);
        out.push_str(&fragment);
        if range.end < text.len() {
            out.push_str(" …");
        }
        return Snippet {
            text: out,
            highlights: ranges
                .into_iter()
                .map(|r| r.start + offset..r.end + offset)
                .collect(),
        };
    }
    let head: String = text.chars().take(max_chars).collect();
    let (head, _) = collapse_whitespace(&head, &[]);
    let cut = head.len() < text.len();
    Snippet {
        text: if cut { format!("{head} …") } else { head },
        highlights: Vec::new(),
    }
}

/// Folds runs of white space (paragraph breaks included) into one space,
/// moving the highlighted byte ranges along.
fn collapse_whitespace(
    text: &str,
    ranges: &[std::ops::Range<usize>],
) -> (String, Vec<std::ops::Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    // new_at[i] = position in `out` of byte i of `text`.
    let mut new_at = vec![0usize; text.len() + 1];
    let mut last_space = false;
    for (i, c) in text.char_indices() {
        new_at[i] = out.len();
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
        new_at[i + 1..i + c.len_utf8()].fill(out.len());
    }
    new_at[text.len()] = out.len();
    let ranges = ranges
        .iter()
        .filter(|r| r.end <= text.len())
        .map(|r| new_at[r.start]..new_at[r.end])
        .collect();
    (out, ranges)
}

/// The BM25 part of a ranking score, to three decimals.
fn display_score(raw: f32) -> f32 {
    let bm25 = raw - (raw / COORD_BONUS).floor() * COORD_BONUS;
    (bm25 * 1000.0).round() / 1000.0
}

/// A ranked match: the displayed score (relevance order only) and the document.
pub type RankedDoc = (Option<f32>, DocAddress);

/// The ranked matches of a query, before their stored documents are read
/// (but the top ten's, read to order them by the forms typed): a few bytes
/// a hit, so that exporting every hit keeps memory flat.
pub struct Ranked {
    pub searcher: Searcher,
    pub query: Box<dyn Query>,
    /// Every matching article, whatever the page.
    pub total: usize,
    /// The page asked for, in order.
    pub docs: Vec<RankedDoc>,
    /// Documents of the page read while ranking, taken by the hits.
    pub read: RefCell<ReadDocs>,
}

/// Runs the query of `req` and ranks its matches: `limit` hits from
/// `req.offset` on, or all of them when `limit` is `None`. `search` and
/// `export` both rank through here, so their hits and order are the same.
pub fn rank(
    archive: &Archive,
    req: &SearchRequest,
    limit: Option<usize>,
) -> Result<Ranked, ArchivError> {
    let reader = archive.reader()?;
    let searcher = reader.searcher();
    let query = build_query(&searcher, &archive.fields, req)?;
    let limit = match limit {
        Some(n) => n,
        None => searcher.search(&*query, &Count)?.saturating_sub(req.offset),
    };
    let forms = TypedForms::for_request(&searcher, &archive.fields, req);
    let (total, docs, read) = rank_query(
        &searcher,
        &*query,
        forms.as_ref(),
        req.sort,
        req.offset,
        limit,
    )?;
    Ok(Ranked {
        searcher,
        query,
        total,
        docs,
        read: RefCell::new(read),
    })
}

/// The total of `query`'s matches and `limit` of them from `offset` on, in
/// `sort` order, with their displayed scores (relevance order only). Hits
/// that rank equal come in a stable order (`ties`).
pub fn rank_query(
    searcher: &Searcher,
    query: &dyn Query,
    forms: Option<&TypedForms>,
    sort: SortOrder,
    offset: usize,
    limit: usize,
) -> Result<(usize, Vec<RankedDoc>, ReadDocs), ArchivError> {
    // The collector allocates for offset + limit hits up front: `-n` or
    // `--offset` beyond the articles in the index would ask for terabytes.
    let in_index = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = limit.min(in_index);
    let offset = offset.min(in_index);
    // The top hits are ordered again by the forms typed whatever the page,
    // so that every page and every limit agrees with the others.
    let forms = forms.filter(|_| sort == SortOrder::Relevance && limit > 0);
    let reordered = if forms.is_some() {
        forms::WINDOW.min(in_index)
    } else {
        0
    };
    let page_end = (offset + limit).max(reordered);
    // A few matches more than the page show whether a run of ties goes on
    // past its end. tantivy cuts such a run by address, so a run that also
    // goes past those few is fetched again, once, as far as it goes (within
    // bounds): running the query again costs as much as the first time.
    let bound = page_end.saturating_add(ties::MAX_TIE_RUN).min(in_index);
    let fetch = page_end
        .saturating_add(ties::TIE_MARGIN)
        .min(in_index)
        .max(1);
    let (mut total, mut docs) = collect_ranked(searcher, query, sort, fetch)?;
    let tied_to_page_end = |docs: &[KeyedDoc], at: usize| {
        page_end > 0 && docs.len() > at && docs[at].0 == docs[page_end - 1].0
    };
    if fetch < bound && tied_to_page_end(&docs, fetch - 1) {
        (total, docs) = collect_ranked(searcher, query, sort, bound)?;
    }
    ties::order_ties(searcher, &mut docs, page_end, |d| d.0, |d| d.2)?;
    let read = match forms {
        Some(forms) => {
            let window = reordered.min(docs.len());
            reorder_by_forms(searcher, forms, &mut docs[..window])?
        }
        None => ReadDocs::default(),
    };
    // tantivy needs a limit of one at least; `-n 0` asks for the count alone.
    let docs = if limit == 0 {
        Vec::new()
    } else {
        docs.into_iter()
            .take(offset + limit)
            .skip(offset)
            .map(|(_, score, address)| (score, address))
            .collect()
    };
    Ok((total, docs, read))
}

/// Stored documents read while ranking, by address, for the hits to take
/// instead of reading them again.
pub type ReadDocs = HashMap<DocAddress, StoredFields>;

/// A match with what it was ordered by (score bits or date: equal ones are
/// ties) and its displayed score.
type KeyedDoc = (Option<i64>, Option<f32>, DocAddress);

/// Adds to the scores of `docs` (the top hits, in rank order) what the
/// forms as typed in their texts add and orders them again; a bonus stays
/// far below `COORD_BONUS`, so an article with more of the query's words
/// stays above. Hits that score equal keep their order. Returns the
/// documents read.
fn reorder_by_forms(
    searcher: &Searcher,
    forms: &TypedForms,
    docs: &mut [KeyedDoc],
) -> Result<ReadDocs, ArchivError> {
    let mut scored = Vec::with_capacity(docs.len());
    let mut read = ReadDocs::with_capacity(docs.len());
    for &(key, shown, address) in docs.iter() {
        let raw = key.map(|bits| f32::from_bits(bits as u32)).unwrap_or(0.0);
        let stored: StoredFields = searcher.doc(address)?;
        // However many words a query has, the forms never outweigh one more of them.
        let bonus = forms
            .bonus(searcher, address, &stored)
            .min(COORD_BONUS / 10.0);
        read.insert(address, stored);
        scored.push((raw + bonus, shown.map(|s| s + bonus), address));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (doc, (raw, shown, address)) in docs.iter_mut().zip(scored) {
        *doc = (
            Some(i64::from(raw.to_bits())),
            shown.map(|s| (s * 1000.0).round() / 1000.0),
            address,
        );
    }
    Ok(read)
}

/// The total of `query`'s matches and the first `n` of them in `sort` order.
fn collect_ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: SortOrder,
    n: usize,
) -> Result<(usize, Vec<KeyedDoc>), ArchivError> {
    let top = TopDocs::with_limit(n);
    let by_date = |d: Option<tantivy::DateTime>| d.map(|d| d.into_timestamp_nanos());
    Ok(match sort {
        SortOrder::Relevance => {
            let (total, docs) = searcher.search(query, &(Count, top.order_by_score()))?;
            let docs = docs
                .into_iter()
                .map(|(s, d)| (Some(i64::from(s.to_bits())), Some(display_score(s)), d))
                .collect();
            (total, docs)
        }
        SortOrder::Newest => {
            let (total, docs) = searcher.search(
                query,
                &(
                    Count,
                    top.order_by_fast_field::<tantivy::DateTime>(
                        crate::index::schema::DATE,
                        Order::Desc,
                    ),
                ),
            )?;
            let docs = docs
                .into_iter()
                .map(|(k, d)| (by_date(k), None, d))
                .collect();
            (total, docs)
        }
        SortOrder::Oldest => {
            let key = (
                SortByStaticFastValue::<tantivy::DateTime>::for_field(crate::index::schema::DATE),
                ComparatorEnum::ReverseNoneLower,
            );
            let (total, docs) = searcher.search(query, &(Count, top.order_by(key)))?;
            let docs = docs
                .into_iter()
                .map(|(k, d)| (by_date(k), None, d))
                .collect();
            (total, docs)
        }
    })
}

/// Runs a search against an opened archive.
pub fn search(archive: &Archive, req: &SearchRequest) -> Result<SearchResults, ArchivError> {
    Ok(search_with_breakdown(archive, req, None)?.0)
}

/// A search, and with `breakdown` set, the countries and actors (the
/// most frequent of each) and dates over every hit, as far as it asks for
/// them (page and order do not matter), from one reading of the query.
pub fn search_with_breakdown(
    archive: &Archive,
    req: &SearchRequest,
    breakdown: Option<facets::BreakdownCollector>,
) -> Result<(SearchResults, Option<facets::Breakdown>), ArchivError> {
    let started = Instant::now();
    let reader = archive.reader()?;
    let searcher = reader.searcher();
    let query = build_query(&searcher, &archive.fields, req)?;
    let breakdown = match breakdown {
        Some(collector) => Some(searcher.search(&*query, &collector)?),
        None => None,
    };
    let results = run_query(searcher, archive, query, req, started)?;
    Ok((results, breakdown))
}

/// Ranks `query` (filters included), folds near-copies when `req` asks for
/// it, and reads the page of hits.
pub fn run_query(
    searcher: Searcher,
    archive: &Archive,
    query: Box<dyn Query>,
    req: &SearchRequest,
    started: Instant,
) -> Result<SearchResults, ArchivError> {
    let fields = &archive.fields;
    let forms = TypedForms::for_request(&searcher, fields, req);
    let (total, page, read, collapse) = if req.collapse && req.limit > 0 {
        let common = CommonSlots::of_archive(&archive.dir, &searcher)?;
        let page = collapse::rank_collapsed(&searcher, &common, &*query, forms.as_ref(), req)?;
        let summary = CollapseSummary {
            folded: page.groups.iter().map(|(_, folded)| folded.len()).sum(),
            compared: page.compared,
        };
        (page.total, page.groups, page.read, Some(summary))
    } else {
        let (total, docs, read) = rank_query(
            &searcher,
            &*query,
            forms.as_ref(),
            req.sort,
            req.offset,
            req.limit,
        )?;
        let page = docs.into_iter().map(|d| (d, Vec::new())).collect();
        (total, page, read, None)
    };
    let ranked = Ranked {
        searcher,
        query,
        total,
        docs: page.iter().map(|(first, _)| *first).collect(),
        read: RefCell::new(read),
    };
    let maker = HitMaker::new(&ranked, fields, req.snippet_chars);
    let mut hits = Vec::with_capacity(page.len());
    for (i, ((score, address), folded)) in page.iter().enumerate() {
        let mut hit = maker.hit(req.offset + i + 1, *score, *address)?;
        hit.similar = folded
            .iter()
            .map(|&a| maker.similar_ref(a))
            .collect::<Result<_, _>>()?;
        hits.push(hit);
    }
    drop(maker);
    if archive.until_exit {
        std::mem::forget(ranked);
    }
    Ok(SearchResults {
        total,
        took_ms: started.elapsed().as_millis(),
        hits,
        collapse,
    })
}

/// Where a term (by its entry in a segment's index) stands in one document
/// of the segment, into `positions` (none when the document lacks it);
/// `None` when the postings cannot be read.
fn positions_in_doc(
    inverted: &InvertedIndexReader,
    info: &TermInfo,
    doc: DocId,
    positions: &mut Vec<u32>,
) -> Option<()> {
    let mut postings = inverted
        .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
        .ok()?;
    positions.clear();
    if postings.seek(doc) == doc {
        postings.positions(positions);
    }
    Some(())
}

/// Reads ranked documents one at a time into hits, with snippet and title
/// highlights, so a caller can stream them.
pub struct HitMaker<'a> {
    searcher: &'a Searcher,
    read: &'a RefCell<ReadDocs>,
    fields: &'a Fields,
    /// The query's terms in the body, to tell which of its words a hit's body has.
    body_query_terms: Vec<Term>,
    body_terms: Option<Highlighter>,
    title_terms: Option<Highlighter>,
    snippet_chars: usize,
    /// By segment: its body index and where each of `body_query_terms` is
    /// in it (`Ok(None)`: not there, `Err`: unreadable), looked up once for
    /// all of a page's hits instead of once a hit.
    body_entries: RefCell<HashMap<u32, Option<SegmentBodyTerms>>>,
}

type SegmentBodyTerms = (Arc<InvertedIndexReader>, Vec<Result<Option<TermInfo>, ()>>);

impl<'a> HitMaker<'a> {
    pub fn new(ranked: &'a Ranked, fields: &'a Fields, snippet_chars: usize) -> HitMaker<'a> {
        let searcher = &ranked.searcher;
        let terms_in = |field: Field| {
            let mut terms: Vec<Term> = Vec::new();
            ranked.query.query_terms(&mut |term, _| {
                if term.field() == field && !terms.contains(term) {
                    terms.push(term.clone());
                }
            });
            terms
        };
        // No highlighter for a field the query has no word in (`""`, `source:…`).
        let highlighter = |terms: &[Term]| {
            // Rarer terms weigh more in choosing the snippet's window.
            let mut weights = Vec::new();
            for term in terms {
                let value = term.value();
                let Some(text) = value.as_str() else {
                    continue;
                };
                let doc_freq = searcher.doc_freq(term).ok()?;
                if doc_freq > 0 {
                    weights.push((text.to_string(), 1.0 / (1.0 + doc_freq as f32)));
                }
            }
            Highlighter::new(weights)
        };
        let body_query_terms = terms_in(fields.body);
        let body_terms = highlighter(&body_query_terms);
        let title_terms = highlighter(&terms_in(fields.title));
        HitMaker {
            searcher,
            read: &ranked.read,
            fields,
            body_query_terms,
            body_terms,
            title_terms,
            snippet_chars,
            body_entries: RefCell::default(),
        }
    }

    /// The hit at `rank` (1-based, counted over all hits, not the page).
    pub fn hit(
        &self,
        rank: usize,
        score: Option<f32>,
        address: DocAddress,
    ) -> Result<Hit, ArchivError> {
        let read = self.read.borrow_mut().remove(&address);
        let mut stored: StoredFields = match read {
            Some(stored) => stored,
            None => self.searcher.doc(address)?,
        };
        let marks = self
            .fields
            .body_marks
            .and_then(|field| word_marks::decode(&stored.take_bytes(field)?))
            .unwrap_or_default();
        let mut article = StoredArticle::from_stored(stored, self.fields);
        let snippet = snippet_for(
            self.body_terms.as_ref(),
            &article.body,
            &marks,
            self.snippet_chars.max(40),
            |highlighter| self.positions_in_body(highlighter, address),
            |highlighter| self.words_in_body(highlighter, address),
        );
        let title_highlights = article
            .title
            .as_deref()
            .and_then(|t| Some(self.title_terms.as_ref()?.highlights(t)))
            .unwrap_or_default();
        article.body = String::new();
        Ok(Hit {
            rank,
            score,
            article,
            snippet,
            title_highlights,
            similar: Vec::new(),
        })
    }

    /// The body index of the segment of `address` and where each of the
    /// query's body terms is in it, looked up once a segment.
    fn body_entry(&self, address: DocAddress) -> std::cell::RefMut<'_, Option<SegmentBodyTerms>> {
        std::cell::RefMut::map(self.body_entries.borrow_mut(), |entries| {
            entries.entry(address.segment_ord).or_insert_with(|| {
                let segment = self.searcher.segment_reader(address.segment_ord);
                let inverted = segment.inverted_index(self.fields.body).ok()?;
                let infos = self
                    .body_query_terms
                    .iter()
                    .map(|term| inverted.get_term_info(term).map_err(|_| ()))
                    .collect();
                Some((inverted, infos))
            })
        })
    }

    /// Where in the body of the article at `address` the index has the
    /// query's terms: (word position, `Highlighter::term_index`), sorted;
    /// `None` when the index cannot tell.
    fn positions_in_body(
        &self,
        highlighter: &Highlighter,
        address: DocAddress,
    ) -> Option<Vec<(u32, usize)>> {
        let entry = self.body_entry(address);
        let (inverted, infos) = entry.as_ref()?;
        let mut found = Vec::new();
        let mut positions = Vec::new();
        for (term, info) in self.body_query_terms.iter().zip(infos.iter()) {
            let Some(index) = term
                .value()
                .as_str()
                .and_then(|t| highlighter.term_index(t))
            else {
                continue;
            };
            let Some(info) = info.as_ref().ok()? else {
                continue;
            };
            positions_in_doc(inverted, info, address.doc_id, &mut positions)?;
            found.extend(positions.iter().map(|&at| (at, index)));
        }
        found.sort_unstable();
        Some(found)
    }

    /// Which of the query's words (by `Highlighter::word_of`) the body of
    /// the article at `address` has, as the index knows it.
    fn words_in_body(&self, highlighter: &Highlighter, address: DocAddress) -> Vec<bool> {
        let mut has = vec![false; highlighter.words()];
        let entry = self.body_entry(address);
        let Some((inverted, infos)) = entry.as_ref() else {
            return vec![true; highlighter.words()];
        };
        for (term, info) in self.body_query_terms.iter().zip(infos.iter()) {
            let Some(word) = term.value().as_str().and_then(|t| highlighter.word_of(t)) else {
                continue;
            };
            if has[word] {
                continue;
            }
            match info {
                Ok(Some(info)) => {
                    has[word] =
                        match inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic) {
                            Ok(mut postings) => postings.seek(address.doc_id) == address.doc_id,
                            // Unknown: the whole body is searched.
                            Err(_) => true,
                        }
                }
                Ok(None) => {}
                Err(()) => has[word] = true,
            }
        }
        has
    }

    /// The id, source and date of a hit folded into another.
    pub fn similar_ref(&self, address: DocAddress) -> Result<SimilarRef, ArchivError> {
        let stored: StoredFields = self.searcher.doc(address)?;
        let article = StoredArticle::from_stored(stored, self.fields);
        Ok(SimilarRef {
            id: article.id,
            source: article.source,
            date: article.date,
        })
    }
}

/// Finds one article by id or by its path (`path` or `path#N`).
pub fn find_article(archive: &Archive, key: &str) -> Result<Option<StoredArticle>, ArchivError> {
    let reader = archive.reader()?;
    let searcher = reader.searcher();
    match find_address(&searcher, &archive.fields, key)? {
        Some(address) => {
            let stored: StoredFields = searcher.doc(address)?;
            Ok(Some(StoredArticle::with_findings(stored, &archive.fields)))
        }
        None => Ok(None),
    }
}

/// Where the article with this id or path (`path` or `path#N`) is.
pub fn find_address(
    searcher: &Searcher,
    f: &Fields,
    key: &str,
) -> Result<Option<DocAddress>, ArchivError> {
    let mut candidates = vec![
        Term::from_field_text(f.id, &key.to_lowercase()),
        Term::from_field_text(f.address, key),
    ];
    // A path given relative to here, or absolute: match the file's canonical path.
    let (path_part, fragment) = match key.rsplit_once('#') {
        Some((p, frag)) if frag.chars().all(|c| c.is_ascii_digit()) => (p, Some(frag)),
        _ => (key, None),
    };
    if let Ok(canonical) = std::fs::canonicalize(path_part) {
        let canonical = canonical.to_string_lossy().into_owned();
        let id = crate::ingest::article_id(&canonical, fragment);
        candidates.push(Term::from_field_text(f.id, &id));
    }
    for term in candidates {
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        let docs = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        if let Some((_, address)) = docs.first() {
            return Ok(Some(*address));
        }
    }
    Ok(None)
}
