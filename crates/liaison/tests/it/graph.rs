//! Link analysis on an analyst's node that holds a generated exercise's records of all three countries (its
//! own, and its partners' as they are kept after disclosures): the planted organisers come out as key
//! players, a courier's neighbourhood reaches the shared phone and the organiser, a path joins them, the
//! export is a graph file listing every entity, identities can be split, and every route wants a purpose.
//!
//! `LIAISON_GRAPH_PERSONS` (default 1,000 per country) and `LIAISON_GRAPH_SEED` (default 7) size the run;
//! the figures in docs/link-analysis.md come from this test (`-- --nocapture`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use liaison_core::{CountryCode, NodeId, Role};
use liaison_scenario::{ScenarioConfig, generate_to_dir};
use liaison_server::services::Caller;
use liaison_server::services::border::{self, ManifestRequest};
use liaison_server::services::records::{
    self, AccessReason, CollectIssues, ImportOptions, JsonLinesSource,
};
use liaison_server::services::screening::ScreeningIndex;
use liaison_server::{Node, NodeSettings};
use liaison_store::StoredRecord;
use serde_json::Value;

use crate::harness::TestClock;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A partner's records as this node keeps them once disclosed: `<partner>:<id>`, owned by the partner,
/// their references still in the partner's own ids.
async fn keep_partner_records(node: &Node, partner: &str, file: &Path) -> u64 {
    let text = std::fs::read_to_string(file).unwrap();
    let mut batch = Vec::new();
    let mut kept = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut record: Value = serde_json::from_str(line).unwrap();
        let Some(id) = record["id"].as_str().map(str::to_owned) else {
            continue;
        };
        let record_type =
            liaison_core::RecordType::parse(record["type"].as_str().unwrap()).unwrap();
        let foreign = format!("{partner}:{id}");
        record["id"] = Value::String(foreign.clone());
        record["owner"] = Value::String(partner.to_owned());
        batch.push(StoredRecord {
            record_type,
            id: foreign,
            owner: partner.to_owned(),
            handling_code: record["handling"]["code"]
                .as_str()
                .unwrap_or("H1")
                .to_owned(),
            retain_until: None,
            references: Vec::new(),
            body: record.to_string(),
        });
        if batch.len() == 5_000 {
            node.store.put_records(&batch, node.now()).await.unwrap();
            kept += batch.len() as u64;
            batch.clear();
        }
    }
    node.store.put_records(&batch, node.now()).await.unwrap();
    kept + batch.len() as u64
}

struct Served {
    node: Node,
    base: String,
    http: reqwest::Client,
}

impl Served {
    async fn token(&self, username: &str, roles: &[Role]) -> String {
        liaison_server::services::users::create_user(
            &self.node,
            &Caller::cli(),
            username,
            roles,
            Some("a long enough password"),
        )
        .await
        .unwrap();
        let (_, token) = liaison_server::services::users::create_token(
            &self.node,
            &Caller::cli(),
            username,
            None,
        )
        .await
        .unwrap();
        token.expose().to_owned()
    }

    async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// The graph id of a record named in the ground truth from the analyst node's point of view.
fn graph_id(analyst: &str, node: &str, id: &str) -> String {
    if node == analyst {
        id.to_owned()
    } else {
        format!("{node}:{id}")
    }
}

/// Percent-encodes a path segment or query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Checks that `xml` is well formed as far as elements go (every start tag closed in order) and returns the
/// root element's name.
fn xml_root(xml: &str) -> String {
    let mut stack: Vec<String> = Vec::new();
    let mut root = None;
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').expect("a tag is closed");
        let tag = &after[..close];
        rest = &after[close + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.trim()), "tags nest");
            continue;
        }
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap()
            .to_owned();
        root.get_or_insert_with(|| name.clone());
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    root.expect("a root element")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_analysis_finds_the_planted_networks() {
    liaison_crypto::install_crypto_provider();
    let persons = env_or("LIAISON_GRAPH_PERSONS", 1_000) as usize;
    let seed = env_or("LIAISON_GRAPH_SEED", 7);
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

    // The analyst's node is the first country's; it holds its own records and its partners'.
    let own = &summary.countries[0].info;
    let analyst = own.node_id.clone();
    let url = format!("sqlite://{}", dir.path().join("analyst.sqlite").display());
    let mut node = Node {
        id: NodeId::parse(&analyst).unwrap(),
        country: CountryCode::parse(&own.code).unwrap(),
        store: liaison_store::open(&url).await.unwrap(),
        clock: Arc::new(TestClock::at(
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        )),
        settings: NodeSettings {
            secure_cookies: false,
            ..NodeSettings::default()
        },
        screening: None,
        federation: None,
        graph: Default::default(),
    };
    let path = scenario_dir.join(&own.records_file);
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
    assert_eq!(report.rejected, 0);
    let mut total = report.imported;
    for country in &summary.countries[1..] {
        total += keep_partner_records(
            &node,
            &country.info.node_id,
            &scenario_dir.join(&country.info.records_file),
        )
        .await;
    }
    node.screening = Some(Arc::new(
        ScreeningIndex::build(node.store.as_ref()).await.unwrap(),
    ));

    let built = liaison_server::services::graph::build_graph(&node)
        .await
        .unwrap();
    let stats = built.stats;
    println!(
        "graph of {total} records: {} entities, {} links, {} identities, built in {:.2} s \
         (records {:.2} s, identities {:.2} s), {:.1} MB",
        stats.nodes,
        stats.edges,
        stats.identities,
        stats.seconds,
        stats.records_seconds,
        stats.identity_seconds,
        stats.memory_bytes as f64 / 1e6
    );
    drop(built);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served_node = node.clone();
    tokio::spawn(async move {
        liaison_server::http::serve(listener, served_node, std::future::pending()).await
    });
    let served = Served {
        node,
        base,
        http: reqwest::Client::new(),
    };
    let analyst_token = served.token("ana", &[Role::Analyst]).await;
    let officer_token = served.token("olaf", &[Role::Officer]).await;

    // Who was planted, by role, with their records as the analyst's node names them.
    let mut records_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut role_of: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut phones_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for identity in truth["identities"].as_array().unwrap() {
        let key = identity["id"].as_str().unwrap().to_owned();
        let records: Vec<String> = identity["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                graph_id(
                    &analyst,
                    r["node"].as_str().unwrap(),
                    r["person"].as_str().unwrap(),
                )
            })
            .collect();
        records_of.insert(key.clone(), records);
        if let (Some(network), Some(role)) =
            (identity["network"].as_str(), identity["role"].as_str())
        {
            role_of.insert(key.clone(), (network.to_owned(), role.to_owned()));
        }
        phones_of.insert(
            key,
            identity["phones"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned())
                .collect(),
        );
    }
    let organisers: Vec<(String, String)> = role_of
        .iter()
        .filter(|(_, (_, role))| role == "organiser")
        .map(|(key, (network, _))| (key.clone(), network.clone()))
        .collect();
    assert_eq!(organisers.len(), 2, "the scenario plants two networks");

    // Key players of the whole graph, persons eligible.
    let (status, body) = served
        .get(
            &analyst_token,
            "/api/v1/graph/key-players?limit=5&purpose=exercise",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ranked: Vec<String> = body["key_players"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            assert_eq!(k["type"], "person");
            k["id"].as_str().unwrap().to_owned()
        })
        .collect();
    println!("key players: {ranked:?}");
    for id in &ranked {
        let who = records_of
            .iter()
            .find(|(_, records)| records.contains(id))
            .map(|(key, _)| (key.clone(), role_of.get(key).cloned()));
        println!("  {id}: {who:?}");
    }
    for k in body["key_players"].as_array().unwrap() {
        println!("  {k}");
    }
    println!(
        "fragmentation {} -> {} over {} entities",
        body["fragmentation_before"], body["fragmentation_after"], body["nodes"]
    );
    for (organiser, network) in &organisers {
        let rank = ranked
            .iter()
            .position(|id| records_of[organiser].contains(id))
            .map(|r| r + 1);
        println!(
            "organiser {organiser} of {network} ({} records): rank {rank:?}",
            records_of[organiser].len()
        );
        assert!(
            rank.is_some(),
            "organiser {organiser} of {network} is among the top 5: {ranked:?}"
        );
    }

    // A courier of the drug ring: its shared phone and its organiser are in its neighbourhood, and a path
    // joins it to the organiser.
    let (courier, (network, _)) = role_of
        .iter()
        .find(|(key, (_, role))| {
            role == "courier" && records_of[*key].iter().any(|r| !r.contains(':'))
        })
        .or_else(|| role_of.iter().find(|(_, (_, role))| role == "courier"))
        .unwrap();
    let courier_record = records_of[courier]
        .iter()
        .find(|r| !r.contains(':'))
        .unwrap_or(&records_of[courier][0])
        .clone();
    let organiser = &organisers.iter().find(|(_, n)| n == network).unwrap().0;
    let (status, hood) = served
        .get(
            &analyst_token,
            &format!(
                "/api/v1/graph/neighbourhood/person/{}?hops=3&purpose=exercise",
                encode(&courier_record)
            ),
        )
        .await;
    assert_eq!(status, 200, "{hood}");
    let nodes = hood["nodes"].as_array().unwrap();
    let shared_phone = phones_of[courier]
        .iter()
        .skip(1)
        .map(|p| liaison_server::services::graph::normalise_phone(p).unwrap())
        .next()
        .unwrap();
    let phone = nodes
        .iter()
        .find(|n| n["type"] == "phone" && n["id"] == shared_phone.as_str())
        .unwrap_or_else(|| panic!("the shared phone {shared_phone} is in the neighbourhood"));
    assert_eq!(phone["hops"], 1);
    let organiser_hops = nodes
        .iter()
        .filter(|n| {
            n["type"] == "person"
                && records_of[organiser].contains(&n["id"].as_str().unwrap().to_owned())
        })
        .map(|n| n["hops"].as_u64().unwrap())
        .min();
    println!("courier {courier_record}: organiser {organiser} at {organiser_hops:?} hops");
    assert!(
        organiser_hops.is_some_and(|h| (1..=3).contains(&h)),
        "the organiser is within 3 hops of the courier"
    );
    assert!(
        hood["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "shares_identifier")
    );
    let organiser_record = records_of[organiser][0].clone();
    let (status, found) = served
        .get(
            &analyst_token,
            &format!(
                "/api/v1/graph/paths?from=person/{}&to=person/{}&max_length=4&purpose=exercise",
                encode(&courier_record),
                encode(&organiser_record)
            ),
        )
        .await;
    assert_eq!(status, 200, "{found}");
    let paths = found["paths"].as_array().unwrap();
    assert!(
        !paths.is_empty(),
        "a path joins the courier to the organiser"
    );
    let lengths: Vec<usize> = paths.iter().map(|p| p.as_array().unwrap().len()).collect();
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "shortest first");
    assert_eq!(paths[0][0]["id"], courier_record.as_str());
    println!(
        "courier to organiser: {} paths, shortest {} links",
        paths.len(),
        lengths[0] - 1
    );

    // The case of the network narrows the question to the network and what is around it.
    let case_id = truth["networks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == network.as_str())
        .and_then(|n| {
            n["cases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["node"] == analyst.as_str())
        })
        .map(|c| c["case"].as_str().unwrap().to_owned());
    if let Some(case_id) = case_id {
        let (status, body) = served
            .get(
                &analyst_token,
                &format!(
                    "/api/v1/graph/key-players?limit=5&case={}&purpose=exercise",
                    encode(&case_id)
                ),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let ranked: Vec<&str> = body["key_players"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].as_str().unwrap())
            .collect();
        let rank = ranked
            .iter()
            .position(|id| records_of[organiser].contains(&(*id).to_owned()));
        println!(
            "case {case_id} ({} entities): organiser at rank {:?}",
            body["nodes"],
            rank.map(|r| r + 1)
        );
    }

    // Identities: the cast is recorded in several countries.
    let (status, identities) = served
        .get(&analyst_token, "/api/v1/graph/identities?purpose=exercise")
        .await;
    assert_eq!(status, 200, "{identities}");
    let groups = identities["identities"].as_array().unwrap();
    println!(
        "{} identities over {} persons",
        groups.len(),
        identities["persons"]
    );
    assert!(
        !groups.is_empty(),
        "records of one person in several countries are found"
    );
    let group = &groups[0];
    assert!(group["evidence"][0]["score"].as_f64().unwrap() >= 0.95);
    assert!(
        !group["evidence"][0]["explanation"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let split_off = group["records"][1]["id"].as_str().unwrap().to_owned();
    let (status, decided) = served
        .post(
            &analyst_token,
            &format!(
                "/api/v1/graph/identities/{}/split?purpose=exercise",
                encode(group["id"].as_str().unwrap())
            ),
            serde_json::json!({"records": [format!("person/{split_off}")], "reason": "different fathers"}),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    let (_, after) = served
        .get(&analyst_token, "/api/v1/graph/identities?purpose=exercise")
        .await;
    for g in after["identities"].as_array().unwrap() {
        let ids: Vec<&str> = g["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        if ids.contains(&split_off.as_str()) {
            assert!(
                !ids.contains(&group["id"].as_str().unwrap()),
                "a split pair is not joined again"
            );
        }
    }
    let (status, refused) = served
        .post(
            &analyst_token,
            "/api/v1/graph/identities/nobody/confirm?purpose=exercise",
            serde_json::json!({"records": [], "reason": "same"}),
        )
        .await;
    assert_eq!(status, 404, "{refused}");

    // A manifest of a network journey, screened here, adds co-travellers once the graph is rebuilt.
    let journey = truth["networks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["journeys"].as_array().unwrap().iter())
        .find(|j| j["travellers"].as_array().unwrap().len() > 1);
    if let Some(journey) = journey {
        let flight = journey["flight"].as_str().unwrap();
        let manifest = truth["manifests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["flight"] == flight)
            .unwrap();
        let bytes = std::fs::read(scenario_dir.join(manifest["pnrgov"].as_str().unwrap())).unwrap();
        let report = border::screen_manifest(
            &served.node,
            &Caller::cli(),
            &bytes,
            &ManifestRequest::default(),
            &AccessReason {
                purpose: Some("exercise".into()),
                case_ref: None,
            },
        )
        .await
        .unwrap();
        assert!(report.travellers.iter().any(|t| t.booking.is_some()));
        let response = served
            .http
            .get(format!(
                "{}/api/v1/graph/export?format=graphml&purpose=exercise",
                served.base
            ))
            .bearer_auth(&analyst_token)
            .send()
            .await
            .unwrap();
        let xml = response.text().await.unwrap();
        let travelled = xml
            .lines()
            .filter(|l| l.contains(">travelled_with<") && l.contains(flight))
            .count();
        println!("flight {flight}: {travelled} co-travel links");
        assert!(travelled > 0, "travellers on one booking are linked");
    }

    // The export: a GraphML file with every entity, a GEXF one too.
    let entities = liaison_server::services::graph::build_graph(&served.node)
        .await
        .unwrap()
        .stats
        .nodes as usize;
    for (format, root, content_type) in [
        ("graphml", "graphml", "application/graphml+xml"),
        ("gexf", "gexf", "application/gexf+xml"),
    ] {
        let response = served
            .http
            .get(format!(
                "{}/api/v1/graph/export?format={format}&purpose=exercise",
                served.base
            ))
            .bearer_auth(&analyst_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type)
        );
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"graph-")
                && disposition.ends_with(&format!(".{format}\"")),
            "{disposition}"
        );
        let xml = response.text().await.unwrap();
        assert_eq!(xml_root(&xml), root);
        let listed = xml.matches("<node id=").count();
        assert_eq!(listed, entities, "{format} lists every entity");
    }

    // Refusals: no purpose, a bad parameter, an unknown entity, an officer.
    let (status, problem) = served
        .get(&analyst_token, "/api/v1/graph/key-players?limit=5")
        .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["pointer"], "purpose");
    let (status, problem) = served
        .get(
            &analyst_token,
            "/api/v1/graph/neighbourhood/person/p1?hops=many&purpose=exercise",
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["pointer"], "hops");
    let (status, problem) = served
        .get(
            &analyst_token,
            "/api/v1/graph/neighbourhood/person/nobody?purpose=exercise",
        )
        .await;
    assert_eq!(status, 404);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("person/nobody")
    );
    let (status, problem) = served
        .get(
            &analyst_token,
            "/api/v1/graph/neighbourhood/planet/mars?purpose=exercise",
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["pointer"], "type");
    let (status, _) = served
        .get(
            &analyst_token,
            "/api/v1/graph/export?format=pdf&purpose=exercise",
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = served
        .get(
            &officer_token,
            "/api/v1/graph/key-players?purpose=border_check",
        )
        .await;
    assert_eq!(status, 403);

    // The routes and their bodies are in the OpenAPI document.
    let spec: Value = served
        .http
        .get(format!("{}/api/v1/openapi.json", served.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/graph/neighbourhood/{type}/{id}",
        "/api/v1/graph/paths",
        "/api/v1/graph/key-players",
        "/api/v1/graph/communities",
        "/api/v1/graph/export",
        "/api/v1/graph/identities",
        "/api/v1/graph/identities/{id}/confirm",
        "/api/v1/graph/identities/{id}/split",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is documented");
    }
    for schema in ["NeighbourhoodBody", "KeyPlayersBody", "IdentitiesBody"] {
        assert!(
            spec["components"]["schemas"].get(schema).is_some(),
            "{schema} is documented"
        );
    }

    // Every question is in the audit log with its purpose.
    let entries = served.node.store.audit_page(0, 100_000).await.unwrap();
    let graph_entries: Vec<_> = entries
        .iter()
        .filter(|e| e.action.starts_with("graph."))
        .collect();
    let answered: Vec<_> = graph_entries.iter().filter(|e| e.outcome == "ok").collect();
    assert!(answered.len() >= 8);
    assert!(
        answered
            .iter()
            .all(|e| e.purpose.as_deref() == Some("exercise") && !e.objects.is_empty())
    );
    assert!(
        graph_entries
            .iter()
            .any(|e| e.action == "graph.identity_split"
                && e.objects.contains(&format!("person/{split_off}")))
    );
    assert!(
        graph_entries
            .iter()
            .any(|e| e.outcome == "denied" && e.actor.starts_with("olaf"))
    );
    assert!(
        graph_entries
            .iter()
            .any(|e| e.action == "graph.key_players" && e.outcome == "refused")
    );
}
