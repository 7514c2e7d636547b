//! Fuzz target: the EDIFACT tokeniser and envelope checks, in both modes, reading every value.

#![no_main]

use liaison_formats::ParseOptions;
use liaison_formats::edifact::{Faults, detect_message_type, read_interchange};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strict in [false, true] {
        let options = ParseOptions {
            strict,
            today: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default(),
            max_bytes: 1 << 20,
        };
        let mut faults = Faults::new(strict);
        if let Ok(interchange) = read_interchange(data, &options, &mut faults) {
            for segment in &interchange.segments {
                let _ = segment.position();
                for element in segment.elements() {
                    for component in element.components() {
                        let _ = component.text();
                    }
                }
            }
            for message in &interchange.messages {
                let _ = interchange.body(message);
            }
        }
        let _ = faults.into_warnings();
    }
    let _ = detect_message_type(data);
});
