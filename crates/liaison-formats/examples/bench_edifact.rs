//! Throughput of the EDIFACT tokeniser and the PAXLST/PNRGOV readers on a large synthetic PAXLST built here
//! (seeded, so every run reads the same bytes) and on the largest PNRGOV samples.
//!
//! `cargo run --release -p liaison-formats --example bench_edifact [megabytes]`

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use liaison_formats::ParseOptions;
use liaison_formats::edifact::{Faults, Tokeniser, read_interchange};
use liaison_formats::{paxlst, pnrgov};

/// A small linear congruential generator: enough variety for names and numbers, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "GARCIA",
    "MUELLER",
    "O?'NEIL",
    "NGUYEN",
    "IVANOV",
    "KOWALSKI",
    "ROSSI",
    "DUBOIS",
    "SILVA",
    "ANDERSSON",
    "YILMAZ",
    "TANAKA",
    "OKAFOR",
    "HERNANDEZ",
    "SCHMIDT",
];
const GIVEN: &[&str] = &[
    "ANNA", "JOHN", "MARIA", "AHMED", "LI", "OLGA", "PEDRO", "FATIMA", "HANS", "YUKI", "SOPHIE",
];
const COUNTRIES: &[&str] = &[
    "DEU", "FRA", "USA", "GBR", "ESP", "ITA", "POL", "TUR", "JPN", "NGA",
];

/// A PAXLST interchange of about `target` bytes: one functional group of messages (flights) with two legs
/// and 1,000 passengers each, as a carrier's day of departures would be sent.
fn synthetic_paxlst(target: usize) -> (Vec<u8>, usize) {
    const PER_FLIGHT: usize = 1000;
    let mut rng = Lcg(20250601);
    let mut out = String::with_capacity(target + 4096);
    out.push_str("UNA:+.? '\nUNB+UNOA:4+BENCH AIR+GOV+250601:1200+000001++APIS'\n");
    out.push_str("UNG+PAXLST+BENCH AIR+GOV+250601:1200+1+UN+D:05B'\n");
    let mut travellers = 0usize;
    let mut messages = 0usize;
    while out.len() < target {
        messages += 1;
        let number = 100 + messages;
        out.push_str(&format!(
            "UNH+M{messages}+PAXLST:D:05B:UN:IATA'\nBGM+745'\nNAD+MS+++BENCH CONTROL'\n\
             TDT+20+BA{number}+++BA'\nLOC+125+LHR'\nDTM+189:2506011200:201'\nLOC+87+JFK'\nDTM+232:2506011500:201'\n\
             TDT+20+BA{}+++BA'\nLOC+125+JFK'\nDTM+189:2506011700:201'\nLOC+87+ORD'\nDTM+232:2506011900:201'\n",
            number + 1000
        ));
        // From UNH on: UNH, BGM, NAD and two legs of five segments.
        let mut segments = 13usize;
        for _ in 0..PER_FLIGHT {
            let surname = rng.pick(SURNAMES);
            let given = rng.pick(GIVEN);
            let middle = rng.pick(GIVEN);
            let country = rng.pick(COUNTRIES);
            let sex = if rng.next(2) == 0 { 'M' } else { 'F' };
            let (year, month, day) = (rng.next(80) + 20, rng.next(12) + 1, rng.next(28) + 1);
            let document = rng.next(1_000_000_000);
            out.push_str(&format!(
                "NAD+FL+++{surname}:{given}:{middle}'\nATT+2++{sex}'\nDTM+329:{:02}{month:02}{day:02}'\n\
                 LOC+178+LHR'\nLOC+179+ORD'\nNAT+2+{country}'\nRFF+AVF:{:06X}'\nRFF+SEA:{}{}'\n\
                 DOC+P:110:111+{document:09}'\nDTM+36:{:02}{month:02}{day:02}'\nLOC+91+{country}'\n",
                year % 100,
                rng.next(0xFFFFFF),
                rng.next(40) + 1,
                (b'A' + rng.next(6) as u8) as char,
                rng.next(10) + 26,
            ));
            segments += 11;
        }
        travellers += PER_FLIGHT;
        out.push_str(&format!(
            "CNT+42:{PER_FLIGHT}'\nUNT+{}+M{messages}'\n",
            segments + 2
        ));
    }
    out.push_str(&format!("UNE+{messages}+1'\nUNZ+1+000001'\n"));
    (out.into_bytes(), travellers)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.unwrap_or_else(f))
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

fn main() {
    let megabytes: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(64);
    let options = ParseOptions {
        strict: true,
        today: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default(),
        max_bytes: usize::MAX,
    };
    let (input, travellers) = synthetic_paxlst(megabytes * 1_000_000);
    println!(
        "synthetic PAXLST: {:.1} MB, {travellers} passengers",
        input.len() as f64 / 1e6
    );

    // Tokenising: every segment, element and component visited, nothing kept.
    let (time, components) = best_of(3, || {
        let mut faults = Faults::new(true);
        let mut components = 0usize;
        let Ok(mut tokeniser) = Tokeniser::new(&input, &options, &mut faults) else {
            return components;
        };
        while let Ok(Some(segment)) = tokeniser.next_segment(&mut faults) {
            for element in segment.elements() {
                components += element.components().count();
            }
        }
        components
    });
    println!(
        "tokenise (segments, elements, components): {:>8.1} MB/s  ({components} components, {:.0} ms)",
        mb_per_s(input.len(), time),
        time.as_secs_f64() * 1e3
    );

    let (time, segments) = best_of(3, || {
        let mut faults = Faults::new(true);
        read_interchange(&input, &options, &mut faults).map_or(0, |i| i.segments.len())
    });
    println!(
        "tokenise + envelope checks (strict):      {:>8.1} MB/s  ({segments} segments, {:.0} ms)",
        mb_per_s(input.len(), time),
        time.as_secs_f64() * 1e3
    );

    // The full reader, on a manifest under the traveller limit.
    let (manifest_input, manifest_travellers) = synthetic_paxlst(16_000_000);
    if let Err(error) = paxlst::parse(&manifest_input, &options) {
        eprintln!("the synthetic PAXLST does not read: {error}");
        std::process::exit(1);
    }
    let (time, read) = best_of(3, || {
        paxlst::parse(&manifest_input, &options).map_or(0, |m| m.travellers.len())
    });
    println!(
        "PAXLST to manifest (strict, {:.1} MB):     {:>8.1} MB/s  ({read} of {manifest_travellers} travellers, {:.0} ms)",
        manifest_input.len() as f64 / 1e6,
        mb_per_s(manifest_input.len(), time),
        time.as_secs_f64() * 1e3
    );

    let tolerant = ParseOptions {
        strict: false,
        ..options
    };
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pnrgov");
    for name in ["parsers-pnrWithBags.txt", "parsers-bigbigPnr.txt"] {
        let Ok(bytes) = std::fs::read(data.join(name)) else {
            println!("{name}: not found");
            continue;
        };
        let (time, read) = best_of(20, || {
            pnrgov::parse(&bytes, &tolerant).map_or(0, |m| m.travellers.len())
        });
        println!(
            "PNRGOV {name}: {} bytes, {read} travellers in {:.2} ms ({:.1} MB/s)",
            bytes.len(),
            time.as_secs_f64() * 1e3,
            mb_per_s(bytes.len(), time)
        );
    }
}
