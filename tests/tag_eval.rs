//! Tagging quality on hand-annotated documents the rules were not written from.
//!
//! `tests/data/eval/*.txt` are news releases and laws from the bulk corpus (see the
//! README there); each has a `.gold.json` written by reading the text. `saraban tag
//! --json` runs over all of them and is scored per entity type (precision, recall, F1),
//! per attribute (share of matched mentions whose attribute is right), for `doc_date`
//! and for the document type. The figures are printed (`cargo test --test tag_eval --
//! --nocapture`) and the test fails below the targets at the bottom.
//!
//! A gold mention is located in the tagger's `text` by its surface text, searching
//! forward from the end of the previous gold mention of the same type. A predicted mention matches a
//! gold one of the same type when their spans overlap and their key agrees: a date's
//! `value`, a province's `name`, an official's `name`, an order's `number` (or its type
//! and date when it has none), a document number's `number`, a plan's `name`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn eval_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval")
}

const TYPES: &[&str] = &[
    "dates",
    "provinces",
    "officials",
    "orders",
    "doc_numbers",
    "plans",
];

/// Attributes compared on matched mentions, per type.
const ATTRS: &[(&str, &str)] = &[
    ("officials", "title"),
    ("officials", "position"),
    ("orders", "type"),
    ("orders", "issuer"),
    ("orders", "subject"),
    ("orders", "date"),
    ("orders", "self"),
    ("plans", "edition"),
    ("plans", "period"),
];

/// The field that identifies a mention of a type.
fn key(kind: &str, m: &Value) -> String {
    let s = |f: &str| m[f].as_str().unwrap_or("").to_string();
    match kind {
        "dates" => s("value"),
        "provinces" | "plans" => s("name"),
        "officials" => s("name").split_whitespace().collect::<Vec<_>>().join(" "),
        "orders" => match m["number"].as_str() {
            Some(n) => n.to_string(),
            None => format!("{}@{}", s("type"), s("date")),
        },
        "doc_numbers" => s("number"),
        _ => String::new(),
    }
}

#[derive(Default, Clone, Copy)]
struct Count {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Count {
    fn prf(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        };
        let r = if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

/// Character span of `needle` in `hay` at or after char offset `from`.
fn find_chars(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

struct Scores {
    types: BTreeMap<&'static str, Count>,
    attrs: BTreeMap<(&'static str, &'static str), (usize, usize)>,
    doc_date: (usize, usize),
    doc_type: (usize, usize),
    misses: Vec<String>,
}

fn score() -> Scores {
    let mut files: Vec<PathBuf> = std::fs::read_dir(eval_dir())
        .expect("eval dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "the evaluation set has {} documents",
        files.len()
    );
    // SARABAN_EVAL_BIN scores another build (to compare before and after a change).
    let bin = std::env::var_os("SARABAN_EVAL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_saraban")));
    let out = Command::new(bin)
        .args(["tag", "--json"])
        .args(&files)
        .output()
        .expect("run saraban tag");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let tagged: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("tag JSON"))
        .collect();
    assert_eq!(tagged.len(), files.len());

    let mut s = Scores {
        types: BTreeMap::new(),
        attrs: BTreeMap::new(),
        doc_date: (0, 0),
        doc_type: (0, 0),
        misses: Vec::new(),
    };
    for (file, pred) in files.iter().zip(&tagged) {
        let name = file
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let gold_path = file.with_extension("gold.json");
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(&gold_path)
                .unwrap_or_else(|e| panic!("{}: {e}", gold_path.display())),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", gold_path.display()));
        let text: Vec<char> = pred["text"].as_str().expect("text").chars().collect();

        s.doc_date.1 += 1;
        if gold["doc_date"] == pred["doc_date"] {
            s.doc_date.0 += 1;
        } else {
            s.misses.push(format!(
                "{name}: doc_date {} ≠ gold {}",
                pred["doc_date"], gold["doc_date"]
            ));
        }
        s.doc_type.1 += 1;
        if gold["type"] == pred["type"] {
            s.doc_type.0 += 1;
        } else {
            s.misses.push(format!(
                "{name}: type {} ≠ gold {}",
                pred["type"], gold["type"]
            ));
        }

        for &kind in TYPES {
            let golds = gold[kind].as_array().cloned().unwrap_or_default();
            let preds = pred[kind].as_array().cloned().unwrap_or_default();
            // Locate gold mentions.
            let mut spans = Vec::new();
            let mut cursor = 0;
            for g in &golds {
                let t: Vec<char> = g["text"].as_str().unwrap_or("").chars().collect();
                let at = find_chars(&text, &t, cursor).or_else(|| find_chars(&text, &t, 0));
                match at {
                    Some(i) => {
                        spans.push(Some((i, i + t.len())));
                        cursor = i + t.len();
                    }
                    None => {
                        s.misses.push(format!(
                            "{name}: gold {kind} text not in text: {}",
                            g["text"]
                        ));
                        spans.push(None);
                    }
                }
            }
            let mut used = vec![false; preds.len()];
            let c = s.types.entry(kind).or_default();
            for (g, span) in golds.iter().zip(&spans) {
                let gk = key(kind, g);
                let hit = span.and_then(|(gs, ge)| {
                    preds.iter().enumerate().position(|(j, p)| {
                        let ps = p["start"].as_u64().unwrap_or(0) as usize;
                        let pe = p["end"].as_u64().unwrap_or(0) as usize;
                        !used[j] && ps < ge && gs < pe && key(kind, p) == gk
                    })
                });
                match hit {
                    Some(j) => {
                        used[j] = true;
                        c.tp += 1;
                        for &(k, a) in ATTRS.iter().filter(|(k, _)| *k == kind) {
                            let e = s.attrs.entry((k, a)).or_default();
                            e.1 += 1;
                            if g[a] == preds[j][a] {
                                e.0 += 1;
                            } else {
                                s.misses.push(format!(
                                    "{name}: {kind}.{a} of {} = {} ≠ gold {}",
                                    g["text"], preds[j][a], g[a]
                                ));
                            }
                        }
                    }
                    None => {
                        c.fn_ += 1;
                        s.misses
                            .push(format!("{name}: missed {kind} {} [{gk}]", g["text"]));
                    }
                }
            }
            for (j, p) in preds.iter().enumerate() {
                if !used[j] {
                    c.fp += 1;
                    s.misses.push(format!(
                        "{name}: spurious {kind} {} [{}]",
                        p["text"],
                        key(kind, p)
                    ));
                }
            }
        }
    }
    s
}

#[test]
fn tagging_meets_targets_on_unseen_documents() {
    let s = score();
    for m in &s.misses {
        eprintln!("  {m}");
    }
    eprintln!("type          gold  pred    P      R      F1");
    let mut fails = Vec::new();
    let mut pooled = Count::default();
    for (kind, c) in &s.types {
        let (p, r, f) = c.prf();
        eprintln!(
            "{kind:<12} {:>5} {:>5}  {p:.3}  {r:.3}  {f:.3}",
            c.tp + c.fn_,
            c.tp + c.fp
        );
        pooled.tp += c.tp;
        pooled.fp += c.fp;
        pooled.fn_ += c.fn_;
        // Types with few gold mentions are judged only in the pooled figure.
        if c.tp + c.fn_ >= 10 && f < F1_TARGET {
            fails.push(format!("{kind} F1 {f:.3} < {F1_TARGET}"));
        }
    }
    let (p, r, f) = pooled.prf();
    eprintln!(
        "{:<12} {:>5} {:>5}  {p:.3}  {r:.3}  {f:.3}",
        "all",
        pooled.tp + pooled.fn_,
        pooled.tp + pooled.fp
    );
    if f < F1_TARGET {
        fails.push(format!("pooled F1 {f:.3} < {F1_TARGET}"));
    }
    let (mut ok, mut all) = (0, 0);
    for ((kind, a), (good, n)) in &s.attrs {
        eprintln!("{kind}.{a:<10} {good}/{n}");
        ok += good;
        all += n;
    }
    let attr = ok as f64 / all.max(1) as f64;
    eprintln!("attributes    {ok}/{all} = {attr:.3}");
    if attr < ATTR_TARGET {
        fails.push(format!("attributes {attr:.3} < {ATTR_TARGET}"));
    }
    let dd = s.doc_date.0 as f64 / s.doc_date.1 as f64;
    eprintln!("doc_date      {}/{} = {dd:.3}", s.doc_date.0, s.doc_date.1);
    if dd < DOC_DATE_TARGET {
        fails.push(format!("doc_date {dd:.3} < {DOC_DATE_TARGET}"));
    }
    let dt = s.doc_type.0 as f64 / s.doc_type.1 as f64;
    eprintln!("type          {}/{} = {dt:.3}", s.doc_type.0, s.doc_type.1);
    if dt < DOC_DATE_TARGET {
        fails.push(format!("document type {dt:.3} < {DOC_DATE_TARGET}"));
    }
    assert!(fails.is_empty(), "below target: {fails:?}");
}

/// Entity F1 per type (with ≥ 10 gold mentions) and pooled.
const F1_TARGET: f64 = 0.95;
/// Share of matched mentions with every compared attribute right.
const ATTR_TARGET: f64 = 0.90;
/// Share of documents with the right `doc_date` (and the right type).
const DOC_DATE_TARGET: f64 = 0.95;
