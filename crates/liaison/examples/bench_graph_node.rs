//! Link analysis on a node with a large synthetic store: how long the entity graph takes to build from the
//! store, how much memory it holds, and how long the analysts' questions take on it.
//!
//! ```text
//! cargo run --release -p liaison --example bench_graph_node -- --records 1000000
//! ```
//!
//! The store is filled directly (bypassing the importer, whose speed is measured elsewhere) with a
//! deterministic mix: 50% persons (a phone from a pool that some share, an e-mail, a household address),
//! 20% documents held by persons, 5% vehicles, 20% relations (associates, vehicle users), 4% alerts on
//! persons and 1% cases of 5 to 20 persons. With `--identities` the node's matching index is built and
//! identities resolved (skipped by the node above 200,000 persons).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use liaison_core::{CountryCode, NodeId, RecordType};
use liaison_server::services::Caller;
use liaison_server::services::graph::{
    self, CommunityParams, KeyPlayerParams, NeighbourhoodParams,
};
use liaison_server::services::records::AccessReason;
use liaison_server::{Node, NodeSettings, SystemClock};
use liaison_store::StoredRecord;

#[derive(Debug, Parser)]
#[command(about = "Builds the entity graph of a synthetic store and times link analysis on it")]
struct Args {
    /// Records in the store.
    #[arg(long, default_value_t = 1_000_000)]
    records: u64,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// The SQLite file (created and filled when missing; reused otherwise).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Build the matching index and resolve identities.
    #[arg(long)]
    identities: bool,
}

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const GIVEN: &[&str] = &[
    "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Irina", "Jonas",
    "Karim", "Lena", "Marek", "Nadia", "Oskar", "Petra", "Rami", "Sofia", "Tomas", "Yusuf",
];
const FAMILY: &[&str] = &[
    "Novak", "Petrov", "Haddad", "Keller", "Rossi", "Ivanova", "Mansour", "Schmidt", "Kowalski",
    "Dubois", "Horvat", "Yilmaz", "Popescu", "Nielsen", "Santos", "Weber", "Fischer", "Aziz",
];

fn stored(record_type: RecordType, id: String, body: serde_json::Value) -> StoredRecord {
    StoredRecord {
        record_type,
        id,
        owner: "node-bench".into(),
        handling_code: "H1".into(),
        retain_until: None,
        references: Vec::new(),
        body: body.to_string(),
    }
}

/// The `i`-th synthetic record.
fn record(i: u64, persons: u64, vehicles: u64, rng: &mut SplitMix64) -> StoredRecord {
    let handling = serde_json::json!({"code": "H1", "distribution": "partners"});
    let person = |rng: &mut SplitMix64| format!("p{}", rng.below(persons) + 1);
    match i % 100 {
        0..50 => {
            let n = i / 100 * 50 + i % 100 + 1;
            let given = GIVEN[rng.below(GIVEN.len() as u64) as usize];
            let family = FAMILY[rng.below(FAMILY.len() as u64) as usize];
            let phone = format!("+49 30 {:07}", rng.below(persons * 4 / 5));
            let address = format!(
                "{} Long Street, Town {}",
                rng.below(200) + 1,
                rng.below(persons / 600 + 1)
            );
            stored(
                RecordType::Person,
                format!("p{n}"),
                serde_json::json!({"type": "person", "id": format!("p{n}"),
                    "names": [{"full": format!("{given} {family}"), "given": given, "family": family, "kind": "primary"}],
                    "birth_dates": [format!("{}-{:02}-{:02}", 1950 + rng.below(55), rng.below(12) + 1, rng.below(28) + 1)],
                    "nationalities": ["XAA"],
                    "identifiers": [{"kind": "phone", "value": phone},
                        {"kind": "email", "value": format!("{}.{}{n}@mail.example", given.to_lowercase(), family.to_lowercase())},
                        {"kind": "address", "value": address}],
                    "handling": handling, "owner": "node-bench"}),
            )
        }
        50..70 => stored(
            RecordType::Document,
            format!("d{i}"),
            serde_json::json!({"type": "document", "id": format!("d{i}"), "kind": "P",
                "number": format!("X{i:09}"), "issuing_country": "XAA", "holder": person(rng),
                "status": if rng.below(50) == 0 { "stolen" } else { "valid" },
                "handling": handling, "owner": "node-bench"}),
        ),
        70..75 => stored(
            RecordType::Vehicle,
            format!("v{}", i / 100 * 5 + i % 100 - 70 + 1),
            serde_json::json!({"type": "vehicle", "id": format!("v{}", i / 100 * 5 + i % 100 - 70 + 1),
                "plate": format!("B-{:06}", i), "status": "registered",
                "handling": handling, "owner": "node-bench"}),
        ),
        75..95 => {
            let (to, kind) = if rng.below(4) == 0 {
                (
                    serde_json::json!({"type": "vehicle", "id": format!("v{}", rng.below(vehicles) + 1)}),
                    "uses",
                )
            } else {
                (serde_json::json!(person(rng)), "associate")
            };
            stored(
                RecordType::Relation,
                format!("r{i}"),
                serde_json::json!({"type": "relation", "id": format!("r{i}"), "from": person(rng),
                    "to": to, "kind": kind, "handling": handling, "owner": "node-bench"}),
            )
        }
        95..99 => stored(
            RecordType::Alert,
            format!("a{i}"),
            serde_json::json!({"type": "alert", "id": format!("a{i}"), "category": "discreet_check",
                "subject": person(rng), "handling": handling, "owner": "node-bench"}),
        ),
        _ => {
            let members: Vec<String> = (0..5 + rng.below(16)).map(|_| person(rng)).collect();
            stored(
                RecordType::Case,
                format!("c{i}"),
                serde_json::json!({"type": "case", "id": format!("c{i}"), "title": format!("Operation {i}"),
                    "entities": members, "handling": handling, "owner": "node-bench"}),
            )
        }
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let db = args
        .db
        .clone()
        .unwrap_or_else(|| dir.path().join("graph-bench.sqlite"));
    let fresh = !db.exists();
    let store = liaison_store::open(&format!("sqlite://{}", db.display()))
        .await
        .context("opening the store")?;
    let mut node = Node {
        id: NodeId::parse("node-bench")?,
        country: CountryCode::parse("XAA")?,
        store,
        clock: Arc::new(SystemClock),
        settings: NodeSettings::default(),
        screening: None,
        federation: None,
        graph: Default::default(),
    };
    if fresh {
        let started = Instant::now();
        let persons = (args.records / 2).max(1);
        let vehicles = (args.records / 20).max(1);
        let mut rng = SplitMix64(args.seed);
        let mut batch = Vec::with_capacity(10_000);
        for i in 0..args.records {
            batch.push(record(i, persons, vehicles, &mut rng));
            if batch.len() == 10_000 {
                node.store.put_records(&batch, node.now()).await?;
                batch.clear();
            }
        }
        node.store.put_records(&batch, node.now()).await?;
        println!(
            "stored {} records in {:.1} s",
            args.records,
            started.elapsed().as_secs_f64()
        );
    }
    if args.identities {
        let started = Instant::now();
        node.screening = Some(Arc::new(
            liaison_server::services::screening::ScreeningIndex::build(node.store.as_ref()).await?,
        ));
        println!(
            "matching index built in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }

    let built = graph::build_graph(&node).await?;
    let s = built.stats;
    println!(
        "graph build: {:.2} s (records read and added {:.2} s, identities {:.2} s): {} records, {} persons, \
         {} entities, {} links, {} identities, graph {:.0} MB; {}",
        s.seconds,
        s.records_seconds,
        s.identity_seconds,
        s.records,
        s.persons,
        s.nodes,
        s.edges,
        s.identities,
        s.memory_bytes as f64 / 1e6,
        built
            .identity_note
            .as_deref()
            .unwrap_or("identities resolved")
    );
    drop(built);

    let caller = Caller::cli();
    let reason = AccessReason {
        purpose: Some("criminal_investigation".into()),
        case_ref: None,
    };
    // The first question builds the node's cached graph; the others reuse it.
    let started = Instant::now();
    let hood = graph::neighbourhood(
        &node,
        &caller,
        "person",
        "p1",
        &NeighbourhoodParams::default(),
        &reason,
    )
    .await?;
    println!(
        "first question (cached graph built): {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let hood2 = graph::neighbourhood(
        &node,
        &caller,
        "person",
        "p2",
        &NeighbourhoodParams {
            hops: Some("3".into()),
            ..NeighbourhoodParams::default()
        },
        &reason,
    )
    .await?;
    println!(
        "neighbourhood of person/p2, 3 hops: {:.3} s, {} entities{} (person/p1, 2 hops: {})",
        started.elapsed().as_secs_f64(),
        hood2.nodes.len(),
        if hood2.truncated {
            ", truncated at 500"
        } else {
            ""
        },
        hood.nodes.len()
    );
    let started = Instant::now();
    let paths = graph::paths(
        &node,
        &caller,
        &graph::PathParams {
            from: Some("person/p1".into()),
            to: Some("person/p2".into()),
            ..graph::PathParams::default()
        },
        &reason,
    )
    .await?;
    println!(
        "paths person/p1 to person/p2 (at most 4 links): {:.3} s, {} paths",
        started.elapsed().as_secs_f64(),
        paths.paths.len()
    );
    let started = Instant::now();
    let players = graph::key_players(
        &node,
        &caller,
        &KeyPlayerParams {
            limit: Some("10".into()),
            ..KeyPlayerParams::default()
        },
        &reason,
    )
    .await?;
    println!(
        "key players (10, whole graph): {:.2} s over {} actors, fragmentation {:.4} -> {:.4}",
        started.elapsed().as_secs_f64(),
        players.nodes,
        players.fragmentation_before,
        players.fragmentation_after
    );
    let started = Instant::now();
    let communities =
        graph::communities(&node, &caller, &CommunityParams::default(), &reason).await?;
    println!(
        "communities: {:.2} s, {} of two or more, modularity {:.3}",
        started.elapsed().as_secs_f64(),
        communities.count,
        communities.modularity
    );
    let started = Instant::now();
    let export = graph::export(&node, &caller, Some("graphml"), None, &reason).await?;
    println!(
        "GraphML export: {:.2} s, {:.0} MB",
        started.elapsed().as_secs_f64(),
        export.body.len() as f64 / 1e6
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak resident memory: {mb:.0} MB");
    }
    Ok(())
}
