//! Bulk import throughput on SQLite. Ignored by default and asserts no timing; run it in release:
//! `cargo test --release -p liaison-store --test it -- --ignored --nocapture bulk`.

use std::time::{Duration, Instant};

use liaison_core::RecordType;

use crate::harness::{TestDb, record, t0};

const BATCH: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measures throughput; run in release"]
async fn bulk_put_million_records_sqlite() {
    // `LIAISON_BULK_RECORDS` overrides the count, for quicker comparisons.
    let records: usize =
        std::env::var("LIAISON_BULK_RECORDS").map_or(1_000_000, |n| n.parse().unwrap());
    let db = TestDb::sqlite().await;
    let store = db.store();
    // About 500 bytes of JSON per record; ids as random as real ones, so index inserts are not sequential.
    // Every tenth record is a document held by the person stored just before it, so 10% carry a reference.
    let filler = "x".repeat(420);
    let mut writing = Duration::ZERO;
    let mut holder = String::new();
    for batch_start in (0..records).step_by(BATCH) {
        let batch: Vec<_> = (batch_start..batch_start + BATCH)
            .map(|i| {
                let id = uuid::Uuid::new_v4().simple().to_string();
                let body =
                    format!(r#"{{"id":"{id}","n":{i},"name":"Person {i}","note":"{filler}"}}"#);
                if i % 10 == 9 {
                    let mut document = record(RecordType::Document, &id, &body);
                    document.references = vec![(RecordType::Person, holder.clone())];
                    document
                } else {
                    holder.clone_from(&id);
                    record(RecordType::Person, &id, &body)
                }
            })
            .collect();
        let started = Instant::now();
        let outcome = store.put_records(&batch, t0()).await.unwrap();
        writing += started.elapsed();
        assert_eq!(outcome.inserted, BATCH as u64);
    }
    let counts = store.count_records().await.unwrap();
    assert_eq!(counts[&RecordType::Person], (records - records / 10) as u64);
    assert_eq!(counts[&RecordType::Document], (records / 10) as u64);
    let held = store
        .referencing(RecordType::Person, &holder)
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "the last person holds one document");
    eprintln!(
        "put_records (time in the calls only): {records} records of ~500 bytes, 10% with a reference, in batches of {BATCH}: {:.1} s ({:.0} records/s)",
        writing.as_secs_f64(),
        records as f64 / writing.as_secs_f64()
    );
}
