//! Bulk ingest: walk paths, extract, tag and index in parallel, incrementally.
//!
//! * Folders are walked recursively, following symlinks (loops are reported).
//! * Each document is keyed by the canonical absolute path of its file (as
//!   bytes, so names that are not UTF-8 never collide; a JSON Lines record
//!   adds its `id` or line) and a content hash: an unchanged key is skipped,
//!   a changed one replaces its old version, a byte-identical copy under
//!   another path is reported as a duplicate and indexed once. Keys do not
//!   depend on the working directory; `source` (the path as walked, or the
//!   record's `id`) is what users see.
//! * Extraction and tagging run on a rayon pool; one writer thread adds
//!   documents and commits in batches, so memory stays bounded whatever the
//!   corpus size and a killed run leaves the last committed batch intact.
//! * A text longer than [`crate::parts::PART_BYTES`] is indexed in parts,
//!   each a document keyed by its file's key and its place
//!   ([`crate::index::keys::part_key`]): an unchanged file is skipped when
//!   every one of its parts is there, a changed one replaces all of them
//!   (however many it had), `--prune` removes them all, and only a few
//!   parts are in flight to the index at a time, so one huge text costs
//!   bounded memory beyond its own text.
//! * Every bad input is reported (to the caller's [`Reporter`] and an
//!   optional JSONL report file) and the rest goes on. The library never
//!   prints: progress and problems go to the [`Reporter`] the caller passes.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Condvar, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use crate::extract::{self, ExtractOptions, Kind};
use crate::index::keys::{part_hash, part_key, split_part_key};
use crate::index::writer::{
    Digest, IndexDoc, IngestWriter, Known, canonical, digest, id_for_source, key_path, path_key,
    record_key,
};
use crate::index::{Analysis, IndexError, SarabanIndex};
use crate::model::{Extracted, Format, Tagged};
use crate::pipeline::{tag_extracted, tag_part};

/// How serious a reported problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input (or line) was skipped.
    Error,
    /// The input was indexed, with a caveat (e.g. lossy decoding).
    Warning,
    /// The input is a byte-identical copy of another and was not indexed again.
    Duplicate,
}

/// One reported problem.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Problem {
    /// Path of the input.
    pub path: String,
    /// Line number inside a JSON Lines file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Error, warning or duplicate.
    pub severity: Severity,
    /// What went wrong.
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Duplicate => "duplicate",
        };
        match self.line {
            Some(l) => write!(f, "{what}: {}:{l}: {}", self.path, self.reason),
            None => write!(f, "{what}: {}: {}", self.path, self.reason),
        }
    }
}

/// Receives the progress and problems of an ingest run as they happen
/// (from worker threads, hence `Sync`). Every method defaults to doing
/// nothing; a command line draws a progress bar, a server may log.
pub trait Reporter: Sync {
    /// The walk is done: `files` inputs of `bytes` bytes in all will be read.
    fn start(&self, files: usize, bytes: u64) {
        let _ = (files, bytes);
    }
    /// `bytes` more bytes of input were read.
    fn advance(&self, bytes: u64) {
        let _ = bytes;
    }
    /// `done` of `total` inputs are finished.
    fn file_done(&self, done: usize, total: usize) {
        let _ = (done, total);
    }
    /// A problem was found (also counted in the summary and returned).
    fn problem(&self, problem: &Problem) {
        let _ = problem;
    }
    /// Everything is committed.
    fn finish(&self) {}
}

/// A [`Reporter`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Reporter for Silent {}

/// Options of one ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Remove documents whose files are gone.
    pub prune: bool,
    /// Write problems as JSON Lines here.
    pub report: Option<PathBuf>,
    /// Worker threads for extraction and tagging (0: all cores).
    pub threads: usize,
    /// Extraction settings.
    pub extract: ExtractOptions,
    /// Commit after this many documents.
    pub batch_docs: usize,
}

/// What an ingest run did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Documents added for the first time.
    pub added: usize,
    /// Documents that replaced an older version.
    pub replaced: usize,
    /// Documents skipped because they were unchanged.
    pub unchanged: usize,
    /// Byte-identical duplicates reported and skipped.
    pub duplicates: usize,
    /// Inputs (files or lines) that failed.
    pub failed: usize,
    /// Inputs indexed with a warning.
    pub warnings: usize,
    /// Documents removed by `--prune`.
    pub pruned: usize,
    /// Files found.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
}

enum Msg {
    Add(Box<IndexDoc>, bool),
    /// Delete the document under this key.
    Delete(String),
    /// Delete every document read from this file (a `path_key`).
    DeleteFile(String),
}

/// Where finished documents go: the index, or prepared records
/// ([`crate::prepared`]). Called from the one writer thread.
pub(crate) trait Sink: Send {
    /// Adds (or replaces) a document.
    fn add(&mut self, doc: &IndexDoc) -> Result<(), IndexError>;
    /// Adds a document when it is known whether the index may already
    /// hold its key (`replacing`): a new key needs no delete.
    fn add_keyed(&mut self, doc: &IndexDoc, replacing: bool) -> Result<(), IndexError> {
        let _ = replacing;
        self.add(doc)
    }
    /// Deletes the document stored under `key`.
    fn delete(&mut self, key: &str);
    /// Deletes every document read from `file` (a `path_key`); nothing by
    /// default, for sinks that hold no earlier documents.
    fn delete_file(&mut self, file: &str) {
        let _ = file;
    }
    /// Makes what was added so far durable.
    fn commit(&mut self) -> Result<(), IndexError>;
}

/// The index as a [`Sink`].
struct IndexSink<'a> {
    idx: &'a SarabanIndex,
    writer: IngestWriter,
}

impl Sink for IndexSink<'_> {
    fn add(&mut self, doc: &IndexDoc) -> Result<(), IndexError> {
        self.idx.add_tracked(&self.writer, doc, true)
    }
    fn add_keyed(&mut self, doc: &IndexDoc, replacing: bool) -> Result<(), IndexError> {
        self.idx.add_tracked(&self.writer, doc, replacing)
    }
    fn delete(&mut self, key: &str) {
        self.idx.delete_key(&self.writer.writer, key);
    }
    fn delete_file(&mut self, file: &str) {
        self.idx.delete_file(&self.writer.writer, file);
    }
    fn commit(&mut self) -> Result<(), IndexError> {
        self.writer
            .writer
            .commit()
            .map(|_| ())
            .map_err(|source| IndexError::Tantivy {
                path: self.idx.path.clone(),
                source,
            })
    }
}

/// State shared by the workers.
struct Shared<'a> {
    analysis: &'a Analysis,
    known: Known,
    /// Documents claimed this run, by content hash (see [`Seen`]).
    seen_hashes: Mutex<Seen>,
    /// Problems kept for the caller, and how many of each severity.
    problems: Mutex<(Vec<Problem>, [usize; 3])>,
    summary: Mutex<Summary>,
    reporter: &'a dyn Reporter,
    files_total: usize,
    files_done: std::sync::atomic::AtomicUsize,
    report: Option<Mutex<std::io::BufWriter<File>>>,
    opts: &'a IngestOptions,
    /// Set once the writer thread has stopped: extracting more is wasted.
    stopped: AtomicBool,
    /// The first error writing the report file (nothing more is written).
    report_error: Mutex<Option<std::io::Error>>,
    /// Byte-identical copies are indexed once (off when preparing records:
    /// copies are found where the records are indexed).
    dedupe: bool,
    /// Bytes of part text sent to the writer and not yet added.
    in_flight: Mutex<usize>,
    /// Signalled when the writer has added a part (or stopped).
    part_added: Condvar,
}

/// Bytes of part text that may wait for the writer at a time: a couple of
/// parts, so a huge text is read ahead of the index by little.
const PARTS_IN_FLIGHT: usize = 2 * crate::parts::PART_BYTES;

/// True when `old`, the keys the index holds the document keyed `unit`
/// under, are its own key with content `hash`, or every part of it with
/// that content: nothing to do for it.
pub(crate) fn holds_unchanged(known: &Known, unit: &str, old: &[String], hash: &str) -> bool {
    let held = |key: &str, want: &str| known.same_content(key, want) == Some(true);
    match old {
        [] => false,
        [only] if only == unit => held(unit, hash),
        parts => {
            let n = parts.len();
            let mut places = vec![false; n];
            parts.iter().all(|k| match split_part_key(k) {
                Some((_, i, count)) if count == n && !places[i - 1] => {
                    places[i - 1] = true;
                    held(k, &part_hash(hash, i, n))
                }
                _ => false,
            })
        }
    }
}

/// The keys under which `known` holds the document keyed `unit`: the keys
/// of its parts, and its own key.
pub(crate) fn old_keys(known: &Known, unit: &str) -> Vec<String> {
    let mut old = known.part_keys(unit).to_vec();
    if known.holds(unit) {
        old.push(unit.to_string());
    }
    old
}

/// A content hash claimed this run: by which key, and where it was read
/// (named when a copy turns up). Fixed size: a run keeps nothing per
/// document that grows with the document's names.
struct Claimed {
    key: Digest,
    /// Index of the file in [`Seen::paths`].
    path: u32,
    /// Line of a JSON Lines record (1-based), 0 for a whole file.
    line: u32,
}

/// What a run remembers of the documents it has claimed: one fixed-size
/// entry per document, and each file's path once (however many records
/// it holds).
#[derive(Default)]
struct Seen {
    by_hash: HashMap<Digest, Claimed>,
    paths: Vec<Box<str>>,
    path_ids: HashMap<Digest, u32>,
}

impl Seen {
    /// The number of `path` in [`Seen::paths`], added when new.
    fn path_id(&mut self, path: &str) -> u32 {
        let d = digest(path);
        if let Some(&id) = self.path_ids.get(&d) {
            return id;
        }
        let id = u32::try_from(self.paths.len()).unwrap_or(u32::MAX);
        self.paths.push(path.into());
        self.path_ids.insert(d, id);
        id
    }

    /// A claimed document as a problem names it: its file, and the line of
    /// a JSON Lines record (`file.jsonl:12`).
    fn origin(&self, c: &Claimed) -> String {
        let path = self.paths.get(c.path as usize).map_or("?", |p| p);
        match c.line {
            0 => path.to_string(),
            l => format!("{path}:{l}"),
        }
    }
}

/// Problems of each severity kept in memory for the caller; every one is
/// still counted and streamed to stderr and the report.
pub const KEPT_PROBLEMS: usize = 1000;

impl Shared<'_> {
    fn problem(&self, p: Problem) {
        self.reporter.problem(&p);
        if let Some(r) = &self.report
            && let Ok(mut w) = r.lock()
            && let Ok(mut failed) = self.report_error.lock()
            && failed.is_none()
        {
            let written = serde_json::to_writer(&mut *w, &p)
                .map_err(std::io::Error::from)
                .and_then(|()| w.write_all(b"\n"));
            if let Err(e) = written {
                *failed = Some(e);
            }
        }
        if let Ok(mut s) = self.summary.lock() {
            match p.severity {
                Severity::Error => s.failed += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Duplicate => s.duplicates += 1,
            }
        }
        if let Ok(mut kept) = self.problems.lock() {
            let (list, per) = &mut *kept;
            let n = &mut per[p.severity as usize];
            if *n < KEPT_PROBLEMS {
                *n += 1;
                list.push(p);
            }
        }
    }

    /// Hands a message to the writer; once the writer has stopped (it
    /// failed), marks the run stopped so workers extract nothing more.
    fn send(&self, tx: &SyncSender<Msg>, msg: Msg) {
        if tx.send(msg).is_err() {
            self.stopped.store(true, Ordering::Relaxed);
        }
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    fn file_done(&self) {
        let done = self
            .files_done
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        self.reporter.file_done(done, self.files_total);
    }

    fn count(&self, f: impl FnOnce(&mut Summary)) {
        if let Ok(mut s) = self.summary.lock() {
            f(&mut s);
        }
    }

    /// Skips an unchanged key: `None` when the index already holds this
    /// key with this content, else `Some(replacing)`.
    fn changed(&self, key: &str, hash: &str) -> Option<bool> {
        let old = self.known.same_content(key, hash);
        if old == Some(true) {
            self.count(|s| s.unchanged += 1);
            return None;
        }
        Some(old.is_some())
    }

    /// The keys under which the index holds the document keyed `unit`:
    /// its own key, and the keys of its parts.
    fn old_keys(&self, unit: &str) -> Vec<String> {
        old_keys(&self.known, unit)
    }

    /// Skips an unchanged document that may be stored in parts: `None` when
    /// the index holds it whole with this content, or every one of its
    /// parts with this content (a run stopped halfway leaves an incomplete
    /// set, which is indexed again); else `Some` of every key it is held
    /// under now (none when it is new), all to be replaced.
    fn changed_unit(&self, unit: &str, hash: &str) -> Option<Vec<String>> {
        let old = self.old_keys(unit);
        if holds_unchanged(&self.known, unit, &old, hash) {
            self.count(|s| s.unchanged += old.len());
            return None;
        }
        Some(old)
    }

    /// Waits until `bytes` more of part text may go to the writer; `false`
    /// when the writer has stopped.
    fn reserve(&self, bytes: usize) -> bool {
        let Ok(mut in_flight) = self.in_flight.lock() else {
            return false;
        };
        while *in_flight > 0 && *in_flight + bytes > PARTS_IN_FLIGHT {
            if self.stopped() {
                return false;
            }
            match self
                .part_added
                .wait_timeout(in_flight, std::time::Duration::from_millis(100))
            {
                Ok((guard, _)) => in_flight = guard,
                Err(_) => return false,
            }
        }
        *in_flight += bytes;
        !self.stopped()
    }

    /// The writer is done with a part of `bytes` bytes of text.
    fn release(&self, bytes: usize) {
        if let Ok(mut in_flight) = self.in_flight.lock() {
            *in_flight = in_flight.saturating_sub(bytes);
        }
        self.part_added.notify_all();
    }

    /// Claims `hash` for `key` once its document is ready to index;
    /// reports and returns `true` when another key already has it.
    /// (Claiming after extraction means a file that fails never makes an
    /// identical copy of it count as a duplicate.)
    fn is_duplicate(&self, key: &str, hash: &str, path: &str, line: Option<usize>) -> bool {
        if !self.dedupe {
            return false;
        }
        let Ok(mut seen) = self.seen_hashes.lock() else {
            return false;
        };
        let hash_digest = digest(hash);
        let key_digest = digest(key);
        let other = match seen.by_hash.get(&hash_digest) {
            Some(c) => (c.key != key_digest).then(|| seen.origin(c)),
            None => {
                // A part of a document claims by its place: the same part
                // of this very document (held from a run that stopped
                // halfway) is no copy of it.
                let own = match split_part_key(hash) {
                    Some((_, part, parts)) if split_part_key(key).is_none() => {
                        part_key(key, part, parts)
                    }
                    _ => key.to_string(),
                };
                self.known.copy_of(hash, &own)
            }
        };
        if let Some(other) = other {
            drop(seen);
            self.problem(Problem {
                path: path.to_string(),
                line,
                severity: Severity::Duplicate,
                reason: format!("same content as {other}; indexed once"),
            });
            return true;
        }
        let claimed = Claimed {
            key: key_digest,
            path: seen.path_id(path),
            line: line.map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX)),
        };
        seen.by_hash.insert(hash_digest, claimed);
        false
    }
}

/// A file found by the walk.
struct Input {
    /// The path as walked (shown).
    path: PathBuf,
    /// [`path_key`] of the canonical path.
    key: String,
    kind: Kind,
    size: u64,
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Deepest folder level walked below a root.
const MAX_WALK_DEPTH: usize = 64;

/// Walks the given paths; problems for unreadable or unsupported inputs.
/// Symlinked folders are followed while they stay inside the root's tree
/// (loops are reported by the walker); one that leads out of it (a link to
/// `/`) is named and skipped. FIFOs, sockets and devices are named and never
/// opened.
fn walk(paths: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<Input> {
    let not_a_file = |path: &Path, ft: &std::fs::FileType| Problem {
        path: display(path),
        line: None,
        severity: Severity::Error,
        reason: extract::ExtractError::NotAFile(extract::special_kind(ft)).to_string(),
    };
    let mut inputs = Vec::new();
    let mut seen = HashSet::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                problems.push(Problem {
                    path: display(root),
                    line: None,
                    severity: Severity::Error,
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_file() {
            match extract::kind_of(root) {
                Some(kind) => {
                    let key = path_key(&canonical(root));
                    if seen.insert(key.clone()) {
                        inputs.push(Input {
                            path: root.clone(),
                            key,
                            kind,
                            size: meta.len(),
                        });
                    }
                }
                None => problems.push(Problem {
                    path: display(root),
                    line: None,
                    severity: Severity::Error,
                    reason:
                        "unsupported file type (txt, html, pdf, png/jpg/tif, docx, jsonl, jsonl.gz)"
                            .into(),
                }),
            }
            continue;
        }
        if !meta.is_dir() {
            problems.push(not_a_file(root, &meta.file_type()));
            continue;
        }
        let tree = canonical(root);
        let mut escaped = Vec::new();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .max_depth(MAX_WALK_DEPTH)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                if e.file_name().to_string_lossy().starts_with('.') {
                    return false;
                }
                if e.path_is_symlink() && e.file_type().is_dir() {
                    let target = canonical(e.path());
                    if !target.starts_with(&tree) {
                        escaped.push(Problem {
                            path: display(e.path()),
                            line: None,
                            severity: Severity::Error,
                            reason: format!(
                                "symbolic link to {} leads out of {}; not followed",
                                target.display(),
                                root.display()
                            ),
                        });
                        return false;
                    }
                }
                true
            });
        for entry in walker {
            match entry {
                Ok(e) => {
                    let ft = e.file_type();
                    if ft.is_dir() {
                        continue;
                    }
                    if !ft.is_file() {
                        if extract::kind_of(e.path()).is_some() {
                            problems.push(not_a_file(e.path(), &ft));
                        }
                        continue;
                    }
                    let Some(kind) = extract::kind_of(e.path()) else {
                        continue;
                    };
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    let path = e.into_path();
                    let key = path_key(&canonical(&path));
                    if seen.insert(key.clone()) {
                        inputs.push(Input {
                            path,
                            key,
                            kind,
                            size,
                        });
                    }
                }
                Err(e) => problems.push(Problem {
                    path: e.path().map(display).unwrap_or_else(|| display(root)),
                    line: None,
                    severity: Severity::Error,
                    reason: format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    ),
                }),
            }
        }
        problems.append(&mut escaped);
    }
    inputs
}

/// A file the walk found: the path as walked, its [`path_key`] and size.
#[derive(Debug, Clone)]
pub struct WalkedFile {
    /// The path as walked.
    pub path: PathBuf,
    /// Key of its canonical path.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
}

/// The files `ingest` would read under `paths`, in the order it walks them,
/// and the problems of the walk (unreadable or unsupported inputs).
pub fn walk_files(paths: &[PathBuf]) -> (Vec<WalkedFile>, Vec<Problem>) {
    let mut problems = Vec::new();
    let files = walk(paths, &mut problems)
        .into_iter()
        .map(|i| WalkedFile {
            path: i.path,
            key: i.key,
            size: i.size,
        })
        .collect();
    (files, problems)
}

/// Ingests `paths` into the index, silently. Returns the summary and the
/// first [`KEPT_PROBLEMS`] problems of each severity.
pub fn ingest(
    idx: &SarabanIndex,
    analysis: &Analysis,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<(Summary, Vec<Problem>), IndexError> {
    ingest_with(idx, analysis, paths, opts, &Silent)
}

/// Ingests `paths` into the index, telling `reporter` how it goes. Returns
/// the summary and the first [`KEPT_PROBLEMS`] problems of each severity
/// (every problem is counted in the summary and given to the reporter and
/// the report file as it happens).
pub fn ingest_with(
    idx: &SarabanIndex,
    analysis: &Analysis,
    paths: &[PathBuf],
    opts: &IngestOptions,
    reporter: &dyn Reporter,
) -> Result<(Summary, Vec<Problem>), IndexError> {
    let known = idx.known()?;
    let mut sink = IndexSink {
        idx,
        writer: idx.ingest_writer(2)?,
    };
    let run = Run {
        analysis,
        known,
        dedupe: true,
        opts,
        reporter,
        at: &idx.path,
    };
    let done = run.walk_and_process(paths, &mut sink);
    let _ = sink.writer.finish();
    let done = done?;
    reporter.finish();
    done.finish(opts)
}

/// Extracts and tags `paths` exactly as [`ingest_with`] does, handing each
/// document to `sink` instead of the index: nothing is known beforehand and
/// copies are not looked for (that happens where the documents are indexed).
pub(crate) fn prepare_with(
    analysis: &Analysis,
    paths: &[PathBuf],
    opts: &IngestOptions,
    reporter: &dyn Reporter,
    sink: &mut dyn Sink,
) -> Result<(Summary, Vec<Problem>), IndexError> {
    let run = Run {
        analysis,
        known: Known::default(),
        dedupe: false,
        opts,
        reporter,
        at: Path::new("-"),
    };
    let done = run.walk_and_process(paths, sink)?;
    reporter.finish();
    done.finish(opts)
}

/// One prepared document or problem handed to [`index_prepared`].
pub(crate) enum Prepared {
    /// A document extracted and tagged elsewhere, with its bytes.
    Doc(Box<IndexDoc>, u64),
    /// A problem found where the document was prepared.
    Problem(Problem),
}

/// Indexes prepared documents as [`ingest_with`] would have indexed them
/// had it read their files itself: unchanged keys are skipped, a changed key
/// replaces its old version, a byte-identical copy is reported and indexed
/// once, and warnings and problems are reported as they come.
pub(crate) fn index_prepared(
    idx: &SarabanIndex,
    analysis: &Analysis,
    records: &mut dyn Iterator<Item = Prepared>,
    opts: &IngestOptions,
    reporter: &dyn Reporter,
) -> Result<(Summary, Vec<Problem>), IndexError> {
    let known = idx.known()?;
    let mut sink = IndexSink {
        idx,
        writer: idx.ingest_writer(2)?,
    };
    let run = Run {
        analysis,
        known,
        dedupe: true,
        opts,
        reporter,
        at: &idx.path,
    };
    let shared = run.shared(0)?;
    let batch = opts.batch_docs.max(1);
    let mut pending = 0usize;
    let mut files = HashSet::new();
    let mut units: HashSet<String> = HashSet::new();
    let mut written: Result<(), IndexError> = Ok(());
    for record in records {
        let doc = match record {
            Prepared::Problem(p) => {
                files.insert(p.path.clone());
                shared.problem(p);
                continue;
            }
            Prepared::Doc(doc, bytes) => {
                shared.count(|s| s.bytes += bytes);
                doc
            }
        };
        files.insert(doc.file.clone());
        // The first part of a document seen replaces every old key of it
        // that the new parts do not reuse (a file that shrank from nine
        // parts to three, or was whole before).
        let part = split_part_key(&doc.key);
        let unit = part.map_or(doc.key.as_str(), |(unit, _, _)| unit);
        if (part.is_some() || shared.known.in_parts(unit)) && !units.contains(unit) {
            let count = part.map(|(_, _, n)| n);
            for key in shared.old_keys(unit) {
                if split_part_key(&key).map(|(_, _, n)| n) != count {
                    sink.delete(&key);
                }
            }
            units.insert(unit.to_string());
        }
        let Some(replacing) = shared.changed(&doc.key, &doc.hash) else {
            continue;
        };
        let (path, line) = prepared_origin(&doc);
        for w in &doc.extracted.warnings {
            shared.problem(Problem {
                path: path.clone(),
                line,
                severity: Severity::Warning,
                reason: w.clone(),
            });
        }
        if shared.is_duplicate(&doc.key, &doc.hash, &path, line) {
            if replacing {
                sink.delete(&doc.key);
            }
            continue;
        }
        // Always replaced by key: prepared records from several places may
        // name one key twice, which a run reading files never does.
        if let Err(e) = sink.add(&doc) {
            written = Err(e);
            break;
        }
        shared.count(|s| {
            if replacing {
                s.replaced += 1
            } else {
                s.added += 1
            }
        });
        pending += 1;
        if pending >= batch {
            if let Err(e) = sink.commit() {
                written = Err(e);
                break;
            }
            pending = 0;
        }
    }
    shared.count(|s| s.files = files.len());
    let commit = sink.commit();
    let _ = sink.writer.finish();
    written?;
    commit?;
    reporter.finish();
    shared.finish(opts)
}

/// The file a prepared document was read from (as shown) and its line
/// inside a JSON Lines file, for its problems.
fn prepared_origin(doc: &IndexDoc) -> (String, Option<usize>) {
    if split_part_key(&doc.key).is_some() {
        return (key_path(&doc.file).to_string_lossy().into_owned(), None);
    }
    if doc.extracted.format != Format::Jsonl {
        return (doc.source.clone(), None);
    }
    let path = key_path(&doc.file).to_string_lossy().into_owned();
    let line = doc
        .key
        .rsplit_once("#line:")
        .and_then(|(_, l)| l.parse().ok());
    (path, line)
}

/// What one run needs besides its inputs and its sink.
struct Run<'a> {
    analysis: &'a Analysis,
    known: Known,
    dedupe: bool,
    opts: &'a IngestOptions,
    reporter: &'a dyn Reporter,
    /// Named in errors that are not about one input.
    at: &'a Path,
}

impl<'a> Run<'a> {
    /// The state the workers share, the report file opened.
    fn shared(self, files: usize) -> Result<Shared<'a>, IndexError> {
        // Every document is tagged: compile the matchers before the first one.
        self.analysis.tagger.compile()?;
        let report = match &self.opts.report {
            Some(p) => Some(Mutex::new(std::io::BufWriter::new(
                File::create(p).map_err(|source| IndexError::Report {
                    path: p.clone(),
                    source,
                })?,
            ))),
            None => None,
        };
        Ok(Shared {
            analysis: self.analysis,
            in_flight: Mutex::new(0),
            part_added: Condvar::new(),
            known: self.known,
            seen_hashes: Mutex::new(Seen::default()),
            problems: Mutex::new((Vec::new(), [0; 3])),
            summary: Mutex::new(Summary {
                files,
                ..Summary::default()
            }),
            reporter: self.reporter,
            files_total: files,
            files_done: std::sync::atomic::AtomicUsize::new(0),
            report,
            opts: self.opts,
            stopped: AtomicBool::new(false),
            report_error: Mutex::new(None),
            dedupe: self.dedupe,
        })
    }

    /// Walks `paths`, extracts and tags on the pool and hands every
    /// document to `sink` on one writer thread, committing in batches.
    fn walk_and_process(
        self,
        paths: &[PathBuf],
        sink: &mut dyn Sink,
    ) -> Result<Shared<'a>, IndexError> {
        let mut problems = Vec::new();
        let inputs = walk(paths, &mut problems);
        let total_bytes: u64 = inputs.iter().map(|i| i.size).sum();
        self.reporter.start(inputs.len(), total_bytes);
        let (at, opts) = (self.at.to_path_buf(), self.opts);
        let shared = self.shared(inputs.len())?;
        for p in problems.drain(..) {
            shared.problem(p);
        }
        let (tx, rx) = sync_channel::<Msg>(256);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .build()
            .map_err(|e| IndexError::Io {
                path: at.clone(),
                source: std::io::Error::other(e.to_string()),
            })?;
        let batch = opts.batch_docs.max(1);
        let write_result: Result<(), IndexError> = std::thread::scope(|scope| {
            let shared = &shared;
            let sink_ref = &mut *sink;
            let handle = scope.spawn(move || -> Result<(), IndexError> {
                let written = write_all(shared, rx, sink_ref, batch);
                if written.is_err() {
                    // Workers waiting to send parts must not wait for it.
                    shared.stopped.store(true, Ordering::Relaxed);
                    shared.part_added.notify_all();
                }
                written
            });
            pool.install(|| {
                inputs.par_iter().for_each_with(tx.clone(), |tx, input| {
                    // Last line of defence: a panic costs its file, not the run.
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        process_input(shared, input, tx)
                    }));
                    if done.is_err() {
                        shared.problem(Problem {
                            path: display(&input.path),
                            line: None,
                            severity: Severity::Error,
                            reason: "processing failed unexpectedly (malformed file)".into(),
                        });
                    }
                    // JSON Lines advance the bar as they are read.
                    if !matches!(input.kind, Kind::Jsonl | Kind::JsonlGz) {
                        shared.reporter.advance(input.size);
                    }
                    shared.file_done();
                });
            });
            if opts.prune {
                for (file, docs) in shared.known.gone_files() {
                    shared.send(&tx, Msg::DeleteFile(file.to_string()));
                    shared.count(|s| s.pruned += docs as usize);
                }
            }
            drop(tx);
            handle.join().unwrap_or_else(|_| {
                Err(IndexError::Io {
                    path: at.clone(),
                    source: std::io::Error::other("index writer thread failed"),
                })
            })
        });
        // Commit what was written even when the writer stopped on an error.
        let commit = sink.commit();
        write_result?;
        commit?;
        Ok(shared)
    }
}

/// The writer's loop: adds and deletes what the workers send, committing
/// every `batch` changes, and gives back the budget of every part it adds.
fn write_all(
    shared: &Shared<'_>,
    rx: std::sync::mpsc::Receiver<Msg>,
    sink: &mut dyn Sink,
    batch: usize,
) -> Result<(), IndexError> {
    let mut pending = 0usize;
    for msg in rx {
        match msg {
            Msg::Add(doc, replacing) => {
                let added = sink.add_keyed(&doc, replacing);
                if split_part_key(&doc.key).is_some() {
                    shared.release(doc.extracted.text.len());
                }
                added?;
                shared.count(|s| {
                    if replacing {
                        s.replaced += 1
                    } else {
                        s.added += 1
                    }
                });
                pending += 1;
            }
            Msg::Delete(key) => {
                sink.delete(&key);
                pending += 1;
            }
            Msg::DeleteFile(file) => {
                sink.delete_file(&file);
                pending += 1;
            }
        }
        if pending >= batch {
            sink.commit()?;
            pending = 0;
        }
    }
    Ok(())
}

impl Shared<'_> {
    /// Flushes the report and hands back the summary and kept problems.
    fn finish(self, opts: &IngestOptions) -> Result<(Summary, Vec<Problem>), IndexError> {
        // The documents are committed; a report that could not be written
        // (a full disk) is still the run's error, never an empty file in silence.
        if let (Some(path), Some(r)) = (&opts.report, &self.report) {
            let flushed = match r.lock() {
                Ok(mut w) => w.flush(),
                Err(_) => Ok(()),
            };
            let earlier = self.report_error.lock().ok().and_then(|mut e| e.take());
            if let Some(source) = earlier.or(flushed.err()) {
                return Err(IndexError::Report {
                    path: path.clone(),
                    source,
                });
            }
        }
        let summary = self.summary.into_inner().unwrap_or_default();
        let problems = self.problems.into_inner().unwrap_or_default().0;
        Ok((summary, problems))
    }
}

fn process_input(shared: &Shared<'_>, input: &Input, tx: &SyncSender<Msg>) {
    if shared.stopped() {
        return;
    }
    let path = display(&input.path);
    match input.kind {
        Kind::Jsonl | Kind::JsonlGz => process_jsonl(shared, input, tx),
        _ => {
            let err = |reason: String| Problem {
                path: path.clone(),
                line: None,
                severity: Severity::Error,
                reason,
            };
            if input.size > shared.opts.extract.max_file_bytes {
                shared.problem(err(format!(
                    "file is {} bytes, over the limit of {} bytes",
                    input.size, shared.opts.extract.max_file_bytes
                )));
                return;
            }
            let bytes = match extract::read_file(&input.path, shared.opts.extract.max_file_bytes) {
                Ok(b) => b,
                Err(e @ (extract::ExtractError::Io(_) | extract::ExtractError::NotAFile(_))) => {
                    shared.problem(err(format!("cannot read: {e}")));
                    return;
                }
                Err(e) => {
                    shared.problem(err(e.to_string()));
                    return;
                }
            };
            shared.count(|s| s.bytes += bytes.len() as u64);
            let hash = blake3::hash(&bytes).to_hex().to_string();
            let Some(old) = shared.changed_unit(&input.key, &hash) else {
                return;
            };
            // The bytes go to extraction: a long text file's become its text.
            let extracted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                extract::extract_owned(bytes, input.kind, &shared.opts.extract)
            }));
            let extracted = match extracted {
                Ok(Ok(ex)) => ex,
                Ok(Err(e)) => {
                    shared.problem(err(e.to_string()));
                    return;
                }
                Err(_) => {
                    shared.problem(err("extraction failed unexpectedly (malformed file)".into()));
                    return;
                }
            };
            for w in &extracted.warnings {
                shared.problem(Problem {
                    path: path.clone(),
                    line: None,
                    severity: Severity::Warning,
                    reason: w.clone(),
                });
            }
            let ranges = crate::parts::part_ranges(&extracted.text);
            let n = ranges.len();
            // Copies are found by the whole text's hash, or by the first
            // part's, which a copy stored in parts has too.
            let claim = if n == 1 {
                hash.clone()
            } else {
                part_hash(&hash, 1, n)
            };
            if shared.is_duplicate(&input.key, &claim, &path, None) {
                // Its old version must not stay searchable.
                for key in old {
                    shared.send(tx, Msg::Delete(key));
                }
                return;
            }
            let replacing = !old.is_empty();
            let doc = Unit {
                key: &input.key,
                file: &input.key,
                source: &path,
                id: None,
                date: None,
                hash: &hash,
                replacing,
            };
            if n == 1 {
                for key in old.into_iter().filter(|k| k != &input.key) {
                    shared.send(tx, Msg::Delete(key));
                }
                let tagged = tag_extracted(&shared.analysis.tagger, &extracted);
                shared.send(tx, doc.whole(extracted, tagged));
            } else {
                // A part's key names the count: every old key whose count
                // differs (or the whole document's) goes.
                for key in old {
                    if split_part_key(&key).is_none_or(|(_, _, count)| count != n) {
                        shared.send(tx, Msg::Delete(key));
                    }
                }
                send_parts(shared, &doc, &extracted, &ranges, tx);
            }
        }
    }
}

/// A document about to be indexed (whole or in parts): the key of the
/// document, as shown, its content hash and whether it replaces an old one.
struct Unit<'a> {
    key: &'a str,
    /// The file's key (the document's own for a file).
    file: &'a str,
    source: &'a str,
    /// A JSON Lines record's own id (a file's id is made from its key).
    id: Option<&'a str>,
    /// A JSON Lines record's own date, which wins over the text's.
    date: Option<&'a str>,
    hash: &'a str,
    replacing: bool,
}

impl Unit<'_> {
    /// The message adding the whole document.
    fn whole(&self, extracted: Extracted, tagged: Tagged) -> Msg {
        Msg::Add(Box::new(self.whole_doc(extracted, tagged)), self.replacing)
    }

    /// The whole document.
    fn whole_doc(&self, extracted: Extracted, tagged: Tagged) -> IndexDoc {
        IndexDoc {
            id: self
                .id
                .map_or_else(|| id_for_source(self.key), str::to_string),
            source: self.source.to_string(),
            key: self.key.to_string(),
            file: self.file.to_string(),
            hash: self.hash.to_string(),
            extracted,
            tagged,
        }
    }
}

/// Tags and sends the parts of a document one after the other, never more
/// than [`PARTS_IN_FLIGHT`] bytes of them ahead of the writer. Each part is
/// a document: its id, title and source say which part of how many it is.
fn send_parts(
    shared: &Shared<'_>,
    doc: &Unit<'_>,
    whole: &Extracted,
    ranges: &[std::ops::Range<usize>],
    tx: &SyncSender<Msg>,
) {
    let n = ranges.len();
    let own = crate::parts::own_chars(&whole.text, ranges);
    let mut first: Option<Tagged> = None;
    for (i, (range, own_end)) in ranges.iter().zip(own).enumerate() {
        let place = crate::parts::place(i + 1, n);
        let text = whole.text[range.clone()].to_string();
        if !shared.reserve(text.len()) {
            return;
        }
        let extracted = Extracted {
            title: Some(match &whole.title {
                Some(t) => format!("{t} ({place})"),
                None => place.clone(),
            }),
            text,
            format: whole.format,
            encoding: whole.encoding.clone(),
            warnings: if i == 0 {
                whole.warnings.clone()
            } else {
                Vec::new()
            },
            ocr_digits: whole.ocr_digits.clone(),
        };
        let mut tagged = tag_part(&shared.analysis.tagger, &extracted, own_end, first.as_ref());
        if i == 0 {
            if let Some(d) = doc.date {
                tagged.doc_date = Some(d.to_string());
            }
            first = Some(tagged.clone());
        }
        let key = part_key(doc.key, i + 1, n);
        let part = IndexDoc {
            id: doc
                .id
                .map_or_else(|| id_for_source(&key), |id| part_key(id, i + 1, n)),
            source: format!("{} ({place})", doc.source),
            key,
            file: doc.file.to_string(),
            hash: part_hash(doc.hash, i + 1, n),
            extracted,
            tagged,
        };
        shared.send(tx, Msg::Add(Box::new(part), doc.replacing));
    }
}

/// Reports the bytes read from a file as progress.
struct ProgressReader<'a, R> {
    inner: R,
    progress: &'a dyn Reporter,
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// One JSON Lines record.
#[derive(serde::Deserialize)]
struct Record {
    text: Option<String>,
    id: Option<serde_json::Value>,
    title: Option<String>,
    date: Option<String>,
}

/// Lines handed to the pool at a time.
const JSONL_CHUNK: usize = 256;

/// Bytes of lines handed to the pool at a time (a chunk closes at either).
const JSONL_CHUNK_BYTES: usize = 64 << 20;

/// Largest expansion of a `.jsonl.gz` file over its compressed size (text
/// compresses 5-10x; a bomb 1000x).
const GZ_MAX_RATIO: u64 = 100;

/// Smallest decompression limit of a `.jsonl.gz` file (small files of
/// repetitive records may expand more than text usually does).
const GZ_MIN_LIMIT: u64 = 16 << 20;

/// Bytes a `.jsonl.gz` file of `size` bytes may decompress to: 100x its
/// size, and at least 16 MiB.
fn gz_limit(size: u64) -> u64 {
    size.saturating_mul(GZ_MAX_RATIO).max(GZ_MIN_LIMIT)
}

/// Stops a decompressor with an error once it has produced `limit` bytes.
struct CappedReader<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // Anything more is over the limit; end quietly when there is not.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "decompresses to more than {} bytes (100 times the compressed size, at least 16 MiB); the rest is skipped",
                    self.limit
                ))),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// What [`read_line_capped`] found.
enum Line {
    /// End of input.
    End,
    /// A line (with its newline, if any) is in the buffer.
    Read,
    /// The line had this many bytes, over the cap; it was skipped without
    /// being held in memory.
    TooLong(u64),
}

/// Reads one line of at most `cap` bytes (newline excluded) into `buf`.
fn read_line_capped<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, cap: usize) -> std::io::Result<Line> {
    let mut seen: u64 = 0;
    let mut over = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(if over {
                Line::TooLong(seen)
            } else if seen == 0 {
                Line::End
            } else {
                Line::Read
            });
        }
        let (take, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        seen += take as u64;
        let content = seen - u64::from(done);
        if !over && content > cap as u64 {
            over = true;
            *buf = Vec::new();
        }
        if !over {
            buf.extend_from_slice(&avail[..take]);
        }
        r.consume(take);
        if done {
            return Ok(if over {
                Line::TooLong(seen)
            } else {
                Line::Read
            });
        }
    }
}

fn process_jsonl(shared: &Shared<'_>, input: &Input, tx: &SyncSender<Msg>) {
    let path = display(&input.path);
    let file = match extract::open_regular(&input.path) {
        Ok(f) => f,
        Err(e) => {
            shared.problem(Problem {
                path,
                line: None,
                severity: Severity::Error,
                reason: format!("cannot read: {e}"),
            });
            return;
        }
    };
    let file = ProgressReader {
        inner: file,
        progress: shared.reporter,
    };
    let limit = shared.opts.extract.max_file_bytes;
    let reader: Box<dyn Read + '_> = if input.kind == Kind::JsonlGz {
        Box::new(CappedReader {
            inner: flate2::read::MultiGzDecoder::new(file),
            left: gz_limit(input.size),
            limit: gz_limit(input.size),
        })
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut line_no = 0usize;
    let mut seen_ids = SeenIds::new();
    let mut chunk: Vec<(usize, Vec<u8>)> = Vec::with_capacity(JSONL_CHUNK);
    let mut chunk_bytes = 0usize;
    // A record is one document: `--max-file-mb` caps each line.
    let line_cap = usize::try_from(limit).unwrap_or(usize::MAX);
    loop {
        if shared.stopped() {
            return;
        }
        let mut buf = Vec::new();
        match read_line_capped(&mut reader, &mut buf, line_cap) {
            Ok(Line::End) => break,
            Ok(Line::TooLong(size)) => {
                line_no += 1;
                shared.count(|s| s.bytes += size);
                shared.problem(Problem {
                    path: path.clone(),
                    line: Some(line_no),
                    severity: Severity::Error,
                    reason: format!("record is {size} bytes, over the limit of {limit} bytes"),
                });
            }
            Ok(Line::Read) => {
                line_no += 1;
                chunk_bytes += buf.len();
                chunk.push((line_no, buf));
                if chunk.len() >= JSONL_CHUNK || chunk_bytes >= JSONL_CHUNK_BYTES {
                    let chunk = std::mem::take(&mut chunk);
                    chunk_bytes = 0;
                    process_chunk(shared, input, &path, chunk, &mut seen_ids, tx);
                }
            }
            Err(e) => {
                shared.problem(Problem {
                    path: path.clone(),
                    line: Some(line_no + 1),
                    severity: Severity::Error,
                    reason: format!("cannot read further: {e}"),
                });
                break;
            }
        }
    }
    process_chunk(shared, input, &path, chunk, &mut seen_ids, tx);
}

/// A record's `id` as a string: a non-empty string or a number.
fn id_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `id` of a JSON Lines record, read without its text.
fn line_id(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    let text = String::from_utf8_lossy(bytes.trim_ascii());
    let r: IdOnly = serde_json::from_str(&text).ok()?;
    r.id.as_ref().and_then(id_string)
}

/// Ids already seen in one JSON Lines file (as hashes: bounded memory) and
/// the line each was first seen on.
type SeenIds = HashMap<[u8; 16], usize>;

fn process_chunk(
    shared: &Shared<'_>,
    input: &Input,
    path: &str,
    chunk: Vec<(usize, Vec<u8>)>,
    seen_ids: &mut SeenIds,
    tx: &SyncSender<Msg>,
) {
    // A repeated id inside one file is the file's mistake: the first record
    // is kept and every later one reported, in line order whatever the
    // thread timing.
    let ids: Vec<Option<String>> = chunk.par_iter().map(|(_, b)| line_id(b)).collect();
    let mut keep = Vec::with_capacity(chunk.len());
    for ((line, bytes), id) in chunk.into_iter().zip(ids) {
        if let Some(id) = id {
            let mut h = [0u8; 16];
            h.copy_from_slice(&blake3::hash(id.as_bytes()).as_bytes()[..16]);
            if let Some(first) = seen_ids.get(&h) {
                shared.count(|s| s.bytes += bytes.len() as u64);
                shared.problem(Problem {
                    path: path.to_string(),
                    line: Some(line),
                    severity: Severity::Error,
                    reason: format!(
                        "duplicate id {id:?} (first on line {first}); this record was not indexed"
                    ),
                });
                continue;
            }
            seen_ids.insert(h, line);
        }
        keep.push((line, bytes));
    }
    keep.into_par_iter()
        .for_each_with(tx.clone(), |tx, (line, bytes)| {
            shared.count(|s| s.bytes += bytes.len() as u64);
            let doc = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                jsonl_doc(shared, input, path, line, &bytes, tx)
            }));
            match doc {
                Ok(Some((doc, replacing))) => shared.send(tx, Msg::Add(Box::new(doc), replacing)),
                Ok(None) => {}
                Err(_) => shared.problem(Problem {
                    path: path.to_string(),
                    line: Some(line),
                    severity: Severity::Error,
                    reason: "processing failed unexpectedly (malformed record)".into(),
                }),
            }
        });
}

fn jsonl_doc(
    shared: &Shared<'_>,
    input: &Input,
    path: &str,
    line: usize,
    bytes: &[u8],
    tx: &SyncSender<Msg>,
) -> Option<(IndexDoc, bool)> {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return None;
    }
    let err = |reason: String| Problem {
        path: path.to_string(),
        line: Some(line),
        severity: Severity::Error,
        reason,
    };
    let (text_line, lossy) = match std::str::from_utf8(trimmed) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(trimmed), true),
    };
    let record: Record = match serde_json::from_str(&text_line) {
        Ok(r) => r,
        Err(e) => {
            shared.problem(err(format!("malformed JSON: {e}")));
            return None;
        }
    };
    let Some(raw_text) = record.text else {
        shared.problem(err("record has no \"text\" field".into()));
        return None;
    };
    let id = record.id.as_ref().and_then(id_string);
    let key = record_key(&input.key, id.as_deref(), line);
    let source = id.clone().unwrap_or_else(|| format!("{path}#{line}"));
    let hash = blake3::hash(trimmed).to_hex().to_string();
    let old = shared.changed_unit(&key, &hash)?;
    let replacing = !old.is_empty();
    if lossy {
        shared.problem(Problem {
            path: path.to_string(),
            line: Some(line),
            severity: Severity::Warning,
            reason: "invalid UTF-8 replaced".into(),
        });
    }
    let text = extract::remove_furniture(&crate::normalize::repair(&raw_text));
    drop(raw_text);
    if text.trim().is_empty() {
        shared.problem(err("empty \"text\"".into()));
        return None;
    }
    let ranges = crate::parts::part_ranges(&text);
    let n = ranges.len();
    let claim = if n == 1 {
        hash.clone()
    } else {
        part_hash(&hash, 1, n)
    };
    if shared.is_duplicate(&key, &claim, path, Some(line)) {
        for old_key in old {
            shared.send(tx, Msg::Delete(old_key));
        }
        return None;
    }
    let title = record
        .title
        .map(|t| crate::normalize::repair(t.trim()))
        .filter(|t| !t.is_empty())
        .or_else(|| extract::title_of(&text));
    let mut warnings = Vec::new();
    if lossy {
        warnings.push("invalid UTF-8 replaced".to_string());
    }
    let extracted = Extracted {
        text,
        format: Format::Jsonl,
        encoding: "UTF-8".into(),
        title,
        warnings,
        ocr_digits: Vec::new(),
    };
    let date = record.date.as_deref().and_then(record_date);
    let doc = Unit {
        key: &key,
        file: &input.key,
        source: &source,
        id: id.as_deref(),
        date: date.as_deref(),
        hash: &hash,
        replacing,
    };
    if n > 1 {
        for old_key in old {
            if split_part_key(&old_key).is_none_or(|(_, _, count)| count != n) {
                shared.send(tx, Msg::Delete(old_key));
            }
        }
        send_parts(shared, &doc, &extracted, &ranges, tx);
        return None;
    }
    for old_key in old.into_iter().filter(|k| k != &key) {
        shared.send(tx, Msg::Delete(old_key));
    }
    let mut tagged = tag_extracted(&shared.analysis.tagger, &extracted);
    if let Some(d) = doc.date {
        tagged.doc_date = Some(d.to_string());
    }
    Some((doc.whole_doc(extracted, tagged), replacing))
}

/// A record's `date`: ISO `YYYY-MM-DD` (optionally with a time) or any
/// written full date.
fn record_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() >= 10
        && let Some(day) = s.get(..10)
        && crate::index::writer::to_tantivy_date(day).is_some()
    {
        return Some(day.to_string());
    }
    crate::normalize::date::extract_dates(s)
        .into_iter()
        .map(|m| m.value)
        .find(|v| v.len() >= 10 && crate::index::writer::to_tantivy_date(&v[..10]).is_some())
        .map(|v| v[..10].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Tools;

    fn options() -> IngestOptions {
        IngestOptions {
            prune: false,
            report: None,
            threads: 2,
            extract: ExtractOptions::with_tools(Tools::none()),
            batch_docs: 1000,
        }
    }

    #[test]
    fn the_problem_list_is_bounded_and_every_problem_counted() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let idx = SarabanIndex::open(&tmp.path().join("idx"), &analysis, true).expect("index");
        let bad = 2 * KEPT_PROBLEMS + 7;
        let mut jsonl = String::new();
        for i in 0..bad {
            jsonl.push_str(&format!("{{\"id\": \"{i}\", \"text\": \n"));
        }
        jsonl.push_str("{\"id\": \"ok\", \"text\": \"บันทึกข้อความที่อ่านได้\"}\n");
        let file = tmp.path().join("many.jsonl");
        std::fs::write(&file, jsonl).expect("write");
        let (summary, problems) = ingest(&idx, &analysis, &[file], &options()).expect("ingest");
        assert_eq!(summary.failed, bad);
        assert_eq!(summary.added, 1);
        assert_eq!(problems.len(), KEPT_PROBLEMS);
    }

    #[test]
    fn a_long_record_is_indexed_in_parts_under_its_id() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let idx = SarabanIndex::open(&tmp.path().join("idx"), &analysis, true).expect("index");
        let seed = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/seeds/000_34a1339aa7e8c079.txt"
        );
        // One line: repeated lines would be taken for page furniture.
        let seed = std::fs::read_to_string(seed).expect("seed");
        let seed = seed.split_whitespace().collect::<Vec<_>>().join(" ") + " ";
        let mut text = String::new();
        while text.len() <= crate::parts::PART_BYTES {
            text.push_str(&seed);
        }
        let record = |text: &str| {
            serde_json::json!({"id": "r1", "text": text, "date": "2024-02-01"}).to_string() + "\n"
        };
        let file = tmp.path().join("long.jsonl");
        std::fs::write(&file, record(&text)).expect("write");
        let run =
            || ingest(&idx, &analysis, std::slice::from_ref(&file), &options()).expect("ingest");
        assert_eq!(run().0.added, 2);
        let known = idx.known().expect("known");
        let unit = record_key(&path_key(&canonical(&file)), Some("r1"), 1);
        let mut keys = known.part_keys(&unit).to_vec();
        keys.sort();
        assert_eq!(known.len(), 2);
        assert!(!known.holds(&unit));
        assert_eq!(keys, [part_key(&unit, 1, 2), part_key(&unit, 2, 2)]);
        assert_eq!(run().0.unchanged, 2);
        // Short again: one document replaces both parts.
        std::fs::write(&file, record(&seed)).expect("write");
        let (summary, _) = run();
        assert_eq!(summary.replaced, 1);
        let known = idx.known().expect("known");
        assert_eq!(known.len(), 1);
        assert!(known.holds(&unit) && !known.in_parts(&unit));
    }

    #[test]
    fn copies_name_the_first_file_and_line_and_the_run_keeps_one_path_per_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let text = |i: usize| format!("บันทึกข้อความ เรื่อง การประชุมครั้งที่ {i} จังหวัดภูเก็ต");
        let record =
            |id: &str, i: usize| format!("{{\"id\": \"{id}\", \"text\": \"{}\"}}\n", text(i));
        let first: String = (0..50).map(|i| record(&format!("a{i}"), i)).collect();
        // The second file repeats record 7 of the first (line 8) on its third line.
        let second = record("b1", 100) + &record("b2", 101) + &record("a7", 7);
        let (a, b) = (tmp.path().join("a.jsonl"), tmp.path().join("b.jsonl"));
        std::fs::write(&a, first).expect("write");
        std::fs::write(&b, second).expect("write");
        let opts = options();
        let shared = shared(&analysis, &opts);
        let input = |path: &Path| Input {
            path: path.to_path_buf(),
            key: path.display().to_string(),
            kind: Kind::Jsonl,
            size: 64,
        };
        let (tx, rx) = sync_channel::<Msg>(128);
        process_input(&shared, &input(&a), &tx);
        process_input(&shared, &input(&b), &tx);
        drop(tx);
        assert_eq!(rx.iter().filter(|m| matches!(m, Msg::Add(..))).count(), 52);
        let seen = shared.seen_hashes.lock().expect("seen");
        assert_eq!(seen.by_hash.len(), 52);
        assert_eq!(seen.paths.len(), 2, "each file's path is kept once");
        drop(seen);
        let problems = &shared.problems.lock().expect("problems").0;
        let dup: Vec<String> = problems
            .iter()
            .filter(|p| p.severity == Severity::Duplicate)
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            dup,
            vec![format!(
                "duplicate: {}:3: same content as {}:8; indexed once",
                b.display(),
                a.display()
            )]
        );
    }

    /// Shared state of a run over `files_total` inputs, with no report file.
    fn shared<'a>(analysis: &'a Analysis, opts: &'a IngestOptions) -> Shared<'a> {
        Shared {
            analysis,
            known: Known::default(),
            in_flight: Mutex::new(0),
            part_added: Condvar::new(),
            seen_hashes: Mutex::new(Seen::default()),
            problems: Mutex::new((Vec::new(), [0; 3])),
            summary: Mutex::new(Summary::default()),
            reporter: &Silent,
            files_total: 1,
            files_done: std::sync::atomic::AtomicUsize::new(0),
            report: None,
            opts,
            stopped: AtomicBool::new(false),
            report_error: Mutex::new(None),
            dedupe: true,
        }
    }

    #[test]
    fn once_the_writer_has_stopped_no_file_is_read_or_extracted() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let opts = options();
        let shared = shared(&analysis, &opts);
        let text = tmp.path().join("a.txt");
        std::fs::write(&text, "บันทึกข้อความ เรื่อง ทดสอบ").expect("write");
        let jsonl = tmp.path().join("b.jsonl");
        std::fs::write(&jsonl, "{\"id\": \"1\", \"text\": \"บันทึก\"}\n").expect("write");
        let input = |path: &Path, kind| Input {
            path: path.to_path_buf(),
            key: path.display().to_string(),
            kind,
            size: 64,
        };

        // While the writer runs, a file reaches it.
        let (tx, rx) = sync_channel::<Msg>(4);
        process_input(&shared, &input(&text, Kind::Text), &tx);
        assert!(matches!(rx.try_recv(), Ok(Msg::Add(..))));
        assert!(!shared.stopped());

        // The writer fails (its receiver is gone): the next send marks the run
        // stopped, and later files are neither read nor extracted.
        drop(rx);
        process_input(&shared, &input(&text, Kind::Text), &tx);
        assert!(shared.stopped());
        let read = shared.summary.lock().expect("summary").bytes;
        process_input(&shared, &input(&text, Kind::Text), &tx);
        process_input(&shared, &input(&jsonl, Kind::Jsonl), &tx);
        let summary = shared.summary.lock().expect("summary");
        assert_eq!(summary.bytes, read);
        assert_eq!((summary.failed, summary.unchanged), (0, 0));
    }
}
