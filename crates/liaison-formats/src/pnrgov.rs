//! UN/EDIFACT PNRGOV (PNR data pushed by airlines to governments, versions 10.1 to 13.1) read into the
//! manifest model: one traveller per passenger of each PNR (infants included), with the PNR's booking facts
//! (record locator, booking date, payment, agency, contacts, one-way, companions) and its itinerary as
//! deduplicated legs in [`Manifest::flights`].
//!
//! A PNR (SRC group) is read in three sections: the booking and its passengers (TIF groups), the itinerary
//! (TVL groups, with check-in data), and the history (after ABI), which repeats past states and is skipped.
//! The mapping of every segment is written in `docs/formats.md`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::edifact::dates::{self, DateKind};
use crate::edifact::{Faults, Interchange, Message, Segment, read_interchange};
use crate::manifest::MAX_TRAVELLERS;
use crate::{
    Booking, FlightLeg, FormatError, Manifest, ManifestFormat, ParseOptions, Position,
    TravelDocument, Traveller, TravellerRole,
};

// Bounds on what one PNR may hold. Real PNRs stay far below them (a PNR has at most 99 names in the
// reservation systems); they keep a hostile input from costing quadratic time, or memory multiplied by the
// copy of the booking each passenger carries.
/// Passengers read from one PNR.
pub const MAX_PASSENGERS_PER_PNR: usize = 999;
/// Itinerary legs of one PNR.
pub const MAX_LEGS_PER_PNR: usize = 99;
/// Entries kept in each booking list (phones, e-mails, addresses, payment forms, tickets) and documents kept
/// per passenger.
pub const MAX_LIST_ENTRIES: usize = 16;
/// Characters kept of each booking list entry.
pub const MAX_ENTRY_CHARS: usize = 256;
/// SSR DOCS and infant notes waiting to be matched to a passenger at the end of a PNR.
const MAX_PENDING: usize = 999;

/// Reads a PNRGOV interchange. Tolerant mode reads what it can and lists the faults as warnings; strict
/// mode stops at the first fault.
pub fn parse(input: &[u8], options: &ParseOptions) -> Result<Manifest, FormatError> {
    let mut faults = Faults::new(options.strict);
    let interchange = read_interchange(input, options, &mut faults)?;
    let mut manifest = Manifest {
        format: ManifestFormat::Pnrgov,
        version: None,
        sender: interchange.sender.clone(),
        message_ref: None,
        flights: Vec::new(),
        travellers: Vec::new(),
        warnings: Vec::new(),
    };
    let mut legs = LegIndex::default();
    let mut read_any = false;
    for message in &interchange.messages {
        let Some(header) = interchange.header(message) else {
            continue;
        };
        if message.message_type != "PNRGOV" {
            faults.fault(
                header.position(),
                Some("UNH/S009/0065"),
                format!(
                    "message type {} is not PNRGOV; the message is skipped",
                    message.message_type
                ),
            )?;
            continue;
        }
        if !read_any {
            let version: Vec<&str> = message.version.split(':').take(2).collect();
            manifest.version = Some(format!("PNRGOV:{}", version.join(":")));
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
            &mut legs,
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
            "no PNRGOV message (UNH with message type PNRGOV) in the input",
        ));
    }
    manifest.warnings = faults.into_warnings();
    Ok(manifest)
}

/// Legs already in the manifest, so a flight named by several PNRs (and by the message header) is one leg.
#[derive(Debug, Default)]
struct LegIndex {
    by_key: HashMap<(String, String, String, String, Option<NaiveDate>), usize>,
}

impl LegIndex {
    fn add(&mut self, leg: FlightLeg, number: &str, flights: &mut Vec<FlightLeg>) -> usize {
        let key = (
            leg.carrier.clone().unwrap_or_default(),
            number.trim_start_matches('0').to_owned(),
            leg.departure_airport.clone().unwrap_or_default(),
            leg.arrival_airport.clone().unwrap_or_default(),
            leg.departure_time.map(|t| t.date()),
        );
        if let Some(&index) = self.by_key.get(&key) {
            // A later mention may know what an earlier one did not (times).
            if let Some(existing) = flights.get_mut(index) {
                if existing.arrival_time.is_none() {
                    existing.arrival_time = leg.arrival_time;
                }
                if existing.departure_time.is_none() {
                    existing.departure_time = leg.departure_time;
                }
            }
            return index;
        }
        flights.push(leg);
        let index = flights.len() - 1;
        self.by_key.insert(key, index);
        index
    }
}

/// A TVL read as a flight leg: `None` when it names no airports (non-air segments, operational repeats).
fn read_tvl(
    segment: &Segment<'_>,
    today: NaiveDate,
    faults: &mut Faults,
) -> Result<Option<(FlightLeg, String)>, FormatError> {
    let from = segment.element(1).component(0).non_empty();
    let to = segment.element(2).component(0).non_empty();
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(None);
    };
    let company = segment.element(3);
    let marketing = company.component(0).non_empty();
    let operating = company.component(1).non_empty();
    let carrier = operating.or(marketing);
    let number = segment.text(4, 0).trim().to_owned();
    let when = segment.element(0);
    let departure_date = when.component(0).text();
    let departure_time = when.component(1).text();
    let mut arrival_date = when.component(2).text().trim().to_owned();
    let mut arrival_time = when.component(3).text().trim().to_owned();
    // `280918:1220:1505` puts the arrival time where the arrival date belongs.
    if arrival_date.len() == 4 && arrival_time.is_empty() {
        arrival_time = std::mem::take(&mut arrival_date);
    }
    let mut departure = None;
    if !departure_date.trim().is_empty() {
        match dates::ddmmyy(&departure_date, DateKind::Other, today) {
            Some(date) => {
                let time = dates::time(&departure_time).unwrap_or(NaiveTime::MIN);
                departure = Some(date.and_time(time));
            }
            None => faults.fault(
                segment.position(),
                Some("TVL/C310/9916"),
                format!("departure date \"{departure_date}\" is not DDMMYY"),
            )?,
        }
    }
    let mut arrival = None;
    if !arrival_date.is_empty() {
        match dates::ddmmyy(&arrival_date, DateKind::Other, today) {
            Some(date) => {
                arrival = Some(date.and_time(dates::time(&arrival_time).unwrap_or(NaiveTime::MIN)));
            }
            None => faults.fault(
                segment.position(),
                Some("TVL/C310/9918"),
                format!("arrival date \"{arrival_date}\" is not DDMMYY"),
            )?,
        }
    } else if let (Some(departure), Some(time)) = (departure, dates::time(&arrival_time)) {
        // Arrival on the day of departure, or the next day when the clock says it lands earlier.
        let at = departure.date().and_time(time);
        arrival = if at < departure {
            at.checked_add_signed(Duration::days(1))
        } else {
            Some(at)
        };
    }
    let flight_number = (!number.is_empty()).then(|| match &carrier {
        Some(carrier) => format!("{carrier}{number}"),
        None => number.clone(),
    });
    Ok(Some((
        FlightLeg {
            carrier,
            flight_number,
            departure_airport: Some(from),
            departure_time: departure,
            arrival_airport: Some(to),
            arrival_time: arrival,
        },
        number,
    )))
}

fn read_message(
    interchange: &Interchange<'_>,
    message: &Message,
    today: NaiveDate,
    faults: &mut Faults,
    manifest: &mut Manifest,
    legs: &mut LegIndex,
) -> Result<(), FormatError> {
    let mut header_leg: Option<usize> = None;
    let mut pnr: Option<PnrDraft> = None;
    for segment in interchange.body(message) {
        if segment.tag() == "SRC" {
            if let Some(done) = pnr.take() {
                done.finish(header_leg, manifest, faults)?;
            }
            pnr = Some(PnrDraft::new(segment.position()));
            continue;
        }
        match pnr.as_mut() {
            Some(pnr) => pnr.read(segment, today, faults, manifest, legs, header_leg)?,
            None => {
                if segment.tag() == "TVL"
                    && header_leg.is_none()
                    && let Some((leg, number)) = read_tvl(segment, today, faults)?
                {
                    header_leg = Some(legs.add(leg, &number, &mut manifest.flights));
                }
            }
        }
    }
    if let Some(done) = pnr.take() {
        done.finish(header_leg, manifest, faults)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Booking facts and passengers (TIF groups).
    Booking,
    /// Air segments (TVL groups) with their check-in data.
    Itinerary,
    /// Non-air segments (after MSG inside a PNR): hotels, cars.
    NonAir,
    /// Past states of the PNR (after ABI): not the current booking.
    History,
}

/// The SSR DOCS free text: `/P/USA/548721687/USA/04JUL80/M/12JAN19/VANDENBERG/KEVIN/MICHAEL`.
#[derive(Debug, Clone, Default)]
struct Docs {
    kind: String,
    issuing_country: Option<String>,
    number: String,
    nationality: Option<String>,
    birth_date: Option<NaiveDate>,
    sex: Option<char>,
    infant: bool,
    expiry_date: Option<NaiveDate>,
    surname: String,
    given: Vec<String>,
}

#[derive(Debug)]
struct Passenger {
    position: Position,
    surname: String,
    given: String,
    reference: Option<String>,
    infant: bool,
    docs_name: Option<(String, String)>,
    birth_date: Option<NaiveDate>,
    sex: Option<char>,
    nationality: Option<String>,
    residence: Option<String>,
    place_of_birth: Option<String>,
    documents: Vec<TravelDocument>,
    seat: Option<String>,
    seat_on_header_flight: bool,
    bags: Option<u32>,
    tickets: Vec<String>,
    fare: Option<String>,
}

impl Passenger {
    fn new(position: Position, surname: String, given: String, infant: bool) -> Passenger {
        Passenger {
            position,
            surname,
            given,
            reference: None,
            infant,
            docs_name: None,
            birth_date: None,
            sex: None,
            nationality: None,
            residence: None,
            place_of_birth: None,
            documents: Vec::new(),
            seat: None,
            seat_on_header_flight: false,
            bags: None,
            tickets: Vec::new(),
            fare: None,
        }
    }

    fn apply_docs(&mut self, docs: &Docs) {
        if !docs.number.is_empty()
            && self.documents.len() < MAX_LIST_ENTRIES
            && !self
                .documents
                .iter()
                .any(|d| d.number == docs.number && d.kind == docs.kind)
        {
            self.documents.push(TravelDocument {
                kind: docs.kind.clone(),
                number: docs.number.clone(),
                issuing_country: docs.issuing_country.clone(),
                expiry_date: docs.expiry_date,
            });
        }
        if docs.birth_date.is_some() {
            self.birth_date = docs.birth_date;
        }
        if docs.sex.is_some() {
            self.sex = docs.sex;
        }
        if docs.nationality.is_some() {
            self.nationality = docs.nationality.clone();
        }
        if !docs.surname.is_empty() {
            self.docs_name = Some((docs.surname.clone(), docs.given.join(" ")));
        }
    }
}

/// A name reduced for comparing the spellings of TIF and SSRs: letters and digits of the surname, upper
/// case, and of the first given name.
#[derive(Debug)]
struct NameKey {
    surname: String,
    first_given: String,
    infant: bool,
}

impl NameKey {
    fn new(surname: &str, given: &str, infant: bool) -> NameKey {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect()
        };
        NameKey {
            surname: squash(surname),
            first_given: squash(given.split_whitespace().next().unwrap_or("")),
            infant,
        }
    }

    fn of(passenger: &Passenger) -> NameKey {
        NameKey::new(&passenger.surname, &passenger.given, passenger.infant)
    }

    /// Same surname, and one first given name starts the other (SSRs and TIF spell given names and
    /// titles differently).
    fn matches(&self, other: &NameKey) -> bool {
        self.infant == other.infant
            && self.surname == other.surname
            && (self.first_given.is_empty()
                || other.first_given.is_empty()
                || self.first_given.starts_with(&other.first_given)
                || other.first_given.starts_with(&self.first_given))
    }
}

/// Infant facts from SSR INFT or an infant's DOCS (sex `FI`/`MI`) on an adult's line.
#[derive(Debug)]
struct InfantNote {
    position: Position,
    surname: String,
    given: String,
    birth_date: Option<NaiveDate>,
    docs: Option<Docs>,
}

/// A PNR being read.
#[derive(Debug)]
struct PnrDraft {
    position: Position,
    section: Section,
    record_locator: Option<String>,
    created: Option<NaiveDateTime>,
    last_transaction: Option<NaiveDateTime>,
    agency: Option<String>,
    payment_forms: Vec<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    addresses: Vec<String>,
    legs: Vec<usize>,
    /// The airports of the TVL whose group is being read, for seats on the manifest's flight.
    current_route: Option<(String, String)>,
    passengers: Vec<Passenger>,
    current: Option<usize>,
    /// DOCS that named no passenger (no reference and no TIF before them).
    loose_docs: Vec<(Position, Docs)>,
    infants: Vec<InfantNote>,
    by_reference: HashMap<String, usize>,
    by_name: HashMap<(String, String, bool), usize>,
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if value.is_empty() || list.len() >= MAX_LIST_ENTRIES {
        return;
    }
    let value = match value.char_indices().nth(MAX_ENTRY_CHARS) {
        Some((end, _)) => value[..end].to_owned(),
        None => value,
    };
    if !list.contains(&value) {
        list.push(value);
    }
}

const TITLES: &[&str] = &[
    "MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "SIR", "LADY", "CAPT", "CHD", "INF",
];

/// Given names without the title airlines append (`ISABELLE MRS`, `KEVINMICHAELMR`). A title glued to the
/// name is removed only for the unambiguous MR, MRS, MSTR and MISS, and only when a name of two letters or
/// more is left (MS is left alone: too many names end with it).
fn strip_title(given: &str) -> String {
    let mut words: Vec<&str> = given.split_whitespace().collect();
    if words.len() > 1 && words.last().is_some_and(|w| TITLES.contains(w)) {
        words.pop();
    }
    let mut out = words.join(" ");
    if let Some(last) = words.last() {
        for title in ["MRS", "MSTR", "MISS", "MR"] {
            if last.len() >= title.len() + 2 && last.ends_with(title) {
                let keep = out.len() - title.len();
                out.truncate(keep);
                break;
            }
        }
    }
    out
}

/// The free text of an SSR (component 8 of C334, or the last one when a sender shifted it).
fn ssr_text(segment: &Segment<'_>) -> String {
    let element = segment.element(0);
    let text = element.component(8).text();
    if !text.trim().is_empty() {
        return text.into_owned();
    }
    element
        .components()
        .skip(4)
        .filter(|c| !c.is_empty())
        .last()
        .map(|c| c.text().into_owned())
        .unwrap_or_default()
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn parse_docs(
    text: &str,
    segment: &Segment<'_>,
    today: NaiveDate,
    faults: &mut Faults,
) -> Result<Docs, FormatError> {
    let text = text.strip_prefix('/').unwrap_or(text);
    let fields: Vec<&str> = text.split('/').map(str::trim).collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let mut docs = Docs {
        kind: field(0).to_owned(),
        issuing_country: non_empty(field(1)),
        number: field(2).to_owned(),
        // Some senders write 0 for an unknown nationality.
        nationality: non_empty(field(3)).filter(|n| n.chars().any(char::is_alphabetic)),
        surname: field(7).to_owned(),
        given: fields
            .iter()
            .skip(8)
            .filter(|f| !f.is_empty() && **f != "H")
            .map(|f| (*f).to_owned())
            .collect(),
        ..Docs::default()
    };
    if !field(4).is_empty() {
        docs.birth_date = dates::ddmmmyy(field(4), DateKind::Birth, today);
        if docs.birth_date.is_none() {
            faults.fault(
                segment.position(),
                Some("SSR DOCS date of birth"),
                format!("\"{}\" is not a date DDMMMYY", field(4)),
            )?;
        }
    }
    if !field(6).is_empty() {
        docs.expiry_date = dates::ddmmmyy(field(6), DateKind::Other, today);
        if docs.expiry_date.is_none() {
            faults.fault(
                segment.position(),
                Some("SSR DOCS expiry date"),
                format!("\"{}\" is not a date DDMMMYY", field(6)),
            )?;
        }
    }
    let sex = field(5).to_ascii_uppercase();
    docs.infant = sex.len() == 2 && sex.ends_with('I');
    docs.sex = match sex.chars().next() {
        Some(c @ ('M' | 'F' | 'X')) => Some(c),
        Some('U') => Some('X'),
        None => None,
        Some(_) => {
            faults.fault(
                segment.position(),
                Some("SSR DOCS gender"),
                format!("unknown gender code \"{sex}\""),
            )?;
            None
        }
    };
    Ok(docs)
}

/// `SURNAME/GIVEN 20SEP12` or `SURNAME/GIVEN/10AUG11` (SSR INFT).
fn parse_inft(text: &str, today: NaiveDate) -> Option<(String, String, Option<NaiveDate>)> {
    let mut parts = text.trim().trim_start_matches('/').split('/');
    let surname = parts.next()?.trim().to_owned();
    let rest: Vec<&str> = parts.flat_map(str::split_whitespace).collect();
    let mut birth = None;
    let mut given = Vec::new();
    for word in rest {
        match dates::ddmmmyy(word, DateKind::Birth, today) {
            Some(date) if birth.is_none() => birth = Some(date),
            _ => given.push(word),
        }
    }
    (!surname.is_empty()).then(|| (surname, given.join(" "), birth))
}

/// A contact in IATA SSR/OSI style: `CTCE JOHN..DOE//MAIL.COM` (e-mail with `//` for `@`, `..` for `_`,
/// `./` for `-`) or `CTCM 123456789` (phone; also `CTC M`, `CTCH`, `CTCB`, `CTCR`, `CTCT`, `CTCP`).
fn contact(text: &str) -> Option<(bool, String)> {
    let upper = text.to_ascii_uppercase();
    let at = upper.find("CTC")?;
    let rest = text.get(at + 3..)?.trim_start();
    let mut chars = rest.chars();
    let kind = chars.next()?.to_ascii_uppercase();
    let value = chars.as_str().trim();
    if value.is_empty() {
        return None;
    }
    if kind == 'E' {
        let email = value
            .replace("//", "@")
            .replace("..", "_")
            .replace("./", "-");
        Some((true, email))
    } else {
        Some((false, value.to_owned()))
    }
}

impl PnrDraft {
    fn new(position: Position) -> PnrDraft {
        PnrDraft {
            position,
            section: Section::Booking,
            record_locator: None,
            created: None,
            last_transaction: None,
            agency: None,
            payment_forms: Vec::new(),
            phones: Vec::new(),
            emails: Vec::new(),
            addresses: Vec::new(),
            legs: Vec::new(),
            current_route: None,
            passengers: Vec::new(),
            current: None,
            loose_docs: Vec::new(),
            infants: Vec::new(),
            by_reference: HashMap::new(),
            by_name: HashMap::new(),
        }
    }

    fn read(
        &mut self,
        segment: &Segment<'_>,
        today: NaiveDate,
        faults: &mut Faults,
        manifest: &mut Manifest,
        legs: &mut LegIndex,
        header_leg: Option<usize>,
    ) -> Result<(), FormatError> {
        match segment.tag() {
            "ABI" => {
                self.section = Section::History;
                self.current = None;
            }
            "MSG" if self.section != Section::History => {
                self.section = Section::NonAir;
                self.current = None;
            }
            _ if self.section == Section::History => {}
            "RCI" if self.record_locator.is_none() => self.read_rci(segment, today),
            "DAT" if self.section == Section::Booking => {
                for element in segment.elements() {
                    if element.component(0).text().trim() == "700" {
                        let date =
                            dates::ddmmyy(&element.component(1).text(), DateKind::Other, today);
                        let time =
                            dates::time(&element.component(2).text()).unwrap_or(NaiveTime::MIN);
                        self.last_transaction = date.map(|d| d.and_time(time));
                    }
                }
            }
            "ORG" if self.section == Section::Booking && self.agency.is_none() => {
                let agent: Vec<String> = segment
                    .element(1)
                    .components()
                    .filter_map(|c| c.non_empty())
                    .collect();
                let system: Vec<String> = segment
                    .element(0)
                    .components()
                    .filter_map(|c| c.non_empty())
                    .collect();
                let agency = if agent.is_empty() { system } else { agent };
                if !agency.is_empty() {
                    self.agency = Some(agency.join(" "));
                }
            }
            "ADD" if self.section == Section::Booking => self.read_add(segment),
            "IFT" if self.section == Section::Booking => self.read_ift(segment),
            "TIF" if self.section != Section::NonAir => self.read_tif(segment, faults)?,
            "SSR" if self.section != Section::NonAir => {
                self.read_ssr(segment, today, faults, manifest, header_leg)?;
            }
            "TKT" if self.section == Section::Booking => {
                if let (Some(p), Some(ticket)) = (
                    self.current_passenger(),
                    segment.element(0).component(0).non_empty(),
                ) {
                    push_unique(&mut p.tickets, ticket);
                }
            }
            "MON" if self.section == Section::Booking => {
                let total = segment
                    .elements()
                    .find(|e| e.component(0).text().trim() == "T")
                    .map(|e| {
                        format!(
                            "{} {}",
                            e.component(1).text().trim(),
                            e.component(2).text().trim()
                        )
                        .trim()
                        .to_owned()
                    });
                if let (Some(p), Some(total)) = (self.current_passenger(), total) {
                    p.fare = Some(total);
                }
            }
            "FOP" if self.section == Section::Booking => {
                for element in segment.elements() {
                    let kind = element.component(0).text().trim().to_owned();
                    let vendor = element.component(3).text().trim().to_owned();
                    let form = if vendor.is_empty() {
                        kind
                    } else {
                        format!("{kind} {vendor}")
                    };
                    push_unique(&mut self.payment_forms, form);
                }
            }
            "TVL" if self.section != Section::NonAir => {
                if let Some((leg, number)) = read_tvl(segment, today, faults)? {
                    let route = (
                        leg.departure_airport.clone().unwrap_or_default(),
                        leg.arrival_airport.clone().unwrap_or_default(),
                    );
                    if self.legs.len() >= MAX_LEGS_PER_PNR {
                        return faults.fault(
                            segment.position(),
                            Some("TVL"),
                            format!(
                                "more than {MAX_LEGS_PER_PNR} legs in one PNR; this one is ignored"
                            ),
                        );
                    }
                    let index = legs.add(leg, &number, &mut manifest.flights);
                    if !self.legs.contains(&index) {
                        self.legs.push(index);
                    }
                    self.current_route = Some(route);
                    self.section = Section::Itinerary;
                    self.current = None;
                }
            }
            "SSD" if self.section == Section::Itinerary => {
                let seat = segment.text(0, 0).trim().to_owned();
                let on_header = self.on_header_flight(manifest, header_leg);
                if let Some(p) = self.current_passenger() {
                    set_seat(p, &seat, on_header);
                }
            }
            "TBD" if self.section == Section::Itinerary => {
                let count = segment.text(1, 0);
                if let (Some(p), Ok(count)) =
                    (self.current_passenger(), count.trim().parse::<u32>())
                {
                    p.bags = Some(p.bags.map_or(count, |b| b.max(count)));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn current_passenger(&mut self) -> Option<&mut Passenger> {
        self.current.and_then(|i| self.passengers.get_mut(i))
    }

    fn on_header_flight(&self, manifest: &Manifest, header_leg: Option<usize>) -> bool {
        let Some(header) = header_leg.and_then(|i| manifest.flights.get(i)) else {
            return false;
        };
        self.current_route.as_ref().is_some_and(|(from, to)| {
            header.departure_airport.as_deref() == Some(from.as_str())
                && header.arrival_airport.as_deref() == Some(to.as_str())
        })
    }

    fn read_rci(&mut self, segment: &Segment<'_>, today: NaiveDate) {
        let control = segment.element(0);
        self.record_locator = control.component(1).non_empty();
        let mut date = control.component(3).text().trim().to_owned();
        let mut time = control.component(4).text().trim().to_owned();
        // `UA:7C789A:230818:1220` shifts the date and time one place left.
        let is_date = |text: &str| text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit());
        if !is_date(&date) {
            let shifted = control.component(2).text().trim().to_owned();
            if is_date(&shifted) {
                date = shifted;
                time = control.component(3).text().trim().to_owned();
            }
        }
        if let Some(day) = dates::ddmmyy(&date, DateKind::Other, today) {
            self.created = Some(day.and_time(dates::time(&time).unwrap_or(NaiveTime::MIN)));
        }
    }

    fn read_add(&mut self, segment: &Segment<'_>) {
        let address = segment.element(1);
        let parts: Vec<String> = [1, 2, 3, 4, 6, 5]
            .into_iter()
            .filter_map(|i| address.component(i).non_empty())
            .collect();
        if !parts.is_empty() {
            push_unique(&mut self.addresses, parts.join(", "));
        }
        if let Some(phone) = address.component(7).non_empty() {
            // `EK CTC M 5432109876`: a contact line where the phone number belongs.
            let phone = contact(&phone).map_or(phone, |(_, value)| value);
            push_unique(&mut self.phones, phone);
        }
    }

    fn read_ift(&mut self, segment: &Segment<'_>) {
        let qualifier = segment.text(0, 1);
        if qualifier.trim() == "43" {
            // Contact given as name, address, phone.
            if let Some(address) = segment.element(2).component(0).non_empty() {
                push_unique(&mut self.addresses, address);
            }
            if let Some(phone) = segment.element(3).component(0).non_empty() {
                push_unique(&mut self.phones, phone);
            }
            return;
        }
        let text: Vec<String> = segment
            .elements()
            .skip(1)
            .map(|e| e.text().into_owned())
            .collect();
        if let Some((email, value)) = contact(&text.join(" ")) {
            if email {
                push_unique(&mut self.emails, value);
            } else {
                push_unique(&mut self.phones, value);
            }
        }
    }

    fn read_tif(&mut self, segment: &Segment<'_>, faults: &mut Faults) -> Result<(), FormatError> {
        let surname = segment.text(0, 0).trim().to_owned();
        if segment.text(0, 1).trim() == "G" {
            // A group name (TIF+ACME TEAM PARTY:G), not a person.
            self.current = None;
            return Ok(());
        }
        let details = segment.element(1);
        let given = strip_title(details.component(0).text().trim());
        let infant = details.component(1).text().trim() == "IN";
        let reference = details.component(2).non_empty();
        let name_key = (surname.clone(), given.clone(), infant);
        let found = reference
            .as_ref()
            .and_then(|r| self.by_reference.get(r).copied())
            .or_else(|| {
                self.by_name.get(&name_key).copied().filter(|&i| {
                    // A namesake with another reference is another passenger.
                    self.passengers.get(i).is_some_and(|p| {
                        p.reference.is_none() || reference.is_none() || p.reference == reference
                    })
                })
            });
        if let Some(index) = found {
            self.current = Some(index);
            return Ok(());
        }
        if self.passengers.len() >= MAX_PASSENGERS_PER_PNR {
            self.current = None;
            return faults.fault(
                segment.position(),
                Some("TIF"),
                format!(
                    "more than {MAX_PASSENGERS_PER_PNR} passengers in one PNR; this one is ignored"
                ),
            );
        }
        if surname.is_empty() {
            faults.fault(
                segment.position(),
                Some("TIF/C322/9936"),
                "passenger without a surname",
            )?;
        }
        let index = self.passengers.len();
        if let Some(reference) = &reference {
            self.by_reference.entry(reference.clone()).or_insert(index);
        }
        self.by_name.entry(name_key).or_insert(index);
        let mut passenger = Passenger::new(segment.position(), surname, given, infant);
        passenger.reference = reference;
        self.passengers.push(passenger);
        self.current = Some(index);
        Ok(())
    }

    /// The passenger an SSR is about: by its traveller reference, else the TIF group it is in.
    fn ssr_passenger(&self, segment: &Segment<'_>) -> Option<usize> {
        let reference = segment.element(1).component(2).non_empty();
        match reference {
            Some(reference) => {
                self.by_reference
                    .get(&reference)
                    .copied()
                    .or(if self.section == Section::Booking {
                        self.current
                    } else {
                        None
                    })
            }
            None => self.current,
        }
    }

    fn read_ssr(
        &mut self,
        segment: &Segment<'_>,
        today: NaiveDate,
        faults: &mut Faults,
        manifest: &Manifest,
        header_leg: Option<usize>,
    ) -> Result<(), FormatError> {
        let code = segment.text(0, 0).trim().to_owned();
        match code.as_str() {
            "DOCS" => {
                let docs = parse_docs(&ssr_text(segment), segment, today, faults)?;
                if self.infants.len() + self.loose_docs.len() >= MAX_PENDING {
                    return faults.fault(
                        segment.position(),
                        Some("SSR DOCS"),
                        "too many travel documents waiting for their passenger; this one is ignored",
                    );
                }
                if docs.infant {
                    self.infants.push(InfantNote {
                        position: segment.position(),
                        surname: docs.surname.clone(),
                        given: docs.given.join(" "),
                        birth_date: docs.birth_date,
                        docs: Some(docs),
                    });
                    return Ok(());
                }
                match self.ssr_passenger(segment) {
                    Some(index) => {
                        if let Some(p) = self.passengers.get_mut(index) {
                            p.apply_docs(&docs);
                        }
                    }
                    None => self.loose_docs.push((segment.position(), docs)),
                }
            }
            "DOCO" => {
                // /place of birth/type/number/place of issue/date of issue/country of application
                let text = ssr_text(segment);
                let text = text.strip_prefix('/').unwrap_or(&text).to_owned();
                let fields: Vec<&str> = text.split('/').map(str::trim).collect();
                let field = |i: usize| fields.get(i).copied().unwrap_or("");
                if let Some(p) = self
                    .ssr_passenger(segment)
                    .and_then(|i| self.passengers.get_mut(i))
                {
                    if let Some(place) = non_empty(field(0)) {
                        p.place_of_birth = Some(place);
                    }
                    if !field(2).is_empty() && !p.documents.iter().any(|d| d.number == field(2)) {
                        p.documents.push(TravelDocument {
                            kind: field(1).to_owned(),
                            number: field(2).to_owned(),
                            issuing_country: non_empty(field(5)),
                            expiry_date: None,
                        });
                    }
                }
            }
            "DOCA" => {
                // /type (R residence, D destination)/country/street/city/state/postcode
                let text = ssr_text(segment);
                let text = text.strip_prefix('/').unwrap_or(&text).to_owned();
                let fields: Vec<&str> = text.split('/').map(str::trim).collect();
                let field = |i: usize| fields.get(i).copied().unwrap_or("");
                let address: Vec<&str> = [2, 3, 4, 5, 1]
                    .into_iter()
                    .map(field)
                    .filter(|f| !f.is_empty())
                    .collect();
                if !address.is_empty() {
                    push_unique(&mut self.addresses, address.join(", "));
                }
                if field(0) == "R"
                    && let Some(p) = self
                        .ssr_passenger(segment)
                        .and_then(|i| self.passengers.get_mut(i))
                {
                    p.residence = non_empty(field(1));
                }
            }
            "INFT" if self.infants.len() + self.loose_docs.len() < MAX_PENDING => {
                if let Some((surname, given, birth_date)) = parse_inft(&ssr_text(segment), today) {
                    self.infants.push(InfantNote {
                        position: segment.position(),
                        surname,
                        given,
                        birth_date,
                        docs: None,
                    });
                }
            }
            "SEAT" => {
                let element = segment.element(0);
                let from = element.component(6).text().trim().to_owned();
                let to = element.component(7).text().trim().to_owned();
                let on_header = header_leg
                    .and_then(|i| manifest.flights.get(i))
                    .is_some_and(|h| {
                        h.departure_airport.as_deref() == Some(from.as_str())
                            && h.arrival_airport.as_deref() == Some(to.as_str())
                    });
                for seat in segment.elements().skip(1) {
                    let number = seat.component(0).text().trim().to_owned();
                    let reference = seat.component(2).non_empty();
                    let index = match reference {
                        Some(reference) => self.by_reference.get(&reference).copied(),
                        None => self.current,
                    };
                    if let Some(p) = index.and_then(|i| self.passengers.get_mut(i)) {
                        set_seat(p, &number, on_header);
                    }
                }
            }
            other if other.starts_with("CTC") => {
                let text = format!("{other} {}", ssr_text(segment));
                if let Some((email, value)) = contact(&text) {
                    if email {
                        push_unique(&mut self.emails, value);
                    } else {
                        push_unique(&mut self.phones, value);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(
        mut self,
        header_leg: Option<usize>,
        manifest: &mut Manifest,
        faults: &mut Faults,
    ) -> Result<(), FormatError> {
        // DOCS that came before any TIF go to the passenger they name, else make one; infant notes go to the
        // infant they name, else make one. Names are compared on precomputed keys so this stays cheap.
        let mut keys: Vec<NameKey> = self.passengers.iter().map(NameKey::of).collect();
        for (position, docs) in std::mem::take(&mut self.loose_docs) {
            let given = docs.given.join(" ");
            let wanted = NameKey::new(&docs.surname, &given, false);
            match keys.iter().position(|k| k.matches(&wanted)) {
                Some(index) => {
                    if let Some(p) = self.passengers.get_mut(index) {
                        p.apply_docs(&docs);
                    }
                }
                None if !docs.surname.is_empty() => {
                    let mut p = Passenger::new(position, docs.surname.clone(), given, false);
                    p.apply_docs(&docs);
                    keys.push(NameKey::of(&p));
                    self.passengers.push(p);
                }
                None => faults.fault(
                    position,
                    Some("SSR DOCS"),
                    "travel document of an unnamed passenger (no TIF and no surname)",
                )?,
            }
        }
        for note in std::mem::take(&mut self.infants) {
            let wanted = NameKey::new(&note.surname, &note.given, true);
            let index = match keys.iter().position(|k| k.matches(&wanted)) {
                Some(index) => index,
                None => {
                    let given = strip_title(&note.given);
                    let p = Passenger::new(note.position, note.surname.clone(), given, true);
                    keys.push(NameKey::of(&p));
                    self.passengers.push(p);
                    self.passengers.len() - 1
                }
            };
            if let Some(p) = self.passengers.get_mut(index) {
                if let Some(docs) = &note.docs {
                    p.apply_docs(docs);
                }
                if p.birth_date.is_none() {
                    p.birth_date = note.birth_date;
                }
            }
        }
        let legs = if self.legs.is_empty() {
            header_leg.into_iter().collect()
        } else {
            self.legs.clone()
        };
        let one_way = self.one_way(manifest);
        let companions = u32::try_from(self.passengers.len().saturating_sub(1)).unwrap_or(u32::MAX);
        let booked_at = self.created.or(self.last_transaction);
        if self.passengers.is_empty() {
            faults.fault(
                self.position.clone(),
                Some("TIF"),
                "PNR without a passenger",
            )?;
        }
        if manifest.travellers.len() + self.passengers.len() > MAX_TRAVELLERS {
            return Err(FormatError::new(
                self.position.clone(),
                Some("TIF"),
                format!("more than {MAX_TRAVELLERS} travellers: the manifest is refused"),
            ));
        }
        for p in self.passengers {
            // The document's given names are the fuller ones (TIF glues names and titles); its surname is
            // kept only when it is the booking's, which senders wrap less often.
            let given_names = match p.docs_name {
                Some((surname, given))
                    if squashed_eq(&surname, &p.surname) && !given.is_empty() =>
                {
                    strip_title_words(&given)
                }
                _ => p.given,
            };
            let surname = p.surname;
            manifest.travellers.push(Traveller {
                position: p.position,
                role: if p.infant {
                    TravellerRole::Infant
                } else {
                    TravellerRole::Passenger
                },
                surname,
                given_names,
                birth_date: p.birth_date,
                sex: p.sex,
                nationality: p.nationality,
                country_of_residence: p.residence,
                place_of_birth: p.place_of_birth,
                documents: p.documents,
                legs: legs.clone(),
                reservation_ref: self.record_locator.clone(),
                booking: Some(Booking {
                    record_locator: self.record_locator.clone(),
                    booked_at,
                    payment_forms: self.payment_forms.clone(),
                    one_way,
                    agency: self.agency.clone(),
                    companions,
                    phones: self.phones.clone(),
                    emails: self.emails.clone(),
                    addresses: self.addresses.clone(),
                    bags: p.bags,
                    seat: p.seat,
                    tickets: p.tickets,
                    fare: p.fare,
                }),
            });
        }
        Ok(())
    }

    /// True when no leg of the itinerary comes back to where it started.
    fn one_way(&self, manifest: &Manifest) -> Option<bool> {
        let first = manifest.flights.get(*self.legs.first()?)?;
        let origin = first.departure_airport.as_deref()?;
        Some(
            !self
                .legs
                .iter()
                .filter_map(|&i| manifest.flights.get(i))
                .any(|leg| leg.arrival_airport.as_deref() == Some(origin)),
        )
    }
}

fn squashed_eq(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    squash(a).eq_ignore_ascii_case(&squash(b))
}

/// Each given name without a glued or separate title (`MOLLYMRS ZARA` -> `MOLLY ZARA`).
fn strip_title_words(given: &str) -> String {
    let words: Vec<&str> = given.split_whitespace().collect();
    let Some((first, rest)) = words.split_first() else {
        return String::new();
    };
    let mut out = vec![strip_title(first)];
    out.extend(
        rest.iter()
            .filter(|w| !TITLES.contains(w))
            .map(|w| (*w).to_owned()),
    );
    out.join(" ")
}

fn set_seat(passenger: &mut Passenger, seat: &str, on_header_flight: bool) {
    let seat = seat.trim();
    // XXX: no seat assigned yet.
    if seat.is_empty() || seat.eq_ignore_ascii_case("XXX") {
        return;
    }
    if passenger.seat.is_none() || (on_header_flight && !passenger.seat_on_header_flight) {
        passenger.seat = Some(seat.to_owned());
        passenger.seat_on_header_flight = on_header_flight;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_removed_from_given_names() {
        assert_eq!(strip_title("ISABELLE MRS"), "ISABELLE");
        assert_eq!(strip_title("KEVINMICHAELMR"), "KEVINMICHAEL");
        assert_eq!(strip_title("JACKIMRS"), "JACKI");
        assert_eq!(strip_title("AMR"), "AMR");
        assert_eq!(strip_title("WILLIAMS"), "WILLIAMS");
        assert_eq!(strip_title_words("MOLLYMRS ZARA"), "MOLLY ZARA");
    }

    #[test]
    fn contacts_decode_iata_email_spelling() {
        assert_eq!(
            contact("CTCE MOLLY..LOBB//GMAIL.COM"),
            Some((true, "MOLLY_LOBB@GMAIL.COM".to_owned()))
        );
        assert_eq!(
            contact("YY CTC M 123456789"),
            Some((false, "123456789".to_owned()))
        );
        assert_eq!(contact("THIS PASSENGER IS A VIP"), None);
    }

    #[test]
    fn infant_notes() {
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        assert_eq!(
            parse_inft("BELT/SOPHY 20SEP12", today),
            Some((
                "BELT".to_owned(),
                "SOPHY".to_owned(),
                NaiveDate::from_ymd_opt(2012, 9, 20)
            ))
        );
        assert_eq!(
            parse_inft("TESTSURNAMETWO/TESTNAMETWO/10AUG11", today).map(|i| i.2),
            Some(NaiveDate::from_ymd_opt(2011, 8, 10))
        );
    }
}
