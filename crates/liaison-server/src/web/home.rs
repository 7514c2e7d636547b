//! The home page: what needs the user now (disclosure requests to decide, legal requests due soon or
//! overdue, new messages, hits to review) and the node's key figures for today.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::Duration;
use liaison_core::Role;
use liaison_store::{AuditFilter, DIRECTION_INCOMING, DISCLOSURE_PENDING};

use super::{Chrome, WebError, WebUser, page, short_time};
use crate::http::AppState;
use crate::services::federated::{FEDERATED_SEARCH_ACTION, partner_statuses_in};
use crate::services::legal::{ListQuery, VIEW_ROLES};
use crate::services::{ServiceError, disclosures, legal};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

struct DueRequest {
    id: String,
    kind: String,
    partner: String,
    side: String,
    state: String,
    due_status: String,
    due_label: String,
    next_due: String,
}

struct PendingDisclosure {
    id: String,
    partner: String,
    purpose: String,
    legal_basis: String,
    created_at: String,
}

struct Figure {
    label: &'static str,
    value: String,
}

/// How one partner answered this node's federated searches today.
struct PartnerResponse {
    partner: String,
    searches: usize,
    answered: usize,
    median_ms: String,
    slowest_ms: u64,
    failed: usize,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    disclosures: Vec<PendingDisclosure>,
    can_decide: bool,
    legal: Vec<DueRequest>,
    sees_legal: bool,
    hits_to_review: u64,
    sees_hits: bool,
    new_messages: u64,
    figures: Vec<Figure>,
    responses: Vec<PartnerResponse>,
}

async fn home(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let node = &state.node;
    let caller = &user.caller;
    let can_decide = user.chrome.has_any(disclosures::DECIDING_ROLES);
    let disclosures = if can_decide {
        disclosures::list(node, caller, DIRECTION_INCOMING)
            .await?
            .into_iter()
            .filter(|d| d.state == DISCLOSURE_PENDING)
            .map(|d| PendingDisclosure {
                id: d.id,
                partner: d.partner,
                purpose: d.purpose.replace('_', " "),
                legal_basis: d.legal_basis,
                created_at: short_time(&d.created_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let sees_legal = user.chrome.has_any(VIEW_ROLES);
    let legal = if sees_legal {
        let query = ListQuery {
            due_within_hours: Some(72),
            ..ListQuery::default()
        };
        legal::list(node, caller, &query)
            .await?
            .requests
            .into_iter()
            .map(|r| DueRequest {
                id: r.id,
                kind: r.kind.replace('_', " "),
                partner: r.partner,
                side: r.side,
                state: r.state.replace('_', " "),
                due_label: r.due_status.replace('_', " "),
                due_status: r.due_status,
                next_due: r.next_due.as_deref().map(short_time).unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    // Figures come from the node's own books (counts, no personal data), so reading them is not audited.
    let now = node.now();
    let today = now.date_naive().and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let stats = node
        .store
        .hit_statistics(today)
        .await
        .map_err(ServiceError::from)?;
    let band = |key: &str| {
        stats
            .iter()
            .filter(|r| r.dimension == "band" && (key.is_empty() || r.key == key))
            .fold((0, 0, 0), |(h, c, f), r| {
                (h + r.hits, c + r.confirmed, f + r.false_hits)
            })
    };
    let (hits, confirmed, false_hits) = band("");
    let all_time = node
        .store
        .hit_statistics(None)
        .await
        .map_err(ServiceError::from)?;
    let hits_to_review = all_time
        .iter()
        .filter(|r| r.dimension == "band")
        .map(|r| r.hits.saturating_sub(r.confirmed + r.false_hits))
        .sum();
    let count = |action: &'static str| {
        let filter = AuditFilter {
            action: Some(action.to_owned()),
            from: today,
            limit: 10_000,
            ..AuditFilter::default()
        };
        async move {
            node.store
                .audit_search(&filter)
                .await
                .map(|entries| entries.len())
                .map_err(ServiceError::from)
        }
    };
    let searches = count("screen").await?;
    let manifests = count("screen_manifest").await?;
    let received = count("message.received").await?;
    let since_day = now - Duration::hours(24);
    let new_messages = node
        .store
        .audit_search(&AuditFilter {
            action: Some("message.received".to_owned()),
            from: Some(since_day),
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .map_err(ServiceError::from)?
        .len() as u64;
    let searches_today = node
        .store
        .audit_search(&AuditFilter {
            action: Some(FEDERATED_SEARCH_ACTION.to_owned()),
            from: today,
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .map_err(ServiceError::from)?;
    let responses = partner_responses(
        searches_today
            .iter()
            .filter_map(|entry| entry.detail.as_deref())
            .flat_map(partner_statuses_in),
    );
    let outbox = node
        .store
        .outbox_counts()
        .await
        .map_err(ServiceError::from)?;
    let partners = node
        .store
        .list_partners()
        .await
        .map_err(ServiceError::from)?;
    let figures = vec![
        Figure {
            label: "Person searches today",
            value: searches.to_string(),
        },
        Figure {
            label: "Manifests screened today",
            value: manifests.to_string(),
        },
        Figure {
            label: "Hits today",
            value: hits.to_string(),
        },
        Figure {
            label: "Confirmed hits today",
            value: confirmed.to_string(),
        },
        Figure {
            label: "False hits today",
            value: false_hits.to_string(),
        },
        Figure {
            label: "Partner messages received today",
            value: received.to_string(),
        },
        Figure {
            label: "Messages waiting for delivery",
            value: outbox.get("pending").copied().unwrap_or(0).to_string(),
        },
        Figure {
            label: "Active partners",
            value: partners
                .iter()
                .filter(|p| p.status == liaison_store::PARTNER_ACTIVE)
                .count()
                .to_string(),
        },
    ];
    page(&HomePage {
        disclosures,
        can_decide,
        legal,
        sees_legal,
        hits_to_review,
        sees_hits: user
            .chrome
            .has_any(&[Role::Officer, Role::Analyst, Role::Supervisor]),
        new_messages,
        figures,
        responses,
        chrome: user.chrome,
    })
}

/// Per partner: searches, answers, median and slowest latency of the answers, and searches it did not
/// answer (timeout, unreachable, refused).
fn partner_responses(
    statuses: impl Iterator<Item = (String, String, u64)>,
) -> Vec<PartnerResponse> {
    let mut by_partner: std::collections::BTreeMap<String, (Vec<u64>, usize)> = Default::default();
    for (partner, status, ms) in statuses {
        let entry = by_partner.entry(partner).or_default();
        if status == "answered" {
            entry.0.push(ms);
        } else {
            entry.1 += 1;
        }
    }
    by_partner
        .into_iter()
        .map(|(partner, (mut answered, failed))| {
            answered.sort_unstable();
            let median = answered.get(answered.len().saturating_sub(1) / 2).copied();
            PartnerResponse {
                partner,
                searches: answered.len() + failed,
                answered: answered.len(),
                median_ms: median
                    .map(|ms| ms.to_string())
                    .unwrap_or_else(|| "-".to_owned()),
                slowest_ms: answered.last().copied().unwrap_or(0),
                failed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_responses_summarise_each_partner() {
        let statuses = vec![
            ("node-b".to_owned(), "answered".to_owned(), 4),
            ("node-b".to_owned(), "answered".to_owned(), 10),
            ("node-b".to_owned(), "answered".to_owned(), 6),
            ("node-c".to_owned(), "timeout".to_owned(), 2000),
        ];
        let rows = partner_responses(statuses.into_iter());
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].searches,
                rows[0].answered,
                rows[0].median_ms.as_str(),
                rows[0].slowest_ms
            ),
            (3, 3, "6", 10)
        );
        assert_eq!(
            (rows[1].searches, rows[1].failed, rows[1].median_ms.as_str()),
            (1, 1, "-")
        );
    }
}
