//! Request extractors that turn every malformed input into problem details, and the authentication
//! extractor that every protected route takes.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::Method;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;
use crate::services::auth::{self, Authenticated};
use crate::services::{AuditEvent, Caller, record_audit};
use crate::{Actor, ServiceError};

pub const SESSION_COOKIE: &str = "liaison_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A JSON body; a malformed one is a 400 naming the problem (400, or 413 when over the size limit).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::new(
                    e.status(),
                    "Payload too large",
                    "the request body is over this node's size limit",
                ))
            }
            Err(e) => Err(ApiError::bad_request("body", e.body_text())),
        }
    }
}

/// Query parameters; malformed ones are a 400.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| ApiError::bad_request("query", e.body_text()))
    }
}

/// The request id set by the request-id layer, tying audit entries to log lines.
pub fn request_id(parts: &Parts) -> Option<String> {
    request_id_from_headers(&parts.headers)
}

/// [`request_id`] from the headers alone.
pub fn request_id_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The caller of a request that needs no log-in.
#[derive(Debug)]
pub struct AnonymousCaller(pub Caller);

impl FromRequestParts<AppState> for AnonymousCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(AnonymousCaller(Caller {
            actor: Actor::Anonymous,
            request_id: request_id(parts),
        }))
    }
}

pub fn session_cookie(parts: &Parts) -> Option<String> {
    session_cookie_from_headers(&parts.headers)
}

/// [`session_cookie`] from the headers alone.
pub fn session_cookie_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Authenticated, ApiError> {
    let node = &state.node;
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token else {
            return Err(ApiError::unauthenticated(
                "use `Authorization: Bearer <token>`",
            ));
        };
        return match auth::authenticate_token(node, token).await {
            Ok(authenticated) => Ok(authenticated),
            Err(ServiceError::Unauthenticated(detail)) => {
                let caller = Caller {
                    actor: Actor::Anonymous,
                    request_id: request_id(parts),
                };
                let event = AuditEvent::new("auth.token", "denied").detail(detail.clone());
                record_audit(node, &caller, event).await?;
                Err(ApiError::unauthenticated(detail))
            }
            Err(e) => Err(e.into()),
        };
    }
    let Some(session) = session_cookie(parts) else {
        return Err(ApiError::unauthenticated(
            "log in, or send `Authorization: Bearer <token>`",
        ));
    };
    let authenticated = auth::authenticate_session(node, &session).await?;
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent.is_none() || sent != authenticated.csrf_token.as_deref() {
            return Err(ApiError::forbidden(
                "a request made with the session cookie must carry `X-CSRF-Token`",
            ));
        }
    }
    Ok(authenticated)
}

/// A fully authenticated caller (second factor enrolled, password not pending a change).
#[derive(Debug)]
pub struct Authed(pub Caller);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let authenticated = authenticate(parts, state).await?;
        if authenticated.enrolment_only {
            return Err(ApiError::forbidden(
                "change the one-time password and enrol a second factor first (/api/v1/auth/password, /api/v1/auth/totp/enrol)",
            ));
        }
        Ok(Authed(Caller {
            actor: authenticated.actor,
            request_id: request_id(parts),
        }))
    }
}

/// A logged-in caller who may still be completing enrolment (password change, second factor).
#[derive(Debug)]
pub struct AuthedForEnrolment(pub Caller);

impl FromRequestParts<AppState> for AuthedForEnrolment {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let authenticated = authenticate(parts, state).await?;
        Ok(AuthedForEnrolment(Caller {
            actor: authenticated.actor,
            request_id: request_id(parts),
        }))
    }
}
