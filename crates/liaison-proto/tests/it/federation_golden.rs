//! Golden files of federation version 1: one signed envelope per message kind and a node card, made with a
//! fixed key. A node must keep reading them byte for byte, so an old message still parses and verifies.
//!
//! The files are never rewritten by a normal test run. `LIAISON_BLESS=1 cargo test -p liaison-proto` writes
//! the ones that are missing (for a new message kind); changing an existing file means a new version.

use std::path::{Path, PathBuf};

use liaison_crypto::{NodeSigningKey, verify_signature};
use liaison_proto::api::ScreenQuery;
use liaison_proto::federation::{
    AttachmentRef, DecisionState, DisclosureDecision, DisclosureRequest, Envelope, FreeTextMessage,
    HitBand, LegalActionMessage, LegalCatalogueMessage, LegalEvidenceMessage, LegalRequestMessage,
    NodeCard, PartnerHit, Payload, Receipt, SearchRequest, SearchResponse, SearchStatus,
    canonical_bytes, card_canonical_bytes, decode, decode_card, decode_payload, encode,
    encode_card, encode_payload,
};
use liaison_proto::legal::{CatalogueOffence, CustodyEvent};
use serde_json::json;

/// The key file (a 32-byte seed, base64) of the fixed test key: bytes 0, 1, ..., 31.
const GOLDEN_SEED: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
/// Its public key, written out so that a change of key derivation is noticed too.
const GOLDEN_PUBLIC_KEY: &str = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
const MAX_BYTES: usize = 1024 * 1024;
/// A self-signed certificate for `node-a` (ECDSA P-256, made once), as `liaison init` writes them.
const GOLDEN_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBqzCCAVKgAwIBAgIQAfp12uDUnYMZi+pU8GOGwTAKBggqhkjOPQQDAjARMQ8w\n\
DQYDVQQDDAZub2RlLWEwHhcNMjYxMTI4MTQwMzQ4WhcNMzExMTI5MTQwMzQ4WjAR\n\
MQ8wDQYDVQQDDAZub2RlLWEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASxNrNn\n\
7BF7pGII9DLtVYRjUQs1lihKWnOpxmdbsuxfkWrs6+1DUcTFV/sici01J2p9x1Ch\n\
lMfi7HxN0W+6Oyi+o4GLMIGIMCoGA1UdEQQjMCGCDm5vZGUtYS5leGFtcGxlggls\n\
b2NhbGhvc3SHBH8AAAEwDgYDVR0PAQH/BAQDAgeAMB0GA1UdJQQWMBQGCCsGAQUF\n\
BwMBBggrBgEFBQcDAjAdBgNVHQ4EFgQUcKzbb3+eHXaKfEjNKcnRGtHZrsEwDAYD\n\
VR0TAQH/BAIwADAKBggqhkjOPQQDAgNHADBEAiA6nr97ftB5W6QOlX65TXfQr2o9\n\
JRh6NyNB2D4jCKNa5AIgesmB5tgfXyoI9h7fntKSPH3lmnF5HjTmha6z5yYdNCo=\n\
-----END CERTIFICATE-----\n\
";
/// `sha256:` and the SHA-256 of the certificate's DER.
const GOLDEN_FINGERPRINT: &str =
    "sha256:c350d8759a150ca19a3d0384a42a5de28942cffb8e3f16b5b9e85f263d32c880";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/federation/v1")
}

fn key() -> NodeSigningKey {
    NodeSigningKey::from_file_text(GOLDEN_SEED).unwrap()
}

/// The envelope of one golden message, signed with the fixed key.
fn signed<P: Payload>(
    id_suffix: &str,
    created: &str,
    thread: Option<&str>,
    payload: &P,
) -> Envelope {
    let mut envelope = Envelope {
        v: 1,
        id: format!("01958a2c-4f00-7000-8000-{id_suffix}"),
        from: "node-a".to_owned(),
        to: "node-b".to_owned(),
        created: created.to_owned(),
        kind: P::KIND.to_owned(),
        thread: thread.map(str::to_owned),
        case_ref: Some("OP-LANTERN-7".to_owned()),
        handling: "H2".to_owned(),
        payload: encode_payload(payload).unwrap(),
        sig: String::new(),
    };
    envelope.sig = key().sign(&canonical_bytes(&envelope));
    envelope
}

const SEARCH_ID: &str = "01958a2c-4f00-7000-8000-000000000001";
const DISCLOSURE_ID: &str = "01958a2c-4f00-7000-8000-000000000003";

/// Every golden envelope: file name and the envelope today's code builds for it.
fn envelopes() -> Vec<(&'static str, Envelope)> {
    let search = SearchRequest {
        correlation_id: "corr-0001".to_owned(),
        query: ScreenQuery {
            names: vec![
                "Владимир Щербаков".to_owned(),
                "SHCHERBAKOV<<VLADIMIR".to_owned(),
            ],
            birth_date: Some("1975-03".to_owned()),
            nationality: Some("RUS".to_owned()),
            sex: Some("M".to_owned()),
            documents: vec!["L898902C3".to_owned()],
        },
        purpose: "border_check".to_owned(),
        case_ref: Some("OP-LANTERN-7".to_owned()),
        limit: 10,
    };
    let response = SearchResponse {
        correlation_id: "corr-0001".to_owned(),
        status: SearchStatus::Answered,
        reason: None,
        hits: vec![
            PartnerHit {
                hit_ref: "hit_5f0c1e2d3b4a69788796a5b4c3d2e1f0".to_owned(),
                record_type: Some("person".to_owned()),
                score_milli: 934,
                band: HitBand::Strong,
                summary: Some(
                    json!({"names": ["Владимир Щербаков"], "birth_year": 1975, "alert": "wanted_for_arrest"}),
                ),
            },
            PartnerHit {
                hit_ref: "hit_0a1b2c3d4e5f60718293a4b5c6d7e8f9".to_owned(),
                record_type: None,
                score_milli: 612,
                band: HitBand::Possible,
                summary: None,
            },
        ],
    };
    let disclosure = DisclosureRequest {
        request_id: "dr-0001".to_owned(),
        hit_ref: "hit_5f0c1e2d3b4a69788796a5b4c3d2e1f0".to_owned(),
        purpose: "criminal_investigation".to_owned(),
        legal_basis: "Council Framework Decision 2006/960/JHA, art. 3 \"exchange of information\""
            .to_owned(),
        case_ref: Some("OP-LANTERN-7".to_owned()),
    };
    let decision = DisclosureDecision {
        request_id: "dr-0001".to_owned(),
        state: DecisionState::Approved,
        reason: Some("approved by duty supervisor".to_owned()),
        record: Some(json!({
            "type": "person", "id": "p1",
            "names": [
                {"full": "Владимир Щербаков", "given": "Владимир", "family": "Щербаков", "kind": "primary"},
                {"full": "Vladimir Shcherbakov", "kind": "alias"}
            ],
            "birth_dates": ["1975-03-14"], "sex": "M", "nationalities": ["RUS"],
            "handling": {"code": "H2", "distribution": "partners"}, "retain_until": "2031-01-01"
        })),
        handling: Some("H2".to_owned()),
        retain_until: Some("2027-03-01".to_owned()),
    };
    let receipt = Receipt {
        envelope_id: SEARCH_ID.to_owned(),
        received_at: "2026-03-01T09:30:00.041200Z".to_owned(),
        digest: "9b7f0d3c8e1a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4".to_owned(),
    };
    let message = FreeTextMessage {
        subject: "Lantern: courier seen at Narva".to_owned(),
        body: "Subject crossed at 06:12 local time.\nVehicle B-AB 1234, see attached photo.\n\t— duty officer".to_owned(),
        attachments: vec![AttachmentRef {
            name: "crossing-0612.jpg".to_owned(),
            sha256: "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b".to_owned(),
            size: 48_213,
            media_type: "image/jpeg".to_owned(),
            content: None,
        }],
    };
    let legal_form: liaison_proto::legal::LegalRequestForm = serde_json::from_value(json!({
        "kind": "eio",
        "executing_node": "node-b",
        "urgent": true,
        "urgency_reason": "Evidence may be destroyed",
        "case_ref": "OP-LANTERN-7",
        "requesting_authority": {"name": "Public Prosecutor's Office, Zagreb", "country": "HR"},
        "persons": [{"name": "Владимир Щербаков", "birth_date": "1975-03-14", "role": "suspect"}],
        "offences": [{"iccs": "0701", "national_name": "Fraud", "max_penalty_years": 8, "listed_category": "swindling"}],
        "facts": "Investment fraud, 2026.\nProceeds moved abroad.",
        "measures": ["Bank records of the suspect's accounts"]
    }))
    .unwrap();
    let legal_request = LegalRequestMessage {
        request_id: "01958a2c-4f00-7000-8000-0000000000a1".to_owned(),
        sent_at: "2026-03-01T11:00:00.000000Z".to_owned(),
        created_by: "prosecutor".to_owned(),
        form: legal_form,
    };
    let legal_action = LegalActionMessage {
        request_id: "01958a2c-4f00-7000-8000-0000000000a1".to_owned(),
        action: "refuse".to_owned(),
        side: "executing".to_owned(),
        ordinal: 3,
        at: "2026-03-04T08:15:00.000000Z".to_owned(),
        actor: "central".to_owned(),
        state: "refused".to_owned(),
        grounds: Some("Directive 2014/41/EU Art. 11(1)(f): ne bis in idem".to_owned()),
        note: None,
        date: None,
        deadline: None,
        days: None,
        reason: None,
    };
    let evidence = LegalEvidenceMessage {
        request_id: "01958a2c-4f00-7000-8000-0000000000a1".to_owned(),
        evidence_id: "ev-0001".to_owned(),
        name: "statement.csv".to_owned(),
        media_type: "text/csv".to_owned(),
        size: 5,
        sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".to_owned(),
        content: "aGVsbG8=".to_owned(),
        custody: vec![CustodyEvent {
            seq: 1,
            event: "collected".to_owned(),
            at: "2026-03-05T10:00:00.000000Z".to_owned(),
            node: "node-a".to_owned(),
            actor: "central".to_owned(),
            sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".to_owned(),
            note: Some("Produced by the bank".to_owned()),
            prev: String::new(),
            signature: key().sign(b"golden custody event"),
        }],
    };
    let catalogue = LegalCatalogueMessage {
        updated_at: "2026-03-01T07:00:00.000000Z".to_owned(),
        offences: vec![CatalogueOffence {
            code: "StGB 263".to_owned(),
            name: "Betrug".to_owned(),
            max_penalty_years: 5,
            iccs: "0701".to_owned(),
        }],
    };
    vec![
        (
            "search.request.json",
            signed("000000000001", "2026-03-01T09:30:00.000000Z", None, &search),
        ),
        (
            "search.response.json",
            signed(
                "000000000002",
                "2026-03-01T09:30:00.052300Z",
                Some(SEARCH_ID),
                &response,
            ),
        ),
        (
            "disclosure.request.json",
            signed(
                "000000000003",
                "2026-03-01T09:31:10.000000Z",
                None,
                &disclosure,
            ),
        ),
        (
            "disclosure.decision.json",
            signed(
                "000000000004",
                "2026-03-01T09:40:00.000000Z",
                Some(DISCLOSURE_ID),
                &decision,
            ),
        ),
        (
            "receipt.json",
            signed(
                "000000000005",
                "2026-03-01T09:30:00.041300Z",
                Some(SEARCH_ID),
                &receipt,
            ),
        ),
        (
            "message.json",
            signed(
                "000000000006",
                "2026-03-01T10:02:00.000000Z",
                Some("lantern-thread"),
                &message,
            ),
        ),
        (
            "legal.request.json",
            signed(
                "0000000000a1",
                "2026-03-01T11:00:00.000000Z",
                None,
                &legal_request,
            ),
        ),
        (
            "legal.action.json",
            signed(
                "0000000000a2",
                "2026-03-04T08:15:00.000000Z",
                Some("01958a2c-4f00-7000-8000-0000000000a1"),
                &legal_action,
            ),
        ),
        (
            "legal.evidence.json",
            signed(
                "0000000000a3",
                "2026-03-05T10:00:00.000000Z",
                Some("01958a2c-4f00-7000-8000-0000000000a1"),
                &evidence,
            ),
        ),
        (
            "legal.catalogue.json",
            signed(
                "0000000000a4",
                "2026-03-01T07:00:00.000000Z",
                None,
                &catalogue,
            ),
        ),
    ]
}

fn card() -> NodeCard {
    let mut card = NodeCard {
        v: 1,
        node_id: "node-a".to_owned(),
        name: "Border Guard, Country A".to_owned(),
        country: "XAA".to_owned(),
        federation_endpoint: "https://node-a.example:7443".to_owned(),
        tls_certificate: GOLDEN_CERTIFICATE.to_owned(),
        tls_fingerprint: GOLDEN_FINGERPRINT.to_owned(),
        signing_key: key().public_key_base64(),
        created: "2026-03-01T08:00:00.000000Z".to_owned(),
        signature: String::new(),
    };
    card.signature = key().sign(&card_canonical_bytes(&card));
    card
}

/// Reads a golden file, or with `LIAISON_BLESS=1` writes it when it is missing.
fn golden(name: &str, expected: &[u8]) -> Vec<u8> {
    let path = golden_dir().join(name);
    if !path.exists() && std::env::var_os("LIAISON_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, expected).unwrap();
    }
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check_payload(envelope: &Envelope) {
    let result = match envelope.kind.as_str() {
        "search.request" => decode_payload::<SearchRequest>(envelope).map(drop),
        "search.response" => decode_payload::<SearchResponse>(envelope).map(drop),
        "disclosure.request" => decode_payload::<DisclosureRequest>(envelope).map(drop),
        "disclosure.decision" => decode_payload::<DisclosureDecision>(envelope).map(drop),
        "receipt" => decode_payload::<Receipt>(envelope).map(drop),
        "message" => decode_payload::<FreeTextMessage>(envelope).map(drop),
        "legal.request" => decode_payload::<LegalRequestMessage>(envelope).map(drop),
        "legal.action" => decode_payload::<LegalActionMessage>(envelope).map(drop),
        "legal.evidence" => decode_payload::<LegalEvidenceMessage>(envelope).map(drop),
        "legal.catalogue" => decode_payload::<LegalCatalogueMessage>(envelope).map(drop),
        other => panic!("no golden payload check for `{other}`"),
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", envelope.kind));
}

#[test]
fn fixed_key_is_the_documented_one() {
    assert_eq!(key().public_key_base64(), GOLDEN_PUBLIC_KEY);
}

#[test]
fn golden_envelopes_decode_reencode_and_verify() {
    let kinds: Vec<String> = envelopes().into_iter().map(|(_, e)| e.kind).collect();
    assert_eq!(
        kinds,
        liaison_proto::federation::KINDS,
        "one golden file per message kind"
    );
    for (name, built) in envelopes() {
        let bytes = golden(name, &encode(&built));
        let decoded = decode(&bytes, MAX_BYTES).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            encode(&decoded),
            bytes,
            "{name}: re-encoding changed the bytes"
        );
        verify_signature(GOLDEN_PUBLIC_KEY, &canonical_bytes(&decoded), &decoded.sig)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check_payload(&decoded);
        // Today's encoder still writes exactly the golden bytes for the same message.
        assert_eq!(
            decoded, built,
            "{name}: the golden message differs from the one built today"
        );
    }
}

#[test]
fn golden_node_card_decodes_reencodes_and_verifies() {
    let built = card();
    let text = golden("node-card.json", encode_card(&built).as_bytes());
    let decoded = decode_card(&text).unwrap();
    assert_eq!(encode_card(&decoded).as_bytes(), text.as_slice());
    verify_signature(
        GOLDEN_PUBLIC_KEY,
        &card_canonical_bytes(&decoded),
        &decoded.signature,
    )
    .unwrap();
    assert_eq!(decoded, built);
}

#[test]
fn every_golden_file_is_checked() {
    let mut on_disk: Vec<String> = std::fs::read_dir(golden_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut checked: Vec<String> = envelopes()
        .into_iter()
        .map(|(name, _)| name.to_owned())
        .collect();
    checked.push("node-card.json".to_owned());
    checked.sort();
    assert_eq!(on_disk, checked);
}

#[test]
fn a_changed_golden_envelope_fails_its_signature() {
    let (name, _) = &envelopes()[0];
    let bytes = std::fs::read(golden_dir().join(name)).unwrap();
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("border_check", "exercise");
    let decoded = decode(text.as_bytes(), MAX_BYTES).unwrap();
    assert!(verify_signature(GOLDEN_PUBLIC_KEY, &canonical_bytes(&decoded), &decoded.sig).is_err());
}
