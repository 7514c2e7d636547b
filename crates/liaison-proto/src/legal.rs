//! The bodies of legal cooperation: the request form (the same between a user and a node and between two
//! nodes), the request as a side sees it with its deadlines, timeline and evidence, actions, dual
//! criminality and the offence catalogue.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An authority that issues or executes a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub name: String,
    /// ISO 3166-1 alpha-2 or alpha-3 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Who to call or write to: a desk, a telephone number, an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// A person the request is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalPerson {
    /// As written in the issuing state's documents, in any script.
    pub name: String,
    /// `YYYY-MM-DD`, or partial (`YYYY`, `YYYY-MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// `suspect`, `accused`, `sentenced`, `witness`, `victim`, `requested_person` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Identity document numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    /// The requester's record of the person (`person/p1`), for its own use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

/// An offence the request concerns: the issuing state's offence and its place in the ICCS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalOffence {
    /// ICCS code (2 to 6 digits).
    pub iccs: String,
    /// The offence in the issuing state's law, in words.
    pub national_name: String,
    /// Its article or code in the issuing state's law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_code: Option<String>,
    /// The maximum custodial sentence in the issuing state, in whole years.
    pub max_penalty_years: u32,
    /// One of the 32 categories of FD 2002/584/JHA Art. 2(2) (identifier or number) the issuing side ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_category: Option<String>,
}

/// `POST /api/v1/legal-requests`, and the form a `legal.request` message carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalRequestForm {
    /// `eio`, `eaw`, `mla`, `extradition`, `information_request` or `hit_follow_up`.
    pub kind: String,
    /// The partner node that is to execute the request.
    pub executing_node: String,
    #[serde(default)]
    pub urgent: bool,
    /// Why the request is urgent (required when `urgent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    pub requesting_authority: Authority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executing_authority: Option<Authority>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<LegalPerson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offences: Vec<LegalOffence>,
    /// A summary of the facts: time, place, the person's part.
    pub facts: String,
    /// What the executing side is asked to do or give (measures, information sought).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<String>,
    /// Information requests: whether the executing side holds the information in a database its officers
    /// query directly (`direct`) or not (`indirect`); it decides the 8-hour or 3-day deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// MLA and extradition: the date (`YYYY-MM-DD`) the requester asks the execution for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
    /// Hit follow-up: the alert or hit the request follows (`alert/a1`, a hit reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_alert: Option<String>,
}

/// One deadline of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeadlineBody {
    pub name: String,
    /// UTC, RFC 3339; `null` until the event it runs from happens (or while the clock is paused).
    pub due: Option<String>,
    /// The rule, with its source.
    pub rule: String,
    /// `unknown`, `on_time`, `due_soon` or `overdue`.
    pub status: String,
    /// Whole hours left (negative when overdue); absent when `due` is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_left: Option<i64>,
}

/// One step of a request's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    pub seq: i64,
    pub at: String,
    pub action: String,
    /// `requesting` or `executing`.
    pub side: String,
    pub node: String,
    pub actor: String,
    pub state_after: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A chain-of-custody event: what happened to a piece of evidence, where, when and by whom, signed by the
/// node that recorded it. The same shape travels between nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustodyEvent {
    pub seq: u32,
    /// `collected`, `sealed`, `sent`, `received`, `verified` or `opened`.
    pub event: String,
    pub at: String,
    pub node: String,
    pub actor: String,
    /// SHA-256 (lowercase hex) of the content as the recording node saw it.
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Digest of the previous event and its signature (empty for the first), so no event can be removed or
    /// reordered unnoticed.
    pub prev: String,
    /// Ed25519 signature (base64) of the recording node over the event's canonical bytes.
    pub signature: String,
}

/// A custody event with the verdict of this node's check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustodyEventBody {
    #[serde(flatten)]
    pub event: CustodyEvent,
    /// `verified` (signature and link checked), `own` (recorded here) or `mismatch: <why>`.
    pub verification: String,
}

/// A piece of evidence with its custody chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceBody {
    pub id: String,
    pub request_id: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    /// The node that collected it.
    pub origin: String,
    pub added_by: String,
    pub created_at: String,
    /// `intact` (hash and every signature check), `mismatch` or `unverified`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_detail: Option<String>,
    pub custody: Vec<CustodyEventBody>,
}

/// A legal cooperation request as one side sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LegalRequestBody {
    pub id: String,
    pub kind: String,
    /// The instrument the request is made under.
    pub legal_basis: String,
    /// `requesting` or `executing`: this node's side.
    pub side: String,
    /// The other node.
    pub partner: String,
    pub requesting_node: String,
    pub executing_node: String,
    pub state: String,
    pub urgent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    pub deadlines: Vec<DeadlineBody>,
    /// The actions this node's side may take now.
    pub allowed_actions: Vec<String>,
    pub form: LegalRequestForm,
    pub timeline: Vec<TimelineEntry>,
    pub evidence: Vec<EvidenceBody>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/v1/legal-requests/{id}/actions/{action}`: what an action needs besides its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalActionBody {
    /// `refuse`: the grounds (required), e.g. "Directive 2014/41/EU Art. 11(1)(f): ne bis in idem".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grounds: Option<String>,
    /// A note kept in the timeline (what was asked or supplied, why it is postponed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `record_arrest`, `record_consent`: when it happened (RFC 3339; now when absent). `set_target_date`:
    /// the new target date (`YYYY-MM-DD` or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `extend`: the deadline extended (its `name`), by `days`, for `reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `GET /api/v1/legal-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LegalRequestList {
    pub requests: Vec<LegalRequestSummary>,
}

/// A request in a list: enough for a worklist with deadline badges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LegalRequestSummary {
    pub id: String,
    pub kind: String,
    pub side: String,
    pub partner: String,
    pub state: String,
    pub urgent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    pub deadlines: Vec<DeadlineBody>,
    /// The earliest due date among the deadlines still running, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<String>,
    /// `overdue`, `due_soon`, `on_time` or `unknown`: the worst of the running deadlines.
    pub due_status: String,
    pub created_at: String,
    pub updated_at: String,
}

/// `GET /api/v1/legal-requests/statistics`: turnaround per partner and kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TurnaroundStatistics {
    pub rows: Vec<TurnaroundRow>,
}

/// How long requests of one kind with one partner took, from receipt to the executing side's final
/// answer (executed, partially executed or refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TurnaroundRow {
    pub partner: String,
    pub kind: String,
    /// `requesting` (requests this node made) or `executing` (requests it answered).
    pub side: String,
    pub requests: u64,
    /// Requests answered (executed, partially executed or refused).
    pub answered: u64,
    /// Requests still open.
    pub open: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p90_days: Option<f64>,
    /// Share of answered requests whose every deadline was met (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_deadline: Option<f64>,
}

/// `POST /api/v1/dual-criminality`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DualCriminalityQuery {
    pub iccs: String,
    pub issuing_max_penalty_years: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_category: Option<String>,
    /// The node whose offence catalogue decides (this node or a partner that published its catalogue).
    pub executing_node: String,
}

/// The answer of `POST /api/v1/dual-criminality`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DualCriminalityBody {
    /// `not_required`, `satisfied`, `not_satisfied` or `review`.
    pub result: String,
    pub reasons: Vec<String>,
}

/// One offence of a national catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueOffence {
    pub code: String,
    pub name: String,
    pub max_penalty_years: u32,
    pub iccs: String,
}

/// `GET /api/v1/offence-catalogue`: a node's national offences placed in the ICCS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CatalogueBody {
    pub node: String,
    pub offences: Vec<CatalogueOffence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `GET /api/v1/iccs`: the sections and divisions of the ICCS, and the 32 listed categories with the ICCS
/// codes they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IccsBody {
    pub sections: Vec<IccsEntry>,
    pub divisions: Vec<IccsEntry>,
    pub listed_categories: Vec<ListedCategoryBody>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IccsEntry {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ListedCategoryBody {
    pub number: u8,
    pub id: String,
    pub name: String,
    pub iccs: Vec<String>,
}

/// Roles a person may have in a request.
pub const PERSON_ROLES: &[&str] = &[
    "suspect",
    "accused",
    "sentenced",
    "witness",
    "victim",
    "requested_person",
    "other",
];

const MAX_NAME_CHARS: usize = 500;
const MAX_FACTS_CHARS: usize = 20_000;
const MAX_ITEMS: usize = 100;

impl LegalRequestForm {
    /// Checks what the field types cannot say: the kind, the fields each kind requires, codes and dates.
    /// The error names the field (`offences[0].iccs`) and says what is wrong.
    pub fn check(&self) -> Result<(), (String, String)> {
        use liaison_core::legal::RequestKind;
        let fail = |field: &str, message: String| Err((field.to_owned(), message));
        let kind = match RequestKind::parse(&self.kind) {
            Ok(kind) => kind,
            Err(e) => return fail("kind", e.to_string()),
        };
        if let Err(e) = liaison_core::NodeId::parse(&self.executing_node) {
            return fail("executing_node", e.to_string());
        }
        text(
            "requesting_authority.name",
            &self.requesting_authority.name,
            MAX_NAME_CHARS,
        )?;
        if let Some(authority) = &self.executing_authority {
            text("executing_authority.name", &authority.name, MAX_NAME_CHARS)?;
        }
        text("facts", &self.facts, MAX_FACTS_CHARS)?;
        if self.urgent {
            match &self.urgency_reason {
                Some(reason) => text("urgency_reason", reason, MAX_FACTS_CHARS)?,
                None => {
                    return fail(
                        "urgency_reason",
                        "an urgent request must say why".to_owned(),
                    );
                }
            }
        }
        for (name, count) in [
            ("persons", self.persons.len()),
            ("offences", self.offences.len()),
            ("measures", self.measures.len()),
        ] {
            if count > MAX_ITEMS {
                return fail(
                    name,
                    format!("holds {count} items, the limit is {MAX_ITEMS}"),
                );
            }
        }
        for (i, person) in self.persons.iter().enumerate() {
            text(&format!("persons[{i}].name"), &person.name, MAX_NAME_CHARS)?;
            if let Some(role) = &person.role
                && !PERSON_ROLES.contains(&role.as_str())
            {
                return fail(
                    &format!("persons[{i}].role"),
                    format!("`{role}` is not one of: {}", PERSON_ROLES.join(", ")),
                );
            }
            if let Some(date) = &person.birth_date
                && liaison_core::PartialDate::parse(date).is_err()
            {
                return fail(
                    &format!("persons[{i}].birth_date"),
                    format!("`{date}` is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
                );
            }
        }
        for (i, offence) in self.offences.iter().enumerate() {
            if let Err(e) = liaison_core::IccsCode::parse(&offence.iccs) {
                return fail(&format!("offences[{i}].iccs"), e.to_string());
            }
            text(
                &format!("offences[{i}].national_name"),
                &offence.national_name,
                MAX_NAME_CHARS,
            )?;
            if let Some(category) = &offence.listed_category
                && liaison_core::legal::listed_category(category).is_none()
            {
                return fail(
                    &format!("offences[{i}].listed_category"),
                    format!(
                        "`{category}` is not one of the 32 categories of FD 2002/584/JHA Art. 2(2) (an identifier such as `terrorism` or a number 1 to 32)"
                    ),
                );
            }
        }
        for (i, measure) in self.measures.iter().enumerate() {
            text(&format!("measures[{i}]"), measure, MAX_FACTS_CHARS)?;
        }
        if let Some(availability) = &self.availability
            && availability != "direct"
            && availability != "indirect"
        {
            return fail("availability", "must be `direct` or `indirect`".to_owned());
        }
        if let Some(date) = &self.target_date
            && let Err(message) = parse_target_date(date)
        {
            return fail("target_date", message);
        }
        let needs = |field: &str, present: bool, what: &str| -> Result<(), (String, String)> {
            if present {
                Ok(())
            } else {
                Err((
                    field.to_owned(),
                    format!("a request of kind `{}` needs {what}", self.kind),
                ))
            }
        };
        match kind {
            RequestKind::Eaw | RequestKind::Extradition => {
                needs("persons", !self.persons.is_empty(), "the requested person")?;
                needs(
                    "offences",
                    !self.offences.is_empty(),
                    "at least one offence",
                )?;
            }
            RequestKind::Eio | RequestKind::Mla => {
                needs(
                    "offences",
                    !self.offences.is_empty(),
                    "at least one offence",
                )?;
                needs(
                    "measures",
                    !self.measures.is_empty(),
                    "the investigative measures requested",
                )?;
            }
            RequestKind::InformationRequest => {
                needs(
                    "offences",
                    !self.offences.is_empty(),
                    "the offence the information is sought for",
                )?;
                needs(
                    "measures",
                    !self.measures.is_empty(),
                    "the information sought",
                )?;
            }
            RequestKind::HitFollowUp => {
                needs(
                    "related_alert",
                    self.related_alert.is_some(),
                    "the alert or hit it follows",
                )?;
            }
        }
        Ok(())
    }
}

/// A target date as requests write it (`YYYY-MM-DD`), between 1900 and 2200 so deadline arithmetic stays in
/// range.
pub fn parse_target_date(text: &str) -> Result<chrono::NaiveDate, String> {
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))?;
    if !(1900..=2200).contains(&chrono::Datelike::year(&day)) {
        return Err(format!(
            "`{text}` is not a plausible date (years 1900 to 2200)"
        ));
    }
    Ok(day)
}

fn text(field: &str, value: &str, max_chars: usize) -> Result<(), (String, String)> {
    if value.trim().is_empty() {
        return Err((field.to_owned(), "must not be empty".to_owned()));
    }
    let chars = value.chars().count();
    if chars > max_chars {
        return Err((
            field.to_owned(),
            format!("is {chars} characters long, the limit is {max_chars}"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err((
            field.to_owned(),
            "must not contain control characters".to_owned(),
        ));
    }
    Ok(())
}

/// What a node keeps of a request's deadline events (the store treats it as opaque JSON). Times are written
/// as federation writes them (RFC 3339, UTC, microseconds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineEventsDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrested: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consented: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognised: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<PauseDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ExtensionDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PauseDoc {
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDoc {
    pub deadline: String,
    pub days: u32,
    pub reason: String,
}
