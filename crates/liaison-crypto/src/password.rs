//! Password hashing with Argon2id (PHC string format), so a stolen database does not yield passwords.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::CryptoError;

/// Hashes a password with Argon2id and a random salt; the PHC string carries the parameters, so they can be
/// raised later without breaking stored hashes.
pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed stored hash is an error, not a mismatch,
/// so that corruption is noticed.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, CryptoError> {
    let parsed =
        PasswordHash::new(stored).map_err(|e| CryptoError::MalformedHash(e.to_string()))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password("correct horse", &a).unwrap());
        assert!(!verify_password("wrong", &a).unwrap());
        assert!(verify_password("x", "not a hash").is_err());
    }
}
