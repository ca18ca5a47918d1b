//! Throughput of each ingest stage on one core, to see where ingest time goes.
//!
//! `cargo bench --bench stages [-- FILE.jsonl.gz ...]` (default: the bulk
//! corpus) reads the records' text, then times Unicode repair, furniture
//! removal, date extraction, entity tagging, the segmenter alone, word
//! analysis (pre-tokenizer and segmenter) and bigram
//! analysis over all of it, and prints MB/s per stage.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::Instant;

use saraban::index::Analysis;
use saraban::index::analyzer::{GramTokenizer, WordTokenizer};
use tantivy::tokenizer::{TokenStream, Tokenizer};

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .map(PathBuf::from)
        .collect();
    if files.is_empty() {
        let bulk = root.join("../shared/corpus/bulk");
        files.push(bulk.join("thaigov-news-12k.jsonl.gz"));
        files.push(bulk.join("thai-law-667.jsonl.gz"));
    }
    let mut texts = Vec::new();
    for f in &files {
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(std::fs::File::open(f)?));
        for line in reader.lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            if let Some(t) = v["text"].as_str() {
                texts.push(t.to_string());
            }
        }
    }
    let mb = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    let analysis = Analysis::load(None)?;
    println!("{} documents, {mb:.1} MB", texts.len());
    let repaired = stage(
        "repair",
        mb,
        &texts,
        saraban::normalize::repair,
        String::len,
    );
    let cleaned = stage(
        "furniture",
        mb,
        &repaired,
        saraban::extract::remove_furniture,
        String::len,
    );
    stage(
        "dates",
        mb,
        &cleaned,
        saraban::normalize::date::extract_dates,
        Vec::len,
    );
    stage(
        "entities",
        mb,
        &cleaned,
        |t| analysis.tagger.tag(t, &[]).provinces.len(),
        |n| *n,
    );
    stage(
        "segmenter",
        mb,
        &cleaned,
        |t| analysis.segmenter.segment(t).len(),
        |n| *n,
    );
    stage(
        "words",
        mb,
        &cleaned,
        |t| count_tokens(&mut WordTokenizer::new(analysis.segmenter.clone()), t),
        |n| *n,
    );
    stage(
        "bigrams",
        mb,
        &cleaned,
        |t| count_tokens(&mut GramTokenizer::default(), t),
        |n| *n,
    );
    Ok(())
}

/// Runs one stage over every input once, prints its MB/s (against `mb`, the
/// corpus size) and the number of items it gave, and returns its outputs for
/// the next stage.
fn stage<T>(
    name: &str,
    mb: f64,
    input: &[String],
    mut run: impl FnMut(&str) -> T,
    items: impl Fn(&T) -> usize,
) -> Vec<T> {
    let start = Instant::now();
    let out: Vec<T> = input.iter().map(|t| run(t)).collect();
    let s = start.elapsed().as_secs_f64();
    let n: usize = out.iter().map(items).sum();
    println!("{name:<12} {:>7.1} MB/s  ({s:.2} s, {n} items)", mb / s);
    out
}

/// Number of tokens `tok` makes of `text`.
fn count_tokens<T: Tokenizer>(tok: &mut T, text: &str) -> usize {
    let mut stream = tok.token_stream(text);
    let mut n = 0;
    while stream.advance() {
        n += 1;
    }
    n
}
