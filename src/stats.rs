//! Figures about the whole archive: size, date range, sources.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::ArchivError;
use crate::index::{Archive, date_from_value, schema};

#[derive(Debug, Serialize)]
pub struct Stats {
    pub index: String,
    pub articles: u64,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub undated: u64,
    pub sources: BTreeMap<String, u64>,
    /// The 20 countries and actors in most articles, with article counts.
    pub top_countries: Vec<(String, u64)>,
    pub top_actors: Vec<(String, u64)>,
    pub size_bytes: u64,
}

fn top(counts: BTreeMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Counts the values of a string fast column over live documents.
pub fn count_values(
    searcher: &tantivy::Searcher,
    field: &str,
) -> Result<BTreeMap<String, u64>, ArchivError> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str(field)? else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut per_ord: Vec<u64> = vec![0; column.num_terms()];
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            for ord in column.term_ords(doc) {
                per_ord[ord as usize] += 1;
            }
        }
        let mut name = String::new();
        for (ord, n) in per_ord.into_iter().enumerate() {
            if n > 0 {
                name.clear();
                column.ord_to_str(ord as u64, &mut name)?;
                *counts.entry(name.clone()).or_default() += n;
            }
        }
    }
    Ok(counts)
}

pub fn stats(archive: &Archive) -> Result<Stats, ArchivError> {
    let reader = archive.reader()?;
    let searcher = reader.searcher();
    let mut first: Option<tantivy::DateTime> = None;
    let mut last: Option<tantivy::DateTime> = None;
    let mut undated = 0u64;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().date(schema::DATE)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            match column.first(doc) {
                Some(d) => {
                    first = Some(first.map_or(d, |f| f.min(d)));
                    last = Some(last.map_or(d, |l| l.max(d)));
                }
                None => undated += 1,
            }
        }
    }
    Ok(Stats {
        index: archive.dir.display().to_string(),
        articles: searcher.num_docs(),
        first_date: first.and_then(date_from_value),
        last_date: last.and_then(date_from_value),
        undated,
        sources: count_values(&searcher, schema::SOURCE)?,
        top_countries: top(count_values(&searcher, schema::COUNTRIES)?, 20),
        top_actors: top(count_values(&searcher, schema::ACTORS)?, 20),
        size_bytes: archive.size_bytes(),
    })
}
