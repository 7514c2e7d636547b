//! Text clean-up before any name logic: Unicode NFKC, upper case, removal of what is not part of a name
//! (control characters, emoji, vowel points), splitting into tokens, and the script of each token.

use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};

use crate::weights::{MAX_NAME_CHARS, MAX_NAME_TOKENS, MAX_TOKEN_CHARS};

/// The writing systems the engine distinguishes; each has its own transliteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScriptClass {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Georgian,
    Armenian,
    Han,
    Hangul,
    Kana,
    Thai,
    Devanagari,
    /// Other Indic scripts ICU can romanise (Bengali, Tamil, Gujarati, ...).
    Indic,
    Ethiopic,
    Other,
}

impl ScriptClass {
    /// Scripts that write foreign names phonetically, syllable by syllable (庫珀, バークス, 쿠퍼).
    pub fn transcribes_foreign_names(self) -> bool {
        matches!(
            self,
            ScriptClass::Han | ScriptClass::Kana | ScriptClass::Hangul
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            ScriptClass::Latin => "Latin",
            ScriptClass::Cyrillic => "Cyrillic",
            ScriptClass::Greek => "Greek",
            ScriptClass::Arabic => "Arabic",
            ScriptClass::Hebrew => "Hebrew",
            ScriptClass::Georgian => "Georgian",
            ScriptClass::Armenian => "Armenian",
            ScriptClass::Han => "Han",
            ScriptClass::Hangul => "Hangul",
            ScriptClass::Kana => "Kana",
            ScriptClass::Thai => "Thai",
            ScriptClass::Devanagari => "Devanagari",
            ScriptClass::Indic => "Indic",
            ScriptClass::Ethiopic => "Ethiopic",
            ScriptClass::Other => "other",
        }
    }

    /// Scripts that mostly leave short vowels unwritten: compare consonants.
    pub fn is_abjad(self) -> bool {
        matches!(self, ScriptClass::Arabic | ScriptClass::Hebrew)
    }

    /// The script of one character (`None` for punctuation, digits and marks shared by all scripts).
    pub fn of_char(c: char) -> Option<ScriptClass> {
        ScriptClass::of(c.script())
    }

    fn of(script: Script) -> Option<ScriptClass> {
        Some(match script {
            Script::Latin => ScriptClass::Latin,
            Script::Cyrillic => ScriptClass::Cyrillic,
            Script::Greek => ScriptClass::Greek,
            Script::Arabic | Script::Syriac | Script::Thaana => ScriptClass::Arabic,
            Script::Hebrew => ScriptClass::Hebrew,
            Script::Georgian => ScriptClass::Georgian,
            Script::Armenian => ScriptClass::Armenian,
            Script::Han | Script::Bopomofo => ScriptClass::Han,
            Script::Hangul => ScriptClass::Hangul,
            Script::Hiragana | Script::Katakana => ScriptClass::Kana,
            Script::Thai | Script::Lao => ScriptClass::Thai,
            Script::Devanagari => ScriptClass::Devanagari,
            Script::Bengali
            | Script::Gurmukhi
            | Script::Gujarati
            | Script::Oriya
            | Script::Tamil
            | Script::Telugu
            | Script::Kannada
            | Script::Malayalam
            | Script::Sinhala => ScriptClass::Indic,
            Script::Ethiopic => ScriptClass::Ethiopic,
            Script::Common | Script::Inherited | Script::Unknown => return None,
            _ => ScriptClass::Other,
        })
    }
}

/// One token of a name after clean-up: upper case, NFKC, only letters and marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    pub text: String,
    pub script: ScriptClass,
    /// Letters of more than one script in one token (homoglyph spoofing or OCR of a mixed font).
    pub mixed_script: bool,
    /// The token was joined to the previous one by a hyphen.
    pub hyphen_before: bool,
    /// Written entirely in capitals (in a script with case), e.g. the family name in "SMITH John".
    pub all_caps: bool,
}

/// Splits a name into cleaned tokens. Anything odd (truncation, dropped characters) is reported in
/// `warnings`, never an error.
pub fn tokenize(text: &str, warnings: &mut Vec<String>) -> Vec<RawToken> {
    let mut considered: String = text.chars().take(MAX_NAME_CHARS).collect();
    if considered.len() < text.len() {
        warnings.push(format!(
            "name longer than {MAX_NAME_CHARS} characters: only the beginning is used"
        ));
    }
    considered = considered.nfkc().collect();

    let mut tokens = Vec::new();
    let mut current = Word::default();
    let mut hyphen_pending = false;
    let mut dropped_symbols = false;
    let chars: Vec<char> = considered.chars().collect();
    for (at, &c) in chars.iter().enumerate() {
        if is_dropped_mark(c) {
            continue;
        }
        // A digit between Latin letters is an OCR error in a name read from a document: CA5TRO.
        let c = match ocr_letter(c) {
            Some(letter)
                if at > 0
                    && chars[at - 1].is_ascii_alphabetic()
                    && chars
                        .get(at + 1)
                        .is_some_and(|n| n.is_ascii_alphabetic() || ocr_letter(*n).is_some()) =>
            {
                letter
            }
            _ => c,
        };
        if c.is_alphabetic() || is_kept_mark(c) {
            if c.is_lowercase() {
                current.lower = true;
                current.cased += 1;
            } else if c.is_uppercase() {
                current.cased += 1;
            }
            for upper in c.to_uppercase() {
                current.text.push(upper);
            }
            continue;
        }
        match c {
            // Apostrophes and ayn/hamza signs inside a Latin name are not separators: O'BRIEN, MA'RUF.
            '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '\u{02BE}' | '\u{02BF}'
            | '`' | '\u{00B4}' => {}
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' => {
                let had_word = !current.text.is_empty();
                current.flush(hyphen_pending, &mut tokens);
                hyphen_pending = had_word || hyphen_pending;
            }
            _ => {
                if !(c.is_whitespace() || c.is_ascii_punctuation() || c.is_numeric()) {
                    dropped_symbols = true;
                }
                current.flush(hyphen_pending, &mut tokens);
                hyphen_pending = false;
            }
        }
    }
    current.flush(hyphen_pending, &mut tokens);
    if dropped_symbols {
        warnings.push("name contains symbols that are not letters: ignored".to_owned());
    }
    if tokens.len() > MAX_NAME_TOKENS {
        warnings.push(format!(
            "name has more than {MAX_NAME_TOKENS} parts: only the first are used"
        ));
        tokens.truncate(MAX_NAME_TOKENS);
    }
    tokens
}

/// The word being read: its letters and how they were cased.
#[derive(Default)]
struct Word {
    text: String,
    cased: usize,
    lower: bool,
}

impl Word {
    fn flush(&mut self, hyphen_before: bool, tokens: &mut Vec<RawToken>) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        if let Some(mut token) = classify(text, hyphen_before) {
            token.all_caps = self.cased > 1 && !self.lower;
            tokens.push(token);
        }
        self.cased = 0;
        self.lower = false;
    }
}

fn classify(word: String, hyphen_before: bool) -> Option<RawToken> {
    let word: String = word.chars().take(MAX_TOKEN_CHARS).collect();
    let mut counts: Vec<(ScriptClass, usize)> = Vec::new();
    for c in word.chars() {
        if let Some(class) = ScriptClass::of(c.script()) {
            match counts.iter_mut().find(|(k, _)| *k == class) {
                Some((_, n)) => *n += 1,
                None => counts.push((class, 1)),
            }
        }
    }
    // The majority script names the token; ties go to the first seen, which keeps this deterministic.
    let mut best: Option<(ScriptClass, usize)> = None;
    for &(class, n) in &counts {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((class, n));
        }
    }
    let (script, _) = best?;
    Some(RawToken {
        text: word,
        script,
        mixed_script: counts.len() > 1,
        hyphen_before,
        all_caps: false,
    })
}

/// The letter an OCR engine most often misreads as this digit.
fn ocr_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '3' => 'E',
        '4' => 'A',
        '5' => 'S',
        '6' => 'G',
        '7' => 'T',
        '8' => 'B',
        '9' => 'G',
        _ => return None,
    })
}

/// Vowel points and cantillation marks that many records omit; tatweel (a stretching stroke).
fn is_dropped_mark(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' | '\u{0591}'..='\u{05C7}')
}

/// Combining marks that carry sound in Indic and other abugidas (vowel signs, virama) are part of a token.
fn is_kept_mark(c: char) -> bool {
    use unicode_normalization::char::is_combining_mark;
    is_combining_mark(c)
}

/// Upper-case ASCII letters only, with diacritics removed and special letters spelled out (ß → SS, Ø → O).
/// Used on Latin text and on the Latin output of transliterators; characters with no Latin reading vanish.
pub fn fold_to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if c.is_ascii_alphabetic() {
            out.push(c.to_ascii_uppercase());
            continue;
        }
        if c.is_ascii() || unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("SS"),
            'Æ' | 'æ' => out.push_str("AE"),
            'Œ' | 'œ' => out.push_str("OE"),
            'Ø' | 'ø' => out.push('O'),
            'Ł' | 'ł' => out.push('L'),
            'Đ' | 'đ' | 'Ð' | 'ð' => out.push('D'),
            'Þ' | 'þ' => out.push_str("TH"),
            'ı' => out.push('I'),
            'Ħ' | 'ħ' => out.push('H'),
            'Ŋ' | 'ŋ' => out.push_str("NG"),
            'ʿ' | 'ʾ' | 'ʻ' | 'ʼ' | '‘' | '’' | 'ʹ' | 'ʺ' | 'ǝ' | 'Ə' | 'ə' => {
                if matches!(c, 'ǝ' | 'Ə' | 'ə') {
                    out.push('E');
                }
            }
            _ => {
                for a in any_ascii::any_ascii_char(c).chars() {
                    if a.is_ascii_alphabetic() {
                        out.push(a.to_ascii_uppercase());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(name: &str) -> Vec<String> {
        let mut w = Vec::new();
        tokenize(name, &mut w).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_and_upper_cases() {
        assert_eq!(texts("Владимир  Щербаков"), ["ВЛАДИМИР", "ЩЕРБАКОВ"]);
        assert_eq!(texts("SHCHERBAKOV<<VLADIMIR"), ["SHCHERBAKOV", "VLADIMIR"]);
        assert_eq!(texts("al-Rashid, O'Brien"), ["AL", "RASHID", "OBRIEN"]);
        assert_eq!(texts("Straße"), ["STRASSE"]);
        assert_eq!(texts("ＪＯＨＮ"), ["JOHN"]);
        assert_eq!(texts("CA5TRO<<ELENA"), ["CASTRO", "ELENA"]);
        assert_eq!(texts("R2D2 5MITH"), ["RZD", "MITH"]);
    }

    #[test]
    fn scripts_per_token() {
        let mut w = Vec::new();
        let tokens = tokenize("Ivan Иван محمد 王小明 김민준", &mut w);
        let scripts: Vec<_> = tokens.iter().map(|t| t.script).collect();
        assert_eq!(
            scripts,
            [
                ScriptClass::Latin,
                ScriptClass::Cyrillic,
                ScriptClass::Arabic,
                ScriptClass::Han,
                ScriptClass::Hangul
            ]
        );
    }

    #[test]
    fn drops_emoji_and_control_characters_with_a_warning() {
        let mut w = Vec::new();
        let tokens = tokenize("Jo\u{0007}hn 😀 Smith", &mut w);
        assert_eq!(tokens.len(), 3);
        assert!(!w.is_empty());
    }

    #[test]
    fn folds_to_ascii() {
        assert_eq!(fold_to_ascii("Ŝerbakov"), "SERBAKOV");
        assert_eq!(fold_to_ascii("Müller-Łódź"), "MULLERLODZ");
        assert_eq!(fold_to_ascii("mḩmd ‘bd"), "MHMDBD");
    }
}
