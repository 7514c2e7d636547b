//! Small graphs whose answers are known by hand or from networkx 3.6.1.

use liaison_graph::{
    EdgeFilter, EdgeKind, EntityKind, GraphBuilder, Sampling, betweenness, connected_components,
    core_numbers, degree_centrality, fragmentation, key_players, louvain, neighbourhood, pagerank,
    paths, shortest_path,
};

use crate::{assert_close, simple};

fn barbell() -> liaison_graph::Graph {
    // nx.barbell_graph(4, 1): two K4 joined through node 4.
    simple(
        9,
        &[
            (0, 1),
            (0, 2),
            (0, 3),
            (1, 2),
            (1, 3),
            (2, 3),
            (3, 4),
            (5, 4),
            (5, 6),
            (5, 7),
            (5, 8),
            (6, 7),
            (6, 8),
            (7, 8),
        ],
    )
}

fn two_triangles() -> liaison_graph::Graph {
    simple(6, &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
}

#[test]
fn path_graph() {
    let g = simple(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
    // nx.pagerank(nx.path_graph(5), tol=1e-13, max_iter=10000)
    let want = [
        0.134527027027,
        0.245945945946,
        0.239054054054,
        0.245945945946,
        0.134527027027,
    ];
    assert_close(&pagerank(&g, 0.85, 1e-14, 10_000), &want, 1e-10);
    assert_close(
        &betweenness(&g, Sampling::Exact),
        &[0.0, 0.5, 2.0 / 3.0, 0.5, 0.0],
        1e-12,
    );
    assert_eq!(core_numbers(&g), vec![1; 5]);
    assert_eq!(
        shortest_path(&g, 0, 4, &EdgeFilter::all()),
        Some(vec![0, 1, 2, 3, 4])
    );
    assert_eq!(
        paths(&g, 0, 4, 3, &EdgeFilter::all(), 10),
        Vec::<Vec<u32>>::new()
    );
    assert_eq!(
        paths(&g, 0, 4, 4, &EdgeFilter::all(), 10),
        vec![vec![0, 1, 2, 3, 4]]
    );
    // Removing the middle leaves two pairs: 1 - (2 + 2) / (4 · 3).
    assert!((fragmentation(&g, &[2]) - (1.0 - 4.0 / 12.0)).abs() < 1e-15);
    assert_eq!(key_players(&g, 1, &|_| true)[0].node, 2);
}

#[test]
fn star() {
    let g = simple(6, &[(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]);
    assert_eq!(degree_centrality(&g)[0], 1.0);
    assert_eq!(betweenness(&g, Sampling::Exact)[0], 1.0);
    let nb = neighbourhood(&g, 3, 2, &EdgeFilter::all(), 100);
    assert_eq!(
        nb.nodes,
        vec![(3, 0), (0, 1), (1, 2), (2, 2), (4, 2), (5, 2)]
    );
    assert_eq!(nb.edges, vec![0, 1, 2, 3, 4]);
    let kp = key_players(&g, 1, &|_| true);
    assert_eq!(
        (kp[0].node, kp[0].fragmentation_after, kp[0].gain),
        (0, 1.0, 1.0)
    );
}

#[test]
fn complete_graph() {
    let mut edges = Vec::new();
    for a in 0..8 {
        for c in a + 1..8 {
            edges.push((a, c));
        }
    }
    let g = simple(8, &edges);
    assert_eq!(core_numbers(&g), vec![7; 8]);
    assert!(betweenness(&g, Sampling::Exact).iter().all(|&b| b == 0.0));
    assert_close(&pagerank(&g, 0.85, 1e-14, 100), &[0.125; 8], 1e-12);
    assert_eq!(louvain(&g, 3).count, 1);
    assert_eq!(louvain(&g, 3).modularity, 0.0);
    // No removal disconnects anything; the tie goes to the lowest index.
    let kp = key_players(&g, 2, &|_| true);
    assert_eq!(kp.iter().map(|k| k.node).collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(kp[0].gain, 0.0);
    assert_eq!(paths(&g, 0, 1, 2, &EdgeFilter::all(), 100).len(), 7);
}

#[test]
fn barbell_graph() {
    let g = barbell();
    // nx.betweenness_centrality(nx.barbell_graph(4, 1))
    let want = [
        0.0,
        0.0,
        0.0,
        0.535714285714,
        0.571428571429,
        0.535714285714,
        0.0,
        0.0,
        0.0,
    ];
    assert_close(&betweenness(&g, Sampling::Exact), &want, 1e-11);
    // nx.pagerank(nx.barbell_graph(4, 1), tol=1e-14)
    #[rustfmt::skip]
    let want = [
        0.10721963454, 0.10721963454, 0.10721963454, 0.140212588081, 0.076257016601, 0.140212588081,
        0.10721963454, 0.10721963454, 0.10721963454,
    ];
    assert_close(&pagerank(&g, 0.85, 1e-14, 10_000), &want, 1e-10);
    let kp = key_players(&g, 1, &|_| true);
    assert_eq!(kp[0].node, 4, "the bridge node");
    assert!((kp[0].fragmentation_after - (1.0 - 24.0 / 56.0)).abs() < 1e-15);
    let c = louvain(&g, 11);
    assert_eq!(c.count, 2);
    assert_ne!(c.membership[0], c.membership[8]);
}

#[test]
fn two_triangles_joined_by_a_bridge() {
    let g = two_triangles();
    // nx.betweenness_centrality: [0, 0, 0.6, 0.6, 0, 0]
    assert_close(
        &betweenness(&g, Sampling::Exact),
        &[0.0, 0.0, 0.6, 0.6, 0.0, 0.0],
        1e-12,
    );
    let kp = key_players(&g, 2, &|_| true);
    // Both ends of the bridge split the graph alike and are equally between; the lower index wins.
    assert_eq!(kp[0].node, 2);
    assert!((kp[0].fragmentation_after - (1.0 - 8.0 / 20.0)).abs() < 1e-15);
    // Then 3 leaves three separate pieces: {0, 1}, {4, 5}.
    assert_eq!(kp[1].node, 3);
    assert!((kp[1].fragmentation_after - (1.0 - 4.0 / 12.0)).abs() < 1e-15);
    let kp = key_players(&g, 1, &|v| v != 2);
    assert_eq!(kp[0].node, 3);
    assert_eq!(core_numbers(&g), vec![2; 6]);
    let c = louvain(&g, 0);
    assert_eq!(c.membership, vec![0, 0, 0, 1, 1, 1]);
}

#[test]
fn typed_links_and_filters_on_a_small_network() {
    let mut b = GraphBuilder::new();
    let de = b.owner("DE-BKA");
    let fr = b.owner("FR-DCPJ");
    let anna = b.entity(EntityKind::Person, "p1");
    let boris = b.entity(EntityKind::Person, "p2");
    let carla = b.entity(EntityKind::Person, "p3");
    let phone = b.entity(EntityKind::Phone, "+4915112345678");
    let case = b.entity(EntityKind::Case, "c1");
    b.edge(anna, phone, EdgeKind::SharesIdentifier, None, None, de);
    b.edge(boris, phone, EdgeKind::SharesIdentifier, None, None, de);
    b.edge(
        boris,
        carla,
        EdgeKind::TravelledWith,
        Some("XA123 2026-03-01"),
        Some(20_513),
        fr,
    );
    b.edge(case, carla, EdgeKind::CaseMember, None, Some(19_000), fr);
    let g = b.build();
    let all = EdgeFilter::all();
    assert_eq!(
        shortest_path(&g, anna, case, &all),
        Some(vec![anna, phone, boris, carla, case])
    );
    let no_travel = EdgeFilter {
        kinds: Some(vec![EdgeKind::SharesIdentifier, EdgeKind::CaseMember]),
        ..EdgeFilter::default()
    };
    assert_eq!(shortest_path(&g, anna, case, &no_travel), None);
    let before_2026 = EdgeFilter {
        to_day: Some(20_453),
        ..EdgeFilter::default()
    };
    assert_eq!(shortest_path(&g, anna, carla, &before_2026), None);
    let german = EdgeFilter {
        owners: Some(vec![de]),
        ..EdgeFilter::default()
    };
    let nb = neighbourhood(&g, anna, 5, &german, 100);
    assert_eq!(nb.nodes, vec![(anna, 0), (phone, 1), (boris, 2)]);
    assert_eq!(connected_components(&g), vec![0; 5]);
}

#[test]
fn ties_go_to_the_higher_betweenness() {
    // A 6-cycle with a hub linked to three of its nodes: no single removal disconnects anything, so
    // every node ties on fragmentation and betweenness decides.
    let g = simple(
        7,
        &[
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
            (5, 6),
            (6, 1),
            (0, 1),
            (0, 3),
            (0, 5),
        ],
    );
    let bc = betweenness(&g, Sampling::Exact);
    let best = (0..7u32).fold(0, |b, v| {
        if bc[v as usize] > bc[b as usize] {
            v
        } else {
            b
        }
    });
    let kp = key_players(&g, 1, &|_| true);
    assert_eq!(kp[0].node, best);
    assert_eq!(kp[0].gain, 0.0);
    let mut asked = 0;
    let kp = liaison_graph::key_players_with(&g, 1, &|_| true, &mut || {
        asked += 1;
        vec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 9.0]
    });
    assert_eq!(kp[0].node, 6);
    assert_eq!(asked, 1);
}

#[test]
fn nodes_outside_the_graph_never_panic() {
    let g = two_triangles();
    let all = EdgeFilter::all();
    let far = 1_000_000;
    assert_eq!(g.kind(far), EntityKind::Other);
    assert_eq!(g.key(far), "");
    assert_eq!(g.label(far), None);
    assert_eq!(g.owner_of(far), None);
    assert_eq!(g.degree(far), 0);
    assert_eq!(g.neighbours(far).count(), 0);
    assert_eq!(g.edge(far).kind, EdgeKind::Relation);
    assert_eq!(shortest_path(&g, 0, far, &all), None);
    assert!(paths(&g, far, 0, 3, &all, 10).is_empty());
    assert!(neighbourhood(&g, far, 2, &all, 10).nodes.is_empty());
    assert_eq!(fragmentation(&g, &[far, 2]), fragmentation(&g, &[2]));
    assert!(liaison_graph::to_graphml(&g, Some(&[far])).contains("</graphml>"));
    assert!(key_players(&g, 100, &|_| true).len() == 6);
}

#[test]
fn unbounded_path_lengths_end() {
    let mut edges = Vec::new();
    for a in 0..9 {
        for c in a + 1..9 {
            edges.push((a, c));
        }
    }
    let g = simple(9, &edges);
    // All 13,700 simple paths between two nodes of K9, shortest first.
    let all = paths(&g, 0, 1, u32::MAX, &EdgeFilter::all(), usize::MAX);
    assert_eq!(all.len(), 13_700);
    assert_eq!(all[0], vec![0, 1]);
    assert!(
        all.windows(2)
            .all(|w| (w[0].len(), &w[0]) < (w[1].len(), &w[1]))
    );
    let budget =
        liaison_graph::paths_bounded(&g, 0, 1, u32::MAX, &EdgeFilter::all(), usize::MAX, 1000);
    assert!(!budget.complete);
    assert!(!budget.paths.is_empty());
}

#[test]
fn parallel_links_weigh_in_pagerank_and_isolated_nodes_share_evenly() {
    let g = simple(5, &[(0, 1), (0, 1), (1, 2), (2, 3)]);
    // nx.pagerank(nx.MultiGraph([(0, 1), (0, 1), (1, 2), (2, 3)]) + isolated node 4, tol=1e-13)
    let want = [
        0.227474111594,
        0.337640352849,
        0.254453599249,
        0.144287357994,
        0.0361445783133,
    ];
    assert_close(&pagerank(&g, 0.85, 1e-14, 10_000), &want, 1e-10);
    // Betweenness reads the simple graph: nx.betweenness_centrality(nx.Graph(...)).
    assert_close(
        &betweenness(&g, Sampling::Exact),
        &[0.0, 1.0 / 3.0, 1.0 / 3.0, 0.0, 0.0],
        1e-12,
    );
}
