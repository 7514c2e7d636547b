//! The federation listener's one route: a partner (its certificate pinned) posts a signed envelope. The
//! envelope is opened (`liaison_federation::open`: size, form, version, recipient, sender = the partner the
//! certificate names, signature, age, replay) and then: a search is answered at once with a signed
//! `search.response`; any other message is stored once in the inbox, processed, and acknowledged with a
//! signed receipt (a repeated delivery gets the receipt again, nothing else happens). Every refusal is
//! audited with its reason.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use liaison_federation::{DEFAULT_MAX_BYTES, Rejection, VerifyContext, open, receipt_for};
use liaison_proto::federation::{
    Envelope, KIND_DISCLOSURE_DECISION, KIND_DISCLOSURE_REQUEST, KIND_LEGAL_ACTION,
    KIND_LEGAL_CATALOGUE, KIND_LEGAL_EVIDENCE, KIND_LEGAL_REQUEST, KIND_MESSAGE,
    KIND_SEARCH_REQUEST, encode,
};
use liaison_store::{InboxRow, PARTNER_ACTIVE, PartnerRow};
use serde_json::json;

use super::transport::PeerFingerprint;
use crate::services::{
    AuditEvent, Caller, ServiceError, disclosures, evidence, federated, legal, offences,
    record_audit,
};
use crate::{Actor, Node};

/// Where partners post envelopes.
pub const FEDERATION_PATH: &str = "/federation/v1/envelopes";

/// The router the federation listener serves (behind mutual TLS).
pub fn federation_router(node: Node) -> Router {
    Router::new()
        .route(FEDERATION_PATH, post(receive))
        .layer(DefaultBodyLimit::max(DEFAULT_MAX_BYTES + 1))
        .with_state(node)
}

/// A refusal sent back to the partner: a status and a stable code its outbox can act on.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    detail: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({ "code": self.code, "detail": self.detail })),
        )
            .into_response()
    }
}

impl From<liaison_store::StoreError> for Refusal {
    fn from(error: liaison_store::StoreError) -> Self {
        Refusal::from(ServiceError::from(error))
    }
}

impl From<ServiceError> for Refusal {
    fn from(error: ServiceError) -> Self {
        tracing::error!(%error, "federation request failed");
        Refusal {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            detail: "the node could not process the message; try again later".into(),
        }
    }
}

fn partner_caller(node: &str) -> Caller {
    Caller {
        actor: Actor::Partner {
            node: node.to_owned(),
        },
        request_id: None,
    }
}

async fn receive(
    State(node): State<Node>,
    Extension(peer): Extension<PeerFingerprint>,
    body: Bytes,
) -> Response {
    match handle(&node, &peer.0, &body).await {
        Ok(answer) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            encode(&answer),
        )
            .into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

async fn refuse(
    node: &Node,
    caller: &Caller,
    status: StatusCode,
    code: &'static str,
    detail: String,
) -> Result<Envelope, Refusal> {
    tracing::warn!(actor = %caller.actor.audit_name(), code, %detail, "federation message refused");
    record_audit(
        node,
        caller,
        AuditEvent::new("federation.refused", "refused").detail(format!("{code}: {detail}")),
    )
    .await?;
    Err(Refusal {
        status,
        code,
        detail,
    })
}

async fn handle(node: &Node, fingerprint: &str, body: &[u8]) -> Result<Envelope, Refusal> {
    let Some(federation) = node.federation.clone() else {
        return Err(Refusal {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "not_federating",
            detail: "this node does not federate".into(),
        });
    };
    let partner: PartnerRow = match node.store.partner_by_fingerprint(fingerprint).await? {
        Some(partner) if partner.status == PARTNER_ACTIVE => partner,
        // The handshake admits only pinned certificates; a partner revoked since then ends here.
        _ => {
            return refuse(
                node,
                &partner_caller("unknown"),
                StatusCode::FORBIDDEN,
                "unknown_sender",
                format!("certificate {fingerprint} is not an active partner's"),
            )
            .await;
        }
    };
    let caller = partner_caller(&partner.node_id);
    let now = node.now();
    let opened = {
        let sender_key =
            |from: &str| (from == partner.node_id).then(|| partner.signing_key.clone());
        // Replays are caught below, atomically, where the envelope is recorded.
        let not_seen = |_: &str| false;
        let context = VerifyContext::new(node.id.as_str(), now, &sender_key, &not_seen);
        open(body, &context)
    };
    let envelope = match opened {
        Ok(envelope) => envelope,
        Err(rejection) => {
            return refuse(
                node,
                &caller,
                StatusCode::BAD_REQUEST,
                rejection.code(),
                rejection.to_string(),
            )
            .await;
        }
    };
    match envelope.kind.as_str() {
        KIND_SEARCH_REQUEST => {
            if !node
                .store
                .remember_envelope(&envelope.id, &partner.node_id, now)
                .await?
            {
                let rejection = Rejection::Replay {
                    id: envelope.id.clone(),
                };
                return refuse(
                    node,
                    &caller,
                    StatusCode::BAD_REQUEST,
                    rejection.code(),
                    rejection.to_string(),
                )
                .await;
            }
            Ok(federated::answer_search(node, &federation, &partner, &envelope).await?)
        }
        KIND_DISCLOSURE_REQUEST
        | KIND_DISCLOSURE_DECISION
        | KIND_MESSAGE
        | KIND_LEGAL_REQUEST
        | KIND_LEGAL_ACTION
        | KIND_LEGAL_EVIDENCE
        | KIND_LEGAL_CATALOGUE => {
            let stored = InboxRow {
                id: envelope.id.clone(),
                sender: partner.node_id.clone(),
                kind: envelope.kind.clone(),
                envelope: body.to_vec(),
                received_at: now,
                processed: false,
            };
            if node.store.receive_inbox(&stored).await? {
                process_inbox(node, &partner, &envelope).await?;
            }
            let receipt = receipt_for(&envelope, now);
            Ok(federation.seal(
                node.id.as_str(),
                &partner.node_id,
                now,
                &envelope.handling,
                &receipt,
                Some(envelope.id.clone()),
                None,
            )?)
        }
        other => {
            refuse(
                node,
                &caller,
                StatusCode::BAD_REQUEST,
                "unsupported_kind",
                format!("`{other}` is not a message this node receives"),
            )
            .await
        }
    }
}

/// Acts on a stored message once: a disclosure request or decision, or a free-text message (kept in the
/// inbox). Marks it processed; a failure leaves it for the worker to retry.
pub(crate) async fn process_inbox(
    node: &Node,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let caller = partner_caller(&partner.node_id);
    match envelope.kind.as_str() {
        KIND_DISCLOSURE_REQUEST => {
            disclosures::receive_request(node, &caller, partner, envelope).await?
        }
        KIND_DISCLOSURE_DECISION => {
            disclosures::receive_decision(node, &caller, partner, envelope).await?
        }
        KIND_LEGAL_REQUEST => {
            legal::receive_request(node, partner, envelope).await?;
            legal::apply_waiting_actions(node, partner).await;
        }
        KIND_LEGAL_ACTION => {
            legal::receive_action(node, partner, envelope).await?;
            legal::apply_waiting_actions(node, partner).await;
        }
        KIND_LEGAL_EVIDENCE => evidence::receive(node, partner, envelope).await?,
        KIND_LEGAL_CATALOGUE => offences::receive(node, partner, envelope).await?,
        _ => {
            record_audit(
                node,
                &caller,
                AuditEvent::new("message.received", "ok")
                    .object(format!("message/{}", envelope.id))
                    .detail(format!("{} from {}", envelope.kind, partner.node_id)),
            )
            .await?
        }
    }
    node.store.mark_processed(&envelope.id).await?;
    Ok(())
}
