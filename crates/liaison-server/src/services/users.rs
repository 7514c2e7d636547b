//! Users, their roles and their API tokens. Only administrators (or the node's command line) manage them, and
//! every change is audited.

use liaison_core::{Role, Username};
use liaison_crypto::{Secret, hash_password, random_token, token_digest};
use liaison_store::{TokenRow, UserRow};

use super::auth::check_password_strength;
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// A new user; without a password a one-time password is generated, which must be changed at first log-in.
pub async fn create_user(
    node: &Node,
    caller: &Caller,
    username: &str,
    roles: &[Role],
    password: Option<&str>,
) -> Result<Option<Secret>, ServiceError> {
    require_role(
        node,
        caller,
        &[Role::Admin],
        "user.create",
        Some(format!("user/{username}")),
    )
    .await?;
    let username = Username::parse(username)
        .map_err(|e| ServiceError::bad_field("username", e.to_string()))?;
    if roles.is_empty() {
        return Err(ServiceError::bad_field("roles", "give at least one role"));
    }
    let (password, one_time) = match password {
        Some(p) => {
            check_password_strength(p)?;
            (Secret::new(p.to_owned()), None)
        }
        None => {
            let generated = one_time_password();
            (generated.clone(), Some(generated))
        }
    };
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    let row = UserRow {
        username: username.as_str().to_owned(),
        password_hash: hash_password(password.expose())
            .map_err(|e| ServiceError::Internal(e.to_string()))?,
        roles: roles.clone(),
        totp_secret: None,
        totp_enabled: false,
        failed_logins: 0,
        locked_until: None,
        must_change_password: one_time.is_some(),
        disabled: false,
        created_at: node.now(),
    };
    node.store.create_user(&row).await.map_err(|e| match e {
        liaison_store::StoreError::Conflict(_) => {
            ServiceError::Conflict(format!("user `{username}` already exists"))
        }
        other => other.into(),
    })?;
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let event = AuditEvent::new("user.create", "ok")
        .object(format!("user/{username}"))
        .detail(format!("roles: {}", names.join(", ")));
    record_audit(node, caller, event).await?;
    Ok(one_time)
}

/// A password to hand over once: 20 characters from a 256-bit token.
fn one_time_password() -> Secret {
    let token = random_token("");
    Secret::new(token.expose().chars().take(20).collect())
}

/// A bearer token for a machine client acting as `username`; the token is returned once, the node keeps only
/// its digest.
pub async fn create_token(
    node: &Node,
    caller: &Caller,
    username: &str,
    label: Option<&str>,
) -> Result<(String, Secret), ServiceError> {
    require_role(
        node,
        caller,
        &[Role::Admin],
        "token.create",
        Some(format!("user/{username}")),
    )
    .await?;
    let user = node
        .store
        .get_user(username)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no user `{username}`")))?;
    let token = random_token("lt_");
    let id = uuid::Uuid::now_v7().to_string();
    node.store
        .create_token(&TokenRow {
            id: id.clone(),
            username: user.username.clone(),
            token_hash: token_digest(token.expose()),
            label: label.map(str::to_owned),
            created_at: node.now(),
            expires_at: None,
            revoked_at: None,
            last_used_at: None,
        })
        .await?;
    let event = AuditEvent::new("token.create", "ok")
        .object(format!("user/{username}"))
        .object(format!("token/{id}"));
    record_audit(node, caller, event).await?;
    Ok((id, token))
}

pub async fn revoke_token(node: &Node, caller: &Caller, id: &str) -> Result<(), ServiceError> {
    require_role(
        node,
        caller,
        &[Role::Admin],
        "token.revoke",
        Some(format!("token/{id}")),
    )
    .await?;
    if !node.store.revoke_token(id, node.now()).await? {
        return Err(ServiceError::NotFound(format!("no token `{id}`")));
    }
    record_audit(
        node,
        caller,
        AuditEvent::new("token.revoke", "ok").object(format!("token/{id}")),
    )
    .await
}

pub async fn list_users(node: &Node, caller: &Caller) -> Result<Vec<UserRow>, ServiceError> {
    require_role(node, caller, &[Role::Admin], "user.list", None).await?;
    let users = node.store.list_users().await?;
    record_audit(node, caller, AuditEvent::new("user.list", "ok")).await?;
    Ok(users)
}

/// What an administrator changes on a user; `None` and `false` leave a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub roles: Option<Vec<Role>>,
    pub disabled: Option<bool>,
    pub unlock: bool,
    pub reset_second_factor: bool,
    pub reset_password: bool,
}

/// Changes a user's roles or state, unlocks them, or resets their second factor or password (a new
/// one-time password is returned once). A change that weakens the account's hold (disabled, reset, roles
/// changed) ends the user's sessions. An administrator cannot disable themselves or drop their own admin
/// role, so a node is never left without one by mistake.
pub async fn update_user(
    node: &Node,
    caller: &Caller,
    username: &str,
    change: &UserChange,
) -> Result<(UserRow, Option<Secret>), ServiceError> {
    let object = format!("user/{username}");
    require_role(
        node,
        caller,
        &[Role::Admin],
        "user.update",
        Some(object.clone()),
    )
    .await?;
    let mut user = node
        .store
        .get_user(username)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no user `{username}`")))?;
    let acting_on_self = matches!(
        &caller.actor,
        crate::Actor::User { username: me, .. } | crate::Actor::Token { username: me, .. } if me == username
    );
    if let Some(roles) = &change.roles {
        if roles.is_empty() {
            return Err(ServiceError::bad_field(
                "roles",
                "a user needs at least one role",
            ));
        }
        if acting_on_self && !roles.contains(&Role::Admin) {
            return Err(ServiceError::Conflict(
                "you cannot remove your own admin role: ask another administrator".into(),
            ));
        }
    }
    if acting_on_self && change.disabled == Some(true) {
        return Err(ServiceError::Conflict(
            "you cannot disable your own account: ask another administrator".into(),
        ));
    }
    let mut done = Vec::new();
    let mut end_sessions = false;
    if let Some(roles) = &change.roles
        && *roles != user.roles
    {
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        done.push(format!("roles: {}", names.join(", ")));
        user.roles = roles.clone();
        end_sessions = true;
    }
    if let Some(disabled) = change.disabled
        && disabled != user.disabled
    {
        done.push(if disabled { "disabled" } else { "enabled" }.to_owned());
        user.disabled = disabled;
        end_sessions |= disabled;
    }
    if change.unlock && (user.locked_until.is_some() || user.failed_logins > 0) {
        done.push("unlocked".to_owned());
        user.locked_until = None;
        user.failed_logins = 0;
    }
    if change.reset_second_factor {
        done.push("second factor reset".to_owned());
        user.totp_enabled = false;
        user.totp_secret = None;
        end_sessions = true;
    }
    let one_time = if change.reset_password {
        let password = one_time_password();
        user.password_hash =
            hash_password(password.expose()).map_err(|e| ServiceError::Internal(e.to_string()))?;
        user.must_change_password = true;
        done.push("one-time password issued".to_owned());
        end_sessions = true;
        Some(password)
    } else {
        None
    };
    if done.is_empty() {
        return Ok((user, None));
    }
    node.store.update_user(&user).await?;
    if end_sessions {
        node.store.delete_sessions_of(username).await?;
    }
    // A reset answers a lost phone or a leaked password: the user's machine tokens go too.
    if change.reset_password || change.reset_second_factor {
        let now = node.now();
        let mut revoked = 0;
        for token in node.store.list_tokens(Some(username)).await? {
            if token.revoked_at.is_none() && node.store.revoke_token(&token.id, now).await? {
                revoked += 1;
            }
        }
        if revoked > 0 {
            done.push(format!("{revoked} API token(s) revoked"));
        }
    }
    let event = AuditEvent::new("user.update", "ok")
        .object(object)
        .detail(done.join("; "));
    record_audit(node, caller, event).await?;
    Ok((user, one_time))
}

/// The API tokens of one user, or of every user, newest first (never the tokens themselves).
pub async fn list_tokens(
    node: &Node,
    caller: &Caller,
    username: Option<&str>,
) -> Result<Vec<TokenRow>, ServiceError> {
    require_role(node, caller, &[Role::Admin], "token.list", None).await?;
    let mut tokens = node.store.list_tokens(username).await?;
    tokens.sort_by_key(|t| std::cmp::Reverse(t.created_at));
    let mut event = AuditEvent::new("token.list", "ok");
    event.objects.extend(username.map(|u| format!("user/{u}")));
    record_audit(node, caller, event).await?;
    Ok(tokens)
}
