//! The web interface: server-rendered pages (askama templates, a little htmx) on the same port as the API,
//! for officers, analysts, supervisors, legal staff, auditors and administrators. Every asset is in the
//! binary, so a node works on a workstation with no internet. Pages call the same services as the API, so
//! every rule, role check and audit entry is the same.
//!
//! Sessions are the API's (cookie `liaison_session`, HttpOnly, SameSite=Strict, idle timeout); every form
//! that changes something carries the session's CSRF token (`_csrf` field or `X-CSRF-Token` header, which
//! htmx sends from the `<body>`'s `hx-headers`).

mod admin;
mod assets;
mod audit;
mod border;
mod disclosures;
mod graph;
mod home;
mod legal;
mod legal_reference;
mod messages;
mod records;
mod screening;
mod session;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use liaison_core::Role;

use crate::http::AppState;
use crate::http::extract::{request_id, session_cookie};
use crate::services::{Caller, ServiceError, auth};

/// The web interface's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(session::routes())
        .merge(home::routes())
        .merge(audit::routes())
        .merge(admin::routes())
        .merge(graph::routes())
        .merge(screening::routes())
        .merge(border::routes())
        .merge(records::routes())
        .merge(messages::routes())
        .merge(disclosures::routes())
        .merge(legal::routes())
        .merge(legal_reference::routes())
}

/// One entry of the navigation bar.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What every page shows around its content: the node, the user, the navigation and the CSRF token.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub node_id: String,
    pub country: String,
    pub username: String,
    pub roles: Vec<String>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

/// The sections of the interface and the roles that see each.
const SECTIONS: &[(&str, &str, &[Role])] = &[
    ("/", "Home", &[]),
    (
        "/screen",
        "Screen a person",
        &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal],
    ),
    (
        "/documents",
        "Check a document",
        &[Role::Officer, Role::Analyst, Role::Supervisor],
    ),
    (
        "/manifests",
        "Manifests",
        &[Role::Officer, Role::Analyst, Role::Supervisor],
    ),
    (
        "/records",
        "Records",
        &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal],
    ),
    (
        "/messages",
        "Messages",
        &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal],
    ),
    (
        "/disclosures",
        "Disclosures",
        &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal],
    ),
    (
        "/legal",
        "Legal requests",
        &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal],
    ),
    (
        "/graph",
        "Link analysis",
        &[Role::Analyst, Role::Supervisor],
    ),
    ("/audit", "Audit", &[Role::Auditor]),
    ("/admin", "Admin", &[Role::Admin]),
];

impl Chrome {
    fn new(state: &AppState, username: &str, roles: &[Role], csrf: &str, path: &str) -> Chrome {
        let nav = SECTIONS
            .iter()
            .filter(|(_, _, needed)| needed.is_empty() || needed.iter().any(|r| roles.contains(r)))
            .map(|(href, label, _)| NavItem {
                href,
                label,
                active: if *href == "/" {
                    path == "/"
                } else {
                    path == *href || path.starts_with(&format!("{href}/"))
                },
            })
            .collect();
        Chrome {
            node_id: state.node.id.as_str().to_owned(),
            country: state.node.country.as_str().to_owned(),
            username: username.to_owned(),
            roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
            csrf: csrf.to_owned(),
            nav,
        }
    }

    /// Whether the user holds one of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles
            .iter()
            .any(|r| self.roles.iter().any(|held| held == r.as_str()))
    }
}

/// A logged-in user of the web interface, with the page chrome. A request without a valid session is sent
/// to the log-in page (and back after it); a user who must still change the one-time password or enrol a
/// second factor is sent to enrolment.
#[derive(Debug)]
pub struct WebUser {
    pub caller: Caller,
    pub chrome: Chrome,
}

/// Why a page cannot be shown: a redirect (log in, enrol) or an error page.
#[derive(Debug)]
pub enum WebError {
    Redirect(String),
    Page { status: StatusCode, message: String },
}

impl WebError {
    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::Page {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

impl From<ServiceError> for WebError {
    fn from(error: ServiceError) -> Self {
        let status = match &error {
            ServiceError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ServiceError::Unauthenticated(_) => return WebError::Redirect("/login".to_owned()),
            ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
            ServiceError::Conflict(_) => StatusCode::CONFLICT,
            ServiceError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Store(_) | ServiceError::Internal(_) => {
                tracing::error!(error = %error, "page failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = match status {
            StatusCode::INTERNAL_SERVER_ERROR => {
                "Something went wrong on this node; the error is in its log.".to_owned()
            }
            _ => error.to_string(),
        };
        WebError::Page { status, message }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    reason: String,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Redirect(to) => Redirect::to(&to).into_response(),
            WebError::Page { status, message } => {
                let page = ErrorPage {
                    status: status.as_u16(),
                    reason: status.canonical_reason().unwrap_or("Error").to_owned(),
                    message,
                };
                match page.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(_) => (status, "error").into_response(),
                }
            }
        }
    }
}

/// Renders a template as a page.
pub fn page<T: Template>(template: &T) -> Result<Response, WebError> {
    let html = template.render().map_err(|e| WebError::Page {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("the page could not be rendered: {e}"),
    })?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// The log-in page's address that brings the user back to `uri` afterwards.
fn login_for(uri: &Uri) -> String {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    format!("/login?next={}", encode_component(path))
}

/// Percent-encodes a query component.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(session) = session_cookie(parts) else {
            return Err(WebError::Redirect(login_for(&parts.uri)));
        };
        let authenticated = match auth::authenticate_session(&state.node, &session).await {
            Ok(authenticated) => authenticated,
            Err(ServiceError::Unauthenticated(_)) => {
                return Err(WebError::Redirect(format!(
                    "{}&expired=1",
                    login_for(&parts.uri)
                )));
            }
            Err(e) => return Err(e.into()),
        };
        if authenticated.enrolment_only {
            return Err(WebError::Redirect("/enrol".to_owned()));
        }
        let crate::Actor::User { username, roles } = &authenticated.actor else {
            return Err(WebError::Redirect(login_for(&parts.uri)));
        };
        let csrf = authenticated.csrf_token.clone().unwrap_or_default();
        let chrome = Chrome::new(state, username, roles, &csrf, parts.uri.path());
        Ok(WebUser {
            caller: Caller {
                actor: authenticated.actor.clone(),
                request_id: request_id(parts),
            },
            chrome,
        })
    }
}

impl WebUser {
    /// Refuses a state-changing request whose CSRF token (form field `_csrf` or header `X-CSRF-Token`)
    /// is not the session's.
    pub fn check_csrf(
        &self,
        headers: &HeaderMap,
        form_token: Option<&str>,
    ) -> Result<(), WebError> {
        let header = headers
            .get(crate::http::extract::CSRF_HEADER)
            .and_then(|v| v.to_str().ok());
        let sent = form_token.or(header);
        if sent.is_some_and(|sent| {
            !self.chrome.csrf.is_empty() && same_secret(sent, &self.chrome.csrf)
        }) {
            Ok(())
        } else {
            Err(WebError::Page {
                status: StatusCode::FORBIDDEN,
                message: "This form has expired or did not come from this node. Reload the page and try again."
                    .to_owned(),
            })
        }
    }
}

/// Compares two secrets in time that depends only on their lengths, so a guess cannot be refined from how
/// long the comparison took.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |difference, (x, y)| difference | (x ^ y))
            == 0
}

/// `2026-03-01T09:30:00.000000Z` → `2026-03-01 09:30 UTC` (the page script shows it in the user's zone).
pub fn short_time(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => at.to_owned(),
    }
}
