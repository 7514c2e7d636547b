//! The envelope: the signed, versioned wrapper of every message between nodes, its canonical (signed) bytes
//! and its wire form.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::canonical::{check_numbers, refuse_duplicate_keys, write_value};
use super::{
    HANDLING_CODES, VERSION, WireError, check_node_id, check_text, check_timestamp, is_lower_hex,
};

/// One message between two nodes. `sig` is the sender's Ed25519 signature (base64) over
/// `canonical_bytes`, which covers every other field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Format version, 1.
    pub v: u32,
    /// A UUIDv7 in lowercase hyphenated form, unique per message: the key of replay detection and of
    /// idempotent delivery.
    pub id: String,
    /// Sender node id.
    pub from: String,
    /// Recipient node id.
    pub to: String,
    /// When the sender created the message (`format_timestamp`).
    pub created: String,
    /// The message kind (`KINDS`), serialized as `type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The conversation this message belongs to (for an answer, the id of the envelope it answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    /// The sender's case reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    /// The handling code of the content, `H0` to `H3`.
    pub handling: String,
    /// The kind's payload, a JSON object whose numbers are integers.
    pub payload: Value,
    /// Base64 Ed25519 signature over `canonical_bytes`.
    pub sig: String,
}

/// Longest `thread` or `case_ref` accepted.
const MAX_REF_CHARS: usize = 200;

/// The object of every field but (optionally) `sig`, in the form both the wire and the signature use.
fn envelope_object(envelope: &Envelope, with_sig: bool) -> Value {
    let mut map = Map::new();
    map.insert("v".to_owned(), Value::from(envelope.v));
    map.insert("id".to_owned(), Value::from(envelope.id.as_str()));
    map.insert("from".to_owned(), Value::from(envelope.from.as_str()));
    map.insert("to".to_owned(), Value::from(envelope.to.as_str()));
    map.insert("created".to_owned(), Value::from(envelope.created.as_str()));
    map.insert("type".to_owned(), Value::from(envelope.kind.as_str()));
    if let Some(thread) = &envelope.thread {
        map.insert("thread".to_owned(), Value::from(thread.as_str()));
    }
    if let Some(case_ref) = &envelope.case_ref {
        map.insert("case_ref".to_owned(), Value::from(case_ref.as_str()));
    }
    map.insert(
        "handling".to_owned(),
        Value::from(envelope.handling.as_str()),
    );
    map.insert("payload".to_owned(), envelope.payload.clone());
    if with_sig {
        map.insert("sig".to_owned(), Value::from(envelope.sig.as_str()));
    }
    Value::Object(map)
}

/// The bytes the signature covers: the canonical JSON (RFC 8785) of every field except `sig`. An absent
/// `thread` or `case_ref` is left out, not written as `null`.
pub fn canonical_bytes(envelope: &Envelope) -> Vec<u8> {
    let mut out = String::new();
    write_value(&envelope_object(envelope, false), &mut out);
    out.into_bytes()
}

/// The wire form: the same canonical JSON, with `sig`. Sending canonical bytes means a receiver can log or
/// hash exactly what it got.
pub fn encode(envelope: &Envelope) -> Vec<u8> {
    let mut out = String::new();
    write_value(&envelope_object(envelope, true), &mut out);
    out.into_bytes()
}

/// Reads an envelope from the wire. Checks, in order: the size (before reading anything), JSON syntax
/// (objects with the same key twice are refused), the version (before the other fields, whose set may differ in another version), the fields (unknown ones
/// refused), and the form of each field. The signature is not checked here (see `liaison-federation`).
pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<Envelope, WireError> {
    if bytes.len() > max_bytes {
        return Err(WireError::Oversized {
            size: bytes.len(),
            max: max_bytes,
        });
    }
    refuse_duplicate_keys(bytes).map_err(|e| WireError::syntax(&e))?;
    let value: Value = serde_json::from_slice(bytes).map_err(|e| WireError::syntax(&e))?;
    let Value::Object(object) = &value else {
        return Err(WireError::field("", "an envelope must be a JSON object"));
    };
    match object.get("v") {
        None => return Err(WireError::field("v", "missing field `v`")),
        Some(v) => match v.as_u64() {
            Some(version) if version == u64::from(VERSION) => {}
            Some(version) => {
                return Err(WireError::UnsupportedVersion {
                    what: "envelope",
                    version,
                });
            }
            None => return Err(WireError::field("v", "must be a positive integer")),
        },
    }
    let envelope: Envelope =
        serde_path_to_error::deserialize(value).map_err(|e| WireError::from_path("", e))?;
    check_envelope(&envelope)?;
    Ok(envelope)
}

/// The form of every field, so that later stages can rely on it.
fn check_envelope(envelope: &Envelope) -> Result<(), WireError> {
    if !is_uuid_v7(&envelope.id) {
        return Err(WireError::field(
            "id",
            format!(
                "`{}` is not a UUIDv7 in lowercase hyphenated form",
                envelope.id
            ),
        ));
    }
    check_node_id("from", &envelope.from)?;
    check_node_id("to", &envelope.to)?;
    check_timestamp("created", &envelope.created)?;
    if !is_kind(&envelope.kind) {
        return Err(WireError::field(
            "type",
            format!(
                "`{}` is not a message kind (lowercase letters, digits, `.` and `_`)",
                envelope.kind
            ),
        ));
    }
    if let Some(thread) = &envelope.thread {
        check_text("thread", thread, MAX_REF_CHARS)?;
    }
    if let Some(case_ref) = &envelope.case_ref {
        check_text("case_ref", case_ref, MAX_REF_CHARS)?;
    }
    if !HANDLING_CODES.contains(&envelope.handling.as_str()) {
        return Err(WireError::field(
            "handling",
            format!(
                "`{}` is not one of: {}",
                envelope.handling,
                HANDLING_CODES.join(", ")
            ),
        ));
    }
    if !envelope.payload.is_object() {
        return Err(WireError::field("payload", "must be a JSON object"));
    }
    check_numbers(&envelope.payload, "payload").map_err(|path| {
        WireError::field(
            path,
            "numbers must be integers between -(2^53-1) and 2^53-1 (no fraction, no exponent)",
        )
    })?;
    Ok(())
}

/// A UUID of version 7 written `xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx` in lowercase.
pub(crate) fn is_uuid_v7(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let [a, b, c, d, e] = groups.as_slice() else {
        return false;
    };
    is_lower_hex(a, 8)
        && is_lower_hex(b, 4)
        && is_lower_hex(c, 4)
        && is_lower_hex(d, 4)
        && is_lower_hex(e, 12)
        && c.starts_with('7')
        && d.starts_with(['8', '9', 'a', 'b'])
}

fn is_kind(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn sample() -> Envelope {
        Envelope {
            v: 1,
            id: "01890a5d-ac96-774b-bcce-b302099a8057".to_owned(),
            from: "node-a".to_owned(),
            to: "node-b".to_owned(),
            created: "2026-03-01T09:30:00.000000Z".to_owned(),
            kind: "message".to_owned(),
            thread: None,
            case_ref: Some("OP-7".to_owned()),
            handling: "H2".to_owned(),
            payload: json!({"subject": "s", "body": "b", "attachments": []}),
            sig: "c2ln".to_owned(),
        }
    }

    #[test]
    fn canonical_bytes_leave_out_sig_and_absent_options() {
        let bytes = String::from_utf8(canonical_bytes(&sample())).unwrap();
        assert_eq!(
            bytes,
            r#"{"case_ref":"OP-7","created":"2026-03-01T09:30:00.000000Z","from":"node-a","handling":"H2","id":"01890a5d-ac96-774b-bcce-b302099a8057","payload":{"attachments":[],"body":"b","subject":"s"},"to":"node-b","type":"message","v":1}"#
        );
    }

    #[test]
    fn encode_decode_round_trip() {
        let envelope = sample();
        let wire = encode(&envelope);
        assert_eq!(decode(&wire, 10_000).unwrap(), envelope);
    }

    #[test]
    fn explicit_null_option_reads_as_absent() {
        let mut value: Value = serde_json::from_slice(&encode(&sample())).unwrap();
        value["thread"] = Value::Null;
        let decoded = decode(&serde_json::to_vec(&value).unwrap(), 10_000).unwrap();
        assert_eq!(decoded.thread, None);
        assert_eq!(canonical_bytes(&decoded), canonical_bytes(&sample()));
    }

    #[test]
    fn refusals_name_the_problem() {
        let base: Value = serde_json::from_slice(&encode(&sample())).unwrap();
        let with = |key: &str, v: Value| {
            let mut value = base.clone();
            value[key] = v;
            serde_json::to_vec(&value).unwrap()
        };
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (with("v", json!(2)), "envelope version 2 is not supported"),
            (with("v", json!("1")), "field `v`"),
            (with("extra", json!(1)), "unknown field `extra`"),
            (with("id", json!("not-a-uuid")), "field `id`"),
            (
                with("id", json!("01890a5d-ac96-474b-bcce-b302099a8057")),
                "field `id`",
            ),
            (with("from", json!("Node A")), "field `from`"),
            (with("to", json!(7)), "field `to`: invalid type"),
            (
                with("created", json!("2026-03-01T09:30:00Z")),
                "field `created`",
            ),
            (with("type", json!("Search Request")), "field `type`"),
            (with("handling", json!("H9")), "field `handling`"),
            (with("payload", json!([1])), "field `payload`"),
            (
                with("payload", json!({"score": 0.5})),
                "field `payload.score`: numbers must be integers",
            ),
            (with("case_ref", json!("")), "field `case_ref`"),
            (b"{\"v\":1,".to_vec(), "not valid JSON at line 1"),
            (b"[]".to_vec(), "must be a JSON object"),
            (
                String::from_utf8(encode(&sample()))
                    .unwrap()
                    .replacen("{\"attachments\"", "{\"body\":\"x\",\"attachments\"", 1)
                    .into_bytes(),
                "duplicate key `body`",
            ),
        ];
        for (bytes, expected) in cases {
            let error = decode(&bytes, 10_000).unwrap_err().to_string();
            assert!(error.contains(expected), "{error:?} lacks {expected:?}");
        }
        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove("sig");
        let error = decode(&serde_json::to_vec(&missing).unwrap(), 10_000).unwrap_err();
        assert!(error.to_string().contains("missing field `sig`"), "{error}");
    }

    #[test]
    fn size_is_checked_before_parsing() {
        let error = decode(b"not even json", 4).unwrap_err();
        assert_eq!(error, WireError::Oversized { size: 13, max: 4 });
    }
}
