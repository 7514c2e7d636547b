//! `liaison legal`: legal cooperation requests on the command line (draft, list, show with a PDF, act),
//! their evidence with its chain of custody, the offence catalogue, dual criminality, turnaround statistics
//! and the ICCS, through the same services (and audit entries) as the HTTP API.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use liaison_proto::federation::MAX_EVIDENCE_BYTES;
use liaison_proto::legal::{
    CatalogueBody, DeadlineBody, DualCriminalityBody, DualCriminalityQuery, EvidenceBody, IccsBody,
    LegalActionBody, LegalRequestBody, LegalRequestForm, LegalRequestList, TurnaroundStatistics,
};
use liaison_server::Node;
use liaison_server::services::{Caller, ServiceError, evidence, legal, legal_pdf, offences};

use crate::commands::{open_node, write_atomically};
use crate::config::Config;

#[derive(Debug, Args)]
pub struct Output {
    /// Print the service's JSON body (the same as the HTTP API's) instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum LegalCommand {
    /// Draft a request to a partner node (state `draft`) from a JSON form, the body `POST
    /// /api/v1/legal-requests` takes; `-` reads it from standard input. The executing node must be an active
    /// partner. Prints the id, the state and the deadlines; a bad form is refused naming the field (exit 1).
    Create {
        /// The form: `kind`, `executing_node`, `requesting_authority`, `facts`, and what the kind needs.
        form: PathBuf,
        #[command(flatten)]
        output: Output,
    },
    /// This node's requests, soonest running deadline first: id, kind, side, partner, state, next due date
    /// and a badge (OVERDUE, DUE SOON, on time).
    List {
        /// Only requests with a running deadline that has passed.
        #[arg(long)]
        overdue: bool,
        /// Only requests with a running deadline within this many hours (overdue ones included).
        #[arg(long)]
        due_within_hours: Option<u32>,
        /// `requesting` (made here) or `executing` (received here).
        #[arg(long)]
        side: Option<String>,
        /// `eio`, `eaw`, `mla`, `extradition`, `information_request` or `hit_follow_up`.
        #[arg(long)]
        kind: Option<String>,
        /// A state such as `draft`, `sent`, `received`, `in_execution`, `executed`.
        #[arg(long)]
        state: Option<String>,
        /// Only requests with this partner node.
        #[arg(long)]
        partner: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// One request with its deadlines, the actions this side may take, its timeline and evidence. Audited.
    Show {
        id: String,
        /// Also write the request as a PDF document to this file (it appears only once complete).
        #[arg(long, value_name = "OUT.pdf")]
        pdf: Option<PathBuf>,
        #[command(flatten)]
        output: Output,
    },
    /// Take an action on a request as this node's side. Once the request is sent, every action reaches the
    /// partner: it is signed and queued in this node's outbox, and a running `liaison serve` with
    /// federation delivers it.
    ///
    /// The actions: send, acknowledge, request_information, supply_information, recognise, refuse (with
    /// --grounds), postpone, execute, complete, complete_partially, close, withdraw; and the events deadlines
    /// run from: record_arrest and record_consent (--date, default now), set_target_date (--date
    /// YYYY-MM-DD), extend (--deadline NAME --days N --reason R). `show` lists the actions this side may
    /// take now. This command does not wait for the delivery; the outbox retries until the partner answers.
    Act {
        id: String,
        action: String,
        /// `refuse`: the legal grounds, e.g. "Directive 2014/41/EU Art. 11(1)(f): ne bis in idem".
        #[arg(long)]
        grounds: Option<String>,
        /// A note kept in the timeline: what was asked or supplied, why it is postponed.
        #[arg(long)]
        note: Option<String>,
        /// `record_arrest`, `record_consent`: when (RFC 3339 or YYYY-MM-DD); `set_target_date`: YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// `extend`: the deadline to extend, by its name as `show` lists it.
        #[arg(long, requires_all = ["days", "reason"])]
        deadline: Option<String>,
        /// `extend`: by how many days.
        #[arg(long, requires = "deadline")]
        days: Option<u32>,
        /// `extend`: why, as the law requires it to be stated.
        #[arg(long, requires = "deadline")]
        reason: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Evidence attached to a request, with its signed chain of custody.
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// This node's national offence catalogue (published to partners) and the catalogues partners published.
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
    /// Whether an act needs and meets dual criminality in the executing node's law, from its offence
    /// catalogue. Exit status: 0 not required or satisfied, 3 a lawyer must review, 4 not satisfied,
    /// 1 the check could not be made.
    DualCriminality {
        /// The act's ICCS code (2 to 6 digits), e.g. 0204.
        #[arg(long)]
        iccs: String,
        /// The maximum custodial sentence for it in the issuing state, in whole years.
        #[arg(long)]
        penalty_years: u32,
        /// The category of FD 2002/584/JHA Art. 2(2) the issuing side ticks (identifier or number 1-32);
        /// `liaison legal iccs` lists them.
        #[arg(long)]
        listed_category: Option<String>,
        /// The node whose catalogue decides: this node or a partner that published its catalogue.
        #[arg(long)]
        executing_node: String,
        #[command(flatten)]
        output: Output,
    },
    /// Turnaround per partner, kind and side: requests, answered, open, median and 90th percentile in days
    /// from receipt to answer, and the share answered within every deadline.
    Statistics {
        #[command(flatten)]
        output: Output,
    },
    /// The ICCS sections and divisions, and the 32 listed categories of FD 2002/584/JHA Art. 2(2) with the
    /// ICCS codes they cover.
    Iccs {
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Attach a file this node collected: its SHA-256 is taken now and its custody chain starts with
    /// `collected` and `sealed`, signed by this node.
    Add {
        /// The request's id.
        id: String,
        file: PathBuf,
        /// The content's media type; guessed from the file extension when absent.
        #[arg(long)]
        media_type: Option<String>,
        /// Kept with the `collected` event: where and how it was obtained.
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// Send a piece of evidence to the partner with its custody chain and a signed `sent` event. Queued in
    /// the outbox: a running `liaison serve` with federation delivers it.
    Send {
        id: String,
        evidence_id: String,
        #[command(flatten)]
        output: Output,
    },
    /// A piece of evidence with its custody chain and this node's verification of each event.
    Show {
        id: String,
        evidence_id: String,
        #[command(flatten)]
        output: Output,
    },
    /// Write the content of a piece of evidence to a file (it appears only once complete) and print its
    /// SHA-256. Opening is a signed custody event. Exit status: 0 the content matches its recorded digest,
    /// 2 written but it does not match (the evidence is flagged), 1 failed.
    Get {
        id: String,
        evidence_id: String,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Replace this node's offence catalogue from CSV with the header `code,name,max_penalty_years,iccs`,
    /// and publish it to every active partner (queued in the outbox). A bad line is reported with its number
    /// and nothing is loaded.
    Load {
        file: PathBuf,
        #[command(flatten)]
        output: Output,
    },
    /// This node's catalogue, or the one partner `--node` published.
    Show {
        #[arg(long)]
        node: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

/// The service's own words for bad input (they name the field); other failures as they are.
fn explain(error: ServiceError) -> anyhow::Error {
    match error {
        ServiceError::BadRequest { detail, .. } => anyhow::anyhow!(detail),
        other => other.into(),
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub async fn legal(data_dir: &Path, command: LegalCommand) -> anyhow::Result<ExitCode> {
    // The ICCS is reference data: no node needed.
    if let LegalCommand::Iccs { output } = &command {
        let body = offences::iccs();
        if output.json {
            print_json(&body)?;
        } else {
            print_iccs(&body);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let config = Config::load(data_dir)?;
    let node = open_node(&config).await?;
    let caller = Caller::cli();
    let limit = config.settings.max_body_bytes;
    match command {
        LegalCommand::Create { form, output } => create(&node, &caller, &form, limit, output).await,
        LegalCommand::List {
            overdue,
            due_within_hours,
            side,
            kind,
            state,
            partner,
            output,
        } => {
            let query = legal::ListQuery {
                overdue,
                due_within_hours,
                side,
                kind,
                state,
                partner,
            };
            let list = legal::list(&node, &caller, &query).await.map_err(|e| {
                flag_error(
                    e,
                    &[
                        ("side", "--side"),
                        ("kind", "--kind"),
                        ("state", "--state"),
                        ("partner", "--partner"),
                    ],
                )
            })?;
            if output.json {
                print_json(&list)?;
            } else {
                print_list(&list);
            }
            Ok(ExitCode::SUCCESS)
        }
        LegalCommand::Show { id, pdf, output } => {
            let body = legal::get(&node, &caller, &id).await.map_err(explain)?;
            if let Some(path) = &pdf {
                write_atomically(path, &legal_pdf::render(&node, &body))?;
            }
            if output.json {
                print_json(&body)?;
            } else {
                print_request(&body);
            }
            if let Some(path) = &pdf {
                // Standard output stays pure JSON with --json.
                eprintln!("PDF written to {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        LegalCommand::Act {
            id,
            action,
            grounds,
            note,
            date,
            deadline,
            days,
            reason,
            output,
        } => {
            let body = LegalActionBody {
                grounds,
                note,
                date,
                deadline,
                days,
                reason,
            };
            let request = legal::act(&node, &caller, &id, &action, &body)
                .await
                .map_err(|e| {
                    flag_error(
                        e,
                        &[
                            ("grounds", "--grounds"),
                            ("note", "--note"),
                            ("date", "--date"),
                            ("deadline", "--deadline"),
                            ("days", "--days"),
                            ("reason", "--reason"),
                        ],
                    )
                })?;
            if output.json {
                print_json(&request)?;
            } else {
                print_acted(&request, &action);
            }
            Ok(ExitCode::SUCCESS)
        }
        LegalCommand::Evidence { command } => evidence_command(&node, &caller, command).await,
        LegalCommand::Catalogue { command } => {
            catalogue_command(&node, &caller, command, limit).await
        }
        LegalCommand::DualCriminality {
            iccs,
            penalty_years,
            listed_category,
            executing_node,
            output,
        } => {
            let query = DualCriminalityQuery {
                iccs,
                issuing_max_penalty_years: penalty_years,
                listed_category,
                executing_node,
            };
            let body = offences::dual_criminality(&node, &caller, &query)
                .await
                .map_err(|e| {
                    flag_error(
                        e,
                        &[
                            ("iccs", "--iccs"),
                            ("issuing_max_penalty_years", "--penalty-years"),
                            ("listed_category", "--listed-category"),
                            ("executing_node", "--executing-node"),
                        ],
                    )
                })?;
            if output.json {
                print_json(&body)?;
            } else {
                print_dual_criminality(&body);
            }
            Ok(match body.result.as_str() {
                "not_required" | "satisfied" => ExitCode::SUCCESS,
                "not_satisfied" => ExitCode::from(4),
                _ => ExitCode::from(3),
            })
        }
        LegalCommand::Statistics { output } => {
            let statistics = legal::statistics(&node, &caller).await.map_err(explain)?;
            if output.json {
                print_json(&statistics)?;
            } else {
                print_statistics(&statistics);
            }
            Ok(ExitCode::SUCCESS)
        }
        // Answered above, before the node was opened.
        LegalCommand::Iccs { .. } => Ok(ExitCode::SUCCESS),
    }
}

/// A service's bad-field error with the field named as this command's flag (`executing_node` becomes
/// `--executing-node`) when `flags` has it; the service's own words otherwise.
fn flag_error(error: ServiceError, flags: &[(&str, &str)]) -> anyhow::Error {
    match error {
        ServiceError::BadRequest { detail, items } => {
            let flag = match items.as_slice() {
                [(field, message)] => flags
                    .iter()
                    .find(|(name, _)| name == field)
                    .map(|(_, flag)| (*flag, message)),
                _ => None,
            };
            match flag {
                Some((flag, message)) => anyhow::anyhow!("`{flag}`: {message}"),
                None => anyhow::anyhow!(detail),
            }
        }
        other => other.into(),
    }
}

/// Reads a file (or standard input for `-`) of at most `limit` bytes, without reading more than that; errors
/// name the file.
fn read_bounded(path: &Path, limit: usize, what: &str) -> anyhow::Result<Vec<u8>> {
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(cap)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read the {what} from standard input"))?;
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        file.take(cap)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    if bytes.len() > limit {
        let source = if path.as_os_str() == "-" {
            "standard input".to_owned()
        } else {
            path.display().to_string()
        };
        bail!("{source}: the {what} is larger than the limit of {limit} bytes");
    }
    Ok(bytes)
}

async fn create(
    node: &Node,
    caller: &Caller,
    path: &Path,
    limit: usize,
    output: Output,
) -> anyhow::Result<ExitCode> {
    let bytes = read_bounded(path, limit, "form")?;
    let source = if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    // serde names the missing or unknown field and where it is (line and column).
    let form: LegalRequestForm = serde_json::from_slice(&bytes)
        .with_context(|| format!("{source}: not a legal request form"))?;
    let body = legal::create(node, caller, form)
        .await
        .map_err(|e| explain(e).context(format!("{source}: refused")))?;
    if output.json {
        print_json(&body)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "legal request {} created: {} to {}, state {}",
        body.id, body.kind, body.partner, body.state
    );
    print_deadlines(&body.deadlines);
    println!(
        "next: liaison legal act {} send   (queued for {}; a running `liaison serve` delivers it)",
        body.id, body.partner
    );
    Ok(ExitCode::SUCCESS)
}

fn badge(status: &str) -> &'static str {
    match status {
        "overdue" => "OVERDUE",
        "due_soon" => "DUE SOON",
        "on_time" => "on time",
        "met" => "met",
        "met_late" => "met late",
        "stopped" => "stopped",
        "unknown" => "not running yet",
        _ => "-",
    }
}

/// `2026-03-01 09:30 UTC` from a timestamp the services write; the text itself when it is not one.
fn short_time(text: &str) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|at| {
            at.with_timezone(&Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| text.to_owned())
}

fn print_deadlines(deadlines: &[DeadlineBody]) {
    if deadlines.is_empty() {
        println!("  no deadline (the law sets none for this kind)");
    }
    for deadline in deadlines {
        let (due, status) = match &deadline.due {
            Some(due) => {
                let left = match deadline.hours_left {
                    Some(hours) if hours < 0 => format!(", {} h late", -hours),
                    Some(hours) => format!(", {hours} h left"),
                    None => String::new(),
                };
                (
                    short_time(due),
                    format!("{}{left}", badge(&deadline.status)),
                )
            }
            None => ("not running yet".to_owned(), String::new()),
        };
        println!(
            "  {:<20} {due:<20} {status:<22} {}",
            deadline.name, deadline.rule
        );
    }
}

/// Rows as columns padded to their widest cell.
fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn print_list(list: &LegalRequestList) {
    if list.requests.is_empty() {
        println!("no legal requests");
        return;
    }
    let rows: Vec<Vec<String>> = list
        .requests
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.kind.clone(),
                r.side.clone(),
                r.partner.clone(),
                r.state.clone(),
                r.next_due
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), short_time),
                badge(&r.due_status).to_owned(),
            ]
        })
        .collect();
    print_table(
        &[
            "ID", "KIND", "SIDE", "PARTNER", "STATE", "NEXT DUE", "STATUS",
        ],
        &rows,
    );
}

fn print_request(body: &LegalRequestBody) {
    let form = &body.form;
    println!(
        "legal request {} ({}{}), {}",
        body.id,
        body.kind,
        if body.urgent { ", URGENT" } else { "" },
        body.legal_basis
    );
    println!(
        "  {} side: {} -> {}; state {}",
        body.side, body.requesting_node, body.executing_node, body.state
    );
    if let Some(case_ref) = &body.case_ref {
        println!("  case {case_ref}");
    }
    println!(
        "  created {} by {}, updated {}",
        short_time(&body.created_at),
        body.created_by,
        short_time(&body.updated_at)
    );
    println!("  requesting authority: {}", form.requesting_authority.name);
    if let Some(authority) = &form.executing_authority {
        println!("  executing authority: {}", authority.name);
    }
    if let Some(reason) = &form.urgency_reason {
        println!("  urgent because: {reason}");
    }
    for person in &form.persons {
        println!(
            "  person: {}{}{}",
            person.name,
            person
                .birth_date
                .as_deref()
                .map(|d| format!(", born {d}"))
                .unwrap_or_default(),
            person
                .role
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        );
    }
    for offence in &form.offences {
        println!(
            "  offence: ICCS {} {} (max {} years){}",
            offence.iccs,
            offence.national_name,
            offence.max_penalty_years,
            offence
                .listed_category
                .as_deref()
                .map(|c| format!(", listed category {c}"))
                .unwrap_or_default()
        );
    }
    for measure in &form.measures {
        println!("  measure: {measure}");
    }
    println!("  facts: {}", form.facts);
    println!("deadlines:");
    print_deadlines(&body.deadlines);
    println!(
        "actions this side may take: {}",
        if body.allowed_actions.is_empty() {
            "none".to_owned()
        } else {
            body.allowed_actions.join(", ")
        }
    );
    println!("timeline:");
    for entry in &body.timeline {
        println!(
            "  {:>3} {} {:<20} {} ({} {}) -> {}{}",
            entry.seq,
            short_time(&entry.at),
            entry.action,
            entry.actor,
            entry.side,
            entry.node,
            entry.state_after,
            entry
                .detail
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        );
    }
    if !body.evidence.is_empty() {
        println!("evidence:");
        for item in &body.evidence {
            println!(
                "  {} {} ({}, {} bytes) sha256 {} [{}]",
                item.id, item.name, item.media_type, item.size, item.sha256, item.status
            );
        }
    }
}

/// Whether the partner hears of actions on this request: from the moment it was sent.
fn reaches_partner(body: &LegalRequestBody) -> bool {
    body.side == "executing" || body.timeline.iter().any(|e| e.action == "send")
}

fn print_acted(body: &LegalRequestBody, action: &str) {
    println!("{action}: legal request {} is now {}", body.id, body.state);
    if reaches_partner(body) {
        println!(
            "  queued for {} in the outbox; a running `liaison serve` with federation delivers it",
            body.partner
        );
    }
    print_deadlines(&body.deadlines);
    if !body.allowed_actions.is_empty() {
        println!("  next actions: {}", body.allowed_actions.join(", "));
    }
}

/// A media type for a file name's extension, for the usual kinds of evidence.
fn guess_media_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        "gif" => "image/gif",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "zip" => "application/zip",
        "eml" => "message/rfc822",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

async fn evidence_command(
    node: &Node,
    caller: &Caller,
    command: EvidenceCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        EvidenceCommand::Add {
            id,
            file,
            media_type,
            note,
            output,
        } => {
            if file.as_os_str() == "-" {
                bail!("give the evidence as a file: its name is kept with it");
            }
            let content = read_bounded(&file, MAX_EVIDENCE_BYTES, "evidence")?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let media_type = media_type.unwrap_or_else(|| guess_media_type(&file).to_owned());
            let body = evidence::add(node, caller, &id, &name, &media_type, &content, note)
                .await
                .map_err(|e| flag_error(e, &[("media_type", "--media-type")]))?;
            if output.json {
                print_json(&body)?;
            } else {
                println!(
                    "evidence {} attached to legal request {}: {} ({}, {} bytes) sha256 {}",
                    body.id, id, body.name, body.media_type, body.size, body.sha256
                );
            }
        }
        EvidenceCommand::Send {
            id,
            evidence_id,
            output,
        } => {
            let body = evidence::send_to_partner(node, caller, &id, &evidence_id)
                .await
                .map_err(explain)?;
            if output.json {
                print_json(&body)?;
            } else {
                println!(
                    "evidence {} ({}) queued for the partner with its custody chain; a running `liaison serve` with federation delivers it",
                    body.id, body.name
                );
            }
        }
        EvidenceCommand::Show {
            id,
            evidence_id,
            output,
        } => {
            let body = evidence::get(node, caller, &id, &evidence_id)
                .await
                .map_err(explain)?;
            if output.json {
                print_json(&body)?;
            } else {
                print_evidence(&body);
            }
        }
        EvidenceCommand::Get {
            id,
            evidence_id,
            out,
            output,
        } => {
            let (row, content) = evidence::open_content(node, caller, &id, &evidence_id)
                .await
                .map_err(explain)?;
            write_atomically(&out, &content)?;
            let digest = liaison_crypto::sha256_hex(&content);
            let intact = digest == row.sha256;
            if output.json {
                print_json(&serde_json::json!({
                    "id": row.id,
                    "name": row.name,
                    "media_type": row.media_type,
                    "size": content.len(),
                    "sha256": digest,
                    "recorded_sha256": row.sha256,
                    "intact": intact,
                    "out": out.display().to_string(),
                }))?;
            } else {
                println!(
                    "{} ({}, {} bytes) written to {}",
                    row.name,
                    row.media_type,
                    content.len(),
                    out.display()
                );
                println!("sha256 {digest}");
            }
            if !intact {
                eprintln!(
                    "warning: the content's SHA-256 is {digest} but {} was recorded: the evidence is flagged as a mismatch",
                    row.sha256
                );
                return Ok(ExitCode::from(2));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_evidence(body: &EvidenceBody) {
    println!(
        "evidence {} of legal request {}: {} ({}, {} bytes)",
        body.id, body.request_id, body.name, body.media_type, body.size
    );
    println!("  sha256 {}", body.sha256);
    println!(
        "  collected by {} ({}), {}",
        body.origin,
        body.added_by,
        short_time(&body.created_at)
    );
    println!(
        "  status {}{}",
        body.status.to_uppercase(),
        body.status_detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default()
    );
    println!("custody chain:");
    for item in &body.custody {
        let event = &item.event;
        println!(
            "  {:>2} {:<9} {} {} by {} [{}]",
            event.seq,
            event.event,
            short_time(&event.at),
            event.node,
            event.actor,
            item.verification
        );
        if let Some(note) = &event.note {
            println!("       note: {note}");
        }
        if event.sha256 != body.sha256 {
            println!("       content digest then: {}", event.sha256);
        }
    }
}

async fn catalogue_command(
    node: &Node,
    caller: &Caller,
    command: CatalogueCommand,
    limit: usize,
) -> anyhow::Result<ExitCode> {
    match command {
        CatalogueCommand::Load { file, output } => {
            let bytes = read_bounded(&file, limit, "catalogue")?;
            let text = std::str::from_utf8(&bytes).map_err(|e| {
                anyhow::anyhow!(
                    "{}: not UTF-8 text at byte {}",
                    file.display(),
                    e.valid_up_to()
                )
            })?;
            let offences_list = offences::parse_catalogue_csv(text).map_err(|e| match e {
                // The line is the useful part; the API's field name (`catalogue`) is not.
                ServiceError::BadRequest { items, detail } => anyhow::anyhow!(
                    "{}: {}",
                    file.display(),
                    items.first().map_or(detail, |(_, message)| message.clone())
                ),
                other => other.into(),
            })?;
            let body = offences::load(node, caller, offences_list)
                .await
                .map_err(|e| explain(e).context(format!("{}: refused", file.display())))?;
            if output.json {
                print_json(&body)?;
            } else {
                let partners = if node.federation.is_some() {
                    node.store
                        .list_partners()
                        .await?
                        .into_iter()
                        .filter(|p| p.status == liaison_store::PARTNER_ACTIVE)
                        .map(|p| p.node_id)
                        .collect()
                } else {
                    Vec::new()
                };
                println!(
                    "{} offences loaded into the catalogue of {}",
                    body.offences.len(),
                    body.node
                );
                if partners.is_empty() {
                    println!("  no active partner to publish it to");
                } else {
                    println!(
                        "  published to {} (queued in the outbox; a running `liaison serve` delivers it)",
                        partners.join(", ")
                    );
                }
            }
        }
        CatalogueCommand::Show { node: of, output } => {
            let body = offences::get(node, caller, of.as_deref())
                .await
                .map_err(|e| flag_error(e, &[("node", "--node")]))?;
            if output.json {
                print_json(&body)?;
            } else {
                print_catalogue(&body);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_catalogue(body: &CatalogueBody) {
    match &body.updated_at {
        Some(at) => println!(
            "offence catalogue of {}, {} offences, updated {}",
            body.node,
            body.offences.len(),
            short_time(at)
        ),
        None => {
            println!("no offence catalogue of {} is known here", body.node);
            return;
        }
    }
    let rows: Vec<Vec<String>> = body
        .offences
        .iter()
        .map(|o| {
            vec![
                o.code.clone(),
                o.iccs.clone(),
                o.max_penalty_years.to_string(),
                o.name.clone(),
            ]
        })
        .collect();
    print_table(&["CODE", "ICCS", "MAX YEARS", "NAME"], &rows);
}

fn print_dual_criminality(body: &DualCriminalityBody) {
    let verdict = match body.result.as_str() {
        "not_required" => "NOT REQUIRED",
        "satisfied" => "SATISFIED",
        "not_satisfied" => "NOT SATISFIED",
        "review" => "REVIEW",
        other => other,
    };
    println!("dual criminality: {verdict}");
    for reason in &body.reasons {
        println!("  - {reason}");
    }
}

fn print_statistics(statistics: &TurnaroundStatistics) {
    if statistics.rows.is_empty() {
        println!("no request has been sent or received yet");
        return;
    }
    let days = |value: Option<f64>| value.map_or_else(|| "-".to_owned(), |d| format!("{d:.1}"));
    let rows: Vec<Vec<String>> = statistics
        .rows
        .iter()
        .map(|r| {
            vec![
                r.partner.clone(),
                r.kind.clone(),
                r.side.clone(),
                r.requests.to_string(),
                r.answered.to_string(),
                r.open.to_string(),
                days(r.median_days),
                days(r.p90_days),
                r.within_deadline
                    .map_or_else(|| "-".to_owned(), |share| format!("{:.0}%", share * 100.0)),
            ]
        })
        .collect();
    print_table(
        &[
            "PARTNER",
            "KIND",
            "SIDE",
            "REQUESTS",
            "ANSWERED",
            "OPEN",
            "MEDIAN DAYS",
            "P90 DAYS",
            "WITHIN DEADLINE",
        ],
        &rows,
    );
}

fn print_iccs(body: &IccsBody) {
    println!("ICCS sections (UNODC 2015):");
    for section in &body.sections {
        println!("  {}  {}", section.code, section.name);
    }
    println!("divisions:");
    for division in &body.divisions {
        println!("  {}  {}", division.code, division.name);
    }
    println!(
        "the 32 categories of FD 2002/584/JHA Art. 2(2) (no dual criminality check at 3 years or more):"
    );
    for category in &body.listed_categories {
        println!(
            "  {:>2} {:<45} {} (ICCS {})",
            category.number,
            category.id,
            category.name,
            category.iccs.join(", ")
        );
    }
}
