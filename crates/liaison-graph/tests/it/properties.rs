//! Properties on random small multigraphs, checked against brute force.

use liaison_graph::{
    EdgeFilter, EdgeKind, EntityKind, Graph, GraphBuilder, fragmentation, fragmentation_if_removed,
    key_players, louvain, modularity, neighbourhood, pagerank, paths, shortest_path,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Spec {
    n: u32,
    edges: Vec<(u32, u32, usize, Option<i32>, u16)>,
}

fn spec(max_nodes: u32, max_edges: usize) -> impl Strategy<Value = Spec> {
    (1..=max_nodes).prop_flat_map(move |n| {
        let edge = (
            0..n,
            0..n,
            0..EdgeKind::ALL.len(),
            prop::option::of(0..10i32),
            0..3u16,
        );
        prop::collection::vec(edge, 0..=max_edges).prop_map(move |edges| Spec { n, edges })
    })
}

fn filter() -> impl Strategy<Value = EdgeFilter> {
    (
        prop::option::of(prop::collection::vec(0..EdgeKind::ALL.len(), 0..5)),
        prop::option::of(0..10i32),
        prop::option::of(0..10i32),
        prop::option::of(prop::collection::vec(0..3u16, 0..3)),
    )
        .prop_map(|(kinds, from_day, to_day, owners)| EdgeFilter {
            kinds: kinds.map(|ks| ks.into_iter().map(|k| EdgeKind::ALL[k]).collect()),
            from_day,
            to_day,
            owners,
        })
}

fn build(s: &Spec) -> Graph {
    let mut b = GraphBuilder::new();
    for o in ["A", "B", "C"] {
        b.owner(o);
    }
    for i in 0..s.n {
        b.entity(EntityKind::Person, &i.to_string());
    }
    for &(a, c, k, date, owner) in &s.edges {
        b.edge(a, c, EdgeKind::ALL[k], None, date, owner);
    }
    b.build()
}

/// Whether the filter lets a link through, decided from the spec rather than the graph.
fn passes(f: &EdgeFilter, kind: EdgeKind, date: Option<i32>, owner: u16) -> bool {
    f.kinds.as_ref().is_none_or(|ks| ks.contains(&kind))
        && date.is_none_or(|d| {
            f.from_day.is_none_or(|lo| d >= lo) && f.to_day.is_none_or(|hi| d <= hi)
        })
        && f.owners.as_ref().is_none_or(|os| os.contains(&owner))
}

/// Adjacency matrix of the links that pass.
fn allowed(s: &Spec, f: &EdgeFilter) -> Vec<Vec<bool>> {
    let n = s.n as usize;
    let mut m = vec![vec![false; n]; n];
    for &(a, c, k, date, owner) in &s.edges {
        if a != c && passes(f, EdgeKind::ALL[k], date, owner) {
            m[a as usize][c as usize] = true;
            m[c as usize][a as usize] = true;
        }
    }
    m
}

/// Every simple path from `from` to `to` of at most `max` links, by exhaustive depth-first search.
fn all_simple_paths(adj: &[Vec<bool>], from: usize, to: usize, max: usize) -> Vec<Vec<u32>> {
    fn go(
        adj: &[Vec<bool>],
        path: &mut Vec<usize>,
        to: usize,
        max: usize,
        out: &mut Vec<Vec<u32>>,
    ) {
        let u = *path.last().unwrap();
        if u == to {
            out.push(path.iter().map(|&v| v as u32).collect());
            return;
        }
        if path.len() > max {
            return;
        }
        for v in 0..adj.len() {
            if adj[u][v] && !path.contains(&v) {
                path.push(v);
                go(adj, path, to, max, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(adj, &mut vec![from], to, max, &mut out);
    out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    out
}

fn bfs_hops(adj: &[Vec<bool>], start: usize) -> Vec<Option<u32>> {
    let mut hops = vec![None; adj.len()];
    hops[start] = Some(0);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for v in 0..adj.len() {
            if adj[u][v] && hops[v].is_none() {
                hops[v] = Some(hops[u].unwrap() + 1);
                queue.push_back(v);
            }
        }
    }
    hops
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shortest_path_is_as_short_as_exhaustive_search(s in spec(10, 24), f in filter(), a in 0..10u32, b in 0..10u32) {
        let g = build(&s);
        let (a, b) = (a % s.n, b % s.n);
        let adj = allowed(&s, &f);
        let shortest = all_simple_paths(&adj, a as usize, b as usize, s.n as usize).first().map(Vec::len);
        let found = shortest_path(&g, a, b, &f);
        prop_assert_eq!(found.as_ref().map(Vec::len), shortest);
        if let Some(p) = found {
            prop_assert_eq!(p.first(), Some(&a));
            prop_assert_eq!(p.last(), Some(&b));
            for w in p.windows(2) {
                prop_assert!(adj[w[0] as usize][w[1] as usize], "link {:?} not allowed", w);
            }
        }
    }

    #[test]
    fn paths_are_simple_bounded_sorted_and_complete(
        s in spec(8, 20), f in filter(), a in 0..8u32, b in 0..8u32, max in 0..6u32, limit in 0..30usize,
    ) {
        let g = build(&s);
        let (a, b) = (a % s.n, b % s.n);
        let adj = allowed(&s, &f);
        let mut want = all_simple_paths(&adj, a as usize, b as usize, max as usize);
        want.truncate(limit);
        let got = paths(&g, a, b, max, &f, limit);
        for p in &got {
            prop_assert!(p.len() as u32 <= max + 1);
            let mut seen = p.clone();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), p.len(), "not simple: {:?}", p);
        }
        prop_assert_eq!(got, want);
    }

    #[test]
    fn one_pass_removal_effect_equals_brute_force(s in spec(12, 24), removed in prop::collection::vec(0..12u32, 0..4)) {
        let g = build(&s);
        let mut removed: Vec<u32> = removed.into_iter().filter(|&r| r < s.n).collect();
        removed.sort_unstable();
        removed.dedup();
        let fast = fragmentation_if_removed(&g, &removed);
        for v in 0..s.n {
            // Brute force: take the node out too and count the components again.
            let slow = (!removed.contains(&v)).then(|| {
                let mut r = removed.clone();
                r.push(v);
                fragmentation(&g, &r)
            });
            match (fast[v as usize], slow) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-12, "node {}: {} vs {}", v, a, b),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn key_player_steps_agree_with_recomputed_fragmentation(s in spec(12, 24), limit in 0..5usize) {
        let g = build(&s);
        let kp = key_players(&g, limit, &|v| v % 3 != 1);
        prop_assert_eq!(kp.len(), limit.min((0..s.n).filter(|v| v % 3 != 1).count()));
        let mut removed = Vec::new();
        let mut before = fragmentation(&g, &[]);
        for k in &kp {
            prop_assert!(k.node % 3 != 1);
            // The greedy choice is at least as good as any other eligible node.
            for v in 0..s.n {
                if v % 3 != 1 && !removed.contains(&v) {
                    let mut r = removed.clone();
                    r.push(v);
                    prop_assert!(fragmentation(&g, &r) <= k.fragmentation_after + 1e-12);
                }
            }
            removed.push(k.node);
            let after = fragmentation(&g, &removed);
            prop_assert!((after - k.fragmentation_after).abs() < 1e-12);
            prop_assert!((k.gain - (after - before)).abs() < 1e-12);
            before = after;
        }
    }

    #[test]
    fn pagerank_sums_to_one(s in spec(40, 80), damping in 0.0..1.0f64) {
        let g = build(&s);
        let pr = pagerank(&g, damping, 1e-10, 200);
        prop_assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(pr.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn neighbourhood_respects_hops_and_filters(s in spec(12, 30), f in filter(), start in 0..12u32, hops in 0..4u32) {
        let g = build(&s);
        let start = start % s.n;
        let adj = allowed(&s, &f);
        let want = bfs_hops(&adj, start as usize);
        let nb = neighbourhood(&g, start, hops, &f, 1000);
        prop_assert!(!nb.truncated);
        let mut got = vec![None; s.n as usize];
        for &(v, h) in &nb.nodes {
            prop_assert!(got[v as usize].is_none(), "node {} twice", v);
            got[v as usize] = Some(h);
        }
        for v in 0..s.n as usize {
            prop_assert_eq!(got[v], want[v].filter(|&h| h <= hops));
        }
        for &e in &nb.edges {
            let edge = g.edge(e);
            prop_assert!(f.allows(&g, e));
            prop_assert!(passes(&f, edge.kind, edge.date, edge.owner));
            prop_assert!(got[edge.a as usize].is_some() && got[edge.b as usize].is_some());
        }
        let small = neighbourhood(&g, start, hops, &f, 2);
        prop_assert!(small.nodes.len() <= 2);
        prop_assert_eq!(small.truncated, nb.nodes.len() > 2);
    }

    #[test]
    fn louvain_is_a_partition_with_its_stated_modularity(s in spec(30, 60), seed in any::<u64>()) {
        let g = build(&s);
        let c = louvain(&g, seed);
        prop_assert_eq!(c.membership.len(), s.n as usize);
        prop_assert!(c.membership.iter().all(|&m| m < c.count));
        prop_assert!((modularity(&g, &c.membership) - c.modularity).abs() < 1e-9);
        let singletons: Vec<u32> = (0..s.n).collect();
        prop_assert!(c.modularity >= modularity(&g, &singletons) - 1e-9);
    }
}
