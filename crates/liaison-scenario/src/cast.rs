//! The planted cast: two criminal networks spanning every country (a trafficking ring and a drug-smuggling
//! ring, with organisers, couriers, shared phones and vehicles), fugitives, missing persons, victims of
//! passport theft and stolen blank passports. Each person is one identity, recorded in one or more
//! countries; outside the home country the record carries the variants a foreign file picks up.

use chrono::NaiveDate;
use liaison_matching::eval::rng::SplitMix64;
use liaison_matching::eval::romanize::{self, Scheme};

use crate::naming::{
    LatinName, compose_full, icao_upper, join, mailbox_part, romanize_name, romanize_token,
    usage_spelling, with_typo,
};
use crate::numbers::{
    COLOURS, DocSerial, MAKES, doc_serial, id_card_number, passport_number, phone, plate, vin,
};
use crate::population::{DocFacts, birth_date, format_address};
use crate::texts::{self, OPERATIONS};
use crate::world::{World, add_days, add_years, age};

/// Serial spaces of documents that belong to no resident slot.
pub(crate) const CAST_SPACE: usize = 27;
pub(crate) const BLANK_SPACE: usize = 28;
pub(crate) const VISITOR_SPACE: usize = 29;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Organiser,
    Lieutenant,
    Recruiter,
    Transporter,
    Forger,
    Launderer,
    Courier,
    Driver,
    Victim,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Lieutenant => "lieutenant",
            Role::Recruiter => "recruiter",
            Role::Transporter => "transporter",
            Role::Forger => "document_forger",
            Role::Launderer => "money_launderer",
            Role::Courier => "courier",
            Role::Driver => "driver",
            Role::Victim => "victim",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Member { network: usize, role: Role },
    Fugitive,
    Missing,
    TheftVictim,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Member {
                role: Role::Victim, ..
            } => "trafficking_victim",
            Kind::Member { .. } => "network_member",
            Kind::Fugitive => "fugitive",
            Kind::Missing => "missing_person",
            Kind::TheftVictim => "passport_theft_victim",
        }
    }
}

/// An alert one country holds on a planted person (or on their passport).
#[derive(Debug, Clone)]
pub(crate) struct PlantedAlert {
    pub category: &'static str,
    pub offences: Vec<&'static str>,
    pub action: &'static str,
    pub code: &'static str,
    /// Shared with the nodes of these countries only; empty means all partners.
    pub only: Vec<usize>,
    /// The alert is on the passport, not the person.
    pub on_passport: bool,
    pub issued: NaiveDate,
    pub expires: NaiveDate,
}

/// A name as one record writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WrittenName {
    pub full: String,
    pub given: String,
    pub family: String,
    pub patronymic: Option<String>,
    pub kind: &'static str,
}

/// One record of an identity in one country's file.
#[derive(Debug, Clone)]
pub(crate) struct Appearance {
    pub country: usize,
    /// Position in the country's file; set when slots are assigned.
    pub slot: usize,
    pub home: bool,
    pub names: Vec<WrittenName>,
    /// `1975`, `1975-03` or `1975-03-14`; `None` when the record has no date of birth.
    pub birth_date: Option<String>,
    pub variations: Vec<&'static str>,
    pub alerts: Vec<PlantedAlert>,
    /// The record notes the passport (as a document record).
    pub with_passport: bool,
    pub identifiers: Vec<(&'static str, String)>,
    /// Network vehicles recorded with this person: (vehicle index, relation kind).
    pub vehicles: Vec<(usize, &'static str)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub key: String,
    pub kind: Kind,
    pub home: usize,
    pub female: bool,
    pub given: Vec<&'static str>,
    pub family: Vec<&'static str>,
    pub patronymic: Option<&'static str>,
    pub dob: NaiveDate,
    pub birth_place: Option<&'static str>,
    pub passport: DocFacts,
    pub passport_number: String,
    pub id_card: Option<(DocFacts, String)>,
    /// The passport's Latin spelling.
    pub latin: LatinName,
    pub phone: String,
    pub shared_phones: Vec<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// For fugitives: the offence they are wanted for.
    pub offence: &'static str,
    pub appearances: Vec<Appearance>,
    /// Seed of everything drawn about the identity after its creation (bookings, name variants).
    pub seed: u64,
}

impl Identity {
    pub fn native_full(&self, world: &World) -> String {
        compose_full(
            world.profile(self.home),
            &self.given,
            self.patronymic,
            &self.family,
        )
    }

    pub fn sex(&self) -> &'static str {
        if self.female { "F" } else { "M" }
    }

    /// The name as the passport's machine-readable zone and the airline's API data write it.
    pub fn passport_upper(&self, world: &World) -> (String, String) {
        let expand = world.profile(self.home).expand_umlauts;
        (
            icao_upper(&self.latin.family_text(), expand),
            icao_upper(&self.latin.given_text(), expand),
        )
    }

    pub fn has_person_alert(&self) -> bool {
        self.appearances
            .iter()
            .any(|a| a.alerts.iter().any(|alert| !alert.on_passport))
    }

    pub fn role(&self) -> Option<Role> {
        match self.kind {
            Kind::Member { role, .. } => Some(role),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct NetVehicle {
    pub make: &'static str,
    pub model: &'static str,
    pub colour: &'static str,
    pub vin: String,
    pub plate: String,
    pub plate_country: usize,
    /// `registered` or `stolen`.
    pub status: &'static str,
    /// A concealed compartment: seizure alert in the lead country.
    pub concealment: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Network {
    pub key: String,
    /// `trafficking_in_persons` or `drug_smuggling`.
    pub kind: &'static str,
    pub operation: String,
    pub offences: Vec<&'static str>,
    /// The country that leads the joint investigation.
    pub lead: usize,
    pub members: Vec<usize>,
    pub phones: Vec<String>,
    pub vehicles: Vec<NetVehicle>,
}

/// Stolen blank passports of a country.
#[derive(Debug, Clone)]
pub(crate) struct Blank {
    pub key: String,
    pub country: usize,
    pub number: String,
    pub reported: NaiveDate,
    pub expires: NaiveDate,
}

#[derive(Debug)]
pub(crate) struct Cast {
    pub identities: Vec<Identity>,
    pub networks: Vec<Network>,
    pub blanks: Vec<Blank>,
}

struct Builder<'w> {
    world: &'w World,
    rng: SplitMix64,
    identities: Vec<Identity>,
}

impl Builder<'_> {
    fn k(&self) -> usize {
        self.world.countries.len()
    }

    fn country(&self, c: usize) -> usize {
        c % self.k()
    }

    fn identity(&mut self, kind: Kind, home: usize, female: bool, ages: (i64, i64)) -> usize {
        let world = self.world;
        let home = self.country(home);
        let index = self.identities.len();
        let mut rng = self.rng.fork(0x4944_0000 + index as u64);
        let profile = world.profile(home);
        let names = &world.names.locales[home];
        let s = usize::from(!female);
        let mut given: Vec<&'static str> = names.given[s].draw(&mut rng).into_iter().collect();
        if rng.chance(profile.second_given)
            && let Some(second) =
                names.given[if profile.script == "arabic" { 1 } else { s }].draw(&mut rng)
            && !given.contains(&second)
        {
            given.push(second);
        }
        let mut family: Vec<&'static str> = names.family[s].draw(&mut rng).into_iter().collect();
        if rng.chance(profile.second_family)
            && let Some(second) = names.family[s].draw(&mut rng)
            && !family.contains(&second)
        {
            family.push(second);
        }
        let patronymic = names.patronymic[s].draw(&mut rng);
        let years = rng.between(ages.0, ages.1);
        let dob = birth_date(&mut rng, world.today, years);
        let validity = if years < 23 { 5 } else { 10 };
        let issued = add_days(
            world.today,
            -(rng.below(validity as usize * 300) as i64) - 30,
        );
        let passport = DocFacts {
            serial: doc_serial(CAST_SPACE, index, DocSerial::Passport),
            issued,
            expires: add_days(add_years(issued, validity), -1),
            status: if kind == Kind::TheftVictim {
                "stolen"
            } else {
                "valid"
            },
        };
        let id_issued = add_days(world.today, -(rng.below(3000) as i64) - 30);
        let id_card = (years >= 16).then(|| {
            let facts = DocFacts {
                serial: doc_serial(CAST_SPACE, index, DocSerial::IdCard),
                issued: id_issued,
                expires: add_days(add_years(id_issued, 10), -1),
                status: "valid",
            };
            (facts, id_card_number(facts.serial, world.salt))
        });
        let latin = romanize_name(profile, &given, &family, Scheme::Passport, &mut rng);
        let email = (years >= 18 && rng.chance(0.6)).then(|| {
            format!(
                "{}{}{}@{}.example",
                latin
                    .given
                    .first()
                    .map(|g| mailbox_part(g))
                    .unwrap_or_default(),
                [".", "_", ""][rng.below(3)],
                latin
                    .family
                    .first()
                    .map(|f| mailbox_part(f))
                    .unwrap_or_default(),
                ["mail", "securemail", "post", "inbox"][rng.below(4)]
            )
        });
        let address = match (names.streets.pick(&mut rng), names.cities.pick(&mut rng)) {
            (Some(street), Some(city)) => Some(format_address(
                world,
                home,
                street,
                1 + rng.below(120) as u16,
                city,
            )),
            _ => None,
        };
        let identity = Identity {
            key: format!("i{:04}", index + 1),
            kind,
            home,
            female,
            given,
            family,
            patronymic,
            dob,
            birth_place: names.cities.pick(&mut rng),
            passport_number: passport_number(passport.serial, world.salt),
            passport,
            id_card,
            latin,
            phone: phone(50 + home, rng.below(10_000_000) as u64),
            shared_phones: Vec::new(),
            email,
            address,
            offence: texts::WANTED_OFFENCES[rng.below(texts::WANTED_OFFENCES.len())].0,
            appearances: Vec::new(),
            seed: rng.next_u64(),
        };
        self.identities.push(identity);
        index
    }

    /// Records the identity in `country` (once per country), returning the appearance's index.
    fn appear(&mut self, identity: usize, country: usize) -> usize {
        let country = self.country(country);
        let Some(id) = self.identities.get(identity) else {
            return 0;
        };
        if let Some(index) = id.appearances.iter().position(|a| a.country == country) {
            return index;
        }
        let appearance = if country == id.home {
            self.home_record(identity)
        } else {
            self.foreign_record(identity, country)
        };
        let Some(id) = self.identities.get_mut(identity) else {
            return 0;
        };
        id.appearances.push(appearance);
        id.appearances.len() - 1
    }

    fn alert(&mut self, identity: usize, country: usize, mut alert: PlantedAlert) {
        let index = self.appear(identity, country);
        let k = self.k();
        if alert.code == "H2" && k > 1 && alert.only.is_empty() {
            alert.only = (0..k).filter(|c| *c != self.country(country)).collect();
        }
        if let Some(a) = self
            .identities
            .get_mut(identity)
            .and_then(|id| id.appearances.get_mut(index))
        {
            a.alerts.push(alert);
        }
    }

    fn home_record(&mut self, identity: usize) -> Appearance {
        let world = self.world;
        let id = &self.identities[identity];
        let profile = world.profile(id.home);
        let mut names = vec![WrittenName {
            full: id.native_full(world),
            given: join(&id.given),
            family: join(&id.family),
            patronymic: id.patronymic.map(str::to_owned),
            kind: "primary",
        }];
        if !profile.latin() {
            names.push(WrittenName {
                full: id.latin.full(profile.family_first),
                given: id.latin.given_text(),
                family: id.latin.family_text(),
                patronymic: None,
                kind: "transliteration",
            });
        }
        let mut identifiers = vec![("phone", id.phone.clone())];
        identifiers.extend(id.shared_phones.iter().map(|p| ("phone", p.clone())));
        if let Some(email) = &id.email {
            identifiers.push(("email", email.clone()));
        }
        if let Some(address) = &id.address {
            identifiers.push(("address", address.clone()));
        }
        Appearance {
            country: id.home,
            slot: 0,
            home: true,
            names,
            birth_date: Some(crate::records::iso(id.dob)),
            variations: vec!["native_script"],
            alerts: Vec::new(),
            with_passport: true,
            identifiers,
            vehicles: Vec::new(),
        }
    }

    /// The identity as a foreign police file writes it: Latin letters in some romanisation (or the native
    /// script when both countries share it), with typos, swapped order and partial dates of birth.
    fn foreign_record(&mut self, identity: usize, country: usize) -> Appearance {
        let world = self.world;
        let id = &self.identities[identity];
        let mut rng = SplitMix64::new(id.seed).fork(0x464F_0000 + country as u64);
        let home = world.profile(id.home);
        let here = world.profile(country);
        let mut variations = Vec::new();
        let mut patronymic = None;
        let (mut given, mut family): (Vec<String>, Vec<String>) = if home.script == here.script {
            let fold = home.latin() && rng.chance(0.35);
            let write = |t: &&str| {
                if fold {
                    romanize::ascii_fold(t)
                } else {
                    (*t).to_owned()
                }
            };
            let given: Vec<String> = id.given.iter().map(write).collect();
            let family: Vec<String> = id.family.iter().map(write).collect();
            if fold
                && (given.join("") != id.given.join("") || family.join("") != id.family.join(""))
            {
                variations.push("diacritics_folded");
            } else {
                variations.push("as_written");
            }
            if id.patronymic.is_some() {
                if rng.chance(0.6) {
                    patronymic = id.patronymic.map(str::to_owned);
                } else {
                    variations.push("patronymic_dropped");
                }
            }
            (given, family)
        } else if home.latin() {
            variations.push("as_written");
            (
                id.given.iter().map(|t| (*t).to_owned()).collect(),
                id.family.iter().map(|t| (*t).to_owned()).collect(),
            )
        } else {
            if id.patronymic.is_some() {
                variations.push("patronymic_dropped");
            }
            let roll = rng.below(100);
            let scheme = match roll {
                0..=44 => Some(Scheme::Passport),
                45..=69 => Some(Scheme::Popular),
                70..=79 if here.id.starts_with("de") => Some(Scheme::German),
                70..=79 if here.id.starts_with("fr") => Some(Scheme::French),
                _ => None,
            };
            match scheme {
                Some(scheme) => {
                    variations.push(match scheme {
                        Scheme::Passport => "translit_icao",
                        Scheme::Popular => "translit_popular",
                        Scheme::German => "translit_german",
                        Scheme::French => "translit_french",
                    });
                    let latin = if scheme == Scheme::Passport {
                        id.latin.clone()
                    } else {
                        romanize_name(home, &id.given, &id.family, scheme, &mut rng)
                    };
                    (latin.given, latin.family)
                }
                None => {
                    let mut from_usage = false;
                    let mut spell = |t: &&str, family_role: bool| match usage_spelling(
                        world, home, t, &mut rng,
                    ) {
                        Some(latin) => {
                            from_usage = true;
                            latin
                        }
                        None => romanize_token(home, t, family_role, Scheme::Popular, &mut rng),
                    };
                    let given: Vec<String> = id.given.iter().map(|t| spell(t, false)).collect();
                    let family: Vec<String> = id.family.iter().map(|t| spell(t, true)).collect();
                    variations.push(if from_usage {
                        "translit_usage"
                    } else {
                        "translit_popular"
                    });
                    (given, family)
                }
            }
        };
        if rng.chance(0.18) {
            let target = if rng.chance(0.5) {
                &mut given
            } else {
                &mut family
            };
            if let Some(token) = target.first_mut() {
                let typed = with_typo(token, &mut rng);
                if typed != *token {
                    *token = typed;
                    variations.push("typo");
                }
            }
        }
        let swapped = rng.chance(0.12);
        if swapped {
            std::mem::swap(&mut given, &mut family);
            variations.push("swapped_order");
        }
        let given_text = given.join(" ");
        let family_text = family.join(" ");
        let latin_record = here.latin() || home.script != here.script;
        let full = if latin_record || !here.family_first {
            match &patronymic {
                Some(p) => format!("{given_text} {p} {family_text}"),
                None => format!("{given_text} {family_text}"),
            }
        } else {
            let given_refs: Vec<&str> = given.iter().map(String::as_str).collect();
            let family_refs: Vec<&str> = family.iter().map(String::as_str).collect();
            compose_full(here, &given_refs, None, &family_refs)
        };
        let mut names = vec![WrittenName {
            full,
            given: given_text,
            family: family_text,
            patronymic,
            kind: "primary",
        }];
        if home.script != here.script && !home.latin() && rng.chance(0.15) {
            names.push(WrittenName {
                full: id.native_full(world),
                given: join(&id.given),
                family: join(&id.family),
                patronymic: id.patronymic.map(str::to_owned),
                kind: "alias",
            });
            variations.push("native_alias");
        }
        let dob = id.dob;
        let full_date = crate::records::iso(dob);
        let birth_date = match rng.below(100) {
            0..=59 => Some(full_date),
            60..=71 => {
                variations.push("dob_year_month");
                Some(full_date[..7].to_owned())
            }
            72..=85 => {
                variations.push("dob_year_only");
                Some(full_date[..4].to_owned())
            }
            86..=91 => {
                variations.push("dob_missing");
                None
            }
            _ => {
                use chrono::Datelike;
                match NaiveDate::from_ymd_opt(dob.year(), dob.day(), dob.month()) {
                    Some(swapped) if dob.day() != dob.month() => {
                        variations.push("dob_day_month_swapped");
                        Some(crate::records::iso(swapped))
                    }
                    _ => Some(full_date),
                }
            }
        };
        let mut identifiers = Vec::new();
        if rng.chance(0.5) {
            identifiers.push(("phone", id.phone.clone()));
        }
        identifiers.extend(id.shared_phones.iter().map(|p| ("phone", p.clone())));
        Appearance {
            country,
            slot: 0,
            home: false,
            names,
            birth_date,
            variations,
            alerts: Vec::new(),
            with_passport: rng.chance(0.6),
            identifiers,
            vehicles: Vec::new(),
        }
    }

    fn person_alert(
        &self,
        category: &'static str,
        offences: Vec<&'static str>,
        days_ago: i64,
    ) -> PlantedAlert {
        let (action, code, years) = match category {
            "wanted_for_arrest" => (texts::ACTION_ARREST, "H0", 5),
            "missing_person" => (texts::ACTION_MISSING_ADULT, "H0", 3),
            "vulnerable_person" => (texts::ACTION_VICTIM, "H0", 3),
            "discreet_check" => (texts::ACTION_DISCREET, "H2", 1),
            "specific_check" => (texts::ACTION_SPECIFIC, "H2", 1),
            "inquiry_check" => (texts::ACTION_INQUIRY, "H1", 1),
            _ => (texts::ACTION_DISCREET, "H2", 1),
        };
        let issued = add_days(self.world.today, -days_ago);
        PlantedAlert {
            category,
            offences,
            action,
            code,
            only: Vec::new(),
            on_passport: false,
            issued,
            expires: add_years(issued, years),
        }
    }

    fn vehicle(
        &mut self,
        country: usize,
        index: usize,
        status: &'static str,
        van: bool,
    ) -> NetVehicle {
        let world = self.world;
        let make = if van {
            [3usize, 4, 9, 10][self.rng.below(4)]
        } else {
            self.rng.below(MAKES.len())
        };
        let (make_name, wmi, models) = MAKES[make];
        let model = if van {
            models.iter().copied().find(|m| {
                ["Sprinter", "Master", "Ducato", "Boxer", "Transit", "Vivaro"].contains(m)
            })
        } else {
            None
        }
        .or_else(|| self.rng.pick(models).copied())
        .unwrap_or_default();
        let slot = crate::numbers::SLOTS_PER_COUNTRY - 1 - index as u64;
        let serial = CAST_SPACE as u64 * crate::numbers::SLOTS_PER_COUNTRY + index as u64;
        NetVehicle {
            make: make_name,
            model,
            colour: COLOURS[self.rng.below(COLOURS.len())],
            vin: vin(
                wmi,
                serial,
                chrono::Datelike::year(&world.today) - 3 - self.rng.below(8) as i32,
                self.rng.next_u64(),
            ),
            plate: plate(country, slot, world.salt),
            plate_country: country,
            status,
            concealment: false,
        }
    }
}

/// Builds the cast of a scenario.
pub(crate) fn build(world: &World) -> Cast {
    let mut b = Builder {
        world,
        rng: world.rng(0x4341_5354),
        identities: Vec::new(),
    };
    let k = world.countries.len();
    let mut networks = Vec::new();
    let mut operations: Vec<&str> = OPERATIONS.to_vec();
    b.rng.shuffle(&mut operations);
    let mut vehicle_count = 0;

    // The trafficking ring.
    {
        let n = networks.len();
        let lead = b.rng.below(k);
        let organiser_home = b.rng.below(k);
        let mut members = Vec::new();
        let member =
            |b: &mut Builder<'_>, role: Role, home: usize, female: bool, ages: (i64, i64)| {
                b.identity(Kind::Member { network: n, role }, home, female, ages)
            };
        let organiser = member(&mut b, Role::Organiser, organiser_home, false, (38, 58));
        let female = b.rng.chance(0.3);
        let lieutenant = member(
            &mut b,
            Role::Lieutenant,
            organiser_home + 1,
            female,
            (30, 48),
        );
        let forger = member(&mut b, Role::Forger, lead + 2, false, (35, 60));
        members.extend([organiser, lieutenant, forger]);
        let control = phone(90 + n, b.rng.below(10_000_000) as u64);
        let transport = phone(90 + n, b.rng.below(10_000_000) as u64);
        for index in [organiser, lieutenant] {
            b.identities[index].shared_phones.push(control.clone());
        }
        let mut field = Vec::new();
        for c in 0..k {
            let role = if c % 2 == 0 {
                Role::Recruiter
            } else {
                Role::Transporter
            };
            let female = role == Role::Recruiter && b.rng.chance(0.4);
            let index = member(&mut b, role, c, female, (24, 45));
            b.identities[index].shared_phones.push(transport.clone());
            members.push(index);
            field.push(index);
        }
        if k == 1 {
            let index = member(&mut b, Role::Transporter, 0, false, (24, 45));
            b.identities[index].shared_phones.push(transport.clone());
            members.push(index);
            field.push(index);
        }
        let mut victims = Vec::new();
        for c in 0..k {
            let female = b.rng.chance(0.8);
            let index = member(&mut b, Role::Victim, c, female, (16, 26));
            members.push(index);
            victims.push(index);
        }
        // The first field member owns the van where their second record is.
        let van = b.vehicle(b.country(1), vehicle_count, "registered", true);
        let car = b.vehicle(
            b.country(organiser_home),
            vehicle_count + 1,
            "registered",
            false,
        );
        vehicle_count += 2;
        let offences = vec!["0204", "09051"];
        // Records and alerts.
        for &index in &[organiser, lieutenant, forger] {
            b.appear(index, b.identities[index].home);
            b.appear(index, lead);
        }
        b.appear(organiser, organiser_home + 2);
        let arrest = b.person_alert("wanted_for_arrest", offences.clone(), 20);
        b.alert(organiser, lead, arrest);
        if b.country(organiser_home) != lead {
            let check = b.person_alert("discreet_check", offences.clone(), 45);
            b.alert(organiser, organiser_home, check);
        }
        let check = b.person_alert("discreet_check", offences.clone(), 60);
        b.alert(lieutenant, lead, check);
        let arrest = b.person_alert("wanted_for_arrest", vec!["0702", "09051"], 120);
        b.alert(forger, lead, arrest);
        for (i, &index) in field.iter().enumerate() {
            let home = b.identities[index].home;
            let check = b.person_alert("discreet_check", offences.clone(), 30 + i as i64 * 7);
            b.alert(index, home, check);
            let second = b.appear(index, home + 1);
            if b.rng.chance(0.5) && b.country(home + 1) != home {
                let inquiry = b.person_alert("inquiry_check", offences.clone(), 14);
                b.alert(index, home + 1, inquiry);
            }
            if b.identities[index].role() == Some(Role::Transporter) || i == 0 {
                let kind = if i == 0 { "owner" } else { "uses" };
                if let Some(a) = b.identities[index].appearances.get_mut(second) {
                    a.vehicles.push((0, kind));
                }
                let first = b.appear(index, home);
                if let Some(a) = b.identities[index].appearances.get_mut(first) {
                    a.vehicles.push((0, "uses"));
                }
            }
        }
        let car_holder = b.appear(organiser, organiser_home);
        if let Some(a) = b.identities[organiser].appearances.get_mut(car_holder) {
            a.vehicles.push((1, "owner"));
        }
        for &index in &victims {
            let home = b.identities[index].home;
            let minor = age(b.identities[index].dob, world.today) < 18;
            let mut missing = b.person_alert("missing_person", Vec::new(), 40);
            if minor {
                missing.action = texts::ACTION_MISSING_MINOR;
            }
            b.alert(index, home, missing);
            if k > 1 {
                let victim = b.person_alert("vulnerable_person", vec!["0204"], 10);
                b.alert(index, home + 1, victim);
            }
        }
        networks.push(Network {
            key: format!("n{}", n + 1),
            kind: "trafficking_in_persons",
            operation: format!(
                "Operation {}",
                operations.first().copied().unwrap_or("Lantern")
            ),
            offences,
            lead,
            members,
            phones: vec![control, transport],
            vehicles: vec![van, car],
        });
    }

    // The drug-smuggling ring.
    {
        let n = networks.len();
        let lead = (networks.first().map(|x: &Network| x.lead).unwrap_or(0) + 1) % k;
        let organiser_home = b.rng.below(k);
        let member =
            |b: &mut Builder<'_>, role: Role, home: usize, female: bool, ages: (i64, i64)| {
                b.identity(Kind::Member { network: n, role }, home, female, ages)
            };
        let organiser = member(&mut b, Role::Organiser, organiser_home, false, (40, 62));
        let lieutenant = member(
            &mut b,
            Role::Lieutenant,
            organiser_home + 2,
            false,
            (28, 45),
        );
        let female = b.rng.chance(0.4);
        let launderer = member(&mut b, Role::Launderer, lead, female, (35, 60));
        let mut members = vec![organiser, lieutenant, launderer];
        let control = phone(90 + n, b.rng.below(10_000_000) as u64);
        let burner = phone(90 + n, b.rng.below(10_000_000) as u64);
        for index in [organiser, lieutenant, launderer] {
            b.identities[index].shared_phones.push(control.clone());
        }
        let mut couriers = Vec::new();
        let mut drivers = Vec::new();
        for c in 0..k.max(2) {
            let female = b.rng.chance(0.35);
            let index = member(&mut b, Role::Courier, c, female, (19, 40));
            b.identities[index].shared_phones.push(burner.clone());
            members.push(index);
            couriers.push(index);
            if c % 2 == 1 || k == 1 {
                let index = member(&mut b, Role::Driver, c, false, (25, 50));
                members.push(index);
                drivers.push(index);
            }
        }
        let mut compartment = b.vehicle(b.country(lead), vehicle_count, "registered", false);
        compartment.concealment = true;
        let stolen_in = b.country(lead + 1);
        let stolen = b.vehicle(stolen_in, vehicle_count + 1, "stolen", true);
        let offences = vec!["06012", "09051"];
        for &index in &[organiser, lieutenant, launderer] {
            b.appear(index, b.identities[index].home);
            b.appear(index, lead);
        }
        let arrest = b.person_alert("wanted_for_arrest", offences.clone(), 75);
        b.alert(organiser, lead, arrest);
        let check = b.person_alert("discreet_check", offences.clone(), 33);
        b.alert(lieutenant, lead, check);
        let inquiry = b.person_alert("inquiry_check", vec!["07041"], 90);
        b.alert(launderer, lead, inquiry);
        for (i, &index) in couriers.iter().enumerate() {
            let home = b.identities[index].home;
            let check = b.person_alert("discreet_check", offences.clone(), 12 + i as i64 * 5);
            b.alert(index, home, check);
            if b.rng.chance(0.5) {
                let specific = b.person_alert("specific_check", offences.clone(), 8);
                b.alert(index, home + 2, specific);
            } else {
                b.appear(index, home + 2);
            }
        }
        for (i, &index) in drivers.iter().enumerate() {
            let home = b.identities[index].home;
            let check = b.person_alert("discreet_check", offences.clone(), 21 + i as i64 * 3);
            b.alert(index, home, check);
            let at_home = b.appear(index, home);
            let vehicle = if i % 2 == 0 { 0 } else { 1 };
            if let Some(a) = b.identities[index].appearances.get_mut(at_home) {
                a.vehicles
                    .push((vehicle, if vehicle == 0 { "owner" } else { "uses" }));
            }
            let abroad = b.appear(index, lead);
            if let Some(a) = b.identities[index].appearances.get_mut(abroad) {
                a.vehicles.push((vehicle, "uses"));
            }
        }
        networks.push(Network {
            key: format!("n{}", n + 1),
            kind: "drug_smuggling",
            operation: format!(
                "Operation {}",
                operations.get(1).copied().unwrap_or("Harbour")
            ),
            offences,
            lead,
            members,
            phones: vec![control, burner],
            vehicles: vec![compartment, stolen],
        });
    }

    // Fugitives, missing persons, victims of passport theft.
    for c in 0..k {
        for f in 0..2 {
            let female = b.rng.chance(0.2);
            let index = b.identity(Kind::Fugitive, c, female, (22, 60));
            let offence = b.identities[index].offence;
            let arrest = b.person_alert("wanted_for_arrest", vec![offence], 30 + 50 * f);
            b.alert(index, c, arrest);
            if k > 1 {
                let elsewhere = c + 1 + b.rng.below(k - 1);
                if b.rng.chance(0.4) {
                    let inquiry = b.person_alert("inquiry_check", vec![offence], 9);
                    b.alert(index, elsewhere, inquiry);
                } else {
                    b.appear(index, elsewhere);
                }
            }
        }
        let female = b.rng.chance(0.6);
        let index = b.identity(Kind::Missing, c, female, (14, 40));
        let minor = age(b.identities[index].dob, world.today) < 18;
        let mut missing = b.person_alert("missing_person", Vec::new(), 25);
        if minor {
            missing.action = texts::ACTION_MISSING_MINOR;
        }
        b.alert(index, c, missing);
        for _ in 0..2 {
            let female = b.rng.chance(0.5);
            let index = b.identity(Kind::TheftVictim, c, female, (25, 70));
            let issued = add_days(world.today, -(5 + b.rng.below(200) as i64));
            let expires = add_years(b.identities[index].passport.expires, 5);
            b.alert(
                index,
                c,
                PlantedAlert {
                    category: "stolen_document",
                    offences: vec!["0502"],
                    action: texts::ACTION_STOLEN_DOCUMENT,
                    code: "H0",
                    only: Vec::new(),
                    on_passport: true,
                    issued,
                    expires,
                },
            );
        }
    }

    let mut blanks = Vec::new();
    for c in 0..k {
        for j in 0..3 {
            let serial = doc_serial(BLANK_SPACE, c * 16 + j, DocSerial::Passport);
            let reported = add_days(world.today, -(60 + b.rng.below(600) as i64));
            blanks.push(Blank {
                key: format!("b{:03}", blanks.len() + 1),
                country: c,
                number: passport_number(serial, world.salt),
                reported,
                expires: add_years(reported, 10),
            });
        }
    }
    Cast {
        identities: b.identities,
        networks,
        blanks,
    }
}
