//! Risk criteria: the node's rule set (written by a supervisor in the rule language of
//! `liaison_core::risk`, versioned in the store, every change audited) and its evaluation over the facts of a
//! manifest's travellers.

use liaison_core::Role;
use liaison_core::risk::{RuleSet, TravelFacts, TravellerRole};
use liaison_formats::{Manifest, Traveller};
use liaison_proto::border::RuleSetBody;
use liaison_store::RuleSetRow;

use super::border::RuleHit;
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Roles that may write the rule set.
pub const RULE_WRITERS: &[Role] = &[Role::Supervisor];
/// Roles that may read it.
pub const RULE_READERS: &[Role] = &[
    Role::Supervisor,
    Role::Analyst,
    Role::Officer,
    Role::Auditor,
];

/// The active rule set, compiled.
#[derive(Debug)]
pub struct ActiveRules {
    pub version: i64,
    rules: RuleSet,
}

impl ActiveRules {
    /// The rules that fire on a traveller, with why.
    pub fn evaluate(&self, traveller: &Traveller, manifest: &Manifest) -> Vec<RuleHit> {
        let facts = travel_facts(traveller, manifest);
        self.rules
            .evaluate(&facts)
            .into_iter()
            .map(|hit| RuleHit {
                rule_id: hit.rule_id.clone(),
                title: hit.title.clone(),
                score: f64::from(hit.score),
                explanation: hit
                    .explanation
                    .iter()
                    .map(|r| format!("{} ({})", r.condition, r.observed))
                    .collect(),
            })
            .collect()
    }
}

/// The facts of one traveller's journey, as the rule language names them.
pub fn travel_facts(traveller: &Traveller, manifest: &Manifest) -> TravelFacts {
    let legs: Vec<_> = if traveller.legs.is_empty() {
        manifest.flights.iter().collect()
    } else {
        traveller
            .legs
            .iter()
            .filter_map(|&i| manifest.flights.get(i))
            .collect()
    };
    let mut route: Vec<String> = Vec::new();
    for leg in &legs {
        for airport in [&leg.departure_airport, &leg.arrival_airport]
            .into_iter()
            .flatten()
        {
            if route.last() != Some(airport) {
                route.push(airport.clone());
            }
        }
    }
    let first = legs.first();
    let booking = traveller.booking.as_ref();
    let mut facts = TravelFacts {
        route,
        carrier: first.and_then(|l| l.carrier.clone()),
        flight_number: first.and_then(|l| l.flight_number.clone()),
        departure: first.and_then(|l| l.departure_time),
        booked_at: booking.and_then(|b| b.booked_at),
        payment_forms: booking.map(|b| b.payment_forms.clone()).unwrap_or_default(),
        one_way: booking.and_then(|b| b.one_way),
        companions: booking.map(|b| b.companions),
        bags: booking.and_then(|b| b.bags),
        seat: booking.and_then(|b| b.seat.clone()),
        agency: booking.and_then(|b| b.agency.clone()),
        nationality: traveller.nationality.clone(),
        document_issuing_countries: traveller
            .documents
            .iter()
            .filter_map(|d| d.issuing_country.clone())
            .collect(),
        document_kinds: traveller
            .documents
            .iter()
            .map(|d| d.kind.clone())
            .filter(|k| !k.is_empty())
            .collect(),
        role: TravellerRole::parse(traveller.role.as_str()),
        ..TravelFacts::default()
    };
    let expiries: Vec<_> = traveller
        .documents
        .iter()
        .filter_map(|d| d.expiry_date)
        .collect();
    facts.derive(traveller.birth_date, &expiries);
    facts
}

/// The active rule set, if the node has one. A stored version that no longer compiles is an internal error:
/// it compiled when it was stored.
pub async fn active_rules(node: &Node) -> Result<Option<ActiveRules>, ServiceError> {
    let Some(row) = node.store.active_ruleset().await? else {
        return Ok(None);
    };
    let rules = RuleSet::parse(&row.text).map_err(|e| {
        ServiceError::Internal(format!(
            "stored risk rule set version {} no longer compiles: {e}",
            row.version
        ))
    })?;
    Ok(Some(ActiveRules {
        version: row.version,
        rules,
    }))
}

fn body(row: RuleSetRow) -> RuleSetBody {
    let rules = RuleSet::parse(&row.text).map_or(0, |r| r.rules().len() as u32);
    RuleSetBody {
        version: row.version,
        name: row.name,
        fingerprint: row.fingerprint,
        created_by: row.created_by,
        created_at: row
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        active: row.active,
        rules,
        text: row.text,
    }
}

/// Compiles and stores a new version of the rule set, which becomes the active one. A rule on a protected
/// characteristic, or any other fault, refuses the whole text with the rule, line and column named.
pub async fn upload_rules(
    node: &Node,
    caller: &Caller,
    text: &str,
) -> Result<RuleSetBody, ServiceError> {
    require_role(node, caller, RULE_WRITERS, "upload_risk_rules", None).await?;
    let rules = match RuleSet::parse(text) {
        Ok(rules) => rules,
        Err(error) => {
            record_audit(
                node,
                caller,
                AuditEvent::new("upload_risk_rules", "refused").detail(error.to_string()),
            )
            .await?;
            return Err(ServiceError::bad_field("text", error.to_string()));
        }
    };
    let row = node
        .store
        .add_ruleset(
            rules.name(),
            text,
            &rules.fingerprint(),
            &caller.actor.audit_name(),
            node.now(),
        )
        .await?;
    record_audit(
        node,
        caller,
        AuditEvent::new("upload_risk_rules", "ok")
            .object(format!("risk_rules/{}", row.version))
            .detail(format!(
                "{} ({} rules, fingerprint {})",
                row.name,
                rules.rules().len(),
                row.fingerprint
            )),
    )
    .await?;
    Ok(body(row))
}

/// Every stored version, newest first.
pub async fn list_rules(node: &Node, caller: &Caller) -> Result<Vec<RuleSetBody>, ServiceError> {
    require_role(node, caller, RULE_READERS, "read_risk_rules", None).await?;
    Ok(node
        .store
        .list_rulesets()
        .await?
        .into_iter()
        .map(body)
        .collect())
}

/// Makes an earlier version the active one again.
pub async fn activate_rules(
    node: &Node,
    caller: &Caller,
    version: i64,
) -> Result<(), ServiceError> {
    require_role(
        node,
        caller,
        RULE_WRITERS,
        "activate_risk_rules",
        Some(format!("risk_rules/{version}")),
    )
    .await?;
    if !node.store.activate_ruleset(version).await? {
        return Err(ServiceError::NotFound(format!(
            "no risk rule set version {version}"
        )));
    }
    record_audit(
        node,
        caller,
        AuditEvent::new("activate_risk_rules", "ok").object(format!("risk_rules/{version}")),
    )
    .await?;
    Ok(())
}
