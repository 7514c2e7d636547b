//! The audit log for auditors: searching it and proving it intact. Reading the log is itself logged.

use liaison_core::Role;
use liaison_store::{AuditEntry, AuditFilter, AuditVerifyError, verify_audit};

use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

pub async fn search(
    node: &Node,
    caller: &Caller,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, ServiceError> {
    require_role(node, caller, &[Role::Auditor], "audit.search", None).await?;
    let entries = node.store.audit_search(filter).await?;
    let event = AuditEvent::new("audit.search", "ok").detail(format!("{} entries", entries.len()));
    record_audit(node, caller, event).await?;
    Ok(entries)
}

/// The result of checking the chain: intact with its head, or the first bad entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integrity {
    Intact {
        entries: u64,
        head_seq: Option<i64>,
        head_hash: Option<String>,
    },
    Broken {
        first_bad_entry: Option<i64>,
        problem: String,
    },
}

/// Verifies the chain. The verification is logged after it ran, so it does not change what it checked.
pub async fn verify(node: &Node, caller: &Caller) -> Result<Integrity, ServiceError> {
    require_role(node, caller, &[Role::Auditor], "audit.verify", None).await?;
    let integrity = match verify_audit(node.store.as_ref()).await {
        Ok(v) => Integrity::Intact {
            entries: v.entries,
            head_seq: v.head_seq,
            head_hash: v.head_hash,
        },
        Err(AuditVerifyError::Store(e)) => return Err(e.into()),
        Err(e) => Integrity::Broken {
            first_bad_entry: e.seq(),
            problem: e.to_string(),
        },
    };
    let event = match &integrity {
        Integrity::Intact { entries, .. } => {
            AuditEvent::new("audit.verify", "ok").detail(format!("{entries} entries intact"))
        }
        Integrity::Broken { problem, .. } => {
            AuditEvent::new("audit.verify", "failed").detail(problem.clone())
        }
    };
    record_audit(node, caller, event).await?;
    Ok(integrity)
}
