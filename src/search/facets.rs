//! Facets over all hits of a query: top countries and actors, and hits over
//! time. Read from fast columns, so counting 100,000 hits reads no stored
//! document.

use std::collections::HashMap;

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
    pub countries: Vec<Count>,
    pub actors: Vec<Count>,
    /// One entry per hit with a date.
    pub dates: Vec<NaiveDate>,
    pub undated: u64,
}

/// Collects countries, actors and dates of every matching document.
pub struct BreakdownCollector;

pub struct SegmentBreakdown {
    countries: Option<StrColumn>,
    actors: Option<StrColumn>,
    dates: Column<tantivy::DateTime>,
    country_counts: Vec<u64>,
    actor_counts: Vec<u64>,
    dates_seen: Vec<NaiveDate>,
    undated: u64,
}

#[derive(Default)]
pub struct SegmentFruit {
    countries: HashMap<String, u64>,
    actors: HashMap<String, u64>,
    dates: Vec<NaiveDate>,
    undated: u64,
}

fn count_ords(column: &Option<StrColumn>, counts: &mut [u64], doc: DocId) {
    if let Some(c) = column {
        for ord in c.term_ords(doc) {
            counts[ord as usize] += 1;
        }
    }
}

fn to_strings(column: &Option<StrColumn>, counts: Vec<u64>) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some(c) = column else { return out };
    // One pass over the dictionary for all ordinals: looking each one up
    // alone decodes its block from the start every time.
    let ords: Vec<u64> = (0..counts.len() as u64)
        .filter(|&ord| counts[ord as usize] > 0)
        .collect();
    let mut found = ords.iter();
    let _ = c.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let Some(&ord) = found.next() {
            out.insert(
                String::from_utf8_lossy(bytes).into_owned(),
                counts[ord as usize],
            );
        }
    });
    out
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
        let countries = fast.str(schema::COUNTRIES)?;
        let actors = fast.str(schema::ACTORS)?;
        let n = |c: &Option<StrColumn>| c.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentBreakdown {
            country_counts: vec![0; n(&countries)],
            actor_counts: vec![0; n(&actors)],
            countries,
            actors,
            dates: fast.date(schema::DATE)?,
            dates_seen: Vec::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Breakdown> {
        let mut countries: HashMap<String, u64> = HashMap::new();
        let mut actors: HashMap<String, u64> = HashMap::new();
        let mut out = Breakdown::default();
        for f in fruits {
            for (k, v) in f.countries {
                *countries.entry(k).or_default() += v;
            }
            for (k, v) in f.actors {
                *actors.entry(k).or_default() += v;
            }
            out.dates.extend(f.dates);
            out.undated += f.undated;
        }
        out.countries = sorted(countries);
        out.actors = sorted(actors);
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
        count_ords(&self.countries, &mut self.country_counts, doc);
        count_ords(&self.actors, &mut self.actor_counts, doc);
        match self.dates.first(doc).and_then(date_from_value) {
            Some(d) => self.dates_seen.push(d),
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> SegmentFruit {
        SegmentFruit {
            countries: to_strings(&self.countries, self.country_counts),
            actors: to_strings(&self.actors, self.actor_counts),
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
}
