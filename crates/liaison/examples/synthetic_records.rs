//! A deterministic generator of synthetic Liaison JSON Lines, for benchmarks and load tests.
//!
//! ```text
//! cargo run --release -p liaison --example synthetic_records -- --persons 1000000 --seed 42 --out persons.jsonl
//! ```
//!
//! Writes the format header, then `--persons` persons `p1` .. `pN` with realistic shapes: one to three names
//! (Latin script with diacritics, Cyrillic or Arabic, the latter two often with a Latin transliteration),
//! full or partial dates of birth, sex, one or two nationalities, identifiers, a handling code and a
//! retention date in the future. Every tenth person (`p10`, `p20`, ...) also gets a stolen or lost passport
//! (`d10`, `holder` = the person) and a `wanted_for_arrest` alert (`a10`, `subject` = the person), so
//! exactly 10% of persons carry a document and an alert: 1,000,000 persons make 1,200,000 records.
//!
//! The same seed always produces the same bytes (a splitmix64 generator, no outside randomness). Lines are
//! assembled by hand into one reused buffer, with no JSON library on the hot path, so generating is far
//! faster than importing (well over 500,000 lines/s on one core).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "Writes deterministic synthetic Liaison JSON Lines")]
struct Args {
    /// How many persons to write.
    #[arg(long)]
    persons: u64,
    /// The seed: the same seed and count always give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write; `-` for standard output.
    #[arg(long)]
    out: PathBuf,
    /// One person in this many gets a passport and an arrest alert (10 means 10%; 0 means none).
    #[arg(long, default_value_t = 10)]
    linked_every: u64,
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for synthetic data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0); the modulo bias is irrelevant for synthetic data.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent`/100.
    fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A name part in its own script with its ICAO-style Latin transliteration (the same text for Latin names).
type Part = (&'static str, &'static str);

/// A naming culture: given names by sex, family names, nationalities, birth places and an issuing authority.
struct Culture {
    male: &'static [Part],
    female: &'static [Part],
    family: &'static [Part],
    /// Family names change with sex in Russian: the female form appends this to the male form.
    female_suffix: Option<Part>,
    patronymics: &'static [Part],
    nationalities: &'static [&'static str],
    places: &'static [&'static str],
    authority: &'static str,
    non_latin: bool,
}

const LATIN: Culture = Culture {
    male: &[
        ("Jürgen", "Jürgen"),
        ("François", "François"),
        ("Łukasz", "Łukasz"),
        ("José", "José"),
        ("Marco", "Marco"),
        ("Pieter", "Pieter"),
        ("Andrei", "Andrei"),
        ("Mehmet", "Mehmet"),
        ("Arben", "Arben"),
        ("Thomas", "Thomas"),
        ("Søren", "Søren"),
        ("Miguel", "Miguel"),
    ],
    female: &[
        ("Anna", "Anna"),
        ("Marie", "Marie"),
        ("Giulia", "Giulia"),
        ("Ayşe", "Ayşe"),
        ("Małgorzata", "Małgorzata"),
        ("Inês", "Inês"),
        ("Sophie", "Sophie"),
        ("Elena", "Elena"),
        ("Zsófia", "Zsófia"),
        ("Léa", "Léa"),
    ],
    family: &[
        ("Müller", "Müller"),
        ("Dubois", "Dubois"),
        ("de Vries", "de Vries"),
        ("Rossi", "Rossi"),
        ("García Pérez", "García Pérez"),
        ("Kowalski", "Kowalski"),
        ("Popescu", "Popescu"),
        ("Hoxha", "Hoxha"),
        ("Yılmaz", "Yılmaz"),
        ("O'Brien", "O'Brien"),
        ("Nagy", "Nagy"),
        ("Jensen", "Jensen"),
        ("Novák", "Novák"),
        ("Schmidt", "Schmidt"),
    ],
    female_suffix: None,
    patronymics: &[],
    nationalities: &[
        "DEU", "FRA", "NLD", "ITA", "ESP", "POL", "ROU", "ALB", "TUR", "IRL", "HUN", "DNK", "CZE",
        "D",
    ],
    places: &[
        "Berlin",
        "Lyon",
        "Rotterdam",
        "Napoli",
        "Sevilla",
        "Kraków",
        "Constanța",
        "Tirana",
        "İzmir",
        "Cork",
    ],
    authority: "Public Prosecutor's Office",
    non_latin: false,
};

const CYRILLIC: Culture = Culture {
    male: &[
        ("Владимир", "Vladimir"),
        ("Алексей", "Aleksei"),
        ("Сергей", "Sergei"),
        ("Дмитрий", "Dmitrii"),
        ("Андрей", "Andrei"),
        ("Иван", "Ivan"),
        ("Михаил", "Mikhail"),
        ("Николай", "Nikolai"),
    ],
    female: &[
        ("Ольга", "Olga"),
        ("Наталья", "Natalia"),
        ("Елена", "Elena"),
        ("Татьяна", "Tatiana"),
        ("Анна", "Anna"),
        ("Мария", "Mariia"),
        ("Ирина", "Irina"),
        ("Светлана", "Svetlana"),
    ],
    family: &[
        ("Щербаков", "Shcherbakov"),
        ("Иванов", "Ivanov"),
        ("Смирнов", "Smirnov"),
        ("Кузнецов", "Kuznetsov"),
        ("Попов", "Popov"),
        ("Волков", "Volkov"),
        ("Соколов", "Sokolov"),
        ("Лебедев", "Lebedev"),
        ("Козлов", "Kozlov"),
        ("Морозов", "Morozov"),
        ("Васильев", "Vasilev"),
        ("Фёдоров", "Fedorov"),
    ],
    female_suffix: Some(("а", "a")),
    patronymics: &[
        ("Сергеевич", "Sergeevich"),
        ("Иванович", "Ivanovich"),
        ("Петрович", "Petrovich"),
        ("Александрович", "Aleksandrovich"),
    ],
    nationalities: &["RUS", "UKR", "BLR", "KAZ", "BGR", "SRB"],
    places: &[
        "Kazan",
        "Moskva",
        "Kyiv",
        "Minsk",
        "Almaty",
        "Sofia",
        "Novosibirsk",
    ],
    authority: "Prosecutor General's Office",
    non_latin: true,
};

const ARABIC: Culture = Culture {
    male: &[
        ("أحمد", "Ahmad"),
        ("محمد", "Mohammed"),
        ("علي", "Ali"),
        ("عمر", "Omar"),
        ("خالد", "Khaled"),
        ("يوسف", "Yousef"),
        ("حسن", "Hassan"),
        ("إبراهيم", "Ibrahim"),
    ],
    female: &[
        ("فاطمة", "Fatima"),
        ("مريم", "Maryam"),
        ("ليلى", "Layla"),
        ("نور", "Nour"),
        ("سارة", "Sara"),
        ("زينب", "Zainab"),
    ],
    family: &[
        ("الراشد", "Al-Rashid"),
        ("الحسيني", "Al-Husseini"),
        ("العلي", "Al-Ali"),
        ("حداد", "Haddad"),
        ("منصور", "Mansour"),
        ("خليل", "Khalil"),
        ("السيد", "El-Sayed"),
        ("عباس", "Abbas"),
        ("نصار", "Nassar"),
        ("صالح", "Saleh"),
    ],
    female_suffix: None,
    patronymics: &[],
    nationalities: &["JOR", "SYR", "EGY", "IRQ", "MAR", "LBN", "TUN", "DZA"],
    places: &[
        "Amman",
        "Aleppo",
        "Alexandria",
        "Basra",
        "Casablanca",
        "Beirut",
    ],
    authority: "Public Prosecution",
    non_latin: true,
};

const OFFENCES: &[&str] = &[
    "0101", "0201", "0204", "0401", "0501", "0502", "060111", "0701", "07041", "0903", "09051",
    "0802",
];
const DOCUMENT_STATUSES: &[&str] = &[
    "stolen",
    "stolen",
    "stolen",
    "lost",
    "lost",
    "revoked",
    "invalidated",
];
const PARTNERS: &[&str] = &["node-b", "node-c", "node-d"];
const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// Appends `value` as the body of a JSON string (without quotes). The pools hold no quote, backslash or
/// control character, but escaping keeps the output valid if someone adds one.
fn push_text(out: &mut String, value: &str) {
    if value.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    out.push_str("\\u00");
                    push_padded(out, u64::from(c as u32 >> 4), 1);
                    let low = c as u32 & 0xF;
                    out.push(char::from_digit(low, 16).unwrap_or('0'));
                }
                c => out.push(c),
            }
        }
    } else {
        out.push_str(value);
    }
}

/// Appends `"key":"value"`, with a leading comma.
fn push_field(out: &mut String, key: &str, value: &str) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":\"");
    push_text(out, value);
    out.push('"');
}

/// Appends the decimal digits of `n`, left-padded with zeros to `width`.
fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    for &d in digits[..len].iter().rev() {
        out.push(char::from(d));
    }
}

fn push_number(out: &mut String, n: u64) {
    push_padded(out, n, 1);
}

/// Appends `YYYY-MM-DD` (days 1..=28, so every date exists).
fn push_date(out: &mut String, year: u64, month: u64, day: u64) {
    push_padded(out, year, 4);
    out.push('-');
    push_padded(out, month, 2);
    out.push('-');
    push_padded(out, day, 2);
}

fn push_random_date(out: &mut String, rng: &mut SplitMix64, first_year: u64, last_year: u64) {
    let year = first_year + rng.below(last_year - first_year + 1);
    push_date(out, year, 1 + rng.below(12), 1 + rng.below(28));
}

/// Appends `,"handling":{...},"retain_until":"..."` (retention between 2029 and 2045, after any "today" a
/// benchmark will run on for years).
fn push_handling_and_retention(out: &mut String, rng: &mut SplitMix64, code: &str) {
    out.push_str(",\"handling\":{\"code\":\"");
    out.push_str(code);
    out.push('"');
    if code == "H3" {
        out.push_str(",\"conditions\":\"Consult the owner before any operational use\"");
    }
    out.push_str(",\"distribution\":");
    match rng.below(10) {
        0..=3 => out.push_str("\"partners\""),
        4..=7 => out.push_str("\"national\""),
        _ => {
            out.push_str("[\"");
            out.push_str(rng.pick(PARTNERS));
            out.push_str("\"]");
        }
    }
    out.push_str("},\"retain_until\":\"");
    push_random_date(out, rng, 2029, 2045);
    out.push('"');
}

/// The parts of one name, in one script.
struct Name<'a> {
    given: &'a str,
    patronymic: Option<&'a str>,
    family: &'a str,
    /// Appended to the family name (Russian female forms).
    suffix: &'a str,
    kind: &'a str,
}

/// One name object: `full` always, `given`/`patronymic`/`family` when `parts` says so.
fn push_name(out: &mut String, name: &Name<'_>, parts: bool) {
    let Name {
        given,
        patronymic,
        family,
        suffix,
        kind,
    } = *name;
    if !out.ends_with('[') {
        out.push(',');
    }
    out.push_str("{\"full\":\"");
    push_text(out, given);
    out.push(' ');
    if let Some(p) = patronymic {
        push_text(out, p);
        out.push(' ');
    }
    push_text(out, family);
    push_text(out, suffix);
    out.push('"');
    if parts {
        push_field(out, "given", given);
        if let Some(p) = patronymic {
            push_field(out, "patronymic", p);
        }
        out.push_str(",\"family\":\"");
        push_text(out, family);
        push_text(out, suffix);
        out.push('"');
    }
    push_field(out, "kind", kind);
    out.push('}');
}

/// What a person line decides that the linked passport and alert reuse.
struct PersonFacts {
    nationality: &'static str,
    authority: &'static str,
}

fn push_person(out: &mut String, rng: &mut SplitMix64, n: u64) -> PersonFacts {
    let culture = match rng.below(100) {
        0..=64 => &LATIN,
        65..=84 => &CYRILLIC,
        _ => &ARABIC,
    };
    let sex = match rng.below(100) {
        0..=54 => "M",
        55..=97 => "F",
        98 => "X",
        _ => "U",
    };
    let female = sex == "F";
    let given = if female || (sex != "M" && rng.percent(50)) {
        rng.pick(culture.female)
    } else {
        rng.pick(culture.male)
    };
    let family = rng.pick(culture.family);
    let suffix = match (female, culture.female_suffix) {
        (true, Some(s)) => s,
        _ => ("", ""),
    };
    let patronymic = if !culture.patronymics.is_empty() && rng.percent(40) {
        let p = rng.pick(culture.patronymics);
        // Female patronymics end in -вна; the pool holds the male forms.
        if female { None } else { Some(p) }
    } else {
        None
    };

    out.push_str("{\"type\":\"person\",\"id\":\"p");
    push_number(out, n);
    out.push_str("\",\"names\":[");
    let parts = rng.percent(85);
    push_name(
        out,
        &Name {
            given: given.0,
            patronymic: patronymic.map(|p| p.0),
            family: family.0,
            suffix: suffix.0,
            kind: "primary",
        },
        parts,
    );
    let mut names = 1;
    if culture.non_latin && rng.percent(70) {
        push_name(
            out,
            &Name {
                given: given.1,
                patronymic: patronymic.map(|p| p.1),
                family: family.1,
                suffix: suffix.1,
                kind: "transliteration",
            },
            false,
        );
        names += 1;
    }
    if names < 3 && rng.percent(20) {
        // An alias: another given name with the same family name, in the primary script.
        let alias = if female {
            rng.pick(culture.female)
        } else {
            rng.pick(culture.male)
        };
        push_name(
            out,
            &Name {
                given: alias.0,
                patronymic: None,
                family: family.0,
                suffix: suffix.0,
                kind: "alias",
            },
            false,
        );
        names += 1;
    }
    if names < 3 && female && rng.percent(15) {
        let birth = rng.pick(culture.family);
        push_name(
            out,
            &Name {
                given: given.0,
                patronymic: None,
                family: birth.0,
                suffix: suffix.0,
                kind: "birth",
            },
            true,
        );
    }
    out.push(']');

    // Dates of birth: mostly full, some year-month or year only, a few with a second candidate date.
    if rng.below(100) >= 3 {
        out.push_str(",\"birth_dates\":[");
        // A second candidate date, when there is one, is within a year of the first (conflicting sources).
        let count = if rng.percent(5) { 2 } else { 1 };
        let first_year = 1940 + rng.below(67);
        for i in 0..count {
            if i > 0 {
                out.push(',');
            }
            let year = if i == 0 {
                first_year
            } else {
                first_year + rng.below(3) - 1
            };
            out.push('"');
            push_padded(out, year, 4);
            match rng.below(100) {
                0..=9 => {}
                10..=19 => {
                    out.push('-');
                    push_padded(out, 1 + rng.below(12), 2);
                }
                _ => {
                    out.push('-');
                    push_padded(out, 1 + rng.below(12), 2);
                    out.push('-');
                    push_padded(out, 1 + rng.below(28), 2);
                }
            }
            out.push('"');
        }
        out.push(']');
    }
    if rng.percent(60) {
        push_field(out, "birth_place", rng.pick(culture.places));
    }
    push_field(out, "sex", sex);

    let nationality = rng.pick(culture.nationalities);
    out.push_str(",\"nationalities\":[\"");
    out.push_str(nationality);
    out.push('"');
    if rng.percent(8) {
        let second = rng.pick(LATIN.nationalities);
        if second != nationality {
            out.push_str(",\"");
            out.push_str(second);
            out.push('"');
        }
    }
    out.push(']');

    let mut identifiers = 0;
    let mut open_identifier = |out: &mut String, kind: &str| {
        out.push_str(if identifiers == 0 {
            ",\"identifiers\":[{\"kind\":\""
        } else {
            ",{\"kind\":\""
        });
        out.push_str(kind);
        out.push_str("\",\"value\":\"");
        identifiers += 1;
    };
    if rng.percent(55) {
        open_identifier(out, "phone");
        out.push('+');
        push_number(out, 30 + rng.below(60));
        out.push(' ');
        push_padded(out, rng.below(1000), 3);
        out.push(' ');
        push_padded(out, rng.below(10_000_000), 7);
        out.push_str("\"}");
    }
    if rng.percent(20) {
        open_identifier(out, "email");
        // Addresses stay ASCII: keep the letters of the Latin form that are ASCII.
        let mut local = 0;
        for c in given.1.chars().filter(char::is_ascii_alphabetic) {
            out.push(c.to_ascii_lowercase());
            local += 1;
        }
        if local == 0 {
            out.push_str("person");
        }
        out.push('.');
        push_number(out, n);
        out.push_str("@example.org\"}");
    }
    if rng.percent(30) {
        open_identifier(out, "national_id");
        out.push_str(nationality);
        out.push('-');
        push_padded(out, rng.below(1_000_000_000), 9);
        out.push_str("\"}");
    }
    if identifiers > 0 {
        out.push(']');
    }

    let code = match rng.below(100) {
        0..=39 => "H0",
        40..=74 => "H1",
        75..=94 => "H2",
        _ => "H3",
    };
    push_handling_and_retention(out, rng, code);
    out.push_str("}\n");
    PersonFacts {
        nationality,
        authority: culture.authority,
    }
}

fn push_document(out: &mut String, rng: &mut SplitMix64, n: u64, facts: &PersonFacts) {
    // The number is unique per person: two letters, then the person's number padded to seven digits.
    let issuing = facts.nationality;
    out.push_str("{\"type\":\"document\",\"id\":\"d");
    push_number(out, n);
    out.push_str("\",\"kind\":\"P\",\"number\":\"");
    out.push(char::from(rng.pick(LETTERS)));
    out.push(char::from(rng.pick(LETTERS)));
    push_padded(out, n, 7);
    out.push_str("\",\"issuing_country\":\"");
    out.push_str(issuing);
    out.push_str("\",\"holder\":\"p");
    push_number(out, n);
    out.push('"');
    push_field(out, "status", rng.pick(DOCUMENT_STATUSES));
    let issued_year = 2012 + rng.below(14);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    out.push_str(",\"issued\":\"");
    push_date(out, issued_year, month, day);
    out.push_str("\",\"expires\":\"");
    push_date(out, issued_year + 10, month, day);
    out.push('"');
    push_handling_and_retention(out, rng, "H1");
    out.push_str("}\n");
}

fn push_alert(out: &mut String, rng: &mut SplitMix64, n: u64, facts: &PersonFacts) {
    out.push_str("{\"type\":\"alert\",\"id\":\"a");
    push_number(out, n);
    out.push_str("\",\"category\":\"wanted_for_arrest\",\"subject\":\"p");
    push_number(out, n);
    out.push('"');
    push_field(out, "issuing_authority", facts.authority);
    out.push_str(",\"offences\":[\"");
    out.push_str(rng.pick(OFFENCES));
    out.push('"');
    if rng.percent(30) {
        out.push_str(",\"");
        out.push_str(rng.pick(OFFENCES));
        out.push('"');
    }
    out.push(']');
    push_field(
        out,
        "action",
        "Arrest; notify the issuing authority within 12 hours",
    );
    out.push_str(",\"issued\":\"");
    push_random_date(out, rng, 2018, 2025);
    out.push_str("\",\"expires\":\"");
    push_random_date(out, rng, 2028, 2036);
    out.push('"');
    push_handling_and_retention(out, rng, "H2");
    out.push_str("}\n");
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let sink: Box<dyn Write> = if args.out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            File::create(&args.out)
                .with_context(|| format!("cannot create {}", args.out.display()))?,
        )
    };
    let mut writer = BufWriter::with_capacity(1 << 20, sink);
    // Mix the seed so that seeds 1, 2, 3 ... start far apart.
    let mut rng = SplitMix64(args.seed ^ 0x5EED_0F11_A150_0001);
    let mut buffer = String::with_capacity(1 << 16);
    let mut lines = 1u64;
    let mut bytes = 0u64;
    buffer.push_str("{\"liaison_format\": 1}\n");
    for n in 1..=args.persons {
        let facts = push_person(&mut buffer, &mut rng, n);
        lines += 1;
        if args.linked_every > 0 && n % args.linked_every == 0 {
            push_document(&mut buffer, &mut rng, n, &facts);
            push_alert(&mut buffer, &mut rng, n, &facts);
            lines += 2;
        }
        if buffer.len() >= 60_000 {
            writer
                .write_all(buffer.as_bytes())
                .context("cannot write")?;
            bytes += buffer.len() as u64;
            buffer.clear();
        }
    }
    writer
        .write_all(buffer.as_bytes())
        .context("cannot write")?;
    bytes += buffer.len() as u64;
    writer.flush().context("cannot write")?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {lines} lines ({} persons, {bytes} bytes) in {seconds:.2} s: {:.0} lines/s",
        args.persons,
        lines as f64 / seconds.max(1e-9)
    );
    Ok(())
}
