//! Merging indexes built separately (shards) into one.
//!
//! Shards have one schema and one set of settings, so their segments are
//! merged by tantivy as they are: nothing is analyzed again. A segment that
//! loses documents (or had deleted ones) is the exception: its survivors are
//! indexed again from their stored text and tags, because tantivy only
//! estimates the token counts of such a segment and ranking must equal that
//! of a single ingest. Each shard
//! document is looked up by its replacement key and content hash (the fast
//! fields ingest writes) to decide what survives:
//!
//! * a key held by several shards is kept once, from the **last** shard that
//!   holds it (shards are given oldest first, so an existing index followed
//!   by new shards is updated the way an incremental ingest updates it);
//! * a byte-identical copy under another key is reported as a duplicate and
//!   kept once (the first), as ingest does.
//!
//! The result is written next to the output, then moved into place, so a
//! failed merge leaves no half index. It is an ordinary index: searchable and
//! open to incremental ingest.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, Segment, SegmentReader};

use super::writer::IndexDoc;
use super::{Analysis, FORMAT_FILE, FORMAT_VERSION, IndexError, SarabanIndex};
use crate::ingest::{Problem, Severity};
use crate::model::Extracted;

/// What a merge did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeSummary {
    /// Shards read.
    pub shards: usize,
    /// Live documents in the shards together.
    pub read: u64,
    /// Documents in the merged index.
    pub documents: u64,
    /// Older versions of a key dropped for a newer shard's.
    pub replaced: u64,
    /// Byte-identical copies under another key dropped.
    pub duplicates: u64,
}

/// One live document of a shard.
struct Entry {
    /// Index into the list of all segments.
    segment: usize,
    doc: tantivy::DocId,
    key: String,
    hash: String,
    source: String,
    file: String,
}

/// Merges `shards` (oldest first) into a new index at `out`. `out` must not
/// exist, unless it is one of the shards: then it is replaced by the merge.
/// Returns what was done and the duplicates found.
pub fn merge(
    out: &Path,
    shards: &[PathBuf],
    analysis: &Analysis,
) -> Result<(MergeSummary, Vec<Problem>), IndexError> {
    let out_abs = crate::index::writer::canonical(out);
    let in_place = shards
        .iter()
        .any(|s| crate::index::writer::canonical(s) == out_abs);
    if out.exists() && !in_place {
        return Err(IndexError::Io {
            path: out.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the merged index must be new (or one of the shards)",
            ),
        });
    }
    let tantivy_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Tantivy {
            path: path.clone(),
            source,
        }
    };
    let mut summary = MergeSummary {
        shards: shards.len(),
        ..MergeSummary::default()
    };
    let mut segments: Vec<Segment> = Vec::new();
    // The shard (by number) each segment came from.
    let mut shard_of: Vec<usize> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut settings = None;
    for (shard_no, shard) in shards.iter().enumerate() {
        let idx = SarabanIndex::open_read_only(shard, analysis)?;
        if settings.is_none() {
            settings = Some(idx.index.settings().clone());
        }
        for segment in idx
            .index
            .searchable_segments()
            .map_err(tantivy_err(shard))?
        {
            let reader = SegmentReader::open(&segment).map_err(tantivy_err(shard))?;
            read_entries(&reader, segments.len(), &mut entries).map_err(tantivy_err(shard))?;
            segments.push(segment);
            shard_of.push(shard_no);
        }
    }
    summary.read = entries.len() as u64;

    // The last shard holding a key wins; the first key with some content
    // keeps it.
    let mut newest: HashMap<&str, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if newest.insert(&e.key, i).is_some() {
            summary.replaced += 1;
        }
    }
    // A text indexed in parts is kept whole from the last shard holding any
    // of it: parts an older shard cut differently do not survive.
    let parted: std::collections::HashSet<&str> =
        entries.iter().filter_map(|e| unit_of(&e.key)).collect();
    let mut unit_shard: HashMap<&str, usize> = HashMap::new();
    for e in &entries {
        let unit = unit_of(&e.key).unwrap_or(&e.key);
        if parted.contains(unit) {
            let last = unit_shard.entry(unit).or_insert(0);
            *last = (*last).max(shard_of[e.segment]);
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let unit = unit_of(&e.key).unwrap_or(&e.key);
        let stale = unit_shard
            .get(unit)
            .is_some_and(|&last| shard_of[e.segment] < last);
        if stale && newest.get(e.key.as_str()) == Some(&i) {
            newest.remove(e.key.as_str());
            summary.replaced += 1;
        }
    }
    // Segments that lose a document (or had deleted ones) are indexed again
    // from their stored documents: tantivy's merge only estimates the token
    // counts of such segments, and ranking must equal a single ingest's.
    let mut kept_of: Vec<Vec<usize>> = vec![Vec::new(); segments.len()];
    let mut by_hash: HashMap<&str, &Entry> = HashMap::new();
    let mut problems = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if newest.get(e.key.as_str()) != Some(&i) {
            continue;
        }
        if let Some(first) = by_hash.get(e.hash.as_str()) {
            summary.duplicates += 1;
            problems.push(Problem {
                path: e.source.clone(),
                line: None,
                severity: Severity::Duplicate,
                reason: format!("same content as {}; indexed once", first.source),
            });
            continue;
        }
        by_hash.insert(&e.hash, e);
        kept_of[e.segment].push(i);
        summary.documents += 1;
    }

    let tmp = sibling(out, "merging");
    let _ = std::fs::remove_dir_all(&tmp);
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io {
            path: path.clone(),
            source,
        }
    };
    std::fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
    let built = (|| -> Result<(), IndexError> {
        std::fs::write(
            tmp.join(FORMAT_FILE),
            format!("saraban index format {FORMAT_VERSION}\n"),
        )
        .map_err(io_err(&tmp))?;
        let clean: Vec<usize> = (0..segments.len())
            .filter(|&i| {
                !segments[i].meta().has_deletes()
                    && kept_of[i].len() == segments[i].meta().max_doc() as usize
            })
            .collect();
        match (clean.is_empty(), settings) {
            (false, Some(settings)) => {
                let chosen: Vec<Segment> = clean.iter().map(|&i| segments[i].clone()).collect();
                let filters = clean.iter().map(|_| None).collect();
                let dir = MmapDirectory::open(&tmp).map_err(|e| IndexError::Io {
                    path: tmp.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
                let merged: Index =
                    tantivy::indexer::merge_filtered_segments(&chosen, settings, filters, dir)
                        .map_err(tantivy_err(&tmp))?;
                drop(merged);
            }
            _ => {
                SarabanIndex::open(&tmp, analysis, true)?;
            }
        }
        let dirty: Vec<usize> = (0..segments.len())
            .filter(|i| !clean.contains(i) && !kept_of[*i].is_empty())
            .collect();
        if !dirty.is_empty() {
            let idx = SarabanIndex::open(&tmp, analysis, true)?;
            let mut writer = idx.writer(2)?;
            for &i in &dirty {
                reindex(&idx, &writer, &segments[i], &kept_of[i], &entries)?;
            }
            writer.commit().map_err(tantivy_err(&tmp))?;
            let _ = writer.wait_merging_threads();
        }
        // The merged index opens as any other.
        SarabanIndex::open_read_only(&tmp, analysis)?;
        Ok(())
    })();
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if in_place {
        let old = sibling(out, "replaced");
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old).map_err(io_err(out))?;
        std::fs::rename(&tmp, out).map_err(io_err(out))?;
        let _ = std::fs::remove_dir_all(&old);
    } else {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        std::fs::rename(&tmp, out).map_err(io_err(out))?;
    }
    Ok((summary, problems))
}

/// Adds the `kept` documents of a segment to `idx` again, from their stored
/// text and tags and their key, file and hash.
fn reindex(
    idx: &SarabanIndex,
    writer: &tantivy::IndexWriter,
    segment: &Segment,
    kept: &[usize],
    entries: &[Entry],
) -> Result<(), IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: idx.path.clone(),
        source,
    };
    let reader = SegmentReader::open(segment).map_err(tantivy_err)?;
    let store = reader
        .get_store_reader(16)
        .map_err(|source| IndexError::Io {
            path: idx.path.clone(),
            source,
        })?;
    for &i in kept {
        let e = &entries[i];
        let doc: tantivy::TantivyDocument = store.get(e.doc).map_err(tantivy_err)?;
        let stored = idx.stored(&doc);
        let format = serde_json::from_value(serde_json::Value::String(stored.format.clone()))
            .map_err(|err| IndexError::Incompatible {
                path: idx.path.clone(),
                reason: format!("stored format {:?}: {err}", stored.format),
            })?;
        let tagged = stored.tagged();
        let doc = IndexDoc {
            id: stored.id,
            source: stored.source,
            key: e.key.clone(),
            file: e.file.clone(),
            hash: e.hash.clone(),
            extracted: Extracted {
                text: stored.text,
                format,
                encoding: stored.encoding,
                title: stored.title,
                warnings: Vec::new(),
                ocr_digits: Vec::new(),
            },
            tagged,
        };
        idx.add(writer, &doc)?;
    }
    Ok(())
}

/// `out` with `.saraban-WHAT-PID` appended, beside it.
fn sibling(out: &Path, what: &str) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "index".into());
    name.push(format!(".saraban-{what}-{}", std::process::id()));
    out.with_file_name(name)
}

/// The key of the document a part belongs to; `None` for a whole document.
fn unit_of(key: &str) -> Option<&str> {
    super::keys::split_part_key(key).map(|(unit, _, _)| unit)
}

/// Reads key, hash and source of every live document of a segment.
fn read_entries(seg: &SegmentReader, segment: usize, out: &mut Vec<Entry>) -> tantivy::Result<()> {
    let ff = seg.fast_fields();
    let col = |name: &str| -> tantivy::Result<tantivy::columnar::StrColumn> {
        ff.str(name)?
            .ok_or_else(|| tantivy::TantivyError::FieldNotFound(name.into()))
    };
    let (keys, hashes, sources, files) = (col("key")?, col("hash")?, col("source")?, col("file")?);
    let mut buf = String::new();
    let mut read = |c: &tantivy::columnar::StrColumn, doc| {
        let mut value = String::new();
        super::for_each_str(c, doc, &mut buf, |v| value = v.to_string());
        value
    };
    let alive = seg.alive_bitset();
    for doc in 0..seg.max_doc() {
        if alive.is_some_and(|a| !a.is_alive(doc)) {
            continue;
        }
        out.push(Entry {
            segment,
            doc,
            key: read(&keys, doc),
            hash: read(&hashes, doc),
            source: read(&sources, doc),
            file: read(&files, doc),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{IngestOptions, ingest};

    #[test]
    fn a_text_in_parts_is_kept_from_the_last_shard_that_holds_any_of_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("analysis");
        let seed = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/seeds/000_34a1339aa7e8c079.txt"
        );
        let seed = std::fs::read_to_string(seed).expect("seed");
        let seed = seed.split_whitespace().collect::<Vec<_>>().join(" ") + " ";
        let mut long = String::new();
        while long.len() <= crate::parts::PART_BYTES {
            long.push_str(&seed);
        }
        let file = tmp.path().join("records.jsonl");
        let opts = IngestOptions {
            prune: false,
            report: None,
            threads: 2,
            extract: crate::extract::ExtractOptions::with_tools(crate::extract::Tools::none()),
            batch_docs: 1000,
        };
        // The older shard holds the record in two parts, the newer one whole.
        let mut shards = Vec::new();
        for (name, text) in [("old", &long), ("new", &seed)] {
            let record = serde_json::json!({"id": "r1", "text": text}).to_string();
            std::fs::write(&file, record + "\n").expect("write");
            let dir = tmp.path().join(name);
            let idx = SarabanIndex::open(&dir, &analysis, true).expect("shard");
            ingest(&idx, &analysis, std::slice::from_ref(&file), &opts).expect("ingest");
            shards.push(dir);
        }
        let out = tmp.path().join("merged");
        let (summary, _) = merge(&out, &shards, &analysis).expect("merge");
        assert_eq!((summary.read, summary.documents), (3, 1));
        let merged = SarabanIndex::open_read_only(&out, &analysis).expect("merged");
        let known = merged.known().expect("known");
        let unit = crate::index::writer::record_key(
            &crate::index::writer::path_key(&crate::index::writer::canonical(&file)),
            Some("r1"),
            1,
        );
        assert_eq!(known.len(), 1, "{known:?}");
        assert!(known.holds(&unit) && !known.in_parts(&unit));
    }
}
