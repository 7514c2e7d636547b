//! The legal cooperation a demo starts with: each node's national offence catalogue (published to its
//! partners), an investigation order the first node sends to the second, and an urgent police information
//! request the third sends to the first, so a newcomer finds requests with running deadlines on every node.

use anyhow::Context;
use liaison_proto::legal::{
    Authority, CatalogueOffence, LegalActionBody, LegalOffence, LegalPerson, LegalRequestForm,
};
use liaison_server::Node;
use liaison_server::services::legal;
use liaison_server::services::{Caller, offences};

/// A national catalogue of an exercise country: (article, offence, maximum penalty in years, ICCS code).
/// The articles are invented; the offences and their ICCS places are the usual ones.
const OFFENCES: &[(&str, &str, u32, &str)] = &[
    ("101", "Murder", 30, "0101"),
    ("110", "Serious assault", 10, "0201"),
    ("120", "Kidnapping", 15, "0202"),
    ("130", "Trafficking in human beings", 12, "0204"),
    ("140", "Rape", 15, "0301"),
    ("150", "Robbery", 12, "0401"),
    ("160", "Burglary", 6, "0501"),
    ("161", "Theft", 5, "0502"),
    ("162", "Theft of a motor vehicle", 6, "0502"),
    ("170", "Fraud", 8, "0701"),
    ("171", "Forgery of documents", 5, "0702"),
    ("172", "Corruption", 8, "0703"),
    ("173", "Money laundering", 8, "07041"),
    ("180", "Drug trafficking", 15, "0601"),
    ("190", "Illicit trafficking in weapons", 10, "0901"),
    ("191", "Participation in a criminal organisation", 8, "0905"),
    ("195", "Smuggling of migrants", 10, "0805"),
];

fn catalogue_of(node: &Node) -> Vec<CatalogueOffence> {
    OFFENCES
        .iter()
        .map(|(article, name, years, iccs)| CatalogueOffence {
            code: format!("{} PC {article}", node.country.as_str()),
            name: (*name).to_owned(),
            max_penalty_years: *years,
            iccs: (*iccs).to_owned(),
        })
        .collect()
}

fn authority(node: &Node, name: &str) -> Authority {
    Authority {
        name: format!("{name}, {}", node.country.as_str()),
        country: Some(node.country.as_str().to_owned()),
        contact: Some(format!("{} desk, +00 000 000 000", node.id.as_str())),
    }
}

/// Loads the catalogues and sends the two requests (delivered by the running federation).
pub async fn seed(nodes: &[&Node]) -> anyhow::Result<()> {
    // The demo's central-authority user drafts and sends, as it would in the interface.
    let caller = Caller {
        actor: liaison_server::Actor::User {
            username: "legal".to_owned(),
            roles: vec![liaison_core::Role::Legal],
        },
        request_id: None,
    };
    for node in nodes {
        offences::load(node, &caller, catalogue_of(node))
            .await
            .with_context(|| format!("cannot load the offence catalogue of {}", node.id))?;
    }
    let [first, second, third] = nodes else {
        return Ok(());
    };
    let order = LegalRequestForm {
        kind: "eio".to_owned(),
        executing_node: second.id.as_str().to_owned(),
        urgent: false,
        urgency_reason: None,
        case_ref: Some("EX-LANTERN".to_owned()),
        requesting_authority: authority(first, "Public Prosecutor's Office"),
        executing_authority: Some(authority(second, "Central Authority for Mutual Legal Assistance")),
        persons: vec![LegalPerson {
            name: "Viktor Sokolov".to_owned(),
            birth_date: Some("1979-06-02".to_owned()),
            nationality: Some(first.country.as_str().to_owned()),
            role: Some("suspect".to_owned()),
            documents: Vec::new(),
            record: None,
        }],
        offences: vec![LegalOffence {
            iccs: "0204".to_owned(),
            national_name: "Trafficking in human beings".to_owned(),
            national_code: Some(format!("{} PC 130", first.country.as_str())),
            max_penalty_years: 12,
            listed_category: Some("trafficking_in_human_beings".to_owned()),
        }],
        facts: "Between January and June the suspect recruited at least twelve persons with false job offers and transported them across the border, where they were forced to work. Payments for the transport went through an account held in the executing state.".to_owned(),
        measures: vec![
            "Bank records of the accounts held by the suspect for January to June".to_owned(),
            "Hearing of the account manager as a witness".to_owned(),
        ],
        availability: None,
        target_date: None,
        related_alert: None,
    };
    let created = legal::create(first, &caller, order)
        .await
        .context("cannot draft the demo investigation order")?;
    legal::act(
        first,
        &caller,
        &created.id,
        "send",
        &LegalActionBody::default(),
    )
    .await
    .context("cannot send the demo investigation order")?;

    let information = LegalRequestForm {
        kind: "information_request".to_owned(),
        executing_node: first.id.as_str().to_owned(),
        urgent: true,
        urgency_reason: Some("A handover of smuggled migrants is expected within the day".to_owned()),
        case_ref: Some("EX-HARBOUR".to_owned()),
        requesting_authority: authority(third, "Single Point of Contact"),
        executing_authority: None,
        persons: Vec::new(),
        offences: vec![LegalOffence {
            iccs: "0805".to_owned(),
            national_name: "Smuggling of migrants".to_owned(),
            national_code: None,
            max_penalty_years: 10,
            listed_category: Some("facilitation_of_unauthorised_entry".to_owned()),
        }],
        facts: "A van with foreign plates was seen loading persons at the harbour; its registered keeper is believed to live in the executing state.".to_owned(),
        measures: vec!["Registered keeper and address of the vehicle with plate XA-4711".to_owned()],
        availability: Some("direct".to_owned()),
        target_date: None,
        related_alert: None,
    };
    let created = legal::create(third, &caller, information)
        .await
        .context("cannot draft the demo information request")?;
    legal::act(
        third,
        &caller,
        &created.id,
        "send",
        &LegalActionBody::default(),
    )
    .await
    .context("cannot send the demo information request")?;
    Ok(())
}
