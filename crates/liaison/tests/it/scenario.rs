//! A generated exercise screened as a passenger-information unit would: each country's node loads its own
//! records, every manifest is screened on every node, and the result is compared with the ground truth.
//! Every planted traveller must be reported by each node that holds an alert on them or lists the document
//! they carry; false hits on honest travellers are counted and printed.
//!
//! `LIAISON_SCENARIO_PERSONS` (default 2,000 per country) and `LIAISON_SCENARIO_SEED` (default 7) size the
//! run; the figures in docs/scenarios.md come from larger runs of this test (`-- --nocapture`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use liaison_core::{CountryCode, NodeId};
use liaison_scenario::{ScenarioConfig, generate_to_dir};
use liaison_server::services::Caller;
use liaison_server::services::border::{self, ManifestRequest};
use liaison_server::services::records::{
    self, AccessReason, CollectIssues, ImportOptions, JsonLinesSource,
};
use liaison_server::services::screening::ScreeningIndex;
use liaison_server::{Node, NodeSettings};
use serde_json::Value;

use crate::harness::TestClock;

/// The travellers of a manifest as read, for their surname and given names as separate fields.
fn parsed_travellers(bytes: &[u8]) -> Vec<liaison_formats::Traveller> {
    let options = liaison_formats::ParseOptions {
        strict: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        max_bytes: usize::MAX,
    };
    liaison_formats::manifest::parse_manifest(bytes, None, &options)
        .unwrap()
        .travellers
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn country_node(dir: &Path, node_id: &str, code: &str, records: &Path) -> Node {
    let url = format!(
        "sqlite://{}",
        dir.join(format!("{node_id}.sqlite")).display()
    );
    let store = liaison_store::open(&url).await.unwrap();
    // The exercise's day, so that documents and alerts are as current as the scenario means them.
    let clock = Arc::new(TestClock::at(
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
    ));
    let mut node = Node {
        id: NodeId::parse(node_id).unwrap(),
        country: CountryCode::parse(code).unwrap(),
        store,
        clock,
        settings: NodeSettings::default(),
        screening: None,
        federation: None,
        graph: Default::default(),
    };
    let path = records.to_path_buf();
    let source = JsonLinesSource {
        name: path.display().to_string(),
        open: move || std::fs::File::open(&path).map(std::io::BufReader::new),
        total_bytes: None,
    };
    let report = records::import(
        &node,
        &Caller::cli(),
        &source,
        &ImportOptions {
            strict: true,
            ..ImportOptions::default()
        },
        &mut CollectIssues::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        report.rejected, 0,
        "{node_id}: every generated record imports"
    );
    node.screening = Some(Arc::new(
        ScreeningIndex::build(node.store.as_ref()).await.unwrap(),
    ));
    node
}

#[derive(Default, Debug)]
struct Tally {
    expected: u64,
    reported: u64,
    reported_strong: u64,
    honest: u64,
    honest_possible: u64,
    honest_strong: u64,
    missed: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_planted_traveller_is_reported_by_the_nodes_that_hold_them() {
    let persons = env_or("LIAISON_SCENARIO_PERSONS", 2_000) as usize;
    let seed = env_or("LIAISON_SCENARIO_SEED", 7);
    let dir = tempfile::tempdir().unwrap();
    let scenario_dir = dir.path().join("scenario");
    let summary = generate_to_dir(
        &ScenarioConfig::new(seed, 3, persons),
        &scenario_dir,
        &mut |_| {},
    )
    .unwrap();
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(scenario_dir.join(&summary.ground_truth)).unwrap(),
    )
    .unwrap();

    let mut nodes = Vec::new();
    for country in &summary.countries {
        nodes.push(
            country_node(
                dir.path(),
                &country.info.node_id,
                &country.info.code,
                &scenario_dir.join(&country.info.records_file),
            )
            .await,
        );
    }

    let tallies: Mutex<BTreeMap<String, Tally>> = Mutex::new(BTreeMap::new());
    let reason = AccessReason {
        purpose: Some("exercise".into()),
        case_ref: None,
    };
    for manifest in truth["manifests"].as_array().unwrap() {
        let expected_travellers = manifest["travellers"].as_array().unwrap();
        for file in ["paxlst", "pnrgov"] {
            let bytes = std::fs::read(scenario_dir.join(manifest[file].as_str().unwrap())).unwrap();
            for node in &nodes {
                let report = border::screen_manifest(
                    node,
                    &Caller::cli(),
                    &bytes,
                    &ManifestRequest::default(),
                    &reason,
                )
                .await
                .unwrap();
                assert_eq!(report.travellers.len(), expected_travellers.len());
                let mut tallies = tallies.lock().unwrap();
                let tally = tallies.entry(format!("{file} on {}", node.id)).or_default();
                // A PNRGOV push lists travellers by booking, a PAXLST in boarding order: pair them with the
                // ground truth by the name as booked (or as on the document) and the date of birth.
                let key = |surname: &str, given: &str, birth: &str| {
                    format!("{}|{}|{birth}", surname.trim(), given.trim())
                };
                let by_key: BTreeMap<String, &Value> = expected_travellers
                    .iter()
                    .map(|t| {
                        let (surname, given) = if file == "pnrgov" {
                            ("booked_surname", "booked_given_names")
                        } else {
                            ("surname", "given_names")
                        };
                        (
                            key(
                                t[surname].as_str().unwrap_or(""),
                                t[given].as_str().unwrap_or(""),
                                t["birth_date"].as_str().unwrap_or(""),
                            ),
                            t,
                        )
                    })
                    .collect();
                for (got, parsed) in report.travellers.iter().zip(&parsed_travellers(&bytes)) {
                    let truth = by_key
                        .get(&key(
                            &parsed.surname,
                            &parsed.given_names,
                            &got.birth_date.clone().unwrap_or_default(),
                        ))
                        .unwrap_or_else(|| {
                            panic!("{file}: {} is not in the ground truth", got.name)
                        });
                    let held_here = truth["targets"].as_array().unwrap().iter().any(|t| {
                        // At the border a node reports what it holds an alert on or lists (a
                        // stolen document); a person it merely records is not a hit.
                        t["node"] == node.id.as_str()
                            && (t["type"] == "alert" || t["type"] == "document")
                    });
                    if held_here {
                        tally.expected += 1;
                        if got.band != "none" {
                            tally.reported += 1;
                        } else {
                            tally.missed.push(format!(
                                "{} {} {} ({}, {})",
                                manifest["flight"].as_str().unwrap(),
                                got.name,
                                got.birth_date.as_deref().unwrap_or("?"),
                                truth["expected"].as_str().unwrap_or("?"),
                                truth["note"].as_str().unwrap_or("")
                            ));
                        }
                        if got.band == "strong" {
                            tally.reported_strong += 1;
                        }
                    } else if truth["hit"] == false {
                        tally.honest += 1;
                        match got.band.as_str() {
                            "strong" => tally.honest_strong += 1,
                            "possible" => tally.honest_possible += 1,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    let tallies = tallies.into_inner().unwrap();
    let mut missed = Vec::new();
    for (what, t) in &tallies {
        println!(
            "{what}: planted reported {}/{} ({} strong); honest travellers with a hit: {} possible, {} strong of {}",
            t.reported, t.expected, t.reported_strong, t.honest_possible, t.honest_strong, t.honest
        );
        missed.extend(t.missed.iter().map(|m| format!("{what}: {m}")));
    }
    assert!(
        missed.is_empty(),
        "planted travellers not reported:\n{}",
        missed.join("\n")
    );
}
