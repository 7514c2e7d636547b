//! UN/EDIFACT syntax (ISO 9735) as PAXLST and PNRGOV use it: a zero-copy tokeniser (UNA service string
//! advice, release character, segments, elements, components, a position for every segment) and the
//! interchange envelope (UNB/UNZ, UNG/UNE, UNH/UNT) with its counts and control references checked.
//!
//! Real-world messages bend the syntax in a few recurring ways (line breaks and spaces between segments, a
//! five-character UNA, a curly apostrophe typed for the terminator, text after UNZ, wrong UNT counts).
//! Each is read and reported through [`Faults`]: a warning in tolerant mode, an error in strict mode.

pub mod dates;

use std::borrow::Cow;
use std::ops::Range;

use crate::{Diagnostic, FormatError, ManifestFormat, ParseOptions, Position};

/// How many warnings a reader keeps; the rest are counted in one closing warning, so a hostile input cannot
/// make the warning list grow without bound.
pub const MAX_WARNINGS: usize = 1000;

/// Collects faults met while reading: in strict mode the first one is returned as the error, in tolerant
/// mode each becomes a warning.
#[derive(Debug)]
pub struct Faults {
    strict: bool,
    warnings: Vec<Diagnostic>,
    suppressed: usize,
}

impl Faults {
    pub fn new(strict: bool) -> Faults {
        Faults {
            strict,
            warnings: Vec::new(),
            suppressed: 0,
        }
    }

    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// A fault in the input: an error in strict mode, a warning otherwise.
    pub fn fault(
        &mut self,
        position: Position,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Result<(), FormatError> {
        if self.strict {
            return Err(FormatError::new(position, field, message));
        }
        self.push(position, field, message.into());
        Ok(())
    }

    /// Something worth telling that is never a reason to refuse the input, in either mode (text in an
    /// encoding other than the one declared).
    pub fn notice(&mut self, position: Position, field: Option<&str>, message: impl Into<String>) {
        self.push(position, field, message.into());
    }

    fn push(&mut self, position: Position, field: Option<&str>, message: String) {
        if self.warnings.len() >= MAX_WARNINGS {
            self.suppressed += 1;
            return;
        }
        self.warnings.push(Diagnostic {
            position,
            field: field.map(str::to_owned),
            message,
        });
    }

    /// The warnings, with a last one counting those not kept.
    pub fn into_warnings(mut self) -> Vec<Diagnostic> {
        if self.suppressed > 0 {
            let position = self
                .warnings
                .last()
                .map(|w| w.position.clone())
                .unwrap_or_default();
            self.warnings.push(Diagnostic {
                position,
                field: None,
                message: format!(
                    "{} more warnings not listed (only the first {MAX_WARNINGS} are kept)",
                    self.suppressed
                ),
            });
        }
        self.warnings
    }
}

/// The service characters of an interchange (UNA, or the defaults of ISO 9735).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    pub component: u8,
    pub element: u8,
    pub decimal: u8,
    /// `None` when the UNA declares a space (no release character).
    pub release: Option<u8>,
    /// Repetition separator (syntax version 4); kept for information, repetitions are not split.
    pub repetition: Option<u8>,
    pub terminator: u8,
}

impl Separators {
    /// `:+.? '` with `*` as repetition separator: the defaults for syntax levels A and C.
    pub const DEFAULT: Separators = Separators {
        component: b':',
        element: b'+',
        decimal: b'.',
        release: Some(b'?'),
        repetition: Some(b'*'),
        terminator: b'\'',
    };

    /// The information separators of syntax level B (UNOB without UNA): IS1, IS3 and IS4.
    pub const LEVEL_B: Separators = Separators {
        component: 0x1F,
        element: 0x1D,
        decimal: b'.',
        release: None,
        repetition: Some(0x19),
        terminator: 0x1C,
    };
}

/// How the bytes of the interchange are decoded to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// ISO 8859-1 (the repertoire of UNOC), used when the bytes are not valid UTF-8.
    Latin1,
}

/// One segment: its tag, its raw data and where it is. Elements and components are split on demand, so
/// reading a segment allocates nothing.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    tag: &'a str,
    /// The bytes after the tag's element separator, up to (not including) the terminator.
    data: &'a [u8],
    has_elements: bool,
    offset: usize,
    line: u32,
    column: u32,
    number: u32,
    separators: Separators,
    charset: Charset,
}

impl<'a> Segment<'a> {
    pub fn tag(&self) -> &'a str {
        self.tag
    }

    /// 1-based number of the segment in the input (UNA not counted).
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Byte offset of the segment tag.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
            byte_offset: self.offset,
            segment: Some(self.number),
            segment_tag: Some(self.tag.to_owned()),
        }
    }

    /// The raw bytes of the elements (release characters still in place).
    pub fn raw_data(&self) -> &'a [u8] {
        self.data
    }

    /// Data element `index` (0 is the first element after the tag); an empty element when absent.
    pub fn element(&self, index: usize) -> Element<'a> {
        let raw = if self.has_elements {
            nth_piece(
                self.data,
                self.separators.element,
                self.separators.release,
                index,
            )
        } else {
            None
        };
        Element {
            raw: raw.unwrap_or(&[]),
            present: raw.is_some(),
            separators: self.separators,
            charset: self.charset,
        }
    }

    /// The data elements in order.
    pub fn elements(&self) -> impl Iterator<Item = Element<'a>> + 'a {
        let separators = self.separators;
        let charset = self.charset;
        let data = if self.has_elements {
            Some(self.data)
        } else {
            None
        };
        data.into_iter().flat_map(move |data| {
            Pieces::new(data, separators.element, separators.release).map(move |raw| Element {
                raw,
                present: true,
                separators,
                charset,
            })
        })
    }

    /// Number of data elements.
    pub fn element_count(&self) -> usize {
        if self.has_elements {
            Pieces::new(self.data, self.separators.element, self.separators.release).count()
        } else {
            0
        }
    }

    /// Shorthand for the text of component `component` of element `element`.
    pub fn text(&self, element: usize, component: usize) -> Cow<'a, str> {
        self.element(element).component(component).text()
    }
}

/// One data element: a simple value or a composite of components.
#[derive(Debug, Clone, Copy)]
pub struct Element<'a> {
    raw: &'a [u8],
    present: bool,
    separators: Separators,
    charset: Charset,
}

impl<'a> Element<'a> {
    /// Whether the segment has this element at all (it may still be empty).
    pub fn is_present(&self) -> bool {
        self.present
    }

    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Component `index` (0 is the first); an empty value when absent.
    pub fn component(&self, index: usize) -> Value<'a> {
        let raw = nth_piece(
            self.raw,
            self.separators.component,
            self.separators.release,
            index,
        );
        Value {
            raw: raw.unwrap_or(&[]),
            release: self.separators.release,
            charset: self.charset,
        }
    }

    pub fn components(&self) -> impl Iterator<Item = Value<'a>> + 'a {
        let release = self.separators.release;
        let charset = self.charset;
        Pieces::new(self.raw, self.separators.component, release).map(move |raw| Value {
            raw,
            release,
            charset,
        })
    }

    /// The text of the first component (the whole element when it is simple).
    pub fn text(&self) -> Cow<'a, str> {
        self.component(0).text()
    }
}

/// One component's value.
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    raw: &'a [u8],
    release: Option<u8>,
    charset: Charset,
}

impl<'a> Value<'a> {
    /// The bytes as sent (release characters still in place).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The value as text: release characters removed, line breaks inside the value dropped (senders wrap
    /// long segments), decoded as the interchange's charset. Borrowed when nothing had to change.
    pub fn text(&self) -> Cow<'a, str> {
        let needs_work = self
            .raw
            .iter()
            .any(|&b| b == b'\r' || b == b'\n' || Some(b) == self.release);
        if !needs_work {
            return decode(self.raw, self.charset);
        }
        let mut bytes = Vec::with_capacity(self.raw.len());
        let mut i = 0;
        while i < self.raw.len() {
            let b = self.raw[i];
            if Some(b) == self.release && i + 1 < self.raw.len() {
                bytes.push(self.raw[i + 1]);
                i += 2;
                continue;
            }
            if b != b'\r' && b != b'\n' {
                bytes.push(b);
            }
            i += 1;
        }
        Cow::Owned(decode(&bytes, self.charset).into_owned())
    }

    /// The text with surrounding spaces removed; `None` when that leaves nothing.
    pub fn non_empty(&self) -> Option<String> {
        let text = self.text();
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_owned())
    }
}

fn decode(bytes: &[u8], charset: Charset) -> Cow<'_, str> {
    match charset {
        Charset::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(latin1(bytes)),
        },
        Charset::Latin1 => match std::str::from_utf8(bytes) {
            // ASCII reads the same in both.
            Ok(text) if bytes.is_ascii() => Cow::Borrowed(text),
            _ => Cow::Owned(latin1(bytes)),
        },
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Splits on `separator` bytes that are not preceded by the release character.
#[derive(Debug)]
struct Pieces<'a> {
    rest: Option<&'a [u8]>,
    separator: u8,
    release: Option<u8>,
}

impl<'a> Pieces<'a> {
    fn new(data: &'a [u8], separator: u8, release: Option<u8>) -> Pieces<'a> {
        Pieces {
            rest: Some(data),
            separator,
            release,
        }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let data = self.rest?;
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if Some(b) == self.release {
                i += 2;
                continue;
            }
            if b == self.separator {
                self.rest = Some(&data[i + 1..]);
                return Some(&data[..i]);
            }
            i += 1;
        }
        self.rest = None;
        Some(data)
    }
}

fn nth_piece(data: &[u8], separator: u8, release: Option<u8>, index: usize) -> Option<&[u8]> {
    Pieces::new(data, separator, release).nth(index)
}

/// What the start of the input declared or implied.
#[derive(Debug, Clone, Copy)]
struct Preamble {
    separators: Separators,
    /// Where segments start (after UNA and leading white space).
    start: usize,
}

/// The curly apostrophe (U+2019) that word processors substitute for `'`.
const CURLY_APOSTROPHE: [u8; 3] = [0xE2, 0x80, 0x99];

/// Refuses input over `options.max_bytes`, before anything else is read.
fn check_size(input: &[u8], options: &ParseOptions) -> Result<(), FormatError> {
    if input.len() > options.max_bytes {
        return Err(FormatError::new(
            Position::at(input, options.max_bytes),
            None,
            format!(
                "the input is {} bytes, over the limit of {} bytes",
                input.len(),
                options.max_bytes
            ),
        ));
    }
    Ok(())
}

/// Refuses what cannot be an EDIFACT or CSV text at all: input over the size limit, NUL bytes, and input
/// made mostly of control characters. `allowed` lists control bytes that are separators here.
pub fn check_text_input(
    input: &[u8],
    options: &ParseOptions,
    allowed: &[u8],
) -> Result<(), FormatError> {
    check_size(input, options)?;
    if let Some(nul) = input.iter().position(|&b| b == 0) {
        return Err(FormatError::new(
            Position::at(input, nul),
            None,
            "binary input (NUL byte): not a text message",
        ));
    }
    let head = &input[..input.len().min(64 * 1024)];
    let control = head
        .iter()
        .filter(|&&b| {
            (b < 0x20 && b != b'\t' && b != b'\r' && b != b'\n' && !allowed.contains(&b))
                || b == 0x7F
        })
        .count();
    if !head.is_empty() && control * 10 > head.len() {
        let first = head
            .iter()
            .position(|&b| b < 0x20 && b != b'\t' && b != b'\r' && b != b'\n')
            .unwrap_or(0);
        return Err(FormatError::new(
            Position::at(input, first),
            None,
            "binary input (mostly control characters): not a text message",
        ));
    }
    Ok(())
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_blank_and_bom(input: &[u8]) -> usize {
    let mut i = 0;
    if input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        i = 3;
    }
    while i < input.len() && is_blank(input[i]) {
        i += 1;
    }
    i
}

/// Reads the UNA service string advice when there is one, else chooses the default separators.
fn read_preamble(input: &[u8], faults: &mut Faults) -> Result<Preamble, FormatError> {
    let start = skip_blank_and_bom(input);
    let rest = &input[start..];
    if !rest.starts_with(b"UNA") {
        let separators = if rest.starts_with(b"UNB\x1D") {
            Separators::LEVEL_B
        } else {
            Separators::DEFAULT
        };
        return Ok(Preamble { separators, start });
    }
    let una_position = || Position::at(input, start).in_segment(0, "UNA");
    let chars = &rest[3..];
    if chars.len() < 5 {
        return Err(FormatError::new(
            una_position(),
            Some("UNA"),
            "the UNA service string advice is cut short: it needs six service characters",
        ));
    }
    // A curly apostrophe declared as terminator: the senders meant `'` (and use it in the segments).
    if chars.len() >= 8 && chars[5..8] == CURLY_APOSTROPHE {
        faults.fault(
            una_position(),
            Some("UNA/6"),
            "the UNA declares a curly apostrophe (U+2019) as segment terminator; read as '",
        )?;
        let separators = una_separators(&chars[..5], b'\'', input, start)?;
        return Ok(Preamble {
            separators,
            start: start + 3 + 8,
        });
    }
    let six_ok = chars.len() >= 6 && !chars[5].is_ascii_alphanumeric() && !is_line_break(chars[5]);
    if six_ok {
        let separators = una_separators(&chars[..5], chars[5], input, start)?;
        return Ok(Preamble {
            separators,
            start: start + 9,
        });
    }
    // Five characters: the decimal mark is the one left out (`UNA:+\*'` is component, element, release,
    // repetition, terminator).
    faults.fault(
        una_position(),
        Some("UNA"),
        "the UNA has five service characters instead of six; read as component, element, release, \
         repetition and terminator, with the default decimal mark",
    )?;
    let five = [chars[0], chars[1], b'.', chars[2], chars[3]];
    let separators = una_separators(&five, chars[4], input, start)?;
    Ok(Preamble {
        separators,
        start: start + 8,
    })
}

fn is_line_break(b: u8) -> bool {
    b == b'\r' || b == b'\n'
}

fn una_separators(
    first_five: &[u8],
    terminator: u8,
    input: &[u8],
    start: usize,
) -> Result<Separators, FormatError> {
    let release = match first_five[3] {
        b' ' => None,
        b => Some(b),
    };
    let repetition = match first_five[4] {
        b' ' => None,
        b => Some(b),
    };
    let separators = Separators {
        component: first_five[0],
        element: first_five[1],
        decimal: first_five[2],
        release,
        repetition,
        terminator,
    };
    if release.is_some_and(is_line_break) {
        return Err(FormatError::new(
            Position::at(input, start).in_segment(0, "UNA"),
            Some("UNA/4"),
            "the UNA declares a line break as release character",
        ));
    }
    let mut active = vec![separators.component, separators.element, terminator];
    active.extend(release);
    let mut sorted = active.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != active.len() {
        return Err(FormatError::new(
            Position::at(input, start).in_segment(0, "UNA"),
            Some("UNA"),
            "the UNA gives the same character to two roles (component, element, release, terminator)",
        ));
    }
    if active
        .iter()
        .any(|&b| b.is_ascii_alphanumeric() || is_blank(b) && b != b'\n')
    {
        return Err(FormatError::new(
            Position::at(input, start).in_segment(0, "UNA"),
            Some("UNA"),
            "the UNA declares a letter, digit or space as a separator",
        ));
    }
    Ok(separators)
}

/// Byte classes for the terminator scan.
const PLAIN: u8 = 0;
const TERMINATOR: u8 = 1;
const RELEASE: u8 = 2;
const NEWLINE: u8 = 3;
const CURLY: u8 = 4;

/// Splits an input into segments. Use [`read_interchange`] to also check the envelope.
#[derive(Debug)]
pub struct Tokeniser<'a> {
    input: &'a [u8],
    pos: usize,
    separators: Separators,
    charset: Charset,
    classes: [u8; 256],
    line: u32,
    line_start: usize,
    column_anchor: usize,
    column_at_anchor: u32,
    number: u32,
}

impl<'a> Tokeniser<'a> {
    /// Checks the input (size, binary), reads the UNA and chooses the charset.
    pub fn new(
        input: &'a [u8],
        options: &ParseOptions,
        faults: &mut Faults,
    ) -> Result<Tokeniser<'a>, FormatError> {
        check_size(input, options)?;
        let preamble = read_preamble(input, faults)?;
        let separators = preamble.separators;
        let mut allowed = vec![
            separators.component,
            separators.element,
            separators.terminator,
        ];
        allowed.extend(separators.release);
        allowed.extend(separators.repetition);
        check_text_input(input, options, &allowed)?;
        let charset = match std::str::from_utf8(input) {
            Ok(_) => Charset::Utf8,
            Err(error) => {
                let at = error.valid_up_to();
                let declared = declared_syntax(input);
                let message = if declared.as_deref() == Some("UNOC") {
                    "the text is not valid UTF-8; read as Latin-1 (ISO 8859-1), as UNOC declares"
                } else {
                    "the text is not valid UTF-8; read as Latin-1 (ISO 8859-1)"
                };
                faults.notice(Position::at(input, at), Some("UNB/S001/0001"), message);
                Charset::Latin1
            }
        };
        let mut classes = [PLAIN; 256];
        classes[usize::from(b'\n')] = NEWLINE;
        if separators.terminator == b'\'' && !faults.is_strict() && charset == Charset::Utf8 {
            classes[0xE2] = CURLY;
        }
        if let Some(release) = separators.release {
            classes[usize::from(release)] = RELEASE;
        }
        classes[usize::from(separators.terminator)] = TERMINATOR;
        let mut tokeniser = Tokeniser {
            input,
            pos: 0,
            separators,
            charset,
            classes,
            line: 1,
            line_start: 0,
            column_anchor: 0,
            column_at_anchor: 1,
            number: 0,
        };
        tokeniser.advance_to(preamble.start);
        Ok(tokeniser)
    }

    pub fn separators(&self) -> Separators {
        self.separators
    }

    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// Byte offset of what has not been read yet.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The position of a byte offset at or after the current one.
    pub fn position_of(&mut self, offset: usize) -> Position {
        self.advance_to(offset);
        Position {
            line: self.line,
            column: self.column_of(offset),
            byte_offset: offset,
            segment: None,
            segment_tag: None,
        }
    }

    /// Whether only blanks are left.
    pub fn at_end(&self) -> bool {
        self.input[self.pos.min(self.input.len())..]
            .iter()
            .all(|&b| is_blank(b))
    }

    /// Moves to `offset`, counting line breaks on the way.
    fn advance_to(&mut self, offset: usize) {
        let offset = offset.min(self.input.len());
        while self.pos < offset {
            if self.input[self.pos] == b'\n' {
                self.line = self.line.saturating_add(1);
                self.line_start = self.pos + 1;
            }
            self.pos += 1;
        }
    }

    fn column_of(&mut self, offset: usize) -> u32 {
        if self.column_anchor < self.line_start || self.column_anchor > offset {
            self.column_anchor = self.line_start;
            self.column_at_anchor = 1;
        }
        let span = &self.input[self.column_anchor..offset];
        let chars = match self.charset {
            Charset::Latin1 => span.len(),
            Charset::Utf8 => span.iter().filter(|&&b| (b & 0xC0) != 0x80).count(),
        };
        self.column_at_anchor = self
            .column_at_anchor
            .saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
        self.column_anchor = offset;
        self.column_at_anchor
    }

    /// The next segment, or `None` at the end of the input.
    pub fn next_segment(
        &mut self,
        faults: &mut Faults,
    ) -> Result<Option<Segment<'a>>, FormatError> {
        loop {
            let input = self.input;
            let mut start = self.pos;
            while start < input.len() && is_blank(input[start]) {
                start += 1;
            }
            if start >= input.len() {
                self.advance_to(start);
                return Ok(None);
            }
            self.advance_to(start);
            let line = self.line;
            let column = self.column_of(start);
            // Scan for the terminator, skipping released characters and counting lines.
            let mut i = start;
            let mut end = None;
            let mut next = input.len();
            let mut curly = false;
            while i < input.len() {
                match self.classes[usize::from(input[i])] {
                    PLAIN => i += 1,
                    TERMINATOR => {
                        if input[i] == b'\n' {
                            self.line = self.line.saturating_add(1);
                            self.line_start = i + 1;
                        }
                        end = Some(i);
                        next = i + 1;
                        break;
                    }
                    RELEASE => {
                        if i + 1 < input.len() && input[i + 1] == b'\n' {
                            self.line = self.line.saturating_add(1);
                            self.line_start = i + 2;
                        }
                        i += 2;
                    }
                    NEWLINE => {
                        self.line = self.line.saturating_add(1);
                        self.line_start = i + 1;
                        i += 1;
                    }
                    _ => {
                        if self.curly_terminator_at(i) {
                            end = Some(i);
                            next = i + 3;
                            curly = true;
                            break;
                        }
                        i += 1;
                    }
                }
            }
            // Line breaks inside the segment were counted in the scan.
            self.pos = next.min(input.len());
            self.number = self.number.saturating_add(1);
            let number = self.number;
            let body_end = end.unwrap_or(input.len());
            let body = &input[start..body_end];
            let position = || Position {
                line,
                column,
                byte_offset: start,
                segment: Some(number),
                segment_tag: None,
            };
            let tag_end = body
                .iter()
                .position(|&b| b == self.separators.element)
                .unwrap_or(body.len());
            let raw_tag = &body[..tag_end];
            let trimmed_len = raw_tag
                .iter()
                .rposition(|&b| !is_blank(b))
                .map_or(0, |i| i + 1);
            let tag_bytes = &raw_tag[..trimmed_len];
            let valid_tag = !tag_bytes.is_empty()
                && tag_bytes.len() <= 3
                && tag_bytes
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            let tag = match std::str::from_utf8(tag_bytes) {
                Ok(tag) if valid_tag => tag,
                _ => {
                    let shown: String = decode(&body[..body.len().min(20)], self.charset)
                        .chars()
                        .filter(|c| !c.is_control())
                        .collect();
                    faults.fault(
                        position(),
                        None,
                        format!("not a segment: expected a segment tag, found \"{shown}\""),
                    )?;
                    if end.is_none() {
                        return Ok(None);
                    }
                    continue;
                }
            };
            if curly {
                faults.fault(
                    position().with_tag(tag),
                    None,
                    "a curly apostrophe (U+2019) ends this segment where ' was meant",
                )?;
            }
            if trimmed_len != raw_tag.len() {
                faults.fault(
                    position().with_tag(tag),
                    None,
                    "blank after the segment tag",
                )?;
            }
            if end.is_none() {
                faults.fault(
                    position().with_tag(tag),
                    None,
                    "the last segment has no terminator: the input is truncated",
                )?;
            }
            let has_elements = tag_end < body.len();
            let data = if has_elements {
                &body[tag_end + 1..]
            } else {
                &body[body.len()..]
            };
            return Ok(Some(Segment {
                tag,
                data,
                has_elements,
                offset: start,
                line,
                column,
                number,
                separators: self.separators,
                charset: self.charset,
            }));
        }
    }

    /// A curly apostrophe ends a segment only where the next thing is a segment tag (or the end), so one
    /// inside a name (O’NEIL) stays data.
    fn curly_terminator_at(&self, i: usize) -> bool {
        let input = self.input;
        if input.len() < i + 3 || input[i..i + 3] != CURLY_APOSTROPHE {
            return false;
        }
        let mut j = i + 3;
        while j < input.len() && is_blank(input[j]) {
            j += 1;
        }
        let rest = &input[j..];
        if rest.is_empty() {
            return true;
        }
        rest.len() >= 4
            && rest[..3].iter().all(u8::is_ascii_uppercase)
            && (rest[3] == self.separators.element || rest[3] == self.separators.terminator)
    }
}

impl Position {
    fn with_tag(mut self, tag: &str) -> Position {
        self.segment_tag = Some(tag.to_owned());
        self
    }
}

/// A message (UNH ... UNT) of an interchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// UNH 0062.
    pub reference: String,
    /// UNH S009 0065 (`PAXLST`, `PNRGOV`).
    pub message_type: String,
    /// The rest of S009 as written (`D:05B:UN:IATA`, `11:1:IA`).
    pub version: String,
    /// UNG application sender when the message is in a functional group.
    pub group_sender: Option<String>,
    /// Index of the UNH segment in [`Interchange::segments`].
    pub header: usize,
    /// Indices of the segments between UNH and UNT (or the end of input when UNT is missing).
    pub body: Range<usize>,
}

/// An interchange: envelope facts, every segment, and the messages found in it.
#[derive(Debug, Clone)]
pub struct Interchange<'a> {
    pub separators: Separators,
    pub charset: Charset,
    /// UNB S001 syntax identifier and version (`UNOA:4`, `IATA:1`).
    pub syntax: Option<String>,
    pub sender: Option<String>,
    pub recipient: Option<String>,
    /// UNB 0020.
    pub control_reference: Option<String>,
    pub segments: Vec<Segment<'a>>,
    pub messages: Vec<Message>,
}

impl<'a> Interchange<'a> {
    /// The segments of a message between its UNH and UNT.
    pub fn body(&self, message: &Message) -> &[Segment<'a>] {
        self.segments.get(message.body.clone()).unwrap_or(&[])
    }

    /// The UNH segment of a message.
    pub fn header(&self, message: &Message) -> Option<&Segment<'a>> {
        self.segments.get(message.header)
    }
}

const KNOWN_SYNTAX: &[&str] = &[
    "UNOA", "UNOB", "UNOC", "UNOD", "UNOE", "UNOF", "UNOG", "UNOH", "UNOI", "UNOJ", "UNOK", "UNOW",
    "UNOX", "UNOY", "IATA", "IATB",
];

/// The syntax identifier of the UNB, found without tokenising (it decides the charset).
fn declared_syntax(input: &[u8]) -> Option<String> {
    let head = &input[..input.len().min(512)];
    let at = head.windows(4).position(|w| w == b"UNB+" || w == b"UNB*")?;
    let id = head.get(at + 4..at + 8)?;
    std::str::from_utf8(id).ok().map(str::to_owned)
}

struct OpenGroup {
    reference: String,
    position: Position,
    messages: usize,
    sender: Option<String>,
}

struct OpenMessage {
    reference: String,
    position: Position,
    header: usize,
}

/// The envelope being checked while segments arrive.
struct Envelope {
    unb_seen: bool,
    unz_seen: bool,
    missing_unb_reported: bool,
    control_reference: Option<String>,
    /// Messages already read when the current UNB arrived (an input may hold several interchanges).
    messages_before: usize,
    groups: usize,
    group: Option<OpenGroup>,
    message: Option<OpenMessage>,
}

impl Envelope {
    fn group_sender(&self) -> Option<String> {
        self.group.as_ref().and_then(|g| g.sender.clone())
    }

    /// Closes a message whose UNT never came, at segment index `end`.
    fn close_unfinished(
        &mut self,
        interchange: &mut Interchange<'_>,
        end: usize,
        faults: &mut Faults,
        before: &str,
    ) -> Result<(), FormatError> {
        if let Some(open) = self.message.take() {
            faults.fault(
                open.position,
                Some("UNT"),
                format!("message {} has no UNT {before}", open.reference),
            )?;
            let sender = self.group_sender();
            push_message(interchange, open.header, end, sender);
        }
        Ok(())
    }
}

/// Tokenises an input and checks its envelope: UNB/UNZ, optional UNG/UNE, UNH/UNT, their counts and
/// control references. Faults go to `faults` (errors in strict mode).
pub fn read_interchange<'a>(
    input: &'a [u8],
    options: &ParseOptions,
    faults: &mut Faults,
) -> Result<Interchange<'a>, FormatError> {
    let mut tokeniser = Tokeniser::new(input, options, faults)?;
    let mut interchange = Interchange {
        separators: tokeniser.separators(),
        charset: tokeniser.charset(),
        syntax: None,
        sender: None,
        recipient: None,
        control_reference: None,
        segments: Vec::new(),
        messages: Vec::new(),
    };
    let mut env = Envelope {
        unb_seen: false,
        unz_seen: false,
        missing_unb_reported: false,
        control_reference: None,
        messages_before: 0,
        groups: 0,
        group: None,
        message: None,
    };
    while let Some(segment) = tokeniser.next_segment(faults)? {
        let index = interchange.segments.len();
        interchange.segments.push(segment);
        let tag = segment.tag();
        if !env.unb_seen && tag != "UNB" && !env.missing_unb_reported {
            env.missing_unb_reported = true;
            faults.fault(
                segment.position(),
                None,
                "the interchange does not start with UNB",
            )?;
        }
        match tag {
            "UNB" => read_unb(&segment, &mut env, &mut interchange, faults)?,
            "UNG" => {
                env.close_unfinished(&mut interchange, index, faults, "before UNG")?;
                if let Some(open) = env.group.take() {
                    faults.fault(
                        open.position,
                        Some("UNE"),
                        "functional group has no UNE before the next UNG",
                    )?;
                }
                env.groups += 1;
                env.group = Some(OpenGroup {
                    reference: segment.text(4, 0).trim().to_owned(),
                    position: segment.position(),
                    messages: 0,
                    sender: segment.element(1).component(0).non_empty(),
                });
            }
            "UNE" => {
                env.close_unfinished(&mut interchange, index, faults, "before UNE")?;
                match env.group.take() {
                    None => faults.fault(segment.position(), None, "UNE without UNG")?,
                    Some(open) => {
                        check_count(
                            faults,
                            &segment,
                            "UNE/0060",
                            open.messages,
                            "messages in the group",
                        )?;
                        check_reference(
                            faults,
                            &segment,
                            "UNE/0048",
                            &open.reference,
                            "UNG group reference",
                        )?;
                    }
                }
            }
            "UNH" => {
                env.close_unfinished(&mut interchange, index, faults, "before the next UNH")?;
                if let Some(open) = env.group.as_mut() {
                    open.messages += 1;
                }
                env.message = Some(OpenMessage {
                    reference: segment.text(0, 0).trim().to_owned(),
                    position: segment.position(),
                    header: index,
                });
            }
            "UNT" => match env.message.take() {
                None => faults.fault(segment.position(), None, "UNT without UNH")?,
                Some(open) => {
                    let count = index - open.header + 1;
                    check_count(
                        faults,
                        &segment,
                        "UNT/0074",
                        count,
                        "segments in the message",
                    )?;
                    if segment.element(1).is_present() {
                        check_reference(
                            faults,
                            &segment,
                            "UNT/0062",
                            &open.reference,
                            "UNH message reference",
                        )?;
                    } else {
                        faults.fault(
                            segment.position(),
                            Some("UNT/0062"),
                            "UNT has no message reference",
                        )?;
                    }
                    let sender = env.group_sender();
                    push_message(&mut interchange, open.header, index, sender);
                }
            },
            "UNZ" => {
                env.close_unfinished(&mut interchange, index, faults, "before UNZ")?;
                if let Some(open) = env.group.take() {
                    faults.fault(open.position, Some("UNE"), "functional group has no UNE")?;
                }
                if !env.unb_seen {
                    faults.fault(segment.position(), None, "UNZ without UNB")?;
                }
                let (counted, what) = if env.groups > 0 {
                    (env.groups, "functional groups in the interchange")
                } else {
                    (
                        interchange.messages.len() - env.messages_before,
                        "messages in the interchange",
                    )
                };
                check_count(faults, &segment, "UNZ/0036", counted, what)?;
                if let Some(reference) = env.control_reference.clone() {
                    check_reference(
                        faults,
                        &segment,
                        "UNZ/0020",
                        &reference,
                        "UNB control reference",
                    )?;
                }
                env.unz_seen = true;
                let rest = skip_blanks(input, tokeniser.offset());
                if rest < input.len() && !input[rest..].starts_with(b"UNB") {
                    let position = tokeniser.position_of(rest);
                    faults.fault(
                        position,
                        None,
                        "text after the end of the interchange (UNZ) is ignored",
                    )?;
                    break;
                }
            }
            _ => {
                if env.message.is_none() {
                    faults.fault(
                        segment.position(),
                        None,
                        format!("segment {tag} outside a message (no UNH before it)"),
                    )?;
                }
            }
        }
    }
    let end = interchange.segments.len();
    env.close_unfinished(&mut interchange, end, faults, "(the input is truncated)")?;
    if let Some(open) = env.group.take() {
        faults.fault(
            open.position,
            Some("UNE"),
            "functional group has no UNE: the input is truncated",
        )?;
    }
    if env.unb_seen && !env.unz_seen {
        let position = tokeniser.position_of(input.len());
        faults.fault(
            position,
            Some("UNZ"),
            "the interchange has no UNZ: the input is truncated",
        )?;
    }
    if interchange.segments.is_empty() {
        return Err(FormatError::new(
            Position::at(input, 0),
            None,
            "no EDIFACT segment in the input",
        ));
    }
    Ok(interchange)
}

fn read_unb(
    segment: &Segment<'_>,
    env: &mut Envelope,
    interchange: &mut Interchange<'_>,
    faults: &mut Faults,
) -> Result<(), FormatError> {
    if env.unb_seen && !env.unz_seen {
        faults.fault(
            segment.position(),
            Some("UNZ"),
            "UNB inside an open interchange",
        )?;
    }
    env.unb_seen = true;
    env.unz_seen = false;
    env.groups = 0;
    env.messages_before = interchange.messages.len();
    env.control_reference = segment.element(4).component(0).non_empty();
    let id = segment.text(0, 0).trim().to_owned();
    if !KNOWN_SYNTAX.contains(&id.as_str()) {
        faults.fault(
            segment.position(),
            Some("UNB/S001/0001"),
            format!("unknown syntax identifier \"{id}\""),
        )?;
    }
    if interchange.syntax.is_none() {
        let version = segment.text(0, 1);
        interchange.syntax = Some(if version.is_empty() {
            id
        } else {
            format!("{id}:{version}")
        });
        interchange.sender = segment.element(1).component(0).non_empty();
        interchange.recipient = segment.element(2).component(0).non_empty();
        interchange.control_reference = env.control_reference.clone();
    }
    Ok(())
}

fn skip_blanks(input: &[u8], mut at: usize) -> usize {
    while at < input.len() && is_blank(input[at]) {
        at += 1;
    }
    at
}

fn push_message(
    interchange: &mut Interchange<'_>,
    header: usize,
    end: usize,
    group_sender: Option<String>,
) {
    let Some(unh) = interchange.segments.get(header) else {
        return;
    };
    let identifier = unh.element(1);
    let message_type = identifier.component(0).text().trim().to_owned();
    let version = identifier
        .components()
        .skip(1)
        .map(|c| c.text().into_owned())
        .collect::<Vec<_>>()
        .join(":")
        .trim_end_matches(':')
        .to_owned();
    interchange.messages.push(Message {
        reference: unh.text(0, 0).trim().to_owned(),
        message_type,
        version,
        group_sender,
        header,
        body: header + 1..end.max(header + 1),
    });
}

fn check_count(
    faults: &mut Faults,
    segment: &Segment<'_>,
    field: &str,
    actual: usize,
    what: &str,
) -> Result<(), FormatError> {
    let written = segment.text(0, 0);
    let written = written.trim();
    match written.parse::<usize>() {
        Ok(count) if count == actual => Ok(()),
        Ok(count) => faults.fault(
            segment.position(),
            Some(field),
            format!("count says {count} but there are {actual} {what}"),
        ),
        Err(_) => faults.fault(
            segment.position(),
            Some(field),
            format!("count \"{written}\" is not a number ({actual} {what})"),
        ),
    }
}

fn check_reference(
    faults: &mut Faults,
    segment: &Segment<'_>,
    field: &str,
    expected: &str,
    what: &str,
) -> Result<(), FormatError> {
    let written = segment.text(1, 0);
    if written.trim() == expected.trim() {
        Ok(())
    } else {
        faults.fault(
            segment.position(),
            Some(field),
            format!(
                "reference \"{}\" does not match the {what} \"{expected}\"",
                written.trim()
            ),
        )
    }
}

/// The manifest format of an EDIFACT input, from the message type of its first UNH; `None` when the input
/// is not EDIFACT or carries another message type.
pub fn detect_message_type(input: &[u8]) -> Option<ManifestFormat> {
    let head = &input[..input.len().min(64 * 1024)];
    let mut faults = Faults::new(false);
    let options = ParseOptions {
        strict: false,
        today: chrono::NaiveDate::MIN,
        max_bytes: usize::MAX,
    };
    let mut tokeniser = Tokeniser::new(head, &options, &mut faults).ok()?;
    let start = skip_blank_and_bom(head);
    let first = head.get(start..start + 3)?;
    if first != b"UNA" && first != b"UNB" && first != b"UNH" && first != b"UNG" {
        return None;
    }
    for _ in 0..64 {
        let segment = tokeniser.next_segment(&mut faults).ok()??;
        if segment.tag() == "UNH" {
            let message_type = segment.text(1, 0);
            return match message_type.trim() {
                "PAXLST" => Some(ManifestFormat::Paxlst),
                "PNRGOV" => Some(ManifestFormat::Pnrgov),
                _ => None,
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(strict: bool) -> ParseOptions {
        ParseOptions {
            strict,
            today: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            max_bytes: 1 << 20,
        }
    }

    fn segments(input: &str) -> Vec<(String, Vec<Vec<String>>)> {
        let mut faults = Faults::new(false);
        let mut tokeniser = Tokeniser::new(input.as_bytes(), &options(false), &mut faults).unwrap();
        let mut out = Vec::new();
        while let Some(segment) = tokeniser.next_segment(&mut faults).unwrap() {
            let elements = segment
                .elements()
                .map(|e| e.components().map(|c| c.text().into_owned()).collect())
                .collect();
            out.push((segment.tag().to_owned(), elements));
        }
        out
    }

    #[test]
    fn splits_elements_and_components_with_release() {
        let got = segments("UNA:+.? 'NAD+FL+++O?'NEIL:JOHN?+PAUL'DTM+329:720907'");
        assert_eq!(got[0].0, "NAD");
        assert_eq!(got[0].1[3], vec!["O'NEIL", "JOHN+PAUL"]);
        assert_eq!(got[1].1[0], vec!["329", "720907"]);
    }

    #[test]
    fn five_character_una_is_read_with_a_warning() {
        let mut faults = Faults::new(false);
        let input = b"UNA:+\\*'\nUNB+IATA:1+A+B+130527:0754+1'";
        let tokeniser = Tokeniser::new(input, &options(false), &mut faults).unwrap();
        assert_eq!(tokeniser.separators().release, Some(b'\\'));
        assert_eq!(tokeniser.separators().terminator, b'\'');
        assert_eq!(faults.into_warnings().len(), 1);
    }

    #[test]
    fn positions_count_lines_and_columns() {
        let input = "UNB+UNOA:4+A+B+1:1+1'\r\nUNH+1+PAXLST:D:05B:UN'  BGM+745'";
        let mut faults = Faults::new(false);
        let mut tokeniser = Tokeniser::new(input.as_bytes(), &options(false), &mut faults).unwrap();
        let mut positions = Vec::new();
        while let Some(segment) = tokeniser.next_segment(&mut faults).unwrap() {
            let p = segment.position();
            positions.push((p.line, p.column, p.byte_offset, p.segment));
        }
        assert_eq!(
            positions,
            vec![
                (1, 1, 0, Some(1)),
                (2, 1, 23, Some(2)),
                (2, 25, 47, Some(3))
            ]
        );
    }

    #[test]
    fn curly_apostrophe_ends_a_segment_only_before_a_tag() {
        let got = segments("NAD+FL+++O’NEIL:JOHN’\nDTM+329:720907'");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1[3][0], "O’NEIL");
    }
}
