//! Link analysis over Liaison's entity graph: persons, documents, vehicles, cases, organisations and the
//! identifiers they share, linked by relations, holdings, travel and case membership. Pure: no IO, no
//! clock; randomness only from seeds the caller passes.
//!
//! Build a [`Graph`] with a [`GraphBuilder`], then ask for [`neighbourhood`]s, [`shortest_path`]s and
//! [`paths`], centralities ([`degree_centrality`], [`betweenness`], [`pagerank`], [`core_numbers`]),
//! communities ([`louvain`]), [`key_players`] (the nodes whose removal most fragments the network) and
//! exports ([`to_graphml`], [`to_gexf`]). The graph is stored as flat arrays with compressed adjacency,
//! so a million entities with five million links fit in a few hundred megabytes.

mod centrality;
mod community;
mod export;
mod filter;
mod graph;
mod keyplayer;
mod model;
mod rng;
mod strings;
mod traverse;

/// A node's index: dense, in the order the builder created the nodes.
pub type NodeIx = u32;
/// A link's index: dense, in the order the builder added the links.
pub type EdgeIx = u32;

pub use centrality::{
    PageRank, Sampling, betweenness, core_numbers, degree_centrality, pagerank, pagerank_detailed,
};
pub use community::{Communities, louvain, modularity};
pub use export::{iso_date, to_gexf, to_graphml};
pub use filter::EdgeFilter;
pub use graph::{Graph, GraphBuilder, NO_OWNER};
pub use keyplayer::{
    KeyPlayer, fragmentation, fragmentation_if_removed, key_players, key_players_with,
};
pub use model::{Edge, EdgeKind, EdgeRef, EntityKind};
pub use rng::SplitMix64;
pub use traverse::{
    DEFAULT_PATH_STEPS, Neighbourhood, PathSearch, connected_components, neighbourhood, paths,
    paths_bounded, shortest_path,
};
