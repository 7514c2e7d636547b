//! The records a node holds: persons, documents, vehicles, alerts, relations and cases.

use chrono::NaiveDate;

use crate::{
    AlertCategory, CountryCode, DocumentKind, DocumentStatus, Handling, IccsCode, IdentifierKind,
    NameKind, NodeId, PartialDate, RecordId, RecordType, RelationKind, Sex, VehicleStatus,
};

/// A reference to another record, resolved to its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordRef {
    pub record_type: RecordType,
    pub id: RecordId,
}

impl std::fmt::Display for RecordRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.record_type, self.id)
    }
}

/// What every record carries besides its content: who owns it and how it may be used and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMeta {
    pub id: RecordId,
    /// The node that owns the record; `None` while importing means "this node".
    pub owner: Option<NodeId>,
    pub handling: Handling,
    pub retain_until: Option<NaiveDate>,
}

/// One name of a person, in its original script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    pub full: String,
    pub given: Option<String>,
    pub family: Option<String>,
    pub patronymic: Option<String>,
    pub middle: Option<String>,
    pub kind: NameKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub meta: RecordMeta,
    /// At least one name.
    pub names: Vec<PersonName>,
    pub birth_dates: Vec<PartialDate>,
    pub birth_place: Option<String>,
    pub sex: Option<Sex>,
    pub nationalities: Vec<CountryCode>,
    pub identifiers: Vec<Identifier>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub meta: RecordMeta,
    pub kind: DocumentKind,
    pub number: String,
    pub issuing_country: CountryCode,
    pub holder: Option<RecordRef>,
    pub status: DocumentStatus,
    pub issued: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    pub meta: RecordMeta,
    pub vin: Option<String>,
    pub plate: Option<String>,
    pub plate_country: Option<CountryCode>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub colour: Option<String>,
    pub status: VehicleStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub meta: RecordMeta,
    pub category: AlertCategory,
    pub subject: Option<RecordRef>,
    pub issuing_authority: Option<String>,
    pub offences: Vec<IccsCode>,
    pub action: Option<String>,
    pub issued: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub meta: RecordMeta,
    pub from: RecordRef,
    pub to: RecordRef,
    pub kind: RelationKind,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub meta: RecordMeta,
    pub title: String,
    pub reference: Option<String>,
    pub offences: Vec<IccsCode>,
    pub entities: Vec<RecordRef>,
    pub summary: Option<String>,
}

/// Any record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Person(Person),
    Document(Document),
    Vehicle(Vehicle),
    Alert(Alert),
    Relation(Relation),
    Case(Case),
}

impl Record {
    pub fn record_type(&self) -> RecordType {
        match self {
            Record::Person(_) => RecordType::Person,
            Record::Document(_) => RecordType::Document,
            Record::Vehicle(_) => RecordType::Vehicle,
            Record::Alert(_) => RecordType::Alert,
            Record::Relation(_) => RecordType::Relation,
            Record::Case(_) => RecordType::Case,
        }
    }

    pub fn meta(&self) -> &RecordMeta {
        match self {
            Record::Person(r) => &r.meta,
            Record::Document(r) => &r.meta,
            Record::Vehicle(r) => &r.meta,
            Record::Alert(r) => &r.meta,
            Record::Relation(r) => &r.meta,
            Record::Case(r) => &r.meta,
        }
    }

    pub fn meta_mut(&mut self) -> &mut RecordMeta {
        match self {
            Record::Person(r) => &mut r.meta,
            Record::Document(r) => &mut r.meta,
            Record::Vehicle(r) => &mut r.meta,
            Record::Alert(r) => &mut r.meta,
            Record::Relation(r) => &mut r.meta,
            Record::Case(r) => &mut r.meta,
        }
    }

    pub fn reference(&self) -> RecordRef {
        RecordRef {
            record_type: self.record_type(),
            id: self.meta().id.clone(),
        }
    }

    /// The references of this record, in the same order as `references`, for resolving their types.
    pub fn references_mut(&mut self) -> Vec<&mut RecordRef> {
        match self {
            Record::Document(d) => d.holder.iter_mut().collect(),
            Record::Alert(a) => a.subject.iter_mut().collect(),
            Record::Relation(r) => vec![&mut r.from, &mut r.to],
            Record::Case(c) => c.entities.iter_mut().collect(),
            Record::Person(_) | Record::Vehicle(_) => Vec::new(),
        }
    }

    /// The records this one points at, with the field that holds each reference.
    pub fn references(&self) -> Vec<(&'static str, &RecordRef)> {
        match self {
            Record::Document(d) => d.holder.iter().map(|r| ("holder", r)).collect(),
            Record::Alert(a) => a.subject.iter().map(|r| ("subject", r)).collect(),
            Record::Relation(r) => vec![("from", &r.from), ("to", &r.to)],
            Record::Case(c) => c.entities.iter().map(|r| ("entities", r)).collect(),
            Record::Person(_) | Record::Vehicle(_) => Vec::new(),
        }
    }
}
