//! Rows as the databases return them, and their conversion into the public types. Shared by both backends:
//! the column types decode the same way from SQLite's and PostgreSQL's representations.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_core::{RecordType, Role};
use serde_json::Value;

use crate::{
    AuditEntry, CustodyEventRow, DIRECTION_INCOMING, DIRECTION_OUTGOING, DISCLOSURE_APPROVED,
    DISCLOSURE_EXPIRED, DISCLOSURE_PENDING, DISCLOSURE_REFUSED, DisclosureRow, EVIDENCE_INTACT,
    EVIDENCE_MISMATCH, EVIDENCE_UNVERIFIED, EvidenceRow, HitRefRow, HitStatRow,
    LEGAL_SIDE_EXECUTING, LEGAL_SIDE_REQUESTING, LegalEventRow, LegalRequestRow, OUTBOX_DELIVERED,
    OUTBOX_FAILED, OUTBOX_PENDING, OutboxRow, PARTNER_ACTIVE, PARTNER_REVOKED, PartnerRow,
    ScreeningHitRow, ScreeningRunRow, StoreError, StoreResult, StoredRecord, UserRow,
    VERDICT_FALSE_HIT, VERDICT_TRUE_HIT,
};

#[derive(sqlx::FromRow)]
pub(crate) struct RecordColumns {
    seq: i64,
    record_type: String,
    id: String,
    owner: String,
    handling_code: String,
    retain_until: Option<NaiveDate>,
    body: String,
}

impl RecordColumns {
    /// The record with no references; the caller adds them.
    pub(crate) fn into_record(self) -> StoreResult<(i64, StoredRecord)> {
        let record = StoredRecord {
            record_type: parse_record_type(&self.record_type)?,
            id: self.id,
            owner: self.owner,
            handling_code: self.handling_code,
            retain_until: self.retain_until,
            references: Vec::new(),
            body: self.body,
        };
        Ok((self.seq, record))
    }
}

/// A row of `SELECT_RECORD`: the record's columns and one of its references, if it has any.
#[derive(sqlx::FromRow)]
pub(crate) struct RecordReferenceColumns {
    #[sqlx(flatten)]
    record: RecordColumns,
    to_type: Option<String>,
    to_id: Option<String>,
}

/// The record that `SELECT_RECORD` returned as `rows`, with its references in order.
pub(crate) fn record_with_references(
    rows: Vec<RecordReferenceColumns>,
) -> StoreResult<Option<StoredRecord>> {
    let mut rows = rows.into_iter();
    let Some(first) = rows.next() else {
        return Ok(None);
    };
    let mut references = Vec::new();
    let mut add = |to_type: Option<String>, to_id: Option<String>| -> StoreResult<()> {
        if let (Some(to_type), Some(to_id)) = (to_type, to_id) {
            references.push((parse_record_type(&to_type)?, to_id));
        }
        Ok(())
    };
    add(first.to_type, first.to_id)?;
    for row in rows {
        add(row.to_type, row.to_id)?;
    }
    let (_, mut record) = first.record.into_record()?;
    record.references = references;
    Ok(Some(record))
}

/// Fills in the references of a page of records (in seq order) from `REFERENCES_IN_SEQ_RANGE` rows
/// `(from_seq, to_type, to_id)` over the same range, ordered by seq then place.
pub(crate) fn attach_references(
    page: &mut [(i64, StoredRecord)],
    references: Vec<(i64, String, String)>,
) -> StoreResult<()> {
    let mut records = page.iter_mut().peekable();
    for (from_seq, to_type, to_id) in references {
        while records.next_if(|(seq, _)| *seq < from_seq).is_some() {}
        match records.peek_mut() {
            Some((seq, record)) if *seq == from_seq => {
                record
                    .references
                    .push((parse_record_type(&to_type)?, to_id));
            }
            // Both statements ran in one transaction, so a reference's record is on the page.
            _ => {
                return Err(StoreError::Corrupt(format!(
                    "a reference of record seq {from_seq} has no record"
                )));
            }
        }
    }
    Ok(())
}

/// The records of `REFERENCING` rows `(record_type, id)`, in the order of [`RecordType`] then id.
pub(crate) fn referencing(rows: Vec<(String, String)>) -> StoreResult<Vec<(RecordType, String)>> {
    let mut records = rows
        .into_iter()
        .map(|(record_type, id)| Ok((parse_record_type(&record_type)?, id)))
        .collect::<StoreResult<Vec<_>>>()?;
    records.sort();
    Ok(records)
}

/// What `delete_record` does about the records pointing at `(record_type, id)`: nothing if there are none but
/// itself (a record's own references go with it), else `Referenced`.
pub(crate) fn refuse_if_referenced(
    record_type: RecordType,
    id: &str,
    rows: Vec<(String, String)>,
) -> StoreResult<()> {
    let mut by = referencing(rows)?;
    by.retain(|(from_type, from_id)| (*from_type, from_id.as_str()) != (record_type, id));
    if by.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Referenced { by })
    }
}

pub(crate) fn parse_record_type(text: &str) -> StoreResult<RecordType> {
    RecordType::parse(text).map_err(|err| StoreError::Corrupt(format!("record type {err}")))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserColumns {
    username: String,
    password_hash: String,
    roles: String,
    totp_secret: Option<String>,
    totp_enabled: bool,
    failed_logins: i64,
    locked_until: Option<DateTime<Utc>>,
    must_change_password: bool,
    disabled: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<UserColumns> for UserRow {
    type Error = StoreError;

    fn try_from(row: UserColumns) -> StoreResult<UserRow> {
        let roles = row
            .roles
            .split(',')
            .filter(|name| !name.is_empty())
            .map(Role::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| {
                StoreError::Corrupt(format!("role of user `{}`: {err}", row.username))
            })?;
        let failed_logins = u32::try_from(row.failed_logins).map_err(|_| {
            StoreError::Corrupt(format!(
                "failed login count of user `{}` is {}",
                row.username, row.failed_logins
            ))
        })?;
        Ok(UserRow {
            username: row.username,
            password_hash: row.password_hash,
            roles,
            totp_secret: row.totp_secret,
            totp_enabled: row.totp_enabled,
            failed_logins,
            locked_until: row.locked_until,
            must_change_password: row.must_change_password,
            disabled: row.disabled,
            created_at: row.created_at,
        })
    }
}

/// How roles are kept in one column: their names joined by commas.
pub(crate) fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|role| role.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditColumns {
    seq: i64,
    at: DateTime<Utc>,
    node: String,
    actor: String,
    action: String,
    objects: String,
    purpose: Option<String>,
    case_ref: Option<String>,
    recipients: String,
    outcome: String,
    detail: Option<String>,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl TryFrom<AuditColumns> for AuditEntry {
    type Error = StoreError;

    fn try_from(row: AuditColumns) -> StoreResult<AuditEntry> {
        let seq = row.seq;
        let strings = |text: &str, what: &str| {
            serde_json::from_str::<Vec<String>>(text).map_err(|err| {
                StoreError::Corrupt(format!(
                    "audit entry {seq}: {what} are not a json array of strings: {err}"
                ))
            })
        };
        Ok(AuditEntry {
            seq,
            at: row.at,
            node: row.node,
            actor: row.actor,
            action: row.action,
            objects: strings(&row.objects, "objects")?,
            purpose: row.purpose,
            case_ref: row.case_ref,
            recipients: strings(&row.recipients, "recipients")?,
            outcome: row.outcome,
            detail: row.detail,
            request_id: row.request_id,
            prev_hash: row.prev_hash,
            hash: row.hash,
        })
    }
}

/// How a list of strings is kept in one column: a JSON array, so any string survives.
pub(crate) fn json_strings(items: &[String]) -> String {
    Value::from(items).to_string()
}

/// Counts per record type from `(record_type, count)` rows, with every type present (zero if none stored).
pub(crate) fn record_counts(rows: Vec<(String, i64)>) -> StoreResult<BTreeMap<RecordType, u64>> {
    let mut counts: BTreeMap<RecordType, u64> = RecordType::ALL.iter().map(|&t| (t, 0)).collect();
    for (name, count) in rows {
        let count = u64::try_from(count)
            .map_err(|_| StoreError::Corrupt(format!("count of {name} records is {count}")))?;
        counts.insert(parse_record_type(&name)?, count);
    }
    Ok(counts)
}

/// Turns the rows an update touched into `NotFound(what())` when it touched none.
pub(crate) fn require_one(rows_affected: u64, what: impl FnOnce() -> String) -> StoreResult<()> {
    if rows_affected == 0 {
        Err(StoreError::NotFound(what()))
    } else {
        Ok(())
    }
}

/// The consecutive failures `record_login_failure` reports from the count it stored: the stored count is reset
/// to 0 by the failure that locks the account, which then reports `max_failures` (at least 1: a limit of 0
/// locks on every failure, like 1).
pub(crate) fn failures_reached(
    stored: Option<i64>,
    username: &str,
    max_failures: u32,
) -> StoreResult<u32> {
    match stored {
        None => Err(StoreError::NotFound(format!("user `{username}`"))),
        Some(0) => Ok(max_failures.max(1)),
        Some(count) => u32::try_from(count).map_err(|_| {
            StoreError::Corrupt(format!(
                "failed login count of user `{username}` is {count}"
            ))
        }),
    }
}

/// The audit head row is created by the migration and protected by a trigger: its absence means tampering.
pub(crate) fn missing_audit_head() -> StoreError {
    StoreError::Corrupt("the audit head row is missing".to_owned())
}

/// The audit head as the trait reports it: `None` while the log is empty.
pub(crate) fn audit_head(row: Option<(i64, String)>) -> StoreResult<Option<(i64, String)>> {
    match row {
        None => Err(missing_audit_head()),
        Some((0, _)) => Ok(None),
        Some(head) => Ok(Some(head)),
    }
}

/// The record types named in `names`, in the order of [`RecordType`].
pub(crate) fn record_types(names: &[String]) -> StoreResult<Vec<RecordType>> {
    let mut types = names
        .iter()
        .map(|name| parse_record_type(name))
        .collect::<StoreResult<Vec<_>>>()?;
    types.sort();
    Ok(types)
}

/// A count kept as an integer column, back as the `u32` it was written from.
fn stored_u32(value: i64, what: impl FnOnce() -> String) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{} is {value}", what())))
}

/// A count the database computed, as a `u64`.
fn stored_u64(value: i64, what: impl FnOnce() -> String) -> StoreResult<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{} is {value}", what())))
}

#[derive(sqlx::FromRow)]
pub(crate) struct ScreeningRunColumns {
    id: String,
    kind: String,
    created_at: DateTime<Utc>,
    username: String,
    purpose: String,
    case_ref: Option<String>,
    source: String,
    travellers: i64,
    hits: i64,
    ruleset_version: Option<i64>,
    report: String,
}

impl TryFrom<ScreeningRunColumns> for ScreeningRunRow {
    type Error = StoreError;

    fn try_from(row: ScreeningRunColumns) -> StoreResult<ScreeningRunRow> {
        let travellers = stored_u32(row.travellers, || {
            format!("traveller count of screening run `{}`", row.id)
        })?;
        let hits = stored_u32(row.hits, || {
            format!("hit count of screening run `{}`", row.id)
        })?;
        Ok(ScreeningRunRow {
            id: row.id,
            kind: row.kind,
            created_at: row.created_at,
            username: row.username,
            purpose: row.purpose,
            case_ref: row.case_ref,
            source: row.source,
            travellers,
            hits,
            ruleset_version: row.ruleset_version,
            report: row.report,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ScreeningHitColumns {
    id: String,
    run_id: String,
    traveller: i64,
    kind: String,
    band: String,
    alert_category: Option<String>,
    rule_id: Option<String>,
    record_ref: Option<String>,
    verdict: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
}

impl TryFrom<ScreeningHitColumns> for ScreeningHitRow {
    type Error = StoreError;

    fn try_from(row: ScreeningHitColumns) -> StoreResult<ScreeningHitRow> {
        let traveller = stored_u32(row.traveller, || {
            format!("traveller index of screening hit `{}`", row.id)
        })?;
        Ok(ScreeningHitRow {
            id: row.id,
            run_id: row.run_id,
            traveller,
            kind: row.kind,
            band: row.band,
            alert_category: row.alert_category,
            rule_id: row.rule_id,
            record_ref: row.record_ref,
            verdict: row.verdict,
            reviewed_by: row.reviewed_by,
            reviewed_at: row.reviewed_at,
        })
    }
}

/// A row of `HIT_STATISTICS`.
#[derive(sqlx::FromRow)]
pub(crate) struct HitStatColumns {
    dimension: String,
    key: String,
    hits: i64,
    confirmed: i64,
    false_hits: i64,
}

impl TryFrom<HitStatColumns> for HitStatRow {
    type Error = StoreError;

    fn try_from(row: HitStatColumns) -> StoreResult<HitStatRow> {
        let what = |figure: &str| format!("{figure} of {} `{}`", row.dimension, row.key);
        Ok(HitStatRow {
            hits: stored_u64(row.hits, || what("hits"))?,
            confirmed: stored_u64(row.confirmed, || what("confirmed hits"))?,
            false_hits: stored_u64(row.false_hits, || what("false hits"))?,
            dimension: row.dimension,
            key: row.key,
        })
    }
}

/// Refuses a verdict the statistics would not count: only a true or a false hit can be recorded.
pub(crate) fn check_verdict(verdict: &str) -> StoreResult<()> {
    match verdict_problem(verdict) {
        None => Ok(()),
        Some(problem) => Err(StoreError::Invalid(problem)),
    }
}

fn verdict_problem(verdict: &str) -> Option<String> {
    (verdict != VERDICT_TRUE_HIT && verdict != VERDICT_FALSE_HIT).then(|| {
        format!("verdict `{verdict}` is neither `{VERDICT_TRUE_HIT}` nor `{VERDICT_FALSE_HIT}`")
    })
}

/// Checks the hits handed with `run` before anything is written: each belongs to the run, has an id of its
/// own within the batch and a known verdict if it has one. Ids taken by stored hits are the database's to
/// find (`Conflict`).
pub(crate) fn check_hits(run: &ScreeningRunRow, hits: &[ScreeningHitRow]) -> StoreResult<()> {
    let mut ids = std::collections::HashSet::with_capacity(hits.len());
    for (index, hit) in hits.iter().enumerate() {
        if hit.run_id != run.id {
            return Err(StoreError::Invalid(format!(
                "hits[{index}] (`{}`) belongs to screening run `{}`, not `{}`",
                hit.id, hit.run_id, run.id
            )));
        }
        if !ids.insert(hit.id.as_str()) {
            return Err(StoreError::Invalid(format!(
                "hits[{index}]: hit id `{}` is given twice",
                hit.id
            )));
        }
        if let Some(problem) = hit.verdict.as_deref().and_then(verdict_problem) {
            return Err(StoreError::Invalid(format!(
                "hits[{index}] (`{}`): {problem}",
                hit.id
            )));
        }
    }
    Ok(())
}

/// Refuses `value` for `what` unless it is one of `allowed`, before anything is written.
fn check_one_of(what: &str, value: &str, allowed: &[&str]) -> StoreResult<()> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let names = allowed
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(StoreError::Invalid(format!(
        "{what} `{value}` is not one of {names}"
    )))
}

pub(crate) fn check_partner_status(status: &str) -> StoreResult<()> {
    check_one_of("partner status", status, &[PARTNER_ACTIVE, PARTNER_REVOKED])
}

/// The outbox states, in the order `outbox_counts` lists them.
pub(crate) const OUTBOX_STATES: [&str; 3] = [OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED];

pub(crate) fn check_outbox_state(state: &str) -> StoreResult<()> {
    check_one_of("outbox state", state, &OUTBOX_STATES)
}

pub(crate) fn check_direction(direction: &str) -> StoreResult<()> {
    check_one_of(
        "disclosure direction",
        direction,
        &[DIRECTION_OUTGOING, DIRECTION_INCOMING],
    )
}

pub(crate) fn check_disclosure_state(state: &str) -> StoreResult<()> {
    check_one_of(
        "disclosure state",
        state,
        &[
            DISCLOSURE_PENDING,
            DISCLOSURE_APPROVED,
            DISCLOSURE_REFUSED,
            DISCLOSURE_EXPIRED,
        ],
    )
}

/// A decision moves a request out of `pending`, never back into it.
pub(crate) fn check_decision(state: &str) -> StoreResult<()> {
    check_one_of(
        "disclosure decision",
        state,
        &[DISCLOSURE_APPROVED, DISCLOSURE_REFUSED, DISCLOSURE_EXPIRED],
    )
}

/// Counts per outbox state from `(state, count)` rows, with every state present (zero if none).
pub(crate) fn outbox_counts(rows: Vec<(String, i64)>) -> StoreResult<BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, u64> = OUTBOX_STATES
        .iter()
        .map(|&state| (state.to_owned(), 0))
        .collect();
    for (state, count) in rows {
        let count = stored_u64(count, || format!("count of {state} outbox envelopes"))?;
        counts.insert(state, count);
    }
    Ok(counts)
}

#[derive(sqlx::FromRow)]
pub(crate) struct OutboxColumns {
    id: String,
    recipient: String,
    kind: String,
    envelope: Vec<u8>,
    created_at: DateTime<Utc>,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    state: String,
    last_error: Option<String>,
    delivered_at: Option<DateTime<Utc>>,
}

impl TryFrom<OutboxColumns> for OutboxRow {
    type Error = StoreError;

    fn try_from(row: OutboxColumns) -> StoreResult<OutboxRow> {
        let attempts = stored_u32(row.attempts, || {
            format!("attempt count of outbox envelope `{}`", row.id)
        })?;
        Ok(OutboxRow {
            id: row.id,
            recipient: row.recipient,
            kind: row.kind,
            envelope: row.envelope,
            created_at: row.created_at,
            attempts,
            next_attempt_at: row.next_attempt_at,
            state: row.state,
            last_error: row.last_error,
            delivered_at: row.delivered_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct HitRefColumns {
    hit_ref: String,
    requester: String,
    record_type: String,
    record_id: String,
    correlation_id: String,
    purpose: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl TryFrom<HitRefColumns> for HitRefRow {
    type Error = StoreError;

    fn try_from(row: HitRefColumns) -> StoreResult<HitRefRow> {
        Ok(HitRefRow {
            record_type: parse_record_type(&row.record_type)?,
            hit_ref: row.hit_ref,
            requester: row.requester,
            record_id: row.record_id,
            correlation_id: row.correlation_id,
            purpose: row.purpose,
            created_at: row.created_at,
            expires_at: row.expires_at,
        })
    }
}

/// The `Conflict` of a partner whose certificate is pinned for another partner (the node id is the upsert's
/// key, so only the fingerprint can be taken).
pub(crate) fn taken_fingerprint(partner: &PartnerRow) -> String {
    format!(
        "tls fingerprint `{}` of partner `{}`, pinned for another partner",
        partner.tls_fingerprint, partner.node_id
    )
}

pub(crate) fn taken_hit_ref() -> String {
    "a hit reference of the batch".to_owned()
}

pub(crate) fn taken_disclosure(row: &DisclosureRow) -> String {
    format!("{} disclosure request `{}`", row.direction, row.id)
}

/// Checks a new legal request and its first event before anything is written.
pub(crate) fn check_new_legal_request(
    row: &LegalRequestRow,
    event: &LegalEventRow,
) -> StoreResult<()> {
    check_one_of(
        "legal request side",
        &row.side,
        &[LEGAL_SIDE_REQUESTING, LEGAL_SIDE_EXECUTING],
    )?;
    check_event_of(row, Some(event))
}

/// Refuses an event handed with a request that belongs to another request.
pub(crate) fn check_event_of(
    row: &LegalRequestRow,
    event: Option<&LegalEventRow>,
) -> StoreResult<()> {
    match event {
        Some(event) if event.request_id != row.id => Err(StoreError::Invalid(format!(
            "the timeline event `{}` names legal request `{}`, not `{}`",
            event.action, event.request_id, row.id
        ))),
        _ => Ok(()),
    }
}

pub(crate) fn check_evidence_status(status: &str) -> StoreResult<()> {
    check_one_of(
        "evidence status",
        status,
        &[EVIDENCE_INTACT, EVIDENCE_MISMATCH, EVIDENCE_UNVERIFIED],
    )
}

pub(crate) fn check_evidence(row: &EvidenceRow) -> StoreResult<()> {
    check_evidence_status(&row.status)?;
    if row.size < 0 {
        return Err(StoreError::Invalid(format!(
            "size of evidence `{}` is {}",
            row.id, row.size
        )));
    }
    Ok(())
}

pub(crate) fn taken_legal_request(row: &LegalRequestRow) -> String {
    format!("legal request `{}`", row.id)
}

/// The `NotFound` of an event appended to a request that does not exist.
pub(crate) fn missing_legal_request(event: &LegalEventRow) -> String {
    format!("legal request `{}`", event.request_id)
}

pub(crate) fn taken_custody_event(row: &CustodyEventRow) -> String {
    format!(
        "custody event {} of evidence `{}`",
        row.seq, row.evidence_id
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn unknown_values_are_named_with_what_is_allowed() {
        let err = check_decision("pending").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid value: disclosure decision `pending` is not one of `approved`, `refused`, `expired`"
        );
        assert!(check_partner_status("revoked").is_ok());
        assert!(check_outbox_state("sent").is_err());
        assert!(check_direction("incoming").is_ok());
        assert!(check_disclosure_state("expired").is_ok());
        assert!(check_evidence_status("unverified").is_ok());
        let err = check_evidence_status("tampered").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid value: evidence status `tampered` is not one of `intact`, `mismatch`, `unverified`"
        );
    }

    #[test]
    fn outbox_counts_name_every_state() {
        let counts = outbox_counts(vec![("failed".to_owned(), 2)]).unwrap();
        let listed: Vec<_> = counts.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        assert_eq!(listed, [("delivered", 0), ("failed", 2), ("pending", 0)]);
        assert!(matches!(
            outbox_counts(vec![("pending".to_owned(), -1)]),
            Err(StoreError::Corrupt(_))
        ));
    }
}
