//! Shingle slot values that many articles share: boilerplate (a site's
//! footer, a live-ticker template), not the text of one story.
//!
//! They are counted over the whole archive at the end of every indexing run
//! and kept beside the index in one small file, so that a search looks each
//! value up in memory. Indexing every slot value as a term instead would put
//! 48 terms, nearly all unique, into the index for every article: at 100,000
//! articles a fifth of the ingest time and most of the term dictionary.

use std::path::Path;

use tantivy::Searcher;

use super::schema;
use super::signature::{self, SHINGLE_SLOTS, Signature};
use crate::error::ArchivError;

/// A slot value shared by more articles than this is boilerplate (a story
/// is carried by a few dozen outlets at most).
pub const COMMON_SLOT_ARTICLES: usize = 20;

/// The file, in the index folder.
pub const FILE_NAME: &str = "common-slots.bin";

const MAGIC: &[u8; 8] = b"archivCS";
const LAYOUT: u32 = 1;

/// The common slot values of an archive, as sorted slot keys.
#[derive(Debug)]
pub struct CommonSlots {
    keys: Keys,
}

/// Counted in memory, or the file as written (a million synthetic articles
/// share half a million slot values: parsing the file would cost a search
/// more than looking up the few dozen slots it compares).
#[derive(Debug)]
enum Keys {
    Counted(Vec<u64>),
    Mapped(memmap2::Mmap),
}

const HEADER_BYTES: usize = MAGIC.len() + 4;

/// The keys of a mapped file, little-endian (`read` checked the header).
fn mapped_keys(map: &[u8]) -> &[[u8; 8]] {
    map[HEADER_BYTES..].as_chunks::<8>().0
}

impl CommonSlots {
    pub fn is_common(&self, slot: usize, value: u32) -> bool {
        let wanted = signature::slot_key(slot, value);
        match &self.keys {
            Keys::Counted(keys) => keys.binary_search(&wanted).is_ok(),
            Keys::Mapped(map) => mapped_keys(map)
                .binary_search_by(|key| u64::from_le_bytes(*key).cmp(&wanted))
                .is_ok(),
        }
    }

    fn key(&self, i: usize) -> u64 {
        match &self.keys {
            Keys::Counted(keys) => keys[i],
            Keys::Mapped(map) => u64::from_le_bytes(mapped_keys(map)[i]),
        }
    }

    pub fn len(&self) -> usize {
        match &self.keys {
            Keys::Counted(keys) => keys.len(),
            Keys::Mapped(map) => mapped_keys(map).len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Counts the slot values of the live articles `searcher` sees. Memory:
    /// four bytes per slot and article (200 MB for a million articles).
    pub fn count(searcher: &Searcher) -> Result<CommonSlots, ArchivError> {
        let articles = usize::try_from(searcher.num_docs()).unwrap_or(0);
        let mut values: Vec<Vec<u32>> = (0..SHINGLE_SLOTS)
            .map(|_| Vec::with_capacity(articles))
            .collect();
        let mut buffer = Vec::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64(schema::SIGNATURE)?;
            for doc in segment.doc_ids_alive() {
                let Some(body) = Signature::decode_words(column.values_for_doc(doc), &mut buffer)
                    .and_then(|s| s.body)
                else {
                    continue;
                };
                for (slot, &value) in body.shingles.iter().enumerate() {
                    values[slot].push(value);
                }
            }
        }
        let mut keys = Vec::new();
        for (slot, mut slot_values) in values.into_iter().enumerate() {
            slot_values.sort_unstable();
            for run in slot_values.chunk_by(|a, b| a == b) {
                if run.len() > COMMON_SLOT_ARTICLES {
                    keys.push(signature::slot_key(slot, run[0]));
                }
            }
        }
        // Slot keys grow with the slot number, so `keys` is sorted already.
        debug_assert!(keys.is_sorted());
        Ok(CommonSlots {
            keys: Keys::Counted(keys),
        })
    }

    /// Maps the file an indexing run left in `dir`; `None` when it is
    /// missing or not such a file.
    pub fn read(dir: &Path) -> Option<CommonSlots> {
        let file = std::fs::File::open(dir.join(FILE_NAME)).ok()?;
        // SAFETY: the file is only ever replaced (renamed over), never
        // changed in place, so the mapping stays as it was read.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let header = map.get(..HEADER_BYTES)?;
        let fits = header.starts_with(MAGIC)
            && header[MAGIC.len()..] == LAYOUT.to_le_bytes()
            && (map.len() - HEADER_BYTES).is_multiple_of(8);
        fits.then_some(CommonSlots {
            keys: Keys::Mapped(map),
        })
    }

    /// Writes the file into `dir`, replacing the old one at once (a reader
    /// sees the old file or the new one, never half of one).
    pub fn write(&self, dir: &Path) -> Result<(), ArchivError> {
        let mut bytes = Vec::with_capacity(HEADER_BYTES + 8 * self.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&LAYOUT.to_le_bytes());
        for i in 0..self.len() {
            bytes.extend_from_slice(&self.key(i).to_le_bytes());
        }
        let path = dir.join(FILE_NAME);
        let partial = dir.join(format!("{FILE_NAME}.partial"));
        let io = |e| ArchivError::Io {
            path: path.clone(),
            source: e,
        };
        std::fs::write(&partial, bytes).map_err(io)?;
        std::fs::rename(&partial, &path).map_err(io)
    }

    /// The archive's common slot values: from the file, or counted now when
    /// an indexing run stopped before writing it.
    pub fn of_archive(dir: &Path, searcher: &Searcher) -> Result<CommonSlots, ArchivError> {
        match CommonSlots::read(dir) {
            Some(common) => Ok(common),
            None => CommonSlots::count(searcher),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_slots_read_back_and_a_damaged_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(CommonSlots::read(dir.path()).is_none());
        let keys = vec![
            signature::slot_key(0, 7),
            signature::slot_key(3, 1),
            signature::slot_key(5, 0),
            signature::slot_key(47, u32::MAX),
        ];
        let common = CommonSlots {
            keys: Keys::Counted(keys.clone()),
        };
        common.write(dir.path()).unwrap();
        let read = CommonSlots::read(dir.path()).unwrap();
        assert_eq!(read.len(), keys.len());
        for table in [&common, &read] {
            assert!(table.is_common(0, 7) && table.is_common(3, 1));
            assert!(table.is_common(5, 0) && table.is_common(47, u32::MAX));
            assert!(!table.is_common(1, 3) && !table.is_common(0, 8));
            assert!(!table.is_common(0, 0) && !table.is_common(47, u32::MAX - 1));
        }

        let path = dir.path().join(FILE_NAME);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(CommonSlots::read(dir.path()).is_none());
        std::fs::write(&path, b"archivCS").unwrap();
        assert!(CommonSlots::read(dir.path()).is_none());
    }
}
