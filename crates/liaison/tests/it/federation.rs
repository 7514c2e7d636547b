//! Three nodes federated on 127.0.0.1 with real certificates: a federated search, a disclosure approved by
//! the owner's supervisor, and what both audit logs say; refusals of what must not get through.

use std::time::Duration;

use liaison_core::Role;
use liaison_proto::federation::{SearchRequest, encode};
use serde_json::{Value, json};

use crate::harness::{TestNode, eventually, get, post, spawn_federation};

async fn audit(node: &TestNode) -> Vec<liaison_store::AuditEntry> {
    node.node.store.audit_page(0, 10_000).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_finds_a_partners_person_and_gets_it_disclosed_with_the_owners_handling() {
    let nodes = spawn_federation(&[false, true, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let analyst = a.token("anna", &[Role::Analyst]).await;
    let supervisor_b = b.token("boris", &[Role::Supervisor]).await;

    // Step 1: hit/no-hit across the partners.
    let (status, found) = post(
        a,
        &analyst,
        "/api/v1/screen",
        json!({"query":{"names":["Wladimir Schtscherbakow"],"birth_date":"1975-03-14"},
               "purpose":"criminal_investigation","case_ref":"OP-LANTERN","scope":"federated"}),
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let partners = found["partners"].as_array().unwrap();
    assert_eq!(partners.len(), 2, "{found}");
    assert!(
        partners.iter().all(|p| p["status"] == "answered"),
        "{found}"
    );
    let hit = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["record"]["owner"] == "node-b")
        .unwrap_or_else(|| panic!("node-b's record is found: {found}"))
        .clone();
    assert_eq!(hit["record"]["type"], "person");
    assert!(
        hit["record"].get("id").is_none(),
        "no record id in step 1: {hit}"
    );
    let hit_ref = hit["hit_ref"].as_str().unwrap().to_owned();

    // Step 2: ask, B's supervisor approves, A sees the record with B's handling code.
    let (status, created) = post(
        a,
        &analyst,
        "/api/v1/disclosure-requests",
        json!({"hit_ref": hit_ref, "purpose": "criminal_investigation",
               "legal_basis": "Art. 3 Directive (EU) 2023/977", "case_ref": "OP-LANTERN"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["state"], "pending");
    let id = created["id"].as_str().unwrap().to_owned();

    let incoming: Value = eventually(Duration::from_secs(20), "the request at node-b", || async {
        let (_, list) = get(
            b,
            &supervisor_b,
            "/api/v1/disclosure-requests?direction=incoming",
        )
        .await;
        list.as_array()
            .and_then(|l| l.iter().find(|r| r["id"] == id.as_str()).cloned())
    })
    .await;
    assert_eq!(incoming["state"], "pending", "{incoming}");
    assert_eq!(incoming["partner"], "node-a");
    let (status, decided) = post(
        b,
        &supervisor_b,
        &format!("/api/v1/disclosure-requests/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["state"], "approved");

    let disclosed: Value = eventually(Duration::from_secs(20), "the record at node-a", || async {
        let (_, request) = get(a, &analyst, &format!("/api/v1/disclosure-requests/{id}")).await;
        (request["state"] == "approved").then_some(request)
    })
    .await;
    let record = &disclosed["record"];
    assert_eq!(record["type"], "person", "{disclosed}");
    assert_eq!(record["owner"], "node-b");
    assert_eq!(
        record["handling"]["code"], "H0",
        "node-b's handling code: {disclosed}"
    );
    assert!(
        record["names"].to_string().contains("Щербаков"),
        "{disclosed}"
    );

    // Both logs tell the same story under the same request id.
    let a_log = audit(a).await;
    let b_log = audit(b).await;
    let actions = |log: &[liaison_store::AuditEntry], id: &str| -> Vec<String> {
        log.iter()
            .filter(|e| e.objects.iter().any(|o| o.contains(id)))
            .map(|e| e.action.clone())
            .collect()
    };
    assert!(a_log.iter().any(|e| e.action == "federated_search"));
    assert!(b_log.iter().any(|e| e.action == "federated_search.answer"));
    let a_story = actions(&a_log, &id);
    let b_story = actions(&b_log, &id);
    for step in [
        "disclosure.request",
        "disclosure.decision",
        "disclosure.read",
    ] {
        assert!(a_story.contains(&step.to_owned()), "{step} in {a_story:?}");
    }
    for step in ["disclosure.received", "disclosure.approve"] {
        assert!(b_story.contains(&step.to_owned()), "{step} in {b_story:?}");
    }
    let approval = b_log
        .iter()
        .find(|e| e.action == "disclosure.approve")
        .unwrap();
    assert!(approval.objects.contains(&"person/p1".to_owned()));
    assert_eq!(approval.recipients, ["node-a"]);
    assert_eq!(approval.purpose.as_deref(), Some("criminal_investigation"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_disclosure_reaches_the_requester_with_its_reason() {
    let nodes = spawn_federation(&[false, true]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let officer = a.token("olga", &[Role::Officer]).await;
    let supervisor_b = b.token("boris", &[Role::Supervisor]).await;
    let (_, found) = post(
        a,
        &officer,
        "/api/v1/screen",
        json!({"query":{"names":["SHCHERBAKOV<<VLADIMIR"],"birth_date":"1975-03-14"},
               "purpose":"border_check","scope":"federated"}),
    )
    .await;
    let hit_ref = found["hits"][0]["hit_ref"].as_str().unwrap().to_owned();
    let (_, created) = post(
        a,
        &officer,
        "/api/v1/disclosure-requests",
        json!({"hit_ref": hit_ref, "purpose": "border_check", "legal_basis": "Schengen Borders Code Art. 8"}),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    eventually(Duration::from_secs(20), "the request at node-b", || async {
        let (_, list) = get(
            b,
            &supervisor_b,
            "/api/v1/disclosure-requests?direction=incoming",
        )
        .await;
        list.as_array()
            .is_some_and(|l| l.iter().any(|r| r["id"] == id.as_str()))
            .then_some(())
    })
    .await;
    let (status, _) = post(
        b,
        &officer_token_of(b).await,
        &format!("/api/v1/disclosure-requests/{id}/refuse"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "only a supervisor decides");
    let (status, refused) = post(
        b,
        &supervisor_b,
        &format!("/api/v1/disclosure-requests/{id}/refuse"),
        json!({"reason": "not proportionate to a routine border check"}),
    )
    .await;
    assert_eq!(status, 200, "{refused}");
    let seen: Value = eventually(Duration::from_secs(20), "the refusal at node-a", || async {
        let (_, request) = get(a, &officer, &format!("/api/v1/disclosure-requests/{id}")).await;
        (request["state"] == "refused").then_some(request)
    })
    .await;
    assert_eq!(
        seen["reason"],
        "not proportionate to a routine border check"
    );
    assert!(seen.get("record").is_none());
}

async fn officer_token_of(node: &TestNode) -> String {
    node.token("oscar", &[Role::Officer]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_misaddressed_and_replayed_envelopes_are_refused_and_logged() {
    let nodes = spawn_federation(&[false, true]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let federation = a.node.federation.clone().unwrap();
    let partner_b = a.node.store.get_partner("node-b").await.unwrap().unwrap();
    let client = federation.client_for(&partner_b).unwrap();
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
    let send = |bytes: Vec<u8>| {
        let client = client.clone();
        let partner = partner_b.clone();
        async move {
            let url = format!("{}/federation/v1/envelopes", partner.endpoint);
            let response = client.post(url).body(bytes).send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body)
        }
    };
    let now = a.node.now();
    let good = federation
        .seal("node-a", "node-b", now, "H1", &request, None, None)
        .unwrap();

    // Tampered: the payload changed after signing.
    let mut tampered = good.clone();
    tampered.payload["limit"] = json!(6);
    let (status, body) = send(encode(&tampered)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_signature")),
        "{body}"
    );

    // Addressed to another node.
    let elsewhere = federation
        .seal("node-a", "node-c", now, "H1", &request, None, None)
        .unwrap();
    let (status, body) = send(encode(&elsewhere)).await;
    assert_eq!(body["code"], "wrong_recipient", "{status} {body}");

    // Too old.
    let old = federation
        .seal(
            "node-a",
            "node-b",
            now - chrono::TimeDelta::days(3),
            "H1",
            &request,
            None,
            None,
        )
        .unwrap();
    let (_, body) = send(encode(&old)).await;
    assert_eq!(body["code"], "too_old", "{body}");

    // Accepted once, then refused as a replay.
    let (status, _) = send(encode(&good)).await;
    assert_eq!(status, 200);
    let (_, body) = send(encode(&good)).await;
    assert_eq!(body["code"], "replay", "{body}");

    // Oversized: refused before it is read (the server may close the connection while it is sent).
    let oversized = client
        .post(format!("{}/federation/v1/envelopes", partner_b.endpoint))
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await;
    if let Ok(response) = oversized {
        assert_eq!(response.status().as_u16(), 413);
    }

    let refusals: Vec<String> = audit(b)
        .await
        .into_iter()
        .filter(|e| e.action == "federation.refused")
        .filter_map(|e| e.detail)
        .collect();
    for code in ["bad_signature", "wrong_recipient", "too_old", "replay"] {
        assert!(
            refusals.iter().any(|d| d.starts_with(code)),
            "{code} logged: {refusals:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpinned_certificate_cannot_complete_the_handshake() {
    let nodes = spawn_federation(&[false, true]).await;
    let b = &nodes[1];
    let partner_b = nodes[0]
        .node
        .store
        .get_partner("node-b")
        .await
        .unwrap()
        .unwrap();
    let stranger = liaison_crypto::TlsIdentity::generate("node-x", &[]).unwrap();
    let client = liaison_server::federation::transport::partner_client(
        &stranger,
        &partner_b.tls_fingerprint,
        Duration::from_secs(5),
    )
    .unwrap();
    let result = client
        .post(format!("{}/federation/v1/envelopes", partner_b.endpoint))
        .body("{}")
        .send()
        .await;
    assert!(result.is_err(), "the handshake must fail: {result:?}");
    eventually(
        Duration::from_secs(10),
        "the refusal in node-b's log",
        || async {
            audit(b)
                .await
                .iter()
                .any(|e| {
                    e.action == "federation.refused"
                        && e.detail
                            .as_deref()
                            .is_some_and(|d| d.contains("not pinned"))
                })
                .then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_messages_attachment_travels_with_it_and_is_checked_before_it_is_opened() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let sender = a.token("sender", &[Role::Officer]).await;
    let reader = b.token("reader", &[Role::Officer]).await;
    let photo = b"\x89PNG\r\n\x1a\n a photo of the van".to_vec();
    let digest = liaison_crypto::sha256_hex(&photo);
    let content = data_encoding::BASE64.encode(&photo);
    let message = |content: &str, sha256: &str| {
        json!({
            "to": "node-b", "subject": "Van at the harbour", "body": "See the photo.",
            "handling": "H1", "case_ref": "EX-7",
            "attachments": [{"name": "van.png", "sha256": sha256, "size": photo.len(), "media_type": "image/png", "content": content}]
        })
    };
    // Content that is not the file the digest names is refused before anything is sent.
    let (status, problem) = post(
        a,
        &sender,
        "/api/v1/messages",
        message(&content, &"0".repeat(64)),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("attachments[0].content"),
        "{problem}"
    );

    let (status, sent) = post(a, &sender, "/api/v1/messages", message(&content, &digest)).await;
    assert_eq!(status, 201, "{sent}");
    let id = sent["id"].as_str().unwrap().to_owned();
    let received = eventually(Duration::from_secs(20), "the message on node-b", || async {
        let (status, body) = get(b, &reader, &format!("/api/v1/messages/{id}")).await;
        (status == 200).then_some(body)
    })
    .await;
    assert_eq!(received["attachments"][0]["included"], true);
    assert!(
        received["attachments"][0].get("content").is_none(),
        "listings carry no content"
    );
    let response = b
        .http
        .get(b.url(&format!("/api/v1/messages/{id}/attachments/0")))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["x-content-sha256"], digest.as_str());
    assert_eq!(response.bytes().await.unwrap().to_vec(), photo);
    let (status, _) = get(b, &reader, &format!("/api/v1/messages/{id}/attachments/1")).await;
    assert_eq!(status, 404);
    assert!(
        audit(b)
            .await
            .iter()
            .any(|e| e.action == "message.attachment" && e.outcome == "ok")
    );
}

#[tokio::test]
async fn only_records_whose_distribution_includes_the_partner_are_its_hits() {
    let nodes = spawn_federation(&[false, false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let analyst_b = b.token("analyst-b", &[Role::Analyst]).await;
    let analyst_a = a.token("analyst-a", &[Role::Analyst]).await;
    let person = |id: &str, name: &str, handling: Value| {
        let mut record = json!({
            "type": "person", "id": id,
            "names": [{"full": name, "kind": "primary"}],
            "birth_dates": ["1981-07-04"], "sex": "M", "nationalities": ["XBB"]
        });
        if !handling.is_null() {
            record["handling"] = handling;
        }
        record
    };
    let (status, stored) = post(
        b,
        &analyst_b,
        "/api/v1/records",
        json!([
            person(
                "n1",
                "Bartholomew Quennell",
                json!({"code": "H0", "distribution": "national"})
            ),
            person("n2", "Cornelius Abernethy", Value::Null),
            person(
                "s1",
                "Desmond Fairweather",
                json!({"code": "H1", "distribution": "partners"})
            ),
            person(
                "l1",
                "Ethelbert Ravenscroft",
                json!({"code": "H1", "distribution": ["node-c"]})
            ),
            person(
                "l2",
                "Fulbert Winterbourne",
                json!({"code": "H1", "distribution": ["node-a"]})
            ),
        ]),
    )
    .await;
    assert!(status == 200 || status == 201, "{stored}");
    let hits_from_b = |name: &'static str| {
        let token = analyst_a.clone();
        async move {
            let (status, body) = post(
                a,
                &token,
                "/api/v1/screen",
                json!({"query": {"names": [name], "birth_date": "1981-07-04"}, "purpose": "criminal_investigation", "scope": "federated"}),
            )
            .await;
            assert_eq!(status, 200, "{body}");
            body["hits"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|h| h["record"]["owner"] == "node-b")
                .count()
        }
    };
    // National (stated, or by default without handling) and lists without node-a: not even a hit.
    assert_eq!(hits_from_b("Bartholomew Quennell").await, 0);
    assert_eq!(hits_from_b("Cornelius Abernethy").await, 0);
    assert_eq!(hits_from_b("Ethelbert Ravenscroft").await, 0);
    // Shared with partners, or with node-a by name: found.
    assert_eq!(hits_from_b("Desmond Fairweather").await, 1);
    assert_eq!(hits_from_b("Fulbert Winterbourne").await, 1);
}
