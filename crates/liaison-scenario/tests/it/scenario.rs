use std::collections::{BTreeMap, BTreeSet};

use liaison_scenario::{ScenarioConfig, ScenarioError, countries, generate_to_dir};
use serde_json::Value;

use crate::helpers::{all_files, generate, read_records};

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = generate(11, 3, 300);
    let b = generate(11, 3, 300);
    let c = generate(12, 3, 300);
    let (fa, fb, fc) = (
        all_files(a.path()),
        all_files(b.path()),
        all_files(c.path()),
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(
            fb[path] == *bytes,
            "{} differs between two runs",
            path.display()
        );
    }
    let records = std::path::Path::new("records/xaa.jsonl");
    assert_ne!(fa[records], fc[records]);
    assert_ne!(
        fa[std::path::Path::new("ground_truth.json")],
        fc[std::path::Path::new("ground_truth.json")]
    );
}

#[test]
fn every_line_decodes_and_every_reference_resolves() {
    let g = generate(5, 4, 400);
    for country in &g.summary.countries {
        let path = g.path().join(&country.info.records_file);
        let file = read_records(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate().skip(1) {
            let value: Value = serde_json::from_str(line).unwrap();
            let decoded = liaison_proto::decode_value(&value)
                .unwrap_or_else(|e| panic!("{}: line {}: {e:?}\n{line}", path.display(), n + 1));
            assert!(
                decoded.warnings.is_empty(),
                "{}: line {}: {:?}",
                path.display(),
                n + 1,
                decoded.warnings
            );
            // The importer refuses records whose retention has passed.
            if let Some(retain) = decoded.record.meta().retain_until {
                assert!(
                    retain >= liaison_scenario::default_exercise_date() + chrono::Days::new(365),
                    "{}: line {}: retained only until {retain}",
                    path.display(),
                    n + 1
                );
            }
            for (field, reference) in decoded.record.references() {
                let kind = reference.record_type.as_str();
                assert!(
                    file.ids
                        .get(kind)
                        .is_some_and(|ids| ids.contains(reference.id.as_str())),
                    "{}: line {}: `{field}` refers to a missing {kind} {}",
                    path.display(),
                    n + 1,
                    reference.id
                );
            }
        }
        let counts = &country.counts;
        let count = |kind: &str| file.ids.get(kind).map(BTreeSet::len).unwrap_or(0) as u64;
        assert_eq!(count("person"), counts.persons);
        assert_eq!(count("document"), counts.documents);
        assert_eq!(count("vehicle"), counts.vehicles);
        assert_eq!(count("alert"), counts.alerts);
        assert_eq!(count("relation"), counts.relations);
        assert_eq!(count("case"), counts.cases);
        assert!(counts.persons > 400, "residents plus the planted cast");
        assert!(
            counts.cases >= 1,
            "{}: every country takes part in a network",
            country.info.code
        );
    }
}

#[test]
fn ground_truth_points_at_records_that_exist() {
    let g = generate(9, 3, 250);
    let truth = g.truth();
    let mut files = BTreeMap::new();
    for country in truth["countries"].as_array().unwrap() {
        let node = country["node"].as_str().unwrap().to_owned();
        files.insert(
            node,
            read_records(&g.path().join(country["records"].as_str().unwrap())),
        );
    }
    let exists = |node: &str, kind: &str, id: &str| {
        files[node]
            .ids
            .get(kind)
            .is_some_and(|ids| ids.contains(id))
    };
    let mut cross_border = 0;
    for identity in truth["identities"].as_array().unwrap() {
        let records = identity["records"].as_array().unwrap();
        if records.len() > 1 {
            cross_border += 1;
        }
        for record in records {
            let node = record["node"].as_str().unwrap();
            assert!(
                exists(node, "person", record["person"].as_str().unwrap()),
                "{record}"
            );
            for document in record["documents"].as_array().unwrap() {
                assert!(
                    exists(node, "document", document.as_str().unwrap()),
                    "{record}"
                );
            }
            for alert in record["alerts"].as_array().unwrap() {
                assert!(
                    exists(node, "alert", alert["id"].as_str().unwrap()),
                    "{record}"
                );
            }
        }
    }
    assert!(
        cross_border >= 10,
        "{cross_border} identities in several countries"
    );
    for network in truth["networks"].as_array().unwrap() {
        let homes: BTreeSet<&str> = network["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["home"].as_str().unwrap())
            .collect();
        assert_eq!(homes.len(), 3, "{} spans every country", network["id"]);
        for case in network["cases"].as_array().unwrap() {
            assert!(exists(
                case["node"].as_str().unwrap(),
                "case",
                case["case"].as_str().unwrap()
            ));
        }
        for vehicle in network["vehicles"].as_array().unwrap() {
            for record in vehicle["records"].as_array().unwrap() {
                assert!(exists(
                    record["node"].as_str().unwrap(),
                    "vehicle",
                    record["vehicle"].as_str().unwrap()
                ));
            }
        }
        assert!(!network["journeys"].as_array().unwrap().is_empty());
    }
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for manifest in truth["manifests"].as_array().unwrap() {
        for traveller in manifest["travellers"].as_array().unwrap() {
            let expected = traveller["expected"].as_str().unwrap().to_owned();
            let targets = traveller["targets"].as_array().unwrap();
            if expected == "honest" {
                assert!(targets.is_empty());
                if let Some(node) = traveller["resident"]["node"].as_str() {
                    assert!(exists(
                        node,
                        "person",
                        traveller["resident"]["person"].as_str().unwrap()
                    ));
                }
            } else {
                assert!(!targets.is_empty(), "{traveller}");
            }
            for target in targets {
                assert!(
                    exists(
                        target["node"].as_str().unwrap(),
                        target["type"].as_str().unwrap(),
                        target["id"].as_str().unwrap()
                    ),
                    "{target}"
                );
            }
            *reasons.entry(expected).or_default() += 1;
        }
    }
    for reason in ["wanted_person", "stolen_document", "both", "honest"] {
        assert!(
            reasons.get(reason).copied().unwrap_or(0) > 0,
            "{reason}: {reasons:?}"
        );
    }
    assert!(reasons["honest"] > 10 * reasons["wanted_person"]);
}

/// ICAO 9303 check digit (7-3-1 weights; `<` is 0, letters 10..35).
fn check_digit(field: &str) -> char {
    let sum: u32 = field
        .bytes()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(b, w)| {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

#[test]
fn every_machine_readable_zone_has_correct_check_digits() {
    let g = generate(3, 3, 200);
    let truth = g.truth();
    let mut checked = 0;
    for manifest in truth["manifests"].as_array().unwrap() {
        for traveller in manifest["travellers"].as_array().unwrap() {
            let lines: Vec<&str> = traveller["mrz"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            assert_eq!(lines.len(), 2);
            let (l1, l2) = (lines[0], lines[1]);
            assert_eq!((l1.len(), l2.len()), (44, 44), "{l1}\n{l2}");
            assert!(l1.starts_with("P<"));
            let number = traveller["document"]["number"].as_str().unwrap();
            assert_eq!(l2[..9].trim_end_matches('<'), number);
            assert_eq!(l2.as_bytes()[9] as char, check_digit(&l2[..9]));
            assert_eq!(l2.as_bytes()[19] as char, check_digit(&l2[13..19]));
            assert_eq!(l2.as_bytes()[27] as char, check_digit(&l2[21..27]));
            let composite = format!("{}{}{}", &l2[..10], &l2[13..20], &l2[21..43]);
            assert_eq!(l2.as_bytes()[43] as char, check_digit(&composite));
            let surname = traveller["surname"].as_str().unwrap().replace(' ', "<");
            assert!(
                l1[5..].starts_with(&surname[..surname.len().min(39)]),
                "{l1} {surname}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100);
}

#[test]
fn manifests_agree_with_the_ground_truth() {
    let g = generate(21, 2, 200);
    let truth = g.truth();
    for manifest in truth["manifests"].as_array().unwrap() {
        let travellers = manifest["travellers"].as_array().unwrap();
        let paxlst =
            std::fs::read_to_string(g.path().join(manifest["paxlst"].as_str().unwrap())).unwrap();
        let segments: Vec<&str> = paxlst.split("'\n").filter(|s| !s.is_empty()).collect();
        let names: Vec<&str> = segments
            .iter()
            .filter(|s| s.starts_with("NAD+FL"))
            .copied()
            .collect();
        assert_eq!(names.len(), travellers.len());
        for (segment, traveller) in names.iter().zip(travellers) {
            let expected = format!(
                "NAD+FL+++{}:{}",
                traveller["surname"].as_str().unwrap(),
                traveller["given_names"].as_str().unwrap()
            );
            assert_eq!(*segment, expected);
        }
        // UNT counts the segments from UNH to UNT.
        for text in [
            &paxlst,
            &std::fs::read_to_string(g.path().join(manifest["pnrgov"].as_str().unwrap())).unwrap(),
        ] {
            let segments: Vec<&str> = text.split("'\n").filter(|s| !s.is_empty()).collect();
            let unh = segments.iter().position(|s| s.starts_with("UNH+")).unwrap();
            let unt = segments.iter().position(|s| s.starts_with("UNT+")).unwrap();
            let count: usize = segments[unt].split('+').nth(1).unwrap().parse().unwrap();
            assert_eq!(count, unt - unh + 1);
        }
    }
}

#[test]
fn one_country_and_the_largest_scenario_shape_work() {
    let g = generate(1, 1, 10);
    assert_eq!(g.summary.countries.len(), 1);
    assert!(!g.summary.manifests.is_empty());
    assert!(g.summary.planted_hits() > 0);
    let all = countries(&ScenarioConfig::new(1, 26, 10)).unwrap();
    let codes: Vec<&str> = all.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes[..3], ["XAA", "XBB", "XCC"]);
    assert_eq!(codes[25], "XZZ");
    for c in &all {
        assert!(liaison_core::CountryCode::parse(&c.code).is_ok());
        assert!(liaison_core::NodeId::parse(&c.node_id).is_ok());
    }
    let scripts: BTreeSet<&str> = all.iter().map(|c| c.script.as_str()).collect();
    assert!(scripts.len() >= 8, "{scripts:?}");
}

#[test]
fn configuration_errors_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    for (config, field) in [
        (ScenarioConfig::new(1, 0, 100), "countries"),
        (ScenarioConfig::new(1, 27, 100), "countries"),
        (ScenarioConfig::new(1, 3, 9), "persons"),
    ] {
        match generate_to_dir(&config, dir.path(), &mut |_| {}) {
            Err(ScenarioError::Config { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn refuses_a_foreign_directory_and_replaces_a_previous_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let error =
        generate_to_dir(&ScenarioConfig::new(1, 2, 20), dir.path(), &mut |_| {}).unwrap_err();
    assert!(
        matches!(error, ScenarioError::TargetNotEmpty { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("notes.txt"), "{error}");
    assert!(dir.path().join("notes.txt").exists());

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new/scenario");
    generate_to_dir(&ScenarioConfig::new(1, 3, 20), &target, &mut |_| {}).unwrap();
    assert!(target.join("records/xcc.jsonl").exists());
    let mut events = Vec::new();
    generate_to_dir(&ScenarioConfig::new(2, 2, 20), &target, &mut |p| {
        events.push(p)
    })
    .unwrap();
    assert!(
        !target.join("records/xcc.jsonl").exists(),
        "files of the previous scenario are removed"
    );
    assert!(target.join("records/xbb.jsonl").exists());
    assert!(matches!(
        events.last(),
        Some(liaison_scenario::Progress::Finished)
    ));
    let leftovers: Vec<_> = all_files(&target)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
