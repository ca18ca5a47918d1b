//! How much text furniture removal takes from each document.
//!
//! Usage: `cargo run --release --example furniture_report -- [--top N] PATH...`
//! where each `PATH` is a folder (walked for `*.txt`), a `.txt` file or a
//! JSON Lines file (`.jsonl`, `.jsonl.gz`, one `{"id", "text"}` per line).
//!
//! Every document is read as ingest reads it (decoded, Unicode repaired) and
//! then once with furniture removal and once without; what removal takes is
//! counted in characters other than whitespace. Prints the distribution over
//! all documents, the total, the documents left with nothing or with only
//! their first line, and the `N` largest removals (default 20) with the lines
//! they removed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use saraban::extract::{decode_text, remove_furniture};
use saraban::normalize::repair;

/// One document to measure.
struct Doc {
    name: String,
    text: String,
}

/// What removal did to one document.
struct Removal {
    name: String,
    before: usize,
    after: usize,
    /// Lines of the input missing from the output (trimmed, in input order).
    lines: Vec<String>,
    /// Lines left with text (before, after).
    kept_lines: (usize, usize),
}

fn visible(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

fn measure(doc: &Doc) -> Removal {
    let text = repair(&doc.text);
    let out = remove_furniture(&text);
    let mut left: HashMap<&str, usize> = HashMap::new();
    for l in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        *left.entry(l).or_default() += 1;
    }
    let mut lines = Vec::new();
    let mut n_in = 0;
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        n_in += 1;
        match left.get_mut(l) {
            Some(n) if *n > 0 => *n -= 1,
            _ => lines.push(l.to_string()),
        }
    }
    Removal {
        name: doc.name.clone(),
        before: visible(&text),
        after: visible(&out),
        lines,
        kept_lines: (n_in, out.lines().filter(|l| !l.trim().is_empty()).count()),
    }
}

fn read_jsonl(path: &Path, out: &mut Vec<Doc>) -> Result<()> {
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}", path.display(), i + 1))?;
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("#{}", i + 1),
        };
        out.push(Doc {
            name: format!("{}:{id}", path.display()),
            text: text.to_string(),
        });
    }
    Ok(())
}

fn read_path(path: &Path, out: &mut Vec<Doc>) -> Result<()> {
    let name = path.to_string_lossy();
    if path.is_dir() {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .follow_links(true)
            .into_iter()
            .filter_map(|e| e.ok())
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for f in files {
            read_path(&f, out)?;
        }
    } else if name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") {
        read_jsonl(path, out)?;
    } else {
        let bytes = std::fs::read(path).with_context(|| name.to_string())?;
        out.push(Doc {
            name: name.to_string(),
            text: decode_text(&bytes).text,
        });
    }
    Ok(())
}

fn percentile(sorted: &[usize], p: usize) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) * p / 100).min(sorted.len() - 1)]
}

fn main() -> Result<()> {
    let mut top = 20usize;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--top" {
            top = args
                .next()
                .context("--top needs a number")?
                .parse()
                .context("--top needs a number")?;
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    if paths.is_empty() {
        bail!("usage: furniture_report [--top N] PATH...");
    }
    for path in &paths {
        let mut docs = Vec::new();
        read_path(path, &mut docs)?;
        let mut rs: Vec<Removal> = docs.par_iter().map(measure).collect();
        report(&path.display().to_string(), &mut rs, top);
    }
    Ok(())
}

fn report(label: &str, rs: &mut [Removal], top: usize) {
    let removed = |r: &Removal| r.before.saturating_sub(r.after);
    let total_before: usize = rs.iter().map(|r| r.before).sum();
    let total_removed: usize = rs.iter().map(removed).sum();
    let mut amounts: Vec<usize> = rs.iter().map(removed).collect();
    amounts.sort_unstable();
    let touched = amounts.iter().filter(|&&a| a > 0).count();
    println!("== {label}");
    println!(
        "documents {}  with removal {}  characters before {}  removed {} ({:.2}%)",
        rs.len(),
        touched,
        total_before,
        total_removed,
        100.0 * total_removed as f64 / total_before.max(1) as f64
    );
    println!(
        "removed per document: p50 {}  p90 {}  p99 {}  max {}",
        percentile(&amounts, 50),
        percentile(&amounts, 90),
        percentile(&amounts, 99),
        amounts.last().copied().unwrap_or(0)
    );
    for r in rs.iter() {
        if r.before > 0 && r.after == 0 {
            println!("EMPTIED {}", r.name);
        } else if r.kept_lines.0 > 1 && r.kept_lines.1 <= 1 {
            println!(
                "ONE LINE LEFT {} ({} of {} lines)",
                r.name, r.kept_lines.1, r.kept_lines.0
            );
        }
    }
    rs.sort_by(|a, b| removed(b).cmp(&removed(a)).then(a.name.cmp(&b.name)));
    for r in rs.iter().take(top).filter(|r| removed(r) > 0) {
        println!(
            "-- {}: removed {} of {} characters, {} lines",
            r.name,
            removed(r),
            r.before,
            r.lines.len()
        );
        for l in r.lines.iter().take(12) {
            let short: String = l.chars().take(110).collect();
            println!("   - {short}");
        }
        if r.lines.len() > 12 {
            println!("   … {} more lines", r.lines.len() - 12);
        }
    }
}
