//! Users (with login failure counting), API tokens, sessions and settings.

use std::sync::Arc;

use chrono::{SubsecRound, TimeDelta};
use liaison_core::Role;
use liaison_store::{SessionRow, Store, StoreError, TokenRow};

use crate::harness::{t0, user};

pub async fn users_create_get_list_update(store: Arc<dyn Store>, _url: &str) {
    store.create_user(&user("bob")).await.unwrap();
    store.create_user(&user("alice")).await.unwrap();
    let err = store.create_user(&user("alice")).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    let mut alice = store.get_user("alice").await.unwrap().unwrap();
    // Timestamps come back at the store's precision.
    assert_eq!(alice.created_at, t0().trunc_subsecs(6));
    let mut expected = user("alice");
    expected.created_at = t0().trunc_subsecs(6);
    assert_eq!(alice, expected);
    assert_eq!(store.get_user("carol").await.unwrap(), None);

    let names: Vec<_> = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["alice", "bob"]);

    alice.roles = vec![Role::Analyst, Role::Admin];
    alice.totp_secret = Some("JBSWY3DPEHPK3PXP".to_owned());
    alice.totp_enabled = true;
    alice.must_change_password = false;
    alice.disabled = true;
    alice.failed_logins = 2;
    alice.locked_until = Some((t0() + TimeDelta::minutes(15)).trunc_subsecs(6));
    alice.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3".to_owned();
    store.update_user(&alice).await.unwrap();
    assert_eq!(store.get_user("alice").await.unwrap(), Some(alice));

    let err = store.update_user(&user("carol")).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
}

pub async fn users_lockout_counting(store: Arc<dyn Store>, _url: &str) {
    store.create_user(&user("alice")).await.unwrap();
    let lock_until = (t0() + TimeDelta::minutes(15)).trunc_subsecs(6);

    assert_eq!(
        store
            .record_login_failure("alice", 3, lock_until)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .record_login_failure("alice", 3, lock_until)
            .await
            .unwrap(),
        2
    );
    let alice = store.get_user("alice").await.unwrap().unwrap();
    assert_eq!((alice.failed_logins, alice.locked_until), (2, None));

    // The third failure locks the account and starts the count afresh.
    assert_eq!(
        store
            .record_login_failure("alice", 3, lock_until)
            .await
            .unwrap(),
        3
    );
    let alice = store.get_user("alice").await.unwrap().unwrap();
    assert_eq!(
        (alice.failed_logins, alice.locked_until),
        (0, Some(lock_until))
    );
    assert_eq!(
        store
            .record_login_failure("alice", 3, lock_until)
            .await
            .unwrap(),
        1
    );

    store.record_login_success("alice").await.unwrap();
    let alice = store.get_user("alice").await.unwrap().unwrap();
    assert_eq!((alice.failed_logins, alice.locked_until), (0, None));

    let err = store
        .record_login_failure("nobody", 3, lock_until)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    let err = store.record_login_success("nobody").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
}

pub async fn users_concurrent_failures_are_all_counted(store: Arc<dyn Store>, _url: &str) {
    store.create_user(&user("alice")).await.unwrap();
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .record_login_failure("alice", 1_000, t0())
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut counts = Vec::new();
    for attempt in attempts {
        counts.push(attempt.await.unwrap());
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
    assert_eq!(
        store
            .get_user("alice")
            .await
            .unwrap()
            .unwrap()
            .failed_logins,
        20
    );
}

fn token(id: &str, username: &str, hash: &str) -> TokenRow {
    TokenRow {
        id: id.to_owned(),
        username: username.to_owned(),
        token_hash: hash.to_owned(),
        label: Some(format!("{id} label")),
        created_at: t0().trunc_subsecs(6),
        expires_at: Some((t0() + TimeDelta::days(90)).trunc_subsecs(6)),
        revoked_at: None,
        last_used_at: None,
    }
}

pub async fn tokens(store: Arc<dyn Store>, _url: &str) {
    store.create_user(&user("alice")).await.unwrap();
    store.create_user(&user("bob")).await.unwrap();
    let t1 = token("t1", "alice", &"a".repeat(64));
    let mut t2 = token("t2", "bob", &"b".repeat(64));
    t2.label = None;
    t2.expires_at = None;
    let mut t3 = token("t3", "alice", &"c".repeat(64));
    t3.created_at += TimeDelta::seconds(1);
    for t in [&t3, &t1, &t2] {
        store.create_token(t).await.unwrap();
    }

    let err = store
        .create_token(&token("t4", "alice", &"a".repeat(64)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(_)),
        "same digest: {err:?}"
    );
    let err = store
        .create_token(&token("t5", "nobody", &"d".repeat(64)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound(_)),
        "unknown user: {err:?}"
    );

    assert_eq!(
        store.token_by_hash(&"a".repeat(64)).await.unwrap(),
        Some(t1.clone())
    );
    assert_eq!(store.token_by_hash(&"e".repeat(64)).await.unwrap(), None);
    assert_eq!(
        store.list_tokens(Some("alice")).await.unwrap(),
        [t1.clone(), t3.clone()]
    );
    assert_eq!(
        store.list_tokens(None).await.unwrap(),
        [t1.clone(), t2.clone(), t3.clone()]
    );
    assert!(store.list_tokens(Some("carol")).await.unwrap().is_empty());

    let used = t0() + TimeDelta::hours(1);
    store.touch_token("t1", used).await.unwrap();
    store.touch_token("unknown", used).await.unwrap();
    let revoked = t0() + TimeDelta::hours(2);
    assert!(store.revoke_token("t1", revoked).await.unwrap());
    assert!(
        !store
            .revoke_token("t1", revoked + TimeDelta::hours(1))
            .await
            .unwrap(),
        "already revoked"
    );
    assert!(!store.revoke_token("unknown", revoked).await.unwrap());

    let t1_now = store.token_by_hash(&"a".repeat(64)).await.unwrap().unwrap();
    assert_eq!(t1_now.last_used_at, Some(used.trunc_subsecs(6)));
    assert_eq!(
        t1_now.revoked_at,
        Some(revoked.trunc_subsecs(6)),
        "the first revocation stands"
    );
}

fn session(id_hash: &str, username: &str) -> SessionRow {
    SessionRow {
        id_hash: id_hash.to_owned(),
        username: username.to_owned(),
        created_at: t0().trunc_subsecs(6),
        last_seen_at: t0().trunc_subsecs(6),
        csrf_token: format!("csrf-{id_hash}"),
    }
}

pub async fn sessions(store: Arc<dyn Store>, _url: &str) {
    store.create_user(&user("alice")).await.unwrap();
    store.create_user(&user("bob")).await.unwrap();
    for s in [
        session("s1", "alice"),
        session("s2", "alice"),
        session("s3", "bob"),
    ] {
        store.create_session(&s).await.unwrap();
    }
    let err = store
        .create_session(&session("s1", "bob"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let err = store
        .create_session(&session("s9", "nobody"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");

    assert_eq!(
        store.session_by_hash("s1").await.unwrap(),
        Some(session("s1", "alice"))
    );
    let seen = t0() + TimeDelta::minutes(5);
    store.touch_session("s1", seen).await.unwrap();
    assert_eq!(
        store
            .session_by_hash("s1")
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        seen.trunc_subsecs(6)
    );

    store.delete_session("s3").await.unwrap();
    store.delete_session("s3").await.unwrap();
    assert_eq!(store.session_by_hash("s3").await.unwrap(), None);

    store.delete_sessions_of("alice").await.unwrap();
    assert_eq!(store.session_by_hash("s1").await.unwrap(), None);
    assert_eq!(store.session_by_hash("s2").await.unwrap(), None);
}

pub async fn settings(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.get_setting("node_id").await.unwrap(), None);
    store.put_setting("node_id", "nl-police").await.unwrap();
    store.put_setting("country", "NLD").await.unwrap();
    store.put_setting("node_id", "nl-kmar").await.unwrap();
    assert_eq!(
        store.get_setting("node_id").await.unwrap().as_deref(),
        Some("nl-kmar")
    );
    assert_eq!(
        store.get_setting("country").await.unwrap().as_deref(),
        Some("NLD")
    );
}
