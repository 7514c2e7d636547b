//! The entity graph: a builder that interns entities and collects links, and the immutable graph it
//! builds, stored as flat arrays with compressed adjacency (CSR) so that millions of nodes stay cheap.

use rustc_hash::FxHashMap;

use crate::model::{EdgeKind, EdgeRef, EntityKind};
use crate::strings::{Interner, KeyIndex, StrTable, hash_str};
use crate::{EdgeIx, NodeIx};

/// Marks "no value" in the u32 columns (labels).
pub(crate) const NONE: u32 = u32::MAX;
/// Marks a node or link without a known owner.
pub const NO_OWNER: u16 = u16::MAX;
/// Stands for a missing date in the date column; a date equal to it is read back as missing.
const NO_DATE: i32 = i32::MIN;

/// Nodes and links shared by the builder and the graph.
#[derive(Clone, Debug, Default)]
struct Tables {
    kinds: Vec<EntityKind>,
    keys: StrTable,
    key_index: KeyIndex,
    node_label: Vec<u32>,
    node_labels: StrTable,
    node_owner: Vec<u16>,
    owners: Vec<String>,
    owner_ids: FxHashMap<String, u16>,
    edge_ends: Vec<[NodeIx; 2]>,
    edge_kind: Vec<EdgeKind>,
    edge_date: Vec<i32>,
    edge_owner: Vec<u16>,
    edge_label: Vec<u32>,
    edge_labels: Interner,
}

impl Tables {
    fn find(&self, kind: EntityKind, key: &str) -> Option<NodeIx> {
        let hash = hash_str(kind as u8, key);
        self.key_index.find(hash, |id| {
            self.kinds.get(id as usize) == Some(&kind) && self.keys.get(id) == key
        })
    }
}

/// Collects entities and links, then [`GraphBuilder::build`]s the immutable [`Graph`].
#[derive(Clone, Default)]
pub struct GraphBuilder {
    t: Tables,
}

impl GraphBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves room for about `nodes` entities and `edges` links.
    pub fn with_capacity(nodes: usize, edges: usize) -> Self {
        let t = Tables {
            kinds: Vec::with_capacity(nodes),
            keys: StrTable::with_capacity(nodes, nodes.saturating_mul(8)),
            key_index: KeyIndex::with_capacity(nodes),
            node_label: Vec::with_capacity(nodes),
            node_owner: Vec::with_capacity(nodes),
            edge_ends: Vec::with_capacity(edges),
            edge_kind: Vec::with_capacity(edges),
            edge_date: Vec::with_capacity(edges),
            edge_owner: Vec::with_capacity(edges),
            edge_label: Vec::with_capacity(edges),
            ..Tables::default()
        };
        Self { t }
    }

    /// Interns an owner (the node that holds the record) and returns its index in [`Graph::owners`].
    /// At most 65,535 owners are told apart; any further one is recorded as [`NO_OWNER`].
    pub fn owner(&mut self, node_id: &str) -> u16 {
        if let Some(&i) = self.t.owner_ids.get(node_id) {
            return i;
        }
        match u16::try_from(self.t.owners.len()) {
            Ok(i) if i != NO_OWNER => {
                self.t.owners.push(node_id.to_owned());
                self.t.owner_ids.insert(node_id.to_owned(), i);
                i
            }
            _ => NO_OWNER,
        }
    }

    /// The node for entity `(kind, key)`, created on first use. Keys are compared exactly: normalise them
    /// (e.g. phone numbers in E.164) before calling.
    pub fn entity(&mut self, kind: EntityKind, key: &str) -> NodeIx {
        if let Some(n) = self.t.find(kind, key) {
            return n;
        }
        let n = self.t.keys.push(key);
        self.t.kinds.push(kind);
        self.t.node_label.push(NONE);
        self.t.node_owner.push(NO_OWNER);
        self.t.key_index.insert(hash_str(kind as u8, key), n);
        n
    }

    /// The node created so far for `(kind, key)`, if any.
    pub fn find(&self, kind: EntityKind, key: &str) -> Option<NodeIx> {
        self.t.find(kind, key)
    }

    pub fn node_count(&self) -> usize {
        self.t.kinds.len()
    }

    /// Sets the display label (e.g. a person's name); the last one set wins. Unknown nodes are ignored.
    pub fn set_label(&mut self, node: NodeIx, label: &str) {
        if (node as usize) < self.t.node_label.len() {
            let ix = self.t.node_labels.push(label);
            if let Some(slot) = self.t.node_label.get_mut(node as usize) {
                *slot = ix;
            }
        }
    }

    /// Sets the owner of a node (an index from [`GraphBuilder::owner`]). Unknown nodes are ignored.
    pub fn set_owner(&mut self, node: NodeIx, owner: u16) {
        if let Some(slot) = self.t.node_owner.get_mut(node as usize) {
            *slot = owner;
        }
    }

    /// Adds an undirected link. Self-loops and links to unknown nodes are ignored; parallel links are
    /// kept (the graph is a typed multigraph: two persons may share a phone and a flight).
    pub fn edge(
        &mut self,
        a: NodeIx,
        b: NodeIx,
        kind: EdgeKind,
        label: Option<&str>,
        date: Option<i32>,
        owner: u16,
    ) {
        let n = self.t.kinds.len();
        if a == b || a as usize >= n || b as usize >= n {
            return;
        }
        // EdgeIx is u32; beyond that links are dropped rather than wrapping around.
        if self.t.edge_ends.len() >= NONE as usize {
            return;
        }
        self.t.edge_ends.push([a, b]);
        self.t.edge_kind.push(kind);
        self.t.edge_date.push(date.unwrap_or(NO_DATE));
        self.t.edge_owner.push(owner);
        let label = label.map_or(NONE, |l| self.t.edge_labels.intern(l));
        self.t.edge_label.push(label);
    }

    pub fn edge_count(&self) -> usize {
        self.t.edge_ends.len()
    }

    /// Freezes the graph: lays out each node's links contiguously, sorted by neighbour then link.
    pub fn build(self) -> Graph {
        let mut t = self.t;
        t.owner_ids = FxHashMap::default();
        let n = t.kinds.len();
        let mut offsets = vec![0usize; n + 1];
        for &[a, b] in &t.edge_ends {
            if let Some(o) = offsets.get_mut(a as usize + 1) {
                *o += 1;
            }
            if let Some(o) = offsets.get_mut(b as usize + 1) {
                *o += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let total = offsets[n];
        // Packed (neighbour << 32 | link) so one integer sort orders a node's links by neighbour, then link.
        let mut packed = vec![0u64; total];
        let mut cursor: Vec<usize> = offsets[..n].to_vec();
        for (e, &[a, b]) in t.edge_ends.iter().enumerate() {
            let e = e as u64;
            for (from, to) in [(a, b), (b, a)] {
                if let Some(c) = cursor.get_mut(from as usize) {
                    if let Some(slot) = packed.get_mut(*c) {
                        *slot = (u64::from(to) << 32) | e;
                    }
                    *c += 1;
                }
            }
        }
        drop(cursor);
        for w in offsets.windows(2) {
            if let Some(row) = packed.get_mut(w[0]..w[1]) {
                row.sort_unstable();
            }
        }
        let nbr: Vec<u32> = packed.iter().map(|&p| (p >> 32) as u32).collect();
        let nbr_edge: Vec<u32> = packed.iter().map(|&p| p as u32).collect();
        drop(packed);
        t.keys.shrink_to_fit();
        t.node_labels.shrink_to_fit();
        t.edge_labels.shrink_to_fit();
        t.kinds.shrink_to_fit();
        t.node_label.shrink_to_fit();
        t.node_owner.shrink_to_fit();
        t.edge_ends.shrink_to_fit();
        t.edge_kind.shrink_to_fit();
        t.edge_date.shrink_to_fit();
        t.edge_owner.shrink_to_fit();
        t.edge_label.shrink_to_fit();
        Graph {
            t,
            offsets,
            nbr,
            nbr_edge,
        }
    }
}

/// The immutable entity graph. Node and link indices are dense (`0..node_count`, `0..edge_count`) and in
/// the order the builder created them; each node's links are sorted by neighbour, then by link.
#[derive(Clone)]
pub struct Graph {
    t: Tables,
    offsets: Vec<usize>,
    nbr: Vec<NodeIx>,
    nbr_edge: Vec<EdgeIx>,
}

// Debug shows the size only: a graph can hold millions of entities, and a log line must not.
impl std::fmt::Debug for GraphBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphBuilder")
            .field("nodes", &self.node_count())
            .field("edges", &self.edge_count())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("nodes", &self.node_count())
            .field("edges", &self.edge_count())
            .field("owners", &self.owners())
            .finish_non_exhaustive()
    }
}

impl Default for Graph {
    fn default() -> Self {
        GraphBuilder::new().build()
    }
}

impl Graph {
    pub fn node_count(&self) -> usize {
        self.t.kinds.len()
    }

    pub fn edge_count(&self) -> usize {
        self.t.edge_ends.len()
    }

    /// All node indices.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeIx> + use<> {
        0..self.node_count() as NodeIx
    }

    /// All link indices.
    pub fn edges(&self) -> impl ExactSizeIterator<Item = EdgeIx> + use<> {
        0..self.edge_count() as EdgeIx
    }

    pub fn find(&self, kind: EntityKind, key: &str) -> Option<NodeIx> {
        self.t.find(kind, key)
    }

    /// The kind of a node ([`EntityKind::Other`] for an index out of range).
    pub fn kind(&self, n: NodeIx) -> EntityKind {
        self.t
            .kinds
            .get(n as usize)
            .copied()
            .unwrap_or(EntityKind::Other)
    }

    /// The key a node was interned with ("" for an index out of range).
    pub fn key(&self, n: NodeIx) -> &str {
        self.t.keys.get(n)
    }

    pub fn label(&self, n: NodeIx) -> Option<&str> {
        match self.t.node_label.get(n as usize) {
            Some(&ix) if ix != NONE => Some(self.t.node_labels.get(ix)),
            _ => None,
        }
    }

    /// The owner's index in [`Graph::owners`], if the node has one.
    pub fn owner_index(&self, n: NodeIx) -> Option<u16> {
        self.t
            .node_owner
            .get(n as usize)
            .copied()
            .filter(|&o| (o as usize) < self.t.owners.len())
    }

    /// The node id of the owner of a node's record, if known.
    pub fn owner_of(&self, n: NodeIx) -> Option<&str> {
        self.owner_index(n).and_then(|o| self.owner_name(o))
    }

    pub fn owner_name(&self, owner: u16) -> Option<&str> {
        self.t.owners.get(owner as usize).map(String::as_str)
    }

    pub fn owners(&self) -> &[String] {
        &self.t.owners
    }

    /// The link `e`. An index out of range yields a placeholder link from node 0 to itself.
    pub fn edge(&self, e: EdgeIx) -> EdgeRef<'_> {
        let i = e as usize;
        let [a, b] = self.t.edge_ends.get(i).copied().unwrap_or([0, 0]);
        let label = match self.t.edge_label.get(i) {
            Some(&l) if l != NONE => Some(self.t.edge_labels.get(l)),
            _ => None,
        };
        EdgeRef {
            a,
            b,
            kind: self.edge_kind(e),
            label,
            date: self.edge_date(e),
            owner: self.edge_owner(e),
        }
    }

    pub(crate) fn edge_kind(&self, e: EdgeIx) -> EdgeKind {
        self.t
            .edge_kind
            .get(e as usize)
            .copied()
            .unwrap_or(EdgeKind::Relation)
    }

    pub(crate) fn edge_date(&self, e: EdgeIx) -> Option<i32> {
        self.t
            .edge_date
            .get(e as usize)
            .copied()
            .filter(|&d| d != NO_DATE)
    }

    pub(crate) fn edge_owner(&self, e: EdgeIx) -> u16 {
        self.t
            .edge_owner
            .get(e as usize)
            .copied()
            .unwrap_or(NO_OWNER)
    }

    fn row(&self, n: NodeIx) -> std::ops::Range<usize> {
        let i = n as usize;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&s), Some(&e)) => s..e,
            _ => 0..0,
        }
    }

    /// The neighbours of `n` with the link to each, sorted by neighbour then link; a neighbour linked
    /// several times appears once per link.
    pub fn neighbours(&self, n: NodeIx) -> impl Iterator<Item = (NodeIx, EdgeIx)> + '_ {
        let r = self.row(n);
        let nbr = self.nbr.get(r.clone()).unwrap_or(&[]);
        let edges = self.nbr_edge.get(r).unwrap_or(&[]);
        nbr.iter().copied().zip(edges.iter().copied())
    }

    /// The neighbours of `n`, sorted, repeated once per parallel link.
    pub(crate) fn adjacent(&self, n: NodeIx) -> &[NodeIx] {
        self.nbr.get(self.row(n)).unwrap_or(&[])
    }

    /// The links of `n`, in the same order as [`Graph::adjacent`].
    pub(crate) fn adjacent_edges(&self, n: NodeIx) -> &[EdgeIx] {
        self.nbr_edge.get(self.row(n)).unwrap_or(&[])
    }

    /// The number of links at `n` (parallel links counted each).
    pub fn degree(&self, n: NodeIx) -> usize {
        self.row(n).len()
    }

    /// Approximate heap size in bytes.
    pub fn memory_bytes(&self) -> usize {
        let t = &self.t;
        size_of::<Self>()
            + t.kinds.capacity() * size_of::<EntityKind>()
            + t.keys.heap_bytes()
            + t.key_index.heap_bytes()
            + t.node_label.capacity() * 4
            + t.node_labels.heap_bytes()
            + t.node_owner.capacity() * 2
            + t.owners
                .iter()
                .map(|o| o.capacity() + size_of::<String>())
                .sum::<usize>()
            + t.edge_ends.capacity() * 8
            + t.edge_kind.capacity() * size_of::<EdgeKind>()
            + t.edge_date.capacity() * 4
            + t.edge_owner.capacity() * 2
            + t.edge_label.capacity() * 4
            + t.edge_labels.heap_bytes()
            + self.offsets.capacity() * size_of::<usize>()
            + self.nbr.capacity() * 4
            + self.nbr_edge.capacity() * 4
    }
}

/// Iterates a sorted neighbour list once per distinct neighbour, for the algorithms that read the graph
/// as simple (parallel links collapse).
pub(crate) fn distinct(sorted: &[NodeIx]) -> impl Iterator<Item = NodeIx> + '_ {
    sorted
        .iter()
        .enumerate()
        .filter(move |&(i, v)| i == 0 || sorted.get(i - 1) != Some(v))
        .map(|(_, &v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_interns_entities_and_keeps_parallel_links() {
        let mut b = GraphBuilder::new();
        let own = b.owner("node-a");
        assert_eq!(b.owner("node-a"), own);
        let p1 = b.entity(EntityKind::Person, "p1");
        let p2 = b.entity(EntityKind::Person, "p2");
        let ph = b.entity(EntityKind::Phone, "p1");
        assert_ne!(p1, ph, "the same key under another kind is another entity");
        assert_eq!(b.entity(EntityKind::Person, "p1"), p1);
        b.set_label(p1, "Anna Example");
        b.set_owner(p1, own);
        b.edge(
            p1,
            p2,
            EdgeKind::Relation,
            Some("associate"),
            Some(20_000),
            own,
        );
        b.edge(
            p2,
            p1,
            EdgeKind::TravelledWith,
            Some("XA123 2026-03-01"),
            None,
            own,
        );
        b.edge(p1, p1, EdgeKind::Relation, None, None, own);
        b.edge(p1, 99, EdgeKind::Relation, None, None, own);
        b.edge(p1, ph, EdgeKind::SharesIdentifier, None, None, own);
        let g = b.build();
        assert_eq!(g.node_count(), 3);
        assert_eq!(g.edge_count(), 3);
        assert_eq!(g.find(EntityKind::Person, "p2"), Some(p2));
        assert_eq!(g.find(EntityKind::Vehicle, "p2"), None);
        assert_eq!(g.label(p1), Some("Anna Example"));
        assert_eq!(g.label(p2), None);
        assert_eq!(g.owner_of(p1), Some("node-a"));
        assert_eq!(g.owner_of(p2), None);
        assert_eq!(g.degree(p1), 3);
        let n: Vec<_> = g.neighbours(p1).collect();
        assert_eq!(n, vec![(p2, 0), (p2, 1), (ph, 2)]);
        let e = g.edge(1);
        assert_eq!((e.a, e.b, e.kind), (p2, p1, EdgeKind::TravelledWith));
        assert_eq!(e.label, Some("XA123 2026-03-01"));
        assert_eq!(g.edge(0).date, Some(20_000));
        assert_eq!(e.date, None);
        assert!(g.memory_bytes() > 0);
        assert_eq!(
            format!("{g:?}"),
            "Graph { nodes: 3, edges: 3, owners: [\"node-a\"], .. }"
        );
        assert_eq!(distinct(g.adjacent(p1)).collect::<Vec<_>>(), vec![p2, ph]);
    }

    #[test]
    fn graph_is_shared_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Graph>();
    }

    #[test]
    fn many_entities_are_found_again() {
        let mut b = GraphBuilder::with_capacity(10, 10);
        for i in 0..5000 {
            b.entity(EntityKind::Person, &format!("p{i}"));
            b.entity(EntityKind::Phone, &format!("p{i}"));
        }
        let g = b.build();
        for i in 0..5000u32 {
            assert_eq!(g.find(EntityKind::Person, &format!("p{i}")), Some(2 * i));
            assert_eq!(g.find(EntityKind::Phone, &format!("p{i}")), Some(2 * i + 1));
            assert_eq!(g.key(2 * i), format!("p{i}"));
        }
    }
}
