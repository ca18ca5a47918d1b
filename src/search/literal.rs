//! A literal's query: the documents holding the string, scored by the
//! string, its words and its title bonus.
//!
//! The same matches and scores as a boolean query of the string (required)
//! and its words and title test (optional), summed in the same order; but
//! each optional part is looked up only at the documents the string holds.
//! A boolean query's optional union instead scores every document of a
//! window of thousands after each match: for a common word (`ที่`, `การ`)
//! beside a rare string, that is most of the archive, and grows with it.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Documents matching `required`, scored by it plus each of `optional`
/// that also matches them.
#[derive(Debug)]
pub struct LiteralQuery {
    required: Box<dyn Query>,
    optional: Vec<Box<dyn Query>>,
}

impl Clone for LiteralQuery {
    fn clone(&self) -> Self {
        LiteralQuery {
            required: self.required.box_clone(),
            optional: self.optional.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl LiteralQuery {
    /// The documents of `required`; each of `optional` adds its score where
    /// it matches too (in this order).
    pub fn new(required: Box<dyn Query>, optional: Vec<Box<dyn Query>>) -> LiteralQuery {
        LiteralQuery { required, optional }
    }
}

impl Query for LiteralQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let required = self.required.weight(enable_scoring)?;
        // Without scores the optional parts change nothing.
        let optional = if enable_scoring.is_scoring_enabled() {
            self.optional
                .iter()
                .map(|q| q.weight(enable_scoring))
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(Box::new(LiteralWeight { required, optional }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.required.query_terms(visitor);
        for q in &self.optional {
            q.query_terms(visitor);
        }
    }
}

/// [`LiteralQuery`]'s weight.
struct LiteralWeight {
    required: Box<dyn Weight>,
    optional: Vec<Box<dyn Weight>>,
}

impl Weight for LiteralWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let required = self.required.scorer(reader, boost)?;
        if self.optional.is_empty() || required.doc() == TERMINATED {
            return Ok(required);
        }
        let optional = self
            .optional
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(LiteralScorer {
            required,
            optional,
            cached: None,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if seek_to(scorer.as_mut(), doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not hold the literal"
            )));
        }
        let mut explanation = Explanation::new("literal: string, words, title", scorer.score());
        explanation.add_detail(self.required.explain(reader, doc)?);
        for w in &self.optional {
            if let Ok(part) = w.explain(reader, doc) {
                explanation.add_detail(part);
            }
        }
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.required.count(reader)
    }
}

/// Moves `scorer` to the first document at or after `target`, never back.
fn seek_to(scorer: &mut dyn Scorer, target: DocId) -> DocId {
    if scorer.doc() < target {
        scorer.seek(target)
    } else {
        scorer.doc()
    }
}

/// [`LiteralQuery`] on one segment: the required part's documents; the
/// optional parts sought at each one scored.
struct LiteralScorer {
    required: Box<dyn Scorer>,
    optional: Vec<Box<dyn Scorer>>,
    /// The score of the current document, once computed.
    cached: Option<Score>,
}

impl DocSet for LiteralScorer {
    fn advance(&mut self) -> DocId {
        self.cached = None;
        self.required.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.cached = None;
        self.required.seek(target)
    }

    fn doc(&self) -> DocId {
        self.required.doc()
    }

    fn size_hint(&self) -> u32 {
        self.required.size_hint()
    }

    fn cost(&self) -> u64 {
        self.required.cost()
    }
}

impl Scorer for LiteralScorer {
    fn score(&mut self) -> Score {
        if let Some(score) = self.cached {
            return score;
        }
        let doc = self.required.doc();
        // Summed as tantivy's boolean query sums a required part and an
        // optional union: the union's matching parts in order, then added
        // to the required part's score.
        let mut optional: Score = 0.0;
        let mut any = false;
        for part in &mut self.optional {
            if seek_to(part.as_mut(), doc) == doc {
                optional += part.score();
                any = true;
            }
        }
        let mut score = self.required.score();
        if any {
            score += optional;
        }
        self.cached = Some(score);
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT};
    use tantivy::{Index, Term, doc};

    use super::LiteralQuery;

    /// Same documents, same scores (to the bit), same order as the boolean
    /// query it replaces, for required parts rare and common, optional
    /// parts present, absent and boosted.
    #[test]
    fn scores_as_the_boolean_query_does() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT | STORED);
        let title = builder.add_text_field("title", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let words = ["common", "rare", "other", "filler", "more"];
        for i in 0..3000u32 {
            let mut text = String::from("common");
            for (k, w) in words.iter().enumerate().skip(1) {
                if i % (7 * k as u32 + 3) == 0 {
                    text.push(' ');
                    text.push_str(w);
                }
            }
            for _ in 0..(i % 13) {
                text.push_str(" filler");
            }
            let head = if i % 11 == 0 { "rare title" } else { "title" };
            writer.add_document(doc!(body => text, title => head))?;
            if i % 1000 == 999 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let term = |f, w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        for required in ["rare", "other", "common", "more", "absent"] {
            let optional = || -> Vec<Box<dyn Query>> {
                vec![
                    term(body, "common"),
                    term(body, "filler"),
                    term(body, "absent"),
                    Box::new(BoostQuery::new(term(title, "rare"), 3.0)),
                ]
            };
            let mut clauses = vec![(Occur::Must, term(body, required))];
            clauses.extend(optional().into_iter().map(|q| (Occur::Should, q)));
            let boolean = BooleanQuery::new(clauses);
            let literal = LiteralQuery::new(term(body, required), optional());
            let all = TopDocs::with_limit(4000).order_by_score();
            let want = searcher.search(&boolean, &all)?;
            let got = searcher.search(&literal, &all)?;
            assert_eq!(got.len(), want.len(), "{required}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.1, w.1, "{required}");
                assert_eq!(g.0.to_bits(), w.0.to_bits(), "{required}: {g:?} {w:?}");
            }
            let page = TopDocs::with_limit(10).order_by_score();
            assert_eq!(
                searcher.search(&literal, &page)?,
                searcher.search(&boolean, &page)?
            );
            let count = tantivy::collector::Count;
            assert_eq!(
                searcher.search(&literal, &count)?,
                searcher.search(&boolean, &count)?
            );
        }
        Ok(())
    }
}
