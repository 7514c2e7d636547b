//! Writers of the airline messages: UN/EDIFACT PAXLST (D.05B, the API passenger list an airline sends at
//! departure) and PNRGOV (11.1, the reservation records pushed before departure), with segment counts that
//! agree with the content and the release character where the text needs it.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::travel::{Flight, Pnr, Traveller};

/// Segment terminator; a newline after it keeps the file readable and is ignored by readers.
const END: &str = "'\n";

/// Escapes EDIFACT service characters with the release character `?`.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '+' | ':' | '\'' | '?') {
            out.push('?');
        }
        out.push(c);
    }
    out
}

fn yymmdd(date: NaiveDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year().rem_euclid(100),
        date.month(),
        date.day()
    )
}

fn ddmmyy(date: NaiveDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.day(),
        date.month(),
        date.year().rem_euclid(100)
    )
}

fn hhmm(time: NaiveDateTime) -> String {
    format!("{:02}{:02}", time.hour(), time.minute())
}

/// `09SEP64`, as SSR DOCS writes dates.
fn ddmonyy(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    format!(
        "{:02}{}{:02}",
        date.day(),
        MONTHS[date.month0() as usize % 12],
        date.year().rem_euclid(100)
    )
}

/// Collects segments and counts those from UNH on, for UNT.
struct Message {
    out: String,
    counted: usize,
    counting: bool,
}

impl Message {
    fn new() -> Self {
        Message {
            out: String::with_capacity(16 * 1024),
            counted: 0,
            counting: false,
        }
    }

    fn seg(&mut self, segment: &str) {
        if segment.starts_with("UNH+") {
            self.counting = true;
        }
        if self.counting {
            self.counted += 1;
        }
        self.out.push_str(segment);
        self.out.push_str(END);
    }

    /// Writes UNT with the count including itself, and stops counting.
    fn unt(&mut self, reference: &str) {
        self.counted += 1;
        let count = self.counted;
        self.counting = false;
        let _ = write!(self.out, "UNT+{count}+{reference}{END}");
    }
}

/// The interchange reference of a flight's messages: digits from the flight number and date.
fn interchange_ref(flight: &Flight, kind: u8) -> String {
    let digits: String = flight.number.chars().filter(char::is_ascii_digit).collect();
    format!("{}{}{digits}", kind, flight.departure.format("%y%m%d"))
}

/// The PAXLST message of a flight, passengers in manifest order.
pub(crate) fn paxlst(
    flight: &Flight,
    sender: &str,
    recipient: &str,
    prepared: NaiveDateTime,
) -> String {
    let mut m = Message::new();
    let reference = interchange_ref(flight, 1);
    let stamp = format!("{}:{}", yymmdd(prepared.date()), hhmm(prepared));
    m.seg("UNA:+.? ");
    m.seg(&format!(
        "UNB+UNOA:4+{}+{}+{stamp}+{reference}++APIS",
        esc(sender),
        esc(recipient)
    ));
    m.seg(&format!(
        "UNG+PAXLST+{}+{}+{stamp}+{reference}+UN+D:05B",
        esc(sender),
        esc(recipient)
    ));
    let message_ref = format!("PAX{reference}");
    m.seg(&format!(
        "UNH+{message_ref}+PAXLST:D:05B:UN:IATA+{}+01:F",
        esc(&flight.stem())
    ));
    m.seg("BGM+745");
    m.seg(&format!("NAD+MS+++{} API DESK", esc(&flight.carrier)));
    m.seg("COM+?+999 10 000 0000:TE");
    m.seg(&format!(
        "TDT+20+{}+++{}",
        esc(&flight.number),
        esc(&flight.carrier)
    ));
    m.seg(&format!("LOC+125+{}", flight.departure_airport));
    m.seg(&format!(
        "DTM+189:{}{}:201",
        yymmdd(flight.departure.date()),
        hhmm(flight.departure)
    ));
    m.seg(&format!("LOC+87+{}", flight.arrival_airport));
    m.seg(&format!(
        "DTM+232:{}{}:201",
        yymmdd(flight.arrival.date()),
        hhmm(flight.arrival)
    ));
    for t in &flight.travellers {
        let locator = flight
            .pnrs
            .get(t.pnr)
            .map(|p| p.locator.as_str())
            .unwrap_or("");
        m.seg(&format!("NAD+FL+++{}:{}", esc(&t.surname), esc(&t.given)));
        m.seg(&format!("ATT+2++{}", t.sex));
        m.seg(&format!("DTM+329:{}", yymmdd(t.dob)));
        m.seg(&format!("LOC+178+{}", flight.departure_airport));
        m.seg(&format!("LOC+179+{}", flight.arrival_airport));
        m.seg(&format!("NAT+2+{}", t.nationality));
        m.seg(&format!("RFF+AVF:{locator}"));
        m.seg(&format!("DOC+P:110:111+{}", esc(&t.doc_number)));
        m.seg(&format!("DTM+36:{}", yymmdd(t.doc_expiry)));
        m.seg(&format!("LOC+91+{}", t.doc_issuer));
    }
    m.seg(&format!("CNT+42:{}", flight.travellers.len()));
    m.unt(&message_ref);
    m.seg(&format!("UNE+1+{reference}"));
    m.seg(&format!("UNZ+1+{reference}"));
    m.out
}

fn docs(t: &Traveller, carrier: &str) -> String {
    format!(
        "SSR+DOCS:HK:1:{}:::::/P/{}/{}/{}/{}/{}/{}/{}/{}",
        esc(carrier),
        t.doc_issuer,
        esc(&t.doc_number),
        t.nationality,
        ddmonyy(t.dob),
        t.sex,
        ddmonyy(t.doc_expiry),
        esc(&t.surname),
        esc(&t.given)
    )
}

fn tvl(
    flight: &Flight,
    from: &str,
    to: &str,
    departure: NaiveDateTime,
    arrival: NaiveDateTime,
    number: &str,
) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    format!(
        "TVL+{}:{}:{}:{}+{from}+{to}+{}+{digits}:Y",
        ddmmyy(departure.date()),
        hhmm(departure),
        ddmmyy(arrival.date()),
        hhmm(arrival),
        esc(&flight.carrier)
    )
}

fn pnr_segments(m: &mut Message, flight: &Flight, pnr: &Pnr) {
    m.seg("SRC");
    m.seg(&format!(
        "RCI+{}:{}::{}:{}",
        esc(&flight.carrier),
        pnr.locator,
        ddmmyy(pnr.booked.date()),
        hhmm(pnr.booked)
    ));
    m.seg(&format!(
        "DAT+700:{}:{}",
        ddmmyy(pnr.booked.date()),
        hhmm(pnr.booked)
    ));
    m.seg(&format!(
        "ORG+{}:{}+{}",
        esc(&flight.carrier),
        flight.departure_airport,
        esc(pnr.agency)
    ));
    for (n, &index) in pnr.travellers.iter().enumerate() {
        let Some(t) = flight.travellers.get(index) else {
            continue;
        };
        m.seg(&format!(
            "TIF+{}+{}:A:{}",
            esc(&t.booked_surname),
            esc(&t.booked_given),
            n + 1
        ));
        m.seg(&format!("REF+:{}{:02}", pnr.locator, n + 1));
        m.seg(&docs(t, &flight.carrier));
        if n == 0 {
            if let Some(phone) = &pnr.contact_phone {
                m.seg(&format!(
                    "IFT+4:28::{}+CTCM {}",
                    esc(&flight.carrier),
                    esc(phone)
                ));
            }
            if let Some(email) = &pnr.contact_email {
                let edifact_email = email.to_ascii_uppercase().replace('@', "//");
                m.seg(&format!(
                    "IFT+4:28::{}+CTCE {}",
                    esc(&flight.carrier),
                    esc(&edifact_email)
                ));
            }
        }
        m.seg(&format!(
            "SSR+SEAT:HK:1:{}:::{}:{}+{}::{}",
            esc(&flight.carrier),
            flight.departure_airport,
            flight.arrival_airport,
            t.seat,
            n + 1
        ));
        let ticket = format!(
            "999{}{:02}",
            pnr.locator
                .bytes()
                .map(|b| u32::from(b) % 10)
                .fold(0u32, |a, d| a * 10 + d)
                % 10_000_000,
            n + 1
        );
        m.seg(&format!("TKT+{ticket}:T:1"));
        m.seg(&format!("MON+T:{}.00:EUR", pnr.amount));
        match (pnr.payment, pnr.card_vendor) {
            ("CC", Some(vendor)) => m.seg(&format!(
                "FOP+CC::{}.00:{vendor}:XXXXXXXXXXXX{:04}:{}",
                pnr.amount,
                (pnr.booked.and_utc().timestamp().unsigned_abs() % 10_000),
                format_args!(
                    "{:02}{:02}",
                    1 + pnr.booked.month() % 12,
                    (pnr.booked.year() + 3).rem_euclid(100)
                )
            )),
            (payment, _) => m.seg(&format!("FOP+{payment}::{}.00", pnr.amount)),
        }
    }
    m.seg(&tvl(
        flight,
        &flight.departure_airport,
        &flight.arrival_airport,
        flight.departure,
        flight.arrival,
        &flight.number,
    ));
    m.seg(&format!("RPI+{}+HK", pnr.travellers.len()));
    if let Some(back) = pnr.return_date {
        let departure = back.and_time(flight.departure.time());
        let arrival = departure + (flight.arrival - flight.departure);
        let number = format!(
            "{}{}",
            flight.carrier,
            flight
                .number
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .parse::<u32>()
                .unwrap_or(100)
                + 1
        );
        m.seg(&tvl(
            flight,
            &flight.arrival_airport,
            &flight.departure_airport,
            departure,
            arrival,
            &number,
        ));
        m.seg(&format!("RPI+{}+HK", pnr.travellers.len()));
    }
}

/// The PNRGOV message of a flight: one SRC group per booking.
pub(crate) fn pnrgov(flight: &Flight, recipient: &str, prepared: NaiveDateTime) -> String {
    let mut m = Message::new();
    let reference = interchange_ref(flight, 2);
    let stamp = format!("{}:{}", yymmdd(prepared.date()), hhmm(prepared));
    m.seg("UNA:+.? ");
    m.seg(&format!(
        "UNB+IATA:1+{}+{}+{stamp}+{reference}",
        esc(&flight.carrier),
        esc(recipient)
    ));
    m.seg(&format!(
        "UNG+PNRGOV+{}+{}+{stamp}+{reference}+IA+11:1",
        esc(&flight.carrier),
        esc(recipient)
    ));
    m.seg(&format!(
        "UNH+{reference}+PNRGOV:11:1:IA+{}",
        esc(&flight.stem())
    ));
    m.seg("MSG+:22");
    m.seg(&format!(
        "ORG+{}:{}",
        esc(&flight.carrier),
        flight.departure_airport
    ));
    let digits: String = flight.number.chars().filter(char::is_ascii_digit).collect();
    m.seg(&format!(
        "TVL+{}:{}:{}:{}+{}+{}+{}+{digits}",
        ddmmyy(flight.departure.date()),
        hhmm(flight.departure),
        ddmmyy(flight.arrival.date()),
        hhmm(flight.arrival),
        flight.departure_airport,
        flight.arrival_airport,
        esc(&flight.carrier)
    ));
    m.seg(&format!("EQN+{}", flight.pnrs.len()));
    for pnr in &flight.pnrs {
        pnr_segments(&mut m, flight, pnr);
    }
    m.unt(&reference);
    m.seg(&format!("UNE+1+{reference}"));
    m.seg(&format!("UNZ+1+{reference}"));
    m.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_characters_are_released() {
        assert_eq!(esc("+999 10 1:2'3?"), "?+999 10 1?:2?'3??");
        assert_eq!(
            ddmonyy(NaiveDate::from_ymd_opt(1964, 9, 9).unwrap()),
            "09SEP64"
        );
    }
}
