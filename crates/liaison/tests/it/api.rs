//! The HTTP API as machine clients and people use it.

use chrono::Duration;
use liaison_core::Role;
use liaison_crypto::TotpSecret;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestNode, spawn_node};

async fn get_json(
    node: &TestNode,
    token: &str,
    path: &str,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let response = node
        .http
        .get(node.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (
        status,
        response.json().await.unwrap_or(Value::Null),
        headers,
    )
}

#[tokio::test]
async fn a_record_is_read_with_a_purpose_and_every_read_is_audited() {
    let node = spawn_node().await;
    let token = node.token("anna", &[Role::Analyst]).await;
    let (status, body, headers) = get_json(
        &node,
        &token,
        "/api/v1/records/alert/a1?purpose=border_check&case_ref=BC-7",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["subject"], "p1");
    assert_eq!(body["handling"]["code"], "H2");
    assert!(headers.contains_key("x-request-id"));

    let (status, body, headers) = get_json(&node, &token, "/api/v1/records/person/p1").await;
    assert_eq!(status, 400);
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(body["status"], 400);
    assert_eq!(body["errors"][0]["pointer"], "purpose");
    let (status, body, _) =
        get_json(&node, &token, "/api/v1/records/person/p1?purpose=curiosity").await;
    assert_eq!(status, 400, "{body}");
    let (status, _, _) = get_json(
        &node,
        &token,
        "/api/v1/records/person/nobody?purpose=exercise",
    )
    .await;
    assert_eq!(status, 404);
    let (status, body, _) = get_json(
        &node,
        &token,
        "/api/v1/records/spaceship/p1?purpose=exercise",
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let entries = node.node.store.audit_page(0, 1000).await.unwrap();
    let reads: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "record.read")
        .collect();
    assert_eq!(reads.len(), 5, "{reads:#?}");
    let ok = reads[0];
    assert_eq!(
        (
            ok.outcome.as_str(),
            ok.purpose.as_deref(),
            ok.case_ref.as_deref()
        ),
        ("ok", Some("border_check"), Some("BC-7"))
    );
    assert_eq!(ok.objects, vec!["alert/a1".to_owned()]);
    assert!(ok.actor.starts_with("anna (token "), "{}", ok.actor);
    assert!(ok.request_id.is_some());
    assert_eq!(reads[1].outcome, "refused");
    assert_eq!(reads[1].detail.as_deref(), Some("no purpose stated"));
    assert_eq!(reads[3].outcome, "not_found");
}

#[tokio::test]
async fn roles_are_checked_on_every_route() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let auditor = node.token("dpo", &[Role::Auditor]).await;
    let record = json!({"type":"person","id":"n1","names":[{"full":"New Person"}]});
    let response = node
        .http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&officer)
        .json(&record)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let (status, _, _) = get_json(
        &node,
        &auditor,
        "/api/v1/records/person/p1?purpose=exercise",
    )
    .await;
    assert_eq!(status, 403, "auditors see the log, not the records");
    let (status, _, _) = get_json(&node, &officer, "/api/v1/audit").await;
    assert_eq!(status, 403);
    let (status, _, _) = get_json(&node, &officer, "/api/v1/users").await;
    assert_eq!(status, 403);
    let (status, entries, _) =
        get_json(&node, &auditor, "/api/v1/audit?action=records.import").await;
    assert_eq!(status, 200);
    let outcomes: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        ["ok", "denied"],
        "the sample import, then the officer's refused submission"
    );
    let denied = node
        .audit_actions()
        .await
        .into_iter()
        .filter(|(_, outcome, _)| outcome == "denied")
        .count();
    assert!(denied >= 4, "each refusal is audited");
    let response = node
        .http
        .get(node.url("/api/v1/records/person/p1?purpose=exercise"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = node
        .http
        .get(node.url("/api/v1/records/person/p1?purpose=exercise"))
        .bearer_auth("lt_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn posting_a_list_is_all_or_nothing_and_names_each_bad_record() {
    let node = spawn_node().await;
    let analyst = node.token("anna", &[Role::Analyst]).await;
    let list = json!([
        {"type":"person","id":"n1","names":[{"full":"New Person"}]},
        {"type":"person","id":"n2","names":[{"full":"Bad Date"}],"birth_dates":["1990-02-30"]},
        {"type":"document","id":"nd","kind":"P","number":"Z1","issuing_country":"FRA","holder":"n1"}
    ]);
    let response = node
        .http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .json(&list)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "[1].birth_dates[0]", "{body}");
    assert!(
        node.node
            .store
            .get_record(liaison_core::RecordType::Person, "n1")
            .await
            .unwrap()
            .is_none()
    );

    let good = json!([list[0], list[2]]);
    let response = node
        .http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["inserted"], 2, "{body}");
    let (status, doc, _) = get_json(
        &node,
        &analyst,
        "/api/v1/records/document/nd?purpose=exercise",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(doc["holder"], "n1");
    assert_eq!(doc["owner"], "node-a");

    let response = node
        .http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let huge = "x".repeat(300 * 1024);
    let response = node
        .http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .json(&json!({"type":"case","id":"c9","title":huge}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

async fn login(
    node: &TestNode,
    username: &str,
    password: &str,
    totp: Option<String>,
) -> reqwest::Response {
    node.http
        .post(node.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password, "totp": totp}))
        .send()
        .await
        .unwrap()
}

fn cookie_of(response: &reqwest::Response) -> String {
    let set = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn people_log_in_with_password_and_totp_and_sessions_expire_when_idle() {
    let node = spawn_node().await;
    node.user("petra", &[Role::Analyst], "petra's long password")
        .await;

    let response = login(&node, "petra", "petra's long password", None).await;
    assert_eq!(response.status(), 200);
    let cookie = cookie_of(&response);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["totp_enrolment_required"], true);
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();

    // Until a second factor is enrolled, records stay closed.
    let response = node
        .http
        .get(node.url("/api/v1/records/person/p1?purpose=exercise"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // State-changing requests with the cookie need the CSRF token.
    let response = node
        .http
        .post(node.url("/api/v1/auth/totp/enrol"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = node
        .http
        .post(node.url("/api/v1/auth/totp/enrol"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let enrolment: Value = response.json().await.unwrap();
    assert!(
        enrolment["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let secret = TotpSecret::from_base32(enrolment["secret"].as_str().unwrap()).unwrap();
    let now = || u64::try_from(node.node.now().timestamp()).unwrap();
    let response = node
        .http
        .post(node.url("/api/v1/auth/totp/confirm"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"code": "000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let code = secret.code_at(now()).unwrap();
    let response = node
        .http
        .post(node.url("/api/v1/auth/totp/confirm"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    // Now the password alone is not enough, and a code is accepted only once.
    node.clock.advance(Duration::seconds(30));
    assert_eq!(
        login(&node, "petra", "petra's long password", None)
            .await
            .status(),
        401
    );
    let code = secret.code_at(now()).unwrap();
    let response = login(&node, "petra", "petra's long password", Some(code.clone())).await;
    assert_eq!(response.status(), 200);
    let cookie = cookie_of(&response);
    assert_eq!(
        login(&node, "petra", "petra's long password", Some(code))
            .await
            .status(),
        401,
        "a code cannot be replayed"
    );
    let response = node
        .http
        .get(node.url("/api/v1/records/person/p1?purpose=exercise"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // 29 minutes idle is fine; the request refreshes the session. 31 minutes idle closes it.
    node.clock.advance(Duration::minutes(29));
    let response = node
        .http
        .get(node.url("/api/v1/records/person/p1?purpose=exercise"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    node.clock.advance(Duration::minutes(31));
    let response = node
        .http
        .get(node.url("/api/v1/records/person/p1?purpose=exercise"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["detail"].as_str().unwrap().contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn five_failed_log_ins_lock_the_account_for_ten_minutes() {
    let node = spawn_node().await;
    node.user("karl", &[Role::Officer], "karl's long password")
        .await;
    for _ in 0..5 {
        assert_eq!(
            login(&node, "karl", "wrong password", None).await.status(),
            401
        );
    }
    let response = login(&node, "karl", "karl's long password", None).await;
    assert_eq!(
        response.status(),
        429,
        "locked even with the right password"
    );
    node.clock.advance(Duration::minutes(9));
    assert_eq!(
        login(&node, "karl", "karl's long password", None)
            .await
            .status(),
        429
    );
    node.clock.advance(Duration::minutes(2));
    assert_eq!(
        login(&node, "karl", "karl's long password", None)
            .await
            .status(),
        200
    );
    let logins: Vec<_> = node
        .audit_actions()
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "auth.login")
        .collect();
    assert_eq!(logins.len(), 8);
    assert!(
        logins[4]
            .2
            .as_deref()
            .unwrap()
            .contains("account locked until"),
        "{logins:#?}"
    );
    assert_eq!(logins[7].1, "ok");
}

#[tokio::test]
async fn administrators_create_users_and_tokens_and_auditors_verify_the_log() {
    let node = spawn_node().await;
    let admin = node.token("root", &[Role::Admin]).await;
    let response = node
        .http
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username":"neo","roles":["analyst","sheriff"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "roles[1]");
    let response = node
        .http
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username":"dpo","roles":["auditor"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["one_time_password"].as_str().unwrap().len(), 20);
    let response = node
        .http
        .post(node.url("/api/v1/tokens"))
        .bearer_auth(&admin)
        .json(&json!({"username":"dpo","label":"siem"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let token: Value = response.json().await.unwrap();
    let dpo = token["token"].as_str().unwrap().to_owned();
    let response = node
        .http
        .post(node.url("/api/v1/audit/verify"))
        .bearer_auth(&dpo)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["intact"], true, "{body}");
    let response = node
        .http
        .delete(node.url(&format!("/api/v1/tokens/{}", token["id"].as_str().unwrap())))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = node
        .http
        .post(node.url("/api/v1/audit/verify"))
        .bearer_auth(&dpo)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "a revoked token is refused");
}

#[tokio::test]
async fn operations_endpoints_and_the_api_description() {
    let node = spawn_node().await;
    let health: Value = node
        .http
        .get(node.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["node"], "node-a");
    let ready: Value = node
        .http
        .get(node.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["database"], "sqlite");
    let spec: Value = node
        .http
        .get(node.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/records",
        "/api/v1/records/{type}/{id}",
        "/api/v1/auth/login",
        "/api/v1/audit/verify",
        "/healthz",
    ] {
        assert!(
            spec["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    let docs = node.http.get(node.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    let page = docs.text().await.unwrap();
    assert!(
        !page.contains("https://"),
        "the docs page must work offline"
    );
    let metrics = node
        .http
        .get(node.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("liaison_http_requests_total"), "{metrics}");
}
