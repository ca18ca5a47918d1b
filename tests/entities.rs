//! Tagged entities end to end: `tag --json` on the seeds, entity and date
//! filters over the bundled corpus, and `export`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An index of the seeds and the real documents, built once.
fn index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let o = bin()
            .arg("--index")
            .arg(dir.path())
            .args(["ingest", "--quiet"])
            .arg(root().join("corpus/seeds"))
            .arg(root().join("corpus/real"))
            .output()
            .expect("ingest");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        dir
    })
    .path()
}

fn search(q: &str) -> Vec<serde_json::Value> {
    let o = bin()
        .arg("--index")
        .arg(index())
        .args(["search", "--json", "--limit", "0", q])
        .output()
        .expect("search");
    assert!(o.status.success(), "{q}: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("hit JSON"))
        .collect()
}

fn sources(q: &str) -> BTreeSet<String> {
    search(q)
        .iter()
        .filter_map(|h| h["source"].as_str())
        .map(|s| {
            Path::new(s)
                .file_stem()
                .map_or(s.to_string(), |f| f.to_string_lossy().into_owned())
        })
        .collect()
}

fn tag_file(path: &Path) -> serde_json::Value {
    let o = bin()
        .args(["tag", "--json"])
        .arg(path)
        .output()
        .expect("tag");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(String::from_utf8_lossy(&o.stdout).trim()).expect("tag JSON")
}

const SEED_000: &str = "000_34a1339aa7e8c079";
const SEED_001: &str = "001_540c5badf066de20";
const SEED_002: &str = "002_94a5e7a9c55b254b";
const SEED_003: &str = "003_42c590216e999c55";
const SEED_004: &str = "004_34ed204ab4317a86";

#[test]
fn tag_reads_a_date_from_stdin() {
    let mut child = bin()
        .args(["tag", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("tag");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("๒๒ พฤศจิกายน ๒๕๖๒\n".as_bytes())
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["source"], "-");
    assert_eq!(v["dates"][0]["value"], "2019-11-22");
    assert_eq!(v["dates"][0]["text"], "๒๒ พฤศจิกายน ๒๕๖๒");
    assert_eq!(v["dates"][0]["start"], 0);
    assert_eq!(v["dates"][0]["end"], 17);
}

#[test]
fn the_rayong_circular_is_tagged_with_offsets_into_its_text() {
    let v = tag_file(&root().join("corpus/seeds").join(format!("{SEED_003}.txt")));
    assert_eq!(v["type"], "circular");
    assert_eq!(v["doc_date"], "2019-11-22");
    let text: Vec<char> = v["text"].as_str().expect("text").chars().collect();
    let numbers: Vec<&str> = v["doc_numbers"]
        .as_array()
        .expect("doc_numbers")
        .iter()
        .filter_map(|d| d["number"].as_str())
        .collect();
    assert!(numbers.contains(&"รย 0017.2/ว 5512"), "{numbers:?}");
    assert!(numbers.contains(&"มท 0211.4/ว 7160"), "{numbers:?}");
    // every mention's offsets cut its surface text out of `text`
    for kind in [
        "dates",
        "provinces",
        "officials",
        "orders",
        "doc_numbers",
        "plans",
    ] {
        for m in v[kind].as_array().expect(kind) {
            let (s, e) = (
                m["start"].as_u64().expect("start") as usize,
                m["end"].as_u64().expect("end") as usize,
            );
            let cut: String = text[s..e].iter().collect();
            assert_eq!(cut, m["text"].as_str().expect("text"), "{kind}: {m}");
        }
    }
    let resolution = v["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .find(|o| o["type"] == "cabinet_resolution")
        .expect("the cabinet resolution of 21 Nov 2560");
    assert_eq!(resolution["date"], "2017-11-21");
}

#[test]
fn governors_and_orders_of_the_seeds() {
    for (seed, name, position) in [
        (SEED_000, "ณรงค์ วุ่นซิ่ว", "ผู้ว่าราชการจังหวัดภูเก็ต"),
        (SEED_002, "นิรัตน์ พงษ์สิทธิถาวร", "ผู้ว่าราชการจังหวัดเชียงใหม่"),
        (SEED_001, "สมนึก พรหมเขียว", "ผู้ว่าราชการจังหวัดสงขลา"),
    ] {
        let v = tag_file(&root().join("corpus/seeds").join(format!("{seed}.txt")));
        let found = v["officials"]
            .as_array()
            .expect("officials")
            .iter()
            .any(|o| o["name"] == name && o["position"] == position && o["title"] == "นาย");
        assert!(found, "{seed}: {name}, {position} in {}", v["officials"]);
    }
    for seed in [SEED_000, SEED_002] {
        let v = tag_file(&root().join("corpus/seeds").join(format!("{seed}.txt")));
        let order = v["orders"]
            .as_array()
            .expect("orders")
            .iter()
            .find(|o| o["number"] == "2/2566")
            .unwrap_or_else(|| panic!("{seed}: order 2/2566 in {}", v["orders"]));
        assert_eq!(order["issuer"], "คณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทย");
        assert_eq!(order["self"], false);
        let plan = v["plans"]
            .as_array()
            .expect("plans")
            .iter()
            .find(|p| p["name"] == "แผนสิทธิมนุษยชนแห่งชาติ")
            .unwrap_or_else(|| panic!("{seed}: plan in {}", v["plans"]));
        assert_eq!(plan["edition"], "5");
        assert_eq!(plan["period"], "2566-2570");
    }
}

#[test]
fn entity_filters_find_the_seeds() {
    let cites = sources("order:2/2566");
    assert!(
        cites.contains(SEED_000) && cites.contains(SEED_002),
        "{cites:?}"
    );
    assert_eq!(cites, sources("order:๒/๒๕๖๖"));
    // "ครั้งที่ 2/2566" is a meeting number, not an order
    assert!(!cites.iter().any(|s| s.starts_with("025_")), "{cites:?}");
    assert!(
        sources("number:76/2563")
            .iter()
            .any(|s| s.starts_with("032_"))
    );
    assert!(sources("province:ภูเก็ต").contains(SEED_000));
    assert!(sources("province:จ.เชียงใหม่").contains(SEED_002));
    assert!(sources("province:จังหวัดสงขลา").contains(SEED_001));
    assert!(sources("official:\"ณรงค์ วุ่นซิ่ว\"").contains(SEED_000));
    let plan5 = sources("plan:\"แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5\"");
    assert!(
        plan5.contains(SEED_000) && plan5.contains(SEED_002),
        "{plan5:?}"
    );
    let any_plan = sources("plan:แผนสิทธิมนุษยชนแห่งชาติ");
    assert!(plan5.is_subset(&any_plan));
    assert!(sources("docno:\"รย 0017.2/ว 5512\"").contains(SEED_003));
    assert!(sources("type:circular").contains(SEED_003));
    // filters combine with words
    let both = sources("province:เชียงใหม่ สิทธิมนุษยชน");
    assert!(both.contains(SEED_002));
    assert!(both.is_subset(&sources("province:เชียงใหม่")));
}

#[test]
fn date_filters_use_the_documents_own_date() {
    let hits = sources("date:2567 สิทธิมนุษยชน");
    assert!(hits.contains(SEED_001), "{hits:?}");
    assert!(
        !hits.contains(SEED_003) && !hits.contains(SEED_004),
        "{hits:?}"
    );
    for h in search("date:2567") {
        let d = h["date"].as_str().expect("dated");
        assert!(d.starts_with("2024"), "{h}");
    }
    // fy:2563 = 2019-10-01 .. 2020-09-30, exactly
    let all = search("date:1900-01-01..2100-12-31");
    let want: BTreeSet<String> = all
        .iter()
        .filter(|h| {
            h["date"]
                .as_str()
                .is_some_and(|d| ("2019-10-01"..="2020-09-30").contains(&d))
        })
        .filter_map(|h| h["id"].as_str().map(String::from))
        .collect();
    let got: BTreeSet<String> = search("fy:2563")
        .iter()
        .filter_map(|h| h["id"].as_str().map(String::from))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

#[test]
fn export_writes_one_row_per_mention() {
    let o = bin()
        .arg("--index")
        .arg(index())
        .args([
            "export",
            "officials",
            "--format",
            "csv",
            "--bom",
            "--query",
            "province:ภูเก็ต",
        ])
        .output()
        .expect("export");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    let body = text.strip_prefix('\u{FEFF}').expect("BOM");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id", "source", "text", "title", "name", "position", "start", "end", "ocr"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(
        rows.iter()
            .any(|r| &r[4] == "ณรงค์ วุ่นซิ่ว" && &r[5] == "ผู้ว่าราชการจังหวัดภูเก็ต")
    );

    let o = bin()
        .arg("--index")
        .arg(index())
        .args([
            "export",
            "all",
            "--format",
            "jsonl",
            "--query",
            "order:2/2566",
        ])
        .output()
        .expect("export");
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("row JSON"))
        .collect();
    let kinds: BTreeSet<&str> = rows.iter().filter_map(|r| r["entity"].as_str()).collect();
    for k in ["province", "official", "order", "plan"] {
        assert!(kinds.contains(k), "{kinds:?}");
    }
}

#[test]
fn council_announcements_are_found_by_their_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let eval = root().join("tests/data/eval");
    // A document citing a Revolutionary Council announcement by its bare number.
    let citing = dir.path().join("citing.txt");
    std::fs::write(
        &citing,
        "ตามประกาศของคณะปฏิวัติ ฉบับที่ 12 ลงวันที่ 1 ธันวาคม 2514 ให้ยกเลิกความในข้อ 3\n",
    )
    .expect("write");
    let ix = dir.path().join("index");
    let o = bin()
        .arg("--index")
        .arg(&ix)
        .args(["ingest", "--quiet"])
        .arg(eval.join("law03.txt"))
        .arg(eval.join("law09.txt"))
        .arg(&citing)
        .output()
        .expect("ingest");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let found = |q: &str| -> BTreeSet<String> {
        let o = bin()
            .arg("--index")
            .arg(&ix)
            .args(["search", "--json", "--limit", "0", q])
            .output()
            .expect("search");
        assert!(o.status.success(), "{q}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|h| h["source"].as_str().map(str::to_string))
            .filter_map(|s| {
                Path::new(&s)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .collect()
    };
    let one = |s: &str| BTreeSet::from([s.to_string()]);
    // The own number of an announcement written without its year takes its date's year.
    assert_eq!(found("number:44/2502"), one("law03.txt"));
    assert_eq!(found("number:๑๐๘/๒๕๕๗"), one("law09.txt"));
    assert_eq!(found("order:12"), one("citing.txt"));
    assert_eq!(
        found("type:announcement"),
        BTreeSet::from(["law03.txt".to_string(), "law09.txt".to_string()])
    );
    // The historic province is a place in Bangkok.
    assert!(found("province:กรุงเทพมหานคร").contains("law03.txt"));
    let t = tag_file(&eval.join("law03.txt"));
    let own = &t["orders"][0];
    assert_eq!(own["type"], "announcement");
    assert_eq!(own["number"], "44/2502");
    assert_eq!(own["issuer"], "คณะปฏิวัติ");
    assert_eq!(own["date"], "1959-01-11");
    assert_eq!(own["self"], true);
}
