//! The oversight and analysis pages as their users work them: an auditor searches, pages, verifies and
//! exports the audit log; an administrator adds users, creates and revokes tokens and adds a partner from its
//! card and agreement; an analyst opens the link-analysis page. Users without the role are refused.

use liaison_core::Role;
use liaison_server::NodeSettings;
use liaison_server::federation::{Federation, OutboxWorker};
use liaison_server::services::{AuditEvent, Caller, partners, record_audit};

use crate::harness::{FederationSetup, agreement, build_node, get, spawn_node};
use crate::web::{WebSession, enrolled_user};

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let at = html.find(start)? + start.len();
    html[at..].split(end).next()
}

async fn get_raw(session: &WebSession, path: &str) -> reqwest::Response {
    session
        .client
        .get(format!("{}{path}", session.base))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_auditor_searches_pages_verifies_and_exports_the_log() {
    let node = spawn_node().await;
    let secret = enrolled_user(&node, "dora", &[Role::Auditor]).await;
    let session = WebSession::login(&node, "dora", &secret).await;
    for _ in 0..57 {
        record_audit(
            &node.node,
            &Caller::cli(),
            AuditEvent::new("test.filler", "ok").object("person/p1"),
        )
        .await
        .unwrap();
    }
    let today = node.node.now().date_naive().format("%Y-%m-%d").to_string();
    let yesterday = (node.node.now() - chrono::Duration::days(1))
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();

    // The page opens on today's entries.
    let (status, page) = session.get("/audit").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&format!("value=\"{today}\"")));
    assert!(page.contains("<th scope=\"col\">Outcome</th>"));
    assert!(page.contains("aria-live=\"polite\""));

    // By action and period: the log-in of this session is found, and nothing the day before.
    let (status, page) = session
        .get(&format!(
            "/audit?actor=&action=auth.login&object=&from={today}&to={today}"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<td>dora</td>"), "{page}");
    assert!(page.contains("class=\"badge outcome-ok\">ok</span>"));
    assert!(!page.contains("test.filler"));
    let (_, page) = session
        .get(&format!(
            "/audit?action=auth.login&from={yesterday}&to={yesterday}"
        ))
        .await;
    assert!(page.contains("No entry matches."));

    // 57 entries make two pages of 50 and 7.
    let (_, first) = session.get("/audit?action=test.filler").await;
    assert_eq!(
        first.matches("<td class=\"mono\">test.filler</td>").count(),
        50
    );
    let next = between(&first, "href=\"/audit?", "\" rel=\"next\"")
        .expect("a link to the next page")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let (_, second) = session.get(&format!("/audit?{next}")).await;
    assert_eq!(
        second
            .matches("<td class=\"mono\">test.filler</td>")
            .count(),
        7
    );
    assert!(!second.contains("rel=\"next\""));
    assert!(second.contains("First page"));

    // A bad date is shown next to the form, with what was typed.
    let (status, page) = session.get("/audit?action=screen&from=1+March").await;
    assert_eq!(status, 400);
    assert!(
        page.contains("From (date): `1 March` is not a date"),
        "{page}"
    );
    assert!(page.contains("value=\"screen\""));

    // Verification: a fragment for htmx, the whole page for a plain form, and the CSRF token required.
    let response = session
        .client
        .post(format!("{}/audit/verify", session.base))
        .header("cookie", &session.cookie)
        .header("hx-request", "true")
        .header("x-csrf-token", &session.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let fragment = response.text().await.unwrap();
    assert!(!fragment.contains("<html"));
    assert!(fragment.contains("badge intact"), "{fragment}");
    assert!(fragment.contains("entries checked"));
    let (status, _, page) = session.post("/audit/verify", &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Audit log") && page.contains("entries checked"));
    let response = session
        .client
        .post(format!("{}/audit/verify", session.base))
        .header("cookie", &session.cookie)
        .form(&[("_csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    // The CSV export is a download of the whole search, and is itself logged.
    let response = get_raw(
        &session,
        &format!("/audit/export.csv?action=test.filler&from={today}&to={today}"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"audit-node-a-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("seq,at,node,actor,action,objects,purpose")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 57);
    assert!(rows.iter().all(|r| r.contains(",test.filler,person/p1,")));

    let response = get_raw(&session, "/audit/export.json?action=test.filler").await;
    assert_eq!(response.status().as_u16(), 200);
    let document: serde_json::Value = response.json().await.unwrap();
    assert_eq!(document["entries"].as_array().unwrap().len(), 57);
    assert_eq!(document["truncated"], false);
    assert_eq!(document["filter"]["action"], "test.filler");
    assert!(document["entries"][0]["hash"].as_str().unwrap().len() == 64);

    let log = node.audit_actions().await;
    let exports: Vec<&Option<String>> = log
        .iter()
        .filter(|(action, outcome, _)| action == "audit.export" && outcome == "ok")
        .map(|(_, _, detail)| detail)
        .collect();
    assert_eq!(exports.len(), 2);
    assert!(
        exports[0]
            .as_deref()
            .unwrap()
            .starts_with("csv of 57 entries; action test.filler, from"),
        "{exports:?}"
    );
    assert!(log.iter().any(|(action, _, _)| action == "audit.verify"));
}

#[tokio::test]
async fn the_audit_pages_refuse_users_who_are_not_auditors() {
    let node = spawn_node().await;
    let secret = enrolled_user(&node, "olga", &[Role::Officer, Role::Admin]).await;
    let session = WebSession::login(&node, "olga", &secret).await;
    let (status, _) = session.get("/audit").await;
    assert_eq!(status, 403);
    let (status, _) = session.get("/audit?from=not+a+date").await;
    assert_eq!(status, 403);
    let (status, _, _) = session.post("/audit/verify", &[]).await;
    assert_eq!(status, 403);
    assert_eq!(
        get_raw(&session, "/audit/export.csv")
            .await
            .status()
            .as_u16(),
        403
    );
    let log = node.audit_actions().await;
    assert!(
        log.iter()
            .any(|(action, outcome, _)| action == "audit.search" && outcome == "denied")
    );
    assert!(!log.iter().any(|(action, _, _)| action == "audit.export"));
    // Nor does the navigation offer the section.
    let (_, home) = session.get("/").await;
    assert!(!home.contains("href=\"/audit\""));
    assert!(home.contains("href=\"/admin\""));
}

#[tokio::test]
async fn an_administrator_adds_a_user_and_creates_and_revokes_a_token() {
    let node = spawn_node().await;
    let secret = enrolled_user(&node, "ada", &[Role::Admin]).await;
    let session = WebSession::login(&node, "ada", &secret).await;
    let (status, page) = session.get("/admin").await;
    assert_eq!(status, 200);
    assert!(page.contains("<td class=\"mono\">ada</td>"));
    for role in Role::ALL {
        assert!(page.contains(&format!(
            "<label class=\"check\" for=\"role-{}\">",
            role.as_str()
        )));
    }

    // Without a password: a one-time password, shown once, that logs the user in to enrolment.
    let (status, _, page) = session
        .post(
            "/admin/users",
            &[
                ("username", "nina"),
                ("roles", "analyst"),
                ("roles", "supervisor"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("User nina created"));
    let one_time = between(&page, "id=\"secret\">", "<").unwrap().to_owned();
    assert_eq!(one_time.len(), 20);
    let response = session
        .client
        .post(format!("{}/login", session.base))
        .form(&[("username", "nina"), ("password", one_time.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/enrol");
    let (_, page) = session.get("/admin").await;
    assert!(page.contains("<td class=\"mono\">nina</td>"));
    assert!(page.contains("analyst, supervisor"));
    assert!(page.contains("one-time password</span>"));
    assert!(!page.contains(&one_time), "the password is shown only once");

    // Mistakes come back on the form, with what was typed.
    let (status, _, page) = session
        .post("/admin/users", &[("username", "Nina!"), ("roles", "legal")])
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("`username`"), "{page}");
    assert!(page.contains("value=\"Nina!\""));
    assert!(page.contains("value=\"legal\" checked"));
    let (status, _, page) = session
        .post(
            "/admin/users",
            &[("username", "nina"), ("roles", "analyst")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("already exists"));
    let (status, _, page) = session
        .post("/admin/users", &[("username", "noroles")])
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("`roles`"));

    // A token, shown once, that works until it is revoked.
    let (status, _, page) = session
        .post(
            "/admin/tokens",
            &[("username", "nina"), ("label", "case tool")],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let token = between(&page, "id=\"secret\">", "<").unwrap().to_owned();
    assert!(token.starts_with("lt_"));
    let id = between(&page, "<dt>Token id</dt><dd class=\"mono\">", "<")
        .unwrap()
        .to_owned();
    // nina is no administrator: authenticated, then refused.
    assert_eq!(get(&node, &token, "/api/v1/users").await.0, 403);
    let (status, location, _) = session.post("/admin/tokens/revoke", &[("id", &id)]).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert!(location.starts_with("/admin?revoked="), "{location}");
    let (_, page) = session.get(&location).await;
    assert!(page.contains(&format!("Token {id} is revoked")));
    assert_eq!(get(&node, &token, "/api/v1/users").await.0, 401);
    let (status, _, page) = session
        .post("/admin/tokens/revoke", &[("id", "no-such-token")])
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("no token `no-such-token`"));
    let (status, _, page) = session
        .post("/admin/tokens", &[("username", "ghost")])
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("no user `ghost`"));

    let log = node.audit_actions().await;
    for action in ["user.create", "token.create", "token.revoke"] {
        assert!(
            log.iter()
                .any(|(a, outcome, _)| a == action && outcome == "ok"),
            "{action}"
        );
    }

    // Forms without the session's CSRF token change nothing.
    let response = session
        .client
        .post(format!("{}/admin/users", session.base))
        .header("cookie", &session.cookie)
        .form(&[("_csrf", "forged"), ("username", "eve"), ("roles", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let (_, page) = session.get("/admin").await;
    assert!(!page.contains("<td class=\"mono\">eve</td>"));
}

/// A second node with a federation identity, whose card the first node's administrator pastes.
async fn partner_card() -> (crate::harness::TestNode, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("https://{}", listener.local_addr().unwrap());
    liaison_crypto::install_crypto_provider();
    let federation = Federation::new(
        liaison_crypto::TlsIdentity::generate("node-b", &[]).unwrap(),
        liaison_crypto::NodeSigningKey::generate(),
        Some(endpoint),
        b"secret of node-b".to_vec(),
    );
    let b = build_node(
        NodeSettings {
            secure_cookies: false,
            ..NodeSettings::default()
        },
        "node-b",
        "XBB",
        false,
        Some(FederationSetup {
            federation,
            listener,
            worker: OutboxWorker::default(),
        }),
    )
    .await;
    let card = partners::own_card(&b.node, "Border Police B").unwrap();
    (b, card)
}

#[tokio::test]
async fn an_administrator_adds_a_partner_from_its_card_and_agreement() {
    let node = spawn_node().await;
    let (_b, card) = partner_card().await;
    let secret = enrolled_user(&node, "ada", &[Role::Admin]).await;
    let session = WebSession::login(&node, "ada", &secret).await;
    let (status, page) = session.get("/admin/partners").await;
    assert_eq!(status, 200);
    assert!(page.contains("This node has no partner yet."));
    assert!(page.contains("<label for=\"card\">"));

    // A mistake in the agreement names its line, and the pasted text stays.
    let broken = "partner = \"node-b\"\npurposes = \"border_check\"\n";
    let (status, _, page) = session
        .post("/admin/partners", &[("card", &card), ("agreement", broken)])
        .await;
    assert_eq!(status, 400);
    let error = between(&page, "id=\"partner-error\">", "</p>").unwrap();
    assert!(
        error.contains("`agreement`") && error.contains("line"),
        "{error}"
    );
    assert!(
        page.contains("purposes = &#34;border_check&#34;")
            || page.contains("purposes = &quot;border_check&quot;")
    );
    let (status, _, page) = session
        .post(
            "/admin/partners",
            &[
                ("card", "{\"v\": 1}"),
                ("agreement", &agreement("node-b", "manual")),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        between(&page, "id=\"partner-error\">", "</p>")
            .unwrap()
            .contains("`card`")
    );

    let (status, location, _) = session
        .post(
            "/admin/partners",
            &[
                ("card", &card),
                ("agreement", &agreement("node-b", "manual")),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert_eq!(location, "/admin/partners?added=node-b#partner-node-b");
    let (_, page) = session.get(&location).await;
    assert!(page.contains("Partner node-b is pinned"));
    let section = between(&page, "id=\"partner-node-b\"", "</section>").unwrap();
    assert!(section.contains("Border Police B"));
    assert!(section.contains("<dd>XBB</dd>"));
    assert!(section.contains("https://127.0.0.1:"));
    assert!(section.contains("class=\"badge outcome-ok\">active</span>"));
    assert!(section.contains("Agreement in force: version 1"));
    assert!(section.contains("border check, criminal investigation"));
    assert!(section.contains("person, document, vehicle, alert"));
    assert!(section.contains("<dd>manual</dd>"));
    assert!(section.contains("600 per minute"));
    assert!(section.contains("2000 ms"));
    assert!(!section.contains("Earlier versions"));

    // A new agreement becomes version 2; version 1 stays in the history.
    let (status, _, _) = session
        .post(
            "/admin/partners",
            &[
                ("card", &card),
                ("agreement", &agreement("node-b", "automatic")),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = session.get("/admin/partners").await;
    let section = between(&page, "id=\"partner-node-b\"", "</section>").unwrap();
    assert!(section.contains("Agreement in force: version 2"));
    assert!(section.contains("<dd>automatic</dd>"));
    assert!(section.contains("Earlier versions (1)"));
    assert!(section.contains("<td>manual</td>"));

    let log = node.audit_actions().await;
    assert_eq!(
        log.iter()
            .filter(|(a, o, _)| a == "agreement.set" && o == "ok")
            .count(),
        2
    );
}

#[tokio::test]
async fn administration_is_refused_to_other_roles() {
    let node = spawn_node().await;
    let secret = enrolled_user(&node, "dora", &[Role::Auditor]).await;
    let session = WebSession::login(&node, "dora", &secret).await;
    assert_eq!(session.get("/admin").await.0, 403);
    assert_eq!(session.get("/admin/partners").await.0, 403);
    let (status, _, _) = session
        .post("/admin/users", &[("username", "eve"), ("roles", "admin")])
        .await;
    assert_eq!(status, 403);
    let log = node.audit_actions().await;
    assert!(
        log.iter()
            .any(|(a, o, _)| a == "user.create" && o == "denied")
    );
}

#[tokio::test]
async fn the_link_analysis_page_offers_its_controls_and_loads_its_script() {
    let node = spawn_node().await;
    let secret = enrolled_user(&node, "ana", &[Role::Analyst]).await;
    let session = WebSession::login(&node, "ana", &secret).await;
    let (status, page) = session.get("/graph").await;
    assert_eq!(status, 200, "{page}");
    for needle in [
        "<script src=\"/assets/cytoscape.min.js\"",
        "<script src=\"/assets/graph.js\"",
        "<label for=\"g-type\">",
        "<label for=\"g-id\">",
        "<select id=\"g-purpose\" name=\"purpose\" required>",
        "<option value=\"criminal_investigation\">criminal investigation</option>",
        "<label for=\"g-case\">",
        "<label for=\"g-hops\">",
        "<label for=\"g-owner\">",
        "id=\"edge-travelled_with\" name=\"edge\" value=\"travelled_with\" checked",
        "id=\"g-t-from\"",
        "Find key players",
        "Colour communities",
        "Show shortest path",
        "id=\"g-export-graphml\"",
        "id=\"g-export-gexf\"",
        "aria-live=\"polite\"",
        "id=\"g-entities\"",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    assert!(!page.contains("data-autoload"));

    // A link names the view: the page fills the form and the script loads it at once.
    let (_, page) = session
        .get("/graph?type=vehicle&id=v1&purpose=criminal_investigation&case_ref=OP-7&hops=3&edge=relation&edge=uses_vehicle")
        .await;
    assert!(page.contains("data-autoload=\"1\""));
    assert!(page.contains("<option value=\"vehicle\" selected>"));
    assert!(page.contains("value=\"OP-7\""));
    assert!(page.contains("<option value=\"3\" selected>"));
    assert!(page.contains("value=\"relation\" checked"));
    assert!(!page.contains("value=\"travelled_with\" checked"));

    let response = get_raw(&session, "/assets/graph.js").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let script = response.text().await.unwrap();
    for route in [
        "/api/v1/graph/neighbourhood/",
        "/api/v1/graph/paths",
        "/api/v1/graph/key-players",
        "/api/v1/graph/communities",
        "/api/v1/graph/export?",
    ] {
        assert!(script.contains(route), "{route}");
    }

    // Officers do not analyse the graph.
    let secret = enrolled_user(&node, "otto", &[Role::Officer]).await;
    let officer = WebSession::login(&node, "otto", &secret).await;
    assert_eq!(officer.get("/graph").await.0, 403);
}

#[tokio::test]
async fn an_administrator_changes_roles_disables_resets_and_lists_tokens() {
    let node = spawn_node().await;
    let admin_secret = enrolled_user(&node, "ada", &[Role::Admin]).await;
    let officer_secret = enrolled_user(&node, "otto", &[Role::Officer]).await;
    let officer = WebSession::login(&node, "otto", &officer_secret).await;
    node.clock.advance(chrono::Duration::seconds(31));
    let admin = WebSession::login(&node, "ada", &admin_secret).await;

    // Roles: otto becomes an analyst too; his session ends, so the new roles take effect at once.
    let (status, location, _) = admin
        .post(
            "/admin/users/otto",
            &[
                ("action", "save"),
                ("roles", "officer"),
                ("roles", "analyst"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/admin?changed=otto#user-otto"))
    );
    let (status, _) = officer.get("/").await;
    assert_eq!(status, 303, "otto's session ended with the role change");
    let (_, page) = admin.get("/admin").await;
    assert!(page.contains("officer, analyst"), "the roles are shown");

    // Disabled: otto cannot log in.
    admin
        .post(
            "/admin/users/otto",
            &[("action", "save"), ("roles", "officer"), ("disabled", "on")],
        )
        .await;
    node.clock.advance(chrono::Duration::seconds(31));
    let code = officer_secret
        .code_at(node.node.now().timestamp() as u64)
        .unwrap();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(node.url("/login"))
        .form(&[
            ("username", "otto"),
            ("password", "a long enough password"),
            ("totp", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);

    // An administrator cannot lock themselves out.
    let (status, _, page) = admin
        .post(
            "/admin/users/ada",
            &[("action", "save"), ("roles", "officer")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("cannot remove your own admin role"), "{page}");

    // A new one-time password is shown once; the second factor can be reset.
    let (status, _, page) = admin
        .post("/admin/users/otto", &[("action", "reset_password")])
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("One-time password"));
    let (status, _, _) = admin
        .post("/admin/users/otto", &[("action", "reset_second_factor")])
        .await;
    assert_eq!(status, 303);
    let user = node.node.store.get_user("otto").await.unwrap().unwrap();
    assert!(user.must_change_password && !user.totp_enabled && user.disabled);

    // Tokens are listed (never the token) and revoked from the list.
    let (_, token) = liaison_server::services::users::create_token(
        &node.node,
        &liaison_server::services::Caller::cli(),
        "ada",
        Some("border kiosk"),
    )
    .await
    .unwrap();
    let (_, page) = admin.get("/admin").await;
    assert!(page.contains("border kiosk"));
    assert!(
        !page.contains(token.expose()),
        "the token itself is never shown again"
    );
    let actions: Vec<String> = node
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    assert!(actions.iter().any(|a| a == "user.update"));
    assert!(actions.iter().any(|a| a == "token.list"));
}
