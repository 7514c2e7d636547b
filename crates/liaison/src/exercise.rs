//! `liaison exercise score`: reads what trainees did on each node of an exercise over its HTTP API
//! (manifest runs with the officers' verdicts, outgoing disclosure requests, the audit log) and scores it
//! against the scenario's ground truth with `liaison_scenario::score`; prints a report per node and overall,
//! or JSON with `--json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use liaison_scenario::score::{
    self, AuditSeen, DisclosureSeen, ExerciseScore, Figures, GroundTruth, LegSeen, NodeActivity,
    NodeScore, RecordKey, ScreenedHit, ScreenedTraveller, ScreeningRun, Verdict,
};
use serde_json::{Value, json};

#[derive(Debug, Subcommand)]
pub enum ExerciseCommand {
    /// Score an exercise: for each node, the wanted travellers stopped (hits marked true), the false hits
    /// confirmed or rejected, the network members identified (hits confirmed, disclosures requested),
    /// against the scenario's ground truth; a report per node and overall, out of 100.
    Score(ScoreArgs),
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The scenario's `ground_truth.json`.
    #[arg(long, value_name = "FILE")]
    ground_truth: PathBuf,
    /// A node to read, as `NODE_ID=URL` (`node-xaa=http://127.0.0.1:8080`); repeat for every node.
    #[arg(long = "node", value_name = "NODE_ID=URL", required = true)]
    nodes: Vec<String>,
    /// An API token for a node, as `NODE_ID=TOKEN`. Reading runs and disclosures needs a user with one of
    /// the roles officer, analyst, supervisor or legal; the audit log needs an auditor. Give one token whose
    /// user has both, or one of each (the option may repeat for a node).
    #[arg(long = "token", value_name = "NODE_ID=TOKEN")]
    tokens: Vec<String>,
    /// Print the figures as one JSON document (documented in docs/exercises.md).
    #[arg(long)]
    json: bool,
}

/// The largest ground-truth file read (a 26-country scenario's is a few megabytes).
const MAX_GROUND_TRUTH_BYTES: u64 = 256 * 1024 * 1024;
/// The largest answer read from a node.
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// Runs listed per request: the API's ceiling; the audit log names the older ones.
const RUNS_LISTED: u32 = 500;
const AUDIT_PAGE: usize = 1000;
/// The audit actions that trace a disclosure request to its record.
const DISCLOSURE_ACTIONS: [&str; 5] = [
    "disclosure.request",
    "disclosure.decision",
    "disclosure.approve",
    "federated_search",
    "federated_search.answer",
];
/// Roles that may read screening runs and disclosure requests.
const READER_ROLES: [&str; 4] = ["officer", "analyst", "supervisor", "legal"];
/// Outcomes listed per node in the text report; `--json` lists them all.
const LISTED_OUTCOMES: usize = 50;

pub async fn exercise(command: ExerciseCommand) -> anyhow::Result<ExitCode> {
    let ExerciseCommand::Score(args) = command;
    let truth = read_ground_truth(&args.ground_truth)?;
    let targets = node_targets(&args.nodes, &args.tokens)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .context("cannot build the HTTP client")?;
    let mut activities = Vec::new();
    let mut read_warnings = Vec::new();
    for target in &targets {
        let (activity, warnings) = read_node(&client, target)
            .await
            .with_context(|| format!("cannot read {} at {}", target.node, target.url))?;
        activities.push(activity);
        read_warnings.extend(warnings);
    }
    let mut result = score::score(&truth, &activities);
    read_warnings.append(&mut result.warnings);
    result.warnings = read_warnings;
    if args.json {
        println!("{}", score_json(&truth, &targets, &result));
    } else {
        print!("{}", score_text(&truth, &targets, &result));
    }
    Ok(ExitCode::SUCCESS)
}

fn read_ground_truth(path: &Path) -> anyhow::Result<GroundTruth> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > MAX_GROUND_TRUTH_BYTES {
        bail!(
            "{}: {size} bytes is more than a ground truth holds ({MAX_GROUND_TRUTH_BYTES} at most)",
            path.display()
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    GroundTruth::from_json(&text).with_context(|| format!("{}", path.display()))
}

/// A node to read: where, and the tokens given for it.
#[derive(Debug)]
struct NodeTarget {
    node: String,
    url: String,
    tokens: Vec<String>,
}

fn split_pair<'a>(option: &str, value: &'a str, what: &str) -> anyhow::Result<(&'a str, &'a str)> {
    match value.split_once('=') {
        Some((node, rest)) if !node.trim().is_empty() && !rest.trim().is_empty() => {
            Ok((node.trim(), rest.trim()))
        }
        _ => bail!(
            "--{option}: expected NODE_ID={what}, found `{}`",
            shown(option, value)
        ),
    }
}

/// A token is never echoed back: only the node id part of a bad `--token` is shown.
fn shown(option: &str, value: &str) -> String {
    if option == "token" {
        value
            .split_once('=')
            .map(|(node, _)| format!("{node}=..."))
            .unwrap_or_else(|| "...".into())
    } else {
        value.to_owned()
    }
}

fn node_targets(nodes: &[String], tokens: &[String]) -> anyhow::Result<Vec<NodeTarget>> {
    let mut targets: Vec<NodeTarget> = Vec::new();
    for value in nodes {
        let (node, url) = split_pair("node", value, "URL")?;
        if targets.iter().any(|t| t.node == node) {
            bail!("--node: {node} is given twice");
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("--node {node}: `{url}` is not an http:// or https:// URL");
        }
        targets.push(NodeTarget {
            node: node.to_owned(),
            url: url.trim_end_matches('/').to_owned(),
            tokens: Vec::new(),
        });
    }
    for value in tokens {
        let (node, token) = split_pair("token", value, "TOKEN")?;
        let Some(target) = targets.iter_mut().find(|t| t.node == node) else {
            bail!("--token: {node} is not one of the nodes given with --node");
        };
        target.tokens.push(token.to_owned());
    }
    if let Some(target) = targets.iter().find(|t| t.tokens.is_empty()) {
        bail!(
            "--token: no token for {}: give --token {}=TOKEN",
            target.node,
            target.node
        );
    }
    Ok(targets)
}

/// Reads an answer of at most [`MAX_RESPONSE_BYTES`] and its JSON; a refusal names the node's reason.
async fn get_json(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    token: Option<&str>,
) -> anyhow::Result<Value> {
    let url = format!("{base}{path}");
    let mut request = client.get(&url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let mut response = request
        .send()
        .await
        .with_context(|| format!("GET {path}"))?;
    let status = response.status();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("GET {path}: reading the answer"))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            bail!("GET {path}: the answer is larger than {MAX_RESPONSE_BYTES} bytes");
        }
        body.extend_from_slice(&chunk);
    }
    if !status.is_success() {
        let problem: Option<Value> = serde_json::from_slice(&body).ok();
        let detail = problem
            .as_ref()
            .and_then(|p| p.get("detail").or_else(|| p.get("title")))
            .and_then(Value::as_str)
            .unwrap_or("no details");
        bail!("GET {path}: {status}: {detail}");
    }
    serde_json::from_slice(&body).with_context(|| format!("GET {path}: the answer is not JSON"))
}

/// Which given token reads what: the first with a reading role, the first of an auditor.
struct Access {
    reader: String,
    auditor: Option<String>,
}

async fn access(client: &reqwest::Client, target: &NodeTarget) -> anyhow::Result<Access> {
    let health = get_json(client, &target.url, "/healthz", None).await?;
    match health.get("node").and_then(Value::as_str) {
        Some(id) if id == target.node => {}
        Some(id) => bail!(
            "the server at {} is {id}, not {}: check --node",
            target.url,
            target.node
        ),
        None => bail!("/healthz does not name the node"),
    }
    let mut reader = None;
    let mut auditor = None;
    for (n, token) in target.tokens.iter().enumerate() {
        let me = get_json(client, &target.url, "/api/v1/auth/me", Some(token))
            .await
            .with_context(|| format!("token {} of {}", n + 1, target.node))?;
        let roles: BTreeSet<&str> = me
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if reader.is_none() && READER_ROLES.iter().any(|r| roles.contains(r)) {
            reader = Some(token.clone());
        }
        if auditor.is_none() && roles.contains("auditor") {
            auditor = Some(token.clone());
        }
    }
    let Some(reader) = reader else {
        bail!(
            "no token of {} belongs to a user with one of the roles {}, which reading screening runs needs",
            target.node,
            READER_ROLES.join(", ")
        );
    };
    Ok(Access { reader, auditor })
}

/// Every entry of one action, page by page.
async fn audit_entries(
    client: &reqwest::Client,
    target: &NodeTarget,
    token: &str,
    action: &str,
) -> anyhow::Result<Vec<AuditSeen>> {
    let mut entries = Vec::new();
    let mut after = 0i64;
    loop {
        let page = get_json(
            client,
            &target.url,
            &format!("/api/v1/audit?action={action}&after={after}&limit={AUDIT_PAGE}"),
            Some(token),
        )
        .await?;
        let items = page.as_array().map(Vec::as_slice).unwrap_or_default();
        for item in items {
            let seq = item.get("seq").and_then(Value::as_i64).unwrap_or(after);
            after = after.max(seq);
            if item.get("outcome").and_then(Value::as_str) != Some("ok") {
                continue;
            }
            entries.push(AuditSeen {
                seq,
                action: string(item, "action"),
                objects: strings(item, "objects"),
                recipients: strings(item, "recipients"),
                detail: item
                    .get("detail")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        }
        if items.len() < AUDIT_PAGE {
            return Ok(entries);
        }
    }
}

fn string(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

async fn read_node(
    client: &reqwest::Client,
    target: &NodeTarget,
) -> anyhow::Result<(NodeActivity, Vec<String>)> {
    let mut warnings = Vec::new();
    let access = access(client, target).await?;
    let listed = get_json(
        client,
        &target.url,
        &format!("/api/v1/manifests?limit={RUNS_LISTED}"),
        Some(&access.reader),
    )
    .await?;
    let listed = listed.as_array().map(Vec::as_slice).unwrap_or_default();
    // Runs in the order they were made; the list is newest first.
    let mut run_ids: Vec<String> = listed
        .iter()
        .rev()
        .filter(|r| r.get("kind").and_then(Value::as_str) == Some("manifest"))
        .map(|r| string(r, "id"))
        .collect();
    let mut audit = None;
    match &access.auditor {
        Some(token) => {
            // The audit log names every run, also those older than the list reaches.
            for entry in audit_entries(client, target, token, "screen_manifest").await? {
                if let Some((_, id)) = entry
                    .detail
                    .as_deref()
                    .and_then(|d| d.rsplit_once("; run "))
                    && !run_ids.iter().any(|r| r == id.trim())
                {
                    run_ids.push(id.trim().to_owned());
                }
            }
            let mut entries = Vec::new();
            for action in DISCLOSURE_ACTIONS {
                entries.extend(audit_entries(client, target, token, action).await?);
            }
            entries.sort_by_key(|e| e.seq);
            audit = Some(entries);
        }
        None => {
            warnings.push(format!(
                "{}: no token of an auditor, so the audit log was not read: disclosure requests cannot be traced to their records{}",
                target.node,
                if listed.len() >= RUNS_LISTED as usize {
                    format!(", and only the latest {RUNS_LISTED} runs were read")
                } else {
                    String::new()
                }
            ));
        }
    }
    let mut runs = Vec::new();
    for id in &run_ids {
        let report = get_json(
            client,
            &target.url,
            &format!("/api/v1/manifests/{id}"),
            Some(&access.reader),
        )
        .await?;
        runs.push(run_from_report(&target.node, &report));
    }
    let outgoing = get_json(
        client,
        &target.url,
        "/api/v1/disclosure-requests?direction=outgoing",
        Some(&access.reader),
    )
    .await?;
    let disclosures = outgoing
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| DisclosureSeen {
            id: string(d, "id"),
            partner: string(d, "partner"),
            state: string(d, "state"),
        })
        .collect();
    Ok((
        NodeActivity {
            node: target.node.clone(),
            runs,
            disclosures,
            audit,
        },
        warnings,
    ))
}

/// A manifest report (`GET /api/v1/manifests/{id}`) as scoring reads it. A hit's record is keyed by its
/// owner; a record kept from a partner's disclosure (`node-xbb:p000406`) by the partner's own id.
fn run_from_report(node: &str, report: &Value) -> ScreeningRun {
    let legs = report
        .get("flights")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|f| LegSeen {
            flight: f.get("flight").and_then(Value::as_str).map(str::to_owned),
            departure: f
                .get("departure")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
        .collect();
    let travellers = report
        .get("travellers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| ScreenedTraveller {
            index: t
                .get("index")
                .and_then(Value::as_u64)
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or_default(),
            name: string(t, "name"),
            birth_date: t
                .get("birth_date")
                .and_then(Value::as_str)
                .map(str::to_owned),
            document: string(t, "document"),
            hits: t
                .get("hits")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|h| hit_from_report(node, h))
                .collect(),
        })
        .collect();
    ScreeningRun {
        id: string(report, "id"),
        format: string(report, "format"),
        legs,
        travellers,
    }
}

fn hit_from_report(node: &str, hit: &Value) -> ScreenedHit {
    let record = hit.get("record").and_then(|r| {
        let record_type = r.get("type").and_then(Value::as_str)?;
        let id = r.get("id").and_then(Value::as_str)?;
        let owner = r.get("owner").and_then(Value::as_str).unwrap_or(node);
        let id = id
            .strip_prefix(owner)
            .and_then(|rest| rest.strip_prefix(':'))
            .unwrap_or(id);
        Some(RecordKey::new(owner, record_type, id))
    });
    ScreenedHit {
        hit_id: string(hit, "hit_id"),
        kind: string(hit, "kind"),
        record,
        verdict: hit
            .get("verdict")
            .and_then(Value::as_str)
            .and_then(Verdict::parse),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Output.

fn rate(value: Option<f64>) -> Value {
    value.map_or(Value::Null, |r| json!((r * 1000.0).round() / 1000.0))
}

fn figures_json(f: &Figures) -> Value {
    let w = &f.wanted;
    let h = &f.hits;
    json!({
        "score": f.score.total,
        "sections": {
            "wanted": rate(f.score.wanted),
            "false_hits": rate(f.score.false_hits),
            "networks": rate(f.score.networks),
            "deadlines": "not_applicable",
        },
        "runs": f.runs,
        "unknown_runs": f.unknown_runs,
        "manifests_screened": f.manifests_screened,
        "manifests_with_wanted": f.manifests_with_wanted,
        "unmatched_travellers": f.unmatched_travellers,
        "wanted": {
            "expected": w.expected,
            "stopped": w.stopped,
            "missed": w.missed(),
            "marked_false": w.marked_false,
            "not_reviewed": w.not_reviewed,
            "not_reported": w.not_reported,
            "not_screened": w.not_screened,
        },
        "hits": {
            "true": {
                "raised": h.true_hits,
                "confirmed": h.true_confirmed,
                "marked_false": h.true_rejected,
                "not_reviewed": h.true_pending,
            },
            "false": {
                "raised": h.false_hits,
                "confirmed": h.false_confirmed,
                "confirmed_on_honest": h.false_confirmed_on_honest,
                "marked_false": h.false_rejected,
                "not_reviewed": h.false_pending,
            },
            "unjudged": h.unjudged,
        },
        "networks": f.networks.iter().map(|n| json!({
            "id": n.id,
            "kind": n.kind,
            "operation": n.operation,
            "members": n.members.len(),
            "identified": n.identified(),
            "weight": n.weight(),
            "weight_identified": n.weight_identified(),
            "identified_members": n.members.iter().filter(|m| !m.identified_by.is_empty()).map(|m| json!({
                "identity": m.identity,
                "role": m.role,
                "weight": m.weight,
                "by": m.identified_by.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "disclosures": {
            "requested": f.disclosures.requested,
            "attributed": f.disclosures.attributed,
            "on_network_members": f.disclosures.on_network_members,
        },
        "deadlines": {
            "status": "not_applicable",
            "reason": "legal cooperation requests are not in the product yet",
        },
    })
}

fn node_json(node: &NodeScore, url: &str) -> Value {
    let mut value = figures_json(&node.figures);
    if let Some(object) = value.as_object_mut() {
        object.insert("node".into(), json!(node.node));
        object.insert("url".into(), json!(url));
        object.insert(
            "travellers".into(),
            json!(
                node.travellers
                    .iter()
                    .map(|t| json!({
                        "flight": t.flight,
                        "departure": t.departure,
                        "index": t.index,
                        "name": t.name,
                        "birth_date": t.birth_date,
                        "expected": t.expected.as_str(),
                        "note": t.note,
                        "outcome": t.outcome.as_str(),
                    }))
                    .collect::<Vec<_>>()
            ),
        );
    }
    value
}

fn score_json(truth: &GroundTruth, targets: &[NodeTarget], result: &ExerciseScore) -> Value {
    json!({
        "liaison_exercise_score": 1,
        "ground_truth": {"seed": truth.seed, "exercise_date": truth.exercise_date},
        "weights": {
            "wanted": score::WEIGHT_WANTED,
            "false_hits": score::WEIGHT_FALSE_HITS,
            "networks": score::WEIGHT_NETWORKS,
            "roles": {"organiser": score::role_weight("organiser"), "lieutenant": score::role_weight("lieutenant"), "other": score::role_weight("")},
        },
        "nodes": result.nodes.iter().map(|n| {
            let url = targets.iter().find(|t| t.node == n.node).map(|t| t.url.as_str()).unwrap_or_default();
            node_json(n, url)
        }).collect::<Vec<_>>(),
        "overall": figures_json(&result.overall),
        "warnings": result.warnings,
    })
}

fn percent(num: usize, den: usize) -> String {
    if den == 0 {
        "nothing to score".into()
    } else {
        format!("{:.1} %", num as f64 * 100.0 / den as f64)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn figures_text(out: &mut String, f: &Figures, manifests: usize) {
    use std::fmt::Write;
    let w = &f.wanted;
    let h = &f.hits;
    let _ = writeln!(
        out,
        "  screening: {}, {} of {manifests} manifests screened ({} carry travellers to stop)",
        plural(f.runs, "run", "runs"),
        f.manifests_screened,
        f.manifests_with_wanted
    );
    let _ = writeln!(
        out,
        "  wanted travellers stopped: {} of {} ({}); missed {} ({} marked false, {} not reviewed, {} not reported); not screened {}",
        w.stopped,
        w.expected,
        percent(w.stopped, w.expected),
        w.missed(),
        w.marked_false,
        w.not_reviewed,
        w.not_reported,
        w.not_screened
    );
    let _ = writeln!(
        out,
        "  false hits: {} raised; {} confirmed in error ({} on honest travellers), {} correctly marked false, {} not reviewed",
        h.false_hits,
        h.false_confirmed,
        h.false_confirmed_on_honest,
        h.false_rejected,
        h.false_pending
    );
    let _ = writeln!(
        out,
        "  true hits: {} raised; {} confirmed, {} marked false, {} not reviewed{}",
        h.true_hits,
        h.true_confirmed,
        h.true_rejected,
        h.true_pending,
        if h.unjudged > 0 {
            format!(
                "; {} not judged (risk rules)",
                plural(h.unjudged, "hit", "hits")
            )
        } else {
            String::new()
        }
    );
    let members: usize = f.networks.iter().map(|n| n.members.len()).sum();
    let identified: usize = f.networks.iter().map(|n| n.identified()).sum();
    let weight: u32 = f.networks.iter().map(|n| n.weight()).sum();
    let weight_identified: u32 = f.networks.iter().map(|n| n.weight_identified()).sum();
    let _ = writeln!(
        out,
        "  network members identified: {identified} of {members} (weight {weight_identified} of {weight})"
    );
    for n in &f.networks {
        let names: Vec<String> = n
            .members
            .iter()
            .filter(|m| !m.identified_by.is_empty())
            .map(|m| {
                let by: Vec<&str> = m
                    .identified_by
                    .iter()
                    .map(|i| match i {
                        score::Identification::ConfirmedHit => "confirmed hit",
                        score::Identification::DisclosureRequested => "disclosure requested",
                    })
                    .collect();
                format!("{} {} ({})", m.identity, m.role, by.join(", "))
            })
            .collect();
        let _ = writeln!(
            out,
            "    {} {} ({}): {} of {}{}",
            n.id,
            n.operation,
            n.kind,
            n.identified(),
            n.members.len(),
            if names.is_empty() {
                String::new()
            } else {
                format!(": {}", names.join(", "))
            }
        );
    }
    let _ = writeln!(
        out,
        "  disclosure requests: {} ({} traced to their record, {} on network members)",
        f.disclosures.requested, f.disclosures.attributed, f.disclosures.on_network_members
    );
    let _ = writeln!(
        out,
        "  deadlines met: not applicable yet (legal cooperation requests are not in the product yet)"
    );
}

fn total(f: &Figures) -> String {
    f.score
        .total
        .map_or_else(|| "nothing to score".into(), |t| format!("{t:.1} / 100"))
}

fn score_text(truth: &GroundTruth, targets: &[NodeTarget], result: &ExerciseScore) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Exercise score against the ground truth{} (exercise day {}): {}",
        truth
            .seed
            .map(|s| format!(" of seed {s}"))
            .unwrap_or_default(),
        truth.exercise_date,
        plural(result.nodes.len(), "node", "nodes")
    );
    let _ = writeln!(
        out,
        "weights: wanted travellers stopped {}, false hits handled {}, network members identified {} \
         (organiser {}, lieutenant {}, other members {}); a section with nothing to score is left out",
        score::WEIGHT_WANTED,
        score::WEIGHT_FALSE_HITS,
        score::WEIGHT_NETWORKS,
        score::role_weight("organiser"),
        score::role_weight("lieutenant"),
        score::role_weight("")
    );
    let manifests = truth.manifests.len();
    for node in &result.nodes {
        let url = targets
            .iter()
            .find(|t| t.node == node.node)
            .map(|t| t.url.as_str())
            .unwrap_or_default();
        let _ = writeln!(out, "\n{} ({url}): {}", node.node, total(&node.figures));
        figures_text(&mut out, &node.figures, manifests);
        let open: Vec<_> = node
            .travellers
            .iter()
            .filter(|t| t.outcome != score::Outcome::Stopped)
            .collect();
        if !open.is_empty() {
            let _ = writeln!(out, "  not stopped:");
            for t in open.iter().take(LISTED_OUTCOMES) {
                let _ = writeln!(
                    out,
                    "    {} {} #{} {} {} ({}{}): {}",
                    t.flight,
                    t.departure.get(..10).unwrap_or(&t.departure),
                    t.index,
                    t.name,
                    t.birth_date.as_deref().unwrap_or("?"),
                    t.expected.as_str(),
                    t.note
                        .as_deref()
                        .map(|n| format!(", {n}"))
                        .unwrap_or_default(),
                    t.outcome.as_str().replace('_', " ")
                );
            }
            if open.len() > LISTED_OUTCOMES {
                let _ = writeln!(
                    out,
                    "    ... and {} more (--json lists them all)",
                    open.len() - LISTED_OUTCOMES
                );
            }
        }
    }
    let _ = writeln!(out, "\noverall: {}", total(&result.overall));
    figures_text(&mut out, &result.overall, manifests);
    if !result.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for warning in &result.warnings {
            let _ = writeln!(out, "  {warning}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_and_token_options_are_checked() {
        let nodes = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = node_targets(
            &nodes(&["node-xaa=http://127.0.0.1:8080/"]),
            &nodes(&["node-xaa=secret1", "node-xaa=secret2"]),
        )
        .unwrap();
        assert_eq!(ok[0].url, "http://127.0.0.1:8080");
        assert_eq!(ok[0].tokens.len(), 2);
        let cases: [(&[&str], &[&str], &str); 5] = [
            (&["node-xaa"], &[], "expected NODE_ID=URL"),
            (&["node-xaa=ftp://x"], &["node-xaa=t"], "not an http"),
            (
                &["node-xaa=http://a", "node-xaa=http://b"],
                &[],
                "given twice",
            ),
            (
                &["node-xaa=http://a"],
                &["node-xbb=t"],
                "not one of the nodes",
            ),
            (&["node-xaa=http://a"], &[], "no token for node-xaa"),
        ];
        for (n, t, message) in cases {
            let error = node_targets(&nodes(n), &nodes(t)).unwrap_err().to_string();
            assert!(error.contains(message), "{n:?} {t:?}: {error}");
        }
        let error = node_targets(&nodes(&["node-xaa=http://a"]), &nodes(&["node-xaa="]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("node-xaa=..."), "{error}");
    }

    #[test]
    fn reports_key_foreign_records_by_their_owner() {
        let report = json!({
            "id": "r1", "format": "paxlst",
            "flights": [{"flight": "AQ101", "departure": "2026-12-02 21:07:00"}],
            "travellers": [{"index": 0, "name": "ZOIA ZHUKOVA", "birth_date": "1960-06-02", "document": "VF1",
                "hits": [
                    {"hit_id": "r1.0.0", "kind": "person", "record": {"type": "person", "id": "node-xbb:p7", "owner": "node-xbb"}, "verdict": "true_hit"},
                    {"hit_id": "r1.0.1", "kind": "document", "record": {"type": "document", "id": "d1", "owner": "node-xaa"}},
                    {"hit_id": "r1.0.2", "kind": "rule", "verdict": "false_hit"}
                ]}]
        });
        let run = run_from_report("node-xaa", &report);
        let hits = &run.travellers[0].hits;
        assert_eq!(
            hits[0].record,
            Some(RecordKey::new("node-xbb", "person", "p7"))
        );
        assert_eq!(hits[0].verdict, Some(Verdict::TrueHit));
        assert_eq!(
            hits[1].record,
            Some(RecordKey::new("node-xaa", "document", "d1"))
        );
        assert_eq!(hits[1].verdict, None);
        assert_eq!(hits[2].record, None);
        assert_eq!(run.legs[0].flight.as_deref(), Some("AQ101"));
    }
}
