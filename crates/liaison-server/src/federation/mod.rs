//! Federation with partner nodes.

pub mod transport;
