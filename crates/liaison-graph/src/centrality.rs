//! Who is central: degree, betweenness (Brandes, exact or from sampled pivots), PageRank and k-cores.

use crate::graph::{NONE, distinct};
use crate::rng::SplitMix64;
use crate::{Graph, NodeIx};

/// Degree over `n - 1`, parallel links counted each (as networkx's `degree_centrality` on a multigraph).
/// A lone node scores 1.
pub fn degree_centrality(g: &Graph) -> Vec<f64> {
    let n = g.node_count();
    if n <= 1 {
        return vec![1.0; n];
    }
    let scale = 1.0 / (n - 1) as f64;
    g.nodes().map(|v| g.degree(v) as f64 * scale).collect()
}

/// Which sources the betweenness sums over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// Every node: O(n·m), for graphs up to some tens of thousands of nodes.
    Exact,
    /// `count` distinct sources drawn with `seed`, each sum rescaled to estimate the exact value without
    /// bias (as networkx 3.6's `betweenness_centrality(k=...)`).
    Pivots { count: usize, seed: u64 },
}

/// Betweenness centrality by Brandes' algorithm on the simple graph (parallel links collapse), normalised
/// as networkx's `betweenness_centrality` on an undirected graph: the sum over ordered pairs divided by
/// `(n-1)(n-2)`.
pub fn betweenness(g: &Graph, sampling: Sampling) -> Vec<f64> {
    let n = g.node_count();
    let mut bc = vec![0.0; n];
    if n == 0 {
        return bc;
    }
    let sources: Vec<NodeIx> = match sampling {
        Sampling::Pivots { count, seed } if count < n => {
            let mut rng = SplitMix64::new(seed);
            let mut all: Vec<NodeIx> = g.nodes().collect();
            // A partial Fisher–Yates: the first `count` slots are a uniform sample without repeats.
            for i in 0..count {
                let j = i + rng.below((n - i) as u64) as usize;
                all.swap(i, j);
            }
            all.truncate(count);
            all
        }
        _ => g.nodes().collect(),
    };
    let adjacency = SimpleAdjacency::new(g);
    let mut ws = BrandesScratch::new(n);
    for &s in &sources {
        ws.accumulate(&adjacency, s, &mut bc);
    }
    if n <= 2 {
        return bc;
    }
    let k = sources.len();
    let pairs_per_source = (n - 2) as f64;
    if k == n {
        let scale = 1.0 / ((n - 1) as f64 * pairs_per_source);
        bc.iter_mut().for_each(|b| *b *= scale);
        return bc;
    }
    // A sampled source never lies on its own paths, so only the other k-1 sources informed its score
    // (the estimator of networkx 3.6, which keeps k = n equal to the exact value).
    let mut is_source = vec![false; n];
    for &s in &sources {
        is_source[s as usize] = true;
    }
    let scale_other = 1.0 / (k as f64 * pairs_per_source);
    let scale_source = if k > 1 {
        1.0 / ((k - 1) as f64 * pairs_per_source)
    } else {
        0.0
    };
    for (b, &src) in bc.iter_mut().zip(&is_source) {
        *b *= if src { scale_source } else { scale_other };
    }
    bc
}

/// The graph with parallel links collapsed, for the algorithms that read it as simple.
pub(crate) struct SimpleAdjacency {
    offsets: Vec<usize>,
    nbr: Vec<NodeIx>,
}

impl SimpleAdjacency {
    pub(crate) fn new(g: &Graph) -> Self {
        let mut offsets = Vec::with_capacity(g.node_count() + 1);
        offsets.push(0);
        let mut nbr = Vec::with_capacity(g.edge_count() * 2);
        for v in g.nodes() {
            nbr.extend(distinct(g.adjacent(v)));
            offsets.push(nbr.len());
        }
        Self { offsets, nbr }
    }

    #[inline]
    pub(crate) fn row(&self, v: NodeIx) -> &[NodeIx] {
        let i = v as usize;
        &self.nbr[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// What one source's search knows about a node, kept together so that looking at a neighbour touches one
/// cache line.
#[derive(Clone, Copy)]
struct Reached {
    dist: u32,
    /// Shortest paths from the source.
    sigma: f64,
    /// (1 + dependency) / sigma, once the node's dependency is final.
    share: f64,
}

const UNREACHED: Reached = Reached {
    dist: NONE,
    sigma: 0.0,
    share: 0.0,
};

/// Per-source state, reset only where the last search reached so a source costs O(reached), not O(n).
struct BrandesScratch {
    node: Vec<Reached>,
    order: Vec<NodeIx>,
}

impl BrandesScratch {
    fn new(n: usize) -> Self {
        Self {
            node: vec![UNREACHED; n],
            order: Vec::new(),
        }
    }

    fn accumulate(&mut self, adj: &SimpleAdjacency, s: NodeIx, bc: &mut [f64]) {
        let Self { node, order } = self;
        order.clear();
        node[s as usize] = Reached {
            dist: 0,
            sigma: 1.0,
            share: 0.0,
        };
        order.push(s);
        let mut head = 0;
        while let Some(&v) = order.get(head) {
            head += 1;
            let Reached {
                dist: dv,
                sigma: sv,
                ..
            } = node[v as usize];
            for &w in adj.row(v) {
                let r = &mut node[w as usize];
                if r.dist == NONE {
                    r.dist = dv + 1;
                    order.push(w);
                }
                if r.dist == dv + 1 {
                    r.sigma += sv;
                }
            }
        }
        // Walking back in order of decreasing distance, each node pulls its dependency from the
        // neighbours one hop further, which are final by then; no predecessor lists are needed.
        for &v in order.iter().rev() {
            let Reached {
                dist: dv,
                sigma: sv,
                ..
            } = node[v as usize];
            let mut pulled = 0.0;
            for &w in adj.row(v) {
                let r = &node[w as usize];
                if r.dist == dv + 1 {
                    pulled += r.share;
                }
            }
            let delta = sv * pulled;
            if v != s {
                bc[v as usize] += delta;
            }
            node[v as usize].share = (1.0 + delta) / sv;
        }
        for &v in order.iter() {
            node[v as usize] = UNREACHED;
        }
    }
}

/// The result of [`pagerank_detailed`].
#[derive(Clone, Debug, PartialEq)]
pub struct PageRank {
    pub scores: Vec<f64>,
    pub iterations: u32,
    /// False when `max_iterations` ran out before the change fell below the tolerance.
    pub converged: bool,
}

/// PageRank by power iteration on the undirected multigraph (a node passes its score to its neighbours in
/// proportion to the links it has with each; parallel links add weight, as networkx's `pagerank` on a
/// multigraph). The scores of isolated nodes are spread uniformly. Stops when the L1 change falls below
/// `n * tolerance` (networkx's criterion) or after `max_iterations`; the scores sum to 1. A damping
/// outside `[0, 1]` is clamped into it.
pub fn pagerank(g: &Graph, damping: f64, tolerance: f64, max_iterations: u32) -> Vec<f64> {
    pagerank_detailed(g, damping, tolerance, max_iterations).scores
}

/// [`pagerank`] that also says whether it converged.
pub fn pagerank_detailed(g: &Graph, damping: f64, tolerance: f64, max_iterations: u32) -> PageRank {
    let n = g.node_count();
    if n == 0 {
        return PageRank {
            scores: Vec::new(),
            iterations: 0,
            converged: true,
        };
    }
    let d = if damping.is_nan() {
        0.85
    } else {
        damping.clamp(0.0, 1.0)
    };
    let nf = n as f64;
    let inv_deg: Vec<f64> = g
        .nodes()
        .map(|v| match g.degree(v) {
            0 => 0.0,
            k => 1.0 / k as f64,
        })
        .collect();
    let dangling: Vec<NodeIx> = g.nodes().filter(|&v| g.degree(v) == 0).collect();
    let mut x = vec![1.0 / nf; n];
    let mut share = vec![0.0; n];
    let mut next = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iterations {
        iterations += 1;
        for ((s, &xi), &inv) in share.iter_mut().zip(&x).zip(&inv_deg) {
            *s = xi * inv;
        }
        let lost: f64 = dangling.iter().map(|&v| x[v as usize]).sum();
        let base = (1.0 - d) / nf + d * lost / nf;
        let mut change = 0.0;
        for v in g.nodes() {
            let incoming: f64 = g.adjacent(v).iter().map(|&u| share[u as usize]).sum();
            let value = base + d * incoming;
            change += (value - x[v as usize]).abs();
            next[v as usize] = value;
        }
        std::mem::swap(&mut x, &mut next);
        if change < nf * tolerance {
            converged = true;
            break;
        }
    }
    let total: f64 = x.iter().sum();
    if total > 0.0 {
        for v in &mut x {
            *v /= total;
        }
    }
    PageRank {
        scores: x,
        iterations,
        converged,
    }
}

/// The core number of every node (the largest k such that the node belongs to a subgraph where every
/// node has at least k distinct neighbours), by Batagelj and Zaversnik's bucket algorithm in O(m).
/// Parallel links count once.
pub fn core_numbers(g: &Graph) -> Vec<u32> {
    let n = g.node_count();
    let mut deg: Vec<u32> = g
        .nodes()
        .map(|v| distinct(g.adjacent(v)).count() as u32)
        .collect();
    let max_deg = deg.iter().copied().max().unwrap_or(0) as usize;
    // bin[d] = where the nodes of degree d start in `vert`, which lists nodes by increasing degree.
    let mut bin = vec![0usize; max_deg + 2];
    for &d in &deg {
        bin[d as usize + 1] += 1;
    }
    for d in 1..bin.len() {
        bin[d] += bin[d - 1];
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0 as NodeIx; n];
    {
        let mut fill = bin.clone();
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = fill[d];
            vert[fill[d]] = v as NodeIx;
            fill[d] += 1;
        }
    }
    for i in 0..n {
        let v = vert[i];
        let dv = deg[v as usize];
        for u in distinct(g.adjacent(v)) {
            let ui = u as usize;
            let du = deg[ui];
            if du > dv {
                // Swap u with the first node of its bin, then shrink the bin by one from the left.
                let first = bin[du as usize];
                let w = vert[first];
                if w != u {
                    let pu = pos[ui];
                    vert[pu] = w;
                    pos[w as usize] = pu;
                    vert[first] = u;
                    pos[ui] = first;
                }
                bin[du as usize] += 1;
                deg[ui] = du - 1;
            }
        }
    }
    deg
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
    fn path_betweenness() {
        // networkx 3.x betweenness_centrality(path_graph(5)): [0, 0.5, 0.6667, 0.5, 0]
        let g = graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let bc = betweenness(&g, Sampling::Exact);
        let want = [0.0, 0.5, 2.0 / 3.0, 0.5, 0.0];
        for (b, w) in bc.iter().zip(want) {
            assert!((b - w).abs() < 1e-12, "{bc:?}");
        }
    }

    #[test]
    fn star_centralities() {
        let g = graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        assert_eq!(degree_centrality(&g), vec![1.0, 0.25, 0.25, 0.25, 0.25]);
        let bc = betweenness(&g, Sampling::Exact);
        assert!((bc[0] - 1.0).abs() < 1e-12 && bc[1] == 0.0);
        let pr = pagerank(&g, 0.85, 1e-12, 1000);
        assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(pr[0] > pr[1]);
        assert_eq!(core_numbers(&g), vec![1; 5]);
    }

    #[test]
    fn complete_graph_cores_and_uniform_pagerank() {
        let mut edges = Vec::new();
        for a in 0..6 {
            for c in a + 1..6 {
                edges.push((a, c));
            }
        }
        let g = graph(7, &edges);
        assert_eq!(core_numbers(&g), vec![5, 5, 5, 5, 5, 5, 0]);
        let pr = pagerank_detailed(&g, 0.85, 1e-12, 1000);
        assert!(pr.converged);
        for w in pr.scores.windows(2).take(5) {
            assert!((w[0] - w[1]).abs() < 1e-12);
        }
        assert!(betweenness(&g, Sampling::Exact).iter().all(|&b| b == 0.0));
    }

    #[test]
    fn all_pivots_equal_exact() {
        let g = graph(6, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (1, 4)]);
        let exact = betweenness(&g, Sampling::Exact);
        let sampled = betweenness(&g, Sampling::Pivots { count: 6, seed: 3 });
        assert_eq!(exact, sampled);
        let few = betweenness(&g, Sampling::Pivots { count: 2, seed: 3 });
        assert_eq!(few.len(), 6);
    }

    #[test]
    fn empty_and_tiny_graphs() {
        let g = graph(0, &[]);
        assert!(pagerank(&g, 0.85, 1e-9, 10).is_empty());
        assert!(betweenness(&g, Sampling::Exact).is_empty());
        assert!(core_numbers(&g).is_empty());
        let g = graph(1, &[]);
        assert_eq!(degree_centrality(&g), vec![1.0]);
        assert_eq!(pagerank(&g, 0.85, 1e-9, 10), vec![1.0]);
    }
}
