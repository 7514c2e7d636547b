//! Federation with partner nodes: this node's federation identity (TLS certificate, signing key), the
//! pinned certificates of its partners, the clients that reach them, the router of the mutual-TLS listener
//! (`inbound`: one route that receives signed envelopes) and the outbox worker that delivers queued envelopes
//! exactly once (`outbox`).

mod inbound;
mod outbox;
pub mod transport;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use liaison_crypto::{NodeSigningKey, PinSet, TlsIdentity};
use liaison_federation::{EnvelopeDraft, RateLimiter, seal};
use liaison_proto::federation::{Envelope, Payload, encode};
use liaison_store::{PARTNER_ACTIVE, PartnerRow, Store};

pub use inbound::{FEDERATION_PATH, federation_router};
pub use outbox::{OutboxWorker, deliver_due};
pub(crate) use outbox::{enqueue, outbox_row};

use crate::services::ServiceError;

/// How long a federated search waits for partners when their agreement sets no deadline.
pub const DEFAULT_SEARCH_DEADLINE: Duration = Duration::from_secs(2);

/// What this node needs to federate. Shared by the HTTP services (fan-out search, disclosures), the
/// federation listener and the outbox worker.
pub struct Federation {
    pub identity: TlsIdentity,
    pub key: NodeSigningKey,
    /// The `https://host:port` partners reach this node at.
    pub endpoint: Option<String>,
    /// Fingerprints of active partners' certificates: asked at every handshake.
    pub pins: Arc<PinSet>,
    /// Secret under which hit references are derived (see `liaison_federation::hit_ref`).
    hit_secret: Vec<u8>,
    clients: Mutex<HashMap<String, (String, reqwest::Client)>>,
    /// Each partner's allowance, with the agreed rate it was made for (a new agreement resets it).
    limiters: Mutex<HashMap<String, (u32, RateLimiter)>>,
    /// Wakes the outbox worker when something is queued.
    pub outbox_signal: Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Federation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Federation")
            .field("fingerprint", &self.identity.fingerprint())
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

fn lock_failed() -> ServiceError {
    ServiceError::Internal("a federation lock is poisoned".into())
}

impl Federation {
    pub fn new(
        identity: TlsIdentity,
        key: NodeSigningKey,
        endpoint: Option<String>,
        hit_secret: Vec<u8>,
    ) -> Federation {
        Federation {
            identity,
            key,
            endpoint,
            pins: Arc::new(PinSet::new(Vec::<String>::new())),
            hit_secret,
            clients: Mutex::new(HashMap::new()),
            limiters: Mutex::new(HashMap::new()),
            outbox_signal: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// Pins the certificates of the store's active partners (and only those), so a partner added, changed
    /// or revoked takes effect at the next handshake.
    pub async fn reload_pins(&self, store: &dyn Store) -> Result<(), ServiceError> {
        let partners = store.list_partners().await?;
        self.pins.replace_all(
            partners
                .iter()
                .filter(|p| p.status == PARTNER_ACTIVE)
                .map(|p| p.tls_fingerprint.clone()),
        );
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|node, (fingerprint, _)| {
                partners
                    .iter()
                    .any(|p| &p.node_id == node && &p.tls_fingerprint == fingerprint)
            });
        }
        Ok(())
    }

    pub fn hit_secret(&self) -> &[u8] {
        &self.hit_secret
    }

    /// The client for a partner, pinned to its certificate; made once and kept (it pools connections).
    pub fn client_for(&self, partner: &PartnerRow) -> Result<reqwest::Client, ServiceError> {
        let mut clients = self.clients.lock().map_err(|_| lock_failed())?;
        if let Some((fingerprint, client)) = clients.get(&partner.node_id)
            && fingerprint == &partner.tls_fingerprint
        {
            return Ok(client.clone());
        }
        let client = transport::partner_client(
            &self.identity,
            &partner.tls_fingerprint,
            Duration::from_secs(30),
        )
        .map_err(|e| ServiceError::Internal(format!("client for {}: {e}", partner.node_id)))?;
        clients.insert(
            partner.node_id.clone(),
            (partner.tls_fingerprint.clone(), client.clone()),
        );
        Ok(client)
    }

    /// Takes one request from the partner's allowance; false when it is over its agreed rate.
    pub fn take_rate(&self, partner: &str, per_minute: u32, now: DateTime<Utc>) -> bool {
        let Ok(mut limiters) = self.limiters.lock() else {
            return false;
        };
        let entry = limiters
            .entry(partner.to_owned())
            .or_insert_with(|| (per_minute, RateLimiter::new(per_minute, per_minute.max(1))));
        if entry.0 != per_minute {
            *entry = (per_minute, RateLimiter::new(per_minute, per_minute.max(1)));
        }
        entry.1.try_take(now)
    }

    /// Signs a message for a partner. (Every argument is a field of the envelope; bundling them would only
    /// rename them.)
    #[allow(clippy::too_many_arguments)]
    pub fn seal<P: Payload>(
        &self,
        from: &str,
        to: &str,
        now: DateTime<Utc>,
        handling: &str,
        payload: &P,
        thread: Option<String>,
        case_ref: Option<String>,
    ) -> Result<Envelope, ServiceError> {
        let mut draft = EnvelopeDraft::new(uuid::Uuid::now_v7(), from, to, now, handling, payload)
            .map_err(|e| ServiceError::Internal(format!("cannot seal a {}: {e}", P::KIND)))?
            .with_case_ref(case_ref);
        if let Some(thread) = thread {
            draft = draft.in_thread(thread);
        }
        Ok(seal(draft, &self.key))
    }
}

/// Posts an envelope to a partner's federation listener and returns the status and body of the answer.
pub async fn post_envelope(
    client: &reqwest::Client,
    partner: &PartnerRow,
    envelope: &Envelope,
    timeout: Duration,
) -> Result<(u16, Vec<u8>), reqwest::Error> {
    post_bytes(client, partner, encode(envelope), timeout).await
}

pub(crate) async fn post_bytes(
    client: &reqwest::Client,
    partner: &PartnerRow,
    bytes: Vec<u8>,
    timeout: Duration,
) -> Result<(u16, Vec<u8>), reqwest::Error> {
    let url = format!(
        "{}{FEDERATION_PATH}",
        partner.endpoint.trim_end_matches('/')
    );
    let response = client
        .post(url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await?;
    let status = response.status().as_u16();
    let body = response.bytes().await?;
    Ok((status, body.to_vec()))
}

/// Starts the federation listener (mutual TLS, pinned partners only) on `listener` and the outbox worker;
/// both stop when `stop` turns true. A refused handshake is audited with the remote address and reason.
pub fn spawn_federation(
    node: crate::Node,
    listener: tokio::net::TcpListener,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, ServiceError> {
    spawn_federation_with(node, listener, stop, OutboxWorker::default())
}

/// [`spawn_federation`] with the outbox worker's settings (retry pace, polling) given.
pub fn spawn_federation_with(
    node: crate::Node,
    listener: tokio::net::TcpListener,
    stop: tokio::sync::watch::Receiver<bool>,
    worker: OutboxWorker,
) -> Result<Vec<tokio::task::JoinHandle<()>>, ServiceError> {
    let Some(federation) = node.federation.clone() else {
        return Err(ServiceError::Conflict(
            "this node has no federation identity".into(),
        ));
    };
    let tls = liaison_crypto::federation_server_config(
        &federation.identity,
        federation.pins.clone() as Arc<dyn liaison_crypto::PinnedPeers>,
    )
    .map_err(|e| ServiceError::Internal(format!("federation TLS: {e}")))?;
    let audit_node = node.clone();
    let on_refused: transport::OnRefused = Arc::new(move |remote, reason| {
        let node = audit_node.clone();
        tokio::spawn(async move {
            let event = crate::services::AuditEvent::new("federation.refused", "refused")
                .detail(format!("connection from {remote}: {reason}"));
            let caller = crate::services::Caller {
                actor: crate::Actor::Anonymous,
                request_id: None,
            };
            if let Err(error) = crate::services::record_audit(&node, &caller, event).await {
                tracing::error!(%error, "cannot audit a refused federation connection");
            }
        });
    });
    let until = |mut stop: tokio::sync::watch::Receiver<bool>| async move {
        while !*stop.borrow() {
            if stop.changed().await.is_err() {
                return;
            }
        }
    };
    let router = federation_router(node.clone());
    let listening = tokio::spawn({
        let stop = stop.clone();
        async move {
            if let Err(error) =
                transport::serve_federation(listener, tls, router, on_refused, until(stop)).await
            {
                tracing::error!(%error, "the federation listener stopped");
            }
        }
    });
    let worker = tokio::spawn(worker.run(node, until(stop)));
    Ok(vec![listening, worker])
}
