//! RFC 6238 time-based one-time passwords: the second factor for people (CJIS 5.6 multi-factor).

use crate::CryptoError;

/// Liaison's TOTP parameters: SHA-1, 6 digits, 30-second steps, one step of clock skew either way. These are
/// what every authenticator app supports.
const DIGITS: u8 = 6;
const STEP_SECONDS: u64 = 30;
const SKEW_STEPS: u16 = 1;

/// A user's TOTP secret, as base32 text (what authenticator apps and the store hold).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(String);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    /// A fresh random 160-bit secret, as RFC 4226 recommends.
    pub fn generate() -> Self {
        TotpSecret(totp_rs::Secret::generate().to_base32())
    }

    /// Reads a base32 secret as stored.
    pub fn from_base32(text: &str) -> Result<Self, CryptoError> {
        totp_rs::Secret::try_from_base32(text).map_err(|e| CryptoError::Totp(e.to_string()))?;
        Ok(TotpSecret(text.to_owned()))
    }

    pub fn base32(&self) -> &str {
        &self.0
    }

    fn totp(&self, account: &str, issuer: &str) -> Result<totp_rs::Totp, CryptoError> {
        let secret = totp_rs::Secret::try_from_base32(&self.0)
            .map_err(|e| CryptoError::Totp(e.to_string()))?;
        totp_rs::Builder::new()
            .with_algorithm(totp_rs::Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_skew(SKEW_STEPS)
            .with_step_duration(STEP_SECONDS)
            .with_secret(secret)
            .with_account_name(account)
            .with_issuer(Some(issuer))
            .build()
            .map_err(|e| CryptoError::Totp(e.to_string()))
    }

    /// The code valid at `unix_seconds` (for tests, demos and enrolment checks).
    pub fn code_at(&self, unix_seconds: u64) -> Result<String, CryptoError> {
        Ok(self
            .totp("user", "Liaison")?
            .generate(unix_seconds)
            .to_string())
    }

    /// The time step a code matches at `unix_seconds`, allowing one step of skew. The caller refuses a step
    /// it has already accepted, so that a code cannot be replayed.
    pub fn verify(&self, code: &str, unix_seconds: u64) -> Result<Option<u64>, CryptoError> {
        let code = code.trim();
        if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        Ok(self.totp("user", "Liaison")?.check(code, unix_seconds))
    }
}

/// The `otpauth://` URI an authenticator app scans as a QR code.
pub fn totp_provisioning_uri(
    secret: &TotpSecret,
    account: &str,
    issuer: &str,
) -> Result<String, CryptoError> {
    secret
        .totp(account, issuer)?
        .to_url()
        .map_err(|e| CryptoError::Totp(e.to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s gives 94287082 (8 digits); 6 digits: 287082.
        let secret = TotpSecret(data_encoding::BASE32_NOPAD.encode(b"12345678901234567890"));
        assert_eq!(secret.code_at(59).unwrap(), "287082");
        assert_eq!(secret.verify("287082", 59).unwrap(), Some(1));
        assert_eq!(
            secret.verify("287082", 59 + 30).unwrap(),
            Some(1),
            "one step of skew is allowed"
        );
        assert_eq!(secret.verify("287082", 59 + 90).unwrap(), None);
        assert_eq!(secret.verify("28708", 59).unwrap(), None);
    }

    #[test]
    fn generated_secrets_verify_and_provision() {
        let secret = TotpSecret::generate();
        let code = secret.code_at(1_800_000_000).unwrap();
        assert!(secret.verify(&code, 1_800_000_000).unwrap().is_some());
        let uri = totp_provisioning_uri(&secret, "analyst", "Liaison node-a").unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(format!("{secret:?}").contains(".."));
    }
}
