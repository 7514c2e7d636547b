//! Builds a synthetic screening index (1,000,000 persons by default, three names each) and reports the
//! figures the issue sets targets for: index build time, resident memory, single-query latency (p50, p99)
//! on one core, and candidate scorings per second.
//!
//! `cargo run --release -p liaison-matching --example bench_screening -- [PERSONS] [QUERIES]`

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use liaison_core::{PartialDate, RecordType, Sex};
use liaison_matching::{IndexedPerson, MatchIndex, NameInput, Query, ScreenOptions};

/// SplitMix64: a small deterministic generator, so every run builds the same index.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Roughly Zipf-distributed rank in 0..n (frequent names are frequent).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

const GIVEN: &[&str] = &[
    "JOHN",
    "MARY",
    "JAMES",
    "ANNA",
    "MOHAMMED",
    "AHMED",
    "ALI",
    "FATIMA",
    "VLADIMIR",
    "OLGA",
    "IVAN",
    "ELENA",
    "SERGEI",
    "NATALIA",
    "PETER",
    "MARIA",
    "JOSE",
    "CARLOS",
    "LUIS",
    "ANA",
    "WEI",
    "LI",
    "HASSAN",
    "OMAR",
    "YUSUF",
    "AISHA",
    "DMITRY",
    "ALEXANDER",
    "ANDREI",
    "TATIANA",
    "MICHAEL",
    "DAVID",
    "SARAH",
    "THOMAS",
    "PAUL",
    "GEORGE",
    "NIKOLAI",
    "MIKHAIL",
    "IRINA",
    "SVETLANA",
    "KHALID",
    "IBRAHIM",
    "MUSTAFA",
    "MAHMOUD",
    "HUSSEIN",
    "SAMIR",
    "KARIM",
    "JEAN",
    "PIERRE",
    "MARIE",
    "HANS",
    "JURGEN",
    "KLAUS",
    "STEFAN",
    "GIORGOS",
    "NIKOS",
    "ARAM",
    "GIORGI",
    "LEVAN",
    "MEHMET",
    "EMRE",
    "AYSE",
];

const SYLLABLES: &[&str] = &[
    "BA", "KO", "RI", "MA", "SHE", "VA", "LO", "DI", "NE", "TA", "GU", "PE", "ZA", "KHA", "CHE",
    "RO", "SA", "MI", "LE", "NO", "VI", "DA", "KU", "TE", "BO", "RA", "HA", "SU", "FI", "GO", "PA",
    "ZE",
];
const ENDINGS: &[&str] = &[
    "OV", "EV", "IN", "SKI", "ENKO", "IDZE", "YAN", "ER", "MANN", "SON", "EZ", "ELLI", "OU", "I",
    "A", "OVA", "EVA", "INA", "AWI", "ANI",
];

const CYRILLIC: &[(&str, &str)] = &[
    ("BA", "БА"),
    ("KO", "КО"),
    ("RI", "РИ"),
    ("MA", "МА"),
    ("SHE", "ШЕ"),
    ("VA", "ВА"),
    ("LO", "ЛО"),
    ("DI", "ДИ"),
    ("NE", "НЕ"),
    ("TA", "ТА"),
    ("GU", "ГУ"),
    ("PE", "ПЕ"),
    ("ZA", "ЗА"),
    ("KHA", "ХА"),
    ("CHE", "ЧЕ"),
    ("RO", "РО"),
    ("SA", "СА"),
    ("MI", "МИ"),
    ("LE", "ЛЕ"),
    ("NO", "НО"),
    ("VI", "ВИ"),
    ("DA", "ДА"),
    ("KU", "КУ"),
    ("TE", "ТЕ"),
    ("BO", "БО"),
    ("RA", "РА"),
    ("HA", "ХА"),
    ("SU", "СУ"),
    ("FI", "ФИ"),
    ("GO", "ГО"),
    ("PA", "ПА"),
    ("ZE", "ЗЕ"),
    ("OV", "ОВ"),
    ("EV", "ЕВ"),
    ("IN", "ИН"),
    ("SKI", "СКИЙ"),
    ("ENKO", "ЕНКО"),
    ("IDZE", "ИДЗЕ"),
    ("YAN", "ЯН"),
    ("ER", "ЕР"),
    ("MANN", "МАН"),
    ("SON", "СОН"),
    ("EZ", "ЕЗ"),
    ("ELLI", "ЕЛЛИ"),
    ("OU", "У"),
    ("I", "И"),
    ("A", "А"),
    ("OVA", "ОВА"),
    ("EVA", "ЕВА"),
    ("INA", "ИНА"),
    ("AWI", "АВИ"),
    ("ANI", "АНИ"),
];

fn cyrillic(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| {
            CYRILLIC
                .iter()
                .find(|(l, _)| l == p)
                .map_or(*p, |(_, c)| *c)
        })
        .collect()
}

/// A family name from syllables: about 600,000 possible, drawn with a long tail.
fn family(rng: &mut Rng) -> Vec<&'static str> {
    let count = 1 + rng.below(2);
    let mut parts: Vec<&'static str> = (0..count)
        .map(|_| SYLLABLES[rng.zipf(SYLLABLES.len())])
        .collect();
    parts.push(ENDINGS[rng.zipf(ENDINGS.len())]);
    if rng.chance(0.5) {
        parts.insert(0, SYLLABLES[rng.below(SYLLABLES.len())]);
    }
    parts
}

fn typo(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 4 {
        return text.to_owned();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.swap(at, at + 1),
        _ => chars[at] = (b'A' + rng.below(26) as u8) as char,
    }
    chars.into_iter().collect()
}

struct Generated {
    person: IndexedPerson,
    query_name: String,
}

fn generate(rng: &mut Rng, id: usize) -> Generated {
    let given = GIVEN[rng.zipf(GIVEN.len())];
    let family_parts = family(rng);
    let family_latin: String = family_parts.concat();
    let year = 1940 + rng.below(65);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let dob = PartialDate::parse(&format!("{year:04}-{month:02}-{day:02}")).ok();
    let mut names = vec![NameInput {
        full: format!("{given} {family_latin}"),
        given: Some(given.to_owned()),
        family: Some(family_latin.clone()),
        ..NameInput::default()
    }];
    // Aliases: a Cyrillic rendering for a third of the persons, a reordered or misspelt form otherwise.
    if rng.chance(0.33) {
        names.push(NameInput::full(format!(
            "{} {}",
            cyrillic(&family_parts),
            GIVEN[rng.zipf(GIVEN.len())]
        )));
    } else {
        names.push(NameInput::full(format!("{family_latin}, {given}")));
    }
    names.push(NameInput::full(format!(
        "{} {}",
        GIVEN[rng.zipf(GIVEN.len())],
        typo(rng, &family_latin)
    )));
    let query_name = if rng.chance(0.5) {
        format!("{} {given}", typo(rng, &family_latin))
    } else {
        format!("{family_latin}<<{given}")
    };
    Generated {
        person: IndexedPerson {
            record_type: RecordType::Person,
            id: format!("p{id}"),
            names,
            birth_dates: dob.into_iter().collect(),
            sex: Some(if rng.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            }),
            nationalities: Vec::new(),
            documents: Vec::new(),
        },
        query_name,
    }
}

fn resident_memory_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let persons: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let query_count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000);

    let mut rng = Rng(0x5EED);
    let mut index = MatchIndex::new();
    let mut queries = Vec::new();
    let mut generation = Duration::ZERO;
    let build_start = Instant::now();
    for id in 0..persons {
        let t = Instant::now();
        let generated = generate(&mut rng, id);
        generation += t.elapsed();
        if id % (persons / query_count.max(1)).max(1) == 0 && queries.len() < query_count {
            queries.push(Query {
                names: vec![generated.query_name.clone()],
                birth_date: generated.person.birth_dates.first().copied(),
                ..Query::default()
            });
        }
        index.upsert(generated.person);
    }
    let build = build_start.elapsed() - generation;
    let memory = resident_memory_mb();
    println!("persons indexed:        {}", index.len());
    println!("names per person:       3");
    println!(
        "index build:            {:.1} s (data generation excluded)",
        build.as_secs_f64()
    );
    if let Some((rss, peak)) = memory {
        println!("resident memory:        {rss:.0} MB (peak {peak:.0} MB, whole process)");
    }
    println!("index:                  {index:?}");

    // Unknown people too: a screening mostly finds nobody.
    for _ in 0..query_count / 4 {
        let generated = generate(&mut rng, 0);
        queries.push(Query {
            names: vec![generated.query_name],
            birth_date: generated.person.birth_dates.first().copied(),
            ..Query::default()
        });
    }

    let options = ScreenOptions::default();
    let mut latencies = Vec::with_capacity(queries.len());
    let mut found = 0;
    let mut candidates = 0;
    for q in &queries {
        let t = Instant::now();
        let result = index.screen(q, &options);
        latencies.push(t.elapsed());
        if !result.hits.is_empty() {
            found += 1;
        }
        candidates += index.candidate_count(q);
    }
    latencies.sort();
    let total: Duration = latencies.iter().sum();
    println!(
        "queries:                {} ({} with a hit)",
        queries.len(),
        found
    );
    println!(
        "latency one core:       p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, mean {:.3} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / latencies.len().max(1) as f64
    );
    println!(
        "candidates per query:   {:.0} (mean)",
        candidates as f64 / queries.len().max(1) as f64
    );

    // Throughput of candidate scoring: score every candidate of every query, then subtract the time of
    // query analysis and candidate generation alone. Queries with a date of birth let the scorer skip the
    // name comparison of records whose date clearly conflicts; without one, every candidate is compared
    // name by name (the worst case).
    for (label, with_dates) in [("with date of birth", true), ("names only", false)] {
        let runs: Vec<Query> = queries
            .iter()
            .map(|q| Query {
                birth_date: if with_dates { q.birth_date } else { None },
                ..q.clone()
            })
            .collect();
        let t = Instant::now();
        let mut scored = 0usize;
        for q in &runs {
            scored += index.score_candidates(q);
        }
        let with_preparation = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for q in &runs {
            std::hint::black_box(index.candidate_count(q));
        }
        let preparation = t.elapsed().as_secs_f64();
        let scoring = (with_preparation - preparation).max(1e-9);
        println!(
            "candidate scorings ({label}): {:.2} million per second on one core ({scored} in {scoring:.2} s; {:.2} million per second counting query analysis and candidate generation)",
            scored as f64 / scoring / 1e6,
            scored as f64 / with_preparation / 1e6
        );
    }

    // Latency of name-only queries too.
    let mut latencies = Vec::with_capacity(queries.len());
    for q in &queries {
        let q = Query {
            birth_date: None,
            ..q.clone()
        };
        let t = Instant::now();
        std::hint::black_box(index.screen(&q, &options));
        latencies.push(t.elapsed());
    }
    latencies.sort();
    println!(
        "latency, names only:    p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}
