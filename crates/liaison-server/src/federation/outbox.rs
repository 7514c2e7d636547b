//! The outbox worker: delivers queued envelopes to partners until each is acknowledged by a signed receipt
//! that matches it, retrying with exponential backoff and full jitter; gives up after the backoff's maximum
//! age and says so in the audit log. Envelopes are stored before they are sent and the partner's inbox is
//! idempotent, so a crash on either side loses nothing and delivers nothing twice. The same worker retries
//! inbox messages whose processing failed.

use std::time::Duration;

use futures_util::StreamExt;
use liaison_federation::{
    Backoff, NextAttempt, Rejection, SenderAction, VerifyContext, open, open_payload,
    receipt_matches,
};
use liaison_proto::federation::{Envelope, KIND_RECEIPT, Receipt, decode, encode};
use liaison_store::{OUTBOX_PENDING, OutboxRow, PARTNER_ACTIVE};

use super::Federation;
use super::inbound::process_inbox;
use crate::Node;
use crate::services::{AuditEvent, Caller, ServiceError, record_audit};

/// Envelopes sent at once in one pass.
const PARALLEL: usize = 16;
/// Envelopes looked at per pass.
const PASS: u32 = 256;

/// How the worker runs.
#[derive(Debug, Clone, Copy)]
pub struct OutboxWorker {
    pub backoff: Backoff,
    /// How often the worker looks for due envelopes when nothing wakes it.
    pub poll: Duration,
    /// Time allowed for one delivery.
    pub timeout: Duration,
}

impl Default for OutboxWorker {
    fn default() -> Self {
        OutboxWorker {
            backoff: Backoff {
                max_delay: Duration::from_secs(60),
                ..Backoff::default()
            },
            poll: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
        }
    }
}

impl OutboxWorker {
    /// Runs until `shutdown` resolves: delivers what is due whenever something is queued or `poll` passes.
    pub async fn run(self, node: Node, shutdown: impl std::future::Future<Output = ()>) {
        let Some(federation) = node.federation.clone() else {
            return;
        };
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            // A full pass means more may be due already: go on at once instead of waiting for `poll`.
            let more = match deliver_pass(&node, &self).await {
                Ok(pass) => pass.due == PASS as usize,
                Err(error) => {
                    tracing::warn!(%error, "outbox pass failed");
                    false
                }
            };
            if let Err(error) = retry_inbox(&node).await {
                tracing::warn!(%error, "inbox retry failed");
            }
            tokio::select! {
                biased;
                () = &mut shutdown => return,
                () = std::future::ready(()), if more => {}
                () = federation.outbox_signal.notified() => {}
                () = tokio::time::sleep(self.poll) => {}
            }
        }
    }
}

/// Stores a sealed envelope for delivery to its recipient (due at once) and wakes the worker: the one way a
/// message enters the outbox.
pub(crate) async fn enqueue(
    node: &Node,
    federation: &Federation,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    node.store
        .enqueue_outbox(&outbox_row(node, envelope))
        .await?;
    federation.outbox_signal.notify_one();
    Ok(())
}

/// The outbox row of a sealed envelope, due at once (for callers that store it in their own transaction;
/// they wake the worker with `Federation::outbox_signal` once it is stored).
pub(crate) fn outbox_row(node: &Node, envelope: &Envelope) -> OutboxRow {
    let now = node.now();
    OutboxRow {
        id: envelope.id.clone(),
        recipient: envelope.to.clone(),
        kind: envelope.kind.clone(),
        envelope: encode(envelope),
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        state: OUTBOX_PENDING.to_owned(),
        last_error: None,
        delivered_at: None,
    }
}

/// Random in [0, 1) for backoff jitter, from the system's random source.
fn jitter() -> f64 {
    (uuid::Uuid::new_v4().as_u128() >> 75) as f64 / (1u64 << 53) as f64
}

/// One pass: sends every due envelope (up to a pass's worth) and records each outcome. Returns how many were
/// delivered.
pub async fn deliver_due(node: &Node, worker: &OutboxWorker) -> Result<usize, ServiceError> {
    Ok(deliver_pass(node, worker).await?.delivered)
}

/// What one pass did.
struct Pass {
    /// Envelopes that were due (at most [`PASS`]).
    due: usize,
    delivered: usize,
}

async fn deliver_pass(node: &Node, worker: &OutboxWorker) -> Result<Pass, ServiceError> {
    let Some(federation) = node.federation.clone() else {
        return Ok(Pass {
            due: 0,
            delivered: 0,
        });
    };
    let due = node.store.due_outbox(node.now(), PASS).await?;
    // Up to PARALLEL deliveries in flight, a new one starting as soon as one ends, so one slow answer does
    // not hold up the others. Every outcome is recorded before the first error (if any) is returned.
    let deliveries: Vec<_> = due
        .iter()
        .map(|row| deliver_one(node, &federation, worker, row))
        .collect();
    let mut outcomes = futures_util::stream::iter(deliveries).buffer_unordered(PARALLEL);
    let mut delivered = 0;
    let mut failure = None;
    while let Some(outcome) = outcomes.next().await {
        match outcome {
            Ok(true) => delivered += 1,
            Ok(false) => {}
            Err(error) => failure = failure.or(Some(error)),
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(Pass {
            due: due.len(),
            delivered,
        }),
    }
}

async fn deliver_one(
    node: &Node,
    federation: &Federation,
    worker: &OutboxWorker,
    row: &OutboxRow,
) -> Result<bool, ServiceError> {
    let partner = match node.store.get_partner(&row.recipient).await? {
        Some(partner) if partner.status == PARTNER_ACTIVE => partner,
        _ => {
            give_up(node, row, "the recipient is not an active partner").await?;
            return Ok(false);
        }
    };
    let Ok(sent) = decode(&row.envelope, usize::MAX) else {
        give_up(node, row, "the queued envelope cannot be read").await?;
        return Ok(false);
    };
    let client = federation.client_for(&partner)?;
    let answer = super::post_bytes(&client, &partner, row.envelope.clone(), worker.timeout).await;
    let error = match answer {
        Ok((200, body)) => {
            let now = node.now();
            let receipt = {
                let sender_key =
                    |from: &str| (from == partner.node_id).then(|| partner.signing_key.clone());
                let not_seen = |_: &str| false;
                let context = VerifyContext::new(node.id.as_str(), now, &sender_key, &not_seen);
                open(&body, &context).and_then(|e| receipt_of(&e))
            };
            match receipt {
                Ok(receipt) if receipt_matches(&receipt, &sent) => {
                    node.store.mark_delivered(&row.id, now).await?;
                    return Ok(true);
                }
                Ok(_) => "the receipt names another envelope".to_owned(),
                Err(rejection) => format!("the receipt was refused: {rejection}"),
            }
        }
        Ok((status, body)) => {
            let code = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("http_{status}"));
            match Rejection::sender_action(&code) {
                SenderAction::Delivered => {
                    node.store.mark_delivered(&row.id, node.now()).await?;
                    return Ok(true);
                }
                SenderAction::GiveUp if status < 500 => {
                    give_up(node, row, &format!("the partner refused it: {code}")).await?;
                    return Ok(false);
                }
                _ => format!("the partner answered {status} ({code})"),
            }
        }
        Err(e) => format!("cannot reach the partner: {e}"),
    };
    let attempts = row.attempts.saturating_add(1);
    match worker
        .backoff
        .next_attempt(attempts, row.created_at, node.now(), jitter())
    {
        NextAttempt::At(at) => {
            node.store
                .reschedule_outbox(&row.id, attempts, at, &error)
                .await?;
        }
        NextAttempt::GiveUp => {
            give_up(node, row, &format!("still undelivered: {error}")).await?;
        }
    }
    Ok(false)
}

fn receipt_of(envelope: &Envelope) -> Result<Receipt, Rejection> {
    if envelope.kind != KIND_RECEIPT {
        return Err(Rejection::Malformed(format!(
            "expected a receipt, got `{}`",
            envelope.kind
        )));
    }
    open_payload(envelope)
}

/// Stops trying and tells the node's people through the audit log (and the server log).
async fn give_up(node: &Node, row: &OutboxRow, reason: &str) -> Result<(), ServiceError> {
    tracing::error!(envelope = %row.id, recipient = %row.recipient, reason, "delivery abandoned");
    node.store.fail_outbox(&row.id, reason).await?;
    let mut event = AuditEvent::new("federation.delivery_failed", "failed")
        .object(format!("envelope/{}", row.id))
        .detail(format!("{} to {}: {reason}", row.kind, row.recipient));
    event.recipients = vec![row.recipient.clone()];
    record_audit(node, &Caller::cli(), event).await
}

/// Processes stored inbox messages whose processing failed earlier (or was cut short by a restart). A
/// message gets a grace period first, so one being processed as it arrives is not taken twice.
async fn retry_inbox(node: &Node) -> Result<(), ServiceError> {
    let settled = node.now() - chrono::TimeDelta::seconds(30);
    for row in node.store.unprocessed_inbox(64).await? {
        if row.received_at > settled {
            continue;
        }
        let Ok(envelope) = decode(&row.envelope, usize::MAX) else {
            continue;
        };
        let Some(partner) = node.store.get_partner(&row.sender).await? else {
            continue;
        };
        if let Err(error) = process_inbox(node, &partner, &envelope).await {
            tracing::warn!(envelope = %row.id, %error, "inbox message still not processed");
        }
    }
    Ok(())
}
