//! One word in several fields scored as one: BM25F.
//!
//! tantivy scores a term in each field on its own, so a query word in the
//! title and in the body adds two BM25 scores, each saturating apart. BM25F
//! (Robertson, Zaragoza, Taylor 2004) adds the word's weighted frequencies
//! in the fields first and saturates once, against the weighted length of
//! the fields together; an article that repeats a name throughout is then
//! not outrun by a short one that has it once in the title and once below.
//! Xapian and FTS5 get the same effect by indexing the title into the
//! body's terms. A word's occurrences inside compounds (its compound-part
//! term) count in the same frequency at a lower weight.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// BM25's term-frequency saturation, slower than tantivy's 1.2: a word an
/// article keeps coming back to is what it is about. On the known-item
/// queries (mean of seeds 1-3) MRR@10 rose with it from 0.947 to 0.949 over
/// all queries (lower case 0.962 to 0.964, compound parts 0.873 to 0.879),
/// level from 1.6 to 3.5 and lower again at 5...
const K1: Score = 2.0;
/// ...and length normalisation, less than tantivy's 0.75 (Xapian's default):
/// the fields' joint length already holds the title twice over, and on the
/// known-item queries 0.5 ranked a little better (MRR@10 0.948 against 0.946
/// over three samples).
const B: Score = 0.5;

/// A word's terms in several fields, each occurrence counting its term's
/// weight, against the weighted lengths of the fields.
#[derive(Clone, Debug)]
pub struct FieldsTermQuery {
    terms: Vec<(Term, Score)>,
    /// The fields whose lengths count, each with its weight.
    lengths: Vec<(Field, Score)>,
}

impl FieldsTermQuery {
    /// The same word's term in each field, weighted as its field.
    pub fn new(terms: Vec<(Term, Score)>) -> FieldsTermQuery {
        let lengths = terms.iter().map(|(t, w)| (t.field(), *w)).collect();
        FieldsTermQuery { terms, lengths }
    }

    /// Terms of one word (the word, the word inside compounds) in these
    /// fields, weighted each on its own.
    pub fn with_lengths(
        terms: Vec<(Term, Score)>,
        lengths: Vec<(Field, Score)>,
    ) -> FieldsTermQuery {
        FieldsTermQuery { terms, lengths }
    }
}

impl Query for FieldsTermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (idf, average_length) = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => statistics(statistics_provider, &self.terms, &self.lengths)?,
            EnableScoring::Disabled { .. } => (1.0, 1.0),
        };
        Ok(Box::new(FieldsTermWeight {
            terms: self.terms.clone(),
            lengths: self.lengths.clone(),
            idf,
            average_length,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

/// The word's inverse document frequency (over the articles that have any
/// of its terms, estimated as the most with one) and the weighted average
/// length of the fields together.
fn statistics(
    stats: &dyn Bm25StatisticsProvider,
    terms: &[(Term, Score)],
    lengths: &[(Field, Score)],
) -> tantivy::Result<(Score, Score)> {
    let articles = stats.total_num_docs()?.max(1);
    let mut doc_freq = 0u64;
    for (term, _) in terms {
        doc_freq = doc_freq.max(stats.doc_freq(term)?);
    }
    let mut length = 0.0;
    for (field, weight) in lengths {
        length += weight * stats.total_num_tokens(*field)? as Score / articles as Score;
    }
    let doc_freq = doc_freq.min(articles);
    let x = ((articles - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    Ok(((1.0 + x).ln(), length.max(1.0)))
}

struct FieldsTermWeight {
    terms: Vec<(Term, Score)>,
    lengths: Vec<(Field, Score)>,
    idf: Score,
    average_length: Score,
}

impl FieldsTermWeight {
    fn fields_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<FieldsTermScorer>> {
        let mut fields = Vec::with_capacity(self.terms.len());
        let mut norms = Vec::with_capacity(self.terms.len());
        for (term, weight) in &self.terms {
            let postings = reader
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::WithFreqs)?;
            if let Some(postings) = postings {
                fields.push((postings, *weight));
            }
        }
        for (field, weight) in &self.lengths {
            norms.push((reader.get_fieldnorms_reader(*field)?, *weight));
        }
        if fields.is_empty() {
            return Ok(None);
        }
        let mut scorer = FieldsTermScorer {
            fields,
            norms,
            doc: 0,
            scale: boost * self.idf * (K1 + 1.0),
            average_length: self.average_length,
        };
        scorer.doc = scorer.first_doc();
        Ok(Some(scorer))
    }
}

impl Weight for FieldsTermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.fields_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_found = || TantivyError::InvalidArgument(format!("document {doc} does not match"));
        let mut scorer = self.fields_scorer(reader, 1.0)?.ok_or_else(not_found)?;
        if scorer.seek(doc) != doc {
            return Err(not_found());
        }
        let mut explanation = Explanation::new("BM25F over title and body", scorer.score());
        explanation.add_const("idf", self.idf);
        explanation.add_const("weighted frequency", scorer.frequency());
        explanation.add_const("weighted length", scorer.length());
        explanation.add_const("average weighted length", self.average_length);
        Ok(explanation)
    }
}

struct FieldsTermScorer {
    /// Postings of the fields that have the term in this segment.
    fields: Vec<(SegmentPostings, Score)>,
    /// Lengths of every field, matched or not.
    norms: Vec<(FieldNormReader, Score)>,
    doc: DocId,
    scale: Score,
    average_length: Score,
}

impl FieldsTermScorer {
    fn first_doc(&self) -> DocId {
        self.fields
            .iter()
            .map(|(postings, _)| postings.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    fn frequency(&self) -> Score {
        self.fields
            .iter()
            .filter(|(postings, _)| postings.doc() == self.doc)
            .map(|(postings, weight)| weight * postings.term_freq() as Score)
            .sum()
    }

    fn length(&self) -> Score {
        self.norms
            .iter()
            .map(|(norms, weight)| weight * norms.fieldnorm(self.doc) as Score)
            .sum()
    }
}

impl DocSet for FieldsTermScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for (postings, _) in &mut self.fields {
            if postings.doc() == self.doc {
                postings.advance();
            }
        }
        self.doc = self.first_doc();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for (postings, _) in &mut self.fields {
            if postings.doc() < target {
                postings.seek(target);
            }
        }
        self.doc = self.first_doc();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.fields
            .iter()
            .map(|(postings, _)| postings.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for FieldsTermScorer {
    fn score(&mut self) -> Score {
        let frequency = self.frequency();
        let norm = K1 * (1.0 - B + B * self.length() / self.average_length);
        self.scale * frequency / (frequency + norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    struct Fixture {
        index: Index,
        title: Field,
        body: Field,
    }

    /// Articles as (title, body).
    fn fixture(articles: &[(&str, &str)]) -> Fixture {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (t, b) in articles {
            let mut doc = TantivyDocument::default();
            doc.add_text(title, t);
            doc.add_text(body, b);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        Fixture { index, title, body }
    }

    fn query(f: &Fixture, word: &str) -> FieldsTermQuery {
        FieldsTermQuery::new(vec![
            (Term::from_field_text(f.title, word), 2.0),
            (Term::from_field_text(f.body, word), 1.0),
        ])
    }

    #[test]
    fn finds_the_word_in_either_field_and_counts_like_a_union() {
        let f = fixture(&[
            ("kursk", "soldaten an der grenze"),
            ("grenze", "truppen bei kursk"),
            ("kursk", "kursk und belgorod"),
            ("belgorod", "nichts davon"),
        ]);
        let searcher = f.index.reader().unwrap().searcher();
        let q = query(&f, "kursk");
        assert_eq!(searcher.search(&q, &Count).unwrap(), 3);
        let hits = searcher
            .search(&q, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let docs: Vec<u32> = hits.iter().map(|(_, a)| a.doc_id).collect();
        // Title and body together first; one title occurrence (weight 2)
        // above one body occurrence.
        assert_eq!(docs, vec![2, 0, 1]);
        let explanation = q.explain(&searcher, hits[0].1).unwrap();
        assert!((explanation.value() - hits[0].0).abs() < 1e-4);
        assert!(
            q.explain(&searcher, tantivy::DocAddress::new(0, 3))
                .is_err()
        );
    }

    #[test]
    fn title_and_body_saturate_together() {
        let f = fixture(&[
            ("kursk", "kursk kursk kursk"),
            ("andere", "worte hier und dort"),
        ]);
        let searcher = f.index.reader().unwrap().searcher();
        let top = |q: &dyn Query| -> f32 {
            searcher
                .search(q, &TopDocs::with_limit(1).order_by_score())
                .unwrap()[0]
                .0
        };
        let joint = top(&query(&f, "kursk"));
        let term = |field| {
            TermQuery::new(
                Term::from_field_text(field, "kursk"),
                IndexRecordOption::WithFreqs,
            )
        };
        let apart = top(&term(f.title)) + top(&term(f.body));
        assert!(joint > 0.0);
        // One saturation: less than the two fields' scores added.
        assert!(joint < apart, "{joint} vs {apart}");
    }
}
