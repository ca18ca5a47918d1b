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

/// Tags one part of a document indexed in parts ([`crate::parts`]).
/// Mentions that start at or after character `own_end` of the part lie in
/// the overlap with the next part, which holds them whole: they are left to
/// it, so every mention of the document is counted once. `first` is the
/// first part's tags: the document's type and date are its, and only the
/// first part carries the document's own order number.
pub fn tag_part(
    tagger: &Tagger,
    part: &Extracted,
    own_end: usize,
    first: Option<&Tagged>,
) -> Tagged {
    let mut tagged = tag_extracted(tagger, part);
    keep_mentions_before(&mut tagged, own_end);
    if let Some(first) = first {
        tagged.doc_type = first.doc_type;
        tagged.doc_date.clone_from(&first.doc_date);
        for o in &mut tagged.orders {
            o.is_self = false;
        }
    }
    tagged
}

/// Drops the mentions of every kind that start at or after character `end`,
/// reading the mention lists as [`Tagged`] serializes them (each mention
/// has its `start`), so a new kind of mention is cut like the others.
fn keep_mentions_before(tagged: &mut Tagged, end: usize) {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::to_value(&*tagged) else {
        return;
    };
    let mut dropped = false;
    for value in map.values_mut() {
        if let serde_json::Value::Array(list) = value {
            let before = list.len();
            list.retain(|m| {
                m.get("start")
                    .and_then(serde_json::Value::as_u64)
                    .is_none_or(|s| s < end as u64)
            });
            dropped |= list.len() != before;
        }
    }
    if dropped && let Ok(kept) = serde_json::from_value(serde_json::Value::Object(map)) {
        *tagged = kept;
    }
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

/// The JSON object `tag --json` prints for one document: where it came
/// from, its type, title, date and text, then every mention list of its
/// tags, as [`Tagged`] names and orders them (so a new kind of mention is
/// printed without being listed here).
#[derive(Debug)]
pub struct TagOutput<'a> {
    /// Where the document came from.
    pub source: &'a str,
    /// Source format.
    pub format: &'a str,
    /// Source encoding.
    pub encoding: &'a str,
    /// Document type.
    pub doc_type: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Document date.
    pub doc_date: Option<&'a str>,
    /// Text as written, repaired.
    pub text: &'a str,
    /// The tags, whose mention lists follow the text.
    pub tags: &'a Tagged,
}

impl serde::Serialize for TagOutput<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("source", self.source)?;
        map.serialize_entry("format", self.format)?;
        map.serialize_entry("encoding", self.encoding)?;
        map.serialize_entry("type", self.doc_type)?;
        map.serialize_entry("title", &self.title)?;
        map.serialize_entry("doc_date", &self.doc_date)?;
        map.serialize_entry("text", self.text)?;
        serde::Serialize::serialize(self.tags, Mentions(&mut map))?;
        map.end()
    }
}

/// Writes the fields of [`Tagged`] other than its type and date (printed
/// before the text) as entries of a map being written.
struct Mentions<'m, M>(&'m mut M);

/// What [`Mentions`] refuses: anything but a struct.
fn not_tags<E: serde::ser::Error>() -> E {
    E::custom("tags are written as a struct")
}

macro_rules! refuse {
    ($($name:ident($t:ty)),*) => {
        $(fn $name(self, _: $t) -> Result<(), M::Error> {
            Err(not_tags())
        })*
    };
}

impl<M: serde::ser::SerializeMap> serde::Serializer for Mentions<'_, M> {
    type Ok = ();
    type Error = M::Error;
    type SerializeSeq = serde::ser::Impossible<(), M::Error>;
    type SerializeTuple = serde::ser::Impossible<(), M::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), M::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), M::Error>;
    type SerializeMap = serde::ser::Impossible<(), M::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), M::Error>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str)
    );

    fn serialize_none(self) -> Result<(), M::Error> {
        Err(not_tags())
    }
    fn serialize_some<T: ?Sized + serde::Serialize>(self, _: &T) -> Result<(), M::Error> {
        Err(not_tags())
    }
    fn serialize_unit(self) -> Result<(), M::Error> {
        Err(not_tags())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), M::Error> {
        Err(not_tags())
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), M::Error> {
        Err(not_tags())
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), M::Error> {
        Err(not_tags())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, M::Error> {
        Err(not_tags())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, M::Error> {
        Err(not_tags())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, M::Error> {
        Err(not_tags())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, M::Error> {
        Err(not_tags())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, M::Error> {
        Err(not_tags())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, M::Error> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, M::Error> {
        Err(not_tags())
    }
}

impl<M: serde::ser::SerializeMap> serde::ser::SerializeStruct for Mentions<'_, M> {
    type Ok = ();
    type Error = M::Error;

    fn serialize_field<T: ?Sized + serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        if key == "type" || key == "doc_date" {
            return Ok(());
        }
        self.0.serialize_entry(key, value)
    }

    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
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
            tags: t,
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
