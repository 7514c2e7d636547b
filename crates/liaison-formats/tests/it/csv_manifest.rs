//! Tests of the `csv_manifest` reader.
