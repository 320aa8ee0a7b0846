//! Bytes to text: BOMs, UTF-8, and legacy encodings (Windows-1252 above all)
//! detected when the bytes are not UTF-8.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Text decoded from a file, with the name of the encoding it was in.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary file (NUL bytes)")]
    Binary,
}

/// Decodes a file's bytes. `declared` is an encoding label found in the file
/// itself (an HTML meta charset); it is honoured when the bytes are not UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return finish(text.into_owned(), encoding.name());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    // NUL bytes do not occur in text files without a UTF-16 BOM.
    let probe = &bytes[..bytes.len().min(8192)];
    if probe.contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text.to_string(), UTF_8.name());
    }
    let declared = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != UTF_8);
    if declared.is_none() && mostly_utf8(bytes) {
        // A UTF-8 file with a few damaged bytes: read as Windows-1252 every
        // umlaut would turn into two wrong characters.
        return finish(String::from_utf8_lossy(bytes).into_owned(), UTF_8.name());
    }
    let encoding = declared.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(Some(b"de"), chardetng::Utf8Detection::Deny);
        // Central European guesses for German text are nearly always
        // Windows-1252 that happened to have few umlauts.
        if guess == UTF_8 { WINDOWS_1252 } else { guess }
    });
    let (text, _, _) = encoding.decode(bytes);
    finish(text.into_owned(), encoding.name())
}

/// More valid multi-byte UTF-8 characters than invalid sequences. In
/// Windows-1252 text every umlaut is an invalid sequence and valid ones
/// hardly occur.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > 0 && valid >= invalid
}

fn finish(text: String, encoding: &'static str) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.contains('\0') {
        return Err(DecodeError::Binary);
    }
    Ok(Decoded { text, encoding })
}

/// Finds `charset=...` in the head of an HTML file, so that a page that
/// declares its encoding is read in it.
pub fn html_declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")?;
    let rest = &lower[at + 8..];
    let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
    let rest = rest.strip_prefix(b"'").unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    (!label.is_empty()).then(|| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_detected() {
        let (bytes, _, _) = WINDOWS_1252.encode("Die Außenministerin äußerte sich über Südkorea.");
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, "Die Außenministerin äußerte sich über Südkorea.");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn utf8_bom_and_utf16() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("Grüße".as_bytes());
        assert_eq!(decode(&bytes, None).unwrap().text, "Grüße");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Grüße".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&utf16, None).unwrap();
        assert_eq!(d.text, "Grüße");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "Die Außenministerin äußerte sich über Südkorea"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b" \xff\x80 ");
        bytes.extend_from_slice("und Grüße.".as_bytes());
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(
            d.text
                .starts_with("Die Außenministerin äußerte sich über Südkorea")
        );
        assert!(d.text.ends_with("und Grüße."));
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn empty_and_binary() {
        assert_eq!(decode(b"  \n", None).unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode(b"PK\x03\x04\0\0", None).unwrap_err(),
            DecodeError::Binary
        );
    }

    #[test]
    fn meta_charset() {
        let html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">";
        assert_eq!(html_declared_charset(html).as_deref(), Some("windows-1252"));
        assert_eq!(
            html_declared_charset(b"<meta charset=\"utf-8\">").as_deref(),
            Some("utf-8")
        );
    }
}
