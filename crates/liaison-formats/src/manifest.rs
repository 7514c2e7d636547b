//! The one model every manifest format is read into (PAXLST, PNRGOV, CSV): the flight legs and the
//! travellers with their documents and, from PNRGOV, their booking facts. Screening and risk criteria work on
//! this model only, so they do not care which format a manifest came in.

use chrono::{NaiveDate, NaiveDateTime};

use crate::{Diagnostic, FormatError};

/// Which format a manifest is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ManifestFormat {
    /// UN/EDIFACT PAXLST (advance passenger information).
    Paxlst,
    /// UN/EDIFACT PNRGOV (passenger name records pushed to a government).
    Pnrgov,
    /// CSV with the documented header (see `docs/formats.md`).
    Csv,
}

impl ManifestFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestFormat::Paxlst => "paxlst",
            ManifestFormat::Pnrgov => "pnrgov",
            ManifestFormat::Csv => "csv",
        }
    }

    /// `paxlst`, `pnrgov` or `csv` (any case).
    pub fn parse(text: &str) -> Option<ManifestFormat> {
        match text.to_ascii_lowercase().as_str() {
            "paxlst" => Some(ManifestFormat::Paxlst),
            "pnrgov" => Some(ManifestFormat::Pnrgov),
            "csv" => Some(ManifestFormat::Csv),
            _ => None,
        }
    }
}

/// How to read a manifest.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Strict mode turns structural warnings (wrong UNT/UNZ counts, unknown qualifiers) into errors.
    pub strict: bool,
    /// The day of reading, for century inference on two-digit years (a birth date is never in the future;
    /// an expiry date may be up to about 50 years ahead).
    pub today: NaiveDate,
    /// Inputs larger than this many bytes are refused before reading.
    pub max_bytes: usize,
}

/// Who a traveller is on the flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TravellerRole {
    Passenger,
    Crew,
    /// A passenger in transit (PAXLST NAD+DDU / in-transit qualifiers).
    InTransit,
    /// An infant travelling on an adult's booking (PNRGOV).
    Infant,
}

impl TravellerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TravellerRole::Passenger => "passenger",
            TravellerRole::Crew => "crew",
            TravellerRole::InTransit => "in_transit",
            TravellerRole::Infant => "infant",
        }
    }
}

/// One flight leg (PAXLST TDT/LOC/DTM, PNRGOV TVL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlightLeg {
    /// Marketing or operating carrier code (`LH`, `DL`...).
    pub carrier: Option<String>,
    /// Flight number as written, with the carrier prefix when the message has it (`LH400`).
    pub flight_number: Option<String>,
    /// IATA airport code of departure.
    pub departure_airport: Option<String>,
    /// Scheduled departure, local time as the message gives it.
    pub departure_time: Option<NaiveDateTime>,
    /// IATA airport code of arrival.
    pub arrival_airport: Option<String>,
    /// Scheduled arrival, local time as the message gives it.
    pub arrival_time: Option<NaiveDateTime>,
}

/// A travel document carried by a traveller (PAXLST DOC/DTM+36/LOC+91, PNRGOV SSR DOCS, CSV columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TravelDocument {
    /// ICAO document code as given (`P`, `I`, `V`, `AC`...); PAXLST codes such as `39` or `40` are mapped
    /// to the ICAO letter where one exists and kept as given otherwise.
    pub kind: String,
    pub number: String,
    /// ICAO/ISO 3166 alpha-3 code (or as given, when the message uses something else).
    pub issuing_country: Option<String>,
    pub expiry_date: Option<NaiveDate>,
}

/// Booking facts from a PNR, used by risk criteria and link analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Booking {
    /// The record locator (PNR reference).
    pub record_locator: Option<String>,
    /// When the booking was made (PNRGOV RCI/DAT).
    pub booked_at: Option<NaiveDateTime>,
    /// Forms of payment as given (`CC`, `CA` cash, `MS`...), with the card vendor when present.
    pub payment_forms: Vec<String>,
    /// True when the itinerary has no return to the first departure airport.
    pub one_way: Option<bool>,
    /// Travel agency or booking office (ORG), when given.
    pub agency: Option<String>,
    /// Number of other travellers on the same booking.
    pub companions: u32,
    /// Contact phone numbers, e-mail addresses and postal addresses (PNRGOV CTC/ADD).
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub addresses: Vec<String>,
    /// Checked bags (PNRGOV/PAXLST when given).
    pub bags: Option<u32>,
    /// Seat as given (`12A`).
    pub seat: Option<String>,
    /// Ticket numbers (PNRGOV TKT).
    pub tickets: Vec<String>,
    /// Total fare with its currency as given (PNRGOV MON total, `1999.99 SGD`).
    pub fare: Option<String>,
}

/// One traveller: names as the message spells them, identity facts, documents, and booking facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traveller {
    /// Where the traveller's group starts in the input.
    pub position: crate::Position,
    pub role: TravellerRole,
    /// Family name(s) as given (upper case in most messages).
    pub surname: String,
    /// Given name(s) as given, space separated.
    pub given_names: String,
    pub birth_date: Option<NaiveDate>,
    /// `M`, `F`, `X` (unspecified), as given by the message.
    pub sex: Option<char>,
    /// Nationality, alpha-3 where the message uses it.
    pub nationality: Option<String>,
    pub country_of_residence: Option<String>,
    pub place_of_birth: Option<String>,
    pub documents: Vec<TravelDocument>,
    /// Indices into [`Manifest::flights`] of the legs this traveller is on (all legs when the message does
    /// not say).
    pub legs: Vec<usize>,
    /// Reservation / booking reference as given (PAXLST RFF+AVF, PNR record locator).
    pub reservation_ref: Option<String>,
    pub booking: Option<Booking>,
}

impl Traveller {
    /// The name in reading order: given names, then surname.
    pub fn full_name(&self) -> String {
        match (self.given_names.trim(), self.surname.trim()) {
            ("", surname) => surname.to_owned(),
            (given, "") => given.to_owned(),
            (given, surname) => format!("{given} {surname}"),
        }
    }
}

/// A whole manifest: what it is, its flight legs, its travellers, and the warnings met while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub format: ManifestFormat,
    /// Message version as declared (`D:05B`, `PNRGOV:11:1`, `csv:1`).
    pub version: Option<String>,
    /// Sender identification (UNB/UNG sender) when present.
    pub sender: Option<String>,
    /// Message reference (UNH 0062) when present.
    pub message_ref: Option<String>,
    pub flights: Vec<FlightLeg>,
    pub travellers: Vec<Traveller>,
    /// Faults tolerated while reading. Strict mode fails instead, so its list holds only notices that are
    /// never a reason to refuse a manifest (text decoded as Latin-1 because it was not valid UTF-8).
    pub warnings: Vec<Diagnostic>,
}

/// The most travellers a manifest may hold. A flight carries under a thousand; the limit keeps a hostile input
/// (millions of one-segment passengers, each with a copy of its booking) from exhausting memory. Readers refuse
/// a manifest that goes past it, in both modes.
pub const MAX_TRAVELLERS: usize = 100_000;

/// Guesses the format from the first bytes: EDIFACT with a `PAXLST` or `PNRGOV` message type, or CSV.
pub fn detect_format(input: &[u8]) -> Option<ManifestFormat> {
    crate::edifact::detect_message_type(input).or_else(|| {
        let head = &input[..input.len().min(4096)];
        let text = String::from_utf8_lossy(head);
        let first = text.lines().next().unwrap_or("").to_ascii_lowercase();
        (first.contains("surname") || first.contains("family_name")).then_some(ManifestFormat::Csv)
    })
}

/// Reads a manifest in the given format (or the detected one when `format` is `None`).
pub fn parse_manifest(
    input: &[u8],
    format: Option<ManifestFormat>,
    options: &ParseOptions,
) -> Result<Manifest, FormatError> {
    if input.len() > options.max_bytes {
        return Err(FormatError::new(
            crate::Position::at(input, options.max_bytes),
            None,
            format!(
                "the manifest is larger than the limit of {} bytes",
                options.max_bytes
            ),
        ));
    }
    let format = match format.or_else(|| detect_format(input)) {
        Some(format) => format,
        None => {
            return Err(FormatError::new(
                crate::Position::at(input, 0),
                None,
                "not a PAXLST or PNRGOV message and not a CSV manifest with a header line",
            ));
        }
    };
    match format {
        ManifestFormat::Paxlst => crate::paxlst::parse(input, options),
        ManifestFormat::Pnrgov => crate::pnrgov::parse(input, options),
        ManifestFormat::Csv => crate::csv_manifest::parse(input, options),
    }
}
