//! Integration tests of the border formats against the shared sample files copied under `tests/data/`.

mod csv_manifest;
mod edifact;
mod mrz;
mod paxlst;
mod pnrgov;
