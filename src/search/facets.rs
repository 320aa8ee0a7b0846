//! Facets over all hits of a query: top countries and actors, and hits over
//! time. Read from fast columns, so counting 100,000 hits reads no stored
//! document.

use std::collections::HashMap;
use std::io;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::{date_from_value, schema};

/// Counts of one multi-valued column over the hits, most frequent first.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Count {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    /// The most frequent, at most `BreakdownCollector::top` of each.
    pub countries: Vec<Count>,
    pub actors: Vec<Count>,
    /// One entry per hit with a date.
    pub dates: Vec<NaiveDate>,
    pub undated: u64,
}

/// Collects countries, actors and dates of every matching document.
pub struct BreakdownCollector {
    /// Countries and actors wanted, most frequent first (ties in name order);
    /// none are counted when 0.
    pub top: usize,
    /// Whether the hits' dates are wanted (a timeline).
    pub dates: bool,
}

pub struct SegmentBreakdown {
    countries: Option<OrdCounts>,
    actors: Option<OrdCounts>,
    dates: Option<Column<tantivy::DateTime>>,
    dates_seen: Vec<NaiveDate>,
    undated: u64,
}

/// One segment's counts of a column's values, by term ordinal.
struct OrdCounts {
    column: StrColumn,
    /// 32 bits hold a segment's hits: at 100,000 articles a segment names
    /// tens of thousands of actors, and zeroing and touching twice the
    /// memory cost a search with `--facets` page faults it did not need.
    counts: Vec<u32>,
    /// The ordinals counted at least once: a query's hits name a few hundred
    /// of a segment's tens of thousands of actors.
    seen: Vec<u32>,
}

impl OrdCounts {
    fn new(column: StrColumn) -> OrdCounts {
        OrdCounts {
            counts: vec![0; column.num_terms()],
            column,
            seen: Vec::new(),
        }
    }

    fn count(&mut self, doc: DocId) {
        for ord in self.column.term_ords(doc) {
            let count = &mut self.counts[ord as usize];
            if *count == 0 {
                self.seen.push(ord as u32);
            }
            *count += 1;
        }
    }
}

pub struct SegmentFruit {
    countries: Option<OrdCounts>,
    actors: Option<OrdCounts>,
    dates: Vec<NaiveDate>,
    undated: u64,
}

/// The `top` values with the highest counts summed over the segments, in
/// the order of `sorted`. A query with thousands of hits has thousands of
/// actors, and naming each (a dictionary lookup) cost more than the rest of
/// the search: values are named from each segment's most frequent down, and
/// the walk stops when no value not yet named can reach the top any more
/// (the threshold algorithm).
fn top_counts(parts: &[OrdCounts], top: usize) -> io::Result<Vec<Count>> {
    let by_count: Vec<Vec<(u32, u32)>> = parts
        .iter()
        .map(|p| {
            let mut v: Vec<(u32, u32)> = p
                .seen
                .iter()
                .map(|&ord| (p.counts[ord as usize], ord))
                .collect();
            v.sort_unstable_by_key(|&(count, _)| std::cmp::Reverse(count));
            v
        })
        .collect();
    let mut named: HashMap<String, u64> = HashMap::new();
    let mut term = String::new();
    for depth in 0.. {
        // No value left unnamed has more than this in all segments together.
        let mut unnamed_at_most = 0;
        let mut more = false;
        for (this, (part, ranked)) in parts.iter().zip(&by_count).enumerate() {
            let Some(&(count, ord)) = ranked.get(depth) else {
                continue;
            };
            more = true;
            unnamed_at_most += u64::from(count);
            term.clear();
            part.column.ord_to_str(u64::from(ord), &mut term)?;
            if named.contains_key(&term) {
                continue;
            }
            let mut total = u64::from(count);
            for (_, other) in parts.iter().enumerate().filter(|(i, _)| *i != this) {
                if let Some(o) = other.column.dictionary().term_ord(term.as_bytes())? {
                    total += u64::from(other.counts[o as usize]);
                }
            }
            named.insert(term.clone(), total);
        }
        if !more {
            break;
        }
        if named.len() >= top {
            let mut totals: Vec<u64> = named.values().copied().collect();
            let (_, &mut kth, _) = totals.select_nth_unstable_by(top - 1, |a, b| b.cmp(a));
            // Strictly more: an unnamed value with as many could come first by name.
            if kth > unnamed_at_most {
                break;
            }
        }
    }
    let mut out = sorted(named);
    out.truncate(top);
    Ok(out)
}

impl Collector for BreakdownCollector {
    type Fruit = Breakdown;
    type Child = SegmentBreakdown;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentBreakdown> {
        let fast = segment.fast_fields();
        let counts = |name: &str| -> tantivy::Result<Option<OrdCounts>> {
            if self.top == 0 {
                return Ok(None);
            }
            Ok(fast.str(name)?.map(OrdCounts::new))
        };
        Ok(SegmentBreakdown {
            countries: counts(schema::COUNTRIES)?,
            actors: counts(schema::ACTORS)?,
            dates: if self.dates {
                Some(fast.date(schema::DATE)?)
            } else {
                None
            },
            dates_seen: Vec::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Breakdown> {
        let mut countries = Vec::new();
        let mut actors = Vec::new();
        let mut out = Breakdown::default();
        for f in fruits {
            countries.extend(f.countries);
            actors.extend(f.actors);
            out.dates.extend(f.dates);
            out.undated += f.undated;
        }
        if self.top > 0 {
            out.countries = top_counts(&countries, self.top)?;
            out.actors = top_counts(&actors, self.top)?;
        }
        out.dates.sort_unstable();
        Ok(out)
    }
}

fn sorted(map: HashMap<String, u64>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(value, count)| Count { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

impl SegmentCollector for SegmentBreakdown {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(countries) = &mut self.countries {
            countries.count(doc);
        }
        if let Some(actors) = &mut self.actors {
            actors.count(doc);
        }
        if let Some(dates) = &self.dates {
            match dates.first(doc).and_then(date_from_value) {
                Some(d) => self.dates_seen.push(d),
                None => self.undated += 1,
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        SegmentFruit {
            countries: self.countries,
            actors: self.actors,
            dates: self.dates_seen,
            undated: self.undated,
        }
    }
}

/// How hits over time are bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub bucket: Bucket,
    /// Start of each bucket and its hit count, gapless from first to last.
    pub counts: Vec<(NaiveDate, u64)>,
    pub undated: u64,
}

fn bucket_start(d: NaiveDate, bucket: Bucket) -> NaiveDate {
    match bucket {
        Bucket::Day => d,
        Bucket::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
        Bucket::Month => d.with_day(1).expect("day 1 exists"),
    }
}

fn next_bucket(d: NaiveDate, bucket: Bucket) -> NaiveDate {
    match bucket {
        Bucket::Day => d + Duration::days(1),
        Bucket::Week => d + Duration::days(7),
        Bucket::Month => d
            .checked_add_months(chrono::Months::new(1))
            .expect("in range"),
    }
}

/// Hits per day, week or month, the bucket chosen so the span fits in
/// about sixty rows: days up to two months, weeks up to a year, else months.
pub fn timeline(dates: &[NaiveDate], undated: u64) -> Timeline {
    let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
        return Timeline {
            bucket: Bucket::Day,
            counts: Vec::new(),
            undated,
        };
    };
    let span = (last - first).num_days();
    let bucket = if span <= 62 {
        Bucket::Day
    } else if span <= 366 {
        Bucket::Week
    } else {
        Bucket::Month
    };
    let mut counts: Vec<(NaiveDate, u64)> = Vec::new();
    let mut at = bucket_start(first, bucket);
    let end = bucket_start(last, bucket);
    while at <= end {
        counts.push((at, 0));
        at = next_bucket(at, bucket);
    }
    for d in dates {
        let start = bucket_start(*d, bucket);
        // Buckets are in order and gapless; find by binary search.
        if let Ok(i) = counts.binary_search_by_key(&start, |(s, _)| *s) {
            counts[i].1 += 1;
        }
    }
    Timeline {
        bucket,
        counts,
        undated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{FAST, STRING, Schema};
    use tantivy::{Index, TantivyDocument};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_follow_the_span() {
        let t = timeline(&[d(2024, 10, 1), d(2024, 10, 1), d(2024, 10, 3)], 2);
        assert_eq!(t.bucket, Bucket::Day);
        assert_eq!(
            t.counts,
            vec![
                (d(2024, 10, 1), 2),
                (d(2024, 10, 2), 0),
                (d(2024, 10, 3), 1)
            ]
        );
        assert_eq!(t.undated, 2);
        let t = timeline(&[d(2024, 1, 1), d(2024, 6, 30)], 0);
        assert_eq!(t.bucket, Bucket::Week);
        let t = timeline(&[d(2023, 1, 15), d(2024, 6, 30)], 0);
        assert_eq!(t.bucket, Bucket::Month);
        assert_eq!(t.counts.first().unwrap().0, d(2023, 1, 1));
        assert_eq!(t.counts.len(), 18);
    }

    /// Actors of articles in three segments: counts that tie, values that
    /// lead in one segment and trail in another.
    fn index_of(segments: &[&[&[&str]]]) -> Index {
        let mut b = Schema::builder();
        let countries = b.add_text_field(schema::COUNTRIES, STRING | FAST);
        let actors = b.add_text_field(schema::ACTORS, STRING | FAST);
        b.add_date_field(schema::DATE, FAST);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in segments {
            for article in *segment {
                let mut doc = TantivyDocument::default();
                doc.add_text(countries, "DE");
                for actor in *article {
                    doc.add_text(actors, actor);
                }
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        index
    }

    #[test]
    fn the_top_actors_are_those_of_a_full_count_over_all_segments() {
        let segments: &[&[&[&str]]] = &[
            &[
                &["Anna", "Bert"],
                &["Anna", "Carl"],
                &["Anna"],
                &["Dora", "Emil"],
            ],
            &[&["Carl", "Bert"], &["Carl", "Dora"], &["Carl"], &["Fritz"]],
            &[&["Bert"], &["Bert", "Emil"], &["Dora"], &["Gustav", "Anna"]],
        ];
        let index = index_of(segments);
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let mut full: HashMap<String, u64> = HashMap::new();
        for article in segments.iter().flat_map(|s| s.iter()) {
            for actor in *article {
                *full.entry(actor.to_string()).or_default() += 1;
            }
        }
        let full = sorted(full);
        for top in 1..=full.len() + 1 {
            let found = searcher
                .search(
                    &tantivy::query::AllQuery,
                    &BreakdownCollector { top, dates: false },
                )
                .unwrap();
            let expected: Vec<Count> = full.iter().take(top).cloned().collect();
            assert_eq!(found.actors, expected, "top {top}");
            assert_eq!(found.countries[0].count, 12);
        }
        // Anna, Bert and Carl have four each: name order among equals.
        let names: Vec<&str> = full.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(&names[..3], ["Anna", "Bert", "Carl"]);
    }
}
