//! The evaluation harness: a seeded, labelled screening corpus built from real multi-script name data, and
//! the accuracy metrics (precision, recall, F1, false-positive queries per 1,000, precision-recall curve) that
//! `examples/evaluate.rs` prints overall, per script and per variation type.

pub mod corpus;
pub mod metrics;
pub mod names;
pub mod rng;
pub mod romanize;
