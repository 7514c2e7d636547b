//! Fits the scorer's weights by logistic regression on labelled pairs from training corpora, so that
//! they come from data rather than from reasoning alone. The corpora are generated from seeds that the
//! evaluation does not use (`evaluate` reports seed 9303 and others): fitted on some seeds, judged on
//! the rest.
//!
//! Every candidate the index generates for a query and scores at least `--floor` with the current weights
//! is a labelled pair (the traveller's own record or not) with the features its score is made of
//! (`liaison_matching::features`). The fit maximises the likelihood with a Gaussian prior centred on the
//! current weights (`--lambda`, the prior's precision), so evidence the corpora rarely show keeps its
//! reasoned weight. A listed person missed at the border costs more than a traveller looked at twice:
//! the traveller's own records count `--miss-cost` times (3 by default), which moves the `possible` band
//! (score 0.5) to where a hit is one chance in four of being the listed person. It prints the weights to
//! put in `src/weights.rs`; it changes no file.
//!
//! ```text
//! cargo run --release -p liaison-matching --example fit_weights -- [--seeds 101,102] [--floor 0.01]
//!     [--lambda 1.0] [--miss-cost 3] [--fix NAME[=VALUE],NAME]
//! ```

#![allow(clippy::print_stdout)]
// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

use anyhow::{Context, bail};
use liaison_matching::MatchIndex;
use liaison_matching::eval::corpus::{self, CorpusConfig};
use liaison_matching::features::{Feature, FeatureVector};

struct Args {
    seeds: Vec<u64>,
    floor: f64,
    lambda: f64,
    miss_cost: f64,
    fixed: Vec<String>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        seeds: vec![101, 102],
        floor: 0.01,
        lambda: 1.0,
        miss_cost: 3.0,
        fixed: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--seeds" => {
                args.seeds = value("--seeds")?
                    .split(',')
                    .map(|s| s.trim().parse::<u64>().context("--seeds"))
                    .collect::<anyhow::Result<_>>()?;
            }
            "--floor" => args.floor = value("--floor")?.parse().context("--floor")?,
            "--lambda" => args.lambda = value("--lambda")?.parse().context("--lambda")?,
            "--miss-cost" => {
                args.miss_cost = value("--miss-cost")?.parse().context("--miss-cost")?
            }
            "--fix" => {
                args.fixed = value("--fix")?
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .collect()
            }
            "-h" | "--help" => {
                println!(
                    "usage: fit_weights [--seeds 101,102] [--floor 0.01] [--lambda 1.0] [--miss-cost 3] [--fix NAME[=VALUE],NAME]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(args)
}

struct Pair {
    features: FeatureVector,
    label: bool,
    /// How much the pair counts in the fit: a missed listed person costs `--miss-cost` false alarms.
    weight: f64,
}

fn collect_pairs(seed: u64, floor: f64, miss_cost: f64) -> Vec<Pair> {
    let config = CorpusConfig {
        seed,
        ..CorpusConfig::default()
    };
    let corpus = corpus::generate(&config);
    let mut index = MatchIndex::new();
    for person in &corpus.watchlist {
        index.upsert(person.clone());
    }
    let mut pairs = Vec::new();
    for labelled in &corpus.queries {
        for (_, id, _, features) in index.candidate_features(&labelled.query, floor) {
            let label = labelled.truth.contains(&id);
            pairs.push(Pair {
                features,
                label,
                weight: if label { miss_cost } else { 1.0 },
            });
        }
    }
    pairs
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `a x = b` for a symmetric positive definite `a` (Cholesky); `None` if it is not.
fn solve(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - sum;
                if d <= 0.0 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - sum) / l[j][j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let sum: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
        y[i] = (b[i] - sum) / l[i][i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let sum: f64 = (i + 1..n).map(|k| l[k][i] * x[k]).sum();
        x[i] = (y[i] - sum) / l[i][i];
    }
    Some(x)
}

/// Penalised negative log-likelihood.
fn loss(pairs: &[Pair], theta: &[f64], prior: &[f64], lambda: &[f64]) -> f64 {
    let mut total = 0.0;
    for pair in pairs {
        let z = dot(&pair.features.0, theta);
        // log(1 + e^z) - y z, computed stably.
        let softplus = if z > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        };
        total += pair.weight * (softplus - if pair.label { z } else { 0.0 });
    }
    total
        + theta
            .iter()
            .zip(prior)
            .zip(lambda)
            .map(|((t, p), l)| 0.5 * l * (t - p) * (t - p))
            .sum::<f64>()
}

fn fit(pairs: &[Pair], prior: &[f64], lambda: &[f64]) -> Vec<f64> {
    let d = prior.len();
    let mut theta = prior.to_vec();
    let mut current = loss(pairs, &theta, prior, lambda);
    for _ in 0..50 {
        let mut gradient: Vec<f64> = (0..d).map(|k| lambda[k] * (theta[k] - prior[k])).collect();
        let mut hessian = vec![vec![0.0; d]; d];
        for (k, row) in hessian.iter_mut().enumerate() {
            row[k] = lambda[k];
        }
        for pair in pairs {
            let x = &pair.features.0;
            let p = sigmoid(dot(x, &theta));
            let residual = pair.weight * (p - if pair.label { 1.0 } else { 0.0 });
            let curvature = pair.weight * p * (1.0 - p);
            for i in 0..d {
                if x[i] == 0.0 {
                    continue;
                }
                gradient[i] += residual * x[i];
                for j in 0..=i {
                    hessian[i][j] += curvature * x[i] * x[j];
                }
            }
        }
        for i in 0..d {
            for j in 0..i {
                hessian[j][i] = hessian[i][j];
            }
        }
        let Some(step) = solve(&hessian, &gradient) else {
            println!("warning: the Hessian is not positive definite; stopping");
            break;
        };
        // Newton step, halved until the loss decreases.
        let mut scale = 1.0;
        let mut improved = false;
        for _ in 0..30 {
            let candidate: Vec<f64> = theta
                .iter()
                .zip(&step)
                .map(|(t, s)| t - scale * s)
                .collect();
            let value = loss(pairs, &candidate, prior, lambda);
            if value < current {
                theta = candidate;
                improved = current - value > 1e-9;
                current = value;
                break;
            }
            scale *= 0.5;
        }
        if !improved {
            break;
        }
    }
    theta
}

/// Pair-level precision and recall at a threshold (among the pairs collected, so recall ignores pairs
/// that candidate generation never offered).
fn precision_recall(pairs: &[Pair], theta: &[f64], threshold: f64) -> (f64, f64) {
    let (mut tp, mut fp, mut positives) = (0usize, 0usize, 0usize);
    for pair in pairs {
        let hit = sigmoid(dot(&pair.features.0, theta)) >= threshold;
        if pair.label {
            positives += 1;
            if hit {
                tp += 1;
            }
        } else if hit {
            fp += 1;
        }
    }
    (
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / positives.max(1) as f64,
    )
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let mut pairs = Vec::new();
    for &seed in &args.seeds {
        let collected = collect_pairs(seed, args.floor, args.miss_cost);
        println!(
            "seed {seed}: {} pairs scoring at least {} ({} the traveller's own)",
            collected.len(),
            args.floor,
            collected.iter().filter(|p| p.label).count()
        );
        pairs.extend(collected);
    }
    let mut prior: Vec<f64> = Feature::ALL.iter().map(|f| f.weight()).collect();
    // --fix NAME or NAME=VALUE: keep a weight (at VALUE) whatever the data say.
    let mut fixed_names = Vec::new();
    for spec in &args.fixed {
        let (name, value) = match spec.split_once('=') {
            Some((name, value)) => (name, Some(value.parse::<f64>().context("--fix value")?)),
            None => (spec.as_str(), None),
        };
        let Some(k) = Feature::ALL.iter().position(|f| f.constant() == name) else {
            bail!("--fix: no weight named {name}");
        };
        if let Some(value) = value {
            prior[k] = value;
        }
        fixed_names.push(name.to_owned());
    }
    // A fixed weight gets a prior so tight that the data cannot move it.
    let lambda: Vec<f64> = Feature::ALL
        .iter()
        .map(|f| {
            if fixed_names.iter().any(|name| name == f.constant()) {
                1e12
            } else {
                args.lambda
            }
        })
        .collect();
    let theta = fit(&pairs, &prior, &lambda);
    println!("// paste:");
    for (k, feature) in Feature::ALL.iter().enumerate() {
        println!("PASTE {} {:.3}", feature.constant(), theta[k]);
    }
    let (p0, r0) = precision_recall(&pairs, &prior, 0.5);
    let (p1, r1) = precision_recall(&pairs, &theta, 0.5);
    println!(
        "pairs: {}; at 0.5 before: precision {p0:.4} recall {r0:.4}; after: precision {p1:.4} recall {r1:.4}",
        pairs.len()
    );
    println!(
        "penalised log-loss before {:.1}, after {:.1}",
        loss(&pairs, &prior, &prior, &lambda),
        loss(&pairs, &theta, &prior, &lambda)
    );
    println!(
        "{:<34} {:>8} {:>8} {:>9}",
        "weight", "current", "fitted", "pairs"
    );
    for (k, feature) in Feature::ALL.iter().enumerate() {
        let used = pairs.iter().filter(|p| p.features.0[k] != 0.0).count();
        println!(
            "{:<34} {:>8.3} {:>8.3} {:>9}",
            feature.constant(),
            prior[k],
            theta[k],
            used
        );
    }
    Ok(())
}
