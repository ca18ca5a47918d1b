//! From extracted text to a tagged document: dates, entities, document date.
//!
//! This is the one place the stages meet: `tag`, `ingest` and tests all call
//! [`tag_extracted`], so a document is tagged the same way wherever it goes.

use crate::model::{Extracted, Tagged};
use crate::normalize::date;
use crate::tag::Tagger;

/// Tags extracted text: date mentions, entities, document type and date.
/// Mentions read from OCR text are flagged `ocr`.
pub fn tag_extracted(tagger: &Tagger, ex: &Extracted) -> Tagged {
    let dates = date::extract_dates(&ex.text);
    let mut tagged = tagger.tag(&ex.text, &dates);
    tagged.doc_date = date::doc_date(&ex.text, &tagged.dates);
    let signed = date::signed_date(&ex.text, &tagged.dates);
    crate::tag::complete_own_orders(&mut tagged, signed.as_deref());
    if ex.format.is_ocr() {
        crate::tag::mark_ocr(&mut tagged);
        mark_ocr_confidence(&mut tagged, &ex.ocr_digits);
    }
    tagged
}

/// OCR confidence (0–100) below which a mention's digits are reported as a
/// guess (`ocr_confidence`).
const TRUSTED_OCR: f32 = 90.0;

/// Runs of digits and their punctuation in a mention's text, as OCR reads them.
fn digit_runs(text: &str) -> Vec<String> {
    let is_digit = |c: char| c.is_ascii_digit() || ('๐'..='๙').contains(&c);
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_digit(c) || (!cur.is_empty() && matches!(c, '.' | '/' | ',' | '-')) {
            cur.push(c);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    runs
}

/// Gives date, order and letter-number mentions the confidence of the OCR
/// digits they are built from, when it is low.
fn mark_ocr_confidence(t: &mut Tagged, read: &[crate::model::OcrDigits]) {
    let conf = |text: &str| -> Option<u8> {
        let runs = digit_runs(text);
        let trim = |s: &str| s.trim_end_matches(['.', '/', ',', '-']).to_string();
        read.iter()
            .filter(|r| runs.iter().any(|m| trim(m) == trim(&r.text)))
            .map(|r| r.conf)
            .reduce(f32::min)
            .filter(|c| *c < TRUSTED_OCR)
            .map(|c| c.clamp(0.0, 100.0).round() as u8)
    };
    for m in &mut t.dates {
        m.ocr_confidence = conf(&m.text);
    }
    for m in &mut t.orders {
        m.ocr_confidence = conf(&m.text);
    }
    for m in &mut t.doc_numbers {
        m.ocr_confidence = conf(&m.text);
    }
}

/// The JSON object `tag --json` prints for one document.
#[derive(Debug, serde::Serialize)]
pub struct TagOutput<'a> {
    /// Where the document came from.
    pub source: &'a str,
    /// Source format.
    pub format: &'a str,
    /// Source encoding.
    pub encoding: &'a str,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Document date.
    pub doc_date: Option<&'a str>,
    /// Text as written, repaired.
    pub text: &'a str,
    /// Date mentions.
    pub dates: &'a [crate::model::DateMention],
    /// Provinces.
    pub provinces: &'a [crate::model::ProvinceMention],
    /// Officials.
    pub officials: &'a [crate::model::OfficialMention],
    /// Orders.
    pub orders: &'a [crate::model::OrderMention],
    /// Letter numbers.
    pub doc_numbers: &'a [crate::model::DocNumberMention],
    /// Plans.
    pub plans: &'a [crate::model::PlanMention],
}

impl<'a> TagOutput<'a> {
    /// Assembles the output object for freshly extracted text.
    pub fn new(source: &'a str, ex: &'a Extracted, t: &'a Tagged) -> Self {
        Self::from_parts(
            source,
            ex.format.as_str(),
            &ex.encoding,
            ex.title.as_deref(),
            &ex.text,
            t,
        )
    }

    /// Assembles the output object from its parts (e.g. a stored document).
    pub fn from_parts(
        source: &'a str,
        format: &'a str,
        encoding: &'a str,
        title: Option<&'a str>,
        text: &'a str,
        t: &'a Tagged,
    ) -> Self {
        TagOutput {
            source,
            format,
            encoding,
            doc_type: t.doc_type.as_str(),
            title,
            doc_date: t.doc_date.as_deref(),
            text,
            dates: &t.dates,
            provinces: &t.provinces,
            officials: &t.officials,
            orders: &t.orders,
            doc_numbers: &t.doc_numbers,
            plans: &t.plans,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, OcrDigits};

    #[test]
    fn guessed_ocr_digits_are_flagged_on_their_mentions() {
        let Ok(tagger) = Tagger::builtin() else {
            panic!("built-in dictionaries load");
        };
        let run = |text: &str, conf: f32| OcrDigits {
            text: text.into(),
            conf,
        };
        let mut ex = Extracted {
            text: "ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐\nกระทรวงมหาดไทย\n\n๑๒ มีนาคม ๒๕๖๗\n\nเรื่อง ขอเชิญประชุม".into(),
            format: Format::ImageOcr,
            encoding: "UTF-8".into(),
            title: None,
            warnings: Vec::new(),
            ocr_digits: vec![
                run("๐๒๑๑.๔/", 97.0),
                run("๗๑๖๐", 41.4),
                run("๑๒", 99.0),
                run("๒๕๖๗", 95.0),
            ],
        };
        let t = tag_extracted(&tagger, &ex);
        assert_eq!(t.doc_numbers.len(), 1);
        assert_eq!(t.doc_numbers[0].ocr_confidence, Some(41));
        let Some(date) = t.dates.iter().find(|d| d.text.contains("มีนาคม")) else {
            panic!("date found");
        };
        assert_eq!(date.ocr_confidence, None, "read with confidence");
        let json = serde_json::to_string(&t.doc_numbers[0]).unwrap_or_default();
        assert!(json.contains("\"ocr_confidence\":41"), "{json}");
        let json = serde_json::to_string(date).unwrap_or_default();
        assert!(!json.contains("ocr_confidence"), "{json}");
        // Text that is not OCR carries no confidence.
        ex.format = Format::Txt;
        let t = tag_extracted(&tagger, &ex);
        assert_eq!(t.doc_numbers[0].ocr_confidence, None);
    }
}
