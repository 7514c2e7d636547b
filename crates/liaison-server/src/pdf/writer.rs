//! Serialises laid-out pages as a PDF 1.7 file: objects, uncompressed content streams, the cross-reference
//! table and the trailer.

use std::fmt::Write as _;

use super::font::Font;
use super::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::text::escape_literal;

const CATALOG: usize = 1;
const PAGES: usize = 2;
const FONT_REGULAR: usize = 3;
const FONT_BOLD: usize = 4;
const INFO: usize = 5;
const FIRST_PAGE: usize = 6;

/// What the Info dictionary says about the document.
pub(crate) struct Info<'a> {
    pub(crate) title: &'a str,
    pub(crate) subject: Option<&'a str>,
    pub(crate) created: &'a str,
}

pub(crate) fn write_pdf(pages: &[Page], info: &Info<'_>) -> Vec<u8> {
    let mut file = PdfFile::new();
    file.object(
        CATALOG,
        format!("<< /Type /Catalog /Pages {PAGES} 0 R >>").as_bytes(),
    );

    let mut kids = String::new();
    for index in 0..pages.len() {
        if index > 0 {
            kids.push(' ');
        }
        let _ = write!(kids, "{} 0 R", FIRST_PAGE + 2 * index);
    }
    let pages_dict = format!(
        "<< /Type /Pages /Kids [{kids}] /Count {count} /MediaBox [0 0 {width} {height}] \
         /Resources << /Font << /{regular} {FONT_REGULAR} 0 R /{bold} {FONT_BOLD} 0 R >> >> >>",
        count = pages.len(),
        width = number(PAGE_WIDTH),
        height = number(PAGE_HEIGHT),
        regular = Font::Regular.resource_name(),
        bold = Font::Bold.resource_name(),
    );
    file.object(PAGES, pages_dict.as_bytes());
    for (number, font) in [(FONT_REGULAR, Font::Regular), (FONT_BOLD, Font::Bold)] {
        file.object(number, font_dictionary(font).as_bytes());
    }
    file.object(INFO, &info_dictionary(info));

    for (index, page) in pages.iter().enumerate() {
        let page_number = FIRST_PAGE + 2 * index;
        let contents = page_number + 1;
        let dict = format!("<< /Type /Page /Parent {PAGES} 0 R /Contents {contents} 0 R >>");
        file.object(page_number, dict.as_bytes());
        file.stream(contents, &content_stream(page));
    }
    file.finish()
}

/// The bytes of a file being written, with the offset of every object for the cross-reference table.
struct PdfFile {
    bytes: Vec<u8>,
    offsets: Vec<usize>,
}

impl PdfFile {
    fn new() -> Self {
        // The comment of high bytes tells transfer tools that the file is binary.
        let mut bytes = b"%PDF-1.7\n%".to_vec();
        bytes.extend_from_slice(&[0xE2, 0xE3, 0xCF, 0xD3, b'\n']);
        PdfFile {
            bytes,
            offsets: Vec::new(),
        }
    }

    /// Opens object `number`; objects are written in number order, so the table is indexed by number - 1.
    fn begin(&mut self, number: usize) {
        self.offsets.push(self.bytes.len());
        self.bytes
            .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    }

    fn object(&mut self, number: usize, body: &[u8]) {
        self.begin(number);
        self.bytes.extend_from_slice(body);
        self.bytes.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, number: usize, data: &[u8]) {
        self.begin(number);
        self.bytes
            .extend_from_slice(format!("<< /Length {} >>\nstream\n", data.len()).as_bytes());
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn finish(mut self) -> Vec<u8> {
        let xref = self.bytes.len();
        let size = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for offset in &self.offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        );
        self.bytes.extend_from_slice(table.as_bytes());
        self.bytes
    }
}

/// The font's dictionary. The widths are optional for the base-14 fonts, but with them a viewer that
/// substitutes another font still places every glyph where the wrapping measured it.
fn font_dictionary(font: Font) -> String {
    let widths: Vec<String> = (32..=255u8)
        .map(|code| font.glyph_width(code).to_string())
        .collect();
    format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding \
         /FirstChar 32 /LastChar 255 /Widths [{}] >>",
        font.base_font(),
        widths.join(" ")
    )
}

fn info_dictionary(info: &Info<'_>) -> Vec<u8> {
    let mut dict = b"<< /Title ".to_vec();
    text_string(info.title, &mut dict);
    if let Some(subject) = info.subject {
        dict.extend_from_slice(b" /Subject ");
        text_string(subject, &mut dict);
    }
    dict.extend_from_slice(b" /Producer (Liaison)");
    if let Some(date) = pdf_date(info.created) {
        dict.extend_from_slice(format!(" /CreationDate ({date})").as_bytes());
    }
    dict.extend_from_slice(b" >>");
    dict
}

/// A PDF text string: a literal when the text is printable ASCII, else UTF-16BE with a byte order mark,
/// so that a viewer's document properties show names in their own script.
fn text_string(text: &str, out: &mut Vec<u8>) {
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    if text.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        out.push(b'(');
        escape_literal(text.as_bytes(), out);
        out.push(b')');
    } else {
        let mut hex = String::from("<FEFF");
        for unit in text.encode_utf16() {
            let _ = write!(hex, "{unit:04X}");
        }
        hex.push('>');
        out.extend_from_slice(hex.as_bytes());
    }
}

/// `YYYY-MM-DD HH:MM UTC` as a PDF date (`D:YYYYMMDDHHmmSSZ00'00'`), or `None` when it is not one.
pub(crate) fn pdf_date(created: &str) -> Option<String> {
    let bytes = created.as_bytes();
    if bytes.len() != 20 || &bytes[16..] != b" UTC" || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    if bytes[10] != b' ' || bytes[13] != b':' {
        return None;
    }
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        digits.iter().try_fold(0u32, |value, &b| {
            b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
        })
    };
    let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let (hour, minute) = (field(11..13)?, field(14..16)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 {
        return None;
    }
    Some(format!(
        "D:{year:04}{month:02}{day:02}{hour:02}{minute:02}00Z00'00'"
    ))
}

/// The page's operators. Consecutive text lines share one text object and are placed relative to each
/// other (`Td`), fonts and colours are set only when they change: a full page of table text is mostly
/// `0 -11 Td (...) Tj`.
fn content_stream(page: &Page) -> Vec<u8> {
    let mut out = Vec::new();
    let mut state = GraphicsState::default();
    for op in &page.ops {
        match op {
            Op::Text {
                x,
                y,
                style,
                grey,
                text,
            } => {
                state.end_path(&mut out);
                state.fill(*grey, &mut out);
                let (from_x, from_y) = match state.text {
                    Some(text_state) => text_state.line_start,
                    None => {
                        out.extend_from_slice(b"BT\n");
                        (0, 0)
                    }
                };
                if state.text.map(|t| t.font) != Some((style.font, style.size)) {
                    out.extend_from_slice(
                        format!("/{} {} Tf ", style.font.resource_name(), style.size).as_bytes(),
                    );
                }
                state.text = Some(TextState {
                    line_start: (*x, *y),
                    font: (style.font, style.size),
                });
                out.extend_from_slice(
                    format!("{} {} Td (", number(x - from_x), number(y - from_y)).as_bytes(),
                );
                escape_literal(text, &mut out);
                out.extend_from_slice(b") Tj\n");
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                grey,
            } => {
                state.end_text(&mut out);
                state.stroke(*grey, *width, &mut out);
                state.open_path = true;
                let segment = format!(
                    "{} {} m {} {} l\n",
                    number(*x1),
                    number(*y1),
                    number(*x2),
                    number(*y2)
                );
                out.extend_from_slice(segment.as_bytes());
            }
            Op::FillRect {
                x,
                y,
                width,
                height,
                grey,
            } => {
                state.end_text(&mut out);
                state.end_path(&mut out);
                state.fill(*grey, &mut out);
                let rect = format!(
                    "{} {} {} {} re f\n",
                    number(*x),
                    number(*y),
                    number(*width),
                    number(*height)
                );
                out.extend_from_slice(rect.as_bytes());
            }
        }
    }
    state.end_path(&mut out);
    state.end_text(&mut out);
    // The stream ends with the newline of its last operator; the writer adds one before `endstream`.
    if out.last() == Some(&b'\n') {
        out.pop();
    }
    out
}

/// Inside a text object: where the current line starts and the font set in it.
#[derive(Clone, Copy)]
struct TextState {
    line_start: (i64, i64),
    font: (Font, i64),
}

/// The colour and line width last set in a content stream, so each is written only when it changes, and
/// the open text object if any.
struct GraphicsState {
    fill_grey: u16,
    stroke_grey: u16,
    line_width: i64,
    text: Option<TextState>,
    /// Whether line segments have been added that still need stroking.
    open_path: bool,
}

impl Default for GraphicsState {
    /// The initial state of every page: black, lines 1 point wide, no text object.
    fn default() -> Self {
        GraphicsState {
            fill_grey: 0,
            stroke_grey: 0,
            line_width: 1_000,
            text: None,
            open_path: false,
        }
    }
}

impl GraphicsState {
    fn end_text(&mut self, out: &mut Vec<u8>) {
        if self.text.take().is_some() {
            out.extend_from_slice(b"ET\n");
        }
    }

    fn fill(&mut self, grey: u16, out: &mut Vec<u8>) {
        if grey != self.fill_grey {
            self.fill_grey = grey;
            out.extend_from_slice(format!("{} g\n", number(i64::from(grey))).as_bytes());
        }
    }

    /// Strokes the segments added so far, all in one path.
    fn end_path(&mut self, out: &mut Vec<u8>) {
        if self.open_path {
            self.open_path = false;
            out.extend_from_slice(b"S\n");
        }
    }

    fn stroke(&mut self, grey: u16, width: i64, out: &mut Vec<u8>) {
        if grey != self.stroke_grey || width != self.line_width {
            self.end_path(out);
        }
        if grey != self.stroke_grey {
            self.stroke_grey = grey;
            out.extend_from_slice(format!("{} G\n", number(i64::from(grey))).as_bytes());
        }
        if width != self.line_width {
            self.line_width = width;
            out.extend_from_slice(format!("{} w\n", number(width)).as_bytes());
        }
    }
}

/// A length in thousandths as a PDF number with no more decimals than it needs.
pub(crate) fn number(thousandths: i64) -> String {
    let sign = if thousandths < 0 { "-" } else { "" };
    let magnitude = thousandths.unsigned_abs();
    let (whole, fraction) = (magnitude / 1000, magnitude % 1000);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{fraction:03}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}
