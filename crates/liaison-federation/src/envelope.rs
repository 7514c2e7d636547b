//! Sealing an envelope (signing its canonical bytes) and opening one: the ordered checks every received
//! message passes before anything acts on it, and the receipts that end its delivery.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use liaison_crypto::{NodeSigningKey, sha256_hex, verify_signature};
use liaison_proto::federation::{
    Envelope, Payload, Receipt, VERSION, WireError, canonical_bytes, decode, decode_payload,
    encode_payload, format_timestamp, parse_timestamp,
};
use serde_json::Value;

use crate::FederationError;

/// How far ahead of the receiver's clock a sender's clock may be.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(5 * 60);
/// How old an envelope may be when it arrives. Longer than the outbox's default `Backoff::max_age` (12 h)
/// plus the skew, so a message the sender still retries is never refused as too old.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// Largest envelope read: room for a disclosed case record with its entities, not for bulk transfer.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;

/// An envelope before its signature: what the sender decides. The id and time are passed in (this crate
/// reads no clock and draws no randomness): `uuid::Uuid::now_v7()` and the node's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeDraft {
    pub id: uuid::Uuid,
    pub from: String,
    pub to: String,
    pub created: DateTime<Utc>,
    pub kind: String,
    pub thread: Option<String>,
    pub case_ref: Option<String>,
    /// `H0` to `H3`.
    pub handling: String,
    pub payload: Value,
}

impl EnvelopeDraft {
    /// A draft carrying `payload` under its kind, checked as the receiver will check it.
    pub fn new<P: Payload>(
        id: uuid::Uuid,
        from: &str,
        to: &str,
        created: DateTime<Utc>,
        handling: &str,
        payload: &P,
    ) -> Result<Self, FederationError> {
        if id.get_version_num() != 7 {
            return Err(FederationError::EnvelopeId {
                version: id.get_version_num(),
            });
        }
        Ok(EnvelopeDraft {
            id,
            from: from.to_owned(),
            to: to.to_owned(),
            created,
            kind: P::KIND.to_owned(),
            thread: None,
            case_ref: None,
            handling: handling.to_owned(),
            payload: encode_payload(payload).map_err(FederationError::Payload)?,
        })
    }

    /// Places the message in a conversation (for an answer: the id of the envelope it answers).
    pub fn in_thread(mut self, thread: impl Into<String>) -> Self {
        self.thread = Some(thread.into());
        self
    }

    pub fn with_case_ref(mut self, case_ref: Option<String>) -> Self {
        self.case_ref = case_ref;
        self
    }
}

/// Signs the draft: `sig` is the sender's Ed25519 signature over the envelope's canonical bytes.
pub fn seal(draft: EnvelopeDraft, key: &NodeSigningKey) -> Envelope {
    let mut envelope = Envelope {
        v: VERSION,
        id: draft.id.hyphenated().to_string(),
        from: draft.from,
        to: draft.to,
        created: format_timestamp(draft.created),
        kind: draft.kind,
        thread: draft.thread,
        case_ref: draft.case_ref,
        handling: draft.handling,
        payload: draft.payload,
        sig: String::new(),
    };
    envelope.sig = key.sign(&canonical_bytes(&envelope));
    envelope
}

/// What a receiver knows when a message arrives. `sender_key` answers the pinned signing key (base64) of a
/// partner node id, `seen` whether an envelope id was already accepted.
pub struct VerifyContext<'a> {
    /// This node's id.
    pub me: &'a str,
    pub now: DateTime<Utc>,
    pub max_skew: Duration,
    pub max_age: Duration,
    pub max_bytes: usize,
    pub sender_key: &'a dyn Fn(&str) -> Option<String>,
    pub seen: &'a dyn Fn(&str) -> bool,
}

impl std::fmt::Debug for VerifyContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyContext")
            .field("me", &self.me)
            .field("now", &self.now)
            .field("max_skew", &self.max_skew)
            .field("max_age", &self.max_age)
            .field("max_bytes", &self.max_bytes)
            .finish_non_exhaustive()
    }
}

impl<'a> VerifyContext<'a> {
    /// A context with the default skew, age and size limits.
    pub fn new(
        me: &'a str,
        now: DateTime<Utc>,
        sender_key: &'a dyn Fn(&str) -> Option<String>,
        seen: &'a dyn Fn(&str) -> bool,
    ) -> Self {
        VerifyContext {
            me,
            now,
            max_skew: DEFAULT_MAX_SKEW,
            max_age: DEFAULT_MAX_AGE,
            max_bytes: DEFAULT_MAX_BYTES,
            sender_key,
            seen,
        }
    }
}

/// How long a receiver must remember accepted envelope ids: after that an old envelope is refused as too
/// old, so forgetting its id cannot let a replay through.
pub fn seen_id_retention(max_age: Duration, max_skew: Duration) -> Duration {
    max_age.saturating_add(max_skew)
}

/// Why a received envelope was refused. Each is logged and audited with its `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("envelope is {size} bytes, over the limit of {max}")]
    Oversized { size: usize, max: usize },
    #[error("envelope is malformed: {0}")]
    Malformed(String),
    #[error("envelope version {0} is not supported (this node reads version {VERSION})")]
    UnsupportedVersion(u32),
    #[error("envelope is addressed to `{to}`, not to this node")]
    WrongRecipient { to: String },
    #[error("sender `{from}` is not a partner of this node")]
    UnknownSender { from: String },
    #[error("signature does not verify with the sender's pinned key")]
    BadSignature,
    #[error("envelope created at {created} is older than this node accepts")]
    TooOld { created: String },
    #[error(
        "envelope created at {created} is ahead of this node's clock by more than the allowed skew"
    )]
    FromTheFuture { created: String },
    #[error("envelope {id} was already received")]
    Replay { id: String },
}

/// What a sender does when its partner answers with a rejection code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderAction {
    /// The partner already has the message (a replay of a delivered envelope): stop, as delivered.
    Delivered,
    /// Try again later, with backoff: the cause may pass (clocks converge, the partner pins our card).
    Retry,
    /// Retrying the same bytes cannot succeed: stop and tell a person.
    GiveUp,
}

impl Rejection {
    /// A stable snake_case name for logs, audit entries and problem details.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Oversized { .. } => "oversized",
            Rejection::Malformed(_) => "malformed",
            Rejection::UnsupportedVersion(_) => "unsupported_version",
            Rejection::WrongRecipient { .. } => "wrong_recipient",
            Rejection::UnknownSender { .. } => "unknown_sender",
            Rejection::BadSignature => "bad_signature",
            Rejection::TooOld { .. } => "too_old",
            Rejection::FromTheFuture { .. } => "from_the_future",
            Rejection::Replay { .. } => "replay",
        }
    }

    /// What the sender of a rejected envelope should do, from the code its partner sent back (an unknown
    /// code is treated as final).
    pub fn sender_action(code: &str) -> SenderAction {
        match code {
            "replay" => SenderAction::Delivered,
            "from_the_future" | "unknown_sender" => SenderAction::Retry,
            _ => SenderAction::GiveUp,
        }
    }
}

fn delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

/// Opens a received envelope. Checks, in this order, and stops at the first failure: size, decoding
/// (syntax, unknown fields, field forms), version, recipient, sender (a pinned partner), signature, age and
/// skew of `created`, and replay. Only an envelope that passes them all is returned. The caller records the
/// id as seen once it has stored the envelope.
pub fn open(bytes: &[u8], ctx: &VerifyContext<'_>) -> Result<Envelope, Rejection> {
    if bytes.len() > ctx.max_bytes {
        return Err(Rejection::Oversized {
            size: bytes.len(),
            max: ctx.max_bytes,
        });
    }
    let envelope = decode(bytes, ctx.max_bytes).map_err(|e| match e {
        WireError::Oversized { size, max } => Rejection::Oversized { size, max },
        WireError::UnsupportedVersion { version, .. } => {
            Rejection::UnsupportedVersion(u32::try_from(version).unwrap_or(u32::MAX))
        }
        other => Rejection::Malformed(other.to_string()),
    })?;
    if envelope.to != ctx.me {
        return Err(Rejection::WrongRecipient {
            to: envelope.to.clone(),
        });
    }
    let Some(key) = (ctx.sender_key)(&envelope.from) else {
        return Err(Rejection::UnknownSender {
            from: envelope.from.clone(),
        });
    };
    verify_signature(&key, &canonical_bytes(&envelope), &envelope.sig)
        .map_err(|_| Rejection::BadSignature)?;
    let created = parse_timestamp(&envelope.created)
        .ok_or_else(|| Rejection::Malformed(format!("field `created`: `{}`", envelope.created)))?;
    let oldest = ctx.now.checked_sub_signed(delta(ctx.max_age));
    if oldest.is_some_and(|oldest| created < oldest) {
        return Err(Rejection::TooOld {
            created: envelope.created.clone(),
        });
    }
    let newest = ctx.now.checked_add_signed(delta(ctx.max_skew));
    if newest.is_some_and(|newest| created > newest) {
        return Err(Rejection::FromTheFuture {
            created: envelope.created.clone(),
        });
    }
    if (ctx.seen)(&envelope.id) {
        return Err(Rejection::Replay {
            id: envelope.id.clone(),
        });
    }
    Ok(envelope)
}

/// Reads an opened envelope's payload as `P`; a payload that does not fit its kind is malformed.
pub fn open_payload<P: Payload>(envelope: &Envelope) -> Result<P, Rejection> {
    decode_payload(envelope).map_err(|e| Rejection::Malformed(e.to_string()))
}

/// The receipt a receiver sends back (sealed in a `receipt` envelope) once it has stored `envelope`.
pub fn receipt_for(envelope: &Envelope, received_at: DateTime<Utc>) -> Receipt {
    Receipt {
        envelope_id: envelope.id.clone(),
        received_at: format_timestamp(received_at),
        digest: sha256_hex(&canonical_bytes(envelope)),
    }
}

/// Whether `receipt` acknowledges exactly the envelope that was sent (same id, same signed bytes).
pub fn receipt_matches(receipt: &Receipt, sent: &Envelope) -> bool {
    receipt.envelope_id == sent.id && receipt.digest == sha256_hex(&canonical_bytes(sent))
}
