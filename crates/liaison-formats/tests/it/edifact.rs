//! Tests of the `edifact` reader: service string advice, release characters, positions, the envelope
//! checks in both modes, encodings, refused inputs, and the generic EDIFACT samples in `tests/data/edifact`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::NaiveDate;
use liaison_formats::edifact::{
    Charset, Faults, Separators, Tokeniser, detect_message_type, read_interchange,
};
use liaison_formats::{ManifestFormat, ParseOptions};
use proptest::prelude::*;

fn options(strict: bool) -> ParseOptions {
    ParseOptions {
        strict,
        today: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        max_bytes: 1 << 24,
    }
}

fn data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every segment as its tag and elements split into component texts.
fn tokens(input: &[u8], strict: bool) -> (Vec<(String, Vec<Vec<String>>)>, Vec<String>) {
    let mut faults = Faults::new(strict);
    let mut tokeniser = Tokeniser::new(input, &options(strict), &mut faults).unwrap();
    let mut out = Vec::new();
    while let Some(segment) = tokeniser.next_segment(&mut faults).unwrap() {
        let elements = segment
            .elements()
            .map(|e| e.components().map(|c| c.text().into_owned()).collect())
            .collect();
        out.push((segment.tag().to_owned(), elements));
    }
    let warnings = faults
        .into_warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    (out, warnings)
}

fn strs(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn default_separators_without_una() {
    let (segments, warnings) = tokens(b"UNB+UNOA:4+A+B+1:2+9'UNH+1+PAXLST:D:05B:UN'", false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(segments[0].0, "UNB");
    assert_eq!(segments[0].1[0], strs(&["UNOA", "4"]));
    assert_eq!(segments[1].1[1], strs(&["PAXLST", "D", "05B", "UN"]));
}

#[test]
fn una_with_custom_separators_and_release() {
    // airline2.edi: `UNA:*.? $` makes `*` the element separator and `$` the terminator.
    let (segments, _) = tokens(
        b"UNA:*.? $\r\nNAD*FL***BETTON:DAVID:$\r\nFTX*AAI***A?*B?$C??D$",
        false,
    );
    assert_eq!(segments[0].1[3], strs(&["BETTON", "DAVID", ""]));
    assert_eq!(segments[1].1[3], strs(&["A*B$C?D"]));
}

#[test]
fn una_with_element_dash_and_star_terminator() {
    let input = data("pnrgov/parsers-danglingMetaCharacter.txt");
    let (segments, warnings) = tokens(&input, false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(segments[0].0, "UNB");
    assert_eq!(segments[0].1[4], strs(&["0.579602"]));
    let tif = segments.iter().find(|s| s.0 == "TIF").unwrap();
    assert_eq!(tif.1, vec![strs(&["SERIO"]), strs(&["REUBEN", "A", "1"])]);
}

#[test]
fn five_character_una_is_a_warning_in_tolerant_mode_and_an_error_in_strict_mode() {
    let input = data("pnrgov/loader-codeshare.edi");
    let mut faults = Faults::new(false);
    let tokeniser = Tokeniser::new(&input, &options(false), &mut faults).unwrap();
    assert_eq!(
        tokeniser.separators(),
        Separators {
            component: b':',
            element: b'+',
            decimal: b'.',
            release: Some(b'\\'),
            repetition: Some(b'*'),
            terminator: b'\'',
        }
    );
    let warnings = faults.into_warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].field.as_deref(), Some("UNA"));

    let mut faults = Faults::new(true);
    let error = Tokeniser::new(&input, &options(true), &mut faults).unwrap_err();
    assert_eq!(error.position().byte_offset, 0);
    assert!(error.to_string().contains("five service characters"));
}

#[test]
fn curly_apostrophe_in_una_is_read_as_apostrophe() {
    let input = data("pnrgov/loader-infant.edi");
    let mut faults = Faults::new(false);
    let interchange = read_interchange(&input, &options(false), &mut faults).unwrap();
    assert_eq!(interchange.separators.terminator, b'\'');
    assert_eq!(interchange.separators.release, Some(b'\\'));
    assert_eq!(interchange.messages.len(), 1);
    assert_eq!(interchange.messages[0].message_type, "PNRGOV");
    let warnings = faults.into_warnings();
    assert!(
        warnings[0].message.contains("curly apostrophe"),
        "{warnings:?}"
    );
}

#[test]
fn curly_apostrophe_ends_a_segment_only_before_a_tag_and_only_in_tolerant_mode() {
    let input = "UNH+1+PNRGOV:11:1:IA'TIF+O’NEIL+JOHN’\nTVL+270513+ICN+SIN+SQ+609'".as_bytes();
    let (segments, warnings) = tokens(input, false);
    assert_eq!(segments.len(), 3);
    assert_eq!(segments[1].1[0], strs(&["O’NEIL"]));
    assert_eq!(segments[1].1[1], strs(&["JOHN"]));
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("segment 2 (TIF)"), "{warnings:?}");
    // Strict mode does not guess: the curly apostrophe stays data.
    let (segments, _) = tokens(input, true);
    assert_eq!(segments.len(), 2);
}

#[test]
fn positions_name_line_column_byte_and_segment() {
    let input = data("paxlst/airline2.edi");
    let mut faults = Faults::new(false);
    let interchange = read_interchange(&input, &options(false), &mut faults).unwrap();
    let nad = interchange
        .segments
        .iter()
        .find(|s| s.tag() == "NAD" && s.text(0, 0) == "FL")
        .unwrap();
    let position = nad.position();
    assert_eq!(position.line, 13);
    assert_eq!(position.column, 1);
    assert_eq!(position.segment, Some(12));
    assert_eq!(position.segment_tag.as_deref(), Some("NAD"));
    assert_eq!(
        &input[position.byte_offset..position.byte_offset + 3],
        b"NAD"
    );

    // One-line files: the column counts characters along the line.
    let input = data("paxlst/Test1.txt");
    let mut faults = Faults::new(false);
    let interchange = read_interchange(&input, &options(false), &mut faults).unwrap();
    let bgm = interchange
        .segments
        .iter()
        .find(|s| s.tag() == "BGM")
        .unwrap();
    let position = bgm.position();
    assert_eq!((position.line, position.column), (1, 171));
    assert_eq!(position.byte_offset, 170);
}

#[test]
fn latin1_bytes_are_decoded_with_a_notice_and_never_fail() {
    let input = data("edifact/patient1.edi");
    for strict in [false, true] {
        let mut faults = Faults::new(strict);
        let result = read_interchange(&input, &options(strict), &mut faults);
        if strict {
            // Strict mode refuses the unknown syntax identifier ANSI, not the encoding.
            let error = result.unwrap_err();
            assert_eq!(error.0.field.as_deref(), Some("UNB/S001/0001"));
            continue;
        }
        let interchange = result.unwrap();
        assert_eq!(interchange.charset, Charset::Latin1);
        let street = interchange
            .segments
            .iter()
            .map(|s| s.text(2, 0).into_owned())
            .find(|t| t.starts_with("Beispielstra"))
            .unwrap();
        assert_eq!(street, "Beispielstra\u{df}e. 13");
        let warnings = faults.into_warnings();
        assert!(warnings[0].message.contains("Latin-1"), "{warnings:?}");
    }
}

#[test]
fn unoc_declared_latin1_text_is_read_with_a_notice_even_in_strict_mode() {
    let input =
        b"UNB+UNOC:3+A+B+1:1+7'UNH+1+PAXLST:D:05B:UN'NAD+FL+++M\xdcLLER:J\xd6RG'UNT+3+1'UNZ+1+7'";
    let mut faults = Faults::new(true);
    let interchange = read_interchange(input, &options(true), &mut faults).unwrap();
    assert_eq!(interchange.segments[2].text(3, 0), "M\u{dc}LLER");
    let warnings = faults.into_warnings();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.ends_with("as UNOC declares"));
    assert_eq!(warnings[0].position.byte_offset, 53);
}

#[test]
fn level_b_information_separators() {
    let input = b"UNB\x1dUNOB\x1f4\x1dA\x1dB\x1d1\x1f1\x1d7\x1cUNH\x1d1\x1dPAXLST\x1fD\x1f05B\x1fUN\x1cUNT\x1d2\x1d1\x1cUNZ\x1d1\x1d7\x1c";
    let mut faults = Faults::new(true);
    let interchange = read_interchange(input, &options(true), &mut faults).unwrap();
    assert_eq!(interchange.separators, Separators::LEVEL_B);
    assert_eq!(interchange.messages[0].message_type, "PAXLST");
}

#[test]
fn envelope_counts_and_references_are_checked() {
    let good = b"UNB+UNOA:4+A+B+1:1+REF1'UNG+PAXLST+A+B+1:1+G1+UN+D:05B'UNH+M1+PAXLST:D:05B:UN'BGM+745'UNT+3+M1'UNE+1+G1'UNZ+1+REF1'";
    let mut faults = Faults::new(true);
    let interchange = read_interchange(good, &options(true), &mut faults).unwrap();
    assert_eq!(interchange.messages.len(), 1);
    assert_eq!(interchange.messages[0].group_sender.as_deref(), Some("A"));
    assert_eq!(interchange.control_reference.as_deref(), Some("REF1"));

    let cases: [(&[u8], &str, &str); 5] = [
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'BGM+745'UNT+4+M1'UNZ+1+R'",
            "UNT/0074",
            "count says 4 but there are 3",
        ),
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'UNT+2+M2'UNZ+1+R'",
            "UNT/0062",
            "\"M2\" does not match",
        ),
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'UNT+2+M1'UNZ+2+R'",
            "UNZ/0036",
            "count says 2 but there are 1",
        ),
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'UNT+2+M1'UNZ+1+X'",
            "UNZ/0020",
            "\"X\" does not match",
        ),
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNG+PAXLST+A+B+1:1+G+UN+D:05B'UNH+M1+PAXLST:D:05B:UN'UNT+2+M1'UNE+2+G'UNZ+1+R'",
            "UNE/0060",
            "count says 2 but there are 1",
        ),
    ];
    for (input, field, message) in cases {
        let mut faults = Faults::new(true);
        let error = read_interchange(input, &options(true), &mut faults).unwrap_err();
        assert_eq!(error.0.field.as_deref(), Some(field), "{error}");
        assert!(error.to_string().contains(message), "{error}");
        let mut faults = Faults::new(false);
        read_interchange(input, &options(false), &mut faults).unwrap();
        let warnings = faults.into_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].field.as_deref(), Some(field));
    }
}

#[test]
fn truncated_input_is_an_error_in_strict_mode_and_a_warning_in_tolerant_mode() {
    let cases: [(&[u8], &str); 3] = [
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'BGM+745'UNT+3+M1'UNZ+1+R",
            "no terminator",
        ),
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'BGM+745'",
            "has no UNT",
        ),
        (
            b"UNB+UNOA:4+A+B+1:1+R'UNH+M1+PAXLST:D:05B:UN'BGM+745'UNT+3+M1'",
            "has no UNZ",
        ),
    ];
    for (input, message) in cases {
        let mut faults = Faults::new(true);
        let error = read_interchange(input, &options(true), &mut faults).unwrap_err();
        assert!(error.to_string().contains(message), "{error}");
        let mut faults = Faults::new(false);
        let interchange = read_interchange(input, &options(false), &mut faults).unwrap();
        assert_eq!(interchange.messages.len(), 1);
        let warnings = faults.into_warnings();
        assert!(
            warnings.iter().any(|w| w.message.contains(message)),
            "{warnings:?}"
        );
    }
}

#[test]
fn text_after_unz_is_reported_where_it_starts() {
    let input = data("paxlst/multiple_flight_leg_apis.txt");
    let mut faults = Faults::new(true);
    let error = read_interchange(&input, &options(true), &mut faults).unwrap_err();
    assert_eq!(error.position().line, 49);
    assert_eq!(error.position().column, 1);
    assert_eq!(&input[error.position().byte_offset..][..7], b"13Nov09");
}

#[test]
fn binary_oversized_and_empty_inputs_are_refused_with_a_position() {
    let mut faults = Faults::new(false);
    let error =
        read_interchange(b"UNB+UNOA:4+A+B+1:1+R'\0\0\0", &options(false), &mut faults).unwrap_err();
    assert_eq!(error.position().byte_offset, 21);
    assert!(error.to_string().contains("binary"));

    let noise: Vec<u8> = (0..4000u32).map(|i| (i % 31 + 1) as u8).collect();
    let error = read_interchange(&noise, &options(false), &mut faults).unwrap_err();
    assert!(error.to_string().contains("binary"), "{error}");

    let small = ParseOptions {
        max_bytes: 10,
        ..options(false)
    };
    let error = read_interchange(b"UNB+UNOA:4+A+B+1:1+R'", &small, &mut faults).unwrap_err();
    assert_eq!(error.position().byte_offset, 10);
    assert!(error.to_string().contains("over the limit of 10 bytes"));

    let error = read_interchange(b"  \r\n", &options(false), &mut faults).unwrap_err();
    assert!(error.to_string().contains("no EDIFACT segment"));
}

#[test]
fn bad_una_is_refused() {
    let mut faults = Faults::new(false);
    for input in [&b"UNA:+.?"[..], b"UNA::.? 'UNB", b"UNA:+.A 'UNB"] {
        let error = read_interchange(input, &options(false), &mut faults).unwrap_err();
        assert_eq!(
            error.position().segment_tag.as_deref(),
            Some("UNA"),
            "{error}"
        );
    }
}

#[test]
fn warnings_are_bounded() {
    let mut input = b"UNB+UNOA:4+A+B+1:1+R'".to_vec();
    for _ in 0..5000 {
        input.extend_from_slice(b"1a'");
    }
    let mut faults = Faults::new(false);
    read_interchange(&input, &options(false), &mut faults).unwrap();
    let warnings = faults.into_warnings();
    assert_eq!(warnings.len(), liaison_formats::edifact::MAX_WARNINGS + 1);
    assert!(warnings.last().unwrap().message.contains("more warnings"));
}

/// The generic EDIFACT samples: (file, strictly valid, message types, segments, tolerant warning fields).
#[test]
fn generic_samples() {
    let table: [(&str, bool, &[&str], usize, &[&str]); 11] = [
        ("invoice1.edi", true, &["INVOIC"], 26, &[]),
        ("invoice_with_colon_at_end.edi", true, &["INVOIC"], 26, &[]),
        (
            "messages_v3_aperak.edi",
            false,
            &["APERAK"],
            9,
            &["UNT/0074"],
        ),
        (
            "messages_v3_aperak_rejected.edi",
            false,
            &["APERAK"],
            9,
            &["UNT/0074"],
        ),
        (
            "messages_v4_aperak.edi",
            false,
            &["APERAK"],
            9,
            &["UNT/0074"],
        ),
        (
            "messages_v4_aperak_rejected.edi",
            false,
            &["APERAK"],
            9,
            &["UNT/0074"],
        ),
        ("order.edi", false, &["ORDERS"], 17, &["UNZ"]),
        ("order2.edi", false, &["ORDERS"], 12, &["UNZ"]),
        (
            "patient1.edi",
            false,
            &["MEDRPT"],
            38,
            &["UNB/S001/0001", "UNB/S001/0001", "UNZ/0020"],
        ),
        ("wikipedia_de.edi", false, &["ORDERS"], 11, &["UNZ/0020"]),
        ("wikipedia_en.edi", true, &["PAORES"], 15, &[]),
    ];
    for (file, valid, types, segments, fields) in table {
        let input = data(&format!("edifact/{file}"));
        let mut faults = Faults::new(true);
        assert_eq!(
            read_interchange(&input, &options(true), &mut faults).is_ok(),
            valid,
            "{file}"
        );
        let mut faults = Faults::new(false);
        let interchange = read_interchange(&input, &options(false), &mut faults).unwrap();
        let got: Vec<&str> = interchange
            .messages
            .iter()
            .map(|m| m.message_type.as_str())
            .collect();
        assert_eq!(got, types, "{file}");
        assert_eq!(interchange.segments.len(), segments, "{file}");
        let warnings: Vec<Option<String>> = faults
            .into_warnings()
            .into_iter()
            .map(|w| w.field)
            .collect();
        let expected: Vec<Option<String>> = fields.iter().map(|f| Some((*f).to_owned())).collect();
        assert_eq!(warnings, expected, "{file}");
    }
}

#[test]
fn detects_the_message_type() {
    assert_eq!(
        detect_message_type(&data("paxlst/apisMessage.txt")),
        Some(ManifestFormat::Paxlst)
    );
    assert_eq!(
        detect_message_type(&data("paxlst/airline2.edi")),
        Some(ManifestFormat::Paxlst)
    );
    assert_eq!(
        detect_message_type(&data("pnrgov/parsers-danglingMetaCharacter.txt")),
        Some(ManifestFormat::Pnrgov)
    );
    assert_eq!(
        detect_message_type(&data("pnrgov/loader-infant.edi")),
        Some(ManifestFormat::Pnrgov)
    );
    assert_eq!(detect_message_type(&data("edifact/order.edi")), None);
    assert_eq!(
        detect_message_type(b"surname,given_names\nDOE,JOHN\n"),
        None
    );
    assert_eq!(
        liaison_formats::manifest::detect_format(b"surname,given_names\nDOE,JOHN\n"),
        Some(ManifestFormat::Csv)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn tokenising_arbitrary_bytes_never_panics(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        for strict in [false, true] {
            let mut faults = Faults::new(strict);
            if let Ok(interchange) = read_interchange(&input, &options(strict), &mut faults) {
                for segment in &interchange.segments {
                    for element in segment.elements() {
                        for component in element.components() {
                            let _ = component.text();
                        }
                    }
                    let _ = segment.position();
                }
            }
            let _ = detect_message_type(&input);
        }
    }

    #[test]
    fn tokenising_edifact_like_text_never_panics(
        input in "(UNA[:+.? '*$\\-]{0,7}|UNB\\+UNOA:4\\+A\\+B\\+1:1\\+R'|UNH\\+1\\+PAXLST:D:05B'|UNT\\+[0-9]\\+1'|UNZ\\+1\\+R'|[A-Z]{3}[+:?'’\r\n A-Z0-9]{0,12}){0,12}"
    ) {
        for strict in [false, true] {
            let mut faults = Faults::new(strict);
            if let Ok(interchange) = read_interchange(input.as_bytes(), &options(strict), &mut faults) {
                for message in &interchange.messages {
                    prop_assert!(message.body.end <= interchange.segments.len());
                }
            }
        }
    }
}
