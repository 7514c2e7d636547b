//! Authentication: password and TOTP log-in with lock-out, sessions with an idle timeout, bearer tokens for
//! machine clients. Every log-in, success or failure, is audited.

use chrono::{DateTime, Utc};
use liaison_crypto::{
    Secret, TotpSecret, hash_password, random_token, token_digest, totp_provisioning_uri,
    verify_password,
};
use liaison_store::SessionRow;

use super::{AuditEvent, Caller, ServiceError, record_audit};
use crate::{Actor, Node};

/// A session after a successful log-in: the cookie value (shown once) and its CSRF token.
#[derive(Debug)]
pub struct NewSession {
    pub session_id: Secret,
    pub csrf_token: String,
    pub actor: Actor,
    pub totp_enrolment_required: bool,
    pub must_change_password: bool,
}

/// An authenticated request: who, and for sessions the CSRF token and whether only enrolment is allowed.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub actor: Actor,
    /// `Some` for cookie sessions: state-changing requests must echo it in `X-CSRF-Token`.
    pub csrf_token: Option<String>,
    /// The user has not enrolled a second factor yet: only enrolment and password change are allowed.
    pub enrolment_only: bool,
}

const SETTING_TOTP_STEP: &str = "auth.totp_last_step.";

/// Checks a password (and TOTP code, once enrolled) and opens a session. Five failures in a row lock the
/// account for ten minutes (CJIS 5.5.3); the answer does not say whether the user exists.
pub async fn login(
    node: &Node,
    caller: &Caller,
    username: &str,
    password: &str,
    totp: Option<&str>,
) -> Result<NewSession, ServiceError> {
    let now = node.now();
    let denied = "wrong username, password or code";
    let audit_fail = |detail: String| {
        let mut event = AuditEvent::new("auth.login", "denied")
            .object(format!("user/{username}"))
            .detail(detail);
        event.objects.truncate(1);
        event
    };
    let Some(user) = node.store.get_user(username).await? else {
        record_audit(node, caller, audit_fail("unknown user".into())).await?;
        return Err(ServiceError::Unauthenticated(denied.into()));
    };
    if user.disabled {
        record_audit(node, caller, audit_fail("account disabled".into())).await?;
        return Err(ServiceError::Unauthenticated(denied.into()));
    }
    if let Some(until) = user.locked_until.filter(|until| *until > now) {
        record_audit(
            node,
            caller,
            audit_fail(format!("account locked until {}", until.to_rfc3339())),
        )
        .await?;
        return Err(ServiceError::TooManyAttempts(format!(
            "the account is locked after repeated failed log-ins; try again after {}",
            until.format("%H:%M UTC")
        )));
    }
    let password_ok = verify_password(password, &user.password_hash)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let totp_ok = if !password_ok {
        false
    } else if user.totp_enabled {
        check_totp(node, username, user.totp_secret.as_deref(), totp, now).await?
    } else {
        true
    };
    if !totp_ok {
        let lock_until = now + node.settings.lockout_duration;
        let failures = node
            .store
            .record_login_failure(username, node.settings.lockout_failures, lock_until)
            .await?;
        let what = if password_ok {
            "wrong or missing TOTP code"
        } else {
            "wrong password"
        };
        let detail = if failures >= node.settings.lockout_failures {
            format!("{what}; account locked until {}", lock_until.to_rfc3339())
        } else {
            format!("{what}; {failures} failed in a row")
        };
        record_audit(node, caller, audit_fail(detail)).await?;
        return Err(ServiceError::Unauthenticated(denied.into()));
    }
    node.store.record_login_success(username).await?;
    let session_id = random_token("ls_");
    let csrf_token = random_token("").expose().to_owned();
    node.store
        .create_session(&SessionRow {
            id_hash: token_digest(session_id.expose()),
            username: username.to_owned(),
            created_at: now,
            last_seen_at: now,
            csrf_token: csrf_token.clone(),
        })
        .await?;
    let actor = Actor::User {
        username: username.to_owned(),
        roles: user.roles.clone(),
    };
    let event = AuditEvent::new("auth.login", "ok").object(format!("user/{username}"));
    record_audit(
        node,
        &Caller {
            actor: actor.clone(),
            request_id: caller.request_id.clone(),
        },
        event,
    )
    .await?;
    Ok(NewSession {
        session_id,
        csrf_token,
        actor,
        totp_enrolment_required: !user.totp_enabled,
        must_change_password: user.must_change_password,
    })
}

/// A TOTP code is accepted once: the step it matched is remembered, so a code seen over a shoulder or in a
/// log cannot be replayed within its validity window.
async fn check_totp(
    node: &Node,
    username: &str,
    secret: Option<&str>,
    code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let (Some(secret), Some(code)) = (secret, code) else {
        return Ok(false);
    };
    let secret =
        TotpSecret::from_base32(secret).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    let Some(step) = secret
        .verify(code, unix)
        .map_err(|e| ServiceError::Internal(e.to_string()))?
    else {
        return Ok(false);
    };
    let key = format!("{SETTING_TOTP_STEP}{username}");
    let last: Option<u64> = node
        .store
        .get_setting(&key)
        .await?
        .and_then(|v| v.parse().ok());
    if last.is_some_and(|last| step <= last) {
        return Ok(false);
    }
    node.store.put_setting(&key, &step.to_string()).await?;
    Ok(true)
}

/// Finds who a session cookie belongs to; closes it when idle for longer than the timeout.
pub async fn authenticate_session(
    node: &Node,
    session_id: &str,
) -> Result<Authenticated, ServiceError> {
    let now = node.now();
    let id_hash = token_digest(session_id);
    let session = node
        .store
        .session_by_hash(&id_hash)
        .await?
        .ok_or_else(|| ServiceError::Unauthenticated("not logged in".into()))?;
    if now - session.last_seen_at > node.settings.session_idle_timeout {
        node.store.delete_session(&id_hash).await?;
        let caller = Caller {
            actor: Actor::Anonymous,
            request_id: None,
        };
        let event = AuditEvent::new("auth.session_expired", "ok")
            .object(format!("user/{}", session.username));
        record_audit(node, &caller, event).await?;
        return Err(ServiceError::Unauthenticated(
            "the session has expired after 30 minutes without activity; log in again".into(),
        ));
    }
    let user = node.store.get_user(&session.username).await?;
    let Some(user) = user.filter(|u| !u.disabled) else {
        node.store.delete_session(&id_hash).await?;
        return Err(ServiceError::Unauthenticated("not logged in".into()));
    };
    // Writing on every request would make every read a write; a minute of precision is enough for a
    // 30-minute timeout.
    if now - session.last_seen_at > chrono::Duration::seconds(60) {
        node.store.touch_session(&id_hash, now).await?;
    }
    Ok(Authenticated {
        actor: Actor::User {
            username: user.username,
            roles: user.roles,
        },
        csrf_token: Some(session.csrf_token),
        enrolment_only: !user.totp_enabled || user.must_change_password,
    })
}

/// Finds who a bearer token belongs to.
pub async fn authenticate_token(node: &Node, token: &str) -> Result<Authenticated, ServiceError> {
    let now = node.now();
    let invalid =
        || ServiceError::Unauthenticated("the token is unknown, revoked or expired".into());
    let row = node
        .store
        .token_by_hash(&token_digest(token))
        .await?
        .ok_or_else(invalid)?;
    if row.revoked_at.is_some() || row.expires_at.is_some_and(|e| e <= now) {
        return Err(invalid());
    }
    let user = node
        .store
        .get_user(&row.username)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(invalid)?;
    if row
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::seconds(60))
    {
        node.store.touch_token(&row.id, now).await?;
    }
    Ok(Authenticated {
        actor: Actor::Token {
            id: row.id,
            username: user.username,
            roles: user.roles,
        },
        csrf_token: None,
        enrolment_only: false,
    })
}

pub async fn logout(node: &Node, caller: &Caller, session_id: &str) -> Result<(), ServiceError> {
    node.store.delete_session(&token_digest(session_id)).await?;
    record_audit(node, caller, AuditEvent::new("auth.logout", "ok")).await
}

fn username_of(caller: &Caller) -> Result<&str, ServiceError> {
    match &caller.actor {
        Actor::User { username, .. } => Ok(username),
        _ => Err(ServiceError::Forbidden(
            "only a logged-in person can do this".into(),
        )),
    }
}

/// Starts TOTP enrolment: a new secret, not active until a code from it is confirmed.
pub async fn begin_totp_enrolment(
    node: &Node,
    caller: &Caller,
) -> Result<(TotpSecret, String), ServiceError> {
    let username = username_of(caller)?;
    let mut user = node
        .store
        .get_user(username)
        .await?
        .ok_or_else(|| ServiceError::NotFound("no such user".into()))?;
    if user.totp_enabled {
        return Err(ServiceError::Conflict(
            "a second factor is already enrolled; an administrator can reset it".into(),
        ));
    }
    let secret = TotpSecret::generate();
    let uri = totp_provisioning_uri(&secret, username, &format!("Liaison {}", node.id))
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    user.totp_secret = Some(secret.base32().to_owned());
    node.store.update_user(&user).await?;
    record_audit(
        node,
        caller,
        AuditEvent::new("user.totp_enrolment_started", "ok").object(format!("user/{username}")),
    )
    .await?;
    Ok((secret, uri))
}

/// Confirms enrolment with a code from the new secret, which switches the second factor on.
pub async fn confirm_totp_enrolment(
    node: &Node,
    caller: &Caller,
    code: &str,
) -> Result<(), ServiceError> {
    let username = username_of(caller)?.to_owned();
    let mut user = node
        .store
        .get_user(&username)
        .await?
        .ok_or_else(|| ServiceError::NotFound("no such user".into()))?;
    if user.totp_enabled {
        return Err(ServiceError::Conflict(
            "a second factor is already enrolled".into(),
        ));
    }
    let Some(secret) = user.totp_secret.clone() else {
        return Err(ServiceError::Conflict("start enrolment first".into()));
    };
    if !check_totp(node, &username, Some(&secret), Some(code), node.now()).await? {
        record_audit(
            node,
            caller,
            AuditEvent::new("user.totp_enrolled", "denied")
                .object(format!("user/{username}"))
                .detail("wrong code"),
        )
        .await?;
        return Err(ServiceError::bad_field(
            "code",
            "the code does not match; check the authenticator's clock",
        ));
    }
    user.totp_enabled = true;
    node.store.update_user(&user).await?;
    record_audit(
        node,
        caller,
        AuditEvent::new("user.totp_enrolled", "ok").object(format!("user/{username}")),
    )
    .await
}

/// Minimum password length (NIST SP 800-63B asks for at least 8; police systems hold sensitive data).
pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn check_password_strength(password: &str) -> Result<(), ServiceError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::bad_field(
            "password",
            format!("use at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

pub async fn change_password(
    node: &Node,
    caller: &Caller,
    current: &str,
    new: &str,
) -> Result<(), ServiceError> {
    let username = username_of(caller)?.to_owned();
    let mut user = node
        .store
        .get_user(&username)
        .await?
        .ok_or_else(|| ServiceError::NotFound("no such user".into()))?;
    if !verify_password(current, &user.password_hash)
        .map_err(|e| ServiceError::Internal(e.to_string()))?
    {
        record_audit(
            node,
            caller,
            AuditEvent::new("user.password_changed", "denied")
                .object(format!("user/{username}"))
                .detail("wrong current password"),
        )
        .await?;
        return Err(ServiceError::bad_field("current_password", "is wrong"));
    }
    check_password_strength(new)?;
    user.password_hash = hash_password(new).map_err(|e| ServiceError::Internal(e.to_string()))?;
    user.must_change_password = false;
    node.store.update_user(&user).await?;
    record_audit(
        node,
        caller,
        AuditEvent::new("user.password_changed", "ok").object(format!("user/{username}")),
    )
    .await
}
