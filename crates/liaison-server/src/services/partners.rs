//! Partners and sharing agreements: this node's card (what a partner pins), adding a partner from its card
//! with an agreement (versioned, every change audited), listing them. Pins take effect at the next
//! handshake.

use liaison_core::Role;
use liaison_federation::{Agreement, verify_card};
use liaison_proto::federation::{
    NodeCard, decode_card, encode_card, format_timestamp, parse_agreement_toml,
};
use liaison_store::{PARTNER_ACTIVE, PartnerRow};

use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

fn federation(node: &Node) -> Result<&crate::federation::Federation, ServiceError> {
    node.federation
        .as_deref()
        .ok_or_else(|| ServiceError::Conflict("this node has no federation identity".into()))
}

/// This node's card, signed by its signing key: id, country, federation endpoint, TLS certificate and its
/// fingerprint, signing key.
pub fn own_card(node: &Node, name: &str) -> Result<String, ServiceError> {
    let federation = federation(node)?;
    let Some(endpoint) = federation.endpoint.clone() else {
        return Err(ServiceError::Conflict(
            "this node has no federation endpoint: set node.federation_endpoint (liaison init \
             --federation-endpoint https://HOST:PORT)"
                .into(),
        ));
    };
    let card = NodeCard {
        v: 1,
        node_id: node.id.to_string(),
        name: name.to_owned(),
        country: node.country.to_string(),
        federation_endpoint: endpoint,
        tls_certificate: federation.identity.cert_pem(),
        tls_fingerprint: federation.identity.fingerprint(),
        signing_key: String::new(),
        created: format_timestamp(node.now()),
        signature: String::new(),
    };
    Ok(encode_card(&liaison_federation::sign_card(
        card,
        &federation.key,
    )))
}

/// Adds (or updates) a partner from its card and an agreement in the TOML form, after checking the card's
/// signature, that its fingerprint is its certificate's, and that the agreement names that partner. The
/// agreement gets the next version; both steps are audited.
pub async fn add_partner(
    node: &Node,
    caller: &Caller,
    card_text: &[u8],
    agreement_text: &str,
) -> Result<(PartnerRow, i64), ServiceError> {
    require_role(node, caller, &[Role::Admin], "partner.add", None).await?;
    let card =
        decode_card(card_text).map_err(|e| ServiceError::bad_field("card", e.to_string()))?;
    verify_card(&card).map_err(|e| ServiceError::bad_field("card", e.to_string()))?;
    let fingerprint = liaison_crypto::cert_fingerprint_pem(&card.tls_certificate)
        .map_err(|e| ServiceError::bad_field("card.tls_certificate", e.to_string()))?;
    let stated = liaison_crypto::parse_cert_fingerprint(&card.tls_fingerprint)
        .map_err(|e| ServiceError::bad_field("card.tls_fingerprint", e.to_string()))?;
    if fingerprint != stated {
        return Err(ServiceError::bad_field(
            "card.tls_fingerprint",
            "does not match the card's certificate",
        ));
    }
    if card.node_id == node.id.as_str() {
        return Err(ServiceError::bad_field(
            "card.node_id",
            "this is this node's own card",
        ));
    }
    if !card.federation_endpoint.starts_with("https://") {
        return Err(ServiceError::bad_field(
            "card.federation_endpoint",
            "must be an https:// address",
        ));
    }
    let file = parse_agreement_toml(agreement_text)
        .map_err(|e| ServiceError::bad_field("agreement", e.to_string()))?;
    if file.partner != card.node_id {
        return Err(ServiceError::bad_field(
            "agreement.partner",
            format!(
                "the agreement is with `{}`, the card is of `{}`",
                file.partner, card.node_id
            ),
        ));
    }
    Agreement::from_file(&file, 1)
        .map_err(|e| ServiceError::bad_field("agreement", e.to_string()))?;
    let now = node.now();
    let row = PartnerRow {
        node_id: card.node_id.clone(),
        name: card.name.clone(),
        country: card.country.clone(),
        endpoint: card.federation_endpoint.clone(),
        tls_fingerprint: fingerprint.clone(),
        tls_certificate: card.tls_certificate.clone(),
        signing_key: card.signing_key.clone(),
        card: String::from_utf8_lossy(card_text).into_owned(),
        status: PARTNER_ACTIVE.to_owned(),
        added_at: now,
        updated_at: now,
    };
    node.store.put_partner(&row).await?;
    let agreement = node
        .store
        .add_agreement(
            &row.node_id,
            agreement_text,
            &caller.actor.audit_name(),
            now,
        )
        .await?;
    if let Some(federation) = &node.federation {
        federation.reload_pins(node.store.as_ref()).await?;
    }
    record_audit(
        node,
        caller,
        AuditEvent::new("partner.add", "ok")
            .object(format!("partner/{}", row.node_id))
            .detail(format!(
                "{} ({}), {}, certificate {fingerprint}, signing key {}",
                row.name, row.country, row.endpoint, row.signing_key
            )),
    )
    .await?;
    record_audit(
        node,
        caller,
        AuditEvent::new("agreement.set", "ok")
            .object(format!("agreement/{}/{}", row.node_id, agreement.version))
            .detail(format!(
                "purposes {}; categories {}; step 1 {}; step 2 {}",
                file.purposes.join(", "),
                file.categories.join(", "),
                file.step1,
                file.step2_approval
            )),
    )
    .await?;
    Ok((row, agreement.version))
}

/// Every partner with its status and current agreement version.
pub async fn list_partners(
    node: &Node,
    caller: &Caller,
) -> Result<Vec<(PartnerRow, Option<i64>)>, ServiceError> {
    require_role(
        node,
        caller,
        &[Role::Admin, Role::Supervisor],
        "partner.list",
        None,
    )
    .await?;
    let mut out = Vec::new();
    for partner in node.store.list_partners().await? {
        let version = node
            .store
            .current_agreement(&partner.node_id)
            .await?
            .map(|a| a.version);
        out.push((partner, version));
    }
    Ok(out)
}
