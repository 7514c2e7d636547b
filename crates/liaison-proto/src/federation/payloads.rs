//! The payload of each message kind, and the one way to put a payload into an envelope and take it out.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::canonical::check_numbers;
use super::envelope::is_uuid_v7;
use super::{
    Envelope, HANDLING_CODES, KIND_DISCLOSURE_DECISION, KIND_DISCLOSURE_REQUEST, KIND_MESSAGE,
    KIND_RECEIPT, KIND_SEARCH_REQUEST, KIND_SEARCH_RESPONSE, WireError, check_text,
    check_timestamp, is_lower_hex,
};
use crate::api::ScreenQuery;

/// A payload of one message kind.
pub trait Payload: Serialize + DeserializeOwned {
    /// The envelope `type` this payload travels under.
    const KIND: &'static str;

    /// Checks what the field types cannot say (vocabularies, lengths, consistency). Paths are written
    /// from the envelope (`payload.hits[0].hit_ref`).
    fn check(&self) -> Result<(), WireError> {
        Ok(())
    }

    /// Checks the raw payload before it is read, for nested shapes that do not refuse unknown fields
    /// themselves.
    fn check_raw(_payload: &Value) -> Result<(), WireError> {
        Ok(())
    }
}

/// Largest `limit` of a federated search, and so the most hits an answer may carry.
pub const MAX_SEARCH_LIMIT: u32 = 100;
/// Longest identifier-like field (correlation ids, hit references, request ids).
const MAX_ID_CHARS: usize = 128;
/// Longest short text (reasons, legal bases, subjects, names).
const MAX_SHORT_CHARS: usize = 2_000;
/// Longest message body.
const MAX_BODY_CHARS: usize = 100_000;
/// Most attachments listed on one message.
const MAX_ATTACHMENTS: usize = 50;
/// Most names or document numbers in one federated query.
const MAX_QUERY_ITEMS: usize = 20;

/// The payload as the JSON object an envelope carries. Refuses what a receiver would refuse (a
/// floating-point number inside a summary or record, an invalid field), so a node never sends a message its
/// partner cannot read.
pub fn encode_payload<P: Payload>(payload: &P) -> Result<Value, WireError> {
    payload.check()?;
    let value =
        serde_json::to_value(payload).map_err(|e| WireError::field("payload", e.to_string()))?;
    check_numbers(&value, "payload").map_err(|path| {
        WireError::field(
            path,
            "numbers must be integers between -(2^53-1) and 2^53-1",
        )
    })?;
    Ok(value)
}

/// Reads the payload of `envelope` as `P`, refusing another kind, unknown fields and invalid values.
pub fn decode_payload<P: Payload>(envelope: &Envelope) -> Result<P, WireError> {
    if envelope.kind != P::KIND {
        return Err(WireError::WrongKind {
            expected: P::KIND,
            found: envelope.kind.clone(),
        });
    }
    P::check_raw(&envelope.payload)?;
    let payload: P = serde_path_to_error::deserialize(&envelope.payload)
        .map_err(|e| WireError::from_path("payload", e))?;
    payload.check()?;
    Ok(payload)
}

fn check_purpose(field: &str, purpose: &str) -> Result<(), WireError> {
    liaison_core::Purpose::parse(purpose)
        .map(|_| ())
        .map_err(|e| WireError::field(field, e.to_string()))
}

fn check_optional_text(field: &str, text: Option<&str>, max: usize) -> Result<(), WireError> {
    text.map_or(Ok(()), |t| check_text(field, t, max))
}

/// Free text that may span lines: tabs and line breaks are allowed, other control characters are not.
fn check_multiline(field: &str, text: &str, max_chars: usize) -> Result<(), WireError> {
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(WireError::field(
            field,
            format!("is {chars} characters long, the limit is {max_chars}"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(WireError::field(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// `search.request`: step 1 of the two-step exchange. The receiver answers hit/no-hit within its
/// agreement's response deadline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    /// Chosen by the requester; the answer carries it back.
    pub correlation_id: String,
    pub query: ScreenQuery,
    /// A `liaison_core::Purpose` wire spelling.
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    /// Most hits wanted, 1 to `MAX_SEARCH_LIMIT`.
    pub limit: u32,
}

const QUERY_FIELDS: &[&str] = &["names", "birth_date", "nationality", "sex", "documents"];

impl Payload for SearchRequest {
    const KIND: &'static str = KIND_SEARCH_REQUEST;

    fn check_raw(payload: &Value) -> Result<(), WireError> {
        // `ScreenQuery` is also an HTTP body, where it tolerates unknown fields; between nodes it must not.
        let query = payload.get("query").and_then(Value::as_object);
        match query.and_then(|q| q.keys().find(|k| !QUERY_FIELDS.contains(&k.as_str()))) {
            Some(key) => Err(WireError::field(
                format!("payload.query.{key}"),
                format!(
                    "unknown field, expected one of: {}",
                    QUERY_FIELDS.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    fn check(&self) -> Result<(), WireError> {
        check_text("payload.correlation_id", &self.correlation_id, MAX_ID_CHARS)?;
        check_purpose("payload.purpose", &self.purpose)?;
        check_optional_text("payload.case_ref", self.case_ref.as_deref(), MAX_ID_CHARS)?;
        if !(1..=MAX_SEARCH_LIMIT).contains(&self.limit) {
            return Err(WireError::field(
                "payload.limit",
                format!("must be between 1 and {MAX_SEARCH_LIMIT}"),
            ));
        }
        let query = &self.query;
        if query.names.is_empty() && query.documents.is_empty() {
            return Err(WireError::field(
                "payload.query",
                "needs at least one name or document number",
            ));
        }
        for (key, items) in [("names", &query.names), ("documents", &query.documents)] {
            if items.len() > MAX_QUERY_ITEMS {
                return Err(WireError::field(
                    format!("payload.query.{key}"),
                    format!(
                        "holds {} items, the limit is {MAX_QUERY_ITEMS}",
                        items.len()
                    ),
                ));
            }
            for (i, item) in items.iter().enumerate() {
                check_text(&format!("payload.query.{key}[{i}]"), item, 200)?;
            }
        }
        for (key, item) in [
            ("birth_date", &query.birth_date),
            ("nationality", &query.nationality),
            ("sex", &query.sex),
        ] {
            check_optional_text(&format!("payload.query.{key}"), item.as_deref(), 64)?;
        }
        Ok(())
    }
}

/// Whether a partner searched or refused to (no agreement for the purpose, rate limit...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchStatus {
    Answered,
    Refused,
}

/// How strong a partner hit is (the same bands as local screening).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitBand {
    Strong,
    Possible,
}

impl HitBand {
    pub fn as_str(self) -> &'static str {
        match self {
            HitBand::Strong => "strong",
            HitBand::Possible => "possible",
        }
    }

    /// Reads the band spelling of local screening (`strong`, `possible`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "strong" => Some(HitBand::Strong),
            "possible" => Some(HitBand::Possible),
            _ => None,
        }
    }
}

/// `search.response`: the answer to a `search.request`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchResponse {
    pub correlation_id: String,
    pub status: SearchStatus,
    /// Why the search was refused (for the requester's officer and audit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Empty when refused or when nothing matched.
    pub hits: Vec<PartnerHit>,
}

/// One hit of a partner's search: an opaque reference instead of the record id, and only what the
/// agreement's step 1 lets the owner reveal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerHit {
    /// Opaque; the only way to ask for the record (step 2).
    pub hit_ref: String,
    /// The record type, when step 1 reveals the category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// The match score in thousandths (0 to 1000): an integer, so the signed bytes are the same everywhere.
    pub score_milli: u16,
    pub band: HitBand,
    /// A summary of the record, when step 1 reveals summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Value>,
}

impl PartnerHit {
    /// The score as a number between 0 and 1.
    pub fn score(&self) -> f64 {
        f64::from(self.score_milli) / 1000.0
    }

    /// A score between 0 and 1 in thousandths (rounded; out-of-range and NaN scores are clamped).
    pub fn score_to_milli(score: f64) -> u16 {
        if score.is_nan() {
            return 0;
        }
        // The clamp keeps the value in 0..=1000, so the conversion cannot truncate.
        (score.clamp(0.0, 1.0) * 1000.0).round() as u16
    }
}

impl Payload for SearchResponse {
    const KIND: &'static str = KIND_SEARCH_RESPONSE;

    fn check(&self) -> Result<(), WireError> {
        check_text("payload.correlation_id", &self.correlation_id, MAX_ID_CHARS)?;
        check_optional_text("payload.reason", self.reason.as_deref(), MAX_SHORT_CHARS)?;
        if self.status == SearchStatus::Refused && !self.hits.is_empty() {
            return Err(WireError::field(
                "payload.hits",
                "a refused search carries no hits",
            ));
        }
        if self.hits.len() > MAX_SEARCH_LIMIT as usize {
            return Err(WireError::field(
                "payload.hits",
                format!(
                    "holds {} hits, the limit is {MAX_SEARCH_LIMIT}",
                    self.hits.len()
                ),
            ));
        }
        for (i, hit) in self.hits.iter().enumerate() {
            let at = format!("payload.hits[{i}]");
            check_text(&format!("{at}.hit_ref"), &hit.hit_ref, MAX_ID_CHARS)?;
            if let Some(record_type) = &hit.record_type {
                liaison_core::RecordType::parse(record_type)
                    .map_err(|e| WireError::field(format!("{at}.record_type"), e.to_string()))?;
            }
            if hit.score_milli > 1000 {
                return Err(WireError::field(
                    format!("{at}.score_milli"),
                    "must be between 0 and 1000",
                ));
            }
            if hit.summary.as_ref().is_some_and(|s| !s.is_object()) {
                return Err(WireError::field(
                    format!("{at}.summary"),
                    "must be a JSON object",
                ));
            }
        }
        Ok(())
    }
}

/// `disclosure.request`: step 2, asking the owner for the record behind a hit reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureRequest {
    /// The requester's id for the request; the decision carries it back.
    pub request_id: String,
    pub hit_ref: String,
    pub purpose: String,
    /// The legal ground the requester relies on, in words (shown to the owner's approver).
    pub legal_basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
}

impl Payload for DisclosureRequest {
    const KIND: &'static str = KIND_DISCLOSURE_REQUEST;

    fn check(&self) -> Result<(), WireError> {
        check_text("payload.request_id", &self.request_id, MAX_ID_CHARS)?;
        check_text("payload.hit_ref", &self.hit_ref, MAX_ID_CHARS)?;
        check_purpose("payload.purpose", &self.purpose)?;
        check_text("payload.legal_basis", &self.legal_basis, MAX_SHORT_CHARS)?;
        check_optional_text("payload.case_ref", self.case_ref.as_deref(), MAX_ID_CHARS)
    }
}

/// The owner's answer to a disclosure request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionState {
    Approved,
    Refused,
}

impl DecisionState {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionState::Approved => "approved",
            DecisionState::Refused => "refused",
        }
    }
}

/// `disclosure.decision`: the owner's decision; an approval carries the record in the interchange shape
/// with the owner's handling code and retention date.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureDecision {
    pub request_id: String,
    pub state: DecisionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The record as one interchange object (present exactly when approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Value>,
    /// The owner's handling code for the disclosed record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling: Option<String>,
    /// The date (`YYYY-MM-DD`) by which the requester must delete the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<String>,
}

impl Payload for DisclosureDecision {
    const KIND: &'static str = KIND_DISCLOSURE_DECISION;

    fn check(&self) -> Result<(), WireError> {
        check_text("payload.request_id", &self.request_id, MAX_ID_CHARS)?;
        check_optional_text("payload.reason", self.reason.as_deref(), MAX_SHORT_CHARS)?;
        match (self.state, &self.record) {
            (DecisionState::Approved, None) => {
                return Err(WireError::field(
                    "payload.record",
                    "an approval carries the record",
                ));
            }
            (DecisionState::Approved, Some(record)) if !record.is_object() => {
                return Err(WireError::field("payload.record", "must be a JSON object"));
            }
            (DecisionState::Refused, Some(_)) => {
                return Err(WireError::field(
                    "payload.record",
                    "a refusal carries no record",
                ));
            }
            _ => {}
        }
        if let Some(handling) = &self.handling
            && !HANDLING_CODES.contains(&handling.as_str())
        {
            return Err(WireError::field(
                "payload.handling",
                format!("`{handling}` is not one of: {}", HANDLING_CODES.join(", ")),
            ));
        }
        if let Some(date) = &self.retain_until {
            liaison_core::parse_date(date)
                .map_err(|e| WireError::field("payload.retain_until", e.to_string()))?;
        }
        Ok(())
    }
}

/// `receipt`: the receiver's signed statement that it stored an envelope, by the digest of its canonical
/// bytes, so the sender can stop retrying and prove delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The id of the envelope received.
    pub envelope_id: String,
    /// When the receiver stored it (`format_timestamp`).
    pub received_at: String,
    /// SHA-256 of the received envelope's canonical bytes, lowercase hex.
    pub digest: String,
}

impl Payload for Receipt {
    const KIND: &'static str = KIND_RECEIPT;

    fn check(&self) -> Result<(), WireError> {
        if !is_uuid_v7(&self.envelope_id) {
            return Err(WireError::field(
                "payload.envelope_id",
                "must be the UUIDv7 of an envelope",
            ));
        }
        check_timestamp("payload.received_at", &self.received_at)?;
        if !is_lower_hex(&self.digest, 64) {
            return Err(WireError::field(
                "payload.digest",
                "must be a SHA-256 digest in 64 lowercase hex digits",
            ));
        }
        Ok(())
    }
}

/// `message`: free text in a case thread (the envelope's `thread` and `case_ref` place it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTextMessage {
    pub subject: String,
    pub body: String,
    /// Files sent separately, named by digest so the receiver can check what it gets.
    pub attachments: Vec<AttachmentRef>,
}

/// A file that goes with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    pub name: String,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// `type/subtype`, for example `application/pdf`.
    pub media_type: String,
    /// The content itself, base64 (standard alphabet, padded), when it travels with the message; the
    /// receiver checks it against `size` and `sha256` before anyone can open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// Most bytes of attachment content one message carries (their base64 must fit the envelope limit).
pub const MAX_ATTACHMENT_CONTENT_BYTES: u64 = 512 * 1024;

impl Payload for FreeTextMessage {
    const KIND: &'static str = KIND_MESSAGE;

    fn check(&self) -> Result<(), WireError> {
        check_text("payload.subject", &self.subject, MAX_SHORT_CHARS)?;
        check_multiline("payload.body", &self.body, MAX_BODY_CHARS)?;
        if self.attachments.len() > MAX_ATTACHMENTS {
            return Err(WireError::field(
                "payload.attachments",
                format!(
                    "holds {} attachments, the limit is {MAX_ATTACHMENTS}",
                    self.attachments.len()
                ),
            ));
        }
        for (i, attachment) in self.attachments.iter().enumerate() {
            let at = format!("payload.attachments[{i}]");
            check_text(&format!("{at}.name"), &attachment.name, 255)?;
            if attachment.name.contains(['/', '\\']) {
                return Err(WireError::field(
                    format!("{at}.name"),
                    "must not contain a path separator",
                ));
            }
            if !is_lower_hex(&attachment.sha256, 64) {
                return Err(WireError::field(
                    format!("{at}.sha256"),
                    "must be 64 lowercase hex digits",
                ));
            }
            if attachment.size > super::MAX_SAFE_INTEGER {
                return Err(WireError::field(format!("{at}.size"), "is too large"));
            }
            let media_ok = attachment.media_type.split_once('/').is_some_and(|(a, b)| {
                let token = |s: &str| {
                    !s.is_empty()
                        && s.len() <= 127
                        && s.bytes()
                            .all(|c| c.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&c))
                };
                token(a) && token(b)
            });
            if !media_ok {
                return Err(WireError::field(
                    format!("{at}.media_type"),
                    format!(
                        "`{}` is not a media type (type/subtype)",
                        attachment.media_type
                    ),
                ));
            }
            if let Some(content) = &attachment.content {
                // Base64 of `size` bytes is exactly this long, so a content that cannot be the file is
                // refused before anyone decodes it.
                let expected = attachment.size.div_ceil(3) * 4;
                if content.len() as u64 != expected
                    || !content
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
                {
                    return Err(WireError::field(
                        format!("{at}.content"),
                        format!("is not the base64 of {} bytes", attachment.size),
                    ));
                }
            }
        }
        let carried: u64 = self
            .attachments
            .iter()
            .filter(|a| a.content.is_some())
            .map(|a| a.size)
            .sum();
        if carried > MAX_ATTACHMENT_CONTENT_BYTES {
            return Err(WireError::field(
                "payload.attachments",
                format!(
                    "carry {carried} bytes of content, the limit is {MAX_ATTACHMENT_CONTENT_BYTES}; send larger files by the channel agreed with the partner and name them by digest"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn envelope(kind: &str, payload: Value) -> Envelope {
        Envelope {
            v: 1,
            id: "01890a5d-ac96-774b-bcce-b302099a8057".to_owned(),
            from: "node-a".to_owned(),
            to: "node-b".to_owned(),
            created: "2026-03-01T09:30:00.000000Z".to_owned(),
            kind: kind.to_owned(),
            thread: None,
            case_ref: None,
            handling: "H0".to_owned(),
            payload,
            sig: String::new(),
        }
    }

    fn search() -> SearchRequest {
        SearchRequest {
            correlation_id: "c1".to_owned(),
            query: ScreenQuery {
                names: vec!["Ivan Petrov".to_owned()],
                ..ScreenQuery::default()
            },
            purpose: "border_check".to_owned(),
            case_ref: None,
            limit: 10,
        }
    }

    #[test]
    fn payload_round_trip() {
        let value = encode_payload(&search()).unwrap();
        let back: SearchRequest = decode_payload(&envelope(KIND_SEARCH_REQUEST, value)).unwrap();
        assert_eq!(back.query.names, vec!["Ivan Petrov"]);
    }

    #[test]
    fn wrong_kind_is_refused() {
        let value = encode_payload(&search()).unwrap();
        let error = decode_payload::<SearchRequest>(&envelope(KIND_MESSAGE, value)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "payload is for `message`, expected `search.request`"
        );
    }

    #[test]
    fn refusals_name_the_field() {
        let base = encode_payload(&search()).unwrap();
        let with = |path: &[&str], v: Value| {
            let mut value = base.clone();
            let mut at = &mut value;
            for key in &path[..path.len() - 1] {
                at = &mut at[*key];
            }
            at[path[path.len() - 1]] = v;
            value
        };
        let cases = [
            (
                with(&["purpose"], json!("curiosity")),
                "field `payload.purpose`",
            ),
            (with(&["limit"], json!(0)), "field `payload.limit`"),
            (
                with(&["limit"], json!(-1)),
                "field `payload.limit`: invalid value",
            ),
            (
                with(&["query", "colour"], json!("red")),
                "field `payload.query.colour`",
            ),
            (
                with(&["query", "names"], json!([])),
                "field `payload.query`: needs",
            ),
            (
                with(&["query", "names"], json!([5])),
                "field `payload.query.names[0]`",
            ),
            (with(&["extra"], json!(1)), "unknown field `extra`"),
        ];
        for (value, expected) in cases {
            let error = decode_payload::<SearchRequest>(&envelope(KIND_SEARCH_REQUEST, value))
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error:?} lacks {expected:?}");
        }
    }

    #[test]
    fn decision_consistency() {
        let approved_without_record = json!({"request_id": "r1", "state": "approved"});
        let error = decode_payload::<DisclosureDecision>(&envelope(
            KIND_DISCLOSURE_DECISION,
            approved_without_record,
        ))
        .unwrap_err();
        assert!(error.to_string().contains("payload.record"), "{error}");
        let refused_with_reason = json!({"request_id": "r1", "state": "refused", "reason": "no"});
        decode_payload::<DisclosureDecision>(&envelope(
            KIND_DISCLOSURE_DECISION,
            refused_with_reason,
        ))
        .unwrap();
    }

    #[test]
    fn refused_search_has_no_hits_and_scores_are_thousandths() {
        let hit = PartnerHit {
            hit_ref: "hit_1".to_owned(),
            record_type: Some("person".to_owned()),
            score_milli: PartnerHit::score_to_milli(0.9374),
            band: HitBand::Strong,
            summary: None,
        };
        assert_eq!(hit.score_milli, 937);
        assert_eq!(PartnerHit::score_to_milli(f64::NAN), 0);
        assert_eq!(PartnerHit::score_to_milli(7.0), 1000);
        let response = SearchResponse {
            correlation_id: "c1".to_owned(),
            status: SearchStatus::Refused,
            reason: Some("no agreement".to_owned()),
            hits: vec![hit],
        };
        assert!(encode_payload(&response).is_err());
    }

    #[test]
    fn floats_in_summaries_are_refused_when_encoding() {
        let response = SearchResponse {
            correlation_id: "c1".to_owned(),
            status: SearchStatus::Answered,
            reason: None,
            hits: vec![PartnerHit {
                hit_ref: "hit_1".to_owned(),
                record_type: None,
                score_milli: 500,
                band: HitBand::Possible,
                summary: Some(json!({"height": 1.82})),
            }],
        };
        let error = encode_payload(&response).unwrap_err();
        assert!(
            error.to_string().contains("payload.hits[0].summary.height"),
            "{error}"
        );
    }

    #[test]
    fn attachments_are_checked() {
        let message = |name: &str, sha: &str, media: &str| FreeTextMessage {
            subject: "s".to_owned(),
            body: "line one\nline two".to_owned(),
            attachments: vec![AttachmentRef {
                name: name.to_owned(),
                sha256: sha.to_owned(),
                size: 10,
                media_type: media.to_owned(),
                content: None,
            }],
        };
        let sha = "a".repeat(64);
        encode_payload(&message("a.pdf", &sha, "application/pdf")).unwrap();
        // Content must be the base64 of exactly `size` bytes.
        let mut carried = message("a.pdf", &sha, "application/pdf");
        carried.attachments[0].content = Some("MDEyMzQ1Njc4OQ==".to_owned());
        encode_payload(&carried).unwrap();
        carried.attachments[0].content = Some("MDEy".to_owned());
        assert!(encode_payload(&carried).is_err());
        carried.attachments[0].content = Some("MDEyMzQ1Njc4O!==".to_owned());
        assert!(encode_payload(&carried).is_err());
        assert!(encode_payload(&message("../a.pdf", &sha, "application/pdf")).is_err());
        assert!(encode_payload(&message("a.pdf", "ABC", "application/pdf")).is_err());
        assert!(encode_payload(&message("a.pdf", &sha, "pdf")).is_err());
    }
}
