//! End-to-end tests of the `liaison` binary and of a node served on 127.0.0.1: what an agency's operator
//! and its machine clients do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod border;
mod cli;
mod exercise;
mod federation;
mod federation_reliability;
mod graph;
mod harness;
mod legal;
mod legal_cli;
mod scenario;
mod screening;
mod web;
mod web_border;
mod web_cooperation;
mod web_oversight;
