//! Dual criminality: the 32 offence categories of the European arrest warrant, their place in the ICCS, the
//! executing side's national offences, and whether the act is punishable there too.

use std::collections::HashSet;

use crate::{IccsCode, ValidationError};

/// The ICCS 2015 sections, by number.
pub const ICCS_SECTIONS: &[(u8, &str)] = &[
    (1, "acts leading to death or intending to cause death"),
    (
        2,
        "acts causing harm or intending to cause harm to the person",
    ),
    (3, "injurious acts of a sexual nature"),
    (
        4,
        "acts against property involving violence or threat against a person",
    ),
    (5, "acts against property only"),
    (
        6,
        "acts involving controlled drugs or other psychoactive substances",
    ),
    (7, "acts involving fraud, deception or corruption"),
    (
        8,
        "acts against public order, authority and provisions of the State",
    ),
    (9, "acts against public safety and state security"),
    (10, "acts against the natural environment"),
    (11, "other criminal acts not elsewhere classified"),
];

/// The ICCS 2015 divisions the category mapping refers to, with their names. `docs/legal.md` says which
/// were checked against published ICCS definitions and which follow the manual's structure as recorded here.
pub const ICCS_DIVISIONS: &[(&str, &str)] = &[
    ("0101", "intentional homicide"),
    ("0102", "attempted intentional homicide"),
    ("0201", "assaults and threats"),
    ("0202", "acts against liberty"),
    ("0204", "trafficking in persons"),
    ("0205", "coercion"),
    ("0210", "discrimination"),
    ("0301", "sexual violence"),
    ("0302", "sexual exploitation"),
    ("0401", "robbery"),
    ("0501", "burglary"),
    ("0502", "theft"),
    ("0503", "intellectual property offences"),
    ("0504", "property damage"),
    ("0509", "other acts against property only"),
    (
        "0601",
        "unlawful acts involving controlled drugs or precursors",
    ),
    (
        "0602",
        "unlawful acts involving alcohol, tobacco or other controlled substances",
    ),
    ("0701", "fraud"),
    ("0702", "forgery/counterfeiting"),
    ("0703", "corruption"),
    ("0704", "acts involving proceeds of crime"),
    (
        "0803",
        "acts related to freedom of expression or control of expression",
    ),
    (
        "0804",
        "acts contrary to public revenue or regulatory provisions",
    ),
    ("0805", "acts related to migration"),
    ("0807", "acts related to democratic elections"),
    (
        "0901",
        "acts involving weapons, explosives and other destructive materials",
    ),
    ("0902", "acts against health and safety"),
    ("0903", "acts against computer systems"),
    ("0904", "acts against state security"),
    ("0905", "acts related to an organized criminal group"),
    ("0906", "terrorism"),
    ("1009", "other acts against the natural environment"),
    ("1101", "acts under universal jurisdiction"),
];

/// One of the offence categories of FD 2002/584/JHA Art. 2(2), with the ICCS codes (sections, divisions or
/// classes) it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedCategory {
    /// Position in Art. 2(2), 1 to 32.
    pub number: u8,
    /// Stable identifier, such as `terrorism`.
    pub id: &'static str,
    /// The wording of the Framework Decision.
    pub name: &'static str,
    pub iccs: &'static [&'static str],
}

impl ListedCategory {
    /// Whether `code` falls under one of the category's ICCS codes.
    pub fn covers(&self, code: &IccsCode) -> bool {
        self.iccs
            .iter()
            .any(|prefix| code.as_str().starts_with(prefix))
    }
}

const fn category(
    number: u8,
    id: &'static str,
    name: &'static str,
    iccs: &'static [&'static str],
) -> ListedCategory {
    ListedCategory {
        number,
        id,
        name,
        iccs,
    }
}

/// The 32 categories of FD 2002/584/JHA Art. 2(2), in the order of the article.
pub const LISTED_CATEGORIES: &[ListedCategory] = &[
    category(
        1,
        "criminal_organisation",
        "participation in a criminal organisation",
        &["0905"],
    ),
    category(2, "terrorism", "terrorism", &["0906"]),
    category(
        3,
        "trafficking_in_human_beings",
        "trafficking in human beings",
        &["0204"],
    ),
    category(
        4,
        "child_sexual_exploitation",
        "sexual exploitation of children and child pornography",
        &["03022"],
    ),
    category(
        5,
        "drug_trafficking",
        "illicit trafficking in narcotic drugs and psychotropic substances",
        &["0601"],
    ),
    category(
        6,
        "weapons_trafficking",
        "illicit trafficking in weapons, munitions and explosives",
        &["0901"],
    ),
    category(7, "corruption", "corruption", &["0703"]),
    category(
        8,
        "fraud",
        "fraud, including that affecting the financial interests of the European Communities within the meaning of the Convention of 26 July 1995 on the protection of the European Communities' financial interests",
        &["0701", "08041"],
    ),
    category(
        9,
        "money_laundering",
        "laundering of the proceeds of crime",
        &["0704"],
    ),
    category(
        10,
        "currency_counterfeiting",
        "counterfeiting currency, including of the euro",
        &["0702"],
    ),
    category(11, "computer_crime", "computer-related crime", &["0903"]),
    category(
        12,
        "environmental_crime",
        "environmental crime, including illicit trafficking in endangered animal species and in endangered plant species and varieties",
        &["10"],
    ),
    category(
        13,
        "facilitation_of_unauthorised_entry",
        "facilitation of unauthorised entry and residence",
        &["0805"],
    ),
    category(
        14,
        "murder_grievous_bodily_injury",
        "murder, grievous bodily injury",
        &["0101", "0102", "0201"],
    ),
    category(
        15,
        "organ_trade",
        "illicit trade in human organs and tissue",
        &["0204", "0902"],
    ),
    category(
        16,
        "kidnapping",
        "kidnapping, illegal restraint and hostage-taking",
        &["0202"],
    ),
    category(
        17,
        "racism_xenophobia",
        "racism and xenophobia",
        &["0210", "0803"],
    ),
    category(
        18,
        "organised_armed_robbery",
        "organised or armed robbery",
        &["0401"],
    ),
    category(
        19,
        "cultural_goods_trafficking",
        "illicit trafficking in cultural goods, including antiques and works of art",
        &["0502", "0509", "0804"],
    ),
    category(20, "swindling", "swindling", &["0701"]),
    category(
        21,
        "racketeering_extortion",
        "racketeering and extortion",
        &["0205"],
    ),
    category(
        22,
        "product_counterfeiting",
        "counterfeiting and piracy of products",
        &["0503", "0702"],
    ),
    category(
        23,
        "document_forgery",
        "forgery of administrative documents and trafficking therein",
        &["0702"],
    ),
    category(
        24,
        "payment_means_forgery",
        "forgery of means of payment",
        &["0702"],
    ),
    category(
        25,
        "hormone_trafficking",
        "illicit trafficking in hormonal substances and other growth promoters",
        &["0602", "0902"],
    ),
    category(
        26,
        "nuclear_trafficking",
        "illicit trafficking in nuclear or radioactive materials",
        &["0901"],
    ),
    category(
        27,
        "stolen_vehicle_trafficking",
        "trafficking in stolen vehicles",
        &["0502", "0704"],
    ),
    category(28, "rape", "rape", &["0301"]),
    category(29, "arson", "arson", &["0504"]),
    category(
        30,
        "icc_crimes",
        "crimes within the jurisdiction of the International Criminal Court",
        &["1101"],
    ),
    category(
        31,
        "unlawful_seizure_of_aircraft_ships",
        "unlawful seizure of aircraft/ships",
        &["09", "1101"],
    ),
    category(32, "sabotage", "sabotage", &["0504", "0904"]),
];

/// The listed category named by its identifier (`trafficking_in_human_beings`), its number (`3`) or the
/// wording of the Framework Decision (`trafficking in human beings`, any case).
pub fn listed_category(id: &str) -> Option<&'static ListedCategory> {
    let id = id.trim();
    let as_identifier = id.to_lowercase().replace([' ', '-'], "_");
    LISTED_CATEGORIES.iter().find(|category| {
        category.id == as_identifier
            || id.parse::<u8>().ok() == Some(category.number)
            || category.name.eq_ignore_ascii_case(id)
    })
}

/// An offence of the executing side's criminal law.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalOffence {
    /// The national code, unique in a catalogue.
    pub code: String,
    pub name: String,
    /// The maximum custodial sentence in whole years.
    pub max_penalty_years: u32,
    pub iccs: IccsCode,
}

/// The executing side's national offences, each placed in the ICCS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffenceCatalogue {
    offences: Vec<NationalOffence>,
}

/// The fields of a catalogue row, in order.
pub const CATALOGUE_FIELDS: [&str; 4] = ["code", "name", "max_penalty_years", "iccs"];

impl OffenceCatalogue {
    /// Builds a catalogue from rows already split into fields (`code`, `name`, `max_penalty_years`, `iccs`;
    /// see [`CATALOGUE_FIELDS`]). Row numbers in errors count from 1.
    pub fn from_rows<R, S>(rows: impl IntoIterator<Item = R>) -> Result<Self, ValidationError>
    where
        R: AsRef<[S]>,
        S: AsRef<str>,
    {
        let mut offences = Vec::new();
        let mut codes = HashSet::new();
        for (index, row) in rows.into_iter().enumerate() {
            let row = row.as_ref();
            let number = index + 1;
            let fail = |field: &str, value: &str, reason: String| ValidationError::Format {
                what: "offence catalogue row",
                value: value.to_owned(),
                reason: format!("row {number}, field `{field}`: {reason}"),
            };
            if row.len() != CATALOGUE_FIELDS.len() {
                return Err(fail(
                    "row",
                    "",
                    format!(
                        "has {} fields, expected {} ({})",
                        row.len(),
                        CATALOGUE_FIELDS.len(),
                        CATALOGUE_FIELDS.join(", ")
                    ),
                ));
            }
            let [code, name, penalty, iccs] = [0, 1, 2, 3].map(|field| row[field].as_ref().trim());
            if code.is_empty() {
                return Err(fail("code", code, "must not be empty".to_owned()));
            }
            if name.is_empty() {
                return Err(fail("name", name, "must not be empty".to_owned()));
            }
            let max_penalty_years = penalty.parse::<u32>().map_err(|_| {
                fail(
                    "max_penalty_years",
                    penalty,
                    "is not a whole number of years".to_owned(),
                )
            })?;
            let iccs =
                IccsCode::parse(iccs).map_err(|error| fail("iccs", iccs, error.to_string()))?;
            if !codes.insert(code.to_owned()) {
                return Err(fail(
                    "code",
                    code,
                    "appears twice in the catalogue".to_owned(),
                ));
            }
            offences.push(NationalOffence {
                code: code.to_owned(),
                name: name.to_owned(),
                max_penalty_years,
                iccs,
            });
        }
        Ok(OffenceCatalogue { offences })
    }

    pub fn offences(&self) -> &[NationalOffence] {
        &self.offences
    }

    pub fn get(&self, code: &str) -> Option<&NationalOffence> {
        self.offences.iter().find(|offence| offence.code == code)
    }
}

/// The outcome of a dual criminality check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DualCriminality {
    /// A listed category punished with at least 3 years: not checked (Art. 2(2)).
    NotRequired,
    /// An offence of the executing side covers the act.
    Satisfied,
    /// No offence of the executing side covers the act.
    NotSatisfied,
    /// A person must decide: only a broad match, or facts that do not fit together.
    Review,
}

/// A dual criminality result with the reasons a reviewer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub result: DualCriminality,
    pub reasons: Vec<String>,
}

/// The threshold of Art. 2(2): listed categories are not checked from this maximum penalty upwards.
pub const LISTED_CATEGORY_MIN_YEARS: u32 = 3;

/// Whether the act described by `iccs`, punished by the issuing side with at most
/// `issuing_max_penalty_years`, and declared by the issuing side under `listed_category` (an identifier or
/// number of [`LISTED_CATEGORIES`]), needs and meets dual criminality against `executing`.
pub fn assess(
    iccs: &IccsCode,
    issuing_max_penalty_years: u32,
    listed_category: Option<&str>,
    executing: &OffenceCatalogue,
) -> Assessment {
    let mut reasons = Vec::new();
    let mut needs_review = false;
    if let Some(declared) = listed_category {
        match self::listed_category(declared) {
            None => {
                reasons.push(format!(
                    "`{declared}` is not one of the 32 categories of FD 2002/584/JHA Art. 2(2)"
                ));
                needs_review = true;
            }
            Some(category) if issuing_max_penalty_years < LISTED_CATEGORY_MIN_YEARS => {
                reasons.push(format!(
                    "listed category {} ({}) but the issuing maximum penalty is {issuing_max_penalty_years} years, under {LISTED_CATEGORY_MIN_YEARS}: dual criminality is checked",
                    category.number, category.name
                ));
            }
            Some(category) if !category.covers(iccs) => {
                reasons.push(format!(
                    "listed category {} ({}) does not usually cover ICCS {iccs} (it covers {}): check the category",
                    category.number,
                    category.name,
                    category.iccs.join(", ")
                ));
                needs_review = true;
            }
            Some(category) => {
                reasons.push(format!(
                    "listed category {} ({}) punished with {issuing_max_penalty_years} years, at least {LISTED_CATEGORY_MIN_YEARS}: dual criminality is not checked (FD 2002/584/JHA Art. 2(2))",
                    category.number, category.name
                ));
                return Assessment {
                    result: DualCriminality::NotRequired,
                    reasons,
                };
            }
        }
    }
    let division = division_of(iccs);
    let same_division: Vec<&NationalOffence> = match division {
        Some(division) => executing
            .offences
            .iter()
            .filter(|offence| division_of(&offence.iccs) == Some(division))
            .collect(),
        None => Vec::new(),
    };
    let result = if !same_division.is_empty() {
        for offence in &same_division {
            reasons.push(format!(
                "executing offence {} ({}, ICCS {}) is in the same ICCS division {}",
                offence.code,
                offence.name,
                offence.iccs,
                division.unwrap_or_default()
            ));
        }
        DualCriminality::Satisfied
    } else {
        let same_section: Vec<&NationalOffence> = executing
            .offences
            .iter()
            .filter(|offence| offence.iccs.section() == iccs.section())
            .collect();
        if same_section.is_empty() {
            reasons.push(format!(
                "no executing offence is in ICCS section {:02}",
                iccs.section()
            ));
            DualCriminality::NotSatisfied
        } else {
            for offence in &same_section {
                reasons.push(format!(
                    "executing offence {} ({}, ICCS {}) is only in the same ICCS section {:02}: compare the elements of the offences",
                    offence.code,
                    offence.name,
                    offence.iccs,
                    iccs.section()
                ));
            }
            DualCriminality::Review
        }
    };
    let result = if needs_review && result != DualCriminality::NotSatisfied {
        DualCriminality::Review
    } else {
        result
    };
    Assessment { result, reasons }
}

/// The division (first four digits) of a code, when it has one.
fn division_of(code: &IccsCode) -> Option<&str> {
    code.as_str().get(..4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(value: &str) -> IccsCode {
        IccsCode::parse(value).unwrap()
    }

    fn catalogue() -> OffenceCatalogue {
        OffenceCatalogue::from_rows([
            ["SE-3-1", "murder", "99", "0101"],
            ["SE-9-1", "theft", "2", "0502"],
            ["SE-9-5", "fraud", "2", "07011"],
            ["SE-16-10a", "drug offence", "10", "0601"],
        ])
        .unwrap()
    }

    #[test]
    fn table() {
        use DualCriminality::*;
        let catalogue = catalogue();
        let cases: &[(&str, u32, Option<&str>, DualCriminality)] = &[
            // listed, at least 3 years
            ("0906", 10, Some("terrorism"), NotRequired),
            ("0906", 3, Some("2"), NotRequired),
            ("030221", 5, Some("child_sexual_exploitation"), NotRequired),
            // listed but under 3 years: checked; no terrorism offence in the catalogue
            ("0906", 2, Some("terrorism"), NotSatisfied),
            // listed but under 3 years: checked; same division
            ("07012", 2, Some("swindling"), Satisfied),
            // listed, but the category does not fit the act: a person looks at it
            ("0101", 10, Some("arson"), Review),
            ("0101", 10, Some("no_such_category"), Review),
            // not listed: same division
            ("0101", 1, None, Satisfied),
            ("010101", 1, None, Satisfied),
            ("0601", 1, None, Satisfied),
            // same section only
            ("0503", 1, None, Review),
            ("05", 1, None, Review),
            ("0702", 5, None, Review),
            // nothing in the section
            ("0906", 8, None, NotSatisfied),
            ("1001", 4, None, NotSatisfied),
            ("0301", 2, Some("rape"), NotSatisfied),
            ("0301", 2, Some("banana"), NotSatisfied),
        ];
        for (iccs, years, category, expected) in cases {
            let assessment = assess(&code(iccs), *years, *category, &catalogue);
            assert_eq!(
                assessment.result, *expected,
                "{iccs} {years} {category:?}: {assessment:?}"
            );
            assert!(!assessment.reasons.is_empty());
        }
    }

    #[test]
    fn reasons_name_the_offence_and_the_rule() {
        let assessment = assess(&code("0502"), 1, None, &catalogue());
        assert_eq!(
            assessment.reasons,
            ["executing offence SE-9-1 (theft, ICCS 0502) is in the same ICCS division 0502"]
        );
        let assessment = assess(&code("0906"), 8, Some("terrorism"), &catalogue());
        assert!(
            assessment.reasons[0].contains("Art. 2(2)"),
            "{assessment:?}"
        );
    }

    #[test]
    fn the_32_categories_are_well_formed() {
        assert_eq!(LISTED_CATEGORIES.len(), 32);
        let mut ids = HashSet::new();
        for (index, category) in LISTED_CATEGORIES.iter().enumerate() {
            assert_eq!(usize::from(category.number), index + 1, "{}", category.id);
            assert!(ids.insert(category.id), "{}", category.id);
            assert!(!category.iccs.is_empty(), "{}", category.id);
            for prefix in category.iccs {
                let parsed = IccsCode::parse(prefix).unwrap();
                let known = prefix.len() == 2
                    || ICCS_DIVISIONS
                        .iter()
                        .any(|(division, _)| prefix.starts_with(division));
                assert!(
                    known,
                    "{} maps to {prefix}, which is not a listed division",
                    category.id
                );
                assert!(category.covers(&parsed));
            }
            assert_eq!(listed_category(category.id), Some(category));
            assert_eq!(
                listed_category(&category.number.to_string()),
                Some(category)
            );
        }
        assert_eq!(ICCS_SECTIONS.len(), 11);
        for (division, _) in ICCS_DIVISIONS {
            assert!(IccsCode::parse(division).is_ok(), "{division}");
        }
        assert_eq!(listed_category("33"), None);
        // The wording of the Framework Decision, as a form or an API client writes it.
        assert_eq!(
            listed_category("Trafficking in human beings"),
            listed_category("3")
        );
        assert_eq!(
            listed_category("trafficking-in-human-beings"),
            listed_category("3")
        );
    }

    #[test]
    fn catalogue_rows_are_checked_field_by_field() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["A", "murder", "99"],
                "row 1, field `row`: has 3 fields, expected 4",
            ),
            (
                &["", "murder", "99", "0101"],
                "row 1, field `code`: must not be empty",
            ),
            (
                &["A", " ", "99", "0101"],
                "row 1, field `name`: must not be empty",
            ),
            (
                &["A", "murder", "life", "0101"],
                "row 1, field `max_penalty_years`: is not a whole number of years",
            ),
            (
                &["A", "murder", "-1", "0101"],
                "row 1, field `max_penalty_years`",
            ),
            (
                &["A", "murder", "99", "0100"],
                "row 1, field `iccs`: `0100` is not a valid ICCS offence code",
            ),
        ];
        for (row, expected) in cases {
            let error = OffenceCatalogue::from_rows([row]).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
        let error = OffenceCatalogue::from_rows([["A", "x", "1", "01"], ["A", "y", "1", "02"]])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("row 2, field `code`: appears twice"),
            "{error}"
        );
        let catalogue =
            OffenceCatalogue::from_rows([[" A ", " murder ", " 99 ", " 0101 "]]).unwrap();
        assert_eq!(
            catalogue
                .get("A")
                .map(|o| (o.name.as_str(), o.max_penalty_years)),
            Some(("murder", 99))
        );
        assert_eq!(catalogue.offences().len(), 1);
        let empty: [[&str; 4]; 0] = [];
        assert!(
            OffenceCatalogue::from_rows(empty)
                .unwrap()
                .offences()
                .is_empty()
        );
    }
}
