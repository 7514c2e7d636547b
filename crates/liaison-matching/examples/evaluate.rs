//! Evaluates the matching engine on the generated, labelled screening corpus (and, with `--febrl DIR`, on
//! FEBRL 4): builds the index from the watchlist, screens every query, and prints precision, recall, F1,
//! false-positive queries per 1,000, top-1 accuracy and the precision-recall curve, overall, per script and
//! per variation type, then the worst failures with the engine's own explanations.
//!
//! ```text
//! cargo run --release -p liaison-matching --example evaluate -- [--seed N] [--watchlist N] [--queries N]
//!     [--failures N] [--limit N] [--json] [--febrl DIR]
//! ```
//!
//! `--febrl DIR` reads `febrl4a.csv` and `febrl4b.csv` as written by `examples/febrl.py`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use liaison_core::{PartialDate, RecordType};
use liaison_matching::eval::corpus::{self, Corpus, CorpusConfig, LabelledQuery, Variation};
use liaison_matching::eval::metrics::{self, Counts, CurvePoint, Outcome};
use liaison_matching::{
    Band, Hit, IndexedPerson, MatchIndex, NameInput, POSSIBLE_THRESHOLD, Query, STRONG_THRESHOLD,
    ScreenOptions, ScreenResult, score_pair,
};
use serde_json::{Value, json};

#[derive(Debug)]
struct Args {
    config: CorpusConfig,
    failures: usize,
    json: bool,
    febrl: Option<PathBuf>,
    limit: usize,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        config: CorpusConfig::default(),
        failures: 12,
        json: false,
        febrl: None,
        limit: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--seed" => args.config.seed = value("--seed")?.parse().context("--seed")?,
            "--watchlist" => {
                args.config.watchlist = value("--watchlist")?.parse().context("--watchlist")?
            }
            "--queries" => {
                args.config.queries = value("--queries")?.parse().context("--queries")?
            }
            "--failures" => args.failures = value("--failures")?.parse().context("--failures")?,
            "--limit" => args.limit = value("--limit")?.parse().context("--limit")?,
            "--febrl" => args.febrl = Some(PathBuf::from(value("--febrl")?)),
            "--json" => args.json = true,
            "-h" | "--help" => {
                println!(
                    "usage: evaluate [--seed N] [--watchlist N] [--queries N] [--failures N] [--limit N] [--json] [--febrl DIR]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(args)
}

/// Machine facts for the report: no host names.
fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let ram_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map(|kb| (kb / 1024.0 / 1024.0 * 10.0).round() / 10.0)
        });
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "cpu": cpu,
        "ram_gib": ram_gib,
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
    })
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!((v * 10_000.0).round() / 10_000.0))
}

fn counts_json(c: &Counts) -> Value {
    json!({
        "queries": c.queries,
        "match_queries": c.match_queries,
        "non_match_queries": c.non_match_queries,
        "true_positives": c.true_positives,
        "false_positives": c.false_positives,
        "false_negatives": c.false_negatives,
        "precision": opt(c.precision()),
        "recall": opt(c.recall()),
        "f1": opt(c.f1()),
        "fp_queries_per_1000": opt(c.false_alarms_per_1000()),
        "top1_accuracy": opt(c.top1_accuracy()),
        "query_recall": opt(c.query_recall()),
        "alert_precision": opt(c.alert_precision()),
    })
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

fn fmt1(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

fn table_header(out: &mut String, first: &str) {
    let _ = writeln!(
        out,
        "  {first:<26} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7}",
        "match", "nonm", "prec", "recall", "F1", "top1", "FP/1000", "alertP"
    );
}

fn table_row(out: &mut String, name: &str, c: &Counts) {
    let _ = writeln!(
        out,
        "  {name:<26} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7}",
        c.match_queries,
        c.non_match_queries,
        fmt(c.precision()),
        fmt(c.recall()),
        fmt(c.f1()),
        fmt(c.top1_accuracy()),
        fmt1(c.false_alarms_per_1000()),
        fmt(c.alert_precision()),
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

struct Screened {
    results: Vec<ScreenResult>,
    build: Duration,
    screen_total: Duration,
    latencies: Vec<Duration>,
    batch_total: Option<Duration>,
}

fn build_and_screen(
    watchlist: &[IndexedPerson],
    queries: &[Query],
    options: &ScreenOptions,
) -> (MatchIndex, Screened) {
    let started = Instant::now();
    let mut index = MatchIndex::new();
    for person in watchlist {
        index.upsert(person.clone());
    }
    let build = started.elapsed();
    let mut results = Vec::with_capacity(queries.len());
    let mut latencies = Vec::with_capacity(queries.len());
    let started = Instant::now();
    for query in queries {
        let t = Instant::now();
        results.push(index.screen(query, options));
        latencies.push(t.elapsed());
    }
    let screen_total = started.elapsed();
    latencies.sort_unstable();
    let started = Instant::now();
    let batch = index.screen_batch(queries, options);
    let batch_total = (batch.len() == queries.len()).then(|| started.elapsed());
    (
        index,
        Screened {
            results,
            build,
            screen_total,
            latencies,
            batch_total,
        },
    )
}

fn speed_json(s: &Screened, queries: usize, indexed: usize) -> Value {
    let secs = s.screen_total.as_secs_f64().max(1e-9);
    json!({
        "indexed_records": indexed,
        "index_build_ms": s.build.as_secs_f64() * 1000.0,
        "queries": queries,
        "queries_per_second_single_thread": queries as f64 / secs,
        "latency_p50_us": percentile(&s.latencies, 0.5).as_secs_f64() * 1e6,
        "latency_p99_us": percentile(&s.latencies, 0.99).as_secs_f64() * 1e6,
        "latency_max_us": s.latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
        "batch_queries_per_second": s.batch_total.map(|d| queries as f64 / d.as_secs_f64().max(1e-9)),
    })
}

fn speed_text(out: &mut String, s: &Screened, queries: usize, indexed: usize) {
    let secs = s.screen_total.as_secs_f64().max(1e-9);
    let _ = writeln!(
        out,
        "speed: index of {indexed} records built in {:.0} ms; {queries} queries screened one by one in {:.2} s \
         ({:.0} queries/s on one thread, p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs)",
        s.build.as_secs_f64() * 1000.0,
        secs,
        queries as f64 / secs,
        percentile(&s.latencies, 0.5).as_secs_f64() * 1e6,
        percentile(&s.latencies, 0.99).as_secs_f64() * 1e6,
        s.latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
    );
    if let Some(batch) = s.batch_total {
        let _ = writeln!(
            out,
            "       screen_batch: {:.2} s ({:.0} queries/s)",
            batch.as_secs_f64(),
            queries as f64 / batch.as_secs_f64().max(1e-9)
        );
    }
}

fn curve_text(out: &mut String, curve: &[CurvePoint]) {
    let _ = writeln!(
        out,
        "  {:>9} {:>7} {:>7} {:>7} {:>9}",
        "threshold", "prec", "recall", "F1", "FP/1000"
    );
    for point in curve {
        let c = &point.counts;
        let _ = writeln!(
            out,
            "  {:>9.2} {:>7} {:>7} {:>7} {:>9}",
            point.threshold,
            fmt(c.precision()),
            fmt(c.recall()),
            fmt(c.f1()),
            fmt1(c.false_alarms_per_1000())
        );
    }
}

fn curve_json(curve: &[CurvePoint]) -> Value {
    Value::Array(
        curve
            .iter()
            .map(|p| {
                json!({
                    "threshold": (p.threshold * 1000.0).round() / 1000.0,
                    "precision": opt(p.counts.precision()),
                    "recall": opt(p.counts.recall()),
                    "f1": opt(p.counts.f1()),
                    "fp_queries_per_1000": opt(p.counts.false_alarms_per_1000()),
                })
            })
            .collect(),
    )
}

fn explain(hit: &Hit) -> String {
    hit.explanation
        .iter()
        .map(|c| format!("{} ({:+.2})", c.text, c.weight))
        .collect::<Vec<_>>()
        .join("; ")
}

fn record_names(person: &IndexedPerson) -> String {
    let names: Vec<&str> = person.names.iter().map(|n| n.full.as_str()).collect();
    let dob: Vec<String> = person.birth_dates.iter().map(|d| d.to_string()).collect();
    format!("{} [{}]", names.join(" / "), dob.join(","))
}

fn query_text(q: &Query) -> String {
    let mut parts = vec![q.names.join(" / ")];
    if let Some(d) = q.birth_date {
        parts.push(format!("dob {d}"));
    }
    if let Some(s) = q.sex {
        parts.push(format!("sex {}", s.as_str()));
    }
    if let Some(c) = &q.nationality {
        parts.push(format!("nat {c}"));
    }
    if let Some(d) = q.documents.first() {
        parts.push(format!("doc {d}"));
    }
    parts.join(", ")
}

struct Failure {
    index: usize,
    score: f64,
    /// Why, in one of a few words (see `miss_cause`, `false_hit_cause`).
    cause: &'static str,
    text: String,
}

fn is_name_feature(feature: &str) -> bool {
    matches!(
        feature,
        "given_name" | "family_name" | "patronymic" | "middle_name" | "name" | "name_missing"
    )
}

fn date_weight(hit: &Hit) -> Option<f64> {
    hit.explanation
        .iter()
        .filter(|c| c.feature == "birth_date")
        .map(|c| c.weight)
        .reduce(|a, b| a + b)
}

/// Why a true pair was not returned, from the engine's own explanation of the pair.
fn miss_cause(pair: &Hit) -> &'static str {
    let names: f64 = pair
        .explanation
        .iter()
        .filter(|c| is_name_feature(c.feature))
        .map(|c| c.weight)
        .sum();
    if pair.score >= POSSIBLE_THRESHOLD {
        "lost before scoring (candidates or limit)"
    } else if names <= 0.0 {
        "names not recognised as the same"
    } else if date_weight(pair).is_some_and(|w| w < 0.0) {
        "names agree, date of birth counted against"
    } else {
        "names agree too weakly"
    }
}

/// On what evidence a false hit stood.
fn false_hit_cause(hit: &Hit) -> &'static str {
    match date_weight(hit) {
        None => "names only (no date on one side)",
        Some(w) if w < 0.0 => "despite conflicting dates",
        Some(_) => "date agrees or is close",
    }
}

fn evaluate_corpus(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let corpus: Corpus = corpus::generate(&args.config);
    let generated_in = started.elapsed();
    let options = ScreenOptions {
        limit: args.limit,
        min_band: Band::Possible,
    };
    let queries: Vec<Query> = corpus.queries.iter().map(|q| q.query.clone()).collect();
    let (_index, screened) = build_and_screen(&corpus.watchlist, &queries, &options);
    let outcomes: Vec<Outcome> = corpus
        .queries
        .iter()
        .zip(&screened.results)
        .map(|(q, r)| Outcome::new(q.truth.clone(), r))
        .collect();
    let labels: &[LabelledQuery] = &corpus.queries;

    let overall = metrics::count(&outcomes, 0.0);
    let strong = metrics::count(&outcomes, STRONG_THRESHOLD);
    let by_kind = metrics::breakdown(&outcomes, |i| vec![labels[i].kind.as_str()], 0.0);
    let by_script = metrics::breakdown(&outcomes, |i| vec![labels[i].script.as_str()], 0.0);
    let by_cross = metrics::breakdown(
        &outcomes,
        |i| {
            vec![if labels[i].cross_script {
                "cross-script"
            } else {
                "same-script"
            }]
        },
        0.0,
    );
    let by_query_dob = metrics::breakdown(
        &outcomes,
        |i| {
            vec![match labels[i].query.birth_date {
                None => "no date of birth",
                Some(d) if d.day().is_none() => "partial date of birth",
                Some(_) => "full date of birth",
            }]
        },
        0.0,
    );
    let by_variation = metrics::breakdown(
        &outcomes,
        |i| labels[i].variations.iter().map(|v| v.as_str()).collect(),
        0.0,
    );
    let grid = metrics::threshold_grid(POSSIBLE_THRESHOLD, 0.98, 0.02);
    let curve = metrics::pr_curve(&outcomes, &grid);
    let best = metrics::best_f1(&curve);

    // Failures, explained by the engine itself.
    let by_id: HashMap<&str, &IndexedPerson> = corpus
        .watchlist
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let mut misses: Vec<Failure> = Vec::new();
    let mut false_hits: Vec<Failure> = Vec::new();
    let mut miss_labels: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut candidate_misses = 0;
    for (i, (label, result)) in labels.iter().zip(&screened.results).enumerate() {
        for truth in &label.truth {
            if result.hits.iter().any(|h| &h.id == truth) {
                continue;
            }
            let Some(record) = by_id.get(truth.as_str()) else {
                continue;
            };
            let pair = score_pair(&label.query, record);
            if pair.score >= POSSIBLE_THRESHOLD {
                candidate_misses += 1;
            }
            for v in &label.variations {
                *miss_labels.entry(v.as_str()).or_default() += 1;
            }
            misses.push(Failure {
                index: i,
                score: pair.score,
                cause: miss_cause(&pair),
                text: format!(
                    "query: {}\n      record {}: {}\n      variations: {}\n      pair score {:.3}{}: {}",
                    query_text(&label.query),
                    truth,
                    record_names(record),
                    label.variations.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    pair.score,
                    if pair.score >= POSSIBLE_THRESHOLD { " (above threshold: not among the candidates or cut by the limit)" } else { "" },
                    explain(&pair)
                ),
            });
        }
        for hit in &result.hits {
            if label.truth.contains(&hit.id) {
                continue;
            }
            let record = by_id
                .get(hit.id.as_str())
                .map(|r| record_names(r))
                .unwrap_or_default();
            let resembles = label
                .resembles
                .as_deref()
                .map(|id| {
                    let same = if id == hit.id {
                        " (the record it was built on)"
                    } else {
                        " (another record)"
                    };
                    format!("\n      built to resemble {id}{same}")
                })
                .unwrap_or_default();
            false_hits.push(Failure {
                index: i,
                score: hit.score,
                cause: false_hit_cause(hit),
                text: format!(
                    "query ({}): {}\n      hit {} {:.3} {}: {}{}\n      variations: {}\n      why: {}",
                    label.kind.as_str(),
                    query_text(&label.query),
                    hit.id,
                    hit.score,
                    hit.band.as_str(),
                    record,
                    resembles,
                    label.variations.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    explain(hit)
                ),
            });
        }
    }
    misses.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.index.cmp(&b.index)));
    false_hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    let mut fp_kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &false_hits {
        let label = &labels[f.index];
        let kind = label
            .variations
            .iter()
            .find(|v| {
                matches!(
                    v,
                    Variation::HardNamesake | Variation::HardSibling | Variation::HardOneEdit
                )
            })
            .map_or(label.kind.as_str(), |v| v.as_str());
        *fp_kinds.entry(kind).or_default() += 1;
    }
    let mut miss_causes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut miss_scripts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &misses {
        *miss_causes.entry(f.cause).or_default() += 1;
        *miss_scripts
            .entry(labels[f.index].script.as_str())
            .or_default() += 1;
    }
    let mut fp_causes: BTreeMap<String, usize> = BTreeMap::new();
    for f in &false_hits {
        let kind = labels[f.index].kind.as_str();
        *fp_causes.entry(format!("{kind}: {}", f.cause)).or_default() += 1;
    }

    let indexed = corpus.watchlist.len();
    if args.json {
        let report = json!({
            "command": std::env::args().collect::<Vec<_>>().join(" "),
            "corpus": {
                "seed": corpus.config.seed,
                "watchlist_persons": corpus.config.watchlist,
                "watchlist_records": indexed,
                "queries": corpus.queries.len(),
                "true_match_share": corpus.config.true_match_share,
                "hard_non_match_share": corpus.config.hard_non_match_share,
                "generated_ms": generated_in.as_secs_f64() * 1000.0,
            },
            "machine": machine(),
            "thresholds": {"possible": POSSIBLE_THRESHOLD, "strong": STRONG_THRESHOLD, "limit": args.limit},
            "speed": speed_json(&screened, queries.len(), indexed),
            "overall": counts_json(&overall),
            "strong_band_only": counts_json(&strong),
            "by_kind": by_kind.iter().map(|(k, c)| ((*k).to_owned(), counts_json(c))).collect::<serde_json::Map<_, _>>(),
            "by_script": by_script.iter().map(|(k, c)| ((*k).to_owned(), counts_json(c))).collect::<serde_json::Map<_, _>>(),
            "by_query_birth_date": by_query_dob.iter().map(|(k, c)| ((*k).to_owned(), counts_json(c))).collect::<serde_json::Map<_, _>>(),
            "by_cross_script": by_cross.iter().map(|(k, c)| ((*k).to_owned(), counts_json(c))).collect::<serde_json::Map<_, _>>(),
            "by_variation": by_variation.iter().map(|(k, c)| ((*k).to_owned(), counts_json(c))).collect::<serde_json::Map<_, _>>(),
            "pr_curve": curve_json(&curve),
            "best_f1_threshold": best.map(|p| p.threshold),
            "missed_true_pairs": misses.len(),
            "missed_with_pair_score_above_threshold": candidate_misses,
            "false_hits": false_hits.len(),
            "false_hits_by_query_kind": fp_kinds,
            "missed_by_variation": miss_labels,
            "missed_by_cause": miss_causes,
            "missed_by_script": miss_scripts,
            "false_hits_by_cause": fp_causes,
            "worst_misses": misses.iter().take(args.failures).map(|f| f.text.clone()).collect::<Vec<_>>(),
            "worst_false_hits": false_hits.iter().take(args.failures).map(|f| f.text.clone()).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "corpus: seed {}, {} watchlist persons ({} records), {} queries ({:.0}% true matches, {:.0}% hard non-matches), generated in {:.0} ms",
        corpus.config.seed,
        corpus.config.watchlist,
        indexed,
        corpus.queries.len(),
        corpus.config.true_match_share * 100.0,
        corpus.config.hard_non_match_share * 100.0,
        generated_in.as_secs_f64() * 1000.0
    );
    let _ = writeln!(out, "machine: {}", machine());
    speed_text(&mut out, &screened, queries.len(), indexed);
    let _ = writeln!(
        out,
        "\nhit = returned at band possible or above (score >= {POSSIBLE_THRESHOLD}), limit {}; precision and recall over (query, record) pairs;\n\
         FP/1000 = queries with no true record that raised any hit, per 1,000 such queries; alertP = share of alerting queries whose hits include the true record\n",
        args.limit
    );
    table_header(&mut out, "overall");
    table_row(&mut out, "all (possible or strong)", &overall);
    table_row(&mut out, "strong band only", &strong);
    let _ = writeln!(out, "\nby query kind");
    table_header(&mut out, "kind");
    for (k, c) in &by_kind {
        table_row(&mut out, k, c);
    }
    let _ = writeln!(out, "\nby script of the traveller's name");
    table_header(&mut out, "script");
    for (k, c) in &by_script {
        table_row(&mut out, k, c);
    }
    let _ = writeln!(
        out,
        "\ncross-script (the query's script is not one of the record's)"
    );
    table_header(&mut out, "subset");
    for (k, c) in &by_cross {
        table_row(&mut out, k, c);
    }
    let _ = writeln!(out, "\nby the date of birth the query carries");
    table_header(&mut out, "query");
    for (k, c) in &by_query_dob {
        table_row(&mut out, k, c);
    }
    let _ = writeln!(
        out,
        "\nby variation type (a query counts under each of its variations)"
    );
    table_header(&mut out, "variation");
    for (k, c) in &by_variation {
        table_row(&mut out, k, c);
    }
    let _ = writeln!(
        out,
        "\nprecision-recall curve (hits below the threshold dropped)"
    );
    curve_text(&mut out, &curve);
    if let Some(best) = best {
        let _ = writeln!(
            out,
            "  best F1 {} at threshold {:.2}",
            fmt(best.counts.f1()),
            best.threshold
        );
    }
    let _ = writeln!(
        out,
        "\nmissed true pairs: {} ({} of them score above the threshold in score_pair, so candidate generation or the limit lost them)",
        misses.len(),
        candidate_misses
    );
    let mut miss_sorted: Vec<(&&str, &usize)> = miss_labels.iter().collect();
    miss_sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let _ = writeln!(
        out,
        "  misses by variation (a miss counts under each of its variations; miss rate = misses / true-match queries with it):"
    );
    for (k, n) in miss_sorted.iter().take(15) {
        let total = by_variation.get(**k).map_or(0, |c| c.match_queries);
        let _ = writeln!(
            out,
            "    {k:<24} {n:>5} of {total:>5} ({:.1}%)",
            **n as f64 * 100.0 / total.max(1) as f64
        );
    }
    let _ = writeln!(
        out,
        "  misses by cause (from the engine's explanation of the true pair):"
    );
    for (k, n) in &miss_causes {
        let _ = writeln!(out, "    {k:<44} {n:>5}");
    }
    let _ = writeln!(out, "  misses by script: {miss_scripts:?}");
    let _ = writeln!(out, "false hits: {} ({:?})", false_hits.len(), fp_kinds);
    let _ = writeln!(out, "  false hits by query kind and evidence:");
    for (k, n) in &fp_causes {
        let _ = writeln!(out, "    {k:<60} {n:>5}");
    }
    // The worst cases of each cause, so that every kind of failure shows up.
    let per_cause = |failures: &[Failure], causes: Vec<&'static str>, out: &mut String| {
        let each = args.failures.div_ceil(causes.len().max(1));
        for cause in causes {
            let _ = writeln!(out, "  [{cause}]");
            for f in failures.iter().filter(|f| f.cause == cause).take(each) {
                let _ = writeln!(out, "  - {}", f.text);
            }
        }
    };
    let _ = writeln!(out, "\nworst misses by cause (lowest pair score first):");
    per_cause(&misses, miss_causes.keys().copied().collect(), &mut out);
    let _ = writeln!(out, "\nworst false hits by evidence (highest score first):");
    let mut hit_causes: Vec<&'static str> = false_hits.iter().map(|f| f.cause).collect();
    hit_causes.sort_unstable();
    hit_causes.dedup();
    per_cause(&false_hits, hit_causes, &mut out);
    print!("{out}");
    Ok(())
}

/// FEBRL 4: 5,000 originals (4A) and one corrupted duplicate of each (4B). Indexes 4A, screens 4B by name and
/// date of birth.
fn evaluate_febrl(args: &Args, dir: &Path) -> anyhow::Result<()> {
    let read = |file: &str| -> anyhow::Result<Vec<HashMap<String, String>>> {
        let path = dir.join(file);
        let mut reader =
            csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
        let headers = reader.headers()?.clone();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.with_context(|| format!("reading {}", path.display()))?;
            rows.push(
                headers
                    .iter()
                    .zip(record.iter())
                    .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
                    .collect(),
            );
        }
        Ok(rows)
    };
    let a = read("febrl4a.csv")?;
    let b = read("febrl4b.csv")?;
    let field =
        |row: &HashMap<String, String>, name: &str| row.get(name).cloned().unwrap_or_default();
    // "19151111" → 1915-11-11; FEBRL's corrupted dates may not exist (then none is given).
    let dob = |text: &str| -> Option<PartialDate> {
        let t: String = text.chars().filter(char::is_ascii_digit).collect();
        if t.len() != 8 {
            return None;
        }
        PartialDate::parse(&format!("{}-{}-{}", &t[0..4], &t[4..6], &t[6..8])).ok()
    };
    // rec-123-org / rec-123-dup-0 → 123
    let entity = |id: &str| id.split('-').nth(1).unwrap_or_default().to_owned();
    let watchlist: Vec<IndexedPerson> = a
        .iter()
        .map(|row| {
            let given = field(row, "given_name");
            let family = field(row, "surname");
            IndexedPerson {
                record_type: RecordType::Person,
                id: field(row, "rec_id"),
                names: vec![NameInput {
                    full: format!("{given} {family}").trim().to_owned(),
                    given: (!given.is_empty()).then_some(given),
                    family: (!family.is_empty()).then_some(family),
                    patronymic: None,
                    middle: None,
                }],
                birth_dates: dob(&field(row, "date_of_birth")).into_iter().collect(),
                sex: None,
                nationalities: Vec::new(),
                documents: Vec::new(),
            }
        })
        .collect();
    let by_entity: HashMap<String, String> = watchlist
        .iter()
        .map(|p| (entity(&p.id), p.id.clone()))
        .collect();
    let queries: Vec<Query> = b
        .iter()
        .map(|row| Query {
            names: vec![
                format!("{} {}", field(row, "given_name"), field(row, "surname"))
                    .trim()
                    .to_owned(),
            ],
            birth_date: dob(&field(row, "date_of_birth")),
            ..Query::default()
        })
        .collect();
    let truth: Vec<Vec<String>> = b
        .iter()
        .map(|row| {
            by_entity
                .get(&entity(&field(row, "rec_id")))
                .cloned()
                .into_iter()
                .collect()
        })
        .collect();
    let options = ScreenOptions {
        limit: args.limit,
        min_band: Band::Possible,
    };
    let (_index, screened) = build_and_screen(&watchlist, &queries, &options);
    let outcomes: Vec<Outcome> = truth
        .iter()
        .zip(&screened.results)
        .map(|(t, r)| Outcome::new(t.clone(), r))
        .collect();
    let overall = metrics::count(&outcomes, 0.0);
    let curve = metrics::pr_curve(
        &outcomes,
        &metrics::threshold_grid(POSSIBLE_THRESHOLD, 0.98, 0.02),
    );
    let best = metrics::best_f1(&curve);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "dataset": "FEBRL 4 (4A indexed, 4B screened; names and date of birth)",
                "machine": machine(),
                "speed": speed_json(&screened, queries.len(), watchlist.len()),
                "overall": counts_json(&overall),
                "pr_curve": curve_json(&curve),
                "best_f1_threshold": best.map(|p| p.threshold),
            }))?
        );
        return Ok(());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "FEBRL 4: {} records indexed (4A), {} queries (4B), names and date of birth only",
        watchlist.len(),
        queries.len()
    );
    let _ = writeln!(out, "machine: {}", machine());
    speed_text(&mut out, &screened, queries.len(), watchlist.len());
    table_header(&mut out, "FEBRL 4");
    table_row(&mut out, "all (possible or strong)", &overall);
    curve_text(&mut out, &curve);
    if let Some(best) = best {
        let _ = writeln!(
            out,
            "  best F1 {} at threshold {:.2}",
            fmt(best.counts.f1()),
            best.threshold
        );
    }
    let mut shown = 0;
    let _ = writeln!(out, "\nsome misses:");
    for ((t, q), r) in truth.iter().zip(&queries).zip(&screened.results) {
        if shown >= args.failures {
            break;
        }
        if let Some(id) = t.first()
            && !r.hits.iter().any(|h| &h.id == id)
            && let Some(record) = watchlist.iter().find(|p| &p.id == id)
        {
            let pair = score_pair(q, record);
            let _ = writeln!(
                out,
                "  - {} vs {}: {:.3}: {}",
                query_text(q),
                record_names(record),
                pair.score,
                explain(&pair)
            );
            shown += 1;
        }
    }
    print!("{out}");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    match &args.febrl {
        Some(dir) => evaluate_febrl(&args, dir),
        None => evaluate_corpus(&args),
    }
}
