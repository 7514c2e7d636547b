//! The HTTP edge's one error type: every failure becomes RFC 9457 problem details, logged once, with no
//! internal detail reaching the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_proto::api::{Problem, ProblemItem};

use crate::ServiceError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: Option<String>,
    pub items: Vec<ProblemItem>,
}

impl ApiError {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            title,
            detail: Some(detail.into()),
            items: Vec::new(),
        }
    }

    pub fn bad_request(pointer: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ApiError {
            status: StatusCode::BAD_REQUEST,
            title: "Bad request",
            detail: Some(format!("`{pointer}`: {detail}")),
            items: vec![ProblemItem {
                pointer: pointer.to_owned(),
                detail,
            }],
        }
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "Not authenticated", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden", detail)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::BadRequest { detail, items } => ApiError {
                status: StatusCode::BAD_REQUEST,
                title: "Bad request",
                detail: Some(detail),
                items: items
                    .into_iter()
                    .map(|(pointer, detail)| ProblemItem { pointer, detail })
                    .collect(),
            },
            ServiceError::Unauthenticated(d) => ApiError::unauthenticated(d),
            ServiceError::Forbidden(d) => ApiError::forbidden(d),
            ServiceError::NotFound(d) => ApiError::new(StatusCode::NOT_FOUND, "Not found", d),
            ServiceError::Conflict(d) => ApiError::new(StatusCode::CONFLICT, "Conflict", d),
            ServiceError::TooManyAttempts(d) => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", d)
            }
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "storage failure");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    title: "Internal error",
                    detail: None,
                    items: Vec::new(),
                }
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal failure");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    title: "Internal error",
                    detail: None,
                    items: Vec::new(),
                }
            }
        }
    }
}

/// The problem `type` URI for a status: a stable name a client can switch on.
fn problem_type(status: StatusCode) -> String {
    let slug = match status {
        StatusCode::BAD_REQUEST => "bad-request",
        StatusCode::UNAUTHORIZED => "not-authenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
        StatusCode::TOO_MANY_REQUESTS => "too-many-attempts",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        _ => "internal-error",
    };
    format!("https://liaison.invalid/problems/{slug}")
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_client_error() {
            tracing::info!(
                status = self.status.as_u16(),
                detail = self.detail.as_deref().unwrap_or(""),
                "request refused"
            );
        }
        let problem = Problem {
            problem_type: problem_type(self.status),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            instance: None,
            errors: self.items,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
