//! The node card: what a node tells a future partner about itself (ids, endpoint, TLS certificate, signing
//! key), signed with that key and exchanged out of band before any connection.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::canonical::{refuse_duplicate_keys, write_value};
use super::{VERSION, WireError, check_node_id, check_text, check_timestamp, is_lower_hex};

/// Largest card file read (a certificate is a few kilobytes).
pub const MAX_CARD_BYTES: usize = 64 * 1024;

/// A node's self-description, signed by its own signing key (`signature`, base64 Ed25519 over
/// `card_canonical_bytes`). The signature proves the card was not altered after its owner issued it; the
/// trust itself comes from how the card was exchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeCard {
    /// Format version, 1.
    pub v: u32,
    pub node_id: String,
    /// The agency's name, for people.
    pub name: String,
    /// The agency's country (ISO 3166-1 alpha-3 or an ICAO/user-assigned code).
    pub country: String,
    /// Where partners connect: `https://host:port`.
    pub federation_endpoint: String,
    /// The node's TLS certificate, PEM.
    pub tls_certificate: String,
    /// `sha256:` and the lowercase hex SHA-256 of the certificate, the pin partners keep.
    pub tls_fingerprint: String,
    /// The Ed25519 public key that signs the node's envelopes, base64.
    pub signing_key: String,
    /// When the card was issued (`format_timestamp`).
    pub created: String,
    /// Base64 Ed25519 signature by `signing_key` over `card_canonical_bytes`.
    pub signature: String,
}

fn card_object(card: &NodeCard, with_signature: bool) -> Value {
    let mut map = Map::new();
    map.insert("v".to_owned(), Value::from(card.v));
    for (key, value) in [
        ("node_id", &card.node_id),
        ("name", &card.name),
        ("country", &card.country),
        ("federation_endpoint", &card.federation_endpoint),
        ("tls_certificate", &card.tls_certificate),
        ("tls_fingerprint", &card.tls_fingerprint),
        ("signing_key", &card.signing_key),
        ("created", &card.created),
    ] {
        map.insert(key.to_owned(), Value::from(value.as_str()));
    }
    if with_signature {
        map.insert("signature".to_owned(), Value::from(card.signature.as_str()));
    }
    Value::Object(map)
}

/// The bytes the card's signature covers: the canonical JSON (RFC 8785) of every field but `signature`.
pub fn card_canonical_bytes(card: &NodeCard) -> Vec<u8> {
    let mut out = String::new();
    write_value(&card_object(card, false), &mut out);
    out.into_bytes()
}

/// The card file: indented JSON, fields in their documented order, ending with a newline.
pub fn encode_card(card: &NodeCard) -> String {
    format!("{:#}\n", card_object(card, true))
}

/// Reads a card file, refusing unknown fields and malformed values (the signature is checked by
/// `liaison-federation`).
pub fn decode_card(bytes: &[u8]) -> Result<NodeCard, WireError> {
    if bytes.len() > MAX_CARD_BYTES {
        return Err(WireError::Oversized {
            size: bytes.len(),
            max: MAX_CARD_BYTES,
        });
    }
    refuse_duplicate_keys(bytes).map_err(|e| WireError::syntax(&e))?;
    let value: Value = serde_json::from_slice(bytes).map_err(|e| WireError::syntax(&e))?;
    let Some(object) = value.as_object() else {
        return Err(WireError::field("", "a node card must be a JSON object"));
    };
    match object.get("v").map(Value::as_u64) {
        None => return Err(WireError::field("v", "missing field `v`")),
        Some(None) => return Err(WireError::field("v", "must be a positive integer")),
        Some(Some(version)) if version != u64::from(VERSION) => {
            return Err(WireError::UnsupportedVersion {
                what: "node card",
                version,
            });
        }
        Some(Some(_)) => {}
    }
    let card: NodeCard =
        serde_path_to_error::deserialize(value).map_err(|e| WireError::from_path("", e))?;
    check_card(&card)?;
    Ok(card)
}

fn check_card(card: &NodeCard) -> Result<(), WireError> {
    check_node_id("node_id", &card.node_id)?;
    check_text("name", &card.name, 200)?;
    liaison_core::CountryCode::parse(&card.country)
        .map_err(|e| WireError::field("country", e.to_string()))?;
    check_endpoint(&card.federation_endpoint)?;
    let pem = card.tls_certificate.trim();
    if !(pem.starts_with("-----BEGIN CERTIFICATE-----")
        && pem.ends_with("-----END CERTIFICATE-----"))
    {
        return Err(WireError::field(
            "tls_certificate",
            "must be one PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)",
        ));
    }
    let fingerprint_ok = card
        .tls_fingerprint
        .strip_prefix("sha256:")
        .is_some_and(|hex| is_lower_hex(hex, 64));
    if !fingerprint_ok {
        return Err(WireError::field(
            "tls_fingerprint",
            "must be `sha256:` followed by 64 lowercase hex digits",
        ));
    }
    if !is_base64_of_len(&card.signing_key, 32) {
        return Err(WireError::field(
            "signing_key",
            "must be a 32-byte Ed25519 public key in base64",
        ));
    }
    check_timestamp("created", &card.created)?;
    if !is_base64_of_len(&card.signature, 64) {
        return Err(WireError::field(
            "signature",
            "must be a 64-byte Ed25519 signature in base64",
        ));
    }
    Ok(())
}

/// Padded standard base64 of exactly `bytes` bytes (the shape only; the crypto crate reads the value).
fn is_base64_of_len(text: &str, bytes: usize) -> bool {
    let chars = bytes.div_ceil(3) * 4;
    let padding = (3 - bytes % 3) % 3;
    text.len() == chars
        && text
            .bytes()
            .take(chars - padding)
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && text.bytes().skip(chars - padding).all(|b| b == b'=')
}

/// `https://host:port`, nothing after the port but an optional `/`.
fn check_endpoint(endpoint: &str) -> Result<(), WireError> {
    let refuse = |why: &str| {
        Err(WireError::field(
            "federation_endpoint",
            format!("`{endpoint}` {why}; expected https://host:port"),
        ))
    };
    let Some(rest) = endpoint.strip_prefix("https://") else {
        return refuse("does not start with https://");
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let Some((host, port)) = rest.rsplit_once(':') else {
        return refuse("has no port");
    };
    if !matches!(port.parse::<u16>(), Ok(p) if p > 0) {
        return refuse("has no valid port");
    }
    let host_ok = if let Some(inner) = host.strip_prefix('[') {
        inner
            .strip_suffix(']')
            .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok())
    } else {
        !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    if !host_ok {
        return refuse("has no valid host");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample() -> NodeCard {
        NodeCard {
            v: 1,
            node_id: "node-b".to_owned(),
            name: "Border Guard B".to_owned(),
            country: "XBB".to_owned(),
            federation_endpoint: "https://node-b.example:7443".to_owned(),
            tls_certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
                .to_owned(),
            tls_fingerprint: format!("sha256:{}", "0f".repeat(32)),
            signing_key: "A".repeat(43) + "=",
            created: "2026-03-01T09:30:00.000000Z".to_owned(),
            signature: "A".repeat(86) + "==",
        }
    }

    #[test]
    fn card_round_trip_is_pretty() {
        let text = encode_card(&sample());
        assert!(
            text.starts_with("{\n  \"v\": 1,\n  \"node_id\": \"node-b\","),
            "{text}"
        );
        assert_eq!(decode_card(text.as_bytes()).unwrap(), sample());
    }

    #[test]
    fn card_fields_are_checked() {
        type Change = fn(&mut NodeCard);
        let cases: Vec<(Change, &str)> = vec![
            (|c| c.node_id = "B".to_owned(), "field `node_id`"),
            (|c| c.country = "Narnia".to_owned(), "field `country`"),
            (
                |c| c.federation_endpoint = "http://b:1".to_owned(),
                "does not start with https://",
            ),
            (
                |c| c.federation_endpoint = "https://b".to_owned(),
                "has no port",
            ),
            (
                |c| c.federation_endpoint = "https://b:99999".to_owned(),
                "no valid port",
            ),
            (
                |c| c.federation_endpoint = "https://b/x:1".to_owned(),
                "no valid host",
            ),
            (
                |c| c.federation_endpoint = "https://[::1]:7443".to_owned(),
                "",
            ),
            (
                |c| c.tls_certificate = "cert".to_owned(),
                "field `tls_certificate`",
            ),
            (
                |c| c.tls_fingerprint = "0f".repeat(32),
                "field `tls_fingerprint`",
            ),
            (
                |c| c.signing_key = "short".to_owned(),
                "field `signing_key`",
            ),
            (|c| c.created = "2026-03-01".to_owned(), "field `created`"),
            (|c| c.signature = String::new(), "field `signature`"),
            (|c| c.v = 2, "node card version 2 is not supported"),
        ];
        for (change, expected) in cases {
            let mut card = sample();
            change(&mut card);
            let result = decode_card(encode_card(&card).as_bytes());
            if expected.is_empty() {
                result.unwrap();
            } else {
                let error = result.unwrap_err().to_string();
                assert!(error.contains(expected), "{error:?} lacks {expected:?}");
            }
        }
        let twice =
            encode_card(&sample()).replacen("\"v\": 1,", "\"v\": 1, \"name\": \"Other\",", 1);
        let error = decode_card(twice.as_bytes()).unwrap_err();
        assert!(
            error.to_string().contains("duplicate key `name`"),
            "{error}"
        );
        let error = decode_card(br#"{"v":1,"colour":"red"}"#).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `colour`"),
            "{error}"
        );
    }
}
