//! Reading a JSON object field by field, so that every error names the field it is about and every field
//! nobody asked for is reported as unknown.

use serde_json::{Map, Value};

/// A problem with one field; `field` is a path such as `names[1].full`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: Option<String>,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldIssue {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn whole(message: impl Into<String>) -> Self {
        FieldIssue {
            field: None,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "field `{field}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Longest free-text value accepted in a record field; longer values are almost always a broken export.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// An object being read; remembers which keys were read.
pub(crate) struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
    read: Vec<&'static str>,
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl<'a> Fields<'a> {
    pub(crate) fn new(object: &'a Map<String, Value>, prefix: impl Into<String>) -> Self {
        Fields {
            object,
            prefix: prefix.into(),
            read: Vec::new(),
        }
    }

    pub(crate) fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.read.push(key);
        self.object.get(key).filter(|v| !v.is_null())
    }

    /// A string field that may be absent; present values are trimmed and must not be empty.
    pub(crate) fn text(&mut self, key: &'static str) -> Result<Option<&'a str>, FieldIssue> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => {
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    return Err(FieldIssue::new(self.path(key), "must not be empty"));
                }
                let len = trimmed.chars().count();
                if len > MAX_TEXT_CHARS {
                    return Err(FieldIssue::new(
                        self.path(key),
                        format!("is {len} characters long, the limit is {MAX_TEXT_CHARS}"),
                    ));
                }
                Ok(Some(trimmed))
            }
            Some(other) => Err(FieldIssue::new(
                self.path(key),
                format!("expected a string, found {}", type_name(other)),
            )),
        }
    }

    pub(crate) fn required_text(&mut self, key: &'static str) -> Result<&'a str, FieldIssue> {
        self.text(key)?
            .ok_or_else(|| FieldIssue::new(self.path(key), "is required"))
    }

    /// A field parsed by a domain constructor; the constructor's message is kept and the field named.
    pub(crate) fn parsed<T, E: std::fmt::Display>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<Option<T>, FieldIssue> {
        match self.text(key)? {
            None => Ok(None),
            Some(text) => parse(text)
                .map(Some)
                .map_err(|e| FieldIssue::new(self.path(key), e.to_string())),
        }
    }

    pub(crate) fn required<T, E: std::fmt::Display>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<T, FieldIssue> {
        self.parsed(key, parse)?
            .ok_or_else(|| FieldIssue::new(self.path(key), "is required"))
    }

    /// A list field; absent means empty.
    pub(crate) fn list(&mut self, key: &'static str) -> Result<&'a [Value], FieldIssue> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(FieldIssue::new(
                self.path(key),
                format!("expected a list, found {}", type_name(other)),
            )),
        }
    }

    /// A list of strings, each parsed by `parse`.
    pub(crate) fn text_list<T, E: std::fmt::Display>(
        &mut self,
        key: &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Result<Vec<T>, FieldIssue> {
        let items = self.list(key)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.path(key));
            match item {
                Value::String(text) => {
                    out.push(parse(text.trim()).map_err(|e| FieldIssue::new(&path, e.to_string()))?)
                }
                other => {
                    return Err(FieldIssue::new(
                        path,
                        format!("expected a string, found {}", type_name(other)),
                    ));
                }
            }
        }
        Ok(out)
    }

    pub(crate) fn raw(&mut self, key: &'static str) -> Option<&'a Value> {
        self.get(key)
    }

    /// Keys present in the object that were never read.
    pub(crate) fn unknown(&self) -> Vec<FieldIssue> {
        self.object
            .keys()
            .filter(|k| !self.read.contains(&k.as_str()))
            .map(|k| FieldIssue::new(self.path(k), "unknown field"))
            .collect()
    }
}

/// Views a value as an object, or says what it is instead.
pub(crate) fn as_object<'a>(
    value: &'a Value,
    path: &str,
) -> Result<&'a Map<String, Value>, FieldIssue> {
    match value {
        Value::Object(object) => Ok(object),
        other => {
            let message = format!("expected an object, found {}", type_name(other));
            Err(if path.is_empty() {
                FieldIssue::whole(message)
            } else {
                FieldIssue::new(path, message)
            })
        }
    }
}

pub(crate) fn describe(value: &Value) -> &'static str {
    type_name(value)
}
