//! Legal cooperation requests: drafted on the requesting node, sent to the executing node, moved through
//! their lifecycle by the side entitled to each action, every action signed, audited and mirrored on the
//! other side, with the deadlines the law sets computed from the events they run from.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use liaison_core::Role;
use liaison_core::legal::{
    Action, Availability, Deadline, DueStatus, Extension, IllegalTransition, Pause, RequestEvents,
    RequestKind, RequestState, Side, Urgency, deadlines, due_status, transition,
};
use liaison_proto::federation::{
    Envelope, KIND_LEGAL_ACTION, KIND_LEGAL_EVIDENCE, LegalActionMessage, LegalRequestMessage,
    decode, decode_payload, format_timestamp, parse_timestamp,
};
use liaison_proto::legal::{
    DeadlineBody, DeadlineEventsDoc, ExtensionDoc, LegalActionBody, LegalRequestBody,
    LegalRequestForm, LegalRequestList, LegalRequestSummary, PauseDoc, TimelineEntry,
    TurnaroundRow, TurnaroundStatistics,
};
use liaison_store::{
    LEGAL_SIDE_EXECUTING, LEGAL_SIDE_REQUESTING, LegalEventRow, LegalRequestFilter,
    LegalRequestRow, PARTNER_ACTIVE, PartnerRow,
};

use super::disclosures::send;
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Roles that draft and act on judicial requests (investigation orders, arrest warrants, MLA, extradition):
/// the central authority.
pub const JUDICIAL_ROLES: &[Role] = &[Role::Legal];
/// Roles that draft and act on police requests (information requests, hit follow-ups).
pub const POLICE_ROLES: &[Role] = &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal];
/// Roles that see legal requests.
pub const VIEW_ROLES: &[Role] = &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal];

/// The longest single extension of a deadline, in days.
pub const MAX_EXTENSION_DAYS: u32 = 365;
/// The farthest a due-soon list looks ahead, in hours (ten years).
pub const MAX_DUE_WITHIN_HOURS: u32 = 87_600;

/// Actions that record an event a deadline runs from, without moving the request's state.
pub const EVENT_ACTIONS: &[&str] = &[
    "record_arrest",
    "record_consent",
    "set_target_date",
    "extend",
];

/// Actions a user may ask for by name (receiving happens on delivery).
pub const USER_ACTIONS: &[&str] = &[
    "send",
    "acknowledge",
    "request_information",
    "supply_information",
    "recognise",
    "refuse",
    "postpone",
    "execute",
    "complete",
    "complete_partially",
    "close",
    "withdraw",
    "record_arrest",
    "record_consent",
    "set_target_date",
    "extend",
];

pub(crate) fn time(at: DateTime<Utc>) -> String {
    format_timestamp(at)
}

fn side_of(row: &LegalRequestRow) -> Side {
    if row.side == LEGAL_SIDE_EXECUTING {
        Side::Executing
    } else {
        Side::Requesting
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Requesting => LEGAL_SIDE_REQUESTING,
        Side::Executing => LEGAL_SIDE_EXECUTING,
    }
}

fn parse_state(text: &str) -> Result<RequestState, ServiceError> {
    RequestState::ALL
        .iter()
        .copied()
        .find(|state| state.as_str() == text)
        .ok_or_else(|| ServiceError::Internal(format!("stored request state `{text}` is unknown")))
}

fn parse_kind(text: &str) -> Result<RequestKind, ServiceError> {
    RequestKind::parse(text)
        .map_err(|e| ServiceError::Internal(format!("stored request kind: {e}")))
}

pub(crate) fn roles_for(kind: RequestKind) -> &'static [Role] {
    match kind {
        RequestKind::InformationRequest | RequestKind::HitFollowUp => POLICE_ROLES,
        RequestKind::Eio | RequestKind::Eaw | RequestKind::Mla | RequestKind::Extradition => {
            JUDICIAL_ROLES
        }
    }
}

fn form_of(row: &LegalRequestRow) -> Result<LegalRequestForm, ServiceError> {
    serde_json::from_str(&row.form)
        .map_err(|e| ServiceError::Internal(format!("stored request form: {e}")))
}

fn events_of(row: &LegalRequestRow) -> Result<DeadlineEventsDoc, ServiceError> {
    serde_json::from_str(&row.events)
        .map_err(|e| ServiceError::Internal(format!("stored request events: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|e| ServiceError::Internal(e.to_string()))
}

fn instant(text: &Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref().and_then(parse_timestamp)
}

/// The events in the shape the deadline rules read.
fn request_events(doc: &DeadlineEventsDoc) -> RequestEvents {
    let target_date = doc
        .target_date
        .as_deref()
        .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
        .and_then(|date| date.and_hms_opt(23, 59, 59))
        .map(|at| at.and_utc());
    RequestEvents {
        received: instant(&doc.received),
        arrested: instant(&doc.arrested),
        consented: instant(&doc.consented),
        recognised: instant(&doc.recognised),
        target_date,
        pauses: doc
            .pauses
            .iter()
            .filter_map(|pause| {
                Pause::new(
                    parse_timestamp(&pause.from)?,
                    pause.until.as_deref().and_then(parse_timestamp),
                    &pause.reason,
                )
                .ok()
            })
            .collect(),
        extensions: doc
            .extensions
            .iter()
            .filter_map(|e| Extension::new(&e.deadline, e.days, &e.reason).ok())
            .collect(),
    }
}

/// How many actions `side` has taken on a request since it was sent, by its timeline. What the requester
/// did to its draft (creating it, setting a target date) stays on its node and is not counted, so both
/// nodes count the same actions.
fn side_ordinal(timeline: &[LegalEventRow], side: &str) -> u32 {
    let count = timeline
        .iter()
        .filter(|event| event.side == side && event.state_after != RequestState::Draft.as_str())
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The actions that meet a deadline: the first of them in the timeline is when it was met.
fn meeting_actions(deadline: &str, kind: RequestKind) -> &'static [&'static str] {
    match (deadline, kind) {
        ("recognition", _) | ("surrender_decision", _) => &["recognise", "refuse"],
        _ => &["complete", "complete_partially", "refuse"],
    }
}

/// A deadline with where it stands: met (on time or late), stopped by a withdrawal, or still running.
struct Judged {
    deadline: Deadline,
    status: &'static str,
    hours_left: Option<i64>,
    running: bool,
}

fn judge(
    kind: RequestKind,
    state: RequestState,
    list: Vec<Deadline>,
    timeline: &[LegalEventRow],
    now: DateTime<Utc>,
) -> Vec<Judged> {
    list.into_iter()
        .map(|deadline| {
            let met = timeline
                .iter()
                .find(|event| meeting_actions(deadline.name, kind).contains(&event.action.as_str()))
                .map(|event| event.at);
            let hours_left = deadline.due.map(|due| {
                let minutes = (due - now).num_minutes();
                if minutes >= 0 {
                    (minutes + 59) / 60
                } else {
                    -((-minutes + 59) / 60)
                }
            });
            let (status, running) = match (met, deadline.due) {
                (Some(at), Some(due)) if at > due => ("met_late", false),
                (Some(_), _) => ("met", false),
                (None, _) if state.is_final() => ("stopped", false),
                (None, _) => match due_status(&deadline, now) {
                    DueStatus::Unknown => ("unknown", true),
                    DueStatus::OnTime => ("on_time", true),
                    DueStatus::DueSoon { .. } => ("due_soon", true),
                    DueStatus::Overdue { .. } => ("overdue", true),
                },
            };
            Judged {
                deadline,
                status,
                hours_left: if running { hours_left } else { None },
                running,
            }
        })
        .collect()
}

fn availability(form: &LegalRequestForm) -> Availability {
    match form.availability.as_deref() {
        Some("direct") => Availability::Direct,
        _ => Availability::Indirect,
    }
}

fn judged_deadlines(
    row: &LegalRequestRow,
    form: &LegalRequestForm,
    timeline: &[LegalEventRow],
    now: DateTime<Utc>,
) -> Result<Vec<Judged>, ServiceError> {
    let kind = parse_kind(&row.kind)?;
    let state = parse_state(&row.state)?;
    let urgency = if row.urgent {
        Urgency::Urgent
    } else {
        Urgency::Normal
    };
    let events = request_events(&events_of(row)?);
    let list = deadlines(kind, urgency, availability(form), &events);
    Ok(judge(kind, state, list, timeline, now))
}

fn deadline_bodies(judged: &[Judged]) -> Vec<DeadlineBody> {
    judged
        .iter()
        .map(|j| DeadlineBody {
            name: j.deadline.name.to_owned(),
            due: j.deadline.due.map(time),
            rule: j.deadline.rule.to_owned(),
            status: j.status.to_owned(),
            hours_left: j.hours_left,
        })
        .collect()
}

/// The worst status among the running deadlines.
fn worst_status(judged: &[Judged]) -> &'static str {
    let running: Vec<&str> = judged
        .iter()
        .filter(|j| j.running)
        .map(|j| j.status)
        .collect();
    ["overdue", "due_soon", "on_time", "unknown"]
        .into_iter()
        .find(|status| running.contains(status))
        .unwrap_or("none")
}

/// The actions `side` may take on a request in `state` now.
fn allowed_actions(
    kind: RequestKind,
    state: RequestState,
    side: Side,
    events: &DeadlineEventsDoc,
) -> Vec<String> {
    let mut allowed: Vec<String> = USER_ACTIONS
        .iter()
        .filter(|name| !EVENT_ACTIONS.contains(name))
        .filter_map(|name| state_action(name, Some("grounds")).ok())
        .filter(|action| transition(state, action, side).is_ok())
        .map(|action| action.as_str().to_owned())
        .collect();
    if state.is_final() || state == RequestState::Draft && side == Side::Executing {
        return allowed;
    }
    let shared = state != RequestState::Draft;
    if kind == RequestKind::Eaw && side == Side::Executing && shared {
        if events.arrested.is_none() {
            allowed.push("record_arrest".to_owned());
        }
        if events.consented.is_none() {
            allowed.push("record_consent".to_owned());
        }
    }
    if matches!(kind, RequestKind::Mla | RequestKind::Extradition) && side == Side::Requesting {
        allowed.push("set_target_date".to_owned());
    }
    if shared && extension_side(kind) == side {
        allowed.push("extend".to_owned());
    }
    allowed
}

/// Who may extend a deadline: the executing side for deadlines the law sets on it; the requester for the
/// target dates it sets.
fn extension_side(kind: RequestKind) -> Side {
    match kind {
        RequestKind::Mla | RequestKind::Extradition => Side::Requesting,
        _ => Side::Executing,
    }
}

/// The lifecycle action named `name` (`grounds` only matters for a refusal).
fn state_action(name: &str, grounds: Option<&str>) -> Result<Action, ServiceError> {
    Ok(match name {
        "send" => Action::Send,
        "receive" => Action::Receive,
        "acknowledge" => Action::Acknowledge,
        "request_information" => Action::RequestInformation,
        "supply_information" => Action::SupplyInformation,
        "recognise" => Action::Recognise,
        "refuse" => Action::Refuse {
            grounds: grounds.unwrap_or_default().to_owned(),
        },
        "postpone" => Action::Postpone,
        "execute" => Action::Execute,
        "complete" => Action::Complete,
        "complete_partially" => Action::CompletePartially,
        "close" => Action::Close,
        "withdraw" => Action::Withdraw,
        other => {
            return Err(ServiceError::NotFound(format!(
                "`{other}` is not an action on legal requests; the actions are: {}",
                USER_ACTIONS.join(", ")
            )));
        }
    })
}

fn timeline_entries(events: &[LegalEventRow]) -> Vec<TimelineEntry> {
    events
        .iter()
        .map(|e| TimelineEntry {
            seq: e.seq,
            at: time(e.at),
            action: e.action.clone(),
            side: e.side.clone(),
            node: e.node.clone(),
            actor: e.actor.clone(),
            state_after: e.state_after.clone(),
            detail: e.detail.clone(),
        })
        .collect()
}

/// The request as this node's side sees it now.
pub(crate) async fn body_of(
    node: &Node,
    row: &LegalRequestRow,
) -> Result<LegalRequestBody, ServiceError> {
    let form = form_of(row)?;
    let timeline = node.store.legal_events(&row.id).await?;
    let judged = judged_deadlines(row, &form, &timeline, node.now())?;
    let kind = parse_kind(&row.kind)?;
    let state = parse_state(&row.state)?;
    let evidence = super::evidence::bodies(node, &row.id).await?;
    let (requesting_node, executing_node) = match side_of(row) {
        Side::Requesting => (node.id.as_str().to_owned(), row.partner.clone()),
        Side::Executing => (row.partner.clone(), node.id.as_str().to_owned()),
    };
    Ok(LegalRequestBody {
        id: row.id.clone(),
        kind: row.kind.clone(),
        legal_basis: kind.legal_basis().to_owned(),
        side: row.side.clone(),
        partner: row.partner.clone(),
        requesting_node,
        executing_node,
        state: row.state.clone(),
        urgent: row.urgent,
        case_ref: row.case_ref.clone(),
        deadlines: deadline_bodies(&judged),
        allowed_actions: allowed_actions(kind, state, side_of(row), &events_of(row)?),
        form,
        timeline: timeline_entries(&timeline),
        evidence,
        created_by: row.created_by.clone(),
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
    })
}

pub(crate) async fn load(node: &Node, id: &str) -> Result<LegalRequestRow, ServiceError> {
    node.store
        .get_legal_request(id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no legal request `{id}`")))
}

/// Drafts a request on the requesting side.
pub async fn create(
    node: &Node,
    caller: &Caller,
    form: LegalRequestForm,
) -> Result<LegalRequestBody, ServiceError> {
    let kind = RequestKind::parse(&form.kind)
        .map_err(|e| ServiceError::bad_field("kind", e.to_string()))?;
    require_role(node, caller, roles_for(kind), "legal.create", None).await?;
    form.check()
        .map_err(|(field, message)| ServiceError::bad_field(&field, message))?;
    if form.executing_node == node.id.as_str() {
        return Err(ServiceError::bad_field(
            "executing_node",
            "a request is executed by another node, not by this one",
        ));
    }
    match node.store.get_partner(&form.executing_node).await? {
        Some(partner) if partner.status == PARTNER_ACTIVE => {}
        _ => {
            return Err(ServiceError::bad_field(
                "executing_node",
                format!(
                    "`{}` is not an active partner of this node",
                    form.executing_node
                ),
            ));
        }
    }
    let now = node.now();
    let id = uuid::Uuid::now_v7().to_string();
    let events = DeadlineEventsDoc {
        target_date: form.target_date.clone(),
        ..DeadlineEventsDoc::default()
    };
    let row = LegalRequestRow {
        id: id.clone(),
        side: LEGAL_SIDE_REQUESTING.to_owned(),
        partner: form.executing_node.clone(),
        kind: kind.as_str().to_owned(),
        state: RequestState::Draft.as_str().to_owned(),
        urgent: form.urgent,
        case_ref: form.case_ref.clone(),
        form: to_json(&form)?,
        events: to_json(&events)?,
        created_by: caller.actor.audit_name(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let event = LegalEventRow {
        request_id: id.clone(),
        seq: 0,
        at: now,
        action: "create".to_owned(),
        side: LEGAL_SIDE_REQUESTING.to_owned(),
        node: node.id.as_str().to_owned(),
        actor: caller.actor.audit_name(),
        state_after: row.state.clone(),
        detail: None,
        envelope_id: None,
    };
    node.store.create_legal_request(&row, &event).await?;
    let mut audit = AuditEvent::new("legal.create", "ok")
        .object(format!("legal_request/{id}"))
        .detail(format!("{} to {}", kind.as_str(), row.partner));
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = row.case_ref.clone();
    record_audit(node, caller, audit).await?;
    body_of(node, &row).await
}

/// One request; reading it is audited.
pub async fn get(node: &Node, caller: &Caller, id: &str) -> Result<LegalRequestBody, ServiceError> {
    let object = format!("legal_request/{id}");
    require_role(node, caller, VIEW_ROLES, "legal.read", Some(object.clone())).await?;
    let row = load(node, id).await?;
    let body = body_of(node, &row).await?;
    let mut audit = AuditEvent::new("legal.read", "ok").object(object);
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = row.case_ref.clone();
    record_audit(node, caller, audit).await?;
    Ok(body)
}

/// Which requests a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only requests with a running deadline that has passed.
    pub overdue: bool,
    /// Only requests with a running deadline falling within this many hours (overdue ones included).
    pub due_within_hours: Option<u32>,
    pub side: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub partner: Option<String>,
}

/// The requests of this node, soonest deadline first.
pub async fn list(
    node: &Node,
    caller: &Caller,
    query: &ListQuery,
) -> Result<LegalRequestList, ServiceError> {
    require_role(node, caller, VIEW_ROLES, "legal.list", None).await?;
    if let Some(side) = &query.side
        && side != LEGAL_SIDE_REQUESTING
        && side != LEGAL_SIDE_EXECUTING
    {
        return Err(ServiceError::bad_field(
            "side",
            "must be `requesting` or `executing`",
        ));
    }
    if let Some(kind) = &query.kind {
        RequestKind::parse(kind).map_err(|e| ServiceError::bad_field("kind", e.to_string()))?;
    }
    if query
        .due_within_hours
        .is_some_and(|hours| hours > MAX_DUE_WITHIN_HOURS)
    {
        return Err(ServiceError::bad_field(
            "due_within_hours",
            format!("looks at most {MAX_DUE_WITHIN_HOURS} hours ahead"),
        ));
    }
    if let Some(state) = &query.state {
        parse_state(state).map_err(|_| {
            ServiceError::bad_field(
                "state",
                format!(
                    "`{state}` is not one of: {}",
                    RequestState::ALL
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    }
    let filter = LegalRequestFilter {
        side: query.side.clone(),
        partner: query.partner.clone(),
        kind: query.kind.clone(),
        state: query.state.clone(),
        open_only: query.overdue || query.due_within_hours.is_some(),
    };
    let now = node.now();
    let horizon = query
        .due_within_hours
        .map(|hours| now + Duration::hours(i64::from(hours)));
    let mut requests = Vec::new();
    for row in node.store.list_legal_requests(&filter).await? {
        let form = form_of(&row)?;
        let timeline = node.store.legal_events(&row.id).await?;
        let judged = judged_deadlines(&row, &form, &timeline, now)?;
        let running_due: Vec<DateTime<Utc>> = judged
            .iter()
            .filter(|j| j.running)
            .filter_map(|j| j.deadline.due)
            .collect();
        if query.overdue && !running_due.iter().any(|due| *due < now) {
            continue;
        }
        if let Some(horizon) = horizon
            && !running_due.iter().any(|due| *due <= horizon)
        {
            continue;
        }
        requests.push(LegalRequestSummary {
            id: row.id.clone(),
            kind: row.kind.clone(),
            side: row.side.clone(),
            partner: row.partner.clone(),
            state: row.state.clone(),
            urgent: row.urgent,
            case_ref: row.case_ref.clone(),
            deadlines: deadline_bodies(&judged),
            next_due: running_due.iter().min().copied().map(time),
            due_status: worst_status(&judged).to_owned(),
            created_at: time(row.created_at),
            updated_at: time(row.updated_at),
        });
    }
    // Soonest running deadline first; requests without one after, newest first (the store's order).
    requests.sort_by(|a, b| match (&a.next_due, &b.next_due) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut audit = AuditEvent::new("legal.list", "ok");
    audit.detail = Some(format!("{} requests", requests.len()));
    record_audit(node, caller, audit).await?;
    Ok(LegalRequestList { requests })
}

/// What an action changes besides the state: the deadline events, and the message the partner gets.
struct Effect {
    events: DeadlineEventsDoc,
    detail: Option<String>,
}

fn parse_moment(field: &str, text: &str) -> Result<DateTime<Utc>, ServiceError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(at) = date.and_hms_opt(0, 0, 0)
    {
        return Ok(at.and_utc());
    }
    Err(ServiceError::bad_field(
        field,
        format!(
            "`{text}` is not a time (RFC 3339, e.g. 2026-03-01T09:30:00Z) or a date (YYYY-MM-DD)"
        ),
    ))
}

fn illegal(error: IllegalTransition) -> ServiceError {
    ServiceError::Conflict(error.to_string())
}

/// Applies the action `name` by `side` at `at` to a request: its next state and what else changes. The
/// same function serves the acting side and the mirroring side, so both compute the same result.
#[allow(clippy::too_many_arguments)]
fn apply(
    kind: RequestKind,
    state: RequestState,
    events: &DeadlineEventsDoc,
    name: &str,
    side: Side,
    at: DateTime<Utc>,
    body: &LegalActionBody,
    deadline_names: &[&str],
) -> Result<(RequestState, Effect), ServiceError> {
    let mut events = events.clone();
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if EVENT_ACTIONS.contains(&name) {
        if state.is_final() {
            return Err(ServiceError::Conflict(format!(
                "cannot {name} a request that is {state}"
            )));
        }
        if state == RequestState::Draft && name != "set_target_date" {
            return Err(ServiceError::Conflict(format!(
                "cannot {name} a request that has not been sent"
            )));
        }
        let detail = match name {
            "record_arrest" | "record_consent" => {
                if kind != RequestKind::Eaw || side != Side::Executing {
                    return Err(ServiceError::Conflict(format!(
                        "{name} is for the executing side of a European arrest warrant"
                    )));
                }
                let when = match &body.date {
                    Some(text) => parse_moment("date", text)?,
                    None => at,
                };
                let slot = if name == "record_arrest" {
                    &mut events.arrested
                } else {
                    &mut events.consented
                };
                *slot = Some(time(when));
                Some(format!(
                    "{} at {}",
                    if name == "record_arrest" {
                        "arrested"
                    } else {
                        "consented to surrender"
                    },
                    time(when)
                ))
            }
            "set_target_date" => {
                if !matches!(kind, RequestKind::Mla | RequestKind::Extradition)
                    || side != Side::Requesting
                {
                    return Err(ServiceError::Conflict(
                        "a target date is set by the requesting side of an MLA or extradition request".to_owned(),
                    ));
                }
                let Some(date) = &body.date else {
                    return Err(ServiceError::bad_field(
                        "date",
                        "give the target date, YYYY-MM-DD",
                    ));
                };
                liaison_proto::legal::parse_target_date(date)
                    .map_err(|message| ServiceError::bad_field("date", message))?;
                events.target_date = Some(date.clone());
                Some(format!("target date {date}"))
            }
            _ => {
                if side != extension_side(kind) {
                    return Err(ServiceError::Conflict(format!(
                        "deadlines of a `{}` request are extended by the {} side",
                        kind.as_str(),
                        side_name(extension_side(kind))
                    )));
                }
                let Some(deadline) = body.deadline.as_deref() else {
                    return Err(ServiceError::bad_field(
                        "deadline",
                        format!(
                            "name the deadline to extend: one of {}",
                            deadline_names.join(", ")
                        ),
                    ));
                };
                if !deadline_names.contains(&deadline) {
                    return Err(ServiceError::bad_field(
                        "deadline",
                        format!(
                            "`{deadline}` is not a deadline of this request: {}",
                            deadline_names.join(", ")
                        ),
                    ));
                }
                let days = body.days.unwrap_or(0);
                if days > MAX_EXTENSION_DAYS {
                    return Err(ServiceError::bad_field(
                        "days",
                        format!("an extension is at most {MAX_EXTENSION_DAYS} days"),
                    ));
                }
                let reason = body.reason.clone().unwrap_or_default();
                Extension::new(deadline, days, &reason).map_err(|e| {
                    let field = if days == 0 { "days" } else { "reason" };
                    ServiceError::bad_field(field, e.to_string())
                })?;
                events.extensions.push(ExtensionDoc {
                    deadline: deadline.to_owned(),
                    days,
                    reason: reason.trim().to_owned(),
                });
                Some(format!(
                    "{deadline} extended by {days} days: {}",
                    reason.trim()
                ))
            }
        };
        return Ok((state, Effect { events, detail }));
    }
    if name == "refuse" && body.grounds.as_deref().is_none_or(|g| g.trim().is_empty()) {
        return Err(ServiceError::bad_field(
            "grounds",
            "a refusal states its grounds (e.g. Directive 2014/41/EU Art. 11(1)(f): ne bis in idem)",
        ));
    }
    let action = state_action(name, body.grounds.as_deref())?;
    let next = transition(state, &action, side).map_err(illegal)?;
    let mut detail = note.map(str::to_owned);
    match name {
        "receive" => events.received = Some(time(at)),
        "recognise" => events.recognised = Some(time(at)),
        "request_information" => events.pauses.push(PauseDoc {
            from: time(at),
            until: None,
            reason: format!(
                "more information requested{}",
                note.map(|n| format!(": {n}")).unwrap_or_default()
            ),
        }),
        "supply_information" => {
            for pause in events.pauses.iter_mut().filter(|p| p.until.is_none()) {
                pause.until = Some(time(at));
            }
        }
        "refuse" => {
            let grounds = body.grounds.as_deref().unwrap_or_default().trim();
            detail = Some(match note {
                Some(note) => format!("grounds: {grounds}; {note}"),
                None => format!("grounds: {grounds}"),
            });
        }
        _ => {}
    }
    Ok((next, Effect { events, detail }))
}

/// Takes an action on a request as this node's side, and mirrors it to the partner.
pub async fn act(
    node: &Node,
    caller: &Caller,
    id: &str,
    name: &str,
    body: &LegalActionBody,
) -> Result<LegalRequestBody, ServiceError> {
    // The partner's actions are mirrored here as they arrive; one landing between reading the request and
    // storing this action makes the store refuse the stale version. The action is then judged again on the
    // request as it now is (it may no longer be allowed), a few times before giving up.
    for _ in 0..3 {
        if let Some(done) = act_once(node, caller, id, name, body).await? {
            return Ok(done);
        }
    }
    Err(ServiceError::Conflict(
        "the request keeps changing (the partner is acting on it): read it again and retry"
            .to_owned(),
    ))
}

/// One attempt of [`act`]: `None` when the request changed between reading and storing.
async fn act_once(
    node: &Node,
    caller: &Caller,
    id: &str,
    name: &str,
    body: &LegalActionBody,
) -> Result<Option<LegalRequestBody>, ServiceError> {
    let object = format!("legal_request/{id}");
    let row = load(node, id).await?;
    let kind = parse_kind(&row.kind)?;
    let audit_action = "legal.action";
    require_role(
        node,
        caller,
        roles_for(kind),
        audit_action,
        Some(object.clone()),
    )
    .await?;
    if name == "receive" || !USER_ACTIONS.contains(&name) {
        return Err(ServiceError::NotFound(format!(
            "`{name}` is not an action on legal requests; the actions are: {}",
            USER_ACTIONS.join(", ")
        )));
    }
    let side = side_of(&row);
    let state = parse_state(&row.state)?;
    let now = node.now();
    let form = form_of(&row)?;
    let names = current_deadline_names(&row, &form)?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (next, effect) = match apply(
        kind,
        state,
        &events_of(&row)?,
        name,
        side,
        now,
        body,
        &names,
    ) {
        Ok(result) => result,
        Err(error) => {
            let mut audit = AuditEvent::new(audit_action, "refused")
                .object(object)
                .detail(format!("{name}: {error}"));
            audit.case_ref = row.case_ref.clone();
            record_audit(node, caller, audit).await?;
            return Err(error);
        }
    };
    let updated = LegalRequestRow {
        state: next.as_str().to_owned(),
        events: to_json(&effect.events)?,
        updated_at: now,
        ..row.clone()
    };
    let shared = state != RequestState::Draft || name == "send";
    if shared && node.federation.is_none() {
        return Err(ServiceError::Conflict(
            "this node does not federate: the action could not reach the partner".to_owned(),
        ));
    }
    let ordinal = side_ordinal(&node.store.legal_events(&row.id).await?, side_name(side)) + 1;
    // The message to the partner is sealed first and stored in the same transaction as the change, so an
    // action is never kept here without its message, nor sent without being kept.
    let envelope = match (shared, node.federation.as_ref()) {
        (false, _) | (_, None) => None,
        (true, Some(federation)) => {
            let sealed = if name == "send" {
                // A target date set on the draft travels in the form.
                let form = LegalRequestForm {
                    target_date: effect.events.target_date.clone().or(form.target_date),
                    ..form
                };
                let message = LegalRequestMessage {
                    request_id: row.id.clone(),
                    sent_at: time(now),
                    created_by: row.created_by.clone(),
                    form,
                };
                federation.seal(
                    node.id.as_str(),
                    &row.partner,
                    now,
                    "H1",
                    &message,
                    Some(row.id.clone()),
                    row.case_ref.clone(),
                )?
            } else {
                let message = LegalActionMessage {
                    request_id: row.id.clone(),
                    action: name.to_owned(),
                    side: side_name(side).to_owned(),
                    ordinal,
                    at: time(now),
                    actor: caller.actor.audit_name(),
                    state: next.as_str().to_owned(),
                    grounds: body.grounds.clone().filter(|g| !g.trim().is_empty()),
                    note: body.note.clone().filter(|n| !n.trim().is_empty()),
                    date: body.date.clone(),
                    deadline: body.deadline.clone(),
                    days: body.days,
                    reason: body.reason.clone().filter(|r| !r.trim().is_empty()),
                };
                federation.seal(
                    node.id.as_str(),
                    &row.partner,
                    now,
                    "H1",
                    &message,
                    Some(row.id.clone()),
                    row.case_ref.clone(),
                )?
            };
            Some((federation.clone(), sealed))
        }
    };
    let event = LegalEventRow {
        request_id: row.id.clone(),
        seq: 0,
        at: now,
        action: name.to_owned(),
        side: side_name(side).to_owned(),
        node: node.id.as_str().to_owned(),
        actor: caller.actor.audit_name(),
        state_after: next.as_str().to_owned(),
        detail: effect.detail.clone(),
        envelope_id: envelope.as_ref().map(|(_, e)| e.id.clone()),
    };
    let stored = match &envelope {
        Some((_, sealed)) => {
            node.store
                .update_legal_request_and_enqueue(
                    &updated,
                    row.version,
                    Some(&event),
                    &crate::federation::outbox_row(node, sealed),
                )
                .await?
        }
        None => {
            node.store
                .update_legal_request(&updated, row.version, Some(&event))
                .await?
        }
    };
    if !stored {
        return Ok(None);
    }
    if let Some((federation, _)) = &envelope {
        federation.outbox_signal.notify_one();
    }
    let mut audit =
        AuditEvent::new(audit_action, "ok")
            .object(object)
            .detail(match &effect.detail {
                Some(detail) => format!("{name} ({} → {next}): {detail}", state),
                None => format!("{name} ({} → {next})", state),
            });
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = row.case_ref.clone();
    if shared {
        audit.recipients = vec![row.partner.clone()];
    }
    record_audit(node, caller, audit).await?;
    body_of(node, &updated).await.map(Some)
}

fn current_deadline_names(
    row: &LegalRequestRow,
    form: &LegalRequestForm,
) -> Result<Vec<String>, ServiceError> {
    let kind = parse_kind(&row.kind)?;
    let urgency = if row.urgent {
        Urgency::Urgent
    } else {
        Urgency::Normal
    };
    let events = request_events(&events_of(row)?);
    let mut names: Vec<String> = deadlines(kind, urgency, availability(form), &events)
        .into_iter()
        .map(|d| d.name.to_owned())
        .collect();
    // An arrest warrant's decision deadline is one deadline whichever event it runs from.
    names.dedup();
    Ok(names)
}

fn partner_caller(partner: &PartnerRow) -> Caller {
    Caller {
        actor: crate::Actor::Partner {
            node: partner.node_id.clone(),
        },
        request_id: None,
    }
}

/// A request arrives for execution: it is kept as received, and the receipt is mirrored to the requester.
pub(crate) async fn receive_request(
    node: &Node,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let caller = partner_caller(partner);
    let message: LegalRequestMessage =
        decode_payload(envelope).map_err(|e| ServiceError::bad_field("payload", e.to_string()))?;
    let object = format!("legal_request/{}", message.request_id);
    let refuse = |reason: String| {
        let audit = AuditEvent::new("legal.receive", "refused")
            .object(object.clone())
            .detail(reason);
        let caller = caller.clone();
        async move { record_audit(node, &caller, audit).await }
    };
    if message.form.executing_node != node.id.as_str() {
        let reason = format!(
            "addressed to `{}`, not to this node",
            message.form.executing_node
        );
        return refuse(reason).await;
    }
    if let Some(existing) = node.store.get_legal_request(&message.request_id).await? {
        if existing.partner != partner.node_id || existing.side != LEGAL_SIDE_EXECUTING {
            return refuse("a request with this id exists here already".to_owned()).await;
        }
        // Processed before but cut short (the inbox retries): finish the receipt. The reply may go twice;
        // the requester applies an action once.
        return complete_receipt(node, partner, &existing.id).await;
    }
    let Some(sent_at) = parse_timestamp(&message.sent_at) else {
        return refuse("the sending time is not a canonical timestamp".to_owned()).await;
    };
    let kind = RequestKind::parse(&message.form.kind)
        .map_err(|e| ServiceError::bad_field("payload.form.kind", e.to_string()))?;
    let now = node.now();
    let row = LegalRequestRow {
        id: message.request_id.clone(),
        side: LEGAL_SIDE_EXECUTING.to_owned(),
        partner: partner.node_id.clone(),
        kind: kind.as_str().to_owned(),
        state: RequestState::Sent.as_str().to_owned(),
        urgent: message.form.urgent,
        case_ref: message.form.case_ref.clone(),
        form: to_json(&message.form)?,
        events: to_json(&DeadlineEventsDoc {
            target_date: message.form.target_date.clone(),
            ..DeadlineEventsDoc::default()
        })?,
        created_by: message.created_by.clone(),
        created_at: sent_at,
        updated_at: now,
        version: 1,
    };
    let sent = LegalEventRow {
        request_id: row.id.clone(),
        seq: 0,
        at: sent_at,
        action: "send".to_owned(),
        side: LEGAL_SIDE_REQUESTING.to_owned(),
        node: partner.node_id.clone(),
        actor: message.created_by.clone(),
        state_after: RequestState::Sent.as_str().to_owned(),
        detail: None,
        envelope_id: Some(envelope.id.clone()),
    };
    node.store.create_legal_request(&row, &sent).await?;
    complete_receipt(node, partner, &row.id).await?;
    let mut audit = AuditEvent::new("legal.receive", "ok")
        .object(object)
        .detail(format!("{} from {}", kind.as_str(), partner.node_id));
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = row.case_ref.clone();
    record_audit(node, &caller, audit).await
}

/// Marks a request that arrived as received (at this node's time, which starts its deadlines) unless it
/// already is, and tells the requester, with the receipt's time. Safe to run again: the requester applies
/// the receipt once.
async fn complete_receipt(node: &Node, partner: &PartnerRow, id: &str) -> Result<(), ServiceError> {
    let row = load(node, id).await?;
    if row.state == RequestState::Sent.as_str() {
        let now = node.now();
        let mut events = events_of(&row)?;
        events.received = Some(time(now));
        let received = LegalRequestRow {
            state: RequestState::Received.as_str().to_owned(),
            events: to_json(&events)?,
            updated_at: now,
            ..row.clone()
        };
        let receive = LegalEventRow {
            request_id: row.id.clone(),
            seq: 0,
            at: now,
            action: "receive".to_owned(),
            side: LEGAL_SIDE_EXECUTING.to_owned(),
            node: node.id.as_str().to_owned(),
            actor: format!("node:{}", node.id.as_str()),
            state_after: RequestState::Received.as_str().to_owned(),
            detail: None,
            envelope_id: None,
        };
        if !node
            .store
            .update_legal_request(&received, row.version, Some(&receive))
            .await?
        {
            return Err(ServiceError::Conflict(
                "the request changed while it was received".to_owned(),
            ));
        }
    }
    let timeline = node.store.legal_events(id).await?;
    let Some(receipt) = timeline
        .iter()
        .find(|e| e.action == "receive" && e.side == LEGAL_SIDE_EXECUTING)
    else {
        return Ok(());
    };
    let reply = LegalActionMessage {
        request_id: id.to_owned(),
        action: "receive".to_owned(),
        side: LEGAL_SIDE_EXECUTING.to_owned(),
        ordinal: 1,
        at: time(receipt.at),
        actor: receipt.actor.clone(),
        state: RequestState::Received.as_str().to_owned(),
        grounds: None,
        note: None,
        date: None,
        deadline: None,
        days: None,
        reason: None,
    };
    send(
        node,
        &partner.node_id,
        &reply,
        Some(id.to_owned()),
        row.case_ref.clone(),
    )
    .await?;
    Ok(())
}

/// The partner took an action: the same transition is applied here, at the partner's time. An action this
/// side's state does not allow is not applied and is audited as out of step.
pub(crate) async fn receive_action(
    node: &Node,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let caller = partner_caller(partner);
    let message: LegalActionMessage =
        decode_payload(envelope).map_err(|e| ServiceError::bad_field("payload", e.to_string()))?;
    let object = format!("legal_request/{}", message.request_id);
    let out_of_step = |reason: String| {
        let object = object.clone();
        let caller = caller.clone();
        async move {
            let audit = AuditEvent::new("legal.mirror", "refused")
                .object(object)
                .detail(reason);
            record_audit(node, &caller, audit).await
        }
    };
    let Some(row) = node.store.get_legal_request(&message.request_id).await? else {
        // The request itself may still be on its way (deliveries run in parallel): the action waits in
        // the inbox until it has arrived.
        return Err(ServiceError::Conflict(format!(
            "{} concerns request `{}`, which has not arrived yet",
            message.action, message.request_id
        )));
    };
    if row.partner != partner.node_id {
        return out_of_step(format!(
            "{}: the request is shared with another node",
            message.action
        ))
        .await;
    }
    let acting = if message.side == LEGAL_SIDE_EXECUTING {
        Side::Executing
    } else {
        Side::Requesting
    };
    if acting == side_of(&row) {
        return out_of_step(format!(
            "{}: the partner claims to act as this node's side",
            message.action
        ))
        .await;
    }
    // A side's actions apply in the order it took them: one already applied is not applied again, and one
    // that arrives before an earlier one waits (the error leaves it in the inbox, which retries it).
    let timeline = node.store.legal_events(&row.id).await?;
    let applied = side_ordinal(&timeline, &message.side);
    if message.ordinal <= applied {
        return Ok(());
    }
    if message.ordinal > applied + 1 {
        return Err(ServiceError::Conflict(format!(
            "{} is action {} of the {} side, but only {applied} arrived so far: it waits for the others",
            message.action, message.ordinal, message.side
        )));
    }
    let Some(at) = parse_timestamp(&message.at) else {
        return out_of_step(format!(
            "{}: the time is not a canonical timestamp",
            message.action
        ))
        .await;
    };
    let kind = parse_kind(&row.kind)?;
    let state = parse_state(&row.state)?;
    let form = form_of(&row)?;
    let names = current_deadline_names(&row, &form)?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let body = LegalActionBody {
        grounds: message.grounds.clone(),
        note: message.note.clone(),
        date: message.date.clone(),
        deadline: message.deadline.clone(),
        days: message.days,
        reason: message.reason.clone(),
    };
    let applied_here = apply(
        kind,
        state,
        &events_of(&row)?,
        &message.action,
        acting,
        at,
        &body,
        &names,
    );
    // An action that records an event leaves each side's state as it is, and the two states may differ for
    // a moment (the other side's action still on its way): only a lifecycle action must reach the same
    // state on both.
    let refusal = match &applied_here {
        Err(error) => Some(error.to_string()),
        Ok((next, _))
            if !EVENT_ACTIONS.contains(&message.action.as_str())
                && next.as_str() != message.state =>
        {
            Some(format!(
                "the partner reached `{}`, this node computes `{next}`",
                message.state
            ))
        }
        Ok(_) => None,
    };
    if let Some(reason) = refusal {
        // Kept in the timeline, not applied: it takes its place in the partner's order (so the partner's
        // later actions are not held back behind it) and shows a person that the two sides disagree.
        let event = LegalEventRow {
            request_id: row.id.clone(),
            seq: 0,
            at,
            action: format!("{}_not_applied", message.action),
            side: message.side.clone(),
            node: partner.node_id.clone(),
            actor: message.actor.clone(),
            state_after: row.state.clone(),
            detail: Some(format!("not applied here: {reason}")),
            envelope_id: Some(envelope.id.clone()),
        };
        node.store.append_legal_event(&event).await?;
        return out_of_step(format!("{}: {reason}", message.action)).await;
    }
    let Ok((next, effect)) = applied_here else {
        return Err(ServiceError::Internal(
            "a refused action was applied".into(),
        ));
    };
    let updated = LegalRequestRow {
        state: next.as_str().to_owned(),
        events: to_json(&effect.events)?,
        updated_at: node.now(),
        ..row.clone()
    };
    let event = LegalEventRow {
        request_id: row.id.clone(),
        seq: 0,
        at,
        action: message.action.clone(),
        side: message.side.clone(),
        node: partner.node_id.clone(),
        actor: message.actor.clone(),
        state_after: next.as_str().to_owned(),
        detail: effect.detail.clone(),
        envelope_id: Some(envelope.id.clone()),
    };
    if !node
        .store
        .update_legal_request(&updated, row.version, Some(&event))
        .await?
    {
        // Applied meanwhile by a concurrent delivery of the same message: nothing left to do.
        let timeline = node.store.legal_events(&row.id).await?;
        if message.ordinal <= side_ordinal(&timeline, &message.side) {
            return Ok(());
        }
        return Err(ServiceError::Conflict(
            "the request changed while a partner action was applied; it is retried".to_owned(),
        ));
    }
    let mut audit = AuditEvent::new("legal.mirror", "ok")
        .object(object)
        .detail(format!(
            "{} by {} ({state} → {next})",
            message.action, partner.node_id
        ));
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = row.case_ref.clone();
    record_audit(node, &caller, audit).await
}

/// Applies the partner's actions (and evidence) that were waiting in the inbox for an earlier message
/// (deliveries run in parallel, so a later one can arrive first), now that one has been applied. Each is applied once
/// whatever else processes it meanwhile, since an action at or below a side's count is ignored.
pub(crate) async fn apply_waiting_actions(node: &Node, partner: &PartnerRow) {
    loop {
        let waiting = match node.store.unprocessed_inbox(64).await {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "waiting legal actions could not be read");
                return;
            }
        };
        let mut progress = false;
        for row in waiting {
            if row.sender != partner.node_id
                || (row.kind != KIND_LEGAL_ACTION && row.kind != KIND_LEGAL_EVIDENCE)
            {
                continue;
            }
            let Ok(envelope) = decode(&row.envelope, usize::MAX) else {
                continue;
            };
            let applied = if row.kind == KIND_LEGAL_ACTION {
                receive_action(node, partner, &envelope).await
            } else {
                super::evidence::receive(node, partner, &envelope).await
            };
            if applied.is_ok() && node.store.mark_processed(&row.id).await.unwrap_or(false) {
                progress = true;
            }
        }
        if !progress {
            return;
        }
    }
}

/// The requests of one partner, kind and side, for turnaround statistics.
#[derive(Debug, Default)]
struct Turnaround {
    requests: u64,
    answered: u64,
    /// Days from receipt to answer, one per answered request.
    days: Vec<f64>,
    /// Answered requests that met every deadline.
    within: u64,
}

/// Turnaround per partner, kind and side: from receipt to the executing side's answer (executed, partially
/// executed or refused), with the share of answered requests that met every deadline.
pub async fn statistics(
    node: &Node,
    caller: &Caller,
) -> Result<TurnaroundStatistics, ServiceError> {
    require_role(node, caller, VIEW_ROLES, "legal.statistics", None).await?;
    let now = node.now();
    let mut groups: std::collections::BTreeMap<(String, String, String), Turnaround> =
        std::collections::BTreeMap::new();
    for row in node
        .store
        .list_legal_requests(&LegalRequestFilter::default())
        .await?
    {
        if row.state == RequestState::Draft.as_str() {
            continue;
        }
        let form = form_of(&row)?;
        let timeline = node.store.legal_events(&row.id).await?;
        let answered = timeline
            .iter()
            .find(|e| {
                matches!(
                    e.action.as_str(),
                    "complete" | "complete_partially" | "refuse"
                )
            })
            .map(|e| e.at);
        if parse_state(&row.state)?.is_final() && answered.is_none() {
            // Withdrawn before an answer: neither open nor answered.
            continue;
        }
        let judged = judged_deadlines(&row, &form, &timeline, now)?;
        let group = groups
            .entry((row.partner.clone(), row.kind.clone(), row.side.clone()))
            .or_default();
        group.requests += 1;
        if let (Some(received), Some(answered)) = (instant(&events_of(&row)?.received), answered) {
            group.answered += 1;
            group
                .days
                .push((answered - received).num_seconds() as f64 / 86_400.0);
            if judged
                .iter()
                .all(|j| j.status != "met_late" && j.status != "overdue")
            {
                group.within += 1;
            }
        }
    }
    let rows = groups
        .into_iter()
        .map(|((partner, kind, side), mut group)| {
            group.days.sort_by(f64::total_cmp);
            TurnaroundRow {
                partner,
                kind,
                side,
                requests: group.requests,
                answered: group.answered,
                open: group.requests - group.answered,
                median_days: quantile(&group.days, 0.5),
                p90_days: quantile(&group.days, 0.9),
                within_deadline: (group.answered > 0)
                    .then(|| group.within as f64 / group.answered as f64),
            }
        })
        .collect();
    record_audit(node, caller, AuditEvent::new("legal.statistics", "ok")).await?;
    Ok(TurnaroundStatistics { rows })
}

/// The `q` quantile of sorted values (nearest rank), rounded to a tenth of a day.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some((sorted[rank - 1] * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn both_sides_compute_the_same_state_and_events() {
        let body = LegalActionBody::default();
        let events = DeadlineEventsDoc::default();
        let (state, effect) = apply(
            RequestKind::Eio,
            RequestState::Sent,
            &events,
            "receive",
            Side::Executing,
            at(1, 9),
            &body,
            &[],
        )
        .unwrap();
        assert_eq!(state, RequestState::Received);
        assert_eq!(
            effect.events.received.as_deref(),
            Some("2026-03-01T09:00:00.000000Z")
        );
        // The requesting side may not recognise.
        assert!(
            apply(
                RequestKind::Eio,
                RequestState::Acknowledged,
                &events,
                "recognise",
                Side::Requesting,
                at(2, 9),
                &body,
                &[]
            )
            .is_err()
        );
        // A refusal without grounds is refused.
        assert!(
            apply(
                RequestKind::Eio,
                RequestState::Acknowledged,
                &events,
                "refuse",
                Side::Executing,
                at(2, 9),
                &body,
                &[]
            )
            .is_err()
        );
    }

    #[test]
    fn asking_for_information_stops_the_clock_until_it_is_supplied() {
        let body = LegalActionBody {
            note: Some("bank name".into()),
            ..LegalActionBody::default()
        };
        let events = DeadlineEventsDoc {
            received: Some(time(at(1, 9))),
            ..DeadlineEventsDoc::default()
        };
        let (_, asked) = apply(
            RequestKind::Eio,
            RequestState::Acknowledged,
            &events,
            "request_information",
            Side::Executing,
            at(2, 9),
            &body,
            &[],
        )
        .unwrap();
        assert!(asked.events.pauses[0].until.is_none());
        let (_, supplied) = apply(
            RequestKind::Eio,
            RequestState::InformationRequested,
            &asked.events,
            "supply_information",
            Side::Requesting,
            at(7, 9),
            &LegalActionBody::default(),
            &[],
        )
        .unwrap();
        let list = deadlines(
            RequestKind::Eio,
            Urgency::Normal,
            Availability::Indirect,
            &request_events(&supplied.events),
        );
        // 30 days from 1 March, plus the 5 days paused.
        assert_eq!(list[0].due, Some(at(31, 9) + Duration::days(5)));
    }

    #[test]
    fn a_deadline_is_met_by_the_first_answer_and_overdue_only_while_running() {
        let due = Deadline {
            name: "recognition",
            due: Some(at(10, 0)),
            rule: "",
        };
        let event = |action: &str, when| LegalEventRow {
            request_id: "r".into(),
            seq: 1,
            at: when,
            action: action.into(),
            side: "executing".into(),
            node: "n".into(),
            actor: "a".into(),
            state_after: "x".into(),
            detail: None,
            envelope_id: None,
        };
        let judged = judge(
            RequestKind::Eio,
            RequestState::Acknowledged,
            vec![due.clone()],
            &[],
            at(11, 0),
        );
        assert_eq!(judged[0].status, "overdue");
        assert_eq!(judged[0].hours_left, Some(-24));
        let judged = judge(
            RequestKind::Eio,
            RequestState::Recognised,
            vec![due.clone()],
            &[event("recognise", at(9, 0))],
            at(11, 0),
        );
        assert_eq!(judged[0].status, "met");
        let judged = judge(
            RequestKind::Eio,
            RequestState::Recognised,
            vec![due.clone()],
            &[event("recognise", at(10, 1))],
            at(11, 0),
        );
        assert_eq!(judged[0].status, "met_late");
        let judged = judge(
            RequestKind::Eio,
            RequestState::Withdrawn,
            vec![due],
            &[],
            at(11, 0),
        );
        assert_eq!(judged[0].status, "stopped");
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.0));
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.9), Some(4.0));
    }
}
