//! The pipeline's plain data: what extraction produces, what tagging adds.
//!
//! Every stage is a function over these types. Offsets (`start`, `end`) are
//! character (Unicode scalar) offsets into the document `text`, end exclusive.
//!
//! Tags are stored in the index as JSON: every tag struct is
//! `#[serde(default)]`, so a field added later reads as its default from
//! documents indexed before it existed instead of failing (and blanking
//! every entity of the document).

use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a document's text was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Plain text file.
    Txt,
    /// One line of a JSON Lines file.
    Jsonl,
    /// HTML page (article extracted).
    Html,
    /// PDF with a usable text layer.
    Pdf,
    /// PDF read by OCR.
    PdfOcr,
    /// Image scan read by OCR.
    ImageOcr,
    /// Word document.
    Docx,
}

impl Format {
    /// The name used in JSON output (`txt`, `pdf-ocr`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::PdfOcr => "pdf-ocr",
            Format::ImageOcr => "image-ocr",
            Format::Docx => "docx",
        }
    }

    /// True when the text came from OCR (its digits deserve less trust).
    pub fn is_ocr(&self) -> bool {
        matches!(self, Format::PdfOcr | Format::ImageOcr)
    }
}

/// The result of extraction: repaired text plus what is known about its origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extracted {
    /// Text as written (Thai digits kept), furniture removed, Unicode repaired.
    pub text: String,
    /// Source format.
    pub format: Format,
    /// Character encoding of the source bytes (`UTF-8`, `windows-874`, ...).
    pub encoding: String,
    /// Title when the source names one (or the first line of the text).
    pub title: Option<String>,
    /// Non-fatal problems met while extracting (lossy decoding, OCR'd pages...).
    pub warnings: Vec<String>,
    /// Runs of digits read by OCR, with the recogniser's confidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_digits: Vec<OcrDigits>,
}

/// A run of digits (with its `.` `/` `,` `-`) read by OCR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrDigits {
    /// The digits as read.
    pub text: String,
    /// Confidence, 0 (a guess) to 100 (certain).
    pub conf: f32,
}

/// Document type, from the document's own form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DocType {
    /// คำสั่ง: an order.
    Order,
    /// หนังสือเวียน: a circular letter (number with `/ว`).
    Circular,
    /// An official letter (ที่ ... เรียน ...).
    Letter,
    /// ประกาศ: an announcement.
    Announcement,
    /// A news release.
    News,
    /// Anything else.
    #[default]
    Other,
}

impl DocType {
    /// All types, in display order.
    pub const ALL: [DocType; 6] = [
        DocType::Order,
        DocType::Circular,
        DocType::Letter,
        DocType::Announcement,
        DocType::News,
        DocType::Other,
    ];

    /// The lowercase name used in JSON and in `type:` filters.
    pub fn as_str(&self) -> &'static str {
        match self {
            DocType::Order => "order",
            DocType::Circular => "circular",
            DocType::Letter => "letter",
            DocType::Announcement => "announcement",
            DocType::News => "news",
            DocType::Other => "other",
        }
    }

    /// Parses a `type:` filter value.
    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A date, time, month, year, range or fiscal year written in the text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DateMention {
    /// Surface text as written.
    pub text: String,
    /// Normalized value (CE), in the contract's date grammar.
    pub value: String,
    /// Start character offset.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Read from OCR text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ocr: bool,
    /// OCR's confidence (0–100) in the digits of this mention, given when it
    /// is low: the digits are a guess rather than a reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<u8>,
}

/// A province named as a place.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProvinceMention {
    /// Surface text as written (`จ.ภูเก็ต`).
    pub text: String,
    /// Canonical province name (`ภูเก็ต`).
    pub name: String,
    /// Start character offset.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Read from OCR text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ocr: bool,
}

/// A person named with a title acting in a public role.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficialMention {
    /// Surface text (title, name and position as written).
    pub text: String,
    /// Title as written (`นาย`, `พล.ต.อ.`, `ผู้ช่วยศาสตราจารย์`).
    pub title: Option<String>,
    /// Given name + surname, whitespace folded to one space.
    pub name: String,
    /// Position written right after the name, if any.
    pub position: Option<String>,
    /// Start character offset.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Read from OCR text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ocr: bool,
}

/// Kind of an order mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    /// คำสั่ง ... ที่ N/YYYY
    #[default]
    Order,
    /// มติคณะรัฐมนตรี (cabinet resolution), identified by its date.
    CabinetResolution,
    /// A numbered announcement (ประกาศคณะรักษาความสงบแห่งชาติ ฉบับที่ N/YYYY).
    Announcement,
}

/// An order (คำสั่ง) or cabinet resolution.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderMention {
    /// Surface text of the whole reference.
    pub text: String,
    /// `order`, `announcement` or `cabinet_resolution`.
    #[serde(rename = "type")]
    pub kind: OrderKind,
    /// Normalized number `N/YYYY` (Arabic digits, BE year), `N` for an announcement cited
    /// without its year, `null` for resolutions.
    pub number: Option<String>,
    /// Issuing body as written.
    pub issuer: Option<String>,
    /// Subject after `เรื่อง`.
    pub subject: Option<String>,
    /// Date value of the order or resolution when written.
    pub date: Option<String>,
    /// True when this is the document's own number (not a citation).
    #[serde(rename = "self")]
    pub is_self: bool,
    /// Start character offset.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Read from OCR text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ocr: bool,
    /// OCR's confidence (0–100) in the digits of this mention, given when it
    /// is low: the digits are a guess rather than a reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<u8>,
}

/// A letter number introduced by `ที่`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocNumberMention {
    /// Surface text (`ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒`).
    pub text: String,
    /// Normalized number (`รย 0017.2/ว 5512`).
    pub number: String,
    /// Start character offset.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Read from OCR text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ocr: bool,
    /// OCR's confidence (0–100) in the digits of this mention, given when it
    /// is low: the digits are a guess rather than a reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<u8>,
}

/// A named plan, with edition/phase and period when written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanMention {
    /// Surface text.
    pub text: String,
    /// Plan name without edition and period.
    pub name: String,
    /// Number after ฉบับที่ / ระยะที่.
    pub edition: Option<String>,
    /// `YYYY-YYYY` in BE.
    pub period: Option<String>,
    /// Start character offset.
    pub start: usize,
    /// End character offset (exclusive).
    pub end: usize,
    /// Read from OCR text.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ocr: bool,
}

/// Everything the tagger finds in one document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Tagged {
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: DocType,
    /// The document's own date (CE `YYYY-MM-DD`), `None` when unknown.
    pub doc_date: Option<String>,
    /// Date mentions.
    pub dates: Vec<DateMention>,
    /// Province mentions.
    pub provinces: Vec<ProvinceMention>,
    /// Officials.
    pub officials: Vec<OfficialMention>,
    /// Orders and cabinet resolutions.
    pub orders: Vec<OrderMention>,
    /// Letter numbers.
    pub doc_numbers: Vec<DocNumberMention>,
    /// Plans.
    pub plans: Vec<PlanMention>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_tags_missing_newer_fields_keep_the_rest() {
        // Tags as an older version stored them: no `ocr`, no `subject`,
        // no `doc_numbers`, no `plans`.
        let old = r#"{"type":"order","doc_date":"2023-01-05",
            "provinces":[{"text":"จ.ภูเก็ต","name":"ภูเก็ต","start":3,"end":11}],
            "orders":[{"text":"คำสั่งที่ 2/2566","type":"order","number":"2/2566","self":true,"start":0,"end":15}],
            "officials":[{"name":"ณรงค์ วุ่นซิ่ว","start":20,"end":34}]}"#;
        let t: Tagged = serde_json::from_str(old).expect("old tags read");
        assert_eq!(t.doc_type, DocType::Order);
        assert_eq!(t.provinces.len(), 1);
        assert_eq!(t.provinces[0].name, "ภูเก็ต");
        assert!(!t.provinces[0].ocr);
        assert_eq!(t.orders[0].number.as_deref(), Some("2/2566"));
        assert_eq!(t.orders[0].subject, None);
        assert!(t.orders[0].is_self);
        assert_eq!(t.officials[0].name, "ณรงค์ วุ่นซิ่ว");
        assert_eq!(t.officials[0].title, None);
        assert!(t.doc_numbers.is_empty() && t.plans.is_empty());
    }
}
