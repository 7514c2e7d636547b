//! Records: upserts, insertion order, counts, lookups by id, paging and all-or-nothing batches.

use std::sync::Arc;

use chrono::NaiveDate;
use liaison_core::RecordType;
use liaison_store::{PutOutcome, Store, StoredRecord};

use crate::harness::{record, t0};

/// Every record in insertion order, read page by page.
async fn all_records(store: &dyn Store, page: u32) -> Vec<(i64, StoredRecord)> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |(seq, _)| *seq);
        let next = store.records_page(after, page).await.unwrap();
        assert!(next.len() <= page as usize);
        if next.is_empty() {
            return all;
        }
        all.extend(next);
    }
}

pub async fn upsert_and_read(store: Arc<dyn Store>, _url: &str) {
    let mut person = record(RecordType::Person, "p1", r#"{"name":"Ana"}"#);
    person.retain_until = NaiveDate::from_ymd_opt(2031, 12, 31);
    let batch = [
        person.clone(),
        record(RecordType::Vehicle, "v1", r#"{"plate":"AB-12-CD"}"#),
    ];

    let outcome = store.put_records(&batch, t0()).await.unwrap();
    assert_eq!(
        outcome,
        PutOutcome {
            inserted: 2,
            updated: 0
        }
    );
    assert_eq!(
        store.get_record(RecordType::Person, "p1").await.unwrap(),
        Some(person)
    );
    assert_eq!(
        store.get_record(RecordType::Vehicle, "p1").await.unwrap(),
        None
    );
    assert_eq!(
        store
            .get_record(RecordType::Person, "nobody")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.put_records(&[], t0()).await.unwrap(),
        PutOutcome::default()
    );
}

pub async fn put_is_idempotent(store: Arc<dyn Store>, _url: &str) {
    let batch: Vec<_> = (0..5)
        .map(|i| record(RecordType::Person, &format!("p{i}"), "{}"))
        .collect();
    store.put_records(&batch, t0()).await.unwrap();
    let before = all_records(&*store, 100).await;

    let again = store.put_records(&batch, t0()).await.unwrap();
    assert_eq!(
        again,
        PutOutcome {
            inserted: 0,
            updated: 5
        }
    );
    assert_eq!(all_records(&*store, 100).await, before);
    assert_eq!(store.count_records().await.unwrap()[&RecordType::Person], 5);

    let mut changed = batch[2].clone();
    changed.body = r#"{"name":"changed"}"#.to_owned();
    changed.handling_code = "H3".to_owned();
    let outcome = store
        .put_records(std::slice::from_ref(&changed), t0())
        .await
        .unwrap();
    assert_eq!(
        outcome,
        PutOutcome {
            inserted: 0,
            updated: 1
        }
    );
    assert_eq!(
        store.get_record(RecordType::Person, "p2").await.unwrap(),
        Some(changed)
    );
}

pub async fn keeps_insertion_order_and_pages(store: Arc<dyn Store>, _url: &str) {
    // Ids chosen so that neither id order nor type order is insertion order.
    let order = ["m", "c", "x", "a", "k"];
    for id in order {
        store
            .put_records(&[record(RecordType::Alert, id, "{}")], t0())
            .await
            .unwrap();
    }
    // Overwriting a record keeps its place.
    store
        .put_records(&[record(RecordType::Alert, "c", r#"{"v":2}"#)], t0())
        .await
        .unwrap();

    let all = all_records(&*store, 2).await;
    let ids: Vec<_> = all.iter().map(|(_, r)| r.id.as_str()).collect();
    assert_eq!(ids, order);
    assert!(
        all.windows(2).all(|w| w[0].0 < w[1].0),
        "positions increase"
    );
    assert_eq!(all[1].1.body, r#"{"v":2}"#);

    let after_last = all.last().unwrap().0;
    assert!(store.records_page(after_last, 10).await.unwrap().is_empty());
    assert!(store.records_page(0, 0).await.unwrap().is_empty());
}

pub async fn repeated_key_in_batch(store: Arc<dyn Store>, _url: &str) {
    let batch = [
        record(RecordType::Person, "a", r#"{"v":1}"#),
        record(RecordType::Person, "b", "{}"),
        record(RecordType::Person, "a", r#"{"v":2}"#),
    ];
    let outcome = store.put_records(&batch, t0()).await.unwrap();
    assert_eq!(
        outcome,
        PutOutcome {
            inserted: 2,
            updated: 1
        }
    );
    assert_eq!(
        store
            .get_record(RecordType::Person, "a")
            .await
            .unwrap()
            .unwrap()
            .body,
        r#"{"v":2}"#
    );
    let ids: Vec<_> = all_records(&*store, 10)
        .await
        .into_iter()
        .map(|(_, r)| r.id)
        .collect();
    assert_eq!(ids, ["a", "b"]);
}

pub async fn counts_and_types_with_id(store: Arc<dyn Store>, _url: &str) {
    let batch = [
        record(RecordType::Document, "x1", "{}"),
        record(RecordType::Person, "x1", "{}"),
        record(RecordType::Person, "p2", "{}"),
        record(RecordType::Vehicle, "v1", "{}"),
    ];
    store.put_records(&batch, t0()).await.unwrap();

    let types = store.record_types_with_id("x1").await.unwrap();
    assert_eq!(types, [RecordType::Person, RecordType::Document]);
    assert!(
        store
            .record_types_with_id("nothing")
            .await
            .unwrap()
            .is_empty()
    );

    let counts = store.count_records().await.unwrap();
    assert_eq!(counts.len(), RecordType::ALL.len(), "every type is listed");
    assert_eq!(counts[&RecordType::Person], 2);
    assert_eq!(counts[&RecordType::Document], 1);
    assert_eq!(counts[&RecordType::Vehicle], 1);
    assert_eq!(counts[&RecordType::Case], 0);
}

pub async fn failed_batch_stores_nothing(store: Arc<dyn Store>, _url: &str) {
    store
        .put_records(&[record(RecordType::Person, "kept", r#"{"v":1}"#)], t0())
        .await
        .unwrap();

    // Enough rows for several statements, an update of an existing record early on, and a row the schema
    // refuses (an empty id) at the very end: nothing of it may remain.
    let mut batch: Vec<_> = (0..2_500)
        .map(|i| record(RecordType::Person, &format!("new{i}"), "{}"))
        .collect();
    batch.insert(1, record(RecordType::Person, "kept", r#"{"v":2}"#));
    batch.push(record(RecordType::Person, "", "{}"));
    assert!(store.put_records(&batch, t0()).await.is_err());

    assert_eq!(store.count_records().await.unwrap()[&RecordType::Person], 1);
    assert_eq!(
        store
            .get_record(RecordType::Person, "kept")
            .await
            .unwrap()
            .unwrap()
            .body,
        r#"{"v":1}"#
    );
    assert_eq!(
        store.get_record(RecordType::Person, "new0").await.unwrap(),
        None
    );

    // The store is usable afterwards.
    let outcome = store.put_records(&batch[..10], t0()).await.unwrap();
    assert_eq!(
        outcome,
        PutOutcome {
            inserted: 9,
            updated: 1
        }
    );
}

pub async fn reopen_keeps_data(store: Arc<dyn Store>, url: &str) {
    store
        .put_records(&[record(RecordType::Case, "c1", "{}")], t0())
        .await
        .unwrap();
    store.put_setting("node_id", "nl-police").await.unwrap();

    // A second open runs the migrations again (nothing to do) and sees the same data.
    let reopened = liaison_store::open(url).await.unwrap();
    assert_eq!(reopened.backend(), store.backend());
    reopened.ping().await.unwrap();
    assert!(
        reopened
            .get_record(RecordType::Case, "c1")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        reopened.get_setting("node_id").await.unwrap().as_deref(),
        Some("nl-police")
    );
}

pub async fn bodies_page_by_type(store: Arc<dyn Store>, _url: &str) {
    // Interleaved types; a later overwrite keeps the record's place.
    for (record_type, id) in [
        (RecordType::Person, "p2"),
        (RecordType::Document, "d1"),
        (RecordType::Person, "p1"),
        (RecordType::Alert, "a1"),
        (RecordType::Person, "p3"),
    ] {
        store
            .put_records(
                &[record(record_type, id, &format!(r#"{{"id":"{id}"}}"#))],
                t0(),
            )
            .await
            .unwrap();
    }
    store
        .put_records(&[record(RecordType::Person, "p1", r#"{"v":2}"#)], t0())
        .await
        .unwrap();

    let mut persons = Vec::new();
    let mut after = 0;
    loop {
        let page = store
            .record_bodies_page(RecordType::Person, after, 2)
            .await
            .unwrap();
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = last.0;
        persons.extend(page);
    }
    let ids: Vec<&str> = persons.iter().map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(ids, ["p2", "p1", "p3"]);
    assert_eq!(persons[1].2, r#"{"v":2}"#);
    assert!(persons.windows(2).all(|w| w[0].0 < w[1].0));
    let documents = store
        .record_bodies_page(RecordType::Document, 0, 10)
        .await
        .unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].1, "d1");
    assert!(
        store
            .record_bodies_page(RecordType::Vehicle, 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}
