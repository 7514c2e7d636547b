//! What goes into the matching engine and what comes out.

use liaison_core::{CountryCode, PartialDate, RecordType, Sex};

/// One name as recorded: the full form and, where known, its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameInput {
    pub full: String,
    pub given: Option<String>,
    pub family: Option<String>,
    pub patronymic: Option<String>,
    pub middle: Option<String>,
}

impl NameInput {
    pub fn full(full: impl Into<String>) -> Self {
        NameInput {
            full: full.into(),
            ..NameInput::default()
        }
    }
}

/// A document number held by a person, as it may be presented at a border.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentKey {
    pub number: String,
    pub issuing_country: Option<CountryCode>,
    /// The document record's id, so a hit can name it.
    pub record_id: Option<String>,
}

/// A record the index screens against: a person, or a document without a known holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPerson {
    pub record_type: RecordType,
    /// The record's id on its node; unique within the index together with `record_type`.
    pub id: String,
    pub names: Vec<NameInput>,
    pub birth_dates: Vec<PartialDate>,
    pub sex: Option<Sex>,
    pub nationalities: Vec<CountryCode>,
    pub documents: Vec<DocumentKey>,
}

/// What an officer screens: any mix of names, a date of birth, nationality, sex and document numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Names as typed or read (`SHCHERBAKOV<<VLADIMIR` MRZ style is understood too).
    pub names: Vec<String>,
    pub birth_date: Option<PartialDate>,
    pub nationality: Option<CountryCode>,
    pub sex: Option<Sex>,
    pub documents: Vec<String>,
}

/// How strong a hit is: `Strong` asks the officer to act, `Possible` to look closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Possible,
    Strong,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Possible => "possible",
            Band::Strong => "strong",
        }
    }
}

/// One piece of evidence behind a score, in words, with its signed weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// A stable feature name: `family_name`, `given_name`, `birth_date`, `sex`, `nationality`, `document`, ...
    pub feature: &'static str,
    /// For the officer: "family name Щербаков ≈ SHCHERBAKOV (transliteration, ICAO)".
    pub text: String,
    /// Positive for evidence of the same person, negative against.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub record_type: RecordType,
    pub id: String,
    /// In [0, 1].
    pub score: f64,
    pub band: Band,
    pub explanation: Vec<Contribution>,
}

/// Hits (best first) and anything odd about the query, such as a name that had nothing to match on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreenResult {
    pub hits: Vec<Hit>,
    pub warnings: Vec<String>,
}
