//! Which character separates the fields of a CSV file, judged from its header line: spreadsheets save CSV
//! with `,` in some countries and `;` in others (where the comma is the decimal separator), and tab-separated
//! exports are common.

/// The separator the header line uses most: `,`, `;` or a tab (`,` when none appears or on a tie with it).
/// Separators inside double quotes are not counted.
pub fn csv_delimiter(header_line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in header_line {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let (best, _) = counts
        .iter()
        .enumerate()
        .fold((0, 0), |(best, most), (i, &count)| {
            if count > most {
                (i, count)
            } else {
                (best, most)
            }
        });
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::csv_delimiter;

    #[test]
    fn the_header_decides_the_separator() {
        assert_eq!(csv_delimiter(b"code,name,max_penalty_years,iccs"), b',');
        assert_eq!(
            csv_delimiter(b"Code;Name;Max_Penalty_Years;ICCS\r\n1,2;3"),
            b';'
        );
        assert_eq!(
            csv_delimiter(b"surname\tgiven_names\tdocument_number"),
            b'\t'
        );
        assert_eq!(csv_delimiter(b"\"a;b\",c"), b',');
        assert_eq!(csv_delimiter(b"surname"), b',');
        assert_eq!(csv_delimiter(b""), b',');
    }
}
