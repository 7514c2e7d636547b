//! Screening through the API and the command line, against the example records.

use liaison_core::Role;
use serde_json::{Value, json};

use crate::harness::{Cli, SAMPLE, spawn_node, stderr, stdout};

async fn screen(node: &crate::harness::TestNode, token: &str, body: Value) -> (u16, Value) {
    let response = node
        .http
        .post(node.url("/api/v1/screen"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn hit_ids(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{}/{}",
                h["record"]["type"].as_str().unwrap(),
                h["record"]["id"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn a_german_spelling_finds_the_cyrillic_record_and_explains_why() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let (status, body) = screen(
        &node,
        &officer,
        json!({"query":{"names":["Wladimir Schtscherbakow"],"birth_date":"1974-03-14"},"purpose":"border_check","scope":"local"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let first = &body["hits"][0];
    assert_eq!(first["record"]["type"], "person", "{body}");
    assert_eq!(first["record"]["id"], "p1", "{body}");
    assert_eq!(first["record"]["owner"], "node-a");
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert!(["strong", "possible"].contains(&first["band"].as_str().unwrap()));
    let words: Vec<&str> = first["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        words.iter().any(|w| w.contains("Щербаков")
            || w.to_uppercase().contains("SCHERBAKOV")
            || w.contains("SHCHERBAKOV")),
        "{words:?}"
    );
    assert_eq!(
        first["alerts"][0]["category"], "wanted_for_arrest",
        "{body}"
    );
    assert_eq!(body["partners"], json!([]));

    let entries = node.node.store.audit_page(0, 10_000).await.unwrap();
    let screening = entries.iter().rfind(|e| e.action == "screen").unwrap();
    assert_eq!(screening.purpose.as_deref(), Some("border_check"));
    assert!(screening.objects.contains(&"person/p1".to_owned()));
    assert!(
        screening
            .detail
            .as_deref()
            .unwrap()
            .contains("Wladimir Schtscherbakow")
    );
}

#[tokio::test]
async fn screening_needs_a_purpose_and_something_to_look_for() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let (status, body) = screen(
        &node,
        &officer,
        json!({"query":{"names":["Ahmad Al-Rashid"]}}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["pointer"], "purpose");
    let (status, body) = screen(
        &node,
        &officer,
        json!({"query":{"names":[]},"purpose":"border_check"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["pointer"], "query.names");
    let (status, body) = screen(
        &node,
        &officer,
        json!({"query":{"names":["X"],"birth_date":"1975-13"},"purpose":"border_check"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["pointer"], "query.birth_date");
    let (status, _) = screen(
        &node,
        &officer,
        json!({"query":{"names":["X"]},"purpose":"border_check","scope":"galactic"}),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_document_number_with_ocr_confusions_finds_its_holder() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let (status, body) = screen(
        &node,
        &officer,
        json!({"query":{"documents":["L8989O2C3"]},"purpose":"border_check"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        hit_ids(&body).first().map(String::as_str),
        Some("person/p1"),
        "{body}"
    );
}

#[tokio::test]
async fn records_added_or_deleted_through_the_api_change_results_at_once() {
    let node = spawn_node().await;
    let analyst = node.token("anna", &[Role::Analyst]).await;
    let query = json!({"query":{"names":["Giuseppe Verdicchio"],"birth_date":"1969-10-10"},"purpose":"criminal_investigation"});
    let (_, body) = screen(&node, &analyst, query.clone()).await;
    assert!(!hit_ids(&body).contains(&"person/gv1".to_owned()));

    let person = json!({"type":"person","id":"gv1","names":[{"full":"Giuseppe Verdicchio","given":"Giuseppe","family":"Verdicchio"}],"birth_dates":["1969-10-10"],"sex":"M","nationalities":["ITA"]});
    let response = node
        .http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .json(&person)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, body) = screen(&node, &analyst, query.clone()).await;
    assert_eq!(
        hit_ids(&body).first().map(String::as_str),
        Some("person/gv1"),
        "{body}"
    );
    assert_eq!(body["hits"][0]["band"], "strong", "{body}");

    // A passport attached to him is found by its number; while it exists he cannot be deleted.
    let passport = json!({"type":"document","id":"gvp","kind":"P","number":"YA1234567","issuing_country":"ITA","holder":"gv1"});
    node.http
        .post(node.url("/api/v1/records"))
        .bearer_auth(&analyst)
        .json(&passport)
        .send()
        .await
        .unwrap();
    let (_, body) = screen(
        &node,
        &analyst,
        json!({"query":{"documents":["YA1234567"]},"purpose":"border_check"}),
    )
    .await;
    assert_eq!(
        hit_ids(&body).first().map(String::as_str),
        Some("person/gv1"),
        "{body}"
    );
    let response = node
        .http
        .delete(node.url("/api/v1/records/person/gv1"))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("document/gvp"),
        "{problem}"
    );

    let response = node
        .http
        .delete(node.url("/api/v1/records/document/gvp"))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = node
        .http
        .delete(node.url("/api/v1/records/person/gv1"))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (_, body) = screen(&node, &analyst, query).await;
    assert!(!hit_ids(&body).contains(&"person/gv1".to_owned()), "{body}");
    let response = node
        .http
        .delete(node.url("/api/v1/records/person/gv1"))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn batch_screening_answers_in_query_order() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let body = json!({"queries":[{"names":["AL RASHID AHMAD"]},{"names":["SHCHERBAKOV<<VLADIMIR"],"birth_date":"1975-03-14"},{"names":["Nobody Atall"]}],"purpose":"border_check"});
    let response = node
        .http
        .post(node.url("/api/v1/screen/batch"))
        .bearer_auth(&officer)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        hit_ids(&results[0]).first().map(String::as_str),
        Some("person/p2"),
        "{body}"
    );
    assert_eq!(
        hit_ids(&results[1]).first().map(String::as_str),
        Some("person/p1"),
        "{body}"
    );
    assert!(hit_ids(&results[2]).is_empty(), "{body}");
}

#[test]
fn the_screen_command_finds_the_cyrillic_record() {
    let cli = Cli::new();
    cli.init();
    cli.ok(&["import", SAMPLE]);
    let out = cli.ok(&[
        "screen",
        "--name",
        "Wladimir Schtscherbakow",
        "--dob",
        "1974-03-14",
        "--purpose",
        "border_check",
    ]);
    assert!(out.contains("person/p1"), "{out}");
    assert!(out.contains("wanted_for_arrest"), "{out}");
    let json_out = cli.ok(&[
        "screen",
        "--name",
        "Wladimir Schtscherbakow",
        "--dob",
        "1974-03-14",
        "--purpose",
        "border_check",
        "--json",
    ]);
    let body: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(body["hits"][0]["record"]["id"], "p1");
    let refused = cli.run(&["screen", "--name", "Wladimir Schtscherbakow"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("purpose"), "{}", stdout(&refused));
}
