//! The web interface over HTTP, as a browser uses it: log-in with password and TOTP, enrolment, CSRF,
//! log-out, the home page per role, and the embedded assets. `WebSession` is shared by the page tests.

use chrono::Duration;
use liaison_core::Role;
use liaison_crypto::TotpSecret;
use liaison_server::services::{Caller, auth};

use crate::harness::{TestNode, spawn_node};

/// A browser's session on a test node: the cookie and the CSRF token the pages carry.
pub struct WebSession {
    pub cookie: String,
    pub csrf: String,
    pub client: reqwest::Client,
    pub base: String,
}

/// The value of `name="_csrf"` in a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A user with `roles`, a password and an enrolled second factor; returns its TOTP secret.
pub async fn enrolled_user(node: &TestNode, username: &str, roles: &[Role]) -> TotpSecret {
    node.user(username, roles, "a long enough password").await;
    let caller = Caller {
        actor: liaison_server::Actor::User {
            username: username.to_owned(),
            roles: roles.to_vec(),
        },
        request_id: None,
    };
    let (secret, _) = auth::begin_totp_enrolment(&node.node, &caller)
        .await
        .unwrap();
    let code = secret.code_at(node.node.now().timestamp() as u64).unwrap();
    auth::confirm_totp_enrolment(&node.node, &caller, &code)
        .await
        .unwrap();
    // A code is accepted once: the log-in uses the next one.
    node.clock.advance(Duration::seconds(31));
    secret
}

impl WebSession {
    /// Logs `username` in through the log-in form.
    pub async fn login(node: &TestNode, username: &str, secret: &TotpSecret) -> WebSession {
        let client = no_redirects();
        let code = secret.code_at(node.node.now().timestamp() as u64).unwrap();
        let response = client
            .post(node.url("/login"))
            .form(&[
                ("username", username),
                ("password", "a long enough password"),
                ("totp", code.as_str()),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "log-in refused");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut session = WebSession {
            cookie,
            csrf: String::new(),
            client,
            base: node.base.clone(),
        };
        let (status, home) = session.get("/").await;
        assert_eq!(status, 200, "{home}");
        session.csrf = csrf_of(&home).expect("the home page carries the CSRF token");
        session
    }

    /// A page: status and HTML.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token; status, `Location` (for redirects) and HTML.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, Option<String>, String) {
        let mut form: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(&form)
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
}

#[tokio::test]
async fn pages_need_a_log_in_with_password_and_code() {
    let node = spawn_node().await;
    let secret = enrolled_user(&node, "olga", &[Role::Officer]).await;
    let client = no_redirects();

    // Not logged in: sent to the log-in page, and back afterwards.
    let response = client.get(node.url("/?from=mail")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2F%3Ffrom%3Dmail"
    );
    let page = client
        .get(node.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<label for=\"totp\">"));

    // A wrong code is refused without saying which part was wrong.
    let response = client
        .post(node.url("/login"))
        .form(&[
            ("username", "olga"),
            ("password", "a long enough password"),
            ("totp", "000000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("wrong username, password or code")
    );

    let session = WebSession::login(&node, "olga", &secret).await;
    let (status, home) = session.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("What needs you now"));
    assert!(home.contains("Screen a person"));
    // An officer sees no audit or admin section, nor disclosure decisions.
    assert!(!home.contains("href=\"/audit\""));
    assert!(!home.contains("href=\"/admin\""));
    assert!(!home.contains("Disclosure requests to decide"));

    // Log-out needs the CSRF token; then the session is gone.
    let (status, _, _) = {
        let response = session
            .client
            .post(node.url("/logout"))
            .header("cookie", &session.cookie)
            .form(&[("_csrf", "forged")])
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), (), ())
    };
    assert_eq!(status, 400);
    let (status, location, _) = session.post("/logout", &[]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/login")));
    let (status, _) = session.get("/").await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn a_new_user_changes_the_one_time_password_and_enrols_a_second_factor() {
    let node = spawn_node().await;
    // Without a password the node makes a one-time password, as `liaison user add` prints it.
    let one_time = liaison_server::services::users::create_user(
        &node.node,
        &Caller::cli(),
        "nina2",
        &[Role::Supervisor],
        None,
    )
    .await
    .unwrap()
    .unwrap();
    let one_time = one_time.expose().to_owned();
    let client = no_redirects();
    let response = client
        .post(node.url("/login"))
        .form(&[("username", "nina2"), ("password", one_time.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/enrol");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let get = |path: &'static str| {
        let client = client.clone();
        let cookie = cookie.clone();
        let url = node.url(path);
        async move {
            let response = client
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    // Other pages send the user back to enrolment.
    assert_eq!(get("/").await.0, 303);
    let (status, page) = get("/enrol").await;
    assert_eq!(status, 200);
    assert!(page.contains("Choose your own password"));
    let csrf = csrf_of(&page).unwrap();
    let response = client
        .post(node.url("/enrol/password"))
        .header("cookie", &cookie)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("current_password", one_time.as_str()),
            ("new_password", "my own long password"),
            ("repeat_password", "my own long password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let (_, page) = get("/enrol").await;
    assert!(page.contains("<svg"), "a QR code is shown");
    let secret_text = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    // Reloading shows the same secret, so the app that scanned it still works.
    let (_, again) = get("/enrol").await;
    assert!(again.contains(&secret_text));
    let secret = TotpSecret::from_base32(&secret_text).unwrap();
    let code = secret.code_at(node.node.now().timestamp() as u64).unwrap();
    let response = client
        .post(node.url("/enrol/totp"))
        .header("cookie", &cookie)
        .form(&[("_csrf", csrf.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/");
    let (status, home) = get("/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("Disclosure requests to decide"),
        "a supervisor decides disclosures"
    );
}

#[tokio::test]
async fn assets_are_served_from_the_binary() {
    let node = spawn_node().await;
    for (name, kind) in [
        ("app.css", "text/css"),
        ("app.js", "text/javascript"),
        ("htmx.min.js", "text/javascript"),
        ("cytoscape.min.js", "text/javascript"),
    ] {
        let response = reqwest::get(node.url(&format!("/assets/{name}")))
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{name}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
    }
    let response = reqwest::get(node.url("/assets/../Cargo.toml"))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn an_exercise_node_lists_its_accounts_current_codes_on_the_log_in_page() {
    let node = crate::harness::spawn_node_with(liaison_server::NodeSettings {
        secure_cookies: false,
        exercise_accounts: true,
        ..liaison_server::NodeSettings::default()
    })
    .await;
    let secret = enrolled_user(&node, "olga", &[Role::Officer]).await;
    let code = secret.code_at(node.node.now().timestamp() as u64).unwrap();
    let page = reqwest::get(node.url("/login"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Exercise node: accounts"));
    assert!(page.contains("olga"));
    assert!(page.contains(&code), "the current code is shown");
    // The code shown logs the user in.
    WebSession::login(&node, "olga", &secret).await;

    // Any other node shows nothing of the kind.
    let real = spawn_node().await;
    let page = reqwest::get(real.url("/login"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Exercise node"));
    let response = reqwest::get(real.url("/login/exercise-codes"))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
}
