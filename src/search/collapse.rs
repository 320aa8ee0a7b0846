//! Folding near-copies of one story among the top hits into one hit.
//!
//! Hits are taken in their ranked order; each joins the group of every
//! earlier hit that tells the same story (joining them into one), or starts a
//! group of its own. The first hit of a group stands for it and the others
//! are listed as similar. Two articles tell the same story when
//! - they are near-copies (agency text republished): their titles share a
//!   term and almost all of the shingle slots of their signatures agree
//!   (somewhat fewer will do when their titles are much alike), counting only
//!   slots whose value few articles in the index share: boilerplate shared by
//!   a whole site or a live-ticker template would otherwise make unrelated
//!   articles look alike (`index::common_slots` counts them); or
//! - they are versions of one story (retold for another reading level): their
//!   titles are nearly the same, they appeared within a week, and they share
//!   a good part of their vocabulary.
//!
//! The thresholds were set on German news: agency copies agree in 85–100 %
//! of the informative slots; two articles of one site that differ in their
//! first paragraph and share the rest (a paywall notice, a glossary box) in
//! 60–75 %, with titles that have little in common; a signature estimates
//! these shares to about ±7 %. Reading levels of one story share 25–80 % of
//! their terms.

use foldhash::{HashMap, HashMapExt};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, Searcher};

use super::forms::TypedForms;
use super::{RankedDoc, ReadDocs, SearchRequest, rank_query};
use crate::error::ArchivError;
use crate::index::common_slots::CommonSlots;
use crate::index::schema;
use crate::index::signature::{self, Signature};

/// Share of the informative shingle slots near-copies agree in...
const COPY_MIN_AGREEMENT: f32 = 0.9;
/// ...or, when half their title terms are the same, this share.
const COPY_MIN_AGREEMENT_SAME_TITLE: f32 = 0.8;
const COPY_SAME_TITLE: f32 = 0.5;
/// Informative shingle slots needed to call two articles near-copies.
const COPY_MIN_SLOTS: usize = 12;
/// Versions of one story: share of their title terms in common...
const VERSION_MIN_TITLE: f32 = 0.8;
/// ...of their distinct body terms...
const VERSION_MIN_WORDS: f32 = 0.3;
/// ...and the most days between them.
const VERSION_MAX_DAYS: i64 = 7;
/// Hits compared at least, so that a page's hits find their copies further down.
pub const MIN_WINDOW: usize = 100;

struct Item {
    signature: Option<Signature>,
    /// Days since the epoch of the publication date.
    day: Option<i64>,
}

type SegmentColumns = (Column<u64>, Column<DateTime>);

/// Groups hits one at a time, in ranked order.
pub struct Collapser<'a> {
    searcher: &'a Searcher,
    columns: HashMap<u32, SegmentColumns>,
    common: &'a CommonSlots,
    items: Vec<Item>,
    /// Each item's group when it was added; a group joined into an earlier
    /// one points there through `joined_into`.
    group_of: Vec<usize>,
    joined_into: Vec<usize>,
    /// Each group's items in ranked order, first the one that stands for it;
    /// empty for a group joined into another.
    groups: Vec<Vec<usize>>,
    live_groups: usize,
    /// Items by the hashes of their title terms (every rule needs one shared):
    /// the latest item with a hash, and from each item with it the one
    /// before (`NO_LINK` at the first). A list per hash cost the hundred
    /// hits of a search ~600 allocations.
    title_heads: HashMap<u16, usize>,
    title_links: Vec<(usize, usize)>,
    untitled: Vec<usize>,
    buffer: Vec<u8>,
    /// A signature's words as read from its column.
    words: Vec<u64>,
    /// Which earlier items are already candidates of the one being added.
    taken: Vec<bool>,
    /// The earlier items to compare the one being added with, and the groups
    /// it matched (kept to be reused).
    candidates: Vec<usize>,
    matched: Vec<usize>,
}

/// The end of a list of `title_links`.
const NO_LINK: usize = usize::MAX;

impl<'a> Collapser<'a> {
    pub fn new(searcher: &'a Searcher, common: &'a CommonSlots) -> Collapser<'a> {
        Collapser {
            searcher,
            columns: HashMap::new(),
            common,
            items: Vec::new(),
            group_of: Vec::new(),
            joined_into: Vec::new(),
            groups: Vec::new(),
            live_groups: 0,
            // Up to eight title terms for each of the first hundred hits.
            title_heads: HashMap::with_capacity(512),
            title_links: Vec::with_capacity(1024),
            untitled: Vec::new(),
            buffer: Vec::new(),
            words: Vec::new(),
            taken: Vec::new(),
            candidates: Vec::new(),
            matched: Vec::new(),
        }
    }

    fn read(&mut self, address: DocAddress) -> Result<Item, ArchivError> {
        if !self.columns.contains_key(&address.segment_ord) {
            let fast = self
                .searcher
                .segment_reader(address.segment_ord)
                .fast_fields();
            let columns = (fast.u64(schema::SIGNATURE)?, fast.date(schema::DATE)?);
            self.columns.insert(address.segment_ord, columns);
        }
        let (signatures, dates) = &self.columns[&address.segment_ord];
        // All of a signature's ~40 words in one read: one at a time, through
        // the column's dynamic reader, took half of the folding.
        let rows = signatures.index.value_row_ids(address.doc_id);
        self.words.clear();
        self.words.resize(rows.len(), 0);
        signatures
            .values
            .get_range(u64::from(rows.start), &mut self.words);
        let signature = Signature::decode_words(self.words.iter().copied(), &mut self.buffer);
        let day = dates
            .first(address.doc_id)
            .map(|d| d.into_timestamp_secs().div_euclid(86_400));
        Ok(Item { signature, day })
    }

    /// The group an item is in now.
    fn group(&self, item: usize) -> usize {
        let mut g = self.group_of[item];
        while self.joined_into[g] != g {
            g = self.joined_into[g];
        }
        g
    }

    /// The groups, in ranked order of the hits that stand for them: each a
    /// list of items in ranked order.
    pub fn groups(&self) -> impl Iterator<Item = &[usize]> {
        self.groups
            .iter()
            .filter(|items| !items.is_empty())
            .map(Vec::as_slice)
    }

    /// Adds the next hit.
    pub fn add(&mut self, address: DocAddress) -> Result<(), ArchivError> {
        let item = self.read(address)?;
        let index = self.items.len();
        let title: &[u16] = item.signature.as_ref().map_or(&[], |s| &s.title);
        // Each earlier hit once, however many title terms it shares (the
        // order does not matter: every group with a match is found).
        let mut candidates = std::mem::take(&mut self.candidates);
        candidates.clear();
        if title.is_empty() {
            candidates.extend(0..index);
        } else {
            self.taken.clear();
            self.taken.resize(index, false);
            for h in title {
                let mut link = self.title_heads.get(h).copied().unwrap_or(NO_LINK);
                while link != NO_LINK {
                    let (earlier, next) = self.title_links[link];
                    if !std::mem::replace(&mut self.taken[earlier], true) {
                        candidates.push(earlier);
                    }
                    link = next;
                }
            }
            for &earlier in &self.untitled {
                if !std::mem::replace(&mut self.taken[earlier], true) {
                    candidates.push(earlier);
                }
            }
        }
        let mut matched = std::mem::take(&mut self.matched);
        matched.clear();
        for &c in &candidates {
            let g = self.group(c);
            if !matched.contains(&g) && same_story(self.common, &item, &self.items[c]) {
                matched.push(g);
            }
        }
        // The best-ranked group takes the others in.
        let group = match matched.iter().min() {
            Some(&first) => {
                for &g in &matched {
                    if g != first {
                        let items = std::mem::take(&mut self.groups[g]);
                        self.groups[first].extend(items);
                        self.joined_into[g] = first;
                        self.live_groups -= 1;
                    }
                }
                self.groups[first].push(index);
                self.groups[first].sort_unstable();
                first
            }
            None => {
                self.groups.push(vec![index]);
                self.joined_into.push(self.groups.len() - 1);
                self.live_groups += 1;
                self.groups.len() - 1
            }
        };
        match item.signature.as_ref().map(|s| &s.title[..]) {
            Some(hashes) if !hashes.is_empty() => {
                for h in hashes {
                    let before = self.title_heads.insert(*h, self.title_links.len());
                    self.title_links.push((index, before.unwrap_or(NO_LINK)));
                }
            }
            _ => self.untitled.push(index),
        }
        self.group_of.push(group);
        self.items.push(item);
        self.candidates = candidates;
        self.matched = matched;
        Ok(())
    }
}

/// Whether two hits tell the same story (see the module comment).
fn same_story(common: &CommonSlots, a: &Item, b: &Item) -> bool {
    let (Some(sa), Some(sb)) = (&a.signature, &b.signature) else {
        return false;
    };
    let (shared, together) = signature::title_overlap(sa, sb);
    let both_titled = !sa.title.is_empty() && !sb.title.is_empty();
    if both_titled && shared == 0 {
        return false;
    }
    let (Some(ba), Some(bb)) = (&sa.body, &sb.body) else {
        return false;
    };
    let close_in_time = match (a.day, b.day) {
        (Some(x), Some(y)) => (x - y).abs() <= VERSION_MAX_DAYS,
        _ => true,
    };
    if both_titled
        && shared as f32 >= VERSION_MIN_TITLE * together as f32
        && close_in_time
        && signature::word_similarity(ba, bb) >= VERSION_MIN_WORDS
    {
        return true;
    }
    let agreement = if both_titled && shared as f32 >= COPY_SAME_TITLE * together as f32 {
        COPY_MIN_AGREEMENT_SAME_TITLE
    } else {
        COPY_MIN_AGREEMENT
    };
    // Informative slots can only agree where the raw slots do.
    let needed = (agreement * COPY_MIN_SLOTS as f32).ceil() as usize;
    if signature::shingle_matches(ba, bb) < needed {
        return false;
    }
    let (mut informative, mut agreeing) = (0usize, 0usize);
    for slot in 0..signature::SHINGLE_SLOTS {
        let (x, y) = (ba.shingles[slot], bb.shingles[slot]);
        let is_common = if x == y {
            common.is_common(slot, x)
        } else {
            common.is_common(slot, x) && common.is_common(slot, y)
        };
        if is_common {
            continue;
        }
        informative += 1;
        agreeing += usize::from(x == y);
    }
    informative >= COPY_MIN_SLOTS && agreeing as f32 >= agreement * informative as f32
}

/// A page of collapsed hits.
pub struct CollapsedPage {
    /// Every match of the query.
    pub total: usize,
    /// The page: each group's first hit (displayed score and address) and the
    /// addresses of the hits folded into it.
    pub groups: Vec<(RankedDoc, Vec<DocAddress>)>,
    /// Hits compared.
    pub compared: usize,
    /// Stored documents read while ranking.
    pub read: ReadDocs,
}

/// Ranks the query's matches and folds near-copies among the top ones, until
/// the page asked for is full or every match is compared.
pub fn rank_collapsed(
    searcher: &Searcher,
    common: &CommonSlots,
    query: &dyn Query,
    forms: Option<&TypedForms>,
    req: &SearchRequest,
) -> Result<CollapsedPage, ArchivError> {
    let in_index = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let need = req.offset.saturating_add(req.limit);
    let mut window = need.saturating_mul(3).max(MIN_WINDOW).min(in_index);
    let mut collapser = Collapser::new(searcher, common);
    let mut seen: Vec<RankedDoc> = Vec::new();
    let (total, read) = loop {
        let (total, docs, read) = rank_query(searcher, query, forms, req.sort, 0, window)?;
        for &(score, address) in docs.iter().skip(seen.len()) {
            collapser.add(address)?;
            seen.push((score, address));
        }
        if collapser.live_groups >= need || seen.len() >= total || window >= in_index {
            break (total, read);
        }
        window = window.saturating_mul(2).min(in_index);
    };
    let groups = collapser
        .groups()
        .skip(req.offset)
        .take(req.limit)
        .map(|items| {
            let folded = items[1..].iter().map(|&i| seen[i].1).collect();
            (seen[items[0]], folded)
        })
        .collect();
    Ok(CollapsedPage {
        total,
        groups,
        compared: seen.len(),
        read,
    })
}
