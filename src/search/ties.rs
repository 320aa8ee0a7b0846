//! A stable order for hits that rank equal.
//!
//! tantivy orders equal scores (or equal dates) by document address, and
//! the addresses depend on which indexing thread took which article: two
//! builds of one folder can list tied hits differently. Tied hits are put in
//! the order of their file paths instead, and within a file in file order
//! (one file's articles are indexed in order, in one segment).

use foldhash::{HashMap, HashMapExt};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher};

use crate::error::ArchivError;
use crate::index::schema::FILE;

/// How far past the page a run of ties is followed to find its members
/// that tantivy left out; beyond it, which of them make the page is up to
/// tantivy's order (thousands of articles of equal rank: filters alone).
pub const MAX_TIE_RUN: usize = 1000;

/// Matches fetched past the page to see whether a run of ties crosses its
/// end; most runs end within them.
pub const TIE_MARGIN: usize = 32;

/// Orders each run of equal `key`s in `docs[..end]` by file path, then
/// position in the file; a run that starts at `end` or later is left as it
/// is (it is cut off). `docs` is in rank order.
pub fn order_ties<T: Copy, K: PartialEq>(
    searcher: &Searcher,
    docs: &mut [T],
    end: usize,
    key: impl Fn(&T) -> K,
    address: impl Fn(&T) -> DocAddress,
) -> Result<(), ArchivError> {
    let mut files = FilePaths::new(searcher);
    let mut start = 0;
    while start < end.min(docs.len()) {
        let run_key = key(&docs[start]);
        let run_end = start
            + docs[start..]
                .iter()
                .take_while(|d| key(d) == run_key)
                .count();
        if run_end - start > 1 {
            let run = &mut docs[start..run_end];
            let mut keyed = Vec::with_capacity(run.len());
            for (i, d) in run.iter().enumerate() {
                let a = address(d);
                keyed.push((files.ord(a)?, a, i));
            }
            // Within a segment the column's ordinals sort as its paths do;
            // only a run across segments needs the paths themselves.
            let one_segment = keyed
                .iter()
                .all(|(_, a, _)| a.segment_ord == keyed[0].1.segment_ord);
            let order: Vec<usize> = if one_segment {
                keyed.sort_unstable_by_key(|&(ord, a, _)| (ord, a.doc_id));
                keyed.iter().map(|&(.., i)| i).collect()
            } else {
                let mut by_path = Vec::with_capacity(keyed.len());
                for &(ord, a, i) in &keyed {
                    by_path.push((files.path(a.segment_ord, ord)?, a.segment_ord, a.doc_id, i));
                }
                by_path.sort_unstable();
                by_path.iter().map(|&(.., i)| i).collect()
            };
            let ordered: Vec<T> = order.iter().map(|&i| run[i]).collect();
            run.copy_from_slice(&ordered);
        }
        start = run_end;
    }
    Ok(())
}

/// The `file` column of each segment, opened on first use, and the paths
/// read from it (one file holds many articles of a JSON-lines dump).
struct FilePaths<'a> {
    searcher: &'a Searcher,
    columns: Vec<Option<Option<StrColumn>>>,
    paths: HashMap<(u32, u64), std::rc::Rc<str>>,
}

impl<'a> FilePaths<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        FilePaths {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
            paths: HashMap::new(),
        }
    }

    fn column(&mut self, segment_ord: u32) -> Result<Option<&StrColumn>, ArchivError> {
        let segment = segment_ord as usize;
        if self.columns[segment].is_none() {
            let column = self
                .searcher
                .segment_reader(segment_ord)
                .fast_fields()
                .str(FILE)?;
            self.columns[segment] = Some(column);
        }
        Ok(self.columns[segment].as_ref().and_then(Option::as_ref))
    }

    /// The ordinal of the article's path in its segment's column (`u64::MAX`
    /// for an article without one, which sorts last).
    fn ord(&mut self, address: DocAddress) -> Result<u64, ArchivError> {
        Ok(self
            .column(address.segment_ord)?
            .and_then(|c| c.ords().first(address.doc_id))
            .unwrap_or(u64::MAX))
    }

    fn path(&mut self, segment_ord: u32, ord: u64) -> Result<std::rc::Rc<str>, ArchivError> {
        if let Some(path) = self.paths.get(&(segment_ord, ord)) {
            return Ok(path.clone());
        }
        // No path (which `index` always records) sorts last, as its ordinal.
        let mut path = char::MAX.to_string();
        if ord != u64::MAX
            && let Some(column) = self.column(segment_ord)?
        {
            path.clear();
            column.ord_to_str(ord, &mut path)?;
        }
        let path: std::rc::Rc<str> = path.into();
        self.paths.insert((segment_ord, ord), path.clone());
        Ok(path)
    }
}
