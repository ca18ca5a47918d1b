//! Browsing a result set: pages of hits behind a cursor (no depth cap),
//! facet counts over the whole result set, an order's own documents and
//! the documents citing it, and counts for a batch of queries.
//!
//! These are the read calls an interactive front end (the HTTP server)
//! needs beyond [`Archive::search`]; they rank and highlight exactly as
//! [`crate::search::search`] does, so a page walk returns the same hits as
//! one `search` with no limit.
//!
//! Paging order is score (best first), then document id: an order that
//! does not depend on segment layout, so a cursor stays meaningful when
//! the index reloads between two pages.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument};

use crate::archive::{Archive, ArchiveError};
use crate::entity::FacetCount;
use crate::index::{IndexError, SarabanIndex, StoredDoc, for_each_str};
use crate::pipeline::TagOutput;
use crate::search::{Compiled, Hit, QueryCompiler, SearchError, snippet};

pub use crate::entity::FACET_TOP;

/// Errors of the browsing calls.
#[derive(Debug, thiserror::Error)]
pub enum BrowseError {
    /// Searching or reading the index failed, or the query is bad.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The cursor was not made by [`page`].
    #[error("invalid cursor {0:?}")]
    BadCursor(String),
    /// The order number cannot be looked up.
    #[error("invalid order number {0:?}")]
    BadOrderNumber(String),
    /// Not a sort order.
    #[error("sort must be relevance or date, not {0:?}")]
    BadSort(String),
    /// The document was ingested as text only (a JSON Lines record): there
    /// is no original file.
    #[error("document {0:?} was ingested as text only: there is no original file")]
    NoOriginal(String),
    /// The original file is no longer where it was ingested from.
    #[error("the original file of document {id:?} cannot be read any more: {reason}")]
    OriginalGone {
        /// Document id.
        id: String,
        /// Why.
        reason: String,
    },
    /// The original file changed since it was ingested.
    #[error(
        "the original file of document {0:?} changed since it was ingested (content hash differs)"
    )]
    OriginalChanged(String),
    /// The cursor was made for another sort order.
    #[error("cursor belongs to sort={cursor}, not sort={sort}")]
    CursorSort {
        /// The cursor's sort.
        cursor: &'static str,
        /// The sort asked for.
        sort: &'static str,
    },
}

impl BrowseError {
    /// True when the caller's input is at fault (bad query, cursor or
    /// number), not the index.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            BrowseError::BadCursor(_)
                | BrowseError::BadOrderNumber(_)
                | BrowseError::BadSort(_)
                | BrowseError::CursorSort { .. }
                | BrowseError::Archive(ArchiveError::Search(SearchError::Query(_)))
        )
    }
}

impl From<SearchError> for BrowseError {
    fn from(e: SearchError) -> Self {
        BrowseError::Archive(ArchiveError::Search(e))
    }
}

fn tantivy_err(idx: &SarabanIndex) -> impl Fn(tantivy::TantivyError) -> BrowseError + '_ {
    move |source| {
        BrowseError::Archive(ArchiveError::Index(IndexError::Tantivy {
            path: idx.path.clone(),
            source,
        }))
    }
}

/// One value of a facet and the number of documents having it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    /// The value (a year is CE; a fiscal year is BE, as `fy:` takes it).
    pub value: String,
    /// The Buddhist Era year, for the `year` facet only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub be: Option<String>,
    /// Documents of the result set with this value.
    pub count: usize,
}

/// Facet counts over a whole result set, one list per facet of the entity
/// descriptors ([`crate::entity::facets`]), in their order; each list by
/// count (largest first), then value, except `month` (time order).
///
/// As JSON: an object with one key per facet (`type`, `province`, `year`,
/// `fy`, `month`, `order`, `official`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets(Vec<(&'static str, Vec<FacetValue>)>);

impl Facets {
    /// The values of facet `name` (`None` when there is no such facet).
    pub fn get(&self, name: &str) -> Option<&[FacetValue]> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Every facet's name and values, in the answer's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[FacetValue])> {
        self.0.iter().map(|(n, v)| (*n, v.as_slice()))
    }
}

impl Serialize for Facets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, values) in &self.0 {
            map.serialize_entry(name, values)?;
        }
        map.end()
    }
}

impl utoipa::PartialSchema for Facets {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        let mut o = ObjectBuilder::new().schema_type(Type::Object).description(Some(
            "Facet counts over a whole result set, each list by count (largest\nfirst), then value.",
        ));
        for f in crate::entity::facets() {
            o = o.required(f.name).property(
                f.name,
                ArrayBuilder::new()
                    .items(utoipa::openapi::Ref::from_schema_name("FacetValue"))
                    .description(Some(f.help)),
            );
        }
        o.into()
    }
}

impl utoipa::ToSchema for Facets {
    fn name() -> std::borrow::Cow<'static, str> {
        "Facets".into()
    }
}

/// One page of a result set.
#[derive(Debug, Clone)]
pub struct Page {
    /// Every matching document (always exact: the whole set is counted).
    pub total: usize,
    /// Hits of this page, best first.
    pub hits: Vec<Hit>,
    /// Cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Facets of the whole result set, when asked for.
    pub facets: Option<Facets>,
}

/// The order of a result set's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best score first, then by id.
    #[default]
    Relevance,
    /// Newest document date first, undated documents last, then by id.
    Date,
}

impl Sort {
    /// The name the API takes (`relevance`, `date`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Date => "date",
        }
    }
}

impl std::str::FromStr for Sort {
    type Err = BrowseError;

    fn from_str(s: &str) -> Result<Sort, BrowseError> {
        match s {
            "relevance" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Date),
            _ => Err(BrowseError::BadSort(s.to_string())),
        }
    }
}

/// A hit's place in the paging order: its sort key, then its id.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    /// Relevance score (higher first).
    Score(f32),
    /// Document date in seconds (newer first; `None` last).
    Date(Option<i64>),
}

/// Where a page starts: after the hit with this key and id.
#[derive(Debug, Clone, PartialEq)]
struct Cursor {
    key: Key,
    id: String,
}

fn hex_bytes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.as_bytes() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

impl Cursor {
    /// Opaque and URL-safe: `hex(score bits).hex(id)` for relevance,
    /// `d` `hex(seconds)` (or `dn` when undated) `.hex(id)` for date.
    fn encode(&self) -> String {
        let key = match &self.key {
            Key::Score(score) => format!("{:08x}", score.to_bits()),
            Key::Date(Some(secs)) => format!("d{:016x}", *secs as u64),
            Key::Date(None) => "dn".to_string(),
        };
        format!("{key}.{}", hex_bytes(&self.id))
    }

    fn decode(s: &str) -> Option<Cursor> {
        if !s.is_ascii() {
            return None;
        }
        let (key, id) = s.split_once('.')?;
        let key = if key == "dn" {
            Key::Date(None)
        } else if let Some(d) = key.strip_prefix('d') {
            if d.len() != 16 {
                return None;
            }
            Key::Date(Some(u64::from_str_radix(d, 16).ok()? as i64))
        } else {
            if key.len() != 8 {
                return None;
            }
            let score = f32::from_bits(u32::from_str_radix(key, 16).ok()?);
            if score.is_nan() {
                return None;
            }
            Key::Score(score)
        };
        Some(Cursor {
            key,
            id: unhex(id)?,
        })
    }

    fn sort(&self) -> Sort {
        match self.key {
            Key::Score(_) => Sort::Relevance,
            Key::Date(_) => Sort::Date,
        }
    }
}

/// One match: its score, date (seconds) and address. Ids are read only for
/// the hits a page shows and for ties at its edges ([`Ids`]).
#[derive(Debug, Clone, Copy)]
struct Match {
    score: f32,
    date: Option<i64>,
    addr: DocAddress,
}

impl Match {
    fn key(&self, sort: Sort) -> Key {
        match sort {
            Sort::Relevance => Key::Score(self.score),
            Sort::Date => Key::Date(self.date),
        }
    }
}

/// Paging order of two keys of one sort (`Less` = comes first).
fn key_order(a: &Key, b: &Key) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Key::Score(x), Key::Score(y)) => y.total_cmp(x),
        (Key::Date(x), Key::Date(y)) => match (x, y) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
        // Not reached: one page walk uses one sort.
        (Key::Score(_), Key::Date(_)) => Ordering::Less,
        (Key::Date(_), Key::Score(_)) => Ordering::Greater,
    }
}

/// Every match of a query, in index order, and (once counted) the facets
/// of the whole set: what a [`ResultCache`] keeps, so the pages of a cursor
/// walk and a change of sort do not search again.
#[derive(Debug)]
pub struct ResultSet {
    matches: Vec<Match>,
    /// What the snippets highlight.
    highlights: Vec<String>,
    facets: std::sync::OnceLock<Facets>,
}

impl ResultSet {
    /// Number of matching documents.
    pub fn len(&self) -> usize {
        self.matches.len()
    }

    /// True when nothing matched.
    pub fn is_empty(&self) -> bool {
        self.matches.is_empty()
    }

    /// Estimated heap bytes (for the cache's budget).
    pub fn bytes(&self) -> usize {
        let facets = self.facets.get().map_or(0, |f| {
            f.iter()
                .flat_map(|(_, v)| v.iter())
                .map(|v| {
                    std::mem::size_of::<FacetValue>()
                        + v.value.len()
                        + v.be.as_ref().map_or(0, String::len)
                })
                .sum()
        });
        std::mem::size_of::<Self>()
            + self.matches.capacity() * std::mem::size_of::<Match>()
            + self.highlights.iter().map(|h| h.len() + 24).sum::<usize>()
            + facets
    }
}

/// Result sets of recent queries, per reader generation, bounded in bytes
/// (see [`crate::cache`]).
pub type ResultCache = crate::cache::Lru<ResultSet>;

/// Default budget of the server's [`ResultCache`], in MB.
pub const DEFAULT_CACHE_MB: usize = 64;

/// A page of `query`'s hits in `sort` order: at most `limit` (at least
/// one), starting after `cursor` (a `next_cursor` of an earlier page of the
/// same sort; `None` = the first page), with the facets of the whole result
/// set when `facets` is true.
pub fn page(
    archive: &Archive,
    query: &str,
    limit: usize,
    cursor: Option<&str>,
    sort: Sort,
    facets: bool,
) -> Result<Page, BrowseError> {
    page_cached(archive, None, query, limit, cursor, sort, facets)
}

/// What the pages of one archive reuse between requests (a server keeps
/// one): recent result sets, and the meta file seen at the last reload.
pub struct Reuse {
    /// Result sets of recent queries.
    pub cache: ResultCache,
    /// Whether a commit may have come since the reader last reloaded.
    pub watch: CommitWatch,
}

impl Reuse {
    /// A result cache of `cache_bytes` (0: none) and a fresh watch.
    pub fn new(cache_bytes: usize) -> Reuse {
        Reuse {
            cache: ResultCache::new(cache_bytes),
            watch: CommitWatch::default(),
        }
    }
}

/// Tells whether an index's commit may have changed since its reader last
/// reloaded, from the file system's record of the index's meta file (one
/// `stat`), where [`SarabanIndex::refresh`] reads and parses the file: a
/// commit replaces the file (a new file renamed over it), so its inode,
/// size or time changes. One watch serves one index.
#[derive(Debug, Default)]
pub struct CommitWatch {
    seen: std::sync::Mutex<Option<MetaStamp>>,
}

/// What the file system says of a meta file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MetaStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Device and inode (Unix).
    file: (u64, u64),
}

impl MetaStamp {
    fn of(index_dir: &std::path::Path) -> Option<MetaStamp> {
        let m = std::fs::metadata(index_dir.join("meta.json")).ok()?;
        #[cfg(unix)]
        let file = {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        };
        #[cfg(not(unix))]
        let file = (0, 0);
        Some(MetaStamp {
            len: m.len(),
            modified: m.modified().ok(),
            file,
        })
    }
}

impl CommitWatch {
    /// Makes `idx`'s reader see the latest commit ([`SarabanIndex::refresh`])
    /// unless its meta file is the one seen before the last refresh made
    /// through this watch.
    pub fn refresh(&self, idx: &SarabanIndex) -> Result<(), IndexError> {
        // Taken before the refresh: a commit landing in between is seen
        // as a change next time (one refresh too many, never one too few).
        let now = MetaStamp::of(&idx.path);
        if now.is_some() && self.seen.lock().is_ok_and(|seen| *seen == now) {
            return Ok(());
        }
        idx.refresh()?;
        if let Ok(mut seen) = self.seen.lock() {
            *seen = now;
        }
        Ok(())
    }
}

/// [`page`], taking the query's result set from `reuse`'s cache when it
/// holds one for the current reader generation, and keeping it there
/// otherwise; the reader reloads only when `reuse`'s watch sees a commit.
pub fn page_cached(
    archive: &Archive,
    reuse: Option<&Reuse>,
    query: &str,
    limit: usize,
    cursor: Option<&str>,
    sort: Sort,
    facets: bool,
) -> Result<Page, BrowseError> {
    let after = match cursor {
        Some(c) => {
            let cur = Cursor::decode(c).ok_or_else(|| BrowseError::BadCursor(c.to_string()))?;
            if cur.sort() != sort {
                return Err(BrowseError::CursorSort {
                    cursor: cur.sort().as_str(),
                    sort: sort.as_str(),
                });
            }
            Some(cur)
        }
        None => None,
    };
    let idx = archive.index();
    match reuse {
        Some(r) => r.watch.refresh(idx),
        None => idx.refresh(),
    }
    .map_err(ArchiveError::from)?;
    let cache = reuse.map(|r| &r.cache);
    let searcher = idx.reader.searcher();
    let generation = searcher.generation().generation_id();
    let set = match cache.and_then(|c| c.get(generation, query)) {
        Some(set) => set,
        None => {
            let compiled = QueryCompiler::new(idx, archive.analysis())
                .with_searcher(&searcher)
                .compile(query)?;
            let set = std::sync::Arc::new(ResultSet {
                matches: matches(idx, &searcher, &compiled)?,
                highlights: compiled.highlights,
                facets: std::sync::OnceLock::new(),
            });
            if let Some(c) = cache {
                c.insert(generation, query, set.clone(), set.bytes());
            }
            set
        }
    };
    let facets = if facets {
        Some(match set.facets.get() {
            Some(f) => f.clone(),
            None => {
                let addrs: Vec<DocAddress> = set.matches.iter().map(|m| m.addr).collect();
                let f = count_facets(idx, &searcher, &addrs)?;
                if set.facets.set(f.clone()).is_ok()
                    && let Some(c) = cache
                {
                    // The same set, now larger by its facets.
                    c.insert(generation, query, set.clone(), set.bytes());
                }
                f
            }
        })
    } else {
        None
    };
    let total = set.len();
    let mut ids = Ids::new(idx, &searcher);
    let (shown, more) = select(&mut ids, &set.matches, sort, after.as_ref(), limit.max(1))?;
    let mut hits = Vec::with_capacity(shown.len());
    for (m, _) in &shown {
        hits.push(hit(idx, &searcher, &set.highlights, m.score, m.addr)?);
    }
    let next_cursor = match shown.last() {
        Some((m, id)) if more => Some(
            Cursor {
                key: m.key(sort),
                id: id.clone(),
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(Page {
        total,
        hits,
        next_cursor,
        facets,
    })
}

/// The first `limit` of `matches` in paging order (key, then id) after
/// `after`, with their ids, and whether any match follows them. Linear in
/// the matches; ids are read only for the page and the ties at its edges.
fn select(
    ids: &mut Ids<'_>,
    matches: &[Match],
    sort: Sort,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<(Vec<(Match, String)>, bool), BrowseError> {
    use std::cmp::Ordering;
    // Matches after the cursor's key, and those sharing it (the id
    // decides).
    let mut later: Vec<Match> = Vec::new();
    let mut same: Vec<Match> = Vec::new();
    for m in matches {
        match after.map(|c| key_order(&m.key(sort), &c.key)) {
            None | Some(Ordering::Greater) => later.push(*m),
            Some(Ordering::Equal) => same.push(*m),
            Some(Ordering::Less) => {}
        }
    }
    let (mut page, mut more) = match after {
        Some(c) if !same.is_empty() => first_by_id(ids, same, Some(&c.id), limit)?,
        _ => (Vec::new(), false),
    };
    let need = limit - page.len();
    if need == 0 {
        return Ok((page, more || !later.is_empty()));
    }
    more |= later.len() > need;
    if later.len() > need {
        // The `need`-th key: everything before it is on the page; of the
        // matches sharing it, the first by id fill the rest.
        let by_key = |a: &Match, b: &Match| key_order(&a.key(sort), &b.key(sort));
        later.select_nth_unstable_by(need - 1, by_key);
        let edge = later[need - 1].key(sort);
        let mut before = Vec::new();
        let mut tied = Vec::new();
        for m in later {
            match key_order(&m.key(sort), &edge) {
                Ordering::Less => before.push(m),
                Ordering::Equal => tied.push(m),
                Ordering::Greater => {}
            }
        }
        let mut head = with_ids(ids, before)?;
        head.sort_by(|a, b| key_order(&a.0.key(sort), &b.0.key(sort)).then_with(|| a.1.cmp(&b.1)));
        let rest = need - head.len();
        let (tail, _) = first_by_id(ids, tied, None, rest)?;
        page.extend(head);
        page.extend(tail);
    } else {
        let mut all = with_ids(ids, later)?;
        all.sort_by(|a, b| key_order(&a.0.key(sort), &b.0.key(sort)).then_with(|| a.1.cmp(&b.1)));
        page.extend(all);
    }
    Ok((page, more))
}

/// The matches with their ids.
fn with_ids(ids: &mut Ids<'_>, ms: Vec<Match>) -> Result<Vec<(Match, String)>, BrowseError> {
    let mut out = Vec::with_capacity(ms.len());
    for m in ms {
        let ord = ids.ord(m.addr)?;
        let id = match ord {
            Some(o) => ids.name(m.addr.segment_ord, o)?,
            None => String::new(),
        };
        out.push((m, id));
    }
    Ok(out)
}

/// Of `group` (matches sharing one key), the first `need` by id whose id
/// is greater than `after` (when given), with their ids; and whether more
/// such matches remain. Within a segment id order is term-ordinal order,
/// so only the first `need` of each segment are named, and the cursor's
/// place is found by bisecting the ordinals.
fn first_by_id(
    ids: &mut Ids<'_>,
    group: Vec<Match>,
    after: Option<&str>,
    need: usize,
) -> Result<(Vec<(Match, String)>, bool), BrowseError> {
    let mut by_seg: std::collections::BTreeMap<u32, Vec<(u64, Match)>> = Default::default();
    let mut unnamed = Vec::new();
    for m in group {
        match ids.ord(m.addr)? {
            Some(o) => by_seg.entry(m.addr.segment_ord).or_default().push((o, m)),
            // No id: the empty id, first of all.
            None if after.is_none() => unnamed.push((m, String::new())),
            None => {}
        }
    }
    let mut left = unnamed.len();
    let mut out = unnamed;
    for (seg, mut list) in by_seg {
        list.sort_unstable_by_key(|(o, m)| (*o, m.addr.doc_id));
        let start = match after {
            None => 0,
            Some(a) => {
                // First position whose id is greater than `a`.
                let (mut lo, mut hi) = (0, list.len());
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if ids.name(seg, list[mid].0)?.as_str() <= a {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
        };
        left += list.len() - start;
        for (o, m) in list.into_iter().skip(start).take(need) {
            out.push((m, ids.name(seg, o)?));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.addr.cmp(&b.0.addr)));
    out.truncate(need);
    let more = left > out.len();
    Ok((out, more))
}

/// Document ids from each segment's id column, opened once per page.
struct Ids<'a> {
    idx: &'a SarabanIndex,
    searcher: &'a Searcher,
    cols: HashMap<u32, Option<tantivy::columnar::StrColumn>>,
}

impl<'a> Ids<'a> {
    fn new(idx: &'a SarabanIndex, searcher: &'a Searcher) -> Ids<'a> {
        Ids {
            idx,
            searcher,
            cols: HashMap::new(),
        }
    }

    fn col(&mut self, seg: u32) -> Result<Option<&tantivy::columnar::StrColumn>, BrowseError> {
        if !self.cols.contains_key(&seg) {
            let col = self
                .searcher
                .segment_reader(seg)
                .fast_fields()
                .str("id")
                .map_err(tantivy_err(self.idx))?;
            self.cols.insert(seg, col);
        }
        Ok(self.cols.get(&seg).and_then(Option::as_ref))
    }

    /// The term ordinal of the document's id.
    fn ord(&mut self, addr: DocAddress) -> Result<Option<u64>, BrowseError> {
        Ok(self
            .col(addr.segment_ord)?
            .and_then(|c| c.ords().first(addr.doc_id)))
    }

    /// The id with ordinal `ord` in segment `seg`.
    fn name(&mut self, seg: u32, ord: u64) -> Result<String, BrowseError> {
        let (idx, searcher) = (self.idx, self.searcher);
        let Some(col) = self.col(seg)? else {
            return Ok(String::new());
        };
        let names =
            column_names(searcher.segment_reader(seg), "id", col).map_err(tantivy_err(idx))?;
        Ok(usize::try_from(ord)
            .ok()
            .and_then(|o| names.get(o))
            .cloned()
            .unwrap_or_default())
    }
}

/// Collects every match with its score, per segment (no heap, no limit).
struct AllScored;

/// [`AllScored`] in one segment.
struct SegmentScored {
    seg: tantivy::SegmentOrdinal,
    hits: Vec<(f32, tantivy::DocId)>,
}

impl tantivy::collector::Collector for AllScored {
    type Fruit = Vec<(tantivy::SegmentOrdinal, Vec<(f32, tantivy::DocId)>)>;
    type Child = SegmentScored;

    fn for_segment(
        &self,
        seg: tantivy::SegmentOrdinal,
        _reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentScored> {
        Ok(SegmentScored {
            seg,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(tantivy::SegmentOrdinal, Vec<(f32, tantivy::DocId)>)>,
    ) -> tantivy::Result<Self::Fruit> {
        Ok(fruits)
    }
}

impl tantivy::collector::SegmentCollector for SegmentScored {
    type Fruit = (tantivy::SegmentOrdinal, Vec<(f32, tantivy::DocId)>);

    fn collect(&mut self, doc: tantivy::DocId, score: f32) {
        self.hits.push((score, doc));
    }

    fn harvest(self) -> Self::Fruit {
        (self.seg, self.hits)
    }
}

/// Every match with its score and date, in index order: one pass over the
/// query.
fn matches(
    idx: &SarabanIndex,
    searcher: &Searcher,
    compiled: &Compiled,
) -> Result<Vec<Match>, BrowseError> {
    let err = tantivy_err(idx);
    let fruits = searcher.search(&compiled.query, &AllScored).map_err(&err)?;
    let mut out = Vec::with_capacity(fruits.iter().map(|(_, h)| h.len()).sum());
    for (seg_ord, hits) in fruits {
        if hits.is_empty() {
            continue;
        }
        let dates = searcher
            .segment_reader(seg_ord)
            .fast_fields()
            .date("date")
            .map_err(&err)?;
        for (score, doc) in hits {
            out.push(Match {
                score,
                date: dates.first(doc).map(|d| d.into_timestamp_secs()),
                addr: DocAddress::new(seg_ord, doc),
            });
        }
    }
    Ok(out)
}

/// A hit as [`crate::search::search`] reports it.
fn hit(
    idx: &SarabanIndex,
    searcher: &Searcher,
    highlights: &[String],
    score: f32,
    addr: DocAddress,
) -> Result<Hit, BrowseError> {
    let doc: TantivyDocument = searcher.doc(addr).map_err(tantivy_err(idx))?;
    let stored = idx.stored(&doc);
    let provinces = doc
        .get_all(idx.fields.province)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    Ok(Hit {
        snippet: snippet::snippet(&stored.text, highlights, 160, "<b>", "</b>"),
        id: stored.id,
        source: stored.source,
        title: stored.title,
        doc_type: stored.doc_type,
        date: stored.date,
        score,
        provinces,
    })
}

/// Counts the facets of the documents at `addrs`: every facet of the
/// entity descriptors, each as its descriptor says.
fn count_facets(
    idx: &SarabanIndex,
    searcher: &Searcher,
    addrs: &[DocAddress],
) -> Result<Facets, BrowseError> {
    let err = tantivy_err(idx);
    let segs = searcher.segment_readers();
    forget_old_segments(searcher);
    // Matched documents per segment, in document order.
    let mut per_seg: Vec<Vec<tantivy::DocId>> = vec![Vec::new(); segs.len()];
    for a in addrs {
        if let Some(docs) = per_seg.get_mut(a.segment_ord as usize) {
            docs.push(a.doc_id);
        }
    }
    for docs in &mut per_seg {
        if !docs.is_sorted() {
            docs.sort_unstable();
        }
        docs.dedup();
    }
    let facets = crate::entity::facets();
    // Documents per month, in month order, per date field counted (the
    // year, fiscal year and month facets of one field share them).
    let mut months: Vec<(&'static str, Vec<(i32, usize)>)> = Vec::new();
    let mut out = Vec::with_capacity(facets.len());
    for f in &facets {
        let values = match f.count {
            // Strings are counted by their number among the values of every
            // segment (numbered once per set of segments), so no value is
            // named, compared or merged per request but those listed.
            FacetCount::Column | FacetCount::Terms => {
                let all = all_values(idx, searcher, f).map_err(&err)?;
                let mut counts = vec![0usize; all.names.len()];
                for (view, docs) in all.segs.iter().zip(&per_seg) {
                    let Some((fwd, number)) = view else { continue };
                    for &doc in docs {
                        for t in fwd.of(doc as usize) {
                            if let Some(c) = number
                                .get(*t as usize)
                                .and_then(|n| counts.get_mut(*n as usize))
                            {
                                *c += 1;
                            }
                        }
                    }
                }
                top_values(&all.names, &counts, f.top)
            }
            dated => {
                if !months.iter().any(|(name, _)| *name == f.field) {
                    let by_month = count_months(segs, &per_seg, f.field).map_err(&err)?;
                    months.push((f.field, by_month));
                }
                let runs = months
                    .iter()
                    .find(|(name, _)| *name == f.field)
                    .map_or(&[][..], |(_, r)| r.as_slice());
                date_facet(dated, runs)
            }
        };
        out.push((f.name, values));
    }
    Ok(Facets(out))
}

/// The documents of each month (months since year 0, `year * 12 +
/// month - 1`) among `per_seg` (matched documents per segment), by the
/// first value of date column `field`, in month order; undated documents
/// are not counted.
fn count_months(
    segs: &[tantivy::SegmentReader],
    per_seg: &[Vec<tantivy::DocId>],
    field: &'static str,
) -> tantivy::Result<Vec<(i32, usize)>> {
    let mut views = Vec::new();
    let (mut lo, mut hi) = (i32::MAX, i32::MIN);
    for (seg, docs) in segs.iter().zip(per_seg) {
        if docs.is_empty() {
            continue;
        }
        let m = first_months(seg, field)?;
        if let Some((a, b)) = m.range {
            lo = lo.min(a);
            hi = hi.max(b);
        }
        views.push((m, docs));
    }
    if lo > hi {
        return Ok(Vec::new());
    }
    let span = usize::try_from(i64::from(hi) - i64::from(lo) + 1).unwrap_or(usize::MAX);
    if span <= 1 << 16 {
        // One counter per month of the range.
        let mut n = vec![0usize; span];
        for (m, docs) in &views {
            for &doc in docs.iter() {
                if let Some(Some(month)) = m.of.get(doc as usize)
                    && let Some(c) = n.get_mut((month - lo) as usize)
                {
                    *c += 1;
                }
            }
        }
        Ok((lo..=hi).zip(n).filter(|(_, c)| *c > 0).collect::<Vec<_>>())
    } else {
        // Dates far apart.
        Ok(month_runs(views.iter().flat_map(|(m, docs)| {
            docs.iter()
                .filter_map(|&doc| m.of.get(doc as usize).copied().flatten())
        })))
    }
}

/// `months`, sorted, counted by runs: `(month, documents)` in month order.
fn month_runs(months: impl Iterator<Item = i32>) -> Vec<(i32, usize)> {
    let mut all: Vec<i32> = months.collect();
    all.sort_unstable();
    let mut runs: Vec<(i32, usize)> = Vec::new();
    for month in all {
        match runs.last_mut() {
            Some((last, n)) if *last == month => *n += 1,
            _ => runs.push((month, 1)),
        }
    }
    runs
}

/// The first `top` (all when `None`) of the values with documents, by
/// count (largest first), then value. `names` are in value order and
/// `counts` are by their numbers, so the number breaks ties as the value
/// would.
fn top_values(names: &[String], counts: &[usize], top: Option<usize>) -> Vec<FacetValue> {
    let mut values: Vec<(usize, usize)> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i, *n))
        .collect();
    let order = |a: &(usize, usize), b: &(usize, usize)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    if let Some(top) = top
        && top < values.len()
    {
        // Only the first `top` are listed: the rest need no order.
        if top == 0 {
            values.clear();
        } else {
            values.select_nth_unstable_by(top - 1, order);
            values.truncate(top);
        }
    }
    values.sort_unstable_by(order);
    values
        .into_iter()
        .map(|(i, count)| FacetValue {
            value: names.get(i).cloned().unwrap_or_default(),
            be: None,
            count,
        })
        .collect()
}

/// A date facet's values from the documents of each month (`(months since
/// year 0, documents)` in month order).
fn date_facet(count: FacetCount, months: &[(i32, usize)]) -> Vec<FacetValue> {
    let mut by: HashMap<(i32, u8), usize> = HashMap::new();
    for &(month, n) in months {
        let (y, m) = (month.div_euclid(12), (month.rem_euclid(12) + 1) as u8);
        let key = match count {
            FacetCount::Month => (y, m),
            FacetCount::FiscalYear => (fiscal_year_be(y, m), 0),
            _ => (y, 0),
        };
        *by.entry(key).or_default() += n;
    }
    if count == FacetCount::Month {
        let mut month: Vec<((i32, u8), usize)> = by.into_iter().collect();
        month.sort_unstable();
        return month
            .into_iter()
            .map(|((y, m), count)| FacetValue {
                value: format!("{y:04}-{m:02}"),
                be: None,
                count,
            })
            .collect();
    }
    let mut v: Vec<FacetValue> = by
        .into_iter()
        .map(|((y, _), n)| FacetValue {
            value: y.to_string(),
            be: (count == FacetCount::Year).then(|| (y + 543).to_string()),
            count: n,
        })
        .collect();
    sort_facet(&mut v);
    v
}

/// The values of one string facet over every segment of a searcher.
#[derive(Debug)]
struct AllValues {
    /// Every value of the facet in the segments, once, in value order.
    names: Vec<String>,
    /// Per segment (in the searcher's order): its per-document view and
    /// the number in `names` of each of its term numbers (`None`: the
    /// segment has no such field).
    segs: Vec<Option<(std::sync::Arc<Forward>, Vec<u32>)>>,
}

/// The segments of a searcher and a facet's name.
type AllValuesKey = (Vec<tantivy::index::SegmentId>, &'static str);

/// [`AllValues`] of the sets of segments in use.
static ALL_VALUES: once_cell::sync::Lazy<
    std::sync::Mutex<HashMap<AllValuesKey, std::sync::Arc<AllValues>>>,
> = once_cell::sync::Lazy::new(Default::default);

/// The values of string facet `f` over every segment of `searcher`, built
/// once for a set of segments.
fn all_values(
    idx: &SarabanIndex,
    searcher: &Searcher,
    f: &crate::entity::Facet,
) -> tantivy::Result<std::sync::Arc<AllValues>> {
    let segs = searcher.segment_readers();
    let key = (
        segs.iter().map(|s| s.segment_id()).collect::<Vec<_>>(),
        f.name,
    );
    if let Some(v) = ALL_VALUES.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(v);
    }
    let mut views = Vec::with_capacity(segs.len());
    for seg in segs {
        let view = match f.count {
            FacetCount::Column => match seg.fast_fields().str(f.field)? {
                Some(col) => Some(column_forward(seg, f.field, &col)?),
                None => None,
            },
            FacetCount::Terms => match idx.fields.entity_field(f.field) {
                Some(field) => Some(forward(seg, field)?),
                None => None,
            },
            _ => None,
        };
        views.push(view);
    }
    let mut names: Vec<&str> = views
        .iter()
        .flatten()
        .flat_map(|v| v.terms.iter().map(String::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    let segs = views
        .iter()
        .map(|view| {
            view.as_ref().map(|fwd| {
                let number = fwd
                    .terms
                    .iter()
                    .map(|t| {
                        names
                            .binary_search(&t.as_str())
                            .map_or(u32::MAX, |i| i as u32)
                    })
                    .collect();
                (fwd.clone(), number)
            })
        })
        .collect();
    let built = std::sync::Arc::new(AllValues {
        names: names.into_iter().map(str::to_string).collect(),
        segs,
    });
    if let Ok(mut m) = ALL_VALUES.lock() {
        m.insert(key, built.clone());
    }
    Ok(built)
}

/// The terms of one indexed field of one segment, per document: what the
/// postings say, turned around so a result set's values are counted in
/// time proportional to the result set, not to the field's vocabulary.
#[derive(Debug, Default)]
struct Forward {
    /// Term strings, by term number.
    terms: ColumnValues,
    /// `values[offsets[doc]..offsets[doc + 1]]` are the doc's term numbers.
    offsets: Vec<u32>,
    /// Term numbers of every document, in document order.
    values: Vec<u32>,
}

impl Forward {
    fn of(&self, doc: usize) -> &[u32] {
        let (Some(a), Some(b)) = (self.offsets.get(doc), self.offsets.get(doc + 1)) else {
            return &[];
        };
        self.values
            .get(*a as usize..*b as usize)
            .unwrap_or_default()
    }
}

type ForwardKey = (tantivy::index::SegmentId, tantivy::schema::Field);

/// Forward views of the segments in use (segments never change once
/// written; views of segments no longer searched are dropped).
static FORWARD: once_cell::sync::Lazy<
    std::sync::Mutex<HashMap<ForwardKey, std::sync::Arc<Forward>>>,
> = once_cell::sync::Lazy::new(Default::default);

/// The forward view of `field` in `seg`, built on first use.
fn forward(
    seg: &tantivy::SegmentReader,
    field: tantivy::schema::Field,
) -> tantivy::Result<std::sync::Arc<Forward>> {
    let key = (seg.segment_id(), field);
    if let Some(f) = FORWARD.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(f);
    }
    let inv = seg.inverted_index(field)?;
    let mut terms = inv.terms().stream()?;
    let mut names = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    while terms.advance() {
        let t = names.len() as u32;
        names.push(String::from_utf8_lossy(terms.key()).into_owned());
        let mut postings =
            inv.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            pairs.push((doc, t));
            doc = postings.advance();
        }
    }
    pairs.sort_unstable();
    let max_doc = seg.max_doc() as usize;
    let mut offsets = Vec::with_capacity(max_doc + 1);
    let mut values = Vec::with_capacity(pairs.len());
    let mut it = pairs.into_iter().peekable();
    for doc in 0..max_doc as u32 {
        offsets.push(values.len() as u32);
        while let Some((_, t)) = it.next_if(|(d, _)| *d == doc) {
            values.push(t);
        }
    }
    offsets.push(values.len() as u32);
    let built = std::sync::Arc::new(Forward {
        terms: std::sync::Arc::new(names),
        offsets,
        values,
    });
    if let Ok(mut m) = FORWARD.lock() {
        m.insert(key, built.clone());
    }
    Ok(built)
}

/// Per-document views of the string columns of the segments in use.
static COLUMN_FORWARD: once_cell::sync::Lazy<
    std::sync::Mutex<HashMap<ColumnKey, std::sync::Arc<Forward>>>,
> = once_cell::sync::Lazy::new(Default::default);

/// The distinct values of column `name` (`col`) of `seg` per document, by
/// term ordinal, read once: a result set is then counted without a row
/// lookup and a decoding for each of its documents.
fn column_forward(
    seg: &tantivy::SegmentReader,
    name: &'static str,
    col: &tantivy::columnar::StrColumn,
) -> tantivy::Result<std::sync::Arc<Forward>> {
    let key = (seg.segment_id(), name);
    if let Some(f) = COLUMN_FORWARD
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned())
    {
        return Ok(f);
    }
    let terms = column_names(seg, name, col)?;
    let max_doc = seg.max_doc();
    let mut offsets = Vec::with_capacity(max_doc as usize + 1);
    let mut values: Vec<u32> = Vec::new();
    for doc in 0..max_doc {
        let start = values.len();
        offsets.push(start as u32);
        values.extend(col.term_ords(doc).map(|o| o as u32));
        // A value named twice in one document counts once.
        values[start..].sort_unstable();
        let mut kept = start;
        for i in start..values.len() {
            if kept == start || values[kept - 1] != values[i] {
                values[kept] = values[i];
                kept += 1;
            }
        }
        values.truncate(kept);
    }
    offsets.push(values.len() as u32);
    let built = std::sync::Arc::new(Forward {
        terms,
        offsets,
        values,
    });
    if let Ok(mut m) = COLUMN_FORWARD.lock() {
        m.insert(key, built.clone());
    }
    Ok(built)
}

/// Each document's first month (months since year 0), per date column.
#[derive(Debug)]
struct FirstMonths {
    /// By document (`None`: undated).
    of: Vec<Option<i32>>,
    /// The first and last month of the segment (`None`: nothing dated).
    range: Option<(i32, i32)>,
}

/// The first months of the date columns of the segments in use.
static FIRST_MONTHS: once_cell::sync::Lazy<
    std::sync::Mutex<HashMap<ColumnKey, std::sync::Arc<FirstMonths>>>,
> = once_cell::sync::Lazy::new(Default::default);

/// The month of the first value of date column `name` of each document
/// of `seg` (UTC), read once.
fn first_months(
    seg: &tantivy::SegmentReader,
    name: &'static str,
) -> tantivy::Result<std::sync::Arc<FirstMonths>> {
    let key = (seg.segment_id(), name);
    if let Some(d) = FIRST_MONTHS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(d);
    }
    let dates = seg.fast_fields().date(name)?;
    let of: Vec<Option<i32>> = (0..seg.max_doc())
        .map(|doc| {
            dates.values_for_doc(doc).next().map(|d| {
                let d = d.into_utc();
                d.year() * 12 + i32::from(u8::from(d.month())) - 1
            })
        })
        .collect();
    let range = of.iter().flatten().fold(None, |r: Option<(i32, i32)>, &m| {
        Some(r.map_or((m, m), |(a, b)| (a.min(m), b.max(m))))
    });
    let built = std::sync::Arc::new(FirstMonths { of, range });
    if let Ok(mut m) = FIRST_MONTHS.lock() {
        m.insert(key, built.clone());
    }
    Ok(built)
}

/// Drops the forward views of segments `searcher` no longer has (for a
/// reloaded index).
fn forget_old_segments(searcher: &Searcher) {
    let live: std::collections::HashSet<tantivy::index::SegmentId> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id())
        .collect();
    if let Ok(mut m) = FORWARD.lock() {
        m.retain(|(id, _), _| live.contains(id));
    }
    if let Ok(mut m) = COLUMN_NAMES.lock() {
        m.retain(|(id, _), _| live.contains(id));
    }
    if let Ok(mut m) = COLUMN_FORWARD.lock() {
        m.retain(|(id, _), _| live.contains(id));
    }
    if let Ok(mut m) = FIRST_MONTHS.lock() {
        m.retain(|(id, _), _| live.contains(id));
    }
    if let Ok(mut m) = ALL_VALUES.lock() {
        // Kept for the current set of segments only.
        let current: Vec<tantivy::index::SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        m.retain(|(ids, _), _| *ids == current);
    }
}

/// A segment and one of its string columns.
type ColumnKey = (tantivy::index::SegmentId, &'static str);

/// A column's values by term ordinal.
type ColumnValues = std::sync::Arc<Vec<String>>;

/// The values of the string columns of the segments in use, by term
/// ordinal: naming an ordinal through the column's dictionary decompresses
/// a dictionary block each time, and the facets name every counted one.
static COLUMN_NAMES: once_cell::sync::Lazy<std::sync::Mutex<HashMap<ColumnKey, ColumnValues>>> =
    once_cell::sync::Lazy::new(Default::default);

/// The values of column `name` (`col`) of `seg` by term ordinal, read once.
fn column_names(
    seg: &tantivy::SegmentReader,
    name: &'static str,
    col: &tantivy::columnar::StrColumn,
) -> tantivy::Result<ColumnValues> {
    let key = (seg.segment_id(), name);
    if let Some(n) = COLUMN_NAMES.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(n);
    }
    let mut names = Vec::with_capacity(col.num_terms());
    let mut terms = col.dictionary().stream()?;
    while terms.advance() {
        names.push(String::from_utf8_lossy(terms.key()).into_owned());
    }
    let built = std::sync::Arc::new(names);
    if let Ok(mut m) = COLUMN_NAMES.lock() {
        m.insert(key, built.clone());
    }
    Ok(built)
}

fn sort_facet(v: &mut [FacetValue]) {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
}

/// The Thai fiscal year (BE) a CE date falls in: it starts on 1 October
/// and is named by the year it ends in.
pub fn fiscal_year_be(year: i32, month: u8) -> i32 {
    year + 543 + i32::from(month >= 10)
}

/// An order's own documents and the documents citing it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderHits {
    /// The order number, normalized (`2/2566`).
    pub number: String,
    /// The document(s) that are this order, newest first.
    #[serde(rename = "self")]
    pub own: Vec<Hit>,
    /// Documents citing it, newest first (undated last, then by id).
    pub cited_by: Vec<Hit>,
}

/// Newest document date first, undated last, then by id.
fn by_date(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    match (&a.date, &b.date) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

/// Looks up order `number` in either digit set, any spacing. Both lists
/// are sorted by date, newest first.
pub fn order(archive: &Archive, number: &str) -> Result<OrderHits, BrowseError> {
    let key = crate::index::keys::order_key(number);
    if key.is_empty() || key.contains('"') {
        return Err(BrowseError::BadOrderNumber(number.to_string()));
    }
    let mut own = archive.search(&format!("number:\"{key}\""), 0)?.hits;
    let mut cited_by = archive.search(&format!("order:\"{key}\""), 0)?.hits;
    own.sort_by(by_date);
    cited_by.sort_by(by_date);
    Ok(OrderHits {
        number: key,
        own,
        cited_by,
    })
}

/// The answer for one line of a batch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchLine {
    /// Line number in the input, from 1.
    pub line: usize,
    /// The query as read.
    pub query: String,
    /// Matching documents (`null` when the query failed).
    pub total: Option<usize>,
    /// Why the query failed (`null` when it ran).
    pub error: Option<String>,
}

/// Queries of a batch: one per line, or a CSV whose first column is the
/// query (a line whose first field is quoted, or that has a comma, is read
/// as CSV). Blank lines are skipped; line numbers count every line.
pub fn batch_queries(input: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let query = if line.starts_with('"') || line.contains(',') {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(line.as_bytes());
            match reader.records().next() {
                Some(Ok(rec)) => rec.get(0).unwrap_or_default().trim().to_string(),
                _ => line.to_string(),
            }
        } else {
            line.to_string()
        };
        out.push((i + 1, query));
    }
    out
}

/// Counts the hits of each query of a batch ([`batch_queries`]); a bad
/// query answers with its own error and the others still run. An index
/// failure stops the batch.
pub fn batch(archive: &Archive, input: &str) -> Result<Vec<BatchLine>, ArchiveError> {
    batch_lines(archive, batch_queries(input))
}

/// [`batch`] over queries already read, each with its line number, so a
/// front end can run a long batch in slices (letting other searches in
/// between) and keep every line's number.
pub fn batch_lines(
    archive: &Archive,
    queries: Vec<(usize, String)>,
) -> Result<Vec<BatchLine>, ArchiveError> {
    let mut out = Vec::with_capacity(queries.len());
    for (line, query) in queries {
        match archive.matching(&query) {
            Ok((_, docs)) => out.push(BatchLine {
                line,
                query,
                total: Some(docs.len()),
                error: None,
            }),
            Err(ArchiveError::Search(SearchError::Query(e))) => out.push(BatchLine {
                line,
                query,
                total: None,
                error: Some(e.to_string()),
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The document with id `id`, looked up in the index only: unlike
/// [`Archive::document`], never read as a path.
pub fn document_by_id(archive: &Archive, id: &str) -> Result<Option<StoredDoc>, BrowseError> {
    let idx = archive.index();
    idx.refresh().map_err(ArchiveError::from)?;
    let searcher = idx.reader.searcher();
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(idx.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())
        .map_err(tantivy_err(idx))?;
    match top.first() {
        Some((_, addr)) => Ok(Some(archive.stored(&searcher, *addr)?)),
        None => Ok(None),
    }
}

/// An original file as ingested.
#[derive(Debug, Clone)]
pub struct Original {
    /// The file's bytes, verified against the content hash stored at ingest.
    pub bytes: Vec<u8>,
    /// Its media type (`application/pdf`, `image/png`, ...). HTML and
    /// plain text are `text/plain` with their charset, so a browser shows
    /// the markup instead of running it.
    pub media_type: String,
    /// The file's name, for a download.
    pub file_name: String,
}

/// The largest original file served.
pub const MAX_ORIGINAL_BYTES: u64 = crate::extract::DEFAULT_MAX_FILE_BYTES;

/// The original file of document `id`: the id is looked up in the index
/// (never used as a path), the file recorded there is read and served only
/// when its blake3 hash still equals the hash stored at ingest. `Ok(None)`:
/// no such document.
pub fn original(archive: &Archive, id: &str) -> Result<Option<Original>, BrowseError> {
    let idx = archive.index();
    idx.refresh().map_err(ArchiveError::from)?;
    let searcher = idx.reader.searcher();
    let err = tantivy_err(idx);
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(idx.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())
        .map_err(&err)?;
    let Some((_, addr)) = top.first() else {
        return Ok(None);
    };
    let doc = archive.stored(&searcher, *addr)?;
    if doc.format == crate::model::Format::Jsonl.as_str() {
        return Err(BrowseError::NoOriginal(id.to_string()));
    }
    let seg = searcher.segment_reader(addr.segment_ord);
    let fast = seg.fast_fields();
    let mut buf = String::new();
    let mut read = |name: &str| -> Result<String, BrowseError> {
        let mut out = String::new();
        if let Some(col) = fast.str(name).map_err(&err)? {
            for_each_str(&col, addr.doc_id, &mut buf, |s| {
                if out.is_empty() {
                    out = s.to_string();
                }
            });
        }
        Ok(out)
    };
    let (file, hash) = (read("file")?, read("hash")?);
    if file.is_empty() || hash.is_empty() {
        return Err(BrowseError::NoOriginal(id.to_string()));
    }
    let path = crate::index::writer::key_path(&file);
    let bytes = crate::extract::read_file(&path, MAX_ORIGINAL_BYTES).map_err(|e| {
        BrowseError::OriginalGone {
            id: id.to_string(),
            reason: e.to_string(),
        }
    })?;
    // A part of a long text serves its whole file, hashed as a whole.
    let whole = crate::index::keys::split_part_key(&hash).map_or(hash.as_str(), |(h, _, _)| h);
    if blake3::hash(&bytes).to_hex().as_str() != whole {
        return Err(BrowseError::OriginalChanged(id.to_string()));
    }
    let media_type = media_type(&doc.format, &doc.encoding, &bytes);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| id.to_string());
    Ok(Some(Original {
        bytes,
        media_type,
        file_name,
    }))
}

/// The media type to serve an original of `format` as. Images are told
/// apart by their first bytes; markup and text are served as plain text.
fn media_type(format: &str, encoding: &str, bytes: &[u8]) -> String {
    let text = || {
        let charset: String = encoding
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if charset.is_empty() {
            "text/plain".to_string()
        } else {
            format!("text/plain; charset={charset}")
        }
    };
    match format {
        "pdf" | "pdf-ocr" => "application/pdf".to_string(),
        "docx" => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()
        }
        "image-ocr" => {
            let t = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                "image/png"
            } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
                "image/jpeg"
            } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
                "image/tiff"
            } else {
                "application/octet-stream"
            };
            t.to_string()
        }
        "txt" | "html" => text(),
        _ => "application/octet-stream".to_string(),
    }
}

/// What `saraban show --json` prints for a document: its id, then the
/// `tag --json` object.
#[derive(Serialize)]
pub struct ShowOutput<'a> {
    /// Document id.
    pub id: &'a str,
    /// The tags and text.
    #[serde(flatten)]
    pub tag: TagOutput<'a>,
}

/// The `show --json` object of `doc`, with its tags parsed into `tagged`.
pub fn show_json(doc: &StoredDoc) -> serde_json::Value {
    let tagged = doc.tagged();
    let shown = ShowOutput {
        id: &doc.id,
        tag: TagOutput::from_parts(
            &doc.source,
            &doc.format,
            &doc.encoding,
            doc.title.as_deref(),
            &doc.text,
            &tagged,
        ),
    };
    serde_json::to_value(&shown).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string facets counted the plain way: each document's values
    /// named one by one, added up by name, sorted, cut to `top`.
    fn plain_string_facets(
        idx: &SarabanIndex,
        searcher: &Searcher,
        addrs: &[DocAddress],
        top_of: impl Fn(&crate::entity::Facet) -> Option<usize>,
    ) -> Vec<(&'static str, Vec<FacetValue>)> {
        let mut out = Vec::new();
        for f in crate::entity::facets() {
            let mut by: HashMap<String, usize> = HashMap::new();
            for a in addrs {
                let seg = searcher.segment_reader(a.segment_ord);
                let mut names: Vec<String> = match f.count {
                    FacetCount::Column => {
                        let col = seg
                            .fast_fields()
                            .str(f.field)
                            .expect("column")
                            .expect("str");
                        col.term_ords(a.doc_id)
                            .map(|o| {
                                let mut s = String::new();
                                col.ord_to_str(o, &mut s).expect("ord");
                                s
                            })
                            .collect()
                    }
                    FacetCount::Terms => {
                        let field = idx.fields.entity_field(f.field).expect("field");
                        let fwd = forward(seg, field).expect("forward");
                        fwd.of(a.doc_id as usize)
                            .iter()
                            .map(|t| fwd.terms[*t as usize].clone())
                            .collect()
                    }
                    _ => continue,
                };
                names.sort();
                names.dedup();
                for n in names {
                    *by.entry(n).or_default() += 1;
                }
            }
            if !matches!(f.count, FacetCount::Column | FacetCount::Terms) {
                continue;
            }
            let mut v: Vec<FacetValue> = by
                .into_iter()
                .map(|(value, count)| FacetValue {
                    value,
                    be: None,
                    count,
                })
                .collect();
            sort_facet(&mut v);
            if let Some(top) = top_of(f) {
                v.truncate(top);
            }
            out.push((f.name, v));
        }
        out
    }

    #[test]
    fn string_facets_equal_the_plain_count_over_several_segments() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = crate::index::Analysis::load(None).expect("dictionaries");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        // Two loads: two segments, sharing values.
        for part in ["real", "seeds"] {
            crate::archive::build(
                tmp.path(),
                &[corpus.join(part)],
                &analysis,
                &crate::ingest::Silent,
            )
            .expect("ingest");
        }
        let archive = Archive::open(tmp.path(), analysis).expect("open");
        let idx = archive.index();
        idx.refresh().expect("refresh");
        let searcher = idx.reader.searcher();
        assert!(searcher.segment_readers().len() >= 2, "one segment only");
        let mut listed = 0;
        for q in ["จังหวัด", "คำสั่ง", "สิทธิมนุษยชน", "-type:news", "type:order"]
        {
            let (searcher, addrs) = archive.matching(q).expect("search");
            let counted = count_facets(idx, &searcher, &addrs).expect("facets");
            for (name, want) in plain_string_facets(idx, &searcher, &addrs, |f| f.top) {
                assert_eq!(counted.get(name), Some(want.as_slice()), "{q}: {name}");
                listed += want.len();
            }
            // Cut anywhere, the first values are the same and in order.
            for (name, all) in plain_string_facets(idx, &searcher, &addrs, |_| None) {
                let f = crate::entity::facets()
                    .into_iter()
                    .find(|f| f.name == name)
                    .expect("facet");
                // Counted by the numbers of the values of every segment.
                let values = all_values(idx, &searcher, f).expect("values");
                let mut counts = vec![0usize; values.names.len()];
                for a in &addrs {
                    let Some((fwd, number)) = values.segs[a.segment_ord as usize].as_ref() else {
                        continue;
                    };
                    for t in fwd.of(a.doc_id as usize) {
                        counts[number[*t as usize] as usize] += 1;
                    }
                }
                for top in [0, 1, 2, 3, 5, all.len(), all.len() + 1] {
                    let cut = &all[..top.min(all.len())];
                    assert_eq!(
                        top_values(&values.names, &counts, Some(top)),
                        cut,
                        "{q}: {name} top {top}"
                    );
                }
            }
        }
        assert!(listed > 20, "too few values to compare: {listed}");
    }

    #[test]
    fn months_counted_by_range_equal_the_sorted_runs_of_every_date() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = crate::index::Analysis::load(None).expect("dictionaries");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for part in ["real", "seeds"] {
            crate::archive::build(
                tmp.path(),
                &[corpus.join(part)],
                &analysis,
                &crate::ingest::Silent,
            )
            .expect("ingest");
        }
        let archive = Archive::open(tmp.path(), analysis).expect("open");
        let idx = archive.index();
        idx.refresh().expect("refresh");
        let mut counted = 0;
        for q in ["จังหวัด", "คำสั่ง", "-type:news", "type:order"] {
            let (searcher, addrs) = archive.matching(q).expect("search");
            let segs = searcher.segment_readers();
            let mut per_seg: Vec<Vec<tantivy::DocId>> = vec![Vec::new(); segs.len()];
            for a in &addrs {
                per_seg[a.segment_ord as usize].push(a.doc_id);
            }
            for docs in &mut per_seg {
                docs.sort_unstable();
            }
            // Every matched document's first date, read and named plainly.
            let mut plain = Vec::new();
            for a in &addrs {
                let dates = segs[a.segment_ord as usize]
                    .fast_fields()
                    .date("date")
                    .expect("date column");
                if let Some(d) = dates.values_for_doc(a.doc_id).next() {
                    let d = d.into_utc();
                    plain.push(d.year() * 12 + i32::from(u8::from(d.month())) - 1);
                }
            }
            counted += plain.len();
            let want = month_runs(plain.into_iter());
            assert_eq!(
                count_months(segs, &per_seg, "date").expect("months"),
                want,
                "{q}"
            );
        }
        assert!(counted > 20, "too few dated hits: {counted}");
        // Month numbers name their year and month, before year 0 too.
        let v = date_facet(FacetCount::Month, &[(2023 * 12 + 9, 2), (-1, 1)]);
        let named: Vec<(&str, usize)> = v.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(named, [("-001-12", 1), ("2023-10", 2)]);
        let fy = date_facet(
            FacetCount::FiscalYear,
            &[(2023 * 12 + 8, 1), (2023 * 12 + 9, 2)],
        );
        let named: Vec<(&str, usize)> = fy.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(named, [("2567", 2), ("2566", 1)]);
    }

    #[test]
    fn a_commit_watch_reloads_after_each_commit_and_only_then() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = crate::index::Analysis::load(None).expect("dictionaries");
        let index = tmp.path().join("index");
        let ingest = |n: usize| {
            let docs = tmp.path().join(format!("docs-{n}"));
            std::fs::create_dir(&docs).expect("mkdir");
            std::fs::write(
                docs.join("records.jsonl"),
                format!("{{\"id\": \"rec-{n}\", \"text\": \"คำสั่งที่ {n}/2566 จังหวัดภูเก็ต\"}}\n"),
            )
            .expect("write");
            crate::archive::build(&index, &[docs], &analysis, &crate::ingest::Silent)
                .expect("ingest");
        };
        ingest(1);
        let archive = Archive::open(
            &index,
            crate::index::Analysis::load(None).expect("dictionaries"),
        )
        .expect("open");
        let idx = archive.index();
        let reuse = Reuse::new(0);
        let docs = || idx.reader.searcher().num_docs();
        reuse.watch.refresh(idx).expect("refresh");
        assert_eq!(docs(), 1);
        let generation = || idx.reader.searcher().generation().generation_id();
        let before = generation();
        // Nothing committed: no reload.
        reuse.watch.refresh(idx).expect("refresh");
        assert_eq!(generation(), before);
        for n in 2..=3 {
            ingest(n);
            // The page reloads the reader itself.
            let page = page_cached(
                &archive,
                Some(&reuse),
                "จังหวัด",
                10,
                None,
                Sort::Relevance,
                true,
            )
            .expect("page");
            assert_eq!(page.total, n, "commit {n} not searched");
            assert_eq!(docs(), n as u64, "commit {n} not seen");
        }
    }

    #[test]
    fn cursor_round_trips_thai_ids_and_rejects_garbage() {
        for key in [
            Key::Score(12.5),
            Key::Date(Some(1_684_000_000)),
            Key::Date(Some(-86_400)),
            Key::Date(None),
        ] {
            let c = Cursor {
                key,
                id: "เอกสาร-1".to_string(),
            };
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        for bad in [
            "",
            "zz",
            "4148.0",
            "41480000.0",
            "41480000.zz",
            "ก",
            "d12.00",
            "dx.00",
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn fiscal_year_starts_in_october() {
        assert_eq!(fiscal_year_be(2022, 9), 2565);
        assert_eq!(fiscal_year_be(2022, 10), 2566);
        assert_eq!(fiscal_year_be(2023, 9), 2566);
    }

    #[test]
    fn batch_reads_plain_lines_and_csv_first_column() {
        let q = batch_queries("2/2566\n\n\"order:2/2566\",x\nภูเก็ต, สงขลา\n");
        assert_eq!(
            q,
            vec![
                (1, "2/2566".to_string()),
                (3, "order:2/2566".to_string()),
                (4, "ภูเก็ต".to_string()),
            ]
        );
    }
}
