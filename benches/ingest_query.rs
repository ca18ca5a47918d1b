//! Ingest and query benchmark on real documents.
//!
//! `cargo bench --bench ingest_query [-- PATH... [--queries FILE] [--reps N]]`
//! ingests the paths (default: the bulk corpus in `../shared/corpus/bulk/`)
//! into a fresh index and reports input MB/s, documents, index size, peak
//! memory, and the median and 95th percentile latency of the queries (all
//! hits, plus the first page with snippets as `search` shows it).

use std::path::PathBuf;
use std::time::Instant;

use saraban::extract::{ExtractOptions, Tools};
use saraban::index::{Analysis, SarabanIndex};
use saraban::ingest::{IngestOptions, ingest};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo as f64)
}

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    let mut queries_file = root.join("tests/data/bench_queries.txt");
    let mut reps = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bench" => {}
            "--queries" => queries_file = args.next().map(PathBuf::from).unwrap_or(queries_file),
            "--reps" => reps = args.next().and_then(|r| r.parse().ok()).unwrap_or(reps),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        paths.push(root.join("../shared/corpus/bulk"));
    }
    let queries: Vec<String> = std::fs::read_to_string(&queries_file)?
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();

    let dir = tempfile::tempdir()?;
    let analysis = Analysis::load(None)?;
    let idx = SarabanIndex::open(dir.path(), &analysis, true)?;
    let opts = IngestOptions {
        prune: false,
        report: None,
        threads: 0,
        extract: ExtractOptions::with_tools(Tools::detect()),
        batch_docs: 5000,
    };
    let t0 = Instant::now();
    let (summary, _) = ingest(&idx, &analysis, &paths, &opts)?;
    let secs = t0.elapsed().as_secs_f64();
    let ingest_rss = peak_rss_mb();
    idx.reader.reload()?;
    let index_bytes = idx.size_bytes();

    let mut all_lat = Vec::new();
    let mut page_lat = Vec::new();
    for rep in 0..=reps {
        for q in &queries {
            let s = Instant::now();
            let hits = saraban::search::matching(&idx, &analysis, q)?;
            let all = s.elapsed().as_secs_f64() * 1000.0;
            let s = Instant::now();
            let page = saraban::search::search(&idx, &analysis, q, 10)?;
            let first = s.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box((hits.len(), page.total));
            if rep > 0 {
                all_lat.push(all);
                page_lat.push(first);
            }
        }
    }
    all_lat.sort_by(f64::total_cmp);
    page_lat.sort_by(f64::total_cmp);
    let mb = summary.bytes as f64 / 1e6;
    let report = serde_json::json!({
        "documents": summary.added + summary.replaced,
        "failed": summary.failed,
        "input_mb": mb,
        "ingest_s": secs,
        "ingest_mb_per_s": mb / secs,
        "index_bytes": index_bytes,
        "index_to_input": index_bytes as f64 / summary.bytes.max(1) as f64,
        "ingest_peak_rss_mb": ingest_rss,
        "queries": queries.len(),
        "reps": reps,
        "all_hits_median_ms": percentile(&all_lat, 0.5),
        "all_hits_p95_ms": percentile(&all_lat, 0.95),
        "first_page_median_ms": percentile(&page_lat, 0.5),
        "first_page_p95_ms": percentile(&page_lat, 0.95),
        "peak_rss_mb": peak_rss_mb(),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
