//! Which segments the index writer merges in the background: tantivy's
//! log-size levels, four segments a level, with every merge capped in
//! documents, and the small segments a run made merged at its end.
//!
//! The writer's merges read their inputs into buffers
//! ([`super::read_dir`]), so what a merge holds is its heap: term
//! dictionaries, fast fields and the doc-id mapping of its inputs, about
//! 110 MB to merge the 92.5k documents of the scale corpus into one segment
//! (through memory maps the pages read counted too: 618 MB). The cap bounds
//! that heap at any corpus size; the index ends up with about
//! `documents / (cap / 2)` final segments.
//!
//! Segments cost queries: a first page looks up each gram's term and opens
//! its lists in every segment, with a collector per segment. The 92.5k
//! documents merged from 14 segments into 4 answer a first page in about a
//! fifth less CPU time (median), into one in almost half less. Levels of
//! four and a cap of 100,000 take a full-size ingest to 2 segments (82,513
//! and 10,000) instead of 10, its median first page 3.44 → 2.38 ms of CPU,
//! at lower peak memory (302 against 372 MB) and about a tenth more ingest
//! CPU (each document is rewritten once more); see `benches/scale.md`.
//! `--memory` lowers the cap.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use std::collections::HashSet;

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Documents one merge may produce by default.
pub const DEFAULT_MAX_MERGED_DOCS: u32 = 100_000;

/// Segments of one level merged into one.
const LEVEL: usize = 4;

/// Called each time the writer looks for merges: after each commit and
/// each finished merge.
pub type ConsiderHook = Box<dyn Fn() + Send + Sync>;

/// Log-size levels of four, each merge holding at most `max_docs`
/// documents; once told the run is ending, the segments under half the cap
/// (the tail) are merged too.
pub struct CappedMergePolicy {
    inner: LogMergePolicy,
    max_docs: u32,
    on_consider: Option<ConsiderHook>,
    ending: Option<Arc<AtomicBool>>,
    /// Segments the index held before the run: never part of its tail.
    earlier: HashSet<SegmentId>,
}

impl std::fmt::Debug for CappedMergePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CappedMergePolicy")
            .field("max_docs", &self.max_docs)
            .field("hook", &self.on_consider.is_some())
            .field("ending", &self.ending)
            .finish()
    }
}

impl CappedMergePolicy {
    /// A policy whose merges produce at most `max_docs` documents (at least 2).
    pub fn new(max_docs: u32) -> Self {
        let max_docs = max_docs.max(2);
        let mut inner = LogMergePolicy::default();
        // A segment at half the cap or more is final: merging it could
        // only pair it with one smaller segment, for little gain (tantivy
        // merges segments of at most this many documents).
        inner.set_max_docs_before_merge((max_docs / 2).saturating_sub(1) as usize);
        // Four segments of a level make one of the next: commits leave
        // segments of 1,000-2,500 documents, and levels of four reach the
        // cap's half in three steps (levels of eight stopped at four
        // segments of 20,000 that never made a level).
        inner.set_min_num_segments(LEVEL);
        // Small segments are all one level.
        inner.set_min_layer_size(max_docs / 32);
        CappedMergePolicy {
            inner,
            max_docs,
            on_consider: None,
            ending: None,
            earlier: HashSet::new(),
        }
    }

    /// The same policy, calling `hook` each time merges are looked for.
    pub fn with_hook(mut self, hook: ConsiderHook) -> Self {
        self.on_consider = Some(hook);
        self
    }

    /// The same policy, merging the tail too once `ending` is set. The
    /// tail is the run's own segments: those in `earlier` (held before the
    /// run) are left to the levels, so a small run does not rewrite them.
    pub fn with_ending(mut self, ending: Arc<AtomicBool>, earlier: HashSet<SegmentId>) -> Self {
        self.ending = Some(ending);
        self.earlier = earlier;
        self
    }

    /// Documents one merge may produce.
    pub fn max_docs(&self) -> u32 {
        self.max_docs
    }

    fn ending(&self) -> bool {
        self.ending
            .as_ref()
            .is_some_and(|e| e.load(Ordering::Acquire))
    }
}

impl Default for CappedMergePolicy {
    fn default() -> Self {
        CappedMergePolicy::new(DEFAULT_MAX_MERGED_DOCS)
    }
}

/// `members` (smallest first) packed greedily into merges of at most `cap`
/// documents; a lone segment waits.
fn pack(mut members: Vec<&SegmentMeta>, cap: u64, out: &mut Vec<MergeCandidate>) {
    members.sort_by_key(|s| s.num_docs());
    let mut chunk = Vec::new();
    let mut docs = 0u64;
    for s in members {
        let n = u64::from(s.num_docs());
        if docs + n > cap && !chunk.is_empty() {
            if chunk.len() >= 2 {
                out.push(MergeCandidate(std::mem::take(&mut chunk)));
            }
            chunk.clear();
            docs = 0;
        }
        chunk.push(s.id());
        docs += n;
    }
    if chunk.len() >= 2 {
        out.push(MergeCandidate(chunk));
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        if let Some(hook) = &self.on_consider {
            hook();
        }
        let cap = u64::from(self.max_docs);
        let mut out = Vec::new();
        for MergeCandidate(ids) in self.inner.compute_merge_candidates(segments) {
            let members = segments.iter().filter(|s| ids.contains(&s.id())).collect();
            pack(members, cap, &mut out);
        }
        if self.ending() {
            // The segments under half the cap that no merge above takes:
            // left alone, a run ends with up to three of every level.
            let taken: std::collections::HashSet<_> = out
                .iter()
                .flat_map(|MergeCandidate(ids)| ids.iter().copied())
                .collect();
            let tail = segments
                .iter()
                .filter(|s| {
                    !taken.contains(&s.id())
                        && !self.earlier.contains(&s.id())
                        && u64::from(s.num_docs()) < cap / 2
                })
                .collect();
            pack(tail, cap, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Index;
    use tantivy::schema::{STRING, Schema};

    fn metas(sizes: &[u32]) -> Vec<SegmentMeta> {
        let mut schema = Schema::builder();
        schema.add_text_field("k", STRING);
        let index = Index::create_in_ram(schema.build());
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn merged_sizes(policy: &CappedMergePolicy, segments: &[SegmentMeta]) -> Vec<u64> {
        policy
            .compute_merge_candidates(segments)
            .iter()
            .map(|MergeCandidate(ids)| {
                segments
                    .iter()
                    .filter(|s| ids.contains(&s.id()))
                    .map(|s| u64::from(s.num_docs()))
                    .sum()
            })
            .collect()
    }

    #[test]
    fn no_merge_exceeds_the_cap() {
        let policy = CappedMergePolicy::new(16_000);
        // Many small segments, as commits leave them.
        let small = metas(&[2_500; 24]);
        let sizes = merged_sizes(&policy, &small);
        assert!(!sizes.is_empty(), "small segments are merged");
        assert!(sizes.iter().all(|&n| n <= 16_000), "{sizes:?}");
        // Eight segments of one level that the log policy alone would merge
        // into one of 80,000 documents.
        let level = metas(&[10_000; 8]);
        assert!(
            !LogMergePolicy::default()
                .compute_merge_candidates(&level)
                .is_empty(),
            "the log policy alone merges them"
        );
        assert!(merged_sizes(&policy, &level).is_empty());
        // Segments already at the cap's half are final.
        let big = metas(&[8_000, 9_000, 15_000, 16_000, 40_000, 8_000, 8_000, 8_000]);
        assert!(merged_sizes(&policy, &big).is_empty());
    }

    #[test]
    fn four_segments_make_a_level() {
        let policy = CappedMergePolicy::default();
        assert_eq!(merged_sizes(&policy, &metas(&[1_250; 4])), vec![5_000]);
        assert!(merged_sizes(&policy, &metas(&[1_250; 3])).is_empty());
        assert_eq!(merged_sizes(&policy, &metas(&[20_000; 4])), vec![80_000]);
        // Final segments stay, whatever their number.
        assert!(merged_sizes(&policy, &metas(&[60_000; 6])).is_empty());
    }

    #[test]
    fn the_tail_is_merged_once_the_run_ends() {
        let ending = Arc::new(AtomicBool::new(false));
        let policy =
            CappedMergePolicy::new(100_000).with_ending(Arc::clone(&ending), HashSet::new());
        // A run's last segments: one final, three levels of one each.
        let segs = metas(&[80_000, 20_000, 5_000, 1_250]);
        assert!(merged_sizes(&policy, &segs).is_empty());
        ending.store(true, Ordering::Release);
        assert_eq!(merged_sizes(&policy, &segs), vec![26_250]);
        // A tail larger than the cap is merged in pieces under it.
        let segs = metas(&[45_000, 40_000, 30_000, 2_000]);
        let sizes = merged_sizes(&policy, &segs);
        assert_eq!(sizes.iter().sum::<u64>(), 72_000, "{sizes:?}");
        assert!(sizes.iter().all(|&n| n <= 100_000), "{sizes:?}");
        // One segment left is no merge.
        assert!(merged_sizes(&policy, &metas(&[80_000, 3_000])).is_empty());
        // Segments held before the run are not its tail.
        let segs = metas(&[20_000, 5_000, 1_250]);
        let earlier = HashSet::from([segs[0].id()]);
        let policy = CappedMergePolicy::new(100_000).with_ending(Arc::clone(&ending), earlier);
        assert_eq!(merged_sizes(&policy, &segs), vec![6_250]);
    }

    #[test]
    fn a_level_under_the_cap_is_merged_whole() {
        let policy = CappedMergePolicy::new(16_000);
        let segs = metas(&[1_000; 8]);
        assert_eq!(merged_sizes(&policy, &segs), vec![8_000]);
        assert_eq!(policy.max_docs(), 16_000);
    }
}
