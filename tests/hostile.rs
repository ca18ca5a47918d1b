//! Hostile inputs: whatever a folder holds, ingest finishes in bounded time
//! and memory, indexes every good file and names every bad one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs saraban in `dir`; kills it and fails after `limit`.
fn saraban_within(dir: &Path, index: &Path, args: &[&str], limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .current_dir(dir)
        .arg("--index")
        .arg(index)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run saraban");
    let id = child.id();
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("saraban output"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!(
                "saraban {args:?} still running after {:?}",
                started.elapsed()
            );
        }
    }
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

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

const MINUTE: Duration = Duration::from_secs(60);

#[cfg(unix)]
#[test]
fn links_out_of_the_tree_and_fifos_are_named_and_skipped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(docs.join("sub")).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("good.txt")).expect("copy");
    std::fs::copy(
        seed("002_94a5e7a9c55b254b.txt"),
        docs.join("sub/inside.txt"),
    )
    .expect("copy");
    std::os::unix::fs::symlink("/", docs.join("root")).expect("symlink");
    // a link that stays inside the tree is followed (its file is one document)
    std::os::unix::fs::symlink(docs.join("sub"), docs.join("again")).expect("symlink");
    // a loop
    std::os::unix::fs::symlink(&docs, docs.join("sub/up")).expect("symlink");
    mkfifo(&docs.join("pipe.txt"));
    let o = saraban_within(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--json", "docs"],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("docs/root: symbolic link to / leads out of docs; not followed"),
        "{err}"
    );
    assert!(
        err.contains("docs/pipe.txt: not a regular file (FIFO); skipped"),
        "{err}"
    );
    let s = summary(&o);
    assert_eq!(s["added"], 2, "{s}");
    // `tag` on a FIFO says so instead of waiting for a writer.
    let o = saraban_within(
        tmp.path(),
        &index,
        &["tag", "--json", "docs/pipe.txt"],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a regular file (FIFO)"),
        "{}",
        stderr(&o)
    );
    // Named directly, too.
    let o = saraban_within(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "docs/pipe.txt"],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("docs/pipe.txt: not a regular file (FIFO)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_lines_records_and_gzip_expansion_are_capped() {
    use std::io::Write;
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    let good = "{\"id\": \"ok\", \"text\": \"บันทึกข้อความที่อ่านได้\"}\n";
    // 3 MiB of text on one line, over a 1 MiB limit
    let long = format!(
        "{{\"id\": \"long\", \"text\": \"{}\"}}\n",
        "ก".repeat(1 << 20)
    );
    let after = good.replace("\"ok\"", "\"after\"");
    std::fs::write(docs.join("long.jsonl"), format!("{good}{long}{after}")).expect("write");
    // a gzip bomb: 64 MiB of one line from a few KiB
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(good.replace("\"ok\"", "\"gz\"").as_bytes())
        .expect("gz");
    gz.write_all(b"{\"id\": \"bomb\", \"text\": \"")
        .expect("gz");
    let block = vec![b'a'; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&block).expect("gz");
    }
    gz.write_all(b"\"}\n").expect("gz");
    let bytes = gz.finish().expect("gz");
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    std::fs::write(docs.join("bomb.jsonl.gz"), bytes).expect("write");
    let o = saraban_within(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--json", "--max-file-mb", "1", "docs"],
        MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("docs/long.jsonl:2: record is 3145755 bytes, over the limit of 1048576 bytes"),
        "{err}"
    );
    assert!(
        err.contains("docs/bomb.jsonl.gz:2: cannot read further: decompresses to more than"),
        "{err}"
    );
    let s = summary(&o);
    assert_eq!(
        (s["added"].as_u64(), s["failed"].as_u64()),
        (Some(3), Some(2)),
        "{s}"
    );
}

/// Mentions (officials, provinces, orders) tagged in `text` read as one plain-text file.
fn tagged_counts(analysis: &saraban::index::Analysis, text: &str) -> (usize, usize, usize) {
    let opts = saraban::extract::ExtractOptions::with_tools(saraban::extract::Tools::none());
    let ex = saraban::extract::extract_bytes(text.as_bytes(), saraban::extract::Kind::Text, &opts)
        .expect("extract");
    let tagged = saraban::pipeline::tag_extracted(&analysis.tagger, &ex);
    (
        tagged.officials.len(),
        tagged.provinces.len(),
        tagged.orders.len(),
    )
}

#[test]
fn one_long_line_is_tagged_to_its_end() {
    // Officials, provinces, an order and a national agenda, over and over
    // on a single line: the bounded look-backs that keep tagging linear
    // must still find every repeat, the last as well as the first.
    let sentence = "นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต (นายอานุภาพ รอดขวัญ) \
                    ตามคำสั่งจังหวัดภูเก็ตที่ 12/2566 เรื่อง แต่งตั้งคณะทำงาน \
                    วาระแห่งชาติ “สิทธิมนุษยชน” จังหวัดสงขลา ";
    let analysis = saraban::index::Analysis::load(None).expect("analysis");
    let one = tagged_counts(&analysis, sentence);
    assert!(one.0 > 0 && one.1 > 0 && one.2 > 0, "{one:?}");
    let n = 2_000_000 / sentence.len();
    let many = tagged_counts(&analysis, &sentence.repeat(n));
    assert_eq!(many, (one.0 * n, one.1 * n, one.2 * n));
}

/// The whole hostile folder (`scripts/make_bad_fixtures.sh`, here with a
/// 2 MiB line and a 64 MiB gzip bomb, plus the committed files, 300-page
/// TIFF and PDF and a page of 14400×14400 pt) beside the seeds and a few
/// fixtures. Bound: under 1 GB maximum RSS and within 2 minutes of wall
/// time on the debug build with 2 cores (measured with `/usr/bin/time -v`:
/// 116 MB and 40 s on a loaded machine; benches/kill_soak.md has the
/// command). The 5-minute limit below only catches a hang.
#[cfg(unix)]
#[test]
fn a_hostile_folder_beside_good_files_costs_only_its_bad_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bad = tmp.path().join("in/bad");
    let made = Command::new("bash")
        .arg(root.join("scripts/make_bad_fixtures.sh"))
        .arg(&bad)
        .env("LONG_MB", "2")
        .env("BOMB_MB", "64")
        .status()
        .expect("make_bad_fixtures.sh");
    assert!(made.success());
    let good = tmp.path().join("in/good");
    std::fs::create_dir_all(&good).expect("mkdir");
    let mut good_files = Vec::new();
    for e in std::fs::read_dir(root.join("corpus/seeds")).expect("seeds") {
        good_files.push(e.expect("entry").path());
    }
    for name in [
        "news_boilerplate.html",
        "nhrc_tis620.html",
        "committee_table.docx",
        "cm_windows874.txt",
        "letter_tis620.txt",
        "letter_utf16le_nobom.txt",
    ] {
        good_files.push(root.join("corpus/fixtures").join(name));
    }
    for f in &good_files {
        std::fs::copy(f, good.join(f.file_name().expect("name"))).expect("copy");
    }
    let report = tmp.path().join("report.jsonl");
    let o = saraban_within(
        tmp.path(),
        &index,
        &[
            "ingest",
            "--quiet",
            "--json",
            "--report",
            report.to_str().expect("utf-8"),
            "in",
        ],
        5 * MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Every good file, the readable hostile ones (100k nested divs, a long
    // line, two names that are not UTF-8) and the good JSON Lines records.
    let readable = good_files.len() + 4 + 3;
    let s = summary(&o);
    assert_eq!(
        s["added"].as_u64(),
        Some(readable as u64),
        "{s}\n{}",
        stderr(&o)
    );
    let problems: Vec<serde_json::Value> = std::fs::read_to_string(&report)
        .expect("report")
        .lines()
        .map(|l| serde_json::from_str(l).expect("report JSON"))
        .collect();
    let named = |name: &str| {
        problems.iter().any(|p| {
            p["severity"] == "error"
                && p["reason"].as_str().is_some_and(|r| !r.trim().is_empty())
                && p["path"]
                    .as_str()
                    .is_some_and(|path| path.ends_with(&format!("bad/{name}")))
        })
    };
    let committed = root.join("tests/fixtures/bad");
    for e in std::fs::read_dir(&committed).expect("bad fixtures") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(named(&name), "{name} not named: {problems:?}");
    }
    for name in [
        "root",
        "pipe.txt",
        "bomb.jsonl.gz",
        "dup_ids.jsonl",
        "many_pages.tif",
        "blank_pages.pdf",
    ] {
        assert!(named(name), "{name} not named: {problems:?}");
    }
    assert_eq!(
        s["failed"].as_u64(),
        Some(problems.iter().filter(|p| p["severity"] == "error").count() as u64)
    );
    // A re-run changes nothing and names the same bad files.
    let o = saraban_within(
        tmp.path(),
        &index,
        &["ingest", "--quiet", "--json", "in"],
        5 * MINUTE,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let again = summary(&o);
    assert_eq!(
        again["unchanged"].as_u64(),
        Some(readable as u64),
        "{again}"
    );
    assert_eq!(again["failed"], s["failed"], "{again}");
}
