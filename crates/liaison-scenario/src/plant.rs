//! Places the cast in the country files: every appearance gets a slot among the residents (so planted
//! people do not stand out by position), and is rendered into record lines ahead of streaming; the networks'
//! vehicles, cases and relations and the stolen blank passports follow the residents at the end of a file.

use std::collections::BTreeSet;

use crate::cast::{Cast, Kind, Role};
use crate::population::RecordCounts;
use crate::records::{
    self, AlertOut, CaseOut, DocumentOut, Handling, NameOut, PersonOut, Ref, RelationOut, Scope,
    VehicleOut,
};
use crate::texts;
use crate::world::{World, add_years};

/// What a country's file holds besides its residents.
#[derive(Debug, Default)]
pub(crate) struct CountryPlan {
    /// Residents and planted persons together.
    pub slots: usize,
    /// Slots of planted persons with their record lines, by slot.
    pub planted: Vec<(usize, String)>,
    /// Lines after the last person: network vehicles, cases, relations, stolen blanks.
    pub trailer: String,
    /// Records in `planted` and `trailer`.
    pub counts: RecordCounts,
    /// Ids of the network cases in this file: (network, case id).
    pub cases: Vec<(usize, String)>,
    /// Ids of network vehicles in this file: (network, vehicle, id).
    pub vehicles: Vec<(usize, usize, String)>,
    /// Ids of stolen blank passports in this file: (blank index, document id, alert id).
    pub blanks: Vec<(usize, String, String)>,
}

/// Number of digits of a person id for a file of `slots` persons.
pub(crate) fn id_width(slots: usize) -> usize {
    slots.to_string().len().max(6)
}

/// Chooses the slots of the cast in every country; returns the number of slots per country.
pub(crate) fn assign_slots(world: &World, cast: &mut Cast) -> Vec<usize> {
    let k = world.countries.len();
    let mut per_country: Vec<Vec<(usize, usize)>> = vec![Vec::new(); k];
    for (i, identity) in cast.identities.iter().enumerate() {
        for (j, appearance) in identity.appearances.iter().enumerate() {
            if let Some(list) = per_country.get_mut(appearance.country) {
                list.push((i, j));
            }
        }
    }
    let mut totals = Vec::with_capacity(k);
    for (country, list) in per_country.iter().enumerate() {
        let total = world.persons + list.len();
        let mut rng = world.rng(0x534C_4F54 + country as u64);
        // Floyd's sampling: distinct slots without building the whole range.
        let mut chosen = BTreeSet::new();
        for j in (total - list.len())..total {
            let t = rng.below(j + 1);
            if !chosen.insert(t) {
                chosen.insert(j);
            }
        }
        let mut slots: Vec<usize> = chosen.into_iter().collect();
        rng.shuffle(&mut slots);
        for (&(i, j), slot) in list.iter().zip(slots) {
            if let Some(a) = cast
                .identities
                .get_mut(i)
                .and_then(|id| id.appearances.get_mut(j))
            {
                a.slot = slot;
            }
        }
        totals.push(total);
    }
    totals
}

fn letter(index: usize) -> char {
    char::from(b'a' + (index % 26) as u8)
}

/// The id of the `n`th alert of a planted person.
pub(crate) fn alert_id(world: &World, country: usize, slot: usize, n: usize) -> String {
    world.id(country, "a", slot, &letter(n).to_string())
}

/// Renders the planted records of `country`.
pub(crate) fn plan_country(
    world: &World,
    cast: &Cast,
    country: usize,
    slots: usize,
) -> CountryPlan {
    let mut plan = CountryPlan {
        slots,
        ..CountryPlan::default()
    };
    let code = world.code(country);
    let capital = world.names.locales[country].cities.capital();
    let others: Vec<String> = (0..world.countries.len())
        .filter(|c| *c != country)
        .map(|c| world.node(c).to_owned())
        .collect();
    let restricted = |code: &'static str, only: &[usize]| -> (Vec<String>, &'static str) {
        let nodes: Vec<String> = only
            .iter()
            .filter(|c| **c != country)
            .map(|c| world.node(*c).to_owned())
            .collect();
        (nodes, code)
    };
    for identity in &cast.identities {
        for a in identity.appearances.iter().filter(|a| a.country == country) {
            let mut out = String::with_capacity(1024);
            let pid = world.id(country, "p", a.slot, "");
            let names: Vec<NameOut<'_>> = a
                .names
                .iter()
                .map(|n| NameOut {
                    full: &n.full,
                    given: Some(&n.given),
                    family: Some(&n.family),
                    patronymic: n.patronymic.as_deref(),
                    kind: n.kind,
                })
                .collect();
            let birth_dates: Vec<&str> = a.birth_date.as_deref().into_iter().collect();
            let identifiers: Vec<(&'static str, &str)> = a
                .identifiers
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            let nationality = world.code(identity.home);
            let person_handling = match identity.kind {
                Kind::TheftVictim => Handling::NATIONAL,
                Kind::Member { role, .. } if role != Role::Victim => Handling {
                    code: "H1",
                    scope: Scope::Partners,
                },
                _ => Handling::PARTNERS,
            };
            records::person(
                &mut out,
                &PersonOut {
                    id: &pid,
                    names: &names,
                    birth_dates: &birth_dates,
                    birth_place: if a.home { identity.birth_place } else { None },
                    sex: identity.sex(),
                    nationalities: &[nationality],
                    identifiers: &identifiers,
                    handling: person_handling,
                    retain_until: Some(world.retain(add_years(world.today, 5))),
                },
            );
            plan.counts.persons += 1;
            let passport_id = world.id(country, "d", a.slot, "p");
            if a.with_passport {
                let stolen = a.home && identity.passport.status != "valid";
                records::document(
                    &mut out,
                    &DocumentOut {
                        id: &passport_id,
                        kind: "P",
                        number: &identity.passport_number,
                        issuing_country: nationality,
                        holder: Some(&pid),
                        status: if stolen {
                            identity.passport.status
                        } else {
                            "valid"
                        },
                        issued: a.home.then_some(identity.passport.issued),
                        expires: Some(identity.passport.expires),
                        handling: if stolen || identity.has_person_alert() {
                            Handling::PARTNERS
                        } else {
                            Handling::NATIONAL
                        },
                        retain_until: Some(world.retain(add_years(identity.passport.expires, 10))),
                    },
                );
                plan.counts.documents += 1;
            }
            if a.home
                && let Some((facts, number)) = &identity.id_card
            {
                let id = world.id(country, "d", a.slot, "i");
                records::document(
                    &mut out,
                    &DocumentOut {
                        id: &id,
                        kind: "I",
                        number,
                        issuing_country: code,
                        holder: Some(&pid),
                        status: facts.status,
                        issued: Some(facts.issued),
                        expires: Some(facts.expires),
                        handling: Handling::NATIONAL,
                        retain_until: Some(world.retain(add_years(facts.expires, 1))),
                    },
                );
                plan.counts.documents += 1;
            }
            for (n, alert) in a.alerts.iter().enumerate() {
                let id = alert_id(world, country, a.slot, n);
                let (nodes, code) = restricted(alert.code, &alert.only);
                let scope = if alert.only.is_empty() {
                    Scope::Partners
                } else if nodes.is_empty() {
                    Scope::National
                } else {
                    Scope::Nodes(&nodes)
                };
                let authority = texts::authority(alert.category, capital);
                records::alert(
                    &mut out,
                    &AlertOut {
                        id: &id,
                        category: alert.category,
                        subject: if alert.on_passport {
                            Ref::Document(&passport_id)
                        } else {
                            Ref::Person(&pid)
                        },
                        issuing_authority: &authority,
                        offences: &alert.offences,
                        action: alert.action,
                        issued: alert.issued,
                        expires: alert.expires,
                        handling: Handling { code, scope },
                        retain_until: Some(world.retain(add_years(alert.expires, 1))),
                    },
                );
                plan.counts.alerts += 1;
            }
            plan.planted.push((a.slot, out));
        }
    }
    plan.planted.sort_by_key(|(slot, _)| *slot);

    // Networks: vehicles, cases, relations.
    let mut trailer = String::new();
    let mut relation_seq = 0usize;
    let mut next_relation = || {
        relation_seq += 1;
        format!("rn{relation_seq:05}")
    };
    let network_handling = |others: &[String]| -> Handling<'static> {
        let _ = others;
        Handling {
            code: "H2",
            scope: Scope::Partners,
        }
    };
    for (n, network) in cast.networks.iter().enumerate() {
        // (person id, role, identity index) of the members recorded here.
        let mut here: Vec<(String, Role, usize)> = Vec::new();
        let mut uses: Vec<(String, usize, &'static str)> = Vec::new();
        for &m in &network.members {
            let Some(identity) = cast.identities.get(m) else {
                continue;
            };
            let Some(a) = identity.appearances.iter().find(|a| a.country == country) else {
                continue;
            };
            let pid = world.id(country, "p", a.slot, "");
            if let Some(role) = identity.role() {
                here.push((pid.clone(), role, m));
            }
            for (vehicle, kind) in &a.vehicles {
                uses.push((pid.clone(), *vehicle, kind));
            }
        }
        if here.is_empty() {
            continue;
        }
        let mut vehicle_ids: Vec<(usize, String)> = Vec::new();
        for (v, vehicle) in network.vehicles.iter().enumerate() {
            let used = uses.iter().any(|(_, index, _)| *index == v);
            let registered_here = vehicle.plate_country == country;
            if !used && !registered_here {
                continue;
            }
            let id = format!("vn{}{}", n + 1, v + 1);
            let alert_here = (vehicle.status == "stolen" && registered_here)
                || (vehicle.concealment && network.lead == country);
            records::vehicle(
                &mut trailer,
                &VehicleOut {
                    id: &id,
                    vin: &vehicle.vin,
                    plate: &vehicle.plate,
                    plate_country: world.code(vehicle.plate_country),
                    make: vehicle.make,
                    model: vehicle.model,
                    colour: vehicle.colour,
                    status: if vehicle.status == "stolen" && registered_here {
                        "stolen"
                    } else if alert_here {
                        "sought"
                    } else {
                        "registered"
                    },
                    handling: Handling::PARTNERS,
                    retain_until: Some(world.retain(add_years(world.today, 10))),
                },
            );
            plan.counts.vehicles += 1;
            if alert_here {
                let stolen = vehicle.status == "stolen";
                let alert_id = format!("an{}{}", n + 1, v + 1);
                let category = if stolen {
                    "stolen_vehicle"
                } else {
                    "object_for_seizure"
                };
                let authority = texts::authority(category, capital);
                records::alert(
                    &mut trailer,
                    &AlertOut {
                        id: &alert_id,
                        category,
                        subject: Ref::Vehicle(&id),
                        issuing_authority: &authority,
                        offences: if stolen {
                            &["05021"]
                        } else {
                            &network.offences
                        },
                        action: if stolen {
                            texts::ACTION_STOLEN_VEHICLE
                        } else {
                            texts::ACTION_SEIZURE
                        },
                        issued: crate::world::add_days(world.today, -50),
                        expires: add_years(world.today, 5),
                        handling: Handling::PARTNERS,
                        retain_until: Some(world.retain(add_years(world.today, 6))),
                    },
                );
                plan.counts.alerts += 1;
            }
            plan.vehicles.push((n, v, id.clone()));
            vehicle_ids.push((v, id));
        }
        let case_id = format!("c{:04}", n + 1);
        let mut entities: Vec<Ref<'_>> = here.iter().map(|(pid, _, _)| Ref::Person(pid)).collect();
        entities.extend(vehicle_ids.iter().map(|(_, id)| Ref::Vehicle(id)));
        let involved: Vec<String> = {
            let mut countries: BTreeSet<usize> = BTreeSet::new();
            for &m in &network.members {
                if let Some(identity) = cast.identities.get(m) {
                    countries.extend(identity.appearances.iter().map(|a| a.country));
                }
            }
            countries
                .into_iter()
                .filter(|c| *c != country)
                .map(|c| world.node(c).to_owned())
                .collect()
        };
        let title = if network.lead == country {
            format!("{} (lead investigation)", network.operation)
        } else {
            network.operation.clone()
        };
        let summary = match network.kind {
            "trafficking_in_persons" => {
                "Recruitment of young adults with offers of work abroad, transport in vans across borders, exploitation at destination; documents forged for victims; shared phones and vehicles link the members"
            }
            _ => {
                "Couriers carry drugs on flights booked at short notice and paid in cash; a car with a concealed compartment and a stolen van move consignments by road; proceeds laundered through cash businesses"
            }
        };
        use chrono::Datelike;
        let reference = format!("{code}-{}-{:04}", world.today.year(), 100 + n);
        records::case(
            &mut trailer,
            &CaseOut {
                id: &case_id,
                title: &title,
                reference: &reference,
                offences: &network.offences,
                entities: &entities,
                summary,
                handling: Handling {
                    code: "H1",
                    scope: if involved.is_empty() {
                        Scope::National
                    } else {
                        Scope::Nodes(&involved)
                    },
                },
                retain_until: Some(world.retain(add_years(world.today, 10))),
            },
        );
        plan.counts.cases += 1;
        plan.cases.push((n, case_id.clone()));
        let handling = network_handling(&others);
        let source = format!("case {case_id}");
        let mut relation =
            |trailer: &mut String, from: Ref<'_>, to: Ref<'_>, kind: &'static str| {
                let id = next_relation();
                records::relation(
                    trailer,
                    &RelationOut {
                        id: &id,
                        from,
                        to,
                        kind,
                        source: &source,
                        handling,
                        retain_until: Some(world.retain(add_years(world.today, 10))),
                    },
                );
            };
        let mut relations = 0u64;
        for (pid, role, _) in &here {
            let kind = if *role == Role::Victim {
                "other"
            } else {
                "member_of"
            };
            relation(&mut trailer, Ref::Person(pid), Ref::Case(&case_id), kind);
            relations += 1;
        }
        let leaders: Vec<&String> = here
            .iter()
            .filter(|(_, role, _)| matches!(role, Role::Organiser | Role::Lieutenant))
            .map(|(pid, _, _)| pid)
            .collect();
        for (pid, role, _) in &here {
            if matches!(role, Role::Organiser | Role::Victim) {
                continue;
            }
            if let Some(leader) = leaders.iter().find(|l| **l != pid) {
                relation(
                    &mut trailer,
                    Ref::Person(leader),
                    Ref::Person(pid),
                    "associate",
                );
                relations += 1;
            }
        }
        for (pid, v, kind) in &uses {
            if let Some((_, id)) = vehicle_ids.iter().find(|(index, _)| index == v) {
                relation(&mut trailer, Ref::Person(pid), Ref::Vehicle(id), kind);
                relations += 1;
            }
        }
        plan.counts.relations += relations;
    }
    for (b, blank) in cast
        .blanks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.country == country)
    {
        let doc_id = format!("db{:04}", b + 1);
        let alert_id = format!("ab{:04}", b + 1);
        records::document(
            &mut trailer,
            &DocumentOut {
                id: &doc_id,
                kind: "P",
                number: &blank.number,
                issuing_country: code,
                holder: None,
                status: "blank_stolen",
                issued: None,
                expires: Some(blank.expires),
                handling: Handling::PARTNERS,
                retain_until: Some(world.retain(add_years(blank.expires, 10))),
            },
        );
        let authority = texts::authority("stolen_document", capital);
        records::alert(
            &mut trailer,
            &AlertOut {
                id: &alert_id,
                category: "stolen_document",
                subject: Ref::Document(&doc_id),
                issuing_authority: &authority,
                offences: &["0502"],
                action: texts::ACTION_BLANK_DOCUMENT,
                issued: blank.reported,
                expires: blank.expires,
                handling: Handling::PARTNERS,
                retain_until: Some(world.retain(add_years(blank.expires, 10))),
            },
        );
        plan.counts.documents += 1;
        plan.counts.alerts += 1;
        plan.blanks.push((b, doc_id, alert_id));
    }
    plan.trailer = trailer;
    plan
}
