//! "Liaison JSON Lines" version 1: one record per line, in the shape the brief fixes. Decoding names the field
//! of every problem; encoding writes the same shape back, so import, export and import again round-trip.

use liaison_core::{
    Alert, AlertCategory, Case, CountryCode, Distribution, Document, DocumentKind, DocumentStatus,
    Handling, HandlingCode, IccsCode, Identifier, IdentifierKind, NameKind, NodeId, PartialDate,
    Person, PersonName, Record, RecordId, RecordMeta, RecordRef, RecordType, Relation,
    RelationKind, Sex, Vehicle, VehicleStatus, parse_date,
};
use serde_json::{Map, Value, json};

use crate::fields::{FieldIssue, Fields, as_object, describe};

/// The interchange format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// The optional first line of a file.
pub fn format_header() -> String {
    json!({ "liaison_format": FORMAT_VERSION }).to_string()
}

/// A decoded record whose references still need their target type confirmed against the file and the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub record: Record,
    /// One entry per reference, in the order of `Record::references`.
    pub pending: Vec<PendingRef>,
    /// Problems that do not stop the record (unknown fields); `--strict` turns them into errors.
    pub warnings: Vec<FieldIssue>,
}

/// How a reference was written: a bare id (`"p1"`, whose type is found by looking the id up) or an explicit
/// `{"type":"vehicle","id":"v1"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRef {
    pub field: String,
    pub explicit: bool,
}

/// The record types a reference in `field` may point at; the first is preferred for a bare id that several
/// types share.
pub fn allowed_reference_types(record: &Record, field: &str) -> &'static [RecordType] {
    use RecordType as T;
    match (record, field) {
        (Record::Document(_), _) => &[T::Person],
        (Record::Alert(alert), _) => match alert.category {
            AlertCategory::WantedForArrest
            | AlertCategory::MissingPerson
            | AlertCategory::VulnerablePerson
            | AlertCategory::JudicialProcedure
            | AlertCategory::DiscreetCheck
            | AlertCategory::InquiryCheck
            | AlertCategory::SpecificCheck
            | AlertCategory::RefusalOfEntry
            | AlertCategory::UnknownWanted => &[T::Person],
            AlertCategory::StolenDocument | AlertCategory::LostDocument => &[T::Document],
            AlertCategory::StolenVehicle => &[T::Vehicle],
            _ => &[T::Person, T::Document, T::Vehicle],
        },
        (Record::Relation(_), _) => &[T::Person, T::Vehicle, T::Document, T::Case],
        (Record::Case(_), _) => &[T::Person, T::Vehicle, T::Document, T::Alert],
        (Record::Person(_) | Record::Vehicle(_), _) => &[],
    }
}

/// Decodes one line of text.
pub fn decode_record(text: &str) -> Result<Decoded, FieldIssue> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| FieldIssue::whole(format!("not valid JSON: {e} (column {})", e.column())))?;
    decode_value(&value)
}

/// Decodes one record from its JSON value.
pub fn decode_value(value: &Value) -> Result<Decoded, FieldIssue> {
    let object = as_object(value, "")?;
    let mut f = Fields::new(object, "");
    let record_type = f.required("type", RecordType::parse)?;
    let meta = decode_meta(&mut f)?;
    let mut pending = Vec::new();
    let record = match record_type {
        RecordType::Person => Record::Person(decode_person(&mut f, meta)?),
        RecordType::Document => {
            let holder = reference_opt(&mut f, "holder", &mut pending)?;
            Record::Document(Document {
                meta,
                kind: f.required("kind", DocumentKind::parse)?,
                number: f.required("number", document_number)?,
                issuing_country: f.required("issuing_country", CountryCode::parse)?,
                holder,
                status: f
                    .parsed("status", DocumentStatus::parse)?
                    .unwrap_or(DocumentStatus::Valid),
                issued: f.parsed("issued", parse_date)?,
                expires: f.parsed("expires", parse_date)?,
            })
        }
        RecordType::Vehicle => {
            let vehicle = Vehicle {
                meta,
                vin: f.parsed("vin", vin)?,
                plate: f.text("plate")?.map(str::to_owned),
                plate_country: f.parsed("plate_country", CountryCode::parse)?,
                make: f.text("make")?.map(str::to_owned),
                model: f.text("model")?.map(str::to_owned),
                colour: f.text("colour")?.map(str::to_owned),
                status: f
                    .parsed("status", VehicleStatus::parse)?
                    .unwrap_or(VehicleStatus::Registered),
            };
            if vehicle.vin.is_none() && vehicle.plate.is_none() {
                return Err(FieldIssue::new(
                    "vin",
                    "a vehicle needs a `vin` or a `plate`",
                ));
            }
            Record::Vehicle(vehicle)
        }
        RecordType::Alert => {
            let category = f.required("category", AlertCategory::parse)?;
            let subject = reference_opt(&mut f, "subject", &mut pending)?;
            Record::Alert(Alert {
                meta,
                category,
                subject,
                issuing_authority: f.text("issuing_authority")?.map(str::to_owned),
                offences: f.text_list("offences", IccsCode::parse)?,
                action: f.text("action")?.map(str::to_owned),
                issued: f.parsed("issued", parse_date)?,
                expires: f.parsed("expires", parse_date)?,
            })
        }
        RecordType::Relation => {
            let from = reference_required(&mut f, "from", &mut pending)?;
            let to = reference_required(&mut f, "to", &mut pending)?;
            Record::Relation(Relation {
                meta,
                from,
                to,
                kind: f.required("kind", RelationKind::parse)?,
                source: f.text("source")?.map(str::to_owned),
            })
        }
        RecordType::Case => {
            let title = f.required_text("title")?.to_owned();
            let entities_raw = f.list("entities")?;
            let mut entities = Vec::with_capacity(entities_raw.len());
            for (i, item) in entities_raw.iter().enumerate() {
                entities.push(reference_value(
                    item,
                    format!("entities[{i}]"),
                    &mut pending,
                )?);
            }
            Record::Case(Case {
                meta,
                title,
                reference: f.text("reference")?.map(str::to_owned),
                offences: f.text_list("offences", IccsCode::parse)?,
                entities,
                summary: f.text("summary")?.map(str::to_owned),
            })
        }
    };
    let warnings = f.unknown();
    Ok(Decoded {
        record,
        pending,
        warnings,
    })
}

fn decode_meta(f: &mut Fields<'_>) -> Result<RecordMeta, FieldIssue> {
    let id = f.required("id", RecordId::parse)?;
    let owner = f.parsed("owner", NodeId::parse)?;
    let handling = match f.raw("handling") {
        None => Handling::default(),
        Some(value) => decode_handling(value)?,
    };
    let retain_until = f.parsed("retain_until", parse_date)?;
    Ok(RecordMeta {
        id,
        owner,
        handling,
        retain_until,
    })
}

fn decode_handling(value: &Value) -> Result<Handling, FieldIssue> {
    let object = as_object(value, "handling")?;
    let mut f = Fields::new(object, "handling");
    let code_text = f.required_text("code")?;
    let conditions = f.text("conditions")?;
    let code = HandlingCode::parse(code_text, conditions)
        .map_err(|e| FieldIssue::new("handling.code", e.to_string()))?;
    let distribution = match f.raw("distribution") {
        None => Distribution::National,
        Some(Value::String(scope)) => Distribution::parse_scope(scope)
            .map_err(|e| FieldIssue::new("handling.distribution", e.to_string()))?,
        Some(Value::Array(items)) => {
            let mut nodes = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let path = format!("handling.distribution[{i}]");
                let text = item
                    .as_str()
                    .ok_or_else(|| FieldIssue::new(&path, "expected a node id"))?;
                nodes.push(NodeId::parse(text).map_err(|e| FieldIssue::new(&path, e.to_string()))?);
            }
            Distribution::nodes(nodes).map_err(|_| {
                FieldIssue::new(
                    "handling.distribution",
                    "an empty list shares with nobody: use \"national\"",
                )
            })?
        }
        Some(other) => {
            return Err(FieldIssue::new(
                "handling.distribution",
                format!(
                    "expected \"national\", \"partners\" or a list of node ids, found {}",
                    describe(other)
                ),
            ));
        }
    };
    if let Some(unknown) = f.unknown().into_iter().next() {
        return Err(unknown);
    }
    Ok(Handling { code, distribution })
}

fn decode_person(f: &mut Fields<'_>, meta: RecordMeta) -> Result<Person, FieldIssue> {
    let names_raw = f.list("names")?;
    if names_raw.is_empty() {
        return Err(FieldIssue::new("names", "a person needs at least one name"));
    }
    let mut names = Vec::with_capacity(names_raw.len());
    for (i, value) in names_raw.iter().enumerate() {
        let path = format!("names[{i}]");
        let mut n = Fields::new(as_object(value, &path)?, path);
        let name = PersonName {
            full: n.required_text("full")?.to_owned(),
            given: n.text("given")?.map(str::to_owned),
            family: n.text("family")?.map(str::to_owned),
            patronymic: n.text("patronymic")?.map(str::to_owned),
            middle: n.text("middle")?.map(str::to_owned),
            kind: n
                .parsed("kind", NameKind::parse)?
                .unwrap_or(NameKind::Primary),
        };
        if let Some(unknown) = n.unknown().into_iter().next() {
            return Err(unknown);
        }
        names.push(name);
    }
    let identifiers_raw = f.list("identifiers")?;
    let mut identifiers = Vec::with_capacity(identifiers_raw.len());
    for (i, value) in identifiers_raw.iter().enumerate() {
        let path = format!("identifiers[{i}]");
        let mut n = Fields::new(as_object(value, &path)?, path);
        let identifier = Identifier {
            kind: n.required("kind", IdentifierKind::parse)?,
            value: n.required_text("value")?.to_owned(),
        };
        if let Some(unknown) = n.unknown().into_iter().next() {
            return Err(unknown);
        }
        identifiers.push(identifier);
    }
    Ok(Person {
        meta,
        names,
        birth_dates: f.text_list("birth_dates", PartialDate::parse)?,
        birth_place: f.text("birth_place")?.map(str::to_owned),
        sex: f.parsed("sex", Sex::parse)?,
        nationalities: f.text_list("nationalities", CountryCode::parse)?,
        identifiers,
    })
}

fn reference_opt(
    f: &mut Fields<'_>,
    key: &'static str,
    pending: &mut Vec<PendingRef>,
) -> Result<Option<RecordRef>, FieldIssue> {
    match f.raw(key) {
        None => Ok(None),
        Some(value) => reference_value(value, f.path(key), pending).map(Some),
    }
}

fn reference_required(
    f: &mut Fields<'_>,
    key: &'static str,
    pending: &mut Vec<PendingRef>,
) -> Result<RecordRef, FieldIssue> {
    reference_opt(f, key, pending)?.ok_or_else(|| FieldIssue::new(key, "is required"))
}

/// A bare id gets a provisional type (person) until the importer resolves it.
fn reference_value(
    value: &Value,
    path: String,
    pending: &mut Vec<PendingRef>,
) -> Result<RecordRef, FieldIssue> {
    let (reference, explicit) = match value {
        Value::String(id) => {
            let id = RecordId::parse(id).map_err(|e| FieldIssue::new(&path, e.to_string()))?;
            (
                RecordRef {
                    record_type: RecordType::Person,
                    id,
                },
                false,
            )
        }
        Value::Object(object) => {
            let mut r = Fields::new(object, path.clone());
            let reference = RecordRef {
                record_type: r.required("type", RecordType::parse)?,
                id: r.required("id", RecordId::parse)?,
            };
            if let Some(unknown) = r.unknown().into_iter().next() {
                return Err(unknown);
            }
            (reference, true)
        }
        other => {
            return Err(FieldIssue::new(
                path,
                format!(
                    "expected a record id or {{\"type\":..,\"id\":..}}, found {}",
                    describe(other)
                ),
            ));
        }
    };
    pending.push(PendingRef {
        field: path,
        explicit,
    });
    Ok(reference)
}

fn document_number(value: &str) -> Result<String, String> {
    let ok = value.len() <= 35
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-/ .".contains(&b));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not a document number: use capital letters, digits, `-`, `/`, `.` and spaces, at most 35"
        ))
    }
}

fn vin(value: &str) -> Result<String, String> {
    let ok = value.len() <= 17
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not a vehicle identification number: at most 17 capital letters and digits"
        ))
    }
}

/// Encodes a record as one interchange object. References to persons are written as bare ids (the importer
/// prefers persons for bare ids), all others as `{"type","id"}`, so the output re-imports unambiguously.
pub fn encode_record(record: &Record) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(record.record_type().as_str()));
    out.insert("id".into(), json!(record.meta().id.as_str()));
    match record {
        Record::Person(p) => {
            let names: Vec<Value> = p
                .names
                .iter()
                .map(|n| {
                    let mut m = Map::new();
                    m.insert("full".into(), json!(n.full));
                    put_opt(&mut m, "given", n.given.as_deref());
                    put_opt(&mut m, "family", n.family.as_deref());
                    put_opt(&mut m, "patronymic", n.patronymic.as_deref());
                    put_opt(&mut m, "middle", n.middle.as_deref());
                    m.insert("kind".into(), json!(n.kind.as_str()));
                    Value::Object(m)
                })
                .collect();
            out.insert("names".into(), Value::Array(names));
            put_list(
                &mut out,
                "birth_dates",
                p.birth_dates.iter().map(ToString::to_string),
            );
            put_opt(&mut out, "birth_place", p.birth_place.as_deref());
            put_opt(&mut out, "sex", p.sex.map(Sex::as_str));
            put_list(
                &mut out,
                "nationalities",
                p.nationalities.iter().map(|c| c.as_str().to_owned()),
            );
            if !p.identifiers.is_empty() {
                let ids = p
                    .identifiers
                    .iter()
                    .map(|i| json!({"kind": i.kind.as_str(), "value": i.value}))
                    .collect();
                out.insert("identifiers".into(), Value::Array(ids));
            }
        }
        Record::Document(d) => {
            out.insert("kind".into(), json!(d.kind.as_str()));
            out.insert("number".into(), json!(d.number));
            out.insert("issuing_country".into(), json!(d.issuing_country.as_str()));
            if let Some(holder) = &d.holder {
                out.insert("holder".into(), encode_ref(holder));
            }
            out.insert("status".into(), json!(d.status.as_str()));
            put_opt(
                &mut out,
                "issued",
                d.issued.map(|d| d.to_string()).as_deref(),
            );
            put_opt(
                &mut out,
                "expires",
                d.expires.map(|d| d.to_string()).as_deref(),
            );
        }
        Record::Vehicle(v) => {
            put_opt(&mut out, "vin", v.vin.as_deref());
            put_opt(&mut out, "plate", v.plate.as_deref());
            put_opt(
                &mut out,
                "plate_country",
                v.plate_country.as_ref().map(CountryCode::as_str),
            );
            put_opt(&mut out, "make", v.make.as_deref());
            put_opt(&mut out, "model", v.model.as_deref());
            put_opt(&mut out, "colour", v.colour.as_deref());
            out.insert("status".into(), json!(v.status.as_str()));
        }
        Record::Alert(a) => {
            out.insert("category".into(), json!(a.category.as_str()));
            if let Some(subject) = &a.subject {
                out.insert("subject".into(), encode_ref(subject));
            }
            put_opt(
                &mut out,
                "issuing_authority",
                a.issuing_authority.as_deref(),
            );
            put_list(
                &mut out,
                "offences",
                a.offences.iter().map(|o| o.as_str().to_owned()),
            );
            put_opt(&mut out, "action", a.action.as_deref());
            put_opt(
                &mut out,
                "issued",
                a.issued.map(|d| d.to_string()).as_deref(),
            );
            put_opt(
                &mut out,
                "expires",
                a.expires.map(|d| d.to_string()).as_deref(),
            );
        }
        Record::Relation(r) => {
            out.insert("from".into(), encode_ref(&r.from));
            out.insert("to".into(), encode_ref(&r.to));
            out.insert("kind".into(), json!(r.kind.as_str()));
            put_opt(&mut out, "source", r.source.as_deref());
        }
        Record::Case(c) => {
            out.insert("title".into(), json!(c.title));
            put_opt(&mut out, "reference", c.reference.as_deref());
            put_list(
                &mut out,
                "offences",
                c.offences.iter().map(|o| o.as_str().to_owned()),
            );
            if !c.entities.is_empty() {
                out.insert(
                    "entities".into(),
                    Value::Array(c.entities.iter().map(encode_ref).collect()),
                );
            }
            put_opt(&mut out, "summary", c.summary.as_deref());
        }
    }
    let meta = record.meta();
    let mut handling = Map::new();
    handling.insert("code".into(), json!(meta.handling.code.as_str()));
    put_opt(&mut handling, "conditions", meta.handling.code.conditions());
    let distribution = match &meta.handling.distribution {
        Distribution::National => json!("national"),
        Distribution::Partners => json!("partners"),
        Distribution::Nodes(nodes) => {
            Value::Array(nodes.iter().map(|n| json!(n.as_str())).collect())
        }
    };
    handling.insert("distribution".into(), distribution);
    out.insert("handling".into(), Value::Object(handling));
    put_opt(
        &mut out,
        "retain_until",
        meta.retain_until.map(|d| d.to_string()).as_deref(),
    );
    put_opt(&mut out, "owner", meta.owner.as_ref().map(NodeId::as_str));
    Value::Object(out)
}

fn encode_ref(reference: &RecordRef) -> Value {
    if reference.record_type == RecordType::Person {
        json!(reference.id.as_str())
    } else {
        json!({"type": reference.record_type.as_str(), "id": reference.id.as_str()})
    }
}

fn put_opt(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), json!(value));
    }
}

fn put_list(map: &mut Map<String, Value>, key: &str, values: impl Iterator<Item = String>) {
    let list: Vec<Value> = values.map(Value::String).collect();
    if !list.is_empty() {
        map.insert(key.to_owned(), Value::Array(list));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const BRIEF_EXAMPLE: &str = include_str!("../tests/data/brief_example.jsonl");

    #[test]
    fn brief_example_decodes_and_round_trips() {
        for line in BRIEF_EXAMPLE.lines() {
            let decoded = decode_record(line).unwrap();
            assert!(
                decoded.warnings.is_empty(),
                "{line}: {:?}",
                decoded.warnings
            );
            let encoded = encode_record(&decoded.record);
            let again = decode_value(&encoded).unwrap();
            assert_eq!(again.record, decoded.record, "{line}");
        }
    }

    fn err(line: &str) -> String {
        decode_record(line).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_their_field() {
        let cases = [
            (
                r#"{"type":"person","id":"p1","names":[]}"#,
                "field `names`: a person needs at least one name",
            ),
            (
                r#"{"type":"person","id":"p1","names":[{"given":"A"}]}"#,
                "field `names[0].full`: is required",
            ),
            (
                r#"{"type":"person","id":"p1","names":[{"full":"A"}],"birth_dates":["1975-13-01"]}"#,
                "field `birth_dates[0]`: `1975-13-01` is not a valid date",
            ),
            (
                r#"{"type":"person","id":"p1","names":[{"full":"A"}],"nationalities":["XYZ1"]}"#,
                "field `nationalities[0]`",
            ),
            (
                r#"{"type":"person","id":"p1","names":[{"full":"A"}],"sex":"male"}"#,
                "field `sex`",
            ),
            (
                r#"{"type":"spaceship","id":"s1"}"#,
                "field `type`: `spaceship` is not one of",
            ),
            (r#"{"id":"s1"}"#, "field `type`: is required"),
            (
                r#"{"type":"document","id":"d1","kind":"P","number":"X1","issuing_country":"UTOPIA"}"#,
                "field `issuing_country`",
            ),
            (
                r#"{"type":"alert","id":"a1","category":"wanted_for_arrest","offences":["99"]}"#,
                "field `offences[0]`",
            ),
            (
                r#"{"type":"person","id":"p1","names":[{"full":"A"}],"handling":{"code":"H3"}}"#,
                "field `handling.code`: `H3` is not a valid handling code",
            ),
            (
                r#"{"type":"person","id":"p1","names":[{"full":"A"}],"handling":{"code":"H1","distribution":[]}}"#,
                "field `handling.distribution`",
            ),
            (
                r#"{"type":"relation","id":"r1","from":"p1","kind":"associate"}"#,
                "field `to`: is required",
            ),
            (
                r#"{"type":"case","id":"c1","title":"T","entities":[{"type":"ship","id":"x"}]}"#,
                "field `entities[0].type`",
            ),
            (
                r#"{"type":"vehicle","id":"v1","make":"VW"}"#,
                "a vehicle needs a `vin` or a `plate`",
            ),
            (r#"[1,2]"#, "expected an object, found a list"),
            (
                r#"{"type":"person","id":"p1","names":[{"full":"A"}]"#,
                "not valid JSON",
            ),
        ];
        for (line, expected) in cases {
            let message = err(line);
            assert!(
                message.contains(expected),
                "{line}\n  got: {message}\n  expected: {expected}"
            );
        }
    }

    proptest::proptest! {
        /// Whatever a line holds, decoding answers with a record or an error naming a field, never a panic.
        #[test]
        fn decoding_arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = decode_record(&text);
        }

        /// Arbitrary values in every field of a well-formed person: decode, and if valid, round-trip.
        #[test]
        fn persons_with_arbitrary_fields_round_trip(
            id in "\\PC{0,12}",
            full in "\\PC{0,30}",
            date in "[0-9-]{0,12}",
            country in "[A-Z]{1,4}",
            sex in "[MFXU?]",
        ) {
            let line = serde_json::json!({
                "type": "person", "id": id, "names": [{"full": full}],
                "birth_dates": [date], "nationalities": [country], "sex": sex,
            });
            if let Ok(decoded) = decode_value(&line) {
                let again = decode_value(&encode_record(&decoded.record)).unwrap();
                proptest::prop_assert_eq!(again.record, decoded.record);
            }
        }
    }

    #[test]
    fn unknown_fields_are_warnings() {
        let decoded =
            decode_record(r#"{"type":"person","id":"p1","names":[{"full":"A"}],"shoe_size":44}"#)
                .unwrap();
        assert_eq!(
            decoded.warnings,
            vec![FieldIssue::new("shoe_size", "unknown field")]
        );
    }

    #[test]
    fn references_are_pending_until_resolved() {
        let decoded = decode_record(r#"{"type":"case","id":"c1","title":"T","entities":["p1",{"type":"vehicle","id":"v1"}]}"#).unwrap();
        assert_eq!(
            decoded.pending,
            vec![
                PendingRef {
                    field: "entities[0]".into(),
                    explicit: false
                },
                PendingRef {
                    field: "entities[1]".into(),
                    explicit: true
                }
            ]
        );
        assert_eq!(decoded.record.references().len(), 2);
    }
}
