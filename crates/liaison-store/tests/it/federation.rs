//! Federation: pinned partners and their agreement versions, the outbox through delivery, retries and giving
//! up, the idempotent inbox and seen envelope ids (also under concurrent deliveries), hit references, and
//! disclosure requests whose first decision wins.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use liaison_core::RecordType;
use liaison_store::{
    AgreementRow, DisclosureRow, HitRefRow, InboxRow, OutboxRow, PartnerRow, Store, StoreError,
};

use crate::harness::{raw_execute, t0};

/// `t0` plus `minutes`, as the store gives it back (to the microsecond).
fn at(minutes: i64) -> DateTime<Utc> {
    (t0() + TimeDelta::minutes(minutes)).trunc_subsecs(6)
}

fn partner(node_id: &str, fingerprint: &str) -> PartnerRow {
    PartnerRow {
        node_id: node_id.to_owned(),
        name: format!("Police of {node_id}"),
        country: "NLD".to_owned(),
        endpoint: format!("https://{node_id}.example:8443"),
        tls_fingerprint: fingerprint.to_owned(),
        tls_certificate: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"
            .to_owned(),
        signing_key: "ed25519:Zm9vYmFy".to_owned(),
        card: format!(r#"{{"id":"{node_id}","signature":"..."}}"#),
        status: "active".to_owned(),
        added_at: at(0),
        updated_at: at(0),
    }
}

/// A pending envelope to `recipient` created at `at(minutes)`, due at once. Its bytes are not UTF-8.
fn outgoing(id: &str, recipient: &str, minutes: i64) -> OutboxRow {
    OutboxRow {
        id: id.to_owned(),
        recipient: recipient.to_owned(),
        kind: "disclosure_request".to_owned(),
        envelope: vec![0, 0xff, 0xfe, b'{', 0x80, b'}', 0],
        created_at: at(minutes),
        attempts: 0,
        next_attempt_at: at(minutes),
        state: "pending".to_owned(),
        last_error: None,
        delivered_at: None,
    }
}

fn incoming(id: &str, sender: &str, minutes: i64) -> InboxRow {
    InboxRow {
        id: id.to_owned(),
        sender: sender.to_owned(),
        kind: "disclosure_decision".to_owned(),
        envelope: format!(r#"{{"v":1,"id":"{id}"}}"#).into_bytes(),
        received_at: at(minutes),
        processed: false,
    }
}

fn hit_ref(reference: &str, minutes_to_expiry: i64) -> HitRefRow {
    HitRefRow {
        hit_ref: reference.to_owned(),
        requester: "node-b".to_owned(),
        record_type: RecordType::Person,
        record_id: "p-42".to_owned(),
        correlation_id: "0190f5a2-7c1e-7000-8000-0000000000aa".to_owned(),
        purpose: "border_check".to_owned(),
        created_at: at(0),
        expires_at: at(minutes_to_expiry),
    }
}

fn disclosure(id: &str, direction: &str, minutes: i64) -> DisclosureRow {
    DisclosureRow {
        id: id.to_owned(),
        direction: direction.to_owned(),
        partner: "node-b".to_owned(),
        hit_ref: "hr-1".to_owned(),
        purpose: "criminal_investigation".to_owned(),
        legal_basis: "Directive (EU) 2023/977 Art. 4".to_owned(),
        case_ref: Some("NL-2026-0042".to_owned()),
        requested_by: "officer1".to_owned(),
        state: "pending".to_owned(),
        decided_by: None,
        reason: None,
        record: None,
        created_at: at(minutes),
        decided_at: None,
    }
}

fn ids<T>(rows: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|row| id(row).to_owned()).collect()
}

fn counts(pending: u64, delivered: u64, failed: u64) -> BTreeMap<String, u64> {
    [
        ("pending", pending),
        ("delivered", delivered),
        ("failed", failed),
    ]
    .into_iter()
    .map(|(state, count)| (state.to_owned(), count))
    .collect()
}

pub async fn partners_round_trip(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.list_partners().await.unwrap(), []);
    assert_eq!(store.get_partner("node-b").await.unwrap(), None);
    assert_eq!(
        store.partner_by_fingerprint("sha256:bb").await.unwrap(),
        None
    );

    // Sub-microsecond digits are dropped; listed by node id in byte order ("Z" before "a").
    let mut b = partner("node-b", "sha256:bb");
    b.added_at = t0();
    b.updated_at = t0();
    let stored_b = PartnerRow {
        added_at: at(0),
        updated_at: at(0),
        ..b.clone()
    };
    let a = partner("node-a", "sha256:aa");
    let z = partner("node-Z", "sha256:zz");
    for row in [&b, &a, &z] {
        store.put_partner(row).await.unwrap();
    }
    assert_eq!(
        store.get_partner("node-b").await.unwrap(),
        Some(stored_b.clone())
    );
    assert_eq!(
        store.partner_by_fingerprint("sha256:bb").await.unwrap(),
        Some(stored_b.clone())
    );
    assert_eq!(
        store.list_partners().await.unwrap(),
        [z.clone(), a.clone(), stored_b.clone()]
    );

    // Replacing by node id: a new certificate, endpoint and status; the time it was first added stays.
    let mut renewed = partner("node-b", "sha256:b2");
    renewed.endpoint = "https://b.example:9443".to_owned();
    renewed.status = "revoked".to_owned();
    renewed.added_at = at(30);
    renewed.updated_at = at(30);
    store.put_partner(&renewed).await.unwrap();
    let stored_renewed = PartnerRow {
        added_at: at(0),
        ..renewed.clone()
    };
    assert_eq!(
        store.get_partner("node-b").await.unwrap(),
        Some(stored_renewed.clone())
    );
    assert_eq!(
        store.partner_by_fingerprint("sha256:bb").await.unwrap(),
        None
    );
    assert_eq!(
        store.partner_by_fingerprint("sha256:b2").await.unwrap(),
        Some(stored_renewed.clone())
    );
    assert_eq!(store.list_partners().await.unwrap().len(), 3);

    // One certificate names one partner.
    let thief = partner("node-c", "sha256:aa");
    let err = store.put_partner(&thief).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("sha256:aa")),
        "{err:?}"
    );
    assert_eq!(store.get_partner("node-c").await.unwrap(), None);
    let mut moved = partner("node-a", "sha256:zz");
    moved.name = "changed".to_owned();
    assert!(matches!(
        store.put_partner(&moved).await.unwrap_err(),
        StoreError::Conflict(_)
    ));
    assert_eq!(store.get_partner("node-a").await.unwrap(), Some(a));

    let mut odd = partner("node-d", "sha256:dd");
    odd.status = "suspended".to_owned();
    let err = store.put_partner(&odd).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(what) if what.contains("suspended")),
        "{err:?}"
    );
    assert_eq!(store.get_partner("node-d").await.unwrap(), None);
}

pub async fn agreements_are_versioned_per_partner(store: Arc<dyn Store>, _url: &str) {
    let err = store
        .add_agreement("node-b", "partner = \"node-b\"", "admin1", t0())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotFound(what) if what.contains("node-b")),
        "{err:?}"
    );
    store
        .put_partner(&partner("node-b", "sha256:bb"))
        .await
        .unwrap();
    store
        .put_partner(&partner("node-c", "sha256:cc"))
        .await
        .unwrap();
    assert_eq!(store.current_agreement("node-b").await.unwrap(), None);
    assert_eq!(store.list_agreements("node-b").await.unwrap(), []);

    let first = store
        .add_agreement("node-b", "step1 = \"hit_only\"", "admin1", t0())
        .await
        .unwrap();
    assert_eq!(
        first,
        AgreementRow {
            partner: "node-b".to_owned(),
            version: 1,
            text: "step1 = \"hit_only\"".to_owned(),
            created_by: "admin1".to_owned(),
            created_at: at(0),
        }
    );
    let second = store
        .add_agreement(
            "node-b",
            "step1 = \"summary\"",
            "admin2",
            t0() + TimeDelta::days(1),
        )
        .await
        .unwrap();
    assert_eq!(second.version, 2);
    // Each partner has its own numbering.
    let other = store
        .add_agreement("node-c", "step1 = \"category\"", "admin1", t0())
        .await
        .unwrap();
    assert_eq!(other.version, 1);

    assert_eq!(
        store.current_agreement("node-b").await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(
        store.list_agreements("node-b").await.unwrap(),
        [second, first]
    );
    assert_eq!(
        store.current_agreement("node-c").await.unwrap(),
        Some(other.clone())
    );
    assert_eq!(store.list_agreements("node-c").await.unwrap(), [other]);
    assert_eq!(store.current_agreement("node-x").await.unwrap(), None);
}

pub async fn concurrent_agreements_get_distinct_versions(store: Arc<dyn Store>, _url: &str) {
    for node in ["node-b", "node-c"] {
        store
            .put_partner(&partner(node, &format!("sha256:{node}")))
            .await
            .unwrap();
    }
    let adds: Vec<_> = (0..16)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let node = if i % 2 == 0 { "node-b" } else { "node-c" };
                let text = format!("rate_limit_per_minute = {i}");
                let row = store
                    .add_agreement(node, &text, "admin1", t0())
                    .await
                    .unwrap();
                (node, row.version)
            })
        })
        .collect();
    let mut versions: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for add in adds {
        let (node, version) = add.await.unwrap();
        versions.entry(node).or_default().push(version);
    }
    for node in ["node-b", "node-c"] {
        let mut got = versions.remove(node).unwrap();
        got.sort_unstable();
        assert_eq!(got, (1..=8).collect::<Vec<i64>>(), "{node}");
        assert_eq!(
            store
                .current_agreement(node)
                .await
                .unwrap()
                .unwrap()
                .version,
            8
        );
        assert_eq!(store.list_agreements(node).await.unwrap().len(), 8);
    }
}

pub async fn outbox_delivery_cycle(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.outbox_counts().await.unwrap(), counts(0, 0, 0));
    assert_eq!(store.due_outbox(at(60), 10).await.unwrap(), []);
    assert_eq!(store.get_outbox("e-1").await.unwrap(), None);

    // Enqueued out of order; due oldest first, ties by id.
    let mut late = outgoing("e-3", "node-b", 2);
    late.next_attempt_at = at(30);
    let rows = [
        outgoing("e-2", "node-c", 1),
        late.clone(),
        outgoing("e-1b", "node-b", 0),
        outgoing("e-1a", "node-b", 0),
    ];
    for row in &rows {
        store.enqueue_outbox(row).await.unwrap();
    }
    assert_eq!(
        store.get_outbox("e-2").await.unwrap(),
        Some(rows[0].clone())
    );
    let due = store.due_outbox(at(1), 10).await.unwrap();
    assert_eq!(ids(&due, |row| &row.id), ["e-1a", "e-1b", "e-2"]);
    assert_eq!(due[2], rows[0]);
    assert_eq!(
        ids(&store.due_outbox(at(1), 2).await.unwrap(), |row| &row.id),
        ["e-1a", "e-1b"]
    );
    assert_eq!(
        ids(&store.due_outbox(at(0), 10).await.unwrap(), |row| &row.id),
        ["e-1a", "e-1b"]
    );
    assert_eq!(
        ids(&store.due_outbox(at(30), 10).await.unwrap(), |row| &row.id),
        ["e-1a", "e-1b", "e-2", "e-3"]
    );

    // An id is enqueued once; an unknown state is refused.
    let err = store
        .enqueue_outbox(&outgoing("e-2", "node-x", 9))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("e-2")),
        "{err:?}"
    );
    assert_eq!(
        store.get_outbox("e-2").await.unwrap(),
        Some(rows[0].clone())
    );
    let mut odd = outgoing("e-9", "node-b", 0);
    odd.state = "sent".to_owned();
    assert!(matches!(
        store.enqueue_outbox(&odd).await.unwrap_err(),
        StoreError::Invalid(_)
    ));
    assert_eq!(store.get_outbox("e-9").await.unwrap(), None);

    // A failed attempt: not due until its next attempt, with its count and error.
    assert!(
        store
            .reschedule_outbox(
                "e-1a",
                1,
                t0() + TimeDelta::minutes(10),
                "connection refused"
            )
            .await
            .unwrap()
    );
    let retried = store.get_outbox("e-1a").await.unwrap().unwrap();
    assert_eq!(
        (
            retried.attempts,
            retried.next_attempt_at,
            retried.last_error.as_deref(),
            retried.state.as_str()
        ),
        (1, at(10), Some("connection refused"), "pending")
    );
    assert_eq!(
        ids(&store.due_outbox(at(9), 10).await.unwrap(), |row| &row.id),
        ["e-1b", "e-2"]
    );
    assert_eq!(
        ids(&store.due_outbox(at(10), 10).await.unwrap(), |row| &row.id),
        ["e-1a", "e-1b", "e-2"]
    );

    // Delivered after a retry: the error of the last failed attempt stays for the record.
    assert!(
        store
            .mark_delivered("e-1a", t0() + TimeDelta::minutes(11))
            .await
            .unwrap()
    );
    let delivered = store.get_outbox("e-1a").await.unwrap().unwrap();
    assert_eq!(
        OutboxRow {
            state: "delivered".to_owned(),
            delivered_at: Some(at(11)),
            ..retried
        },
        delivered
    );
    // Given up on.
    assert!(
        store
            .fail_outbox("e-2", "gave up after 12 attempts")
            .await
            .unwrap()
    );
    let failed = store.get_outbox("e-2").await.unwrap().unwrap();
    assert_eq!(
        (
            failed.state.as_str(),
            failed.last_error.as_deref(),
            failed.delivered_at
        ),
        ("failed", Some("gave up after 12 attempts"), None)
    );
    assert_eq!(
        ids(&store.due_outbox(at(60), 10).await.unwrap(), |row| &row.id),
        ["e-1b", "e-3"]
    );
    assert_eq!(store.outbox_counts().await.unwrap(), counts(2, 1, 1));

    // Once delivered or given up on, an envelope stays so; unknown ids change nothing.
    for id in ["e-1a", "e-2", "nobody"] {
        assert!(!store.mark_delivered(id, at(20)).await.unwrap(), "{id}");
        assert!(
            !store
                .reschedule_outbox(id, 5, at(20), "late")
                .await
                .unwrap(),
            "{id}"
        );
        assert!(!store.fail_outbox(id, "late").await.unwrap(), "{id}");
    }
    assert_eq!(store.get_outbox("e-1a").await.unwrap(), Some(delivered));
    assert_eq!(store.get_outbox("e-2").await.unwrap(), Some(failed));
    assert_eq!(store.outbox_counts().await.unwrap(), counts(2, 1, 1));

    // The largest attempt count round-trips.
    assert!(
        store
            .reschedule_outbox("e-3", u32::MAX, at(40), "still down")
            .await
            .unwrap()
    );
    assert_eq!(
        store.get_outbox("e-3").await.unwrap().unwrap().attempts,
        u32::MAX
    );
}

pub async fn inbox_is_idempotent(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.inbox_ids(None).await.unwrap(), Vec::<String>::new());
    assert_eq!(store.get_inbox("m-1").await.unwrap(), None);
    assert_eq!(store.unprocessed_inbox(10).await.unwrap(), []);

    let mut first = incoming("m-1", "node-b", 0);
    first.received_at = t0();
    assert!(store.receive_inbox(&first).await.unwrap());
    let stored_first = InboxRow {
        received_at: at(0),
        ..first.clone()
    };
    assert_eq!(
        store.get_inbox("m-1").await.unwrap(),
        Some(stored_first.clone())
    );

    // The same id again, even with other content, leaves the first as it was.
    let mut again = incoming("m-1", "node-c", 5);
    again.envelope = b"replayed".to_vec();
    again.processed = true;
    assert!(!store.receive_inbox(&again).await.unwrap());
    assert_eq!(
        store.get_inbox("m-1").await.unwrap(),
        Some(stored_first.clone())
    );

    // Receipt order, whatever the ids or times say.
    let mut binary = incoming("m-0", "node-c", -5);
    binary.envelope = (0..=255).collect();
    for row in [
        &binary,
        &incoming("m-9", "node-b", 1),
        &incoming("m-5", "node-c", 2),
    ] {
        assert!(store.receive_inbox(row).await.unwrap());
    }
    assert_eq!(store.get_inbox("m-0").await.unwrap(), Some(binary.clone()));
    assert_eq!(
        store.inbox_ids(None).await.unwrap(),
        ["m-1", "m-0", "m-9", "m-5"]
    );
    assert_eq!(
        store.inbox_ids(Some("node-b")).await.unwrap(),
        ["m-1", "m-9"]
    );
    assert_eq!(
        store.inbox_ids(Some("node-c")).await.unwrap(),
        ["m-0", "m-5"]
    );
    assert_eq!(
        store.inbox_ids(Some("node-x")).await.unwrap(),
        Vec::<String>::new()
    );

    // Processing marks an envelope once; what is left to process stays in receipt order.
    assert!(store.mark_processed("m-0").await.unwrap());
    assert!(!store.mark_processed("m-0").await.unwrap());
    assert!(!store.mark_processed("nobody").await.unwrap());
    assert!(store.get_inbox("m-0").await.unwrap().unwrap().processed);
    assert_eq!(
        ids(&store.unprocessed_inbox(10).await.unwrap(), |row| &row.id),
        ["m-1", "m-9", "m-5"]
    );
    assert_eq!(store.unprocessed_inbox(1).await.unwrap(), [stored_first]);
    // An envelope may be stored already processed (applied in the same step as it was received).
    let mut applied = incoming("m-7", "node-b", 3);
    applied.processed = true;
    assert!(store.receive_inbox(&applied).await.unwrap());
    assert_eq!(store.get_inbox("m-7").await.unwrap(), Some(applied));
    assert_eq!(store.unprocessed_inbox(10).await.unwrap().len(), 3);
    assert_eq!(store.inbox_ids(None).await.unwrap().len(), 5);
}

pub async fn concurrent_deliveries_are_stored_once(store: Arc<dyn Store>, _url: &str) {
    // Each envelope arrives four times at once; exactly one delivery of each is new.
    let envelopes = 16;
    let deliveries: Vec<_> = (0..envelopes * 4)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let id = format!("m-{:02}", i % envelopes);
                let row = incoming(&id, "node-b", i64::from(i));
                (id, store.receive_inbox(&row).await.unwrap())
            })
        })
        .collect();
    let mut new: BTreeMap<String, u32> = BTreeMap::new();
    for delivery in deliveries {
        let (id, is_new) = delivery.await.unwrap();
        *new.entry(id).or_default() += u32::from(is_new);
    }
    assert_eq!(new.len(), 16);
    assert!(new.values().all(|&count| count == 1), "{new:?}");
    assert_eq!(store.inbox_ids(None).await.unwrap().len(), 16);
}

pub async fn seen_envelopes_refuse_replays(store: Arc<dyn Store>, _url: &str) {
    assert!(
        store
            .remember_envelope("s-1", "node-b", t0())
            .await
            .unwrap()
    );
    assert!(
        !store
            .remember_envelope("s-1", "node-b", at(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .remember_envelope("s-1", "node-c", at(1))
            .await
            .unwrap()
    );
    assert!(
        store
            .remember_envelope("s-2", "node-b", at(5))
            .await
            .unwrap()
    );
    assert!(
        store
            .remember_envelope("s-3", "node-c", at(10))
            .await
            .unwrap()
    );

    // Replays of one id at once: exactly one is new.
    let replays: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .remember_envelope("s-4", "node-b", at(10))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut new = 0;
    for replay in replays {
        new += u32::from(replay.await.unwrap());
    }
    assert_eq!(new, 1);

    // Forgetting keeps what was seen at or after the bound.
    assert_eq!(store.forget_envelopes_before(at(0)).await.unwrap(), 0);
    assert_eq!(store.forget_envelopes_before(at(5)).await.unwrap(), 1);
    assert!(
        store
            .remember_envelope("s-1", "node-b", at(11))
            .await
            .unwrap()
    );
    assert!(
        !store
            .remember_envelope("s-2", "node-b", at(11))
            .await
            .unwrap()
    );
    assert_eq!(store.forget_envelopes_before(at(60)).await.unwrap(), 4);
    assert_eq!(store.forget_envelopes_before(at(60)).await.unwrap(), 0);
}

pub async fn hit_refs_round_trip(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.get_hit_ref("hr-1").await.unwrap(), None);
    store.put_hit_refs(&[]).await.unwrap();

    let mut vehicle = hit_ref("hr-2", 30);
    vehicle.record_type = RecordType::Vehicle;
    vehicle.record_id = "v-7".to_owned();
    vehicle.created_at = t0();
    let refs = [hit_ref("hr-1", 10), vehicle.clone()];
    store.put_hit_refs(&refs).await.unwrap();
    assert_eq!(
        store.get_hit_ref("hr-1").await.unwrap(),
        Some(refs[0].clone())
    );
    assert_eq!(
        store.get_hit_ref("hr-2").await.unwrap(),
        Some(HitRefRow {
            created_at: at(0),
            ..vehicle
        })
    );

    // A taken reference, stored or twice in one batch, stores nothing of the batch.
    for batch in [
        vec![hit_ref("hr-3", 10), hit_ref("hr-1", 10)],
        vec![hit_ref("hr-4", 10), hit_ref("hr-4", 20)],
    ] {
        let err = store.put_hit_refs(&batch).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    }
    for absent in ["hr-3", "hr-4"] {
        assert_eq!(store.get_hit_ref(absent).await.unwrap(), None, "{absent}");
    }
    assert_eq!(
        store.get_hit_ref("hr-1").await.unwrap(),
        Some(refs[0].clone())
    );

    // A search with more hits than one statement carries.
    let many: Vec<_> = (0..2_345)
        .map(|i| hit_ref(&format!("many-{i:05}"), 20))
        .collect();
    store.put_hit_refs(&many).await.unwrap();
    assert_eq!(
        store.get_hit_ref("many-02344").await.unwrap(),
        Some(many[2_344].clone())
    );

    // Expired references are read back (the caller decides), then deleted: expiry at `expires_at` itself.
    assert_eq!(store.delete_expired_hit_refs(at(9)).await.unwrap(), 0);
    assert_eq!(store.delete_expired_hit_refs(at(10)).await.unwrap(), 1);
    assert_eq!(store.get_hit_ref("hr-1").await.unwrap(), None);
    assert!(store.get_hit_ref("hr-2").await.unwrap().is_some());
    assert_eq!(store.delete_expired_hit_refs(at(25)).await.unwrap(), 2_345);
    assert_eq!(store.delete_expired_hit_refs(at(60)).await.unwrap(), 1);
    assert_eq!(store.get_hit_ref("hr-2").await.unwrap(), None);
}

pub async fn disclosures_round_trip(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.get_disclosure("d-1", "outgoing").await.unwrap(), None);
    assert_eq!(store.list_disclosures("incoming", None).await.unwrap(), []);

    let mut first = disclosure("d-1", "outgoing", 0);
    first.created_at = t0();
    store.put_disclosure(&first).await.unwrap();
    let stored_first = DisclosureRow {
        created_at: at(0),
        ..first.clone()
    };
    assert_eq!(
        store.get_disclosure("d-1", "outgoing").await.unwrap(),
        Some(stored_first.clone())
    );
    assert_eq!(store.get_disclosure("d-1", "incoming").await.unwrap(), None);

    // The same id is another row in the other direction (both ends on one database), a conflict in the same.
    let mut mirror = disclosure("d-1", "incoming", 1);
    mirror.partner = "node-a".to_owned();
    mirror.case_ref = None;
    store.put_disclosure(&mirror).await.unwrap();
    let err = store
        .put_disclosure(&disclosure("d-1", "outgoing", 5))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("d-1")),
        "{err:?}"
    );
    assert_eq!(
        store.get_disclosure("d-1", "outgoing").await.unwrap(),
        Some(stored_first.clone())
    );
    assert_eq!(
        store.get_disclosure("d-1", "incoming").await.unwrap(),
        Some(mirror.clone())
    );

    // A request stored decided already (an expired one found on import, say) keeps every field.
    let mut decided = disclosure("d-0", "outgoing", -10);
    decided.state = "approved".to_owned();
    decided.decided_by = Some("supervisor@node-b".to_owned());
    decided.reason = Some("proportionate".to_owned());
    decided.record = Some(r#"{"type":"person","id":"p-42"}"#.to_owned());
    decided.decided_at = Some(at(-5));
    store.put_disclosure(&decided).await.unwrap();
    assert_eq!(
        store.get_disclosure("d-0", "outgoing").await.unwrap(),
        Some(decided.clone())
    );

    // Newest first; ties of one microsecond by id descending.
    for row in [
        disclosure("d-2", "outgoing", 2),
        disclosure("d-3a", "outgoing", 3),
        disclosure("d-3b", "outgoing", 3),
    ] {
        store.put_disclosure(&row).await.unwrap();
    }
    assert_eq!(
        ids(
            &store.list_disclosures("outgoing", None).await.unwrap(),
            |row| &row.id
        ),
        ["d-3b", "d-3a", "d-2", "d-1", "d-0"]
    );
    assert_eq!(
        ids(
            &store
                .list_disclosures("outgoing", Some("pending"))
                .await
                .unwrap(),
            |row| &row.id
        ),
        ["d-3b", "d-3a", "d-2", "d-1"]
    );
    assert_eq!(
        store
            .list_disclosures("outgoing", Some("approved"))
            .await
            .unwrap(),
        [decided]
    );
    assert_eq!(
        store
            .list_disclosures("outgoing", Some("refused"))
            .await
            .unwrap(),
        []
    );
    assert_eq!(
        store.list_disclosures("incoming", None).await.unwrap(),
        [mirror]
    );

    // Unknown directions and states are refused before anything is written.
    for (direction, state) in [("sideways", "pending"), ("outgoing", "maybe")] {
        let err = store
            .put_disclosure(&DisclosureRow {
                state: state.to_owned(),
                ..disclosure("d-9", direction, 0)
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(what) if what.contains(direction) || what.contains(state)),
            "{err:?}"
        );
    }
    assert_eq!(store.get_disclosure("d-9", "outgoing").await.unwrap(), None);
    assert!(matches!(
        store.list_disclosures("sideways", None).await.unwrap_err(),
        StoreError::Invalid(_)
    ));
    assert!(matches!(
        store
            .list_disclosures("outgoing", Some("maybe"))
            .await
            .unwrap_err(),
        StoreError::Invalid(_)
    ));
}

pub async fn disclosure_decisions(store: Arc<dyn Store>, url: &str) {
    for row in [
        disclosure("d-1", "incoming", 0),
        disclosure("d-2", "incoming", 1),
        disclosure("d-3", "incoming", 2),
        disclosure("d-1", "outgoing", 0),
    ] {
        store.put_disclosure(&row).await.unwrap();
    }

    let record = r#"{"type":"person","id":"p-42","handling":"H2"}"#;
    assert!(
        store
            .decide_disclosure(
                "d-1",
                "incoming",
                "approved",
                "supervisor1",
                Some("serious crime"),
                Some(record),
                t0() + TimeDelta::minutes(30),
            )
            .await
            .unwrap()
    );
    let approved = store
        .get_disclosure("d-1", "incoming")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        approved,
        DisclosureRow {
            state: "approved".to_owned(),
            decided_by: Some("supervisor1".to_owned()),
            reason: Some("serious crime".to_owned()),
            record: Some(record.to_owned()),
            decided_at: Some(at(30)),
            ..disclosure("d-1", "incoming", 0)
        }
    );
    // The other direction's row is its own.
    assert_eq!(
        store.get_disclosure("d-1", "outgoing").await.unwrap(),
        Some(disclosure("d-1", "outgoing", 0))
    );

    // A second decision loses and changes nothing.
    assert!(
        !store
            .decide_disclosure(
                "d-1",
                "incoming",
                "refused",
                "supervisor2",
                None,
                None,
                at(31)
            )
            .await
            .unwrap()
    );
    assert_eq!(
        store.get_disclosure("d-1", "incoming").await.unwrap(),
        Some(approved)
    );

    assert!(
        store
            .decide_disclosure(
                "d-2",
                "incoming",
                "refused",
                "supervisor2",
                Some("not proportionate"),
                None,
                at(32)
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .decide_disclosure("d-3", "incoming", "expired", "system", None, None, at(33))
            .await
            .unwrap()
    );
    let refused = store
        .get_disclosure("d-2", "incoming")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            refused.state.as_str(),
            refused.reason.as_deref(),
            refused.record
        ),
        ("refused", Some("not proportionate"), None)
    );
    assert_eq!(
        ids(
            &store
                .list_disclosures("incoming", Some("pending"))
                .await
                .unwrap(),
            |row| &row.id
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(
            &store
                .list_disclosures("incoming", Some("expired"))
                .await
                .unwrap(),
            |row| &row.id
        ),
        ["d-3"]
    );

    // Unknown requests are not decided; a decision must leave `pending`.
    assert!(
        !store
            .decide_disclosure(
                "nobody",
                "incoming",
                "approved",
                "supervisor1",
                None,
                None,
                at(40)
            )
            .await
            .unwrap()
    );
    for (direction, state) in [
        ("incoming", "pending"),
        ("incoming", "maybe"),
        ("sideways", "approved"),
    ] {
        let err = store
            .decide_disclosure("d-1", direction, state, "supervisor1", None, None, at(40))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    }

    // The database itself refuses a state outside the vocabulary.
    let err = raw_execute(
        url,
        &["UPDATE disclosures SET state = 'lost' WHERE id = 'd-1'".to_owned()],
    )
    .await
    .unwrap_err();
    assert!(err.as_database_error().is_some(), "{err:?}");
}

pub async fn concurrent_decisions_one_wins(store: Arc<dyn Store>, _url: &str) {
    store
        .put_disclosure(&disclosure("d-1", "incoming", 0))
        .await
        .unwrap();
    let decisions: Vec<_> = (0..8)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let state = if i % 2 == 0 { "approved" } else { "refused" };
                let by = format!("supervisor{i}");
                let won = store
                    .decide_disclosure("d-1", "incoming", state, &by, None, None, at(i))
                    .await
                    .unwrap();
                (won, by)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for decision in decisions {
        let (won, by) = decision.await.unwrap();
        if won {
            winners.push(by);
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let decided = store
        .get_disclosure("d-1", "incoming")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(decided.decided_by.as_ref(), Some(&winners[0]));
}
