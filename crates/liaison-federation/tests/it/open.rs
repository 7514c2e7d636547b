//! `open`: every rejection, in the documented order, and never a panic on arbitrary bytes.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use liaison_crypto::NodeSigningKey;
use liaison_federation::{
    EnvelopeDraft, Rejection, SenderAction, VerifyContext, open, open_payload, seal,
};
use liaison_proto::api::ScreenQuery;
use liaison_proto::federation::{Envelope, SearchRequest, encode};
use proptest::prelude::*;
use serde_json::{Value, json};

const SENDER_SEED: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const OTHER_SEED: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
const SEEN_ID: &str = "01890a5d-ac96-7000-8000-00000000beef";

fn key(seed: &str) -> NodeSigningKey {
    NodeSigningKey::from_file_text(seed).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap()
}

fn search() -> SearchRequest {
    SearchRequest {
        correlation_id: "c-1".to_owned(),
        query: ScreenQuery {
            names: vec!["Владимир Щербаков".to_owned()],
            birth_date: Some("1975-03-14".to_owned()),
            ..ScreenQuery::default()
        },
        purpose: "border_check".to_owned(),
        case_ref: None,
        limit: 10,
    }
}

fn draft(created: DateTime<Utc>) -> EnvelopeDraft {
    EnvelopeDraft::new(
        uuid::Uuid::parse_str("01890a5d-ac96-774b-bcce-b302099a8057").unwrap(),
        "node-a",
        "node-b",
        created,
        "H0",
        &search(),
    )
    .unwrap()
}

fn sealed() -> Envelope {
    seal(draft(now()), &key(SENDER_SEED))
}

/// Opens `bytes` as node-b at `now()`, knowing node-a's key and one seen id.
fn open_as_b(bytes: &[u8]) -> Result<Envelope, Rejection> {
    let sender_public = key(SENDER_SEED).public_key_base64();
    let sender_key = move |node: &str| (node == "node-a").then(|| sender_public.clone());
    let seen = |id: &str| id == SEEN_ID;
    let ctx = VerifyContext {
        max_bytes: 4096,
        ..VerifyContext::new("node-b", now(), &sender_key, &seen)
    };
    open(bytes, &ctx)
}

/// The wire bytes of `envelope` after `change`, signature left as it was.
fn tampered(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&encode(&sealed())).unwrap();
    change(&mut value);
    serde_json::to_vec(&value).unwrap()
}

/// The wire bytes of a correctly signed envelope built from `draft`.
fn resealed(draft: EnvelopeDraft, seed: &str) -> Vec<u8> {
    encode(&seal(draft, &key(seed)))
}

#[test]
fn seal_then_open_round_trip() {
    let envelope = sealed();
    let opened = open_as_b(&encode(&envelope)).unwrap();
    assert_eq!(opened, envelope);
    assert_eq!(opened.kind, "search.request");
    assert_eq!(opened.created, "2026-03-01T09:30:00.000000Z");
    let payload: SearchRequest = open_payload(&opened).unwrap();
    assert_eq!(payload.query.names, search().query.names);
}

#[test]
fn every_rejection_in_a_table() {
    let mut replayed = draft(now());
    replayed.id = uuid::Uuid::parse_str(SEEN_ID).unwrap();
    let mut to_c = draft(now());
    to_c.to = "node-c".to_owned();
    let mut from_x = draft(now());
    from_x.from = "node-x".to_owned();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("oversized", vec![b' '; 4097], "oversized"),
        ("not json", b"{\"v\":1,".to_vec(), "malformed"),
        ("not an object", b"\"hello\"".to_vec(), "malformed"),
        (
            "unknown field",
            tampered(|v| v["extra"] = json!(true)),
            "malformed",
        ),
        (
            "duplicate key",
            String::from_utf8(encode(&sealed()))
                .unwrap()
                .replacen("\"v\":1", "\"v\":1,\"to\":\"node-b\"", 1)
                .into_bytes(),
            "malformed",
        ),
        (
            "float in payload",
            tampered(|v| v["payload"]["limit"] = json!(1.5)),
            "malformed",
        ),
        (
            "version 2",
            tampered(|v| v["v"] = json!(2)),
            "unsupported_version",
        ),
        (
            "wrong recipient",
            resealed(to_c, SENDER_SEED),
            "wrong_recipient",
        ),
        (
            "unknown sender",
            resealed(from_x, SENDER_SEED),
            "unknown_sender",
        ),
        (
            "tampered payload",
            tampered(|v| v["payload"]["purpose"] = json!("counter_terrorism")),
            "bad_signature",
        ),
        (
            "tampered handling",
            tampered(|v| v["handling"] = json!("H3")),
            "bad_signature",
        ),
        (
            "added thread",
            tampered(|v| v["thread"] = json!("01890a5d-ac96-774b-bcce-b302099a8058")),
            "bad_signature",
        ),
        (
            "signed by another key",
            resealed(draft(now()), OTHER_SEED),
            "bad_signature",
        ),
        (
            "signature not base64",
            tampered(|v| v["sig"] = json!("%%%")),
            "bad_signature",
        ),
        (
            "too old",
            resealed(
                draft(now() - TimeDelta::hours(24) - TimeDelta::microseconds(1)),
                SENDER_SEED,
            ),
            "too_old",
        ),
        (
            "from the future",
            resealed(
                draft(now() + TimeDelta::minutes(5) + TimeDelta::microseconds(1)),
                SENDER_SEED,
            ),
            "from_the_future",
        ),
        ("replay", resealed(replayed, SENDER_SEED), "replay"),
    ];
    for (name, bytes, code) in cases {
        let rejection = open_as_b(&bytes).unwrap_err();
        assert_eq!(rejection.code(), code, "{name}: {rejection}");
    }
}

#[test]
fn window_edges_are_accepted() {
    for created in [now() - TimeDelta::hours(24), now() + TimeDelta::minutes(5)] {
        open_as_b(&resealed(draft(created), SENDER_SEED)).unwrap();
    }
}

#[test]
fn checks_run_in_the_documented_order() {
    // Addressed elsewhere, from a stranger, badly signed, too old and a replay: the recipient is named.
    let mut everything_wrong = draft(now() - TimeDelta::days(30));
    everything_wrong.to = "node-c".to_owned();
    everything_wrong.from = "node-x".to_owned();
    everything_wrong.id = uuid::Uuid::parse_str(SEEN_ID).unwrap();
    let bytes = resealed(everything_wrong, OTHER_SEED);
    assert_eq!(
        open_as_b(&bytes).unwrap_err(),
        Rejection::WrongRecipient {
            to: "node-c".to_owned()
        }
    );
    // A good signature over an old replay: too old comes before replay.
    let mut old_replay = draft(now() - TimeDelta::days(30));
    old_replay.id = uuid::Uuid::parse_str(SEEN_ID).unwrap();
    assert_eq!(
        open_as_b(&resealed(old_replay, SENDER_SEED))
            .unwrap_err()
            .code(),
        "too_old"
    );
    // Oversized is decided before anything is parsed, whatever the bytes.
    assert_eq!(open_as_b(&[0xff; 5000]).unwrap_err().code(), "oversized");
}

#[test]
fn rejection_messages_and_sender_actions() {
    let rejection = open_as_b(&tampered(|v| v["v"] = json!(7))).unwrap_err();
    assert_eq!(rejection, Rejection::UnsupportedVersion(7));
    assert_eq!(
        rejection.to_string(),
        "envelope version 7 is not supported (this node reads version 1)"
    );
    let malformed = open_as_b(&tampered(|v| v["extra"] = json!(1))).unwrap_err();
    assert!(
        malformed.to_string().contains("unknown field `extra`"),
        "{malformed}"
    );
    assert_eq!(Rejection::sender_action("replay"), SenderAction::Delivered);
    assert_eq!(
        Rejection::sender_action("unknown_sender"),
        SenderAction::Retry
    );
    assert_eq!(
        Rejection::sender_action("from_the_future"),
        SenderAction::Retry
    );
    for code in [
        "bad_signature",
        "malformed",
        "too_old",
        "oversized",
        "whatever",
    ] {
        assert_eq!(
            Rejection::sender_action(code),
            SenderAction::GiveUp,
            "{code}"
        );
    }
}

#[test]
fn envelope_ids_must_be_v7() {
    let error = EnvelopeDraft::new(
        uuid::Uuid::parse_str("6f1b5c1e-2b1a-4c3d-9e8f-0123456789ab").unwrap(),
        "node-a",
        "node-b",
        now(),
        "H0",
        &search(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "envelope id must be a UUIDv7, got version 4"
    );
}

#[test]
fn default_limits() {
    let sender_key = |_: &str| None;
    let seen = |_: &str| false;
    let ctx = VerifyContext::new("node-b", now(), &sender_key, &seen);
    assert_eq!(ctx.max_skew, Duration::from_secs(300));
    assert!(ctx.max_age > liaison_federation::Backoff::default().max_age + ctx.max_skew);
    assert_eq!(
        liaison_federation::seen_id_retention(ctx.max_age, ctx.max_skew),
        Duration::from_secs(24 * 3600 + 300)
    );
}

proptest! {
    #[test]
    fn open_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = open_as_b(&bytes);
    }

    /// Mutating any byte of a valid envelope never panics and never yields a different accepted envelope.
    #[test]
    fn open_never_accepts_a_mutated_envelope(index in 0usize..10_000, byte in any::<u8>()) {
        let original = encode(&sealed());
        let mut bytes = original.clone();
        let index = index % bytes.len();
        bytes[index] = byte;
        if let Ok(opened) = open_as_b(&bytes) {
            prop_assert_eq!(opened, sealed());
        }
    }

    /// JSON-shaped noise (objects with the right keys and wrong values) reaches deeper checks.
    #[test]
    fn open_never_panics_on_envelope_shaped_json(
        v in prop_oneof![Just(json!(1)), any::<i64>().prop_map(|n| json!(n)), Just(json!(null))],
        id in "[0-9a-f-]{0,40}",
        from in "[a-z-]{0,10}",
        created in "[0-9TZ:.-]{0,30}",
        handling in "H[0-9]",
        payload in prop_oneof![Just(json!({})), Just(json!([])), any::<f64>().prop_map(|f| json!({"x": f}))],
        sig in "[A-Za-z0-9+/=]{0,100}",
    ) {
        let value = json!({
            "v": v, "id": id, "from": from, "to": "node-b", "created": created,
            "type": "search.request", "handling": handling, "payload": payload, "sig": sig,
        });
        let _ = open_as_b(&serde_json::to_vec(&value).unwrap());
    }
}
