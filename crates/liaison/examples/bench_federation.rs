//! Federation on loopback: durable message delivery between two nodes, and federated step-1 search
//! latency across three.
//!
//! ```text
//! cargo run --release -p liaison --example bench_federation -- delivery --messages 5000
//! cargo run --release -p liaison --example bench_federation -- search --persons 1000000 --queries 1000 \
//!     --dir "$TMPDIR/fed-bench"
//! ```
//!
//! Every node is in this process, each with its own SQLite database, TLS identity and signing key, served
//! on 127.0.0.1 with the production federation listener (mutual TLS, pinned certificates) and outbox
//! worker; the nodes are partners of each other under an agreement allowing border checks and
//! investigations at the highest rate an agreement may set.
//!
//! `delivery`: free-text messages from `node-a` to `node-b` through `services::messages::send` (role check,
//! audit entry, signed envelope stored in the outbox). Two rounds: *drain*, where the messages are queued
//! before node-a's outbox worker starts and the worker then delivers them all (each one an HTTPS post, the
//! partner's checks, inbox row, audit entry and signed receipt, the receipt checked and the outbox row
//! marked delivered); and *live*, where the messages are sent while the worker delivers. Both rates count
//! from the first message queued (drain: from the worker's start) to the last receipt.
//!
//! `search`: `node-b` and `node-c` each hold `--persons` synthetic persons (own deterministic generator: a
//! given name from a list, a family name of two or three syllables plus an ending, so the index holds a
//! long tail of names, and a date of birth); `node-a` holds none and asks both through
//! `POST /api/v1/screen` with `"scope":"federated"` over HTTP, one query at a time. Queries alternate
//! between a person of node-b or node-c (upper-case name and date of birth, as a border officer types it)
//! and a name neither holds. With `--dir`, the databases are kept and reused by later runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use liaison_core::{CountryCode, NodeId, RecordType, Role};
use liaison_proto::api::MessageSendBody;
use liaison_server::federation::{Federation, OutboxWorker, spawn_federation_with};
use liaison_server::services::screening::ScreeningIndex;
use liaison_server::services::{Caller, messages, partners, users};
use liaison_server::{Actor, Node, NodeSettings, SystemClock};
use liaison_store::StoredRecord;
use serde_json::{Value, json};

#[derive(Debug, Parser)]
#[command(
    about = "Measures federation delivery throughput and federated search latency on loopback"
)]
struct Args {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// Messages per second from one node to another, delivered with signed receipts.
    Delivery {
        #[arg(long, default_value_t = 5_000)]
        messages: usize,
    },
    /// Latency of federated step-1 searches from one node across two partners.
    Search {
        /// Persons held by each of the two answering nodes.
        #[arg(long, default_value_t = 100_000)]
        persons: u64,
        #[arg(long, default_value_t = 1_000)]
        queries: usize,
        /// Keep the databases here and reuse them in later runs (default: a temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, default_value_t = 11)]
        seed: u64,
    },
}

/// CPU seconds (user + system) this process has used so far.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // After the command name (in parentheses, may hold spaces) utime and stime are fields 12 and 13, in
    // ticks of 1/100 s.
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib / 1024)
}

/// The load of the machine over the last minute, to read the figures by.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn agreement(partner: &str) -> String {
    format!(
        "partner = \"{partner}\"\npurposes = [\"border_check\", \"criminal_investigation\"]\n\
         categories = [\"person\", \"document\", \"vehicle\", \"alert\"]\nstep1 = \"category\"\n\
         step2_approval = \"manual\"\nrate_limit_per_minute = 100000\nresponse_deadline_ms = 2000\n"
    )
}

/// A node of the bench, before its federation listener starts.
struct BenchNode {
    node: Node,
    listener: Option<tokio::net::TcpListener>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl BenchNode {
    /// Starts the federation listener and the outbox worker (production settings).
    fn federate(&mut self) -> anyhow::Result<()> {
        let listener = self.listener.take().context("already federating")?;
        spawn_federation_with(
            self.node.clone(),
            listener,
            self.stop.subscribe(),
            OutboxWorker::default(),
        )?;
        Ok(())
    }
}

/// Nodes `node-a`, `node-b`, ... with databases in `dir`, each the partner of every other.
async fn federated_nodes(dir: &Path, count: usize) -> anyhow::Result<Vec<BenchNode>> {
    let mut nodes = Vec::new();
    for i in 0..count {
        let letter = (b'a' + i as u8) as char;
        let id = format!("node-{letter}");
        let upper = letter.to_ascii_uppercase();
        let store = liaison_store::open(&format!("sqlite://{}", dir.join(&id).display()))
            .await
            .with_context(|| format!("cannot open the database of {id}"))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let federation = Federation::new(
            liaison_crypto::TlsIdentity::generate(&id, &[])?,
            liaison_crypto::NodeSigningKey::generate(),
            Some(format!("https://{}", listener.local_addr()?)),
            format!("hit secret of {id}").into_bytes(),
        );
        let node = Node {
            id: NodeId::parse(&id)?,
            country: CountryCode::parse(&format!("X{upper}{upper}"))?,
            store,
            clock: Arc::new(SystemClock),
            settings: NodeSettings {
                secure_cookies: false,
                ..NodeSettings::default()
            },
            screening: None,
            federation: Some(Arc::new(federation)),
            graph: Default::default(),
        };
        let (stop, _) = tokio::sync::watch::channel(false);
        nodes.push(BenchNode {
            node,
            listener: Some(listener),
            stop,
        });
    }
    let cards = nodes
        .iter()
        .map(|n| partners::own_card(&n.node, n.node.id.as_str()))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, node) in nodes.iter().enumerate() {
        for (j, card) in cards.iter().enumerate() {
            if i != j {
                let partner = nodes[j].node.id.as_str();
                partners::add_partner(
                    &node.node,
                    &Caller::cli(),
                    card.as_bytes(),
                    &agreement(partner),
                )
                .await?;
            }
        }
    }
    Ok(nodes)
}

fn officer() -> Caller {
    Caller {
        actor: Actor::User {
            username: "olga".into(),
            roles: vec![Role::Officer],
        },
        request_id: None,
    }
}

/// Waits until node-a's outbox holds no pending envelope; answers how many were delivered.
async fn drained(node: &Node, within: Duration) -> anyhow::Result<BTreeMap<String, u64>> {
    let deadline = Instant::now() + within;
    loop {
        let counts = node.store.outbox_counts().await?;
        if counts.get("pending").copied().unwrap_or(0) == 0 {
            return Ok(counts);
        }
        if Instant::now() > deadline {
            bail!("the outbox did not drain in {within:?}: {counts:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn send_messages(node: &Node, count: usize, round: &str) -> anyhow::Result<()> {
    let caller = officer();
    for i in 0..count {
        let body = MessageSendBody {
            to: "node-b".into(),
            subject: format!("{round} report {i}"),
            body: format!(
                "Report {i} of the {round} round: vehicle seen at the crossing at 06:10, two occupants.\n\
                 Plates and photographs follow under the case reference."
            ),
            case_ref: Some("OP-BENCH".into()),
            handling: "H1".into(),
            thread: None,
            attachments: Vec::new(),
        };
        messages::send(node, &caller, &body).await?;
    }
    Ok(())
}

async fn delivery(count: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut nodes = federated_nodes(dir.path(), 2).await?;
    nodes[1].federate()?;
    let a = nodes[0].node.clone();
    println!("load average before: {}", load_average());

    // Drain: everything queued first, then delivered.
    let started = Instant::now();
    send_messages(&a, count, "drain").await?;
    let queued = started.elapsed();
    let cpu = cpu_seconds();
    let started = Instant::now();
    nodes[0].federate()?;
    let counts = drained(&a, Duration::from_secs(600)).await?;
    let took = started.elapsed();
    println!(
        "drain: {count} messages queued in {:.2} s ({:.0}/s: role check, audit entry, signed envelope in the outbox); \
         delivered in {:.2} s: {:.0} messages/s ({:.1} CPU-seconds for both nodes); outbox {counts:?}",
        queued.as_secs_f64(),
        count as f64 / queued.as_secs_f64(),
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        cpu_seconds() - cpu,
    );

    // Live: sent while the worker delivers.
    let cpu = cpu_seconds();
    let started = Instant::now();
    send_messages(&a, count, "live").await?;
    let sent = started.elapsed();
    let counts = drained(&a, Duration::from_secs(600)).await?;
    let took = started.elapsed();
    println!(
        "live: {count} messages sent in {:.2} s, all delivered {:.2} s after the first: {:.0} messages/s end to end \
         ({:.1} CPU-seconds); outbox {counts:?}",
        sent.as_secs_f64(),
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        cpu_seconds() - cpu,
    );
    let b = &nodes[1].node;
    println!(
        "node-b inbox: {} envelopes from node-a; load average after: {}",
        b.store.inbox_ids(Some("node-a")).await?.len(),
        load_average()
    );
    for node in &nodes {
        node.stop.send_replace(true);
    }
    Ok(())
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

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards the start of `0..n`: a few values are common, most are rare.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

const GIVEN: &[&str] = &[
    "ANNA", "IVAN", "MARIA", "PIOTR", "ELENA", "ALI", "FATIMA", "GIORGI", "NINO", "AHMED", "LEYLA",
    "DMITRI", "OLGA", "MEHMET", "AYSE", "ARMEN", "LIANA", "JONAS", "RASA", "TOMAS", "PETRA",
    "MILAN", "VESNA", "ZORAN", "ILIR", "ARBEN", "BESA", "KAROL", "EWA", "LUKAS",
];
const SYLLABLES: &[&str] = &[
    "KA", "RO", "MI", "LE", "TA", "NO", "VI", "SA", "DU", "BE", "GO", "PA", "ZE", "LI", "MO", "RA",
    "TE", "NI", "VO", "SE", "DA", "BO", "GA", "PE", "ZA", "LO", "MA", "KI", "RU", "TO", "NE", "VA",
];
const ENDINGS: &[&str] = &[
    "OV", "EV", "SKI", "IC", "ESCU", "IDZE", "YAN", "OGLU", "AS", "ENKO",
];
/// Names the generated persons never carry (no syllable family name ends in `-SON` or `-ER`).
const STRANGERS: &[&str] = &[
    "OLIVER HANSON",
    "AMELIA PORTER",
    "HARRY WALKER",
    "ISLA JOHNSON",
    "GEORGE FLETCHER",
    "GRACE TURNER",
    "NOAH HARPER",
    "EVIE CARTER",
    "OSCAR MILLER",
    "IVY BAKER",
];

/// One synthetic person: its given and family name and date of birth.
fn person(rng: &mut SplitMix64) -> (String, String, String) {
    let given = GIVEN[rng.skewed(GIVEN.len())].to_owned();
    let mut family = String::new();
    for _ in 0..2 + rng.below(2) {
        family.push_str(SYLLABLES[rng.skewed(SYLLABLES.len())]);
    }
    family.push_str(ENDINGS[rng.below(ENDINGS.len())]);
    let birth = format!(
        "{}-{:02}-{:02}",
        1940 + rng.below(65),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    (given, family, birth)
}

/// The persons of one node; its own seed, so the two answering nodes hold different people.
fn persons_of(seed: u64, count: u64) -> impl Iterator<Item = (u64, (String, String, String))> {
    let mut rng = SplitMix64(seed);
    (1..=count).map(move |i| (i, person(&mut rng)))
}

/// Stores the node's persons unless they are there already.
async fn fill(node: &Node, seed: u64, count: u64) -> anyhow::Result<()> {
    let held = node
        .store
        .count_records()
        .await?
        .get(&RecordType::Person)
        .copied()
        .unwrap_or(0);
    if held == count {
        return Ok(());
    }
    if held != 0 {
        bail!(
            "{} holds {held} persons, not {count}: use another --dir",
            node.id
        );
    }
    let started = Instant::now();
    let owner = node.id.to_string();
    let mut batch = Vec::with_capacity(20_000);
    for (i, (given, family, birth)) in persons_of(seed, count) {
        let nationality = ["XAA", "XBB", "XCC", "RUS", "GEO", "ARM", "TUR"][(i % 7) as usize];
        let sex = if i % 2 == 0 { "M" } else { "F" };
        batch.push(StoredRecord {
            record_type: RecordType::Person,
            id: format!("p{i}"),
            owner: owner.clone(),
            handling_code: "H1".into(),
            retain_until: None,
            references: Vec::new(),
            body: json!({"type": "person", "id": format!("p{i}"),
                "names": [{"full": format!("{given} {family}"), "given": given, "family": family,
                           "kind": "primary"}],
                "birth_dates": [birth], "sex": sex, "nationalities": [nationality]})
            .to_string(),
        });
        if batch.len() == 20_000 {
            node.store.put_records(&batch, chrono::Utc::now()).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        node.store.put_records(&batch, chrono::Utc::now()).await?;
    }
    println!(
        "{}: stored {count} persons in {:.1} s",
        node.id,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn search(
    persons: u64,
    queries: usize,
    dir: Option<PathBuf>,
    seed: u64,
) -> anyhow::Result<()> {
    let temporary = tempfile::tempdir()?;
    let dir = match dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)?;
            dir
        }
        None => temporary.path().to_owned(),
    };
    let mut nodes = federated_nodes(&dir, 3).await?;
    let seeds = [0, seed, seed ^ 0x00C0_FFEE];
    for (node, &seed) in nodes.iter().zip(&seeds).skip(1) {
        fill(&node.node, seed, persons).await?;
    }
    for (node, &seed) in nodes.iter_mut().zip(&seeds) {
        let started = Instant::now();
        let index = ScreeningIndex::build(node.node.store.as_ref()).await?;
        if seed != 0 {
            println!(
                "{}: screening index of {} records built in {:.1} s; process RSS {} MiB",
                node.node.id,
                index.len(),
                started.elapsed().as_secs_f64(),
                rss_mib()
            );
        }
        node.node.screening = Some(Arc::new(index));
        node.federate()?;
    }

    // node-a's API, and an officer's token.
    let a = nodes[0].node.clone();
    // A reused database has the users of earlier runs.
    let username = format!("olga{}", std::process::id());
    users::create_user(
        &a,
        &Caller::cli(),
        &username,
        &[Role::Officer],
        Some("a long enough password"),
    )
    .await?;
    let (_, token) = users::create_token(&a, &Caller::cli(), &username, None).await?;
    let token = token.expose().to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/api/v1/screen", listener.local_addr()?);
    let served = a.clone();
    tokio::spawn(async move {
        liaison_server::http::serve(listener, served, std::future::pending()).await
    });

    // Known persons, a few from each answering node, and strangers.
    let mut picks = SplitMix64(seed ^ 0x9E37);
    let mut wanted: Vec<u64> = (0..queries).map(|_| 1 + picks.next() % persons).collect();
    wanted.sort_unstable();
    let mut known = [Vec::new(), Vec::new()];
    for (side, &seed) in seeds[1..].iter().enumerate() {
        let mut next = wanted.iter().peekable();
        for (i, person) in persons_of(seed, persons) {
            while next.peek() == Some(&&i) {
                known[side].push(person.clone());
                next.next();
            }
        }
    }
    let query = |n: usize| -> Value {
        if n % 2 == 1 {
            let name = STRANGERS[(n / 2) % STRANGERS.len()];
            return json!({"names": [name], "birth_date": format!("19{:02}-0{}-1{}", 50 + n % 40, 1 + n % 9, n % 10)});
        }
        let (given, family, birth) = &known[(n / 2) % 2][n / 4 % known[0].len().max(1)];
        json!({"names": [format!("{family} {given}")], "birth_date": birth})
    };
    let http = reqwest::Client::new();
    let ask = |n: usize| {
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        let body = json!({"query": query(n), "purpose": "border_check", "scope": "federated", "limit": 10});
        async move {
            let started = Instant::now();
            let response = http
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await?;
            let status = response.status();
            let answer: Value = response.json().await?;
            let took = started.elapsed().as_secs_f64() * 1_000.0;
            if !status.is_success() {
                bail!("search {n} failed: {status} {answer}");
            }
            Ok::<_, anyhow::Error>((took, answer))
        }
    };
    for n in 0..50 {
        ask(n).await?;
    }
    println!("load average before: {}", load_average());
    let cpu = cpu_seconds();
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(queries);
    let mut partner_latencies: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    let (mut found, mut stranger_hits) = (0, 0);
    for n in 0..queries {
        let (took, answer) = ask(n).await?;
        latencies.push(took);
        for partner in answer["partners"].as_array().into_iter().flatten() {
            let node = partner["node"].as_str().unwrap_or("?").to_owned();
            let status = partner["status"].as_str().unwrap_or("?");
            *statuses.entry(format!("{node} {status}")).or_default() += 1;
            partner_latencies
                .entry(node)
                .or_default()
                .push(partner["latency_ms"].as_f64().unwrap_or(0.0));
        }
        let hits = answer["hits"].as_array().map_or(0, Vec::len);
        let strong = answer["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|h| h["band"] == "strong");
        if n % 2 == 0 && strong {
            found += 1;
        }
        if n % 2 == 1 && hits > 0 {
            stranger_hits += 1;
        }
    }
    let wall = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "{queries} federated searches (node-a -> node-b, node-c; {persons} persons each), sequential: \
         p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.0} searches/s, {:.1} CPU-seconds for the three \
         nodes; load average after {}",
        percentile(&latencies, 50.0),
        percentile(&latencies, 95.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(0.0),
        queries as f64 / wall,
        cpu_seconds() - cpu,
        load_average()
    );
    for (node, mut values) in partner_latencies {
        values.sort_by(f64::total_cmp);
        println!(
            "  {node} as node-a saw it (whole ms): p50 {:.0}, p95 {:.0}, max {:.0}",
            percentile(&values, 50.0),
            percentile(&values, 95.0),
            values.last().copied().unwrap_or(0.0)
        );
    }
    println!(
        "  statuses {statuses:?}; known persons found as a strong hit {found}/{}, strangers with any hit {stranger_hits}/{}; RSS {} MiB",
        queries.div_ceil(2),
        queries / 2,
        rss_mib()
    );
    for node in &nodes {
        node.stop.send_replace(true);
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    liaison_crypto::install_crypto_provider();
    match Args::parse().command {
        Bench::Delivery { messages } => delivery(messages).await,
        Bench::Search {
            persons,
            queries,
            dir,
            seed,
        } => search(persons, queries, dir, seed).await,
    }
}
