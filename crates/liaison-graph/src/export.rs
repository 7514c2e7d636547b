//! Exports for analysts' tools: GraphML (yEd, Gephi, networkx) and GEXF 1.3 (Gephi), of the whole graph
//! or of the subgraph induced by chosen nodes.

use std::fmt::Write;

use crate::{EdgeIx, Graph, NodeIx};

/// The nodes to write (ascending, without repeats or indices out of range) and the links among them.
fn selection(g: &Graph, nodes: Option<&[NodeIx]>) -> (Vec<NodeIx>, Vec<EdgeIx>) {
    match nodes {
        None => (g.nodes().collect(), g.edges().collect()),
        Some(chosen) => {
            let mut inside = vec![false; g.node_count()];
            for &v in chosen {
                if let Some(slot) = inside.get_mut(v as usize) {
                    *slot = true;
                }
            }
            let list: Vec<NodeIx> = g.nodes().filter(|&v| inside[v as usize]).collect();
            let mut edges = Vec::new();
            for &u in &list {
                for (v, e) in g.neighbours(u) {
                    // Each link once, from its first endpoint.
                    if inside[v as usize] && g.edge(e).a == u {
                        edges.push(e);
                    }
                }
            }
            edges.sort_unstable();
            (list, edges)
        }
    }
}

/// Appends `s` escaped for XML text and attribute values; drops the characters XML 1.0 forbids and keeps
/// tabs and line breaks as character references so attribute normalisation cannot eat them.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Days since 1970-01-01 as an ISO 8601 calendar date (proleptic Gregorian).
pub fn iso_date(days: i32) -> String {
    // Howard Hinnant's civil-from-days, in eras of 400 years.
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if year < 0 {
        format!("-{:04}-{month:02}-{day:02}", -year)
    } else {
        format!("{year:04}-{month:02}-{day:02}")
    }
}

/// The attributes both formats carry, as (name, value) with absent values left out.
fn node_attributes(g: &Graph, v: NodeIx) -> [(&'static str, Option<&str>); 4] {
    [
        ("kind", Some(g.kind(v).as_str())),
        ("key", Some(g.key(v))),
        ("label", g.label(v)),
        ("owner", g.owner_of(v)),
    ]
}

fn edge_attributes(g: &Graph, e: EdgeIx) -> [(&'static str, Option<String>); 4] {
    let edge = g.edge(e);
    [
        ("kind", Some(edge.kind.as_str().to_owned())),
        ("label", edge.label.map(str::to_owned)),
        ("date", edge.date.map(iso_date)),
        ("owner", g.owner_name(edge.owner).map(str::to_owned)),
    ]
}

/// GraphML of the whole graph, or of the subgraph induced by `nodes`. Nodes are `n<index>`, links
/// `e<index>`; attributes: node kind, key, label, owner; link kind, label, date (ISO), owner.
pub fn to_graphml(g: &Graph, nodes: Option<&[NodeIx]>) -> String {
    let (list, edges) = selection(g, nodes);
    let mut out = String::with_capacity(256 + list.len() * 160 + edges.len() * 160);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        "  <key id=\"node_kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"node_key\" for=\"node\" attr.name=\"key\" attr.type=\"string\"/>\n",
        "  <key id=\"node_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"node_owner\" for=\"node\" attr.name=\"owner\" attr.type=\"string\"/>\n",
        "  <key id=\"edge_kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"edge_label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"edge_date\" for=\"edge\" attr.name=\"date\" attr.type=\"string\"/>\n",
        "  <key id=\"edge_owner\" for=\"edge\" attr.name=\"owner\" attr.type=\"string\"/>\n",
        "  <graph id=\"G\" edgedefault=\"undirected\">\n",
    ));
    for &v in &list {
        let _ = write!(out, "    <node id=\"n{v}\">");
        for (name, value) in node_attributes(g, v) {
            if let Some(value) = value {
                let _ = write!(out, "<data key=\"node_{name}\">");
                escape_into(&mut out, value);
                out.push_str("</data>");
            }
        }
        out.push_str("</node>\n");
    }
    for &e in &edges {
        let edge = g.edge(e);
        let _ = write!(
            out,
            "    <edge id=\"e{e}\" source=\"n{}\" target=\"n{}\">",
            edge.a, edge.b
        );
        for (name, value) in edge_attributes(g, e) {
            if let Some(value) = value {
                let _ = write!(out, "<data key=\"edge_{name}\">");
                escape_into(&mut out, &value);
                out.push_str("</data>");
            }
        }
        out.push_str("</edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// GEXF 1.3 of the whole graph, or of the subgraph induced by `nodes`, with the same attributes as
/// [`to_graphml`]. A node's GEXF label is its display label, or its key when it has none; a link's GEXF
/// `kind` is its link kind, so that Gephi keeps parallel links of different kinds apart.
pub fn to_gexf(g: &Graph, nodes: Option<&[NodeIx]>) -> String {
    let (list, edges) = selection(g, nodes);
    let mut out = String::with_capacity(512 + list.len() * 220 + edges.len() * 220);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<gexf xmlns=\"http://gexf.net/1.3\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
        "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n",
        "    <attributes class=\"node\">\n",
        "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n",
        "      <attribute id=\"key\" title=\"key\" type=\"string\"/>\n",
        "      <attribute id=\"label\" title=\"label\" type=\"string\"/>\n",
        "      <attribute id=\"owner\" title=\"owner\" type=\"string\"/>\n",
        "    </attributes>\n",
        "    <attributes class=\"edge\">\n",
        "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n",
        "      <attribute id=\"label\" title=\"label\" type=\"string\"/>\n",
        "      <attribute id=\"date\" title=\"date\" type=\"string\"/>\n",
        "      <attribute id=\"owner\" title=\"owner\" type=\"string\"/>\n",
        "    </attributes>\n",
        "    <nodes>\n",
    ));
    for &v in &list {
        let shown = escaped(g.label(v).unwrap_or(g.key(v)));
        let _ = write!(out, "      <node id=\"n{v}\" label=\"{shown}\"><attvalues>");
        for (name, value) in node_attributes(g, v) {
            if let Some(value) = value {
                let _ = write!(
                    out,
                    "<attvalue for=\"{name}\" value=\"{}\"/>",
                    escaped(value)
                );
            }
        }
        out.push_str("</attvalues></node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for &e in &edges {
        let edge = g.edge(e);
        let _ = write!(
            out,
            "      <edge id=\"e{e}\" source=\"n{}\" target=\"n{}\" kind=\"{}\"",
            edge.a,
            edge.b,
            edge.kind.as_str()
        );
        if let Some(label) = edge.label {
            let _ = write!(out, " label=\"{}\"", escaped(label));
        }
        out.push_str("><attvalues>");
        for (name, value) in edge_attributes(g, e) {
            if let Some(value) = value {
                let _ = write!(
                    out,
                    "<attvalue for=\"{name}\" value=\"{}\"/>",
                    escaped(&value)
                );
            }
        }
        out.push_str("</attvalues></edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(-1), "1969-12-31");
        assert_eq!(iso_date(20_513), "2026-03-01");
        assert_eq!(iso_date(11_016), "2000-02-29");
        assert_eq!(iso_date(-719_468), "0000-03-01");
        assert_eq!(iso_date(-719_469), "0000-02-29");
        assert!(iso_date(i32::MIN).starts_with('-'));
        assert!(!iso_date(i32::MAX).is_empty());
    }

    #[test]
    fn escaping_covers_markup_and_forbidden_characters() {
        assert_eq!(escaped("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
        assert_eq!(escaped("x\u{0}\u{1b}y\u{FFFE}\tz\n"), "xy&#9;z&#10;");
        assert_eq!(escaped("Müller 李"), "Müller 李");
    }
}
