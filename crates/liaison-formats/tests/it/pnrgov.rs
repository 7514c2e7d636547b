//! Tests of the `pnrgov` reader.
