//! The audit log: chaining, search, verification, and detection of tampering done behind the store's back.

use std::sync::Arc;

use chrono::{SubsecRound, TimeDelta};
use liaison_crypto::sha256_hex;
use liaison_store::{
    AuditEntry, AuditFilter, AuditVerifyError, GENESIS_HASH, Store, audit_canonical_bytes,
    verify_audit,
};

use crate::harness::{draft, drop_audit_triggers, raw_execute, t0};

/// Appends `count` entries one second apart.
async fn append(store: &dyn Store, count: usize) -> Vec<AuditEntry> {
    let mut entries = Vec::with_capacity(count);
    for i in 0..count {
        let at = t0() + TimeDelta::seconds(i as i64);
        let entry = store
            .append_audit(&draft(
                "alice",
                "record.read",
                &[&format!("person/p{i}")],
                at,
            ))
            .await;
        entries.push(entry.unwrap());
    }
    entries
}

/// Verification fails, naming `seq` in its message.
async fn assert_fails_at(store: &dyn Store, seq: i64) -> AuditVerifyError {
    let err = verify_audit(store).await.unwrap_err();
    assert_eq!(err.seq(), Some(seq), "{err}");
    assert!(
        err.to_string().contains(&format!("audit entry {seq} ")),
        "{err}"
    );
    err
}

pub async fn append_builds_a_chain(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.audit_head().await.unwrap(), None);
    let mut first = draft("alice", "record.read", &["person/p1", "document/d1"], t0());
    first.case_ref = Some("case-7".to_owned());
    first.recipients = vec!["de-bka".to_owned()];
    first.detail = Some("matched \"Ana\"\nby name".to_owned());
    first.request_id = Some("req-1".to_owned());
    let a = store.append_audit(&first).await.unwrap();
    let b = store
        .append_audit(&draft("token:t1", "search", &[], t0()))
        .await
        .unwrap();
    let c = store
        .append_audit(&draft("system", "retention.purge", &["case/c1"], t0()))
        .await
        .unwrap();

    assert_eq!((a.seq, b.seq, c.seq), (1, 2, 3));
    assert_eq!(a.prev_hash, GENESIS_HASH);
    assert_eq!(b.prev_hash, a.hash);
    assert_eq!(c.prev_hash, b.hash);
    assert_eq!(a.at, t0().trunc_subsecs(6), "kept to the microsecond");
    assert_eq!(a.hash, sha256_hex(&audit_canonical_bytes(&a)));
    assert_eq!(
        (a.case_ref.as_deref(), a.recipients.as_slice()),
        (Some("case-7"), &["de-bka".to_owned()][..])
    );

    // What is read back is exactly what was hashed.
    assert_eq!(
        store.audit_page(0, 10).await.unwrap(),
        [a.clone(), b.clone(), c.clone()]
    );
    assert_eq!(store.audit_page(1, 1).await.unwrap(), [b]);
    assert_eq!(store.audit_head().await.unwrap(), Some((3, c.hash)));
}

pub async fn search_filters(store: Arc<dyn Store>, _url: &str) {
    let drafts = [
        draft("alice", "record.read", &["person/p1"], t0()),
        draft(
            "bob",
            "record.read",
            &["person/p10"],
            t0() + TimeDelta::minutes(1),
        ),
        draft(
            "alice",
            "search",
            &["person/p1", "vehicle/v1"],
            t0() + TimeDelta::minutes(2),
        ),
        draft(
            "bob",
            "disclosure.send",
            &["person/p_1"],
            t0() + TimeDelta::minutes(3),
        ),
        draft(
            "alice",
            "record.read",
            &["vehicle/v1"],
            t0() + TimeDelta::minutes(4),
        ),
    ];
    for d in &drafts {
        store.append_audit(d).await.unwrap();
    }
    let seqs = |entries: Vec<AuditEntry>| entries.into_iter().map(|e| e.seq).collect::<Vec<_>>();
    let search = |filter: AuditFilter| {
        let store = Arc::clone(&store);
        async move {
            seqs(
                store
                    .audit_search(&AuditFilter {
                        limit: 100,
                        ..filter
                    })
                    .await
                    .unwrap(),
            )
        }
    };

    assert_eq!(search(AuditFilter::default()).await, [1, 2, 3, 4, 5]);
    assert_eq!(
        search(AuditFilter {
            actor: Some("alice".into()),
            ..Default::default()
        })
        .await,
        [1, 3, 5]
    );
    assert_eq!(
        search(AuditFilter {
            action: Some("record.read".into()),
            ..Default::default()
        })
        .await,
        [1, 2, 5]
    );
    // Objects match exactly: not person/p10, and `_` is no wildcard.
    assert_eq!(
        search(AuditFilter {
            object: Some("person/p1".into()),
            ..Default::default()
        })
        .await,
        [1, 3]
    );
    assert_eq!(
        search(AuditFilter {
            object: Some("person/p_1".into()),
            ..Default::default()
        })
        .await,
        [4]
    );
    assert_eq!(
        search(AuditFilter {
            object: Some("person".into()),
            ..Default::default()
        })
        .await,
        [0; 0]
    );
    // `from` is inclusive, `to` exclusive.
    let window = AuditFilter {
        from: Some(t0() + TimeDelta::minutes(1)),
        to: Some(t0() + TimeDelta::minutes(3)),
        ..Default::default()
    };
    assert_eq!(search(window).await, [2, 3]);
    let combined = AuditFilter {
        actor: Some("alice".into()),
        object: Some("vehicle/v1".into()),
        after_seq: Some(3),
        ..Default::default()
    };
    assert_eq!(search(combined).await, [5]);
    let page = store
        .audit_search(&AuditFilter {
            actor: Some("alice".into()),
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(seqs(page), [1, 3]);
}

pub async fn verify_passes_on_untouched_log(store: Arc<dyn Store>, _url: &str) {
    let empty = verify_audit(&*store).await.unwrap();
    assert_eq!(
        (empty.entries, empty.head_seq, empty.head_hash),
        (0, None, None)
    );

    // More entries than one verification page.
    let entries = append(&*store, 1_050).await;
    let verified = verify_audit(&*store).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(verified.entries, 1_050);
    assert_eq!(verified.head_seq, Some(last.seq));
    assert_eq!(verified.head_hash.as_deref(), Some(last.hash.as_str()));
}

pub async fn triggers_refuse_changes(store: Arc<dyn Store>, url: &str) {
    append(&*store, 3).await;
    for statement in [
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET last_seq = 2",
    ] {
        let refused = raw_execute(url, &[statement.to_owned()]).await;
        assert!(refused.is_err(), "{statement} was allowed");
    }
    verify_audit(&*store).await.unwrap();
    // The head still moves with appends.
    append(&*store, 1).await;
    assert_eq!(store.audit_head().await.unwrap().unwrap().0, 4);
}

pub async fn detects_altered_field(store: Arc<dyn Store>, url: &str) {
    append(&*store, 5).await;
    drop_audit_triggers(url).await;
    raw_execute(
        url,
        &["UPDATE audit_log SET actor = 'mallory' WHERE seq = 3".to_owned()],
    )
    .await
    .unwrap();
    let err = assert_fails_at(&*store, 3).await;
    assert!(matches!(err, AuditVerifyError::Altered { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "audit entry 3 was altered: its hash does not match its contents"
    );
}

pub async fn detects_rehashed_entry(store: Arc<dyn Store>, url: &str) {
    // Someone alters entry 3 and recomputes its hash: entry 3 is consistent on its own, entry 4 no longer
    // links to it.
    let entries = append(&*store, 5).await;
    let mut forged = entries[2].clone();
    forged.outcome = "denied".to_owned();
    forged.hash = sha256_hex(&audit_canonical_bytes(&forged));
    drop_audit_triggers(url).await;
    let statement = format!(
        "UPDATE audit_log SET outcome = 'denied', hash = '{}' WHERE seq = 3",
        forged.hash
    );
    raw_execute(url, &[statement]).await.unwrap();
    let err = assert_fails_at(&*store, 4).await;
    assert!(matches!(err, AuditVerifyError::BrokenLink { .. }), "{err}");
}

pub async fn detects_deleted_middle_entry(store: Arc<dyn Store>, url: &str) {
    append(&*store, 5).await;
    drop_audit_triggers(url).await;
    raw_execute(url, &["DELETE FROM audit_log WHERE seq = 3".to_owned()])
        .await
        .unwrap();
    let err = assert_fails_at(&*store, 3).await;
    assert!(
        matches!(err, AuditVerifyError::Missing { found: 4, .. }),
        "{err}"
    );
}

pub async fn detects_deleted_last_entry(store: Arc<dyn Store>, url: &str) {
    append(&*store, 5).await;
    drop_audit_triggers(url).await;
    raw_execute(url, &["DELETE FROM audit_log WHERE seq = 5".to_owned()])
        .await
        .unwrap();
    let err = assert_fails_at(&*store, 5).await;
    assert!(
        matches!(err, AuditVerifyError::Truncated { head: 5, .. }),
        "{err}"
    );
}

pub async fn detects_swapped_entries(store: Arc<dyn Store>, url: &str) {
    append(&*store, 5).await;
    drop_audit_triggers(url).await;
    // Entries 2 and 4 trade places: each keeps its own contents and hash but sits at the other's seq.
    let swap = [
        "UPDATE audit_log SET seq = 1000 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = 1000",
    ]
    .map(str::to_owned);
    raw_execute(url, &swap).await.unwrap();
    assert_fails_at(&*store, 2).await;
}

pub async fn detects_altered_head(store: Arc<dyn Store>, url: &str) {
    append(&*store, 5).await;
    let on = if url.starts_with("sqlite:") {
        ""
    } else {
        " ON audit_head"
    };
    let forged = "f".repeat(64);
    let statements = [
        format!("DROP TRIGGER audit_head_advance_only{on}"),
        format!("UPDATE audit_head SET last_hash = '{forged}'"),
    ];
    raw_execute(url, &statements).await.unwrap();
    let err = assert_fails_at(&*store, 5).await;
    assert!(
        matches!(err, AuditVerifyError::HeadMismatch { .. }),
        "{err}"
    );
}

pub async fn concurrent_appends_form_a_valid_chain(store: Arc<dyn Store>, _url: &str) {
    let appends: Vec<_> = (0..50)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let d = draft(&format!("user{i}"), "record.read", &[], t0());
                store.append_audit(&d).await.unwrap()
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for append in appends {
        seqs.push(append.await.unwrap().seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=50).collect::<Vec<i64>>());
    let verified = verify_audit(&*store).await.unwrap();
    assert_eq!((verified.entries, verified.head_seq), (50, Some(50)));
}
