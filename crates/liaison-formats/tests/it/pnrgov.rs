//! Tests of the `pnrgov` reader against every sample in `tests/data/pnrgov` (strict and tolerant mode),
//! plus the booking facts each kind of sample exercises.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, NaiveDateTime};
use liaison_formats::{
    Manifest, ManifestFormat, ParseOptions, TravelDocument, Traveller, TravellerRole, pnrgov,
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
        .join("tests/data/pnrgov")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tolerant(name: &str) -> Manifest {
    pnrgov::parse(&data(name), &options(false)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn doc(kind: &str, number: &str, country: &str, expiry: NaiveDate) -> TravelDocument {
    TravelDocument {
        kind: kind.to_owned(),
        number: number.to_owned(),
        issuing_country: Some(country.to_owned()),
        expiry_date: Some(expiry),
    }
}

fn find<'a>(manifest: &'a Manifest, name: &str) -> &'a Traveller {
    manifest
        .travellers
        .iter()
        .find(|t| t.full_name() == name)
        .unwrap_or_else(|| panic!("no traveller {name}"))
}

fn warning_fields(manifest: &Manifest) -> Vec<String> {
    manifest
        .warnings
        .iter()
        .map(|w| w.field.clone().unwrap_or_else(|| w.message.clone()))
        .collect()
}

const TRUNCATED: &str = "the last segment has no terminator: the input is truncated";
const CURLY: &str = "a curly apostrophe (U+2019) ends this segment where ' was meant";

/// Every sample: file, the field of the strict-mode error (`None`: strictly valid), travellers, infants,
/// PNRs, legs, the first travellers' names, and the fields of the tolerant-mode warnings.
#[allow(clippy::type_complexity)]
#[rustfmt::skip]
const SAMPLES: &[(&str, Option<&str>, usize, usize, usize, usize, &[&str], &[&str])] = &[
    ("loader-2_pnrs_basic.edi", Some("UNT/0074"), 4, 0, 2, 2, &["MRJONATHON ROBERT SMITHJR", "WILLIAMNEVELL JONES", "JOHNALVA WAYNE"], &["UNT/0074"]),
    ("loader-3_pnrs.edi", None, 13, 1, 3, 6, &["KEVIN MICHAEL VANDENBERG", "DOLAN DYE", "KAYLA DYE"], &[]),
    ("loader-adult_and_infant.edi", None, 2, 1, 1, 4, &["TESTNAMEONE TESTSURNAMEONE", "TESTNAMETWO TESTSURNAMETWO"], &[]),
    ("loader-codeshare.edi", Some("UNA"), 2, 0, 2, 1, &["SE JOON PARK", "KONG CHUN KIM"], &["UNA", "UNT/0074"]),
    ("loader-infant.edi", Some("UNA/6"), 2, 1, 1, 1, &["ISABELLE RUTH BELT", "SOPHY OLIVIA BELT"], &["UNA/6", "UNT/0074"]),
    ("loader-multiple_flight_leg_pnr.txt", Some("UNT/0074"), 2, 0, 1, 4, &["STACY CHARLES CHENNAPRAGADA", "PETER PERRY NUTTALL"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("loader-no_pnr_history.edi", None, 4, 0, 3, 3, &["JAMES JACKS", "MARCUS CARRERA", "NINA DORON"], &[]),
    ("loader-pnr1.txt", Some("UNT/0074"), 2, 0, 1, 2, &["MRJONATHON ROBERT SMITHJR", "WILLIAMNEVELL JONES"], &["UNT/0074"]),
    ("loader-pnr2.txt", Some("UNT/0074"), 2, 0, 1, 2, &["JOHNALVA WAYNE", "GARYWILLIAM COOPER"], &["UNT/0074"]),
    ("loader-pnr3.txt", Some("UNT/0074"), 4, 0, 1, 3, &["PETER SEBASTIAN DOOLIN", "MERLE LEISA CHISOLM", "FEN MULAN WOO"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("loader-pnr4.txt", Some("UNT/0062"), 1, 0, 1, 2, &["CHRISTOPHER JAY RAVAL"], &["UNT/0062", "UNZ/0020"]),
    ("loader-pnrMessageExample.txt", Some("UNT/0074"), 5, 0, 1, 3, &["MOLLY ZARA LOBB", "MATTHIAS TIM PHILIPPS", "BRANDON WINSTON BOLOGNA"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("loader-pnr_split.edi", None, 3, 0, 2, 4, &["TESTNAMEONE TESTSURNAMEONE", "TESTNAMETWO TESTSURNAMEONE", "TESTNAMETHREE TESTSURNAMETHREE"], &[]),
    ("parsers-bigMessagePnr.txt", Some("UNT/0074"), 7, 0, 1, 3, &["LORELEI LISE HOLCOMBE", "JOSEPH DANIEL EMMETT", "JACQUELYNN FAITH MALDONADO"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-bigbigPnr.txt", Some("UNT/0074"), 86, 0, 47, 10, &["BI DULCE LAI", "CLAY KENNETH MUTHUKRISHN", "PENELOPE RITA GUZMAN"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-danglingMetaCharacter.txt", Some("UNT/0074"), 1, 0, 1, 3, &["REUBEN JOAQUIN SERIO"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-modifyPnr77ForCodeShare.txt", Some("UNT/0074"), 1, 0, 1, 6, &["KEVIN MICHAEL VANDENBERG"], &["UNT/0074", TRUNCATED]),
    ("parsers-pnrAddressPhoneCTCM.txt", Some("UNT/0074"), 1, 0, 1, 1, &["MOLLY LOBB"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrBadFormat.txt", Some("UNT/0074"), 2, 0, 1, 2, &["NINA DORON", "CHARLOTTE LENDROT"], &["UNT/0074", TRUNCATED, "UNZ/0020"]),
    ("parsers-pnrEdge.txt", Some("UNT/0074"), 1, 0, 1, 1, &["MOLLY LOBB"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrMessage.txt", Some("UNT/0074"), 2, 0, 1, 2, &["JONATHON ROBERT SMITHJR", "WILLIAMNEVELL JONES"], &["UNT/0074"]),
    ("parsers-pnrMessageExample.txt", Some("UNT/0074"), 5, 0, 1, 3, &["MOLLY ZARA LOBB", "MATTHIAS TIM PHILIPPS", "BRANDON WINSTON BOLOGNA"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrMessagePg75.txt", Some("UNT/0074"), 2, 0, 2, 1, &["SE JOON PARK", "KONG CHUN KIM"], &[CURLY, CURLY, CURLY, "UNT/0074"]),
    ("parsers-pnrMessagePg76.txt", Some("UNT/0074"), 2, 0, 1, 2, &["NINA DORON", "CHARLOTTE LENDROT"], &["UNT/0074", TRUNCATED]),
    ("parsers-pnrMessagePg77.txt", Some("UNT/0074"), 1, 0, 1, 2, &["KEVIN MICHAEL VANDENBERG"], &["UNT/0074", TRUNCATED]),
    ("parsers-pnrNoOrgMsg.txt", Some("UNT/0074"), 1, 0, 1, 1, &["MOLLY LOBB"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrPhoneCTCM.txt", Some("UNT/0074"), 1, 0, 1, 1, &["MOLLY LOBB"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrPhoneCTC_M.txt", Some("UNT/0074"), 1, 0, 1, 1, &["MOLLY LOBB"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrSeatFormats.txt", Some("UNT/0074"), 1, 0, 1, 2, &["MOLLY ZARA LOBB"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrWithBags.txt", Some("UNT/0074"), 268, 0, 127, 3, &["JACKI ANJA FENNER", "LORELEI LISE HOLCOMBE", "JOSEPH DANIEL EMMETT"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrWithDoco.txt", Some("UNT/0074"), 1, 0, 1, 3, &["CHARLES MUHAMMAD ACKARY"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
    ("parsers-pnrWithPrefixesAndBookingDetailBags.txt", Some("UNT/0074"), 2, 0, 1, 4, &["YORDA KISANET ADONAY", "FNAN ZAHRA PETROS"], &["UNT/0074", "UNT/0062", "UNZ/0020"]),
];

#[test]
fn every_sample() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pnrgov");
    let on_disk = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".edi") || (name.ends_with(".txt") && !name.starts_with("LICENSE"))
        })
        .count();
    assert_eq!(on_disk, SAMPLES.len(), "every sample file has a row");
    for &(file, strict_field, travellers, infants, pnrs, legs, first, warnings) in SAMPLES {
        let input = data(file);
        match (pnrgov::parse(&input, &options(true)), strict_field) {
            (Ok(manifest), None) => assert!(manifest.warnings.is_empty(), "{file}"),
            (Err(error), Some(field)) => {
                assert_eq!(error.0.field.as_deref(), Some(field), "{file}: {error}");
                assert!(error.position().line >= 1, "{file}");
            }
            (result, _) => panic!("{file}: strict mode gave {result:?}"),
        }
        let manifest = tolerant(file);
        assert_eq!(manifest.format, ManifestFormat::Pnrgov);
        assert_eq!(manifest.travellers.len(), travellers, "{file}");
        let infant_count = manifest
            .travellers
            .iter()
            .filter(|t| t.role == TravellerRole::Infant)
            .count();
        assert_eq!(infant_count, infants, "{file}");
        let locators: std::collections::BTreeSet<_> = manifest
            .travellers
            .iter()
            .filter_map(|t| t.reservation_ref.clone())
            .collect();
        assert_eq!(locators.len(), pnrs, "{file}");
        assert_eq!(manifest.flights.len(), legs, "{file}");
        let names: Vec<String> = manifest
            .travellers
            .iter()
            .take(first.len())
            .map(Traveller::full_name)
            .collect();
        assert_eq!(names, first, "{file}");
        assert_eq!(warning_fields(&manifest), warnings, "{file}");
        for traveller in &manifest.travellers {
            assert!(
                !traveller.legs.is_empty(),
                "{file}: {}",
                traveller.full_name()
            );
            assert!(traveller.legs.iter().all(|&l| l < manifest.flights.len()));
            let booking = traveller.booking.as_ref().unwrap();
            assert_eq!(booking.record_locator, traveller.reservation_ref);
        }
    }
}

#[test]
fn three_pnrs_with_an_infant_and_a_group() {
    let manifest = pnrgov::parse(&data("loader-3_pnrs.edi"), &options(true)).unwrap();
    assert_eq!(manifest.version.as_deref(), Some("PNRGOV:11:1"));
    assert_eq!(manifest.sender.as_deref(), Some("TZ"));
    let kevin = find(&manifest, "KEVIN MICHAEL VANDENBERG");
    assert_eq!(kevin.reservation_ref.as_deref(), Some("W9TEND"));
    assert_eq!(kevin.birth_date, Some(date(1980, 7, 4)));
    assert_eq!(kevin.sex, Some('M'));
    assert_eq!(kevin.nationality.as_deref(), Some("USA"));
    assert_eq!(
        kevin.documents,
        [doc("P", "548721687", "USA", date(2019, 1, 12))]
    );
    // The history after ABI repeats the itinerary: only the two current legs count.
    assert_eq!(kevin.legs, [0, 1]);
    let booking = kevin.booking.as_ref().unwrap();
    assert_eq!(booking.booked_at, Some(at("2013-05-23 18:13:48")));
    assert_eq!(booking.payment_forms, ["CA"]);
    assert_eq!(booking.agency.as_deref(), Some("TZ SYS"));
    assert_eq!(booking.one_way, Some(false));
    assert_eq!(booking.companions, 0);
    assert_eq!(
        booking.addresses,
        ["123 ANY STREET, LAKE TOWN, MN, 55123, US"]
    );
    assert_eq!(booking.fare.as_deref(), Some("1999.99 SGD"));

    let archer = find(&manifest, "ARCHER DYE");
    assert_eq!(archer.role, TravellerRole::Infant);
    assert_eq!(archer.birth_date, Some(date(2012, 4, 15)));
    assert_eq!(archer.sex, Some('M'));
    assert_eq!(
        archer.documents,
        [doc("P", "654321987", "USA", date(2019, 12, 31))]
    );
    let dolan = find(&manifest, "DOLAN DYE");
    let booking = dolan.booking.as_ref().unwrap();
    assert_eq!(booking.companions, 2);
    assert_eq!(booking.seat.as_deref(), Some("54A"));
    assert_eq!(
        booking.addresses,
        [
            "9874 HILLY DRIVE, ST LOUIS, MO, 63124, US",
            "13 SHORE AVENUE, BROADBEACH, QLD, 4215, AUS"
        ]
    );
    // LHR-SIN-OOL-SIN-LHR comes back to where it started.
    assert_eq!(booking.one_way, Some(false));
    assert_eq!(dolan.legs.len(), 4);
    assert_eq!(
        find(&manifest, "KAYLA DYE")
            .booking
            .as_ref()
            .unwrap()
            .seat
            .as_deref(),
        Some("54B")
    );

    // The group name (TIF+ACME TEAM PARTY:G) is not a traveller; its nine members are.
    let group: Vec<&Traveller> = manifest
        .travellers
        .iter()
        .filter(|t| t.reservation_ref.as_deref() == Some("GBFKSK"))
        .collect();
    assert_eq!(group.len(), 9);
    assert!(
        group
            .iter()
            .all(|t| t.booking.as_ref().unwrap().companions == 8)
    );
    assert_eq!(
        find(&manifest, "HUNTER CAPSON").birth_date,
        Some(date(1992, 4, 27))
    );
}

#[test]
fn infant_documents_given_on_the_adult() {
    let manifest = pnrgov::parse(&data("loader-adult_and_infant.edi"), &options(true)).unwrap();
    let mother = &manifest.travellers[0];
    assert_eq!(mother.surname, "TESTSURNAMEONE");
    assert_eq!(
        mother.documents,
        [doc("P", "52263000", "CO", date(2015, 10, 31))]
    );
    let infant = &manifest.travellers[1];
    assert_eq!(infant.role, TravellerRole::Infant);
    // The wrapped name in the DOCS (`TESTSUR NAMETWO`) does not replace the booking's.
    assert_eq!(infant.surname, "TESTSURNAMETWO");
    assert_eq!(infant.birth_date, Some(date(2011, 8, 10)));
    assert_eq!(infant.sex, Some('F'));
    assert_eq!(
        infant.documents,
        [doc("P", "AO234000", "COL", date(2022, 12, 21))]
    );
    assert_eq!(infant.booking.as_ref().unwrap().companions, 1);

    let manifest = tolerant("loader-infant.edi");
    let sophy = find(&manifest, "SOPHY OLIVIA BELT");
    assert_eq!(sophy.role, TravellerRole::Infant);
    assert_eq!(sophy.birth_date, Some(date(2012, 9, 20)));
    assert_eq!(
        sophy.documents,
        [doc("P", "512731999", "GBR", date(2017, 10, 25))]
    );
    let isabelle = find(&manifest, "ISABELLE RUTH BELT");
    assert_eq!(
        isabelle.documents,
        [doc("P", "509229987", "GBR", date(2022, 11, 12))]
    );
    let booking = isabelle.booking.as_ref().unwrap();
    assert_eq!(booking.bags, Some(3));
    assert_eq!(booking.seat.as_deref(), Some("011D"));
    assert_eq!(booking.agency.as_deref(), Some("32393340 SINSQ08AA"));
}

#[test]
fn curly_apostrophes_are_read_as_terminators_with_warnings() {
    let manifest = tolerant("parsers-pnrMessagePg75.txt");
    let lines: Vec<u32> = manifest.warnings[..3]
        .iter()
        .map(|w| w.position.line)
        .collect();
    assert_eq!(lines, [16, 38, 50]);
    let park = find(&manifest, "SE JOON PARK");
    assert_eq!(park.reservation_ref.as_deref(), Some("2LS6KP"));
    assert_eq!(park.documents[0].number, "JR3364288");
    // KIM's first TIF is lost in a broken ORG segment; the one in her check-in data still names her.
    let kim = find(&manifest, "KONG CHUN KIM");
    assert_eq!(kim.reservation_ref.as_deref(), Some("X49V9U"));
    assert_eq!(kim.birth_date, Some(date(1957, 2, 15)));
    assert_eq!(
        kim.documents,
        [doc("P", "M17072944", "KOR", date(2019, 3, 23))]
    );
    assert_eq!(kim.booking.as_ref().unwrap().seat.as_deref(), Some("014A"));
    // The codeshare TVL (KE marketing, SQ operating) is the message's flight: one leg.
    assert_eq!(manifest.flights.len(), 1);
    assert_eq!(manifest.flights[0].flight_number.as_deref(), Some("SQ609"));
}

#[test]
fn contacts_payment_and_tickets() {
    let manifest = tolerant("parsers-danglingMetaCharacter.txt");
    let reuben = &manifest.travellers[0];
    let booking = reuben.booking.as_ref().unwrap();
    assert_eq!(booking.emails, ["REUBEN_SERIO@GMAIL.COM"]);
    assert_eq!(booking.phones[..2], ["3379745974", "1234536789"]);
    assert_eq!(booking.payment_forms, ["MS"]);
    assert_eq!(booking.tickets, ["0.291204"]);
    assert_eq!(booking.seat.as_deref(), Some("1A"));
    assert_eq!(booking.booked_at, Some(at("2020-01-26 21:00:00")));
    // JFK-LHR, LHR-JFK, then the message's flight JFK-MBJ.
    assert_eq!(reuben.legs, [1, 2, 0]);
    assert_eq!(
        manifest.flights[0].arrival_time,
        Some(at("2020-02-23 14:22:00"))
    );

    for (file, phone) in [
        ("parsers-pnrPhoneCTCM.txt", "123456789"),
        ("parsers-pnrPhoneCTC_M.txt", "123456789"),
        ("parsers-pnrAddressPhoneCTCM.txt", "5432109876"),
    ] {
        let manifest = tolerant(file);
        let booking = manifest.travellers[0].booking.as_ref().unwrap();
        assert!(
            booking.phones.iter().any(|p| p == phone),
            "{file}: {:?}",
            booking.phones
        );
        assert_eq!(booking.booked_at, Some(at("2018-08-23 12:20:00")), "{file}");
    }
    let manifest = tolerant("parsers-pnrEdge.txt");
    let booking = manifest.travellers[0].booking.as_ref().unwrap();
    assert_eq!(booking.emails, ["MOLLY_LOUUNT+50BB@GMAIL.COM"]);

    let manifest = tolerant("loader-pnr1.txt");
    let booking = manifest.travellers[0].booking.as_ref().unwrap();
    assert_eq!(booking.payment_forms, ["CC VI"]);
    assert_eq!(booking.tickets, ["0062120234533"]);
    assert_eq!(booking.fare.as_deref(), Some("2957.94 GBP"));
    assert_eq!(booking.agency.as_deref(), Some("52519950 LON"));
    // An address wrapped over two lines is joined.
    assert_eq!(
        booking.addresses[0],
        "45 HIGHSTREET, SLOUGH, BERKSHIRE, SL1AA, GB"
    );
}

#[test]
fn doco_visa_and_place_of_birth() {
    let manifest = tolerant("parsers-pnrWithDoco.txt");
    let charles = &manifest.travellers[0];
    assert_eq!(charles.place_of_birth.as_deref(), Some("HERE VA"));
    assert_eq!(charles.documents.len(), 2);
    assert_eq!(charles.documents[1].kind, "V");
    assert_eq!(charles.documents[1].number, "8675309");
}

#[test]
fn seats_bags_and_legs() {
    let manifest = tolerant("parsers-pnrSeatFormats.txt");
    assert_eq!(
        manifest.travellers[0]
            .booking
            .as_ref()
            .unwrap()
            .seat
            .as_deref(),
        Some("36K")
    );
    let manifest = tolerant("parsers-pnrWithBags.txt");
    let jacki = &manifest.travellers[0];
    let booking = jacki.booking.as_ref().unwrap();
    assert_eq!(booking.bags, Some(1));
    // Seat on the message's own flight (FRA-IAD), not the XXX placeholders of the earlier legs.
    assert_eq!(booking.seat.as_deref(), Some("22J"));
    assert_eq!(booking.one_way, Some(true));
    assert_eq!(jacki.legs, [1, 2, 0]);
    let manifest = tolerant("parsers-pnrWithPrefixesAndBookingDetailBags.txt");
    let yorda = &manifest.travellers[0];
    assert_eq!(yorda.booking.as_ref().unwrap().seat.as_deref(), Some("8A"));
    assert_eq!(yorda.booking.as_ref().unwrap().one_way, Some(false));
    // The operating-carrier follow-up TVL (`TVL+++++624:M`) adds no leg.
    assert_eq!(yorda.legs.len(), 4);
}

#[test]
fn bad_format_is_refused_in_strict_mode_and_read_with_warnings_otherwise() {
    let input = data("parsers-pnrBadFormat.txt");
    let error = pnrgov::parse(&input, &options(true)).unwrap_err();
    assert_eq!(error.position().line, 26);
    assert_eq!(error.position().column, 38);
    assert_eq!(error.position().segment_tag.as_deref(), Some("UNT"));
    let manifest = pnrgov::parse(&input, &options(false)).unwrap();
    let truncated = &manifest.warnings[1];
    assert_eq!(truncated.position.line, 28);
    assert_eq!(truncated.position.segment_tag.as_deref(), Some("UNZ"));
}

#[test]
fn a_paxlst_is_not_a_pnrgov() {
    let paxlst = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/paxlst/apisMessage.txt"),
    )
    .unwrap();
    let error = pnrgov::parse(&paxlst, &options(false)).unwrap_err();
    assert!(error.to_string().contains("no PNRGOV message"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..800)) {
        let _ = pnrgov::parse(&input, &options(false));
        let _ = pnrgov::parse(&input, &options(true));
    }

    #[test]
    fn never_panics_on_mutated_samples(
        file in 0usize..5,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
    ) {
        let name = [
            "loader-3_pnrs.edi",
            "loader-infant.edi",
            "parsers-pnrMessagePg75.txt",
            "parsers-danglingMetaCharacter.txt",
            "loader-adult_and_infant.edi",
        ][file];
        let mut input = data(name);
        for (at, byte) in edits {
            let len = input.len();
            input[at % len] = byte;
        }
        let _ = pnrgov::parse(&input, &options(false));
        let _ = pnrgov::parse(&input, &options(true));
    }
}

#[test]
fn resource_limits() {
    let mut body = String::from("SRC'RCI+XX:ABC123'");
    for i in 0..30 {
        body.push_str(&format!("ADD++700:{i} STREET:TOWN'"));
    }
    for i in 0..=pnrgov::MAX_PASSENGERS_PER_PNR {
        body.push_str(&format!("TIF+DOE+JOHN{i}:A:{i}'SSR+DOCS:HK:1:XX:::::/P/USA/N{i}/USA/01JAN80/M/01JAN30/DOE/JOHN+::{i}'"));
    }
    for i in 0..=pnrgov::MAX_LEGS_PER_PNR {
        body.push_str(&format!("TVL+010625:1000:010625:1200+AAA+BBB+XX+{i}'"));
    }
    let segments = body.matches('\'').count() + 2;
    let input = format!(
        "UNB+IATA:1+XX+YY+250601:1200+1'UNH+1+PNRGOV:13:1:IA+1'{body}UNT+{segments}+1'UNZ+1+1'"
    );
    let manifest = pnrgov::parse(input.as_bytes(), &options(false)).unwrap();
    assert_eq!(manifest.travellers.len(), pnrgov::MAX_PASSENGERS_PER_PNR);
    assert_eq!(manifest.flights.len(), pnrgov::MAX_LEGS_PER_PNR);
    assert_eq!(warning_fields(&manifest), ["TIF", "TVL"]);
    let last = manifest.travellers.last().unwrap();
    assert_eq!(last.documents.len(), 1);
    let booking = last.booking.as_ref().unwrap();
    assert_eq!(
        booking.companions as usize,
        pnrgov::MAX_PASSENGERS_PER_PNR - 1
    );
    assert_eq!(booking.addresses.len(), pnrgov::MAX_LIST_ENTRIES);
}
