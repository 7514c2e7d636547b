//! Tests of the PDF writer: metrics, wrapping, encoding, page flow, and the file's structure on arbitrary
//! documents.

use super::font::Font;
use super::layout::{self, HEADING, Op, Page};
use super::text::{escape_literal, wrap};
use super::writer::{number, pdf_date};
use super::{Block, Document, render, to_win_ansi};

/// Checks what a reader relies on first: header, cross-reference table, trailer, stream lengths.
/// Returns the page count from the page tree.
fn check_structure(pdf: &[u8]) -> Result<usize, String> {
    if !pdf.starts_with(b"%PDF-1.7\n") {
        return Err("no %PDF-1.7 header".into());
    }
    if !pdf.ends_with(b"%%EOF\n") {
        return Err("no %%EOF at the end".into());
    }
    let marker = find_last(pdf, b"startxref\n").ok_or("no startxref")?;
    let xref: usize = read_number(&pdf[marker + 10..]).ok_or("startxref without offset")?;
    let table = pdf.get(xref..).ok_or("startxref past the end")?;
    if !table.starts_with(b"xref\n0 ") {
        return Err(format!("startxref {xref} does not point at xref"));
    }
    let size: usize = read_number(&table[7..]).ok_or("xref without size")?;
    let entries_start = 7 + size.to_string().len() + 1;
    let entry =
        |index: usize| table.get(entries_start + 20 * index..entries_start + 20 * (index + 1));
    if entry(0) != Some(b"0000000000 65535 f \n".as_slice()) {
        return Err("bad free entry 0".into());
    }
    for index in 1..size {
        let line = entry(index).ok_or(format!("xref entry {index} missing"))?;
        if &line[10..] != b" 00000 n \n" {
            return Err(format!("xref entry {index} malformed"));
        }
        let offset: usize = read_number(&line[..10]).ok_or(format!("xref entry {index} offset"))?;
        let object = pdf
            .get(offset..)
            .ok_or(format!("object {index} offset past the end"))?;
        if !object.starts_with(format!("{index} 0 obj\n").as_bytes()) {
            return Err(format!(
                "xref entry {index} points at {offset}, not at its object"
            ));
        }
        let header = format!("{index} 0 obj\n<< /Length ");
        if object.starts_with(header.as_bytes()) {
            let length: usize =
                read_number(&object[header.len()..]).ok_or("stream without length")?;
            let data = object.iter().position(|&b| b == b'\n').and_then(|first| {
                let after_dict =
                    first + 1 + object[first + 1..].iter().position(|&b| b == b'\n')? + 1;
                object[after_dict..]
                    .starts_with(b"stream\n")
                    .then_some(after_dict + 7)
            });
            let data = data.ok_or(format!("object {index} has no stream keyword"))?;
            if !object[data + length..].starts_with(b"\nendstream\nendobj\n") {
                return Err(format!(
                    "stream {index} length {length} does not end at endstream"
                ));
            }
        }
    }
    let trailer = &table[entries_start + 20 * size..];
    if !trailer
        .starts_with(format!("trailer\n<< /Size {size} /Root 1 0 R /Info 5 0 R >>").as_bytes())
    {
        return Err("trailer without /Size, /Root and /Info".into());
    }
    let count = find_last(pdf, b"/Count ").ok_or("no page count")?;
    read_number(&pdf[count + 7..]).ok_or_else(|| "unreadable page count".into())
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn read_number(bytes: &[u8]) -> Option<usize> {
    let digits: Vec<u8> = bytes
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// The text runs of a page, decoded from WinAnsi for assertions (Latin-1 is close enough here).
fn texts(page: &Page) -> Vec<String> {
    page.ops
        .iter()
        .filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.iter().map(|&b| char::from(b)).collect()),
            _ => None,
        })
        .collect()
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: "European Investigation Order".into(),
        subtitle: Some("Request 0193a7c2 from node-a to node-b".into()),
        created: "2026-11-29 15:30 UTC".into(),
        footer: Some("Liaison node-a · request 0193a7c2 · page {page} of {pages}".into()),
        blocks,
    }
}

fn lines_as_strings(lines: &[Vec<u8>]) -> Vec<String> {
    lines
        .iter()
        .map(|line| line.iter().map(|&b| char::from(b)).collect())
        .collect()
}

#[test]
fn hello_is_22_78_points_wide_in_helvetica_at_10_points() {
    assert_eq!(Font::Regular.text_width(b"Hello") * 10, 22_780);
    // H 722, e 556, l 278, l 278, o 611 in the bold face.
    assert_eq!(Font::Bold.text_width(b"Hello") * 10, 24_450);
    assert_eq!(Font::Regular.glyph_width(b' '), 278);
    assert_eq!(Font::Regular.glyph_width(0x80), 556, "euro");
    assert_eq!(Font::Regular.glyph_width(0xE9), 556, "e acute");
    assert_eq!(Font::Bold.glyph_width(b'W'), 944);
    assert_eq!(Font::Regular.glyph_width(b'@'), 1015);
}

#[test]
fn wrapping_fills_lines_up_to_the_exact_width() {
    // "Hello world" is 22.78 + 2.78 (space) + 23.89 = 49.45 points at 10 points.
    let exact = wrap(b"Hello world", Font::Regular, 10, 49_450);
    assert_eq!(lines_as_strings(&exact), ["Hello world"]);
    let short = wrap(b"Hello world", Font::Regular, 10, 49_449);
    assert_eq!(lines_as_strings(&short), ["Hello", "world"]);
    let spaces = wrap(b"  Hello   world  ", Font::Regular, 10, 100_000);
    assert_eq!(lines_as_strings(&spaces), ["Hello world"]);
}

#[test]
fn wrapping_keeps_hard_breaks_and_blank_lines() {
    let lines = wrap(b"one\n\ntwo three", Font::Regular, 10, 1_000_000);
    assert_eq!(lines_as_strings(&lines), ["one", "", "two three"]);
    assert_eq!(lines_as_strings(&wrap(b"", Font::Regular, 10, 1_000)), [""]);
}

#[test]
fn a_word_longer_than_a_line_is_cut_between_characters() {
    let word = b"Rechtshilfeersuchen";
    let width = 30_000;
    let lines = wrap(word, Font::Regular, 10, width);
    assert!(lines.len() > 1, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|line| Font::Regular.text_width(line) * 10 <= width)
    );
    assert_eq!(lines.concat(), word);
    // Narrower than any glyph: one character a line, and still every character.
    let tiny = wrap(b"abc de", Font::Regular, 10, 1);
    assert_eq!(lines_as_strings(&tiny), ["a", "b", "c", "d", "e"]);
}

#[test]
fn strings_are_escaped_and_control_characters_stripped() {
    let mut out = Vec::new();
    escape_literal(b"a(b)c\\d", &mut out);
    assert_eq!(out, b"a\\(b\\)c\\\\d");
    let (bytes, transliterated) =
        to_win_ansi("bell\u{7}\u{0}ed\u{1b}\tand\u{200b}zero-width\u{ad}");
    assert_eq!(bytes, b"belled andzero-width");
    assert!(!transliterated);
    assert_eq!(to_win_ansi("a\r\nb\rc\u{2028}d").0, b"a\nb\nc\nd");

    let pdf = render(&Document {
        title: "Case (2026) \\ 7".into(),
        ..Document::default()
    });
    assert!(
        contains(&pdf, b"(Case \\(2026\\) \\\\ 7) Tj"),
        "{}",
        String::from_utf8_lossy(&pdf)
    );
    assert!(contains(&pdf, b"/Title (Case \\(2026\\) \\\\ 7)"));
}

#[test]
fn western_european_text_keeps_its_letters() {
    let (bytes, transliterated) = to_win_ansi("Müller – Ærø, 12 € “œuvre”");
    assert!(!transliterated);
    assert_eq!(
        bytes,
        [
            b"M".as_slice(),
            &[0xFC],
            b"ller ",
            &[0x96],
            b" ",
            &[0xC6],
            b"r",
            &[0xF8],
            b", 12 ",
            &[0x80],
            b" ",
            &[0x93, 0x9C],
            b"uvre",
            &[0x94]
        ]
        .concat()
    );
    // Decomposed accents are composed where WinAnsi has the letter.
    assert_eq!(
        to_win_ansi("Mu\u{308}ller Jose\u{301}").0,
        to_win_ansi("Müller José").0
    );
    assert!(!to_win_ansi("Mu\u{308}ller").1);
}

#[test]
fn other_scripts_are_transliterated_and_flagged() {
    let (bytes, transliterated) = to_win_ansi("Владимир Щербаков");
    assert!(transliterated);
    assert_eq!(bytes, b"Vladimir Shcherbakov");
    assert_eq!(to_win_ansi("Σωκράτης").0, b"Sokratis");
    assert_eq!(to_win_ansi("深圳").0, b"ShenZhen");
    assert_eq!(to_win_ansi("محمد").0, b"mhmd");
    // A letter WinAnsi lacks loses only its accent, composed or not.
    assert_eq!(to_win_ansi("Dvořák").0, b"Dvor\xE1k");
    assert_eq!(
        to_win_ansi("Dvor\u{30C}a\u{301}k"),
        (b"Dvor\xE1k".to_vec(), true)
    );
    // Signs a Latin spelling leaves out are dropped, not marked.
    assert_eq!(to_win_ansi("محمد بن سلمان").0, b"mhmd bn slmn");
    assert_eq!(to_win_ansi("हिन्दी").0, b"hindi");
    // A private-use character or a rare ideograph has no transliteration.
    assert_eq!(to_win_ansi("\u{20002}\u{12000}"), (b"??".to_vec(), true));
    assert_eq!(to_win_ansi("a\u{E000}b"), (b"a?b".to_vec(), true));
}

#[test]
fn numbers_are_written_without_needless_decimals() {
    assert_eq!(number(56_693), "56.693");
    assert_eq!(number(12_500), "12.5");
    assert_eq!(number(595_000), "595");
    assert_eq!(number(-1_250), "-1.25");
    assert_eq!(number(0), "0");
    assert_eq!(number(-5), "-0.005");
}

#[test]
fn creation_date_is_written_only_for_a_real_utc_time() {
    assert_eq!(
        pdf_date("2026-11-29 15:30 UTC").as_deref(),
        Some("D:20261129153000Z00'00'")
    );
    assert_eq!(
        pdf_date("2024-02-29 00:00 UTC").as_deref(),
        Some("D:20240229000000Z00'00'")
    );
    for bad in [
        "",
        "2026-11-29",
        "2026-11-29 15:30",
        "2026-11-29 15:30 CET",
        "2026-13-01 10:00 UTC",
        "2025-02-29 10:00 UTC",
        "2026-04-31 10:00 UTC",
        "2026-11-29 24:00 UTC",
        "2026-11-29 23:60 UTC",
        "2026-1-29 15:30 UTC ",
        "２０２６-11-29 15:30 UTC",
    ] {
        assert_eq!(pdf_date(bad), None, "{bad:?}");
    }
    let pdf = render(&document(vec![]));
    assert!(contains(&pdf, b"/CreationDate (D:20261129153000Z00'00')"));
    assert!(contains(&pdf, b"/Producer (Liaison)"));
    let undated = render(&Document {
        created: "yesterday".into(),
        ..document(vec![])
    });
    assert!(!contains(&undated, b"/CreationDate"));
}

#[test]
fn info_title_keeps_its_script_as_utf16() {
    let pdf = render(&Document {
        title: "Ордер Ω".into(),
        ..Document::default()
    });
    assert!(contains(&pdf, b"/Title <FEFF041E0440043404350440002003A9>"));
    // The page itself shows the transliteration.
    assert!(contains(&pdf, b"(Order O) Tj"));
    check_structure(&pdf).unwrap();
}

#[test]
fn an_empty_document_is_one_valid_page() {
    let pdf = render(&Document::default());
    assert_eq!(check_structure(&pdf), Ok(1));
    assert_eq!(layout::lay_out(&Document::default()).len(), 1);
}

#[test]
fn output_is_deterministic() {
    let doc = sample_request();
    assert_eq!(render(&doc), render(&doc));
}

#[test]
fn long_documents_flow_over_pages_with_numbered_footers() {
    let paragraph = "The executing authority is requested to hear the witness named below and to obtain \
                     the banking records of the accounts listed in the annex, for the period covered by \
                     the investigation."
        .to_string();
    assert_eq!(
        wrap(&to_win_ansi(&paragraph).0, Font::Regular, 10, 481_890).len(),
        2
    );
    let doc = document(
        (0..80)
            .map(|_| Block::Paragraph(paragraph.clone()))
            .collect(),
    );
    let pages = layout::lay_out(&doc);
    // A paragraph is 2 lines of 12.5 points and 6 points after it. The body is 722.835 points high; on
    // the first page the title and subtitle take 54: 21 paragraphs and a line fit on it, 22 paragraphs
    // and a line on each page after it, so 80 paragraphs end on page 4.
    assert_eq!(pages.len(), 4);
    let pdf = render(&doc);
    assert_eq!(check_structure(&pdf), Ok(4));
    for (index, page) in pages.iter().enumerate() {
        let footer = format!(
            "Liaison node-a \u{b7} request 0193a7c2 \u{b7} page {} of 4",
            index + 1
        );
        assert_eq!(texts(page).last(), Some(&footer));
    }
}

#[test]
fn table_rows_move_whole_to_the_next_page_below_a_repeated_header() {
    let rows: Vec<Vec<String>> = (0..400)
        .map(|i| {
            vec![
                format!("{i}"),
                format!("Item {i}"),
                "Seized on arrest".into(),
            ]
        })
        .collect();
    let doc = document(vec![Block::Table {
        columns: vec![
            ("No.".into(), 1),
            ("Description".into(), 4),
            ("Remarks".into(), 3),
        ],
        rows,
    }]);
    let pages = layout::lay_out(&doc);
    assert!(pages.len() > 3, "{}", pages.len());
    let mut seen = Vec::new();
    for page in &pages {
        let texts = texts(page);
        let header = texts
            .iter()
            .position(|t| t == "No.")
            .expect("header on every page");
        assert_eq!(texts[header + 1..header + 3], ["Description", "Remarks"]);
        // After the header come whole rows, in order.
        for row in texts[header + 3..texts.len() - 1].chunks(3) {
            let index: usize = row[0].parse().unwrap();
            assert_eq!(row[1], format!("Item {index}"));
            seen.push(index);
        }
    }
    assert_eq!(seen, (0..400).collect::<Vec<_>>());
    assert_eq!(check_structure(&render(&doc)), Ok(pages.len()));
}

#[test]
fn a_row_taller_than_a_page_is_split_and_continues_below_the_header() {
    let huge = (0..3_000)
        .map(|i| format!("line{i}"))
        .collect::<Vec<_>>()
        .join("\n");
    let doc = document(vec![Block::Table {
        columns: vec![("Exhibit".into(), 1), ("Content".into(), 3)],
        rows: vec![vec!["A".into(), huge], vec!["B".into(), "short".into()]],
    }]);
    let pages = layout::lay_out(&doc);
    assert!(pages.len() > 40, "{}", pages.len());
    let all: Vec<String> = pages.iter().flat_map(texts).collect();
    let lines: Vec<&String> = all.iter().filter(|t| t.starts_with("line")).collect();
    assert_eq!(lines.len(), 3_000);
    assert!(
        lines
            .iter()
            .enumerate()
            .all(|(i, t)| **t == format!("line{i}"))
    );
    for page in &pages {
        assert!(texts(page).contains(&"Exhibit".to_string()));
    }
    assert!(all.contains(&"short".to_string()));
}

#[test]
fn a_heading_is_never_the_last_thing_on_a_page() {
    let mut checked = 0;
    for filler in 0..70 {
        for next in [
            Block::Paragraph("What follows the heading.".into()),
            Block::Fields(vec![("Name".into(), "Ivan Petrov".into())]),
            Block::Table {
                columns: vec![("Item".into(), 1)],
                rows: vec![vec!["Phone".into()]],
            },
            Block::Heading("A sub-heading".into()),
            Block::Rule,
        ] {
            let mut blocks: Vec<Block> = (0..filler)
                .map(|i| Block::Paragraph(format!("Filler {i}")))
                .collect();
            blocks.push(Block::Heading("Measures requested".into()));
            blocks.push(next);
            blocks.push(Block::Paragraph("End.".into()));
            let pages = layout::lay_out(&document(blocks));
            for page in &pages {
                let last_body_text = page.ops.iter().rev().find_map(|op| match op {
                    Op::Text { style, .. } if style.size != 8 => Some(style),
                    _ => None,
                });
                assert_ne!(
                    last_body_text,
                    Some(&HEADING),
                    "heading alone at the foot of a page after {filler}: {:?}",
                    texts(page)
                );
            }
            checked += pages.len();
        }
    }
    assert!(checked > 350);
}

#[test]
fn fields_put_bold_labels_in_the_left_column_and_wrap_values() {
    let value = "Flat 4, 12 Rue de la Loi, 1040 Etterbeek, Brussels, Belgium; previously at an address \
                 in Antwerp that the requesting authority could not confirm";
    let doc = document(vec![Block::Fields(vec![(
        "Last known address".into(),
        value.into(),
    )])]);
    let pages = layout::lay_out(&doc);
    let runs: Vec<(i64, Font, String)> = pages[0]
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Text { x, style, text, .. } => Some((
                *x,
                style.font,
                text.iter().map(|&b| char::from(b)).collect(),
            )),
            _ => None,
        })
        .collect();
    let label = runs
        .iter()
        .find(|(_, _, t)| t == "Last known address")
        .unwrap();
    assert_eq!(label.1, Font::Bold);
    let values: Vec<_> = runs
        .iter()
        .filter(|(x, _, _)| *x > label.0 + 100_000)
        .collect();
    assert!(values.len() >= 2, "{runs:?}");
    assert!(values.iter().all(|(_, font, _)| *font == Font::Regular));
}

#[test]
fn degenerate_tables_do_not_break_the_file() {
    let weightless = Block::Table {
        columns: vec![("A".into(), 0), ("B".into(), 0), ("C".into(), u32::MAX)],
        rows: vec![vec!["x".repeat(500), "y".into(), "z".into(), "ext".into()]],
    };
    let headless = Block::Table {
        columns: vec![],
        rows: vec![vec!["only".into()], vec![]],
    };
    let empty = Block::Table {
        columns: vec![],
        rows: vec![],
    };
    let wide = Block::Table {
        columns: (0..500).map(|i| (format!("c{i}"), 1)).collect(),
        rows: vec![(0..500).map(|i| format!("v{i}")).collect()],
    };
    let doc = document(vec![
        weightless,
        headless,
        empty,
        wide,
        Block::Fields(vec![]),
        Block::Rule,
    ]);
    let pdf = render(&doc);
    assert!(check_structure(&pdf).is_ok());
    let all: Vec<String> = layout::lay_out(&doc).iter().flat_map(texts).collect();
    assert!(
        all.contains(&"ext".to_string()),
        "a cell beyond the header is still printed"
    );
    assert!(all.contains(&"only".to_string()));
}

/// A tiny deterministic generator, so that arbitrary documents are the same on every run.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> usize {
        usize::try_from(self.next() % bound.max(1)).unwrap()
    }

    fn text(&mut self) -> String {
        const PIECES: [&str; 24] = [
            "word",
            "Rechtshilfe",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "(",
            ")",
            "\\",
            "\u{0}",
            "\u{7}",
            "Щербаков",
            "深圳",
            "é",
            "\u{301}",
            "€",
            "\u{200b}",
            "👑",
            "\u{E000}",
            "{page}",
            "{pages}",
            "%%EOF",
            "endstream",
        ];
        let mut text = String::new();
        let pieces = match self.below(200) {
            0..5 => 0,
            5 => 300,
            _ => self.below(8),
        };
        for _ in 0..pieces {
            text.push_str(PIECES[self.below(PIECES.len() as u64)]);
        }
        if self.below(500) == 0 {
            text.push_str(&"x".repeat(self.below(3_000)));
        }
        text
    }

    fn block(&mut self) -> Block {
        match self.below(6) {
            0 => Block::Heading(self.text()),
            1 => Block::Fields(
                (0..self.below(8))
                    .map(|_| (self.text(), self.text()))
                    .collect(),
            ),
            2 => Block::Paragraph(self.text()),
            3 | 4 => {
                let columns = (0..self.below(7))
                    .map(|_| {
                        let weight = match self.below(4) {
                            0 => 0,
                            1 => u32::MAX,
                            _ => u32::try_from(self.below(100)).unwrap(),
                        };
                        (self.text(), weight)
                    })
                    .collect();
                let row_count = if self.below(20) == 0 {
                    self.below(500)
                } else {
                    self.below(20)
                };
                let rows = (0..row_count)
                    .map(|_| (0..self.below(8)).map(|_| self.text()).collect())
                    .collect();
                Block::Table { columns, rows }
            }
            _ => Block::Rule,
        }
    }

    fn document(&mut self) -> Document {
        Document {
            title: self.text(),
            subtitle: (self.below(2) == 0).then(|| self.text()),
            created: if self.below(2) == 0 {
                "2026-11-29 15:30 UTC".into()
            } else {
                self.text()
            },
            footer: (self.below(2) == 0).then(|| self.text()),
            blocks: (0..self.below(25)).map(|_| self.block()).collect(),
        }
    }
}

#[test]
fn arbitrary_documents_render_to_structurally_valid_files() {
    let mut generator = Generator(0x5EED_1234_ABCD_0001);
    for case in 0..300 {
        let doc = generator.document();
        let pdf = render(&doc);
        let pages = layout::lay_out(&doc);
        assert_eq!(
            check_structure(&pdf),
            Ok(pages.len()),
            "case {case}: {doc:?}"
        );
        for page in &pages {
            for op in &page.ops {
                if let Op::Text { y, .. } = op {
                    assert!(
                        *y > 0 && *y < layout::PAGE_HEIGHT,
                        "case {case}: text off the page"
                    );
                }
            }
        }
    }
}

#[test]
fn thousands_of_rows_make_a_long_valid_file() {
    let rows = (0..5_000)
        .map(|i| {
            vec![
                i.to_string(),
                format!("Transfer {i}"),
                "EUR 9,900.00".into(),
            ]
        })
        .collect();
    let columns = vec![("No.".into(), 1), ("Item".into(), 3), ("Amount".into(), 2)];
    let doc = document(vec![Block::Table { columns, rows }]);
    let pdf = render(&doc);
    let pages = check_structure(&pdf).unwrap();
    // 16-point rows, 45 to a page below the header.
    assert!((100..130).contains(&pages), "{pages}");
    assert!(pdf.len() < 200 * 5_000, "{} bytes", pdf.len());
}

/// A request as a central authority would print it; used by the tests and for looking at the output.
fn sample_request() -> Document {
    Document {
        title: "European Investigation Order".into(),
        subtitle: Some("Directive 2014/41/EU, Annex A · request 0193a7c2-5d1e".into()),
        created: "2026-11-29 15:30 UTC".into(),
        footer: Some("Liaison node-a · request 0193a7c2-5d1e · page {page} of {pages}".into()),
        blocks: vec![
            Block::Heading("A. Issuing authority".into()),
            Block::Fields(vec![
                ("Authority".into(), "Parquet fédéral / Federaal parket, Brussels".into()),
                ("Case reference".into(), "FD.35.98.123/26".into()),
                ("Contact".into(), "Magistrate Anne-Sophie Lefèvre, +32 2 000 00 00".into()),
            ]),
            Block::Rule,
            Block::Heading("B. Person concerned".into()),
            Block::Fields(vec![
                ("Name".into(), "Владимир Щербаков (Vladimir Shcherbakov)".into()),
                ("Date of birth".into(), "1975-03-14, Kazan".into()),
                ("Nationality".into(), "RUS".into()),
            ]),
            Block::Heading("C. Facts".into()),
            Block::Paragraph(
                "Between March and October 2026 the person concerned is suspected of having laundered the \
                 proceeds of a fraud against at least 240 victims through accounts held in Belgium and \
                 Cyprus. Transfers were split below reporting thresholds (\"smurfing\") and routed through \
                 a company registered at an address in Limassol.\nThe offence falls under ICCS 07041."
                    .into(),
            ),
            Block::Heading("D. Measures requested".into()),
            Block::Table {
                columns: vec![("No.".into(), 1), ("Measure".into(), 5), ("Legal basis".into(), 3)],
                rows: (1..=40)
                    .map(|i| {
                        vec![
                            i.to_string(),
                            format!("Obtain the records of account CY{i:02} 0020 0195 0000 3570 1234 5678 for 2026"),
                            "Art. 26 Directive 2014/41/EU".into(),
                        ]
                    })
                    .collect(),
            },
            Block::Paragraph("Signed on behalf of the issuing authority.".into()),
        ],
    }
}

/// Writes the sample request to the file named by `LIAISON_PDF_SAMPLE`, to look at in a viewer:
/// `LIAISON_PDF_SAMPLE=/tmp/sample.pdf cargo test -p liaison-server pdf -- --ignored`.
#[test]
#[ignore = "writes a file for looking at the output by hand"]
fn write_sample_request() {
    if let Ok(path) = std::env::var("LIAISON_PDF_SAMPLE") {
        std::fs::write(path, render(&sample_request())).unwrap();
    }
}
