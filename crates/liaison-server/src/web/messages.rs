//! Messages to and from partner nodes: the inbox and the outbox grouped by case, one message with its
//! attachments' digests, and the compose form, whose attachments are named to the partner by the name,
//! size, type and SHA-256 this node computes from the uploaded bytes.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use liaison_proto::api::{MessageAttachment, MessageBody, MessageSendBody};
use serde::Deserialize;

use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::ServiceError;
use crate::services::messages::{self, DIRECTION_INBOX, DIRECTION_OUTBOX, MAX_LIST};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/messages", get(list))
        .route("/messages/new", get(compose).post(send))
        .route("/messages/{id}", get(show))
}

/// How many messages a page lists first, and how many more each "older" link adds.
const PAGE: u32 = 50;

/// What a handling code asks, for showing next to it.
pub(super) fn handling_meaning(code: &str) -> &'static str {
    liaison_core::handling_meaning(code)
        .unwrap_or("unknown handling code: ask the owner before any use")
}

/// A vocabulary word as people read it (`information_request` → `information request`).
pub(super) fn words(text: &str) -> String {
    text.replace('_', " ")
}

/// A partner a user may address.
pub(super) struct PartnerChoice {
    pub id: String,
    pub label: String,
}

/// The active partners, for the selects that address one. Node ids, names and countries are the
/// federation's directory, not personal data, so reading them is not audited.
pub(super) async fn active_partners(state: &AppState) -> Result<Vec<PartnerChoice>, WebError> {
    let partners = state
        .node
        .store
        .list_partners()
        .await
        .map_err(ServiceError::from)?;
    Ok(partners
        .into_iter()
        .filter(|p| p.status == liaison_store::PARTNER_ACTIVE)
        .map(|p| PartnerChoice {
            label: if p.name.is_empty() || p.name == p.node_id {
                format!("{} ({})", p.node_id, p.country)
            } else {
                format!("{} · {} ({})", p.node_id, p.name, p.country)
            },
            id: p.node_id,
        })
        .collect())
}

/// A service's refusal of a form, split into the field it names (if any) and the message to show.
/// `None` when the error is not about what the user typed or may do, so it becomes an error page.
pub(super) fn form_error(error: ServiceError) -> Result<(Option<String>, String), WebError> {
    match error {
        ServiceError::BadRequest { detail, items } => Ok(match items.into_iter().next() {
            Some((field, message)) => (Some(field), message),
            None => (None, detail),
        }),
        ServiceError::Forbidden(message) | ServiceError::Conflict(message) => Ok((None, message)),
        ServiceError::NotFound(message) => Ok((None, message)),
        other => Err(other.into()),
    }
}

/// `1536` → `1.5 KiB`.
pub(super) fn byte_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

struct MessageRow {
    id: String,
    subject: String,
    partner: String,
    at: String,
    handling: String,
    handling_meaning: &'static str,
    state: String,
    attachments: usize,
}

struct CaseGroup {
    case_ref: Option<String>,
    messages: Vec<MessageRow>,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct MessagesPage {
    chrome: Chrome,
    direction: &'static str,
    case: String,
    cases: Vec<String>,
    groups: Vec<CaseGroup>,
    shown: usize,
    limit: u32,
    more_href: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ListParams {
    direction: Option<String>,
    case: Option<String>,
    limit: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    let direction = match params.direction.as_deref() {
        None | Some("") | Some(DIRECTION_INBOX) => DIRECTION_INBOX,
        Some(DIRECTION_OUTBOX) => DIRECTION_OUTBOX,
        Some(other) => {
            return Err(WebError::bad_request(format!(
                "`direction`: `{other}` is not one of: inbox, outbox"
            )));
        }
    };
    let limit = match params.limit.as_deref().map(str::trim) {
        None | Some("") => PAGE,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIST).contains(n))
            .ok_or_else(|| {
                WebError::bad_request(format!(
                    "`limit`: `{text}` is not a number from 1 to {MAX_LIST}"
                ))
            })?,
    };
    let case = params.case.unwrap_or_default().trim().to_owned();
    let messages = messages::list(&state.node, &user.caller, direction, limit).await?;
    let fetched = messages.len();
    let mut cases: Vec<String> = messages.iter().filter_map(|m| m.case_ref.clone()).collect();
    cases.sort();
    cases.dedup();
    // Threads are grouped by case, the group with the newest message first (the list is newest first).
    let mut groups: Vec<CaseGroup> = Vec::new();
    let mut shown = 0;
    for message in messages {
        if !case.is_empty() && message.case_ref.as_deref() != Some(case.as_str()) {
            continue;
        }
        shown += 1;
        let row = MessageRow {
            partner: if direction == DIRECTION_INBOX {
                message.from.clone()
            } else {
                message.to.clone()
            },
            id: message.id,
            subject: message.subject,
            at: short_time(&message.created),
            handling_meaning: handling_meaning(&message.handling),
            handling: message.handling,
            state: message.state,
            attachments: message.attachments.len(),
        };
        match groups.iter_mut().find(|g| g.case_ref == message.case_ref) {
            Some(group) => group.messages.push(row),
            None => groups.push(CaseGroup {
                case_ref: message.case_ref,
                messages: vec![row],
            }),
        }
    }
    let more_href = (fetched as u32 == limit && limit < MAX_LIST).then(|| {
        format!(
            "/messages?direction={direction}&case={}&limit={}",
            encode_component(&case),
            (limit + PAGE).min(MAX_LIST)
        )
    });
    page(&MessagesPage {
        chrome: user.chrome,
        direction,
        case,
        cases,
        groups,
        shown,
        limit,
        more_href,
    })
}

struct AttachmentView {
    name: String,
    size: String,
    bytes: u64,
    media_type: String,
    sha256: String,
    /// Where to download the content, when it travelled with the message.
    href: Option<String>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    message: MessageBody,
    handling_meaning: &'static str,
    created: String,
    delivered_at: Option<String>,
    received_at: Option<String>,
    attachments: Vec<AttachmentView>,
    reply_href: String,
    just_sent: bool,
}

#[derive(Debug, Deserialize)]
struct ShowParams {
    sent: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, WebError> {
    let message = messages::get(&state.node, &user.caller, &id).await?;
    let partner = if message.direction == DIRECTION_INBOX {
        &message.from
    } else {
        &message.to
    };
    let subject = if message.subject.starts_with("Re: ") {
        message.subject.clone()
    } else {
        format!("Re: {}", message.subject)
    };
    let reply_href = format!(
        "/messages/new?to={}&subject={}&case_ref={}&thread={}&handling={}",
        encode_component(partner),
        encode_component(&subject),
        encode_component(message.case_ref.as_deref().unwrap_or_default()),
        encode_component(&message.id),
        encode_component(&message.handling),
    );
    let attachments = message
        .attachments
        .iter()
        .enumerate()
        .map(|(index, a)| AttachmentView {
            name: a.name.clone(),
            size: byte_size(a.size),
            bytes: a.size,
            media_type: a.media_type.clone(),
            sha256: a.sha256.clone(),
            href: a.included.then(|| {
                format!(
                    "/api/v1/messages/{}/attachments/{index}",
                    encode_component(&message.id)
                )
            }),
        })
        .collect();
    page(&MessagePage {
        chrome: user.chrome,
        handling_meaning: handling_meaning(&message.handling),
        created: short_time(&message.created),
        delivered_at: message.delivered_at.as_deref().map(short_time),
        received_at: message.received_at.as_deref().map(short_time),
        attachments,
        reply_href,
        just_sent: params.sent.is_some(),
        message,
    })
}

/// What the compose form holds, kept when the node refuses it.
#[derive(Debug, Default, Deserialize)]
struct ComposeValues {
    #[serde(default)]
    to: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    case_ref: String,
    #[serde(default)]
    handling: String,
    #[serde(default)]
    thread: String,
}

struct HandlingChoice {
    code: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "message_new.html")]
struct ComposePage {
    chrome: Chrome,
    values: ComposeValues,
    partners: Vec<PartnerChoice>,
    handling: Vec<HandlingChoice>,
    error: Option<String>,
    error_field: Option<String>,
    dropped_files: usize,
}

impl ComposePage {
    fn invalid(&self, field: &str) -> bool {
        self.error_field.as_deref() == Some(field)
    }
}

fn handling_choices() -> Vec<HandlingChoice> {
    liaison_core::HANDLING_MEANINGS
        .iter()
        .map(|(code, meaning)| HandlingChoice {
            code,
            label: format!("{code}: {meaning}"),
        })
        .collect()
}

async fn compose(
    State(state): State<AppState>,
    user: WebUser,
    Query(mut values): Query<ComposeValues>,
) -> Result<Response, WebError> {
    if values.handling.is_empty() {
        values.handling = "H1".to_owned();
    }
    page(&ComposePage {
        chrome: user.chrome,
        values,
        partners: active_partners(&state).await?,
        handling: handling_choices(),
        error: None,
        error_field: None,
        dropped_files: 0,
    })
}

/// The file name without any directory a browser may have sent with it.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

async fn send(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let mut values = ComposeValues::default();
    let mut csrf = String::new();
    let mut attachments = Vec::new();
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request(format!("the form could not be read: {e}"))
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "attachments" {
            let file_name = base_name(field.file_name().unwrap_or_default()).to_owned();
            let media_type = field
                .content_type()
                .filter(|t| !t.is_empty())
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?;
            // A file input left empty still sends a part, with no name and no bytes.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            attachments.push(MessageAttachment {
                name: file_name,
                sha256: liaison_crypto::sha256_hex(&bytes),
                size: bytes.len() as u64,
                media_type,
                content: Some(data_encoding::BASE64.encode(&bytes)),
                included: true,
            });
            continue;
        }
        let text = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "_csrf" => csrf = text,
            "to" => values.to = text,
            "subject" => values.subject = text,
            "body" => values.body = text,
            "case_ref" => values.case_ref = text,
            "handling" => values.handling = text,
            "thread" => values.thread = text,
            _ => {}
        }
    }
    user.check_csrf(&headers, (!csrf.is_empty()).then_some(csrf.as_str()))?;
    let optional = |text: &str| {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    };
    let message = MessageSendBody {
        to: values.to.trim().to_owned(),
        subject: values.subject.clone(),
        body: values.body.clone(),
        case_ref: optional(&values.case_ref),
        handling: values.handling.trim().to_owned(),
        thread: optional(&values.thread),
        attachments,
    };
    match messages::send(&state.node, &user.caller, &message).await {
        Ok(created) => Ok(Redirect::to(&format!(
            "/messages/{}?sent=1",
            encode_component(&created.id)
        ))
        .into_response()),
        Err(error) => {
            let (field, message_text) = form_error(error)?;
            let label = field.as_deref().map(compose_label);
            let dropped_files = message.attachments.len();
            let mut response = page(&ComposePage {
                chrome: user.chrome,
                values,
                partners: active_partners(&state).await?,
                handling: handling_choices(),
                error: Some(match label {
                    Some(label) => format!("{label}: {message_text}"),
                    None => message_text,
                }),
                error_field: field,
                dropped_files,
            })?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
    }
}

/// The compose form's label of a field the node names.
fn compose_label(field: &str) -> String {
    match field {
        "to" => "To".to_owned(),
        "subject" => "Subject".to_owned(),
        "body" => "Message".to_owned(),
        "case_ref" => "Case reference".to_owned(),
        "handling" => "Handling code".to_owned(),
        "thread" => "In reply to".to_owned(),
        other if other.starts_with("attachments") => format!("Attachment ({other})"),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(byte_size(0), "0 B");
        assert_eq!(byte_size(1023), "1023 B");
        assert_eq!(byte_size(1536), "1.5 KiB");
        assert_eq!(byte_size(5 * 1024 * 1024), "5.0 MiB");
    }

    #[test]
    fn a_browser_path_is_cut_to_the_file_name() {
        assert_eq!(base_name("C:\\Users\\olga\\statement.pdf"), "statement.pdf");
        assert_eq!(base_name("/home/olga/photo.jpg"), "photo.jpg");
        assert_eq!(base_name("plain.txt"), "plain.txt");
    }

    #[test]
    fn every_handling_code_says_what_it_asks() {
        for code in liaison_proto::federation::HANDLING_CODES {
            assert!(!handling_meaning(code).starts_with("unknown"), "{code}");
        }
        assert!(handling_meaning("H9").starts_with("unknown"));
    }
}
