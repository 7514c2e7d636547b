//! The partner protocol of Liaison as rules without IO: sealing envelopes and the checks a receiver makes
//! before trusting one (`open`), receipts, sharing agreements and what step 1 of a search may reveal, rate
//! limits, retry backoff for the outbox, the states of a disclosure request and opaque hit references.
//!
//! Nothing here reads the clock, draws randomness or touches the network: the caller passes "now", jitter and
//! ids in, so every rule is tested with fixed values. The wire shapes are in `liaison_proto::federation`;
//! `docs/federation.md` is the reference of the protocol.

mod agreement;
mod backoff;
mod card;
mod custody;
mod disclosure;
mod envelope;
mod hit_ref;
mod rate;

pub use agreement::{Agreement, SearchRefusal, Step1, Step2, refused_search};
pub use backoff::{Backoff, NextAttempt};
pub use card::{sign_card, verify_card};
pub use custody::{CustodyVerdict, EvidenceRef, append_custody, custody_link, verify_custody};
pub use disclosure::{DisclosureEvent, DisclosureState, IllegalTransition, transition};
pub use envelope::{
    DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES, DEFAULT_MAX_SKEW, EnvelopeDraft, Rejection, SenderAction,
    VerifyContext, open, open_payload, receipt_for, receipt_matches, seal, seen_id_retention,
};
pub use hit_ref::hit_ref;
pub use rate::RateLimiter;

/// Why a federation rule refused a value: an agreement that does not hold, a payload that cannot be sent, a
/// card whose signature does not verify. (What a receiver refuses on the wire is a `Rejection`.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FederationError {
    #[error("agreement: key `{key}`: {message}")]
    Agreement { key: &'static str, message: String },
    #[error("envelope id must be a UUIDv7, got version {version}")]
    EnvelopeId { version: usize },
    #[error("payload cannot be sent: {0}")]
    Payload(liaison_proto::federation::WireError),
    #[error("node card: {0}")]
    Card(String),
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
}
