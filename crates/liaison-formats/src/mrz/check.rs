//! The Doc 9303 check digit (Part 3, 4.9): character values 0-9, A=10..Z=35, `<`=0, weights 7, 3, 1.

/// The value of one MRZ character, or `None` outside `A-Z0-9<`.
pub(crate) fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The check digit of `field` (7-3-1 weighting), or `None` when it holds a character other than `A-Z0-9<`.
///
/// ```
/// assert_eq!(liaison_formats::mrz::check_digit("520727"), Some('3'));
/// assert_eq!(liaison_formats::mrz::check_digit("AB2134<<<"), Some('5'));
/// assert_eq!(liaison_formats::mrz::check_digit("ab"), None);
/// ```
pub fn check_digit(field: &str) -> Option<char> {
    check_digit_bytes(field.as_bytes())
}

pub(crate) fn check_digit_bytes(field: &[u8]) -> Option<char> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, &c) in field.iter().enumerate() {
        sum = (sum + char_value(c)? * WEIGHTS[i % 3]) % 10;
    }
    char::from_digit(sum, 10)
}

/// The check digit over several pieces read one after the other (the composite check digit).
pub(crate) fn check_digit_of_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Option<char> {
    let joined: Vec<u8> = parts.into_iter().flatten().copied().collect();
    check_digit_bytes(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc9303_part3_examples() {
        assert_eq!(check_digit("520727"), Some('3'));
        assert_eq!(check_digit("AB2134<<<"), Some('5'));
        assert_eq!(check_digit("L898902C3"), Some('6'));
        assert_eq!(check_digit(""), Some('0'));
        assert_eq!(check_digit("<<<<<<"), Some('0'));
        assert_eq!(check_digit("A-1"), None);
        assert_eq!(check_digit("é"), None);
    }
}
