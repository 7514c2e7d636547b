//! Reading a foreign name across scripts by its consonants: a name written in Arabic, Hebrew, katakana,
//! hangul or Chinese characters is compared with a Latin spelling sound by sound, through the letters these
//! scripts use when they write foreign (mostly English and European) names: ب for B and P, ف for F and V,
//! ו for V, W, O and U, ト for T, 프 for P and F, 斯 for S. Vowels are left out on both sides: Arabic and
//! Hebrew do not write short vowels, and katakana, hangul and Chinese add one after every consonant.
//!
//! A token becomes a sequence of [`Unit`]s, one per consonant sound, each with the set of sound classes it
//! may stand for. Two sequences agree when an alignment pairs every consonant with one of a compatible
//! class, allowing letters that may be silent (alef, ayin, he at the end, the Latin H, W and Y) to pair
//! with nothing; [`alignment_cost`] counts what is left unexplained.

use crate::keys::hash_bytes;
use crate::text::ScriptClass;

/// Sound classes, one bit each. A unit's mask holds every class it may stand for.
mod class {
    pub const B: u32 = 1 << 0;
    pub const P: u32 = 1 << 1;
    pub const F: u32 = 1 << 2;
    pub const V: u32 = 1 << 3;
    pub const W: u32 = 1 << 4;
    pub const M: u32 = 1 << 5;
    pub const N: u32 = 1 << 6;
    pub const T: u32 = 1 << 7;
    pub const D: u32 = 1 << 8;
    /// θ, as in THOMAS (English) or ث.
    pub const TH: u32 = 1 << 9;
    /// ð, as in ذ.
    pub const DH: u32 = 1 << 10;
    pub const S: u32 = 1 << 11;
    pub const Z: u32 = 1 << 12;
    pub const SH: u32 = 1 << 13;
    /// ʒ, as in ZHANNA or ژ.
    pub const ZH: u32 = 1 << 14;
    pub const CH: u32 = 1 << 15;
    /// dʒ, as in JOHN or ج.
    pub const J: u32 = 1 << 16;
    pub const TS: u32 = 1 << 17;
    pub const K: u32 = 1 << 18;
    pub const G: u32 = 1 << 19;
    pub const Q: u32 = 1 << 20;
    /// x, as in KHALED or ח.
    pub const KH: u32 = 1 << 21;
    /// ɣ, as in غ.
    pub const GH: u32 = 1 << 22;
    pub const H: u32 = 1 << 23;
    pub const L: u32 = 1 << 24;
    pub const R: u32 = 1 << 25;
    pub const Y: u32 = 1 << 26;
}

use class::*;

/// Classes that a silent or vowel letter of the other side may also stand for: a unit holding one of them
/// may be left out of a blocking key.
const GLIDES: u32 = W | Y | H;

/// One consonant sound of a token: the classes it may stand for, and whether it may be silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub mask: u32,
    /// The class a writer of this script means first, for the blocking key (native tokens only).
    pub primary: u32,
    /// The letter may stand for nothing (alef, ayin, a final he, the Latin H, W and Y, the katakana long
    /// vowel mark): leaving it unpaired costs nothing.
    pub optional: bool,
    /// A Latin R or L not followed by a vowel: Chinese, Japanese and Korean transcriptions of English
    /// names often drop such an R (BERKOFF 버코프, HARVARD ハーバード).
    pub coda: bool,
    /// A Latin TS or X, or a katakana ツ: may also pair with two units of the other side (WATSON ワトソン,
    /// DIXON 딕슨).
    pub split: bool,
}

impl Unit {
    const fn new(mask: u32) -> Unit {
        Unit {
            mask,
            primary: lowest_bit(mask),
            optional: false,
            coda: false,
            split: false,
        }
    }

    const fn optional(mask: u32) -> Unit {
        Unit {
            mask,
            primary: lowest_bit(mask),
            optional: true,
            coda: false,
            split: false,
        }
    }

    /// A unit whose usual reading is `primary`, and that may also stand for `others`.
    const fn reads(primary: u32, others: u32) -> Unit {
        Unit {
            mask: primary | others,
            primary,
            optional: false,
            coda: false,
            split: false,
        }
    }

    const fn splitting(self) -> Unit {
        Unit {
            split: true,
            ..self
        }
    }
}

const fn lowest_bit(mask: u32) -> u32 {
    mask & mask.wrapping_neg()
}

/// Whether a token of this script is read by [`native_units`].
pub fn transcribes(script: ScriptClass) -> bool {
    matches!(
        script,
        ScriptClass::Arabic
            | ScriptClass::Hebrew
            | ScriptClass::Cyrillic
            | ScriptClass::Kana
            | ScriptClass::Hangul
            | ScriptClass::Han
    )
}

/// Whether the script's transcriptions of English names drop an R that no vowel follows.
pub fn drops_coda_r(script: ScriptClass) -> bool {
    matches!(
        script,
        ScriptClass::Kana | ScriptClass::Hangul | ScriptClass::Han
    )
}

/// Most units considered per token (longer tokens are cut; names are much shorter).
pub const MAX_UNITS: usize = 24;

/// The consonant units of a token in Arabic, Hebrew, Kana or Hangul script, or of a Han token given its
/// pinyin syllables (`pinyin`, upper-case ASCII, one per character). Empty for other scripts.
pub fn native_units(surface: &str, script: ScriptClass, pinyin: &[String]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut reader = Reader::new(&mut out);
    match script {
        ScriptClass::Arabic => arabic_units(surface, &mut reader),
        ScriptClass::Hebrew => {
            for c in surface.chars() {
                if let Some(unit) = hebrew_unit(c) {
                    // An abjad leaves the vowel between two letters unwritten: never merge them.
                    reader.vowel();
                    reader.push(unit);
                }
            }
        }
        ScriptClass::Kana => {
            for c in surface.chars() {
                kana_units(c, &mut reader);
            }
        }
        ScriptClass::Cyrillic => cyrillic_units(surface, &mut reader),
        ScriptClass::Hangul => {
            for c in surface.chars() {
                hangul_units(c, &mut reader);
            }
        }
        ScriptClass::Han => {
            for syllable in pinyin {
                pinyin_units(syllable, &mut reader);
            }
        }
        _ => {}
    }
    out.truncate(MAX_UNITS);
    out
}

/// Collects units, merging a unit into the previous one when the same sound is written twice with no
/// vowel between (Latin doubled letters, Korean 올리버 writing the L of OLIVER at the end of one syllable
/// and the start of the next, Chinese 安娜 AN NA for ANNA).
struct Reader<'a> {
    out: &'a mut Vec<Unit>,
    vowel_since: bool,
}

impl<'a> Reader<'a> {
    fn new(out: &'a mut Vec<Unit>) -> Self {
        out.clear();
        Reader {
            out,
            vowel_since: true,
        }
    }

    fn push(&mut self, unit: Unit) {
        let repeated = !self.vowel_since
            && self
                .out
                .last()
                .is_some_and(|last| last.mask == unit.mask && last.optional == unit.optional);
        if !repeated {
            self.out.push(unit);
        }
        self.vowel_since = false;
    }

    fn vowel(&mut self) {
        self.vowel_since = true;
    }
}

fn arabic_units(surface: &str, out: &mut Reader<'_>) {
    let chars: Vec<char> = surface.chars().collect();
    // The article ال may be written, assimilated (ASH-SHAMI) or left out in Latin: its L may be silent.
    let article = chars.len() >= 4 && chars[0] == 'ا' && chars[1] == 'ل';
    for (i, &c) in chars.iter().enumerate() {
        let last = i + 1 == chars.len();
        let unit = match c {
            'ب' => Unit::reads(B, P | V),
            'پ' => Unit::reads(P, B),
            'ت' => Unit::reads(T, TH),
            'ث' => Unit::reads(TH, S | T),
            'ج' => Unit::reads(J, G | ZH),
            'چ' => Unit::reads(CH, J),
            'ح' => Unit::reads(H, KH),
            'خ' => Unit::reads(KH, H | K | CH),
            'د' => Unit::reads(D, DH | TH),
            'ذ' => Unit::reads(DH, Z | D | TH),
            'ر' => Unit::new(R),
            'ز' => Unit::reads(Z, S | ZH | TS),
            'ژ' => Unit::reads(ZH, J | Z),
            'س' => Unit::reads(S, Z | TH | TS),
            'ش' => Unit::reads(SH, CH),
            'ص' => Unit::reads(S, TS),
            'ض' => Unit::reads(D, DH | Z),
            'ط' => Unit::reads(T, TH),
            'ظ' => Unit::reads(Z, DH),
            'غ' => Unit::reads(GH, G | R | KH),
            'ف' => Unit::reads(F, V | P),
            'ڤ' => Unit::reads(V, F),
            'ق' => Unit::reads(Q, K | G),
            'ك' | 'ک' => Unit::reads(K, G | Q),
            'گ' => Unit::reads(G, K),
            'ل' if i == 1 && article => Unit::optional(L),
            'ل' => Unit::new(L),
            'م' => Unit::new(M),
            'ن' => Unit::new(N),
            'ه' | 'ھ' if last => Unit::optional(H),
            'ه' | 'ھ' => Unit::new(H),
            'ة' => Unit::optional(H | T),
            'و' | 'ؤ' => Unit::optional(W | V),
            'ي' | 'ی' | 'ى' | 'ئ' => Unit::optional(Y | J),
            // Alef, hamza and ayin carry vowels or nothing a Latin spelling writes as a consonant.
            _ => continue,
        };
        // An abjad leaves the vowel between two letters unwritten: never merge them.
        out.vowel();
        out.push(unit);
    }
}

/// Cyrillic as Russian and Ukrainian write foreign names: ДЖ for J (ДЖЕРОМ, JEROME), Х for H (ГРЭХЭМ),
/// Г for G or H, and the Polivanov spelling of Japanese names (ТИ for CHI, СИ for SHI: ЯМАГУТИ).
fn cyrillic_units(surface: &str, out: &mut Reader<'_>) {
    let chars: Vec<char> = surface.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let before_i = next == 'И';
        // A doubled consonant is one sound (ДЖЕССИКА).
        if next == c && !is_cyrillic_vowel(c) {
            i += 1;
            continue;
        }
        let unit = match c {
            'Д' if matches!(next, 'Ж' | 'З') => {
                i += 1;
                Unit::reads(J, ZH | Z)
            }
            'Б' => Unit::new(B),
            'В' => Unit::reads(V, W | F),
            'Г' => Unit::reads(G, H),
            'Ґ' => Unit::new(G),
            'Д' => Unit::reads(D, TH | DH),
            'Ж' => Unit::reads(ZH, J),
            'З' => Unit::reads(Z, S | TH | DH),
            'Й' | 'Ї' | 'Є' | 'Ю' | 'Я' | 'Ё' if i == 0 || is_cyrillic_vowel(chars[i - 1]) => {
                Unit::optional(Y | J)
            }
            'К' => Unit::reads(K, Q | CH),
            'Л' => Unit::new(L),
            'М' => Unit::new(M),
            'Н' => Unit::new(N),
            'П' => Unit::new(P),
            'Р' => Unit::new(R),
            'С' if before_i => Unit::reads(S, SH | TH | Z),
            'С' => Unit::reads(S, Z | TH),
            'Т' if before_i => Unit::reads(T, TH | CH),
            'Т' => Unit::reads(T, TH),
            'Ф' => Unit::reads(F, V | TH),
            'Х' => Unit::reads(KH, H | K | CH),
            'Ц' => Unit::reads(TS, Z | S | CH).splitting(),
            'Ч' => Unit::reads(CH, TS),
            'Ш' => Unit::reads(SH, CH),
            'Щ' => Unit::reads(SH, CH),
            'Ў' => Unit::optional(W | V),
            _ => {
                // Vowels, and the soft and hard signs.
                if is_cyrillic_vowel(c) {
                    out.vowel();
                }
                i += 1;
                continue;
            }
        };
        out.push(unit);
        i += 1;
    }
}

fn is_cyrillic_vowel(c: char) -> bool {
    matches!(
        c,
        'А' | 'Е' | 'Ё' | 'И' | 'О' | 'У' | 'Ы' | 'Э' | 'Ю' | 'Я' | 'І' | 'Ї' | 'Є' | 'Ў'
    )
}

fn hebrew_unit(c: char) -> Option<Unit> {
    Some(match c {
        'ב' => Unit::reads(B, V),
        'ג' => Unit::reads(G, J),
        'ד' => Unit::reads(D, DH | TH),
        'ה' => Unit::optional(H),
        'ו' => Unit::optional(V | W),
        'ז' => Unit::reads(Z, ZH | S),
        'ח' => Unit::reads(KH, H | CH),
        'ט' => Unit::reads(T, TH),
        'י' => Unit::optional(Y | J),
        'כ' | 'ך' => Unit::reads(K, KH | CH | Q),
        'ל' => Unit::new(L),
        'מ' | 'ם' => Unit::new(M),
        'נ' | 'ן' => Unit::new(N),
        'ס' => Unit::reads(S, Z | TH),
        'פ' | 'ף' => Unit::reads(P, F),
        'צ' | 'ץ' => Unit::reads(TS, Z | S | CH | ZH),
        'ק' => Unit::reads(K, Q),
        'ר' => Unit::new(R),
        'ש' => Unit::reads(SH, S),
        'ת' => Unit::reads(T, TH | S),
        // Alef and ayin carry vowels.
        _ => return None,
    })
}

/// The consonant a katakana or hiragana letter begins with (vowels alone give nothing, or a glide).
fn kana_units(c: char, out: &mut Reader<'_>) {
    // Hiragana is katakana shifted by 0x60.
    let c = match c {
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    };
    let unit = match c {
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' => Unit::reads(K, Q),
        'ガ' | 'ギ' | 'グ' | 'ゲ' | 'ゴ' => Unit::new(G),
        'サ' | 'ス' | 'セ' | 'ソ' => Unit::reads(S, TH | Z | TS),
        'シ' => Unit::reads(SH, S),
        'ザ' | 'ズ' | 'ゼ' | 'ゾ' => Unit::reads(Z, S | TH | DH),
        'ジ' => Unit::reads(J, ZH | Z),
        'タ' | 'テ' | 'ト' => Unit::reads(T, TH),
        'チ' => Unit::reads(CH, T | TS),
        'ツ' => Unit::reads(TS, T | Z | S).splitting(),
        'ダ' | 'デ' | 'ド' => Unit::reads(D, TH | DH),
        'ヂ' => Unit::new(J),
        'ヅ' => Unit::reads(Z, D),
        'ナ' | 'ニ' | 'ヌ' | 'ネ' | 'ノ' => Unit::new(N),
        'ハ' | 'ヒ' | 'ヘ' | 'ホ' => Unit::reads(H, KH),
        'フ' => Unit::reads(F, H | V),
        'バ' | 'ビ' | 'ブ' | 'ベ' | 'ボ' => Unit::reads(B, V),
        'ヴ' => Unit::reads(V, B),
        'パ' | 'ピ' | 'プ' | 'ペ' | 'ポ' => Unit::new(P),
        'マ' | 'ミ' | 'ム' | 'メ' | 'モ' => Unit::new(M),
        'ヤ' | 'ユ' | 'ヨ' | 'ャ' | 'ュ' | 'ョ' | 'イ' | 'ィ' => Unit::optional(Y | J),
        'ラ' | 'リ' | 'ル' | 'レ' | 'ロ' => Unit::reads(R, L),
        'ワ' | 'ヲ' | 'ウ' | 'ゥ' => Unit::optional(W | V),
        'ン' => Unit::reads(N, M),
        // The long vowel mark stands for the R of -ER, -OR, -AR in English names (ハーバード HARVARD).
        'ー' => Unit::optional(R),
        'ッ' => return,
        _ => {
            out.vowel();
            return;
        }
    };
    out.push(unit);
    // Every kana but ン and the long vowel mark ends in a vowel.
    if !matches!(c, 'ン' | 'ー') {
        out.vowel();
    }
}

fn hangul_units(c: char, out: &mut Reader<'_>) {
    let code = c as u32;
    if !(0xAC00..=0xD7A3).contains(&code) {
        return;
    }
    let index = code - 0xAC00;
    let (initial, medial, last) = (index / 588, (index % 588) / 28, index % 28);
    const INITIALS: [Option<Unit>; 19] = [
        Some(Unit::reads(G, K)),           // ㄱ
        Some(Unit::reads(K, G)),           // ㄲ
        Some(Unit::new(N)),                // ㄴ
        Some(Unit::reads(D, T | TH)),      // ㄷ
        Some(Unit::reads(T, D)),           // ㄸ
        Some(Unit::reads(R, L)),           // ㄹ
        Some(Unit::new(M)),                // ㅁ
        Some(Unit::reads(B, V | P)),       // ㅂ
        Some(Unit::reads(P, B)),           // ㅃ
        Some(Unit::reads(S, SH | TH | Z)), // ㅅ
        Some(Unit::reads(S, SH)),          // ㅆ
        None,                              // ㅇ: silent before a vowel
        Some(Unit::reads(J, Z | ZH)),      // ㅈ
        Some(Unit::reads(J, TS | CH)),     // ㅉ
        Some(Unit::reads(CH, TS)),         // ㅊ
        Some(Unit::reads(K, Q | KH)),      // ㅋ
        Some(Unit::reads(T, TH)),          // ㅌ
        Some(Unit::reads(P, F)),           // ㅍ
        Some(Unit::reads(H, KH)),          // ㅎ
    ];
    if let Some(Some(unit)) = INITIALS.get(initial as usize) {
        out.push(*unit);
    }
    // ㅘ ㅙ ㅚ ㅝ ㅞ ㅟ ㅢ begin with W; ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ with Y.
    match medial {
        9..=11 | 14..=16 | 19 => out.push(Unit::optional(W | V)),
        2 | 3 | 6 | 7 | 12 | 17 => out.push(Unit::optional(Y | J)),
        _ => {}
    }
    out.vowel();
    let finals: &[Unit] = match last {
        1 | 2 => &[Unit::reads(K, G)],
        3 => &[Unit::reads(K, G), Unit::reads(S, Z)],
        4..=6 => &[Unit::new(N)],
        7 => &[Unit::reads(T, D)],
        8 => &[Unit::reads(L, R)],
        9 => &[Unit::reads(L, R), Unit::reads(K, G)],
        10 => &[Unit::reads(L, R), Unit::new(M)],
        11 => &[Unit::reads(L, R), Unit::reads(B, P)],
        12..=15 => &[Unit::reads(L, R)],
        16 => &[Unit::new(M)],
        17 => &[Unit::reads(P, B)],
        18 => &[Unit::reads(P, B), Unit::reads(S, Z)],
        // A final ㅅ writes the T or S of a foreign word (로봇 ROBOT).
        19 | 20 => &[Unit::reads(T, S)],
        21 => &[Unit::reads(N, G)],
        22 | 23 => &[Unit::reads(T, CH | J)],
        24 => &[Unit::reads(K, G)],
        25 => &[Unit::new(T)],
        26 => &[Unit::new(P)],
        _ => &[],
    };
    for unit in finals {
        out.push(*unit);
    }
}

/// One pinyin syllable (upper case, no tones): its initial, and the N of a final -N or -NG.
fn pinyin_units(syllable: &str, out: &mut Reader<'_>) {
    const INITIALS: &[(&str, Unit)] = &[
        ("ZH", Unit::reads(J, ZH | Z | CH | G)),
        ("CH", Unit::reads(CH, TS | SH)),
        ("SH", Unit::reads(SH, S)),
        ("B", Unit::reads(B, P | V)),
        ("P", Unit::reads(P, B)),
        ("M", Unit::new(M)),
        ("F", Unit::reads(F, V)),
        ("D", Unit::reads(D, T | TH)),
        ("T", Unit::reads(T, D | TH)),
        ("N", Unit::new(N)),
        ("L", Unit::reads(L, R)),
        ("G", Unit::reads(G, K)),
        ("K", Unit::reads(K, Q | G)),
        ("H", Unit::reads(H, KH)),
        // J, Q and X write K, K and S or H before I in foreign names (基辅 JIFU for KIEV).
        ("J", Unit::reads(J, G | ZH | Z | K)),
        ("Q", Unit::reads(CH, J | K | Q | TS)),
        ("X", Unit::reads(S, SH | Z)),
        ("R", Unit::reads(R, L | J)),
        ("Z", Unit::reads(Z, TS | S | J)),
        ("C", Unit::reads(TS, S | CH | K)),
        ("S", Unit::reads(S, TH | Z | TS)),
        ("Y", Unit::optional(Y | J)),
        ("W", Unit::optional(W | V)),
    ];
    let rest = match INITIALS.iter().find(|(p, _)| syllable.starts_with(p)) {
        Some((p, unit)) => {
            out.push(*unit);
            &syllable[p.len()..]
        }
        None => syllable,
    };
    out.vowel();
    // 尔 (ER) writes an R or L, or only lengthens the vowel before it.
    if rest == "ER" {
        out.push(Unit::optional(R | L));
    } else if rest.ends_with("NG") || rest.ends_with('N') {
        out.push(Unit::reads(N, M));
    }
}

/// The consonant units of an upper-case ASCII Latin spelling, read as a European name is pronounced:
/// CH, SH, TH, PH, KH, GH, ZH, DJ, TS and the German and Slavic clusters as one sound, C and G soft before
/// E, I and Y, doubled letters once, vowels left out, H, W and a Y before a vowel optional.
pub fn latin_units(latin: &str, out: &mut Vec<Unit>) {
    let b = latin.as_bytes();
    let n = b.len();
    let is_vowel = |i: usize| i < n && matches!(b[i], b'A' | b'E' | b'I' | b'O' | b'U' | b'Y');
    let front = |i: usize| i < n && matches!(b[i], b'E' | b'I' | b'Y');
    const CLUSTERS: &[(&str, u32)] = &[
        ("SCHTSCH", SH | CH),
        ("SHTSCH", SH | CH),
        ("CHTCH", SH | CH),
        ("SHCH", SH | CH),
        ("SZCZ", SH | CH),
        ("TSCH", CH),
        ("DSCH", J | ZH),
        ("DZH", J),
        ("DSH", J),
        ("TCH", CH),
        ("SCH", SH),
        ("CH", CH | SH | K | KH),
        ("SH", SH),
        ("ZH", ZH | J),
        ("KH", KH | K | H),
        ("PH", F),
        ("TH", TH | T | DH | S | D | Z),
        ("DH", DH | D | Z | TH),
        ("DJ", J),
        ("DZ", J | Z | TS),
        ("CZ", CH),
        ("SZ", SH | S),
        ("CK", K),
        ("RH", R),
    ];
    let mut reader = Reader::new(out);
    let mut i = 0;
    while i < n {
        let c = b[i];
        let next = b.get(i + 1).copied().unwrap_or(0);
        if matches!(c, b'A' | b'E' | b'I' | b'O' | b'U') || (c == b'Y' && !is_vowel(i + 1)) {
            reader.vowel();
            i += 1;
            continue;
        }
        // A doubled consonant is one sound (but CC before E or I is K + S or CH).
        if next == c && !(c == b'C' && front(i + 2)) && !matches!(c, b'L' | b'R') {
            i += 1;
            continue;
        }
        if let Some((pattern, mask)) = CLUSTERS
            .iter()
            .find(|(p, _)| b[i..].starts_with(p.as_bytes()))
        {
            reader.push(Unit::new(*mask));
            i += pattern.len();
            continue;
        }
        let (unit, width) = match c {
            b'B' => (Unit::new(B), 1),
            b'C' if next == b'C' && front(i + 2) => (Unit::new(CH | K | S).splitting(), 2),
            b'C' if front(i + 1) => (Unit::new(S | CH | TS | TH), 1),
            b'C' => (Unit::new(K | Q), 1),
            // -DS at the end of English names is one sound in katakana and hangul (EDWARDS エドワーズ).
            b'D' if next == b'S' && i + 2 == n => (Unit::new(D | Z | S).splitting(), 2),
            b'D' => (Unit::new(D), 1),
            b'F' => (Unit::new(F), 1),
            // GH after a vowel and before a consonant or the end is silent (WRIGHT, HUGHES).
            b'G' if next == b'H' && i >= 1 && is_vowel(i - 1) && !is_vowel(i + 2) => {
                (Unit::optional(GH | G | F), 2)
            }
            b'G' if next == b'H' => (Unit::new(GH | G), 2),
            b'G' if next == b'U' && front(i + 2) => (Unit::new(G), 2),
            b'G' if front(i + 1) => (Unit::new(G | J | ZH | KH), 1),
            b'G' => (Unit::new(G), 1),
            b'H' => (Unit::optional(H | KH), 1),
            b'J' => (Unit::new(J | Y | ZH | KH | H), 1),
            b'K' if next == b'N' && i == 0 => (Unit::optional(K), 1),
            b'K' => (Unit::new(K | Q), 1),
            b'L' | b'R' => {
                let mut end = i + 1;
                while end < n && b[end] == c {
                    end += 1;
                }
                let unit = Unit {
                    coda: !is_vowel(end),
                    ..Unit::new(if c == b'L' { L } else { R })
                };
                (unit, end - i)
            }
            b'M' => (Unit::new(M), 1),
            b'N' if next == b'G' && !is_vowel(i + 2) => {
                reader.push(Unit::new(N));
                (Unit::optional(G | K), 2)
            }
            b'N' => (Unit::new(N), 1),
            b'P' => (Unit::new(P), 1),
            b'Q' if next == b'U' => (Unit::new(Q | K), 2),
            b'Q' => (Unit::new(Q | K), 1),
            b'S' if next == b'C' && front(i + 2) => (Unit::new(S | SH), 2),
            b'S' => (Unit::new(S | Z), 1),
            // TS and TZ: one sound in Slavic and German spellings (Ц), T and S in English (WATSON).
            b'T' if matches!(next, b'S' | b'Z') => (Unit::new(TS | Z | S | CH | T).splitting(), 2),
            b'T' => (Unit::new(T), 1),
            b'V' => (Unit::new(V | F | W | B), 1),
            b'W' if next == b'H' => (Unit::optional(W | H), 2),
            b'W' => (Unit::optional(W | V), 1),
            b'X' => (Unit::new(K | G | S | Z).splitting(), 1),
            b'Y' => (Unit::optional(Y | J), 1),
            b'Z' => (Unit::new(Z | S | TS | TH | DH), 1),
            _ => {
                i += 1;
                continue;
            }
        };
        reader.push(unit);
        i += width;
    }
    out.truncate(MAX_UNITS);
}

/// What an alignment of a native token's units with a Latin spelling's leaves unexplained, in half
/// points: 2 for each consonant paired with an incompatible one or with nothing, 1 for an R no vowel
/// follows that the script drops, nothing for letters that may be silent. `None` when it exceeds `limit`.
pub fn alignment_cost(
    native: &[Unit],
    latin: &[Unit],
    drops_coda_r: bool,
    limit: u32,
) -> Option<u32> {
    const FAR: u32 = u32::MAX / 4;
    let native = &native[..native.len().min(MAX_UNITS)];
    let latin = &latin[..latin.len().min(MAX_UNITS)];
    let skip_native = |u: &Unit| if u.optional { 0 } else { 2 };
    let skip_latin = |u: &Unit| {
        if u.optional {
            0
        } else if u.coda && drops_coda_r && u.mask == R {
            1
        } else {
            2
        }
    };
    // A cheap bound first: what each side must have paired differs by more than the limit.
    let need_native: u32 = native.iter().map(skip_native).sum();
    let need_latin: u32 = latin.iter().map(skip_latin).sum();
    if need_native.abs_diff(need_latin) > limit + 2 {
        return None;
    }
    let pair = |a: &Unit, b: &Unit| {
        if a.mask & b.mask != 0 {
            0
        } else if a.optional || b.optional {
            // A letter that may be silent is skipped rather than paired with a sound it cannot be.
            FAR
        } else {
            2
        }
    };
    // Each consonant of one side that no unit of the other side can stand for costs a point whatever
    // the alignment: most pairs of unrelated names stop here.
    let unexplained = |units: &[Unit], skip: &dyn Fn(&Unit) -> u32, others: &[Unit]| -> u32 {
        let any = others.iter().fold(0, |set, u| set | u.mask);
        units.iter().filter(|u| u.mask & any == 0).map(skip).sum()
    };
    if unexplained(native, &skip_native, latin) > limit
        || unexplained(latin, &skip_latin, native) > limit
    {
        return None;
    }
    let (n, m) = (native.len(), latin.len());
    // Three rows of the table: i - 2 (for a unit paired with two), i - 1 and i.
    let mut rows = [[FAR; MAX_UNITS + 1]; 3];
    rows[0][0] = 0;
    for j in 0..m {
        rows[0][j + 1] = rows[0][j] + skip_latin(&latin[j]);
    }
    for i in 1..=n {
        let (current, previous, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        let a = &native[i - 1];
        let mut row = [FAR; MAX_UNITS + 1];
        row[0] = rows[previous][0] + skip_native(a);
        let mut row_min = row[0];
        for j in 1..=m {
            let b = &latin[j - 1];
            let mut value = (rows[previous][j - 1].saturating_add(pair(a, b)))
                .min(rows[previous][j] + skip_native(a))
                .min(row[j - 1] + skip_latin(b));
            // One sound written with two letters on the other side (WATSON ワトソン, DIXON 딕슨).
            if b.split && i >= 2 && b.mask & a.mask != 0 && b.mask & native[i - 2].mask != 0 {
                value = value.min(rows[before][j - 1]);
            }
            if a.split && j >= 2 && a.mask & b.mask != 0 && a.mask & latin[j - 2].mask != 0 {
                value = value.min(rows[previous][j - 2]);
            }
            row[j] = value;
            row_min = row_min.min(value);
        }
        let previous_min = rows[previous][..=m].iter().copied().min().unwrap_or(FAR);
        rows[current] = row;
        if row_min > limit && previous_min > limit {
            return None;
        }
    }
    let total = rows[n % 3][m];
    (total <= limit).then_some(total)
}

/// How many consonants of the units must be explained: the evidence an agreement rests on.
pub fn substance(units: &[Unit]) -> usize {
    units.iter().filter(|u| !u.optional).count()
}

/// The coarse class of a sound class, for blocking keys: labials, dentals, sibilants, velars, M, N and
/// the liquids; H and Y have none (they are often unwritten).
fn group(bit: u32) -> u8 {
    if bit & (B | P | F | V | W) != 0 {
        b'P'
    } else if bit & M != 0 {
        b'M'
    } else if bit & N != 0 {
        b'N'
    } else if bit & (T | D | TH | DH) != 0 {
        b'T'
    } else if bit & (S | Z | SH | ZH | CH | J | TS) != 0 {
        b'S'
    } else if bit & (K | G | Q | KH | GH) != 0 {
        b'K'
    } else if bit & (L | R) != 0 {
        b'L'
    } else {
        0
    }
}

/// The coarse groups a unit may fall in (0: none, it may be silent), in a fixed order.
fn groups_of(unit: &Unit, native: bool, out: &mut Vec<u8>) {
    out.clear();
    if unit.optional {
        out.push(0);
        return;
    }
    if native {
        out.push(group(unit.primary));
    }
    let mut mask = unit.mask;
    while mask != 0 {
        let bit = lowest_bit(mask);
        mask &= !bit;
        let g = group(bit);
        if !out.contains(&g) {
            out.push(g);
        }
    }
    if unit.mask & GLIDES != 0 && !out.contains(&0) {
        out.push(0);
    }
    if unit.coda && unit.mask == R && !out.contains(&0) {
        out.push(0);
    }
}

/// Most blocking keys per spelling: the readings of ambiguous letters multiply.
const MAX_KEYS: usize = 8;

/// Blocking keys from units: the sequence of coarse groups (silent letters left out, repeats merged),
/// one per reading of the ambiguous units, at most [`MAX_KEYS`]; only sequences of `min_len` groups or
/// more (at least two).
/// `tag` separates the keys of native records (looked up by Latin query tokens) from those of Latin
/// records (looked up by native query tokens).
pub fn blocking_keys(units: &[Unit], native: bool, tag: u8, min_len: usize, out: &mut Vec<u64>) {
    let mut options: Vec<Vec<u8>> = Vec::with_capacity(units.len());
    let mut scratch = Vec::new();
    for unit in units {
        groups_of(unit, native, &mut scratch);
        // A native token's key follows its usual reading only; a Latin spelling tries its readings.
        if native {
            scratch.truncate(1);
        }
        options.push(scratch.clone());
    }
    let mut keys: Vec<Vec<u8>> = vec![Vec::new()];
    for choices in &options {
        let mut grown = Vec::with_capacity(keys.len() * choices.len());
        for key in &keys {
            for &g in choices {
                if grown.len() >= MAX_KEYS {
                    break;
                }
                let mut k = key.clone();
                if g != 0 && k.last() != Some(&g) {
                    k.push(g);
                }
                grown.push(k);
            }
        }
        grown.sort();
        grown.dedup();
        keys = grown;
    }
    for key in keys {
        if key.len() >= min_len.max(2) {
            out.push(hash_bytes(tag, &key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin(text: &str) -> Vec<Unit> {
        let mut out = Vec::new();
        latin_units(text, &mut out);
        out
    }

    fn native(text: &str, script: ScriptClass) -> Vec<Unit> {
        native_units(text, script, &[])
    }

    fn cost(native_units: &[Unit], script: ScriptClass, spelling: &str) -> Option<u32> {
        alignment_cost(native_units, &latin(spelling), drops_coda_r(script), 4)
    }

    #[test]
    fn foreign_names_in_abjads_align_with_their_spelling() {
        for (written, spelling) in [
            ("فيسنتي", "VICENTE"),
            ("بول", "PAUL"),
            ("واشنطن", "WASHINGTON"),
            ("غارلاند", "GARLAND"),
            ("تريفور", "TREVOR"),
            ("جونز", "JOHNS"),
            ("ماجي", "MAGEE"),
            ("كيتون", "KEATON"),
            ("هيجينبوثام", "HIGGINBOTHAM"),
            ("جلاء", "DSCHALA"),
            ("الشامي", "SHAMI"),
        ] {
            let units = native(written, ScriptClass::Arabic);
            assert_eq!(
                cost(&units, ScriptClass::Arabic, spelling),
                Some(0),
                "{written} / {spelling}"
            );
        }
        for (written, spelling) in [
            ("אמי", "EMMY"),
            ("פריירה", "FERREIRA"),
            ("שרון", "SHARON"),
            ("דניאלה", "DANIELA"),
            ("ברקוביץ", "BERKOVITS"),
            ("יעקב", "YAKOV"),
            ("דוד", "DAVID"),
            ("לב", "LEV"),
        ] {
            let units = native(written, ScriptClass::Hebrew);
            assert_eq!(
                cost(&units, ScriptClass::Hebrew, spelling),
                Some(0),
                "{written} / {spelling}"
            );
        }
    }

    #[test]
    fn foreign_names_in_syllabic_scripts_align_with_their_spelling() {
        for (written, script, spelling) in [
            ("トレバー", ScriptClass::Kana, "TREVOR"),
            ("バージェス", ScriptClass::Kana, "BURGESS"),
            ("ホリー", ScriptClass::Kana, "HOLLEY"),
            ("ワトソン", ScriptClass::Kana, "WATSON"),
            ("라이트", ScriptClass::Hangul, "WRIGHT"),
            ("버코프", ScriptClass::Hangul, "BERKOFF"),
            ("올리버", ScriptClass::Hangul, "OLIVER"),
            ("딕슨", ScriptClass::Hangul, "DIXON"),
        ] {
            let units = native(written, script);
            assert_eq!(
                cost(&units, script, spelling).map(|c| c <= 1),
                Some(true),
                "{written} / {spelling}"
            );
        }
        let pinyin = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        for (syllables, spelling) in [
            ("DI KE SEN", "DIXON"),
            ("YUE HAN SEN", "JOHNSEN"),
            ("LEI NI", "RENNIE"),
            ("KE LU GE", "KRUEGER"),
            ("KU PO", "COOPER"),
        ] {
            let units = native_units("", ScriptClass::Han, &pinyin(syllables));
            assert_eq!(
                cost(&units, ScriptClass::Han, spelling).map(|c| c <= 1),
                Some(true),
                "{syllables} / {spelling}"
            );
        }
    }

    #[test]
    fn foreign_names_in_cyrillic_align_with_their_spelling() {
        for (written, spelling) in [
            ("ДЖЕРОМ", "JEROME"),
            ("ГРЭХЭМ", "GRAHAM"),
            ("ДЖЕССИКА", "JESSICA"),
            ("ЯМАГУТИ", "YAMAGUCHI"),
            ("МАЙК", "MIKE"),
        ] {
            let units = native(written, ScriptClass::Cyrillic);
            assert_eq!(
                cost(&units, ScriptClass::Cyrillic, spelling),
                Some(0),
                "{written} / {spelling}"
            );
        }
    }

    #[test]
    fn different_names_do_not_align() {
        let units = native("بول", ScriptClass::Arabic);
        assert_eq!(cost(&units, ScriptClass::Arabic, "MARK"), None);
        let units = native("שרון", ScriptClass::Hebrew);
        assert_eq!(cost(&units, ScriptClass::Hebrew, "DAVID"), None);
        let units = native("トレバー", ScriptClass::Kana);
        assert_eq!(cost(&units, ScriptClass::Kana, "DANIEL"), None);
    }

    #[test]
    fn blocking_keys_meet() {
        let pairs = [
            ("فيسنتي", ScriptClass::Arabic, "VICENTE"),
            ("جونز", ScriptClass::Arabic, "JOHNS"),
            ("פריירה", ScriptClass::Hebrew, "FERREIRA"),
            ("トレバー", ScriptClass::Kana, "TREVOR"),
            ("스미스", ScriptClass::Hangul, "SMITH"),
        ];
        for (written, script, spelling) in pairs {
            let mut a = Vec::new();
            blocking_keys(&native(written, script), true, b'n', 2, &mut a);
            let mut b = Vec::new();
            blocking_keys(&latin(spelling), false, b'n', 2, &mut b);
            assert!(
                a.iter().any(|k| b.contains(k)),
                "{written} / {spelling}: {a:?} {b:?}"
            );
        }
    }
}
