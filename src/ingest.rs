//! Bulk ingest: walk paths, extract, tag and index in parallel, incrementally.
//!
//! * Folders are walked recursively, following symlinks (loops are reported).
//! * Each document is keyed by its `source` (the path as walked, or a JSON
//!   Lines record's `id`) and a content hash: an unchanged source is skipped,
//!   a changed one replaces its old version, a byte-identical copy under
//!   another path is reported as a duplicate and indexed once.
//! * Extraction and tagging run on a rayon pool; one writer thread adds
//!   documents and commits in batches, so memory stays bounded whatever the
//!   corpus size and a killed run leaves the last committed batch intact.
//! * Every bad input is reported (to the caller's [`Reporter`] and an
//!   optional JSONL report file) and the rest goes on. The library never
//!   prints: progress and problems go to the [`Reporter`] the caller passes.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{SyncSender, sync_channel};

use rayon::prelude::*;
use serde::Serialize;

use crate::extract::{self, ExtractOptions, Kind};
use crate::index::writer::{IndexDoc, Known, id_for_source};
use crate::index::{Analysis, IndexError, SarabanIndex};
use crate::model::{Extracted, Format};
use crate::pipeline::tag_extracted;

/// How serious a reported problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
    Delete(String),
}

/// State shared by the workers.
struct Shared<'a> {
    analysis: &'a Analysis,
    known: Known,
    seen_hashes: Mutex<HashMap<String, String>>,
    problems: Mutex<Vec<Problem>>,
    summary: Mutex<Summary>,
    reporter: &'a dyn Reporter,
    files_total: usize,
    files_done: std::sync::atomic::AtomicUsize,
    report: Option<Mutex<std::io::BufWriter<File>>>,
    opts: &'a IngestOptions,
}

impl Shared<'_> {
    fn problem(&self, p: Problem) {
        self.reporter.problem(&p);
        if let Some(r) = &self.report
            && let Ok(mut w) = r.lock()
        {
            let _ = serde_json::to_writer(&mut *w, &p);
            let _ = w.write_all(b"\n");
        }
        if let Ok(mut s) = self.summary.lock() {
            match p.severity {
                Severity::Error => s.failed += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Duplicate => s.duplicates += 1,
            }
        }
        if let Ok(mut ps) = self.problems.lock() {
            ps.push(p);
        }
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

    /// Skips an unchanged source: `None` when the index already holds this
    /// source with this content, else `Some(replacing)`.
    fn changed(&self, source: &str, hash: &str) -> Option<bool> {
        let old = self.known.by_source.get(source);
        if old.is_some_and(|h| h == hash) {
            self.count(|s| s.unchanged += 1);
            return None;
        }
        Some(old.is_some())
    }

    /// Claims `hash` for `source` once its document is ready to index;
    /// reports and returns `true` when another source already has it.
    /// (Claiming after extraction means a file that fails never makes an
    /// identical copy of it count as a duplicate.)
    fn is_duplicate(&self, source: &str, hash: &str, path: &str, line: Option<usize>) -> bool {
        let Ok(mut seen) = self.seen_hashes.lock() else {
            return false;
        };
        let other = seen.get(hash).cloned().or_else(|| {
            self.known
                .by_hash
                .get(hash)
                .filter(|other| *other != source && self.source_alive(other))
                .cloned()
        });
        if let Some(other) = other
            && other != source
        {
            drop(seen);
            self.problem(Problem {
                path: path.to_string(),
                line,
                severity: Severity::Duplicate,
                reason: format!("same content as {other}; indexed once"),
            });
            return true;
        }
        seen.insert(hash.to_string(), source.to_string());
        false
    }

    /// True when the file an indexed source came from still exists.
    fn source_alive(&self, source: &str) -> bool {
        match self.known.files.get(source) {
            Some(file) => Path::new(file).exists(),
            None => false,
        }
    }
}

/// A file found by the walk.
struct Input {
    path: PathBuf,
    kind: Kind,
    size: u64,
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Walks the given paths; problems for unreadable or unsupported inputs.
fn walk(paths: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<Input> {
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
                    if seen.insert(root.clone()) {
                        inputs.push(Input {
                            path: root.clone(),
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
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_file() {
                        continue;
                    }
                    let Some(kind) = extract::kind_of(e.path()) else {
                        continue;
                    };
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    let path = e.into_path();
                    if seen.insert(path.clone()) {
                        inputs.push(Input { path, kind, size });
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
    }
    inputs
}

/// Ingests `paths` into the index, silently. Returns the summary and every problem.
pub fn ingest(
    idx: &SarabanIndex,
    analysis: &Analysis,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<(Summary, Vec<Problem>), IndexError> {
    ingest_with(idx, analysis, paths, opts, &Silent)
}

/// Ingests `paths` into the index, telling `reporter` how it goes. Returns
/// the summary and every problem.
pub fn ingest_with(
    idx: &SarabanIndex,
    analysis: &Analysis,
    paths: &[PathBuf],
    opts: &IngestOptions,
    reporter: &dyn Reporter,
) -> Result<(Summary, Vec<Problem>), IndexError> {
    let mut problems = Vec::new();
    let inputs = walk(paths, &mut problems);
    let known = idx.known()?;
    let total_bytes: u64 = inputs.iter().map(|i| i.size).sum();
    reporter.start(inputs.len(), total_bytes);
    let report = match &opts.report {
        Some(p) => Some(Mutex::new(std::io::BufWriter::new(
            File::create(p).map_err(|source| IndexError::Report {
                path: p.clone(),
                source,
            })?,
        ))),
        None => None,
    };
    let shared = Shared {
        analysis,
        known,
        seen_hashes: Mutex::new(HashMap::new()),
        problems: Mutex::new(Vec::new()),
        summary: Mutex::new(Summary {
            files: inputs.len(),
            ..Summary::default()
        }),
        reporter,
        files_total: inputs.len(),
        files_done: std::sync::atomic::AtomicUsize::new(0),
        report,
        opts,
    };
    for p in problems.drain(..) {
        shared.problem(p);
    }

    let mut writer = idx.writer(2)?;
    let (tx, rx) = sync_channel::<Msg>(256);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| IndexError::Io {
            path: idx.path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let batch = opts.batch_docs.max(1);
    let write_result: Result<(), IndexError> = std::thread::scope(|scope| {
        let shared = &shared;
        let writer_ref = &mut writer;
        let handle = scope.spawn(move || -> Result<(), IndexError> {
            let mut pending = 0usize;
            for msg in rx {
                match msg {
                    Msg::Add(doc, replacing) => {
                        idx.add(writer_ref, &doc)?;
                        shared.count(|s| {
                            if replacing {
                                s.replaced += 1
                            } else {
                                s.added += 1
                            }
                        });
                        pending += 1;
                    }
                    Msg::Delete(source) => {
                        idx.delete_source(writer_ref, &source);
                        pending += 1;
                    }
                }
                if pending >= batch {
                    writer_ref.commit().map_err(|source| IndexError::Tantivy {
                        path: idx.path.clone(),
                        source,
                    })?;
                    pending = 0;
                }
            }
            Ok(())
        });
        pool.install(|| {
            inputs.par_iter().for_each_with(tx.clone(), |tx, input| {
                process_input(shared, input, tx);
                // JSON Lines advance the bar as they are read.
                if !matches!(input.kind, Kind::Jsonl | Kind::JsonlGz) {
                    shared.reporter.advance(input.size);
                }
                shared.file_done();
            });
        });
        if opts.prune {
            for (source, file) in &shared.known.files {
                if !file.is_empty() && !Path::new(file).exists() {
                    let _ = tx.send(Msg::Delete(source.clone()));
                    shared.count(|s| s.pruned += 1);
                }
            }
        }
        drop(tx);
        handle.join().unwrap_or_else(|_| {
            Err(IndexError::Io {
                path: idx.path.clone(),
                source: std::io::Error::other("index writer thread failed"),
            })
        })
    });
    // Commit what was written even when the writer stopped on an error.
    let commit = writer.commit().map_err(|source| IndexError::Tantivy {
        path: idx.path.clone(),
        source,
    });
    write_result?;
    commit?;
    let _ = writer.wait_merging_threads();
    shared.reporter.finish();
    if let Some(r) = &shared.report
        && let Ok(mut w) = r.lock()
    {
        let _ = w.flush();
    }
    let summary = shared.summary.into_inner().unwrap_or_default();
    let problems = shared.problems.into_inner().unwrap_or_default();
    Ok((summary, problems))
}

fn process_input(shared: &Shared<'_>, input: &Input, tx: &SyncSender<Msg>) {
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
            let bytes = match std::fs::read(&input.path) {
                Ok(b) => b,
                Err(e) => {
                    shared.problem(err(format!("cannot read: {e}")));
                    return;
                }
            };
            shared.count(|s| s.bytes += bytes.len() as u64);
            let hash = blake3::hash(&bytes).to_hex().to_string();
            let Some(replacing) = shared.changed(&path, &hash) else {
                return;
            };
            let extracted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                extract::extract_bytes(&bytes, input.kind, &shared.opts.extract)
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
            if shared.is_duplicate(&path, &hash, &path, None) {
                return;
            }
            let tagged = tag_extracted(&shared.analysis.tagger, &extracted);
            let doc = IndexDoc {
                id: id_for_source(&path),
                source: path.clone(),
                file: path.clone(),
                hash,
                extracted,
                tagged,
            };
            let _ = tx.send(Msg::Add(Box::new(doc), replacing));
        }
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

fn process_jsonl(shared: &Shared<'_>, input: &Input, tx: &SyncSender<Msg>) {
    let path = display(&input.path);
    let file = match File::open(&input.path) {
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
    let reader: Box<dyn Read + '_> = if input.kind == Kind::JsonlGz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut line_no = 0usize;
    let mut chunk: Vec<(usize, Vec<u8>)> = Vec::with_capacity(JSONL_CHUNK);
    loop {
        let mut buf = Vec::new();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {
                line_no += 1;
                chunk.push((line_no, buf));
                if chunk.len() >= JSONL_CHUNK {
                    process_chunk(shared, &path, std::mem::take(&mut chunk), tx);
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
    process_chunk(shared, &path, chunk, tx);
}

fn process_chunk(
    shared: &Shared<'_>,
    path: &str,
    chunk: Vec<(usize, Vec<u8>)>,
    tx: &SyncSender<Msg>,
) {
    chunk
        .into_par_iter()
        .for_each_with(tx.clone(), |tx, (line, bytes)| {
            shared.count(|s| s.bytes += bytes.len() as u64);
            if let Some(doc) = jsonl_doc(shared, path, line, &bytes) {
                let (doc, replacing) = doc;
                let _ = tx.send(Msg::Add(Box::new(doc), replacing));
            }
        });
}

fn jsonl_doc(
    shared: &Shared<'_>,
    path: &str,
    line: usize,
    bytes: &[u8],
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
    let source = match &record.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => format!("{path}#{line}"),
    };
    let hash = blake3::hash(trimmed).to_hex().to_string();
    let replacing = shared.changed(&source, &hash)?;
    if lossy {
        shared.problem(Problem {
            path: path.to_string(),
            line: Some(line),
            severity: Severity::Warning,
            reason: "invalid UTF-8 replaced".into(),
        });
    }
    let text = extract::remove_furniture(&crate::normalize::repair(&raw_text));
    if text.trim().is_empty() {
        shared.problem(err("empty \"text\"".into()));
        return None;
    }
    if shared.is_duplicate(&source, &hash, path, Some(line)) {
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
    let mut tagged = tag_extracted(&shared.analysis.tagger, &extracted);
    if let Some(d) = record.date.as_deref().and_then(record_date) {
        tagged.doc_date = Some(d);
    }
    let id = match &record.id {
        Some(_) => source.clone(),
        None => id_for_source(&source),
    };
    Some((
        IndexDoc {
            id,
            source,
            file: path.to_string(),
            hash,
            extracted,
            tagged,
        },
        replacing,
    ))
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
