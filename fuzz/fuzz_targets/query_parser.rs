//! Any text a user can type as a query parses to an expression or to an
//! error whose message renders; it never panics or hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|query: &str| {
    match archiv::search::query::parse(query) {
        Ok(_) => {}
        Err(err) => {
            let _ = err.to_string();
        }
    }
});
