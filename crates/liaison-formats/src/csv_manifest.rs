//! CSV manifests: one traveller per row under a header line naming the columns (documented in
//! `docs/formats.md`), for carriers and partners that cannot send EDIFACT. Only `surname` is required;
//! column names are case-insensitive; dates are ISO 8601. Errors name the line and column.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::edifact::{Faults, check_text_input};
use crate::manifest::MAX_TRAVELLERS;

/// Rows without flight columns are put on every leg of the file only up to this many legs: each traveller
/// holds the list, so a file naming thousands of flights would multiply it.
pub const MAX_SHARED_LEGS: usize = 99;
use crate::{
    Booking, FlightLeg, FormatError, Manifest, ManifestFormat, ParseOptions, Position,
    TravelDocument, Traveller, TravellerRole,
};

/// The columns a CSV manifest may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Surname,
    GivenNames,
    BirthDate,
    Sex,
    Nationality,
    CountryOfResidence,
    PlaceOfBirth,
    DocumentType,
    DocumentNumber,
    DocumentIssuingCountry,
    DocumentExpiry,
    Carrier,
    Flight,
    DepartureAirport,
    DepartureTime,
    ArrivalAirport,
    ArrivalTime,
    ReservationRef,
    Seat,
    Role,
}

impl Column {
    /// Every column in the documented order, with its header name.
    pub const ALL: [(Column, &'static str); 20] = [
        (Column::Surname, "surname"),
        (Column::GivenNames, "given_names"),
        (Column::BirthDate, "birth_date"),
        (Column::Sex, "sex"),
        (Column::Nationality, "nationality"),
        (Column::CountryOfResidence, "country_of_residence"),
        (Column::PlaceOfBirth, "place_of_birth"),
        (Column::DocumentType, "document_type"),
        (Column::DocumentNumber, "document_number"),
        (Column::DocumentIssuingCountry, "document_issuing_country"),
        (Column::DocumentExpiry, "document_expiry"),
        (Column::Carrier, "carrier"),
        (Column::Flight, "flight"),
        (Column::DepartureAirport, "departure_airport"),
        (Column::DepartureTime, "departure_time"),
        (Column::ArrivalAirport, "arrival_airport"),
        (Column::ArrivalTime, "arrival_time"),
        (Column::ReservationRef, "reservation_ref"),
        (Column::Seat, "seat"),
        (Column::Role, "role"),
    ];

    /// Other spellings accepted in headers.
    const ALIASES: [(&'static str, Column); 8] = [
        ("family_name", Column::Surname),
        ("last_name", Column::Surname),
        ("given_name", Column::GivenNames),
        ("first_name", Column::GivenNames),
        ("date_of_birth", Column::BirthDate),
        ("dob", Column::BirthDate),
        ("gender", Column::Sex),
        ("document_issuer", Column::DocumentIssuingCountry),
    ];

    /// The column a header name means (case, spaces and hyphens do not matter).
    pub fn from_header(name: &str) -> Option<Column> {
        let key: String = name
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Column::ALL
            .iter()
            .find(|(_, n)| *n == key)
            .map(|(c, _)| *c)
            .or_else(|| {
                Column::ALIASES
                    .iter()
                    .find(|(n, _)| *n == key)
                    .map(|(_, c)| *c)
            })
    }

    pub fn name(self) -> &'static str {
        Column::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, n)| n)
    }
}

/// Reads a CSV manifest. Tolerant mode skips rows it cannot use and lists why; strict mode stops at the
/// first fault.
pub fn parse(input: &[u8], options: &ParseOptions) -> Result<Manifest, FormatError> {
    check_text_input(input, options, &[])?;
    let mut faults = Faults::new(options.strict);
    let start = if input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let latin1 = match std::str::from_utf8(input) {
        Ok(_) => false,
        Err(error) => {
            faults.notice(
                Position::at(input, error.valid_up_to()),
                None,
                "the text is not valid UTF-8; read as Latin-1 (ISO 8859-1)",
            );
            true
        }
    };
    // The header (the first line with text) decides the separator: `,`, `;` or tab.
    let body = &input[start..];
    let header_line = body
        .split(|&b| b == b'\n')
        .find(|line| line.iter().any(|b| !b.is_ascii_whitespace()))
        .unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(liaison_core::csv_delimiter(header_line))
        .from_reader(body);
    let mut records = reader.byte_records();
    let locate = Locator {
        input,
        start,
        latin1,
    };
    let header = loop {
        match records.next() {
            None => {
                return Err(FormatError::new(
                    Position::at(input, 0),
                    None,
                    "empty CSV: expected a header line naming the columns",
                ));
            }
            Some(Err(error)) => return Err(locate.csv_error(&error)),
            Some(Ok(record)) if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) => {}
            Some(Ok(record)) => break record,
        }
    };
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(header.len());
    for (index, name) in header.iter().enumerate() {
        let name = locate.text(name);
        let column = Column::from_header(&name);
        match column {
            None => faults.fault(
                locate.field(&header, index),
                Some(&name),
                format!("unknown column \"{}\"; ignored", name.trim()),
            )?,
            Some(column) if columns.contains(&Some(column)) => faults.fault(
                locate.field(&header, index),
                Some(column.name()),
                format!("column {} appears twice; the first is used", column.name()),
            )?,
            Some(_) => {}
        }
        columns.push(column.filter(|c| !columns.contains(&Some(*c))));
    }
    if !columns.contains(&Some(Column::Surname)) {
        return Err(FormatError::new(
            locate.field(&header, 0),
            Some("surname"),
            "the header has no surname column (the one required column)",
        ));
    }
    let mut manifest = Manifest {
        format: ManifestFormat::Csv,
        version: Some("csv:1".to_owned()),
        sender: None,
        message_ref: None,
        flights: Vec::new(),
        travellers: Vec::new(),
        warnings: Vec::new(),
    };
    let mut legs: HashMap<(String, String, String, Option<NaiveDate>), usize> = HashMap::new();
    for record in records {
        let record = record.map_err(|error| locate.csv_error(&error))?;
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() > columns.len() {
            faults.fault(
                locate.field(&record, columns.len()),
                None,
                format!(
                    "the row has {} fields but the header names {}; the extra ones are ignored",
                    record.len(),
                    columns.len()
                ),
            )?;
        }
        let row = Row {
            record: &record,
            columns: &columns,
            locate: &locate,
        };
        if let Some(traveller) =
            read_row(&row, options.today, &mut faults, &mut manifest, &mut legs)?
        {
            if manifest.travellers.len() >= MAX_TRAVELLERS {
                return Err(FormatError::new(
                    row.start(),
                    None,
                    format!("more than {MAX_TRAVELLERS} travellers: the manifest is refused"),
                ));
            }
            manifest.travellers.push(traveller);
        }
    }
    let without_legs = manifest
        .travellers
        .iter()
        .filter(|t| t.legs.is_empty())
        .count();
    if manifest.flights.len() > MAX_SHARED_LEGS && without_legs > 0 {
        faults.fault(
            Position::at(input, 0),
            Some("flight"),
            format!(
                "{without_legs} rows name no flight and the file has more than {MAX_SHARED_LEGS} legs; \
                 those travellers are on no leg"
            ),
        )?;
    } else {
        let all_legs: Vec<usize> = (0..manifest.flights.len()).collect();
        for traveller in &mut manifest.travellers {
            if traveller.legs.is_empty() {
                traveller.legs = all_legs.clone();
            }
        }
    }
    manifest.warnings = faults.into_warnings();
    Ok(manifest)
}

/// Turns csv positions into [`Position`]s with a character column.
struct Locator<'a> {
    input: &'a [u8],
    /// Bytes skipped before the reader (a byte-order mark).
    start: usize,
    latin1: bool,
}

impl Locator<'_> {
    fn text<'b>(&self, bytes: &'b [u8]) -> Cow<'b, str> {
        if self.latin1 {
            Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())
        } else {
            String::from_utf8_lossy(bytes)
        }
    }

    fn csv_error(&self, error: &csv::Error) -> FormatError {
        let (line, byte) = error
            .position()
            .map_or((1, 0), |p| (p.line(), p.byte() as usize));
        let mut position = Position::at(self.input, 0);
        position.line = u32::try_from(line).unwrap_or(u32::MAX);
        position.byte_offset = self.start + byte;
        FormatError::new(position, None, format!("unreadable CSV: {error}"))
    }

    /// The position of field `index` of a record: its line (a quoted field may span lines) and the
    /// character column where it starts.
    fn field(&self, record: &csv::ByteRecord, index: usize) -> Position {
        let (mut line, start) = record.position().map_or((1, 0), |p| {
            (
                u32::try_from(p.line()).unwrap_or(u32::MAX),
                self.start + p.byte() as usize,
            )
        });
        let bytes = self.input;
        let mut i = start.min(bytes.len());
        let mut column = 1u32;
        let mut field = 0;
        let mut quoted = false;
        while i < bytes.len() && field < index {
            let b = bytes[i];
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => field += 1,
                b'\n' if !quoted => break,
                b'\n' => {
                    line = line.saturating_add(1);
                    column = 0;
                }
                _ => {}
            }
            if self.latin1 || (b & 0xC0) != 0x80 {
                column = column.saturating_add(1);
            }
            i += 1;
        }
        Position {
            line,
            column: column.max(1),
            byte_offset: i,
            segment: None,
            segment_tag: None,
        }
    }
}

struct Row<'a> {
    record: &'a csv::ByteRecord,
    columns: &'a [Option<Column>],
    locate: &'a Locator<'a>,
}

impl Row<'_> {
    fn index(&self, column: Column) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(column))
    }

    /// The trimmed value of a column; `None` when the column is absent or the cell empty.
    fn get(&self, column: Column) -> Option<String> {
        let index = self.index(column)?;
        let text = self.locate.text(self.record.get(index)?);
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    fn position(&self, column: Column) -> Position {
        let index = self.index(column).unwrap_or(0);
        self.locate.field(self.record, index)
    }

    fn start(&self) -> Position {
        self.locate.field(self.record, 0)
    }
}

fn upper(value: Option<String>) -> Option<String> {
    value.map(|v| v.to_uppercase())
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time);
        }
    }
    parse_date(text).map(|d| d.and_time(NaiveTime::MIN))
}

/// Reads one cell with `parse`; a cell that does not parse is a fault naming its position.
fn cell<T>(
    row: &Row<'_>,
    column: Column,
    faults: &mut Faults,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, FormatError> {
    let Some(text) = row.get(column) else {
        return Ok(None);
    };
    match parse(&text) {
        Some(value) => Ok(Some(value)),
        None => {
            faults.fault(
                row.position(column),
                Some(column.name()),
                format!("\"{text}\" is not {what}"),
            )?;
            Ok(None)
        }
    }
}

fn read_row(
    row: &Row<'_>,
    today: NaiveDate,
    faults: &mut Faults,
    manifest: &mut Manifest,
    legs: &mut HashMap<(String, String, String, Option<NaiveDate>), usize>,
) -> Result<Option<Traveller>, FormatError> {
    let Some(surname) = row.get(Column::Surname) else {
        faults.fault(
            row.position(Column::Surname),
            Some("surname"),
            "surname is required; the row is skipped",
        )?;
        return Ok(None);
    };
    let birth_date = cell(
        row,
        Column::BirthDate,
        faults,
        "a date YYYY-MM-DD",
        parse_date,
    )?;
    let birth_date = match birth_date {
        Some(date) if date > today => {
            faults.fault(
                row.position(Column::BirthDate),
                Some("birth_date"),
                format!("birth date {date} is in the future"),
            )?;
            None
        }
        other => other,
    };
    let sex = cell(
        row,
        Column::Sex,
        faults,
        "a sex code M, F or X",
        |s| match s.to_ascii_uppercase().as_str() {
            "M" | "MALE" => Some('M'),
            "F" | "FEMALE" => Some('F'),
            "X" | "U" => Some('X'),
            _ => None,
        },
    )?;
    let role = cell(
        row,
        Column::Role,
        faults,
        "a role (passenger, crew, in_transit, infant)",
        |s| match s.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "passenger" | "pax" => Some(TravellerRole::Passenger),
            "crew" => Some(TravellerRole::Crew),
            "in_transit" | "transit" => Some(TravellerRole::InTransit),
            "infant" => Some(TravellerRole::Infant),
            _ => None,
        },
    )?
    .unwrap_or(TravellerRole::Passenger);
    let mut documents = Vec::new();
    let expiry = cell(
        row,
        Column::DocumentExpiry,
        faults,
        "a date YYYY-MM-DD",
        parse_date,
    )?;
    if let Some(number) = row.get(Column::DocumentNumber) {
        documents.push(TravelDocument {
            kind: upper(row.get(Column::DocumentType)).unwrap_or_default(),
            number,
            issuing_country: upper(row.get(Column::DocumentIssuingCountry)),
            expiry_date: expiry,
        });
    }
    let departure_time = cell(
        row,
        Column::DepartureTime,
        faults,
        "a date-time YYYY-MM-DDTHH:MM",
        parse_time,
    )?;
    let arrival_time = cell(
        row,
        Column::ArrivalTime,
        faults,
        "a date-time YYYY-MM-DDTHH:MM",
        parse_time,
    )?;
    let flight = upper(row.get(Column::Flight));
    let departure_airport = upper(row.get(Column::DepartureAirport));
    let arrival_airport = upper(row.get(Column::ArrivalAirport));
    let mut traveller_legs = Vec::new();
    if flight.is_some() || departure_airport.is_some() || arrival_airport.is_some() {
        let key = (
            flight.clone().unwrap_or_default(),
            departure_airport.clone().unwrap_or_default(),
            arrival_airport.clone().unwrap_or_default(),
            departure_time.map(|t| t.date()),
        );
        let index = match legs.get(&key) {
            Some(&index) => index,
            None => {
                let carrier = upper(row.get(Column::Carrier)).or_else(|| {
                    flight
                        .as_deref()
                        .filter(|f| {
                            let bytes = f.as_bytes();
                            bytes.len() > 2
                                && bytes[..2].iter().all(u8::is_ascii_alphanumeric)
                                && bytes[2..].iter().any(u8::is_ascii_digit)
                        })
                        .and_then(|f| f.get(..2))
                        .map(str::to_owned)
                });
                manifest.flights.push(FlightLeg {
                    carrier,
                    flight_number: flight,
                    departure_airport,
                    departure_time,
                    arrival_airport,
                    arrival_time,
                });
                let index = manifest.flights.len() - 1;
                legs.insert(key, index);
                index
            }
        };
        traveller_legs.push(index);
    }
    let reservation_ref = row.get(Column::ReservationRef);
    let seat = upper(row.get(Column::Seat));
    let booking = (reservation_ref.is_some() || seat.is_some()).then(|| Booking {
        record_locator: reservation_ref.clone(),
        seat,
        ..Booking::default()
    });
    Ok(Some(Traveller {
        position: row.start(),
        role,
        surname,
        given_names: row.get(Column::GivenNames).unwrap_or_default(),
        birth_date,
        sex,
        nationality: upper(row.get(Column::Nationality)),
        country_of_residence: upper(row.get(Column::CountryOfResidence)),
        place_of_birth: row.get(Column::PlaceOfBirth),
        documents,
        legs: traveller_legs,
        reservation_ref,
        booking,
    }))
}
