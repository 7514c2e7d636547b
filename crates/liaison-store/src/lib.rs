//! Liaison's storage: the [`Store`] trait and its SQLite and PostgreSQL backends, their migrations, and the
//! hash-chained audit log.
//!
//! Only this crate knows SQL. Both backends run the same statements where the dialects agree (see `sql`), keep
//! timestamps to the microsecond so values read back exactly, and pass one conformance suite (`tests/it`).
//! Records are opaque JSON bodies with a few indexed columns and the list of records each one points at (kept as
//! rows, so a referenced record is not deleted silently and who points at a record is one index lookup); users,
//! API tokens (by digest), sessions (by digest) and settings are rows; so are screening runs (their reports
//! opaque JSON), the hits they raised with the officers' verdicts, and the versions of the risk rule set; so are
//! the federation's partners, agreement versions, outbox and inbox of signed envelopes (kept as bytes), seen
//! envelope ids, hit references and disclosure requests; so are legal cooperation requests (their form and
//! deadline events opaque JSON, updated under optimistic versions) with their timelines, and evidence (its bytes
//! kept in the database) with its signed chain of custody; the audit log is append-only, guarded by triggers and
//! checked by [`verify_audit`].

mod audit;
mod error;
mod model;
mod postgres;
mod rows;
mod sql;
mod sqlite;
mod timestamp;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use liaison_core::RecordType;

pub use audit::{
    AUDIT_HASH_VERSION, AuditDraft, AuditEntry, AuditFilter, AuditVerification, AuditVerifyError,
    GENESIS_HASH, audit_canonical_bytes, verify_audit,
};
pub use error::{StoreError, StoreResult};
pub use model::{
    AgreementRow, CustodyEventRow, DIRECTION_INCOMING, DIRECTION_OUTGOING, DISCLOSURE_APPROVED,
    DISCLOSURE_EXPIRED, DISCLOSURE_PENDING, DISCLOSURE_REFUSED, DisclosureRow, EVIDENCE_INTACT,
    EVIDENCE_MISMATCH, EVIDENCE_UNVERIFIED, EvidenceRow, HitRefRow, HitStatRow, InboxRow,
    LEGAL_SIDE_EXECUTING, LEGAL_SIDE_REQUESTING, LegalEventRow, LegalRequestFilter,
    LegalRequestRow, OUTBOX_DELIVERED, OUTBOX_FAILED, OUTBOX_PENDING, OutboxRow, PARTNER_ACTIVE,
    PARTNER_REVOKED, PartnerRow, PutOutcome, RuleSetRow, ScreeningHitRow, ScreeningRunRow,
    SessionRow, StoredRecord, TokenRow, UserRow, VERDICT_FALSE_HIT, VERDICT_TRUE_HIT,
};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Opens the database at `url` and brings its schema up to date: `sqlite://PATH`, `sqlite:PATH` (the file is
/// created if missing), `sqlite::memory:`, or `postgres://...` / `postgresql://...`.
pub async fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::InvalidUrl(
            "expected sqlite://PATH, sqlite:PATH, sqlite::memory: or postgres://...".to_owned(),
        ))
    }
}

/// Everything a node keeps. Timestamps are kept to the microsecond: a value reads back truncated to that.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    // Records.

    /// Inserts or overwrites each record by (type, id) with its references, all in one transaction: either the
    /// whole batch is stored or nothing is. A new record takes the next place in insertion order; an overwritten
    /// one keeps its place, and its references are replaced by the new ones. A key repeated within the batch
    /// counts as an insert then updates, like one put after another. A reference may name a record that is not
    /// stored (yet). On SQLite a batch holds the write lock while it runs (about 0.2 s per 10,000 records), so
    /// other writers wait; batches of about that size keep them well inside the 5 s busy timeout.
    async fn put_records(
        &self,
        batch: &[StoredRecord],
        now: DateTime<Utc>,
    ) -> StoreResult<PutOutcome>;

    /// The record with its references.
    async fn get_record(
        &self,
        record_type: RecordType,
        id: &str,
    ) -> StoreResult<Option<StoredRecord>>;

    /// Deletes the record and its references to others, in one transaction. False if there was no such record.
    /// `Referenced`, naming them, while other records point at it (its own reference to itself does not count):
    /// nothing is changed then.
    async fn delete_record(&self, record_type: RecordType, id: &str) -> StoreResult<bool>;

    /// The records that point at `(record_type, id)`, whether or not it is stored, in the order of
    /// [`RecordType`] then id.
    async fn referencing(
        &self,
        record_type: RecordType,
        id: &str,
    ) -> StoreResult<Vec<(RecordType, String)>>;

    /// The types of the records with this id, in the order of [`RecordType`].
    async fn record_types_with_id(&self, id: &str) -> StoreResult<Vec<RecordType>>;

    /// How many records of each type are stored; every type is present, zero if there are none.
    async fn count_records(&self) -> StoreResult<BTreeMap<RecordType, u64>>;

    /// Up to `limit` records of one type in insertion order, as (position, id, body), starting after position
    /// `after_seq` (0 for the start): what an in-memory index needs, without the references. Pages of one
    /// type stream in constant memory like [`Store::records_page`].
    async fn record_bodies_page(
        &self,
        record_type: RecordType,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, String, String)>>;

    /// Up to `limit` records in insertion order with their position and references, starting after position
    /// `after_seq` (0 for the start). Pass the last position of a page to get the next, so an export runs in
    /// constant memory. Positions increase but may skip numbers. A page is read from one state of the store.
    async fn records_page(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, StoredRecord)>>;

    // Users.

    /// `Conflict` if the username is taken.
    async fn create_user(&self, user: &UserRow) -> StoreResult<()>;

    async fn get_user(&self, username: &str) -> StoreResult<Option<UserRow>>;

    /// Every user, by username.
    async fn list_users(&self) -> StoreResult<Vec<UserRow>>;

    /// Overwrites the user's fields except `username` and `created_at`. `NotFound` if there is no such user.
    async fn update_user(&self, user: &UserRow) -> StoreResult<()>;

    /// Counts a failed login atomically. The failure that brings the count to `max_failures` sets
    /// `locked_until` and resets the stored count to 0. Returns the consecutive failures this one makes, so
    /// `max_failures` exactly when it locked the account. `NotFound` if there is no such user.
    async fn record_login_failure(
        &self,
        username: &str,
        max_failures: u32,
        lock_until: DateTime<Utc>,
    ) -> StoreResult<u32>;

    /// Resets the failure count and lifts a lock. `NotFound` if there is no such user.
    async fn record_login_success(&self, username: &str) -> StoreResult<()>;

    // API tokens. The store only ever sees the SHA-256 hex digest of a token.

    /// `Conflict` if the id or digest is taken, `NotFound` if the user does not exist.
    async fn create_token(&self, token: &TokenRow) -> StoreResult<()>;

    async fn token_by_hash(&self, token_hash: &str) -> StoreResult<Option<TokenRow>>;

    /// The tokens of one user, or of everyone, oldest first.
    async fn list_tokens(&self, username: Option<&str>) -> StoreResult<Vec<TokenRow>>;

    /// Marks the token revoked at `at`. False if there is no such token or it was revoked already (the first
    /// revocation time stands).
    async fn revoke_token(&self, id: &str, at: DateTime<Utc>) -> StoreResult<bool>;

    /// Records a use of the token; nothing happens for an unknown id.
    async fn touch_token(&self, id: &str, at: DateTime<Utc>) -> StoreResult<()>;

    // Sessions, by the SHA-256 hex digest of the session id.

    /// `Conflict` if the digest is taken, `NotFound` if the user does not exist.
    async fn create_session(&self, session: &SessionRow) -> StoreResult<()>;

    async fn session_by_hash(&self, id_hash: &str) -> StoreResult<Option<SessionRow>>;

    /// Records activity in the session; nothing happens for an unknown session.
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// Ends the session; nothing happens for an unknown session.
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;

    /// Ends every session of the user.
    async fn delete_sessions_of(&self, username: &str) -> StoreResult<()>;

    // Settings (node id, country, ...).

    async fn get_setting(&self, key: &str) -> StoreResult<Option<String>>;

    /// Sets or replaces the value.
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;

    // Border screening: runs, their hits and the officers' verdicts.

    /// Stores the run and its hits in one transaction. `Conflict` if the run id or a hit id exists (nothing is
    /// stored then); `Invalid` if a hit names another run, two hits share an id, or a verdict is neither
    /// [`VERDICT_TRUE_HIT`] nor [`VERDICT_FALSE_HIT`]. Each hit takes the run's `created_at` for
    /// [`Store::hit_statistics`].
    async fn put_screening_run(
        &self,
        run: &ScreeningRunRow,
        hits: &[ScreeningHitRow],
    ) -> StoreResult<()>;

    async fn get_screening_run(&self, id: &str) -> StoreResult<Option<ScreeningRunRow>>;

    /// Newest first (by `created_at`, then id descending), at most `limit`, each with its report.
    async fn list_screening_runs(&self, limit: u32) -> StoreResult<Vec<ScreeningRunRow>>;

    /// The hits of one run, by traveller then id (byte order); empty for an unknown run.
    async fn screening_hits(&self, run_id: &str) -> StoreResult<Vec<ScreeningHitRow>>;

    async fn get_screening_hit(&self, id: &str) -> StoreResult<Option<ScreeningHitRow>>;

    /// Records (or changes) the verdict on a hit. False if there is no such hit; `Invalid` if the verdict is
    /// neither [`VERDICT_TRUE_HIT`] nor [`VERDICT_FALSE_HIT`].
    async fn review_hit(
        &self,
        hit_id: &str,
        verdict: &str,
        reviewer: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Hits, confirmed (verdict `true_hit`) and false (`false_hit`) per rule id (`"rule"`), per alert category
    /// (`"alert_category"`), per band (`"band"`) and per kind (`"kind"`), over hits whose run was created at or
    /// after `since` (all when `None`). Rows are ordered by dimension then key (byte order); hits with no rule
    /// id or no alert category are left out of that dimension.
    async fn hit_statistics(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<HitStatRow>>;

    // Risk rule sets, versioned.

    /// Adds a new version (the highest plus one, starting at 1) and makes it the only active one, in one
    /// transaction, and returns it.
    async fn add_ruleset(
        &self,
        name: &str,
        text: &str,
        fingerprint: &str,
        created_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<RuleSetRow>;

    /// The version in force, `None` before the first is added.
    async fn active_ruleset(&self) -> StoreResult<Option<RuleSetRow>>;

    /// Every version, newest first.
    async fn list_rulesets(&self) -> StoreResult<Vec<RuleSetRow>>;

    /// Makes this version the only active one (a roll-back), in one transaction. False if there is no such
    /// version (nothing changes then).
    async fn activate_ruleset(&self, version: i64) -> StoreResult<bool>;

    // Federation: partners and the agreement with each.

    /// Inserts the partner or replaces it by `node_id`; a replaced partner keeps its `added_at`. `Conflict` if
    /// another partner has the same TLS fingerprint, `Invalid` if the status is neither [`PARTNER_ACTIVE`] nor
    /// [`PARTNER_REVOKED`]; nothing is written then.
    async fn put_partner(&self, partner: &PartnerRow) -> StoreResult<()>;

    async fn get_partner(&self, node_id: &str) -> StoreResult<Option<PartnerRow>>;

    /// The partner whose TLS certificate has this fingerprint, whatever its status.
    async fn partner_by_fingerprint(&self, fingerprint: &str) -> StoreResult<Option<PartnerRow>>;

    /// Every partner, by node id (byte order).
    async fn list_partners(&self) -> StoreResult<Vec<PartnerRow>>;

    /// Adds the next version of the agreement with `partner` (the highest plus one, starting at 1), which is
    /// then the one in force, and returns it. `NotFound` if the partner is not stored.
    async fn add_agreement(
        &self,
        partner: &str,
        text: &str,
        created_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<AgreementRow>;

    /// The highest version of the agreement with `partner`, `None` before the first is added.
    async fn current_agreement(&self, partner: &str) -> StoreResult<Option<AgreementRow>>;

    /// Every version of the agreement with `partner`, newest first.
    async fn list_agreements(&self, partner: &str) -> StoreResult<Vec<AgreementRow>>;

    // Federation: the outbox of signed envelopes to deliver.

    /// Stores an envelope to deliver. `Conflict` if an envelope with that id is in the outbox, `Invalid` if the
    /// state is not one of [`OUTBOX_PENDING`], [`OUTBOX_DELIVERED`], [`OUTBOX_FAILED`].
    async fn enqueue_outbox(&self, row: &OutboxRow) -> StoreResult<()>;

    async fn get_outbox(&self, id: &str) -> StoreResult<Option<OutboxRow>>;

    /// Up to `limit` pending envelopes whose next attempt is at or before `now`, oldest (`created_at`, then id)
    /// first.
    async fn due_outbox(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutboxRow>>;

    /// Marks a pending envelope delivered at `at`. False if there is no such envelope or it is not pending
    /// (delivered or given up on already: that stands).
    async fn mark_delivered(&self, id: &str, at: DateTime<Utc>) -> StoreResult<bool>;

    /// Records a failed attempt of a pending envelope: its attempt count, when to try next and why it failed.
    /// False if there is no such envelope or it is not pending.
    async fn reschedule_outbox(
        &self,
        id: &str,
        attempts: u32,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<bool>;

    /// Gives up on a pending envelope (state [`OUTBOX_FAILED`]) with the reason. False if there is no such
    /// envelope or it is not pending.
    async fn fail_outbox(&self, id: &str, error: &str) -> StoreResult<bool>;

    /// How many envelopes are in each state; every state is present, zero if there are none.
    async fn outbox_counts(&self) -> StoreResult<BTreeMap<String, u64>>;

    // Federation: the inbox of signed envelopes received, and ids seen in direct exchanges.

    /// Stores the envelope once: true if new, false if an envelope with that id was already received
    /// (idempotent inbox; the stored one is left as it is). Atomic: of two deliveries of one envelope at the
    /// same time, exactly one gets true.
    async fn receive_inbox(&self, row: &InboxRow) -> StoreResult<bool>;

    async fn get_inbox(&self, id: &str) -> StoreResult<Option<InboxRow>>;

    /// Marks the envelope's effect applied. False if there is no such envelope or it was processed already.
    async fn mark_processed(&self, id: &str) -> StoreResult<bool>;

    /// The ids of the envelopes received, from one sender or from all, in receipt order.
    async fn inbox_ids(&self, sender: Option<&str>) -> StoreResult<Vec<String>>;

    /// Up to `limit` envelopes not processed yet, in receipt order: what a restart must still apply.
    async fn unprocessed_inbox(&self, limit: u32) -> StoreResult<Vec<InboxRow>>;

    /// Remembers the id of an envelope exchanged directly (not through the inbox): true if it is new, false if
    /// it was seen before (a replay). Atomic like [`Store::receive_inbox`].
    async fn remember_envelope(
        &self,
        id: &str,
        sender: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Forgets the envelope ids seen before `before` (those the clock window refuses anyway) and returns how
    /// many.
    async fn forget_envelopes_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    // Federation: hit references and disclosure requests.

    /// Stores the references in one transaction. `Conflict` if one is taken (stored, or twice in `refs`):
    /// nothing is stored then.
    async fn put_hit_refs(&self, refs: &[HitRefRow]) -> StoreResult<()>;

    /// The reference, whether or not it has expired (the caller compares `expires_at` with its clock).
    async fn get_hit_ref(&self, hit_ref: &str) -> StoreResult<Option<HitRefRow>>;

    /// Deletes the references whose `expires_at` is at or before `now` and returns how many.
    async fn delete_expired_hit_refs(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Stores a disclosure request. `Conflict` if one with that (id, direction) exists; `Invalid` if the
    /// direction or the state is not one of the known ones.
    async fn put_disclosure(&self, row: &DisclosureRow) -> StoreResult<()>;

    async fn get_disclosure(&self, id: &str, direction: &str)
    -> StoreResult<Option<DisclosureRow>>;

    /// The requests of one direction, of one state or all, newest first (`created_at`, then id descending).
    /// `Invalid` for an unknown direction or state.
    async fn list_disclosures(
        &self,
        direction: &str,
        state: Option<&str>,
    ) -> StoreResult<Vec<DisclosureRow>>;

    /// Moves a disclosure from `pending` to a decision ([`DISCLOSURE_APPROVED`], [`DISCLOSURE_REFUSED`] or
    /// [`DISCLOSURE_EXPIRED`]) with who decided, why, the disclosed record and when; false if there is no such
    /// request or it was not pending (a second decision loses, even at the same time). `Invalid` for another
    /// state or an unknown direction.
    // The decision's fields are the columns it sets; a struct for them would only be unpacked again.
    #[allow(clippy::too_many_arguments)]
    async fn decide_disclosure(
        &self,
        id: &str,
        direction: &str,
        state: &str,
        decided_by: &str,
        reason: Option<&str>,
        record: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    // Legal cooperation: requests, their timelines, evidence and its chain of custody.

    /// Inserts the request with version 1 (whatever `row.version` says) and its first timeline event (seq 1) in
    /// one transaction. `Conflict` if a request with the id exists; `Invalid` if the side is neither
    /// [`LEGAL_SIDE_REQUESTING`] nor [`LEGAL_SIDE_EXECUTING`] or the event names another request. Nothing is
    /// stored then.
    async fn create_legal_request(
        &self,
        row: &LegalRequestRow,
        event: &LegalEventRow,
    ) -> StoreResult<()>;

    /// Replaces state, form, events, urgent, case_ref and updated_at of the request `row.id` if its stored
    /// version is `expected_version`, sets its version to `expected_version + 1` and appends `event` (with the
    /// next seq) when given, all in one transaction. False, with nothing changed and no event appended, when the
    /// stored version differs (another update came first) or there is no such request: of two updates from the
    /// same version exactly one applies. `Invalid` if the event names another request.
    async fn update_legal_request(
        &self,
        row: &LegalRequestRow,
        expected_version: i64,
        event: Option<&LegalEventRow>,
    ) -> StoreResult<bool>;

    /// [`Store::update_legal_request`] and, in the same transaction, the envelope that tells the partner
    /// (as [`Store::enqueue_outbox`] stores it): both are stored or neither, so an action is never kept
    /// without its message, nor sent without being kept. False, with nothing stored, on a version conflict.
    async fn update_legal_request_and_enqueue(
        &self,
        row: &LegalRequestRow,
        expected_version: i64,
        event: Option<&LegalEventRow>,
        outbox: &OutboxRow,
    ) -> StoreResult<bool>;

    async fn get_legal_request(&self, id: &str) -> StoreResult<Option<LegalRequestRow>>;

    /// The requests matching the filter, newest first (`created_at`, then id, descending).
    async fn list_legal_requests(
        &self,
        filter: &LegalRequestFilter,
    ) -> StoreResult<Vec<LegalRequestRow>>;

    /// The timeline of the request in seq order; empty for an unknown request.
    async fn legal_events(&self, request_id: &str) -> StoreResult<Vec<LegalEventRow>>;

    /// Appends one event to the timeline of `event.request_id` with the next seq (the one handed in is ignored)
    /// and returns that seq. Concurrent appends get distinct seqs. `NotFound` if there is no such request.
    async fn append_legal_event(&self, event: &LegalEventRow) -> StoreResult<i64>;

    /// Stores a piece of evidence with its content. `Conflict` if one with the id exists, `NotFound` if its
    /// request does not exist, `Invalid` if the status is not one of [`EVIDENCE_INTACT`], [`EVIDENCE_MISMATCH`],
    /// [`EVIDENCE_UNVERIFIED`] or the size is negative.
    async fn put_evidence(&self, row: &EvidenceRow) -> StoreResult<()>;

    /// The evidence with its content.
    async fn get_evidence(&self, id: &str) -> StoreResult<Option<EvidenceRow>>;

    /// The evidence of one request, oldest first (`created_at`, then id), without content (`None`).
    async fn list_evidence(&self, request_id: &str) -> StoreResult<Vec<EvidenceRow>>;

    /// Records the outcome of checking the evidence. False if there is no such evidence; `Invalid` for a status
    /// not in the list of [`Store::put_evidence`].
    async fn set_evidence_status(
        &self,
        id: &str,
        status: &str,
        detail: Option<&str>,
    ) -> StoreResult<bool>;

    /// Stores a custody event as given (it is signed, so the caller numbers it). `Conflict` if the evidence has
    /// an event with that seq, `NotFound` if the evidence does not exist.
    async fn append_custody_event(&self, row: &CustodyEventRow) -> StoreResult<()>;

    /// The custody events of the evidence in seq order; empty for unknown evidence.
    async fn custody_events(&self, evidence_id: &str) -> StoreResult<Vec<CustodyEventRow>>;

    // The audit log: append-only, hash-chained.

    /// Appends the draft as the next entry, chained to the one before, and returns it. Appends are
    /// serialised, so concurrent ones each get their own place.
    async fn append_audit(&self, draft: &AuditDraft) -> StoreResult<AuditEntry>;

    /// Up to `limit` entries after `after_seq` (0 for the start), in seq order.
    async fn audit_page(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditEntry>>;

    /// Up to `filter.limit` entries matching the filter, in seq order.
    async fn audit_search(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;

    /// The seq and hash of the last entry, `None` while the log is empty.
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>>;
}
