//! The border-screening routes: document (MRZ) checks, manifest screening and its reports, officers'
//! verdicts on hits with their figures, and the risk rule set.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use liaison_formats::ManifestFormat;
use liaison_proto::border::{
    HitReviewRequest, HitReviewResponse, HitStatistics, ManifestReport, MrzCheckRequest,
    MrzCheckResponse, RuleSetBody, RuleSetUpload, ScreeningRunSummary, VehicleCheckResponse,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiJson, ApiQuery, Authed};
use crate::services::border::{self, ManifestRequest};
use crate::services::records::AccessReason;
use crate::services::risk;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/mrz/check", post(check_mrz))
        .route("/api/v1/vehicles/check", get(check_vehicle))
        .route("/api/v1/manifests", post(post_manifest).get(list_manifests))
        .route("/api/v1/manifests/{id}", get(get_manifest))
        .route("/api/v1/hits/statistics", get(hit_statistics))
        .route("/api/v1/hits/{id}/review", post(review_hit))
        .route("/api/v1/risk-rules", get(list_rules).post(upload_rules))
        .route(
            "/api/v1/risk-rules/{version}/activate",
            post(activate_rules),
        )
}

/// Checks a document's machine-readable zone (format, check digits, OCR corrections, expiry) and screens its
/// holder and the document against this node; purpose `border_check` unless another is given.
#[utoipa::path(post, path = "/api/v1/mrz/check", tag = "border", request_body = MrzCheckRequest,
    responses((status = 200, body = MrzCheckResponse), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn check_mrz(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<MrzCheckRequest>,
) -> Result<axum::Json<MrzCheckResponse>, ApiError> {
    Ok(axum::Json(
        border::check_mrz(&state.node, &caller, &body).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct VehicleQuery {
    vin: Option<String>,
    plate: Option<String>,
    /// The plate's country (ISO 3166-1 alpha-3 or the international vehicle code).
    plate_country: Option<String>,
    /// Defaults to `border_check`.
    purpose: Option<String>,
    case_ref: Option<String>,
}

/// Checks a vehicle's VIN and/or number plate against stolen and sought vehicles (exact or OCR-tolerant),
/// with the action the alerts ask for.
#[utoipa::path(get, path = "/api/v1/vehicles/check", tag = "border", params(VehicleQuery),
    responses((status = 200, body = VehicleCheckResponse), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn check_vehicle(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<VehicleQuery>,
) -> Result<axum::Json<VehicleCheckResponse>, ApiError> {
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    Ok(axum::Json(
        border::check_vehicle(
            &state.node,
            &caller,
            query.vin.as_deref(),
            query.plate.as_deref(),
            query.plate_country.as_deref(),
            &reason,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ManifestQuery {
    /// `paxlst`, `pnrgov` or `csv`; detected from the content when absent.
    format: Option<String>,
    /// Defaults to `border_check`.
    purpose: Option<String>,
    case_ref: Option<String>,
    /// Refuse the file on structural faults (wrong segment counts...) instead of warning.
    #[serde(default)]
    strict: bool,
    /// A name for the file, shown in the list of runs.
    name: Option<String>,
}

fn manifest_format(format: Option<&str>) -> Result<Option<ManifestFormat>, ApiError> {
    match format {
        None | Some("") => Ok(None),
        Some(text) => ManifestFormat::parse(text).map(Some).ok_or_else(|| {
            ApiError::bad_request(
                "format",
                format!("`{text}` is not one of: paxlst, pnrgov, csv"),
            )
        }),
    }
}

/// Screens every traveller of a manifest (the raw file as the body: UN/EDIFACT PAXLST or PNRGOV, or CSV)
/// against wanted and missing persons, listed documents and the risk rules; answers the report.
#[utoipa::path(post, path = "/api/v1/manifests", tag = "border", params(ManifestQuery),
    request_body(content = String, description = "the manifest file as sent by the carrier", content_type = "application/octet-stream"),
    responses((status = 200, body = ManifestReport), (status = 400, body = liaison_proto::api::Problem), (status = 413, body = liaison_proto::api::Problem)))]
pub(super) async fn post_manifest(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<ManifestQuery>,
    body: Bytes,
) -> Result<axum::Json<ManifestReport>, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "body",
            "the body is empty: send the manifest file",
        ));
    }
    let request = ManifestRequest {
        format: manifest_format(query.format.as_deref())?,
        strict: query.strict,
        source_name: query.name,
        progress: None,
    };
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    Ok(axum::Json(
        border::screen_manifest(&state.node, &caller, &body, &request, &reason).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ListQuery {
    /// At most this many runs (default 50).
    limit: Option<u32>,
}

/// Recent screening runs (manifests and document checks), newest first.
#[utoipa::path(get, path = "/api/v1/manifests", tag = "border", params(ListQuery),
    responses((status = 200, body = [ScreeningRunSummary])))]
pub(super) async fn list_manifests(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<axum::Json<Vec<ScreeningRunSummary>>, ApiError> {
    Ok(axum::Json(
        border::list_runs(&state.node, &caller, query.limit.unwrap_or(50)).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ReportQuery {
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// The report of a run, with the verdicts recorded since; `?format=csv` for one row per hit.
#[utoipa::path(get, path = "/api/v1/manifests/{id}", tag = "border", params(("id" = String, Path), ReportQuery),
    responses((status = 200, body = ManifestReport), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn get_manifest(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let report = border::screening_report(&state.node, &caller, &id).await?;
    match query.format.as_deref() {
        None | Some("json") => Ok(axum::Json(report).into_response()),
        Some("csv") => {
            let parsed: ManifestReport = serde_json::from_value(report).map_err(|_| {
                ApiError::bad_request("format", "this run is a document check: ask for json")
            })?;
            let text = liaison_proto::border::report_csv(&parsed).map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    format!("cannot write CSV: {e}"),
                )
            })?;
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
        }
        Some(other) => Err(ApiError::bad_request(
            "format",
            format!("`{other}` is not one of: json, csv"),
        )),
    }
}

/// Records the officer's verdict on a hit (`true_hit` or `false_hit`); it can be changed, and every change
/// is audited.
#[utoipa::path(post, path = "/api/v1/hits/{id}/review", tag = "border", params(("id" = String, Path)),
    request_body = HitReviewRequest,
    responses((status = 200, body = HitReviewResponse), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn review_hit(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HitReviewRequest>,
) -> Result<axum::Json<HitReviewResponse>, ApiError> {
    Ok(axum::Json(
        border::review_hit(&state.node, &caller, &id, &body.verdict).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct StatisticsQuery {
    /// Only hits raised at or after this time (RFC 3339).
    since: Option<DateTime<Utc>>,
}

/// Hits raised, confirmed and false, per risk rule, alert category, band and kind.
#[utoipa::path(get, path = "/api/v1/hits/statistics", tag = "border", params(StatisticsQuery),
    responses((status = 200, body = HitStatistics)))]
pub(super) async fn hit_statistics(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<StatisticsQuery>,
) -> Result<axum::Json<HitStatistics>, ApiError> {
    Ok(axum::Json(
        border::hit_statistics(&state.node, &caller, query.since).await?,
    ))
}

/// Every version of the risk rule set, newest first.
#[utoipa::path(get, path = "/api/v1/risk-rules", tag = "border",
    responses((status = 200, body = [RuleSetBody])))]
pub(super) async fn list_rules(
    State(state): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<Vec<RuleSetBody>>, ApiError> {
    Ok(axum::Json(risk::list_rules(&state.node, &caller).await?))
}

/// A new version of the risk rule set (supervisors), which becomes active. Rules on protected
/// characteristics are refused (EU PNR Directive 2016/681 Art. 6(4)).
#[utoipa::path(post, path = "/api/v1/risk-rules", tag = "border", request_body = RuleSetUpload,
    responses((status = 201, body = RuleSetBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn upload_rules(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<RuleSetUpload>,
) -> Result<(StatusCode, axum::Json<RuleSetBody>), ApiError> {
    Ok((
        StatusCode::CREATED,
        axum::Json(risk::upload_rules(&state.node, &caller, &body.text).await?),
    ))
}

/// Makes an earlier version of the rule set active again.
#[utoipa::path(post, path = "/api/v1/risk-rules/{version}/activate", tag = "border",
    params(("version" = i64, Path)), responses((status = 204), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn activate_rules(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(version): Path<i64>,
) -> Result<StatusCode, ApiError> {
    risk::activate_rules(&state.node, &caller, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
