//! A stable order for hits that rank equal.
//!
//! tantivy orders equal scores (or equal dates) by document address, and
//! the addresses depend on which indexing thread took which article: two
//! builds of one folder can list tied hits differently. Tied hits are put in
//! the order of their file paths instead, and within a file in file order
//! (one file's articles are indexed in order, in one segment).

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, Searcher};

use crate::error::ArchivError;
use crate::index::schema::FILE;

/// How far past the page a run of ties is followed to find its members
/// that tantivy left out; beyond it, which of them make the page is up to
/// tantivy's order (thousands of articles of equal rank: filters alone).
pub const MAX_TIE_RUN: usize = 1000;

/// Orders each run of equal `key`s in `docs` by file path, then address.
/// `docs` is in rank order; only the runs are touched.
pub fn order_ties<T: Copy, K: PartialEq>(
    searcher: &Searcher,
    docs: &mut [T],
    key: impl Fn(&T) -> K,
    address: impl Fn(&T) -> DocAddress,
) -> Result<(), ArchivError> {
    let mut files = FilePaths::new(searcher);
    let mut start = 0;
    while start < docs.len() {
        let run_key = key(&docs[start]);
        let end = start
            + docs[start..]
                .iter()
                .take_while(|d| key(d) == run_key)
                .count();
        if end - start > 1 {
            let run = &mut docs[start..end];
            let mut keyed = Vec::with_capacity(run.len());
            for (i, d) in run.iter().enumerate() {
                let a = address(d);
                keyed.push((files.path(a)?, a.segment_ord, a.doc_id, i));
            }
            keyed.sort_unstable();
            let ordered: Vec<T> = keyed.iter().map(|&(.., i)| run[i]).collect();
            run.copy_from_slice(&ordered);
        }
        start = end;
    }
    Ok(())
}

/// The `file` column of each segment, opened on first use.
struct FilePaths<'a> {
    searcher: &'a Searcher,
    columns: Vec<Option<Option<StrColumn>>>,
}

impl<'a> FilePaths<'a> {
    fn new(searcher: &'a Searcher) -> Self {
        FilePaths {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
        }
    }

    fn path(&mut self, address: DocAddress) -> Result<String, ArchivError> {
        let segment = address.segment_ord as usize;
        if self.columns[segment].is_none() {
            let column = self
                .searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .str(FILE)?;
            self.columns[segment] = Some(column);
        }
        let mut path = String::new();
        if let Some(Some(column)) = &self.columns[segment]
            && let Some(ord) = column.ords().first(address.doc_id)
        {
            column.ord_to_str(ord, &mut path)?;
        }
        Ok(path)
    }
}
