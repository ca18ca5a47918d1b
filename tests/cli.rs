//! The command line as users and scripts see it: exit codes, JSON shapes,
//! incremental ingest, bad input handling.

use std::path::Path;
use std::process::{Command, Output};

fn saraban(index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
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

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn seed(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/seeds")
        .join(name)
}

fn documents(index: &Path) -> u64 {
    let o = saraban(index, &["stats", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("stats JSON");
    v["documents"].as_u64().expect("documents")
}

#[test]
fn ingest_search_and_reingest_is_a_no_op() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    for name in [
        "000_34a1339aa7e8c079.txt",
        "002_94a5e7a9c55b254b.txt",
        "003_42c590216e999c55.txt",
    ] {
        std::fs::copy(seed(name), docs.join(name)).expect("copy");
    }
    let o = saraban(
        &index,
        &["ingest", "--quiet", docs.to_str().expect("utf-8 path")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(documents(&index), 3);

    let o = saraban(&index, &["search", "--json", "--limit", "0", "๒/๒๕๖๖"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hits = json_lines(&o);
    assert_eq!(hits.len(), 2, "{hits:?}");
    for h in &hits {
        for key in [
            "id",
            "source",
            "title",
            "type",
            "date",
            "score",
            "snippet",
            "provinces",
        ] {
            assert!(h.get(key).is_some(), "hit lacks {key}: {h}");
        }
        assert!(
            h["snippet"]
                .as_str()
                .is_some_and(|s| s.contains("<b>2/2566</b>")),
            "{h}"
        );
    }

    // unchanged: nothing added
    let o = saraban(
        &index,
        &["ingest", "--json", docs.to_str().expect("utf-8 path")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("summary");
    assert_eq!(summary["added"], 0);
    assert_eq!(summary["unchanged"], 3);
    assert_eq!(documents(&index), 3);

    // changed: replaced, not duplicated
    let changed = docs.join("003_42c590216e999c55.txt");
    let mut text = std::fs::read_to_string(&changed).expect("read");
    text.push_str("\nคำใหม่ทดสอบการแทนที่\n");
    std::fs::write(&changed, text).expect("write");
    let o = saraban(
        &index,
        &["ingest", "--json", docs.to_str().expect("utf-8 path")],
    );
    let summary: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("summary");
    assert_eq!(summary["replaced"], 1, "{summary}");
    assert_eq!(documents(&index), 3);
    let o = saraban(&index, &["search", "--json", "คำใหม่ทดสอบการแทนที่"]);
    assert_eq!(json_lines(&o).len(), 1);
    // text of both versions: only the new one is found
    let o = saraban(&index, &["search", "--json", "ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒"]);
    let hits = json_lines(&o);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(
        hits[0]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("003_42c590216e999c55.txt"))
    );

    // a byte-identical copy is reported and indexed once
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("copy.txt")).expect("copy");
    let o = saraban(
        &index,
        &["ingest", "--json", docs.to_str().expect("utf-8 path")],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("copy.txt"), "{}", stderr(&o));
    assert_eq!(documents(&index), 3);

    // prune: a deleted file's document goes
    std::fs::remove_file(docs.join("002_94a5e7a9c55b254b.txt")).expect("rm");
    let o = saraban(
        &index,
        &[
            "ingest",
            "--prune",
            "--quiet",
            docs.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(documents(&index), 2);
}

#[test]
fn bad_input_is_reported_and_the_rest_is_indexed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    // a real letter with a few invalid UTF-8 bytes in the middle
    let mut bytes = std::fs::read(seed("003_42c590216e999c55.txt")).expect("seed");
    bytes.extend_from_slice(&[0xff, 0xfe, 0xfd]);
    bytes.extend_from_slice("สิ้นสุดเอกสาร\n".as_bytes());
    std::fs::write(docs.join("lossy.txt"), &bytes).expect("write");
    // JSON Lines with one malformed line between good ones
    std::fs::write(
        docs.join("records.jsonl"),
        concat!(
            "{\"id\": \"r1\", \"text\": \"บันทึกแรก คำสั่งที่ ๑๕/๒๕๖๖\"}\n",
            "{\"id\": \"r2\", \"text\": \n",
            "{\"id\": \"r3\", \"title\": \"หัวเรื่อง\", \"text\": \"บันทึกที่สาม\"}\n",
        ),
    )
    .expect("write");
    let missing = tmp.path().join("no-such-file.txt");
    let report = tmp.path().join("report.jsonl");
    let o = saraban(
        &index,
        &[
            "ingest",
            "--quiet",
            "--report",
            report.to_str().expect("utf-8"),
            docs.to_str().expect("utf-8"),
            missing.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("lossy.txt"), "{err}");
    assert!(err.contains("records.jsonl:2"), "{err}");
    assert!(err.contains("no-such-file.txt"), "{err}");
    assert_eq!(documents(&index), 3);
    let problems: Vec<serde_json::Value> = std::fs::read_to_string(&report)
        .expect("report")
        .lines()
        .map(|l| serde_json::from_str(l).expect("report JSON"))
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p["line"] == 2 && p["severity"] == "error")
    );
    assert!(problems.iter().any(|p| p["severity"] == "warning"
        && p["path"].as_str().is_some_and(|s| s.ends_with("lossy.txt"))));
    // the good parts are searchable
    let o = saraban(&index, &["search", "--json", "สิ้นสุดเอกสาร"]);
    assert_eq!(json_lines(&o).len(), 1);
    let o = saraban(&index, &["search", "--json", "15/2566"]);
    let hits = json_lines(&o);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["source"], "r1");
    let o = saraban(&index, &["show", "--json", "r3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("show JSON");
    assert_eq!(shown["title"], "หัวเรื่อง");
}

#[test]
fn analyze_shows_both_views() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = saraban(tmp.path(), &["analyze", "--json", "คำสั่งที่ ๒๗๓๙ / ๒๕๖๖"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let views = json_lines(&o);
    assert_eq!(views.len(), 2);
    let words: Vec<&str> = views[0]["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .filter_map(|t| t["text"].as_str())
        .collect();
    assert!(words.contains(&"2739/2566"), "{words:?}");
    let unit = views[0]["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["text"] == "2739/2566")
        .expect("number unit");
    // character offsets into the input
    assert_eq!(unit["start"], 10);
    assert_eq!(unit["end"], 21);
    for t in views[1]["tokens"].as_array().expect("grams") {
        for key in ["text", "start", "end", "position"] {
            assert!(t.get(key).is_some());
        }
    }
}

#[test]
fn unknown_filters_values_are_usage_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("a.txt")).expect("copy");
    let o = saraban(
        &index,
        &["ingest", "--quiet", docs.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = saraban(&index, &["search", "type:memo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("type:memo"));
    let o = saraban(&index, &["search", "date:yesterday"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn every_fixture_format_loads_and_every_bad_file_is_named() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let good = root.join("corpus/fixtures");
    let bad = root.join("tests/fixtures/bad");
    let args = [
        "ingest",
        "--quiet",
        good.to_str().expect("utf-8"),
        bad.to_str().expect("utf-8"),
    ];
    let o = saraban(&index, &args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    for entry in std::fs::read_dir(&bad).expect("bad files") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            err.lines()
                .any(|l| l.contains(&name) && l.contains("error")),
            "{name} not reported:\n{err}"
        );
    }
    let docs = documents(&index);
    let formats: Vec<String> = std::fs::read_dir(&good)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| saraban::extract::kind_of(p).is_some())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(docs as usize, formats.len(), "{err}");
    // each document is found by a phrase from its own body
    for source in &formats {
        let o = saraban(&index, &["show", "--json", source]);
        assert!(o.status.success(), "{source}: {}", stderr(&o));
        let shown: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("show JSON");
        let text = shown["text"].as_str().expect("text");
        let line = text
            .lines()
            .filter(|l| l.chars().filter(|c| ('ก'..='ฮ').contains(c)).count() > 30)
            .nth(1)
            .unwrap_or_else(|| panic!("{source} has little Thai text: {text}"));
        let phrase: String = line.chars().skip(5).take(15).collect();
        let phrase = phrase.replace('"', " ");
        let o = saraban(
            &index,
            &["search", "--json", "--limit", "0", &format!("\"{phrase}\"")],
        );
        let found = json_lines(&o)
            .iter()
            .any(|h| h["source"] == source.as_str());
        assert!(found, "{source} not found by {phrase:?}");
        let format = shown["format"].as_str().expect("format");
        if format.ends_with("-ocr") {
            let flagged = ["dates", "provinces", "officials"]
                .iter()
                .flat_map(|k| shown[*k].as_array().cloned().unwrap_or_default())
                .all(|m| m["ocr"] == true);
            assert!(flagged, "{source}: mentions from OCR text must say so");
        }
    }
    // re-ingesting adds nothing
    let o = saraban(&index, &args);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(documents(&index), docs);
}

#[test]
fn a_killed_ingest_leaves_a_usable_index_and_a_rerun_completes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    // Real texts under many ids: enough work that the run is still going
    // after its first commits.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in ["corpus/seeds", "corpus/real"] {
        for e in std::fs::read_dir(root.join(dir)).expect("corpus") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "txt") {
                texts.push(std::fs::read_to_string(p).expect("text"));
            }
        }
    }
    let records = 4000;
    let mut jsonl = String::new();
    for i in 0..records {
        let text = &texts[i % texts.len()];
        let line =
            serde_json::json!({"id": format!("rec-{i}"), "text": format!("{text}\nบันทึกที่ {i}")});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let file = tmp.path().join("records.jsonl");
    std::fs::write(&file, jsonl).expect("write");

    let mut child = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .arg("--index")
        .arg(&index)
        .args(["ingest", "--quiet", "--commit-every", "100"])
        .arg(&file)
        .spawn()
        .expect("ingest");
    // Kill it as soon as a commit has landed.
    let started = std::time::Instant::now();
    while !index.join("meta.json").exists()
        || std::fs::read_to_string(index.join("meta.json"))
            .map(|m| !m.contains("\"segments\":[{") && !m.contains("\"segment_id\""))
            .unwrap_or(true)
    {
        if started.elapsed().as_secs() > 120 || child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();

    // the committed batches survive: readable, and fewer than all records
    let after_kill = documents(&index);
    assert!(
        after_kill > 0 && after_kill < records as u64,
        "{after_kill}"
    );
    let o = saraban(
        &index,
        &["ingest", "--quiet", "--json", file.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("summary");
    assert_eq!(summary["unchanged"].as_u64(), Some(after_kill), "{summary}");
    assert_eq!(documents(&index), records as u64);
}

#[test]
fn piped_ingest_prints_each_problem_once_and_no_progress() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let missing = tmp.path().join("missing.txt");
    let o = saraban(&index, &["ingest", missing.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "saraban: error: {}: cannot read: No such file or directory (os error 2)\n\
             saraban: 0 files; 0 added, 0 replaced, 0 unchanged, 0 duplicates, 1 failed, 0 pruned\n",
            missing.display()
        )
    );
}

fn saraban_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run saraban")
}

#[test]
fn a_read_command_without_an_index_says_how_to_build_one_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    for args in [
        &["search", "ภูเก็ต"][..],
        &["show", "abc"],
        &["export", "provinces"],
        &["stats"],
    ] {
        let o = saraban(&index, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&o),
            format!(
                "saraban: error: no index at {0}; build one with `saraban --index {0} ingest PATH...`\n",
                index.display()
            ),
            "{args:?}"
        );
        assert!(!index.exists(), "{args:?} created the index directory");
    }
}

#[test]
fn the_default_index_is_not_built_without_a_corpus_folder_here() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = saraban_in(tmp.path(), &["search", "ภูเก็ต"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "saraban: error: no index at index; build one with `saraban ingest PATH...`\n"
    );
    assert!(!tmp.path().join("index").exists());
}

#[test]
fn the_default_index_is_built_from_the_corpus_folder_here_on_first_use() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), corpus.join("a.txt")).expect("copy");
    let o = saraban_in(tmp.path(), &["search", "--json", "๒/๒๕๖๖"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "saraban: no index yet; building index from corpus (first use)\n\
         saraban: indexed 1 documents (0 skipped)\n"
    );
    assert_eq!(json_lines(&o).len(), 1);
    // the second use reads the index it built, silently
    let o = saraban_in(tmp.path(), &["search", "--json", "๒/๒๕๖๖"]);
    assert_eq!(stderr(&o), "");
    assert_eq!(json_lines(&o).len(), 1);
}

#[test]
fn show_accepts_the_source_path_as_the_user_writes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("a.txt")).expect("copy");
    let o = saraban_in(tmp.path(), &["--index", "idx", "ingest", "--quiet", "docs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let absolute = docs.join("a.txt");
    for key in [
        "docs/a.txt",
        "./docs/a.txt",
        "docs/../docs/a.txt",
        absolute.to_str().expect("utf-8"),
    ] {
        let o = saraban_in(tmp.path(), &["--index", "idx", "show", "--json", key]);
        assert_eq!(o.status.code(), Some(0), "{key}: {}", stderr(&o));
        let shown: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
        assert!(
            shown["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("a.txt")),
            "{key}: {shown}"
        );
    }
}

#[test]
fn an_index_of_another_format_is_refused_with_what_to_do() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("a.txt")).expect("copy");
    let o = saraban(
        &index,
        &["ingest", "--quiet", docs.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let version = saraban::index::FORMAT_VERSION;
    std::fs::write(
        index.join(saraban::index::FORMAT_FILE),
        format!("saraban index format {}\n", version + 1),
    )
    .expect("write");
    let o = saraban(&index, &["search", "ภูเก็ต"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "saraban: error: index {} was built by an incompatible version of saraban \
             (format {}; this version reads format {version}); remove it and ingest again\n",
            index.display(),
            version + 1
        )
    );
}

#[test]
fn an_index_without_a_format_version_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let docs = tmp.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::copy(seed("000_34a1339aa7e8c079.txt"), docs.join("a.txt")).expect("copy");
    let o = saraban(
        &index,
        &["ingest", "--quiet", docs.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_file(index.join(saraban::index::FORMAT_FILE)).expect("rm");
    let o = saraban(
        &index,
        &["ingest", "--quiet", docs.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "saraban: error: index {} was built by an incompatible version of saraban \
             (no saraban-format file; this version reads format {}); remove it and ingest again\n",
            index.display(),
            saraban::index::FORMAT_VERSION
        )
    );
}

fn small_index(tmp: &Path) -> std::path::PathBuf {
    let index = tmp.join("idx");
    let docs = tmp.join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    for name in ["000_34a1339aa7e8c079.txt", "002_94a5e7a9c55b254b.txt"] {
        std::fs::copy(seed(name), docs.join(name)).expect("copy");
    }
    let o = saraban(
        &index,
        &["ingest", "--quiet", docs.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    index
}

#[test]
fn a_huge_limit_answers_like_all_hits() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = small_index(tmp.path());
    let all = saraban(&index, &["search", "--json", "--limit", "0", "๒/๒๕๖๖"]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    assert_eq!(json_lines(&all).len(), 2);
    for limit in ["2000000000", "18446744073709551615", "18446744073709551000"] {
        let o = saraban(&index, &["search", "--json", "--limit", limit, "๒/๒๕๖๖"]);
        assert_eq!(o.status.code(), Some(0), "{limit}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{limit}");
        assert_eq!(stdout(&o), stdout(&all), "{limit}");
    }
}

fn run_plain(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
        .args(args)
        .output()
        .expect("run saraban")
}

#[test]
fn a_usage_error_exits_1() {
    let o = run_plain(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: unrecognized subcommand 'frobnicate'\n\n\
         Usage: saraban [OPTIONS] <COMMAND>\n\n\
         For more information, try '--help'.\n"
    );
}

#[test]
fn a_missing_argument_exits_1() {
    let o = run_plain(&["search"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(
            "error: the following required arguments were not provided:\n  <QUERY>...\n"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_exits_0_on_stdout() {
    let o = run_plain(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Usage: saraban [OPTIONS] <COMMAND>"));
    assert_eq!(stderr(&o), "");
}

#[test]
fn version_exits_0_on_stdout() {
    let o = run_plain(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        format!("saraban {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_error_cause_is_printed_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // an index "directory" that is a file
    let index = tmp.path().join("file");
    std::fs::write(&index, "not a directory").expect("write");
    let o = saraban(&index, &["ingest", "--quiet", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "saraban: error: index {}: File exists (os error 17)\n",
            index.display()
        )
    );
}

#[test]
fn a_report_file_error_says_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = tmp.path().join("no-such-dir/report.jsonl");
    let o = saraban(
        &tmp.path().join("idx"),
        &[
            "ingest",
            "--quiet",
            "--report",
            report.to_str().expect("utf-8"),
            tmp.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "saraban: error: cannot write report {}: No such file or directory (os error 2)\n",
            report.display()
        )
    );
}

/// Runs saraban with its standard output closed before it writes.
fn closed_pipe(index: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .arg("--index")
        .arg(index)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run saraban");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_pipe_ends_every_read_command_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = small_index(tmp.path());
    for args in [
        &["search", "--limit", "0", "๒/๒๕๖๖"][..],
        &["search", "--json", "--limit", "0", "๒/๒๕๖๖"],
        &["export", "all"],
        &["export", "all", "--format", "jsonl"],
        &["stats"],
        &["stats", "--json"],
        &["analyze", "ภูเก็ต"],
    ] {
        let o = closed_pipe(&index, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    let o = saraban(&index, &["search", "--json", "๒/๒๕๖๖"]);
    let id = json_lines(&o)[0]["id"].as_str().expect("id").to_string();
    for args in [&["show", &id][..], &["show", "--json", &id]] {
        let o = closed_pipe(&index, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

/// An index of every seed document.
fn seeds_index(tmp: &Path) -> std::path::PathBuf {
    let index = tmp.join("idx");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds");
    let o = saraban(
        &index,
        &["ingest", "--quiet", seeds.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    index
}

#[test]
fn export_with_a_bad_query_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = small_index(tmp.path());
    let o = saraban(&index, &["export", "provinces", "--query", "date:garbage"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let out = tmp.path().join("out.csv");
    let o = saraban(
        &index,
        &[
            "export",
            "provinces",
            "--query",
            "date:garbage",
            "-o",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "an output file was created for a bad query");
}

#[test]
fn csv_and_jsonl_exports_share_one_schema() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = seeds_index(tmp.path());
    for kind in [
        "provinces",
        "officials",
        "orders",
        "doc-numbers",
        "plans",
        "dates",
        "all",
    ] {
        let csv_out = saraban(&index, &["export", kind]);
        assert_eq!(csv_out.status.code(), Some(0), "{}", stderr(&csv_out));
        let jsonl_out = saraban(&index, &["export", kind, "--format", "jsonl"]);
        assert_eq!(jsonl_out.status.code(), Some(0), "{}", stderr(&jsonl_out));
        let body = stdout(&csv_out);
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let lines: Vec<String> = stdout(&jsonl_out).lines().map(str::to_string).collect();
        assert_eq!(records.len(), lines.len(), "{kind}");
        assert!(!lines.is_empty(), "{kind}: no rows");
        for (record, line) in records.iter().zip(&lines) {
            let obj: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).expect("JSON object");
            let keys: Vec<&String> = obj.keys().collect();
            let mut sorted_header: Vec<&String> = header.iter().collect();
            sorted_header.sort();
            assert_eq!(keys, sorted_header, "{kind}: {line}");
            // the keys come in header order
            let mut at = 0;
            for col in &header {
                let pos = line[at..]
                    .find(&format!("\"{col}\":"))
                    .unwrap_or_else(|| panic!("{kind}: {col} out of order in {line}"));
                at += pos;
            }
            for (col, field) in header.iter().zip(record.iter()) {
                let expected = match &obj[col] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => saraban::export::neutralise(s),
                    other => other.to_string(),
                };
                assert_eq!(field, expected, "{kind}.{col}: {line}");
            }
        }
    }
}

#[test]
fn show_lists_each_province_once_in_text_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = seeds_index(tmp.path());
    let o = saraban(&index, &["search", "--json", "--limit", "0", "จังหวัด"]);
    let mut repeated_apart = 0;
    for hit in json_lines(&o) {
        let id = hit["id"].as_str().expect("id");
        let json = saraban(&index, &["show", "--json", id]);
        let shown: serde_json::Value = serde_json::from_str(stdout(&json).trim()).expect("JSON");
        let names: Vec<&str> = shown["provinces"]
            .as_array()
            .expect("provinces")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        let mut want: Vec<&str> = Vec::new();
        for n in &names {
            if !want.contains(n) {
                want.push(n);
            }
        }
        let mut consecutive = names.clone();
        consecutive.dedup();
        if consecutive.len() > want.len() {
            repeated_apart += 1;
        }
        let human = stdout(&saraban(&index, &["show", id]));
        let listed: Vec<&str> = human
            .lines()
            .skip_while(|l| *l != "provinces:")
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .map(str::trim)
            .collect();
        assert_eq!(listed, want, "{id}");
    }
    assert!(repeated_apart > 0, "no seed names a province again later");
}

#[test]
fn search_help_lists_every_filter() {
    let o = run_plain(&["search", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for filter in [
        "order:",
        "number:",
        "docno:",
        "province:",
        "official:",
        "plan:",
        "type:",
        "date:",
        "fy:",
    ] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(filter)),
            "{filter} missing from:\n{help}"
        );
    }
}

#[test]
fn options_are_shown_only_on_commands_they_affect() {
    for (command, absent) in [
        ("tag", "--quiet"),
        ("analyze", "--quiet"),
        ("stats", "--dict"),
        ("show", "--dict"),
    ] {
        let o = run_plain(&[command, "--help"]);
        assert_eq!(o.status.code(), Some(0));
        assert!(
            !stdout(&o).contains(absent),
            "{command} --help shows {absent}"
        );
    }
    for (command, present) in [
        ("ingest", "--quiet"),
        ("ingest", "--dict"),
        ("search", "--dict"),
        ("tag", "--dict"),
    ] {
        let o = run_plain(&[command, "--help"]);
        assert!(
            stdout(&o).contains(present),
            "{command} --help lacks {present}"
        );
    }
}

#[test]
fn index_is_offered_only_by_commands_that_use_an_index() {
    for command in ["tag", "analyze"] {
        let o = run_plain(&[command, "--help"]);
        assert_eq!(o.status.code(), Some(0));
        assert!(
            !stdout(&o).contains("--index"),
            "{command} --help shows --index:\n{}",
            stdout(&o)
        );
    }
    for command in [
        "ingest", "search", "show", "export", "stats", "serve", "merge",
    ] {
        let o = run_plain(&[command, "--help"]);
        assert!(
            stdout(&o).contains("--index <DIR>"),
            "{command} --help lacks --index"
        );
    }
    // Every command still takes it (a script may pass it everywhere); it
    // changes nothing there.
    let seed = seed("000_34a1339aa7e8c079.txt");
    let seed = seed.to_str().expect("utf-8");
    let plain = run_plain(&["tag", "--json", seed]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    for args in [
        &["tag", "--index", "x", "--json", seed][..],
        &["--index", "x", "tag", "--json", seed][..],
    ] {
        let o = run_plain(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&plain), "{args:?}");
    }
    let o = run_plain(&["analyze", "--index", "x", "ภูเก็ต"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn index_may_follow_the_command_name() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let index = index.to_str().expect("utf-8 path");
    let seed = seed("000_34a1339aa7e8c079.txt");
    let o = run_plain(&[
        "ingest",
        "--index",
        index,
        "-q",
        seed.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_plain(&["stats", "--json", "--index", index]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("stats JSON");
    assert_eq!(v["documents"], 1);
}

#[test]
fn an_option_a_command_does_not_take_is_a_usage_error() {
    let o = run_plain(&["stats", "--dict", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: unexpected argument '--dict' found\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_search_header_says_how_to_see_every_hit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = small_index(tmp.path());
    let o = saraban(&index, &["search", "--limit", "1", "๒/๒๕๖๖"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().next(),
        Some("2 documents (showing the first 1; --limit 0 shows all)")
    );
    let o = saraban(&index, &["search", "--limit", "0", "๒/๒๕๖๖"]);
    assert_eq!(stdout(&o).lines().next(), Some("2 documents"));
}

#[test]
fn export_refuses_to_write_inside_the_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = small_index(tmp.path());
    let meta = std::fs::read(index.join("meta.json")).expect("meta");
    let sub = index.join("sub");
    for target in [
        index.join("meta.json"),
        index.join("new.csv"),
        tmp.path().join("docs/../idx/meta.json"),
        sub.join("x.csv"),
    ] {
        let o = saraban(
            &index,
            &["export", "provinces", "-o", target.to_str().expect("utf-8")],
        );
        assert_eq!(o.status.code(), Some(1), "{}", target.display());
        assert_eq!(
            stderr(&o),
            format!(
                "saraban: error: refusing to write {} inside the index directory {}\n",
                target.display(),
                index.display()
            )
        );
    }
    assert_eq!(std::fs::read(index.join("meta.json")).expect("meta"), meta);
    assert!(!index.join("new.csv").exists());
    // a symlink to the index directory is the index directory
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&index, &link).expect("symlink");
    let target = link.join("meta.json");
    let o = saraban(
        &index,
        &["export", "provinces", "-o", target.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(index.join("meta.json")).expect("meta"), meta);
    // beside the index is fine
    let beside = tmp.path().join("provinces.csv");
    let o = saraban(
        &index,
        &["export", "provinces", "-o", beside.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(beside.exists());
}

#[test]
fn csv_export_neutralises_formulas_from_documents() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("idx");
    let leaders = [
        "=HYPERLINK(\\\"http://x\\\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
    ];
    let mut jsonl = String::new();
    for (i, id) in leaders.iter().enumerate() {
        jsonl.push_str(&format!(
            "{{\"id\": \"{id}\", \"text\": \"บันทึกที่ {i} ณ จังหวัดภูเก็ต เรื่องทดสอบ\"}}\n"
        ));
    }
    let file = tmp.path().join("records.jsonl");
    std::fs::write(&file, jsonl).expect("write");
    let o = saraban(
        &index,
        &["ingest", "--quiet", file.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = saraban(&index, &["export", "provinces"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let body = stdout(&o);
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), leaders.len(), "{body}");
    let mut neutralised = 0;
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?} in {body}"
            );
            if cell.starts_with("'") {
                neutralised += 1;
            }
        }
    }
    assert!(neutralised >= leaders.len(), "{body}");
    // JSON Lines keep the text as written
    let o = saraban(&index, &["export", "provinces", "--format", "jsonl"]);
    let out = stdout(&o);
    for id in ["+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"] {
        assert!(out.contains(&format!("\"{id}")), "{id} in {out}");
    }
}

#[test]
fn a_paragraph_opening_a_text_is_not_its_title() {
    // seed 002 opens with a 351-character paragraph, no headline
    let first_line = std::fs::read_to_string(seed("002_94a5e7a9c55b254b.txt"))
        .expect("seed")
        .lines()
        .next()
        .expect("line")
        .chars()
        .count();
    assert!(first_line > 300, "{first_line}");
    let o = run_plain(&[
        "tag",
        "--json",
        seed("002_94a5e7a9c55b254b.txt").to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tagged = json_lines(&o);
    assert_eq!(tagged[0]["title"], serde_json::Value::Null);
    // a letter's subject line still is
    let o = run_plain(&[
        "tag",
        "--json",
        seed("003_42c590216e999c55.txt").to_str().expect("utf-8"),
    ]);
    let tagged = json_lines(&o);
    assert!(
        tagged[0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("เรื่อง ติดตามรายงานผล")),
        "{}",
        tagged[0]
    );
}

#[test]
fn tag_reads_standard_input_only_up_to_the_size_limit() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_saraban"))
        .args(["tag", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run saraban");
    let Some(mut stdin) = child.stdin.take() else {
        panic!("stdin is piped");
    };
    // Endless input: the writer stops once saraban closes its end.
    let feeder = std::thread::spawn(move || {
        let chunk = "บันทึกข้อความ ".repeat(1 << 14);
        while stdin.write_all(chunk.as_bytes()).is_ok() {}
    });
    let o = child.wait_with_output().expect("wait");
    feeder.join().expect("feeder");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "saraban: error: -: input is over the limit of 268435456 bytes\n"
    );
    assert_eq!(stdout(&o), "");
}

/// A `furniture.txt` in `--dict` adds to the built-in page-furniture lists:
/// a line made only of the user's interface phrase goes, the article stays.
#[test]
fn a_dict_furniture_list_extends_the_builtin_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let doc = tmp.path().join("page.txt");
    let p1 = "วันนี้ ณ ห้องประชุมชั้น 4 ศาลากลางจังหวัดภูเก็ต นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต \
              เป็นประธานการประชุมคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด";
    let p2 = "ที่ประชุมได้พิจารณาแนวทางการป้องกันการละเมิดสิทธิมนุษยชนในทุกภาคส่วนของจังหวัดภูเก็ต \
              ตลอดจนการขับเคลื่อนนโยบายและแผนงานด้านสิทธิมนุษยชน";
    std::fs::write(&doc, format!("{p1}\nดาวซาราบัน\n{p2}\n")).expect("write");
    let text = |o: &Output| -> String {
        assert!(o.status.success(), "{}", stderr(o));
        let v: serde_json::Value = serde_json::from_str(stdout(o).trim()).expect("tag JSON");
        v["text"].as_str().expect("text").to_string()
    };
    let doc_arg = doc.to_str().expect("utf-8");
    let plain = text(&saraban_in(tmp.path(), &["tag", "--json", doc_arg]));
    assert!(plain.contains("ดาวซาราบัน"), "{plain}");
    let dict = tmp.path().join("dict");
    std::fs::create_dir(&dict).expect("mkdir");
    std::fs::write(
        dict.join("furniture.txt"),
        "# my site's buttons\nดาวซาราบัน\tcore\n",
    )
    .expect("write");
    let dict_arg = dict.to_str().expect("utf-8");
    let cleaned = text(&saraban_in(
        tmp.path(),
        &["tag", "--dict", dict_arg, "--json", doc_arg],
    ));
    assert_eq!(cleaned, format!("{p1}\n{p2}"));
}
