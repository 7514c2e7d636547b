//! How identifiers are written as graph keys, so that two records writing the same phone number, e-mail
//! address or postal address differently meet at one entity.

use liaison_graph::EntityKind;

/// Phone numbers shorter than this (extensions, fragments) link nobody.
const MIN_PHONE_DIGITS: usize = 5;

/// Digits with a leading `+`; an international `00` prefix counts as `+`. `None` when too short.
pub fn normalise_phone(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let digits = if !trimmed.starts_with('+') && digits.starts_with("00") {
        digits.get(2..).unwrap_or_default().to_owned()
    } else {
        digits
    };
    (digits.len() >= MIN_PHONE_DIGITS).then(|| format!("+{digits}"))
}

/// Lower case, without surrounding spaces.
pub fn normalise_email(value: &str) -> Option<String> {
    let email = value.trim().to_lowercase();
    (email.contains('@') && email.len() > 2).then_some(email)
}

/// Runs of white space as one space, lower case.
pub fn normalise_text(value: &str) -> Option<String> {
    let text = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then(|| text.to_lowercase())
}

/// The entity kind and key of a person's identifier. Kinds other than phone, e-mail and address become
/// `identifier/<kind>:<value>` entities, so that they still link the persons that share them.
pub fn normalise_identifier(kind: &str, value: &str) -> Option<(EntityKind, String)> {
    match kind {
        "phone" | "mobile" | "telephone" => normalise_phone(value).map(|v| (EntityKind::Phone, v)),
        "email" | "e-mail" => normalise_email(value).map(|v| (EntityKind::Email, v)),
        "address" => normalise_text(value).map(|v| (EntityKind::Address, v)),
        other => {
            normalise_text(value).map(|v| (EntityKind::Other, format!("identifier/{other}:{v}")))
        }
    }
}

/// Document numbers as checks compare them: letters and digits only, upper case.
pub fn normalise_document_number(number: &str) -> String {
    number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_normalise() {
        for (kind, value, expected) in [
            (
                "phone",
                "+7 912 000-0000",
                Some((EntityKind::Phone, "+79120000000")),
            ),
            (
                "phone",
                "0049 (30) 1234567",
                Some((EntityKind::Phone, "+49301234567")),
            ),
            ("phone", "+00 12345", Some((EntityKind::Phone, "+0012345"))),
            ("phone", "12", None),
            (
                "email",
                "  Anna.Example@Mail.EXAMPLE ",
                Some((EntityKind::Email, "anna.example@mail.example")),
            ),
            ("email", "not an address", None),
            (
                "address",
                " 12  Rue  de la PAIX\n Paris ",
                Some((EntityKind::Address, "12 rue de la paix paris")),
            ),
            ("address", "   ", None),
            (
                "social",
                " @Anna  X ",
                Some((EntityKind::Other, "identifier/social:@anna x")),
            ),
        ] {
            assert_eq!(
                normalise_identifier(kind, value),
                expected.map(|(k, v)| (k, v.to_owned())),
                "{kind} {value:?}"
            );
        }
        assert_eq!(normalise_document_number(" l898-902 c3"), "L898902C3");
    }
}
