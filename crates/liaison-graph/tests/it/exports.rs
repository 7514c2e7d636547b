//! GraphML and GEXF exports: the attributes analysts' tools read, escaping, induced subgraphs.

use liaison_graph::{EdgeKind, EntityKind, GraphBuilder, to_gexf, to_graphml};

fn network() -> liaison_graph::Graph {
    let mut b = GraphBuilder::new();
    let de = b.owner("DE-BKA");
    let p1 = b.entity(EntityKind::Person, "p1");
    let p2 = b.entity(EntityKind::Person, "p2");
    let doc = b.entity(EntityKind::Document, "D<123\"&'");
    b.set_label(p1, "Anna <\"Ann\"> O'Neil & Co\u{1}");
    b.set_owner(p1, de);
    b.edge(
        p1,
        p2,
        EdgeKind::TravelledWith,
        Some("XA123 2026-03-01"),
        Some(20_513),
        de,
    );
    b.edge(p1, p2, EdgeKind::Relation, Some("associate"), None, de);
    b.edge(p2, doc, EdgeKind::HoldsDocument, None, None, 7);
    b.build()
}

/// Every `<` opens a tag and every `&` starts one of the references the exports write, so the document
/// cannot break a parser.
fn assert_well_escaped(xml: &str) {
    assert!(!xml.contains('\u{1}'));
    for (i, _) in xml.match_indices('&') {
        let rest = &xml[i..];
        assert!(
            [
                "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#9;", "&#10;", "&#13;"
            ]
            .iter()
            .any(|r| rest.starts_with(r)),
            "stray & at {i}"
        );
    }
    let opened = xml.matches('<').count();
    let closed = xml.matches('>').count();
    assert_eq!(opened, closed);
}

#[test]
fn graphml_has_nodes_edges_and_attributes() {
    let xml = to_graphml(&network(), None);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml"));
    assert!(xml.contains("<graph id=\"G\" edgedefault=\"undirected\">"));
    assert_eq!(xml.matches("<node ").count(), 3);
    assert_eq!(xml.matches("<edge ").count(), 3);
    assert!(xml.contains("<data key=\"node_kind\">person</data>"));
    assert!(xml.contains(
        "<data key=\"node_label\">Anna &lt;&quot;Ann&quot;&gt; O&apos;Neil &amp; Co</data>"
    ));
    assert!(xml.contains("<data key=\"node_owner\">DE-BKA</data>"));
    assert!(xml.contains("<data key=\"node_key\">D&lt;123&quot;&amp;&apos;</data>"));
    assert!(xml.contains(
        "<edge id=\"e0\" source=\"n0\" target=\"n1\"><data key=\"edge_kind\">travelled_with</data>\
         <data key=\"edge_label\">XA123 2026-03-01</data><data key=\"edge_date\">2026-03-01</data>\
         <data key=\"edge_owner\">DE-BKA</data></edge>"
    ));
    // Owner 7 was never interned: the attribute is left out rather than invented.
    assert!(xml.contains("<data key=\"edge_kind\">holds_document</data></edge>"));
    assert_well_escaped(&xml);
}

#[test]
fn graphml_of_an_induced_subgraph() {
    let xml = to_graphml(&network(), Some(&[2, 1, 1, 99]));
    assert_eq!(xml.matches("<node ").count(), 2);
    assert_eq!(xml.matches("<edge ").count(), 1);
    assert!(xml.contains("<edge id=\"e2\" source=\"n1\" target=\"n2\">"));
    assert!(!xml.contains("id=\"n0\""));
}

#[test]
fn gexf_1_3_with_typed_parallel_links() {
    let xml = to_gexf(&network(), None);
    assert!(xml.contains("<gexf xmlns=\"http://gexf.net/1.3\""));
    assert!(xml.contains("version=\"1.3\""));
    assert!(xml.contains("<graph defaultedgetype=\"undirected\" mode=\"static\">"));
    assert!(
        xml.contains("<node id=\"n1\" label=\"p2\">"),
        "a node without a label shows its key"
    );
    assert!(xml.contains(
        "<edge id=\"e0\" source=\"n0\" target=\"n1\" kind=\"travelled_with\" label=\"XA123 2026-03-01\">"
    ));
    assert!(xml.contains(
        "<edge id=\"e1\" source=\"n0\" target=\"n1\" kind=\"relation\" label=\"associate\">"
    ));
    assert!(xml.contains("<attvalue for=\"date\" value=\"2026-03-01\"/>"));
    assert!(xml.contains("<attvalue for=\"owner\" value=\"DE-BKA\"/>"));
    assert_eq!(xml.matches("<node ").count(), 3);
    assert_eq!(xml.matches("<edge ").count(), 3);
    assert_well_escaped(&xml);
    let sub = to_gexf(&network(), Some(&[0]));
    assert_eq!(sub.matches("<node ").count(), 1);
    assert_eq!(sub.matches("<edge ").count(), 0);
}
