//! A few fields of stored records, read without decoding and validating the whole record: what a node's
//! in-memory indexes need when they are built at start over tens of millions of records. Only for bodies the
//! node stored itself, which were validated on the way in.

use liaison_core::RecordType;
use serde::Deserialize;

/// A reference as the interchange format writes it: a bare id (a person) or `{"type": ..., "id": ...}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawRef {
    Person(String),
    Typed {
        #[serde(rename = "type")]
        record_type: String,
        id: String,
    },
}

impl RawRef {
    fn resolve(self) -> Option<(RecordType, String)> {
        match self {
            RawRef::Person(id) => Some((RecordType::Person, id)),
            RawRef::Typed { record_type, id } => {
                RecordType::parse(&record_type).ok().map(|t| (t, id))
            }
        }
    }
}

#[derive(Deserialize)]
struct RawDocument {
    number: String,
    issuing_country: String,
    status: String,
    #[serde(default)]
    holder: Option<RawRef>,
}

/// What document checks and the name index need of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    pub number: String,
    pub issuing_country: String,
    /// `valid`, `stolen`, `lost`...
    pub status: String,
    /// The holder's record, when the document names one.
    pub holder: Option<(RecordType, String)>,
}

/// The document's number, country, status and holder; `None` if the body is not a document.
pub fn document_summary(body: &str) -> Option<DocumentSummary> {
    let raw: RawDocument = serde_json::from_str(body).ok()?;
    Some(DocumentSummary {
        number: raw.number,
        issuing_country: raw.issuing_country,
        status: raw.status,
        holder: raw.holder.and_then(RawRef::resolve),
    })
}

#[derive(Deserialize)]
struct RawAlert {
    #[serde(default)]
    subject: Option<RawRef>,
}

/// The record an alert is about, if it names one.
pub fn alert_subject(body: &str) -> Option<(RecordType, String)> {
    let raw: RawAlert = serde_json::from_str(body).ok()?;
    raw.subject.and_then(RawRef::resolve)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_and_alert_subjects_as_stored() {
        let document = document_summary(
            r#"{"type":"document","id":"d1","kind":"P","number":"L898902C3","issuing_country":"UTO","holder":"p1","status":"stolen","expires":"2012-04-15"}"#,
        )
        .unwrap();
        assert_eq!(document.number, "L898902C3");
        assert_eq!(document.status, "stolen");
        assert_eq!(document.holder, Some((RecordType::Person, "p1".into())));
        let unheld = document_summary(
            r#"{"type":"document","id":"x1","kind":"P","number":"AB1","issuing_country":"XAA","status":"lost"}"#,
        )
        .unwrap();
        assert_eq!(unheld.holder, None);
        assert_eq!(document_summary(r#"{"type":"person","id":"p1"}"#), None);

        assert_eq!(
            alert_subject(r#"{"type":"alert","id":"a2","subject":{"type":"vehicle","id":"v1"}}"#),
            Some((RecordType::Vehicle, "v1".into()))
        );
        assert_eq!(
            alert_subject(r#"{"type":"alert","id":"a1","subject":"p1"}"#),
            Some((RecordType::Person, "p1".into()))
        );
        assert_eq!(alert_subject(r#"{"type":"alert","id":"a3"}"#), None);
    }
}
