//! The ground truth of a scenario (`ground_truth.json`): which records are the same person across
//! countries and how each was written, who belongs to which network in what role, and for every traveller on
//! every manifest whether a screening should hit and why, with the records it should find.

use chrono::NaiveDate;
use liaison_formats::mrz::{MrzFields, MrzFormat, generate};
use serde_json::{Value, json};

use crate::cast::{Cast, Identity, Kind};
use crate::plant::{CountryPlan, alert_id};
use crate::records::iso;
use crate::travel::{DocumentSource, Expected, Flight, Traveller, Who};
use crate::world::World;
use crate::{CountrySummary, ManifestSummary, ScenarioError};

/// The machine-readable zone of one of an identity's documents: TD3 for the passport, TD1 for the card.
fn identity_mrz(
    world: &World,
    identity: &Identity,
    format: MrzFormat,
    number: &str,
    expires: NaiveDate,
) -> Result<Vec<String>, ScenarioError> {
    let (surname, given) = identity.passport_upper(world);
    let code = world.code(identity.home).to_owned();
    let fields = MrzFields {
        format,
        document_code: if format == MrzFormat::Td1 { "I" } else { "P" }.to_owned(),
        issuing_state: code.clone(),
        surname,
        given_names: given,
        document_number: number.to_owned(),
        nationality: code,
        birth_date: Some(identity.dob),
        sex: identity.sex().chars().next(),
        expiry_date: Some(expires),
        optional_data: String::new(),
        optional_data_2: String::new(),
    };
    generate(&fields).map_err(|e| ScenarioError::Generated {
        what: format!("machine-readable zone of document {number}"),
        reason: e.to_string(),
    })
}

/// Version of the ground-truth layout.
pub const GROUND_TRUTH_VERSION: u64 = 1;

fn identity_records(world: &World, identity: &Identity) -> Vec<Value> {
    identity
        .appearances
        .iter()
        .map(|a| {
            let alerts: Vec<Value> = a
                .alerts
                .iter()
                .enumerate()
                .map(|(n, alert)| {
                    json!({
                        "id": alert_id(world, a.country, a.slot, n),
                        "category": alert.category,
                        "on": if alert.on_passport { "document" } else { "person" },
                    })
                })
                .collect();
            let mut documents = Vec::new();
            if a.with_passport {
                documents.push(world.id(a.country, "d", a.slot, "p"));
            }
            if a.home && identity.id_card.is_some() {
                documents.push(world.id(a.country, "d", a.slot, "i"));
            }
            json!({
                "country": world.code(a.country),
                "node": world.node(a.country),
                "person": world.id(a.country, "p", a.slot, ""),
                "name": a.names.first().map(|n| n.full.as_str()).unwrap_or_default(),
                "names": a.names.iter().map(|n| json!({"full": n.full, "kind": n.kind})).collect::<Vec<_>>(),
                "birth_date": a.birth_date,
                "variations": a.variations,
                "documents": documents,
                "alerts": alerts,
            })
        })
        .collect()
}

/// The records a screening should find for a traveller.
fn targets(world: &World, cast: &Cast, plans: &[CountryPlan], t: &Traveller) -> Vec<Value> {
    let mut out = Vec::new();
    if matches!(t.expected, Expected::WantedPerson | Expected::Both)
        && let Who::Cast(index) = t.who
        && let Some(identity) = cast.identities.get(index)
    {
        for a in &identity.appearances {
            out.push(json!({
                "node": world.node(a.country),
                "type": "person",
                "id": world.id(a.country, "p", a.slot, ""),
            }));
            for (n, alert) in a.alerts.iter().enumerate() {
                if !alert.on_passport {
                    out.push(json!({
                        "node": world.node(a.country),
                        "type": "alert",
                        "id": alert_id(world, a.country, a.slot, n),
                        "category": alert.category,
                    }));
                }
            }
        }
    }
    match t.document_source {
        Some(DocumentSource::Stolen(index)) => {
            if let Some(a) = cast
                .identities
                .get(index)
                .and_then(|i| i.appearances.iter().find(|a| a.home))
            {
                out.push(json!({
                    "node": world.node(a.country),
                    "type": "document",
                    "id": world.id(a.country, "d", a.slot, "p"),
                    "status": "stolen",
                }));
                if let Some(n) = a.alerts.iter().position(|alert| alert.on_passport) {
                    out.push(json!({
                        "node": world.node(a.country),
                        "type": "alert",
                        "id": alert_id(world, a.country, a.slot, n),
                        "category": "stolen_document",
                    }));
                }
            }
        }
        Some(DocumentSource::Blank(b)) => {
            for (country, plan) in plans.iter().enumerate() {
                if let Some((_, doc, alert)) = plan.blanks.iter().find(|(index, _, _)| *index == b)
                {
                    out.push(json!({"node": world.node(country), "type": "document", "id": doc, "status": "blank_stolen"}));
                    out.push(json!({"node": world.node(country), "type": "alert", "id": alert, "category": "stolen_document"}));
                }
            }
        }
        None => {}
    }
    out
}

fn traveller(
    world: &World,
    cast: &Cast,
    plans: &[CountryPlan],
    flight: &Flight,
    index: usize,
    t: &Traveller,
) -> Value {
    let (identity, resident) = match &t.who {
        Who::Cast(i) => (
            cast.identities.get(*i).map(|id| id.key.clone()),
            Value::Null,
        ),
        Who::Resident { country, slot } => (
            None,
            json!({
                "country": world.code(*country),
                "node": world.node(*country),
                "person": world.id(*country, "p", *slot, ""),
            }),
        ),
        Who::Nobody => (None, Value::Null),
    };
    json!({
        "index": index,
        "surname": t.surname,
        "given_names": t.given,
        "booked_surname": t.booked_surname,
        "booked_given_names": t.booked_given,
        "birth_date": iso(t.dob),
        "sex": t.sex,
        "nationality": t.nationality,
        "document": {"kind": "P", "number": t.doc_number, "issuing_country": t.doc_issuer, "expires": iso(t.doc_expiry)},
        "booking": flight.pnrs.get(t.pnr).map(|p| p.locator.as_str()),
        "expected": t.expected.as_str(),
        "hit": t.expected != Expected::Honest,
        "identity": identity,
        "resident": resident,
        "note": (!t.note.is_empty()).then_some(t.note),
        "targets": targets(world, cast, plans, t),
        "mrz": t.mrz,
    })
}

pub(crate) fn ground_truth(
    world: &World,
    cast: &Cast,
    plans: &[CountryPlan],
    flights: &[Flight],
    countries: &[CountrySummary],
    manifests: &[ManifestSummary],
) -> Result<Value, ScenarioError> {
    let mut identities: Vec<Value> = Vec::with_capacity(cast.identities.len());
    for identity in &cast.identities {
        let passport_mrz = identity_mrz(
            world,
            identity,
            MrzFormat::Td3,
            &identity.passport_number,
            identity.passport.expires,
        )?;
        let id_card = match &identity.id_card {
            Some((facts, number)) => json!({
                "number": number,
                "issuing_country": world.code(identity.home),
                "expires": iso(facts.expires),
                "mrz": identity_mrz(world, identity, MrzFormat::Td1, number, facts.expires)?,
            }),
            None => Value::Null,
        };
        identities.push({
            let (network, role) = match identity.kind {
                Kind::Member { network, role } => (
                    cast.networks.get(network).map(|n| n.key.clone()),
                    Some(role.as_str()),
                ),
                _ => (None, None),
            };
            let (surname, given) = identity.passport_upper(world);
            let mut phones = vec![identity.phone.clone()];
            phones.extend(identity.shared_phones.iter().cloned());
            json!({
                "id": identity.key,
                "kind": identity.kind.as_str(),
                "home": world.code(identity.home),
                "native_name": identity.native_full(world),
                "passport_name": format!("{surname}<<{}", given.replace(' ', "<")),
                "sex": identity.sex(),
                "birth_date": iso(identity.dob),
                "passport": {
                    "number": identity.passport_number,
                    "issuing_country": world.code(identity.home),
                    "expires": iso(identity.passport.expires),
                    "status": identity.passport.status,
                    "mrz": passport_mrz,
                },
                "id_card": id_card,
                "phones": phones,
                "email": identity.email,
                "network": network,
                "role": role,
                "records": identity_records(world, identity),
            })
        });
    }
    let networks: Vec<Value> = cast
        .networks
        .iter()
        .enumerate()
        .map(|(n, network)| {
            let vehicles: Vec<Value> = network
                .vehicles
                .iter()
                .enumerate()
                .map(|(v, vehicle)| {
                    let records: Vec<Value> = plans
                        .iter()
                        .enumerate()
                        .flat_map(|(country, plan)| {
                            plan.vehicles
                                .iter()
                                .filter(move |(nn, vv, _)| *nn == n && *vv == v)
                                .map(move |(_, _, id)| json!({"node": world.node(country), "vehicle": id}))
                        })
                        .collect();
                    json!({
                        "make": vehicle.make, "model": vehicle.model, "colour": vehicle.colour,
                        "plate": vehicle.plate, "plate_country": world.code(vehicle.plate_country),
                        "vin": vehicle.vin, "status": vehicle.status, "concealed_compartment": vehicle.concealment,
                        "records": records,
                    })
                })
                .collect();
            let cases: Vec<Value> = plans
                .iter()
                .enumerate()
                .flat_map(|(country, plan)| {
                    plan.cases
                        .iter()
                        .filter(move |(nn, _)| *nn == n)
                        .map(move |(_, id)| json!({"node": world.node(country), "case": id}))
                })
                .collect();
            let mut journeys = Vec::new();
            for flight in flights {
                for pnr in flight.pnrs.iter().filter(|p| p.journey == Some(n)) {
                    let travellers: Vec<Value> = pnr
                        .travellers
                        .iter()
                        .filter_map(|t| flight.travellers.get(*t))
                        .filter_map(|t| match t.who {
                            Who::Cast(i) => cast.identities.get(i).map(|id| json!(id.key)),
                            _ => None,
                        })
                        .collect();
                    journeys.push(json!({
                        "flight": flight.number,
                        "departure": flight.departure.format("%Y-%m-%dT%H:%M").to_string(),
                        "booking": pnr.locator,
                        "booked": pnr.booked.format("%Y-%m-%dT%H:%M").to_string(),
                        "payment": pnr.payment,
                        "one_way": pnr.one_way,
                        "contact_phone": pnr.contact_phone,
                        "contact_email": pnr.contact_email,
                        "travellers": travellers,
                    }));
                }
            }
            json!({
                "id": network.key,
                "kind": network.kind,
                "operation": network.operation,
                "lead": world.code(network.lead),
                "offences": network.offences,
                "members": network.members.iter().filter_map(|m| cast.identities.get(*m)).map(|i| json!({
                    "identity": i.key,
                    "role": i.role().map(|r| r.as_str()),
                    "home": world.code(i.home),
                })).collect::<Vec<_>>(),
                "shared_phones": network.phones,
                "vehicles": vehicles,
                "cases": cases,
                "journeys": journeys,
            })
        })
        .collect();
    let blanks: Vec<Value> = cast
        .blanks
        .iter()
        .enumerate()
        .map(|(b, blank)| {
            let ids = plans
                .get(blank.country)
                .and_then(|plan| plan.blanks.iter().find(|(index, _, _)| *index == b));
            json!({
                "id": blank.key,
                "number": blank.number,
                "country": world.code(blank.country),
                "node": world.node(blank.country),
                "document": ids.map(|(_, doc, _)| doc),
                "alert": ids.map(|(_, _, alert)| alert),
            })
        })
        .collect();
    let manifests_json: Vec<Value> = flights
        .iter()
        .zip(manifests)
        .map(|(flight, summary)| {
            json!({
                "flight": flight.number,
                "carrier": flight.carrier,
                "from": flight.from.map(|c| world.code(c)),
                "to": world.code(flight.to),
                "departure_airport": flight.departure_airport,
                "arrival_airport": flight.arrival_airport,
                "departure": flight.departure.format("%Y-%m-%dT%H:%M").to_string(),
                "paxlst": summary.paxlst.display().to_string(),
                "pnrgov": summary.pnrgov.display().to_string(),
                "travellers": flight.travellers.iter().enumerate().map(|(i, t)| traveller(world, cast, plans, flight, i, t)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({
        "liaison_scenario_ground_truth": GROUND_TRUTH_VERSION,
        "seed": world.seed,
        "exercise_date": iso(world.today),
        "countries": countries.iter().map(|c| json!({
            "code": c.info.code, "node": c.info.node_id, "locale": c.info.locale, "script": c.info.script,
            "records": c.info.records_file.display().to_string(), "persons": c.counts.persons,
        })).collect::<Vec<_>>(),
        "identities": identities,
        "networks": networks,
        "stolen_blanks": blanks,
        "manifests": manifests_json,
    }))
}
