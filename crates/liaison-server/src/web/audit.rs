//! The audit pages for auditors: search the log by actor, object, action and period, page through it, prove
//! the chain intact, and export a search as CSV or JSON. Every search, verification and export goes through
//! `services::audit`, so reading the log is itself logged; an export adds an `audit.export` entry naming
//! its format and filter, because the entries then leave the node.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use liaison_proto::api::AuditEntryBody;
use liaison_store::{AuditEntry, AuditFilter};
use serde::Deserialize;

use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::audit::{self, Integrity};
use crate::services::{AuditEvent, ServiceError, record_audit};

/// Entries per page.
const PAGE: u32 = 50;
/// Most entries one export holds; a longer period is exported in parts (the file says when it was cut).
const EXPORT_LIMIT: u32 = 10_000;
/// Objects shown in a row before the rest fold away.
const SHOWN_OBJECTS: usize = 4;
/// Actions the search form suggests (the log holds others too).
const ACTIONS: &[&str] = &[
    "auth.login",
    "auth.logout",
    "record.read",
    "records.import",
    "records.export",
    "screen",
    "screen_manifest",
    "check_document",
    "review_hit",
    "federated_search",
    "federated_search.answer",
    "disclosure.request",
    "disclosure.decision",
    "disclosure.read",
    "message.send",
    "message.received",
    "legal.create",
    "legal.read",
    "graph.neighbourhood",
    "graph.paths",
    "graph.key_players",
    "graph.export",
    "user.create",
    "token.create",
    "token.revoke",
    "partner.add",
    "agreement.set",
    "audit.search",
    "audit.verify",
    "audit.export",
];

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit_page))
        .route("/audit/verify", post(verify))
        .route("/audit/export.csv", get(export_csv))
        .route("/audit/export.json", get(export_json))
}

/// The search form as typed; every field is text so a bad one is shown next to the form, not refused by
/// the extractor.
#[derive(Debug, Default, Clone, Deserialize)]
struct SearchForm {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    object: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    after: String,
}

impl SearchForm {
    /// The filter it asks for, or the field that is wrong and why.
    fn filter(&self, limit: u32) -> Result<AuditFilter, (&'static str, String)> {
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let from = day(&self.from).map_err(|e| ("from", e))?;
        let to = day(&self.to).map_err(|e| ("to", e))?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(("to", "the end of the period is before its start".to_owned()));
        }
        let after_seq = match self.after.trim() {
            "" => None,
            n => Some(
                n.parse::<i64>()
                    .map_err(|_| ("after", format!("`{n}` is not an entry number")))?,
            ),
        };
        Ok(AuditFilter {
            actor: text(&self.actor),
            action: text(&self.action),
            object: text(&self.object),
            from: from
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc()),
            // The form's end date is inclusive; the store's bound is exclusive.
            to: to
                .and_then(|d| d.checked_add_signed(Duration::days(1)))
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc()),
            after_seq,
            limit,
        })
    }

    /// The query string of this search without the page position, for links.
    fn query(&self) -> String {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object", &self.object),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// What the search asks for, in words, for the export's audit entry.
    fn described(&self) -> String {
        let parts: Vec<String> = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object", &self.object),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k} {}", v.trim()))
        .collect();
        if parts.is_empty() {
            "whole log".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

fn day(text: &str) -> Result<Option<NaiveDate>, String> {
    match text.trim() {
        "" => Ok(None),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("`{t}` is not a date (YYYY-MM-DD)")),
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// One entry as the results table shows it.
struct Row {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    objects: Vec<String>,
    more_objects: Vec<String>,
    purpose: String,
    case_ref: String,
    recipients: String,
    outcome: String,
    outcome_class: &'static str,
    detail: String,
}

/// Green for success, red for a refusal or failure, grey otherwise; the badge always carries the word.
fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "ok" | "answered" | "delivered" | "approved" => "outcome-ok",
        "denied" | "refused" | "failed" | "rejected" | "error" => "outcome-bad",
        _ => "outcome-other",
    }
}

impl Row {
    fn of(entry: AuditEntry) -> Row {
        let mut objects = entry.objects;
        let more_objects = if objects.len() > SHOWN_OBJECTS {
            objects.split_off(SHOWN_OBJECTS)
        } else {
            Vec::new()
        };
        Row {
            seq: entry.seq,
            at: short_time(&rfc3339(entry.at)),
            actor: entry.actor,
            action: entry.action,
            objects,
            more_objects,
            purpose: entry.purpose.unwrap_or_default().replace('_', " "),
            case_ref: entry.case_ref.unwrap_or_default(),
            recipients: entry.recipients.join(", "),
            outcome_class: outcome_class(&entry.outcome),
            outcome: entry.outcome.replace('_', " "),
            detail: entry.detail.unwrap_or_default(),
        }
    }
}

/// The result of a verification, ready to show.
pub(super) struct Verification {
    intact: bool,
    entries: u64,
    head_seq: String,
    head_hash: String,
    first_bad_entry: String,
    problem: String,
}

impl From<Integrity> for Verification {
    fn from(integrity: Integrity) -> Self {
        match integrity {
            Integrity::Intact {
                entries,
                head_seq,
                head_hash,
            } => Verification {
                intact: true,
                entries,
                head_seq: head_seq.map(|s| s.to_string()).unwrap_or_default(),
                head_hash: head_hash.unwrap_or_default(),
                first_bad_entry: String::new(),
                problem: String::new(),
            },
            Integrity::Broken {
                first_bad_entry,
                problem,
            } => Verification {
                intact: false,
                entries: 0,
                head_seq: String::new(),
                head_hash: String::new(),
                first_bad_entry: first_bad_entry.map(|s| s.to_string()).unwrap_or_default(),
                problem,
            },
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    form: SearchForm,
    actions: &'static [&'static str],
    error: Option<String>,
    searched: bool,
    rows: Vec<Row>,
    query: String,
    next_after: Option<i64>,
    paged: bool,
    verification: Option<Verification>,
}

#[derive(Template)]
#[template(path = "audit_verify.html")]
struct VerifyFragment {
    verification: Option<Verification>,
}

/// The search page. Without criteria it shows today's entries, so an auditor sees the day's activity at once.
async fn audit_page(
    State(state): State<AppState>,
    user: WebUser,
    Query(mut form): Query<SearchForm>,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    if uri.query().is_none_or(str::is_empty) {
        form.from = state.node.now().date_naive().format("%Y-%m-%d").to_string();
    }
    let mut view = AuditPage {
        chrome: user.chrome.clone(),
        query: form.query(),
        form,
        actions: ACTIONS,
        error: None,
        searched: false,
        rows: Vec::new(),
        next_after: None,
        paged: false,
        verification: None,
    };
    let filter = match view.form.filter(PAGE + 1) {
        Ok(filter) => filter,
        Err((field, problem)) => {
            if !user.chrome.has_any(&[liaison_core::Role::Auditor]) {
                // Let the service refuse (and log the refusal) rather than explain a form to a non-auditor.
                audit::search(&state.node, &user.caller, &AuditFilter::default()).await?;
            }
            view.error = Some(format!("{}: {problem}", field_label(field)));
            return bad_form(&view);
        }
    };
    view.paged = filter.after_seq.is_some();
    let mut entries = audit::search(&state.node, &user.caller, &filter).await?;
    if entries.len() > PAGE as usize {
        entries.truncate(PAGE as usize);
        view.next_after = entries.last().map(|e| e.seq);
    }
    view.rows = entries.into_iter().map(Row::of).collect();
    view.searched = true;
    page(&view)
}

fn field_label(field: &str) -> &'static str {
    match field {
        "from" => "From (date)",
        "to" => "To (date)",
        "after" => "Page position",
        _ => "Search",
    }
}

/// The form again with the error next to it; a 400 so scripts notice, with the page a person needs.
fn bad_form(view: &AuditPage) -> Result<Response, WebError> {
    let mut response = page(view)?;
    *response.status_mut() = StatusCode::BAD_REQUEST;
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    _csrf: String,
}

/// Verifies the chain: an htmx request gets the result as a fragment for the page's live region, a plain
/// form post the whole page with the result.
async fn verify(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    // htmx may send the token only in its header, with no form body at all.
    form: Result<axum::Form<CsrfForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    let token = form.map(|axum::Form(f)| f._csrf).unwrap_or_default();
    user.check_csrf(&headers, Some(token.as_str()).filter(|t| !t.is_empty()))?;
    let verification = Some(Verification::from(
        audit::verify(&state.node, &user.caller).await?,
    ));
    if headers.contains_key("hx-request") {
        return page(&VerifyFragment { verification });
    }
    page(&AuditPage {
        chrome: user.chrome,
        form: SearchForm::default(),
        actions: ACTIONS,
        error: None,
        searched: false,
        rows: Vec::new(),
        query: SearchForm::default().query(),
        next_after: None,
        paged: false,
        verification,
    })
}

/// Runs the export's search (audited by the service as a search) and logs the export itself.
async fn export_entries(
    state: &AppState,
    user: &WebUser,
    form: &SearchForm,
    format: &'static str,
) -> Result<(Vec<AuditEntry>, bool), WebError> {
    let mut filter = match form.filter(EXPORT_LIMIT + 1) {
        Ok(filter) => filter,
        Err((field, problem)) => {
            return Err(WebError::bad_request(format!(
                "{}: {problem}",
                field_label(field)
            )));
        }
    };
    // An export covers the whole search, not the page being looked at.
    filter.after_seq = None;
    let mut entries = audit::search(&state.node, &user.caller, &filter).await?;
    let truncated = entries.len() > EXPORT_LIMIT as usize;
    entries.truncate(EXPORT_LIMIT as usize);
    let event = AuditEvent::new("audit.export", "ok").detail(format!(
        "{format} of {} entries{}; {}",
        entries.len(),
        if truncated { " (cut at the limit)" } else { "" },
        form.described()
    ));
    record_audit(&state.node, &user.caller, event)
        .await
        .map_err(WebError::from)?;
    Ok((entries, truncated))
}

fn download(
    state: &AppState,
    content_type: &'static str,
    extension: &str,
    body: Vec<u8>,
) -> Response {
    let name = format!(
        "audit-{}-{}.{extension}",
        state.node.id.as_str(),
        state.node.now().format("%Y%m%dT%H%M%SZ")
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A spreadsheet would run a cell that starts with one of these as a formula; such cells get a leading `'`.
fn csv_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn csv_of(entries: &[AuditEntry]) -> Result<Vec<u8>, ServiceError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| ServiceError::Internal(format!("the csv export failed: {e}"));
    writer
        .write_record([
            "seq",
            "at",
            "node",
            "actor",
            "action",
            "objects",
            "purpose",
            "case_ref",
            "recipients",
            "outcome",
            "detail",
            "request_id",
            "prev_hash",
            "hash",
        ])
        .map_err(failed)?;
    for e in entries {
        writer
            .write_record([
                e.seq.to_string(),
                rfc3339(e.at),
                csv_cell(&e.node),
                csv_cell(&e.actor),
                csv_cell(&e.action),
                csv_cell(&e.objects.join(" ")),
                csv_cell(e.purpose.as_deref().unwrap_or_default()),
                csv_cell(e.case_ref.as_deref().unwrap_or_default()),
                csv_cell(&e.recipients.join(" ")),
                csv_cell(&e.outcome),
                csv_cell(e.detail.as_deref().unwrap_or_default()),
                csv_cell(e.request_id.as_deref().unwrap_or_default()),
                e.prev_hash.clone(),
                e.hash.clone(),
            ])
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| ServiceError::Internal(format!("the csv export failed: {e}")))
}

async fn export_csv(
    State(state): State<AppState>,
    user: WebUser,
    Query(form): Query<SearchForm>,
) -> Result<Response, WebError> {
    let (entries, _) = export_entries(&state, &user, &form, "csv").await?;
    let body = csv_of(&entries)?;
    Ok(download(&state, "text/csv; charset=utf-8", "csv", body))
}

async fn export_json(
    State(state): State<AppState>,
    user: WebUser,
    Query(form): Query<SearchForm>,
) -> Result<Response, WebError> {
    let (entries, truncated) = export_entries(&state, &user, &form, "json").await?;
    let bodies: Vec<serde_json::Value> = entries
        .into_iter()
        .map(|e| {
            serde_json::to_value(AuditEntryBody {
                seq: e.seq,
                at: rfc3339(e.at),
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
        })
        .collect::<Result<_, _>>()
        .map_err(|e| ServiceError::Internal(format!("the json export failed: {e}")))?;
    let document = serde_json::json!({
        "node": state.node.id.as_str(),
        "exported_at": rfc3339(state.node.now()),
        "filter": {
            "actor": form.actor.trim(),
            "action": form.action.trim(),
            "object": form.object.trim(),
            "from": form.from.trim(),
            "to": form.to.trim(),
        },
        "truncated": truncated,
        "entries": bodies,
    });
    let body = serde_json::to_vec_pretty(&document)
        .map_err(|e| ServiceError::Internal(format!("the json export failed: {e}")))?;
    Ok(download(
        &state,
        "application/json; charset=utf-8",
        "json",
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_date_is_inclusive_and_bad_dates_name_their_field() {
        let form = SearchForm {
            from: "2026-03-01".into(),
            to: "2026-03-01".into(),
            ..SearchForm::default()
        };
        let filter = form.filter(10).unwrap();
        assert_eq!(filter.to.unwrap() - filter.from.unwrap(), Duration::days(1));
        let bad = SearchForm {
            from: "1 March".into(),
            ..SearchForm::default()
        };
        assert_eq!(bad.filter(10).unwrap_err().0, "from");
        let reversed = SearchForm {
            from: "2026-03-02".into(),
            to: "2026-03-01".into(),
            ..SearchForm::default()
        };
        assert_eq!(reversed.filter(10).unwrap_err().0, "to");
        let page = SearchForm {
            after: "x".into(),
            ..SearchForm::default()
        };
        assert_eq!(page.filter(10).unwrap_err().0, "after");
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("person/p1"), "person/p1");
        assert_eq!(csv_cell(""), "");
    }
}
