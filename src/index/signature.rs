//! A compact fingerprint of each article, made at index time, so that search
//! can tell near-copies of one story apart from articles that merely share a
//! topic without reading the hits' texts.
//!
//! Three parts, all over the analysed terms (stemmed, stop words dropped):
//! - a MinHash over the body's runs of three terms (shingles): two articles
//!   agree in a slot with the probability that equals the share of their
//!   shingles they have in common, so agency copies agree in nearly all slots;
//! - a MinHash over the body's distinct terms: the same story retold in
//!   simpler words (reading levels) keeps much of its vocabulary, not its
//!   sentences;
//! - hashes of the title's terms.
//!
//! Only the low bits of each minimum are kept (b-bit MinHash): 32 for the
//! shingle slots, whose values are also indexed as terms so that search can
//! count how many articles share one (boilerplate shared by a whole site is
//! then recognised as such), and 16 for the word slots.
//!
//! The hashes are made here, not by a library hasher, so that they stay the
//! same across builds: they are stored in the index.

use crate::analysis::german::{TermText, Word, term_for_word};

/// Slots of the shingle MinHash.
pub const SHINGLE_SLOTS: usize = 48;
/// Slots of the word MinHash.
pub const WORD_SLOTS: usize = 48;
/// Title terms kept (the first ones of the title).
pub const MAX_TITLE_TERMS: usize = 16;
/// Terms per shingle.
const SHINGLE_TERMS: usize = 3;
/// Layout version, the first byte of an encoded signature.
const LAYOUT: u8 = 1;

/// An article's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Shingle and word MinHash, or `None` for a body without a term.
    pub body: Option<BodyHashes>,
    /// Hashes of the distinct title terms, sorted.
    pub title: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyHashes {
    pub shingles: [u32; SHINGLE_SLOTS],
    pub words: [u16; WORD_SLOTS],
}

/// The splitmix64 finaliser: a fast, well-mixing bijection on 64 bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a over the term's bytes, then mixed.
fn term_hash(term: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in term.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// One hash function per slot, `h * a + b` with an odd `a`: the inputs are
/// mixed already, and a multiply-add costs a fraction of another mix. The
/// multipliers and the addends apart, as the vector units read them.
fn slot_functions<const N: usize>(salt: u64) -> ([u64; N], [u64; N]) {
    let (mut multipliers, mut addends) = ([0u64; N], [0u64; N]);
    for i in 0..N {
        let seed = salt ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        multipliers[i] = mix(seed) | 1;
        addends[i] = mix(seed ^ 0xa076_1d64_78bd_642f);
    }
    (multipliers, addends)
}

/// The minimum over `hashes` of each slot's hash function. Every slot for
/// every hash is most of what a signature costs (4 % of an ingest), so on
/// x86-64 the loop runs on the widest vector unit the processor has; the
/// arithmetic, and so the signature, is the same on every one.
fn min_hashes<const N: usize>(hashes: &[u64], salt: u64) -> [u64; N] {
    let (multipliers, addends) = slot_functions::<N>(salt);
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512dq") {
            // SAFETY: the processor has the features the function is built for.
            return unsafe { min_hashes_avx512(hashes, &multipliers, &addends) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { min_hashes_avx2(hashes, &multipliers, &addends) };
        }
    }
    min_hashes_with(hashes, &multipliers, &addends)
}

#[inline(always)]
fn min_hashes_with<const N: usize>(
    hashes: &[u64],
    multipliers: &[u64; N],
    addends: &[u64; N],
) -> [u64; N] {
    let mut mins = [u64::MAX; N];
    for &h in hashes {
        for i in 0..N {
            mins[i] = mins[i].min(h.wrapping_mul(multipliers[i]).wrapping_add(addends[i]));
        }
    }
    mins
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn min_hashes_avx512<const N: usize>(
    hashes: &[u64],
    multipliers: &[u64; N],
    addends: &[u64; N],
) -> [u64; N] {
    min_hashes_with(hashes, multipliers, addends)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_hashes_avx2<const N: usize>(
    hashes: &[u64],
    multipliers: &[u64; N],
    addends: &[u64; N],
) -> [u64; N] {
    min_hashes_with(hashes, multipliers, addends)
}

/// The body's terms in order, one per word: hyphenated words by their parts,
/// closed compounds by their whole (as a reader sees the words).
pub fn body_terms(text: &str, words: &[Word], terms: &[Option<TermText>]) -> Vec<u64> {
    let mut out = Vec::with_capacity(words.len());
    for (word, term) in words.iter().zip(terms) {
        if word.parts.is_empty() {
            if let Some(t) = term {
                out.push(term_hash(t));
            }
        } else {
            for &(start, end) in &word.parts {
                if let Some(t) = text.get(start..end).and_then(term_for_word) {
                    out.push(term_hash(&t));
                }
            }
        }
    }
    out
}

impl Signature {
    /// The signature of an article from its title and the hashes of its
    /// body's terms (`body_terms`).
    pub fn new(title: Option<&str>, body: &[u64]) -> Signature {
        let body = (!body.is_empty()).then(|| {
            let shingles: Vec<u64> = body
                .windows(SHINGLE_TERMS.min(body.len()))
                .map(|w| w.iter().fold(0u64, |acc, &h| mix(acc.rotate_left(23) ^ h)))
                .collect();
            let mut distinct = body.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            BodyHashes {
                // Low bits of a minimum are as uniform as its high bits are not.
                shingles: min_hashes::<SHINGLE_SLOTS>(&shingles, 0x5348_494e).map(|m| m as u32),
                words: min_hashes::<WORD_SLOTS>(&distinct, 0x574f_5244).map(|m| m as u16),
            }
        });
        let mut title_hashes: Vec<u16> = Vec::new();
        if let Some(title) = title {
            for term in crate::analysis::analyze(title) {
                if term.is_compound_part || term.is_compound_whole {
                    continue;
                }
                let h = term_hash(&term.text) as u16;
                if !title_hashes.contains(&h) {
                    title_hashes.push(h);
                }
                if title_hashes.len() == MAX_TITLE_TERMS {
                    break;
                }
            }
        }
        title_hashes.sort_unstable();
        Signature {
            body,
            title: title_hashes,
        }
    }

    /// The signature of a title and body text.
    pub fn of_text(title: Option<&str>, body: &str) -> Signature {
        let words = crate::analysis::german::words(body);
        let terms = crate::analysis::german::word_terms(&words);
        Signature::new(title, &body_terms(body, &words, &terms))
    }

    /// The bytes stored in the index.
    pub fn encode(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(2 + SHINGLE_SLOTS * 4 + WORD_SLOTS * 2 + 2 * MAX_TITLE_TERMS);
        out.push(LAYOUT);
        out.push(u8::from(self.body.is_some()));
        if let Some(body) = &self.body {
            for v in body.shingles {
                out.extend_from_slice(&v.to_le_bytes());
            }
            for v in body.words {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for v in &self.title {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// The bytes of `encode` as the values of a `u64` column: their length,
    /// then eight bytes a value (little-endian, the last one zero-padded).
    /// A column of numbers is read in place; a column of byte strings goes
    /// through a dictionary block by block.
    pub fn encode_words(&self) -> Vec<u64> {
        let bytes = self.encode();
        let mut words = Vec::with_capacity(1 + bytes.len().div_ceil(8));
        words.push(bytes.len() as u64);
        words.extend(bytes.chunks(8).map(|chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from_le_bytes(word)
        }));
        words
    }

    /// Reads what `encode_words` wrote; `None` for anything else.
    pub fn decode_words(
        mut words: impl Iterator<Item = u64>,
        buffer: &mut Vec<u8>,
    ) -> Option<Signature> {
        let len = usize::try_from(words.next()?).ok()?;
        buffer.clear();
        for word in words {
            buffer.extend_from_slice(&word.to_le_bytes());
        }
        if buffer.len() < len || buffer.len() - len >= 8 {
            return None;
        }
        buffer.truncate(len);
        Signature::decode(buffer)
    }

    /// Reads what `encode` wrote; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Signature> {
        let (&layout, rest) = bytes.split_first()?;
        let (&has_body, mut rest) = rest.split_first()?;
        if layout != LAYOUT || has_body > 1 {
            return None;
        }
        let body = if has_body == 1 {
            let (shingle_bytes, after) = rest.split_at_checked(SHINGLE_SLOTS * 4)?;
            let (word_bytes, after) = after.split_at_checked(WORD_SLOTS * 2)?;
            rest = after;
            let mut shingles = [0u32; SHINGLE_SLOTS];
            for (v, b) in shingles.iter_mut().zip(shingle_bytes.chunks_exact(4)) {
                *v = u32::from_le_bytes(b.try_into().ok()?);
            }
            let mut words = [0u16; WORD_SLOTS];
            for (v, b) in words.iter_mut().zip(word_bytes.chunks_exact(2)) {
                *v = u16::from_le_bytes(b.try_into().ok()?);
            }
            Some(BodyHashes { shingles, words })
        } else {
            None
        };
        if rest.len() % 2 != 0 || rest.len() > 2 * MAX_TITLE_TERMS {
            return None;
        }
        let title = rest
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        Some(Signature { body, title })
    }
}

/// Value `v` of shingle slot `slot` as one number.
pub fn slot_key(slot: usize, v: u32) -> u64 {
    ((slot as u64) << 32) | u64::from(v)
}

/// Title terms two signatures share, and how many the two have together.
pub fn title_overlap(a: &Signature, b: &Signature) -> (usize, usize) {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.title.len() && j < b.title.len() {
        match a.title[i].cmp(&b.title[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (shared, a.title.len() + b.title.len() - shared)
}

/// The share of word slots two bodies agree in: an estimate of the share of
/// their distinct terms they have in common.
pub fn word_similarity(a: &BodyHashes, b: &BodyHashes) -> f32 {
    let same = a.words.iter().zip(&b.words).filter(|(x, y)| x == y).count();
    same as f32 / WORD_SLOTS as f32
}

/// Shingle slots two bodies agree in.
pub fn shingle_matches(a: &BodyHashes, b: &BodyHashes) -> usize {
    a.shingles
        .iter()
        .zip(&b.shingles)
        .filter(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Der Stadtrat von Lindenau hat am Dienstag beschlossen, die alte \
        Holzbrücke über die Mulde zu ersetzen. Die neue Brücke soll aus Stahl gebaut werden \
        und im Herbst kommenden Jahres fertig sein. Während der Bauzeit fährt eine Fähre, \
        teilte die Bürgermeisterin mit. Die Kosten liegen bei rund vier Millionen Euro.";

    /// Signatures are stored: one made on a processor with wide vectors must
    /// equal one made without them.
    #[test]
    fn every_processor_makes_the_same_signature() {
        let hashes: Vec<u64> = (0..1000u64).map(|i| mix(i ^ 0x1234)).collect();
        let (multipliers, addends) = slot_functions::<SHINGLE_SLOTS>(7);
        let portable = min_hashes_with(&hashes, &multipliers, &addends);
        assert_eq!(min_hashes::<SHINGLE_SLOTS>(&hashes, 7), portable);
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has the feature.
                let wide = unsafe { min_hashes_avx2(&hashes, &multipliers, &addends) };
                assert_eq!(wide, portable);
            }
            if std::arch::is_x86_feature_detected!("avx512dq") {
                // SAFETY: as above.
                let wide = unsafe { min_hashes_avx512(&hashes, &multipliers, &addends) };
                assert_eq!(wide, portable);
            }
        }
        // The minimum of each slot is one of the hashes' values in it.
        for (i, min) in portable.iter().enumerate() {
            let values = hashes
                .iter()
                .map(|h| h.wrapping_mul(multipliers[i]).wrapping_add(addends[i]));
            assert_eq!(values.min(), Some(*min));
        }
    }

    #[test]
    fn encoding_round_trips() {
        let sig = Signature::of_text(Some("Neue Brücke für Lindenau"), STORY);
        assert!(sig.body.is_some());
        assert_eq!(Signature::decode(&sig.encode()), Some(sig.clone()));
        let empty = Signature::of_text(None, "und die der");
        assert_eq!(empty.body, None);
        assert_eq!(Signature::decode(&empty.encode()), Some(empty.clone()));
        let mut buffer = Vec::new();
        for sig in [&sig, &empty] {
            let words = sig.encode_words();
            assert_eq!(
                Signature::decode_words(words.iter().copied(), &mut buffer).as_ref(),
                Some(sig)
            );
            // A word too few or too many is no signature.
            let short = words[..words.len() - 1].iter().copied();
            assert_eq!(Signature::decode_words(short, &mut buffer), None);
            let long = words.iter().copied().chain([0]);
            assert_eq!(Signature::decode_words(long, &mut buffer), None);
        }
        assert_eq!(Signature::decode(b"\x07\x00"), None);
        assert_eq!(Signature::decode(&[LAYOUT, 1, 0, 0]), None);
    }

    #[test]
    fn a_copy_agrees_in_nearly_every_slot_another_story_in_almost_none() {
        let a = Signature::of_text(Some("Lindenau ersetzt die Holzbrücke"), STORY);
        // The same agency text with a different first word and a sentence more.
        let copy_text = format!("Lindenau: {STORY} Der Bau beginnt im März.");
        let b = Signature::of_text(Some("Stahlbrücke statt Holzbrücke"), &copy_text);
        let other = Signature::of_text(
            Some("Hochwasser an der Mulde"),
            "Nach tagelangem Regen ist die Mulde über die Ufer getreten. In Grimma \
             stehen Keller unter Wasser, die Feuerwehr pumpt seit der Nacht.",
        );
        let (ab, ao) = (a.body.as_ref().unwrap(), other.body.as_ref().unwrap());
        let bb = b.body.as_ref().unwrap();
        assert!(shingle_matches(ab, bb) >= SHINGLE_SLOTS * 3 / 4);
        assert!(shingle_matches(ab, ao) <= 3);
        assert!(word_similarity(ab, bb) > 0.7);
        assert!(word_similarity(ab, ao) < 0.3);
        assert_eq!(title_overlap(&a, &b), (1, 5));
    }

    #[test]
    fn spelling_variants_of_a_word_hash_alike() {
        // Terms are analysed first, so inflection and ASCII umlauts do not matter.
        let a = Signature::of_text(Some("Brücken"), "Die Brücke über die Mulde");
        let b = Signature::of_text(Some("Bruecke"), "Die Bruecke ueber die Mulde");
        assert_eq!(a, b);
    }
}
