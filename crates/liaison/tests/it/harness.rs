//! Helpers: run the binary in a fresh data directory, and start an in-process node with a clock tests move.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use liaison_core::{CountryCode, NodeId, Role};
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
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("node.sqlite").display());
    let store = liaison_store::open(&url).await.unwrap();
    let clock = Arc::new(TestClock(Mutex::new(Utc::now())));
    let mut node = Node {
        id: NodeId::parse("node-a").unwrap(),
        country: CountryCode::parse("XAA").unwrap(),
        store,
        clock: clock.clone(),
        settings,
        screening: None,
        federation: None,
    };
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
    TestNode {
        node,
        clock,
        base,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

impl TestNode {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
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
