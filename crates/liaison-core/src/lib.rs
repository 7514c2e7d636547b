//! Liaison's domain vocabulary: records, validated newtypes, handling codes, purposes and roles.
//!
//! Nothing here does IO or reads the clock; every type that holds a value from outside is built through a
//! `parse` function that refuses invalid input, so an invalid value cannot exist.

mod country;
mod date;
mod delimiter;
mod error;
mod handling;
mod iccs;
mod ids;
mod kinds;
pub mod legal;
mod record;
pub mod risk;

pub use country::CountryCode;
pub use date::{PartialDate, parse_date};
pub use delimiter::csv_delimiter;
pub use error::ValidationError;
pub use handling::{Distribution, HANDLING_MEANINGS, Handling, HandlingCode, handling_meaning};
pub use iccs::IccsCode;
pub use ids::{IdentifierKind, NodeId, RecordId, Username};
pub use kinds::{
    AlertCategory, DocumentKind, DocumentStatus, NameKind, Purpose, RecordType, RelationKind, Role,
    Sex, VehicleStatus,
};
pub use record::{
    Alert, Case, Document, Identifier, Person, PersonName, Record, RecordMeta, RecordRef, Relation,
    Vehicle,
};
