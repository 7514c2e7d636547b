//! Screening: the in-memory matching index built from the store and kept current as records change, and the
//! audited screening of one or many queries.

use std::collections::{HashMap, HashSet};
use std::sync::RwLock;

use liaison_core::{CountryCode, PartialDate, Purpose, Record, RecordType, Sex};
use liaison_matching::{DocumentKey, IndexedPerson, MatchIndex, NameInput, Query, ScreenOptions};
use liaison_proto::api::{
    ExplanationItem, HitAlert, HitRecord, ScreenHit, ScreenQuery, ScreenResponse,
};
use liaison_store::Store;

use super::checks::{IdentifierField, ObjectIndex, ObjectMatch};
use super::records::{AccessReason, READ_ROLES, check_purpose};
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Records read per page while building the index.
const BUILD_PAGE: u32 = 10_000;
/// Most hits one query may ask for.
pub const MAX_LIMIT: u32 = 100;
/// Most queries in one batch.
pub const MAX_BATCH: usize = 1_000;

/// The matching index of this node's persons (with their documents) and of documents without a known holder.
#[derive(Debug, Default)]
pub struct ScreeningIndex {
    state: RwLock<IndexState>,
}

#[derive(Debug, Default)]
struct IndexState {
    index: MatchIndex,
    /// Which person holds each indexed document, to re-index the right person when a document changes.
    holder_of: HashMap<String, String>,
    /// Listed documents and vehicles (stolen, lost, revoked...), for document and vehicle checks.
    objects: ObjectIndex,
}

fn poisoned() -> ServiceError {
    ServiceError::Internal("the screening index lock is poisoned".into())
}

fn decode(body: &str) -> Option<Record> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    liaison_proto::decode_value(&value).ok().map(|d| d.record)
}

fn document_key(document: &liaison_core::Document) -> DocumentKey {
    DocumentKey {
        number: document.number.clone(),
        issuing_country: Some(document.issuing_country.clone()),
        record_id: Some(document.meta.id.as_str().to_owned()),
    }
}

fn indexed_person(person: &liaison_core::Person, documents: Vec<DocumentKey>) -> IndexedPerson {
    IndexedPerson {
        record_type: RecordType::Person,
        id: person.meta.id.as_str().to_owned(),
        names: person
            .names
            .iter()
            .map(|n| NameInput {
                full: n.full.clone(),
                given: n.given.clone(),
                family: n.family.clone(),
                patronymic: n.patronymic.clone(),
                middle: n.middle.clone(),
            })
            .collect(),
        birth_dates: person.birth_dates.clone(),
        sex: person.sex,
        nationalities: person.nationalities.clone(),
        documents,
    }
}

impl ScreeningIndex {
    /// Builds the index from the store in one streaming pass per record type: documents first (listed ones
    /// into the check index, held ones grouped by holder), then vehicles and alerts (what they put on the
    /// check list), then persons with their documents attached. Each page is decoded on a worker thread
    /// while the next is read.
    pub async fn build(store: &dyn Store) -> Result<ScreeningIndex, ServiceError> {
        let mut documents_of: HashMap<String, Vec<DocumentKey>> = HashMap::new();
        let mut state = IndexState::default();
        for_each_page(
            store,
            RecordType::Document,
            |id, body| liaison_proto::document_summary(body).map(|d| (id, d)),
            |(id, document)| {
                state.objects.upsert_document_fields(
                    &id,
                    &document.number,
                    &document.issuing_country,
                    &document.status,
                    false,
                );
                if let Some((RecordType::Person, holder)) = document.holder {
                    documents_of
                        .entry(holder.clone())
                        .or_default()
                        .push(DocumentKey {
                            number: document.number,
                            issuing_country: CountryCode::parse(&document.issuing_country).ok(),
                            record_id: Some(id.clone()),
                        });
                    state.holder_of.insert(id, holder);
                }
            },
        )
        .await?;
        for_each_page(
            store,
            RecordType::Vehicle,
            |_, body| match decode(body) {
                Some(Record::Vehicle(vehicle)) => Some(vehicle),
                _ => None,
            },
            |vehicle| state.objects.upsert_vehicle(&vehicle, false),
        )
        .await?;
        // Objects an alert is about are checked even when their own status is unremarkable.
        let mut alerted: HashSet<(RecordType, String)> = HashSet::new();
        for_each_page(
            store,
            RecordType::Alert,
            |_, body| liaison_proto::alert_subject(body),
            |subject| {
                if matches!(subject.0, RecordType::Document | RecordType::Vehicle) {
                    alerted.insert(subject);
                }
            },
        )
        .await?;
        for (record_type, id) in alerted {
            if let Some(stored) = store.get_record(record_type, &id).await? {
                match decode(&stored.body) {
                    Some(Record::Document(document)) => {
                        state.objects.upsert_document(&document, true)
                    }
                    Some(Record::Vehicle(vehicle)) => state.objects.upsert_vehicle(&vehicle, true),
                    _ => {}
                }
            }
        }
        for_each_page(
            store,
            RecordType::Person,
            |_, body| match decode(body) {
                Some(Record::Person(person)) => Some(person),
                _ => None,
            },
            |person| {
                let documents = documents_of
                    .remove(person.meta.id.as_str())
                    .unwrap_or_default();
                state.index.upsert(indexed_person(&person, documents));
            },
        )
        .await?;
        Ok(ScreeningIndex {
            state: RwLock::new(state),
        })
    }

    pub fn len(&self) -> usize {
        self.state.read().map(|s| s.index.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Brings the index up to date with the current state of these records in the store (after they were
    /// stored, changed or deleted).
    pub async fn refresh(
        &self,
        store: &dyn Store,
        changed: &[(RecordType, String)],
    ) -> Result<(), ServiceError> {
        for (record_type, id) in changed {
            match record_type {
                RecordType::Person => self.refresh_person(store, id).await?,
                RecordType::Document => self.refresh_document(store, id).await?,
                RecordType::Vehicle => self.refresh_vehicle(store, id).await?,
                RecordType::Alert => self.refresh_alert(store, id).await?,
                _ => {}
            }
        }
        Ok(())
    }

    async fn refresh_person(&self, store: &dyn Store, id: &str) -> Result<(), ServiceError> {
        let Some(stored) = store.get_record(RecordType::Person, id).await? else {
            self.state
                .write()
                .map_err(|_| poisoned())?
                .index
                .remove(RecordType::Person, id);
            return Ok(());
        };
        let Some(Record::Person(person)) = decode(&stored.body) else {
            return Ok(());
        };
        let mut documents = Vec::new();
        for (referrer_type, referrer_id) in store.referencing(RecordType::Person, id).await? {
            if referrer_type != RecordType::Document {
                continue;
            }
            if let Some(doc) = store.get_record(RecordType::Document, &referrer_id).await?
                && let Some(Record::Document(document)) = decode(&doc.body)
            {
                documents.push(document_key(&document));
            }
        }
        self.state
            .write()
            .map_err(|_| poisoned())?
            .index
            .upsert(indexed_person(&person, documents));
        Ok(())
    }

    async fn refresh_document(&self, store: &dyn Store, id: &str) -> Result<(), ServiceError> {
        let old_holder = self
            .state
            .read()
            .map_err(|_| poisoned())?
            .holder_of
            .get(id)
            .cloned();
        let document = match store.get_record(RecordType::Document, id).await? {
            Some(stored) => match decode(&stored.body) {
                Some(Record::Document(document)) => Some(document),
                _ => None,
            },
            None => None,
        };
        let new_holder = document
            .as_ref()
            .and_then(|d| d.holder.as_ref())
            .filter(|h| h.record_type == RecordType::Person)
            .map(|h| h.id.as_str().to_owned());
        let alerted = match &document {
            Some(_) => has_alert(store, RecordType::Document, id).await?,
            None => false,
        };
        {
            let mut state = self.state.write().map_err(|_| poisoned())?;
            state.index.remove(RecordType::Document, id);
            match &document {
                Some(document) => state.objects.upsert_document(document, alerted),
                None => {
                    state.objects.remove(RecordType::Document, id);
                }
            }
            match (&document, &new_holder) {
                (Some(_), Some(holder)) => {
                    state.holder_of.insert(id.to_owned(), holder.clone());
                }
                (Some(_), None) => {
                    state.holder_of.remove(id);
                }
                (None, _) => {
                    state.holder_of.remove(id);
                }
            }
        }
        if let Some(holder) = &new_holder {
            self.refresh_person(store, holder).await?;
        }
        if let Some(old) = old_holder.filter(|old| Some(old) != new_holder.as_ref()) {
            self.refresh_person(store, &old).await?;
        }
        Ok(())
    }

    async fn refresh_vehicle(&self, store: &dyn Store, id: &str) -> Result<(), ServiceError> {
        let vehicle = match store.get_record(RecordType::Vehicle, id).await? {
            Some(stored) => match decode(&stored.body) {
                Some(Record::Vehicle(vehicle)) => Some(vehicle),
                _ => None,
            },
            None => None,
        };
        let alerted = match &vehicle {
            Some(_) => has_alert(store, RecordType::Vehicle, id).await?,
            None => false,
        };
        let mut state = self.state.write().map_err(|_| poisoned())?;
        match vehicle {
            Some(vehicle) => state.objects.upsert_vehicle(&vehicle, alerted),
            None => {
                state.objects.remove(RecordType::Vehicle, id);
            }
        }
        Ok(())
    }

    /// An alert about a document or vehicle puts that object on the check list.
    async fn refresh_alert(&self, store: &dyn Store, id: &str) -> Result<(), ServiceError> {
        let Some(stored) = store.get_record(RecordType::Alert, id).await? else {
            return Ok(());
        };
        let Some(Record::Alert(alert)) = decode(&stored.body) else {
            return Ok(());
        };
        match alert.subject {
            Some(subject) if subject.record_type == RecordType::Document => {
                self.refresh_document(store, subject.id.as_str()).await
            }
            Some(subject) if subject.record_type == RecordType::Vehicle => {
                self.refresh_vehicle(store, subject.id.as_str()).await
            }
            _ => Ok(()),
        }
    }

    /// The listed objects matching an identifier (see [`ObjectIndex::check`]).
    pub fn check_object(
        &self,
        field: IdentifierField,
        identifier: &str,
        country: Option<&str>,
    ) -> Result<Vec<ObjectMatch>, ServiceError> {
        let state = self.state.read().map_err(|_| poisoned())?;
        Ok(state.objects.check(field, identifier, country))
    }

    /// How many listed documents and vehicles are indexed for checks.
    pub fn listed_objects(&self) -> usize {
        self.state.read().map(|s| s.objects.len()).unwrap_or(0)
    }

    /// Screens queries straight against the index, without audit: for services that audit the whole batch
    /// themselves (manifests).
    pub(crate) fn screen_unaudited(
        &self,
        queries: &[Query],
        limit: usize,
    ) -> Result<Vec<liaison_matching::ScreenResult>, ServiceError> {
        self.screen(queries, limit)
    }

    fn screen(
        &self,
        queries: &[Query],
        limit: usize,
    ) -> Result<Vec<liaison_matching::ScreenResult>, ServiceError> {
        let state = self.state.read().map_err(|_| poisoned())?;
        let options = ScreenOptions {
            limit,
            ..ScreenOptions::default()
        };
        Ok(state.index.screen_batch(queries, &options))
    }
}

/// Turns the API's query into the engine's, naming the field of any invalid value.
pub fn parse_query(query: &ScreenQuery, pointer: &str) -> Result<Query, ServiceError> {
    let field = |name: &str| {
        if pointer.is_empty() {
            format!("query.{name}")
        } else {
            format!("{pointer}.{name}")
        }
    };
    let names: Vec<String> = query
        .names
        .iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    let documents: Vec<String> = query
        .documents
        .iter()
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .collect();
    if names.is_empty() && documents.is_empty() {
        return Err(ServiceError::bad_field(
            &field("names"),
            "give at least one name or document number",
        ));
    }
    let birth_date = optional(
        query.birth_date.as_deref(),
        &field("birth_date"),
        PartialDate::parse,
    )?;
    let nationality = optional(
        query.nationality.as_deref(),
        &field("nationality"),
        CountryCode::parse,
    )?;
    let sex = optional(query.sex.as_deref(), &field("sex"), Sex::parse)?;
    Ok(Query {
        names,
        birth_date,
        nationality,
        sex,
        documents,
    })
}

/// An optional query field: blank means absent; a present value must parse.
fn optional<T, E: std::fmt::Display>(
    value: Option<&str>,
    pointer: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, ServiceError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(text) => parse(text)
            .map(Some)
            .map_err(|e| ServiceError::bad_field(pointer, e.to_string())),
        None => Ok(None),
    }
}

fn describe_query(query: &Query) -> String {
    let mut parts = Vec::new();
    if !query.names.is_empty() {
        parts.push(format!("names: {}", query.names.join(" | ")));
    }
    if let Some(d) = &query.birth_date {
        parts.push(format!("birth date: {d}"));
    }
    if let Some(n) = &query.nationality {
        parts.push(format!("nationality: {n}"));
    }
    if let Some(s) = &query.sex {
        parts.push(format!("sex: {s}"));
    }
    if !query.documents.is_empty() {
        parts.push(format!("documents: {}", query.documents.join(" | ")));
    }
    parts.join("; ")
}

/// Screens queries against this node under one stated purpose. Every query, with its hits, is audited: the
/// log shows who looked for whom, and why.
pub async fn screen(
    node: &Node,
    caller: &Caller,
    queries: &[Query],
    reason: &AccessReason,
    limit: u32,
) -> Result<Vec<ScreenResponse>, ServiceError> {
    require_role(node, caller, READ_ROLES, "screen", None).await?;
    let purpose: Purpose = check_purpose(node, caller, "screen", "screening", reason).await?;
    if queries.len() > MAX_BATCH {
        return Err(ServiceError::bad_field(
            "queries",
            format!("at most {MAX_BATCH} queries in one batch"),
        ));
    }
    let limit = limit.clamp(1, MAX_LIMIT) as usize;
    let Some(index) = &node.screening else {
        return Err(ServiceError::Internal(
            "this node was started without a screening index".into(),
        ));
    };
    let results = index.screen(queries, limit)?;
    let mut responses = Vec::with_capacity(results.len());
    for (query, result) in queries.iter().zip(results) {
        let mut hits = Vec::with_capacity(result.hits.len());
        for hit in &result.hits {
            hits.push(ScreenHit {
                record: HitRecord {
                    record_type: hit.record_type.as_str().into(),
                    id: Some(hit.id.clone()),
                    owner: node.id.to_string(),
                },
                score: rounded_score(hit),
                band: hit.band.as_str().into(),
                explanation: explanation_items(hit),
                alerts: alerts_on(node, hit.record_type, &hit.id).await?,
                hit_ref: None,
            });
        }
        for number in &query.documents {
            for listed in index.check_object(IdentifierField::DocumentNumber, number, None)? {
                if hits.iter().any(|h| {
                    h.record.record_type == listed.record_type.as_str()
                        && h.record.id.as_deref() == Some(listed.id.as_str())
                }) {
                    continue;
                }
                hits.push(ScreenHit {
                    record: HitRecord {
                        record_type: listed.record_type.as_str().into(),
                        id: Some(listed.id.clone()),
                        owner: node.id.to_string(),
                    },
                    score: listed.score(),
                    band: listed.band().into(),
                    explanation: vec![listed.explanation(number)],
                    alerts: alerts_on(node, listed.record_type, &listed.id).await?,
                    hit_ref: None,
                });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        let mut event = AuditEvent::new("screen", "ok").detail(format!(
            "{}; {} hits",
            describe_query(query),
            hits.len()
        ));
        event.objects = hits
            .iter()
            .map(|h| {
                format!(
                    "{}/{}",
                    h.record.record_type,
                    h.record.id.as_deref().unwrap_or("")
                )
            })
            .collect();
        event.purpose = Some(purpose.as_str().to_owned());
        event.case_ref = reason.case_ref.clone();
        record_audit(node, caller, event).await?;
        responses.push(ScreenResponse {
            hits,
            partners: Vec::new(),
            warnings: result.warnings,
        });
    }
    Ok(responses)
}

/// Reads every record of one type page by page, decoding each page on a worker thread while the next page
/// is read, and hands the decoded items to `apply` in insertion order. Bodies that do not decode are skipped:
/// they were validated when stored, so this only happens to a record of a newer format.
async fn for_each_page<T: Send + 'static>(
    store: &dyn Store,
    record_type: RecordType,
    decode: fn(String, &str) -> Option<T>,
    mut apply: impl FnMut(T),
) -> Result<(), ServiceError> {
    let mut after = 0;
    let mut decoding: Option<tokio::task::JoinHandle<Vec<T>>> = None;
    loop {
        let page = store
            .record_bodies_page(record_type, after, BUILD_PAGE)
            .await?;
        if let Some(previous) = decoding.take() {
            let items = previous
                .await
                .map_err(|e| ServiceError::Internal(format!("decoding records stopped: {e}")))?;
            items.into_iter().for_each(&mut apply);
        }
        let Some(last) = page.last() else {
            return Ok(());
        };
        after = last.0;
        decoding = Some(tokio::task::spawn_blocking(move || {
            page.into_iter()
                .filter_map(|(_, id, body)| decode(id, &body))
                .collect()
        }));
    }
}

/// The engine's score as the API shows it: three decimals.
pub(crate) fn rounded_score(hit: &liaison_matching::Hit) -> f64 {
    (hit.score * 1000.0).round() / 1000.0
}

/// The engine's explanation of a hit in the API's words, weights to two decimals.
pub(crate) fn explanation_items(hit: &liaison_matching::Hit) -> Vec<ExplanationItem> {
    hit.explanation
        .iter()
        .map(|c| ExplanationItem {
            feature: c.feature.into(),
            text: c.text.clone(),
            weight: (c.weight * 100.0).round() / 100.0,
        })
        .collect()
}

/// Whether any alert is about the record.
async fn has_alert(
    store: &dyn Store,
    record_type: RecordType,
    id: &str,
) -> Result<bool, ServiceError> {
    Ok(store
        .referencing(record_type, id)
        .await?
        .iter()
        .any(|(referrer, _)| *referrer == RecordType::Alert))
}

/// The alerts in force whose subject is the hit record, so the officer sees at once what a hit means. An
/// alert past its expiry date no longer asks anything of anyone and is left out.
pub(crate) async fn alerts_on(
    node: &Node,
    record_type: RecordType,
    id: &str,
) -> Result<Vec<HitAlert>, ServiceError> {
    let today = node.now().date_naive();
    let mut alerts = Vec::new();
    for (referrer_type, referrer_id) in node.store.referencing(record_type, id).await? {
        if referrer_type != RecordType::Alert {
            continue;
        }
        if let Some(stored) = node
            .store
            .get_record(RecordType::Alert, &referrer_id)
            .await?
            && let Some(Record::Alert(alert)) = decode(&stored.body)
            && alert.expires.is_none_or(|expires| expires >= today)
        {
            alerts.push(HitAlert {
                id: referrer_id,
                category: alert.category.as_str().into(),
                action: alert.action.clone(),
            });
        }
    }
    Ok(alerts)
}
