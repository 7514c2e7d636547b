//! Signing a node card with the node's own key, and checking a partner's card before pinning it.

use liaison_crypto::{NodeSigningKey, cert_fingerprint_pem, verify_signature};
use liaison_proto::federation::{NodeCard, card_canonical_bytes};

use crate::FederationError;

/// Signs `card` with `key`: sets `signing_key` to the key's public half and `signature` over the card's
/// canonical bytes (whatever `signature` held before is replaced).
pub fn sign_card(mut card: NodeCard, key: &NodeSigningKey) -> NodeCard {
    card.signing_key = key.public_key_base64();
    card.signature = key.sign(&card_canonical_bytes(&card));
    card
}

/// Checks that the card was signed by the signing key it names, so it was not altered after its owner
/// issued it, and that its fingerprint is its certificate's, so pinning the fingerprint pins that
/// certificate. (Whether the owner is who it claims is settled by how the card was exchanged.)
pub fn verify_card(card: &NodeCard) -> Result<(), FederationError> {
    let node = &card.node_id;
    verify_signature(
        &card.signing_key,
        &card_canonical_bytes(card),
        &card.signature,
    )
    .map_err(|e| {
        FederationError::Card(format!("signature of node `{node}` does not verify: {e}"))
    })?;
    let fingerprint = cert_fingerprint_pem(&card.tls_certificate)
        .map_err(|e| FederationError::Card(format!("tls_certificate of node `{node}`: {e}")))?;
    if fingerprint != card.tls_fingerprint {
        return Err(FederationError::Card(format!(
            "tls_fingerprint of node `{node}` is not the fingerprint of its tls_certificate ({fingerprint})"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use liaison_crypto::TlsIdentity;
    use liaison_proto::federation::{decode_card, encode_card};

    #[test]
    fn signed_card_verifies_and_a_change_breaks_it() {
        let key = NodeSigningKey::generate();
        let tls = TlsIdentity::generate("node-a", &["a.example".to_owned()]).unwrap();
        let other_tls = TlsIdentity::generate("node-a", &["a.example".to_owned()]).unwrap();
        let card = sign_card(
            NodeCard {
                v: 1,
                node_id: "node-a".to_owned(),
                name: "Police A".to_owned(),
                country: "XAA".to_owned(),
                federation_endpoint: "https://a.example:7443".to_owned(),
                tls_certificate: tls.cert_pem(),
                tls_fingerprint: tls.fingerprint(),
                signing_key: String::new(),
                created: "2026-03-01T09:30:00.000000Z".to_owned(),
                signature: String::new(),
            },
            &key,
        );
        let read = decode_card(encode_card(&card).as_bytes()).unwrap();
        verify_card(&read).unwrap();
        let mut moved = read.clone();
        moved.federation_endpoint = "https://evil.example:7443".to_owned();
        assert!(
            verify_card(&moved)
                .unwrap_err()
                .to_string()
                .contains("node `node-a`")
        );
        let mut rekeyed = read.clone();
        rekeyed.signing_key = NodeSigningKey::generate().public_key_base64();
        assert!(verify_card(&rekeyed).is_err());
        // A fingerprint that is not the certificate's, even when the card is signed as it stands.
        let mut mismatched = read.clone();
        mismatched.tls_fingerprint = other_tls.fingerprint();
        let error = verify_card(&sign_card(mismatched, &key))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("is not the fingerprint of its tls_certificate"),
            "{error}"
        );
        let mut not_a_certificate = read;
        not_a_certificate.tls_certificate =
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".to_owned();
        assert!(verify_card(&sign_card(not_a_certificate, &key)).is_err());
    }
}
