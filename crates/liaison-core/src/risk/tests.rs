//! Tests of the rule language as a whole: parse errors with positions, protected attributes, evaluation,
//! canonical text and fingerprints, limits, and property tests (round trip, never panics).

use chrono::NaiveDateTime;
use proptest::prelude::*;

use super::expr::{Expr, Op, Operand, Test};
use super::fields::Field;
use super::lexer::CmpOp;
use super::*;

const EXAMPLE: &str = r#"
# Criteria of the passenger-information unit of XAA.
ruleset "PIU XAA border criteria" version 3
review_threshold 40
priority_threshold 80

rule R-001 "Cash one-way ticket bought less than 48 hours before departure"
  when payment contains "CA" and one_way and booking_lead_hours < 48
  score 40

rule R-002 "Route through a hub known for document fraud, documents from another country"
  when via in ["IST", "DXB"] and document_issuing_country != nationality
  score 25

rule R-003 "Crew member on a document about to expire"
  when role == "crew" and (document_expiry_days < 30 or not (document_kind in ["P", "I"]))
  score 10
"#;

fn example() -> RuleSet {
    RuleSet::parse(EXAMPLE).unwrap()
}

fn one_rule(condition: &str) -> String {
    format!("ruleset \"t\" version 1\nrule R-1 \"t\"\n  when {condition}\n  score 10\n")
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// A traveller on whom R-001 and R-002 fire.
fn suspicious() -> TravelFacts {
    let mut facts = TravelFacts {
        route: vec!["LHR".into(), "IST".into(), "BKK".into()],
        departure: Some(at("2025-03-14 10:30")),
        booked_at: Some(at("2025-03-13 14:00")),
        payment_forms: vec!["CA".into()],
        one_way: Some(true),
        nationality: Some("GBR".into()),
        document_issuing_countries: vec!["FRA".into()],
        document_kinds: vec!["P".into()],
        role: Some(TravellerRole::Passenger),
        ..TravelFacts::default()
    };
    facts.derive(None, &[]);
    facts
}

#[test]
fn example_parses_with_header_and_rules() {
    let set = example();
    assert_eq!(set.name(), "PIU XAA border criteria");
    assert_eq!(set.version(), 3);
    assert_eq!(set.review_threshold(), 40);
    assert_eq!(set.priority_threshold(), Some(80));
    let ids: Vec<&str> = set.rules().iter().map(Rule::id).collect();
    assert_eq!(ids, ["R-001", "R-002", "R-003"]);
    assert_eq!(set.rules()[2].score(), 10);
    assert_eq!(
        set.rules()[2].condition_text(),
        "role == \"crew\" and (document_expiry_days < 30 or not (document_kind in [\"P\", \"I\"]))"
    );
}

#[test]
fn hits_explain_the_conditions_with_the_facts() {
    let set = example();
    let assessment = set.assess(&suspicious());
    let explained: Vec<(String, Vec<String>)> = assessment
        .hits
        .iter()
        .map(|h| {
            (
                h.rule_id.clone(),
                h.explanation.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(
        explained,
        vec![
            (
                "R-001".to_owned(),
                vec![
                    "payment contains \"CA\" (payment: CA)".to_owned(),
                    "one_way (one_way: true)".to_owned(),
                    "booking_lead_hours < 48 (booking_lead_hours: 20)".to_owned(),
                ]
            ),
            (
                "R-002".to_owned(),
                vec![
                    "via in [\"IST\", \"DXB\"] (via: IST)".to_owned(),
                    "document_issuing_country != nationality (document_issuing_country: FRA, nationality: GBR)"
                        .to_owned(),
                ]
            ),
        ]
    );
    assert_eq!(assessment.total_score, 65);
    assert_eq!(assessment.outcome, Outcome::Review);
    // R-003 is false (a passenger, not crew), not undetermined.
    assert!(assessment.undetermined.is_empty());
    assert_eq!(set.evaluate(&suspicious()), assessment.hits);
}

#[test]
fn outcomes_follow_thresholds() {
    let set = example();
    assert_eq!(set.outcome_for(0), Outcome::NoReview);
    assert_eq!(set.outcome_for(39), Outcome::NoReview);
    assert_eq!(set.outcome_for(40), Outcome::Review);
    assert_eq!(set.outcome_for(80), Outcome::PriorityReview);
    let default = RuleSet::parse("ruleset \"d\" version 1").unwrap();
    assert_eq!(default.review_threshold(), 1);
    assert_eq!(default.outcome_for(1), Outcome::Review);
    assert_eq!(default.outcome_for(u32::MAX), Outcome::Review);
    assert_eq!(Outcome::PriorityReview.as_str(), "priority_review");
}

#[test]
fn missing_facts_never_fire_and_are_reported() {
    let set = example();
    let mut facts = suspicious();
    facts.payment_forms.clear();
    facts.role = None;
    let assessment = set.assess(&facts);
    let hits: Vec<&str> = assessment.hits.iter().map(|h| h.rule_id.as_str()).collect();
    assert_eq!(hits, ["R-002"]);
    let undetermined: Vec<(&str, Vec<&str>)> = assessment
        .undetermined
        .iter()
        .map(|u| (u.rule_id.as_str(), u.missing.clone()))
        .collect();
    assert_eq!(
        undetermined,
        vec![
            ("R-001", vec!["payment"]),
            ("R-003", vec!["role", "document_expiry_days"]),
        ]
    );
    // Nothing known: nothing fires, even through `not` and `!=`.
    let empty = TravelFacts::default();
    for condition in [
        "not one_way",
        "nationality != \"FRA\"",
        "via not in [\"IST\"]",
        "not (age < 18)",
        "not (payment contains \"CA\" and one_way)",
        "not (bags > 1 or companions > 1)",
    ] {
        let set = RuleSet::parse(&one_rule(condition)).unwrap();
        assert!(set.evaluate(&empty).is_empty(), "{condition}");
        assert_eq!(set.assess(&empty).undetermined.len(), 1, "{condition}");
    }
}

/// (condition, whether it fires on `suspicious()`): every operator on every kind of field.
const EVALUATION: &[(&str, bool)] = &[
    ("origin == \"LHR\"", true),
    ("payment == \"ca\"", true),
    ("origin != \"LHR\"", false),
    ("destination in [\"BKK\", \"HKT\"]", true),
    ("destination not in [\"BKK\", \"HKT\"]", false),
    ("via == \"IST\"", true),
    ("via contains \"IST\"", true),
    ("via contains \"DXB\"", false),
    ("via not in [\"DXB\"]", true),
    ("route contains \"LHR\" and route contains \"BKK\"", true),
    ("route starts_with \"BK\"", true),
    ("origin starts_with \"LH\"", true),
    ("origin contains \"H\"", true),
    ("departure_hour == 10", true),
    ("departure_hour in [22, 23, 0, 1]", false),
    ("booking_lead_hours <= 20", true),
    ("booking_lead_hours < 20", false),
    ("booking_lead_hours > 19 and booking_lead_hours >= 20", true),
    ("booking_lead_hours != 20", false),
    ("payment == \"CA\"", true),
    ("payment in [\"CA\", \"MS\"]", true),
    ("payment not in [\"CC\"]", true),
    ("one_way", true),
    ("one_way == false", false),
    ("one_way != false", true),
    ("not one_way", false),
    ("nationality == \"GBR\"", true),
    ("nationality in document_issuing_country", false),
    ("document_issuing_country == nationality", false),
    ("document_issuing_country contains nationality", false),
    ("nationality != document_issuing_country", true),
    ("origin == destination", false),
    ("role == \"passenger\"", true),
    ("role in [\"crew\", \"in_transit\"]", false),
    ("not (role == \"crew\") and not not one_way", true),
    ("one_way and (payment == \"CC\" or payment == \"CA\")", true),
    (
        "payment == \"CC\" or payment == \"MS\" or booking_lead_hours > 100",
        false,
    ),
];

#[test]
fn evaluation_table() {
    let facts = suspicious();
    for (condition, fires) in EVALUATION {
        let text = one_rule(condition);
        let set = RuleSet::parse(&text).unwrap_or_else(|e| panic!("{condition}: {e}"));
        assert_eq!(!set.evaluate(&facts).is_empty(), *fires, "{condition}");
    }
}

#[test]
fn direct_flight_has_known_empty_via() {
    let mut facts = TravelFacts {
        route: vec!["CDG".into(), "JFK".into()],
        ..TravelFacts::default()
    };
    facts.derive(None, &[]);
    let fires = |condition: &str| {
        !RuleSet::parse(&one_rule(condition))
            .unwrap()
            .evaluate(&facts)
            .is_empty()
    };
    assert!(fires("via not in [\"IST\"]"));
    assert!(!fires("via in [\"IST\"]"));
    let hit = RuleSet::parse(&one_rule("via not in [\"IST\"]"))
        .unwrap()
        .evaluate(&facts);
    assert_eq!(
        hit[0].explanation[0].to_string(),
        "via not in [\"IST\"] (via: none)"
    );
}

#[test]
fn or_explains_only_the_branches_that_held() {
    let set = RuleSet::parse(&one_rule(
        "payment == \"CC\" or (one_way and bags > 3) or age > 1 or via == \"IST\"",
    ))
    .unwrap();
    let hits = set.evaluate(&suspicious());
    let lines: Vec<String> = hits[0]
        .explanation
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines, vec!["via == \"IST\" (via: IST)".to_owned()]);
}

/// (rule set text, line, column, rule, part of the message)
const PARSE_ERRORS: &[(&str, u32, u32, Option<&str>, &str)] = &[
    (
        "",
        1,
        1,
        None,
        "expected `ruleset`, found the end of the rule set",
    ),
    (
        "ruleset version 1",
        1,
        9,
        None,
        "expected the rule set's name in double quotes",
    ),
    (
        "ruleset \"\" version 1",
        1,
        9,
        None,
        "found an empty string",
    ),
    (
        "ruleset \"x\" version 0",
        1,
        21,
        None,
        "version 0 is out of range",
    ),
    (
        "ruleset \"x\" version 1\nreview_threshold 50\npriority_threshold 20",
        3,
        1,
        None,
        "priority_threshold 20 is out of range (50",
    ),
    (
        "ruleset \"x\" version 1\nreview_threshold 5\nreview_threshold 6",
        3,
        1,
        None,
        "already set",
    ),
    (
        "ruleset \"x\" version 1\nrules",
        2,
        1,
        None,
        "expected `rule`, `review_threshold` or `priority_threshold`, found `rules`",
    ),
    (
        "ruleset \"x\" version 1\nrule when",
        2,
        6,
        None,
        "expected a rule id",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 when",
        2,
        10,
        Some("R-1"),
        "expected the rule's title",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" score 1",
        2,
        14,
        Some("R-1"),
        "expected `when`, found `score`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way",
        2,
        26,
        Some("R-1"),
        "expected `score`, found the end",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way score 1001",
        2,
        33,
        Some("R-1"),
        "score 1001 is out of range (0 to 1000)",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way score 1\nrule R-1 \"u\" when one_way score 1",
        3,
        6,
        Some("R-1"),
        "already used on line 2",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way score 1\nscore",
        3,
        1,
        None,
        "expected `rule` or the end of the rule set",
    ),
    (
        "ruleset \"x\" version 1\nrule R-2 \"t\"\n  when payment_form contains \"CA\"\n  score 1",
        3,
        8,
        Some("R-2"),
        "`payment_form` is not a known field (did you mean `payment`?); known fields: origin, destination",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when booking_lead_hours < \"48\" score 1",
        2,
        40,
        Some("R-1"),
        "`booking_lead_hours` is a whole number; `<` needs a number or a number field on its right, found the string \"48\"",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when payment < 3 score 1",
        2,
        27,
        Some("R-1"),
        "`<` does not apply to `payment`, which is a list of codes",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way == \"yes\" score 1",
        2,
        30,
        Some("R-1"),
        "needs `true` or `false`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when payment score 1",
        2,
        27,
        Some("R-1"),
        "an operator after `payment`, which is a list of codes and cannot stand alone",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when \"CA\" in payment score 1",
        2,
        19,
        Some("R-1"),
        "a comparison starts with a field",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via in \"IST\" score 1",
        2,
        26,
        Some("R-1"),
        "needs a list of strings",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via in [] score 1",
        2,
        27,
        Some("R-1"),
        "an empty list matches nothing",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via in [\"IST\", 3] score 1",
        2,
        34,
        Some("R-1"),
        "only strings or only numbers",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via in [\"IST\" \"DXB\"] score 1",
        2,
        33,
        Some("R-1"),
        "expected `,` or `]`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via in [\"IST\", \"Dubai\"] score 1",
        2,
        34,
        Some("R-1"),
        "`Dubai` cannot be a value of `via`: an IATA airport code",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when nationality == \"fra\" score 1",
        2,
        34,
        Some("R-1"),
        "`fra` cannot be a value of `nationality`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when role == \"pilot\" score 1",
        2,
        27,
        Some("R-1"),
        "the roles are passenger, crew, in_transit, infant",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when role contains \"cr\" score 1",
        2,
        24,
        Some("R-1"),
        "`contains` does not apply to `role`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via == route score 1",
        2,
        26,
        Some("R-1"),
        "found the field `route`, which is a list of codes",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when age > nationality score 1",
        2,
        25,
        Some("R-1"),
        "found the field `nationality`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when (one_way and age > 3 score 1",
        2,
        40,
        Some("R-1"),
        "expected `)`, `and` or `or`, found `score`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way and score 1",
        2,
        31,
        Some("R-1"),
        "expected a field name, `not` or `(`, found `score`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when via not \"IST\" score 1",
        2,
        27,
        Some("R-1"),
        "expected `in` after `not`",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when age = 3 score 1",
        2,
        23,
        None,
        "write `==` to compare",
    ),
    (
        "ruleset \"x\" version 1\nrule R-1 \"t\" when age < 3.5 score 1",
        2,
        25,
        None,
        "numbers are whole",
    ),
];

#[test]
fn parse_errors_name_line_column_and_rule() {
    let mut wrong = Vec::new();
    for (text, line, column, rule, message) in PARSE_ERRORS {
        let err = RuleSet::parse(text).expect_err(text);
        let shown = err.to_string();
        if (err.line, err.column, err.rule.as_deref()) != (*line, *column, *rule)
            || !shown.contains(message)
        {
            wrong.push(format!("{text}\n  {shown}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn error_display_has_position_rule_and_byte_offset() {
    let text = "ruleset \"x\" version 1\nrule R-7 \"t\" when agee > 3 score 1";
    let err = RuleSet::parse(text).unwrap_err();
    assert_eq!(err.byte_offset, text.find("agee").unwrap());
    assert!(
        err.to_string().starts_with(
            "line 2, column 19, rule R-7: `agee` is not a known field (did you mean `age`?)"
        ),
        "{err}"
    );
}

/// Every protected attribute, as a field, as a rule id, and as a literal, with the expected category.
const PROTECTED: &[(&str, ProtectedCategory)] = &[
    ("sex == \"M\"", ProtectedCategory::Sex),
    ("gender in [\"F\"]", ProtectedCategory::Sex),
    ("race == \"x\"", ProtectedCategory::RacialOrEthnicOrigin),
    (
        "ethnicity == \"x\"",
        ProtectedCategory::RacialOrEthnicOrigin,
    ),
    (
        "ethnic_origin == \"x\"",
        ProtectedCategory::RacialOrEthnicOrigin,
    ),
    (
        "surname starts_with \"AL\"",
        ProtectedCategory::RacialOrEthnicOrigin,
    ),
    (
        "political_opinions == \"x\"",
        ProtectedCategory::PoliticalOpinions,
    ),
    (
        "religion == \"x\"",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "religious_meal",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "philosophical_beliefs == \"x\"",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "meal == \"x\"",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "trade_union == \"x\"",
        ProtectedCategory::TradeUnionMembership,
    ),
    ("union_membership", ProtectedCategory::TradeUnionMembership),
    ("health == \"x\"", ProtectedCategory::Health),
    ("medical_condition", ProtectedCategory::Health),
    ("disability", ProtectedCategory::Health),
    (
        "sexual_orientation == \"x\"",
        ProtectedCategory::SexualLifeOrOrientation,
    ),
    ("sex_life", ProtectedCategory::SexualLifeOrOrientation),
    (
        "agency == \"MOML\"",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "agency in [\"X\", \"KSML\"]",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    ("agency contains \"WCHR\"", ProtectedCategory::Health),
    ("agency == \"MEDA\"", ProtectedCategory::Health),
    ("agency == \"BLND\"", ProtectedCategory::Health),
    ("agency == \"DEAF\"", ProtectedCategory::Health),
    (
        "agency == \"VGML\"",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    (
        "agency == \"Hajj and Umrah Tours\"",
        ProtectedCategory::ReligionOrPhilosophicalBeliefs,
    ),
    ("agency contains \"medical\"", ProtectedCategory::Health),
];

#[test]
fn protected_attributes_are_refused_with_the_reason() {
    for (condition, category) in PROTECTED {
        let text = format!(
            "ruleset \"x\" version 1\n\nrule R-9 \"t\"\n  when one_way and {condition}\n  score 1\n"
        );
        let err = RuleSet::parse(&text).expect_err(condition);
        let shown = err.to_string();
        let term = match &err.kind {
            RuleErrorKind::Protected {
                category: found,
                term,
                ..
            } => {
                assert_eq!(found, category, "{condition}: {shown}");
                term
            }
            other => panic!("{condition}: expected a refusal, got {other:?}"),
        };
        // The error points at the word, or at the string holding the code.
        let within = condition
            .find(&format!("\"{term}"))
            .or_else(|| condition.find(term.as_str()))
            .unwrap();
        let column = 20 + u32::try_from(within).unwrap();
        assert_eq!((err.line, err.column), (4, column), "{condition}: {shown}");
        assert_eq!(err.rule.as_deref(), Some("R-9"), "{shown}");
        assert!(
            shown.contains("risk criteria may not be based on it"),
            "{shown}"
        );
        let law = if *category == ProtectedCategory::Sex {
            "Art. 21"
        } else {
            "Directive 2016/681 Art. 6(4)"
        };
        assert!(shown.contains(law), "{shown}");
    }
}

#[test]
fn protected_words_are_refused_anywhere() {
    // As a rule id, and where the grammar expects something else: still the Art. 6(4) reason.
    let cases = [
        (
            "ruleset \"x\" version 1\nrule R-RELIGION \"t\" when one_way score 1",
            2,
            6,
            Some("R-RELIGION"),
        ),
        (
            "ruleset \"x\" version 1\nrule R-1 \"t\" when one_way score gender",
            2,
            33,
            Some("R-1"),
        ),
        ("ruleset \"x\" version 1 ethnicity", 1, 23, None),
        (
            "ruleset \"x\" version 1\nrule R-1 \"t\" when nationality == race score 1",
            2,
            34,
            Some("R-1"),
        ),
    ];
    for (text, line, column, rule) in cases {
        let err = RuleSet::parse(text).unwrap_err();
        assert!(
            matches!(err.kind, RuleErrorKind::Protected { .. }),
            "{text}: {err}"
        );
        assert_eq!(
            (err.line, err.column, err.rule.as_deref()),
            (line, column, rule),
            "{err}"
        );
    }
    let err =
        RuleSet::parse("ruleset \"x\" version 1\nrule R-1 \"t\" when agency == \"MOML\" score 1")
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2, column 29, rule R-1: `MOML` (Muslim (halal) meal) reveals religion or philosophical beliefs; risk criteria may not be based on it (EU PNR Directive 2016/681 Art. 6(4))"
    );
}

#[test]
fn titles_are_free_text() {
    // A title may say what a rule deliberately avoids; only what a rule evaluates is checked.
    let text = "ruleset \"No criteria on religion or health\" version 1\nrule R-1 \"Not based on sex\" when one_way score 1";
    assert!(RuleSet::parse(text).is_ok());
}

#[test]
fn limits_give_errors_not_crashes() {
    let deep = format!("{}one_way{}", "(".repeat(10_000), ")".repeat(10_000));
    let err = RuleSet::parse(&one_rule(&deep)).unwrap_err();
    assert_eq!(err.kind, RuleErrorKind::TooDeep { max: MAX_DEPTH });
    assert_eq!((err.line, err.column), (3, 8 + MAX_DEPTH as u32));

    let nots = format!("{}one_way", "not ".repeat(10_000));
    let err = RuleSet::parse(&one_rule(&nots)).unwrap_err();
    assert_eq!(err.kind, RuleErrorKind::TooDeep { max: MAX_DEPTH });

    let nested_ok = format!("{}one_way{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(RuleSet::parse(&one_rule(&nested_ok)).is_ok());

    let many = vec!["one_way"; MAX_CONDITIONS_PER_RULE + 1].join(" and ");
    let err = RuleSet::parse(&one_rule(&many)).unwrap_err();
    assert!(
        matches!(err.kind, RuleErrorKind::TooManyConditions { .. }),
        "{err}"
    );

    let items = vec!["\"CA\""; MAX_LIST_ITEMS + 1].join(",");
    let err = RuleSet::parse(&one_rule(&format!("payment in [{items}]"))).unwrap_err();
    assert!(
        matches!(err.kind, RuleErrorKind::TooManyItems { .. }),
        "{err}"
    );

    let mut rules = String::from("ruleset \"x\" version 1\n");
    for i in 0..=MAX_RULES {
        rules.push_str(&format!("rule R-{i} \"t\" when one_way score 1\n"));
    }
    let err = RuleSet::parse(&rules).unwrap_err();
    assert_eq!(err.kind, RuleErrorKind::TooManyRules { max: MAX_RULES });
    assert_eq!(err.line, MAX_RULES as u32 + 2);

    let huge = format!("ruleset \"x\" version 1\n{}", "#".repeat(MAX_INPUT_BYTES));
    let err = RuleSet::parse(&huge).unwrap_err();
    assert!(
        matches!(err.kind, RuleErrorKind::InputTooLarge { .. }),
        "{err}"
    );
    assert_eq!(err.line, 2);

    let long_title = format!("ruleset \"{}\" version 1", "x".repeat(MAX_TEXT_CHARS + 1));
    let err = RuleSet::parse(&long_title).unwrap_err();
    assert!(matches!(err.kind, RuleErrorKind::TooLong { .. }), "{err}");

    let long_id = format!(
        "ruleset \"x\" version 1\nrule R{} \"t\" when one_way score 1",
        "1".repeat(MAX_IDENT_CHARS)
    );
    let err = RuleSet::parse(&long_id).unwrap_err();
    assert!(matches!(err.kind, RuleErrorKind::TooLong { .. }), "{err}");
}

#[test]
fn canonical_text_and_fingerprint() {
    let set = example();
    let canonical = set.to_text();
    assert_eq!(
        canonical,
        r#"ruleset "PIU XAA border criteria" version 3
review_threshold 40
priority_threshold 80

rule R-001 "Cash one-way ticket bought less than 48 hours before departure"
  when payment contains "CA" and one_way and booking_lead_hours < 48
  score 40

rule R-002 "Route through a hub known for document fraud, documents from another country"
  when via in ["IST", "DXB"] and document_issuing_country != nationality
  score 25

rule R-003 "Crew member on a document about to expire"
  when role == "crew" and (document_expiry_days < 30 or not (document_kind in ["P", "I"]))
  score 10
"#
    );
    let again = RuleSet::parse(&canonical).unwrap();
    assert_eq!(again, set);
    assert_eq!(again.fingerprint(), set.fingerprint());
    assert!(set.fingerprint().starts_with("fnv1a64:"));
    assert_eq!(set.fingerprint().len(), "fnv1a64:".len() + 16);

    // Layout, comments and redundant parentheses do not change the fingerprint; a score does.
    let reformatted = EXAMPLE
        .replace("  when payment", "  # cash\n  when (payment")
        .replace("< 48", "< 48)");
    assert_eq!(
        RuleSet::parse(&reformatted).unwrap().fingerprint(),
        set.fingerprint()
    );
    let changed = EXAMPLE.replace("score 25", "score 26");
    assert_ne!(
        RuleSet::parse(&changed).unwrap().fingerprint(),
        set.fingerprint()
    );
}

#[test]
fn fingerprint_is_stable_across_releases() {
    // Stored rule set versions are looked up by fingerprint: changing the canonical form or the hash
    // breaks that, so this value must only change on purpose.
    let set =
        RuleSet::parse("ruleset \"x\" version 1\nrule R-1 \"t\" when one_way score 1").unwrap();
    assert_eq!(set.fingerprint(), "fnv1a64:1a6b657d9226b1b4");
}

#[test]
fn nested_groups_flatten() {
    let set = RuleSet::parse(&one_rule(
        "one_way and (age > 1 and (bags > 1 or (companions > 1 or seat == \"1A\")))",
    ))
    .unwrap();
    assert_eq!(
        set.rules()[0].condition_text(),
        "one_way and age > 1 and (bags > 1 or companions > 1 or seat == \"1A\")"
    );
    match &set.rules()[0].condition {
        Expr::All(parts) => assert_eq!(parts.len(), 3),
        other => panic!("{other:?}"),
    }
}

// ---- property tests ----

fn field_of(kind_filter: fn(Field) -> bool) -> impl Strategy<Value = Field> {
    let all: Vec<Field> = fields()
        .filter_map(|i| Field::from_name(i.name))
        .filter(|f| kind_filter(*f))
        .collect();
    proptest::sample::select(all)
}

fn literal_for(field: Field) -> BoxedStrategy<String> {
    use super::fields::LiteralCheck;
    match field.literal_check() {
        LiteralCheck::Airport => proptest::sample::select(vec!["IST", "DXB", "LHR", "JFK"])
            .prop_map(str::to_owned)
            .boxed(),
        LiteralCheck::Country => proptest::sample::select(vec!["FRA", "D", "UTO", "XAA"])
            .prop_map(str::to_owned)
            .boxed(),
        LiteralCheck::Role => proptest::sample::select(vec!["crew", "infant"])
            .prop_map(str::to_owned)
            .boxed(),
        LiteralCheck::Any => "[A-Za-z0-9 \"\\\\é#-]{0,12}"
            .prop_filter("not a protected word", |s| {
                super::protected::check_literal(s).is_none()
            })
            .boxed(),
    }
}

fn test_strategy() -> impl Strategy<Value = Test> {
    use super::fields::FieldKind as K;
    prop_oneof![
        field_of(|f| f.kind() == K::Flag).prop_flat_map(|field| prop_oneof![
            Just(Test {
                field,
                op: Op::IsTrue,
                rhs: Operand::None
            }),
            any::<bool>().prop_map(move |b| Test {
                field,
                op: Op::Cmp(CmpOp::Ne),
                rhs: Operand::Flag(b)
            }),
        ]),
        (
            field_of(|f| f.kind() == K::Number),
            proptest::sample::select(vec![
                CmpOp::Eq,
                CmpOp::Ne,
                CmpOp::Lt,
                CmpOp::Le,
                CmpOp::Gt,
                CmpOp::Ge
            ]),
            any::<i64>(),
        )
            .prop_map(|(field, op, n)| Test {
                field,
                op: Op::Cmp(op),
                rhs: Operand::Number(n)
            }),
        (
            field_of(|f| f.kind() == K::Number),
            proptest::collection::vec(-100i64..100, 1..4)
        )
            .prop_map(|(field, items)| Test {
                field,
                op: Op::NotIn,
                rhs: Operand::Numbers(items)
            }),
        field_of(|f| matches!(f.kind(), K::Text | K::TextList | K::Role)).prop_flat_map(|field| (
            proptest::sample::select(vec![Op::Cmp(CmpOp::Eq), Op::In, Op::NotIn]),
            proptest::collection::vec(literal_for(field), 1..4),
        )
            .prop_map(move |(op, mut items)| {
                let rhs = if op == Op::Cmp(CmpOp::Eq) {
                    Operand::Text(items.swap_remove(0))
                } else {
                    Operand::Texts(items)
                };
                Test { field, op, rhs }
            })),
        (field_of(|f| f.kind() == K::Text), "[A-Z0-9 ]{0,6}").prop_map(|(field, t)| Test {
            field,
            op: Op::StartsWith,
            rhs: Operand::Text(t)
        }),
        Just(Test {
            field: Field::DocumentIssuingCountry,
            op: Op::Cmp(CmpOp::Ne),
            rhs: Operand::Field(Field::Nationality)
        }),
    ]
}

fn expr_strategy() -> impl Strategy<Value = Expr> {
    test_strategy()
        .prop_map(Expr::Test)
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Expr::All),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Expr::Any),
                inner.prop_map(|e| Expr::Not(Box::new(e))),
            ]
        })
}

fn ruleset_strategy() -> impl Strategy<Value = RuleSet> {
    (
        "[A-Za-z0-9 \"\\\\]{1,20}",
        1u32..1000,
        1u32..50,
        proptest::option::of(50u32..100),
        proptest::collection::vec((expr_strategy(), 0u32..=1000, "[A-Za-z ]{1,10}"), 0..4),
    )
        .prop_filter("a name with a visible character", |(name, ..)| {
            !name.trim().is_empty()
        })
        .prop_map(|(name, version, review, priority, rules)| RuleSet {
            name,
            version,
            review_threshold: review,
            priority_threshold: priority,
            rules: rules
                .into_iter()
                .enumerate()
                .filter(|(_, (_, _, title))| !title.trim().is_empty())
                .map(|(i, (condition, score, title))| Rule {
                    id: format!("R-{i:03}"),
                    title,
                    score,
                    condition,
                })
                .collect(),
        })
}

/// Some words and symbols of the language, so random input reaches the parser's deeper paths.
fn token_soup() -> impl Strategy<Value = String> {
    let pieces = vec![
        "ruleset \"x\" version 1\n",
        "rule",
        "R-1",
        "\"t\"",
        "when",
        "score",
        "1",
        "-5",
        "and",
        "or",
        "not",
        "in",
        "contains",
        "starts_with",
        "(",
        ")",
        "[",
        "]",
        ",",
        "==",
        "!=",
        "<",
        ">=",
        "true",
        "one_way",
        "payment",
        "\"CA\"",
        "age",
        "via",
        "\"IST\"",
        "role",
        "\"crew\"",
        "nationality",
        "sex",
        "\"MOML\"",
        "review_threshold",
        "priority_threshold",
        "#",
        "\n",
        "\"",
        "é",
        "9999999999999999999999",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..60).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn canonical_text_round_trips(set in ruleset_strategy()) {
        let text = set.to_text();
        let parsed = RuleSet::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(parsed.to_text(), text.clone());
        // Same meaning as the generated set (which may have nested groups the parser merges).
        let facts = suspicious();
        for (a, b) in set.rules.iter().zip(&parsed.rules) {
            prop_assert_eq!(a.condition.truth(&facts), b.condition.truth(&facts));
            prop_assert_eq!(a.condition.truth(&TravelFacts::default()), b.condition.truth(&TravelFacts::default()));
        }
        prop_assert_eq!(RuleSet::parse(&parsed.to_text()).ok(), Some(parsed));
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = RuleSet::parse(&text);
    }

    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        if let Ok(set) = RuleSet::parse(&text) {
            let _ = set.assess(&suspicious());
            let _ = set.assess(&TravelFacts::default());
            prop_assert_eq!(RuleSet::parse(&set.to_text()).ok(), Some(set));
        }
    }

    #[test]
    fn errors_point_inside_the_text(text in token_soup()) {
        if let Err(err) = RuleSet::parse(&text) {
            prop_assert!(err.byte_offset <= text.len());
            prop_assert!(err.line >= 1 && err.column >= 1);
            prop_assert!(!err.to_string().is_empty());
        }
    }
}
