//! Which segments the index writer merges in the background: tantivy's
//! log-size levels, with every merge capped in documents.
//!
//! A merge reads its input segments through memory maps, so the pages it
//! touches count in the process's resident memory until the merge is done.
//! Left alone, the log policy merges ever larger segments as the index
//! grows (eight of one level make one of the next), and ingest memory grows
//! with the corpus. Capping what one merge may produce keeps the largest
//! merge, and so peak memory, the same at any corpus size; the index ends
//! up with more segments (about `documents / (cap / 2)` of them) instead.
//!
//! Segments cost queries: a first page looks up each gram's term and opens
//! its lists in every segment, with a collector per segment. The 92.5k
//! documents of the scale corpus merged from 14 segments into 4 answer a
//! first page in about a fifth less CPU time (median), into one in almost
//! half less. The default cap of 32,000 ends a full-size ingest with 10
//! segments (four final ones of 20,000, as tantivy merges eight segments of
//! a level) instead of 14, at the same ingest CPU time and about 40 MB more
//! peak memory (373 against 330 MB at full size; see `benches/scale.md`).

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Documents one merge may produce by default.
pub const DEFAULT_MAX_MERGED_DOCS: u32 = 32_000;

/// Called each time the writer looks for merges: after each commit and
/// each finished merge.
pub type ConsiderHook = Box<dyn Fn() + Send + Sync>;

/// Log-size levels, each merge holding at most `max_docs` documents.
pub struct CappedMergePolicy {
    inner: LogMergePolicy,
    max_docs: u32,
    on_consider: Option<ConsiderHook>,
}

impl std::fmt::Debug for CappedMergePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CappedMergePolicy")
            .field("max_docs", &self.max_docs)
            .field("hook", &self.on_consider.is_some())
            .finish()
    }
}

impl CappedMergePolicy {
    /// A policy whose merges produce at most `max_docs` documents (at least 2).
    pub fn new(max_docs: u32) -> Self {
        let max_docs = max_docs.max(2);
        let mut inner = LogMergePolicy::default();
        // A segment at half the cap or more is final: merging it could
        // only pair it with one smaller segment, for little gain.
        inner.set_max_docs_before_merge((max_docs / 2) as usize);
        // Small segments are all one level: a level is merged once it holds
        // this many, or fewer when the cap is reached first.
        inner.set_min_layer_size(max_docs / 8);
        CappedMergePolicy {
            inner,
            max_docs,
            on_consider: None,
        }
    }

    /// The same policy, calling `hook` each time merges are looked for.
    pub fn with_hook(mut self, hook: ConsiderHook) -> Self {
        self.on_consider = Some(hook);
        self
    }

    /// Documents one merge may produce.
    pub fn max_docs(&self) -> u32 {
        self.max_docs
    }
}

impl Default for CappedMergePolicy {
    fn default() -> Self {
        CappedMergePolicy::new(DEFAULT_MAX_MERGED_DOCS)
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
            // The candidate's segments, smallest first, packed greedily into
            // merges of at most `cap` documents; a lone segment waits.
            let mut members: Vec<&SegmentMeta> =
                segments.iter().filter(|s| ids.contains(&s.id())).collect();
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
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Index;
    use tantivy::index::SegmentId;
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
    fn a_level_under_the_cap_is_merged_whole() {
        let policy = CappedMergePolicy::new(16_000);
        let segs = metas(&[1_000; 8]);
        assert_eq!(merged_sizes(&policy, &segs), vec![8_000]);
        assert_eq!(policy.max_docs(), 16_000);
    }
}
