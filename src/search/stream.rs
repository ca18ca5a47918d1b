//! Every hit of a query, best first, one at a time: the ranking (a score and
//! an address per hit) is held, each document is read, turned into a [`Hit`]
//! and let go before the next, so memory stays that of one document however
//! many hits there are, and the first lines go out before the last are read.

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument};

use super::{Hit, QueryCompiler, SearchError, snippet};
use crate::index::{Analysis, SarabanIndex};

/// The ranked hits of a query, read on demand.
pub struct Ranked {
    searcher: Searcher,
    ranked: Vec<(Score, DocAddress)>,
    highlights: Vec<String>,
}

impl Ranked {
    /// Ranks every document matching `q`.
    pub fn new(idx: &SarabanIndex, analysis: &Analysis, q: &str) -> Result<Ranked, SearchError> {
        let compiled = QueryCompiler::new(idx, analysis).compile(q)?;
        let searcher = idx.reader.searcher();
        // One pass: a ranking as long as the archive holds every match, so
        // the string is not tested once to count and again to rank.
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let ranked = if docs == 0 {
            Vec::new()
        } else {
            searcher.search(&compiled.query, &TopDocs::with_limit(docs).order_by_score())?
        };
        Ok(Ranked {
            searcher,
            ranked,
            highlights: compiled.highlights,
        })
    }

    /// Number of hits (every one is counted).
    pub fn total(&self) -> usize {
        self.ranked.len()
    }

    /// The hits, best first, each read when it is asked for.
    pub fn hits<'a>(
        &'a self,
        idx: &'a SarabanIndex,
    ) -> impl Iterator<Item = Result<Hit, SearchError>> + 'a {
        self.ranked
            .iter()
            .map(move |&(score, addr)| hit(idx, &self.searcher, &self.highlights, score, addr))
    }
}

/// The hit at `addr`, with its snippet.
pub(crate) fn hit(
    idx: &SarabanIndex,
    searcher: &Searcher,
    highlights: &[String],
    score: Score,
    addr: DocAddress,
) -> Result<Hit, SearchError> {
    let doc: TantivyDocument = searcher.doc(addr)?;
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
