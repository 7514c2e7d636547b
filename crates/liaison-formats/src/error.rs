//! Positions, warnings and errors shared by every reader, so a fault is reported the same way whatever the
//! format: where it is (line, column, byte offset, segment), which field, and what is wrong.

use std::fmt;

/// Where in the input something is. Every reader fills what it knows: a byte offset always, a line and
/// column for text, a segment number and tag for EDIFACT.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// 1-based line number in the input.
    pub line: u32,
    /// 1-based column (in characters) on that line.
    pub column: u32,
    /// 0-based byte offset from the start of the input.
    pub byte_offset: usize,
    /// 1-based EDIFACT segment number within the interchange, when the fault is in a segment.
    pub segment: Option<u32>,
    /// The segment tag (`DOC`, `NAD`...), when known.
    pub segment_tag: Option<String>,
}

impl Position {
    /// The position of a byte offset in a text: its line and column are counted from the text.
    pub fn at(text: &[u8], byte_offset: usize) -> Position {
        let end = byte_offset.min(text.len());
        let before = &text[..end];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count() as u32
            + 1;
        Position {
            line,
            column,
            byte_offset,
            segment: None,
            segment_tag: None,
        }
    }

    /// The same position, inside EDIFACT segment `number` with tag `tag`.
    pub fn in_segment(mut self, number: u32, tag: &str) -> Position {
        self.segment = Some(number);
        self.segment_tag = Some(tag.to_owned());
        self
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} (byte {})",
            self.line, self.column, self.byte_offset
        )?;
        if let Some(segment) = self.segment {
            write!(f, ", segment {segment}")?;
            if let Some(tag) = &self.segment_tag {
                write!(f, " ({tag})")?;
            }
        }
        Ok(())
    }
}

/// A fault that does not stop reading (tolerant mode): reported with the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub position: Position,
    /// The field concerned, named as the standard does (`UNT/0074`, `DOC/C503/1004`, `line 2 check digit`).
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.position)?;
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A fault that stops reading: the input cannot be understood from this point.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub Diagnostic);

impl FormatError {
    pub fn new(position: Position, field: Option<&str>, message: impl Into<String>) -> FormatError {
        FormatError(Diagnostic {
            position,
            field: field.map(str::to_owned),
            message: message.into(),
        })
    }

    pub fn position(&self) -> &Position {
        &self.0.position
    }
}
