//! Border screening at scale: a 10,000-traveller PAXLST manifest screened end to end against 1,000,000
//! persons with alerts and 10,000,000 listed documents, and the latency of one MRZ check through the API.
//!
//! ```text
//! cargo run --release -p liaison --example bench_border -- --db bench.sqlite --persons 1000000 \
//!     --documents 10000000 --travellers 10000
//! ```
//!
//! On first use the database is filled in batches: `--persons` persons `p1`.. with a passport each (`d1`..,
//! one in ten listed as stolen) and a `wanted_for_arrest` alert each (`a1`..), and `--documents` stolen or
//! lost documents without holder (`x1`..). Family names are built from syllables with a long tail (a few
//! hundred thousand possible, Zipf-like) and a third of the persons also carry a Cyrillic spelling: a watch
//! list of a million people has that many different names, and a name index's speed depends on it (a
//! handful of names shared by tens of thousands of persons would measure a pathological list, not a real
//! one). Later runs reuse the database.
//!
//! Then, timed separately: building the screening index (as `serve` does at start); reading and screening
//! the manifest through `border::screen_manifest` (parse, names through the matching engine on every core,
//! documents through the check index, alerts of every hit, audit entry, stored run), three times; and
//! `--mrz-requests` sequential `POST /api/v1/mrz/check` requests to the node served on 127.0.0.1, with their
//! latency percentiles. The manifest carries `--planted` listed persons (Latin spelling of their name, in
//! upper case as airlines write it, with their date of birth) and as many travellers with a listed document;
//! the others have names drawn from a list the persons file never uses. The figures printed include how many
//! planted travellers were found and how many of the others raised a hit.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use liaison_core::{CountryCode, NodeId, RecordType, Role};
use liaison_server::services::border::{self, ManifestRequest};
use liaison_server::services::records::AccessReason;
use liaison_server::services::screening::ScreeningIndex;
use liaison_server::services::{Caller, users};
use liaison_server::{Node, NodeSettings, SystemClock};
use liaison_store::StoredRecord;

#[derive(Debug, Parser)]
#[command(about = "Measures manifest screening and MRZ checks at scale")]
struct Args {
    /// The SQLite database to fill (first run) or reuse.
    #[arg(long)]
    db: PathBuf,
    /// Wanted persons to store on first use (each with a passport and an alert).
    #[arg(long, default_value_t = 1_000_000)]
    persons: u64,
    /// Listed documents without holder to add on first use.
    #[arg(long, default_value_t = 10_000_000)]
    documents: u64,
    #[arg(long, default_value_t = 10_000)]
    travellers: usize,
    /// Listed persons planted among the travellers (and as many listed documents).
    #[arg(long, default_value_t = 50)]
    planted: usize,
    #[arg(long, default_value_t = 2_000)]
    mrz_requests: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Names the synthetic persons never use, for the honest travellers.
const HONEST_GIVEN: &[&str] = &[
    "OLIVER", "AMELIA", "HARRY", "ISLA", "GEORGE", "AVA", "NOAH", "MIA", "JACK", "GRACE", "LEO",
    "FREYA", "ARTHUR", "LILY", "OSCAR", "EVIE", "HENRY", "ROSIE", "FINLEY", "IVY",
];
const HONEST_FAMILY: &[&str] = &[
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "TAYLOR", "DAVIES", "WILSON", "EVANS", "THOMAS",
    "ROBERTS", "WALKER", "WRIGHT", "THOMPSON", "WHITE", "HUGHES", "EDWARDS", "GREEN", "HALL",
    "WOOD", "HARRIS", "MARTIN", "JACKSON", "CLARKE", "TURNER", "HILL", "SCOTT", "COOPER", "MORRIS",
];

/// CPU seconds (user + system) this process has used so far.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime
    // the 13th, in clock ticks of 1/100 s.
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    liaison_crypto::install_crypto_provider();
    let url = format!("sqlite://{}", args.db.display());
    let store = liaison_store::open(&url)
        .await
        .context("cannot open the database")?;
    let node = Node {
        id: NodeId::parse("node-bench")?,
        country: CountryCode::parse("XAA")?,
        store,
        clock: Arc::new(SystemClock),
        settings: NodeSettings {
            secure_cookies: false,
            ..NodeSettings::default()
        },
        screening: None,
        federation: None,
        graph: Default::default(),
    };
    fill(&node, &args).await?;
    let counts = node.store.count_records().await?;
    println!("records: {counts:?}");

    let started = Instant::now();
    let index = ScreeningIndex::build(node.store.as_ref()).await?;
    println!(
        "screening index: {} persons and documents, {} listed objects, built in {:.1} s, RSS {} MiB",
        index.len(),
        index.listed_objects(),
        started.elapsed().as_secs_f64(),
        rss_mib().unwrap_or(0)
    );
    let mut node = node;
    node.screening = Some(Arc::new(index));

    let (manifest, planted_people, planted_documents) = build_manifest(&node, &args).await?;
    println!(
        "manifest: {} travellers, {:.1} MB PAXLST",
        args.travellers,
        manifest.len() as f64 / 1e6
    );
    let reason = AccessReason {
        purpose: Some("border_check".into()),
        case_ref: None,
    };
    for round in 1..=3 {
        let started = Instant::now();
        let cpu_before = cpu_seconds();
        let report = border::screen_manifest(
            &node,
            &Caller::cli(),
            manifest.as_bytes(),
            &ManifestRequest::default(),
            &reason,
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_before;
        let found_people = planted_people
            .iter()
            .filter(|&&i| report.travellers[i].band != "none")
            .count();
        let found_documents = planted_documents
            .iter()
            .filter(|&&i| report.travellers[i].document_status != "not_listed")
            .count();
        let honest: Vec<&liaison_proto::border::TravellerReport> = report
            .travellers
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                !planted_people.contains(i) && !planted_documents.contains(i) && t.band != "none"
            })
            .map(|(_, t)| t)
            .collect();
        let honest_hits = honest.len();
        if round == 1 {
            for traveller in honest.iter().take(5) {
                let hit = &traveller.hits[0];
                println!(
                    "  hit on an honest traveller: {} {} -> {} {} {:.2}: {}",
                    traveller.name,
                    traveller.birth_date.as_deref().unwrap_or("?"),
                    hit.kind,
                    hit.record
                        .as_ref()
                        .and_then(|r| r.id.as_deref())
                        .unwrap_or(""),
                    hit.score,
                    hit.explanation
                        .iter()
                        .map(|e| e.text.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
        }
        println!(
            "round {round}: screened in {seconds:.2} s end to end ({cpu:.2} CPU-seconds, {:.0} travellers/s); planted persons found {found_people}/{}, planted documents found {found_documents}/{}, honest travellers with a hit {honest_hits}/{}; RSS {} MiB",
            args.travellers as f64 / seconds,
            planted_people.len(),
            planted_documents.len(),
            args.travellers - planted_people.len() - planted_documents.len(),
            rss_mib().unwrap_or(0)
        );
    }

    mrz_latency(&node, &args).await
}

/// Imports the persons and adds the listed documents, unless the database has them already.
async fn fill(node: &Node, args: &Args) -> anyhow::Result<()> {
    let counts = node.store.count_records().await?;
    if counts.get(&RecordType::Person).copied().unwrap_or(0) == 0 {
        let started = Instant::now();
        let mut rng = SplitMix64(args.seed);
        let mut batch = Vec::with_capacity(30_000);
        for i in 1..=args.persons {
            batch.extend(wanted_person(&mut rng, i, node.id.as_str()));
            if batch.len() >= 30_000 {
                node.store.put_records(&batch, chrono::Utc::now()).await?;
                batch.clear();
            }
            if i % 200_000 == 0 {
                println!(
                    "  {i} persons stored ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        if !batch.is_empty() {
            node.store.put_records(&batch, chrono::Utc::now()).await?;
        }
        println!(
            "stored {} persons with passports and alerts in {:.1} s",
            args.persons,
            started.elapsed().as_secs_f64()
        );
    }
    let present = node
        .store
        .get_record(RecordType::Document, &format!("x{}", args.documents))
        .await?;
    if present.is_none() && args.documents > 0 {
        let started = Instant::now();
        let mut rng = SplitMix64(args.seed ^ 0xD0C5);
        let mut batch = Vec::with_capacity(20_000);
        for i in 1..=args.documents {
            let number = listed_number(i);
            let status = if rng.below(4) == 0 { "lost" } else { "stolen" };
            let country = ["XAA", "XBB", "XCC", "DEU", "FRA", "RUS"][rng.below(6) as usize];
            batch.push(StoredRecord {
                record_type: RecordType::Document,
                id: format!("x{i}"),
                owner: node.id.to_string(),
                handling_code: "H0".into(),
                retain_until: None,
                references: Vec::new(),
                body: format!(
                    r#"{{"type":"document","id":"x{i}","kind":"P","number":"{number}","issuing_country":"{country}","status":"{status}"}}"#
                ),
            });
            if batch.len() == 20_000 {
                node.store.put_records(&batch, chrono::Utc::now()).await?;
                batch.clear();
            }
            if i % 1_000_000 == 0 {
                println!(
                    "  {i} documents stored ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        if !batch.is_empty() {
            node.store.put_records(&batch, chrono::Utc::now()).await?;
        }
        println!(
            "stored {} listed documents in {:.1} s",
            args.documents,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Latin syllables of family names with a Cyrillic spelling of each.
const SYLLABLES: &[(&str, &str)] = &[
    ("KA", "КА"),
    ("RO", "РО"),
    ("MI", "МИ"),
    ("LE", "ЛЕ"),
    ("TA", "ТА"),
    ("NO", "НО"),
    ("VI", "ВИ"),
    ("SA", "СА"),
    ("DU", "ДУ"),
    ("BE", "БЕ"),
    ("GO", "ГО"),
    ("PA", "ПА"),
    ("ZE", "ЗЕ"),
    ("LI", "ЛИ"),
    ("MO", "МО"),
    ("RA", "РА"),
    ("TE", "ТЕ"),
    ("NI", "НИ"),
    ("VO", "ВО"),
    ("SE", "СЕ"),
    ("DA", "ДА"),
    ("BO", "БО"),
    ("GA", "ГА"),
    ("PE", "ПЕ"),
    ("ZA", "ЗА"),
    ("LO", "ЛО"),
    ("MA", "МА"),
    ("RI", "РИ"),
    ("TO", "ТО"),
    ("NA", "НА"),
    ("KRA", "КРА"),
    ("STO", "СТО"),
    ("BRI", "БРИ"),
    ("DRO", "ДРО"),
    ("PLE", "ПЛЕ"),
    ("GRU", "ГРУ"),
    ("KHA", "ХА"),
    ("SHI", "ШИ"),
    ("CHE", "ЧЕ"),
    ("ZHU", "ЖУ"),
    ("YA", "Я"),
    ("FE", "ФЕ"),
    ("KU", "КУ"),
    ("TRI", "ТРИ"),
    ("VLA", "ВЛА"),
    ("SMO", "СМО"),
];
const ENDINGS: &[(&str, &str)] = &[
    ("NOV", "НОВ"),
    ("RIN", "РИН"),
    ("LEV", "ЛЕВ"),
    ("SKI", "СКИ"),
    ("VICH", "ВИЧ"),
    ("NKO", "НКО"),
    ("DZE", "ДЗЕ"),
    ("SHVILI", "ШВИЛИ"),
    ("YAN", "ЯН"),
    ("OGLU", "ОГЛУ"),
    ("ESCU", "ЕСКУ"),
    ("NEN", "НЕН"),
    ("MANN", "МАНН"),
    ("BERG", "БЕРГ"),
    ("DI", "ДИ"),
    ("S", "С"),
];
const GIVEN: &[(&str, &str)] = &[
    ("IVAN", "ИВАН"),
    ("OLGA", "ОЛЬГА"),
    ("PETR", "ПЕТР"),
    ("ANNA", "АННА"),
    ("OMAR", "ОМАР"),
    ("LEILA", "ЛЕЙЛА"),
    ("MARKO", "МАРКО"),
    ("NINA", "НИНА"),
    ("DAVID", "ДАВИД"),
    ("SARA", "САРА"),
    ("ARMEN", "АРМЕН"),
    ("ELENA", "ЕЛЕНА"),
    ("GIORGI", "ГИОРГИ"),
    ("MARIA", "МАРИЯ"),
    ("ALI", "АЛИ"),
    ("VERA", "ВЕРА"),
    ("TIMUR", "ТИМУР"),
    ("ZARA", "ЗАРА"),
    ("PAVEL", "ПАВЕЛ"),
    ("IRINA", "ИРИНА"),
    ("STEFAN", "СТЕФАН"),
    ("DANA", "ДАНА"),
    ("RUSLAN", "РУСЛАН"),
    ("MILA", "МИЛА"),
    ("KARIM", "КАРИМ"),
    ("YANA", "ЯНА"),
    ("BORIS", "БОРИС"),
    ("LIDA", "ЛИДА"),
    ("EMIL", "ЭМИЛЬ"),
    ("INNA", "ИННА"),
];

/// Roughly Zipf-distributed index into `0..n`: a few parts are frequent, most are rare.
fn zipf(rng: &mut SplitMix64, n: usize) -> usize {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    ((n as f64).powf(u) - 1.0) as usize % n
}

/// A person with a passport and an arrest alert, as stored records.
fn wanted_person(rng: &mut SplitMix64, i: u64, owner: &str) -> [StoredRecord; 3] {
    let (given, given_cyr) = GIVEN[zipf(rng, GIVEN.len())];
    let mut family = String::new();
    let mut family_cyr = String::new();
    for _ in 0..2 + rng.below(2) {
        let (latin, cyrillic) = SYLLABLES[zipf(rng, SYLLABLES.len())];
        family.push_str(latin);
        family_cyr.push_str(cyrillic);
    }
    let (latin, cyrillic) = ENDINGS[rng.below(ENDINGS.len() as u64) as usize];
    family.push_str(latin);
    family_cyr.push_str(cyrillic);
    let birth = format!(
        "{}-{:02}-{:02}",
        1945 + rng.below(60),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let nationality = ["XAA", "XBB", "XCC", "RUS", "GEO", "ARM", "TUR"][rng.below(7) as usize];
    let mut names = format!(
        r#"{{"full":"{given} {family}","given":"{given}","family":"{family}","kind":"primary"}}"#
    );
    if rng.below(3) == 0 {
        let _ = write!(
            names,
            r#",{{"full":"{family_cyr} {given_cyr}","given":"{given_cyr}","family":"{family_cyr}","kind":"alias"}}"#
        );
    }
    let sex = if rng.below(2) == 0 { "M" } else { "F" };
    let stored = |record_type, id: String, references, body| StoredRecord {
        record_type,
        id,
        owner: owner.to_owned(),
        handling_code: "H0".into(),
        retain_until: None,
        references,
        body,
    };
    let person = stored(
        RecordType::Person,
        format!("p{i}"),
        Vec::new(),
        format!(
            r#"{{"type":"person","id":"p{i}","names":[{names}],"birth_dates":["{birth}"],"sex":"{sex}","nationalities":["{nationality}"]}}"#
        ),
    );
    let status = if rng.below(10) == 0 {
        "stolen"
    } else {
        "valid"
    };
    let document = stored(
        RecordType::Document,
        format!("d{i}"),
        vec![(RecordType::Person, format!("p{i}"))],
        format!(
            r#"{{"type":"document","id":"d{i}","kind":"P","number":"W{i:08}","issuing_country":"{nationality}","holder":"p{i}","status":"{status}"}}"#
        ),
    );
    let alert = stored(
        RecordType::Alert,
        format!("a{i}"),
        vec![(RecordType::Person, format!("p{i}"))],
        format!(
            r#"{{"type":"alert","id":"a{i}","category":"wanted_for_arrest","subject":"p{i}","action":"Arrest; notify the issuing authority within 12 hours"}}"#
        ),
    );
    [person, document, alert]
}

/// The number of listed document `x{i}`: two letters and seven digits, unique per `i`.
fn listed_number(i: u64) -> String {
    let letters = [
        b'A' + (i / 10_000_000 % 26) as u8,
        b'A' + (i / 260_000_000 % 26) as u8,
    ];
    format!(
        "{}{}{:07}",
        letters[0] as char,
        letters[1] as char,
        i % 10_000_000
    )
}

struct Planted {
    surname: String,
    given: String,
    birth: String,
    document: String,
}

/// Reads listed persons (with their passports) to plant among the travellers.
async fn planted_persons(node: &Node, count: usize, seed: u64) -> anyhow::Result<Vec<Planted>> {
    let mut rng = SplitMix64(seed);
    let mut found = Vec::new();
    let mut after = rng.below(100_000) as i64;
    while found.len() < count {
        let page = node.store.records_page(after, 2_000).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last + rng.below(20_000) as i64;
        for (_, stored) in page
            .iter()
            .filter(|(_, r)| r.record_type == RecordType::Person)
        {
            let body: serde_json::Value = serde_json::from_str(&stored.body)?;
            let latin = body["names"].as_array().into_iter().flatten().find(|n| {
                n["full"]
                    .as_str()
                    .is_some_and(|f| f.chars().all(|c| c.is_ascii_alphabetic() || c == ' '))
                    && n["family"].is_string()
                    && n["given"].is_string()
            });
            let birth = body["birth_dates"][0].as_str().filter(|b| b.len() == 10);
            let (Some(name), Some(birth)) = (latin, birth) else {
                continue;
            };
            let document = node
                .store
                .referencing(RecordType::Person, &stored.id)
                .await?
                .into_iter()
                .find(|(t, _)| *t == RecordType::Document);
            let number = match document {
                Some((_, id)) => node
                    .store
                    .get_record(RecordType::Document, &id)
                    .await?
                    .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.body).ok())
                    .and_then(|d| d["number"].as_str().map(str::to_owned))
                    .unwrap_or_default(),
                None => String::new(),
            };
            found.push(Planted {
                surname: name["family"].as_str().unwrap_or("").to_uppercase(),
                given: name["given"].as_str().unwrap_or("").to_uppercase(),
                birth: birth.to_owned(),
                document: number,
            });
            break;
        }
    }
    Ok(found)
}

/// A PAXLST (D:05B) with the planted travellers spread among honest ones.
async fn build_manifest(
    node: &Node,
    args: &Args,
) -> anyhow::Result<(String, Vec<usize>, Vec<usize>)> {
    let people = planted_persons(node, args.planted, args.seed).await?;
    let mut rng = SplitMix64(args.seed ^ 0x5EED);
    let mut slots: Vec<usize> = (0..args.travellers).collect();
    for i in (1..slots.len()).rev() {
        slots.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let person_slots: Vec<usize> = slots[..people.len()].to_vec();
    let document_slots: Vec<usize> =
        slots[people.len()..people.len() + args.planted.min(args.travellers)].to_vec();

    let mut out = String::with_capacity(args.travellers * 260);
    out.push_str("UNA:+.? '");
    out.push_str("UNB+UNOA:4+BENCHAIR:ZZ+XAAPIU:ZZ+261201:0900+BENCH1'");
    out.push_str("UNG+PAXLST+BENCHAIR:ZZ+XAAPIU:ZZ+261201:0900+1+UN+D:05B'");
    out.push_str("UNH+1+PAXLST:D:05B:UN:IATA+BENCH1+01:F'");
    out.push_str("BGM+745'");
    out.push_str("NAD+MS+++BENCH AIR OPS'");
    out.push_str("TDT+20+XA100'");
    out.push_str("LOC+125+AAA'DTM+189:2612011000:201'");
    out.push_str("LOC+87+BBB'DTM+232:2612011300:201'");
    let mut segments = 9;
    for t in 0..args.travellers {
        let (surname, given, birth, document) =
            if let Some(k) = person_slots.iter().position(|&s| s == t) {
                let p = &people[k];
                (
                    p.surname.clone(),
                    p.given.clone(),
                    p.birth.clone(),
                    p.document.clone(),
                )
            } else {
                let surname = HONEST_FAMILY[rng.below(HONEST_FAMILY.len() as u64) as usize];
                let given = HONEST_GIVEN[rng.below(HONEST_GIVEN.len() as u64) as usize];
                let birth = format!(
                    "{}-{:02}-{:02}",
                    1940 + rng.below(65),
                    1 + rng.below(12),
                    1 + rng.below(28)
                );
                let document = if document_slots.contains(&t) {
                    listed_number(1 + rng.below(args.documents.max(1)))
                } else {
                    format!("ZZ{:07}", rng.below(10_000_000))
                };
                (surname.to_owned(), given.to_owned(), birth, document)
            };
        let dob = birth.replace('-', "");
        let dob = dob.get(2..).unwrap_or("");
        let surname = surname.replace(['\'', '+', ':', '?'], " ");
        let given = given.replace(['\'', '+', ':', '?'], " ");
        let _ = write!(
            out,
            "NAD+FL+++{surname}:{given}'ATT+2++M'DTM+329:{dob}'LOC+178+AAA'LOC+179+BBB'NAT+2+XAA'DOC+P+{document}'DTM+36:301231'LOC+91+XAA'"
        );
        segments += 9;
    }
    let _ = write!(out, "CNT+42:{}'", args.travellers);
    segments += 1;
    let _ = write!(out, "UNT+{}+1'UNE+1+1'UNZ+1+BENCH1'", segments + 1);
    Ok((out, person_slots, document_slots))
}

/// Sequential MRZ checks through the API, one connection kept alive, with latency percentiles.
async fn mrz_latency(node: &Node, args: &Args) -> anyhow::Result<()> {
    let caller = Caller::cli();
    let username = format!("bench-{}", std::process::id());
    users::create_user(
        node,
        &caller,
        &username,
        &[Role::Officer],
        Some("a long enough password"),
    )
    .await?;
    let (_, token) = users::create_token(node, &caller, &username, None).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let served = node.clone();
    tokio::spawn(async move {
        liaison_server::http::serve(listener, served, std::future::pending()).await
    });
    let client = reqwest::Client::new();
    let zones: Vec<serde_json::Value> = (1..=args.mrz_requests as u64)
        .map(|i| {
            let number = listed_number(1 + (i * 7919) % args.documents.max(1));
            let lines = liaison_formats::mrz::generate(&liaison_formats::mrz::MrzFields {
                format: liaison_formats::mrz::MrzFormat::Td3,
                document_code: "P".into(),
                issuing_state: "XAA".into(),
                surname: HONEST_FAMILY[(i % 28) as usize].into(),
                given_names: HONEST_GIVEN[(i % 20) as usize].into(),
                document_number: number,
                nationality: "XAA".into(),
                birth_date: chrono::NaiveDate::from_ymd_opt(
                    1960 + (i % 40) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                ),
                sex: Some('F'),
                expiry_date: chrono::NaiveDate::from_ymd_opt(2030, 1, 1),
                optional_data: String::new(),
                optional_data_2: String::new(),
            })
            .unwrap_or_default();
            serde_json::json!({ "lines": lines })
        })
        .collect();
    let mut latencies = Vec::with_capacity(zones.len());
    for (i, zone) in zones.iter().enumerate() {
        let started = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/mrz/check"))
            .bearer_auth(token.expose())
            .json(zone)
            .send()
            .await?;
        let status = response.status();
        let _ = response.bytes().await?;
        if !status.is_success() {
            bail!("request {i} answered {status}");
        }
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let at = |q: f64| -> Duration {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "MRZ check through the API ({} sequential requests): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.90).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3
    );
    Ok(())
}
