//! References between records: stored with the record, replaced on update, read back by `get_record` and
//! `records_page`, listed by `referencing`, and guarding `delete_record`.

use std::sync::Arc;

use liaison_core::RecordType::{self, Alert, Case, Document, Person, Relation, Vehicle};
use liaison_store::{Store, StoreError, StoredRecord};

use crate::harness::{record, record_to, t0};

fn keys(items: &[(RecordType, &str)]) -> Vec<(RecordType, String)> {
    items
        .iter()
        .map(|&(record_type, id)| (record_type, id.to_owned()))
        .collect()
}

async fn references_of(
    store: &dyn Store,
    record_type: RecordType,
    id: &str,
) -> Vec<(RecordType, String)> {
    store
        .get_record(record_type, id)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{record_type}/{id} is stored"))
        .references
}

/// Every record, read in pages of `page`.
async fn all_records(store: &dyn Store, page: u32) -> Vec<StoredRecord> {
    let mut all: Vec<(i64, StoredRecord)> = Vec::new();
    loop {
        let after = all.last().map_or(0, |(seq, _)| *seq);
        let next = store.records_page(after, page).await.unwrap();
        if next.is_empty() {
            return all.into_iter().map(|(_, record)| record).collect();
        }
        all.extend(next);
    }
}

pub async fn round_trip(store: Arc<dyn Store>, _url: &str) {
    let mut document = record_to(
        Document,
        "d1",
        &[
            (Person, "p1"),
            (Person, "p2"),
            (Person, "p1"),
            (Vehicle, "p1"),
        ],
    );
    document.body = r#"{"holder":"p1"}"#.to_owned();
    let batch = [
        record(Person, "p1", "{}"),
        document,
        record_to(Alert, "a1", &[(Person, "p1")]),
        // Points at records that are not stored: allowed, imports arrive in any order.
        record_to(Relation, "r1", &[(Person, "p1"), (Person, "nobody")]),
        record(Vehicle, "v1", "{}"),
        record_to(
            Case,
            "c1",
            &[(Vehicle, "v1"), (Alert, "a1"), (Document, "d1")],
        ),
    ];
    store.put_records(&batch, t0()).await.unwrap();

    // Each target once, at its first place; the rest of the record as it was put.
    let mut expected: Vec<StoredRecord> = batch.to_vec();
    expected[1].references = keys(&[(Person, "p1"), (Person, "p2"), (Vehicle, "p1")]);
    let stored = store.get_record(Document, "d1").await.unwrap();
    assert_eq!(stored.as_ref(), Some(&expected[1]));
    for record in &expected {
        assert_eq!(
            references_of(&*store, record.record_type, &record.id).await,
            record.references,
            "{}/{}",
            record.record_type,
            record.id
        );
    }

    // Pages of every size carry the same references, whatever records the page boundaries cut between.
    for page in [1, 2, 4, 100] {
        assert_eq!(
            all_records(&*store, page).await,
            expected,
            "pages of {page}"
        );
    }
}

pub async fn update_replaces_references(store: Arc<dyn Store>, _url: &str) {
    store
        .put_records(
            &[
                record_to(Document, "d1", &[(Person, "p1")]),
                record_to(Document, "d2", &[(Person, "p1"), (Person, "p2")]),
            ],
            t0(),
        )
        .await
        .unwrap();

    store
        .put_records(
            &[record_to(Document, "d1", &[(Person, "p2"), (Person, "p3")])],
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(
        references_of(&*store, Document, "d1").await,
        keys(&[(Person, "p2"), (Person, "p3")])
    );
    assert_eq!(
        store.referencing(Person, "p1").await.unwrap(),
        keys(&[(Document, "d2")])
    );

    // An update without references drops them; the other record keeps its own.
    store
        .put_records(&[record(Document, "d1", "{}")], t0())
        .await
        .unwrap();
    assert!(references_of(&*store, Document, "d1").await.is_empty());
    assert_eq!(
        references_of(&*store, Document, "d2").await,
        keys(&[(Person, "p1"), (Person, "p2")])
    );

    // A key repeated within a batch ends with the references of its last occurrence.
    store
        .put_records(
            &[
                record_to(Document, "d3", &[(Person, "p1")]),
                record_to(Document, "d3", &[(Person, "p4")]),
            ],
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(
        references_of(&*store, Document, "d3").await,
        keys(&[(Person, "p4")])
    );

    // A batch of several statements, with updates only in its last chunk and new records around them.
    let mut batch: Vec<_> = (0..2_500)
        .map(|i| record_to(Document, &format!("n{i}"), &[(Person, "p9")]))
        .collect();
    batch.push(record_to(Document, "d2", &[(Person, "p5")]));
    batch.push(record_to(Document, "d1", &[(Person, "p5"), (Person, "p6")]));
    let outcome = store.put_records(&batch, t0()).await.unwrap();
    assert_eq!((outcome.inserted, outcome.updated), (2_500, 2));
    assert_eq!(
        references_of(&*store, Document, "d2").await,
        keys(&[(Person, "p5")])
    );
    assert_eq!(
        references_of(&*store, Document, "d1").await,
        keys(&[(Person, "p5"), (Person, "p6")])
    );
    assert_eq!(store.referencing(Person, "p9").await.unwrap().len(), 2_500);
    assert!(store.referencing(Person, "p1").await.unwrap().is_empty());

    // Putting the same batch again changes nothing.
    store.put_records(&batch, t0()).await.unwrap();
    assert_eq!(store.referencing(Person, "p9").await.unwrap().len(), 2_500);
    assert_eq!(
        store.referencing(Person, "p5").await.unwrap(),
        keys(&[(Document, "d1"), (Document, "d2")])
    );
}

pub async fn referencing_lists_referrers_in_order(store: Arc<dyn Store>, _url: &str) {
    let batch = [
        record(Person, "p1", "{}"),
        record_to(Case, "c1", &[(Person, "p1")]),
        record_to(Relation, "r1", &[(Person, "p2"), (Person, "p1")]),
        record_to(Document, "d2", &[(Person, "p1")]),
        record_to(Alert, "a1", &[(Person, "p1")]),
        record_to(Document, "d1", &[(Person, "p1")]),
        // Same id, other type: not a reference to person/p1.
        record_to(Vehicle, "v1", &[(Vehicle, "p1")]),
    ];
    store.put_records(&batch, t0()).await.unwrap();

    assert_eq!(
        store.referencing(Person, "p1").await.unwrap(),
        keys(&[
            (Document, "d1"),
            (Document, "d2"),
            (Alert, "a1"),
            (Relation, "r1"),
            (Case, "c1"),
        ])
    );
    // Whether the target is stored or not.
    assert_eq!(
        store.referencing(Person, "p2").await.unwrap(),
        keys(&[(Relation, "r1")])
    );
    assert_eq!(
        store.referencing(Vehicle, "p1").await.unwrap(),
        keys(&[(Vehicle, "v1")])
    );
    assert!(
        store
            .referencing(Person, "nobody")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.referencing(Case, "c1").await.unwrap().is_empty());
}

pub async fn delete_refused_while_referenced(store: Arc<dyn Store>, _url: &str) {
    let batch = [
        record(Person, "p1", r#"{"name":"Ana"}"#),
        record_to(Document, "d1", &[(Person, "p1")]),
        record_to(Alert, "a1", &[(Person, "p1"), (Document, "d1")]),
        // A record's reference to itself does not keep it.
        record_to(Vehicle, "v1", &[(Vehicle, "v1"), (Person, "p1")]),
    ];
    store.put_records(&batch, t0()).await.unwrap();
    let before = all_records(&*store, 100).await;

    let err = store.delete_record(Person, "p1").await.unwrap_err();
    match &err {
        StoreError::Referenced { by } => {
            assert_eq!(
                by,
                &keys(&[(Document, "d1"), (Vehicle, "v1"), (Alert, "a1")])
            );
        }
        other => panic!("expected Referenced, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "the record is referenced by document/d1, vehicle/v1, alert/a1"
    );
    assert_eq!(
        all_records(&*store, 100).await,
        before,
        "a refused delete changes nothing"
    );

    // The self-referencing vehicle goes, with its references.
    assert!(store.delete_record(Vehicle, "v1").await.unwrap());
    assert_eq!(store.get_record(Vehicle, "v1").await.unwrap(), None);
    assert!(store.referencing(Vehicle, "v1").await.unwrap().is_empty());

    // The document drops its link by an update; the alert still holds p1, then is deleted itself.
    store
        .put_records(&[record(Document, "d1", "{}")], t0())
        .await
        .unwrap();
    let err = store.delete_record(Person, "p1").await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Referenced { by } if by == &keys(&[(Alert, "a1")])),
        "{err:?}"
    );
    // The document is referenced by the alert too.
    assert!(store.delete_record(Document, "d1").await.is_err());
    assert!(store.delete_record(Alert, "a1").await.unwrap());
    assert!(store.referencing(Person, "p1").await.unwrap().is_empty());
    assert!(store.delete_record(Person, "p1").await.unwrap());
    assert!(store.delete_record(Document, "d1").await.unwrap());

    assert_eq!(store.get_record(Person, "p1").await.unwrap(), None);
    assert!(all_records(&*store, 100).await.is_empty());
    assert!(
        store
            .count_records()
            .await
            .unwrap()
            .values()
            .all(|&n| n == 0)
    );

    // Deleting what is not there.
    assert!(!store.delete_record(Person, "p1").await.unwrap());
    assert!(!store.delete_record(Case, "never").await.unwrap());

    // A deleted record stored again is the same target to a record that pointed at it meanwhile.
    store
        .put_records(&[record_to(Alert, "a2", &[(Person, "p1")])], t0())
        .await
        .unwrap();
    store
        .put_records(&[record(Person, "p1", "{}")], t0())
        .await
        .unwrap();
    assert!(matches!(
        store.delete_record(Person, "p1").await,
        Err(StoreError::Referenced { .. })
    ));
}

pub async fn failed_batch_stores_no_references(store: Arc<dyn Store>, _url: &str) {
    store
        .put_records(&[record_to(Document, "kept", &[(Person, "p1")])], t0())
        .await
        .unwrap();

    // An update replacing the kept record's references, new records with references over several
    // statements, and a row the schema refuses at the very end.
    let mut batch: Vec<_> = (0..2_500)
        .map(|i| record_to(Document, &format!("new{i}"), &[(Person, "p2")]))
        .collect();
    batch.insert(1, record_to(Document, "kept", &[(Person, "p3")]));
    batch.push(record(Person, "", "{}"));
    assert!(store.put_records(&batch, t0()).await.is_err());

    // A reference the schema refuses (an empty id) fails its batch the same way.
    let refused = [
        record_to(Document, "kept", &[(Person, "p4")]),
        record_to(Document, "other", &[(Person, "p2"), (Person, "")]),
    ];
    assert!(store.put_records(&refused, t0()).await.is_err());

    assert_eq!(
        references_of(&*store, Document, "kept").await,
        keys(&[(Person, "p1")])
    );
    assert_eq!(
        store.referencing(Person, "p1").await.unwrap(),
        keys(&[(Document, "kept")])
    );
    for target in ["p2", "p3", "p4"] {
        assert!(
            store.referencing(Person, target).await.unwrap().is_empty(),
            "{target}"
        );
    }
    assert_eq!(store.count_records().await.unwrap()[&Document], 1);
}
