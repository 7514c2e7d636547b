//! Risk criteria: a small, transparent rule language in which a passenger-information unit's supervisors
//! write what to look for in API/PNR facts, with every hit explained and every rule set versioned.
//!
//! ```text
//! ruleset "PIU XAA border criteria" version 3
//! review_threshold 40
//!
//! rule R-001 "Cash one-way ticket bought less than 48 hours before departure"
//!   when payment contains "CA" and one_way and booking_lead_hours < 48
//!   score 40
//! ```
//!
//! [`RuleSet::parse`] reads and type-checks a rule set once; it refuses any rule that refers to a protected
//! attribute (EU PNR Directive 2016/681 Art. 6(4), and sex) or to a code that reveals one. The parsed set
//! is the compiled form: [`RuleSet::evaluate`] walks it without allocating unless a rule fires. A
//! comparison on a missing fact is neither true nor false, and a rule fires only when its condition is
//! true, so absent data never produces a hit. The syntax, every field, and what is refused are documented
//! in `docs/risk-rules.md`.

mod error;
mod expr;
mod facts;
mod fields;
mod lexer;
mod parser;
mod protected;
#[cfg(test)]
mod tests;

use std::fmt;

pub use error::{RuleError, RuleErrorKind};
pub use facts::{TravelFacts, TravellerRole};
pub use fields::{FieldInfo, FieldKind, fields};
pub use protected::ProtectedCategory;

use expr::{Expr, Truth};

/// Largest rule set text accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;
/// Most rules in one set.
pub const MAX_RULES: usize = 1000;
/// Deepest nesting of parentheses and `not`.
pub const MAX_DEPTH: usize = 32;
/// Most comparisons in one rule.
pub const MAX_CONDITIONS_PER_RULE: usize = 64;
/// Most values in one `[...]` list.
pub const MAX_LIST_ITEMS: usize = 256;
/// Longest string (name, title, value), in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest field name or rule id, in characters.
pub const MAX_IDENT_CHARS: usize = 64;
/// Highest score of one rule.
pub const MAX_SCORE: i64 = 1000;
/// Highest review or priority threshold.
pub const MAX_THRESHOLD: i64 = 1_000_000;

/// A parsed, type-checked, versioned set of risk criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    name: String,
    version: u32,
    review_threshold: u32,
    priority_threshold: Option<u32>,
    rules: Vec<Rule>,
}

/// One criterion of a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    id: String,
    title: String,
    score: u32,
    condition: Expr,
}

/// A rule that fired for a traveller, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHit {
    pub rule_id: String,
    pub title: String,
    pub score: u32,
    /// The conditions that held, with the facts they read, in the order the rule writes them.
    pub explanation: Vec<Reason>,
}

/// One condition that held, and the facts it held on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The condition in canonical form: `booking_lead_hours < 48`.
    pub condition: String,
    /// The facts it read: `booking_lead_hours: 20`.
    pub observed: String,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.condition, self.observed)
    }
}

/// A rule that neither fired nor failed because facts it needs are missing: it might fire if they were
/// known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undetermined {
    pub rule_id: String,
    pub title: String,
    /// The fields the rule reads that the traveller's facts lack.
    pub missing: Vec<&'static str>,
}

/// What the rule set suggests for one traveller. Only a suggestion: Art. 6(5) of the PNR Directive requires
/// every automated match to be reviewed individually by a person before anything is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Total score below the review threshold.
    NoReview,
    /// Total score at or above the review threshold.
    Review,
    /// Total score at or above the priority threshold.
    PriorityReview,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NoReview => "no_review",
            Outcome::Review => "review",
            Outcome::PriorityReview => "priority_review",
        }
    }
}

/// Everything the rule set says about one traveller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub hits: Vec<RuleHit>,
    /// Rules that could not be decided for lack of facts.
    pub undetermined: Vec<Undetermined>,
    /// Sum of the scores of the hits.
    pub total_score: u32,
    pub outcome: Outcome,
}

impl RuleSet {
    /// Reads a rule set, refusing the first problem with its line, column, rule and reason.
    pub fn parse(text: &str) -> Result<RuleSet, RuleError> {
        parser::parse(text)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    /// The total score from which a traveller is suggested for review (1 when the text does not say).
    pub fn review_threshold(&self) -> u32 {
        self.review_threshold
    }

    /// The total score from which a review is suggested as a priority, when the text sets one.
    pub fn priority_threshold(&self) -> Option<u32> {
        self.priority_threshold
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules that fire for these facts, in rule set order, each with its explanation.
    pub fn evaluate(&self, facts: &TravelFacts) -> Vec<RuleHit> {
        self.rules
            .iter()
            .filter(|rule| rule.condition.truth(facts) == Truth::True)
            .map(|rule| rule.hit(facts))
            .collect()
    }

    /// Hits, undecided rules, total score and suggested outcome for these facts.
    pub fn assess(&self, facts: &TravelFacts) -> Assessment {
        let mut hits = Vec::new();
        let mut undetermined = Vec::new();
        for rule in &self.rules {
            match rule.condition.truth(facts) {
                Truth::True => hits.push(rule.hit(facts)),
                Truth::Unknown => {
                    let mut read = Vec::new();
                    rule.condition.fields(&mut read);
                    let missing = read
                        .into_iter()
                        .filter(|f| matches!(f.value(facts), fields::Value::Missing))
                        .map(fields::Field::name)
                        .collect();
                    undetermined.push(Undetermined {
                        rule_id: rule.id.clone(),
                        title: rule.title.clone(),
                        missing,
                    });
                }
                Truth::False => {}
            }
        }
        let total_score = hits
            .iter()
            .fold(0u32, |sum, hit| sum.saturating_add(hit.score));
        Assessment {
            hits,
            undetermined,
            total_score,
            outcome: self.outcome_for(total_score),
        }
    }

    /// The outcome a total score suggests under this rule set's thresholds.
    pub fn outcome_for(&self, total_score: u32) -> Outcome {
        match self.priority_threshold {
            Some(priority) if total_score >= priority => Outcome::PriorityReview,
            _ if total_score >= self.review_threshold => Outcome::Review,
            _ => Outcome::NoReview,
        }
    }

    /// The canonical text: the same rule set always gives the same text whatever its layout, comments or
    /// redundant parentheses were, and parsing it gives the same rule set back.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "ruleset {} version {}\nreview_threshold {}\n",
            lexer::quote(&self.name),
            self.version,
            self.review_threshold
        );
        if let Some(priority) = self.priority_threshold {
            out.push_str(&format!("priority_threshold {priority}\n"));
        }
        for rule in &self.rules {
            out.push_str(&format!(
                "\nrule {} {}\n  when {}\n  score {}\n",
                rule.id,
                lexer::quote(&rule.title),
                rule.condition.to_text(),
                rule.score
            ));
        }
        out
    }

    /// A stable identifier of the canonical text (`fnv1a64:` and 16 hex digits), so a server can tell
    /// versions apart and notice a changed set that kept its version number. Not a cryptographic digest:
    /// where tampering matters, hash [`RuleSet::to_text`] with `liaison-crypto`.
    pub fn fingerprint(&self) -> String {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let hash = self
            .to_text()
            .bytes()
            .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
        format!("fnv1a64:{hash:016x}")
    }
}

impl std::str::FromStr for RuleSet {
    type Err = RuleError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RuleSet::parse(text)
    }
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn score(&self) -> u32 {
        self.score
    }

    /// The condition in canonical form.
    pub fn condition_text(&self) -> String {
        self.condition.to_text()
    }

    fn hit(&self, facts: &TravelFacts) -> RuleHit {
        let mut explanation = Vec::new();
        self.condition.explain(facts, &mut explanation);
        RuleHit {
            rule_id: self.id.clone(),
            title: self.title.clone(),
            score: self.score,
            explanation,
        }
    }
}
