//! What every part of a scenario shares: the configuration, the countries, the name lists, the salts that
//! make identifiers differ between seeds, and small helpers for dates and record ids.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use liaison_matching::eval::names::NameData;
use liaison_matching::eval::rng::SplitMix64;

use crate::data::NameLists;
use crate::locale::{LOCALES, LocaleProfile};
use crate::{ScenarioConfig, ScenarioError};

/// One country of a scenario and where its records are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryInfo {
    /// 0 for the first country.
    pub index: usize,
    /// `XAA`, `XBB`, ... (user-assigned codes, valid as `liaison_core::CountryCode`).
    pub code: String,
    /// `node-xaa`, ...
    pub node_id: String,
    /// The locale its people's names are drawn from (`ru_RU`).
    pub locale: String,
    /// The script of its people's names (`cyrillic`, `arabic`, `latin`, ...).
    pub script: String,
    /// The Liaison JSON Lines file of its records, relative to the scenario directory.
    pub records_file: PathBuf,
    /// IATA-style codes of its two airports (fictional: `QAA`, `QAB` for the first country).
    pub airports: [String; 2],
    /// Its airline's two-letter code (fictional: `AQ` for the first country).
    pub carrier: String,
}

/// The countries of a configuration, in order: codes `XAA`, `XBB`, ... and locales from the Cyrillic,
/// Arabic and Latin ones on.
pub fn countries(config: &ScenarioConfig) -> Result<Vec<CountryInfo>, ScenarioError> {
    config.validate()?;
    Ok(LOCALES
        .iter()
        .take(config.countries)
        .enumerate()
        .map(|(index, profile)| {
            let letter = char::from(b'A' + index as u8);
            let code = format!("X{letter}{letter}");
            let lower = code.to_ascii_lowercase();
            CountryInfo {
                index,
                node_id: format!("node-{lower}"),
                locale: profile.id.to_owned(),
                script: profile.script.to_owned(),
                records_file: PathBuf::from("records").join(format!("{lower}.jsonl")),
                airports: [format!("Q{letter}A"), format!("Q{letter}B")],
                carrier: format!("{letter}Q"),
                code,
            }
        })
        .collect())
}

pub(crate) struct World {
    pub seed: u64,
    pub today: NaiveDate,
    pub persons: usize,
    pub countries: Vec<CountryInfo>,
    pub names: NameLists,
    pub wiki: NameData,
    /// Salt of document numbers, plates and phones, so two seeds do not share numbers.
    pub salt: u64,
    /// Digits of person ids in each country file.
    pub id_width: Vec<usize>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("seed", &self.seed)
            .field("countries", &self.countries.len())
            .finish_non_exhaustive()
    }
}

impl World {
    pub fn new(config: &ScenarioConfig) -> Result<Self, ScenarioError> {
        let countries = countries(config)?;
        let mut rng = SplitMix64::new(config.seed).fork(0x5341_4C54);
        Ok(World {
            seed: config.seed,
            today: config.exercise_date,
            persons: config.persons_per_country,
            id_width: vec![6; countries.len()],
            countries,
            names: NameLists::load(config.seed)?,
            wiki: NameData::bundled(),
            salt: rng.next_u64(),
        })
    }

    pub fn rng(&self, purpose: u64) -> SplitMix64 {
        SplitMix64::new(self.seed).fork(purpose)
    }

    pub fn profile(&self, locale: usize) -> &'static LocaleProfile {
        &LOCALES[locale % LOCALES.len()]
    }

    pub fn code(&self, country: usize) -> &str {
        self.countries
            .get(country)
            .map(|c| c.code.as_str())
            .unwrap_or("XXX")
    }

    pub fn node(&self, country: usize) -> &str {
        self.countries
            .get(country)
            .map(|c| c.node_id.as_str())
            .unwrap_or("")
    }

    /// Appends a record id: a one- or two-letter prefix, the slot number (1-based, zero-padded), a suffix.
    pub fn push_id(
        &self,
        out: &mut String,
        country: usize,
        prefix: &str,
        slot: usize,
        suffix: &str,
    ) {
        let width = self.id_width.get(country).copied().unwrap_or(6);
        let _ = write!(out, "{prefix}{:0width$}{suffix}", slot + 1);
    }

    /// A retention date no earlier than five years after the exercise day: importing refuses records whose
    /// retention has passed, and a scenario must stay importable for a while after it is generated.
    pub fn retain(&self, date: NaiveDate) -> NaiveDate {
        date.max(add_years(self.today, 5))
    }

    pub fn id(&self, country: usize, prefix: &str, slot: usize, suffix: &str) -> String {
        let mut out = String::with_capacity(12);
        self.push_id(&mut out, country, prefix, slot, suffix);
        out
    }
}

pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
            .unwrap_or(date)
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(date)
    }
}

/// The same day `years` later (28 February for 29 February in a common year).
pub(crate) fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let year = date.year() + years;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .unwrap_or(date)
}

/// Whole years between a date of birth and `today`.
pub(crate) fn age(dob: NaiveDate, today: NaiveDate) -> i32 {
    let mut years = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}
