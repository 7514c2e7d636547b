//! The OpenAPI 3 document of the API and the offline documentation page (Swagger UI served from the binary).

use axum::Router;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use super::AppState;
use super::{border, disclosures, graph, legal, messages, routes};

#[derive(OpenApi)]
#[openapi(
    info(title = "Liaison node API", description = "Records, screening, border checks (documents, manifests, risk rules), federation (disclosures, messages), legal cooperation (requests, deadlines, evidence, dual criminality), authentication, users and the audit log of one Liaison node. Errors are RFC 9457 problem details. Every record access states a purpose."),
    paths(
        routes::healthz, routes::readyz, routes::login, routes::logout, routes::me, routes::change_password,
        routes::totp_enrol, routes::totp_confirm, routes::post_records, routes::get_record, routes::delete_record, routes::screen, routes::screen_batch, routes::list_users,
        routes::create_user, routes::update_user, routes::list_tokens, routes::create_token, routes::revoke_token, routes::search_audit, routes::verify_audit,
        border::check_mrz, border::check_vehicle, border::post_manifest, border::list_manifests, border::get_manifest, border::review_hit,
        border::hit_statistics, border::list_rules, border::upload_rules, border::activate_rules,
        disclosures::create_request, disclosures::list_requests, disclosures::get_request, disclosures::approve, disclosures::refuse,
        messages::send_message, messages::list_messages, messages::get_message, messages::get_attachment,
        legal::create, legal::list, legal::statistics, legal::get_request, legal::pdf, legal::act,
        legal::add_evidence, legal::get_evidence, legal::evidence_content, legal::send_evidence,
        legal::dual_criminality, legal::get_catalogue, legal::put_catalogue, legal::iccs,
        graph::neighbourhood, graph::paths, graph::key_players, graph::communities, graph::export,
        graph::identities, graph::confirm, graph::split,
    ),
    components(schemas(liaison_proto::api::Problem, liaison_proto::api::ProblemItem)),
    modifiers(&BearerAuth),
    security(("bearer" = []), ("session" = [])),
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                super::extract::SESSION_COOKIE,
            ))),
        );
    }
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub(super) fn docs_router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", ApiDoc::openapi()))
}
