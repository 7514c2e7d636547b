//! Exercise scenarios for Liaison: several fictional countries (`XAA`, `XBB`, ...) with native-script
//! populations, two criminal networks spanning all of them, alerts of every kind with the action an officer
//! must take, the same people recorded in several countries with realistic variants, flights between the
//! countries as PAXLST and PNRGOV messages carrying wanted persons and stolen passports among honest
//! travellers, and the ground truth to score an exercise against.
//!
//! Entry point: [`generate_to_dir`] with a [`ScenarioConfig`]; [`countries`] tells where each country's
//! records go without generating anything. Output is byte-identical for the same configuration. What is
//! generated and the layout of the ground truth are described in `docs/scenarios.md`.

mod cast;
mod data;
mod edifact;
mod error;
mod json;
mod locale;
mod naming;
mod numbers;
mod output;
mod plant;
mod population;
mod records;
pub mod score;
mod texts;
mod travel;
mod truth;
mod world;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{Duration, NaiveDate};

pub use error::ScenarioError;
pub use output::{GROUND_TRUTH_FILE, MANIFESTS_DIR, RECORDS_DIR, SUMMARY_FILE};
pub use population::RecordCounts;
pub use travel::Expected;
pub use truth::GROUND_TRUTH_VERSION;
pub use world::{CountryInfo, countries};

use plant::CountryPlan;
use population::{Resident, Scratch, write_resident};
use world::World;

/// Most countries a scenario can have: one per letter of the user-assigned codes `XAA`..`XZZ`.
pub const MAX_COUNTRIES: usize = 26;
/// Fewest residents per country.
pub const MIN_PERSONS: usize = 10;
/// Most residents per country (numbering plans and file sizes stay sane below it).
pub const MAX_PERSONS: usize = 5_000_000;

/// The exercise day used unless the caller picks another: fixed, so a seed alone decides the output.
pub fn default_exercise_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioConfig {
    pub seed: u64,
    /// 1 to 26.
    pub countries: usize,
    /// Ordinary residents per country; the planted cast (a few dozen persons per country) comes on top.
    pub persons_per_country: usize,
    /// "Today" in the scenario: flights leave in the week after it, alerts and documents are dated around it.
    pub exercise_date: NaiveDate,
}

impl ScenarioConfig {
    /// A configuration on [`default_exercise_date`].
    pub fn new(seed: u64, countries: usize, persons_per_country: usize) -> Self {
        ScenarioConfig {
            seed,
            countries,
            persons_per_country,
            exercise_date: default_exercise_date(),
        }
    }

    pub fn validate(&self) -> Result<(), ScenarioError> {
        if !(1..=MAX_COUNTRIES).contains(&self.countries) {
            return Err(ScenarioError::Config {
                field: "countries",
                reason: format!(
                    "{} is out of range: use 1 to {MAX_COUNTRIES} (one per code XAA..XZZ)",
                    self.countries
                ),
            });
        }
        if !(MIN_PERSONS..=MAX_PERSONS).contains(&self.persons_per_country) {
            return Err(ScenarioError::Config {
                field: "persons",
                reason: format!(
                    "{} per country is out of range: use {MIN_PERSONS} to {MAX_PERSONS}",
                    self.persons_per_country
                ),
            });
        }
        use chrono::Datelike;
        if !(2000..=2090).contains(&self.exercise_date.year()) {
            return Err(ScenarioError::Config {
                field: "exercise_date",
                reason: format!(
                    "{} is out of range: use a date from 2000 to 2090",
                    self.exercise_date
                ),
            });
        }
        Ok(())
    }
}

/// Progress reports, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The cast is planned; countries are being written.
    Started {
        countries: usize,
        persons_per_country: usize,
    },
    /// Persons written so far to one country's file (residents and planted).
    Persons {
        country: String,
        written: u64,
        total: u64,
    },
    /// A country's file is complete.
    CountryDone {
        country: String,
        counts: RecordCounts,
    },
    /// Manifests written so far.
    Manifests { written: usize, total: usize },
    /// Everything is written.
    Finished,
}

/// One country as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountrySummary {
    pub info: CountryInfo,
    pub counts: RecordCounts,
    /// Size of its records file.
    pub bytes: u64,
}

/// One flight's manifests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestSummary {
    pub flight: String,
    /// Country code of departure; `None` for the hub outside the scenario.
    pub from: Option<String>,
    pub to: String,
    /// Paths relative to the scenario directory.
    pub paxlst: PathBuf,
    pub pnrgov: PathBuf,
    pub travellers: usize,
    /// Travellers a screening should hit (wanted person, stolen document or both).
    pub expected_hits: usize,
}

/// What [`generate_to_dir`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSummary {
    pub dir: PathBuf,
    /// Every file written, relative to `dir`.
    pub files: Vec<PathBuf>,
    pub countries: Vec<CountrySummary>,
    pub manifests: Vec<ManifestSummary>,
    pub travellers: usize,
    /// Travellers that should be hit, by reason.
    pub wanted_person_hits: usize,
    pub stolen_document_hits: usize,
    pub both_hits: usize,
    /// Persons recorded in more than one country, and networks planted.
    pub cross_border_identities: usize,
    pub networks: usize,
    pub ground_truth: PathBuf,
}

impl ScenarioSummary {
    pub fn planted_hits(&self) -> usize {
        self.wanted_person_hits + self.stolen_document_hits + self.both_hits
    }
}

/// Generates a scenario into `dir` (created if missing; refused if it holds anything but a previous
/// scenario). Countries are written in parallel, one file each; progress is reported from this thread.
pub fn generate_to_dir(
    config: &ScenarioConfig,
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<ScenarioSummary, ScenarioError> {
    config.validate()?;
    output::prepare(dir)?;
    let mut world = World::new(config)?;
    let mut cast = cast::build(&world);
    let slots = plant::assign_slots(&world, &mut cast);
    world.id_width = slots.iter().map(|s| plant::id_width(*s)).collect();
    let plans: Vec<CountryPlan> = slots
        .iter()
        .enumerate()
        .map(|(country, total)| plant::plan_country(&world, &cast, country, *total))
        .collect();
    progress(Progress::Started {
        countries: config.countries,
        persons_per_country: config.persons_per_country,
    });

    let results = write_countries(&world, &plans, dir, progress)?;
    let mut countries_out = Vec::new();
    let mut files = Vec::new();
    for (info, (counts, bytes)) in world.countries.iter().zip(results) {
        files.push(info.records_file.clone());
        countries_out.push(CountrySummary {
            info: info.clone(),
            counts,
            bytes,
        });
    }

    let flights = travel::plan_flights(&world, &cast, &plans)?;
    let mut manifests = Vec::new();
    let total = flights.len();
    for (n, flight) in flights.iter().enumerate() {
        let stem = flight.stem();
        let to = world.code(flight.to).to_owned();
        let prepared = flight.departure - Duration::minutes(45);
        let paxlst_path = PathBuf::from(MANIFESTS_DIR).join(format!("{stem}.paxlst.edi"));
        let pnrgov_path = PathBuf::from(MANIFESTS_DIR).join(format!("{stem}.pnrgov.edi"));
        let recipient = format!("{to}APIS");
        let paxlst = edifact::paxlst(
            flight,
            &format!("{}APIS", flight.carrier),
            &recipient,
            prepared,
        );
        output::write_atomically(&dir.join(&paxlst_path), paxlst.as_bytes())?;
        let pnr_prepared = flight.departure - Duration::hours(48);
        let pnrgov = edifact::pnrgov(flight, &format!("{to}PIU"), pnr_prepared);
        output::write_atomically(&dir.join(&pnrgov_path), pnrgov.as_bytes())?;
        files.push(paxlst_path.clone());
        files.push(pnrgov_path.clone());
        manifests.push(ManifestSummary {
            flight: flight.number.clone(),
            from: flight.from.map(|c| world.code(c).to_owned()),
            to,
            paxlst: paxlst_path,
            pnrgov: pnrgov_path,
            travellers: flight.travellers.len(),
            expected_hits: flight
                .travellers
                .iter()
                .filter(|t| t.expected != Expected::Honest)
                .count(),
        });
        progress(Progress::Manifests {
            written: n + 1,
            total,
        });
    }

    let truth = truth::ground_truth(&world, &cast, &plans, &flights, &countries_out, &manifests)?;
    let truth_bytes = serde_json::to_vec_pretty(&truth).map_err(|e| ScenarioError::Generated {
        what: "ground truth".to_owned(),
        reason: e.to_string(),
    })?;
    output::write_atomically(&dir.join(GROUND_TRUTH_FILE), &truth_bytes)?;
    files.push(PathBuf::from(GROUND_TRUTH_FILE));

    let count = |e: Expected| {
        flights
            .iter()
            .flat_map(|f| &f.travellers)
            .filter(|t| t.expected == e)
            .count()
    };
    let summary = ScenarioSummary {
        dir: dir.to_owned(),
        files: Vec::new(),
        travellers: flights.iter().map(|f| f.travellers.len()).sum(),
        wanted_person_hits: count(Expected::WantedPerson),
        stolen_document_hits: count(Expected::StolenDocument),
        both_hits: count(Expected::Both),
        cross_border_identities: cast
            .identities
            .iter()
            .filter(|i| i.appearances.len() > 1)
            .count(),
        networks: cast.networks.len(),
        countries: countries_out,
        manifests,
        ground_truth: PathBuf::from(GROUND_TRUTH_FILE),
    };
    files.push(PathBuf::from(SUMMARY_FILE));
    let summary_json = summary_json(config, &summary);
    let summary_bytes =
        serde_json::to_vec_pretty(&summary_json).map_err(|e| ScenarioError::Generated {
            what: "scenario summary".to_owned(),
            reason: e.to_string(),
        })?;
    output::write_atomically(&dir.join(SUMMARY_FILE), &summary_bytes)?;
    progress(Progress::Finished);
    Ok(ScenarioSummary { files, ..summary })
}

fn counts_json(counts: &RecordCounts) -> serde_json::Value {
    serde_json::json!({
        "persons": counts.persons,
        "documents": counts.documents,
        "vehicles": counts.vehicles,
        "alerts": counts.alerts,
        "relations": counts.relations,
        "cases": counts.cases,
    })
}

fn summary_json(config: &ScenarioConfig, summary: &ScenarioSummary) -> serde_json::Value {
    serde_json::json!({
        "liaison_scenario": 1,
        "seed": config.seed,
        "countries_requested": config.countries,
        "persons_per_country": config.persons_per_country,
        "exercise_date": records::iso(config.exercise_date),
        "countries": summary.countries.iter().map(|c| serde_json::json!({
            "code": c.info.code,
            "node": c.info.node_id,
            "locale": c.info.locale,
            "script": c.info.script,
            "records": c.info.records_file.display().to_string(),
            "airports": c.info.airports,
            "carrier": c.info.carrier,
            "counts": counts_json(&c.counts),
        })).collect::<Vec<_>>(),
        "manifests": summary.manifests.iter().map(|m| serde_json::json!({
            "flight": m.flight,
            "from": m.from,
            "to": m.to,
            "paxlst": m.paxlst.display().to_string(),
            "pnrgov": m.pnrgov.display().to_string(),
            "travellers": m.travellers,
            "expected_hits": m.expected_hits,
        })).collect::<Vec<_>>(),
        "travellers": summary.travellers,
        "expected_hits": {
            "wanted_person": summary.wanted_person_hits,
            "stolen_document": summary.stolen_document_hits,
            "both": summary.both_hits,
        },
        "cross_border_identities": summary.cross_border_identities,
        "networks": summary.networks,
        "ground_truth": GROUND_TRUTH_FILE,
    })
}

/// How often a worker reports progress, in persons.
const PROGRESS_EVERY: usize = 1 << 16;
/// Bytes gathered before a write to the file.
const FLUSH_AT: usize = 256 * 1024;

enum WorkerMessage {
    Progress(Progress),
    Done(usize, Result<(RecordCounts, u64), ScenarioError>),
}

/// Writes every country's file, in parallel on the machine's cores, reporting progress from this thread.
fn write_countries(
    world: &World,
    plans: &[CountryPlan],
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<(RecordCounts, u64)>, ScenarioError> {
    let k = world.countries.len();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, k);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<WorkerMessage>();
    let mut results: Vec<Option<Result<(RecordCounts, u64), ScenarioError>>> =
        (0..k).map(|_| None).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let country = next.fetch_add(1, Ordering::Relaxed);
                    if country >= k {
                        break;
                    }
                    let result = match plans.get(country) {
                        Some(plan) => write_country(world, plan, country, dir, &tx),
                        None => Err(ScenarioError::Worker {
                            country: world.code(country).to_owned(),
                        }),
                    };
                    let failed = result.is_err();
                    let _ = tx.send(WorkerMessage::Done(country, result));
                    if failed {
                        // Stop taking countries; the others finish theirs.
                        next.store(k, Ordering::Relaxed);
                    }
                }
            });
        }
        drop(tx);
        for message in rx {
            match message {
                WorkerMessage::Progress(p) => progress(p),
                WorkerMessage::Done(country, result) => {
                    if let Ok((counts, _)) = &result {
                        progress(Progress::CountryDone {
                            country: world.code(country).to_owned(),
                            counts: *counts,
                        });
                    }
                    if let Some(slot) = results.get_mut(country) {
                        *slot = Some(result);
                    }
                }
            }
        }
    });
    results
        .into_iter()
        .enumerate()
        .map(|(country, result)| {
            result.unwrap_or_else(|| {
                Err(ScenarioError::Worker {
                    country: world.code(country).to_owned(),
                })
            })
        })
        .collect()
}

fn write_country(
    world: &World,
    plan: &CountryPlan,
    country: usize,
    dir: &Path,
    tx: &mpsc::Sender<WorkerMessage>,
) -> Result<(RecordCounts, u64), ScenarioError> {
    let info = world
        .countries
        .get(country)
        .ok_or_else(|| ScenarioError::Worker {
            country: world.code(country).to_owned(),
        })?;
    let path = dir.join(&info.records_file);
    let tmp = output::temporary(&path);
    let file = std::fs::File::create(&tmp).map_err(|e| ScenarioError::io(&tmp, e))?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    let mut bytes = 0u64;
    let mut buffer = String::with_capacity(FLUSH_AT + 64 * 1024);
    let mut flush = |buffer: &mut String, writer: &mut BufWriter<std::fs::File>| {
        bytes += buffer.len() as u64;
        let result = writer.write_all(buffer.as_bytes());
        buffer.clear();
        result
    };
    buffer.push_str("{\"liaison_format\":1}\n");
    let mut counts = RecordCounts::default();
    let mut scratch = Scratch::default();
    let mut planted = plan.planted.iter().peekable();
    let total = plan.slots as u64;
    for slot in 0..plan.slots {
        match planted.peek() {
            Some((planted_slot, lines)) if *planted_slot == slot => {
                buffer.push_str(lines);
                planted.next();
            }
            _ => {
                let resident = Resident::generate(world, country, slot);
                write_resident(world, &resident, &mut scratch, &mut buffer, &mut counts);
            }
        }
        if buffer.len() >= FLUSH_AT {
            flush(&mut buffer, &mut writer).map_err(|e| ScenarioError::io(&tmp, e))?;
        }
        if (slot + 1) % PROGRESS_EVERY == 0 {
            let _ = tx.send(WorkerMessage::Progress(Progress::Persons {
                country: info.code.clone(),
                written: slot as u64 + 1,
                total,
            }));
        }
    }
    buffer.push_str(&plan.trailer);
    flush(&mut buffer, &mut writer).map_err(|e| ScenarioError::io(&tmp, e))?;
    let file = writer
        .into_inner()
        .map_err(|e| ScenarioError::io(&tmp, e.into_error()))?;
    file.sync_all().map_err(|e| ScenarioError::io(&tmp, e))?;
    drop(file);
    output::commit(&path)?;
    let _ = tx.send(WorkerMessage::Progress(Progress::Persons {
        country: info.code.clone(),
        written: total,
        total,
    }));
    let c = plan.counts;
    counts.persons += c.persons;
    counts.documents += c.documents;
    counts.vehicles += c.vehicles;
    counts.alerts += c.alerts;
    counts.relations += c.relations;
    counts.cases += c.cases;
    Ok((counts, bytes))
}
