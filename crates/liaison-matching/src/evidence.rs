//! Evidence besides names: date of birth (exact, partial, typing errors, swapped day and month), sex,
//! nationality and document numbers (with OCR confusions folded).

use liaison_core::{CountryCode, PartialDate, Sex};

use crate::weights::*;

/// How two dates of birth relate, best reading first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateAgreement {
    Exact,
    YearMonth,
    YearOnly,
    DayMonthSwapped,
    OneDigit,
    YearOffByOne,
    PartialOneDigit,
    SameYearOnly,
    NearYear,
    Conflict,
}

impl DateAgreement {
    pub fn weight(self) -> f64 {
        match self {
            DateAgreement::Exact => DOB_EXACT,
            DateAgreement::YearMonth => DOB_YEAR_MONTH,
            DateAgreement::YearOnly => DOB_YEAR_ONLY,
            DateAgreement::DayMonthSwapped => DOB_DAY_MONTH_SWAPPED,
            DateAgreement::OneDigit => DOB_ONE_DIGIT,
            DateAgreement::YearOffByOne => DOB_YEAR_OFF_BY_ONE,
            DateAgreement::PartialOneDigit => DOB_PARTIAL_ONE_DIGIT,
            DateAgreement::SameYearOnly => DOB_SAME_YEAR_ONLY,
            DateAgreement::NearYear => DOB_NEAR_YEAR,
            DateAgreement::Conflict => DOB_CONFLICT,
        }
    }

    pub fn describe(self, query: PartialDate, record: PartialDate) -> String {
        match self {
            DateAgreement::Exact => format!("birth date {record} agrees"),
            DateAgreement::YearMonth => format!("birth year and month agree ({query} / {record})"),
            DateAgreement::YearOnly => format!("birth year agrees ({query} / {record})"),
            DateAgreement::DayMonthSwapped => {
                format!("birth day and month swapped ({query} / {record})")
            }
            DateAgreement::OneDigit => {
                format!(
                    "birth date differs by one digit, a likely typing error ({query} / {record})"
                )
            }
            DateAgreement::YearOffByOne => {
                format!("birth year one apart, day and month agree ({query} / {record})")
            }
            DateAgreement::PartialOneDigit => format!(
                "birth years differ by one digit, a possible typing error; the date is partial ({query} / {record})"
            ),
            DateAgreement::SameYearOnly => {
                format!("same birth year but different day or month ({query} / {record})")
            }
            DateAgreement::NearYear => {
                format!("birth dates differ, years close ({query} / {record})")
            }
            DateAgreement::Conflict => format!("birth dates differ ({query} / {record})"),
        }
    }
}

/// 1 January is the placeholder many documents carry when only the year is known.
fn effective(date: PartialDate) -> (u16, Option<u8>, Option<u8>) {
    match (date.month(), date.day()) {
        (Some(1), Some(1)) => (date.year(), None, None),
        (month, day) => (date.year(), month, day),
    }
}

fn digits(year: u16, month: u8, day: u8) -> [u8; 8] {
    let y = year % 10_000;
    [
        (y / 1000) as u8,
        (y / 100 % 10) as u8,
        (y / 10 % 10) as u8,
        (y % 10) as u8,
        month / 10,
        month % 10,
        day / 10,
        day % 10,
    ]
}

pub fn compare_dates(query: PartialDate, record: PartialDate) -> DateAgreement {
    let (qy, qm, qd) = effective(query);
    let (ry, rm, rd) = effective(record);
    let year_gap = qy.abs_diff(ry);
    if let (Some(qm), Some(qd), Some(rm), Some(rd)) = (qm, qd, rm, rd) {
        if (qy, qm, qd) == (ry, rm, rd) {
            return DateAgreement::Exact;
        }
        if qy == ry && qm == rd && qd == rm {
            return DateAgreement::DayMonthSwapped;
        }
        let a = digits(qy, qm, qd);
        let b = digits(ry, rm, rd);
        let differing: Vec<usize> = (0..8).filter(|&i| a[i] != b[i]).collect();
        let adjacent_swap = differing.len() == 2
            && differing[1] == differing[0] + 1
            && a[differing[0]] == b[differing[1]]
            && a[differing[1]] == b[differing[0]];
        if qm == rm && qd == rd && year_gap == 1 {
            return DateAgreement::YearOffByOne;
        }
        if differing.len() == 1 || adjacent_swap {
            return DateAgreement::OneDigit;
        }
        if qy == ry {
            return DateAgreement::SameYearOnly;
        }
        if year_gap <= 2 && (qm == rm || qd == rd) {
            return DateAgreement::NearYear;
        }
        return DateAgreement::Conflict;
    }
    // At least one side is partial: compare what both know.
    if qy == ry {
        return match (qm, rm) {
            (Some(a), Some(b)) if a == b => DateAgreement::YearMonth,
            (Some(_), Some(_)) => DateAgreement::SameYearOnly,
            _ => DateAgreement::YearOnly,
        };
    }
    let months_compatible = match (qm, rm) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let year_digits_differing = (0..4)
        .filter(|&i| {
            let p = 10u16.pow(i);
            (qy / p) % 10 != (ry / p) % 10
        })
        .count();
    if year_digits_differing == 1 && months_compatible {
        return DateAgreement::PartialOneDigit;
    }
    if year_gap == 1 {
        return DateAgreement::NearYear;
    }
    DateAgreement::Conflict
}

/// The best agreement between the query's date and any of the record's.
pub fn best_date(
    query: PartialDate,
    record: &[PartialDate],
) -> Option<(DateAgreement, PartialDate)> {
    record
        .iter()
        .map(|&r| (compare_dates(query, r), r))
        .max_by(|a, b| a.0.weight().total_cmp(&b.0.weight()))
}

impl DateAgreement {
    /// How well the dates alone tell two people apart: 1 for an exact date (or a clear conflict, which
    /// speaks for itself), less for partial dates and typing errors, 0 for a date that decides nothing.
    pub fn strength(self) -> f64 {
        match self {
            DateAgreement::Exact
            | DateAgreement::SameYearOnly
            | DateAgreement::NearYear
            | DateAgreement::Conflict => 1.0,
            DateAgreement::DayMonthSwapped => 0.7,
            DateAgreement::YearMonth => 0.6,
            DateAgreement::OneDigit | DateAgreement::YearOffByOne => 0.5,
            DateAgreement::YearOnly => 0.3,
            DateAgreement::PartialOneDigit => 0.0,
        }
    }

    /// Whether the dates support the match (a typing error or a partial date that agrees), rather than
    /// conflict or leave it open.
    pub fn supports(self) -> bool {
        matches!(
            self,
            DateAgreement::Exact
                | DateAgreement::YearMonth
                | DateAgreement::YearOnly
                | DateAgreement::DayMonthSwapped
                | DateAgreement::OneDigit
                | DateAgreement::YearOffByOne
        )
    }
}

/// Sex agreement: `Some(true)` agree, `Some(false)` differ, `None` unknown on a side.
pub fn compare_sex(query: Option<Sex>, record: Option<Sex>) -> Option<bool> {
    match (query?, record?) {
        (Sex::Male, Sex::Male) | (Sex::Female, Sex::Female) => Some(true),
        (Sex::Male, Sex::Female) | (Sex::Female, Sex::Male) => Some(false),
        _ => None,
    }
}

/// ICAO's `D` is Germany's ISO `DEU`.
fn country_key(code: &CountryCode) -> &str {
    match code.as_str() {
        "D" => "DEU",
        other => other,
    }
}

pub fn compare_nationality(query: Option<&CountryCode>, record: &[CountryCode]) -> Option<bool> {
    let query = query?;
    if record.is_empty() || query.as_str() == "XXX" {
        return None;
    }
    Some(record.iter().any(|r| country_key(r) == country_key(query)))
}

/// A document number as printed: upper-case letters and digits only.
pub fn normalize_document(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The number with OCR confusions folded to digits: O→0, I/L→1, S→5, B→8, Z→2.
pub fn ocr_fold(normalized: &str) -> String {
    normalized
        .chars()
        .map(|c| match c {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' => '1',
            'S' => '5',
            'B' => '8',
            'Z' => '2',
            'G' => '6',
            other => other,
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentAgreement {
    Exact,
    AfterOcrCorrection,
}

pub fn compare_documents(query: &str, record: &str) -> Option<DocumentAgreement> {
    let q = normalize_document(query);
    let r = normalize_document(record);
    if q.len() < DOCUMENT_MIN_LEN || r.len() < DOCUMENT_MIN_LEN {
        return None;
    }
    if q == r {
        Some(DocumentAgreement::Exact)
    } else if ocr_fold(&q) == ocr_fold(&r) {
        Some(DocumentAgreement::AfterOcrCorrection)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn dates_table() {
        let cases = [
            ("1975-03-14", "1975-03-14", DateAgreement::Exact),
            ("1975-03-14", "1975-14-03", DateAgreement::Conflict), // not a valid date: never built
            ("1975-03-04", "1975-04-03", DateAgreement::DayMonthSwapped),
            ("1975-03-14", "1974-03-14", DateAgreement::YearOffByOne),
            ("1975-03-14", "1975-03-19", DateAgreement::OneDigit),
            ("1975-03-14", "1957-03-14", DateAgreement::OneDigit),
            ("1975-03-14", "1975", DateAgreement::YearOnly),
            ("1975-03-14", "1975-03", DateAgreement::YearMonth),
            ("1975-03-14", "1975-08-27", DateAgreement::SameYearOnly),
            ("1975-03-14", "1981-11-02", DateAgreement::Conflict),
            ("1975-01-01", "1975-06-12", DateAgreement::YearOnly),
            ("1975", "1990", DateAgreement::Conflict),
        ];
        for (q, r, expected) in cases {
            let Ok(record) = PartialDate::parse(r) else {
                continue;
            };
            assert_eq!(compare_dates(d(q), record), expected, "{q} / {r}");
        }
    }

    #[test]
    fn documents_with_ocr_confusions() {
        let cases = [
            ("L898902C3", "L898902C3", Some(DocumentAgreement::Exact)),
            ("l898902c3", "L898 902 C3", Some(DocumentAgreement::Exact)),
            (
                "L8989O2C3",
                "L898902C3",
                Some(DocumentAgreement::AfterOcrCorrection),
            ),
            (
                "1898902C3",
                "L898902C3",
                Some(DocumentAgreement::AfterOcrCorrection),
            ),
            (
                "AB5Z8",
                "A85Z8",
                Some(DocumentAgreement::AfterOcrCorrection),
            ),
            ("L898902C3", "L898902C4", None),
            ("123", "123", None),
        ];
        for (q, r, expected) in cases {
            assert_eq!(compare_documents(q, r), expected, "{q} / {r}");
        }
    }
}
