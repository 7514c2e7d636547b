//! Reading a record (`/records`): a lookup form, and one record read for a stated purpose through
//! `services::records::read_record` (so every read and every refusal is audited), shown with its owner,
//! handling code, distribution and retention first, then its fields with links to the records it names.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use liaison_core::RecordType;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::screening::{
    FormError, PurposeField, form_error, given, page_with_status, record_href, words,
};
use super::{Chrome, WebError, WebUser, encode_component, page};
use crate::http::AppState;
use crate::services::ServiceError;
use crate::services::records::{AccessReason, read_record};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/records", get(lookup))
        .route("/records/{type}/{id}", get(record_page))
}

/// Records named on a page as linking to this one, at most.
const REFERRERS_SHOWN: usize = 50;

#[derive(Debug, Default, Deserialize)]
struct LookupQuery {
    #[serde(default, rename = "type")]
    record_type: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    case_ref: String,
}

struct TypeOption {
    value: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "records.html")]
struct RecordsPage {
    chrome: Chrome,
    types: Vec<TypeOption>,
    id: String,
    purpose_field: PurposeField,
    error: Option<FormError>,
    invalid: String,
}

fn lookup_page(
    chrome: Chrome,
    query: &LookupQuery,
    error: Option<FormError>,
) -> Result<Response, WebError> {
    let status = error.as_ref().map_or(StatusCode::OK, |e| e.status);
    page_with_status(
        &RecordsPage {
            chrome,
            types: RecordType::NAMES
                .iter()
                .map(|value| TypeOption {
                    value,
                    selected: *value == query.record_type,
                })
                .collect(),
            id: query.id.clone(),
            purpose_field: PurposeField::new("lookup", query.purpose.trim(), query.case_ref.trim())
                .invalid_if(error.as_ref()),
            invalid: error.as_ref().map(|e| e.field.clone()).unwrap_or_default(),
            error,
        },
        status,
    )
}

/// The form, or (with an id) the record's page for the purpose given.
async fn lookup(user: WebUser, Query(query): Query<LookupQuery>) -> Result<Response, WebError> {
    let id = query.id.trim();
    if id.is_empty() || query.record_type.is_empty() {
        return lookup_page(user.chrome, &query, None);
    }
    let mut href = format!(
        "/records/{}/{}?purpose={}",
        encode_component(&query.record_type),
        encode_component(id),
        encode_component(query.purpose.trim())
    );
    if let Some(case_ref) = given(&query.case_ref) {
        href.push_str(&format!("&case_ref={}", encode_component(&case_ref)));
    }
    Ok(Redirect::to(&href).into_response())
}

const READ_FIELDS: &[(&str, &str, &str)] = &[
    ("purpose", "purpose", "Purpose"),
    ("case_ref", "case_ref", "Case reference"),
    ("type", "type", "Record type"),
];

/// One value in a field: text, maybe a link, maybe a badge.
struct Item {
    text: String,
    href: Option<String>,
    /// The badge class when the value is a status.
    badge: String,
    mono: bool,
}

impl Item {
    fn text(text: impl Into<String>) -> Item {
        Item {
            text: text.into(),
            href: None,
            badge: String::new(),
            mono: false,
        }
    }

    fn mono(text: impl Into<String>) -> Item {
        Item {
            mono: true,
            ..Item::text(text)
        }
    }

    fn badge(wire: &str) -> Item {
        Item {
            badge: wire.to_owned(),
            ..Item::text(words(wire))
        }
    }
}

struct Row {
    label: String,
    items: Vec<Item>,
}

struct NameView {
    full: String,
    kind: String,
    script: &'static str,
    parts: String,
}

struct RecordView {
    record_type: String,
    id: String,
    title: String,
    owner: String,
    foreign: bool,
    handling_code: String,
    handling_meaning: String,
    conditions: Option<String>,
    distribution: String,
    retain_until: Option<String>,
    retention_passed: bool,
    purpose: String,
    case_ref: String,
    names: Vec<NameView>,
    rows: Vec<Row>,
    /// What the alerts on the record ask (an alert record's action), shown prominently.
    action: Option<String>,
    referrers: Vec<Item>,
    more_referrers: usize,
    /// Fields this page does not know how to show, as they are.
    other: Vec<Row>,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    chrome: Chrome,
    r: RecordView,
}

async fn record_page(
    State(state): State<AppState>,
    user: WebUser,
    Path((record_type, id)): Path<(String, String)>,
    Query(query): Query<LookupQuery>,
) -> Result<Response, WebError> {
    let reason = AccessReason {
        purpose: given(&query.purpose),
        case_ref: given(&query.case_ref),
    };
    let node = &state.node;
    let form = LookupQuery {
        record_type: record_type.clone(),
        id: id.clone(),
        ..query
    };
    let record = match read_record(node, &user.caller, &record_type, &id, &reason).await {
        Ok(record) => record,
        Err(e) => {
            let mut error = form_error(e, READ_FIELDS)?;
            if error.field == "purpose" && reason.purpose.is_none() {
                error.message =
                    "No access without a purpose: choose why you read this record".to_owned();
            }
            return lookup_page(user.chrome, &form, Some(error));
        }
    };
    // Which records name this one (ids only: each is read, and audited, when opened).
    let referrers = match RecordType::parse(&record_type) {
        Ok(parsed) => node
            .store
            .referencing(parsed, &id)
            .await
            .map_err(ServiceError::from)?,
        Err(_) => Vec::new(),
    };
    let context = Context {
        node_id: node.id.as_str(),
        purpose: form.purpose.trim(),
        case_ref: form.case_ref.trim(),
        today: node.now().date_naive().to_string(),
    };
    let view = record_view(&record, &referrers, &context);
    page(&RecordPage {
        chrome: user.chrome,
        r: view,
    })
}

struct Context<'a> {
    node_id: &'a str,
    purpose: &'a str,
    case_ref: &'a str,
    /// `YYYY-MM-DD`, to judge the retention date.
    today: String,
}

fn str_of<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn strings_of(object: &Map<String, Value>, key: &str) -> Vec<String> {
    object
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The writing system of a name, named as an officer would.
fn script_of(text: &str) -> &'static str {
    let mut found: Option<&'static str> = None;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let script = match c as u32 {
            0x0041..=0x024F | 0x1E00..=0x1EFF => "Latin",
            0x0370..=0x03FF | 0x1F00..=0x1FFF => "Greek",
            0x0400..=0x052F => "Cyrillic",
            0x0530..=0x058F => "Armenian",
            0x0590..=0x05FF => "Hebrew",
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF => "Arabic",
            0x0900..=0x097F => "Devanagari",
            0x0E00..=0x0E7F => "Thai",
            0x10A0..=0x10FF => "Georgian",
            0x1100..=0x11FF | 0xAC00..=0xD7AF => "Hangul",
            0x3040..=0x30FF => "Kana",
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => "Han",
            0x1200..=0x139F => "Ethiopic",
            _ => "other",
        };
        match found {
            None => found = Some(script),
            Some(previous) if previous != script => {
                // Japanese names mix Han and Kana: one script for a reader.
                if matches!((previous, script), ("Han", "Kana") | ("Kana", "Han")) {
                    found = Some("Japanese");
                } else if previous != "Japanese" {
                    return "mixed";
                }
            }
            Some(_) => {}
        }
    }
    found.unwrap_or("")
}

/// The handling code's meaning as a sentence (`Police use only.`).
fn handling_meaning(code: &str) -> String {
    match liaison_core::handling_meaning(code) {
        Some(meaning) => {
            let mut chars = meaning.chars();
            let first = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default();
            format!("{first}{}.", chars.as_str())
        }
        None => "Unknown handling code: ask the owner before any use.".to_owned(),
    }
}

fn distribution_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(scope)) if scope == "national" => "National: this country only".into(),
        Some(Value::String(scope)) if scope == "partners" => "Partners of the owner".into(),
        Some(Value::String(other)) => other.clone(),
        Some(Value::Array(nodes)) => {
            let nodes: Vec<&str> = nodes.iter().filter_map(Value::as_str).collect();
            format!("Only: {}", nodes.join(", "))
        }
        _ => "Not stated".into(),
    }
}

/// A reference to another record, as the interchange writes it: a person's id, or `{type, id}`.
fn reference(value: &Value) -> Option<(String, String)> {
    match value {
        Value::String(id) => Some(("person".into(), id.clone())),
        Value::Object(object) => Some((
            str_of(object, "type")?.to_owned(),
            str_of(object, "id")?.to_owned(),
        )),
        _ => None,
    }
}

/// A link to a referenced record; a foreign record names the partner's ids, which this node does not hold.
fn reference_item(value: &Value, foreign: bool, context: &Context<'_>) -> Item {
    match reference(value) {
        Some((record_type, id)) if foreign => {
            Item::text(format!("{record_type} {id} (partner's reference)"))
        }
        Some((record_type, id)) => Item {
            href: Some(record_href(
                &record_type,
                &id,
                context.purpose,
                context.case_ref,
            )),
            ..Item::text(format!("{record_type} {id}"))
        },
        None => Item::text(value.to_string()),
    }
}

fn record_view(
    record: &Value,
    referrers: &[(RecordType, String)],
    context: &Context<'_>,
) -> RecordView {
    let empty = Map::new();
    let object = record.as_object().unwrap_or(&empty);
    let record_type = str_of(object, "type").unwrap_or_default().to_owned();
    let id = str_of(object, "id").unwrap_or_default().to_owned();
    let owner = str_of(object, "owner")
        .filter(|o| !o.is_empty())
        .unwrap_or(context.node_id)
        .to_owned();
    let foreign = owner != context.node_id;
    let handling = object.get("handling").and_then(Value::as_object);
    let handling_code = handling
        .and_then(|h| str_of(h, "code"))
        .unwrap_or("not stated")
        .to_owned();
    let retain_until = str_of(object, "retain_until").map(str::to_owned);
    let mut known: Vec<&str> = vec!["type", "id", "owner", "handling", "retain_until"];
    let mut rows = Vec::new();
    let mut names = Vec::new();
    let mut action = None;
    let mut row = |label: &str, items: Vec<Item>| {
        if !items.is_empty() {
            rows.push(Row {
                label: label.to_owned(),
                items,
            });
        }
    };
    let text = |key: &str| {
        str_of(object, key)
            .map(Item::text)
            .into_iter()
            .collect::<Vec<_>>()
    };
    let mono = |key: &str| {
        str_of(object, key)
            .map(Item::mono)
            .into_iter()
            .collect::<Vec<_>>()
    };
    let badge = |key: &str| {
        str_of(object, key)
            .map(Item::badge)
            .into_iter()
            .collect::<Vec<_>>()
    };
    let list = |key: &str| {
        strings_of(object, key)
            .into_iter()
            .map(Item::text)
            .collect::<Vec<_>>()
    };
    let refs = |key: &str| match object.get(key) {
        Some(Value::Array(values)) => values
            .iter()
            .map(|v| reference_item(v, foreign, context))
            .collect(),
        Some(value) => vec![reference_item(value, foreign, context)],
        None => Vec::new(),
    };
    let title = match record_type.as_str() {
        "person" => {
            known.extend([
                "names",
                "birth_dates",
                "birth_place",
                "sex",
                "nationalities",
                "identifiers",
            ]);
            for name in object
                .get("names")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(name) = name.as_object() else {
                    continue;
                };
                let full = str_of(name, "full").unwrap_or_default().to_owned();
                let parts: Vec<String> = ["given", "family", "patronymic", "middle"]
                    .iter()
                    .filter_map(|part| str_of(name, part).map(|v| format!("{part}: {v}")))
                    .collect();
                names.push(NameView {
                    script: script_of(&full),
                    kind: str_of(name, "kind").map(words).unwrap_or_default(),
                    parts: parts.join("; "),
                    full,
                });
            }
            row("Dates of birth", list("birth_dates"));
            row("Place of birth", text("birth_place"));
            row(
                "Sex",
                str_of(object, "sex")
                    .map(|s| {
                        Item::text(match s {
                            "M" => "Male (M)",
                            "F" => "Female (F)",
                            "X" => "Unspecified (X)",
                            _ => "Unknown (U)",
                        })
                    })
                    .into_iter()
                    .collect(),
            );
            row("Nationalities", list("nationalities"));
            let identifiers = object
                .get("identifiers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .map(|i| {
                    Item::mono(format!(
                        "{}: {}",
                        str_of(i, "kind").map(words).unwrap_or_default(),
                        str_of(i, "value").unwrap_or_default()
                    ))
                })
                .collect();
            row("Identifiers", identifiers);
            names
                .iter()
                .find(|n| n.kind == "Primary")
                .or(names.first())
                .map(|n| n.full.clone())
                .unwrap_or_else(|| format!("person {id}"))
        }
        "document" => {
            known.extend([
                "kind",
                "number",
                "issuing_country",
                "holder",
                "status",
                "issued",
                "expires",
            ]);
            row("Kind", text("kind"));
            row("Number", mono("number"));
            row("Issuing country", text("issuing_country"));
            row("Holder", refs("holder"));
            row("Status", badge("status"));
            row("Issued", text("issued"));
            row("Expires", text("expires"));
            format!(
                "Document {}",
                str_of(object, "number").unwrap_or(id.as_str())
            )
        }
        "vehicle" => {
            known.extend([
                "vin",
                "plate",
                "plate_country",
                "make",
                "model",
                "colour",
                "status",
            ]);
            row("Number plate", mono("plate"));
            row("Plate country", text("plate_country"));
            row("VIN", mono("vin"));
            row("Make", text("make"));
            row("Model", text("model"));
            row("Colour", text("colour"));
            row("Status", badge("status"));
            let plate = str_of(object, "plate")
                .or(str_of(object, "vin"))
                .unwrap_or(id.as_str());
            format!("Vehicle {plate}")
        }
        "alert" => {
            known.extend([
                "category",
                "subject",
                "issuing_authority",
                "offences",
                "action",
                "issued",
                "expires",
            ]);
            action = str_of(object, "action").map(str::to_owned);
            row(
                "Category",
                text("category")
                    .into_iter()
                    .map(|i| Item::text(words(&i.text)))
                    .collect(),
            );
            row("Subject", refs("subject"));
            row("Issuing authority", text("issuing_authority"));
            row(
                "Offences (ICCS)",
                strings_of(object, "offences")
                    .into_iter()
                    .map(Item::mono)
                    .collect(),
            );
            row("Issued", text("issued"));
            row("Expires", text("expires"));
            format!(
                "Alert: {}",
                str_of(object, "category").map(words).unwrap_or_default()
            )
        }
        "relation" => {
            known.extend(["from", "to", "kind", "source"]);
            row("From", refs("from"));
            row(
                "Kind",
                text("kind")
                    .into_iter()
                    .map(|i| Item::text(words(&i.text)))
                    .collect(),
            );
            row("To", refs("to"));
            row("Source", text("source"));
            format!(
                "Relation: {}",
                str_of(object, "kind").map(words).unwrap_or_default()
            )
        }
        "case" => {
            known.extend(["title", "reference", "offences", "entities", "summary"]);
            row("Reference", text("reference"));
            row(
                "Offences (ICCS)",
                strings_of(object, "offences")
                    .into_iter()
                    .map(Item::mono)
                    .collect(),
            );
            row("Entities", refs("entities"));
            row("Summary", text("summary"));
            str_of(object, "title").unwrap_or(id.as_str()).to_owned()
        }
        _ => format!("{record_type} {id}"),
    };
    let other = object
        .iter()
        .filter(|(key, _)| !known.contains(&key.as_str()))
        .map(|(key, value)| Row {
            label: words(key),
            items: vec![Item::mono(match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })],
        })
        .collect();
    let referrer_items = referrers
        .iter()
        .take(REFERRERS_SHOWN)
        .map(|(record_type, id)| Item {
            href: Some(record_href(
                record_type.as_str(),
                id,
                context.purpose,
                context.case_ref,
            )),
            ..Item::text(format!("{record_type} {id}"))
        })
        .collect();
    RecordView {
        title,
        retention_passed: retain_until
            .as_deref()
            .is_some_and(|date| date < context.today.as_str()),
        handling_meaning: handling_meaning(&handling_code),
        conditions: handling
            .and_then(|h| str_of(h, "conditions"))
            .map(str::to_owned),
        distribution: distribution_of(handling.and_then(|h| h.get("distribution"))),
        handling_code,
        retain_until,
        purpose: words(context.purpose),
        case_ref: context.case_ref.to_owned(),
        names,
        rows,
        action,
        referrers: referrer_items,
        more_referrers: referrers.len().saturating_sub(REFERRERS_SHOWN),
        other,
        record_type,
        id,
        owner,
        foreign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context<'static> {
        Context {
            node_id: "node-a",
            purpose: "border_check",
            case_ref: "",
            today: "2026-01-01".into(),
        }
    }

    #[test]
    fn scripts_are_named() {
        assert_eq!(script_of("Владимир Щербаков"), "Cyrillic");
        assert_eq!(script_of("Vladimir Shcherbakov"), "Latin");
        assert_eq!(script_of("أحمد الراشد"), "Arabic");
        assert_eq!(script_of("山田 たろう"), "Japanese");
        assert_eq!(script_of("Иван Smith"), "mixed");
    }

    #[test]
    fn a_person_shows_names_links_and_handling() {
        let record = serde_json::json!({"type":"person","id":"p1","names":[{"full":"Владимир Щербаков","given":"Владимир","kind":"primary"}],
            "birth_dates":["1975-03-14"],"sex":"M","handling":{"code":"H0","distribution":"partners"},"retain_until":"2025-01-01","x_note":"kept"});
        let view = record_view(&record, &[(RecordType::Alert, "a1".into())], &context());
        assert_eq!(view.title, "Владимир Щербаков");
        assert_eq!(view.names[0].script, "Cyrillic");
        assert!(!view.foreign);
        assert!(view.retention_passed);
        assert_eq!(view.handling_meaning, "Police use only.");
        assert_eq!(
            view.referrers[0].href.as_deref(),
            Some("/records/alert/a1?purpose=border_check")
        );
        assert_eq!(view.other[0].label, "X note");
    }

    #[test]
    fn a_foreign_alert_does_not_link_to_the_partner_ids() {
        let record = serde_json::json!({"type":"alert","id":"node-b:a1","category":"wanted_for_arrest","subject":"p1",
            "action":"Arrest","owner":"node-b","handling":{"code":"H3","conditions":"court use only","distribution":"national"}});
        let view = record_view(&record, &[], &context());
        assert!(view.foreign);
        assert_eq!(view.owner, "node-b");
        assert_eq!(view.conditions.as_deref(), Some("court use only"));
        assert_eq!(view.action.as_deref(), Some("Arrest"));
        let subject = &view
            .rows
            .iter()
            .find(|r| r.label == "Subject")
            .unwrap()
            .items[0];
        assert!(subject.href.is_none());
        assert_eq!(subject.text, "person p1 (partner's reference)");
    }
}
