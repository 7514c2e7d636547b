//! Border data formats: ICAO Doc 9303 machine-readable zones ([`mrz`]), UN/EDIFACT syntax ([`edifact`]),
//! the PAXLST ([`paxlst`]) and PNRGOV ([`pnrgov`]) messages built on it, and CSV manifests, all read into one
//! [`manifest::Manifest`] model that screening works on.
//!
//! Pure: no IO and no clock. Whatever needs "today" (century inference for two-digit years) takes it as an
//! argument. Every error and warning carries a [`Position`] so the person who sent the file can find the fault.

pub mod csv_manifest;
pub mod edifact;
mod error;
pub mod manifest;
pub mod mrz;
pub mod paxlst;
pub mod pnrgov;

pub use error::{Diagnostic, FormatError, Position};
pub use manifest::{
    Booking, FlightLeg, Manifest, ManifestFormat, ParseOptions, TravelDocument, Traveller,
    TravellerRole,
};
