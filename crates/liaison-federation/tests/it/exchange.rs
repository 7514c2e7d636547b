//! A whole exchange between two nodes, as the server will drive it: search, answer under the agreement,
//! receipt, disclosure request and decision.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use liaison_core::{Purpose, RecordType};
use liaison_crypto::NodeSigningKey;
use liaison_federation::{
    Agreement, DisclosureEvent, DisclosureState, EnvelopeDraft, RateLimiter, SearchRefusal,
    VerifyContext, hit_ref, open, open_payload, receipt_for, receipt_matches, refused_search, seal,
};
use liaison_proto::api::ScreenQuery;
use liaison_proto::federation::{
    DecisionState, DisclosureDecision, DisclosureRequest, Envelope, HitBand, Receipt,
    SearchRequest, SearchResponse, SearchStatus, encode, parse_agreement_toml,
};
use serde_json::json;

struct Node {
    id: &'static str,
    key: NodeSigningKey,
    seen: Vec<String>,
}

impl Node {
    /// A node with a fixed key: `seed` is the key file (a 32-byte seed in base64).
    fn new(id: &'static str, seed: &str) -> Node {
        Node {
            id,
            key: NodeSigningKey::from_file_text(seed).unwrap(),
            seen: Vec::new(),
        }
    }

    /// Opens bytes from `partner` and remembers the id, as the inbox does once the envelope is stored.
    fn receive(&mut self, bytes: &[u8], partner: &Node, now: DateTime<Utc>) -> Envelope {
        let partner_id = partner.id;
        let partner_key = partner.key.public_key_base64();
        let sender_key = move |node: &str| (node == partner_id).then(|| partner_key.clone());
        let seen_ids = self.seen.clone();
        let seen = move |id: &str| seen_ids.iter().any(|s| s == id);
        let envelope = open(bytes, &VerifyContext::new(self.id, now, &sender_key, &seen)).unwrap();
        self.seen.push(envelope.id.clone());
        envelope
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap()
}

fn uuid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0189_0a5d_ac96_7000_8000_0000_0000_0000 | n)
}

const AGREEMENT: &str = r#"partner = "node-a"
purposes = ["border_check", "criminal_investigation"]
categories = ["person", "document", "vehicle", "alert"]
step1 = "category"
step2_approval = "manual"
rate_limit_per_minute = 2
response_deadline_ms = 2000
"#;

#[test]
fn search_answer_receipt_and_disclosure() {
    let mut a = Node::new("node-a", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
    let mut b = Node::new("node-b", "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=");
    let b_secret = [9u8; 32];
    let agreement = Agreement::from_file(&parse_agreement_toml(AGREEMENT).unwrap(), 1).unwrap();
    let mut limiter = RateLimiter::for_agreement(&agreement);

    // A asks B.
    let request = SearchRequest {
        correlation_id: "corr-1".to_owned(),
        query: ScreenQuery {
            names: vec!["Vladimir Shcherbakov".to_owned()],
            ..ScreenQuery::default()
        },
        purpose: "border_check".to_owned(),
        case_ref: Some("OP-LANTERN".to_owned()),
        limit: 10,
    };
    let draft = EnvelopeDraft::new(uuid(1), a.id, b.id, t0(), "H0", &request)
        .unwrap()
        .with_case_ref(request.case_ref.clone());
    let sent = seal(draft, &a.key);
    let at_b = b.receive(&encode(&sent), &a, t0() + TimeDelta::milliseconds(40));

    // B acknowledges, admits the search under the agreement and answers in the request's thread.
    let receipt = receipt_for(&at_b, t0() + TimeDelta::milliseconds(41));
    assert!(receipt_matches(&receipt, &sent));
    let asked: SearchRequest = open_payload(&at_b).unwrap();
    assert!(limiter.try_take(t0()));
    assert_eq!(
        agreement.admit_search(&asked.purpose),
        Ok(Purpose::BorderCheck)
    );
    let reference = hit_ref(
        &b_secret,
        a.id,
        RecordType::Person,
        "p1",
        &asked.correlation_id,
    );
    let hits: Vec<_> = [
        (RecordType::Person, "p1", 0.93),
        (RecordType::Case, "c1", 0.88),
    ]
    .into_iter()
    .filter_map(|(category, id, score)| {
        agreement.reveal(
            hit_ref(&b_secret, a.id, category, id, &asked.correlation_id),
            category,
            score,
            HitBand::Strong,
            Some(json!({"names": ["Владимир Щербаков"]})),
        )
    })
    .collect();
    let response = SearchResponse {
        correlation_id: asked.correlation_id.clone(),
        status: SearchStatus::Answered,
        reason: None,
        hits,
    };
    let answer = seal(
        EnvelopeDraft::new(
            uuid(2),
            b.id,
            a.id,
            t0() + TimeDelta::milliseconds(50),
            "H0",
            &response,
        )
        .unwrap()
        .in_thread(at_b.id.clone()),
        &b.key,
    );
    let receipt_envelope = seal(
        EnvelopeDraft::new(
            uuid(3),
            b.id,
            a.id,
            t0() + TimeDelta::milliseconds(42),
            "H0",
            &receipt,
        )
        .unwrap()
        .in_thread(at_b.id.clone()),
        &b.key,
    );

    // A gets the receipt and the answer: one hit, category only, no summary, the case left out.
    let got_receipt: Receipt =
        open_payload(&a.receive(&encode(&receipt_envelope), &b, t0() + TimeDelta::seconds(1)))
            .unwrap();
    assert!(receipt_matches(&got_receipt, &sent));
    let at_a = a.receive(&encode(&answer), &b, t0() + TimeDelta::seconds(1));
    assert_eq!(at_a.thread.as_deref(), Some(sent.id.as_str()));
    let answered: SearchResponse = open_payload(&at_a).unwrap();
    assert_eq!(answered.hits.len(), 1);
    assert_eq!(answered.hits[0].hit_ref, reference);
    assert_eq!(answered.hits[0].record_type.as_deref(), Some("person"));
    assert_eq!(answered.hits[0].score_milli, 930);
    assert_eq!(answered.hits[0].summary, None);

    // The same envelope again is a replay at A.
    let sender_key = |_: &str| Some(b.key.public_key_base64());
    let seen = |id: &str| a.seen.iter().any(|s| s == id);
    let replay = open(
        &encode(&answer),
        &VerifyContext::new(a.id, t0(), &sender_key, &seen),
    );
    assert_eq!(replay.unwrap_err().code(), "replay");

    // Step 2: A asks for the record; B's supervisor approves.
    let ask = DisclosureRequest {
        request_id: "dr-1".to_owned(),
        hit_ref: reference,
        purpose: "border_check".to_owned(),
        legal_basis: "Schengen Borders Code art. 8".to_owned(),
        case_ref: None,
    };
    let ask_at_b = b.receive(
        &encode(&seal(
            EnvelopeDraft::new(
                uuid(4),
                a.id,
                b.id,
                t0() + TimeDelta::seconds(5),
                "H0",
                &ask,
            )
            .unwrap(),
            &a.key,
        )),
        &a,
        t0() + TimeDelta::seconds(5),
    );
    let asked: DisclosureRequest = open_payload(&ask_at_b).unwrap();
    assert_eq!(
        agreement.admit_disclosure(&asked.purpose, RecordType::Person),
        Ok(Purpose::BorderCheck)
    );
    let state = DisclosureState::Pending
        .transition(DisclosureEvent::Approve)
        .unwrap();
    let decision = DisclosureDecision {
        request_id: asked.request_id.clone(),
        state: DecisionState::Approved,
        reason: None,
        record: Some(
            json!({"type": "person", "id": "p1", "names": [{"full": "Владимир Щербаков"}]}),
        ),
        handling: Some("H2".to_owned()),
        retain_until: Some("2027-03-01".to_owned()),
    };
    let decided_at_a = a.receive(
        &encode(&seal(
            EnvelopeDraft::new(
                uuid(5),
                b.id,
                a.id,
                t0() + TimeDelta::minutes(3),
                "H2",
                &decision,
            )
            .unwrap()
            .in_thread(ask_at_b.id.clone()),
            &b.key,
        )),
        &b,
        t0() + TimeDelta::minutes(3),
    );
    let decided: DisclosureDecision = open_payload(&decided_at_a).unwrap();
    assert_eq!(decided.state, DecisionState::Approved);
    assert_eq!(state, DisclosureState::Approved);
    assert!(
        state.transition(DisclosureEvent::Expire).is_err(),
        "a decided request cannot expire"
    );

    // The rate limit of 2 per minute: one search taken above, one more, then refused.
    assert!(limiter.try_take(t0()));
    assert!(!limiter.try_take(t0()));
    let refused = refused_search("corr-2", &SearchRefusal::RateLimited);
    assert_eq!(refused.status, SearchStatus::Refused);
}
