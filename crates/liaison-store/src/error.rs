//! The store's error type: what went wrong, in variants a caller can act on.

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
    /// The database url is not one the store understands. Never contains the url itself, which may hold a
    /// password.
    #[error("invalid database url: {0}")]
    InvalidUrl(String),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(String),
    /// A stored value no longer parses (written by something other than this store, or tampered with).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
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
