//! The payloads of legal cooperation between nodes: a request sent for execution, each action either side
//! takes (mirrored on the other), evidence with its custody chain, and a node's offence catalogue.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::payloads::Payload;
use super::{
    KIND_LEGAL_ACTION, KIND_LEGAL_CATALOGUE, KIND_LEGAL_EVIDENCE, KIND_LEGAL_REQUEST, WireError,
    canonical_json, check_text, check_timestamp, is_lower_hex,
};
use crate::legal::{CatalogueOffence, CustodyEvent, LegalRequestForm};

const MAX_ID_CHARS: usize = 128;
const MAX_SHORT_CHARS: usize = 2_000;
/// Largest evidence content carried inside one envelope (its base64 must fit the envelope limit).
pub const MAX_EVIDENCE_BYTES: usize = 512 * 1024;
/// Most custody events on one piece of evidence.
pub const MAX_CUSTODY_EVENTS: usize = 200;
/// Most offences in a published catalogue.
pub const MAX_CATALOGUE_OFFENCES: usize = 5_000;

/// An identifier chosen by the other node (a request or evidence id): it becomes part of this node's
/// addresses, so it is kept to letters, digits and `-`, `_`, `.`, `:` (UUIDs and the like).
fn check_id(field: &str, id: &str) -> Result<(), WireError> {
    check_text(field, id, MAX_ID_CHARS)?;
    if id.starts_with('.')
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        return Err(WireError::field(
            field,
            "may hold only letters, digits and - _ . : (and not start with a dot)",
        ));
    }
    Ok(())
}

/// The custody events a chain may hold, in the order they usually happen.
pub const CUSTODY_EVENTS: &[&str] = &[
    "collected",
    "sealed",
    "sent",
    "received",
    "verified",
    "opened",
];

/// `legal.request`: the requesting node sends a request for execution.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalRequestMessage {
    pub request_id: String,
    /// When the requesting side sent it.
    pub sent_at: String,
    pub created_by: String,
    pub form: LegalRequestForm,
}

impl Payload for LegalRequestMessage {
    const KIND: &'static str = KIND_LEGAL_REQUEST;

    fn check(&self) -> Result<(), WireError> {
        check_id("payload.request_id", &self.request_id)?;
        check_timestamp("payload.sent_at", &self.sent_at)?;
        check_text("payload.created_by", &self.created_by, MAX_SHORT_CHARS)?;
        self.form
            .check()
            .map_err(|(field, message)| WireError::field(format!("payload.form.{field}"), message))
    }
}

/// `legal.action`: one side took an action on a request; the other applies the same transition. The state
/// after it and the time are the acting side's, so both sides keep the same timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalActionMessage {
    pub request_id: String,
    /// The action's wire name (`receive`, `recognise`, `extend`, ...).
    pub action: String,
    /// `requesting` or `executing`: who acted.
    pub side: String,
    /// How many actions the acting side has taken on the request, this one included (1 for its first).
    /// The receiver applies a side's actions in this order, and holds one back until those before it
    /// have arrived.
    pub ordinal: u32,
    pub at: String,
    pub actor: String,
    /// The state the request is in after the action, as the acting side computed it.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grounds: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The event time an action records (arrest, consent) or the new target date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Payload for LegalActionMessage {
    const KIND: &'static str = KIND_LEGAL_ACTION;

    fn check(&self) -> Result<(), WireError> {
        check_id("payload.request_id", &self.request_id)?;
        check_text("payload.action", &self.action, 64)?;
        if self.side != "requesting" && self.side != "executing" {
            return Err(WireError::field(
                "payload.side",
                "must be `requesting` or `executing`",
            ));
        }
        if self.ordinal == 0 {
            return Err(WireError::field("payload.ordinal", "counts from 1"));
        }
        check_timestamp("payload.at", &self.at)?;
        check_text("payload.actor", &self.actor, MAX_SHORT_CHARS)?;
        check_text("payload.state", &self.state, 64)?;
        for (field, text) in [
            ("payload.grounds", &self.grounds),
            ("payload.note", &self.note),
            ("payload.date", &self.date),
            ("payload.deadline", &self.deadline),
            ("payload.reason", &self.reason),
        ] {
            if let Some(text) = text {
                check_text(field, text, MAX_SHORT_CHARS)?;
            }
        }
        Ok(())
    }
}

/// `legal.evidence`: a piece of evidence with its content and its custody chain so far.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalEvidenceMessage {
    pub request_id: String,
    pub evidence_id: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    /// The content, base64 (standard alphabet, padded).
    pub content: String,
    pub custody: Vec<CustodyEvent>,
}

impl Payload for LegalEvidenceMessage {
    const KIND: &'static str = KIND_LEGAL_EVIDENCE;

    fn check(&self) -> Result<(), WireError> {
        check_id("payload.request_id", &self.request_id)?;
        check_id("payload.evidence_id", &self.evidence_id)?;
        check_text("payload.name", &self.name, 255)?;
        check_text("payload.media_type", &self.media_type, 255)?;
        if self.size > MAX_EVIDENCE_BYTES as u64 {
            return Err(WireError::field(
                "payload.size",
                format!("evidence over {MAX_EVIDENCE_BYTES} bytes does not travel in an envelope"),
            ));
        }
        if !is_lower_hex(&self.sha256, 64) {
            return Err(WireError::field(
                "payload.sha256",
                "must be 64 lowercase hex digits",
            ));
        }
        if self.custody.is_empty() || self.custody.len() > MAX_CUSTODY_EVENTS {
            return Err(WireError::field(
                "payload.custody",
                format!("must hold 1 to {MAX_CUSTODY_EVENTS} events"),
            ));
        }
        for (i, event) in self.custody.iter().enumerate() {
            check_custody_event(&format!("payload.custody[{i}]"), event)?;
        }
        Ok(())
    }
}

fn check_custody_event(at: &str, event: &CustodyEvent) -> Result<(), WireError> {
    if !CUSTODY_EVENTS.contains(&event.event.as_str()) {
        return Err(WireError::field(
            format!("{at}.event"),
            format!("must be one of: {}", CUSTODY_EVENTS.join(", ")),
        ));
    }
    check_timestamp(&format!("{at}.at"), &event.at)?;
    check_text(&format!("{at}.node"), &event.node, MAX_ID_CHARS)?;
    check_text(&format!("{at}.actor"), &event.actor, MAX_SHORT_CHARS)?;
    if !is_lower_hex(&event.sha256, 64) {
        return Err(WireError::field(
            format!("{at}.sha256"),
            "must be 64 lowercase hex digits",
        ));
    }
    if !event.prev.is_empty() && !is_lower_hex(&event.prev, 64) {
        return Err(WireError::field(
            format!("{at}.prev"),
            "must be empty or 64 lowercase hex digits",
        ));
    }
    check_text(&format!("{at}.signature"), &event.signature, 200)?;
    if let Some(note) = &event.note {
        check_text(&format!("{at}.note"), note, MAX_SHORT_CHARS)?;
    }
    Ok(())
}

/// The bytes a node signs for a custody event: the canonical JSON of the event without its signature,
/// bound to the request, the evidence and its size.
pub fn custody_signing_bytes(
    request_id: &str,
    evidence_id: &str,
    size: u64,
    event: &CustodyEvent,
) -> Vec<u8> {
    let value: Value = json!({
        "request_id": request_id,
        "evidence_id": evidence_id,
        "size": size,
        "seq": event.seq,
        "event": event.event,
        "at": event.at,
        "node": event.node,
        "actor": event.actor,
        "sha256": event.sha256,
        "note": event.note,
        "prev": event.prev,
    });
    canonical_json(&value)
}

/// `legal.catalogue`: a node publishes its national offences, placed in the ICCS, so partners can check
/// dual criminality before they send a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalCatalogueMessage {
    pub updated_at: String,
    pub offences: Vec<CatalogueOffence>,
}

impl Payload for LegalCatalogueMessage {
    const KIND: &'static str = KIND_LEGAL_CATALOGUE;

    fn check(&self) -> Result<(), WireError> {
        check_timestamp("payload.updated_at", &self.updated_at)?;
        if self.offences.len() > MAX_CATALOGUE_OFFENCES {
            return Err(WireError::field(
                "payload.offences",
                format!("holds more than {MAX_CATALOGUE_OFFENCES} offences"),
            ));
        }
        for (i, offence) in self.offences.iter().enumerate() {
            check_text(&format!("payload.offences[{i}].code"), &offence.code, 64)?;
            check_text(&format!("payload.offences[{i}].name"), &offence.name, 500)?;
            liaison_core::IccsCode::parse(&offence.iccs).map_err(|e| {
                WireError::field(format!("payload.offences[{i}].iccs"), e.to_string())
            })?;
        }
        Ok(())
    }
}
