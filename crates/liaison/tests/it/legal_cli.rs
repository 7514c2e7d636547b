//! `liaison legal` as a central authority's operator uses it: the offence catalogue and dual criminality,
//! and a request drafted, listed, sent, printed and given evidence, on temporary data directories.

use serde_json::Value;

use crate::harness::{Cli, agreement, stderr, stdout};

const CATALOGUE: &str = "code,name,max_penalty_years,iccs\n\
                         StGB 263,Fraud,5,0701\n\
                         StGB 232,Trafficking in human beings,10,0204\n";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn a_catalogue_with_a_bad_line_is_refused_naming_the_line_and_nothing_is_loaded() {
    let cli = Cli::new();
    cli.init();
    let bad = cli.file(
        "catalogue.csv",
        b"code,name,max_penalty_years,iccs\nStGB 263,Fraud,5,0701\nStGB 232,Trafficking,ten,0204\n",
    );
    let out = cli.run(&["legal", "catalogue", "load", &bad]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let error = stderr(&out);
    assert!(error.contains("catalogue.csv"), "{error}");
    assert!(error.contains("line 3"), "{error}");
    assert!(error.contains("max_penalty_years"), "{error}");

    let shown = json(&cli.ok(&["legal", "catalogue", "show", "--json"]));
    assert_eq!(shown["offences"], Value::Array(Vec::new()), "{shown}");
    assert!(shown.get("updated_at").is_none(), "{shown}");
}

#[test]
fn dual_criminality_exits_by_its_result_against_the_loaded_catalogue() {
    let cli = Cli::new();
    cli.init();
    let catalogue = cli.file("catalogue.csv", CATALOGUE.as_bytes());
    let loaded = cli.ok(&["legal", "catalogue", "load", &catalogue]);
    assert!(loaded.contains("2 offences loaded"), "{loaded}");

    let check = |iccs: &str, years: &str, category: Option<&str>| {
        let mut args = vec![
            "legal",
            "dual-criminality",
            "--iccs",
            iccs,
            "--penalty-years",
            years,
            "--executing-node",
            "node-a",
            "--json",
        ];
        if let Some(category) = category {
            args.extend(["--listed-category", category]);
        }
        let out = cli.run(&args);
        (out.status.code(), json(&stdout(&out)))
    };

    // A listed category punished with 3 years or more is not checked.
    let (code, body) = check("0204", "5", Some("trafficking_in_human_beings"));
    assert_eq!(code, Some(0), "{body}");
    assert_eq!(body["result"], "not_required");
    // The same ICCS division in the executing law.
    let (code, body) = check("0701", "2", None);
    assert_eq!(code, Some(0), "{body}");
    assert_eq!(body["result"], "satisfied");
    // Only the same section: a lawyer compares the offences.
    let (code, body) = check("0201", "2", None);
    assert_eq!(code, Some(3), "{body}");
    assert_eq!(body["result"], "review");
    // Nothing in the section: the act is not an offence there.
    let (code, body) = check("0501", "2", None);
    assert_eq!(code, Some(4), "{body}");
    assert_eq!(body["result"], "not_satisfied");
    assert!(
        body["reasons"][0].as_str().unwrap().contains("section 05"),
        "{body}"
    );

    let bad = cli.run(&[
        "legal",
        "dual-criminality",
        "--iccs",
        "05x",
        "--penalty-years",
        "2",
        "--executing-node",
        "node-a",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("`--iccs`"), "{}", stderr(&bad));
}

/// An information request from node-a to node-b, whose card node-a pinned.
fn form(with_facts: bool) -> String {
    let facts = if with_facts {
        r#","facts": "Between March and May 2026 the suspect recruited workers in XAA for forced labour in XBB.""#
    } else {
        ""
    };
    format!(
        r#"{{
  "kind": "information_request",
  "executing_node": "node-b",
  "case_ref": "OP-LANTERN",
  "requesting_authority": {{"name": "XAA national police, trafficking unit"}},
  "persons": [{{"name": "Ivan Petrov", "birth_date": "1980-05", "role": "suspect"}}],
  "offences": [{{"iccs": "0204", "national_name": "Trafficking in human beings", "max_penalty_years": 10}}],
  "measures": ["criminal records and known addresses of the person"]{facts}
}}"#
    )
}

#[test]
fn a_request_is_drafted_listed_sent_printed_and_given_evidence() {
    let a = Cli::new();
    a.init();
    let b = Cli::new();
    b.ok(&[
        "init",
        "--node-id",
        "node-b",
        "--country",
        "XBB",
        "--federation-endpoint",
        "https://127.0.0.1:9443",
    ]);
    let card = a.file("node-b.card.json", b.ok(&["partner", "card"]).as_bytes());
    let terms = a.file("node-b.toml", agreement("node-b", "manual").as_bytes());
    a.ok(&["partner", "add", &card, "--agreement", &terms]);

    let incomplete = a.file("incomplete.json", form(false).as_bytes());
    let out = a.run(&["legal", "create", &incomplete]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("`facts`"), "{}", stderr(&out));
    assert!(
        a.ok(&["legal", "list"]).contains("no legal requests"),
        "a refused form drafts nothing"
    );

    let complete = a.file("request.json", form(true).as_bytes());
    let created = json(&a.ok(&["legal", "create", &complete, "--json"]));
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["state"], "draft");
    assert_eq!(created["partner"], "node-b");

    let listed = a.ok(&["legal", "list"]);
    let row = listed
        .lines()
        .find(|line| line.starts_with(&id))
        .unwrap_or_else(|| panic!("{id} not listed:\n{listed}"));
    for column in ["information_request", "requesting", "node-b", "draft"] {
        assert!(row.contains(column), "{row}");
    }

    let sent = a.ok(&["legal", "act", &id, "send"]);
    assert!(sent.contains("is now sent"), "{sent}");
    assert!(sent.contains("queued for node-b"), "{sent}");
    let wrong = a.run(&["legal", "act", &id, "refuse", "--grounds", "ne bis in idem"]);
    assert_eq!(wrong.status.code(), Some(1));

    let pdf = a.dir.path().join("request.pdf");
    let shown = a.ok(&["legal", "show", &id, "--pdf", pdf.to_str().unwrap()]);
    assert!(shown.contains("state sent"), "{shown}");
    assert!(
        shown
            .lines()
            .any(|line| line.contains(" send ") && line.ends_with("-> sent")),
        "the timeline: {shown}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{:?}",
        &bytes[..bytes.len().min(16)]
    );

    let overdue = json(&a.ok(&["legal", "list", "--overdue", "--json"]));
    assert_eq!(overdue["requests"], Value::Array(Vec::new()), "{overdue}");

    // Evidence: attached with its digest, its chain shown, its content written back unchanged.
    let seized = a.file("ledger.txt", b"2026-03-02 transfer 4 800 EUR\n");
    let added = json(&a.ok(&[
        "legal",
        "evidence",
        "add",
        &id,
        &seized,
        "--note",
        "seized at the suspect's office",
        "--json",
    ]));
    assert_eq!(added["media_type"], "text/plain");
    let evidence_id = added["id"].as_str().unwrap().to_owned();
    let sha256 = added["sha256"].as_str().unwrap().to_owned();
    let chain = a.ok(&["legal", "evidence", "show", &id, &evidence_id]);
    assert!(chain.contains("collected"), "{chain}");
    assert!(chain.contains("sealed"), "{chain}");
    assert!(chain.contains("[own]"), "{chain}");
    let copy = a.dir.path().join("ledger-copy.txt");
    let got = a.ok(&[
        "legal",
        "evidence",
        "get",
        &id,
        &evidence_id,
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(got.contains(&sha256), "{got}");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&seized).unwrap()
    );
}
