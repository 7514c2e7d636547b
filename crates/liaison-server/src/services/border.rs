//! Border screening: a passport's machine-readable zone or a whole passenger manifest (PAXLST, PNRGOV, CSV)
//! screened against the node's wanted and missing persons (the matching engine), its stolen, lost and revoked
//! documents (the check index) and its risk criteria; each hit explained, with the action its alert requires.
//! Every run is kept with its hits so officers can record their verdicts, and audited with its purpose.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_core::{CountryCode, PartialDate, Purpose, Role, Sex};
use liaison_formats::manifest::{ManifestFormat, ParseOptions, parse_manifest};
use liaison_formats::mrz::{Mrz, MrzOptions};
use liaison_formats::{FormatError, Manifest, Traveller};
use liaison_matching::Query;
use liaison_proto::api::{ExplanationItem, HitRecord};
use liaison_proto::border::{
    DocumentStatusReport, FlightSummary, HitReviewResponse, HitStatistics, HitStatisticsRow,
    ManifestHit, ManifestReport, ManifestSummary, MrzCheckItem, MrzCheckRequest, MrzCheckResponse,
    MrzCorrection, RuleRef, ScreeningRunSummary, TravellerReport, VehicleCheckResponse,
};
use liaison_store::{ScreeningHitRow, ScreeningRunRow};

use super::checks::{IdentifierField, ObjectMatch};
use super::records::{AccessReason, READ_ROLES, check_purpose};
use super::screening::{ScreeningIndex, alerts_on, explanation_items, rounded_score};
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Largest manifest accepted (a 10,000-passenger PNRGOV push is about 20 MB).
pub const MAX_MANIFEST_BYTES: usize = 64 * 1024 * 1024;
/// Hits kept per traveller from the matching engine.
const HITS_PER_TRAVELLER: usize = 5;
/// Roles that may record a verdict on a hit.
pub const REVIEW_ROLES: &[Role] = &[Role::Officer, Role::Supervisor, Role::Analyst];

/// Who or what is screened: a manifest traveller or the holder of a checked document.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub name: String,
    pub surname: String,
    pub given_names: String,
    pub role: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<char>,
    pub nationality: Option<String>,
    pub documents: Vec<SubjectDocument>,
    /// The day of travel (or of the check), against which expiry is judged.
    pub travel_date: NaiveDate,
    /// Risk-rule hits computed for this subject before screening.
    pub rule_hits: Vec<RuleHit>,
    /// The booking reference and seat, kept in the report so co-travellers can be linked later.
    pub booking: Option<String>,
    pub seat: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SubjectDocument {
    pub kind: Option<String>,
    pub number: String,
    pub issuing_country: Option<String>,
    pub expiry_date: Option<NaiveDate>,
}

/// A risk rule that fired on a subject.
#[derive(Debug, Clone)]
pub struct RuleHit {
    pub rule_id: String,
    pub title: String,
    pub score: f64,
    pub explanation: Vec<String>,
}

impl Subject {
    pub fn from_traveller(traveller: &Traveller, manifest: &Manifest, today: NaiveDate) -> Self {
        let travel_date = traveller
            .legs
            .iter()
            .filter_map(|&leg| manifest.flights.get(leg))
            .chain(manifest.flights.iter())
            .find_map(|leg| leg.departure_time.map(|t| t.date()))
            .unwrap_or(today);
        Subject {
            name: traveller.full_name(),
            surname: traveller.surname.clone(),
            given_names: traveller.given_names.clone(),
            role: traveller.role.as_str().to_owned(),
            birth_date: traveller.birth_date,
            sex: traveller.sex,
            nationality: traveller.nationality.clone(),
            documents: traveller
                .documents
                .iter()
                .map(|d| SubjectDocument {
                    kind: (!d.kind.is_empty()).then(|| d.kind.clone()),
                    number: d.number.clone(),
                    issuing_country: d.issuing_country.clone(),
                    expiry_date: d.expiry_date,
                })
                .collect(),
            travel_date,
            rule_hits: Vec::new(),
            booking: traveller
                .booking
                .as_ref()
                .and_then(|b| b.record_locator.clone())
                .or_else(|| traveller.reservation_ref.clone())
                .filter(|b| !b.trim().is_empty()),
            seat: traveller
                .booking
                .as_ref()
                .and_then(|b| b.seat.clone())
                .filter(|s| !s.trim().is_empty()),
        }
    }

    /// The matching engine's query, and warnings for values it cannot use.
    fn query(&self) -> (Query, Vec<String>) {
        let mut warnings = Vec::new();
        let mut names = Vec::new();
        if !self.surname.trim().is_empty() || !self.given_names.trim().is_empty() {
            // The MRZ form keeps which part is the family name, which a plain string would lose.
            names.push(format!(
                "{}<<{}",
                self.surname.trim(),
                self.given_names.trim()
            ));
        } else if !self.name.trim().is_empty() {
            names.push(self.name.trim().to_owned());
        }
        let nationality = self.nationality.as_deref().and_then(|code| {
            CountryCode::parse(code)
                .map_err(|e| warnings.push(format!("nationality `{code}` not used: {e}")))
                .ok()
        });
        let sex = self
            .sex
            .filter(|s| matches!(s, 'M' | 'F'))
            .and_then(|s| Sex::parse(&s.to_string()).ok());
        let birth_date = self
            .birth_date
            .and_then(|d| PartialDate::parse(&d.format("%Y-%m-%d").to_string()).ok());
        let query = Query {
            names,
            birth_date,
            nationality,
            sex,
            documents: self
                .documents
                .iter()
                .map(|d| d.number.clone())
                .filter(|n| !n.trim().is_empty())
                .collect(),
        };
        (query, warnings)
    }
}

fn band_rank(band: &str) -> u8 {
    match band {
        "strong" => 2,
        "possible" => 1,
        _ => 0,
    }
}

fn status_rank(status: &str) -> u8 {
    match status {
        "stolen" | "blank_stolen" => 5,
        "revoked" | "invalidated" => 4,
        "lost" => 3,
        "not_listed" => 1,
        _ => 2,
    }
}

fn screening_index(node: &Node) -> Result<Arc<ScreeningIndex>, ServiceError> {
    node.screening.clone().ok_or_else(|| {
        ServiceError::Internal("this node was started without a screening index".into())
    })
}

/// Screens every subject: names and documents through the matching engine (in parallel on all cores),
/// documents through the check index, then the alerts behind each hit.
async fn screen_subjects(
    node: &Node,
    run_id: &str,
    subjects: &[Subject],
    progress: Option<Progress>,
) -> Result<(Vec<TravellerReport>, Vec<ScreeningHitRow>), ServiceError> {
    let index = screening_index(node)?;
    let prepared: Vec<(Query, Vec<String>)> = subjects.iter().map(Subject::query).collect();
    let queries: Vec<Query> = prepared.iter().map(|(q, _)| q.clone()).collect();
    let engine = Arc::clone(&index);
    let results = tokio::task::spawn_blocking(move || screen_parallel(&engine, &queries, progress))
        .await
        .map_err(|e| ServiceError::Internal(format!("screening stopped: {e}")))??;

    let mut reports = Vec::with_capacity(subjects.len());
    let mut rows = Vec::new();
    for (position, ((subject, (_, warnings)), result)) in
        subjects.iter().zip(prepared).zip(results).enumerate()
    {
        let mut hits: Vec<ManifestHit> = Vec::new();
        let mut seen_records: BTreeSet<(String, String)> = BTreeSet::new();
        for hit in result.hits {
            // At the border only a record someone has asked to be told about is a hit: a person with an
            // alert in force. Finding that a traveller is recorded on this node, without any alert, says
            // nothing to act on, and showing it would disclose records beyond the purpose.
            let alerts = alerts_on(node, hit.record_type, &hit.id).await?;
            if alerts.is_empty() {
                continue;
            }
            seen_records.insert((hit.record_type.as_str().to_owned(), hit.id.clone()));
            hits.push(ManifestHit {
                hit_id: String::new(),
                kind: hit.record_type.as_str().to_owned(),
                record: Some(HitRecord {
                    record_type: hit.record_type.as_str().into(),
                    id: Some(hit.id.clone()),
                    owner: node.id.to_string(),
                }),
                score: rounded_score(&hit),
                band: hit.band.as_str().into(),
                explanation: explanation_items(&hit),
                alerts,
                rule: None,
            });
        }

        let mut documents = Vec::new();
        let mut worst_status = if subject.documents.is_empty() {
            "no_document".to_owned()
        } else {
            "not_listed".to_owned()
        };
        for document in &subject.documents {
            let matches = index.check_object(
                IdentifierField::DocumentNumber,
                &document.number,
                document.issuing_country.as_deref(),
            )?;
            let status = matches
                .first()
                .map_or_else(|| "not_listed".to_owned(), |m| m.status.clone());
            if status_rank(&status) > status_rank(&worst_status) {
                worst_status = status.clone();
            }
            for listed in matches {
                if seen_records.insert((listed.record_type.as_str().to_owned(), listed.id.clone()))
                {
                    hits.push(listed_hit(node, &document.number, &listed).await?);
                } else if let Some(existing) = hits.iter_mut().find(|h| {
                    h.record
                        .as_ref()
                        .is_some_and(|r| r.id.as_deref() == Some(listed.id.as_str()))
                }) {
                    // The engine found the record by its number; the check adds what the listing means.
                    existing
                        .explanation
                        .push(listed.explanation(&document.number));
                    if listed.exact {
                        existing.band = "strong".into();
                    }
                }
            }
            documents.push(DocumentStatusReport {
                number: document.number.clone(),
                kind: document.kind.clone(),
                issuing_country: document.issuing_country.clone(),
                expiry_date: document.expiry_date.map(|d| d.to_string()),
                status,
                expired: document
                    .expiry_date
                    .is_some_and(|expiry| expiry < subject.travel_date),
            });
        }

        let risk_score = (!subject.rule_hits.is_empty())
            .then(|| subject.rule_hits.iter().map(|r| r.score).sum::<f64>());
        for rule in &subject.rule_hits {
            hits.push(ManifestHit {
                hit_id: String::new(),
                kind: "rule".into(),
                record: None,
                score: rule.score,
                band: "possible".into(),
                explanation: rule
                    .explanation
                    .iter()
                    .map(|text| ExplanationItem {
                        feature: "risk_rule".into(),
                        text: text.clone(),
                        weight: 0.0,
                    })
                    .collect(),
                alerts: Vec::new(),
                rule: Some(RuleRef {
                    id: rule.rule_id.clone(),
                    title: rule.title.clone(),
                }),
            });
        }

        // Strong hits first, then by score; rules after the watch-list hits of the same band.
        hits.sort_by(|a, b| {
            band_rank(&b.band)
                .cmp(&band_rank(&a.band))
                .then((a.kind == "rule").cmp(&(b.kind == "rule")))
                .then(b.score.total_cmp(&a.score))
        });
        let mut actions: Vec<String> = Vec::new();
        for (k, hit) in hits.iter_mut().enumerate() {
            hit.hit_id = format!("{run_id}.{position}.{k}");
            for alert in &hit.alerts {
                if let Some(action) = &alert.action
                    && !actions.contains(action)
                {
                    actions.push(action.clone());
                }
            }
            rows.push(ScreeningHitRow {
                id: hit.hit_id.clone(),
                run_id: run_id.to_owned(),
                traveller: position as u32,
                kind: hit.kind.clone(),
                band: hit.band.clone(),
                alert_category: hit.alerts.first().map(|a| a.category.clone()),
                rule_id: hit.rule.as_ref().map(|r| r.id.clone()),
                record_ref: hit
                    .record
                    .as_ref()
                    .map(|r| format!("{}/{}", r.record_type, r.id.as_deref().unwrap_or(""))),
                verdict: None,
                reviewed_by: None,
                reviewed_at: None,
            });
        }
        let band = hits
            .iter()
            .map(|h| h.band.as_str())
            .max_by_key(|b| band_rank(b))
            .unwrap_or("none")
            .to_owned();
        reports.push(TravellerReport {
            index: position as u32,
            name: subject.name.clone(),
            role: subject.role.clone(),
            birth_date: subject.birth_date.map(|d| d.to_string()),
            sex: subject.sex.map(|s| s.to_string()),
            nationality: subject.nationality.clone(),
            document: subject
                .documents
                .first()
                .map(|d| d.number.clone())
                .unwrap_or_default(),
            booking: subject.booking.clone(),
            seat: subject.seat.clone(),
            document_status: worst_status,
            documents,
            band,
            hits,
            actions,
            risk_score,
            warnings,
        });
    }
    Ok((reports, rows))
}

/// Screens the queries on every core: the index is read-only while screening, so threads share it. Each
/// thread takes the next slice of queries as it finishes one, so a slow slice does not hold the others up.
fn screen_parallel(
    index: &ScreeningIndex,
    queries: &[Query],
    progress: Option<Progress>,
) -> Result<Vec<liaison_matching::ScreenResult>, ServiceError> {
    const SLICE: usize = 128;
    let total = queries.len() as u64;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(queries.len().div_ceil(SLICE).max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicU64::new(0);
    let slices: Vec<&[Query]> = queries.chunks(SLICE).collect();
    let mut results: Vec<Option<Vec<liaison_matching::ScreenResult>>> = vec![None; slices.len()];
    let worker = || -> Result<Vec<(usize, Vec<liaison_matching::ScreenResult>)>, ServiceError> {
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(slice) = slices.get(i) else {
                return Ok(mine);
            };
            mine.push((i, index.screen_unaudited(slice, HITS_PER_TRAVELLER)?));
            let screened = done.fetch_add(slice.len() as u64, std::sync::atomic::Ordering::Relaxed)
                + slice.len() as u64;
            if let Some(progress) = &progress {
                progress(screened, total);
            }
        }
    };
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| ServiceError::Internal("a screening thread failed".into()))?
            })
            .collect::<Result<Vec<_>, ServiceError>>()
    })?;
    for (i, part) in parts.into_iter().flatten() {
        results[i] = Some(part);
    }
    Ok(results.into_iter().flatten().flatten().collect())
}

/// A listed document or vehicle as a hit, with the alerts about it.
async fn listed_hit(
    node: &Node,
    checked: &str,
    listed: &ObjectMatch,
) -> Result<ManifestHit, ServiceError> {
    Ok(ManifestHit {
        hit_id: String::new(),
        kind: listed.record_type.as_str().to_owned(),
        record: Some(HitRecord {
            record_type: listed.record_type.as_str().into(),
            id: Some(listed.id.clone()),
            owner: node.id.to_string(),
        }),
        score: listed.score(),
        band: listed.band().into(),
        explanation: vec![listed.explanation(checked)],
        alerts: alerts_on(node, listed.record_type, &listed.id).await?,
        rule: None,
    })
}

fn format_error(error: FormatError, what: &str) -> ServiceError {
    let position = error.position().clone();
    let pointer = match &error.0.field {
        Some(field) => format!("{what} {position}, {field}"),
        None => format!("{what} {position}"),
    };
    ServiceError::BadRequest {
        detail: format!("{what}: {error}"),
        items: vec![(pointer, error.0.message.clone())],
    }
}

fn default_purpose(reason: &AccessReason) -> AccessReason {
    AccessReason {
        purpose: reason
            .purpose
            .clone()
            .filter(|p| !p.trim().is_empty())
            .or_else(|| Some(Purpose::BorderCheck.as_str().to_owned())),
        case_ref: reason.case_ref.clone(),
    }
}

/// Told how many subjects of how many are screened, as screening goes.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Options of one manifest screening.
#[derive(Clone, Default)]
pub struct ManifestRequest {
    pub format: Option<ManifestFormat>,
    pub strict: bool,
    /// What the file was called, for the run's list.
    pub source_name: Option<String>,
    pub progress: Option<Progress>,
}

impl std::fmt::Debug for ManifestRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManifestRequest")
            .field("format", &self.format)
            .field("strict", &self.strict)
            .field("source_name", &self.source_name)
            .finish_non_exhaustive()
    }
}

/// Reads a manifest and screens every traveller on it. The run, its hits and its report are kept; one
/// audit entry names the manifest, the purpose and every hit record.
pub async fn screen_manifest(
    node: &Node,
    caller: &Caller,
    input: &[u8],
    request: &ManifestRequest,
    reason: &AccessReason,
) -> Result<ManifestReport, ServiceError> {
    require_role(node, caller, READ_ROLES, "screen_manifest", None).await?;
    let reason = default_purpose(reason);
    let purpose = check_purpose(node, caller, "screen_manifest", "manifest", &reason).await?;
    let started = Instant::now();
    let now = node.now();
    let today = now.date_naive();
    let options = ParseOptions {
        strict: request.strict,
        today,
        max_bytes: MAX_MANIFEST_BYTES,
    };
    let manifest =
        parse_manifest(input, request.format, &options).map_err(|e| format_error(e, "manifest"))?;
    let mut subjects: Vec<Subject> = manifest
        .travellers
        .iter()
        .map(|t| Subject::from_traveller(t, &manifest, today))
        .collect();
    let ruleset = super::risk::active_rules(node).await?;
    if let Some(rules) = &ruleset {
        for (subject, traveller) in subjects.iter_mut().zip(&manifest.travellers) {
            subject.rule_hits = rules.evaluate(traveller, &manifest);
        }
    }
    let run_id = uuid::Uuid::now_v7().to_string();
    let (travellers, rows) =
        screen_subjects(node, &run_id, &subjects, request.progress.clone()).await?;

    let mut summary = ManifestSummary {
        travellers: travellers.len() as u32,
        ..ManifestSummary::default()
    };
    for traveller in &travellers {
        match traveller.band.as_str() {
            "strong" => summary.strong += 1,
            "possible" => summary.possible += 1,
            _ => summary.none += 1,
        }
        if status_rank(&traveller.document_status) > status_rank("not_listed") {
            summary.listed_documents += 1;
        }
        if traveller.hits.iter().any(|h| h.kind == "rule") {
            summary.rule_hits += 1;
        }
    }
    summary.seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    let flights: Vec<FlightSummary> = manifest
        .flights
        .iter()
        .map(|leg| FlightSummary {
            flight: leg.flight_number.clone().or_else(|| leg.carrier.clone()),
            from: leg.departure_airport.clone(),
            departure: leg.departure_time.map(|t| t.to_string()),
            to: leg.arrival_airport.clone(),
            arrival: leg.arrival_time.map(|t| t.to_string()),
        })
        .collect();
    let source = describe_manifest(&manifest, request.source_name.as_deref());
    let report = ManifestReport {
        id: run_id.clone(),
        format: manifest.format.as_str().to_owned(),
        version: manifest.version.clone(),
        screened_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        purpose: purpose.as_str().to_owned(),
        case_ref: reason.case_ref.clone(),
        flights,
        summary,
        ruleset_version: ruleset.as_ref().map(|r| r.version),
        travellers,
        warnings: manifest.warnings.iter().map(|w| w.to_string()).collect(),
    };
    keep_run(
        node,
        caller,
        RunRecord {
            id: &run_id,
            kind: "manifest",
            at: now,
            purpose,
            case_ref: reason.case_ref.as_deref(),
            source: &source,
            travellers: &report.travellers,
            ruleset_version: report.ruleset_version,
            report: serde_json::to_string(&report)
                .map_err(|e| ServiceError::Internal(format!("cannot encode the report: {e}")))?,
            rows,
        },
    )
    .await?;
    Ok(report)
}

fn describe_manifest(manifest: &Manifest, name: Option<&str>) -> String {
    let mut parts = vec![manifest.format.as_str().to_owned()];
    parts.extend(manifest.version.clone());
    if let Some(leg) = manifest.flights.first() {
        parts.extend(leg.flight_number.clone());
        if let (Some(from), Some(to)) = (&leg.departure_airport, &leg.arrival_airport) {
            parts.push(format!("{from}-{to}"));
        }
        parts.extend(leg.departure_time.map(|t| t.date().to_string()));
    }
    parts.extend(name.map(str::to_owned));
    parts.join(" ")
}

struct RunRecord<'a> {
    id: &'a str,
    kind: &'static str,
    at: DateTime<Utc>,
    purpose: Purpose,
    case_ref: Option<&'a str>,
    source: &'a str,
    travellers: &'a [TravellerReport],
    ruleset_version: Option<i64>,
    report: String,
    rows: Vec<ScreeningHitRow>,
}

/// Audits the run (who, why, which records were hit), then keeps it with its hits for review.
async fn keep_run(node: &Node, caller: &Caller, run: RunRecord<'_>) -> Result<(), ServiceError> {
    let strong = run.travellers.iter().filter(|t| t.band == "strong").count();
    let possible = run
        .travellers
        .iter()
        .filter(|t| t.band == "possible")
        .count();
    let mut event = AuditEvent::new(
        if run.kind == "manifest" {
            "screen_manifest"
        } else {
            "check_document"
        },
        "ok",
    )
    .detail(format!(
        "{}: {} travellers, {strong} strong, {possible} possible; run {}",
        run.source,
        run.travellers.len(),
        run.id
    ));
    event.objects = run
        .rows
        .iter()
        .filter_map(|r| r.record_ref.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    event.purpose = Some(run.purpose.as_str().to_owned());
    event.case_ref = run.case_ref.map(str::to_owned);
    record_audit(node, caller, event).await?;
    let row = ScreeningRunRow {
        id: run.id.to_owned(),
        kind: run.kind.to_owned(),
        created_at: run.at,
        username: caller.actor.audit_name(),
        purpose: run.purpose.as_str().to_owned(),
        case_ref: run.case_ref.map(str::to_owned),
        source: run.source.to_owned(),
        travellers: run.travellers.len() as u32,
        hits: run.rows.len() as u32,
        ruleset_version: run.ruleset_version,
        report: run.report,
    };
    node.store.put_screening_run(&row, &run.rows).await?;
    Ok(())
}

/// The report of an earlier run.
pub async fn screening_report(
    node: &Node,
    caller: &Caller,
    id: &str,
) -> Result<serde_json::Value, ServiceError> {
    require_role(
        node,
        caller,
        READ_ROLES,
        "read_screening",
        Some(id.to_owned()),
    )
    .await?;
    let run = node
        .store
        .get_screening_run(id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no screening run `{id}`")))?;
    let mut report: serde_json::Value = serde_json::from_str(&run.report)
        .map_err(|e| ServiceError::Internal(format!("stored report unreadable: {e}")))?;
    // Verdicts recorded since the run are shown on the hits they belong to.
    let verdicts: std::collections::HashMap<String, ScreeningHitRow> = node
        .store
        .screening_hits(id)
        .await?
        .into_iter()
        .filter(|h| h.verdict.is_some())
        .map(|h| (h.id.clone(), h))
        .collect();
    let travellers = report
        .get_mut("travellers")
        .and_then(|t| t.as_array_mut())
        .into_iter()
        .flatten();
    for traveller in travellers {
        let hits = traveller
            .get_mut("hits")
            .and_then(|h| h.as_array_mut())
            .into_iter()
            .flatten();
        for hit in hits {
            let Some(hit_id) = hit.get("hit_id").and_then(|v| v.as_str()) else {
                continue;
            };
            if let Some(row) = verdicts.get(hit_id)
                && let Some(object) = hit.as_object_mut()
            {
                object.insert("verdict".into(), row.verdict.clone().into());
                object.insert("reviewed_by".into(), row.reviewed_by.clone().into());
            }
        }
    }
    record_audit(
        node,
        caller,
        AuditEvent::new("read_screening", "ok").object(format!("screening/{id}")),
    )
    .await?;
    Ok(report)
}

/// Records an officer's verdict on a hit: `true_hit` or `false_hit`.
pub async fn review_hit(
    node: &Node,
    caller: &Caller,
    hit_id: &str,
    verdict: &str,
) -> Result<HitReviewResponse, ServiceError> {
    require_role(
        node,
        caller,
        REVIEW_ROLES,
        "review_hit",
        Some(hit_id.to_owned()),
    )
    .await?;
    if !matches!(verdict, "true_hit" | "false_hit") {
        return Err(ServiceError::bad_field(
            "verdict",
            format!("`{verdict}` is not a verdict: use `true_hit` or `false_hit`"),
        ));
    }
    let Some(hit) = node.store.get_screening_hit(hit_id).await? else {
        return Err(ServiceError::NotFound(format!("no hit `{hit_id}`")));
    };
    let at = node.now();
    let reviewer = caller.actor.audit_name();
    node.store
        .review_hit(hit_id, verdict, &reviewer, at)
        .await?;
    let mut event = AuditEvent::new("review_hit", "ok")
        .object(format!("hit/{hit_id}"))
        .detail(format!(
            "{verdict}{}",
            hit.verdict
                .as_deref()
                .map(|old| format!(" (was {old})"))
                .unwrap_or_default()
        ));
    event.objects.extend(hit.record_ref.clone());
    record_audit(node, caller, event).await?;
    Ok(HitReviewResponse {
        hit_id: hit_id.to_owned(),
        verdict: verdict.to_owned(),
        reviewed_by: reviewer,
        reviewed_at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

/// Hits, confirmed and false, per rule, alert category, band and kind.
pub async fn hit_statistics(
    node: &Node,
    caller: &Caller,
    since: Option<DateTime<Utc>>,
) -> Result<HitStatistics, ServiceError> {
    require_role(
        node,
        caller,
        &[Role::Supervisor, Role::Analyst, Role::Auditor, Role::Admin],
        "hit_statistics",
        None,
    )
    .await?;
    let rows = node.store.hit_statistics(since).await?;
    Ok(HitStatistics {
        rows: rows
            .into_iter()
            .map(|r| {
                let reviewed = r.confirmed + r.false_hits;
                HitStatisticsRow {
                    pending: r.hits.saturating_sub(reviewed),
                    precision: (reviewed > 0)
                        .then(|| (r.confirmed as f64 / reviewed as f64 * 1000.0).round() / 1000.0),
                    dimension: r.dimension,
                    key: r.key,
                    hits: r.hits,
                    confirmed: r.confirmed,
                    false_hits: r.false_hits,
                }
            })
            .collect(),
    })
}

/// The answer to an MRZ check without screening: what the zone says and whether its check digits agree.
pub fn describe_mrz(mrz: &Mrz, today: NaiveDate) -> MrzCheckResponse {
    MrzCheckResponse {
        valid: mrz.valid(),
        format: mrz.format.as_str().to_owned(),
        document_code: mrz.document_code.clone(),
        issuing_state: mrz.issuing_state.clone(),
        document_number: mrz.document_number.clone(),
        surname: mrz.surname.clone(),
        given_names: mrz.given_names.clone(),
        nationality: mrz.nationality.clone(),
        birth_date: mrz.birth_date.map(|d| d.to_string()),
        sex: mrz.sex.map(|s| s.to_string()),
        expiry_date: mrz.expiry_date.map(|d| d.to_string()),
        expired: mrz.expired(today),
        optional_data: mrz.optional_data.clone(),
        checks: mrz
            .checks
            .iter()
            .map(|c| MrzCheckItem {
                field: c.field.to_owned(),
                ok: c.ok,
                expected: Some(c.expected.to_string()),
                found: Some(c.found.to_string()),
            })
            .collect(),
        corrections: mrz
            .corrections
            .iter()
            .map(|c| MrzCorrection {
                line: c.line,
                column: c.column,
                from: c.from.to_string(),
                to: c.to.to_string(),
                field: c.field.to_owned(),
                reason: c.reason.clone(),
            })
            .collect(),
        warnings: mrz.warnings.iter().map(|w| w.to_string()).collect(),
        screening: None,
    }
}

/// Reads a machine-readable zone (lines, or the zone with line breaks), refusing what is not one with the
/// position of the fault.
pub fn read_mrz(text: &str, today: NaiveDate, correct_ocr: bool) -> Result<Mrz, ServiceError> {
    let options = MrzOptions { today, correct_ocr };
    liaison_formats::mrz::parse(text, &options).map_err(|e| format_error(e, "mrz"))
}

/// Checks one document's machine-readable zone and screens its holder and the document against this node:
/// what an officer at the border needs within a second.
pub async fn check_mrz(
    node: &Node,
    caller: &Caller,
    request: &MrzCheckRequest,
) -> Result<MrzCheckResponse, ServiceError> {
    require_role(node, caller, READ_ROLES, "check_document", None).await?;
    let reason = default_purpose(&AccessReason {
        purpose: request.purpose.clone(),
        case_ref: request.case_ref.clone(),
    });
    let purpose = check_purpose(node, caller, "check_document", "document", &reason).await?;
    let text = match (&request.mrz, request.lines.is_empty()) {
        (Some(mrz), true) => mrz.clone(),
        (None, false) => request.lines.join("\n"),
        (Some(_), false) => {
            return Err(ServiceError::bad_field(
                "lines",
                "give the zone either in `lines` or in `mrz`, not both",
            ));
        }
        (None, true) => {
            return Err(ServiceError::bad_field(
                "lines",
                "give the machine-readable zone in `lines` (one string per line) or in `mrz`",
            ));
        }
    };
    let now = node.now();
    let today = now.date_naive();
    let mrz = read_mrz(&text, today, request.correct_ocr.unwrap_or(true))?;
    let mut response = describe_mrz(&mrz, today);
    if request.screen == Some(false) {
        record_audit(
            node,
            caller,
            AuditEvent::new("check_document", "ok").detail(format!(
                "{} {} {}: parsed only",
                response.format, response.issuing_state, response.document_number
            )),
        )
        .await?;
        return Ok(response);
    }
    let subject = Subject {
        name: format!("{} {}", mrz.given_names, mrz.surname)
            .trim()
            .to_owned(),
        surname: mrz.surname.clone(),
        given_names: mrz.given_names.clone(),
        role: "holder".into(),
        birth_date: mrz.birth_date,
        sex: mrz.sex,
        nationality: (!mrz.nationality.is_empty()).then(|| mrz.nationality.clone()),
        documents: vec![SubjectDocument {
            kind: Some(mrz.document_code.clone()),
            number: mrz.document_number.clone(),
            issuing_country: Some(mrz.issuing_state.clone()),
            expiry_date: mrz.expiry_date,
        }],
        travel_date: today,
        rule_hits: Vec::new(),
        booking: None,
        seat: None,
    };
    let run_id = uuid::Uuid::now_v7().to_string();
    let (mut reports, rows) =
        screen_subjects(node, &run_id, std::slice::from_ref(&subject), None).await?;
    let report = reports.pop();
    let source = format!(
        "{} {} {}",
        response.format, response.issuing_state, response.document_number
    );
    keep_run(
        node,
        caller,
        RunRecord {
            id: &run_id,
            kind: "document",
            at: now,
            purpose,
            case_ref: reason.case_ref.as_deref(),
            source: &source,
            travellers: report.as_slice(),
            ruleset_version: None,
            report: serde_json::to_string(&report)
                .map_err(|e| ServiceError::Internal(format!("cannot encode the report: {e}")))?,
            rows,
        },
    )
    .await?;
    response.screening = report;
    Ok(response)
}

/// Recent screening runs, newest first.
pub async fn list_runs(
    node: &Node,
    caller: &Caller,
    limit: u32,
) -> Result<Vec<ScreeningRunSummary>, ServiceError> {
    require_role(node, caller, READ_ROLES, "list_screenings", None).await?;
    Ok(node
        .store
        .list_screening_runs(limit.clamp(1, 500))
        .await?
        .into_iter()
        .map(|run| ScreeningRunSummary {
            id: run.id,
            kind: run.kind,
            created_at: run
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            username: run.username,
            purpose: run.purpose,
            source: run.source,
            travellers: run.travellers,
            hits: run.hits,
        })
        .collect())
}

/// Checks a vehicle (VIN and/or number plate, with the plate's country when known) against the node's
/// stolen and sought vehicles, exactly or after folding OCR confusions; audited with its purpose.
pub async fn check_vehicle(
    node: &Node,
    caller: &Caller,
    vin: Option<&str>,
    plate: Option<&str>,
    plate_country: Option<&str>,
    reason: &AccessReason,
) -> Result<VehicleCheckResponse, ServiceError> {
    require_role(node, caller, READ_ROLES, "check_vehicle", None).await?;
    let vin = vin.map(str::trim).filter(|v| !v.is_empty());
    let plate = plate.map(str::trim).filter(|p| !p.is_empty());
    if vin.is_none() && plate.is_none() {
        return Err(ServiceError::bad_field(
            "vin",
            "give a VIN, a number plate, or both",
        ));
    }
    let reason = default_purpose(reason);
    let purpose = check_purpose(node, caller, "check_vehicle", "vehicle", &reason).await?;
    let index = screening_index(node)?;
    let mut matches = Vec::new();
    if let Some(vin) = vin {
        matches.extend(index.check_object(IdentifierField::Vin, vin, None)?);
    }
    if let Some(plate) = plate {
        matches.extend(index.check_object(IdentifierField::Plate, plate, plate_country)?);
    }
    let mut hits: Vec<ManifestHit> = Vec::new();
    let mut actions = Vec::new();
    for listed in &matches {
        if hits
            .iter()
            .any(|h| h.record.as_ref().and_then(|r| r.id.as_deref()) == Some(listed.id.as_str()))
        {
            continue;
        }
        let checked = match listed.field {
            IdentifierField::Vin => vin.unwrap_or_default(),
            _ => plate.unwrap_or_default(),
        };
        let hit = listed_hit(node, checked, listed).await?;
        for alert in &hit.alerts {
            if let Some(action) = &alert.action
                && !actions.contains(action)
            {
                actions.push(action.clone());
            }
        }
        hits.push(hit);
    }
    let band = hits
        .iter()
        .map(|h| h.band.as_str())
        .max_by_key(|b| band_rank(b))
        .unwrap_or("none")
        .to_owned();
    let status = matches
        .iter()
        .map(|m| m.status.clone())
        .next()
        .unwrap_or_else(|| "not_listed".to_owned());
    let mut event = AuditEvent::new("check_vehicle", "ok").detail(format!(
        "VIN {}, plate {} {}: {status}",
        vin.unwrap_or("-"),
        plate.unwrap_or("-"),
        plate_country.unwrap_or("")
    ));
    event.objects = hits
        .iter()
        .filter_map(|h| h.record.as_ref())
        .map(|r| format!("{}/{}", r.record_type, r.id.as_deref().unwrap_or("")))
        .collect();
    event.purpose = Some(purpose.as_str().to_owned());
    event.case_ref = reason.case_ref.clone();
    record_audit(node, caller, event).await?;
    Ok(VehicleCheckResponse {
        status,
        band,
        hits,
        actions,
    })
}
