//! The running node: its identity, its store, its clock and its security settings, shared by every service.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use liaison_core::{CountryCode, NodeId, Role};
use liaison_store::Store;

/// Where services get the time from, so tests can move it (lock-outs, idle timeouts, retention).
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Security settings, with the CJIS 5.x baseline as defaults.
#[derive(Debug, Clone)]
pub struct NodeSettings {
    /// Failed log-ins in a row that lock an account.
    pub lockout_failures: u32,
    /// How long a locked account stays locked.
    pub lockout_duration: Duration,
    /// A session unused for this long is closed.
    pub session_idle_timeout: Duration,
    /// Whether session cookies carry `Secure` (true unless the node is reached over plain HTTP from a
    /// non-local address, which a deployment should not do).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// An exercise node (`liaison demo`): the log-in page lists the node's accounts with their current
    /// TOTP codes, so trainees log in without an authenticator app. Never set on a real deployment.
    pub exercise_accounts: bool,
}

impl Default for NodeSettings {
    fn default() -> Self {
        NodeSettings {
            lockout_failures: 5,
            lockout_duration: Duration::minutes(10),
            session_idle_timeout: Duration::minutes(30),
            secure_cookies: true,
            max_body_bytes: 16 * 1024 * 1024,
            exercise_accounts: false,
        }
    }
}

/// Everything a service needs; cheap to clone.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: NodeId,
    pub country: CountryCode,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: NodeSettings,
    /// The matching index, for nodes that screen (`serve`, `screen`); commands that only load or export
    /// records run without one.
    pub screening: Option<Arc<crate::services::screening::ScreeningIndex>>,
    /// This node's federation identity and partner connections, for nodes that federate (`serve` with a
    /// federation endpoint, `demo`); `None` for a node on its own.
    pub federation: Option<Arc<crate::federation::Federation>>,
    /// The entity graph for link analysis, built on first use and rebuilt after records change.
    pub graph: Arc<crate::services::graph::GraphCache>,
}

impl Node {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Who is acting: a person logged in, a machine client with a token, or the node's own command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User {
        username: String,
        roles: Vec<Role>,
    },
    Token {
        id: String,
        username: String,
        roles: Vec<Role>,
    },
    /// The local command line, run by someone with access to the node's data directory.
    Cli {
        os_user: String,
    },
    /// A partner node, through the federation listener (its certificate pinned, its envelope signed).
    Partner {
        node: String,
    },
    Anonymous,
}

impl Actor {
    /// How the audit log names the actor.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::User { username, .. } => username.clone(),
            Actor::Token { id, username, .. } => format!("{username} (token {id})"),
            Actor::Cli { os_user } => format!("cli:{os_user}"),
            Actor::Partner { node } => format!("partner:{node}"),
            Actor::Anonymous => "anonymous".to_owned(),
        }
    }

    pub fn roles(&self) -> &[Role] {
        match self {
            Actor::User { roles, .. } | Actor::Token { roles, .. } => roles,
            Actor::Cli { .. } | Actor::Partner { .. } | Actor::Anonymous => &[],
        }
    }

    /// Whether the actor holds one of `roles`. The command line acts with the authority of the operator who
    /// can read the data directory anyway.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        matches!(self, Actor::Cli { .. }) || self.roles().iter().any(|r| roles.contains(r))
    }
}
