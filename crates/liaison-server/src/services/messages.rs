//! Free-text messages between partner nodes (SIENA-style): an officer writes to a partner in a case, with a
//! handling code and attachments named by digest; the message travels as a signed `message` envelope through
//! the outbox (stored before it is sent, retried until the partner's signed receipt matches it) and lands
//! in the partner's idempotent inbox. Sending and every reading are audited with the case reference.
//!
//! The audit log is the index of the messages this node sent: each `message.send` entry names its envelope,
//! whose delivery state the outbox keeps. Received messages are the inbox's `message` envelopes.

use chrono::{DateTime, Utc};
use liaison_core::Role;
use liaison_federation::DEFAULT_MAX_BYTES;
use liaison_proto::api::{MessageAttachment, MessageBody, MessageCreated, MessageSendBody};
use liaison_proto::federation::{
    AttachmentRef, Envelope, FreeTextMessage, HANDLING_CODES, KIND_MESSAGE, WireError, decode,
    decode_payload, encode,
};
use liaison_store::{
    AuditFilter, InboxRow, OUTBOX_DELIVERED, OUTBOX_PENDING, OutboxRow, PARTNER_ACTIVE,
};

use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Who may write and read messages.
pub const MESSAGE_ROLES: &[Role] = &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal];
/// Messages this node sent.
pub const DIRECTION_OUTBOX: &str = "outbox";
/// Messages partners sent to this node.
pub const DIRECTION_INBOX: &str = "inbox";
/// Most messages one listing returns.
pub const MAX_LIST: u32 = 1_000;

/// The state a caller sees for a sent message (the outbox's `pending` reads `queued`).
fn outbox_state(state: &str) -> &str {
    match state {
        OUTBOX_PENDING => "queued",
        other => other,
    }
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Where a wire error points, as the API body names it (`payload.subject` is `subject`).
fn api_error(error: &WireError) -> ServiceError {
    match error {
        WireError::Field { field, message } => {
            let field = field.strip_prefix("payload.").unwrap_or(field);
            ServiceError::bad_field(field, message.clone())
        }
        WireError::Oversized { size, max } => ServiceError::bad_field(
            "body",
            format!("the message would be {size} bytes signed, over the partner's limit of {max}"),
        ),
        other => ServiceError::bad_field("body", other.to_string()),
    }
}

/// Queues a message for a partner and answers its envelope id. The message is checked the way the partner's
/// node will check it (form, lengths, attachments, size), so what is queued is never refused for its form.
pub async fn send(
    node: &Node,
    caller: &Caller,
    message: &MessageSendBody,
) -> Result<MessageCreated, ServiceError> {
    require_role(node, caller, MESSAGE_ROLES, "message.send", None).await?;
    let Some(federation) = node.federation.clone() else {
        return Err(ServiceError::Conflict("this node does not federate".into()));
    };
    match node.store.get_partner(&message.to).await? {
        Some(partner) if partner.status == PARTNER_ACTIVE => {}
        _ => {
            return Err(ServiceError::bad_field(
                "to",
                format!("`{}` is not an active partner of this node", message.to),
            ));
        }
    }
    if !HANDLING_CODES.contains(&message.handling.as_str()) {
        return Err(ServiceError::bad_field(
            "handling",
            format!(
                "`{}` is not one of: {}",
                message.handling,
                HANDLING_CODES.join(", ")
            ),
        ));
    }
    if message.subject.trim().is_empty() {
        return Err(ServiceError::bad_field(
            "subject",
            "a message needs a subject",
        ));
    }
    for (i, attachment) in message.attachments.iter().enumerate() {
        let Some(content) = &attachment.content else {
            continue;
        };
        let field = format!("attachments[{i}].content");
        let bytes = data_encoding::BASE64
            .decode(content.as_bytes())
            .map_err(|e| ServiceError::bad_field(&field, format!("not base64: {e}")))?;
        if bytes.len() as u64 != attachment.size {
            return Err(ServiceError::bad_field(
                &field,
                format!(
                    "is {} bytes, the attachment says {}",
                    bytes.len(),
                    attachment.size
                ),
            ));
        }
        if liaison_crypto::sha256_hex(&bytes) != attachment.sha256 {
            return Err(ServiceError::bad_field(
                &field,
                "its SHA-256 is not the attachment's `sha256`",
            ));
        }
    }
    let payload = FreeTextMessage {
        subject: message.subject.clone(),
        body: message.body.clone(),
        attachments: message
            .attachments
            .iter()
            .map(|a| AttachmentRef {
                name: a.name.clone(),
                sha256: a.sha256.clone(),
                size: a.size,
                media_type: a.media_type.clone(),
                content: a.content.clone(),
            })
            .collect(),
    };
    liaison_proto::federation::encode_payload(&payload).map_err(|e| api_error(&e))?;
    let envelope = federation.seal(
        node.id.as_str(),
        &message.to,
        node.now(),
        &message.handling,
        &payload,
        message.thread.clone(),
        message.case_ref.clone(),
    )?;
    // The receiver decodes exactly this; what it would refuse (a bad case reference or thread, an
    // oversized envelope) is refused here, where the sender can correct it.
    decode(&encode(&envelope), DEFAULT_MAX_BYTES).map_err(|e| api_error(&e))?;

    // Audited before it is queued: a message that could not be logged never leaves the node.
    let mut event = AuditEvent::new("message.send", "ok")
        .object(format!("message/{}", envelope.id))
        .detail(format!(
            "to {}; handling {}; {} attachment(s){}",
            message.to,
            message.handling,
            payload.attachments.len(),
            message
                .thread
                .as_deref()
                .map(|t| format!("; in thread {t}"))
                .unwrap_or_default()
        ));
    event.case_ref = message.case_ref.clone();
    event.recipients = vec![message.to.clone()];
    record_audit(node, caller, event).await?;
    crate::federation::enqueue(node, &federation, &envelope).await?;
    Ok(MessageCreated {
        id: envelope.id,
        state: outbox_state(OUTBOX_PENDING).to_owned(),
    })
}

/// The message a stored envelope carries, as the API shows it; `None` for another kind or an envelope that
/// no longer reads (stored envelopes were checked when they were made or received, so that is corruption,
/// logged).
fn message_of(envelope_bytes: &[u8], id: &str) -> Option<(Envelope, FreeTextMessage)> {
    let read = decode(envelope_bytes, usize::MAX).and_then(|envelope| {
        let message = decode_payload::<FreeTextMessage>(&envelope)?;
        Ok((envelope, message))
    });
    match read {
        Ok(read) => Some(read),
        Err(error) => {
            tracing::error!(envelope = id, %error, "a stored message cannot be read");
            None
        }
    }
}

fn body_of(envelope: Envelope, message: FreeTextMessage, direction: &str) -> MessageBody {
    MessageBody {
        id: envelope.id,
        direction: direction.to_owned(),
        from: envelope.from,
        to: envelope.to,
        created: envelope.created,
        subject: message.subject,
        body: message.body,
        case_ref: envelope.case_ref,
        thread: envelope.thread,
        handling: envelope.handling,
        attachments: message
            .attachments
            .into_iter()
            .map(|a| MessageAttachment {
                included: a.content.is_some(),
                name: a.name,
                sha256: a.sha256,
                size: a.size,
                media_type: a.media_type,
                content: None,
            })
            .collect(),
        state: String::new(),
        attempts: None,
        last_error: None,
        delivered_at: None,
        received_at: None,
    }
}

fn sent_body(row: OutboxRow) -> Option<MessageBody> {
    if row.kind != KIND_MESSAGE {
        return None;
    }
    let (envelope, message) = message_of(&row.envelope, &row.id)?;
    let mut body = body_of(envelope, message, DIRECTION_OUTBOX);
    body.state = outbox_state(&row.state).to_owned();
    body.attempts = Some(row.attempts);
    body.last_error = match row.state.as_str() {
        OUTBOX_DELIVERED => None,
        _ => row.last_error,
    };
    body.delivered_at = row.delivered_at.map(time);
    Some(body)
}

fn received_body(row: InboxRow) -> Option<MessageBody> {
    if row.kind != KIND_MESSAGE {
        return None;
    }
    let (envelope, message) = message_of(&row.envelope, &row.id)?;
    let mut body = body_of(envelope, message, DIRECTION_INBOX);
    body.state = "received".to_owned();
    body.received_at = Some(time(row.received_at));
    Some(body)
}

/// The ids of the messages this node sent, oldest first, from the audit log's `message.send` entries.
async fn sent_ids(node: &Node) -> Result<Vec<String>, ServiceError> {
    const PAGE: u32 = 1_000;
    let mut ids = Vec::new();
    let mut after = 0;
    loop {
        let page = node
            .store
            .audit_search(&AuditFilter {
                action: Some("message.send".to_owned()),
                after_seq: Some(after),
                limit: PAGE,
                ..AuditFilter::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        let full = page.len() == PAGE as usize;
        ids.extend(
            page.into_iter()
                .filter(|e| e.outcome == "ok")
                .flat_map(|e| e.objects)
                .filter_map(|o| o.strip_prefix("message/").map(str::to_owned)),
        );
        if !full {
            break;
        }
    }
    Ok(ids)
}

/// The audit entry for reading messages: every message shown, and the case when they share one.
async fn audit_read(
    node: &Node,
    caller: &Caller,
    messages: &[MessageBody],
    detail: String,
) -> Result<(), ServiceError> {
    let mut event = AuditEvent::new("message.read", "ok").detail(detail);
    event.objects = messages
        .iter()
        .map(|m| format!("message/{}", m.id))
        .collect();
    let mut cases = messages.iter().map(|m| m.case_ref.clone());
    if let Some(first) = cases.next()
        && cases.all(|c| c == first)
    {
        event.case_ref = first;
    }
    record_audit(node, caller, event).await
}

/// The newest `limit` (at most [`MAX_LIST`]) messages of the inbox or the outbox, newest first, with their
/// content; the reading is audited, naming each message shown.
pub async fn list(
    node: &Node,
    caller: &Caller,
    direction: &str,
    limit: u32,
) -> Result<Vec<MessageBody>, ServiceError> {
    require_role(node, caller, MESSAGE_ROLES, "message.read", None).await?;
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(ServiceError::bad_field(
            "limit",
            format!("must be between 1 and {MAX_LIST}"),
        ));
    }
    let limit = limit as usize;
    let mut messages = Vec::new();
    match direction {
        DIRECTION_OUTBOX => {
            for id in sent_ids(node).await?.iter().rev() {
                if messages.len() == limit {
                    break;
                }
                if let Some(row) = node.store.get_outbox(id).await?
                    && let Some(body) = sent_body(row)
                {
                    messages.push(body);
                }
            }
        }
        DIRECTION_INBOX => {
            for id in node.store.inbox_ids(None).await?.iter().rev() {
                if messages.len() == limit {
                    break;
                }
                if let Some(row) = node.store.get_inbox(id).await?
                    && let Some(body) = received_body(row)
                {
                    messages.push(body);
                }
            }
        }
        other => {
            return Err(ServiceError::bad_field(
                "direction",
                format!("`{other}` is not one of: inbox, outbox"),
            ));
        }
    }
    audit_read(
        node,
        caller,
        &messages,
        format!("{direction}: {} message(s)", messages.len()),
    )
    .await?;
    Ok(messages)
}

/// One message, sent or received, with its delivery state; the reading is audited.
pub async fn get(node: &Node, caller: &Caller, id: &str) -> Result<MessageBody, ServiceError> {
    require_role(
        node,
        caller,
        MESSAGE_ROLES,
        "message.read",
        Some(format!("message/{id}")),
    )
    .await?;
    let sent = node.store.get_outbox(id).await?.and_then(sent_body);
    let message = match sent {
        Some(message) => message,
        None => node
            .store
            .get_inbox(id)
            .await?
            .and_then(received_body)
            .ok_or_else(|| ServiceError::NotFound(format!("no message `{id}`")))?,
    };
    let detail = message.direction.clone();
    audit_read(node, caller, std::slice::from_ref(&message), detail).await?;
    Ok(message)
}

/// The content of attachment `index` of a message sent or received, when it travelled with the message.
/// The content is checked against the attachment's size and digest before it is given out; the opening is
/// audited.
pub async fn attachment(
    node: &Node,
    caller: &Caller,
    id: &str,
    index: usize,
) -> Result<(MessageAttachment, Vec<u8>), ServiceError> {
    let object = format!("message/{id}");
    require_role(
        node,
        caller,
        MESSAGE_ROLES,
        "message.attachment",
        Some(object.clone()),
    )
    .await?;
    let envelope = match node.store.get_outbox(id).await? {
        Some(row) if row.kind == KIND_MESSAGE => row.envelope,
        _ => match node.store.get_inbox(id).await? {
            Some(row) if row.kind == KIND_MESSAGE => row.envelope,
            _ => return Err(ServiceError::NotFound(format!("no message `{id}`"))),
        },
    };
    let (_, message) = message_of(&envelope, id)
        .ok_or_else(|| ServiceError::Internal(format!("stored message `{id}` cannot be read")))?;
    let Some(attachment) = message.attachments.into_iter().nth(index) else {
        return Err(ServiceError::NotFound(format!(
            "message `{id}` has no attachment {index}"
        )));
    };
    let Some(content) = &attachment.content else {
        return Err(ServiceError::NotFound(format!(
            "the content of `{}` did not travel with the message: ask the sender for it by its digest",
            attachment.name
        )));
    };
    let bytes = data_encoding::BASE64
        .decode(content.as_bytes())
        .ok()
        .filter(|bytes| {
            bytes.len() as u64 == attachment.size
                && liaison_crypto::sha256_hex(bytes) == attachment.sha256
        });
    let Some(bytes) = bytes else {
        let event = AuditEvent::new("message.attachment", "mismatch")
            .object(object)
            .detail(format!(
                "{}: content does not match its size and digest",
                attachment.name
            ));
        record_audit(node, caller, event).await?;
        return Err(ServiceError::Conflict(format!(
            "the content of `{}` does not match its size and SHA-256: it is not given out",
            attachment.name
        )));
    };
    let event = AuditEvent::new("message.attachment", "ok")
        .object(object)
        .detail(format!(
            "{} ({} bytes, sha256 {})",
            attachment.name, attachment.size, attachment.sha256
        ));
    record_audit(node, caller, event).await?;
    Ok((
        MessageAttachment {
            name: attachment.name,
            sha256: attachment.sha256,
            size: attachment.size,
            media_type: attachment.media_type,
            content: None,
            included: true,
        },
        bytes,
    ))
}
