//! The Spark job (`spark/saraban_spark.py`) on a real local cluster of two
//! executor JVMs: its merged index must answer exactly as one `saraban
//! ingest` of the same files does, when a task dies and is retried, and
//! when it adds to an existing index.
//!
//! Needs `.venv-spark` (made by `scripts/install-deps.sh`). Without it the
//! tests fail, unless `SARABAN_SKIP_SPARK=1` says to skip them.

mod index_compare;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

use index_compare::{answers, assert_same_answers, json_lines, saraban, stderr};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's `bin` folder, or `None` when Spark is absent and the tests
/// may be skipped.
fn spark_bin() -> Option<PathBuf> {
    let bin = root().join(".venv-spark/bin");
    if bin.join("spark-submit").is_file() {
        return Some(bin);
    }
    if std::env::var("SARABAN_SKIP_SPARK").as_deref() == Ok("1") {
        println!("SKIPPED: no .venv-spark (run scripts/install-deps.sh); SARABAN_SKIP_SPARK=1");
        return None;
    }
    panic!(
        "no {}: run scripts/install-deps.sh (or set SARABAN_SKIP_SPARK=1 to skip)",
        bin.join("spark-submit").display()
    );
}

/// One local cluster at a time: clusters started in the same second get the
/// same application id, and so the same executor folders under Spark's
/// `work/`, where one job's copy of the binary would meet the other's
/// half-written one.
static ONE_CLUSTER: Mutex<()> = Mutex::new(());

fn one_cluster() -> MutexGuard<'static, ()> {
    ONE_CLUSTER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs the job on `local-cluster[2,1,1024]`; returns its summary line and
/// its standard error.
fn run_job(
    bin: &Path,
    inputs: &[&Path],
    out: &Path,
    existing: Option<&Path>,
    fail_once: bool,
) -> (serde_json::Value, String) {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new(bin.join("spark-submit"));
    cmd.env("PATH", path)
        .env("PYSPARK_PYTHON", bin.join("python"))
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env_remove("SARABAN_SPARK_FAIL_ONCE")
        .args(["--master", "local-cluster[2,1,1024]"])
        .args(["--conf", "spark.ui.enabled=false"])
        .args(["--conf", "spark.executor.memory=512m"])
        .arg(root().join("spark/saraban_spark.py"))
        .arg("--input")
        .args(inputs)
        .arg("--output")
        .arg(out)
        .args(["--shards", "2", "--binary", env!("CARGO_BIN_EXE_saraban")]);
    if let Some(index) = existing {
        cmd.arg("--index").arg(index);
    }
    if fail_once {
        cmd.env("SARABAN_SPARK_FAIL_ONCE", "1");
    }
    let o = cmd.output().expect("run spark-submit");
    let err = stderr(&o);
    assert!(o.status.success(), "spark job failed: {err}");
    let summary = String::from_utf8_lossy(&o.stdout)
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no summary line: {err}"));
    (summary, err)
}

/// A plain `saraban ingest` of `inputs` into `index`.
fn ingest(index: &Path, inputs: &[&Path]) {
    let mut args = vec!["ingest", "--quiet"];
    args.extend(inputs.iter().map(|p| p.to_str().expect("utf-8 path")));
    let o = saraban(index, &args);
    assert!(o.status.code().is_some_and(|c| c <= 2), "{}", stderr(&o));
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .count()
}

fn broken_file(dir: &Path) -> PathBuf {
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).expect("mkdir");
    let file = bad.join("corrupt.pdf");
    std::fs::copy(root().join("tests/fixtures/bad/corrupt.pdf"), &file).expect("copy");
    bad
}

#[test]
fn the_corpus_on_a_local_cluster_answers_as_one_ingest() {
    let Some(bin) = spark_bin() else { return };
    let _cluster = one_cluster();
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let corpus = root().join("corpus");
    let bad = broken_file(t);
    let inputs = [corpus.as_path(), bad.as_path()];
    let out = t.join("out");
    let (summary, _) = run_job(&bin, &inputs, &out, None, false);

    let plain = t.join("plain");
    ingest(&plain, &inputs);
    let found = assert_same_answers(&answers(&plain), &out.join("index"));
    assert!(found > 50, "the queries find documents ({found} hits)");
    assert!(files_in(&out.join("prepared")) >= 2, "{summary}");
    assert_eq!(files_in(&out.join("shards")), 2, "{summary}");
    let problems = std::fs::read_to_string(out.join("problems.jsonl")).expect("problems");
    assert!(
        problems
            .lines()
            .any(|l| l.contains("corrupt.pdf") && l.contains("\"error\"")),
        "the broken file is reported: {problems}"
    );
    // The scans were read by OCR on the executors.
    let o = saraban(
        &out.join("index"),
        &["search", "--json", "--limit", "0", "ศาลากลางจังหวัดระยอง"],
    );
    assert!(
        json_lines(&o).iter().any(|h| h["source"]
            .as_str()
            .is_some_and(|s| s.contains("scan_letter"))),
        "the scans' OCR text is indexed"
    );
}

#[test]
fn a_task_that_dies_is_retried_and_new_files_are_added_once() {
    let Some(bin) = spark_bin() else { return };
    let _cluster = one_cluster();
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let (seeds, real) = (root().join("corpus/seeds"), root().join("corpus/real"));
    let bad = broken_file(t);
    let docs = t.join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("letter.txt"), "หนังสือจังหวัดกระบี่ เรื่อง ขอเชิญประชุม\n").expect("write");
    let inputs = [
        seeds.as_path(),
        real.as_path(),
        bad.as_path(),
        docs.as_path(),
    ];
    let out = t.join("out");
    let (summary, err) = run_job(&bin, &inputs, &out, None, true);
    assert!(
        err.contains("failing the first attempt of partition 0 on purpose"),
        "a task failed and was retried: {summary}"
    );
    let plain = t.join("plain");
    ingest(&plain, &inputs);
    let found = assert_same_answers(&answers(&plain), &out.join("index"));
    assert!(found > 50, "the queries find documents ({found} hits)");
    assert_eq!(
        std::fs::read_dir(out.join("prepared"))
            .expect("prepared")
            .count(),
        files_in(&out.join("prepared")),
        "no temporary part is left behind"
    );

    // Incremental: only a new file, a changed one and the file that failed
    // (it is not in the index) are processed again.
    std::fs::write(
        docs.join("new.txt"),
        "คำสั่งจังหวัดภูเก็ต ที่ ๒/๒๕๖๖ เรื่อง แต่งตั้งคณะทำงานตรวจสอบ\n",
    )
    .expect("write");
    std::fs::write(
        docs.join("letter.txt"),
        "หนังสือจังหวัดสตูล เรื่อง ขอเลื่อนการประชุม\n",
    )
    .expect("write");
    let out2 = t.join("out2");
    let (summary, _) = run_job(&bin, &inputs, &out2, Some(&out.join("index")), false);
    assert_eq!(
        summary["files"], 3,
        "only new, changed or failed files: {summary}"
    );
    // As one ingest of the files as they are now (an index updated in place
    // still counts the replaced version in its ranking statistics until its
    // segments merge; the merged index has none).
    let fresh = t.join("fresh");
    ingest(&fresh, &inputs);
    assert_same_answers(&answers(&fresh), &out2.join("index"));
    let o = saraban(&out2.join("index"), &["search", "--json", "กระบี่"]);
    assert!(
        json_lines(&o)
            .iter()
            .all(|h| !h["source"].as_str().unwrap_or("").ends_with("letter.txt")),
        "the old version is gone"
    );
}
