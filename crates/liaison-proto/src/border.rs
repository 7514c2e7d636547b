//! Bodies of the border-screening API: document (MRZ) checks, manifest screening reports, officer verdicts on
//! hits and their figures, and risk rule sets. The manifest report is also what `liaison screen-manifest
//! --out` writes, so its shape is part of the contract.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ExplanationItem, HitAlert, HitRecord};

/// `POST /api/v1/mrz/check`: the machine-readable zone as read by a scanner or typed by an officer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MrzCheckRequest {
    /// The MRZ lines; alternatively the whole zone in `mrz` with line breaks.
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub mrz: Option<String>,
    /// Defaults to `border_check`.
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub case_ref: Option<String>,
    /// Propose and apply OCR corrections (default true); every correction is listed.
    #[serde(default)]
    pub correct_ocr: Option<bool>,
    /// Screen the holder and the document against this node's records (default true).
    #[serde(default)]
    pub screen: Option<bool>,
}

/// The answer to an MRZ check, also printed by `liaison mrz check --json`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MrzCheckResponse {
    /// Every check digit agrees and every date is a real date.
    pub valid: bool,
    /// `TD1`, `TD2`, `TD3`, `MRVA`, `MRVB`.
    pub format: String,
    pub document_code: String,
    pub issuing_state: String,
    pub document_number: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub expiry_date: Option<String>,
    /// The document has expired on the day of the check.
    pub expired: bool,
    pub optional_data: String,
    pub checks: Vec<MrzCheckItem>,
    pub corrections: Vec<MrzCorrection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The holder and document screened against this node (absent when screening was not asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<TravellerReport>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MrzCheckItem {
    /// `document_number`, `birth_date`, `expiry_date`, `optional_data`, `composite`...
    pub field: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MrzCorrection {
    /// 1-based line and column in the zone.
    pub line: u32,
    pub column: u32,
    pub from: String,
    pub to: String,
    pub field: String,
    pub reason: String,
}

/// The screening of a whole manifest: `POST /api/v1/manifests` answers it and `liaison screen-manifest --out`
/// writes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManifestReport {
    /// The screening run's id (for reviews and the audit log).
    pub id: String,
    /// `paxlst`, `pnrgov` or `csv`.
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub screened_at: String,
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    pub flights: Vec<FlightSummary>,
    pub summary: ManifestSummary,
    /// The risk rule set version applied, when the node has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset_version: Option<i64>,
    pub travellers: Vec<TravellerReport>,
    /// Faults tolerated while reading the file, with their position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FlightSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flight: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ManifestSummary {
    pub travellers: u32,
    /// Travellers whose highest band is `strong`.
    pub strong: u32,
    pub possible: u32,
    pub none: u32,
    /// Travellers carrying a document listed as stolen, lost, revoked or invalidated.
    pub listed_documents: u32,
    /// Travellers on whom at least one risk rule fired.
    pub rule_hits: u32,
    pub seconds: f64,
}

/// One traveller of a manifest (or the holder of a checked document) and what screening found.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TravellerReport {
    /// Position of the traveller in the manifest, from 0.
    pub index: u32,
    pub name: String,
    /// `passenger`, `crew`, `in_transit`, `infant`.
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// The first travel document's number (empty when the traveller has none).
    pub document: String,
    /// The booking reference (PNR record locator or PAXLST reservation reference), when the message gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<String>,
    /// The seat as given (`12A`), when the message gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// The worst status of the traveller's documents on this node: `not_listed`, `stolen`, `lost`, `revoked`,
    /// `invalidated`, `blank_stolen`, or `no_document`.
    pub document_status: String,
    pub documents: Vec<DocumentStatusReport>,
    /// `none`, `possible` or `strong`: the highest band of the hits.
    pub band: String,
    pub hits: Vec<ManifestHit>,
    /// What the alerts behind the hits ask the officer to do, most urgent hit first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// Sum of the scores of the risk rules that fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DocumentStatusReport {
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    /// `not_listed` or the status of the listed record.
    pub status: String,
    /// The document expired before the day of travel (or of the check).
    #[serde(default)]
    pub expired: bool,
}

/// A hit on a traveller: a person or document record of this node, or a risk rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManifestHit {
    /// Refer to the hit with this id to record the officer's verdict.
    pub hit_id: String,
    /// `person`, `document`, `vehicle` or `rule`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<HitRecord>,
    pub score: f64,
    pub band: String,
    pub explanation: Vec<ExplanationItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<HitAlert>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RuleRef {
    pub id: String,
    pub title: String,
}

/// `GET /api/v1/screenings`: recent screening runs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreeningRunSummary {
    pub id: String,
    pub kind: String,
    pub created_at: String,
    pub username: String,
    pub purpose: String,
    pub source: String,
    pub travellers: u32,
    pub hits: u32,
}

/// `POST /api/v1/hits/{id}/review`: the officer's verdict.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HitReviewRequest {
    /// `true_hit` (confirmed: the traveller is the listed person or carries the listed document) or
    /// `false_hit`.
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HitReviewResponse {
    pub hit_id: String,
    pub verdict: String,
    pub reviewed_by: String,
    pub reviewed_at: String,
}

/// `GET /api/v1/hits/statistics`: how many hits, confirmed and false, per rule, alert category, band and kind.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HitStatistics {
    pub rows: Vec<HitStatisticsRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HitStatisticsRow {
    /// `rule`, `alert_category`, `band` or `kind`.
    pub dimension: String,
    pub key: String,
    pub hits: u64,
    pub confirmed: u64,
    pub false_hits: u64,
    /// Hits not reviewed yet.
    pub pending: u64,
    /// Confirmed among reviewed, when any were reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
}

/// `POST /api/v1/risk-rules`: a new version of the node's rule set, in the rule language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RuleSetUpload {
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RuleSetBody {
    pub version: i64,
    pub name: String,
    pub fingerprint: String,
    pub created_by: String,
    pub created_at: String,
    pub active: bool,
    pub rules: u32,
    pub text: String,
}

/// The report as CSV, one row per hit (and one row for each traveller without hits), for spreadsheets and
/// case files: traveller, document and its status, band, hit, score, alert, required action.
pub fn report_csv(report: &ManifestReport) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "traveller",
        "name",
        "role",
        "birth_date",
        "nationality",
        "document",
        "document_status",
        "band",
        "hit_id",
        "hit_kind",
        "record",
        "score",
        "alert_category",
        "action",
        "explanation",
    ])?;
    for traveller in &report.travellers {
        let base = [
            traveller.index.to_string(),
            traveller.name.clone(),
            traveller.role.clone(),
            traveller.birth_date.clone().unwrap_or_default(),
            traveller.nationality.clone().unwrap_or_default(),
            traveller.document.clone(),
            traveller.document_status.clone(),
            traveller.band.clone(),
        ];
        if traveller.hits.is_empty() {
            let mut row: Vec<String> = base.to_vec();
            row.extend(std::iter::repeat_n(String::new(), 7));
            writer.write_record(&row)?;
        }
        for hit in &traveller.hits {
            let mut row: Vec<String> = base.to_vec();
            let record = match (&hit.record, &hit.rule) {
                (Some(r), _) => format!("{}/{}", r.record_type, r.id.as_deref().unwrap_or("")),
                (None, Some(rule)) => format!("rule/{}", rule.id),
                (None, None) => String::new(),
            };
            row.extend([
                hit.hit_id.clone(),
                hit.kind.clone(),
                record,
                format!("{:.3}", hit.score),
                hit.alerts
                    .iter()
                    .map(|a| a.category.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                hit.alerts
                    .iter()
                    .filter_map(|a| a.action.as_deref())
                    .collect::<Vec<_>>()
                    .join("; "),
                hit.explanation
                    .iter()
                    .map(|e| e.text.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
            writer.write_record(&row)?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `GET /api/v1/vehicles/check`: a vehicle's VIN and/or plate checked against stolen and sought vehicles.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VehicleCheckResponse {
    /// `not_listed` or the worst status of the listed vehicles that matched (`stolen`, `sought`...).
    pub status: String,
    /// `none`, `possible` or `strong`.
    pub band: String,
    pub hits: Vec<ManifestHit>,
    /// What the alerts behind the hits ask the officer to do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
}
