//! The store's conformance suite: every test is written once against `dyn Store` and runs on SQLite and, when
//! `LIAISON_TEST_POSTGRES_URL` names a server, on PostgreSQL (each test in a fresh database of its own).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod audit;
mod bulk;
mod federation;
mod harness;
mod legal;
mod open;
mod records;
mod references;
mod screening;

/// Generates `sqlite::<test>` and `postgres::<test>` for each `module::test`, a function
/// `async fn(Arc<dyn Store>, &str)` taking the store and its url.
macro_rules! conformance {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::harness::TestDb::sqlite().await;
                    crate::$module::$name(db.store(), db.url()).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = crate::harness::TestDb::postgres().await else {
                        eprintln!("skipped: {} is not set", crate::harness::POSTGRES_URL_VAR);
                        return;
                    };
                    crate::$module::$name(db.store(), db.url()).await;
                }
            )*
        }
    };
}

conformance! {
    records::upsert_and_read,
    records::put_is_idempotent,
    records::keeps_insertion_order_and_pages,
    records::bodies_page_by_type,
    records::repeated_key_in_batch,
    records::counts_and_types_with_id,
    records::failed_batch_stores_nothing,
    records::reopen_keeps_data,
    references::round_trip,
    references::update_replaces_references,
    references::referencing_lists_referrers_in_order,
    references::delete_refused_while_referenced,
    references::failed_batch_stores_no_references,
    accounts::users_create_get_list_update,
    accounts::users_lockout_counting,
    accounts::users_concurrent_failures_are_all_counted,
    accounts::tokens,
    accounts::sessions,
    accounts::settings,
    audit::append_builds_a_chain,
    audit::search_filters,
    audit::verify_passes_on_untouched_log,
    audit::triggers_refuse_changes,
    audit::detects_altered_field,
    audit::detects_rehashed_entry,
    audit::detects_deleted_middle_entry,
    audit::detects_deleted_last_entry,
    audit::detects_swapped_entries,
    audit::detects_altered_head,
    audit::concurrent_appends_form_a_valid_chain,
    screening::runs_and_hits_round_trip,
    screening::run_with_many_hits,
    screening::run_conflicts_store_nothing,
    screening::runs_list_newest_first,
    screening::review_records_and_changes_verdicts,
    screening::hit_statistics_per_dimension,
    screening::rulesets_are_versioned,
    screening::concurrent_ruleset_changes_keep_one_active,
    federation::partners_round_trip,
    federation::agreements_are_versioned_per_partner,
    federation::concurrent_agreements_get_distinct_versions,
    federation::outbox_delivery_cycle,
    federation::inbox_is_idempotent,
    federation::concurrent_deliveries_are_stored_once,
    federation::seen_envelopes_refuse_replays,
    federation::hit_refs_round_trip,
    federation::disclosures_round_trip,
    federation::disclosure_decisions,
    federation::concurrent_decisions_one_wins,
    legal::legal_requests_round_trip,
    legal::legal_request_updates_are_versioned,
    legal::legal_requests_list_filters,
    legal::legal_events_append_in_order,
    legal::concurrent_legal_appends_get_distinct_seqs,
    legal::concurrent_legal_updates_one_wins,
    legal::evidence_round_trip,
    legal::custody_events_round_trip,
    legal::legal_update_and_its_message_are_stored_together,
}
