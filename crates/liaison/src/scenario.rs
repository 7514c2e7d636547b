//! `liaison scenario generate`: exercise data for several fictional countries, with ground truth, written by
//! `liaison-scenario`; this module only reads the flags and shows progress.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use liaison_scenario::{Progress, ScenarioConfig, generate_to_dir};

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Generate a multi-country exercise: one Liaison JSON Lines file per country (native-script names,
    /// documents with valid MRZs, vehicles, alerts, planted criminal networks, the same people recorded in
    /// several countries), PAXLST and PNRGOV manifests of flights between them carrying wanted travellers
    /// and stolen passports, and a ground-truth file. The same seed always writes the same bytes.
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many countries (1 to 26: XAA, XBB, XCC...).
    #[arg(long, default_value_t = 3)]
    countries: usize,
    /// Ordinary residents per country (the planted cast comes on top).
    #[arg(long, default_value_t = 10_000)]
    persons: usize,
    /// The directory to write (created if missing; a previous scenario in it is replaced).
    #[arg(long)]
    out: PathBuf,
}

pub fn scenario(_data_dir: &Path, command: ScenarioCommand) -> anyhow::Result<ExitCode> {
    let ScenarioCommand::Generate(args) = command;
    let config = ScenarioConfig::new(args.seed, args.countries, args.persons);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let summary = generate_to_dir(&config, &args.out, &mut |progress| match progress {
        Progress::Started { .. } => bar.set_message("persons"),
        Progress::Persons {
            country,
            written,
            total,
        } => {
            bar.set_message(format!("persons of {country}"));
            bar.set_length(total);
            bar.set_position(written);
        }
        Progress::CountryDone { .. } => {}
        Progress::Manifests { written, total } => {
            bar.set_message("manifests");
            bar.set_length(total as u64);
            bar.set_position(written as u64);
        }
        Progress::Finished => bar.finish_and_clear(),
    })
    .with_context(|| format!("cannot generate the scenario in {}", args.out.display()))?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let mut persons = 0;
    for country in &summary.countries {
        let c = &country.counts;
        persons += c.persons;
        println!(
            "{} ({}, {} names): {} persons, {} documents, {} vehicles, {} alerts, {} relations, {} cases -> {}",
            country.info.code,
            country.info.node_id,
            country.info.script,
            c.persons,
            c.documents,
            c.vehicles,
            c.alerts,
            c.relations,
            c.cases,
            summary.dir.join(&country.info.records_file).display()
        );
    }
    println!(
        "{} flights ({} PAXLST and PNRGOV files), {} travellers, {} to be hit ({} wanted persons, {} stolen documents, {} both)",
        summary.manifests.len(),
        summary.manifests.len() * 2,
        summary.travellers,
        summary.planted_hits(),
        summary.wanted_person_hits,
        summary.stolen_document_hits,
        summary.both_hits
    );
    println!(
        "{} persons recorded in several countries, {} networks; ground truth in {}",
        summary.cross_border_identities,
        summary.networks,
        summary.dir.join(&summary.ground_truth).display()
    );
    println!(
        "{} files in {:.1} s ({:.0} persons/s)",
        summary.files.len(),
        seconds,
        persons as f64 / seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
