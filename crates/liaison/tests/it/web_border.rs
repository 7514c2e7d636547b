//! The screening, document, manifest and record pages, used as an officer uses them in a browser: forms
//! posted with the CSRF token (plainly and through htmx), redirects followed, and what the HTML and the
//! audit log say afterwards.

use std::time::Duration;

use chrono::NaiveDate;
use liaison_core::Role;
use liaison_formats::mrz::{MrzFields, MrzFormat, generate};
use serde_json::json;

use crate::harness::{TestNode, eventually, get, post, spawn_federation, spawn_node};
use crate::web::{WebSession, enrolled_user};

/// Posts a form as htmx does (the `HX-Request` and `X-CSRF-Token` headers, no `_csrf` field).
async fn htmx_post(session: &WebSession, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let response = session
        .client
        .post(format!("{}{path}", session.base))
        .header("cookie", &session.cookie)
        .header("hx-request", "true")
        .header("x-csrf-token", &session.csrf)
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The value of the first `name="{name}" value="..."` input after `from` in a page.
fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker)? + marker.len();
    Some(html[at..].split('"').next()?.to_owned())
}

async fn audit(node: &TestNode) -> Vec<liaison_store::AuditEntry> {
    node.node.store.audit_page(0, 10_000).await.unwrap()
}

async fn officer(node: &TestNode) -> WebSession {
    let secret = enrolled_user(node, "olga", &[Role::Officer]).await;
    WebSession::login(node, "olga", &secret).await
}

#[tokio::test]
async fn an_officer_screens_a_person_on_this_node_and_opens_the_hit() {
    let node = spawn_node().await;
    let session = officer(&node).await;

    let (status, form) = session.get("/screen").await;
    assert_eq!(status, 200);
    for label in [
        "<label for=\"names\">",
        "<label for=\"birth_date\">",
        "<label for=\"screen-purpose\">",
        "<label for=\"screen-case\">",
    ] {
        assert!(form.contains(label), "{label}");
    }
    assert!(
        form.contains("This node does not federate"),
        "no federated scope on a lone node"
    );

    // A plain form post renders the page with the results below the form.
    let (status, _, page) = session
        .post(
            "/screen",
            &[
                ("names", "Vladimir Shcherbakov\nВладимир Щербаков"),
                ("birth_date", "1975-03-14"),
                ("nationality", "rus"),
                ("sex", "M"),
                ("document", ""),
                ("purpose", "criminal_investigation"),
                ("case_ref", "OP-LANTERN"),
                ("scope", "local"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("This node (node-a)"), "{page}");
    assert!(page.contains("badge strong"), "{page}");
    assert!(page.contains("Wanted for arrest"), "{page}");
    assert!(page.contains("Arrest; notify issuing authority within 12 hours"));
    let link = "/records/person/p1?purpose=criminal_investigation&#38;case_ref=OP-LANTERN";
    assert!(page.contains(link), "{page}");
    // What the officer typed stays in the form.
    assert!(page.contains("Vladimir Shcherbakov\nВладимир Щербаков</textarea>"));

    // Through htmx only the results come back, in the live region's place.
    let (status, fragment) = htmx_post(
        &session,
        "/screen",
        &[
            ("names", "SHCHERBAKOV<<VLADIMIR"),
            ("purpose", "border_check"),
            ("case_ref", "GATE-4"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert!(fragment.contains("This node (node-a)"), "{fragment}");

    // The hit's link opens the record for the same purpose and case.
    let (status, record) = session.get(&link.replace("&#38;", "&")).await;
    assert_eq!(status, 200, "{record}");
    assert!(record.contains("Владимир Щербаков"));

    // A bad field is named next to the form, and what was typed is kept.
    let (status, _, page) = session
        .post(
            "/screen",
            &[
                ("names", "Vladimir Shcherbakov"),
                ("birth_date", "1975-13"),
                ("purpose", "criminal_investigation"),
                ("case_ref", "OP-LANTERN"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("class=\"alert error\""), "{page}");
    assert!(page.contains("Date of birth:"), "{page}");
    assert!(page.contains("value=\"1975-13\""));
    assert!(page.contains("aria-invalid=\"true\""));
    let (status, _, page) = session
        .post("/screen", &[("names", "Vladimir Shcherbakov")])
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("Purpose:"), "{page}");

    // Without the CSRF token nothing is searched.
    let response = session
        .client
        .post(format!("{}/screen", session.base))
        .header("cookie", &session.cookie)
        .form(&[("names", "Vladimir"), ("purpose", "border_check")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    // The searches are in the audit log with their purpose and case; the refusal too.
    let log = audit(&node).await;
    let searches: Vec<_> = log
        .iter()
        .filter(|e| e.action == "screen" && e.actor == "olga")
        .collect();
    assert!(searches.iter().any(|e| e.outcome == "ok"
        && e.purpose.as_deref() == Some("criminal_investigation")
        && e.case_ref.as_deref() == Some("OP-LANTERN")
        && e.objects.contains(&"person/p1".to_owned())));
    assert!(searches.iter().any(|e| e.outcome == "refused"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_federated_search_shows_each_partner_and_asks_for_disclosure() {
    let nodes = spawn_federation(&[false, true]).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let secret = enrolled_user(a, "anna", &[Role::Analyst]).await;
    let session = WebSession::login(a, "anna", &secret).await;
    let supervisor_b = b.token("boris", &[Role::Supervisor]).await;

    let (_, form) = session.get("/screen").await;
    assert!(
        form.contains("value=\"federated\""),
        "a federating node offers partners"
    );

    let search = [
        ("names", "Wladimir Schtscherbakow"),
        ("birth_date", "1975-03-14"),
        ("purpose", "criminal_investigation"),
        ("case_ref", "OP-LANTERN"),
        ("scope", "federated"),
    ];
    let (status, results) = htmx_post(&session, "/screen", &search).await;
    assert_eq!(status, 200, "{results}");
    assert!(results.contains("This node (node-a)"));
    assert!(results.contains("Partner node-b"), "{results}");
    assert!(results.contains("badge answered"), "{results}");
    assert!(results.contains(" ms</span>"), "latency shown");
    assert!(results.contains("Request disclosure"), "{results}");
    assert!(
        !results.contains("/records/person/p1"),
        "a partner's record id is not known in step 1"
    );
    let hit_ref = input_value(&results, "hit_ref").unwrap();
    assert!(hit_ref.starts_with("node-b/"), "{hit_ref}");
    let slot = input_value(&results, "slot").unwrap();

    // The legal basis is required; the error comes back in the small form.
    let request = |legal_basis: &'static str| {
        vec![
            ("hit_ref", hit_ref.clone()),
            ("purpose", "criminal_investigation".to_owned()),
            ("case_ref", "OP-LANTERN".to_owned()),
            ("slot", slot.clone()),
            ("legal_basis", legal_basis.to_owned()),
        ]
    };
    let fields = request("  ");
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, fragment) = htmx_post(&session, "/screen/disclosure", &borrowed).await;
    assert_eq!(status, 200);
    assert!(fragment.contains("Legal basis:"), "{fragment}");
    assert!(
        fragment.contains(" open>"),
        "the form stays open: {fragment}"
    );

    let fields = request("Art. 3 Directive (EU) 2023/977");
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, fragment) = htmx_post(&session, "/screen/disclosure", &borrowed).await;
    assert_eq!(status, 200, "{fragment}");
    assert!(
        fragment.contains("Request sent to node-b: <span class=\"badge pending\">pending</span>"),
        "{fragment}"
    );
    let id = fragment
        .split("href=\"/disclosures/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();

    // Without htmx the request is sent and the browser goes to the request's page.
    let (status, location, _) = session.post("/screen/disclosure", &borrowed).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().starts_with("/disclosures/"));
    let (status, _, page) = session
        .post(
            "/screen/disclosure",
            &[
                ("hit_ref", "nobody"),
                ("purpose", "criminal_investigation"),
                ("legal_basis", "x"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("Hit:"), "{page}");

    // node-b's supervisor approves; node-a keeps the record as a foreign one, marked as such.
    eventually(Duration::from_secs(20), "the request at node-b", || async {
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
    let (status, decided) = post(
        b,
        &supervisor_b,
        &format!("/api/v1/disclosure-requests/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    let path = "/records/person/node-b:p1?purpose=criminal_investigation&case_ref=OP-LANTERN";
    let page = eventually(Duration::from_secs(20), "the record at node-a", || async {
        let (status, page) = session.get(path).await;
        (status == 200).then_some(page)
    })
    .await;
    assert!(page.contains("class=\"foreign\""), "{page}");
    assert!(page.contains("Received from node-b: do not pass on"));
    assert!(
        page.contains("Handling H0:</strong> Police use only."),
        "{page}"
    );
    assert!(page.contains("Владимир Щербаков"));
    assert!(page.contains("Cyrillic"));

    let log = audit(a).await;
    assert!(
        log.iter()
            .any(|e| e.action == "federated_search" && e.actor == "anna")
    );
    assert!(
        log.iter()
            .any(|e| e.action == "disclosure.request" && e.outcome == "ok" && e.actor == "anna")
    );
}

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

#[tokio::test]
async fn a_document_check_shows_every_check_digit_and_the_hits() {
    let node = spawn_node().await;
    let session = officer(&node).await;
    let (status, form) = session.get("/documents").await;
    assert_eq!(status, 200);
    assert!(form.contains("class=\"mrz\""));
    assert!(
        form.contains("<option value=\"border_check\" selected>"),
        "{form}"
    );

    let zone = wanted_passport().join("\n");
    let (status, _, page) = session
        .post(
            "/documents",
            &[
                ("mrz", zone.as_str()),
                ("screen", "on"),
                ("purpose", "border_check"),
                ("case_ref", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("valid zone"), "{page}");
    assert!(page.contains("TD3"));
    assert!(
        page.contains("<td>Document number</td><td><span class=\"badge ok\">ok</span>"),
        "{page}"
    );
    assert!(page.contains("SHCHERBAKOV"));
    assert!(page.contains("Stolen"), "the passport is listed: {page}");
    assert!(page.contains("Wanted for arrest"));
    assert!(page.contains("/records/person/p1?purpose=border_check"));

    // One check digit wrong: the zone still reads, and the bad digit is named.
    let mut lines = wanted_passport();
    let mut second: Vec<char> = lines[1].chars().collect();
    second[9] = if second[9] == '0' { '1' } else { '0' };
    lines[1] = second.into_iter().collect();
    let broken = lines.join("\n");
    let (status, fragment) = htmx_post(
        &session,
        "/documents",
        &[("mrz", broken.as_str()), ("purpose", "border_check")],
    )
    .await;
    assert_eq!(status, 200, "{fragment}");
    assert!(fragment.contains("check digits fail"), "{fragment}");
    assert!(fragment.contains("badge bad"), "{fragment}");
    assert!(
        fragment.contains("were not screened"),
        "the box was not ticked"
    );

    // Not a zone at all: the error names where, and the text stays in the box.
    let (status, _, page) = session
        .post(
            "/documents",
            &[("mrz", "HELLO WORLD"), ("purpose", "border_check")],
        )
        .await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("Machine-readable zone"), "{page}");
    assert!(page.contains(">HELLO WORLD</textarea>"));

    // The stolen car of the example records.
    let (status, fragment) = htmx_post(
        &session,
        "/documents/vehicle",
        &[
            ("plate", "B-AB 1234"),
            ("plate_country", "d"),
            ("purpose", "border_check"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{fragment}");
    assert!(fragment.contains("badge stolen"), "{fragment}");
    assert!(
        fragment.contains("Seize; notify owner authority"),
        "{fragment}"
    );
    let (status, fragment) = htmx_post(
        &session,
        "/documents/vehicle",
        &[("purpose", "border_check")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(fragment.contains("VIN or number plate:"), "{fragment}");

    let log = audit(&node).await;
    assert!(log.iter().any(|e| e.action == "check_document"
        && e.purpose.as_deref() == Some("border_check")
        && e.objects.contains(&"person/p1".to_owned())));
    assert!(log.iter().any(|e| e.action == "check_vehicle"));
}

const MANIFEST: &str = "\
surname,given_names,birth_date,sex,nationality,document_type,document_number,document_issuing_country,document_expiry,flight,departure_airport,departure_time,arrival_airport,arrival_time
SHCHERBAKOV,VLADIMIR,1975-03-14,M,RUS,P,L898902C3,UTO,2031-04-15,XA101,AAA,2026-12-01T10:00:00,BBB,2026-12-01T12:00:00
DOE,JANE,1990-01-01,F,XBB,P,XB0000001,XBB,2030-01-01,XA101,AAA,2026-12-01T10:00:00,BBB,2026-12-01T12:00:00
AL RASHID,AHMAD,1981-06-01,M,JOR,P,J1234567,JOR,2029-05-05,XA101,AAA,2026-12-01T10:00:00,BBB,2026-12-01T12:00:00
";

async fn upload(session: &WebSession, bytes: &[u8], format: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", session.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("flight-xa101.csv"),
        )
        .text("format", format.to_owned())
        .text("purpose", "border_check")
        .text("case_ref", "");
    session
        .client
        .post(format!("{}/manifests", session.base))
        .header("cookie", &session.cookie)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_manifest_is_uploaded_its_run_opened_and_a_hit_confirmed() {
    let node = spawn_node().await;
    let session = officer(&node).await;
    let (status, page) = session.get("/manifests").await;
    assert_eq!(status, 200);
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(page.contains("No manifest has been screened"));

    let response = upload(&session, MANIFEST.as_bytes(), "").await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/manifests/"), "{location}");
    let run = location.trim_start_matches("/manifests/").to_owned();

    let (status, page) = session.get(&location).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("CSV manifest"));
    assert!(page.contains("XA101"));
    assert!(
        page.contains("<div><dt>Strong</dt><dd>1</dd></div>"),
        "{page}"
    );
    assert!(page.contains("SHCHERBAKOV"), "{page}");
    assert!(
        !page.contains("DOE JANE") && !page.contains("JANE DOE"),
        "hits only by default"
    );
    assert!(page.contains("Arrest; notify issuing authority within 12 hours"));
    assert!(page.contains(&format!("href=\"/api/v1/manifests/{run}?format=csv\"")));
    assert!(page.contains("<details open>"), "a strong hit is open");
    let review = format!("/manifests/{run}/hits/");
    let hit = page
        .split(&review)
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let (_, all) = session.get(&format!("{location}?show=all")).await;
    assert!(all.contains("JANE"), "every traveller when asked");

    // The officer confirms the hit: the buttons give way to the verdict, with who and when.
    let (status, fragment) = htmx_post(
        &session,
        &format!("/manifests/{run}/hits/{hit}/review"),
        &[("verdict", "true_hit")],
    )
    .await;
    assert_eq!(status, 200, "{fragment}");
    assert!(
        fragment.contains("<span class=\"badge true_hit\">True hit</span>"),
        "{fragment}"
    );
    assert!(fragment.contains("marked by olga at <time"), "{fragment}");
    let (_, page) = session.get(&location).await;
    assert!(page.contains("badge true_hit"));
    assert!(page.contains("<dd>1 / "), "one hit reviewed: {page}");

    // The figures and the audit log count it.
    let supervisor = node.token("sam", &[Role::Supervisor]).await;
    let (status, stats) = get(&node, &supervisor, "/api/v1/hits/statistics").await;
    assert_eq!(status, 200, "{stats}");
    let confirmed: u64 = stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["dimension"] == "band")
        .filter_map(|r| r["confirmed"].as_u64())
        .sum();
    assert_eq!(confirmed, 1);
    let log = audit(&node).await;
    let review_entry = log.iter().find(|e| e.action == "review_hit").unwrap();
    assert_eq!(review_entry.actor, "olga");
    assert_eq!(review_entry.detail.as_deref(), Some("true_hit"));
    assert!(log.iter().any(|e| {
        e.action == "screen_manifest"
            && e.purpose.as_deref() == Some("border_check")
            && e.detail
                .as_deref()
                .is_some_and(|d| d.contains("flight-xa101.csv"))
    }));

    // A plain form post records a changed verdict and goes back to the run.
    let (status, location_after, _) = session
        .post(
            &format!("/manifests/{run}/hits/{hit}/review"),
            &[("verdict", "false_hit")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        location_after
            .unwrap()
            .starts_with(&format!("/manifests/{run}"))
    );

    // The run is listed with its source; a file that is not a manifest is refused next to the form.
    let (_, list) = session.get("/manifests").await;
    assert!(
        list.contains(&format!("href=\"/manifests/{run}\"")),
        "{list}"
    );
    assert!(list.contains("flight-xa101.csv"));
    let response = upload(&session, b"UNB+UNOA:4+X+Y+200101:1200+1'garbage", "paxlst").await;
    assert_eq!(response.status().as_u16(), 400);
    let page = response.text().await.unwrap();
    assert!(page.contains("Manifest file"), "{page}");
    let response = upload(&session, b"", "").await;
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().await.unwrap().contains("choose the file"));
    // The test node accepts bodies up to 256 KiB.
    let response = upload(&session, &vec![b'x'; 300 * 1024], "csv").await;
    assert_eq!(response.status().as_u16(), 413);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("larger than this node accepts")
    );
}

#[tokio::test]
async fn a_record_is_read_only_with_a_purpose() {
    let node = spawn_node().await;
    let session = officer(&node).await;

    let (status, form) = session.get("/records").await;
    assert_eq!(status, 200);
    assert!(form.contains("<label for=\"id\">"));

    // The lookup form leads to the record's page with the purpose in its address.
    let (status, location) = {
        let response = session
            .client
            .get(format!(
                "{}/records?type=person&id=p1&purpose=border_check&case_ref=GATE+4",
                session.base
            ))
            .header("cookie", &session.cookie)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.headers()["location"].to_str().unwrap().to_owned(),
        )
    };
    assert_eq!(status, 303);
    assert_eq!(
        location,
        "/records/person/p1?purpose=border_check&case_ref=GATE%204"
    );

    // Without a purpose: the form again, with the reason, and the refusal logged.
    let (status, page) = session.get("/records/person/p1").await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("No access without a purpose"), "{page}");
    assert!(page.contains("value=\"p1\""), "the id is kept");
    assert!(!page.contains("Щербаков"));
    let log = audit(&node).await;
    assert!(
        log.iter()
            .any(|e| e.action == "record.read" && e.outcome == "refused" && e.actor == "olga")
    );

    let (status, page) = session.get(&location).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("class=\"handling\""));
    assert!(
        page.contains("Handling H0:</strong> Police use only."),
        "{page}"
    );
    assert!(page.contains("<strong>2031-01-01</strong>"));
    assert!(page.contains("Partners of the owner"));
    assert!(!page.contains("class=\"foreign\""), "own record");
    assert!(page.contains("Владимир Щербаков"));
    assert!(page.contains("<td>Cyrillic</td>"));
    assert!(page.contains("Phone: +7 912 000 0000"));
    // The alert on him and his passport link to their pages, read for the same purpose and case.
    assert!(
        page.contains("href=\"/records/alert/a1?purpose=border_check&#38;case_ref=GATE%204\""),
        "{page}"
    );
    assert!(page.contains("href=\"/records/document/d1?purpose=border_check"));
    let log = audit(&node).await;
    assert!(log.iter().any(|e| e.action == "record.read"
        && e.outcome == "ok"
        && e.objects == ["person/p1"]
        && e.case_ref.as_deref() == Some("GATE 4")));

    // An alert shows its action and links to its subject.
    let (status, page) = session.get("/records/alert/a1?purpose=border_check").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<strong>Action:</strong> Arrest; notify issuing authority within 12 hours")
    );
    assert!(page.contains("href=\"/records/person/p1?purpose=border_check\""));
    assert!(page.contains("Handling H2:"));

    // A record this node does not hold.
    let (status, page) = session
        .get("/records/person/nobody?purpose=border_check")
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("no person/nobody on this node"), "{page}");
}
