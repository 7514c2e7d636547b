//! Tests of the `edifact` reader.
