//! The tantivy index: schema, analyzers, opening, and reading stored documents.
//!
//! One tantivy document per saraban document. Text is indexed twice — as
//! character bigrams for exact literal matching (`grams`, `title_grams`) and
//! as words for BM25 ranking (`body`, `title`) — and entities are indexed as
//! exact terms for the `order:`, `number:`, `province:`, `official:`,
//! `plan:` and `type:` filters. The document as written and its tags are
//! stored, so `show`, `export` and snippets read from the index alone.
//!
//! Analyzers are registered on every open: tantivy does not persist them.

pub mod analyzer;
pub mod keys;
pub mod merge;
pub mod merge_policy;
pub mod read_dir;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyDocument};

use crate::entity::FieldKind;
use crate::model::{DocType, Tagged};
use crate::segment::Segmenter;
use crate::tag::Tagger;
use analyzer::{GramTokenizer, WordTokenizer};

/// Version of the index layout (schema, analyzers, stored tags, keys).
/// Bump it whenever an index built before the change would answer wrongly;
/// an index of another version is refused on open with
/// [`IndexError::Incompatible`] instead of being misread.
///
/// 2: a line break wrapped inside Thai text is no space in the match view,
/// and a Thai run wrapped over lines is segmented as one in the word view.
/// Sources are keyed by canonical path bytes (JSON Lines records by file
/// and record id).
///
/// 3: titles' match view has a gram at every character (`title_grams3`).
pub const FORMAT_VERSION: u32 = 3;

/// File in the index directory that records [`FORMAT_VERSION`].
pub const FORMAT_FILE: &str = "saraban-format";

/// Name of the word analyzer in tantivy's tokenizer manager.
pub const WORDS: &str = "th_words";
/// Name of the bigram analyzer in tantivy's tokenizer manager.
pub const GRAMS: &str = "th_grams2";
/// Name of the dense bigram analyzer (a gram at every character, for
/// titles) in tantivy's tokenizer manager.
pub const DENSE_GRAMS: &str = "th_grams_dense";

/// Errors opening or reading an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("index {path}: {source}")]
    Tantivy {
        /// Index directory.
        path: PathBuf,
        /// Cause.
        source: tantivy::TantivyError,
    },
    /// The directory could not be created or read.
    #[error("index {path}: {source}")]
    Io {
        /// Index directory.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The problem report file could not be written.
    #[error("cannot write report {}: {source}", path.display())]
    Report {
        /// Report file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// There is no index in the directory.
    #[error("no index at {}", path.display())]
    Missing {
        /// Index directory.
        path: PathBuf,
    },
    /// The directory holds an index of another layout.
    #[error(
        "index {} was built by an incompatible version of saraban ({reason}); remove it and ingest again",
        path.display()
    )]
    Incompatible {
        /// Index directory.
        path: PathBuf,
        /// What differs.
        reason: String,
    },
    /// A dictionary's matcher could not be compiled.
    #[error(transparent)]
    Dictionary(#[from] crate::tag::TagError),
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Short document id.
    pub id: Field,
    /// Path (or JSONL id) the document was ingested from.
    pub source: Field,
    /// File on disk the document came from (for `--prune`), as a
    /// [`writer::path_key`] of its canonical path.
    pub file: Field,
    /// Replacement key: the canonical file's [`writer::path_key`], plus the
    /// record's id (or line) for JSON Lines, plus the part's place for a
    /// text indexed in parts ([`keys::part_key`]). Independent of the
    /// working directory and lossless for names that are not UTF-8.
    pub key: Field,
    /// Content hash of the source (for incremental ingest).
    pub hash: Field,
    /// Title, as words.
    pub title: Field,
    /// Title, as bigrams at every character ([`analyzer::GramTokenizer::dense`]).
    pub title_grams: Field,
    /// Stored text as written.
    pub text: Field,
    /// Body words.
    pub body: Field,
    /// Body bigrams.
    pub grams: Field,
    /// Document type.
    pub doc_type: Field,
    /// Document date.
    pub date: Field,
    /// Canonical province names.
    pub province: Field,
    /// Official names.
    pub official: Field,
    /// Plan names (and `name|edition`).
    pub plan: Field,
    /// Every entity kind's field by name ([`crate::entity::index_fields`]),
    /// the five above among them.
    entities: Arc<[(&'static str, Field)]>,
    /// Source format.
    pub format: Field,
    /// Source encoding.
    pub encoding: Field,
    /// Tags as JSON.
    pub tagged: Field,
}

impl Fields {
    /// The field an entity kind's exact terms go to, by its schema name
    /// ([`crate::entity::Entity::index_fields`]); `None` for other names.
    pub fn entity_field(&self, name: &str) -> Option<Field> {
        self.entities
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// Builds the schema and its field handles.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Words rank by BM25 only: every hit already contains the literal exactly
    // (bigram view), so word positions would add size, not recall or order.
    let words = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        if stored { o.set_stored() } else { o }
    };
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Titles are short: a gram at every character costs little and spares
    // the edge checks of the every-other-character view.
    let dense_grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(DENSE_GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let key = STRING | STORED | tantivy::schema::FAST;
    let id = b.add_text_field("id", key.clone());
    let source = b.add_text_field("source", key.clone());
    // Read from fast fields only (incremental ingest), never from the store.
    let file = b.add_text_field("file", STRING | tantivy::schema::FAST);
    let key_field = b.add_text_field("key", STRING | tantivy::schema::FAST);
    let hash = b.add_text_field("hash", STRING | tantivy::schema::FAST);
    let title = b.add_text_field("title", words(true));
    let title_grams = b.add_text_field("title_grams3", dense_grams);
    let text = b.add_text_field("text", STORED);
    let body = b.add_text_field("body", words(false));
    let grams = b.add_text_field("grams2", grams);
    // The entity kinds' fields, each as its descriptor says, in their slots.
    let date_options = || {
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds)
    };
    let mut entities: Vec<(&'static str, Field)> = Vec::new();
    for f in crate::entity::index_fields() {
        let field = match f.kind {
            FieldKind::Term => b.add_text_field(f.name, STRING),
            FieldKind::Listed => b.add_text_field(f.name, key.clone()),
            FieldKind::Date => b.add_date_field(f.name, date_options()),
        };
        entities.push((f.name, field));
    }
    // The fields the search code reads by name (all in the table; one
    // missing from it is added here, after the others, rather than fail).
    let mut named = |name: &'static str, kind: FieldKind| {
        if let Some((_, f)) = entities.iter().find(|(n, _)| *n == name) {
            return *f;
        }
        let field = match kind {
            FieldKind::Term => b.add_text_field(name, STRING),
            FieldKind::Listed => b.add_text_field(name, key.clone()),
            FieldKind::Date => b.add_date_field(name, date_options()),
        };
        entities.push((name, field));
        field
    };
    let doc_type = named("type", FieldKind::Listed);
    let date = named("date", FieldKind::Date);
    let province = named("province", FieldKind::Listed);
    let official = named("official", FieldKind::Term);
    let plan = named("plan", FieldKind::Term);
    let fields = Fields {
        id,
        source,
        file,
        key: key_field,
        hash,
        title,
        title_grams,
        text,
        body,
        grams,
        doc_type,
        date,
        province,
        official,
        plan,
        entities: entities.into(),
        format: b.add_text_field("format", STORED),
        encoding: b.add_text_field("encoding", STORED),
        tagged: b.add_text_field("tagged", STORED),
    };
    (b.build(), fields)
}

/// Everything the analyzers and taggers need, built once per process.
pub struct Analysis {
    /// Segmenter with the built-in, gazetteer and user words.
    pub segmenter: Arc<Segmenter>,
    /// Entity tagger.
    pub tagger: Tagger,
}

impl Analysis {
    /// Loads dictionaries: built-in, plus a user's directory when given.
    pub fn load(dict_dir: Option<&Path>) -> anyhow::Result<Analysis> {
        user_furniture(dict_dir)?;
        let tagger = Tagger::with_dict_dir(dict_dir)?;
        let mut words = tagger.lexicon();
        if let Some(dir) = dict_dir {
            words.extend(user_words(dir)?);
        }
        let segmenter = Arc::new(Segmenter::with_words(words));
        Ok(Analysis { segmenter, tagger })
    }

    /// [`Analysis::load`], with the segmenter's dictionary kept frozen in
    /// `cache_dir` between runs (see [`Segmenter::with_words_cached`]).
    pub fn load_cached(dict_dir: Option<&Path>, cache_dir: &Path) -> anyhow::Result<Analysis> {
        user_furniture(dict_dir)?;
        let tagger = Tagger::with_dict_dir(dict_dir)?;
        let mut words = tagger.lexicon();
        if let Some(dir) = dict_dir {
            words.extend(user_words(dir)?);
        }
        let segmenter = Arc::new(Segmenter::with_words_cached(&words, cache_dir));
        Ok(Analysis { segmenter, tagger })
    }
}

/// A user's `furniture.txt` extends the built-in page-furniture lists
/// ([`crate::extract::extend_phrases`]).
fn user_furniture(dict_dir: Option<&Path>) -> anyhow::Result<()> {
    let Some(path) = dict_dir.map(|d| d.join(FURNITURE_FILE)) else {
        return Ok(());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(anyhow::anyhow!("dictionary {}: {e}", path.display())),
    };
    if !crate::extract::extend_phrases(&text) {
        anyhow::bail!(
            "dictionary {}: page-furniture lists are already in use with other additions",
            path.display()
        );
    }
    Ok(())
}

/// The user's page-furniture list: phrases, not words to segment.
const FURNITURE_FILE: &str = "furniture.txt";

/// Words from every `*.txt` list in a user's dictionary directory.
fn user_words(dir: &Path) -> anyhow::Result<Vec<String>> {
    use anyhow::Context;
    let mut words = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("dictionary directory {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("dictionary directory {}", dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt")
            || path.file_name().and_then(|n| n.to_str()) == Some(FURNITURE_FILE)
        {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("dictionary {}", path.display()))?;
        for line in text.lines() {
            let w = line.split('#').next().unwrap_or("").trim();
            // Word lists may carry a second column (frequency); keep the word.
            let w = w.split('\t').next().unwrap_or("").trim();
            // `[section]` headers of sectioned lists (official_words.txt) are no words.
            let header = w.starts_with('[') && w.ends_with(']');
            if !w.is_empty() && !header {
                words.push(w.to_string());
            }
        }
    }
    Ok(words)
}

/// An open index with its fields and analyzers.
pub struct SarabanIndex {
    /// Directory of the index.
    pub path: PathBuf,
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Reader (reloaded manually after commits; see [`SarabanIndex::refresh`]).
    pub reader: IndexReader,
    /// Opstamp of the commit the reader last loaded.
    loaded: AtomicU64,
    /// Memory budget of a writer in bytes (0: the default).
    writer_memory: std::sync::atomic::AtomicUsize,
    /// Documents one background merge may produce (see [`merge_policy`]).
    max_merged_docs: std::sync::atomic::AtomicU32,
}

/// True when `dir` holds an index.
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Refuses an index whose recorded format is not [`FORMAT_VERSION`].
fn check_format(dir: &Path) -> Result<(), IndexError> {
    let incompatible = |reason: String| IndexError::Incompatible {
        path: dir.to_path_buf(),
        reason,
    };
    let text = match std::fs::read_to_string(dir.join(FORMAT_FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(incompatible(format!(
                "no {FORMAT_FILE} file; this version reads format {FORMAT_VERSION}"
            )));
        }
        Err(source) => {
            return Err(IndexError::Io {
                path: dir.join(FORMAT_FILE),
                source,
            });
        }
    };
    let found = text
        .trim()
        .strip_prefix("saraban index format ")
        .and_then(|v| v.parse::<u32>().ok());
    match found {
        Some(v) if v == FORMAT_VERSION => Ok(()),
        Some(v) => Err(incompatible(format!(
            "format {v}; this version reads format {FORMAT_VERSION}"
        ))),
        None => Err(incompatible(format!(
            "unreadable {FORMAT_FILE}; this version reads format {FORMAT_VERSION}"
        ))),
    }
}

fn register(index: &Index, analysis: &Analysis) {
    index
        .tokenizers()
        .register(GRAMS, TextAnalyzer::from(GramTokenizer::default()));
    index
        .tokenizers()
        .register(DENSE_GRAMS, TextAnalyzer::from(GramTokenizer::dense()));
    index.tokenizers().register(
        WORDS,
        TextAnalyzer::from(WordTokenizer::new(analysis.segmenter.clone())),
    );
}

impl SarabanIndex {
    /// Opens the index in `dir`, creating it when `create` is set and none exists.
    pub fn open(dir: &Path, analysis: &Analysis, create: bool) -> Result<SarabanIndex, IndexError> {
        let (schema, fields) = schema();
        let tantivy_err = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        let index = if exists(dir) {
            check_format(dir)?;
            let index = Index::open_in_dir(dir).map_err(tantivy_err)?;
            let have = index.schema();
            let base = [
                "id",
                "source",
                "file",
                "key",
                "hash",
                "title",
                "title_grams3",
                "text",
                "body",
                "grams2",
            ];
            let entities = crate::entity::KINDS
                .iter()
                .flat_map(|e| e.index_fields.iter().map(|f| &f.name));
            let stored = ["format", "encoding", "tagged"];
            for name in base.iter().chain(entities).chain(stored.iter()) {
                if have.get_field(name).is_err() {
                    return Err(IndexError::Incompatible {
                        path: dir.to_path_buf(),
                        reason: format!("no field `{name}`"),
                    });
                }
            }
            index
        } else if create {
            std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            // Written first: an index without it is never created.
            std::fs::write(
                dir.join(FORMAT_FILE),
                format!("saraban index format {FORMAT_VERSION}\n"),
            )
            .map_err(|source| IndexError::Io {
                path: dir.join(FORMAT_FILE),
                source,
            })?;
            // zstd level 3 compresses about 3.5x faster than level 6; 256 KiB
            // blocks win back the ratio (5.6x on the bulk corpus). A stored
            // document costs one block decompression (~0.15 ms) to read.
            let settings = IndexSettings {
                docstore_compression: Compressor::Zstd(ZstdCompressor {
                    compression_level: Some(3),
                }),
                docstore_blocksize: 256 * 1024,
                ..IndexSettings::default()
            };
            Index::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(dir)
                .map_err(tantivy_err)?
        } else {
            return Err(IndexError::Missing {
                path: dir.to_path_buf(),
            });
        };
        register(&index, analysis);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err)?;
        let loaded = AtomicU64::new(u64::MAX);
        let idx = SarabanIndex {
            path: dir.to_path_buf(),
            index,
            fields,
            reader,
            loaded,
            writer_memory: std::sync::atomic::AtomicUsize::new(0),
            max_merged_docs: std::sync::atomic::AtomicU32::new(
                merge_policy::DEFAULT_MAX_MERGED_DOCS,
            ),
        };
        idx.refresh()?;
        Ok(idx)
    }

    /// Opens an existing index for reading: never creates or writes anything.
    pub fn open_read_only(dir: &Path, analysis: &Analysis) -> Result<SarabanIndex, IndexError> {
        SarabanIndex::open(dir, analysis, false)
    }

    /// Makes the reader see the latest commit, if any was made since it
    /// last looked (cheap when nothing changed: one small file is read).
    pub fn refresh(&self) -> Result<(), IndexError> {
        let metas = self
            .index
            .load_metas()
            .map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })?;
        // `u64::MAX` marks "never loaded" so the first call always reloads.
        if self.loaded.swap(metas.opstamp, Ordering::AcqRel) != metas.opstamp {
            self.reader.reload().map_err(|source| IndexError::Tantivy {
                path: self.path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// Size of the index directory in bytes.
    pub fn size_bytes(&self) -> u64 {
        dir_size(&self.path)
    }

    /// Reads a stored document.
    pub fn stored(&self, doc: &TantivyDocument) -> StoredDoc {
        let f = &self.fields;
        let s = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let date = doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .map(|d| {
                let odt = d.into_utc();
                format!(
                    "{:04}-{:02}-{:02}",
                    odt.year(),
                    u8::from(odt.month()),
                    odt.day()
                )
            });
        let title = s(f.title);
        StoredDoc {
            id: s(f.id),
            source: s(f.source),
            title: (!title.is_empty()).then_some(title),
            doc_type: DocType::parse(&s(f.doc_type)).unwrap_or_default(),
            date,
            format: s(f.format),
            encoding: s(f.encoding),
            text: s(f.text),
            tagged_json: s(f.tagged),
        }
    }
}

/// A document as read back from the index.
#[derive(Debug, Clone, Serialize)]
pub struct StoredDoc {
    /// Short id.
    pub id: String,
    /// Source path or JSONL id.
    pub source: String,
    /// Title.
    pub title: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: DocType,
    /// Document date (CE).
    pub date: Option<String>,
    /// Source format.
    pub format: String,
    /// Source encoding.
    pub encoding: String,
    /// Text as written.
    pub text: String,
    /// Tags as stored (JSON); read them with [`StoredDoc::tagged`].
    #[serde(skip)]
    pub tagged_json: String,
}

impl StoredDoc {
    /// The document's tags (parsed on demand: listing hits does not need them).
    pub fn tagged(&self) -> Tagged {
        serde_json::from_str(&self.tagged_json).unwrap_or_default()
    }
}

/// Calls `f` with every value a string fast field holds for `doc`.
pub(crate) fn for_each_str(
    col: &tantivy::columnar::StrColumn,
    doc: tantivy::DocId,
    buf: &mut String,
    mut f: impl FnMut(&str),
) {
    for ord in col.term_ords(doc) {
        buf.clear();
        if col.ord_to_str(ord, buf).unwrap_or(false) {
            f(buf);
        }
    }
}

/// Total size of the files under `dir`.
pub fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => total += dir_size(&e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// Counts for `stats`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Live documents.
    pub documents: u64,
    /// Documents per type.
    pub by_type: std::collections::BTreeMap<String, u64>,
    /// Documents per CE year of their date (`unknown` when undated).
    pub by_year: std::collections::BTreeMap<String, u64>,
    /// Documents per province named.
    pub by_province: std::collections::BTreeMap<String, u64>,
    /// Bytes on disk.
    pub index_bytes: u64,
}

impl SarabanIndex {
    /// Counts documents by type, year and province from the fast fields.
    pub fn stats(&self) -> Result<Stats, IndexError> {
        let tantivy_err = |source| IndexError::Tantivy {
            path: self.path.clone(),
            source,
        };
        self.reader.reload().map_err(tantivy_err)?;
        let searcher = self.reader.searcher();
        let mut stats = Stats {
            index_bytes: self.size_bytes(),
            ..Stats::default()
        };
        let mut buf = String::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let types = ff.str("type").map_err(tantivy_err)?;
            let provinces = ff.str("province").map_err(tantivy_err)?;
            let dates = ff.date("date").map_err(tantivy_err)?;
            let alive = seg.alive_bitset();
            for doc in 0..seg.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                stats.documents += 1;
                if let Some(col) = &types {
                    for_each_str(col, doc, &mut buf, |t| {
                        *stats.by_type.entry(t.to_string()).or_default() += 1;
                    });
                }
                if let Some(col) = &provinces {
                    for_each_str(col, doc, &mut buf, |p| {
                        *stats.by_province.entry(p.to_string()).or_default() += 1;
                    });
                }
                let year = dates
                    .first(doc)
                    .map(|d| d.into_utc().year().to_string())
                    .unwrap_or_else(|| "unknown".to_string());
                *stats.by_year.entry(year).or_default() += 1;
            }
        }
        Ok(stats)
    }

    /// Calls `f` on every live stored document, in index order.
    pub fn for_each_doc(
        &self,
        mut f: impl FnMut(StoredDoc) -> std::io::Result<()>,
    ) -> Result<(), IndexError> {
        let tantivy_err = |source| IndexError::Tantivy {
            path: self.path.clone(),
            source,
        };
        self.reader.reload().map_err(tantivy_err)?;
        let searcher = self.reader.searcher();
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(16).map_err(|source| IndexError::Io {
                path: self.path.clone(),
                source,
            })?;
            for doc in store.iter::<TantivyDocument>(seg.alive_bitset()) {
                let doc = doc.map_err(tantivy_err)?;
                f(self.stored(&doc)).map_err(|source| IndexError::Io {
                    path: self.path.clone(),
                    source,
                })?;
            }
        }
        Ok(())
    }
}
