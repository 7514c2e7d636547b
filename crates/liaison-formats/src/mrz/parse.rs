//! Reading a machine-readable zone as scanned or typed: recognising its layout from the line lengths and
//! the document code, correcting what OCR confuses where the field type or a check digit decides, and
//! verifying every check digit. A failed check is reported in the result; only what cannot be an MRZ at
//! all is an error.

use chrono::{Datelike, NaiveDate};

use super::check::check_digit_bytes;
use super::layout::{self, Kind, Layout, Span};
use super::{Correction, Mrz, MrzCheck, MrzFormat, MrzOptions};
use crate::{Diagnostic, FormatError, Position};

/// Inputs longer than this are refused before they are read: the longest MRZ is 90 characters, and an
/// officer's typing or a scanner's line breaks add little to it.
pub const MAX_INPUT_BYTES: usize = 1024;

/// Reads the machine-readable zone in `text`.
///
/// `text` holds the lines separated by line breaks, or separated by spaces, or concatenated without
/// separators (90, 72 or 88 characters); surrounding whitespace is ignored and lower-case letters are
/// upper-cased (each listed as a correction). Errors, for what cannot be an MRZ (empty, binary or oversized
/// input, a wrong number of lines, a line of the wrong length, a character outside `A-Z0-9<`), give the
/// position as the zone's 1-based line and column and the byte offset in `text`.
pub fn parse(text: &str, options: &MrzOptions) -> Result<Mrz, FormatError> {
    if text.len() > MAX_INPUT_BYTES {
        let mut end = MAX_INPUT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        return Err(FormatError::new(
            Position::at(&text.as_bytes()[..end], end),
            None,
            format!(
                "input is {} bytes; an MRZ is at most {MAX_INPUT_BYTES} bytes",
                text.len()
            ),
        ));
    }
    if let Some((offset, c)) = text
        .char_indices()
        .find(|&(_, c)| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{FFFD}')
    {
        return Err(FormatError::new(
            Position::at(text.as_bytes(), offset),
            None,
            format!("binary data: character U+{:04X} is not text", u32::from(c)),
        ));
    }
    let lines = split_lines(text)?;
    let (format, width) = recognise(&lines, text, options.correct_ocr)?;
    let layout = layout::of(format);
    let mut reader = Reader::new(format, layout, &lines, width, options)?;
    reader.correct_by_kind();
    Ok(reader.read())
}

/// One character of the input: what it is and where it was.
#[derive(Debug, Clone, Copy)]
struct InputChar {
    c: char,
    byte_offset: usize,
}

type InputLine = Vec<InputChar>;

/// The lines of the zone, by line breaks, by spaces, or cut from one run of characters.
fn split_lines(text: &str) -> Result<Vec<InputLine>, FormatError> {
    let mut lines: Vec<InputLine> = Vec::new();
    let mut start = 0;
    for raw in text.split('\n') {
        let mut line: InputLine = raw
            .char_indices()
            .map(|(i, c)| InputChar {
                c,
                byte_offset: start + i,
            })
            .collect();
        start += raw.len() + 1;
        while line.last().is_some_and(|ic| ic.c.is_whitespace()) {
            line.pop();
        }
        let leading = line.iter().take_while(|ic| ic.c.is_whitespace()).count();
        line.drain(..leading);
        if !line.is_empty() {
            lines.push(line);
        }
    }
    match lines.as_slice() {
        [] => Err(FormatError::new(
            Position::at(text.as_bytes(), 0),
            None,
            "empty input: no MRZ line",
        )),
        [single] if single.iter().any(|ic| ic.c.is_whitespace()) => {
            // Typed by an officer: one MRZ line per word.
            Ok(single
                .split(|ic| ic.c.is_whitespace())
                .filter(|word| !word.is_empty())
                .map(<[InputChar]>::to_vec)
                .collect())
        }
        [single] => {
            let width = match single.len() {
                90 => 30,
                72 => 36,
                88 => 44,
                other => {
                    return Err(FormatError::new(
                        position_after(text, single),
                        Some("line 1"),
                        format!(
                            "one line of {other} characters: an MRZ has 2 or 3 lines (or 72, 88 or 90 \
                             characters without line breaks)"
                        ),
                    ));
                }
            };
            Ok(single.chunks(width).map(<[InputChar]>::to_vec).collect())
        }
        several => {
            for (number, line) in several.iter().enumerate() {
                if let Some(space) = line.iter().find(|ic| ic.c.is_whitespace()) {
                    let column = line
                        .iter()
                        .position(|ic| ic.byte_offset == space.byte_offset)
                        .unwrap_or(0);
                    return Err(FormatError::new(
                        zone_position(number, column, space.byte_offset),
                        Some(&format!("line {}", number + 1)),
                        "space inside an MRZ line (fillers are written <)",
                    ));
                }
            }
            Ok(lines)
        }
    }
}

/// The format from the number and lengths of the lines and the document code; the error names the first
/// line whose length does not fit.
fn recognise(
    lines: &[InputLine],
    text: &str,
    correct_ocr: bool,
) -> Result<(MrzFormat, usize), FormatError> {
    let width = match lines.len() {
        3 => 30,
        2 => {
            let first = lines.first().map_or(0, Vec::len);
            let second = lines.get(1).map_or(0, Vec::len);
            if matches!(first, 36 | 44) {
                first
            } else if matches!(second, 36 | 44) {
                second
            } else {
                let nearest = if first > 40 { 44 } else { 36 };
                return Err(length_error(
                    text,
                    lines,
                    0,
                    nearest,
                    "a two-line MRZ has lines of 36 (TD2, MRV-B) or 44 (TD3, MRV-A) characters",
                ));
            }
        }
        count => {
            let line = lines.get(3).or(lines.first());
            let byte_offset = line.and_then(|l| l.first()).map_or(0, |ic| ic.byte_offset);
            return Err(FormatError::new(
                zone_position(3.min(count.saturating_sub(1)), 0, byte_offset),
                None,
                format!("{count} lines: an MRZ has 2 (TD2, TD3, visas) or 3 (TD1)"),
            ));
        }
    };
    let expectation = match (lines.len(), width) {
        (3, _) => "a three-line MRZ (TD1) has lines of 30 characters",
        (_, 36) => {
            "a two-line MRZ with a first line of 36 characters (TD2, MRV-B) has a second one of 36"
        }
        _ => {
            "a two-line MRZ with a first line of 44 characters (TD3, MRV-A) has a second one of 44"
        }
    };
    for (number, line) in lines.iter().enumerate() {
        if line.len() != width {
            return Err(length_error(text, lines, number, width, expectation));
        }
    }
    let letter = |column: usize| {
        let c = lines
            .first()
            .and_then(|line| line.get(column))
            .and_then(|ic| normalise(ic.c, correct_ocr))
            .map_or('<', |(c, _)| c);
        if correct_ocr {
            digit_as_letter(c).unwrap_or(c)
        } else {
            c
        }
    };
    let code: String = (0..5).map(letter).collect();
    let format = match width {
        30 => MrzFormat::Td1,
        44 if code.starts_with('V') => MrzFormat::MrvA,
        44 => MrzFormat::Td3,
        _ if code.starts_with('V') => MrzFormat::MrvB,
        _ if code == "IDFRA" => MrzFormat::FraNationalId,
        _ => MrzFormat::Td2,
    };
    Ok((format, width))
}

fn length_error(
    text: &str,
    lines: &[InputLine],
    number: usize,
    expected: usize,
    expectation: &str,
) -> FormatError {
    let line = lines.get(number).map_or(&[][..], Vec::as_slice);
    let found = line.len();
    let position = match line.get(expected) {
        // The first character too many.
        Some(extra) if found > expected => zone_position(number, expected, extra.byte_offset),
        _ => {
            let mut position = position_after(text, line);
            position.line = number as u32 + 1;
            position.column = found as u32 + 1;
            position
        }
    };
    let what = if found > expected {
        "too long"
    } else {
        "too short"
    };
    FormatError::new(
        position,
        Some(&format!("line {}", number + 1)),
        format!(
            "line {} is {found} characters long ({what}): {expectation}",
            number + 1
        ),
    )
}

/// The position just after the last character of `line`.
fn position_after(text: &str, line: &[InputChar]) -> Position {
    let end = line.last().map_or(0, |ic| ic.byte_offset + ic.c.len_utf8());
    let mut position = Position::at(text.as_bytes(), end);
    position.column = line.len() as u32 + 1;
    position
}

/// A position in the zone: 1-based line and column of the MRZ, byte offset in the input.
fn zone_position(line: usize, column: usize, byte_offset: usize) -> Position {
    Position {
        line: line as u32 + 1,
        column: column as u32 + 1,
        byte_offset,
        segment: None,
        segment_tag: None,
    }
}

/// The MRZ character for an input character, with the reason when it is not the same, or `None` when it
/// cannot be one. Lower-case letters are always upper-cased; with OCR correction, full-width forms (typed
/// with an East Asian input method) and the single angle quotation mark (a filler as some OCR engines read
/// it) are taken too.
fn normalise(c: char, correct_ocr: bool) -> Option<(char, Option<&'static str>)> {
    match c {
        'A'..='Z' | '0'..='9' | '<' => Some((c, None)),
        'a'..='z' => Some((c.to_ascii_uppercase(), Some("lower-case letter"))),
        '\u{FF01}'..='\u{FF5E}' if correct_ocr => {
            let ascii = char::from_u32(u32::from(c) - 0xFF01 + 0x21)?;
            let (ascii, _) = normalise(ascii, false)?;
            Some((ascii, Some("full-width character")))
        }
        '‹' | '〈' if correct_ocr => {
            Some(('<', Some("angle quotation mark read as the filler <")))
        }
        _ => None,
    }
}

/// The letter a digit is mistaken for by OCR.
fn digit_as_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '5' => 'S',
        '6' => 'G',
        '8' => 'B',
        _ => return None,
    })
}

/// The digit a letter is mistaken for by OCR.
fn letter_as_digit(c: char) -> Option<char> {
    Some(match c {
        'O' | 'Q' | 'D' => '0',
        'I' | 'L' => '1',
        'Z' => '2',
        'S' => '5',
        'G' => '6',
        'B' => '8',
        _ => return None,
    })
}

/// Every character an OCR confusion could have turned into `c`.
fn confusions(c: char) -> Vec<char> {
    if let Some(digit) = letter_as_digit(c) {
        return vec![digit];
    }
    match c {
        '0' => vec!['O', 'Q', 'D'],
        '1' => vec!['I', 'L'],
        _ => digit_as_letter(c).into_iter().collect(),
    }
}

/// The zone being read: its characters (ASCII once normalised), where each came from, and what was found.
struct Reader<'a> {
    format: MrzFormat,
    layout: &'static Layout,
    options: &'a MrzOptions,
    chars: Vec<Vec<u8>>,
    offsets: Vec<Vec<usize>>,
    corrections: Vec<Correction>,
    warnings: Vec<Diagnostic>,
    checks: Vec<MrzCheck>,
}

impl<'a> Reader<'a> {
    /// Upper-cases lower-case letters and refuses anything outside `A-Z0-9<`.
    fn new(
        format: MrzFormat,
        layout: &'static Layout,
        lines: &[InputLine],
        width: usize,
        options: &'a MrzOptions,
    ) -> Result<Reader<'a>, FormatError> {
        let mut reader = Reader {
            format,
            layout,
            options,
            chars: Vec::with_capacity(lines.len()),
            offsets: Vec::with_capacity(lines.len()),
            corrections: Vec::new(),
            warnings: Vec::new(),
            checks: Vec::new(),
        };
        let field_names = layout.field_names();
        for (number, line) in lines.iter().enumerate() {
            let mut chars = Vec::with_capacity(width);
            for (column, ic) in line.iter().enumerate() {
                let field = field_names
                    .get(number)
                    .and_then(|line| line.get(column))
                    .copied()
                    .unwrap_or("filler");
                let Some((c, reason)) = normalise(ic.c, options.correct_ocr) else {
                    return Err(FormatError::new(
                        zone_position(number, column, ic.byte_offset),
                        Some(field),
                        format!(
                            "character '{}' (U+{:04X}) is not allowed in an MRZ: only A-Z, 0-9 and <",
                            ic.c,
                            u32::from(ic.c)
                        ),
                    ));
                };
                if let Some(reason) = reason {
                    reader.corrections.push(Correction {
                        line: number as u32 + 1,
                        column: column as u32 + 1,
                        byte_offset: ic.byte_offset,
                        from: ic.c,
                        to: c,
                        field,
                        reason: reason.to_owned(),
                    });
                }
                let byte = c as u8;
                chars.push(byte);
            }
            reader.chars.push(chars);
            reader
                .offsets
                .push(line.iter().map(|ic| ic.byte_offset).collect());
        }
        Ok(reader)
    }

    fn at(&self, line: usize, column: usize) -> u8 {
        self.chars
            .get(line)
            .and_then(|l| l.get(column))
            .copied()
            .unwrap_or(b'<')
    }

    fn text(&self, span: Span) -> String {
        self.chars
            .get(span.line)
            .and_then(|l| l.get(span.start..span.end()))
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default()
    }

    fn position(&self, line: usize, column: usize) -> Position {
        let byte_offset = self
            .offsets
            .get(line)
            .and_then(|l| l.get(column))
            .copied()
            .unwrap_or(0);
        zone_position(line, column, byte_offset)
    }

    fn warn(&mut self, span: Span, field: &str, message: String) {
        let position = self.position(span.line, span.start);
        self.warnings.push(Diagnostic {
            position,
            field: Some(field.to_owned()),
            message,
        });
    }

    fn correct(&mut self, line: usize, column: usize, to: u8, field: &'static str, reason: String) {
        let from = self.at(line, column);
        if let Some(slot) = self.chars.get_mut(line).and_then(|l| l.get_mut(column)) {
            *slot = to;
        }
        let position = self.position(line, column);
        self.corrections.push(Correction {
            line: position.line,
            column: position.column,
            byte_offset: position.byte_offset,
            from: char::from(from),
            to: char::from(to),
            field,
            reason,
        });
    }

    /// Letters where only letters may be, digits where only digits may be.
    fn correct_by_kind(&mut self) {
        if !self.options.correct_ocr {
            return;
        }
        for (field, span, kind) in self.layout.fields() {
            for column in span.start..span.end() {
                let kind = if self.format == MrzFormat::FraNationalId && field == "document_number"
                {
                    // Year and month of issue, then the department (may hold letters), then a serial number.
                    if (4..7).contains(&column) {
                        Kind::AlphaNum
                    } else {
                        Kind::Numeric
                    }
                } else {
                    kind
                };
                let c = char::from(self.at(span.line, column));
                match kind {
                    Kind::Alpha | Kind::Name => {
                        if let Some(letter) = digit_as_letter(c) {
                            self.correct(
                                span.line,
                                column,
                                letter as u8,
                                field,
                                format!("'{c}' in a letters-only field read as '{letter}'"),
                            );
                        }
                    }
                    Kind::Numeric | Kind::CheckDigit => {
                        // A filler in the document number's check digit position announces a long number
                        // (TD1, TD2) and is not an OCR fault.
                        if let Some(digit) = letter_as_digit(c) {
                            self.correct(
                                span.line,
                                column,
                                digit as u8,
                                field,
                                format!("'{c}' in a numeric field read as '{digit}'"),
                            );
                        }
                    }
                    // No digit is mistaken for M, F or X.
                    Kind::AlphaNum | Kind::Sex => {}
                }
            }
        }
    }

    /// Records a check of the digit at `check` over `data`, with the digit as found.
    fn check(&mut self, field: &'static str, data: &[u8], check: (usize, usize)) -> bool {
        let expected = check_digit_bytes(data).unwrap_or('0');
        let found = char::from(self.at(check.0, check.1));
        let ok = expected == found;
        self.checks.push(MrzCheck {
            field,
            ok,
            expected,
            found,
            line: check.0 as u32 + 1,
            column: check.1 as u32 + 1,
        });
        ok
    }

    fn bytes_at(&self, positions: &[(usize, usize)]) -> Vec<u8> {
        positions.iter().map(|&(l, c)| self.at(l, c)).collect()
    }

    /// When the check digit at `check` fails for the characters at `positions`, tries every single OCR
    /// confusion and applies the one that makes it agree, if exactly one does.
    fn repair_by_check_digit(
        &mut self,
        field: &'static str,
        positions: &[(usize, usize)],
        check: (usize, usize),
    ) {
        let found = char::from(self.at(check.0, check.1));
        if !self.options.correct_ocr || !found.is_ascii_digit() {
            return;
        }
        let data = self.bytes_at(positions);
        if check_digit_bytes(&data) == Some(found) {
            return;
        }
        let mut fixes = Vec::new();
        for (i, &byte) in data.iter().enumerate() {
            for alternative in confusions(char::from(byte)) {
                let mut candidate = data.clone();
                if let Some(slot) = candidate.get_mut(i) {
                    *slot = alternative as u8;
                }
                if check_digit_bytes(&candidate) == Some(found) {
                    fixes.push((i, alternative));
                }
            }
        }
        match fixes.as_slice() {
            [(i, alternative)] => {
                if let Some(&(line, column)) = positions.get(*i) {
                    let from = char::from(self.at(line, column));
                    self.correct(
                        line,
                        column,
                        *alternative as u8,
                        field,
                        format!(
                            "'{from}' read as '{alternative}': the only single OCR confusion that makes \
                             the check digit agree"
                        ),
                    );
                }
            }
            [] => {}
            several => {
                let span = Span {
                    line: check.0,
                    start: check.1,
                    len: 1,
                };
                self.warn(
                    span,
                    field,
                    format!(
                        "check digit fails; {} different single OCR corrections would fix it, so none was made",
                        several.len()
                    ),
                );
            }
        }
    }

    fn positions(span: Span) -> Vec<(usize, usize)> {
        (span.start..span.end()).map(|c| (span.line, c)).collect()
    }

    fn read(mut self) -> Mrz {
        let layout = self.layout;
        let document_code = trim_fillers(&self.text(layout.document_code));
        let issuing_state = trim_fillers(&self.text(layout.issuing_state));
        let nationality = match layout.nationality {
            Some(span) => trim_fillers(&self.text(span)),
            None => "FRA".to_owned(),
        };

        // The personal number first: repairing it changes the optional data read with the number.
        if let Some(check) = layout.optional_data_check {
            let positions = Self::positions(layout.optional_data);
            self.repair_by_check_digit("optional_data", &positions, (check.line, check.start));
            let data = self.bytes_at(&positions);
            let unused = data.iter().all(|&b| b == b'<');
            if unused && self.at(check.line, check.start) == b'<' {
                // Doc 9303 Part 4: an unused personal number may have a filler as its check digit.
                self.checks.push(MrzCheck {
                    field: "optional_data",
                    ok: true,
                    expected: '0',
                    found: '<',
                    line: check.line as u32 + 1,
                    column: check.start as u32 + 1,
                });
            } else {
                self.check("optional_data", &data, (check.line, check.start));
            }
        }

        let (document_number, optional_data) = self.read_document_number(&issuing_state);

        let birth_date_raw = self.text(layout.birth_date);
        let birth_date = self.read_date("birth_date", layout.birth_date, DateKind::Birth);
        let data = self.text(layout.birth_date).into_bytes();
        self.check(
            "birth_date",
            &data,
            (layout.birth_date_check.line, layout.birth_date_check.start),
        );
        let (expiry_date, expiry_date_raw) = match (layout.expiry_date, layout.expiry_date_check) {
            (Some(span), Some(check)) => {
                let date = self.read_date("expiry_date", span, DateKind::Expiry);
                let data = self.text(span).into_bytes();
                self.check("expiry_date", &data, (check.line, check.start));
                (date, self.text(span))
            }
            _ => (None, String::new()),
        };

        if let Some(composite) = layout.composite {
            let data: Vec<u8> = layout
                .composite_parts
                .iter()
                .flat_map(|part| self.text(*part).into_bytes())
                .collect();
            self.check("composite", &data, (composite.line, composite.start));
        }

        let sex = match self.at(layout.sex.line, layout.sex.start) {
            b'<' => None,
            other => Some(char::from(other)),
        };
        if let Some(other) = sex.filter(|c| !matches!(c, 'M' | 'F' | 'X')) {
            self.warn(
                layout.sex,
                "sex",
                format!("sex '{other}' is not M, F, X or < (unknown)"),
            );
        }

        let (name_field, surname, given_names) = self.read_name();
        let optional_data_2 = layout
            .optional_data_2
            .map(|span| trim_fillers(&self.text(span)))
            .unwrap_or_default();
        let lines = self
            .chars
            .iter()
            .map(|line| String::from_utf8_lossy(line).into_owned())
            .collect();
        Mrz {
            format: self.format,
            lines,
            document_code,
            issuing_state,
            name_field,
            surname,
            given_names,
            document_number,
            nationality,
            birth_date,
            birth_date_raw,
            sex,
            expiry_date,
            expiry_date_raw,
            optional_data,
            optional_data_2,
            checks: {
                // In reading order, whatever order they were verified in.
                let mut checks = self.checks;
                checks.sort_by_key(|c| (c.line, c.column));
                checks
            },
            corrections: {
                let mut corrections = self.corrections;
                corrections.sort_by_key(|c| (c.line, c.column));
                corrections
            },
            warnings: self.warnings,
        }
    }

    /// The document number and what remains of the optional data: a TD1 or TD2 number longer than 9
    /// characters has a filler in its check digit position and continues in the optional data, where its
    /// last character is the check digit of the whole number (Doc 9303 Part 5 4.2.2, Part 6 4.2.2).
    fn read_document_number(&mut self, issuing_state: &str) -> (String, String) {
        let layout = self.layout;
        let number = layout.document_number;
        let check = (
            layout.document_number_check.line,
            layout.document_number_check.start,
        );
        let optional = layout.optional_data;
        let long = layout.long_number_overflow
            && self.at(check.0, check.1) == b'<'
            && self.at(optional.line, optional.start) != b'<';
        if !long {
            let positions = Self::positions(number);
            self.repair_by_check_digit("document_number", &positions, check);
            let data = self.bytes_at(&positions);
            self.check("document_number", &data, check);
            return (
                trim_fillers(&self.text(number)),
                trim_fillers(&self.text(optional)),
            );
        }
        let run = (optional.start..optional.end())
            .take_while(|&c| self.at(optional.line, c) != b'<')
            .count();
        let check = (optional.line, optional.start + run - 1);
        // The overflow's last character is a check digit, which OCR may have turned into a letter.
        let found = char::from(self.at(check.0, check.1));
        if self.options.correct_ocr
            && let Some(digit) = letter_as_digit(found)
        {
            self.correct(
                check.0,
                check.1,
                digit as u8,
                "document_number check digit",
                format!("'{found}' in a numeric field read as '{digit}'"),
            );
        }
        let mut positions = Self::positions(number);
        positions.extend((optional.start..check.1).map(|c| (optional.line, c)));
        let found = char::from(self.at(check.0, check.1));
        // Some Belgian cards compute the check digit with the filler between the two parts included.
        let with_filler: Vec<u8> = {
            let data = self.bytes_at(&positions);
            let (head, tail) = data.split_at(number.len.min(data.len()));
            head.iter().chain(b"<").chain(tail).copied().collect()
        };
        let standard = check_digit_bytes(&self.bytes_at(&positions)) == Some(found);
        let deviation = !standard && check_digit_bytes(&with_filler) == Some(found);
        if !deviation {
            self.repair_by_check_digit("document_number", &positions, check);
        }
        let data = self.bytes_at(&positions);
        self.check("document_number", &data, check);
        if deviation {
            let span = Span {
                line: check.0,
                start: check.1,
                len: 1,
            };
            if issuing_state == "BEL" {
                if let Some(last) = self.checks.last_mut() {
                    last.ok = true;
                }
                self.warn(
                    span,
                    "document_number",
                    "the check digit of the long document number includes the filler between its \
                     two parts: a Belgian deviation from Doc 9303, accepted"
                        .to_owned(),
                );
            } else {
                self.warn(
                    span,
                    "document_number",
                    "the check digit of the long document number agrees only if the filler between its \
                     two parts is included, a deviation known from Belgian cards only"
                        .to_owned(),
                );
            }
        }
        let document_number = String::from_utf8_lossy(&data).into_owned();
        // One filler ends the overflow; what follows is optional data.
        let rest_start = (optional.start + run + 1).min(optional.end());
        let rest = self.text(Span {
            line: optional.line,
            start: rest_start,
            len: optional.end() - rest_start,
        });
        (document_number, trim_fillers(&rest))
    }

    fn read_date(&mut self, field: &'static str, span: Span, kind: DateKind) -> Option<NaiveDate> {
        let raw = self.text(span);
        if raw.contains('<') && raw.bytes().all(|b| b == b'<' || b.is_ascii_digit()) {
            return None;
        }
        let date = if raw.bytes().all(|b| b.is_ascii_digit()) {
            let number = |range: std::ops::Range<usize>| {
                raw.get(range)
                    .and_then(|s| s.parse::<u32>().ok())
                    .unwrap_or(0)
            };
            infer_date(
                number(0..2),
                number(2..4),
                number(4..6),
                kind,
                self.options.today,
            )
        } else {
            None
        };
        if date.is_none() {
            self.warn(
                span,
                field,
                format!("{field} '{raw}' is not a date (YYMMDD)"),
            );
        }
        date
    }

    /// The name field, its surname and its given names.
    fn read_name(&mut self) -> (String, String, String) {
        let layout = self.layout;
        let field = self.text(layout.name);
        let (raw, surname, given_names) = match layout.given_names {
            Some(given_span) => {
                let given = self.text(given_span);
                let raw = format!("{}<<{}", trim_fillers(&field), trim_fillers(&given));
                (raw, decode_name(&field), decode_name(&given))
            }
            None => {
                let trimmed = trim_fillers(&field);
                let (primary, secondary) = trimmed.split_once("<<").unwrap_or((&trimmed, ""));
                (
                    trimmed.clone(),
                    decode_name(primary),
                    decode_name(secondary),
                )
            }
        };
        if field.ends_with(|c: char| c.is_ascii_alphabetic()) {
            self.warn(
                layout.name,
                "name",
                "the name field is full: the name may be truncated".to_owned(),
            );
        }
        if raw.bytes().any(|b| b.is_ascii_digit()) {
            self.warn(
                layout.name,
                "name",
                "the name holds digits, which a name in an MRZ never does".to_owned(),
            );
        }
        (raw, surname, given_names)
    }
}

#[derive(Debug, Clone, Copy)]
enum DateKind {
    Birth,
    Expiry,
}

/// The date of `YYMMDD`, placing the year in a century relative to `today`: a birth date is never in the
/// future; an expiry date lies within 50 years either side of today.
fn infer_date(
    yy: u32,
    month: u32,
    day: u32,
    kind: DateKind,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let this_century = today.year() - today.year().rem_euclid(100);
    let year = this_century + yy as i32;
    let as_tuple = |year: i32| (year, month, day);
    let today_tuple = (today.year(), today.month(), today.day());
    let year = match kind {
        DateKind::Birth if as_tuple(year) > today_tuple => year - 100,
        DateKind::Birth => year,
        DateKind::Expiry => {
            let lower = (today.year() - 50, today.month(), today.day());
            let upper = (today.year() + 50, today.month(), today.day());
            [year - 100, year, year + 100]
                .into_iter()
                .find(|&y| as_tuple(y) >= lower && as_tuple(y) < upper)
                .unwrap_or(year)
        }
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Removes the fillers at the end.
fn trim_fillers(text: &str) -> String {
    text.trim_end_matches('<').to_owned()
}

/// `<` as spaces, runs collapsed, ends trimmed.
fn decode_name(text: &str) -> String {
    text.split('<')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn centuries() {
        let today = day(2025, 6, 1);
        assert_eq!(
            infer_date(25, 5, 31, DateKind::Birth, today),
            Some(day(2025, 5, 31))
        );
        assert_eq!(
            infer_date(25, 6, 2, DateKind::Birth, today),
            Some(day(1925, 6, 2))
        );
        assert_eq!(
            infer_date(74, 8, 12, DateKind::Birth, today),
            Some(day(1974, 8, 12))
        );
        assert_eq!(
            infer_date(75, 5, 31, DateKind::Expiry, today),
            Some(day(2075, 5, 31))
        );
        assert_eq!(
            infer_date(75, 6, 1, DateKind::Expiry, today),
            Some(day(1975, 6, 1))
        );
        assert_eq!(
            infer_date(12, 4, 15, DateKind::Expiry, today),
            Some(day(2012, 4, 15))
        );
        assert_eq!(
            infer_date(0, 2, 29, DateKind::Birth, today),
            Some(day(2000, 2, 29))
        );
        assert_eq!(infer_date(1, 2, 29, DateKind::Birth, today), None);
        assert_eq!(infer_date(99, 13, 1, DateKind::Birth, today), None);
    }
}
