//! Helpers: run the binary in a fresh data directory, and start an in-process node with a clock tests move.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use liaison_core::{CountryCode, NodeId, Role};
use liaison_server::federation::OutboxWorker;
use liaison_server::services::Caller;
use liaison_server::services::records::{CollectIssues, ImportOptions, JsonLinesSource};
use liaison_server::{Clock, Node, NodeSettings};

pub const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sample.jsonl");

/// The `liaison` binary run against one data directory.
pub struct Cli {
    pub dir: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("node")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .env_remove("LIAISON_DATABASE_URL")
            .output()
            .unwrap()
    }

    /// Runs and insists on success, returning standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "liaison {args:?} failed: {}\n{}",
            stderr(&out),
            stdout(&out)
        );
        stdout(&out)
    }

    pub fn init(&self) -> String {
        self.ok(&["init", "--node-id", "node-a", "--country", "XAA"])
    }

    pub fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir().join("liaison.sqlite")
    }

    /// Every record line of an export, without the header.
    pub fn exported(&self) -> Vec<String> {
        let out = self.dir.path().join("export-check.jsonl");
        let _ = std::fs::remove_file(&out);
        self.ok(&["export", "--out", out.to_str().unwrap()]);
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_owned)
            .collect()
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A clock the test sets.
#[derive(Debug)]
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn at(now: DateTime<Utc>) -> TestClock {
        TestClock(Mutex::new(now))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// A node served on 127.0.0.1 with an embedded database, loaded with the sample records.
pub struct TestNode {
    pub node: Node,
    pub clock: Arc<TestClock>,
    pub base: String,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
    /// The node's federation listener and outbox worker, which stop when this is dropped.
    federation: Option<FederationRun>,
}

/// A running federation listener and outbox worker, and how to start them again on the same address.
struct FederationRun {
    address: std::net::SocketAddr,
    worker: OutboxWorker,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

pub async fn spawn_node() -> TestNode {
    spawn_node_with(NodeSettings {
        secure_cookies: false,
        max_body_bytes: 256 * 1024,
        ..NodeSettings::default()
    })
    .await
}

pub async fn spawn_node_with(settings: NodeSettings) -> TestNode {
    build_node(settings, "node-a", "XAA", true, None).await
}

/// A node's federation side before it serves: identity, keys and its bound listener.
pub struct FederationSetup {
    pub federation: liaison_server::federation::Federation,
    pub listener: tokio::net::TcpListener,
    pub worker: OutboxWorker,
}

/// Builds and serves a node on 127.0.0.1, loaded with the sample records or empty, federating when given
/// its federation setup (the listener and outbox worker start with it).
pub async fn build_node(
    settings: NodeSettings,
    node_id: &str,
    country: &str,
    with_sample: bool,
    federation: Option<FederationSetup>,
) -> TestNode {
    // The test's HTTP clients (reqwest with rustls) need the process's TLS provider.
    liaison_crypto::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("node.sqlite").display());
    let store = liaison_store::open(&url).await.unwrap();
    let clock = Arc::new(TestClock(Mutex::new(Utc::now())));
    let (federation, federation_listener) = match federation {
        Some(setup) => (
            Some(Arc::new(setup.federation)),
            Some((setup.listener, setup.worker)),
        ),
        None => (None, None),
    };
    let mut node = Node {
        id: NodeId::parse(node_id).unwrap(),
        country: CountryCode::parse(country).unwrap(),
        store,
        clock: clock.clone(),
        settings,
        screening: None,
        federation,
        graph: Default::default(),
    };
    if with_sample {
        let sample = PathBuf::from(SAMPLE);
        let source = JsonLinesSource {
            name: "sample.jsonl".into(),
            open: move || std::fs::File::open(&sample).map(std::io::BufReader::new),
            total_bytes: None,
        };
        let report = liaison_server::services::records::import(
            &node,
            &Caller::cli(),
            &source,
            &ImportOptions::default(),
            &mut CollectIssues::default(),
        )
        .await
        .unwrap();
        assert_eq!(report.rejected, 0);
    }
    // As `serve` does: the index is built from the store at start, then kept current.
    let index = liaison_server::services::screening::ScreeningIndex::build(node.store.as_ref())
        .await
        .unwrap();
    node.screening = Some(Arc::new(index));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = node.clone();
    tokio::spawn(async move {
        liaison_server::http::serve(listener, served, std::future::pending()).await
    });
    let federation = federation_listener.map(|(listener, worker)| {
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let tasks = liaison_server::federation::spawn_federation_with(
            node.clone(),
            listener,
            stopped,
            worker,
        )
        .unwrap();
        FederationRun {
            address,
            worker,
            stop,
            tasks,
        }
    });
    TestNode {
        node,
        clock,
        base,
        http: reqwest::Client::new(),
        _dir: dir,
        federation,
    }
}

/// The agreement every test partner gets: searches and disclosures for investigations and border checks,
/// categories revealed, disclosure approved by a person.
pub fn agreement(partner: &str, step2: &str) -> String {
    format!(
        "partner = \"{partner}\"\npurposes = [\"border_check\", \"criminal_investigation\"]\n\
         categories = [\"person\", \"document\", \"vehicle\", \"alert\"]\nstep1 = \"category\"\n\
         step2_approval = \"{step2}\"\nrate_limit_per_minute = 600\nresponse_deadline_ms = 2000\n"
    )
}

/// `count` federated nodes (`node-a`, `node-b`, ... of `XAA`, `XBB`, ...) on 127.0.0.1 with real
/// certificates, each the partner of every other under [`agreement`]; the nodes whose flag in `samples` is
/// set hold the sample records.
pub async fn spawn_federation(samples: &[bool]) -> Vec<TestNode> {
    spawn_federation_with(samples, OutboxWorker::default()).await
}

/// [`spawn_federation`] with the outbox workers' settings given.
pub async fn spawn_federation_with(samples: &[bool], worker: OutboxWorker) -> Vec<TestNode> {
    liaison_crypto::install_crypto_provider();
    let names: Vec<(String, String)> = (0..samples.len())
        .map(|i| {
            let letter = (b'a' + i as u8) as char;
            (
                format!("node-{letter}"),
                format!(
                    "X{}{}",
                    letter.to_ascii_uppercase(),
                    letter.to_ascii_uppercase()
                ),
            )
        })
        .collect();
    let mut nodes = Vec::new();
    for ((node_id, country), &with_sample) in names.iter().zip(samples) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("https://{}", listener.local_addr().unwrap());
        let identity = liaison_crypto::TlsIdentity::generate(node_id, &[]).unwrap();
        let federation = liaison_server::federation::Federation::new(
            identity,
            liaison_crypto::NodeSigningKey::generate(),
            Some(endpoint),
            format!("secret of {node_id}").into_bytes(),
        );
        nodes.push(
            build_node(
                NodeSettings {
                    secure_cookies: false,
                    ..NodeSettings::default()
                },
                node_id,
                country,
                with_sample,
                Some(FederationSetup {
                    federation,
                    listener,
                    worker,
                }),
            )
            .await,
        );
    }
    let cards: Vec<String> = nodes
        .iter()
        .map(|n| liaison_server::services::partners::own_card(&n.node, n.node.id.as_str()).unwrap())
        .collect();
    for (i, node) in nodes.iter().enumerate() {
        for (j, card) in cards.iter().enumerate() {
            if i != j {
                liaison_server::services::partners::add_partner(
                    &node.node,
                    &Caller::cli(),
                    card.as_bytes(),
                    &agreement(nodes[j].node.id.as_str(), "manual"),
                )
                .await
                .unwrap();
            }
        }
    }
    nodes
}

impl TestNode {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the node's federation listener (its port closes) and outbox worker, and waits until both have.
    pub async fn stop_federation(&mut self) {
        let run = self.federation.as_mut().expect("a federating node");
        run.stop.send_replace(true);
        for task in run.tasks.drain(..) {
            task.await.unwrap();
        }
    }

    /// Starts the federation listener and outbox worker again, on the address they had.
    pub async fn start_federation(&mut self) {
        let run = self.federation.as_mut().expect("a federating node");
        let listener = tokio::net::TcpListener::bind(run.address).await.unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        run.tasks = liaison_server::federation::spawn_federation_with(
            self.node.clone(),
            listener,
            stopped,
            run.worker,
        )
        .unwrap();
        run.stop = stop;
    }

    /// A user with a known password.
    pub async fn user(&self, username: &str, roles: &[Role], password: &str) {
        liaison_server::services::users::create_user(
            &self.node,
            &Caller::cli(),
            username,
            roles,
            Some(password),
        )
        .await
        .unwrap();
    }

    /// An API token for a new user with `roles`.
    pub async fn token(&self, username: &str, roles: &[Role]) -> String {
        self.user(username, roles, "a long enough password").await;
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

    pub async fn audit_actions(&self) -> Vec<(String, String, Option<String>)> {
        self.node
            .store
            .audit_page(0, 10_000)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.outcome, e.detail))
            .collect()
    }
}

/// Posts JSON with a bearer token; the status and the JSON answer (null when the body is not JSON).
pub async fn post(
    node: &TestNode,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = node
        .http
        .post(node.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// Gets with a bearer token; the status and the JSON answer (null when the body is not JSON).
pub async fn get(node: &TestNode, token: &str, path: &str) -> (u16, serde_json::Value) {
    let response = node
        .http
        .get(node.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// Polls until `check` gives a value, or fails after `within`: tests never sleep for a fixed time.
pub async fn eventually<T, F, Fut>(within: std::time::Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}
