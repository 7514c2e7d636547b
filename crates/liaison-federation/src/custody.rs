//! The chain of custody of evidence: each event is signed by the node that records it and linked to the one
//! before, so a receiver can prove that the content it holds is the content collected, and that no event
//! was changed, removed or reordered.

use liaison_crypto::{NodeSigningKey, sha256_hex, verify_signature};
use liaison_proto::federation::custody_signing_bytes;
use liaison_proto::legal::CustodyEvent;

/// What a custody event is bound to besides its own fields.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceRef<'a> {
    pub request_id: &'a str,
    pub evidence_id: &'a str,
    pub size: u64,
}

/// The `prev` value of the event that follows `event`: the digest of its signed bytes and its signature.
pub fn custody_link(evidence: EvidenceRef<'_>, event: &CustodyEvent) -> String {
    let mut bytes = custody_signing_bytes(
        evidence.request_id,
        evidence.evidence_id,
        evidence.size,
        event,
    );
    bytes.extend_from_slice(event.signature.as_bytes());
    sha256_hex(&bytes)
}

/// Signs `event` as the next one after `chain`: sets its `seq` and `prev`, then its `signature`.
pub fn append_custody(
    key: &NodeSigningKey,
    evidence: EvidenceRef<'_>,
    chain: &[CustodyEvent],
    mut event: CustodyEvent,
) -> CustodyEvent {
    // After the highest number so far, so a chain that arrived with a gap (an event removed on the way)
    // is continued, never overwritten.
    event.seq = chain
        .iter()
        .map(|e| e.seq)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    event.prev = chain
        .last()
        .map(|last| custody_link(evidence, last))
        .unwrap_or_default();
    event.signature = key.sign(&custody_signing_bytes(
        evidence.request_id,
        evidence.evidence_id,
        evidence.size,
        &event,
    ));
    event
}

/// The verdict on one event of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustodyVerdict {
    /// Its signature, its place in the chain and its digest check.
    Verified,
    /// Something does not check; the reason says what.
    Mismatch(String),
}

/// Checks every event of `chain` against the content digest `content_sha256`: position, link to the
/// previous event, the digest the node recorded, and the signature by the key `key_of(node)` gives for the
/// node that recorded it (`None`: a node this one does not know).
pub fn verify_custody(
    evidence: EvidenceRef<'_>,
    content_sha256: &str,
    chain: &[CustodyEvent],
    key_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<CustodyVerdict> {
    let mut verdicts = Vec::with_capacity(chain.len());
    for (index, event) in chain.iter().enumerate() {
        let expected_prev = match index {
            0 => String::new(),
            _ => custody_link(evidence, &chain[index - 1]),
        };
        let verdict = if usize::try_from(event.seq).ok() != Some(index + 1) {
            CustodyVerdict::Mismatch(format!(
                "event {} is at position {} of the chain",
                event.seq,
                index + 1
            ))
        } else if event.prev != expected_prev {
            CustodyVerdict::Mismatch(
                "does not link to the event before it: an event was changed, removed or reordered"
                    .to_owned(),
            )
        } else if event.sha256 != content_sha256 {
            CustodyVerdict::Mismatch(format!(
                "recorded content digest {} differs from the content's {}",
                event.sha256, content_sha256
            ))
        } else {
            match key_of(&event.node) {
                None => CustodyVerdict::Mismatch(format!(
                    "recorded by `{}`, a node whose signing key is not known here",
                    event.node
                )),
                Some(key) => {
                    let bytes = custody_signing_bytes(
                        evidence.request_id,
                        evidence.evidence_id,
                        evidence.size,
                        event,
                    );
                    match verify_signature(&key, &bytes, &event.signature) {
                        Ok(()) => CustodyVerdict::Verified,
                        Err(_) => CustodyVerdict::Mismatch(format!(
                            "the signature of `{}` does not verify",
                            event.node
                        )),
                    }
                }
            }
        };
        verdicts.push(verdict);
    }
    verdicts
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const EVIDENCE: EvidenceRef<'static> = EvidenceRef {
        request_id: "r1",
        evidence_id: "e1",
        size: 5,
    };

    fn event(name: &str, node: &str, sha256: &str) -> CustodyEvent {
        CustodyEvent {
            seq: 0,
            event: name.to_owned(),
            at: "2026-03-01T09:30:00.000000Z".to_owned(),
            node: node.to_owned(),
            actor: "anna".to_owned(),
            sha256: sha256.to_owned(),
            note: None,
            prev: String::new(),
            signature: String::new(),
        }
    }

    fn chain(a: &NodeSigningKey, b: &NodeSigningKey, digest: &str) -> Vec<CustodyEvent> {
        let mut chain = Vec::new();
        for (name, key, node) in [
            ("collected", b, "node-b"),
            ("sealed", b, "node-b"),
            ("sent", b, "node-b"),
            ("received", a, "node-a"),
        ] {
            let next = append_custody(key, EVIDENCE, &chain, event(name, node, digest));
            chain.push(next);
        }
        chain
    }

    #[test]
    fn a_chain_signed_by_two_nodes_verifies_and_any_change_is_caught() {
        let (a, b) = (NodeSigningKey::generate(), NodeSigningKey::generate());
        let digest = sha256_hex(b"hello");
        let keys = |node: &str| match node {
            "node-a" => Some(a.public_key_base64()),
            "node-b" => Some(b.public_key_base64()),
            _ => None,
        };
        let good = chain(&a, &b, &digest);
        assert!(
            verify_custody(EVIDENCE, &digest, &good, &keys)
                .iter()
                .all(|v| *v == CustodyVerdict::Verified)
        );

        let mismatches = |chain: &[CustodyEvent], digest: &str| {
            verify_custody(EVIDENCE, digest, chain, &keys)
                .iter()
                .filter(|v| matches!(v, CustodyVerdict::Mismatch(_)))
                .count()
        };
        // Other content than the one collected: every event disagrees.
        assert_eq!(mismatches(&good, &sha256_hex(b"hellO")), 4);
        // A changed field breaks that event's signature and the next event's link.
        let mut changed = good.clone();
        changed[1].actor = "mallory".to_owned();
        assert_eq!(mismatches(&changed, &digest), 2);
        // A removed event breaks the positions after it.
        let mut removed = good.clone();
        removed.remove(1);
        assert!(mismatches(&removed, &digest) >= 1);
        // Reordered events.
        let mut reordered = good.clone();
        reordered.swap(1, 2);
        assert!(mismatches(&reordered, &digest) >= 2);
        // An unknown node, and a node signing with the wrong key.
        let unknown = |_: &str| None;
        assert_eq!(
            verify_custody(EVIDENCE, &digest, &good, &unknown)
                .iter()
                .filter(|v| matches!(v, CustodyVerdict::Mismatch(_)))
                .count(),
            4
        );
        let swapped = |node: &str| match node {
            "node-a" => Some(b.public_key_base64()),
            _ => Some(a.public_key_base64()),
        };
        assert_eq!(
            verify_custody(EVIDENCE, &digest, &good, &swapped)
                .iter()
                .filter(|v| matches!(v, CustodyVerdict::Mismatch(_)))
                .count(),
            4
        );
        // The same chain bound to another request does not verify.
        let other = EvidenceRef {
            request_id: "r2",
            ..EVIDENCE
        };
        assert_eq!(
            verify_custody(other, &digest, &good, &keys)
                .iter()
                .filter(|v| matches!(v, CustodyVerdict::Mismatch(_)))
                .count(),
            4
        );
    }
}
