//! The reference pages of legal cooperation: turnaround per partner and kind (how long requests take, and
//! how many meet their deadlines), and the offence catalogues (this node's, loaded from a CSV file and
//! published to partners, and those partners published) with the ICCS and the 32 listed categories.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use liaison_core::Role;
use liaison_proto::legal::{CatalogueBody, IccsBody};
use serde::Deserialize;

use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::{ServiceError, legal, offences};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/legal/statistics", get(statistics))
        .route("/legal/catalogue", get(catalogue).post(load_catalogue))
}

fn kind_words(kind: &str) -> &'static str {
    liaison_core::legal::RequestKind::parse(kind)
        .map(|k| k.title())
        .unwrap_or("Other")
}

struct TurnaroundView {
    partner: String,
    kind: &'static str,
    side: &'static str,
    requests: u64,
    answered: u64,
    open: u64,
    median: String,
    p90: String,
    within: String,
    /// `on_time` when at least 90 % met their deadlines, `due_soon` from 50 %, `overdue` below.
    within_class: &'static str,
}

#[derive(Template)]
#[template(path = "legal_statistics.html")]
struct StatisticsPage {
    chrome: Chrome,
    rows: Vec<TurnaroundView>,
}

fn days(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |d| format!("{d:.1} days"))
}

async fn statistics(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let stats = legal::statistics(&state.node, &user.caller).await?;
    let rows = stats
        .rows
        .into_iter()
        .map(|r| TurnaroundView {
            kind: kind_words(&r.kind),
            side: if r.side == "executing" {
                "we execute"
            } else {
                "we request"
            },
            requests: r.requests,
            answered: r.answered,
            open: r.open,
            median: days(r.median_days),
            p90: days(r.p90_days),
            within: r
                .within_deadline
                .map_or_else(|| "-".to_owned(), |w| format!("{:.0} %", w * 100.0)),
            within_class: match r.within_deadline {
                None => "unknown",
                Some(w) if w >= 0.9 => "on_time",
                Some(w) if w >= 0.5 => "due_soon",
                Some(_) => "overdue",
            },
            partner: r.partner,
        })
        .collect();
    page(&StatisticsPage {
        chrome: user.chrome,
        rows,
    })
}

struct OffenceView {
    code: String,
    name: String,
    years: u32,
    iccs: String,
    division: String,
}

struct CatalogueView {
    node: String,
    own: bool,
    updated: String,
    offences: Vec<OffenceView>,
}

#[derive(Template)]
#[template(path = "legal_catalogue.html")]
struct CataloguePage {
    chrome: Chrome,
    catalogues: Vec<CatalogueView>,
    can_load: bool,
    iccs: IccsBody,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CatalogueQuery {
    loaded: Option<usize>,
}

fn division_name(iccs: &IccsBody, code: &str) -> String {
    let division = code.get(..4).unwrap_or(code);
    iccs.divisions
        .iter()
        .find(|d| d.code == division)
        .or_else(|| {
            iccs.sections
                .iter()
                .find(|s| s.code == code.get(..2).unwrap_or(code))
        })
        .map(|d| d.name.clone())
        .unwrap_or_default()
}

fn view(body: CatalogueBody, own: bool, iccs: &IccsBody) -> CatalogueView {
    CatalogueView {
        node: body.node,
        own,
        updated: body
            .updated_at
            .as_deref()
            .map(short_time)
            .unwrap_or_default(),
        offences: body
            .offences
            .into_iter()
            .map(|o| OffenceView {
                division: division_name(iccs, &o.iccs),
                code: o.code,
                name: o.name,
                years: o.max_penalty_years,
                iccs: o.iccs,
            })
            .collect(),
    }
}

async fn render_catalogue(
    state: &AppState,
    user: WebUser,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let iccs = offences::iccs();
    let mut catalogues = vec![view(
        offences::get(&state.node, &user.caller, None).await?,
        true,
        &iccs,
    )];
    // Partners' catalogues come with their partner list; the list holds no personal data.
    for partner in state
        .node
        .store
        .list_partners()
        .await
        .map_err(ServiceError::from)?
    {
        let body = offences::get(&state.node, &user.caller, Some(&partner.node_id)).await?;
        catalogues.push(view(body, false, &iccs));
    }
    let mut response = page(&CataloguePage {
        can_load: user.chrome.has_any(offences::CATALOGUE_ROLES),
        chrome: user.chrome,
        catalogues,
        iccs,
        notice,
        error,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

async fn catalogue(
    State(state): State<AppState>,
    user: WebUser,
    Query(query): Query<CatalogueQuery>,
) -> Result<Response, WebError> {
    let notice = query.loaded.map(|n| {
        format!("The catalogue now holds {n} offences and was sent to every active partner.")
    });
    render_catalogue(&state, user, notice, None, StatusCode::OK).await
}

/// Loads this node's catalogue from an uploaded CSV file (`code,name,max_penalty_years,iccs`).
async fn load_catalogue(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let mut csrf = String::new();
    let mut text = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| WebError::bad_request(format!("the upload could not be read: {e}")))?
    {
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.unwrap_or_default(),
            "file" => {
                let bytes = field.bytes().await.map_err(|e| {
                    WebError::bad_request(format!("the file could not be read: {e}"))
                })?;
                text = Some(String::from_utf8(bytes.to_vec()).map_err(|e| {
                    WebError::bad_request(format!(
                        "the file is not UTF-8 text (byte {})",
                        e.utf8_error().valid_up_to()
                    ))
                })?);
            }
            _ => {}
        }
    }
    user.check_csrf(&headers, Some(csrf.as_str()).filter(|c| !c.is_empty()))?;
    if !user.chrome.has_any(&[Role::Legal, Role::Admin]) {
        return Err(ServiceError::Forbidden(
            "loading the catalogue needs the legal or admin role".into(),
        )
        .into());
    }
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return render_catalogue(
            &state,
            user,
            None,
            Some("Choose a CSV file with the header code,name,max_penalty_years,iccs.".to_owned()),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let parsed = offences::parse_catalogue_csv(&text);
    let loaded = match parsed {
        Ok(list) => offences::load(&state.node, &user.caller, list).await,
        Err(e) => Err(e),
    };
    match loaded {
        Ok(body) => Ok(Redirect::to(&format!(
            "/legal/catalogue?loaded={}",
            encode_component(&body.offences.len().to_string())
        ))
        .into_response()),
        Err(ServiceError::BadRequest { detail, .. }) => {
            render_catalogue(&state, user, None, Some(detail), StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}
