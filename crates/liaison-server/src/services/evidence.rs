//! Evidence attached to legal requests: content kept with its SHA-256, size and type, and a chain of
//! custody (collected, sealed, sent, received, verified, opened) whose every event the recording node signs.
//! A receiving node checks the content against the digest and every signature and link of the chain, and
//! flags any mismatch.

use liaison_crypto::sha256_hex;
use liaison_federation::{CustodyVerdict, EvidenceRef, append_custody, verify_custody};
use liaison_proto::federation::{
    Envelope, LegalEvidenceMessage, MAX_EVIDENCE_BYTES, decode_payload, parse_timestamp,
};
use liaison_proto::legal::{CustodyEvent, CustodyEventBody, EvidenceBody};
use liaison_store::{
    CustodyEventRow, EVIDENCE_INTACT, EVIDENCE_MISMATCH, EVIDENCE_UNVERIFIED, EvidenceRow,
    LegalRequestRow, PartnerRow,
};

use super::disclosures::send;
use super::legal::{VIEW_ROLES, load, roles_for, time};
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Verification mark of an event recorded by this node.
const OWN: &str = "own";
const VERIFIED: &str = "verified";

fn evidence_ref<'a>(row: &'a EvidenceRow) -> EvidenceRef<'a> {
    EvidenceRef {
        request_id: &row.request_id,
        evidence_id: &row.id,
        size: u64::try_from(row.size).unwrap_or(0),
    }
}

fn wire_event(row: &CustodyEventRow) -> CustodyEvent {
    CustodyEvent {
        seq: u32::try_from(row.seq).unwrap_or(0),
        event: row.event.clone(),
        at: time(row.at),
        node: row.node.clone(),
        actor: row.actor.clone(),
        sha256: row.sha256.clone(),
        note: row.note.clone(),
        prev: row.prev.clone(),
        signature: row.signature.clone(),
    }
}

fn stored_event(
    evidence_id: &str,
    event: &CustodyEvent,
    verification: String,
) -> Result<CustodyEventRow, ServiceError> {
    Ok(CustodyEventRow {
        evidence_id: evidence_id.to_owned(),
        seq: i64::from(event.seq),
        event: event.event.clone(),
        at: parse_timestamp(&event.at)
            .ok_or_else(|| ServiceError::bad_field("custody.at", "not a canonical timestamp"))?,
        node: event.node.clone(),
        actor: event.actor.clone(),
        sha256: event.sha256.clone(),
        note: event.note.clone(),
        prev: event.prev.clone(),
        signature: event.signature.clone(),
        verification,
    })
}

fn body(row: &EvidenceRow, chain: &[CustodyEventRow]) -> EvidenceBody {
    EvidenceBody {
        id: row.id.clone(),
        request_id: row.request_id.clone(),
        name: row.name.clone(),
        media_type: row.media_type.clone(),
        size: u64::try_from(row.size).unwrap_or(0),
        sha256: row.sha256.clone(),
        origin: row.origin.clone(),
        added_by: row.added_by.clone(),
        created_at: time(row.created_at),
        status: row.status.clone(),
        status_detail: row.status_detail.clone(),
        custody: chain
            .iter()
            .map(|event| CustodyEventBody {
                event: wire_event(event),
                verification: event.verification.clone(),
            })
            .collect(),
    }
}

/// The evidence of a request with its custody chains.
pub(crate) async fn bodies(
    node: &Node,
    request_id: &str,
) -> Result<Vec<EvidenceBody>, ServiceError> {
    let mut bodies = Vec::new();
    for row in node.store.list_evidence(request_id).await? {
        let chain = node.store.custody_events(&row.id).await?;
        bodies.push(body(&row, &chain));
    }
    Ok(bodies)
}

/// Signs and stores the next custody event of `evidence`, recorded by this node.
async fn record(
    node: &Node,
    evidence: &EvidenceRow,
    event: &str,
    actor: &str,
    note: Option<String>,
) -> Result<CustodyEvent, ServiceError> {
    let Some(federation) = node.federation.clone() else {
        return Err(ServiceError::Conflict(
            "this node has no signing key: custody events are signed by a federating node"
                .to_owned(),
        ));
    };
    let chain: Vec<CustodyEvent> = node
        .store
        .custody_events(&evidence.id)
        .await?
        .iter()
        .map(wire_event)
        .collect();
    let draft = CustodyEvent {
        seq: 0,
        event: event.to_owned(),
        at: time(node.now()),
        node: node.id.as_str().to_owned(),
        actor: actor.to_owned(),
        sha256: evidence.sha256.clone(),
        note,
        prev: String::new(),
        signature: String::new(),
    };
    let signed = append_custody(&federation.key, evidence_ref(evidence), &chain, draft);
    node.store
        .append_custody_event(&stored_event(&evidence.id, &signed, OWN.to_owned())?)
        .await?;
    Ok(signed)
}

async fn load_evidence(
    node: &Node,
    request: &LegalRequestRow,
    evidence_id: &str,
) -> Result<EvidenceRow, ServiceError> {
    match node.store.get_evidence(evidence_id).await? {
        Some(row) if row.request_id == request.id => Ok(row),
        _ => Err(ServiceError::NotFound(format!(
            "no evidence `{evidence_id}` on legal request `{}`",
            request.id
        ))),
    }
}

/// Attaches evidence this node collected: its digest is taken now, and the custody chain starts with
/// `collected` and `sealed`, signed by this node.
pub async fn add(
    node: &Node,
    caller: &Caller,
    request_id: &str,
    name: &str,
    media_type: &str,
    content: &[u8],
    note: Option<String>,
) -> Result<EvidenceBody, ServiceError> {
    let object = format!("legal_request/{request_id}");
    let request = load(node, request_id).await?;
    let kind = liaison_core::legal::RequestKind::parse(&request.kind)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    require_role(
        node,
        caller,
        roles_for(kind),
        "legal.evidence_add",
        Some(object.clone()),
    )
    .await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 || name.chars().any(char::is_control) {
        return Err(ServiceError::bad_field(
            "name",
            "give the file name: 1 to 255 characters, no control characters",
        ));
    }
    let media_type = media_type.trim();
    if media_type.is_empty() || !media_type.contains('/') || media_type.len() > 255 {
        return Err(ServiceError::bad_field(
            "media_type",
            format!("`{media_type}` is not a media type such as application/pdf"),
        ));
    }
    if content.is_empty() {
        return Err(ServiceError::bad_field("content", "the evidence is empty"));
    }
    if content.len() > MAX_EVIDENCE_BYTES {
        return Err(ServiceError::bad_field(
            "content",
            format!(
                "{} bytes is over the {MAX_EVIDENCE_BYTES} bytes that travel between nodes; split it or send it by other means and attach its digest in a note",
                content.len()
            ),
        ));
    }
    if liaison_core::legal::RequestState::ALL
        .iter()
        .any(|s| s.as_str() == request.state && s.is_final())
    {
        return Err(ServiceError::Conflict(format!(
            "the request is {}",
            request.state
        )));
    }
    if node.federation.is_none() {
        return Err(ServiceError::Conflict(
            "this node has no signing key: evidence is kept by a federating node, whose custody events it signs"
                .to_owned(),
        ));
    }
    let row = EvidenceRow {
        id: uuid::Uuid::now_v7().to_string(),
        request_id: request.id.clone(),
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        size: i64::try_from(content.len()).unwrap_or(i64::MAX),
        sha256: sha256_hex(content),
        content: Some(content.to_vec()),
        origin: node.id.as_str().to_owned(),
        added_by: caller.actor.audit_name(),
        created_at: node.now(),
        status: EVIDENCE_INTACT.to_owned(),
        status_detail: None,
    };
    node.store.put_evidence(&row).await?;
    let actor = caller.actor.audit_name();
    record(node, &row, "collected", &actor, note).await?;
    record(node, &row, "sealed", &actor, None).await?;
    let mut audit = AuditEvent::new("legal.evidence_add", "ok")
        .object(object)
        .object(format!("evidence/{}", row.id))
        .detail(format!(
            "{} ({} bytes, sha256 {})",
            row.name, row.size, row.sha256
        ));
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = request.case_ref.clone();
    record_audit(node, caller, audit).await?;
    let chain = node.store.custody_events(&row.id).await?;
    Ok(body(&row, &chain))
}

/// Sends evidence this node holds to the partner on the request, with its chain and a `sent` event.
pub async fn send_to_partner(
    node: &Node,
    caller: &Caller,
    request_id: &str,
    evidence_id: &str,
) -> Result<EvidenceBody, ServiceError> {
    let object = format!("evidence/{evidence_id}");
    let request = load(node, request_id).await?;
    let kind = liaison_core::legal::RequestKind::parse(&request.kind)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    require_role(
        node,
        caller,
        roles_for(kind),
        "legal.evidence_send",
        Some(object.clone()),
    )
    .await?;
    if request.state == "draft" {
        return Err(ServiceError::Conflict(
            "send the request before its evidence".to_owned(),
        ));
    }
    let row = load_evidence(node, &request, evidence_id).await?;
    let Some(content) = row.content.clone() else {
        return Err(ServiceError::Conflict(
            "this node does not hold the content".to_owned(),
        ));
    };
    if sha256_hex(&content) != row.sha256 {
        return Err(ServiceError::Conflict(
            "the content no longer matches its digest: it is not sent".to_owned(),
        ));
    }
    record(
        node,
        &row,
        "sent",
        &caller.actor.audit_name(),
        Some(format!("to {}", request.partner)),
    )
    .await?;
    let chain = node.store.custody_events(&row.id).await?;
    let message = LegalEvidenceMessage {
        request_id: request.id.clone(),
        evidence_id: row.id.clone(),
        name: row.name.clone(),
        media_type: row.media_type.clone(),
        size: u64::try_from(row.size).unwrap_or(0),
        sha256: row.sha256.clone(),
        content: data_encoding::BASE64.encode(&content),
        custody: chain.iter().map(wire_event).collect(),
    };
    send(
        node,
        &request.partner,
        &message,
        Some(request.id.clone()),
        request.case_ref.clone(),
    )
    .await?;
    let mut audit = AuditEvent::new("legal.evidence_send", "ok")
        .object(format!("legal_request/{}", request.id))
        .object(object)
        .detail(format!("{} to {}", row.name, request.partner));
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = request.case_ref.clone();
    audit.recipients = vec![request.partner.clone()];
    record_audit(node, caller, audit).await?;
    Ok(body(&row, &chain))
}

/// One piece of evidence with its chain.
pub async fn get(
    node: &Node,
    caller: &Caller,
    request_id: &str,
    evidence_id: &str,
) -> Result<EvidenceBody, ServiceError> {
    let object = format!("evidence/{evidence_id}");
    require_role(
        node,
        caller,
        VIEW_ROLES,
        "legal.evidence_read",
        Some(object.clone()),
    )
    .await?;
    let request = load(node, request_id).await?;
    let row = load_evidence(node, &request, evidence_id).await?;
    let chain = node.store.custody_events(&row.id).await?;
    let mut audit = AuditEvent::new("legal.evidence_read", "ok").object(object);
    audit.case_ref = request.case_ref.clone();
    record_audit(node, caller, audit).await?;
    Ok(body(&row, &chain))
}

/// The content of a piece of evidence. Opening it is a custody event, signed by this node, and audited;
/// the digest is checked again first and a mismatch is recorded on the evidence.
pub async fn open_content(
    node: &Node,
    caller: &Caller,
    request_id: &str,
    evidence_id: &str,
) -> Result<(EvidenceRow, Vec<u8>), ServiceError> {
    let object = format!("evidence/{evidence_id}");
    let request = load(node, request_id).await?;
    let kind = liaison_core::legal::RequestKind::parse(&request.kind)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    require_role(
        node,
        caller,
        roles_for(kind),
        "legal.evidence_open",
        Some(object.clone()),
    )
    .await?;
    let row = load_evidence(node, &request, evidence_id).await?;
    let Some(content) = row.content.clone() else {
        return Err(ServiceError::NotFound(
            "this node does not hold the content".to_owned(),
        ));
    };
    let digest = sha256_hex(&content);
    if digest != row.sha256 {
        node.store
            .set_evidence_status(
                &row.id,
                EVIDENCE_MISMATCH,
                Some(&format!(
                    "content digest is now {digest}, {} was recorded",
                    row.sha256
                )),
            )
            .await?;
    }
    record(node, &row, "opened", &caller.actor.audit_name(), None).await?;
    let mut audit = AuditEvent::new("legal.evidence_open", "ok")
        .object(format!("legal_request/{}", request.id))
        .object(object)
        .detail(format!("{} ({} bytes)", row.name, content.len()));
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = request.case_ref.clone();
    record_audit(node, caller, audit).await?;
    Ok((row, content))
}

/// Evidence arrives from the partner: the content is checked against its digest and size, every custody
/// event against its signature, its link and the digest; this node then records `received`, and `verified`
/// when everything checks. Evidence is kept even when it does not check, flagged as a mismatch with why.
pub(crate) async fn receive(
    node: &Node,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let caller = Caller {
        actor: crate::Actor::Partner {
            node: partner.node_id.clone(),
        },
        request_id: None,
    };
    let message: LegalEvidenceMessage =
        decode_payload(envelope).map_err(|e| ServiceError::bad_field("payload", e.to_string()))?;
    let object = format!("evidence/{}", message.evidence_id);
    let request = match node.store.get_legal_request(&message.request_id).await? {
        Some(request) if request.partner == partner.node_id => request,
        Some(_) => {
            let audit = AuditEvent::new("legal.evidence_receive", "refused")
                .object(object)
                .detail(format!(
                    "for request `{}`, which this node does not share with {}",
                    message.request_id, partner.node_id
                ));
            return record_audit(node, &caller, audit).await;
        }
        // The request may still be on its way (deliveries run in parallel): the evidence waits in the
        // inbox until it has arrived.
        None => {
            return Err(ServiceError::Conflict(format!(
                "evidence for request `{}`, which has not arrived yet",
                message.request_id
            )));
        }
    };
    if node
        .store
        .get_evidence(&message.evidence_id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let mut problems = Vec::new();
    let content = match data_encoding::BASE64.decode(message.content.as_bytes()) {
        Ok(content) => content,
        Err(e) => {
            problems.push(format!("the content is not base64: {e}"));
            Vec::new()
        }
    };
    let digest = sha256_hex(&content);
    if digest != message.sha256 {
        problems.push(format!(
            "content digest {digest} differs from the declared {}",
            message.sha256
        ));
    }
    if content.len() as u64 != message.size {
        problems.push(format!(
            "content is {} bytes, {} were declared",
            content.len(),
            message.size
        ));
    }
    let row = EvidenceRow {
        id: message.evidence_id.clone(),
        request_id: request.id.clone(),
        name: message.name.clone(),
        media_type: message.media_type.clone(),
        size: i64::try_from(message.size).unwrap_or(i64::MAX),
        sha256: message.sha256.clone(),
        content: Some(content),
        origin: message
            .custody
            .first()
            .map(|e| e.node.clone())
            .unwrap_or_else(|| partner.node_id.clone()),
        added_by: format!("partner:{}", partner.node_id),
        created_at: node.now(),
        // Not intact until every check below has passed and been recorded: a receipt cut short leaves
        // the evidence unverified, never intact.
        status: EVIDENCE_UNVERIFIED.to_owned(),
        status_detail: Some("verification in progress".to_owned()),
    };
    let own_key = node.federation.as_ref().map(|f| f.key.public_key_base64());
    let key_of = |id: &str| -> Option<String> {
        if id == partner.node_id {
            Some(partner.signing_key.clone())
        } else if id == node.id.as_str() {
            own_key.clone()
        } else {
            None
        }
    };
    // The chain is checked against the digest of the content as it arrived.
    let verdicts = verify_custody(evidence_ref(&row), &digest, &message.custody, &key_of);
    match node.store.put_evidence(&row).await {
        Ok(()) => {}
        // The same message is being received at this moment (a retry, or the inbox applying messages
        // that waited): the first to store the evidence finishes the receipt.
        Err(liaison_store::StoreError::Conflict(_)) => return Ok(()),
        Err(error) => return Err(error.into()),
    }
    for (event, verdict) in message.custody.iter().zip(&verdicts) {
        let verification = match verdict {
            CustodyVerdict::Verified => VERIFIED.to_owned(),
            CustodyVerdict::Mismatch(why) => {
                problems.push(format!(
                    "custody event {} ({}): {why}",
                    event.seq, event.event
                ));
                format!("mismatch: {why}")
            }
        };
        node.store
            .append_custody_event(&stored_event(&row.id, event, verification)?)
            .await?;
    }
    let actor = format!("node:{}", node.id.as_str());
    record(
        node,
        &row,
        "received",
        &actor,
        Some(format!("from {}", partner.node_id)),
    )
    .await?;
    if problems.is_empty() {
        record(
            node,
            &row,
            "verified",
            &actor,
            Some("content digest, size and every custody signature check".to_owned()),
        )
        .await?;
        node.store
            .set_evidence_status(&row.id, EVIDENCE_INTACT, None)
            .await?;
    } else {
        node.store
            .set_evidence_status(&row.id, EVIDENCE_MISMATCH, Some(&problems.join("; ")))
            .await?;
    }
    let mut audit = AuditEvent::new(
        "legal.evidence_receive",
        if problems.is_empty() {
            "ok"
        } else {
            "mismatch"
        },
    )
    .object(format!("legal_request/{}", request.id))
    .object(object)
    .detail(if problems.is_empty() {
        format!(
            "{} ({} bytes) from {}: intact",
            row.name, row.size, partner.node_id
        )
    } else {
        format!(
            "{} from {}: {}",
            row.name,
            partner.node_id,
            problems.join("; ")
        )
    });
    audit.purpose = Some("legal_cooperation".to_owned());
    audit.case_ref = request.case_ref.clone();
    record_audit(node, &caller, audit).await
}
