//! Disclosure requests (step 2 of a federated search): the requests this node made and those partners made
//! to it, one request with its purpose and legal basis, a supervisor's approval or refusal of a partner's
//! request, and, once a partner approved ours, the disclosed record under the owner's handling code.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use liaison_proto::api::DisclosureBody;
use liaison_store::{
    DIRECTION_INCOMING, DIRECTION_OUTGOING, DISCLOSURE_APPROVED, DISCLOSURE_PENDING,
};
use serde::Deserialize;
use serde_json::Value;

use super::messages::{form_error, handling_meaning, words};
use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::disclosures::{self, DECIDING_ROLES};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/disclosures", get(list))
        .route("/disclosures/{id}", get(show))
        .route("/disclosures/{id}/approve", post(approve))
        .route("/disclosures/{id}/refuse", post(refuse))
}

/// Rows per table and page.
const PAGE: usize = 50;

/// The states a request can be in, for the filter.
const STATES: &[&str] = &["pending", "approved", "refused", "expired"];

struct DisclosureRow {
    id: String,
    partner: String,
    purpose: String,
    legal_basis: String,
    case_ref: Option<String>,
    state: String,
    created_at: String,
}

/// One of the two tables: a page of rows and the links to the neighbouring pages.
struct DisclosureTable {
    key: &'static str,
    title: &'static str,
    partner_heading: &'static str,
    empty: &'static str,
    rows: Vec<DisclosureRow>,
    total: usize,
    from: usize,
    older_href: Option<String>,
    newer_href: Option<String>,
}

#[derive(Template)]
#[template(path = "disclosures.html")]
struct DisclosuresPage {
    chrome: Chrome,
    tables: Vec<DisclosureTable>,
    state: String,
    states: &'static [&'static str],
    can_decide: bool,
}

#[derive(Debug, Deserialize)]
struct ListParams {
    state: Option<String>,
    outgoing_from: Option<String>,
    incoming_from: Option<String>,
}

fn offset(name: &str, text: Option<&str>) -> Result<usize, WebError> {
    match text.map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text
            .parse()
            .map_err(|_| WebError::bad_request(format!("`{name}`: `{text}` is not a row number"))),
    }
}

/// Titles of a table: its anchor, heading, partner column and what it says when empty.
type TableText = (&'static str, &'static str, &'static str, &'static str);

fn table(
    text: TableText,
    all: Vec<DisclosureBody>,
    state: &str,
    from: usize,
    link: impl Fn(usize) -> String,
) -> DisclosureTable {
    let matching: Vec<DisclosureBody> = all
        .into_iter()
        .filter(|d| state.is_empty() || d.state == state)
        .collect();
    let total = matching.len();
    let rows = matching
        .into_iter()
        .skip(from)
        .take(PAGE)
        .map(|d| DisclosureRow {
            id: d.id,
            partner: d.partner,
            purpose: words(&d.purpose),
            legal_basis: d.legal_basis,
            case_ref: d.case_ref,
            state: d.state,
            created_at: short_time(&d.created_at),
        })
        .collect();
    let (key, title, partner_heading, empty) = text;
    DisclosureTable {
        key,
        title,
        partner_heading,
        empty,
        rows,
        total,
        from,
        older_href: (from + PAGE < total).then(|| link(from + PAGE)),
        newer_href: (from > 0).then(|| link(from.saturating_sub(PAGE))),
    }
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    let filter = params.state.unwrap_or_default().trim().to_owned();
    if !filter.is_empty() && !STATES.contains(&filter.as_str()) {
        return Err(WebError::bad_request(format!(
            "`state`: `{filter}` is not one of: {}",
            STATES.join(", ")
        )));
    }
    let outgoing_from = offset("outgoing_from", params.outgoing_from.as_deref())?;
    let incoming_from = offset("incoming_from", params.incoming_from.as_deref())?;
    let node = &state.node;
    let outgoing_all = disclosures::list(node, &user.caller, DIRECTION_OUTGOING).await?;
    let incoming_all = disclosures::list(node, &user.caller, DIRECTION_INCOMING).await?;
    let state_param = encode_component(&filter);
    let outgoing = table(
        (
            "outgoing",
            "Requests I made",
            "Asked of",
            "No request made by this node",
        ),
        outgoing_all,
        &filter,
        outgoing_from,
        |from| {
            format!(
                "/disclosures?state={state_param}&outgoing_from={from}&incoming_from={incoming_from}#h-outgoing"
            )
        },
    );
    let incoming = table(
        (
            "incoming",
            "Requests to approve",
            "Requested by",
            "No partner has asked this node",
        ),
        incoming_all,
        &filter,
        incoming_from,
        |from| {
            format!(
                "/disclosures?state={state_param}&outgoing_from={outgoing_from}&incoming_from={from}#h-incoming"
            )
        },
    );
    page(&DisclosuresPage {
        can_decide: user.chrome.has_any(DECIDING_ROLES),
        chrome: user.chrome,
        tables: vec![outgoing, incoming],
        state: filter,
        states: STATES,
    })
}

/// One field of a disclosed record, flattened to its path (`names[0].full`).
struct RecordField {
    path: String,
    value: String,
}

/// Most fields a disclosed record shows; a record is small, this only bounds a partner's odd one.
const MAX_FIELDS: usize = 400;

fn flatten(value: &Value, path: &str, out: &mut Vec<RecordField>) {
    if out.len() >= MAX_FIELDS {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(inner, &path, out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                flatten(inner, &format!("{path}[{i}]"), out);
            }
        }
        Value::Null => {}
        Value::String(text) => out.push(RecordField {
            path: path.to_owned(),
            value: text.clone(),
        }),
        other => out.push(RecordField {
            path: path.to_owned(),
            value: other.to_string(),
        }),
    }
}

/// What the page shows of a disclosed record: its handling, retention, fields and where to open it.
struct Disclosed {
    record_type: String,
    id: String,
    handling: String,
    handling_meaning: &'static str,
    conditions: Option<String>,
    retain_until: Option<String>,
    fields: Vec<RecordField>,
    href: Option<String>,
}

fn disclosed(record: &Value, purpose: &str) -> Disclosed {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let record_type = text(&record["type"]).unwrap_or_default();
    let id = text(&record["id"]).unwrap_or_default();
    let handling = text(&record["handling"]["code"]).unwrap_or_else(|| "H1".to_owned());
    let mut fields = Vec::new();
    if let Some(map) = record.as_object() {
        for (key, value) in map {
            // Shown on their own above the fields.
            if matches!(
                key.as_str(),
                "type" | "id" | "owner" | "handling" | "retain_until"
            ) {
                continue;
            }
            flatten(value, key, &mut fields);
        }
    }
    // The foreign record's id is `<partner>:<id>`; `:` is kept as it reads in the address bar.
    let href = (!record_type.is_empty() && !id.is_empty()).then(|| {
        format!(
            "/records/{}/{}?purpose={}",
            encode_component(&record_type),
            encode_component(&id).replace("%3A", ":"),
            encode_component(purpose)
        )
    });
    Disclosed {
        handling_meaning: handling_meaning(&handling),
        conditions: text(&record["handling"]["conditions"]),
        retain_until: text(&record["retain_until"]),
        record_type,
        id,
        handling,
        fields,
        href,
    }
}

#[derive(Template)]
#[template(path = "disclosure.html")]
struct DisclosurePage {
    chrome: Chrome,
    request: DisclosureBody,
    purpose: String,
    created_at: String,
    decided_at: Option<String>,
    can_decide: bool,
    record: Option<Disclosed>,
    error: Option<String>,
    reason: String,
}

async fn render(
    state: &AppState,
    user: WebUser,
    id: &str,
    error: Option<String>,
    reason: String,
) -> Result<Response, WebError> {
    let request = disclosures::get(&state.node, &user.caller, id).await?;
    let can_decide = request.direction == DIRECTION_INCOMING
        && request.state == DISCLOSURE_PENDING
        && user.chrome.has_any(DECIDING_ROLES);
    let record = match (&request.record, request.state.as_str()) {
        (Some(record), DISCLOSURE_APPROVED) => Some(disclosed(record, &request.purpose)),
        _ => None,
    };
    let failed = error.is_some();
    let mut response = page(&DisclosurePage {
        chrome: user.chrome,
        purpose: words(&request.purpose),
        created_at: short_time(&request.created_at),
        decided_at: request.decided_at.as_deref().map(short_time),
        can_decide,
        record,
        error,
        reason,
        request,
    })?;
    if failed {
        *response.status_mut() = StatusCode::CONFLICT;
    }
    Ok(response)
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    render(&state, user, &id, None, String::new()).await
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    state: &AppState,
    user: WebUser,
    headers: &HeaderMap,
    id: &str,
    form: DecisionForm,
    approve: bool,
) -> Result<Response, WebError> {
    user.check_csrf(
        headers,
        (!form._csrf.is_empty()).then_some(form._csrf.as_str()),
    )?;
    let reason = form.reason.trim();
    if !approve && reason.is_empty() {
        return render(
            state,
            user,
            id,
            Some("Reason for refusing: say why, the partner sees it".to_owned()),
            form.reason,
        )
        .await;
    }
    let reason = (!reason.is_empty()).then_some(reason);
    match disclosures::decide_request(&state.node, &user.caller, id, approve, reason).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/disclosures/{}", encode_component(id))).into_response())
        }
        Err(error) => {
            let (_, message) = form_error(error)?;
            render(state, user, id, Some(message), form.reason).await
        }
    }
}

async fn approve(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    decide(&state, user, &headers, &id, form, true).await
}

async fn refuse(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    decide(&state, user, &headers, &id, form, false).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_disclosed_record_reads_field_by_field_with_its_owners_code() {
        let record = serde_json::json!({
            "type": "person", "id": "node-b:p1", "owner": "node-b",
            "names": [{"full": "Владимир Щербаков", "kind": "primary"}],
            "birth_dates": ["1975-03-14"],
            "handling": {"code": "H2", "distribution": "national"},
            "retain_until": "2031-01-01"
        });
        let shown = disclosed(&record, "criminal_investigation");
        assert_eq!(shown.handling, "H2");
        assert_eq!(shown.retain_until.as_deref(), Some("2031-01-01"));
        assert_eq!(
            shown.href.as_deref(),
            Some("/records/person/node-b:p1?purpose=criminal_investigation")
        );
        let mut paths: Vec<&str> = shown.fields.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["birth_dates[0]", "names[0].full", "names[0].kind"]);
    }
}
