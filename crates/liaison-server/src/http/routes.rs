//! The routes of API version 1: each handler extracts, calls one service function and maps the result.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use chrono::{DateTime, Utc};
use liaison_core::Role;
use liaison_proto::api::{
    AuditEntryBody, AuditVerifyBody, Health, LoginRequest, LoginResponse, NewToken, NewUser,
    PasswordChange, ProblemItem, Readiness, RecordKey, RecordsStored, ScreenBatchRequest,
    ScreenBatchResponse, ScreenRequest, ScreenResponse, TokenCreated, TokenSummary, TotpCode,
    TotpEnrolment, UserCreated, UserSummary, UserUpdate, UserUpdated,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use super::extract::{
    AnonymousCaller, ApiJson, ApiQuery, Authed, AuthedForEnrolment, SESSION_COOKIE, session_cookie,
};
use super::{AppState, render_metrics};
use crate::services::audit::Integrity;
use crate::services::records::{AccessReason, CollectIssues, ImportOptions, ValuesSource};
use crate::services::{audit, auth, records, screening, users};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics))
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/me", get(me))
        .route("/api/v1/auth/password", post(change_password))
        .route("/api/v1/auth/totp/enrol", post(totp_enrol))
        .route("/api/v1/auth/totp/confirm", post(totp_confirm))
        .route("/api/v1/records", post(post_records))
        .route(
            "/api/v1/records/{type}/{id}",
            get(get_record).delete(delete_record),
        )
        .route("/api/v1/screen", post(screen))
        .route("/api/v1/screen/batch", post(screen_batch))
        .route("/api/v1/users", get(list_users).post(create_user))
        .route("/api/v1/users/{username}", patch(update_user))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/audit", get(search_audit))
        .route("/api/v1/audit/verify", post(verify_audit))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub(super) async fn healthz(State(state): State<AppState>) -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok".into(),
        node: state.node.id.to_string(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub(super) async fn readyz(State(state): State<AppState>) -> Response {
    match state.node.store.ping().await {
        Ok(()) => axum::Json(Readiness {
            status: "ready".into(),
            database: state.node.store.backend().into(),
        })
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(Readiness {
                    status: "unavailable".into(),
                    database: state.node.store.backend().into(),
                }),
            )
                .into_response()
        }
    }
}

pub(crate) fn session_cookie_header(
    state: &AppState,
    value: &str,
    max_age_seconds: i64,
) -> Result<HeaderValue, ApiError> {
    let secure = if state.node.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"))
        .map_err(|_| ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, title: "Internal error", detail: None, items: Vec::new() })
}

/// Logs in with a password and, once enrolled, a TOTP code; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = liaison_proto::api::Problem), (status = 429, body = liaison_proto::api::Problem)))]
pub(super) async fn login(
    State(state): State<AppState>,
    AnonymousCaller(caller): AnonymousCaller,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let session = auth::login(
        &state.node,
        &caller,
        &body.username,
        &body.password,
        body.totp.as_deref(),
    )
    .await?;
    let roles = session
        .actor
        .roles()
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    let body = LoginResponse {
        username: body.username,
        roles,
        csrf_token: session.csrf_token,
        totp_enrolment_required: session.totp_enrolment_required,
        must_change_password: session.must_change_password,
    };
    let max_age = state.node.settings.session_idle_timeout.num_seconds();
    let cookie = session_cookie_header(&state, session.session_id.expose(), max_age)?;
    Ok(([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response())
}

/// Ends the session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub(super) async fn logout(
    State(state): State<AppState>,
    AuthedForEnrolment(caller): AuthedForEnrolment,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers;
    if let Some(session) = session_cookie(&parts) {
        auth::logout(&state.node, &caller, &session).await?;
    }
    let cookie = session_cookie_header(&state, "", 0)?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Who the caller is.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = UserSummary)))]
pub(super) async fn me(AuthedForEnrolment(caller): AuthedForEnrolment) -> axum::Json<Value> {
    axum::Json(serde_json::json!({
        "actor": caller.actor.audit_name(),
        "roles": caller.actor.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    }))
}

/// Changes the caller's password (required after a one-time password).
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChange, responses((status = 204)))]
pub(super) async fn change_password(
    State(state): State<AppState>,
    AuthedForEnrolment(caller): AuthedForEnrolment,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    auth::change_password(
        &state.node,
        &caller,
        &body.current_password,
        &body.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts TOTP enrolment: returns the secret and the `otpauth://` URI for a QR code.
#[utoipa::path(post, path = "/api/v1/auth/totp/enrol", tag = "auth", responses((status = 200, body = TotpEnrolment)))]
pub(super) async fn totp_enrol(
    State(state): State<AppState>,
    AuthedForEnrolment(caller): AuthedForEnrolment,
) -> Result<axum::Json<TotpEnrolment>, ApiError> {
    let (secret, uri) = auth::begin_totp_enrolment(&state.node, &caller).await?;
    Ok(axum::Json(TotpEnrolment {
        secret: secret.base32().to_owned(),
        otpauth_uri: uri,
    }))
}

/// Confirms TOTP enrolment with a first code.
#[utoipa::path(post, path = "/api/v1/auth/totp/confirm", tag = "auth", request_body = TotpCode, responses((status = 204)))]
pub(super) async fn totp_confirm(
    State(state): State<AppState>,
    AuthedForEnrolment(caller): AuthedForEnrolment,
    ApiJson(body): ApiJson<TotpCode>,
) -> Result<StatusCode, ApiError> {
    auth::confirm_totp_enrolment(&state.node, &caller, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stores one record or a list, in the interchange shape. A list is all or nothing: if any record is bad,
/// nothing is stored and each problem is named.
#[utoipa::path(post, path = "/api/v1/records", tag = "records", request_body(content = Value, description = "one record or a list of records in the Liaison JSON Lines shape"),
    responses((status = 200, body = RecordsStored), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn post_records(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<Value>,
) -> Result<axum::Json<RecordsStored>, ApiError> {
    let (items, single) = match body {
        Value::Array(items) => (items, false),
        other => (vec![other], true),
    };
    if items.is_empty() {
        return Err(ApiError::bad_request("body", "the list is empty"));
    }
    let pointer = |line: u64, field: Option<&str>| {
        let base = if single {
            String::new()
        } else {
            format!("[{}]", line.saturating_sub(1))
        };
        match field {
            Some(f) if base.is_empty() => f.to_owned(),
            Some(f) => format!("{base}.{f}"),
            None if base.is_empty() => "body".to_owned(),
            None => base,
        }
    };
    let options = ImportOptions {
        strict: true,
        batch_size: 1_000,
        list_stored: true,
    };
    let mut issues = CollectIssues::default();
    let report = records::import(
        &state.node,
        &caller,
        &ValuesSource(&items),
        &options,
        &mut issues,
    )
    .await?;
    let (errors, warnings): (Vec<_>, Vec<_>) = issues.0.into_iter().partition(|i| !i.warning);
    let to_item = |i: &crate::services::records::ImportIssue| ProblemItem {
        pointer: pointer(i.error.line, i.error.field.as_deref()),
        detail: i.error.message.clone(),
    };
    if report.refused || !errors.is_empty() {
        let items: Vec<ProblemItem> = errors.iter().map(to_item).collect();
        let detail = format!(
            "{} of {} records are invalid; nothing was stored",
            report.rejected,
            report.rejected + report.imported
        );
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            title: "Bad request",
            detail: Some(detail),
            items,
        });
    }
    Ok(axum::Json(RecordsStored {
        inserted: report.inserted,
        updated: report.updated,
        records: report
            .stored
            .iter()
            .map(|(t, id)| RecordKey {
                record_type: t.as_str().into(),
                id: id.clone(),
                owner: Some(state.node.id.to_string()),
            })
            .collect(),
        warnings: warnings.iter().map(to_item).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ReadQuery {
    /// Why the record is read: border_check, criminal_investigation, missing_person, counter_terrorism,
    /// legal_cooperation or exercise. Required.
    purpose: Option<String>,
    /// The case this read is for.
    case_ref: Option<String>,
}

/// Reads one record for a stated purpose. Every read, and every refusal, is in the audit log.
#[utoipa::path(get, path = "/api/v1/records/{type}/{id}", tag = "records",
    params(("type" = String, Path, description = "person, document, vehicle, alert, relation or case"), ("id" = String, Path), ReadQuery),
    responses((status = 200, body = Value), (status = 400, body = liaison_proto::api::Problem), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn get_record(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((record_type, id)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<ReadQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    Ok(axum::Json(
        records::read_record(&state.node, &caller, &record_type, &id, &reason).await?,
    ))
}

/// Deletes a record (analysts and supervisors). A record that others refer to is refused with 409.
#[utoipa::path(delete, path = "/api/v1/records/{type}/{id}", tag = "records",
    params(("type" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = liaison_proto::api::Problem), (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn delete_record(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((record_type, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    records::delete_record(&state.node, &caller, &record_type, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn scope_is_known(scope: Option<&str>) -> Result<(), ApiError> {
    match scope {
        None | Some("local") | Some("federated") => Ok(()),
        Some(other) => Err(ApiError::bad_request(
            "scope",
            format!("`{other}` is not one of: local, federated"),
        )),
    }
}

/// Screens one person against this node's records: hits with a score, a band and an explanation. A person
/// decides what a hit means; the node never acts on a score alone. Every screening is audited.
#[utoipa::path(post, path = "/api/v1/screen", tag = "screening", request_body = ScreenRequest,
    responses((status = 200, body = ScreenResponse), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn screen(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<ScreenRequest>,
) -> Result<axum::Json<ScreenResponse>, ApiError> {
    scope_is_known(body.scope.as_deref())?;
    let query = screening::parse_query(&body.query, "query")?;
    let reason = AccessReason {
        purpose: body.purpose.clone(),
        case_ref: body.case_ref.clone(),
    };
    let limit = body.limit.unwrap_or(10);
    let mut responses = screening::screen(&state.node, &caller, &[query], &reason, limit).await?;
    let mut response = responses.pop().ok_or_else(|| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        title: "Internal error",
        detail: None,
        items: Vec::new(),
    })?;
    if body.scope.as_deref() == Some("federated") {
        // The purpose was accepted by the local screening just above.
        let purpose = body
            .purpose
            .as_deref()
            .and_then(|p| liaison_core::Purpose::parse(p).ok())
            .ok_or_else(|| ApiError::bad_request("purpose", "state a known purpose"))?;
        let (hits, partners) = crate::services::federated::fan_out(
            &state.node,
            &caller,
            &body.query,
            purpose,
            body.case_ref.as_deref(),
            limit,
        )
        .await?;
        response.hits.extend(hits);
        response.partners = partners;
    }
    Ok(axum::Json(response))
}

/// Screens many people at once under one purpose (for example a passenger list); results in query order.
#[utoipa::path(post, path = "/api/v1/screen/batch", tag = "screening", request_body = ScreenBatchRequest,
    responses((status = 200, body = ScreenBatchResponse), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn screen_batch(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<ScreenBatchRequest>,
) -> Result<axum::Json<ScreenBatchResponse>, ApiError> {
    if body.queries.is_empty() {
        return Err(ApiError::bad_request("queries", "the list is empty"));
    }
    let queries = body
        .queries
        .iter()
        .enumerate()
        .map(|(i, q)| screening::parse_query(q, &format!("queries[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let reason = AccessReason {
        purpose: body.purpose,
        case_ref: body.case_ref,
    };
    let results = screening::screen(
        &state.node,
        &caller,
        &queries,
        &reason,
        body.limit.unwrap_or(10),
    )
    .await?;
    Ok(axum::Json(ScreenBatchResponse { results }))
}

fn parse_roles(names: &[String]) -> Result<Vec<Role>, ApiError> {
    names
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Role::parse(r).map_err(|e| ApiError::bad_request(&format!("roles[{i}]"), e.to_string()))
        })
        .collect()
}

/// Lists users (administrators).
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", responses((status = 200, body = [UserSummary])))]
pub(super) async fn list_users(
    State(state): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<Vec<UserSummary>>, ApiError> {
    let rows = users::list_users(&state.node, &caller).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|u| UserSummary {
                username: u.username,
                roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
                totp_enabled: u.totp_enabled,
                locked_until: u.locked_until.map(|t| t.to_rfc3339()),
                disabled: u.disabled,
            })
            .collect(),
    ))
}

/// Creates a user (administrators); without a password, a one-time password is returned once.
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUser, responses((status = 201, body = UserCreated)))]
pub(super) async fn create_user(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<NewUser>,
) -> Result<(StatusCode, axum::Json<UserCreated>), ApiError> {
    let roles = parse_roles(&body.roles)?;
    let one_time = users::create_user(
        &state.node,
        &caller,
        &body.username,
        &roles,
        body.password.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(UserCreated {
            username: body.username,
            roles: body.roles,
            one_time_password: one_time.map(|s| s.expose().to_owned()),
        }),
    ))
}

/// Changes a user (administrators): roles, disabled, unlock, a reset second factor or a new one-time
/// password (returned once). Changes that weaken the account end its sessions.
#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "admin", params(("username" = String, Path)),
    request_body = UserUpdate, responses((status = 200, body = UserUpdated), (status = 404, body = liaison_proto::api::Problem),
    (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn update_user(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(username): Path<String>,
    ApiJson(body): ApiJson<UserUpdate>,
) -> Result<axum::Json<UserUpdated>, ApiError> {
    let change = users::UserChange {
        roles: body.roles.as_deref().map(parse_roles).transpose()?,
        disabled: body.disabled,
        unlock: body.unlock,
        reset_second_factor: body.reset_second_factor,
        reset_password: body.reset_password,
    };
    let (user, one_time) = users::update_user(&state.node, &caller, &username, &change).await?;
    Ok(axum::Json(UserUpdated {
        username: user.username,
        roles: user.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        disabled: user.disabled,
        totp_enabled: user.totp_enabled,
        locked_until: user.locked_until.map(|t| t.to_rfc3339()),
        one_time_password: one_time.map(|s| s.expose().to_owned()),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct TokenQuery {
    /// Only this user's tokens.
    username: Option<String>,
}

/// Lists API tokens (administrators): id, user, label, when created, last used and revoked.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "admin", params(TokenQuery), responses((status = 200, body = [TokenSummary])))]
pub(super) async fn list_tokens(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<TokenQuery>,
) -> Result<axum::Json<Vec<TokenSummary>>, ApiError> {
    let rows = users::list_tokens(&state.node, &caller, query.username.as_deref()).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|t| TokenSummary {
                id: t.id,
                username: t.username,
                label: t.label,
                created_at: t.created_at.to_rfc3339(),
                last_used_at: t.last_used_at.map(|at| at.to_rfc3339()),
                revoked_at: t.revoked_at.map(|at| at.to_rfc3339()),
            })
            .collect(),
    ))
}

/// Creates an API token for a user (administrators); the token is shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "admin", request_body = NewToken, responses((status = 201, body = TokenCreated)))]
pub(super) async fn create_token(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<(StatusCode, axum::Json<TokenCreated>), ApiError> {
    let (id, token) =
        users::create_token(&state.node, &caller, &body.username, body.label.as_deref()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(TokenCreated {
            id,
            username: body.username,
            token: token.expose().to_owned(),
        }),
    ))
}

/// Revokes an API token (administrators).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "admin", params(("id" = String, Path)), responses((status = 204)))]
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    users::revoke_token(&state.node, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub(super) struct AuditQuery {
    /// Who acted (username, as the log names it).
    actor: Option<String>,
    /// What was done, for example `record.read`.
    action: Option<String>,
    /// An object, for example `person/p1`.
    object: Option<String>,
    /// From this time (RFC 3339).
    from: Option<DateTime<Utc>>,
    /// Until this time (RFC 3339).
    to: Option<DateTime<Utc>>,
    /// Entries after this sequence number (for paging).
    after: Option<i64>,
    /// At most this many entries (default 100, at most 1000).
    limit: Option<u32>,
}

/// Searches the audit log (auditors).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = [AuditEntryBody])))]
pub(super) async fn search_audit(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<axum::Json<Vec<AuditEntryBody>>, ApiError> {
    let filter = liaison_store::AuditFilter {
        actor: q.actor,
        action: q.action,
        object: q.object,
        from: q.from,
        to: q.to,
        after_seq: q.after,
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
    };
    let entries = audit::search(&state.node, &caller, &filter).await?;
    Ok(axum::Json(
        entries
            .into_iter()
            .map(|e| AuditEntryBody {
                seq: e.seq,
                at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                node: e.node,
                actor: e.actor,
                action: e.action,
                objects: e.objects,
                purpose: e.purpose,
                case_ref: e.case_ref,
                recipients: e.recipients,
                outcome: e.outcome,
                detail: e.detail,
                request_id: e.request_id,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect(),
    ))
}

/// Verifies the audit chain (auditors).
#[utoipa::path(post, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = AuditVerifyBody)))]
pub(super) async fn verify_audit(
    State(state): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<AuditVerifyBody>, ApiError> {
    let body = match audit::verify(&state.node, &caller).await? {
        Integrity::Intact {
            entries,
            head_seq,
            head_hash,
        } => AuditVerifyBody {
            intact: true,
            entries,
            head_seq,
            head_hash,
            first_bad_entry: None,
            problem: None,
        },
        Integrity::Broken {
            first_bad_entry,
            problem,
        } => AuditVerifyBody {
            intact: false,
            entries: 0,
            head_seq: None,
            head_hash: None,
            first_bad_entry,
            problem: Some(problem),
        },
    };
    Ok(axum::Json(body))
}
