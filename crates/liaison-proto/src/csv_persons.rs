//! Persons as CSV, for agencies whose systems export spreadsheets. Each row becomes the same interchange object
//! a JSON line would, so both formats share one set of rules.
//!
//! Columns (a header row is required; order is free; only `id` and `full_name` are required):
//! `id, full_name, given, family, patronymic, middle, aliases, birth_date, birth_place, sex, nationalities,
//! identifiers, handling, conditions, distribution, retain_until`. List cells separate items with `;`
//! (`aliases`, `birth_date`, `nationalities`, `distribution` when it lists node ids); `identifiers` holds
//! `kind:value` items such as `phone:+7 912 000 0000;email:a@b.example`.

use std::io::Read;

use serde_json::{Map, Value, json};

use crate::LineError;
use crate::fields::FieldIssue;

const COLUMNS: &[&str] = &[
    "id",
    "full_name",
    "given",
    "family",
    "patronymic",
    "middle",
    "aliases",
    "birth_date",
    "birth_place",
    "sex",
    "nationalities",
    "identifiers",
    "handling",
    "conditions",
    "distribution",
    "retain_until",
];

/// Reads persons from CSV, one interchange object per row.
#[derive(Debug)]
pub struct CsvPersonReader<R> {
    reader: csv::Reader<std::io::BufReader<R>>,
    header: Vec<String>,
    /// Columns the format does not know; reported once, on the header line.
    pub unknown_columns: Vec<String>,
    record: csv::StringRecord,
    /// Added to the reader's line numbers: it does not count the header's line end when lines end in
    /// `\r\n` (as files from Windows and spreadsheets do), so every later line would be one short.
    line_offset: u64,
}

impl<R: Read> CsvPersonReader<R> {
    pub fn new(input: R) -> Result<Self, LineError> {
        // The header decides the separator (`,`, `;` as spreadsheets in much of Europe save, or tab).
        let mut input = std::io::BufReader::new(input);
        let (delimiter, line_offset) = {
            let head = std::io::BufRead::fill_buf(&mut input)
                .map_err(|e| LineError::new(1, None, format!("cannot read the CSV header: {e}")))?;
            let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
            let crlf = head
                .iter()
                .position(|&b| b == b'\n')
                .is_some_and(|at| at > 0 && head[at - 1] == b'\r');
            (liaison_core::csv_delimiter(head), u64::from(crlf))
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .delimiter(delimiter)
            .from_reader(input);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| LineError::new(1, None, format!("cannot read the CSV header: {e}")))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        for required in ["id", "full_name"] {
            if !header.iter().any(|h| h == required) {
                return Err(LineError::new(
                    1,
                    Some(required.to_owned()),
                    format!("the header has no `{required}` column"),
                ));
            }
        }
        let unknown_columns = header
            .iter()
            .filter(|h| !COLUMNS.contains(&h.as_str()))
            .cloned()
            .collect();
        Ok(CsvPersonReader {
            reader,
            header,
            unknown_columns,
            record: csv::StringRecord::new(),
            line_offset,
        })
    }

    /// The next row as `(line, interchange object)`, or `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<(u64, Value), LineError>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line =
                    self.record.position().map(csv::Position::line).unwrap_or(0) + self.line_offset;
                Some(
                    self.row_to_value()
                        .map(|v| (line, v))
                        .map_err(|issue| LineError::from_issue(line, issue)),
                )
            }
            Err(e) => {
                let line = e.position().map(csv::Position::line).unwrap_or(0) + self.line_offset;
                // After a syntax error the csv reader resynchronises at the next record.
                Some(Err(LineError::new(
                    line,
                    None,
                    format!("not valid CSV: {e}"),
                )))
            }
        }
    }

    fn cell(&self, column: &str) -> Option<&str> {
        let index = self.header.iter().position(|h| h == column)?;
        self.record
            .get(index)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    fn list(&self, column: &str) -> Vec<Value> {
        self.cell(column)
            .map(|cell| {
                cell.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| json!(s))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn row_to_value(&self) -> Result<Value, FieldIssue> {
        let mut out = Map::new();
        out.insert("type".into(), json!("person"));
        if let Some(id) = self.cell("id") {
            out.insert("id".into(), json!(id));
        }
        let mut primary = Map::new();
        if let Some(full) = self.cell("full_name") {
            primary.insert("full".into(), json!(full));
        }
        for part in ["given", "family", "patronymic", "middle"] {
            if let Some(value) = self.cell(part) {
                primary.insert(part.into(), json!(value));
            }
        }
        primary.insert("kind".into(), json!("primary"));
        let mut names = vec![Value::Object(primary)];
        for alias in self.list("aliases") {
            names.push(json!({"full": alias, "kind": "alias"}));
        }
        out.insert("names".into(), Value::Array(names));
        for (column, field) in [
            ("birth_date", "birth_dates"),
            ("nationalities", "nationalities"),
        ] {
            let items = self.list(column);
            if !items.is_empty() {
                out.insert(field.into(), Value::Array(items));
            }
        }
        for column in ["birth_place", "sex", "retain_until"] {
            if let Some(value) = self.cell(column) {
                out.insert(column.into(), json!(value));
            }
        }
        if let Some(cell) = self.cell("identifiers") {
            let mut identifiers = Vec::new();
            for item in cell.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let (kind, value) = item.split_once(':').ok_or_else(|| {
                    FieldIssue::new("identifiers", format!("`{item}` is not `kind:value`"))
                })?;
                identifiers.push(json!({"kind": kind.trim(), "value": value.trim()}));
            }
            out.insert("identifiers".into(), Value::Array(identifiers));
        }
        if let Some(code) = self.cell("handling") {
            let mut handling = Map::new();
            handling.insert("code".into(), json!(code));
            if let Some(conditions) = self.cell("conditions") {
                handling.insert("conditions".into(), json!(conditions));
            }
            match self.cell("distribution") {
                None => {}
                Some(scope @ ("national" | "partners")) => {
                    handling.insert("distribution".into(), json!(scope));
                }
                Some(_) => {
                    handling.insert(
                        "distribution".into(),
                        Value::Array(self.list("distribution")),
                    );
                }
            }
            out.insert("handling".into(), Value::Object(handling));
        } else if self.cell("distribution").is_some() || self.cell("conditions").is_some() {
            return Err(FieldIssue::new(
                "handling",
                "`distribution` and `conditions` need a `handling` code",
            ));
        }
        Ok(Value::Object(out))
    }
}

/// The CSV column that holds an interchange field, for error messages about CSV input.
pub fn csv_column_for(field: &str) -> &str {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    match head {
        "names" if field.starts_with("names[0]") => match field.rsplit('.').next() {
            Some("full") => "full_name",
            Some(part) => part,
            None => "full_name",
        },
        "names" => "aliases",
        "birth_dates" => "birth_date",
        "handling" if field.contains("distribution") => "distribution",
        "handling" => "handling",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::decode_value;

    #[test]
    fn rows_become_interchange_persons() {
        let csv = "id,full_name,given,family,birth_date,sex,nationalities,aliases,identifiers,handling,distribution\n\
                   p1,Владимир Щербаков,Владимир,Щербаков,1975-03-14,M,RUS;UKR,Vladimir Shcherbakov,phone:+7 912 000 0000,H1,node-b;node-c\n";
        let mut reader = CsvPersonReader::new(csv.as_bytes()).unwrap();
        let (line, value) = reader.next_row().unwrap().unwrap();
        assert_eq!(line, 2);
        let decoded = decode_value(&value).unwrap();
        assert!(decoded.warnings.is_empty());
        let liaison_core::Record::Person(person) = decoded.record else {
            panic!("not a person")
        };
        assert_eq!(person.names.len(), 2);
        assert_eq!(person.nationalities.len(), 2);
        assert!(reader.next_row().is_none());
    }

    #[test]
    fn a_spreadsheet_export_with_semicolons_is_read_as_well() {
        let csv = "\u{feff}ID;Full_Name;Birth_Date;Nationalities\r\np1;\"Anna Maria Eriksson\";1984-03-14;\"SWE;FIN\"\r\n";
        let mut reader = CsvPersonReader::new(csv.as_bytes()).unwrap();
        let (line, person) = reader.next_row().unwrap().unwrap();
        assert_eq!(line, 2);
        assert_eq!(person["names"][0]["full"], "Anna Maria Eriksson");
        assert_eq!(person["nationalities"], serde_json::json!(["SWE", "FIN"]));
        assert!(reader.next_row().is_none());
        // An error on the third line of a Windows file names the third line.
        let ragged = "id;full_name\r\np1;Anna\r\np2;Bo;extra\r\n";
        let mut reader = CsvPersonReader::new(ragged.as_bytes()).unwrap();
        assert_eq!(reader.next_row().unwrap().unwrap().0, 2);
        assert_eq!(reader.next_row().unwrap().unwrap_err().line, 3);
    }

    #[test]
    fn header_must_name_id_and_full_name() {
        let err = CsvPersonReader::new("name,dob\nA,1970\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("`id`"), "{err}");
    }

    #[test]
    fn ragged_rows_are_errors_with_their_line() {
        let mut reader =
            CsvPersonReader::new("id,full_name\np1,A\np2,B,extra\np3,C\n".as_bytes()).unwrap();
        assert!(reader.next_row().unwrap().is_ok());
        let err = reader.next_row().unwrap().unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(reader.next_row().unwrap().is_ok());
    }

    #[test]
    fn columns_for_fields() {
        assert_eq!(csv_column_for("names[0].full"), "full_name");
        assert_eq!(csv_column_for("names[2].full"), "aliases");
        assert_eq!(csv_column_for("birth_dates[1]"), "birth_date");
        assert_eq!(csv_column_for("handling.distribution[0]"), "distribution");
        assert_eq!(csv_column_for("sex"), "sex");
    }
}
