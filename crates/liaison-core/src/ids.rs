//! Identifiers: node ids, record ids, usernames and identifier kinds.

use crate::ValidationError;

fn check_length(value: &str, max: usize) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::Empty);
    }
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong { len, max });
    }
    Ok(())
}

/// A node's id, as partners address it: lower-case letters, digits and `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(String);

impl NodeId {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        check_length(value, 63)?;
        let ok = value.starts_with(|c: char| c.is_ascii_lowercase())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.ends_with('-');
        if !ok {
            return Err(ValidationError::Format {
                what: "node id",
                value: value.to_owned(),
                reason: "use lower-case letters, digits and `-`, starting with a letter".to_owned(),
            });
        }
        Ok(NodeId(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A record's id in its source system. Kept as given so that re-importing a file updates the same records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(String);

impl RecordId {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        check_length(value, 200)?;
        if value.chars().any(char::is_control) || value.trim() != value {
            return Err(ValidationError::Format {
                what: "record id",
                value: value.escape_debug().to_string(),
                reason: "control characters and leading or trailing spaces are not allowed"
                    .to_owned(),
            });
        }
        Ok(RecordId(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A local user's name: lower-case letters, digits, `.`, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        check_length(value, 64)?;
        let ok = value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !ok {
            return Err(ValidationError::Format {
                what: "username",
                value: value.to_owned(),
                reason: "use lower-case letters, digits, `.`, `_` and `-`".to_owned(),
            });
        }
        Ok(Username(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an identifier of a person is (`phone`, `email`, `address`, `national_id`, ...): an open vocabulary of
/// lower-case words, because agencies hold identifiers the brief cannot list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdentifierKind(String);

impl IdentifierKind {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        check_length(value, 40)?;
        if !value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(ValidationError::Format {
                what: "identifier kind",
                value: value.to_owned(),
                reason: "use lower-case letters, digits and `_`, such as `phone` or `national_id`"
                    .to_owned(),
            });
        }
        Ok(IdentifierKind(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids() {
        assert!(NodeId::parse("node-b").is_ok());
        assert!(NodeId::parse("xaa-police").is_ok());
        for bad in ["", "Node", "-a", "a-", "1abc", "a b", "a_b"] {
            assert!(NodeId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn record_ids() {
        assert!(RecordId::parse("p1").is_ok());
        assert!(RecordId::parse("2024/0001-ÄB").is_ok());
        assert!(RecordId::parse(" p1").is_err());
        assert!(RecordId::parse("p\n1").is_err());
        assert!(RecordId::parse("").is_err());
        assert!(RecordId::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn usernames() {
        assert!(Username::parse("admin").is_ok());
        assert!(Username::parse("j.smith-2").is_ok());
        assert!(Username::parse("Admin").is_err());
        assert!(Username::parse("a b").is_err());
    }
}
