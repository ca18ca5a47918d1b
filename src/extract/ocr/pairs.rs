//! How often two Thai words are printed together: the counts the mark
//! repair ([`super::marks`]) weighs two readings of a word by.
//!
//! A unigram cannot tell `นำ` (to lead) from `น้ำ` (water): both are
//! common. The words around them can: `ทางน้ำ`, `น้ำมะพร้าว`, `ชั้นศาล` are
//! printed thousands of times, `ทางนำ`, `นำมะพร้าว`, `ชันศาล` hardly ever.
//! The counts (`dictionaries/word_pairs_th.txt`, built by
//! `scripts/build_word_pairs.sh` from public-domain government text) are
//! compiled in and read into tables the first time a scan is repaired:
//! nothing else pays for them.

use std::collections::HashMap;

use once_cell::sync::Lazy;

/// The counts, as built: `count<TAB>word` and `count<TAB>left right`.
const DATA: &str = include_str!("../../../dictionaries/word_pairs_th.txt");

/// Word and pair counts.
struct Counts {
    words: HashMap<&'static str, u32>,
    pairs: HashMap<(&'static str, &'static str), u32>,
}

static COUNTS: Lazy<Counts> = Lazy::new(|| {
    let mut words = HashMap::new();
    let mut pairs = HashMap::new();
    for line in DATA.lines().filter(|l| !l.starts_with('#')) {
        let Some((n, text)) = line.split_once('\t') else {
            continue;
        };
        let Ok(n) = n.parse::<u32>() else {
            continue;
        };
        match text.split_once(' ') {
            Some((a, b)) => {
                pairs.insert((a, b), n);
            }
            None => {
                words.insert(text, n);
            }
        }
    }
    Counts { words, pairs }
});

/// How often `word` was seen (0 when it is not one of the words a mark
/// repair turns into another, or rare).
pub(crate) fn word(word: &str) -> u32 {
    COUNTS.words.get(word).copied().unwrap_or(0)
}

/// How often `left` was printed right before `right` (0 when rare or
/// neither is a word a mark repair turns into another).
pub(crate) fn pair(left: &str, right: &str) -> u32 {
    COUNTS.pairs.get(&(left, right)).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counts_tell_words_of_like_frequency_apart_by_their_neighbours() {
        assert!(word("นำ") > 0 && word("น้ำ") > 0);
        assert!(pair("ทาง", "น้ำ") > 10 * pair("ทาง", "นำ").max(1));
        assert!(pair("ชั้น", "ศาล") > 10 * pair("ชัน", "ศาล").max(1));
        assert!(pair("ให้", "นำ") > pair("ให้", "น้ำ"));
    }
}
