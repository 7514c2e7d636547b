//! Closed vocabularies of the brief: record types, purposes, roles, sexes, name kinds, statuses, categories.

use crate::ValidationError;

/// Declares a closed vocabulary with its wire spelling, parsing and display in one place.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every wire spelling, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the exact wire spelling.
            pub fn parse(value: &str) -> Result<Self, ValidationError> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ValidationError::not_one_of(value, Self::NAMES)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;
            fn from_str(value: &str) -> Result<Self, Self::Err> { Self::parse(value) }
        }
    };
}

vocabulary! {
    /// The kinds of record a node holds.
    RecordType {
        Person => "person",
        Document => "document",
        Vehicle => "vehicle",
        Alert => "alert",
        Relation => "relation",
        Case => "case",
    }
}

vocabulary! {
    /// Why a record is consulted (brief, principle 1). No purpose, no access.
    Purpose {
        BorderCheck => "border_check",
        CriminalInvestigation => "criminal_investigation",
        MissingPerson => "missing_person",
        CounterTerrorism => "counter_terrorism",
        LegalCooperation => "legal_cooperation",
        Exercise => "exercise",
    }
}

vocabulary! {
    /// What a user may do; a user may hold several roles.
    Role {
        Officer => "officer",
        Analyst => "analyst",
        Supervisor => "supervisor",
        Legal => "legal",
        Auditor => "auditor",
        Admin => "admin",
    }
}

vocabulary! {
    /// Sex as recorded in travel documents (ICAO 9303 uses M, F and X; U is unknown).
    Sex { Male => "M", Female => "F", Unspecified => "X", Unknown => "U" }
}

vocabulary! {
    /// What a name of a person is.
    NameKind {
        Primary => "primary",
        Alias => "alias",
        Birth => "birth",
        Previous => "previous",
        Transliteration => "transliteration",
    }
}

vocabulary! {
    /// The state of an identity or travel document.
    DocumentStatus {
        Valid => "valid",
        Stolen => "stolen",
        Lost => "lost",
        Revoked => "revoked",
        Invalidated => "invalidated",
        BlankStolen => "blank_stolen",
    }
}

vocabulary! {
    /// The state of a vehicle record.
    VehicleStatus {
        Registered => "registered",
        Stolen => "stolen",
        Sought => "sought",
        Recovered => "recovered",
    }
}

vocabulary! {
    /// Alert categories: the union of Schengen Information System alerts and INTERPOL notices.
    AlertCategory {
        WantedForArrest => "wanted_for_arrest",
        MissingPerson => "missing_person",
        VulnerablePerson => "vulnerable_person",
        JudicialProcedure => "judicial_procedure",
        DiscreetCheck => "discreet_check",
        InquiryCheck => "inquiry_check",
        SpecificCheck => "specific_check",
        RefusalOfEntry => "refusal_of_entry",
        UnknownWanted => "unknown_wanted",
        StolenDocument => "stolen_document",
        LostDocument => "lost_document",
        StolenVehicle => "stolen_vehicle",
        StolenFirearm => "stolen_firearm",
        ObjectForSeizure => "object_for_seizure",
        Warning => "warning",
        Threat => "threat",
        ModusOperandi => "modus_operandi",
    }
}

vocabulary! {
    /// How two records are related.
    RelationKind {
        Associate => "associate",
        Family => "family",
        Employee => "employee",
        Owner => "owner",
        Uses => "uses",
        TravelledWith => "travelled_with",
        MemberOf => "member_of",
        LivesAt => "lives_at",
        Other => "other",
    }
}

/// An ICAO 9303 document type: one letter (`P`, `I`, `A`, `C`, `V`) or two letters (`PD`, `ID`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentKind([u8; 2]);

impl DocumentKind {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let bytes = value.as_bytes();
        let valid = matches!(bytes.len(), 1 | 2) && bytes.iter().all(u8::is_ascii_uppercase);
        if !valid {
            return Err(ValidationError::Format {
                what: "document kind",
                value: value.to_owned(),
                reason: "expected an ICAO 9303 document code of one or two capital letters, such as `P`, `I` or `PD`"
                    .to_owned(),
            });
        }
        Ok(DocumentKind([
            bytes[0],
            bytes.get(1).copied().unwrap_or(b' '),
        ]))
    }

    pub fn as_str(&self) -> &str {
        let len = if self.0[1] == b' ' { 1 } else { 2 };
        std::str::from_utf8(&self.0[..len]).unwrap_or("P")
    }
}

impl std::fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_round_trips() {
        for t in RecordType::ALL {
            assert_eq!(RecordType::parse(t.as_str()), Ok(*t));
        }
        for c in AlertCategory::ALL {
            assert_eq!(AlertCategory::parse(c.as_str()), Ok(*c));
        }
        assert_eq!(AlertCategory::ALL.len(), 17);
    }

    #[test]
    fn unknown_value_lists_what_is_allowed() {
        let err = Purpose::parse("curiosity").unwrap_err();
        assert!(err.to_string().contains("border_check"), "{err}");
        assert!(Purpose::parse("Border_Check").is_err());
    }

    #[test]
    fn document_kinds() {
        assert_eq!(
            DocumentKind::parse("P").map(|k| k.to_string()),
            Ok("P".to_owned())
        );
        assert_eq!(
            DocumentKind::parse("PD").map(|k| k.to_string()),
            Ok("PD".to_owned())
        );
        assert!(DocumentKind::parse("p").is_err());
        assert!(DocumentKind::parse("PDX").is_err());
        assert!(DocumentKind::parse("").is_err());
    }
}
