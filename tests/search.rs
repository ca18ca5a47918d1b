//! Search over the bundled corpus: literal queries return exactly the
//! documents that contain the query after normalization (checked against an
//! independent brute-force scan), digits are interchangeable, and ranking,
//! filters and snippets behave as documented.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use saraban::extract::{ExtractOptions, Tools};
use saraban::index::{Analysis, SarabanIndex};
use saraban::ingest::{IngestOptions, ingest};

struct Fixture {
    _dir: tempfile::TempDir,
    idx: SarabanIndex,
    analysis: Analysis,
    /// (source, text as stored)
    docs: Vec<(String, String)>,
}

fn corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    vec![root.join("seeds"), root.join("real")]
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("dictionaries");
        let idx = SarabanIndex::open(dir.path(), &analysis, true).expect("index");
        let opts = IngestOptions {
            prune: false,
            report: None,
            threads: 2,
            extract: ExtractOptions::with_tools(Tools::none()),
            batch_docs: 1000,
        };
        let (summary, problems) = ingest(&idx, &analysis, &corpus(), &opts).expect("ingest");
        assert_eq!(summary.failed, 0, "{problems:?}");
        assert!(summary.added >= 59, "{summary:?}");
        let mut docs = Vec::new();
        idx.for_each_doc(|d| {
            docs.push((d.source, d.text));
            Ok(())
        })
        .expect("read back");
        Fixture {
            _dir: dir,
            idx,
            analysis,
            docs,
        }
    })
}

/// The literal-matching rules, written independently of the analyzer:
/// Thai digits → Arabic, invisible characters dropped, whitespace runs → one
/// space, no spaces around `/`; letter case must agree.
fn norm(s: &str) -> String {
    let mut spaced = String::new();
    let mut in_space = false;
    for c in s.chars() {
        let c = match c {
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}' => continue,
            c => c,
        };
        if c.is_whitespace() {
            in_space = true;
            continue;
        }
        if in_space && !spaced.is_empty() {
            spaced.push(' ');
        }
        in_space = false;
        spaced.push(c);
    }
    spaced.replace(" /", "/").replace("/ ", "/")
}

/// Documents whose normalized text contains the normalized query, with no
/// digit glued before a leading digit or after a trailing one.
fn truth(docs: &[(String, String)], q: &str) -> BTreeSet<String> {
    let nq = norm(q);
    let starts_digit = nq.starts_with(|c: char| c.is_ascii_digit());
    let ends_digit = nq.ends_with(|c: char| c.is_ascii_digit());
    docs.iter()
        .filter(|(_, text)| {
            let nt = norm(text);
            nt.match_indices(&nq).any(|(i, m)| {
                let before = nt[..i].chars().next_back();
                let after = nt[i + m.len()..].chars().next();
                let glued_before = starts_digit && before.is_some_and(|c| c.is_ascii_digit());
                let glued_after = ends_digit && after.is_some_and(|c| c.is_ascii_digit());
                !glued_before && !glued_after
            })
        })
        .map(|(s, _)| s.clone())
        .collect()
}

fn hits(q: &str) -> BTreeSet<String> {
    let f = fixture();
    saraban::search::search(&f.idx, &f.analysis, q, 0)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.source)
        .collect()
}

fn quote(q: &str) -> String {
    format!("\"{q}\"")
}

/// Checks a set of literal queries; returns (queries, false negatives, false positives).
fn check(queries: &[String]) -> (usize, Vec<String>, Vec<String>) {
    let f = fixture();
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    for q in queries {
        if norm(q).is_empty() {
            continue;
        }
        let want = truth(&f.docs, q);
        let got = hits(&quote(q));
        for d in want.difference(&got) {
            missed.push(format!("{q:?} misses {d}"));
        }
        for d in got.difference(&want) {
            extra.push(format!("{q:?} wrongly finds {d}"));
        }
    }
    (queries.len(), missed, extra)
}

#[test]
fn bench_queries_match_exactly_the_documents_that_contain_them() {
    let text = include_str!("data/bench_queries.txt");
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let (n, missed, extra) = check(&queries);
    assert!(n > 40);
    assert!(missed.is_empty(), "{missed:#?}");
    assert!(extra.is_empty(), "{extra:#?}");
}

/// A fixed sequence of pseudo-random numbers (a linear congruential
/// generator), so sampled queries are the same on every run.
fn pseudo_random(seed: u64) -> impl FnMut() -> usize {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    }
}

/// Substrings cut from the documents at pseudo-random places (a fixed
/// seed), in both digit sets: words, parts of words, phrases across spaces
/// and lines, numbers.
#[test]
fn sampled_substrings_have_perfect_recall_and_precision() {
    let f = fixture();
    let mut next = pseudo_random(0x5eed_1234_abcd_0001);
    let mut queries = Vec::new();
    for (_, text) in &f.docs {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() < 40 {
            continue;
        }
        for _ in 0..12 {
            let len = 2 + next() % 24;
            let start = next() % (chars.len() - len);
            let q: String = chars[start..start + len].iter().collect();
            let q = q.trim().to_string();
            // quotes delimit phrases in the query language
            if q.chars().count() >= 2 && !q.contains(['"', '“', '”']) {
                queries.push(q);
            }
        }
    }
    // Thai-digit forms of every query with digits, and Arabic forms of Thai ones.
    let swapped: Vec<String> = queries
        .iter()
        .filter(|q| {
            q.chars()
                .any(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
        })
        .map(|q| {
            q.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32('๐' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                    '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
                    c => c,
                })
                .collect()
        })
        .collect();
    queries.extend(swapped);
    let (n, missed, extra) = check(&queries);
    assert!(n > 600, "only {n} queries");
    assert!(missed.is_empty(), "{} of {n}: {missed:#?}", missed.len());
    assert!(extra.is_empty(), "{} of {n}: {extra:#?}", extra.len());
}

/// One-, two- and three-character strings: the ones that lean most on the
/// grams at their edges (the match view has a gram at every other
/// character, so an edge character may share its gram with a neighbour).
#[test]
fn short_strings_are_exact_at_either_alignment() {
    let f = fixture();
    let mut queries: BTreeSet<String> = BTreeSet::new();
    let mut next = pseudo_random(0x0dd_ba11_cafe_0002);
    for (_, text) in &f.docs {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”'))
            .collect();
        if chars.len() < 10 {
            continue;
        }
        // every distinct character, and a few pairs and triples
        queries.extend(chars.iter().map(|c| c.to_string()));
        for _ in 0..6 {
            let len = 2 + next() % 2;
            let start = next() % (chars.len() - len);
            queries.insert(chars[start..start + len].iter().collect());
        }
    }
    let queries: Vec<String> = queries.into_iter().collect();
    let (n, missed, extra) = check(&queries);
    assert!(n > 200, "only {n} queries");
    assert!(missed.is_empty(), "{} of {n}: {missed:#?}", missed.len());
    assert!(extra.is_empty(), "{} of {n}: {extra:#?}", extra.len());
}

#[test]
fn names_provinces_orders_and_plans_are_found_in_either_digit_set() {
    let queries: Vec<String> = [
        "นายณรงค์ วุ่นซิ่ว",
        "นายณรงค์  วุ่นซิ่ว",
        "ผู้ช่วยศาสตราจารย์สุชาติ เศรษฐมาลินี",
        "นายสมนึก พรหมเขียว",
        "คณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชน",
        "ขับเคลื่อนงานสิทธิมนุษยชน",
        "เชียงใหม่",
        "จังหวัดภูเก็ต",
        "สงขลา",
        "แพร่",
        "คำสั่งกระทรวงมหาดไทย ที่ 2739/2566",
        "2739/2566",
        "๒๗๓๙ / ๒๕๖๖",
        "ที่ ๗๖/๒๕๖๓",
        "22/2558",
        "แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5",
        "แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ ๕",
        "(พ.ศ. 2566-2570)",
        "พ.ศ. ๒๕๖๖ - ๒๕๗๐",
        "0017.2/ว 5512",
        "นร 1011/ว 4",
        "Thailand 4.0",
        "thailand",
        "ก",
        "๕",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (_, missed, extra) = check(&queries);
    assert!(missed.is_empty(), "{missed:#?}");
    assert!(extra.is_empty(), "{extra:#?}");
}

#[test]
fn order_2_2566_in_either_digit_set_finds_both_seeds() {
    let arabic = hits("2/2566");
    let thai = hits("๒/๒๕๖๖");
    assert_eq!(arabic, thai);
    for seed in ["000_34a1339aa7e8c079", "002_94a5e7a9c55b254b"] {
        assert!(
            arabic.iter().any(|s| s.contains(seed)),
            "{seed} not in {arabic:?}"
        );
    }
    // never inside a longer number
    let f = fixture();
    for (source, text) in &f.docs {
        if arabic.contains(source) {
            assert!(norm(text).contains("2/2566"));
        }
    }
    assert!(!hits("2/2566").iter().any(|s| s.contains("036_spokesman")));
}

#[test]
fn spacing_must_agree_except_around_slashes() {
    let with_space = hits("พ.ศ. 2566");
    let without = hits("พ.ศ.2566");
    let f = fixture();
    assert_eq!(with_space, truth(&f.docs, "พ.ศ. 2566"));
    assert_eq!(without, truth(&f.docs, "พ.ศ.2566"));
    assert_ne!(with_space, without);
    assert_eq!(hits("2739 / 2566"), hits("2739/2566"));
    assert!(!hits("2739/2566").is_empty());
}

#[test]
fn operators_combine_literals() {
    let a = hits("สิทธิมนุษยชน");
    let b = hits("เชียงใหม่");
    let both = hits("\"สิทธิมนุษยชน\" \"เชียงใหม่\"");
    let either = hits("สิทธิมนุษยชน OR เชียงใหม่");
    let only_a = hits("สิทธิมนุษยชน -เชียงใหม่");
    assert_eq!(both, a.intersection(&b).cloned().collect());
    assert_eq!(either, a.union(&b).cloned().collect());
    assert_eq!(only_a, a.difference(&b).cloned().collect());
    assert!(!both.is_empty() && !only_a.is_empty());
}

#[test]
fn title_matches_rank_first() {
    let f = fixture();
    // A phrase from one document's title that other documents also contain.
    let q = "คุ้มครองสิทธิ";
    let results = saraban::search::search(&f.idx, &f.analysis, q, 0).expect("search");
    assert!(results.total > 3);
    let first = &results.hits[0];
    assert!(
        first.title.as_deref().is_some_and(|t| t.contains(q)),
        "first hit {:?} has no {q} in its title",
        first.title
    );
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn snippets_show_the_documents_own_digits() {
    let f = fixture();
    let results = saraban::search::search(&f.idx, &f.analysis, "2566-2570", 0).expect("search");
    let thai = results
        .hits
        .iter()
        .find(|h| h.snippet.contains("<b>๒๕๖๖"))
        .expect("a Thai-digit document highlights its own digits");
    assert!(thai.snippet.contains("</b>"));
    let arabic = results
        .hits
        .iter()
        .find(|h| h.snippet.contains("<b>2566"))
        .expect("an Arabic-digit document too");
    assert!(!arabic.snippet.contains("<b><b>"));
}
