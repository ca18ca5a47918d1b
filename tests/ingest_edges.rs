//! Incremental ingest at its edges: what a key is, what replaces what, what
//! is pruned, and what is reported.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn saraban_in(dir: &Path, index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
        .current_dir(dir)
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .expect("run saraban")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn summary(o: &Output) -> serde_json::Value {
    serde_json::from_str(stdout(o).trim())
        .unwrap_or_else(|e| panic!("summary JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/seeds")
        .join(name)
}

fn documents(index: &Path) -> u64 {
    let o = saraban_in(Path::new("."), index, &["stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("stats JSON");
    v["documents"].as_u64().expect("documents")
}

fn hits(index: &Path, query: &str) -> Vec<serde_json::Value> {
    let o = saraban_in(
        Path::new("."),
        index,
        &["search", "--json", "--limit", "0", query],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("hit JSON"))
        .collect()
}

const SEEDS: [&str; 3] = [
    "000_34a1339aa7e8c079.txt",
    "002_94a5e7a9c55b254b.txt",
    "003_42c590216e999c55.txt",
];

#[test]
fn prune_from_another_directory_keeps_files_that_exist() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    std::fs::create_dir_all(a.join("docs")).expect("mkdir");
    std::fs::create_dir_all(b.join("other")).expect("mkdir");
    for name in SEEDS {
        std::fs::copy(seed(name), a.join("docs").join(name)).expect("copy");
    }
    std::fs::write(b.join("other/note.txt"), "บันทึกข้อความ เรื่อง ทดสอบการลบ\n").expect("write");
    let o = saraban_in(&a, &index, &["ingest", "--quiet", "--json", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&o)["added"], 3);
    let o = saraban_in(
        &b,
        &index,
        &["ingest", "--quiet", "--json", "--prune", "other"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&o)["pruned"], 0, "{}", stdout(&o));
    assert_eq!(documents(&index), 4);
    // The same folder named another way is the same documents.
    let o = saraban_in(&b, &index, &["ingest", "--quiet", "--json", "../a/docs"]);
    let s = summary(&o);
    assert_eq!(
        (s["unchanged"].as_u64(), s["added"].as_u64()),
        (Some(3), Some(0)),
        "{s}"
    );
    // `source` stays the path as walked.
    let found = hits(&index, "ทดสอบการลบ");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["source"], "other/note.txt");
    // A file that is really gone is pruned, from any directory.
    std::fs::remove_file(a.join("docs").join(SEEDS[0])).expect("rm");
    let o = saraban_in(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--json", "--prune", "b"],
    );
    assert_eq!(summary(&o)["pruned"], 1, "{}", stdout(&o));
    assert_eq!(documents(&index), 3);
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_their_own_documents() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    let ff = docs.join(std::ffi::OsStr::from_bytes(b"name_\xff.txt"));
    let fe = docs.join(std::ffi::OsStr::from_bytes(b"name_\xfe.txt"));
    std::fs::write(&ff, "ประกาศฉบับแรก เรื่อง การประชุม\n").expect("write");
    std::fs::write(&fe, "ประกาศฉบับที่สอง เรื่อง การอบรม\n").expect("write");
    let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "--json", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&o)["added"], 2);
    assert_eq!(documents(&index), 2);
    let o = saraban_in(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--json", "--prune", "docs"],
    );
    let s = summary(&o);
    assert_eq!(
        (s["unchanged"].as_u64(), s["pruned"].as_u64()),
        (Some(2), Some(0)),
        "{s}"
    );
    assert_eq!(hits(&index, "ฉบับแรก").len(), 1);
    assert_eq!(hits(&index, "ฉบับที่สอง").len(), 1);
}

#[test]
fn a_file_changed_into_a_copy_of_another_loses_its_old_text() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed(SEEDS[0]), docs.join("a.txt")).expect("copy");
    std::fs::write(docs.join("b.txt"), "บันทึกเดิม ข้อความที่ต้องหายไป\n").expect("write");
    let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "--json", "docs"]);
    assert_eq!(summary(&o)["added"], 2, "{}", stderr(&o));
    assert_eq!(hits(&index, "ข้อความที่ต้องหายไป").len(), 1);
    // b.txt becomes a byte copy of a.txt
    std::fs::copy(seed(SEEDS[0]), docs.join("b.txt")).expect("copy");
    for run in 0..2 {
        let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "--json", "docs"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let s = summary(&o);
        assert_eq!(
            (
                s["unchanged"].as_u64(),
                s["duplicates"].as_u64(),
                s["replaced"].as_u64()
            ),
            (Some(1), Some(1), Some(0)),
            "run {run}: {s}"
        );
        assert!(hits(&index, "ข้อความที่ต้องหายไป").is_empty(), "run {run}");
        assert_eq!(documents(&index), 1, "run {run}");
    }
}

#[test]
fn json_lines_ids_are_per_file_and_repeats_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(
        docs.join("one.jsonl"),
        "{\"id\": \"1\", \"text\": \"บันทึกจากแฟ้มที่หนึ่ง\"}\n",
    )
    .expect("write");
    std::fs::write(
        docs.join("two.jsonl"),
        concat!(
            "{\"id\": \"1\", \"text\": \"บันทึกจากแฟ้มที่สอง\"}\n",
            "{\"id\": 2, \"text\": \"บันทึกลำดับสองฉบับแรก\"}\n",
            "{\"id\": \"2\", \"text\": \"บันทึกลำดับสองฉบับซ้ำ\"}\n",
        ),
    )
    .expect("write");
    let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "--json", "docs"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(
        (s["added"].as_u64(), s["failed"].as_u64()),
        (Some(3), Some(1)),
        "{s}"
    );
    assert!(
        stderr(&o).contains("two.jsonl:3: duplicate id \"2\" (first on line 2)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(documents(&index), 3);
    assert_eq!(hits(&index, "แฟ้มที่หนึ่ง").len(), 1);
    assert_eq!(hits(&index, "แฟ้มที่สอง").len(), 1);
    assert_eq!(hits(&index, "ฉบับแรก").len(), 1);
    assert!(hits(&index, "ฉบับซ้ำ").is_empty());
    // A re-run changes nothing.
    let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "--json", "docs"]);
    let s = summary(&o);
    assert_eq!(
        (s["unchanged"].as_u64(), s["replaced"].as_u64()),
        (Some(3), Some(0)),
        "{s}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed(SEEDS[0]), docs.join("good.txt")).expect("copy");
    std::fs::write(docs.join("empty.txt"), "").expect("write");
    // /dev/full: every write fails with "No space left on device".
    let o = saraban_in(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--report", "/dev/full", "docs"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "saraban: error: cannot write report /dev/full: No space left on device (os error 28)"
        ),
        "{}",
        stderr(&o)
    );
    // The documents themselves are committed.
    assert_eq!(documents(&index), 1);
}

/// A run killed after writing a deletes file but before committing leaves
/// that file behind, and the next run names its own deletes file the same
/// (by the next opstamp): it must clear the leftover instead of failing
/// with "file already exists". The leftover is planted here as a killed run
/// leaves it: written and listed as managed, absent from the commit.
#[test]
fn a_killed_runs_uncommitted_files_do_not_block_the_next_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    let records = docs.join("r.jsonl");
    // Enough records that every segment holds more than the changed one
    // (a segment left empty is dropped whole, without a deletes file).
    let write = |second: &str| {
        let lines: Vec<String> = (0..40)
            .map(|i| {
                let t = if i == 1 {
                    second.to_string()
                } else {
                    format!("ลำดับ {i}")
                };
                format!("{{\"id\": \"r{i}\", \"text\": \"บันทึกข้อความ{t}\"}}")
            })
            .collect();
        std::fs::write(&records, lines.join("\n") + "\n").expect("write");
    };
    let copy_dir = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir") {
            let p = e.expect("entry").path();
            std::fs::copy(&p, to.join(p.file_name().expect("name"))).expect("copy");
        }
    };
    let names = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    // A changed record: its old version is deleted, which writes a deletes
    // file, unless the record sat alone in its segment (the indexing threads
    // share the records as they come), which is then dropped whole: try again.
    let (before, index, del) = (0..10)
        .find_map(|attempt| {
            let index = tmp.path().join(format!("idx{attempt}"));
            write("สอง");
            let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "docs"]);
            assert!(o.status.success(), "{}", stderr(&o));
            let before = tmp.path().join(format!("before{attempt}"));
            copy_dir(&index, &before);
            write("สองแก้");
            let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "docs"]);
            assert!(o.status.success(), "{}", stderr(&o));
            let had = names(&before);
            let del = names(&index)
                .into_iter()
                .find(|n| n.ends_with(".del") && !had.contains(n))?;
            Some((before, index, del))
        })
        .expect("the change wrote a deletes file");
    // The index as it was, plus the deletes file of a run killed before its commit.
    let crashed = tmp.path().join("crashed");
    copy_dir(&before, &crashed);
    std::fs::copy(index.join(&del), crashed.join(&del)).expect("copy");
    let managed = crashed.join(".managed.json");
    let mut list: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed).expect("managed")).expect("JSON");
    list.push(del.clone());
    std::fs::write(&managed, serde_json::to_string(&list).expect("JSON")).expect("write");
    let o = saraban_in(
        tmp.path(),
        &crashed,
        &["ingest", "--quiet", "--json", "docs"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s = summary(&o);
    assert_eq!(
        (s["replaced"].as_u64(), s["unchanged"].as_u64()),
        (Some(1), Some(39)),
        "{s}"
    );
    assert_eq!(documents(&crashed), 40);
}

/// One line of real text from the seeds, `bytes` long, with a running
/// number every ten words so that any stretch of it is unique.
fn long_line(bytes: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut words = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).expect("seed");
        words.extend(
            text.split_whitespace()
                .filter(|w| !w.contains(['"', '\\']))
                .map(str::to_string),
        );
    }
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0usize;
    while out.len() < bytes {
        for chunk in words.chunks(10) {
            n += 1;
            out.push_str(&format!("ลำดับ{n} "));
            out.push_str(&chunk.join(" "));
            out.push(' ');
        }
    }
    let end = (0..=bytes)
        .rev()
        .find(|&i| out.is_char_boundary(i))
        .unwrap_or(0);
    out.truncate(end);
    out.trim_end().to_string()
}

/// `n` characters of `s` from character `from`, trimmed.
fn chars(s: &str, from: usize, n: usize) -> String {
    s.chars()
        .skip(from)
        .take(n)
        .collect::<String>()
        .trim()
        .to_string()
}

fn stored(index: &Path, id: &str) -> serde_json::Value {
    let o = saraban_in(Path::new("."), index, &["show", "--json", id]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).expect("show JSON")
}

#[test]
fn a_long_text_is_indexed_in_parts_that_hold_all_of_it_and_are_replaced_together() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, index) = (tmp.path().join("docs"), tmp.path().join("idx"));
    std::fs::create_dir(&dir).expect("mkdir");
    let big = dir.join("big.txt");
    let text = long_line(9_000_000);
    std::fs::write(&big, &text).expect("write");
    std::fs::copy(seed(SEEDS[0]), dir.join("small.txt")).expect("copy");
    let ingest = |extra: &[&str]| {
        let mut args = vec!["ingest", "--json"];
        args.extend_from_slice(extra);
        args.push("docs");
        let o = saraban_in(tmp.path(), &index, &args);
        assert!(o.status.code().is_some_and(|c| c == 0), "{}", stderr(&o));
        summary(&o)
    };

    let s = ingest(&[]);
    assert_eq!(
        (s["added"].as_u64(), s["files"].as_u64()),
        (Some(4), Some(2))
    );
    let ranges = saraban::parts::part_ranges(&text);
    assert_eq!(ranges.len(), 3);

    // Each part says which it is; together, without their overlaps, they
    // are the text.
    let mut parts = Vec::new();
    for i in 1..=3 {
        let hit = hits(
            &index,
            &format!("\"{}\"", chars(&text[ranges[i - 1].clone()], 0, 20)),
        );
        let place = format!("docs/big.txt (part {i} of 3)");
        let Some(hit) = hit.iter().find(|h| h["source"] == place.as_str()) else {
            panic!("no hit from {place}: {hit:?}");
        };
        assert!(
            hit["title"]
                .as_str()
                .is_some_and(|t| t.ends_with(&format!("part {i} of 3")))
        );
        let doc = stored(&index, hit["id"].as_str().expect("id"));
        parts.push(doc["text"].as_str().expect("text").to_string());
    }
    assert_eq!(saraban::parts::reassemble(&parts), text);
    // The file's path shows its first part.
    let big_path = big.to_str().expect("utf-8 path");
    assert_eq!(
        stored(&index, big_path)["source"],
        "docs/big.txt (part 1 of 3)"
    );

    // A phrase across the end of the first part is found, in the second.
    let cut = ranges[0].end;
    let from = (0..cut - 300)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .expect("start");
    let to = (cut + 300..)
        .find(|&i| text.is_char_boundary(i))
        .expect("end");
    let phrase = format!("\"{}\"", text[from..to].trim());
    let found: Vec<String> = hits(&index, &phrase)
        .iter()
        .map(|h| h["source"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(found, vec!["docs/big.txt (part 2 of 3)"]);

    // A mention in the overlap is counted once: the first part leaves
    // mentions that start where the second starts to the second.
    let own = saraban::parts::own_chars(&text, &ranges);
    let first = stored(&index, big_path);
    for (kind, list) in first.as_object().expect("object") {
        for m in list.as_array().into_iter().flatten() {
            if let Some(start) = m["start"].as_u64() {
                assert!((start as usize) < own[0], "{kind} mention at {start}");
            }
        }
    }

    // Unchanged: every part is skipped.
    let s = ingest(&[]);
    assert_eq!(
        (s["added"].as_u64(), s["unchanged"].as_u64()),
        (Some(0), Some(4))
    );

    // Shorter: two parts replace the three, none is left behind.
    let shorter = long_line(5_000_000);
    std::fs::write(&big, &shorter).expect("write");
    let s = ingest(&[]);
    assert_eq!(s["replaced"].as_u64(), Some(2), "{s}");
    assert_eq!(documents(&index), 3);
    let last = &text[ranges[2].clone()];
    assert!(
        hits(
            &index,
            &format!("\"{}\"", chars(last, last.chars().count() - 30, 30))
        )
        .is_empty()
    );

    // A part's original is its whole file.
    let analysis = saraban::index::Analysis::load(None).expect("analysis");
    let archive = saraban::archive::Archive::open(&index, analysis).expect("archive");
    let id = stored(&index, big_path)["id"]
        .as_str()
        .expect("id")
        .to_string();
    let original = saraban::browse::original(&archive, &id).expect("original");
    assert_eq!(
        original.map(|o| o.bytes),
        Some(shorter.clone().into_bytes())
    );
    drop(archive);

    // A copy is found and indexed once; --prune removes every part.
    std::fs::write(dir.join("copy.txt"), &shorter).expect("write");
    let s = ingest(&[]);
    assert_eq!(
        (s["duplicates"].as_u64(), s["added"].as_u64()),
        (Some(1), Some(0))
    );
    std::fs::remove_file(&big).expect("rm");
    std::fs::remove_file(dir.join("copy.txt")).expect("rm");
    let s = ingest(&["--prune"]);
    assert_eq!(s["pruned"].as_u64(), Some(2), "{s}");
    assert_eq!(documents(&index), 1);
}

#[test]
fn a_gone_json_lines_file_takes_all_its_records_and_a_copy_names_what_it_copies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed(SEEDS[0]), docs.join("letter.txt")).expect("copy");
    let records = [
        r#"{"id": "n1", "text": "ประกาศกรมการปกครอง เรื่อง การเลือกตั้งผู้ใหญ่บ้าน"}"#,
        r#"{"id": "n2", "text": "คำสั่งจังหวัดเชียงใหม่ เรื่อง แต่งตั้งคณะกรรมการ"}"#,
        r#"{"text": "บันทึกข้อความ เรื่อง ขออนุมัติเดินทางไปราชการ"}"#,
    ];
    std::fs::write(docs.join("news.jsonl"), records.join("\n") + "\n").expect("write");
    let o = saraban_in(tmp.path(), &index, &["ingest", "--quiet", "--json", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&o)["added"], 4);
    // A copy found in a later run names the indexed document it copies.
    let later = tmp.path().join("later");
    std::fs::create_dir(&later).expect("mkdir");
    std::fs::copy(seed(SEEDS[0]), later.join("again.txt")).expect("copy");
    let o = saraban_in(tmp.path(), &index, &["ingest", "--json", "later"]);
    assert_eq!(summary(&o)["duplicates"], 1, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("same content as docs/letter.txt"),
        "{}",
        stderr(&o)
    );
    assert_eq!(documents(&index), 4);
    // Every record of a JSON Lines file that is gone is pruned.
    std::fs::remove_file(docs.join("news.jsonl")).expect("rm");
    let o = saraban_in(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--json", "--prune", "docs"],
    );
    let s = summary(&o);
    assert_eq!(
        (s["pruned"].as_u64(), s["unchanged"].as_u64()),
        (Some(3), Some(1)),
        "{s}"
    );
    assert_eq!(documents(&index), 1);
    assert!(hits(&index, "ผู้ใหญ่บ้าน").is_empty());
    assert!(hits(&index, "ขออนุมัติเดินทาง").is_empty());
    assert_eq!(hits(&index, "สิทธิมนุษยชน").len(), 1);
}
