//! Link analysis: neighbourhoods, paths, key players, communities and exports of the entity graph, and the
//! resolved identities analysts confirm or split. Every route states a purpose.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use liaison_proto::graph::{
    CommunitiesBody, IdentitiesBody, IdentityDecisionBody, IdentityDecisionsBody, KeyPlayersBody,
    NeighbourhoodBody, PathsBody,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::AppState;
use super::error::ApiError;
use super::extract::{ApiQuery, Authed};
use crate::services::graph::{
    self, CommunityParams, IdentityVerdict, KeyPlayerParams, NeighbourhoodParams, PathParams,
};
use crate::services::records::AccessReason;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/graph/neighbourhood/{entity_type}/{*id}",
            get(neighbourhood),
        )
        .route("/api/v1/graph/paths", get(paths))
        .route("/api/v1/graph/key-players", get(key_players))
        .route("/api/v1/graph/communities", get(communities))
        .route("/api/v1/graph/export", get(export))
        .route("/api/v1/graph/identities", get(identities))
        .route("/api/v1/graph/identities/{id}/confirm", post(confirm))
        .route("/api/v1/graph/identities/{id}/split", post(split))
}

/// Why the graph is consulted.
#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct PurposeParams {
    /// One of the purposes (`criminal_investigation`, `exercise`...); required.
    purpose: Option<String>,
    case_ref: Option<String>,
}

impl PurposeParams {
    fn reason(self) -> AccessReason {
        AccessReason {
            purpose: self.purpose,
            case_ref: self.case_ref,
        }
    }
}

// Numbers are read as text so that a bad value is refused naming its parameter.
#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct NeighbourhoodQuery {
    /// Links to walk from the entity, 0 to 6 (default 2).
    hops: Option<String>,
    /// Only these link types, comma separated (`shares_identifier,travelled_with`...).
    edge_types: Option<String>,
    /// Only links dated on or after this day (undated links pass).
    from: Option<String>,
    /// Only links dated on or before this day (undated links pass).
    to: Option<String>,
    /// Only links from records of this node.
    owner: Option<String>,
    /// Most entities returned, 1 to 10,000 (default 500).
    max_nodes: Option<String>,
    purpose: Option<String>,
    case_ref: Option<String>,
}

/// The entities within some links of one entity (`person/p1`, `phone/+4930123`, `traveller/<run>/<index>`),
/// with the links among them.
#[utoipa::path(get, path = "/api/v1/graph/neighbourhood/{type}/{id}", tag = "graph",
    params(("type" = String, Path), ("id" = String, Path), NeighbourhoodQuery),
    responses((status = 200, body = NeighbourhoodBody), (status = 400, body = liaison_proto::api::Problem),
        (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn neighbourhood(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path((entity_type, id)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<NeighbourhoodQuery>,
) -> Result<axum::Json<NeighbourhoodBody>, ApiError> {
    let params = NeighbourhoodParams {
        hops: query.hops,
        edge_types: query.edge_types,
        from: query.from,
        to: query.to,
        owner: query.owner,
        max_nodes: query.max_nodes,
    };
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    let id = id.trim_start_matches('/');
    Ok(axum::Json(
        graph::neighbourhood(&state.node, &caller, &entity_type, id, &params, &reason).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct PathsQuery {
    /// The first entity, `type/id`.
    from: Option<String>,
    /// The last entity, `type/id`.
    to: Option<String>,
    /// Most links in a path, 1 to 8 (default 4).
    max_length: Option<String>,
    /// Most paths, 1 to 100 (default 10).
    limit: Option<String>,
    /// Only these link types, comma separated.
    edge_types: Option<String>,
    purpose: Option<String>,
    case_ref: Option<String>,
}

/// Simple paths between two entities, shortest first.
#[utoipa::path(get, path = "/api/v1/graph/paths", tag = "graph", params(PathsQuery),
    responses((status = 200, body = PathsBody), (status = 400, body = liaison_proto::api::Problem),
        (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn paths(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<PathsQuery>,
) -> Result<axum::Json<PathsBody>, ApiError> {
    let params = PathParams {
        from: query.from,
        to: query.to,
        max_length: query.max_length,
        limit: query.limit,
        edge_types: query.edge_types,
    };
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    Ok(axum::Json(
        graph::paths(&state.node, &caller, &params, &reason).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct KeyPlayersQuery {
    /// How many, 1 to 50 (default 10).
    limit: Option<String>,
    /// Entity types that may be key players, comma separated (default `person`).
    types: Option<String>,
    /// Analyse only this case's entities and 3 links around them.
    case: Option<String>,
    purpose: Option<String>,
    case_ref: Option<String>,
}

/// The entities whose removal fragments the network most, chosen greedily.
#[utoipa::path(get, path = "/api/v1/graph/key-players", tag = "graph", params(KeyPlayersQuery),
    responses((status = 200, body = KeyPlayersBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn key_players(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<KeyPlayersQuery>,
) -> Result<axum::Json<KeyPlayersBody>, ApiError> {
    let params = KeyPlayerParams {
        limit: query.limit,
        types: query.types,
        case: query.case,
    };
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    Ok(axum::Json(
        graph::key_players(&state.node, &caller, &params, &reason).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct CommunitiesQuery {
    /// Most communities listed, 1 to 1,000 (default 50).
    limit: Option<String>,
    /// Only this case's entities and 3 links around them.
    case: Option<String>,
    purpose: Option<String>,
    case_ref: Option<String>,
}

/// Communities of densely linked entities (Louvain), largest first.
#[utoipa::path(get, path = "/api/v1/graph/communities", tag = "graph", params(CommunitiesQuery),
    responses((status = 200, body = CommunitiesBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn communities(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<CommunitiesQuery>,
) -> Result<axum::Json<CommunitiesBody>, ApiError> {
    let params = CommunityParams {
        limit: query.limit,
        case: query.case,
    };
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    Ok(axum::Json(
        graph::communities(&state.node, &caller, &params, &reason).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct ExportQuery {
    /// `graphml` (default) or `gexf`.
    format: Option<String>,
    /// Only this case's entities and 3 links around them.
    case: Option<String>,
    purpose: Option<String>,
    case_ref: Option<String>,
}

/// The graph as a GraphML or GEXF file, for Gephi, yEd or networkx.
#[utoipa::path(get, path = "/api/v1/graph/export", tag = "graph", params(ExportQuery),
    responses((status = 200, content_type = "application/graphml+xml", body = String),
        (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn export(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let reason = AccessReason {
        purpose: query.purpose,
        case_ref: query.case_ref,
    };
    let file = graph::export(
        &state.node,
        &caller,
        query.format.as_deref(),
        query.case.as_deref(),
        &reason,
    )
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                format!("{}; charset=utf-8", file.content_type),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file.file_name),
            ),
        ],
        file.body,
    )
        .into_response())
}

/// Groups of person records the matching engine takes for one person, with the evidence.
#[utoipa::path(get, path = "/api/v1/graph/identities", tag = "graph", params(PurposeParams),
    responses((status = 200, body = IdentitiesBody), (status = 400, body = liaison_proto::api::Problem)))]
pub(super) async fn identities(
    State(state): State<AppState>,
    Authed(caller): Authed,
    ApiQuery(query): ApiQuery<PurposeParams>,
) -> Result<axum::Json<IdentitiesBody>, ApiError> {
    Ok(axum::Json(
        graph::identities(&state.node, &caller, &query.reason()).await?,
    ))
}

async fn decide(
    state: AppState,
    caller: crate::services::Caller,
    id: String,
    query: PurposeParams,
    body: Bytes,
    verdict: IdentityVerdict,
) -> Result<axum::Json<IdentityDecisionsBody>, ApiError> {
    let decision: IdentityDecisionBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("body", format!("not an identity decision: {e}")))?;
    let mut reason = query.reason();
    if reason.purpose.is_none() {
        reason.purpose = decision.purpose.clone();
    }
    Ok(axum::Json(
        graph::decide_identity(&state.node, &caller, &id, verdict, &decision, &reason).await?,
    ))
}

/// Confirms that records of an identity are one person (all of them when `records` is empty).
#[utoipa::path(post, path = "/api/v1/graph/identities/{id}/confirm", tag = "graph",
    params(("id" = String, Path), PurposeParams), request_body = IdentityDecisionBody,
    responses((status = 200, body = IdentityDecisionsBody), (status = 400, body = liaison_proto::api::Problem),
        (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn confirm(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<PurposeParams>,
    body: Bytes,
) -> Result<axum::Json<IdentityDecisionsBody>, ApiError> {
    decide(state, caller, id, query, body, IdentityVerdict::Confirm).await
}

/// Splits records off an identity: they are not the same person as the rest (none of them is the same as
/// another when they are the whole group). A split pair is never linked again.
#[utoipa::path(post, path = "/api/v1/graph/identities/{id}/split", tag = "graph",
    params(("id" = String, Path), PurposeParams), request_body = IdentityDecisionBody,
    responses((status = 200, body = IdentityDecisionsBody), (status = 400, body = liaison_proto::api::Problem),
        (status = 404, body = liaison_proto::api::Problem)))]
pub(super) async fn split(
    State(state): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<PurposeParams>,
    body: Bytes,
) -> Result<axum::Json<IdentityDecisionsBody>, ApiError> {
    decide(state, caller, id, query, body, IdentityVerdict::Split).await
}
