//! Ingest split in two: `tag --json --files-from` prepares records,
//! `ingest --prepared` indexes them, `merge` joins shard indexes. Each way
//! must give the index a single `saraban ingest` gives.

mod index_compare;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use index_compare::{assert_same_answers, json_lines, saraban, stderr};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `saraban tag --json --files-from -` with `paths` on standard input.
fn prepare(paths: &[String], out: &Path) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .args(["tag", "--json", "--no-ocr", "--files-from", "-"])
        .stdin(Stdio::piped())
        .stdout(std::fs::File::create(out).expect("create records"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("run saraban tag");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for p in paths {
            writeln!(stdin, "{p}").expect("write path");
        }
    }
    let o = child.wait_with_output().expect("wait");
    // 2: some inputs failed (the broken file), which the records say.
    assert!(matches!(o.status.code(), Some(0 | 2)), "{}", stderr(&o));
}

fn summary(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.code().is_some_and(|c| c <= 2), "{}", stderr(o));
    json_lines(o).pop().expect("summary line")
}

/// The inputs a plain ingest reads: text of the seeds and real documents,
/// the format fixtures, a JSON Lines file with a bad line and a broken PDF.
fn inputs(tmp: &Path) -> Vec<String> {
    let jsonl = tmp.join("records.jsonl");
    std::fs::write(
        &jsonl,
        "{\"id\": \"r1\", \"text\": \"คำสั่งจังหวัดภูเก็ต ที่ 2/2566 เรื่อง แต่งตั้งคณะทำงาน\"}\n\
         {\"id\": \"r2\", \"text\": \n\
         {\"text\": \"ประกาศกระทรวงมหาดไทย เรื่อง การประชุม\"}\n",
    )
    .expect("write jsonl");
    let bad = tmp.join("corrupt.pdf");
    std::fs::copy(root().join("tests/fixtures/bad/corrupt.pdf"), &bad).expect("copy bad");
    let mut paths: Vec<String> = ["corpus/seeds", "corpus/real", "corpus/fixtures"]
        .iter()
        .map(|p| root().join(p).to_string_lossy().into_owned())
        .collect();
    paths.push(jsonl.to_string_lossy().into_owned());
    paths.push(bad.to_string_lossy().into_owned());
    paths
}

/// Files `ingest` would read under `paths`, as `tag --list-inputs` lists them.
fn listed(index: &Path, paths: &[String]) -> Vec<String> {
    let mut args = vec!["tag", "--list-inputs"];
    args.extend(paths.iter().map(String::as_str));
    let o = saraban(index, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    json_lines(&o)
        .iter()
        .filter_map(|v| v["path"].as_str().map(str::to_string))
        .collect()
}

fn problems(report: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_to_string(report)
        .expect("report")
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

#[test]
fn prepared_records_and_merged_shards_index_exactly_like_ingest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let paths = inputs(t);
    let plain = t.join("plain");
    let mut args = vec!["ingest", "--quiet", "--no-ocr", "--json", "--report"];
    let plain_report = t.join("plain.problems.jsonl");
    args.push(plain_report.to_str().expect("utf-8"));
    args.extend(paths.iter().map(String::as_str));
    let want = summary(&saraban(&plain, &args));
    assert!(want["added"].as_u64().unwrap_or(0) > 40, "{want}");

    // Every file ingest reads, in two halves of different sizes.
    let files = listed(&plain, &paths);
    assert_eq!(files.len() as u64, want["files"].as_u64().unwrap_or(0));
    let (a, b) = files.split_at(files.len() / 3);
    let (pa, pb) = (t.join("part-0"), t.join("part-1"));
    prepare(a, &pa);
    prepare(b, &pb);
    let records = std::fs::read_to_string(&pa)
        .expect("records")
        .lines()
        .count()
        + std::fs::read_to_string(&pb)
            .expect("records")
            .lines()
            .count();
    // One record per document and per failed input or line.
    assert_eq!(
        records as u64,
        want["added"].as_u64().unwrap_or(0) + want["failed"].as_u64().unwrap_or(0)
    );

    // All records into one index.
    let one = t.join("one");
    let report = t.join("one.problems.jsonl");
    let got = summary(&saraban(
        &one,
        &[
            "ingest",
            "--quiet",
            "--json",
            "--prepared",
            "--report",
            report.to_str().expect("utf-8"),
            pa.to_str().expect("utf-8"),
            pb.to_str().expect("utf-8"),
        ],
    ));
    for k in ["added", "failed", "warnings", "duplicates"] {
        assert_eq!(got[k], want[k], "{k}: {got} vs {want}");
    }
    assert_eq!(problems(&report), problems(&plain_report));
    assert!(
        problems(&report)
            .iter()
            .any(|p| p.contains("corrupt.pdf") && p.contains("\"error\"")),
        "the broken file is reported"
    );
    let want_answers = index_compare::answers(&plain);
    let found = assert_same_answers(&want_answers, &one);
    assert!(found > 50, "the queries find documents ({found} hits)");

    // Records indexed again change nothing.
    let again = summary(&saraban(
        &one,
        &[
            "ingest",
            "--quiet",
            "--json",
            "--prepared",
            pa.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(
        (again["added"].as_u64(), again["replaced"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(again["unchanged"].as_u64().unwrap_or(0) > 0, "{again}");

    // Two shards merged.
    let (s0, s1, merged) = (t.join("shard-0"), t.join("shard-1"), t.join("merged"));
    for (shard, part) in [(&s0, &pa), (&s1, &pb)] {
        let o = saraban(
            shard,
            &[
                "ingest",
                "--quiet",
                "--prepared",
                part.to_str().expect("utf-8"),
            ],
        );
        assert!(o.status.code().is_some_and(|c| c <= 2), "{}", stderr(&o));
    }
    let o = saraban(
        &merged,
        &[
            "merge",
            "--json",
            s0.to_str().expect("utf-8"),
            s1.to_str().expect("utf-8"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let m = json_lines(&o).pop().expect("merge summary");
    assert_eq!(m["documents"], want["added"], "{m}");
    assert_same_answers(&want_answers, &merged);

    // The merged index takes incremental ingest: nothing new, nothing added.
    let mut args = vec!["ingest", "--quiet", "--no-ocr", "--json"];
    args.extend(paths.iter().map(String::as_str));
    let inc = summary(&saraban(&merged, &args));
    assert_eq!(inc["added"], 0, "{inc}");
    assert_eq!(inc["replaced"], 0, "{inc}");
}

#[test]
fn a_source_in_two_shards_is_kept_once_from_the_newest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let docs = t.join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    let letter = docs.join("letter.txt");
    let other = docs.join("other.txt");
    std::fs::write(&letter, "หนังสือฉบับเดิม เรื่อง ขอเชิญประชุมจังหวัดกระบี่\n").expect("write");
    std::fs::write(&other, "ประกาศจังหวัดตราด เรื่อง การรับสมัคร\n").expect("write");
    let docs_arg = docs.to_str().expect("utf-8");
    let (old, new, merged) = (t.join("old"), t.join("new"), t.join("merged"));
    let o = saraban(&old, &["ingest", "--quiet", docs_arg]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&letter, "หนังสือฉบับแก้ไข เรื่อง ขอเชิญประชุมจังหวัดสตูล\n").expect("write");
    let o = saraban(&new, &["ingest", "--quiet", docs_arg]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A byte-identical copy under another name, in a third shard.
    let more = t.join("more");
    std::fs::create_dir(&more).expect("mkdir");
    std::fs::write(more.join("copy.txt"), std::fs::read(&other).expect("read")).expect("write");
    let extra = t.join("extra");
    let o = saraban(
        &extra,
        &["ingest", "--quiet", more.to_str().expect("utf-8")],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    let (old_s, new_s) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
    let extra_s = extra.to_str().expect("utf-8");
    let o = saraban(&merged, &["merge", "--json", old_s, new_s, extra_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = json_lines(&o).pop().expect("summary");
    assert_eq!(m["documents"], 2, "{m}");
    assert_eq!(m["replaced"], 2, "both shards hold both files: {m}");
    assert_eq!(m["duplicates"], 1, "{m}");
    let count = |index: &Path, q: &str| {
        let o = saraban(index, &["search", "--json", "--limit", "0", q]);
        assert!(o.status.success(), "{}", stderr(&o));
        json_lines(&o).len()
    };
    assert_eq!(count(&merged, "สตูล"), 1, "the newer text is kept");
    assert_eq!(count(&merged, "กระบี่"), 0, "the older text is gone");
    assert_eq!(count(&merged, "ตราด"), 1, "a copy is kept once");

    // Oldest first matters: the other way round, the old text wins.
    let reversed = t.join("reversed");
    let o = saraban(&reversed, &["merge", new_s, old_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&reversed, "กระบี่"), 1);
    assert_eq!(count(&reversed, "สตูล"), 0);

    // Merging into one of the shards replaces it; it stays incremental.
    let o = saraban(&old, &["merge", old_s, new_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&old, "สตูล"), 1);
    let o = saraban(&old, &["ingest", "--quiet", "--json", docs_arg]);
    let s = summary(&o);
    assert_eq!(
        (s["added"].as_u64(), s["replaced"].as_u64()),
        (Some(0), Some(0)),
        "{s}"
    );
    // A new index is never written over something else.
    let o = saraban(&merged, &["merge", old_s]);
    assert!(!o.status.success(), "an existing output is refused");
}
