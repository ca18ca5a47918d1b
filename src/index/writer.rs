//! Turning tagged documents into tantivy documents, and writing them.
//!
//! A document is keyed by its `key` (the canonical path of its file, plus
//! the record id for JSON Lines): adding a document first deletes any earlier
//! version with the same key, so a changed file replaces its old version and
//! a re-run after a crash never duplicates. `source` is only shown.

use std::path::{Path, PathBuf};

use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use super::merge_policy::CappedMergePolicy;
use super::{Fields, IndexError, SarabanIndex};
use crate::model::{Extracted, Tagged};

/// A document ready for the index.
#[derive(Debug, Clone)]
pub struct IndexDoc {
    /// Short id shown to users.
    pub id: String,
    /// Source path as walked, or JSONL id (shown to users).
    pub source: String,
    /// Replacement key (see [`path_key`] and [`record_key`]).
    pub key: String,
    /// File on disk it came from, as a [`path_key`].
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

/// A path as a string, losslessly: UTF-8 runs are kept, `%` becomes `%25`
/// and every byte that is not UTF-8 becomes `%XX`, so `name_\xff.txt` and
/// `name_\xfe.txt` get two keys. [`key_path`] reverses it.
pub fn path_key(path: &Path) -> String {
    let bytes = path_bytes(path);
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path a [`path_key`] was made from.
pub fn key_path(key: &str) -> PathBuf {
    let b = key.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = key.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    bytes_path(out)
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

/// The canonical absolute form of `path` (symlinks resolved), so a key does
/// not depend on the working directory; the absolute path when the file is
/// gone.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Key of one JSON Lines record: its file's key, then `#id:` and the id, or
/// `#line:` and the line number for a record without an id.
pub fn record_key(file_key: &str, id: Option<&str>, line: usize) -> String {
    match id {
        Some(id) => format!("{file_key}#id:{id}"),
        None => format!("{file_key}#line:{line}"),
    }
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
    d.add_text(f.key, &doc.key);
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
    for e in crate::entity::KINDS {
        for (name, term) in (e.terms)(tg) {
            if let Some(field) = f.entity_field(name) {
                d.add_text(field, term);
            }
        }
    }
    if let Some(date) = tg.doc_date.as_deref().and_then(to_tantivy_date) {
        d.add_date(f.date, date);
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
    /// key → content hash.
    pub by_key: std::collections::HashMap<String, String>,
    /// content hash → (key, source as shown).
    pub by_hash: std::collections::HashMap<String, (String, String)>,
    /// key → file on disk (a [`path_key`]).
    pub files: std::collections::HashMap<String, String>,
}

impl SarabanIndex {
    /// Loads `key`, `source`, `hash` and `file` of every live document.
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
            let (keys, sources, hashes, files) =
                (col("key")?, col("source")?, col("hash")?, col("file")?);
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
                let key = read(&keys, doc_id);
                let source = read(&sources, doc_id);
                let hash = read(&hashes, doc_id);
                let file = read(&files, doc_id);
                known.by_hash.insert(hash.clone(), (key.clone(), source));
                known.files.insert(key.clone(), file);
                known.by_key.insert(key, hash);
            }
        }
        Ok(known)
    }

    /// Sets the memory budget of the writers made from now on (bytes; 0
    /// for the default of 96 MB per thread). tantivy needs at least 15 MB
    /// per thread: a small budget means fewer threads.
    pub fn set_writer_memory(&self, bytes: usize) {
        self.writer_memory
            .store(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sets the most documents one background merge of the writers made
    /// from now on may produce (see [`super::merge_policy`]).
    pub fn set_max_merged_docs(&self, docs: u32) {
        self.max_merged_docs
            .store(docs, std::sync::atomic::Ordering::Relaxed);
    }

    /// A writer with a bounded memory budget.
    pub fn writer(&self, threads: usize) -> Result<IndexWriter, IndexError> {
        const MIN_PER_THREAD: usize = 16_000_000;
        let mut threads = threads.clamp(1, 8);
        let budget = match self
            .writer_memory
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            // tantivy wants at least 15 MB per thread; 96 MB each keeps RSS well under 1 GB.
            0 => threads * 96_000_000,
            bytes => {
                threads = threads.min(bytes / MIN_PER_THREAD).max(1);
                bytes.max(threads * MIN_PER_THREAD)
            }
        };
        let err = |source| IndexError::Tantivy {
            path: self.path.clone(),
            source,
        };
        let writer = self
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(err)?;
        // Merges read their segments through memory maps: capped, they
        // keep ingest memory flat however large the index grows.
        writer.set_merge_policy(Box::new(CappedMergePolicy::new(
            self.max_merged_docs
                .load(std::sync::atomic::Ordering::Relaxed),
        )));
        // Files a killed run wrote but never committed go first: a deletes
        // file is named by the next opstamp, which a new run reuses.
        writer.garbage_collect_files().wait().map_err(err)?;
        Ok(writer)
    }

    /// Adds (or replaces) a document.
    pub fn add(&self, writer: &IndexWriter, doc: &IndexDoc) -> Result<(), IndexError> {
        writer.delete_term(Term::from_field_text(self.fields.key, &doc.key));
        writer
            .add_document(to_document(&self.fields, doc))
            .map(|_| ())
            .map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })
    }

    /// Deletes the document stored under `key`.
    pub fn delete_key(&self, writer: &IndexWriter, key: &str) {
        writer.delete_term(Term::from_field_text(self.fields.key, key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn path_keys_are_lossless() {
        use std::os::unix::ffi::OsStrExt;
        let ff = Path::new(std::ffi::OsStr::from_bytes(b"/d/name_\xff.txt"));
        let fe = Path::new(std::ffi::OsStr::from_bytes(b"/d/name_\xfe.txt"));
        assert_ne!(path_key(ff), path_key(fe));
        for p in [ff, fe, Path::new("/d/50%25 ภูเก็ต%.txt"), Path::new("/d/%FF")] {
            assert_eq!(key_path(&path_key(p)), p, "{}", path_key(p));
        }
        assert_ne!(path_key(ff), path_key(Path::new("/d/name_%FF.txt")));
    }
}
