//! Federation when things go wrong: free-text messages between partners, delivered exactly once while the
//! partner is offline or is killed in the middle of a burst; a slow partner that must not hold up a
//! federated search; and the envelopes a receiver must refuse beyond those of `federation.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use liaison_core::Role;
use liaison_proto::federation::{
    NodeCard, SearchRequest, SearchResponse, SearchStatus, encode, encode_card, format_timestamp,
};
use liaison_server::Clock;
use liaison_server::federation::OutboxWorker;
use liaison_server::services::Caller;
use liaison_server::services::partners::{add_partner, own_card};
use liaison_store::PARTNER_REVOKED;
use serde_json::{Value, json};

use crate::harness::{
    Cli, TestClock, TestNode, agreement, eventually, get, post, spawn_federation,
    spawn_federation_with,
};

async fn get_url(http: &reqwest::Client, token: &str, url: &str) -> (u16, Value) {
    let response = http.get(url).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// An outbox worker that retries within tens of milliseconds, so a test waits for a partner's return
/// rather than for the production backoff.
fn brisk_worker() -> OutboxWorker {
    let mut worker = OutboxWorker {
        poll: Duration::from_millis(50),
        timeout: Duration::from_secs(5),
        ..OutboxWorker::default()
    };
    worker.backoff.base = Duration::from_millis(20);
    worker.backoff.max_delay = Duration::from_millis(300);
    worker
}

/// Keeps test clocks on real time: the outbox schedules retries on the node's clock, and a partner run as
/// a process checks envelope ages against its own.
fn follow_real_time(clocks: Vec<Arc<TestClock>>) {
    tokio::spawn(async move {
        loop {
            for clock in &clocks {
                let behind = chrono::Utc::now() - clock.now();
                if behind > chrono::TimeDelta::zero() {
                    clock.advance(behind);
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
}

fn message(to: &str, i: usize, case_ref: &str) -> Value {
    json!({"to": to, "subject": format!("convoy sighting {i}"),
           "body": format!("Report {i}: the white van was seen at the crossing.\nPlates follow."),
           "case_ref": case_ref, "handling": "H1"})
}

/// What identifies a message's content on both sides.
fn content_hash(message: &Value) -> String {
    let subject = message["subject"].as_str().unwrap();
    let body = message["body"].as_str().unwrap();
    liaison_crypto::sha256_hex(format!("{subject}\n{body}").as_bytes())
}

async fn audit(node: &TestNode) -> Vec<liaison_store::AuditEntry> {
    node.node.store.audit_page(0, 100_000).await.unwrap()
}

/// Withdraws a partner's pin on `node`, as an administrator revoking it would.
async fn revoke(node: &TestNode, partner: &str) {
    let mut row = node.node.store.get_partner(partner).await.unwrap().unwrap();
    row.status = PARTNER_REVOKED.to_owned();
    node.node.store.put_partner(&row).await.unwrap();
    let federation = node.node.federation.clone().unwrap();
    federation
        .reload_pins(node.node.store.as_ref())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_reaches_the_partner_and_both_sides_audit_it() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let officer = a.token("olga", &[Role::Officer]).await;
    let legal_b = b.token("lena", &[Role::Legal]).await;

    let digest = liaison_crypto::sha256_hex(b"photo bytes");
    let (status, created) = post(
        a,
        &officer,
        "/api/v1/messages",
        json!({"to": "node-b", "subject": "Convoy at the crossing",
               "body": "Seen at 06:10.\nTwo vehicles.", "case_ref": "OP-LANTERN", "handling": "H2",
               "attachments": [{"name": "van.jpg", "sha256": digest, "size": 11,
                                "media_type": "image/jpeg"}]}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["state"], "queued");
    let id = created["id"].as_str().unwrap().to_owned();

    let sent: Value = eventually(Duration::from_secs(20), "delivery to node-b", || async {
        let (_, message) = get(a, &officer, &format!("/api/v1/messages/{id}")).await;
        (message["state"] == "delivered").then_some(message)
    })
    .await;
    assert_eq!(sent["direction"], "outbox");
    assert!(sent["delivered_at"].is_string(), "{sent}");

    let (status, inbox) = get(b, &legal_b, "/api/v1/messages?direction=inbox").await;
    assert_eq!(status, 200, "{inbox}");
    let received = &inbox.as_array().unwrap()[0];
    assert_eq!(received["id"], id.as_str());
    assert_eq!(received["from"], "node-a");
    assert_eq!(received["to"], "node-b");
    assert_eq!(received["state"], "received");
    assert_eq!(received["subject"], "Convoy at the crossing");
    assert_eq!(received["body"], "Seen at 06:10.\nTwo vehicles.");
    assert_eq!(received["case_ref"], "OP-LANTERN");
    assert_eq!(received["handling"], "H2");
    assert_eq!(received["attachments"][0]["sha256"], digest.as_str());
    let (status, one) = get(b, &legal_b, &format!("/api/v1/messages/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(one["subject"], "Convoy at the crossing");

    // An answer in the same thread.
    let (status, reply) = post(
        b,
        &legal_b,
        "/api/v1/messages",
        json!({"to": "node-a", "subject": "Re: Convoy at the crossing", "body": "Plates are ours.",
               "case_ref": "OP-LANTERN", "handling": "H2", "thread": id}),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
    let reply_id = reply["id"].as_str().unwrap().to_owned();
    let answered: Value = eventually(Duration::from_secs(20), "the reply at node-a", || async {
        let (_, inbox) = get(a, &officer, "/api/v1/messages?direction=inbox").await;
        inbox
            .as_array()
            .and_then(|l| l.iter().find(|m| m["id"] == reply_id.as_str()).cloned())
    })
    .await;
    assert_eq!(answered["thread"], id.as_str());

    // Both logs: sent with the case and recipient, received, read with the case.
    let a_log = audit(a).await;
    let sent_entry = a_log
        .iter()
        .find(|e| e.action == "message.send" && e.objects == [format!("message/{id}")])
        .unwrap();
    assert_eq!(sent_entry.case_ref.as_deref(), Some("OP-LANTERN"));
    assert_eq!(sent_entry.recipients, ["node-b"]);
    let b_log = audit(b).await;
    assert!(
        b_log
            .iter()
            .any(|e| e.action == "message.received" && e.objects == [format!("message/{id}")])
    );
    let reads: Vec<_> = b_log
        .iter()
        .filter(|e| e.action == "message.read" && e.objects.contains(&format!("message/{id}")))
        .collect();
    assert_eq!(reads.len(), 2, "the listing and the single read");
    assert!(
        reads
            .iter()
            .all(|e| e.case_ref.as_deref() == Some("OP-LANTERN"))
    );

    // What is refused, and where.
    for (body, pointer) in [
        (
            json!({"to": "node-z", "subject": "s", "handling": "H1"}),
            "to",
        ),
        (
            json!({"to": "node-b", "subject": "s", "handling": "H7"}),
            "handling",
        ),
        (
            json!({"to": "node-b", "subject": " ", "handling": "H1"}),
            "subject",
        ),
        (
            json!({"to": "node-b", "subject": "s", "handling": "H1", "case_ref": ""}),
            "case_ref",
        ),
        (
            json!({"to": "node-b", "subject": "s", "handling": "H1",
                   "attachments": [{"name": "../van.jpg", "sha256": digest, "size": 1,
                                    "media_type": "image/jpeg"}]}),
            "attachments[0].name",
        ),
        (
            json!({"to": "node-b", "subject": "s", "handling": "H1", "priority": "high"}),
            "body",
        ),
    ] {
        let (status, problem) = post(a, &officer, "/api/v1/messages", body.clone()).await;
        assert_eq!(status, 400, "{body}: {problem}");
        assert_eq!(
            problem["errors"][0]["pointer"], pointer,
            "{body}: {problem}"
        );
    }
    let auditor = a.token("aude", &[Role::Auditor]).await;
    let (status, _) = post(
        a,
        &auditor,
        "/api/v1/messages",
        message("node-b", 1, "OP-X"),
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        audit(a)
            .await
            .iter()
            .any(|e| e.action == "message.send" && e.outcome == "denied")
    );
    let (status, _) = get(
        a,
        &officer,
        "/api/v1/messages/0190a5d0-0000-7000-8000-000000000000",
    )
    .await;
    assert_eq!(status, 404);
    let (status, problem) = get(a, &officer, "/api/v1/messages?direction=sideways").await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["pointer"], "direction");
    let (status, _) = get(a, &officer, "/api/v1/messages?direction=outbox&limit=0").await;
    assert_eq!(status, 400);

    let (_, openapi) = get(a, &officer, "/api/v1/openapi.json").await;
    for path in ["/api/v1/messages", "/api/v1/messages/{id}"] {
        assert!(openapi["paths"].get(path).is_some(), "{path} documented");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_queued_while_the_partner_is_offline_arrive_exactly_once_when_it_returns() {
    let mut nodes = spawn_federation_with(&[false, false], brisk_worker()).await;
    let mut b = nodes.pop().unwrap();
    let a = nodes.pop().unwrap();
    follow_real_time(vec![a.clock.clone(), b.clock.clone()]);
    b.stop_federation().await;
    let officer = a.token("olga", &[Role::Officer]).await;

    let mut sent = BTreeSet::new();
    for i in 0..50 {
        let (status, created) = post(
            &a,
            &officer,
            "/api/v1/messages",
            message("node-b", i, "OP-OFFLINE"),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        sent.insert(created["id"].as_str().unwrap().to_owned());
    }
    // Every message has been tried, and failed, more than once while node-b was away.
    eventually(Duration::from_secs(20), "failed attempts", || async {
        let (_, outbox) = get(&a, &officer, "/api/v1/messages?direction=outbox").await;
        let outbox = outbox.as_array()?.clone();
        (outbox.len() == 50
            && outbox
                .iter()
                .all(|m| m["state"] == "queued" && m["attempts"].as_u64() >= Some(2)))
        .then_some(())
    })
    .await;
    assert!(b.node.store.inbox_ids(None).await.unwrap().is_empty());

    b.start_federation().await;
    let counts = eventually(
        Duration::from_secs(30),
        "every message delivered",
        || async {
            let counts = a.node.store.outbox_counts().await.unwrap();
            (counts["pending"] == 0).then_some(counts)
        },
    )
    .await;
    assert_eq!(
        (counts["delivered"], counts["failed"]),
        (50, 0),
        "{counts:?}"
    );
    let (_, outbox) = get(&a, &officer, "/api/v1/messages?direction=outbox").await;
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "delivered" && m.get("last_error").is_none()),
        "{outbox}"
    );

    let received = b.node.store.inbox_ids(Some("node-a")).await.unwrap();
    assert_eq!(received.len(), 50);
    assert_eq!(received.iter().cloned().collect::<BTreeSet<_>>(), sent);
    let processed = audit(&b)
        .await
        .into_iter()
        .filter(|e| e.action == "message.received")
        .count();
    assert_eq!(processed, 50, "each message processed once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_for_a_partner_revoked_before_delivery_is_given_up_and_logged() {
    let mut nodes = spawn_federation_with(&[false, false], brisk_worker()).await;
    let mut b = nodes.pop().unwrap();
    let a = nodes.pop().unwrap();
    follow_real_time(vec![a.clock.clone()]);
    b.stop_federation().await;
    let officer = a.token("olga", &[Role::Officer]).await;
    let (_, created) = post(
        &a,
        &officer,
        "/api/v1/messages",
        message("node-b", 1, "OP-R"),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    eventually(Duration::from_secs(20), "a failed attempt", || async {
        let (_, m) = get(&a, &officer, &format!("/api/v1/messages/{id}")).await;
        (m["attempts"].as_u64() >= Some(1)).then_some(())
    })
    .await;

    revoke(&a, "node-b").await;
    let failed: Value = eventually(Duration::from_secs(20), "the message given up", || async {
        let (_, m) = get(&a, &officer, &format!("/api/v1/messages/{id}")).await;
        (m["state"] == "failed").then_some(m)
    })
    .await;
    assert!(
        failed["last_error"]
            .as_str()
            .unwrap()
            .contains("not an active partner"),
        "{failed}"
    );
    assert!(audit(&a).await.iter().any(|e| {
        e.action == "federation.delivery_failed" && e.objects == [format!("envelope/{id}")]
    }));
    let (status, problem) = post(
        &a,
        &officer,
        "/api/v1/messages",
        message("node-b", 2, "OP-R"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["pointer"], "to");
}

/// A `liaison serve` process, killed when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn serve_process(cli: &Cli, api_port: u16, federation_port: u16) -> Served {
    let child = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args(["serve", "--listen"])
        .arg(format!("127.0.0.1:{api_port}"))
        .arg("--federation-listen")
        .arg(format!("127.0.0.1:{federation_port}"))
        .env_remove("LIAISON_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let served = Served(child);
    let http = reqwest::Client::new();
    let ready = format!("http://127.0.0.1:{api_port}/readyz");
    eventually(Duration::from_secs(30), "node-b serving", || async {
        let answer = http.get(&ready).send().await.ok()?;
        answer.status().is_success().then_some(())
    })
    .await;
    served
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_killed_in_the_middle_of_a_burst_gets_every_message_exactly_once() {
    const BURST: usize = 1_000;
    let nodes = spawn_federation_with(&[false], brisk_worker()).await;
    let a = &nodes[0];
    follow_real_time(vec![a.clock.clone()]);

    // node-b is a real process on its own data directory and fixed ports.
    let cli = Cli::new();
    let (api_port, federation_port) = (free_port(), free_port());
    cli.ok(&[
        "init",
        "--node-id",
        "node-b",
        "--country",
        "XBB",
        "--federation-endpoint",
        &format!("https://127.0.0.1:{federation_port}"),
    ]);
    let card_b = cli.ok(&["partner", "card"]);
    let card_a = cli.file(
        "node-a.json",
        own_card(&a.node, "node-a").unwrap().as_bytes(),
    );
    let agreement_a = cli.file("node-a.toml", agreement("node-a", "manual").as_bytes());
    cli.ok(&["partner", "add", &card_a, "--agreement", &agreement_a]);
    cli.ok(&["user", "add", "--username", "lena", "--role", "legal"]);
    let token_b = cli
        .ok(&["token", "create", "--username", "lena"])
        .trim()
        .to_owned();
    add_partner(
        &a.node,
        &Caller::cli(),
        card_b.as_bytes(),
        &agreement("node-b", "manual"),
    )
    .await
    .unwrap();
    let b_process = serve_process(&cli, api_port, federation_port).await;

    // The burst, four senders at once.
    let officer = a.token("olga", &[Role::Officer]).await;
    let mut senders = tokio::task::JoinSet::new();
    for lane in 0..4 {
        let (http, url, officer) = (a.http.clone(), a.url("/api/v1/messages"), officer.clone());
        senders.spawn(async move {
            for i in (lane..BURST).step_by(4) {
                let response = http
                    .post(&url)
                    .bearer_auth(&officer)
                    .json(&message("node-b", i, "OP-BURST"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 201);
            }
        });
    }

    // Killed (SIGKILL) once a good part has arrived, then restarted on the same data and ports.
    eventually(Duration::from_secs(60), "300 deliveries", || async {
        let counts = a.node.store.outbox_counts().await.unwrap();
        (counts["delivered"] >= 300).then_some(())
    })
    .await;
    drop(b_process);
    let at_kill = a.node.store.outbox_counts().await.unwrap();
    let b_process = serve_process(&cli, api_port, federation_port).await;
    while let Some(sent) = senders.join_next().await {
        sent.unwrap();
    }
    let counts = eventually(Duration::from_secs(60), "an empty outbox", || async {
        let counts = a.node.store.outbox_counts().await.unwrap();
        (counts["pending"] == 0).then_some(counts)
    })
    .await;
    assert!(
        at_kill["delivered"] < BURST as u64,
        "node-b was killed before the end of the burst: {at_kill:?}"
    );
    assert_eq!(
        (counts["delivered"], counts["failed"]),
        (BURST as u64, 0),
        "{counts:?}"
    );

    let digests = |messages: &Value| -> BTreeMap<String, String> {
        messages
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["id"].as_str().unwrap().to_owned(), content_hash(m)))
            .collect()
    };
    let (_, outbox) = get(a, &officer, "/api/v1/messages?direction=outbox&limit=1000").await;
    let outbox_list = outbox.as_array().unwrap();
    assert!(outbox_list.iter().all(|m| m["state"] == "delivered"));
    assert!(
        outbox_list
            .iter()
            .any(|m| m["attempts"].as_u64() >= Some(1)),
        "some messages were retried across the restart"
    );
    let sent = digests(&outbox);
    let (status, inbox) = get_url(
        &a.http,
        &token_b,
        &format!("http://127.0.0.1:{api_port}/api/v1/messages?direction=inbox&limit=1000"),
    )
    .await;
    assert_eq!(status, 200, "{inbox}");
    let received = digests(&inbox);
    assert_eq!(sent.len(), BURST);
    assert_eq!(received.len(), BURST);
    assert_eq!(
        sent.values().collect::<BTreeSet<_>>().len(),
        BURST,
        "each message has its own content"
    );
    assert_eq!(
        received.values().collect::<BTreeSet<_>>().len(),
        BURST,
        "no content received twice"
    );
    assert_eq!(sent, received);

    // Nothing beyond what was listed, and node-b's audit chain survived the kill.
    drop(b_process);
    let store = liaison_store::open(&format!("sqlite://{}", cli.sqlite_path().display()))
        .await
        .unwrap();
    assert_eq!(store.inbox_ids(None).await.unwrap().len(), BURST);
    cli.ok(&["audit", "verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_partner_times_out_without_delaying_the_others() {
    let nodes = spawn_federation(&[false, true]).await;
    let a = &nodes[0];

    // node-c completes the handshake but answers after five seconds; its agreement allows 500 ms.
    let identity = liaison_crypto::TlsIdentity::generate("node-c", &[]).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("https://{}", listener.local_addr().unwrap());
    let pins = Arc::new(liaison_crypto::PinSet::new([a
        .node
        .federation
        .as_ref()
        .unwrap()
        .identity
        .fingerprint()]));
    let tls = liaison_crypto::federation_server_config(&identity, pins).unwrap();
    let router = axum::Router::new().route(
        liaison_server::federation::FEDERATION_PATH,
        axum::routing::post(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "too late"
        }),
    );
    tokio::spawn(liaison_server::federation::transport::serve_federation(
        listener,
        tls,
        router,
        Arc::new(|_, _| {}),
        std::future::pending(),
    ));
    let card = liaison_federation::sign_card(
        NodeCard {
            v: 1,
            node_id: "node-c".into(),
            name: "Slow agency".into(),
            country: "XCC".into(),
            federation_endpoint: endpoint,
            tls_certificate: identity.cert_pem(),
            tls_fingerprint: identity.fingerprint(),
            signing_key: String::new(),
            created: format_timestamp(a.node.now()),
            signature: String::new(),
        },
        &liaison_crypto::NodeSigningKey::generate(),
    );
    add_partner(
        &a.node,
        &Caller::cli(),
        encode_card(&card).as_bytes(),
        &agreement("node-c", "manual")
            .replace("response_deadline_ms = 2000", "response_deadline_ms = 500"),
    )
    .await
    .unwrap();

    let officer = a.token("olga", &[Role::Officer]).await;
    let started = Instant::now();
    let (status, found) = post(
        a,
        &officer,
        "/api/v1/screen",
        json!({"query":{"names":["SHCHERBAKOV<<VLADIMIR"],"birth_date":"1975-03-14"},
               "purpose":"border_check","scope":"federated"}),
    )
    .await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{found}");
    let statuses: BTreeMap<&str, (&str, u64)> = found["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["node"].as_str().unwrap(),
                (
                    p["status"].as_str().unwrap(),
                    p["latency_ms"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(statuses["node-b"].0, "answered", "{found}");
    assert_eq!(statuses["node-c"].0, "timeout", "{found}");
    assert!(
        (500..2_000).contains(&statuses["node-c"].1),
        "node-c cut off at its deadline: {found}"
    );
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["record"]["owner"] == "node-b"),
        "{found}"
    );
    // Bounded by the slow partner's deadline, not by its five seconds.
    assert!(took < Duration::from_secs(4), "the search took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonated_future_foreign_version_malformed_unexpected_and_revoked_are_refused() {
    let nodes = spawn_federation(&[false, true]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let federation = a.node.federation.clone().unwrap();
    let partner_b = a.node.store.get_partner("node-b").await.unwrap().unwrap();
    let client = federation.client_for(&partner_b).unwrap();
    let url = format!("{}/federation/v1/envelopes", partner_b.endpoint);
    let send = |bytes: Vec<u8>| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let response = client.post(url).body(bytes).send().await?;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            Ok::<_, reqwest::Error>((status, body))
        }
    };
    let request = SearchRequest {
        correlation_id: "c-1".into(),
        query: liaison_proto::api::ScreenQuery {
            names: vec!["SHCHERBAKOV<<VLADIMIR".into()],
            ..Default::default()
        },
        purpose: "border_check".into(),
        case_ref: None,
        limit: 5,
    };
    let now = a.node.now();
    let seal = |from: &str, at| {
        federation
            .seal(from, "node-b", at, "H1", &request, None, None)
            .unwrap()
    };

    // Signed by node-a but claiming to come from another node, over node-a's connection.
    let (_, body) = send(encode(&seal("node-c", now))).await.unwrap();
    assert_eq!(body["code"], "unknown_sender", "{body}");
    // Dated an hour ahead.
    let (_, body) = send(encode(&seal("node-a", now + chrono::TimeDelta::hours(1))))
        .await
        .unwrap();
    assert_eq!(body["code"], "from_the_future", "{body}");
    // Another version of the protocol.
    let mut future_version = seal("node-a", now);
    future_version.v = 2;
    let (_, body) = send(encode(&future_version)).await.unwrap();
    assert_eq!(body["code"], "unsupported_version", "{body}");
    // Not JSON.
    let (status, body) = send(b"{\"v\":1,".to_vec()).await.unwrap();
    assert_eq!((status, body["code"].as_str()), (400, Some("malformed")));
    // A kind that is only ever an answer.
    let answer = SearchResponse {
        correlation_id: "c-1".into(),
        status: SearchStatus::Answered,
        reason: None,
        hits: Vec::new(),
    };
    let unexpected = federation
        .seal("node-a", "node-b", now, "H1", &answer, None, None)
        .unwrap();
    let (_, body) = send(encode(&unexpected)).await.unwrap();
    assert_eq!(body["code"], "unsupported_kind", "{body}");

    // Revoked: a connection kept open from before is refused at the envelope; a new one at the handshake.
    let (status, _) = send(encode(&seal("node-a", now))).await.unwrap();
    assert_eq!(status, 200);
    revoke(b, "node-a").await;
    match send(encode(&seal("node-a", now))).await {
        Ok((status, body)) => {
            assert_eq!(
                (status, body["code"].as_str()),
                (403, Some("unknown_sender"))
            )
        }
        Err(error) => assert!(error.is_connect() || error.is_request(), "{error:?}"),
    }
    let fresh = liaison_server::federation::transport::partner_client(
        &federation.identity,
        &partner_b.tls_fingerprint,
        Duration::from_secs(5),
    )
    .unwrap();
    let refused = fresh
        .post(&url)
        .body(encode(&seal("node-a", now)))
        .send()
        .await;
    assert!(refused.is_err(), "the handshake must fail: {refused:?}");

    let refusals: Vec<String> = eventually(
        Duration::from_secs(10),
        "the handshake refusal in node-b's log",
        || async {
            let details: Vec<String> = audit(b)
                .await
                .into_iter()
                .filter(|e| e.action == "federation.refused")
                .filter_map(|e| e.detail)
                .collect();
            details
                .iter()
                .any(|d| d.contains("not pinned"))
                .then_some(details)
        },
    )
    .await;
    for code in [
        "unknown_sender",
        "from_the_future",
        "unsupported_version",
        "malformed",
        "unsupported_kind",
    ] {
        assert!(
            refusals.iter().any(|d| d.starts_with(code)),
            "{code} logged: {refusals:?}"
        );
    }
}
