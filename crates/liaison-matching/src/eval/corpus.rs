//! A seeded generator of a labelled screening corpus: a watchlist of persons (names in their native script,
//! dates of birth, sex, nationalities, passports) among many unrelated distractors, and queries with ground
//! truth, as a border sees them: true matches written the way real documents and bookings write them
//! (transliteration schemes, typos, OCR errors, dropped patronymics, swapped order, initials, truncated MRZ
//! names, wrong or partial dates of birth, another nationality), hard non-matches (namesakes, siblings,
//! names one edit apart) and random travellers, most of whom are on no list.
//!
//! Deterministic for a seed. Names come from `data/names` (Faker's 85 locales and Wikidata Latin↔native
//! pairs); romanisations from the generator's own tables (`romanize`), never from the engine's.

use std::collections::{HashMap, HashSet};

use liaison_core::{CountryCode, PartialDate, RecordType, Sex};

use super::names::{NameData, WikiPair, WikiScript};
use super::rng::{SplitMix64, Zipf};
use super::romanize::{self, Language, Scheme};
use crate::{DocumentKey, IndexedPerson, NameInput, Query};

/// The writing system of a person's own name (per-script figures are broken down by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Han,
    Kana,
    Hangul,
    Georgian,
    Armenian,
    Thai,
    Indic,
}

impl Script {
    pub const ALL: [Script; 12] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Arabic,
        Script::Hebrew,
        Script::Han,
        Script::Kana,
        Script::Hangul,
        Script::Georgian,
        Script::Armenian,
        Script::Thai,
        Script::Indic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Cyrillic => "cyrillic",
            Script::Greek => "greek",
            Script::Arabic => "arabic",
            Script::Hebrew => "hebrew",
            Script::Han => "han",
            Script::Kana => "kana",
            Script::Hangul => "hangul",
            Script::Georgian => "georgian",
            Script::Armenian => "armenian",
            Script::Thai => "thai",
            Script::Indic => "indic",
        }
    }
}

/// What a query is, by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryKind {
    /// The traveller is a watchlist person.
    TrueMatch,
    /// The traveller is someone else who resembles a watchlist person (namesake, sibling, one edit away).
    HardNonMatch,
    /// A traveller on no list.
    RandomNonMatch,
}

impl QueryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QueryKind::TrueMatch => "true_match",
            QueryKind::HardNonMatch => "hard_non_match",
            QueryKind::RandomNonMatch => "random_non_match",
        }
    }
}

/// How a query differs from the watchlist record (for true matches) or how a hard non-match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variation {
    /// The name as recorded, up to letter case.
    Exact,
    /// The query is in the record's native script.
    NativeScript,
    /// ICAO 9303 or the national passport standard (ELOT 743, Pinyin, Wade-Giles in Taiwan, RR, ...).
    TranslitIcao,
    /// English-language usage: BGN/PCGN, popular spellings, customary Korean surnames.
    TranslitPopular,
    TranslitGerman,
    TranslitFrench,
    /// A spelling that Wikidata records for this native token.
    TranslitWikidata,
    /// Diacritics dropped or expanded (ICAO "Ü" → "UE").
    DiacriticsFolded,
    Typo,
    /// OCR confusion reading a machine-readable zone ("O" → "0", "M" → "N").
    Ocr,
    /// The record has a patronymic or second given name that the query lacks.
    MiddleDropped,
    /// The query has a patronymic or second given name that the record lacks.
    MiddleAdded,
    /// One of two family names (Spanish-style) left out.
    FamilyPartDropped,
    OrderSwapped,
    Initials,
    /// Hyphen, space or apostrophe inside a name part written differently ("Jean-Marc" → "JEAN MARC").
    Compound,
    /// Written as an MRZ name field, `FAMILY<<GIVEN<NAMES`.
    MrzFormat,
    /// MRZ name field cut at 30 (TD1) or 39 (TD3) characters.
    MrzTruncated,
    DobYearOff,
    DobDayMonthSwapped,
    DobDigitTypo,
    /// The query gives only the year or year and month.
    DobPartial,
    DobMissing,
    /// The record holds only part of the date of birth.
    DobPartialRecord,
    /// The record holds no date of birth.
    DobMissingRecord,
    /// The query's nationality is another one the person holds, or another code for it.
    NationalityOther,
    NationalityMissing,
    /// The query carries the passport number the record holds.
    Document,
    /// ... with an OCR confusion in it.
    DocumentOcr,
    /// The person is on the watchlist twice (two agencies' records).
    DuplicateRecord,
    /// Hard non-match: same name, another date of birth.
    HardNamesake,
    /// Hard non-match: same family name, another given name and date of birth.
    HardSibling,
    /// Hard non-match: a name one edit away, another date of birth.
    HardOneEdit,
}

impl Variation {
    pub fn as_str(self) -> &'static str {
        match self {
            Variation::Exact => "exact",
            Variation::NativeScript => "native_script",
            Variation::TranslitIcao => "translit_icao",
            Variation::TranslitPopular => "translit_popular",
            Variation::TranslitGerman => "translit_german",
            Variation::TranslitFrench => "translit_french",
            Variation::TranslitWikidata => "translit_wikidata",
            Variation::DiacriticsFolded => "diacritics_folded",
            Variation::Typo => "typo",
            Variation::Ocr => "ocr",
            Variation::MiddleDropped => "middle_dropped",
            Variation::MiddleAdded => "middle_added",
            Variation::FamilyPartDropped => "family_part_dropped",
            Variation::OrderSwapped => "order_swapped",
            Variation::Initials => "initials",
            Variation::Compound => "compound",
            Variation::MrzFormat => "mrz_format",
            Variation::MrzTruncated => "mrz_truncated",
            Variation::DobYearOff => "dob_year_off",
            Variation::DobDayMonthSwapped => "dob_day_month_swapped",
            Variation::DobDigitTypo => "dob_digit_typo",
            Variation::DobPartial => "dob_partial",
            Variation::DobMissing => "dob_missing",
            Variation::DobPartialRecord => "dob_partial_record",
            Variation::DobMissingRecord => "dob_missing_record",
            Variation::NationalityOther => "nationality_other",
            Variation::NationalityMissing => "nationality_missing",
            Variation::Document => "document",
            Variation::DocumentOcr => "document_ocr",
            Variation::DuplicateRecord => "duplicate_record",
            Variation::HardNamesake => "hard_namesake",
            Variation::HardSibling => "hard_sibling",
            Variation::HardOneEdit => "hard_one_edit",
        }
    }

    /// Variations of the name itself (the rest concern dates, nationality, documents and construction).
    pub fn is_name_variation(self) -> bool {
        matches!(
            self,
            Variation::NativeScript
                | Variation::TranslitIcao
                | Variation::TranslitPopular
                | Variation::TranslitGerman
                | Variation::TranslitFrench
                | Variation::TranslitWikidata
                | Variation::DiacriticsFolded
                | Variation::Typo
                | Variation::Ocr
                | Variation::MiddleDropped
                | Variation::MiddleAdded
                | Variation::FamilyPartDropped
                | Variation::OrderSwapped
                | Variation::Initials
                | Variation::Compound
                | Variation::MrzFormat
                | Variation::MrzTruncated
        )
    }
}

/// A query with its ground truth.
#[derive(Debug, Clone)]
pub struct LabelledQuery {
    pub query: Query,
    /// The watchlist ids of the traveller's own records; empty when the traveller is on no list.
    pub truth: Vec<String>,
    pub kind: QueryKind,
    /// The script of the traveller's own name.
    pub script: Script,
    /// True when the query's name is in a script that none of the compared record's names uses (for a
    /// non-match: the record it imitates, or the traveller's own script).
    pub cross_script: bool,
    pub variations: Vec<Variation>,
    /// For a hard non-match, the watchlist record it resembles.
    pub resembles: Option<String>,
}

/// Sizes and shares of the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusConfig {
    pub seed: u64,
    /// Watchlist persons (duplicate records of a few of them come on top).
    pub watchlist: usize,
    pub queries: usize,
    /// Share of queries whose traveller is on the watchlist.
    pub true_match_share: f64,
    /// Share of queries that are hard non-matches; the rest are random travellers.
    pub hard_non_match_share: f64,
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig {
            seed: 9303,
            watchlist: 20_000,
            queries: 20_000,
            true_match_share: 0.2,
            hard_non_match_share: 0.2,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub config: CorpusConfig,
    pub watchlist: Vec<IndexedPerson>,
    pub queries: Vec<LabelledQuery>,
}

/// Where a profile's names come from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Faker(&'static str),
    /// Native-script names from one Wikidata pair file, with their Latin spellings.
    Wikidata(WikiScript),
    /// The Latin sides of all Wikidata pairs: real given and family names of many origins.
    WikidataLatin,
}

/// A population the generator draws persons from.
#[derive(Debug)]
struct Profile {
    source: Source,
    script: Script,
    language: Language,
    countries: &'static [&'static str],
    /// Relative share of the population.
    weight: f64,
    /// Family name first in the native writing (Chinese, Japanese, Korean, Hungarian, Vietnamese).
    family_first: bool,
    /// Wikidata spellings of native tokens, where the script has a pair file.
    wiki: Option<WikiScript>,
}

const fn faker(
    locale: &'static str,
    script: Script,
    language: Language,
    countries: &'static [&'static str],
    weight: f64,
) -> Profile {
    let wiki = match language {
        Language::Russian | Language::Ukrainian | Language::Bulgarian | Language::Macedonian => {
            Some(WikiScript::Russian)
        }
        Language::Arabic | Language::ArabicMaghreb | Language::Persian => Some(WikiScript::Arabic),
        Language::Hebrew => Some(WikiScript::Hebrew),
        Language::Korean => Some(WikiScript::Korean),
        _ => None,
    };
    Profile {
        source: Source::Faker(locale),
        script,
        language,
        countries,
        weight,
        family_first: false,
        wiki,
    }
}

const fn family_first(mut profile: Profile) -> Profile {
    profile.family_first = true;
    profile
}

const BROAD_COUNTRIES: &[&str] = &[
    "USA", "GBR", "DEU", "FRA", "ITA", "ESP", "NLD", "POL", "SWE", "CAN", "AUS", "BRA", "JPN",
    "RUS", "EGY", "ISR", "CHN", "KOR", "IRL", "AUT", "CHE", "BEL", "ARG", "MEX", "TUR",
];

const fn wikidata(wiki: WikiScript, script: Script, weight: f64) -> Profile {
    Profile {
        source: Source::Wikidata(wiki),
        script,
        language: Language::Other,
        countries: BROAD_COUNTRIES,
        weight,
        family_first: false,
        wiki: Some(wiki),
    }
}

use Language as L;
use Script as S;

/// The population: every Faker locale (Latin-script ones weigh 1 each), Wikidata persons in six native
/// scripts, and Wikidata's Latin names. Non-Latin scripts are weighted up so that the cross-script figures
/// rest on hundreds of queries. A Faker locale gives at most a quarter of its name pairs to the watchlist
/// (`Generator::caps`); what the small pools cannot give, the Wikidata profiles fill.
const PROFILES: &[Profile] = &[
    faker(
        "ar_AA",
        S::Arabic,
        L::Arabic,
        &["EGY", "JOR", "LBN", "SYR", "IRQ", "ARE"],
        3.0,
    ),
    faker("ar_DZ", S::Arabic, L::ArabicMaghreb, &["DZA"], 3.0),
    faker("ar_PS", S::Arabic, L::Arabic, &["PSE", "JOR"], 2.0),
    faker("ar_SA", S::Arabic, L::Arabic, &["SAU"], 3.0),
    faker("fa_IR", S::Arabic, L::Persian, &["IRN"], 3.0),
    faker("az_AZ", S::Latin, L::Other, &["AZE"], 1.0),
    faker("bg_BG", S::Cyrillic, L::Bulgarian, &["BGR"], 2.0),
    faker("bn_BD", S::Indic, L::Other, &["BGD"], 1.0),
    faker("cs_CZ", S::Latin, L::Other, &["CZE"], 1.0),
    faker("da_DK", S::Latin, L::Other, &["DNK"], 1.0),
    faker("de_AT", S::Latin, L::Other, &["AUT"], 1.0),
    faker("de_CH", S::Latin, L::Other, &["CHE"], 1.0),
    faker("de_DE", S::Latin, L::Other, &["DEU"], 1.0),
    faker("de_LI", S::Latin, L::Other, &["LIE"], 1.0),
    faker("de_LU", S::Latin, L::Other, &["LUX"], 1.0),
    faker("el_GR", S::Greek, L::Greek, &["GRC", "CYP"], 2.0),
    faker("en", S::Latin, L::Other, &["USA", "GBR", "CAN", "AUS"], 1.0),
    faker("en_GB", S::Latin, L::Other, &["GBR"], 1.0),
    faker("en_IE", S::Latin, L::Other, &["IRL"], 1.0),
    faker("en_IN", S::Latin, L::Other, &["IND"], 1.0),
    faker("en_KE", S::Latin, L::Other, &["KEN"], 1.0),
    faker("en_NG", S::Latin, L::Other, &["NGA"], 1.0),
    faker("en_NZ", S::Latin, L::Other, &["NZL"], 1.0),
    faker("en_PK", S::Latin, L::Other, &["PAK"], 1.0),
    faker("en_TH", S::Latin, L::Other, &["THA"], 1.0),
    faker("en_US", S::Latin, L::Other, &["USA"], 1.0),
    faker("es", S::Latin, L::Other, &["ESP"], 1.0),
    faker("es_AR", S::Latin, L::Other, &["ARG"], 1.0),
    faker("es_CA", S::Latin, L::Other, &["ESP"], 1.0),
    faker("es_CL", S::Latin, L::Other, &["CHL"], 1.0),
    faker("es_CO", S::Latin, L::Other, &["COL"], 1.0),
    faker("es_ES", S::Latin, L::Other, &["ESP"], 1.0),
    faker("es_MX", S::Latin, L::Other, &["MEX"], 1.0),
    faker("et_EE", S::Latin, L::Other, &["EST"], 1.0),
    faker("fi_FI", S::Latin, L::Other, &["FIN"], 1.0),
    faker("fr_BE", S::Latin, L::Other, &["BEL"], 1.0),
    faker("fr_CA", S::Latin, L::Other, &["CAN"], 1.0),
    faker("fr_CH", S::Latin, L::Other, &["CHE"], 1.0),
    faker("fr_DZ", S::Latin, L::Other, &["DZA", "FRA"], 1.0),
    faker("fr_FR", S::Latin, L::Other, &["FRA"], 1.0),
    faker("ga_IE", S::Latin, L::Other, &["IRL"], 1.0),
    faker("gu_IN", S::Indic, L::Other, &["IND"], 0.5),
    faker("ha_NG", S::Latin, L::Other, &["NGA"], 1.0),
    faker("he_IL", S::Hebrew, L::Hebrew, &["ISR"], 2.0),
    faker("hi_IN", S::Indic, L::Other, &["IND"], 1.0),
    faker("hr_HR", S::Latin, L::Other, &["HRV"], 1.0),
    family_first(faker("hu_HU", S::Latin, L::Other, &["HUN"], 1.0)),
    faker("hy_AM", S::Armenian, L::Armenian, &["ARM"], 1.5),
    faker("id_ID", S::Latin, L::Other, &["IDN"], 1.0),
    faker("ig_NG", S::Latin, L::Other, &["NGA"], 1.0),
    faker("is_IS", S::Latin, L::Other, &["ISL"], 1.0),
    faker("it_IT", S::Latin, L::Other, &["ITA"], 1.0),
    family_first(faker("ja_JP", S::Han, L::Other, &["JPN"], 1.0)),
    faker("ka_GE", S::Georgian, L::Georgian, &["GEO"], 1.5),
    family_first(faker("ko_KR", S::Hangul, L::Korean, &["KOR"], 2.0)),
    faker("lt_LT", S::Latin, L::Other, &["LTU"], 1.0),
    faker("lv_LV", S::Latin, L::Other, &["LVA"], 1.0),
    faker("mk_MK", S::Cyrillic, L::Macedonian, &["MKD"], 1.5),
    faker("mr_IN", S::Indic, L::Other, &["IND"], 0.5),
    faker("ne_NP", S::Indic, L::Other, &["NPL"], 0.5),
    faker("nl_BE", S::Latin, L::Other, &["BEL"], 1.0),
    faker("nl_NL", S::Latin, L::Other, &["NLD"], 1.0),
    faker("no_NO", S::Latin, L::Other, &["NOR"], 1.0),
    faker("or_IN", S::Indic, L::Other, &["IND"], 0.3),
    faker("pl_PL", S::Latin, L::Other, &["POL"], 1.0),
    faker("pt_BR", S::Latin, L::Other, &["BRA"], 1.0),
    faker("pt_PT", S::Latin, L::Other, &["PRT"], 1.0),
    faker("ro_RO", S::Latin, L::Other, &["ROU", "MDA"], 1.0),
    faker("ru_RU", S::Cyrillic, L::Russian, &["RUS"], 6.0),
    faker("si_LK", S::Indic, L::Other, &["LKA"], 0.3),
    faker("sk_SK", S::Latin, L::Other, &["SVK"], 1.0),
    faker("sl_SI", S::Latin, L::Other, &["SVN"], 1.0),
    faker("sv_SE", S::Latin, L::Other, &["SWE"], 1.0),
    faker("sw", S::Latin, L::Other, &["TZA", "KEN"], 1.0),
    faker("ta_IN", S::Indic, L::Other, &["IND", "LKA"], 0.5),
    faker("th_TH", S::Thai, L::Other, &["THA"], 1.0),
    faker("tr_TR", S::Latin, L::Other, &["TUR"], 1.0),
    faker("tw_GH", S::Latin, L::Other, &["GHA"], 1.0),
    faker("uk_UA", S::Cyrillic, L::Ukrainian, &["UKR"], 4.0),
    faker("uz_UZ", S::Latin, L::Other, &["UZB"], 1.0),
    family_first(faker("vi_VN", S::Latin, L::Other, &["VNM"], 1.0)),
    faker("yo_NG", S::Latin, L::Other, &["NGA"], 1.0),
    family_first(faker("zh_CN", S::Han, L::Chinese, &["CHN"], 4.0)),
    family_first(faker("zh_TW", S::Han, L::ChineseTaiwan, &["TWN"], 1.5)),
    faker("zu_ZA", S::Latin, L::Other, &["ZAF"], 1.0),
    wikidata(WikiScript::Russian, S::Cyrillic, 3.0),
    wikidata(WikiScript::Arabic, S::Arabic, 3.0),
    wikidata(WikiScript::Hebrew, S::Hebrew, 1.5),
    wikidata(WikiScript::Chinese, S::Han, 2.0),
    wikidata(WikiScript::Katakana, S::Kana, 2.0),
    wikidata(WikiScript::Korean, S::Hangul, 1.5),
    Profile {
        source: Source::WikidataLatin,
        script: S::Latin,
        language: L::Other,
        countries: BROAD_COUNTRIES,
        weight: 15.0,
        family_first: false,
        wiki: None,
    },
];

/// Countries a second nationality or a naturalisation is drawn from.
const OTHER_COUNTRIES: &[&str] = &[
    "USA", "GBR", "DEU", "FRA", "CAN", "ISR", "TUR", "RUS", "ITA", "ESP", "NLD", "SWE", "AUS",
    "BEL", "CHE", "AUT", "UKR", "POL", "GRC", "CYP",
];

/// Spanish- and Portuguese-speaking locales, whose people carry two (Portuguese: up to three) family names.
const TWO_FAMILY_NAMES: &[&str] = &[
    "es", "es_AR", "es_CL", "es_CO", "es_ES", "es_MX", "es_CA", "pt_BR", "pt_PT",
];

/// Arabic-speaking locales whose documents often chain the father's and grandfather's given names.
const NAME_CHAINS: &[&str] = &["ar_AA", "ar_PS", "ar_SA"];

/// A profile with its name pools in seeded frequency order.
#[derive(Debug)]
struct Pools {
    given: [Vec<String>; 2],
    family: [Vec<String>; 2],
    patronymic: [Vec<String>; 2],
    wiki_pairs: Vec<WikiPair>,
    wiki_cumulative: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Token {
    native: String,
    /// The person's own Latin spelling, for Wikidata persons (whose name is foreign to the native script).
    latin: Option<String>,
}

impl Token {
    fn native(text: &str) -> Self {
        Token {
            native: text.to_owned(),
            latin: None,
        }
    }
}

#[derive(Debug, Clone)]
struct Identity {
    profile: usize,
    sex: Sex,
    given: Vec<Token>,
    family: Vec<Token>,
    patronymic: Option<Token>,
    dob: PartialDate,
    nationalities: Vec<CountryCode>,
    passport: Option<String>,
}

/// What a watchlist record of an identity holds, for labelling queries against it.
#[derive(Debug, Clone)]
struct RecordShape {
    id: String,
    with_patronymic: bool,
    given_count: usize,
    family_count: usize,
    dob: Option<PartialDate>,
    passport: Option<String>,
    scripts: Vec<Script>,
}

#[derive(Debug)]
struct Entry {
    identity: Identity,
    records: Vec<RecordShape>,
}

fn country(code: &str) -> Option<CountryCode> {
    CountryCode::parse(code).ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date(year: i64, month: i64, day: i64) -> Option<PartialDate> {
    let day = day.min(days_in_month(year, month));
    PartialDate::parse(&format!("{year:04}-{month:02}-{day:02}")).ok()
}

fn year_only(year: i64) -> Option<PartialDate> {
    PartialDate::parse(&format!("{year:04}")).ok()
}

fn year_month(year: i64, month: i64) -> Option<PartialDate> {
    PartialDate::parse(&format!("{year:04}-{month:02}")).ok()
}

fn date_parts(d: &PartialDate) -> (i64, i64, i64) {
    (
        i64::from(d.year()),
        i64::from(d.month().unwrap_or(1)),
        i64::from(d.day().unwrap_or(1)),
    )
}

/// Letters near each other on a QWERTY keyboard, for typing errors.
fn keyboard_neighbours(c: char) -> &'static str {
    match c.to_ascii_lowercase() {
        'q' => "wa",
        'w' => "qes",
        'e' => "wrd",
        'r' => "etf",
        't' => "ryg",
        'y' => "tuh",
        'u' => "yij",
        'i' => "uok",
        'o' => "ipl",
        'p' => "ol",
        'a' => "qsz",
        's' => "adwz",
        'd' => "sfe",
        'f' => "dgr",
        'g' => "fht",
        'h' => "gjy",
        'j' => "hku",
        'k' => "jli",
        'l' => "ko",
        'z' => "xas",
        'x' => "zcs",
        'c' => "xvd",
        'v' => "cbf",
        'b' => "vng",
        'n' => "bmh",
        'm' => "nj",
        _ => "",
    }
}

/// OCR confusions of the OCR-B font in a machine-readable zone.
fn ocr_confusion(c: char) -> &'static str {
    match c {
        'O' => "0DQ",
        'D' => "O0",
        'Q' => "O",
        'I' => "1L",
        'L' => "I",
        'S' => "5",
        'B' => "8",
        'Z' => "2",
        'G' => "6C",
        'E' => "F",
        'M' => "NH",
        'N' => "MH",
        'H' => "N",
        'U' => "V",
        'V' => "UY",
        'K' => "X",
        'C' => "G",
        'A' => "4",
        'T' => "7",
        _ => "",
    }
}

fn pick_char(options: &str, rng: &mut SplitMix64) -> Option<char> {
    let chars: Vec<char> = options.chars().collect();
    rng.pick(&chars).copied()
}

/// One typing error in a token: a neighbouring key, a dropped, doubled or swapped letter. For non-Latin
/// tokens the substitute letter comes from `alphabet` (letters of the same script).
pub fn typo(token: &str, alphabet: &[char], rng: &mut SplitMix64) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() < 2 {
        if let Some(c) = rng.pick(alphabet).copied()
            && Some(&c) != chars.first()
        {
            return c.to_string();
        }
        return token.to_owned();
    }
    for _ in 0..8 {
        let mut out = chars.clone();
        // Keep the first letter more often: people rarely mistype it.
        let position = 1 + rng.below(chars.len() - 1);
        match rng.below(4) {
            0 => {
                let c = out[position];
                let replacement = if c.is_ascii_alphabetic() {
                    pick_char(keyboard_neighbours(c), rng).map(|r| {
                        if c.is_ascii_uppercase() {
                            r.to_ascii_uppercase()
                        } else {
                            r
                        }
                    })
                } else {
                    rng.pick(alphabet).copied()
                };
                if let Some(r) = replacement {
                    out[position] = r;
                }
            }
            1 if chars.len() > 3 => {
                out.remove(position);
            }
            2 => {
                let c = out[position];
                out.insert(position, c);
            }
            _ => {
                if position + 1 < out.len() {
                    out.swap(position, position + 1);
                } else {
                    out.swap(position - 1, position);
                }
            }
        }
        let candidate: String = out.into_iter().collect();
        if candidate != token && !candidate.trim().is_empty() {
            return candidate;
        }
    }
    token.to_owned()
}

fn passport_number(rng: &mut SplitMix64) -> String {
    let letter = |rng: &mut SplitMix64| char::from(b'A' + rng.below(26) as u8);
    let digit = |rng: &mut SplitMix64| char::from(b'0' + rng.below(10) as u8);
    let mut out = String::new();
    match rng.below(10) {
        0..=4 => {
            out.push(letter(rng));
            out.push(letter(rng));
            (0..7).for_each(|_| out.push(digit(rng)));
        }
        5..=7 => (0..9).for_each(|_| out.push(digit(rng))),
        _ => {
            out.push(letter(rng));
            (0..8).for_each(|_| out.push(digit(rng)));
        }
    }
    out
}

/// How a query writes the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rendering {
    Native,
    Latin(Scheme),
    Wikidata,
    /// A Latin-script name as written, with its diacritics.
    AsWritten,
    /// A Latin-script name with diacritics dropped ("Juttner").
    AsciiFolded,
    /// A Latin-script name upper-cased per ICAO 9303 table A ("JUETTNER").
    IcaoFolded,
}

/// The name parts of a query, in Latin or native script, before they are put in order.
#[derive(Debug, Clone)]
struct NameParts {
    given: Vec<String>,
    patronymic: Option<String>,
    family: Vec<String>,
    latin: bool,
}

struct Generator<'a> {
    data: &'a NameData,
    pools: Vec<Pools>,
    weights: Vec<f64>,
    /// How many watchlist persons a profile may give: a quarter of its distinct (given, family) pairs, so
    /// that small name pools do not fill the list with namesakes and most travellers of every locale still
    /// have a name no listed person has.
    caps: Vec<usize>,
    zipf: HashMap<usize, Zipf>,
    alphabets: HashMap<Script, Vec<char>>,
}

fn zipf_pick<'p>(
    zipf: &mut HashMap<usize, Zipf>,
    pool: &'p [String],
    rng: &mut SplitMix64,
) -> Option<&'p String> {
    // Names are Zipf-distributed in real populations: a few very common, a long tail.
    let sampler = zipf
        .entry(pool.len())
        .or_insert_with(|| Zipf::new(pool.len(), 0.9));
    pool.get(sampler.sample(rng))
}

impl<'a> Generator<'a> {
    fn new(data: &'a NameData, rng: &mut SplitMix64) -> Self {
        let mut pools = Vec::new();
        let mut alphabets: HashMap<Script, HashSet<char>> = HashMap::new();
        for profile in PROFILES {
            let mut pool = Pools {
                given: [Vec::new(), Vec::new()],
                family: [Vec::new(), Vec::new()],
                patronymic: [Vec::new(), Vec::new()],
                wiki_pairs: Vec::new(),
                wiki_cumulative: Vec::new(),
            };
            match profile.source {
                Source::Faker(locale) => {
                    if let Some(locale) = data.locale(locale) {
                        pool.given = locale.given.clone();
                        pool.family = locale.family.clone();
                        pool.patronymic = locale.patronymic.clone();
                    }
                }
                Source::WikidataLatin => {
                    let mut counts: HashMap<&str, u32> = HashMap::new();
                    for pairs in data.wiki.values() {
                        for pair in pairs {
                            *counts.entry(pair.latin.as_str()).or_default() += pair.count;
                        }
                    }
                    let mut latin: Vec<(&str, u32)> = counts.into_iter().collect();
                    latin.sort_unstable();
                    pool.wiki_pairs = latin
                        .into_iter()
                        .map(|(name, count)| WikiPair {
                            latin: name.to_owned(),
                            native: romanize::capitalize(name),
                            count,
                        })
                        .collect();
                    let mut total = 0.0;
                    pool.wiki_cumulative = pool
                        .wiki_pairs
                        .iter()
                        .map(|p| {
                            total += f64::from(p.count).sqrt();
                            total
                        })
                        .collect();
                }
                Source::Wikidata(script) => {
                    pool.wiki_pairs = data.wiki.get(&script).cloned().unwrap_or_default();
                    let mut total = 0.0;
                    // Wikidata counts follow fame more than frequency; the square root damps "Peter"/"Paul".
                    pool.wiki_cumulative = pool
                        .wiki_pairs
                        .iter()
                        .map(|p| {
                            total += f64::from(p.count).sqrt();
                            total
                        })
                        .collect();
                }
            }
            // Which names are common is itself drawn from the seed.
            for list in pool
                .given
                .iter_mut()
                .chain(pool.family.iter_mut())
                .chain(pool.patronymic.iter_mut())
            {
                rng.shuffle(list);
            }
            let letters = alphabets.entry(profile.script).or_default();
            for name in pool.given.iter().chain(pool.family.iter()).flatten() {
                letters.extend(name.chars().filter(|c| c.is_alphabetic()));
            }
            for pair in &pool.wiki_pairs {
                letters.extend(pair.native.chars().filter(|c| c.is_alphabetic()));
            }
            pools.push(pool);
        }
        let alphabets = alphabets
            .into_iter()
            .map(|(script, set)| {
                let mut letters: Vec<char> = set.into_iter().collect();
                letters.sort_unstable();
                (script, letters)
            })
            .collect();
        let caps = PROFILES
            .iter()
            .zip(&pools)
            .map(|(profile, pool)| match profile.source {
                Source::Faker(_) => {
                    (0..2)
                        .map(|s| pool.given[s].len() * pool.family[s].len())
                        .sum::<usize>()
                        / 4
                }
                Source::Wikidata(_) | Source::WikidataLatin => usize::MAX,
            })
            .collect();
        Generator {
            data,
            pools,
            caps,
            weights: PROFILES.iter().map(|p| p.weight).collect(),
            zipf: HashMap::new(),
            alphabets,
        }
    }

    fn wiki_token(&self, profile: usize, rng: &mut SplitMix64) -> Option<Token> {
        let pool = self.pools.get(profile)?;
        let total = *pool.wiki_cumulative.last()?;
        let target = rng.unit() * total;
        let index = pool.wiki_cumulative.partition_point(|c| *c <= target);
        let pair = pool
            .wiki_pairs
            .get(index.min(pool.wiki_pairs.len().saturating_sub(1)))?;
        let latin_person = matches!(
            PROFILES.get(profile).map(|p| p.source),
            Some(Source::WikidataLatin)
        );
        Some(Token {
            native: pair.native.clone(),
            latin: (!latin_person).then(|| romanize::capitalize(&pair.latin)),
        })
    }

    fn birth_date(rng: &mut SplitMix64) -> Option<PartialDate> {
        // Travellers and wanted persons are mostly 20 to 60 years old.
        let year = (rng.between(1940, 2006) + rng.between(1950, 2004)) / 2;
        let month = rng.between(1, 12);
        let day = rng.between(1, days_in_month(year, month));
        date(year, month, day)
    }

    fn identity(&mut self, rng: &mut SplitMix64) -> Option<Identity> {
        let profile_index = rng.weighted(&self.weights)?;
        self.identity_in(profile_index, rng)
    }

    /// An identity for the watchlist, from a profile that is not full yet.
    fn listed_identity(&mut self, used: &[usize], rng: &mut SplitMix64) -> Option<Identity> {
        let weights: Vec<f64> = self
            .weights
            .iter()
            .zip(&self.caps)
            .zip(used)
            .map(|((w, cap), used)| if used < cap { *w } else { 0.0 })
            .collect();
        let profile_index = rng.weighted(&weights)?;
        self.identity_in(profile_index, rng)
    }

    fn identity_in(&mut self, profile_index: usize, rng: &mut SplitMix64) -> Option<Identity> {
        let profile = PROFILES.get(profile_index)?;
        let sex = if rng.chance(0.5) {
            Sex::Female
        } else {
            Sex::Male
        };
        let s = usize::from(sex == Sex::Male);
        let mut given = Vec::new();
        let mut family = Vec::new();
        let mut patronymic = None;
        match profile.source {
            Source::Faker(locale) => {
                let pool = self.pools.get(profile_index)?;
                let first = zipf_pick(&mut self.zipf, &pool.given[s], rng)?.clone();
                given.push(Token::native(&first));
                // Second given names: common in Western and Latin American usage.
                if profile.script == Script::Latin && !profile.family_first && rng.chance(0.15) {
                    let second = zipf_pick(&mut self.zipf, &pool.given[s], rng)?.clone();
                    if second != first {
                        given.push(Token::native(&second));
                    }
                }
                family.push(Token::native(zipf_pick(
                    &mut self.zipf,
                    &pool.family[s],
                    rng,
                )?));
                if TWO_FAMILY_NAMES.contains(&locale) && rng.chance(0.6) {
                    let extra = if locale.starts_with("pt") && rng.chance(0.3) {
                        2
                    } else {
                        1
                    };
                    for _ in 0..extra {
                        let next = zipf_pick(&mut self.zipf, &pool.family[s], rng)?.clone();
                        if family.iter().all(|t| t.native != next) {
                            family.push(Token::native(&next));
                        }
                    }
                }
                if NAME_CHAINS.contains(&locale) && rng.chance(0.5) {
                    // father's (and grandfather's) given names, always male; Gulf usage joins them with
                    // "bin" ("son of"), or "bint" for a daughter, on the first link
                    let links = 1 + rng.below(3);
                    let with_bin = locale == "ar_SA" && rng.chance(0.5);
                    for link_index in 0..links {
                        if with_bin {
                            let connector = if sex == Sex::Female && link_index == 0 {
                                "بنت"
                            } else {
                                "بن"
                            };
                            given.push(Token::native(connector));
                        }
                        let link = zipf_pick(&mut self.zipf, &pool.given[1], rng)?.clone();
                        given.push(Token::native(&link));
                    }
                }
                if !pool.patronymic[s].is_empty() {
                    patronymic = zipf_pick(&mut self.zipf, &pool.patronymic[s], rng)
                        .map(|p| Token::native(p));
                }
            }
            Source::Wikidata(_) | Source::WikidataLatin => {
                given.push(self.wiki_token(profile_index, rng)?);
                if rng.chance(0.1) {
                    given.push(self.wiki_token(profile_index, rng)?);
                }
                family.push(self.wiki_token(profile_index, rng)?);
            }
        }
        let mut nationalities: Vec<CountryCode> = rng
            .pick(profile.countries)
            .and_then(|c| country(c))
            .into_iter()
            .collect();
        if rng.chance(0.08)
            && let Some(second) = rng.pick(OTHER_COUNTRIES).and_then(|c| country(c))
            && !nationalities.contains(&second)
        {
            nationalities.push(second);
        }
        Some(Identity {
            profile: profile_index,
            sex,
            given,
            family,
            patronymic,
            dob: Self::birth_date(rng)?,
            nationalities,
            passport: Some(passport_number(rng)),
        })
    }

    fn profile(&self, identity: &Identity) -> Option<&'static Profile> {
        PROFILES.get(identity.profile)
    }

    /// One token in the chosen rendering, with the label of what happened to it.
    fn render_token(
        &self,
        token: &Token,
        family_role: bool,
        profile: &Profile,
        rendering: Rendering,
        rng: &mut SplitMix64,
    ) -> (String, Option<Variation>, bool) {
        if let Some(latin) = &token.latin {
            return match rendering {
                Rendering::Native => (token.native.clone(), Some(Variation::NativeScript), false),
                _ => (latin.clone(), Some(Variation::TranslitWikidata), true),
            };
        }
        match rendering {
            Rendering::Native => (
                token.native.clone(),
                Some(Variation::NativeScript),
                profile.script == Script::Latin,
            ),
            Rendering::AsWritten => (token.native.clone(), None, true),
            Rendering::AsciiFolded => {
                let folded = romanize::ascii_fold(&token.native);
                let label = (folded != token.native).then_some(Variation::DiacriticsFolded);
                (folded, label, true)
            }
            Rendering::IcaoFolded => {
                let folded = romanize::icao_latin(&token.native, rng.chance(0.5));
                let label =
                    (folded != token.native.to_uppercase()).then_some(Variation::DiacriticsFolded);
                (folded, label, true)
            }
            Rendering::Wikidata => {
                let forms = profile.wiki.and_then(|script| {
                    self.data
                        .wiki_forms
                        .get(&(script, token.native.to_lowercase()))
                });
                if let Some(forms) = forms {
                    let weights: Vec<f64> =
                        forms.iter().map(|(_, count)| f64::from(*count)).collect();
                    if let Some((latin, _)) = rng.weighted(&weights).and_then(|i| forms.get(i)) {
                        return (
                            romanize::capitalize(latin),
                            Some(Variation::TranslitWikidata),
                            true,
                        );
                    }
                }
                self.render_token(
                    token,
                    family_role,
                    profile,
                    Rendering::Latin(Scheme::Popular),
                    rng,
                )
            }
            Rendering::Latin(scheme) => {
                let romanized = if profile.language == Language::Korean && family_role {
                    romanize::korean_family(&token.native, scheme, rng).or_else(|| {
                        romanize::romanize(&token.native, profile.language, scheme, rng)
                    })
                } else {
                    romanize::romanize(&token.native, profile.language, scheme, rng)
                };
                match romanized {
                    Some(latin) => {
                        let label = match scheme {
                            Scheme::Passport => Variation::TranslitIcao,
                            Scheme::Popular => Variation::TranslitPopular,
                            Scheme::German => Variation::TranslitGerman,
                            Scheme::French => Variation::TranslitFrench,
                        };
                        (latin, Some(label), true)
                    }
                    None => (
                        token.native.clone(),
                        Some(Variation::NativeScript),
                        profile.script == Script::Latin,
                    ),
                }
            }
        }
    }

    fn choose_rendering(&self, identity: &Identity, rng: &mut SplitMix64) -> Rendering {
        let Some(profile) = self.profile(identity) else {
            return Rendering::Native;
        };
        if profile.script == Script::Latin {
            return match rng.below(10) {
                0..=3 => Rendering::AsWritten,
                4..=6 => Rendering::AsciiFolded,
                _ => Rendering::IcaoFolded,
            };
        }
        if matches!(profile.source, Source::Wikidata(_)) {
            return if rng.chance(0.15) {
                Rendering::Native
            } else {
                Rendering::Wikidata
            };
        }
        if matches!(profile.script, Script::Han | Script::Hangul) {
            // German and French files use the passport or English spellings of East Asian names.
            return match rng.below(100) {
                0..=11 => Rendering::Native,
                12..=64 => Rendering::Latin(Scheme::Passport),
                65..=89 => Rendering::Latin(Scheme::Popular),
                _ => Rendering::Wikidata,
            };
        }
        match rng.below(100) {
            0..=11 => Rendering::Native,
            12..=54 => Rendering::Latin(Scheme::Passport),
            55..=74 => Rendering::Latin(Scheme::Popular),
            75..=82 => Rendering::Latin(Scheme::German),
            83..=89 => Rendering::Latin(Scheme::French),
            _ => Rendering::Wikidata,
        }
    }

    /// The query for a traveller with this identity, compared (for labels) with `record` when the traveller
    /// is on the watchlist.
    fn query_for(
        &self,
        identity: &Identity,
        record: Option<&RecordShape>,
        dob_errors: bool,
        rng: &mut SplitMix64,
    ) -> Option<(Query, Vec<Variation>, Script)> {
        let profile = self.profile(identity)?;
        let mut labels: Vec<Variation> = Vec::new();
        let rendering = self.choose_rendering(identity, rng);

        // Which name parts the query carries.
        let given_count = if identity.given.len() > 1 && rng.chance(0.4) {
            1
        } else {
            identity.given.len()
        };
        let family_count = if identity.family.len() > 1 && rng.chance(0.35) {
            1
        } else {
            identity.family.len()
        };
        // Passports of Russia and Ukraine print no patronymic; bookings and consular files sometimes do.
        let with_patronymic = identity.patronymic.is_some() && rng.chance(0.35);
        if let Some(record) = record {
            if (record.with_patronymic && !with_patronymic) || record.given_count > given_count {
                labels.push(Variation::MiddleDropped);
            }
            if (with_patronymic && !record.with_patronymic) || given_count > record.given_count {
                labels.push(Variation::MiddleAdded);
            }
            if record.family_count > family_count {
                labels.push(Variation::FamilyPartDropped);
            }
        }

        let mut parts = NameParts {
            given: Vec::new(),
            patronymic: None,
            family: Vec::new(),
            latin: true,
        };
        let render = |token: &Token,
                      family_role: bool,
                      rng: &mut SplitMix64,
                      parts: &mut NameParts,
                      labels: &mut Vec<Variation>| {
            let (text, label, latin) =
                self.render_token(token, family_role, profile, rendering, rng);
            parts.latin &= latin;
            if let Some(label) = label
                && !labels.contains(&label)
            {
                labels.push(label);
            }
            text
        };
        for token in identity.given.iter().take(given_count) {
            let text = render(token, false, rng, &mut parts, &mut labels);
            parts.given.push(text);
        }
        if with_patronymic && let Some(token) = &identity.patronymic {
            parts.patronymic = Some(render(token, false, rng, &mut parts, &mut labels));
        }
        // Portuguese usage keeps the last family name, Spanish usage the first.
        let portuguese =
            matches!(profile.source, Source::Faker(locale) if locale.starts_with("pt"));
        let skip = if portuguese {
            identity.family.len() - family_count
        } else {
            0
        };
        for token in identity.family.iter().skip(skip).take(family_count) {
            let text = render(token, true, rng, &mut parts, &mut labels);
            parts.family.push(text);
        }
        let query_script = if parts.latin {
            Script::Latin
        } else {
            profile.script
        };

        // Errors and habits that change the letters.
        let mut edits = 0;
        if rng.chance(0.12) {
            let alphabet = self
                .alphabets
                .get(&query_script)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let family_side = rng.chance(0.5) || parts.given.is_empty();
            let list = if family_side {
                &mut parts.family
            } else {
                &mut parts.given
            };
            if let Some(index) = (!list.is_empty()).then(|| rng.below(list.len()))
                && let Some(token) = list.get_mut(index)
            {
                let changed = typo(token, alphabet, rng);
                if changed != *token {
                    *token = changed;
                    labels.push(Variation::Typo);
                    edits += 1;
                }
            }
        }
        let compound = |t: &String| t.contains(['-', ' ', '\'', '’']);
        if parts.given.iter().chain(parts.family.iter()).any(compound) && rng.chance(0.4) {
            for token in parts.given.iter_mut().chain(parts.family.iter_mut()) {
                if compound(token) {
                    let mode = rng.below(3);
                    *token = token
                        .chars()
                        .filter_map(|c| match (c, mode) {
                            ('\'' | '’', _) => None,
                            ('-' | ' ', 0) => Some(' '),
                            ('-' | ' ', 1) => Some('-'),
                            ('-' | ' ', _) => None,
                            (c, _) => Some(c),
                        })
                        .collect::<String>()
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                }
            }
            labels.push(Variation::Compound);
        }

        let family_first_native = profile.family_first;
        let mrz = parts.latin && rng.chance(0.25);
        let name = if mrz {
            let field = |text: &str| -> String {
                romanize::icao_latin(text, expand_umlauts(text))
                    .chars()
                    .filter_map(|c| match c {
                        'A'..='Z' => Some(c),
                        ' ' | '-' => Some('<'),
                        _ => None,
                    })
                    .collect()
            };
            let family = parts
                .family
                .iter()
                .map(|t| field(t))
                .collect::<Vec<_>>()
                .join("<");
            let mut given: Vec<String> = parts.given.iter().map(|t| field(t)).collect();
            if let Some(p) = &parts.patronymic {
                given.push(field(p));
            }
            let full = format!("{family}<<{}", given.join("<"));
            let limit = if rng.chance(0.4) { 30 } else { 39 };
            let mut name: String = full.chars().take(limit).collect();
            if full.chars().count() > limit {
                labels.push(Variation::MrzTruncated);
            } else {
                labels.push(Variation::MrzFormat);
                if rng.chance(0.3) {
                    while name.chars().count() < limit {
                        name.push('<');
                    }
                }
            }
            if rng.chance(0.3) {
                let letters: Vec<usize> = name
                    .char_indices()
                    .filter(|(_, c)| !ocr_confusion(*c).is_empty())
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&at) = rng.pick(&letters)
                    && let Some(c) = name[at..].chars().next()
                    && let Some(r) = pick_char(ocr_confusion(c), rng)
                {
                    name.replace_range(at..at + c.len_utf8(), &r.to_string());
                    labels.push(Variation::Ocr);
                }
            }
            name
        } else {
            if parts.latin
                && edits == 0
                && rng.chance(0.05)
                && let Some(first) = parts.given.first_mut()
                && let Some(initial) = first.chars().next()
            {
                *first = if rng.chance(0.5) {
                    format!("{initial}.")
                } else {
                    initial.to_string()
                };
                labels.push(Variation::Initials);
            }
            let mut given = parts.given.clone();
            if let Some(p) = &parts.patronymic {
                given.push(p.clone());
            }
            // Native CJK writing runs family and given together; Latin writing puts the given name first
            // except in Hungarian and Vietnamese usage.
            let cjk_native = !parts.latin
                && matches!(profile.script, Script::Han | Script::Hangul | Script::Kana);
            let natural_family_first = if parts.latin {
                family_first_native
                    && matches!(profile.language, Language::Other)
                    && profile.script == Script::Latin
            } else {
                family_first_native
            };
            let swapped = rng.chance(0.12);
            if swapped {
                labels.push(Variation::OrderSwapped);
            }
            let family_first = natural_family_first != swapped;
            let (first, second) = if family_first {
                (&parts.family, &given)
            } else {
                (&given, &parts.family)
            };
            let separator = if cjk_native && matches!(profile.source, Source::Faker(_)) {
                // Run together in the native order; written the other way round, a space shows the break.
                if swapped || (profile.script == Script::Hangul && rng.chance(0.3)) {
                    " "
                } else {
                    ""
                }
            } else if cjk_native {
                match profile.script {
                    Script::Kana => "・",
                    Script::Han => "·",
                    _ => " ",
                }
            } else {
                " "
            };
            let name = format!("{}{separator}{}", first.join(" "), second.join(" "));
            let name = name.trim().to_owned();
            if parts.latin {
                match rng.below(20) {
                    0..=11 => name,
                    12..=18 => name.to_uppercase(),
                    _ => name.to_lowercase(),
                }
            } else {
                name
            }
        };

        // Date of birth.
        let (y, m, d) = date_parts(&identity.dob);
        let dob_draw = if dob_errors { rng.below(100) } else { 0 };
        let birth_date = match dob_draw {
            0..=74 => Some(identity.dob),
            75..=79 => {
                labels.push(Variation::DobMissing);
                None
            }
            80..=84 => {
                labels.push(Variation::DobYearOff);
                date(y + if rng.chance(0.5) { 1 } else { -1 }, m, d)
            }
            85..=89 if d <= 12 && d != m => {
                labels.push(Variation::DobDayMonthSwapped);
                date(y, d, m)
            }
            85..=94 => {
                labels.push(Variation::DobDigitTypo);
                if rng.chance(0.5) {
                    let last = y % 10;
                    let other = (last + rng.between(1, 9)) % 10;
                    date(y - last + other, m, d)
                } else {
                    let other = (d % 10 + rng.between(1, 9)) % 10;
                    let day = (d - d % 10 + other).clamp(1, days_in_month(y, m));
                    date(y, m, day)
                }
            }
            _ => {
                labels.push(Variation::DobPartial);
                if rng.chance(0.6) {
                    year_only(y)
                } else {
                    year_month(y, m)
                }
            }
        };
        if let Some(record) = record {
            match record.dob {
                None => labels.push(Variation::DobMissingRecord),
                Some(dob) if dob.day().is_none() => labels.push(Variation::DobPartialRecord),
                Some(_) => {}
            }
        }

        // Nationality.
        let main = identity.nationalities.first().cloned();
        let nationality = match rng.below(10) {
            0..=7 => main,
            8 => {
                labels.push(Variation::NationalityMissing);
                None
            }
            _ => {
                labels.push(Variation::NationalityOther);
                if let Some(second) = identity.nationalities.get(1) {
                    Some(second.clone())
                } else if main.as_ref().is_some_and(|c| c.as_str() == "DEU") {
                    country("D")
                } else {
                    rng.pick(OTHER_COUNTRIES)
                        .and_then(|c| country(c))
                        .filter(|c| Some(c) != main.as_ref())
                }
            }
        };

        // The travel document the traveller presents.
        let mut documents = Vec::new();
        let held = record.and_then(|r| r.passport.clone());
        match (held, rng.below(100)) {
            (Some(number), 0..=29) => {
                labels.push(Variation::Document);
                documents.push(number);
            }
            (Some(number), 30..=34) => {
                let chars: Vec<char> = number.chars().collect();
                let confusable: Vec<usize> = (0..chars.len())
                    .filter(|i| "0O1I5S8B2Z".contains(chars[*i]))
                    .collect();
                let mut changed = chars.clone();
                if let Some(&at) = rng.pick(&confusable) {
                    changed[at] = match chars[at] {
                        '0' => 'O',
                        'O' => '0',
                        '1' => 'I',
                        'I' => '1',
                        '5' => 'S',
                        'S' => '5',
                        '8' => 'B',
                        'B' => '8',
                        '2' => 'Z',
                        _ => '2',
                    };
                    labels.push(Variation::DocumentOcr);
                } else {
                    labels.push(Variation::Document);
                }
                documents.push(changed.into_iter().collect());
            }
            (_, 0..=89) => documents.push(passport_number(rng)),
            _ => {}
        }

        let sex = rng.chance(0.92).then_some(identity.sex);
        if record.is_some() && !labels.iter().any(|l| l.is_name_variation()) {
            labels.push(Variation::Exact);
        }
        labels.sort();
        labels.dedup();
        Some((
            Query {
                names: vec![name],
                birth_date,
                nationality,
                sex,
                documents,
            },
            labels,
            query_script,
        ))
    }

    /// The watchlist record(s) of an identity: the primary in the native script, sometimes a Latin alias,
    /// sometimes a second agency's record of the same person.
    fn records(
        &self,
        identity: &Identity,
        id: &str,
        rng: &mut SplitMix64,
    ) -> Vec<(IndexedPerson, RecordShape)> {
        let Some(profile) = self.profile(identity) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let with_patronymic = identity.patronymic.is_some() && rng.chance(0.7);
        let given_count = if identity.given.len() > 1 && rng.chance(0.4) {
            1
        } else {
            identity.given.len()
        };
        let family_count = identity.family.len();
        let given: Vec<&str> = identity
            .given
            .iter()
            .take(given_count)
            .map(|t| t.native.as_str())
            .collect();
        let family: Vec<&str> = identity
            .family
            .iter()
            .take(family_count)
            .map(|t| t.native.as_str())
            .collect();
        let patronymic = identity
            .patronymic
            .as_ref()
            .filter(|_| with_patronymic)
            .map(|t| t.native.as_str());
        let cjk = matches!(profile.script, Script::Han | Script::Hangul | Script::Kana);
        let full = match (profile.source, cjk) {
            (Source::Faker(_), true) => {
                let sep = if profile.script == Script::Hangul && rng.chance(0.3) {
                    " "
                } else {
                    ""
                };
                format!("{}{sep}{}", family.join(""), given.join(""))
            }
            (Source::Wikidata(_), true) => {
                let sep = match profile.script {
                    Script::Han => "·",
                    Script::Kana => "・",
                    _ => " ",
                };
                format!("{}{sep}{}", given.join(sep), family.join(sep))
            }
            _ if profile.family_first => format!("{} {}", family.join(" "), given.join(" ")),
            _ if patronymic.is_some() && rng.chance(0.5) => {
                format!(
                    "{} {} {}",
                    family.join(" "),
                    given.join(" "),
                    patronymic.unwrap_or_default()
                )
            }
            _ => {
                let mut all: Vec<&str> = given.clone();
                all.extend(patronymic);
                all.extend(family.iter().copied());
                all.join(" ")
            }
        };
        let structured = rng.chance(0.85);
        let split_middle = given.len() > 1 && rng.chance(0.5);
        let primary = NameInput {
            full: full.trim().to_owned(),
            given: structured.then(|| {
                if split_middle {
                    given[0].to_owned()
                } else {
                    given.join(" ")
                }
            }),
            family: structured.then(|| family.join(" ")),
            patronymic: patronymic.filter(|_| structured).map(str::to_owned),
            middle: (structured && split_middle).then(|| given[1..].join(" ")),
        };
        let mut names = vec![primary];
        let mut scripts = vec![profile.script];
        // A Latin alias in the record (INTERPOL notices and many national files carry one).
        if profile.script != Script::Latin && rng.chance(0.3) {
            let scheme = if rng.chance(0.7) {
                Scheme::Passport
            } else {
                Scheme::Popular
            };
            let rendering = match profile.source {
                Source::Wikidata(_) => Rendering::Wikidata,
                Source::Faker(_) | Source::WikidataLatin => Rendering::Latin(scheme),
            };
            let mut latin = true;
            let mut render = |t: &Token, family_role: bool, rng: &mut SplitMix64| {
                let (text, _, is_latin) =
                    self.render_token(t, family_role, profile, rendering, rng);
                latin &= is_latin;
                text
            };
            let g: Vec<String> = identity
                .given
                .iter()
                .take(given_count)
                .map(|t| render(t, false, rng))
                .collect();
            let f: Vec<String> = identity
                .family
                .iter()
                .map(|t| render(t, true, rng))
                .collect();
            let p = identity
                .patronymic
                .as_ref()
                .filter(|_| with_patronymic)
                .map(|t| render(t, false, rng));
            if latin {
                let mut all = g.clone();
                all.extend(p.clone());
                all.extend(f.iter().cloned());
                names.push(NameInput {
                    full: all.join(" "),
                    given: Some(g.join(" ")),
                    family: Some(f.join(" ")),
                    patronymic: p,
                    middle: None,
                });
                scripts.push(Script::Latin);
            }
        }
        let dob = match rng.below(100) {
            0..=89 => Some(identity.dob),
            90..=94 => year_only(i64::from(identity.dob.year())),
            95..=96 => year_month(
                i64::from(identity.dob.year()),
                i64::from(identity.dob.month().unwrap_or(1)),
            ),
            _ => None,
        };
        let nationalities = if rng.chance(0.9) {
            identity.nationalities.clone()
        } else {
            Vec::new()
        };
        let passport = identity.passport.clone().filter(|_| rng.chance(0.35));
        let documents = passport
            .iter()
            .map(|number| DocumentKey {
                number: number.clone(),
                issuing_country: nationalities.first().cloned(),
                record_id: Some(format!("{id}-doc")),
            })
            .collect();
        out.push((
            IndexedPerson {
                record_type: RecordType::Person,
                id: id.to_owned(),
                names,
                birth_dates: dob.into_iter().collect(),
                sex: rng.chance(0.95).then_some(identity.sex),
                nationalities: nationalities.clone(),
                documents,
            },
            RecordShape {
                id: id.to_owned(),
                with_patronymic,
                given_count,
                family_count,
                dob,
                passport,
                scripts: scripts.clone(),
            },
        ));

        // A second agency's record of the same person: Latin only, often with less detail.
        if rng.chance(0.03) {
            let rendering = match (profile.script, profile.source) {
                (Script::Latin, _) => Rendering::IcaoFolded,
                (_, Source::Wikidata(_)) => Rendering::Wikidata,
                _ => Rendering::Latin(if rng.chance(0.5) {
                    Scheme::Passport
                } else {
                    Scheme::Popular
                }),
            };
            let mut latin = true;
            let mut g = Vec::new();
            for t in &identity.given {
                let (text, _, is_latin) = self.render_token(t, false, profile, rendering, rng);
                latin &= is_latin;
                g.push(text);
            }
            let mut f = Vec::new();
            for t in &identity.family {
                let (text, _, is_latin) = self.render_token(t, true, profile, rendering, rng);
                latin &= is_latin;
                f.push(text);
            }
            let second_id = format!("{id}b");
            let dob = if rng.chance(0.3) {
                year_only(i64::from(identity.dob.year()))
            } else {
                Some(identity.dob)
            };
            out.push((
                IndexedPerson {
                    record_type: RecordType::Person,
                    id: second_id.clone(),
                    names: vec![NameInput {
                        full: format!("{} {}", g.join(" "), f.join(" ")),
                        given: Some(g.join(" ")),
                        family: Some(f.join(" ")),
                        patronymic: None,
                        middle: None,
                    }],
                    birth_dates: dob.into_iter().collect(),
                    sex: Some(identity.sex),
                    nationalities,
                    documents: Vec::new(),
                },
                RecordShape {
                    id: second_id,
                    with_patronymic: false,
                    given_count: identity.given.len(),
                    family_count: identity.family.len(),
                    dob,
                    passport: None,
                    scripts: vec![if latin { Script::Latin } else { profile.script }],
                },
            ));
        }
        out
    }
}

/// ICAO lets the issuing State expand umlauts ("Ü" → "UE") or not; which one is fixed per name here so that
/// a name's MRZ form does not depend on the order of draws.
fn expand_umlauts(text: &str) -> bool {
    text.len().is_multiple_of(2)
}

/// A date of birth clearly not the same person's: another year (by at least `min_years`), month and day.
fn other_dob(
    dob: &PartialDate,
    min_years: i64,
    max_years: i64,
    rng: &mut SplitMix64,
) -> Option<PartialDate> {
    let (y, m, d) = date_parts(dob);
    let delta = rng.between(min_years, max_years) * if rng.chance(0.5) { 1 } else { -1 };
    let year = (y + delta).clamp(1930, 2008);
    let year = if (year - y).abs() < min_years {
        y - delta
    } else {
        year
    };
    let mut month = rng.between(1, 12);
    if month == m {
        month = month % 12 + 1;
    }
    let mut day = rng.between(1, 28);
    if day == d {
        day = day % 28 + 1;
    }
    date(year, month, day)
}

/// Generates the corpus. Deterministic for `config.seed`.
pub fn generate(config: &CorpusConfig) -> Corpus {
    generate_with(config, &NameData::bundled())
}

fn generate_with(config: &CorpusConfig, data: &NameData) -> Corpus {
    let root = SplitMix64::new(config.seed);
    let mut setup_rng = root.fork(1);
    let mut person_rng = root.fork(2);
    let mut record_rng = root.fork(3);
    let mut query_rng = root.fork(4);
    let mut generator = Generator::new(data, &mut setup_rng);

    let mut watchlist = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    // Names (native given + family) on the list, so that random travellers are never accidentally a
    // listed person or their namesake.
    let mut listed: HashMap<(Vec<String>, Vec<String>), usize> = HashMap::new();
    let mut listed_partial: HashSet<(String, String)> = HashSet::new();
    let mut used = vec![0usize; PROFILES.len()];
    let mut attempts = 0;
    while entries.len() < config.watchlist && attempts < config.watchlist * 20 + 100 {
        attempts += 1;
        let Some(identity) = generator.listed_identity(&used, &mut person_rng) else {
            continue;
        };
        // Namesakes on the list exist ("Mohammed Ali"), but at the rate of real populations, not of
        // 60-name pools.
        let namesakes = listed.get(&name_key(&identity)).copied().unwrap_or(0);
        if namesakes >= 2 || (namesakes == 1 && !person_rng.chance(0.05)) {
            continue;
        }
        if let Some(count) = used.get_mut(identity.profile) {
            *count += 1;
        }
        let id = format!("W{:06}", entries.len() + 1);
        let records = generator.records(&identity, &id, &mut record_rng);
        if records.is_empty() {
            continue;
        }
        *listed.entry(name_key(&identity)).or_default() += 1;
        for key in partial_name_keys(&identity) {
            listed_partial.insert(key);
        }
        let mut shapes = Vec::new();
        for (person, shape) in records {
            watchlist.push(person);
            shapes.push(shape);
        }
        entries.push(Entry {
            identity,
            records: shapes,
        });
    }

    let true_count = (config.queries as f64 * config.true_match_share).round() as usize;
    let hard_count = ((config.queries as f64 * config.hard_non_match_share).round() as usize)
        .min(config.queries.saturating_sub(true_count));
    let random_count = config.queries.saturating_sub(true_count + hard_count);
    let mut queries = Vec::with_capacity(config.queries);

    // True matches: distinct watchlist persons while there are enough.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    query_rng.shuffle(&mut order);
    for i in 0..true_count {
        let Some(entry) = order
            .get(i % order.len().max(1))
            .and_then(|&e| entries.get(e))
        else {
            break;
        };
        let Some(primary) = entry.records.first() else {
            continue;
        };
        let Some((query, mut variations, query_script)) =
            generator.query_for(&entry.identity, Some(primary), true, &mut query_rng)
        else {
            continue;
        };
        if entry.records.len() > 1 {
            variations.push(Variation::DuplicateRecord);
        }
        let script = generator
            .profile(&entry.identity)
            .map_or(Script::Latin, |p| p.script);
        queries.push(LabelledQuery {
            query,
            truth: entry.records.iter().map(|r| r.id.clone()).collect(),
            kind: QueryKind::TrueMatch,
            script,
            cross_script: !primary.scripts.contains(&query_script),
            variations,
            resembles: None,
        });
    }

    // Hard non-matches, built on watchlist persons with a known year of birth.
    let mut made = 0;
    let mut tries = 0;
    while made < hard_count && tries < hard_count * 10 + 100 {
        tries += 1;
        let Some(entry) = entries.get(query_rng.below(entries.len())) else {
            break;
        };
        let Some(record) = entry.records.first() else {
            continue;
        };
        if record.dob.is_none() {
            continue;
        }
        let base = &entry.identity;
        let mut other = base.clone();
        let kind = match query_rng.below(10) {
            0..=3 => Variation::HardNamesake,
            4..=6 => Variation::HardSibling,
            _ => Variation::HardOneEdit,
        };
        match kind {
            Variation::HardSibling => {
                let Some(fresh) = generator.identity_in(base.profile, &mut person_rng) else {
                    continue;
                };
                if fresh
                    .given
                    .iter()
                    .map(|t| &t.native)
                    .eq(base.given.iter().map(|t| &t.native))
                {
                    continue;
                }
                other.given = fresh.given;
                other.sex = fresh.sex;
                other.patronymic = if fresh.sex == base.sex {
                    base.patronymic.clone()
                } else {
                    fresh.patronymic
                };
                let Some(dob) = other_dob(&base.dob, 1, 12, &mut query_rng) else {
                    continue;
                };
                other.dob = dob;
            }
            Variation::HardOneEdit => {
                let script = generator.profile(base).map_or(Script::Latin, |p| p.script);
                let alphabet = generator
                    .alphabets
                    .get(&script)
                    .cloned()
                    .unwrap_or_default();
                let family_side = query_rng.chance(0.5);
                let list = if family_side {
                    &mut other.family
                } else {
                    &mut other.given
                };
                let Some(token) = list.first_mut() else {
                    continue;
                };
                let changed = typo(&token.native, &alphabet, &mut query_rng);
                if changed == token.native {
                    continue;
                }
                // A Wikidata person's Latin spelling changes with the name.
                if let Some(latin) = &token.latin {
                    token.latin = Some(typo(latin, &[], &mut query_rng));
                }
                token.native = changed;
                let Some(dob) = other_dob(&base.dob, 2, 25, &mut query_rng) else {
                    continue;
                };
                other.dob = dob;
            }
            _ => {
                let Some(dob) = other_dob(&base.dob, 2, 25, &mut query_rng) else {
                    continue;
                };
                other.dob = dob;
            }
        }
        other.passport = Some(passport_number(&mut query_rng));
        let Some((query, mut variations, query_script)) =
            generator.query_for(&other, None, false, &mut query_rng)
        else {
            continue;
        };
        variations.push(kind);
        variations.sort();
        let script = generator.profile(base).map_or(Script::Latin, |p| p.script);
        queries.push(LabelledQuery {
            query,
            truth: Vec::new(),
            kind: QueryKind::HardNonMatch,
            script,
            cross_script: !record.scripts.contains(&query_script),
            variations,
            resembles: Some(record.id.clone()),
        });
        made += 1;
    }

    // Random travellers.
    let mut made = 0;
    let mut tries = 0;
    while made < random_count && tries < random_count * 4 + 100 {
        tries += 1;
        let Some(identity) = generator.identity(&mut person_rng) else {
            continue;
        };
        // Namesakes of listed persons are the hard non-matches' business; a random traveller has a name of
        // their own.
        if listed.contains_key(&name_key(&identity))
            || partial_name_keys(&identity)
                .iter()
                .any(|k| listed_partial.contains(k))
        {
            continue;
        }
        let Some((query, variations, query_script)) =
            generator.query_for(&identity, None, true, &mut query_rng)
        else {
            continue;
        };
        let script = generator
            .profile(&identity)
            .map_or(Script::Latin, |p| p.script);
        queries.push(LabelledQuery {
            query,
            truth: Vec::new(),
            kind: QueryKind::RandomNonMatch,
            script,
            cross_script: query_script != script,
            variations,
            resembles: None,
        });
        made += 1;
    }
    // Screening order mixes the kinds.
    query_rng.shuffle(&mut queries);
    Corpus {
        config: config.clone(),
        watchlist,
        queries,
    }
}

/// First given name with each family name on its own: "Cristóbal Barrena Soto" is written "Cristóbal
/// Barrena" often enough to be a namesake of a listed "Cristóbal Barrena".
fn partial_name_keys(identity: &Identity) -> Vec<(String, String)> {
    let Some(given) = identity.given.first() else {
        return Vec::new();
    };
    identity
        .family
        .iter()
        .map(|f| (given.native.clone(), f.native.clone()))
        .collect()
}

/// First given name and family names: a traveller who shares them with a listed person is that person's
/// namesake even when a second given name differs, since queries often drop it.
fn name_key(identity: &Identity) -> (Vec<String>, Vec<String>) {
    (
        identity
            .given
            .iter()
            .take(1)
            .map(|t| t.native.clone())
            .collect(),
        identity.family.iter().map(|t| t.native.clone()).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(seed: u64) -> Corpus {
        generate(&CorpusConfig {
            seed,
            watchlist: 2_000,
            queries: 1_500,
            ..CorpusConfig::default()
        })
    }

    #[test]
    fn deterministic_for_a_seed() {
        let a = small(1);
        let b = small(1);
        assert_eq!(a.watchlist, b.watchlist);
        let qa: Vec<_> = a
            .queries
            .iter()
            .map(|q| (&q.query, &q.truth, &q.variations))
            .collect();
        let qb: Vec<_> = b
            .queries
            .iter()
            .map(|q| (&q.query, &q.truth, &q.variations))
            .collect();
        assert_eq!(qa, qb);
        let c = small(2);
        assert_ne!(a.watchlist, c.watchlist);
    }

    #[test]
    fn sizes_and_shares() {
        let corpus = small(7);
        let persons = corpus
            .watchlist
            .iter()
            .filter(|p| !p.id.ends_with('b'))
            .count();
        assert_eq!(persons, 2_000);
        assert_eq!(corpus.queries.len(), 1_500);
        let count = |kind| corpus.queries.iter().filter(|q| q.kind == kind).count();
        assert_eq!(count(QueryKind::TrueMatch), 300);
        assert_eq!(count(QueryKind::HardNonMatch), 300);
        assert_eq!(count(QueryKind::RandomNonMatch), 900);
    }

    #[test]
    fn labels_are_consistent() {
        let corpus = small(11);
        let ids: HashSet<&str> = corpus.watchlist.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), corpus.watchlist.len(), "ids are unique");
        for q in &corpus.queries {
            assert_eq!(q.query.names.len(), 1);
            assert!(!q.query.names[0].trim().is_empty(), "{q:?}");
            match q.kind {
                QueryKind::TrueMatch => {
                    assert!(!q.truth.is_empty());
                    assert!(q.truth.iter().all(|id| ids.contains(id.as_str())));
                    assert!(
                        q.variations
                            .iter()
                            .any(|v| v.is_name_variation() || *v == Variation::Exact)
                    );
                }
                QueryKind::HardNonMatch => {
                    assert!(q.truth.is_empty());
                    // A traveller's passport always gives the date of birth that tells the two apart.
                    assert!(
                        q.query.birth_date.is_some_and(|d| d.day().is_some()),
                        "{q:?}"
                    );
                    assert!(q.resembles.as_deref().is_some_and(|id| ids.contains(id)));
                    assert!(q.variations.iter().any(|v| matches!(
                        v,
                        Variation::HardNamesake | Variation::HardSibling | Variation::HardOneEdit
                    )));
                }
                QueryKind::RandomNonMatch => assert!(q.truth.is_empty()),
            }
        }
    }

    #[test]
    fn covers_scripts_and_variations() {
        let corpus = small(5);
        let true_matches: Vec<&LabelledQuery> = corpus
            .queries
            .iter()
            .filter(|q| q.kind == QueryKind::TrueMatch)
            .collect();
        let scripts: HashSet<Script> = true_matches.iter().map(|q| q.script).collect();
        for script in [
            Script::Latin,
            Script::Cyrillic,
            Script::Arabic,
            Script::Han,
            Script::Hangul,
        ] {
            assert!(scripts.contains(&script), "{script:?}");
        }
        let variations: HashSet<Variation> = true_matches
            .iter()
            .flat_map(|q| q.variations.iter().copied())
            .collect();
        for v in [
            Variation::TranslitIcao,
            Variation::TranslitPopular,
            Variation::Typo,
            Variation::MrzFormat,
            Variation::MiddleDropped,
            Variation::OrderSwapped,
            Variation::DobMissing,
        ] {
            assert!(variations.contains(&v), "{v:?}");
        }
        assert!(true_matches.iter().filter(|q| q.cross_script).count() > 50);
    }

    #[test]
    fn mrz_names_respect_the_field_length() {
        let corpus = small(3);
        for q in &corpus.queries {
            let name = &q.query.names[0];
            if name.contains("<<") {
                assert!(name.chars().count() <= 39, "{name}");
                assert!(
                    name.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<'),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn typos_change_exactly_a_little() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..200 {
            let t = typo("Shcherbakov", &[], &mut rng);
            assert_ne!(t, "Shcherbakov");
            assert!((t.chars().count() as i64 - 11).abs() <= 1, "{t}");
        }
    }
}
