//! Merges an index's segments into fewer, to measure what the number of
//! segments costs a query.
//!
//! Usage: `cargo run --release --example merge_segments -- INDEX_DIR N [--read]`
//! merges the segments of the index in `INDEX_DIR` (in place: work on a copy)
//! into `N` segments of about equal document counts (the largest segments
//! are spread first, each into the group holding fewest documents so far).
//! No background merge runs beside; deleted documents are dropped as in any
//! merge, and the merged segments' files are removed. Prints the segments'
//! document counts before and after.

use std::path::PathBuf;
use std::process::ExitCode;

use saraban::index::read_dir::ReadDirectory;
use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument};

fn run(dir: PathBuf, groups: usize, read: bool) -> Result<(), String> {
    let index = if read {
        let rd = ReadDirectory::open(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Index::open(rd)
    } else {
        Index::open_in_dir(&dir)
    }
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    let metas = index
        .searchable_segment_metas()
        .map_err(|e| format!("segments: {e}"))?;
    let mut sizes: Vec<(u32, SegmentId)> = metas.iter().map(|m| (m.num_docs(), m.id())).collect();
    println!(
        "before: {} segments {:?}",
        sizes.len(),
        sizes.iter().map(|s| s.0).collect::<Vec<_>>()
    );
    sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
    let groups = groups.max(1);
    let mut plan: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); groups];
    for (n, id) in sizes {
        if let Some(g) = plan.iter_mut().min_by_key(|g| g.0) {
            g.0 += u64::from(n);
            g.1.push(id);
        }
    }
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(1, 50_000_000)
        .map_err(|e| format!("writer: {e}"))?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (docs, ids) in plan.iter().filter(|g| g.1.len() >= 2) {
        writer
            .merge(ids)
            .wait()
            .map_err(|e| format!("merging {} segments ({docs} docs): {e}", ids.len()))?;
    }
    // The merged segments' files go: the copy keeps its size.
    writer
        .garbage_collect_files()
        .wait()
        .map_err(|e| format!("removing merged files: {e}"))?;
    writer
        .wait_merging_threads()
        .map_err(|e| format!("finishing: {e}"))?;
    let after = index
        .searchable_segment_metas()
        .map_err(|e| format!("segments: {e}"))?;
    println!(
        "after: {} segments {:?}",
        after.len(),
        after.iter().map(|m| m.num_docs()).collect::<Vec<_>>()
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next()) else {
        eprintln!("usage: merge_segments INDEX_DIR N [--read]");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number of segments, not {n:?}");
        return ExitCode::from(2);
    };
    let read = match args.next().as_deref() {
        None => false,
        Some("--read") => true,
        Some(other) => {
            eprintln!("unknown option {other:?} (only --read)");
            return ExitCode::from(2);
        }
    };
    match run(PathBuf::from(dir), n, read) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("merge_segments: {e}");
            ExitCode::FAILURE
        }
    }
}
