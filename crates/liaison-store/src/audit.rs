//! The audit log's entries, the bytes their hash covers, and the check that the chain is intact.
//!
//! Every entry carries the hash of the entry before it (`prev_hash`) and a hash over its own content and that
//! link, so changing, removing or reordering an entry breaks the chain at that point. The head (the last
//! entry's seq and hash, kept beside the log and moved in the same transaction as each append) reveals entries
//! cut off the end. The chain carries no key: someone with write access to the database who recomputes every
//! hash after their change, head included, is not detected here; anchoring the head outside the database
//! (handing it to partners, signing it) is what closes that gap.

use chrono::{DateTime, Utc};
use liaison_crypto::sha256_hex;
use serde_json::Value;

use crate::{Store, StoreError, timestamp};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The version of [`audit_canonical_bytes`], the first element of the array it writes. A different encoding
/// gets a new number so that entries hashed under an older one can still be checked.
pub const AUDIT_HASH_VERSION: u64 = 1;

/// How many entries verification reads at a time.
const VERIFY_PAGE: u32 = 1_000;

/// An audit entry about to be appended; the store gives it its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    /// Kept to the microsecond.
    pub at: DateTime<Utc>,
    pub node: String,
    /// A username, `token:<id>`, `system` or `anonymous`.
    pub actor: String,
    /// What was done, e.g. `record.read`.
    pub action: String,
    /// What it was done to, e.g. `person/p1`.
    pub objects: Vec<String>,
    pub purpose: Option<String>,
    pub case_ref: Option<String>,
    pub recipients: Vec<String>,
    /// `ok`, `denied`, `error`, `refused`, ...
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

/// An entry of the audit log: the draft's fields, its place in the chain and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub node: String,
    pub actor: String,
    pub action: String,
    pub objects: Vec<String>,
    pub purpose: Option<String>,
    pub case_ref: Option<String>,
    pub recipients: Vec<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    /// The hash of the entry before, [`GENESIS_HASH`] for the first.
    pub prev_hash: String,
    /// `sha256_hex(audit_canonical_bytes(self))`.
    pub hash: String,
}

/// Which entries `audit_search` returns: those matching every given criterion, in seq order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Entries that name this object among their `objects` (exact match).
    pub object: Option<String>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries strictly before this time, so consecutive ranges do not overlap.
    pub to: Option<DateTime<Utc>>,
    /// Entries after this seq: pass the last seq of one page to get the next.
    pub after_seq: Option<i64>,
    /// At most this many entries.
    pub limit: u32,
}

/// What a successful verification covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// How many entries were checked.
    pub entries: u64,
    /// The last entry checked, `None` for an empty log.
    pub head_seq: Option<i64>,
    pub head_hash: Option<String>,
}

/// Why the audit log failed verification. Each variant names the first bad entry by its seq.
#[derive(Debug, thiserror::Error)]
pub enum AuditVerifyError {
    #[error("audit entry {seq} was altered: its hash does not match its contents")]
    Altered { seq: i64 },
    #[error(
        "audit entry {seq} does not follow the entry before it: its prev_hash differs from that entry's hash, so an entry before it was removed, altered or reordered"
    )]
    BrokenLink { seq: i64 },
    #[error("audit entry {seq} is missing: the log goes on with entry {found}")]
    Missing { seq: i64, found: i64 },
    #[error(
        "audit entry {seq} is missing: the log ends before it, but its head records entry {head}"
    )]
    Truncated { seq: i64, head: i64 },
    #[error(
        "audit entry {seq} does not match the head recorded for it: the entry or the head was altered"
    )]
    HeadMismatch { seq: i64 },
    #[error("the audit log could not be read: {0}")]
    Store(#[from] StoreError),
}

impl AuditVerifyError {
    /// The first bad entry, unless the log could not be read.
    pub fn seq(&self) -> Option<i64> {
        match self {
            AuditVerifyError::Altered { seq }
            | AuditVerifyError::BrokenLink { seq }
            | AuditVerifyError::Missing { seq, .. }
            | AuditVerifyError::Truncated { seq, .. }
            | AuditVerifyError::HeadMismatch { seq } => Some(*seq),
            AuditVerifyError::Store(_) => None,
        }
    }
}

/// The bytes an entry's hash covers, version 1: a compact JSON array
/// `[1, seq, at, node, actor, action, objects, purpose, case_ref, recipients, outcome, detail, request_id,
/// prev_hash]`, where `at` is RFC 3339 in UTC with exactly six fractional digits and a `Z`, absent options are
/// `null` and lists are arrays of strings. JSON gives every field an unambiguous boundary, so no two different
/// entries share these bytes.
pub fn audit_canonical_bytes(entry: &AuditEntry) -> Vec<u8> {
    let fields = vec![
        Value::from(AUDIT_HASH_VERSION),
        Value::from(entry.seq),
        Value::from(timestamp::to_text(entry.at)),
        Value::from(entry.node.as_str()),
        Value::from(entry.actor.as_str()),
        Value::from(entry.action.as_str()),
        Value::from(entry.objects.as_slice()),
        Value::from(entry.purpose.as_deref()),
        Value::from(entry.case_ref.as_deref()),
        Value::from(entry.recipients.as_slice()),
        Value::from(entry.outcome.as_str()),
        Value::from(entry.detail.as_deref()),
        Value::from(entry.request_id.as_deref()),
        Value::from(entry.prev_hash.as_str()),
    ];
    Value::Array(fields).to_string().into_bytes()
}

/// Makes `draft` the entry `seq` following the entry whose hash is `prev_hash`. `at` is truncated to the
/// microsecond first, so the hash recomputes identically from what the database gives back.
pub(crate) fn seal(draft: &AuditDraft, seq: i64, prev_hash: String) -> AuditEntry {
    let mut entry = AuditEntry {
        seq,
        at: timestamp::truncate(draft.at),
        node: draft.node.clone(),
        actor: draft.actor.clone(),
        action: draft.action.clone(),
        objects: draft.objects.clone(),
        purpose: draft.purpose.clone(),
        case_ref: draft.case_ref.clone(),
        recipients: draft.recipients.clone(),
        outcome: draft.outcome.clone(),
        detail: draft.detail.clone(),
        request_id: draft.request_id.clone(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = sha256_hex(&audit_canonical_bytes(&entry));
    entry
}

/// Walks the whole log in pages (constant memory) and checks that seqs run 1, 2, 3, ... without a gap, that
/// every entry's hash matches its contents and links to the entry before, and that the log reaches the head.
///
/// The head is read first, so entries appended while the walk runs are checked as part of the chain but do not
/// count as a mismatch.
pub async fn verify_audit(store: &dyn Store) -> Result<AuditVerification, AuditVerifyError> {
    let head = store.audit_head().await?;
    let mut entries = 0_u64;
    let mut last: Option<(i64, String)> = None;
    loop {
        let after = last.as_ref().map_or(0, |(seq, _)| *seq);
        let page = store.audit_page(after, VERIFY_PAGE).await?;
        if page.is_empty() {
            break;
        }
        for entry in page {
            let (expected_seq, expected_prev) = match &last {
                Some((seq, hash)) => (seq + 1, hash.as_str()),
                None => (1, GENESIS_HASH),
            };
            if entry.seq != expected_seq {
                return Err(AuditVerifyError::Missing {
                    seq: expected_seq,
                    found: entry.seq,
                });
            }
            // The entry's own consistency first: when its content was changed, that is the most precise
            // statement, even if its link is wrong too (as for an entry swapped with another).
            if sha256_hex(&audit_canonical_bytes(&entry)) != entry.hash {
                return Err(AuditVerifyError::Altered { seq: entry.seq });
            }
            if entry.prev_hash != expected_prev {
                return Err(AuditVerifyError::BrokenLink { seq: entry.seq });
            }
            if let Some((head_seq, head_hash)) = &head
                && *head_seq == entry.seq
                && *head_hash != entry.hash
            {
                return Err(AuditVerifyError::HeadMismatch { seq: entry.seq });
            }
            entries += 1;
            last = Some((entry.seq, entry.hash));
        }
    }
    let last_seq = last.as_ref().map_or(0, |(seq, _)| *seq);
    if let Some((head_seq, _)) = head
        && head_seq > last_seq
    {
        return Err(AuditVerifyError::Truncated {
            seq: last_seq + 1,
            head: head_seq,
        });
    }
    let (head_seq, head_hash) = last.unzip();
    Ok(AuditVerification {
        entries,
        head_seq,
        head_hash,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use chrono::{TimeZone, Utc};

    use super::*;

    fn draft() -> AuditDraft {
        AuditDraft {
            at: Utc.with_ymd_and_hms(2026, 3, 1, 8, 15, 0).unwrap(),
            node: "nl-police".to_owned(),
            actor: "alice".to_owned(),
            action: "record.read".to_owned(),
            objects: vec!["person/p1".to_owned()],
            purpose: Some("border_check".to_owned()),
            case_ref: None,
            recipients: vec![],
            outcome: "ok".to_owned(),
            detail: None,
            request_id: Some("r-1".to_owned()),
        }
    }

    #[test]
    fn canonical_bytes_are_a_versioned_json_array() {
        let entry = seal(&draft(), 1, GENESIS_HASH.to_owned());
        let text = String::from_utf8(audit_canonical_bytes(&entry)).unwrap();
        assert_eq!(
            text,
            format!(
                r#"[1,1,"2026-03-01T08:15:00.000000Z","nl-police","alice","record.read",["person/p1"],"border_check",null,[],"ok",null,"r-1","{GENESIS_HASH}"]"#
            )
        );
        assert_eq!(entry.hash, sha256_hex(text.as_bytes()));
    }

    #[test]
    fn every_field_is_covered() {
        let entry = seal(&draft(), 1, GENESIS_HASH.to_owned());
        let changes: &[fn(&mut AuditEntry)] = &[
            |e| e.seq = 2,
            |e| e.at += chrono::TimeDelta::microseconds(1),
            |e| e.node.push('x'),
            |e| e.actor.push('x'),
            |e| e.action.push('x'),
            |e| e.objects.push("x".to_owned()),
            |e| e.purpose = None,
            |e| e.case_ref = Some(String::new()),
            |e| e.recipients.push("x".to_owned()),
            |e| e.outcome.push('x'),
            |e| e.detail = Some(String::new()),
            |e| e.request_id = None,
            |e| e.prev_hash.replace_range(0..1, "1"),
        ];
        for change in changes {
            let mut changed = entry.clone();
            change(&mut changed);
            assert_ne!(
                audit_canonical_bytes(&changed),
                audit_canonical_bytes(&entry),
                "{changed:?}"
            );
        }
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let entry = seal(&draft(), 1, GENESIS_HASH.to_owned());
        let (mut a, mut b) = (entry.clone(), entry.clone());
        a.objects = vec!["a,b".to_owned()];
        b.objects = vec!["a".to_owned(), "b".to_owned()];
        assert_ne!(audit_canonical_bytes(&a), audit_canonical_bytes(&b));
        let (mut a, mut b) = (entry.clone(), entry);
        a.detail = Some("null".to_owned());
        b.detail = None;
        assert_ne!(audit_canonical_bytes(&a), audit_canonical_bytes(&b));
    }
}
