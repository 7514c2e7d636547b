//! Border screening end to end: a scanned passport, a passenger manifest, officers' verdicts, risk rules,
//! through the API and the command line, against the example records (a wanted man, Владимир Щербаков, whose
//! passport L898902C3 is listed as stolen).

use chrono::NaiveDate;
use liaison_core::Role;
use liaison_formats::mrz::{MrzFields, MrzFormat, generate};
use serde_json::{Value, json};

use crate::harness::{Cli, SAMPLE, TestNode, post, spawn_node, stderr, stdout};

fn wanted_passport() -> Vec<String> {
    generate(&MrzFields {
        format: MrzFormat::Td3,
        document_code: "P".into(),
        issuing_state: "UTO".into(),
        surname: "SHCHERBAKOV".into(),
        given_names: "VLADIMIR".into(),
        document_number: "L898902C3".into(),
        nationality: "RUS".into(),
        birth_date: NaiveDate::from_ymd_opt(1975, 3, 14),
        sex: Some('M'),
        expiry_date: NaiveDate::from_ymd_opt(2031, 4, 15),
        optional_data: String::new(),
        optional_data_2: String::new(),
    })
    .unwrap()
}

async fn post_manifest(node: &TestNode, token: &str, query: &str, body: &str) -> (u16, Value) {
    let response = node
        .http
        .post(node.url(&format!("/api/v1/manifests{query}")))
        .bearer_auth(token)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn hit_records(traveller: &Value) -> Vec<String> {
    traveller["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| {
            let record = h.get("record")?;
            Some(format!(
                "{}/{}",
                record["type"].as_str()?,
                record["id"].as_str()?
            ))
        })
        .collect()
}

#[tokio::test]
async fn a_scanned_passport_of_the_wanted_man_is_flagged_with_the_action_to_take() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let (status, body) = post(
        &node,
        &officer,
        "/api/v1/mrz/check",
        json!({"lines": wanted_passport()}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], true, "{body}");
    assert_eq!(body["format"], "TD3");
    assert_eq!(body["document_number"], "L898902C3");
    assert!(
        body["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true)
    );
    let screening = &body["screening"];
    assert_eq!(screening["band"], "strong", "{body}");
    assert_eq!(screening["document_status"], "stolen", "{body}");
    let records = hit_records(screening);
    assert!(records.contains(&"person/p1".to_owned()), "{body}");
    assert!(
        screening["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().starts_with("Arrest")),
        "the alert's action reaches the officer: {body}"
    );

    // The check is audited under the border-check purpose, naming the records it hit.
    let entries = node
        .node
        .store
        .audit_page(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "check_document")
        .collect::<Vec<_>>();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].purpose.as_deref(), Some("border_check"));
    assert!(entries[0].objects.contains(&"person/p1".to_owned()));
}

#[tokio::test]
async fn a_misread_zone_is_corrected_and_every_correction_is_listed() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let mut lines = wanted_passport();
    // The birth date 750314 read with the letter O for the zero.
    let second = lines[1].clone();
    let at = second.find("750314").unwrap();
    lines[1] = format!("{}75O314{}", &second[..at], &second[at + 6..]);
    let (status, body) = post(
        &node,
        &officer,
        "/api/v1/mrz/check",
        json!({"lines": lines, "screen": false}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], true, "{body}");
    assert_eq!(body["birth_date"], "1975-03-14");
    let corrections = body["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 1, "{body}");
    assert_eq!(corrections[0]["from"], "O");
    assert_eq!(corrections[0]["to"], "0");
    assert!(body.get("screening").is_none());
}

#[tokio::test]
async fn what_is_not_a_zone_is_refused_with_its_position() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    for bad in [
        json!({"mrz": "hello"}),
        json!({"lines": ["P<UTOERIKSSON<<ANNA<MARIA", "L898902C36UTO7408122F1204159"]}),
        json!({}),
    ] {
        let (status, body) = post(&node, &officer, "/api/v1/mrz/check", bad.clone()).await;
        assert_eq!(status, 400, "{bad} -> {body}");
        assert!(!body["detail"].as_str().unwrap_or("").is_empty(), "{body}");
    }
}

const MANIFEST: &str = "\
surname,given_names,birth_date,sex,nationality,document_type,document_number,document_issuing_country,document_expiry,flight,departure_airport,departure_time,arrival_airport,arrival_time
SHCHERBAKOV,VLADIMIR,1975-03-14,M,RUS,P,L898902C3,UTO,2031-04-15,XA101,AAA,2026-12-01T10:00:00,BBB,2026-12-01T12:00:00
DOE,JANE,1990-01-01,F,XBB,P,XB0000001,XBB,2030-01-01,XA101,AAA,2026-12-01T10:00:00,BBB,2026-12-01T12:00:00
AL RASHID,AHMAD,1981-06-01,M,JOR,P,J1234567,JOR,2029-05-05,XA101,AAA,2026-12-01T10:00:00,BBB,2026-12-01T12:00:00
";

#[tokio::test]
async fn a_manifest_is_screened_reported_and_its_hits_reviewed() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let supervisor = node.token("sam", &[Role::Supervisor]).await;

    let (status, report) = post_manifest(&node, &officer, "?format=csv", MANIFEST).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["purpose"], "border_check");
    let travellers = report["travellers"].as_array().unwrap();
    assert_eq!(travellers.len(), 3);
    let wanted = &travellers[0];
    assert_eq!(wanted["band"], "strong", "{wanted}");
    assert_eq!(wanted["document"], "L898902C3");
    assert_eq!(wanted["document_status"], "stolen");
    assert!(hit_records(wanted).contains(&"person/p1".to_owned()));
    assert_eq!(travellers[1]["band"], "none", "{}", travellers[1]);
    assert_eq!(travellers[1]["document_status"], "not_listed");
    // Ahmad Al Rashid is recorded on this node (p2) but no alert asks anything about him: at the border that
    // is no hit, and the report does not disclose that he is recorded.
    assert_eq!(travellers[2]["band"], "none", "{}", travellers[2]);
    assert!(travellers[2]["hits"].as_array().unwrap().is_empty());
    assert_eq!(report["summary"]["strong"], 1);
    assert_eq!(report["summary"]["none"], 2);

    // The officer confirms the hit on the wanted man; the figures count it.
    let hit_id = wanted["hits"][0]["hit_id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &node,
        &officer,
        &format!("/api/v1/hits/{hit_id}/review"),
        json!({"verdict": "true_hit"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &node,
        &officer,
        &format!("/api/v1/hits/{hit_id}/review"),
        json!({"verdict": "maybe"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let stats: Value = node
        .http
        .get(node.url("/api/v1/hits/statistics"))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let strong = stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dimension"] == "band" && r["key"] == "strong")
        .unwrap_or_else(|| panic!("{stats}"));
    assert_eq!(strong["confirmed"], 1, "{stats}");

    // The stored report shows the verdict; the CSV has one row per hit.
    let id = report["id"].as_str().unwrap();
    let stored: Value = node
        .http
        .get(node.url(&format!("/api/v1/manifests/{id}")))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["travellers"][0]["hits"][0]["verdict"], "true_hit");
    let csv = node
        .http
        .get(node.url(&format!("/api/v1/manifests/{id}?format=csv")))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().next().unwrap().starts_with("traveller,name"));
    assert!(csv.contains(&hit_id), "{csv}");
}

#[tokio::test]
async fn risk_rules_fire_with_their_reasons_and_protected_characteristics_are_refused() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let supervisor = node.token("sam", &[Role::Supervisor]).await;

    let forbidden =
        "ruleset \"bad\" version 1\n\nrule R-9 \"Men\"\n  when sex == \"M\"\n  score 10\n";
    let (status, body) = post(
        &node,
        &supervisor,
        "/api/v1/risk-rules",
        json!({ "text": forbidden }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("6(4)"), "{body}");

    let (status, body) = post(
        &node,
        &officer,
        "/api/v1/risk-rules",
        json!({ "text": "ruleset \"x\" version 1\n" }),
    )
    .await;
    assert_eq!(status, 403, "only supervisors write rules: {body}");

    let rules = "ruleset \"PIU XAA\" version 1\n\nrule R-1 \"Document issued by another country than the nationality\"\n  when document_issuing_country != nationality\n  score 20\n";
    let (status, body) = post(
        &node,
        &supervisor,
        "/api/v1/risk-rules",
        json!({ "text": rules }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["version"], 1);

    let (status, report) = post_manifest(&node, &officer, "?format=csv", MANIFEST).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["ruleset_version"], 1);
    let wanted = &report["travellers"][0];
    let rule_hit = wanted["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "rule")
        .unwrap_or_else(|| panic!("RUS national with a UTO passport: {wanted}"));
    assert_eq!(rule_hit["rule"]["id"], "R-1");
    assert!(!rule_hit["explanation"].as_array().unwrap().is_empty());
    let honest = &report["travellers"][1];
    assert!(
        honest["hits"].as_array().unwrap().is_empty(),
        "XBB national with an XBB passport: {honest}"
    );
}

#[test]
fn the_mrz_command_exits_by_validity() {
    let cli = Cli::new();
    let lines = wanted_passport();
    let out = cli.run(&["mrz", "check", &lines[0], &lines[1], "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["valid"], true);
    assert_eq!(body["format"], "TD3");

    // A wrong check digit: read, but invalid.
    let mut broken = lines[1].clone().into_bytes();
    broken[9] = if broken[9] == b'1' { b'2' } else { b'1' };
    let broken = String::from_utf8(broken).unwrap();
    let out = cli.run(&["mrz", "check", &lines[0], &broken]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("FAILS"), "{}", stdout(&out));

    let out = cli.run(&["mrz", "check", "not a zone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line"), "{}", stderr(&out));
}

#[test]
fn the_screen_manifest_command_writes_json_and_csv_reports() {
    let cli = Cli::new();
    cli.init();
    cli.ok(&["import", SAMPLE]);
    let manifest = cli.file("flight.csv", MANIFEST.as_bytes());
    let out_json = cli.dir.path().join("report.json");
    let out_csv = cli.dir.path().join("report.csv");
    let printed = cli.ok(&[
        "screen-manifest",
        &manifest,
        "--out",
        out_json.to_str().unwrap(),
        "--csv",
        out_csv.to_str().unwrap(),
    ]);
    assert!(printed.contains("STRONG"), "{printed}");
    assert!(printed.contains("ACTION: Arrest"), "{printed}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out_json).unwrap()).unwrap();
    assert_eq!(report["travellers"][0]["band"], "strong");
    assert_eq!(report["travellers"][0]["document_status"], "stolen");
    assert_eq!(report["travellers"][1]["band"], "none");
    let csv = std::fs::read_to_string(&out_csv).unwrap();
    assert_eq!(csv.lines().count(), 1 + report_rows(&report));

    // A file that is no manifest is refused with where it went wrong, and nothing is written.
    let bad = cli.file(
        "bad.edi",
        b"UNA:+.? 'UNB+UNOA:4+X+Y+20010101:1000+1'UNH+1+PAXLST:D:05B:UN:IATA'\x00\x01",
    );
    let out = cli.run(&[
        "screen-manifest",
        &bad,
        "--out",
        cli.dir.path().join("bad.json").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("byte"), "{}", stderr(&out));
    assert!(!cli.dir.path().join("bad.json").exists());
}

fn report_rows(report: &Value) -> usize {
    report["travellers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["hits"].as_array().unwrap().len().max(1))
        .sum()
}

#[tokio::test]
async fn a_stolen_vehicle_is_found_by_plate_or_misread_vin() {
    let node = spawn_node().await;
    let officer = node.token("olga", &[Role::Officer]).await;
    let check = |query: &'static str| {
        let node = &node;
        let officer = officer.clone();
        async move {
            let response = node
                .http
                .get(node.url(&format!("/api/v1/vehicles/check?{query}")))
                .bearer_auth(&officer)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, body) = check("plate=B%20AB1234&plate_country=DEU").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "stolen");
    assert_eq!(body["band"], "strong");
    assert_eq!(body["hits"][0]["record"]["id"], "v1");
    assert_eq!(body["hits"][0]["alerts"][0]["category"], "stolen_vehicle");
    assert!(body["actions"][0].as_str().unwrap().starts_with("Seize"));

    // The VIN read with letters O for zeros: found, but only as possible, and the explanation says why.
    let (_, body) = check("vin=WVWZZZ1JZXWOOOOO1").await;
    assert_eq!(body["band"], "possible", "{body}");
    assert!(
        body["hits"][0]["explanation"][0]["text"]
            .as_str()
            .unwrap()
            .contains("OCR")
    );

    let (_, body) = check("plate=XYZ9876").await;
    assert_eq!(body["status"], "not_listed");
    assert!(body["hits"].as_array().unwrap().is_empty());
    let (status, _) = check("plate=").await;
    assert_eq!(status, 400);
}
