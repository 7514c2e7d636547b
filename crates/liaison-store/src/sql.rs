//! Statement text both backends accept (`$n` placeholders, `ON CONFLICT ... excluded`, `RETURNING`), so the
//! schema's queries are written once; the backends differ in what they bind and in the few statements kept in
//! their own modules.

use std::collections::HashMap;

use liaison_core::RecordType;

use crate::StoredRecord;

/// Records per statement. Each takes at most 8 bind parameters, which keeps a statement under SQLite's limit of
/// 32,766 parameters and PostgreSQL's 65,535.
pub(crate) const ROWS_PER_STATEMENT: usize = 1_000;

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

/// How the upsert marks its bind parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placeholders {
    /// `$1`, `$2`, ... (PostgreSQL's only style): the time of the write is bound once, as `$1`, then each record
    /// binds `record_type, id, owner, handling_code, retain_until, body`.
    Numbered,
    /// `?`: each record binds `record_type, id, owner, handling_code, retain_until, body, now, now`. SQLite
    /// resolves every numbered parameter by scanning the list of all of them, so binding thousands of numbered
    /// parameters takes time quadratic in their count (three quarters of a bulk import, measured); anonymous
    /// ones cost nothing to resolve.
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

pub(crate) const SELECT_RECORD: &str = concat!(
    "SELECT ",
    record_columns!(),
    " FROM records WHERE id = $1 AND record_type = $2"
);
pub(crate) const RECORD_TYPES_WITH_ID: &str = "SELECT record_type FROM records WHERE id = $1";
pub(crate) const COUNT_RECORDS: &str =
    "SELECT record_type, count(*) FROM records GROUP BY record_type";
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
