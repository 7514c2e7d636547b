//! Tests of the `paxlst` reader against every sample in `tests/data/paxlst` (strict and tolerant mode),
//! plus the mapping details the samples do not cover.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, NaiveDateTime};
use liaison_formats::{
    FlightLeg, Manifest, ManifestFormat, ParseOptions, TravelDocument, TravellerRole, paxlst,
};
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
        .join("tests/data/paxlst")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tolerant(name: &str) -> Manifest {
    paxlst::parse(&data(name), &options(false)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn leg(flight: &str, from: &str, departs: &str, to: &str, arrives: &str) -> FlightLeg {
    FlightLeg {
        carrier: Some(flight[..2].to_owned()),
        flight_number: Some(flight.to_owned()),
        departure_airport: Some(from.to_owned()),
        departure_time: Some(at(departs)),
        arrival_airport: Some(to.to_owned()),
        arrival_time: Some(at(arrives)),
    }
}

fn doc(
    kind: &str,
    number: &str,
    country: Option<&str>,
    expiry: Option<NaiveDate>,
) -> TravelDocument {
    TravelDocument {
        kind: kind.to_owned(),
        number: number.to_owned(),
        issuing_country: country.map(str::to_owned),
        expiry_date: expiry,
    }
}

fn names(manifest: &Manifest) -> Vec<String> {
    manifest.travellers.iter().map(|t| t.full_name()).collect()
}

fn warning_fields(manifest: &Manifest) -> Vec<String> {
    manifest
        .warnings
        .iter()
        .map(|w| w.field.clone().unwrap_or_else(|| w.message.clone()))
        .collect()
}

#[test]
fn apis_message_two_legs_two_passengers_strictly_valid() {
    let manifest = paxlst::parse(&data("apisMessage.txt"), &options(true)).unwrap();
    assert_eq!(manifest.format, ManifestFormat::Paxlst);
    assert_eq!(manifest.version.as_deref(), Some("D:05B"));
    assert_eq!(manifest.sender.as_deref(), Some("AIR1"));
    assert_eq!(manifest.message_ref.as_deref(), Some("PAX001"));
    assert!(manifest.warnings.is_empty());
    assert_eq!(
        manifest.flights,
        vec![
            leg(
                "AA123",
                "ATL",
                "2007-02-19 15:40",
                "ORD",
                "2007-02-19 17:40"
            ),
            leg(
                "AA124",
                "ORD",
                "2007-02-19 18:40",
                "JFK",
                "2007-02-19 19:55"
            ),
        ]
    );
    assert_eq!(names(&manifest), ["MICHAEL CLARK", "CHERYL CLARK"]);
    let michael = &manifest.travellers[0];
    assert_eq!(michael.role, TravellerRole::Passenger);
    assert_eq!(michael.sex, Some('M'));
    assert_eq!(michael.birth_date, Some(date(1972, 9, 7)));
    assert_eq!(michael.reservation_ref.as_deref(), Some("TYR123"));
    // Embarks in ATL, leaves in JFK: both legs. Cheryl embarks in ORD: the second only.
    assert_eq!(michael.legs, [0, 1]);
    assert_eq!(manifest.travellers[1].legs, [1]);
    assert_eq!(manifest.travellers[1].birth_date, Some(date(1973, 4, 7)));
    assert_eq!((michael.position.line, michael.position.column), (14, 2));
    assert_eq!(michael.position.segment_tag.as_deref(), Some("NAD"));
}

#[test]
fn multiple_flight_legs_with_documents() {
    let manifest = tolerant("multiple_flight_leg_apis.txt");
    assert_eq!(manifest.flights.len(), 3);
    assert_eq!(
        manifest.flights[2],
        leg(
            "QQ827",
            "JFK",
            "2008-08-10 20:00",
            "CDG",
            "2008-08-11 06:30"
        )
    );
    assert_eq!(names(&manifest), ["TODD BARRETT", "KRISTIN LANG"]);
    let todd = &manifest.travellers[0];
    assert_eq!(todd.nationality.as_deref(), Some("FRA"));
    assert_eq!(todd.country_of_residence.as_deref(), Some("FRA"));
    assert_eq!(
        todd.documents,
        [doc(
            "P",
            "YY3478621G",
            Some("FRA"),
            Some(date(2008, 12, 30))
        )]
    );
    assert_eq!(todd.legs, [0, 1, 2]);
    assert_eq!(
        manifest.travellers[1].documents,
        [doc("P", "TRQWE99800", Some("ESP"), Some(date(2009, 9, 16)))]
    );
    // The counts match; only the note after UNZ is a fault, and strict mode says where it is.
    assert_eq!(
        warning_fields(&manifest),
        ["text after the end of the interchange (UNZ) is ignored"]
    );
    let error = paxlst::parse(&data("multiple_flight_leg_apis.txt"), &options(true)).unwrap_err();
    assert_eq!((error.position().line, error.position().column), (49, 1));
}

#[test]
fn crew_list_on_one_line() {
    let manifest = tolerant("Test1.txt");
    assert_eq!(manifest.sender.as_deref(), Some("HAWAIIAN AIRLINES"));
    assert_eq!(manifest.version.as_deref(), Some("D:02B"));
    assert_eq!(
        manifest.flights,
        [leg(
            "UA0989",
            "FRA",
            "2017-01-27 17:25",
            "IAD",
            "2017-01-28 07:10"
        )]
    );
    assert_eq!(manifest.travellers.len(), 8);
    assert!(
        manifest
            .travellers
            .iter()
            .all(|t| t.role == TravellerRole::Crew)
    );
    let first = &manifest.travellers[0];
    assert_eq!(first.surname, "Steur");
    assert_eq!(first.given_names, "Andrea Pat");
    assert_eq!(first.place_of_birth.as_deref(), Some("Hartford USA"));
    // A two-digit expiry year is read within fifty years of today: 61 is 2061.
    assert_eq!(
        first.documents,
        [doc("P", "123456789", Some("GBR"), Some(date(2061, 2, 18)))]
    );
    assert_eq!(
        warning_fields(&manifest),
        ["UNT/0074", "UNE/0048", "UNZ/0020"]
    );
    let error = paxlst::parse(&data("Test1.txt"), &options(true)).unwrap_err();
    assert_eq!(error.0.field.as_deref(), Some("UNT/0074"));
    assert_eq!(error.position().segment, Some(109));
    assert_eq!(error.position().column, 1793);
}

#[test]
fn large_passenger_list_with_a_latin1_byte() {
    let manifest = tolerant("Test3.txt");
    assert_eq!(manifest.travellers.len(), 260);
    assert!(
        manifest
            .travellers
            .iter()
            .all(|t| t.role == TravellerRole::Passenger && t.documents.len() == 1)
    );
    let novak = manifest
        .travellers
        .iter()
        .find(|t| t.surname.starts_with("Nov"))
        .unwrap();
    assert_eq!(novak.surname, "Nov\u{87}k");
    assert_eq!(novak.given_names, "Jeffrey Pat");
    let fields = warning_fields(&manifest);
    assert_eq!(fields, ["UNB/S001/0001", "UNT/0074", "CNT/C270/6066"]);
    assert!(manifest.warnings[0].message.contains("Latin-1"));
    assert!(paxlst::parse(&data("Test3.txt"), &options(true)).is_err());
}

#[test]
fn custom_separators_and_crlf() {
    let manifest = tolerant("airline2.edi");
    assert_eq!(manifest.sender.as_deref(), Some("AMERICAN AIRLINES"));
    assert_eq!(manifest.flights.len(), 1);
    assert_eq!(manifest.flights[0].carrier.as_deref(), Some("TN"));
    assert_eq!(
        manifest.flights[0].departure_airport.as_deref(),
        Some("BRE")
    );
    assert_eq!(
        names(&manifest),
        [
            "DAVID BETTON",
            "FRANK TRIBBLE",
            "GORDON RIDER",
            "RAQUEL COOLEY",
            "JAVIER YOUNG",
            "CARMEN ELLIOTT",
            "APRIL WHITLOCK",
            "DAVID WESLEY",
            "MARYJANE STEWART",
            "DANIEL LOWE"
        ]
    );
    assert_eq!(
        manifest.travellers[0].documents,
        [doc("P", "178556534", Some("USA"), Some(date(2018, 2, 21)))]
    );
    assert_eq!(
        manifest.travellers[0].reservation_ref.as_deref(),
        Some("QXGYLO")
    );
    assert_eq!(
        warning_fields(&manifest),
        [
            "blank after the segment tag",
            "UNT/0074",
            "UNT/0062",
            "CNT/C270/6066"
        ]
    );
    // The CNT mismatch names its line in the CRLF file.
    assert_eq!(manifest.warnings[3].position.line, 113);
}

#[test]
fn bags_seats_and_visas() {
    let expected = [
        ("tamr-flight1.txt", "LA532", 10, "HSIUYUAN JIANG", 1),
        ("tamr-flight2.txt", "FI615", 10, "RHYS THOMAS WATERFIELD", 1),
        ("tamr-flight3.txt", "YY123", 10, "BEN HARRY MCLOUGHLIN", 2),
    ];
    for (file, flight, count, first, bags) in expected {
        let manifest = tolerant(file);
        assert_eq!(
            manifest.flights[0].flight_number.as_deref(),
            Some(flight),
            "{file}"
        );
        assert_eq!(manifest.travellers.len(), count, "{file}");
        assert_eq!(manifest.travellers[0].full_name(), first, "{file}");
        let booking = manifest.travellers[0].booking.as_ref().unwrap();
        assert_eq!(booking.bags, Some(bags), "{file}");
        assert!(booking.seat.is_some(), "{file}");
        assert!(
            paxlst::parse(&data(file), &options(true)).is_err(),
            "{file}"
        );
    }
    let manifest = tolerant("tamr-flight1.txt");
    let jiang = &manifest.travellers[0];
    assert_eq!(
        jiang.booking.as_ref().unwrap().seat.as_deref(),
        Some("056F")
    );
    assert_eq!(
        jiang.documents,
        [
            doc("", "433419360", Some("CHN"), Some(date(2023, 9, 20))),
            doc("V", "57131424", Some("USA"), Some(date(2021, 7, 29))),
        ]
    );
    // Four bags: counted by MEA+CT (four FTX+BAG tags agree).
    assert_eq!(
        manifest.travellers[2].booking.as_ref().unwrap().bags,
        Some(4)
    );
    // The first document has no type code: tolerated, and said.
    assert_eq!(warning_fields(&manifest), ["UNT/0074", "DOC/C002/1001"]);
    assert_eq!(manifest.warnings[1].position.line, 23);
    // LOC+91 left empty: no issuing country.
    assert_eq!(manifest.travellers[2].documents[0].issuing_country, None);
    let manifest = tolerant("tamr-flight2.txt");
    assert_eq!(manifest.travellers[0].documents[1].kind, "K");
}

#[test]
fn ace_truck_manifest_is_strictly_valid() {
    let manifest = paxlst::parse(&data("smooks-paxlst.txt"), &options(true)).unwrap();
    assert_eq!(manifest.version.as_deref(), Some("D:03B"));
    assert_eq!(manifest.travellers.len(), 1);
    let driver = &manifest.travellers[0];
    assert_eq!(driver.role, TravellerRole::Crew);
    assert_eq!(driver.full_name(), "CHRIS AOMAD");
    assert_eq!(driver.sex, Some('M'));
    assert_eq!(driver.birth_date, Some(date(1935, 9, 19)));
    assert_eq!(driver.nationality.as_deref(), Some("US"));
    assert_eq!(
        driver.documents,
        [
            doc("5", "P100971204141", Some("US"), None),
            doc("39", "15504141", Some("US"), None),
        ]
    );
    assert_eq!(manifest.flights[0].carrier.as_deref(), Some("LOCK"));
    assert_eq!(
        manifest.flights[0].arrival_time,
        Some(at("2004-12-30 00:00"))
    );
}

#[test]
fn bad_paxlst_fails_strict_mode_with_a_positioned_error() {
    let input = data("smooks-bad-paxlst.txt");
    let error = paxlst::parse(&input, &options(true)).unwrap_err();
    assert_eq!(error.0.field.as_deref(), Some("UNT/0074"));
    assert_eq!(error.position().line, 19);
    assert_eq!(error.position().column, 1);
    assert_eq!(error.position().segment, Some(19));
    assert_eq!(error.position().segment_tag.as_deref(), Some("UNT"));
    assert_eq!(
        error.to_string(),
        "line 19, column 1 (byte 469), segment 19 (UNT), field UNT/0074: count says 16 but there \
         are 17 segments in the message"
    );
    let manifest = paxlst::parse(&input, &options(false)).unwrap();
    assert_eq!(manifest.travellers.len(), 1);
    // Tolerant mode also says what is wrong with it: the message-level RFF may appear once.
    assert_eq!(warning_fields(&manifest), ["UNT/0074", "RFF"]);
    let rff = &manifest.warnings[1];
    assert_eq!((rff.position.line, rff.position.segment), (6, Some(6)));
    assert_eq!(
        rff.message,
        "RFF repeats more than 1 times in the message (PAXLST structure)"
    );
}

fn message(body: &str) -> String {
    // Terminators not released by `?`, plus UNH and UNT.
    let mut segments = 2;
    let mut released = false;
    for c in body.chars() {
        if !released && c == '\'' {
            segments += 1;
        }
        released = !released && c == '?';
    }
    format!(
        "UNA:+.? 'UNB+UNOA:4+S+R+1:1+X'UNH+1+PAXLST:D:05B:UN:IATA'{body}UNT+{segments}+1'UNZ+1+X'"
    )
}

#[test]
fn in_transit_crew_and_unknown_qualifiers() {
    let input = message(
        "BGM+250'TDT+20+LH400+++LH'LOC+125+FRA'DTM+189:202506011200:203'LOC+87+JFK'\
         NAD+FM+++SMITH:ANNA'NAD+DDT+++JONES:BOB'NAD+DDU+++BROWN:CAROL'NAD+ZZZ+++WHITE:DAN'\
         DTM+329:19991231:102'DOC+P+X1'DTM+36:300101'LOC+91+DEU'",
    );
    let manifest = paxlst::parse(input.as_bytes(), &options(false)).unwrap();
    let roles: Vec<TravellerRole> = manifest.travellers.iter().map(|t| t.role).collect();
    assert_eq!(
        roles,
        [
            TravellerRole::Crew,
            TravellerRole::InTransit,
            TravellerRole::InTransit,
            TravellerRole::Crew
        ]
    );
    assert_eq!(
        manifest.flights[0].departure_time,
        Some(at("2025-06-01 12:00"))
    );
    assert_eq!(warning_fields(&manifest), ["NAD/3035"]);
    let white = &manifest.travellers[3];
    assert_eq!(white.birth_date, Some(date(1999, 12, 31)));
    assert_eq!(
        white.documents,
        [doc("P", "X1", Some("DEU"), Some(date(2030, 1, 1)))]
    );
    let error = paxlst::parse(input.as_bytes(), &options(true)).unwrap_err();
    assert_eq!(error.0.field.as_deref(), Some("NAD/3035"));
}

#[test]
fn birth_dates_are_never_in_the_future() {
    let input =
        message("BGM+745'TDT+20+XX1'NAD+FL+++A:B'DTM+329:250602'NAD+FL+++C:D'DTM+329:250601'");
    let manifest = paxlst::parse(input.as_bytes(), &options(true)).unwrap();
    assert_eq!(manifest.travellers[0].birth_date, Some(date(1925, 6, 2)));
    assert_eq!(manifest.travellers[1].birth_date, Some(date(2025, 6, 1)));
}

#[test]
fn bad_values_name_their_segment_and_field() {
    let input = message("BGM+745'TDT+20+XX1'NAD+FL+++A:B'ATT+2++Q'DTM+329:19991331:102'");
    let error = paxlst::parse(input.as_bytes(), &options(true)).unwrap_err();
    assert_eq!(error.0.field.as_deref(), Some("ATT/C956/9019"));
    assert_eq!(error.position().segment_tag.as_deref(), Some("ATT"));
    let manifest = paxlst::parse(input.as_bytes(), &options(false)).unwrap();
    assert_eq!(
        warning_fields(&manifest),
        ["ATT/C956/9019", "DTM/C507/2380"]
    );
    assert_eq!(
        manifest.warnings[1].position.segment_tag.as_deref(),
        Some("DTM")
    );
    assert_eq!(manifest.travellers[0].birth_date, None);
}

#[test]
fn other_message_types_are_refused() {
    let input = b"UNB+UNOA:4+S+R+1:1+X'UNH+1+CUSRES:D:05B:UN'BGM+962'UNT+3+1'UNZ+1+X'";
    let error = paxlst::parse(input, &options(false)).unwrap_err();
    assert!(error.to_string().contains("no PAXLST message"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..800)) {
        let _ = paxlst::parse(&input, &options(false));
        let _ = paxlst::parse(&input, &options(true));
    }

    #[test]
    fn never_panics_on_mutated_samples(
        file in 0usize..4,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
    ) {
        let name = ["apisMessage.txt", "multiple_flight_leg_apis.txt", "smooks-paxlst.txt", "tamr-flight1.txt"][file];
        let mut input = data(name);
        for (at, byte) in edits {
            let len = input.len();
            input[at % len] = byte;
        }
        let _ = paxlst::parse(&input, &options(false));
        let _ = paxlst::parse(&input, &options(true));
    }
}

#[test]
fn resource_limits() {
    // Legs beyond the limit are dropped with a fault; every traveller holds the list, so it stays short.
    let mut body = String::from("BGM+745'");
    for i in 0..=paxlst::MAX_LEGS_PER_MESSAGE {
        body.push_str(&format!("TDT+20+XX{i}+++XX'LOC+125+AAA'LOC+87+BBB'"));
    }
    body.push_str("NAD+FL+++DOE:JANE'");
    let manifest = paxlst::parse(message(&body).as_bytes(), &options(false)).unwrap();
    assert_eq!(manifest.flights.len(), paxlst::MAX_LEGS_PER_MESSAGE);
    // The structure allows 10 legs (SG2): each one after that is a fault, and the 100th is dropped.
    let fields = warning_fields(&manifest);
    assert_eq!(fields.len(), paxlst::MAX_LEGS_PER_MESSAGE + 1 - 10 + 1);
    assert!(fields.iter().all(|f| f == "TDT"), "{fields:?}");
    assert!(
        manifest
            .warnings
            .last()
            .unwrap()
            .message
            .contains("more than 99")
    );
    assert_eq!(
        manifest.travellers[0].legs.len(),
        paxlst::MAX_LEGS_PER_MESSAGE
    );

    // Past the traveller limit the manifest is refused in both modes, naming the NAD that went over.
    let body = format!(
        "BGM+745'TDT+20+XX1'{}",
        "NAD+FL+++A'".repeat(liaison_formats::manifest::MAX_TRAVELLERS + 1)
    );
    let error = paxlst::parse(message(&body).as_bytes(), &options(false)).unwrap_err();
    assert_eq!(error.position().segment_tag.as_deref(), Some("NAD"));
    assert!(error.to_string().contains("travellers"), "{error}");
}

#[test]
fn huge_bag_tag_counts_saturate() {
    let input =
        message("BGM+745'TDT+20+XX1'NAD+FL+++A:B'FTX+BAG+++1:4294967295'FTX+BAG+++2:4294967295'");
    let manifest = paxlst::parse(input.as_bytes(), &options(true)).unwrap();
    assert_eq!(
        manifest.travellers[0].booking.as_ref().unwrap().bags,
        Some(u32::MAX)
    );
}

/// Reads the pydifact structure definition into the same shape as `structure::Node`, as text lines
/// (`SG4 99999 optional`, `  NAD 1 required`), without an XML library: the file has one element per line.
fn structure_from_xml(xml: &str) -> Vec<String> {
    let attribute = |line: &str, name: &str| -> String {
        let key = format!("{name}=\"");
        line.find(&key)
            .map(|at| {
                let rest = &line[at + key.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut depth = 0usize;
    for line in xml.lines().map(str::trim) {
        if line.starts_with("</group") {
            depth -= 1;
        } else if line.starts_with("<segment") || line.starts_with("<group") {
            let id = attribute(line, "id");
            if id == "UNH" || id == "UNT" {
                continue;
            }
            let required = if attribute(line, "required") == "true" {
                "required"
            } else {
                "optional"
            };
            out.push(format!(
                "{}{id} {} {required}",
                "  ".repeat(depth),
                attribute(line, "maxrepeat")
            ));
            if line.starts_with("<group") {
                depth += 1;
            }
        }
    }
    out
}

fn structure_lines(nodes: &[paxlst::structure::Node], depth: usize, out: &mut Vec<String>) {
    use paxlst::structure::Node;
    for node in nodes {
        let (name, max, required) = match node {
            Node::Segment { tag, max, required } => (*tag, *max, *required),
            Node::Group {
                name,
                max,
                required,
                ..
            } => (*name, *max, *required),
        };
        let required = if required { "required" } else { "optional" };
        out.push(format!("{}{name} {max} {required}", "  ".repeat(depth)));
        if let Node::Group { children, .. } = node {
            structure_lines(children, depth + 1, out);
        }
    }
}

#[test]
fn the_structure_table_is_the_d21a_directory() {
    let xml = String::from_utf8(data("pydifact_d21a_paxlst_structure.xml")).unwrap();
    let mut ours = Vec::new();
    structure_lines(paxlst::structure::PAXLST, 0, &mut ours);
    assert_eq!(ours, structure_from_xml(&xml));
}

#[test]
fn structure_faults_name_the_segment() {
    let cases = [
        // A segment the message does not have.
        (
            "BGM+745'TDT+20+XX1'UNS+D'NAD+FL+++A:B'",
            "UNS",
            "not allowed here",
        ),
        // Travellers come before the control totals.
        (
            "BGM+745'TDT+20+XX1'NAD+FL+++A:B'CNT+42:1'NAD+FL+++C:D'",
            "NAD",
            "not allowed here (in the message)",
        ),
        // SG2 (TDT) is mandatory.
        ("BGM+745'NAD+FL+++A:B'", "SG2", "mandatory SG2 missing"),
        // A document group may have two LOC.
        (
            "BGM+745'TDT+20+XX1'NAD+FL+++A:B'DOC+P+1'LOC+91+A'LOC+91+B'LOC+91+C'",
            "LOC",
            "repeats more than 2 times in SG5",
        ),
    ];
    for (body, field, message_part) in cases {
        let input = message(body);
        let error = paxlst::parse(input.as_bytes(), &options(true)).unwrap_err();
        assert_eq!(error.0.field.as_deref(), Some(field), "{body}: {error}");
        assert!(error.0.message.contains(message_part), "{body}: {error}");
        assert!(paxlst::parse(input.as_bytes(), &options(false)).is_ok());
    }
    // Repeated groups and the segments of each level in order are fine.
    let input = message(
        "BGM+745'RFF+TN:1'NAD+MS+++X'COM+1:TE'TDT+20+XX1'LOC+125+A'DTM+189:2501011200:201'\
         LOC+87+B'TDT+20+XX2'LOC+125+B'LOC+87+C'NAD+FL+++A:B'ATT+2++F'DTM+329:800101'\
         LOC+178+A'NAT+2+X'RFF+AVF:1'DOC+P+1'DTM+36:300101'LOC+91+X'DOC+V+2'NAD+FM+++C:D'CNT+42:1'",
    );
    let manifest = paxlst::parse(input.as_bytes(), &options(true)).unwrap();
    assert_eq!(manifest.travellers.len(), 2);
    assert_eq!(manifest.flights.len(), 2);
}

/// Escapes the service characters with the release character, as a sender must.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\'' | '+' | ':' | '?') {
            out.push('?');
        }
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Travellers written as PAXLST (names with service characters released) read back the same.
    #[test]
    fn written_travellers_read_back(
        people in proptest::collection::vec(
            ("[A-Z][A-Z' +:?-]{0,12}[A-Z]", "[A-Z][A-Za-zÀ-ÿ]{0,10}", 1900i32..2025, 1u32..13, 1u32..29, prop::sample::select(vec!['M', 'F', 'X'])),
            1..20,
        )
    ) {
        let mut body = String::from("BGM+745'TDT+20+LH400+++LH'LOC+125+FRA'DTM+189:202506011200:203'LOC+87+JFK'");
        for (surname, given, year, month, day, sex) in &people {
            body.push_str(&format!(
                "NAD+FL+++{}:{}'ATT+2++{sex}'DTM+329:{year:04}{month:02}{day:02}:102'DOC+P+X{year}'",
                escape(surname),
                escape(given)
            ));
        }
        let input = message(&body);
        let manifest = paxlst::parse(input.as_bytes(), &options(true)).unwrap();
        prop_assert_eq!(manifest.travellers.len(), people.len());
        for (traveller, (surname, given, year, month, day, sex)) in manifest.travellers.iter().zip(&people) {
            prop_assert_eq!(&traveller.surname, surname.trim());
            prop_assert_eq!(&traveller.given_names, given);
            prop_assert_eq!(traveller.birth_date, NaiveDate::from_ymd_opt(*year, *month, *day));
            prop_assert_eq!(traveller.sex, Some(*sex));
            prop_assert_eq!(traveller.legs.clone(), vec![0]);
        }
    }
}
