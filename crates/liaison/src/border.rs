//! Border commands: `liaison mrz check` (one document's machine-readable zone) and `liaison screen-manifest`
//! (every traveller of a PAXLST, PNRGOV or CSV manifest), through the same services as the HTTP API.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use liaison_formats::ManifestFormat;
use liaison_proto::border::{ManifestReport, MrzCheckRequest, MrzCheckResponse};
use liaison_server::services::border::{self, MAX_MANIFEST_BYTES, ManifestRequest};
use liaison_server::services::records::AccessReason;
use liaison_server::services::{Caller, ServiceError};

use crate::commands::{open_node, with_screening, write_atomically};
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum MrzCommand {
    /// Parse and validate a machine-readable zone: format, fields, every check digit, OCR corrections.
    /// Exit status: 0 valid, 1 read but a check fails, 2 not a machine-readable zone.
    Check(MrzCheckArgs),
}

#[derive(Debug, Args)]
pub struct MrzCheckArgs {
    /// The lines of the zone (2 or 3), or the whole zone in one argument with line breaks.
    #[arg(required = true)]
    lines: Vec<String>,
    /// Print the result as JSON (the same body as `POST /api/v1/mrz/check`).
    #[arg(long)]
    json: bool,
    /// Do not correct OCR confusions (O/0, I/1...); report the zone exactly as given.
    #[arg(long)]
    no_correct: bool,
    /// Also screen the holder and the document against this node's records (needs the data directory).
    #[arg(long)]
    screen: bool,
    /// Why (with `--screen`); default border_check.
    #[arg(long)]
    purpose: Option<String>,
    #[arg(long)]
    case_ref: Option<String>,
}

pub async fn mrz(data_dir: &Path, command: MrzCommand) -> anyhow::Result<ExitCode> {
    let MrzCommand::Check(args) = command;
    let text = args.lines.join("\n");
    let response = if args.screen {
        let config = Config::load(data_dir)?;
        let node = with_screening(open_node(&config).await?).await?;
        let request = MrzCheckRequest {
            lines: Vec::new(),
            mrz: Some(text),
            purpose: args.purpose,
            case_ref: args.case_ref,
            correct_ocr: Some(!args.no_correct),
            screen: Some(true),
        };
        match border::check_mrz(&node, &Caller::cli(), &request).await {
            Ok(response) => response,
            Err(ServiceError::BadRequest { detail, .. }) => return unreadable(&detail, args.json),
            Err(other) => return Err(other.into()),
        }
    } else {
        let today = chrono::Utc::now().date_naive();
        match border::read_mrz(&text, today, !args.no_correct) {
            Ok(mrz) => border::describe_mrz(&mrz, today),
            Err(ServiceError::BadRequest { detail, .. }) => return unreadable(&detail, args.json),
            Err(other) => return Err(other.into()),
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&response)?);
    } else {
        print_mrz(&response);
    }
    Ok(if response.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn unreadable(detail: &str, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        println!(
            "{}",
            serde_json::json!({"valid": false, "error": detail, "checks": [], "corrections": []})
        );
    } else {
        eprintln!("error: {detail}");
    }
    Ok(ExitCode::from(2))
}

fn print_mrz(response: &MrzCheckResponse) {
    let verdict = if response.valid { "VALID" } else { "INVALID" };
    println!(
        "{verdict} {} {} document {} issued by {}",
        response.format, response.document_code, response.document_number, response.issuing_state
    );
    println!(
        "  holder: {}, {}",
        response.surname,
        if response.given_names.is_empty() {
            "-"
        } else {
            &response.given_names
        }
    );
    println!(
        "  born {}, sex {}, nationality {}",
        response.birth_date.as_deref().unwrap_or("unknown"),
        response.sex.as_deref().unwrap_or("unknown"),
        response.nationality
    );
    if let Some(expiry) = &response.expiry_date {
        println!(
            "  expires {expiry}{}",
            if response.expired { " (EXPIRED)" } else { "" }
        );
    }
    for check in &response.checks {
        println!(
            "  check digit {:<16} {}{}",
            check.field,
            if check.ok { "ok" } else { "FAILS" },
            if check.ok {
                String::new()
            } else {
                format!(
                    " (found {}, computed {})",
                    check.found.as_deref().unwrap_or("?"),
                    check.expected.as_deref().unwrap_or("?")
                )
            }
        );
    }
    for correction in &response.corrections {
        println!(
            "  corrected line {} column {}: {} -> {} in {} ({})",
            correction.line,
            correction.column,
            correction.from,
            correction.to,
            correction.field,
            correction.reason
        );
    }
    for warning in &response.warnings {
        println!("  warning: {warning}");
    }
    if let Some(screening) = &response.screening {
        println!(
            "  screening: band {}, document {}",
            screening.band, screening.document_status
        );
        for hit in &screening.hits {
            print_hit(hit);
        }
    }
}

fn print_hit(hit: &liaison_proto::border::ManifestHit) {
    let what = match (&hit.record, &hit.rule) {
        (Some(record), _) => format!(
            "{}/{}",
            record.record_type,
            record.id.as_deref().unwrap_or("?")
        ),
        (None, Some(rule)) => format!("rule {} \"{}\"", rule.id, rule.title),
        (None, None) => hit.kind.clone(),
    };
    println!(
        "    {} {what} score {:.2} [hit {}]",
        hit.band.to_uppercase(),
        hit.score,
        hit.hit_id
    );
    for alert in &hit.alerts {
        println!(
            "      alert {} {}{}",
            alert.id,
            alert.category,
            alert
                .action
                .as_deref()
                .map(|a| format!(": {a}"))
                .unwrap_or_default()
        );
    }
    for item in &hit.explanation {
        println!("      {:+.2}  {}", item.weight, item.text);
    }
}

#[derive(Debug, Args)]
pub struct ScreenManifestArgs {
    /// The manifest: UN/EDIFACT PAXLST or PNRGOV, or CSV with the documented header.
    file: PathBuf,
    /// The format; detected from the content when absent.
    #[arg(long, value_parser = ["paxlst", "pnrgov", "csv"])]
    format: Option<String>,
    /// Write the report as JSON to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the report as CSV (one row per hit) to this file.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Why; default border_check.
    #[arg(long)]
    purpose: Option<String>,
    #[arg(long)]
    case_ref: Option<String>,
    /// Refuse the file on structural faults (wrong segment counts...) instead of warning.
    #[arg(long)]
    strict: bool,
    /// List every traveller, not only those with hits.
    #[arg(long)]
    all: bool,
}

pub async fn screen_manifest(
    data_dir: &Path,
    args: ScreenManifestArgs,
) -> anyhow::Result<ExitCode> {
    let metadata = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    if metadata.len() > MAX_MANIFEST_BYTES as u64 {
        bail!(
            "{} is {} bytes, more than the limit of {MAX_MANIFEST_BYTES}",
            args.file.display(),
            metadata.len()
        );
    }
    let input = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let config = Config::load(data_dir)?;
    let spinner = ProgressBar::new_spinner();
    spinner.set_message("building the screening index");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let node = with_screening(open_node(&config).await?).await?;
    spinner.finish_and_clear();

    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} travellers screened ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress_bar = bar.clone();
    let request = ManifestRequest {
        format: args.format.as_deref().and_then(ManifestFormat::parse),
        strict: args.strict,
        source_name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
        progress: Some(Arc::new(move |done: u64, total: u64| {
            progress_bar.set_length(total);
            progress_bar.set_position(done);
        })),
    };
    let reason = AccessReason {
        purpose: args.purpose,
        case_ref: args.case_ref,
    };
    let report = border::screen_manifest(&node, &Caller::cli(), &input, &request, &reason).await;
    bar.finish_and_clear();
    let report = match report {
        Ok(report) => report,
        Err(ServiceError::BadRequest { detail, .. }) => {
            bail!("{}: {detail}", args.file.display())
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(path) = &args.out {
        write_atomically(path, serde_json::to_string_pretty(&report)?.as_bytes())?;
    }
    if let Some(path) = &args.csv {
        let text = liaison_proto::border::report_csv(&report).context("cannot write the CSV")?;
        write_atomically(path, text.as_bytes())?;
    }
    print_report(&report, args.all);
    if let Some(path) = &args.out {
        println!("report written to {}", path.display());
    }
    if let Some(path) = &args.csv {
        println!("CSV written to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &ManifestReport, all: bool) {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    for flight in &report.flights {
        println!(
            "flight {} {} {} -> {} {}",
            flight.flight.as_deref().unwrap_or("?"),
            flight.from.as_deref().unwrap_or("?"),
            flight.departure.as_deref().unwrap_or(""),
            flight.to.as_deref().unwrap_or("?"),
            flight.arrival.as_deref().unwrap_or("")
        );
    }
    for traveller in &report.travellers {
        if traveller.band == "none" && !all {
            continue;
        }
        println!(
            "{:<8} #{} {} ({}), born {}, {} document {} [{}]",
            traveller.band.to_uppercase(),
            traveller.index,
            traveller.name,
            traveller.role,
            traveller.birth_date.as_deref().unwrap_or("?"),
            traveller.nationality.as_deref().unwrap_or("?"),
            if traveller.document.is_empty() {
                "-"
            } else {
                &traveller.document
            },
            traveller.document_status
        );
        for action in &traveller.actions {
            println!("    ACTION: {action}");
        }
        for hit in &traveller.hits {
            print_hit(hit);
        }
    }
    let s = &report.summary;
    println!(
        "{} travellers: {} strong, {} possible, {} without hits; {} with a listed document, {} with risk-rule hits ({:.2} s); run {}",
        s.travellers,
        s.strong,
        s.possible,
        s.none,
        s.listed_documents,
        s.rule_hits,
        s.seconds,
        report.id
    );
}
