//! Resolved identities: person records the matching engine scores as the same person, with analysts'
//! confirmations and splits applied, joined by `same_identity` links and grouped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use liaison_core::RecordType;
use liaison_graph::{EdgeKind, NodeIx};
use liaison_matching::{Band, Query};
use liaison_proto::graph::IdentityDecision;

use super::build::{Building, PersonProbe};
use crate::services::ServiceError;
use crate::services::screening::ScreeningIndex;

/// The lowest score at which two records are taken for one person.
pub const SAME_IDENTITY_SCORE: f64 = 0.95;
/// Above this many persons, identity resolution is skipped: screening every person against every other
/// takes minutes there, which a lazily rebuilt graph cannot wait for.
pub const MAX_RESOLVED_PERSONS: u64 = 200_000;
/// Hits asked for per person.
const HITS_PER_PERSON: usize = 10;
/// Persons screened per slice of work handed to a thread.
const SLICE: usize = 64;

/// Why two records are one person.
#[derive(Debug, Clone, PartialEq)]
pub struct PairEvidence {
    pub score: Option<f64>,
    pub explanation: Vec<String>,
    pub confirmed: bool,
}

/// A group of records of one person.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityGroup {
    /// The first member's id in byte order.
    pub id: String,
    /// Sorted by id.
    pub members: Vec<(NodeIx, String)>,
    /// Per pair of member ids (in byte order).
    pub evidence: BTreeMap<(String, String), PairEvidence>,
}

impl IdentityGroup {
    pub fn confirmed(&self) -> bool {
        !self.evidence.is_empty() && self.evidence.values().all(|e| e.confirmed)
    }
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

/// A pair of person record ids (in byte order) and why they are one person.
type Pair = ((String, String), PairEvidence);
/// A pair's two records with their nodes.
type LinkedPair = ((NodeIx, String), (NodeIx, String), PairEvidence);
/// A group's members (id, node) and the evidence of its pairs.
type Group = (
    BTreeSet<(String, NodeIx)>,
    BTreeMap<(String, String), PairEvidence>,
);

/// Screens every probe against the index on every core and returns the pairs of distinct person records in
/// the strong band at or above [`SAME_IDENTITY_SCORE`], each with the best evidence found.
pub fn screen_pairs(
    index: &ScreeningIndex,
    probes: &[PersonProbe],
) -> Result<BTreeMap<(String, String), PairEvidence>, ServiceError> {
    let queries: Vec<Query> = probes
        .iter()
        .map(|p| Query {
            names: vec![p.name.clone()],
            birth_date: p.birth_date,
            nationality: p.nationality.clone(),
            sex: None,
            documents: Vec::new(),
        })
        .collect();
    let slices: Vec<(&[PersonProbe], &[Query])> =
        probes.chunks(SLICE).zip(queries.chunks(SLICE)).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(slices.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || -> Result<Vec<Pair>, ServiceError> {
        let mut found = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((probes, queries)) = slices.get(i) else {
                return Ok(found);
            };
            let results = index.screen_unaudited(queries, HITS_PER_PERSON)?;
            for (probe, result) in probes.iter().zip(results) {
                for hit in result.hits {
                    if hit.record_type != RecordType::Person
                        || hit.id == probe.id
                        || hit.band != Band::Strong
                        || hit.score < SAME_IDENTITY_SCORE
                    {
                        continue;
                    }
                    found.push((
                        ordered(&probe.id, &hit.id),
                        PairEvidence {
                            score: Some((hit.score * 1000.0).round() / 1000.0),
                            explanation: hit.explanation.iter().map(|c| c.text.clone()).collect(),
                            confirmed: false,
                        },
                    ));
                }
            }
        }
    };
    let outcomes: Vec<Result<Vec<_>, ServiceError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(ServiceError::Internal(
                        "an identity resolution thread failed".into(),
                    ))
                })
            })
            .collect()
    });
    let mut pairs: BTreeMap<(String, String), PairEvidence> = BTreeMap::new();
    for outcome in outcomes {
        for (key, evidence) in outcome? {
            match pairs.get(&key) {
                Some(kept) if kept.score >= evidence.score => {}
                _ => {
                    pairs.insert(key, evidence);
                }
            }
        }
    }
    Ok(pairs)
}

/// Applies the analysts' decisions (the latest decision on a pair wins): a split pair is dropped, a
/// confirmed pair kept even when the engine no longer finds it.
pub fn apply_decisions(
    pairs: &mut BTreeMap<(String, String), PairEvidence>,
    decisions: &[IdentityDecision],
) {
    let mut latest: HashMap<(String, String), &IdentityDecision> = HashMap::new();
    for d in decisions {
        latest.insert(ordered(&d.pair[0], &d.pair[1]), d);
    }
    for (pair, decision) in latest {
        match decision.decision.as_str() {
            "split" => {
                pairs.remove(&pair);
            }
            "confirm" => {
                let entry = pairs.entry(pair).or_insert_with(|| PairEvidence {
                    score: None,
                    explanation: Vec::new(),
                    confirmed: true,
                });
                entry.confirmed = true;
                entry
                    .explanation
                    .push(format!("confirmed by {}: {}", decision.by, decision.reason));
            }
            _ => {}
        }
    }
}

/// Adds a `same_identity` link per pair whose records are both in the graph and groups the records
/// (connected over those links), largest group first, then by id.
pub fn link_identities(
    building: &mut Building,
    pairs: BTreeMap<(String, String), PairEvidence>,
) -> Vec<IdentityGroup> {
    let own = building.own;
    let mut parent: HashMap<NodeIx, NodeIx> = HashMap::new();
    fn root(parent: &HashMap<NodeIx, NodeIx>, mut n: NodeIx) -> NodeIx {
        while let Some(&p) = parent.get(&n) {
            if p == n {
                break;
            }
            n = p;
        }
        n
    }
    let mut kept: Vec<LinkedPair> = Vec::new();
    for ((a, b), evidence) in pairs {
        let (Some(na), Some(nb)) = (
            building.builder.find(liaison_graph::EntityKind::Person, &a),
            building.builder.find(liaison_graph::EntityKind::Person, &b),
        ) else {
            continue;
        };
        let label = match evidence.score {
            _ if evidence.confirmed => "confirmed".to_owned(),
            Some(score) => format!("score {score:.3}"),
            None => "confirmed".to_owned(),
        };
        building.link(na, nb, EdgeKind::SameIdentity, Some(&label), None, own);
        parent.entry(na).or_insert(na);
        parent.entry(nb).or_insert(nb);
        let (ra, rb) = (root(&parent, na), root(&parent, nb));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
        kept.push(((na, a), (nb, b), evidence));
    }
    let mut groups: BTreeMap<NodeIx, Group> = BTreeMap::new();
    for ((na, a), (nb, b), evidence) in kept {
        let r = root(&parent, na);
        let group = groups.entry(r).or_default();
        group.0.insert((a.clone(), na));
        group.0.insert((b.clone(), nb));
        group.1.insert((a, b), evidence);
    }
    let mut out: Vec<IdentityGroup> = groups
        .into_values()
        .map(|(members, evidence)| {
            let members: Vec<(NodeIx, String)> =
                members.into_iter().map(|(id, n)| (n, id)).collect();
            IdentityGroup {
                id: members
                    .first()
                    .map(|(_, id)| id.clone())
                    .unwrap_or_default(),
                members,
                evidence,
            }
        })
        .collect();
    out.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use liaison_graph::EntityKind;

    fn evidence(score: f64) -> PairEvidence {
        PairEvidence {
            score: Some(score),
            explanation: vec!["family name".into()],
            confirmed: false,
        }
    }

    fn decision(kind: &str, a: &str, b: &str) -> IdentityDecision {
        IdentityDecision {
            decision: kind.into(),
            pair: [a.into(), b.into()],
            reason: "checked".into(),
            by: "ana".into(),
            at: "2026-12-01T08:00:00Z".into(),
        }
    }

    #[test]
    fn decisions_split_and_confirm_pairs() {
        let mut pairs = BTreeMap::new();
        pairs.insert(ordered("p2", "p1"), evidence(0.97));
        pairs.insert(ordered("p3", "p1"), evidence(0.96));
        let decisions = vec![
            decision("confirm", "p1", "p3"),
            decision("split", "p3", "p1"),
            decision("confirm", "p4", "p1"),
        ];
        apply_decisions(&mut pairs, &decisions);
        assert!(
            !pairs.contains_key(&ordered("p1", "p3")),
            "the later split wins"
        );
        assert!(pairs[&ordered("p1", "p4")].confirmed);
        assert_eq!(pairs[&ordered("p1", "p4")].score, None);
        assert!(!pairs[&ordered("p1", "p2")].confirmed);
    }

    #[test]
    fn pairs_group_into_identities() {
        let mut b = Building::new("node-a", 8, false);
        for id in ["p1", "p2", "p3", "p4", "p5"] {
            b.builder.entity(EntityKind::Person, id);
        }
        let mut pairs = BTreeMap::new();
        pairs.insert(ordered("p1", "p2"), evidence(0.97));
        pairs.insert(ordered("p3", "p2"), evidence(0.96));
        pairs.insert(ordered("p4", "p5"), evidence(0.99));
        pairs.insert(ordered("p4", "p9"), evidence(0.99));
        let groups = link_identities(&mut b, pairs);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].id, "p1");
        let ids: Vec<&str> = groups[0]
            .members
            .iter()
            .map(|(_, id)| id.as_str())
            .collect();
        assert_eq!(ids, ["p1", "p2", "p3"]);
        assert_eq!(groups[1].id, "p4");
        assert_eq!(
            groups[1].evidence.len(),
            1,
            "a record not in the graph is left out"
        );
        assert_eq!(b.builder.edge_count(), 3);
        assert!(!groups[0].confirmed());
    }
}
