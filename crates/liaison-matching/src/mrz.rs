//! Names as the machine-readable zone of a travel document prints them: `SHCHERBAKOV<<VLADIMIR<IVANOVICH`.

use crate::model::NameInput;
use crate::names::{Role, analyze_mrz};

/// Splits an MRZ name field into family and given names (and a patronymic, if one is recognised).
///
/// The primary identifier (before `<<`) is the family name; the secondary identifier holds the given
/// names, separated by `<`. Trailing fillers and truncation are tolerated; anything else that is not a
/// letter is ignored. Never fails: an empty or unreadable field gives an empty name.
pub fn parse_mrz_name(text: &str) -> NameInput {
    let mut warnings = Vec::new();
    let analyzed = analyze_mrz(text, &mut warnings);
    let join = |role: Role| -> Option<String> {
        let parts: Vec<&str> = analyzed
            .tokens
            .iter()
            .filter(|t| t.role == role)
            .map(|t| t.surface.as_str())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let family = join(Role::Family);
    let patronymic = join(Role::Patronymic);
    let given_parts: Vec<&str> = analyzed
        .tokens
        .iter()
        .filter(|t| matches!(t.role, Role::Given | Role::Middle))
        .map(|t| t.surface.as_str())
        .collect();
    let given = (!given_parts.is_empty()).then(|| given_parts.join(" "));
    let full = [given.as_deref(), patronymic.as_deref(), family.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    NameInput {
        full,
        given,
        family,
        patronymic,
        middle: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mrz_name_fields() {
        let name = parse_mrz_name("SHCHERBAKOV<<VLADIMIR<IVANOVICH<<<<<<<<<");
        assert_eq!(name.family.as_deref(), Some("SHCHERBAKOV"));
        assert_eq!(name.given.as_deref(), Some("VLADIMIR"));
        assert_eq!(name.patronymic.as_deref(), Some("IVANOVICH"));
        assert_eq!(name.full, "VLADIMIR IVANOVICH SHCHERBAKOV");

        let name = parse_mrz_name("ERIKSSON<<ANNA<MARIA");
        assert_eq!(name.given.as_deref(), Some("ANNA MARIA"));
        let name = parse_mrz_name("VAN<DER<BERG<<JAN");
        assert_eq!(name.family.as_deref(), Some("VAN DER BERG"));
        let name = parse_mrz_name("<<<<");
        assert_eq!(name, NameInput::default());
        let name = parse_mrz_name("MADONNA");
        assert_eq!(name.family.as_deref(), Some("MADONNA"));
    }
}
