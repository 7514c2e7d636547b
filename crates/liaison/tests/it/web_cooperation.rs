//! The cooperation pages as two agencies' staff use them in a browser: a message written on one node and
//! read in the partner's inbox, a partner's disclosure request approved on the owner's page, an
//! investigation order drafted through the form, recognised through the action buttons and answered with
//! evidence whose custody chain checks on the requester's page, and the overdue filter of the worklist.

use std::time::Duration;

use chrono::Duration as Span;
use liaison_core::Role;
use liaison_crypto::TotpSecret;
use serde_json::{Value, json};

use crate::harness::{TestNode, eventually, get, post, spawn_federation};
use crate::web::{WebSession, enrolled_user};

const WAIT: Duration = Duration::from_secs(20);

/// Posts a multipart form (file uploads) with the session's CSRF token; status, `Location` and HTML.
async fn post_multipart(
    session: &WebSession,
    path: &str,
    form: reqwest::multipart::Form,
) -> (u16, Option<String>, String) {
    let form = form.text("_csrf", session.csrf.clone());
    let response = session
        .client
        .post(format!("{}{path}", session.base))
        .header("cookie", &session.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        response.status().as_u16(),
        location,
        response.text().await.unwrap(),
    )
}

/// Follows a post/redirect/get: the redirect's target page.
async fn follow(session: &WebSession, answer: (u16, Option<String>, String)) -> (String, String) {
    let (status, location, body) = answer;
    assert_eq!(status, 303, "expected a redirect: {body}");
    let location = location.unwrap();
    let (status, page) = session.get(&location).await;
    assert_eq!(status, 200, "{page}");
    (location, page)
}

/// The first request a page links to (`href="/legal/<id>"`, the form's `/legal/new` aside).
fn legal_id_in(html: &str) -> Option<String> {
    html.split("href=\"/legal/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|id| !matches!(*id, "new" | "statistics" | "catalogue"))
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_written_on_one_node_is_read_in_the_partners_inbox() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let anna = enrolled_user(a, "anna", &[Role::Legal]).await;
    let boris = enrolled_user(b, "boris", &[Role::Legal]).await;
    let on_a = WebSession::login(a, "anna", &anna).await;
    let on_b = WebSession::login(b, "boris", &boris).await;

    let (status, form) = on_a.get("/messages/new").await;
    assert_eq!(status, 200);
    assert!(form.contains("<option value=\"node-b\""), "{form}");
    assert!(form.contains("<label for=\"attachments\">"));
    assert!(
        form.contains("H2: no dissemination without the owner"),
        "{form}"
    );

    // A subject is needed: the form comes back with the field named and the text kept.
    let refused = post_multipart(
        &on_a,
        "/messages/new",
        reqwest::multipart::Form::new()
            .text("to", "node-b")
            .text("subject", " ")
            .text("body", "Text that must not be lost")
            .text("handling", "H1"),
    )
    .await;
    assert_eq!(refused.0, 400, "{}", refused.2);
    assert!(
        refused.2.contains("Subject: a message needs a subject"),
        "{}",
        refused.2
    );
    assert!(refused.2.contains("Text that must not be lost"));

    let statement = b"IBAN DE89370400440532013000;2026-03-04;-250000.00\n".to_vec();
    let digest = liaison_crypto::sha256_hex(&statement);
    let sent = post_multipart(
        &on_a,
        "/messages/new",
        reqwest::multipart::Form::new()
            .text("to", "node-b")
            .text("subject", "Accounts of the suspect")
            .text(
                "body",
                "Please find the bank statement.\nCall the desk for the original.",
            )
            .text("case_ref", "OP-LANTERN-7")
            .text("handling", "H2")
            .part(
                "attachments",
                reqwest::multipart::Part::bytes(statement.clone())
                    .file_name("statement.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            ),
    )
    .await;
    let (location, page) = follow(&on_a, sent).await;
    let id = location
        .strip_prefix("/messages/")
        .and_then(|rest| rest.split('?').next())
        .unwrap()
        .to_owned();
    assert!(
        page.contains("Message queued for delivery to node-b"),
        "{page}"
    );
    assert!(page.contains("Handling code H2"));
    assert!(
        page.contains(&digest),
        "the digest is computed from the uploaded bytes"
    );
    assert!(page.contains("statement.csv"));

    // The partner's inbox shows it in its case, then the message itself with the same digest.
    let inbox = eventually(WAIT, "the message in node-b's inbox", || async {
        let (status, inbox) = on_b.get("/messages").await;
        assert_eq!(status, 200, "{inbox}");
        inbox.contains("Accounts of the suspect").then_some(inbox)
    })
    .await;
    assert!(
        inbox.contains("OP-LANTERN-7"),
        "grouped under its case: {inbox}"
    );
    assert!(inbox.contains("node-a"));
    let (status, read) = on_b.get(&format!("/messages/{id}")).await;
    assert_eq!(status, 200, "{read}");
    assert!(read.contains("Please find the bank statement.\nCall the desk for the original."));
    assert!(read.contains(&digest));
    assert!(read.contains("Handling code H2"));
    assert!(
        read.contains(&format!("thread={id}")),
        "a reply stays in the thread"
    );

    // The case filter keeps the case's messages only.
    let (_, other_case) = on_b.get("/messages?case=OTHER-1").await;
    assert!(!other_case.contains("Accounts of the suspect"));

    // The sender's outbox shows the delivery confirmed by the partner's receipt.
    eventually(WAIT, "the delivery on node-a", || async {
        let (_, outbox) = on_a.get("/messages?direction=outbox").await;
        outbox
            .contains("<span class=\"badge delivered\">delivered</span>")
            .then_some(())
    })
    .await;
    let log = a.audit_actions().await;
    assert!(
        log.iter()
            .any(|(action, outcome, _)| action == "message.send" && outcome == "ok")
    );
    let log = b.audit_actions().await;
    assert!(log.iter().any(|(action, _, _)| action == "message.read"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_disclosure_request_is_approved_on_the_owners_page() {
    let nodes = spawn_federation(&[false, true]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let analyst = a.token("analyst", &[Role::Analyst]).await;
    let (status, found) = post(
        a,
        &analyst,
        "/api/v1/screen",
        json!({"query":{"names":["Wladimir Schtscherbakow"],"birth_date":"1975-03-14"},
               "purpose":"criminal_investigation","case_ref":"OP-LANTERN","scope":"federated"}),
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let hit_ref = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["record"]["owner"] == "node-b")
        .and_then(|h| h["hit_ref"].as_str())
        .unwrap()
        .to_owned();
    let (status, created) = post(
        a,
        &analyst,
        "/api/v1/disclosure-requests",
        json!({"hit_ref": hit_ref, "purpose": "criminal_investigation",
               "legal_basis": "Art. 3 Directive (EU) 2023/977", "case_ref": "OP-LANTERN"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();

    let sofia = enrolled_user(b, "sofia", &[Role::Supervisor]).await;
    let on_b = WebSession::login(b, "sofia", &sofia).await;
    let listed = eventually(WAIT, "the request on node-b's page", || async {
        let (status, page) = on_b.get("/disclosures").await;
        assert_eq!(status, 200, "{page}");
        page.contains(&format!("/disclosures/{id}")).then_some(page)
    })
    .await;
    let incoming = listed.split("Requests to approve").nth(1).unwrap();
    assert!(
        incoming.contains(&format!("/disclosures/{id}\">node-a</a>")),
        "{listed}"
    );
    assert!(incoming.contains("Art. 3 Directive (EU) 2023/977"));
    assert!(incoming.contains("criminal investigation"));
    assert!(incoming.contains("<span class=\"badge pending\">pending</span>"));

    let (status, request) = on_b.get(&format!("/disclosures/{id}")).await;
    assert_eq!(status, 200, "{request}");
    assert!(request.contains("Approve and disclose the record"));
    assert!(request.contains("<label for=\"reason\">"));
    // A refusal says why; without a reason the page asks for one and nothing is decided.
    let (status, _, refused) = on_b
        .post(&format!("/disclosures/{id}/refuse"), &[("reason", "  ")])
        .await;
    assert_eq!(status, 409, "{refused}");
    assert!(refused.contains("Reason for refusing"));
    assert!(refused.contains("<span class=\"badge pending\">pending</span>"));

    let approved = on_b.post(&format!("/disclosures/{id}/approve"), &[]).await;
    let (_, decided) = follow(&on_b, approved).await;
    assert!(
        decided.contains("<span class=\"badge approved\">approved</span>"),
        "{decided}"
    );
    assert!(
        decided.contains("sofia"),
        "the decision names the supervisor"
    );
    assert!(!decided.contains("Approve and disclose the record"));
    let log = b.audit_actions().await;
    assert!(
        log.iter()
            .any(|(action, outcome, _)| action == "disclosure.approve" && outcome == "ok")
    );

    // The requester's page shows the record under the owner's handling code, and links to it.
    let lena = enrolled_user(a, "lena", &[Role::Legal]).await;
    let on_a = WebSession::login(a, "lena", &lena).await;
    let shown = eventually(WAIT, "the disclosed record on node-a", || async {
        let (_, page) = on_a.get(&format!("/disclosures/{id}")).await;
        page.contains("Disclosed record").then_some(page)
    })
    .await;
    assert!(shown.contains("Handling code H0"), "{shown}");
    assert!(shown.contains("police use only"));
    assert!(shown.contains("Щербаков"));
    assert!(shown.contains("/records/person/node-b:"), "{shown}");
    assert!(shown.contains("?purpose=criminal_investigation"));
    let (_, mine) = on_a.get("/disclosures").await;
    let outgoing = mine.split("Requests to approve").next().unwrap();
    assert!(
        outgoing.contains("<span class=\"badge approved\">approved</span>"),
        "{mine}"
    );
}

/// The fields of an investigation order as the form sends them.
fn eio_fields(measures: &str) -> Vec<(&str, &str)> {
    vec![
        ("kind", "eio"),
        ("executing_node", "node-b"),
        ("case_ref", "OP-LANTERN-7"),
        ("requesting_name", "Public Prosecutor's Office, Zagreb"),
        ("requesting_country", "HR"),
        ("requesting_contact", "+385 1 000 0000"),
        ("executing_name", "Central Authority for MLA"),
        ("executing_country", "DE"),
        ("executing_contact", ""),
        ("person_name", "Владимир Щербаков"),
        ("person_birth_date", "1978-04-12"),
        ("person_nationality", "RUS"),
        ("person_role", "suspect"),
        ("person_documents", ""),
        ("offence_iccs", "0701"),
        ("offence_national_name", "Fraud"),
        ("offence_national_code", "KZ 236"),
        ("offence_max_penalty_years", "8"),
        ("offence_listed_category", "swindling"),
        (
            "facts",
            "Between March and June 2026 the suspect obtained 1.2 million euros from 40 victims.",
        ),
        ("measures", measures),
        ("availability", ""),
        ("target_date", ""),
        ("related_alert", ""),
    ]
}

/// Waits until a page shows `text` (a request not yet delivered is a 404 meanwhile).
async fn page_shows(session: &WebSession, path: &str, text: &str) -> String {
    eventually(WAIT, &format!("`{text}` on {path}"), || async {
        let (status, page) = session.get(path).await;
        (status == 200 && page.contains(text)).then_some(page)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_investigation_order_is_drafted_recognised_and_answered_with_evidence_through_the_pages()
{
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let prosecutor = enrolled_user(a, "prosecutor", &[Role::Legal]).await;
    let central = enrolled_user(b, "central", &[Role::Legal]).await;
    let on_a = WebSession::login(a, "prosecutor", &prosecutor).await;
    let on_b = WebSession::login(b, "central", &central).await;

    let (status, form) = on_a.get("/legal/new").await;
    assert_eq!(status, 200);
    assert!(form.contains("<label for=\"offence-0-listed_category\">"));
    assert!(
        form.contains("swindling"),
        "the 32 listed categories are offered"
    );
    assert!(form.contains("aria-live=\"polite\""));

    // The dual-criminality check (as htmx posts the form): no catalogue of node-b is known, so only the
    // listed category decides.
    let (status, _, fragment) = on_a
        .post(
            "/legal/new/dual-criminality?row=0",
            &eio_fields("Bank records"),
        )
        .await;
    assert_eq!(status, 200, "{fragment}");
    assert!(
        fragment.contains("not required (listed category)"),
        "{fragment}"
    );
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    let mut unlisted = eio_fields("Bank records");
    unlisted.retain(|(name, _)| *name != "offence_listed_category");
    let (_, _, fragment) = on_a
        .post("/legal/new/dual-criminality?row=0", &unlisted)
        .await;
    assert!(fragment.contains("needs a lawyer"), "{fragment}");
    assert!(
        fragment.contains("no offence catalogue of `node-b`"),
        "{fragment}"
    );

    // Without measures the node refuses the order: the form comes back naming the field, values kept.
    let (status, _, refused) = on_a.post("/legal/new", &eio_fields("")).await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused.contains(
            "Measures: a request of kind `eio` needs the investigative measures requested"
        ),
        "{refused}"
    );
    assert!(refused.contains("Владимир Щербаков"));
    assert!(refused.contains("id=\"measures\" name=\"measures\" rows=\"4\" aria-invalid=\"true\""));
    // "Add another person" brings the form back with one more row and nothing lost.
    let mut more = eio_fields("");
    more.push(("add", "person"));
    let (status, _, grown) = on_a.post("/legal/new", &more).await;
    assert_eq!(status, 200);
    assert!(grown.contains("id=\"person-1-name\""));
    assert!(grown.contains("Владимир Щербаков"));

    let created = on_a
        .post(
            "/legal/new",
            &eio_fields("Bank records of account DE89 3704 0044 0532 0130 00\nIdentity of the account holder"),
        )
        .await;
    let (location, draft) = follow(&on_a, created).await;
    let id = location.strip_prefix("/legal/").unwrap().to_owned();
    assert!(draft.contains("European Investigation Order"));
    assert!(draft.contains("Directive 2014/41/EU"));
    assert!(draft.contains("<span class=\"badge lstate draft\">draft</span>"));
    assert!(draft.contains("Send to node-b"));
    assert!(draft.contains(&format!("/api/v1/legal-requests/{id}/pdf")));
    assert!(draft.contains("Identity of the account holder"));

    let sent = on_a.post(&format!("/legal/{id}/actions/send"), &[]).await;
    let (_, page) = follow(&on_a, sent).await;
    assert!(page.contains("Done: send."), "{page}");

    // Node-b's worklist shows the order received, with its recognition deadline running.
    let list = page_shows(&on_b, "/legal", "badge lstate received").await;
    assert_eq!(legal_id_in(&list).as_deref(), Some(id.as_str()), "{list}");
    assert!(list.contains("European Investigation Order"));
    assert!(
        list.contains("<span class=\"badge on_time\">on time</span>"),
        "{list}"
    );
    let path = format!("/legal/{id}");
    let (_, received) = on_b.get(&path).await;
    assert!(received.contains("executing: node-a asks this node"));
    assert!(received.contains("Acknowledge receipt"));
    let done = on_b
        .post(&format!("/legal/{id}/actions/acknowledge"), &[])
        .await;
    let (_, acknowledged) = follow(&on_b, done).await;
    assert!(acknowledged.contains("Grounds for refusal (required)"));

    // A refusal without grounds is refused with the field named; the request stays as it was.
    let (status, _, refused) = on_b
        .post(
            &format!("/legal/{id}/actions/refuse"),
            &[("grounds", ""), ("note", "kept")],
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused.contains("Grounds for refusal: a refusal states its grounds"),
        "{refused}"
    );
    assert!(refused.contains(">kept</textarea>"));
    assert!(refused.contains("<span class=\"badge lstate acknowledged\">acknowledged</span>"));

    for action in ["recognise", "execute"] {
        let done = on_b
            .post(&format!("/legal/{id}/actions/{action}"), &[("note", "")])
            .await;
        follow(&on_b, done).await;
    }

    // Node-b collects the bank statement and sends it with its custody chain.
    let statement = b"IBAN DE89370400440532013000\n2026-03-04;-250000.00;transfer\n".to_vec();
    let digest = liaison_crypto::sha256_hex(&statement);
    let added = post_multipart(
        &on_b,
        &format!("/legal/{id}/evidence"),
        reqwest::multipart::Form::new()
            .text("note", "Produced by the bank")
            .part(
                "file",
                reqwest::multipart::Part::bytes(statement.clone())
                    .file_name("statement.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            ),
    )
    .await;
    let (_, with_evidence) = follow(&on_b, added).await;
    assert!(with_evidence.contains(&digest), "{with_evidence}");
    assert!(with_evidence.contains("Produced by the bank"));
    let evidence_id = with_evidence
        .split(&format!("/legal/{id}/evidence/"))
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let sent = on_b
        .post(&format!("/legal/{id}/evidence/{evidence_id}/send"), &[])
        .await;
    let (_, after_send) = follow(&on_b, sent).await;
    assert!(after_send.contains("Sent to node-a"), "{after_send}");
    let done = on_b
        .post(
            &format!("/legal/{id}/actions/complete"),
            &[("note", "All records produced")],
        )
        .await;
    follow(&on_b, done).await;

    // The requester sees the order executed and the evidence intact, every custody event checked.
    // The evidence and the completion travel as two messages, in either order: wait for both.
    let answered = eventually(
        WAIT,
        "the evidence and the completion on node-a",
        || async {
            let (status, page) = on_a.get(&path).await;
            (status == 200
                && page.contains("<span class=\"badge intact\">intact</span>")
                && page.contains("<span class=\"badge lstate executed\">executed</span>"))
            .then_some(page)
        },
    )
    .await;
    assert!(answered.contains(&digest));
    assert!(answered.contains("<span class=\"badge verified\">verified</span>"));
    assert!(answered.contains("<span class=\"badge own\">own</span>"));
    assert!(answered.contains(&format!(
        "/api/v1/legal-requests/{id}/evidence/{evidence_id}/content"
    )));
    assert!(answered.contains("class=\"timeline\""));
    assert!(answered.contains("All records produced"));
    // The download link works with the browser's session.
    let response = on_a
        .client
        .get(a.url(&format!(
            "/api/v1/legal-requests/{id}/evidence/{evidence_id}/content"
        )))
        .header("cookie", &on_a.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.bytes().await.unwrap().to_vec(), statement);

    // Closing asks for confirmation first.
    let (status, _, unconfirmed) = on_a.post(&format!("/legal/{id}/actions/close"), &[]).await;
    assert_eq!(status, 400);
    assert!(
        unconfirmed.contains("Tick the box to confirm"),
        "{unconfirmed}"
    );
    let closed = on_a
        .post(&format!("/legal/{id}/actions/close"), &[("confirm", "yes")])
        .await;
    let (_, page) = follow(&on_a, closed).await;
    assert!(
        page.contains("<span class=\"badge lstate closed\">closed</span>"),
        "{page}"
    );
    assert!(!page.contains("Add evidence</button>"));

    let log = b.audit_actions().await;
    for action in [
        "legal.evidence_add",
        "legal.evidence_send",
        "legal.read",
        "legal.action",
    ] {
        assert!(
            log.iter()
                .any(|(act, outcome, _)| act == action && outcome == "ok"),
            "node-b lacks {action}"
        );
    }
}

/// Logs in again (an idle session ends after 30 minutes, and these tests move the clock by hours).
async fn again(node: &TestNode, username: &str, secret: &TotpSecret) -> WebSession {
    WebSession::login(node, username, secret).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overdue_filter_shows_a_request_once_its_deadline_passed() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let spoc_a = enrolled_user(a, "spoc-a", &[Role::Legal]).await;
    let spoc_b = enrolled_user(b, "spoc-b", &[Role::Legal]).await;
    let on_a = WebSession::login(a, "spoc-a", &spoc_a).await;
    let on_b = WebSession::login(b, "spoc-b", &spoc_b).await;

    // An urgent request for information node-b's officers query directly: 8 hours from receipt.
    let created = on_a
        .post(
            "/legal/new",
            &[
                ("kind", "information_request"),
                ("executing_node", "node-b"),
                ("urgent", "1"),
                ("urgency_reason", "Imminent handover of a kidnapped child"),
                ("requesting_name", "SPOC XAA"),
                ("offence_iccs", "0202"),
                ("offence_national_name", "Kidnapping"),
                ("offence_max_penalty_years", "10"),
                (
                    "facts",
                    "The suspect's phone was used to arrange a handover tonight.",
                ),
                ("measures", "Subscriber of +4915112345678"),
                ("availability", "direct"),
            ],
        )
        .await;
    let (location, _) = follow(&on_a, created).await;
    let id = location.strip_prefix("/legal/").unwrap().to_owned();
    let sent = on_a.post(&format!("/legal/{id}/actions/send"), &[]).await;
    follow(&on_a, sent).await;
    let received = page_shows(&on_b, &format!("/legal/{id}"), "8 hours").await;
    assert!(received.contains("<span class=\"badge urgent\">urgent</span>"));
    page_shows(&on_a, &format!("/legal/{id}"), "badge lstate received").await;

    let (_, overdue) = on_b.get("/legal?overdue=1").await;
    assert!(
        legal_id_in(&overdue).is_none(),
        "nothing is overdue yet: {overdue}"
    );
    let (_, due_soon) = on_b.get("/legal?due=24").await;
    assert_eq!(legal_id_in(&due_soon).as_deref(), Some(id.as_str()));
    assert!(
        due_soon.contains("<span class=\"badge due_soon\">due soon</span>"),
        "{due_soon}"
    );

    // Nine hours later on both nodes' clocks.
    a.clock.advance(Span::hours(9));
    b.clock.advance(Span::hours(9));
    let on_b = again(b, "spoc-b", &spoc_b).await;
    let on_a = again(a, "spoc-a", &spoc_a).await;
    for (session, side) in [(&on_b, "we execute"), (&on_a, "we request")] {
        let (status, overdue) = session.get("/legal?overdue=1").await;
        assert_eq!(status, 200);
        assert_eq!(
            legal_id_in(&overdue).as_deref(),
            Some(id.as_str()),
            "{overdue}"
        );
        assert!(overdue.contains("<span class=\"badge overdue\">overdue</span>"));
        assert!(overdue.contains("1 h late"), "{overdue}");
        assert!(overdue.contains(side));
        assert!(overdue.contains("name=\"overdue\" value=\"1\" checked"));
    }
    let (_, executing) = on_b.get("/legal?overdue=1&side=requesting").await;
    assert!(legal_id_in(&executing).is_none(), "the side filter applies");

    // A bad filter is named on the page.
    let (status, bad) = on_b.get("/legal?state=lost").await;
    assert_eq!(status, 400);
    assert!(bad.contains("`lost` is not one of"), "{bad}");

    // The API agrees.
    let token = b.token("reader", &[Role::Legal]).await;
    let (_, listed) = get(b, &token, "/api/v1/legal-requests?overdue=true").await;
    let ids: Vec<&str> = listed["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r: &Value| r["id"].as_str())
        .collect();
    assert_eq!(ids, [id.as_str()]);
}

#[tokio::test]
async fn an_offence_catalogue_is_loaded_on_one_node_and_seen_on_the_other_with_the_turnaround() {
    let nodes = spawn_federation(&[false, false]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let secret_a = enrolled_user(a, "lena", &[Role::Legal]).await;
    let secret_b = enrolled_user(b, "bruno", &[Role::Legal]).await;
    let on_a = WebSession::login(a, "lena", &secret_a).await;
    let on_b = WebSession::login(b, "bruno", &secret_b).await;

    let upload = |text: &'static str| {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(text.as_bytes().to_vec())
                .file_name("offences.csv")
                .mime_str("text/csv")
                .unwrap(),
        )
    };
    // A bad line is reported with its number and nothing is loaded.
    let (status, _, page) = post_multipart(
        &on_b,
        "/legal/catalogue",
        upload("code,name,max_penalty_years,iccs\nStGB 263,Betrug,5,0701\nStGB 232,Menschenhandel,zehn,0204\n"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("line 3"), "{page}");
    let answer = post_multipart(
        &on_b,
        "/legal/catalogue",
        upload("code,name,max_penalty_years,iccs\nStGB 263,Betrug,5,0701\nStGB 232,Menschenhandel,10,0204\n"),
    )
    .await;
    let (_, page) = follow(&on_b, answer).await;
    assert!(page.contains("now holds 2 offences"), "{page}");
    assert!(
        page.contains("trafficking in persons"),
        "the ICCS division is named"
    );
    // A holds what B published.
    page_shows(&on_a, "/legal/catalogue", "Menschenhandel").await;

    let (_, stats) = on_a.get("/legal/statistics").await;
    assert!(stats.contains("No request has been sent or received yet."));
}
