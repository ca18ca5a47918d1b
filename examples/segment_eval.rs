//! Scores the Thai word segmenter against gold segmentations and measures its speed.
//!
//! Usage: `cargo run --release --example segment_eval -- DIR` where `DIR` holds
//! `*.jsonl` files of `{"id", "tokens"}` lines (`"".join(tokens)` is the sentence).
//!
//! The score is the character-boundary F1 as PyThaiNLP's word-tokenization benchmark
//! computes it: whitespace is removed from both segmentations, each token that keeps
//! a character marks a boundary at its first character, and true/false positives are
//! summed over all sentences before precision and recall are taken. Speed is the
//! segmenter alone on the joined sentences (UTF-8 bytes per second, one thread).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use saraban::segment::{Segmenter, segment_sentence};

/// Start positions of tokens, counted in characters of the text with whitespace removed.
fn starts<'a>(tokens: impl Iterator<Item = &'a str>) -> HashSet<usize> {
    let mut out = HashSet::new();
    let mut at = 0usize;
    for t in tokens {
        let kept = t.chars().filter(|c| !c.is_whitespace()).count();
        if kept > 0 {
            out.insert(at);
            at += kept;
        }
    }
    out
}

/// One gold sentence: the raw text and its tokens.
struct Gold {
    text: String,
    tokens: Vec<String>,
}

fn load(path: &Path) -> anyhow::Result<Vec<Gold>> {
    let mut out = Vec::new();
    for line in std::fs::read_to_string(path)?.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)?;
        let tokens: Vec<String> = v["tokens"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Gold {
            text: tokens.concat(),
            tokens,
        });
    }
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/bench/segmentation"));
    let t0 = Instant::now();
    let seg = Segmenter::builtin();
    println!(
        "built-in segmenter built in {:.0} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    println!(
        "{:<24} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "set", "sents", "precision", "recall", "F1", "MB/s"
    );
    for path in files {
        let gold = load(&path)?;
        let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
        for g in &gold {
            let want = starts(g.tokens.iter().map(String::as_str));
            let got = starts(
                segment_sentence(seg, &g.text)
                    .into_iter()
                    .map(|r| &g.text[r]),
            );
            if want.is_empty() || got.is_empty() {
                continue;
            }
            tp += got.intersection(&want).count();
            fp += got.difference(&want).count();
            fnn += want.difference(&got).count();
        }
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fnn).max(1) as f64;
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };

        let bytes: usize = gold.iter().map(|g| g.text.len()).sum();
        let mut rounds = 0usize;
        let mut tokens = 0usize;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) || rounds < 3 {
            for g in &gold {
                tokens += segment_sentence(seg, &g.text).len();
            }
            rounds += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        let mbs = (bytes * rounds) as f64 / secs / 1e6;
        std::hint::black_box(tokens);
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        println!(
            "{:<24} {:>6} {:>9.4} {:>9.4} {:>9.4} {:>9.1}",
            name,
            gold.len(),
            p,
            r,
            f1,
            mbs
        );
    }
    Ok(())
}
