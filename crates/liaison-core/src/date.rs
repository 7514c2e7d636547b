//! Dates as police records hold them: full calendar dates, and dates of birth that may be only partly known.

use chrono::NaiveDate;

use crate::ValidationError;

/// Parses a full ISO 8601 calendar date (`YYYY-MM-DD`).
pub fn parse_date(value: &str) -> Result<NaiveDate, ValidationError> {
    let partial = PartialDate::parse(value)?;
    partial.to_full().ok_or_else(|| ValidationError::Date {
        value: value.to_owned(),
        reason: "a full date `YYYY-MM-DD` is required here".to_owned(),
    })
}

/// A date that may lack its day, or its month and day: `1975`, `1975-03`, `1975-03-14`.
///
/// Dates of birth are often known only in part (documents issued with `XX` for unknown day or month), and
/// the matching engine must weigh a year-only date differently from a full one, so the precision is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Earliest year accepted: older dates in a police record are typing errors.
const MIN_YEAR: u16 = 1800;
const MAX_YEAR: u16 = 2200;

impl PartialDate {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let fail = |reason: &str| ValidationError::Date {
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        let mut parts = value.split('-');
        let year_text = parts.next().unwrap_or_default();
        let month_text = parts.next();
        let day_text = parts.next();
        if parts.next().is_some() {
            return Err(fail("expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"));
        }
        let number = |text: &str, width: usize, what: &str| -> Result<u16, ValidationError> {
            if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail(&format!("the {what} must be {width} digits")));
            }
            text.parse::<u16>()
                .map_err(|_| fail(&format!("the {what} is not a number")))
        };
        let year = number(year_text, 4, "year")?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(fail(&format!(
                "the year must be between {MIN_YEAR} and {MAX_YEAR}"
            )));
        }
        let month = match month_text {
            None => None,
            Some(text) => {
                let month = number(text, 2, "month")?;
                if !(1..=12).contains(&month) {
                    return Err(fail(&format!("month {month} does not exist")));
                }
                Some(month as u8)
            }
        };
        let day = match (month, day_text) {
            (_, None) => None,
            (None, Some(_)) => return Err(fail("a day needs a month")),
            (Some(month), Some(text)) => {
                let day = number(text, 2, "day")?;
                let last = last_day_of_month(year, month);
                if day == 0 || day > u16::from(last) {
                    return Err(fail(&format!(
                        "day {day} does not exist in {year}-{month:02}"
                    )));
                }
                Some(day as u8)
            }
        };
        Ok(PartialDate { year, month, day })
    }

    pub fn from_full(date: NaiveDate) -> Self {
        use chrono::Datelike;
        PartialDate {
            year: date.year() as u16,
            month: Some(date.month() as u8),
            day: Some(date.day() as u8),
        }
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> Option<u8> {
        self.month
    }

    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// The full date, when day and month are known.
    pub fn to_full(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month?),
            u32::from(self.day?),
        )
    }
}

fn last_day_of_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_partial_dates() {
        for text in ["1975", "1975-03", "1975-03-14", "2000-02-29", "1800-01-01"] {
            assert_eq!(
                PartialDate::parse(text).map(|d| d.to_string()),
                Ok(text.to_owned())
            );
        }
    }

    #[test]
    fn refuses_impossible_dates_with_a_reason() {
        let cases = [
            ("1975-13", "month 13"),
            ("1975-02-29", "day 29 does not exist"),
            ("1900-02-29", "day 29"),
            ("75-03-14", "4 digits"),
            ("1975-3-14", "2 digits"),
            ("1975-03-14T00:00", "2 digits"),
            ("14.03.1975", "4 digits"),
            ("", "4 digits"),
            ("1066", "between"),
            ("1975-03-14-01", "expected"),
            ("1975-00", "month 0"),
            ("1975-04-31", "day 31"),
        ];
        for (text, reason) in cases {
            let err = PartialDate::parse(text).unwrap_err().to_string();
            assert!(err.contains(reason), "{text}: {err}");
        }
    }

    #[test]
    fn full_dates_are_required_where_asked() {
        assert!(parse_date("2031-01-01").is_ok());
        assert!(
            parse_date("2031-01")
                .unwrap_err()
                .to_string()
                .contains("full date")
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,16}") {
            let _ = PartialDate::parse(&text);
        }

        #[test]
        fn valid_dates_round_trip(y in 1800u16..2200, m in 1u8..=12, d in 1u8..=31) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            if let Ok(date) = PartialDate::parse(&text) {
                prop_assert_eq!(date.to_string(), text);
                prop_assert!(date.to_full().is_some());
            }
        }
    }
}
