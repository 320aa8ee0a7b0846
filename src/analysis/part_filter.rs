//! Bitmaps in front of the compound lexicon: splitting a word asks the
//! lexicon about a dozen of its substrings, and most are no part. The
//! perfect-hash tables (1.6 MB of entries, their words elsewhere) miss the
//! CPU caches on each question; a bitmap (128 KiB, built with its table by
//! `build.rs`) answers most of the noes from the cache. Shared with
//! `build.rs`, so that both hash alike.

/// A bitmap has 2^`BITS` bits: with the 67,000 forms of parts, 6 % of the
/// substrings that are no part still pass.
pub const BITS: u32 = 20;

/// Number of `u64` words in the bitmap.
pub const WORDS: usize = 1 << (BITS - 6);

/// The bit of a form (FNV-1a, its bits spread by a multiplication).
pub const fn slot(bytes: &[u8]) -> usize {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BITS)) as usize
}

/// Whether `bytes` may be in the set of the bitmap (surely not if `false`).
#[allow(dead_code)] // `build.rs` only sets bits
pub fn may_contain(bitmap: &[u64; WORDS], bytes: &[u8]) -> bool {
    let slot = slot(bytes);
    bitmap[slot / 64] & (1 << (slot % 64)) != 0
}
