//! Why a rule set was refused, and where: every error names the line, column and byte offset, and the rule
//! it is in once the parser has reached one.

use std::fmt;

use super::fields::fields;
use super::protected::ProtectedCategory;

/// A rule set that cannot be used, with the place of the first problem.
///
/// This is a diagnostic with a position rather than a variant of [`crate::ValidationError`], which holds
/// single values and leaves the position to its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based byte offset in the rule set text.
    pub byte_offset: usize,
    /// The id of the rule the problem is in, once the parser has read it.
    pub rule: Option<String>,
    pub kind: RuleErrorKind,
}

/// What is wrong. Each variant carries what a caller needs to show or act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleErrorKind {
    /// The text is longer than [`super::MAX_INPUT_BYTES`].
    InputTooLarge {
        bytes: usize,
        max: usize,
    },
    /// A character, number or string that cannot be read (the message says which and why).
    InvalidToken {
        message: String,
    },
    /// Something else than the grammar allows here.
    Unexpected {
        expected: String,
        found: String,
    },
    /// A name, title, string or identifier over its length limit.
    TooLong {
        what: &'static str,
        chars: usize,
        max: usize,
    },
    TooManyRules {
        max: usize,
    },
    TooManyConditions {
        max: usize,
    },
    TooManyItems {
        max: usize,
    },
    /// Parentheses and `not` nested deeper than [`super::MAX_DEPTH`].
    TooDeep {
        max: usize,
    },
    UnknownField {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// A protected attribute, or a code or word that reveals one (Art. 6(4)).
    Protected {
        term: String,
        category: ProtectedCategory,
        /// For a proxy, what it is (`kosher meal`); `None` when the term names the attribute.
        proxy: Option<&'static str>,
    },
    /// An operator or value that does not fit the field's type.
    Type {
        message: String,
    },
    /// A literal the field can never hold (an airport that is not three letters, an unknown role).
    InvalidValue {
        field: &'static str,
        value: String,
        expected: String,
    },
    OutOfRange {
        what: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
    DuplicateRule {
        id: String,
        first_line: u32,
    },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if let Some(rule) = &self.rule {
            write!(f, ", rule {rule}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for RuleError {}

impl fmt::Display for RuleErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleErrorKind::InputTooLarge { bytes, max } => {
                write!(f, "the rule set is {bytes} bytes long, the limit is {max}")
            }
            RuleErrorKind::InvalidToken { message } => f.write_str(message),
            RuleErrorKind::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            RuleErrorKind::TooLong { what, chars, max } => {
                write!(f, "{what} is {chars} characters long, the limit is {max}")
            }
            RuleErrorKind::TooManyRules { max } => {
                write!(f, "a rule set holds at most {max} rules")
            }
            RuleErrorKind::TooManyConditions { max } => {
                write!(f, "a rule holds at most {max} comparisons")
            }
            RuleErrorKind::TooManyItems { max } => write!(f, "a list holds at most {max} values"),
            RuleErrorKind::TooDeep { max } => write!(
                f,
                "parentheses and `not` are nested more than {max} deep; split the rule"
            ),
            RuleErrorKind::UnknownField { name, suggestion } => {
                write!(f, "`{name}` is not a known field")?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean `{s}`?)")?;
                }
                let known: Vec<&str> = fields().map(|i| i.name).collect();
                write!(f, "; known fields: {}", known.join(", "))
            }
            RuleErrorKind::Protected {
                term,
                category,
                proxy,
            } => {
                match proxy {
                    Some(what) => write!(f, "`{term}` ({what}) reveals {}", category.describe())?,
                    None => write!(f, "`{term}` refers to {}", category.describe())?,
                }
                write!(
                    f,
                    "; risk criteria may not be based on it ({})",
                    category.legal_basis()
                )
            }
            RuleErrorKind::Type { message } => f.write_str(message),
            RuleErrorKind::InvalidValue {
                field,
                value,
                expected,
            } => write!(f, "`{value}` cannot be a value of `{field}`: {expected}"),
            RuleErrorKind::OutOfRange {
                what,
                value,
                min,
                max,
            } => write!(f, "{what} {value} is out of range ({min} to {max})"),
            RuleErrorKind::DuplicateRule { id, first_line } => {
                write!(f, "rule id `{id}` is already used on line {first_line}")
            }
        }
    }
}
