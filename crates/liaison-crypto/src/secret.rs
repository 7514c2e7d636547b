//! Random bearer secrets (API tokens, session ids, one-time passwords) and their stored digests.

use rand::RngCore;
use rand::rngs::OsRng;

/// A secret string that never shows in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The secret itself, for the one place that must show or send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// A random token with `prefix` and 256 bits from the operating system's generator, base32 without padding
/// (no characters that need escaping in headers, cookies or shells).
pub fn random_token(prefix: &str) -> Secret {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let body = data_encoding::BASE32_NOPAD
        .encode(&bytes)
        .to_ascii_lowercase();
    Secret(format!("{prefix}{body}"))
}

/// What the store keeps of a bearer secret: its SHA-256. Tokens carry 256 bits of entropy, so a fast hash is
/// enough and lookups stay a single indexed read.
pub fn token_digest(token: &str) -> String {
    crate::sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hidden() {
        let a = random_token("lt_");
        let b = random_token("lt_");
        assert_ne!(a, b);
        assert!(a.expose().starts_with("lt_"));
        assert_eq!(a.expose().len(), 3 + 52);
        assert_eq!(format!("{a:?}"), "Secret(..)");
        assert_eq!(token_digest(a.expose()).len(), 64);
    }
}
