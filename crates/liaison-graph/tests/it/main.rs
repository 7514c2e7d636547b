//! Integration tests of liaison-graph: known answers on small graphs and Zachary's karate club, and
//! properties checked against brute force on random graphs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod exports;
mod karate;
mod known;
mod properties;

use liaison_graph::{EdgeKind, EntityKind, Graph, GraphBuilder};

/// A graph of `n` persons "0".."n-1" linked by relations.
pub fn simple(n: u32, edges: &[(u32, u32)]) -> Graph {
    let mut b = GraphBuilder::new();
    for i in 0..n {
        b.entity(EntityKind::Person, &i.to_string());
    }
    for &(a, c) in edges {
        b.edge(a, c, EdgeKind::Relation, None, None, 0);
    }
    b.build()
}

pub fn assert_close(got: &[f64], want: &[f64], tolerance: f64) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tolerance, "node {i}: got {g}, want {w}");
    }
}
