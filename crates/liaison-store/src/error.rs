//! The store's error type: what went wrong, in variants a caller can act on.

use liaison_core::RecordType;
use sqlx::error::ErrorKind;

/// The result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value is taken, e.g. the username of a new user.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The thing to change, or the thing it refers to, does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A value handed to the store breaks one of its rules (a hit filed under another run, an unknown verdict);
    /// nothing was written.
    #[error("invalid value: {0}")]
    Invalid(String),
    /// The database url is not one the store understands. Never contains the url itself, which may hold a
    /// password.
    #[error("invalid database url: {0}")]
    InvalidUrl(String),
    /// The record cannot be deleted while other records point at it. `by` lists every one of them by (type, id),
    /// in the order of [`RecordType`] then id; the message names the first few. The caller knows which record
    /// it asked to delete.
    #[error("the record is referenced by {}", referrers(.by))]
    Referenced { by: Vec<(RecordType, String)> },
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(String),
    /// A stored value no longer parses (written by something other than this store, or tampered with).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// How many referring records a `Referenced` message names: enough to find them, short enough for a log line.
const REFERRERS_NAMED: usize = 10;

/// `document/d1, alert/a1`, or the first ten and `and N more`.
fn referrers(by: &[(RecordType, String)]) -> String {
    let mut text = by
        .iter()
        .take(REFERRERS_NAMED)
        .map(|(record_type, id)| format!("{record_type}/{id}"))
        .collect::<Vec<_>>()
        .join(", ");
    if by.len() > REFERRERS_NAMED {
        text.push_str(&format!(" and {} more", by.len() - REFERRERS_NAMED));
    }
    text
}

impl StoreError {
    /// Names a constraint violation of a write: a taken unique value becomes `Conflict(conflict())`, a missing
    /// referenced row becomes `NotFound(missing())`; anything else stays a database error.
    pub(crate) fn from_write(
        err: sqlx::Error,
        conflict: impl FnOnce() -> String,
        missing: impl FnOnce() -> String,
    ) -> Self {
        match err.as_database_error().map(|db| db.kind()) {
            Some(ErrorKind::UniqueViolation) => StoreError::Conflict(conflict()),
            Some(ErrorKind::ForeignKeyViolation) => StoreError::NotFound(missing()),
            _ => StoreError::Database(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referenced(by: usize) -> StoreError {
        StoreError::Referenced {
            by: (0..by)
                .map(|i| (RecordType::Document, format!("d{i}")))
                .collect(),
        }
    }

    #[test]
    fn referenced_names_the_referrers() {
        let err = StoreError::Referenced {
            by: vec![
                (RecordType::Document, "d1".to_owned()),
                (RecordType::Alert, "a1".to_owned()),
            ],
        };
        assert_eq!(
            err.to_string(),
            "the record is referenced by document/d1, alert/a1"
        );
    }

    #[test]
    fn referenced_names_at_most_ten() {
        let shown = referenced(12).to_string();
        assert!(shown.ends_with("document/d9 and 2 more"), "{shown}");
        assert!(!shown.contains("d10"), "{shown}");
        assert!(referenced(10).to_string().ends_with("document/d9"));
    }
}
