//! End-to-end checks of generated scenarios: determinism, every record line decodes, every reference and
//! every ground-truth target exists, machine-readable zones carry correct check digits, manifests are
//! consistent with the ground truth.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod formats;
mod helpers;
mod scenario;
