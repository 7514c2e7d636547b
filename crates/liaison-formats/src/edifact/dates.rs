//! Dates and times as PAXLST and PNRGOV write them (`YYMMDD`, `CCYYMMDDHHMM`, `DDMMYY`, `DDMMMYY`...), with
//! the century of two-digit years inferred from "today": a birth date is never in the future, other dates
//! fall within fifty years either side of today.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// What a date is, which decides the century of a two-digit year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// Never after today.
    Birth,
    /// Expiry dates, flight dates, booking dates: within fifty years of today.
    Other,
}

/// The full year of a two-digit year.
pub fn full_year(yy: i32, month: u32, day: u32, kind: DateKind, today: NaiveDate) -> Option<i32> {
    let century = today.year().div_euclid(100) * 100;
    match kind {
        DateKind::Birth => {
            // The latest century that does not put the date after today.
            [century, century - 100, century - 200]
                .into_iter()
                .map(|c| c + yy)
                .find(|&year| NaiveDate::from_ymd_opt(year, month, day).is_some_and(|d| d <= today))
        }
        DateKind::Other => {
            let year = century + yy;
            let year = if year > today.year() + 50 {
                year - 100
            } else if year < today.year() - 50 {
                year + 100
            } else {
                year
            };
            Some(year)
        }
    }
}

fn digits(text: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = text.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn two_digit_date(
    yy: u32,
    month: u32,
    day: u32,
    kind: DateKind,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let year = full_year(i32::try_from(yy).ok()?, month, day, kind, today)?;
    date(year, month, day)
}

/// A time `HHMM` or `HHMMSS`.
pub fn time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    match text.len() {
        4 => NaiveTime::from_hms_opt(digits(text, 0..2)?, digits(text, 2..4)?, 0),
        6 => NaiveTime::from_hms_opt(
            digits(text, 0..2)?,
            digits(text, 2..4)?,
            digits(text, 4..6)?,
        ),
        _ => None,
    }
}

/// An EDIFACT DTM value in the given format code (2379: `101` YYMMDD, `102` CCYYMMDD, `201` YYMMDDHHMM,
/// `203` CCYYMMDDHHMM, `204` CCYYMMDDHHMMSS); without a format code the length decides. Dates without a
/// time get midnight.
pub fn dtm(value: &str, format: &str, kind: DateKind, today: NaiveDate) -> Option<NaiveDateTime> {
    let value = value.trim();
    let format = match format.trim() {
        "" => match value.len() {
            6 => "101",
            8 => "102",
            10 => "201",
            12 => "203",
            14 => "204",
            _ => return None,
        },
        other => other,
    };
    let midnight = NaiveTime::MIN;
    match (format, value.len()) {
        ("101", 6) => {
            let d = two_digit_date(
                digits(value, 0..2)?,
                digits(value, 2..4)?,
                digits(value, 4..6)?,
                kind,
                today,
            )?;
            Some(d.and_time(midnight))
        }
        ("102", 8) => {
            let d = date(
                i32::try_from(digits(value, 0..4)?).ok()?,
                digits(value, 4..6)?,
                digits(value, 6..8)?,
            )?;
            Some(d.and_time(midnight))
        }
        ("201", 10) => {
            let d = two_digit_date(
                digits(value, 0..2)?,
                digits(value, 2..4)?,
                digits(value, 4..6)?,
                kind,
                today,
            )?;
            Some(d.and_time(time(&value[6..10])?))
        }
        ("203", 12) | ("204", 14) => {
            let d = date(
                i32::try_from(digits(value, 0..4)?).ok()?,
                digits(value, 4..6)?,
                digits(value, 6..8)?,
            )?;
            Some(d.and_time(time(&value[8..])?))
        }
        _ => None,
    }
}

/// `DDMMYY` (PNRGOV TVL, DAT, RCI).
pub fn ddmmyy(value: &str, kind: DateKind, today: NaiveDate) -> Option<NaiveDate> {
    let value = value.trim();
    if value.len() != 6 {
        return None;
    }
    two_digit_date(
        digits(value, 4..6)?,
        digits(value, 2..4)?,
        digits(value, 0..2)?,
        kind,
        today,
    )
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `DDMMMYY` (`04JUL80`, the SSR DOCS dates); also `DDMMMYYYY`.
pub fn ddmmmyy(value: &str, kind: DateKind, today: NaiveDate) -> Option<NaiveDate> {
    let value = value.trim();
    if !value.is_ascii() || (value.len() != 7 && value.len() != 9) {
        return None;
    }
    let day = digits(value, 0..2)?;
    let month_name = value[2..5].to_ascii_uppercase();
    let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
    if value.len() == 9 {
        return date(i32::try_from(digits(value, 5..9)?).ok()?, month, day);
    }
    two_digit_date(digits(value, 5..7)?, month, day, kind, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    #[test]
    fn birth_dates_are_never_in_the_future() {
        let d = dtm("250602", "", DateKind::Birth, today()).unwrap();
        assert_eq!(d.date(), NaiveDate::from_ymd_opt(1925, 6, 2).unwrap());
        let d = dtm("250601", "", DateKind::Birth, today()).unwrap();
        assert_eq!(d.date(), today());
        let d = ddmmmyy("04JUL80", DateKind::Birth, today()).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(1980, 7, 4).unwrap());
    }

    #[test]
    fn expiry_dates_fall_within_fifty_years() {
        assert_eq!(
            dtm("610218", "", DateKind::Other, today()).unwrap().date(),
            NaiveDate::from_ymd_opt(2061, 2, 18).unwrap()
        );
        assert_eq!(
            dtm("810218", "", DateKind::Other, today()).unwrap().date(),
            NaiveDate::from_ymd_opt(1981, 2, 18).unwrap()
        );
    }

    #[test]
    fn formats() {
        assert_eq!(
            dtm("0702191540", "201", DateKind::Other, today())
                .unwrap()
                .to_string(),
            "2007-02-19 15:40:00"
        );
        assert_eq!(
            dtm("200702191540", "203", DateKind::Other, today())
                .unwrap()
                .to_string(),
            "2007-02-19 15:40:00"
        );
        assert_eq!(
            dtm("19350919", "102", DateKind::Birth, today())
                .unwrap()
                .to_string(),
            "1935-09-19 00:00:00"
        );
        assert!(dtm("0702191540", "102", DateKind::Other, today()).is_none());
        assert!(dtm("07AB19", "", DateKind::Other, today()).is_none());
        assert_eq!(
            ddmmyy("280513", DateKind::Other, today()),
            NaiveDate::from_ymd_opt(2013, 5, 28)
        );
        assert!(ddmmmyy("31FEB80", DateKind::Birth, today()).is_none());
    }
}
