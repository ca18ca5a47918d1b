//! Prepared records: documents extracted and tagged in one place, indexed in
//! another.
//!
//! Extraction, OCR and tagging are the expensive part of ingest; indexing is
//! cheap. A prepared record carries everything ingest would have computed
//! from a file, so the work can be spread over many machines (the Spark job
//! in `spark/`) and the results indexed anywhere, exactly as if one `ingest`
//! had read the files itself: same ids, tags, keys and content hashes.
//!
//! One record per line (JSON Lines):
//!
//! * a document: the `tag --json` object (`source`, `format`, `encoding`,
//!   `type`, `title`, `doc_date`, `text` and the mentions) plus `id`, `key`
//!   (the replacement key), `file` (the key of the file it came from),
//!   `hash` (blake3 of its bytes, as ingest computes it) and `warnings`;
//! * a problem: `{"problem": {"path", "line"?, "severity", "reason"}}` for an
//!   input that could not be read, so no input is ever lost silently.
//!
//! Byte-identical copies are not looked for while preparing: that needs
//! every document, and happens where the records are indexed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::index::writer::{IndexDoc, Known};
use crate::index::{Analysis, IndexError, SarabanIndex};
use crate::ingest::{self, IngestOptions, Prepared, Problem, Reporter, Severity, Summary};
use crate::model::{Extracted, Format, Tagged};
use crate::pipeline::TagOutput;

/// Errors preparing or reading prepared records.
#[derive(Debug, thiserror::Error)]
pub enum PreparedError {
    /// The index could not be read or written.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// Records could not be written.
    #[error("cannot write prepared records: {0}")]
    Write(#[source] std::io::Error),
    /// A file of records (or of paths) could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A document record as written.
#[derive(Serialize)]
struct DocOut<'a> {
    #[serde(flatten)]
    tag: TagOutput<'a>,
    id: &'a str,
    key: &'a str,
    file: &'a str,
    hash: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// A document record as read.
#[derive(Deserialize)]
struct DocIn {
    source: String,
    format: Format,
    encoding: String,
    title: Option<String>,
    text: String,
    id: String,
    key: String,
    file: String,
    hash: String,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(flatten)]
    tagged: Tagged,
}

/// A problem record.
#[derive(Serialize, Deserialize)]
struct ProblemLine {
    problem: Problem,
}

/// Writes one document as a prepared record line.
fn write_doc(out: &mut dyn Write, doc: &IndexDoc) -> std::io::Result<()> {
    let ex = &doc.extracted;
    let rec = DocOut {
        tag: TagOutput::new(&doc.source, ex, &doc.tagged),
        id: &doc.id,
        key: &doc.key,
        file: &doc.file,
        hash: &doc.hash,
        warnings: &ex.warnings,
    };
    serde_json::to_writer(&mut *out, &rec)?;
    out.write_all(b"\n")
}

/// Writes one problem as a prepared record line.
fn write_problem(out: &mut dyn Write, p: &Problem) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &ProblemLine { problem: p.clone() })?;
    out.write_all(b"\n")
}

/// Reads one record line; a line that is no record becomes a problem of
/// the file it was read from.
fn parse_line(line: &str, from: &Path, line_no: usize) -> Option<Prepared> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let bytes = line.len() as u64;
    let doc = match serde_json::from_str::<DocIn>(line) {
        Ok(d) => d,
        Err(doc_err) => {
            return Some(match serde_json::from_str::<ProblemLine>(line) {
                Ok(p) => Prepared::Problem(p.problem),
                Err(_) => Prepared::Problem(Problem {
                    path: from.to_string_lossy().into_owned(),
                    line: Some(line_no),
                    severity: Severity::Error,
                    reason: format!("not a prepared record: {doc_err}"),
                }),
            });
        }
    };
    let extracted = Extracted {
        text: doc.text,
        format: doc.format,
        encoding: doc.encoding,
        title: doc.title,
        warnings: doc.warnings,
        ocr_digits: Vec::new(),
    };
    Some(Prepared::Doc(
        Box::new(IndexDoc {
            id: doc.id,
            source: doc.source,
            key: doc.key,
            file: doc.file,
            hash: doc.hash,
            extracted,
            tagged: doc.tagged,
        }),
        bytes,
    ))
}

/// Prepared records as a [`ingest::Sink`]: each document becomes a line.
struct RecordSink<'a, W: Write + Send> {
    out: &'a Mutex<W>,
    error: &'a Mutex<Option<std::io::Error>>,
}

impl<W: Write + Send> RecordSink<'_, W> {
    fn write(&self, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if let Ok(mut out) = self.out.lock()
            && let Err(e) = f(&mut *out)
            && let Ok(mut first) = self.error.lock()
            && first.is_none()
        {
            *first = Some(e);
        }
    }
}

impl<W: Write + Send> ingest::Sink for RecordSink<'_, W> {
    fn add(&mut self, doc: &IndexDoc) -> Result<(), IndexError> {
        self.write(|out| write_doc(out, doc));
        Ok(())
    }
    fn delete(&mut self, _key: &str) {}
    fn commit(&mut self) -> Result<(), IndexError> {
        self.write(|out| out.flush());
        Ok(())
    }
}

/// Passes problems on, and writes the errors as problem records (warnings
/// travel inside their document's record).
struct RecordReporter<'a, W: Write + Send> {
    inner: &'a dyn Reporter,
    sink: RecordSink<'a, W>,
}

impl<W: Write + Send> Reporter for RecordReporter<'_, W> {
    fn start(&self, files: usize, bytes: u64) {
        self.inner.start(files, bytes);
    }
    fn advance(&self, bytes: u64) {
        self.inner.advance(bytes);
    }
    fn file_done(&self, done: usize, total: usize) {
        self.inner.file_done(done, total);
    }
    fn problem(&self, problem: &Problem) {
        self.inner.problem(problem);
        if problem.severity == Severity::Error {
            self.sink.write(|out| write_problem(out, problem));
        }
    }
    fn finish(&self) {
        self.inner.finish();
    }
}

/// Extracts and tags the files under `paths` exactly as ingest does and
/// writes one prepared record per document (and per failed input) to `out`.
/// Returns the summary (`added` counts the records written) and the problems.
pub fn prepare<W: Write + Send>(
    analysis: &Analysis,
    paths: &[PathBuf],
    opts: &IngestOptions,
    reporter: &dyn Reporter,
    out: W,
) -> Result<(Summary, Vec<Problem>), PreparedError> {
    let out = Mutex::new(out);
    let error = Mutex::new(None);
    let mut sink = RecordSink {
        out: &out,
        error: &error,
    };
    let records = RecordReporter {
        inner: reporter,
        sink: RecordSink {
            out: &out,
            error: &error,
        },
    };
    let done = ingest::prepare_with(analysis, paths, opts, &records, &mut sink)?;
    ingest::Sink::commit(&mut sink)?;
    if let Some(e) = error.into_inner().ok().flatten() {
        return Err(PreparedError::Write(e));
    }
    Ok(done)
}

/// Indexes the prepared records in `files` (`-` is standard input) as
/// ingest would have indexed their documents (see [`crate::ingest`]): same
/// ids, tags and keys; unchanged keys skipped, copies indexed once, every
/// problem recorded in a record reported again.
pub fn ingest_prepared(
    idx: &SarabanIndex,
    analysis: &Analysis,
    files: &[PathBuf],
    opts: &IngestOptions,
    reporter: &dyn Reporter,
) -> Result<(Summary, Vec<Problem>), PreparedError> {
    let mut readers = Vec::with_capacity(files.len());
    for f in files {
        let reader: Box<dyn BufRead> = if f == Path::new("-") {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            let file = std::fs::File::open(f).map_err(|source| PreparedError::Read {
                path: f.clone(),
                source,
            })?;
            Box::new(BufReader::with_capacity(1 << 20, file))
        };
        readers.push((f.clone(), reader));
    }
    let mut records = Records {
        readers: readers.into(),
        line_no: 0,
        error: None,
    };
    let done = ingest::index_prepared(idx, analysis, &mut records, opts, reporter)?;
    match records.error {
        Some(e) => Err(e),
        None => Ok(done),
    }
}

/// Streams the records of several files, one line at a time.
struct Records {
    readers: std::collections::VecDeque<(PathBuf, Box<dyn BufRead>)>,
    line_no: usize,
    /// The first read error (reading stops there).
    error: Option<PreparedError>,
}

impl Iterator for Records {
    type Item = Prepared;

    fn next(&mut self) -> Option<Prepared> {
        let mut line = String::new();
        loop {
            let (path, reader) = self.readers.front_mut()?;
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) => {
                    self.readers.pop_front();
                    self.line_no = 0;
                }
                Ok(_) => {
                    self.line_no += 1;
                    if let Some(r) = parse_line(&line, path, self.line_no) {
                        return Some(r);
                    }
                }
                Err(source) => {
                    self.error = Some(PreparedError::Read {
                        path: path.clone(),
                        source,
                    });
                    self.readers.clear();
                    return None;
                }
            }
        }
    }
}

/// One input for a distributed run: the path as walked and its size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputLine {
    /// The path as walked.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
}

/// The files ingest would read under `paths`, minus those an index already
/// holds with the same content (`known`, keyed and hashed as ingest does,
/// whole or in parts),
/// with the problems of the walk. JSON Lines files are always listed: their
/// records are keyed one by one, and unchanged records replace themselves.
pub fn list_inputs(paths: &[PathBuf], known: Option<&Known>) -> (Vec<InputLine>, Vec<Problem>) {
    let (files, mut problems) = ingest::walk_files(paths);
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let is_jsonl = matches!(
            crate::extract::kind_of(&f.path),
            Some(crate::extract::Kind::Jsonl | crate::extract::Kind::JsonlGz)
        );
        // The keys the file is held under: its own, or its parts'.
        let old = known
            .map(|k| ingest::old_keys(k, &f.key))
            .unwrap_or_default();
        if let Some(known) = known
            && !is_jsonl
            && !old.is_empty()
        {
            match hash_file(&f.path) {
                Ok(h) if ingest::holds_unchanged(known, &f.key, &old, &h) => continue,
                Ok(_) => {}
                Err(e) => {
                    problems.push(Problem {
                        path: f.path.to_string_lossy().into_owned(),
                        line: None,
                        severity: Severity::Error,
                        reason: format!("cannot read: {e}"),
                    });
                    continue;
                }
            }
        }
        out.push(InputLine {
            path: f.path.to_string_lossy().into_owned(),
            size: f.size,
        });
    }
    (out, problems)
}

/// blake3 of a file's bytes, as ingest hashes a file.
fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update_reader(std::fs::File::open(path)?)?;
    Ok(h.finalize().to_hex().to_string())
}

/// Writes input lines and problems as JSON Lines (`{"path","size"}` and
/// `{"problem": ...}`).
pub fn write_inputs(
    out: &mut dyn Write,
    inputs: &[InputLine],
    problems: &[Problem],
) -> std::io::Result<()> {
    for i in inputs {
        serde_json::to_writer(&mut *out, i)?;
        out.write_all(b"\n")?;
    }
    for p in problems {
        write_problem(out, p)?;
    }
    out.flush()
}

/// Reads paths, one per line, from a file (`-`: standard input). Empty
/// lines are skipped.
pub fn read_path_list(from: &Path) -> Result<Vec<PathBuf>, PreparedError> {
    let err = |source| PreparedError::Read {
        path: from.to_path_buf(),
        source,
    };
    let reader: Box<dyn BufRead> = if from == Path::new("-") {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        Box::new(BufReader::new(std::fs::File::open(from).map_err(err)?))
    };
    let mut out = Vec::new();
    for line in reader.split(b'\n') {
        let mut line = line.map_err(err)?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            continue;
        }
        out.push(bytes_to_path(line));
    }
    Ok(out)
}

#[cfg(unix)]
fn bytes_to_path(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
fn bytes_to_path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{ExtractOptions, Tools};

    #[test]
    fn a_long_text_prepared_elsewhere_replaces_all_its_parts() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let seed = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/seeds/000_34a1339aa7e8c079.txt"
        );
        let seed = std::fs::read_to_string(seed).expect("seed");
        // One line: repeated lines would be taken for page furniture.
        let seed = seed.split_whitespace().collect::<Vec<_>>().join(" ") + " ";
        let mut long = String::new();
        while long.len() <= crate::parts::PART_BYTES {
            long.push_str(&seed);
        }
        let dir = tmp.path().join("docs");
        std::fs::create_dir(&dir).expect("mkdir");
        let file = dir.join("long.txt");
        let analysis = Analysis::load(None).expect("analysis");
        let idx = SarabanIndex::open(&tmp.path().join("idx"), &analysis, true).expect("index");
        let opts = IngestOptions {
            prune: false,
            report: None,
            threads: 1,
            extract: ExtractOptions::with_tools(Tools::none()),
            batch_docs: 100,
        };
        let records = tmp.path().join("records.jsonl");
        let run = |text: &str| {
            std::fs::write(&file, text).expect("write");
            let out = std::fs::File::create(&records).expect("records");
            prepare(
                &analysis,
                std::slice::from_ref(&dir),
                &opts,
                &ingest::Silent,
                out,
            )
            .expect("prepare");
            ingest_prepared(
                &idx,
                &analysis,
                std::slice::from_ref(&records),
                &opts,
                &ingest::Silent,
            )
            .expect("ingest")
            .0
        };
        assert_eq!(run(&long).added, 2);
        let known = idx.known().expect("known");
        let unit = crate::index::writer::path_key(&crate::index::writer::canonical(&file));
        assert_eq!((known.len(), known.part_keys(&unit).len()), (2, 2));
        // Listing inputs leaves out a file whose parts are all unchanged.
        let (inputs, _) = list_inputs(std::slice::from_ref(&dir), Some(&known));
        assert!(inputs.is_empty(), "{}", inputs.len());
        // Short again: the whole document replaces both parts.
        assert_eq!(run(&seed).added, 1);
        let known = idx.known().expect("known");
        assert_eq!(known.len(), 1, "{known:?}");
        assert!(known.holds(&unit) && !known.in_parts(&unit));
    }

    #[test]
    fn a_record_reads_back_as_the_document_it_was_written_from() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("letter.txt");
        std::fs::write(
            &file,
            "ที่ มท ๐๒๑๑.๔/ว ๗๑๖๐\nกระทรวงมหาดไทย\n\n๑๒ มีนาคม ๒๕๖๗\n\nเรื่อง ขอเชิญประชุม จังหวัดภูเก็ต\n",
        )
        .expect("write");
        std::fs::write(tmp.path().join("bad.pdf"), b"not a pdf").expect("write");
        let analysis = Analysis::load(None).expect("analysis");
        let opts = IngestOptions {
            prune: false,
            report: None,
            threads: 1,
            extract: ExtractOptions::with_tools(Tools::none()),
            batch_docs: 100,
        };
        let mut out = Vec::new();
        let (summary, _) = prepare(
            &analysis,
            &[tmp.path().to_path_buf()],
            &opts,
            &ingest::Silent,
            &mut out,
        )
        .expect("prepare");
        assert_eq!(summary.added, 1);
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let parsed: Vec<Prepared> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| parse_line(l, Path::new("x"), i + 1))
            .collect();
        let mut docs = 0;
        for p in parsed {
            match p {
                Prepared::Doc(doc, _) => {
                    docs += 1;
                    let key =
                        crate::index::writer::path_key(&crate::index::writer::canonical(&file));
                    assert_eq!(doc.key, key);
                    assert_eq!(doc.id, crate::index::writer::id_for_source(&key));
                    let bytes = std::fs::read(&file).expect("read");
                    assert_eq!(doc.hash, blake3::hash(&bytes).to_hex().to_string());
                    let ex = crate::extract::extract_file(&file, &opts.extract).expect("extract");
                    let tagged = crate::pipeline::tag_extracted(&analysis.tagger, &ex);
                    assert_eq!(doc.tagged, tagged);
                    assert_eq!(doc.extracted.text, ex.text);
                    assert!(!doc.tagged.provinces.is_empty());
                }
                Prepared::Problem(p) => {
                    assert!(p.path.ends_with("bad.pdf"), "{}", p.path);
                    assert_eq!(p.severity, Severity::Error);
                }
            }
        }
        assert_eq!(docs, 1);
        // A line that is no record is a problem, never dropped.
        match parse_line("{\"source\": 1}", Path::new("part-0"), 7) {
            Some(Prepared::Problem(p)) => {
                assert_eq!((p.path.as_str(), p.line), ("part-0", Some(7)))
            }
            _ => panic!("a broken record is reported"),
        }
    }
}
