//! Every serialized type of Liaison: the "Liaison JSON Lines" interchange format (version 1), CSV persons,
//! and the bodies of the HTTP API. Only this crate derives `Serialize`/`Deserialize`; it converts to and from
//! the domain types of `liaison-core`.

pub mod api;
pub mod border;
mod csv_persons;
pub mod federation;
mod fields;
pub mod graph;
mod interchange;
pub mod legal;
mod lines;
mod summary;

pub use csv_persons::{CsvPersonReader, csv_column_for};
pub use fields::FieldIssue;
pub use interchange::{
    Decoded, FORMAT_VERSION, PendingRef, allowed_reference_types, decode_record, decode_value,
    encode_record, format_header,
};
pub use lines::{LineItem, LineReader, MAX_LINE_BYTES};
pub use summary::{DocumentSummary, alert_subject, document_summary};

/// A problem with one line of an input file: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default())]
pub struct LineError {
    pub line: u64,
    pub field: Option<String>,
    pub message: String,
}

impl LineError {
    pub fn new(line: u64, field: Option<String>, message: impl Into<String>) -> Self {
        LineError {
            line,
            field,
            message: message.into(),
        }
    }

    pub fn from_issue(line: u64, issue: FieldIssue) -> Self {
        LineError {
            line,
            field: issue.field,
            message: issue.message,
        }
    }
}
