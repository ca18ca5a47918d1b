//! Matchers compiled on first use.
//!
//! Building the taggers' DFAs costs more than everything else a short command does,
//! and a `search` never tags a document. [`LazyAc`] keeps the patterns and the builder
//! and compiles the automaton the first time a tagger needs it, once per process
//! (threads that ask meanwhile wait for it). [`LazyAc::build`] compiles it up front
//! and reports a failure; commands that tag call it before their first document, so a
//! list too large to compile is an error at start, never a silent miss.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, Match};

use super::TagError;

/// An aho-corasick automaton over fixed patterns, compiled when first used.
pub(crate) struct LazyAc {
    builder: AhoCorasickBuilder,
    patterns: Vec<String>,
    /// What the matcher finds, for the error message.
    what: &'static str,
    ac: OnceLock<Result<AhoCorasick, String>>,
}

impl LazyAc {
    /// A matcher for `patterns` (pattern ids are their indices), built by `builder`.
    pub(crate) fn new<I, S>(builder: AhoCorasickBuilder, patterns: I, what: &'static str) -> LazyAc
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        LazyAc {
            builder,
            patterns: patterns.into_iter().map(Into::into).collect(),
            what,
            ac: OnceLock::new(),
        }
    }

    fn get(&self) -> &Result<AhoCorasick, String> {
        self.ac.get_or_init(|| {
            self.builder
                .build(&self.patterns)
                .map_err(|e| e.to_string())
        })
    }

    /// Compiles the automaton now if it is not yet; an error when it cannot be.
    pub(crate) fn build(&self) -> Result<(), TagError> {
        match self.get() {
            Ok(_) => Ok(()),
            Err(e) => Err(TagError::Build(format!("{} matcher: {e}", self.what))),
        }
    }

    /// True once the automaton has been compiled (or failed to).
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.ac.get().is_some()
    }

    /// The first match in `input` (see [`AhoCorasick::find`]); none when the automaton
    /// could not be compiled ([`LazyAc::build`] reports that).
    pub(crate) fn find<'h, I: Into<Input<'h>>>(&self, input: I) -> Option<Match> {
        self.get().as_ref().ok()?.find(input)
    }

    /// Every non-overlapping match in `text` (see [`AhoCorasick::find_iter`]).
    pub(crate) fn find_iter<'a, 'h: 'a>(
        &'a self,
        text: &'h str,
    ) -> impl Iterator<Item = Match> + 'a {
        self.get()
            .as_ref()
            .ok()
            .into_iter()
            .flat_map(move |ac| ac.find_iter(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::MatchKind;

    #[test]
    fn compiles_on_first_use_and_matches_like_the_eager_automaton() {
        let pats = ["จังหวัด", "จังหวัดเชียงใหม่", "เชียง"];
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::LeftmostLongest);
        let lazy = LazyAc::new(b.clone(), pats, "test");
        assert!(!lazy.is_built());
        let eager = b.build(pats).expect("patterns compile");
        let text = "ที่จังหวัดเชียงใหม่ และเชียงราย จังหวัด";
        let got: Vec<Match> = lazy.find_iter(text).collect();
        let want: Vec<Match> = eager.find_iter(text).collect();
        assert!(lazy.is_built());
        assert_eq!(got, want);
        assert_eq!(got.len(), 3);
        assert_eq!(lazy.find(text), eager.find(text));
        assert!(lazy.build().is_ok());
    }
}
