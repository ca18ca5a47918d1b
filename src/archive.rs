//! An index opened for reading: the calls every front end (command line,
//! HTTP server) makes — search, one document, export, stats.
//!
//! An [`Archive`] never writes to its index. It is `Send + Sync`: one value
//! can serve many threads. Every call first picks up commits made since the
//! last call (by a concurrent `ingest`), so a long-lived caller never
//! answers from a stale view.
//!
//! Building an index is [`crate::ingest`]'s job; [`first_use_corpus`] and
//! [`build`] are the one exception a front end may offer: the default
//! `./index` built from `./corpus` the first time it is needed.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::export::{ExportFormat, ExportKind, Exporter};
use crate::index::keys::part_key;
use crate::index::writer::{canonical, path_key};
use crate::index::{Analysis, IndexError, SarabanIndex, Stats, StoredDoc};
use crate::ingest::{IngestOptions, Problem, Reporter, Summary};
use crate::search::{Results, SearchError};

/// The default index directory, relative to the working directory.
pub const DEFAULT_INDEX: &str = "index";
/// The folder the default index is built from on first use.
pub const DEFAULT_CORPUS: &str = "corpus";

/// Errors of the read calls.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Opening or reading the index failed (no index, incompatible, I/O).
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The query is not valid, or the search failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Write(#[source] std::io::Error),
    /// An output file would land inside the index directory.
    #[error("refusing to write {path} inside the index directory {index}")]
    OutputInIndex {
        /// The output path as given.
        path: PathBuf,
        /// The index directory.
        index: PathBuf,
    },
    /// An output file cannot be created.
    #[error("cannot create {path}: {source}")]
    Create {
        /// The output path as given.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

impl ArchiveError {
    /// True when the error is a closed output pipe (a reader such as
    /// `head` stopped reading): not worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            ArchiveError::Write(e) => Some(e),
            ArchiveError::Index(IndexError::Io { source, .. }) => Some(source),
            _ => None,
        };
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Documents chosen for export: every document, or a query's matches.
/// Choosing validates the query, so nothing is written for a bad one.
pub struct Selection {
    searcher: Searcher,
    docs: Option<Vec<DocAddress>>,
}

impl Selection {
    /// Number of documents chosen (`None`: every document).
    pub fn len(&self) -> Option<usize> {
        self.docs.as_ref().map(Vec::len)
    }

    /// True when a query chose no document.
    pub fn is_empty(&self) -> bool {
        self.docs.as_ref().is_some_and(Vec::is_empty)
    }
}

/// A read-only index with the dictionaries its queries need.
pub struct Archive {
    idx: SarabanIndex,
    analysis: Analysis,
}

impl Archive {
    /// Opens the index in `dir` for reading. Fails with
    /// [`IndexError::Missing`] when there is none (it is never created) and
    /// with [`IndexError::Incompatible`] when another version built it.
    pub fn open(dir: &Path, analysis: Analysis) -> Result<Archive, ArchiveError> {
        let idx = SarabanIndex::open_read_only(dir, &analysis)?;
        Ok(Archive { idx, analysis })
    }

    /// The index directory.
    pub fn path(&self) -> &Path {
        &self.idx.path
    }

    /// The underlying index (for callers that need tantivy directly).
    pub fn index(&self) -> &SarabanIndex {
        &self.idx
    }

    /// The dictionaries and tagger.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Searches; `limit` 0 means every hit. Any limit is accepted: it is
    /// capped at the number of documents, so a huge one allocates nothing.
    pub fn search(&self, query: &str, limit: usize) -> Result<Results, ArchiveError> {
        self.idx.refresh()?;
        let docs = usize::try_from(self.idx.reader.searcher().num_docs()).unwrap_or(usize::MAX);
        let limit = if limit == 0 {
            0
        } else {
            limit.min(docs.max(1))
        };
        Ok(crate::search::search(
            &self.idx,
            &self.analysis,
            query,
            limit,
        )?)
    }

    /// Every hit of `query`, ranked, for reading one at a time (see
    /// [`crate::search::stream`]): all hits in the memory of one.
    pub fn rank_all(&self, query: &str) -> Result<crate::search::stream::Ranked, ArchiveError> {
        self.idx.refresh()?;
        Ok(crate::search::stream::Ranked::new(
            &self.idx,
            &self.analysis,
            query,
        )?)
    }

    /// Addresses of every document matching `query`, in index order, with
    /// the searcher they belong to.
    pub fn matching(&self, query: &str) -> Result<(Searcher, Vec<DocAddress>), ArchiveError> {
        self.idx.refresh()?;
        let searcher = self.idx.reader.searcher();
        let docs = crate::search::matching(&self.idx, &self.analysis, query)?;
        Ok((searcher, docs))
    }

    /// Reads the stored document at `addr` of `searcher`.
    pub fn stored(&self, searcher: &Searcher, addr: DocAddress) -> Result<StoredDoc, ArchiveError> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|source| IndexError::Tantivy {
            path: self.idx.path.clone(),
            source,
        })?;
        Ok(self.idx.stored(&doc))
    }

    /// One document by its id, or by its source as the user writes it: the
    /// source as ingested, or any path naming the same file (relative,
    /// `./`-prefixed or absolute). The path of a text indexed in parts gives
    /// its first part.
    pub fn document(&self, key: &str) -> Result<Option<StoredDoc>, ArchiveError> {
        self.idx.refresh()?;
        let searcher = self.idx.reader.searcher();
        let f = &self.idx.fields;
        if let Some(doc) = self.lookup(&searcher, f.id, key)? {
            return Ok(Some(doc));
        }
        for candidate in source_spellings(key) {
            if let Some(doc) = self.lookup(&searcher, f.source, &candidate)? {
                return Ok(Some(doc));
            }
        }
        // A text indexed in parts: its first part, found through any of them.
        for candidate in source_spellings(key) {
            let file = path_key(&canonical(Path::new(&candidate)));
            if let Some(part) = self.lookup(&searcher, f.file, &file)?
                && let Some((_, parts)) = crate::parts::place_in(&part.source)
            {
                return self.lookup(&searcher, f.key, &part_key(&file, 1, parts));
            }
        }
        Ok(None)
    }

    fn lookup(
        &self,
        searcher: &Searcher,
        field: tantivy::schema::Field,
        value: &str,
    ) -> Result<Option<StoredDoc>, ArchiveError> {
        let q = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .map_err(|source| IndexError::Tantivy {
                path: self.idx.path.clone(),
                source,
            })?;
        match top.first() {
            Some((_, addr)) => Ok(Some(self.stored(searcher, *addr)?)),
            None => Ok(None),
        }
    }

    /// Chooses the documents to export: every one, or `query`'s matches.
    /// A bad query fails here, before anything is written.
    pub fn select(&self, query: Option<&str>) -> Result<Selection, ArchiveError> {
        match query {
            Some(q) => {
                let (searcher, docs) = self.matching(q)?;
                Ok(Selection {
                    searcher,
                    docs: Some(docs),
                })
            }
            None => {
                self.idx.refresh()?;
                Ok(Selection {
                    searcher: self.idx.reader.searcher(),
                    docs: None,
                })
            }
        }
    }

    /// Writes the `kind` mentions of the selected documents to `out`.
    /// Returns the number of rows written.
    pub fn export<W: Write>(
        &self,
        selection: &Selection,
        kind: ExportKind,
        format: ExportFormat,
        bom: bool,
        out: W,
    ) -> Result<usize, ArchiveError> {
        let mut exporter = Exporter::new(out, kind, format, bom).map_err(ArchiveError::Write)?;
        match &selection.docs {
            Some(docs) => {
                for addr in docs {
                    let doc = self.stored(&selection.searcher, *addr)?;
                    exporter.document(&doc).map_err(ArchiveError::Write)?;
                }
            }
            None => {
                for seg in selection.searcher.segment_readers() {
                    let store = seg.get_store_reader(16).map_err(|source| IndexError::Io {
                        path: self.idx.path.clone(),
                        source,
                    })?;
                    for doc in store.iter::<TantivyDocument>(seg.alive_bitset()) {
                        let doc = doc.map_err(|source| IndexError::Tantivy {
                            path: self.idx.path.clone(),
                            source,
                        })?;
                        exporter
                            .document(&self.idx.stored(&doc))
                            .map_err(ArchiveError::Write)?;
                    }
                }
            }
        }
        exporter.finish().map_err(ArchiveError::Write)
    }

    /// Creates an output file for an export, refusing any path inside the
    /// index directory (writing there would destroy the index).
    pub fn create_output(&self, path: &Path) -> Result<std::fs::File, ArchiveError> {
        let index = absolute(&self.idx.path);
        if absolute(path).starts_with(&index) {
            return Err(ArchiveError::OutputInIndex {
                path: path.to_path_buf(),
                index: self.idx.path.clone(),
            });
        }
        std::fs::File::create(path).map_err(|source| ArchiveError::Create {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Documents by type, year and province; index size.
    pub fn stats(&self) -> Result<Stats, ArchiveError> {
        Ok(self.idx.stats()?)
    }
}

/// `path` made absolute and free of `.`/`..` and symlinks as far as it
/// exists (the rest is appended as written).
fn absolute(path: &Path) -> PathBuf {
    let joined = match std::env::current_dir() {
        Ok(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    // Canonicalise the longest existing ancestor, then add the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canon) = existing.canonicalize() {
            let mut out = canon;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return lexical(&out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical(&joined),
        }
    }
}

/// Removes `.` and resolves `..` without touching the filesystem.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The ways a source path may have been stored for the path a user typed:
/// as typed, without `./`, absolute and canonical, and relative to the
/// working directory.
fn source_spellings(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    let mut add = |p: &Path| {
        if let Some(s) = p.to_str()
            && !s.is_empty()
            && !out.iter().any(|o| o == s)
        {
            out.push(s.to_string());
        }
    };
    let path = Path::new(key);
    add(&lexical(path));
    if let Ok(canon) = path.canonicalize() {
        add(&canon);
        if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize())
            && let Ok(rel) = canon.strip_prefix(&cwd)
        {
            add(rel);
        }
    }
    out
}

/// The corpus to build the default index from, when a read command finds
/// no index: `./corpus`, only if `index_dir` is the default `./index`, it
/// holds no index yet, and `./corpus` is a folder of the working directory.
/// `None` means: do not build, report the missing index instead.
pub fn first_use_corpus(index_dir: &Path) -> Option<PathBuf> {
    let is_default = lexical(index_dir) == Path::new(DEFAULT_INDEX);
    let corpus = PathBuf::from(DEFAULT_CORPUS);
    (is_default && !crate::index::exists(index_dir) && corpus.is_dir()).then_some(corpus)
}

/// Builds (or updates) the index in `dir` from `paths` with default options.
pub fn build(
    dir: &Path,
    paths: &[PathBuf],
    analysis: &Analysis,
    reporter: &dyn Reporter,
) -> Result<(Summary, Vec<Problem>), ArchiveError> {
    let idx = SarabanIndex::open(dir, analysis, true)?;
    let opts = IngestOptions {
        prune: false,
        report: None,
        threads: 0,
        extract: crate::extract::ExtractOptions::default(),
        batch_docs: 5000,
    };
    Ok(crate::ingest::ingest_with(
        &idx, analysis, paths, &opts, reporter,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_drops_dots() {
        assert_eq!(
            lexical(Path::new("./corpus/./seeds/../real/a.txt")),
            Path::new("corpus/real/a.txt")
        );
    }

    #[test]
    fn source_spellings_include_the_path_without_dot_slash() {
        let s = source_spellings("./corpus/x.txt");
        assert!(s.contains(&"corpus/x.txt".to_string()), "{s:?}");
    }
}
