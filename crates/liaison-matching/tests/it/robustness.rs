use liaison_core::RecordType;
use liaison_matching::{
    IndexedPerson, MatchIndex, NameInput, Query, ScreenOptions, parse_mrz_name, score_pair,
};
use proptest::prelude::*;

fn person(id: &str, name: &str) -> IndexedPerson {
    IndexedPerson {
        record_type: RecordType::Person,
        id: id.to_owned(),
        names: vec![NameInput::full(name)],
        birth_dates: Vec::new(),
        sex: None,
        nationalities: Vec::new(),
        documents: Vec::new(),
    }
}

fn small_index() -> MatchIndex {
    let mut index = MatchIndex::new();
    for (i, name) in [
        "Владимир Щербаков",
        "Mohammed Ali",
        "王小明",
        "John Smith",
        "",
    ]
    .iter()
    .enumerate()
    {
        index.upsert(person(&format!("p{i}"), name));
    }
    index
}

#[test]
fn extreme_inputs_give_results_and_warnings() {
    let index = small_index();
    let long = "Щ".repeat(10_000);
    let cases = [
        String::new(),
        long.clone(),
        "a".repeat(10_000),
        "\u{0000}\u{0007}\u{001b}[31m".to_owned(),
        "😀😀😀".to_owned(),
        "Vlаdimir Щербаков محمد 王 😀".to_owned(),
        "<<<<<<<<".to_owned(),
        "x ".repeat(5_000),
    ];
    for name in &cases {
        let q = Query {
            names: vec![name.clone()],
            ..Query::default()
        };
        let result = index.screen(&q, &ScreenOptions::default());
        assert!(result.hits.len() <= 10);
        let _ = score_pair(&q, &person("x", name));
        let _ = parse_mrz_name(name);
    }
    let q = Query {
        names: vec![long],
        ..Query::default()
    };
    assert!(
        !index
            .screen(&q, &ScreenOptions::default())
            .warnings
            .is_empty()
    );
    let empty = index.screen(&Query::default(), &ScreenOptions::default());
    assert!(empty.hits.is_empty() && !empty.warnings.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn screening_never_panics(name in "\\PC{0,40}", other in ".{0,20}", doc in "[A-Z0-9<]{0,12}") {
        let mut index = small_index();
        index.upsert(person("fuzz", &name));
        let q = Query { names: vec![name.clone(), other.clone()], documents: vec![doc], ..Query::default() };
        let result = index.screen(&q, &ScreenOptions::default());
        prop_assert!(result.hits.iter().all(|h| (0.0..=1.0).contains(&h.score)));
        let hit = score_pair(&q, &person("x", &other));
        prop_assert!((0.0..=1.0).contains(&hit.score));
        prop_assert!(index.remove(RecordType::Person, "fuzz"));
    }

    #[test]
    fn mixed_scripts_and_emoji_never_panic(parts in proptest::collection::vec(prop_oneof![
        Just("Щербаков"), Just("محمد"), Just("王"), Just("😀"), Just("\u{200d}"), Just("-"), Just("<"),
        Just("al"), Just("Ä"), Just("\u{0301}"), Just(" "), Just("\t"), Just("ß"), Just("ﷺ"), Just("ǅ"),
    ], 0..30)) {
        let name: String = parts.concat();
        let index = small_index();
        let q = Query { names: vec![name.clone()], ..Query::default() };
        let _ = index.screen(&q, &ScreenOptions::default());
        let _ = score_pair(&q, &person("x", &name));
    }
}
