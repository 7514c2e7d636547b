//! A small PDF writer for the documents a node prints.
//!
//! Legal cooperation requests (European Investigation Orders, arrest warrants, MLA requests) are printed
//! as plain A4 documents that a central authority files or sends: a title, headings, label/value fields,
//! paragraphs and tables, flowing over as many pages as they need. The writer is pure: no IO, no clock
//! (the caller passes the creation time), and the same document always gives the same bytes.
//!
//! Text is set in the base-14 fonts Helvetica and Helvetica-Bold under WinAnsiEncoding, so nothing is
//! embedded and every viewer can show the file; lines are wrapped with the fonts' real glyph widths.
//! Those fonts only have Western European letters: other scripts are transliterated (see
//! [`to_win_ansi`]), and callers that want the original-script form keep it in the JSON rendering.

mod font;
mod layout;
mod text;
mod writer;

#[cfg(test)]
mod tests;

pub use text::to_win_ansi;

/// A document to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Printed in large bold type at the top of the first page, and the Info dictionary's title.
    pub title: String,
    /// Printed below the title; the Info dictionary's subject.
    pub subtitle: Option<String>,
    /// When the document was made, e.g. `2026-11-29 15:30 UTC`; written as the Info dictionary's creation
    /// date when it has exactly that form, otherwise left out.
    pub created: String,
    /// Printed at the bottom of every page, `{page}` and `{pages}` replaced by the page number and count,
    /// e.g. `Liaison node-a · request 0193… · page {page} of {pages}`. At most two lines are printed.
    pub footer: Option<String>,
    pub blocks: Vec<Block>,
}

/// A piece of a document's body, laid out top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading; it always stays on the same page as the start of what follows it.
    Heading(String),
    /// Label/value rows, the label in bold in a left column (35 % of the width), values wrapped.
    Fields(Vec<(String, String)>),
    /// Wrapped text; `\n` is a hard line break.
    Paragraph(String),
    /// A table with a header row; columns share the width by the given relative weights; cells wrap.
    /// A row that does not fit goes to the next page, where the header row is repeated. Rows with more
    /// cells than there are columns get extra columns without a header.
    Table {
        columns: Vec<(String, u32)>,
        rows: Vec<Vec<String>>,
    },
    /// A thin horizontal line across the page.
    Rule,
}

/// Renders a document as a PDF 1.7 file.
pub fn render(document: &Document) -> Vec<u8> {
    let pages = layout::lay_out(document);
    let info = writer::Info {
        title: &document.title,
        subject: document.subtitle.as_deref(),
        created: &document.created,
    };
    writer::write_pdf(&pages, &info)
}
