//! The sharing-agreement file (`liaison partner add CARD --agreement FILE`): what one partner may search, for
//! which purposes, what step 1 reveals and whether step 2 needs a person's approval.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use toml::Spanned;

use super::WireError;

/// The response deadlines an agreement may set, in milliseconds: long enough for a round trip, short
/// enough that a border check never waits on a partner for more than a minute.
pub const RESPONSE_DEADLINE_MS: RangeInclusive<u64> = 50..=60_000;
/// The rate limits an agreement may set, in requests per minute.
pub const RATE_LIMIT_PER_MINUTE: RangeInclusive<u64> = 1..=100_000;
/// What step 1 of a search may reveal.
pub const STEP1_VALUES: &[&str] = &["hit_only", "category", "summary"];
/// Who approves step 2.
pub const STEP2_VALUES: &[&str] = &["manual", "automatic"];

const KEYS: &[&str] = &[
    "partner",
    "purposes",
    "categories",
    "step1",
    "step2_approval",
    "rate_limit_per_minute",
    "response_deadline_ms",
];

/// An agreement file as written. `parse_agreement_toml` has checked every value; `liaison-federation`
/// turns it into its typed `Agreement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFile {
    /// The partner's node id.
    pub partner: String,
    /// `liaison_core::Purpose` spellings.
    pub purposes: Vec<String>,
    /// `liaison_core::RecordType` spellings.
    pub categories: Vec<String>,
    /// `hit_only`, `category` or `summary`.
    pub step1: String,
    /// `manual` or `automatic`.
    pub step2_approval: String,
    pub rate_limit_per_minute: u32,
    pub response_deadline_ms: u64,
}

/// Reads an agreement file. Every error names the key and its line; unknown and missing keys are refused.
pub fn parse_agreement_toml(text: &str) -> Result<AgreementFile, WireError> {
    let table: BTreeMap<String, Spanned<toml::Value>> = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        WireError::Toml {
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })?;
    if let Some((key, value)) = table.iter().find(|(k, _)| !KEYS.contains(&k.as_str())) {
        return Err(WireError::Key {
            key: key.clone(),
            line: Some(line_column(text, value.span().start).0),
            message: format!("unknown key, expected one of: {}", KEYS.join(", ")),
        });
    }
    let reader = KeyReader {
        text,
        table: &table,
    };
    let partner = reader.string("partner")?;
    liaison_core::NodeId::parse(&partner).map_err(|e| reader.error("partner", e.to_string()))?;
    let purposes = reader.vocabulary_list("purposes", liaison_core::Purpose::NAMES)?;
    let categories = reader.vocabulary_list("categories", liaison_core::RecordType::NAMES)?;
    let step1 = reader.one_of("step1", STEP1_VALUES)?;
    let step2_approval = reader.one_of("step2_approval", STEP2_VALUES)?;
    let rate_limit_per_minute = reader.integer("rate_limit_per_minute", &RATE_LIMIT_PER_MINUTE)?;
    let response_deadline_ms = reader.integer("response_deadline_ms", &RESPONSE_DEADLINE_MS)?;
    Ok(AgreementFile {
        partner,
        purposes,
        categories,
        step1,
        step2_approval,
        // Within RATE_LIMIT_PER_MINUTE, so it fits.
        rate_limit_per_minute: u32::try_from(rate_limit_per_minute).unwrap_or(u32::MAX),
        response_deadline_ms,
    })
}

/// The agreement as a file `parse_agreement_toml` reads back to the same value (for storing and showing it).
pub fn agreement_to_toml(file: &AgreementFile) -> String {
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
        format!("[{}]", quoted.join(", "))
    };
    format!(
        "partner = {}\npurposes = {}\ncategories = {}\nstep1 = {}\nstep2_approval = {}\nrate_limit_per_minute = {}\nresponse_deadline_ms = {}\n",
        toml_string(&file.partner),
        list(&file.purposes),
        list(&file.categories),
        toml_string(&file.step1),
        toml_string(&file.step2_approval),
        file.rate_limit_per_minute,
        file.response_deadline_ms,
    )
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct KeyReader<'a> {
    text: &'a str,
    table: &'a BTreeMap<String, Spanned<toml::Value>>,
}

impl KeyReader<'_> {
    fn error(&self, key: &str, message: impl Into<String>) -> WireError {
        WireError::Key {
            key: key.to_owned(),
            line: self
                .table
                .get(key)
                .map(|v| line_column(self.text, v.span().start).0),
            message: message.into(),
        }
    }

    fn get(&self, key: &str) -> Result<&toml::Value, WireError> {
        self.table
            .get(key)
            .map(Spanned::get_ref)
            .ok_or_else(|| self.error(key, "missing"))
    }

    fn string(&self, key: &str) -> Result<String, WireError> {
        match self.get(key)? {
            toml::Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
            toml::Value::String(_) => Err(self.error(key, "must not be empty")),
            other => Err(self.error(
                key,
                format!("expected a string, found {}", other.type_str()),
            )),
        }
    }

    fn one_of(&self, key: &str, allowed: &[&str]) -> Result<String, WireError> {
        let value = self.string(key)?;
        if allowed.contains(&value.as_str()) {
            Ok(value)
        } else {
            Err(self.error(
                key,
                format!("`{value}` is not one of: {}", allowed.join(", ")),
            ))
        }
    }

    fn vocabulary_list(&self, key: &str, allowed: &[&str]) -> Result<Vec<String>, WireError> {
        let toml::Value::Array(items) = self.get(key)? else {
            return Err(self.error(key, "expected a list of strings"));
        };
        if items.is_empty() {
            return Err(self.error(key, "must name at least one value"));
        }
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let toml::Value::String(value) = item else {
                return Err(self.error(
                    key,
                    format!("item {} is {}, expected a string", i + 1, item.type_str()),
                ));
            };
            if !allowed.contains(&value.as_str()) {
                return Err(self.error(
                    key,
                    format!("`{value}` is not one of: {}", allowed.join(", ")),
                ));
            }
            if out.contains(value) {
                return Err(self.error(key, format!("`{value}` is listed twice")));
            }
            out.push(value.clone());
        }
        Ok(out)
    }

    fn integer(&self, key: &str, range: &RangeInclusive<u64>) -> Result<u64, WireError> {
        let toml::Value::Integer(value) = self.get(key)? else {
            return Err(self.error(key, "expected an integer"));
        };
        match u64::try_from(*value) {
            Ok(v) if range.contains(&v) => Ok(v),
            _ => Err(self.error(
                key,
                format!(
                    "{value} is out of range, expected {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The example of the interface contract, comments included.
    pub(crate) const BRIEF_EXAMPLE: &str = r#"partner = "node-b"                      # the partner's node id
purposes = ["border_check", "criminal_investigation"]
categories = ["person", "document", "vehicle", "alert"]
step1 = "category"                      # hit_only | category | summary
step2_approval = "manual"               # manual | automatic
rate_limit_per_minute = 600
response_deadline_ms = 2000
"#;

    #[test]
    fn reads_the_brief_example_and_writes_it_back() {
        let file = parse_agreement_toml(BRIEF_EXAMPLE).unwrap();
        assert_eq!(file.partner, "node-b");
        assert_eq!(
            file.purposes,
            vec!["border_check", "criminal_investigation"]
        );
        assert_eq!(
            file.categories,
            vec!["person", "document", "vehicle", "alert"]
        );
        assert_eq!(file.step1, "category");
        assert_eq!(file.step2_approval, "manual");
        assert_eq!(file.rate_limit_per_minute, 600);
        assert_eq!(file.response_deadline_ms, 2000);
        assert_eq!(
            parse_agreement_toml(&agreement_to_toml(&file)).unwrap(),
            file
        );
    }

    #[test]
    fn errors_name_the_key_and_line() {
        let replace = |from: &str, to: &str| BRIEF_EXAMPLE.replace(from, to);
        let cases = [
            (
                replace("\"node-b\"", "\"Node B\""),
                "key `partner` (line 1): `Node B` is not a valid node id",
            ),
            (
                replace("\"criminal_investigation\"", "\"curiosity\""),
                "key `purposes` (line 2): `curiosity` is not one of",
            ),
            (
                replace("\"vehicle\"", "\"person\""),
                "key `categories` (line 3): `person` is listed twice",
            ),
            (
                replace(
                    "categories = [\"person\", \"document\", \"vehicle\", \"alert\"]",
                    "categories = []",
                ),
                "key `categories` (line 3): must name at least one value",
            ),
            (
                replace("\"category\"", "\"everything\""),
                "key `step1` (line 4): `everything` is not one of: hit_only, category, summary",
            ),
            (
                replace("\"manual\"", "\"sometimes\""),
                "key `step2_approval` (line 5)",
            ),
            (
                replace("600", "\"600\""),
                "key `rate_limit_per_minute` (line 6): expected an integer",
            ),
            (
                replace("600", "0"),
                "key `rate_limit_per_minute` (line 6): 0 is out of range, expected 1 to 100000",
            ),
            (
                replace("2000", "10"),
                "key `response_deadline_ms` (line 7): 10 is out of range, expected 50 to 60000",
            ),
            (
                replace("2000", "-5"),
                "key `response_deadline_ms` (line 7): -5 is out of range",
            ),
            (
                replace("step1", "step_one"),
                "key `step_one` (line 4): unknown key",
            ),
            (
                replace("response_deadline_ms = 2000\n", ""),
                "key `response_deadline_ms`: missing",
            ),
            (
                replace("purposes = [", "purposes = 3 ["),
                "not valid TOML at line 2",
            ),
            (
                replace("partner = \"node-b\"", "partner = 5"),
                "key `partner` (line 1): expected a string, found integer",
            ),
        ];
        for (text, expected) in cases {
            let error = parse_agreement_toml(&text).unwrap_err().to_string();
            assert!(error.contains(expected), "{error:?} lacks {expected:?}");
        }
    }

    #[test]
    fn duplicate_keys_are_refused_by_toml() {
        let text = format!("{BRIEF_EXAMPLE}step1 = \"summary\"\n");
        let error = parse_agreement_toml(&text).unwrap_err().to_string();
        assert!(error.contains("line 8"), "{error}");
    }

    proptest::proptest! {
        /// Arbitrary text, and the example with any one byte changed, give a value or an error, never a panic.
        #[test]
        fn parsing_never_panics(text in ".{0,400}", index in 0usize..400, byte in 0u8..128) {
            let _ = parse_agreement_toml(&text);
            let mut bytes = BRIEF_EXAMPLE.as_bytes().to_vec();
            let at = index % bytes.len();
            bytes[at] = byte;
            if let Ok(mutated) = String::from_utf8(bytes)
                && let Ok(file) = parse_agreement_toml(&mutated)
            {
                proptest::prop_assert_eq!(parse_agreement_toml(&agreement_to_toml(&file)).unwrap(), file);
            }
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\u0001""#);
    }
}
