//! The fields a rule may name: their spelling, type, meaning and unit, and how each is read from
//! [`TravelFacts`]. One table serves the parser, the error messages and the documentation.

use chrono::Timelike;

use super::facts::TravelFacts;

/// What kind of value a field holds, which decides the operators it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// One code or short text; compared without regard to ASCII case.
    Text,
    /// A list of codes; a comparison holds when it holds for some entry.
    TextList,
    /// A whole number.
    Number,
    /// True or false.
    Flag,
    /// One of `passenger`, `crew`, `in_transit`, `infant`.
    Role,
}

impl FieldKind {
    /// How error messages and documentation name the kind.
    pub fn describe(self) -> &'static str {
        match self {
            FieldKind::Text => "a code",
            FieldKind::TextList => "a list of codes",
            FieldKind::Number => "a whole number",
            FieldKind::Flag => "true or false",
            FieldKind::Role => "a traveller role",
        }
    }
}

/// One field of the rule language, as documentation and user interfaces show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldInfo {
    pub name: &'static str,
    pub kind: FieldKind,
    /// What the field means, with its unit where it has one.
    pub meaning: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Origin,
    Destination,
    Via,
    Route,
    Carrier,
    FlightNumber,
    DepartureHour,
    BookingLeadHours,
    Payment,
    OneWay,
    Companions,
    Bags,
    Seat,
    Agency,
    Nationality,
    DocumentIssuingCountry,
    DocumentKind,
    DocumentExpiryDays,
    Age,
    Role,
}

/// Which literal values a field accepts, checked when the rule is read so a typo cannot make a rule that
/// silently never fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiteralCheck {
    Any,
    /// Three capital letters.
    Airport,
    /// A code [`crate::CountryCode::parse`] accepts.
    Country,
    /// A [`super::TravellerRole`] spelling.
    Role,
}

const TABLE: [(Field, FieldInfo); 20] = [
    (
        Field::Origin,
        info(
            "origin",
            FieldKind::Text,
            "IATA code of the airport of first departure of the traveller's itinerary",
        ),
    ),
    (
        Field::Destination,
        info(
            "destination",
            FieldKind::Text,
            "IATA code of the airport of last arrival of the traveller's itinerary",
        ),
    ),
    (
        Field::Via,
        info(
            "via",
            FieldKind::TextList,
            "IATA codes of the airports between origin and destination (empty for a direct flight)",
        ),
    ),
    (
        Field::Route,
        info(
            "route",
            FieldKind::TextList,
            "IATA codes of every airport of the itinerary, origin and destination included",
        ),
    ),
    (
        Field::Carrier,
        info(
            "carrier",
            FieldKind::Text,
            "carrier code of the flight (`LH`)",
        ),
    ),
    (
        Field::FlightNumber,
        info(
            "flight_number",
            FieldKind::Text,
            "flight number as given, with the carrier prefix when the message has it (`LH400`)",
        ),
    ),
    (
        Field::DepartureHour,
        info(
            "departure_hour",
            FieldKind::Number,
            "hour of scheduled departure, 0 to 23, local time as the message gives it",
        ),
    ),
    (
        Field::BookingLeadHours,
        info(
            "booking_lead_hours",
            FieldKind::Number,
            "whole hours between booking and scheduled departure",
        ),
    ),
    (
        Field::Payment,
        info(
            "payment",
            FieldKind::TextList,
            "forms of payment: `CA` cash, `CC` card, `MS` miscellaneous...",
        ),
    ),
    (
        Field::OneWay,
        info(
            "one_way",
            FieldKind::Flag,
            "true when the itinerary does not return to its first departure airport",
        ),
    ),
    (
        Field::Companions,
        info(
            "companions",
            FieldKind::Number,
            "number of other travellers on the same booking",
        ),
    ),
    (
        Field::Bags,
        info("bags", FieldKind::Number, "number of checked bags"),
    ),
    (
        Field::Seat,
        info("seat", FieldKind::Text, "seat as given (`12A`)"),
    ),
    (
        Field::Agency,
        info("agency", FieldKind::Text, "travel agency or booking office"),
    ),
    (
        Field::Nationality,
        info(
            "nationality",
            FieldKind::Text,
            "nationality, ISO 3166-1 alpha-3 or ICAO 9303 code",
        ),
    ),
    (
        Field::DocumentIssuingCountry,
        info(
            "document_issuing_country",
            FieldKind::TextList,
            "issuing country of each travel document carried",
        ),
    ),
    (
        Field::DocumentKind,
        info(
            "document_kind",
            FieldKind::TextList,
            "ICAO 9303 kind of each travel document carried (`P`, `I`, `V`...)",
        ),
    ),
    (
        Field::DocumentExpiryDays,
        info(
            "document_expiry_days",
            FieldKind::Number,
            "days from the departure date to the earliest document expiry; negative when expired",
        ),
    ),
    (
        Field::Age,
        info(
            "age",
            FieldKind::Number,
            "age in whole years on the departure date",
        ),
    ),
    (
        Field::Role,
        info(
            "role",
            FieldKind::Role,
            "`passenger`, `crew`, `in_transit` or `infant`",
        ),
    ),
];

const fn info(name: &'static str, kind: FieldKind, meaning: &'static str) -> FieldInfo {
    FieldInfo {
        name,
        kind,
        meaning,
    }
}

/// Every field a rule may name, in the order the documentation lists them.
pub fn fields() -> impl Iterator<Item = FieldInfo> {
    TABLE.iter().map(|(_, info)| *info)
}

/// A fact as read for one comparison; borrowing keeps evaluation free of allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Missing,
    Text(&'a str),
    List(&'a [String]),
    Numbers(&'a [i64]),
    Number(i64),
    Flag(bool),
}

impl Field {
    fn entry(self) -> &'static FieldInfo {
        // The table lists the variants in declaration order, so the discriminant is the index.
        &TABLE[self as usize].1
    }

    pub(crate) fn name(self) -> &'static str {
        self.entry().name
    }

    pub(crate) fn kind(self) -> FieldKind {
        self.entry().kind
    }

    pub(crate) fn from_name(name: &str) -> Option<Field> {
        TABLE.iter().find(|(_, i)| i.name == name).map(|(f, _)| *f)
    }

    pub(crate) fn literal_check(self) -> LiteralCheck {
        match self {
            Field::Origin | Field::Destination | Field::Via | Field::Route => LiteralCheck::Airport,
            Field::Nationality | Field::DocumentIssuingCountry => LiteralCheck::Country,
            Field::Role => LiteralCheck::Role,
            _ => LiteralCheck::Any,
        }
    }

    pub(crate) fn value(self, facts: &TravelFacts) -> Value<'_> {
        fn text(value: &Option<String>) -> Value<'_> {
            value.as_deref().map_or(Value::Missing, Value::Text)
        }
        fn list(values: &[String]) -> Value<'_> {
            if values.is_empty() {
                Value::Missing
            } else {
                Value::List(values)
            }
        }
        fn number<T: Into<i64> + Copy>(value: Option<T>) -> Value<'static> {
            value.map_or(Value::Missing, |n| Value::Number(n.into()))
        }
        match self {
            Field::Origin => text(&facts.origin),
            Field::Destination => text(&facts.destination),
            Field::Via => {
                if facts.via.is_empty() && facts.route.len() < 2 {
                    Value::Missing
                } else {
                    Value::List(&facts.via)
                }
            }
            Field::Route => list(&facts.route),
            Field::Carrier => text(&facts.carrier),
            Field::FlightNumber => text(&facts.flight_number),
            Field::DepartureHour => number(facts.departure.map(|d| d.hour())),
            Field::BookingLeadHours => number(facts.booking_lead_hours),
            Field::Payment => list(&facts.payment_forms),
            Field::OneWay => facts.one_way.map_or(Value::Missing, Value::Flag),
            Field::Companions => number(facts.companions),
            Field::Bags => number(facts.bags),
            Field::Seat => text(&facts.seat),
            Field::Agency => text(&facts.agency),
            Field::Nationality => text(&facts.nationality),
            Field::DocumentIssuingCountry => list(&facts.document_issuing_countries),
            Field::DocumentKind => list(&facts.document_kinds),
            Field::DocumentExpiryDays => number(facts.document_expiry_days),
            Field::Age => number(facts.age_years),
            Field::Role => facts
                .role
                .map_or(Value::Missing, |r| Value::Text(r.as_str())),
        }
    }
}

/// The known field nearest to a misspelt name, when one is close enough to be a likely typo.
pub(crate) fn nearest_field(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    TABLE
        .iter()
        .map(|(_, i)| (edit_distance(&lower, i.name), i.name))
        .filter(|(d, candidate)| *d <= 2.max(candidate.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
        .or_else(|| {
            // A name that is a prefix or an extension of a field (`payment_form`, `lead_hours`).
            TABLE
                .iter()
                .map(|(_, i)| i.name)
                .find(|n| lower.len() >= 3 && (n.contains(lower.as_str()) || lower.contains(n)))
        })
}

/// Levenshtein distance over bytes; names are short ASCII so the quadratic cost does not matter, and the
/// caller has already bounded identifier length.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for (index, (field, info)) in TABLE.iter().enumerate() {
            assert_eq!(*field as usize, index, "{}", info.name);
            assert_eq!(Field::from_name(info.name), Some(*field));
        }
    }

    #[test]
    fn suggests_near_names() {
        assert_eq!(nearest_field("paymnet"), Some("payment"));
        assert_eq!(nearest_field("payment_form"), Some("payment"));
        assert_eq!(
            nearest_field("booking_lead_hour"),
            Some("booking_lead_hours")
        );
        assert_eq!(nearest_field("nationalty"), Some("nationality"));
        assert_eq!(nearest_field("zz"), None);
    }
}
