//! Test databases (a temporary SQLite file, or a fresh PostgreSQL database dropped afterwards), raw SQL access
//! for tampering, and builders for test values.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use liaison_core::{RecordType, Role};
use liaison_store::{AuditDraft, ScreeningHitRow, ScreeningRunRow, Store, StoredRecord, UserRow};
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

/// The environment variable naming a PostgreSQL server (any database on it) the suite may create databases on.
pub const POSTGRES_URL_VAR: &str = "LIAISON_TEST_POSTGRES_URL";

/// A store on a database that exists for one test.
pub struct TestDb {
    store: Arc<dyn Store>,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// The directory holding the SQLite file, removed on drop.
    Sqlite { _dir: tempfile::TempDir },
    /// The PostgreSQL database to drop, through the server url.
    Postgres {
        server_url: String,
        database: String,
    },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
        let store = liaison_store::open(&url).await.unwrap();
        TestDb {
            store,
            url,
            cleanup: Cleanup::Sqlite { _dir: dir },
        }
    }

    /// `None` when no PostgreSQL server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let server_url = std::env::var(POSTGRES_URL_VAR).ok()?;
        let database = format!("liaison_t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server_url).await.unwrap();
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {database}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let url = with_database(&server_url, &database);
        let store = liaison_store::open(&url).await.unwrap();
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::Postgres {
                server_url,
                database,
            },
        })
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDb {
    // Runs on success and on panic alike. Dropping needs async IO, and the test's runtime cannot be blocked on
    // from inside it, so a thread with a runtime of its own does it.
    fn drop(&mut self) {
        let Cleanup::Postgres {
            server_url,
            database,
        } = &self.cleanup
        else {
            return;
        };
        let (server_url, database) = (server_url.clone(), database.clone());
        let outcome = std::thread::spawn(move || drop_database(&server_url, &database)).join();
        if !matches!(outcome, Ok(Ok(()))) {
            eprintln!("could not drop a test database: {outcome:?}");
        }
    }
}

fn drop_database(
    server_url: &str,
    database: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut admin = PgConnection::connect(server_url).await?;
        // FORCE ends the store's pooled connections, which are still open at this point.
        sqlx::raw_sql(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {database} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await?;
        admin.close().await
    })?;
    Ok(())
}

/// `url` with its database (the path) replaced by `database`, keeping any query parameters.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut result = format!("{}/{database}", &base[..authority_end]);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

/// Runs `statements` on the database at `url` through a connection of its own, bypassing the store.
pub async fn raw_execute(url: &str, statements: &[String]) -> Result<(), sqlx::Error> {
    if url.starts_with("sqlite:") {
        let mut conn = SqliteConnection::connect(url).await?;
        for statement in statements {
            sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                .execute(&mut conn)
                .await?;
        }
        conn.close().await
    } else {
        let mut conn = PgConnection::connect(url).await?;
        for statement in statements {
            sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                .execute(&mut conn)
                .await?;
        }
        conn.close().await
    }
}

/// Removes the triggers that keep the audit log append-only, as someone with access to the database could.
pub async fn drop_audit_triggers(url: &str) {
    let on = if url.starts_with("sqlite:") {
        ""
    } else {
        " ON audit_log"
    };
    let statements = ["audit_log_no_update", "audit_log_no_delete"]
        .map(|trigger| format!("DROP TRIGGER {trigger}{on}"));
    raw_execute(url, &statements).await.unwrap();
}

/// A fixed instant with sub-microsecond digits, which the store must drop consistently.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap() + TimeDelta::nanoseconds(123_456_789)
}

pub fn record(record_type: RecordType, id: &str, body: &str) -> StoredRecord {
    StoredRecord {
        record_type,
        id: id.to_owned(),
        owner: "nl-police".to_owned(),
        handling_code: "H2".to_owned(),
        retain_until: None,
        references: vec![],
        body: body.to_owned(),
    }
}

/// A record pointing at `references`, given as (type, id).
pub fn record_to(
    record_type: RecordType,
    id: &str,
    references: &[(RecordType, &str)],
) -> StoredRecord {
    StoredRecord {
        references: references
            .iter()
            .map(|&(to_type, to_id)| (to_type, to_id.to_owned()))
            .collect(),
        ..record(record_type, id, "{}")
    }
}

pub fn user(username: &str) -> UserRow {
    UserRow {
        username: username.to_owned(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        roles: vec![Role::Officer],
        totp_secret: None,
        totp_enabled: false,
        failed_logins: 0,
        locked_until: None,
        must_change_password: true,
        disabled: false,
        created_at: t0(),
    }
}

pub fn draft(actor: &str, action: &str, objects: &[&str], at: DateTime<Utc>) -> AuditDraft {
    AuditDraft {
        at,
        node: "nl-police".to_owned(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        objects: objects.iter().map(|&o| o.to_owned()).collect(),
        purpose: Some("criminal_investigation".to_owned()),
        case_ref: None,
        recipients: vec![],
        outcome: "ok".to_owned(),
        detail: None,
        request_id: None,
    }
}

/// A manifest screening run at `at`, with a small report.
pub fn screening_run(id: &str, at: DateTime<Utc>) -> ScreeningRunRow {
    ScreeningRunRow {
        id: id.to_owned(),
        kind: "manifest".to_owned(),
        created_at: at,
        username: "officer1".to_owned(),
        purpose: "border_control".to_owned(),
        case_ref: None,
        source: "paxlst LH400 2026-11-29 FRA-JFK".to_owned(),
        travellers: 3,
        hits: 0,
        ruleset_version: None,
        report: format!(r#"{{"run":"{id}","travellers":[]}}"#),
    }
}

/// A strong person hit on `traveller` of run `run_id`, not reviewed yet.
pub fn screening_hit(id: &str, run_id: &str, traveller: u32) -> ScreeningHitRow {
    ScreeningHitRow {
        id: id.to_owned(),
        run_id: run_id.to_owned(),
        traveller,
        kind: "person".to_owned(),
        band: "strong".to_owned(),
        alert_category: None,
        rule_id: None,
        record_ref: Some("person/p1".to_owned()),
        verdict: None,
        reviewed_by: None,
        reviewed_at: None,
    }
}
