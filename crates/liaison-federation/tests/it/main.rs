//! Integration tests of the federation protocol rules, through the public API only.

// Test helpers outside `#[test]` functions may unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod exchange;
mod open;
