//! Opening stores: the url forms, in-memory SQLite, and urls the store refuses.

use liaison_core::RecordType;
use liaison_store::StoreError;

use crate::harness::{record, t0};

#[tokio::test]
async fn sqlite_in_memory_works_and_is_private_to_its_store() {
    let first = liaison_store::open("sqlite::memory:").await.unwrap();
    let second = liaison_store::open("sqlite::memory:").await.unwrap();
    assert_eq!(first.backend(), "sqlite");
    first
        .put_records(&[record(RecordType::Person, "p1", "{}")], t0())
        .await
        .unwrap();
    first
        .append_audit(&crate::harness::draft("alice", "record.read", &[], t0()))
        .await
        .unwrap();
    assert!(
        first
            .get_record(RecordType::Person, "p1")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        second
            .get_record(RecordType::Person, "p1")
            .await
            .unwrap()
            .is_none()
    );
    liaison_store::verify_audit(&*first).await.unwrap();
}

#[tokio::test]
async fn sqlite_url_forms_create_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (url, file) in [
        (
            format!("sqlite://{}", dir.path().join("a.db").display()),
            "a.db",
        ),
        (
            format!("sqlite:{}", dir.path().join("b.db").display()),
            "b.db",
        ),
    ] {
        let store = liaison_store::open(&url).await.unwrap();
        store.ping().await.unwrap();
        assert!(dir.path().join(file).exists(), "{url}");
    }
}

#[tokio::test]
async fn unknown_or_malformed_urls_are_refused() {
    for url in [
        "mysql://localhost/liaison",
        "liaison.db",
        "postgres://user:secret@localhost:notaport/db",
    ] {
        let err = liaison_store::open(url).await.unwrap_err();
        assert!(matches!(err, StoreError::InvalidUrl(_)), "{url}: {err:?}");
        assert!(
            !err.to_string().contains("secret"),
            "the message must not carry the password: {err}"
        );
    }
}
