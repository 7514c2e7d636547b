//! Link analysis over Liaison's entity graph.
