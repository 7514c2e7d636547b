//! The PostgreSQL backend, for agencies that run their node on a database server.
//!
//! Timestamps are TIMESTAMPTZ, bound as they are. Audit appends lock the head row (`SELECT ... FOR UPDATE`), so
//! appends from several processes on one database serialise without a lock in the process.

use std::collections::BTreeMap;
use std::str::FromStr;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use liaison_core::RecordType;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, PgConnection, Postgres, QueryBuilder};

use crate::rows::{
    self, AuditColumns, HitRefColumns, HitStatColumns, OutboxColumns, RecordColumns,
    RecordReferenceColumns, ScreeningHitColumns, ScreeningRunColumns, UserColumns, json_strings,
    roles_text,
};
use crate::sql::Placeholders;
use crate::timestamp::truncate;
use crate::{
    AgreementRow, AuditDraft, AuditEntry, AuditFilter, CustodyEventRow, DisclosureRow, EvidenceRow,
    HitRefRow, HitStatRow, InboxRow, LegalEventRow, LegalRequestFilter, LegalRequestRow, OutboxRow,
    PartnerRow, PutOutcome, RuleSetRow, ScreeningHitRow, ScreeningRunRow, SessionRow, Store,
    StoreError, StoreResult, StoredRecord, TokenRow, UserRow, audit, sql,
};

/// Connections per process; PostgreSQL's default limit of 100 leaves room for several nodes and tools.
const MAX_CONNECTIONS: u32 = 10;

/// Opens a read-only transaction whose statements all see one snapshot (READ COMMITTED takes one per statement).
const BEGIN_SNAPSHOT_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

// `put_records` and `delete_record` lock `record_references` first. ROW EXCLUSIVE (what writing rows takes
// anyway) lets batches run together; SHARE ROW EXCLUSIVE excludes them and other deletes, so a delete sees
// every committed reference and none appears until it commits. Deletes are rare and short.
const LOCK_REFERENCES_FOR_WRITE: &str = "LOCK TABLE record_references IN ROW EXCLUSIVE MODE";
const LOCK_REFERENCES_FOR_DELETE: &str = "LOCK TABLE record_references IN SHARE ROW EXCLUSIVE MODE";

/// Taken by `add_ruleset` and `activate_ruleset`: it conflicts with itself, so versions are numbered and
/// activated one transaction at a time, from any process, while reads go on.
const LOCK_RULESETS: &str = "LOCK TABLE rulesets IN SHARE ROW EXCLUSIVE MODE";

/// Taken by `add_agreement` on the partner's row: it conflicts with itself, so one partner's versions are
/// numbered one transaction at a time, but not with the key-share lock the agreement's foreign key takes.
const LOCK_PARTNER: &str = "SELECT node_id FROM partners WHERE node_id = $1 FOR NO KEY UPDATE";

/// Taken by `append_legal_event` on the request's row before it numbers the event: it conflicts with itself and
/// with the lock an update of the request takes, so one request's events are numbered one transaction at a time,
/// from any process, but not with the key-share lock the event's foreign key takes.
const LOCK_LEGAL_REQUEST: &str = "SELECT id FROM legal_requests WHERE id = $1 FOR NO KEY UPDATE";

/// A [`Store`] on PostgreSQL.
#[derive(Debug)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://...` or `postgresql://...`) and brings its schema up to
    /// date.
    pub async fn open(url: &str) -> StoreResult<Self> {
        // The parser's message names the problem, not the url, which may hold a password.
        let options = PgConnectOptions::from_str(url)
            .map_err(|err| StoreError::InvalidUrl(format!("not a postgres url: {err}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(|err| StoreError::Migration(err.to_string()))?;
        tracing::debug!("postgres store opened");
        Ok(PostgresStore { pool })
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn put_records(
        &self,
        batch: &[StoredRecord],
        now: DateTime<Utc>,
    ) -> StoreResult<PutOutcome> {
        let records = sql::distinct_records(batch);
        if records.is_empty() {
            return Ok(PutOutcome::default());
        }
        let mut tx = self.pool.begin().await?;
        // Before any row lock, so a concurrent `delete_record` (which locks the table against this) and this
        // batch queue in one order instead of deadlocking.
        sqlx::query(LOCK_REFERENCES_FOR_WRITE)
            .execute(&mut *tx)
            .await?;
        let mut inserted = 0_u64;
        for chunk in records.chunks(sql::ROWS_PER_STATEMENT) {
            // A row version an upsert inserted has no deleting transaction yet (`xmax = 0`); an updated one has
            // ours. Exact even when other transactions write at the same time.
            let mut statement = sql::upsert_statement(chunk.len(), Placeholders::Numbered);
            statement.push_str(" RETURNING (xmax = 0)");
            let mut query = sqlx::query_scalar::<_, bool>(AssertSqlSafe(statement)).bind(now);
            for record in chunk {
                query = query
                    .bind(record.record_type.as_str())
                    .bind(record.id.as_str())
                    .bind(record.owner.as_str())
                    .bind(record.handling_code.as_str())
                    .bind(record.retain_until)
                    .bind(record.body.as_str());
            }
            let was_inserted = query.fetch_all(&mut *tx).await?;
            let new_rows = was_inserted.iter().filter(|&&yes| yes).count();
            inserted += new_rows as u64;
            // Only a chunk that overwrote records can hold old references, so a bulk import of new records
            // never looks for any.
            if new_rows < chunk.len() {
                let statement =
                    sql::delete_references_statement(chunk.len(), Placeholders::Numbered);
                let mut query = sqlx::query(AssertSqlSafe(statement));
                for record in chunk {
                    query = query
                        .bind(record.id.as_str())
                        .bind(record.record_type.as_str());
                }
                query.execute(&mut *tx).await?;
            }
        }
        // After every chunk's deletes, so none of them can remove a reference of this batch.
        for chunk in sql::reference_rows(&records).chunks(sql::REFERENCES_PER_STATEMENT) {
            let statement = sql::insert_references_statement(chunk.len(), Placeholders::Numbered);
            let mut query = sqlx::query(AssertSqlSafe(statement));
            for reference in chunk {
                query = query
                    .bind(reference.from_id)
                    .bind(reference.from_type)
                    .bind(reference.position)
                    .bind(reference.to_type)
                    .bind(reference.to_id);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(PutOutcome {
            inserted,
            updated: batch.len() as u64 - inserted,
        })
    }

    async fn get_record(
        &self,
        record_type: RecordType,
        id: &str,
    ) -> StoreResult<Option<StoredRecord>> {
        let rows: Vec<RecordReferenceColumns> = sqlx::query_as(sql::SELECT_RECORD)
            .bind(id)
            .bind(record_type.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows::record_with_references(rows)
    }

    async fn delete_record(&self, record_type: RecordType, id: &str) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        // Waits for batches that are writing references and holds off new ones until this commits, so no
        // reference to the record can appear between the check and the delete, from any process.
        sqlx::query(LOCK_REFERENCES_FOR_DELETE)
            .execute(&mut *tx)
            .await?;
        let outcome = delete_record_in(&mut tx, record_type, id).await;
        if matches!(outcome, Ok(true)) {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        outcome
    }

    async fn referencing(
        &self,
        record_type: RecordType,
        id: &str,
    ) -> StoreResult<Vec<(RecordType, String)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(sql::REFERENCING)
            .bind(id)
            .bind(record_type.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows::referencing(rows)
    }

    async fn record_types_with_id(&self, id: &str) -> StoreResult<Vec<RecordType>> {
        let names: Vec<String> = sqlx::query_scalar(sql::RECORD_TYPES_WITH_ID)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows::record_types(&names)
    }

    async fn count_records(&self) -> StoreResult<BTreeMap<RecordType, u64>> {
        let counts: Vec<(String, i64)> = sqlx::query_as(sql::COUNT_RECORDS)
            .fetch_all(&self.pool)
            .await?;
        rows::record_counts(counts)
    }

    async fn record_bodies_page(
        &self,
        record_type: RecordType,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(sql::RECORD_BODIES_PAGE)
            .bind(record_type.as_str())
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn records_page(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, StoredRecord)>> {
        // One snapshot for both statements, so the references match the records.
        let mut tx = self.pool.begin_with(BEGIN_SNAPSHOT_READ).await?;
        let rows: Vec<RecordColumns> = sqlx::query_as(sql::RECORDS_PAGE)
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await?;
        let mut page = rows
            .into_iter()
            .map(RecordColumns::into_record)
            .collect::<StoreResult<Vec<_>>>()?;
        if let Some(&(last_seq, _)) = page.last() {
            let references: Vec<(i64, String, String)> =
                sqlx::query_as(sql::REFERENCES_IN_SEQ_RANGE)
                    .bind(after_seq)
                    .bind(last_seq)
                    .fetch_all(&mut *tx)
                    .await?;
            rows::attach_references(&mut page, references)?;
        }
        tx.commit().await?;
        Ok(page)
    }

    async fn create_user(&self, user: &UserRow) -> StoreResult<()> {
        sqlx::query(sql::INSERT_USER)
            .bind(user.username.as_str())
            .bind(user.password_hash.as_str())
            .bind(roles_text(&user.roles))
            .bind(user.totp_secret.as_deref())
            .bind(user.totp_enabled)
            .bind(i64::from(user.failed_logins))
            .bind(user.locked_until)
            .bind(user.must_change_password)
            .bind(user.disabled)
            .bind(user.created_at)
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(err, || format!("user `{}`", user.username), String::new)
            })?;
        Ok(())
    }

    async fn get_user(&self, username: &str) -> StoreResult<Option<UserRow>> {
        let row: Option<UserColumns> = sqlx::query_as(sql::SELECT_USER)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.map(UserRow::try_from).transpose()
    }

    async fn list_users(&self) -> StoreResult<Vec<UserRow>> {
        let rows: Vec<UserColumns> = sqlx::query_as(sql::LIST_USERS)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(UserRow::try_from).collect()
    }

    async fn update_user(&self, user: &UserRow) -> StoreResult<()> {
        let result = sqlx::query(sql::UPDATE_USER)
            .bind(user.username.as_str())
            .bind(user.password_hash.as_str())
            .bind(roles_text(&user.roles))
            .bind(user.totp_secret.as_deref())
            .bind(user.totp_enabled)
            .bind(i64::from(user.failed_logins))
            .bind(user.locked_until)
            .bind(user.must_change_password)
            .bind(user.disabled)
            .execute(&self.pool)
            .await?;
        rows::require_one(result.rows_affected(), || {
            format!("user `{}`", user.username)
        })
    }

    async fn record_login_failure(
        &self,
        username: &str,
        max_failures: u32,
        lock_until: DateTime<Utc>,
    ) -> StoreResult<u32> {
        let stored: Option<i64> = sqlx::query_scalar(sql::LOGIN_FAILURE)
            .bind(username)
            .bind(i64::from(max_failures))
            .bind(lock_until)
            .fetch_optional(&self.pool)
            .await?;
        rows::failures_reached(stored, username, max_failures)
    }

    async fn record_login_success(&self, username: &str) -> StoreResult<()> {
        let result = sqlx::query(sql::LOGIN_SUCCESS)
            .bind(username)
            .execute(&self.pool)
            .await?;
        rows::require_one(result.rows_affected(), || format!("user `{username}`"))
    }

    async fn create_token(&self, token: &TokenRow) -> StoreResult<()> {
        sqlx::query(sql::INSERT_TOKEN)
            .bind(token.id.as_str())
            .bind(token.username.as_str())
            .bind(token.token_hash.as_str())
            .bind(token.label.as_deref())
            .bind(token.created_at)
            .bind(token.expires_at)
            .bind(token.revoked_at)
            .bind(token.last_used_at)
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(
                    err,
                    || format!("token `{}` or its hash", token.id),
                    || format!("user `{}`", token.username),
                )
            })?;
        Ok(())
    }

    async fn token_by_hash(&self, token_hash: &str) -> StoreResult<Option<TokenRow>> {
        Ok(sqlx::query_as(sql::TOKEN_BY_HASH)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_tokens(&self, username: Option<&str>) -> StoreResult<Vec<TokenRow>> {
        Ok(sqlx::query_as(sql::LIST_TOKENS)
            .bind(username)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn revoke_token(&self, id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let result = sqlx::query(sql::REVOKE_TOKEN)
            .bind(id)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn touch_token(&self, id: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(sql::TOUCH_TOKEN)
            .bind(id)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_session(&self, session: &SessionRow) -> StoreResult<()> {
        sqlx::query(sql::INSERT_SESSION)
            .bind(session.id_hash.as_str())
            .bind(session.username.as_str())
            .bind(session.created_at)
            .bind(session.last_seen_at)
            .bind(session.csrf_token.as_str())
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(
                    err,
                    || "session with this id".to_owned(),
                    || format!("user `{}`", session.username),
                )
            })?;
        Ok(())
    }

    async fn session_by_hash(&self, id_hash: &str) -> StoreResult<Option<SessionRow>> {
        Ok(sqlx::query_as(sql::SESSION_BY_HASH)
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(sql::TOUCH_SESSION)
            .bind(id_hash)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query(sql::DELETE_SESSION)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_sessions_of(&self, username: &str) -> StoreResult<()> {
        sqlx::query(sql::DELETE_SESSIONS_OF)
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(sql::GET_SETTING)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query(sql::PUT_SETTING)
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn put_screening_run(
        &self,
        run: &ScreeningRunRow,
        hits: &[ScreeningHitRow],
    ) -> StoreResult<()> {
        rows::check_hits(run, hits)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql::INSERT_SCREENING_RUN)
            .bind(run.id.as_str())
            .bind(run.kind.as_str())
            .bind(run.created_at)
            .bind(run.username.as_str())
            .bind(run.purpose.as_str())
            .bind(run.case_ref.as_deref())
            .bind(run.source.as_str())
            .bind(i64::from(run.travellers))
            .bind(i64::from(run.hits))
            .bind(run.ruleset_version)
            .bind(run.report.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|err| {
                StoreError::from_write(err, || format!("screening run `{}`", run.id), String::new)
            })?;
        for chunk in hits.chunks(sql::HITS_PER_STATEMENT) {
            let statement = sql::insert_hits_statement(chunk.len(), Placeholders::Numbered);
            let mut query = sqlx::query(AssertSqlSafe(statement));
            for hit in chunk {
                query = query
                    .bind(hit.id.as_str())
                    .bind(hit.run_id.as_str())
                    .bind(run.created_at)
                    .bind(i64::from(hit.traveller))
                    .bind(hit.kind.as_str())
                    .bind(hit.band.as_str())
                    .bind(hit.alert_category.as_deref())
                    .bind(hit.rule_id.as_deref())
                    .bind(hit.record_ref.as_deref())
                    .bind(hit.verdict.as_deref())
                    .bind(hit.reviewed_by.as_deref())
                    .bind(hit.reviewed_at);
            }
            query.execute(&mut *tx).await.map_err(|err| {
                StoreError::from_write(
                    err,
                    || format!("a hit id of screening run `{}`", run.id),
                    || format!("screening run `{}`", run.id),
                )
            })?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_screening_run(&self, id: &str) -> StoreResult<Option<ScreeningRunRow>> {
        let row: Option<ScreeningRunColumns> = sqlx::query_as(sql::SELECT_SCREENING_RUN)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(ScreeningRunRow::try_from).transpose()
    }

    async fn list_screening_runs(&self, limit: u32) -> StoreResult<Vec<ScreeningRunRow>> {
        let rows: Vec<ScreeningRunColumns> = sqlx::query_as(sql::LIST_SCREENING_RUNS)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(ScreeningRunRow::try_from).collect()
    }

    async fn screening_hits(&self, run_id: &str) -> StoreResult<Vec<ScreeningHitRow>> {
        let rows: Vec<ScreeningHitColumns> = sqlx::query_as(sql::SCREENING_HITS)
            .bind(run_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(ScreeningHitRow::try_from).collect()
    }

    async fn get_screening_hit(&self, id: &str) -> StoreResult<Option<ScreeningHitRow>> {
        let row: Option<ScreeningHitColumns> = sqlx::query_as(sql::SELECT_SCREENING_HIT)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(ScreeningHitRow::try_from).transpose()
    }

    async fn review_hit(
        &self,
        hit_id: &str,
        verdict: &str,
        reviewer: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        rows::check_verdict(verdict)?;
        let result = sqlx::query(sql::REVIEW_HIT)
            .bind(hit_id)
            .bind(verdict)
            .bind(reviewer)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn hit_statistics(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<HitStatRow>> {
        let rows: Vec<HitStatColumns> = sqlx::query_as(sql::HIT_STATISTICS)
            .bind(since)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(HitStatRow::try_from).collect()
    }

    async fn add_ruleset(
        &self,
        name: &str,
        text: &str,
        fingerprint: &str,
        created_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<RuleSetRow> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(LOCK_RULESETS).execute(&mut *tx).await?;
        let version: i64 = sqlx::query_scalar(sql::NEXT_RULESET_VERSION)
            .fetch_one(&mut *tx)
            .await?;
        let row = RuleSetRow {
            version,
            name: name.to_owned(),
            text: text.to_owned(),
            fingerprint: fingerprint.to_owned(),
            created_by: created_by.to_owned(),
            created_at: truncate(at),
            active: true,
        };
        sqlx::query(sql::DEACTIVATE_OTHER_RULESETS)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql::INSERT_RULESET)
            .bind(row.version)
            .bind(row.name.as_str())
            .bind(row.text.as_str())
            .bind(row.fingerprint.as_str())
            .bind(row.created_by.as_str())
            .bind(row.created_at)
            .bind(row.active)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    async fn active_ruleset(&self) -> StoreResult<Option<RuleSetRow>> {
        Ok(sqlx::query_as(sql::ACTIVE_RULESET)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_rulesets(&self) -> StoreResult<Vec<RuleSetRow>> {
        Ok(sqlx::query_as(sql::LIST_RULESETS)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn activate_ruleset(&self, version: i64) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(LOCK_RULESETS).execute(&mut *tx).await?;
        let exists: Option<i64> = sqlx::query_scalar(sql::RULESET_EXISTS)
            .bind(version)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(sql::DEACTIVATE_OTHER_RULESETS)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql::ACTIVATE_RULESET)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn put_partner(&self, partner: &PartnerRow) -> StoreResult<()> {
        rows::check_partner_status(&partner.status)?;
        sqlx::query(sql::UPSERT_PARTNER)
            .bind(partner.node_id.as_str())
            .bind(partner.name.as_str())
            .bind(partner.country.as_str())
            .bind(partner.endpoint.as_str())
            .bind(partner.tls_fingerprint.as_str())
            .bind(partner.tls_certificate.as_str())
            .bind(partner.signing_key.as_str())
            .bind(partner.card.as_str())
            .bind(partner.status.as_str())
            .bind(partner.added_at)
            .bind(partner.updated_at)
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(err, || rows::taken_fingerprint(partner), String::new)
            })?;
        Ok(())
    }

    async fn get_partner(&self, node_id: &str) -> StoreResult<Option<PartnerRow>> {
        Ok(sqlx::query_as(sql::SELECT_PARTNER)
            .bind(node_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn partner_by_fingerprint(&self, fingerprint: &str) -> StoreResult<Option<PartnerRow>> {
        Ok(sqlx::query_as(sql::PARTNER_BY_FINGERPRINT)
            .bind(fingerprint)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_partners(&self) -> StoreResult<Vec<PartnerRow>> {
        Ok(sqlx::query_as(sql::LIST_PARTNERS)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn add_agreement(
        &self,
        partner: &str,
        text: &str,
        created_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<AgreementRow> {
        let mut tx = self.pool.begin().await?;
        // The partner's row lock makes concurrent additions for one partner (from any process) wait here until
        // this one commits, so the version computed here stays free until the insert.
        let exists: Option<String> = sqlx::query_scalar(LOCK_PARTNER)
            .bind(partner)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("partner `{partner}`")));
        }
        let version: i64 = sqlx::query_scalar(sql::NEXT_AGREEMENT_VERSION)
            .bind(partner)
            .fetch_one(&mut *tx)
            .await?;
        let row = AgreementRow {
            partner: partner.to_owned(),
            version,
            text: text.to_owned(),
            created_by: created_by.to_owned(),
            created_at: truncate(at),
        };
        sqlx::query(sql::INSERT_AGREEMENT)
            .bind(row.partner.as_str())
            .bind(row.version)
            .bind(row.text.as_str())
            .bind(row.created_by.as_str())
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    async fn current_agreement(&self, partner: &str) -> StoreResult<Option<AgreementRow>> {
        Ok(sqlx::query_as(sql::CURRENT_AGREEMENT)
            .bind(partner)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_agreements(&self, partner: &str) -> StoreResult<Vec<AgreementRow>> {
        Ok(sqlx::query_as(sql::LIST_AGREEMENTS)
            .bind(partner)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn enqueue_outbox(&self, row: &OutboxRow) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        insert_outbox_in(&mut conn, row).await
    }

    async fn get_outbox(&self, id: &str) -> StoreResult<Option<OutboxRow>> {
        let row: Option<OutboxColumns> = sqlx::query_as(sql::SELECT_OUTBOX)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(OutboxRow::try_from).transpose()
    }

    async fn due_outbox(&self, now: DateTime<Utc>, limit: u32) -> StoreResult<Vec<OutboxRow>> {
        let rows: Vec<OutboxColumns> = sqlx::query_as(sql::DUE_OUTBOX)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(OutboxRow::try_from).collect()
    }

    async fn mark_delivered(&self, id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let result = sqlx::query(sql::MARK_DELIVERED)
            .bind(id)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn reschedule_outbox(
        &self,
        id: &str,
        attempts: u32,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<bool> {
        let result = sqlx::query(sql::RESCHEDULE_OUTBOX)
            .bind(id)
            .bind(i64::from(attempts))
            .bind(next_attempt_at)
            .bind(error)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn fail_outbox(&self, id: &str, error: &str) -> StoreResult<bool> {
        let result = sqlx::query(sql::FAIL_OUTBOX)
            .bind(id)
            .bind(error)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn outbox_counts(&self) -> StoreResult<BTreeMap<String, u64>> {
        let counts: Vec<(String, i64)> = sqlx::query_as(sql::OUTBOX_COUNTS)
            .fetch_all(&self.pool)
            .await?;
        rows::outbox_counts(counts)
    }

    async fn receive_inbox(&self, row: &InboxRow) -> StoreResult<bool> {
        let result = sqlx::query(sql::RECEIVE_INBOX)
            .bind(row.id.as_str())
            .bind(row.sender.as_str())
            .bind(row.kind.as_str())
            .bind(row.envelope.as_slice())
            .bind(row.received_at)
            .bind(row.processed)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn get_inbox(&self, id: &str) -> StoreResult<Option<InboxRow>> {
        Ok(sqlx::query_as(sql::SELECT_INBOX)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn mark_processed(&self, id: &str) -> StoreResult<bool> {
        let result = sqlx::query(sql::MARK_PROCESSED)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn inbox_ids(&self, sender: Option<&str>) -> StoreResult<Vec<String>> {
        let query = match sender {
            Some(sender) => sqlx::query_scalar(sql::INBOX_IDS_FROM).bind(sender),
            None => sqlx::query_scalar(sql::INBOX_IDS),
        };
        Ok(query.fetch_all(&self.pool).await?)
    }

    async fn unprocessed_inbox(&self, limit: u32) -> StoreResult<Vec<InboxRow>> {
        Ok(sqlx::query_as(sql::UNPROCESSED_INBOX)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?)
    }

    async fn remember_envelope(
        &self,
        id: &str,
        sender: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let result = sqlx::query(sql::REMEMBER_ENVELOPE)
            .bind(id)
            .bind(sender)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn forget_envelopes_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let result = sqlx::query(sql::FORGET_ENVELOPES)
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }

    async fn put_hit_refs(&self, refs: &[HitRefRow]) -> StoreResult<()> {
        if refs.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for chunk in refs.chunks(sql::HIT_REFS_PER_STATEMENT) {
            let statement = sql::insert_hit_refs_statement(chunk.len(), Placeholders::Numbered);
            let mut query = sqlx::query(AssertSqlSafe(statement));
            for hit_ref in chunk {
                query = query
                    .bind(hit_ref.hit_ref.as_str())
                    .bind(hit_ref.requester.as_str())
                    .bind(hit_ref.record_type.as_str())
                    .bind(hit_ref.record_id.as_str())
                    .bind(hit_ref.correlation_id.as_str())
                    .bind(hit_ref.purpose.as_str())
                    .bind(hit_ref.created_at)
                    .bind(hit_ref.expires_at);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|err| StoreError::from_write(err, rows::taken_hit_ref, String::new))?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_hit_ref(&self, hit_ref: &str) -> StoreResult<Option<HitRefRow>> {
        let row: Option<HitRefColumns> = sqlx::query_as(sql::SELECT_HIT_REF)
            .bind(hit_ref)
            .fetch_optional(&self.pool)
            .await?;
        row.map(HitRefRow::try_from).transpose()
    }

    async fn delete_expired_hit_refs(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let result = sqlx::query(sql::DELETE_EXPIRED_HIT_REFS)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }

    async fn put_disclosure(&self, row: &DisclosureRow) -> StoreResult<()> {
        rows::check_direction(&row.direction)?;
        rows::check_disclosure_state(&row.state)?;
        sqlx::query(sql::INSERT_DISCLOSURE)
            .bind(row.id.as_str())
            .bind(row.direction.as_str())
            .bind(row.partner.as_str())
            .bind(row.hit_ref.as_str())
            .bind(row.purpose.as_str())
            .bind(row.legal_basis.as_str())
            .bind(row.case_ref.as_deref())
            .bind(row.requested_by.as_str())
            .bind(row.state.as_str())
            .bind(row.decided_by.as_deref())
            .bind(row.reason.as_deref())
            .bind(row.record.as_deref())
            .bind(row.created_at)
            .bind(row.decided_at)
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(err, || rows::taken_disclosure(row), String::new)
            })?;
        Ok(())
    }

    async fn get_disclosure(
        &self,
        id: &str,
        direction: &str,
    ) -> StoreResult<Option<DisclosureRow>> {
        Ok(sqlx::query_as(sql::SELECT_DISCLOSURE)
            .bind(id)
            .bind(direction)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_disclosures(
        &self,
        direction: &str,
        state: Option<&str>,
    ) -> StoreResult<Vec<DisclosureRow>> {
        rows::check_direction(direction)?;
        let query = match state {
            Some(state) => {
                rows::check_disclosure_state(state)?;
                sqlx::query_as(sql::LIST_DISCLOSURES_IN_STATE)
                    .bind(direction)
                    .bind(state)
            }
            None => sqlx::query_as(sql::LIST_DISCLOSURES).bind(direction),
        };
        Ok(query.fetch_all(&self.pool).await?)
    }

    async fn decide_disclosure(
        &self,
        id: &str,
        direction: &str,
        state: &str,
        decided_by: &str,
        reason: Option<&str>,
        record: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        rows::check_direction(direction)?;
        rows::check_decision(state)?;
        let result = sqlx::query(sql::DECIDE_DISCLOSURE)
            .bind(id)
            .bind(direction)
            .bind(state)
            .bind(decided_by)
            .bind(reason)
            .bind(record)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn create_legal_request(
        &self,
        row: &LegalRequestRow,
        event: &LegalEventRow,
    ) -> StoreResult<()> {
        rows::check_new_legal_request(row, event)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql::INSERT_LEGAL_REQUEST)
            .bind(row.id.as_str())
            .bind(row.side.as_str())
            .bind(row.partner.as_str())
            .bind(row.kind.as_str())
            .bind(row.state.as_str())
            .bind(row.urgent)
            .bind(row.case_ref.as_deref())
            .bind(row.form.as_str())
            .bind(row.events.as_str())
            .bind(row.created_by.as_str())
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await
            .map_err(|err| {
                StoreError::from_write(err, || rows::taken_legal_request(row), String::new)
            })?;
        append_legal_event_in(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_legal_request(
        &self,
        row: &LegalRequestRow,
        expected_version: i64,
        event: Option<&LegalEventRow>,
    ) -> StoreResult<bool> {
        self.update_legal_request_with(row, expected_version, event, None)
            .await
    }

    async fn update_legal_request_and_enqueue(
        &self,
        row: &LegalRequestRow,
        expected_version: i64,
        event: Option<&LegalEventRow>,
        outbox: &OutboxRow,
    ) -> StoreResult<bool> {
        self.update_legal_request_with(row, expected_version, event, Some(outbox))
            .await
    }

    async fn get_legal_request(&self, id: &str) -> StoreResult<Option<LegalRequestRow>> {
        Ok(sqlx::query_as(sql::SELECT_LEGAL_REQUEST)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_legal_requests(
        &self,
        filter: &LegalRequestFilter,
    ) -> StoreResult<Vec<LegalRequestRow>> {
        let mut query = sql::legal_requests_query::<Postgres>(filter);
        Ok(query.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn legal_events(&self, request_id: &str) -> StoreResult<Vec<LegalEventRow>> {
        Ok(sqlx::query_as(sql::LEGAL_EVENTS)
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn append_legal_event(&self, event: &LegalEventRow) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await?;
        // Concurrent appends to the request (from any process) wait here until this one commits.
        let exists: Option<String> = sqlx::query_scalar(LOCK_LEGAL_REQUEST)
            .bind(event.request_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound(rows::missing_legal_request(event)));
        }
        let seq = append_legal_event_in(&mut tx, event).await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn put_evidence(&self, row: &EvidenceRow) -> StoreResult<()> {
        rows::check_evidence(row)?;
        sqlx::query(sql::INSERT_EVIDENCE)
            .bind(row.id.as_str())
            .bind(row.request_id.as_str())
            .bind(row.name.as_str())
            .bind(row.media_type.as_str())
            .bind(row.size)
            .bind(row.sha256.as_str())
            .bind(row.origin.as_str())
            .bind(row.added_by.as_str())
            .bind(row.created_at)
            .bind(row.status.as_str())
            .bind(row.status_detail.as_deref())
            .bind(row.content.as_deref())
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(
                    err,
                    || format!("evidence `{}`", row.id),
                    || format!("legal request `{}`", row.request_id),
                )
            })?;
        Ok(())
    }

    async fn get_evidence(&self, id: &str) -> StoreResult<Option<EvidenceRow>> {
        Ok(sqlx::query_as(sql::SELECT_EVIDENCE)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn list_evidence(&self, request_id: &str) -> StoreResult<Vec<EvidenceRow>> {
        Ok(sqlx::query_as(sql::LIST_EVIDENCE)
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn set_evidence_status(
        &self,
        id: &str,
        status: &str,
        detail: Option<&str>,
    ) -> StoreResult<bool> {
        rows::check_evidence_status(status)?;
        let result = sqlx::query(sql::SET_EVIDENCE_STATUS)
            .bind(id)
            .bind(status)
            .bind(detail)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn append_custody_event(&self, row: &CustodyEventRow) -> StoreResult<()> {
        sqlx::query(sql::INSERT_CUSTODY_EVENT)
            .bind(row.evidence_id.as_str())
            .bind(row.seq)
            .bind(row.event.as_str())
            .bind(row.at)
            .bind(row.node.as_str())
            .bind(row.actor.as_str())
            .bind(row.sha256.as_str())
            .bind(row.note.as_deref())
            .bind(row.prev.as_str())
            .bind(row.signature.as_str())
            .bind(row.verification.as_str())
            .execute(&self.pool)
            .await
            .map_err(|err| {
                StoreError::from_write(
                    err,
                    || rows::taken_custody_event(row),
                    || format!("evidence `{}`", row.evidence_id),
                )
            })?;
        Ok(())
    }

    async fn custody_events(&self, evidence_id: &str) -> StoreResult<Vec<CustodyEventRow>> {
        Ok(sqlx::query_as(sql::CUSTODY_EVENTS)
            .bind(evidence_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn append_audit(&self, draft: &AuditDraft) -> StoreResult<AuditEntry> {
        let mut tx = self.pool.begin().await?;
        // The row lock makes concurrent appends (from any process) wait here until this one commits.
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .fetch_optional(&mut *tx)
                .await?;
        let (last_seq, last_hash) = head.ok_or_else(rows::missing_audit_head)?;
        let entry = audit::seal(draft, last_seq + 1, last_hash);
        sqlx::query(sql::INSERT_AUDIT)
            .bind(entry.seq)
            .bind(entry.at)
            .bind(entry.node.as_str())
            .bind(entry.actor.as_str())
            .bind(entry.action.as_str())
            .bind(json_strings(&entry.objects))
            .bind(entry.purpose.as_deref())
            .bind(entry.case_ref.as_deref())
            .bind(json_strings(&entry.recipients))
            .bind(entry.outcome.as_str())
            .bind(entry.detail.as_deref())
            .bind(entry.request_id.as_deref())
            .bind(entry.prev_hash.as_str())
            .bind(entry.hash.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql::ADVANCE_AUDIT_HEAD)
            .bind(entry.seq)
            .bind(entry.hash.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(entry)
    }

    async fn audit_page(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows: Vec<AuditColumns> = sqlx::query_as(sql::AUDIT_PAGE)
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(AuditEntry::try_from).collect()
    }

    async fn audit_search(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let mut query = QueryBuilder::<Postgres>::new(sql::AUDIT_SEARCH);
        query.push_bind(filter.after_seq.unwrap_or(0));
        if let Some(actor) = &filter.actor {
            query.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(action) = &filter.action {
            query.push(" AND action = ").push_bind(action.clone());
        }
        if let Some(object) = &filter.object {
            query
                .push(" AND objects::jsonb @> jsonb_build_array(")
                .push_bind(object.clone())
                .push("::text)");
        }
        if let Some(from) = filter.from {
            query.push(" AND at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            query.push(" AND at < ").push_bind(to);
        }
        query
            .push(" ORDER BY seq LIMIT ")
            .push_bind(i64::from(filter.limit));
        let rows: Vec<AuditColumns> = query.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(AuditEntry::try_from).collect()
    }

    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        let row: Option<(i64, String)> = sqlx::query_as(sql::AUDIT_HEAD)
            .fetch_optional(&self.pool)
            .await?;
        rows::audit_head(row)
    }
}

/// The body of `delete_record`, inside its transaction: true if it deleted the record.
async fn delete_record_in(
    conn: &mut PgConnection,
    record_type: RecordType,
    id: &str,
) -> StoreResult<bool> {
    let seq: Option<i64> = sqlx::query_scalar(sql::RECORD_SEQ)
        .bind(id)
        .bind(record_type.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(seq) = seq else {
        return Ok(false);
    };
    let referencing: Vec<(String, String)> = sqlx::query_as(sql::REFERENCING)
        .bind(id)
        .bind(record_type.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows::refuse_if_referenced(record_type, id, referencing)?;
    sqlx::query(sql::DELETE_RECORD)
        .bind(seq)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Appends `event` to its request's timeline inside a transaction that holds the request's row lock (taken by
/// `LOCK_LEGAL_REQUEST`, by the update, or by the insert of a new request), so the seq it computes stays free,
/// and returns the seq it took.
async fn append_legal_event_in(conn: &mut PgConnection, event: &LegalEventRow) -> StoreResult<i64> {
    let seq: i64 = sqlx::query_scalar(sql::APPEND_LEGAL_EVENT)
        .bind(event.request_id.as_str())
        .bind(event.at)
        .bind(event.action.as_str())
        .bind(event.side.as_str())
        .bind(event.node.as_str())
        .bind(event.actor.as_str())
        .bind(event.state_after.as_str())
        .bind(event.detail.as_deref())
        .bind(event.envelope_id.as_deref())
        .fetch_one(&mut *conn)
        .await
        .map_err(|err| {
            StoreError::from_write(err, String::new, || rows::missing_legal_request(event))
        })?;
    Ok(seq)
}

/// Inserts an outbox row on `conn` (alone or inside a transaction).
async fn insert_outbox_in(conn: &mut PgConnection, row: &OutboxRow) -> StoreResult<()> {
    rows::check_outbox_state(&row.state)?;
    sqlx::query(sql::INSERT_OUTBOX)
        .bind(row.id.as_str())
        .bind(row.recipient.as_str())
        .bind(row.kind.as_str())
        .bind(row.envelope.as_slice())
        .bind(row.created_at)
        .bind(i64::from(row.attempts))
        .bind(row.next_attempt_at)
        .bind(row.state.as_str())
        .bind(row.last_error.as_deref())
        .bind(row.delivered_at)
        .execute(&mut *conn)
        .await
        .map_err(|err| {
            StoreError::from_write(err, || format!("outbox envelope `{}`", row.id), String::new)
        })?;
    Ok(())
}

impl PostgresStore {
    /// A versioned update of a legal request, its timeline event and, when given, its outbox envelope, in
    /// one transaction.
    async fn update_legal_request_with(
        &self,
        row: &LegalRequestRow,
        expected_version: i64,
        event: Option<&LegalEventRow>,
        outbox: Option<&OutboxRow>,
    ) -> StoreResult<bool> {
        rows::check_event_of(row, event)?;
        let mut tx = self.pool.begin().await?;
        let result = sqlx::query(sql::UPDATE_LEGAL_REQUEST)
            .bind(row.id.as_str())
            .bind(expected_version)
            .bind(row.state.as_str())
            .bind(row.form.as_str())
            .bind(row.events.as_str())
            .bind(row.urgent)
            .bind(row.case_ref.as_deref())
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
        if result.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        // The update holds the request's row lock until commit, so appends wait for this event.
        if let Some(event) = event {
            append_legal_event_in(&mut tx, event).await?;
        }
        if let Some(outbox) = outbox {
            insert_outbox_in(&mut tx, outbox).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
