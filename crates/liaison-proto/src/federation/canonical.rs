//! The canonical JSON form that federation signatures cover: RFC 8785 (JCS) — object keys sorted by UTF-16
//! code units, no insignificant whitespace, strings escaped minimally, numbers as ECMAScript prints them.
//!
//! Liaison's own messages carry integers only (see `check_numbers`), so in practice every number is written
//! as plain decimal digits. Floating-point numbers are still written the JCS way so that the function is
//! total, but `decode` refuses them: a partner in another language then never has to reproduce ECMAScript's
//! float printing to check a signature.

use std::collections::HashSet;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Largest integer that every JSON implementation reads exactly (I-JSON, RFC 7493): 2^53 − 1.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The canonical bytes of `value`.
pub fn canonical_json(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    write_value(value, &mut out);
    out.into_bytes()
}

pub(crate) fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

fn write_object(map: &Map<String, Value>, out: &mut String) {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    // JCS orders keys by their UTF-16 code units, which differs from byte order only above U+FFFF.
    entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    out.push('{');
    for (i, (key, item)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key, out);
        out.push(':');
        write_value(item, out);
    }
    out.push('}');
}

/// A JSON string with only the escapes JCS requires: quote, backslash and control characters.
pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_number(n: &Number, out: &mut String) {
    // Integers are written exactly, also beyond 2^53 where JCS would round them through a double: two
    // different integers must never share a canonical form, or a signature would cover both.
    if let Some(i) = n.as_i64() {
        out.push_str(&i.to_string());
    } else if let Some(u) = n.as_u64() {
        out.push_str(&u.to_string());
    } else if let Some(f) = n.as_f64() {
        write_ecmascript_number(f, out);
    }
}

/// ECMAScript's Number::toString for a finite double (ECMA-262, 7.1.12.1), as JCS requires.
fn write_ecmascript_number(x: f64, out: &mut String) {
    if x == 0.0 || !x.is_finite() {
        // serde_json cannot hold NaN or infinities; -0 prints as 0.
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    // Rust's `{:e}` prints the shortest digits that read back to the same double, which is what
    // ECMAScript's algorithm picks too; only the layout differs.
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exponent + 1;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
}

/// Finds the first number in `value` that is not an integer in ±(2^53 − 1); returns its path below `at`.
pub fn check_numbers(value: &Value, at: &str) -> Result<(), String> {
    match value {
        Value::Number(n) => {
            let ok = n
                .as_i64()
                .is_some_and(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER)
                || n.as_u64().is_some_and(|u| u <= MAX_SAFE_INTEGER);
            if ok { Ok(()) } else { Err(at.to_owned()) }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_numbers(item, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().try_for_each(|(key, item)| {
            let path = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            check_numbers(item, &path)
        }),
        Value::Null | Value::Bool(_) | Value::String(_) => Ok(()),
    }
}

/// Reads `bytes` as JSON only to refuse an object with the same key twice (RFC 7493). A parser keeps one of
/// the two values, and which one differs between implementations: the signed meaning must not.
pub(crate) fn refuse_duplicate_keys(bytes: &[u8]) -> Result<(), serde_json::Error> {
    serde_json::from_slice::<NoDuplicateKeys>(bytes).map(|_| ())
}

struct NoDuplicateKeys;

impl<'de> Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NoDuplicateKeys)
    }
}

impl<'de> Visitor<'de> for NoDuplicateKeys {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(NoDuplicateKeys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<NoDuplicateKeys>()?;
            if !keys.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
        }
        Ok(NoDuplicateKeys)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// JSON values as federation carries them: integers, any strings (controls, astral characters) and
    /// nesting.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<String>().prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
                proptest::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The canonical form is JSON that reads back to the same value, and canonicalising it again
        /// changes nothing.
        #[test]
        fn canonical_form_round_trips(value in json_value()) {
            let bytes = canonical_json(&value);
            let back: Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(&back, &value);
            prop_assert_eq!(canonical_json(&back), bytes);
        }

        /// Key order in the input never shows in the canonical form.
        #[test]
        fn insertion_order_does_not_matter(entries in proptest::collection::vec((any::<String>(), any::<i64>()), 0..12)) {
            let forward: Map<String, Value> = entries.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect();
            let backward: Map<String, Value> = entries.iter().rev().map(|(k, v)| (k.clone(), Value::from(*v))).collect();
            // The same key twice keeps a different value depending on the order; compare only unique keys.
            prop_assume!(forward == backward);
            prop_assert_eq!(canonical_json(&Value::Object(forward)), canonical_json(&Value::Object(backward)));
        }

        /// Any double is written so that it reads back to the same double.
        #[test]
        fn floats_read_back_exactly(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            let text = String::from_utf8(canonical_json(&json!(x))).unwrap();
            let back: f64 = text.parse().unwrap();
            prop_assert!(back == x, "{} -> {}", x, text);
        }
    }

    fn canon(value: &Value) -> String {
        String::from_utf8(canonical_json(value)).unwrap()
    }

    #[test]
    fn sorts_keys_and_drops_whitespace() {
        let value: Value =
            serde_json::from_str(r#"{ "b" : [1, {"z":null,"a":true}], "a":"x", "A": false }"#)
                .unwrap();
        assert_eq!(
            canon(&value),
            r#"{"A":false,"a":"x","b":[1,{"a":true,"z":null}]}"#
        );
    }

    /// RFC 8785 section 3.2.3: keys sort by UTF-16 code units, so U+1F600 (a surrogate pair, 0xD83D...)
    /// comes before U+FB33 though its UTF-8 bytes are larger.
    #[test]
    fn sorts_keys_by_utf16_code_units() {
        let value =
            json!({"\u{fb33}": 1, "\u{1f600}": 2, "\r": 3, "1": 4, "\u{80}": 5, "\u{f6}": 6});
        assert_eq!(
            canon(&value),
            "{\"\\r\":3,\"1\":4,\"\u{80}\":5,\"\u{f6}\":6,\"\u{1f600}\":2,\"\u{fb33}\":1}"
        );
    }

    #[test]
    fn escapes_minimally() {
        let value = json!("a\"b\\c\u{8}\t\n\u{c}\r\u{1}\u{1f}\u{7f}é€\u{2028}/");
        assert_eq!(
            canon(&value),
            "\"a\\\"b\\\\c\\b\\t\\n\\f\\r\\u0001\\u001f\u{7f}é€\u{2028}/\""
        );
    }

    /// Values from RFC 8785 appendix B and ECMAScript's layout boundaries.
    #[test]
    fn numbers_print_as_ecmascript() {
        let cases: &[(f64, &str)] = &[
            (-0.0, "0"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (1e-6, "0.000001"),
            (333333333.3333333, "333333333.3333333"),
            (1e23, "1e+23"),
            (9007199254740992.0, "9007199254740992"),
            (295147905179352830000.0, "295147905179352830000"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (123.456, "123.456"),
            (4.35, "4.35"),
            (-2.5e-8, "-2.5e-8"),
        ];
        for &(x, expected) in cases {
            assert_eq!(canon(&json!(x)), expected, "{x:e}");
        }
    }

    #[test]
    fn integers_are_exact() {
        assert_eq!(canon(&json!(u64::MAX)), u64::MAX.to_string());
        assert_eq!(canon(&json!(i64::MIN)), i64::MIN.to_string());
        assert_eq!(canon(&json!(-17)), "-17");
    }

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        refuse_duplicate_keys(br#"{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}"#).unwrap();
        for text in [
            r#"{"a":1,"a":1}"#,
            r#"{"x":[{"k":1,"k":2}]}"#,
            r#"{"\u0061":1,"a":2}"#,
        ] {
            let error = refuse_duplicate_keys(text.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(error.contains("duplicate key"), "{text}: {error}");
        }
    }

    #[test]
    fn number_check_names_the_path() {
        assert_eq!(
            check_numbers(&json!({"a": [1, 2, {"b": 3}]}), "payload"),
            Ok(())
        );
        assert_eq!(
            check_numbers(&json!({"a": [1, 2, {"b": 0.5}]}), "payload"),
            Err("payload.a[2].b".to_owned())
        );
        assert_eq!(
            check_numbers(&json!({"big": MAX_SAFE_INTEGER + 1}), ""),
            Err("big".to_owned())
        );
        assert_eq!(
            check_numbers(&json!(-(MAX_SAFE_INTEGER as i64)), "x"),
            Ok(())
        );
    }
}
