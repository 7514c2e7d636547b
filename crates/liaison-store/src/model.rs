//! The values the store keeps for records, users, API tokens, sessions, screening runs with their reviewed hits,
//! risk rule sets, federation (partners, agreements, outbox, inbox, hit references, disclosure requests), and
//! legal cooperation (requests with their timelines, evidence with its chain of custody), as callers see them.

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

/// A partner node this node has pinned, from its node card. Nothing here is secret: the certificate and the
/// signing key are public. Timestamps are kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PartnerRow {
    /// The partner's node id; the key.
    pub node_id: String,
    pub name: String,
    pub country: String,
    /// Its federation endpoint, `https://HOST:PORT`.
    pub endpoint: String,
    /// The fingerprint of its TLS certificate, by which a handshake is matched to it; one certificate names one
    /// partner.
    pub tls_fingerprint: String,
    /// Its TLS certificate (PEM).
    pub tls_certificate: String,
    /// Its Ed25519 public signing key.
    pub signing_key: String,
    /// The signed node card as received (JSON), opaque to the store.
    pub card: String,
    /// [`PARTNER_ACTIVE`] or [`PARTNER_REVOKED`].
    pub status: String,
    /// When it was first added; replacing the partner keeps this.
    pub added_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A partner that may exchange messages with this node.
pub const PARTNER_ACTIVE: &str = "active";
/// A partner whose pin was withdrawn: kept for the record, refused on the wire.
pub const PARTNER_REVOKED: &str = "revoked";

/// A version of the sharing agreement with one partner. `created_at` is kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AgreementRow {
    /// The partner's node id.
    pub partner: String,
    /// 1, 2, 3... per partner, assigned by the store; the highest is in force.
    pub version: i64,
    /// The agreement as TOML, opaque to the store.
    pub text: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A signed envelope waiting to be delivered to a partner, or delivered, or given up on. Timestamps are kept to
/// the microsecond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// The envelope's id (UUIDv7); the key.
    pub id: String,
    /// The partner's node id.
    pub recipient: String,
    /// The envelope's message type.
    pub kind: String,
    /// The signed envelope, byte for byte as it is sent.
    pub envelope: Vec<u8>,
    pub created_at: DateTime<Utc>,
    /// Delivery attempts made so far.
    pub attempts: u32,
    /// Not to be tried before this.
    pub next_attempt_at: DateTime<Utc>,
    /// [`OUTBOX_PENDING`], [`OUTBOX_DELIVERED`] or [`OUTBOX_FAILED`].
    pub state: String,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// An outbox envelope still to be delivered.
pub const OUTBOX_PENDING: &str = "pending";
/// An outbox envelope the partner acknowledged.
pub const OUTBOX_DELIVERED: &str = "delivered";
/// An outbox envelope given up on after its retries.
pub const OUTBOX_FAILED: &str = "failed";

/// A signed envelope received from a partner, stored once however often it is delivered. `received_at` is kept
/// to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxRow {
    /// The envelope's id; the key.
    pub id: String,
    /// The sender's node id.
    pub sender: String,
    /// The envelope's message type.
    pub kind: String,
    /// The signed envelope, byte for byte as it was received.
    pub envelope: Vec<u8>,
    pub received_at: DateTime<Utc>,
    /// Whether its effect has been applied.
    pub processed: bool,
}

/// The opaque reference a partner receives instead of a record id when one of this node's records is a hit
/// for its search. Timestamps are kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRefRow {
    /// The reference; the key.
    pub hit_ref: String,
    /// The partner's node id that searched.
    pub requester: String,
    pub record_type: RecordType,
    pub record_id: String,
    /// The search it answered (the envelope's case/thread reference).
    pub correlation_id: String,
    /// The purpose the search stated.
    pub purpose: String,
    pub created_at: DateTime<Utc>,
    /// After this the reference no longer opens a disclosure request.
    pub expires_at: DateTime<Utc>,
}

/// A disclosure request: the requesting node keeps it as [`DIRECTION_OUTGOING`], the node owning the record as
/// [`DIRECTION_INCOMING`], each under the same id. Timestamps are kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DisclosureRow {
    pub id: String,
    /// [`DIRECTION_OUTGOING`] or [`DIRECTION_INCOMING`].
    pub direction: String,
    /// The other node: the owner for an outgoing request, the requester for an incoming one.
    pub partner: String,
    pub hit_ref: String,
    pub purpose: String,
    pub legal_basis: String,
    pub case_ref: Option<String>,
    pub requested_by: String,
    /// [`DISCLOSURE_PENDING`], [`DISCLOSURE_APPROVED`], [`DISCLOSURE_REFUSED`] or [`DISCLOSURE_EXPIRED`].
    pub state: String,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    /// The disclosed record (JSON) once approved, opaque to the store.
    pub record: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A disclosure request this node sent.
pub const DIRECTION_OUTGOING: &str = "outgoing";
/// A disclosure request this node received for one of its records.
pub const DIRECTION_INCOMING: &str = "incoming";
/// A disclosure request awaiting its decision.
pub const DISCLOSURE_PENDING: &str = "pending";
/// A disclosure request the owner granted.
pub const DISCLOSURE_APPROVED: &str = "approved";
/// A disclosure request the owner turned down.
pub const DISCLOSURE_REFUSED: &str = "refused";
/// A disclosure request left undecided past its deadline.
pub const DISCLOSURE_EXPIRED: &str = "expired";

/// A legal cooperation request as one side keeps it. Both sides keep it under the same id (made by the
/// requesting node). Timestamps are kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LegalRequestRow {
    pub id: String,
    /// [`LEGAL_SIDE_REQUESTING`] or [`LEGAL_SIDE_EXECUTING`]: which side this node is.
    pub side: String,
    /// The other node.
    pub partner: String,
    /// `"eio"`, `"eaw"`, `"mla"`, `"extradition"`, `"information_request"` or `"hit_follow_up"`.
    pub kind: String,
    /// The lifecycle state, e.g. `"draft"`, `"in_execution"`, `"closed"`.
    pub state: String,
    pub urgent: bool,
    pub case_ref: Option<String>,
    /// The request's form (JSON), opaque to the store.
    pub form: String,
    /// The events its deadlines run from, pauses and extensions (JSON), opaque to the store.
    pub events: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// 1 when created; every successful update adds 1. Set by the store: the value handed to
    /// `create_legal_request` or `update_legal_request` is not written.
    pub version: i64,
}

/// The side of a legal request that asks for the measure.
pub const LEGAL_SIDE_REQUESTING: &str = "requesting";
/// The side of a legal request that decides on it and carries it out.
pub const LEGAL_SIDE_EXECUTING: &str = "executing";

/// One step in a legal request's timeline. `at` is kept to the microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LegalEventRow {
    pub request_id: String,
    /// 1, 2, 3... per request, assigned by the store when the event is appended (the value handed in is
    /// ignored).
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// `"create"`, `"send"`, `"receive"`, `"recognise"`, `"extend"`, ...
    pub action: String,
    /// The side that took the action.
    pub side: String,
    /// The node that took it.
    pub node: String,
    pub actor: String,
    /// The request's state after the action.
    pub state_after: String,
    pub detail: Option<String>,
    /// The envelope that carried the action to or from the partner, if one did.
    pub envelope_id: Option<String>,
}

/// A piece of evidence attached to a legal request. `created_at` is kept to the microsecond.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: String,
    pub request_id: String,
    /// The file name it was given.
    pub name: String,
    pub media_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// The SHA-256 of its content, lowercase hex.
    pub sha256: String,
    /// The bytes, when this node holds them: `get_evidence` returns them, `list_evidence` leaves them out
    /// (`None`).
    #[sqlx(default)]
    pub content: Option<Vec<u8>>,
    /// The node that collected it.
    pub origin: String,
    pub added_by: String,
    pub created_at: DateTime<Utc>,
    /// [`EVIDENCE_INTACT`], [`EVIDENCE_MISMATCH`] or [`EVIDENCE_UNVERIFIED`].
    pub status: String,
    pub status_detail: Option<String>,
}

// Written by hand so a log line shows how much content there is, not the content.
impl std::fmt::Debug for EvidenceRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvidenceRow")
            .field("id", &self.id)
            .field("request_id", &self.request_id)
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("size", &self.size)
            .field("sha256", &self.sha256)
            .field(
                "content",
                &self
                    .content
                    .as_ref()
                    .map(|bytes| format!("<{} bytes>", bytes.len())),
            )
            .field("origin", &self.origin)
            .field("added_by", &self.added_by)
            .field("created_at", &self.created_at)
            .field("status", &self.status)
            .field("status_detail", &self.status_detail)
            .finish()
    }
}

/// Evidence whose content matches its digest and chain of custody.
pub const EVIDENCE_INTACT: &str = "intact";
/// Evidence whose content or chain of custody does not match.
pub const EVIDENCE_MISMATCH: &str = "mismatch";
/// Evidence not checked yet.
pub const EVIDENCE_UNVERIFIED: &str = "unverified";

/// A chain-of-custody event of a piece of evidence, signed by the node that recorded it. `at` is kept to the
/// microsecond.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CustodyEventRow {
    pub evidence_id: String,
    /// Set by the caller, since it is signed; unique per piece of evidence.
    pub seq: i64,
    /// `"collected"`, `"sealed"`, `"sent"`, `"received"`, `"verified"` or `"opened"`.
    pub event: String,
    pub at: DateTime<Utc>,
    pub node: String,
    pub actor: String,
    /// The digest of the evidence as this event saw it.
    pub sha256: String,
    pub note: Option<String>,
    /// The digest linking to the previous event (`""` for the first).
    pub prev: String,
    pub signature: String,
    /// `"verified"`, `"own"` or `"mismatch: <why>"`, set by the server.
    pub verification: String,
}

/// Which legal requests `list_legal_requests` returns: those matching every field that is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegalRequestFilter {
    pub side: Option<String>,
    pub partner: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    /// Only requests whose state is neither `"closed"` nor `"withdrawn"`.
    pub open_only: bool,
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn evidence_debug_shows_the_size_of_its_content() {
        let evidence = EvidenceRow {
            id: "ev-1".to_owned(),
            request_id: "lr-1".to_owned(),
            name: "statement.pdf".to_owned(),
            media_type: "application/pdf".to_owned(),
            size: 12,
            sha256: "ab".repeat(32),
            content: Some(b"witness said".to_vec()),
            origin: "node-b".to_owned(),
            added_by: "officer1".to_owned(),
            created_at: Utc.timestamp_opt(0, 0).single().unwrap_or_default(),
            status: EVIDENCE_INTACT.to_owned(),
            status_detail: None,
        };
        let shown = format!("{evidence:?}");
        assert!(shown.contains("<12 bytes>"), "{shown}");
        assert!(!shown.contains("witness"), "{shown}");
    }

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
