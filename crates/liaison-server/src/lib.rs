//! Liaison's node service and its HTTP edge.
//!
//! `services` holds the rules: importing and reading records, logging in, users and tokens, the audit log.
//! Every read of a record goes through `services::records`, which writes the audit entry, so no route can
//! forget it. `http` is the axum edge: thin handlers that extract, call one service function and map the
//! result, with problem details (RFC 9457), role checks, metrics and the OpenAPI document.

pub mod federation;
pub mod http;
mod node;
pub mod pdf;
pub mod services;
pub mod web;

pub use node::{Actor, Clock, Node, NodeSettings, SystemClock};
pub use services::ServiceError;
