//! The node's rules, independent of HTTP: every route and every command calls one function here.

pub mod audit;
pub mod auth;
pub mod border;
pub mod checks;
pub mod disclosures;
pub mod evidence;
pub mod federated;
pub mod graph;
pub mod legal;
pub mod legal_pdf;
pub mod messages;
pub mod offences;
pub mod partners;
pub mod records;
pub mod risk;
pub mod screening;
pub mod users;

use liaison_core::Role;
use liaison_store::{AuditDraft, StoreError};

use crate::{Actor, Node};

/// Why a service refused or failed; the HTTP edge maps each variant to a status and problem details.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{detail}")]
    BadRequest {
        detail: String,
        items: Vec<(String, String)>,
    },
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyAttempts(String),
    #[error("storage failed: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl ServiceError {
    pub fn bad_field(pointer: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ServiceError::BadRequest {
            detail: format!("`{pointer}`: {detail}"),
            items: vec![(pointer.to_owned(), detail)],
        }
    }
}

/// Who calls a service, and the request id that ties the audit entry to the server log.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub request_id: Option<String>,
}

impl Caller {
    pub fn cli() -> Self {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "unknown".to_owned());
        Caller {
            actor: Actor::Cli { os_user },
            request_id: None,
        }
    }
}

/// What happened, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub action: &'static str,
    pub objects: Vec<String>,
    pub purpose: Option<String>,
    pub case_ref: Option<String>,
    pub recipients: Vec<String>,
    pub outcome: &'static str,
    pub detail: Option<String>,
}

impl AuditEvent {
    pub fn new(action: &'static str, outcome: &'static str) -> Self {
        AuditEvent {
            action,
            outcome,
            ..AuditEvent::default()
        }
    }

    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.objects.push(object.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The one place that writes audit entries. A service that cannot log an access does not perform it: the
/// error propagates and the caller gets no data.
pub async fn record_audit(
    node: &Node,
    caller: &Caller,
    event: AuditEvent,
) -> Result<(), ServiceError> {
    let draft = AuditDraft {
        at: node.now(),
        node: node.id.as_str().to_owned(),
        actor: caller.actor.audit_name(),
        action: event.action.to_owned(),
        objects: event.objects,
        purpose: event.purpose,
        case_ref: event.case_ref,
        recipients: event.recipients,
        outcome: event.outcome.to_owned(),
        detail: event.detail,
        request_id: caller.request_id.clone(),
    };
    node.store.append_audit(&draft).await?;
    Ok(())
}

/// Refuses, and logs the refusal, when the caller holds none of `roles`.
pub async fn require_role(
    node: &Node,
    caller: &Caller,
    roles: &[Role],
    action: &'static str,
    object: Option<String>,
) -> Result<(), ServiceError> {
    if caller.actor.has_any(roles) {
        return Ok(());
    }
    let needed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let mut event = AuditEvent::new(action, "denied")
        .detail(format!("requires one of the roles: {}", needed.join(", ")));
    event.objects.extend(object);
    record_audit(node, caller, event).await?;
    Err(ServiceError::Forbidden(format!(
        "this needs one of the roles: {}",
        needed.join(", ")
    )))
}
