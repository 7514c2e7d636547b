//! Measures liaison-graph on a seeded synthetic network shaped like an investigation database: mostly
//! persons with few links, documents and vehicles held by one person each, shared identifiers of which a
//! few are hubs (a call-centre phone, a mail-drop address), communities that travel and share cases.
//!
//! `cargo run --release -p liaison-graph --example bench_graph -- --nodes 1000000 --edges 5000000`
//! prints one JSON line, then a readable table.

use std::time::Instant;

use liaison_graph::{
    EdgeFilter, EdgeKind, EntityKind, GraphBuilder, NodeIx, Sampling, SplitMix64, betweenness,
    connected_components, core_numbers, key_players, louvain, neighbourhood, pagerank_detailed,
    shortest_path,
};

struct Args {
    nodes: usize,
    edges: usize,
    seed: u64,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        nodes: 100_000,
        edges: 500_000,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number: u64 = value
            .parse()
            .map_err(|_| format!("{flag}: not a number: {value}"))?;
        match flag.as_str() {
            "--nodes" => a.nodes = number as usize,
            "--edges" => a.edges = number as usize,
            "--seed" => a.seed = number,
            _ => {
                return Err(format!(
                    "unknown flag {flag} (use --nodes, --edges, --seed)"
                ));
            }
        }
    }
    if a.nodes < 100 {
        return Err("--nodes must be at least 100".into());
    }
    Ok(a)
}

/// The share of each kind among the nodes, in per mille.
const MIX: [(EntityKind, usize); 9] = [
    (EntityKind::Person, 700),
    (EntityKind::Document, 120),
    (EntityKind::Vehicle, 40),
    (EntityKind::Phone, 70),
    (EntityKind::Email, 30),
    (EntityKind::Address, 25),
    (EntityKind::Case, 5),
    (EntityKind::Organisation, 5),
    (EntityKind::Alert, 5),
];

/// Node index ranges per kind, and the community structure of the persons.
struct Layout {
    first: [usize; 9],
    count: [usize; 9],
    /// First person of each community; persons of a community are consecutive.
    community_start: Vec<usize>,
}

impl Layout {
    fn range(&self, kind: usize) -> (usize, usize) {
        (self.first[kind], self.count[kind].max(1))
    }

    fn node(&self, kind: usize, i: usize) -> NodeIx {
        let (first, count) = self.range(kind);
        (first + i % count) as NodeIx
    }

    fn community_of(&self, person: usize) -> usize {
        self.community_start
            .partition_point(|&s| s <= person)
            .saturating_sub(1)
    }

    fn community_bounds(&self, c: usize) -> (usize, usize) {
        let start = self.community_start[c];
        let end = self
            .community_start
            .get(c + 1)
            .copied()
            .unwrap_or(self.count[0]);
        (start, end.max(start + 1))
    }
}

/// Skewed choice in `0..n`: low indices are drawn far more often (a heavy tail of hubs), scrambled by a
/// multiplicative bijection so hubs are spread over the index range.
fn skewed(rng: &mut SplitMix64, n: usize, power: i32) -> usize {
    let u = rng.unit().powi(power);
    let raw = ((n as f64) * u) as u64 % n as u64;
    ((raw * 2_654_435_761) % n as u64) as usize
}

fn generate(a: &Args) -> (GraphBuilder, Layout) {
    let mut rng = SplitMix64::new(a.seed);
    let mut b = GraphBuilder::with_capacity(a.nodes, a.edges);
    let owners: Vec<u16> = ["DE", "FR", "NL", "PL", "IT", "ES"]
        .iter()
        .map(|o| b.owner(o))
        .collect();
    let mut first = [0; 9];
    let mut count = [0; 9];
    let mut key = String::new();
    let mut next = 0;
    for (k, &(kind, share)) in MIX.iter().enumerate() {
        let c = if k == MIX.len() - 1 {
            a.nodes - next
        } else {
            a.nodes * share / 1000
        };
        first[k] = next;
        count[k] = c;
        for i in 0..c {
            key.clear();
            key.push_str(kind.as_str());
            key.push(':');
            key.push_str(&i.to_string());
            let n = b.entity(kind, &key);
            let owner = owners[rng.below(owners.len() as u64) as usize];
            b.set_owner(n, owner);
            if kind == EntityKind::Person {
                key.clear();
                key.push_str("Person ");
                key.push_str(&i.to_string());
                b.set_label(n, &key);
            }
        }
        next += c;
    }
    let persons = count[0];
    let mut community_start = Vec::new();
    let mut p = 0;
    while p < persons {
        community_start.push(p);
        // Sizes from 20 to about 500, most of them small.
        p += 20 + skewed(&mut rng, 480, 2);
    }
    let layout = Layout {
        first,
        count,
        community_start,
    };
    let communities = layout.community_start.len();
    let owner = |rng: &mut SplitMix64| owners[rng.below(owners.len() as u64) as usize];
    let flights: Vec<String> = (0..5000)
        .map(|f| {
            format!(
                "X{}{} 2026-{:02}-{:02}",
                (b'A' + (f % 26) as u8) as char,
                f,
                1 + f % 12,
                1 + f % 28
            )
        })
        .collect();
    let person_in = |rng: &mut SplitMix64, c: usize| {
        let (s, e) = layout.community_bounds(c);
        layout.node(0, s + rng.below((e - s) as u64) as usize)
    };

    // Every document, vehicle and alert has a holder, user or subject.
    for i in 0..count[1] {
        let holder = layout.node(0, skewed(&mut rng, persons, 1));
        b.edge(
            layout.node(1, i),
            holder,
            EdgeKind::HoldsDocument,
            None,
            None,
            owner(&mut rng),
        );
    }
    for i in 0..count[2] {
        let user = layout.node(0, rng.below(persons as u64) as usize);
        b.edge(
            user,
            layout.node(2, i),
            EdgeKind::UsesVehicle,
            None,
            None,
            owner(&mut rng),
        );
    }
    for i in 0..count[8] {
        let target = match rng.below(3) {
            0 => layout.node(1, rng.below(count[1] as u64) as usize),
            1 => layout.node(2, rng.below(count[2] as u64) as usize),
            _ => layout.node(0, rng.below(persons as u64) as usize),
        };
        b.edge(
            layout.node(8, i),
            target,
            EdgeKind::Subject,
            None,
            None,
            owner(&mut rng),
        );
    }
    while b.edge_count() < a.edges {
        // Active persons are few: most persons have a handful of links.
        let pa = skewed(&mut rng, persons, 3);
        let person = layout.node(0, pa);
        let c = layout.community_of(pa);
        let day = 20_000 + rng.below(800) as i32;
        let roll = rng.below(100);
        match roll {
            0..35 => {
                let other = if rng.below(100) < 85 {
                    person_in(&mut rng, c)
                } else {
                    layout.node(0, rng.below(persons as u64) as usize)
                };
                let label =
                    ["associate", "family", "employee", "co-accused"][rng.below(4) as usize];
                b.edge(
                    person,
                    other,
                    EdgeKind::Relation,
                    Some(label),
                    Some(day),
                    owner(&mut rng),
                );
            }
            35..65 => {
                let kind = 3 + rng.below(3) as usize;
                let n = count[kind].max(1);
                let id = if rng.below(100) < 70 {
                    // The community's own identifiers.
                    (c * 7 + rng.below(7) as usize) % n
                } else {
                    skewed(&mut rng, n, 6)
                };
                b.edge(
                    person,
                    layout.node(kind, id),
                    EdgeKind::SharesIdentifier,
                    None,
                    None,
                    owner(&mut rng),
                );
            }
            65..85 => {
                let other = if rng.below(100) < 70 {
                    person_in(&mut rng, c)
                } else {
                    layout.node(0, rng.below(persons as u64) as usize)
                };
                let flight = (c * 31 + rng.below(40) as usize) % flights.len();
                b.edge(
                    person,
                    other,
                    EdgeKind::TravelledWith,
                    Some(&flights[flight]),
                    Some(day),
                    owner(&mut rng),
                );
            }
            85..95 => {
                let case = skewed(&mut rng, count[6].max(1), 2);
                let member = person_in(&mut rng, case % communities);
                b.edge(
                    layout.node(6, case),
                    member,
                    EdgeKind::CaseMember,
                    None,
                    Some(day),
                    owner(&mut rng),
                );
            }
            95..98 => {
                let org = (c + rng.below(3) as usize) % count[7].max(1);
                b.edge(
                    person,
                    layout.node(7, org),
                    EdgeKind::Relation,
                    Some("member"),
                    None,
                    owner(&mut rng),
                );
            }
            _ => {
                let other = layout.node(0, (pa + 1 + rng.below(50) as usize) % persons);
                b.edge(
                    person,
                    other,
                    EdgeKind::SameIdentity,
                    None,
                    None,
                    owner(&mut rng),
                );
            }
        }
    }
    (b, layout)
}

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let i = ((sorted_ms.len() - 1) as f64 * p).round() as usize;
    sorted_ms[i.min(sorted_ms.len() - 1)]
}

fn seconds(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench_graph: {e}");
            std::process::exit(2);
        }
    };
    let t = Instant::now();
    let (builder, _layout) = generate(&a);
    let load_s = seconds(t);
    let t = Instant::now();
    let g = builder.build();
    let freeze_s = seconds(t);
    let build_s = load_s + freeze_s;
    let memory = g.memory_bytes();
    let n = g.node_count();
    let mut rng = SplitMix64::new(a.seed ^ 0x5EED);

    let t = Instant::now();
    // networkx stops when the L1 change is below n·tolerance; 1e-10 keeps that meaningful at a million nodes.
    let pr = pagerank_detailed(&g, 0.85, 1e-10, 200);
    let pagerank_s = seconds(t);

    let t = Instant::now();
    let comm = louvain(&g, a.seed);
    let louvain_s = seconds(t);

    let all = EdgeFilter::all();
    let mut sp_ms = Vec::with_capacity(200);
    let mut sp_found = 0;
    let mut sp_len = 0;
    for _ in 0..200 {
        let (x, y) = (rng.below(n as u64) as NodeIx, rng.below(n as u64) as NodeIx);
        let t = Instant::now();
        let p = shortest_path(&g, x, y, &all);
        sp_ms.push(seconds(t) * 1e3);
        if let Some(p) = p {
            sp_found += 1;
            sp_len += p.len() - 1;
        }
    }
    sp_ms.sort_by(f64::total_cmp);

    let mut nb_ms = Vec::with_capacity(200);
    let mut nb_nodes = 0;
    let mut nb_truncated = 0;
    for _ in 0..200 {
        let s = rng.below(n as u64) as NodeIx;
        let t = Instant::now();
        let nb = neighbourhood(&g, s, 2, &all, 10_000);
        nb_ms.push(seconds(t) * 1e3);
        nb_nodes += nb.nodes.len();
        nb_truncated += usize::from(nb.truncated);
    }
    nb_ms.sort_by(f64::total_cmp);
    let hub = g.nodes().max_by_key(|&v| g.degree(v)).unwrap_or(0);
    let t = Instant::now();
    let hub_nb = neighbourhood(&g, hub, 2, &all, 10_000);
    let hub_ms = seconds(t) * 1e3;

    let t = Instant::now();
    let _bc = betweenness(
        &g,
        Sampling::Pivots {
            count: 64,
            seed: a.seed,
        },
    );
    let betweenness_s = seconds(t);

    let t = Instant::now();
    let kp = key_players(&g, 1, &|v| g.kind(v) == EntityKind::Person);
    let key_player_s = seconds(t);

    let t = Instant::now();
    let cores = core_numbers(&g);
    let cores_s = seconds(t);
    let t = Instant::now();
    let cc = connected_components(&g);
    let components_s = seconds(t);
    let components = cc.iter().copied().max().map_or(0, |m| m + 1);
    let max_degree = g.nodes().map(|v| g.degree(v)).max().unwrap_or(0);
    let rss = peak_rss_bytes().unwrap_or(0);
    let (kp_node, kp_frag) = kp
        .first()
        .map_or((u32::MAX, 0.0), |k| (k.node, k.fragmentation_after));

    println!(
        "{{\"nodes\":{},\"edges\":{},\"seed\":{},\"build_s\":{build_s:.3},\"load_s\":{load_s:.3},\
         \"freeze_s\":{freeze_s:.3},\"memory_bytes\":{memory},\"peak_rss_bytes\":{rss},\
         \"pagerank_s\":{pagerank_s:.3},\"pagerank_iterations\":{},\"louvain_s\":{louvain_s:.3},\
         \"communities\":{},\"modularity\":{:.4},\"shortest_path_p50_ms\":{:.3},\
         \"shortest_path_p95_ms\":{:.3},\"shortest_path_max_ms\":{:.3},\"shortest_path_found\":{sp_found},\
         \"two_hop_p50_ms\":{:.3},\"two_hop_p95_ms\":{:.3},\"two_hop_max_ms\":{:.3},\"two_hop_truncated\":{nb_truncated},\
         \"two_hop_from_largest_hub_ms\":{hub_ms:.3},\"betweenness_64_pivots_s\":{betweenness_s:.3},\"key_player_step_s\":{key_player_s:.3},\
         \"core_numbers_s\":{cores_s:.3},\"components_s\":{components_s:.3},\"components\":{components},\
         \"max_degree\":{max_degree},\"max_core\":{}}}",
        n,
        g.edge_count(),
        a.seed,
        pr.iterations,
        comm.count,
        comm.modularity,
        percentile(&sp_ms, 0.5),
        percentile(&sp_ms, 0.95),
        percentile(&sp_ms, 1.0),
        percentile(&nb_ms, 0.5),
        percentile(&nb_ms, 0.95),
        percentile(&nb_ms, 1.0),
        cores.iter().max().copied().unwrap_or(0),
    );
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!();
    println!(
        "graph           {n} nodes, {} links, max degree {max_degree}, {components} components",
        g.edge_count()
    );
    println!("build           {build_s:8.2} s   (load {load_s:.2} s, freeze {freeze_s:.2} s)");
    println!(
        "memory          {:8.1} MiB graph, {:.1} MiB peak RSS",
        mb(memory as u64),
        mb(rss)
    );
    println!(
        "pagerank        {pagerank_s:8.2} s   ({} iterations, converged {})",
        pr.iterations, pr.converged
    );
    println!(
        "louvain         {louvain_s:8.2} s   ({} communities, modularity {:.4})",
        comm.count, comm.modularity
    );
    println!(
        "shortest path   {:8.3} ms p50, {:.3} ms p95, {:.3} ms max   ({sp_found}/200 found, mean length {:.2})",
        percentile(&sp_ms, 0.5),
        percentile(&sp_ms, 0.95),
        percentile(&sp_ms, 1.0),
        sp_len as f64 / sp_found.max(1) as f64
    );
    println!(
        "2-hop           {:8.3} ms p50, {:.3} ms p95, {:.3} ms max   (mean {:.0} nodes, {nb_truncated}/200 truncated at 10,000)",
        percentile(&nb_ms, 0.5),
        percentile(&nb_ms, 0.95),
        percentile(&nb_ms, 1.0),
        nb_nodes as f64 / 200.0
    );
    println!(
        "2-hop from hub  {hub_ms:8.3} ms   (degree {}, {} nodes, truncated {})",
        g.degree(hub),
        hub_nb.nodes.len(),
        hub_nb.truncated
    );
    println!("betweenness     {betweenness_s:8.2} s   (64 pivots)");
    println!(
        "key player step {key_player_s:8.2} s   (node {kp_node}, fragmentation after {kp_frag:.6})"
    );
    println!("core numbers    {cores_s:8.2} s");
    println!("components      {components_s:8.2} s");
}
