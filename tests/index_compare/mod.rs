//! Shared by the distributed-ingest tests: what makes two indexes answer
//! alike (documents, stats, hits, entities).

use std::path::Path;
use std::process::{Command, Output};

/// Runs `saraban --index INDEX ARGS...`.
pub fn saraban(index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .expect("run saraban")
}

/// Standard error, for assertion messages.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as JSON lines.
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Queries of every kind the corpus answers: words, phrases, filters.
pub const QUERIES: &[&str] = &[
    "ภูเก็ต",
    "province:ภูเก็ต",
    "สิทธิมนุษยชน",
    "\"กระทรวงยุติธรรม\"",
    "ยาเสพติด -type:news",
    "type:order",
    "type:letter",
    "order:2/2566",
    "date:2566",
    "fy:2567",
    "แผนสิทธิมนุษยชนแห่งชาติ",
    "ประชุม OR อบรม",
    "มหาดไทย",
    "นายกรัฐมนตรี",
];

/// What an index answers: stats, every stored document with its tags, and
/// every hit of every query in [`QUERIES`].
#[derive(Debug, PartialEq)]
pub struct Answers {
    /// `stats` without the size on disk (segments differ).
    pub stats: serde_json::Value,
    /// Every stored document and its tags, sorted.
    pub documents: Vec<String>,
    /// Per query: every hit (id, type, date, title, provinces, snippet,
    /// score to 4 places), best first, ties by id.
    pub hits: Vec<(String, Vec<String>)>,
}

/// Reads the answers of the index at `index` (in-process: one load of the
/// dictionaries).
pub fn answers(index: &Path) -> Answers {
    let analysis = saraban::index::Analysis::load(None).expect("dictionaries");
    let archive = saraban::archive::Archive::open(index, analysis).expect("open index");
    let mut stats = serde_json::to_value(archive.stats().expect("stats")).expect("stats JSON");
    if let Some(m) = stats.as_object_mut() {
        m.remove("index_bytes");
    }
    let mut documents = Vec::new();
    archive
        .index()
        .for_each_doc(|d| {
            let v = serde_json::to_string(&d).map_err(std::io::Error::other)?;
            documents.push(format!("{v} {}", d.tagged_json));
            Ok(())
        })
        .expect("stored documents");
    documents.sort();
    let hits = QUERIES
        .iter()
        .map(|q| {
            let results = archive.search(q, 0).expect("search");
            let mut hits: Vec<(i64, String)> = results
                .hits
                .iter()
                .map(|h| {
                    let score = (f64::from(h.score) * 1e4).round() as i64;
                    let mut v = serde_json::to_value(h).expect("hit JSON");
                    if let Some(m) = v.as_object_mut() {
                        m.remove("score");
                    }
                    (-score, format!("{score} {v}"))
                })
                .collect();
            hits.sort();
            (q.to_string(), hits.into_iter().map(|(_, l)| l).collect())
        })
        .collect();
    Answers {
        stats,
        documents,
        hits,
    }
}

/// Asserts that `got` answers every query, stat and stored document as
/// `want` does; returns how many hits the queries found in all.
pub fn assert_same_answers(want: &Answers, got: &Path) -> usize {
    let got = answers(got);
    assert_eq!(got.stats, want.stats, "stats");
    assert_eq!(got.documents.len(), want.documents.len(), "documents");
    for (g, w) in got.documents.iter().zip(&want.documents) {
        assert_eq!(g, w, "stored document");
    }
    for ((q, g), (_, w)) in got.hits.iter().zip(&want.hits) {
        assert_eq!(g, w, "hits for {q}");
    }
    want.hits.iter().map(|(_, h)| h.len()).sum()
}
