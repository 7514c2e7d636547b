//! The one door to cryptography in Liaison: hashing, password hashing, TOTP second factors, bearer tokens,
//! the node's signing key and its TLS identity with the pinned mutual-TLS configurations of federation. No
//! other crate calls a cryptographic primitive.

mod hash;
mod password;
mod secret;
mod signing;
mod tls;
mod totp;

pub use hash::{Sha256Digest, hmac_sha256, hmac_sha256_hex, sha256, sha256_hex};
pub use password::{hash_password, verify_password};
pub use secret::{Secret, random_token, token_digest};
pub use signing::{NodeSigningKey, verify_signature};
pub use tls::{
    PinSet, PinnedPeers, TlsIdentity, cert_fingerprint_der, cert_fingerprint_pem,
    federation_client_config, federation_server_config, install_crypto_provider,
    parse_cert_fingerprint,
};
pub use totp::{TotpSecret, totp_provisioning_uri};

/// Why a cryptographic operation failed.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("stored password hash is malformed: {0}")]
    MalformedHash(String),
    #[error("totp secret is invalid: {0}")]
    Totp(String),
    #[error("signing key is invalid: {0}")]
    SigningKey(String),
    #[error("signature is invalid")]
    BadSignature,
    #[error("tls identity is invalid: {0}")]
    TlsIdentity(String),
    #[error("certificate fingerprint is malformed: {0}")]
    Fingerprint(String),
    #[error("tls configuration failed: {0}")]
    TlsConfig(String),
}
