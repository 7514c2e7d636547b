//! The holder's name in the MRZ (Doc 9303 Part 3, 4.6): Latin letters upper-cased, diacritics mapped by the
//! Part 3 transliteration table, spaces and hyphens as fillers, apostrophes dropped, `SURNAME<<GIVEN<NAMES`,
//! and truncation when the name is longer than the field.

use crate::{FormatError, Position};

/// The name components of a Latin name as MRZ text (`"Smith-Jones"` gives `["SMITH", "JONES"]`).
///
/// `field` names the input in errors. A character that is neither a Latin letter (with or without a
/// diacritic in the Doc 9303 Part 3 table), nor a space, hyphen, comma, apostrophe or full stop, is refused:
/// a name in another script must be transliterated first, which needs to know its language.
pub fn name_components(text: &str, field: &'static str) -> Result<Vec<String>, FormatError> {
    let mut components = Vec::new();
    let mut current = String::new();
    for (index, (byte_offset, c)) in text.char_indices().enumerate() {
        if is_separator(c) {
            if !current.is_empty() {
                components.push(std::mem::take(&mut current));
            }
            continue;
        }
        if is_dropped(c) {
            continue;
        }
        for upper in c.to_uppercase() {
            if upper.is_ascii_uppercase() {
                current.push(upper);
            } else if let Some(latin) = icao_latin(upper) {
                current.push_str(latin);
            } else {
                let position = Position {
                    line: 1,
                    column: index as u32 + 1,
                    byte_offset,
                    segment: None,
                    segment_tag: None,
                };
                return Err(FormatError::new(
                    position,
                    Some(field),
                    format!(
                        "character '{c}' (U+{:04X}) cannot be written in an MRZ name: only Latin letters,                          spaces, hyphens and apostrophes are accepted (transliterate other scripts first)",
                        u32::from(c)
                    ),
                ));
            }
        }
    }
    if !current.is_empty() {
        components.push(current);
    }
    Ok(components)
}

/// The name field of `width` characters for a primary identifier (surname) and a secondary identifier
/// (given names), each already split into MRZ components.
///
/// When the whole name does not fit, the secondary identifier is truncated first; if the primary identifier
/// alone leaves no room for the initial of the first given name, the primary identifier is truncated too
/// and the secondary is reduced to that initial. Within an identifier, components are kept from the first
/// and the later ones shortened, but each kept component keeps at least its initial (Doc 9303 Part 4
/// 4.2.3.2 gives several acceptable truncations; this is one of them). A truncated field ends with a letter,
/// which is how a reader sees that the name may be truncated.
pub fn name_field(primary: &[String], secondary: &[String], width: usize) -> String {
    let primary_text = primary.join("<");
    let secondary_text = secondary.join("<");
    let full = if secondary_text.is_empty() {
        primary_text.clone()
    } else {
        format!("{primary_text}<<{secondary_text}")
    };
    let text = if full.len() <= width {
        full
    } else if secondary.is_empty() {
        fit_components(primary, width, 1)
    } else if primary_text.len() + 3 <= width {
        let room = width - primary_text.len() - 2;
        format!("{primary_text}<<{}", fit_components(secondary, room, 1))
    } else {
        let initial = secondary
            .first()
            .and_then(|first| first.get(..1))
            .unwrap_or_default();
        format!(
            "{}<<{initial}",
            fit_components(primary, width.saturating_sub(3), 1)
        )
    };
    pad(text, width)
}

/// Components joined by `separator` fillers in at most `budget` characters: the first components whole
/// as far as possible, each later one keeping at least its initial; components that cannot keep even an
/// initial are left out.
pub(crate) fn fit_components(components: &[String], budget: usize, separator: usize) -> String {
    let mut kept = components.len();
    while kept > 0 && kept * (1 + separator) - separator > budget {
        kept -= 1;
    }
    let mut out = String::new();
    let mut remaining = budget;
    for (i, component) in components.iter().take(kept).enumerate() {
        if i > 0 {
            out.extend(std::iter::repeat_n('<', separator));
            remaining = remaining.saturating_sub(separator);
        }
        let later = kept - i - 1;
        let room = remaining.saturating_sub(later * (1 + separator));
        let take = component.len().min(room);
        out.push_str(component.get(..take).unwrap_or_default());
        remaining = remaining.saturating_sub(take);
    }
    out
}

/// `text` filled with `<` to `width` (never longer than `width`).
pub(crate) fn pad(mut text: String, width: usize) -> String {
    text.truncate(width);
    while text.len() < width {
        text.push('<');
    }
    text
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | ',' | '<')
}

fn is_dropped(c: char) -> bool {
    // Apostrophes and full stops are left out (O'CONNOR -> OCONNOR); combining marks are the diacritics of
    // a decomposed letter, whose base letter is what the MRZ keeps.
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '.') || ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Doc 9303 Part 3 Table A (Latin letters with diacritics), the recommended transliteration; Ș and Ț
/// (comma below) are read as their cedilla forms, which the table lists.
fn icao_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => "A",
        'Å' => "AA",
        'Ä' | 'Æ' => "AE",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'Ð' | 'Ď' | 'Đ' => "D",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'Ĥ' | 'Ħ' => "H",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'ı' => "I",
        'Ĳ' => "IJ",
        'Ĵ' => "J",
        'Ķ' => "K",
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' | 'Ŋ' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'Ŕ' | 'Ŗ' | 'Ř' => "R",
        'Ś' | 'Ŝ' | 'Ş' | 'Ș' | 'Š' => "S",
        'ẞ' => "SS",
        'Ţ' | 'Ț' | 'Ť' | 'Ŧ' => "T",
        'Þ' => "TH",
        'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'Ü' => "UE",
        'Ŵ' => "W",
        'Ý' | 'Ŷ' | 'Ÿ' => "Y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn components(text: &str) -> Vec<String> {
        name_components(text, "surname").unwrap()
    }

    #[test]
    fn components_follow_icao() {
        assert_eq!(components("Smith-Jones"), ["SMITH", "JONES"]);
        assert_eq!(components("O’Connor"), ["OCONNOR"]);
        assert_eq!(components("D'Artagnan"), ["DARTAGNAN"]);
        assert_eq!(components("  van der  Muellen "), ["VAN", "DER", "MUELLEN"]);
        assert_eq!(components("Müller"), ["MUELLER"]);
        assert_eq!(components("Gößmann"), ["GOESSMANN"]);
        assert_eq!(components("Łukasz Ñúñez"), ["LUKASZ", "NUNEZ"]);
        assert_eq!(components("Ștefan"), ["STEFAN"]);
        assert_eq!(components("E\u{301}mile"), ["EMILE"]);
        assert!(components("").is_empty());
    }

    #[test]
    fn other_scripts_are_refused_with_their_position() {
        let error = name_components("Ivan Щербаков", "surname").unwrap_err();
        assert_eq!(error.position().column, 6);
        assert_eq!(error.position().byte_offset, 5);
        assert_eq!(error.0.field.as_deref(), Some("surname"));
        assert!(error.to_string().contains("U+0429"), "{error}");
        assert!(name_components("R2D2", "surname").is_err());
    }

    #[test]
    fn fitting_keeps_initials() {
        let names = components("Chayapa Dejthamrong Krasuang");
        assert_eq!(fit_components(&names, 12, 1), "CHAYAPA<DE<K");
        assert_eq!(fit_components(&names, 3, 1), "C<D");
        assert_eq!(fit_components(&names, 1, 1), "C");
        assert_eq!(fit_components(&names, 0, 1), "");
    }
}
