//! Walking the graph: neighbourhoods, shortest paths, all simple paths up to a length, and components.

use crate::filter::CompiledFilter;
use crate::graph::NONE;
use crate::{EdgeFilter, EdgeIx, Graph, NodeIx};

/// The nodes within some hops of a start node, with the links among them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    /// In breadth-first order, the start first, each with its distance in hops.
    pub nodes: Vec<(NodeIx, u32)>,
    /// Every link that passes the filter between two returned nodes, ascending.
    pub edges: Vec<EdgeIx>,
    /// True when `max_nodes` stopped the search before every node within `hops` was reached.
    pub truncated: bool,
}

/// The nodes at most `hops` links from `start` over links that pass `filter`, breadth first, at most
/// `max_nodes` of them. A start outside the graph gives an empty neighbourhood.
pub fn neighbourhood(
    g: &Graph,
    start: NodeIx,
    hops: u32,
    filter: &EdgeFilter,
    max_nodes: usize,
) -> Neighbourhood {
    let mut out = Neighbourhood::default();
    if start as usize >= g.node_count() || max_nodes == 0 {
        return out;
    }
    let f = filter.compile(g);
    // A map sized to the result rather than the graph would save the O(n) clear, but at a million
    // nodes the clear costs well under a millisecond and the array is faster to probe.
    let mut hop = vec![NONE; g.node_count()];
    hop[start as usize] = 0;
    out.nodes.push((start, 0));
    let mut head = 0;
    'bfs: while let Some(&(u, h)) = out.nodes.get(head) {
        head += 1;
        if h >= hops {
            continue;
        }
        for (&v, &e) in g.adjacent(u).iter().zip(g.adjacent_edges(u)) {
            if hop[v as usize] != NONE || !f.allows(g, e) {
                continue;
            }
            if out.nodes.len() >= max_nodes {
                out.truncated = true;
                break 'bfs;
            }
            hop[v as usize] = h + 1;
            out.nodes.push((v, h + 1));
        }
    }
    for &(u, _) in &out.nodes {
        for (&v, &e) in g.adjacent(u).iter().zip(g.adjacent_edges(u)) {
            if u < v && hop[v as usize] != NONE && f.allows(g, e) {
                out.edges.push(e);
            }
        }
    }
    out.edges.sort_unstable();
    out
}

/// One side of the bidirectional search.
struct Side {
    dist: Vec<u32>,
    parent: Vec<NodeIx>,
    frontier: Vec<NodeIx>,
    level: u32,
}

impl Side {
    fn new(n: usize, start: NodeIx) -> Self {
        let mut dist = vec![NONE; n];
        dist[start as usize] = 0;
        Side {
            dist,
            parent: vec![NONE; n],
            frontier: vec![start],
            level: 0,
        }
    }

    fn frontier_work(&self, g: &Graph) -> usize {
        self.frontier.iter().map(|&u| g.degree(u)).sum()
    }

    /// Expands one whole level; returns the best meeting (this-side node, other-side node, length).
    fn expand(
        &mut self,
        g: &Graph,
        f: &CompiledFilter,
        other: &Side,
    ) -> Option<(NodeIx, NodeIx, u32)> {
        let mut best: Option<(NodeIx, NodeIx, u32)> = None;
        let mut next = Vec::new();
        for &u in &self.frontier {
            for (&v, &e) in g.adjacent(u).iter().zip(g.adjacent_edges(u)) {
                if !f.allows(g, e) {
                    continue;
                }
                let d_other = other.dist[v as usize];
                if d_other != NONE {
                    let len = self.level + 1 + d_other;
                    if best.is_none_or(|(_, _, l)| len < l) {
                        best = Some((u, v, len));
                    }
                }
                if self.dist[v as usize] == NONE {
                    self.dist[v as usize] = self.level + 1;
                    self.parent[v as usize] = u;
                    next.push(v);
                }
            }
        }
        self.frontier = next;
        self.level += 1;
        best
    }

    /// The path from this side's start to `n`, start first.
    fn path_to(&self, n: NodeIx) -> Vec<NodeIx> {
        let mut path = vec![n];
        let mut cur = n;
        while self.parent[cur as usize] != NONE {
            cur = self.parent[cur as usize];
            path.push(cur);
        }
        path.reverse();
        path
    }
}

/// A shortest path from `from` to `to` over links that pass `filter`, both ends included, found by a
/// breadth-first search from both ends that always grows the side with less to scan. `None` when `to`
/// cannot be reached or either node is outside the graph.
pub fn shortest_path(
    g: &Graph,
    from: NodeIx,
    to: NodeIx,
    filter: &EdgeFilter,
) -> Option<Vec<NodeIx>> {
    let n = g.node_count();
    if from as usize >= n || to as usize >= n {
        return None;
    }
    if from == to {
        return Some(vec![from]);
    }
    let f = filter.compile(g);
    let mut fwd = Side::new(n, from);
    let mut bwd = Side::new(n, to);
    while !fwd.frontier.is_empty() && !bwd.frontier.is_empty() {
        // Once a level produces a meeting, the shortest meeting of that level is a shortest path: every
        // shorter path would have met at an earlier level.
        if fwd.frontier_work(g) <= bwd.frontier_work(g) {
            if let Some((u, v, _)) = fwd.expand(g, &f, &bwd) {
                let mut path = fwd.path_to(u);
                let mut tail = bwd.path_to(v);
                tail.reverse();
                path.extend(tail);
                return Some(path);
            }
        } else if let Some((u, v, _)) = bwd.expand(g, &f, &fwd) {
            let mut path = fwd.path_to(v);
            let mut tail = bwd.path_to(u);
            tail.reverse();
            path.extend(tail);
            return Some(path);
        }
    }
    None
}

/// How much work [`paths`] may do before it returns what it found.
pub const DEFAULT_PATH_STEPS: u64 = 5_000_000;

/// The result of [`paths_bounded`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathSearch {
    pub paths: Vec<Vec<NodeIx>>,
    /// False when the step budget ran out: the paths returned are right and in order, but shorter or
    /// earlier ones are never missing, only later ones may be.
    pub complete: bool,
}

/// Simple paths of at most `max_length` links, shortest first (then lexicographic by node index), at most
/// `limit` of them. Parallel links give one path. Gives up after [`DEFAULT_PATH_STEPS`] steps of search,
/// as simple paths can be exponentially many: see [`paths_bounded`] to choose the budget and to learn
/// whether it ran out.
pub fn paths(
    g: &Graph,
    from: NodeIx,
    to: NodeIx,
    max_length: u32,
    filter: &EdgeFilter,
    limit: usize,
) -> Vec<Vec<NodeIx>> {
    paths_bounded(g, from, to, max_length, filter, limit, DEFAULT_PATH_STEPS).paths
}

/// [`paths`] with an explicit budget of search steps (one step is one link looked at).
pub fn paths_bounded(
    g: &Graph,
    from: NodeIx,
    to: NodeIx,
    max_length: u32,
    filter: &EdgeFilter,
    limit: usize,
    max_steps: u64,
) -> PathSearch {
    let n = g.node_count();
    let mut out = PathSearch {
        paths: Vec::new(),
        complete: true,
    };
    if from as usize >= n || to as usize >= n || limit == 0 {
        return out;
    }
    if from == to {
        out.paths.push(vec![from]);
        return out;
    }
    // A simple path has at most n - 1 links; longer bounds would only spin through empty lengths.
    let max_length = max_length.min(u32::try_from(n - 1).unwrap_or(u32::MAX));
    let f = filter.compile(g);
    let to_target = distances_within(g, to, max_length, &f);
    let Some(&shortest) = to_target.get(from as usize).filter(|&&d| d != NONE) else {
        return out;
    };
    let mut search = PathDfs {
        g,
        f: &f,
        to,
        to_target: &to_target,
        on_path: vec![false; n],
        steps: 0,
        max_steps,
    };
    for length in shortest..=max_length {
        let remaining = limit - out.paths.len();
        if !search.exactly(from, length, remaining, &mut out.paths) {
            out.complete = false;
            break;
        }
        if out.paths.len() >= limit {
            break;
        }
    }
    out
}

/// Hops from `start` to every node within `max` hops over allowed links (`NONE` beyond).
fn distances_within(g: &Graph, start: NodeIx, max: u32, f: &CompiledFilter) -> Vec<u32> {
    let mut dist = vec![NONE; g.node_count()];
    dist[start as usize] = 0;
    let mut queue = vec![start];
    let mut head = 0;
    while let Some(&u) = queue.get(head) {
        head += 1;
        let d = dist[u as usize];
        if d >= max {
            continue;
        }
        for (&v, &e) in g.adjacent(u).iter().zip(g.adjacent_edges(u)) {
            if dist[v as usize] == NONE && f.allows(g, e) {
                dist[v as usize] = d + 1;
                queue.push(v);
            }
        }
    }
    dist
}

struct PathDfs<'a> {
    g: &'a Graph,
    f: &'a CompiledFilter,
    to: NodeIx,
    to_target: &'a [u32],
    on_path: Vec<bool>,
    steps: u64,
    max_steps: u64,
}

impl PathDfs<'_> {
    /// Appends the simple paths of exactly `length` links in lexicographic order, at most `limit`;
    /// false when the step budget ran out.
    fn exactly(
        &mut self,
        from: NodeIx,
        length: u32,
        limit: usize,
        found: &mut Vec<Vec<NodeIx>>,
    ) -> bool {
        let g = self.g;
        let mut path: Vec<NodeIx> = vec![from];
        // Per depth: the position in the node's neighbour list to look at next.
        let mut cursor: Vec<usize> = vec![0];
        self.on_path[from as usize] = true;
        let mut emitted = 0;
        let mut within_budget = true;
        while let (Some(&u), Some(c)) = (path.last(), cursor.last_mut()) {
            let depth = (path.len() - 1) as u32;
            let nbrs = g.adjacent(u);
            let edges = g.adjacent_edges(u);
            let remaining = length - depth;
            let mut next = None;
            while *c < nbrs.len() {
                self.steps += 1;
                let v = nbrs[*c];
                // Parallel links lie side by side: the neighbour is reachable if any of them passes.
                let mut allowed = false;
                while *c < nbrs.len() && nbrs[*c] == v {
                    allowed = allowed || self.f.allows(g, edges[*c]);
                    *c += 1;
                }
                if allowed
                    && (v != self.to || remaining == 1)
                    && !self.on_path[v as usize]
                    && self.to_target[v as usize] != NONE
                    && self.to_target[v as usize] < remaining
                {
                    next = Some(v);
                    break;
                }
            }
            if self.steps > self.max_steps {
                within_budget = false;
                break;
            }
            match next {
                Some(v) if v == self.to => {
                    let mut p = path.clone();
                    p.push(v);
                    found.push(p);
                    emitted += 1;
                    if emitted >= limit {
                        break;
                    }
                }
                Some(v) => {
                    self.on_path[v as usize] = true;
                    path.push(v);
                    cursor.push(0);
                }
                None => {
                    self.on_path[u as usize] = false;
                    path.pop();
                    cursor.pop();
                }
            }
        }
        for &u in &path {
            self.on_path[u as usize] = false;
        }
        within_budget
    }
}

/// A component id per node, numbered from 0 in order of each component's lowest node index. Every link
/// counts.
pub fn connected_components(g: &Graph) -> Vec<u32> {
    let n = g.node_count();
    let mut comp = vec![NONE; n];
    let mut next = 0;
    let mut stack = Vec::new();
    for s in 0..n {
        if comp[s] != NONE {
            continue;
        }
        comp[s] = next;
        stack.push(s as NodeIx);
        while let Some(u) = stack.pop() {
            for &v in g.adjacent(u) {
                if comp[v as usize] == NONE {
                    comp[v as usize] = next;
                    stack.push(v);
                }
            }
        }
        next += 1;
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EdgeKind, EntityKind, GraphBuilder};

    fn path_graph(n: u32) -> Graph {
        let mut b = GraphBuilder::new();
        for i in 0..n {
            b.entity(EntityKind::Person, &i.to_string());
        }
        for i in 1..n {
            b.edge(i - 1, i, EdgeKind::Relation, None, None, 0);
        }
        b.build()
    }

    #[test]
    fn neighbourhood_on_a_path() {
        let g = path_graph(6);
        let nb = neighbourhood(&g, 2, 2, &EdgeFilter::all(), 100);
        assert_eq!(nb.nodes, vec![(2, 0), (1, 1), (3, 1), (0, 2), (4, 2)]);
        assert_eq!(nb.edges, vec![0, 1, 2, 3]);
        assert!(!nb.truncated);
        let nb = neighbourhood(&g, 2, 2, &EdgeFilter::all(), 3);
        assert_eq!(nb.nodes, vec![(2, 0), (1, 1), (3, 1)]);
        assert!(nb.truncated);
        assert_eq!(
            neighbourhood(&g, 60, 2, &EdgeFilter::all(), 3),
            Neighbourhood::default()
        );
    }

    #[test]
    fn shortest_path_on_a_path() {
        let g = path_graph(6);
        assert_eq!(
            shortest_path(&g, 0, 5, &EdgeFilter::all()),
            Some(vec![0, 1, 2, 3, 4, 5])
        );
        assert_eq!(
            shortest_path(&g, 4, 1, &EdgeFilter::all()),
            Some(vec![4, 3, 2, 1])
        );
        assert_eq!(shortest_path(&g, 3, 3, &EdgeFilter::all()), Some(vec![3]));
        assert_eq!(shortest_path(&g, 3, 30, &EdgeFilter::all()), None);
        let none = EdgeFilter {
            kinds: Some(vec![EdgeKind::CaseMember]),
            ..EdgeFilter::default()
        };
        assert_eq!(shortest_path(&g, 0, 5, &none), None);
    }

    #[test]
    fn paths_in_a_square_with_a_diagonal() {
        let mut b = GraphBuilder::new();
        for i in 0..4 {
            b.entity(EntityKind::Person, &i.to_string());
        }
        for (a, c) in [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (0, 2)] {
            b.edge(a, c, EdgeKind::Relation, None, None, 0);
        }
        let g = b.build();
        let all = paths(&g, 0, 2, 3, &EdgeFilter::all(), 10);
        assert_eq!(all, vec![vec![0, 2], vec![0, 1, 2], vec![0, 3, 2]]);
        assert_eq!(
            paths(&g, 0, 2, 3, &EdgeFilter::all(), 2),
            vec![vec![0, 2], vec![0, 1, 2]]
        );
        assert_eq!(paths(&g, 1, 3, 3, &EdgeFilter::all(), 10).len(), 4);
        let tight = paths_bounded(&g, 1, 3, 3, &EdgeFilter::all(), 10, 3);
        assert!(!tight.complete);
    }

    #[test]
    fn components_are_numbered_by_lowest_node() {
        let mut b = GraphBuilder::new();
        for i in 0..5 {
            b.entity(EntityKind::Person, &i.to_string());
        }
        b.edge(4, 1, EdgeKind::Relation, None, None, 0);
        b.edge(3, 2, EdgeKind::Relation, None, None, 0);
        let g = b.build();
        assert_eq!(connected_components(&g), vec![0, 1, 2, 2, 1]);
    }
}
