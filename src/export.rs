//! Entity lists for researchers: one row per mention, as CSV or JSON Lines.
//!
//! Rows carry the document id and source, the surface text, the normalized
//! fields of the entity kind and its character offsets, so a spreadsheet or a
//! script can go back to the exact place in the document.
//!
//! Both formats share one schema per kind ([`columns`]): the CSV header is
//! the list of JSON Lines keys, in the same order; a value a mention lacks is
//! an empty CSV field and a JSON `null`.

use std::io::Write;

use serde::Serialize;

use crate::entity::{ALL_COLUMNS, Entity, KINDS, Kind};
use crate::index::StoredDoc;

/// Which mentions to export: one exported entity kind, or all of them
/// (with an `entity` column). The kinds and their names come from
/// [`KINDS`].
#[derive(Debug, Clone, Copy)]
pub struct ExportKind(Option<&'static Entity>);

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values (RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl ExportKind {
    /// Everything, with an `entity` column (`all`).
    pub const EVERYTHING: ExportKind = ExportKind(None);

    /// Every export kind, in the order they are listed to users, `all` last.
    pub fn iter() -> impl Iterator<Item = ExportKind> {
        KINDS
            .iter()
            .filter(|e| e.export.is_some())
            .map(|e| ExportKind(Some(e)))
            .chain([ExportKind::EVERYTHING])
    }

    /// Every export kind's name, in the order of [`ExportKind::iter`].
    pub fn names() -> Vec<&'static str> {
        ExportKind::iter().map(|k| k.as_str()).collect()
    }

    /// The export of one entity kind, `None` when the kind is not exported.
    pub fn of(kind: Kind) -> Option<ExportKind> {
        let e = Entity::of(kind);
        e.export.map(|_| ExportKind(Some(e)))
    }

    /// The kind's name (`provinces`, `doc-numbers`, ...).
    pub fn as_str(&self) -> &'static str {
        self.entity().and_then(|e| e.export).unwrap_or("all")
    }

    /// What the export holds, one line for help texts.
    pub fn help(&self) -> &'static str {
        self.entity()
            .map_or("Everything, with an `entity` column", |e| e.export_help)
    }

    /// The entity kind exported, `None` for [`ExportKind::EVERYTHING`].
    pub fn entity(&self) -> Option<&'static Entity> {
        self.0
    }
}

impl PartialEq for ExportKind {
    fn eq(&self, other: &Self) -> bool {
        self.0.map(|e| e.kind) == other.0.map(|e| e.kind)
    }
}

impl Eq for ExportKind {}

/// A name that is not an export kind or format.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown {what} `{name}` (expected one of: {expected})")]
pub struct UnknownName {
    what: &'static str,
    name: String,
    expected: String,
}

impl std::str::FromStr for ExportKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportKind::iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName {
                what: "export kind",
                name: s.to_string(),
                expected: ExportKind::names().join(", "),
            })
    }
}

impl ExportFormat {
    /// The format's name (`csv`, `jsonl`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [ExportFormat::Csv, ExportFormat::Jsonl]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName {
                what: "export format",
                name: s.to_string(),
                expected: "csv, jsonl".to_string(),
            })
    }
}

/// One exported mention. Fields a kind does not have stay empty.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// Document id.
    pub id: String,
    /// Document source.
    pub source: String,
    /// Entity kind (`province`, `official`, `order`, `doc_number`, `plan`, `date`).
    pub entity: &'static str,
    /// Surface text.
    pub text: String,
    /// Main normalized value (name, number or date value).
    pub value: String,
    /// Official's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Official's position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Order kind (`order`, `cabinet_resolution`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_type: Option<&'static str>,
    /// Order issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Order subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Order date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// True for a document's own order number.
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub is_self: Option<bool>,
    /// Plan edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Plan period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Start character offset.
    pub start: usize,
    /// End character offset.
    pub end: usize,
    /// Read from OCR text.
    pub ocr: bool,
    /// Values of columns only one kind has and no field above holds, by
    /// column name: a new kind's own columns need no field here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(&'static str, String)>,
}

/// The rows of one document for a kind, in text order.
pub fn rows(doc: &StoredDoc, kind: ExportKind) -> Vec<Row> {
    let tagged = doc.tagged();
    let want = kind.entity().map(|e| e.kind);
    let mut out = Vec::new();
    for e in KINDS.iter().filter(|e| e.export.is_some()) {
        if want.is_none_or(|k| k == e.kind) {
            out.extend((e.rows)(&tagged).into_iter().map(|mut r| {
                r.id = doc.id.clone();
                r.source = doc.source.clone();
                r
            }));
        }
    }
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// The columns of a kind: CSV header and JSON Lines keys alike.
pub fn columns(kind: ExportKind) -> &'static [&'static str] {
    kind.entity().map_or(ALL_COLUMNS, |e| e.columns)
}

/// The value of column `col` for a row: text, a number, a boolean, or
/// `null` when the mention has no such value.
pub(crate) fn cell(r: &Row, col: &str) -> serde_json::Value {
    use serde_json::Value;
    let text = |s: &str| Value::String(s.to_string());
    let opt = |o: &Option<String>| o.as_deref().map_or(Value::Null, text);
    match col {
        "id" => text(&r.id),
        "source" => text(&r.source),
        "entity" => text(r.entity),
        "text" => text(&r.text),
        // a cabinet resolution has no number
        "number" if r.entity == "order" && r.order_type != Some("order") => Value::Null,
        "value" | "name" | "number" => text(&r.value),
        "title" => opt(&r.title),
        "position" => opt(&r.position),
        "type" => r.order_type.map_or(Value::Null, text),
        "issuer" => opt(&r.issuer),
        "subject" => opt(&r.subject),
        "date" => opt(&r.date),
        "self" => r.is_self.map_or(Value::Null, Value::Bool),
        "edition" => opt(&r.edition),
        "period" => opt(&r.period),
        "start" => Value::from(r.start),
        "end" => Value::from(r.end),
        "ocr" => Value::Bool(r.ocr),
        _ => r
            .extra
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(Value::Null, |(_, v)| text(v)),
    }
}

/// A value as a CSV field (`null` is an empty field). Text comes from
/// documents, so it is neutralised against formula injection.
fn csv_field(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => neutralise(s),
        other => other.to_string(),
    }
}

/// Text a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, as OWASP's
/// CSV-injection guidance recommends; other text is unchanged. Only CSV
/// cells are touched: JSON Lines carry the text as written.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A row as one JSON object whose keys are the CSV columns, in order.
fn json_line(kind: ExportKind, r: &Row) -> String {
    let mut line = String::from("{");
    for (i, col) in columns(kind).iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::Value::from(*col).to_string());
        line.push(':');
        line.push_str(&cell(r, col).to_string());
    }
    line.push('}');
    line
}

/// A CSV error as an I/O error, keeping the kind of an I/O failure (so a
/// closed pipe stays recognisable).
fn csv_io(e: csv::Error) -> std::io::Error {
    match e.kind() {
        csv::ErrorKind::Io(io) => std::io::Error::new(io.kind(), io.to_string()),
        _ => std::io::Error::other(e),
    }
}

/// Writes rows of documents in the chosen format. Returns the row count.
pub struct Exporter<W: Write> {
    kind: ExportKind,
    format: ExportFormat,
    csv: Option<csv::Writer<W>>,
    out: Option<W>,
    rows: usize,
}

impl<W: Write> Exporter<W> {
    /// Starts an export; a CSV gets its header (and a UTF-8 BOM when asked,
    /// so spreadsheet programs read Thai correctly).
    pub fn new(
        mut out: W,
        kind: ExportKind,
        format: ExportFormat,
        bom: bool,
    ) -> std::io::Result<Self> {
        if format == ExportFormat::Csv {
            if bom {
                out.write_all("\u{FEFF}".as_bytes())?;
            }
            // Every field quoted, as OWASP recommends alongside the `'` prefix.
            let mut w = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(out);
            w.write_record(columns(kind)).map_err(csv_io)?;
            return Ok(Exporter {
                kind,
                format,
                csv: Some(w),
                out: None,
                rows: 0,
            });
        }
        Ok(Exporter {
            kind,
            format,
            csv: None,
            out: Some(out),
            rows: 0,
        })
    }

    /// Writes one document's rows.
    pub fn document(&mut self, doc: &StoredDoc) -> std::io::Result<()> {
        for r in rows(doc, self.kind) {
            match (self.format, &mut self.csv, &mut self.out) {
                (ExportFormat::Csv, Some(w), _) => {
                    let rec: Vec<String> = columns(self.kind)
                        .iter()
                        .map(|c| csv_field(&cell(&r, c)))
                        .collect();
                    w.write_record(&rec).map_err(csv_io)?;
                }
                (_, _, Some(out)) => {
                    out.write_all(json_line(self.kind, &r).as_bytes())?;
                    out.write_all(b"\n")?;
                }
                _ => {}
            }
            self.rows += 1;
        }
        Ok(())
    }

    /// Flushes and returns the number of rows written.
    pub fn finish(mut self) -> std::io::Result<usize> {
        if let Some(w) = &mut self.csv {
            w.flush()?;
        }
        if let Some(o) = &mut self.out {
            o.flush()?;
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_no_field_holds_is_read_from_the_rows_extra_values() {
        let r = Row {
            entity: "law",
            value: "พระราชบัญญัติข้อมูลข่าวสารของราชการ".into(),
            extra: vec![("year", "2540".into())],
            ..Row::default()
        };
        assert_eq!(cell(&r, "year"), serde_json::json!("2540"));
        assert_eq!(cell(&r, "name"), serde_json::json!(r.value));
        assert_eq!(cell(&r, "edition"), serde_json::Value::Null);
        assert_eq!(cell(&r, "article"), serde_json::Value::Null);
    }

    #[test]
    fn formula_leaders_are_neutralised() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        for cell in ["ภูเก็ต", "2/2566", "x=1", "", "'quoted"] {
            assert_eq!(neutralise(cell), cell);
        }
    }
}
