//! Any bytes in a file read as Html: articles or skips with a reason, never a
//! panic or a hang.
#![no_main]

use archiv::ingest::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let outcome = parse_bytes("fuzz/seite.html", "seite.html", FileKind::Html, bytes);
    for skip in &outcome.skipped {
        assert!(!skip.reason.is_empty());
    }
});
