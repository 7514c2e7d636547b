//! Legal cooperation requests: the worklist with deadline badges and filters, the form that drafts a request
//! of any kind (with a dual-criminality check per offence), and one request with its deadlines, timeline,
//! the actions this node's side may take now, and its evidence with the chain of custody.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use liaison_core::legal::{RequestKind, RequestState};
use liaison_proto::legal::{
    Authority, DualCriminalityQuery, EvidenceBody, LegalActionBody, LegalOffence, LegalPerson,
    LegalRequestBody, LegalRequestForm, PERSON_ROLES,
};
use liaison_store::{LEGAL_SIDE_EXECUTING, LEGAL_SIDE_REQUESTING};
use serde::Deserialize;

use super::messages::{PartnerChoice, active_partners, byte_size, form_error, words};
use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::legal::{self, ListQuery};
use crate::services::{ServiceError, evidence, offences};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/legal", get(list))
        .route("/legal/new", get(new_form).post(submit_form))
        .route("/legal/new/dual-criminality", post(check_dual_criminality))
        .route("/legal/{id}", get(show))
        .route("/legal/{id}/actions/{action}", post(act))
        .route("/legal/{id}/evidence", post(add_evidence))
        .route(
            "/legal/{id}/evidence/{evidence_id}/send",
            post(send_evidence),
        )
}

/// Requests per page of the worklist.
const PAGE: usize = 50;

/// What each kind of request is called on paper.
fn kind_title(kind: &str) -> String {
    RequestKind::parse(kind)
        .map(|k| k.title().to_owned())
        .unwrap_or_else(|_| words(kind))
}

/// The words of a deadline badge.
fn due_label(status: &str) -> String {
    match status {
        "none" => "no deadline running".to_owned(),
        "unknown" => "not running yet".to_owned(),
        other => words(other),
    }
}

/// How long is left (or how late it is) in words.
fn hours_label(hours: Option<i64>) -> String {
    match hours {
        None => String::new(),
        Some(h) if h < 0 => format!("{} late", span(-h)),
        Some(h) => format!("{} left", span(h)),
    }
}

fn span(hours: i64) -> String {
    if hours < 48 {
        format!("{hours} h")
    } else {
        format!("{} days", hours / 24)
    }
}

struct Choice {
    value: String,
    label: String,
}

fn kind_choices() -> Vec<Choice> {
    RequestKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: kind_title(k.as_str()),
        })
        .collect()
}

fn state_choices() -> Vec<Choice> {
    RequestState::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: words(s.as_str()),
        })
        .collect()
}

// ----- the worklist -----

struct ListRow {
    id: String,
    kind: String,
    urgent: bool,
    case_ref: Option<String>,
    side: String,
    partner: String,
    state: String,
    state_label: String,
    /// The badge's class: the status, except that a request with no deadline running is shown in grey.
    due_status: String,
    due_label: String,
    next_due: Option<String>,
    left: String,
    created_at: String,
}

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    overdue: Option<String>,
    due: Option<String>,
    side: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    partner: Option<String>,
    from: Option<String>,
}

#[derive(Template)]
#[template(path = "legal_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ListRow>,
    total: usize,
    from: usize,
    overdue: bool,
    due: String,
    side: String,
    kind: String,
    state: String,
    partner: String,
    kinds: Vec<Choice>,
    states: Vec<Choice>,
    partners: Vec<PartnerChoice>,
    due_choices: &'static [(&'static str, &'static str)],
    error: Option<String>,
    older_href: Option<String>,
    newer_href: Option<String>,
}

/// The "due within" choices, in hours.
const DUE_WITHIN: &[(&str, &str)] = &[
    ("24", "24 hours"),
    ("72", "72 hours"),
    ("168", "7 days"),
    ("720", "30 days"),
];

fn trimmed(text: Option<String>) -> String {
    text.map(|t| t.trim().to_owned()).unwrap_or_default()
}

fn some(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    let overdue = matches!(params.overdue.as_deref(), Some("1" | "true" | "on"));
    let due = trimmed(params.due);
    let side = trimmed(params.side);
    let kind = trimmed(params.kind);
    let request_state = trimmed(params.state);
    let partner = trimmed(params.partner);
    let from = match params.from.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| WebError::bad_request(format!("`from`: `{text}` is not a row number")))?,
    };
    let mut error = None;
    let due_within_hours = match due.as_str() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(hours) => Some(hours),
            Err(_) => {
                error = Some(format!("Due within: `{text}` is not a number of hours"));
                None
            }
        },
    };
    let query = ListQuery {
        overdue,
        due_within_hours,
        side: some(&side),
        kind: some(&kind),
        state: some(&request_state),
        partner: some(&partner),
    };
    let requests = if error.is_some() {
        Vec::new()
    } else {
        match legal::list(&state.node, &user.caller, &query).await {
            Ok(list) => list.requests,
            Err(e) => {
                let (field, message) = form_error(e)?;
                error = Some(match field {
                    Some(field) => format!("{}: {message}", words(&field)),
                    None => message,
                });
                Vec::new()
            }
        }
    };
    let total = requests.len();
    let rows = requests
        .into_iter()
        .skip(from)
        .take(PAGE)
        .map(|r| {
            let left = r
                .deadlines
                .iter()
                .filter(|d| d.due.is_some() && d.due == r.next_due)
                .find_map(|d| d.hours_left)
                .map(Some)
                .map(hours_label)
                .unwrap_or_default();
            ListRow {
                kind: kind_title(&r.kind),
                urgent: r.urgent,
                case_ref: r.case_ref,
                side: r.side,
                partner: r.partner,
                state_label: words(&r.state),
                state: r.state,
                due_label: due_label(&r.due_status),
                due_status: if r.due_status == "none" {
                    "stopped".to_owned()
                } else {
                    r.due_status
                },
                next_due: r.next_due.as_deref().map(short_time),
                left,
                created_at: short_time(&r.created_at),
                id: r.id,
            }
        })
        .collect();
    let link = |from: usize| {
        format!(
            "/legal?overdue={}&due={}&side={}&kind={}&state={}&partner={}&from={from}",
            if overdue { "1" } else { "" },
            encode_component(&due),
            encode_component(&side),
            encode_component(&kind),
            encode_component(&request_state),
            encode_component(&partner),
        )
    };
    let older_href = (from + PAGE < total).then(|| link(from + PAGE));
    let newer_href = (from > 0).then(|| link(from.saturating_sub(PAGE)));
    let failed = error.is_some();
    let mut response = page(&ListPage {
        partners: active_partners(&state).await?,
        chrome: user.chrome,
        rows,
        total,
        from,
        overdue,
        due,
        side,
        kind,
        state: request_state,
        partner,
        kinds: kind_choices(),
        states: state_choices(),
        due_choices: DUE_WITHIN,
        error,
        older_href,
        newer_href,
    })?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

// ----- the form -----

#[derive(Debug, Clone, Default)]
struct PersonValues {
    name: String,
    birth_date: String,
    nationality: String,
    role: String,
    documents: String,
}

impl PersonValues {
    fn is_empty(&self) -> bool {
        [
            &self.name,
            &self.birth_date,
            &self.nationality,
            &self.role,
            &self.documents,
        ]
        .iter()
        .all(|t| t.trim().is_empty())
    }
}

/// The answer of a dual-criminality check, as shown under its offence.
struct DualCheck {
    result: String,
    label: String,
    reasons: Vec<String>,
    error: Option<String>,
}

#[derive(Default)]
struct OffenceValues {
    iccs: String,
    national_name: String,
    national_code: String,
    max_penalty_years: String,
    listed_category: String,
    check: Option<DualCheck>,
}

impl OffenceValues {
    fn is_empty(&self) -> bool {
        [
            &self.iccs,
            &self.national_name,
            &self.national_code,
            &self.max_penalty_years,
            &self.listed_category,
        ]
        .iter()
        .all(|t| t.trim().is_empty())
    }
}

/// Everything the form holds as typed, so a refused form comes back as the user left it.
#[derive(Default)]
struct FormValues {
    kind: String,
    executing_node: String,
    urgent: bool,
    urgency_reason: String,
    case_ref: String,
    requesting_name: String,
    requesting_country: String,
    requesting_contact: String,
    executing_name: String,
    executing_country: String,
    executing_contact: String,
    persons: Vec<PersonValues>,
    offences: Vec<OffenceValues>,
    facts: String,
    measures: String,
    availability: String,
    target_date: String,
    related_alert: String,
}

/// The submitted fields, repeated names (one per person or offence row) kept in order.
struct Submitted {
    fields: HashMap<String, Vec<String>>,
}

impl Submitted {
    fn new(pairs: Vec<(String, String)>) -> Submitted {
        let mut fields: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            fields.entry(name).or_default().push(value);
        }
        Submitted { fields }
    }

    fn one(&self, name: &str) -> String {
        self.fields
            .get(name)
            .and_then(|values| values.first())
            .cloned()
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> &[String] {
        self.fields.get(name).map(Vec::as_slice).unwrap_or_default()
    }

    /// Row `i` of a repeated field (empty when the row did not send it).
    fn at(&self, name: &str, i: usize) -> String {
        self.all(name).get(i).cloned().unwrap_or_default()
    }

    fn rows(&self, names: &[&str]) -> usize {
        names.iter().map(|n| self.all(n).len()).max().unwrap_or(0)
    }
}

const PERSON_FIELDS: &[&str] = &[
    "person_name",
    "person_birth_date",
    "person_nationality",
    "person_role",
    "person_documents",
];
const OFFENCE_FIELDS: &[&str] = &[
    "offence_iccs",
    "offence_national_name",
    "offence_national_code",
    "offence_max_penalty_years",
    "offence_listed_category",
];

/// Most person or offence rows the form takes (the request itself allows 100 of each).
const MAX_ROWS: usize = 100;

impl FormValues {
    fn from_submitted(form: &Submitted) -> FormValues {
        let persons = (0..form.rows(PERSON_FIELDS).min(MAX_ROWS))
            .map(|i| PersonValues {
                name: form.at("person_name", i),
                birth_date: form.at("person_birth_date", i),
                nationality: form.at("person_nationality", i),
                role: form.at("person_role", i),
                documents: form.at("person_documents", i),
            })
            .collect();
        let offences = (0..form.rows(OFFENCE_FIELDS).min(MAX_ROWS))
            .map(|i| OffenceValues {
                iccs: form.at("offence_iccs", i),
                national_name: form.at("offence_national_name", i),
                national_code: form.at("offence_national_code", i),
                max_penalty_years: form.at("offence_max_penalty_years", i),
                listed_category: form.at("offence_listed_category", i),
                check: None,
            })
            .collect();
        FormValues {
            kind: form.one("kind"),
            executing_node: form.one("executing_node"),
            urgent: !form.one("urgent").is_empty(),
            urgency_reason: form.one("urgency_reason"),
            case_ref: form.one("case_ref"),
            requesting_name: form.one("requesting_name"),
            requesting_country: form.one("requesting_country"),
            requesting_contact: form.one("requesting_contact"),
            executing_name: form.one("executing_name"),
            executing_country: form.one("executing_country"),
            executing_contact: form.one("executing_contact"),
            persons,
            offences,
            facts: form.one("facts"),
            measures: form.one("measures"),
            availability: form.one("availability"),
            target_date: form.one("target_date"),
            related_alert: form.one("related_alert"),
        }
    }

    /// The rows the user filled in, with their place on the page: the request's `persons[i]` is the
    /// page's row `persons_at[i]`.
    fn filled_rows(&self) -> (Vec<usize>, Vec<usize>) {
        let persons = (0..self.persons.len())
            .filter(|&i| !self.persons[i].is_empty())
            .collect();
        let offences = (0..self.offences.len())
            .filter(|&i| !self.offences[i].is_empty())
            .collect();
        (persons, offences)
    }

    /// The request form, or the field (as the request names it) that cannot become one.
    fn to_request(&self) -> Result<LegalRequestForm, (String, String)> {
        let (person_rows, offence_rows) = self.filled_rows();
        let persons = person_rows
            .iter()
            .map(|&row| {
                let p = &self.persons[row];
                LegalPerson {
                    name: p.name.trim().to_owned(),
                    birth_date: some(&p.birth_date),
                    nationality: some(&p.nationality).map(|n| n.to_uppercase()),
                    role: some(&p.role),
                    documents: p.documents.split([',', ';']).filter_map(some).collect(),
                    record: None,
                }
            })
            .collect();
        let mut offences = Vec::new();
        for (i, &row) in offence_rows.iter().enumerate() {
            let o = &self.offences[row];
            let years = o.max_penalty_years.trim();
            let max_penalty_years = if years.is_empty() {
                return Err((
                    format!("offences[{i}].max_penalty_years"),
                    "give the maximum custodial sentence in whole years".to_owned(),
                ));
            } else {
                years.parse::<u32>().map_err(|_| {
                    (
                        format!("offences[{i}].max_penalty_years"),
                        format!("`{years}` is not a whole number of years"),
                    )
                })?
            };
            offences.push(LegalOffence {
                iccs: o.iccs.trim().to_owned(),
                national_name: o.national_name.trim().to_owned(),
                national_code: some(&o.national_code),
                max_penalty_years,
                listed_category: some(&o.listed_category),
            });
        }
        let executing_authority = if [
            &self.executing_name,
            &self.executing_country,
            &self.executing_contact,
        ]
        .iter()
        .all(|t| t.trim().is_empty())
        {
            None
        } else {
            Some(Authority {
                name: self.executing_name.trim().to_owned(),
                country: some(&self.executing_country),
                contact: some(&self.executing_contact),
            })
        };
        Ok(LegalRequestForm {
            kind: self.kind.trim().to_owned(),
            executing_node: self.executing_node.trim().to_owned(),
            urgent: self.urgent,
            urgency_reason: some(&self.urgency_reason),
            case_ref: some(&self.case_ref),
            requesting_authority: Authority {
                name: self.requesting_name.trim().to_owned(),
                country: some(&self.requesting_country),
                contact: some(&self.requesting_contact),
            },
            executing_authority,
            persons,
            offences,
            facts: self.facts.clone(),
            measures: self.measures.lines().filter_map(some).collect(),
            availability: some(&self.availability),
            target_date: some(&self.target_date),
            related_alert: some(&self.related_alert),
        })
    }
}

/// Where on the page a field the request names is: `offences[0].iccs` → the offence row's input id and
/// the words for it.
struct FieldPlace {
    input_id: String,
    label: String,
}

fn place_of(field: &str, values: &FormValues) -> FieldPlace {
    let (person_rows, offence_rows) = values.filled_rows();
    let indexed = |prefix: &str| -> Option<(usize, String)> {
        let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
        let (index, rest) = rest.split_once(']')?;
        let index = index.parse().ok()?;
        Some((index, rest.trim_start_matches('.').to_owned()))
    };
    if let Some((i, sub)) = indexed("persons") {
        let row = person_rows.get(i).copied().unwrap_or(i);
        let (id, words) = match sub.as_str() {
            "birth_date" => ("birth_date", "date of birth"),
            "nationality" => ("nationality", "nationality"),
            "role" => ("role", "role"),
            "documents" => ("documents", "documents"),
            _ => ("name", "name"),
        };
        return FieldPlace {
            input_id: format!("person-{row}-{id}"),
            label: format!("Person {}, {words}", row + 1),
        };
    }
    if let Some((i, sub)) = indexed("offences") {
        let row = offence_rows.get(i).copied().unwrap_or(i);
        let (id, words) = match sub.as_str() {
            "national_name" => ("national_name", "offence in national law"),
            "national_code" => ("national_code", "article"),
            "max_penalty_years" => ("max_penalty_years", "maximum penalty"),
            "listed_category" => ("listed_category", "listed category"),
            _ => ("iccs", "ICCS code"),
        };
        return FieldPlace {
            input_id: format!("offence-{row}-{id}"),
            label: format!("Offence {}, {words}", row + 1),
        };
    }
    if let Some((i, _)) = indexed("measures") {
        return FieldPlace {
            input_id: "measures".to_owned(),
            label: format!("Measures, line {}", i + 1),
        };
    }
    let (id, label) = match field {
        "kind" => ("kind", "Kind of request"),
        "executing_node" => ("executing_node", "Executing node"),
        "urgency_reason" => ("urgency_reason", "Why it is urgent"),
        "case_ref" => ("case_ref", "Case reference"),
        "requesting_authority.name" => ("requesting_name", "Requesting authority"),
        "executing_authority.name" => ("executing_name", "Executing authority"),
        "persons" => ("person-0-name", "Persons"),
        "offences" => ("offence-0-iccs", "Offences"),
        "facts" => ("facts", "Facts"),
        "measures" => ("measures", "Measures"),
        "availability" => ("availability", "Availability"),
        "target_date" => ("target_date", "Target date"),
        "related_alert" => ("related_alert", "Related alert"),
        other => (other, other),
    };
    FieldPlace {
        input_id: id.to_owned(),
        label: label.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "legal_new.html")]
struct NewPage {
    chrome: Chrome,
    values: FormValues,
    kinds: Vec<Choice>,
    partners: Vec<PartnerChoice>,
    person_roles: Vec<Choice>,
    categories: Vec<Choice>,
    iccs_codes: Vec<Choice>,
    error: Option<String>,
    invalid_input: String,
}

/// The attributes that tie an input the node refused to the error message.
const INVALID_ATTRIBUTES: &str = " aria-invalid=\"true\" aria-describedby=\"form-error\"";

impl NewPage {
    fn aria(&self, input_id: &str) -> &'static str {
        if self.invalid_input == input_id {
            INVALID_ATTRIBUTES
        } else {
            ""
        }
    }

    fn aria_row(&self, block: &str, row: impl std::fmt::Display, field: &str) -> &'static str {
        self.aria(&format!("{block}-{row}-{field}"))
    }
}

async fn new_page(
    state: &AppState,
    chrome: Chrome,
    mut values: FormValues,
    error: Option<(String, String)>,
) -> Result<NewPage, WebError> {
    if values.persons.is_empty() {
        values.persons.push(PersonValues::default());
    }
    if values.offences.is_empty() {
        values.offences.push(OffenceValues::default());
    }
    let iccs = offences::iccs();
    let categories = iccs
        .listed_categories
        .iter()
        .map(|c| Choice {
            value: c.id.clone(),
            label: format!("{}. {}", c.number, c.name),
        })
        .collect();
    let iccs_codes = iccs
        .sections
        .iter()
        .chain(iccs.divisions.iter())
        .map(|e| Choice {
            value: e.code.clone(),
            label: e.name.clone(),
        })
        .collect();
    let (error, invalid_input) = match error {
        Some((input_id, message)) => (Some(message), input_id),
        None => (None, String::new()),
    };
    Ok(NewPage {
        chrome,
        values,
        kinds: kind_choices(),
        partners: active_partners(state).await?,
        person_roles: PERSON_ROLES
            .iter()
            .map(|r| Choice {
                value: (*r).to_owned(),
                label: words(r),
            })
            .collect(),
        categories,
        iccs_codes,
        error,
        invalid_input,
    })
}

#[derive(Debug, Deserialize)]
struct NewParams {
    kind: Option<String>,
    executing_node: Option<String>,
    case_ref: Option<String>,
    related_alert: Option<String>,
}

async fn new_form(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<NewParams>,
) -> Result<Response, WebError> {
    let values = FormValues {
        kind: trimmed(params.kind),
        executing_node: trimmed(params.executing_node),
        case_ref: trimmed(params.case_ref),
        related_alert: trimmed(params.related_alert),
        ..FormValues::default()
    };
    page(&new_page(&state, user.chrome, values, None).await?)
}

/// The submitted CSRF token, when the form carried one (htmx sends it as a header instead).
fn csrf_field(form: &Submitted) -> Option<String> {
    some(&form.one("_csrf"))
}

async fn submit_form(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = Submitted::new(pairs);
    user.check_csrf(&headers, csrf_field(&form).as_deref())?;
    let mut values = FormValues::from_submitted(&form);
    // Without a script, "add a row" and "check dual criminality" submit the whole form here.
    match form.one("add").as_str() {
        "person" if values.persons.len() < MAX_ROWS => {
            values.persons.push(PersonValues::default());
            return page(&new_page(&state, user.chrome, values, None).await?);
        }
        "offence" if values.offences.len() < MAX_ROWS => {
            values.offences.push(OffenceValues::default());
            return page(&new_page(&state, user.chrome, values, None).await?);
        }
        _ => {}
    }
    if let Ok(row) = form.one("check").parse::<usize>() {
        let check = dual_check(&state, &user, &values, row).await?;
        if let Some(offence) = values.offences.get_mut(row) {
            offence.check = Some(check);
        }
        return page(&new_page(&state, user.chrome, values, None).await?);
    }
    let request = match values.to_request() {
        Ok(request) => request,
        Err((field, message)) => {
            return refused_form(&state, user.chrome, values, Some(field), message).await;
        }
    };
    match legal::create(&state.node, &user.caller, request).await {
        Ok(created) => {
            Ok(Redirect::to(&format!("/legal/{}", encode_component(&created.id))).into_response())
        }
        Err(error) => {
            let (field, message) = form_error(error)?;
            refused_form(&state, user.chrome, values, field, message).await
        }
    }
}

/// The form again, as the user left it, with what the node refused next to the field it names.
async fn refused_form(
    state: &AppState,
    chrome: Chrome,
    values: FormValues,
    field: Option<String>,
    message: String,
) -> Result<Response, WebError> {
    let error = match field {
        Some(field) => {
            let place = place_of(&field, &values);
            (place.input_id, format!("{}: {message}", place.label))
        }
        None => (String::new(), message),
    };
    let mut response = page(&new_page(state, chrome, values, Some(error)).await?)?;
    *response.status_mut() = StatusCode::BAD_REQUEST;
    Ok(response)
}

fn dual_label(result: &str) -> String {
    match result {
        "not_required" => "not required (listed category)".to_owned(),
        "satisfied" => "satisfied".to_owned(),
        "not_satisfied" => "not satisfied".to_owned(),
        "review" => "needs a lawyer's review".to_owned(),
        other => words(other),
    }
}

/// Checks offence row `row` against the chosen executing node's law.
async fn dual_check(
    state: &AppState,
    user: &WebUser,
    values: &FormValues,
    row: usize,
) -> Result<DualCheck, WebError> {
    let failed = |message: String| DualCheck {
        result: String::new(),
        label: String::new(),
        reasons: Vec::new(),
        error: Some(message),
    };
    let Some(offence) = values.offences.get(row) else {
        return Ok(failed(format!("there is no offence {}", row + 1)));
    };
    let executing_node = values.executing_node.trim();
    if executing_node.is_empty() {
        return Ok(failed(
            "Executing node: choose the node whose law decides".to_owned(),
        ));
    }
    if offence.iccs.trim().is_empty() {
        return Ok(failed("ICCS code: give the offence's ICCS code".to_owned()));
    }
    let years = offence.max_penalty_years.trim();
    let Ok(issuing_max_penalty_years) = years.parse::<u32>() else {
        return Ok(failed(format!(
            "Maximum penalty: `{years}` is not a whole number of years"
        )));
    };
    let query = DualCriminalityQuery {
        iccs: offence.iccs.trim().to_owned(),
        issuing_max_penalty_years,
        listed_category: some(&offence.listed_category),
        executing_node: executing_node.to_owned(),
    };
    match offences::dual_criminality(&state.node, &user.caller, &query).await {
        Ok(answer) => Ok(DualCheck {
            label: dual_label(&answer.result),
            result: answer.result,
            reasons: answer.reasons,
            error: None,
        }),
        Err(error) => {
            let (field, message) = form_error(error)?;
            Ok(failed(match field {
                Some(field) => format!("{}: {message}", words(&field)),
                None => message,
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "_dual_criminality.html")]
struct DualFragment {
    check: DualCheck,
}

#[derive(Debug, Deserialize)]
struct RowParam {
    row: Option<String>,
}

/// The htmx form of the check: the whole form is posted, the answer replaces the row's result region.
async fn check_dual_criminality(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(param): Query<RowParam>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = Submitted::new(pairs);
    user.check_csrf(&headers, csrf_field(&form).as_deref())?;
    let values = FormValues::from_submitted(&form);
    let text = param.row.unwrap_or_default();
    let check = match text.trim().parse::<usize>() {
        Ok(row) => dual_check(&state, &user, &values, row).await?,
        // Answered as a fragment, which htmx swaps in place: an error status would not be shown.
        Err(_) => DualCheck {
            result: String::new(),
            label: String::new(),
            reasons: Vec::new(),
            error: Some(format!("`row`: `{text}` is not an offence row number")),
        },
    };
    page(&DualFragment { check })
}

// ----- one request -----

struct DeadlineRow {
    name: String,
    due: Option<String>,
    status: String,
    status_label: String,
    left: String,
    rule: String,
}

struct TimelineRow {
    at: String,
    action: String,
    side: String,
    node: String,
    actor: String,
    state_after: String,
    detail: Option<String>,
}

struct CustodyRow {
    event: String,
    at: String,
    node: String,
    actor: String,
    note: Option<String>,
    verification: String,
    verification_detail: Option<String>,
}

struct EvidenceView {
    id: String,
    name: String,
    media_type: String,
    size: String,
    sha256: String,
    origin: String,
    added_by: String,
    created_at: String,
    status: String,
    status_detail: Option<String>,
    custody: Vec<CustodyRow>,
    can_send: bool,
    sent_at: Option<String>,
}

fn evidence_view(e: EvidenceBody, own_node: &str, shared: bool) -> EvidenceView {
    let sent_at = e
        .custody
        .iter()
        .rev()
        .find(|c| c.event.event == "sent" && c.event.node == own_node)
        .map(|c| short_time(&c.event.at));
    let custody = e
        .custody
        .into_iter()
        .map(|c| {
            let (verification, verification_detail) = match c.verification.split_once(':') {
                Some((head, why)) => (head.trim().to_owned(), Some(why.trim().to_owned())),
                None => (c.verification.clone(), None),
            };
            CustodyRow {
                event: c.event.event,
                at: short_time(&c.event.at),
                node: c.event.node,
                actor: c.event.actor,
                note: c.event.note,
                verification,
                verification_detail,
            }
        })
        .collect();
    EvidenceView {
        can_send: shared && e.origin == own_node,
        id: e.id,
        name: e.name,
        media_type: e.media_type,
        size: byte_size(e.size),
        sha256: e.sha256,
        origin: e.origin,
        added_by: e.added_by,
        created_at: short_time(&e.created_at),
        status: e.status,
        status_detail: e.status_detail,
        custody,
        sent_at,
    }
}

/// An action the user may take, with the fields it asks for.
struct ActionForm {
    name: String,
    title: String,
    help: &'static str,
    /// `grounds`, `note`, `date`, `target_date`, `extend` or `confirm`: which inputs the form shows.
    needs: &'static [&'static str],
    danger: bool,
}

fn action_form(name: &str, partner: &str) -> ActionForm {
    let (title, help, needs, danger): (String, &'static str, &'static [&'static str], bool) =
        match name {
            "send" => (
                format!("Send to {partner}"),
                "The request is signed and delivered; its deadlines start when the partner receives it.",
                &[],
                false,
            ),
            "acknowledge" => (
                "Acknowledge receipt".to_owned(),
                "Tells the requester the request arrived and is being handled.",
                &[],
                false,
            ),
            "request_information" => (
                "Request more information".to_owned(),
                "The deadlines stop until the requester supplies it.",
                &["note"],
                false,
            ),
            "supply_information" => (
                "Supply the information asked for".to_owned(),
                "The deadlines run again.",
                &["note"],
                false,
            ),
            "recognise" => (
                "Recognise the request".to_owned(),
                "The decision to execute; the execution deadline runs from now.",
                &["note"],
                false,
            ),
            "refuse" => (
                "Refuse the request".to_owned(),
                "State the grounds for refusal in the instrument.",
                &["grounds", "note"],
                true,
            ),
            "postpone" => (
                "Postpone execution".to_owned(),
                "Say why and until when.",
                &["note"],
                false,
            ),
            "execute" => (
                "Start execution".to_owned(),
                "The measures are being carried out.",
                &["note"],
                false,
            ),
            "complete" => (
                "Mark as executed".to_owned(),
                "Every measure was carried out; send the evidence below.",
                &["note"],
                false,
            ),
            "complete_partially" => (
                "Mark as partially executed".to_owned(),
                "Say what could not be done.",
                &["note"],
                false,
            ),
            "close" => (
                "Close the request".to_owned(),
                "Nothing more is expected; the request can no longer change.",
                &["note", "confirm"],
                true,
            ),
            "withdraw" => (
                "Withdraw the request".to_owned(),
                "The partner stops working on it; the request can no longer change.",
                &["note", "confirm"],
                true,
            ),
            "record_arrest" => (
                "Record the arrest".to_owned(),
                "The 60-day decision deadline runs from the arrest.",
                &["date"],
                false,
            ),
            "record_consent" => (
                "Record consent to surrender".to_owned(),
                "The 10-day decision deadline runs from the consent.",
                &["date"],
                false,
            ),
            "set_target_date" => (
                "Set the target date".to_owned(),
                "The date by which you ask the execution.",
                &["target_date"],
                false,
            ),
            "extend" => (
                "Extend a deadline".to_owned(),
                "The law allows extensions with reasons; the partner is told.",
                &["extend"],
                false,
            ),
            other => (words(other), "", &[], false),
        };
    ActionForm {
        name: name.to_owned(),
        title,
        help,
        needs,
        danger,
    }
}

impl ActionForm {
    fn needs(&self, input: &str) -> bool {
        self.needs.contains(&input)
    }
}

/// What an action form held, kept when the node refused it.
#[derive(Debug, Default, Deserialize)]
struct ActionValues {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    grounds: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

struct PersonView {
    name: String,
    birth_date: String,
    nationality: String,
    role: String,
    documents: String,
}

struct OffenceView {
    iccs: String,
    national_name: String,
    national_code: String,
    max_penalty_years: u32,
    listed_category: String,
}

#[derive(Template)]
#[template(path = "legal.html")]
struct RequestPage {
    chrome: Chrome,
    request: LegalRequestBody,
    kind_title: String,
    state_label: String,
    side_text: String,
    created_at: String,
    updated_at: String,
    deadlines: Vec<DeadlineRow>,
    deadline_names: Vec<String>,
    timeline: Vec<TimelineRow>,
    actions: Vec<ActionForm>,
    persons: Vec<PersonView>,
    offences: Vec<OffenceView>,
    evidence: Vec<EvidenceView>,
    open: bool,
    failed_action: String,
    action_error: Option<String>,
    action_values: ActionValues,
    evidence_error: Option<String>,
    evidence_note: String,
    notice: Option<String>,
}

impl RequestPage {
    fn failed(&self, action: &str) -> bool {
        self.failed_action == action
    }

    /// The value the failed action's form held for `field`, empty for the other forms.
    fn kept(&self, action: &str, field: &str) -> &str {
        if self.failed_action != action {
            return "";
        }
        let v = &self.action_values;
        match field {
            "grounds" => &v.grounds,
            "note" => &v.note,
            "date" => &v.date,
            "deadline" => &v.deadline,
            "days" => &v.days,
            "reason" => &v.reason,
            _ => "",
        }
    }
}

/// What went wrong on the request page, shown next to the form concerned.
#[derive(Default)]
struct PageProblem {
    failed_action: String,
    action_error: Option<String>,
    action_values: ActionValues,
    evidence_error: Option<String>,
    evidence_note: String,
}

async fn render_request(
    state: &AppState,
    user: WebUser,
    id: &str,
    problem: PageProblem,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let request = legal::get(&state.node, &user.caller, id).await?;
    let own = state.node.id.as_str().to_owned();
    let is_final = RequestState::ALL
        .iter()
        .any(|s| s.as_str() == request.state && s.is_final());
    let shared = request.state != RequestState::Draft.as_str();
    let deadlines = request
        .deadlines
        .iter()
        .map(|d| DeadlineRow {
            name: words(&d.name),
            due: d.due.as_deref().map(short_time),
            status_label: due_label(&d.status),
            status: d.status.clone(),
            left: hours_label(d.hours_left),
            rule: d.rule.clone(),
        })
        .collect();
    let mut deadline_names: Vec<String> =
        request.deadlines.iter().map(|d| d.name.clone()).collect();
    deadline_names.dedup();
    let timeline = request
        .timeline
        .iter()
        .map(|t| TimelineRow {
            at: short_time(&t.at),
            action: words(&t.action),
            side: t.side.clone(),
            node: t.node.clone(),
            actor: t.actor.clone(),
            state_after: words(&t.state_after),
            detail: t.detail.clone(),
        })
        .collect();
    let actions = request
        .allowed_actions
        .iter()
        .map(|a| action_form(a, &request.partner))
        .collect();
    let persons = request
        .form
        .persons
        .iter()
        .map(|p| PersonView {
            name: p.name.clone(),
            birth_date: p.birth_date.clone().unwrap_or_default(),
            nationality: p.nationality.clone().unwrap_or_default(),
            role: p.role.as_deref().map(words).unwrap_or_default(),
            documents: p.documents.join(", "),
        })
        .collect();
    let categories = offences::iccs().listed_categories;
    let offences = request
        .form
        .offences
        .iter()
        .map(|o| OffenceView {
            iccs: o.iccs.clone(),
            national_name: o.national_name.clone(),
            national_code: o.national_code.clone().unwrap_or_default(),
            max_penalty_years: o.max_penalty_years,
            listed_category: o
                .listed_category
                .as_deref()
                .map(|c| {
                    categories
                        .iter()
                        .find(|l| l.id == c || l.number.to_string() == c)
                        .map(|l| format!("{}. {}", l.number, l.name))
                        .unwrap_or_else(|| c.to_owned())
                })
                .unwrap_or_default(),
        })
        .collect();
    let evidence = request
        .evidence
        .clone()
        .into_iter()
        .map(|e| evidence_view(e, &own, shared && !is_final))
        .collect();
    let failed = problem.action_error.is_some() || problem.evidence_error.is_some();
    let mut response = page(&RequestPage {
        chrome: user.chrome,
        kind_title: kind_title(&request.kind),
        state_label: words(&request.state),
        side_text: side_words(&request.side, &request.partner),
        created_at: short_time(&request.created_at),
        updated_at: short_time(&request.updated_at),
        deadlines,
        deadline_names,
        timeline,
        actions,
        persons,
        offences,
        evidence,
        open: !is_final,
        failed_action: problem.failed_action,
        action_error: problem.action_error,
        action_values: problem.action_values,
        evidence_error: problem.evidence_error,
        evidence_note: problem.evidence_note,
        notice,
        request,
    })?;
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct ShowParams {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, WebError> {
    let notice = params.done.as_deref().map(|done| match done {
        "evidence_added" => {
            "Evidence added: its digest is taken and its custody chain started.".to_owned()
        }
        "evidence_sent" => "Evidence queued for the partner with its custody chain.".to_owned(),
        action => format!("Done: {}. The partner is told.", words(action)),
    });
    render_request(&state, user, &id, PageProblem::default(), notice).await
}

fn request_href(id: &str, done: &str) -> String {
    format!(
        "/legal/{}?done={}",
        encode_component(id),
        encode_component(done)
    )
}

async fn act(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(values): Form<ActionValues>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, some(&values._csrf).as_deref())?;
    let refused = |message: String, values: ActionValues| PageProblem {
        failed_action: action.clone(),
        action_error: Some(message),
        action_values: values,
        ..PageProblem::default()
    };
    if matches!(action.as_str(), "close" | "withdraw") && values.confirm.is_empty() {
        let problem = refused(
            format!(
                "Tick the box to confirm that you {} the request: this cannot be undone",
                action
            ),
            values,
        );
        return render_request(&state, user, &id, problem, None).await;
    }
    let days = match values.days.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(days) => Some(days),
            Err(_) => {
                let problem = refused(format!("Days: `{text}` is not a whole number"), values);
                return render_request(&state, user, &id, problem, None).await;
            }
        },
    };
    let body = LegalActionBody {
        grounds: some(&values.grounds),
        note: some(&values.note),
        date: some(&values.date),
        deadline: some(&values.deadline),
        days,
        reason: some(&values.reason),
    };
    match legal::act(&state.node, &user.caller, &id, &action, &body).await {
        Ok(_) => Ok(Redirect::to(&request_href(&id, &action)).into_response()),
        Err(ServiceError::NotFound(message)) if message.starts_with("no legal request") => {
            Err(ServiceError::NotFound(message).into())
        }
        Err(error) => {
            let message = match form_error(error)? {
                (Some(field), message) => format!("{}: {message}", action_field_label(&field)),
                (None, message) => message,
            };
            render_request(&state, user, &id, refused(message, values), None).await
        }
    }
}

fn action_field_label(field: &str) -> String {
    match field {
        "grounds" => "Grounds for refusal".to_owned(),
        "note" => "Note".to_owned(),
        "date" => "Date".to_owned(),
        "deadline" => "Deadline".to_owned(),
        "days" => "Days".to_owned(),
        "reason" => "Reason".to_owned(),
        other => words(other),
    }
}

async fn add_evidence(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request(format!("the form could not be read: {e}"))
    };
    let mut csrf = String::new();
    let mut note = String::new();
    let mut file: Option<(String, String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                    .unwrap_or_default();
                let media_type = field
                    .content_type()
                    .filter(|t| !t.is_empty())
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, media_type, bytes.to_vec()));
            }
            "_csrf" => csrf = field.text().await.map_err(unreadable)?,
            "note" => note = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    user.check_csrf(&headers, some(&csrf).as_deref())?;
    let problem = |message: String, note: String| PageProblem {
        evidence_error: Some(message),
        evidence_note: note,
        ..PageProblem::default()
    };
    let Some((name, media_type, bytes)) = file.filter(|(name, _, _)| !name.is_empty()) else {
        let problem = problem("File: choose the file to attach".to_owned(), note);
        return render_request(&state, user, &id, problem, None).await;
    };
    match evidence::add(
        &state.node,
        &user.caller,
        &id,
        &name,
        &media_type,
        &bytes,
        some(&note),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&request_href(&id, "evidence_added")).into_response()),
        Err(error) => {
            let message = match form_error(error)? {
                (Some(field), message) => {
                    let label = match field.as_str() {
                        "content" | "name" => "File",
                        "media_type" => "File type",
                        _ => "Evidence",
                    };
                    format!("{label}: {message}")
                }
                (None, message) => message,
            };
            render_request(&state, user, &id, problem(message, note), None).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    _csrf: String,
}

async fn send_evidence(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path((id, evidence_id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, some(&form._csrf).as_deref())?;
    match evidence::send_to_partner(&state.node, &user.caller, &id, &evidence_id).await {
        Ok(_) => Ok(Redirect::to(&request_href(&id, "evidence_sent")).into_response()),
        Err(error) => {
            let (_, message) = form_error(error)?;
            let problem = PageProblem {
                evidence_error: Some(format!("Sending the evidence: {message}")),
                ..PageProblem::default()
            };
            render_request(&state, user, &id, problem, None).await
        }
    }
}

/// This node's side in words.
fn side_words(side: &str, partner: &str) -> String {
    match side {
        LEGAL_SIDE_REQUESTING => format!("requesting: this node asks {partner}"),
        LEGAL_SIDE_EXECUTING => format!("executing: {partner} asks this node"),
        other => words(other),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn submitted(pairs: &[(&str, &str)]) -> Submitted {
        Submitted::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn repeated_rows_become_persons_and_offences_and_empty_rows_are_left_out() {
        let form = submitted(&[
            ("kind", "eaw"),
            ("executing_node", "node-b"),
            ("requesting_name", "Prosecutor"),
            ("person_name", ""),
            ("person_birth_date", ""),
            ("person_nationality", ""),
            ("person_role", ""),
            ("person_documents", ""),
            ("person_name", "Ivan Petrov"),
            ("person_birth_date", "1980"),
            ("person_nationality", "rus"),
            ("person_role", "requested_person"),
            ("person_documents", "P123, P456"),
            ("offence_iccs", "0701"),
            ("offence_national_name", "Fraud"),
            ("offence_national_code", ""),
            ("offence_max_penalty_years", "8"),
            ("offence_listed_category", "swindling"),
            ("facts", "What happened"),
            ("measures", "First\n\n  Second  \n"),
        ]);
        let values = FormValues::from_submitted(&form);
        let request = values.to_request().unwrap();
        assert_eq!(request.persons.len(), 1);
        assert_eq!(request.persons[0].nationality.as_deref(), Some("RUS"));
        assert_eq!(request.persons[0].documents, ["P123", "P456"]);
        assert_eq!(request.offences[0].max_penalty_years, 8);
        assert_eq!(request.measures, ["First", "Second"]);
        assert_eq!(request.executing_authority, None);
        // The request's persons[0] is the page's second row.
        let place = place_of("persons[0].birth_date", &values);
        assert_eq!(place.input_id, "person-1-birth_date");
        assert_eq!(place.label, "Person 2, date of birth");
    }

    #[test]
    fn a_penalty_that_is_not_a_number_names_its_row() {
        let form = submitted(&[
            ("offence_iccs", "0701"),
            ("offence_national_name", "Fraud"),
            ("offence_max_penalty_years", "eight"),
        ]);
        let (field, message) = FormValues::from_submitted(&form).to_request().unwrap_err();
        assert_eq!(field, "offences[0].max_penalty_years");
        assert!(message.contains("eight"), "{message}");
    }

    #[test]
    fn time_left_reads_in_hours_then_days() {
        assert_eq!(hours_label(Some(5)), "5 h left");
        assert_eq!(hours_label(Some(-1)), "1 h late");
        assert_eq!(hours_label(Some(72)), "3 days left");
        assert_eq!(hours_label(None), "");
    }

    #[test]
    fn every_user_action_has_a_button_that_says_what_it_does() {
        for name in legal::USER_ACTIONS {
            let form = action_form(name, "node-b");
            assert!(!form.help.is_empty(), "{name}");
            assert_ne!(form.title, words(name), "{name}");
        }
    }
}
