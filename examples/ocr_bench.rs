//! Scores saraban's OCR path on the synthetic scanned letters made by
//! `scripts/ocr_bench_gen.py`.
//!
//! Usage: `cargo run --release --example ocr_bench -- DIR [--jobs N] [--json OUT]`
//! where `DIR` holds the generated pages and their `manifest.json`.
//!
//! Each page goes through the same path as `saraban tag`: extraction (OCR)
//! then tagging. Reported per font, dpi, noise, layout and digit script:
//! character error rate (whitespace removed from both sides), error rate on
//! digits alone (Thai and Arabic digits folded to their value; the
//! insertions, deletions and substitutions of an alignment of the digit
//! sequences, over the digits printed), letters whose number was read
//! exactly, letters whose document date is right, and a confusion matrix of
//! the ten digits. Throughput is pages per wall second with `--jobs` pages at
//! a time, and CPU seconds per page (saraban and its tesseract children).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result};
use saraban::extract::{ExtractOptions, extract_file};
use saraban::pipeline::tag_extracted;
use saraban::tag::Tagger;
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone)]
struct Page {
    file: String,
    font: String,
    dpi: u32,
    noise: String,
    layout: String,
    digits: String,
    number: String,
    date: String,
    truth: String,
}

/// Digit printed (row) by digit read (column); 10 is "none".
type Confusion = [[usize; 11]; 11];

#[derive(Debug, Default, Clone)]
struct Score {
    pages: usize,
    chars: usize,
    char_errors: usize,
    digits: usize,
    digit_errors: usize,
    numbers_exact: usize,
    dates_right: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.pages += o.pages;
        self.chars += o.chars;
        self.char_errors += o.char_errors;
        self.digits += o.digits;
        self.digit_errors += o.digit_errors;
        self.numbers_exact += o.numbers_exact;
        self.dates_right += o.dates_right;
    }

    fn row(&self, name: &str) -> String {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        format!(
            "| {name} | {} | {:.2}% | {:.2}% | {:.0}% | {:.0}% |",
            self.pages,
            pct(self.char_errors, self.chars),
            pct(self.digit_errors, self.digits),
            pct(self.numbers_exact, self.pages),
            pct(self.dates_right, self.pages),
        )
    }
}

/// Digit value of a Thai or Arabic digit.
fn digit_value(c: char) -> Option<usize> {
    match c {
        '0'..='9' => Some(c as usize - '0' as usize),
        '๐'..='๙' => Some(c as usize - '๐' as usize),
        _ => None,
    }
}

/// Thai digits to Arabic, whitespace removed.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            digit_value(c)
                .and_then(|d| char::from_digit(d as u32, 10))
                .unwrap_or(c)
        })
        .collect()
}

/// Edit distance, and (when `confusion` is given) the aligned pairs counted
/// into it: row = digit printed (10 = none), column = digit read (10 = none).
fn align<T: PartialEq + Copy>(
    a: &[T],
    b: &[T],
    mut confusion: Option<(&mut Confusion, &dyn Fn(T) -> usize)>,
) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![0u32; (n + 1) * (m + 1)];
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    for i in 0..=n {
        d[idx(i, 0)] = i as u32;
    }
    for j in 0..=m {
        d[idx(0, j)] = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[idx(i - 1, j - 1)] + u32::from(a[i - 1] != b[j - 1]);
            d[idx(i, j)] = sub.min(d[idx(i - 1, j)] + 1).min(d[idx(i, j - 1)] + 1);
        }
    }
    if let Some((conf, val)) = confusion.as_mut() {
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            let here = d[idx(i, j)];
            if i > 0 && j > 0 && here == d[idx(i - 1, j - 1)] + u32::from(a[i - 1] != b[j - 1]) {
                conf[val(a[i - 1])][val(b[j - 1])] += 1;
                i -= 1;
                j -= 1;
            } else if i > 0 && here == d[idx(i - 1, j)] + 1 {
                conf[val(a[i - 1])][10] += 1;
                i -= 1;
            } else {
                conf[10][val(b[j - 1])] += 1;
                j -= 1;
            }
        }
    }
    d[idx(n, m)] as usize
}

fn cpu_seconds() -> f64 {
    let mut total = 0.0;
    for who in [libc::RUSAGE_SELF, libc::RUSAGE_CHILDREN] {
        // SAFETY: getrusage fills the struct it is given.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(who, &mut ru) } == 0 {
            total += ru.ru_utime.tv_sec as f64
                + ru.ru_utime.tv_usec as f64 / 1e6
                + ru.ru_stime.tv_sec as f64
                + ru.ru_stime.tv_usec as f64 / 1e6;
        }
    }
    total
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut jobs = 2usize;
    let mut json_out = None;
    let mut filter = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--jobs" => jobs = args.next().context("--jobs N")?.parse()?,
            "--json" => json_out = Some(PathBuf::from(args.next().context("--json OUT")?)),
            "--only" => filter = Some(args.next().context("--only SUBSTRING")?),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.context("usage: ocr_bench DIR [--jobs N] [--json OUT] [--only SUBSTRING]")?;
    let manifest: Vec<Page> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json")).context("reading manifest.json")?,
    )?;
    let manifest: Vec<Page> = manifest
        .into_iter()
        .filter(|p| filter.as_ref().is_none_or(|f| p.file.contains(f.as_str())))
        .collect();
    let opts = ExtractOptions::default();
    anyhow::ensure!(
        opts.tools.tesseract.is_some(),
        "tesseract with Thai is needed"
    );
    let tagger = Tagger::builtin()?;

    let queue = Mutex::new(manifest.iter().enumerate().collect::<Vec<_>>());
    let results: Mutex<Vec<(usize, Score, Confusion, serde_json::Value)>> = Mutex::new(Vec::new());
    let cpu0 = cpu_seconds();
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some((i, page)) = next else { break };
                    let path = dir.join(&page.file);
                    let started = Instant::now();
                    let (text, numbers, date, err) = match extract_file(&path, &opts) {
                        Ok(ex) => {
                            let t = tag_extracted(&tagger, &ex);
                            let nums: Vec<String> =
                                t.doc_numbers.iter().map(|n| n.number.clone()).collect();
                            (ex.text, nums, t.doc_date, None)
                        }
                        Err(e) => (String::new(), Vec::new(), None, Some(e.to_string())),
                    };
                    let secs = started.elapsed().as_secs_f64();
                    let truth: Vec<char> = fold(&page.truth).chars().collect();
                    let read: Vec<char> = fold(&text).chars().collect();
                    let char_errors = align(&truth, &read, None);
                    let td: Vec<usize> = truth.iter().filter_map(|c| digit_value(*c)).collect();
                    let rd: Vec<usize> = read.iter().filter_map(|c| digit_value(*c)).collect();
                    let mut conf = [[0usize; 11]; 11];
                    let digit_errors = align(&td, &rd, Some((&mut conf, &|d| d)));
                    let want = fold(&page.number);
                    let exact = numbers.iter().any(|n| fold(n) == want);
                    let date_right = date.as_deref() == Some(page.date.as_str());
                    let score = Score {
                        pages: 1,
                        chars: truth.len(),
                        char_errors,
                        digits: td.len(),
                        digit_errors,
                        numbers_exact: usize::from(exact),
                        dates_right: usize::from(date_right),
                    };
                    let detail = serde_json::json!({
                        "file": page.file, "secs": secs, "cer": char_errors as f64 / truth.len().max(1) as f64,
                        "digit_errors": digit_errors, "digits": td.len(),
                        "number": page.number, "numbers_read": numbers, "number_exact": exact,
                        "date": page.date, "date_read": date, "error": err,
                        "digits_printed": td.iter().map(|d| d.to_string()).collect::<String>(),
                        "digits_read": rd.iter().map(|d| d.to_string()).collect::<String>(),
                        "text": text,
                    });
                    if let Ok(mut r) = results.lock() {
                        r.push((i, score, conf, detail));
                    }
                }
            });
        }
    });
    let wall = t0.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|r| r.0);

    let mut groups: BTreeMap<String, Score> = BTreeMap::new();
    let mut total = Score::default();
    let mut conf = [[0usize; 11]; 11];
    for (i, s, c, _) in &results {
        let p = &manifest[*i];
        total.add(s);
        for (k, row) in c.iter().enumerate() {
            for (l, v) in row.iter().enumerate() {
                conf[k][l] += v;
            }
        }
        for key in [
            format!("font {}", p.font),
            format!("dpi {:03}", p.dpi),
            format!("noise {}", p.noise),
            format!("layout {}", p.layout),
            format!("digits {}", p.digits),
            format!("dpi×noise {:03} {}", p.dpi, p.noise),
        ] {
            groups.entry(key).or_default().add(s);
        }
    }
    println!("| group | pages | CER | digit CER | number exact | date right |");
    println!("|---|---|---|---|---|---|");
    println!("{}", total.row("**all**"));
    for (k, s) in &groups {
        println!("{}", s.row(k));
    }
    println!(
        "\n{} pages in {wall:.1} s wall ({:.2} pages/s with {jobs} jobs), {:.2} CPU s/page",
        results.len(),
        results.len() as f64 / wall,
        cpu / results.len().max(1) as f64
    );
    println!("\ndigit confusion (row printed, column read; ∅ = none)");
    let label = |k: usize| {
        if k == 10 {
            "∅".to_string()
        } else {
            char::from_u32('๐' as u32 + k as u32)
                .map(String::from)
                .unwrap_or_default()
        }
    };
    let head: Vec<String> = (0..11).map(label).collect();
    println!("|   | {} |", head.join(" | "));
    println!("|{}", "---|".repeat(12));
    for (k, row) in conf.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        println!("| {} | {} |", label(k), cells.join(" | "));
    }
    if let Some(out) = json_out {
        let details: Vec<&serde_json::Value> = results.iter().map(|r| &r.3).collect();
        std::fs::write(&out, serde_json::to_string_pretty(&details)?)
            .with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(())
}
