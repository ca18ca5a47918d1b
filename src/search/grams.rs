//! The exact substring test: a query over the match view's grams.
//!
//! The match view holds one bigram at every other character of the folded
//! text ([`crate::index::analyzer::GramTokenizer`]). A query string lies on
//! those grams in one of two alignments ([`gram_plans`]); in each, its inner
//! characters form whole grams at consecutive positions, and a character at
//! either end may share its gram with a character outside the query. So a
//! document matches when, for one alignment, the whole grams occur at
//! consecutive positions and the gram before (after) them ends (starts) with
//! the query's first (last) character.
//!
//! Whole grams are intersected like a phrase; the edge grams are checked only
//! at the positions where the phrase occurs, trying the terms that end or
//! start with the edge character (most frequent first, then the last one
//! that decided a document) and stopping as soon as one occurrence passes.
//! The alignment with fewer edges goes first, and a document it finds is not
//! checked again in the other. The occurrence count (for BM25) is that of the
//! whole grams, in the alignment that found the document.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermDictionary;
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TERMINATED, Term};

use crate::index::analyzer::{GramSlot, dense_plan, gram_plans};

/// Documents a count looks at, per match it wants, before it stops.
pub const COUNT_EXAMINED_PER_HIT: usize = 4;

/// Per segment, the only documents (sorted) a restricted [`GramQuery`] looks
/// at: the candidates of a first page ([`crate::search::first_page`]).
pub type Only = HashMap<SegmentId, Vec<DocId>>;

/// Per segment, every match of one string with its occurrence count (by
/// document id): found once ([`matching_counts`]) and then given to the
/// queries that test that string again ([`GramQuery::solved`]).
pub type Solved = HashMap<SegmentId, Vec<(DocId, u32)>>;

/// A count of a string's matches ([`GramQuery::count_matches`]).
pub struct Counted {
    /// Matching documents counted (a lower bound unless `exact`).
    pub count: usize,
    /// Whether every document was counted.
    pub exact: bool,
    /// The matches the whole archive would hold at the rate counted (the
    /// count itself when exact).
    pub expected: u64,
    /// When `exact`, every match found, per segment.
    pub solved: Option<Solved>,
    /// When not `exact`, where [`GramQuery::finish_count`] goes on.
    pub resume: Option<Resume>,
}

/// Where a count stopped: the segments counted to their end, and the next.
pub struct Resume {
    next: usize,
    solved: Solved,
}

/// Documents of a field's match view that contain a folded string.
#[derive(Clone)]
pub struct GramQuery {
    field: Field,
    chars: Vec<char>,
    /// The field is a dense match view (a gram at every character).
    dense: bool,
    only: Option<Arc<Only>>,
    solved: Option<Arc<Solved>>,
}

impl fmt::Debug for GramQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s: String = self.chars.iter().collect();
        write!(f, "GramQuery({:?}, {s:?})", self.field)
    }
}

impl GramQuery {
    /// The query for `chars` (already folded by
    /// [`crate::index::analyzer::fold_for_match`]) on `field`.
    pub fn new(field: Field, chars: Vec<char>) -> GramQuery {
        GramQuery {
            field,
            chars,
            dense: false,
            only: None,
            solved: None,
        }
    }

    /// The query for `chars` (folded) on a dense match view (titles,
    /// [`crate::index::analyzer::GramTokenizer::dense`]).
    pub fn dense(field: Field, chars: Vec<char>) -> GramQuery {
        GramQuery {
            dense: true,
            ..GramQuery::new(field, chars)
        }
    }

    /// The plans the string is matched by on this query's field: the two
    /// alignments of the default view, or the dense view's one (and an
    /// empty plan, which matches nothing).
    fn plans(&self) -> [Vec<(u32, GramSlot)>; 2] {
        if self.dense {
            [dense_cover(dense_plan(&self.chars)), Vec::new()]
        } else {
            gram_plans(&self.chars)
        }
    }

    /// The same query, its matches already found by [`matching_counts`] for
    /// the same field and string: nothing is tested again.
    pub fn solved(mut self, solved: Option<Arc<Solved>>) -> GramQuery {
        self.solved = solved;
        self
    }

    /// The same test, made only on the documents of `only`: each scores as
    /// it would in the unrestricted query.
    pub fn restricted(mut self, only: Option<Arc<Only>>) -> GramQuery {
        self.only = only;
        self
    }

    /// The highest score a document can get from this query (boost 1).
    pub fn max_score(&self, stats: &dyn Bm25StatisticsProvider) -> tantivy::Result<Score> {
        // The shortest document with every gram an occurrence: the limit of
        // BM25's term-frequency saturation.
        Ok(self.bm25(stats)?.score(0, u32::MAX))
    }

    /// Number of documents of `searcher` that contain the string, counted
    /// until `cap`: `(count, true)` when every document was counted,
    /// `(n, false)` when counting stopped at `cap` matches or after looking
    /// at [`COUNT_EXAMINED_PER_HIT`] documents per match wanted (`n` is then
    /// a lower bound).
    pub fn count_up_to(
        &self,
        searcher: &tantivy::Searcher,
        cap: usize,
    ) -> tantivy::Result<(usize, bool)> {
        self.count_up_to_among(searcher, cap, None)
    }

    /// [`GramQuery::count_up_to`] among the documents of `only` when given.
    pub fn count_up_to_among(
        &self,
        searcher: &tantivy::Searcher,
        cap: usize,
        only: Option<&Only>,
    ) -> tantivy::Result<(usize, bool)> {
        let counted = self.count_matches(searcher, cap, only)?;
        Ok((counted.count, counted.exact))
    }

    /// [`GramQuery::count_up_to_among`], keeping what it found: when the
    /// count is exact, every match with its occurrence count, as
    /// [`matching_counts`] gives them (among `only`'s documents when set),
    /// so a query testing the same string again need not
    /// ([`GramQuery::solved`]).
    pub fn count_matches(
        &self,
        searcher: &tantivy::Searcher,
        cap: usize,
        only: Option<&Only>,
    ) -> tantivy::Result<Counted> {
        let plans = self.plans();
        let (first, second) = ordered(&plans);
        let mut count = 0;
        let mut solved: Solved = HashMap::new();
        // Documents examined in all: a rare string among common grams stops
        // here, not after the whole archive.
        let mut budget = cap.saturating_mul(COUNT_EXAMINED_PER_HIT);
        let readers = searcher.segment_readers();
        let all: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
        // Documents of the segments counted to their end.
        let mut covered = 0u64;
        for (i, reader) in readers.iter().enumerate() {
            let seg = SegmentMatch::new(reader, self.field)?;
            let only = only.map(|o| {
                o.get(&reader.segment_id())
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            });
            let left = cap - count;
            let mut found = seg.match_plan(first, &[], only, left, &mut budget)?;
            let more = if found.len() >= left {
                Vec::new()
            } else {
                seg.match_plan(second, &found, only, left - found.len(), &mut budget)?
            };
            let here = found.len() + more.len();
            if here >= left || budget == 0 {
                // How far the count went: the segments done and, in this
                // one, the document a plan reached (or its last match).
                let reached = found
                    .iter()
                    .chain(&more)
                    .map(|&(d, _)| d.saturating_add(1))
                    .max()
                    .unwrap_or(0)
                    .max(seg.reached.get())
                    .min(reader.max_doc());
                let seen = covered + u64::from(reached);
                let expected = match ((count + here) as u64).checked_mul(all) {
                    Some(n) if seen > 0 => n / seen,
                    _ => u64::MAX,
                };
                // This segment again from its start if the count resumes.
                return Ok(Counted {
                    count: (count + here).min(cap),
                    exact: false,
                    expected,
                    solved: None,
                    resume: Some(Resume { next: i, solved }),
                });
            }
            // The second plan skips what the first found: the lists are
            // disjoint.
            found.extend(more);
            found.sort_unstable_by_key(|&(doc, _)| doc);
            solved.insert(reader.segment_id(), found);
            count += here;
            covered += u64::from(reader.max_doc());
        }
        Ok(Counted {
            count,
            exact: true,
            expected: count as u64,
            solved: Some(solved),
            resume: None,
        })
    }

    /// Every match (among `only`'s documents when set), going on from where
    /// [`GramQuery::count_matches`] stopped with the same `only`: the
    /// segments it had counted are not tested again.
    pub fn finish_count(
        &self,
        searcher: &tantivy::Searcher,
        only: Option<&Only>,
        resume: Resume,
    ) -> tantivy::Result<Solved> {
        let plans = self.plans();
        let (first, second) = ordered(&plans);
        let mut solved = resume.solved;
        for reader in searcher.segment_readers().iter().skip(resume.next) {
            let seg = SegmentMatch::new(reader, self.field)?;
            let only = only.map(|o| {
                o.get(&reader.segment_id())
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            });
            let mut unlimited = usize::MAX;
            let mut found = seg.match_plan(first, &[], only, usize::MAX, &mut unlimited)?;
            let more = seg.match_plan(second, &found, only, usize::MAX, &mut unlimited)?;
            found.extend(more);
            found.sort_unstable_by_key(|&(doc, _)| doc);
            solved.insert(reader.segment_id(), found);
        }
        Ok(solved)
    }

    /// The whole grams of the even alignment (the one scoring uses): on a
    /// dense view, its grams at even positions, the same strings.
    fn scoring_terms(&self) -> Vec<Term> {
        let [plan, _] = self.plans();
        let dense = self.dense;
        let mut terms: Vec<Term> = plan
            .into_iter()
            .filter(|(rel, _)| !dense || rel % 2 == 0)
            .filter_map(|(_, slot)| match slot {
                GramSlot::Exact(g) => Some(Term::from_field_text(self.field, &g)),
                _ => None,
            })
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }

    /// BM25 weight of the string as one term: the idf of its whole grams
    /// summed, as a phrase would.
    fn bm25(&self, stats: &dyn Bm25StatisticsProvider) -> tantivy::Result<Bm25Weight> {
        let terms = self.scoring_terms();
        if !terms.is_empty() {
            return Bm25Weight::for_terms(stats, &terms);
        }
        // One character: no whole gram, a modest constant idf.
        let docs = stats.total_num_docs()?.max(1);
        let tokens = stats.total_num_tokens(self.field)?;
        Ok(Bm25Weight::for_one_term(
            docs.div_ceil(2),
            docs,
            tokens as Score / docs as Score,
        ))
    }
}

/// The grams of a dense plan that cover every character of the string: those
/// at even positions and the last. The dense view has a gram at every
/// character, so the grams between them only repeat characters these
/// already test: a position where these line up is one where all do, and
/// the occurrence count is the same.
fn dense_cover(plan: Vec<(u32, GramSlot)>) -> Vec<(u32, GramSlot)> {
    let last = plan.len().saturating_sub(1);
    plan.into_iter()
        .enumerate()
        .filter(|&(i, (rel, _))| rel % 2 == 0 || i == last)
        .map(|(_, slot)| slot)
        .collect()
}

/// An upper bound of the documents of `searcher` whose `field` contains
/// `chars` (folded): in each alignment, the document frequency of its
/// rarest whole gram (every document when it has none), summed. Dictionary
/// lookups only.
pub fn match_bound(
    searcher: &tantivy::Searcher,
    field: Field,
    chars: &[char],
) -> tantivy::Result<u64> {
    let all = searcher.num_docs();
    let mut sum = 0u64;
    for plan in gram_plans(chars) {
        let mut rarest = all;
        for (_, slot) in &plan {
            if let GramSlot::Exact(g) = slot {
                rarest = rarest.min(searcher.doc_freq(&Term::from_field_text(field, g))?);
            }
        }
        sum = sum.saturating_add(rarest);
    }
    Ok(sum.min(all))
}

/// The documents of `searcher` whose `field` contains `chars` (folded), per
/// segment: the candidates of a [`GramQuery::restricted`] query.
pub fn matching_docs(
    searcher: &tantivy::Searcher,
    field: Field,
    chars: &[char],
) -> tantivy::Result<Only> {
    Ok(matching_counts(searcher, field, chars, None)?
        .into_iter()
        .map(|(seg, found)| (seg, found.into_iter().map(|(d, _)| d).collect()))
        .collect())
}

/// [`matching_docs`] with each document's occurrence count, as the query
/// scores it; only among the documents of `only` when given.
pub fn matching_counts(
    searcher: &tantivy::Searcher,
    field: Field,
    chars: &[char],
    only: Option<&Only>,
) -> tantivy::Result<Solved> {
    let plans = gram_plans(chars);
    let (first, second) = ordered(&plans);
    let mut solved = HashMap::new();
    for reader in searcher.segment_readers() {
        let seg = SegmentMatch::new(reader, field)?;
        let only = only.map(|o| {
            o.get(&reader.segment_id())
                .map(Vec::as_slice)
                .unwrap_or_default()
        });
        let mut unlimited = usize::MAX;
        let mut found = seg.match_plan(first, &[], only, usize::MAX, &mut unlimited)?;
        let more = seg.match_plan(second, &found, only, usize::MAX, &mut unlimited)?;
        found.extend(more);
        found.sort_unstable_by_key(|&(doc, _)| doc);
        solved.insert(reader.segment_id(), found);
    }
    Ok(solved)
}

/// The documents of `searcher` matching `query` (scoring off), per
/// segment, when there are at most `most`: the candidates of a
/// [`GramQuery::restricted`] query. `None` when there are more.
pub fn docs_of(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    most: u64,
) -> tantivy::Result<Option<Only>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut only = HashMap::new();
    let mut seen = 0u64;
    for reader in searcher.segment_readers() {
        let mut docs = Vec::new();
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                docs.push(doc);
            }
            doc = scorer.advance();
        }
        seen += docs.len() as u64;
        if seen > most {
            return Ok(None);
        }
        only.insert(reader.segment_id(), docs);
    }
    Ok(Some(only))
}

impl Query for GramQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(self.bm25(statistics_provider)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(GramWeight {
            field: self.field,
            plans: self.plans(),
            bm25,
            only: self.only.clone(),
            solved: self.solved.clone(),
        }))
    }
}

struct GramWeight {
    field: Field,
    plans: [Vec<(u32, GramSlot)>; 2],
    bm25: Option<Bm25Weight>,
    only: Option<Arc<Only>>,
    solved: Option<Arc<Solved>>,
}

type Plan = [(u32, GramSlot)];

/// The plan with fewer edges first: a document it finds needs no edge
/// checks in the other.
fn ordered(plans: &[Vec<(u32, GramSlot)>; 2]) -> (&Plan, &Plan) {
    let edges = |plan: &Plan| {
        plan.iter()
            .filter(|(_, s)| !matches!(s, GramSlot::Exact(_)))
            .count()
    };
    let [a, b] = plans;
    if edges(b) < edges(a) { (b, a) } else { (a, b) }
}

impl Weight for GramWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let only = self.only.as_ref().map(|only| {
            only.get(&reader.segment_id())
                .map(Vec::as_slice)
                .unwrap_or_default()
        });
        let found = match &self.solved {
            Some(solved) => {
                let mut found = solved
                    .get(&reader.segment_id())
                    .cloned()
                    .unwrap_or_default();
                if let Some(only) = only {
                    found.retain(|(d, _)| only.binary_search(d).is_ok());
                }
                found
            }
            None => {
                let seg = SegmentMatch::new(reader, self.field)?;
                let (first, second) = ordered(&self.plans);
                let mut unlimited = usize::MAX;
                let mut found = seg.match_plan(first, &[], only, usize::MAX, &mut unlimited)?;
                let more = seg.match_plan(second, &found, only, usize::MAX, &mut unlimited)?;
                // The second plan skips what the first found: the lists are
                // disjoint.
                found.extend(more);
                found.sort_unstable_by_key(|&(doc, _)| doc);
                found
            }
        };
        let (docs, freqs) = found.into_iter().unzip();
        let fieldnorms = match self.bm25 {
            Some(_) => Some(reader.get_fieldnorms_reader(self.field)?),
            None => None,
        };
        Ok(Box::new(GramScorer {
            docs,
            freqs,
            cursor: 0,
            bm25: self.bm25.as_ref().map(|b| b.boost_by(boost)),
            fieldnorms,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        let at = if scorer.doc() < doc {
            scorer.seek(doc)
        } else {
            scorer.doc()
        };
        if at != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not contain the string"
            )));
        }
        Ok(Explanation::new(
            "exact string in the match view",
            scorer.score(),
        ))
    }
}

/// Term infos of every gram that ends with `c`, most frequent first: the
/// dictionary's automaton search walks only the branches that can end so.
fn ends_with(dict: &TermDictionary, c: char) -> std::io::Result<Vec<TermInfo>> {
    let pattern = format!("(?s).?{}", regex::escape(c.encode_utf8(&mut [0u8; 4])));
    let automaton = tantivy_fst::Regex::new(&pattern)
        .map_err(|e| std::io::Error::other(format!("gram pattern {pattern:?}: {e}")))?;
    let mut infos = Vec::new();
    let mut stream = dict.search(automaton).into_stream()?;
    while stream.advance() {
        infos.push(stream.value().clone());
    }
    infos.sort_by_key(|info| std::cmp::Reverse(info.doc_freq));
    Ok(infos)
}

/// Term infos of every gram that starts with `c`, most frequent first.
fn starts_with(dict: &TermDictionary, c: char) -> std::io::Result<Vec<TermInfo>> {
    let mut buf = [0u8; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes();
    let mut end = bytes.to_vec();
    // The last byte of a UTF-8 character is at most 0xBF, so it can grow.
    if let Some(b) = end.last_mut() {
        *b += 1;
    }
    let mut infos = Vec::new();
    let mut stream = dict.range().ge(bytes).lt(&end).into_stream()?;
    while stream.advance() {
        infos.push(stream.value().clone());
    }
    // Most frequent first: an occurrence is usually decided by the first few.
    infos.sort_by_key(|info| std::cmp::Reverse(info.doc_freq));
    Ok(infos)
}

/// Edge slot of a plan: the grams that may stand at `rel`, opened lazily.
struct Edge {
    rel: u32,
    terms: Arc<Vec<TermInfo>>,
    postings: Vec<Option<SegmentPostings>>,
    /// The document each term's list stands on (0 before it is opened): a
    /// list standing past the document being checked is skipped without
    /// touching it, so a document costs a scan of this small array rather
    /// than a visit to every list.
    at: Vec<DocId>,
    /// Order in which the terms are tried.
    order: Vec<usize>,
    /// Scratch: which candidates passed.
    ok: Vec<bool>,
}

impl Edge {
    /// The edge at gram position `rel` over `terms`, no list opened yet.
    fn new(rel: u32, terms: Arc<Vec<TermInfo>>) -> Edge {
        let n = terms.len();
        Edge {
            rel,
            terms,
            postings: (0..n).map(|_| None).collect(),
            at: vec![0; n],
            order: (0..n).collect(),
            ok: Vec::new(),
        }
    }

    /// Moves term `t`'s list to `doc` (opening it when first needed): true
    /// when `doc` holds the term, the list then standing on it.
    fn seek_term(
        &mut self,
        inverted: &InvertedIndexReader,
        t: usize,
        doc: DocId,
    ) -> std::io::Result<bool> {
        if self.at[t] > doc {
            return Ok(false);
        }
        let slot = &mut self.postings[t];
        let postings = match slot {
            Some(p) => p,
            None => slot.insert(inverted.read_postings_from_terminfo(
                &self.terms[t],
                IndexRecordOption::WithFreqsAndPositions,
            )?),
        };
        let at = if postings.doc() < doc {
            postings.seek(doc)
        } else {
            postings.doc()
        };
        self.at[t] = at;
        Ok(at == doc)
    }

    /// The positions of term `t` in the document its list stands on.
    fn positions_of(&mut self, t: usize, out: &mut Vec<u32>) {
        out.clear();
        if let Some(p) = &mut self.postings[t] {
            p.positions(out);
        }
    }

    /// Checks the `candidates` (gram positions of the plan's first slot in
    /// `doc`) against the edge: true when one of them has one of the edge's
    /// terms at `rel`. With `keep_all`, every candidate is decided and only
    /// those that pass are kept (another edge will check them); without, the
    /// first one that passes settles it.
    fn check(
        &mut self,
        inverted: &InvertedIndexReader,
        doc: DocId,
        candidates: &mut Vec<u32>,
        positions: &mut Vec<u32>,
        keep_all: bool,
    ) -> std::io::Result<bool> {
        let mut ok = std::mem::take(&mut self.ok);
        ok.clear();
        ok.resize(candidates.len(), false);
        let mut left = candidates.len();
        let mut k = 0;
        while k < self.order.len() && left > 0 {
            let t = self.order[k];
            k += 1;
            if !self.seek_term(inverted, t, doc)? {
                continue;
            }
            self.positions_of(t, positions);
            let before = left;
            for (i, &g) in candidates.iter().enumerate() {
                if !ok[i] && positions.binary_search(&(g + self.rel)).is_ok() {
                    ok[i] = true;
                    left -= 1;
                }
            }
            if left < before {
                // Text repeats itself: the gram that decided this document
                // is tried first in the next.
                if k > 1 {
                    self.order[..k].rotate_right(1);
                }
                if !keep_all {
                    self.ok = ok;
                    return Ok(true);
                }
            }
        }
        let mut i = 0;
        candidates.retain(|_| {
            i += 1;
            ok[i - 1]
        });
        self.ok = ok;
        Ok(!candidates.is_empty())
    }
}

/// The documents another plan found, walked alongside rising document ids.
struct Known<'a> {
    docs: &'a [(DocId, u32)],
    at: usize,
}

impl Known<'_> {
    /// True when `doc` was found; `doc` must not go down between calls.
    fn contains(&mut self, doc: DocId) -> bool {
        while self.docs.get(self.at).is_some_and(|k| k.0 < doc) {
            self.at += 1;
        }
        self.docs.get(self.at).is_some_and(|k| k.0 == doc)
    }
}

/// Appends the plan start each of `positions` stands for, seen from a slot
/// at `rel`.
fn push_starts(positions: &[u32], rel: u32, out: &mut Vec<u32>) {
    out.extend(positions.iter().filter(|&&x| x >= rel).map(|&x| x - rel));
}

/// One segment's inverted index of the field being matched.
struct SegmentMatch {
    inverted: Arc<InvertedIndexReader>,
    max_doc: u32,
    segment: SegmentId,
    field: Field,
    /// The furthest document a whole-gram plan had reached when its budget
    /// ran out (0 when it never did).
    reached: std::cell::Cell<DocId>,
}

impl SegmentMatch {
    fn new(reader: &SegmentReader, field: Field) -> tantivy::Result<SegmentMatch> {
        Ok(SegmentMatch {
            inverted: reader.inverted_index(field)?,
            max_doc: reader.max_doc(),
            segment: reader.segment_id(),
            field,
            reached: std::cell::Cell::new(0),
        })
    }

    /// Term infos of the grams that end (`ends` true) or start with `c`,
    /// most frequent first. A segment never changes, so each list is found
    /// once (walking the dictionary) and then kept.
    fn edge_terms(&self, c: char, ends: bool) -> std::io::Result<Arc<Vec<TermInfo>>> {
        let key = (self.segment, self.field, ends, c);
        if let Some(found) = EDGE_TERMS.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(found);
        }
        let dict = self.inverted.terms();
        let terms = Arc::new(if ends {
            ends_with(dict, c)?
        } else {
            starts_with(dict, c)?
        });
        if let Ok(mut m) = EDGE_TERMS.lock() {
            // Lists of segments merged away are never asked for again:
            // start over rather than grow without end.
            if m.len() >= EDGE_TERMS_KEPT {
                m.clear();
            }
            m.insert(key, terms.clone());
        }
        Ok(terms)
    }
}

/// Segment, field, end (true) or start, character.
type EdgeKey = (SegmentId, Field, bool, char);

/// Most edge-term lists kept (each is at most a few hundred term infos).
const EDGE_TERMS_KEPT: usize = 8192;

/// The edge-term lists found so far ([`SegmentMatch::edge_terms`]).
static EDGE_TERMS: once_cell::sync::Lazy<std::sync::Mutex<HashMap<EdgeKey, Arc<Vec<TermInfo>>>>> =
    once_cell::sync::Lazy::new(Default::default);

/// Moves `postings` to `doc` (never back): true when `doc` is in the list.
fn seek_to(postings: &mut SegmentPostings, doc: DocId) -> bool {
    let at = if postings.doc() < doc {
        postings.seek(doc)
    } else {
        postings.doc()
    };
    at == doc
}

/// A plan that is one edge (a one-character string): every document holding
/// one of its terms, counted by occurrences; no positions needed.
fn one_edge(
    seg: &SegmentMatch,
    edge: &Edge,
    known: &[(DocId, u32)],
) -> std::io::Result<Vec<(DocId, u32)>> {
    let mut counts = vec![0u32; seg.max_doc as usize];
    for info in edge.terms.iter() {
        let mut block = seg
            .inverted
            .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                break;
            }
            for (&d, &f) in docs.iter().zip(block.freqs()) {
                if let Some(c) = counts.get_mut(d as usize) {
                    *c += f.max(1);
                }
            }
            block.advance();
        }
    }
    for &(d, _) in known {
        if let Some(c) = counts.get_mut(d as usize) {
            *c = 0;
        }
    }
    Ok(counts
        .into_iter()
        .enumerate()
        .filter(|&(_, c)| c > 0)
        .map(|(d, c)| (d as DocId, c))
        .collect())
}

impl SegmentMatch {
    /// Documents (with occurrence counts) where one alignment's plan holds,
    /// leaving out those in `known`, looking only at `only` when given and
    /// stopping after `cap` documents.
    fn match_plan(
        &self,
        plan: &[(u32, GramSlot)],
        known: &[(DocId, u32)],
        only: Option<&[DocId]>,
        cap: usize,
        budget: &mut usize,
    ) -> tantivy::Result<Vec<(DocId, u32)>> {
        // No candidate in this segment: nothing to look up.
        if only.is_some_and(<[DocId]>::is_empty) {
            return Ok(Vec::new());
        }
        let inverted = &*self.inverted;
        let mut infos: Vec<(u32, TermInfo)> = Vec::new();
        let mut edges: Vec<Edge> = Vec::new();
        let dict = inverted.terms();
        for (rel, slot) in plan {
            match slot {
                GramSlot::Exact(g) => match dict.get(g.as_bytes())? {
                    Some(info) => infos.push((*rel, info)),
                    None => return Ok(Vec::new()),
                },
                GramSlot::EndsWith(c) | GramSlot::StartsWith(c) => {
                    let terms = self.edge_terms(*c, matches!(slot, GramSlot::EndsWith(_)))?;
                    if terms.is_empty() {
                        return Ok(Vec::new());
                    }
                    edges.push(Edge::new(*rel, terms));
                }
            }
        }
        // Rarest gram drives the intersection. (Sorted before the lists
        // are opened: an open list is a large value to move.)
        infos.sort_by_key(|(_, info)| info.doc_freq);
        let open = |(rel, info): &(u32, TermInfo)| -> std::io::Result<(u32, SegmentPostings)> {
            Ok((
                *rel,
                inverted
                    .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)?,
            ))
        };
        // A list is opened when the walk first needs it: the rarest at once,
        // each other when a document holds every rarer gram. In a segment
        // where the rarer grams never meet, the commoner lists (a skip
        // reader and a position reader each) are never opened.
        let mut exact: Vec<(u32, SegmentPostings)> = Vec::with_capacity(infos.len());
        if only.is_none()
            && let Some(info) = infos.first()
        {
            exact.push(open(info)?);
        }
        if infos.is_empty() {
            return Ok(match only {
                Some(only) => edges_only_on(self, &mut edges, known, only, cap, budget)?,
                None => edges_only(self, &mut edges, known, cap, budget)?,
            });
        }
        let mut out = Vec::new();
        let mut candidates = Vec::new();
        let mut positions = Vec::new();
        let mut known = Known { docs: known, at: 0 };
        let mut order = Vec::with_capacity(exact.len());
        if let Some(only) = only {
            for &doc in only {
                if out.len() >= cap || *budget == 0 {
                    if *budget == 0 {
                        self.reached.set(self.reached.get().max(doc));
                    }
                    break;
                }
                if known.contains(doc) {
                    continue;
                }
                // A list is opened when a candidate first needs it: in a
                // segment whose candidates lack a rare gram, the commoner
                // ones are never opened.
                let mut all = true;
                for (k, info) in infos.iter().enumerate() {
                    if k == exact.len() {
                        exact.push(open(info)?);
                    }
                    if !seek_to(&mut exact[k].1, doc) {
                        all = false;
                        break;
                    }
                }
                if !all {
                    continue;
                }
                *budget = budget.saturating_sub(1);
                if let Some(count) = line_up(
                    inverted,
                    &mut exact,
                    &mut edges,
                    doc,
                    (&mut order, &mut candidates, &mut positions),
                )? {
                    out.push((doc, count));
                }
            }
            return Ok(out);
        }
        let mut doc = exact[0].1.doc();
        'docs: while doc != TERMINATED && out.len() < cap && *budget > 0 {
            for k in 1..infos.len() {
                if k == exact.len() {
                    exact.push(open(&infos[k])?);
                }
                let p = &mut exact[k].1;
                // `seek` must never be asked to go back: a list may already
                // stand past `doc` from an earlier round.
                let at = if p.doc() < doc { p.seek(doc) } else { p.doc() };
                if at != doc {
                    doc = exact[0].1.seek(at);
                    continue 'docs;
                }
            }
            // A document the other plan found is not checked again.
            if known.contains(doc) {
                doc = exact[0].1.advance();
                continue;
            }
            *budget = budget.saturating_sub(1);
            if let Some(count) = line_up(
                inverted,
                &mut exact,
                &mut edges,
                doc,
                (&mut order, &mut candidates, &mut positions),
            )? {
                out.push((doc, count));
            }
            doc = exact[0].1.advance();
        }
        if *budget == 0 && doc != TERMINATED {
            self.reached.set(self.reached.get().max(doc));
        }
        Ok(out)
    }
}

/// Scratch buffers of [`line_up`].
type Scratch<'a> = (&'a mut Vec<usize>, &'a mut Vec<u32>, &'a mut Vec<u32>);

/// With every whole gram's list standing on `doc`: the plan's occurrence
/// count when the grams line up and the edges pass, else `None`.
fn line_up(
    inverted: &InvertedIndexReader,
    exact: &mut [(u32, SegmentPostings)],
    edges: &mut [Edge],
    doc: DocId,
    (order, candidates, positions): Scratch<'_>,
) -> std::io::Result<Option<u32>> {
    // Every whole gram is in `doc`: where do they line up? The gram with
    // fewest occurrences gives the candidates; the others (rarest in the
    // segment first, as `exact` is ordered) strike out those they miss.
    let first = (0..exact.len())
        .min_by_key(|&i| exact[i].1.term_freq())
        .unwrap_or(0);
    order.clear();
    order.push(first);
    order.extend((0..exact.len()).filter(|&i| i != first));
    candidates.clear();
    for (n, &i) in order.iter().enumerate() {
        let (rel, p) = &mut exact[i];
        positions.clear();
        p.positions(positions);
        if n == 0 {
            push_starts(positions, *rel, candidates);
        } else {
            keep_at(candidates, positions, *rel);
        }
        if candidates.is_empty() {
            break;
        }
    }
    // The count (for BM25) is the whole grams' occurrences: the edges
    // only need to pass once.
    let count = candidates.len() as u32;
    Ok(check_edges(inverted, edges, doc, candidates, positions)?.then_some(count))
}

/// Keeps the candidates `g` (sorted) for which `g + rel` is in `positions`
/// (sorted). Few candidates among many positions (a rare gram next to a
/// common one) leap by binary search; otherwise one merge.
fn keep_at(candidates: &mut Vec<u32>, positions: &[u32], rel: u32) {
    let mut at = 0;
    if candidates.len() * 8 < positions.len() {
        candidates.retain(|g| {
            let want = g + rel;
            at += positions[at..].partition_point(|&p| p < want);
            positions.get(at) == Some(&want)
        });
    } else {
        candidates.retain(|g| {
            let want = g + rel;
            while at < positions.len() && positions[at] < want {
                at += 1;
            }
            at < positions.len() && positions[at] == want
        });
    }
}

/// True when some candidate passes every edge.
fn check_edges(
    inverted: &InvertedIndexReader,
    edges: &mut [Edge],
    doc: DocId,
    candidates: &mut Vec<u32>,
    positions: &mut Vec<u32>,
) -> std::io::Result<bool> {
    let n = edges.len();
    let mut ok = !candidates.is_empty();
    for (k, edge) in edges.iter_mut().enumerate() {
        if !ok {
            break;
        }
        ok = edge.check(inverted, doc, candidates, positions, k + 1 < n)?;
    }
    Ok(ok)
}

/// A plan with no whole gram (strings of one or two characters): the first
/// edge's terms, merged document by document, give the candidates; the other
/// edge (if any) checks them. Memory stays within one document's positions.
fn edges_only(
    seg: &SegmentMatch,
    edges: &mut [Edge],
    known: &[(DocId, u32)],
    cap: usize,
    budget: &mut usize,
) -> std::io::Result<Vec<(DocId, u32)>> {
    let Some((first, rest)) = edges.split_first_mut() else {
        return Ok(Vec::new());
    };
    if rest.is_empty() {
        return one_edge(seg, first, known);
    }
    let inverted = &*seg.inverted;
    let mut lists = Vec::with_capacity(first.terms.len());
    let mut heap = BinaryHeap::new();
    for info in first.terms.iter() {
        let p =
            inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)?;
        if p.doc() != TERMINATED {
            heap.push(Reverse((p.doc(), lists.len())));
        }
        lists.push(p);
    }
    let mut out = Vec::new();
    let mut candidates = Vec::new();
    let mut positions = Vec::new();
    let mut known = Known { docs: known, at: 0 };
    while let Some(&Reverse((doc, _))) = heap.peek() {
        if out.len() >= cap || *budget == 0 {
            break;
        }
        *budget = budget.saturating_sub(1);
        candidates.clear();
        while let Some(&Reverse((d, i))) = heap.peek() {
            if d != doc {
                break;
            }
            heap.pop();
            positions.clear();
            lists[i].positions(&mut positions);
            push_starts(&positions, first.rel, &mut candidates);
            let next = lists[i].advance();
            if next != TERMINATED {
                heap.push(Reverse((next, i)));
            }
        }
        if known.contains(doc) {
            continue;
        }
        candidates.sort_unstable();
        candidates.dedup();
        let count = candidates.len() as u32;
        if check_edges(inverted, rest, doc, &mut candidates, &mut positions)? {
            out.push((doc, count));
        }
    }
    Ok(out)
}

/// [`edges_only`] on the documents of `only`: each one's positions are
/// looked up in the first edge's lists.
fn edges_only_on(
    seg: &SegmentMatch,
    edges: &mut [Edge],
    known: &[(DocId, u32)],
    only: &[DocId],
    cap: usize,
    budget: &mut usize,
) -> std::io::Result<Vec<(DocId, u32)>> {
    let Some((first, rest)) = edges.split_first_mut() else {
        return Ok(Vec::new());
    };
    if rest.is_empty() {
        // One character: one pass over its lists counts every document's
        // occurrences for less than looking each candidate up in each list.
        let mut all = one_edge(seg, first, known)?;
        all.retain(|(d, _)| only.binary_search(d).is_ok());
        all.truncate(cap);
        return Ok(all);
    }
    let inverted = &*seg.inverted;
    let mut out = Vec::new();
    let mut candidates = Vec::new();
    let mut positions = Vec::new();
    let mut known = Known { docs: known, at: 0 };
    for &doc in only {
        if out.len() >= cap || *budget == 0 {
            break;
        }
        if known.contains(doc) {
            continue;
        }
        candidates.clear();
        for t in 0..first.terms.len() {
            if !first.seek_term(inverted, t, doc)? {
                continue;
            }
            first.positions_of(t, &mut positions);
            push_starts(&positions, first.rel, &mut candidates);
        }
        if candidates.is_empty() {
            continue;
        }
        *budget = budget.saturating_sub(1);
        candidates.sort_unstable();
        candidates.dedup();
        let count = candidates.len() as u32;
        if check_edges(inverted, rest, doc, &mut candidates, &mut positions)? {
            out.push((doc, count));
        }
    }
    Ok(out)
}

/// The matching documents of one segment, scored by BM25 on their count.
struct GramScorer {
    docs: Vec<DocId>,
    freqs: Vec<u32>,
    cursor: usize,
    bm25: Option<Bm25Weight>,
    fieldnorms: Option<tantivy::fieldnorm::FieldNormReader>,
}

impl DocSet for GramScorer {
    fn advance(&mut self) -> DocId {
        if self.cursor < self.docs.len() {
            self.cursor += 1;
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.docs[self.cursor.min(self.docs.len())..];
        self.cursor += rest.partition_point(|&d| d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.cursor).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        self.docs.len().saturating_sub(self.cursor) as u32
    }
}

impl Scorer for GramScorer {
    fn score(&mut self) -> Score {
        let (Some(bm25), Some(norms)) = (&self.bm25, &self.fieldnorms) else {
            return 1.0;
        };
        let doc = self.doc();
        let freq = self.freqs.get(self.cursor).copied().unwrap_or(0);
        bm25.score(norms.fieldnorm_id(doc), freq)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use tantivy::collector::TopDocs;
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::TextAnalyzer;
    use tantivy::{DocAddress, Index, Score, TantivyDocument};

    use super::{GramQuery, Only, dense_cover, keep_at};
    use crate::index::analyzer::{GramSlot, GramTokenizer, dense_plan, fold_for_match};

    /// What [`keep_at`] must keep, the slow way.
    fn naive(candidates: &[u32], positions: &[u32], rel: u32) -> Vec<u32> {
        candidates
            .iter()
            .copied()
            .filter(|g| positions.contains(&(g + rel)))
            .collect()
    }

    #[test]
    fn keep_at_leaps_and_merges_alike() {
        // Positions of a common gram (every third slot, with runs) against
        // few candidates (the leaping branch) and many (the merge).
        let positions: Vec<u32> = (0..2000u32).filter(|p| p % 3 == 0 || p % 7 == 1).collect();
        for rel in [0u32, 1, 2, 5] {
            let few: Vec<u32> = vec![0, 4, 9, 298, 299, 1000, 1995, 1999, 5000];
            let many: Vec<u32> = (0..2100u32).filter(|g| g % 2 == 0).collect();
            for cands in [few, many, Vec::new()] {
                let want = naive(&cands, &positions, rel);
                let mut got = cands.clone();
                keep_at(&mut got, &positions, rel);
                assert_eq!(got, want, "rel {rel}, {} candidates", cands.len());
            }
        }
        // No positions at all keep nothing.
        let mut got = vec![1, 2, 3];
        keep_at(&mut got, &[], 0);
        assert!(got.is_empty());
    }

    #[test]
    fn a_dense_cover_holds_every_character_once_or_twice() {
        let q: Vec<char> = "ศาลากลาง".chars().collect();
        let cover = dense_cover(dense_plan(&q));
        let rels: Vec<u32> = cover.iter().map(|(rel, _)| *rel).collect();
        // Eight characters: grams at 0, 2, 4 and the last at 6.
        assert_eq!(rels, vec![0, 2, 4, 6]);
        let odd: Vec<char> = "ศาลากลางจ".chars().collect();
        let rels: Vec<u32> = dense_cover(dense_plan(&odd))
            .iter()
            .map(|(rel, _)| *rel)
            .collect();
        // Nine characters: 0, 2, 4, 6 and the last gram (7) for the ninth.
        assert_eq!(rels, vec![0, 2, 4, 6, 7]);
        for s in ["ก", "กข"] {
            let q: Vec<char> = s.chars().collect();
            assert_eq!(dense_cover(dense_plan(&q)).len(), 1, "{s}");
        }
        assert!(matches!(
            dense_cover(dense_plan(&['ก']))[0].1,
            GramSlot::StartsWith('ก')
        ));
    }

    /// An index of `texts` with a match view (`grams`) and a dense one
    /// (`dense`), in segments of `per` documents.
    fn gram_index(
        texts: &[String],
        per: usize,
    ) -> (Index, tantivy::schema::Field, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let opts = |name: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(name)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let grams = builder.add_text_field("grams", opts("g"));
        let dense = builder.add_text_field("dense", opts("d"));
        let index = Index::create_in_ram(builder.build());
        index
            .tokenizers()
            .register("g", TextAnalyzer::from(GramTokenizer::default()));
        index
            .tokenizers()
            .register("d", TextAnalyzer::from(GramTokenizer::dense()));
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (i, t) in texts.iter().enumerate() {
            let mut doc = TantivyDocument::new();
            doc.add_text(grams, t);
            doc.add_text(dense, t);
            writer.add_document(doc).expect("add");
            if i % per == per - 1 {
                writer.commit().expect("commit");
            }
        }
        writer.commit().expect("commit");
        (index, grams, dense)
    }

    /// Every hit of `q` with its score, by address.
    fn scored(searcher: &tantivy::Searcher, q: &GramQuery) -> Vec<(DocAddress, Score)> {
        let mut hits: Vec<(DocAddress, Score)> = searcher
            .search(q, &TopDocs::with_limit(10_000).order_by_score())
            .expect("search")
            .into_iter()
            .map(|(s, a)| (a, s))
            .collect();
        hits.sort_by_key(|&(a, _)| a);
        hits
    }

    /// Documents whose text holds `needle`, the slow way.
    fn naive_hits(texts: &[String], needle: &str) -> usize {
        let needle: String = fold_for_match(needle).chars.iter().collect();
        texts
            .iter()
            .filter(|t| {
                let t: String = fold_for_match(t).chars.iter().collect();
                t.contains(&needle)
            })
            .count()
    }

    /// Texts where a string's characters come often but the string itself
    /// seldom: its grams are in most documents, lined up in few.
    fn texts() -> Vec<String> {
        let parts = [
            "ศาลากลาง",
            "จังหวัด",
            "เชียงใหม่",
            "กลางศาลา",
            "ลากลาง",
            "ศาลา",
            "ใหม่เชียง",
            "หวัดจัง",
            "ที่",
            "การ",
        ];
        (0..300usize)
            .map(|i| {
                (0..(i % 9 + 2))
                    .map(|k| parts[(i * 7 + k * (i % 5 + 1)) % parts.len()])
                    .collect::<Vec<_>>()
                    .join(if i % 3 == 0 { " " } else { "" })
            })
            .collect()
    }

    #[test]
    fn dense_view_finds_exactly_the_documents_holding_the_string() {
        let texts = texts();
        let (index, grams, dense) = gram_index(&texts, 40);
        let searcher = index.reader().expect("reader").searcher();
        for needle in [
            "ศาลากลาง",
            "ลากลางจั",
            "งหวัดเชียงใหม่",
            "ลาศ",
            "กลางศาลาจ",
            "ใ",
        ] {
            let chars = fold_for_match(needle).chars;
            let dense_hits = scored(&searcher, &GramQuery::dense(dense, chars.clone()));
            let sparse_hits = scored(&searcher, &GramQuery::new(grams, chars));
            assert_eq!(dense_hits.len(), naive_hits(&texts, needle), "{needle}");
            // The two views find the same documents.
            let docs = |h: &[(DocAddress, Score)]| h.iter().map(|&(a, _)| a).collect::<Vec<_>>();
            assert_eq!(docs(&dense_hits), docs(&sparse_hits), "{needle}");
        }
    }

    #[test]
    fn restricted_queries_find_and_score_as_the_whole_query() {
        let texts = texts();
        let (index, grams, _) = gram_index(&texts, 40);
        let searcher = index.reader().expect("reader").searcher();
        for needle in ["ศาลากลางจังหวัด", "จังหวัดเชียงใหม่", "ลากลางจั", "ใหม่เชียงศาลา"]
        {
            let chars = fold_for_match(needle).chars;
            let whole = scored(&searcher, &GramQuery::new(grams, chars.clone()));
            // Every third document as candidates, and none at all in the
            // second segment.
            let mut only: Only = HashMap::new();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let docs = if ord == 1 {
                    Vec::new()
                } else {
                    (0..reader.max_doc()).filter(|d| d % 3 == 0).collect()
                };
                only.insert(reader.segment_id(), docs);
            }
            let only = Arc::new(only);
            let restricted = scored(
                &searcher,
                &GramQuery::new(grams, chars).restricted(Some(only.clone())),
            );
            let want: Vec<(DocAddress, Score)> = whole
                .into_iter()
                .filter(|(a, _)| {
                    let id = searcher.segment_readers()[a.segment_ord as usize].segment_id();
                    only.get(&id)
                        .is_some_and(|d| d.binary_search(&a.doc_id).is_ok())
                })
                .collect();
            assert!(!want.is_empty() || needle == "ใหม่เชียงศาลา", "{needle}");
            assert_eq!(restricted, want, "{needle}");
        }
    }
}
