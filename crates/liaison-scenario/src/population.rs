//! The ordinary residents of a country: every one a pure function of (seed, country, slot), so millions
//! can be streamed to a file without being kept, and a manifest can later bring back the very same person
//! (same passport, same phone) as an honest traveller.

use chrono::{Datelike, NaiveDate};
use liaison_matching::eval::rng::SplitMix64;
use liaison_matching::eval::romanize::Scheme;

use crate::naming::{LatinName, compose_full, join, mailbox_part, romanize_name};
use crate::numbers::{
    COLOURS, DocSerial, MAKES, doc_serial, id_card_number, passport_number, phone,
    phone_subscriber, plate, vin,
};
use crate::records::{
    self, AlertOut, DocumentOut, Handling, NameOut, PersonOut, Ref, RelationOut, Scope, VehicleOut,
};
use crate::texts::{self, WANTED_OFFENCES};
use crate::world::{World, add_days, add_years, age};

/// Counts of records written to one country's file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub persons: u64,
    pub documents: u64,
    pub vehicles: u64,
    pub alerts: u64,
    pub relations: u64,
    pub cases: u64,
}

impl RecordCounts {
    pub fn total(&self) -> u64 {
        self.persons + self.documents + self.vehicles + self.alerts + self.relations + self.cases
    }
}

/// A travel or identity document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocFacts {
    pub serial: u64,
    pub issued: NaiveDate,
    pub expires: NaiveDate,
    /// `valid`, `stolen`, `lost`.
    pub status: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VehicleFacts {
    pub make: usize,
    pub model: usize,
    pub colour: usize,
    pub model_year: i32,
    pub noise: u64,
    pub stolen: bool,
}

/// An alert a resident may be the subject of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResidentAlert {
    Wanted(usize),
    Missing,
    Discreet,
    Inquiry,
}

#[derive(Debug, Clone)]
pub(crate) struct Resident {
    /// The country whose file holds the resident.
    pub country: usize,
    pub slot: usize,
    pub nationality: usize,
    /// Locale of the names (the nationality's).
    pub locale: usize,
    pub female: bool,
    pub given: Vec<&'static str>,
    pub family: Vec<&'static str>,
    pub patronymic: Option<&'static str>,
    pub dob: NaiveDate,
    pub birth_place: Option<&'static str>,
    pub phone: Option<u64>,
    pub email: Option<u16>,
    pub address: Option<(&'static str, u16, &'static str)>,
    pub passport: Option<DocFacts>,
    pub id_card: Option<DocFacts>,
    pub vehicle: Option<VehicleFacts>,
    pub alert: Option<ResidentAlert>,
    /// Seed of the resident's romanisation, kept apart so it does not shift the other draws.
    latin_seed: u64,
}

fn document(
    rng: &mut SplitMix64,
    today: NaiveDate,
    serial: u64,
    validity: i32,
    theft: f64,
) -> DocFacts {
    let issued = add_days(
        today,
        -(rng.below(validity as usize * 365 + 700) as i64) - 1,
    );
    let expires = add_days(add_years(issued, validity), -1);
    let roll = rng.unit();
    let status = if roll < theft {
        "stolen"
    } else if roll < 2.0 * theft {
        "lost"
    } else {
        "valid"
    };
    DocFacts {
        serial,
        issued,
        expires,
        status,
    }
}

/// A date of birth for someone `age` years old on `today`.
pub(crate) fn birth_date(rng: &mut SplitMix64, today: NaiveDate, age: i64) -> NaiveDate {
    add_days(today, -(age * 365 + age / 4 + rng.below(365) as i64) - 1)
}

impl Resident {
    pub fn generate(world: &World, country: usize, slot: usize) -> Resident {
        let mut rng = world.rng(0x5245_5349 + country as u64).fork(slot as u64);
        let mut nationality = country;
        if world.countries.len() > 1 && rng.chance(0.04) {
            nationality =
                (country + 1 + rng.below(world.countries.len() - 1)) % world.countries.len();
        }
        let locale = nationality;
        let profile = world.profile(locale);
        let names = &world.names.locales[locale];
        let home = &world.names.locales[country];
        let female = rng.chance(0.5);
        let s = usize::from(!female);
        let mut given = Vec::with_capacity(2);
        given.extend(names.given[s].draw(&mut rng));
        if rng.chance(profile.second_given) {
            // Arabic-script names chain the father's given name.
            let pool = if profile.script == "arabic" {
                &names.given[1]
            } else {
                &names.given[s]
            };
            if let Some(second) = pool.draw(&mut rng)
                && !given.contains(&second)
            {
                given.push(second);
            }
        }
        let mut family = Vec::with_capacity(2);
        family.extend(names.family[s].draw(&mut rng));
        if rng.chance(profile.second_family)
            && let Some(second) = names.family[s].draw(&mut rng)
            && !family.contains(&second)
        {
            family.push(second);
        }
        let patronymic = names.patronymic[s].draw(&mut rng);
        let years = ((rng.unit() + rng.unit()) * 45.0) as i64;
        let dob = birth_date(&mut rng, world.today, years);
        let adult = years >= 18;
        let birth_place = if rng.chance(0.7) {
            names.cities.pick(&mut rng)
        } else {
            None
        };
        let phone =
            (adult && rng.chance(0.8)).then(|| phone_subscriber(slot, world.salt ^ country as u64));
        let email = (adult && rng.chance(0.35)).then(|| rng.below(100) as u16);
        let address = if rng.chance(0.9) {
            match (home.streets.pick(&mut rng), home.cities.pick(&mut rng)) {
                (Some(street), Some(city)) => Some((street, 1 + rng.below(180) as u16, city)),
                _ => None,
            }
        } else {
            None
        };
        let passport = rng.chance(if adult { 0.6 } else { 0.3 }).then(|| {
            document(
                &mut rng,
                world.today,
                doc_serial(country, slot, DocSerial::Passport),
                if years < 23 { 5 } else { 10 },
                0.003,
            )
        });
        let id_card = (nationality == country && years >= 14 && rng.chance(0.85)).then(|| {
            document(
                &mut rng,
                world.today,
                doc_serial(country, slot, DocSerial::IdCard),
                10,
                0.002,
            )
        });
        let vehicle = (adult && rng.chance(0.28)).then(|| {
            let make = rng.below(MAKES.len());
            VehicleFacts {
                make,
                model: rng.below(MAKES[make].2.len()),
                colour: rng.below(COLOURS.len()),
                model_year: world.today.year() - rng.below(20) as i32,
                noise: rng.next_u64(),
                stolen: rng.chance(0.01),
            }
        });
        let roll = rng.unit();
        let alert = if adult && roll < 0.0006 {
            Some(ResidentAlert::Wanted(rng.below(WANTED_OFFENCES.len())))
        } else if adult && roll < 0.0009 {
            Some(ResidentAlert::Discreet)
        } else if adult && roll < 0.0011 {
            Some(ResidentAlert::Inquiry)
        } else if roll > 1.0 - if adult { 0.0002 } else { 0.0008 } {
            Some(ResidentAlert::Missing)
        } else {
            None
        };
        Resident {
            country,
            slot,
            nationality,
            locale,
            female,
            given,
            family,
            patronymic,
            dob,
            birth_place,
            phone,
            email,
            address,
            passport,
            id_card,
            vehicle,
            alert,
            latin_seed: rng.next_u64(),
        }
    }

    /// The name as the resident's passport prints it in Latin letters.
    pub fn latin(&self, world: &World) -> LatinName {
        let mut rng = SplitMix64::new(self.latin_seed);
        romanize_name(
            world.profile(self.locale),
            &self.given,
            &self.family,
            Scheme::Passport,
            &mut rng,
        )
    }

    pub fn sex(&self) -> &'static str {
        if self.female { "F" } else { "M" }
    }

    pub fn phone_number(&self) -> Option<String> {
        self.phone.map(|s| phone(10 + self.country, s))
    }

    pub fn email_address(&self, world: &World, latin: &LatinName) -> Option<String> {
        let number = self.email?;
        let given = latin
            .given
            .first()
            .map(|g| mailbox_part(g))
            .unwrap_or_default();
        let family = latin
            .family
            .first()
            .map(|f| mailbox_part(f))
            .unwrap_or_default();
        let domain = ["mail", "post", "inbox", "web"][usize::from(number) % 4];
        Some(format!(
            "{given}.{family}{number:02}@{domain}.{}.example",
            world.code(self.country).to_ascii_lowercase()
        ))
    }

    pub fn passport_number(&self, world: &World) -> Option<String> {
        self.passport.map(|d| passport_number(d.serial, world.salt))
    }

    pub fn address_text(&self, world: &World) -> Option<String> {
        let (street, number, city) = self.address?;
        Some(format_address(world, self.country, street, number, city))
    }
}

/// A street address in the country's layout.
pub(crate) fn format_address(
    world: &World,
    country: usize,
    street: &str,
    number: u16,
    city: &str,
) -> String {
    use crate::locale::AddressStyle;
    match world.profile(country).address {
        AddressStyle::Russian => format!("{street}, д. {number}, {city}"),
        AddressStyle::NumberAfter => format!("{street} {number}, {city}"),
        AddressStyle::NumberBefore => format!("{number} {street}, {city}"),
        AddressStyle::Chinese => format!("{city}{street}{number}号"),
        AddressStyle::Korean => format!("{city} {street} {number}"),
    }
}

/// Reused buffers for writing residents.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    pid: String,
    id: String,
    id2: String,
    dob: String,
}

/// Writes a resident's records: the person, their documents, vehicle and its owner relation, and alerts.
pub(crate) fn write_resident(
    world: &World,
    r: &Resident,
    scratch: &mut Scratch,
    out: &mut String,
    counts: &mut RecordCounts,
) {
    let country = r.country;
    let profile = world.profile(r.locale);
    let code = world.code(country);
    let nationality = world.code(r.nationality);
    scratch.pid.clear();
    world.push_id(&mut scratch.pid, country, "p", r.slot, "");
    let full = compose_full(profile, &r.given, r.patronymic, &r.family);
    let given = join(&r.given);
    let family = join(&r.family);
    let latin = (r.passport.is_some() || r.email.is_some()).then(|| r.latin(world));
    let latin_texts = latin.as_ref().filter(|_| !profile.latin()).map(|l| {
        (
            l.full(profile.family_first),
            l.given_text(),
            l.family_text(),
        )
    });
    let mut names = Vec::with_capacity(2);
    names.push(NameOut {
        full: &full,
        given: Some(&given),
        family: Some(&family),
        patronymic: r.patronymic,
        kind: "primary",
    });
    if let Some((full, given, family)) = &latin_texts {
        names.push(NameOut {
            full,
            given: Some(given),
            family: Some(family),
            patronymic: None,
            kind: "transliteration",
        });
    }
    scratch.dob.clear();
    records::push_iso(&mut scratch.dob, r.dob);
    let phone = r.phone_number();
    let email = latin.as_ref().and_then(|l| r.email_address(world, l));
    let address = r.address_text(world);
    let mut identifiers: Vec<(&'static str, &str)> = Vec::with_capacity(3);
    if let Some(phone) = &phone {
        identifiers.push(("phone", phone));
    }
    if let Some(email) = &email {
        identifiers.push(("email", email));
    }
    if let Some(address) = &address {
        identifiers.push(("address", address));
    }
    let alert_expiry = add_years(world.today, 3);
    let (handling, retain) = if r.alert.is_some() {
        (Handling::PARTNERS, add_years(alert_expiry, 1))
    } else {
        (Handling::NATIONAL, add_years(world.today, 10))
    };
    records::person(
        out,
        &PersonOut {
            id: &scratch.pid,
            names: &names,
            birth_dates: &[&scratch.dob],
            birth_place: r.birth_place,
            sex: r.sex(),
            nationalities: &[nationality],
            identifiers: &identifiers,
            handling,
            retain_until: Some(world.retain(retain)),
        },
    );
    counts.persons += 1;
    for (facts, kind, suffix) in [(r.passport, "P", "p"), (r.id_card, "I", "i")] {
        let Some(facts) = facts else { continue };
        scratch.id.clear();
        world.push_id(&mut scratch.id, country, "d", r.slot, suffix);
        let number = if kind == "P" {
            passport_number(facts.serial, world.salt)
        } else {
            id_card_number(facts.serial, world.salt)
        };
        let reported = facts.status != "valid";
        records::document(
            out,
            &DocumentOut {
                id: &scratch.id,
                kind,
                number: &number,
                issuing_country: if kind == "P" { nationality } else { code },
                holder: Some(&scratch.pid),
                status: facts.status,
                issued: Some(facts.issued),
                expires: Some(facts.expires),
                handling: if reported {
                    Handling::PARTNERS
                } else {
                    Handling::NATIONAL
                },
                retain_until: Some(
                    world.retain(add_years(facts.expires, if reported { 10 } else { 1 })),
                ),
            },
        );
        counts.documents += 1;
        if reported {
            scratch.id2.clear();
            world.push_id(&mut scratch.id2, country, "a", r.slot, suffix);
            let stolen = facts.status == "stolen";
            let city = world.names.locales[country].cities.capital();
            let authority = texts::authority("stolen_document", city);
            let reported_on = add_days(world.today, -(r.slot as i64 % 700) - 1).max(facts.issued);
            records::alert(
                out,
                &AlertOut {
                    id: &scratch.id2,
                    category: if stolen {
                        "stolen_document"
                    } else {
                        "lost_document"
                    },
                    subject: Ref::Document(&scratch.id),
                    issuing_authority: &authority,
                    offences: if stolen { &["0502"] } else { &[] },
                    action: if stolen {
                        texts::ACTION_STOLEN_DOCUMENT
                    } else {
                        texts::ACTION_LOST_DOCUMENT
                    },
                    issued: reported_on,
                    expires: add_years(facts.expires, 5),
                    handling: Handling::PARTNERS,
                    retain_until: Some(world.retain(add_years(facts.expires, 10))),
                },
            );
            counts.alerts += 1;
        }
    }
    if let Some(v) = r.vehicle {
        let (make, wmi, models) = MAKES[v.make];
        scratch.id.clear();
        world.push_id(&mut scratch.id, country, "v", r.slot, "");
        let serial = country as u64 * crate::numbers::SLOTS_PER_COUNTRY + r.slot as u64;
        let vin = vin(wmi, serial, v.model_year, v.noise);
        let plate = plate(country, r.slot as u64, world.salt);
        let handling = if v.stolen {
            Handling::PARTNERS
        } else {
            Handling::NATIONAL
        };
        records::vehicle(
            out,
            &VehicleOut {
                id: &scratch.id,
                vin: &vin,
                plate: &plate,
                plate_country: code,
                make,
                model: models.get(v.model).copied().unwrap_or_default(),
                colour: COLOURS[v.colour],
                status: if v.stolen { "stolen" } else { "registered" },
                handling,
                retain_until: Some(world.retain(add_years(world.today, 10))),
            },
        );
        counts.vehicles += 1;
        scratch.id2.clear();
        world.push_id(&mut scratch.id2, country, "r", r.slot, "o");
        records::relation(
            out,
            &RelationOut {
                id: &scratch.id2,
                from: Ref::Person(&scratch.pid),
                to: Ref::Vehicle(&scratch.id),
                kind: "owner",
                source: "vehicle register",
                handling,
                retain_until: Some(world.retain(add_years(world.today, 10))),
            },
        );
        counts.relations += 1;
        if v.stolen {
            scratch.id2.clear();
            world.push_id(&mut scratch.id2, country, "a", r.slot, "v");
            let authority = texts::authority(
                "stolen_vehicle",
                world.names.locales[country].cities.capital(),
            );
            records::alert(
                out,
                &AlertOut {
                    id: &scratch.id2,
                    category: "stolen_vehicle",
                    subject: Ref::Vehicle(&scratch.id),
                    issuing_authority: &authority,
                    offences: &["05021"],
                    action: texts::ACTION_STOLEN_VEHICLE,
                    issued: add_days(world.today, -(r.slot as i64 % 400) - 1),
                    expires: add_years(world.today, 10),
                    handling: Handling::PARTNERS,
                    retain_until: Some(world.retain(add_years(world.today, 11))),
                },
            );
            counts.alerts += 1;
        }
    }
    if let Some(alert) = r.alert {
        scratch.id.clear();
        world.push_id(&mut scratch.id, country, "a", r.slot, "x");
        let (category, offences, action, handling): (&str, &[&str], &str, Handling<'_>) =
            match alert {
                ResidentAlert::Wanted(offence) => (
                    "wanted_for_arrest",
                    std::slice::from_ref(&WANTED_OFFENCES[offence % WANTED_OFFENCES.len()].0),
                    texts::ACTION_ARREST,
                    Handling::PARTNERS,
                ),
                ResidentAlert::Missing => (
                    "missing_person",
                    &[],
                    if age(r.dob, world.today) < 18 {
                        texts::ACTION_MISSING_MINOR
                    } else {
                        texts::ACTION_MISSING_ADULT
                    },
                    Handling::PARTNERS,
                ),
                ResidentAlert::Discreet => (
                    "discreet_check",
                    &["09051"],
                    texts::ACTION_DISCREET,
                    Handling {
                        code: "H2",
                        scope: Scope::Partners,
                    },
                ),
                ResidentAlert::Inquiry => (
                    "inquiry_check",
                    &["0701"],
                    texts::ACTION_INQUIRY,
                    Handling {
                        code: "H1",
                        scope: Scope::Partners,
                    },
                ),
            };
        let authority = texts::authority(category, world.names.locales[country].cities.capital());
        records::alert(
            out,
            &AlertOut {
                id: &scratch.id,
                category,
                subject: Ref::Person(&scratch.pid),
                issuing_authority: &authority,
                offences,
                action,
                issued: add_days(world.today, -(r.slot as i64 % 900) - 1),
                expires: alert_expiry,
                handling,
                retain_until: Some(world.retain(add_years(alert_expiry, 1))),
            },
        );
        counts.alerts += 1;
    }
}
