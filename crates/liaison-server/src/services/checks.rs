//! Document and vehicle checks: exact and OCR-tolerant lookup of document numbers, VINs and number plates
//! against the node's stolen, lost, revoked and invalidated records (and any object an alert is about).
//!
//! A lookup costs one hash probe whatever the number of records: the key is the identifier with OCR
//! confusions folded (O→0, I/L→1, S→5, B→8, Z→2, Q→0), so a misread number lands on the same entry, and the
//! entry tells whether the match was exact. Entries of one key are chained inside the entry table, so the
//! hash maps hold four bytes per record, which keeps tens of millions of documents within about a gigabyte.

use liaison_core::{Document, RecordType, Vehicle};
use rustc_hash::FxHashMap;

/// Identifiers shorter than this (after removing spaces and punctuation) are too unspecific to check.
const MIN_IDENTIFIER_LEN: usize = 4;
const NONE: u32 = u32::MAX;

/// Which identifier of an object an entry is for; part of the key, so a plate never matches a passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierField {
    DocumentNumber,
    Vin,
    Plate,
}

impl IdentifierField {
    pub fn describe(self) -> &'static str {
        match self {
            IdentifierField::DocumentNumber => "document number",
            IdentifierField::Vin => "VIN",
            IdentifierField::Plate => "number plate",
        }
    }

    fn tag(self) -> u64 {
        match self {
            IdentifierField::DocumentNumber => 1,
            IdentifierField::Vin => 2,
            IdentifierField::Plate => 3,
        }
    }
}

/// A listed object that an identifier matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectMatch {
    pub record_type: RecordType,
    pub id: String,
    pub field: IdentifierField,
    /// The identifier as the record has it (normalised: upper case, letters and digits only).
    pub listed: String,
    /// The record's country (issuing country of a document, plate country of a vehicle).
    pub country: Option<String>,
    /// `stolen`, `lost`, `revoked`, `invalidated`, `blank_stolen` for documents; `stolen`, `sought`... for
    /// vehicles; `valid`/`registered` when only an alert put it on the list.
    pub status: String,
    /// The identifiers agree exactly; otherwise they agree once OCR confusions are folded.
    pub exact: bool,
    /// Whether the checked country agrees with the record's, when both are known.
    pub country_agrees: Option<bool>,
}

#[derive(Debug)]
struct Entry {
    key: u64,
    owner_key: u64,
    next_same_key: u32,
    next_same_owner: u32,
    record_type: RecordType,
    field: IdentifierField,
    /// `id`, then the normalised identifier, then the country and the status, separated by U+001F.
    text: Box<str>,
}

impl Entry {
    fn parts(&self) -> (&str, &str, &str, &str) {
        let mut parts = self.text.split('\u{1f}');
        (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        )
    }
}

/// The check index. Not synchronised: the screening index holds it under its lock.
#[derive(Debug, Default)]
pub struct ObjectIndex {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_key: FxHashMap<u64, u32>,
    by_owner: FxHashMap<u64, u32>,
    live: usize,
}

/// Upper case, letters and digits only: how document numbers, VINs and plates are compared.
pub fn normalize_identifier(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The identifier with the characters OCR confuses folded to one of each pair.
fn ocr_folded(normalized: &str) -> impl Iterator<Item = u8> + '_ {
    normalized.bytes().map(|b| match b {
        b'O' | b'Q' => b'0',
        b'I' | b'L' => b'1',
        b'S' => b'5',
        b'B' => b'8',
        b'Z' => b'2',
        other => other,
    })
}

fn fx_hash(tag: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write_u64(tag);
    for b in bytes {
        hasher.write_u8(b);
    }
    hasher.finish()
}

fn owner_key(record_type: RecordType, id: &str) -> u64 {
    fx_hash(record_type as u64 + 100, id.bytes())
}

impl ObjectIndex {
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Indexes the document if it is listed (any status but valid) or `alerted` (an alert is about it), and
    /// drops whatever was indexed for it before.
    pub fn upsert_document(&mut self, document: &Document, alerted: bool) {
        self.upsert_document_fields(
            document.meta.id.as_str(),
            &document.number,
            document.issuing_country.as_str(),
            document.status.as_str(),
            alerted,
        );
    }

    /// [`ObjectIndex::upsert_document`] from the fields alone (`status` as the interchange format spells it).
    pub fn upsert_document_fields(
        &mut self,
        id: &str,
        number: &str,
        issuing_country: &str,
        status: &str,
        alerted: bool,
    ) {
        self.remove(RecordType::Document, id);
        if status == "valid" && !alerted {
            return;
        }
        self.insert(
            RecordType::Document,
            id,
            IdentifierField::DocumentNumber,
            number,
            Some(issuing_country),
            status,
        );
    }

    /// Indexes the vehicle's VIN and plate if it is stolen or sought or `alerted`, and drops whatever was
    /// indexed for it before.
    pub fn upsert_vehicle(&mut self, vehicle: &Vehicle, alerted: bool) {
        let id = vehicle.meta.id.as_str();
        self.remove(RecordType::Vehicle, id);
        let status = vehicle.status.as_str();
        if matches!(status, "registered" | "recovered") && !alerted {
            return;
        }
        if let Some(vin) = &vehicle.vin {
            self.insert(
                RecordType::Vehicle,
                id,
                IdentifierField::Vin,
                vin,
                None,
                status,
            );
        }
        if let Some(plate) = &vehicle.plate {
            self.insert(
                RecordType::Vehicle,
                id,
                IdentifierField::Plate,
                plate,
                vehicle.plate_country.as_ref().map(|c| c.as_str()),
                status,
            );
        }
    }

    /// Whether anything is indexed for the record.
    pub fn contains(&self, record_type: RecordType, id: &str) -> bool {
        self.owner_entries(record_type, id).next().is_some()
    }

    fn owner_entries<'a>(
        &'a self,
        record_type: RecordType,
        id: &'a str,
    ) -> impl Iterator<Item = u32> + 'a {
        let key = owner_key(record_type, id);
        let mut slot = self.by_owner.get(&key).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            while slot != NONE {
                let current = slot;
                let entry = self.entries.get(current as usize)?.as_ref()?;
                slot = entry.next_same_owner;
                if entry.owner_key == key
                    && entry.record_type == record_type
                    && entry.parts().0 == id
                {
                    return Some(current);
                }
            }
            None
        })
    }

    fn insert(
        &mut self,
        record_type: RecordType,
        id: &str,
        field: IdentifierField,
        identifier: &str,
        country: Option<&str>,
        status: &str,
    ) {
        let normalized = normalize_identifier(identifier);
        if normalized.len() < MIN_IDENTIFIER_LEN {
            return;
        }
        let key = fx_hash(field.tag(), ocr_folded(&normalized));
        let owner = owner_key(record_type, id);
        let entry = Entry {
            key,
            owner_key: owner,
            next_same_key: self.by_key.get(&key).copied().unwrap_or(NONE),
            next_same_owner: self.by_owner.get(&owner).copied().unwrap_or(NONE),
            record_type,
            field,
            text: format!(
                "{id}\u{1f}{normalized}\u{1f}{}\u{1f}{status}",
                country.unwrap_or("")
            )
            .into_boxed_str(),
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.entries[slot as usize] = Some(entry);
                slot
            }
            None => {
                self.entries.push(Some(entry));
                (self.entries.len() - 1) as u32
            }
        };
        self.by_key.insert(key, slot);
        self.by_owner.insert(owner, slot);
        self.live += 1;
    }

    /// Drops every entry of the record; false if there was none.
    pub fn remove(&mut self, record_type: RecordType, id: &str) -> bool {
        let slots: Vec<u32> = self.owner_entries(record_type, id).collect();
        for &slot in &slots {
            let Some(entry) = self.entries.get_mut(slot as usize).and_then(Option::take) else {
                continue;
            };
            Self::unlink(
                &mut self.entries,
                &mut self.by_key,
                entry.key,
                slot,
                entry.next_same_key,
                |e| &mut e.next_same_key,
            );
            Self::unlink(
                &mut self.entries,
                &mut self.by_owner,
                entry.owner_key,
                slot,
                entry.next_same_owner,
                |e| &mut e.next_same_owner,
            );
            self.free.push(slot);
            self.live -= 1;
        }
        !slots.is_empty()
    }

    /// Removes `slot` from the chain that starts at `heads[key]`, linking its predecessor to `next`.
    fn unlink(
        entries: &mut [Option<Entry>],
        heads: &mut FxHashMap<u64, u32>,
        key: u64,
        slot: u32,
        next: u32,
        link: impl Fn(&mut Entry) -> &mut u32,
    ) {
        let Some(&head) = heads.get(&key) else {
            return;
        };
        if head == slot {
            if next == NONE {
                heads.remove(&key);
            } else {
                heads.insert(key, next);
            }
            return;
        }
        let mut current = head;
        while current != NONE {
            let Some(entry) = entries.get_mut(current as usize).and_then(Option::as_mut) else {
                return;
            };
            let pointer = link(entry);
            if *pointer == slot {
                *pointer = next;
                return;
            }
            current = *pointer;
        }
    }

    /// The listed objects whose identifier of this kind agrees with `identifier`, exactly or after folding
    /// OCR confusions; exact matches first. `country` (ICAO/ISO alpha-3 or plate code) is compared when given.
    pub fn check(
        &self,
        field: IdentifierField,
        identifier: &str,
        country: Option<&str>,
    ) -> Vec<ObjectMatch> {
        let normalized = normalize_identifier(identifier);
        if normalized.len() < MIN_IDENTIFIER_LEN {
            return Vec::new();
        }
        let key = fx_hash(field.tag(), ocr_folded(&normalized));
        let mut found = Vec::new();
        let mut slot = self.by_key.get(&key).copied().unwrap_or(NONE);
        while slot != NONE {
            let Some(entry) = self.entries.get(slot as usize).and_then(Option::as_ref) else {
                break;
            };
            slot = entry.next_same_key;
            if entry.key != key || entry.field != field {
                continue;
            }
            let (id, listed, listed_country, status) = entry.parts();
            if !ocr_folded(listed).eq(ocr_folded(&normalized)) {
                continue;
            }
            let listed_country = (!listed_country.is_empty()).then(|| listed_country.to_owned());
            let country_agrees = match (country, &listed_country) {
                (Some(asked), Some(listed)) => Some(same_country(asked, listed)),
                _ => None,
            };
            found.push(ObjectMatch {
                record_type: entry.record_type,
                id: id.to_owned(),
                field,
                listed: listed.to_owned(),
                country: listed_country,
                status: status.to_owned(),
                exact: listed == normalized,
                country_agrees,
            });
        }
        found.sort_by(|a, b| {
            b.exact
                .cmp(&a.exact)
                .then(b.country_agrees.cmp(&a.country_agrees))
                .then(a.id.cmp(&b.id))
        });
        found
    }
}

impl ObjectMatch {
    /// An exact number from the right country is the listed object itself; a number that agrees only once
    /// OCR confusions are folded, or a listing from another country, needs a look by the officer.
    pub fn band(&self) -> &'static str {
        if self.exact && self.country_agrees != Some(false) {
            "strong"
        } else {
            "possible"
        }
    }

    pub fn score(&self) -> f64 {
        if self.band() == "strong" { 1.0 } else { 0.7 }
    }

    /// The match as one item of a hit's explanation, given the identifier as checked.
    pub fn explanation(&self, checked: &str) -> liaison_proto::api::ExplanationItem {
        liaison_proto::api::ExplanationItem {
            feature: match self.record_type {
                RecordType::Vehicle => "listed_vehicle",
                _ => "listed_document",
            }
            .into(),
            text: self.explain(checked),
            weight: if self.exact { 1.0 } else { 0.6 },
        }
    }

    /// The match in an officer's words, given the identifier as checked.
    pub fn explain(&self, checked: &str) -> String {
        let how = if self.exact {
            "exactly".to_owned()
        } else {
            format!(
                "after correcting OCR confusions ({checked} read as {})",
                self.listed
            )
        };
        let country = match (self.country_agrees, &self.country) {
            (Some(false), Some(country)) => {
                format!("; listed as issued by {country}, not by the country checked")
            }
            _ => String::new(),
        };
        format!(
            "{} {} is listed as {} on this node, matched {how}{country}",
            self.field.describe(),
            self.listed,
            self.status.replace('_', " ")
        )
    }
}

/// Country codes agree when equal, treating Germany's one-letter ICAO code `D` as `DEU`.
fn same_country(a: &str, b: &str) -> bool {
    let canonical = |c: &str| {
        let c = c.trim().trim_end_matches('<').to_ascii_uppercase();
        if c == "D" { "DEU".to_owned() } else { c }
    };
    canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_core::{
        CountryCode, DocumentKind, DocumentStatus, Handling, RecordId, RecordMeta, VehicleStatus,
    };

    fn meta(id: &str) -> RecordMeta {
        RecordMeta {
            id: RecordId::parse(id).unwrap(),
            owner: None,
            handling: Handling::default(),
            retain_until: None,
        }
    }

    fn document(id: &str, number: &str, country: &str, status: DocumentStatus) -> Document {
        Document {
            meta: meta(id),
            kind: DocumentKind::parse("P").unwrap(),
            number: number.to_owned(),
            issuing_country: CountryCode::parse(country).unwrap(),
            holder: None,
            status,
            issued: None,
            expires: None,
        }
    }

    #[test]
    fn finds_listed_documents_exactly_and_after_ocr_folding() {
        let mut index = ObjectIndex::default();
        index.upsert_document(
            &document("d1", "L898902C3", "UTO", DocumentStatus::Stolen),
            false,
        );
        index.upsert_document(
            &document("d2", "AB1234567", "XAA", DocumentStatus::Valid),
            false,
        );
        assert_eq!(
            index.len(),
            1,
            "a valid document without alert is not listed"
        );

        let exact = index.check(IdentifierField::DocumentNumber, "L898902C3", Some("UTO"));
        assert_eq!(exact.len(), 1);
        assert!(exact[0].exact);
        assert_eq!(exact[0].status, "stolen");
        assert_eq!(exact[0].country_agrees, Some(true));

        let misread = index.check(IdentifierField::DocumentNumber, "l8989O2c3", Some("XBB"));
        assert_eq!(misread.len(), 1);
        assert!(!misread[0].exact);
        assert_eq!(misread[0].country_agrees, Some(false));

        assert!(
            index
                .check(IdentifierField::DocumentNumber, "L898902C4", None)
                .is_empty()
        );
        assert!(
            index
                .check(IdentifierField::Vin, "L898902C3", None)
                .is_empty(),
            "a document number never matches a VIN"
        );
    }

    #[test]
    fn alerted_valid_documents_are_listed_and_updates_replace_entries() {
        let mut index = ObjectIndex::default();
        index.upsert_document(
            &document("d2", "AB1234567", "XAA", DocumentStatus::Valid),
            true,
        );
        assert_eq!(
            index.check(IdentifierField::DocumentNumber, "AB1234567", None)[0].status,
            "valid"
        );
        index.upsert_document(
            &document("d2", "AB7654321", "XAA", DocumentStatus::Lost),
            false,
        );
        assert!(
            index
                .check(IdentifierField::DocumentNumber, "AB1234567", None)
                .is_empty()
        );
        assert_eq!(
            index.check(IdentifierField::DocumentNumber, "AB7654321", None)[0].status,
            "lost"
        );
        assert!(index.remove(RecordType::Document, "d2"));
        assert!(index.is_empty());
        assert!(!index.remove(RecordType::Document, "d2"));
    }

    #[test]
    fn chains_survive_removal_in_any_order() {
        let mut index = ObjectIndex::default();
        // Three records with the same folded number: O/0 and I/1 variants.
        for (id, number) in [("a", "X0I234"), ("b", "XO1234"), ("c", "X01234")] {
            index.upsert_document(&document(id, number, "XAA", DocumentStatus::Stolen), false);
        }
        assert_eq!(
            index
                .check(IdentifierField::DocumentNumber, "X01234", None)
                .len(),
            3
        );
        assert!(index.remove(RecordType::Document, "b"));
        let left: Vec<String> = index
            .check(IdentifierField::DocumentNumber, "X01234", None)
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(left, ["c", "a"], "exact match first");
        index.upsert_document(
            &document("d", "Y99999", "XAA", DocumentStatus::Stolen),
            false,
        );
        assert_eq!(index.len(), 3, "the freed slot is reused");
        assert!(index.remove(RecordType::Document, "c"));
        assert!(index.remove(RecordType::Document, "a"));
        assert!(
            index
                .check(IdentifierField::DocumentNumber, "X01234", None)
                .is_empty()
        );
        assert_eq!(
            index
                .check(IdentifierField::DocumentNumber, "Y99999", None)
                .len(),
            1
        );
    }

    #[test]
    fn vehicles_by_vin_and_plate() {
        let mut index = ObjectIndex::default();
        let vehicle = Vehicle {
            meta: meta("v1"),
            vin: Some("WVWZZZ1JZXW000001".into()),
            plate: Some("B-AB 1234".into()),
            plate_country: Some(CountryCode::parse("D").unwrap()),
            make: None,
            model: None,
            colour: None,
            status: VehicleStatus::Stolen,
        };
        index.upsert_vehicle(&vehicle, false);
        assert_eq!(index.len(), 2);
        let by_plate = index.check(IdentifierField::Plate, "bab1234", Some("DEU"));
        assert_eq!(by_plate.len(), 1);
        assert_eq!(by_plate[0].country_agrees, Some(true));
        assert!(by_plate[0].exact);
        assert_eq!(
            index
                .check(IdentifierField::Vin, "WVWZZZ1JZXWOOOOO1", None)
                .len(),
            1
        );
        assert!(
            index
                .check(IdentifierField::DocumentNumber, "BAB1234", None)
                .is_empty()
        );
        assert!(index.remove(RecordType::Vehicle, "v1"));
        assert!(index.is_empty());
    }
}
