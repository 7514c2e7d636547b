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
            "ال" | "بن" | "ابن" | "بنت" | "أبو" | "ابو" | "ИБН"
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
    }
}

/// Han and Hangul full names are written without a space: the first syllable is (almost always) the
/// family name, the rest the given name.
fn split_east_asian(tokens: Vec<NameToken>) -> Vec<NameToken> {
    let mut out = Vec::with_capacity(tokens.len() + 1);
    for token in tokens {
        let count = token.surface.chars().count();
        let splittable = matches!(token.script, ScriptClass::Han | ScriptClass::Hangul)
            && (2..=4).contains(&count)
            && token.role == Role::Unknown;
        if splittable {
            // Four characters are mostly two and two (Japanese names, Chinese double surnames).
            let family_len = if count == 4 { 2 } else { 1 };
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
        tokens: split_east_asian(tokens),
    }
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
