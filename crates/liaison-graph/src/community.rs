//! Communities by the Louvain method (Blondel et al. 2008): local moves that raise modularity, then the
//! communities become nodes and the moves repeat, level after level.

use crate::rng::SplitMix64;
use crate::{Graph, NodeIx};

/// A partition of the nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Communities {
    /// The community of each node, numbered from 0 in order of each community's lowest node index.
    pub membership: Vec<u32>,
    pub count: u32,
    /// Newman's modularity of the partition on the simple weighted graph.
    pub modularity: f64,
}

/// A weighted undirected graph in CSR form, one row entry per distinct neighbour; the weight of a node's
/// links to itself (the links inside a community, once communities are nodes) is kept apart.
struct Level {
    offsets: Vec<usize>,
    nbr: Vec<u32>,
    weight: Vec<f64>,
    /// Σ of A_ii: both directions of every link inside the node.
    self_weight: Vec<f64>,
    /// k_i = Σ_j A_ij, self included.
    strength: Vec<f64>,
    /// 2m = Σ k_i.
    total: f64,
}

impl Level {
    fn from_graph(g: &Graph) -> Self {
        let n = g.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut nbr = Vec::new();
        let mut weight: Vec<f64> = Vec::new();
        for v in g.nodes() {
            let row_start = nbr.len();
            // Rows are sorted, so parallel links are runs that collapse into one weighted entry.
            for &u in g.adjacent(v) {
                match weight.last_mut() {
                    Some(w) if nbr.len() > row_start && nbr.last() == Some(&u) => *w += 1.0,
                    _ => {
                        nbr.push(u);
                        weight.push(1.0);
                    }
                }
            }
            offsets.push(nbr.len());
        }
        Self::finish(offsets, nbr, weight, vec![0.0; n])
    }

    fn finish(offsets: Vec<usize>, nbr: Vec<u32>, weight: Vec<f64>, self_weight: Vec<f64>) -> Self {
        let strength: Vec<f64> = (0..self_weight.len())
            .map(|i| self_weight[i] + weight[offsets[i]..offsets[i + 1]].iter().sum::<f64>())
            .collect();
        let total = strength.iter().sum();
        Self {
            offsets,
            nbr,
            weight,
            self_weight,
            strength,
            total,
        }
    }

    fn len(&self) -> usize {
        self.self_weight.len()
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let r = self.offsets[i]..self.offsets[i + 1];
        (&self.nbr[r.clone()], &self.weight[r])
    }

    /// Modularity of `comm` (one entry per node of this level).
    fn modularity(&self, comm: &[u32], count: usize) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let mut inside = vec![0.0; count];
        let mut tot = vec![0.0; count];
        for i in 0..self.len() {
            let c = comm[i] as usize;
            tot[c] += self.strength[i];
            inside[c] += self.self_weight[i];
            let (nbr, w) = self.row(i);
            for (&j, &wij) in nbr.iter().zip(w) {
                if comm[j as usize] as usize == c {
                    inside[c] += wij;
                }
            }
        }
        let m2 = self.total;
        inside
            .iter()
            .zip(&tot)
            .map(|(&l, &t)| l / m2 - (t / m2) * (t / m2))
            .sum()
    }

    /// Moves nodes between communities while that raises modularity; returns each node's community,
    /// renumbered densely in order of first node, and how many there are.
    fn local_moves(&self, rng: &mut SplitMix64) -> (Vec<u32>, usize, bool) {
        let n = self.len();
        let m2 = self.total;
        let mut comm: Vec<u32> = (0..n as u32).collect();
        let mut tot: Vec<f64> = self.strength.clone();
        let mut to_comm = vec![0.0f64; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut order: Vec<u32> = (0..n as u32).collect();
        rng.shuffle(&mut order);
        let mut moved_any = false;
        // Each move strictly raises modularity, so this ends; the cap bounds the slow tail of tiny gains.
        for _pass in 0..64 {
            let mut moves = 0usize;
            for &i in &order {
                let i = i as usize;
                let ki = self.strength[i];
                let own = comm[i];
                let (nbr, w) = self.row(i);
                for (&j, &wij) in nbr.iter().zip(w) {
                    let c = comm[j as usize];
                    if to_comm[c as usize] == 0.0 {
                        touched.push(c);
                    }
                    to_comm[c as usize] += wij;
                }
                tot[own as usize] -= ki;
                // Gain of joining c, up to a factor common to all c: k_i,in(c) - tot(c)·k_i / 2m.
                let mut best = own;
                let mut best_gain = to_comm[own as usize] - tot[own as usize] * ki / m2;
                for &c in &touched {
                    let gain = to_comm[c as usize] - tot[c as usize] * ki / m2;
                    if gain > best_gain + 1e-12 * ki.max(1.0) {
                        best_gain = gain;
                        best = c;
                    }
                }
                for &c in &touched {
                    to_comm[c as usize] = 0.0;
                }
                touched.clear();
                tot[best as usize] += ki;
                if best != own {
                    comm[i] = best;
                    moves += 1;
                }
            }
            if moves == 0 {
                break;
            }
            moved_any = true;
        }
        let count = renumber(&mut comm);
        (comm, count, moved_any)
    }

    /// The graph whose nodes are the communities of `comm`.
    fn aggregate(&self, comm: &[u32], count: usize) -> Level {
        // Nodes grouped by community (counting sort), so each community's row is built in one sweep.
        let mut start = vec![0usize; count + 1];
        for &c in comm {
            start[c as usize + 1] += 1;
        }
        for c in 0..count {
            start[c + 1] += start[c];
        }
        let mut members = vec![0u32; comm.len()];
        let mut fill = start.clone();
        for (i, &c) in comm.iter().enumerate() {
            members[fill[c as usize]] = i as u32;
            fill[c as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let mut nbr = Vec::new();
        let mut weight = Vec::new();
        let mut self_weight = vec![0.0; count];
        let mut acc = vec![0.0f64; count];
        let mut touched: Vec<u32> = Vec::new();
        for c in 0..count {
            for &i in &members[start[c]..start[c + 1]] {
                let i = i as usize;
                self_weight[c] += self.self_weight[i];
                let (row, w) = self.row(i);
                for (&j, &wij) in row.iter().zip(w) {
                    let cj = comm[j as usize];
                    if cj as usize == c {
                        self_weight[c] += wij;
                    } else {
                        if acc[cj as usize] == 0.0 {
                            touched.push(cj);
                        }
                        acc[cj as usize] += wij;
                    }
                }
            }
            touched.sort_unstable();
            for &d in &touched {
                nbr.push(d);
                weight.push(acc[d as usize]);
                acc[d as usize] = 0.0;
            }
            touched.clear();
            offsets.push(nbr.len());
        }
        Level::finish(offsets, nbr, weight, self_weight)
    }
}

/// Renumbers community ids densely in order of first appearance; returns how many there are.
fn renumber(comm: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; comm.len()];
    let mut next = 0u32;
    for c in comm.iter_mut() {
        let slot = &mut map[*c as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *c = *slot;
    }
    next as usize
}

/// Communities by multi-level Louvain on the simple weighted graph (parallel links add weight), with the
/// nodes visited in an order shuffled by `seed`. Isolated nodes are communities of their own.
pub fn louvain(g: &Graph, seed: u64) -> Communities {
    let n = g.node_count();
    let mut rng = SplitMix64::new(seed);
    let base = Level::from_graph(g);
    let mut membership: Vec<u32> = (0..n as u32).collect();
    if base.total > 0.0 {
        let mut level_owned: Option<Level> = None;
        loop {
            let level = level_owned.as_ref().unwrap_or(&base);
            let (comm, count, moved) = level.local_moves(&mut rng);
            if !moved {
                break;
            }
            for m in &mut membership {
                *m = comm[*m as usize];
            }
            if count == level.len() {
                break;
            }
            level_owned = Some(level.aggregate(&comm, count));
        }
    }
    let count = renumber(&mut membership);
    let modularity = base.modularity(&membership, count);
    Communities {
        membership,
        count: count as u32,
        modularity,
    }
}

/// Newman's modularity of a partition (`membership[v]` = community of node v) on the simple weighted
/// graph. Entries past the node count are ignored; a missing entry puts the node alone.
pub fn modularity(g: &Graph, membership: &[u32]) -> f64 {
    let n = g.node_count();
    let mut comm: Vec<u32> = (0..n)
        .map(|v| membership.get(v).copied().unwrap_or(u32::MAX - v as u32))
        .collect();
    // Ids may be sparse or large: make them dense first.
    let mut ids: Vec<(u32, NodeIx)> = comm
        .iter()
        .enumerate()
        .map(|(v, &c)| (c, v as NodeIx))
        .collect();
    ids.sort_unstable();
    let mut next = 0u32;
    for (k, &(c, v)) in ids.iter().enumerate() {
        if k > 0 && ids[k - 1].0 != c {
            next += 1;
        }
        comm[v as usize] = next;
    }
    let count = if n == 0 { 0 } else { next as usize + 1 };
    Level::from_graph(g).modularity(&comm, count)
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
    fn two_triangles_joined_by_a_bridge() {
        let g = graph(7, &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]);
        let c = louvain(&g, 1);
        assert_eq!(c.membership, vec![0, 0, 0, 1, 1, 1, 2]);
        assert_eq!(c.count, 3);
        // By hand: 2 × (6/14 - (7/14)²) = 5/14.
        assert!(
            (c.modularity - 5.0 / 14.0).abs() < 1e-12,
            "{}",
            c.modularity
        );
        assert!((modularity(&g, &c.membership) - c.modularity).abs() < 1e-12);
    }

    #[test]
    fn parallel_links_add_weight() {
        let g = graph(3, &[(0, 1), (0, 1), (1, 2)]);
        let level = Level::from_graph(&g);
        assert_eq!(level.row(1), (&[0u32, 2][..], &[2.0, 1.0][..]));
        assert_eq!(level.total, 6.0);
    }

    #[test]
    fn no_links_means_singletons() {
        let g = graph(3, &[]);
        let c = louvain(&g, 9);
        assert_eq!(c.membership, vec![0, 1, 2]);
        assert_eq!(c.modularity, 0.0);
    }
}
