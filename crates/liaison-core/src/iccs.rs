//! UNODC International Classification of Crime for Statistical Purposes (ICCS 2015) offence codes.

use crate::ValidationError;

/// An ICCS code: a section (`01`..`11`) and optionally a division, group and class (2, 4, 5 or 6 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IccsCode(String);

impl IccsCode {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let fail = |reason: &str| ValidationError::Iccs {
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail("only digits are allowed"));
        }
        if !matches!(value.len(), 2 | 4 | 5 | 6) {
            return Err(fail(
                "a code has 2 (section), 4 (division), 5 (group) or 6 (class) digits",
            ));
        }
        let section: u8 = value[..2]
            .parse()
            .map_err(|_| fail("the section is not a number"))?;
        if !(1..=11).contains(&section) {
            return Err(fail("the section (first two digits) must be 01 to 11"));
        }
        if value.len() >= 4 && &value[2..4] == "00" {
            return Err(fail("division 00 does not exist"));
        }
        Ok(IccsCode(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The section number, 1 to 11.
    pub fn section(&self) -> u8 {
        self.0[..2].parse().unwrap_or(11)
    }
}

impl std::fmt::Display for IccsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_codes() {
        for code in ["01", "0204", "02011", "090511", "11", "0601"] {
            assert!(IccsCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(IccsCode::parse("0204").map(|c| c.section()), Ok(2));
    }

    #[test]
    fn invalid_codes() {
        for code in [
            "", "1", "123", "1201", "0001", "0100", "02a4", "0204111", " 0204",
        ] {
            assert!(IccsCode::parse(code).is_err(), "{code}");
        }
    }
}
