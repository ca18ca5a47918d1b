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
    }
    tagged
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
