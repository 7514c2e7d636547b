//! Which links a traversal may follow: by kind, by date window and by the owner that recorded them.

use crate::model::EdgeKind;
use crate::{EdgeIx, Graph};

/// Restricts traversals to some links. Every field left `None` lets everything through; a link without
/// a date passes any date window.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct EdgeFilter {
    pub kinds: Option<Vec<EdgeKind>>,
    /// First day (days since 1970-01-01) a dated link may carry, inclusive.
    pub from_day: Option<i32>,
    /// Last day a dated link may carry, inclusive.
    pub to_day: Option<i32>,
    /// Indices into [`Graph::owners`].
    pub owners: Option<Vec<u16>>,
}

impl EdgeFilter {
    /// Lets every link through.
    pub fn all() -> Self {
        Self::default()
    }

    /// Whether link `e` of `g` passes.
    pub fn allows(&self, g: &Graph, e: EdgeIx) -> bool {
        self.compile(g).allows(g, e)
    }

    pub(crate) fn compile(&self, g: &Graph) -> CompiledFilter {
        let kinds = self
            .kinds
            .as_ref()
            .map_or(u16::MAX, |ks| ks.iter().fold(0, |m, k| m | k.bit()));
        let owners = self.owners.as_ref().map(|os| {
            let mut allowed = vec![false; g.owners().len().max(1) + 1];
            for &o in os {
                if let Some(slot) = allowed.get_mut(o as usize) {
                    *slot = true;
                }
            }
            allowed
        });
        let from = self.from_day.unwrap_or(i32::MIN);
        let to = self.to_day.unwrap_or(i32::MAX);
        let everything =
            kinds == u16::MAX && owners.is_none() && from == i32::MIN && to == i32::MAX;
        CompiledFilter {
            everything,
            kinds,
            from,
            to,
            owners,
        }
    }
}

/// An [`EdgeFilter`] turned into a bit mask and a lookup table, checked in O(1) per link.
#[derive(Debug)]
pub(crate) struct CompiledFilter {
    everything: bool,
    kinds: u16,
    from: i32,
    to: i32,
    owners: Option<Vec<bool>>,
}

impl CompiledFilter {
    #[inline]
    pub(crate) fn allows(&self, g: &Graph, e: EdgeIx) -> bool {
        if self.everything {
            return true;
        }
        if self.kinds & g.edge_kind(e).bit() == 0 {
            return false;
        }
        if let Some(d) = g.edge_date(e)
            && (d < self.from || d > self.to)
        {
            return false;
        }
        match &self.owners {
            Some(allowed) => allowed
                .get(g.edge_owner(e) as usize)
                .copied()
                .unwrap_or(false),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityKind, GraphBuilder};

    #[test]
    fn each_field_restricts() {
        let mut b = GraphBuilder::new();
        let x = b.owner("x");
        let y = b.owner("y");
        let p = b.entity(EntityKind::Person, "p");
        let q = b.entity(EntityKind::Person, "q");
        b.edge(p, q, EdgeKind::Relation, None, Some(100), x);
        b.edge(p, q, EdgeKind::TravelledWith, None, None, y);
        let g = b.build();
        let all = EdgeFilter::all();
        assert!(all.allows(&g, 0) && all.allows(&g, 1));
        let kinds = EdgeFilter {
            kinds: Some(vec![EdgeKind::Relation]),
            ..EdgeFilter::default()
        };
        assert!(kinds.allows(&g, 0) && !kinds.allows(&g, 1));
        let window = EdgeFilter {
            from_day: Some(101),
            ..EdgeFilter::default()
        };
        assert!(
            !window.allows(&g, 0) && window.allows(&g, 1),
            "undated links pass"
        );
        let window = EdgeFilter {
            from_day: Some(100),
            to_day: Some(100),
            ..EdgeFilter::default()
        };
        assert!(window.allows(&g, 0));
        let owners = EdgeFilter {
            owners: Some(vec![y, 4000]),
            ..EdgeFilter::default()
        };
        assert!(!owners.allows(&g, 0) && owners.allows(&g, 1));
        let none = EdgeFilter {
            kinds: Some(vec![]),
            ..EdgeFilter::default()
        };
        assert!(!none.allows(&g, 0));
    }
}
