//! Zachary's karate club (Zachary 1977: 34 members, 78 friendships), the classic test of community and
//! centrality algorithms. Reference values from networkx 3.6.1 on the unweighted graph
//! (`nx.Graph(nx.karate_club_graph().edges())`).

use liaison_graph::{
    Graph, Sampling, betweenness, core_numbers, degree_centrality, key_players, louvain,
    modularity, pagerank,
};

use crate::{assert_close, simple};

#[rustfmt::skip]
const EDGES: [(u32, u32); 78] = [
    (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8), (0, 10), (0, 11), (0, 12), (0, 13),
    (0, 17), (0, 19), (0, 21), (0, 31), (1, 2), (1, 3), (1, 7), (1, 13), (1, 17), (1, 19), (1, 21),
    (1, 30), (2, 3), (2, 7), (2, 8), (2, 9), (2, 13), (2, 27), (2, 28), (2, 32), (3, 7), (3, 12), (3, 13),
    (4, 6), (4, 10), (5, 6), (5, 10), (5, 16), (6, 16), (8, 30), (8, 32), (8, 33), (9, 33), (13, 33),
    (14, 32), (14, 33), (15, 32), (15, 33), (18, 32), (18, 33), (19, 33), (20, 32), (20, 33), (22, 32),
    (22, 33), (23, 25), (23, 27), (23, 29), (23, 32), (23, 33), (24, 25), (24, 27), (24, 31), (25, 31),
    (26, 29), (26, 33), (27, 33), (28, 31), (28, 33), (29, 32), (29, 33), (30, 32), (30, 33), (31, 32),
    (31, 33), (32, 33),
];

fn karate() -> Graph {
    simple(34, &EDGES)
}

#[test]
fn betweenness_matches_networkx() {
    // nx.betweenness_centrality(G)
    #[rustfmt::skip]
    let want = [
        0.437635281385, 0.0539366883117, 0.143656806157, 0.0119092712843, 0.000631313131313,
        0.0299873737374, 0.0299873737374, 0.0, 0.0559268278018, 0.000847763347763, 0.000631313131313,
        0.0, 0.0, 0.0458633958634, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0324750481, 0.0, 0.0, 0.0,
        0.0176136363636, 0.0022095959596, 0.00384048821549, 0.0, 0.0223334535835, 0.00179473304473,
        0.00292207792208, 0.014411976912, 0.138275613276, 0.145247113997, 0.30407497595,
    ];
    assert_close(&betweenness(&karate(), Sampling::Exact), &want, 1e-10);
}

#[test]
fn sampled_betweenness_estimates_the_exact_value() {
    let g = karate();
    let exact = betweenness(&g, Sampling::Exact);
    // The estimator is unbiased: averaged over many seeds it comes close to the exact value.
    let runs = 400;
    let mut mean = vec![0.0; 34];
    for seed in 0..runs {
        let est = betweenness(&g, Sampling::Pivots { count: 10, seed });
        for (m, e) in mean.iter_mut().zip(est) {
            *m += e / runs as f64;
        }
    }
    assert_close(&mean, &exact, 0.02);
    assert_eq!(
        betweenness(&g, Sampling::Pivots { count: 34, seed: 5 }),
        exact
    );
}

#[test]
fn pagerank_matches_networkx() {
    // nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=10000)
    #[rustfmt::skip]
    let want = [
        0.0969972853884, 0.0528769240612, 0.0570785094885, 0.0358598577864, 0.0219779523646,
        0.0291111546784, 0.0291111546784, 0.0244904970353, 0.029766056081, 0.014309397129,
        0.0219779523646, 0.00956474549214, 0.0146448920119, 0.0295364561519, 0.0145359939979,
        0.0145359939979, 0.0167840054442, 0.014558677209, 0.0145359939979, 0.0196046363257,
        0.0145359939979, 0.014558677209, 0.0145359939979, 0.0315225147766, 0.0210760335592,
        0.0210061973945, 0.0150440380827, 0.0256397674828, 0.0195734594638, 0.0262885376951,
        0.0245901552486, 0.0371580870691, 0.0716932260057, 0.100919182333,
    ];
    let pr = pagerank(&karate(), 0.85, 1e-14, 10_000);
    assert_close(&pr, &want, 1e-10);
    assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn core_numbers_match_networkx() {
    // nx.core_number(G)
    #[rustfmt::skip]
    let want = [
        4, 4, 4, 4, 3, 3, 3, 4, 4, 2, 3, 1, 2, 4, 2, 2, 2, 2, 2, 3, 2, 2, 2, 3, 3, 3, 2, 3, 3, 3, 4, 3, 4, 4,
    ];
    assert_eq!(core_numbers(&karate()), want);
}

#[test]
fn degree_centrality_of_the_instructor_and_the_president() {
    let dc = degree_centrality(&karate());
    assert!((dc[0] - 16.0 / 33.0).abs() < 1e-15);
    assert!((dc[33] - 17.0 / 33.0).abs() < 1e-15);
}

#[test]
fn louvain_finds_the_known_communities() {
    let g = karate();
    // networkx 3.6.1 louvain_communities reaches 0.4151–0.4198 with 4 communities over seeds 0–9.
    for seed in 0..20 {
        let c = louvain(&g, seed);
        assert!(c.modularity >= 0.40, "seed {seed}: {}", c.modularity);
        assert!(
            (3..=4).contains(&c.count),
            "seed {seed}: {} communities",
            c.count
        );
        assert!((modularity(&g, &c.membership) - c.modularity).abs() < 1e-12);
        // The instructor (0) and the president (33) end up apart, as the club did.
        assert_ne!(c.membership[0], c.membership[33]);
    }
    assert_eq!(louvain(&g, 7), louvain(&g, 7), "the seed fixes the result");
}

#[test]
fn key_players_are_the_leaders() {
    let kp = key_players(&karate(), 3, &|_| true);
    let nodes: Vec<u32> = kp.iter().map(|k| k.node).collect();
    // Removing the instructor isolates node 11 and splits off 4, 5, 6, 10, 16: the largest single gain.
    assert_eq!(nodes[0], 0);
    assert!(
        kp.windows(2)
            .all(|w| w[1].fragmentation_after >= w[0].fragmentation_after)
    );
    assert!(kp[0].gain > 0.0);
}
