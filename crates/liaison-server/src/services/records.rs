//! Records: importing files and API submissions (validated, references resolved, stored in whole batches),
//! reading one record for a stated purpose, and exporting everything. Every read is audited here.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::BufRead;

use liaison_core::{Purpose, Record, RecordType, Role};
use liaison_proto::{
    Decoded, FieldIssue, LineError, LineItem, LineReader, allowed_reference_types, decode_value,
    encode_record,
};
use liaison_store::StoredRecord;
use serde_json::Value;

use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Roles that may read records.
pub const READ_ROLES: &[Role] = &[Role::Officer, Role::Analyst, Role::Supervisor, Role::Legal];
/// Roles that may create or change records through the API.
pub const WRITE_ROLES: &[Role] = &[Role::Analyst, Role::Supervisor];

/// One item of an input, before decoding.
pub type SourceItem = (u64, Result<Value, LineError>);

/// An input that can be read several times (the importer validates, resolves, then stores, each in one
/// streaming pass, so memory does not grow with the file).
pub trait ImportSource: Sync {
    fn items(&self) -> Result<Box<dyn Iterator<Item = SourceItem> + Send + '_>, ServiceError>;
    /// Total size, for progress; `None` when unknown.
    fn total_bytes(&self) -> Option<u64> {
        None
    }
    fn describe(&self) -> String;
}

/// Liaison JSON Lines from any re-openable reader.
#[derive(Debug)]
pub struct JsonLinesSource<F> {
    pub name: String,
    pub open: F,
    pub total_bytes: Option<u64>,
}

impl<F, R> ImportSource for JsonLinesSource<F>
where
    F: Fn() -> std::io::Result<R> + Sync,
    R: BufRead + Send + 'static,
{
    fn items(&self) -> Result<Box<dyn Iterator<Item = SourceItem> + Send + '_>, ServiceError> {
        let reader = (self.open)()
            .map_err(|e| ServiceError::Internal(format!("cannot read {}: {e}", self.name)))?;
        Ok(Box::new(JsonLinesItems {
            lines: LineReader::new(reader),
            done: false,
        }))
    }

    fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}

struct JsonLinesItems<R> {
    lines: LineReader<R>,
    done: bool,
}

impl<R: BufRead> Iterator for JsonLinesItems<R> {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if self.done {
                return None;
            }
            let item = match self.lines.next_line() {
                Ok(Some(item)) => item,
                Ok(None) => return None,
                Err(e) => {
                    self.done = true;
                    return Some((
                        0,
                        Err(LineError::new(0, None, format!("reading stopped: {e}"))),
                    ));
                }
            };
            let line = item.line();
            let text = match item {
                LineItem::Text { text, .. } => text,
                LineItem::TooLong { bytes, .. } => {
                    let message = format!(
                        "the line is {bytes} bytes long, the limit is {}",
                        liaison_proto::MAX_LINE_BYTES
                    );
                    return Some((line, Err(LineError::new(line, None, message))));
                }
                LineItem::NotUtf8 { byte_offset, .. } => {
                    let message = format!(
                        "not UTF-8 text (invalid byte at offset {byte_offset} of the line)"
                    );
                    return Some((line, Err(LineError::new(line, None, message))));
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            let value = serde_json::from_str::<Value>(&text).map_err(|e| {
                let message = e.to_string();
                let reason = message.split(" at line ").next().unwrap_or(&message);
                LineError::new(
                    line,
                    None,
                    format!("not valid JSON at column {}: {reason}", e.column()),
                )
            });
            if let Ok(Value::Object(object)) = &value
                && let Some(version) = object.get("liaison_format")
            {
                if line != 1 {
                    return Some((
                        line,
                        Err(LineError::new(
                            line,
                            Some("liaison_format".into()),
                            "the format header must be the first line",
                        )),
                    ));
                }
                if version.as_u64() != Some(liaison_proto::FORMAT_VERSION) || object.len() != 1 {
                    let message = format!(
                        "unsupported format header {text}: this node reads version {}",
                        liaison_proto::FORMAT_VERSION
                    );
                    return Some((
                        line,
                        Err(LineError::new(line, Some("liaison_format".into()), message)),
                    ));
                }
                continue;
            }
            return Some((line, value));
        }
    }
}

/// Persons as CSV from any re-openable reader.
#[derive(Debug)]
pub struct CsvSource<F> {
    pub name: String,
    pub open: F,
    pub total_bytes: Option<u64>,
}

impl<F, R> ImportSource for CsvSource<F>
where
    F: Fn() -> std::io::Result<R> + Sync,
    R: std::io::Read + Send + 'static,
{
    fn items(&self) -> Result<Box<dyn Iterator<Item = SourceItem> + Send + '_>, ServiceError> {
        let reader = (self.open)()
            .map_err(|e| ServiceError::Internal(format!("cannot read {}: {e}", self.name)))?;
        match liaison_proto::CsvPersonReader::new(reader) {
            Ok(mut rows) => {
                let unknown: Vec<SourceItem> = rows
                    .unknown_columns
                    .iter()
                    .map(|c| (1, Err(LineError::new(1, Some(c.clone()), UNKNOWN_COLUMN))))
                    .collect();
                let rows_iter = std::iter::from_fn(move || rows.next_row()).map(|row| match row {
                    Ok((line, value)) => (line, Ok(value)),
                    Err(e) => (e.line, Err(e)),
                });
                Ok(Box::new(unknown.into_iter().chain(rows_iter)))
            }
            Err(e) => Ok(Box::new(std::iter::once((e.line, Err(e))))),
        }
    }

    fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    fn describe(&self) -> String {
        self.name.clone()
    }
}

/// Unknown CSV columns are warnings like unknown JSON fields; they travel as line-1 items with this message.
const UNKNOWN_COLUMN: &str = "unknown column";

/// Records already in memory (the API's `POST /api/v1/records`); "line" is the 1-based position in the list.
#[derive(Debug)]
pub struct ValuesSource<'a>(pub &'a [Value]);

impl ImportSource for ValuesSource<'_> {
    fn items(&self) -> Result<Box<dyn Iterator<Item = SourceItem> + Send + '_>, ServiceError> {
        Ok(Box::new(
            self.0
                .iter()
                .enumerate()
                .map(|(i, v)| (i as u64 + 1, Ok(v.clone()))),
        ))
    }

    fn describe(&self) -> String {
        "api".to_owned()
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Refuse the whole input when any line is bad or has an unknown field.
    pub strict: bool,
    /// Records per transaction.
    pub batch_size: usize,
    /// List every stored record in the report (for small API submissions, not for files).
    pub list_stored: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            strict: false,
            batch_size: 5_000,
            list_stored: false,
        }
    }
}

/// A problem found while importing; `warning` problems do not stop the line (outside strict mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportIssue {
    pub error: LineError,
    pub warning: bool,
}

/// The three streaming passes of an import, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportPhase {
    Validating,
    Resolving,
    Storing,
}

/// Receives issues and progress as the import runs, so a caller can show them without the importer holding
/// them all in memory.
pub trait ImportObserver {
    fn issue(&mut self, issue: &ImportIssue);
    fn progress(&mut self, _phase: ImportPhase, _items_done: u64) {}
}

/// Collects issues in memory (for API submissions, which are small).
#[derive(Debug, Default)]
pub struct CollectIssues(pub Vec<ImportIssue>);

impl ImportObserver for CollectIssues {
    fn issue(&mut self, issue: &ImportIssue) {
        self.0.push(issue.clone());
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: u64,
    pub inserted: u64,
    pub updated: u64,
    pub rejected: u64,
    pub warnings: u64,
    /// True when `--strict` refused the whole input; nothing was stored.
    pub refused: bool,
    pub stored: Vec<(RecordType, String)>,
}

/// A 128-bit fingerprint of `type/id`: the importer remembers which records a file holds without keeping
/// their ids, so a file of millions of records needs tens of megabytes, not gigabytes.
fn fingerprint(record_type: RecordType, id: &str) -> u128 {
    let mut high = std::hash::DefaultHasher::new();
    (0u8, record_type.as_str(), id).hash(&mut high);
    let mut low = std::hash::DefaultHasher::new();
    (1u8, id, record_type.as_str()).hash(&mut low);
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}

/// The records an input defines, as sorted 128-bit fingerprints: 16 bytes a record, with no per-entry
/// overhead, so a file of a million records needs about 20 MB whatever the length of its ids.
struct FileIds {
    sorted: Vec<u128>,
    /// Records rejected after pass 1 (few), which no longer count as defined.
    removed: HashSet<u128>,
}

impl FileIds {
    /// The set, and the fingerprints defined more than once.
    fn new(mut keys: Vec<u128>) -> (FileIds, HashSet<u128>) {
        keys.sort_unstable();
        let duplicated: HashSet<u128> = keys
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        keys.dedup();
        keys.shrink_to_fit();
        (
            FileIds {
                sorted: keys,
                removed: HashSet::new(),
            },
            duplicated,
        )
    }

    fn contains(&self, key: &u128) -> bool {
        self.sorted.binary_search(key).is_ok() && !self.removed.contains(key)
    }

    fn remove(&mut self, key: u128) {
        self.removed.insert(key);
    }
}

/// Imports records: pass 1 decodes and validates every item; pass 2 resolves references against the input
/// and the store (repeating while rejections remove targets others point at); pass 3 stores the good records
/// in batches, one transaction each. With `strict`, any problem refuses the input before anything is stored.
pub async fn import(
    node: &Node,
    caller: &Caller,
    source: &dyn ImportSource,
    options: &ImportOptions,
    observer: &mut (dyn ImportObserver + Send),
) -> Result<ImportReport, ServiceError> {
    require_role(
        node,
        caller,
        WRITE_ROLES,
        "records.import",
        Some(source.describe()),
    )
    .await?;
    let mut report = ImportReport::default();
    let mut bad_lines: HashSet<u64> = HashSet::new();
    let mut keys: Vec<u128> = Vec::new();
    let report_issue = |observer: &mut (dyn ImportObserver + Send),
                        report: &mut ImportReport,
                        error: LineError,
                        warning: bool| {
        if warning {
            report.warnings += 1;
        }
        observer.issue(&ImportIssue { error, warning });
    };

    // Pass 1: decode and validate.
    let mut count = 0u64;
    for (line, item) in source.items()? {
        count += 1;
        if count.is_multiple_of(10_000) {
            observer.progress(ImportPhase::Validating, count);
        }
        let decoded = match item {
            Err(e) if e.line == 1 && e.message == UNKNOWN_COLUMN => {
                if options.strict {
                    bad_lines.insert(line);
                }
                report_issue(observer, &mut report, e, !options.strict);
                continue;
            }
            Err(e) => {
                bad_lines.insert(line);
                report_issue(observer, &mut report, e, false);
                continue;
            }
            Ok(value) => decode_value(&value),
        };
        let decoded = match decoded {
            Ok(decoded) => decoded,
            Err(issue) => {
                bad_lines.insert(line);
                report_issue(
                    observer,
                    &mut report,
                    LineError::from_issue(line, issue),
                    false,
                );
                continue;
            }
        };
        let mut line_ok = true;
        for warning in &decoded.warnings {
            report_issue(
                observer,
                &mut report,
                LineError::from_issue(line, warning.clone()),
                !options.strict,
            );
            line_ok &= !options.strict;
        }
        if let Some(message) = check_owner(node, &decoded.record) {
            report_issue(
                observer,
                &mut report,
                LineError::new(line, Some("owner".into()), message),
                false,
            );
            line_ok = false;
        }
        if let Some(retain) = decoded.record.meta().retain_until
            && retain < node.now().date_naive()
        {
            let message = format!(
                "the retention date {retain} has passed: the record should be deleted, not imported"
            );
            report_issue(
                observer,
                &mut report,
                LineError::new(line, Some("retain_until".into()), message),
                !options.strict,
            );
            line_ok &= !options.strict;
        }
        let key = fingerprint(
            decoded.record.record_type(),
            decoded.record.meta().id.as_str(),
        );
        if line_ok {
            keys.push(key);
        } else {
            bad_lines.insert(line);
        }
    }
    let (mut in_file, duplicated) = FileIds::new(keys);
    // The first line defining a duplicated id keeps it; later ones are rejected in pass 2.
    let mut first_definition: HashMap<u128, u64> = HashMap::new();

    // Pass 2: resolve references, until no rejection removes a target another record points at.
    loop {
        let mut removed = false;
        let mut count = 0u64;
        for (line, item) in source.items()? {
            if bad_lines.contains(&line) {
                continue;
            }
            count += 1;
            if count.is_multiple_of(10_000) {
                observer.progress(ImportPhase::Resolving, count);
            }
            let Ok(value) = item else { continue };
            let Ok(mut decoded) = decode_value(&value) else {
                continue;
            };
            let key = fingerprint(
                decoded.record.record_type(),
                decoded.record.meta().id.as_str(),
            );
            if duplicated.contains(&key) {
                match first_definition.get(&key) {
                    None => {
                        first_definition.insert(key, line);
                    }
                    Some(&first) if first != line => {
                        bad_lines.insert(line);
                        let message = format!(
                            "`{}` is already defined on line {first}",
                            decoded.record.reference()
                        );
                        report_issue(
                            observer,
                            &mut report,
                            LineError::new(line, Some("id".into()), message),
                            false,
                        );
                        continue;
                    }
                    Some(_) => {}
                }
            }
            if let Err(issue) = resolve(node, &in_file, &mut decoded).await? {
                bad_lines.insert(line);
                in_file.remove(fingerprint(
                    decoded.record.record_type(),
                    decoded.record.meta().id.as_str(),
                ));
                removed = true;
                report_issue(
                    observer,
                    &mut report,
                    LineError::from_issue(line, issue),
                    false,
                );
            }
        }
        if !removed || options.strict {
            break;
        }
    }

    report.rejected = bad_lines.len() as u64;
    if options.strict && !bad_lines.is_empty() {
        report.refused = true;
        let event = AuditEvent::new("records.import", "refused")
            .object(source.describe())
            .detail(format!(
                "strict import refused: {} bad lines; nothing stored",
                bad_lines.len()
            ));
        record_audit(node, caller, event).await?;
        return Ok(report);
    }

    // Pass 3: store, one transaction per batch.
    let mut batch: Vec<StoredRecord> = Vec::with_capacity(options.batch_size);
    for (line, item) in source.items()? {
        if bad_lines.contains(&line) {
            continue;
        }
        let Ok(value) = item else { continue };
        let Ok(mut decoded) = decode_value(&value) else {
            continue;
        };
        if resolve(node, &in_file, &mut decoded).await?.is_err() {
            continue;
        }
        let mut record = decoded.record;
        if record.meta().owner.is_none() {
            record.meta_mut().owner = Some(node.id.clone());
        }
        if options.list_stored {
            report
                .stored
                .push((record.record_type(), record.meta().id.as_str().to_owned()));
        }
        batch.push(to_stored(&record));
        if batch.len() >= options.batch_size {
            flush(node, &mut batch, &mut report).await?;
            observer.progress(ImportPhase::Storing, report.imported);
        }
    }
    flush(node, &mut batch, &mut report).await?;
    observer.progress(ImportPhase::Storing, report.imported);

    let outcome = if report.rejected == 0 {
        "ok"
    } else {
        "partial"
    };
    let event = AuditEvent::new("records.import", outcome)
        .object(source.describe())
        .detail(format!(
            "imported {} (inserted {}, updated {}), rejected {}, warnings {}",
            report.imported, report.inserted, report.updated, report.rejected, report.warnings
        ));
    record_audit(node, caller, event).await?;
    Ok(report)
}

/// Records owned by a partner may only arrive through federation; a file claiming another owner is refused,
/// so nobody can plant records in a partner's name.
fn check_owner(node: &Node, record: &Record) -> Option<String> {
    match &record.meta().owner {
        Some(owner) if owner != &node.id => Some(format!(
            "the record belongs to node `{owner}`; only records of this node (`{}`) can be imported",
            node.id
        )),
        _ => None,
    }
}

/// Fixes the type of each reference by looking its id up in the input and the store.
async fn resolve(
    node: &Node,
    in_file: &FileIds,
    decoded: &mut Decoded,
) -> Result<Result<(), FieldIssue>, ServiceError> {
    let fields: Vec<(String, bool, &'static [RecordType])> = decoded
        .record
        .references()
        .iter()
        .zip(&decoded.pending)
        .map(|((field, _), pending)| {
            (
                pending.field.clone(),
                pending.explicit,
                allowed_reference_types(&decoded.record, field),
            )
        })
        .collect();
    let mut refs = decoded.record.references_mut();
    for (reference, (field, explicit, allowed)) in refs.iter_mut().zip(fields) {
        let id = reference.id.as_str().to_owned();
        if explicit {
            if !allowed.contains(&reference.record_type) {
                let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
                return Ok(Err(FieldIssue::new(
                    field,
                    format!(
                        "a `{}` cannot be referenced here; allowed: {}",
                        reference.record_type,
                        names.join(", ")
                    ),
                )));
            }
            if !exists(node, in_file, reference.record_type, &id).await? {
                return Ok(Err(dangling(
                    &field,
                    &format!("{}/{id}", reference.record_type),
                )));
            }
            continue;
        }
        let mut found = None;
        for candidate in allowed {
            if in_file.contains(&fingerprint(*candidate, &id)) {
                found = Some(*candidate);
                break;
            }
        }
        if found.is_none() {
            let stored = node.store.record_types_with_id(&id).await?;
            found = allowed.iter().copied().find(|t| stored.contains(t));
        }
        match found {
            Some(record_type) => reference.record_type = record_type,
            None => return Ok(Err(dangling(&field, &id))),
        }
    }
    Ok(Ok(()))
}

fn dangling(field: &str, target: &str) -> FieldIssue {
    FieldIssue::new(
        field,
        format!("`{target}` is neither in this input nor on this node (dangling reference)"),
    )
}

async fn exists(
    node: &Node,
    in_file: &FileIds,
    record_type: RecordType,
    id: &str,
) -> Result<bool, ServiceError> {
    if in_file.contains(&fingerprint(record_type, id)) {
        return Ok(true);
    }
    // Only existence matters here: the id index answers without reading the body and its references.
    Ok(node
        .store
        .record_types_with_id(id)
        .await?
        .contains(&record_type))
}

async fn flush(
    node: &Node,
    batch: &mut Vec<StoredRecord>,
    report: &mut ImportReport,
) -> Result<(), ServiceError> {
    if batch.is_empty() {
        return Ok(());
    }
    let outcome = node.store.put_records(batch, node.now()).await?;
    report.inserted += outcome.inserted;
    report.updated += outcome.updated;
    report.imported += batch.len() as u64;
    if let Some(index) = &node.screening {
        let keys: Vec<(RecordType, String)> = batch
            .iter()
            .map(|r| (r.record_type, r.id.clone()))
            .collect();
        index.refresh(node.store.as_ref(), &keys).await?;
    }
    batch.clear();
    Ok(())
}

fn to_stored(record: &Record) -> StoredRecord {
    let meta = record.meta();
    let mut references: Vec<(RecordType, String)> = Vec::new();
    for (_, target) in record.references() {
        let key = (target.record_type, target.id.as_str().to_owned());
        if !references.contains(&key) {
            references.push(key);
        }
    }
    StoredRecord {
        references,
        record_type: record.record_type(),
        id: meta.id.as_str().to_owned(),
        owner: meta
            .owner
            .as_ref()
            .map(|o| o.as_str().to_owned())
            .unwrap_or_default(),
        handling_code: meta.handling.code.as_str().to_owned(),
        retain_until: meta.retain_until,
        body: encode_record(record).to_string(),
    }
}

/// Why a record is being read.
#[derive(Debug, Clone, Default)]
pub struct AccessReason {
    pub purpose: Option<String>,
    pub case_ref: Option<String>,
}

/// Checks the stated purpose; a missing or unknown purpose is refused and the refusal logged.
pub(crate) async fn check_purpose(
    node: &Node,
    caller: &Caller,
    action: &'static str,
    object: &str,
    reason: &AccessReason,
) -> Result<Purpose, ServiceError> {
    let problem = match reason.purpose.as_deref().map(str::trim) {
        None | Some("") => "no purpose stated".to_owned(),
        Some(text) => match Purpose::parse(text) {
            Ok(purpose) => {
                if reason
                    .case_ref
                    .as_ref()
                    .is_some_and(|c| c.chars().count() > 100 || c.chars().any(char::is_control))
                {
                    "the case reference is over 100 characters or holds control characters"
                        .to_owned()
                } else {
                    return Ok(purpose);
                }
            }
            Err(e) => e.to_string(),
        },
    };
    let mut event = AuditEvent::new(action, "refused")
        .object(object)
        .detail(problem.clone());
    event.purpose = reason.purpose.clone();
    event.case_ref = reason.case_ref.clone();
    record_audit(node, caller, event).await?;
    let pointer = if problem.contains("case reference") {
        "case_ref"
    } else {
        "purpose"
    };
    Err(ServiceError::bad_field(
        pointer,
        format!(
            "{problem}; every access states one of: {}",
            Purpose::NAMES.join(", ")
        ),
    ))
}

/// Reads one record for a stated purpose: the only way a record's content leaves the store.
pub async fn read_record(
    node: &Node,
    caller: &Caller,
    record_type: &str,
    id: &str,
    reason: &AccessReason,
) -> Result<Value, ServiceError> {
    let object = format!("{record_type}/{id}");
    require_role(
        node,
        caller,
        READ_ROLES,
        "record.read",
        Some(object.clone()),
    )
    .await?;
    let purpose = check_purpose(node, caller, "record.read", &object, reason).await?;
    let record_type = match RecordType::parse(record_type) {
        Ok(t) => t,
        Err(e) => {
            let mut event = AuditEvent::new("record.read", "refused")
                .object(&object)
                .detail(e.to_string());
            event.purpose = Some(purpose.as_str().to_owned());
            record_audit(node, caller, event).await?;
            return Err(ServiceError::bad_field("type", e.to_string()));
        }
    };
    let stored = node.store.get_record(record_type, id).await?;
    let mut event = AuditEvent::new(
        "record.read",
        if stored.is_some() { "ok" } else { "not_found" },
    )
    .object(&object);
    event.purpose = Some(purpose.as_str().to_owned());
    event.case_ref = reason.case_ref.clone();
    record_audit(node, caller, event).await?;
    let stored =
        stored.ok_or_else(|| ServiceError::NotFound(format!("no {object} on this node")))?;
    serde_json::from_str(&stored.body).map_err(|e| {
        ServiceError::Internal(format!("stored record {object} no longer parses: {e}"))
    })
}

/// Writes every record, in insertion order, as Liaison JSON Lines, reading the store in pages.
pub async fn export(
    node: &Node,
    caller: &Caller,
    out: &mut dyn std::io::Write,
    reason: &AccessReason,
) -> Result<u64, ServiceError> {
    require_role(node, caller, READ_ROLES, "records.export", None).await?;
    if reason.purpose.is_some() {
        check_purpose(node, caller, "records.export", "all records", reason).await?;
    }
    let io = |e: std::io::Error| ServiceError::Internal(format!("cannot write the export: {e}"));
    writeln!(out, "{}", liaison_proto::format_header()).map_err(io)?;
    let mut after = 0i64;
    let mut written = 0u64;
    loop {
        let page = node.store.records_page(after, 5_000).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        for (_, record) in &page {
            out.write_all(record.body.as_bytes()).map_err(io)?;
            out.write_all(b"\n").map_err(io)?;
            written += 1;
        }
    }
    out.flush().map_err(io)?;
    let mut event = AuditEvent::new("records.export", "ok")
        .object("all records")
        .detail(format!("{written} records"));
    event.purpose = reason.purpose.clone();
    event.case_ref = reason.case_ref.clone();
    record_audit(node, caller, event).await?;
    Ok(written)
}

/// Deletes a record. A record others point at (a person holding a document, the subject of an alert) is not
/// deleted: the caller is told which records refer to it, so links never dangle.
pub async fn delete_record(
    node: &Node,
    caller: &Caller,
    record_type: &str,
    id: &str,
) -> Result<(), ServiceError> {
    let object = format!("{record_type}/{id}");
    require_role(
        node,
        caller,
        WRITE_ROLES,
        "record.delete",
        Some(object.clone()),
    )
    .await?;
    let record_type = RecordType::parse(record_type)
        .map_err(|e| ServiceError::bad_field("type", e.to_string()))?;
    let deleted = match node.store.delete_record(record_type, id).await {
        Ok(deleted) => deleted,
        Err(liaison_store::StoreError::Referenced { by }) => {
            let names: Vec<String> = by.iter().map(|(t, i)| format!("{t}/{i}")).collect();
            let detail = format!(
                "{object} is referred to by {}; change or delete those first",
                names.join(", ")
            );
            record_audit(
                node,
                caller,
                AuditEvent::new("record.delete", "refused")
                    .object(&object)
                    .detail(detail.clone()),
            )
            .await?;
            return Err(ServiceError::Conflict(detail));
        }
        Err(e) => return Err(e.into()),
    };
    if !deleted {
        return Err(ServiceError::NotFound(format!("no {object} on this node")));
    }
    record_audit(
        node,
        caller,
        AuditEvent::new("record.delete", "ok").object(&object),
    )
    .await?;
    if let Some(index) = &node.screening {
        index
            .refresh(node.store.as_ref(), &[(record_type, id.to_owned())])
            .await?;
    }
    Ok(())
}
