//! The border pages: checking a document's machine-readable zone (and a vehicle), uploading a passenger
//! manifest to screen, the list of earlier runs, and one run's report where officers mark each hit true or
//! false. Every check goes through `services::border`, so it is audited with its purpose like the API's.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use liaison_formats::ManifestFormat;
use liaison_proto::border::{
    ManifestHit, ManifestReport, MrzCheckRequest, MrzCheckResponse, TravellerReport,
    VehicleCheckResponse,
};
use serde::Deserialize;
use serde_json::Value;

use super::screening::{
    AlertLine, ExplanationLine, FormError, PurposeField, form_error, form_token, given, is_htmx,
    page_with_status, record_href, words,
};
use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::ServiceError;
use crate::services::border::{self, ManifestRequest, REVIEW_ROLES};
use crate::services::records::AccessReason;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(documents_page).post(check_document))
        .route("/documents/vehicle", post(check_vehicle))
        .route("/manifests", get(manifests_page).post(upload_manifest))
        .route("/manifests/{id}", get(manifest_page))
        .route("/manifests/{run}/hits/{hit}/review", post(review_hit))
}

/// Travellers shown per page of a run.
const TRAVELLERS_PER_PAGE: usize = 50;
/// Earlier runs listed under the upload form.
const RUNS_LISTED: usize = 50;
/// The purpose a border form starts with.
const BORDER_CHECK: &str = "border_check";

// ---- Hits and travellers as the pages show them ----

/// An officer's verdict on a hit, or the buttons to record one.
struct VerdictView {
    hit_id: String,
    run_id: String,
    csrf: String,
    /// `true_hit` or `false_hit` once recorded.
    verdict: Option<String>,
    label: String,
    by: String,
    at: Option<String>,
    can_review: bool,
}

impl VerdictView {
    fn label_of(verdict: &str) -> String {
        match verdict {
            "true_hit" => "True hit".into(),
            "false_hit" => "False hit".into(),
            other => words(other),
        }
    }
}

struct HitView {
    hit_id: String,
    band: String,
    score: String,
    /// `person p1`, `document d1`, or the risk rule.
    label: String,
    href: Option<String>,
    explanation: Vec<ExplanationLine>,
    alerts: Vec<AlertLine>,
    verdict: Option<VerdictView>,
}

struct DocumentView {
    number: String,
    kind: String,
    issuing_country: String,
    expiry_date: String,
    status: String,
    status_label: String,
    expired: bool,
}

struct TravellerView {
    index: u32,
    name: String,
    role: String,
    birth_date: String,
    sex: String,
    nationality: String,
    document_status: String,
    document_status_label: String,
    documents: Vec<DocumentView>,
    band: String,
    /// `no hit`, `possible`, `strong`.
    band_label: String,
    hits: Vec<HitView>,
    actions: Vec<String>,
    risk_score: Option<String>,
    warnings: Vec<String>,
}

/// What a page needs to draw the hits of one run: the read's purpose for record links, and the verdicts.
struct HitContext<'a> {
    run_id: &'a str,
    purpose: &'a str,
    case_ref: &'a str,
    csrf: &'a str,
    can_review: bool,
    /// Verdicts recorded since the run: hit id → (verdict, reviewer).
    verdicts: &'a HashMap<String, (String, String)>,
}

fn hit_view(hit: &ManifestHit, context: &HitContext<'_>) -> HitView {
    let (label, href) = match (&hit.record, &hit.rule) {
        (Some(record), _) => {
            let id = record.id.clone().unwrap_or_default();
            let href = (!id.is_empty())
                .then(|| record_href(&record.record_type, &id, context.purpose, context.case_ref));
            (format!("{} {id}", record.record_type), href)
        }
        (None, Some(rule)) => (format!("risk rule {}: {}", rule.id, rule.title), None),
        (None, None) => (hit.kind.clone(), None),
    };
    let verdict = (!context.run_id.is_empty()).then(|| {
        let recorded = context.verdicts.get(&hit.hit_id);
        VerdictView {
            hit_id: hit.hit_id.clone(),
            run_id: context.run_id.to_owned(),
            csrf: context.csrf.to_owned(),
            verdict: recorded.map(|(v, _)| v.clone()),
            label: recorded
                .map(|(v, _)| VerdictView::label_of(v))
                .unwrap_or_default(),
            by: recorded.map(|(_, by)| by.clone()).unwrap_or_default(),
            at: None,
            can_review: context.can_review,
        }
    });
    HitView {
        hit_id: hit.hit_id.clone(),
        band: hit.band.clone(),
        score: format!("{:.2}", hit.score),
        label,
        href,
        explanation: hit.explanation.iter().map(ExplanationLine::of).collect(),
        alerts: hit.alerts.iter().map(AlertLine::of).collect(),
        verdict,
    }
}

fn traveller_view(traveller: &TravellerReport, context: &HitContext<'_>) -> TravellerView {
    TravellerView {
        index: traveller.index,
        name: traveller.name.clone(),
        role: words(&traveller.role),
        birth_date: traveller.birth_date.clone().unwrap_or_default(),
        sex: traveller.sex.clone().unwrap_or_default(),
        nationality: traveller.nationality.clone().unwrap_or_default(),
        document_status: traveller.document_status.clone(),
        document_status_label: words(&traveller.document_status),
        documents: traveller
            .documents
            .iter()
            .map(|d| DocumentView {
                number: d.number.clone(),
                kind: d.kind.clone().unwrap_or_default(),
                issuing_country: d.issuing_country.clone().unwrap_or_default(),
                expiry_date: d.expiry_date.clone().unwrap_or_default(),
                status_label: words(&d.status),
                status: d.status.clone(),
                expired: d.expired,
            })
            .collect(),
        band: traveller.band.clone(),
        band_label: band_label(&traveller.band),
        hits: traveller
            .hits
            .iter()
            .map(|h| hit_view(h, context))
            .collect(),
        actions: traveller.actions.clone(),
        risk_score: traveller.risk_score.map(|s| format!("{s:.1}")),
        warnings: traveller.warnings.clone(),
    }
}

fn band_label(band: &str) -> String {
    match band {
        "none" => "no hit".to_owned(),
        other => other.to_owned(),
    }
}

/// A traveller the officer must look at: a hit, a risk rule, or a listed document.
fn needs_attention(traveller: &TravellerReport) -> bool {
    !traveller.hits.is_empty()
        || traveller.band != "none"
        || !matches!(
            traveller.document_status.as_str(),
            "not_listed" | "no_document"
        )
}

// ---- Document and vehicle checks ----

#[derive(Debug, Default, Deserialize)]
struct MrzForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    mrz: String,
    /// The checkbox: present when ticked.
    #[serde(default)]
    screen: Option<String>,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    case_ref: String,
}

#[derive(Debug, Default, Deserialize)]
struct VehicleForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    vin: String,
    #[serde(default)]
    plate: String,
    #[serde(default)]
    plate_country: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    case_ref: String,
}

struct CheckView {
    field: String,
    ok: bool,
    expected: String,
    found: String,
}

struct CorrectionView {
    line: u32,
    column: u32,
    from: String,
    to: String,
    field: String,
    reason: String,
}

struct MrzView {
    valid: bool,
    format: String,
    document_code: String,
    issuing_state: String,
    document_number: String,
    surname: String,
    given_names: String,
    nationality: String,
    birth_date: String,
    sex: String,
    expiry_date: String,
    expired: bool,
    optional_data: String,
    checks: Vec<CheckView>,
    corrections: Vec<CorrectionView>,
    warnings: Vec<String>,
    /// The holder and document screened, when asked for.
    screening: Option<TravellerView>,
}

struct VehicleView {
    status: String,
    status_label: String,
    band: String,
    band_label: String,
    hits: Vec<HitView>,
    actions: Vec<String>,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    chrome: Chrome,
    mrz_form: MrzForm,
    mrz_screen: bool,
    mrz_purpose: PurposeField,
    mrz_error: Option<FormError>,
    mrz_result: Option<MrzView>,
    vehicle_form: VehicleForm,
    vehicle_purpose: PurposeField,
    vehicle_error: Option<FormError>,
    vehicle_result: Option<VehicleView>,
}

impl DocumentsPage {
    fn new(chrome: Chrome) -> DocumentsPage {
        DocumentsPage {
            chrome,
            mrz_form: MrzForm::default(),
            mrz_screen: true,
            mrz_purpose: border_purpose("mrz", "", ""),
            mrz_error: None,
            mrz_result: None,
            vehicle_form: VehicleForm::default(),
            vehicle_purpose: border_purpose("vehicle", "", ""),
            vehicle_error: None,
            vehicle_result: None,
        }
    }
}

#[derive(Template)]
#[template(path = "_mrz_result.html")]
struct MrzFragment {
    mrz_error: Option<FormError>,
    mrz_result: Option<MrzView>,
}

#[derive(Template)]
#[template(path = "_vehicle_result.html")]
struct VehicleFragment {
    vehicle_error: Option<FormError>,
    vehicle_result: Option<VehicleView>,
}

/// A border form's purpose: `border_check` unless the user chose another.
fn border_purpose(id: &'static str, purpose: &str, case_ref: &str) -> PurposeField {
    let purpose = if purpose.trim().is_empty() {
        BORDER_CHECK
    } else {
        purpose.trim()
    };
    let mut field = PurposeField::new(id, purpose, case_ref.trim());
    field.blank = false;
    field
}

async fn documents_page(user: WebUser) -> Result<Response, WebError> {
    page(&DocumentsPage::new(user.chrome))
}

const MRZ_FIELDS: &[(&str, &str, &str)] = &[
    ("mrz", "mrz", "Machine-readable zone"),
    ("lines", "mrz", "Machine-readable zone"),
    ("purpose", "purpose", "Purpose"),
    ("case_ref", "case_ref", "Case reference"),
];

fn mrz_view(response: MrzCheckResponse, purpose: &str, case_ref: &str, csrf: &str) -> MrzView {
    let verdicts = HashMap::new();
    // A document check's hits are shown without verdict buttons: its run has no page to come back to.
    let context = HitContext {
        run_id: "",
        purpose,
        case_ref,
        csrf,
        can_review: false,
        verdicts: &verdicts,
    };
    MrzView {
        valid: response.valid,
        format: response.format,
        document_code: response.document_code,
        issuing_state: response.issuing_state,
        document_number: response.document_number,
        surname: response.surname,
        given_names: response.given_names,
        nationality: response.nationality,
        birth_date: response.birth_date.unwrap_or_default(),
        sex: response.sex.unwrap_or_default(),
        expiry_date: response.expiry_date.unwrap_or_default(),
        expired: response.expired,
        optional_data: response.optional_data,
        checks: response
            .checks
            .into_iter()
            .map(|c| CheckView {
                field: words(&c.field),
                ok: c.ok,
                expected: c.expected.unwrap_or_default(),
                found: c.found.unwrap_or_default(),
            })
            .collect(),
        corrections: response
            .corrections
            .into_iter()
            .map(|c| CorrectionView {
                line: c.line,
                column: c.column,
                from: c.from,
                to: c.to,
                field: words(&c.field),
                reason: c.reason,
            })
            .collect(),
        warnings: response.warnings,
        screening: response
            .screening
            .as_ref()
            .map(|t| traveller_view(t, &context)),
    }
}

async fn check_document(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(form): Form<MrzForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, form_token(&form._csrf))?;
    let screen = form.screen.is_some();
    let purpose = given(&form.purpose).unwrap_or_else(|| BORDER_CHECK.to_owned());
    let case_ref = form.case_ref.trim().to_owned();
    let request = MrzCheckRequest {
        lines: Vec::new(),
        mrz: Some(form.mrz.trim().to_owned()).filter(|m| !m.is_empty()),
        purpose: Some(purpose.clone()),
        case_ref: given(&case_ref),
        correct_ocr: None,
        screen: Some(screen),
    };
    let (mrz_error, mrz_result) = match border::check_mrz(&state.node, &user.caller, &request).await
    {
        Ok(response) => (
            None,
            Some(mrz_view(response, &purpose, &case_ref, &user.chrome.csrf)),
        ),
        Err(e) => (Some(form_error(e, MRZ_FIELDS)?), None),
    };
    if is_htmx(&headers) {
        return page(&MrzFragment {
            mrz_error,
            mrz_result,
        });
    }
    let status = mrz_error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let mut view = DocumentsPage::new(user.chrome);
    view.mrz_purpose = border_purpose("mrz", &purpose, &case_ref).invalid_if(mrz_error.as_ref());
    view.mrz_screen = screen;
    view.mrz_form = form;
    view.mrz_error = mrz_error;
    view.mrz_result = mrz_result;
    page_with_status(&view, status)
}

const VEHICLE_FIELDS: &[(&str, &str, &str)] = &[
    ("vin", "vin", "VIN or number plate"),
    ("plate", "plate", "Number plate"),
    ("plate_country", "plate_country", "Plate country"),
    ("purpose", "purpose", "Purpose"),
    ("case_ref", "case_ref", "Case reference"),
];

fn vehicle_view(
    response: VehicleCheckResponse,
    purpose: &str,
    case_ref: &str,
    csrf: &str,
) -> VehicleView {
    let verdicts = HashMap::new();
    let context = HitContext {
        run_id: "",
        purpose,
        case_ref,
        csrf,
        can_review: false,
        verdicts: &verdicts,
    };
    VehicleView {
        status_label: words(&response.status),
        status: response.status,
        band_label: band_label(&response.band),
        band: response.band,
        hits: response
            .hits
            .iter()
            .map(|h| hit_view(h, &context))
            .collect(),
        actions: response.actions,
    }
}

async fn check_vehicle(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(form): Form<VehicleForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, form_token(&form._csrf))?;
    let purpose = given(&form.purpose).unwrap_or_else(|| BORDER_CHECK.to_owned());
    let case_ref = form.case_ref.trim().to_owned();
    let reason = AccessReason {
        purpose: Some(purpose.clone()),
        case_ref: given(&case_ref),
    };
    let plate_country = given(&form.plate_country).map(|c| c.to_uppercase());
    let result = border::check_vehicle(
        &state.node,
        &user.caller,
        Some(form.vin.as_str()),
        Some(form.plate.as_str()),
        plate_country.as_deref(),
        &reason,
    )
    .await;
    let (vehicle_error, vehicle_result) = match result {
        Ok(response) => (
            None,
            Some(vehicle_view(
                response,
                &purpose,
                &case_ref,
                &user.chrome.csrf,
            )),
        ),
        Err(e) => (Some(form_error(e, VEHICLE_FIELDS)?), None),
    };
    if is_htmx(&headers) {
        return page(&VehicleFragment {
            vehicle_error,
            vehicle_result,
        });
    }
    let status = vehicle_error.as_ref().map_or(StatusCode::OK, |e| e.status);
    let mut view = DocumentsPage::new(user.chrome);
    view.vehicle_purpose =
        border_purpose("vehicle", &purpose, &case_ref).invalid_if(vehicle_error.as_ref());
    view.vehicle_form = form;
    view.vehicle_error = vehicle_error;
    view.vehicle_result = vehicle_result;
    page_with_status(&view, status)
}

// ---- Manifests ----

struct RunView {
    id: String,
    source: String,
    travellers: u32,
    hits: u32,
    created_at: String,
    username: String,
    purpose: String,
}

/// What the upload form was sent with, to show it again after an error.
#[derive(Debug, Default)]
struct UploadForm {
    format: String,
    purpose: String,
    case_ref: String,
    strict: bool,
    file_name: String,
}

#[derive(Template)]
#[template(path = "manifests.html")]
struct ManifestsPage {
    chrome: Chrome,
    upload: UploadForm,
    purpose_field: PurposeField,
    formats: Vec<FormatOption>,
    error: Option<FormError>,
    runs: Vec<RunView>,
    max_megabytes: usize,
}

struct FormatOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

const FORMATS: &[(&str, &str)] = &[
    ("", "Recognise from the content"),
    ("paxlst", "UN/EDIFACT PAXLST (API)"),
    ("pnrgov", "UN/EDIFACT PNRGOV (PNR)"),
    ("csv", "CSV"),
];

async fn manifests_view(
    state: &AppState,
    user: WebUser,
    upload: UploadForm,
    error: Option<FormError>,
) -> Result<Response, WebError> {
    let runs = border::list_runs(&state.node, &user.caller, (RUNS_LISTED * 2) as u32)
        .await?
        .into_iter()
        .filter(|run| run.kind == "manifest")
        .take(RUNS_LISTED)
        .map(|run| RunView {
            id: run.id,
            source: run.source,
            travellers: run.travellers,
            hits: run.hits,
            created_at: short_time(&run.created_at),
            username: run.username,
            purpose: words(&run.purpose),
        })
        .collect();
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    page_with_status(
        &ManifestsPage {
            purpose_field: border_purpose("upload", &upload.purpose, &upload.case_ref)
                .invalid_if(error.as_ref()),
            formats: FORMATS
                .iter()
                .map(|(value, label)| FormatOption {
                    value,
                    label,
                    selected: upload.format == *value,
                })
                .collect(),
            max_megabytes: (state.node.settings.max_body_bytes / (1024 * 1024)).max(1),
            chrome: user.chrome,
            upload,
            error,
            runs,
        },
        status,
    )
}

async fn manifests_page(
    State(state): State<AppState>,
    user: WebUser,
) -> Result<Response, WebError> {
    manifests_view(&state, user, UploadForm::default(), None).await
}

const MANIFEST_FIELDS: &[(&str, &str, &str)] = &[
    ("manifest", "file", "Manifest file"),
    ("format", "format", "Format"),
    ("purpose", "purpose", "Purpose"),
    ("case_ref", "case_ref", "Case reference"),
];

/// Reads the upload form; the file's bytes come back separately so the form can be shown again.
async fn read_upload(
    mut multipart: Multipart,
) -> Result<(UploadForm, String, Option<Vec<u8>>), FormError> {
    let mut form = UploadForm::default();
    let mut csrf = String::new();
    let mut file = None;
    let broken = |e: axum::extract::multipart::MultipartError| FormError {
        field: "file".into(),
        message: format!(
            "Manifest file: the upload could not be read ({})",
            e.body_text()
        ),
        status: e.status(),
    };
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            form.file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(broken)?;
            file = Some(bytes.to_vec());
            continue;
        }
        let text = field.text().await.map_err(broken)?;
        match name.as_str() {
            "_csrf" => csrf = text,
            "format" => form.format = text.trim().to_owned(),
            "purpose" => form.purpose = text.trim().to_owned(),
            "case_ref" => form.case_ref = text.trim().to_owned(),
            "strict" => form.strict = true,
            _ => {}
        }
    }
    Ok((form, csrf, file))
}

async fn upload_manifest(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let (form, csrf, file) = match read_upload(multipart).await {
        Ok(read) => read,
        Err(mut error) => {
            // Nothing was done, so the page may say why without the form's token (unread with the rest).
            if error.status == StatusCode::PAYLOAD_TOO_LARGE {
                error.message = format!(
                    "Manifest file: larger than this node accepts ({} bytes at most)",
                    state.node.settings.max_body_bytes
                );
            }
            return manifests_view(&state, user, UploadForm::default(), Some(error)).await;
        }
    };
    user.check_csrf(&headers, form_token(&csrf))?;
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        let error = FormError::new("file", "Manifest file: choose the file to screen");
        return manifests_view(&state, user, form, Some(error)).await;
    };
    let format = match form.format.as_str() {
        "" => None,
        text => match ManifestFormat::parse(text) {
            Some(format) => Some(format),
            None => {
                let error = FormError::new(
                    "format",
                    format!("Format: `{text}` is not one of: paxlst, pnrgov, csv"),
                );
                return manifests_view(&state, user, form, Some(error)).await;
            }
        },
    };
    let request = ManifestRequest {
        format,
        strict: form.strict,
        source_name: given(&form.file_name),
        progress: None,
    };
    let reason = AccessReason {
        purpose: given(&form.purpose),
        case_ref: given(&form.case_ref),
    };
    match border::screen_manifest(&state.node, &user.caller, &file, &request, &reason).await {
        Ok(report) => Ok(
            Redirect::to(&format!("/manifests/{}", encode_component(&report.id))).into_response(),
        ),
        Err(e) => {
            let error = form_error(e, MANIFEST_FIELDS)?;
            manifests_view(&state, user, form, Some(error)).await
        }
    }
}

struct FlightView {
    flight: String,
    from: String,
    departure: String,
    to: String,
    arrival: String,
}

#[derive(Template)]
#[template(path = "manifest.html")]
struct ManifestPage {
    chrome: Chrome,
    id: String,
    format: String,
    version: String,
    screened_at: String,
    purpose: String,
    case_ref: String,
    ruleset_version: Option<i64>,
    summary: liaison_proto::border::ManifestSummary,
    flights: Vec<FlightView>,
    warnings: Vec<String>,
    travellers: Vec<TravellerView>,
    show_all: bool,
    /// Travellers in the current filter, and which of them this page shows (1-based, inclusive).
    in_filter: usize,
    first: usize,
    last: usize,
    previous_page: Option<usize>,
    next_page: Option<usize>,
    hits_total: usize,
    hits_reviewed: usize,
    csv_href: String,
}

#[derive(Debug, Default, Deserialize)]
struct ManifestQuery {
    show: Option<String>,
    page: Option<usize>,
}

/// Verdicts the stored report carries since the run: hit id → (verdict, reviewer).
fn verdicts_of(report: &Value) -> HashMap<String, (String, String)> {
    let mut verdicts = HashMap::new();
    let travellers = report["travellers"].as_array().into_iter().flatten();
    for hit in travellers.flat_map(|t| t["hits"].as_array().into_iter().flatten()) {
        if let (Some(id), Some(verdict)) = (hit["hit_id"].as_str(), hit["verdict"].as_str()) {
            let by = hit["reviewed_by"].as_str().unwrap_or_default().to_owned();
            verdicts.insert(id.to_owned(), (verdict.to_owned(), by));
        }
    }
    verdicts
}

async fn manifest_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Query(query): Query<ManifestQuery>,
) -> Result<Response, WebError> {
    let stored = border::screening_report(&state.node, &user.caller, &id).await?;
    let verdicts = verdicts_of(&stored);
    let report: ManifestReport = serde_json::from_value(stored).map_err(|_| {
        WebError::from(ServiceError::NotFound(format!(
            "run `{id}` is a document check, not a manifest"
        )))
    })?;
    let show_all = query.show.as_deref() == Some("all");
    let case_ref = report.case_ref.clone().unwrap_or_default();
    let context = HitContext {
        run_id: &report.id,
        purpose: &report.purpose,
        case_ref: &case_ref,
        csrf: &user.chrome.csrf,
        can_review: user.chrome.has_any(REVIEW_ROLES),
        verdicts: &verdicts,
    };
    let selected: Vec<&TravellerReport> = report
        .travellers
        .iter()
        .filter(|t| show_all || needs_attention(t))
        .collect();
    let pages = selected.len().div_ceil(TRAVELLERS_PER_PAGE).max(1);
    let page_number = query.page.unwrap_or(1).clamp(1, pages);
    let start = (page_number - 1) * TRAVELLERS_PER_PAGE;
    let travellers: Vec<TravellerView> = selected
        .iter()
        .skip(start)
        .take(TRAVELLERS_PER_PAGE)
        .map(|t| traveller_view(t, &context))
        .collect();
    let hits_total = report.travellers.iter().map(|t| t.hits.len()).sum();
    let view = ManifestPage {
        id: report.id.clone(),
        format: report.format.to_uppercase(),
        version: report.version.clone().unwrap_or_default(),
        screened_at: short_time(&report.screened_at),
        purpose: words(&report.purpose),
        ruleset_version: report.ruleset_version,
        summary: report.summary.clone(),
        flights: report
            .flights
            .iter()
            .map(|f| FlightView {
                flight: f.flight.clone().unwrap_or_default(),
                from: f.from.clone().unwrap_or_default(),
                departure: f.departure.clone().unwrap_or_default(),
                to: f.to.clone().unwrap_or_default(),
                arrival: f.arrival.clone().unwrap_or_default(),
            })
            .collect(),
        warnings: report.warnings.clone(),
        in_filter: selected.len(),
        first: if travellers.is_empty() { 0 } else { start + 1 },
        last: start + travellers.len(),
        previous_page: (page_number > 1).then(|| page_number - 1),
        next_page: (page_number < pages).then(|| page_number + 1),
        travellers,
        show_all,
        hits_total,
        hits_reviewed: verdicts.len(),
        csv_href: format!("/api/v1/manifests/{}?format=csv", encode_component(&id)),
        case_ref,
        chrome: user.chrome,
    };
    page(&view)
}

#[derive(Debug, Default, Deserialize)]
struct ReviewForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    verdict: String,
}

#[derive(Template)]
#[template(path = "_verdict.html")]
struct VerdictFragment {
    v: VerdictView,
}

/// Records the officer's verdict (`POST /api/v1/hits/{id}/review`); htmx gets the verdict in place of the
/// buttons, a plain form goes back to the run.
async fn review_hit(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path((run, hit)): Path<(String, String)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, form_token(&form._csrf))?;
    let reviewed = border::review_hit(&state.node, &user.caller, &hit, &form.verdict).await?;
    if is_htmx(&headers) {
        return page(&VerdictFragment {
            v: VerdictView {
                label: VerdictView::label_of(&reviewed.verdict),
                hit_id: reviewed.hit_id,
                run_id: run,
                csrf: user.chrome.csrf.clone(),
                verdict: Some(reviewed.verdict),
                by: reviewed.reviewed_by,
                at: Some(short_time(&reviewed.reviewed_at)),
                can_review: true,
            },
        });
    }
    Ok(Redirect::to(&format!(
        "/manifests/{}?show=all#hit-{}",
        encode_component(&run),
        encode_component(&hit)
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traveller(band: &str, status: &str, hits: usize) -> TravellerReport {
        TravellerReport {
            index: 0,
            name: "JANE DOE".into(),
            role: "passenger".into(),
            birth_date: None,
            sex: None,
            nationality: None,
            document: String::new(),
            booking: None,
            seat: None,
            document_status: status.into(),
            documents: Vec::new(),
            band: band.into(),
            hits: (0..hits)
                .map(|i| ManifestHit {
                    hit_id: format!("h{i}"),
                    kind: "rule".into(),
                    record: None,
                    score: 0.5,
                    band: "possible".into(),
                    explanation: Vec::new(),
                    alerts: Vec::new(),
                    rule: None,
                })
                .collect(),
            actions: Vec::new(),
            risk_score: None,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_default_filter_keeps_travellers_with_something_to_look_at() {
        assert!(!needs_attention(&traveller("none", "not_listed", 0)));
        assert!(!needs_attention(&traveller("none", "no_document", 0)));
        assert!(needs_attention(&traveller("none", "stolen", 0)));
        assert!(needs_attention(&traveller("possible", "not_listed", 1)));
    }

    #[test]
    fn verdicts_are_read_from_the_stored_report() {
        let report = serde_json::json!({"travellers": [
            {"hits": [{"hit_id": "h1", "verdict": "true_hit", "reviewed_by": "olga"}, {"hit_id": "h2"}]},
            {"hits": []}
        ]});
        let verdicts = verdicts_of(&report);
        assert_eq!(verdicts.len(), 1);
        assert_eq!(
            verdicts.get("h1"),
            Some(&("true_hit".to_owned(), "olga".to_owned()))
        );
    }
}
