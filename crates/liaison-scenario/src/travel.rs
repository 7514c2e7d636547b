//! Flights between the countries and who is on them: honest residents (brought back from their country's
//! file, same passport and phone), the planted travellers (fugitives, couriers, victims with their
//! traffickers, impostors on stolen passports, wanted persons on personalised stolen blanks), and namesakes
//! of wanted persons who must not be stopped. Each traveller carries what the airline knows: the passport
//! data (API) and the booking (PNR), with the booking facts that risk analysis looks at.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use liaison_formats::mrz::{MrzFields, MrzFormat, generate};
use liaison_matching::eval::rng::SplitMix64;
use liaison_matching::eval::romanize::Scheme;

use crate::ScenarioError;
use crate::cast::{Cast, Identity, Kind, Role, VISITOR_SPACE};
use crate::naming::{icao_upper, romanize_name, with_typo};
use crate::numbers::{DocSerial, doc_serial, passport_number};
use crate::plant::CountryPlan;
use crate::population::Resident;
use crate::world::{World, add_days, add_years};

/// Why a traveller should or should not be hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A person alert (wanted, missing, check) names the traveller.
    WantedPerson,
    /// The document is reported stolen (or is a stolen blank).
    StolenDocument,
    /// Both.
    Both,
    /// No hit expected.
    Honest,
}

impl Expected {
    pub fn as_str(self) -> &'static str {
        match self {
            Expected::WantedPerson => "wanted_person",
            Expected::StolenDocument => "stolen_document",
            Expected::Both => "both",
            Expected::Honest => "honest",
        }
    }
}

/// Who a traveller really is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Who {
    Resident {
        country: usize,
        slot: usize,
    },
    Cast(usize),
    /// Someone in no file: a namesake, or the person an impostor pretends to be.
    Nobody,
}

#[derive(Debug, Clone)]
pub(crate) struct Traveller {
    /// As the passport and the API data write the name.
    pub surname: String,
    pub given: String,
    /// As the booking writes it.
    pub booked_surname: String,
    pub booked_given: String,
    pub sex: &'static str,
    pub dob: NaiveDate,
    pub nationality: String,
    pub doc_number: String,
    pub doc_issuer: String,
    pub doc_expiry: NaiveDate,
    pub seat: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub expected: Expected,
    pub who: Who,
    /// Stolen document: (country, blank index) or the theft victim's identity.
    pub document_source: Option<DocumentSource>,
    pub note: &'static str,
    pub mrz: Vec<String>,
    pub pnr: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocumentSource {
    Blank(usize),
    Stolen(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct Pnr {
    pub locator: String,
    pub booked: NaiveDateTime,
    pub one_way: bool,
    pub return_date: Option<NaiveDate>,
    /// `CC` with card vendor, `CA` cash, `IN` invoice.
    pub payment: &'static str,
    pub card_vendor: Option<&'static str>,
    pub amount: u32,
    /// Travel agency or `WEB`.
    pub agency: &'static str,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub travellers: Vec<usize>,
    /// The network whose journey this booking is.
    pub journey: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct Flight {
    pub number: String,
    pub carrier: String,
    /// `None`: a hub outside the scenario.
    pub from: Option<usize>,
    pub to: usize,
    pub departure_airport: String,
    pub arrival_airport: String,
    pub departure: NaiveDateTime,
    pub arrival: NaiveDateTime,
    pub travellers: Vec<Traveller>,
    pub pnrs: Vec<Pnr>,
}

impl Flight {
    /// The file name stem of its manifests: `AQ101-20261203`.
    pub fn stem(&self) -> String {
        format!("{}-{}", self.number, self.departure.format("%Y%m%d"))
    }
}

const HUB_AIRPORT: &str = "QZZ";
const AGENCIES: &[&str] = &["WEB", "WEB", "WEB", "SUNTOURS", "GLOBETRAVEL", "CITYTRAVEL"];
const SHADY_AGENCIES: &[&str] = &["EXPRESSTICKETS", "FASTFLY TRAVEL", "WEB"];
const CARDS: &[&str] = &["VI", "CA", "AX"];

struct Planner<'a> {
    world: &'a World,
    cast: &'a Cast,
    plans: &'a [CountryPlan],
    rng: SplitMix64,
    flights: Vec<Flight>,
    locators: BTreeSet<String>,
}

fn mrz_for(world: &World, t: &Traveller) -> Result<Vec<String>, ScenarioError> {
    let fields = MrzFields {
        format: MrzFormat::Td3,
        document_code: "P".to_owned(),
        issuing_state: t.doc_issuer.clone(),
        surname: t.surname.clone(),
        given_names: t.given.clone(),
        document_number: t.doc_number.clone(),
        nationality: t.nationality.clone(),
        birth_date: Some(t.dob),
        sex: t.sex.chars().next(),
        expiry_date: Some(t.doc_expiry),
        optional_data: String::new(),
        optional_data_2: String::new(),
    };
    let _ = world;
    generate(&fields).map_err(|e| ScenarioError::Generated {
        what: format!("machine-readable zone of {} {}", t.given, t.surname),
        reason: e.to_string(),
    })
}

impl Planner<'_> {
    fn locator(&mut self) -> String {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        loop {
            let locator: String = (0..6)
                .map(|_| char::from(CHARS[self.rng.below(CHARS.len())]))
                .collect();
            if self.locators.insert(locator.clone()) {
                return locator;
            }
        }
    }

    fn seat(&mut self, flight: usize) -> String {
        let row = 1 + self
            .flights
            .get(flight)
            .map(|f| f.travellers.len())
            .unwrap_or(0)
            / 6;
        format!("{row}{}", char::from(b'A' + self.rng.below(6) as u8))
    }

    fn add_pnr(&mut self, flight: usize, mut pnr: Pnr, travellers: Vec<Traveller>) {
        let Some(f) = self.flights.get_mut(flight) else {
            return;
        };
        let pnr_index = f.pnrs.len();
        for mut t in travellers {
            t.pnr = pnr_index;
            pnr.travellers.push(f.travellers.len());
            f.travellers.push(t);
        }
        f.pnrs.push(pnr);
    }

    fn booking(&mut self, flight: usize, urgent: bool, cash: bool) -> Pnr {
        let departure = self
            .flights
            .get(flight)
            .map(|f| f.departure)
            .unwrap_or_default();
        let days = if urgent {
            1 + self.rng.below(3) as i64
        } else {
            4 + self.rng.below(80) as i64
        };
        let booked =
            departure - Duration::days(days) - Duration::minutes(self.rng.below(1440) as i64);
        let one_way = if urgent {
            self.rng.chance(0.85)
        } else {
            self.rng.chance(0.2)
        };
        let payment = if cash {
            "CA"
        } else if self.rng.chance(0.9) {
            "CC"
        } else {
            "IN"
        };
        Pnr {
            locator: self.locator(),
            booked,
            one_way,
            return_date: (!one_way)
                .then(|| add_days(departure.date(), 3 + self.rng.below(20) as i64)),
            payment,
            card_vendor: (payment == "CC").then(|| CARDS[self.rng.below(CARDS.len())]),
            amount: 120 + self.rng.below(800) as u32,
            agency: if urgent {
                SHADY_AGENCIES[self.rng.below(SHADY_AGENCIES.len())]
            } else {
                AGENCIES[self.rng.below(AGENCIES.len())]
            },
            contact_phone: None,
            contact_email: None,
            travellers: Vec::new(),
            journey: None,
        }
    }

    /// An honest resident with a valid passport and no alert, from `country`'s file.
    fn honest_resident(
        &mut self,
        country: usize,
        taken: &mut BTreeSet<(usize, usize)>,
    ) -> Option<Resident> {
        let plan = self.plans.get(country)?;
        let departure = self.world.today;
        for _ in 0..40 {
            let slot = self.rng.below(plan.slots.max(1));
            if taken.contains(&(country, slot))
                || plan
                    .planted
                    .binary_search_by_key(&slot, |(s, _)| *s)
                    .is_ok()
            {
                continue;
            }
            let r = Resident::generate(self.world, country, slot);
            let ok = r.alert.is_none()
                && r.passport
                    .is_some_and(|p| p.status == "valid" && p.expires > add_days(departure, 30));
            if ok {
                taken.insert((country, slot));
                return Some(r);
            }
        }
        None
    }

    fn resident_traveller(&mut self, flight: usize, r: &Resident) -> Option<Traveller> {
        let passport = r.passport?;
        let latin = r.latin(self.world);
        let profile = self.world.profile(r.locale);
        let surname = icao_upper(&latin.family_text(), profile.expand_umlauts);
        let given = icao_upper(&latin.given_text(), profile.expand_umlauts);
        let (booked_surname, booked_given) = self.as_booked(&surname, &given, None);
        Some(Traveller {
            booked_surname,
            booked_given,
            surname,
            given,
            sex: r.sex(),
            dob: r.dob,
            nationality: self.world.code(r.nationality).to_owned(),
            doc_number: r.passport_number(self.world)?,
            doc_issuer: self.world.code(r.nationality).to_owned(),
            doc_expiry: passport.expires,
            seat: self.seat(flight),
            phone: r.phone_number(),
            email: r.email_address(self.world, &latin),
            expected: Expected::Honest,
            who: Who::Resident {
                country: r.country,
                slot: r.slot,
            },
            document_source: None,
            note: "",
            mrz: Vec::new(),
            pnr: 0,
        })
    }

    /// How the booking writes a name: mostly as in the passport, sometimes another romanisation, a typo, or
    /// given and family names swapped.
    fn as_booked(
        &mut self,
        surname: &str,
        given: &str,
        other: Option<(String, String)>,
    ) -> (String, String) {
        match self.rng.below(100) {
            0..=69 => (surname.to_owned(), given.to_owned()),
            70..=84 => match other {
                Some(pair) => pair,
                None => (surname.to_owned(), given.to_owned()),
            },
            85..=94 => (with_typo(surname, &mut self.rng), given.to_owned()),
            _ => (given.to_owned(), surname.to_owned()),
        }
    }

    fn cast_traveller(
        &mut self,
        flight: usize,
        index: usize,
        expected: Expected,
    ) -> Option<Traveller> {
        let identity: &Identity = self.cast.identities.get(index)?;
        let world = self.world;
        let (surname, given) = identity.passport_upper(world);
        let profile = world.profile(identity.home);
        let other = (!profile.latin()).then(|| {
            let mut rng = SplitMix64::new(identity.seed).fork(0x424F_4F4B);
            let popular = romanize_name(
                profile,
                &identity.given,
                &identity.family,
                Scheme::Popular,
                &mut rng,
            );
            (
                icao_upper(&popular.family_text(), false),
                icao_upper(&popular.given_text(), false),
            )
        });
        let (booked_surname, booked_given) = self.as_booked(&surname, &given, other);
        Some(Traveller {
            surname,
            given,
            booked_surname,
            booked_given,
            sex: identity.sex(),
            dob: identity.dob,
            nationality: world.code(identity.home).to_owned(),
            doc_number: identity.passport_number.clone(),
            doc_issuer: world.code(identity.home).to_owned(),
            doc_expiry: identity.passport.expires,
            seat: self.seat(flight),
            phone: Some(identity.phone.clone()),
            email: identity.email.clone(),
            expected,
            who: Who::Cast(index),
            document_source: None,
            note: "",
            mrz: Vec::new(),
            pnr: 0,
        })
    }

    /// Flight index from `from` to `to`, or any flight arriving in `to`.
    fn flight_between(&mut self, from: usize, to: usize) -> usize {
        if let Some(index) = self
            .flights
            .iter()
            .position(|f| f.from == Some(from) && f.to == to)
        {
            return index;
        }
        let arriving: Vec<usize> = (0..self.flights.len())
            .filter(|i| self.flights[*i].to == to)
            .collect();
        self.rng
            .pick(&arriving)
            .copied()
            .unwrap_or_else(|| self.rng.below(self.flights.len().max(1)))
    }

    fn random_flight(&mut self) -> usize {
        self.rng.below(self.flights.len().max(1))
    }
}

/// Plans every flight of a scenario with its travellers and bookings.
pub(crate) fn plan_flights(
    world: &World,
    cast: &Cast,
    plans: &[CountryPlan],
) -> Result<Vec<Flight>, ScenarioError> {
    let k = world.countries.len();
    let mut p = Planner {
        world,
        cast,
        plans,
        rng: world.rng(0x464C_4954),
        flights: Vec::new(),
        locators: BTreeSet::new(),
    };
    // A ring of flights c -> c+1, and one flight from the hub into every country.
    for c in 0..k {
        let routes: Vec<Option<usize>> = if k > 1 {
            vec![Some(c), None]
        } else {
            vec![None]
        };
        for from in routes {
            let to = if from.is_some() { (c + 1) % k } else { c };
            let carrier_country = from.unwrap_or(to);
            let Some(info) = world.countries.get(carrier_country) else {
                continue;
            };
            let day = 1 + p.rng.below(6) as i64;
            let minutes = 6 * 60 + p.rng.below(16 * 60) as i64;
            let departure =
                add_days(world.today, day).and_time(NaiveTime::MIN) + Duration::minutes(minutes);
            let arrival = departure + Duration::minutes(60 + p.rng.below(240) as i64);
            let departure_airport = match from {
                Some(f) => world.countries[f].airports[p.rng.below(2)].clone(),
                None => HUB_AIRPORT.to_owned(),
            };
            p.flights.push(Flight {
                number: format!(
                    "{}{}",
                    info.carrier,
                    100 + p.flights.len() * 2 + p.rng.below(2)
                ),
                carrier: info.carrier.clone(),
                from,
                to,
                departure_airport,
                arrival_airport: world.countries[to].airports[p.rng.below(2)].clone(),
                departure,
                arrival,
                travellers: Vec::new(),
                pnrs: Vec::new(),
            });
        }
    }
    let mut taken = BTreeSet::new();
    // Planted travellers first, so that honest ones fill around them.
    let mut blank_used = vec![false; cast.blanks.len()];
    for network in &cast.networks {
        let n = cast
            .networks
            .iter()
            .position(|x| x.key == network.key)
            .unwrap_or(0);
        let field: Vec<usize> = network
            .members
            .iter()
            .copied()
            .filter(|m| {
                matches!(
                    cast.identities.get(*m).and_then(Identity::role),
                    Some(Role::Transporter | Role::Recruiter | Role::Courier)
                )
            })
            .collect();
        let victims: Vec<usize> = network
            .members
            .iter()
            .copied()
            .filter(|m| cast.identities.get(*m).and_then(Identity::role) == Some(Role::Victim))
            .collect();
        // Trafficking: each victim flies out with a member of the ring on one booking paid in cash.
        for (v, &victim) in victims.iter().enumerate() {
            let Some(home) = cast.identities.get(victim).map(|i| i.home) else {
                continue;
            };
            let escort = field
                .iter()
                .copied()
                .find(|m| cast.identities.get(*m).is_some_and(|i| i.home == home))
                .or_else(|| field.get(v % field.len().max(1)).copied());
            let flight = p.flight_between(home, (home + 1) % k);
            let mut pnr = p.booking(flight, true, true);
            pnr.contact_phone = network.phones.first().cloned();
            pnr.journey = Some(n);
            let mut group = Vec::new();
            if let Some(escort) = escort
                && let Some(t) = p.cast_traveller(flight, escort, Expected::WantedPerson)
            {
                pnr.contact_email = t.email.clone();
                group.push(t);
            }
            if let Some(mut t) = p.cast_traveller(flight, victim, Expected::WantedPerson) {
                t.phone = None;
                t.email = None;
                t.note = "victim travelling with a member of the ring";
                group.push(t);
            }
            p.add_pnr(flight, pnr, group);
        }
        // Smuggling: couriers fly alone at short notice, one way, in cash; every third on a stolen blank
        // personalised in their own name.
        if network.kind == "drug_smuggling" {
            for (i, &courier) in field.iter().enumerate() {
                let Some(home) = cast.identities.get(courier).map(|i| i.home) else {
                    continue;
                };
                let flight = p.flight_between(home, (home + 1) % k);
                let cash = p.rng.chance(0.8);
                let mut pnr = p.booking(flight, true, cash);
                pnr.contact_phone = network.phones.get(1).cloned();
                pnr.journey = Some(n);
                let blank = (i % 3 == 0)
                    .then(|| {
                        (0..cast.blanks.len())
                            .find(|b| !blank_used[*b] && cast.blanks[*b].country == home)
                    })
                    .flatten();
                let expected = if blank.is_some() {
                    Expected::Both
                } else {
                    Expected::WantedPerson
                };
                if let Some(mut t) = p.cast_traveller(flight, courier, expected) {
                    pnr.contact_email = t.email.clone();
                    if let Some(b) = blank {
                        blank_used[b] = true;
                        t.doc_number = cast.blanks[b].number.clone();
                        t.doc_issuer = world.code(cast.blanks[b].country).to_owned();
                        t.doc_expiry = cast.blanks[b].expires;
                        t.document_source = Some(DocumentSource::Blank(b));
                        t.note = "stolen blank passport personalised in the courier's own name";
                    }
                    p.add_pnr(flight, pnr, vec![t]);
                }
            }
        }
    }
    for (index, identity) in cast.identities.iter().enumerate() {
        match identity.kind {
            Kind::Fugitive => {
                let flight = p.random_flight();
                let urgent = p.rng.chance(0.5);
                let cash = urgent && p.rng.chance(0.5);
                let mut pnr = p.booking(flight, urgent, cash);
                if let Some(mut t) = p.cast_traveller(flight, index, Expected::WantedPerson) {
                    t.note = "fugitive";
                    pnr.contact_phone = t.phone.clone();
                    pnr.contact_email = t.email.clone();
                    p.add_pnr(flight, pnr, vec![t]);
                }
            }
            Kind::Missing if p.rng.chance(0.5) => {
                let flight = p.random_flight();
                let mut pnr = p.booking(flight, false, false);
                if let Some(mut t) = p.cast_traveller(flight, index, Expected::WantedPerson) {
                    t.note = "missing person";
                    pnr.contact_phone = t.phone.clone();
                    p.add_pnr(flight, pnr, vec![t]);
                }
            }
            Kind::TheftVictim => {
                // An impostor travels on the stolen passport: as the holder (a look-alike) or under a
                // name written into the altered data page.
                let flight = p.random_flight();
                let pnr = p.booking(flight, true, true);
                if let Some(mut t) = p.cast_traveller(flight, index, Expected::StolenDocument) {
                    t.who = Who::Nobody;
                    t.phone = None;
                    t.email = None;
                    t.document_source = Some(DocumentSource::Stolen(index));
                    if p.rng.chance(0.5) {
                        t.note = "impostor resembling the holder of a stolen passport";
                    } else {
                        let other = fabricated_name(world, &mut p.rng, identity.home);
                        t.surname = other.0.clone();
                        t.given = other.1.clone();
                        t.booked_surname = other.0;
                        t.booked_given = other.1;
                        t.dob = add_days(t.dob, p.rng.between(-4000, 4000));
                        t.note = "stolen passport with an altered data page";
                    }
                    p.add_pnr(flight, pnr, vec![t]);
                }
            }
            _ => {}
        }
    }
    // One unused blank per country carries an invented identity.
    for c in 0..k {
        let Some(b) =
            (0..cast.blanks.len()).find(|b| !blank_used[*b] && cast.blanks[*b].country == c)
        else {
            continue;
        };
        blank_used[b] = true;
        let flight = p.random_flight();
        let pnr = p.booking(flight, true, true);
        let (surname, given) = fabricated_name(world, &mut p.rng, c);
        let female = p.rng.chance(0.4);
        let years = p.rng.between(20, 50);
        let dob = crate::population::birth_date(&mut p.rng, world.today, years);
        let seat = p.seat(flight);
        let t = Traveller {
            booked_surname: surname.clone(),
            booked_given: given.clone(),
            surname,
            given,
            sex: if female { "F" } else { "M" },
            dob,
            nationality: world.code(c).to_owned(),
            doc_number: cast.blanks[b].number.clone(),
            doc_issuer: world.code(c).to_owned(),
            doc_expiry: cast.blanks[b].expires,
            seat,
            phone: None,
            email: None,
            expected: Expected::StolenDocument,
            who: Who::Nobody,
            document_source: Some(DocumentSource::Blank(b)),
            note: "stolen blank passport with an invented identity",
            mrz: Vec::new(),
            pnr: 0,
        };
        p.add_pnr(flight, pnr, vec![t]);
    }
    // Namesakes of wanted persons (same name, another date of birth and passport) and the honest crowd.
    let wanted: Vec<usize> = cast
        .identities
        .iter()
        .enumerate()
        .filter(|(_, i)| i.has_person_alert())
        .map(|(index, _)| index)
        .collect();
    let mut visitor = 0usize;
    for f in 0..p.flights.len() {
        if p.rng.chance(0.4)
            && let Some(&w) = p.rng.pick(&wanted)
            && let Some(mut t) = p.cast_traveller(f, w, Expected::Honest)
        {
            let shift = p.rng.between(6, 25) * 365 + p.rng.between(1, 300);
            t.dob = add_days(t.dob, if p.rng.chance(0.5) { shift } else { -shift });
            let serial = doc_serial(VISITOR_SPACE, visitor, DocSerial::Passport);
            visitor += 1;
            t.doc_number = passport_number(serial, world.salt);
            t.doc_expiry = add_years(world.today, 1 + p.rng.below(9) as i32);
            t.phone = None;
            t.email = None;
            t.who = Who::Nobody;
            t.note = "namesake of a wanted person: other date of birth and passport";
            let pnr = p.booking(f, false, false);
            p.add_pnr(f, pnr, vec![t]);
        }
        let (from, to) = (p.flights[f].from, p.flights[f].to);
        let crowd = 40 + p.rng.below(80);
        let mut seated = 0;
        while seated < crowd {
            let group_size = match p.rng.below(10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            };
            let mut group = Vec::new();
            let mut pnr = p.booking(f, false, false);
            for _ in 0..group_size {
                let roll = p.rng.below(100);
                let country = match (from, roll) {
                    (Some(from), 0..=64) => from,
                    (_, 0..=89) => to,
                    _ => p.rng.below(k),
                };
                let Some(r) = p.honest_resident(country, &mut taken) else {
                    continue;
                };
                if let Some(t) = p.resident_traveller(f, &r) {
                    if pnr.contact_phone.is_none() {
                        pnr.contact_phone = t.phone.clone();
                        pnr.contact_email = t.email.clone();
                    }
                    group.push(t);
                }
            }
            seated += group_size;
            if !group.is_empty() {
                p.add_pnr(f, pnr, group);
            }
        }
        // Network bookings use the network's phone; a courier's own phone is on the booking too sometimes.
        let flight = &mut p.flights[f];
        let order = shuffle_order(&mut p.rng, flight.travellers.len());
        reorder(flight, &order);
    }
    for flight in &mut p.flights {
        // Seats in check-in order, companions next to each other where the row allows.
        let mut order: Vec<usize> = flight
            .pnrs
            .iter()
            .flat_map(|pnr| pnr.travellers.iter().copied())
            .collect();
        order.sort_by_key(|t| flight.travellers.get(*t).map(|x| x.pnr).unwrap_or(0));
        let first_row = 3 + p.rng.below(5);
        for (seat, t) in order.into_iter().enumerate() {
            if let Some(traveller) = flight.travellers.get_mut(t) {
                traveller.seat = format!(
                    "{}{}",
                    first_row + seat / 6,
                    char::from(b'A' + (seat % 6) as u8)
                );
            }
        }
        for t in &mut flight.travellers {
            t.mrz = mrz_for(world, t)?;
        }
    }
    Ok(p.flights)
}

fn shuffle_order(rng: &mut SplitMix64, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    order
}

/// Puts travellers in a new order (a manifest lists them by check-in, not by booking), fixing the
/// booking's indices.
fn reorder(flight: &mut Flight, order: &[usize]) {
    let old = std::mem::take(&mut flight.travellers);
    let mut position = vec![0; old.len()];
    for (new, &previous) in order.iter().enumerate() {
        position[previous] = new;
    }
    let mut slots: Vec<Option<Traveller>> = old.into_iter().map(Some).collect();
    for &previous in order {
        if let Some(t) = slots.get_mut(previous).and_then(Option::take) {
            flight.travellers.push(t);
        }
    }
    for pnr in &mut flight.pnrs {
        for t in &mut pnr.travellers {
            *t = position.get(*t).copied().unwrap_or(*t);
        }
        pnr.travellers.sort_unstable();
    }
}

/// A name in the passport style of `country` for someone in no file.
fn fabricated_name(world: &World, rng: &mut SplitMix64, country: usize) -> (String, String) {
    let names = &world.names.locales[country];
    let profile = world.profile(country);
    let s = rng.below(2);
    let given: Vec<&str> = names.given[s].draw(rng).into_iter().collect();
    let family: Vec<&str> = names.family[s].draw(rng).into_iter().collect();
    let latin = romanize_name(profile, &given, &family, Scheme::Passport, rng);
    (
        icao_upper(&latin.family_text(), profile.expand_umlauts),
        icao_upper(&latin.given_text(), profile.expand_umlauts),
    )
}
