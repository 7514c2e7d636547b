//! The administration pages: users and their roles, API tokens, and partners with their sharing agreements.
//! Every change goes through `services::users` and `services::partners`, so the role checks and audit
//! entries are those of the API and the command line. Secrets (a one-time password, a new token) are shown
//! once, in the answer to the form that made them, and never put in an address.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use liaison_core::Role;
use liaison_proto::federation::parse_agreement_toml;
use liaison_store::{AgreementRow, PARTNER_ACTIVE, UserRow};
use serde::Deserialize;

use super::{Chrome, WebError, WebUser, encode_component, page, short_time};
use crate::http::AppState;
use crate::services::{ServiceError, partners, users};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin_page))
        .route("/admin/users", post(create_user))
        .route("/admin/users/{username}", post(change_user))
        .route("/admin/tokens", post(create_token))
        .route("/admin/tokens/revoke", post(revoke_token))
        .route("/admin/partners", get(partners_page).post(add_partner))
}

fn time(at: chrono::DateTime<chrono::Utc>) -> String {
    short_time(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The status of a user, in words (never by colour alone).
struct UserView {
    username: String,
    roles: String,
    second_factor: bool,
    states: Vec<(&'static str, String)>,
    created_at: String,
    /// The roles as checkboxes, for the change form.
    role_boxes: Vec<RoleBox>,
    disabled: bool,
    locked: bool,
}

impl UserView {
    fn of(user: UserRow, now: chrono::DateTime<chrono::Utc>) -> UserView {
        let mut states = Vec::new();
        if user.disabled {
            states.push(("outcome-bad", "disabled".to_owned()));
        }
        if let Some(until) = user.locked_until.filter(|until| *until > now) {
            states.push(("outcome-bad", format!("locked until {}", time(until))));
        }
        if user.must_change_password {
            states.push(("pending", "one-time password".to_owned()));
        }
        if states.is_empty() {
            states.push(("outcome-ok", "active".to_owned()));
        }
        UserView {
            role_boxes: Role::ALL
                .iter()
                .map(|r| RoleBox {
                    name: r.as_str(),
                    checked: user.roles.contains(r),
                })
                .collect(),
            disabled: user.disabled,
            locked: user.locked_until.is_some_and(|until| until > now) || user.failed_logins > 0,
            username: user.username,
            roles: user
                .roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            second_factor: user.totp_enabled,
            states,
            created_at: time(user.created_at),
        }
    }
}

/// A role as a checkbox.
struct RoleBox {
    name: &'static str,
    checked: bool,
}

/// The new-user form as typed.
#[derive(Debug, Default)]
struct NewUserForm {
    username: String,
    roles: Vec<String>,
    error: Option<String>,
}

/// The token forms as typed.
#[derive(Debug, Default)]
struct TokenForms {
    username: String,
    label: String,
    revoke_id: String,
    error: Option<String>,
    revoke_error: Option<String>,
}

/// A token in the list (never the token itself).
struct TokenView {
    id: String,
    username: String,
    label: String,
    created_at: String,
    last_used_at: String,
    revoked_at: Option<String>,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    users: Vec<UserView>,
    token_list: Vec<TokenView>,
    usernames: Vec<String>,
    new_user: NewUserForm,
    role_boxes: Vec<RoleBox>,
    tokens: TokenForms,
    notice: Option<String>,
}

/// What a form made, shown once.
#[derive(Template)]
#[template(path = "admin_secret.html")]
struct SecretPage {
    chrome: Chrome,
    heading: String,
    facts: Vec<(&'static str, String)>,
    secret_label: &'static str,
    secret: String,
    advice: &'static str,
}

#[derive(Debug, Deserialize)]
struct AdminQuery {
    revoked: Option<String>,
    changed: Option<String>,
}

async fn admin_page(
    State(state): State<AppState>,
    user: WebUser,
    axum::extract::Query(query): axum::extract::Query<AdminQuery>,
) -> Result<Response, WebError> {
    let notice = query
        .revoked
        .map(|id| format!("Token {id} is revoked: a client using it is refused from now on."))
        .or_else(|| query.changed.map(|name| format!("User {name} is changed.")));
    render_admin(
        &state,
        user,
        NewUserForm::default(),
        TokenForms::default(),
        notice,
        StatusCode::OK,
    )
    .await
}

async fn render_admin(
    state: &AppState,
    user: WebUser,
    new_user: NewUserForm,
    tokens: TokenForms,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rows = users::list_users(&state.node, &user.caller).await?;
    let now = state.node.now();
    let usernames = rows.iter().map(|u| u.username.clone()).collect();
    let role_boxes = Role::ALL
        .iter()
        .map(|r| RoleBox {
            name: r.as_str(),
            checked: new_user.roles.iter().any(|n| n == r.as_str()),
        })
        .collect();
    let token_list = users::list_tokens(&state.node, &user.caller, None)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            username: t.username,
            label: t.label.unwrap_or_default(),
            created_at: time(t.created_at),
            last_used_at: t.last_used_at.map(time).unwrap_or_default(),
            revoked_at: t.revoked_at.map(time),
        })
        .collect();
    let mut response = page(&AdminPage {
        chrome: user.chrome,
        token_list,
        users: rows.into_iter().map(|u| UserView::of(u, now)).collect(),
        usernames,
        new_user,
        role_boxes,
        tokens,
        notice,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// A form's fields; repeated names (the role checkboxes) are kept, which a struct could not do.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn csrf_field(fields: &Fields) -> Option<&str> {
    Some(field(fields, "_csrf")).filter(|t| !t.is_empty())
}

/// Why a form's action did not happen: a problem the user can correct on the form (bad field, name taken,
/// no such user or token), or an error that gets the error page.
enum Refusal {
    Form(String),
    Page(WebError),
}

impl From<ServiceError> for Refusal {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::BadRequest { .. }
            | ServiceError::Conflict(_)
            | ServiceError::NotFound(_) => Refusal::Form(error.to_string()),
            other => Refusal::Page(other.into()),
        }
    }
}

async fn create_user(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, csrf_field(&fields))?;
    let username = field(&fields, "username").trim().to_owned();
    let password = field(&fields, "password");
    let names: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "roles")
        .map(|(_, v)| v.clone())
        .collect();
    let outcome = match names
        .iter()
        .map(|n| Role::parse(n).map_err(|e| format!("`roles`: {e}")))
        .collect::<Result<Vec<Role>, String>>()
    {
        Err(problem) => Err(Refusal::Form(problem)),
        Ok(roles) => users::create_user(
            &state.node,
            &user.caller,
            &username,
            &roles,
            (!password.is_empty()).then_some(password),
        )
        .await
        .map_err(Refusal::from),
    };
    let one_time = match outcome {
        Ok(one_time) => one_time,
        Err(Refusal::Page(error)) => return Err(error),
        Err(Refusal::Form(problem)) => {
            let form = NewUserForm {
                username,
                roles: names,
                error: Some(problem),
            };
            return render_admin(
                &state,
                user,
                form,
                TokenForms::default(),
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let mut facts = vec![("Username", username.clone()), ("Roles", names.join(", "))];
    let (secret_label, secret, advice) = match one_time {
        Some(secret) => (
            "One-time password",
            secret.expose().to_owned(),
            "Hand this password to the user by a separate, secure channel. It is shown only now: the \
             node keeps only its hash. At the first log-in the user chooses a new password and enrols an \
             authenticator app.",
        ),
        None => {
            facts.push(("Password", "as you set it".to_owned()));
            (
                "",
                String::new(),
                "At the first log-in the user enrols an authenticator app.",
            )
        }
    };
    page(&SecretPage {
        chrome: user.chrome,
        heading: format!("User {username} created"),
        facts,
        secret_label,
        secret,
        advice,
    })
}

async fn create_token(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, csrf_field(&fields))?;
    let username = field(&fields, "username").trim().to_owned();
    let label = field(&fields, "label").trim().to_owned();
    let outcome = if username.is_empty() {
        Err(Refusal::Form(
            "`username`: choose the user the token acts as".to_owned(),
        ))
    } else {
        users::create_token(
            &state.node,
            &user.caller,
            &username,
            (!label.is_empty()).then_some(label.as_str()),
        )
        .await
        .map_err(Refusal::from)
    };
    let (id, token) = match outcome {
        Ok(made) => made,
        Err(Refusal::Page(error)) => return Err(error),
        Err(Refusal::Form(problem)) => {
            let tokens = TokenForms {
                username,
                label,
                error: Some(problem),
                ..TokenForms::default()
            };
            return render_admin(
                &state,
                user,
                NewUserForm::default(),
                tokens,
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    let mut facts = vec![("Acts as", username.clone()), ("Token id", id)];
    if !label.is_empty() {
        facts.push(("Label", label));
    }
    page(&SecretPage {
        chrome: user.chrome,
        heading: format!("API token for {username} created"),
        facts,
        secret_label: "Token",
        secret: token.expose().to_owned(),
        advice: "Copy the token into the client now (it sends `Authorization: Bearer <token>`). It is \
                 shown only now: the node keeps only its digest. Keep the token id to revoke it later.",
    })
}

async fn revoke_token(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, csrf_field(&fields))?;
    let id = field(&fields, "id").trim().to_owned();
    let outcome = if id.is_empty() {
        Err(Refusal::Form(
            "`id`: give the id of the token to revoke".to_owned(),
        ))
    } else {
        users::revoke_token(&state.node, &user.caller, &id)
            .await
            .map_err(Refusal::from)
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/admin?revoked={}#tokens",
            encode_component(&id)
        ))),
        Err(Refusal::Page(error)) => Err(error),
        Err(Refusal::Form(problem)) => {
            let tokens = TokenForms {
                revoke_id: id,
                revoke_error: Some(problem),
                ..TokenForms::default()
            };
            render_admin(
                &state,
                user,
                NewUserForm::default(),
                tokens,
                None,
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

/// Changes a user: the roles and state from the user's row form (`save`), or one of the buttons `unlock`,
/// `reset_second_factor` and `reset_password` (whose one-time password is shown once).
async fn change_user(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    axum::extract::Path(username): axum::extract::Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    user.check_csrf(&headers, csrf_field(&fields))?;
    let action = field(&fields, "action");
    let mut change = users::UserChange::default();
    match action {
        "save" => {
            let roles = fields
                .iter()
                .filter(|(k, _)| k == "roles")
                .map(|(_, v)| Role::parse(v))
                .collect::<Result<Vec<Role>, _>>()
                .map_err(|e| WebError::bad_request(format!("`roles`: {e}")))?;
            change.roles = Some(roles);
            change.disabled = Some(field(&fields, "disabled") == "on");
        }
        "unlock" => change.unlock = true,
        "reset_second_factor" => change.reset_second_factor = true,
        "reset_password" => change.reset_password = true,
        other => {
            return Err(WebError::bad_request(format!(
                "`action`: `{other}` is not one of save, unlock, reset_second_factor, reset_password"
            )));
        }
    }
    match users::update_user(&state.node, &user.caller, &username, &change).await {
        Ok((_, Some(secret))) => page(&SecretPage {
            chrome: user.chrome,
            heading: format!("New one-time password for {username}"),
            facts: vec![("Username", username.clone())],
            secret_label: "One-time password",
            secret: secret.expose().to_owned(),
            advice: "Hand this password to the user by a separate, secure channel. It is shown only now. \
                     The user's sessions have ended; at the next log-in the user chooses a new password.",
        }),
        Ok((_, None)) => Ok(see_other(&format!(
            "/admin?changed={}#user-{}",
            encode_component(&username),
            encode_component(&username)
        ))),
        Err(error) => match Refusal::from(error) {
            Refusal::Page(error) => Err(error),
            Refusal::Form(problem) => {
                render_admin(
                    &state,
                    user,
                    NewUserForm::default(),
                    TokenForms::default(),
                    Some(format!("{username}: {problem}")),
                    StatusCode::BAD_REQUEST,
                )
                .await
            }
        },
    }
}

fn see_other(to: &str) -> Response {
    use axum::response::IntoResponse;
    Redirect::to(to).into_response()
}

// Partners and agreements.

/// One version of an agreement as the page shows it.
struct AgreementView {
    version: i64,
    created_at: String,
    created_by: String,
    purposes: String,
    categories: String,
    step1: String,
    step2: String,
    rate_limit: String,
    deadline: String,
    text: String,
    /// When the stored text no longer parses (it did when it was added), why.
    problem: Option<String>,
}

impl AgreementView {
    fn of(row: AgreementRow) -> AgreementView {
        let mut view = AgreementView {
            version: row.version,
            created_at: time(row.created_at),
            created_by: row.created_by,
            purposes: String::new(),
            categories: String::new(),
            step1: String::new(),
            step2: String::new(),
            rate_limit: String::new(),
            deadline: String::new(),
            text: String::new(),
            problem: None,
        };
        match parse_agreement_toml(&row.text) {
            Ok(file) => {
                view.purposes = file
                    .purposes
                    .iter()
                    .map(|p| p.replace('_', " "))
                    .collect::<Vec<_>>()
                    .join(", ");
                view.categories = file.categories.join(", ");
                view.step1 = file.step1.replace('_', " ");
                view.step2 = file.step2_approval;
                view.rate_limit = format!("{} per minute", file.rate_limit_per_minute);
                view.deadline = format!("{} ms", file.response_deadline_ms);
            }
            Err(e) => view.problem = Some(e.to_string()),
        }
        view.text = row.text;
        view
    }
}

struct PartnerView {
    node_id: String,
    anchor: String,
    name: String,
    country: String,
    endpoint: String,
    fingerprint: String,
    status: String,
    status_class: &'static str,
    added_at: String,
    updated_at: String,
    current: Option<AgreementView>,
    history: Vec<AgreementView>,
}

/// The add-partner form as typed.
#[derive(Debug, Default)]
struct PartnerForm {
    card: String,
    agreement: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_partners.html")]
struct PartnersPage {
    chrome: Chrome,
    partners: Vec<PartnerView>,
    can_add: bool,
    form: PartnerForm,
    notice: Option<String>,
    agreement_example: &'static str,
}

const AGREEMENT_EXAMPLE: &str = "partner = \"node-b\"\npurposes = [\"border_check\", \"criminal_investigation\"]\n\
categories = [\"person\", \"document\", \"vehicle\", \"alert\"]\nstep1 = \"category\"\n\
step2_approval = \"manual\"\nrate_limit_per_minute = 600\nresponse_deadline_ms = 2000";

#[derive(Debug, Deserialize)]
struct PartnersQuery {
    added: Option<String>,
}

async fn partners_page(
    State(state): State<AppState>,
    user: WebUser,
    axum::extract::Query(query): axum::extract::Query<PartnersQuery>,
) -> Result<Response, WebError> {
    let notice = query.added.map(|id| {
        format!(
            "Partner {id} is pinned with its agreement; it takes effect at the next connection."
        )
    });
    render_partners(&state, user, PartnerForm::default(), notice, StatusCode::OK).await
}

async fn render_partners(
    state: &AppState,
    user: WebUser,
    form: PartnerForm,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let listed = partners::list_partners(&state.node, &user.caller).await?;
    let mut views = Vec::with_capacity(listed.len());
    for (partner, _) in listed {
        // Agreements are the node's configuration, not personal data, and `list_partners` has checked the
        // role; the version history has no service of its own yet.
        let mut history: Vec<AgreementView> = state
            .node
            .store
            .list_agreements(&partner.node_id)
            .await
            .map_err(ServiceError::from)?
            .into_iter()
            .map(AgreementView::of)
            .collect();
        history.sort_by_key(|a| std::cmp::Reverse(a.version));
        let current = if history.is_empty() {
            None
        } else {
            Some(history.remove(0))
        };
        views.push(PartnerView {
            anchor: format!("partner-{}", partner.node_id),
            node_id: partner.node_id,
            name: partner.name,
            country: partner.country,
            endpoint: partner.endpoint,
            fingerprint: partner.tls_fingerprint,
            status_class: if partner.status == PARTNER_ACTIVE {
                "outcome-ok"
            } else {
                "outcome-bad"
            },
            status: partner.status,
            added_at: time(partner.added_at),
            updated_at: time(partner.updated_at),
            current,
            history,
        });
    }
    let mut response = page(&PartnersPage {
        can_add: user.chrome.has_any(&[Role::Admin]),
        chrome: user.chrome,
        partners: views,
        form,
        notice,
        agreement_example: AGREEMENT_EXAMPLE,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Debug, Deserialize)]
struct AddPartnerForm {
    #[serde(default)]
    _csrf: String,
    #[serde(default)]
    card: String,
    #[serde(default)]
    agreement: String,
}

async fn add_partner(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Form(form): Form<AddPartnerForm>,
) -> Result<Response, WebError> {
    user.check_csrf(
        &headers,
        Some(form._csrf.as_str()).filter(|t| !t.is_empty()),
    )?;
    let outcome = if form.card.trim().is_empty() {
        Err(Refusal::Form(
            "`card`: paste the partner's node card (JSON)".to_owned(),
        ))
    } else if form.agreement.trim().is_empty() {
        Err(Refusal::Form(
            "`agreement`: paste the sharing agreement (TOML)".to_owned(),
        ))
    } else {
        partners::add_partner(
            &state.node,
            &user.caller,
            form.card.trim().as_bytes(),
            &form.agreement,
        )
        .await
        .map_err(Refusal::from)
    };
    match outcome {
        Ok((row, _version)) => Ok(see_other(&format!(
            "/admin/partners?added={}#partner-{}",
            encode_component(&row.node_id),
            encode_component(&row.node_id)
        ))),
        Err(Refusal::Page(error)) => Err(error),
        Err(Refusal::Form(problem)) => {
            let kept = PartnerForm {
                card: form.card,
                agreement: form.agreement,
                error: Some(problem),
            };
            render_partners(&state, user, kept, None, StatusCode::BAD_REQUEST).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_agreement_parses() {
        let file = parse_agreement_toml(AGREEMENT_EXAMPLE).unwrap();
        assert_eq!(file.partner, "node-b");
    }

    #[test]
    fn an_agreement_is_shown_in_words() {
        let view = AgreementView::of(AgreementRow {
            partner: "node-b".into(),
            version: 2,
            text: AGREEMENT_EXAMPLE.into(),
            created_by: "ada".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        });
        assert_eq!(view.purposes, "border check, criminal investigation");
        assert_eq!(view.step1, "category");
        assert_eq!(view.rate_limit, "600 per minute");
        assert!(view.problem.is_none());
        let broken = AgreementView::of(AgreementRow {
            text: "partner = ".into(),
            ..AgreementRow {
                partner: "node-b".into(),
                version: 1,
                text: String::new(),
                created_by: "ada".into(),
                created_at: chrono::DateTime::UNIX_EPOCH,
            }
        });
        assert!(broken.problem.is_some());
    }
}
