//! Key players: the nodes whose removal most fragments the network (Borgatti 2006), chosen greedily, with
//! the effect of removing each node computed for all nodes at once from articulation-point low-links.

use crate::centrality::{Sampling, betweenness};
use crate::{Graph, NodeIx};

/// Up to this many nodes, ties between candidates are broken by exact betweenness; above, by betweenness
/// estimated from [`TIE_PIVOTS`] pivots.
const EXACT_TIE_BREAK_NODES: usize = 5_000;
const TIE_PIVOTS: usize = 32;

/// Borgatti's fragmentation of what remains once `removed` is taken out:
/// `F = 1 - Σ s_k(s_k-1) / (n(n-1))` over the connected components of sizes `s_k`, where `n` is the
/// number of nodes left. 0 when every remaining node reaches every other, 1 when none does (and when fewer
/// than two nodes remain). Indices out of range in `removed` are ignored.
pub fn fragmentation(g: &Graph, removed: &[NodeIx]) -> f64 {
    let n = g.node_count();
    let mut gone = vec![false; n];
    for &r in removed {
        if let Some(slot) = gone.get_mut(r as usize) {
            *slot = true;
        }
    }
    let mut seen = gone.clone();
    let left = gone.iter().filter(|&&r| !r).count();
    let mut pairs: u64 = 0;
    let mut stack = Vec::new();
    for s in 0..n {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        stack.push(s as NodeIx);
        let mut size: u64 = 0;
        while let Some(u) = stack.pop() {
            size += 1;
            for &v in g.adjacent(u) {
                if !seen[v as usize] {
                    seen[v as usize] = true;
                    stack.push(v);
                }
            }
        }
        pairs += size * (size - 1);
    }
    fragmentation_of(pairs, left as u64)
}

/// `1 - pairs / (left(left-1))`, where `pairs` counts the ordered pairs of nodes that reach each other.
fn fragmentation_of(pairs: u64, left: u64) -> f64 {
    if left < 2 {
        return 1.0;
    }
    1.0 - pairs as f64 / (left as f64 * (left - 1) as f64)
}

/// One node of a key-player set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyPlayer {
    pub node: NodeIx,
    /// The fragmentation once this node and those before it are removed.
    pub fragmentation_after: f64,
    /// How much removing this node raised the fragmentation.
    pub gain: f64,
}

/// For every node at once: the reachable ordered pairs left if that node were removed too.
/// One iterative depth-first search per component: a child `c` of `v` whose subtree reaches no higher
/// than `v` (`low[c] >= disc[v]`) splits off when `v` goes, and the rest of the component stays together.
struct RemovalEffect {
    disc: Vec<u32>,
    low: Vec<u32>,
    size: Vec<u64>,
    split_nodes: Vec<u64>,
    split_pairs: Vec<u64>,
    order: Vec<NodeIx>,
    stack: Vec<(NodeIx, usize)>,
    /// Reachable ordered pairs after removing the node (and the nodes already removed).
    pairs_without: Vec<u64>,
}

impl RemovalEffect {
    fn new(n: usize) -> Self {
        Self {
            disc: vec![0; n],
            low: vec![0; n],
            size: vec![0; n],
            split_nodes: vec![0; n],
            split_pairs: vec![0; n],
            order: Vec::with_capacity(n),
            stack: Vec::new(),
            pairs_without: vec![0; n],
        }
    }

    /// Fills `pairs_without` for every node not in `gone`; returns the pairs as things stand.
    fn compute(&mut self, g: &Graph, gone: &[bool]) -> u64 {
        let n = g.node_count();
        self.disc.fill(0);
        self.split_nodes.fill(0);
        self.split_pairs.fill(0);
        self.order.clear();
        let mut clock: u32 = 0;
        let mut pairs_now: u64 = 0;
        // (first index in `order`, size) of every component, to finish its nodes once its size is known.
        let mut components: Vec<(usize, u64)> = Vec::new();
        for root in 0..n {
            if gone[root] || self.disc[root] != 0 {
                continue;
            }
            let first = self.order.len();
            clock += 1;
            self.enter(root as NodeIx, clock);
            while let Some(&(v, cursor)) = self.stack.last() {
                let vi = v as usize;
                if let Some(&w) = g.adjacent(v).get(cursor) {
                    if let Some(top) = self.stack.last_mut() {
                        top.1 += 1;
                    }
                    let wi = w as usize;
                    if gone[wi] {
                        continue;
                    }
                    if self.disc[wi] == 0 {
                        clock += 1;
                        self.enter(w, clock);
                    } else if self.disc[wi] < self.low[vi] {
                        self.low[vi] = self.disc[wi];
                    }
                } else {
                    self.stack.pop();
                    if let Some(&(parent, _)) = self.stack.last() {
                        let pi = parent as usize;
                        let (low_v, size_v) = (self.low[vi], self.size[vi]);
                        if low_v < self.low[pi] {
                            self.low[pi] = low_v;
                        }
                        self.size[pi] += size_v;
                        if low_v >= self.disc[pi] {
                            self.split_nodes[pi] += size_v;
                            self.split_pairs[pi] += size_v * (size_v - 1);
                        }
                    }
                }
            }
            let s = self.size[root];
            pairs_now += s * (s - 1);
            components.push((first, s));
        }
        for (k, &(first, s)) in components.iter().enumerate() {
            let end = components.get(k + 1).map_or(self.order.len(), |&(f, _)| f);
            let others = pairs_now - s * (s - 1);
            for &v in &self.order[first..end] {
                let vi = v as usize;
                let rest = s - 1 - self.split_nodes[vi];
                self.pairs_without[vi] =
                    others + self.split_pairs[vi] + rest * rest.saturating_sub(1);
            }
        }
        pairs_now
    }

    fn enter(&mut self, v: NodeIx, clock: u32) {
        let vi = v as usize;
        self.disc[vi] = clock;
        self.low[vi] = clock;
        self.size[vi] = 1;
        self.order.push(v);
        self.stack.push((v, 0));
    }
}

/// Greedy key-player set: repeatedly removes the eligible node whose removal raises fragmentation most
/// (ties: higher betweenness on the whole graph, then lower index), up to `limit` nodes or until no
/// eligible node is left. Each step is O(n + m); betweenness is computed only if a tie needs it (exact up
/// to 5,000 nodes, estimated from 32 pivots above).
pub fn key_players(g: &Graph, limit: usize, eligible: &dyn Fn(NodeIx) -> bool) -> Vec<KeyPlayer> {
    let mut tie_break: Option<Vec<f64>> = None;
    key_players_with(g, limit, eligible, &mut || {
        tie_break
            .get_or_insert_with(|| {
                let sampling = if g.node_count() <= EXACT_TIE_BREAK_NODES {
                    Sampling::Exact
                } else {
                    Sampling::Pivots {
                        count: TIE_PIVOTS,
                        seed: 0,
                    }
                };
                betweenness(g, sampling)
            })
            .clone()
    })
}

/// [`key_players`] with the tie-break scores supplied by the caller (higher wins), asked for only when a
/// tie occurs.
pub fn key_players_with(
    g: &Graph,
    limit: usize,
    eligible: &dyn Fn(NodeIx) -> bool,
    tie_break: &mut dyn FnMut() -> Vec<f64>,
) -> Vec<KeyPlayer> {
    let n = g.node_count();
    let mut gone = vec![false; n];
    let candidates: Vec<NodeIx> = g.nodes().filter(|&v| eligible(v)).collect();
    let mut effect = RemovalEffect::new(n);
    let mut scores: Option<Vec<f64>> = None;
    let mut out = Vec::new();
    let mut left = n as u64;
    let mut tied: Vec<NodeIx> = Vec::new();
    while out.len() < limit {
        let pairs_now = effect.compute(g, &gone);
        let before = fragmentation_of(pairs_now, left);
        let mut best = u64::MAX;
        tied.clear();
        for &v in &candidates {
            if gone[v as usize] {
                continue;
            }
            let p = effect.pairs_without[v as usize];
            if p < best {
                best = p;
                tied.clear();
            }
            if p == best {
                tied.push(v);
            }
        }
        let Some(&first) = tied.first() else { break };
        let chosen = if tied.len() == 1 {
            first
        } else {
            let s = scores.get_or_insert_with(&mut *tie_break);
            let score = |v: NodeIx| s.get(v as usize).copied().unwrap_or(0.0);
            // `tied` is in increasing index order, so keeping the first of equal scores keeps the lowest.
            tied.iter()
                .copied()
                .fold(first, |b, v| if score(v) > score(b) { v } else { b })
        };
        gone[chosen as usize] = true;
        left -= 1;
        let after = fragmentation_of(best, left);
        out.push(KeyPlayer {
            node: chosen,
            fragmentation_after: after,
            gain: after - before,
        });
    }
    out
}

/// For every node at once, in O(n + m): the fragmentation once `removed` and that node are taken out
/// (`None` for the nodes in `removed`). The "what if" behind [`key_players`], for showing analysts the
/// effect of each node.
pub fn fragmentation_if_removed(g: &Graph, removed: &[NodeIx]) -> Vec<Option<f64>> {
    let n = g.node_count();
    let mut gone = vec![false; n];
    for &r in removed {
        if let Some(slot) = gone.get_mut(r as usize) {
            *slot = true;
        }
    }
    let left = gone.iter().filter(|&&r| !r).count() as u64;
    let mut effect = RemovalEffect::new(n);
    effect.compute(g, &gone);
    (0..n)
        .map(|v| (!gone[v]).then(|| fragmentation_of(effect.pairs_without[v], left - 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EdgeKind, EntityKind, GraphBuilder};

    fn graph(n: u32, edges: &[(u32, u32)]) -> Graph {
        let mut b = GraphBuilder::new();
        for i in 0..n {
            b.entity(EntityKind::Person, &i.to_string());
        }
        for &(a, c) in edges {
            b.edge(a, c, EdgeKind::Relation, None, None, 0);
        }
        b.build()
    }

    #[test]
    fn star_centre_is_the_key_player() {
        let g = graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        assert_eq!(fragmentation(&g, &[]), 0.0);
        assert_eq!(fragmentation(&g, &[0]), 1.0);
        let kp = key_players(&g, 2, &|_| true);
        assert_eq!(
            kp[0],
            KeyPlayer {
                node: 0,
                fragmentation_after: 1.0,
                gain: 1.0
            }
        );
        assert_eq!(kp[1].node, 1);
        assert_eq!(kp[1].gain, 0.0);
    }

    #[test]
    fn eligibility_is_respected() {
        let g = graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        let kp = key_players(&g, 10, &|v| v != 0);
        assert_eq!(kp.len(), 4);
        assert!(kp.iter().all(|k| k.node != 0));
    }

    #[test]
    fn one_pass_matches_brute_force_on_a_tricky_graph() {
        // Two cycles sharing node 2, a pendant path, parallel links and an isolated node.
        let g = graph(
            10,
            &[
                (0, 1),
                (1, 2),
                (2, 0),
                (2, 3),
                (3, 4),
                (4, 2),
                (4, 5),
                (5, 6),
                (6, 7),
                (5, 6),
                (8, 7),
            ],
        );
        for removed in [vec![], vec![4], vec![2, 6]] {
            let fast = fragmentation_if_removed(&g, &removed);
            for v in 0..10 {
                let slow = (!removed.contains(&v)).then(|| {
                    let mut r = removed.clone();
                    r.push(v);
                    fragmentation(&g, &r)
                });
                assert_eq!(fast[v as usize], slow, "{removed:?} then {v}");
            }
        }
    }
}
