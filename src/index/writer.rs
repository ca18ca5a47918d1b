//! Turning tagged documents into tantivy documents, and writing them.
//!
//! A document is keyed by its `key` (the canonical path of its file, plus
//! the record id for JSON Lines): adding a document first deletes any earlier
//! version with the same key, so a changed file replaces its old version and
//! a re-run after a crash never duplicates. `source` is only shown.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::{Document, Value};
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use super::merge_policy::CappedMergePolicy;
use super::read_dir::ReadDirectory;
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

/// Bytes of documents handed to an [`IngestWriter`] that its indexing
/// threads have not indexed yet.
///
/// tantivy queues up to 10,000 documents ahead of its indexing threads, each
/// holding its text three times over (`text`, `body`, `grams`): when the
/// threads fall behind (a busy machine, a slow segment flush) the queue alone
/// can hold hundreds of megabytes. Each document admitted here is counted
/// until tantivy drops it, once indexed, and the thread adding documents
/// waits while the queue holds more than its limit.
#[derive(Debug)]
pub struct InFlight {
    bytes: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl InFlight {
    /// A queue of at most `limit` bytes (one document is always admitted).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(InFlight {
            bytes: Mutex::new(0),
            freed: Condvar::new(),
            limit,
        })
    }

    /// Bytes queued now.
    pub fn queued(&self) -> usize {
        *self.bytes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until `bytes` more fit, then counts them. When no document
    /// has been indexed for a second the document is admitted anyway: a
    /// writer whose threads have failed then reports it on the next add
    /// instead of waiting forever.
    fn admit(&self, bytes: usize) {
        let mut held = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        while *held > 0 && held.saturating_add(bytes) > self.limit {
            let before = *held;
            let (guard, wait) = self
                .freed
                .wait_timeout(held, Duration::from_secs(1))
                .unwrap_or_else(|e| e.into_inner());
            held = guard;
            if wait.timed_out() && *held >= before {
                break;
            }
        }
        *held = held.saturating_add(bytes);
    }

    fn release(&self, bytes: usize) {
        let mut held = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        *held = held.saturating_sub(bytes);
        self.freed.notify_all();
    }
}

/// A document on its way through an [`IngestWriter`]: counted in its
/// [`InFlight`] queue until tantivy has indexed and dropped it.
pub struct TrackedDoc {
    doc: TantivyDocument,
    bytes: usize,
    in_flight: Arc<InFlight>,
}

impl TrackedDoc {
    fn new(doc: TantivyDocument, in_flight: &Arc<InFlight>) -> Self {
        // What the document holds: its values' text, plus a little per value.
        let bytes = doc
            .iter_fields_and_values()
            .map(|(_, v)| v.as_str().map_or(0, str::len) + 32)
            .sum();
        in_flight.admit(bytes);
        TrackedDoc {
            doc,
            bytes,
            in_flight: Arc::clone(in_flight),
        }
    }
}

impl Drop for TrackedDoc {
    fn drop(&mut self) {
        self.in_flight.release(self.bytes);
    }
}

impl Document for TrackedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(mut self) -> TantivyDocument {
        std::mem::take(&mut self.doc)
    }
}

/// The writer of an ingest run: documents queued ahead of its indexing
/// threads are bounded in bytes (see [`InFlight`]).
pub struct IngestWriter {
    /// The tantivy writer (commit, merges).
    pub writer: IndexWriter<TrackedDoc>,
    in_flight: Arc<InFlight>,
    ending: Arc<AtomicBool>,
}

impl IngestWriter {
    /// Bytes of documents queued and not yet indexed.
    pub fn queued(&self) -> usize {
        self.in_flight.queued()
    }

    /// Ends the run, after its last commit: the segments under half the
    /// merge cap that the run made and leaves (up to three of every level)
    /// are merged too, and every merge is waited for.
    pub fn finish(mut self) -> tantivy::Result<()> {
        self.ending.store(true, Ordering::Release);
        // A commit is what makes the writer look for merges again; there
        // is nothing left to commit after the run's last one.
        let commit = self.writer.commit().map(|_| ());
        let merges = self.writer.wait_merging_threads();
        commit.and(merges)
    }
}

/// Reloads `reader` when it holds a segment that is no longer searchable
/// (a merge replaced it), so that segment is unmapped.
fn release_replaced(index: &tantivy::Index, reader: &tantivy::IndexReader) -> tantivy::Result<()> {
    let live: std::collections::HashSet<_> = index.searchable_segment_ids()?.into_iter().collect();
    let replaced = reader
        .searcher()
        .segment_readers()
        .iter()
        .any(|s| !live.contains(&s.segment_id()));
    if replaced {
        reader.reload()?;
    }
    Ok(())
}

/// Bytes of documents an [`IngestWriter`] queues by default.
pub const DEFAULT_QUEUED_BYTES: usize = 32_000_000;

/// 128 bits of a BLAKE3 hash of a string: what is kept in memory of each
/// key and content hash, so memory per document stays small and fixed
/// (a collision is as likely as one of the content hashes).
pub type Digest = [u8; 16];

/// The [`Digest`] of `s`.
pub fn digest(s: &str) -> Digest {
    let mut d = [0u8; 16];
    d.copy_from_slice(&blake3::hash(s.as_bytes()).as_bytes()[..16]);
    d
}

/// What the index already holds, for incremental ingest: per live document
/// the digests of its key and content hash and the number of its file, and
/// each file once (about 100 bytes a document, not its names). The names
/// shown when a copy is found are read from the index when needed. Only
/// the keys of parts ([`super::keys::part_key`]), kept for the rare texts
/// stored in parts, are kept whole: by their document's key, so every part
/// of a changed or gone document can be found and replaced.
#[derive(Default)]
pub struct Known {
    /// key → (content hash, file number).
    by_key: std::collections::HashMap<Digest, (Digest, u32)>,
    /// content hash → (key, file number).
    by_hash: std::collections::HashMap<Digest, (Digest, u32)>,
    /// Each file (a [`path_key`], empty when none) and its live documents.
    files: Vec<(Box<str>, u32)>,
    /// Document key → the keys of the parts of it the index holds.
    parts: std::collections::HashMap<String, Vec<String>>,
    /// Where the names are read from (the index as it is when asked: a
    /// searcher kept for the run would keep every segment mapped).
    reader: Option<(tantivy::IndexReader, tantivy::schema::Field)>,
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Known")
            .field("documents", &self.by_key.len())
            .field("files", &self.files.len())
            .field("in_parts", &self.parts.len())
            .finish()
    }
}

impl Known {
    /// Documents held.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// True when the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// True when the index holds a document under `key`.
    pub fn holds(&self, key: &str) -> bool {
        self.by_key.contains_key(&digest(key))
    }

    /// The keys of the parts of the document keyed `unit` that the index
    /// holds (none when it holds it whole, or not at all).
    pub fn part_keys(&self, unit: &str) -> &[String] {
        self.parts.get(unit).map_or(&[], Vec::as_slice)
    }

    /// True when the index holds parts of the document keyed `unit`.
    pub fn in_parts(&self, unit: &str) -> bool {
        self.parts.contains_key(unit)
    }

    /// `None` when the index holds no document under `key`, else whether
    /// it holds it with this content `hash`.
    pub fn same_content(&self, key: &str, hash: &str) -> Option<bool> {
        self.by_key
            .get(&digest(key))
            .map(|(h, _)| *h == digest(hash))
    }

    /// Another document with this content `hash` whose file still exists,
    /// by its source as shown (`None` when there is none, or it is `key`).
    pub fn copy_of(&self, hash: &str, key: &str) -> Option<String> {
        let (other, file) = self.by_hash.get(&digest(hash))?;
        if *other == digest(key) || !self.file_exists(*file) {
            return None;
        }
        Some(
            self.source_of(hash)
                .unwrap_or_else(|| "an indexed document".into()),
        )
    }

    /// Each file whose documents the index holds that is gone from disk, and
    /// how many documents came from it.
    pub fn gone_files(&self) -> impl Iterator<Item = (&str, u32)> {
        self.files
            .iter()
            .enumerate()
            .filter(|&(i, _)| !self.file_exists(i as u32) && !self.files[i].0.is_empty())
            .map(|(_, (f, n))| (&**f, *n))
    }

    fn file_exists(&self, file: u32) -> bool {
        match self.files.get(file as usize) {
            Some((f, _)) => !f.is_empty() && key_path(f).exists(),
            None => false,
        }
    }

    /// The source, as shown, of a live document with this content hash.
    fn source_of(&self, hash: &str) -> Option<String> {
        let (reader, field) = self.reader.as_ref()?;
        let searcher = reader.searcher();
        let term = Term::from_field_text(*field, hash);
        let mut buf = String::new();
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(*field).ok()?;
            let Ok(Some(mut postings)) =
                inverted.read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
            else {
                continue;
            };
            let sources = seg.fast_fields().str("source").ok()??;
            let alive = seg.alive_bitset();
            let mut doc = tantivy::DocSet::doc(&postings);
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let mut value = None;
                    super::for_each_str(&sources, doc, &mut buf, |v| value = Some(v.to_string()));
                    if value.is_some() {
                        return value;
                    }
                }
                doc = tantivy::DocSet::advance(&mut postings);
            }
        }
        None
    }
}

impl SarabanIndex {
    /// Loads what the index holds of every live document (see [`Known`]).
    pub fn known(&self) -> Result<Known, IndexError> {
        let tantivy_err = |source| IndexError::Tantivy {
            path: self.path.clone(),
            source,
        };
        self.reader.reload().map_err(tantivy_err)?;
        let searcher = self.reader.searcher();
        let mut known = Known::default();
        let mut file_ids: std::collections::HashMap<String, u32> = Default::default();
        let mut buf = String::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let col = |name: &str| {
                ff.str(name)
                    .map_err(tantivy_err)?
                    .ok_or_else(|| tantivy_err(tantivy::TantivyError::FieldNotFound(name.into())))
            };
            let (keys, hashes, files) = (col("key")?, col("hash")?, col("file")?);
            let alive = seg.alive_bitset();
            let read_digest = |c: &tantivy::columnar::StrColumn, doc_id, buf: &mut String| {
                let mut value = digest("");
                super::for_each_str(c, doc_id, buf, |v| value = digest(v));
                value
            };
            for doc_id in 0..seg.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc_id)) {
                    continue;
                }
                let mut key = digest("");
                let parts = &mut known.parts;
                super::for_each_str(&keys, doc_id, &mut buf, |v| {
                    key = digest(v);
                    if let Some((unit, _, _)) = super::keys::split_part_key(v) {
                        parts
                            .entry(unit.to_string())
                            .or_default()
                            .push(v.to_string());
                    }
                });
                let hash = read_digest(&hashes, doc_id, &mut buf);
                let mut file = String::new();
                super::for_each_str(&files, doc_id, &mut buf, |v| file = v.to_string());
                let next = u32::try_from(known.files.len()).unwrap_or(u32::MAX);
                let file_no = *file_ids.entry(file).or_insert(next);
                if file_no == next {
                    known.files.push((Box::from(""), 0));
                }
                if let Some(entry) = known.files.get_mut(file_no as usize) {
                    entry.1 += 1;
                }
                known.by_hash.insert(hash, (key, file_no));
                known.by_key.insert(key, (hash, file_no));
            }
        }
        for (file, no) in file_ids {
            if let Some(entry) = known.files.get_mut(no as usize) {
                entry.0 = file.into_boxed_str();
            }
        }
        known.reader = Some((self.reader.clone(), self.fields.hash));
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

    /// A writer with a bounded memory budget: its indexing threads share
    /// the budget set by [`SarabanIndex::set_writer_memory`], and it runs one
    /// background merge at a time.
    pub fn writer<D: Document>(&self, threads: usize) -> Result<IndexWriter<D>, IndexError> {
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
        // One merge at a time: merges running side by side (tantivy's
        // default is four, and they pile up on a busy machine) add up their
        // heaps. One thread keeps up with two indexing threads.
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(budget / threads)
            .num_merge_threads(1)
            .build();
        // The writer's own view of the index reads its files into buffers,
        // not through memory maps, so what its merges read does not stay
        // resident (see [`super::read_dir`]); searches keep the maps.
        let dir = ReadDirectory::open(&self.path).map_err(|e| err(e.into()))?;
        let mut index = tantivy::Index::open(dir).map_err(err)?;
        index.set_tokenizers(self.index.tokenizers().clone());
        index.set_fast_field_tokenizers(self.index.fast_field_tokenizer().clone());
        let writer = index.writer_with_options(options).map_err(err)?;
        // Merges are capped in documents, which bounds the heap they need.
        writer.set_merge_policy(Box::new(CappedMergePolicy::new(
            self.max_merged_docs
                .load(std::sync::atomic::Ordering::Relaxed),
        )));
        // Files a killed run wrote but never committed go first: a deletes
        // file is named by the next opstamp, which a new run reuses.
        writer.garbage_collect_files().wait().map_err(err)?;
        Ok(writer)
    }

    /// A writer for an ingest run (see [`IngestWriter`]); its queue is an
    /// eighth of the writer memory set by [`SarabanIndex::set_writer_memory`],
    /// at most [`DEFAULT_QUEUED_BYTES`].
    pub fn ingest_writer(&self, threads: usize) -> Result<IngestWriter, IndexError> {
        let limit = match self
            .writer_memory
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            0 => DEFAULT_QUEUED_BYTES,
            bytes => (bytes / 8).clamp(1_000_000, DEFAULT_QUEUED_BYTES),
        };
        let writer = self.writer(threads)?;
        // The reader keeps its segments mapped, and every page a merge reads
        // of them would stay in the process's resident memory until the end
        // of the run (a re-ingest merging an index's small segments would
        // hold the whole index): it lets go of replaced segments each time
        // a merge ends.
        let (index, reader) = (self.index.clone(), self.reader.clone());
        let max_docs = self
            .max_merged_docs
            .load(std::sync::atomic::Ordering::Relaxed);
        let ending = Arc::new(AtomicBool::new(false));
        let earlier = self
            .index
            .searchable_segment_ids()
            .map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })?
            .into_iter()
            .collect();
        writer.set_merge_policy(Box::new(
            CappedMergePolicy::new(max_docs)
                .with_hook(Box::new(move || {
                    let _ = release_replaced(&index, &reader);
                }))
                .with_ending(Arc::clone(&ending), earlier),
        ));
        Ok(IngestWriter {
            writer,
            in_flight: InFlight::new(limit),
            ending,
        })
    }

    /// Adds a document to an ingest run's writer. Only a key the index
    /// may already hold (`replacing`) has its old version deleted: each
    /// delete is looked up in every segment at the next commit, a cost
    /// that grows with the index, and a new key has nothing to delete.
    pub fn add_tracked(
        &self,
        w: &IngestWriter,
        doc: &IndexDoc,
        replacing: bool,
    ) -> Result<(), IndexError> {
        if replacing {
            self.delete_key(&w.writer, &doc.key);
        }
        let tracked = TrackedDoc::new(to_document(&self.fields, doc), &w.in_flight);
        w.writer
            .add_document(tracked)
            .map(|_| ())
            .map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })
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

    /// Deletes every document read from `file` (a [`path_key`]).
    pub fn delete_file<D: Document>(&self, writer: &IndexWriter<D>, file: &str) {
        writer.delete_term(Term::from_field_text(self.fields.file, file));
    }

    /// Deletes the document stored under `key`.
    pub fn delete_key<D: Document>(&self, writer: &IndexWriter<D>, key: &str) {
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

#[cfg(test)]
use queue_tests::doc as queue_tests_doc;

#[cfg(test)]
mod queue_tests {
    use super::*;
    use crate::index::Analysis;
    use crate::model::Format;

    pub(super) fn doc(key: &str, text: &str) -> IndexDoc {
        IndexDoc {
            id: id_for_source(key),
            source: key.to_string(),
            key: key.to_string(),
            file: String::new(),
            hash: blake3::hash(text.as_bytes()).to_hex().to_string(),
            extracted: Extracted {
                text: text.to_string(),
                format: Format::Txt,
                encoding: "UTF-8".into(),
                title: None,
                warnings: Vec::new(),
                ocr_digits: Vec::new(),
            },
            tagged: Tagged::default(),
        }
    }

    #[test]
    fn queued_documents_are_released_once_indexed_and_held_keys_replaced() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let idx = SarabanIndex::open(&tmp.path().join("idx"), &analysis, true).expect("index");
        // The smallest writer: a queue of 2 MB, far less than the documents.
        idx.set_writer_memory(16_000_000);
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds");
        let text = std::fs::read_to_string(seeds.join("000_34a1339aa7e8c079.txt")).expect("seed");
        let w = idx.ingest_writer(2).expect("writer");
        let mut added = 0;
        while added * text.len() < 8_000_000 {
            let page = format!("{text}\nหน้า {added}");
            idx.add_tracked(&w, &doc(&format!("k{added}"), &page), false)
                .expect("add");
            added += 1;
        }
        let mut w = w;
        w.writer.commit().expect("commit");
        assert_eq!(w.queued(), 0, "every indexed document is released");
        let known = idx.known().expect("known");
        assert_eq!(known.len(), added);
        // A held key is replaced, not doubled.
        let changed = doc("k0", "ประกาศฉบับแก้ไข เรื่อง การประชุม");
        idx.add_tracked(&w, &changed, known.holds("k0"))
            .expect("add");
        w.writer.commit().expect("commit");
        let known = idx.known().expect("known");
        assert_eq!(known.len(), added);
        assert_eq!(known.same_content("k0", &changed.hash), Some(true));
    }
}

#[cfg(test)]
mod merge_tests {
    use std::collections::BTreeSet;

    use tantivy::collector::DocSetCollector;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::QueryParser;

    use super::queue_tests_doc as doc;
    use super::*;
    use crate::index::Analysis;

    /// Lines of the seed corpus, each a document.
    fn lines() -> Vec<String> {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds");
        let mut files: Vec<_> = std::fs::read_dir(&seeds)
            .expect("seeds")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        files
            .iter()
            .flat_map(|p| {
                let text = std::fs::read_to_string(p).expect("seed");
                text.lines()
                    .map(str::trim)
                    .filter(|l| l.chars().count() >= 8)
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .take(90)
            .collect()
    }

    /// Keys of the documents matching `query` in the grams view.
    fn keys(idx: &SarabanIndex, query: &str) -> BTreeSet<String> {
        let searcher = idx.reader.searcher();
        let parser = QueryParser::for_index(&idx.index, vec![idx.fields.grams]);
        let q = parser.parse_query(query).expect("query");
        searcher
            .search(&q, &DocSetCollector)
            .expect("search")
            .into_iter()
            .map(|a| {
                let d: TantivyDocument = searcher.doc(a).expect("doc");
                d.get_first(idx.fields.key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn merges_keep_every_document_once_and_every_hit() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let docs: Vec<IndexDoc> = lines()
            .iter()
            .enumerate()
            .map(|(i, l)| doc(&format!("k{i}"), l))
            .collect();
        assert!(docs.len() >= 60, "{} documents", docs.len());
        // Commits of three documents, one segment each: never merged ...
        let plain = SarabanIndex::open(&tmp.path().join("plain"), &analysis, true).expect("index");
        let mut w: IndexWriter = plain.writer(1).expect("writer");
        w.set_merge_policy(Box::new(NoMergePolicy));
        for chunk in docs.chunks(3) {
            for d in chunk {
                plain.add(&w, d).expect("add");
            }
            w.commit().expect("commit");
        }
        w.wait_merging_threads().expect("merges");
        plain.refresh().expect("refresh");
        // ... and merged by an ingest run, its tail at the end.
        let merged =
            SarabanIndex::open(&tmp.path().join("merged"), &analysis, true).expect("index");
        merged.set_max_merged_docs(40);
        let mut w = merged.ingest_writer(1).expect("writer");
        for chunk in docs.chunks(3) {
            for d in chunk {
                merged.add_tracked(&w, d, false).expect("add");
            }
            w.writer.commit().expect("commit");
        }
        w.finish().expect("finish");
        merged.refresh().expect("refresh");

        let n = docs.len() as u64;
        let segments = |i: &SarabanIndex| i.index.searchable_segment_metas().expect("metas");
        assert_eq!(plain.reader.searcher().num_docs(), n);
        assert_eq!(merged.reader.searcher().num_docs(), n);
        let (before, after) = (segments(&plain).len(), segments(&merged).len());
        assert_eq!(before, docs.len().div_ceil(3));
        assert!(after * 4 <= before, "{before} segments merged into {after}");
        assert!(
            segments(&merged).iter().all(|m| m.num_docs() <= 40),
            "no merge exceeds the cap"
        );
        // Every key once, every query the same documents.
        for d in &docs {
            let q = format!("key:\"{}\"", d.key);
            let parser = QueryParser::for_index(&merged.index, vec![merged.fields.key]);
            let q = parser.parse_query(&q).expect("key query");
            let hits = merged
                .reader
                .searcher()
                .search(&q, &DocSetCollector)
                .expect("search");
            assert_eq!(hits.len(), 1, "{}", d.key);
        }
        let mut matched = 0;
        for query in ["\"จังหวัด\"", "\"ประกาศ\"", "\"การ\"", "\"ที่\"", "\"๒๕\""]
        {
            let (a, b) = (keys(&plain, query), keys(&merged, query));
            assert_eq!(a, b, "{query}");
            matched += a.len();
        }
        assert!(matched > 0, "the queries match something");
    }
}
