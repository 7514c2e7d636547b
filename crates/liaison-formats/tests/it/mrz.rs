//! Tests of the `mrz` reader.
