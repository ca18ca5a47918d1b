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
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument};

use crate::archive::{Archive, ArchiveError};
use crate::index::{IndexError, SarabanIndex, StoredDoc, for_each_str};
use crate::pipeline::TagOutput;
use crate::search::{Compiled, Hit, QueryCompiler, SearchError, snippet};

/// Most values a facet lists for `order` and `official`.
pub const FACET_TOP: usize = 50;

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
}

impl BrowseError {
    /// True when the caller's input is at fault (bad query, cursor or
    /// number), not the index.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            BrowseError::BadCursor(_)
                | BrowseError::BadOrderNumber(_)
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The value (a year is CE; a fiscal year is BE, as `fy:` takes it).
    pub value: String,
    /// The Buddhist Era year, for the `year` facet only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub be: Option<String>,
    /// Documents of the result set with this value.
    pub count: usize,
}

/// Facet counts over a whole result set, each list by count (largest
/// first), then value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Document types.
    #[serde(rename = "type")]
    pub doc_type: Vec<FacetValue>,
    /// Provinces named.
    pub province: Vec<FacetValue>,
    /// CE years of the document dates (with the BE year); undated documents
    /// are not counted.
    pub year: Vec<FacetValue>,
    /// Thai fiscal years (BE) of the document dates.
    pub fy: Vec<FacetValue>,
    /// Orders cited (top [`FACET_TOP`]).
    pub order: Vec<FacetValue>,
    /// Officials named (top [`FACET_TOP`]).
    pub official: Vec<FacetValue>,
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

/// Where a page starts: after the hit with this score and id.
#[derive(Debug, Clone, PartialEq)]
struct Cursor {
    score: f32,
    id: String,
}

impl Cursor {
    /// `hex(score bits)` `.` `hex(id bytes)`: opaque, URL-safe.
    fn encode(&self) -> String {
        let mut s = format!("{:08x}.", self.score.to_bits());
        for b in self.id.as_bytes() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }

    fn decode(s: &str) -> Option<Cursor> {
        let (score, id) = s.split_once('.')?;
        if score.len() != 8 || id.len() % 2 != 0 || !s.is_ascii() {
            return None;
        }
        let score = f32::from_bits(u32::from_str_radix(score, 16).ok()?);
        if score.is_nan() {
            return None;
        }
        let bytes = (0..id.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&id[i..i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        Some(Cursor {
            score,
            id: String::from_utf8(bytes).ok()?,
        })
    }
}

/// A page of `query`'s hits: at most `limit` (at least one), starting after
/// `cursor` (a `next_cursor` of an earlier page; `None` = the first page),
/// with the facets of the whole result set when `facets` is true.
pub fn page(
    archive: &Archive,
    query: &str,
    limit: usize,
    cursor: Option<&str>,
    facets: bool,
) -> Result<Page, BrowseError> {
    let after = match cursor {
        Some(c) => Some(Cursor::decode(c).ok_or_else(|| BrowseError::BadCursor(c.to_string()))?),
        None => None,
    };
    let idx = archive.index();
    idx.refresh().map_err(ArchiveError::from)?;
    let compiled = QueryCompiler::new(idx, archive.analysis()).compile(query)?;
    let searcher = idx.reader.searcher();
    let all = scored(idx, &searcher, &compiled)?;
    let total = all.len();
    let facets = if facets {
        let addrs: Vec<DocAddress> = all.iter().map(|(_, _, a)| *a).collect();
        Some(count_facets(idx, &searcher, &addrs)?)
    } else {
        None
    };
    let start = match &after {
        None => 0,
        Some(c) => all.partition_point(|(score, id, _)| {
            (*score, id.as_str()) == (c.score, c.id.as_str()) || precedes(*score, id, c)
        }),
    };
    let limit = limit.max(1);
    let end = start.saturating_add(limit).min(total);
    let mut hits = Vec::with_capacity(end.saturating_sub(start));
    for (score, _, addr) in all.get(start..end).unwrap_or_default() {
        hits.push(hit(idx, &searcher, &compiled, *score, *addr)?);
    }
    let next_cursor = match all.get(end.wrapping_sub(1)) {
        Some((score, id, _)) if end < total && end > start => Some(
            Cursor {
                score: *score,
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

/// True when the hit `(score, id)` comes before the cursor position.
fn precedes(score: f32, id: &str, c: &Cursor) -> bool {
    score > c.score || (score == c.score && id < c.id.as_str())
}

/// Every match with its score and id, best first, then by id.
fn scored(
    idx: &SarabanIndex,
    searcher: &Searcher,
    compiled: &Compiled,
) -> Result<Vec<(f32, String, DocAddress)>, BrowseError> {
    let err = tantivy_err(idx);
    let total = searcher.search(&compiled.query, &Count).map_err(&err)?;
    if total == 0 {
        return Ok(Vec::new());
    }
    let top = searcher
        .search(
            &compiled.query,
            &TopDocs::with_limit(total).order_by_score(),
        )
        .map_err(&err)?;
    let mut ids: Vec<Option<tantivy::columnar::StrColumn>> = Vec::new();
    for seg in searcher.segment_readers() {
        ids.push(seg.fast_fields().str("id").map_err(&err)?);
    }
    let mut buf = String::new();
    let mut out = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let mut id = String::new();
        if let Some(Some(col)) = ids.get(addr.segment_ord as usize) {
            for_each_str(col, addr.doc_id, &mut buf, |s| {
                if id.is_empty() {
                    id = s.to_string();
                }
            });
        }
        out.push((score, id, addr));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(out)
}

/// A hit as [`crate::search::search`] reports it.
fn hit(
    idx: &SarabanIndex,
    searcher: &Searcher,
    compiled: &Compiled,
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
        snippet: snippet::snippet(&stored.text, &compiled.highlights, 160, "<b>", "</b>"),
        id: stored.id,
        source: stored.source,
        title: stored.title,
        doc_type: stored.doc_type,
        date: stored.date,
        score,
        provinces,
    })
}

/// Counts the facets of the documents at `addrs`.
fn count_facets(
    idx: &SarabanIndex,
    searcher: &Searcher,
    addrs: &[DocAddress],
) -> Result<Facets, BrowseError> {
    let err = tantivy_err(idx);
    let segs = searcher.segment_readers();
    // Matched documents per segment, as a membership table.
    let mut member: Vec<Vec<bool>> = segs
        .iter()
        .map(|s| vec![false; s.max_doc() as usize])
        .collect();
    for a in addrs {
        if let Some(slot) = member
            .get_mut(a.segment_ord as usize)
            .and_then(|m| m.get_mut(a.doc_id as usize))
        {
            *slot = true;
        }
    }
    let mut types: HashMap<String, usize> = HashMap::new();
    let mut provinces: HashMap<String, usize> = HashMap::new();
    let mut years: HashMap<i32, usize> = HashMap::new();
    let mut fys: HashMap<i32, usize> = HashMap::new();
    let mut orders: HashMap<String, usize> = HashMap::new();
    let mut officials: HashMap<String, usize> = HashMap::new();
    let mut buf = String::new();
    for (seg, member) in segs.iter().zip(&member) {
        let ff = seg.fast_fields();
        let type_col = ff.str("type").map_err(&err)?;
        let province_col = ff.str("province").map_err(&err)?;
        let dates = ff.date("date").map_err(&err)?;
        for (doc, _) in member.iter().enumerate().filter(|(_, m)| **m) {
            let doc = doc as tantivy::DocId;
            if let Some(col) = &type_col {
                for_each_str(col, doc, &mut buf, |t| {
                    *types.entry(t.to_string()).or_default() += 1;
                });
            }
            if let Some(col) = &province_col {
                let mut seen: Vec<String> = Vec::new();
                for_each_str(col, doc, &mut buf, |p| {
                    if !seen.iter().any(|s| s == p) {
                        seen.push(p.to_string());
                    }
                });
                for p in seen {
                    *provinces.entry(p).or_default() += 1;
                }
            }
            if let Some(d) = dates.first(doc) {
                let d = d.into_utc();
                *years.entry(d.year()).or_default() += 1;
                *fys.entry(fiscal_year_be(d.year(), u8::from(d.month())))
                    .or_default() += 1;
            }
        }
        // Orders and officials are indexed, not fast: walk their postings.
        for (field, counts) in [
            (idx.fields.order, &mut orders),
            (idx.fields.official, &mut officials),
        ] {
            let inv = seg.inverted_index(field).map_err(&err)?;
            let mut terms = inv.terms().stream().map_err(|e| err(e.into()))?;
            while terms.advance() {
                let mut postings = inv
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(|e| err(e.into()))?;
                let mut n = 0;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if member.get(doc as usize).copied().unwrap_or(false) {
                        n += 1;
                    }
                    doc = postings.advance();
                }
                if n > 0 {
                    let value = String::from_utf8_lossy(terms.key()).into_owned();
                    *counts.entry(value).or_default() += n;
                }
            }
        }
    }
    let strings = |m: HashMap<String, usize>, top: Option<usize>| {
        let mut v: Vec<FacetValue> = m
            .into_iter()
            .map(|(value, count)| FacetValue {
                value,
                be: None,
                count,
            })
            .collect();
        sort_facet(&mut v);
        if let Some(top) = top {
            v.truncate(top);
        }
        v
    };
    let mut year: Vec<FacetValue> = years
        .into_iter()
        .map(|(y, count)| FacetValue {
            value: y.to_string(),
            be: Some((y + 543).to_string()),
            count,
        })
        .collect();
    sort_facet(&mut year);
    let mut fy: Vec<FacetValue> = fys
        .into_iter()
        .map(|(y, count)| FacetValue {
            value: y.to_string(),
            be: None,
            count,
        })
        .collect();
    sort_facet(&mut fy);
    Ok(Facets {
        doc_type: strings(types, None),
        province: strings(provinces, None),
        year,
        fy,
        order: strings(orders, Some(FACET_TOP)),
        official: strings(officials, Some(FACET_TOP)),
    })
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
#[derive(Debug, Clone, Serialize)]
pub struct OrderHits {
    /// The order number, normalized (`2/2566`).
    pub number: String,
    /// The document(s) that are this order.
    #[serde(rename = "self")]
    pub own: Vec<Hit>,
    /// Documents citing it, best first.
    pub cited_by: Vec<Hit>,
}

/// Looks up order `number` in either digit set, any spacing.
pub fn order(archive: &Archive, number: &str) -> Result<OrderHits, BrowseError> {
    let key = crate::index::keys::order_key(number);
    if key.is_empty() || key.contains('"') {
        return Err(BrowseError::BadOrderNumber(number.to_string()));
    }
    let own = archive.search(&format!("number:\"{key}\""), 0)?.hits;
    let cited_by = archive.search(&format!("order:\"{key}\""), 0)?.hits;
    Ok(OrderHits {
        number: key,
        own,
        cited_by,
    })
}

/// The answer for one line of a batch.
#[derive(Debug, Clone, Serialize)]
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
    let mut out = Vec::new();
    for (line, query) in batch_queries(input) {
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

    #[test]
    fn cursor_round_trips_thai_ids_and_rejects_garbage() {
        let c = Cursor {
            score: 12.5,
            id: "เอกสาร-1".to_string(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in ["", "zz", "4148.0", "41480000.0", "41480000.zz", "ก"] {
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
