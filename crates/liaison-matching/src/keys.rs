//! Keys computed from a Latin form: the "skeleton" (a coarse canonical spelling that brings transliteration
//! variants together), the consonant skeleton (for abjads, which leave vowels unwritten), Double Metaphone
//! and Beider-Morse phonetic codes, and a fast deterministic hash to store keys compactly.
//!
//! Beider-Morse runs on the Latin forms with the rules embedded in `rphonetic` (the generic `any` rule set):
//! the engine is pure and loads nothing from disk, and every token already has Latin forms from
//! transliteration, so the language-specific rule files are not needed to reach non-Latin input.

use std::sync::LazyLock;

use rphonetic::{BeiderMorse, BeiderMorseBuilder, ConfigFiles, DoubleMetaphone, LanguageSet};

/// FNV-1a, 64-bit: deterministic across runs and platforms (unlike the standard library's hasher seeds).
/// Consonant frame of a name as Chinese, Japanese and Korean transcriptions of foreign names keep it
/// (庫珀·德拉蒙德, pinyin KUPO DELAMENGDE, for COOPER DRUMMOND; バークス, romaji BAAKUSU, for BURKS): voicing
/// ignored (B/P, D/T, G/K), L and R one class and dropped before a consonant or at the end (the scripts
/// add a vowel after every consonant or drop the R of -ER), F/V/W and the sibilants (S, Z, X, J, Q, CH,
/// SH) merged, NG read as N, vowels and H, W, Y dropped. KUPO and COOPER both give KP, DELAMENGDE and
/// DRUMMOND TLMNT. Coarse by design: compared only across scripts, at a low similarity.
pub fn transcription_frame(latin: &str) -> String {
    let bytes = latin.as_bytes();
    let mut classes: Vec<(u8, bool)> = Vec::with_capacity(bytes.len());
    let mut k = 0;
    let vowel = |b: u8| matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' | b'H' | b'W');
    while k < bytes.len() {
        let b = bytes[k];
        let next = bytes.get(k + 1).copied();
        let (class, width) = match (b, next) {
            (b'P', Some(b'H')) => (b'F', 2),
            (b'T', Some(b'H')) => (b'T', 2),
            (b'C' | b'S' | b'Z', Some(b'H')) => (b'S', 2),
            (b'C', Some(b'K')) => (b'K', 2),
            (b'N', Some(b'G')) => (b'N', 2),
            (b'C', Some(b'E' | b'I' | b'Y')) => (b'S', 1),
            (b'B' | b'P', _) => (b'P', 1),
            (b'D' | b'T', _) => (b'T', 1),
            (b'G' | b'K' | b'C', _) => (b'K', 1),
            (b'F' | b'V', _) => (b'F', 1),
            (b'L' | b'R', _) => (b'L', 1),
            // Pinyin Q, X and J are palatal affricates and fricatives: CH, TCH, Ć in the original.
            (b'S' | b'Z' | b'X' | b'J' | b'Q', _) => (b'S', 1),
            (b'M', _) => (b'M', 1),
            (b'N', _) => (b'N', 1),
            _ => (0, 1),
        };
        if class != 0 {
            // A vowel follows (a syllable onset), rather than a consonant or the end.
            let onset = bytes.get(k + width).is_some_and(|&b| vowel(b) && b != b'H');
            classes.push((class, onset));
        }
        k += width;
    }
    let mut out = String::with_capacity(classes.len());
    for (class, onset) in classes {
        if class == b'L' && !onset {
            continue;
        }
        if out.as_bytes().last() != Some(&class) {
            out.push(char::from(class));
        }
    }
    out
}

pub fn hash_bytes(tag: u8, bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    hash = hash.wrapping_mul(0x0100_0000_01b3);
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Multi-letter spellings of one sound, longest first: the sibilant clusters of Slavic transliteration
/// schemes (ICAO SHCH, German SCHTSCH, Polish SZCZ, French CHTCH all stand for Щ), then the rest.
const CLUSTERS: &[(&str, &str)] = &[
    ("SCHTSCH", "S"),
    ("SHTSCH", "S"),
    ("CHTCH", "S"),
    ("SHCH", "S"),
    ("SZCZ", "S"),
    ("STSCH", "S"),
    ("TSCH", "C"),
    ("TCH", "C"),
    ("SCH", "S"),
    ("CZ", "C"),
    ("TZ", "C"),
    ("TS", "C"),
    ("CH", "C"),
    ("SH", "S"),
    ("SZ", "S"),
    ("ZH", "S"),
    ("KH", "H"),
    ("GH", "G"),
    ("PH", "F"),
    ("TH", "T"),
    ("DH", "D"),
    ("CK", "K"),
    ("QU", "K"),
    ("KS", "X"),
    ("OU", "U"),
];

/// The skeleton of an upper-case ASCII Latin form: clusters reduced to one letter, vowels (and Y, J, which
/// stand for Й/Я/Ю) merged into one class, W and V merged, Z merged with S, C before a vowel as S or K,
/// doubled letters collapsed. SHCHERBAKOV, SCHTSCHERBAKOW, SZCZERBAKOW and SCHERBAKOV all give SARBAKAV.
pub fn skeleton(latin: &str) -> String {
    let bytes = latin.as_bytes();
    let mut reduced: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    'outer: while i < bytes.len() {
        for (from, to) in CLUSTERS {
            if bytes[i..].starts_with(from.as_bytes()) {
                reduced.extend_from_slice(to.as_bytes());
                i += from.len();
                continue 'outer;
            }
        }
        reduced.push(bytes[i]);
        i += 1;
    }
    let mut out = String::with_capacity(reduced.len());
    let mut last: u8 = 0;
    for (index, &b) in reduced.iter().enumerate() {
        let next = reduced.get(index + 1).copied().unwrap_or(0);
        let class = match b {
            b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' | b'J' => b'A',
            b'W' | b'V' => b'V',
            b'Z' => b'S',
            b'Q' => b'K',
            b'C' => {
                if matches!(next, b'E' | b'I' | b'Y') {
                    b'S'
                } else {
                    b'K'
                }
            }
            // The -OFF of French and English renderings of -ОВ.
            b'F' if index + 1 == reduced.len() || (next == b'F' && index + 2 == reduced.len()) => {
                b'V'
            }
            other => other,
        };
        if class != last {
            out.push(char::from(class));
        }
        last = class;
    }
    out
}

/// Consonants only (vowels, Y, W, J, V and H-less gutturals kept as written letters): what an abjad spells.
/// MOHAMMED → MHMD, and محمد (ICU: mḥmd) → MHMD.
pub fn consonants(latin: &str) -> String {
    let skeleton = skeleton(latin);
    let mut out = String::with_capacity(skeleton.len());
    let mut last = 0u8;
    for b in skeleton.bytes() {
        if matches!(b, b'A' | b'V') {
            continue;
        }
        if b != last {
            out.push(char::from(b));
        }
        last = b;
    }
    out
}

/// Double Metaphone primary and alternate codes (equal when the word has one reading).
pub fn double_metaphone(latin: &str) -> (String, String) {
    let result = DoubleMetaphone::default().double_metaphone(latin);
    (result.primary(), result.alternate())
}

static BEIDER_MORSE_RULES: LazyLock<ConfigFiles> = LazyLock::new(ConfigFiles::default);
static ANY_LANGUAGE: LazyLock<LanguageSet> = LazyLock::new(|| LanguageSet::from(vec!["any"]));

fn beider_morse() -> BeiderMorse<'static> {
    BeiderMorseBuilder::new(&BEIDER_MORSE_RULES)
        .max_phonemes(12)
        .build()
}

/// Beider-Morse (generic names, approximate rules, the language-independent `any` rules: language guessing
/// on already transliterated text costs four times as much and adds little) alternatives, hashed and
/// sorted; at most `limit`.
pub fn beider_morse_codes(latin: &str, limit: usize) -> Vec<u32> {
    if limit == 0 || latin.is_empty() || latin.len() > 24 {
        return Vec::new();
    }
    let encoded = beider_morse().encode_with_languages(&latin.to_ascii_lowercase(), &ANY_LANGUAGE);
    let mut codes: Vec<u32> = encoded
        .split(['|', '-', '(', ')'])
        .filter(|code| !code.is_empty())
        .map(|code| hash_bytes(b'b', code.as_bytes()) as u32)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes.truncate(limit);
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcriptions_of_foreign_names_share_a_frame() {
        for (transcribed, original) in [
            ("KUPO", "COOPER"),
            ("DELAMENGDE", "DRUMMOND"),
            ("DAOERDUN", "DALTON"),
            ("SIPULIN", "SPRING"),
            ("BAAKUSU", "BURKS"),
            ("FURANKU", "FRANK"),
            ("SAMULUOER", "SUMRALL"),
            ("KAIXI", "CASEY"),
            ("SIPAXIQI", "SPAHICH"),
        ] {
            assert_eq!(
                transcription_frame(transcribed),
                transcription_frame(original),
                "{transcribed} / {original}"
            );
        }
        assert_ne!(transcription_frame("KUPO"), transcription_frame("DRUMMOND"));
    }

    #[test]
    fn transliteration_variants_share_a_skeleton() {
        let expected = skeleton("SHCHERBAKOV");
        for form in [
            "SCHTSCHERBAKOW",
            "SZCZERBAKOW",
            "SCHERBAKOV",
            "CHTCHERBAKOV",
            "SHCHERBAKOFF",
        ] {
            assert_eq!(skeleton(form), expected, "{form}");
        }
        assert_eq!(skeleton("WLADIMIR"), skeleton("VLADIMIR"));
        assert_eq!(skeleton("IULIIA"), skeleton("YULIYA"));
        assert_eq!(skeleton("MOHAMMED"), skeleton("MUHAMMAD"));
        assert_ne!(skeleton("SMITH"), skeleton("JONES"));
    }

    #[test]
    fn abjad_consonants() {
        assert_eq!(consonants("MOHAMMED"), "MHMD");
        assert_eq!(consonants("MHMD"), "MHMD");
        assert_eq!(consonants("MAHMOUD"), consonants("MHMWD"));
    }

    #[test]
    fn phonetic_codes() {
        assert_eq!(
            double_metaphone("MOHAMMED").0,
            double_metaphone("MUHAMMAD").0
        );
        let a = beider_morse_codes("SCHTSCHERBAKOW", 64);
        let b = beider_morse_codes("SZCZERBAKOW", 64);
        assert!(a.iter().any(|c| b.contains(c)));
    }
}
