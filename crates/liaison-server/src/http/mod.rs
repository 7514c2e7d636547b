//! The HTTP edge: the router, its middleware (request ids, tracing, size limits, timeouts, panics caught,
//! metrics) and the server loop.

mod border;
mod disclosures;
mod error;
pub(crate) mod extract;
mod graph;
mod legal;
mod messages;
mod openapi;
mod routes;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use openapi::openapi_document;
pub(crate) use routes::session_cookie_header;

use crate::Node;

/// What every handler receives.
#[derive(Debug, Clone)]
pub struct AppState {
    pub node: Node,
    metrics: Arc<PrometheusHandle>,
}

/// The process-wide Prometheus recorder: metrics macros write to one global recorder, so several nodes in one
/// process (tests, the demo) share it.
fn prometheus() -> Arc<PrometheusHandle> {
    static HANDLE: OnceLock<Arc<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new();
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Fails only when another recorder is installed; the handle still renders this one's metrics.
            let _ = metrics::set_global_recorder(recorder);
            Arc::new(handle)
        })
        .clone()
}

/// The whole application router.
pub fn router(node: Node) -> Router {
    let max_body = node.settings.max_body_bytes;
    let state = AppState {
        node,
        metrics: prometheus(),
    };
    let request_id = HeaderName::from_static("x-request-id");
    routes::routes()
        .merge(border::routes())
        .merge(disclosures::routes())
        .merge(messages::routes())
        .merge(legal::routes())
        .merge(graph::routes())
        .merge(crate::web::routes())
        .merge(openapi::docs_router())
        .fallback(unknown_route)
        .layer(middleware::from_fn(record_metrics))
        // The body limit applies where a body is read, so an oversized body gets problem details (413).
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, title: "Internal error", detail: None, items: Vec::new() }
                .into_response()
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new([axum::http::header::AUTHORIZATION, axum::http::header::COOKIE]))
        .with_state(state)
}

async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("liaison_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("liaison_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Not found",
        format!("no route {}; see /api/docs", uri.path()),
    )
}

async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    state.metrics.run_upkeep();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(),
    )
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    node: Node,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(node))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A `Content-Disposition` value that downloads a file under `name`, reduced to characters every browser
/// takes in a quoted file name.
pub(crate) fn attachment_disposition(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{name}\"")
}
