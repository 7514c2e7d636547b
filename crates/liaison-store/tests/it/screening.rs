//! Border screening: runs stored with their hits in one transaction, listed newest first, hits reviewed, the
//! figures per rule, alert category, band and kind, and the versioned risk rule set.

use std::sync::Arc;

use chrono::{SubsecRound, TimeDelta};
use liaison_store::{HitStatRow, RuleSetRow, ScreeningHitRow, ScreeningRunRow, Store, StoreError};

use crate::harness::{raw_execute, screening_hit, screening_run, t0};

/// The run as the store gives it back: its time to the microsecond.
fn stored(run: &ScreeningRunRow) -> ScreeningRunRow {
    ScreeningRunRow {
        created_at: run.created_at.trunc_subsecs(6),
        ..run.clone()
    }
}

fn ids(hits: &[ScreeningHitRow]) -> Vec<&str> {
    hits.iter().map(|hit| hit.id.as_str()).collect()
}

/// A version as listed once another one is active.
fn inactive(row: &RuleSetRow) -> RuleSetRow {
    RuleSetRow {
        active: false,
        ..row.clone()
    }
}

fn stat(dimension: &str, key: &str, hits: u64, confirmed: u64, false_hits: u64) -> HitStatRow {
    HitStatRow {
        dimension: dimension.to_owned(),
        key: key.to_owned(),
        hits,
        confirmed,
        false_hits,
    }
}

pub async fn runs_and_hits_round_trip(store: Arc<dyn Store>, _url: &str) {
    let mut run = screening_run("0190f5a2-7c1e-7000-8000-000000000001", t0());
    run.case_ref = Some("NL-2026-0042".to_owned());
    run.ruleset_version = Some(3);
    run.travellers = 412;
    run.hits = 3;
    run.report = r#"{"travellers":[{"name":"Алексей Иванов","band":"strong"}]}"#.to_owned();
    let mut reviewed = screening_hit("hit-2", &run.id, 7);
    reviewed.kind = "rule".to_owned();
    reviewed.band = "possible".to_owned();
    reviewed.alert_category = Some("wanted_person".to_owned());
    reviewed.rule_id = Some("R-7".to_owned());
    reviewed.record_ref = None;
    reviewed.verdict = Some("false_hit".to_owned());
    reviewed.reviewed_by = Some("supervisor1".to_owned());
    reviewed.reviewed_at = Some((t0() + TimeDelta::minutes(5)).trunc_subsecs(6));
    // Given out of order: they read back by traveller, then by id in byte order ("Z" before "a").
    let hits = [
        reviewed.clone(),
        screening_hit("hit-a", &run.id, 0),
        screening_hit("hit-Z", &run.id, 0),
        screening_hit("hit-max", &run.id, u32::MAX),
    ];
    store.put_screening_run(&run, &hits).await.unwrap();

    assert_eq!(
        store.get_screening_run(&run.id).await.unwrap(),
        Some(stored(&run))
    );
    let read = store.screening_hits(&run.id).await.unwrap();
    assert_eq!(ids(&read), ["hit-Z", "hit-a", "hit-2", "hit-max"]);
    assert_eq!(read[2], reviewed);
    assert_eq!(read[3].traveller, u32::MAX);
    assert_eq!(
        store.get_screening_hit("hit-2").await.unwrap(),
        Some(reviewed)
    );

    // A run without hits, the least it can hold.
    let quiet = screening_run("run-quiet", t0());
    store.put_screening_run(&quiet, &[]).await.unwrap();
    assert_eq!(
        store.get_screening_run("run-quiet").await.unwrap(),
        Some(stored(&quiet))
    );
    assert_eq!(store.screening_hits("run-quiet").await.unwrap(), []);

    assert_eq!(store.get_screening_run("nobody").await.unwrap(), None);
    assert_eq!(store.get_screening_hit("nobody").await.unwrap(), None);
    assert_eq!(store.screening_hits("nobody").await.unwrap(), []);
}

pub async fn run_with_many_hits(store: Arc<dyn Store>, _url: &str) {
    // More hits than one statement carries, so the insert runs in several.
    let run = screening_run("run-big", t0());
    let hits: Vec<_> = (0..2_345_u32)
        .map(|i| screening_hit(&format!("hit-{i:05}"), "run-big", i / 3))
        .collect();
    store.put_screening_run(&run, &hits).await.unwrap();
    assert_eq!(store.screening_hits("run-big").await.unwrap(), hits);
}

pub async fn run_conflicts_store_nothing(store: Arc<dyn Store>, _url: &str) {
    let run = screening_run("run-1", t0());
    store
        .put_screening_run(&run, &[screening_hit("hit-1", "run-1", 0)])
        .await
        .unwrap();

    // The same run id again.
    let mut again = screening_run("run-1", t0() + TimeDelta::hours(1));
    again.report = "{}".to_owned();
    let err = store.put_screening_run(&again, &[]).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("run-1")),
        "{err:?}"
    );
    assert_eq!(
        store.get_screening_run("run-1").await.unwrap(),
        Some(stored(&run))
    );

    // A hit id already taken by another run: the new run and its other hits are not stored either.
    let other = screening_run("run-2", t0());
    let hits = [
        screening_hit("hit-2", "run-2", 0),
        screening_hit("hit-1", "run-2", 1),
    ];
    let err = store.put_screening_run(&other, &hits).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("run-2")),
        "{err:?}"
    );
    assert_eq!(store.get_screening_run("run-2").await.unwrap(), None);
    assert_eq!(store.get_screening_hit("hit-2").await.unwrap(), None);
    assert_eq!(
        store
            .get_screening_hit("hit-1")
            .await
            .unwrap()
            .unwrap()
            .run_id,
        "run-1"
    );

    // Hits that cannot belong to the run are refused before anything is written.
    let mut bad_verdict = screening_hit("hit-4", "run-3", 0);
    bad_verdict.verdict = Some("maybe".to_owned());
    for (hits, expected) in [
        (
            vec![
                screening_hit("hit-3", "run-3", 0),
                screening_hit("hit-4", "run-9", 0),
            ],
            "hits[1] (`hit-4`) belongs to screening run `run-9`, not `run-3`",
        ),
        (
            vec![
                screening_hit("hit-3", "run-3", 0),
                screening_hit("hit-3", "run-3", 1),
            ],
            "hits[1]: hit id `hit-3` is given twice",
        ),
        (
            vec![bad_verdict],
            "hits[0] (`hit-4`): verdict `maybe` is neither `true_hit` nor `false_hit`",
        ),
    ] {
        let err = store
            .put_screening_run(&screening_run("run-3", t0()), &hits)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(message) if message == expected),
            "{err:?}"
        );
        assert_eq!(store.get_screening_run("run-3").await.unwrap(), None);
    }
    assert_eq!(store.list_screening_runs(10).await.unwrap().len(), 1);
}

pub async fn runs_list_newest_first(store: Arc<dyn Store>, _url: &str) {
    let second = TimeDelta::seconds(1);
    let runs = [
        screening_run("run-a", t0()),
        screening_run("run-b", t0() + second * 2),
        screening_run("run-c", t0() + second),
        // The same instant as run-b: the greater id comes first.
        screening_run("run-d", t0() + second * 2),
    ];
    for run in &runs {
        store.put_screening_run(run, &[]).await.unwrap();
    }
    let listed =
        |runs: Vec<ScreeningRunRow>| runs.into_iter().map(|run| run.id).collect::<Vec<_>>();
    assert_eq!(
        listed(store.list_screening_runs(10).await.unwrap()),
        ["run-d", "run-b", "run-c", "run-a"]
    );
    assert_eq!(
        listed(store.list_screening_runs(2).await.unwrap()),
        ["run-d", "run-b"]
    );
    assert_eq!(store.list_screening_runs(0).await.unwrap(), []);
    // Listed runs carry their report.
    assert_eq!(
        store.list_screening_runs(10).await.unwrap()[3],
        stored(&runs[0])
    );
}

pub async fn review_records_and_changes_verdicts(store: Arc<dyn Store>, _url: &str) {
    let run = screening_run("run-1", t0());
    store
        .put_screening_run(&run, &[screening_hit("hit-1", "run-1", 0)])
        .await
        .unwrap();

    let at = t0() + TimeDelta::minutes(3);
    assert!(
        store
            .review_hit("hit-1", "true_hit", "officer1", at)
            .await
            .unwrap()
    );
    let hit = store.get_screening_hit("hit-1").await.unwrap().unwrap();
    assert_eq!(
        (hit.verdict, hit.reviewed_by, hit.reviewed_at),
        (
            Some("true_hit".to_owned()),
            Some("officer1".to_owned()),
            Some(at.trunc_subsecs(6))
        )
    );

    // A supervisor changes it: the last verdict stands.
    let later = at + TimeDelta::hours(2);
    assert!(
        store
            .review_hit("hit-1", "false_hit", "supervisor1", later)
            .await
            .unwrap()
    );
    let hit = store.get_screening_hit("hit-1").await.unwrap().unwrap();
    let reviewed = ScreeningHitRow {
        verdict: Some("false_hit".to_owned()),
        reviewed_by: Some("supervisor1".to_owned()),
        reviewed_at: Some(later.trunc_subsecs(6)),
        ..screening_hit("hit-1", "run-1", 0)
    };
    assert_eq!(hit, reviewed);

    assert!(
        !store
            .review_hit("nobody", "true_hit", "officer1", at)
            .await
            .unwrap()
    );
    let err = store
        .review_hit("hit-1", "probably", "officer1", at)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(message) if message.contains("`probably`")),
        "{err:?}"
    );
    assert_eq!(
        store.get_screening_hit("hit-1").await.unwrap(),
        Some(reviewed)
    );
}

pub async fn hit_statistics_per_dimension(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.hit_statistics(None).await.unwrap(), []);

    let hit = |id: &str,
               run: &str,
               kind: &str,
               band: &str,
               alert: Option<&str>,
               rule: Option<&str>,
               verdict: Option<&str>| ScreeningHitRow {
        kind: kind.to_owned(),
        band: band.to_owned(),
        alert_category: alert.map(str::to_owned),
        rule_id: rule.map(str::to_owned),
        verdict: verdict.map(str::to_owned),
        ..screening_hit(id, run, 0)
    };
    let early = screening_run("run-early", t0());
    store
        .put_screening_run(
            &early,
            &[
                hit(
                    "h1",
                    "run-early",
                    "person",
                    "strong",
                    Some("wanted"),
                    None,
                    None,
                ),
                hit(
                    "h2",
                    "run-early",
                    "person",
                    "possible",
                    Some("wanted"),
                    None,
                    None,
                ),
                hit(
                    "h3",
                    "run-early",
                    "document",
                    "strong",
                    Some("stolen_document"),
                    None,
                    None,
                ),
                hit(
                    "h4",
                    "run-early",
                    "rule",
                    "possible",
                    None,
                    Some("b-1"),
                    Some("false_hit"),
                ),
            ],
        )
        .await
        .unwrap();
    let late_at = t0() + TimeDelta::hours(1);
    let late = screening_run("run-late", late_at);
    store
        .put_screening_run(
            &late,
            &[
                hit("h5", "run-late", "rule", "strong", None, Some("R-7"), None),
                hit(
                    "h6",
                    "run-late",
                    "vehicle",
                    "possible",
                    Some("stolen_vehicle"),
                    Some("R-2"),
                    None,
                ),
                hit(
                    "h7",
                    "run-late",
                    "rule",
                    "possible",
                    None,
                    Some("R-7"),
                    None,
                ),
            ],
        )
        .await
        .unwrap();
    for (id, verdict) in [
        ("h1", "true_hit"),
        ("h2", "false_hit"),
        ("h5", "true_hit"),
        ("h6", "false_hit"),
    ] {
        assert!(
            store
                .review_hit(id, verdict, "officer1", late_at)
                .await
                .unwrap()
        );
    }

    // Keys in byte order ("R-7" before "b-1"), whatever the database's locale; unreviewed hits (h3, h7) count
    // as hits only; hits without an alert category or rule are left out of that dimension.
    assert_eq!(
        store.hit_statistics(None).await.unwrap(),
        [
            stat("alert_category", "stolen_document", 1, 0, 0),
            stat("alert_category", "stolen_vehicle", 1, 0, 1),
            stat("alert_category", "wanted", 2, 1, 1),
            stat("band", "possible", 4, 0, 3),
            stat("band", "strong", 3, 2, 0),
            stat("kind", "document", 1, 0, 0),
            stat("kind", "person", 2, 1, 1),
            stat("kind", "rule", 3, 1, 1),
            stat("kind", "vehicle", 1, 0, 1),
            stat("rule", "R-2", 1, 0, 1),
            stat("rule", "R-7", 2, 1, 0),
            stat("rule", "b-1", 1, 0, 1),
        ]
    );

    // `since` counts runs created at or after it (to the microsecond), whenever their hits were reviewed.
    let late_only = [
        stat("alert_category", "stolen_vehicle", 1, 0, 1),
        stat("band", "possible", 2, 0, 1),
        stat("band", "strong", 1, 1, 0),
        stat("kind", "rule", 2, 1, 0),
        stat("kind", "vehicle", 1, 0, 1),
        stat("rule", "R-2", 1, 0, 1),
        stat("rule", "R-7", 2, 1, 0),
    ];
    assert_eq!(
        store.hit_statistics(Some(late_at)).await.unwrap(),
        late_only
    );
    assert_eq!(
        store
            .hit_statistics(Some(t0() + TimeDelta::minutes(1)))
            .await
            .unwrap(),
        late_only
    );
    assert_eq!(
        store
            .hit_statistics(Some(late_at.trunc_subsecs(6) + TimeDelta::microseconds(1)))
            .await
            .unwrap(),
        []
    );
}

pub async fn rulesets_are_versioned(store: Arc<dyn Store>, url: &str) {
    assert_eq!(store.active_ruleset().await.unwrap(), None);
    assert_eq!(store.list_rulesets().await.unwrap(), []);
    assert!(!store.activate_ruleset(1).await.unwrap());

    let first = store
        .add_ruleset("baseline", "rule R-1 ...", "sha256:aa", "admin1", t0())
        .await
        .unwrap();
    assert_eq!(
        (first.version, first.active, first.created_at),
        (1, true, t0().trunc_subsecs(6))
    );
    assert_eq!(
        (
            first.name.as_str(),
            first.text.as_str(),
            first.fingerprint.as_str()
        ),
        ("baseline", "rule R-1 ...", "sha256:aa")
    );
    assert_eq!(first.created_by, "admin1");
    assert_eq!(store.active_ruleset().await.unwrap(), Some(first.clone()));

    let second = store
        .add_ruleset(
            "winter",
            "rule R-2 ...",
            "sha256:bb",
            "admin2",
            t0() + TimeDelta::days(1),
        )
        .await
        .unwrap();
    assert_eq!((second.version, second.active), (2, true));
    let first_inactive = inactive(&first);
    assert_eq!(store.active_ruleset().await.unwrap(), Some(second.clone()));
    assert_eq!(
        store.list_rulesets().await.unwrap(),
        [second.clone(), first_inactive.clone()]
    );

    // Rolling back to version 1, then forward again; activating the active one changes nothing.
    assert!(store.activate_ruleset(1).await.unwrap());
    assert_eq!(store.active_ruleset().await.unwrap(), Some(first.clone()));
    assert_eq!(
        store.list_rulesets().await.unwrap(),
        [inactive(&second), first.clone()]
    );
    assert!(store.activate_ruleset(1).await.unwrap());
    assert_eq!(store.active_ruleset().await.unwrap(), Some(first.clone()));

    // An unknown version changes nothing.
    for version in [0, 3, -1] {
        assert!(!store.activate_ruleset(version).await.unwrap());
    }
    assert_eq!(store.active_ruleset().await.unwrap(), Some(first.clone()));

    // The next version follows the highest, whichever is active, and becomes the active one.
    let third = store
        .add_ruleset("spring", "rule R-3 ...", "sha256:cc", "admin1", t0())
        .await
        .unwrap();
    assert_eq!((third.version, third.active), (3, true));
    assert_eq!(
        store.list_rulesets().await.unwrap(),
        [third.clone(), inactive(&second), first_inactive]
    );

    // The database itself refuses a second active version.
    let err = raw_execute(url, &["UPDATE rulesets SET active = TRUE".to_owned()])
        .await
        .unwrap_err();
    assert!(err.as_database_error().is_some(), "{err:?}");
    assert_eq!(store.active_ruleset().await.unwrap(), Some(third));
}

pub async fn concurrent_ruleset_changes_keep_one_active(store: Arc<dyn Store>, _url: &str) {
    let adds: Vec<_> = (0..12)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                if i % 3 == 2 {
                    // Activations race the additions (false while no version exists yet).
                    store.activate_ruleset(1).await.unwrap();
                    None
                } else {
                    let name = format!("set {i}");
                    Some(
                        store
                            .add_ruleset(&name, "rules", "sha256:00", "admin1", t0())
                            .await
                            .unwrap()
                            .version,
                    )
                }
            })
        })
        .collect();
    let mut versions = Vec::new();
    for add in adds {
        versions.extend(add.await.unwrap());
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=8).collect::<Vec<i64>>());
    let listed = store.list_rulesets().await.unwrap();
    assert_eq!(listed.len(), 8);
    assert_eq!(listed.iter().filter(|row| row.active).count(), 1);
    let active = store.active_ruleset().await.unwrap().unwrap();
    assert!(listed.contains(&active));
}
