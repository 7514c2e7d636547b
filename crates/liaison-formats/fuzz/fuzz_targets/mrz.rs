//! Fuzz target: the machine-readable zone parser, with and without OCR correction.

#![no_main]

use liaison_formats::mrz::{self, MrzOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
    for correct_ocr in [true, false] {
        let options = MrzOptions { today, correct_ocr };
        let _ = mrz::parse(&text, &options);
    }
});
