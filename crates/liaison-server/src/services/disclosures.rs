//! Disclosure, step 2: a requester asks for the record behind a partner's hit, with purpose, legal basis and
//! case; the owner's supervisor approves or refuses (or the agreement approves automatically); an approval
//! carries the record in the interchange shape with the owner's handling code and retention, and the
//! requester keeps it as a foreign record (owner = partner), which it never passes on. Requests and
//! decisions travel through the outbox; both sides audit every step under the request id.

use chrono::{DateTime, Utc};
use liaison_core::{RecordType, Role};
use liaison_federation::{Step2, open_payload};
use liaison_proto::api::{DisclosureBody, DisclosureCreated};
use liaison_proto::federation::{
    DecisionState, DisclosureDecision, DisclosureRequest, Envelope, Payload,
};
use liaison_store::{
    DIRECTION_INCOMING, DIRECTION_OUTGOING, DISCLOSURE_APPROVED, DISCLOSURE_PENDING,
    DISCLOSURE_REFUSED, DisclosureRow, PARTNER_ACTIVE, PartnerRow, StoredRecord,
};
use serde_json::Value;

use super::federated::agreement_with;
use super::records::{AccessReason, READ_ROLES, check_purpose};
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Roles that decide on a partner's request.
pub const DECIDING_ROLES: &[Role] = &[Role::Supervisor];

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn body(row: &DisclosureRow, with_record: bool) -> DisclosureBody {
    DisclosureBody {
        id: row.id.clone(),
        direction: row.direction.clone(),
        partner: row.partner.clone(),
        state: row.state.clone(),
        purpose: row.purpose.clone(),
        legal_basis: row.legal_basis.clone(),
        case_ref: row.case_ref.clone(),
        requested_by: row.requested_by.clone(),
        created_at: time(row.created_at),
        decided_by: row.decided_by.clone(),
        decided_at: row.decided_at.map(time),
        reason: row.reason.clone(),
        record: if with_record {
            row.record
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
        } else {
            None
        },
    }
}

/// Queues a signed message for a partner and wakes the outbox worker.
pub(crate) async fn send<P: Payload>(
    node: &Node,
    partner: &str,
    payload: &P,
    thread: Option<String>,
    case_ref: Option<String>,
) -> Result<String, ServiceError> {
    let Some(federation) = node.federation.clone() else {
        return Err(ServiceError::Conflict("this node does not federate".into()));
    };
    let envelope = federation.seal(
        node.id.as_str(),
        partner,
        node.now(),
        "H1",
        payload,
        thread,
        case_ref,
    )?;
    crate::federation::enqueue(node, &federation, &envelope).await?;
    Ok(envelope.id)
}

/// Asks the owner of a partner hit for its record.
pub async fn request(
    node: &Node,
    caller: &Caller,
    hit_ref: &str,
    legal_basis: &str,
    reason: &AccessReason,
) -> Result<DisclosureCreated, ServiceError> {
    require_role(node, caller, READ_ROLES, "disclosure.request", None).await?;
    let purpose = check_purpose(node, caller, "disclosure.request", "disclosure", reason).await?;
    let Some((partner, reference)) = hit_ref.split_once('/') else {
        return Err(ServiceError::bad_field(
            "hit_ref",
            "not a partner hit reference: use the `hit_ref` of a federated search hit",
        ));
    };
    if legal_basis.trim().is_empty() {
        return Err(ServiceError::bad_field(
            "legal_basis",
            "state the legal basis of the request",
        ));
    }
    match node.store.get_partner(partner).await? {
        Some(row) if row.status == PARTNER_ACTIVE => {}
        _ => {
            return Err(ServiceError::bad_field(
                "hit_ref",
                format!("`{partner}` is not an active partner of this node"),
            ));
        }
    }
    let id = uuid::Uuid::now_v7().to_string();
    let row = DisclosureRow {
        id: id.clone(),
        direction: DIRECTION_OUTGOING.to_owned(),
        partner: partner.to_owned(),
        hit_ref: reference.to_owned(),
        purpose: purpose.as_str().to_owned(),
        legal_basis: legal_basis.trim().to_owned(),
        case_ref: reason.case_ref.clone(),
        requested_by: caller.actor.audit_name(),
        state: DISCLOSURE_PENDING.to_owned(),
        decided_by: None,
        reason: None,
        record: None,
        created_at: node.now(),
        decided_at: None,
    };
    node.store.put_disclosure(&row).await?;
    let message = DisclosureRequest {
        request_id: id.clone(),
        hit_ref: reference.to_owned(),
        purpose: purpose.as_str().to_owned(),
        legal_basis: row.legal_basis.clone(),
        case_ref: reason.case_ref.clone(),
    };
    send(
        node,
        partner,
        &message,
        Some(id.clone()),
        reason.case_ref.clone(),
    )
    .await?;
    let mut event = AuditEvent::new("disclosure.request", "ok")
        .object(format!("disclosure/{id}"))
        .detail(format!("hit {hit_ref}; legal basis: {}", row.legal_basis));
    event.purpose = Some(purpose.as_str().to_owned());
    event.case_ref = reason.case_ref.clone();
    event.recipients = vec![partner.to_owned()];
    record_audit(node, caller, event).await?;
    Ok(DisclosureCreated {
        id,
        state: DISCLOSURE_PENDING.to_owned(),
    })
}

/// The requests made by this node (`outgoing`) or made to it (`incoming`), newest first.
pub async fn list(
    node: &Node,
    caller: &Caller,
    direction: &str,
) -> Result<Vec<DisclosureBody>, ServiceError> {
    require_role(node, caller, READ_ROLES, "disclosure.list", None).await?;
    if direction != DIRECTION_INCOMING && direction != DIRECTION_OUTGOING {
        return Err(ServiceError::bad_field(
            "direction",
            format!("`{direction}` is not one of: incoming, outgoing"),
        ));
    }
    Ok(node
        .store
        .list_disclosures(direction, None)
        .await?
        .iter()
        .map(|row| body(row, false))
        .collect())
}

/// One request with its state; an approved outgoing request carries the disclosed record, and reading it
/// is audited like any read of a record.
pub async fn get(node: &Node, caller: &Caller, id: &str) -> Result<DisclosureBody, ServiceError> {
    require_role(
        node,
        caller,
        READ_ROLES,
        "disclosure.read",
        Some(format!("disclosure/{id}")),
    )
    .await?;
    let row = match node.store.get_disclosure(id, DIRECTION_OUTGOING).await? {
        Some(row) => row,
        None => node
            .store
            .get_disclosure(id, DIRECTION_INCOMING)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no disclosure request `{id}`")))?,
    };
    let with_record = row.direction == DIRECTION_OUTGOING && row.record.is_some();
    let mut event = AuditEvent::new("disclosure.read", "ok").object(format!("disclosure/{id}"));
    if with_record {
        event.objects.push(format!("record from {}", row.partner));
    }
    event.purpose = Some(row.purpose.clone());
    event.case_ref = row.case_ref.clone();
    record_audit(node, caller, event).await?;
    Ok(body(&row, with_record))
}

/// A partner's request arrives: checked against the hit references this node handed that partner and
/// against the agreement; kept pending for a supervisor, approved at once when the agreement says so, or
/// refused with the reason.
pub(crate) async fn receive_request(
    node: &Node,
    caller: &Caller,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let request: DisclosureRequest =
        open_payload(envelope).map_err(|e| ServiceError::bad_field("payload", e.to_string()))?;
    if node
        .store
        .get_disclosure(&request.request_id, DIRECTION_INCOMING)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let now = node.now();
    let row = DisclosureRow {
        id: request.request_id.clone(),
        direction: DIRECTION_INCOMING.to_owned(),
        partner: partner.node_id.clone(),
        hit_ref: request.hit_ref.clone(),
        purpose: request.purpose.clone(),
        legal_basis: request.legal_basis.clone(),
        case_ref: request.case_ref.clone(),
        requested_by: partner.node_id.clone(),
        state: DISCLOSURE_PENDING.to_owned(),
        decided_by: None,
        reason: None,
        record: None,
        created_at: now,
        decided_at: None,
    };
    node.store.put_disclosure(&row).await?;
    let mut event = AuditEvent::new("disclosure.received", "ok")
        .object(format!("disclosure/{}", row.id))
        .detail(format!(
            "from {}: hit {}; legal basis: {}",
            partner.node_id, request.hit_ref, request.legal_basis
        ));
    event.purpose = Some(request.purpose.clone());
    event.case_ref = request.case_ref.clone();
    event.recipients = vec![partner.node_id.clone()];
    record_audit(node, caller, event).await?;

    // What can be decided without a person: an unknown or expired reference, one handed to another
    // partner, a purpose or category outside the agreement; and an agreement that approves automatically.
    let refusal = match node.store.get_hit_ref(&request.hit_ref).await? {
        None => Some("the hit reference is not known to this node".to_owned()),
        Some(hit) if hit.requester != partner.node_id => {
            Some("the hit reference was not given to the requesting node".to_owned())
        }
        Some(hit) if hit.expires_at <= now => Some("the hit reference has expired".to_owned()),
        Some(hit) => match agreement_with(node, &partner.node_id).await? {
            None => Some("there is no agreement with the requesting node".to_owned()),
            Some(agreement) => {
                match agreement.admit_disclosure(&request.purpose, hit.record_type) {
                    Err(refusal) => Some(refusal.to_string()),
                    Ok(_) if agreement.step2 == Step2::Automatic => {
                        decide(
                            node,
                            caller,
                            &row,
                            true,
                            None,
                            &format!("automatic (agreement version {})", agreement.version),
                        )
                        .await?;
                        None
                    }
                    Ok(_) => None,
                }
            }
        },
    };
    if let Some(reason) = refusal {
        decide(
            node,
            caller,
            &row,
            false,
            Some(&reason),
            &format!("node {}", node.id),
        )
        .await?;
    }
    Ok(())
}

/// A supervisor approves or refuses a partner's pending request.
pub async fn decide_request(
    node: &Node,
    caller: &Caller,
    id: &str,
    approve: bool,
    reason: Option<&str>,
) -> Result<DisclosureBody, ServiceError> {
    let action = if approve {
        "disclosure.approve"
    } else {
        "disclosure.refuse"
    };
    require_role(
        node,
        caller,
        DECIDING_ROLES,
        action,
        Some(format!("disclosure/{id}")),
    )
    .await?;
    let row = node
        .store
        .get_disclosure(id, DIRECTION_INCOMING)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no request `{id}` from a partner")))?;
    if row.state != DISCLOSURE_PENDING {
        return Err(ServiceError::Conflict(format!(
            "request `{id}` is already {}",
            row.state
        )));
    }
    decide(
        node,
        caller,
        &row,
        approve,
        reason,
        &caller.actor.audit_name(),
    )
    .await?;
    let decided = node
        .store
        .get_disclosure(id, DIRECTION_INCOMING)
        .await?
        .ok_or_else(|| ServiceError::Internal("the decided request is missing".into()))?;
    Ok(body(&decided, false))
}

/// Records the decision, and sends it with the record when approved. An approval that cannot be honoured
/// (the record is gone, or is not this node's own) becomes a refusal saying why.
async fn decide(
    node: &Node,
    caller: &Caller,
    row: &DisclosureRow,
    approve: bool,
    reason: Option<&str>,
    decided_by: &str,
) -> Result<(), ServiceError> {
    let now = node.now();
    let mut record: Option<(RecordType, String, StoredRecord)> = None;
    let mut refusal = reason.map(str::to_owned);
    if approve {
        match node.store.get_hit_ref(&row.hit_ref).await? {
            Some(hit) => match node
                .store
                .get_record(hit.record_type, &hit.record_id)
                .await?
            {
                Some(stored)
                    if stored.owner == node.id.as_str()
                        && !super::federated::distribution_allows(&stored.body, &row.partner) =>
                {
                    refusal = Some(format!(
                        "the record's distribution does not include {}",
                        row.partner
                    ));
                }
                Some(stored) if stored.owner == node.id.as_str() => {
                    record = Some((hit.record_type, hit.record_id, stored));
                }
                Some(_) => {
                    refusal = Some("the record belongs to another node".into());
                }
                None => refusal = Some("the record is no longer held".into()),
            },
            None => refusal = Some("the hit reference is not known to this node".into()),
        }
    }
    let (state, message) = match &record {
        Some((_, _, stored)) => {
            let body: Value = serde_json::from_str(&stored.body)
                .map_err(|e| ServiceError::Internal(format!("stored record unreadable: {e}")))?;
            (
                DISCLOSURE_APPROVED,
                DisclosureDecision {
                    request_id: row.id.clone(),
                    state: DecisionState::Approved,
                    reason: None,
                    record: Some(body),
                    handling: Some(stored.handling_code.clone()),
                    retain_until: stored.retain_until.map(|d| d.to_string()),
                },
            )
        }
        None => (
            DISCLOSURE_REFUSED,
            DisclosureDecision {
                request_id: row.id.clone(),
                state: DecisionState::Refused,
                reason: refusal.clone(),
                record: None,
                handling: None,
                retain_until: None,
            },
        ),
    };
    if !node
        .store
        .decide_disclosure(
            &row.id,
            DIRECTION_INCOMING,
            state,
            decided_by,
            refusal.as_deref(),
            None,
            now,
        )
        .await?
    {
        return Err(ServiceError::Conflict(format!(
            "request `{}` was decided meanwhile",
            row.id
        )));
    }
    send(
        node,
        &row.partner,
        &message,
        Some(row.id.clone()),
        row.case_ref.clone(),
    )
    .await?;
    let mut event = AuditEvent::new(
        if state == DISCLOSURE_APPROVED {
            "disclosure.approve"
        } else {
            "disclosure.refuse"
        },
        "ok",
    )
    .object(format!("disclosure/{}", row.id))
    .detail(match &refusal {
        Some(reason) => format!("decided by {decided_by}: {reason}"),
        None => format!("decided by {decided_by}"),
    });
    if let Some((record_type, id, stored)) = &record {
        event.objects.push(format!("{}/{id}", record_type.as_str()));
        event.detail = Some(format!(
            "decided by {decided_by}; disclosed with handling {}",
            stored.handling_code
        ));
    }
    event.purpose = Some(row.purpose.clone());
    event.case_ref = row.case_ref.clone();
    event.recipients = vec![row.partner.clone()];
    record_audit(node, caller, event).await
}

/// The owner's decision arrives: the request is closed with it, and an approved record is kept as a
/// foreign record (id `<partner>:<id>`, owner = the partner, the owner's handling code and retention).
pub(crate) async fn receive_decision(
    node: &Node,
    caller: &Caller,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let decision: DisclosureDecision =
        open_payload(envelope).map_err(|e| ServiceError::bad_field("payload", e.to_string()))?;
    let Some(row) = node
        .store
        .get_disclosure(&decision.request_id, DIRECTION_OUTGOING)
        .await?
    else {
        tracing::warn!(request = %decision.request_id, "decision on an unknown request ignored");
        return Ok(());
    };
    if row.partner != partner.node_id || row.state != DISCLOSURE_PENDING {
        return Ok(());
    }
    let now = node.now();
    let mut kept = None;
    let stored_body = match (&decision.state, &decision.record) {
        (DecisionState::Approved, Some(record)) => {
            let foreign = keep_foreign(node, partner, &decision, record).await?;
            let text = serde_json::to_string(&foreign.1)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            kept = Some(foreign.0);
            Some(text)
        }
        _ => None,
    };
    node.store
        .decide_disclosure(
            &row.id,
            DIRECTION_OUTGOING,
            decision.state.as_str(),
            &partner.node_id,
            decision.reason.as_deref(),
            stored_body.as_deref(),
            now,
        )
        .await?;
    let mut event = AuditEvent::new("disclosure.decision", "ok")
        .object(format!("disclosure/{}", row.id))
        .detail(format!(
            "{} by {}{}",
            decision.state.as_str(),
            partner.node_id,
            decision
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ));
    event.objects.extend(kept);
    event.purpose = Some(row.purpose.clone());
    event.case_ref = row.case_ref.clone();
    event.recipients = vec![partner.node_id.clone()];
    record_audit(node, caller, event).await
}

/// Stores a disclosed record as a foreign record and returns its key and the body kept.
async fn keep_foreign(
    node: &Node,
    partner: &PartnerRow,
    decision: &DisclosureDecision,
    record: &Value,
) -> Result<(String, Value), ServiceError> {
    let record_type = record["type"]
        .as_str()
        .and_then(|t| RecordType::parse(t).ok())
        .ok_or_else(|| ServiceError::bad_field("payload.record.type", "not a record type"))?;
    let source_id = record["id"]
        .as_str()
        .ok_or_else(|| ServiceError::bad_field("payload.record.id", "missing"))?;
    let id = format!("{}:{source_id}", partner.node_id);
    let mut body = record.clone();
    if let Some(object) = body.as_object_mut() {
        object.insert("id".into(), Value::String(id.clone()));
        object.insert("owner".into(), Value::String(partner.node_id.clone()));
        if let Some(handling) = &decision.handling {
            // The owner's code travels with the record; a foreign record is never passed on.
            object.insert(
                "handling".into(),
                serde_json::json!({ "code": handling, "distribution": "national" }),
            );
        }
    }
    let stored = StoredRecord {
        record_type,
        id: id.clone(),
        owner: partner.node_id.clone(),
        handling_code: decision.handling.clone().unwrap_or_else(|| "H1".into()),
        retain_until: decision
            .retain_until
            .as_deref()
            .and_then(|d| liaison_core::parse_date(d).ok()),
        references: Vec::new(),
        body: body.to_string(),
    };
    node.store.put_records(&[stored], node.now()).await?;
    if let Some(index) = &node.screening {
        index
            .refresh(node.store.as_ref(), &[(record_type, id.clone())])
            .await?;
    }
    Ok((format!("{}/{id}", record_type.as_str()), body))
}
