//! Accuracy of screening against labelled queries: pair-level precision, recall and F1 (a pair is a query and
//! a watchlist record; a hit is any returned record at or above the threshold, by default the `Possible` band),
//! false-positive queries per 1,000 (queries whose traveller is on no list and that raised any hit), top-1
//! accuracy, the share of alerts that were real, and a precision-recall curve over score thresholds. Pure
//! functions over plain values, so the FEBRL run and the generated corpus share them.

use std::collections::BTreeMap;

use crate::ScreenResult;

/// One returned record with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredHit {
    pub id: String,
    pub score: f64,
}

/// A screened query: the records that are truly the traveller's, and what the engine returned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub truth: Vec<String>,
    pub hits: Vec<ScoredHit>,
}

impl Outcome {
    pub fn new(truth: Vec<String>, result: &ScreenResult) -> Self {
        Outcome {
            truth,
            hits: result
                .hits
                .iter()
                .map(|hit| ScoredHit {
                    id: hit.id.clone(),
                    score: hit.score,
                })
                .collect(),
        }
    }

    fn is_true(&self, id: &str) -> bool {
        self.truth.iter().any(|t| t == id)
    }
}

/// Tallies at one threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub queries: usize,
    /// Queries whose traveller has at least one watchlist record.
    pub match_queries: usize,
    pub non_match_queries: usize,
    /// True (query, record) pairs returned.
    pub true_positives: usize,
    /// Returned records that are not the traveller's.
    pub false_positives: usize,
    /// True pairs not returned.
    pub false_negatives: usize,
    /// Match queries with at least one true record returned.
    pub found_queries: usize,
    /// Match queries whose best-scored hit is a true record.
    pub top1_correct: usize,
    /// Non-match queries that raised any hit.
    pub false_alarm_queries: usize,
    /// Queries that raised any hit, and those among them with a true record in the hits.
    pub alert_queries: usize,
    pub true_alert_queries: usize,
}

fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

impl Counts {
    pub fn precision(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        })
    }

    /// Non-match queries that raised any hit, per 1,000 non-match queries.
    pub fn false_alarms_per_1000(&self) -> Option<f64> {
        ratio(self.false_alarm_queries, self.non_match_queries).map(|r| r * 1000.0)
    }

    pub fn top1_accuracy(&self) -> Option<f64> {
        ratio(self.top1_correct, self.match_queries)
    }

    /// Share of match queries where at least one true record was returned.
    pub fn query_recall(&self) -> Option<f64> {
        ratio(self.found_queries, self.match_queries)
    }

    /// Share of alerts (queries with any hit) that had the traveller's own record among the hits.
    pub fn alert_precision(&self) -> Option<f64> {
        ratio(self.true_alert_queries, self.alert_queries)
    }

    fn add(&mut self, outcome: &Outcome, threshold: f64) {
        self.queries += 1;
        let kept: Vec<&ScoredHit> = outcome
            .hits
            .iter()
            .filter(|h| h.score >= threshold)
            .collect();
        let true_found = outcome
            .truth
            .iter()
            .filter(|t| kept.iter().any(|h| &h.id == *t))
            .count();
        self.true_positives += true_found;
        self.false_negatives += outcome.truth.len() - true_found;
        self.false_positives += kept.iter().filter(|h| !outcome.is_true(&h.id)).count();
        if !kept.is_empty() {
            self.alert_queries += 1;
            if true_found > 0 {
                self.true_alert_queries += 1;
            }
        }
        if outcome.truth.is_empty() {
            self.non_match_queries += 1;
            if !kept.is_empty() {
                self.false_alarm_queries += 1;
            }
        } else {
            self.match_queries += 1;
            if true_found > 0 {
                self.found_queries += 1;
            }
            // Best score first; among equal scores the engine's order stands.
            let best = kept.iter().fold(None::<&ScoredHit>, |best, h| match best {
                Some(b) if b.score >= h.score => Some(b),
                _ => Some(h),
            });
            if best.is_some_and(|b| outcome.is_true(&b.id)) {
                self.top1_correct += 1;
            }
        }
    }
}

/// Tallies over all outcomes, keeping hits with a score of at least `threshold`.
pub fn count<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>, threshold: f64) -> Counts {
    let mut counts = Counts::default();
    for outcome in outcomes {
        counts.add(outcome, threshold);
    }
    counts
}

/// Tallies per group; a query counts in every group `groups` puts it in.
pub fn breakdown<K: Ord + Clone>(
    outcomes: &[Outcome],
    groups: impl Fn(usize) -> Vec<K>,
    threshold: f64,
) -> BTreeMap<K, Counts> {
    let mut out: BTreeMap<K, Counts> = BTreeMap::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        for key in groups(index) {
            out.entry(key).or_default().add(outcome, threshold);
        }
    }
    out
}

/// One point of the precision-recall curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f64,
    pub counts: Counts,
}

/// Precision and recall at each threshold (hits below it dropped).
pub fn pr_curve(outcomes: &[Outcome], thresholds: &[f64]) -> Vec<CurvePoint> {
    thresholds
        .iter()
        .map(|&threshold| CurvePoint {
            threshold,
            counts: count(outcomes, threshold),
        })
        .collect()
}

/// Thresholds from `low` to `high` inclusive in steps of `step`.
pub fn threshold_grid(low: f64, high: f64, step: f64) -> Vec<f64> {
    if step <= 0.0 || high < low {
        return vec![low];
    }
    let n = ((high - low) / step).round() as usize;
    (0..=n).map(|i| low + step * i as f64).collect()
}

/// The curve point with the best F1 (the first of equals).
pub fn best_f1(curve: &[CurvePoint]) -> Option<CurvePoint> {
    curve.iter().copied().fold(None, |best, point| {
        let f = point.counts.f1().unwrap_or(0.0);
        match best {
            Some(b) if b.counts.f1().unwrap_or(0.0) >= f => Some(b),
            _ => Some(point),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, score: f64) -> ScoredHit {
        ScoredHit {
            id: id.to_owned(),
            score,
        }
    }

    fn outcome(truth: &[&str], hits: &[(&str, f64)]) -> Outcome {
        Outcome {
            truth: truth.iter().map(|t| (*t).to_owned()).collect(),
            hits: hits.iter().map(|(id, s)| hit(id, *s)).collect(),
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn counts_pairs_queries_and_alarms() {
        let outcomes = [
            // found, plus a false hit ranked above it
            outcome(&["a"], &[("x", 0.9), ("a", 0.8)]),
            // found, best
            outcome(&["b"], &[("b", 0.95)]),
            // missed
            outcome(&["c"], &[]),
            // two true records, one found
            outcome(&["d1", "d2"], &[("d2", 0.7)]),
            // non-match, false alarm
            outcome(&[], &[("y", 0.6)]),
            // non-match, quiet
            outcome(&[], &[]),
        ];
        let c = count(&outcomes, 0.0);
        assert_eq!(c.queries, 6);
        assert_eq!((c.match_queries, c.non_match_queries), (4, 2));
        assert_eq!(
            (c.true_positives, c.false_positives, c.false_negatives),
            (3, 2, 2)
        );
        assert!(close(c.precision(), 3.0 / 5.0));
        assert!(close(c.recall(), 3.0 / 5.0));
        assert!(close(c.f1(), 0.6));
        assert_eq!(c.found_queries, 3);
        assert!(close(c.query_recall(), 0.75));
        assert_eq!(c.top1_correct, 2);
        assert!(close(c.top1_accuracy(), 0.5));
        assert!(close(c.false_alarms_per_1000(), 500.0));
        assert_eq!((c.alert_queries, c.true_alert_queries), (4, 3));
        assert!(close(c.alert_precision(), 0.75));
    }

    #[test]
    fn threshold_drops_low_hits() {
        let outcomes = [
            outcome(&["a"], &[("a", 0.5), ("x", 0.4)]),
            outcome(&[], &[("y", 0.45)]),
        ];
        let low = count(&outcomes, 0.3);
        assert_eq!((low.true_positives, low.false_positives), (1, 2));
        let high = count(&outcomes, 0.48);
        assert_eq!(
            (
                high.true_positives,
                high.false_positives,
                high.false_alarm_queries
            ),
            (1, 0, 0)
        );
        let none = count(&outcomes, 0.9);
        assert_eq!(none.precision(), None);
        assert!(close(none.recall(), 0.0));
        assert_eq!(none.f1(), None);
    }

    #[test]
    fn empty_input_has_no_ratios() {
        let c = count(&[], 0.5);
        assert_eq!(c, Counts::default());
        assert_eq!(c.precision(), None);
        assert_eq!(c.recall(), None);
        assert_eq!(c.false_alarms_per_1000(), None);
    }

    #[test]
    fn breakdown_counts_a_query_in_each_group() {
        let outcomes = [outcome(&["a"], &[("a", 0.9)]), outcome(&["b"], &[])];
        let groups = breakdown(
            &outcomes,
            |i| {
                if i == 0 {
                    vec!["cyrillic", "cross"]
                } else {
                    vec!["latin"]
                }
            },
            0.5,
        );
        assert_eq!(groups.len(), 3);
        assert!(close(groups["cyrillic"].recall(), 1.0));
        assert!(close(groups["cross"].recall(), 1.0));
        assert!(close(groups["latin"].recall(), 0.0));
    }

    #[test]
    fn curve_is_monotone_in_recall_and_picks_best_f1() {
        let outcomes = [
            outcome(&["a"], &[("a", 0.9)]),
            outcome(&["b"], &[("b", 0.6)]),
            outcome(&[], &[("z", 0.7)]),
        ];
        let curve = pr_curve(&outcomes, &threshold_grid(0.5, 1.0, 0.1));
        assert_eq!(curve.len(), 6);
        assert!(
            curve
                .windows(2)
                .all(|w| w[0].counts.recall() >= w[1].counts.recall())
        );
        let best = best_f1(&curve).map(|p| p.threshold).unwrap_or_default();
        // 0.5: P 2/3 R 1 (F1 0.8); 0.8: P 1 R 1/2 (F1 0.67)
        assert!((best - 0.5).abs() < 1e-9, "{best}");
        assert_eq!(threshold_grid(0.5, 0.5, 0.1), vec![0.5]);
    }
}
