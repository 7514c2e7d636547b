//! Scoring an exercise: the pure scoring on a small hand-built ground truth with what fake nodes did (table
//! tests), and `liaison exercise score` against a node served on 127.0.0.1 that screened one manifest of a
//! generated scenario and whose officer recorded verdicts on the hits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{TimeZone, Utc};
use liaison_core::Role;
use liaison_scenario::score::{
    AuditSeen, DisclosureSeen, ExerciseScore, GroundTruth, LegSeen, NodeActivity, Outcome,
    RecordKey, ScreenedHit, ScreenedTraveller, ScreeningRun, Verdict, score,
};
use liaison_scenario::{ScenarioConfig, generate_to_dir};
use liaison_server::NodeSettings;
use liaison_server::services::Caller;
use liaison_server::services::records::{self, CollectIssues, ImportOptions, JsonLinesSource};
use serde_json::Value;

use crate::harness::{build_node, stderr, stdout};

/// Two countries, two flights (AQ1 flies twice), one network of three, one fugitive.
///
/// - i1 organiser: person p1 with alert a1 on node-xaa, person p9 (no alert) on node-xbb;
/// - i2 courier: person p2 with alert a2 on node-xaa, travelling on stolen blank db1 (alert ab1);
/// - i3 fugitive: person p3 with alert a3 on node-xbb;
/// - i4 victim: person p4 on node-xbb.
const TRUTH: &str = r#"{
  "liaison_scenario_ground_truth": 1, "seed": 3, "exercise_date": "2026-12-01",
  "countries": [{"code": "XAA", "node": "node-xaa"}, {"code": "XBB", "node": "node-xbb"}],
  "identities": [
    {"id": "i1", "kind": "network_member", "records": [
      {"node": "node-xaa", "person": "p1", "documents": ["d1p"], "alerts": [{"id": "a1", "category": "wanted_for_arrest", "on": "person"}]},
      {"node": "node-xbb", "person": "p9", "documents": [], "alerts": []}]},
    {"id": "i2", "kind": "network_member", "records": [
      {"node": "node-xaa", "person": "p2", "documents": ["d2p"], "alerts": [{"id": "a2", "category": "discreet_check", "on": "person"}]}]},
    {"id": "i3", "kind": "fugitive", "records": [
      {"node": "node-xbb", "person": "p3", "documents": [], "alerts": [{"id": "a3", "category": "wanted_for_arrest", "on": "person"}]}]},
    {"id": "i4", "kind": "trafficking_victim", "records": [
      {"node": "node-xbb", "person": "p4", "documents": [], "alerts": []}]}
  ],
  "networks": [{"id": "n1", "kind": "trafficking_in_persons", "operation": "Operation Test", "members": [
    {"identity": "i1", "role": "organiser"}, {"identity": "i2", "role": "courier"}, {"identity": "i4", "role": "victim"}]}],
  "manifests": [
    {"flight": "AQ1", "departure": "2026-12-02T10:00", "travellers": [
      {"index": 0, "surname": "PETROV", "given_names": "IVAN", "booked_surname": "PETROV", "booked_given_names": "IVAN",
       "birth_date": "1970-01-01", "document": {"number": "P100"}, "expected": "wanted_person", "identity": "i1",
       "targets": [{"node": "node-xaa", "type": "person", "id": "p1"}, {"node": "node-xaa", "type": "alert", "id": "a1"},
                   {"node": "node-xbb", "type": "person", "id": "p9"}]},
      {"index": 1, "surname": "SIDOROVA", "given_names": "OLGA", "booked_surname": "SIDOROVA", "booked_given_names": "OLGA",
       "birth_date": "1980-05-05", "document": {"number": "P101"}, "expected": "honest", "identity": null, "targets": []},
      {"index": 2, "surname": "ORLOV", "given_names": "PIOTR", "booked_surname": "PIOTR", "booked_given_names": "ORLOV",
       "birth_date": "1990-02-02", "document": {"number": "DB1"}, "expected": "both", "identity": "i2",
       "note": "stolen blank",
       "targets": [{"node": "node-xaa", "type": "person", "id": "p2"}, {"node": "node-xaa", "type": "alert", "id": "a2"},
                   {"node": "node-xaa", "type": "document", "id": "db1"}, {"node": "node-xaa", "type": "alert", "id": "ab1"}]},
      {"index": 3, "surname": "PETROV", "given_names": "IVAN", "booked_surname": "PETROV", "booked_given_names": "IVAN",
       "birth_date": "1985-03-03", "document": {"number": "P103"}, "expected": "honest", "identity": null,
       "note": "namesake", "targets": []}]},
    {"flight": "BQ2", "departure": "2026-12-03T08:00", "travellers": [
      {"index": 0, "surname": "KARIMOV", "given_names": "RUSTAM", "birth_date": "1975-07-07",
       "document": {"number": "P200"}, "expected": "wanted_person", "identity": "i3",
       "targets": [{"node": "node-xbb", "type": "person", "id": "p3"}, {"node": "node-xbb", "type": "alert", "id": "a3"}]},
      {"index": 1, "surname": "LEE", "given_names": "ANNA", "birth_date": "1999-09-09",
       "document": {"number": "P201"}, "expected": "honest", "identity": null, "targets": []}]},
    {"flight": "AQ1", "departure": "2026-12-09T10:00", "travellers": [
      {"index": 0, "surname": "BROWN", "given_names": "TOM", "birth_date": "1960-06-06",
       "document": {"number": "P300"}, "expected": "honest", "identity": null, "targets": []}]}
  ]
}"#;

type HitSpec<'a> = (&'a str, &'a str, &'a str, Option<Verdict>);

/// A traveller as a report shows them, with hits `(node, type, id, verdict)`; type `rule` is a risk rule.
fn traveller(name: &str, birth: &str, hits: &[HitSpec<'_>]) -> ScreenedTraveller {
    ScreenedTraveller {
        index: 0,
        name: name.into(),
        birth_date: Some(birth.into()),
        document: String::new(),
        hits: hits
            .iter()
            .enumerate()
            .map(|(k, (node, record_type, id, verdict))| ScreenedHit {
                hit_id: format!("h{k}"),
                kind: (*record_type).into(),
                record: (*record_type != "rule").then(|| RecordKey::new(node, record_type, id)),
                verdict: *verdict,
            })
            .collect(),
    }
}

fn run(
    id: &str,
    format: &str,
    legs: &[(&str, &str)],
    travellers: Vec<ScreenedTraveller>,
) -> ScreeningRun {
    ScreeningRun {
        id: id.into(),
        format: format.into(),
        legs: legs
            .iter()
            .map(|(flight, departure)| LegSeen {
                flight: Some((*flight).into()),
                departure: Some((*departure).into()),
            })
            .collect(),
        travellers,
    }
}

fn node(id: &str, runs: Vec<ScreeningRun>) -> NodeActivity {
    NodeActivity {
        node: id.into(),
        runs,
        disclosures: Vec::new(),
        audit: Some(Vec::new()),
    }
}

fn audit(action: &str, objects: &[&str], recipients: &[&str], detail: &str) -> AuditSeen {
    AuditSeen {
        seq: 0,
        action: action.into(),
        objects: objects.iter().map(|o| (*o).into()).collect(),
        recipients: recipients.iter().map(|r| (*r).into()).collect(),
        detail: Some(detail.into()),
    }
}

const T: Option<Verdict> = Some(Verdict::TrueHit);
const F: Option<Verdict> = Some(Verdict::FalseHit);
const AQ1: (&str, &str) = ("AQ1", "2026-12-02 10:00:00");

/// What a case expects of one node (or of `overall`).
#[derive(Debug, Default, Clone, PartialEq)]
struct Expect {
    /// expected, stopped, marked false, not reviewed, not reported, not screened
    wanted: [usize; 6],
    /// true: raised, confirmed, rejected, pending; false: raised, confirmed, on honest, rejected, pending
    true_hits: [usize; 4],
    false_hits: [usize; 5],
    /// members identified, with how
    identified: BTreeMap<String, Vec<&'static str>>,
    /// requested, attributed, on members
    disclosures: [usize; 3],
    total: Option<f64>,
}

fn observed(f: &liaison_scenario::score::Figures) -> Expect {
    let w = &f.wanted;
    let h = &f.hits;
    Expect {
        wanted: [
            w.expected,
            w.stopped,
            w.marked_false,
            w.not_reviewed,
            w.not_reported,
            w.not_screened,
        ],
        true_hits: [
            h.true_hits,
            h.true_confirmed,
            h.true_rejected,
            h.true_pending,
        ],
        false_hits: [
            h.false_hits,
            h.false_confirmed,
            h.false_confirmed_on_honest,
            h.false_rejected,
            h.false_pending,
        ],
        identified: f
            .networks
            .iter()
            .flat_map(|n| &n.members)
            .filter(|m| !m.identified_by.is_empty())
            .map(|m| {
                (
                    m.identity.clone(),
                    m.identified_by.iter().map(|i| i.as_str()).collect(),
                )
            })
            .collect(),
        disclosures: [
            f.disclosures.requested,
            f.disclosures.attributed,
            f.disclosures.on_network_members,
        ],
        total: f.score.total,
    }
}

fn identified(pairs: &[(&str, &[&'static str])]) -> BTreeMap<String, Vec<&'static str>> {
    pairs
        .iter()
        .map(|(identity, how)| ((*identity).to_owned(), how.to_vec()))
        .collect()
}

struct Case {
    name: &'static str,
    nodes: Vec<NodeActivity>,
    /// The first node's figures, then the overall figures.
    node: Expect,
    overall: Option<Expect>,
    warnings: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a node that did nothing stopped nobody",
            nodes: vec![node("node-xaa", vec![])],
            node: Expect {
                wanted: [2, 0, 0, 0, 0, 2],
                total: Some(0.0),
                ..Expect::default()
            },
            overall: None,
            warnings: &["node-xbb is a node of the scenario but was not read"],
        },
        Case {
            name: "confirmed planted hits stop travellers; a confirmed honest hit is an error",
            nodes: vec![node(
                "node-xaa",
                vec![run(
                    "r1",
                    "paxlst",
                    &[AQ1],
                    vec![
                        traveller(
                            "IVAN PETROV",
                            "1970-01-01",
                            &[("node-xaa", "person", "p1", T)],
                        ),
                        traveller(
                            "OLGA SIDOROVA",
                            "1980-05-05",
                            &[("node-xaa", "person", "p5", T)],
                        ),
                        traveller(
                            "PIOTR ORLOV",
                            "1990-02-02",
                            &[
                                ("node-xaa", "person", "p2", T),
                                ("node-xaa", "document", "db1", None),
                                ("", "rule", "", T),
                            ],
                        ),
                        traveller(
                            "IVAN PETROV",
                            "1985-03-03",
                            &[("node-xaa", "person", "p1", F)],
                        ),
                    ],
                )],
            )],
            node: Expect {
                wanted: [2, 2, 0, 0, 0, 0],
                true_hits: [3, 2, 0, 1],
                false_hits: [2, 1, 1, 1, 0],
                identified: identified(&[("i1", &["confirmed_hit"]), ("i2", &["confirmed_hit"])]),
                // wanted 2/2, false hits (1 rejected - 1 confirmed)/2 = 0, network weight 4 of 5
                total: Some((50.0 + 0.0 + 0.8 * 25.0) / 100.0 * 100.0),
                ..Expect::default()
            },
            overall: None,
            warnings: &[],
        },
        Case {
            name: "a PNRGOV pairs by the name as booked; a verdict in any run counts once; the other AQ1 is another manifest",
            nodes: vec![node(
                "node-xaa",
                vec![
                    run(
                        "r1",
                        "paxlst",
                        &[AQ1],
                        vec![traveller(
                            "PIOTR ORLOV",
                            "1990-02-02",
                            &[("node-xaa", "person", "p2", F)],
                        )],
                    ),
                    run(
                        "r2",
                        "pnrgov",
                        &[AQ1, ("AQ1", "2026-12-09 10:00:00")],
                        vec![
                            // booked with given and family names exchanged
                            traveller(
                                "ORLOV PIOTR",
                                "1990-02-02",
                                &[("node-xaa", "person", "p2", T)],
                            ),
                            traveller(
                                "NOBODY KNOWN",
                                "2000-01-01",
                                &[("node-xaa", "person", "p7", T)],
                            ),
                        ],
                    ),
                    run(
                        "r3",
                        "paxlst",
                        &[("AQ1", "2026-12-09 10:00:00")],
                        vec![traveller(
                            "TOM BROWN",
                            "1960-06-06",
                            &[("node-xaa", "person", "p8", F)],
                        )],
                    ),
                    run(
                        "r4",
                        "paxlst",
                        &[("ZZ9", "2026-12-02 10:00:00")],
                        vec![traveller(
                            "TOM BROWN",
                            "1960-06-06",
                            &[("node-xaa", "person", "p8", T)],
                        )],
                    ),
                ],
            )],
            node: Expect {
                // IVAN PETROV's manifest was screened but nothing was reported on him
                wanted: [2, 1, 0, 0, 1, 0],
                true_hits: [1, 1, 0, 0],
                false_hits: [1, 0, 0, 1, 0],
                identified: identified(&[("i2", &["confirmed_hit"])]),
                total: Some((0.5 * 50.0 + 1.0 * 25.0 + 0.2 * 25.0) / 100.0 * 100.0),
                ..Expect::default()
            },
            overall: None,
            warnings: &[
                "node-xaa: run r2: travellers not paired with the ground truth of AQ1: 1",
                "node-xaa: run r4 (ZZ9) screened no manifest of the ground truth",
            ],
        },
        Case {
            name: "planted hits marked false or left without a verdict are missed",
            nodes: vec![node(
                "node-xaa",
                vec![run(
                    "r1",
                    "paxlst",
                    &[AQ1],
                    vec![
                        traveller(
                            "IVAN PETROV",
                            "1970-01-01",
                            &[("node-xaa", "person", "p1", F)],
                        ),
                        traveller(
                            "PIOTR ORLOV",
                            "1990-02-02",
                            &[("node-xaa", "document", "db1", None)],
                        ),
                    ],
                )],
            )],
            node: Expect {
                wanted: [2, 0, 1, 1, 0, 0],
                true_hits: [2, 0, 1, 1],
                total: Some(0.0),
                ..Expect::default()
            },
            overall: None,
            warnings: &[],
        },
        Case {
            name: "disclosure requests identify members through the owner's and the requester's logs",
            nodes: vec![
                NodeActivity {
                    node: "node-xbb".into(),
                    runs: vec![run(
                        "r9",
                        "paxlst",
                        &[("BQ2", "2026-12-03 08:00:00")],
                        vec![
                            traveller(
                                "RUSTAM KARIMOV",
                                "1975-07-07",
                                &[("node-xbb", "person", "p3", T)],
                            ),
                            traveller("ANNA LEE", "1999-09-09", &[]),
                        ],
                    )],
                    disclosures: ["q1", "q2", "q3", "q4"]
                        .iter()
                        .map(|id| DisclosureSeen {
                            id: (*id).into(),
                            partner: "node-xaa".into(),
                            state: "pending".into(),
                        })
                        .collect(),
                    audit: Some(vec![
                        // q1: approved; the requester kept the record under the owner's name
                        audit(
                            "disclosure.request",
                            &["disclosure/q1"],
                            &["node-xaa"],
                            "hit node-xaa/R1; legal basis: x",
                        ),
                        audit(
                            "disclosure.decision",
                            &["disclosure/q1", "person/node-xaa:p2"],
                            &["node-xaa"],
                            "approved by node-xaa",
                        ),
                        // q2: still pending; traced through the search and the owner's answer
                        audit(
                            "federated_search",
                            &["hit/node-xaa/R8", "hit/node-xcc/Z1", "hit/node-xaa/R2"],
                            &["node-xaa", "node-xcc"],
                            "correlation C2; node-xaa answered (3 ms), node-xcc answered (4 ms)",
                        ),
                        audit(
                            "disclosure.request",
                            &["disclosure/q2"],
                            &["node-xaa"],
                            "hit node-xaa/R2; legal basis: x",
                        ),
                        // q3: the owner approved it (its log says which record)
                        audit(
                            "disclosure.request",
                            &["disclosure/q3"],
                            &["node-xaa"],
                            "hit node-xaa/R3; legal basis: x",
                        ),
                        // q4: nobody can tell
                        audit(
                            "disclosure.request",
                            &["disclosure/q4"],
                            &["node-xaa"],
                            "hit node-xaa/R4; legal basis: x",
                        ),
                    ]),
                },
                NodeActivity {
                    node: "node-xaa".into(),
                    runs: vec![],
                    disclosures: vec![],
                    audit: Some(vec![
                        audit(
                            "federated_search.answer",
                            &["person/p5", "person/p1"],
                            &["node-xbb"],
                            "correlation C2: 2 hits revealed as category",
                        ),
                        audit(
                            "disclosure.approve",
                            &["disclosure/q3", "alert/a2"],
                            &["node-xbb"],
                            "decided by supervisor",
                        ),
                    ]),
                },
            ],
            node: Expect {
                wanted: [1, 1, 0, 0, 0, 0],
                true_hits: [1, 1, 0, 0],
                identified: identified(&[
                    ("i1", &["disclosure_requested"]),
                    ("i2", &["disclosure_requested"]),
                ]),
                disclosures: [4, 3, 3],
                // wanted 1/1, no false hits to score, network weight 4 of 5: (50 + 20) / 75
                total: Some(93.3),
                ..Expect::default()
            },
            overall: Some(Expect {
                wanted: [3, 1, 0, 0, 0, 2],
                true_hits: [1, 1, 0, 0],
                identified: identified(&[
                    ("i1", &["disclosure_requested"]),
                    ("i2", &["disclosure_requested"]),
                ]),
                disclosures: [4, 3, 3],
                total: Some(((1.0 / 3.0) * 50.0 + 0.8 * 25.0) / 75.0 * 1000.0_f64)
                    .map(|t| t.round() / 10.0),
                ..Expect::default()
            }),
            warnings: &["node-xbb: 1 of 4 disclosure requests could not be traced to a record"],
        },
    ]
}

fn round(value: Option<f64>) -> Option<f64> {
    value.map(|v| (v * 10.0).round() / 10.0)
}

#[test]
fn scoring_tells_what_each_node_did_against_the_ground_truth() {
    let truth = GroundTruth::from_json(TRUTH).unwrap();
    for case in cases() {
        let result: ExerciseScore = score(&truth, &case.nodes);
        let mut got = observed(&result.nodes[0].figures);
        got.total = round(got.total);
        let mut want = case.node.clone();
        want.total = round(want.total);
        assert_eq!(got, want, "{}: first node", case.name);
        if let Some(overall) = &case.overall {
            let mut got = observed(&result.overall);
            got.total = round(got.total);
            assert_eq!(&got, overall, "{}: overall", case.name);
        }
        for warning in case.warnings {
            assert!(
                result.warnings.iter().any(|w| w.contains(warning)),
                "{}: no warning like `{warning}` in {:?}",
                case.name,
                result.warnings
            );
        }
    }
}

#[test]
fn each_traveller_to_stop_is_listed_with_its_outcome() {
    let truth = GroundTruth::from_json(TRUTH).unwrap();
    let result = score(
        &truth,
        &[node(
            "node-xaa",
            vec![run(
                "r1",
                "paxlst",
                &[AQ1],
                vec![traveller(
                    "IVAN PETROV",
                    "1970-01-01",
                    &[("node-xaa", "person", "p1", T)],
                )],
            )],
        )],
    );
    let outcomes: Vec<(String, u64, Outcome)> = result.nodes[0]
        .travellers
        .iter()
        .map(|t| (t.flight.clone(), t.index, t.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("AQ1".into(), 0, Outcome::Stopped),
            ("AQ1".into(), 2, Outcome::NotReported)
        ]
    );
    assert_eq!(
        result.nodes[0].travellers[1].note.as_deref(),
        Some("stolen blank")
    );
    // node-xbb holds the fugitive of BQ2, but was not read: the overall figures count only what was read.
    assert_eq!(result.overall.wanted.expected, 2);
}

#[test]
fn nothing_to_score_gives_no_total() {
    let truth = GroundTruth::from_json(
        r#"{"liaison_scenario_ground_truth": 1, "exercise_date": "2026-12-01", "countries": [],
            "identities": [], "networks": [], "manifests": []}"#,
    )
    .unwrap();
    let result = score(&truth, &[node("node-xaa", vec![])]);
    assert_eq!(result.overall.score.total, None);
    assert_eq!(result.nodes[0].figures.score.wanted, None);
}

// ---------------------------------------------------------------------------------------------------------
// End to end.

/// The figures the test expects, worked out from the ground truth and what the officer did.
#[derive(Debug, Default)]
struct Worked {
    expected: u64,
    stopped: u64,
    not_screened: u64,
    true_confirmed: u64,
    false_raised: u64,
    false_rejected: u64,
    members: BTreeSet<String>,
}

async fn run_score(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exercise_score_reads_a_served_node_and_counts_what_its_officers_did() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario");
    let summary = generate_to_dir(&ScenarioConfig::new(7, 3, 200), &scenario, &mut |_| {}).unwrap();
    let truth_path = scenario.join(&summary.ground_truth);
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
    let xaa = summary
        .countries
        .iter()
        .find(|c| c.info.code == "XAA")
        .unwrap();

    let test_node = build_node(
        NodeSettings {
            secure_cookies: false,
            ..NodeSettings::default()
        },
        "node-xaa",
        "XAA",
        false,
        None,
    )
    .await;
    // The exercise's day, so that documents and alerts are as current as the scenario means them.
    let day = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    test_node
        .clock
        .advance(day - liaison_server::Clock::now(test_node.clock.as_ref()));
    import(&test_node.node, &scenario.join(&xaa.info.records_file)).await;

    let held =
        |t: &Value| {
            t["targets"].as_array().unwrap().iter().any(|x| {
                x["node"] == "node-xaa" && (x["type"] == "alert" || x["type"] == "document")
            })
        };
    let manifests = truth["manifests"].as_array().unwrap();
    let screened = manifests
        .iter()
        .position(|m| m["travellers"].as_array().unwrap().iter().any(held))
        .unwrap();
    let manifest = &manifests[screened];

    // A namesake alert entered on the node: the honest traveller it names gives the officer a false hit.
    let honest = manifest["travellers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["expected"] == "honest")
        .unwrap();
    let (given, family) = (
        honest["given_names"].as_str().unwrap(),
        honest["surname"].as_str().unwrap(),
    );
    let analyst = test_node.token("analyst1", &[Role::Analyst]).await;
    let stored = test_node
        .http
        .post(test_node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .json(&serde_json::json!([
            {"type": "person", "id": "px1",
             "names": [{"full": format!("{given} {family}"), "given": given, "family": family, "kind": "primary"}],
             "birth_dates": [honest["birth_date"]], "handling": {"code": "H0", "distribution": "national"},
             "retain_until": "2036-01-01"},
            {"type": "alert", "id": "ax1", "category": "wanted_for_arrest", "subject": "px1",
             "issuing_authority": "Exercise control", "action": "Arrest", "expires": "2030-01-01",
             "handling": {"code": "H0", "distribution": "national"}}
        ]))
        .send()
        .await
        .unwrap();
    assert!(
        stored.status().is_success(),
        "{}",
        stored.text().await.unwrap()
    );

    let officer = test_node.token("officer1", &[Role::Officer]).await;
    let body = std::fs::read(scenario.join(manifest["paxlst"].as_str().unwrap())).unwrap();
    let report: Value = test_node
        .http
        .post(test_node.url("/api/v1/manifests?purpose=exercise"))
        .bearer_auth(&officer)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(report["id"].is_string(), "{report}");

    // The officer confirms every hit on a record the ground truth names and rejects one other hit.
    let mut worked = Worked::default();
    for m in manifests {
        for t in m["travellers"].as_array().unwrap() {
            if held(t) {
                worked.expected += 1;
                if m != manifest {
                    worked.not_screened += 1;
                }
            }
        }
    }
    let by_name: BTreeMap<(String, String), &Value> = manifest["travellers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                (
                    format!(
                        "{} {}",
                        t["given_names"].as_str().unwrap(),
                        t["surname"].as_str().unwrap()
                    ),
                    t["birth_date"].as_str().unwrap().to_owned(),
                ),
                t,
            )
        })
        .collect();
    let mut rejected_one = false;
    for got in report["travellers"].as_array().unwrap() {
        let truth_traveller = by_name[&(
            got["name"].as_str().unwrap().to_owned(),
            got["birth_date"].as_str().unwrap().to_owned(),
        )];
        let targets: Vec<(String, String)> = truth_traveller["targets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["node"] == "node-xaa")
            .map(|x| {
                (
                    x["type"].as_str().unwrap().into(),
                    x["id"].as_str().unwrap().into(),
                )
            })
            .collect();
        let mut stopped = false;
        for hit in got["hits"].as_array().unwrap() {
            let record = (
                hit["record"]["type"].as_str().unwrap_or("").to_owned(),
                hit["record"]["id"].as_str().unwrap_or("").to_owned(),
            );
            let verdict = if targets.contains(&record) {
                worked.true_confirmed += 1;
                stopped = true;
                "true_hit"
            } else {
                worked.false_raised += 1;
                if rejected_one {
                    continue;
                }
                rejected_one = true;
                worked.false_rejected += 1;
                "false_hit"
            };
            let answer = test_node
                .http
                .post(test_node.url(&format!(
                    "/api/v1/hits/{}/review",
                    hit["hit_id"].as_str().unwrap()
                )))
                .bearer_auth(&officer)
                .json(&serde_json::json!({ "verdict": verdict }))
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success(), "{}", answer.status());
        }
        if stopped {
            worked.stopped += 1;
            if let Some(identity) = truth_traveller["identity"].as_str()
                && truth["networks"].as_array().unwrap().iter().any(|n| {
                    n["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m["identity"] == identity)
                })
            {
                worked.members.insert(identity.to_owned());
            }
        }
    }
    let held_here = manifest["travellers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| held(t))
        .count() as u64;
    assert_eq!(
        worked.stopped, held_here,
        "every planted traveller is reported"
    );
    assert!(
        worked.false_raised >= 1 && worked.false_rejected == 1,
        "{worked:?}"
    );

    // One token whose user is both supervisor and auditor.
    let trainer = test_node
        .token("trainer", &[Role::Supervisor, Role::Auditor])
        .await;
    let args = |tokens: &[&str], json: bool| {
        let mut args: Vec<String> = vec![
            "exercise".into(),
            "score".into(),
            "--ground-truth".into(),
            truth_path.display().to_string(),
            "--node".into(),
            format!("node-xaa={}", test_node.base),
        ];
        for token in tokens {
            args.push("--token".into());
            args.push(format!("node-xaa={token}"));
        }
        if json {
            args.push("--json".into());
        }
        args
    };
    let out = run_score(args(&[&trainer], true)).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let scored: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let xaa_figures = &scored["nodes"][0];
    assert_eq!(xaa_figures["node"], "node-xaa");
    assert_eq!(xaa_figures["runs"], 1);
    assert_eq!(xaa_figures["manifests_screened"], 1);
    assert_eq!(xaa_figures["unmatched_travellers"], 0);
    let wanted = &xaa_figures["wanted"];
    assert_eq!(wanted["expected"], worked.expected);
    assert_eq!(wanted["stopped"], worked.stopped);
    assert_eq!(wanted["missed"], 0);
    assert_eq!(wanted["not_screened"], worked.not_screened);
    assert_eq!(
        xaa_figures["hits"]["true"]["confirmed"],
        worked.true_confirmed
    );
    assert_eq!(xaa_figures["hits"]["true"]["not_reviewed"], 0);
    assert_eq!(xaa_figures["hits"]["false"]["raised"], worked.false_raised);
    assert_eq!(
        xaa_figures["hits"]["false"]["marked_false"],
        worked.false_rejected
    );
    assert_eq!(xaa_figures["hits"]["false"]["confirmed"], 0);
    let identified: BTreeSet<String> = xaa_figures["networks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["identified_members"].as_array().unwrap())
        .map(|m| m["identity"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(identified, worked.members);
    assert_eq!(xaa_figures["disclosures"]["requested"], 0);
    assert_eq!(xaa_figures["deadlines"]["status"], "not_applicable");

    // The score, from the weights in docs/exercises.md.
    let weights: Vec<(String, u64)> = truth["networks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["members"].as_array().unwrap())
        .map(|m| {
            let role = m["role"].as_str().unwrap();
            let weight = match role {
                "organiser" => 3,
                "lieutenant" => 2,
                _ => 1,
            };
            (m["identity"].as_str().unwrap().to_owned(), weight)
        })
        .collect();
    let total_weight: u64 = weights.iter().map(|(_, w)| w).sum();
    let found_weight: u64 = weights
        .iter()
        .filter(|(i, _)| worked.members.contains(i))
        .map(|(_, w)| w)
        .sum();
    let mut points = 50.0 * worked.stopped as f64 / worked.expected as f64
        + 25.0 * found_weight as f64 / total_weight as f64;
    let mut weight = 75.0;
    if worked.false_raised > 0 {
        points += 25.0 * worked.false_rejected as f64 / worked.false_raised as f64;
        weight += 25.0;
    }
    let expected_score = (points / weight * 1000.0).round() / 10.0;
    println!("{worked:?}: score {expected_score}");
    assert_eq!(xaa_figures["score"].as_f64().unwrap(), expected_score);
    assert_eq!(scored["overall"]["score"], xaa_figures["score"]);
    let warnings = scored["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .all(|w| w.as_str().unwrap().contains("was not read")),
        "{warnings:?}"
    );

    // Two tokens, one of each role, and the readable report.
    let auditor = test_node.token("auditor1", &[Role::Auditor]).await;
    let out = run_score(args(&[&auditor, &officer], false)).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "wanted travellers stopped: {} of {}",
            worked.stopped, worked.expected
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{expected_score:.1} / 100")),
        "{text}"
    );
    assert!(text.contains("deadlines met: not applicable yet"), "{text}");

    // A token that cannot read runs, and a node that is not the one named, are refused with the reason.
    let out = run_score(args(&[&auditor], false)).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("officer, analyst, supervisor, legal"),
        "{}",
        stderr(&out)
    );
    let mut wrong = args(&[&trainer], false);
    wrong[5] = format!("node-xbb={}", test_node.base);
    wrong[7] = format!("node-xbb={trainer}");
    let out = run_score(wrong).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is node-xaa, not node-xbb"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(&trainer), "a token is never printed");
}

async fn import(node: &liaison_server::Node, path: &Path) {
    let path = path.to_path_buf();
    let source = JsonLinesSource {
        name: path.display().to_string(),
        open: move || std::fs::File::open(&path).map(std::io::BufReader::new),
        total_bytes: None,
    };
    let report = records::import(
        node,
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
    assert_eq!(report.rejected, 0);
}

/// A network whose organiser and lieutenant are the sample's two persons, held by node-b.
const FEDERATED_TRUTH: &str = r#"{
  "liaison_scenario_ground_truth": 1, "exercise_date": "2026-12-01",
  "countries": [{"code": "XAA", "node": "node-a"}, {"code": "XBB", "node": "node-b"}],
  "identities": [
    {"id": "i1", "kind": "network_member", "records": [{"node": "node-b", "person": "p1"}]},
    {"id": "i2", "kind": "network_member", "records": [{"node": "node-b", "person": "p2"}]},
    {"id": "i3", "kind": "network_member", "records": [{"node": "node-b", "person": "p99"}]}
  ],
  "networks": [{"id": "n1", "kind": "drug_smuggling", "operation": "Operation Sample", "members": [
    {"identity": "i1", "role": "organiser"}, {"identity": "i2", "role": "lieutenant"}, {"identity": "i3", "role": "courier"}]}],
  "manifests": []
}"#;

async fn post_json(node: &crate::harness::TestNode, token: &str, path: &str, body: Value) -> Value {
    let response = node
        .http
        .post(node.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

async fn get_json(node: &crate::harness::TestNode, token: &str, path: &str) -> Value {
    node.http
        .get(node.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Polls until `check` holds, for at most 20 seconds.
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disclosure_requests_are_traced_to_network_members_across_two_nodes() {
    let nodes = crate::harness::spawn_federation(&[false, true]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let analyst = a.token("anna", &[Role::Analyst]).await;
    let supervisor_b = b.token("boris", &[Role::Supervisor]).await;
    let mut requests = Vec::new();
    for (name, birth) in [
        ("Wladimir Schtscherbakow", "1975-03-14"),
        ("Ahmad Al-Rashid", "1981"),
    ] {
        let found = post_json(
            a,
            &analyst,
            "/api/v1/screen",
            serde_json::json!({"query": {"names": [name], "birth_date": birth},
                               "purpose": "criminal_investigation", "scope": "federated"}),
        )
        .await;
        let hit_ref = found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["record"]["owner"] == "node-b")
            .and_then(|h| h["hit_ref"].as_str())
            .unwrap_or_else(|| panic!("node-b answers for {name}: {found}"))
            .to_owned();
        let created = post_json(
            a,
            &analyst,
            "/api/v1/disclosure-requests",
            serde_json::json!({"hit_ref": hit_ref, "purpose": "criminal_investigation",
                               "legal_basis": "Art. 3 Directive (EU) 2023/977"}),
        )
        .await;
        requests.push(created["id"].as_str().unwrap().to_owned());
    }
    // node-b approves the second request; the first stays pending.
    let approved = requests[1].clone();
    until("the request at node-b", || async {
        get_json(
            b,
            &supervisor_b,
            "/api/v1/disclosure-requests?direction=incoming",
        )
        .await
        .as_array()
        .is_some_and(|l| l.iter().any(|r| r["id"] == approved.as_str()))
    })
    .await;
    post_json(
        b,
        &supervisor_b,
        &format!("/api/v1/disclosure-requests/{approved}/approve"),
        serde_json::json!({}),
    )
    .await;
    until("the record at node-a", || async {
        get_json(
            a,
            &analyst,
            "/api/v1/disclosure-requests?direction=outgoing",
        )
        .await
        .as_array()
        .is_some_and(|l| {
            l.iter()
                .any(|r| r["id"] == approved.as_str() && r["state"] == "approved")
        })
    })
    .await;

    let dir = tempfile::tempdir().unwrap();
    let truth = dir.path().join("ground_truth.json");
    std::fs::write(&truth, FEDERATED_TRUTH).unwrap();
    let trainer_a = a.token("trainer", &[Role::Supervisor, Role::Auditor]).await;
    let trainer_b = b.token("trainer", &[Role::Supervisor, Role::Auditor]).await;
    let score_with = |read_b: bool| {
        let mut args = vec![
            "exercise".to_owned(),
            "score".into(),
            "--json".into(),
            "--ground-truth".into(),
            truth.display().to_string(),
            "--node".into(),
            format!("node-a={}", a.base),
            "--token".into(),
            format!("node-a={trainer_a}"),
        ];
        if read_b {
            args.extend([
                "--node".into(),
                format!("node-b={}", b.base),
                "--token".into(),
                format!("node-b={trainer_b}"),
            ]);
        }
        run_score(args)
    };

    // Both logs read: the pending request is traced through the search and node-b's answer.
    let out = score_with(true).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let scored: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let node_a = &scored["nodes"][0];
    assert_eq!(
        node_a["disclosures"],
        serde_json::json!({"requested": 2, "attributed": 2, "on_network_members": 2})
    );
    let members = &node_a["networks"][0];
    assert_eq!(members["identified"], 2, "{members}");
    assert_eq!(members["weight_identified"], 5);
    assert_eq!(members["weight"], 6);
    let by: Vec<(String, Value)> = members["identified_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["identity"].as_str().unwrap().to_owned(), m["by"].clone()))
        .collect();
    assert_eq!(
        by,
        vec![
            ("i1".into(), serde_json::json!(["disclosure_requested"])),
            ("i2".into(), serde_json::json!(["disclosure_requested"]))
        ]
    );
    // Only the network section has something to score: 5 of 6.
    assert_eq!(node_a["score"], 83.3);
    assert_eq!(node_a["sections"]["wanted"], Value::Null);
    assert_eq!(scored["overall"]["disclosures"]["requested"], 2);
    assert!(
        scored["warnings"].as_array().unwrap().is_empty(),
        "{scored}"
    );

    // node-a alone: its own log names the record it received; the pending request cannot be traced.
    let out = score_with(false).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let scored: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        scored["nodes"][0]["disclosures"],
        serde_json::json!({"requested": 2, "attributed": 1, "on_network_members": 1})
    );
    let warnings = scored["warnings"].to_string();
    assert!(
        warnings.contains("1 of 2 disclosure requests could not be traced"),
        "{warnings}"
    );
}
