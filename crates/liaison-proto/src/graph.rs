//! The bodies of link analysis: neighbourhoods, paths, key players, communities and resolved identities of
//! the node's entity graph, and the analysts' identity decisions as the node keeps them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An entity of the graph by its type and id: a record (`person`, `document`, `vehicle`, `case`, `alert`), a
/// shared identifier (`phone`, `email`, `address`, `identifier`) or a traveller seen only on a manifest
/// (`traveller`, id `<run>/<index>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GraphEntityRef {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub id: String,
}

/// An entity with what the graph knows of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GraphEntity {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub id: String,
    /// A person's primary name, a document's number, a vehicle's plate, a case's title, an identifier's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The node that owns the record; absent for identifiers, which belong to no record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// A node of a neighbourhood, with its distance from the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GraphNode {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub hops: u32,
}

/// A link between two entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GraphEdge {
    pub from: GraphEntityRef,
    pub to: GraphEntityRef,
    /// `relation`, `holds_document`, `uses_vehicle`, `shares_identifier`, `travelled_with`, `case_member`,
    /// `same_identity` or `subject`.
    #[serde(rename = "type")]
    pub edge_type: String,
    /// The relation kind (`associate`, `family`...), the flight (`XA123 2026-03-01`) or the record's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `YYYY-MM-DD`, when the link is dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The node whose record the link comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// `GET /api/v1/graph/neighbourhood/{type}/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NeighbourhoodBody {
    /// Breadth first, the start first.
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// True when `max_nodes` stopped the walk before every entity within `hops` was reached.
    pub truncated: bool,
}

/// `GET /api/v1/graph/paths`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PathsBody {
    /// Simple paths, shortest first, each from `from` to `to` inclusive.
    pub paths: Vec<Vec<GraphEntityRef>>,
    /// False when the search gave up before listing every path up to `max_length` (the paths returned are
    /// still the shortest ones).
    pub complete: bool,
}

/// One key player: an entity whose removal fragments the network most, given those ranked before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KeyPlayerBody {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How much removing it (after those ranked before it) raised the fragmentation.
    pub fragmentation_gain: f64,
    /// Betweenness centrality within its connected component of the network analysed (estimated from
    /// sampled sources when that component is large).
    pub betweenness: f64,
    /// Links at the entity.
    pub degree: u32,
    /// PageRank (damping 0.85) in the network analysed: how much of the network's links lead to it.
    pub pagerank: f64,
    /// Its k-core number: the entity sits in a group where everyone has at least this many links within
    /// the group (the dense heart of a network has the highest).
    pub core: u32,
    /// The person records of one resolved identity, analysed as one actor (the entity above is the first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<GraphEntityRef>,
}

/// `GET /api/v1/graph/key-players`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KeyPlayersBody {
    pub key_players: Vec<KeyPlayerBody>,
    /// Fragmentation of the graph analysed before any removal (0: everyone reaches everyone).
    pub fragmentation_before: f64,
    /// Fragmentation once every key player listed is removed.
    pub fragmentation_after: f64,
    /// What was analysed: `graph` or `case <id>` (the case's entities and 3 hops around them), as an actor
    /// network: cases and alerts left out, the records of one resolved identity one actor.
    pub scope: String,
    /// Actors in the network analysed.
    pub nodes: u64,
}

/// A community of densely linked entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CommunityBody {
    pub size: u64,
    /// Persons first, then by type and id; at most 1,000 (`size` counts them all).
    pub members: Vec<GraphEntity>,
}

/// `GET /api/v1/graph/communities`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CommunitiesBody {
    /// Largest first; entities alone in their community are left out.
    pub communities: Vec<CommunityBody>,
    /// Communities of two or more entities (more than listed when `limit` cut the list).
    pub count: u64,
    /// Newman's modularity of the partition.
    pub modularity: f64,
}

/// Why the engine thinks two person records are the same person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdentityEvidence {
    pub a: GraphEntityRef,
    pub b: GraphEntityRef,
    /// The matching engine's score (absent for a pair an analyst confirmed that the engine no longer scores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The engine's explanation lines.
    pub explanation: Vec<String>,
    /// An analyst confirmed the pair.
    #[serde(default)]
    pub confirmed: bool,
}

/// Records that describe one real person: a connected group over `same_identity` links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdentityBody {
    /// The group's first record id (in byte order): what confirm and split are addressed to.
    pub id: String,
    /// `proposed` (the engine's finding) or `confirmed` (every link confirmed by an analyst).
    pub status: String,
    pub records: Vec<GraphEntity>,
    pub evidence: Vec<IdentityEvidence>,
}

/// `GET /api/v1/graph/identities`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdentitiesBody {
    pub identities: Vec<IdentityBody>,
    /// Person records considered.
    pub persons: u64,
    /// Why identity resolution did not run (too many persons, no matching index), when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// `POST /api/v1/graph/identities/{id}/confirm` and `/split`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityDecisionBody {
    /// Person records of the group, as `person/<id>`. Confirm: the records that are the same person (all of
    /// the group when empty). Split: the records that are not the same person as the rest of the group (when
    /// they are the whole group, no two of them are the same person).
    #[serde(default)]
    pub records: Vec<String>,
    pub reason: String,
    /// May be given here instead of in the query string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// An analyst's decision on a pair of person records, as the node keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IdentityDecision {
    /// `confirm` or `split`.
    pub decision: String,
    /// The two person record ids, in byte order.
    pub pair: [String; 2],
    pub reason: String,
    /// Who decided, as the audit log names them.
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

/// The answer to a confirm or split: the pair decisions recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IdentityDecisionsBody {
    pub decisions: Vec<IdentityDecision>,
}

/// Reads the decisions kept in the node's settings.
pub fn decode_identity_decisions(text: &str) -> Result<Vec<IdentityDecision>, String> {
    serde_json::from_str(text).map_err(|e| format!("the identity decisions do not parse: {e}"))
}

/// Writes the decisions as the node keeps them.
pub fn encode_identity_decisions(decisions: &[IdentityDecision]) -> String {
    serde_json::Value::Array(
        decisions
            .iter()
            .map(|d| {
                serde_json::json!({
                    "decision": d.decision,
                    "pair": d.pair,
                    "reason": d.reason,
                    "by": d.by,
                    "at": d.at,
                })
            })
            .collect(),
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip() {
        let decisions = vec![IdentityDecision {
            decision: "split".into(),
            pair: ["node-b:p1".into(), "p2".into()],
            reason: "different fathers' names".into(),
            by: "ana".into(),
            at: "2026-12-01T08:00:00Z".into(),
        }];
        let text = encode_identity_decisions(&decisions);
        assert_eq!(decode_identity_decisions(&text).unwrap(), decisions);
        assert!(decode_identity_decisions("{").is_err());
    }

    #[test]
    fn edges_leave_out_what_they_lack() {
        let edge = GraphEdge {
            from: GraphEntityRef {
                entity_type: "person".into(),
                id: "p1".into(),
            },
            to: GraphEntityRef {
                entity_type: "phone".into(),
                id: "+4930123".into(),
            },
            edge_type: "shares_identifier".into(),
            label: None,
            date: None,
            owner: None,
        };
        let value = serde_json::to_value(&edge).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"from":{"type":"person","id":"p1"},"to":{"type":"phone","id":"+4930123"},"type":"shares_identifier"})
        );
    }
}
