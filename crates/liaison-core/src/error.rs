//! The one error type of the domain: why a value was refused.

/// Why a value from outside could not become a domain value. Messages name the value and the rule it broke;
/// the caller adds where the value came from (line, field).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("must not be empty")]
    Empty,
    #[error("is {len} characters long, the limit is {max}")]
    TooLong { len: usize, max: usize },
    #[error("`{value}` is not one of: {allowed}")]
    NotOneOf { value: String, allowed: String },
    #[error(
        "`{value}` is not a valid country code (ISO 3166-1 alpha-3, an ICAO 9303 code such as `D` or `XXA`, or a user-assigned `X..` code)"
    )]
    Country { value: String },
    #[error("`{value}` is not a valid date: {reason}")]
    Date { value: String, reason: String },
    #[error("`{value}` is not a valid ICCS offence code: {reason}")]
    Iccs { value: String, reason: String },
    #[error("`{value}` is not a valid {what}: {reason}")]
    Format {
        what: &'static str,
        value: String,
        reason: String,
    },
}

impl ValidationError {
    pub(crate) fn not_one_of(value: &str, allowed: &[&str]) -> Self {
        ValidationError::NotOneOf {
            value: value.to_owned(),
            allowed: allowed.join(", "),
        }
    }
}
