//! Where each field sits in each MRZ layout (Doc 9303 Parts 4 to 7, and the French identity card of
//! 1988-2021), shared by the reader and the writer so the two cannot disagree.

use super::MrzFormat;

/// A run of characters: 0-based line, 0-based start column, length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub line: usize,
    pub start: usize,
    pub len: usize,
}

const fn span(line: usize, start: usize, len: usize) -> Span {
    Span { line, start, len }
}

impl Span {
    pub fn end(self) -> usize {
        self.start + self.len
    }
}

/// What a field may hold, which decides the OCR corrections it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters and fillers: document code, states, nationality.
    Alpha,
    /// Digits and fillers: dates.
    Numeric,
    /// Anything: document number, optional data.
    AlphaNum,
    /// Letters and fillers, `<<` between primary and secondary identifiers.
    Name,
    Sex,
    CheckDigit,
}

#[derive(Debug)]
pub(crate) struct Layout {
    pub lines: usize,
    pub width: usize,
    pub document_code: Span,
    pub issuing_state: Span,
    /// The name field; for the French card only the surname.
    pub name: Span,
    /// The French card's given names (line 2).
    pub given_names: Option<Span>,
    pub document_number: Span,
    pub document_number_check: Span,
    pub nationality: Option<Span>,
    pub birth_date: Span,
    pub birth_date_check: Span,
    pub sex: Span,
    pub expiry_date: Option<Span>,
    pub expiry_date_check: Option<Span>,
    pub optional_data: Span,
    /// The TD3 personal number check digit.
    pub optional_data_check: Option<Span>,
    pub optional_data_2: Option<Span>,
    pub composite: Option<Span>,
    /// What the composite check digit covers, in order.
    pub composite_parts: &'static [Span],
    /// A document number longer than the field continues in the optional data (TD1, TD2).
    pub long_number_overflow: bool,
}

static TD1: Layout = Layout {
    lines: 3,
    width: 30,
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    name: span(2, 0, 30),
    given_names: None,
    document_number: span(0, 5, 9),
    document_number_check: span(0, 14, 1),
    nationality: Some(span(1, 15, 3)),
    birth_date: span(1, 0, 6),
    birth_date_check: span(1, 6, 1),
    sex: span(1, 7, 1),
    expiry_date: Some(span(1, 8, 6)),
    expiry_date_check: Some(span(1, 14, 1)),
    optional_data: span(0, 15, 15),
    optional_data_check: None,
    optional_data_2: Some(span(1, 18, 11)),
    composite: Some(span(1, 29, 1)),
    composite_parts: &[
        span(0, 5, 25),
        span(1, 0, 7),
        span(1, 8, 7),
        span(1, 18, 11),
    ],
    long_number_overflow: true,
};

static TD2: Layout = Layout {
    lines: 2,
    width: 36,
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    name: span(0, 5, 31),
    given_names: None,
    document_number: span(1, 0, 9),
    document_number_check: span(1, 9, 1),
    nationality: Some(span(1, 10, 3)),
    birth_date: span(1, 13, 6),
    birth_date_check: span(1, 19, 1),
    sex: span(1, 20, 1),
    expiry_date: Some(span(1, 21, 6)),
    expiry_date_check: Some(span(1, 27, 1)),
    optional_data: span(1, 28, 7),
    optional_data_check: None,
    optional_data_2: None,
    composite: Some(span(1, 35, 1)),
    composite_parts: &[span(1, 0, 10), span(1, 13, 7), span(1, 21, 14)],
    long_number_overflow: true,
};

static TD3: Layout = Layout {
    lines: 2,
    width: 44,
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    name: span(0, 5, 39),
    given_names: None,
    document_number: span(1, 0, 9),
    document_number_check: span(1, 9, 1),
    nationality: Some(span(1, 10, 3)),
    birth_date: span(1, 13, 6),
    birth_date_check: span(1, 19, 1),
    sex: span(1, 20, 1),
    expiry_date: Some(span(1, 21, 6)),
    expiry_date_check: Some(span(1, 27, 1)),
    optional_data: span(1, 28, 14),
    optional_data_check: Some(span(1, 42, 1)),
    optional_data_2: None,
    composite: Some(span(1, 43, 1)),
    composite_parts: &[span(1, 0, 10), span(1, 13, 7), span(1, 21, 22)],
    long_number_overflow: false,
};

static MRVA: Layout = Layout {
    lines: 2,
    width: 44,
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    name: span(0, 5, 39),
    given_names: None,
    document_number: span(1, 0, 9),
    document_number_check: span(1, 9, 1),
    nationality: Some(span(1, 10, 3)),
    birth_date: span(1, 13, 6),
    birth_date_check: span(1, 19, 1),
    sex: span(1, 20, 1),
    expiry_date: Some(span(1, 21, 6)),
    expiry_date_check: Some(span(1, 27, 1)),
    optional_data: span(1, 28, 16),
    optional_data_check: None,
    optional_data_2: None,
    composite: None,
    composite_parts: &[],
    long_number_overflow: false,
};

static MRVB: Layout = Layout {
    lines: 2,
    width: 36,
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    name: span(0, 5, 31),
    given_names: None,
    document_number: span(1, 0, 9),
    document_number_check: span(1, 9, 1),
    nationality: Some(span(1, 10, 3)),
    birth_date: span(1, 13, 6),
    birth_date_check: span(1, 19, 1),
    sex: span(1, 20, 1),
    expiry_date: Some(span(1, 21, 6)),
    expiry_date_check: Some(span(1, 27, 1)),
    optional_data: span(1, 28, 8),
    optional_data_check: None,
    optional_data_2: None,
    composite: None,
    composite_parts: &[],
    long_number_overflow: false,
};

/// Line 1: `ID`, `FRA`, surname (25), administrative code (6). Line 2: document number (12: year and month
/// of issue, department, serial), its check digit, given names (14), birth date, check digit, sex, and a
/// check digit over both lines.
static FRA_ID: Layout = Layout {
    lines: 2,
    width: 36,
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    name: span(0, 5, 25),
    given_names: Some(span(1, 13, 14)),
    document_number: span(1, 0, 12),
    document_number_check: span(1, 12, 1),
    nationality: None,
    birth_date: span(1, 27, 6),
    birth_date_check: span(1, 33, 1),
    sex: span(1, 34, 1),
    expiry_date: None,
    expiry_date_check: None,
    optional_data: span(0, 30, 6),
    optional_data_check: None,
    optional_data_2: None,
    composite: Some(span(1, 35, 1)),
    composite_parts: &[span(0, 0, 36), span(1, 0, 35)],
    long_number_overflow: false,
};

pub(crate) fn of(format: MrzFormat) -> &'static Layout {
    match format {
        MrzFormat::Td1 => &TD1,
        MrzFormat::Td2 => &TD2,
        MrzFormat::Td3 => &TD3,
        MrzFormat::MrvA => &MRVA,
        MrzFormat::MrvB => &MRVB,
        MrzFormat::FraNationalId => &FRA_ID,
    }
}

impl Layout {
    /// Every field with its name and kind, for naming the field at a position and for OCR corrections.
    pub fn fields(&self) -> Vec<(&'static str, Span, Kind)> {
        let mut fields = vec![
            ("document_code", self.document_code, Kind::Alpha),
            ("issuing_state", self.issuing_state, Kind::Alpha),
            (
                if self.given_names.is_some() {
                    "surname"
                } else {
                    "name"
                },
                self.name,
                Kind::Name,
            ),
            ("document_number", self.document_number, Kind::AlphaNum),
            (
                "document_number check digit",
                self.document_number_check,
                Kind::CheckDigit,
            ),
            ("birth_date", self.birth_date, Kind::Numeric),
            (
                "birth_date check digit",
                self.birth_date_check,
                Kind::CheckDigit,
            ),
            ("sex", self.sex, Kind::Sex),
            ("optional_data", self.optional_data, Kind::AlphaNum),
        ];
        if let Some(given) = self.given_names {
            fields.push(("given_names", given, Kind::Name));
        }
        if let Some(nationality) = self.nationality {
            fields.push(("nationality", nationality, Kind::Alpha));
        }
        if let Some(expiry) = self.expiry_date {
            fields.push(("expiry_date", expiry, Kind::Numeric));
        }
        if let Some(check) = self.expiry_date_check {
            fields.push(("expiry_date check digit", check, Kind::CheckDigit));
        }
        if let Some(check) = self.optional_data_check {
            fields.push(("optional_data check digit", check, Kind::CheckDigit));
        }
        if let Some(optional) = self.optional_data_2 {
            fields.push(("optional_data_2", optional, Kind::AlphaNum));
        }
        if let Some(composite) = self.composite {
            fields.push(("composite check digit", composite, Kind::CheckDigit));
        }
        fields
    }

    /// The name of the field at each 0-based line and column (`filler` where the standard leaves a
    /// position unused).
    pub fn field_names(&self) -> Vec<Vec<&'static str>> {
        let mut names = vec![vec!["filler"; self.width]; self.lines];
        for (name, span, _) in self.fields() {
            if let Some(line) = names.get_mut(span.line) {
                for slot in line.iter_mut().skip(span.start).take(span.len) {
                    *slot = name;
                }
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every position of every layout belongs to exactly one field, or is a filler the standard leaves
    /// unused.
    #[test]
    fn fields_do_not_overlap_and_fit() {
        for format in MrzFormat::ALL {
            let layout = of(format);
            let mut owner = vec![vec![0u32; layout.width]; layout.lines];
            for (_, span, _) in layout.fields() {
                assert!(
                    span.line < layout.lines && span.end() <= layout.width,
                    "{format:?}"
                );
                for count in &mut owner[span.line][span.start..span.end()] {
                    *count += 1;
                }
            }
            for line in &owner {
                assert!(
                    line.iter().all(|&n| n <= 1),
                    "{format:?} overlaps: {owner:?}"
                );
            }
            for part in layout.composite_parts {
                assert!(part.end() <= layout.width);
            }
        }
    }
}
