//! Federated search, step 1 (hit/no-hit): the requester fans a screening query out to every active
//! partner, each answering within its agreement's deadline; the owner screens the query against its own
//! records only, reveals what its agreement with that requester allows (`hit_only`, `category`, `summary`)
//! and hands out an opaque hit reference per hit, the only handle a disclosure request can use. Both sides
//! audit the search under one correlation id.

use std::time::{Duration, Instant};

use liaison_core::Purpose;
use liaison_federation::{
    Agreement, SearchRefusal, VerifyContext, open, open_payload, refused_search,
};
use liaison_proto::api::{ExplanationItem, HitRecord, PartnerStatus, ScreenHit, ScreenQuery};
use liaison_proto::federation::{
    Envelope, HitBand, KIND_SEARCH_RESPONSE, SearchRequest, SearchResponse, SearchStatus,
    parse_agreement_toml,
};
use liaison_store::{HitRefRow, PARTNER_ACTIVE, PartnerRow};
use serde_json::{Value, json};

use super::screening::parse_query;
use super::{AuditEvent, Caller, ServiceError, record_audit};
use crate::Node;
use crate::federation::{Federation, post_envelope};

/// How long a hit reference opens a disclosure request.
const HIT_REF_DAYS: i64 = 30;

/// The current agreement with a partner, compiled; `None` when there is none or it no longer compiles.
pub(crate) async fn agreement_with(
    node: &Node,
    partner: &str,
) -> Result<Option<Agreement>, ServiceError> {
    let Some(row) = node.store.current_agreement(partner).await? else {
        return Ok(None);
    };
    let compiled = parse_agreement_toml(&row.text)
        .ok()
        .and_then(|file| Agreement::from_file(&file, u32::try_from(row.version).ok()?).ok());
    if compiled.is_none() {
        tracing::error!(
            partner,
            version = row.version,
            "stored agreement does not compile"
        );
    }
    Ok(compiled)
}

/// A partner's hit as the requester's API shows it: the owner, maybe the category, the score and band,
/// and the reference to ask for disclosure with (`<partner>/<reference>`, so the requester knows whom to ask).
fn partner_hit(partner: &str, hit: &liaison_proto::federation::PartnerHit) -> ScreenHit {
    let mut explanation = vec![ExplanationItem {
        feature: "partner".into(),
        text: format!("{partner} holds a matching record; ask for disclosure to see it"),
        weight: 0.0,
    }];
    if let Some(summary) = &hit.summary {
        explanation.push(ExplanationItem {
            feature: "summary".into(),
            text: format!("partner's summary: {summary}"),
            weight: 0.0,
        });
    }
    ScreenHit {
        record: HitRecord {
            record_type: hit.record_type.clone().unwrap_or_else(|| "record".into()),
            id: None,
            owner: partner.to_owned(),
        },
        score: hit.score(),
        band: hit.band.as_str().into(),
        explanation,
        alerts: Vec::new(),
        hit_ref: Some(format!("{partner}/{}", hit.hit_ref)),
    }
}

/// Whether a stored record's distribution scope (`handling.distribution`: `national`, `partners` or a list
/// of node ids) lets `partner` see it. A record without handling, or with a scope that cannot be read, is
/// national (ADR 005): sharing must be a decision, never an accident.
pub fn distribution_allows(body: &str, partner: &str) -> bool {
    let Ok(record) = serde_json::from_str::<Value>(body) else {
        return false;
    };
    match record.pointer("/handling/distribution") {
        Some(Value::String(scope)) => scope == "partners",
        Some(Value::Array(nodes)) => nodes.iter().any(|n| n.as_str() == Some(partner)),
        _ => false,
    }
}

/// The audit action of a federated search; its detail lists each partner's status and latency.
pub const FEDERATED_SEARCH_ACTION: &str = "federated_search";

/// The partners' statuses and latencies a federated search's audit detail lists (as [`fan_out`] writes
/// it): `(partner, status, milliseconds)`.
pub fn partner_statuses_in(detail: &str) -> Vec<(String, String, u64)> {
    let Some((_, list)) = detail.split_once("; ") else {
        return Vec::new();
    };
    list.split(", ")
        .filter_map(|item| {
            let (head, ms) = item.strip_suffix(" ms)")?.rsplit_once(" (")?;
            let (node, status) = head.split_once(' ')?;
            Some((node.to_owned(), status.to_owned(), ms.parse().ok()?))
        })
        .collect()
}

/// Asks every active partner (whose agreement on this node covers the purpose) at once, each within its
/// deadline; a slow partner costs its own deadline, never the others' answers.
pub async fn fan_out(
    node: &Node,
    caller: &Caller,
    query: &ScreenQuery,
    purpose: Purpose,
    case_ref: Option<&str>,
    limit: u32,
) -> Result<(Vec<ScreenHit>, Vec<PartnerStatus>), ServiceError> {
    let Some(federation) = node.federation.clone() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let correlation_id = uuid::Uuid::now_v7().to_string();
    let mut asks = Vec::new();
    for partner in node.store.list_partners().await? {
        if partner.status != PARTNER_ACTIVE {
            continue;
        }
        let Some(agreement) = agreement_with(node, &partner.node_id).await? else {
            continue;
        };
        if !agreement.allows_purpose(purpose) {
            continue;
        }
        let deadline = agreement.response_deadline.min(Duration::from_secs(30));
        let request = SearchRequest {
            correlation_id: correlation_id.clone(),
            query: query.clone(),
            purpose: purpose.as_str().to_owned(),
            case_ref: case_ref.map(str::to_owned),
            limit: limit.min(liaison_proto::federation::MAX_SEARCH_LIMIT),
        };
        asks.push(ask(node, &federation, partner, request, deadline));
    }
    let answers = futures_util::future::join_all(asks).await;
    let mut hits = Vec::new();
    let mut statuses = Vec::new();
    for (partner, status, latency, partner_hits) in answers {
        statuses.push(PartnerStatus {
            node: partner.clone(),
            status: status.to_owned(),
            latency_ms: latency,
        });
        hits.extend(partner_hits.iter().map(|h| partner_hit(&partner, h)));
    }
    let mut event = AuditEvent::new(FEDERATED_SEARCH_ACTION, "ok").detail(format!(
        "correlation {correlation_id}; {}",
        statuses
            .iter()
            .map(|s| format!("{} {} ({} ms)", s.node, s.status, s.latency_ms))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    event.purpose = Some(purpose.as_str().to_owned());
    event.case_ref = case_ref.map(str::to_owned);
    event.recipients = statuses.iter().map(|s| s.node.clone()).collect();
    event.objects = hits
        .iter()
        .filter_map(|h| h.hit_ref.clone())
        .map(|r| format!("hit/{r}"))
        .collect();
    record_audit(node, caller, event).await?;
    Ok((hits, statuses))
}

/// One partner's answer: its status (`answered`, `refused`, `timeout`, `unreachable`), latency and hits.
async fn ask(
    node: &Node,
    federation: &Federation,
    partner: PartnerRow,
    request: SearchRequest,
    deadline: Duration,
) -> (
    String,
    &'static str,
    u64,
    Vec<liaison_proto::federation::PartnerHit>,
) {
    let started = Instant::now();
    let elapsed = |started: Instant| started.elapsed().as_millis() as u64;
    let outcome = async {
        let envelope = federation
            .seal(
                node.id.as_str(),
                &partner.node_id,
                node.now(),
                "H1",
                &request,
                None,
                request.case_ref.clone(),
            )
            .ok()?;
        let client = federation.client_for(&partner).ok()?;
        let answer = tokio::time::timeout(
            deadline,
            post_envelope(&client, &partner, &envelope, deadline),
        )
        .await;
        Some(match answer {
            Err(_) => ("timeout", Vec::new()),
            Ok(Err(e)) if e.is_timeout() => ("timeout", Vec::new()),
            Ok(Err(_)) => ("unreachable", Vec::new()),
            Ok(Ok((200, body))) => match read_response(node, &partner, &body, &request) {
                Some(response) if response.status == SearchStatus::Answered => {
                    ("answered", response.hits)
                }
                Some(_) => ("refused", Vec::new()),
                None => ("unreachable", Vec::new()),
            },
            Ok(Ok(_)) => ("refused", Vec::new()),
        })
    }
    .await;
    let (status, hits) = outcome.unwrap_or(("unreachable", Vec::new()));
    (partner.node_id, status, elapsed(started), hits)
}

/// Opens the partner's signed answer and checks it answers this search.
fn read_response(
    node: &Node,
    partner: &PartnerRow,
    body: &[u8],
    request: &SearchRequest,
) -> Option<SearchResponse> {
    let sender_key = |from: &str| (from == partner.node_id).then(|| partner.signing_key.clone());
    let not_seen = |_: &str| false;
    let context = VerifyContext::new(node.id.as_str(), node.now(), &sender_key, &not_seen);
    let envelope = open(body, &context).ok()?;
    if envelope.kind != KIND_SEARCH_RESPONSE {
        return None;
    }
    let response: SearchResponse = open_payload(&envelope).ok()?;
    (response.correlation_id == request.correlation_id).then_some(response)
}

/// A short description of a record for step 1 `summary` agreements: names, dates of birth, nationalities
/// and the categories of alerts on it; never identifiers or addresses.
fn summary_of(body: &str, alerts: &[String]) -> Option<Value> {
    let record: Value = serde_json::from_str(body).ok()?;
    let names: Vec<&str> = record["names"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["full"].as_str())
        .take(3)
        .collect();
    Some(json!({
        "names": names,
        "birth_dates": record.get("birth_dates").cloned().unwrap_or(Value::Null),
        "nationalities": record.get("nationalities").cloned().unwrap_or(Value::Null),
        "alerts": alerts,
    }))
}

/// Answers a partner's `search.request` (the owner's side of step 1).
pub async fn answer_search(
    node: &Node,
    federation: &Federation,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<Envelope, ServiceError> {
    let caller = Caller {
        actor: crate::Actor::Partner {
            node: partner.node_id.clone(),
        },
        request_id: None,
    };
    let now = node.now();
    let reply = |response: SearchResponse| {
        federation.seal(
            node.id.as_str(),
            &partner.node_id,
            now,
            &envelope.handling,
            &response,
            Some(envelope.id.clone()),
            envelope.case_ref.clone(),
        )
    };
    let request: SearchRequest = match open_payload(envelope) {
        Ok(request) => request,
        Err(rejection) => {
            return reply(SearchResponse {
                correlation_id: String::new(),
                status: SearchStatus::Refused,
                reason: Some(rejection.to_string()),
                hits: Vec::new(),
            });
        }
    };
    let refuse = |refusal: SearchRefusal| refused_search(&request.correlation_id, &refusal);
    let decision = match agreement_with(node, &partner.node_id).await? {
        None => Err(refuse(SearchRefusal::NoAgreement)),
        Some(agreement) => match agreement.admit_search(&request.purpose) {
            Err(refusal) => Err(refuse(refusal)),
            Ok(_)
                if !federation.take_rate(
                    &partner.node_id,
                    agreement.rate_limit_per_minute,
                    now,
                ) =>
            {
                Err(refuse(SearchRefusal::RateLimited))
            }
            Ok(purpose) => Ok((agreement, purpose)),
        },
    };
    let (agreement, purpose) = match decision {
        Ok(admitted) => admitted,
        Err(response) => {
            let mut event = AuditEvent::new("federated_search.answer", "refused").detail(format!(
                "correlation {}: {}",
                request.correlation_id,
                response.reason.as_deref().unwrap_or("refused")
            ));
            event.purpose = Some(request.purpose.clone());
            event.case_ref = request.case_ref.clone();
            event.recipients = vec![partner.node_id.clone()];
            record_audit(node, &caller, event).await?;
            return reply(response);
        }
    };
    let query = match parse_query(&request.query, "query") {
        Ok(query) => query,
        Err(error) => {
            return reply(SearchResponse {
                correlation_id: request.correlation_id.clone(),
                status: SearchStatus::Refused,
                reason: Some(error.to_string()),
                hits: Vec::new(),
            });
        }
    };
    let results = match &node.screening {
        Some(index) => index.screen_unaudited(&[query], request.limit.max(1) as usize)?,
        None => Vec::new(),
    };
    let mut hits = Vec::new();
    let mut refs = Vec::new();
    for hit in results.into_iter().flat_map(|r| r.hits) {
        // Only this node's own records are answered for: a record disclosed by another partner is not
        // this node's to share.
        let Some(stored) = node.store.get_record(hit.record_type, &hit.id).await? else {
            continue;
        };
        if stored.owner != node.id.as_str() {
            continue;
        }
        // The owner's distribution scope decides who may learn that the record exists at all: a national
        // record (the default for a record without handling, ADR 005) is never a partner's hit.
        if !distribution_allows(&stored.body, &partner.node_id) {
            continue;
        }
        let alerts: Vec<String> = super::screening::alerts_on(node, hit.record_type, &hit.id)
            .await?
            .into_iter()
            .map(|a| a.category)
            .collect();
        let reference = liaison_federation::hit_ref(
            federation.hit_secret(),
            &partner.node_id,
            hit.record_type,
            &hit.id,
            &request.correlation_id,
        );
        let band = match hit.band.as_str() {
            "strong" => HitBand::Strong,
            _ => HitBand::Possible,
        };
        if let Some(revealed) = agreement.reveal(
            reference.clone(),
            hit.record_type,
            hit.score,
            band,
            summary_of(&stored.body, &alerts),
        ) {
            refs.push(HitRefRow {
                hit_ref: reference,
                requester: partner.node_id.clone(),
                record_type: hit.record_type,
                record_id: hit.id.clone(),
                correlation_id: request.correlation_id.clone(),
                purpose: purpose.as_str().to_owned(),
                created_at: now,
                expires_at: now + chrono::TimeDelta::days(HIT_REF_DAYS),
            });
            hits.push(revealed);
        }
    }
    // A repeated search (the same correlation) hands out the same references; store each once.
    let mut fresh = Vec::new();
    for row in refs {
        if node.store.get_hit_ref(&row.hit_ref).await?.is_none() {
            fresh.push(row);
        }
    }
    node.store.put_hit_refs(&fresh).await?;
    let mut event = AuditEvent::new("federated_search.answer", "ok").detail(format!(
        "correlation {}: {} hits revealed as {}",
        request.correlation_id,
        hits.len(),
        agreement.step1.as_str()
    ));
    event.objects = fresh
        .iter()
        .map(|r| format!("{}/{}", r.record_type.as_str(), r.record_id))
        .collect();
    event.purpose = Some(request.purpose.clone());
    event.case_ref = request.case_ref.clone();
    event.recipients = vec![partner.node_id.clone()];
    record_audit(node, &caller, event).await?;
    reply(SearchResponse {
        correlation_id: request.correlation_id.clone(),
        status: SearchStatus::Answered,
        reason: None,
        hits,
    })
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn the_audit_detail_of_a_search_gives_back_each_partners_status() {
        let detail = "correlation 0193; node-xbb answered (4 ms), node-xcc timeout (2000 ms)";
        assert_eq!(
            partner_statuses_in(detail),
            vec![
                ("node-xbb".to_owned(), "answered".to_owned(), 4),
                ("node-xcc".to_owned(), "timeout".to_owned(), 2000),
            ]
        );
        assert!(partner_statuses_in("correlation 0193; ").is_empty());
    }

    #[test]
    fn a_records_distribution_decides_which_partners_see_it() {
        let with = |handling: &str| format!(r#"{{"type":"person","id":"p1"{handling}}}"#);
        assert!(distribution_allows(
            &with(r#","handling":{"code":"H0","distribution":"partners"}"#),
            "node-b"
        ));
        assert!(!distribution_allows(
            &with(r#","handling":{"code":"H0","distribution":"national"}"#),
            "node-b"
        ));
        assert!(distribution_allows(
            &with(r#","handling":{"code":"H1","distribution":["node-b"]}"#),
            "node-b"
        ));
        assert!(!distribution_allows(
            &with(r#","handling":{"code":"H1","distribution":["node-c"]}"#),
            "node-b"
        ));
        // Without handling a record is national (ADR 005); an unreadable body is shared with nobody.
        assert!(!distribution_allows(&with(""), "node-b"));
        assert!(!distribution_allows("not json", "node-b"));
        assert!(partner_statuses_in("garbage").is_empty());
    }
}
