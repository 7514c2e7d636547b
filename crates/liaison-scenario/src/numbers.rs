//! Identifiers that must be unique and look real: document numbers, number plates, vehicle identification
//! numbers (with their ISO 3779 check digit) and phone numbers. Each is a bijection of a serial number, so
//! uniqueness needs no lookup table however many persons are generated.

/// Slots (record positions) reserved per country in serial numbers; more than any country file can hold.
pub(crate) const SLOTS_PER_COUNTRY: u64 = 1 << 24;

/// Kinds of document serial for one person slot (four per slot; two are in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocSerial {
    Passport = 0,
    IdCard = 1,
}

/// The serial of a slot's document; `space` is the country index, or a higher index for documents of people
/// who are not in any country file.
pub(crate) fn doc_serial(space: usize, slot: usize, kind: DocSerial) -> u64 {
    ((space as u64 * SLOTS_PER_COUNTRY) + slot as u64) * 4 + kind as u64
}

fn permute(serial: u64, modulus: u64, multiplier: u64, offset: u64) -> u64 {
    ((u128::from(serial) * u128::from(multiplier) + u128::from(offset)) % u128::from(modulus))
        as u64
}

fn push_letters(out: &mut String, mut value: u64, count: usize) {
    let start = out.len();
    for _ in 0..count {
        out.push(char::from(b'A' + (value % 26) as u8));
        value /= 26;
    }
    // Most significant letter first, like a number.
    let tail: String = out[start..].chars().rev().collect();
    out.truncate(start);
    out.push_str(&tail);
}

fn push_digits(out: &mut String, value: u64, count: usize) {
    let digits = format!("{value:0count$}");
    out.push_str(&digits[digits.len().saturating_sub(count)..]);
}

/// A passport number: two letters and seven digits (`KX4821937`), unique for every serial.
pub(crate) fn passport_number(serial: u64, salt: u64) -> String {
    const MODULUS: u64 = 676 * 10_000_000;
    let p = permute(serial, MODULUS, 2_654_435_761, salt % MODULUS);
    let mut out = String::with_capacity(9);
    push_letters(&mut out, p / 10_000_000, 2);
    push_digits(&mut out, p % 10_000_000, 7);
    out
}

/// An identity card number: three letters and six digits (`ZRB204817`), unique for every serial.
pub(crate) fn id_card_number(serial: u64, salt: u64) -> String {
    const MODULUS: u64 = 17_576 * 1_000_000;
    let p = permute(serial, MODULUS, 2_246_822_519, salt % MODULUS);
    let mut out = String::with_capacity(9);
    push_letters(&mut out, p / 1_000_000, 3);
    push_digits(&mut out, p % 1_000_000, 6);
    out
}

/// A number plate in one of four national layouts, unique within a country for every slot.
pub(crate) fn plate(country: usize, slot: u64, salt: u64) -> String {
    const MODULUS: u64 = 17_576 * 10_000;
    let p = permute(slot, MODULUS, 3_266_489_917, salt % MODULUS);
    let (letters, digits) = (p / 10_000, p % 10_000);
    let mut l = String::with_capacity(3);
    push_letters(&mut l, letters, 3);
    let mut d = String::with_capacity(4);
    push_digits(&mut d, digits, 4);
    let (l1, l2) = l.split_at(1);
    match country % 4 {
        0 => format!("{l1}{d}{l2}"),
        1 => format!("{l1}{}-{} {d}", &l2[..1], &l2[1..]),
        2 => format!("{l1}{}-{}-{}{}", &l2[..1], &d[..3], &l2[1..], &d[3..]),
        _ => format!("{d} {l}"),
    }
}

/// Makes with their world manufacturer identifier and models; what police registers hold most.
pub(crate) const MAKES: &[(&str, &str, &[&str])] = &[
    (
        "Volkswagen",
        "WVW",
        &["Golf", "Passat", "Polo", "Transporter", "Tiguan"],
    ),
    (
        "Toyota",
        "JTD",
        &["Corolla", "RAV4", "Yaris", "Hiace", "Land Cruiser"],
    ),
    ("Ford", "WF0", &["Focus", "Transit", "Fiesta", "Kuga"]),
    (
        "Mercedes-Benz",
        "WDB",
        &["Sprinter", "C 220", "E 300", "Vito"],
    ),
    ("Renault", "VF1", &["Clio", "Master", "Megane", "Kangoo"]),
    ("Skoda", "TMB", &["Octavia", "Fabia", "Superb"]),
    ("Hyundai", "KMH", &["Tucson", "i30", "Santa Fe"]),
    ("Kia", "KNA", &["Sportage", "Ceed", "Rio"]),
    ("BMW", "WBA", &["320d", "X5", "520d"]),
    ("Fiat", "ZFA", &["Ducato", "Panda", "Tipo"]),
    ("Peugeot", "VF3", &["308", "Boxer", "208"]),
    ("Dacia", "UU1", &["Logan", "Duster", "Sandero"]),
    ("Lada", "XTA", &["Vesta", "Niva", "Granta"]),
    ("Audi", "WAU", &["A4", "A6", "Q5"]),
    ("Opel", "W0L", &["Astra", "Vivaro", "Corsa"]),
    ("Nissan", "JN1", &["Qashqai", "X-Trail", "Micra"]),
];

pub(crate) const COLOURS: &[&str] = &[
    "black",
    "white",
    "silver",
    "grey",
    "blue",
    "red",
    "green",
    "beige",
    "dark blue",
];

const VIN_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

fn vin_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'H' => u32::from(c - b'A') + 1,
        b'J'..=b'N' => u32::from(c - b'J') + 1,
        b'P' => 7,
        b'R' => 9,
        b'S'..=b'Z' => u32::from(c - b'S') + 2,
        _ => 0,
    }
}

/// A 17-character VIN for `serial` (unique per serial below about 10^9), with the ISO 3779 check digit in
/// position 9 and a model-year code in position 10.
pub(crate) fn vin(wmi: &str, serial: u64, model_year: i32, noise: u64) -> String {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    const YEARS: &[u8] = b"ABCDEFGHJKLMNPRSTVWXY123456789";
    let base = VIN_CHARS.len() as u64;
    let mut chars = [b'0'; 17];
    for (slot, c) in chars.iter_mut().zip(wmi.bytes()).take(3) {
        *slot = c;
    }
    let mut n = noise;
    for slot in chars.iter_mut().take(7).skip(4) {
        *slot = VIN_CHARS[(n % base) as usize];
        n /= base;
    }
    chars[3] = VIN_CHARS[((serial / (base * 1_000_000)) % base) as usize];
    let year_index = (model_year - 2010).rem_euclid(YEARS.len() as i32) as usize;
    chars[9] = YEARS[year_index];
    chars[10] = VIN_CHARS[((serial / 1_000_000) % base) as usize];
    let digits = format!("{:06}", serial % 1_000_000);
    chars[11..].copy_from_slice(digits.as_bytes());
    let sum: u32 = chars
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| vin_value(*c) * w)
        .sum();
    chars[8] = match sum % 11 {
        10 => b'X',
        d => b'0' + d as u8,
    };
    String::from_utf8_lossy(&chars).into_owned()
}

/// A mobile number in the scenario's numbering plan: `+999` (an ITU spare code, so no real subscriber),
/// a two-digit area (10 + country for residents, 50 + country for the planted cast, 90 + network for the
/// networks' shared phones, so the ranges never collide), seven digits.
pub(crate) fn phone(area: usize, subscriber: u64) -> String {
    let s = subscriber % 10_000_000;
    format!("+999 {area} {:03} {:04}", s / 10_000, s % 10_000)
}

/// The subscriber number of a slot's phone, unique within the country.
pub(crate) fn phone_subscriber(slot: usize, salt: u64) -> u64 {
    permute(slot as u64, 10_000_000, 7_919_371, salt % 10_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn document_numbers_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for space in 0..3 {
            for slot in 0..5_000 {
                for kind in [DocSerial::Passport, DocSerial::IdCard] {
                    let serial = doc_serial(space, slot, kind);
                    let number = match kind {
                        DocSerial::Passport => passport_number(serial, 77),
                        _ => id_card_number(serial, 77),
                    };
                    assert_eq!(number.len(), 9, "{number}");
                    assert!(
                        number
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    );
                    assert!(seen.insert(number));
                }
            }
        }
    }

    #[test]
    fn plates_are_unique_within_a_country() {
        for country in 0..4 {
            let plates: HashSet<String> = (0..20_000).map(|s| plate(country, s, 5)).collect();
            assert_eq!(plates.len(), 20_000);
        }
    }

    #[test]
    fn vin_check_digit_follows_iso_3779() {
        // The check digit of a VIN computed by hand for this serial is recomputed by the same rule.
        let v = vin("WVW", 123_456, 2019, 987_654);
        assert_eq!(v.len(), 17);
        assert!(!v.contains(['I', 'O', 'Q']));
        let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
        let sum: u32 = v.bytes().zip(weights).map(|(c, w)| vin_value(c) * w).sum();
        let expected = match sum % 11 {
            10 => 'X',
            d => char::from(b'0' + d as u8),
        };
        assert_eq!(v.chars().nth(8), Some(expected));
        // The well-known example 1M8GDM9AXKP042788 has check digit X.
        let known = b"1M8GDM9AXKP042788";
        let sum: u32 = known
            .iter()
            .zip(weights)
            .map(|(c, w)| vin_value(*c) * w)
            .sum();
        assert_eq!(sum % 11, 10);
    }

    #[test]
    fn phones_look_like_phones() {
        assert_eq!(phone(10, 4_821_937), "+999 10 482 1937");
        let subs: HashSet<u64> = (0..10_000).map(|s| phone_subscriber(s, 3)).collect();
        assert_eq!(subs.len(), 10_000);
    }
}
