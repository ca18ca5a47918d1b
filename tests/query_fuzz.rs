//! Random queries (Thai, digits, quotes, parentheses, operators, filters and
//! junk): parsing never panics, and every refusal names a character column
//! or a filter. A smaller sample also runs against a small index, where an
//! answer is either hits or such an error — never a failure of the engine.

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use saraban::extract::{ExtractOptions, Tools};
use saraban::index::{Analysis, SarabanIndex};
use saraban::ingest::{IngestOptions, ingest};
use saraban::search::query::{QueryError, parse};
use saraban::search::{SearchError, search};

const PIECES: &[&str] = &[
    "ภูเก็ต",
    "สงขลา",
    "นายณรงค์",
    "วุ่นซิ่ว",
    "สิทธิมนุษยชน",
    "ก",
    "๒/๒๕๖๖",
    "2/2566",
    "2566",
    "-2570",
    "10:30",
    "https://moj.go.th",
    "AND",
    "OR",
    "NOT",
    "and",
    "-",
    "--",
    "(",
    ")",
    "((",
    "))",
    "\"",
    "“",
    "”",
    "\"พ.ศ. 2566\"",
    "order:",
    "order:2/2566",
    "number:๒/๒๕๖๖",
    "docno:\"นร 1011/ว 4\"",
    "province:ภูเก็ต",
    "province:ไม่มี",
    "official:",
    "official:\"นายณรงค์ วุ่นซิ่ว\"",
    "official:ทวี",
    "plan:\"แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5\"",
    "type:order",
    "type:memo",
    "Type:order",
    "date:2566",
    "date:2016-01-01..",
    "date:..2030-12-31",
    "date:2566-2567",
    "date:garbage",
    "date:..",
    "fy:2566",
    "fy:",
    "foo:bar",
    "provice:ภูเก็ต",
    "ISO:9001",
    ":",
    "\u{200B}",
    "\u{FEFF}",
    "\u{0E33}",
    "\\",
    "*",
    "ฯลฯ",
];

const SEPARATORS: &[&str] = &["", " ", " ", " ", "  ", "\t", "\n", "\u{A0}", "\u{3000}"];

/// One piece: a known fragment, or a random character (junk).
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => prop::sample::select(&['๐', '๙', '0', '9', 'ะ', 'ั', '่', '็', ':', '"', '(', ')', '-'][..])
            .prop_map(|c| c.to_string()),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), prop::sample::select(SEPARATORS)), 0..10).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, sep)| format!("{p}{sep}"))
            .collect()
    })
}

/// An error names a column within the query (or just past its end) or a
/// filter written in it.
fn names_where(q: &str, e: &QueryError) -> Result<(), TestCaseError> {
    let len = q.chars().count();
    match (e.column(), e.filter()) {
        (Some(c), _) => {
            prop_assert!(c >= 1 && c <= len + 1, "{q:?}: column {c} of {len}: {e}");
            prop_assert!(e.to_string().contains(&format!("character {c}")), "{e}");
        }
        (None, Some(f)) => {
            prop_assert!(q.contains(&format!("{f}:")), "{q:?}: filter {f}: {e}");
            prop_assert!(e.to_string().contains(f), "{e}");
        }
        (None, None) => prop_assert!(false, "{q:?}: {e} names no position or filter"),
    }
    Ok(())
}

#[test]
fn a_hundred_thousand_random_queries_parse_or_say_where_they_fail() {
    let mut runner = TestRunner::new(Config {
        cases: 100_000,
        failure_persistence: None,
        ..Config::default()
    });
    let (ok, refused) = (Cell::new(0u32), Cell::new(0u32));
    let result = runner.run(&query(), |q| {
        match parse(&q) {
            Ok(_) => ok.set(ok.get() + 1),
            Err(e) => {
                refused.set(refused.get() + 1);
                names_where(&q, &e)?;
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // the sample exercises both outcomes
    assert!(
        ok.get() > 10_000 && refused.get() > 10_000,
        "{ok:?} {refused:?}"
    );
}

struct Small {
    _dir: tempfile::TempDir,
    idx: SarabanIndex,
    analysis: Analysis,
}

/// An index of a dozen real documents.
fn small() -> &'static Small {
    static S: OnceLock<Small> = OnceLock::new();
    S.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
            .expect("corpus/real")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        files.truncate(12);
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
        let (summary, problems) = ingest(&idx, &analysis, &files, &opts).expect("ingest");
        assert_eq!(summary.failed, 0, "{problems:?}");
        assert_eq!(summary.added, 12);
        Small {
            _dir: dir,
            idx,
            analysis,
        }
    })
}

#[test]
fn random_queries_run_against_an_index_answer_or_say_where_they_fail() {
    let s = small();
    let mut runner = TestRunner::new(Config {
        cases: 1_000,
        failure_persistence: None,
        ..Config::default()
    });
    let (answered, refused) = (Cell::new(0u32), Cell::new(0u32));
    let result = runner.run(&query(), |q| {
        match search(&s.idx, &s.analysis, &q, 5) {
            Ok(r) => {
                answered.set(answered.get() + 1);
                prop_assert!(r.hits.len() <= r.total.min(5));
            }
            Err(SearchError::Query(e)) => {
                refused.set(refused.get() + 1);
                names_where(&q, &e)?;
            }
            Err(e) => prop_assert!(false, "{q:?}: {e}"),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        answered.get() > 100 && refused.get() > 100,
        "{answered:?} {refused:?}"
    );
}
