//! The words of alerts and cases: what an officer must do on a hit (`action`), who issued the alert, the
//! offences (UNODC ICCS codes) and the names of operations.

/// Offences of wanted persons in the population: `(ICCS code, label)`.
pub(crate) const WANTED_OFFENCES: &[(&str, &str)] = &[
    ("0101", "intentional homicide"),
    ("0201", "assault"),
    ("0401", "robbery"),
    ("0501", "burglary"),
    ("0502", "theft"),
    ("0701", "fraud"),
    ("06012", "drug trafficking"),
    ("0204", "trafficking in persons"),
    ("09051", "participation in an organised criminal group"),
    ("0301", "rape"),
];

pub(crate) const ACTION_ARREST: &str = "Arrest with a view to surrender or extradition; inform the issuing authority through the national SIRENE or NCB office immediately; supplementary information follows within 12 hours";
pub(crate) const ACTION_MISSING_ADULT: &str = "Locate and establish that the person is safe; do not disclose the whereabouts to third parties without the person's consent; inform the issuing authority";
pub(crate) const ACTION_MISSING_MINOR: &str = "Place the minor under protection and take into custody for their own safety; inform the issuing authority immediately";
pub(crate) const ACTION_VICTIM: &str = "Possible victim of trafficking in human beings: separate from companions, refer to victim support, inform the issuing authority immediately; do not question in front of companions";
pub(crate) const ACTION_DISCREET: &str = "Discreet check: do not alert the person or delay them beyond a routine check; record route, companions, vehicle, documents and items carried; report to the issuing authority within 12 hours";
pub(crate) const ACTION_INQUIRY: &str = "Inquiry check: interview the person on the questions of the issuing authority; do not detain on this alert alone; report the answers";
pub(crate) const ACTION_SPECIFIC: &str = "Specific check: search the person, luggage and vehicle; seize items of evidential value; report findings to the issuing authority";
pub(crate) const ACTION_STOLEN_DOCUMENT: &str =
    "Seize the document; establish the identity of the bearer; notify the issuing authority";
pub(crate) const ACTION_LOST_DOCUMENT: &str = "Retain the document and return it to the issuing authority; establish the identity of the bearer";
pub(crate) const ACTION_BLANK_DOCUMENT: &str = "Document from a stolen blank: seize it and treat the bearer's identity as unconfirmed; establish the identity by other means; notify the issuing authority";
pub(crate) const ACTION_STOLEN_VEHICLE: &str = "Seize the vehicle and secure it for forensic examination; notify the issuing authority and the registered owner";
pub(crate) const ACTION_SEIZURE: &str = "Seize as evidence; secure concealed compartments for forensic examination; notify the issuing authority";

/// The issuing authority of an alert, in the country's own city names.
pub(crate) fn authority(category: &str, city: &str) -> String {
    let body = match category {
        "wanted_for_arrest" => "Public Prosecutor's Office",
        "missing_person" | "vulnerable_person" => "Police Headquarters",
        "discreet_check" | "specific_check" | "inquiry_check" => {
            "Criminal Intelligence Directorate"
        }
        "stolen_document" | "lost_document" => "Passport and Identity Office",
        "stolen_vehicle" => "Vehicle Crime Unit",
        _ => "Criminal Police",
    };
    format!("{body}, {city}")
}

/// Code names of operations.
pub(crate) const OPERATIONS: &[&str] = &[
    "Lantern",
    "Harbour",
    "Juniper",
    "Meridian",
    "Kestrel",
    "Cobalt",
    "Saltmarsh",
    "Tamarisk",
    "Orion",
    "Basalt",
    "Heron",
    "Quicksilver",
    "Larkspur",
    "Driftwood",
    "Falconer",
    "Sextant",
];
