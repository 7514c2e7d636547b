//! Screening scenarios through the public API: the cross-script example, common names, MRZ names,
//! documents, index updates, and inputs that must never break the engine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod features;
mod robustness;
mod scenarios;
