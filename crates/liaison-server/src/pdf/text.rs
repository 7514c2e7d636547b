//! Text for the base-14 fonts: WinAnsi encoding with transliteration, string escaping and line wrapping.

use super::font::Font;

/// Unicode scalar values of the WinAnsi codes 0x80..=0x9F, where WinAnsi departs from Latin-1; 0 marks
/// an unassigned code.
const WIN_ANSI_HIGH: [u32; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// Base letters and the WinAnsi letter each makes with one combining mark, so that decomposed input
/// (as some systems store names) prints with its accents instead of losing them.
const COMPOSITIONS: [(char, &str, &str); 8] = [
    ('\u{300}', "AEIOUaeiou", "ÀÈÌÒÙàèìòù"),
    ('\u{301}', "AEIOUYaeiouy", "ÁÉÍÓÚÝáéíóúý"),
    ('\u{302}', "AEIOUaeiou", "ÂÊÎÔÛâêîôû"),
    ('\u{303}', "ANOano", "ÃÑÕãñõ"),
    ('\u{308}', "AEIOUYaeiouy", "ÄËÏÖÜŸäëïöüÿ"),
    ('\u{30A}', "Aa", "Åå"),
    ('\u{327}', "Cc", "Çç"),
    ('\u{30C}', "SZsz", "ŠŽšž"),
];

/// Encodes text for Helvetica under WinAnsiEncoding.
///
/// Characters WinAnsi has are kept; a base letter followed by a combining accent is composed when WinAnsi
/// has the composed letter. Any other character is replaced by its Latin transliteration (`any_ascii`),
/// or `?` when it has none, and the flag returned is `true`; marks and letters that a Latin spelling
/// leaves out (an accent WinAnsi cannot compose, a virama, the Arabic alef) are dropped, also with the
/// flag. Line breaks (`\n`, `\r\n`, `\r`, U+2028,
/// U+2029) become one `\n` byte, a tab becomes a space; other control characters and invisible format
/// characters (zero-width spaces, joiners, direction marks, the soft hyphen) are dropped.
pub fn to_win_ansi(text: &str) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(text.len());
    let mut transliterated = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(b'\n');
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(b'\n'),
            '\t' => out.push(b' '),
            c if c.is_control() || is_invisible(c) => {}
            c => {
                let c = match chars.peek().and_then(|&mark| compose(c, mark)) {
                    Some(composed) => {
                        chars.next();
                        composed
                    }
                    None => c,
                };
                if let Some(code) = win_ansi_code(c) {
                    out.push(code);
                    continue;
                }
                transliterated = true;
                let latin = any_ascii::any_ascii_char(c);
                if latin.is_empty() {
                    // An accent with no composed form leaves its base letter standing alone, which reads
                    // better than a question mark after it.
                    if !is_silent(c) {
                        out.push(b'?');
                    }
                } else {
                    out.extend(latin.bytes().filter(|b| (0x20..0x7F).contains(b)));
                }
            }
        }
    }
    (out, transliterated)
}

fn win_ansi_code(c: char) -> Option<u8> {
    let scalar = u32::from(c);
    match scalar {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(scalar).ok(),
        _ => WIN_ANSI_HIGH
            .iter()
            .position(|&high| high == scalar && high != 0)
            .and_then(|index| u8::try_from(0x80 + index).ok()),
    }
}

fn compose(base: char, mark: char) -> Option<char> {
    let (_, bases, composed) = COMPOSITIONS.iter().find(|(m, _, _)| *m == mark)?;
    let index = bases.chars().position(|b| b == base)?;
    composed.chars().nth(index)
}

fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0xAD | 0x034F | 0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
            | 0x2066..=0x206F | 0xFE00..=0xFE0F | 0xFEFF
    )
}

/// Whether a character that `any_ascii` spells as nothing is silent rather than unknown. In the Basic
/// Multilingual Plane such characters are combining marks, viramas and letters that carry no sound of
/// their own in a Latin spelling (the Arabic alef, Hangul fillers); private-use characters, ideographs
/// and characters beyond it (rare ideographs, cuneiform) have no transliteration.
fn is_silent(c: char) -> bool {
    let scalar = u32::from(c);
    scalar < 0x10000
        && !matches!(
            scalar,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xE000..=0xF8FF | 0xF900..=0xFAFF
        )
}

/// Appends WinAnsi bytes as the body of a PDF literal string (without the parentheses).
pub(crate) fn escape_literal(text: &[u8], out: &mut Vec<u8>) {
    for &byte in text {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(byte);
            }
            // The encoder never yields control bytes; written as octal they cannot end a line or a string.
            0x00..=0x1F | 0x7F => out.extend_from_slice(format!("\\{byte:03o}").as_bytes()),
            _ => out.push(byte),
        }
    }
}

/// Splits WinAnsi text into lines no wider than `max_width` (thousandths of a point) at `size` points.
///
/// Hard breaks (`\n`) are kept, an empty hard line stays an empty line; runs of spaces collapse to one
/// space; a word wider than a line is cut between characters, every line taking at least one character so
/// that any width makes progress.
pub(crate) fn wrap(text: &[u8], font: Font, size: i64, max_width: i64) -> Vec<Vec<u8>> {
    let max_units = max_width / size.max(1);
    let space = font.text_width(b" ");
    let mut lines = Vec::new();
    for hard_line in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_units = 0;
        for word in hard_line.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_units = font.text_width(word);
            if !line.is_empty() && line_units + space + word_units <= max_units {
                line.push(b' ');
                line.extend_from_slice(word);
                line_units += space + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_units <= max_units {
                line.extend_from_slice(word);
                line_units = word_units;
                continue;
            }
            line_units = 0;
            for &code in word {
                let code_units = i64::from(font.glyph_width(code));
                if !line.is_empty() && line_units + code_units > max_units {
                    lines.push(std::mem::take(&mut line));
                    line_units = 0;
                }
                line.push(code);
                line_units += code_units;
            }
        }
        lines.push(line);
    }
    lines
}
