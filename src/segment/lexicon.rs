//! The segmenter's dictionary: word lists and a frequency list turned into word costs.
//!
//! A word's cost is `-ln f + word_penalty`, where `f` is its relative frequency in the
//! frequency list (`word<TAB>count` lines; a `# total_count: N` comment gives the
//! corpus size when the list was cut down to the dictionary's words). Listed words
//! never seen in the frequency list get the floor frequency. The lattice adds costs
//! along a path, so frequent words are cheap and a compound wins over its parts only
//! when it is about as frequent as they are.

use std::collections::HashMap;

use super::trie::{Trie, TrieBuilder};

/// The built-in word lists (see `dictionaries/SOURCES.md`).
const BUILTIN_WORDS: [&str; 3] = [
    include_str!("../../dictionaries/words_th_icu.txt"),
    include_str!("../../dictionaries/words_th_pythainlp.txt"),
    include_str!("../../dictionaries/words_th_saraban.txt"),
];
/// The built-in frequency list.
const BUILTIN_FREQ: &str = include_str!("../../dictionaries/words_th_freq.txt");

/// Feeds everything the built-in dictionary is made from (lists, costs and
/// the code that turns them into a trie) to `h`: a cached trie made from
/// other inputs has another fingerprint.
pub(crate) fn fingerprint(h: &mut blake3::Hasher) {
    for text in BUILTIN_WORDS {
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    h.update(BUILTIN_FREQ.as_bytes());
    h.update(format!("{:?} {USER_MARGIN}", Params::default()).as_bytes());
    for code in [
        include_str!("lexicon.rs"),
        include_str!("trie.rs"),
        include_str!("mod.rs"),
        include_str!("cluster.rs"),
    ] {
        h.update(code.as_bytes());
    }
}

/// Tuning of the word costs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// Relative frequency assumed for a listed word missing from the frequency list.
    pub(crate) vocab_floor: f64,
    /// Added to every word's cost: negative values favour more, shorter words.
    pub(crate) word_penalty: f64,
    /// Cost of starting an unknown word.
    pub(crate) unknown_start: f32,
    /// Cost of each character cluster of an unknown word.
    pub(crate) unknown_cluster: f32,
    /// Cost of a word the caller added (domain terms): about that of a word seen a few
    /// times per million, so it beats splitting into two ordinary words.
    pub(crate) user_cost: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            vocab_floor: 1e-8,
            word_penalty: -4.0,
            unknown_start: 6.0,
            unknown_cluster: 4.0,
            user_cost: 8.0,
        }
    }
}

/// How much cheaper a caller's word is than the cheapest split of it.
const USER_MARGIN: f32 = 1.0;

/// A caller's word as it will be matched: the first tab-separated field (frequency
/// columns are ignored), with the same Unicode repair as document text (so a
/// decomposed sara am still matches), trimmed; `None` when nothing is left.
pub(crate) fn clean_user_word(raw: &str) -> Option<String> {
    let field = raw.split('\t').next().unwrap_or_default();
    let word = crate::normalize::repair(field.trim());
    let word = word.trim();
    (!word.is_empty()).then(|| word.to_string())
}

/// Lines of a word list: trimmed, without blank lines and `#` comments.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Reads a frequency list: the counts and the corpus size.
fn frequencies(text: &str) -> (HashMap<&str, f64>, f64) {
    let mut counts = HashMap::new();
    let mut sum = 0.0;
    let mut declared = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("# total_count:") {
            declared = n.trim().parse::<f64>().ok();
            continue;
        }
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((w, c)) = line.split_once('\t') else {
            continue;
        };
        let Ok(c) = c.trim().parse::<f64>() else {
            continue;
        };
        if c > 0.0 {
            *counts.entry(w.trim()).or_insert(0.0) += c;
            sum += c;
        }
    }
    (counts, declared.unwrap_or(sum).max(sum).max(1.0))
}

/// Words with their costs, before freezing into a trie.
pub(crate) struct Lexicon {
    costs: HashMap<String, f32>,
    params: Params,
}

impl Lexicon {
    /// Costs for every word of the `words` lists, from the frequency list `freq`.
    pub(crate) fn new(words: &[&str], freq: &str, params: Params) -> Lexicon {
        let (counts, total) = frequencies(freq);
        let mut costs: HashMap<String, f32> = HashMap::with_capacity(80_000);
        for text in words {
            for w in lines(text) {
                let f = (counts.get(w).copied().unwrap_or(0.0) / total).max(params.vocab_floor);
                costs.insert(w.to_string(), (params.word_penalty - f.ln()) as f32);
            }
        }
        Lexicon { costs, params }
    }

    /// The built-in dictionary.
    pub(crate) fn builtin() -> Lexicon {
        Lexicon::new(&BUILTIN_WORDS, BUILTIN_FREQ, Params::default())
    }

    /// Adds a caller's word (cleaned by [`clean_user_word`]). Its cost is the user
    /// word cost, lowered below `split_cost` (the cost of the cheapest split of the
    /// word into built-in words) when that is cheaper; a word that is already
    /// cheaper keeps its cost.
    pub(crate) fn add_user_word(&mut self, word: &str, split_cost: Option<f32>) {
        let mut cost = self.params.user_cost;
        if let Some(split) = split_cost {
            cost = cost.min(split - USER_MARGIN);
        }
        let e = self.costs.entry(word.to_string()).or_insert(cost);
        if cost < *e {
            *e = cost;
        }
    }

    /// The parameters the costs were made with.
    pub(crate) fn params(&self) -> Params {
        self.params
    }

    /// Freezes the words into a trie.
    pub(crate) fn into_trie(self) -> Trie {
        let mut b = TrieBuilder::new();
        for (w, c) in &self.costs {
            b.insert(w, *c);
        }
        b.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_words_are_cheaper_and_unseen_words_get_the_floor() {
        let lex = Lexicon::builtin();
        let cost = |w: &str| lex.costs.get(w).copied();
        let (Some(thi), Some(rachakan)) = (cost("ที่"), cost("ราชการ")) else {
            panic!("common words missing from the built-in lists");
        };
        assert!(
            thi < rachakan,
            "ที่ {thi} should be cheaper than ราชการ {rachakan}"
        );
    }

    #[test]
    fn every_builtin_word_is_found_with_its_cost() {
        let lex = Lexicon::builtin();
        let words: Vec<(String, f32)> = lex.costs.iter().map(|(w, c)| (w.clone(), *c)).collect();
        let trie = lex.into_trie();
        let mut checked = 0;
        for (w, c) in &words {
            if w.chars().all(|ch| super::super::trie::code(ch).is_some()) {
                assert_eq!(trie.get(w), Some(*c), "{w}");
                checked += 1;
            }
        }
        assert!(checked > 50_000, "only {checked} words checked");
        // Proper prefixes that are not words are not found.
        assert_eq!(trie.get("สิทธิมนุษย"), None);
    }

    #[test]
    fn builtin_dictionary_is_small_and_fast_to_build() {
        let t = std::time::Instant::now();
        let trie = Lexicon::builtin().into_trie();
        let secs = t.elapsed().as_secs_f64();
        assert!(trie.heap_bytes() < 8 << 20, "{} bytes", trie.heap_bytes());
        assert!(trie.get("สิทธิมนุษยชน").is_some() && trie.get("มี.ค.").is_some());
        // Generous bound: debug builds are several times slower than release.
        assert!(secs < 5.0, "built in {secs:.2} s");
    }

    #[test]
    fn total_count_comment_sets_the_corpus_size() {
        let (counts, total) = frequencies("# total_count: 1000\nจังหวัด\t10\nอำเภอ\t5\n");
        assert_eq!(total, 1000.0);
        assert_eq!(counts.get("จังหวัด"), Some(&10.0));
        let (_, total) = frequencies("จังหวัด\t10\nอำเภอ\t5\nbroken line\n");
        assert_eq!(total, 15.0);
    }

    #[test]
    fn user_words_never_raise_a_cost() {
        let mut lex = Lexicon::new(
            &["จังหวัด\nผู้ว่าราชการจังหวัด"],
            "จังหวัด\t100\n",
            Params::default(),
        );
        let before = lex.costs["จังหวัด"];
        lex.add_user_word("จังหวัด", None);
        assert_eq!(lex.costs["จังหวัด"], before);
        lex.add_user_word("ผู้ว่าราชการจังหวัด", None);
        assert_eq!(lex.costs["ผู้ว่าราชการจังหวัด"], Params::default().user_cost);
        lex.add_user_word("ศาลากลางจังหวัด", Some(2.5));
        assert_eq!(lex.costs["ศาลากลางจังหวัด"], 2.5 - USER_MARGIN);
        assert_eq!(lex.costs.len(), 3);
    }

    #[test]
    fn user_words_are_cleaned_like_text() {
        let decomposed = "ค\u{0E4D}\u{0E32}สั่งจังหวัด\t12";
        assert_eq!(clean_user_word(decomposed).as_deref(), Some("คำสั่งจังหวัด"));
        assert_eq!(clean_user_word("  ภูเก็ต \r"), Some("ภูเก็ต".to_string()));
        assert_eq!(clean_user_word(" \t5"), None);
    }
}
