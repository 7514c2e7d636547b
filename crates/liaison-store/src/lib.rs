//! Liaison's storage: the [`Store`] trait and its SQLite and PostgreSQL backends, their migrations, and the
//! hash-chained audit log.
//!
//! Only this crate knows SQL. Both backends run the same statements where the dialects agree (see `sql`), keep
//! timestamps to the microsecond so values read back exactly, and pass one conformance suite (`tests/it`).
//! Records are opaque JSON bodies with a few indexed columns and the list of records each one points at (kept as
//! rows, so a referenced record is not deleted silently and who points at a record is one index lookup); users,
//! API tokens (by digest), sessions (by digest) and settings are rows; so are screening runs (their reports
//! opaque JSON), the hits they raised with the officers' verdicts, and the versions of the risk rule set; the
//! audit log is append-only, guarded by triggers and checked by [`verify_audit`].

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
    HitStatRow, PutOutcome, RuleSetRow, ScreeningHitRow, ScreeningRunRow, SessionRow, StoredRecord,
    TokenRow, UserRow, VERDICT_FALSE_HIT, VERDICT_TRUE_HIT,
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
