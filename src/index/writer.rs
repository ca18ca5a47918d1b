//! Turning tagged documents into tantivy documents, and writing them.
//!
//! A document is keyed by its `source`: adding a document first deletes any
//! earlier version with the same source, so a changed file replaces its old
//! version and a re-run after a crash never duplicates.

use std::collections::BTreeSet;

use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use super::{Fields, IndexError, SarabanIndex};
use crate::model::{Extracted, OrderKind, Tagged};

/// A document ready for the index.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// Short id shown to users.
    pub id: String,
    /// Source path or JSONL id (the replacement key).
    pub source: String,
    /// File on disk it came from.
    pub file: String,
    /// Content hash.
    pub hash: String,
    /// Extracted text and metadata.
    pub extracted: Extracted,
    /// Tags.
    pub tagged: Tagged,
}

/// Short stable id for a source path.
pub fn id_for_source(source: &str) -> String {
    blake3::hash(source.as_bytes()).to_hex()[..12].to_string()
}

/// Parses `YYYY-MM-DD` into a tantivy date (midnight UTC).
pub fn to_tantivy_date(value: &str) -> Option<DateTime> {
    let mut parts = value.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.get(..2)?.parse().ok()?;
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    let secs = date.midnight().assume_utc().unix_timestamp();
    Some(DateTime::from_timestamp_secs(secs))
}

/// Builds the tantivy document.
pub fn to_document(fields: &Fields, doc: &IndexDoc) -> TantivyDocument {
    let f = fields;
    let mut d = TantivyDocument::default();
    let ex = &doc.extracted;
    let tg = &doc.tagged;
    d.add_text(f.id, &doc.id);
    d.add_text(f.source, &doc.source);
    d.add_text(f.file, &doc.file);
    d.add_text(f.hash, &doc.hash);
    if let Some(title) = &ex.title {
        d.add_text(f.title, title);
        d.add_text(f.title_grams, title);
        // A title that is not part of the text (JSON Lines) is still findable.
        if !ex.text.contains(title.as_str()) {
            d.add_text(f.grams, title);
        }
    }
    d.add_text(f.text, &ex.text);
    d.add_text(f.body, &ex.text);
    d.add_text(f.grams, &ex.text);
    d.add_text(f.doc_type, tg.doc_type.as_str());
    if let Some(date) = tg.doc_date.as_deref().and_then(to_tantivy_date) {
        d.add_date(f.date, date);
    }
    let provinces: BTreeSet<&str> = tg.provinces.iter().map(|p| p.name.as_str()).collect();
    for p in provinces {
        d.add_text(f.province, p);
    }
    let mut cited = BTreeSet::new();
    let mut own = BTreeSet::new();
    for o in tg
        .orders
        .iter()
        .filter(|o| o.kind != OrderKind::CabinetResolution)
    {
        if let Some(n) = &o.number {
            if o.is_self {
                own.insert(n.as_str());
            } else {
                cited.insert(n.as_str());
            }
        }
    }
    for n in cited {
        d.add_text(f.order, n);
    }
    for n in own {
        d.add_text(f.number, n);
    }
    let docnos: BTreeSet<String> = tg
        .doc_numbers
        .iter()
        .map(|n| super::keys::docno_key(&n.number))
        .collect();
    for n in docnos {
        d.add_text(f.docno, n);
    }
    let officials: BTreeSet<String> = tg
        .officials
        .iter()
        .map(|o| super::keys::entity_key(&o.name))
        .collect();
    for n in officials {
        d.add_text(f.official, n);
    }
    let mut plans = BTreeSet::new();
    for p in &tg.plans {
        let name = super::keys::entity_key(&p.name);
        if let Some(e) = &p.edition {
            plans.insert(format!("{name}|{e}"));
        }
        plans.insert(name);
    }
    for p in plans {
        d.add_text(f.plan, p);
    }
    d.add_text(f.format, ex.format.as_str());
    d.add_text(f.encoding, &ex.encoding);
    d.add_text(
        f.tagged,
        serde_json::to_string(tg).unwrap_or_else(|_| "{}".to_string()),
    );
    d
}

/// What the index already holds, for incremental ingest.
#[derive(Debug, Default)]
pub struct Known {
    /// source → content hash.
    pub by_source: std::collections::HashMap<String, String>,
    /// content hash → source.
    pub by_hash: std::collections::HashMap<String, String>,
    /// source → file on disk.
    pub files: std::collections::HashMap<String, String>,
}

impl SarabanIndex {
    /// Loads `source`, `hash` and `file` of every live document.
    pub fn known(&self) -> Result<Known, IndexError> {
        let tantivy_err = |source| IndexError::Tantivy {
            path: self.path.clone(),
            source,
        };
        self.reader.reload().map_err(tantivy_err)?;
        let searcher = self.reader.searcher();
        let mut known = Known::default();
        let mut buf = String::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let col = |name: &str| {
                ff.str(name)
                    .map_err(tantivy_err)?
                    .ok_or_else(|| tantivy_err(tantivy::TantivyError::FieldNotFound(name.into())))
            };
            let (sources, hashes, files) = (col("source")?, col("hash")?, col("file")?);
            let alive = seg.alive_bitset();
            let mut read = |c: &tantivy::columnar::StrColumn, doc_id| -> String {
                let mut value = String::new();
                super::for_each_str(c, doc_id, &mut buf, |v| value = v.to_string());
                value
            };
            for doc_id in 0..seg.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc_id)) {
                    continue;
                }
                let source = read(&sources, doc_id);
                let hash = read(&hashes, doc_id);
                let file = read(&files, doc_id);
                known.by_hash.insert(hash.clone(), source.clone());
                known.files.insert(source.clone(), file);
                known.by_source.insert(source, hash);
            }
        }
        Ok(known)
    }

    /// A writer with a bounded memory budget.
    pub fn writer(&self, threads: usize) -> Result<IndexWriter, IndexError> {
        let threads = threads.clamp(1, 8);
        // tantivy wants at least 15 MB per thread; 96 MB each keeps RSS well under 1 GB.
        self.index
            .writer_with_num_threads(threads, threads * 96_000_000)
            .map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })
    }

    /// Adds (or replaces) a document.
    pub fn add(&self, writer: &IndexWriter, doc: &IndexDoc) -> Result<(), IndexError> {
        writer.delete_term(Term::from_field_text(self.fields.source, &doc.source));
        writer
            .add_document(to_document(&self.fields, doc))
            .map(|_| ())
            .map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })
    }

    /// Deletes the document ingested from `source`.
    pub fn delete_source(&self, writer: &IndexWriter, source: &str) {
        writer.delete_term(Term::from_field_text(self.fields.source, source));
    }
}
