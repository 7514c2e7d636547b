//! Sharing agreements: which purposes and record categories a partner may search, what step 1 of a search
//! reveals, and who approves step 2.

use std::time::Duration;

use liaison_core::{NodeId, Purpose, RecordType};
use liaison_proto::federation::{
    AgreementFile, HitBand, PartnerHit, RATE_LIMIT_PER_MINUTE, RESPONSE_DEADLINE_MS,
    SearchResponse, SearchStatus,
};
use serde_json::Value;

use crate::FederationError;

/// What the answer to a partner's search reveals about each hit (step 1 of the Prüm model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step1 {
    /// Only that there is a hit, with its reference, score and band.
    HitOnly,
    /// Also the record type.
    Category,
    /// Also a summary of the record.
    Summary,
}

/// Who decides a disclosure request (step 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step2 {
    /// A supervisor of the owner approves or refuses each request.
    Manual,
    /// The owner's node approves requests that the agreement covers without waiting for a person.
    Automatic,
}

impl Step1 {
    pub fn as_str(self) -> &'static str {
        match self {
            Step1::HitOnly => "hit_only",
            Step1::Category => "category",
            Step1::Summary => "summary",
        }
    }
}

impl Step2 {
    pub fn as_str(self) -> &'static str {
        match self {
            Step2::Manual => "manual",
            Step2::Automatic => "automatic",
        }
    }
}

/// The agreement with one partner, validated. It binds both directions: what this node answers the partner,
/// and (the partner holding the same terms) what this node may ask it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub partner: NodeId,
    /// Increases each time the agreement with this partner is replaced, so audit entries can name the terms
    /// in force.
    pub version: u32,
    pub purposes: Vec<Purpose>,
    pub categories: Vec<RecordType>,
    pub step1: Step1,
    pub step2: Step2,
    pub rate_limit_per_minute: u32,
    pub response_deadline: Duration,
}

/// Why a partner's search or disclosure request is refused before any record is looked at. The text goes
/// back to the partner as the refusal's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchRefusal {
    #[error("no sharing agreement with this node")]
    NoAgreement,
    #[error("`{0}` is not a purpose")]
    UnknownPurpose(String),
    #[error("the agreement does not cover the purpose `{0}`")]
    PurposeNotAgreed(Purpose),
    #[error("the agreement does not cover records of type `{0}`")]
    CategoryNotAgreed(RecordType),
    #[error("rate limit of the agreement exceeded")]
    RateLimited,
}

impl SearchRefusal {
    /// A stable snake_case name for logs and audit.
    pub fn code(&self) -> &'static str {
        match self {
            SearchRefusal::NoAgreement => "no_agreement",
            SearchRefusal::UnknownPurpose(_) => "unknown_purpose",
            SearchRefusal::PurposeNotAgreed(_) => "purpose_not_agreed",
            SearchRefusal::CategoryNotAgreed(_) => "category_not_agreed",
            SearchRefusal::RateLimited => "rate_limited",
        }
    }
}

/// The answer to a search that was refused.
pub fn refused_search(correlation_id: &str, refusal: &SearchRefusal) -> SearchResponse {
    SearchResponse {
        correlation_id: correlation_id.to_owned(),
        status: SearchStatus::Refused,
        reason: Some(refusal.to_string()),
        hits: Vec::new(),
    }
}

fn invalid(key: &'static str, message: impl Into<String>) -> FederationError {
    FederationError::Agreement {
        key,
        message: message.into(),
    }
}

impl Agreement {
    /// Validates an agreement file; `version` is the number of this set of terms with this partner.
    pub fn from_file(file: &AgreementFile, version: u32) -> Result<Self, FederationError> {
        let partner =
            NodeId::parse(&file.partner).map_err(|e| invalid("partner", e.to_string()))?;
        let purposes = parse_list("purposes", &file.purposes, Purpose::parse)?;
        let categories = parse_list("categories", &file.categories, RecordType::parse)?;
        let step1 = match file.step1.as_str() {
            "hit_only" => Step1::HitOnly,
            "category" => Step1::Category,
            "summary" => Step1::Summary,
            other => {
                return Err(invalid(
                    "step1",
                    format!("`{other}` is not one of: hit_only, category, summary"),
                ));
            }
        };
        let step2 = match file.step2_approval.as_str() {
            "manual" => Step2::Manual,
            "automatic" => Step2::Automatic,
            other => {
                return Err(invalid(
                    "step2_approval",
                    format!("`{other}` is not one of: manual, automatic"),
                ));
            }
        };
        if !RATE_LIMIT_PER_MINUTE.contains(&u64::from(file.rate_limit_per_minute)) {
            return Err(invalid(
                "rate_limit_per_minute",
                format!(
                    "{} is out of range, expected {} to {}",
                    file.rate_limit_per_minute,
                    RATE_LIMIT_PER_MINUTE.start(),
                    RATE_LIMIT_PER_MINUTE.end()
                ),
            ));
        }
        if !RESPONSE_DEADLINE_MS.contains(&file.response_deadline_ms) {
            return Err(invalid(
                "response_deadline_ms",
                format!(
                    "{} is out of range, expected {} to {}",
                    file.response_deadline_ms,
                    RESPONSE_DEADLINE_MS.start(),
                    RESPONSE_DEADLINE_MS.end()
                ),
            ));
        }
        Ok(Agreement {
            partner,
            version,
            purposes,
            categories,
            step1,
            step2,
            rate_limit_per_minute: file.rate_limit_per_minute,
            response_deadline: Duration::from_millis(file.response_deadline_ms),
        })
    }

    /// The agreement as a file (for storing it and showing it to an administrator).
    pub fn to_file(&self) -> AgreementFile {
        AgreementFile {
            partner: self.partner.to_string(),
            purposes: self
                .purposes
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            categories: self
                .categories
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            step1: self.step1.as_str().to_owned(),
            step2_approval: self.step2.as_str().to_owned(),
            rate_limit_per_minute: self.rate_limit_per_minute,
            response_deadline_ms: u64::try_from(self.response_deadline.as_millis())
                .unwrap_or(u64::MAX),
        }
    }

    /// Whether records of `category` may be searched or disclosed for `purpose`.
    pub fn allows(&self, purpose: Purpose, category: RecordType) -> bool {
        self.allows_purpose(purpose) && self.categories.contains(&category)
    }

    pub fn allows_purpose(&self, purpose: Purpose) -> bool {
        self.purposes.contains(&purpose)
    }

    /// Admits a partner's search stated with `purpose` (a wire spelling), or says why not.
    pub fn admit_search(&self, purpose: &str) -> Result<Purpose, SearchRefusal> {
        let purpose = Purpose::parse(purpose)
            .map_err(|_| SearchRefusal::UnknownPurpose(purpose.to_owned()))?;
        if self.allows_purpose(purpose) {
            Ok(purpose)
        } else {
            Err(SearchRefusal::PurposeNotAgreed(purpose))
        }
    }

    /// Admits a partner's request for a record of `category` with `purpose`, or says why not.
    pub fn admit_disclosure(
        &self,
        purpose: &str,
        category: RecordType,
    ) -> Result<Purpose, SearchRefusal> {
        let purpose = self.admit_search(purpose)?;
        if self.categories.contains(&category) {
            Ok(purpose)
        } else {
            Err(SearchRefusal::CategoryNotAgreed(category))
        }
    }

    /// The hit as the partner may see it: `None` when the agreement does not cover the record's category
    /// (the hit is left out of the answer), otherwise the reference, score and band, plus the category and
    /// summary as far as step 1 allows.
    pub fn reveal(
        &self,
        hit_ref: String,
        category: RecordType,
        score: f64,
        band: HitBand,
        summary: Option<Value>,
    ) -> Option<PartnerHit> {
        if !self.categories.contains(&category) {
            return None;
        }
        let record_type = match self.step1 {
            Step1::HitOnly => None,
            Step1::Category | Step1::Summary => Some(category.as_str().to_owned()),
        };
        let summary = match self.step1 {
            Step1::Summary => summary,
            Step1::HitOnly | Step1::Category => None,
        };
        Some(PartnerHit {
            hit_ref,
            record_type,
            score_milli: PartnerHit::score_to_milli(score),
            band,
            summary,
        })
    }
}

fn parse_list<T: PartialEq, E: std::fmt::Display>(
    key: &'static str,
    items: &[String],
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Vec<T>, FederationError> {
    if items.is_empty() {
        return Err(invalid(key, "must name at least one value"));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let value = parse(item).map_err(|e| invalid(key, e.to_string()))?;
        if out.contains(&value) {
            return Err(invalid(key, format!("`{item}` is listed twice")));
        }
        out.push(value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use liaison_proto::federation::parse_agreement_toml;
    use serde_json::json;

    const BRIEF_EXAMPLE: &str = r#"partner = "node-b"
purposes = ["border_check", "criminal_investigation"]
categories = ["person", "document", "vehicle", "alert"]
step1 = "category"
step2_approval = "manual"
rate_limit_per_minute = 600
response_deadline_ms = 2000
"#;

    fn agreement() -> Agreement {
        Agreement::from_file(&parse_agreement_toml(BRIEF_EXAMPLE).unwrap(), 1).unwrap()
    }

    #[test]
    fn brief_example_becomes_an_agreement() {
        let a = agreement();
        assert_eq!(a.partner.as_str(), "node-b");
        assert_eq!(
            a.purposes,
            vec![Purpose::BorderCheck, Purpose::CriminalInvestigation]
        );
        assert_eq!(a.step1, Step1::Category);
        assert_eq!(a.step2, Step2::Manual);
        assert_eq!(a.response_deadline, Duration::from_millis(2000));
        assert!(a.allows(Purpose::BorderCheck, RecordType::Person));
        assert!(!a.allows(Purpose::BorderCheck, RecordType::Case));
        assert!(!a.allows(Purpose::Exercise, RecordType::Person));
        assert_eq!(Agreement::from_file(&a.to_file(), 1).unwrap(), a);
    }

    #[test]
    fn hand_built_files_are_validated_naming_the_key() {
        let base = parse_agreement_toml(BRIEF_EXAMPLE).unwrap();
        type Change = fn(&mut AgreementFile);
        let cases: Vec<(Change, &str)> = vec![
            (|f| f.partner = "B!".to_owned(), "key `partner`"),
            (
                |f| f.purposes.clear(),
                "key `purposes`: must name at least one value",
            ),
            (
                |f| f.purposes.push("curiosity".to_owned()),
                "key `purposes`: `curiosity` is not one of",
            ),
            (
                |f| f.categories.push("person".to_owned()),
                "key `categories`: `person` is listed twice",
            ),
            (|f| f.step1 = "all".to_owned(), "key `step1`"),
            (
                |f| f.step2_approval = "never".to_owned(),
                "key `step2_approval`",
            ),
            (
                |f| f.rate_limit_per_minute = 0,
                "key `rate_limit_per_minute`",
            ),
            (
                |f| f.response_deadline_ms = 49,
                "key `response_deadline_ms`",
            ),
            (
                |f| f.response_deadline_ms = 60_001,
                "key `response_deadline_ms`",
            ),
        ];
        for (change, expected) in cases {
            let mut file = base.clone();
            change(&mut file);
            let error = Agreement::from_file(&file, 1).unwrap_err().to_string();
            assert!(error.contains(expected), "{error:?} lacks {expected:?}");
        }
        let mut edge = base.clone();
        edge.response_deadline_ms = 50;
        Agreement::from_file(&edge, 1).unwrap();
        edge.response_deadline_ms = 60_000;
        Agreement::from_file(&edge, 1).unwrap();
    }

    #[test]
    fn admission_names_the_reason() {
        let a = agreement();
        assert_eq!(a.admit_search("border_check"), Ok(Purpose::BorderCheck));
        assert_eq!(
            a.admit_search("exercise"),
            Err(SearchRefusal::PurposeNotAgreed(Purpose::Exercise))
        );
        assert_eq!(
            a.admit_search("gossip"),
            Err(SearchRefusal::UnknownPurpose("gossip".to_owned()))
        );
        assert_eq!(
            a.admit_disclosure("border_check", RecordType::Case),
            Err(SearchRefusal::CategoryNotAgreed(RecordType::Case))
        );
        let refused = refused_search("c1", &SearchRefusal::RateLimited);
        assert_eq!(refused.status, SearchStatus::Refused);
        assert_eq!(
            refused.reason.as_deref(),
            Some("rate limit of the agreement exceeded")
        );
        assert!(refused.hits.is_empty());
    }

    #[test]
    fn step1_decides_what_a_hit_reveals() {
        let summary = Some(json!({"names": ["Ivan Petrov"]}));
        let mut a = agreement();
        let reveal = |a: &Agreement, category| {
            a.reveal(
                "hit_x".to_owned(),
                category,
                0.8765,
                HitBand::Strong,
                summary.clone(),
            )
        };
        a.step1 = Step1::HitOnly;
        let hit = reveal(&a, RecordType::Person).unwrap();
        assert_eq!(
            (hit.record_type, hit.summary, hit.score_milli),
            (None, None, 877)
        );
        a.step1 = Step1::Category;
        let hit = reveal(&a, RecordType::Person).unwrap();
        assert_eq!(
            (hit.record_type.as_deref(), hit.summary),
            (Some("person"), None)
        );
        a.step1 = Step1::Summary;
        let hit = reveal(&a, RecordType::Person).unwrap();
        assert_eq!(hit.summary, summary);
        assert_eq!(reveal(&a, RecordType::Case), None);
    }
}
