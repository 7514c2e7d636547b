//! Bodies of the HTTP API (version 1). Field names are part of the interface contract.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// An error as RFC 9457 problem details (`application/problem+json`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request id, to find the matching log line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Per-item problems (for example, which record of a list was refused and why).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProblemItem {
    /// Where: for example `records[2].birth_dates[0]` or `purpose`.
    pub pointer: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub node: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Readiness {
    pub status: String,
    pub database: String,
}

/// Answer to `POST /api/v1/records`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecordsStored {
    pub inserted: u64,
    pub updated: u64,
    pub records: Vec<RecordKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ProblemItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct RecordKey {
    #[serde(rename = "type")]
    pub record_type: String,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The current code from the authenticator app, once TOTP is enrolled.
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    pub username: String,
    pub roles: Vec<String>,
    /// Send back in `X-CSRF-Token` on every state-changing request made with the session cookie.
    pub csrf_token: String,
    /// True until the user enrols a second factor; only enrolment is allowed until then.
    pub totp_enrolment_required: bool,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TotpEnrolment {
    /// Base32 secret, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://` URI, for a QR code.
    pub otpauth_uri: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TotpCode {
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewUser {
    pub username: String,
    pub roles: Vec<String>,
    /// When absent, a one-time password is generated and returned once.
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserCreated {
    pub username: String,
    pub roles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_time_password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserSummary {
    pub username: String,
    pub roles: Vec<String>,
    pub totp_enabled: bool,
    pub locked_until: Option<String>,
    pub disabled: bool,
}

/// `PATCH /api/v1/users/{username}`: what an administrator changes; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// The user's roles from now on (at least one).
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// Disabling ends the user's sessions and refuses their tokens; enabling allows them again.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Ends a lock-out after failed log-ins.
    #[serde(default)]
    pub unlock: bool,
    /// The user enrols a new second factor at the next log-in (a lost phone).
    #[serde(default)]
    pub reset_second_factor: bool,
    /// A new one-time password, returned once; the user chooses a password at the next log-in.
    #[serde(default)]
    pub reset_password: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserUpdated {
    pub username: String,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub totp_enabled: bool,
    pub locked_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_time_password: Option<String>,
}

/// An API token as an administrator sees it (never the token itself).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenSummary {
    pub id: String,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewToken {
    pub username: String,
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    pub id: String,
    pub username: String,
    /// Shown once; the node keeps only its SHA-256.
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryBody {
    pub seq: i64,
    pub at: String,
    pub node: String,
    pub actor: String,
    pub action: String,
    pub objects: Vec<String>,
    pub purpose: Option<String>,
    pub case_ref: Option<String>,
    pub recipients: Vec<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditVerifyBody {
    pub intact: bool,
    pub entries: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_seq: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_entry: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// `POST /api/v1/screen`: who to look for, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenRequest {
    pub query: ScreenQuery,
    /// Why: border_check, criminal_investigation, missing_person, counter_terrorism, legal_cooperation, exercise.
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub case_ref: Option<String>,
    /// `local` (this node) or `federated` (this node and partners).
    #[serde(default)]
    pub scope: Option<String>,
    /// At most this many hits (default 10, at most 100).
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ScreenQuery {
    /// Names in any script, in any order; MRZ style `FAMILY<<GIVEN` is understood.
    #[serde(default)]
    pub names: Vec<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub documents: Vec<String>,
}

/// `POST /api/v1/screen/batch`: many queries under one purpose.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenBatchRequest {
    pub queries: Vec<ScreenQuery>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub case_ref: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenBatchResponse {
    pub results: Vec<ScreenResponse>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenResponse {
    pub hits: Vec<ScreenHit>,
    /// One entry per partner asked (empty for a local search).
    pub partners: Vec<PartnerStatus>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScreenHit {
    pub record: HitRecord,
    /// In [0, 1].
    pub score: f64,
    /// `strong` (act) or `possible` (look closer). A person decides; the score never does.
    pub band: String,
    /// Each piece of evidence, in words, with its weight (positive for, negative against).
    pub explanation: Vec<ExplanationItem>,
    /// Alerts on the hit record (for example `wanted_for_arrest`), so the officer sees what the hit means.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<HitAlert>,
    /// For a partner's hit: the opaque reference to ask for disclosure with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_ref: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HitRecord {
    #[serde(rename = "type")]
    pub record_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub owner: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ExplanationItem {
    pub feature: String,
    pub text: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HitAlert {
    pub id: String,
    pub category: String,
    /// What the issuing authority asks the officer to do ("Arrest; notify issuing authority within 12 hours").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerStatus {
    pub node: String,
    /// `answered`, `timeout` or `unreachable`.
    pub status: String,
    pub latency_ms: u64,
}

/// `POST /api/v1/disclosure-requests`: step 2, asking a partner for the record behind a hit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureRequestBody {
    /// The `hit_ref` of a partner's hit in a federated search.
    pub hit_ref: String,
    #[serde(default)]
    pub purpose: Option<String>,
    /// The legal basis the request rests on (for example "Art. 3 Dir. 2023/977").
    pub legal_basis: String,
    #[serde(default)]
    pub case_ref: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureCreated {
    pub id: String,
    /// `pending` until the owner decides.
    pub state: String,
}

/// A disclosure request as either side sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DisclosureBody {
    pub id: String,
    /// `outgoing` (this node asked) or `incoming` (a partner asks this node).
    pub direction: String,
    pub partner: String,
    /// `pending`, `approved`, `refused` or `expired`.
    pub state: String,
    pub purpose: String,
    pub legal_basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    pub requested_by: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Once approved: the disclosed record in the interchange shape, with the owner's handling code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Value>,
}

/// `POST /api/v1/disclosure-requests/{id}/refuse`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct DisclosureDecisionBody {
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/messages`: a free-text message to a partner node (SIENA-style), in a case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageSendBody {
    /// The partner's node id.
    pub to: String,
    pub subject: String,
    /// Plain text, line breaks allowed, up to 100,000 characters.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub case_ref: Option<String>,
    /// The handling code the recipient must apply: `H0`, `H1`, `H2` or `H3`.
    pub handling: String,
    /// The id of the message this one answers, which places it in that conversation.
    #[serde(default)]
    pub thread: Option<String>,
    /// Files that go with the message, named by their SHA-256 (their content travels separately).
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
}

/// A file that goes with a message, referred to by digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageAttachment {
    /// The file name, without a path.
    pub name: String,
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// `type/subtype`, for example `application/pdf`.
    pub media_type: String,
    /// When sending: the content, base64, to carry it with the message (at most 512 KiB of content per
    /// message); without it the partner gets the name, size, type and digest only. Never filled when a
    /// message is read: see `included`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// When reading: whether the content travelled with the message and can be downloaded
    /// (`GET /api/v1/messages/{id}/attachments/{index}`).
    #[serde(default)]
    pub included: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageCreated {
    /// The id of the signed envelope that carries the message.
    pub id: String,
    /// `queued` until the partner acknowledges it.
    pub state: String,
}

/// A message sent to or received from a partner.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageBody {
    pub id: String,
    /// `outbox` (this node sent it) or `inbox` (a partner sent it).
    pub direction: String,
    pub from: String,
    pub to: String,
    /// When the sender sealed it (the signed timestamp).
    pub created: String,
    pub subject: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    pub handling: String,
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
    /// Outbox: `queued`, `delivered` (the partner's signed receipt matched) or `failed` (given up); inbox:
    /// `received`.
    pub state: String,
    /// Outbox: delivery attempts that failed so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    /// Outbox: why the last attempt failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
}
