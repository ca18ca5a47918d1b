//! The library as a second front end (a server, a script) sees it: no
//! printing, progress and problems through a caller's reporter.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use saraban::extract::{ExtractOptions, Tools};
use saraban::index::{Analysis, SarabanIndex};
use saraban::ingest::{IngestOptions, Problem, Reporter, ingest_with};

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/seeds")
        .join(name)
}

fn options() -> IngestOptions {
    IngestOptions {
        prune: false,
        report: None,
        threads: 1,
        extract: ExtractOptions::with_tools(Tools::none()),
        batch_docs: 100,
    }
}

#[derive(Default)]
struct Recorder {
    started: Mutex<Option<(usize, u64)>>,
    advanced: Mutex<u64>,
    done: Mutex<Vec<(usize, usize)>>,
    problems: Mutex<Vec<String>>,
    finished: Mutex<bool>,
}

impl Reporter for Recorder {
    fn start(&self, files: usize, bytes: u64) {
        *self.started.lock().expect("lock") = Some((files, bytes));
    }
    fn advance(&self, bytes: u64) {
        *self.advanced.lock().expect("lock") += bytes;
    }
    fn file_done(&self, done: usize, total: usize) {
        self.done.lock().expect("lock").push((done, total));
    }
    fn problem(&self, problem: &Problem) {
        self.problems
            .lock()
            .expect("lock")
            .push(problem.to_string());
    }
    fn finish(&self) {
        *self.finished.lock().expect("lock") = true;
    }
}

#[test]
fn ingest_tells_the_reporter_progress_and_problems() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    let good = docs.join("a.txt");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), &good).expect("copy");
    let missing = tmp.path().join("missing.txt");
    let analysis = Analysis::load(None).expect("dictionaries");
    let idx = SarabanIndex::open(&tmp.path().join("idx"), &analysis, true).expect("index");
    let rec = Recorder::default();
    let (summary, problems) =
        ingest_with(&idx, &analysis, &[docs, missing.clone()], &options(), &rec).expect("ingest");
    assert_eq!(summary.added, 1);
    let size = std::fs::metadata(&good).expect("size").len();
    assert_eq!(*rec.started.lock().expect("lock"), Some((1, size)));
    assert_eq!(*rec.advanced.lock().expect("lock"), size);
    assert_eq!(*rec.done.lock().expect("lock"), vec![(1, 1)]);
    assert!(*rec.finished.lock().expect("lock"));
    let reported = rec.problems.lock().expect("lock").clone();
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert_eq!(reported[0], problems[0].to_string());
    assert!(
        reported[0].starts_with(&format!("error: {}: cannot read: ", missing.display())),
        "{reported:?}"
    );
}

#[test]
fn opening_a_missing_index_for_reading_creates_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("none");
    let analysis = Analysis::load(None).expect("dictionaries");
    match saraban::archive::Archive::open(&dir, analysis) {
        Err(saraban::archive::ArchiveError::Index(saraban::index::IndexError::Missing {
            path,
        })) => assert_eq!(path, dir),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("opened a missing index"),
    }
    assert!(!dir.exists());
}

#[test]
fn an_open_archive_sees_documents_committed_after_it_was_opened() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("a.txt")).expect("copy");
    let analysis = Analysis::load(None).expect("dictionaries");
    let idx = SarabanIndex::open(&dir, &analysis, true).expect("index");
    let archive = saraban::archive::Archive::open(&dir, Analysis::load(None).expect("dict"))
        .expect("archive");
    assert_eq!(archive.search("๒/๒๕๖๖", 0).expect("search").total, 0);
    ingest_with(
        &idx,
        &analysis,
        &[docs],
        &options(),
        &saraban::ingest::Silent,
    )
    .expect("ingest");
    assert_eq!(archive.search("๒/๒๕๖๖", 0).expect("search").total, 1);
    assert_eq!(archive.stats().expect("stats").documents, 1);
}

#[test]
fn an_archive_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<saraban::archive::Archive>();
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("a.txt")).expect("copy");
    let analysis = Analysis::load(None).expect("dictionaries");
    let idx = SarabanIndex::open(&dir, &analysis, true).expect("index");
    ingest_with(
        &idx,
        &analysis,
        &[docs],
        &options(),
        &saraban::ingest::Silent,
    )
    .expect("ingest");
    let archive = saraban::archive::Archive::open(&dir, analysis).expect("archive");
    let totals: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| archive.search("๒/๒๕๖๖", 10).expect("search").total))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(totals, vec![1; 4]);
}

/// The library never prints and never parses arguments: outside `main.rs`
/// and test modules no source file writes to stdout or stderr or names
/// clap. Only the command line does.
#[test]
fn the_library_neither_prints_nor_parses_arguments() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    assert!(files.len() > 20, "{files:?}");
    for f in files.iter().filter(|f| !f.ends_with("src/main.rs")) {
        let text = std::fs::read_to_string(f).expect("read");
        // Test modules come last in every file and may print.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for banned in [
            "println!(",
            "eprintln!(",
            "print!(",
            "eprint!(",
            "clap::",
            "std::process::exit",
        ] {
            assert!(!code.contains(banned), "{} uses {banned}", f.display());
        }
    }
}
