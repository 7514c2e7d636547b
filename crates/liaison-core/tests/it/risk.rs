//! Risk criteria through the public API: a realistic rule set over derived facts, the error a supervisor
//! sees, and a throughput measurement (ignored by default; run it in release to reproduce the figure in
//! `docs/risk-rules.md`).

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use liaison_core::risk::{Outcome, RuleErrorKind, RuleSet, TravelFacts, TravellerRole, fields};

const CRITERIA: &str = r#"
ruleset "PIU XAA border criteria" version 7
review_threshold 40
priority_threshold 80

rule R-001 "Cash one-way ticket bought less than 48 hours before departure"
  when payment contains "CA" and one_way and booking_lead_hours < 48
  score 40

rule R-002 "Route through a hub known for document fraud, documents from another country"
  when via in ["IST", "DXB", "ADD"] and document_issuing_country != nationality
  score 25

rule R-003 "Travelling alone with no checked bag on a long one-way journey"
  when companions == 0 and bags == 0 and one_way and route contains "BKK"
  score 15

rule R-004 "Document expiring within 30 days of departure"
  when document_expiry_days < 30 and role in ["passenger", "in_transit"]
  score 10

rule R-005 "Minor travelling without companions at night"
  when age < 16 and companions == 0 and (departure_hour >= 22 or departure_hour <= 5)
  score 30

rule R-006 "Booked through an agency flagged in case 2024-117, paid other than by card"
  when agency starts_with "FASTTRIP" and payment not in ["CC"]
  score 35

rule R-007 "Seat at the back on a short-notice booking of a known carrier"
  when carrier in ["XA", "XB"] and seat starts_with "4" and booking_lead_hours <= 24
  score 5

rule R-008 "Visa holder whose route avoids the destination hub"
  when document_kind contains "V" and not (route contains "FRA")
  score 5
"#;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A deterministic spread of travellers: some fire several rules, most none, some lack facts.
fn travellers(count: usize) -> Vec<TravelFacts> {
    let hubs = ["IST", "DXB", "FRA", "CDG", "ADD", "DOH"];
    let countries = ["GBR", "FRA", "D", "XAA", "UTO", "NGA"];
    let payments = ["CA", "CC", "MS", "CC"];
    (0..count)
        .map(|i| {
            let departure = at("2025-03-14 00:00") + chrono::Duration::hours((i % 24) as i64);
            let mut facts = TravelFacts {
                route: vec![
                    "LHR".to_owned(),
                    hubs[i % hubs.len()].to_owned(),
                    if i % 3 == 0 { "BKK" } else { "JFK" }.to_owned(),
                ],
                carrier: Some(if i % 2 == 0 { "XA" } else { "LH" }.to_owned()),
                departure: Some(departure),
                booked_at: (i % 5 != 0)
                    .then(|| departure - chrono::Duration::hours((i % 200) as i64)),
                payment_forms: if i % 7 == 0 {
                    Vec::new()
                } else {
                    vec![payments[i % payments.len()].to_owned()]
                },
                one_way: Some(i % 5 != 2),
                companions: Some((i % 4) as u32),
                bags: Some((i % 3) as u32),
                seat: Some(format!("{}A", i % 50)),
                agency: Some(
                    if i % 11 == 0 {
                        "FASTTRIP LTD"
                    } else {
                        "ACME TRAVEL"
                    }
                    .to_owned(),
                ),
                nationality: Some(countries[i % countries.len()].to_owned()),
                document_issuing_countries: vec![countries[(i / 2) % countries.len()].to_owned()],
                document_kinds: vec![if i % 9 == 0 { "V" } else { "P" }.to_owned()],
                role: Some(if i % 13 == 0 {
                    TravellerRole::Crew
                } else {
                    TravellerRole::Passenger
                }),
                ..TravelFacts::default()
            };
            let birth = day("1960-01-01") + chrono::Duration::days((i * 397 % 20_000) as i64);
            let expiry = day("2025-03-01") + chrono::Duration::days((i * 31 % 2_000) as i64);
            facts.derive(Some(birth), &[expiry]);
            facts
        })
        .collect()
}

#[test]
fn realistic_rule_set_assesses_a_manifest() {
    let set = RuleSet::parse(CRITERIA).unwrap();
    assert_eq!(set.rules().len(), 8);
    let people = travellers(1_000);
    let mut fired = [0usize; 8];
    let mut outcomes = [0usize; 3];
    for facts in &people {
        let assessment = set.assess(facts);
        assert_eq!(
            assessment.total_score,
            assessment.hits.iter().map(|h| h.score).sum::<u32>()
        );
        assert_eq!(assessment.outcome, set.outcome_for(assessment.total_score));
        for hit in &assessment.hits {
            assert!(!hit.explanation.is_empty(), "{}", hit.rule_id);
            let index = set
                .rules()
                .iter()
                .position(|r| r.id() == hit.rule_id)
                .unwrap();
            fired[index] += 1;
        }
        outcomes[assessment.outcome as usize] += 1;
    }
    // Every rule fires for someone, and most travellers are not suggested for review.
    assert!(fired.iter().all(|n| *n > 0), "{fired:?}");
    assert!(
        outcomes[Outcome::NoReview as usize] > people.len() / 2,
        "{outcomes:?}"
    );
}

#[test]
fn a_supervisor_sees_where_and_why() {
    let text = CRITERIA.replace(
        "companions == 0 and bags",
        "companions == 0 and gender == \"F\" and bags",
    );
    let err = RuleSet::parse(&text).unwrap_err();
    assert!(matches!(err.kind, RuleErrorKind::Protected { .. }));
    assert_eq!(err.rule.as_deref(), Some("R-003"));
    assert_eq!(err.line, 15);
    assert!(err.to_string().starts_with("line 15, column "), "{err}");
}

#[test]
fn every_field_is_documented() {
    let doc = include_str!("../../../../docs/risk-rules.md");
    for field in fields() {
        assert!(
            doc.contains(&format!("`{}`", field.name)),
            "docs/risk-rules.md does not describe `{}`",
            field.name
        );
    }
}

/// Traveller×rule evaluations per second on a compiled set. A measurement, not a check: run with
/// `cargo test -p liaison-core --release --test it -- --ignored --nocapture risk_throughput`.
#[test]
#[ignore = "measurement; run in release"]
fn risk_throughput() {
    let set = RuleSet::parse(CRITERIA).unwrap();
    let people = travellers(100_000);
    let mut hits = 0usize;
    let rounds = 5;
    let start = Instant::now();
    for _ in 0..rounds {
        for facts in &people {
            hits += set.evaluate(facts).len();
        }
    }
    let elapsed = start.elapsed();
    let evaluations = (rounds * people.len() * set.rules().len()) as f64;
    println!(
        "{} evaluations ({} travellers x {} rules x {rounds}) in {:.3} s: {:.2} M evaluations/s, {} hits",
        evaluations,
        people.len(),
        set.rules().len(),
        elapsed.as_secs_f64(),
        evaluations / elapsed.as_secs_f64() / 1e6,
        hits
    );
}
