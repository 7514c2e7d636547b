//! Integration tests of `liaison-core` through its public API only.

// Test helpers outside `#[test]` functions may unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod risk;
