//! Times sealing and opening a typical `search.response` envelope (ten hits with summaries), the message a
//! node handles most under federated screening.
//!
//! `cargo run --release -p liaison-federation --example seal_open`

use std::time::Instant;

use chrono::{TimeZone, Utc};
use liaison_crypto::NodeSigningKey;
use liaison_federation::{EnvelopeDraft, VerifyContext, open, seal};
use liaison_proto::federation::{HitBand, PartnerHit, SearchResponse, SearchStatus, encode};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = NodeSigningKey::generate();
    let public = key.public_key_base64();
    let now = Utc
        .with_ymd_and_hms(2026, 3, 1, 9, 30, 0)
        .single()
        .ok_or("bad time")?;
    let response = SearchResponse {
        correlation_id: "corr-1".to_owned(),
        status: SearchStatus::Answered,
        reason: None,
        hits: (0..10)
            .map(|i| PartnerHit {
                hit_ref: format!("hit_{i:032x}"),
                record_type: Some("person".to_owned()),
                score_milli: 900 - i,
                band: HitBand::Strong,
                summary: Some(json!({"names": ["Владимир Щербаков", "Vladimir Shcherbakov"], "birth_year": 1975})),
            })
            .collect(),
    };
    let draft = EnvelopeDraft::new(
        uuid::Uuid::now_v7(),
        "node-b",
        "node-a",
        now,
        "H0",
        &response,
    )?;
    let rounds = 5_000u32;

    let started = Instant::now();
    let mut bytes = Vec::new();
    for _ in 0..rounds {
        bytes = encode(&seal(draft.clone(), &key));
    }
    let seal_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);

    let sender_key = |_: &str| Some(public.clone());
    let seen = |_: &str| false;
    let ctx = VerifyContext::new("node-a", now, &sender_key, &seen);
    let started = Instant::now();
    for _ in 0..rounds {
        open(&bytes, &ctx)?;
    }
    let open_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);

    println!(
        "envelope {} bytes: seal+encode {seal_us:.1} µs, open (decode, checks, signature) {open_us:.1} µs",
        bytes.len()
    );
    Ok(())
}
