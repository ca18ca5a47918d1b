//! Counts the word pairs of a Thai text corpus: the data of
//! `dictionaries/word_pairs_th.txt`, which the OCR mark repair reads to
//! choose between readings of a word by the words around it.
//!
//! Usage: `cargo run --release --example word_pairs -- MIN_PAIR MIN_WORD FILE.jsonl.gz...`
//! (or `scripts/build_word_pairs.sh`, which names the files). Each file
//! holds one JSON document a line with its text in `text`. The text is
//! repaired as stored text is ([`saraban::normalize::repair`]) and segmented
//! with the built-in segmenter; two Thai words next to each other (nothing
//! between them, not even a space) make a pair.
//!
//! Only what the repair asks about is kept: a word is *confusable* when one
//! of the edits OCR makes to marks and vowels (a tone mark lost over an
//! upper vowel or before `ำ`, the ring of `ำ` lost, `ึ`/`ื` read `ิ`/`ี`, a
//! lower vowel read from a speck) turns it into another word seen at least
//! `MIN_WORD` times (`นำ`/`น้ำ`, `ชัน`/`ชั้น`). Written to stdout: a comment
//! header, then `count<TAB>word` for every confusable word seen at least
//! `MIN_WORD` times and `count<TAB>left right` for every pair with a
//! confusable word seen at least `MIN_PAIR` times, most frequent first, ties
//! in text order.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};

use anyhow::Context;
use flate2::read::MultiGzDecoder;
use saraban::normalize::repair;
use saraban::segment::Segmenter;
use saraban::thai::{is_consonant, is_run_char};

/// A word of the counts, by its number in the order first seen.
struct Words {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Words {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(w.to_string());
        self.ids.insert(w.to_string(), id);
        id
    }
}

/// Whether a segment is a Thai word to count: Thai letters and marks only,
/// with a consonant (a lone vowel or mark is a segmenter leftover).
fn countable(w: &str) -> bool {
    w.chars().all(|c| is_run_char(c) && c != '.') && w.chars().any(is_consonant)
}

/// Upper vowels a tone mark stacks on.
fn is_upper_vowel(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E37}')
}

/// The two tone marks OCR loses.
const TONES: [char; 2] = ['\u{0E48}', '\u{0E49}'];

/// The readings of `w` one OCR edit away, both ways (the mark lost and
/// the mark put back): see `src/extract/ocr/marks.rs`.
fn edits(w: &str) -> Vec<String> {
    let cs: Vec<char> = w.chars().collect();
    let mut out: Vec<Vec<char>> = Vec::new();
    let with = |v: &[char], at: usize, c: char| {
        let mut v = v.to_vec();
        v.insert(at, c);
        v
    };
    let without = |v: &[char], at: usize| {
        let mut v = v.to_vec();
        v.remove(at);
        v
    };
    let set = |v: &[char], at: usize, c: char| {
        let mut v = v.to_vec();
        v[at] = c;
        v
    };
    for i in 1..cs.len() {
        let (p, c, next) = (cs[i - 1], cs[i], cs.get(i + 1).copied());
        let marked = next.is_some_and(|n| matches!(n, '\u{0E47}'..='\u{0E4C}'));
        let toned = next.is_some_and(|n| TONES.contains(&n));
        if is_upper_vowel(c) && is_consonant(p) && !marked {
            out.extend(TONES.iter().map(|t| with(&cs, i + 1, *t)));
        }
        if is_upper_vowel(c) && toned {
            out.push(without(&cs, i + 1));
        }
        if c == 'า' && TONES.contains(&p) {
            out.push(set(&cs, i, 'ำ'));
        }
        if c == 'ำ' && TONES.contains(&p) {
            out.push(set(&cs, i, 'า'));
            out.push(without(&cs, i - 1));
        }
        if c == 'ำ' && is_consonant(p) {
            out.extend(TONES.iter().map(|t| with(&cs, i, *t)));
        }
        if matches!(c, 'ุ' | 'ู') && is_consonant(p) && i >= 2 && is_upper_vowel(cs[i - 2]) {
            out.push(without(&cs, i));
        }
        let twin = match c {
            'ิ' => Some('ึ'),
            'ี' => Some('ื'),
            'ึ' => Some('ิ'),
            'ื' => Some('ี'),
            _ => None,
        };
        if let Some(t) = twin
            && is_consonant(p)
        {
            let v = set(&cs, i, t);
            if matches!(c, 'ึ' | 'ื') && toned {
                out.push(without(&v, i + 1));
            }
            if matches!(c, 'ิ' | 'ี') && !marked {
                out.extend(TONES.iter().map(|m| with(&v, i + 1, *m)));
            }
            out.push(v);
        }
    }
    out.into_iter()
        .map(|v| v.into_iter().collect::<String>())
        .filter(|v| v != w)
        .collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [min_pair, min_word, files @ ..] = args.as_slice() else {
        anyhow::bail!("usage: word_pairs MIN_PAIR MIN_WORD FILE.jsonl.gz...");
    };
    let min_pair: u32 = min_pair.parse().context("MIN_PAIR")?;
    let min_word: u32 = min_word.parse().context("MIN_WORD")?;
    let seg = Segmenter::builtin();
    let mut words = Words {
        ids: HashMap::new(),
        names: Vec::new(),
    };
    let mut unigrams: HashMap<u32, u32> = HashMap::new();
    let mut pairs: HashMap<u64, u32> = HashMap::new();
    let mut docs = 0usize;
    let mut ranges = Vec::new();
    for file in files {
        let f = std::fs::File::open(file).with_context(|| format!("opening {file}"))?;
        for line in BufReader::new(MultiGzDecoder::new(f)).lines() {
            let line = line.with_context(|| format!("reading {file}"))?;
            let doc: serde_json::Value =
                serde_json::from_str(&line).with_context(|| format!("a line of {file}"))?;
            let Some(text) = doc.get("text").and_then(|t| t.as_str()) else {
                continue;
            };
            docs += 1;
            let text = repair(text);
            ranges.clear();
            seg.segment_append(&text, &mut ranges);
            let mut prev: Option<u32> = None;
            for r in &ranges {
                let w = &text[r.clone()];
                if !countable(w) {
                    prev = None;
                    continue;
                }
                let id = words.id(w);
                *unigrams.entry(id).or_default() += 1;
                if let Some(p) = prev {
                    *pairs
                        .entry((u64::from(p) << 32) | u64::from(id))
                        .or_default() += 1;
                }
                prev = Some(id);
            }
        }
        eprintln!(
            "{file}: {docs} documents so far, {} words, {} pairs",
            words.names.len(),
            pairs.len()
        );
    }
    let seen: HashMap<&str, u32> = unigrams
        .iter()
        .filter(|e| *e.1 >= min_word)
        .map(|(id, n)| (words.names[*id as usize].as_str(), *n))
        .collect();
    let confusable: Vec<bool> = words
        .names
        .iter()
        .map(|w| {
            seen.contains_key(w.as_str()) && edits(w).iter().any(|e| seen.contains_key(e.as_str()))
        })
        .collect();
    let mut uni: Vec<(u32, u32)> = unigrams
        .into_iter()
        .filter(|e| e.1 >= min_word && confusable[e.0 as usize])
        .collect();
    uni.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut two: Vec<(u64, u32)> = pairs
        .into_iter()
        .filter(|e| {
            let (a, b) = ((e.0 >> 32) as usize, (e.0 & 0xffff_ffff) as usize);
            e.1 >= min_pair && (confusable[a] || confusable[b])
        })
        .collect();
    two.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    writeln!(
        out,
        "# Thai word and word-pair counts: {docs} documents, words seen >= {min_word} times, pairs >= {min_pair} times."
    )?;
    writeln!(
        out,
        "# Built by scripts/build_word_pairs.sh; source and license in dictionaries/SOURCES.md."
    )?;
    writeln!(
        out,
        "# count<TAB>word (words one OCR mark edit from another word), then count<TAB>left right (two words printed together, one of them such a word)."
    )?;
    for (id, n) in uni {
        writeln!(out, "{n}\t{}", words.names[id as usize])?;
    }
    for (key, n) in two {
        let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
        writeln!(out, "{n}\t{} {}", words.names[a], words.names[b])?;
    }
    out.flush()?;
    Ok(())
}
