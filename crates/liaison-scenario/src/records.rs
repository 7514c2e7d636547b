//! Writers of Liaison JSON Lines records (the interchange format's shape, version 1), shared by the
//! population and the planted cast. Each writes one line, with its newline.

use chrono::NaiveDate;

use crate::json::{Object, push_str};

/// A reference to another record: persons are written as bare ids (the importer prefers persons for bare
/// ids), everything else as `{"type","id"}`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ref<'a> {
    Person(&'a str),
    Document(&'a str),
    Vehicle(&'a str),
    Case(&'a str),
}

fn push_ref(out: &mut String, reference: Ref<'_>) {
    let (kind, id) = match reference {
        Ref::Person(id) => {
            push_str(out, id);
            return;
        }
        Ref::Document(id) => ("document", id),
        Ref::Vehicle(id) => ("vehicle", id),
        Ref::Case(id) => ("case", id),
    };
    let mut o = Object::open(out);
    o.str("type", kind).str("id", id);
    o.close();
}

/// Who may receive a record beyond its owner.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    National,
    Partners,
    Nodes(&'a [String]),
}

/// A handling code (`H0`..`H2`) with its distribution scope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Handling<'a> {
    pub code: &'static str,
    pub scope: Scope<'a>,
}

impl Handling<'static> {
    pub const NATIONAL: Handling<'static> = Handling {
        code: "H0",
        scope: Scope::National,
    };
    pub const PARTNERS: Handling<'static> = Handling {
        code: "H0",
        scope: Scope::Partners,
    };
}

fn push_handling(o: &mut Object<'_>, handling: Handling<'_>) {
    o.with("handling", |out| {
        let mut h = Object::open(out);
        h.str("code", handling.code);
        match handling.scope {
            Scope::National => {
                h.str("distribution", "national");
            }
            Scope::Partners => {
                h.str("distribution", "partners");
            }
            Scope::Nodes(nodes) => {
                h.str_list("distribution", nodes.iter().map(String::as_str));
            }
        }
        h.close();
    });
}

fn push_date(o: &mut Object<'_>, key: &str, date: Option<NaiveDate>) {
    if let Some(date) = date {
        o.with(key, |out| {
            out.push('"');
            push_iso(out, date);
            out.push('"');
        });
    }
}

/// `YYYY-MM-DD` without going through `format!`.
pub(crate) fn push_iso(out: &mut String, date: NaiveDate) {
    use chrono::Datelike;
    let (y, m, d) = (date.year(), date.month(), date.day());
    let mut buf = [0u8; 10];
    let y = y.clamp(0, 9999) as u32;
    buf[0] = b'0' + (y / 1000) as u8;
    buf[1] = b'0' + (y / 100 % 10) as u8;
    buf[2] = b'0' + (y / 10 % 10) as u8;
    buf[3] = b'0' + (y % 10) as u8;
    buf[4] = b'-';
    buf[5] = b'0' + (m / 10) as u8;
    buf[6] = b'0' + (m % 10) as u8;
    buf[7] = b'-';
    buf[8] = b'0' + (d / 10) as u8;
    buf[9] = b'0' + (d % 10) as u8;
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

pub(crate) fn iso(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_iso(&mut out, date);
    out
}

/// One name of a person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameOut<'a> {
    pub full: &'a str,
    pub given: Option<&'a str>,
    pub family: Option<&'a str>,
    pub patronymic: Option<&'a str>,
    /// `primary`, `alias`, `transliteration`, ...
    pub kind: &'static str,
}

#[derive(Debug)]
pub(crate) struct PersonOut<'a> {
    pub id: &'a str,
    pub names: &'a [NameOut<'a>],
    /// Full or partial dates (`1975`, `1975-03`, `1975-03-14`).
    pub birth_dates: &'a [&'a str],
    pub birth_place: Option<&'a str>,
    pub sex: &'static str,
    pub nationalities: &'a [&'a str],
    /// `(kind, value)`: `phone`, `email`, `address`.
    pub identifiers: &'a [(&'static str, &'a str)],
    pub handling: Handling<'a>,
    pub retain_until: Option<NaiveDate>,
}

pub(crate) fn person(out: &mut String, p: &PersonOut<'_>) {
    let mut o = Object::open(out);
    o.str("type", "person").str("id", p.id);
    o.with("names", |out| {
        out.push('[');
        for (i, name) in p.names.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut n = Object::open(out);
            n.str("full", name.full)
                .opt_str("given", name.given)
                .opt_str("family", name.family)
                .opt_str("patronymic", name.patronymic)
                .str("kind", name.kind);
            n.close();
        }
        out.push(']');
    });
    if !p.birth_dates.is_empty() {
        o.str_list("birth_dates", p.birth_dates.iter().copied());
    }
    o.opt_str("birth_place", p.birth_place).str("sex", p.sex);
    if !p.nationalities.is_empty() {
        o.str_list("nationalities", p.nationalities.iter().copied());
    }
    if !p.identifiers.is_empty() {
        o.with("identifiers", |out| {
            out.push('[');
            for (i, (kind, value)) in p.identifiers.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let mut n = Object::open(out);
                n.str("kind", kind).str("value", value);
                n.close();
            }
            out.push(']');
        });
    }
    push_handling(&mut o, p.handling);
    push_date(&mut o, "retain_until", p.retain_until);
    o.close();
    out.push('\n');
}

#[derive(Debug)]
pub(crate) struct DocumentOut<'a> {
    pub id: &'a str,
    /// `P` or `I`.
    pub kind: &'static str,
    pub number: &'a str,
    pub issuing_country: &'a str,
    pub holder: Option<&'a str>,
    pub status: &'static str,
    pub issued: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub handling: Handling<'a>,
    pub retain_until: Option<NaiveDate>,
}

pub(crate) fn document(out: &mut String, d: &DocumentOut<'_>) {
    let mut o = Object::open(out);
    o.str("type", "document")
        .str("id", d.id)
        .str("kind", d.kind)
        .str("number", d.number)
        .str("issuing_country", d.issuing_country);
    if let Some(holder) = d.holder {
        o.with("holder", |out| push_ref(out, Ref::Person(holder)));
    }
    o.str("status", d.status);
    push_date(&mut o, "issued", d.issued);
    push_date(&mut o, "expires", d.expires);
    push_handling(&mut o, d.handling);
    push_date(&mut o, "retain_until", d.retain_until);
    o.close();
    out.push('\n');
}

#[derive(Debug)]
pub(crate) struct VehicleOut<'a> {
    pub id: &'a str,
    pub vin: &'a str,
    pub plate: &'a str,
    pub plate_country: &'a str,
    pub make: &'a str,
    pub model: &'a str,
    pub colour: &'a str,
    /// `registered`, `stolen`, `sought`.
    pub status: &'static str,
    pub handling: Handling<'a>,
    pub retain_until: Option<NaiveDate>,
}

pub(crate) fn vehicle(out: &mut String, v: &VehicleOut<'_>) {
    let mut o = Object::open(out);
    o.str("type", "vehicle")
        .str("id", v.id)
        .str("vin", v.vin)
        .str("plate", v.plate)
        .str("plate_country", v.plate_country)
        .str("make", v.make)
        .str("model", v.model)
        .str("colour", v.colour)
        .str("status", v.status);
    push_handling(&mut o, v.handling);
    push_date(&mut o, "retain_until", v.retain_until);
    o.close();
    out.push('\n');
}

#[derive(Debug)]
pub(crate) struct AlertOut<'a> {
    pub id: &'a str,
    pub category: &'static str,
    pub subject: Ref<'a>,
    pub issuing_authority: &'a str,
    pub offences: &'a [&'a str],
    pub action: &'a str,
    pub issued: NaiveDate,
    pub expires: NaiveDate,
    pub handling: Handling<'a>,
    pub retain_until: Option<NaiveDate>,
}

pub(crate) fn alert(out: &mut String, a: &AlertOut<'_>) {
    let mut o = Object::open(out);
    o.str("type", "alert")
        .str("id", a.id)
        .str("category", a.category)
        .with("subject", |out| push_ref(out, a.subject))
        .str("issuing_authority", a.issuing_authority);
    if !a.offences.is_empty() {
        o.str_list("offences", a.offences.iter().copied());
    }
    o.str("action", a.action);
    push_date(&mut o, "issued", Some(a.issued));
    push_date(&mut o, "expires", Some(a.expires));
    push_handling(&mut o, a.handling);
    push_date(&mut o, "retain_until", a.retain_until);
    o.close();
    out.push('\n');
}

#[derive(Debug)]
pub(crate) struct RelationOut<'a> {
    pub id: &'a str,
    pub from: Ref<'a>,
    pub to: Ref<'a>,
    pub kind: &'static str,
    pub source: &'a str,
    pub handling: Handling<'a>,
    pub retain_until: Option<NaiveDate>,
}

pub(crate) fn relation(out: &mut String, r: &RelationOut<'_>) {
    let mut o = Object::open(out);
    o.str("type", "relation")
        .str("id", r.id)
        .with("from", |out| push_ref(out, r.from))
        .with("to", |out| push_ref(out, r.to))
        .str("kind", r.kind)
        .str("source", r.source);
    push_handling(&mut o, r.handling);
    push_date(&mut o, "retain_until", r.retain_until);
    o.close();
    out.push('\n');
}

#[derive(Debug)]
pub(crate) struct CaseOut<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub reference: &'a str,
    pub offences: &'a [&'a str],
    pub entities: &'a [Ref<'a>],
    pub summary: &'a str,
    pub handling: Handling<'a>,
    pub retain_until: Option<NaiveDate>,
}

pub(crate) fn case(out: &mut String, c: &CaseOut<'_>) {
    let mut o = Object::open(out);
    o.str("type", "case")
        .str("id", c.id)
        .str("title", c.title)
        .str("reference", c.reference)
        .str_list("offences", c.offences.iter().copied())
        .with("entities", |out| {
            out.push('[');
            for (i, entity) in c.entities.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_ref(out, *entity);
            }
            out.push(']');
        })
        .str("summary", c.summary);
    push_handling(&mut o, c.handling);
    push_date(&mut o, "retain_until", c.retain_until);
    o.close();
    out.push('\n');
}
