//! Link analysis on the node: the entity graph built from the store (records, shared identifiers,
//! co-travellers, resolved identities), kept in memory and rebuilt when records change, and the audited
//! questions analysts ask of it (neighbourhoods, paths, key players, communities, exports, identities).

mod build;
mod identity;
mod normalise;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use liaison_core::{Purpose, RecordType, Role};
use liaison_graph::{
    EdgeFilter, EdgeKind, EntityKind, Graph, GraphBuilder, NodeIx, Sampling, betweenness,
    fragmentation, iso_date, louvain, neighbourhood as walk, paths_bounded,
};
use liaison_proto::graph::{
    CommunitiesBody, CommunityBody, GraphEdge, GraphEntity, GraphEntityRef, GraphNode,
    IdentitiesBody, IdentityBody, IdentityDecision, IdentityDecisionBody, IdentityDecisionsBody,
    IdentityEvidence, KeyPlayerBody, KeyPlayersBody, NeighbourhoodBody, PathsBody,
    decode_identity_decisions, encode_identity_decisions,
};
use liaison_store::AuditFilter;

pub use build::MAX_RUNS;
pub use identity::{IdentityGroup, MAX_RESOLVED_PERSONS, SAME_IDENTITY_SCORE};
pub use normalise::{normalise_email, normalise_phone, normalise_text};

use super::records::{AccessReason, check_purpose};
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Roles that may analyse the graph.
pub const GRAPH_ROLES: &[Role] = &[Role::Analyst, Role::Supervisor];
/// The setting that keeps the analysts' identity decisions (a JSON list).
pub const DECISIONS_SETTING: &str = "graph.identity_decisions";
/// Audit actions that follow a change of the records: the graph is rebuilt when one was logged after it was
/// built. Each is logged after its records were stored, so a build that started before the entry was written
/// and missed the change is always followed by a rebuild.
const RECORD_WRITES: &[&str] = &["records.import", "record.delete", "disclosure.decision"];
/// The case scope of key players, communities and exports: the case's entities and this many hops around them.
pub const CASE_RADIUS: u32 = 3;
/// Most audit objects listed per access; the detail gives the full count.
const MAX_AUDIT_OBJECTS: usize = 500;
/// Most members listed per community.
const MAX_COMMUNITY_MEMBERS: usize = 1_000;
/// Up to this many entities betweenness is exact; above, estimated from [`PIVOTS`] sampled sources.
const EXACT_BETWEENNESS_NODES: usize = 5_000;
const PIVOTS: usize = 16;

/// The node's entity graph, built on first use and again after records changed.
#[derive(Default)]
pub struct GraphCache {
    state: tokio::sync::Mutex<CacheState>,
    /// Serialises changes to the identity decisions (read, append, write back).
    decisions: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct CacheState {
    current: Option<Arc<NodeGraph>>,
    /// A build under way. It runs as a task of its own, so a question that gives up (a client gone, the
    /// request timeout on a large node) does not throw the work away: the next question waits for it.
    pending: Option<(
        u64,
        tokio::task::JoinHandle<Result<NodeGraph, ServiceError>>,
    )>,
    /// Bumped when the identity decisions change; a graph built before is stale.
    generation: u64,
    current_generation: u64,
}

impl std::fmt::Debug for GraphCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphCache").finish_non_exhaustive()
    }
}

/// Figures of one build, for the log and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BuildStats {
    pub records: u64,
    pub persons: u64,
    pub runs: u64,
    pub travel_links: u64,
    pub identities: u64,
    pub nodes: u64,
    pub edges: u64,
    pub memory_bytes: u64,
    /// Reading and adding the records.
    pub records_seconds: f64,
    /// Screening the persons for identities.
    pub identity_seconds: f64,
    pub seconds: f64,
}

/// The graph as built from the store at one moment.
#[derive(Debug)]
pub struct NodeGraph {
    pub graph: Graph,
    pub identities: Vec<IdentityGroup>,
    /// Why identities were not resolved, when they were not.
    pub identity_note: Option<String>,
    pub stats: BuildStats,
    audit_seq: i64,
    newest_run: Option<String>,
}

impl GraphCache {
    /// The current graph: the one built before if no record or manifest run changed since, else a new one.
    /// Concurrent callers wait for one build.
    pub async fn graph(&self, node: &Node) -> Result<Arc<NodeGraph>, ServiceError> {
        let mut state = self.state.lock().await;
        loop {
            if let Some((generation, handle)) = state.pending.as_mut() {
                let generation = *generation;
                let outcome = handle.await.map_err(|e| {
                    ServiceError::Internal(format!("building the graph stopped: {e}"))
                });
                state.pending = None;
                let graph = Arc::new(outcome??);
                state.current = Some(Arc::clone(&graph));
                state.current_generation = generation;
                if generation == state.generation {
                    return Ok(graph);
                }
            }
            if let Some(graph) = state.current.as_ref()
                && state.current_generation == state.generation
                && !changed_since(node, graph).await?
            {
                return Ok(Arc::clone(graph));
            }
            let building = node.clone();
            state.pending = Some((
                state.generation,
                tokio::spawn(async move { build_graph(&building).await }),
            ));
        }
    }

    /// Marks the graph stale, so the next question rebuilds it.
    pub async fn invalidate(&self) {
        let mut state = self.state.lock().await;
        state.generation += 1;
    }
}

async fn changed_since(node: &Node, graph: &NodeGraph) -> Result<bool, ServiceError> {
    for action in RECORD_WRITES {
        let filter = AuditFilter {
            action: Some((*action).to_owned()),
            after_seq: Some(graph.audit_seq),
            limit: 1,
            ..AuditFilter::default()
        };
        if !node.store.audit_search(&filter).await?.is_empty() {
            return Ok(true);
        }
    }
    // A run is logged before it is stored, so runs are compared by the newest one instead.
    let newest = node.store.list_screening_runs(1).await?;
    Ok(newest.first().map(|r| &r.id) != graph.newest_run.as_ref())
}

async fn load_decisions(node: &Node) -> Result<Vec<IdentityDecision>, ServiceError> {
    match node.store.get_setting(DECISIONS_SETTING).await? {
        Some(text) => decode_identity_decisions(&text).map_err(ServiceError::Internal),
        None => Ok(Vec::new()),
    }
}

/// Builds the graph from the store: records, then co-travellers of the newest manifest runs, then the
/// resolved identities.
pub async fn build_graph(node: &Node) -> Result<NodeGraph, ServiceError> {
    let started = Instant::now();
    // Taken before anything is read: a change logged after this is seen by the next question.
    let audit_seq = node.store.audit_head().await?.map_or(0, |(seq, _)| seq);
    let runs = node.store.list_screening_runs(MAX_RUNS).await?;
    let newest_run = runs.first().map(|r| r.id.clone());
    let counts = node.store.count_records().await?;
    let total: u64 = counts.values().sum();
    let persons = counts.get(&RecordType::Person).copied().unwrap_or(0);
    let index = node.screening.clone();
    let identity_note = match (&index, persons) {
        (None, _) => Some("this node runs without a matching index".to_owned()),
        (Some(_), p) if p > MAX_RESOLVED_PERSONS => Some(format!(
            "identity resolution is skipped above {MAX_RESOLVED_PERSONS} persons; this node holds {p}"
        )),
        _ => None,
    };
    let building = build::Building::new(
        node.id.as_str(),
        usize::try_from(total).unwrap_or(usize::MAX),
        identity_note.is_none(),
    );
    let mut building = build::add_records(node.store.as_ref(), building).await?;
    let records_seconds = started.elapsed().as_secs_f64();
    let decisions = load_decisions(node).await?;
    let (graph, identities, mut stats) = tokio::task::spawn_blocking(move || {
        // Oldest first, so a traveller entity's label is the latest name read.
        for run in runs.iter().rev() {
            building.add_run(run);
        }
        let screened = Instant::now();
        let mut pairs = BTreeMap::new();
        if let (Some(probes), Some(index)) = (building.probes.take(), index) {
            pairs = identity::screen_pairs(&index, &probes)?;
        }
        identity::apply_decisions(&mut pairs, &decisions);
        let identities = identity::link_identities(&mut building, pairs);
        let stats = BuildStats {
            records: building.records,
            persons: building.persons,
            runs: building.runs,
            travel_links: building.travel_links,
            identities: identities.len() as u64,
            identity_seconds: screened.elapsed().as_secs_f64(),
            ..BuildStats::default()
        };
        Ok::<_, ServiceError>((building.builder.build(), identities, stats))
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("building the graph stopped: {e}")))??;
    stats.nodes = graph.node_count() as u64;
    stats.edges = graph.edge_count() as u64;
    stats.memory_bytes = graph.memory_bytes() as u64;
    stats.records_seconds = records_seconds;
    stats.seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        nodes = stats.nodes,
        edges = stats.edges,
        records = stats.records,
        identities = stats.identities,
        seconds = stats.seconds,
        "entity graph built"
    );
    Ok(NodeGraph {
        graph,
        identities,
        identity_note,
        stats,
        audit_seq,
        newest_run,
    })
}

// Entities as the API names them.

/// The API's type and id of a node: the entity kind and key, except that `traveller/...` and
/// `identifier/...` keys of [`EntityKind::Other`] carry their type in the key.
pub fn entity_ref(g: &Graph, n: NodeIx) -> GraphEntityRef {
    let key = g.key(n);
    let (entity_type, id) = match g.kind(n) {
        EntityKind::Other => key.split_once('/').unwrap_or(("other", key)),
        kind => (kind.as_str(), key),
    };
    GraphEntityRef {
        entity_type: entity_type.to_owned(),
        id: id.to_owned(),
    }
}

fn entity(g: &Graph, n: NodeIx) -> GraphEntity {
    let r = entity_ref(g, n);
    GraphEntity {
        entity_type: r.entity_type,
        id: r.id,
        label: g.label(n).map(str::to_owned),
        owner: g.owner_of(n).map(str::to_owned),
    }
}

/// Types an entity may be asked for by.
const ENTITY_TYPES: &[&str] = &[
    "person",
    "document",
    "vehicle",
    "case",
    "alert",
    "phone",
    "email",
    "address",
    "identifier",
    "traveller",
];

/// The node of an entity named by type and id; identifiers are looked up as they are normalised.
pub fn find_entity(g: &Graph, entity_type: &str, id: &str) -> Result<Option<NodeIx>, String> {
    let found = match entity_type {
        "traveller" | "identifier" => g.find(EntityKind::Other, &format!("{entity_type}/{id}")),
        "phone" => normalise_phone(id).and_then(|k| g.find(EntityKind::Phone, &k)),
        "email" => normalise_email(id).and_then(|k| g.find(EntityKind::Email, &k)),
        "address" => normalise_text(id).and_then(|k| g.find(EntityKind::Address, &k)),
        other => match EntityKind::parse(other).filter(|k| *k != EntityKind::Other) {
            Some(kind) if ENTITY_TYPES.contains(&other) => g.find(kind, id),
            _ => {
                return Err(format!(
                    "unknown entity type `{other}`; one of: {}",
                    ENTITY_TYPES.join(", ")
                ));
            }
        },
    };
    Ok(found)
}

/// Whether a node is of one of the API types.
fn is_of_type(g: &Graph, n: NodeIx, types: &[String]) -> bool {
    let r = entity_ref(g, n);
    types.contains(&r.entity_type)
}

fn is_record(g: &Graph, n: NodeIx) -> bool {
    matches!(
        g.kind(n),
        EntityKind::Person
            | EntityKind::Document
            | EntityKind::Vehicle
            | EntityKind::Case
            | EntityKind::Alert
    )
}

fn object_name(r: &GraphEntityRef) -> String {
    format!("{}/{}", r.entity_type, r.id)
}

fn edge_body(g: &Graph, e: liaison_graph::EdgeIx) -> GraphEdge {
    let edge = g.edge(e);
    GraphEdge {
        from: entity_ref(g, edge.a),
        to: entity_ref(g, edge.b),
        edge_type: edge.kind.as_str().to_owned(),
        label: edge.label.map(str::to_owned),
        date: edge.date.map(iso_date),
        owner: g.owner_name(edge.owner).map(str::to_owned),
    }
}

// Parameters, each checked with an error naming it.

fn number(
    name: &str,
    value: Option<&str>,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, ServiceError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ServiceError::bad_field(
                name,
                format!("`{text}` is not a whole number from {min} to {max}"),
            )),
        },
    }
}

fn day(name: &str, value: Option<&str>) -> Result<Option<i32>, ServiceError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(|d| Some(build::epoch_days(d)))
            .map_err(|_| {
                ServiceError::bad_field(name, format!("`{text}` is not a date (YYYY-MM-DD)"))
            }),
    }
}

fn edge_kinds(value: Option<&str>) -> Result<Option<Vec<EdgeKind>>, ServiceError> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let mut kinds = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let kind = EdgeKind::parse(name).ok_or_else(|| {
            let names: Vec<&str> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
            ServiceError::bad_field(
                "edge_types",
                format!("unknown link type `{name}`; one of: {}", names.join(", ")),
            )
        })?;
        kinds.push(kind);
    }
    Ok(Some(kinds))
}

fn entity_types(value: Option<&str>) -> Result<Vec<String>, ServiceError> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(vec!["person".to_owned()]);
    };
    let mut types = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !ENTITY_TYPES.contains(&name) {
            return Err(ServiceError::bad_field(
                "types",
                format!(
                    "unknown entity type `{name}`; one of: {}",
                    ENTITY_TYPES.join(", ")
                ),
            ));
        }
        types.push(name.to_owned());
    }
    Ok(types)
}

/// `type/id` → its node.
fn entity_param(g: &Graph, name: &str, value: Option<&str>) -> Result<NodeIx, ServiceError> {
    let text = value.map(str::trim).unwrap_or_default();
    let Some((entity_type, id)) = text
        .split_once('/')
        .filter(|(t, i)| !t.is_empty() && !i.is_empty())
    else {
        return Err(ServiceError::bad_field(
            name,
            "write the entity as `type/id`, e.g. `person/p1`",
        ));
    };
    match find_entity(g, entity_type, id) {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err(ServiceError::NotFound(format!(
            "no {entity_type}/{id} in the graph"
        ))),
        Err(e) => Err(ServiceError::bad_field(name, e)),
    }
}

// The audited questions.

/// Checks role and purpose (each refusal logged), then hands out the current graph.
async fn open(
    node: &Node,
    caller: &Caller,
    action: &'static str,
    object: &str,
    reason: &AccessReason,
) -> Result<(Purpose, Arc<NodeGraph>), ServiceError> {
    require_role(node, caller, GRAPH_ROLES, action, Some(object.to_owned())).await?;
    let purpose = check_purpose(node, caller, action, object, reason).await?;
    let graph = node.graph.graph(node).await?;
    Ok((purpose, graph))
}

/// Logs the outcome of a question asked with a purpose, and passes a refusal on.
async fn audit<T>(
    node: &Node,
    caller: &Caller,
    action: &'static str,
    purpose: Purpose,
    reason: &AccessReason,
    outcome: Result<(T, Vec<String>, String), (ServiceError, String)>,
) -> Result<T, ServiceError> {
    let (status, objects, detail) = match &outcome {
        Ok((_, objects, detail)) => ("ok", objects.clone(), detail.clone()),
        Err((ServiceError::NotFound(d), object)) => ("not_found", vec![object.clone()], d.clone()),
        Err((e, object)) => ("refused", vec![object.clone()], e.to_string()),
    };
    let total = objects.len();
    let mut event = AuditEvent::new(action, status).detail(if total > MAX_AUDIT_OBJECTS {
        format!("{detail} ({total} entities, the first {MAX_AUDIT_OBJECTS} listed)")
    } else {
        detail
    });
    event.objects = objects.into_iter().take(MAX_AUDIT_OBJECTS).collect();
    event.purpose = Some(purpose.as_str().to_owned());
    event.case_ref = reason.case_ref.clone();
    record_audit(node, caller, event).await?;
    outcome.map(|(value, _, _)| value).map_err(|(e, _)| e)
}

/// Parameters of a neighbourhood, as given (each checked here).
#[derive(Debug, Clone, Default)]
pub struct NeighbourhoodParams {
    pub hops: Option<String>,
    pub edge_types: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub owner: Option<String>,
    pub max_nodes: Option<String>,
}

/// The entities within `hops` links of one entity, with the links among them.
pub async fn neighbourhood(
    node: &Node,
    caller: &Caller,
    entity_type: &str,
    id: &str,
    params: &NeighbourhoodParams,
    reason: &AccessReason,
) -> Result<NeighbourhoodBody, ServiceError> {
    const ACTION: &str = "graph.neighbourhood";
    let object = format!("{entity_type}/{id}");
    let (purpose, graph) = open(node, caller, ACTION, &object, reason).await?;
    let g = &graph.graph;
    let answer = (|| {
        let hops = number("hops", params.hops.as_deref(), 2, 0, 6)?;
        let max_nodes = number("max_nodes", params.max_nodes.as_deref(), 500, 1, 10_000)?;
        let from_day = day("from", params.from.as_deref())?;
        let to_day = day("to", params.to.as_deref())?;
        if let (Some(f), Some(t)) = (from_day, to_day)
            && t < f
        {
            return Err(ServiceError::bad_field("to", "`to` is before `from`"));
        }
        let owners = params
            .owner
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| {
                g.owners()
                    .iter()
                    .position(|known| known == o)
                    .and_then(|i| u16::try_from(i).ok())
                    .into_iter()
                    .collect::<Vec<u16>>()
            });
        let filter = EdgeFilter {
            kinds: edge_kinds(params.edge_types.as_deref())?,
            from_day,
            to_day,
            owners,
        };
        let start = match find_entity(g, entity_type, id) {
            Ok(Some(n)) => n,
            Ok(None) => return Err(ServiceError::NotFound(format!("no {object} in the graph"))),
            Err(e) => return Err(ServiceError::bad_field("type", e)),
        };
        let found = walk(g, start, hops, &filter, max_nodes as usize);
        let nodes: Vec<GraphNode> = found
            .nodes
            .iter()
            .map(|&(n, h)| {
                let e = entity(g, n);
                GraphNode {
                    entity_type: e.entity_type,
                    id: e.id,
                    label: e.label,
                    owner: e.owner,
                    hops: h,
                }
            })
            .collect();
        let edges: Vec<GraphEdge> = found.edges.iter().map(|&e| edge_body(g, e)).collect();
        let mut objects = vec![object.clone()];
        objects.extend(
            found
                .nodes
                .iter()
                .skip(1)
                .filter(|(n, _)| is_record(g, *n))
                .map(|(n, _)| object_name(&entity_ref(g, *n))),
        );
        let detail = format!(
            "{hops} hops: {} entities, {} links{}",
            nodes.len(),
            edges.len(),
            if found.truncated { ", truncated" } else { "" }
        );
        Ok((
            NeighbourhoodBody {
                nodes,
                edges,
                truncated: found.truncated,
            },
            objects,
            detail,
        ))
    })()
    .map_err(|e| (e, object.clone()));
    audit(node, caller, ACTION, purpose, reason, answer).await
}

/// Parameters of a path search, as given.
#[derive(Debug, Clone, Default)]
pub struct PathParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub max_length: Option<String>,
    pub limit: Option<String>,
    pub edge_types: Option<String>,
}

/// Simple paths between two entities, shortest first.
pub async fn paths(
    node: &Node,
    caller: &Caller,
    params: &PathParams,
    reason: &AccessReason,
) -> Result<PathsBody, ServiceError> {
    const ACTION: &str = "graph.paths";
    let object = format!(
        "{} -> {}",
        params.from.as_deref().unwrap_or(""),
        params.to.as_deref().unwrap_or("")
    );
    let (purpose, graph) = open(node, caller, ACTION, &object, reason).await?;
    let g = &graph.graph;
    let answer = (|| {
        let max_length = number("max_length", params.max_length.as_deref(), 4, 1, 8)?;
        let limit = number("limit", params.limit.as_deref(), 10, 1, 100)?;
        let filter = EdgeFilter {
            kinds: edge_kinds(params.edge_types.as_deref())?,
            ..EdgeFilter::default()
        };
        let from = entity_param(g, "from", params.from.as_deref())?;
        let to = entity_param(g, "to", params.to.as_deref())?;
        let search = paths_bounded(
            g,
            from,
            to,
            max_length,
            &filter,
            limit as usize,
            liaison_graph::DEFAULT_PATH_STEPS,
        );
        let mut objects: Vec<String> = vec![
            object_name(&entity_ref(g, from)),
            object_name(&entity_ref(g, to)),
        ];
        let mut seen: std::collections::HashSet<NodeIx> = [from, to].into_iter().collect();
        for path in &search.paths {
            for &n in path {
                if seen.insert(n) && is_record(g, n) {
                    objects.push(object_name(&entity_ref(g, n)));
                }
            }
        }
        let detail = format!(
            "{} paths of at most {max_length} links{}",
            search.paths.len(),
            if search.complete {
                ""
            } else {
                ", search cut short"
            }
        );
        let body = PathsBody {
            paths: search
                .paths
                .iter()
                .map(|p| p.iter().map(|&n| entity_ref(g, n)).collect())
                .collect(),
            complete: search.complete,
        };
        Ok((body, objects, detail))
    })()
    .map_err(|e| (e, object.clone()));
    audit(node, caller, ACTION, purpose, reason, answer).await
}

/// The graph restricted to what a question is about: the whole graph, or a case's entities with
/// [`CASE_RADIUS`] hops around them as a graph of its own, with the map back to the whole graph's nodes.
/// As an actor network (for key players), cases and alerts are left out and the records of one resolved
/// identity are one node.
struct Scope {
    graph: Option<Graph>,
    /// Analysed node → the whole-graph nodes it stands for, the first being its representative (empty for
    /// the whole graph as it is).
    original: Vec<Vec<NodeIx>>,
    name: String,
}

impl Scope {
    fn graph<'a>(&'a self, whole: &'a Graph) -> &'a Graph {
        self.graph.as_ref().unwrap_or(whole)
    }

    fn original(&self, n: NodeIx) -> NodeIx {
        self.original
            .get(n as usize)
            .and_then(|o| o.first())
            .copied()
            .unwrap_or(n)
    }

    fn records(&self, n: NodeIx) -> &[NodeIx] {
        self.original.get(n as usize).map_or(&[], Vec::as_slice)
    }
}

/// The nodes of a case's part of the graph, the case first.
fn case_nodes(g: &Graph, case: &str) -> Result<Vec<NodeIx>, ServiceError> {
    let start = g
        .find(EntityKind::Case, case)
        .ok_or_else(|| ServiceError::NotFound(format!("no case/{case} in the graph")))?;
    // The case's entities are one hop from it, so their radius is one more from the case.
    let around = walk(g, start, CASE_RADIUS + 1, &EdgeFilter::all(), usize::MAX);
    Ok(around.nodes.into_iter().map(|(n, _)| n).collect())
}

fn scope(
    g: &Graph,
    case: Option<&str>,
    actors: Option<&[IdentityGroup]>,
) -> Result<Scope, ServiceError> {
    let case = case.map(str::trim).filter(|c| !c.is_empty());
    let name = case.map_or_else(|| "graph".to_owned(), |c| format!("case {c}"));
    let selection = match case {
        Some(case) => Some(case_nodes(g, case)?),
        None if actors.is_none() => {
            return Ok(Scope {
                graph: None,
                original: Vec::new(),
                name,
            });
        }
        None => None,
    };
    // Persons of a resolved identity all map to the identity's first record.
    let mut representative: std::collections::HashMap<NodeIx, NodeIx> =
        std::collections::HashMap::new();
    for group in actors.unwrap_or_default() {
        if let Some(&(first, _)) = group.members.first() {
            for &(member, _) in &group.members {
                representative.insert(member, first);
            }
        }
    }
    let kept =
        |n: NodeIx| actors.is_none() || !matches!(g.kind(n), EntityKind::Case | EntityKind::Alert);
    let nodes: Vec<NodeIx> = match &selection {
        Some(list) => list.iter().copied().filter(|&n| kept(n)).collect(),
        None => g.nodes().filter(|&n| kept(n)).collect(),
    };
    let mut builder = GraphBuilder::with_capacity(nodes.len(), nodes.len() * 2);
    let mut local: std::collections::HashMap<NodeIx, NodeIx> =
        std::collections::HashMap::with_capacity(nodes.len());
    let mut original: Vec<Vec<NodeIx>> = Vec::with_capacity(nodes.len());
    for &n in &nodes {
        let stands_for = representative.get(&n).copied().unwrap_or(n);
        let m = builder.entity(g.kind(stands_for), g.key(stands_for));
        if m as usize == original.len() {
            original.push(vec![stands_for]);
            if let Some(label) = g.label(stands_for) {
                builder.set_label(m, label);
            }
            if let Some(owner) = g.owner_of(stands_for) {
                let o = builder.owner(owner);
                builder.set_owner(m, o);
            }
        }
        if stands_for != n
            && let Some(list) = original.get_mut(m as usize)
        {
            list.push(n);
        }
        local.insert(n, m);
    }
    for &n in &nodes {
        let Some(&a) = local.get(&n) else { continue };
        for (other, e) in g.neighbours(n) {
            // Each link once, from its lower end; links inside one identity vanish with it.
            if other < n {
                continue;
            }
            if let Some(&b) = local.get(&other)
                && a != b
            {
                let edge = g.edge(e);
                let owner = g
                    .owner_name(edge.owner)
                    .map_or(liaison_graph::NO_OWNER, |o| builder.owner(o));
                builder.edge(a, b, edge.kind, edge.label, edge.date, owner);
            }
        }
    }
    Ok(Scope {
        graph: Some(builder.build()),
        original,
        name,
    })
}

/// Betweenness of the given nodes within the connected components that hold them, each component taken as
/// a graph of its own: on a node's graph of many small components, sampled sources would mostly miss the
/// network the key players are in. Exact up to [`EXACT_BETWEENNESS_NODES`] entities, else estimated from
/// [`PIVOTS`] sources.
fn component_betweenness(g: &Graph, of: &[NodeIx]) -> std::collections::HashMap<NodeIx, f64> {
    let component = liaison_graph::connected_components(g);
    let wanted: std::collections::HashSet<u32> = of
        .iter()
        .filter_map(|&n| component.get(n as usize).copied())
        .collect();
    let members: Vec<NodeIx> = g
        .nodes()
        .filter(|&n| {
            component
                .get(n as usize)
                .is_some_and(|c| wanted.contains(c))
        })
        .collect();
    let mut builder = GraphBuilder::with_capacity(members.len(), members.len() * 2);
    let mut local: std::collections::HashMap<NodeIx, NodeIx> =
        std::collections::HashMap::with_capacity(members.len());
    for &n in &members {
        let m = builder.entity(g.kind(n), g.key(n));
        local.insert(n, m);
    }
    for &n in &members {
        for (other, e) in g.neighbours(n) {
            if other > n
                && let (Some(&a), Some(&b)) = (local.get(&n), local.get(&other))
            {
                builder.edge(a, b, g.edge(e).kind, None, None, liaison_graph::NO_OWNER);
            }
        }
    }
    let sub = builder.build();
    let scores = if sub.node_count() <= EXACT_BETWEENNESS_NODES {
        betweenness(&sub, Sampling::Exact)
    } else {
        betweenness(
            &sub,
            Sampling::Pivots {
                count: PIVOTS,
                seed: 0,
            },
        )
    };
    of.iter()
        .map(|&n| {
            let score = local
                .get(&n)
                .and_then(|&m| scores.get(m as usize))
                .copied()
                .unwrap_or(0.0);
            (n, score)
        })
        .collect()
}

/// Parameters of key players, as given.
#[derive(Debug, Clone, Default)]
pub struct KeyPlayerParams {
    pub limit: Option<String>,
    pub types: Option<String>,
    pub case: Option<String>,
}

/// The entities whose removal fragments the network most (greedy), among the types asked (persons by
/// default), in the whole graph or around one case.
pub async fn key_players(
    node: &Node,
    caller: &Caller,
    params: &KeyPlayerParams,
    reason: &AccessReason,
) -> Result<KeyPlayersBody, ServiceError> {
    const ACTION: &str = "graph.key_players";
    let object = params
        .case
        .as_deref()
        .map_or_else(|| "graph".to_owned(), |c| format!("case/{c}"));
    let (purpose, graph) = open(node, caller, ACTION, &object, reason).await?;
    let whole = &graph.graph;
    let answer = (|| {
        let limit = number("limit", params.limit.as_deref(), 10, 1, 50)?;
        let types = entity_types(params.types.as_deref())?;
        let scope = scope(whole, params.case.as_deref(), Some(&graph.identities))?;
        let g = scope.graph(whole);
        let eligible = |n: NodeIx| is_of_type(g, n, &types);
        // Ties (common among the leaves of a large graph) go to the higher betweenness on graphs small
        // enough to compute it exactly, to the higher degree above: sampled betweenness over millions of
        // entities would cost more than the whole greedy search.
        let chosen = liaison_graph::key_players_with(g, limit as usize, &eligible, &mut || {
            if g.node_count() <= EXACT_BETWEENNESS_NODES {
                betweenness(g, Sampling::Exact)
            } else {
                g.nodes().map(|n| g.degree(n) as f64).collect()
            }
        });
        let chosen_nodes: Vec<NodeIx> = chosen.iter().map(|k| k.node).collect();
        let bc = component_betweenness(g, &chosen_nodes);
        let ranks = liaison_graph::pagerank(g, 0.85, 1e-9, 100);
        let cores = liaison_graph::core_numbers(g);
        let before = fragmentation(g, &[]);
        let after = chosen.last().map_or(before, |k| k.fragmentation_after);
        let players: Vec<KeyPlayerBody> = chosen
            .iter()
            .map(|k| {
                let e = entity(whole, scope.original(k.node));
                KeyPlayerBody {
                    entity_type: e.entity_type,
                    id: e.id,
                    label: e.label,
                    owner: e.owner,
                    fragmentation_gain: k.gain,
                    betweenness: bc.get(&k.node).copied().unwrap_or(0.0),
                    degree: u32::try_from(g.degree(k.node)).unwrap_or(u32::MAX),
                    pagerank: ranks.get(k.node as usize).copied().unwrap_or(0.0),
                    core: cores.get(k.node as usize).copied().unwrap_or(0),
                    records: match scope.records(k.node) {
                        [_] | [] => Vec::new(),
                        many => many.iter().map(|&n| entity_ref(whole, n)).collect(),
                    },
                }
            })
            .collect();
        let mut objects = vec![object.clone()];
        objects.extend(
            players
                .iter()
                .map(|p| format!("{}/{}", p.entity_type, p.id)),
        );
        let detail = format!(
            "{} key players of {} in {}: fragmentation {before:.3} -> {after:.3}",
            players.len(),
            types.join(", "),
            scope.name
        );
        let body = KeyPlayersBody {
            key_players: players,
            fragmentation_before: before,
            fragmentation_after: after,
            scope: scope.name.clone(),
            nodes: g.node_count() as u64,
        };
        Ok((body, objects, detail))
    })()
    .map_err(|e| (e, object.clone()));
    audit(node, caller, ACTION, purpose, reason, answer).await
}

/// Parameters of communities, as given.
#[derive(Debug, Clone, Default)]
pub struct CommunityParams {
    pub limit: Option<String>,
    pub case: Option<String>,
}

/// Communities (Louvain), largest first, without the entities alone in theirs.
pub async fn communities(
    node: &Node,
    caller: &Caller,
    params: &CommunityParams,
    reason: &AccessReason,
) -> Result<CommunitiesBody, ServiceError> {
    const ACTION: &str = "graph.communities";
    let object = params
        .case
        .as_deref()
        .map_or_else(|| "graph".to_owned(), |c| format!("case/{c}"));
    let (purpose, graph) = open(node, caller, ACTION, &object, reason).await?;
    let whole = &graph.graph;
    let answer = (|| {
        let limit = number("limit", params.limit.as_deref(), 50, 1, 1_000)?;
        let scope = scope(whole, params.case.as_deref(), None)?;
        let g = scope.graph(whole);
        let found = louvain(g, 0);
        let mut members: Vec<Vec<NodeIx>> = vec![Vec::new(); found.count as usize];
        for (n, &c) in found.membership.iter().enumerate() {
            if let Some(list) = members.get_mut(c as usize) {
                list.push(scope.original(n as NodeIx));
            }
        }
        members.retain(|m| m.len() > 1);
        members.sort_by(|a, b| b.len().cmp(&a.len()).then(a.first().cmp(&b.first())));
        let count = members.len() as u64;
        let mut objects = vec![object.clone()];
        let list: Vec<CommunityBody> = members
            .iter()
            .take(limit as usize)
            .map(|m| {
                let mut entities: Vec<GraphEntity> = m.iter().map(|&n| entity(whole, n)).collect();
                entities.sort_by(|a, b| {
                    (a.entity_type != "person", &a.entity_type, &a.id).cmp(&(
                        b.entity_type != "person",
                        &b.entity_type,
                        &b.id,
                    ))
                });
                entities.truncate(MAX_COMMUNITY_MEMBERS);
                objects.extend(
                    entities
                        .iter()
                        .filter(|e| e.entity_type == "person")
                        .map(|e| format!("person/{}", e.id)),
                );
                CommunityBody {
                    size: m.len() as u64,
                    members: entities,
                }
            })
            .collect();
        let detail = format!(
            "{count} communities in {} (modularity {:.3}), {} listed",
            scope.name,
            found.modularity,
            list.len()
        );
        let body = CommunitiesBody {
            communities: list,
            count,
            modularity: found.modularity,
        };
        Ok((body, objects, detail))
    })()
    .map_err(|e| (e, object.clone()));
    audit(node, caller, ACTION, purpose, reason, answer).await
}

/// A graph file ready to send.
#[derive(Debug, Clone)]
pub struct GraphExport {
    pub content_type: &'static str,
    pub file_name: String,
    pub body: String,
}

/// The graph (or a case's part of it) as GraphML or GEXF.
pub async fn export(
    node: &Node,
    caller: &Caller,
    format: Option<&str>,
    case: Option<&str>,
    reason: &AccessReason,
) -> Result<GraphExport, ServiceError> {
    const ACTION: &str = "graph.export";
    let object = case.map_or_else(|| "graph".to_owned(), |c| format!("case/{c}"));
    let (purpose, graph) = open(node, caller, ACTION, &object, reason).await?;
    let g = &graph.graph;
    let answer = (|| {
        let format = format
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .unwrap_or("graphml");
        let (content_type, extension) = match format {
            "graphml" => ("application/graphml+xml", "graphml"),
            "gexf" => ("application/gexf+xml", "gexf"),
            other => {
                return Err(ServiceError::bad_field(
                    "format",
                    format!("unknown format `{other}`; one of: graphml, gexf"),
                ));
            }
        };
        let selection: Option<Vec<NodeIx>> = match case.map(str::trim).filter(|c| !c.is_empty()) {
            Some(case) => Some(case_nodes(g, case)?),
            None => None,
        };
        let body = if extension == "graphml" {
            liaison_graph::to_graphml(g, selection.as_deref())
        } else {
            liaison_graph::to_gexf(g, selection.as_deref())
        };
        let part: String = case
            .map(|c| format!("-case-{c}"))
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file_name = format!(
            "graph-{}{part}-{}.{extension}",
            node.id,
            node.now().format("%Y%m%d")
        );
        let entities = selection.as_ref().map_or(g.node_count(), Vec::len);
        let detail = format!("{format}: {entities} entities, {} bytes", body.len());
        Ok((
            GraphExport {
                content_type,
                file_name,
                body,
            },
            vec![object.clone()],
            detail,
        ))
    })()
    .map_err(|e| (e, object.clone()));
    audit(node, caller, ACTION, purpose, reason, answer).await
}

fn identity_body(g: &Graph, group: &IdentityGroup) -> IdentityBody {
    let person = |id: &str| GraphEntityRef {
        entity_type: "person".to_owned(),
        id: id.to_owned(),
    };
    IdentityBody {
        id: group.id.clone(),
        status: if group.confirmed() {
            "confirmed"
        } else {
            "proposed"
        }
        .to_owned(),
        records: group.members.iter().map(|&(n, _)| entity(g, n)).collect(),
        evidence: group
            .evidence
            .iter()
            .map(|((a, b), e)| IdentityEvidence {
                a: person(a),
                b: person(b),
                score: e.score,
                explanation: e.explanation.clone(),
                confirmed: e.confirmed,
            })
            .collect(),
    }
}

/// The resolved identities: groups of person records taken for one person.
pub async fn identities(
    node: &Node,
    caller: &Caller,
    reason: &AccessReason,
) -> Result<IdentitiesBody, ServiceError> {
    const ACTION: &str = "graph.identities";
    let (purpose, graph) = open(node, caller, ACTION, "identities", reason).await?;
    let g = &graph.graph;
    let body = IdentitiesBody {
        identities: graph
            .identities
            .iter()
            .map(|i| identity_body(g, i))
            .collect(),
        persons: graph.stats.persons,
        skipped: graph.identity_note.clone(),
    };
    let objects: Vec<String> = body
        .identities
        .iter()
        .flat_map(|i| i.records.iter().map(|r| format!("person/{}", r.id)))
        .collect();
    let detail = format!(
        "{} identities over {} persons{}",
        body.identities.len(),
        body.persons,
        body.skipped
            .as_deref()
            .map(|s| format!("; {s}"))
            .unwrap_or_default()
    );
    audit(
        node,
        caller,
        ACTION,
        purpose,
        reason,
        Ok((body, objects, detail)),
    )
    .await
}

/// What an analyst decides about a group of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityVerdict {
    /// The records are one person.
    Confirm,
    /// The records are not the same person as the rest of the group.
    Split,
}

impl IdentityVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityVerdict::Confirm => "confirm",
            IdentityVerdict::Split => "split",
        }
    }
}

/// Confirms or splits an identity group; the pair decisions are kept in the store and apply from the next
/// build on (a split pair never gets a `same_identity` link again).
pub async fn decide_identity(
    node: &Node,
    caller: &Caller,
    identity_id: &str,
    verdict: IdentityVerdict,
    body: &IdentityDecisionBody,
    reason: &AccessReason,
) -> Result<IdentityDecisionsBody, ServiceError> {
    let action = match verdict {
        IdentityVerdict::Confirm => "graph.identity_confirm",
        IdentityVerdict::Split => "graph.identity_split",
    };
    let object = format!("identity/{identity_id}");
    let (purpose, graph) = open(node, caller, action, &object, reason).await?;
    let cache = &node.graph;
    let _guard = cache.decisions.lock().await;
    let decided = (|| {
        let group = graph
            .identities
            .iter()
            .find(|g| g.id == identity_id)
            .ok_or_else(|| {
                ServiceError::NotFound(format!("no identity {identity_id} in the graph"))
            })?;
        let why = body.reason.trim();
        if why.is_empty() {
            return Err(ServiceError::bad_field("reason", "say why"));
        }
        if why.chars().count() > 1_000 {
            return Err(ServiceError::bad_field(
                "reason",
                "at most 1,000 characters",
            ));
        }
        let members: Vec<&str> = group.members.iter().map(|(_, id)| id.as_str()).collect();
        let mut listed: Vec<&str> = Vec::new();
        for (i, text) in body.records.iter().enumerate() {
            let id = text.trim().strip_prefix("person/").unwrap_or(text.trim());
            if !members.contains(&id) {
                return Err(ServiceError::bad_field(
                    &format!("records[{i}]"),
                    format!("`{text}` is not a record of identity {identity_id}"),
                ));
            }
            if !listed.contains(&id) {
                listed.push(id);
            }
        }
        let pairs: Vec<(&str, &str)> = match verdict {
            IdentityVerdict::Confirm => {
                let chosen = if listed.is_empty() {
                    members.clone()
                } else {
                    listed
                };
                if chosen.len() < 2 {
                    return Err(ServiceError::bad_field(
                        "records",
                        "confirm at least two records",
                    ));
                }
                chosen
                    .iter()
                    .enumerate()
                    .flat_map(|(i, &a)| chosen.iter().skip(i + 1).map(move |&b| (a, b)))
                    .collect()
            }
            IdentityVerdict::Split => {
                if listed.is_empty() {
                    return Err(ServiceError::bad_field(
                        "records",
                        "name the records to split off",
                    ));
                }
                if listed.len() == members.len() {
                    listed
                        .iter()
                        .enumerate()
                        .flat_map(|(i, &a)| listed.iter().skip(i + 1).map(move |&b| (a, b)))
                        .collect()
                } else {
                    listed
                        .iter()
                        .flat_map(|&a| {
                            members
                                .iter()
                                .filter(|m| !listed.contains(m))
                                .map(move |&b| (a, b))
                        })
                        .collect()
                }
            }
        };
        let at = node
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let decisions: Vec<IdentityDecision> = pairs
            .into_iter()
            .map(|(a, b)| {
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                IdentityDecision {
                    decision: verdict.as_str().to_owned(),
                    pair: [a.to_owned(), b.to_owned()],
                    reason: why.to_owned(),
                    by: caller.actor.audit_name(),
                    at: at.clone(),
                }
            })
            .collect();
        let objects: Vec<String> = std::iter::once(object.clone())
            .chain(
                decisions
                    .iter()
                    .flat_map(|d| d.pair.iter().map(|id| format!("person/{id}")))
                    .collect::<std::collections::BTreeSet<_>>(),
            )
            .collect();
        let detail = format!("{}: {} pairs; {why}", verdict.as_str(), decisions.len());
        Ok((decisions, objects, detail))
    })();
    let decided = match decided {
        Ok((decisions, objects, detail)) => {
            let mut kept = load_decisions(node).await?;
            kept.extend(decisions.iter().cloned());
            node.store
                .put_setting(DECISIONS_SETTING, &encode_identity_decisions(&kept))
                .await?;
            cache.invalidate().await;
            Ok((IdentityDecisionsBody { decisions }, objects, detail))
        }
        Err(e) => Err((e, object.clone())),
    };
    audit(node, caller, action, purpose, reason, decided).await
}
