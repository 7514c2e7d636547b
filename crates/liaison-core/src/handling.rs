//! Handling codes and distribution scope: how the owner of a record lets others use it (Europol model).

use crate::{NodeId, ValidationError};

/// The owner's condition on using a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HandlingCode {
    /// H0: for police use only.
    H0,
    /// H1: not to be used in judicial proceedings without the owner's consent.
    H1,
    /// H2: not to be disseminated without the owner's consent.
    H2,
    /// H3: other conditions, stated in free text.
    H3 { conditions: String },
}

/// What each handling code asks of the recipient (Europol model), as a phrase to show beside the code.
pub const HANDLING_MEANINGS: &[(&str, &str)] = &[
    ("H0", "police use only"),
    (
        "H1",
        "not for judicial proceedings without the owner's consent",
    ),
    ("H2", "no dissemination without the owner's consent"),
    ("H3", "other conditions, stated by the owner"),
];

/// The meaning of the handling code named `code` (`H0`..`H3`), if it is one.
pub fn handling_meaning(code: &str) -> Option<&'static str> {
    HANDLING_MEANINGS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, meaning)| *meaning)
}

impl HandlingCode {
    /// Builds a code from its name and, for `H3`, its conditions (required and non-empty).
    pub fn parse(code: &str, conditions: Option<&str>) -> Result<Self, ValidationError> {
        let conditions = conditions.map(str::trim).filter(|c| !c.is_empty());
        match (code, conditions) {
            ("H0", None) => Ok(HandlingCode::H0),
            ("H1", None) => Ok(HandlingCode::H1),
            ("H2", None) => Ok(HandlingCode::H2),
            ("H3", Some(text)) => Ok(HandlingCode::H3 {
                conditions: text.to_owned(),
            }),
            ("H3", None) => Err(ValidationError::Format {
                what: "handling code",
                value: "H3".to_owned(),
                reason: "H3 needs its conditions in `conditions`".to_owned(),
            }),
            ("H0" | "H1" | "H2", Some(_)) => Err(ValidationError::Format {
                what: "handling code",
                value: code.to_owned(),
                reason: "only H3 carries `conditions`".to_owned(),
            }),
            _ => Err(ValidationError::not_one_of(code, &["H0", "H1", "H2", "H3"])),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            HandlingCode::H0 => "H0",
            HandlingCode::H1 => "H1",
            HandlingCode::H2 => "H2",
            HandlingCode::H3 { .. } => "H3",
        }
    }

    pub fn conditions(&self) -> Option<&str> {
        match self {
            HandlingCode::H3 { conditions } => Some(conditions),
            _ => None,
        }
    }
}

/// Who may receive a record beyond its owner.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Distribution {
    /// Stays within the owner's country.
    National,
    /// Any partner with a sharing agreement.
    Partners,
    /// Only the listed partner nodes.
    Nodes(Vec<NodeId>),
}

impl Distribution {
    /// Builds a list scope; an empty list would silently mean "national", so it is refused.
    pub fn nodes(nodes: Vec<NodeId>) -> Result<Self, ValidationError> {
        if nodes.is_empty() {
            return Err(ValidationError::Empty);
        }
        Ok(Distribution::Nodes(nodes))
    }

    pub fn parse_scope(value: &str) -> Result<Self, ValidationError> {
        match value {
            "national" => Ok(Distribution::National),
            "partners" => Ok(Distribution::Partners),
            other => Err(ValidationError::not_one_of(
                other,
                &["national", "partners", "a list of node ids"],
            )),
        }
    }

    /// Whether a partner node may receive the record under this scope.
    pub fn allows(&self, partner: &NodeId) -> bool {
        match self {
            Distribution::National => false,
            Distribution::Partners => true,
            Distribution::Nodes(nodes) => nodes.contains(partner),
        }
    }
}

/// A handling code with its distribution scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handling {
    pub code: HandlingCode,
    pub distribution: Distribution,
}

impl Default for Handling {
    /// Records that arrive without handling instructions get the most restrictive ones: police use only,
    /// within the country. Sharing must be a decision, never an accident.
    fn default() -> Self {
        Handling {
            code: HandlingCode::H0,
            distribution: Distribution::National,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h3_needs_conditions() {
        assert!(HandlingCode::parse("H3", None).is_err());
        assert!(HandlingCode::parse("H3", Some("  ")).is_err());
        assert_eq!(
            HandlingCode::parse("H3", Some("court use only"))
                .map(|c| c.conditions().map(str::to_owned)),
            Ok(Some("court use only".to_owned()))
        );
        assert!(HandlingCode::parse("H1", Some("x")).is_err());
        assert!(HandlingCode::parse("H4", None).is_err());
    }

    #[test]
    fn distribution_allows() {
        let b = NodeId::parse("node-b").unwrap_or_else(|_| unreachable!());
        let c = NodeId::parse("node-c").unwrap_or_else(|_| unreachable!());
        assert!(!Distribution::National.allows(&b));
        assert!(Distribution::Partners.allows(&b));
        let only_b = Distribution::nodes(vec![b.clone()]).unwrap_or_else(|_| unreachable!());
        assert!(only_b.allows(&b) && !only_b.allows(&c));
        assert!(Distribution::nodes(vec![]).is_err());
    }
}
