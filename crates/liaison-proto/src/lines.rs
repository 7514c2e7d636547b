//! Reading a file line by line in bounded memory: a line longer than the limit is skipped without being held
//! in memory and reported with its number, so one 100 MB line cannot exhaust the node.

use std::io::{self, BufRead};

/// The longest line accepted. A person record with every field is a few kilobytes; a megabyte is generous.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// One line, or why it cannot be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineItem {
    Text { line: u64, text: String },
    TooLong { line: u64, bytes: u64 },
    NotUtf8 { line: u64, byte_offset: usize },
}

impl LineItem {
    pub fn line(&self) -> u64 {
        match self {
            LineItem::Text { line, .. }
            | LineItem::TooLong { line, .. }
            | LineItem::NotUtf8 { line, .. } => *line,
        }
    }
}

/// Splits a byte stream into lines (LF or CRLF), with a limit on line length.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    line: u64,
    max_bytes: usize,
    buf: Vec<u8>,
    /// Bytes consumed from the start of the stream, so callers can show progress.
    consumed: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R) -> Self {
        Self::with_limit(inner, MAX_LINE_BYTES)
    }

    pub fn with_limit(inner: R, max_bytes: usize) -> Self {
        LineReader {
            inner,
            line: 0,
            max_bytes,
            buf: Vec::new(),
            consumed: 0,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.consumed
    }

    /// The next line, or `None` at the end of the stream.
    pub fn next_line(&mut self) -> io::Result<Option<LineItem>> {
        self.buf.clear();
        let mut total: u64 = 0;
        let mut too_long = false;
        let mut saw_any = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !saw_any {
                    return Ok(None);
                }
                break;
            }
            saw_any = true;
            let (chunk, found_newline) = match available.iter().position(|&b| b == b'\n') {
                Some(pos) => (&available[..pos], true),
                None => (available, false),
            };
            total += chunk.len() as u64;
            if !too_long {
                if self.buf.len() + chunk.len() > self.max_bytes {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(chunk);
                }
            }
            let used = chunk.len() + usize::from(found_newline);
            self.inner.consume(used);
            self.consumed += used as u64;
            if found_newline {
                break;
            }
        }
        self.line += 1;
        let line = self.line;
        if too_long {
            return Ok(Some(LineItem::TooLong { line, bytes: total }));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let mut bytes = std::mem::take(&mut self.buf);
        // A byte-order mark at the start of the file is an artefact of the editor, not content.
        if line == 1 && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(LineItem::Text { line, text })),
            Err(e) => Ok(Some(LineItem::NotUtf8 {
                line,
                byte_offset: e.utf8_error().valid_up_to(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn all(input: &[u8], limit: usize) -> Vec<LineItem> {
        let mut reader = LineReader::with_limit(std::io::BufReader::with_capacity(7, input), limit);
        let mut out = Vec::new();
        while let Some(item) = reader.next_line().unwrap() {
            out.push(item);
        }
        out
    }

    #[test]
    fn splits_lines_and_reports_long_and_binary_ones() {
        let items = all(b"\xEF\xBB\xBFab\r\n0123456789abc\n\xff\xfe\n\nlast", 10);
        assert_eq!(
            items,
            vec![
                LineItem::Text {
                    line: 1,
                    text: "ab".into()
                },
                LineItem::TooLong { line: 2, bytes: 13 },
                LineItem::NotUtf8 {
                    line: 3,
                    byte_offset: 0
                },
                LineItem::Text {
                    line: 4,
                    text: String::new()
                },
                LineItem::Text {
                    line: 5,
                    text: "last".into()
                },
            ]
        );
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(all(b"", 10).is_empty());
        assert_eq!(
            all(b"\n", 10),
            vec![LineItem::Text {
                line: 1,
                text: String::new()
            }]
        );
    }
}
