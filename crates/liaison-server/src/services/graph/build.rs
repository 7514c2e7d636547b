//! Building the entity graph from the store: every record an entity, persons' identifiers shared entities,
//! references and relations links, co-travellers from the manifests screened here.

use std::collections::HashMap;

use chrono::NaiveDate;
use liaison_core::{Record, RecordRef, RecordType, RelationKind};
use liaison_graph::{EdgeKind, EntityKind, GraphBuilder, NodeIx};
use liaison_proto::border::ManifestReport;
use liaison_store::{ScreeningRunRow, Store};
use rustc_hash::{FxHashSet, FxHasher};

use super::normalise::{normalise_document_number, normalise_identifier};
use crate::services::ServiceError;

/// Records read per page.
const PAGE: u32 = 10_000;
/// Most manifest runs read for co-travel: the newest ones.
pub const MAX_RUNS: u32 = 500;
/// A booking with more travellers than this (a group tour, a data error) links each to the first only, so
/// one booking cannot add a quadratic number of links.
const MAX_BOOKING_CLIQUE: usize = 12;

/// What a person is screened with to find other records of the same person.
#[derive(Debug, Clone)]
pub struct PersonProbe {
    pub id: String,
    pub name: String,
    pub birth_date: Option<liaison_core::PartialDate>,
    pub nationality: Option<liaison_core::CountryCode>,
}

/// The graph being built, with what later steps (co-travel, identities) need to look up.
pub struct Building {
    pub builder: GraphBuilder,
    /// This node's own owner index.
    pub own: u16,
    own_id: String,
    documents_by_number: HashMap<String, NodeIx>,
    seen_edges: FxHashSet<(u64, u64)>,
    /// Persons to screen for identity resolution; `None` when resolution will not run.
    pub probes: Option<Vec<PersonProbe>>,
    pub records: u64,
    pub persons: u64,
    pub runs: u64,
    pub travel_links: u64,
}

fn entity_kind(record_type: RecordType) -> EntityKind {
    match record_type {
        RecordType::Person => EntityKind::Person,
        RecordType::Document => EntityKind::Document,
        RecordType::Vehicle => EntityKind::Vehicle,
        RecordType::Alert => EntityKind::Alert,
        RecordType::Case => EntityKind::Case,
        RecordType::Relation => EntityKind::Other,
    }
}

/// Days since 1970-01-01.
pub fn epoch_days(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((date - epoch).num_days()).unwrap_or(0)
}

impl Building {
    pub fn new(own_id: &str, expected_records: usize, resolve_identities: bool) -> Self {
        let mut builder = GraphBuilder::with_capacity(
            expected_records.saturating_mul(2),
            expected_records.saturating_mul(2),
        );
        let own = builder.owner(own_id);
        Building {
            builder,
            own,
            own_id: own_id.to_owned(),
            documents_by_number: HashMap::new(),
            seen_edges: FxHashSet::default(),
            probes: resolve_identities.then(Vec::new),
            records: 0,
            persons: 0,
            runs: 0,
            travel_links: 0,
        }
    }

    /// Adds a link once: the same pair linked twice with the same kind and label (a case listing a member
    /// who also has a `member_of` relation, one flight screened as PAXLST and as PNRGOV) is one link.
    pub fn link(
        &mut self,
        a: NodeIx,
        b: NodeIx,
        kind: EdgeKind,
        label: Option<&str>,
        date: Option<i32>,
        owner: u16,
    ) -> bool {
        use std::hash::{Hash, Hasher};
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut h = FxHasher::default();
        (kind as u8).hash(&mut h);
        label.hash(&mut h);
        let key = ((u64::from(lo) << 32) | u64::from(hi), h.finish());
        if a == b || !self.seen_edges.insert(key) {
            return false;
        }
        self.builder.edge(a, b, kind, label, date, owner);
        true
    }

    /// The entity a record reference names, read in the namespace of the record that holds it: a partner's
    /// record kept here as `<partner>:<id>` names the partner's other records by their bare ids.
    fn referenced(&mut self, reference: &RecordRef, namespace: Option<&str>) -> NodeIx {
        let kind = entity_kind(reference.record_type);
        let id = reference.id.as_str();
        match namespace {
            Some(prefix) if !id.starts_with(prefix) => {
                let key = format!("{prefix}{id}");
                self.builder.entity(kind, &key)
            }
            _ => self.builder.entity(kind, id),
        }
    }

    /// Adds one stored record.
    pub fn add_record(&mut self, record: &Record) {
        self.records += 1;
        let meta = record.meta();
        let id = meta.id.as_str();
        let owner_id = meta
            .owner
            .as_ref()
            .map_or(self.own_id.as_str(), |o| o.as_str())
            .to_owned();
        let owner = self.builder.owner(&owner_id);
        let prefix = format!("{owner_id}:");
        let namespace = (owner_id != self.own_id && id.starts_with(&prefix)).then_some(prefix);
        let namespace = namespace.as_deref();
        let kind = entity_kind(record.record_type());
        let this = (kind != EntityKind::Other).then(|| {
            let n = self.builder.entity(kind, id);
            self.builder.set_owner(n, owner);
            n
        });
        match (record, this) {
            (Record::Person(person), Some(n)) => {
                self.persons += 1;
                let primary = person
                    .names
                    .iter()
                    .find(|name| name.kind.as_str() == "primary")
                    .or_else(|| person.names.first());
                if let Some(name) = primary {
                    self.builder.set_label(n, &name.full);
                }
                for identifier in &person.identifiers {
                    if let Some((kind, key)) =
                        normalise_identifier(identifier.kind.as_str(), &identifier.value)
                    {
                        let shared = self.builder.entity(kind, &key);
                        self.link(
                            n,
                            shared,
                            EdgeKind::SharesIdentifier,
                            Some(identifier.kind.as_str()),
                            None,
                            owner,
                        );
                    }
                }
                if let (Some(probes), Some(name)) = (self.probes.as_mut(), primary) {
                    probes.push(PersonProbe {
                        id: id.to_owned(),
                        name: name.full.clone(),
                        birth_date: person.birth_dates.first().cloned(),
                        nationality: person.nationalities.first().cloned(),
                    });
                }
            }
            (Record::Document(document), Some(n)) => {
                self.builder.set_label(n, &document.number);
                self.documents_by_number
                    .entry(normalise_document_number(&document.number))
                    .or_insert(n);
                if let Some(holder) = &document.holder {
                    let h = self.referenced(holder, namespace);
                    self.link(h, n, EdgeKind::HoldsDocument, None, None, owner);
                }
            }
            (Record::Vehicle(vehicle), Some(n)) => {
                let label = vehicle
                    .plate
                    .clone()
                    .or_else(|| vehicle.vin.clone())
                    .or_else(|| {
                        let words: Vec<&str> = [vehicle.make.as_deref(), vehicle.model.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect();
                        (!words.is_empty()).then(|| words.join(" "))
                    });
                if let Some(label) = label {
                    self.builder.set_label(n, &label);
                }
            }
            (Record::Alert(alert), Some(n)) => {
                self.builder.set_label(n, alert.category.as_str());
                if let Some(subject) = &alert.subject {
                    let s = self.referenced(subject, namespace);
                    let date = alert.issued.map(epoch_days);
                    self.link(
                        n,
                        s,
                        EdgeKind::Subject,
                        Some(alert.category.as_str()),
                        date,
                        owner,
                    );
                }
            }
            (Record::Case(case), Some(n)) => {
                self.builder.set_label(n, &case.title);
                for entity in &case.entities {
                    let e = self.referenced(entity, namespace);
                    self.link(n, e, EdgeKind::CaseMember, None, None, owner);
                }
            }
            (Record::Relation(relation), _) => {
                let from = self.referenced(&relation.from, namespace);
                let to = self.referenced(&relation.to, namespace);
                let either =
                    |t: RecordType| relation.from.record_type == t || relation.to.record_type == t;
                let kind = match relation.kind {
                    RelationKind::Uses | RelationKind::Owner if either(RecordType::Vehicle) => {
                        EdgeKind::UsesVehicle
                    }
                    RelationKind::TravelledWith => EdgeKind::TravelledWith,
                    RelationKind::MemberOf if either(RecordType::Case) => EdgeKind::CaseMember,
                    _ => EdgeKind::Relation,
                };
                let label = match (kind, &relation.source) {
                    (EdgeKind::CaseMember, None) => None,
                    (EdgeKind::CaseMember, Some(source)) => Some(source.clone()),
                    (_, Some(source)) => Some(format!("{}: {source}", relation.kind.as_str())),
                    (_, None) => Some(relation.kind.as_str().to_owned()),
                };
                self.link(from, to, kind, label.as_deref(), None, owner);
            }
            _ => {}
        }
    }

    /// Links the travellers of one stored manifest run who share a booking or sit next to each other.
    pub fn add_run(&mut self, run: &ScreeningRunRow) {
        if run.kind != "manifest" {
            return;
        }
        let Ok(report) = serde_json::from_str::<ManifestReport>(&run.report) else {
            tracing::warn!(run = %run.id, "a stored manifest report no longer parses; its travellers are left out of the graph");
            return;
        };
        self.runs += 1;
        let flight = report.flights.first();
        let departure = flight
            .and_then(|f| f.departure.as_deref())
            .and_then(|d| d.get(..10))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .or_else(|| {
                report
                    .screened_at
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            });
        let label = match (flight.and_then(|f| f.flight.as_deref()), departure) {
            (Some(number), Some(day)) => format!("{number} {day}"),
            (Some(number), None) => number.to_owned(),
            (None, Some(day)) => format!("{} {day}", run.source),
            (None, None) => run.source.clone(),
        };
        let date = departure.map(epoch_days);
        let mut bookings: HashMap<&str, Vec<NodeIx>> = HashMap::new();
        let mut seats: HashMap<(u32, char), NodeIx> = HashMap::new();
        for traveller in &report.travellers {
            let node = self.traveller_entity(&run.id, traveller);
            if let Some(booking) = traveller.booking.as_deref() {
                bookings.entry(booking.trim()).or_default().push(node);
            }
            if let Some(seat) = traveller.seat.as_deref().and_then(parse_seat) {
                seats.insert(seat, node);
            }
        }
        let own = self.own;
        let mut pairs: Vec<(NodeIx, NodeIx)> = Vec::new();
        for members in bookings.values() {
            if members.len() <= MAX_BOOKING_CLIQUE {
                for (i, &a) in members.iter().enumerate() {
                    for &b in members.iter().skip(i + 1) {
                        pairs.push((a, b));
                    }
                }
            } else if let Some((&first, rest)) = members.split_first() {
                pairs.extend(rest.iter().map(|&b| (first, b)));
            }
        }
        for (&(row, letter), &a) in &seats {
            let next = char::from_u32(letter as u32 + 1).unwrap_or(letter);
            if let Some(&b) = seats.get(&(row, next)) {
                pairs.push((a, b));
            }
        }
        for (a, b) in pairs {
            if self.link(a, b, EdgeKind::TravelledWith, Some(&label), date, own) {
                self.travel_links += 1;
            }
        }
    }

    /// The person of the traveller's strong hit, else the document record with its number, else an entity of
    /// its own named after the run and its place in it.
    fn traveller_entity(
        &mut self,
        run: &str,
        traveller: &liaison_proto::border::TravellerReport,
    ) -> NodeIx {
        let person = traveller
            .hits
            .iter()
            .filter(|h| h.band == "strong" && h.kind == "person")
            .filter_map(|h| h.record.as_ref().and_then(|r| r.id.as_deref()))
            .find_map(|id| self.builder.find(EntityKind::Person, id));
        if let Some(n) = person {
            return n;
        }
        let numbers = std::iter::once(traveller.document.as_str())
            .chain(traveller.documents.iter().map(|d| d.number.as_str()))
            .filter(|n| !n.trim().is_empty());
        for number in numbers {
            if let Some(&n) = self
                .documents_by_number
                .get(&normalise_document_number(number))
            {
                return n;
            }
        }
        let key = format!("traveller/{run}/{}", traveller.index);
        let n = self.builder.entity(EntityKind::Other, &key);
        self.builder.set_label(n, &traveller.name);
        self.builder.set_owner(n, self.own);
        n
    }
}

/// `12A` → (12, 'A'); seats without a row number and a letter are not compared.
fn parse_seat(seat: &str) -> Option<(u32, char)> {
    let seat = seat.trim().trim_start_matches('0');
    let digits: String = seat.chars().take_while(char::is_ascii_digit).collect();
    let rest: Vec<char> = seat.chars().skip(digits.len()).collect();
    match (digits.parse::<u32>(), rest.as_slice()) {
        (Ok(row), [letter]) if letter.is_ascii_alphabetic() => {
            Some((row, letter.to_ascii_uppercase()))
        }
        _ => None,
    }
}

fn decode(body: &str) -> Option<Record> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    liaison_proto::decode_value(&value).ok().map(|d| d.record)
}

/// Reads every record of every type page by page and adds it, decoding and adding one page on a worker
/// thread while the next is read.
pub async fn add_records(store: &dyn Store, building: Building) -> Result<Building, ServiceError> {
    let mut idle = Some(building);
    let mut working: Option<tokio::task::JoinHandle<Building>> = None;
    for &record_type in RecordType::ALL {
        let mut after = 0;
        loop {
            let page = store.record_bodies_page(record_type, after, PAGE).await?;
            let mut building = match working.take() {
                Some(handle) => handle.await.map_err(|e| {
                    ServiceError::Internal(format!("building the graph stopped: {e}"))
                })?,
                None => idle.take().ok_or_else(|| {
                    ServiceError::Internal("the graph under construction was lost".into())
                })?,
            };
            let Some(last) = page.last() else {
                idle = Some(building);
                break;
            };
            after = last.0;
            working = Some(tokio::task::spawn_blocking(move || {
                for (_, _, body) in &page {
                    // Bodies were validated when stored; one that no longer decodes is of a newer format.
                    if let Some(record) = decode(body) {
                        building.add_record(&record);
                    }
                }
                building
            }));
        }
    }
    match working {
        Some(handle) => handle
            .await
            .map_err(|e| ServiceError::Internal(format!("building the graph stopped: {e}"))),
        None => idle
            .ok_or_else(|| ServiceError::Internal("the graph under construction was lost".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_parse_row_and_letter() {
        assert_eq!(parse_seat("12A"), Some((12, 'A')));
        assert_eq!(parse_seat(" 012c "), Some((12, 'C')));
        assert_eq!(parse_seat("A12"), None);
        assert_eq!(parse_seat("12"), None);
        assert_eq!(parse_seat("12AB"), None);
        assert_eq!(parse_seat(""), None);
    }

    #[test]
    fn parallel_links_of_one_kind_and_label_are_one() {
        let mut b = Building::new("node-a", 4, false);
        let p = b.builder.entity(EntityKind::Person, "p1");
        let c = b.builder.entity(EntityKind::Case, "c1");
        let own = b.own;
        assert!(b.link(p, c, EdgeKind::CaseMember, None, None, own));
        assert!(!b.link(c, p, EdgeKind::CaseMember, None, None, own));
        assert!(b.link(p, c, EdgeKind::Relation, Some("other"), None, own));
        assert!(!b.link(p, p, EdgeKind::Relation, None, None, own));
        assert_eq!(b.builder.edge_count(), 2);
    }
}
