//! How names are written: the native full name in each locale's order, the passport's Latin spelling
//! (ICAO 9303 or the national standard), other romanisations (popular, German, French, Wikidata usage), the
//! upper-case ASCII form airlines and machine-readable zones use, and the variants a foreign police record
//! picks up (typos, swapped order, partial dates of birth).

use liaison_matching::eval::corpus::typo;
use liaison_matching::eval::names::WikiScript;
use liaison_matching::eval::rng::SplitMix64;
use liaison_matching::eval::romanize::{self, Language, Scheme};

use crate::locale::LocaleProfile;
use crate::world::World;

/// The native full name in the locale's order: "Иван Петрович Сидоров", "王伟", "Nagy Péter".
pub(crate) fn compose_full(
    profile: &LocaleProfile,
    given: &[&str],
    patronymic: Option<&str>,
    family: &[&str],
) -> String {
    let mut out = String::with_capacity(48);
    let push_all = |out: &mut String, parts: &[&str]| {
        for part in parts {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        }
    };
    if profile.family_first {
        push_all(&mut out, family);
        if profile.joined {
            for part in given {
                out.push_str(part);
            }
        } else {
            push_all(&mut out, given);
        }
    } else {
        push_all(&mut out, given);
        if let Some(patronymic) = patronymic {
            push_all(&mut out, &[patronymic]);
        }
        push_all(&mut out, family);
    }
    out
}

/// Space-joined parts.
pub(crate) fn join(parts: &[&str]) -> String {
    parts.join(" ")
}

/// One token romanised in `scheme`; Latin-script tokens are kept as written.
pub(crate) fn romanize_token(
    profile: &LocaleProfile,
    token: &str,
    family_role: bool,
    scheme: Scheme,
    rng: &mut SplitMix64,
) -> String {
    if profile.latin() {
        return token.to_owned();
    }
    if profile.language == Language::Korean
        && family_role
        && let Some(latin) = romanize::korean_family(token, scheme, rng)
    {
        return latin;
    }
    romanize::romanize(token, profile.language, scheme, rng)
        .unwrap_or_else(|| romanize::ascii_fold(token))
}

/// A name in Latin letters as one record or document writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LatinName {
    pub given: Vec<String>,
    pub family: Vec<String>,
}

impl LatinName {
    pub fn given_text(&self) -> String {
        self.given.join(" ")
    }

    pub fn family_text(&self) -> String {
        self.family.join(" ")
    }

    /// Reading order for a record: "Vladimir Shcherbakov"; family first where the locale puts it first.
    pub fn full(&self, family_first: bool) -> String {
        if family_first {
            format!("{} {}", self.family_text(), self.given_text())
        } else {
            format!("{} {}", self.given_text(), self.family_text())
        }
    }
}

pub(crate) fn romanize_name(
    profile: &LocaleProfile,
    given: &[&str],
    family: &[&str],
    scheme: Scheme,
    rng: &mut SplitMix64,
) -> LatinName {
    LatinName {
        given: given
            .iter()
            .map(|t| romanize_token(profile, t, false, scheme, rng))
            .collect(),
        family: family
            .iter()
            .map(|t| romanize_token(profile, t, true, scheme, rng))
            .collect(),
    }
}

fn wiki_script(language: Language) -> Option<WikiScript> {
    match language {
        Language::Russian | Language::Ukrainian | Language::Bulgarian | Language::Macedonian => {
            Some(WikiScript::Russian)
        }
        Language::Arabic | Language::ArabicMaghreb | Language::Persian => Some(WikiScript::Arabic),
        Language::Hebrew => Some(WikiScript::Hebrew),
        Language::Korean => Some(WikiScript::Korean),
        Language::Chinese | Language::ChineseTaiwan => Some(WikiScript::Chinese),
        _ => None,
    }
}

/// How people write the token in practice, from Wikidata's Latin↔native pairs, when the token is there.
pub(crate) fn usage_spelling(
    world: &World,
    profile: &LocaleProfile,
    token: &str,
    rng: &mut SplitMix64,
) -> Option<String> {
    let script = wiki_script(profile.language)?;
    let forms = world.wiki.wiki_forms.get(&(script, token.to_lowercase()))?;
    let weights: Vec<f64> = forms.iter().map(|(_, count)| f64::from(*count)).collect();
    let (latin, _) = forms.get(rng.weighted(&weights)?)?;
    Some(romanize::capitalize(latin))
}

/// Upper-case A-Z with single spaces, as an airline system or a machine-readable zone writes a name
/// (ICAO 9303 table A for Latin letters: "Jüttner" → "JUETTNER" where the country expands umlauts).
pub(crate) fn icao_upper(text: &str, expand_umlauts: bool) -> String {
    let folded = romanize::icao_latin(text, expand_umlauts);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_uppercase() {
            out.push(c);
        } else if (c == ' ' || c == '-' || c == '\'') && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

/// One typing error in a Latin or native token.
pub(crate) fn with_typo(token: &str, rng: &mut SplitMix64) -> String {
    let alphabet: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
    typo(token, &alphabet, rng)
}

/// ASCII lower-case letters only, for e-mail addresses.
pub(crate) fn mailbox_part(text: &str) -> String {
    romanize::ascii_fold(text)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::LOCALES;

    #[test]
    fn native_order_follows_the_locale() {
        let ru = &LOCALES[0];
        assert_eq!(
            compose_full(ru, &["Иван"], Some("Петрович"), &["Сидоров"]),
            "Иван Петрович Сидоров"
        );
        let zh = &LOCALES[5];
        assert_eq!(compose_full(zh, &["伟"], None, &["王"]), "王伟");
    }

    #[test]
    fn passport_spelling_is_latin() {
        let mut rng = SplitMix64::new(1);
        let ru = &LOCALES[0];
        let latin = romanize_name(ru, &["Владимир"], &["Щербаков"], Scheme::Passport, &mut rng);
        assert_eq!(latin.given, vec!["Vladimir"]);
        assert_eq!(latin.family, vec!["Shcherbakov"]);
        assert_eq!(icao_upper("Jüttner-Ökçe", true), "JUETTNER OEKCE");
        assert_eq!(icao_upper("O'Brien", false), "O BRIEN");
    }
}
