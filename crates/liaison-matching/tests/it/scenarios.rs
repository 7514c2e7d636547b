use liaison_core::{CountryCode, PartialDate, RecordType, Sex};
use liaison_matching::{
    Band, DocumentKey, Hit, IndexedPerson, MatchIndex, NameInput, Query, ScreenOptions, band_for,
    parse_mrz_name, score_pair,
};

fn date(text: &str) -> PartialDate {
    PartialDate::parse(text).unwrap()
}

fn person(id: &str, names: &[NameInput], dob: Option<&str>) -> IndexedPerson {
    IndexedPerson {
        record_type: RecordType::Person,
        id: id.to_owned(),
        names: names.to_vec(),
        birth_dates: dob.map(date).into_iter().collect(),
        sex: None,
        nationalities: Vec::new(),
        documents: Vec::new(),
    }
}

fn query(name: &str, dob: Option<&str>) -> Query {
    Query {
        names: vec![name.to_owned()],
        birth_date: dob.map(date),
        ..Query::default()
    }
}

fn show(hit: &Hit) -> String {
    let lines: Vec<String> = hit
        .explanation
        .iter()
        .map(|c| format!("  {:+.2} {} {}", c.weight, c.feature, c.text))
        .collect();
    format!(
        "{} {:.3} {:?}\n{}",
        hit.id,
        hit.score,
        hit.band,
        lines.join("\n")
    )
}

const SHCHERBAKOV_FORMS: [&str; 5] = [
    "Владимир Щербаков",
    "SHCHERBAKOV VLADIMIR",
    "Wladimir Schtscherbakow",
    "Vladimir Scherbakov",
    "SHCHERBAKOV<<VLADIMIR",
];

#[test]
fn the_issue_example_every_form_finds_every_other_strongly() {
    for (i, record_form) in SHCHERBAKOV_FORMS.iter().enumerate() {
        let record = person("p1", &[NameInput::full(*record_form)], Some("1975-03-14"));
        for (j, query_form) in SHCHERBAKOV_FORMS.iter().enumerate() {
            if i == j {
                continue;
            }
            let same_day = score_pair(&query(query_form, Some("1975-03-14")), &record);
            assert_eq!(
                band_for(same_day.score),
                Some(Band::Strong),
                "{query_form} vs {record_form}:\n{}",
                show(&same_day)
            );
            let no_dob = score_pair(&query(query_form, None), &record);
            assert_eq!(
                band_for(no_dob.score),
                Some(Band::Strong),
                "{}",
                show(&no_dob)
            );
            let year_off = score_pair(&query(query_form, Some("1974-03-14")), &record);
            assert!(
                band_for(year_off.score).is_some(),
                "{query_form} vs {record_form} with 1974:\n{}",
                show(&year_off)
            );
        }
    }
}

#[test]
fn the_issue_example_through_an_index_with_explanation() {
    let mut index = MatchIndex::new();
    index.upsert(IndexedPerson {
        names: vec![NameInput {
            full: "Владимир Щербаков".to_owned(),
            given: Some("Владимир".to_owned()),
            family: Some("Щербаков".to_owned()),
            ..NameInput::default()
        }],
        sex: Some(Sex::Male),
        nationalities: vec![CountryCode::parse("RUS").unwrap()],
        ..person("p1", &[], Some("1975-03-14"))
    });
    for i in 0..50 {
        index.upsert(person(
            &format!("other{i}"),
            &[NameInput::full(format!("Vladimir Petrov{i}"))],
            Some("1980-01-02"),
        ));
    }
    let result = index.screen(
        &query("Wladimir Schtscherbakow", Some("1974-03-14")),
        &ScreenOptions::default(),
    );
    let hit = result.hits.first().expect("a hit");
    assert_eq!(hit.id, "p1", "{}", show(hit));
    let text: Vec<&str> = hit.explanation.iter().map(|c| c.text.as_str()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("family name Щербаков ≈ SCHTSCHERBAKOW (transliteration, German)")),
        "{}",
        show(hit)
    );
    assert!(
        text.iter().any(|t| t.contains("birth year one apart")),
        "{}",
        show(hit)
    );
}

#[test]
fn many_mohammed_alis_are_not_all_strong() {
    let mut index = MatchIndex::new();
    let spellings = [
        "Mohammed Ali",
        "Muhammad Ali",
        "Mohamed Ali",
        "Mohammad Aly",
        "محمد علي",
    ];
    for i in 0..200 {
        let name = spellings[i % spellings.len()];
        let dob = format!("{}-{:02}-{:02}", 1950 + i % 50, 1 + i % 12, 1 + i % 28);
        index.upsert(person(
            &format!("m{i}"),
            &[NameInput::full(name)],
            Some(&dob),
        ));
    }
    index.upsert(person(
        "target",
        &[NameInput::full("Mohammed Ali")],
        Some("1984-07-21"),
    ));
    let result = index.screen(
        &query("MOHAMMED ALI", Some("1984-07-21")),
        &ScreenOptions {
            limit: 500,
            min_band: Band::Possible,
        },
    );
    let strong: Vec<&Hit> = result
        .hits
        .iter()
        .filter(|h| h.band == Band::Strong)
        .collect();
    assert_eq!(result.hits.first().map(|h| h.id.as_str()), Some("target"));
    assert!(strong.len() <= 3, "{} strong hits", strong.len());
    assert!(result.hits.len() <= 20, "{} hits", result.hits.len());

    // Without a date of birth, a common name alone is never strong.
    let result = index.screen(&query("MOHAMMED ALI", None), &ScreenOptions::default());
    assert!(
        result.hits.iter().all(|h| h.band != Band::Strong),
        "{:?}",
        result.hits.first().map(show)
    );
}

#[test]
fn rare_names_weigh_more_than_common_ones() {
    let mut index = MatchIndex::new();
    for i in 0..300 {
        index.upsert(person(
            &format!("s{i}"),
            &[NameInput::full(format!(
                "John Smith{}",
                if i % 2 == 0 { "" } else { "e" }
            ))],
            None,
        ));
    }
    index.upsert(person(
        "rare",
        &[NameInput::full("Kaspar Hauzenberger")],
        None,
    ));
    index.upsert(person("common", &[NameInput::full("John Smith")], None));
    let rare = index.screen(
        &query("Kaspar Hauzenberger", None),
        &ScreenOptions::default(),
    );
    let common = index.screen(&query("John Smith", None), &ScreenOptions::default());
    let rare_score = rare.hits.first().map_or(0.0, |h| h.score);
    let common_score = common
        .hits
        .iter()
        .find(|h| h.id == "common")
        .map_or(0.0, |h| h.score);
    assert!(rare_score > common_score, "{rare_score} vs {common_score}");
}

#[test]
fn name_variations_table() {
    // (record, query, should hit at least possible)
    let cases: &[(&str, &str, bool)] = &[
        ("Ahmed al-Rashid", "AHMED ALRASHID", true),
        ("Ahmed al-Rashid", "Ahmed Rashid", true),
        ("Ahmed al-Rashid", "AL RASHID AHMED", true),
        ("Dr. John Paul Smith", "SMITH<<JOHN", true),
        ("John Paul Smith", "J. Smith", true),
        ("Jürgen Müller", "JUERGEN MUELLER", true),
        ("Jürgen Müller", "Jurgen Muller", true),
        ("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos", true),
        ("محمد عبد الله", "Mohammed Abdullah", true),
        ("王小明", "Wang Xiaoming", true),
        ("김민준", "Kim Minjun", true),
        ("Юлия Щеглова", "Iuliia Shcheglova", true),
        ("Юлия Щеглова", "Yuliya Shcheglova", true),
        ("Юлия Щеглова", "Julia Schtscheglowa", true),
        ("Olga Ivanova", "Irina Petrova", false),
        ("Vladimir Shcherbakov", "Vladimir Sokolov", false),
        ("Maria Garcia Lopez", "Maria Lopez", true),
        ("Jean-Pierre Dubois", "Jean Pierre Dubois", true),
        ("Jean-Pierre Dubois", "Jeanpierre Dubois", true),
    ];
    let mut failures = Vec::new();
    for (record, q, expected) in cases {
        let hit = score_pair(
            &query(q, None),
            &person("p", &[NameInput::full(*record)], None),
        );
        let found = band_for(hit.score).is_some();
        if found != *expected {
            failures.push(format!(
                "{record} / {q}: expected {expected}\n{}",
                show(&hit)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mrz_names_parse_and_match() {
    let name = parse_mrz_name("SHCHERBAKOV<<VLADIMIR<IVANOVICH<<<<<");
    assert_eq!(name.family.as_deref(), Some("SHCHERBAKOV"));
    let record = person(
        "p",
        &[NameInput {
            full: "Щербаков Владимир Иванович".to_owned(),
            ..NameInput::default()
        }],
        Some("1975-03-14"),
    );
    let hit = score_pair(
        &query("SHCHERBAKOV<<VLADIMIR<IVANOVICH", Some("1975-03-14")),
        &record,
    );
    assert_eq!(band_for(hit.score), Some(Band::Strong), "{}", show(&hit));
    // A truncated MRZ name field still matches.
    let hit = score_pair(&query("SHCHERBAKOV<<VLADIMI", Some("1975-03-14")), &record);
    assert_eq!(band_for(hit.score), Some(Band::Strong), "{}", show(&hit));
}

#[test]
fn documents_with_ocr_errors_are_strong_alone() {
    let mut index = MatchIndex::new();
    let mut holder = person(
        "p1",
        &[NameInput::full("Anna Maria Eriksson")],
        Some("1974-08-12"),
    );
    holder.documents = vec![DocumentKey {
        number: "L898902C3".to_owned(),
        issuing_country: CountryCode::parse("UTO").ok(),
        record_id: Some("d1".to_owned()),
    }];
    index.upsert(holder);
    for number in ["L898902C3", "L8989O2C3", "1898902C3", "l898902c3"] {
        let q = Query {
            documents: vec![number.to_owned()],
            ..Query::default()
        };
        let result = index.screen(&q, &ScreenOptions::default());
        let hit = result
            .hits
            .first()
            .unwrap_or_else(|| panic!("{number}: no hit"));
        assert_eq!(hit.band, Band::Strong, "{number}: {}", show(hit));
        assert!(hit.explanation.iter().any(|c| c.feature == "document"));
    }
    // Another name on a known document: still strong (a stolen passport).
    let q = Query {
        names: vec!["Peter Fischer".to_owned()],
        documents: vec!["L898902C3".to_owned()],
        ..Query::default()
    };
    let result = index.screen(&q, &ScreenOptions::default());
    assert_eq!(result.hits.first().map(|h| h.band), Some(Band::Strong));
}

#[test]
fn conflicting_evidence_lowers_the_score() {
    let mut record = person(
        "p",
        &[NameInput::full("Vladimir Shcherbakov")],
        Some("1975-03-14"),
    );
    record.sex = Some(Sex::Male);
    let base = score_pair(&query("Vladimir Shcherbakov", Some("1975-03-14")), &record).score;
    let swapped = score_pair(
        &query(
            "Vladimir Shcherbakov",
            Some("1975-14-03").filter(|_| false).or(Some("1975-03-14")),
        ),
        &record,
    )
    .score;
    assert!((base - swapped).abs() < 1e-12);
    let other_dob = score_pair(&query("Vladimir Shcherbakov", Some("1990-11-30")), &record);
    assert!(band_for(other_dob.score).is_none(), "{}", show(&other_dob));
    let mut q = query("Vladimir Shcherbakov", Some("1975-03-14"));
    q.sex = Some(Sex::Female);
    let other_sex = score_pair(&q, &record);
    assert!(other_sex.score < base);
    assert!(
        other_sex
            .explanation
            .iter()
            .any(|c| c.text.contains("sex differs"))
    );
}

#[test]
fn upsert_replaces_and_remove_removes() {
    let mut index = MatchIndex::new();
    index.upsert(person(
        "p1",
        &[NameInput::full("Vladimir Shcherbakov")],
        None,
    ));
    index.upsert(person("p2", &[NameInput::full("Olga Sokolova")], None));
    assert_eq!(index.len(), 2);
    let q = query("Vladimir Shcherbakov", None);
    assert_eq!(index.screen(&q, &ScreenOptions::default()).hits.len(), 1);
    index.upsert(person("p1", &[NameInput::full("Ivan Petrov")], None));
    assert_eq!(index.len(), 2);
    assert!(index.screen(&q, &ScreenOptions::default()).hits.is_empty());
    assert!(index.remove(RecordType::Person, "p2"));
    assert!(!index.remove(RecordType::Person, "p2"));
    assert_eq!(index.len(), 1);
    assert!(
        index
            .screen(&query("Olga Sokolova", None), &ScreenOptions::default())
            .hits
            .is_empty()
    );
    index.upsert(person("p3", &[NameInput::full("Olga Sokolova")], None));
    assert_eq!(
        index
            .screen(&query("Olga Sokolova", None), &ScreenOptions::default())
            .hits[0]
            .id,
        "p3"
    );
}

#[test]
fn results_are_deterministic_and_tie_broken_by_id() {
    let mut index = MatchIndex::new();
    for id in ["b", "c", "a"] {
        index.upsert(person(id, &[NameInput::full("Ivan Petrov")], None));
    }
    let result = index.screen(&query("Ivan Petrov", None), &ScreenOptions::default());
    let ids: Vec<&str> = result.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let again = index.screen(&query("Ivan Petrov", None), &ScreenOptions::default());
    assert_eq!(result, again);
    let batch = index.screen_batch(&[query("Ivan Petrov", None)], &ScreenOptions::default());
    assert_eq!(batch[0], result);
}
