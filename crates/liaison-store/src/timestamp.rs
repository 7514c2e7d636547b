//! Timestamps at the store's precision: UTC, whole microseconds (what PostgreSQL keeps).

use chrono::{DateTime, SubsecRound, Utc};

/// Drops what the databases cannot keep, so a value reads back exactly as it was handed back on write.
pub(crate) fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// RFC 3339 in UTC with exactly six fractional digits and a `Z`, e.g. `2026-03-01T08:15:00.000250Z`. Fixed
/// width, so comparing the text compares the times (SQLite stores timestamps this way), and it is the spelling
/// the audit hash covers.
pub(crate) fn to_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use chrono::{TimeZone, Timelike, Utc};

    #[test]
    fn text_is_fixed_width_and_truncated() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 1, 8, 15, 0)
            .unwrap()
            .with_nanosecond(250_999)
            .unwrap();
        assert_eq!(super::to_text(at), "2026-03-01T08:15:00.000250Z");
        assert_eq!(super::truncate(at).nanosecond(), 250_000);
        let whole = Utc.with_ymd_and_hms(2026, 3, 1, 8, 15, 0).unwrap();
        assert_eq!(super::to_text(whole), "2026-03-01T08:15:00.000000Z");
    }
}
