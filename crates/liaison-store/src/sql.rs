//! Statement text both backends accept (`$n` placeholders, `ON CONFLICT ... excluded`, `RETURNING`), so the
//! schema's queries are written once; the backends differ in what they bind and in the few statements kept in
//! their own modules.

use std::collections::{HashMap, HashSet};

use liaison_core::RecordType;
use sqlx::{Database, Encode, QueryBuilder, Type};

use crate::{LegalRequestFilter, StoredRecord};

/// Records per statement. Each takes at most 8 bind parameters, which keeps a statement under SQLite's limit of
/// 32,766 parameters and PostgreSQL's 65,535.
pub(crate) const ROWS_PER_STATEMENT: usize = 1_000;

/// References per statement. Each takes 5 bind parameters, so a statement stays far below either limit.
pub(crate) const REFERENCES_PER_STATEMENT: usize = 1_000;

/// Screening hits per statement. Each takes 12 bind parameters, so a statement stays far below either limit.
pub(crate) const HITS_PER_STATEMENT: usize = 1_000;

/// The batch with each (type, id) once, at the place of its first occurrence and with its last value: the same
/// result as upserting one by one, and what PostgreSQL requires (one statement may not touch a row twice).
pub(crate) fn distinct_records(batch: &[StoredRecord]) -> Vec<&StoredRecord> {
    let mut position: HashMap<(RecordType, &str), usize> = HashMap::with_capacity(batch.len());
    let mut distinct: Vec<&StoredRecord> = Vec::with_capacity(batch.len());
    for record in batch {
        match position.get(&(record.record_type, record.id.as_str())) {
            Some(&index) => distinct[index] = record,
            None => {
                position.insert((record.record_type, record.id.as_str()), distinct.len());
                distinct.push(record);
            }
        }
    }
    distinct
}

/// One reference of a batch as [`insert_references_statement`] binds it: the referring record's
/// `id, record_type`, then `position, to_type, to_id`.
pub(crate) struct ReferenceRow<'a> {
    pub(crate) from_id: &'a str,
    pub(crate) from_type: &'a str,
    pub(crate) position: i32,
    pub(crate) to_type: &'a str,
    pub(crate) to_id: &'a str,
}

/// The references of `records` as the store keeps them: per record each target once, at the place of its first
/// occurrence, numbered from 0.
pub(crate) fn reference_rows<'a>(records: &[&'a StoredRecord]) -> Vec<ReferenceRow<'a>> {
    let mut rows = Vec::new();
    let mut seen: HashSet<(RecordType, &str)> = HashSet::new();
    for record in records {
        seen.clear();
        let targets = record
            .references
            .iter()
            .filter(|(to_type, to_id)| seen.insert((*to_type, to_id.as_str())));
        // Positions fit an i32 (the column's type on both backends): a record's references come from its body.
        for (position, (to_type, to_id)) in (0..).zip(targets) {
            rows.push(ReferenceRow {
                from_id: &record.id,
                from_type: record.record_type.as_str(),
                position,
                to_type: to_type.as_str(),
                to_id,
            });
        }
    }
    rows
}

/// How a multi-row statement marks its bind parameters. Both styles bind in the same order, except where the
/// upsert says otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placeholders {
    /// `$1`, `$2`, ... (PostgreSQL's only style). In the upsert the time of the write is bound once, as `$1`,
    /// then each record binds `record_type, id, owner, handling_code, retain_until, body`.
    Numbered,
    /// `?`. In the upsert each record binds `record_type, id, owner, handling_code, retain_until, body, now,
    /// now`. SQLite resolves every numbered parameter by scanning the list of all of them, so binding thousands
    /// of numbered parameters takes time quadratic in their count (three quarters of a bulk import, measured);
    /// anonymous ones cost nothing to resolve.
    Anonymous,
}

/// The upsert of `rows` records (see [`Placeholders`] for what to bind). An update keeps `seq` and
/// `created_at`, so insertion order survives.
pub(crate) fn upsert_statement(rows: usize, placeholders: Placeholders) -> String {
    let mut sql = String::with_capacity(320 + rows * 48);
    sql.push_str(
        "INSERT INTO records (record_type, id, owner, handling_code, retain_until, body, created_at, updated_at) \
         VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        match placeholders {
            Placeholders::Numbered => {
                let first = row * 6 + 2;
                let [a, b, c, d, e, f] = std::array::from_fn(|i| first + i);
                sql.push_str(&format!("(${a}, ${b}, ${c}, ${d}, ${e}, ${f}, $1, $1)"));
            }
            Placeholders::Anonymous => sql.push_str("(?, ?, ?, ?, ?, ?, ?, ?)"),
        }
    }
    sql.push_str(
        " ON CONFLICT (id, record_type) DO UPDATE SET owner = excluded.owner, \
         handling_code = excluded.handling_code, retain_until = excluded.retain_until, body = excluded.body, \
         updated_at = excluded.updated_at",
    );
    sql
}

/// Appends `rows` tuples of `width` parameters: `(?, ?)` or, numbered from `$first`, `($1, $2)`.
fn push_parameter_rows(
    sql: &mut String,
    rows: usize,
    width: usize,
    first: usize,
    placeholders: Placeholders,
) {
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..width {
            if column > 0 {
                sql.push_str(", ");
            }
            match placeholders {
                Placeholders::Numbered => {
                    sql.push_str(&format!("${}", first + row * width + column));
                }
                Placeholders::Anonymous => sql.push('?'),
            }
        }
        sql.push(')');
    }
}

/// Stores `rows` references, each bound as a [`ReferenceRow`] (5 parameters, numbered from `$1`). The referring
/// records are found by (id, type), so the statement needs no seq from the upsert before it: SQLite's upsert
/// does not return them cheaply (see `put_records`), and most records of a bulk import carry no reference.
pub(crate) fn insert_references_statement(rows: usize, placeholders: Placeholders) -> String {
    let mut sql = String::with_capacity(360 + rows * 24);
    sql.push_str("WITH refs (from_id, from_type, position, to_type, to_id) AS (VALUES ");
    push_parameter_rows(&mut sql, rows, 5, 1, placeholders);
    sql.push_str(
        ") INSERT INTO record_references (from_seq, position, to_type, to_id) \
         SELECT records.seq, refs.position, refs.to_type, refs.to_id FROM refs \
         JOIN records ON records.id = refs.from_id AND records.record_type = refs.from_type",
    );
    sql
}

/// Deletes the references of `rows` records, each bound as `id, record_type` (numbered from `$1`). A batch runs
/// it only for a chunk that overwrote records: the records it inserted have no references yet. The keys are
/// joined rather than matched with `(id, record_type) IN (VALUES ...)`, for which SQLite scans the whole
/// index of records instead of looking each key up.
pub(crate) fn delete_references_statement(rows: usize, placeholders: Placeholders) -> String {
    let mut sql = String::with_capacity(240 + rows * 12);
    sql.push_str("WITH keys (id, record_type) AS (VALUES ");
    push_parameter_rows(&mut sql, rows, 2, 1, placeholders);
    sql.push_str(
        ") DELETE FROM record_references WHERE from_seq IN (SELECT records.seq FROM keys \
         JOIN records ON records.id = keys.id AND records.record_type = keys.record_type)",
    );
    sql
}

/// Stores `rows` hits of one run, each bound as `id, run_id, created_at, traveller, kind, band, alert_category,
/// rule_id, record_ref, verdict, reviewed_by, reviewed_at` (numbered from `$1`).
pub(crate) fn insert_hits_statement(rows: usize, placeholders: Placeholders) -> String {
    let mut sql = String::with_capacity(200 + rows * 64);
    sql.push_str(
        "INSERT INTO screening_hits (id, run_id, created_at, traveller, kind, band, alert_category, rule_id, \
         record_ref, verdict, reviewed_by, reviewed_at) VALUES ",
    );
    push_parameter_rows(&mut sql, rows, 12, 1, placeholders);
    sql
}

// The columns each table's queries select, as macros so that `concat!` builds `&'static str` statements from
// them (sqlx accepts static text as free of injected input).

/// The columns of `records` that make a `RecordColumns`.
macro_rules! record_columns {
    () => {
        "seq, record_type, id, owner, handling_code, retain_until, body"
    };
}

/// The columns of `users` that make a `UserColumns`.
macro_rules! user_columns {
    () => {
        "username, password_hash, roles, totp_secret, totp_enabled, failed_logins, locked_until, \
         must_change_password, disabled, created_at"
    };
}

/// The columns of `tokens` that make a `TokenRow`.
macro_rules! token_columns {
    () => {
        "id, username, token_hash, label, created_at, expires_at, revoked_at, last_used_at"
    };
}

/// The columns of `sessions` that make a `SessionRow`.
macro_rules! session_columns {
    () => {
        "id_hash, username, created_at, last_seen_at, csrf_token"
    };
}

/// The columns of `audit_log` that make an `AuditColumns`.
macro_rules! audit_columns {
    () => {
        "seq, at, node, actor, action, objects, purpose, case_ref, recipients, outcome, detail, request_id, \
         prev_hash, hash"
    };
}

/// The columns of `screening_runs` that make a `ScreeningRunColumns`.
macro_rules! screening_run_columns {
    () => {
        "id, kind, created_at, username, purpose, case_ref, source, travellers, hits, ruleset_version, report"
    };
}

/// The columns of `screening_hits` that make a `ScreeningHitColumns`.
macro_rules! screening_hit_columns {
    () => {
        "id, run_id, traveller, kind, band, alert_category, rule_id, record_ref, verdict, reviewed_by, \
         reviewed_at"
    };
}

/// The columns of `rulesets` that make a `RuleSetRow`.
macro_rules! ruleset_columns {
    () => {
        "version, name, text, fingerprint, created_by, created_at, active"
    };
}

/// The record with its references in one statement, so both come from the same state: a row per reference
/// (the record's columns repeated, `to_type` and `to_id` set) in their order, or one row with them null. Records
/// have few references; a second statement would need a transaction to see the same state.
pub(crate) const SELECT_RECORD: &str = concat!(
    "SELECT ",
    record_columns!(),
    ", to_type, to_id FROM records LEFT JOIN record_references ON from_seq = seq \
     WHERE id = $1 AND record_type = $2 ORDER BY position"
);
/// The references of the records with seq in `($1, $2]`, by record then place: one range of the primary key.
pub(crate) const REFERENCES_IN_SEQ_RANGE: &str = "SELECT from_seq, to_type, to_id FROM record_references \
     WHERE from_seq > $1 AND from_seq <= $2 ORDER BY from_seq, position";
/// `$1` id, `$2` type of the referenced record: the (type, id) of each record pointing at it.
pub(crate) const REFERENCING: &str = "SELECT record_type, id FROM record_references \
     JOIN records ON seq = from_seq WHERE to_id = $1 AND to_type = $2";
pub(crate) const RECORD_SEQ: &str = "SELECT seq FROM records WHERE id = $1 AND record_type = $2";
/// Its outgoing references go with it (`ON DELETE CASCADE`).
pub(crate) const DELETE_RECORD: &str = "DELETE FROM records WHERE seq = $1";
pub(crate) const RECORD_TYPES_WITH_ID: &str = "SELECT record_type FROM records WHERE id = $1";
pub(crate) const COUNT_RECORDS: &str =
    "SELECT record_type, count(*) FROM records GROUP BY record_type";
/// `$1` type, `$2` after seq, `$3` limit.
pub(crate) const RECORD_BODIES_PAGE: &str = "SELECT seq, id, body FROM records \
     WHERE record_type = $1 AND seq > $2 ORDER BY seq LIMIT $3";
pub(crate) const RECORDS_PAGE: &str = concat!(
    "SELECT ",
    record_columns!(),
    " FROM records WHERE seq > $1 ORDER BY seq LIMIT $2"
);

pub(crate) const INSERT_USER: &str = concat!(
    "INSERT INTO users (",
    user_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
);
pub(crate) const SELECT_USER: &str = concat!(
    "SELECT ",
    user_columns!(),
    " FROM users WHERE username = $1"
);
pub(crate) const LIST_USERS: &str =
    concat!("SELECT ", user_columns!(), " FROM users ORDER BY username");
/// Binds the same values as [`INSERT_USER`] but the last: the username and creation time never change.
pub(crate) const UPDATE_USER: &str = "UPDATE users SET password_hash = $2, roles = $3, totp_secret = $4, \
     totp_enabled = $5, failed_logins = $6, locked_until = $7, must_change_password = $8, disabled = $9 \
     WHERE username = $1";
/// `$1` username, `$2` failures that lock, `$3` locked until. One statement, so concurrent failures cannot lose
/// a count. Returns the stored count, which is 0 when this failure locked the account.
pub(crate) const LOGIN_FAILURE: &str = "UPDATE users SET \
     failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END, \
     locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END \
     WHERE username = $1 RETURNING failed_logins";
pub(crate) const LOGIN_SUCCESS: &str =
    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = $1";

pub(crate) const INSERT_TOKEN: &str = concat!(
    "INSERT INTO tokens (",
    token_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
);
pub(crate) const TOKEN_BY_HASH: &str = concat!(
    "SELECT ",
    token_columns!(),
    " FROM tokens WHERE token_hash = $1"
);
/// `$1` a username, or null for every user's tokens.
pub(crate) const LIST_TOKENS: &str = concat!(
    "SELECT ",
    token_columns!(),
    " FROM tokens WHERE $1 IS NULL OR username = $1 ORDER BY created_at, id"
);
pub(crate) const REVOKE_TOKEN: &str =
    "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
pub(crate) const TOUCH_TOKEN: &str = "UPDATE tokens SET last_used_at = $2 WHERE id = $1";

pub(crate) const INSERT_SESSION: &str = concat!(
    "INSERT INTO sessions (",
    session_columns!(),
    ") VALUES ($1, $2, $3, $4, $5)"
);
pub(crate) const SESSION_BY_HASH: &str = concat!(
    "SELECT ",
    session_columns!(),
    " FROM sessions WHERE id_hash = $1"
);
pub(crate) const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1";
pub(crate) const DELETE_SESSION: &str = "DELETE FROM sessions WHERE id_hash = $1";
pub(crate) const DELETE_SESSIONS_OF: &str = "DELETE FROM sessions WHERE username = $1";

pub(crate) const GET_SETTING: &str = "SELECT value FROM settings WHERE key = $1";
pub(crate) const PUT_SETTING: &str = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

pub(crate) const INSERT_SCREENING_RUN: &str = concat!(
    "INSERT INTO screening_runs (",
    screening_run_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
);
pub(crate) const SELECT_SCREENING_RUN: &str = concat!(
    "SELECT ",
    screening_run_columns!(),
    " FROM screening_runs WHERE id = $1"
);
/// `$1` the most to return. Newest first; of runs of the same microsecond, the greater id first (UUIDv7 ids
/// grow with time).
pub(crate) const LIST_SCREENING_RUNS: &str = concat!(
    "SELECT ",
    screening_run_columns!(),
    " FROM screening_runs ORDER BY created_at DESC, id DESC LIMIT $1"
);
pub(crate) const SCREENING_HITS: &str = concat!(
    "SELECT ",
    screening_hit_columns!(),
    " FROM screening_hits WHERE run_id = $1 ORDER BY traveller, id"
);
pub(crate) const SELECT_SCREENING_HIT: &str = concat!(
    "SELECT ",
    screening_hit_columns!(),
    " FROM screening_hits WHERE id = $1"
);
/// `$1` hit id, `$2` verdict, `$3` reviewer, `$4` time of the review.
pub(crate) const REVIEW_HIT: &str =
    "UPDATE screening_hits SET verdict = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $1";

/// One dimension of [`HIT_STATISTICS`]: `$1` is the earliest run time counted, or null for all.
macro_rules! hit_statistics_of {
    ($dimension:literal, $column:literal) => {
        concat!(
            "SELECT '",
            $dimension,
            "' AS dimension, ",
            $column,
            " AS key, count(*) AS hits, count(CASE WHEN verdict = 'true_hit' THEN 1 END) AS confirmed, \
             count(CASE WHEN verdict = 'false_hit' THEN 1 END) AS false_hits FROM screening_hits WHERE ",
            $column,
            " IS NOT NULL AND ($1 IS NULL OR created_at >= $1) GROUP BY ",
            $column
        )
    };
}

/// `(dimension, key, hits, confirmed, false_hits)` rows, by dimension then key. One statement, so every
/// dimension counts the same hits.
pub(crate) const HIT_STATISTICS: &str = concat!(
    hit_statistics_of!("alert_category", "alert_category"),
    " UNION ALL ",
    hit_statistics_of!("band", "band"),
    " UNION ALL ",
    hit_statistics_of!("kind", "kind"),
    " UNION ALL ",
    hit_statistics_of!("rule", "rule_id"),
    " ORDER BY dimension, key"
);

pub(crate) const NEXT_RULESET_VERSION: &str = "SELECT coalesce(max(version), 0) + 1 FROM rulesets";
/// Binds the columns of a `RuleSetRow` in order.
pub(crate) const INSERT_RULESET: &str = concat!(
    "INSERT INTO rulesets (",
    ruleset_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
);
pub(crate) const RULESET_EXISTS: &str = "SELECT version FROM rulesets WHERE version = $1";
/// `$1` the version to leave alone. Runs before a version is activated: the database allows one active version
/// at a time.
pub(crate) const DEACTIVATE_OTHER_RULESETS: &str =
    "UPDATE rulesets SET active = FALSE WHERE active AND version <> $1";
pub(crate) const ACTIVATE_RULESET: &str = "UPDATE rulesets SET active = TRUE WHERE version = $1";
pub(crate) const ACTIVE_RULESET: &str =
    concat!("SELECT ", ruleset_columns!(), " FROM rulesets WHERE active");
pub(crate) const LIST_RULESETS: &str = concat!(
    "SELECT ",
    ruleset_columns!(),
    " FROM rulesets ORDER BY version DESC"
);

pub(crate) const AUDIT_HEAD: &str = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1";
pub(crate) const INSERT_AUDIT: &str = concat!(
    "INSERT INTO audit_log (",
    audit_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
);
/// `$1` seq, `$2` hash of the entry just inserted.
pub(crate) const ADVANCE_AUDIT_HEAD: &str =
    "UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1";
pub(crate) const AUDIT_PAGE: &str = concat!(
    "SELECT ",
    audit_columns!(),
    " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
);
/// The start of `audit_search`; the backend appends the bound `after_seq` and its conditions.
pub(crate) const AUDIT_SEARCH: &str =
    concat!("SELECT ", audit_columns!(), " FROM audit_log WHERE seq > ");

/// The columns of `partners` that make a `PartnerRow`.
macro_rules! partner_columns {
    () => {
        "node_id, name, country, endpoint, tls_fingerprint, tls_certificate, signing_key, card, status, \
         added_at, updated_at"
    };
}

/// The columns of `agreements` that make an `AgreementRow`.
macro_rules! agreement_columns {
    () => {
        "partner, version, text, created_by, created_at"
    };
}

/// The columns of `outbox` that make an `OutboxColumns`.
macro_rules! outbox_columns {
    () => {
        "id, recipient, kind, envelope, created_at, attempts, next_attempt_at, state, last_error, delivered_at"
    };
}

/// The columns of `inbox` that make an `InboxRow`.
macro_rules! inbox_columns {
    () => {
        "id, sender, kind, envelope, received_at, processed"
    };
}

/// The columns of `hit_refs` that make a `HitRefColumns`.
macro_rules! hit_ref_columns {
    () => {
        "hit_ref, requester, record_type, record_id, correlation_id, purpose, created_at, expires_at"
    };
}

/// The columns of `disclosures` that make a `DisclosureRow`.
macro_rules! disclosure_columns {
    () => {
        "id, direction, partner, hit_ref, purpose, legal_basis, case_ref, requested_by, state, decided_by, \
         reason, record, created_at, decided_at"
    };
}

/// Hit references per statement. Each takes 8 bind parameters, so a statement stays far below either limit.
pub(crate) const HIT_REFS_PER_STATEMENT: usize = 1_000;

/// Stores `rows` hit references, each bound as `hit_ref, requester, record_type, record_id, correlation_id,
/// purpose, created_at, expires_at` (numbered from `$1`).
pub(crate) fn insert_hit_refs_statement(rows: usize, placeholders: Placeholders) -> String {
    let mut sql = String::with_capacity(200 + rows * 48);
    sql.push_str(concat!(
        "INSERT INTO hit_refs (",
        hit_ref_columns!(),
        ") VALUES "
    ));
    push_parameter_rows(&mut sql, rows, 8, 1, placeholders);
    sql
}

/// Binds the columns of a `PartnerRow` in order. A partner added again keeps the time it was first added.
pub(crate) const UPSERT_PARTNER: &str = concat!(
    "INSERT INTO partners (",
    partner_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (node_id) DO UPDATE SET name = excluded.name, country = excluded.country, \
     endpoint = excluded.endpoint, tls_fingerprint = excluded.tls_fingerprint, \
     tls_certificate = excluded.tls_certificate, signing_key = excluded.signing_key, card = excluded.card, \
     status = excluded.status, updated_at = excluded.updated_at"
);
pub(crate) const SELECT_PARTNER: &str = concat!(
    "SELECT ",
    partner_columns!(),
    " FROM partners WHERE node_id = $1"
);
pub(crate) const PARTNER_BY_FINGERPRINT: &str = concat!(
    "SELECT ",
    partner_columns!(),
    " FROM partners WHERE tls_fingerprint = $1"
);
pub(crate) const LIST_PARTNERS: &str = concat!(
    "SELECT ",
    partner_columns!(),
    " FROM partners ORDER BY node_id"
);

/// `$1` node id. PostgreSQL locks the row instead (`LOCK_PARTNER`).
pub(crate) const PARTNER_EXISTS: &str = "SELECT node_id FROM partners WHERE node_id = $1";
/// `$1` partner.
pub(crate) const NEXT_AGREEMENT_VERSION: &str =
    "SELECT coalesce(max(version), 0) + 1 FROM agreements WHERE partner = $1";
/// Binds the columns of an `AgreementRow` in order.
pub(crate) const INSERT_AGREEMENT: &str = concat!(
    "INSERT INTO agreements (",
    agreement_columns!(),
    ") VALUES ($1, $2, $3, $4, $5)"
);
pub(crate) const CURRENT_AGREEMENT: &str = concat!(
    "SELECT ",
    agreement_columns!(),
    " FROM agreements WHERE partner = $1 ORDER BY version DESC LIMIT 1"
);
pub(crate) const LIST_AGREEMENTS: &str = concat!(
    "SELECT ",
    agreement_columns!(),
    " FROM agreements WHERE partner = $1 ORDER BY version DESC"
);

/// Binds the columns of an `OutboxRow` in order.
pub(crate) const INSERT_OUTBOX: &str = concat!(
    "INSERT INTO outbox (",
    outbox_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
);
pub(crate) const SELECT_OUTBOX: &str =
    concat!("SELECT ", outbox_columns!(), " FROM outbox WHERE id = $1");
/// `$1` now, `$2` the most to return. Oldest first; of envelopes of the same microsecond, the smaller id first
/// (UUIDv7 ids grow with time).
pub(crate) const DUE_OUTBOX: &str = concat!(
    "SELECT ",
    outbox_columns!(),
    " FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY created_at, id LIMIT $2"
);
// Each change below applies to a pending envelope only: once delivered or given up on, an envelope stays so.
/// `$1` id, `$2` time of delivery.
pub(crate) const MARK_DELIVERED: &str = "UPDATE outbox SET state = 'delivered', delivered_at = $2 \
     WHERE id = $1 AND state = 'pending'";
/// `$1` id, `$2` attempts, `$3` next attempt, `$4` error.
pub(crate) const RESCHEDULE_OUTBOX: &str = "UPDATE outbox SET attempts = $2, next_attempt_at = $3, \
     last_error = $4 WHERE id = $1 AND state = 'pending'";
/// `$1` id, `$2` error.
pub(crate) const FAIL_OUTBOX: &str = "UPDATE outbox SET state = 'failed', last_error = $2 \
     WHERE id = $1 AND state = 'pending'";
pub(crate) const OUTBOX_COUNTS: &str = "SELECT state, count(*) FROM outbox GROUP BY state";

/// Binds the columns of an `InboxRow` in order. One statement, so of two deliveries of one envelope at the
/// same time exactly one inserts (the other waits for it, then does nothing).
pub(crate) const RECEIVE_INBOX: &str = concat!(
    "INSERT INTO inbox (",
    inbox_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING"
);
pub(crate) const SELECT_INBOX: &str =
    concat!("SELECT ", inbox_columns!(), " FROM inbox WHERE id = $1");
pub(crate) const MARK_PROCESSED: &str =
    "UPDATE inbox SET processed = TRUE WHERE id = $1 AND NOT processed";
pub(crate) const INBOX_IDS: &str = "SELECT id FROM inbox ORDER BY seq";
/// `$1` sender. Separate from [`INBOX_IDS`] so each reads its own index.
pub(crate) const INBOX_IDS_FROM: &str = "SELECT id FROM inbox WHERE sender = $1 ORDER BY seq";
/// `$1` the most to return.
pub(crate) const UNPROCESSED_INBOX: &str = concat!(
    "SELECT ",
    inbox_columns!(),
    " FROM inbox WHERE NOT processed ORDER BY seq LIMIT $1"
);

/// `$1` id, `$2` sender, `$3` time. Inserts nothing when the id was seen, atomically like [`RECEIVE_INBOX`].
pub(crate) const REMEMBER_ENVELOPE: &str = "INSERT INTO seen_envelopes (id, sender, seen_at) \
     VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING";
/// `$1` the earliest time kept.
pub(crate) const FORGET_ENVELOPES: &str = "DELETE FROM seen_envelopes WHERE seen_at < $1";

pub(crate) const SELECT_HIT_REF: &str = concat!(
    "SELECT ",
    hit_ref_columns!(),
    " FROM hit_refs WHERE hit_ref = $1"
);
/// `$1` now: a reference expires at its `expires_at`.
pub(crate) const DELETE_EXPIRED_HIT_REFS: &str = "DELETE FROM hit_refs WHERE expires_at <= $1";

/// Binds the columns of a `DisclosureRow` in order.
pub(crate) const INSERT_DISCLOSURE: &str = concat!(
    "INSERT INTO disclosures (",
    disclosure_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
);
/// `$1` id, `$2` direction.
pub(crate) const SELECT_DISCLOSURE: &str = concat!(
    "SELECT ",
    disclosure_columns!(),
    " FROM disclosures WHERE id = $1 AND direction = $2"
);
/// `$1` direction. Newest first; of requests of the same microsecond, the greater id first.
pub(crate) const LIST_DISCLOSURES: &str = concat!(
    "SELECT ",
    disclosure_columns!(),
    " FROM disclosures WHERE direction = $1 ORDER BY created_at DESC, id DESC"
);
/// `$1` direction, `$2` state; ordered like [`LIST_DISCLOSURES`].
pub(crate) const LIST_DISCLOSURES_IN_STATE: &str = concat!(
    "SELECT ",
    disclosure_columns!(),
    " FROM disclosures WHERE direction = $1 AND state = $2 ORDER BY created_at DESC, id DESC"
);
/// `$1` id, `$2` direction, `$3` state, `$4` decided by, `$5` reason, `$6` record, `$7` time. One statement
/// guarded by the pending state, so of two decisions at the same time exactly one applies.
pub(crate) const DECIDE_DISCLOSURE: &str = "UPDATE disclosures SET state = $3, decided_by = $4, \
     reason = $5, record = $6, decided_at = $7 WHERE id = $1 AND direction = $2 AND state = 'pending'";

/// The columns of `legal_requests` that make a `LegalRequestRow`.
macro_rules! legal_request_columns {
    () => {
        "id, side, partner, kind, state, urgent, case_ref, form, events, created_by, created_at, updated_at, \
         version"
    };
}

/// The columns of `legal_events` that make a `LegalEventRow`.
macro_rules! legal_event_columns {
    () => {
        "request_id, seq, at, action, side, node, actor, state_after, detail, envelope_id"
    };
}

/// The columns of `evidence` that make an `EvidenceRow`, but its content.
macro_rules! evidence_listing_columns {
    () => {
        "id, request_id, name, media_type, size, sha256, origin, added_by, created_at, status, status_detail"
    };
}

/// The columns of `custody_events` that make a `CustodyEventRow`.
macro_rules! custody_event_columns {
    () => {
        "evidence_id, seq, event, at, node, actor, sha256, note, prev, signature, verification"
    };
}

/// Binds the columns of a `LegalRequestRow` in order but the version: a request starts at version 1.
pub(crate) const INSERT_LEGAL_REQUEST: &str = concat!(
    "INSERT INTO legal_requests (",
    legal_request_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)"
);
/// `$1` id, `$2` the version the caller read, `$3` state, `$4` form, `$5` events, `$6` urgent, `$7` case
/// reference, `$8` time of the update. One statement guarded by the version, so of two updates from the same
/// version exactly one applies (PostgreSQL re-reads the row the first one committed and finds its version
/// changed).
pub(crate) const UPDATE_LEGAL_REQUEST: &str = "UPDATE legal_requests SET state = $3, form = $4, \
     events = $5, urgent = $6, case_ref = $7, updated_at = $8, version = version + 1 \
     WHERE id = $1 AND version = $2";
pub(crate) const SELECT_LEGAL_REQUEST: &str = concat!(
    "SELECT ",
    legal_request_columns!(),
    " FROM legal_requests WHERE id = $1"
);
/// The start of `list_legal_requests`; [`legal_requests_query`] appends the filter.
const LIST_LEGAL_REQUESTS: &str =
    concat!("SELECT ", legal_request_columns!(), " FROM legal_requests");

/// The states a legal request ends in: `open_only` leaves them out. Spelled as the partial index
/// `legal_requests_open` spells them, so SQLite can use it.
const LEGAL_REQUEST_OPEN: &str = "state NOT IN ('closed', 'withdrawn')";

/// `list_legal_requests` for `filter`: each condition set binds its value, newest first.
pub(crate) fn legal_requests_query<DB>(filter: &LegalRequestFilter) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    String: for<'t> Encode<'t, DB> + Type<DB>,
{
    let mut query = QueryBuilder::<DB>::new(LIST_LEGAL_REQUESTS);
    let mut joiner = " WHERE ";
    let conditions = [
        ("side", &filter.side),
        ("partner", &filter.partner),
        ("kind", &filter.kind),
        ("state", &filter.state),
    ];
    for (column, value) in conditions {
        if let Some(value) = value {
            query
                .push(joiner)
                .push(column)
                .push(" = ")
                .push_bind(value.clone());
            joiner = " AND ";
        }
    }
    if filter.open_only {
        query.push(joiner).push(LEGAL_REQUEST_OPEN);
    }
    query.push(" ORDER BY created_at DESC, id DESC");
    query
}

/// Binds `request_id, at, action, side, node, actor, state_after, detail, envelope_id` and returns the seq it
/// took: the highest of the request plus one. SQLite runs it under the write lock; PostgreSQL locks the
/// request's row first (`LOCK_LEGAL_REQUEST`), so concurrent appends take turns.
pub(crate) const APPEND_LEGAL_EVENT: &str = concat!(
    "INSERT INTO legal_events (",
    legal_event_columns!(),
    ") SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9 FROM legal_events \
     WHERE request_id = $1 RETURNING seq"
);
pub(crate) const LEGAL_EVENTS: &str = concat!(
    "SELECT ",
    legal_event_columns!(),
    " FROM legal_events WHERE request_id = $1 ORDER BY seq"
);

/// Binds the columns of an `EvidenceRow` in order, but the content last.
pub(crate) const INSERT_EVIDENCE: &str = concat!(
    "INSERT INTO evidence (",
    evidence_listing_columns!(),
    ", content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
);
pub(crate) const SELECT_EVIDENCE: &str = concat!(
    "SELECT ",
    evidence_listing_columns!(),
    ", content FROM evidence WHERE id = $1"
);
/// `$1` request. Oldest first; of evidence of the same microsecond, the smaller id first.
pub(crate) const LIST_EVIDENCE: &str = concat!(
    "SELECT ",
    evidence_listing_columns!(),
    " FROM evidence WHERE request_id = $1 ORDER BY created_at, id"
);
/// `$1` id, `$2` status, `$3` detail.
pub(crate) const SET_EVIDENCE_STATUS: &str =
    "UPDATE evidence SET status = $2, status_detail = $3 WHERE id = $1";

/// Binds the columns of a `CustodyEventRow` in order.
pub(crate) const INSERT_CUSTODY_EVENT: &str = concat!(
    "INSERT INTO custody_events (",
    custody_event_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
);
pub(crate) const CUSTODY_EVENTS: &str = concat!(
    "SELECT ",
    custody_event_columns!(),
    " FROM custody_events WHERE evidence_id = $1 ORDER BY seq"
);

#[cfg(test)]
mod tests {
    use liaison_core::RecordType;

    use super::*;

    fn record(id: &str, body: &str) -> StoredRecord {
        StoredRecord {
            record_type: RecordType::Person,
            id: id.to_owned(),
            owner: "nl".to_owned(),
            handling_code: "H1".to_owned(),
            retain_until: None,
            references: vec![],
            body: body.to_owned(),
        }
    }

    #[test]
    fn repeated_keys_keep_first_place_and_last_value() {
        let batch = [record("a", "1"), record("b", "2"), record("a", "3")];
        let distinct = distinct_records(&batch);
        let seen: Vec<_> = distinct
            .iter()
            .map(|r| (r.id.as_str(), r.body.as_str()))
            .collect();
        assert_eq!(seen, [("a", "3"), ("b", "2")]);
    }

    #[test]
    fn references_are_kept_once_in_first_place() {
        let mut document = record("d1", "{}");
        document.record_type = RecordType::Document;
        document.references = vec![
            (RecordType::Person, "p1".to_owned()),
            (RecordType::Person, "p2".to_owned()),
            (RecordType::Person, "p1".to_owned()),
            (RecordType::Vehicle, "p1".to_owned()),
        ];
        let plain = record("p9", "{}");
        let rows = reference_rows(&[&document, &plain, &document]);
        let seen: Vec<_> = rows
            .iter()
            .map(|r| (r.from_id, r.from_type, r.position, r.to_type, r.to_id))
            .collect();
        let once = [
            ("d1", "document", 0, "person", "p1"),
            ("d1", "document", 1, "person", "p2"),
            ("d1", "document", 2, "vehicle", "p1"),
        ];
        assert_eq!(seen, [once, once].concat());
    }

    #[test]
    fn reference_statements_number_their_rows() {
        let insert = insert_references_statement(2, Placeholders::Numbered);
        assert!(
            insert.contains("AS (VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)) INSERT"),
            "{insert}"
        );
        let delete = delete_references_statement(2, Placeholders::Anonymous);
        assert!(
            delete.starts_with("WITH keys (id, record_type) AS (VALUES (?, ?), (?, ?)) DELETE"),
            "{delete}"
        );
    }

    #[test]
    fn hit_statement_binds_twelve_per_row() {
        let sql = insert_hits_statement(2, Placeholders::Numbered);
        assert!(
            sql.ends_with(
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), \
                 ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)"
            ),
            "{sql}"
        );
    }

    #[test]
    fn hit_statistics_cover_four_dimensions() {
        for dimension in [
            "'alert_category' AS dimension, alert_category AS key",
            "'band' AS dimension, band AS key",
            "'kind' AS dimension, kind AS key",
            "'rule' AS dimension, rule_id AS key",
        ] {
            assert!(HIT_STATISTICS.contains(dimension), "{HIT_STATISTICS}");
        }
        assert!(HIT_STATISTICS.contains("rule_id IS NOT NULL AND"));
    }

    #[test]
    fn legal_request_filter_binds_what_is_set() {
        let all =
            legal_requests_query::<sqlx::Postgres>(&LegalRequestFilter::default()).into_string();
        assert_eq!(
            all,
            concat!(
                "SELECT ",
                legal_request_columns!(),
                " FROM legal_requests ORDER BY created_at DESC, id DESC"
            )
        );
        let filter = LegalRequestFilter {
            side: Some("executing".to_owned()),
            state: Some("received".to_owned()),
            open_only: true,
            ..LegalRequestFilter::default()
        };
        let some = legal_requests_query::<sqlx::Postgres>(&filter).into_string();
        assert!(
            some.ends_with(
                " FROM legal_requests WHERE side = $1 AND state = $2 AND state NOT IN ('closed', 'withdrawn') \
                 ORDER BY created_at DESC, id DESC"
            ),
            "{some}"
        );
    }

    #[test]
    fn numbered_placeholders_share_the_write_time() {
        let sql = upsert_statement(2, Placeholders::Numbered);
        assert!(
            sql.contains(
                "($2, $3, $4, $5, $6, $7, $1, $1), ($8, $9, $10, $11, $12, $13, $1, $1) ON CONFLICT"
            ),
            "{sql}"
        );
    }

    #[test]
    fn anonymous_placeholders_are_eight_per_row() {
        let sql = upsert_statement(2, Placeholders::Anonymous);
        assert!(
            sql.contains("VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT"),
            "{sql}"
        );
    }
}
