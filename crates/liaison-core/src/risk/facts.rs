//! The facts about one traveller that risk criteria are evaluated on, and the derivation of the facts that
//! are computed from others (booking lead time, age, document expiry, via airports).

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Who a traveller is on the flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TravellerRole {
    Passenger,
    Crew,
    /// A passenger in transit through the airport of arrival.
    InTransit,
    /// An infant travelling on an adult's booking.
    Infant,
}

impl TravellerRole {
    /// Every role, in the order the documentation lists them.
    pub const ALL: [TravellerRole; 4] = [
        TravellerRole::Passenger,
        TravellerRole::Crew,
        TravellerRole::InTransit,
        TravellerRole::Infant,
    ];

    /// The spelling rules use (`passenger`, `crew`, `in_transit`, `infant`).
    pub fn as_str(self) -> &'static str {
        match self {
            TravellerRole::Passenger => "passenger",
            TravellerRole::Crew => "crew",
            TravellerRole::InTransit => "in_transit",
            TravellerRole::Infant => "infant",
        }
    }

    /// Parses the exact spelling of [`TravellerRole::as_str`].
    pub fn parse(text: &str) -> Option<TravellerRole> {
        TravellerRole::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// What is known about one traveller on one journey. Every fact may be missing: a rule that needs a missing
/// fact never fires on it. A list with no entries counts as missing, except `via`, which is known (and
/// empty for a direct flight) as soon as the route is.
///
/// Codes are compared without regard to ASCII case, so they may be stored as the message gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TravelFacts {
    /// IATA code of the airport of first departure of the traveller's itinerary.
    pub origin: Option<String>,
    /// IATA code of the airport of last arrival.
    pub destination: Option<String>,
    /// IATA codes of the airports between origin and destination, in order.
    pub via: Vec<String>,
    /// IATA codes of every airport of the itinerary, in order, origin and destination included.
    pub route: Vec<String>,
    /// Carrier code of the flight (`LH`).
    pub carrier: Option<String>,
    /// Flight number as given, with the carrier prefix when the message has it (`LH400`).
    pub flight_number: Option<String>,
    /// Scheduled departure of the first leg, local time as the message gives it.
    pub departure: Option<NaiveDateTime>,
    /// When the booking was made.
    pub booked_at: Option<NaiveDateTime>,
    /// Whole hours between booking and departure (derived; see [`TravelFacts::derive`]).
    pub booking_lead_hours: Option<i64>,
    /// Forms of payment as codes: `CA` cash, `CC` card, `MS` miscellaneous...
    pub payment_forms: Vec<String>,
    /// True when the itinerary does not return to its first departure airport.
    pub one_way: Option<bool>,
    /// Other travellers on the same booking.
    pub companions: Option<u32>,
    /// Checked bags.
    pub bags: Option<u32>,
    /// Seat as given (`12A`).
    pub seat: Option<String>,
    /// Travel agency or booking office.
    pub agency: Option<String>,
    /// Nationality, ISO 3166-1 alpha-3 or ICAO 9303 code.
    pub nationality: Option<String>,
    /// Issuing country of each travel document carried.
    pub document_issuing_countries: Vec<String>,
    /// ICAO 9303 kind of each travel document carried (`P`, `I`, `V`...).
    pub document_kinds: Vec<String>,
    /// Days from the departure date to the earliest document expiry; negative when a document has expired
    /// (derived).
    pub document_expiry_days: Option<i64>,
    /// Age in whole years on the departure date (derived).
    pub age_years: Option<u32>,
    pub role: Option<TravellerRole>,
}

impl TravelFacts {
    /// Computes every derived fact whose inputs are present and leaves the others as they are:
    ///
    /// - `origin`, `destination` and `via` from `route` (when the route has at least two airports and the
    ///   fact is not already set);
    /// - `booking_lead_hours` from `booked_at` and `departure` (a booking after departure is inconsistent
    ///   data and leaves the lead time missing rather than negative);
    /// - `age_years` from `birth_date` and the departure date (missing for a birth after departure);
    /// - `document_expiry_days` from the earliest of `document_expiries` and the departure date.
    ///
    /// Nothing reads the clock: "now" is the departure the facts carry.
    pub fn derive(&mut self, birth_date: Option<NaiveDate>, document_expiries: &[NaiveDate]) {
        if let [first, middle @ .., last] = self.route.as_slice() {
            if self.origin.is_none() {
                self.origin = Some(first.clone());
            }
            if self.destination.is_none() {
                self.destination = Some(last.clone());
            }
            if self.via.is_empty() {
                self.via = middle.to_vec();
            }
        }
        let Some(departure) = self.departure else {
            return;
        };
        if let Some(booked) = self.booked_at {
            let minutes = (departure - booked).num_minutes();
            if minutes >= 0 {
                self.booking_lead_hours = Some(minutes / 60);
            }
        }
        if let Some(birth) = birth_date {
            self.age_years = age_on(birth, departure.date());
        }
        if let Some(earliest) = document_expiries.iter().min() {
            self.document_expiry_days = Some((*earliest - departure.date()).num_days());
        }
    }
}

/// Whole years from `birth` to `day`; `None` when `day` comes before `birth`.
fn age_on(birth: NaiveDate, day: NaiveDate) -> Option<u32> {
    if day < birth {
        return None;
    }
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    let years = day.year() - birth.year() - i32::from(before_birthday);
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn derives_route_lead_time_age_and_expiry() {
        let mut facts = TravelFacts {
            route: vec!["LHR".into(), "IST".into(), "DXB".into(), "BKK".into()],
            departure: Some(at("2025-03-14 10:30")),
            booked_at: Some(at("2025-03-13 14:45")),
            ..TravelFacts::default()
        };
        facts.derive(
            Some(day("1990-03-15")),
            &[day("2025-09-01"), day("2025-03-20")],
        );
        assert_eq!(facts.origin.as_deref(), Some("LHR"));
        assert_eq!(facts.destination.as_deref(), Some("BKK"));
        assert_eq!(facts.via, vec!["IST".to_owned(), "DXB".to_owned()]);
        // 19 h 45 min is 19 whole hours.
        assert_eq!(facts.booking_lead_hours, Some(19));
        // The birthday is the day after departure.
        assert_eq!(facts.age_years, Some(34));
        assert_eq!(facts.document_expiry_days, Some(6));
    }

    #[test]
    fn inconsistent_or_absent_inputs_leave_facts_missing() {
        let mut facts = TravelFacts {
            departure: Some(at("2025-03-14 10:30")),
            booked_at: Some(at("2025-03-15 09:00")),
            ..TravelFacts::default()
        };
        facts.derive(Some(day("2026-01-01")), &[]);
        assert_eq!(facts.booking_lead_hours, None);
        assert_eq!(facts.age_years, None);
        assert_eq!(facts.document_expiry_days, None);

        let mut no_departure = TravelFacts {
            booked_at: Some(at("2025-03-15 09:00")),
            ..TravelFacts::default()
        };
        no_departure.derive(Some(day("1990-01-01")), &[day("2030-01-01")]);
        assert_eq!(
            no_departure,
            TravelFacts {
                booked_at: Some(at("2025-03-15 09:00")),
                ..TravelFacts::default()
            }
        );
    }

    #[test]
    fn expired_document_gives_negative_days_and_birthday_counts() {
        let mut facts = TravelFacts {
            departure: Some(at("2024-02-29 00:00")),
            ..TravelFacts::default()
        };
        facts.derive(Some(day("2000-02-29")), &[day("2024-02-19")]);
        assert_eq!(facts.age_years, Some(24));
        assert_eq!(facts.document_expiry_days, Some(-10));
    }

    #[test]
    fn roles_round_trip() {
        for role in TravellerRole::ALL {
            assert_eq!(TravellerRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(TravellerRole::parse("pilot"), None);
    }
}
