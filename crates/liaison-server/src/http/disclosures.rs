//! Disclosure requests (step 2 of a federated search): ask a partner for the record behind a hit, list and
//! read requests in both directions, and approve or refuse a partner's request.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use liaison_proto::api::{
    DisclosureBody, DisclosureCreated, DisclosureDecisionBody, DisclosureRequestBody,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiJson, ApiQuery, Authed};
use crate::services::disclosures;
use crate::services::records::AccessReason;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/disclosure-requests",
            post(create_request).get(list_requests),
        )
        .route("/api/v1/disclosure-requests/{id}", get(get_request))
        .route("/api/v1/disclosure-requests/{id}/approve", post(approve))
        .route("/api/v1/disclosure-requests/{id}/refuse", post(refuse))
}

/// Asks the partner that owns a hit for its record, stating purpose, legal basis and case.
#[utoipa::path(post, path = "/api/v1/disclosure-requests", tag = "federation", request_body = DisclosureRequestBody,
    responses((status = 201, body = DisclosureCreated), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn create_request(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<DisclosureRequestBody>,
) -> Result<(StatusCode, axum::Json<DisclosureCreated>), ApiError> {
    let reason = AccessReason {
        purpose: body.purpose,
        case_ref: body.case_ref,
    };
    let created = disclosures::request(
        &state.node,
        &caller,
        &body.hit_ref,
        &body.legal_basis,
        &reason,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ListQuery {
    /// `incoming` (partners ask this node) or `outgoing` (this node asked); default outgoing.
    direction: Option<String>,
}

/// Disclosure requests in one direction, newest first.
#[utoipa::path(get, path = "/api/v1/disclosure-requests", tag = "federation", params(ListQuery),
    responses((status = 200, body = [DisclosureBody])))]
pub(super) async fn list_requests(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<axum::Json<Vec<DisclosureBody>>, ApiError> {
    let direction = query.direction.unwrap_or_else(|| "outgoing".into());
    Ok(axum::Json(
        disclosures::list(&state.node, &caller, &direction).await?,
    ))
}

/// A request's state; once approved, the disclosed record with the owner's handling code.
#[utoipa::path(get, path = "/api/v1/disclosure-requests/{id}", tag = "federation", params(("id" = String, Path)),
    responses((status = 200, body = DisclosureBody), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn get_request(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<DisclosureBody>, ApiError> {
    Ok(axum::Json(
        disclosures::get(&state.node, &caller, &id).await?,
    ))
}

/// Approves a partner's request (supervisors): the record goes to the partner with this node's handling
/// code and retention.
#[utoipa::path(post, path = "/api/v1/disclosure-requests/{id}/approve", tag = "federation", params(("id" = String, Path)),
    responses((status = 200, body = DisclosureBody), (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn approve(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<DisclosureBody>, ApiError> {
    Ok(axum::Json(
        disclosures::decide_request(&state.node, &caller, &id, true, None).await?,
    ))
}

/// Refuses a partner's request (supervisors), with a reason the partner sees.
#[utoipa::path(post, path = "/api/v1/disclosure-requests/{id}/refuse", tag = "federation", params(("id" = String, Path)),
    request_body = DisclosureDecisionBody,
    responses((status = 200, body = DisclosureBody), (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn refuse(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<axum::Json<DisclosureBody>, ApiError> {
    // The body is optional: a refusal may come without a reason.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<DisclosureDecisionBody>(&body)
            .map_err(|e| ApiError::bad_request("body", format!("not a refusal: {e}")))?
            .reason
    };
    Ok(axum::Json(
        disclosures::decide_request(&state.node, &caller, &id, false, reason.as_deref()).await?,
    ))
}
