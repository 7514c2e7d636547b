//! The node's Ed25519 signing key: it signs what the node sends to partners and its audit checkpoints.

use ed25519_dalek::{Signer, Verifier};
use rand::rngs::OsRng;

use crate::CryptoError;

/// A node's private signing key. Its `Debug` output never shows the key.
pub struct NodeSigningKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for NodeSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeSigningKey(public: {})", self.public_key_base64())
    }
}

impl NodeSigningKey {
    pub fn generate() -> Self {
        NodeSigningKey(ed25519_dalek::SigningKey::generate(&mut OsRng))
    }

    /// Reads the key file format: the 32-byte seed as base64 on one line.
    pub fn from_file_text(text: &str) -> Result<Self, CryptoError> {
        let bytes = data_encoding::BASE64
            .decode(text.trim().as_bytes())
            .map_err(|e| CryptoError::SigningKey(e.to_string()))?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CryptoError::SigningKey("expected a 32-byte seed".to_owned()))?;
        Ok(NodeSigningKey(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    /// The key file format (see `from_file_text`).
    pub fn to_file_text(&self) -> String {
        format!("{}\n", data_encoding::BASE64.encode(self.0.as_bytes()))
    }

    pub fn public_key_base64(&self) -> String {
        data_encoding::BASE64.encode(self.0.verifying_key().as_bytes())
    }

    pub fn sign(&self, message: &[u8]) -> String {
        data_encoding::BASE64.encode(&self.0.sign(message).to_bytes())
    }
}

/// Checks a base64 Ed25519 signature by a base64 public key.
pub fn verify_signature(
    public_key_base64: &str,
    message: &[u8],
    signature_base64: &str,
) -> Result<(), CryptoError> {
    let key_bytes: [u8; 32] = data_encoding::BASE64
        .decode(public_key_base64.as_bytes())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            CryptoError::SigningKey("public key must be 32 bytes in base64".to_owned())
        })?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key_bytes)
        .map_err(|e| CryptoError::SigningKey(e.to_string()))?;
    let sig_bytes: [u8; 64] = data_encoding::BASE64
        .decode(signature_base64.as_bytes())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(CryptoError::BadSignature)?;
    key.verify(message, &ed25519_dalek::Signature::from_bytes(&sig_bytes))
        .map_err(|_| CryptoError::BadSignature)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sign_verify_and_reload() {
        let key = NodeSigningKey::generate();
        let sig = key.sign(b"hello");
        verify_signature(&key.public_key_base64(), b"hello", &sig).unwrap();
        assert!(verify_signature(&key.public_key_base64(), b"hellO", &sig).is_err());
        let reloaded = NodeSigningKey::from_file_text(&key.to_file_text()).unwrap();
        assert_eq!(reloaded.public_key_base64(), key.public_key_base64());
        assert!(!format!("{key:?}").contains(&key.to_file_text().trim().to_owned()));
    }
}
