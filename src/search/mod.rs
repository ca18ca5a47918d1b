//! Search: the query language compiled to tantivy queries, ranked hits, snippets.
//!
//! Every literal (a word or phrase) is *required* through the bigram view —
//! an exact substring test after digit and whitespace folding, so no
//! document that contains the text is missed and `2/2566` never matches
//! `12/2566`. Ranking: BM25 over the literal's words (word view), the
//! literal's own frequency (the bigram phrase scores like a term), and a
//! bonus when the title contains the literal. Bare words side by side must
//! each occur; the documents where they also stand together, as typed, get
//! a constant [`TOGETHER_SCORE`] on top, which ranks them first. Filters are
//! exact terms over entity fields and do not change scores.

pub mod first_page;
pub mod grams;
pub mod literal;
pub mod query;
pub mod snippet;
pub mod stream;

use std::collections::BTreeSet;
use std::ops::Bound;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, DocAddress, Term};

use crate::index::analyzer::{fold_for_match, word_units};
use crate::index::keys::entity_key;
use crate::index::{Analysis, SarabanIndex};
use crate::model::DocType;
use crate::normalize::repair;
pub use query::{FILTERS, QueryError};
use query::{FilterKey, Node};

/// Score added to a document where bare words stand together as typed: more
/// than any BM25 sum reaches, so those documents rank first.
pub const TOGETHER_SCORE: f32 = 1000.0;

/// Errors in a query or while searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query cannot mean one thing.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// tantivy failed.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// One search result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Source path or JSONL id.
    pub source: String,
    /// Title.
    pub title: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "order")]
    pub doc_type: DocType,
    /// Document date (CE).
    pub date: Option<String>,
    /// Relevance score.
    pub score: f32,
    /// Highlighted snippet.
    pub snippet: String,
    /// Provinces the document names.
    pub provinces: Vec<String>,
}

/// Results of a search.
#[derive(Debug, Clone)]
pub struct Results {
    /// Number of matching documents: every one when `total_exact`, else a
    /// lower bound (a first page answered without counting every hit).
    pub total: usize,
    /// Whether `total` counts every matching document.
    pub total_exact: bool,
    /// Hits, best first.
    pub hits: Vec<Hit>,
}

/// A compiled query plus what to highlight.
pub struct Compiled {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// Strings to highlight in snippets.
    pub highlights: Vec<String>,
}

/// A plan filter value ending in its edition or phase number.
static PLAN_EDITION: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
    regex::Regex::new(r"^(.*?)\s*(?:ฉบับที่|ระยะที่)\s*([0-9]+)$").expect("literal pattern")
});

fn regex_escape(s: &str) -> String {
    regex::escape(s)
}

fn zero(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, 0.0))
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// Seconds that a tantivy date (nanoseconds in an `i64`) can hold, with a
/// day to spare: about 1677-09-22 to 2262-04-10.
const DATE_SECS: i64 = i64::MAX / 1_000_000_000 - 86_400;

/// Midnight UTC of a day, when a tantivy date can hold it.
fn day_start(y: i32, m: u8, d: u8) -> Option<DateTime> {
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    let secs = date.midnight().assume_utc().unix_timestamp();
    (-DATE_SECS..=DATE_SECS)
        .contains(&secs)
        .then(|| DateTime::from_timestamp_secs(secs))
}

fn bad(key: FilterKey, value: &str, reason: &str) -> SearchError {
    SearchError::Query(QueryError::BadValue {
        name: key.name(),
        value: value.to_string(),
        reason: reason.to_string(),
    })
}

fn f_grams(idx: &SarabanIndex) -> Field {
    idx.fields.grams
}

/// Compiles parsed queries against an index.
pub struct QueryCompiler<'a> {
    idx: &'a SarabanIndex,
    analysis: &'a Analysis,
    only: Option<std::sync::Arc<grams::Only>>,
    searcher: Option<&'a tantivy::Searcher>,
    /// A string of the match view whose matches are already found.
    solved: Option<(Vec<char>, std::sync::Arc<grams::Solved>)>,
}

impl<'a> QueryCompiler<'a> {
    /// A compiler for this index and these dictionaries.
    pub fn new(idx: &'a SarabanIndex, analysis: &'a Analysis) -> Self {
        QueryCompiler {
            idx,
            analysis,
            only: None,
            searcher: None,
            solved: None,
        }
    }

    /// A compiler for queries run on `searcher` (and on no other): words
    /// side by side are then tested only on the documents holding the
    /// rarest of them, found once here, and strings beside selective
    /// filters only where the filters pass.
    pub fn with_searcher(mut self, searcher: &'a tantivy::Searcher) -> Self {
        self.searcher = Some(searcher);
        self
    }

    /// The rarest of `words` (by [`grams::match_bound`]) and its matches
    /// (among `only`'s documents when set): every match of the words is
    /// among them.
    fn rarest_word_docs(
        &self,
        searcher: &tantivy::Searcher,
        words: &[String],
    ) -> Result<Option<(Vec<char>, grams::Solved)>, SearchError> {
        let field = f_grams(self.idx);
        let mut rarest: Option<(u64, Vec<char>)> = None;
        for w in words {
            let chars = fold_for_match(&repair(w)).chars;
            if chars.is_empty() {
                continue;
            }
            let bound = grams::match_bound(searcher, field, &chars)?;
            if rarest.as_ref().is_none_or(|(b, _)| bound < *b) {
                rarest = Some((bound, chars));
            }
        }
        Ok(match rarest {
            Some((_, chars)) => {
                let only = self.only.as_deref();
                let solved = grams::matching_counts(searcher, field, &chars, only)?;
                Some((chars, solved))
            }
            None => None,
        })
    }

    /// The documents that pass the filters among `items` (an `AND`), when
    /// they are few (a quarter of the archive at most) and other items test
    /// strings: every match is among them, so the strings need be tested
    /// only there.
    fn filtered_docs(
        &self,
        searcher: &tantivy::Searcher,
        items: &[Node],
    ) -> Result<Option<grams::Only>, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut strings = false;
        for item in items {
            match item {
                Node::Filter(k, v) => clauses.push((Occur::Must, self.filter(*k, v)?)),
                Node::Not(inner) => {
                    if let Node::Filter(k, v) = &**inner {
                        clauses.push((Occur::MustNot, self.filter(*k, v)?));
                    }
                }
                _ => strings = true,
            }
        }
        if !strings || clauses.is_empty() {
            return Ok(None);
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let most = searcher.num_docs() / 4;
        Ok(grams::docs_of(searcher, &BooleanQuery::new(clauses), most)?)
    }

    /// A compiler whose test of the string `chars` (folded) on the match
    /// view takes its matches from `solved` (every match, found by
    /// [`grams::GramQuery::count_matches`] or [`grams::matching_counts`])
    /// instead of testing again. `solved` may leave out documents that fail
    /// filters the query requires beside the string.
    pub fn solved(mut self, chars: Vec<char>, solved: std::sync::Arc<grams::Solved>) -> Self {
        self.solved = Some((chars, solved));
        self
    }

    /// A compiler whose exact string tests look only at `only`'s documents.
    pub fn restricted(mut self, only: std::sync::Arc<grams::Only>) -> Self {
        self.only = Some(only);
        self
    }

    /// Exact substring test on a match-view field (titles' is dense).
    fn grams_query(&self, field: Field, chars: &[char]) -> Box<dyn Query> {
        let solved = match &self.solved {
            Some((c, s)) if field == f_grams(self.idx) && c == chars => Some(s.clone()),
            _ => None,
        };
        let query = if field == self.idx.fields.title_grams {
            grams::GramQuery::dense(field, chars.to_vec())
        } else {
            grams::GramQuery::new(field, chars.to_vec())
        };
        Box::new(query.restricted(self.only.clone()).solved(solved))
    }

    /// Compiles a query string.
    pub fn compile(&self, q: &str) -> Result<Compiled, SearchError> {
        let node = query::parse(q)?;
        let mut parts = Vec::new();
        node.positive_parts(&mut parts);
        let mut highlights = Vec::new();
        for (key, v) in parts {
            let exact = key.and_then(crate::entity::filter_of).and_then(|f| f.term);
            match key {
                None => highlights.push(v.to_string()),
                Some(_) if exact.is_some() => highlights.push(v.to_string()),
                Some(FilterKey::PROVINCE) => {
                    if let Some(p) = self.analysis.tagger.canonical_province(v) {
                        highlights.push(p.to_string());
                    }
                }
                Some(FilterKey::OFFICIAL) => {
                    highlights.push(entity_key(self.analysis.tagger.strip_titles(v)))
                }
                Some(FilterKey::PLAN) => highlights.push(entity_key(v)),
                _ => {}
            }
        }
        let query = self.node(&node)?.unwrap_or_else(|| Box::new(AllQuery));
        Ok(Compiled { query, highlights })
    }

    /// `None` means "no constraint" (an empty literal).
    fn node(&self, node: &Node) -> Result<Option<Box<dyn Query>>, SearchError> {
        Ok(match node {
            Node::Literal(s) => self.literal(s)?,
            Node::Words(words) => {
                if let Some(searcher) = self.searcher
                    && words.len() > 1
                    && let Some((chars, solved)) = self.rarest_word_docs(searcher, words)?
                {
                    let only = solved
                        .iter()
                        .map(|(seg, found)| (*seg, found.iter().map(|&(d, _)| d).collect()))
                        .collect();
                    let narrowed = QueryCompiler {
                        idx: self.idx,
                        analysis: self.analysis,
                        only: Some(std::sync::Arc::new(only)),
                        searcher: None,
                        solved: Some((chars, std::sync::Arc::new(solved))),
                    };
                    return narrowed.node(node);
                }
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for w in words {
                    if let Some(q) = self.literal(w)? {
                        clauses.push((Occur::Must, q));
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                let together = fold_for_match(&repair(&words.join(" ")));
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        self.grams_query(f_grams(self.idx), &together.chars),
                        TOGETHER_SCORE,
                    )),
                ));
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Filter(k, v) => Some(zero(self.filter(*k, v)?)),
            Node::Not(inner) => match self.node(inner)? {
                Some(q) => Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (Occur::MustNot, q),
                ]))),
                None => None,
            },
            Node::And(items) => {
                if let (Some(searcher), None) = (self.searcher, &self.only)
                    && let Some(only) = self.filtered_docs(searcher, items)?
                {
                    let narrowed = QueryCompiler {
                        idx: self.idx,
                        analysis: self.analysis,
                        only: Some(std::sync::Arc::new(only)),
                        // Words inside narrow further, among these.
                        searcher: self.searcher,
                        solved: self.solved.clone(),
                    };
                    return narrowed.node(node);
                }
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for item in items {
                    match item {
                        Node::Not(inner) => {
                            if let Some(q) = self.node(inner)? {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        _ => {
                            if let Some(q) = self.node(item)? {
                                clauses.push((Occur::Must, q));
                                positive = true;
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if !positive {
                    clauses.push((Occur::Must, zero(Box::new(AllQuery))));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    match self.node(item)? {
                        Some(q) => clauses.push((Occur::Should, q)),
                        // an empty alternative matches everything
                        None => return Ok(None),
                    }
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        })
    }

    fn literal(&self, s: &str) -> Result<Option<Box<dyn Query>>, SearchError> {
        let f = &self.idx.fields;
        let repaired = repair(s);
        let folded = fold_for_match(&repaired);
        if folded.chars.is_empty() {
            return Ok(None);
        }
        let words: Vec<String> = word_units(&self.analysis.segmenter, &repaired)
            .into_iter()
            .map(|u| u.text)
            .collect();
        let distinct: BTreeSet<&String> = words.iter().collect();
        let mut optional: Vec<Box<dyn Query>> =
            distinct.into_iter().map(|w| term(f.body, w)).collect();
        optional.push(Box::new(BoostQuery::new(
            self.grams_query(f.title_grams, &folded.chars),
            3.0,
        )));
        // The words and title are looked up only where the string is.
        Ok(Some(Box::new(literal::LiteralQuery::new(
            self.grams_query(f.grams, &folded.chars),
            optional,
        ))))
    }

    fn filter(&self, key: FilterKey, v: &str) -> Result<Box<dyn Query>, SearchError> {
        let f = &self.idx.fields;
        let v = v.trim();
        if let Some(exact) = crate::entity::filter_of(key).and_then(|f| f.term) {
            let field = f
                .entity_field(exact.field)
                .ok_or_else(|| bad(key, v, "no such index field"))?;
            return Ok(term(field, &(exact.key)(v)));
        }
        Ok(match key {
            FilterKey::PROVINCE => match self.analysis.tagger.canonical_province(v) {
                Some(p) => term(f.province, p),
                None => {
                    return Err(bad(
                        key,
                        v,
                        "not a province name (try the name as in ภูเก็ต or จังหวัดภูเก็ต)",
                    ));
                }
            },
            FilterKey::OFFICIAL => {
                // Whole name parts: the value's parts, in order, between
                // the stored name's spaces (ทวี is not ทวีสิน).
                let name = entity_key(self.analysis.tagger.strip_titles(v));
                if name.is_empty() {
                    return Err(bad(key, v, "no name to look for"));
                }
                let pattern = format!("(.* )?{}( .*)?", regex_escape(&name));
                Box::new(RegexQuery::from_pattern(&pattern, f.official)?)
            }
            FilterKey::PLAN => {
                let key = entity_key(v);
                let pattern = match PLAN_EDITION.captures(&key) {
                    Some(c) => format!(
                        ".*{}.*\\|{}",
                        regex_escape(c.get(1).map_or("", |m| m.as_str())),
                        c.get(2).map_or("", |m| m.as_str())
                    ),
                    None => format!(".*{}.*", regex_escape(&key)),
                };
                Box::new(RegexQuery::from_pattern(&pattern, f.plan)?)
            }
            FilterKey::TYPE => match DocType::parse(&v.to_lowercase()) {
                Some(t) => term(f.doc_type, t.as_str()),
                None => {
                    return Err(bad(
                        key,
                        v,
                        "unknown type (order, circular, letter, announcement, news, other)",
                    ));
                }
            },
            FilterKey::DATE | FilterKey::FY => {
                let (from, to) = query::date_range(key, v)
                    .ok_or_else(|| bad(key, v, "not a date (e.g. date:2566, fy:2566)"))?;
                // Days beyond what a tantivy date holds leave that end open.
                let lo = day_start(from.year, from.month, from.day);
                let hi = day_start(to.year, to.month, to.day)
                    .map(|d| DateTime::from_timestamp_secs(d.into_timestamp_secs() + 86_400));
                let lo = match lo {
                    Some(d) => Bound::Included(Term::from_field_date(f.date, d)),
                    None if from.year < 2000 => Bound::Unbounded,
                    None => return Ok(Box::new(EmptyQuery)),
                };
                let hi = match hi {
                    Some(d) => Bound::Excluded(Term::from_field_date(f.date, d)),
                    None if to.year > 2000 => Bound::Unbounded,
                    None => return Ok(Box::new(EmptyQuery)),
                };
                Box::new(RangeQuery::new(lo, hi))
            }
            // Exact-term filters are answered above.
            _ => return Err(bad(key, v, "not a filter this index answers")),
        })
    }
}

/// Runs a query; `limit` 0 means all hits.
pub fn search(
    idx: &SarabanIndex,
    analysis: &Analysis,
    q: &str,
    limit: usize,
) -> Result<Results, SearchError> {
    let searcher = idx.reader.searcher();
    // The collector allocates for its limit: never ask for more than there
    // are documents.
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    if docs == 0 {
        // Still a query that means one thing, or its error.
        QueryCompiler::new(idx, analysis).compile(q)?;
        return Ok(Results {
            total: 0,
            total_exact: true,
            hits: Vec::new(),
        });
    }
    let limit = if limit >= docs { 0 } else { limit };
    // A first page of a common string: ranked without visiting every hit;
    // of a rarer one: its matches found while counting them.
    let first = match limit {
        0 => first_page::Answer::Full,
        _ => first_page::answer(
            idx,
            analysis,
            &searcher,
            q,
            limit,
            first_page::Tuning::default(),
        )?,
    };
    let compiler = QueryCompiler::new(idx, analysis);
    let (compiled, first) = match first {
        // Only the highlights are wanted: no narrowing for a search.
        first_page::Answer::Page(page) => (compiler.compile(q)?, Some(page)),
        first_page::Answer::Solved(chars, solved) => (
            compiler
                .with_searcher(&searcher)
                .solved(chars, std::sync::Arc::new(solved))
                .compile(q)?,
            None,
        ),
        first_page::Answer::Full => (compiler.with_searcher(&searcher).compile(q)?, None),
    };
    // One pass counts and ranks.
    let (total, total_exact, top) = if let Some(page) = first {
        (page.total, page.total_exact, page.top)
    } else if limit == 0 {
        // One pass: a page as long as the archive holds every match, so
        // the string is not tested once to count and again to rank.
        let top = searcher.search(&compiled.query, &TopDocs::with_limit(docs).order_by_score())?;
        (top.len(), true, top)
    } else {
        let (total, top) = searcher.search(
            &compiled.query,
            &(Count, TopDocs::with_limit(limit).order_by_score()),
        )?;
        (total, true, top)
    };
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        hits.push(stream::hit(
            idx,
            &searcher,
            &compiled.highlights,
            score,
            addr,
        )?);
    }
    Ok(Results {
        total,
        total_exact,
        hits,
    })
}

/// Addresses of every document matching `q`, in index order (for export).
pub fn matching(
    idx: &SarabanIndex,
    analysis: &Analysis,
    q: &str,
) -> Result<Vec<DocAddress>, SearchError> {
    let compiled = QueryCompiler::new(idx, analysis).compile(q)?;
    let searcher = idx.reader.searcher();
    let mut all: Vec<DocAddress> = searcher
        .search(&compiled.query, &DocSetCollector)?
        .into_iter()
        .collect();
    all.sort_unstable();
    Ok(all)
}
