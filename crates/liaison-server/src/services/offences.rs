//! Offence harmonisation: the ICCS taxonomy, this node's national offence catalogue (loaded from a CSV
//! file, published to partners), the catalogues partners published, and the dual-criminality assessment
//! against the executing node's catalogue.

use liaison_core::IccsCode;
use liaison_core::legal::{
    CATALOGUE_FIELDS, DualCriminality, ICCS_DIVISIONS, ICCS_SECTIONS, LISTED_CATEGORIES,
    OffenceCatalogue, assess,
};
use liaison_core::{NodeId, Role};
use liaison_proto::federation::{
    Envelope, LegalCatalogueMessage, decode_payload, format_timestamp,
};
use liaison_proto::legal::{
    CatalogueBody, CatalogueOffence, DualCriminalityBody, DualCriminalityQuery, IccsBody,
    IccsEntry, ListedCategoryBody,
};
use liaison_store::{PARTNER_ACTIVE, PartnerRow};

use super::disclosures::send;
use super::legal::{POLICE_ROLES, VIEW_ROLES};
use super::{AuditEvent, Caller, ServiceError, record_audit, require_role};
use crate::Node;

/// Roles that load this node's catalogue.
pub const CATALOGUE_ROLES: &[Role] = &[Role::Legal, Role::Admin];

const OWN_KEY: &str = "legal.offence_catalogue";

fn partner_key(node: &str) -> String {
    format!("legal.offence_catalogue.{node}")
}

/// The ICCS sections and divisions and the 32 listed categories.
pub fn iccs() -> IccsBody {
    IccsBody {
        sections: ICCS_SECTIONS
            .iter()
            .map(|(number, name)| IccsEntry {
                code: format!("{number:02}"),
                name: (*name).to_owned(),
            })
            .collect(),
        divisions: ICCS_DIVISIONS
            .iter()
            .map(|(code, name)| IccsEntry {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
            })
            .collect(),
        listed_categories: LISTED_CATEGORIES
            .iter()
            .map(|c| ListedCategoryBody {
                number: c.number,
                id: c.id.to_owned(),
                name: c.name.to_owned(),
                iccs: c.iccs.iter().map(|code| (*code).to_owned()).collect(),
            })
            .collect(),
    }
}

/// Reads a catalogue file: CSV with the header `code,name,max_penalty_years,iccs`. Errors name the line.
pub fn parse_catalogue_csv(text: &str) -> Result<Vec<CatalogueOffence>, ServiceError> {
    // Spreadsheets save CSV with a byte order mark, and in much of Europe with `;` between fields (the
    // comma is the decimal separator there); a tab-separated export is common too. The header decides.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = liaison_core::csv_delimiter(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ServiceError::bad_field("catalogue", format!("line 1: {e}")))?
        .clone();
    let names: Vec<String> = headers.iter().map(str::to_lowercase).collect();
    if names != CATALOGUE_FIELDS {
        return Err(ServiceError::bad_field(
            "catalogue",
            format!(
                "line 1: the header must be `{}`, found `{}`",
                CATALOGUE_FIELDS.join(","),
                names.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            ServiceError::bad_field("catalogue", format!("line {line}: {e}"))
        })?;
        rows.push(record.iter().map(str::to_owned).collect::<Vec<String>>());
    }
    // Rows count from 1 after the header, so row N is on line N + 1.
    let catalogue = OffenceCatalogue::from_rows(&rows).map_err(|e| {
        let text = e.to_string();
        let text = shift_row_to_line(&text);
        ServiceError::bad_field("catalogue", text)
    })?;
    Ok(catalogue
        .offences()
        .iter()
        .map(|o| CatalogueOffence {
            code: o.code.clone(),
            name: o.name.clone(),
            max_penalty_years: o.max_penalty_years,
            iccs: o.iccs.as_str().to_owned(),
        })
        .collect())
}

/// "row 3, field `iccs`: ..." → "line 4 (row 3), field `iccs`: ...", so the user finds it in the file.
fn shift_row_to_line(text: &str) -> String {
    let Some(start) = text.find("row ") else {
        return text.to_owned();
    };
    let digits: String = text[start + 4..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match digits.parse::<u64>() {
        Ok(row) => format!(
            "{}line {} (row {row}){}",
            &text[..start],
            row + 1,
            &text[start + 4 + digits.len()..]
        ),
        Err(_) => text.to_owned(),
    }
}

fn to_catalogue(offences: &[CatalogueOffence]) -> Result<OffenceCatalogue, ServiceError> {
    OffenceCatalogue::from_rows(offences.iter().map(|o| {
        vec![
            o.code.clone(),
            o.name.clone(),
            o.max_penalty_years.to_string(),
            o.iccs.clone(),
        ]
    }))
    .map_err(|e| ServiceError::Internal(format!("stored catalogue: {e}")))
}

async fn stored(node: &Node, key: &str) -> Result<Option<CatalogueBody>, ServiceError> {
    match node.store.get_setting(key).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| ServiceError::Internal(format!("stored catalogue: {e}"))),
    }
}

/// Replaces this node's catalogue and publishes it to every active partner.
pub async fn load(
    node: &Node,
    caller: &Caller,
    offences: Vec<CatalogueOffence>,
) -> Result<CatalogueBody, ServiceError> {
    require_role(node, caller, CATALOGUE_ROLES, "legal.catalogue_load", None).await?;
    to_catalogue(&offences).map_err(|e| ServiceError::bad_field("offences", e.to_string()))?;
    let body = CatalogueBody {
        node: node.id.as_str().to_owned(),
        offences,
        updated_at: Some(format_timestamp(node.now())),
    };
    let text = serde_json::to_string(&body).map_err(|e| ServiceError::Internal(e.to_string()))?;
    node.store.put_setting(OWN_KEY, &text).await?;
    let mut recipients = Vec::new();
    if node.federation.is_some() {
        let message = LegalCatalogueMessage {
            updated_at: body.updated_at.clone().unwrap_or_default(),
            offences: body.offences.clone(),
        };
        for partner in node.store.list_partners().await? {
            if partner.status == PARTNER_ACTIVE {
                send(node, &partner.node_id, &message, None, None).await?;
                recipients.push(partner.node_id);
            }
        }
    }
    let mut audit = AuditEvent::new("legal.catalogue_load", "ok")
        .detail(format!("{} offences", body.offences.len()));
    audit.recipients = recipients;
    record_audit(node, caller, audit).await?;
    Ok(body)
}

/// This node's catalogue (`node` absent or this node's id) or the one a partner published.
pub async fn get(
    node: &Node,
    caller: &Caller,
    of: Option<&str>,
) -> Result<CatalogueBody, ServiceError> {
    require_role(node, caller, VIEW_ROLES, "legal.catalogue_read", None).await?;
    let of = of.unwrap_or(node.id.as_str());
    NodeId::parse(of).map_err(|e| ServiceError::bad_field("node", e.to_string()))?;
    let key = if of == node.id.as_str() {
        OWN_KEY.to_owned()
    } else {
        partner_key(of)
    };
    Ok(stored(node, &key).await?.unwrap_or(CatalogueBody {
        node: of.to_owned(),
        offences: Vec::new(),
        updated_at: None,
    }))
}

/// A partner published its catalogue.
pub(crate) async fn receive(
    node: &Node,
    partner: &PartnerRow,
    envelope: &Envelope,
) -> Result<(), ServiceError> {
    let message: LegalCatalogueMessage =
        decode_payload(envelope).map_err(|e| ServiceError::bad_field("payload", e.to_string()))?;
    let caller = Caller {
        actor: crate::Actor::Partner {
            node: partner.node_id.clone(),
        },
        request_id: None,
    };
    let held = stored(node, &partner_key(&partner.node_id)).await?;
    // Published catalogues can arrive out of order: an older one never replaces a newer one.
    let older = held
        .as_ref()
        .and_then(|h| h.updated_at.as_deref())
        .is_some_and(|held_at| held_at >= message.updated_at.as_str());
    let outcome = match to_catalogue(&message.offences) {
        Ok(_) if older => (
            "ignored",
            format!(
                "catalogue of {} dated {} is older than the one held",
                partner.node_id, message.updated_at
            ),
        ),
        Ok(_) => {
            let body = CatalogueBody {
                node: partner.node_id.clone(),
                offences: message.offences,
                updated_at: Some(message.updated_at),
            };
            let text =
                serde_json::to_string(&body).map_err(|e| ServiceError::Internal(e.to_string()))?;
            node.store
                .put_setting(&partner_key(&partner.node_id), &text)
                .await?;
            (
                "ok",
                format!("{} offences from {}", body.offences.len(), partner.node_id),
            )
        }
        Err(e) => (
            "refused",
            format!("catalogue from {}: {e}", partner.node_id),
        ),
    };
    record_audit(
        node,
        &caller,
        AuditEvent::new("legal.catalogue_receive", outcome.0).detail(outcome.1),
    )
    .await
}

/// Whether the act needs and meets dual criminality in the executing node's law.
pub async fn dual_criminality(
    node: &Node,
    caller: &Caller,
    query: &DualCriminalityQuery,
) -> Result<DualCriminalityBody, ServiceError> {
    require_role(node, caller, POLICE_ROLES, "legal.dual_criminality", None).await?;
    let iccs =
        IccsCode::parse(&query.iccs).map_err(|e| ServiceError::bad_field("iccs", e.to_string()))?;
    NodeId::parse(&query.executing_node)
        .map_err(|e| ServiceError::bad_field("executing_node", e.to_string()))?;
    let key = if query.executing_node == node.id.as_str() {
        OWN_KEY.to_owned()
    } else {
        partner_key(&query.executing_node)
    };
    let catalogue = stored(node, &key).await?;
    let executing = match &catalogue {
        Some(body) => to_catalogue(&body.offences)?,
        None => OffenceCatalogue::default(),
    };
    let assessment = assess(
        &iccs,
        query.issuing_max_penalty_years,
        query.listed_category.as_deref(),
        &executing,
    );
    let (result, mut reasons) = match (&catalogue, assessment.result) {
        // Without the executing side's catalogue, only the listed-category rule can decide.
        (None, DualCriminality::NotRequired) => ("not_required", assessment.reasons),
        (None, _) => {
            let mut reasons = assessment
                .reasons
                .into_iter()
                .filter(|r| r.contains("listed category") || r.contains("not one of the 32"))
                .collect::<Vec<_>>();
            reasons.push(format!(
                "no offence catalogue of `{}` is known here: a lawyer must compare the offence with its law",
                query.executing_node
            ));
            ("review", reasons)
        }
        (Some(_), DualCriminality::NotRequired) => ("not_required", assessment.reasons),
        (Some(_), DualCriminality::Satisfied) => ("satisfied", assessment.reasons),
        (Some(_), DualCriminality::NotSatisfied) => ("not_satisfied", assessment.reasons),
        (Some(_), DualCriminality::Review) => ("review", assessment.reasons),
    };
    if reasons.is_empty() {
        reasons.push("no rule decided".to_owned());
    }
    let mut audit = AuditEvent::new("legal.dual_criminality", "ok").detail(format!(
        "ICCS {} against {}: {result}",
        iccs, query.executing_node
    ));
    audit.purpose = Some("legal_cooperation".to_owned());
    record_audit(node, caller, audit).await?;
    Ok(DualCriminalityBody {
        result: result.to_owned(),
        reasons,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_catalogue_file_is_read_and_its_errors_name_the_line() {
        let good = "code,name,max_penalty_years,iccs\nStGB 263,Fraud,5,0701\nStGB 232,Trafficking in human beings,10,0204\n";
        let offences = parse_catalogue_csv(good).unwrap();
        assert_eq!(offences.len(), 2);
        assert_eq!(offences[1].iccs, "0204");
        let bad = "code,name,max_penalty_years,iccs\nStGB 263,Fraud,5,0701\nStGB 232,Trafficking,ten,0204\n";
        let error = parse_catalogue_csv(bad).unwrap_err().to_string();
        assert!(error.contains("line 3 (row 2)"), "{error}");
        assert!(error.contains("max_penalty_years"), "{error}");
        // As a spreadsheet saves it: byte order mark, `;` between fields, a header in capitals.
        let excel = "\u{feff}Code;Name;Max_Penalty_Years;ICCS\r\n\"StGB 263\";\"Betrug; schwerer Fall\";10;0701\r\n";
        let offences = parse_catalogue_csv(excel).unwrap();
        assert_eq!(offences[0].name, "Betrug; schwerer Fall");
        assert_eq!(offences[0].max_penalty_years, 10);
        let header = parse_catalogue_csv("code,title,years,iccs\n")
            .unwrap_err()
            .to_string();
        assert!(header.contains("line 1"), "{header}");
    }
}
