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
    let time = |name: &str, f: &mut dyn FnMut(&str) -> usize, input: &[String]| {
        let start = Instant::now();
        let mut n = 0;
        for t in input {
            n += f(t);
        }
        let s = start.elapsed().as_secs_f64();
        println!("{name:<12} {:>7.1} MB/s  ({s:.2} s, {n} items)", mb / s);
    };
    println!("{} documents, {mb:.1} MB", texts.len());
    let repaired: Vec<String> = texts
        .iter()
        .map(|t| saraban::normalize::repair(t))
        .collect();
    time(
        "repair",
        &mut |t| saraban::normalize::repair(t).len(),
        &texts,
    );
    let cleaned: Vec<String> = repaired
        .iter()
        .map(|t| saraban::extract::remove_furniture(t))
        .collect();
    time(
        "furniture",
        &mut |t| saraban::extract::remove_furniture(t).len(),
        &repaired,
    );
    time(
        "dates",
        &mut |t| saraban::normalize::date::extract_dates(t).len(),
        &cleaned,
    );
    time(
        "entities",
        &mut |t| analysis.tagger.tag(t, &[]).provinces.len(),
        &cleaned,
    );
    time(
        "segmenter",
        &mut |t| analysis.segmenter.segment(t).len(),
        &cleaned,
    );
    time(
        "words",
        &mut |t| {
            let mut tok = WordTokenizer::new(analysis.segmenter.clone());
            let mut s = tok.token_stream(t);
            let mut n = 0;
            while s.advance() {
                n += 1;
            }
            n
        },
        &cleaned,
    );
    time(
        "bigrams",
        &mut |t| {
            let mut tok = GramTokenizer::default();
            let mut s = tok.token_stream(t);
            let mut n = 0;
            while s.advance() {
                n += 1;
            }
            n
        },
        &cleaned,
    );
    Ok(())
}
