//! The attributes risk criteria may never be based on (EU PNR Directive 2016/681 Art. 6(4), and sex by the
//! product's own policy), the words that name them, and the PNR codes that reveal them.
//!
//! The check is lexical on purpose: it runs when a rule is read, before any traveller is seen, and refuses
//! a word even where the rule's author meant no harm, because a supervisor can always rephrase a rule and a
//! criterion on a protected attribute must never reach evaluation.

/// A category of personal data a criterion may not be based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtectedCategory {
    /// Not in Art. 6(4), refused by product policy (non-discrimination, Charter of Fundamental Rights
    /// Art. 21).
    Sex,
    RacialOrEthnicOrigin,
    PoliticalOpinions,
    ReligionOrPhilosophicalBeliefs,
    TradeUnionMembership,
    Health,
    SexualLifeOrOrientation,
}

impl ProtectedCategory {
    /// The category as the law words it.
    pub fn describe(self) -> &'static str {
        match self {
            ProtectedCategory::Sex => "a person's sex",
            ProtectedCategory::RacialOrEthnicOrigin => "race or ethnic origin",
            ProtectedCategory::PoliticalOpinions => "political opinions",
            ProtectedCategory::ReligionOrPhilosophicalBeliefs => {
                "religion or philosophical beliefs"
            }
            ProtectedCategory::TradeUnionMembership => "trade union membership",
            ProtectedCategory::Health => "health",
            ProtectedCategory::SexualLifeOrOrientation => "sexual life or sexual orientation",
        }
    }

    /// Where the prohibition comes from.
    pub fn legal_basis(self) -> &'static str {
        match self {
            ProtectedCategory::Sex => {
                "Liaison policy beside EU PNR Directive 2016/681 Art. 6(4): no criteria on sex (Charter of Fundamental Rights Art. 21)"
            }
            _ => "EU PNR Directive 2016/681 Art. 6(4)",
        }
    }
}

/// A protected word or code found in a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// The word or code as the rule spells it.
    pub(crate) term: String,
    pub(crate) category: ProtectedCategory,
    /// For a proxy: what it is (`Muslim meal`, `a person's name`); `None` when the word names the category.
    pub(crate) proxy: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
enum Match {
    /// A whole word (or the word with a plural `s`).
    Word,
    /// The start of a word in a literal; anywhere in an identifier, where words run together
    /// (`ethnicOrigin`, `is_religious`).
    Stem,
    /// Anywhere in the text with separators removed (`trade union`, `TradeUnion`, `trade-union`).
    Joined,
}

#[derive(Debug, Clone, Copy)]
struct Term {
    text: &'static str,
    how: Match,
    category: ProtectedCategory,
    proxy: Option<&'static str>,
    /// Also refused inside string literals. Short words stay out because codes collide with them (`GAY` is
    /// the airport of Gaya, India), and proxies such as `name` are only meaningful as a field.
    in_literals: bool,
}

const fn term(
    text: &'static str,
    how: Match,
    category: ProtectedCategory,
    in_literals: bool,
) -> Term {
    Term {
        text,
        how,
        category,
        proxy: None,
        in_literals,
    }
}

const fn proxy(
    text: &'static str,
    how: Match,
    category: ProtectedCategory,
    what: &'static str,
) -> Term {
    Term {
        text,
        how,
        category,
        proxy: Some(what),
        in_literals: false,
    }
}

use Match::{Joined, Stem, Word};
use ProtectedCategory as C;

const TERMS: &[Term] = &[
    // Before `sex`, so `sex_life` is reported as sexual life rather than as sex.
    term("sexlife", Joined, C::SexualLifeOrOrientation, true),
    term("sex", Word, C::Sex, true),
    term("sexe", Word, C::Sex, true),
    term("sexo", Word, C::Sex, true),
    term("gender", Stem, C::Sex, true),
    term("geschlecht", Stem, C::Sex, true),
    term("race", Word, C::RacialOrEthnicOrigin, false),
    term("racial", Word, C::RacialOrEthnicOrigin, true),
    term("ethnic", Stem, C::RacialOrEthnicOrigin, true),
    term("ethnie", Word, C::RacialOrEthnicOrigin, true),
    term("etnia", Word, C::RacialOrEthnicOrigin, true),
    term("rasse", Word, C::RacialOrEthnicOrigin, true),
    term("raza", Word, C::RacialOrEthnicOrigin, false),
    term("skincolo", Joined, C::RacialOrEthnicOrigin, true),
    term("tribe", Word, C::RacialOrEthnicOrigin, true),
    term("tribal", Word, C::RacialOrEthnicOrigin, true),
    term("caste", Word, C::RacialOrEthnicOrigin, true),
    term("ancestr", Stem, C::RacialOrEthnicOrigin, true),
    proxy("name", Word, C::RacialOrEthnicOrigin, "a person's name"),
    proxy("surname", Word, C::RacialOrEthnicOrigin, "a person's name"),
    proxy("forename", Word, C::RacialOrEthnicOrigin, "a person's name"),
    proxy(
        "givenname",
        Joined,
        C::RacialOrEthnicOrigin,
        "a person's name",
    ),
    proxy(
        "familyname",
        Joined,
        C::RacialOrEthnicOrigin,
        "a person's name",
    ),
    proxy(
        "firstname",
        Joined,
        C::RacialOrEthnicOrigin,
        "a person's name",
    ),
    proxy(
        "lastname",
        Joined,
        C::RacialOrEthnicOrigin,
        "a person's name",
    ),
    proxy(
        "language",
        Stem,
        C::RacialOrEthnicOrigin,
        "the language a person speaks",
    ),
    proxy(
        "mothertongue",
        Joined,
        C::RacialOrEthnicOrigin,
        "the language a person speaks",
    ),
    term("politic", Stem, C::PoliticalOpinions, true),
    term("ideolog", Stem, C::PoliticalOpinions, true),
    term("relig", Stem, C::ReligionOrPhilosophicalBeliefs, true),
    term("faith", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("belief", Stem, C::ReligionOrPhilosophicalBeliefs, true),
    term("creed", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("philosoph", Stem, C::ReligionOrPhilosophicalBeliefs, true),
    term("muslim", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("islam", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("islamic", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("christian", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("catholic", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("jewish", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("hindu", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("buddhist", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("sikh", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("halal", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("kosher", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("pilgrim", Stem, C::ReligionOrPhilosophicalBeliefs, true),
    term("hajj", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("umrah", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("church", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("mosque", Word, C::ReligionOrPhilosophicalBeliefs, true),
    term("synagogue", Word, C::ReligionOrPhilosophicalBeliefs, true),
    proxy(
        "meal",
        Word,
        C::ReligionOrPhilosophicalBeliefs,
        "a meal preference, which shows religion, belief or health",
    ),
    proxy(
        "diet",
        Stem,
        C::ReligionOrPhilosophicalBeliefs,
        "a diet, which shows religion, belief or health",
    ),
    term("tradeunion", Joined, C::TradeUnionMembership, true),
    term("unionmember", Joined, C::TradeUnionMembership, true),
    term("unionist", Word, C::TradeUnionMembership, true),
    term("syndicat", Stem, C::TradeUnionMembership, false),
    term("gewerkschaft", Stem, C::TradeUnionMembership, true),
    term("health", Stem, C::Health, true),
    term("medic", Stem, C::Health, true),
    term("disab", Stem, C::Health, true),
    term("disease", Word, C::Health, true),
    term("illness", Word, C::Health, true),
    term("diagnos", Stem, C::Health, true),
    term("pregnan", Stem, C::Health, true),
    term("handicap", Stem, C::Health, true),
    term("wheelchair", Stem, C::Health, true),
    term("hiv", Word, C::Health, false),
    term("blind", Word, C::Health, false),
    term("deaf", Word, C::Health, false),
    term("gesundheit", Stem, C::Health, true),
    term("salud", Word, C::Health, false),
    term("sante", Word, C::Health, false),
    term("sexual", Stem, C::SexualLifeOrOrientation, true),
    term("orientation", Stem, C::SexualLifeOrOrientation, false),
    term("lgbt", Stem, C::SexualLifeOrOrientation, true),
    term("gay", Word, C::SexualLifeOrOrientation, false),
    term("lesbian", Word, C::SexualLifeOrOrientation, true),
    term("transgender", Stem, C::SexualLifeOrOrientation, true),
];

/// IATA special-service and special-meal codes that reveal a protected attribute. Sorted for binary search.
const CODES: &[(&str, &str, ProtectedCategory)] = &[
    (
        "AVML",
        "Asian vegetarian (Hindu) meal",
        C::ReligionOrPhilosophicalBeliefs,
    ),
    ("BLML", "bland meal", C::Health),
    ("BLND", "blind passenger", C::Health),
    ("DBML", "diabetic meal", C::Health),
    ("DEAF", "deaf passenger", C::Health),
    ("DPNA", "disabled passenger needing assistance", C::Health),
    ("ESAN", "emotional support animal", C::Health),
    ("GFML", "gluten-free meal", C::Health),
    ("HNML", "Hindu meal", C::ReligionOrPhilosophicalBeliefs),
    ("KSML", "kosher meal", C::ReligionOrPhilosophicalBeliefs),
    ("LCML", "low-calorie meal", C::Health),
    ("LFML", "low-fat meal", C::Health),
    ("LSML", "low-salt meal", C::Health),
    ("MEDA", "medical case", C::Health),
    (
        "MOML",
        "Muslim (halal) meal",
        C::ReligionOrPhilosophicalBeliefs,
    ),
    ("NLML", "low-lactose meal", C::Health),
    ("OXYG", "medical oxygen", C::Health),
    ("PRML", "low-purine meal", C::Health),
    (
        "RVML",
        "raw vegetarian meal",
        C::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "SPML",
        "special meal, usually medical or religious",
        C::Health,
    ),
    ("STCR", "stretcher", C::Health),
    ("SVAN", "service animal", C::Health),
    ("VGML", "vegan meal", C::ReligionOrPhilosophicalBeliefs),
    (
        "VJML",
        "Jain vegetarian meal",
        C::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "VLML",
        "lacto-ovo vegetarian meal",
        C::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "VOML",
        "oriental vegetarian meal",
        C::ReligionOrPhilosophicalBeliefs,
    ),
    ("WCBD", "wheelchair, dry-cell battery", C::Health),
    ("WCBW", "wheelchair, wet-cell battery", C::Health),
    ("WCHC", "wheelchair to the cabin seat", C::Health),
    ("WCHR", "wheelchair to the aircraft door", C::Health),
    ("WCHS", "wheelchair up and down steps", C::Health),
    ("WCLB", "wheelchair, lithium battery", C::Health),
    ("WCMP", "manual wheelchair", C::Health),
    ("WCOB", "on-board wheelchair", C::Health),
];

/// The protected term an identifier (field name, rule id, any bare word) uses, if any.
pub(crate) fn check_identifier(ident: &str) -> Option<Finding> {
    let lower = ident.to_ascii_lowercase();
    find_term(&lower, ident, false)
}

/// The protected code or term a string literal of a condition contains, if any.
pub(crate) fn check_literal(text: &str) -> Option<Finding> {
    for word in words(text) {
        let upper = word.to_ascii_uppercase();
        if let Ok(i) = CODES.binary_search_by(|(code, _, _)| code.cmp(&upper.as_str())) {
            let (_, meaning, category) = CODES[i];
            return Some(Finding {
                term: word.to_owned(),
                category,
                proxy: Some(meaning),
            });
        }
    }
    find_term(&text.to_lowercase(), text, true)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn find_term(lower: &str, original: &str, literal: bool) -> Option<Finding> {
    let joined: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let lower_words: Vec<&str> = words(lower).collect();
    let original_words: Vec<&str> = words(original).collect();
    for t in TERMS {
        if literal && !t.in_literals {
            continue;
        }
        let found = match t.how {
            Word => lower_words
                .iter()
                .position(|w| *w == t.text || w.strip_suffix('s') == Some(t.text)),
            Stem if literal => lower_words.iter().position(|w| w.starts_with(t.text)),
            Stem | Joined => {
                if joined.contains(t.text) {
                    // Whole text: the term spans separators or sits inside a word.
                    Some(usize::MAX)
                } else {
                    None
                }
            }
        };
        if let Some(index) = found {
            let term = original_words
                .get(index)
                .copied()
                .unwrap_or(original)
                .to_owned();
            return Some(Finding {
                term,
                category: t.category,
                proxy: t.proxy,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_for_binary_search() {
        assert!(CODES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn identifiers() {
        let cases = [
            ("sex", C::Sex),
            ("Gender", C::Sex),
            ("ethnic_origin", C::RacialOrEthnicOrigin),
            ("ethnicOrigin", C::RacialOrEthnicOrigin),
            ("race", C::RacialOrEthnicOrigin),
            ("races", C::RacialOrEthnicOrigin),
            ("political_opinion", C::PoliticalOpinions),
            ("religion", C::ReligionOrPhilosophicalBeliefs),
            ("is_religious", C::ReligionOrPhilosophicalBeliefs),
            ("trade_union", C::TradeUnionMembership),
            ("TradeUnionMember", C::TradeUnionMembership),
            ("health_status", C::Health),
            ("medical", C::Health),
            ("sexual_orientation", C::SexualLifeOrOrientation),
            ("sex_life", C::SexualLifeOrOrientation),
            ("surname", C::RacialOrEthnicOrigin),
            ("meal", C::ReligionOrPhilosophicalBeliefs),
            ("dietary_request", C::ReligionOrPhilosophicalBeliefs),
            ("R-RELIGION-1", C::ReligionOrPhilosophicalBeliefs),
        ];
        for (ident, category) in cases {
            let found = check_identifier(ident);
            assert_eq!(found.map(|f| f.category), Some(category), "{ident}");
        }
    }

    #[test]
    fn ordinary_identifiers_pass() {
        for name in super::super::fields::fields().map(|f| f.name) {
            assert_eq!(check_identifier(name), None, "{name}");
        }
        for word in [
            "ruleset",
            "version",
            "rule",
            "when",
            "score",
            "and",
            "or",
            "not",
            "in",
            "contains",
            "starts_with",
            "true",
            "false",
            "R-001",
            "CASH-ONE-WAY",
            "review_threshold",
            "priority_threshold",
            "unionized_fare",
            "sextant",
        ] {
            assert_eq!(check_identifier(word), None, "{word}");
        }
    }

    #[test]
    fn literals() {
        let refused = [
            ("MOML", "MOML"),
            ("ksml", "ksml"),
            ("SSR WCHR", "WCHR"),
            ("MEDICAL TOURS", "MEDICAL"),
            ("Hajj Travel", "Hajj"),
            ("trade union travel", "trade union travel"),
        ];
        for (literal, term) in refused {
            let found = check_literal(literal);
            assert_eq!(found.map(|f| f.term), Some(term.to_owned()), "{literal}");
        }
        for literal in [
            "CA",
            "IST",
            "GAY",
            "ISLAMABAD TRAVEL",
            "NAME TRAVEL",
            "LH400",
            "CHML",
        ] {
            assert_eq!(check_literal(literal), None, "{literal}");
        }
    }

    fn message(found: Finding) -> String {
        crate::risk::RuleErrorKind::Protected {
            term: found.term,
            category: found.category,
            proxy: found.proxy,
        }
        .to_string()
    }

    #[test]
    fn messages_give_the_reason_and_the_law() {
        assert_eq!(
            message(check_literal("MOML").unwrap()),
            "`MOML` (Muslim (halal) meal) reveals religion or philosophical beliefs; risk criteria may not be based on it (EU PNR Directive 2016/681 Art. 6(4))"
        );
        let sex = message(check_identifier("sex").unwrap());
        assert!(sex.contains("Art. 21"), "{sex}");
    }
}
