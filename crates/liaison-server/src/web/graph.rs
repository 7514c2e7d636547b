//! The link-analysis page for analysts and supervisors: a form of controls (start entity, purpose, case,
//! hops, link types, owner, period) and a cytoscape view that `assets/graph.js` fills from the graph API
//! (`/api/v1/graph/...`), which checks the role and purpose of every question and audits it. The page
//! itself holds no personal data, so rendering it reads nothing from the store.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use liaison_core::Purpose;

use super::{Chrome, WebError, WebUser, page};
use crate::http::AppState;
use crate::services::graph::GRAPH_ROLES;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/graph", get(graph_page))
}

/// Entity types a start or target may have, with their label in the form.
const ENTITY_TYPES: &[(&str, &str)] = &[
    ("person", "Person"),
    ("document", "Document"),
    ("vehicle", "Vehicle"),
    ("case", "Case"),
    ("alert", "Alert"),
    ("phone", "Phone number"),
    ("email", "E-mail address"),
    ("address", "Address"),
    ("identifier", "Other identifier"),
    ("traveller", "Traveller on a manifest"),
];

/// Link types, with their label in the form.
const EDGE_TYPES: &[(&str, &str)] = &[
    ("relation", "Recorded relation"),
    ("holds_document", "Holds document"),
    ("uses_vehicle", "Uses vehicle"),
    ("shares_identifier", "Shares an identifier"),
    ("travelled_with", "Travelled together"),
    ("case_member", "In the same case"),
    ("same_identity", "Same person (resolved)"),
    ("subject", "Subject of an alert"),
];

/// The controls as given in the address (so a link can open the page on an entity); graph.js reads the
/// same fields from the form. Read as pairs because the link-type boxes repeat a name.
type GraphQuery = Vec<(String, String)>;

fn value<'a>(query: &'a GraphQuery, name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "graph.html")]
struct GraphPage {
    chrome: Chrome,
    entity_types: Vec<Choice>,
    edge_types: Vec<Choice>,
    purposes: Vec<Choice>,
    hop_choices: Vec<Choice>,
    id: String,
    case_ref: String,
    owner: String,
    /// The address the page was opened with names an entity and a purpose: the script loads it at once.
    autoload: bool,
}

async fn graph_page(user: WebUser, Query(query): Query<GraphQuery>) -> Result<Response, WebError> {
    if !user.chrome.has_any(GRAPH_ROLES) {
        let names: Vec<&str> = GRAPH_ROLES.iter().map(|r| r.as_str()).collect();
        return Err(WebError::Page {
            status: axum::http::StatusCode::FORBIDDEN,
            message: format!(
                "Link analysis needs one of the roles: {}.",
                names.join(", ")
            ),
        });
    }
    let chosen_type = value(&query, "type").unwrap_or("person");
    let purpose = value(&query, "purpose").unwrap_or_default();
    let hops = value(&query, "hops").unwrap_or("2");
    let id = value(&query, "id").unwrap_or_default().to_owned();
    // Without any box in the address every link type is shown.
    let edges: Vec<&str> = query
        .iter()
        .filter(|(k, _)| k == "edge")
        .map(|(_, v)| v.as_str())
        .collect();
    let autoload = !id.trim().is_empty() && Purpose::parse(purpose).is_ok();
    page(&GraphPage {
        entity_types: ENTITY_TYPES
            .iter()
            .map(|(value, label)| Choice {
                value,
                label: (*label).to_owned(),
                selected: *value == chosen_type,
            })
            .collect(),
        edge_types: EDGE_TYPES
            .iter()
            .map(|(value, label)| Choice {
                value,
                label: (*label).to_owned(),
                selected: edges.is_empty() || edges.contains(value),
            })
            .collect(),
        purposes: Purpose::ALL
            .iter()
            .map(|p| Choice {
                value: p.as_str(),
                label: p.as_str().replace('_', " "),
                selected: p.as_str() == purpose,
            })
            .collect(),
        hop_choices: ["1", "2", "3", "4"]
            .into_iter()
            .map(|h| Choice {
                value: h,
                label: h.to_owned(),
                selected: h == hops,
            })
            .collect(),
        id,
        case_ref: value(&query, "case_ref").unwrap_or_default().to_owned(),
        owner: value(&query, "owner").unwrap_or_default().to_owned(),
        autoload,
        chrome: user.chrome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_offers_every_link_type_the_graph_knows() {
        let known: Vec<&str> = liaison_graph::EdgeKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        let offered: Vec<&str> = EDGE_TYPES.iter().map(|(v, _)| *v).collect();
        assert_eq!(offered, known);
    }
}
