//! Free-text messages to and from partner nodes: send one (queued for delivery), list the inbox or the
//! outbox, read one with its delivery state.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use liaison_proto::api::{MessageBody, MessageCreated, MessageSendBody};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiJson, ApiQuery, Authed};
use crate::services::messages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/messages", get(list_messages).post(send_message))
        .route("/api/v1/messages/{id}", get(get_message))
        .route(
            "/api/v1/messages/{id}/attachments/{index}",
            get(get_attachment),
        )
}

/// The content of one attachment, when it travelled with the message; checked against its size and
/// SHA-256 first, and the opening audited.
#[utoipa::path(get, path = "/api/v1/messages/{id}/attachments/{index}", tag = "federation",
    params(("id" = String, Path), ("index" = usize, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = liaison_proto::api::Problem), (status = 409, body = liaison_proto::api::Problem)))]
pub(super) async fn get_attachment(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((id, index)): Path<(String, usize)>,
) -> Result<axum::response::Response, ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (attachment, bytes) = messages::attachment(&state.node, &caller, &id, index).await?;
    Ok((
        [
            (header::CONTENT_TYPE, attachment.media_type),
            (
                header::CONTENT_DISPOSITION,
                super::attachment_disposition(&attachment.name),
            ),
            (
                header::HeaderName::from_static("x-content-sha256"),
                attachment.sha256,
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Sends a message to a partner: it is signed, queued and delivered (retried until the partner's signed
/// receipt matches it). Answers the envelope id with the state `queued`.
#[utoipa::path(post, path = "/api/v1/messages", tag = "federation", request_body = MessageSendBody,
    responses((status = 201, body = MessageCreated), (status = 400, body = liaison_proto::api::Problem),
        (status = 403, body = liaison_proto::api::Problem)))]
pub(super) async fn send_message(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiJson(body): ApiJson<MessageSendBody>,
) -> Result<(StatusCode, axum::Json<MessageCreated>), ApiError> {
    let created = messages::send(&state.node, &caller, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(super) struct ListQuery {
    /// `inbox` (partners wrote to this node) or `outbox` (this node wrote); default inbox.
    direction: Option<String>,
    /// How many of the newest messages, 1 to 1,000; default 100.
    limit: Option<u32>,
}

/// The newest messages of the inbox or the outbox, newest first, with their content.
#[utoipa::path(get, path = "/api/v1/messages", tag = "federation", params(ListQuery),
    responses((status = 200, body = [MessageBody]), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn list_messages(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<axum::Json<Vec<MessageBody>>, ApiError> {
    let direction = query
        .direction
        .unwrap_or_else(|| messages::DIRECTION_INBOX.into());
    let limit = query.limit.unwrap_or(100);
    Ok(axum::Json(
        messages::list(&state.node, &caller, &direction, limit).await?,
    ))
}

/// One message, sent or received; a sent one carries its delivery state.
#[utoipa::path(get, path = "/api/v1/messages/{id}", tag = "federation", params(("id" = String, Path)),
    responses((status = 200, body = MessageBody), (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn get_message(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<MessageBody>, ApiError> {
    Ok(axum::Json(messages::get(&state.node, &caller, &id).await?))
}
