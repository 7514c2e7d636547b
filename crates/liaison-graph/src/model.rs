//! The vocabulary of the entity graph: what a node is, what a link is, and the owned form of a link.

use crate::NodeIx;

/// What an entity node stands for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Document,
    Vehicle,
    Case,
    Organisation,
    Phone,
    Email,
    Address,
    Alert,
    Other,
}

impl EntityKind {
    /// Every kind, in declaration order.
    pub const ALL: [EntityKind; 10] = [
        EntityKind::Person,
        EntityKind::Document,
        EntityKind::Vehicle,
        EntityKind::Case,
        EntityKind::Organisation,
        EntityKind::Phone,
        EntityKind::Email,
        EntityKind::Address,
        EntityKind::Alert,
        EntityKind::Other,
    ];

    /// The wire spelling, as used by the API and the exports.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Document => "document",
            EntityKind::Vehicle => "vehicle",
            EntityKind::Case => "case",
            EntityKind::Organisation => "organisation",
            EntityKind::Phone => "phone",
            EntityKind::Email => "email",
            EntityKind::Address => "address",
            EntityKind::Alert => "alert",
            EntityKind::Other => "other",
        }
    }

    /// Reads the wire spelling (exact, lowercase).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a link between two entities means.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum EdgeKind {
    /// A recorded relation between two persons (the label says which: "associate", "sibling"...).
    Relation,
    HoldsDocument,
    UsesVehicle,
    /// An entity uses a phone, e-mail address or postal address.
    SharesIdentifier,
    /// Two travellers on the same booking or flight (the label names the flight).
    TravelledWith,
    CaseMember,
    /// Two records that describe the same real person (a confirmed match).
    SameIdentity,
    /// An alert's subject (alert → person, document or vehicle).
    Subject,
}

impl EdgeKind {
    /// Every kind, in declaration order.
    pub const ALL: [EdgeKind; 8] = [
        EdgeKind::Relation,
        EdgeKind::HoldsDocument,
        EdgeKind::UsesVehicle,
        EdgeKind::SharesIdentifier,
        EdgeKind::TravelledWith,
        EdgeKind::CaseMember,
        EdgeKind::SameIdentity,
        EdgeKind::Subject,
    ];

    /// The wire spelling, as used by the API and the exports.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Relation => "relation",
            EdgeKind::HoldsDocument => "holds_document",
            EdgeKind::UsesVehicle => "uses_vehicle",
            EdgeKind::SharesIdentifier => "shares_identifier",
            EdgeKind::TravelledWith => "travelled_with",
            EdgeKind::CaseMember => "case_member",
            EdgeKind::SameIdentity => "same_identity",
            EdgeKind::Subject => "subject",
        }
    }

    /// Reads the wire spelling (exact, lowercase).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A distinct bit per kind, so a set of kinds is one integer.
    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// An undirected, typed link, owned. [`crate::Graph::edge`] returns the borrowed [`EdgeRef`] instead.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Edge {
    pub a: NodeIx,
    pub b: NodeIx,
    pub kind: EdgeKind,
    /// Free text qualifying the link, e.g. the relation kind "associate" or the flight "XA123 2026-03-01".
    pub label: Option<String>,
    /// Days since 1970-01-01.
    pub date: Option<i32>,
    /// Index into [`crate::Graph::owners`]: the node that holds the record the link comes from.
    pub owner: u16,
}

/// A link as stored in the graph; the same fields as [`Edge`], with the label borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EdgeRef<'g> {
    pub a: NodeIx,
    pub b: NodeIx,
    pub kind: EdgeKind,
    pub label: Option<&'g str>,
    pub date: Option<i32>,
    pub owner: u16,
}

impl EdgeRef<'_> {
    /// The endpoint that is not `n` (or `a` when `n` is neither).
    pub fn other(&self, n: NodeIx) -> NodeIx {
        if n == self.a { self.b } else { self.a }
    }

    pub fn to_edge(&self) -> Edge {
        Edge {
            a: self.a,
            b: self.b,
            kind: self.kind,
            label: self.label.map(str::to_owned),
            date: self.date,
            owner: self.owner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::parse(k.as_str()), Some(k));
        }
        for k in EdgeKind::ALL {
            assert_eq!(EdgeKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EntityKind::parse("Person"), None);
        assert_eq!(EdgeKind::parse(""), None);
    }
}
