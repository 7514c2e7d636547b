//! Legal cooperation: requests under optimistic versions (a stale update changes nothing and appends no event),
//! their filtered lists, timelines numbered by the store (also under concurrent appends and updates), evidence
//! with its bytes and status, and the chain of custody as the caller numbered it.

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use liaison_store::{
    CustodyEventRow, EvidenceRow, LEGAL_SIDE_EXECUTING, LEGAL_SIDE_REQUESTING, LegalEventRow,
    LegalRequestFilter, LegalRequestRow, Store, StoreError,
};

use crate::harness::t0;

/// `t0` plus `minutes`, as the store gives it back (to the microsecond).
fn at(minutes: i64) -> DateTime<Utc> {
    (t0() + TimeDelta::minutes(minutes)).trunc_subsecs(6)
}

/// A draft EIO this node requests from `node-b`, created at `at(minutes)`.
fn request(id: &str, minutes: i64) -> LegalRequestRow {
    LegalRequestRow {
        id: id.to_owned(),
        side: LEGAL_SIDE_REQUESTING.to_owned(),
        partner: "node-b".to_owned(),
        kind: "eio".to_owned(),
        state: "draft".to_owned(),
        urgent: false,
        case_ref: Some("NL-2026-0042".to_owned()),
        form: format!(r#"{{"id":"{id}","measures":["hearing"]}}"#),
        events: "[]".to_owned(),
        created_by: "legal1".to_owned(),
        created_at: at(minutes),
        updated_at: at(minutes),
        version: 1,
    }
}

/// An event of request `request_id` at `at(minutes)`; its seq is for the store to set.
fn event(request_id: &str, action: &str, state_after: &str, minutes: i64) -> LegalEventRow {
    LegalEventRow {
        request_id: request_id.to_owned(),
        seq: 0,
        at: at(minutes),
        action: action.to_owned(),
        side: LEGAL_SIDE_REQUESTING.to_owned(),
        node: "node-a".to_owned(),
        actor: "legal1".to_owned(),
        state_after: state_after.to_owned(),
        detail: None,
        envelope_id: None,
    }
}

/// The event as the store keeps it, at place `seq`.
fn numbered(event: &LegalEventRow, seq: i64) -> LegalEventRow {
    LegalEventRow {
        seq,
        ..event.clone()
    }
}

/// Evidence of `request_id` collected by `node-b` at `at(minutes)`, with bytes that are not UTF-8.
fn evidence(id: &str, request_id: &str, minutes: i64) -> EvidenceRow {
    let content = vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80];
    EvidenceRow {
        id: id.to_owned(),
        request_id: request_id.to_owned(),
        name: format!("{id}.pdf"),
        media_type: "application/pdf".to_owned(),
        size: content.len() as i64,
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned(),
        content: Some(content),
        origin: "node-b".to_owned(),
        added_by: "investigator2".to_owned(),
        created_at: at(minutes),
        status: "unverified".to_owned(),
        status_detail: None,
    }
}

fn custody(evidence_id: &str, seq: i64, event: &str) -> CustodyEventRow {
    CustodyEventRow {
        evidence_id: evidence_id.to_owned(),
        seq,
        event: event.to_owned(),
        at: at(seq),
        node: "node-b".to_owned(),
        actor: "investigator2".to_owned(),
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned(),
        note: (seq == 1).then(|| "seized at the premises".to_owned()),
        prev: if seq == 1 {
            String::new()
        } else {
            format!("digest-of-{}", seq - 1)
        },
        signature: format!("sig-{seq}"),
        verification: "verified".to_owned(),
    }
}

fn ids(rows: &[LegalRequestRow]) -> Vec<&str> {
    rows.iter().map(|row| row.id.as_str()).collect()
}

pub async fn legal_requests_round_trip(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.get_legal_request("lr-1").await.unwrap(), None);
    assert_eq!(store.legal_events("lr-1").await.unwrap(), []);

    // Sub-microsecond digits are dropped; the store sets the version and the first seq.
    let mut row = request("lr-1", 0);
    row.created_at = t0();
    row.updated_at = t0();
    row.version = 7;
    let mut first = event("lr-1", "create", "draft", 0);
    first.at = t0();
    first.seq = 99;
    first.detail = Some("drafted from case NL-2026-0042".to_owned());
    store.create_legal_request(&row, &first).await.unwrap();
    let stored = request("lr-1", 0);
    assert_eq!(
        store.get_legal_request("lr-1").await.unwrap(),
        Some(stored.clone())
    );
    let first_stored = LegalEventRow {
        seq: 1,
        at: at(0),
        ..first.clone()
    };
    assert_eq!(
        store.legal_events("lr-1").await.unwrap(),
        std::slice::from_ref(&first_stored)
    );

    // An executing side's urgent request without a case reference.
    let mut executing = request("lr-2", 5);
    executing.side = LEGAL_SIDE_EXECUTING.to_owned();
    executing.partner = "node-c".to_owned();
    executing.urgent = true;
    executing.case_ref = None;
    let received = LegalEventRow {
        side: LEGAL_SIDE_EXECUTING.to_owned(),
        envelope_id: Some("0190f5a2-7c1e-7000-8000-0000000000bb".to_owned()),
        ..event("lr-2", "receive", "received", 5)
    };
    store
        .create_legal_request(&executing, &received)
        .await
        .unwrap();
    assert_eq!(
        store.get_legal_request("lr-2").await.unwrap(),
        Some(executing.clone())
    );
    assert_eq!(
        store.legal_events("lr-2").await.unwrap(),
        [numbered(&received, 1)]
    );

    // The id is taken: nothing is written, not even the event.
    let mut again = request("lr-1", 10);
    again.state = "sent".to_owned();
    let err = store
        .create_legal_request(&again, &event("lr-1", "create", "sent", 10))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("lr-1")),
        "{err:?}"
    );
    assert_eq!(store.get_legal_request("lr-1").await.unwrap(), Some(stored));
    assert_eq!(store.legal_events("lr-1").await.unwrap(), [first_stored]);

    // A side that is neither, or a first event of another request, is refused before anything is written.
    let mut odd = request("lr-3", 0);
    odd.side = "issuing".to_owned();
    let err = store
        .create_legal_request(&odd, &event("lr-3", "create", "draft", 0))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(what) if what.contains("issuing")),
        "{err:?}"
    );
    let err = store
        .create_legal_request(&request("lr-3", 0), &event("lr-9", "create", "draft", 0))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(what) if what.contains("lr-9")),
        "{err:?}"
    );
    assert_eq!(store.get_legal_request("lr-3").await.unwrap(), None);
    assert_eq!(store.legal_events("lr-3").await.unwrap(), []);
    assert_eq!(store.legal_events("lr-9").await.unwrap(), []);
}

pub async fn legal_request_updates_are_versioned(store: Arc<dyn Store>, _url: &str) {
    let created = request("lr-1", 0);
    let create = event("lr-1", "create", "draft", 0);
    store.create_legal_request(&created, &create).await.unwrap();

    // Version 1 becomes 2: the replaceable fields change, the others stay whatever the row says.
    let mut sent = LegalRequestRow {
        state: "sent".to_owned(),
        urgent: true,
        case_ref: None,
        form: r#"{"id":"lr-1","measures":["hearing","search"]}"#.to_owned(),
        events: r#"[{"kind":"sent","at":"2026-03-01T09:00:00Z"}]"#.to_owned(),
        updated_at: t0() + TimeDelta::minutes(60),
        version: 41,
        ..created.clone()
    };
    sent.side = LEGAL_SIDE_EXECUTING.to_owned();
    sent.partner = "node-z".to_owned();
    sent.kind = "mla".to_owned();
    sent.created_by = "someone-else".to_owned();
    sent.created_at = at(30);
    let send = LegalEventRow {
        envelope_id: Some("env-1".to_owned()),
        ..event("lr-1", "send", "sent", 60)
    };
    assert!(
        store
            .update_legal_request(&sent, 1, Some(&send))
            .await
            .unwrap()
    );
    let stored_sent = LegalRequestRow {
        state: sent.state.clone(),
        urgent: true,
        case_ref: None,
        form: sent.form.clone(),
        events: sent.events.clone(),
        updated_at: at(60),
        version: 2,
        ..created.clone()
    };
    assert_eq!(
        store.get_legal_request("lr-1").await.unwrap(),
        Some(stored_sent.clone())
    );
    let timeline = [numbered(&create, 1), numbered(&send, 2)];
    assert_eq!(store.legal_events("lr-1").await.unwrap(), timeline);

    // A stale update (from version 1 again) changes nothing and appends no event.
    let mut stale = created.clone();
    stale.state = "withdrawn".to_owned();
    stale.updated_at = at(90);
    let withdraw = event("lr-1", "withdraw", "withdrawn", 90);
    assert!(
        !store
            .update_legal_request(&stale, 1, Some(&withdraw))
            .await
            .unwrap()
    );
    assert!(
        !store
            .update_legal_request(&stale, 3, Some(&withdraw))
            .await
            .unwrap()
    );
    assert_eq!(
        store.get_legal_request("lr-1").await.unwrap(),
        Some(stored_sent.clone())
    );
    assert_eq!(store.legal_events("lr-1").await.unwrap(), timeline);

    // An unknown request is not updated, and gets no event.
    let ghost = request("lr-ghost", 0);
    assert!(
        !store
            .update_legal_request(&ghost, 1, Some(&event("lr-ghost", "send", "sent", 1)))
            .await
            .unwrap()
    );
    assert_eq!(store.get_legal_request("lr-ghost").await.unwrap(), None);
    assert_eq!(store.legal_events("lr-ghost").await.unwrap(), []);

    // An event of another request is refused and nothing changes.
    let err = store
        .update_legal_request(&stale, 2, Some(&event("lr-2", "withdraw", "withdrawn", 90)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(what) if what.contains("lr-2")),
        "{err:?}"
    );
    assert_eq!(
        store.get_legal_request("lr-1").await.unwrap(),
        Some(stored_sent.clone())
    );

    // An update without an event (a form corrected) still counts as a version.
    let mut corrected = stored_sent.clone();
    corrected.form = r#"{"id":"lr-1","measures":["search"]}"#.to_owned();
    corrected.case_ref = Some("NL-2026-0043".to_owned());
    corrected.urgent = false;
    corrected.updated_at = at(120);
    assert!(
        store
            .update_legal_request(&corrected, 2, None)
            .await
            .unwrap()
    );
    assert_eq!(
        store.get_legal_request("lr-1").await.unwrap(),
        Some(LegalRequestRow {
            version: 3,
            ..corrected
        })
    );
    assert_eq!(store.legal_events("lr-1").await.unwrap(), timeline);
}

pub async fn legal_requests_list_filters(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(
        store
            .list_legal_requests(&LegalRequestFilter::default())
            .await
            .unwrap(),
        []
    );
    // (id, side, partner, kind, state, minutes): "lr-b" and "lr-a" share a microsecond.
    let rows = [
        ("lr-1", LEGAL_SIDE_REQUESTING, "node-b", "eio", "draft", 0),
        (
            "lr-2",
            LEGAL_SIDE_EXECUTING,
            "node-b",
            "eaw",
            "received",
            10,
        ),
        ("lr-3", LEGAL_SIDE_REQUESTING, "node-c", "eio", "closed", 20),
        (
            "lr-a",
            LEGAL_SIDE_EXECUTING,
            "node-c",
            "mla",
            "withdrawn",
            30,
        ),
        ("lr-b", LEGAL_SIDE_REQUESTING, "node-b", "eio", "sent", 30),
        (
            "lr-4",
            LEGAL_SIDE_EXECUTING,
            "node-c",
            "eio",
            "in_execution",
            40,
        ),
    ];
    for (id, side, partner, kind, state, minutes) in rows {
        let row = LegalRequestRow {
            side: side.to_owned(),
            partner: partner.to_owned(),
            kind: kind.to_owned(),
            state: state.to_owned(),
            ..request(id, minutes)
        };
        store
            .create_legal_request(&row, &event(id, "create", state, minutes))
            .await
            .unwrap();
    }
    let list = async |filter: LegalRequestFilter| {
        let rows = store.list_legal_requests(&filter).await.unwrap();
        ids(&rows)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };

    // Newest first; of the same microsecond, the greater id first.
    assert_eq!(
        list(LegalRequestFilter::default()).await,
        ["lr-4", "lr-b", "lr-a", "lr-3", "lr-2", "lr-1"]
    );
    let all = store
        .list_legal_requests(&LegalRequestFilter::default())
        .await
        .unwrap();
    assert_eq!(
        all[0],
        LegalRequestRow {
            side: LEGAL_SIDE_EXECUTING.to_owned(),
            partner: "node-c".to_owned(),
            state: "in_execution".to_owned(),
            ..request("lr-4", 40)
        }
    );

    let side = |side: &str| LegalRequestFilter {
        side: Some(side.to_owned()),
        ..LegalRequestFilter::default()
    };
    assert_eq!(
        list(side(LEGAL_SIDE_REQUESTING)).await,
        ["lr-b", "lr-3", "lr-1"]
    );
    assert_eq!(
        list(side(LEGAL_SIDE_EXECUTING)).await,
        ["lr-4", "lr-a", "lr-2"]
    );
    assert_eq!(
        list(LegalRequestFilter {
            partner: Some("node-c".to_owned()),
            ..LegalRequestFilter::default()
        })
        .await,
        ["lr-4", "lr-a", "lr-3"]
    );
    assert_eq!(
        list(LegalRequestFilter {
            kind: Some("eio".to_owned()),
            ..LegalRequestFilter::default()
        })
        .await,
        ["lr-4", "lr-b", "lr-3", "lr-1"]
    );
    assert_eq!(
        list(LegalRequestFilter {
            state: Some("received".to_owned()),
            ..LegalRequestFilter::default()
        })
        .await,
        ["lr-2"]
    );
    // Closed and withdrawn requests are not open.
    assert_eq!(
        list(LegalRequestFilter {
            open_only: true,
            ..LegalRequestFilter::default()
        })
        .await,
        ["lr-4", "lr-b", "lr-2", "lr-1"]
    );
    // Every condition applies.
    assert_eq!(
        list(LegalRequestFilter {
            side: Some(LEGAL_SIDE_REQUESTING.to_owned()),
            partner: Some("node-b".to_owned()),
            kind: Some("eio".to_owned()),
            state: None,
            open_only: true,
        })
        .await,
        ["lr-b", "lr-1"]
    );
    assert_eq!(
        list(LegalRequestFilter {
            side: Some(LEGAL_SIDE_REQUESTING.to_owned()),
            state: Some("closed".to_owned()),
            open_only: true,
            ..LegalRequestFilter::default()
        })
        .await,
        Vec::<String>::new()
    );
    assert_eq!(
        list(LegalRequestFilter {
            partner: Some("node-x".to_owned()),
            ..LegalRequestFilter::default()
        })
        .await,
        Vec::<String>::new()
    );

    // A request that is closed by an update leaves the open list.
    let mut closed = store.get_legal_request("lr-4").await.unwrap().unwrap();
    closed.state = "closed".to_owned();
    assert!(
        store
            .update_legal_request(&closed, 1, Some(&event("lr-4", "close", "closed", 50)))
            .await
            .unwrap()
    );
    assert_eq!(
        list(LegalRequestFilter {
            open_only: true,
            ..LegalRequestFilter::default()
        })
        .await,
        ["lr-b", "lr-2", "lr-1"]
    );
}

pub async fn legal_events_append_in_order(store: Arc<dyn Store>, _url: &str) {
    let create = event("lr-1", "create", "draft", 0);
    store
        .create_legal_request(&request("lr-1", 0), &create)
        .await
        .unwrap();
    store
        .create_legal_request(&request("lr-2", 0), &event("lr-2", "create", "draft", 0))
        .await
        .unwrap();

    // Seqs count per request, whatever seq is handed in.
    let mut extend = event("lr-1", "extend", "in_execution", 30);
    extend.seq = 1;
    extend.detail = Some("30 days: witness abroad".to_owned());
    assert_eq!(store.append_legal_event(&extend).await.unwrap(), 2);
    let mut pause = event("lr-1", "pause", "in_execution", 20);
    pause.seq = -5;
    pause.side = LEGAL_SIDE_EXECUTING.to_owned();
    pause.node = "node-b".to_owned();
    assert_eq!(store.append_legal_event(&pause).await.unwrap(), 3);
    assert_eq!(
        store
            .append_legal_event(&event("lr-2", "send", "sent", 5))
            .await
            .unwrap(),
        2
    );
    // In seq order, which is the order of appending, not of `at`.
    assert_eq!(
        store.legal_events("lr-1").await.unwrap(),
        [
            numbered(&create, 1),
            numbered(&extend, 2),
            numbered(&pause, 3)
        ]
    );
    assert_eq!(store.legal_events("lr-2").await.unwrap().len(), 2);

    let err = store
        .append_legal_event(&event("lr-ghost", "send", "sent", 5))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotFound(what) if what.contains("lr-ghost")),
        "{err:?}"
    );
    assert_eq!(store.legal_events("lr-ghost").await.unwrap(), []);

    // A request appended to keeps its version: events are not updates.
    assert_eq!(
        store
            .get_legal_request("lr-1")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
}

pub async fn concurrent_legal_appends_get_distinct_seqs(store: Arc<dyn Store>, _url: &str) {
    store
        .create_legal_request(&request("lr-1", 0), &event("lr-1", "create", "draft", 0))
        .await
        .unwrap();
    // Twelve appends and four updates (each retrying until its version is current) at once.
    let tasks: Vec<_> = (0..16_i64)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let step = event("lr-1", &format!("step-{i:02}"), "draft", i);
                if i % 4 != 0 {
                    return store.append_legal_event(&step).await.unwrap();
                }
                loop {
                    let mut row = store.get_legal_request("lr-1").await.unwrap().unwrap();
                    row.form = format!(r#"{{"step":{i}}}"#);
                    row.updated_at = at(i);
                    if store
                        .update_legal_request(&row, row.version, Some(&step))
                        .await
                        .unwrap()
                    {
                        return 0;
                    }
                }
            })
        })
        .collect();
    let mut appended = Vec::new();
    for task in tasks {
        let seq = task.await.unwrap();
        if seq > 0 {
            appended.push(seq);
        }
    }
    appended.sort_unstable();
    appended.dedup();
    assert_eq!(appended.len(), 12, "{appended:?}");

    let timeline = store.legal_events("lr-1").await.unwrap();
    let seqs: Vec<i64> = timeline.iter().map(|event| event.seq).collect();
    assert_eq!(seqs, (1..=17).collect::<Vec<_>>());
    let mut actions: Vec<&str> = timeline[1..]
        .iter()
        .map(|event| event.action.as_str())
        .collect();
    actions.sort_unstable();
    let expected: Vec<String> = (0..16).map(|i| format!("step-{i:02}")).collect();
    assert_eq!(actions, expected);
    assert_eq!(
        store
            .get_legal_request("lr-1")
            .await
            .unwrap()
            .unwrap()
            .version,
        5
    );
}

pub async fn concurrent_legal_updates_one_wins(store: Arc<dyn Store>, _url: &str) {
    let created = request("lr-1", 0);
    store
        .create_legal_request(&created, &event("lr-1", "create", "draft", 0))
        .await
        .unwrap();
    let updates: Vec<_> = (0..8_i64)
        .map(|i| {
            let store = Arc::clone(&store);
            let mut row = created.clone();
            tokio::spawn(async move {
                let actor = format!("legal{i}");
                row.state = if i % 2 == 0 { "sent" } else { "withdrawn" }.to_owned();
                row.form = format!(r#"{{"by":"{actor}"}}"#);
                row.updated_at = at(i);
                let mut step = event("lr-1", "send", &row.state, i);
                step.actor = actor.clone();
                let won = store
                    .update_legal_request(&row, 1, Some(&step))
                    .await
                    .unwrap();
                (won, actor)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for update in updates {
        let (won, actor) = update.await.unwrap();
        if won {
            winners.push(actor);
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let stored = store.get_legal_request("lr-1").await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.form, format!(r#"{{"by":"{}"}}"#, winners[0]));
    let timeline = store.legal_events("lr-1").await.unwrap();
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[1].actor, winners[0]);
    assert_eq!(timeline[1].state_after, stored.state);
}

pub async fn evidence_round_trip(store: Arc<dyn Store>, _url: &str) {
    for id in ["lr-1", "lr-2"] {
        store
            .create_legal_request(&request(id, 0), &event(id, "create", "draft", 0))
            .await
            .unwrap();
    }
    assert_eq!(store.get_evidence("ev-1").await.unwrap(), None);
    assert_eq!(store.list_evidence("lr-1").await.unwrap(), []);

    // Stored out of order, one of them without its bytes; sub-microsecond digits are dropped.
    let mut first = evidence("ev-b", "lr-1", 0);
    first.created_at = t0();
    let second = EvidenceRow {
        status: "intact".to_owned(),
        status_detail: Some("digest checked on receipt".to_owned()),
        ..evidence("ev-a", "lr-1", 0)
    };
    let later = evidence("ev-0", "lr-1", 10);
    let elsewhere = evidence("ev-9", "lr-2", 5);
    let bodiless = EvidenceRow {
        content: None,
        media_type: "application/octet-stream".to_owned(),
        ..evidence("ev-z", "lr-1", 20)
    };
    for row in [&later, &first, &bodiless, &second, &elsewhere] {
        store.put_evidence(row).await.unwrap();
    }
    let first_stored = EvidenceRow {
        created_at: at(0),
        ..first.clone()
    };
    assert_eq!(
        store.get_evidence("ev-b").await.unwrap(),
        Some(first_stored.clone())
    );
    assert_eq!(
        store.get_evidence("ev-z").await.unwrap(),
        Some(bodiless.clone())
    );

    // Oldest first, ties by id, without the bytes.
    let listing = |row: &EvidenceRow| EvidenceRow {
        content: None,
        ..row.clone()
    };
    assert_eq!(
        store.list_evidence("lr-1").await.unwrap(),
        [
            listing(&second),
            listing(&first_stored),
            listing(&later),
            listing(&bodiless)
        ]
    );
    assert_eq!(
        store.list_evidence("lr-2").await.unwrap(),
        [listing(&elsewhere)]
    );
    assert_eq!(store.list_evidence("lr-ghost").await.unwrap(), []);

    // The id is taken; the request does not exist; the status or the size is not one the store keeps.
    let mut taken = evidence("ev-b", "lr-2", 30);
    taken.name = "other.pdf".to_owned();
    let err = store.put_evidence(&taken).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("ev-b")),
        "{err:?}"
    );
    assert_eq!(
        store.get_evidence("ev-b").await.unwrap(),
        Some(first_stored.clone())
    );
    let err = store
        .put_evidence(&evidence("ev-x", "lr-ghost", 0))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotFound(what) if what.contains("lr-ghost")),
        "{err:?}"
    );
    let odd = EvidenceRow {
        status: "tampered".to_owned(),
        ..evidence("ev-x", "lr-1", 0)
    };
    let err = store.put_evidence(&odd).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(what) if what.contains("tampered")),
        "{err:?}"
    );
    let negative = EvidenceRow {
        size: -1,
        ..evidence("ev-x", "lr-1", 0)
    };
    assert!(matches!(
        store.put_evidence(&negative).await.unwrap_err(),
        StoreError::Invalid(_)
    ));
    assert_eq!(store.get_evidence("ev-x").await.unwrap(), None);

    // The server records what checking the evidence found.
    assert!(
        store
            .set_evidence_status(
                "ev-b",
                "mismatch",
                Some("sha256 differs from the custody chain")
            )
            .await
            .unwrap()
    );
    assert_eq!(
        store.get_evidence("ev-b").await.unwrap(),
        Some(EvidenceRow {
            status: "mismatch".to_owned(),
            status_detail: Some("sha256 differs from the custody chain".to_owned()),
            ..first_stored.clone()
        })
    );
    assert!(
        store
            .set_evidence_status("ev-b", "intact", None)
            .await
            .unwrap()
    );
    let checked = store.get_evidence("ev-b").await.unwrap().unwrap();
    assert_eq!(
        (checked.status.as_str(), checked.status_detail),
        ("intact", None)
    );
    assert!(
        !store
            .set_evidence_status("ev-ghost", "intact", None)
            .await
            .unwrap()
    );
    let err = store
        .set_evidence_status("ev-b", "lost", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(what) if what.contains("lost")),
        "{err:?}"
    );
    assert_eq!(
        store.get_evidence("ev-b").await.unwrap().unwrap().status,
        "intact"
    );
}

pub async fn custody_events_round_trip(store: Arc<dyn Store>, _url: &str) {
    store
        .create_legal_request(&request("lr-1", 0), &event("lr-1", "create", "draft", 0))
        .await
        .unwrap();
    for id in ["ev-1", "ev-2"] {
        store.put_evidence(&evidence(id, "lr-1", 0)).await.unwrap();
    }
    assert_eq!(store.custody_events("ev-1").await.unwrap(), []);

    // Kept as the caller numbered them, listed in seq order whatever order they came in.
    let sealed = custody("ev-1", 2, "sealed");
    let collected = CustodyEventRow {
        at: t0(),
        ..custody("ev-1", 1, "collected")
    };
    let mut received = custody("ev-1", 10, "received");
    received.node = "node-a".to_owned();
    received.verification = "mismatch: signature does not verify".to_owned();
    for row in [
        &sealed,
        &received,
        &collected,
        &custody("ev-2", 1, "collected"),
    ] {
        store.append_custody_event(row).await.unwrap();
    }
    let collected_stored = CustodyEventRow {
        at: at(0),
        ..collected
    };
    assert_eq!(
        store.custody_events("ev-1").await.unwrap(),
        [collected_stored.clone(), sealed.clone(), received.clone()]
    );
    assert_eq!(store.custody_events("ev-2").await.unwrap().len(), 1);

    // A seq is taken once per piece of evidence; the evidence must exist.
    let err = store
        .append_custody_event(&custody("ev-1", 2, "opened"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(what) if what.contains("ev-1") && what.contains('2')),
        "{err:?}"
    );
    let err = store
        .append_custody_event(&custody("ev-ghost", 1, "collected"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::NotFound(what) if what.contains("ev-ghost")),
        "{err:?}"
    );
    assert_eq!(
        store.custody_events("ev-1").await.unwrap(),
        [collected_stored, sealed, received]
    );
    assert_eq!(store.custody_events("ev-ghost").await.unwrap(), []);
}

/// An action and the envelope that tells the partner are stored together or not at all.
pub async fn legal_update_and_its_message_are_stored_together(store: Arc<dyn Store>, _url: &str) {
    use liaison_store::OutboxRow;
    let envelope = |id: &str| OutboxRow {
        id: id.to_owned(),
        recipient: "node-b".to_owned(),
        kind: "legal.action".to_owned(),
        envelope: b"{}".to_vec(),
        created_at: at(1),
        attempts: 0,
        next_attempt_at: at(1),
        state: "pending".to_owned(),
        last_error: None,
        delivered_at: None,
    };
    let draft = request("lr-tx", 0);
    store
        .create_legal_request(&draft, &event("lr-tx", "create", "draft", 0))
        .await
        .unwrap();
    let sent = LegalRequestRow {
        state: "sent".to_owned(),
        updated_at: at(1),
        ..draft.clone()
    };
    let mut send = event("lr-tx", "send", "sent", 1);
    send.envelope_id = Some("env-1".to_owned());
    assert!(
        store
            .update_legal_request_and_enqueue(&sent, 1, Some(&send), &envelope("env-1"))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .get_legal_request("lr-tx")
            .await
            .unwrap()
            .unwrap()
            .state,
        "sent"
    );
    assert_eq!(
        store.get_outbox("env-1").await.unwrap().unwrap().kind,
        "legal.action"
    );
    assert_eq!(store.legal_events("lr-tx").await.unwrap().len(), 2);

    // A stale version: neither the change, nor the event, nor the envelope.
    let stale = LegalRequestRow {
        state: "withdrawn".to_owned(),
        ..sent.clone()
    };
    assert!(
        !store
            .update_legal_request_and_enqueue(
                &stale,
                1,
                Some(&event("lr-tx", "withdraw", "withdrawn", 2)),
                &envelope("env-2")
            )
            .await
            .unwrap()
    );
    assert!(store.get_outbox("env-2").await.unwrap().is_none());
    assert_eq!(store.legal_events("lr-tx").await.unwrap().len(), 2);

    // An envelope that cannot be stored (its id is taken) undoes the change and the event.
    let withdrawn = LegalRequestRow {
        state: "withdrawn".to_owned(),
        ..sent
    };
    let error = store
        .update_legal_request_and_enqueue(
            &withdrawn,
            2,
            Some(&event("lr-tx", "withdraw", "withdrawn", 2)),
            &envelope("env-1"),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
    let kept = store.get_legal_request("lr-tx").await.unwrap().unwrap();
    assert_eq!((kept.state.as_str(), kept.version), ("sent", 2));
    assert_eq!(store.legal_events("lr-tx").await.unwrap().len(), 2);
}
