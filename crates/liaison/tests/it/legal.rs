//! Legal cooperation between two federated nodes: a European Investigation Order drafted on A, received and
//! recognised on B, evidence returned with its chain of custody and verified on A, closed; both sides agree
//! on every state and time. Deadlines are checked with injected time, never by sleeping.

use std::time::Duration;

use chrono::Duration as Span;
use liaison_core::Role;
use serde_json::{Value, json};

use crate::harness::{TestNode, eventually, get, post, spawn_federation};

const WAIT: Duration = Duration::from_secs(20);

const CATALOGUE: &str = "code,name,max_penalty_years,iccs\n\
StGB 263,Betrug (fraud),5,0701\n\
StGB 261,Geldwaesche (money laundering),5,07041\n\
StGB 232a,Menschenhandel (trafficking in human beings),10,0204\n";

fn eio_form(executing: &str) -> Value {
    json!({
        "kind": "eio",
        "executing_node": executing,
        "urgent": false,
        "case_ref": "OP-LANTERN-7",
        "requesting_authority": {"name": "Public Prosecutor's Office, Zagreb", "country": "HR", "contact": "+385 1 000 0000"},
        "executing_authority": {"name": "Central Authority for MLA", "country": "DE"},
        "persons": [{"name": "Владимир Щербаков", "birth_date": "1978-04-12", "nationality": "RUS", "role": "suspect"}],
        "offences": [{"iccs": "0701", "national_name": "Fraud", "national_code": "KZ 236", "max_penalty_years": 8, "listed_category": "swindling"}],
        "facts": "Between March and June 2026 the suspect obtained 1.2 million euros from 40 victims through a fake investment platform.\nThe proceeds were moved to an account held in the executing state.",
        "measures": ["Bank records of account DE89 3704 0044 0532 0130 00 for 2026-01-01 to 2026-07-31", "Identity of the account holder"]
    })
}

async fn request_on(node: &TestNode, token: &str, id: &str) -> Value {
    let (status, body) = get(node, token, &format!("/api/v1/legal-requests/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn act(node: &TestNode, token: &str, id: &str, action: &str, body: Value) -> Value {
    let (status, answer) = post(
        node,
        token,
        &format!("/api/v1/legal-requests/{id}/actions/{action}"),
        body,
    )
    .await;
    assert_eq!(status, 200, "{action}: {answer}");
    answer
}

/// Waits until `node` holds the request in `state`.
async fn reaches(node: &TestNode, token: &str, id: &str, state: &str) -> Value {
    eventually(
        WAIT,
        &format!("{state} on {}", node.node.id.as_str()),
        || async {
            let (status, body) = get(node, token, &format!("/api/v1/legal-requests/{id}")).await;
            (status == 200 && body["state"] == state).then_some(body)
        },
    )
    .await
}

/// Seals `payload` on node `from` for node `to`, as `from`'s outbox would, and posts it over the federation
/// link at once: the status `to` answers. Lets a test deliver what a partner's node would send, in the
/// order (or with the flaws) the test needs.
async fn deliver_from<P: liaison_proto::federation::Payload>(
    from: &TestNode,
    to: &str,
    payload: &P,
    thread: &str,
) -> u16 {
    let federation = from.node.federation.clone().unwrap();
    let envelope = federation
        .seal(
            from.node.id.as_str(),
            to,
            from.node.now(),
            "H1",
            payload,
            Some(thread.to_owned()),
            None,
        )
        .unwrap();
    let partner = from.node.store.get_partner(to).await.unwrap().unwrap();
    let client = federation.client_for(&partner).unwrap();
    liaison_server::federation::post_envelope(&client, &partner, &envelope, Duration::from_secs(5))
        .await
        .unwrap()
        .0
}

/// An action of the executing side on request `id`, numbered `ordinal`, reaching `state`.
fn executing_action(
    node: &TestNode,
    id: &str,
    action: &str,
    ordinal: u32,
    state: &str,
) -> liaison_proto::federation::LegalActionMessage {
    liaison_proto::federation::LegalActionMessage {
        request_id: id.to_owned(),
        action: action.to_owned(),
        side: "executing".to_owned(),
        ordinal,
        at: liaison_proto::federation::format_timestamp(node.node.now()),
        actor: "central".to_owned(),
        state: state.to_owned(),
        grounds: None,
        note: None,
        date: None,
        deadline: None,
        days: None,
        reason: None,
    }
}

/// The timeline entries both sides share: every action after the requester's draft.
fn shared_timeline(body: &Value) -> Vec<(String, String, String, String)> {
    body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] != "create")
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["at"].as_str().unwrap().to_owned(),
                e["side"].as_str().unwrap().to_owned(),
                e["state_after"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_investigation_order_runs_between_two_nodes_with_evidence_in_custody() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let authority = b.token("central", &[Role::Legal]).await;
    let officer = a.token("officer", &[Role::Officer]).await;

    // B publishes its offence catalogue; A can then check dual criminality against B's law.
    let response = b
        .http
        .put(b.url("/api/v1/offence-catalogue"))
        .bearer_auth(&authority)
        .body(CATALOGUE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    eventually(WAIT, "B's catalogue on A", || async {
        let (_, body) = get(a, &prosecutor, "/api/v1/offence-catalogue?node=node-b").await;
        (body["offences"].as_array().map(Vec::len) == Some(3)).then_some(())
    })
    .await;
    let (status, dual) = post(
        a,
        &prosecutor,
        "/api/v1/dual-criminality",
        json!({"iccs": "0701", "issuing_max_penalty_years": 2, "executing_node": "node-b"}),
    )
    .await;
    assert_eq!(status, 200, "{dual}");
    assert_eq!(dual["result"], "satisfied", "{dual}");
    let (_, listed) = post(
        a,
        &prosecutor,
        "/api/v1/dual-criminality",
        json!({"iccs": "0204", "issuing_max_penalty_years": 5, "listed_category": "trafficking in human beings", "executing_node": "node-b"}),
    )
    .await;
    assert_eq!(listed["result"], "not_required", "{listed}");

    // Drafted on A: the deadlines exist but do not run before B receives the order.
    let (status, draft) = post(a, &prosecutor, "/api/v1/legal-requests", eio_form("node-b")).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["state"], "draft");
    let names: Vec<&str> = draft["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["recognition", "execution"]);
    assert!(
        draft["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["due"].is_null())
    );

    // A police officer may not act on a judicial request; the executing side's actions are not A's.
    let (status, _) = post(
        a,
        &officer,
        &format!("/api/v1/legal-requests/{id}/actions/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, refused) = post(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/actions/recognise"),
        json!({}),
    )
    .await;
    assert_eq!(status, 409, "{refused}");
    let (status, _) = post(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/actions/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404);

    act(a, &prosecutor, &id, "send", json!({})).await;
    // B receives it; its receipt comes back to A.
    let received = reaches(b, &authority, &id, "received").await;
    assert_eq!(received["side"], "executing");
    assert_eq!(received["form"]["persons"][0]["name"], "Владимир Щербаков");
    let on_a = reaches(a, &prosecutor, &id, "received").await;
    assert_eq!(on_a["deadlines"][0]["due"], received["deadlines"][0]["due"]);
    assert!(received["deadlines"][0]["due"].is_string());
    assert!(
        received["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("acknowledge"))
    );

    // B asks for more information: the recognition clock stops until A supplies it.
    act(b, &authority, &id, "acknowledge", json!({})).await;
    act(
        b,
        &authority,
        &id,
        "request_information",
        json!({"note": "Name of the bank"}),
    )
    .await;
    reaches(a, &prosecutor, &id, "information_requested").await;
    b.clock.advance(Span::days(2));
    a.clock.advance(Span::days(2));
    act(
        a,
        &prosecutor,
        &id,
        "supply_information",
        json!({"note": "Deutsche Bank AG"}),
    )
    .await;
    let supplied = reaches(b, &authority, &id, "information_supplied").await;
    let received_due =
        chrono::DateTime::parse_from_rfc3339(received["deadlines"][0]["due"].as_str().unwrap())
            .unwrap();
    let paused_due =
        chrono::DateTime::parse_from_rfc3339(supplied["deadlines"][0]["due"].as_str().unwrap())
            .unwrap();
    // The two nodes' clocks differ by the milliseconds between their starts.
    let moved = paused_due - received_due - Span::days(2);
    assert!(
        moved.num_milliseconds().abs() < 1_000,
        "the pause moves the recognition deadline by two days, not {moved}"
    );

    // A refusal needs grounds.
    let (status, problem) = post(
        b,
        &authority,
        &format!("/api/v1/legal-requests/{id}/actions/refuse"),
        json!({}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("grounds"));

    act(b, &authority, &id, "recognise", json!({})).await;
    act(b, &authority, &id, "execute", json!({})).await;

    // B collects the bank records and returns them.
    let statement = b"IBAN DE89370400440532013000\n2026-03-04;-250000.00;transfer\n".to_vec();
    let response = b
        .http
        .post(b.url(&format!(
            "/api/v1/legal-requests/{id}/evidence?name=statement.csv&note=Produced+by+the+bank"
        )))
        .bearer_auth(&authority)
        .header("content-type", "text/csv")
        .body(statement.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let added: Value = response.json().await.unwrap();
    let evidence_id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(added["sha256"], liaison_crypto::sha256_hex(&statement));
    let (status, sent) = post(
        b,
        &authority,
        &format!("/api/v1/legal-requests/{id}/evidence/{evidence_id}/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    act(
        b,
        &authority,
        &id,
        "complete",
        json!({"note": "All records produced"}),
    )
    .await;

    // A verifies the evidence on receipt: digest, size and every custody signature.
    let executed = reaches(a, &prosecutor, &id, "executed").await;
    let evidence = eventually(WAIT, "evidence on A", || async {
        let body = request_on(a, &prosecutor, &id).await;
        body["evidence"].as_array().and_then(|e| e.first().cloned())
    })
    .await;
    assert_eq!(evidence["status"], "intact", "{evidence}");
    let custody: Vec<(&str, &str, &str)> = evidence["custody"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap(),
                e["node"].as_str().unwrap(),
                e["verification"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        custody,
        [
            ("collected", "node-b", "verified"),
            ("sealed", "node-b", "verified"),
            ("sent", "node-b", "verified"),
            ("received", "node-a", "own"),
            ("verified", "node-a", "own"),
        ]
    );
    let response = a
        .http
        .get(a.url(&format!(
            "/api/v1/legal-requests/{id}/evidence/{evidence_id}/content"
        )))
        .bearer_auth(&prosecutor)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.unwrap().to_vec(), statement);
    let (_, opened) = get(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/evidence/{evidence_id}"),
    )
    .await;
    assert_eq!(
        opened["custody"].as_array().unwrap().last().unwrap()["event"],
        "opened"
    );

    act(a, &prosecutor, &id, "close", json!({})).await;
    let closed_b = reaches(b, &authority, &id, "closed").await;
    let closed_a = request_on(a, &prosecutor, &id).await;

    // Both sides agree on every state and time, and on the deadlines.
    assert_eq!(shared_timeline(&closed_a), shared_timeline(&closed_b));
    let actions: Vec<String> = shared_timeline(&closed_a)
        .into_iter()
        .map(|t| t.0)
        .collect();
    assert_eq!(
        actions,
        [
            "send",
            "receive",
            "acknowledge",
            "request_information",
            "supply_information",
            "recognise",
            "execute",
            "complete",
            "close"
        ]
    );
    assert_eq!(closed_a["deadlines"], closed_b["deadlines"]);
    let statuses: Vec<&str> = closed_a["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["met", "met"], "{}", closed_a["deadlines"]);
    assert_eq!(executed["state"], "executed");

    // The printed order.
    let response = a
        .http
        .get(a.url(&format!("/api/v1/legal-requests/{id}/pdf")))
        .bearer_auth(&prosecutor)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf).contains("European Investigation Order"));

    // Turnaround: one answered request each way, within its deadlines.
    let (_, stats) = get(b, &authority, "/api/v1/legal-requests/statistics").await;
    let row = &stats["rows"][0];
    assert_eq!(
        (
            row["partner"].as_str(),
            row["kind"].as_str(),
            row["side"].as_str()
        ),
        (Some("node-a"), Some("eio"), Some("executing"))
    );
    assert_eq!(row["answered"], 1);
    assert_eq!(row["within_deadline"], 1.0);

    // Both sides audited every step under the request.
    let a_log = a.audit_actions().await;
    let b_log = b.audit_actions().await;
    for action in [
        "legal.create",
        "legal.action",
        "legal.mirror",
        "legal.evidence_receive",
        "legal.evidence_open",
        "legal.read",
    ] {
        assert!(
            a_log
                .iter()
                .any(|(act, outcome, _)| act == action && outcome == "ok"),
            "A lacks {action}"
        );
    }
    for action in [
        "legal.receive",
        "legal.action",
        "legal.mirror",
        "legal.evidence_add",
        "legal.evidence_send",
        "legal.catalogue_load",
    ] {
        assert!(
            b_log
                .iter()
                .any(|(act, outcome, _)| act == action && outcome == "ok"),
            "B lacks {action}"
        );
    }
    assert!(
        a_log
            .iter()
            .any(|(act, outcome, _)| act == "legal.action" && outcome == "refused")
    );
}

#[tokio::test]
async fn the_overdue_list_flags_a_request_whose_deadline_passed() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let officer_a = a.token("spoc-a", &[Role::Officer]).await;
    let officer_b = b.token("spoc-b", &[Role::Officer]).await;
    // An urgent request for information B's officers query directly: 8 hours from receipt.
    let form = json!({
        "kind": "information_request",
        "executing_node": "node-b",
        "urgent": true,
        "urgency_reason": "Imminent handover of a kidnapped child",
        "availability": "direct",
        "requesting_authority": {"name": "SPOC XAA"},
        "offences": [{"iccs": "0202", "national_name": "Kidnapping", "max_penalty_years": 10}],
        "facts": "The suspect's phone +4915112345678 was used to arrange a handover tonight.",
        "measures": ["Subscriber of +4915112345678"]
    });
    let (status, draft) = post(a, &officer_a, "/api/v1/legal-requests", form).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    act(a, &officer_a, &id, "send", json!({})).await;
    let received = reaches(b, &officer_b, &id, "received").await;
    assert_eq!(received["deadlines"][0]["name"], "reply");
    assert!(
        received["deadlines"][0]["rule"]
            .as_str()
            .unwrap()
            .contains("8 hours")
    );

    let listed = |node: &'static str, query: &'static str| {
        let (node, token) = if node == "a" {
            (a, officer_a.clone())
        } else {
            (b, officer_b.clone())
        };
        async move {
            let (status, body) =
                get(node, &token, &format!("/api/v1/legal-requests?{query}")).await;
            assert_eq!(status, 200, "{body}");
            body["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["id"].as_str().unwrap().to_owned(),
                        r["due_status"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    reaches(a, &officer_a, &id, "received").await;
    assert!(listed("b", "overdue=true").await.is_empty());
    assert_eq!(
        listed("b", "due_within_hours=10").await,
        [(id.clone(), "due_soon".to_owned())]
    );
    assert!(listed("b", "due_within_hours=1").await.is_empty());

    // Nine hours later, on both nodes' clocks.
    a.clock.advance(Span::hours(9));
    b.clock.advance(Span::hours(9));
    assert_eq!(
        listed("b", "overdue=true").await,
        [(id.clone(), "overdue".to_owned())]
    );
    assert_eq!(
        listed("a", "overdue=true").await,
        [(id.clone(), "overdue".to_owned())]
    );
    let (_, body) = get(b, &officer_b, &format!("/api/v1/legal-requests/{id}")).await;
    assert_eq!(body["deadlines"][0]["status"], "overdue");
    assert_eq!(body["deadlines"][0]["hours_left"], -1);

    // Answering late: the deadline is met late and leaves the overdue list.
    act(b, &officer_b, &id, "acknowledge", json!({})).await;
    act(b, &officer_b, &id, "recognise", json!({})).await;
    act(b, &officer_b, &id, "execute", json!({})).await;
    let done = act(b, &officer_b, &id, "complete", json!({})).await;
    assert_eq!(done["deadlines"][0]["status"], "met_late");
    assert!(listed("b", "overdue=true").await.is_empty());

    // Bad queries name the parameter.
    let (status, problem) = get(b, &officer_b, "/api/v1/legal-requests?state=lost").await;
    assert_eq!(status, 400, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("state"));
}

#[tokio::test]
async fn a_form_missing_what_its_kind_needs_is_refused_with_the_field() {
    let nodes = spawn_federation(&[false, false]).await;
    let a = &nodes[0];
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let mut form = eio_form("node-b");
    form["measures"] = json!([]);
    let (status, problem) = post(a, &prosecutor, "/api/v1/legal-requests", form).await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("measures"),
        "{problem}"
    );

    let mut form = eio_form("node-b");
    form["offences"][0]["iccs"] = json!("1299");
    let (status, problem) = post(a, &prosecutor, "/api/v1/legal-requests", form).await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("offences[0].iccs"),
        "{problem}"
    );

    let (status, problem) =
        post(a, &prosecutor, "/api/v1/legal-requests", eio_form("node-z")).await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("executing_node"),
        "{problem}"
    );

    let mut form = eio_form("node-b");
    form["urgent"] = json!(true);
    let (status, problem) = post(a, &prosecutor, "/api/v1/legal-requests", form).await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("urgency_reason"),
        "{problem}"
    );
}

#[tokio::test]
async fn evidence_that_does_not_match_its_digest_is_flagged_on_receipt() {
    use liaison_federation::{EvidenceRef, append_custody};
    use liaison_proto::federation::{LegalEvidenceMessage, format_timestamp};
    use liaison_proto::legal::CustodyEvent;

    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let authority = b.token("central", &[Role::Legal]).await;
    let (_, draft) = post(a, &prosecutor, "/api/v1/legal-requests", eio_form("node-b")).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    act(a, &prosecutor, &id, "send", json!({})).await;
    reaches(b, &authority, &id, "received").await;

    // B's chain was signed over the collected content, but other bytes arrive.
    let federation = b.node.federation.clone().unwrap();
    let collected = b"statement as collected".to_vec();
    let arriving = b"statement as altered!!".to_vec();
    let digest = liaison_crypto::sha256_hex(&collected);
    let evidence = EvidenceRef {
        request_id: &id,
        evidence_id: "ev-tampered",
        size: collected.len() as u64,
    };
    let event = CustodyEvent {
        seq: 0,
        event: "collected".to_owned(),
        at: format_timestamp(b.node.now()),
        node: "node-b".to_owned(),
        actor: "central".to_owned(),
        sha256: digest.clone(),
        note: None,
        prev: String::new(),
        signature: String::new(),
    };
    let chain = vec![append_custody(&federation.key, evidence, &[], event)];
    let message = LegalEvidenceMessage {
        request_id: id.clone(),
        evidence_id: "ev-tampered".to_owned(),
        name: "statement.txt".to_owned(),
        media_type: "text/plain".to_owned(),
        size: collected.len() as u64,
        sha256: digest,
        content: data_encoding::BASE64.encode(&arriving),
        custody: chain,
    };
    assert_eq!(deliver_from(b, "node-a", &message, &id).await, 200);

    let (_, body) = get(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/evidence/ev-tampered"),
    )
    .await;
    assert_eq!(body["status"], "mismatch", "{body}");
    let detail = body["status_detail"].as_str().unwrap();
    assert!(detail.contains("differs from the declared"), "{detail}");
    // The collected event's signature is right, but it speaks of other content than what arrived.
    assert!(
        body["custody"][0]["verification"]
            .as_str()
            .unwrap()
            .starts_with("mismatch")
    );
    // No `verified` event is recorded for it.
    let events: Vec<&str> = body["custody"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["collected", "received"]);
    assert!(
        a.audit_actions()
            .await
            .iter()
            .any(|(action, outcome, _)| action == "legal.evidence_receive" && outcome == "mismatch")
    );
}

#[tokio::test]
async fn an_action_that_arrives_before_an_earlier_one_waits_for_it_and_follows_it_at_once() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let authority = b.token("central", &[Role::Legal]).await;
    let (_, draft) = post(a, &prosecutor, "/api/v1/legal-requests", eio_form("node-b")).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    act(a, &prosecutor, &id, "send", json!({})).await;
    reaches(b, &authority, &id, "received").await;
    reaches(a, &prosecutor, &id, "received").await;

    // B's second and third actions, delivered to A in the wrong order (as after a retry).
    let deliver = |action: &str, ordinal: u32, state: &str| {
        let message = executing_action(b, &id, action, ordinal, state);
        let id = id.clone();
        async move { deliver_from(b, "node-a", &message, &id).await }
    };
    let early = deliver("recognise", 3, "recognised").await;
    assert_ne!(early, 200, "the third action is held back");
    assert_eq!(request_on(a, &prosecutor, &id).await["state"], "received");
    assert_eq!(deliver("acknowledge", 2, "acknowledged").await, 200);
    // The held action is applied as soon as the one before it is, without waiting for the inbox's retry.
    let recognised = request_on(a, &prosecutor, &id).await;
    assert_eq!(recognised["state"], "recognised");
    let actions: Vec<&str> = recognised["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["create", "send", "receive", "acknowledge", "recognise"]
    );
    // Delivered again: applied once.
    assert_eq!(deliver("acknowledge", 2, "acknowledged").await, 200);
    assert_eq!(
        request_on(a, &prosecutor, &id).await["timeline"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test]
async fn a_target_date_set_on_the_draft_travels_and_later_actions_keep_their_order() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let authority = b.token("central", &[Role::Legal]).await;
    let mut form = eio_form("node-b");
    form["kind"] = json!("mla");
    let (status, draft) = post(a, &prosecutor, "/api/v1/legal-requests", form).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    // Bad values are refused, naming them.
    let (status, problem) = post(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/actions/set_target_date"),
        json!({"date": "+262143-12-31"}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    let (status, _) = get(
        a,
        &prosecutor,
        "/api/v1/legal-requests?due_within_hours=4294967295",
    )
    .await;
    assert_eq!(status, 400);
    act(
        a,
        &prosecutor,
        &id,
        "set_target_date",
        json!({"date": "2027-06-30"}),
    )
    .await;
    act(a, &prosecutor, &id, "send", json!({})).await;
    let received = reaches(b, &authority, &id, "received").await;
    assert_eq!(
        received["deadlines"][0]["due"], "2027-06-30T23:59:59.000000Z",
        "{received}"
    );
    // The requester's next action is not held back by what it did to its draft.
    let (status, problem) = post(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/actions/extend"),
        json!({"deadline": "target_date", "days": 100000, "reason": "x"}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    act(
        a,
        &prosecutor,
        &id,
        "extend",
        json!({"deadline": "target_date", "days": 30, "reason": "the bank needs longer"}),
    )
    .await;
    let extended = eventually(WAIT, "the extension on node-b", || async {
        let body = request_on(b, &authority, &id).await;
        (body["deadlines"][0]["due"] == "2027-07-30T23:59:59.000000Z").then_some(body)
    })
    .await;
    assert_eq!(extended["state"], "received");
}

#[tokio::test]
async fn an_action_that_does_not_fit_is_kept_as_not_applied_and_the_next_ones_still_apply() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let authority = b.token("central", &[Role::Legal]).await;
    let (_, draft) = post(a, &prosecutor, "/api/v1/legal-requests", eio_form("node-b")).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    act(a, &prosecutor, &id, "send", json!({})).await;
    reaches(b, &authority, &id, "received").await;
    reaches(a, &prosecutor, &id, "received").await;

    let deliver = |action: &str, ordinal: u32, state: &str| {
        let message = executing_action(b, &id, action, ordinal, state);
        let id = id.clone();
        async move { deliver_from(b, "node-a", &message, &id).await }
    };
    // A completion the requester's state cannot take: kept, not applied, and audited.
    assert_eq!(deliver("complete", 2, "executed").await, 200);
    let body = request_on(a, &prosecutor, &id).await;
    assert_eq!(body["state"], "received");
    let last = body["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "complete_not_applied", "{last}");
    // The executing side's next action still applies.
    assert_eq!(deliver("acknowledge", 3, "acknowledged").await, 200);
    assert_eq!(
        request_on(a, &prosecutor, &id).await["state"],
        "acknowledged"
    );
    assert!(
        a.audit_actions()
            .await
            .iter()
            .any(|(action, outcome, _)| action == "legal.mirror" && outcome == "refused")
    );
}

#[tokio::test]
async fn evidence_whose_custody_chain_lost_an_event_is_not_intact() {
    use liaison_federation::{EvidenceRef, append_custody};
    use liaison_proto::federation::{LegalEvidenceMessage, format_timestamp};
    use liaison_proto::legal::CustodyEvent;

    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = a.token("prosecutor", &[Role::Legal]).await;
    let authority = b.token("central", &[Role::Legal]).await;
    let (_, draft) = post(a, &prosecutor, "/api/v1/legal-requests", eio_form("node-b")).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    act(a, &prosecutor, &id, "send", json!({})).await;
    reaches(b, &authority, &id, "received").await;

    let federation = b.node.federation.clone().unwrap();
    let content = b"ledger pages 1-40".to_vec();
    let digest = liaison_crypto::sha256_hex(&content);
    let evidence = EvidenceRef {
        request_id: &id,
        evidence_id: "ev-gap",
        size: content.len() as u64,
    };
    let mut chain: Vec<CustodyEvent> = Vec::new();
    for name in ["collected", "sealed", "opened", "sent"] {
        let draft = CustodyEvent {
            seq: 0,
            event: name.to_owned(),
            at: format_timestamp(b.node.now()),
            node: "node-b".to_owned(),
            actor: "central".to_owned(),
            sha256: digest.clone(),
            note: None,
            prev: String::new(),
            signature: String::new(),
        };
        let next = append_custody(&federation.key, evidence, &chain, draft);
        chain.push(next);
    }
    // Someone on the way removed the third event (an opening) from the chain.
    chain.remove(2);
    let message = LegalEvidenceMessage {
        request_id: id.clone(),
        evidence_id: "ev-gap".to_owned(),
        name: "ledger.txt".to_owned(),
        media_type: "text/plain".to_owned(),
        size: content.len() as u64,
        sha256: digest,
        content: data_encoding::BASE64.encode(&content),
        custody: chain,
    };
    assert_eq!(deliver_from(b, "node-a", &message, &id).await, 200);
    let (_, body) = get(
        a,
        &prosecutor,
        &format!("/api/v1/legal-requests/{id}/evidence/ev-gap"),
    )
    .await;
    assert_eq!(body["status"], "mismatch", "{body}");
    let events: Vec<(u64, &str)> = body["custody"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["seq"].as_u64().unwrap(), e["event"].as_str().unwrap()))
        .collect();
    // This node's receipt continues after the highest number, never over it; no `verified`.
    assert_eq!(
        events,
        [
            (1, "collected"),
            (2, "sealed"),
            (4, "sent"),
            (5, "received")
        ]
    );
}

#[tokio::test]
async fn a_partner_cannot_choose_ids_that_would_become_other_addresses() {
    use liaison_proto::federation::{LegalRequestMessage, encode_payload, format_timestamp};

    let form: liaison_proto::legal::LegalRequestForm =
        serde_json::from_value(eio_form("node-b")).unwrap();
    let message = LegalRequestMessage {
        request_id: "x/../../disclosure-requests/1/approve?".to_owned(),
        sent_at: format_timestamp(chrono::Utc::now()),
        created_by: "prosecutor".to_owned(),
        form,
    };
    let error = encode_payload(&message).unwrap_err().to_string();
    assert!(error.contains("payload.request_id"), "{error}");
}
