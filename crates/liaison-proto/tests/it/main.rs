//! Integration tests of liaison-proto through its public API.

// Test helpers outside `#[test]` functions may unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod federation_golden;
