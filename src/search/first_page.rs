//! A first page of a common string without visiting every hit.
//!
//! A literal's score is the sum of three parts: BM25 of the string's
//! occurrences in the match view (the costly part: positions of every
//! occurrence), BM25 of its words in the word view, and the title bonus. The
//! last two are cheaper: the words' best documents come from block-max WAND,
//! titles are short. The first is never more than its BM25 limit `g` (a
//! document made of nothing but the string). So the `m` documents best on
//! the words and the `m` best on the title are scored in full, by the same
//! query restricted to them; every other document scores at most the `m`-th
//! word score plus the `m`-th title score plus `g`. When the page's last hit beats that bound,
//! the page is the top of the full ranking (same documents, same order);
//! otherwise `m` grows, and past [`MAX_CANDIDATES`] the full search answers.
//!
//! Words in more than one document in [`COMMON_WORD_DIV`] (`ที่`, `การ`)
//! are left out of the words' ranking: ranking them costs a walk over most
//! of the archive and they add little to a score. Each adds instead the
//! highest score it can give (its BM25 limit) to the bound. Unless every
//! word is common: then all rank as before.
//!
//! A literal beside filters (`type:news ประชุม`, `ปี -type:order`) is ranked
//! the same way among the documents that pass them: filters add nothing to a
//! score, so the bound holds there as it does in the whole archive.
//!
//! The total is counted up to [`COUNT_CAP`] documents; beyond, it is that
//! lower bound and says so. A literal that is one Thai word of the word
//! view is in every document holding that word ([`proven_by_word`]): when
//! those alone reach the cap, nothing is counted and the total is their
//! number, still a lower bound (the string also hides inside longer words). Fewer matches than that are cheap to rank fully,
//! so they take the ordinary path (exact total), given the matches the count
//! found ([`Answer::Solved`]) so that it does not test the string again.
//!
//! The count also stops after looking at
//! [`grams::COUNT_EXAMINED_PER_HIT`]
//! documents per match wanted (a rare string among common grams). When the
//! bound then cannot settle the page — fewer than a page of matches among
//! the candidates, or a string the count expects to hold fewer matches than
//! its cap once the first candidates did not do — the count goes on from
//! where it stopped to every match, and the ordinary search ranks them
//! (exact total): more candidates would cost more than that.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{AllQuery, Bm25Weight, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, Term};

use super::grams::{self, GramQuery, Only, Solved, docs_of};
use super::query::{self, Node};
use super::{QueryCompiler, SearchError};
use crate::index::analyzer::{fold_for_match, word_units};
use crate::index::{Analysis, SarabanIndex};
use crate::normalize::repair;
use crate::segment::Segmenter;

/// Documents counted before the total becomes a lower bound.
pub const COUNT_CAP: usize = 1000;

/// A string the count expects to hold fewer than this many matches per hit
/// of the page is counted to the end without trying the bound.
const FEW_PER_HIT: u64 = 8;

/// Candidates scored in full before giving up on the bound.
const MAX_CANDIDATES: usize = 16_384;

/// How far the first page goes before the full search answers.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Documents counted before the total becomes a lower bound; a string
    /// with fewer matches is ranked by the full search.
    pub count_cap: usize,
    /// Candidates scored in full in the first round (at least 8 per hit);
    /// each further round takes four times as many.
    pub candidates: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            count_cap: COUNT_CAP,
            candidates: 64,
        }
    }
}

/// A first page with its total.
pub struct FirstPage {
    /// Matching documents counted (a lower bound unless `total_exact`).
    pub total: usize,
    /// Whether `total` is every matching document.
    pub total_exact: bool,
    /// The page, best first, as the full ranking orders it.
    pub top: Vec<(Score, DocAddress)>,
}

/// What [`answer`] found for a first page.
pub enum Answer {
    /// The page, settled by the bound.
    Page(FirstPage),
    /// Every match of the query's one literal (folded), found while
    /// counting (among the documents that pass its filters): it has few, or
    /// the bound could not settle the page. The ordinary search ranks them
    /// without testing the string again ([`QueryCompiler::solved`]).
    Solved(Vec<char>, Solved),
    /// The ordinary search answers.
    Full,
}

/// The first `limit` hits of `q`, when `q` is one literal (alone or beside
/// filters) with more than [`COUNT_CAP`] matches and the bound settles the page; `None` when the
/// ordinary search should answer.
pub fn top(
    idx: &SarabanIndex,
    analysis: &Analysis,
    searcher: &Searcher,
    q: &str,
    limit: usize,
) -> Result<Option<FirstPage>, SearchError> {
    top_tuned(idx, analysis, searcher, q, limit, Tuning::default())
}

/// [`top`] with other limits (a small archive shows the method at work with
/// small ones).
pub fn top_tuned(
    idx: &SarabanIndex,
    analysis: &Analysis,
    searcher: &Searcher,
    q: &str,
    limit: usize,
    tuning: Tuning,
) -> Result<Option<FirstPage>, SearchError> {
    Ok(match answer(idx, analysis, searcher, q, limit, tuning)? {
        Answer::Page(page) => Some(page),
        Answer::Solved(..) | Answer::Full => None,
    })
}

/// [`top_tuned`], telling also when the count found every match of the
/// literal ([`Answer::Solved`]).
pub fn answer(
    idx: &SarabanIndex,
    analysis: &Analysis,
    searcher: &Searcher,
    q: &str,
    limit: usize,
    tuning: Tuning,
) -> Result<Answer, SearchError> {
    let cap = tuning.count_cap;
    if limit == 0 || cap == 0 || limit > MAX_CANDIDATES / 4 {
        return Ok(Answer::Full);
    }
    let Some((literal, filter)) = literal_and_filters(idx, analysis, query::parse(q)?)? else {
        return Ok(Answer::Full);
    };
    let f = &idx.fields;
    // Beside filters, every document counted, ranked or nominated passes
    // them (filters add nothing to a score).
    let passing = match &filter {
        Some(filter) => match docs_of(searcher, filter.as_ref(), u64::MAX)? {
            Some(only) => Some(only),
            None => return Ok(Answer::Full),
        },
        None => None,
    };
    let within = |q: Box<dyn Query>| -> Box<dyn Query> {
        match &filter {
            Some(filter) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, q),
                (
                    Occur::Must,
                    Box::new(BoostQuery::new(filter.box_clone(), 0.0)) as Box<dyn Query>,
                ),
            ])),
            None => q,
        }
    };
    let repaired = repair(&literal);
    let folded = fold_for_match(&repaired);
    if folded.chars.is_empty() {
        return Ok(Answer::Full);
    }
    let string = GramQuery::new(f.grams, folded.chars.clone());
    // A string that is one word of the word view is in every document
    // holding that word: when those alone reach the cap, nothing needs
    // testing to say "at least that many".
    let proven = proven_by_word(
        searcher,
        f.body,
        &analysis.segmenter,
        &repaired,
        passing.as_ref(),
    )?;
    let counted = if proven >= cap as u64 {
        grams::Counted {
            count: cap,
            exact: false,
            expected: proven,
            solved: None,
            resume: None,
        }
    } else {
        string.count_matches(searcher, cap, passing.as_ref())?
    };
    if let Some(solved) = counted.solved {
        return Ok(Answer::Solved(folded.chars, solved));
    }
    let total = counted.count;
    // When the bound cannot settle the page, the count goes on to every
    // match, and the ordinary search ranks them without testing again.
    let finish = |resume: Option<grams::Resume>| -> Result<Answer, SearchError> {
        Ok(match resume {
            Some(resume) => Answer::Solved(
                folded.chars.clone(),
                string.finish_count(searcher, passing.as_ref(), resume)?,
            ),
            None => Answer::Full,
        })
    };
    // A string the count expects to hold fewer matches than candidates of
    // a first round: those candidates would have to hold nearly every match
    // for the bound to settle the page, which the words seldom give. (A
    // count whose cap is no more than that examined too few documents to
    // expect anything.)
    let few = (limit as u64).saturating_mul(FEW_PER_HIT);
    if (cap as u64) > few && counted.expected < few {
        return finish(counted.resume);
    }
    // The cheap parts, as [`QueryCompiler`] builds them for a literal: the
    // words (block-max WAND finds their best documents without visiting
    // all) and the title bonus (titles are short).
    let words: BTreeSet<String> = word_units(&analysis.segmenter, &repaired)
        .into_iter()
        .map(|u| u.text)
        .collect();
    // Words in most documents cost the most to rank and add the least to a
    // score: they are left out of the candidates' ranking, and each adds
    // its highest score to the bound instead.
    let (words, common_max) = split_common(searcher, f.body, words)?;
    let body = within(Box::new(BooleanQuery::new(
        words
            .iter()
            .map(|w| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.body, w),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, q)
            })
            .collect(),
    )));
    let title = within(Box::new(BoostQuery::new(
        Box::new(GramQuery::dense(f.title_grams, folded.chars.clone())),
        3.0,
    )));
    // Titles ranked once, every one (titles are short and few match).
    let mut titles = searcher.search(title.as_ref(), &Scored)?;
    titles.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let g = string.max_score(searcher)?;
    let mut m = (limit * 8).max(tuning.candidates).max(1);
    loop {
        let bodies = if words.is_empty() {
            Vec::new()
        } else {
            searcher.search(body.as_ref(), &TopDocs::with_limit(m).order_by_score())?
        };
        // A document in neither list has no more than the m-th of each.
        let mth = |list: &[(Score, DocAddress)]| match list.get(m.saturating_sub(1)) {
            Some(&(s, _)) if list.len() >= m => s,
            _ => 0.0,
        };
        let rest = mth(&bodies) + mth(&titles) + g + common_max;
        let mut only: Only = HashMap::new();
        for (_, addr) in bodies.iter().chain(titles.iter().take(m)) {
            let segment = &searcher.segment_readers()[addr.segment_ord as usize];
            only.entry(segment.segment_id())
                .or_default()
                .push(addr.doc_id);
        }
        for docs in only.values_mut() {
            docs.sort_unstable();
            docs.dedup();
        }
        let restricted = QueryCompiler::new(idx, analysis)
            .restricted(Arc::new(only))
            .compile(q)?;
        let top = searcher.search(
            &restricted.query,
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        // Sums in another order round differently: keep a margin.
        let settled = top.len() == limit
            && top
                .last()
                .is_some_and(|&(s, _)| s > rest + 1e-4 * rest.abs().max(1.0));
        if settled {
            return Ok(Answer::Page(FirstPage {
                total: total
                    .max(top.len())
                    .max(usize::try_from(proven).unwrap_or(usize::MAX)),
                total_exact: false,
                top,
            }));
        }
        let exhausted = bodies.len() < m && titles.len() < m;
        // Fewer matches than a page among the best documents by words and
        // titles: the string is rare beside its words, and more candidates
        // would cost more than finding every match.
        // So is a string the count expects to hold fewer matches than its
        // cap, once the first candidates have not settled the page.
        let rare = top.len() < limit || counted.expected < cap as u64;
        if exhausted || rare || m >= MAX_CANDIDATES {
            return finish(counted.resume);
        }
        m = (m * 4).min(MAX_CANDIDATES);
    }
}

/// How many documents (among `passing`, when given) hold `literal` (as
/// repaired) as a word of the word view on `field`, when the literal is one
/// such word made of Thai letters alone; 0 otherwise.
///
/// Every such document holds the string: a word's term is its text as
/// written (or joined across a wrapped line break, which the match view
/// folds away too), and Thai letters fold to themselves. The converse does
/// not hold (`ภูเก็ต` inside a longer word), so this is a lower bound of the
/// matches. Deleted documents are not counted.
pub fn proven_by_word(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    segmenter: &Segmenter,
    literal: &str,
    passing: Option<&Only>,
) -> tantivy::Result<u64> {
    let units = word_units(segmenter, literal);
    let [unit] = units.as_slice() else {
        return Ok(0);
    };
    let folded = fold_for_match(literal).chars;
    if !unit.text.chars().all(crate::thai::is_run_char) || !unit.text.chars().eq(folded) {
        return Ok(0);
    }
    let term = Term::from_field_text(field, &unit.text);
    let mut proven = 0u64;
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(&term)? else {
            continue;
        };
        let only = passing.map(|o| {
            o.get(&reader.segment_id())
                .map(Vec::as_slice)
                .unwrap_or_default()
        });
        let alive = reader.alive_bitset();
        if only.is_none() && alive.is_none() {
            proven += u64::from(info.doc_freq);
            continue;
        }
        let mut postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
        let mut rest = only.unwrap_or_default();
        let mut doc = postings.doc();
        while doc != tantivy::TERMINATED {
            let wanted = match only {
                None => true,
                Some(_) => {
                    rest = &rest[rest.partition_point(|&d| d < doc)..];
                    if rest.is_empty() {
                        break;
                    }
                    rest[0] == doc
                }
            };
            if wanted && alive.is_none_or(|a| a.is_alive(doc)) {
                proven += 1;
            }
            doc = postings.advance();
        }
    }
    Ok(proven)
}

/// A word in more than one document in this many is common: the first
/// page's candidates are not ranked by it ([`split_common`]).
pub const COMMON_WORD_DIV: u64 = 8;

/// The words of `words` that are not common (in more than one document in
/// [`COMMON_WORD_DIV`] of `searcher`'s, on `field`) and the sum of the
/// highest BM25 score each common one can give a document; every word, and
/// 0, when all are common.
fn split_common(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    words: BTreeSet<String>,
) -> Result<(BTreeSet<String>, Score), SearchError> {
    let docs = searcher.num_docs();
    let mut rare = BTreeSet::new();
    let mut common_max: Score = 0.0;
    for w in &words {
        let term = Term::from_field_text(field, w);
        if searcher.doc_freq(&term)?.saturating_mul(COMMON_WORD_DIV) > docs {
            let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?;
            common_max += word_limit(&bm25);
        } else {
            rare.insert(w.clone());
        }
    }
    if rare.is_empty() {
        return Ok((words, 0.0));
    }
    Ok((rare, common_max))
}

/// The highest score `bm25` can give any document: the shortest document
/// made of nothing but the term (the limit of BM25's saturation).
/// `Bm25Weight::max_score` takes the longest norm instead, which a short
/// document with many occurrences can pass.
fn word_limit(bm25: &Bm25Weight) -> Score {
    bm25.score(0, u32::MAX)
}

/// The words of literal `literal` (as the query compiler finds them) that
/// are common in `searcher`'s documents, so that its first page ranks its
/// candidates without them: none when every word is common.
pub fn common_words(
    idx: &SarabanIndex,
    analysis: &Analysis,
    searcher: &Searcher,
    literal: &str,
) -> Result<Vec<String>, SearchError> {
    let words: BTreeSet<String> = word_units(&analysis.segmenter, &repair(literal))
        .into_iter()
        .map(|u| u.text)
        .collect();
    let (rare, _) = split_common(searcher, idx.fields.body, words.clone())?;
    Ok(words.into_iter().filter(|w| !rare.contains(w)).collect())
}

/// A literal and the filters beside it, as one query (none when alone).
type LiteralAndFilters = (String, Option<Box<dyn Query>>);

/// The one literal of `node` and the filters beside it (as one query), when
/// `node` is a literal alone or an `AND` of one literal and filters (or
/// excluded filters); `None` for any other query.
fn literal_and_filters(
    idx: &SarabanIndex,
    analysis: &Analysis,
    node: Node,
) -> Result<Option<LiteralAndFilters>, SearchError> {
    let items = match node {
        Node::Literal(literal) => return Ok(Some((literal, None))),
        Node::And(items) => items,
        _ => return Ok(None),
    };
    let compiler = QueryCompiler::new(idx, analysis);
    let mut literal = None;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for item in items {
        match item {
            Node::Literal(l) if literal.is_none() => literal = Some(l),
            Node::Filter(k, v) => clauses.push((Occur::Must, compiler.filter(k, &v)?)),
            Node::Not(inner) => match *inner {
                Node::Filter(k, v) => clauses.push((Occur::MustNot, compiler.filter(k, &v)?)),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        }
    }
    let Some(literal) = literal else {
        return Ok(None);
    };
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(Some((literal, Some(Box::new(BooleanQuery::new(clauses))))))
}

/// Every matching document with its score, in no order.
struct Scored;

/// [`Scored`] on one segment.
struct ScoredSegment {
    segment_ord: u32,
    hits: Vec<(Score, DocAddress)>,
}

impl Collector for Scored {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = ScoredSegment;

    fn for_segment(
        &self,
        segment_ord: u32,
        _reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<ScoredSegment> {
        Ok(ScoredSegment {
            segment_ord,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for ScoredSegment {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.hits
            .push((score, DocAddress::new(self.segment_ord, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

#[cfg(test)]
mod tests {
    use tantivy::fieldnorm::FieldNormReader;
    use tantivy::query::Bm25Weight;

    use super::word_limit;

    /// A common word's share of the bound is above every score the word
    /// gives a document, however short and however many occurrences.
    #[test]
    fn a_words_limit_is_above_every_score() {
        for average in [1.0f32, 10.0, 1000.0, 5000.0] {
            let bm25 = Bm25Weight::for_one_term(900, 1000, average);
            let limit = word_limit(&bm25);
            for id in 0..=255u8 {
                let length = FieldNormReader::id_to_fieldnorm(id).max(1);
                for tf in [1, 2, 10, length / 2, length] {
                    let score = bm25.score(id, tf.max(1));
                    assert!(score <= limit, "norm {id} tf {tf}: {score} > {limit}");
                }
            }
        }
    }
}
