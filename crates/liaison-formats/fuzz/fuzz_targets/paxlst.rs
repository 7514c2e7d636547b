//! Fuzz target: the paxlst reader, in tolerant and strict mode.

#![no_main]

use liaison_formats::{ParseOptions, paxlst};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strict in [false, true] {
        let options = ParseOptions {
            strict,
            today: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default(),
            max_bytes: 1 << 20,
        };
        let _ = paxlst::parse(data, &options);
    }
});
