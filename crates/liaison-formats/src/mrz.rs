//! ICAO Doc 9303 machine-readable zones: reading (with OCR tolerance and every correction listed) and writing
//! (check digits, the name field with the ICAO truncation rules) of TD1, TD2, TD3, MRV-A and MRV-B, and the
//! French national identity card issued before 2021.
//!
//! See `docs/formats-mrz.md` for what is accepted, which corrections are made and which errors are given.

mod check;
mod generate;
mod layout;
mod name;
mod parse;

use chrono::{Datelike, NaiveDate};

use crate::Diagnostic;

pub use check::check_digit;
pub use generate::generate;
pub use name::{name_components, name_field};
pub use parse::{MAX_INPUT_BYTES, parse};

/// The layout of a machine-readable zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzFormat {
    /// ID-1 size card: 3 lines of 30 characters (Doc 9303 Part 5).
    Td1,
    /// ID-2 size card: 2 lines of 36 characters (Part 6).
    Td2,
    /// Passport booklet: 2 lines of 44 characters (Part 4).
    Td3,
    /// Full-page visa: 2 lines of 44 characters, no composite check digit (Part 7).
    MrvA,
    /// Smaller visa: 2 lines of 36 characters, no composite check digit (Part 7).
    MrvB,
    /// The French national identity card issued from 1988 to 2021: 2 lines of 36 characters in a national
    /// layout that is not ICAO TD2 (given names on line 2, no expiry date).
    FraNationalId,
}

impl MrzFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [MrzFormat; 6] = [
        MrzFormat::Td1,
        MrzFormat::Td2,
        MrzFormat::Td3,
        MrzFormat::MrvA,
        MrzFormat::MrvB,
        MrzFormat::FraNationalId,
    ];

    /// `TD1`, `TD2`, `TD3`, `MRVA`, `MRVB` or `FRA_ID`.
    pub fn as_str(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
            MrzFormat::MrvA => "MRVA",
            MrzFormat::MrvB => "MRVB",
            MrzFormat::FraNationalId => "FRA_ID",
        }
    }

    /// The spelling of [`MrzFormat::as_str`] (any case; `MRV-A`, `MRV-B` accepted too).
    pub fn parse(text: &str) -> Option<MrzFormat> {
        match text.to_ascii_uppercase().replace('-', "").as_str() {
            "TD1" => Some(MrzFormat::Td1),
            "TD2" => Some(MrzFormat::Td2),
            "TD3" => Some(MrzFormat::Td3),
            "MRVA" => Some(MrzFormat::MrvA),
            "MRVB" => Some(MrzFormat::MrvB),
            "FRA_ID" | "FRAID" => Some(MrzFormat::FraNationalId),
            _ => None,
        }
    }

    /// Number of lines.
    pub fn line_count(self) -> usize {
        layout::of(self).lines
    }

    /// Characters per line.
    pub fn line_length(self) -> usize {
        layout::of(self).width
    }
}

/// What goes into a machine-readable zone; the input of [`generate`].
///
/// Text fields are upper-cased; names may carry Latin diacritics (mapped by the Doc 9303 Part 3 table),
/// spaces, hyphens and apostrophes, and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzFields {
    pub format: MrzFormat,
    /// `P`, `PD`, `I`, `ID`, `AC`, `V`... (MRV formats need a code starting with `V`, and no other format
    /// may use one, because that is how a reader tells them apart).
    pub document_code: String,
    /// Three letters, or `D` for Germany (written `D<<`).
    pub issuing_state: String,
    /// The primary identifier; space separated components.
    pub surname: String,
    /// The secondary identifier; space separated components.
    pub given_names: String,
    /// Up to 9 characters; TD1 and TD2 take longer numbers by the Doc 9303 overflow rule.
    pub document_number: String,
    /// Three letters, `D`, or empty (written `<<<`).
    pub nationality: String,
    /// `None` writes `<<<<<<` (unknown).
    pub birth_date: Option<NaiveDate>,
    /// `M`, `F`, `X`; `None` writes `<`.
    pub sex: Option<char>,
    /// `None` writes `<<<<<<`. Not written in the French identity card (no such field).
    pub expiry_date: Option<NaiveDate>,
    /// TD1 line 1 optional data; the personal number of TD2/TD3; the optional data of visas; the
    /// administrative code (department and office) of the French identity card.
    pub optional_data: String,
    /// TD1 line 2 optional data; empty elsewhere.
    pub optional_data_2: String,
}

/// How to read a machine-readable zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MrzOptions {
    /// The day of reading: two-digit years are placed in a century relative to it.
    pub today: NaiveDate,
    /// Fix characters that OCR confuses (`O`/`0`, `I`/`1`...) where the field type or a check digit says
    /// which is right. Every change is listed in [`Mrz::corrections`].
    pub correct_ocr: bool,
}

impl MrzOptions {
    pub fn new(today: NaiveDate) -> MrzOptions {
        MrzOptions {
            today,
            correct_ocr: true,
        }
    }
}

/// One check digit of the zone, as computed and as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzCheck {
    /// `document_number`, `birth_date`, `expiry_date`, `optional_data` (the TD3 personal number) or
    /// `composite`.
    pub field: &'static str,
    pub ok: bool,
    /// The digit computed from the data (7-3-1).
    pub expected: char,
    /// The character in the check digit position (after OCR corrections).
    pub found: char,
    /// 1-based line and column of the check digit in the zone.
    pub line: u32,
    pub column: u32,
}

/// A character of the input that the reader changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// 1-based line and column in the zone.
    pub line: u32,
    pub column: u32,
    /// 0-based byte offset in the input text.
    pub byte_offset: usize,
    pub from: char,
    pub to: char,
    /// The field the character belongs to (`birth_date`, `name`, `document_number check digit`...).
    pub field: &'static str,
    pub reason: String,
}

/// A machine-readable zone as read.
///
/// Text fields are decoded: fillers at the end removed, `<` inside names read as spaces. The raw dates keep
/// what was printed so that a partly unknown date (`74<<<<`) is not lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    pub format: MrzFormat,
    /// The zone as read, one string per line, after corrections.
    pub lines: Vec<String>,
    /// `P`, `ID`, `V`... (trailing filler removed).
    pub document_code: String,
    /// `UTO`, `D`...
    pub issuing_state: String,
    /// The name field as printed (`ERIKSSON<<ANNA<MARIA<<<<`); for the French card, line 1 surname and
    /// line 2 given names joined by `<<`.
    pub name_field: String,
    pub surname: String,
    pub given_names: String,
    /// The whole number, including the part that TD1/TD2 carry in the optional data when it is long.
    pub document_number: String,
    pub nationality: String,
    pub birth_date: Option<NaiveDate>,
    /// `YYMMDD` as printed.
    pub birth_date_raw: String,
    /// `M`, `F`, `X`, or whatever else was printed; `None` for `<`.
    pub sex: Option<char>,
    pub expiry_date: Option<NaiveDate>,
    /// `YYMMDD` as printed; empty for formats without an expiry date.
    pub expiry_date_raw: String,
    /// Optional data / personal number, trailing fillers removed (for a long TD1/TD2 number: what follows
    /// the number's overflow and its check digit).
    pub optional_data: String,
    /// TD1 line 2 optional data.
    pub optional_data_2: String,
    pub checks: Vec<MrzCheck>,
    pub corrections: Vec<Correction>,
    /// Things that do not fail a check but deserve a look (a date that is not a date, a full name field
    /// that may be truncated, a national deviation).
    pub warnings: Vec<Diagnostic>,
}

impl Mrz {
    /// Every check digit agrees, every date that is filled in is a real date, and the sex is `M`, `F`, `X`
    /// or unknown.
    pub fn valid(&self) -> bool {
        self.checks.iter().all(|check| check.ok)
            && date_is_sound(&self.birth_date_raw, self.birth_date)
            && date_is_sound(&self.expiry_date_raw, self.expiry_date)
            && self.sex.is_none_or(|sex| matches!(sex, 'M' | 'F' | 'X'))
    }

    /// The document expired before `today` (a document is valid on its expiry day).
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.expiry_date.is_some_and(|expiry| expiry < today)
    }

    /// The fields as [`generate`] takes them, so a zone can be written again (for example after
    /// corrections).
    pub fn to_fields(&self) -> MrzFields {
        MrzFields {
            format: self.format,
            document_code: self.document_code.clone(),
            issuing_state: self.issuing_state.clone(),
            surname: self.surname.clone(),
            given_names: self.given_names.clone(),
            document_number: self.document_number.clone(),
            nationality: self.nationality.clone(),
            birth_date: self.birth_date,
            sex: self.sex,
            expiry_date: self.expiry_date,
            optional_data: self.optional_data.clone(),
            optional_data_2: self.optional_data_2.clone(),
        }
    }
}

/// A date field is sound when it is unknown in part (fillers), empty, or a real date.
fn date_is_sound(raw: &str, date: Option<NaiveDate>) -> bool {
    date.is_some()
        || raw.is_empty()
        || raw.contains('<') && raw.bytes().all(|b| b == b'<' || b.is_ascii_digit())
}

/// `YYMMDD` of a date.
pub(crate) fn yymmdd(date: NaiveDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year().rem_euclid(100),
        date.month(),
        date.day()
    )
}
