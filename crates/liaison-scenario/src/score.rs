//! Scoring an exercise: what trainees did on each node (manifests screened and the officers' verdicts on
//! their hits, disclosure requests, the audit log) measured against a scenario's ground truth. Pure and
//! deterministic: `liaison exercise score` reads the nodes and hands their activity in as
//! [`NodeActivity`]; [`score`] answers the figures per node and overall. The weights are documented in
//! `docs/exercises.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{Expected, GROUND_TRUTH_VERSION, ScenarioError};

/// Points out of 100 for stopping the wanted travellers each node should stop.
pub const WEIGHT_WANTED: f64 = 50.0;
/// Points for handling false hits: rejected ones count for, confirmed ones against.
pub const WEIGHT_FALSE_HITS: f64 = 25.0;
/// Points for identifying the members of the planted networks.
pub const WEIGHT_NETWORKS: f64 = 25.0;

/// How much identifying one network member is worth: the leaders are what an investigation is after.
pub fn role_weight(role: &str) -> u32 {
    match role {
        "organiser" => 3,
        "lieutenant" => 2,
        _ => 1,
    }
}

/// A record on a node: what ground-truth targets, hits and disclosures are compared by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordKey {
    pub node: String,
    /// `person`, `document`, `alert`, ...
    pub record_type: String,
    pub id: String,
}

impl RecordKey {
    pub fn new(node: &str, record_type: &str, id: &str) -> Self {
        RecordKey {
            node: node.to_owned(),
            record_type: record_type.to_owned(),
            id: id.to_owned(),
        }
    }
}

impl std::fmt::Display for RecordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}/{}", self.node, self.record_type, self.id)
    }
}

// ---------------------------------------------------------------------------------------------------------
// The ground truth, as far as scoring needs it.

/// The parts of `ground_truth.json` that scoring reads.
#[derive(Debug, Clone, PartialEq)]
pub struct GroundTruth {
    pub seed: Option<u64>,
    pub exercise_date: String,
    /// The node of every scenario country, in order.
    pub nodes: Vec<String>,
    pub identities: Vec<TruthIdentity>,
    pub networks: Vec<TruthNetwork>,
    pub manifests: Vec<TruthManifest>,
}

/// A person of the planted cast and every record held on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthIdentity {
    pub id: String,
    pub kind: String,
    /// Their person records, documents and alerts on every node.
    pub records: Vec<RecordKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthNetwork {
    pub id: String,
    pub kind: String,
    pub operation: String,
    pub members: Vec<TruthMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthMember {
    /// An [`TruthIdentity::id`].
    pub identity: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthManifest {
    pub flight: String,
    /// `2026-12-02T21:07`.
    pub departure: String,
    pub travellers: Vec<TruthTraveller>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthTraveller {
    /// Position in the PAXLST message.
    pub index: u64,
    /// As on the passport (PAXLST).
    pub surname: String,
    pub given_names: String,
    /// As booked (PNRGOV).
    pub booked_surname: String,
    pub booked_given_names: String,
    pub birth_date: Option<String>,
    pub document: Option<String>,
    pub expected: Expected,
    pub identity: Option<String>,
    pub note: Option<String>,
    /// The records a screening should find, on the nodes that hold them.
    pub targets: Vec<RecordKey>,
}

impl TruthTraveller {
    /// True when `node` holds an alert on the traveller or lists the document they carry: the nodes that
    /// must stop them at the border (a person merely recorded is no hit there).
    pub fn held_on(&self, node: &str) -> bool {
        self.targets
            .iter()
            .any(|t| t.node == node && (t.record_type == "alert" || t.record_type == "document"))
    }
}

fn bad(path: &str, reason: impl Into<String>) -> ScenarioError {
    ScenarioError::Generated {
        what: format!("ground truth: {path}"),
        reason: reason.into(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn field<'a>(value: &'a Value, path: &str, key: &str) -> Result<&'a Value, ScenarioError> {
    value
        .get(key)
        .ok_or_else(|| bad(&join(path, key), "missing"))
}

fn text(value: &Value, path: &str, key: &str) -> Result<String, ScenarioError> {
    match field(value, path, key)? {
        Value::String(s) => Ok(s.clone()),
        other => Err(bad(
            &join(path, key),
            format!("expected a string, found {}", kind_of(other)),
        )),
    }
}

fn opt_text(value: &Value, path: &str, key: &str) -> Result<Option<String>, ScenarioError> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(bad(
            &join(path, key),
            format!("expected a string or null, found {}", kind_of(other)),
        )),
    }
}

fn list<'a>(value: &'a Value, path: &str, key: &str) -> Result<&'a [Value], ScenarioError> {
    match field(value, path, key)? {
        Value::Array(items) => Ok(items),
        other => Err(bad(
            &join(path, key),
            format!("expected a list, found {}", kind_of(other)),
        )),
    }
}

fn number(value: &Value, path: &str, key: &str) -> Result<u64, ScenarioError> {
    let found = field(value, path, key)?;
    found.as_u64().ok_or_else(|| {
        bad(
            &join(path, key),
            format!("expected a whole number, found {}", kind_of(found)),
        )
    })
}

fn parse_expected(value: &str, path: &str) -> Result<Expected, ScenarioError> {
    [
        Expected::WantedPerson,
        Expected::StolenDocument,
        Expected::Both,
        Expected::Honest,
    ]
    .into_iter()
    .find(|e| e.as_str() == value)
    .ok_or_else(|| {
        bad(
            path,
            format!("`{value}` is not one of: wanted_person, stolen_document, both, honest"),
        )
    })
}

impl GroundTruth {
    /// Reads `ground_truth.json`; every problem names the field (`manifests[2].travellers[7].expected`).
    pub fn from_json(text: &str) -> Result<GroundTruth, ScenarioError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| bad("the file", format!("not JSON: {e}")))?;
        GroundTruth::from_value(&value)
    }

    pub fn from_value(root: &Value) -> Result<GroundTruth, ScenarioError> {
        if !root.is_object() {
            return Err(bad(
                "the file",
                format!("expected an object, found {}", kind_of(root)),
            ));
        }
        let version_key = "liaison_scenario_ground_truth";
        match root.get(version_key) {
            None => {
                return Err(bad(
                    version_key,
                    "missing: this is not a ground-truth file (scenario.json is the summary; use ground_truth.json)",
                ));
            }
            Some(v) if v.as_u64() == Some(GROUND_TRUTH_VERSION) => {}
            Some(v) => {
                return Err(bad(
                    version_key,
                    format!(
                        "version {v} is not supported: this build reads version {GROUND_TRUTH_VERSION}"
                    ),
                ));
            }
        }
        let seed = root.get("seed").and_then(Value::as_u64);
        let exercise_date = text(root, "", "exercise_date")?;
        let mut nodes = Vec::new();
        for (i, country) in list(root, "", "countries")?.iter().enumerate() {
            nodes.push(text(country, &format!("countries[{i}]"), "node")?);
        }
        let mut identities = Vec::new();
        for (i, identity) in list(root, "", "identities")?.iter().enumerate() {
            identities.push(parse_identity(identity, &format!("identities[{i}]"))?);
        }
        let mut networks = Vec::new();
        for (i, network) in list(root, "", "networks")?.iter().enumerate() {
            let path = format!("networks[{i}]");
            let mut members = Vec::new();
            for (j, member) in list(network, &path, "members")?.iter().enumerate() {
                let member_path = format!("{path}.members[{j}]");
                members.push(TruthMember {
                    identity: text(member, &member_path, "identity")?,
                    role: opt_text(member, &member_path, "role")?.unwrap_or_default(),
                });
            }
            networks.push(TruthNetwork {
                id: text(network, &path, "id")?,
                kind: opt_text(network, &path, "kind")?.unwrap_or_default(),
                operation: opt_text(network, &path, "operation")?.unwrap_or_default(),
                members,
            });
        }
        let mut manifests = Vec::new();
        for (i, manifest) in list(root, "", "manifests")?.iter().enumerate() {
            let path = format!("manifests[{i}]");
            let mut travellers = Vec::new();
            for (j, traveller) in list(manifest, &path, "travellers")?.iter().enumerate() {
                travellers.push(parse_traveller(
                    traveller,
                    &format!("{path}.travellers[{j}]"),
                )?);
            }
            manifests.push(TruthManifest {
                flight: text(manifest, &path, "flight")?,
                departure: text(manifest, &path, "departure")?,
                travellers,
            });
        }
        Ok(GroundTruth {
            seed,
            exercise_date,
            nodes,
            identities,
            networks,
            manifests,
        })
    }
}

fn parse_identity(identity: &Value, path: &str) -> Result<TruthIdentity, ScenarioError> {
    let mut records = Vec::new();
    for (i, record) in list(identity, path, "records")?.iter().enumerate() {
        let record_path = format!("{path}.records[{i}]");
        let node = text(record, &record_path, "node")?;
        records.push(RecordKey::new(
            &node,
            "person",
            &text(record, &record_path, "person")?,
        ));
        if let Some(documents) = record.get("documents").filter(|d| !d.is_null()) {
            let documents = documents.as_array().ok_or_else(|| {
                bad(
                    &join(&record_path, "documents"),
                    format!("expected a list, found {}", kind_of(documents)),
                )
            })?;
            for (j, document) in documents.iter().enumerate() {
                let id = document.as_str().ok_or_else(|| {
                    bad(
                        &format!("{record_path}.documents[{j}]"),
                        format!("expected a string, found {}", kind_of(document)),
                    )
                })?;
                records.push(RecordKey::new(&node, "document", id));
            }
        }
        if record.get("alerts").is_some_and(|a| !a.is_null()) {
            for (j, alert) in list(record, &record_path, "alerts")?.iter().enumerate() {
                let id = text(alert, &format!("{record_path}.alerts[{j}]"), "id")?;
                records.push(RecordKey::new(&node, "alert", &id));
            }
        }
    }
    Ok(TruthIdentity {
        id: text(identity, path, "id")?,
        kind: opt_text(identity, path, "kind")?.unwrap_or_default(),
        records,
    })
}

fn parse_traveller(traveller: &Value, path: &str) -> Result<TruthTraveller, ScenarioError> {
    let surname = text(traveller, path, "surname")?;
    let given_names = text(traveller, path, "given_names")?;
    let expected_path = join(path, "expected");
    let expected = parse_expected(&text(traveller, path, "expected")?, &expected_path)?;
    let document = match traveller.get("document") {
        None | Some(Value::Null) => None,
        Some(document) => opt_text(document, &join(path, "document"), "number")?,
    };
    let mut targets = Vec::new();
    for (i, target) in list(traveller, path, "targets")?.iter().enumerate() {
        let target_path = format!("{path}.targets[{i}]");
        targets.push(RecordKey::new(
            &text(target, &target_path, "node")?,
            &text(target, &target_path, "type")?,
            &text(target, &target_path, "id")?,
        ));
    }
    Ok(TruthTraveller {
        index: number(traveller, path, "index")?,
        booked_surname: opt_text(traveller, path, "booked_surname")?
            .unwrap_or_else(|| surname.clone()),
        booked_given_names: opt_text(traveller, path, "booked_given_names")?
            .unwrap_or_else(|| given_names.clone()),
        surname,
        given_names,
        birth_date: opt_text(traveller, path, "birth_date")?,
        document,
        expected,
        identity: opt_text(traveller, path, "identity")?,
        note: opt_text(traveller, path, "note")?,
        targets,
    })
}

// ---------------------------------------------------------------------------------------------------------
// What the nodes show.

/// Everything read from one node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeActivity {
    /// The node id (`node-xaa`).
    pub node: String,
    /// Manifest screening runs with the verdicts recorded on their hits.
    pub runs: Vec<ScreeningRun>,
    /// Disclosure requests this node made.
    pub disclosures: Vec<DisclosureSeen>,
    /// The audit entries that tell disclosures apart (`disclosure.request`, `disclosure.decision`,
    /// `disclosure.approve`, `federated_search`, `federated_search.answer`); `None` when the log could not be
    /// read.
    pub audit: Option<Vec<AuditSeen>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreeningRun {
    pub id: String,
    /// `paxlst`, `pnrgov` or `csv`.
    pub format: String,
    /// The legs the manifest names, the screened flight first (a PNRGOV adds the bookings' other legs).
    pub legs: Vec<LegSeen>,
    pub travellers: Vec<ScreenedTraveller>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegSeen {
    pub flight: Option<String>,
    /// Date and time as the report gives them (`2026-12-02 21:07:00`).
    pub departure: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreenedTraveller {
    /// Position in the screened file.
    pub index: u32,
    /// Given names then surname, as the report prints them.
    pub name: String,
    pub birth_date: Option<String>,
    /// The first document's number.
    pub document: String,
    pub hits: Vec<ScreenedHit>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreenedHit {
    pub hit_id: String,
    /// `person`, `document`, `vehicle` or `rule`.
    pub kind: String,
    /// The record hit, already keyed by its owner node.
    pub record: Option<RecordKey>,
    pub verdict: Option<Verdict>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    TrueHit,
    FalseHit,
}

impl Verdict {
    pub fn parse(text: &str) -> Option<Verdict> {
        match text {
            "true_hit" => Some(Verdict::TrueHit),
            "false_hit" => Some(Verdict::FalseHit),
            _ => None,
        }
    }
}

/// An outgoing disclosure request as the requesting node lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisclosureSeen {
    pub id: String,
    pub partner: String,
    /// `pending`, `approved`, `refused` or `expired`.
    pub state: String,
}

/// One audit entry, the fields scoring reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSeen {
    pub seq: i64,
    pub action: String,
    pub objects: Vec<String>,
    pub recipients: Vec<String>,
    pub detail: Option<String>,
}

// ---------------------------------------------------------------------------------------------------------
// Figures.

/// What became of a traveller a node should have stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// A hit on a record of the ground truth was confirmed (`true_hit`).
    Stopped,
    /// Such a hit was reported and marked `false_hit`.
    MarkedFalse,
    /// Such a hit was reported and nobody recorded a verdict.
    NotReviewed,
    /// The manifest was screened but no hit on the traveller's records was reported.
    NotReported,
    /// The traveller's manifest was never screened on the node.
    NotScreened,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Stopped => "stopped",
            Outcome::MarkedFalse => "marked_false",
            Outcome::NotReviewed => "not_reviewed",
            Outcome::NotReported => "not_reported",
            Outcome::NotScreened => "not_screened",
        }
    }
}

/// A traveller a node should have stopped, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TravellerOutcome {
    pub flight: String,
    pub departure: String,
    /// Position in the PAXLST message.
    pub index: u64,
    pub name: String,
    pub birth_date: Option<String>,
    pub expected: Expected,
    pub note: Option<String>,
    pub outcome: Outcome,
}

/// Wanted travellers (alert or listed document on the node) and how many were stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WantedFigures {
    pub expected: usize,
    pub stopped: usize,
    pub marked_false: usize,
    pub not_reviewed: usize,
    pub not_reported: usize,
    pub not_screened: usize,
}

impl WantedFigures {
    /// Screened but not confirmed.
    pub fn missed(&self) -> usize {
        self.marked_false + self.not_reviewed + self.not_reported
    }

    fn add(&mut self, other: &WantedFigures) {
        self.expected += other.expected;
        self.stopped += other.stopped;
        self.marked_false += other.marked_false;
        self.not_reviewed += other.not_reviewed;
        self.not_reported += other.not_reported;
        self.not_screened += other.not_screened;
    }

    fn count(&mut self, outcome: Outcome) {
        self.expected += 1;
        match outcome {
            Outcome::Stopped => self.stopped += 1,
            Outcome::MarkedFalse => self.marked_false += 1,
            Outcome::NotReviewed => self.not_reviewed += 1,
            Outcome::NotReported => self.not_reported += 1,
            Outcome::NotScreened => self.not_screened += 1,
        }
    }
}

/// Hits raised by screening, each (traveller, record) counted once however many runs raised it, by what
/// the officers made of them. A true hit names a record of the ground truth's targets for that traveller;
/// every other record hit is a false hit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HitFigures {
    pub true_hits: usize,
    pub true_confirmed: usize,
    /// True hits marked `false_hit`: a wanted traveller let go.
    pub true_rejected: usize,
    pub true_pending: usize,
    pub false_hits: usize,
    /// False hits marked `true_hit`: the errors that stop an innocent traveller.
    pub false_confirmed: usize,
    /// Of those, on travellers the ground truth calls honest.
    pub false_confirmed_on_honest: usize,
    pub false_rejected: usize,
    pub false_pending: usize,
    /// Risk-rule hits and hits without a record, which the ground truth does not judge.
    pub unjudged: usize,
}

impl HitFigures {
    fn add(&mut self, o: &HitFigures) {
        self.true_hits += o.true_hits;
        self.true_confirmed += o.true_confirmed;
        self.true_rejected += o.true_rejected;
        self.true_pending += o.true_pending;
        self.false_hits += o.false_hits;
        self.false_confirmed += o.false_confirmed;
        self.false_confirmed_on_honest += o.false_confirmed_on_honest;
        self.false_rejected += o.false_rejected;
        self.false_pending += o.false_pending;
        self.unjudged += o.unjudged;
    }
}

/// How a network member was identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Identification {
    /// A screening hit on them was confirmed.
    ConfirmedHit,
    /// A partner was asked to disclose a record of theirs.
    DisclosureRequested,
}

impl Identification {
    pub fn as_str(self) -> &'static str {
        match self {
            Identification::ConfirmedHit => "confirmed_hit",
            Identification::DisclosureRequested => "disclosure_requested",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFigures {
    pub identity: String,
    pub role: String,
    pub weight: u32,
    /// Empty when not identified.
    pub identified_by: BTreeSet<Identification>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFigures {
    pub id: String,
    pub kind: String,
    pub operation: String,
    pub members: Vec<MemberFigures>,
}

impl NetworkFigures {
    pub fn identified(&self) -> usize {
        self.members
            .iter()
            .filter(|m| !m.identified_by.is_empty())
            .count()
    }

    pub fn weight(&self) -> u32 {
        self.members.iter().map(|m| m.weight).sum()
    }

    pub fn weight_identified(&self) -> u32 {
        self.members
            .iter()
            .filter(|m| !m.identified_by.is_empty())
            .map(|m| m.weight)
            .sum()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DisclosureFigures {
    pub requested: usize,
    /// Requests whose record could be established from the audit logs.
    pub attributed: usize,
    /// Of those, on a record of a network member.
    pub on_network_members: usize,
}

impl DisclosureFigures {
    fn add(&mut self, o: &DisclosureFigures) {
        self.requested += o.requested;
        self.attributed += o.attributed;
        self.on_network_members += o.on_network_members;
    }
}

/// Each section's rate from 0 to 1, `None` where there was nothing to score, and the total out of 100.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScoreBreakdown {
    pub wanted: Option<f64>,
    pub false_hits: Option<f64>,
    pub networks: Option<f64>,
    /// Out of 100: the weighted mean of the sections that apply, rounded to one decimal.
    pub total: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Manifest runs read, and those that name no manifest of the ground truth.
    pub runs: usize,
    pub unknown_runs: usize,
    /// Distinct manifests of the ground truth screened at least once.
    pub manifests_screened: usize,
    /// Manifests carrying a traveller this node (or, overall, some node) should stop.
    pub manifests_with_wanted: usize,
    /// Report travellers that could not be paired with the ground truth.
    pub unmatched_travellers: usize,
    pub wanted: WantedFigures,
    pub hits: HitFigures,
    pub networks: Vec<NetworkFigures>,
    pub disclosures: DisclosureFigures,
    pub score: ScoreBreakdown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeScore {
    pub node: String,
    pub figures: Figures,
    /// Every traveller this node should have stopped, in manifest order.
    pub travellers: Vec<TravellerOutcome>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseScore {
    pub nodes: Vec<NodeScore>,
    /// Counts summed over the nodes; a network member counts once whichever node identified them.
    pub overall: Figures,
    /// What could not be scored and why.
    pub warnings: Vec<String>,
}

// ---------------------------------------------------------------------------------------------------------
// Pairing what the nodes show with the ground truth.

/// The name as a report prints it (given names, then surname), upper case, spaces collapsed.
pub fn name_key(surname: &str, given_names: &str) -> String {
    let full = match (given_names.trim(), surname.trim()) {
        ("", surname) => surname.to_owned(),
        (given, "") => given.to_owned(),
        (given, surname) => format!("{given} {surname}"),
    };
    normalise_name(&full)
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

fn flight_key(flight: &str) -> String {
    flight
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

fn day(date_time: &str) -> &str {
    date_time.get(..10).unwrap_or(date_time)
}

type TravellerRef = (usize, usize);
type PairKey = (String, String);

/// One manifest's travellers by the keys a report can be paired on.
#[derive(Debug, Default)]
struct TravellerIndex {
    on_document: BTreeMap<PairKey, usize>,
    as_booked: BTreeMap<PairKey, usize>,
    by_document: BTreeMap<PairKey, usize>,
}

struct Index<'a> {
    truth: &'a GroundTruth,
    by_flight: BTreeMap<String, Vec<usize>>,
    travellers: Vec<TravellerIndex>,
    /// Every record of an identity, to the identity's position.
    identity_of_record: BTreeMap<&'a RecordKey, usize>,
    identity_by_id: BTreeMap<&'a str, usize>,
    /// Identity position to (network position, member position).
    membership: BTreeMap<usize, (usize, usize)>,
}

impl<'a> Index<'a> {
    fn new(truth: &'a GroundTruth) -> Self {
        let mut by_flight: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut travellers = Vec::new();
        for (m, manifest) in truth.manifests.iter().enumerate() {
            by_flight
                .entry(flight_key(&manifest.flight))
                .or_default()
                .push(m);
            let mut index = TravellerIndex::default();
            for (t, traveller) in manifest.travellers.iter().enumerate() {
                let birth = traveller.birth_date.clone().unwrap_or_default();
                // The first traveller with a key keeps it: two identical passengers cannot be told apart.
                index
                    .on_document
                    .entry((
                        name_key(&traveller.surname, &traveller.given_names),
                        birth.clone(),
                    ))
                    .or_insert(t);
                index
                    .as_booked
                    .entry((
                        name_key(&traveller.booked_surname, &traveller.booked_given_names),
                        birth.clone(),
                    ))
                    .or_insert(t);
                if let Some(document) = &traveller.document {
                    index
                        .by_document
                        .entry((document.trim().to_uppercase(), birth))
                        .or_insert(t);
                }
            }
            travellers.push(index);
        }
        let mut identity_of_record = BTreeMap::new();
        let mut identity_by_id = BTreeMap::new();
        for (i, identity) in truth.identities.iter().enumerate() {
            identity_by_id.insert(identity.id.as_str(), i);
            for record in &identity.records {
                identity_of_record.insert(record, i);
            }
        }
        let mut membership = BTreeMap::new();
        for (n, network) in truth.networks.iter().enumerate() {
            for (k, member) in network.members.iter().enumerate() {
                if let Some(&i) = identity_by_id.get(member.identity.as_str()) {
                    membership.insert(i, (n, k));
                }
            }
        }
        Index {
            truth,
            by_flight,
            travellers,
            identity_of_record,
            identity_by_id,
            membership,
        }
    }

    /// The manifest a run screened: the first leg whose flight and day are a manifest's; failing that, the
    /// first leg's flight when only one manifest has that number.
    fn manifest_of(&self, run: &ScreeningRun) -> Option<usize> {
        for leg in &run.legs {
            let (Some(flight), Some(departure)) = (&leg.flight, &leg.departure) else {
                continue;
            };
            if let Some(found) = self.by_flight.get(&flight_key(flight)).and_then(|ms| {
                ms.iter().copied().find(|&m| {
                    self.truth
                        .manifests
                        .get(m)
                        .is_some_and(|manifest| day(&manifest.departure) == day(departure))
                })
            }) {
                return Some(found);
            }
        }
        let first = run.legs.first()?.flight.as_deref()?;
        match self.by_flight.get(&flight_key(first))?.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    /// The ground-truth traveller a report traveller is: by name and date of birth (as booked for a
    /// PNRGOV, as on the document otherwise, then the other way), then by document number and date of birth.
    fn traveller_of(
        &self,
        manifest: usize,
        format: &str,
        seen: &ScreenedTraveller,
    ) -> Option<usize> {
        let index = self.travellers.get(manifest)?;
        let birth = seen.birth_date.clone().unwrap_or_default();
        let name = (normalise_name(&seen.name), birth.clone());
        let (first, second) = if format == "pnrgov" {
            (&index.as_booked, &index.on_document)
        } else {
            (&index.on_document, &index.as_booked)
        };
        first
            .get(&name)
            .or_else(|| second.get(&name))
            .or_else(|| {
                index
                    .by_document
                    .get(&(seen.document.trim().to_uppercase(), birth))
            })
            .copied()
    }

    fn traveller(&self, (m, t): TravellerRef) -> Option<&'a TruthTraveller> {
        self.truth.manifests.get(m)?.travellers.get(t)
    }

    fn member_identity(&self, identity: &str) -> Option<usize> {
        let &i = self.identity_by_id.get(identity)?;
        self.membership.contains_key(&i).then_some(i)
    }
}

/// What the officers said about one (traveller, hit) across every run that raised it.
#[derive(Debug, Clone, Copy, Default)]
struct Verdicts {
    confirmed: bool,
    rejected: bool,
}

impl Verdicts {
    fn record(&mut self, verdict: Option<Verdict>) {
        match verdict {
            Some(Verdict::TrueHit) => self.confirmed = true,
            Some(Verdict::FalseHit) => self.rejected = true,
            None => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum HitKey {
    Record(RecordKey),
    /// Risk rules and hits without a record, by hit id (not judged).
    Unjudged(String),
}

// ---------------------------------------------------------------------------------------------------------
// Which record a disclosure request was about.

fn disclosure_id(entry: &AuditSeen) -> Option<&str> {
    entry
        .objects
        .iter()
        .find_map(|o| o.strip_prefix("disclosure/"))
}

/// `<type>/<id>`.
fn record_object(object: &str) -> Option<(&str, &str)> {
    let (record_type, id) = object.split_once('/')?;
    (!record_type.is_empty()
        && !id.is_empty()
        && record_type != "disclosure"
        && record_type != "hit")
        .then_some((record_type, id))
}

/// The text after `marker` up to the first of `ends` (or the end).
fn after<'t>(text: &'t str, marker: &str, ends: &[char]) -> Option<&'t str> {
    let start = text.find(marker)? + marker.len();
    let rest = text.get(start..)?;
    let end = rest.find(ends).unwrap_or(rest.len());
    rest.get(..end).map(str::trim)
}

/// The record each outgoing disclosure request was about, where the audit logs tell: the requester's log
/// names a received record, the owner's log names an approved one, and for requests not (yet) approved the
/// requester's federated search and the owner's answer under the same correlation list the hit references
/// and the records in the same order.
pub fn disclosure_records(nodes: &[NodeActivity]) -> BTreeMap<(String, String), RecordKey> {
    let mut found = BTreeMap::new();
    let audit_of = |node: &str| {
        nodes
            .iter()
            .find(|n| n.node == node)
            .and_then(|n| n.audit.as_deref())
    };
    for requester in nodes {
        let Some(log) = requester.audit.as_deref() else {
            continue;
        };
        let mut partners: BTreeMap<&str, &str> = requester
            .disclosures
            .iter()
            .map(|d| (d.id.as_str(), d.partner.as_str()))
            .collect();
        for entry in log.iter().filter(|e| e.action == "disclosure.request") {
            if let (Some(id), Some(partner)) = (disclosure_id(entry), entry.recipients.first()) {
                partners.entry(id).or_insert(partner.as_str());
            }
        }
        for (id, partner) in &partners {
            let key = (requester.node.clone(), (*id).to_owned());
            // The record kept on arrival: `person/node-xbb:p000406`.
            let received = log
                .iter()
                .filter(|e| e.action == "disclosure.decision" && disclosure_id(e) == Some(id))
                .flat_map(|e| &e.objects)
                .filter_map(|o| record_object(o))
                .find_map(|(record_type, foreign)| {
                    let owner_id = foreign.strip_prefix(&format!("{partner}:"))?;
                    Some(RecordKey::new(partner, record_type, owner_id))
                });
            let approved = || {
                audit_of(partner)?
                    .iter()
                    .filter(|e| e.action == "disclosure.approve" && disclosure_id(e) == Some(id))
                    .flat_map(|e| &e.objects)
                    .find_map(|o| record_object(o))
                    .map(|(record_type, rid)| RecordKey::new(partner, record_type, rid))
            };
            let answered =
                || correlated_record(log, audit_of(partner)?, id, partner, &requester.node);
            if let Some(record) = received.or_else(approved).or_else(answered) {
                found.insert(key, record);
            }
        }
    }
    found
}

fn correlated_record(
    requester_log: &[AuditSeen],
    owner_log: &[AuditSeen],
    id: &str,
    partner: &str,
    requester: &str,
) -> Option<RecordKey> {
    let request = requester_log
        .iter()
        .find(|e| e.action == "disclosure.request" && disclosure_id(e) == Some(id))?;
    // "hit node-xbb/REF; legal basis: ..."
    let hit_ref = after(request.detail.as_deref()?, "hit ", &[';'])?;
    let wanted = format!("hit/{hit_ref}");
    let search = requester_log
        .iter()
        .find(|e| e.action == "federated_search" && e.objects.contains(&wanted))?;
    let correlation = after(search.detail.as_deref()?, "correlation ", &[';', ' '])?;
    let prefix = format!("hit/{partner}/");
    let refs: Vec<&String> = search
        .objects
        .iter()
        .filter(|o| o.starts_with(&prefix))
        .collect();
    let position = refs.iter().position(|o| **o == wanted)?;
    let answer = owner_log.iter().find(|e| {
        e.action == "federated_search.answer"
            && e.recipients.iter().any(|r| r == requester)
            && e.detail
                .as_deref()
                .and_then(|d| after(d, "correlation ", &[':', ';', ' ']))
                == Some(correlation)
    })?;
    // A repeated correlation lists only the references it had not handed out before; then the positions
    // no longer agree and the request stays unattributed.
    if answer.objects.len() != refs.len() {
        return None;
    }
    let (record_type, rid) = record_object(answer.objects.get(position)?)?;
    Some(RecordKey::new(partner, record_type, rid))
}

// ---------------------------------------------------------------------------------------------------------
// Scoring.

struct NodeTally {
    score: NodeScore,
    /// Network member identity positions identified by this node, and how.
    identified: BTreeMap<usize, BTreeSet<Identification>>,
    screened: BTreeSet<usize>,
    with_wanted: BTreeSet<usize>,
}

fn empty_networks(truth: &GroundTruth) -> Vec<NetworkFigures> {
    truth
        .networks
        .iter()
        .map(|n| NetworkFigures {
            id: n.id.clone(),
            kind: n.kind.clone(),
            operation: n.operation.clone(),
            members: n
                .members
                .iter()
                .map(|m| MemberFigures {
                    identity: m.identity.clone(),
                    role: m.role.clone(),
                    weight: role_weight(&m.role),
                    identified_by: BTreeSet::new(),
                })
                .collect(),
        })
        .collect()
}

fn networks_with(
    index: &Index<'_>,
    identified: &BTreeMap<usize, BTreeSet<Identification>>,
) -> Vec<NetworkFigures> {
    let mut networks = empty_networks(index.truth);
    for (identity, how) in identified {
        if let Some(&(n, k)) = index.membership.get(identity)
            && let Some(member) = networks.get_mut(n).and_then(|n| n.members.get_mut(k))
        {
            member.identified_by.extend(how.iter().copied());
        }
    }
    networks
}

/// Each section's rate and the total out of 100, over the sections with something to score.
pub fn breakdown(
    wanted: &WantedFigures,
    hits: &HitFigures,
    networks: &[NetworkFigures],
) -> ScoreBreakdown {
    let ratio = |num: f64, den: f64| (den > 0.0).then(|| (num / den).clamp(0.0, 1.0));
    let wanted_rate = ratio(wanted.stopped as f64, wanted.expected as f64);
    let false_rate = ratio(
        hits.false_rejected as f64 - hits.false_confirmed as f64,
        hits.false_hits as f64,
    );
    let weight: u32 = networks.iter().map(NetworkFigures::weight).sum();
    let weight_identified: u32 = networks.iter().map(NetworkFigures::weight_identified).sum();
    let network_rate = ratio(f64::from(weight_identified), f64::from(weight));
    let sections = [
        (wanted_rate, WEIGHT_WANTED),
        (false_rate, WEIGHT_FALSE_HITS),
        (network_rate, WEIGHT_NETWORKS),
    ];
    let weights: f64 = sections
        .iter()
        .filter(|(rate, _)| rate.is_some())
        .map(|(_, w)| w)
        .sum();
    let points: f64 = sections
        .iter()
        .filter_map(|(rate, w)| rate.map(|r| r * w))
        .sum();
    ScoreBreakdown {
        wanted: wanted_rate,
        false_hits: false_rate,
        networks: network_rate,
        total: (weights > 0.0).then(|| (points / weights * 1000.0).round() / 10.0),
    }
}

/// Scores every node's activity against the ground truth.
pub fn score(truth: &GroundTruth, nodes: &[NodeActivity]) -> ExerciseScore {
    let index = Index::new(truth);
    let mut warnings = Vec::new();
    let disclosed = disclosure_records(nodes);
    let mut tallies = Vec::new();
    for activity in nodes {
        tallies.push(score_node(&index, activity, &disclosed, &mut warnings));
    }
    for node in &truth.nodes {
        if !nodes.iter().any(|n| &n.node == node) {
            warnings.push(format!(
                "{node} is a node of the scenario but was not read: its travellers, hits and requests are not counted"
            ));
        }
    }

    let mut wanted = WantedFigures::default();
    let mut hits = HitFigures::default();
    let mut disclosures = DisclosureFigures::default();
    let mut identified: BTreeMap<usize, BTreeSet<Identification>> = BTreeMap::new();
    let mut screened = BTreeSet::new();
    let mut with_wanted = BTreeSet::new();
    let (mut runs, mut unknown_runs, mut unmatched) = (0, 0, 0);
    for tally in &tallies {
        let f = &tally.score.figures;
        wanted.add(&f.wanted);
        hits.add(&f.hits);
        disclosures.add(&f.disclosures);
        runs += f.runs;
        unknown_runs += f.unknown_runs;
        unmatched += f.unmatched_travellers;
        for (identity, how) in &tally.identified {
            identified
                .entry(*identity)
                .or_default()
                .extend(how.iter().copied());
        }
        screened.extend(tally.screened.iter().copied());
        with_wanted.extend(tally.with_wanted.iter().copied());
    }
    let networks = networks_with(&index, &identified);
    let overall = Figures {
        runs,
        unknown_runs,
        manifests_screened: screened.len(),
        manifests_with_wanted: with_wanted.len(),
        unmatched_travellers: unmatched,
        score: breakdown(&wanted, &hits, &networks),
        wanted,
        hits,
        networks,
        disclosures,
    };
    ExerciseScore {
        nodes: tallies.into_iter().map(|t| t.score).collect(),
        overall,
        warnings,
    }
}

fn score_node(
    index: &Index<'_>,
    activity: &NodeActivity,
    disclosed: &BTreeMap<(String, String), RecordKey>,
    warnings: &mut Vec<String>,
) -> NodeTally {
    let node = activity.node.as_str();
    let truth = index.truth;
    let mut screened: BTreeSet<usize> = BTreeSet::new();
    let mut seen: BTreeMap<TravellerRef, BTreeMap<HitKey, Verdicts>> = BTreeMap::new();
    let (mut unknown_runs, mut unmatched) = (0, 0);
    for run in &activity.runs {
        let Some(m) = index.manifest_of(run) else {
            unknown_runs += 1;
            let flight = run
                .legs
                .first()
                .and_then(|l| l.flight.clone())
                .unwrap_or_else(|| "no flight".into());
            warnings.push(format!(
                "{node}: run {} ({flight}) screened no manifest of the ground truth; not counted",
                run.id
            ));
            continue;
        };
        screened.insert(m);
        let mut run_unmatched = 0;
        for traveller in &run.travellers {
            let Some(t) = index.traveller_of(m, &run.format, traveller) else {
                run_unmatched += 1;
                continue;
            };
            let hits = seen.entry((m, t)).or_default();
            for hit in &traveller.hits {
                let key = match (&hit.record, hit.kind.as_str()) {
                    (Some(record), kind) if kind != "rule" => HitKey::Record(record.clone()),
                    _ => HitKey::Unjudged(hit.hit_id.clone()),
                };
                hits.entry(key).or_default().record(hit.verdict);
            }
        }
        if run_unmatched > 0 {
            unmatched += run_unmatched;
            warnings.push(format!(
                "{node}: run {}: travellers not paired with the ground truth of {}: {run_unmatched}; their hits are not counted",
                run.id,
                truth.manifests.get(m).map(|x| x.flight.as_str()).unwrap_or("?")
            ));
        }
    }

    let mut hit_figures = HitFigures::default();
    let mut identified: BTreeMap<usize, BTreeSet<Identification>> = BTreeMap::new();
    for (&at, hits) in &seen {
        let Some(traveller) = index.traveller(at) else {
            continue;
        };
        let mut confirmed_target = false;
        for (key, verdicts) in hits {
            let HitKey::Record(record) = key else {
                hit_figures.unjudged += 1;
                continue;
            };
            if traveller.targets.contains(record) {
                hit_figures.true_hits += 1;
                if verdicts.confirmed {
                    hit_figures.true_confirmed += 1;
                    confirmed_target = true;
                } else if verdicts.rejected {
                    hit_figures.true_rejected += 1;
                } else {
                    hit_figures.true_pending += 1;
                }
            } else {
                hit_figures.false_hits += 1;
                if verdicts.confirmed {
                    hit_figures.false_confirmed += 1;
                    if traveller.expected == Expected::Honest {
                        hit_figures.false_confirmed_on_honest += 1;
                    }
                } else if verdicts.rejected {
                    hit_figures.false_rejected += 1;
                } else {
                    hit_figures.false_pending += 1;
                }
            }
        }
        if confirmed_target
            && let Some(identity) = traveller
                .identity
                .as_deref()
                .and_then(|i| index.member_identity(i))
        {
            identified
                .entry(identity)
                .or_default()
                .insert(Identification::ConfirmedHit);
        }
    }

    let mut wanted = WantedFigures::default();
    let mut outcomes = Vec::new();
    let mut with_wanted = BTreeSet::new();
    for (m, manifest) in truth.manifests.iter().enumerate() {
        for (t, traveller) in manifest.travellers.iter().enumerate() {
            if !traveller.held_on(node) {
                continue;
            }
            with_wanted.insert(m);
            let outcome = if !screened.contains(&m) {
                Outcome::NotScreened
            } else {
                let targets: Vec<&Verdicts> = seen
                    .get(&(m, t))
                    .into_iter()
                    .flatten()
                    .filter(|(key, _)| {
                        matches!(key, HitKey::Record(r) if traveller.targets.contains(r))
                    })
                    .map(|(_, v)| v)
                    .collect();
                if targets.iter().any(|v| v.confirmed) {
                    Outcome::Stopped
                } else if targets.iter().any(|v| v.rejected) {
                    Outcome::MarkedFalse
                } else if !targets.is_empty() {
                    Outcome::NotReviewed
                } else {
                    Outcome::NotReported
                }
            };
            wanted.count(outcome);
            outcomes.push(TravellerOutcome {
                flight: manifest.flight.clone(),
                departure: manifest.departure.clone(),
                index: traveller.index,
                name: name_key(&traveller.surname, &traveller.given_names),
                birth_date: traveller.birth_date.clone(),
                expected: traveller.expected,
                note: traveller.note.clone(),
                outcome,
            });
        }
    }

    let mut disclosures = DisclosureFigures::default();
    let mut requests: BTreeSet<&str> = activity.disclosures.iter().map(|d| d.id.as_str()).collect();
    if let Some(log) = activity.audit.as_deref() {
        requests.extend(
            log.iter()
                .filter(|e| e.action == "disclosure.request")
                .filter_map(disclosure_id),
        );
    }
    for id in &requests {
        disclosures.requested += 1;
        let Some(record) = disclosed.get(&(node.to_owned(), (*id).to_owned())) else {
            continue;
        };
        disclosures.attributed += 1;
        if let Some(&identity) = index.identity_of_record.get(record)
            && index.membership.contains_key(&identity)
        {
            disclosures.on_network_members += 1;
            identified
                .entry(identity)
                .or_default()
                .insert(Identification::DisclosureRequested);
        }
    }
    let unattributed = disclosures.requested - disclosures.attributed;
    if unattributed > 0 {
        warnings.push(format!(
            "{node}: {unattributed} of {} disclosure requests could not be traced to a record{}; they identify no network member",
            disclosures.requested,
            if activity.audit.is_none() {
                " (its audit log was not read)"
            } else {
                " (read the owners' audit logs too)"
            }
        ));
    }

    let networks = networks_with(index, &identified);
    let figures = Figures {
        runs: activity.runs.len(),
        unknown_runs,
        manifests_screened: screened.len(),
        manifests_with_wanted: with_wanted.len(),
        unmatched_travellers: unmatched,
        score: breakdown(&wanted, &hit_figures, &networks),
        wanted,
        hits: hit_figures,
        networks,
        disclosures,
    };
    NodeTally {
        score: NodeScore {
            node: node.to_owned(),
            figures,
            travellers: outcomes,
        },
        identified,
        screened,
        with_wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_reports_print_them() {
        assert_eq!(
            name_key("AL MAZAFR", "HASIN  HIMDAN"),
            "HASIN HIMDAN AL MAZAFR"
        );
        assert_eq!(name_key("nikitin", ""), "NIKITIN");
        assert_eq!(name_key("", "Zoia"), "ZOIA");
    }

    #[test]
    fn audit_texts_give_their_parts() {
        assert_eq!(
            after("hit node-b/abc; legal basis: x", "hit ", &[';']),
            Some("node-b/abc")
        );
        assert_eq!(
            after(
                "correlation 0190-ab: 2 hits",
                "correlation ",
                &[':', ';', ' ']
            ),
            Some("0190-ab")
        );
        assert_eq!(record_object("person/p1"), Some(("person", "p1")));
        assert_eq!(record_object("disclosure/x"), None);
        assert_eq!(record_object("hit/node-b/x"), None);
        assert_eq!(record_object("nothing"), None);
    }

    #[test]
    fn ground_truth_errors_name_the_field() {
        let cases = [
            ("[]", "the file", "expected an object"),
            (
                "{}",
                "liaison_scenario_ground_truth",
                "not a ground-truth file",
            ),
            (
                r#"{"liaison_scenario_ground_truth": 2}"#,
                "liaison_scenario_ground_truth",
                "version 2",
            ),
            (
                r#"{"liaison_scenario_ground_truth": 1, "exercise_date": "2026-12-01", "countries": [],
                   "identities": [], "networks": [],
                   "manifests": [{"flight": "AQ1", "departure": "2026-12-02T10:00", "travellers": [
                     {"index": 0, "surname": "A", "given_names": "B", "expected": "maybe", "targets": []}]}]}"#,
                "manifests[0].travellers[0].expected",
                "`maybe` is not one of",
            ),
            (
                r#"{"liaison_scenario_ground_truth": 1, "exercise_date": "2026-12-01", "countries": [{"node": 5}],
                   "identities": [], "networks": [], "manifests": []}"#,
                "countries[0].node",
                "expected a string, found a number",
            ),
            ("{", "the file", "not JSON"),
        ];
        for (text, field, reason) in cases {
            let error = GroundTruth::from_json(text).unwrap_err().to_string();
            assert!(error.contains(field), "{text}: {error}");
            assert!(error.contains(reason), "{text}: {error}");
        }
    }
}
