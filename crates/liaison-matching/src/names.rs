//! Name analysis: from a recorded name (full form and parts) or a typed query string to tokens with roles
//! (given, family, patronymic, middle), with honorifics dropped, particles (al, bin, van, de...) and
//! initials marked, MRZ names (`SURNAME<<GIVEN<NAMES`) and "FAMILY, Given" forms understood, and Han and
//! Hangul names split into family name and given name.

use crate::model::NameInput;
use crate::text::{RawToken, ScriptClass, fold_to_ascii, tokenize};

/// What part of a name a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Given,
    Family,
    Patronymic,
    Middle,
    /// A name typed without structure where no heuristic applied.
    Unknown,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Given => "given name",
            Role::Family => "family name",
            Role::Patronymic => "patronymic",
            Role::Middle => "middle name",
            Role::Unknown => "name",
        }
    }

    pub fn feature(self) -> &'static str {
        match self {
            Role::Given => "given_name",
            Role::Family => "family_name",
            Role::Patronymic => "patronymic",
            Role::Middle => "middle_name",
            Role::Unknown => "name",
        }
    }
}

/// How a token takes part in matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Normal,
    /// al, el, bin, ibn, abu, van, von, de, da, di, du, la...: weak evidence, no penalty when missing.
    Particle,
    /// A single letter standing for a name.
    Initial,
}

/// One token of an analysed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameToken {
    /// Cleaned surface (NFKC, upper case, original script).
    pub surface: String,
    pub script: ScriptClass,
    pub mixed_script: bool,
    pub role: Role,
    pub kind: TokenKind,
    /// Joined to the previous token by a hyphen (JEAN-PIERRE).
    pub hyphen_before: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalyzedName {
    pub tokens: Vec<NameToken>,
}

const HONORIFICS: &[&str] = &[
    "MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "SIR", "DAME", "LORD", "LADY",
    "REV", "FR", "SHEIKH", "SHAIKH", "SHEIKHA", "SHAYKH", "CHEIKH", "HAJJI", "HAJI", "HADJI",
    "HAJ", "HAJJ", "ALHAJI", "ALHAJ", "MULLAH", "MULLA", "MAULANA", "MAWLANA", "IMAM", "USTAD",
    "USTADH", "HERR", "FRAU", "MONSIEUR", "MADAME", "MME", "MLLE", "SENOR", "SENORA", "SR", "SRA",
    "DON", "DONA", "JR", "JNR", "SNR", "II", "III", "IV", "ENG", "ING", "GEN", "COL", "MAJ",
    "CAPT", "LT", "SGT", "GOSPODIN", "GOSPOZHA",
];

const PARTICLES: &[&str] = &[
    "AL", "EL", "UL", "AD", "AS", "AZ", "AT", "AN", "AR", "BIN", "BEN", "IBN", "BINT", "BINTI",
    "ABU", "ABOU", "UMM", "OULD", "WALD", "VAN", "VON", "DER", "DEN", "TER", "TEN", "VANDER", "DE",
    "DA", "DI", "DU", "LA", "LE", "DEL", "DELLA", "DELLE", "DEI", "DOS", "DAS", "DO", "Y", "E",
    "ST", "SAINT", "MAC", "MC", "OGLU", "OGLY", "KYZY", "GIZI", "UULU",
];

fn folded(surface: &str, script: ScriptClass) -> Option<String> {
    (script == ScriptClass::Latin).then(|| fold_to_ascii(surface))
}

fn is_honorific(token: &RawToken) -> bool {
    folded(&token.text, token.script).is_some_and(|f| HONORIFICS.contains(&f.as_str()))
        || matches!(
            token.text.as_str(),
            "Г-Н" | "Г-ЖА" | "السيد" | "الشيخ" | "الحاج"
        )
}

fn kind_of(token: &RawToken) -> TokenKind {
    if token.text.chars().count() == 1 && token.script == ScriptClass::Latin {
        return TokenKind::Initial;
    }
    let particle = folded(&token.text, token.script)
        .is_some_and(|f| PARTICLES.contains(&f.as_str()))
        || matches!(
            token.text.as_str(),
            "ال" | "آل" | "بن" | "ابن" | "بنت" | "أبو" | "ابو" | "ИБН"
        );
    if particle {
        TokenKind::Particle
    } else {
        TokenKind::Normal
    }
}

/// Russian, Ukrainian, Belarusian and Turkic patronymic endings (Cyrillic and Latin).
fn is_patronymic(token: &RawToken) -> bool {
    let text = token.text.as_str();
    if token.script == ScriptClass::Cyrillic {
        return ["ВИЧ", "ВНА", "ИЧНА", "ЬИЧ", "ОГЛЫ", "КЫЗЫ"]
            .iter()
            .any(|suffix| {
                text.ends_with(suffix) && text.chars().count() > suffix.chars().count() + 2
            });
    }
    let f = fold_to_ascii(text);
    [
        "OVICH", "EVICH", "OVNA", "EVNA", "ICHNA", "YEVICH", "IEVICH", "OVITCH", "EVITCH",
        "OWITSCH", "EWITSCH", "OWNA", "EWNA",
    ]
    .iter()
    .any(|suffix| f.ends_with(suffix) && f.len() > suffix.len() + 1)
}

fn make(token: RawToken, role: Role) -> NameToken {
    let kind = kind_of(&token);
    NameToken {
        surface: token.text,
        script: token.script,
        mixed_script: token.mixed_script,
        role,
        kind,
        hyphen_before: token.hyphen_before,
    }
}

/// Han and Hangul full names are written without a space: the first syllable is (almost always) the
/// family name, the rest the given name. `family_len` overrides that reading (other segmentations are
/// tried as alternatives of a query, see [`analyze_text_variants`]).
fn split_east_asian(tokens: Vec<NameToken>, family_len: Option<usize>) -> Vec<NameToken> {
    let mut out = Vec::with_capacity(tokens.len() + 1);
    let mut first = true;
    for token in tokens {
        let count = token.surface.chars().count();
        let east_asian = matches!(token.script, ScriptClass::Han | ScriptClass::Hangul)
            && token.role == Role::Unknown;
        let chosen = match family_len {
            Some(len) if first && east_asian && count > len && count <= 6 => Some(len),
            _ if east_asian && (2..=4).contains(&count) => {
                // Four characters are mostly two and two (Japanese names, Chinese double surnames).
                Some(if count == 4 { 2 } else { 1 })
            }
            _ => None,
        };
        if east_asian {
            first = false;
        }
        if let Some(family_len) = chosen {
            let family: String = token.surface.chars().take(family_len).collect();
            let given: String = token.surface.chars().skip(family_len).collect();
            out.push(NameToken {
                surface: family,
                role: Role::Family,
                ..token.clone()
            });
            out.push(NameToken {
                surface: given,
                role: Role::Given,
                ..token
            });
        } else {
            out.push(token);
        }
    }
    out
}

fn clean(tokens: Vec<RawToken>) -> Vec<RawToken> {
    let kept: Vec<RawToken> = tokens
        .iter()
        .filter(|t| !is_honorific(t))
        .cloned()
        .collect();
    // A name that is nothing but honorifics keeps them: "Sheikh" alone is still something to match.
    if kept.is_empty() { tokens } else { kept }
}

/// Assigns roles to the tokens of an unstructured name.
fn assign_roles(tokens: Vec<RawToken>) -> Vec<NameToken> {
    let n = tokens.len();
    if n == 0 {
        return Vec::new();
    }
    let content: Vec<usize> = (0..n)
        .filter(|&i| kind_of(&tokens[i]) == TokenKind::Normal)
        .collect();
    let mut roles = vec![Role::Unknown; n];
    if let Some(p) = (0..n).rev().find(|&i| is_patronymic(&tokens[i])) {
        roles[p] = Role::Patronymic;
        let others: Vec<usize> = content.iter().copied().filter(|&i| i != p).collect();
        match others.as_slice() {
            [a, b] if p > *b => {
                // FAMILY GIVEN PATRONYMIC (official Russian order)
                roles[*a] = Role::Family;
                roles[*b] = Role::Given;
            }
            [a, b] => {
                // GIVEN PATRONYMIC FAMILY
                roles[*a] = Role::Given;
                roles[*b] = Role::Family;
            }
            [a] => roles[*a] = if *a < p { Role::Given } else { Role::Family },
            _ => {}
        }
        return tokens
            .into_iter()
            .zip(roles)
            .map(|(t, r)| make(t, r))
            .collect();
    }
    // "SMITH John": a capitalised family name among mixed-case given names.
    let caps: Vec<usize> = content
        .iter()
        .copied()
        .filter(|&i| tokens[i].all_caps)
        .collect();
    if !caps.is_empty() && caps.len() < content.len() {
        for &i in &content {
            roles[i] = if caps.contains(&i) {
                Role::Family
            } else {
                Role::Given
            };
        }
        if let Some(&first_given) = content.iter().find(|i| !caps.contains(i)) {
            for &i in &content {
                if roles[i] == Role::Given && i != first_given {
                    roles[i] = Role::Middle;
                }
            }
        }
    } else if content.len() >= 2 {
        let first = content[0];
        let last = content[content.len() - 1];
        roles[first] = Role::Given;
        roles[last] = Role::Family;
        for &i in &content[1..content.len() - 1] {
            roles[i] = Role::Middle;
        }
        // Particles just before the family name belong to it (van der BERG, al RASHID).
        for role in roles.iter_mut().skip(first + 1) {
            if *role == Role::Unknown {
                *role = Role::Family;
            }
        }
    }
    tokens
        .into_iter()
        .zip(roles)
        .map(|(t, r)| make(t, r))
        .collect()
}

/// Analyses a typed or read name (a query): MRZ form, "FAMILY, Given", or free order.
pub fn analyze_text(text: &str, warnings: &mut Vec<String>) -> AnalyzedName {
    if text.contains('<') {
        return analyze_mrz(text, warnings);
    }
    if let Some((family, given)) = text.split_once(',') {
        let mut tokens = Vec::new();
        for t in clean(tokenize(family, warnings)) {
            tokens.push(make(t, Role::Family));
        }
        push_given(&mut tokens, clean(tokenize(given, warnings)));
        return finish(tokens);
    }
    let raw = clean(tokenize(text, warnings));
    finish(assign_roles(raw))
}

fn push_given(tokens: &mut Vec<NameToken>, given: Vec<RawToken>) {
    let mut first = true;
    for t in given {
        let role = if is_patronymic(&t) {
            Role::Patronymic
        } else if first {
            Role::Given
        } else {
            Role::Middle
        };
        if kind_of(&t) == TokenKind::Normal {
            first = false;
        }
        tokens.push(make(t, role));
    }
}

/// `SURNAME<<GIVEN<NAMES` (fillers `<` as in the MRZ name field; a trailing truncation is allowed).
pub fn analyze_mrz(text: &str, warnings: &mut Vec<String>) -> AnalyzedName {
    let (primary, secondary) = text.split_once("<<").unwrap_or((text, ""));
    let mut tokens = Vec::new();
    for t in clean(tokenize(primary, warnings)) {
        tokens.push(make(t, Role::Family));
    }
    push_given(&mut tokens, clean(tokenize(secondary, warnings)));
    finish(tokens)
}

/// Analyses a recorded name: its parts where given, otherwise its full form.
pub fn analyze_input(input: &NameInput, warnings: &mut Vec<String>) -> AnalyzedName {
    let has_parts = [
        &input.given,
        &input.family,
        &input.patronymic,
        &input.middle,
    ]
    .iter()
    .any(|p| p.as_deref().is_some_and(|s| !s.trim().is_empty()));
    if !has_parts {
        return analyze_text(&input.full, warnings);
    }
    let mut tokens = Vec::new();
    if let Some(given) = &input.given {
        push_given(&mut tokens, clean(tokenize(given, warnings)));
    }
    for (part, role) in [
        (&input.middle, Role::Middle),
        (&input.patronymic, Role::Patronymic),
    ] {
        if let Some(text) = part {
            for t in clean(tokenize(text, warnings)) {
                tokens.push(make(t, role));
            }
        }
    }
    if let Some(family) = &input.family {
        for t in clean(tokenize(family, warnings)) {
            tokens.push(make(t, Role::Family));
        }
    }
    finish(tokens)
}

fn finish(tokens: Vec<NameToken>) -> AnalyzedName {
    AnalyzedName {
        tokens: split_east_asian(split_kanji_kana(tokens), None),
    }
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}')
}

/// A Japanese name written without a space, the family name in kanji and the given name in kana
/// (福田あすか): the script changes where the given name starts, so the token is split there.
fn split_kanji_kana(tokens: Vec<NameToken>) -> Vec<NameToken> {
    let mut out = Vec::with_capacity(tokens.len() + 1);
    for token in tokens {
        let boundary = token
            .surface
            .char_indices()
            .find(|&(_, c)| is_kana(c))
            .map(|(at, _)| at)
            .filter(|&at| at > 0);
        let splits = token.mixed_script
            && boundary.is_some_and(|at| {
                token.surface[..at]
                    .chars()
                    .all(|c| ScriptClass::of_char(c) == Some(ScriptClass::Han))
                    && token.surface[at..].chars().all(is_kana)
            });
        match boundary {
            Some(at) if splits => {
                let (family_role, given_role) = match token.role {
                    Role::Unknown => (Role::Family, Role::Given),
                    role => (role, role),
                };
                out.push(NameToken {
                    surface: token.surface[..at].to_owned(),
                    script: ScriptClass::Han,
                    mixed_script: false,
                    role: family_role,
                    ..token.clone()
                });
                out.push(NameToken {
                    surface: token.surface[at..].to_owned(),
                    script: ScriptClass::Kana,
                    mixed_script: false,
                    role: given_role,
                    hyphen_before: false,
                    ..token
                });
            }
            _ => out.push(token),
        }
    }
    out
}

/// A syllable as Chinese (pinyin, Wade-Giles) and Korean romanisations write it: JUN, HAO, HSIN, CHIH,
/// SEUNG, HOON. Given names of two such syllables are written joined, hyphenated or spaced.
fn is_east_asian_syllable(token: &str) -> bool {
    const INITIALS: &[&str] = &[
        "TZ", "TS", "HS", "CH", "SH", "ZH", "KK", "TT", "PP", "SS", "JJ", "B", "C", "D", "F", "G",
        "H", "J", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "W", "X", "Y", "Z",
    ];
    if !(2..=6).contains(&token.len()) || !token.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let rest = INITIALS
        .iter()
        .find(|i| token.starts_with(**i))
        .map_or(token, |i| &token[i.len()..]);
    let vowels = rest
        .bytes()
        .take_while(|b| matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y'))
        .count();
    if vowels == 0 || vowels > 3 {
        return false;
    }
    matches!(
        &rest[vowels..],
        "" | "N" | "NG" | "H" | "K" | "L" | "M" | "P"
    )
}

/// Arabic compounds written as one word or two: ABDUL RAHMAN / ABDULRAHMAN, ABU BAKR / ABUBAKR.
const COMPOUND_PREFIXES: &[&str] = &[
    "ABDUL", "ABDEL", "ABDAL", "ABDOUL", "ABDOL", "ABD", "ABU", "ABOU",
];

fn joined(a: &NameToken, b: &NameToken) -> NameToken {
    let role = match (a.role, b.role) {
        (Role::Family, _) | (_, Role::Family) => Role::Family,
        (Role::Given, _) => Role::Given,
        (role, _) => role,
    };
    NameToken {
        surface: format!("{}{}", a.surface, b.surface),
        script: a.script,
        mixed_script: a.mixed_script || b.mixed_script,
        role,
        kind: TokenKind::Normal,
        hyphen_before: a.hyphen_before,
    }
}

/// Two tokens of a record that may be written as one word elsewhere: a hyphenated compound (JEAN-PIERRE,
/// Jeanpierre) or an Arabic compound (عبد الله, ABDULLAH; أبو بكر, ABUBAKR).
fn joinable(a: &NameToken, b: &NameToken) -> bool {
    if a.script != b.script || a.kind == TokenKind::Initial || b.kind == TokenKind::Initial {
        return false;
    }
    if b.hyphen_before && a.script == ScriptClass::Latin {
        return true;
    }
    match a.script {
        ScriptClass::Latin => {
            COMPOUND_PREFIXES.contains(&fold_to_ascii(&a.surface).as_str())
                && b.surface.chars().count() >= 3
        }
        ScriptClass::Arabic => matches!(a.surface.as_str(), "عبد" | "ابو" | "أبو"),
        _ => false,
    }
}

/// A recorded name with its compounds joined (see [`joinable`]), when it has any: stored as another
/// name of the record, so a query writing the compound as one word finds it.
pub fn joined_compounds(name: &AnalyzedName) -> Option<AnalyzedName> {
    let tokens = &name.tokens;
    let mut out: Vec<NameToken> = Vec::with_capacity(tokens.len());
    let mut changed = false;
    let mut k = 0;
    while k < tokens.len() {
        if k + 1 < tokens.len() && joinable(&tokens[k], &tokens[k + 1]) {
            out.push(joined(&tokens[k], &tokens[k + 1]));
            changed = true;
            k += 2;
        } else {
            out.push(tokens[k].clone());
            k += 1;
        }
    }
    changed.then_some(AnalyzedName { tokens: out })
}

/// Readings of a typed name to try besides the first (all of them, the first being the usual one):
/// other family-name lengths of a Han or Hangul name written without a space (福田結衣 as 福田 結衣 and
/// 福 田結衣; 佐々木太郎 as 佐々木 太郎); the syllables of a romanised Chinese or Korean given name joined
/// (Chun-hao → CHUNHAO, Seung Hoon → SEUNGHOON); Arabic compounds joined (ABDUL RAHMAN → ABDULRAHMAN)
/// or split (ABDULRAHMAN → ABDUL RAHMAN). Alignment takes the best reading, so a wrong one costs
/// nothing but time.
pub fn analyze_text_variants(text: &str, warnings: &mut Vec<String>) -> Vec<AnalyzedName> {
    let first = analyze_text(text, warnings);
    let mut out = vec![first.clone()];
    let push = |name: AnalyzedName, out: &mut Vec<AnalyzedName>| {
        if !name.tokens.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    };
    let east_asian = text.chars().any(|c| {
        matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{20000}'..='\u{2FFFF}')
    });
    if east_asian && !text.contains('<') && !text.contains(',') {
        let mut ignored = Vec::new();
        let raw = clean(tokenize(text, &mut ignored));
        for family_len in 1..=3 {
            let tokens = split_east_asian(
                split_kanji_kana(assign_roles(raw.clone())),
                Some(family_len),
            );
            push(AnalyzedName { tokens }, &mut out);
        }
    }
    let tokens = &first.tokens;
    let latin = |t: &NameToken| t.script == ScriptClass::Latin && t.kind != TokenKind::Initial;
    // Syllables joined, and compounds joined: one reading per adjacent pair (CHENG GUI YING gives
    // CHENGGUI YING and CHENG GUIYING), at most three.
    let mut joins = 0;
    for k in 0..tokens.len().saturating_sub(1) {
        if joins >= 3 {
            break;
        }
        let (a, b) = (&tokens[k], &tokens[k + 1]);
        if !(latin(a) && latin(b)) {
            continue;
        }
        let a_folded = fold_to_ascii(&a.surface);
        let b_folded = fold_to_ascii(&b.surface);
        let syllables = is_east_asian_syllable(&a_folded) && is_east_asian_syllable(&b_folded);
        let compound = COMPOUND_PREFIXES.contains(&a_folded.as_str()) && b_folded.len() >= 3;
        if syllables || compound || joinable(a, b) {
            let mut joined_tokens: Vec<NameToken> = Vec::with_capacity(tokens.len() - 1);
            joined_tokens.extend(tokens[..k].iter().cloned());
            joined_tokens.push(joined(a, b));
            joined_tokens.extend(tokens[k + 2..].iter().cloned());
            push(
                AnalyzedName {
                    tokens: joined_tokens,
                },
                &mut out,
            );
            joins += 1;
        }
    }
    // Compounds split.
    let mut split_tokens: Vec<NameToken> = Vec::with_capacity(tokens.len() + 1);
    let mut changed = false;
    for t in tokens {
        let f = fold_to_ascii(&t.surface);
        let prefix = latin(t)
            .then(|| {
                COMPOUND_PREFIXES
                    .iter()
                    .find(|p| f.starts_with(**p) && f.len() >= p.len() + 3)
                    // An Arabic article written together with the name (ALSOULOUTAN for آل سلطان).
                    .or_else(|| {
                        ["AL", "EL"]
                            .iter()
                            .find(|p| f.starts_with(**p) && f.len() >= p.len() + 4)
                    })
            })
            .flatten()
            // ABDULLAH, ABDALLAH are one name ("servant of God"), not a compound with a second name.
            .filter(|p| !f[p.len()..].starts_with("LAH") && !f[p.len()..].starts_with("LLAH"));
        if let Some(prefix) = prefix {
            for part in [&f[..prefix.len()], &f[prefix.len()..]] {
                split_tokens.push(NameToken {
                    surface: part.to_owned(),
                    script: ScriptClass::Latin,
                    mixed_script: false,
                    role: t.role,
                    kind: if PARTICLES.contains(&part) {
                        TokenKind::Particle
                    } else {
                        TokenKind::Normal
                    },
                    hyphen_before: false,
                });
            }
            changed = true;
        } else {
            split_tokens.push(t.clone());
        }
    }
    if changed {
        push(
            AnalyzedName {
                tokens: split_tokens,
            },
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, Role)> {
        let mut w = Vec::new();
        analyze_text(text, &mut w)
            .tokens
            .into_iter()
            .map(|t| (t.surface, t.role))
            .collect()
    }

    #[test]
    fn roles_from_free_text() {
        assert_eq!(
            roles("Владимир Иванович Щербаков"),
            [
                ("ВЛАДИМИР".to_owned(), Role::Given),
                ("ИВАНОВИЧ".to_owned(), Role::Patronymic),
                ("ЩЕРБАКОВ".to_owned(), Role::Family)
            ]
        );
        assert_eq!(roles("Shcherbakov Vladimir Ivanovich")[0].1, Role::Family);
        assert_eq!(roles("SMITH John")[0].1, Role::Family);
        assert_eq!(roles("John Paul Smith")[1].1, Role::Middle);
        assert_eq!(roles("Smith, John")[0].1, Role::Family);
    }

    #[test]
    fn honorifics_dropped_particles_marked() {
        let mut w = Vec::new();
        let name = analyze_text("Sheikh Dr. Ahmed al-Rashid", &mut w);
        let surfaces: Vec<_> = name.tokens.iter().map(|t| t.surface.as_str()).collect();
        assert_eq!(surfaces, ["AHMED", "AL", "RASHID"]);
        assert_eq!(name.tokens[1].kind, TokenKind::Particle);
        assert_eq!(name.tokens[2].role, Role::Family);
    }

    #[test]
    fn mrz_names() {
        assert_eq!(
            roles("SHCHERBAKOV<<VLADIMIR<IVANOVICH"),
            [
                ("SHCHERBAKOV".to_owned(), Role::Family),
                ("VLADIMIR".to_owned(), Role::Given),
                ("IVANOVICH".to_owned(), Role::Patronymic)
            ]
        );
        assert_eq!(roles("ERIKSSON<<ANNA<MARIA<<<<<<<<")[2].1, Role::Middle);
    }

    #[test]
    fn kanji_family_name_and_kana_given_name_split() {
        assert_eq!(
            roles("福田あすか"),
            [
                ("福田".to_owned(), Role::Family),
                ("あすか".to_owned(), Role::Given)
            ]
        );
    }

    #[test]
    fn east_asian_names_split() {
        let r = roles("王小明");
        assert_eq!(
            r,
            [
                ("王".to_owned(), Role::Family),
                ("小明".to_owned(), Role::Given)
            ]
        );
    }
}
