//! Any bytes in a file read as JSON (one object, an array, a wrapper) or as
//! JSON lines: articles or skips with a reason, never a panic or a hang.
#![no_main]

use archiv::ingest::{FileKind, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for (name, kind) in [
        ("artikel.json", FileKind::Json),
        ("meldungen.jsonl", FileKind::Jsonl),
    ] {
        let outcome = parse_bytes(name, name, kind, bytes);
        for skip in &outcome.skipped {
            assert!(!skip.reason.is_empty());
        }
    }
});
