//! The wire shapes of federation, version 1: the signed envelope every message between nodes travels in,
//! its payloads, the node card partners exchange out of band, and the sharing-agreement file.
//!
//! The protocol rules (sealing, the checks a receiver makes, agreements, retries) live in
//! `liaison-federation`; this module only turns bytes into these shapes and back, refusing anything that does
//! not fit and naming the field. `docs/federation.md` is the reference of the format.

mod agreement;
mod canonical;
mod card;
mod envelope;
mod legal;
mod payloads;

pub use agreement::{
    AgreementFile, RATE_LIMIT_PER_MINUTE, RESPONSE_DEADLINE_MS, STEP1_VALUES, STEP2_VALUES,
    agreement_to_toml, parse_agreement_toml,
};
pub use canonical::{MAX_SAFE_INTEGER, canonical_json, check_numbers};
pub use card::{MAX_CARD_BYTES, NodeCard, card_canonical_bytes, decode_card, encode_card};
pub use envelope::{Envelope, canonical_bytes, decode, encode};
pub use legal::{
    CUSTODY_EVENTS, LegalActionMessage, LegalCatalogueMessage, LegalEvidenceMessage,
    LegalRequestMessage, MAX_CATALOGUE_OFFENCES, MAX_CUSTODY_EVENTS, MAX_EVIDENCE_BYTES,
    custody_signing_bytes,
};
pub use payloads::{
    AttachmentRef, DecisionState, DisclosureDecision, DisclosureRequest, FreeTextMessage, HitBand,
    MAX_SEARCH_LIMIT, PartnerHit, Payload, Receipt, SearchRequest, SearchResponse, SearchStatus,
    decode_payload, encode_payload,
};

use chrono::{DateTime, SecondsFormat, Utc};

/// The envelope, node-card and payload version this code writes and reads.
pub const VERSION: u32 = 1;

/// `type` of a federated search (step 1 of the two-step exchange).
pub const KIND_SEARCH_REQUEST: &str = "search.request";
/// `type` of the answer to a federated search: hit/no-hit with opaque references.
pub const KIND_SEARCH_RESPONSE: &str = "search.response";
/// `type` of a request for the full record behind a hit reference (step 2).
pub const KIND_DISCLOSURE_REQUEST: &str = "disclosure.request";
/// `type` of the owner's decision on a disclosure request, carrying the record when approved.
pub const KIND_DISCLOSURE_DECISION: &str = "disclosure.decision";
/// `type` of the signed acknowledgement that an envelope was received and stored.
pub const KIND_RECEIPT: &str = "receipt";
/// `type` of a free-text message in a case thread.
pub const KIND_MESSAGE: &str = "message";
/// `type` of a legal cooperation request sent for execution.
pub const KIND_LEGAL_REQUEST: &str = "legal.request";
/// `type` of an action one side took on a legal cooperation request, mirrored by the other.
pub const KIND_LEGAL_ACTION: &str = "legal.action";
/// `type` of a piece of evidence with its chain of custody.
pub const KIND_LEGAL_EVIDENCE: &str = "legal.evidence";
/// `type` of a node's national offence catalogue, placed in the ICCS.
pub const KIND_LEGAL_CATALOGUE: &str = "legal.catalogue";

/// Every message kind of version 1.
pub const KINDS: &[&str] = &[
    KIND_SEARCH_REQUEST,
    KIND_SEARCH_RESPONSE,
    KIND_DISCLOSURE_REQUEST,
    KIND_DISCLOSURE_DECISION,
    KIND_RECEIPT,
    KIND_MESSAGE,
    KIND_LEGAL_REQUEST,
    KIND_LEGAL_ACTION,
    KIND_LEGAL_EVIDENCE,
    KIND_LEGAL_CATALOGUE,
];

/// The handling codes an envelope may carry (Europol model; H3's conditions travel in the payload).
pub const HANDLING_CODES: &[&str] = &["H0", "H1", "H2", "H3"];

/// Why federation bytes (an envelope, a payload, a node card or an agreement file) were refused. Each
/// variant says where: a line and column of the text, or the path of the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("message is {size} bytes, over the limit of {max}")]
    Oversized { size: usize, max: usize },
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{what} version {version} is not supported (this node reads version {VERSION})")]
    UnsupportedVersion { what: &'static str, version: u64 },
    #[error("{}{message}", if field.is_empty() { String::new() } else { format!("field `{field}`: ") })]
    Field { field: String, message: String },
    #[error("payload is for `{found}`, expected `{expected}`")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error("not valid TOML at line {line}, column {column}: {message}")]
    Toml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("key `{key}`{}: {message}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    Key {
        key: String,
        line: Option<usize>,
        message: String,
    },
}

/// The name the federation design gives to envelope decoding errors; the same type as every other wire error.
pub type EnvelopeDecodeError = WireError;

impl WireError {
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        WireError::Field {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn syntax(error: &serde_json::Error) -> Self {
        WireError::Syntax {
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        }
    }

    /// A `serde_path_to_error` failure: the path serde reached and what it refused there.
    pub(crate) fn from_path(
        prefix: &str,
        error: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let path = error.path().to_string();
        let field = match (prefix.is_empty(), path.as_str()) {
            (true, ".") => String::new(),
            (true, _) => path.clone(),
            (false, ".") => prefix.to_owned(),
            (false, _) => format!("{prefix}.{path}"),
        };
        WireError::field(field, strip_position(&error.into_inner().to_string()))
    }
}

/// serde_json appends "at line L column C" to messages from a `Value`, where the position means nothing.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Formats a time the one way federation writes it: RFC 3339, UTC, microseconds, `Z`
/// (`2026-03-01T09:30:00.000000Z`), so the same instant always has the same signed bytes.
pub fn format_timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a time written by `format_timestamp`; any other spelling of the instant is refused.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let at = DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc);
    (format_timestamp(at) == text).then_some(at)
}

/// Checks a canonical timestamp field.
pub(crate) fn check_timestamp(field: &str, text: &str) -> Result<(), WireError> {
    match parse_timestamp(text) {
        Some(_) => Ok(()),
        None => Err(WireError::field(
            field,
            format!("`{text}` is not a UTC time written as YYYY-MM-DDTHH:MM:SS.ffffffZ"),
        )),
    }
}

/// Checks a field that must hold some text of bounded length without control characters.
pub(crate) fn check_text(field: &str, text: &str, max_chars: usize) -> Result<(), WireError> {
    if text.trim().is_empty() {
        return Err(WireError::field(field, "must not be empty"));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(WireError::field(
            field,
            format!("is {chars} characters long, the limit is {max_chars}"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(WireError::field(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks a node id field.
pub(crate) fn check_node_id(field: &str, text: &str) -> Result<(), WireError> {
    liaison_core::NodeId::parse(text)
        .map(|_| ())
        .map_err(|e| WireError::field(field, e.to_string()))
}

/// Checks that `text` is lowercase hex of exactly `len` digits.
pub(crate) fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_have_one_spelling() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
        let text = format_timestamp(at);
        assert_eq!(text, "2026-03-01T09:30:00.000000Z");
        assert_eq!(parse_timestamp(&text), Some(at));
        for other in [
            "2026-03-01T09:30:00Z",
            "2026-03-01T09:30:00.000000+00:00",
            "2026-03-01T10:30:00.000000+01:00",
            "2026-03-01t09:30:00.000000z",
            "2026-03-01T09:30:00.000000000Z",
            "yesterday",
        ] {
            assert_eq!(parse_timestamp(other), None, "{other}");
        }
    }
}
