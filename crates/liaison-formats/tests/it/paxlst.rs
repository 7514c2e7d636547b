//! Tests of the `paxlst` reader.
