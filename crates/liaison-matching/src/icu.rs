//! The one door to ICU4X's CLDR transforms (`icu_experimental`, an experimental API pinned to `=0.7.0`).
//!
//! A transliterator is built per call: with compiled data that costs microseconds, and it keeps the engine
//! free of caches and thread-local state (ICU4X transliterators are neither `Send` nor `Sync`). Each unique
//! name token is transliterated once, when it is first indexed; queries reuse that analysis.

use icu_experimental::transliterate::Transliterator;
use icu_locale_core::Locale;

/// CLDR transforms the engine uses, named by their BCP 47 `-t-` identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transform {
    /// BGN/PCGN romanisation of Russian (Shcherbakov, Yuliya).
    RussianBgn,
    UkrainianBgn,
    BelarusianBgn,
    SerbianBgn,
    GreekGeneric,
    GreekBgn,
    ArabicGeneric,
    ArabicBgn,
    PersianBgn,
    HebrewGeneric,
    GeorgianGeneric,
    ArmenianGeneric,
    /// Han → pinyin (with tone marks, one syllable per character).
    HanPinyin,
    /// Hangul → Revised Romanisation.
    Hangul,
    Katakana,
    Hiragana,
    Devanagari,
    Bengali,
    Tamil,
    Gujarati,
    Gurmukhi,
    Telugu,
    Kannada,
    Malayalam,
    Ethiopic,
}

impl Transform {
    fn id(self) -> &'static str {
        match self {
            Transform::RussianBgn => "ru-Latn-t-ru-m0-bgn",
            Transform::UkrainianBgn => "uk-Latn-t-uk-m0-bgn",
            Transform::BelarusianBgn => "be-Latn-t-be-m0-bgn",
            Transform::SerbianBgn => "sr-Latn-t-sr-m0-bgn",
            Transform::GreekGeneric => "und-Latn-t-und-grek",
            Transform::GreekBgn => "el-Latn-t-el-m0-bgn",
            Transform::ArabicGeneric => "und-Latn-t-und-arab",
            Transform::ArabicBgn => "ar-Latn-t-ar-m0-bgn",
            Transform::PersianBgn => "fa-Latn-t-fa-m0-bgn",
            Transform::HebrewGeneric => "und-Latn-t-und-hebr",
            Transform::GeorgianGeneric => "und-Latn-t-und-geor",
            Transform::ArmenianGeneric => "und-Latn-t-und-armn",
            Transform::HanPinyin => "und-Latn-t-und-hans",
            Transform::Hangul => "und-Latn-t-und-hang",
            Transform::Katakana => "und-Latn-t-und-kana",
            Transform::Hiragana => "und-Latn-t-und-hira",
            Transform::Devanagari => "und-Latn-t-und-deva",
            Transform::Bengali => "und-Latn-t-und-beng",
            Transform::Tamil => "und-Latn-t-und-taml",
            Transform::Gujarati => "und-Latn-t-und-gujr",
            Transform::Gurmukhi => "und-Latn-t-und-guru",
            Transform::Telugu => "und-Latn-t-und-telu",
            Transform::Kannada => "und-Latn-t-und-knda",
            Transform::Malayalam => "und-Latn-t-und-mlym",
            Transform::Ethiopic => "und-Latn-t-und-ethi",
        }
    }
}

/// Runs a CLDR transform; `None` if this build of the data lacks it (the caller falls back to any_ascii).
pub fn transliterate(transform: Transform, text: &str) -> Option<String> {
    let locale: Locale = transform.id().parse().ok()?;
    let transliterator = Transliterator::try_new(&locale).ok()?;
    Some(transliterator.transliterate(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_used_by_the_engine_exist() {
        let cases = [
            (Transform::RussianBgn, "Щербаков", "Shcherbakov"),
            (Transform::GeorgianGeneric, "ბერიძე", "beridze"),
            (Transform::ArmenianGeneric, "Պետրոսյան", "Petrosyan"),
            (Transform::Katakana, "タナカ", "tanaka"),
            (Transform::Hangul, "민준", "minjun"),
        ];
        for (transform, input, expected) in cases {
            assert_eq!(
                transliterate(transform, input).as_deref(),
                Some(expected),
                "{transform:?}"
            );
        }
        for transform in [
            Transform::GreekGeneric,
            Transform::GreekBgn,
            Transform::ArabicGeneric,
            Transform::ArabicBgn,
            Transform::HebrewGeneric,
            Transform::HanPinyin,
            Transform::Devanagari,
            Transform::UkrainianBgn,
        ] {
            assert!(transliterate(transform, "x").is_some(), "{transform:?}");
        }
    }
}
