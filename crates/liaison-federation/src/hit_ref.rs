//! Opaque hit references: what a partner gets instead of a record id, and the only handle it can ask for
//! the record with.

use liaison_core::RecordType;

/// The reference of one hit shown to one requester in one search: `hit_` and 32 hex digits (128 bits) of
/// HMAC-SHA256 under the owner node's secret.
///
/// Deterministic, so answering the same search twice (a retry) gives the same references, yet another
/// search or another partner gets a different reference for the same record, so partners cannot link their
/// searches through references nor guess one. It cannot be turned back into the record: the owner stores
/// each reference it hands out with its record (and the requester and search) and resolves disclosure
/// requests through that table.
pub fn hit_ref(
    secret: &[u8],
    requester: &str,
    record_type: RecordType,
    record_id: &str,
    correlation_id: &str,
) -> String {
    // Each field is length-prefixed so that no two different field lists give the same message.
    let mut message = Vec::new();
    for field in [
        "liaison hit reference v1",
        requester,
        record_type.as_str(),
        record_id,
        correlation_id,
    ] {
        message.extend_from_slice(&(field.len() as u64).to_be_bytes());
        message.extend_from_slice(field.as_bytes());
    }
    let mac = liaison_crypto::hmac_sha256_hex(secret, &message);
    format!("hit_{}", &mac[..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_stable_and_distinct() {
        let secret = [7u8; 32];
        let r = hit_ref(&secret, "node-b", RecordType::Person, "p1", "c1");
        assert_eq!(
            r,
            hit_ref(&secret, "node-b", RecordType::Person, "p1", "c1")
        );
        assert_eq!(r.len(), 36);
        assert!(r.starts_with("hit_"));
        assert!(!r.contains("p1"));
        let others = [
            hit_ref(&[8u8; 32], "node-b", RecordType::Person, "p1", "c1"),
            hit_ref(&secret, "node-c", RecordType::Person, "p1", "c1"),
            hit_ref(&secret, "node-b", RecordType::Alert, "p1", "c1"),
            hit_ref(&secret, "node-b", RecordType::Person, "p2", "c1"),
            hit_ref(&secret, "node-b", RecordType::Person, "p1", "c2"),
            // Moving a character between fields must not give the same reference.
            hit_ref(&secret, "node-b", RecordType::Person, "p1c", "1"),
        ];
        for other in others {
            assert_ne!(r, other);
        }
    }
}
