//! Tests of the `csv_manifest` reader: the documented header, positions in errors, strict and tolerant
//! mode, encodings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, NaiveDateTime};
use liaison_formats::csv_manifest::{self, Column};
use liaison_formats::manifest::{detect_format, parse_manifest};
use liaison_formats::{ManifestFormat, ParseOptions, TravelDocument, TravellerRole};
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
        .join("tests/data/csv")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn every_documented_column() {
    let input = data("manifest.csv");
    assert_eq!(detect_format(&input), Some(ManifestFormat::Csv));
    let manifest = parse_manifest(&input, None, &options(true)).unwrap();
    assert_eq!(manifest.format, ManifestFormat::Csv);
    assert_eq!(manifest.version.as_deref(), Some("csv:1"));
    assert!(manifest.warnings.is_empty());
    assert_eq!(manifest.flights.len(), 2);
    let first = &manifest.flights[0];
    assert_eq!(first.carrier.as_deref(), Some("SK"));
    assert_eq!(first.flight_number.as_deref(), Some("SK1415"));
    assert_eq!(first.departure_time, Some(at("2025-06-02 07:05")));
    assert_eq!(first.arrival_airport.as_deref(), Some("CPH"));
    assert_eq!(
        manifest.flights[1].departure_time,
        Some(at("2025-06-02 09:00"))
    );

    let names: Vec<String> = manifest.travellers.iter().map(|t| t.full_name()).collect();
    assert_eq!(
        names,
        [
            "ANNA MARIA ERIKSSON",
            "SEAN O'NEILL",
            "JÖRG MÜLLER",
            "JOHN SMITH, JR"
        ]
    );
    let anna = &manifest.travellers[0];
    assert_eq!(anna.birth_date, NaiveDate::from_ymd_opt(1984, 3, 14));
    assert_eq!(anna.sex, Some('F'));
    assert_eq!(anna.nationality.as_deref(), Some("SWE"));
    assert_eq!(
        anna.documents,
        [TravelDocument {
            kind: "P".to_owned(),
            number: "AA1234567".to_owned(),
            issuing_country: Some("SWE".to_owned()),
            expiry_date: NaiveDate::from_ymd_opt(2031, 5, 1),
        }]
    );
    assert_eq!(anna.legs, [0]);
    assert_eq!(anna.reservation_ref.as_deref(), Some("ABC123"));
    assert_eq!(anna.booking.as_ref().unwrap().seat.as_deref(), Some("12A"));
    assert_eq!(anna.position.line, 2);
    let roles: Vec<TravellerRole> = manifest.travellers.iter().map(|t| t.role).collect();
    assert_eq!(
        roles,
        [
            TravellerRole::Passenger,
            TravellerRole::Passenger,
            TravellerRole::Crew,
            TravellerRole::InTransit
        ]
    );
    assert_eq!(manifest.travellers[3].legs, [1]);
    assert_eq!(manifest.travellers[3].sex, Some('X'));
    assert!(manifest.travellers[3].documents.is_empty());
}

#[test]
fn faults_name_line_and_column() {
    let input = data("bad.csv");
    let error = csv_manifest::parse(&input, &options(true)).unwrap_err();
    assert_eq!(error.0.field.as_deref(), Some("shoe_size"));
    assert_eq!((error.position().line, error.position().column), (1, 36));

    let manifest = csv_manifest::parse(&input, &options(false)).unwrap();
    let found: Vec<(u32, u32, Option<&str>)> = manifest
        .warnings
        .iter()
        .map(|w| (w.position.line, w.position.column, w.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (1, 36, Some("shoe_size")),
            (2, 10, Some("birth_date")),
            (3, 1, Some("surname")),
            (4, 24, Some("sex")),
        ]
    );
    assert!(
        manifest.warnings[1]
            .message
            .contains("\"1990-02-30\" is not a date")
    );
    // The row without a surname is skipped; the others are kept without the bad values.
    assert_eq!(manifest.travellers.len(), 2);
    assert_eq!(manifest.travellers[0].birth_date, None);
    assert_eq!(manifest.travellers[1].sex, None);
}

#[test]
fn a_quoted_field_over_two_lines_keeps_positions_right() {
    let input = b"surname,given_names,birth_date\n\"LONG\nNAME\",ANN,2030-01-01\n";
    let error = csv_manifest::parse(input, &options(true)).unwrap_err();
    assert_eq!(error.0.field.as_deref(), Some("birth_date"));
    assert_eq!((error.position().line, error.position().column), (3, 11));
    assert!(error.to_string().contains("in the future"));
}

#[test]
fn header_rules() {
    let error = csv_manifest::parse(b"given_names,sex\nJOHN,M\n", &options(false)).unwrap_err();
    assert!(error.to_string().contains("no surname column"), "{error}");
    let error = csv_manifest::parse(b"", &options(false)).unwrap_err();
    assert!(error.to_string().contains("empty CSV"));
    assert_eq!(Column::from_header(" Family-Name "), Some(Column::Surname));
    assert_eq!(Column::from_header("DOB"), Some(Column::BirthDate));
    assert_eq!(Column::from_header("seat_row"), None);
    let manifest =
        csv_manifest::parse(b"\xef\xbb\xbfSURNAME,surname\nDOE,X\n\n", &options(false)).unwrap();
    assert_eq!(manifest.travellers[0].surname, "DOE");
    assert_eq!(manifest.warnings.len(), 1);
    assert!(manifest.warnings[0].message.contains("appears twice"));
}

#[test]
fn extra_fields_and_latin1() {
    let input = b"surname,given_names\nM\xdcLLER,J\xd6RG,EXTRA\n";
    let manifest = csv_manifest::parse(input, &options(false)).unwrap();
    assert_eq!(manifest.travellers[0].full_name(), "JÖRG MÜLLER");
    let messages: Vec<&str> = manifest
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2);
    assert!(messages[0].contains("Latin-1"));
    assert!(messages[1].contains("3 fields"));
    assert_eq!(manifest.warnings[1].position.column, 13);
    // Strict mode refuses the extra field but never the encoding.
    let error = csv_manifest::parse(input, &options(true)).unwrap_err();
    assert!(error.to_string().contains("3 fields"));
}

#[test]
fn travellers_without_flight_columns_are_on_every_leg() {
    let input = b"surname,flight,departure_airport\nA,LH1,FRA\nB,LH2,MUC\nC,,\n";
    let manifest = csv_manifest::parse(input, &options(true)).unwrap();
    assert_eq!(manifest.flights.len(), 2);
    assert_eq!(manifest.travellers[2].legs, [0, 1]);
}

#[test]
fn binary_and_oversized_input_are_refused() {
    let error = csv_manifest::parse(b"surname\nA\0B\n", &options(false)).unwrap_err();
    assert_eq!(error.position().byte_offset, 9);
    let small = ParseOptions {
        max_bytes: 4,
        ..options(false)
    };
    assert!(csv_manifest::parse(b"surname\nA\n", &small).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = csv_manifest::parse(&input, &options(false));
        let _ = csv_manifest::parse(&input, &options(true));
    }

    #[test]
    fn never_panics_on_csv_like_text(body in "[a-zA-Z0-9,\"\n :\\-T]{0,300}") {
        let input = format!("surname,birth_date,departure_time,sex,role\n{body}");
        let _ = csv_manifest::parse(input.as_bytes(), &options(false));
        let _ = csv_manifest::parse(input.as_bytes(), &options(true));
    }
}

#[test]
fn rows_without_flights_are_not_put_on_hundreds_of_legs() {
    let mut input = String::from("surname,flight\n");
    for i in 0..=csv_manifest::MAX_SHARED_LEGS {
        input.push_str(&format!("P{i},XX{i}\n"));
    }
    input.push_str("NOFLIGHT,\n");
    let manifest = csv_manifest::parse(input.as_bytes(), &options(false)).unwrap();
    assert_eq!(
        manifest.travellers.last().unwrap().legs,
        Vec::<usize>::new()
    );
    assert_eq!(manifest.warnings.len(), 1);
    assert_eq!(manifest.warnings[0].field.as_deref(), Some("flight"));
}

#[test]
fn a_flight_starting_with_a_wide_character_has_no_carrier_prefix() {
    let manifest =
        csv_manifest::parse("surname,flight\nA,ÉX123\n".as_bytes(), &options(true)).unwrap();
    assert_eq!(manifest.flights[0].carrier, None);
    assert_eq!(manifest.flights[0].flight_number.as_deref(), Some("ÉX123"));
}

#[test]
fn a_manifest_saved_by_a_spreadsheet_with_semicolons_reads_the_same() {
    let commas = data("manifest.csv");
    let text = String::from_utf8(commas.clone()).unwrap();
    // The same file as a spreadsheet in much of Europe saves it: `;` between fields, a byte order mark.
    let mut semicolons = vec![0xEF, 0xBB, 0xBF];
    semicolons.extend(text.replace(',', ";").into_bytes());
    assert_eq!(detect_format(&semicolons), Some(ManifestFormat::Csv));
    let expected = parse_manifest(&commas, None, &options(true)).unwrap();
    let read = parse_manifest(&semicolons, None, &options(true)).unwrap();
    assert_eq!(read.flights.len(), expected.flights.len());
    let names = |m: &liaison_formats::Manifest| {
        m.travellers
            .iter()
            .map(|t| t.surname.clone())
            .collect::<Vec<_>>()
    };
    // The test turned the comma inside a quoted surname into a semicolon too.
    let expected: Vec<String> = names(&expected)
        .iter()
        .map(|n| n.replace(',', ";"))
        .collect();
    assert_eq!(names(&read), expected);
}
