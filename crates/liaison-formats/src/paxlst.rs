//! UN/EDIFACT PAXLST (advance passenger information, directories D.02B to D.21A as airlines and the
//! WCO/IATA/ICAO guide use them) read into the manifest model: flight legs from TDT/LOC/DTM, one traveller
//! per NAD with names, sex, birth date, nationality, residence, reservation, seat, bags and documents.
//!
//! The mapping of every segment is written in `docs/formats.md`.

pub mod structure;

use chrono::NaiveDate;

use crate::edifact::dates::{self, DateKind};
use crate::edifact::{Faults, Interchange, Message, Segment, read_interchange};
use crate::manifest::MAX_TRAVELLERS;
use crate::{
    Booking, FlightLeg, FormatError, Manifest, ManifestFormat, ParseOptions, Position,
    TravelDocument, Traveller, TravellerRole,
};

/// The most legs a message may have: a flight has a handful, and every traveller holds a list of them.
pub const MAX_LEGS_PER_MESSAGE: usize = 99;

/// Reads a PAXLST interchange. Tolerant mode reads what it can and lists the faults as warnings; strict
/// mode stops at the first fault.
pub fn parse(input: &[u8], options: &ParseOptions) -> Result<Manifest, FormatError> {
    let mut faults = Faults::new(options.strict);
    let interchange = read_interchange(input, options, &mut faults)?;
    let mut manifest = Manifest {
        format: ManifestFormat::Paxlst,
        version: None,
        sender: interchange.sender.clone(),
        message_ref: None,
        flights: Vec::new(),
        travellers: Vec::new(),
        warnings: Vec::new(),
    };
    let mut read_any = false;
    for message in &interchange.messages {
        let Some(header) = interchange.header(message) else {
            continue;
        };
        if message.message_type != "PAXLST" {
            faults.fault(
                header.position(),
                Some("UNH/S009/0065"),
                format!(
                    "message type {} is not PAXLST; the message is skipped",
                    message.message_type
                ),
            )?;
            continue;
        }
        if !read_any {
            manifest.version = Some(short_version(&message.version));
            manifest.message_ref = Some(message.reference.clone());
            if message.group_sender.is_some() {
                manifest.sender = message.group_sender.clone();
            }
        }
        read_any = true;
        read_message(
            &interchange,
            message,
            options.today,
            &mut faults,
            &mut manifest,
        )?;
    }
    if !read_any {
        let position = interchange
            .segments
            .first()
            .map_or_else(|| Position::at(input, 0), Segment::position);
        return Err(FormatError::new(
            position,
            Some("UNH"),
            "no PAXLST message (UNH with message type PAXLST) in the input",
        ));
    }
    manifest.warnings = faults.into_warnings();
    Ok(manifest)
}

/// `D:05B` from `D:05B:UN:IATA`.
fn short_version(version: &str) -> String {
    version.split(':').take(2).collect::<Vec<_>>().join(":")
}

/// A traveller being read, with what is needed to finish it.
struct Draft {
    traveller: Traveller,
    embarkation: Option<String>,
    debarkation: Option<String>,
    seat: Option<String>,
    bags_counted: Option<u32>,
    bag_tags: u32,
    /// Whether the last DOC is still open for its DTM/LOC.
    in_document: bool,
}

impl Draft {
    fn finish(mut self, legs: &[usize], flights: &[FlightLeg]) -> Traveller {
        self.traveller.legs = traveller_legs(
            legs,
            flights,
            self.embarkation.as_deref(),
            self.debarkation.as_deref(),
        );
        let bags = self
            .bags_counted
            .or((self.bag_tags > 0).then_some(self.bag_tags));
        if self.seat.is_some() || bags.is_some() {
            self.traveller.booking = Some(Booking {
                record_locator: self.traveller.reservation_ref.clone(),
                bags,
                seat: self.seat,
                ..Booking::default()
            });
        }
        self.traveller
    }
}

/// The legs between the port of embarkation and the port of debarkation; all legs when the ports are not
/// given or do not match the legs.
fn traveller_legs(
    legs: &[usize],
    flights: &[FlightLeg],
    embarkation: Option<&str>,
    debarkation: Option<&str>,
) -> Vec<usize> {
    let airport = |index: usize, departure: bool| {
        flights.get(index).and_then(|leg| {
            if departure {
                leg.departure_airport.as_deref()
            } else {
                leg.arrival_airport.as_deref()
            }
        })
    };
    let start = embarkation
        .and_then(|port| legs.iter().position(|&l| airport(l, true) == Some(port)))
        .unwrap_or(0);
    let end = debarkation
        .and_then(|port| {
            legs.iter()
                .skip(start)
                .position(|&l| airport(l, false) == Some(port))
                .map(|i| i + start)
        })
        .unwrap_or(legs.len().saturating_sub(1));
    legs.get(start..=end)
        .map_or_else(|| legs.to_vec(), <[usize]>::to_vec)
}

/// What a NAD party qualifier (3035) says about the party.
fn party_role(qualifier: &str) -> Option<Option<TravellerRole>> {
    match qualifier {
        // Message sender / contact: not a traveller.
        "MS" | "CTA" => Some(None),
        "FL" => Some(Some(TravellerRole::Passenger)),
        "FM" | "COT" | "VW" => Some(Some(TravellerRole::Crew)),
        "DDU" => Some(Some(TravellerRole::InTransit)),
        "DDT" => Some(Some(TravellerRole::InTransit)),
        _ => None,
    }
}

/// The default role of a message's travellers from BGM 1001.
fn list_role(code: &str) -> Option<TravellerRole> {
    match code {
        "745" | "266" | "655" => Some(TravellerRole::Passenger),
        "250" | "336" | "10" => Some(TravellerRole::Crew),
        _ => None,
    }
}

/// ICAO letters for the document codes seen in PAXLST (1001); anything else is kept as given.
fn document_kind(code: &str) -> String {
    match code {
        "PT" => "P".to_owned(),
        other => other.to_owned(),
    }
}

fn read_message(
    interchange: &Interchange<'_>,
    message: &Message,
    today: NaiveDate,
    faults: &mut Faults,
    manifest: &mut Manifest,
) -> Result<(), FormatError> {
    let body = interchange.body(message);
    if body.is_empty()
        && let Some(header) = interchange.header(message)
    {
        faults.fault(
            header.position(),
            Some("BGM"),
            "the message is empty (mandatory BGM missing)",
        )?;
    }
    structure::check(structure::PAXLST, body, faults)?;
    let mut default_role = TravellerRole::Passenger;
    let mut legs: Vec<usize> = Vec::new();
    let mut current_leg: Option<usize> = None;
    let mut draft: Option<Draft> = None;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut declared: Vec<(Segment<'_>, TravellerRole, u32)> = Vec::new();
    for segment in body {
        match segment.tag() {
            "BGM" => {
                let code = segment.text(0, 0);
                match list_role(code.trim()) {
                    Some(role) => default_role = role,
                    None => faults.fault(
                        segment.position(),
                        Some("BGM/C002/1001"),
                        format!("unknown document code \"{code}\"; travellers read as passengers"),
                    )?,
                }
            }
            "TDT" => {
                drafts.extend(draft.take());
                if legs.len() >= MAX_LEGS_PER_MESSAGE {
                    faults.fault(
                        segment.position(),
                        Some("TDT"),
                        format!(
                            "more than {MAX_LEGS_PER_MESSAGE} flight legs in one message; this one is ignored"
                        ),
                    )?;
                    current_leg = None;
                    continue;
                }
                let flight = segment.element(1).component(0).non_empty();
                let carrier = segment
                    .element(4)
                    .component(0)
                    .non_empty()
                    .or_else(|| flight.as_deref().and_then(carrier_prefix));
                manifest.flights.push(FlightLeg {
                    carrier,
                    flight_number: flight,
                    ..FlightLeg::default()
                });
                let index = manifest.flights.len() - 1;
                legs.push(index);
                current_leg = Some(index);
            }
            "NAD" => {
                drafts.extend(draft.take());
                let qualifier = segment.text(0, 0);
                let role = match party_role(qualifier.trim()) {
                    Some(None) => continue,
                    Some(Some(role)) => role,
                    None => {
                        faults.fault(
                            segment.position(),
                            Some("NAD/3035"),
                            format!("unknown party qualifier \"{qualifier}\"; read as a traveller"),
                        )?;
                        default_role
                    }
                };
                if manifest.travellers.len() + drafts.len() >= MAX_TRAVELLERS {
                    return Err(FormatError::new(
                        segment.position(),
                        Some("NAD"),
                        format!("more than {MAX_TRAVELLERS} travellers: the manifest is refused"),
                    ));
                }
                draft = Some(start_traveller(segment, role, faults)?);
            }
            "CNT" => {
                drafts.extend(draft.take());
                let qualifier = segment.text(0, 0);
                let mut count = segment.text(0, 1);
                if count.is_empty() {
                    count = segment.text(1, 0);
                }
                let role = match qualifier.trim() {
                    "41" => TravellerRole::Crew,
                    "42" => TravellerRole::Passenger,
                    _ => continue,
                };
                match count.trim().parse::<u32>() {
                    Ok(n) => declared.push((*segment, role, n)),
                    Err(_) => faults.fault(
                        segment.position(),
                        Some("CNT/C270/6066"),
                        format!("count \"{count}\" is not a number"),
                    )?,
                }
            }
            _ => match draft.as_mut() {
                Some(draft) => read_traveller_segment(segment, draft, today, faults)?,
                None => read_leg_segment(segment, current_leg, manifest, today, faults)?,
            },
        }
    }
    drafts.extend(draft.take());
    let first_traveller = manifest.travellers.len();
    for draft in drafts {
        let traveller = draft.finish(&legs, &manifest.flights);
        manifest.travellers.push(traveller);
    }
    for (segment, role, count) in declared {
        let actual = manifest.travellers[first_traveller..]
            .iter()
            .filter(|t| match role {
                TravellerRole::Crew => t.role == TravellerRole::Crew,
                _ => t.role != TravellerRole::Crew,
            })
            .count();
        if actual != count as usize {
            faults.fault(
                segment.position(),
                Some("CNT/C270/6066"),
                format!(
                    "CNT says {count} {} but the message has {actual}",
                    if role == TravellerRole::Crew {
                        "crew members"
                    } else {
                        "passengers"
                    }
                ),
            )?;
        }
    }
    Ok(())
}

/// The airline designator at the start of a flight number (`AA123` -> `AA`).
fn carrier_prefix(flight: &str) -> Option<String> {
    let bytes = flight.as_bytes();
    if bytes.len() >= 3
        && bytes[..2].iter().all(u8::is_ascii_alphanumeric)
        && bytes[..2].iter().any(u8::is_ascii_alphabetic)
        && bytes[2..].iter().any(u8::is_ascii_digit)
    {
        Some(flight[..2].to_owned())
    } else {
        None
    }
}

fn read_leg_segment(
    segment: &Segment<'_>,
    current_leg: Option<usize>,
    manifest: &mut Manifest,
    today: NaiveDate,
    faults: &mut Faults,
) -> Result<(), FormatError> {
    let tag = segment.tag();
    if tag != "LOC" && tag != "DTM" {
        return Ok(());
    }
    let Some(leg) = current_leg.and_then(|i| manifest.flights.get_mut(i)) else {
        // Message-level locations and dates (before any TDT) say nothing about travellers.
        return Ok(());
    };
    let qualifier = segment.text(0, 0);
    match tag {
        "LOC" => {
            let place = segment.element(1).component(0).non_empty();
            match qualifier.trim() {
                "125" => leg.departure_airport = place,
                "87" => leg.arrival_airport = place,
                "92" => {
                    if leg.departure_airport.is_none() {
                        leg.departure_airport = place;
                    } else {
                        leg.arrival_airport = place;
                    }
                }
                // Places related to the flight that are not its ends (customs, clearance).
                "22" | "188" | "130" | "110" => {}
                other => faults.fault(
                    segment.position(),
                    Some("LOC/3227"),
                    format!("unknown location qualifier \"{other}\" in a flight leg"),
                )?,
            }
        }
        _ => {
            let value = segment.text(0, 1);
            let format = segment.text(0, 2);
            let parsed = || dates::dtm(&value, &format, DateKind::Other, today);
            match qualifier.trim() {
                "189" | "133" | "136" => match parsed() {
                    Some(time) => leg.departure_time = Some(time),
                    None => bad_date(faults, segment, &value)?,
                },
                "232" | "132" | "178" => match parsed() {
                    Some(time) => leg.arrival_time = Some(time),
                    None => bad_date(faults, segment, &value)?,
                },
                _ => {}
            }
        }
    }
    Ok(())
}

fn bad_date(faults: &mut Faults, segment: &Segment<'_>, value: &str) -> Result<(), FormatError> {
    faults.fault(
        segment.position(),
        Some("DTM/C507/2380"),
        format!("\"{value}\" is not a date in the format given"),
    )
}

fn start_traveller(
    segment: &Segment<'_>,
    role: TravellerRole,
    faults: &mut Faults,
) -> Result<Draft, FormatError> {
    let name = segment.element(3);
    let mut surname = name.component(0).non_empty().unwrap_or_default();
    let given: Vec<String> = (1..5)
        .filter_map(|i| name.component(i).non_empty())
        .collect();
    if surname.is_empty() {
        // Some senders put the name in the unstructured C058 instead.
        surname = segment
            .element(2)
            .components()
            .filter_map(|c| c.non_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    if surname.is_empty() && given.is_empty() {
        faults.fault(
            segment.position(),
            Some("NAD/C080/3036"),
            "traveller without a name",
        )?;
    }
    Ok(Draft {
        traveller: Traveller {
            position: segment.position(),
            role,
            surname,
            given_names: given.join(" "),
            birth_date: None,
            sex: None,
            nationality: None,
            country_of_residence: None,
            place_of_birth: None,
            documents: Vec::new(),
            legs: Vec::new(),
            reservation_ref: None,
            booking: None,
        },
        embarkation: None,
        debarkation: None,
        seat: None,
        bags_counted: None,
        bag_tags: 0,
        in_document: false,
    })
}

fn read_traveller_segment(
    segment: &Segment<'_>,
    draft: &mut Draft,
    today: NaiveDate,
    faults: &mut Faults,
) -> Result<(), FormatError> {
    let qualifier = segment.text(0, 0);
    let qualifier = qualifier.trim();
    let traveller = &mut draft.traveller;
    match segment.tag() {
        "ATT" if qualifier == "2" => {
            let value = segment.text(2, 0);
            // `M*M` (a repetition separator) and `MALE` both start with the code.
            match value.trim().chars().next().map(|c| c.to_ascii_uppercase()) {
                Some(c @ ('M' | 'F' | 'X')) => traveller.sex = Some(c),
                Some('U') => traveller.sex = Some('X'),
                None => {}
                Some(_) => faults.fault(
                    segment.position(),
                    Some("ATT/C956/9019"),
                    format!("unknown sex code \"{value}\""),
                )?,
            }
        }
        "DTM" => {
            let value = segment.text(0, 1);
            let format = segment.text(0, 2);
            match qualifier {
                "329" => match dates::dtm(&value, &format, DateKind::Birth, today) {
                    Some(date) => traveller.birth_date = Some(date.date()),
                    None => bad_date(faults, segment, &value)?,
                },
                "36" => {
                    let expiry = dates::dtm(&value, &format, DateKind::Other, today);
                    match (traveller.documents.last_mut(), expiry) {
                        (Some(document), Some(date)) if draft.in_document => {
                            document.expiry_date = Some(date.date());
                        }
                        (_, None) => bad_date(faults, segment, &value)?,
                        _ => faults.fault(
                            segment.position(),
                            Some("DTM/C507/2005"),
                            "expiry date without a DOC before it",
                        )?,
                    }
                }
                _ => {}
            }
        }
        "LOC" => {
            let place = segment.element(1).component(0).non_empty().or_else(|| {
                // LOC+180+:::Hartford USA: the place given by name only.
                segment.element(1).component(3).non_empty()
            });
            match qualifier {
                "178" => draft.embarkation = place,
                "179" => draft.debarkation = place,
                "174" => traveller.country_of_residence = place,
                "180" => traveller.place_of_birth = place,
                "91" => match traveller.documents.last_mut() {
                    Some(document) if draft.in_document => {
                        // A second LOC+91 (the state, then the country) refines the first.
                        if place.is_some() {
                            document.issuing_country = place;
                        }
                    }
                    _ => faults.fault(
                        segment.position(),
                        Some("LOC/3227"),
                        "document issuing place without a DOC before it",
                    )?,
                },
                "22" | "188" => {}
                other => faults.fault(
                    segment.position(),
                    Some("LOC/3227"),
                    format!("unknown location qualifier \"{other}\" for a traveller"),
                )?,
            }
        }
        "NAT" if qualifier == "2" || qualifier.is_empty() => {
            traveller.nationality = segment.element(1).component(0).non_empty();
        }
        "RFF" => {
            let value = segment.element(0).component(1).non_empty();
            match qualifier {
                "AVF" => traveller.reservation_ref = value,
                "SEA" => draft.seat = value,
                _ => {}
            }
        }
        "DOC" => {
            let code = segment
                .element(0)
                .component(0)
                .non_empty()
                .unwrap_or_default();
            let number = segment
                .element(1)
                .component(0)
                .non_empty()
                .unwrap_or_default();
            if number.is_empty() {
                faults.fault(
                    segment.position(),
                    Some("DOC/C503/1004"),
                    "document without a number",
                )?;
            }
            if code.is_empty() {
                faults.fault(
                    segment.position(),
                    Some("DOC/C002/1001"),
                    "document without a type code",
                )?;
            }
            traveller.documents.push(TravelDocument {
                kind: document_kind(&code),
                number,
                issuing_country: None,
                expiry_date: None,
            });
            draft.in_document = true;
        }
        "MEA" if qualifier == "CT" => {
            let count = segment.text(2, 1);
            let count = if count.is_empty() {
                segment.text(2, 0)
            } else {
                count
            };
            match count.trim().parse::<u32>() {
                Ok(n) => draft.bags_counted = Some(n),
                Err(_) => faults.fault(
                    segment.position(),
                    Some("MEA/C174/6314"),
                    format!("bag count \"{count}\" is not a number"),
                )?,
            }
        }
        "FTX" if qualifier == "BAG" => {
            // FTX+BAG+++2660009:2 is a tag number and how many consecutive tags follow it.
            let consecutive = segment.text(3, 1).trim().parse::<u32>().unwrap_or(1);
            draft.bag_tags = draft.bag_tags.saturating_add(consecutive.max(1));
        }
        _ => {}
    }
    Ok(())
}
