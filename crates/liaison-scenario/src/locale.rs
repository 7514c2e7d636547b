//! The locales the fictional countries draw their people from: script, transliteration conventions, name
//! order and address layout, in the order countries are assigned (Cyrillic, Arabic and Latin first, then
//! Greek, Georgian, Han, Hebrew, Hangul, Armenian and more Latin ones).

use liaison_matching::eval::romanize::Language;

/// How a street address is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressStyle {
    /// `ул. Ленина, д. 12, Казань`
    Russian,
    /// `Hauptstraße 12, Köln`
    NumberAfter,
    /// `12 rue Simon, Lyon`
    NumberBefore,
    /// `北京高坪路12号`
    Chinese,
    /// `서울특별시 강남대로 12`
    Korean,
}

#[derive(Debug)]
pub(crate) struct LocaleProfile {
    /// The locale of the shipped name lists (`data/names.tsv`).
    pub id: &'static str,
    /// The script of native names, as the ground truth names it.
    pub script: &'static str,
    pub language: Language,
    /// Family name first in native writing (Chinese, Korean, Hungarian).
    pub family_first: bool,
    /// Native writing joins family and given names without a space (Chinese, Korean).
    pub joined: bool,
    /// ICAO table A writes umlauts as AE/OE/UE in this country's passports.
    pub expand_umlauts: bool,
    pub address: AddressStyle,
    /// Share of persons with a second given name, and with a second family name.
    pub second_given: f64,
    pub second_family: f64,
}

impl LocaleProfile {
    pub fn latin(&self) -> bool {
        self.script == "latin"
    }
}

const fn profile(
    id: &'static str,
    script: &'static str,
    language: Language,
    address: AddressStyle,
) -> LocaleProfile {
    LocaleProfile {
        id,
        script,
        language,
        family_first: false,
        joined: false,
        expand_umlauts: false,
        address,
        second_given: 0.0,
        second_family: 0.0,
    }
}

const fn with_names(mut p: LocaleProfile, second_given: f64, second_family: f64) -> LocaleProfile {
    p.second_given = second_given;
    p.second_family = second_family;
    p
}

const fn family_first(mut p: LocaleProfile, joined: bool) -> LocaleProfile {
    p.family_first = true;
    p.joined = joined;
    p
}

const fn umlauts(mut p: LocaleProfile) -> LocaleProfile {
    p.expand_umlauts = true;
    p
}

use AddressStyle as A;
use Language as L;

/// One locale per country, in the order countries are created.
pub(crate) const LOCALES: [LocaleProfile; 26] = [
    profile("ru_RU", "cyrillic", L::Russian, A::Russian),
    with_names(
        profile("ar_AA", "arabic", L::Arabic, A::NumberAfter),
        0.35,
        0.0,
    ),
    umlauts(with_names(
        profile("de_DE", "latin", L::Other, A::NumberAfter),
        0.2,
        0.0,
    )),
    profile("el_GR", "greek", L::Greek, A::NumberAfter),
    profile("ka_GE", "georgian", L::Georgian, A::NumberAfter),
    family_first(profile("zh_CN", "han", L::Chinese, A::Chinese), true),
    profile("he_IL", "hebrew", L::Hebrew, A::NumberAfter),
    family_first(profile("ko_KR", "hangul", L::Korean, A::Korean), true),
    profile("hy_AM", "armenian", L::Armenian, A::NumberAfter),
    with_names(
        profile("fr_FR", "latin", L::Other, A::NumberBefore),
        0.25,
        0.0,
    ),
    profile("uk_UA", "cyrillic", L::Ukrainian, A::Russian),
    profile("fa_IR", "arabic", L::Persian, A::NumberAfter),
    with_names(
        profile("es_ES", "latin", L::Other, A::NumberAfter),
        0.2,
        0.85,
    ),
    profile("bg_BG", "cyrillic", L::Bulgarian, A::NumberAfter),
    with_names(
        profile("tr_TR", "latin", L::Other, A::NumberAfter),
        0.15,
        0.0,
    ),
    with_names(
        profile("pl_PL", "latin", L::Other, A::NumberAfter),
        0.15,
        0.0,
    ),
    with_names(
        profile("it_IT", "latin", L::Other, A::NumberAfter),
        0.1,
        0.0,
    ),
    family_first(profile("zh_TW", "han", L::ChineseTaiwan, A::Chinese), true),
    profile("ar_DZ", "arabic", L::ArabicMaghreb, A::NumberAfter),
    umlauts(with_names(
        profile("sv_SE", "latin", L::Other, A::NumberAfter),
        0.3,
        0.0,
    )),
    with_names(
        profile("nl_NL", "latin", L::Other, A::NumberAfter),
        0.2,
        0.0,
    ),
    with_names(
        profile("pt_BR", "latin", L::Other, A::NumberAfter),
        0.3,
        0.7,
    ),
    with_names(
        profile("ro_RO", "latin", L::Other, A::NumberAfter),
        0.2,
        0.0,
    ),
    with_names(
        profile("cs_CZ", "latin", L::Other, A::NumberAfter),
        0.1,
        0.0,
    ),
    family_first(
        with_names(
            profile("hu_HU", "latin", L::Other, A::NumberAfter),
            0.2,
            0.0,
        ),
        false,
    ),
    profile("mk_MK", "cyrillic", L::Macedonian, A::NumberAfter),
];
