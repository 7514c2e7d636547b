//! Screening a person (`/screen`): names, date of birth, nationality, sex and document number screened on
//! this node and, when it federates, on its partners, with the hits grouped by owner and explained; a
//! partner's hit leads to a disclosure request. Also the form pieces the border and record pages share
//! (purpose select, field errors, htmx detection).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use liaison_core::Purpose;
use liaison_proto::api::{ExplanationItem, HitAlert, ScreenQuery, ScreenResponse};
use serde::Deserialize;

use super::{Chrome, WebError, WebUser, encode_component, page};
use crate::http::AppState;
use crate::services::records::AccessReason;
use crate::services::{ServiceError, disclosures, federated, screening};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/screen", get(screen_page).post(screen))
        .route("/screen/disclosure", post(request_disclosure))
}

/// Hits asked of each node (the API's default).
const HIT_LIMIT: u32 = 10;

// ---- Form pieces shared by the screening, border and record pages ----

/// One purpose in a select.
pub(super) struct PurposeOption {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// The purpose select and case reference input of a form, as the `_purpose.html` macro draws them.
pub(super) struct PurposeField {
    /// Prefix of the inputs' ids, unique on the page.
    pub id: &'static str,
    pub options: Vec<PurposeOption>,
    /// Offer an empty "choose" entry: the user must pick a purpose.
    pub blank: bool,
    pub case_ref: String,
    pub case_required: bool,
    /// The input the last error was about: `purpose` or `case_ref`.
    pub invalid: String,
}

impl PurposeField {
    /// The field with `purpose` selected (none when empty) and `case_ref` filled in.
    pub fn new(id: &'static str, purpose: &str, case_ref: &str) -> PurposeField {
        PurposeField {
            id,
            options: Purpose::NAMES
                .iter()
                .map(|value| PurposeOption {
                    value,
                    label: words(value),
                    selected: *value == purpose,
                })
                .collect(),
            blank: true,
            case_ref: case_ref.to_owned(),
            case_required: false,
            invalid: String::new(),
        }
    }

    pub fn case_required(mut self) -> Self {
        self.case_required = true;
        self
    }

    pub fn invalid_if(mut self, error: Option<&FormError>) -> Self {
        if let Some(error) = error {
            self.invalid = error.field.clone();
        }
        self
    }
}

/// `border_check` → `Border check`: a wire word as a person reads it.
pub(super) fn words(wire: &str) -> String {
    let spaced = wire.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A service's refusal of what a form sent, shown next to the form with the field named.
#[derive(Debug, Clone)]
pub(super) struct FormError {
    /// The form input concerned (its `name`), or empty when the error is about the whole request.
    pub field: String,
    pub message: String,
    pub status: StatusCode,
}

impl FormError {
    pub fn new(field: &str, message: impl Into<String>) -> FormError {
        FormError {
            field: field.to_owned(),
            message: message.into(),
            status: StatusCode::BAD_REQUEST,
        }
    }
}

/// Turns a service error into a form error. `fields` maps the service's pointers (or their prefixes) to
/// the form's input names and labels: (`query.birth_date`, `birth_date`, `Date of birth`). Errors that
/// are not about what the user typed (storage, internal) become error pages.
pub(super) fn form_error(
    error: ServiceError,
    fields: &[(&str, &str, &str)],
) -> Result<FormError, WebError> {
    let status = match &error {
        ServiceError::BadRequest { .. } => StatusCode::BAD_REQUEST,
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        _ => return Err(error.into()),
    };
    let ServiceError::BadRequest { detail, items } = &error else {
        return Ok(FormError {
            field: String::new(),
            message: error.to_string(),
            status,
        });
    };
    let Some((pointer, message)) = items.first() else {
        return Ok(FormError {
            field: String::new(),
            message: detail.clone(),
            status,
        });
    };
    let known = fields
        .iter()
        .find(|(p, _, _)| pointer == p || pointer.starts_with(&format!("{p} ")));
    Ok(match known {
        Some((p, field, label)) => {
            let place = pointer[p.len()..].trim();
            let message = if place.is_empty() {
                format!("{label}: {message}")
            } else {
                format!("{label} ({place}): {message}")
            };
            FormError {
                field: (*field).to_owned(),
                message,
                status,
            }
        }
        None => FormError {
            field: String::new(),
            message: format!("{pointer}: {message}"),
            status,
        },
    })
}

/// Whether htmx sent the request (it then wants a fragment, not a page).
pub(super) fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}

/// The form's CSRF field when it carries one; htmx may send the header alone.
pub(super) fn form_token(token: &str) -> Option<&str> {
    (!token.is_empty()).then_some(token)
}

/// `Some(text)` unless blank.
pub(super) fn given(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The address of a record's page, read for `purpose` and `case_ref`.
pub(super) fn record_href(record_type: &str, id: &str, purpose: &str, case_ref: &str) -> String {
    let mut href = format!(
        "/records/{}/{}?purpose={}",
        encode_component(record_type),
        encode_component(id),
        encode_component(purpose)
    );
    if !case_ref.is_empty() {
        href.push_str(&format!("&case_ref={}", encode_component(case_ref)));
    }
    href
}

/// A renderer of a template to an HTML response with a chosen status.
pub(super) fn page_with_status<T: Template>(
    template: &T,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut response = page(template)?;
    *response.status_mut() = status;
    Ok(response)
}

// ---- The screening page ----

#[derive(Debug, Default, Deserialize)]
struct ScreenForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    names: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nationality: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    case_ref: String,
    #[serde(default)]
    scope: String,
}

/// One line of a hit's explanation.
pub(super) struct ExplanationLine {
    pub text: String,
    /// `+0.42`, `−0.10`, or empty when the line carries no weight.
    pub weight: String,
}

impl ExplanationLine {
    pub fn of(item: &ExplanationItem) -> ExplanationLine {
        ExplanationLine {
            text: item.text.clone(),
            weight: if item.weight > 0.0 {
                format!("+{:.2}", item.weight)
            } else if item.weight < 0.0 {
                format!("\u{2212}{:.2}", -item.weight)
            } else {
                String::new()
            },
        }
    }
}

/// An alert behind a hit and what it asks the officer to do.
pub(super) struct AlertLine {
    pub category: String,
    pub action: Option<String>,
}

impl AlertLine {
    pub fn of(alert: &HitAlert) -> AlertLine {
        AlertLine {
            category: words(&alert.category),
            action: alert.action.clone(),
        }
    }
}

/// The small form that asks a partner for the record behind its hit, or what became of the request.
struct DisclosureView {
    /// Unique on the page, for the inputs' ids and the htmx target.
    slot: usize,
    csrf: String,
    hit_ref: String,
    partner: String,
    purpose: String,
    case_ref: String,
    legal_basis: String,
    error: Option<FormError>,
    /// The request's id once it is sent.
    sent: Option<String>,
}

struct HitView {
    band: String,
    score: String,
    record_type: String,
    owner: String,
    /// The record's page, for this node's hits.
    href: Option<String>,
    id: Option<String>,
    explanation: Vec<ExplanationLine>,
    alerts: Vec<AlertLine>,
    disclosure: Option<DisclosureView>,
}

/// The hits of one node: this node first, then each partner asked.
struct HitGroup {
    node: String,
    own: bool,
    /// `answered`, `refused`, `timeout`, `unreachable` (partners only).
    status: String,
    latency_ms: Option<u64>,
    hits: Vec<HitView>,
}

struct ScreenResults {
    groups: Vec<HitGroup>,
    warnings: Vec<String>,
    federated: bool,
}

#[derive(Template)]
#[template(path = "screen.html")]
struct ScreenPage {
    chrome: Chrome,
    form: ScreenForm,
    purpose_field: PurposeField,
    federates: bool,
    /// The input the error is about, marked invalid.
    invalid: String,
    error: Option<FormError>,
    results: Option<ScreenResults>,
    /// A disclosure request refused without JavaScript, shown again with its error.
    disclosure: Option<DisclosureView>,
}

#[derive(Template)]
#[template(path = "_screen_results.html")]
struct ScreenResultsFragment {
    error: Option<FormError>,
    results: Option<ScreenResults>,
}

#[derive(Template)]
#[template(path = "_disclosure.html")]
struct DisclosureFragment {
    d: DisclosureView,
}

const SCREEN_FIELDS: &[(&str, &str, &str)] = &[
    ("query.names", "names", "Names"),
    ("query.birth_date", "birth_date", "Date of birth"),
    ("query.nationality", "nationality", "Nationality"),
    ("query.sex", "sex", "Sex"),
    ("query.documents", "document", "Document number"),
    ("purpose", "purpose", "Purpose"),
    ("case_ref", "case_ref", "Case reference"),
    ("scope", "scope", "Scope"),
];

async fn screen_page(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let form = ScreenForm {
        scope: "local".into(),
        ..ScreenForm::default()
    };
    page(&ScreenPage {
        purpose_field: PurposeField::new("screen", "", "").case_required(),
        federates: state.node.federation.is_some(),
        chrome: user.chrome,
        form,
        invalid: String::new(),
        error: None,
        results: None,
        disclosure: None,
    })
}

fn results_view(
    node_id: &str,
    response: ScreenResponse,
    form: &ScreenForm,
    csrf: &str,
    federated: bool,
) -> ScreenResults {
    let mut groups = vec![HitGroup {
        node: node_id.to_owned(),
        own: true,
        status: "answered".into(),
        latency_ms: None,
        hits: Vec::new(),
    }];
    groups.extend(response.partners.iter().map(|p| HitGroup {
        node: p.node.clone(),
        own: false,
        status: p.status.clone(),
        latency_ms: Some(p.latency_ms),
        hits: Vec::new(),
    }));
    for (slot, hit) in response.hits.iter().enumerate() {
        let own = hit.record.owner == node_id;
        let view = HitView {
            band: hit.band.clone(),
            score: format!("{:.2}", hit.score),
            record_type: hit.record.record_type.clone(),
            owner: hit.record.owner.clone(),
            href: match (&hit.record.id, own) {
                (Some(id), true) => Some(record_href(
                    &hit.record.record_type,
                    id,
                    form.purpose.trim(),
                    form.case_ref.trim(),
                )),
                _ => None,
            },
            id: hit.record.id.clone().filter(|_| own),
            explanation: hit.explanation.iter().map(ExplanationLine::of).collect(),
            alerts: hit.alerts.iter().map(AlertLine::of).collect(),
            disclosure: hit
                .hit_ref
                .as_ref()
                .filter(|_| !own)
                .map(|hit_ref| DisclosureView {
                    slot,
                    csrf: csrf.to_owned(),
                    hit_ref: hit_ref.clone(),
                    partner: hit.record.owner.clone(),
                    purpose: form.purpose.trim().to_owned(),
                    case_ref: form.case_ref.trim().to_owned(),
                    legal_basis: String::new(),
                    error: None,
                    sent: None,
                }),
        };
        match groups.iter_mut().find(|g| g.node == hit.record.owner) {
            Some(group) => group.hits.push(view),
            None => groups.push(HitGroup {
                node: hit.record.owner.clone(),
                own: false,
                status: "answered".into(),
                latency_ms: None,
                hits: vec![view],
            }),
        }
    }
    ScreenResults {
        groups,
        warnings: response.warnings,
        federated,
    }
}

/// Screens as `POST /api/v1/screen` does: locally (audited), then on the partners when asked.
async fn run_screen(
    state: &AppState,
    user: &WebUser,
    form: &ScreenForm,
) -> Result<(ScreenResponse, bool), ServiceError> {
    let node = &state.node;
    let federated = match form.scope.as_str() {
        "" | "local" => false,
        "federated" if node.federation.is_some() => true,
        "federated" => {
            return Err(ServiceError::bad_field(
                "scope",
                "this node does not federate: search locally",
            ));
        }
        other => {
            return Err(ServiceError::bad_field(
                "scope",
                format!("`{other}` is not one of: local, federated"),
            ));
        }
    };
    let query = ScreenQuery {
        names: form
            .names
            .lines()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect(),
        birth_date: given(&form.birth_date),
        nationality: given(&form.nationality).map(|n| n.to_uppercase()),
        sex: given(&form.sex),
        documents: given(&form.document).into_iter().collect(),
    };
    let parsed = screening::parse_query(&query, "query")?;
    let reason = AccessReason {
        purpose: given(&form.purpose),
        case_ref: given(&form.case_ref),
    };
    if reason.purpose.is_some() && reason.case_ref.is_none() {
        return Err(ServiceError::bad_field(
            "case_ref",
            "state the case this search is for",
        ));
    }
    let mut responses =
        screening::screen(node, &user.caller, &[parsed], &reason, HIT_LIMIT).await?;
    let mut response = responses
        .pop()
        .ok_or_else(|| ServiceError::Internal("screening answered no result".into()))?;
    if federated {
        // The purpose was accepted by the local screening just above.
        let purpose = reason
            .purpose
            .as_deref()
            .and_then(|p| Purpose::parse(p).ok())
            .ok_or_else(|| ServiceError::bad_field("purpose", "state a known purpose"))?;
        let (hits, partners) = federated::fan_out(
            node,
            &user.caller,
            &query,
            purpose,
            reason.case_ref.as_deref(),
            HIT_LIMIT,
        )
        .await?;
        response.hits.extend(hits);
        response.partners = partners;
    }
    Ok((response, federated))
}

async fn screen(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(form): Form<ScreenForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, form_token(&form._csrf))?;
    let htmx = is_htmx(&headers);
    let (error, results) = match run_screen(&state, &user, &form).await {
        Ok((response, federated)) => (
            None,
            Some(results_view(
                state.node.id.as_str(),
                response,
                &form,
                &user.chrome.csrf,
                federated,
            )),
        ),
        Err(e) => (Some(form_error(e, SCREEN_FIELDS)?), None),
    };
    if htmx {
        return page(&ScreenResultsFragment { error, results });
    }
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    page_with_status(
        &ScreenPage {
            purpose_field: PurposeField::new("screen", form.purpose.trim(), form.case_ref.trim())
                .case_required()
                .invalid_if(error.as_ref()),
            federates: state.node.federation.is_some(),
            chrome: user.chrome,
            form,
            invalid: error.as_ref().map(|e| e.field.clone()).unwrap_or_default(),
            error,
            results,
            disclosure: None,
        },
        status,
    )
}

#[derive(Debug, Default, Deserialize)]
struct DisclosureForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    hit_ref: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    case_ref: String,
    #[serde(default)]
    slot: usize,
}

const DISCLOSURE_FIELDS: &[(&str, &str, &str)] = &[
    ("legal_basis", "legal_basis", "Legal basis"),
    ("hit_ref", "hit_ref", "Hit"),
    ("purpose", "purpose", "Purpose"),
    ("case_ref", "case_ref", "Case reference"),
];

/// Step 2: asks the partner that owns a hit for its record (`POST /api/v1/disclosure-requests`).
async fn request_disclosure(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(form): Form<DisclosureForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, form_token(&form._csrf))?;
    let reason = AccessReason {
        purpose: given(&form.purpose),
        case_ref: given(&form.case_ref),
    };
    let result = disclosures::request(
        &state.node,
        &user.caller,
        form.hit_ref.trim(),
        &form.legal_basis,
        &reason,
    )
    .await;
    let htmx = is_htmx(&headers);
    let mut view = DisclosureView {
        slot: form.slot,
        csrf: user.chrome.csrf.clone(),
        partner: form
            .hit_ref
            .split_once('/')
            .map(|(partner, _)| partner.to_owned())
            .unwrap_or_default(),
        hit_ref: form.hit_ref.trim().to_owned(),
        purpose: form.purpose.trim().to_owned(),
        case_ref: form.case_ref.trim().to_owned(),
        legal_basis: form.legal_basis.trim().to_owned(),
        error: None,
        sent: None,
    };
    match result {
        Ok(created) if htmx => {
            view.sent = Some(created.id);
            page(&DisclosureFragment { d: view })
        }
        Ok(created) => Ok(
            Redirect::to(&format!("/disclosures/{}", encode_component(&created.id)))
                .into_response(),
        ),
        Err(e) => {
            let error = form_error(e, DISCLOSURE_FIELDS)?;
            let status = error.status;
            view.error = Some(error);
            if htmx {
                return page(&DisclosureFragment { d: view });
            }
            page_with_status(
                &ScreenPage {
                    purpose_field: PurposeField::new("screen", &view.purpose, &view.case_ref)
                        .case_required(),
                    federates: state.node.federation.is_some(),
                    chrome: user.chrome,
                    form: ScreenForm {
                        purpose: view.purpose.clone(),
                        case_ref: view.case_ref.clone(),
                        scope: "federated".into(),
                        ..ScreenForm::default()
                    },
                    invalid: String::new(),
                    error: None,
                    results: None,
                    disclosure: Some(view),
                },
                status,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_words_read_as_words() {
        assert_eq!(words("border_check"), "Border check");
        assert_eq!(words("wanted_for_arrest"), "Wanted for arrest");
        assert_eq!(words(""), "");
    }

    #[test]
    fn a_service_error_names_the_form_field() {
        let error = form_error(
            ServiceError::bad_field("query.birth_date", "`1975-13` is not a date"),
            SCREEN_FIELDS,
        )
        .unwrap();
        assert_eq!(error.field, "birth_date");
        assert_eq!(error.message, "Date of birth: `1975-13` is not a date");
        let error = form_error(
            ServiceError::BadRequest {
                detail: "mrz: bad".into(),
                items: vec![("mrz line 2, column 4 (byte 48)".into(), "bad digit".into())],
            },
            &[("mrz", "mrz", "Machine-readable zone")],
        )
        .unwrap();
        assert_eq!(error.field, "mrz");
        assert_eq!(
            error.message,
            "Machine-readable zone (line 2, column 4 (byte 48)): bad digit"
        );
        let error = form_error(ServiceError::Forbidden("no".into()), SCREEN_FIELDS).unwrap();
        assert_eq!(error.status, StatusCode::FORBIDDEN);
        assert!(form_error(ServiceError::Internal("x".into()), SCREEN_FIELDS).is_err());
    }

    #[test]
    fn record_addresses_carry_the_purpose() {
        assert_eq!(
            record_href("person", "node-b:p 1", "border_check", ""),
            "/records/person/node-b%3Ap%201?purpose=border_check"
        );
        assert_eq!(
            record_href("person", "p1", "criminal_investigation", "OP/1"),
            "/records/person/p1?purpose=criminal_investigation&case_ref=OP%2F1"
        );
    }
}
