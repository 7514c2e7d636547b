//! Writing a machine-readable zone from its fields: layout, fillers and every check digit.

use chrono::NaiveDate;

use super::check::{check_digit_bytes, check_digit_of_parts};
use super::layout::{self, Layout, Span};
use super::name::{fit_components, name_components, name_field, pad};
use super::{MrzFields, MrzFormat, yymmdd};
use crate::{FormatError, Position};

/// The lines of the zone described by `fields` (3 lines of 30 for TD1, 2 of 36 for TD2/MRV-B and the
/// French card, 2 of 44 for TD3/MRV-A), with every check digit.
///
/// Errors name the input field and, in the position, the character within that field's value (line 1,
/// column and byte offset in the value).
pub fn generate(fields: &MrzFields) -> Result<Vec<String>, FormatError> {
    let layout = layout::of(fields.format);
    let mut zone = Zone::new(layout);

    let document_code = letters(&fields.document_code, "document_code", 1, 2)?;
    check_document_code(fields.format, &document_code, &fields.issuing_state)?;
    zone.put(layout.document_code, &document_code);
    zone.put(
        layout.issuing_state,
        &letters(&fields.issuing_state, "issuing_state", 1, 3)?,
    );

    let surname = name_components(&fields.surname, "surname")?;
    let given_names = name_components(&fields.given_names, "given_names")?;
    if surname.is_empty() && given_names.is_empty() {
        return Err(field_error("surname", "the name is empty"));
    }
    match layout.given_names {
        Some(given_span) => {
            // The French card has a field of its own for each identifier.
            zone.put(
                layout.name,
                &pad(
                    fit_components(&surname, layout.name.len, 1),
                    layout.name.len,
                ),
            );
            zone.put(
                given_span,
                &pad(
                    fit_components(&given_names, given_span.len, 2),
                    given_span.len,
                ),
            );
        }
        None => zone.put(
            layout.name,
            &name_field(&surname, &given_names, layout.name.len),
        ),
    }

    if let Some(span) = layout.nationality {
        zone.put(span, &letters(&fields.nationality, "nationality", 0, 3)?);
    } else if !fields.nationality.is_empty() && fields.nationality != "FRA" {
        return Err(field_error(
            "nationality",
            "the French identity card has no nationality field (the holder is French)",
        ));
    }

    zone.put_date(
        layout.birth_date,
        layout.birth_date_check,
        fields.birth_date,
    );
    zone.put(layout.sex, &sex(fields.sex)?);
    match (layout.expiry_date, layout.expiry_date_check) {
        (Some(span), Some(check)) => zone.put_date(span, check, fields.expiry_date),
        _ if fields.expiry_date.is_some() => {
            return Err(field_error(
                "expiry_date",
                "the French identity card has no expiry date in its MRZ",
            ));
        }
        _ => {}
    }

    let optional_data = alphanumeric(&fields.optional_data, "optional_data", true)?;
    let document_number = alphanumeric(&fields.document_number, "document_number", false)?;
    if document_number.is_empty() {
        return Err(field_error(
            "document_number",
            "the document number is empty",
        ));
    }
    let number_span = layout.document_number;
    if document_number.len() <= number_span.len {
        zone.put(number_span, &document_number);
        zone.put_check(layout.document_number_check, number_span);
        zone.put_optional(layout.optional_data, &optional_data, "optional_data")?;
    } else if layout.long_number_overflow {
        // Doc 9303 Part 5 (TD1) and Part 6 (TD2): the first 9 characters in the field, a filler in the check
        // digit position, then the rest of the number and the check digit of the whole number at the start
        // of the optional data, then a filler.
        let (head, rest) = document_number.split_at(number_span.len);
        let check = check_digit_bytes(document_number.as_bytes()).unwrap_or('0');
        let mut overflow = format!("{rest}{check}");
        if !optional_data.is_empty() {
            overflow.push('<');
            overflow.push_str(&optional_data);
        }
        if overflow.len() > layout.optional_data.len {
            return Err(field_error(
                "document_number",
                format!(
                    "the document number ({} characters) and the optional data ({} characters) do not fit: \
                     a {} holds {} characters for both, with two for the check digit and a filler",
                    document_number.len(),
                    optional_data.len(),
                    fields.format.as_str(),
                    number_span.len + layout.optional_data.len,
                ),
            ));
        }
        zone.put(number_span, head);
        zone.put(layout.document_number_check, "<");
        zone.put(layout.optional_data, &overflow);
    } else {
        return Err(field_error(
            "document_number",
            format!(
                "the document number has {} characters; a {} holds {}",
                document_number.len(),
                fields.format.as_str(),
                number_span.len
            ),
        ));
    }
    if let Some(check) = layout.optional_data_check {
        if optional_data.is_empty() {
            // Doc 9303 Part 4: an unused personal number may have a filler as its check digit.
            zone.put(check, "<");
        } else {
            zone.put_check(check, layout.optional_data);
        }
    }

    match layout.optional_data_2 {
        Some(span) => {
            let optional_data_2 = alphanumeric(&fields.optional_data_2, "optional_data_2", true)?;
            zone.put_optional(span, &optional_data_2, "optional_data_2")?;
        }
        None if !fields.optional_data_2.is_empty() => {
            return Err(field_error(
                "optional_data_2",
                format!(
                    "a {} has no second optional data field",
                    fields.format.as_str()
                ),
            ));
        }
        None => {}
    }

    if let Some(composite) = layout.composite {
        let digit = check_digit_of_parts(layout.composite_parts.iter().map(|part| zone.get(*part)))
            .unwrap_or('0');
        zone.put(composite, &digit.to_string());
    }
    Ok(zone.into_lines())
}

/// The zone being written: lines of fillers that fields are put into.
struct Zone {
    lines: Vec<Vec<u8>>,
}

impl Zone {
    fn new(layout: &Layout) -> Zone {
        Zone {
            lines: vec![vec![b'<'; layout.width]; layout.lines],
        }
    }

    /// Writes `text` (ASCII, already checked to fit) at the start of `span`, the rest stays filler.
    fn put(&mut self, span: Span, text: &str) {
        if let Some(line) = self.lines.get_mut(span.line) {
            for (i, byte) in text.bytes().take(span.len).enumerate() {
                if let Some(slot) = line.get_mut(span.start + i) {
                    *slot = byte;
                }
            }
        }
    }

    fn get(&self, span: Span) -> &[u8] {
        self.lines
            .get(span.line)
            .and_then(|line| line.get(span.start..span.end()))
            .unwrap_or_default()
    }

    fn put_check(&mut self, check: Span, of: Span) {
        let digit = check_digit_bytes(self.get(of)).unwrap_or('0');
        self.put(check, &digit.to_string());
    }

    fn put_date(&mut self, span: Span, check: Span, date: Option<NaiveDate>) {
        if let Some(date) = date {
            self.put(span, &yymmdd(date));
        }
        self.put_check(check, span);
    }

    fn put_optional(
        &mut self,
        span: Span,
        text: &str,
        field: &'static str,
    ) -> Result<(), FormatError> {
        if text.len() > span.len {
            return Err(field_error(
                field,
                format!("{} characters do not fit in {}", text.len(), span.len),
            ));
        }
        self.put(span, text);
        Ok(())
    }

    fn into_lines(self) -> Vec<String> {
        self.lines
            .into_iter()
            .map(|line| String::from_utf8_lossy(&line).into_owned())
            .collect()
    }
}

/// The format is recognised by the reader from the line length and the document code, so the writer refuses
/// what would be read back as another format.
fn check_document_code(
    format: MrzFormat,
    code: &str,
    issuing_state: &str,
) -> Result<(), FormatError> {
    let visa = code.starts_with('V');
    let problem = match format {
        MrzFormat::MrvA | MrzFormat::MrvB if !visa => Some("a visa's document code starts with V"),
        MrzFormat::Td2 | MrzFormat::Td3 if visa => {
            Some("a document code starting with V is read as a visa (MRV-A or MRV-B)")
        }
        MrzFormat::Td2 if code == "ID" && issuing_state.eq_ignore_ascii_case("FRA") => Some(
            "ID issued by FRA on 2 lines of 36 is read as the French national identity card layout",
        ),
        MrzFormat::FraNationalId if code != "ID" || !issuing_state.eq_ignore_ascii_case("FRA") => {
            Some("the French identity card has document code ID and issuing state FRA")
        }
        _ => None,
    };
    match problem {
        Some(message) => Err(field_error("document_code", message)),
        None => Ok(()),
    }
}

/// Upper-cased letters, between `min` and `max` of them.
fn letters(text: &str, field: &'static str, min: usize, max: usize) -> Result<String, FormatError> {
    let text = text.trim().to_ascii_uppercase();
    if let Some((index, c)) = text.char_indices().find(|(_, c)| !c.is_ascii_uppercase()) {
        return Err(char_error(field, &text, index, c, "only letters A-Z"));
    }
    if text.len() < min || text.len() > max {
        return Err(field_error(
            field,
            format!(
                "'{text}' has {} letters; expected {min} to {max}",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// Upper-cased `A-Z0-9`; spaces become fillers where `fillers` is allowed, and trailing fillers are dropped.
fn alphanumeric(text: &str, field: &'static str, fillers: bool) -> Result<String, FormatError> {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            ' ' if fillers => '<',
            other => other.to_ascii_uppercase(),
        })
        .collect();
    let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || fillers && c == '<';
    if let Some((index, c)) = text.char_indices().find(|(_, c)| !allowed(*c)) {
        let what = if fillers {
            "only A-Z, 0-9, spaces and <"
        } else {
            "only A-Z and 0-9"
        };
        return Err(char_error(field, &text, index, c, what));
    }
    Ok(text.trim_end_matches('<').to_owned())
}

fn sex(sex: Option<char>) -> Result<String, FormatError> {
    match sex.map(|c| c.to_ascii_uppercase()) {
        None | Some('<') => Ok("<".to_owned()),
        Some(c @ ('M' | 'F' | 'X')) => Ok(c.to_string()),
        Some(other) => Err(field_error(
            "sex",
            format!("'{other}' is not a sex in an MRZ: M, F, X or none"),
        )),
    }
}

fn char_error(
    field: &'static str,
    text: &str,
    byte_offset: usize,
    c: char,
    allowed: &str,
) -> FormatError {
    let column = text
        .get(..byte_offset)
        .map_or(0, |before| before.chars().count()) as u32
        + 1;
    FormatError::new(
        Position {
            line: 1,
            column,
            byte_offset,
            segment: None,
            segment_tag: None,
        },
        Some(field),
        format!("character '{c}' is not allowed: {allowed}"),
    )
}

fn field_error(field: &'static str, message: impl Into<String>) -> FormatError {
    FormatError::new(
        Position {
            line: 1,
            column: 1,
            byte_offset: 0,
            segment: None,
            segment_tag: None,
        },
        Some(field),
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn eriksson(format: MrzFormat) -> MrzFields {
        MrzFields {
            format,
            document_code: "P".into(),
            issuing_state: "UTO".into(),
            surname: "Eriksson".into(),
            given_names: "Anna María".into(),
            document_number: "L898902C3".into(),
            nationality: "UTO".into(),
            birth_date: date(1974, 8, 12),
            sex: Some('F'),
            expiry_date: date(2012, 4, 15),
            optional_data: "ZE184226B".into(),
            optional_data_2: String::new(),
        }
    }

    #[test]
    fn icao_specimens() {
        assert_eq!(
            generate(&eriksson(MrzFormat::Td3)).unwrap(),
            [
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
            ]
        );
        let td1 = MrzFields {
            format: MrzFormat::Td1,
            document_code: "I".into(),
            document_number: "D23145890734".into(),
            surname: "Stevenson".into(),
            given_names: "Peter John".into(),
            birth_date: date(1934, 7, 12),
            sex: Some('M'),
            expiry_date: date(1995, 7, 12),
            optional_data: String::new(),
            ..eriksson(MrzFormat::Td1)
        };
        assert_eq!(
            generate(&td1).unwrap(),
            [
                "I<UTOD23145890<7349<<<<<<<<<<<",
                "3407127M9507122UTO<<<<<<<<<<<2",
                "STEVENSON<<PETER<JOHN<<<<<<<<<"
            ]
        );
    }

    #[test]
    fn refuses_what_cannot_be_written() {
        let too_long = MrzFields {
            document_number: "L898902C3X".into(),
            ..eriksson(MrzFormat::Td3)
        };
        let error = generate(&too_long).unwrap_err();
        assert_eq!(error.0.field.as_deref(), Some("document_number"));
        let visa_code = MrzFields {
            document_code: "V".into(),
            ..eriksson(MrzFormat::Td3)
        };
        assert!(generate(&visa_code).is_err());
        let bad_number = MrzFields {
            document_number: "L8989-02".into(),
            ..eriksson(MrzFormat::Td3)
        };
        let error = generate(&bad_number).unwrap_err();
        assert_eq!(error.position().column, 6);
        let cyrillic = MrzFields {
            surname: "Иванова".into(),
            ..eriksson(MrzFormat::Td3)
        };
        assert_eq!(
            generate(&cyrillic).unwrap_err().0.field.as_deref(),
            Some("surname")
        );
    }
}
