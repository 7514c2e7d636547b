//! Generated zones and manifests read back by the readers of `liaison-formats`, in strict mode.

use chrono::NaiveDate;
use liaison_formats::manifest::{ManifestFormat, ParseOptions, parse_manifest};
use liaison_formats::mrz::{MrzOptions, parse};
use serde_json::Value;

use crate::helpers::generate;

fn options() -> ParseOptions {
    ParseOptions {
        strict: true,
        today: liaison_scenario::default_exercise_date(),
        max_bytes: 64 << 20,
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn every_zone_parses_and_validates() {
    let g = generate(4, 3, 200);
    let truth = g.truth();
    let options = MrzOptions::new(liaison_scenario::default_exercise_date());
    let mut checked = 0;
    for manifest in truth["manifests"].as_array().unwrap() {
        for traveller in manifest["travellers"].as_array().unwrap() {
            let lines: Vec<&str> = traveller["mrz"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            let text = lines.join("\n");
            let mrz = parse(&text, &options).unwrap_or_else(|e| panic!("{text}\n{e}"));
            assert!(mrz.valid(), "{text}\n{:?}", mrz.checks);
            assert!(mrz.corrections.is_empty(), "{text}\n{:?}", mrz.corrections);
            assert_eq!(
                mrz.document_number,
                traveller["document"]["number"].as_str().unwrap()
            );
            assert_eq!(
                mrz.birth_date,
                Some(date(traveller["birth_date"].as_str().unwrap()))
            );
            assert_eq!(mrz.surname, traveller["surname"].as_str().unwrap());
            checked += 1;
        }
    }
    assert!(checked > 100);
}

#[test]
fn identity_documents_have_valid_zones() {
    let g = generate(6, 3, 100);
    let truth = g.truth();
    let options = MrzOptions::new(liaison_scenario::default_exercise_date());
    let mut cards = 0;
    for identity in truth["identities"].as_array().unwrap() {
        for (key, lines) in [("passport", 2), ("id_card", 3)] {
            let document = &identity[key];
            if document.is_null() {
                continue;
            }
            let zone: Vec<&str> = document["mrz"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            assert_eq!(zone.len(), lines);
            let mrz = parse(&zone.join("\n"), &options).unwrap();
            assert!(mrz.valid(), "{zone:?}");
            assert_eq!(mrz.document_number, document["number"].as_str().unwrap());
            assert_eq!(
                mrz.birth_date,
                Some(date(identity["birth_date"].as_str().unwrap()))
            );
            if key == "id_card" {
                cards += 1;
            }
        }
    }
    assert!(cards > 10);
}

fn check_travellers(parsed: &liaison_formats::Manifest, travellers: &[Value], booked: bool) {
    assert_eq!(parsed.travellers.len(), travellers.len());
    // PNRGOV lists travellers by booking, PAXLST in check-in order: compare by document number.
    for expected in travellers {
        let number = expected["document"]["number"].as_str().unwrap();
        let found = parsed
            .travellers
            .iter()
            .find(|t| t.documents.iter().any(|d| d.number == number))
            .unwrap_or_else(|| panic!("{number} not read"));
        let (surname, given) = if booked {
            ("booked_surname", "booked_given_names")
        } else {
            ("surname", "given_names")
        };
        assert_eq!(found.surname, expected[surname].as_str().unwrap());
        assert_eq!(found.given_names, expected[given].as_str().unwrap());
        assert_eq!(
            found.birth_date,
            Some(date(expected["birth_date"].as_str().unwrap()))
        );
        assert_eq!(found.sex, expected["sex"].as_str().unwrap().chars().next());
        let document = &found.documents[0];
        assert_eq!(
            document.issuing_country.as_deref(),
            expected["document"]["issuing_country"].as_str()
        );
        assert_eq!(
            document.expiry_date,
            Some(date(expected["document"]["expires"].as_str().unwrap()))
        );
        assert_eq!(
            found.reservation_ref.as_deref(),
            expected["booking"].as_str()
        );
    }
}

#[test]
fn every_manifest_parses_strictly_with_the_planted_travellers() {
    let g = generate(8, 3, 300);
    let truth = g.truth();
    for manifest in truth["manifests"].as_array().unwrap() {
        let travellers = manifest["travellers"].as_array().unwrap();
        for (key, format, booked) in [
            ("paxlst", ManifestFormat::Paxlst, false),
            ("pnrgov", ManifestFormat::Pnrgov, true),
        ] {
            let path = g.path().join(manifest[key].as_str().unwrap());
            let bytes = std::fs::read(&path).unwrap();
            let parsed = parse_manifest(&bytes, None, &options())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(parsed.format, format);
            assert!(
                parsed.warnings.is_empty(),
                "{}: {:?}",
                path.display(),
                parsed.warnings
            );
            let leg = &parsed.flights[0];
            assert_eq!(
                leg.departure_airport.as_deref(),
                manifest["departure_airport"].as_str()
            );
            assert_eq!(
                leg.arrival_airport.as_deref(),
                manifest["arrival_airport"].as_str()
            );
            check_travellers(&parsed, travellers, booked);
        }
    }
}

#[test]
fn bookings_carry_the_facts_of_the_planted_journeys() {
    let g = generate(8, 3, 300);
    let truth = g.truth();
    let mut journeys = 0;
    for network in truth["networks"].as_array().unwrap() {
        let shared: Vec<&str> = network["shared_phones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for journey in network["journeys"].as_array().unwrap() {
            let manifest = truth["manifests"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["flight"] == journey["flight"])
                .unwrap();
            let bytes = std::fs::read(g.path().join(manifest["pnrgov"].as_str().unwrap())).unwrap();
            let parsed = parse_manifest(&bytes, Some(ManifestFormat::Pnrgov), &options()).unwrap();
            let booking = parsed
                .travellers
                .iter()
                .filter_map(|t| t.booking.as_ref())
                .find(|b| b.record_locator.as_deref() == journey["booking"].as_str())
                .unwrap();
            let phone = journey["contact_phone"].as_str().unwrap();
            assert!(shared.contains(&phone));
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            assert!(
                booking.phones.iter().any(|p| digits(p) == digits(phone)),
                "{:?} lacks {phone}",
                booking.phones
            );
            if let Some(email) = journey["contact_email"].as_str() {
                let norm = |s: &str| s.to_ascii_uppercase().replace("//", "@");
                assert!(
                    booking.emails.iter().any(|e| norm(e) == norm(email)),
                    "{:?} lacks {email}",
                    booking.emails
                );
            }
            assert_eq!(booking.one_way, Some(journey["one_way"].as_bool().unwrap()));
            assert!(
                booking
                    .payment_forms
                    .iter()
                    .any(|f| f.starts_with(journey["payment"].as_str().unwrap()))
            );
            journeys += 1;
        }
    }
    assert!(journeys >= 3);
}
