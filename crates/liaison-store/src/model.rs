//! The values the store keeps for records, users, API tokens, sessions, screening runs with their reviewed hits,
//! and risk rule sets, as callers see them.

use chrono::{DateTime, NaiveDate, Utc};
use liaison_core::{RecordType, Role};

/// A record as stored: the columns the store indexes, the records it points at, and the record itself as
/// Liaison JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub record_type: RecordType,
    pub id: String,
    pub owner: String,
    pub handling_code: String,
    pub retain_until: Option<NaiveDate>,
    /// The records this one points at by (type, id), in the order of the body (a document's holder, an alert's
    /// subject, a relation's ends, a case's entities). A target need not be stored. The store keeps each
    /// target once, at its first place, so a repeated one reads back once.
    pub references: Vec<(RecordType, String)>,
    /// The record as Liaison JSON; opaque to the store.
    pub body: String,
}

/// What a `put_records` batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PutOutcome {
    /// Records that did not exist before.
    pub inserted: u64,
    /// Records that existed (or came earlier in the same batch) and were overwritten.
    pub updated: u64,
}

/// A user account. Timestamps are kept to the microsecond.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    pub username: String,
    /// A PHC string (Argon2id), never the password.
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// Consecutive failed logins since the last success or lock.
    pub failed_logins: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

// Written by hand so the password hash and the TOTP secret never reach a log.
impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("username", &self.username)
            .field("password_hash", &"<redacted>")
            .field("roles", &self.roles)
            .field(
                "totp_secret",
                &self.totp_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("totp_enabled", &self.totp_enabled)
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .field("must_change_password", &self.must_change_password)
            .field("disabled", &self.disabled)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// An API token. The store only ever sees the SHA-256 hex digest of the token.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: String,
    pub username: String,
    pub token_hash: String,
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A browser session, keyed by the SHA-256 hex digest of the session id.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub username: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub csrf_token: String,
}

// Written by hand so the CSRF token never reaches a log.
impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow")
            .field("id_hash", &self.id_hash)
            .field("username", &self.username)
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("csrf_token", &"<redacted>")
            .finish()
    }
}

/// One screening of a manifest or of a single document, with its report as JSON (opaque to the store).
/// `created_at` is kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningRunRow {
    /// Unique (UUIDv7 text).
    pub id: String,
    /// `"manifest"` or `"document"`.
    pub kind: String,
    pub created_at: DateTime<Utc>,
    /// Who ran it.
    pub username: String,
    pub purpose: String,
    pub case_ref: Option<String>,
    /// What was screened, e.g. `paxlst LH400 2026-11-29 FRA-JFK` or a file name.
    pub source: String,
    pub travellers: u32,
    pub hits: u32,
    /// The risk rule set version the run applied, if any.
    pub ruleset_version: Option<i64>,
    /// The report as JSON.
    pub report: String,
}

/// One hit raised by a screening run, and the officer's verdict on it once reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningHitRow {
    /// Unique across runs.
    pub id: String,
    /// The run that raised it.
    pub run_id: String,
    /// The index of the traveller in the run's report.
    pub traveller: u32,
    /// `"person"`, `"document"`, `"vehicle"` or `"rule"`.
    pub kind: String,
    /// `"strong"` or `"possible"`.
    pub band: String,
    pub alert_category: Option<String>,
    pub rule_id: Option<String>,
    /// The matched record, e.g. `person/p1`.
    pub record_ref: Option<String>,
    /// `None` until reviewed, then [`VERDICT_TRUE_HIT`] or [`VERDICT_FALSE_HIT`].
    pub verdict: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// The verdict on a hit that was the person, document or vehicle sought.
pub const VERDICT_TRUE_HIT: &str = "true_hit";
/// The verdict on a hit that was not.
pub const VERDICT_FALSE_HIT: &str = "false_hit";

/// Figures of hits along one dimension (`"rule"`, `"alert_category"`, `"band"` or `"kind"`) for one key of
/// it: how many were raised, how many were confirmed (verdict `true_hit`) and how many were false
/// (`false_hit`). Hits not yet reviewed count only in `hits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitStatRow {
    pub dimension: String,
    pub key: String,
    pub hits: u64,
    pub confirmed: u64,
    pub false_hits: u64,
}

/// A version of the node's risk rule set. `created_at` is kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RuleSetRow {
    /// 1, 2, 3... assigned by the store.
    pub version: i64,
    pub name: String,
    pub text: String,
    pub fingerprint: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Whether this is the version in force; at most one is.
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn debug_output_redacts_secrets() {
        let at = Utc.timestamp_opt(0, 0).single().unwrap_or_default();
        let user = UserRow {
            username: "alice".to_owned(),
            password_hash: "$argon2id$secret-hash".to_owned(),
            roles: vec![Role::Officer],
            totp_secret: Some("JBSWY3DPEHPK3PXP".to_owned()),
            totp_enabled: true,
            failed_logins: 0,
            locked_until: None,
            must_change_password: false,
            disabled: false,
            created_at: at,
        };
        let session = SessionRow {
            id_hash: "ab".repeat(32),
            username: "alice".to_owned(),
            created_at: at,
            last_seen_at: at,
            csrf_token: "csrf-secret".to_owned(),
        };
        let shown = format!("{user:?} {session:?}");
        assert!(shown.contains("alice"), "{shown}");
        for secret in ["secret-hash", "JBSWY3DPEHPK3PXP", "csrf-secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
