//! Logging in (password and TOTP code), logging out, and first-time enrolment: the one-time password
//! changed, then a second factor enrolled by scanning a QR code and confirming one code.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{WebError, page};
use crate::http::AppState;
use crate::http::extract::{request_id_from_headers, session_cookie_from_headers};
use crate::services::{Caller, ServiceError, auth};
use crate::{Actor, http::session_cookie_header};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/login/exercise-codes", get(exercise_codes))
        .route("/logout", post(logout))
        .route("/enrol", get(enrol_page))
        .route("/enrol/password", post(enrol_password))
        .route("/enrol/totp", post(enrol_totp))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    node_id: String,
    country: String,
    next: String,
    username: String,
    error: Option<String>,
    notice: Option<String>,
    exercise: Option<ExerciseCodes>,
}

/// An exercise node's accounts with their current codes.
#[derive(Template)]
#[template(path = "_exercise_codes.html")]
struct ExerciseCodes {
    accounts: Vec<(String, String, String)>,
    seconds_left: i64,
}

/// The accounts of an exercise node and their codes now; `None` on any other node.
async fn exercise_accounts(state: &AppState) -> Result<Option<ExerciseCodes>, WebError> {
    if !state.node.settings.exercise_accounts {
        return Ok(None);
    }
    let now = state.node.now().timestamp();
    let step = u64::try_from(now).unwrap_or(0);
    let mut accounts = Vec::new();
    for user in state
        .node
        .store
        .list_users()
        .await
        .map_err(ServiceError::from)?
    {
        let code = user
            .totp_secret
            .as_deref()
            .filter(|_| user.totp_enabled)
            .and_then(|text| liaison_crypto::TotpSecret::from_base32(text).ok())
            .and_then(|secret| secret.code_at(step).ok())
            .unwrap_or_else(|| "not enrolled".to_owned());
        let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
        accounts.push((user.username.clone(), roles.join(", "), code));
    }
    Ok(Some(ExerciseCodes {
        accounts,
        seconds_left: 30 - now.rem_euclid(30),
    }))
}

async fn exercise_codes(State(state): State<AppState>) -> Result<Response, WebError> {
    match exercise_accounts(&state).await? {
        Some(codes) => page(&codes),
        None => Err(WebError::Page {
            status: axum::http::StatusCode::NOT_FOUND,
            message: "This is not an exercise node.".to_owned(),
        }),
    }
}

#[derive(Debug, Deserialize)]
struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
}

/// Only paths of this node, so the log-in page cannot send a user elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        // A path of this node: one leading slash, then no second slash or backslash (`//host`, `/\host`),
        // and no white space or control character (browsers drop tabs and newlines from addresses, so
        // `/\t/host` would become `//host`).
        Some(next)
            if next.starts_with('/')
                && !next[1..].starts_with(['/', '\\'])
                && !next
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            next.to_owned()
        }
        _ => "/".to_owned(),
    }
}

async fn login_page(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> Result<Response, WebError> {
    page(&LoginPage {
        node_id: state.node.id.as_str().to_owned(),
        country: state.node.country.as_str().to_owned(),
        next: safe_next(query.next.as_deref()),
        username: String::new(),
        error: None,
        notice: query.expired.is_some().then(|| {
            "Your session ended after a period without activity. Log in again.".to_owned()
        }),
        exercise: exercise_accounts(&state).await?,
    })
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    totp: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let caller = Caller {
        actor: Actor::Anonymous,
        request_id: request_id_from_headers(&headers),
    };
    let totp = form.totp.trim();
    let result = auth::login(
        &state.node,
        &caller,
        form.username.trim(),
        &form.password,
        (!totp.is_empty()).then_some(totp),
    )
    .await;
    match result {
        Ok(session) => {
            let max_age = state.node.settings.session_idle_timeout.num_seconds();
            let cookie = session_cookie_header(&state, session.session_id.expose(), max_age)
                .map_err(|_| WebError::bad_request("the session cookie could not be set"))?;
            let to = if session.totp_enrolment_required || session.must_change_password {
                "/enrol".to_owned()
            } else {
                safe_next(Some(&form.next))
            };
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response())
        }
        Err(ServiceError::Unauthenticated(message) | ServiceError::TooManyAttempts(message)) => {
            let mut response = page(&LoginPage {
                node_id: state.node.id.as_str().to_owned(),
                country: state.node.country.as_str().to_owned(),
                next: safe_next(Some(&form.next)),
                username: form.username.clone(),
                error: Some(message),
                notice: None,
                exercise: exercise_accounts(&state).await?,
            })?;
            *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    _csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    let clear = session_cookie_header(&state, "", 0)
        .map_err(|_| WebError::bad_request("the session cookie could not be cleared"))?;
    if let Some(session) = session_cookie_from_headers(&headers)
        && let Ok(authenticated) = auth::authenticate_session(&state.node, &session).await
    {
        if authenticated.csrf_token.as_deref() != Some(form._csrf.as_str()) {
            return Err(WebError::bad_request(
                "This form has expired; reload the page and log out again.",
            ));
        }
        let caller = Caller {
            actor: authenticated.actor,
            request_id: request_id_from_headers(&headers),
        };
        auth::logout(&state.node, &caller, &session).await?;
    }
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

/// A logged-in user in enrolment (or already enrolled, who is sent home).
struct Enrolling {
    caller: Caller,
    username: String,
    csrf: String,
    must_change_password: bool,
    totp_enabled: bool,
    /// A secret shown but not confirmed yet: shown again, so the code from the app that scanned it works.
    pending_secret: Option<String>,
}

async fn enrolling(state: &AppState, headers: &HeaderMap) -> Result<Enrolling, WebError> {
    let Some(session) = session_cookie_from_headers(headers) else {
        return Err(WebError::Redirect("/login".to_owned()));
    };
    let authenticated = auth::authenticate_session(&state.node, &session).await?;
    let Actor::User { username, .. } = &authenticated.actor else {
        return Err(WebError::Redirect("/login".to_owned()));
    };
    let user = state
        .node
        .store
        .get_user(username)
        .await
        .map_err(ServiceError::from)?
        .ok_or_else(|| WebError::Redirect("/login".to_owned()))?;
    Ok(Enrolling {
        username: username.clone(),
        caller: Caller {
            actor: authenticated.actor.clone(),
            request_id: request_id_from_headers(headers),
        },
        csrf: authenticated.csrf_token.unwrap_or_default(),
        must_change_password: user.must_change_password,
        totp_enabled: user.totp_enabled,
        pending_secret: user.totp_secret.clone().filter(|_| !user.totp_enabled),
    })
}

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    node_id: String,
    username: String,
    csrf: String,
    step: &'static str,
    qr_svg: String,
    secret: String,
    error: Option<String>,
}

async fn enrol_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let user = enrolling(&state, &headers).await?;
    show_enrolment(&state, &user, None).await
}

async fn show_enrolment(
    state: &AppState,
    user: &Enrolling,
    error: Option<String>,
) -> Result<Response, WebError> {
    if user.must_change_password {
        return page(&EnrolPage {
            node_id: state.node.id.as_str().to_owned(),
            username: user.username.clone(),
            csrf: user.csrf.clone(),
            step: "password",
            qr_svg: String::new(),
            secret: String::new(),
            error,
        });
    }
    if user.totp_enabled {
        return Ok(Redirect::to("/").into_response());
    }
    let pending = user
        .pending_secret
        .as_deref()
        .and_then(|text| liaison_crypto::TotpSecret::from_base32(text).ok());
    let (secret, uri) = match pending {
        Some(secret) => {
            let uri = liaison_crypto::totp_provisioning_uri(
                &secret,
                &user.username,
                &format!("Liaison {}", state.node.id),
            )
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
            (secret, uri)
        }
        None => auth::begin_totp_enrolment(&state.node, &user.caller).await?,
    };
    page(&EnrolPage {
        node_id: state.node.id.as_str().to_owned(),
        username: user.username.clone(),
        csrf: user.csrf.clone(),
        step: "totp",
        qr_svg: qr_svg(&uri),
        secret: secret.base32().to_owned(),
        error,
    })
}

/// A QR code of `text` as an inline SVG (one path, dark modules), or nothing when it does not fit.
fn qr_svg(text: &str) -> String {
    let Ok(code) = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium) else {
        return String::new();
    };
    let size = code.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" width="232" height="232" role="img" aria-label="QR code for the authenticator app" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    #[serde(default)]
    _csrf: String,
    current_password: String,
    new_password: String,
    repeat_password: String,
}

async fn enrol_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let user = enrolling(&state, &headers).await?;
    if form._csrf != user.csrf {
        return Err(WebError::bad_request(
            "This form has expired; reload the page.",
        ));
    }
    if form.new_password != form.repeat_password {
        return show_enrolment(
            &state,
            &user,
            Some("The two new passwords differ.".to_owned()),
        )
        .await;
    }
    match auth::change_password(
        &state.node,
        &user.caller,
        &form.current_password,
        &form.new_password,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/enrol").into_response()),
        Err(ServiceError::BadRequest { detail, .. } | ServiceError::Unauthenticated(detail)) => {
            show_enrolment(&state, &user, Some(detail)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct TotpForm {
    #[serde(default)]
    _csrf: String,
    code: String,
}

async fn enrol_totp(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<TotpForm>,
) -> Result<Response, WebError> {
    let user = enrolling(&state, &headers).await?;
    if form._csrf != user.csrf {
        return Err(WebError::bad_request(
            "This form has expired; reload the page.",
        ));
    }
    match auth::confirm_totp_enrolment(&state.node, &user.caller, form.code.trim()).await {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(ServiceError::BadRequest { detail, .. }) => {
            show_enrolment(&state, &user, Some(detail)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn after_log_in_only_paths_of_this_node_are_followed() {
        assert_eq!(safe_next(Some("/legal?overdue=1")), "/legal?overdue=1");
        for outside in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/x\n",
            "https://evil.example",
            "evil",
        ] {
            assert_eq!(safe_next(Some(outside)), "/", "{outside:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
