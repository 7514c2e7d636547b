//! Legal cooperation: requests with their deadlines and actions, evidence with its custody chain, the PDF
//! of a request, turnaround statistics, dual criminality, the offence catalogue and the ICCS.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use liaison_proto::legal::{
    CatalogueBody, DualCriminalityBody, DualCriminalityQuery, EvidenceBody, IccsBody,
    LegalActionBody, LegalRequestBody, LegalRequestForm, LegalRequestList, TurnaroundStatistics,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiJson, ApiQuery, Authed};
use crate::services::{evidence, legal, legal_pdf, offences};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/legal-requests", post(create).get(list))
        .route("/api/v1/legal-requests/statistics", get(statistics))
        .route("/api/v1/legal-requests/{id}", get(get_request))
        .route("/api/v1/legal-requests/{id}/pdf", get(pdf))
        .route("/api/v1/legal-requests/{id}/actions/{action}", post(act))
        .route("/api/v1/legal-requests/{id}/evidence", post(add_evidence))
        .route(
            "/api/v1/legal-requests/{id}/evidence/{evidence_id}",
            get(get_evidence),
        )
        .route(
            "/api/v1/legal-requests/{id}/evidence/{evidence_id}/content",
            get(evidence_content),
        )
        .route(
            "/api/v1/legal-requests/{id}/evidence/{evidence_id}/send",
            post(send_evidence),
        )
        .route("/api/v1/dual-criminality", post(dual_criminality))
        .route(
            "/api/v1/offence-catalogue",
            get(get_catalogue).put(put_catalogue),
        )
        .route("/api/v1/iccs", get(iccs))
}

/// Drafts a legal cooperation request (state `draft`) to a partner node.
#[utoipa::path(post, path = "/api/v1/legal-requests", tag = "legal", request_body = LegalRequestForm,
    responses((status = 201, body = LegalRequestBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn create(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(form): ApiJson<LegalRequestForm>,
) -> Result<(StatusCode, axum::Json<LegalRequestBody>), ApiError> {
    let body = legal::create(&state.node, &caller, form).await?;
    Ok((StatusCode::CREATED, axum::Json(body)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ListParams {
    /// `true`: only requests with a running deadline that has passed.
    overdue: Option<bool>,
    /// Only requests with a running deadline within this many hours (overdue included).
    due_within_hours: Option<u32>,
    /// `requesting` or `executing`.
    side: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    partner: Option<String>,
}

/// This node's requests, soonest running deadline first.
#[utoipa::path(get, path = "/api/v1/legal-requests", tag = "legal", params(ListParams),
    responses((status = 200, body = LegalRequestList)))]
pub(super) async fn list(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<axum::Json<LegalRequestList>, ApiError> {
    let query = legal::ListQuery {
        overdue: params.overdue.unwrap_or(false),
        due_within_hours: params.due_within_hours,
        side: params.side,
        kind: params.kind,
        state: params.state,
        partner: params.partner,
    };
    Ok(axum::Json(legal::list(&state.node, &caller, &query).await?))
}

/// Turnaround per partner, kind and side: median and 90th percentile in days, share within deadline.
#[utoipa::path(get, path = "/api/v1/legal-requests/statistics", tag = "legal",
    responses((status = 200, body = TurnaroundStatistics)))]
pub(super) async fn statistics(
    State(state): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<TurnaroundStatistics>, ApiError> {
    Ok(axum::Json(legal::statistics(&state.node, &caller).await?))
}

/// A request with its deadlines, timeline, evidence and the actions this node's side may take.
#[utoipa::path(get, path = "/api/v1/legal-requests/{id}", tag = "legal", params(("id" = String, Path)),
    responses((status = 200, body = LegalRequestBody), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn get_request(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<LegalRequestBody>, ApiError> {
    Ok(axum::Json(legal::get(&state.node, &caller, &id).await?))
}

/// The request as a PDF document: its form, offences, deadlines, timeline and evidence.
#[utoipa::path(get, path = "/api/v1/legal-requests/{id}/pdf", tag = "legal", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn pdf(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = legal::get(&state.node, &caller, &id).await?;
    let bytes = legal_pdf::render(&state.node, &body);
    let disposition = format!("attachment; filename=\"legal-request-{}.pdf\"", body.id);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// Takes an action on a request: `send`, `acknowledge`, `request_information`, `supply_information`,
/// `recognise`, `refuse` (with `grounds`), `postpone`, `execute`, `complete`, `complete_partially`, `close`,
/// `withdraw`, and the events deadlines run from: `record_arrest`, `record_consent`, `set_target_date`,
/// `extend` (with `deadline`, `days`, `reason`). The body is optional.
#[utoipa::path(post, path = "/api/v1/legal-requests/{id}/actions/{action}", tag = "legal",
    params(("id" = String, Path), ("action" = String, Path)), request_body = LegalActionBody,
    responses((status = 200, body = LegalRequestBody), (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn act(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<axum::Json<LegalRequestBody>, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        LegalActionBody::default()
    } else {
        serde_json::from_slice::<LegalActionBody>(&body)
            .map_err(|e| ApiError::bad_request("body", format!("not an action body: {e}")))?
    };
    Ok(axum::Json(
        legal::act(&state.node, &caller, &id, &action, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct EvidenceParams {
    /// The file name.
    name: String,
    /// Defaults to the request's `Content-Type`.
    media_type: Option<String>,
    /// Kept with the `collected` custody event.
    note: Option<String>,
}

/// Attaches evidence (the raw body); the custody chain starts with `collected` and `sealed`.
#[utoipa::path(post, path = "/api/v1/legal-requests/{id}/evidence", tag = "legal",
    params(("id" = String, Path), EvidenceParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn add_evidence(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<EvidenceParams>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<EvidenceBody>), ApiError> {
    let media_type = params.media_type.unwrap_or_else(|| {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned()
    });
    let added = evidence::add(
        &state.node,
        &caller,
        &id,
        &params.name,
        &media_type,
        &body,
        params.note,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(added)))
}

/// A piece of evidence with its custody chain and the verdict on each event.
#[utoipa::path(get, path = "/api/v1/legal-requests/{id}/evidence/{evidence_id}", tag = "legal",
    params(("id" = String, Path), ("evidence_id" = String, Path)),
    responses((status = 200, body = EvidenceBody), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn get_evidence(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<axum::Json<EvidenceBody>, ApiError> {
    Ok(axum::Json(
        evidence::get(&state.node, &caller, &id, &evidence_id).await?,
    ))
}

/// The content of a piece of evidence; opening it is a signed custody event.
#[utoipa::path(get, path = "/api/v1/legal-requests/{id}/evidence/{evidence_id}/content", tag = "legal",
    params(("id" = String, Path), ("evidence_id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn evidence_content(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (row, content) = evidence::open_content(&state.node, &caller, &id, &evidence_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, row.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                super::attachment_disposition(&row.name),
            ),
            (
                header::HeaderName::from_static("x-content-sha256"),
                row.sha256.clone(),
            ),
        ],
        content,
    )
        .into_response())
}

/// Sends a piece of evidence to the partner with its custody chain and a signed `sent` event.
#[utoipa::path(post, path = "/api/v1/legal-requests/{id}/evidence/{evidence_id}/send", tag = "legal",
    params(("id" = String, Path), ("evidence_id" = String, Path)),
    responses((status = 200, body = EvidenceBody), (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn send_evidence(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<axum::Json<EvidenceBody>, ApiError> {
    Ok(axum::Json(
        evidence::send_to_partner(&state.node, &caller, &id, &evidence_id).await?,
    ))
}

/// Whether an act needs and meets dual criminality in the executing node's law.
#[utoipa::path(post, path = "/api/v1/dual-criminality", tag = "legal", request_body = DualCriminalityQuery,
    responses((status = 200, body = DualCriminalityBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn dual_criminality(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(query): ApiJson<DualCriminalityQuery>,
) -> Result<axum::Json<DualCriminalityBody>, ApiError> {
    Ok(axum::Json(
        offences::dual_criminality(&state.node, &caller, &query).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct CatalogueParams {
    /// The node whose catalogue to show (default: this node).
    node: Option<String>,
}

/// This node's offence catalogue, or one a partner published.
#[utoipa::path(get, path = "/api/v1/offence-catalogue", tag = "legal", params(CatalogueParams),
    responses((status = 200, body = CatalogueBody)))]
pub(super) async fn get_catalogue(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(params): ApiQuery<CatalogueParams>,
) -> Result<axum::Json<CatalogueBody>, ApiError> {
    Ok(axum::Json(
        offences::get(&state.node, &caller, params.node.as_deref()).await?,
    ))
}

/// Replaces this node's offence catalogue (CSV: `code,name,max_penalty_years,iccs`) and publishes it to
/// partners.
#[utoipa::path(put, path = "/api/v1/offence-catalogue", tag = "legal",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = CatalogueBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn put_catalogue(
    State(state): State<AppState>,
    Authed(caller): Authed,
    body: Bytes,
) -> Result<axum::Json<CatalogueBody>, ApiError> {
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::bad_request(
            "body",
            format!("not UTF-8 text at byte {}", e.valid_up_to()),
        )
    })?;
    let offences_list = offences::parse_catalogue_csv(text)?;
    Ok(axum::Json(
        offences::load(&state.node, &caller, offences_list).await?,
    ))
}

/// The ICCS sections and divisions, and the 32 listed offence categories with the ICCS codes they cover.
#[utoipa::path(get, path = "/api/v1/iccs", tag = "legal", responses((status = 200, body = IccsBody)))]
pub(super) async fn iccs(Authed(_caller): Authed) -> axum::Json<IccsBody> {
    axum::Json(offences::iccs())
}
