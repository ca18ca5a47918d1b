//! The HTTP API (`saraban serve`) against an index of the bundled corpus:
//! every endpoint, its error cases, paging through every hit, and the
//! server process itself (binding, access log, shutdown on SIGTERM).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use saraban::archive::Archive;
use saraban::index::Analysis;
use saraban::serve::{AccessEntry, AccessLog, router};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An index of the whole bundled corpus, built once by the command line.
fn index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let o = bin()
            .arg("--index")
            .arg(dir.path())
            .args(["ingest", "--quiet"])
            .arg(root().join("corpus"))
            .output()
            .expect("ingest");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        dir
    })
    .path()
}

/// The archive every in-process request is answered from.
fn archive() -> Arc<Archive> {
    static ARCHIVE: OnceLock<Arc<Archive>> = OnceLock::new();
    ARCHIVE
        .get_or_init(|| {
            let analysis = Analysis::load(None).expect("dictionaries");
            Arc::new(Archive::open(index(), analysis).expect("open index"))
        })
        .clone()
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn request(req: Request<Body>, log: AccessLog) -> Answer {
    let app = router(archive(), log);
    runtime().block_on(async move {
        let resp = app.oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        Answer {
            status,
            headers,
            body: body.to_vec(),
        }
    })
}

fn no_log() -> AccessLog {
    Arc::new(|_: &AccessEntry| {})
}

fn get(uri: &str) -> Answer {
    request(
        Request::get(uri).body(Body::empty()).expect("request"),
        no_log(),
    )
}

fn post(uri: &str, body: impl Into<Body>) -> Answer {
    request(
        Request::post(uri).body(body.into()).expect("request"),
        no_log(),
    )
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `saraban search --json --limit 0 Q`: every hit, as the command line
/// prints them.
fn cli_hits(q: &str) -> Vec<Value> {
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

fn ids(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

fn assert_error(a: &Answer, status: StatusCode, mentions: &str) {
    assert_eq!(a.status, status, "{}", a.text());
    let msg = a.json()["error"]
        .as_str()
        .expect("error message")
        .to_string();
    assert!(
        msg.contains(mentions),
        "{msg:?} should mention {mentions:?}"
    );
}

/// Pages through `q` with `limit`, returning every hit in page order.
fn walk(q: &str, limit: usize) -> (Vec<Value>, usize) {
    walk_sorted(q, limit, "relevance")
}

/// Pages through `q` with `limit` in `sort` order.
fn walk_sorted(q: &str, limit: usize, sort: &str) -> (Vec<Value>, usize) {
    let mut hits = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut uri = format!("/api/v1/search?q={}&limit={limit}&sort={sort}", enc(q));
        if let Some(c) = &cursor {
            uri.push_str(&format!("&cursor={}", enc(c)));
        }
        let a = get(&uri);
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let page = a.json();
        let got = page["hits"].as_array().expect("hits").clone();
        assert!(got.len() <= limit);
        hits.extend(got);
        pages += 1;
        assert!(pages < 10_000, "paging does not end");
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    (hits, pages)
}

#[test]
fn search_answers_hits_with_the_fields_of_search_json_and_exact_totals() {
    let q = "จังหวัด";
    let a = get(&format!("/api/v1/search?q={}", enc(q)));
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    let all = cli_hits(q);
    assert!(all.len() > 10, "the corpus should have more than a page");
    assert_eq!(v["total"].as_u64(), Some(all.len() as u64));
    assert_eq!(v["total_exact"], Value::Bool(true));
    assert!(v["took_ms"].as_f64().is_some());
    let hits = v["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 10, "default limit");
    assert!(v["next_cursor"].is_string());
    // The same objects as the command line prints, field for field, in the
    // same score order (documents of equal score may come in either order).
    for h in hits {
        let cli = all
            .iter()
            .find(|c| c["id"] == h["id"])
            .expect("hit of search");
        assert_eq!(h, cli);
    }
    let scores = |v: &[Value]| -> Vec<f64> {
        v.iter()
            .map(|h| h["score"].as_f64().expect("score"))
            .collect()
    };
    assert_eq!(scores(hits), scores(&all[..10]));
}

#[test]
fn paging_returns_every_hit_once_in_the_order_of_search() {
    // Filters score alike, so `type:news` pages through ties.
    for q in ["จังหวัด", "type:news", "province:เชียงใหม่"] {
        let all = cli_hits(q);
        assert!(all.len() > 3, "{q}: too few hits to page");
        let (paged, pages) = walk(q, 3);
        assert_eq!(pages, all.len().div_ceil(3), "{q}");
        let paged_ids = ids(&paged);
        let unique: BTreeSet<&String> = paged_ids.iter().collect();
        assert_eq!(unique.len(), paged_ids.len(), "{q}: a hit came twice");
        assert_eq!(
            unique,
            ids(&all).iter().collect::<BTreeSet<_>>(),
            "{q}: paging and search --limit 0 disagree"
        );
        // Scores never rise from one page to the next.
        let scores: Vec<f64> = paged
            .iter()
            .map(|h| h["score"].as_f64().expect("score"))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{q}: {scores:?}");
    }
}

#[test]
fn thai_and_arabic_digits_are_one_query() {
    let arabic = get(&format!("/api/v1/search?q={}&limit=1000", enc("2/2566"))).json();
    let thai = get(&format!("/api/v1/search?q={}&limit=1000", enc("๒/๒๕๖๖"))).json();
    assert!(arabic["total"].as_u64().unwrap_or(0) > 0, "{arabic}");
    assert_eq!(arabic["total"], thai["total"]);
    assert_eq!(
        ids(arabic["hits"].as_array().expect("hits")),
        ids(thai["hits"].as_array().expect("hits"))
    );
    assert_eq!(arabic["facets"], thai["facets"]);
}

/// Counts `key` values over the hits of `q` from the command line.
fn count_by(q: &str, f: impl Fn(&Value) -> Vec<String>) -> Vec<(String, u64)> {
    let mut m = std::collections::BTreeMap::<String, u64>::new();
    for h in cli_hits(q) {
        for v in f(&h) {
            *m.entry(v).or_default() += 1;
        }
    }
    m.into_iter().collect()
}

fn facet_pairs(v: &Value, name: &str) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = v["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("facet {name}: {v}"))
        .iter()
        .map(|f| {
            (
                f["value"].as_str().expect("value").to_string(),
                f["count"].as_u64().expect("count"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn facets_count_the_whole_result_set_not_the_page() {
    let q = "จังหวัด";
    let v = get(&format!("/api/v1/search?q={}&limit=1", enc(q))).json();
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(1));
    let types = count_by(q, |h| vec![h["type"].as_str().unwrap_or("").to_string()]);
    assert_eq!(facet_pairs(&v, "type"), types);
    let provinces = count_by(q, |h| {
        let mut p: Vec<String> = h["provinces"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        p.sort();
        p.dedup();
        p
    });
    assert_eq!(facet_pairs(&v, "province"), provinces);
    let years = count_by(q, |h| {
        h["date"]
            .as_str()
            .map(|d| vec![d[..4].to_string()])
            .unwrap_or_default()
    });
    assert!(!years.is_empty());
    assert_eq!(facet_pairs(&v, "year"), years);
    for y in v["facets"]["year"].as_array().expect("year") {
        let ce: i64 = y["value"].as_str().expect("value").parse().expect("year");
        assert_eq!(y["be"].as_str(), Some((ce + 543).to_string().as_str()));
    }
    // Largest first.
    let counts: Vec<u64> = v["facets"]["province"]
        .as_array()
        .expect("province")
        .iter()
        .filter_map(|f| f["count"].as_u64())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

/// Every facet of the entity descriptors is in the answer, in their order,
/// and a value of a facet named like a filter finds its documents through
/// that filter: a facet wired to no field, or to none the page can click,
/// fails here.
#[test]
fn every_described_facet_is_answered_and_its_values_filter() {
    let q = "จังหวัด OR คำสั่ง OR ประกาศ";
    let answer = get(&format!("/api/v1/search?q={}&limit=1", enc(q)));
    let v = answer.json();
    let facets = v["facets"].as_object().expect("facets");
    let described: Vec<&str> = saraban::entity::facets().iter().map(|f| f.name).collect();
    let mut answered: Vec<&str> = facets.keys().map(String::as_str).collect();
    // In the descriptors' order as written.
    let text = answer.text();
    let at = |name: &str| text.find(&format!("\"{name}\":[")).unwrap_or(usize::MAX);
    answered.sort_by_key(|n| at(n));
    assert_eq!(answered, described);
    for f in saraban::entity::facets() {
        let values = facets[f.name].as_array().expect("a list");
        assert!(
            !values.is_empty(),
            "facet {} counts nothing over {q}",
            f.name
        );
        if let Some(top) = f.top {
            assert!(values.len() <= top, "{}", f.name);
        }
        if saraban::entity::filter(f.name).is_none() {
            continue;
        }
        let first = &values[0];
        let value = first["value"].as_str().expect("value");
        let filtered = format!("({q}) {}:\"{value}\"", f.name);
        let n = cli_hits(&filtered).len() as u64;
        let count = first["count"].as_u64().expect("count");
        assert!(n >= count, "{filtered}: {n} hits, the facet counts {count}");
    }
}

#[test]
fn order_and_official_facets_agree_with_their_filters() {
    let v = get("/api/v1/search?q=type%3Aorder&limit=1").json();
    let orders = v["facets"]["order"].as_array().expect("order facet");
    assert!(!orders.is_empty(), "orders cite orders in the corpus: {v}");
    for f in orders.iter().take(5) {
        let value = f["value"].as_str().expect("value");
        let q = format!("type:order order:\"{value}\"");
        assert_eq!(
            Some(cli_hits(&q).len() as u64),
            f["count"].as_u64(),
            "{value}"
        );
    }
    let all = get(
        "/api/v1/search?q=%E0%B8%88%E0%B8%B1%E0%B8%87%E0%B8%AB%E0%B8%A7%E0%B8%B1%E0%B8%94&limit=1",
    )
    .json();
    let officials = all["facets"]["official"]
        .as_array()
        .expect("official facet");
    assert!(officials.len() <= 50);
    assert!(!officials.is_empty());
    let f = &officials[0];
    let q = format!("จังหวัด official:\"{}\"", f["value"].as_str().expect("value"));
    assert_eq!(Some(cli_hits(&q).len() as u64), f["count"].as_u64());
    // Fiscal years are BE and cover the dated documents.
    let fy: u64 = all["facets"]["fy"]
        .as_array()
        .expect("fy")
        .iter()
        .filter_map(|f| f["count"].as_u64())
        .sum();
    let dated: u64 = all["facets"]["year"]
        .as_array()
        .expect("year")
        .iter()
        .filter_map(|f| f["count"].as_u64())
        .sum();
    assert_eq!(fy, dated);
}

#[test]
fn bad_search_parameters_answer_400_naming_the_problem() {
    assert_error(&get("/api/v1/search"), StatusCode::BAD_REQUEST, "q");
    assert_error(
        &get("/api/v1/search?q=%22unbalanced"),
        StatusCode::BAD_REQUEST,
        "",
    );
    assert_error(
        &get("/api/v1/search?q=nosuchfilter%3Ax"),
        StatusCode::BAD_REQUEST,
        "nosuchfilter",
    );
    assert_error(
        &get("/api/v1/search?q=x&limit=1001"),
        StatusCode::BAD_REQUEST,
        "limit",
    );
    assert_error(
        &get("/api/v1/search?q=x&limit=0"),
        StatusCode::BAD_REQUEST,
        "limit",
    );
    assert_error(
        &get("/api/v1/search?q=x&limit=-3"),
        StatusCode::BAD_REQUEST,
        "limit",
    );
    assert_error(
        &get("/api/v1/search?q=x&cursor=not-a-cursor"),
        StatusCode::BAD_REQUEST,
        "cursor",
    );
    assert_error(
        &get("/api/v1/search?q=x&sort=size"),
        StatusCode::BAD_REQUEST,
        "sort",
    );
    assert_error(
        &get("/api/v1/search?q=x&lmit=3"),
        StatusCode::BAD_REQUEST,
        "lmit",
    );
    let long = "ก".repeat(2100);
    assert_error(
        &get(&format!("/api/v1/search?q={}", enc(&long))),
        StatusCode::URI_TOO_LONG,
        "",
    );
    let longer = "a".repeat(9000);
    assert_error(
        &get(&format!("/api/v1/search?q={longer}")),
        StatusCode::URI_TOO_LONG,
        "",
    );
    assert_eq!(get("/api/v1/search?q=x&limit=1000").status, StatusCode::OK);
}

#[test]
fn every_endpoint_refuses_unknown_parameters_and_bad_paths_as_json() {
    for uri in [
        "/api/v1/stats?x=1",
        "/api/v1/openapi.json?x=1",
        "/api/v1/documents/abc?x=1",
        "/api/v1/documents/abc/original?x=1",
        "/api/v1/orders/2%2F2566?x=1",
        "/api/v1/export/orders?x=1",
    ] {
        assert_error(&get(uri), StatusCode::BAD_REQUEST, "\"x");
    }
    assert_error(
        &get("/api/v1/stats?verbose=1"),
        StatusCode::BAD_REQUEST,
        "verbose",
    );
    assert_error(
        &post("/api/v1/batch?x=1", "2/2566"),
        StatusCode::BAD_REQUEST,
        "\"x",
    );
    // Not UTF-8 once decoded: a JSON 400, not a plain-text rejection.
    assert_error(
        &get("/api/v1/documents/%FF"),
        StatusCode::BAD_REQUEST,
        "path",
    );
}

#[test]
fn a_document_is_what_show_json_prints_and_unknown_ids_are_404() {
    let hit = &cli_hits("ภูเก็ต")[0];
    let id = hit["id"].as_str().expect("id");
    let a = get(&format!("/api/v1/documents/{}", enc(id)));
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let o = bin()
        .arg("--index")
        .arg(index())
        .args(["show", "--json", id])
        .output()
        .expect("show");
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: Value = serde_json::from_slice(&o.stdout).expect("show JSON");
    assert_eq!(a.json(), shown);

    assert_error(
        &get("/api/v1/documents/no-such-id"),
        StatusCode::NOT_FOUND,
        "no-such-id",
    );
    // A source path is not an id: documents are never looked up as files.
    let source = hit["source"].as_str().expect("source");
    let a = get(&format!("/api/v1/documents/{}", enc(source)));
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text());
    let a = get("/api/v1/documents/..%2F..%2Fetc%2Fpasswd");
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text());
}

#[test]
fn an_order_answers_itself_and_what_cites_it_in_either_digit_set() {
    let arabic = get("/api/v1/orders/2%2F2566");
    assert_eq!(arabic.status, StatusCode::OK, "{}", arabic.text());
    let v = arabic.json();
    assert_eq!(v["number"], "2/2566");
    // The hits of the filters, newest first.
    let by_date = |q: &str| {
        let mut hits = cli_hits(q);
        hits.sort_by(date_order);
        ids(&hits)
    };
    assert_eq!(
        ids(v["cited_by"].as_array().expect("cited_by")),
        by_date("order:2/2566")
    );
    assert_eq!(
        ids(v["self"].as_array().expect("self")),
        by_date("number:2/2566")
    );
    assert!(
        !v["cited_by"].as_array().expect("cited_by").is_empty(),
        "order 2/2566 is cited in the corpus"
    );
    for uri in [
        "/api/v1/orders/2/2566",
        "/api/v1/orders/%E0%B9%92%2F%E0%B9%92%E0%B9%95%E0%B9%96%E0%B9%96",
        "/api/v1/orders/%E0%B9%92/%E0%B9%92%E0%B9%95%E0%B9%96%E0%B9%96",
    ] {
        let a = get(uri);
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
        assert_eq!(a.json(), v, "{uri}");
    }
    assert_error(
        &get("/api/v1/orders/%22"),
        StatusCode::BAD_REQUEST,
        "order number",
    );
}

#[test]
fn stats_is_what_stats_json_prints() {
    let a = get("/api/v1/stats");
    assert_eq!(a.status, StatusCode::OK);
    let o = bin()
        .arg("--index")
        .arg(index())
        .args(["stats", "--json"])
        .output()
        .expect("stats");
    assert!(o.status.success(), "{}", stderr(&o));
    let cli: Value = serde_json::from_slice(&o.stdout).expect("stats JSON");
    assert!(cli["documents"].as_u64().unwrap_or(0) > 50);
    assert_eq!(a.json(), cli);
}

fn cli_export(args: &[&str]) -> String {
    let o = bin()
        .arg("--index")
        .arg(index())
        .arg("export")
        .args(args)
        .output()
        .expect("export");
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).expect("UTF-8")
}

#[test]
fn export_streams_the_rows_of_the_command_line() {
    let a = get(&format!("/api/v1/export/provinces?q={}", enc("ภูเก็ต")));
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let cli = cli_export(&["provinces", "--query", "ภูเก็ต"]);
    assert!(cli.lines().count() > 2);
    assert_eq!(a.text(), cli);

    let a = get("/api/v1/export/orders?format=jsonl");
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.text(), cli_export(&["orders", "--format", "jsonl"]));

    assert_error(&get("/api/v1/export/cats"), StatusCode::BAD_REQUEST, "cats");
    assert_error(
        &get("/api/v1/export/orders?format=xml"),
        StatusCode::BAD_REQUEST,
        "xml",
    );
    assert_error(
        &get("/api/v1/export/orders?q=date%3Agarbage"),
        StatusCode::BAD_REQUEST,
        "date",
    );
}

#[test]
fn batch_answers_every_line_and_a_bad_line_gets_its_own_error() {
    let body = "2/2566\n\nnosuchfilter:x\n๒/๒๕๖๖\n\"type:order\",note\n";
    let a = post("/api/v1/batch", body);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    let lines = v.as_array().expect("array");
    assert_eq!(lines.len(), 4, "{v}");
    let total = |q: &str| cli_hits(q).len() as u64;
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["total"].as_u64(), Some(total("2/2566")));
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[1]["line"], 3);
    assert!(lines[1]["total"].is_null());
    assert!(
        lines[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("nosuchfilter")),
        "{v}"
    );
    assert_eq!(lines[2]["total"], lines[0]["total"]);
    assert_eq!(lines[3]["query"], "type:order");
    assert_eq!(lines[3]["total"].as_u64(), Some(total("type:order")));

    let big = "a\n".repeat(600_000);
    assert_error(
        &post("/api/v1/batch", big),
        StatusCode::PAYLOAD_TOO_LARGE,
        "",
    );
    assert_error(
        &post("/api/v1/batch", vec![0xffu8, 0xfe]),
        StatusCode::BAD_REQUEST,
        "UTF-8",
    );
}

#[test]
fn a_long_batch_answers_every_line_in_order_with_its_own_number() {
    // Longer than the slice of queries the server runs under one search
    // permit, with blank and bad lines between, so slices must keep the
    // input's line numbers and order.
    let queries = ["2/2566", "type:order", "nosuchfilter:x", "๒/๒๕๖๖", "จังหวัด"];
    let mut body = String::new();
    let mut expected = Vec::new();
    for i in 0..45 {
        let q = queries[i % queries.len()];
        body.push_str(q);
        body.push('\n');
        expected.push((expected.len() + 1 + i / 7, q));
        if i % 7 == 6 {
            body.push('\n');
        }
    }
    let a = post("/api/v1/batch", body);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    let lines = v.as_array().expect("array");
    assert_eq!(lines.len(), expected.len(), "{v}");
    let mut totals = std::collections::HashMap::new();
    for (got, (line, q)) in lines.iter().zip(&expected) {
        assert_eq!(got["line"].as_u64(), Some(*line as u64), "{got}");
        assert_eq!(got["query"], *q, "{got}");
        if q.starts_with("nosuchfilter") {
            assert!(got["total"].is_null() && got["error"].is_string(), "{got}");
        } else {
            let total = *totals.entry(*q).or_insert_with(|| cli_hits(q).len() as u64);
            assert_eq!(got["total"].as_u64(), Some(total), "{got}");
        }
    }
}

#[test]
fn unknown_endpoints_and_writes_are_refused_as_json_with_security_headers() {
    let a = get("/api/v1/nothing");
    assert_error(&a, StatusCode::NOT_FOUND, "");
    let csp = a.headers["content-security-policy"].to_str().unwrap_or("");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let a = request(
        Request::delete("/api/v1/stats")
            .body(Body::empty())
            .expect("request"),
        no_log(),
    );
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[test]
fn every_request_gets_one_access_log_entry() {
    let seen: Arc<Mutex<Vec<AccessEntry>>> = Arc::default();
    let sink = seen.clone();
    let log: AccessLog = Arc::new(move |e: &AccessEntry| {
        if let Ok(mut v) = sink.lock() {
            v.push(e.clone());
        }
    });
    let a = request(
        Request::get("/api/v1/search?q=x&limit=5000")
            .body(Body::empty())
            .expect("request"),
        log,
    );
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let seen = seen.lock().expect("log");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, "/api/v1/search");
    assert_eq!(seen[0].status, 400);
    let line = seen[0].to_string();
    assert!(line.starts_with("GET /api/v1/search 400 "), "{line}");
}

/// One HTTP/1.1 request over a fresh connection; answers status and body.
fn http_get(addr: &str, target: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

#[test]
fn the_server_binds_loopback_logs_requests_and_stops_on_sigterm() {
    let mut child = bin()
        .arg("--index")
        .arg(index())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    err.read_line(&mut first).expect("read banner");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let (status, body) = http_get(&addr, "/api/v1/stats");
    assert_eq!(status, 200, "{body}");
    let (status, _) = http_get(&addr, "/api/v1/documents/missing");
    assert_eq!(status, 404);
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "graceful shutdown exits 0");
    let mut rest = String::new();
    err.read_to_string(&mut rest).expect("read log");
    let lines: Vec<&str> = rest.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /api/v1/stats 200 ")),
        "{rest}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("GET /api/v1/documents/missing 404 ")),
        "{rest}"
    );
}

#[test]
fn the_search_page_and_its_assets_are_served_without_inline_script() {
    let a = get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/html")
    );
    let html = a.text();
    // The page never reflects the request.
    assert!(!html.contains("alert(1)"));
    assert!(html.contains("lang=\"th\""));
    assert!(html.contains("ค้นหา"));
    // Every script is an external file of this server.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert_eq!(scripts.len(), 1);
    for s in &scripts {
        assert!(s.trim_start().starts_with("src=\"/assets/"), "{s}");
        assert!(
            s.split_once('>')
                .is_some_and(|(_, rest)| rest.starts_with("</script>"))
        );
    }
    // No inline event handlers (` onclick=` and the like).
    let handler = html.split(" on").skip(1).any(|rest| {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    });
    assert!(!handler, "inline event handler in the page");
    let csp = a.headers["content-security-policy"].to_str().unwrap_or("");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"));
    for (path, kind) in [
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
    ] {
        let a = get(path);
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert!(
            a.headers["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with(kind),
            "{path}"
        );
        assert!(a.body.len() > 200, "{path}");
    }
    let js = get("/assets/app.js").text();
    // Text goes in with textContent, never as markup.
    assert!(!js.contains("innerHTML"));
    assert!(js.contains("/api/v1/search"));
}

/// Paging order of `sort=date`: newest first, undated last, then by id.
fn date_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    let (da, db) = (a["date"].as_str(), b["date"].as_str());
    match (da, db) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a["id"].as_str().cmp(&b["id"].as_str()))
}

#[test]
fn date_sorted_paging_returns_every_hit_once_newest_first() {
    for q in ["จังหวัด", "type:news", "2/2566"] {
        let all = cli_hits(q);
        assert!(all.len() > 3, "{q}: too few hits to page");
        let (paged, pages) = walk_sorted(q, 3, "date");
        assert_eq!(pages, all.len().div_ceil(3), "{q}");
        let paged_ids = ids(&paged);
        let unique: BTreeSet<&String> = paged_ids.iter().collect();
        assert_eq!(unique.len(), paged_ids.len(), "{q}: a hit came twice");
        assert_eq!(
            unique,
            ids(&all).iter().collect::<BTreeSet<_>>(),
            "{q}: date paging and search --limit 0 disagree"
        );
        let mut expected = all.clone();
        expected.sort_by(date_order);
        assert_eq!(paged_ids, ids(&expected), "{q}: not newest first");
    }
    // The corpus has dated and undated hits for จังหวัด: both ends are seen.
    let (paged, _) = walk_sorted("จังหวัด", 50, "date");
    assert!(paged.first().is_some_and(|h| h["date"].is_string()));
    assert!(paged.last().is_some_and(|h| h["date"].is_null()));
}

#[test]
fn a_cursor_pages_only_the_sort_it_was_made_for() {
    let q = enc("จังหวัด");
    let first = get(&format!("/api/v1/search?q={q}&limit=2&sort=date")).json();
    let cursor = first["next_cursor"].as_str().expect("cursor").to_string();
    assert_error(
        &get(&format!(
            "/api/v1/search?q={q}&limit=2&sort=relevance&cursor={}",
            enc(&cursor)
        )),
        StatusCode::BAD_REQUEST,
        "sort",
    );
    let relevance = get(&format!("/api/v1/search?q={q}&limit=2")).json();
    let cursor = relevance["next_cursor"].as_str().expect("cursor");
    assert_error(
        &get(&format!(
            "/api/v1/search?q={q}&limit=2&sort=date&cursor={}",
            enc(cursor)
        )),
        StatusCode::BAD_REQUEST,
        "sort",
    );
}

#[test]
fn the_month_facet_is_a_time_ordered_histogram_of_the_result_set() {
    let q = "จังหวัด";
    let v = get(&format!("/api/v1/search?q={}&limit=1", enc(q))).json();
    let months: Vec<(String, u64)> = v["facets"]["month"]
        .as_array()
        .expect("month facet")
        .iter()
        .map(|f| {
            (
                f["value"].as_str().expect("value").to_string(),
                f["count"].as_u64().expect("count"),
            )
        })
        .collect();
    assert!(months.len() > 1, "{months:?}");
    assert!(
        months.windows(2).all(|w| w[0].0 < w[1].0),
        "oldest first: {months:?}"
    );
    let expected = count_by(q, |h| {
        h["date"]
            .as_str()
            .map(|d| vec![d[..7].to_string()])
            .unwrap_or_default()
    });
    assert_eq!(months, expected);
}

#[test]
fn an_orders_citations_come_newest_first() {
    let v = get("/api/v1/orders/2%2F2566").json();
    for list in ["self", "cited_by"] {
        let hits = v[list].as_array().expect("list").clone();
        let mut sorted = hits.clone();
        sorted.sort_by(date_order);
        assert_eq!(ids(&hits), ids(&sorted), "{list}");
    }
}

/// A query every document matches.
const EVERY_TYPE: &str =
    "type:order OR type:circular OR type:letter OR type:announcement OR type:news OR type:other";

/// The first hit of `q` whose source ends with `ext`.
fn hit_with_ext(q: &str, ext: &str) -> Value {
    cli_hits(q)
        .into_iter()
        .find(|h| h["source"].as_str().is_some_and(|s| s.ends_with(ext)))
        .unwrap_or_else(|| panic!("no {ext} hit for {q}"))
}

#[test]
fn an_original_is_the_file_as_ingested_with_its_media_type() {
    for (ext, media) in [
        (".pdf", "application/pdf"),
        (".png", "image/png"),
        (".jpg", "image/jpeg"),
        (".tif", "image/tiff"),
        (
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (".html", "text/plain"),
    ] {
        let hit = hit_with_ext(EVERY_TYPE, ext);
        let id = hit["id"].as_str().expect("id");
        let a = get(&format!("/api/v1/documents/{id}/original"));
        assert_eq!(a.status, StatusCode::OK, "{ext}: {}", a.text());
        let file = std::fs::read(hit["source"].as_str().expect("source")).expect("read source");
        assert_eq!(a.body, file, "{ext}: bytes differ from the file");
        let ct = a.headers["content-type"].to_str().unwrap_or("");
        assert!(ct.starts_with(media), "{ext}: {ct}");
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
        let csp = a.headers["content-security-policy"].to_str().unwrap_or("");
        assert!(csp.contains("default-src 'none'"), "{ext}: {csp}");
        if media != "application/pdf" {
            assert!(csp.contains("sandbox"), "{ext}: {csp}");
        }
        let inline = a.headers["content-disposition"].to_str().unwrap_or("");
        assert!(inline.starts_with("inline"), "{inline}");
        let d = get(&format!("/api/v1/documents/{id}/original?download=true"));
        assert_eq!(d.body, file);
        let disp = d.headers["content-disposition"].to_str().unwrap_or("");
        assert!(disp.starts_with("attachment"), "{disp}");
    }
    assert_error(
        &get("/api/v1/documents/no-such-id/original"),
        StatusCode::NOT_FOUND,
        "no-such-id",
    );
    let id = cli_hits("ภูเก็ต")[0]["id"].as_str().expect("id").to_string();
    assert_error(
        &get(&format!("/api/v1/documents/{id}/original?download=maybe")),
        StatusCode::BAD_REQUEST,
        "download",
    );
}

#[test]
fn an_original_is_refused_when_only_text_was_ingested_or_the_file_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    let txt = docs.join("letter.txt");
    std::fs::copy(
        root().join("corpus/real/019_water-committee-order-4-2566.txt"),
        &txt,
    )
    .expect("copy");
    std::fs::write(
        docs.join("records.jsonl"),
        "{\"id\": \"rec-1\", \"text\": \"คำสั่งที่ ๒/๒๕๖๖ จังหวัดภูเก็ต\"}\n",
    )
    .expect("write");
    let idx = dir.path().join("index");
    let o = bin()
        .arg("--index")
        .arg(&idx)
        .args(["ingest", "--quiet"])
        .arg(&docs)
        .output()
        .expect("ingest");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let archive = Arc::new(
        Archive::open(&idx, Analysis::load(None).expect("dictionaries")).expect("open index"),
    );
    let get_here = |uri: &str| {
        let app = router(archive.clone(), no_log());
        runtime().block_on(async move {
            let resp = app
                .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
                .await
                .expect("infallible");
            let status = resp.status();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .expect("body");
            (status, String::from_utf8_lossy(&body).into_owned())
        })
    };
    let (status, body) = get_here("/api/v1/documents/rec-1/original");
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("text only"), "{body}");
    let hits = archive.search(EVERY_TYPE, 0).expect("search").hits;
    let id = hits
        .iter()
        .find(|h| h.source.ends_with("letter.txt"))
        .map(|h| h.id.clone())
        .expect("the letter is indexed");
    let uri = format!("/api/v1/documents/{id}/original");
    let (status, body) = get_here(&uri);
    assert_eq!(status, StatusCode::OK, "{body}");
    std::fs::write(&txt, "changed after ingest").expect("write");
    let (status, body) = get_here(&uri);
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("changed"), "{body}");
    std::fs::remove_file(&txt).expect("remove");
    let (status, body) = get_here(&uri);
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[test]
fn openapi_describes_every_endpoint() {
    let a = get("/api/v1/openapi.json");
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert!(
        v["openapi"].as_str().is_some_and(|s| s.starts_with("3.")),
        "{v}"
    );
    let paths: BTreeSet<&str> = v["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "/api/v1/search",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/original",
        "/api/v1/orders/{number}",
        "/api/v1/export/{kind}",
        "/api/v1/batch",
        "/api/v1/stats",
        "/api/v1/openapi.json",
    ]
    .into_iter()
    .collect();
    assert_eq!(paths, expected);
    // Every described path answers (not the fallback's 404).
    for p in &expected {
        let uri = p
            .replace("{id}", "x")
            .replace("{number}", "2%2F2566")
            .replace("{kind}", "orders");
        let a = if *p == "/api/v1/batch" {
            post(&uri, "2/2566")
        } else {
            get(&format!(
                "{uri}{}",
                if p.contains("search") { "?q=x" } else { "" }
            ))
        };
        assert!(!a.text().contains("no such endpoint"), "{p}: {}", a.text());
    }
    let search = &v["paths"]["/api/v1/search"]["get"]["parameters"];
    let names: Vec<&str> = search
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for n in ["q", "limit", "cursor", "sort"] {
        assert!(names.contains(&n), "{names:?}");
    }
}

#[test]
fn search_batch_on_the_command_line_answers_as_the_api() {
    let input = "2/2566\n\nnosuchfilter:x\n\"type:order\",note\n";
    let run = |json: bool, input: &str| {
        let mut cmd = bin();
        cmd.arg("--index")
            .arg(index())
            .args(["search", "--batch", "-"]);
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    };
    let o = run(true, input);
    assert_eq!(o.status.code(), Some(2), "a line failed: {}", stderr(&o));
    let cli: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let api = post("/api/v1/batch", input).json();
    assert_eq!(Value::Array(cli), api);

    let o = run(false, "2/2566\n๒/๒๕๖๖\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    let total = cli_hits("2/2566").len().to_string();
    assert_eq!(table.lines().count(), 3, "{table}");
    for line in table.lines().skip(1) {
        assert!(
            line.split_whitespace().nth(1) == Some(total.as_str()),
            "{table}"
        );
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("queries.csv");
    std::fs::write(&file, "\"order:2/2566\",why\n").expect("write");
    let o = bin()
        .arg("--index")
        .arg(index())
        .args(["search", "--json", "--batch"])
        .arg(&file)
        .output()
        .expect("batch");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(line["query"], "order:2/2566");
    assert_eq!(
        line["total"].as_u64(),
        Some(cli_hits("order:2/2566").len() as u64)
    );
}

/// GETs `uri` from `app` (one router: its result cache is shared between
/// calls).
fn get_from(app: &axum::Router, uri: &str) -> Answer {
    let app = app.clone();
    let req = Request::get(uri).body(Body::empty()).expect("request");
    runtime().block_on(async move {
        let resp = app.oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        Answer {
            status,
            headers,
            body: body.to_vec(),
        }
    })
}

/// Every page of `q` from `app`, in page order, with the facets of each.
fn walk_app(app: &axum::Router, q: &str, limit: usize, sort: &str) -> (Vec<Value>, Vec<Value>) {
    let (mut hits, mut facets) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    loop {
        let mut uri = format!("/api/v1/search?q={}&limit={limit}&sort={sort}", enc(q));
        if let Some(c) = &cursor {
            uri.push_str(&format!("&cursor={}", enc(c)));
        }
        let a = get_from(app, &uri);
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let page = a.json();
        hits.extend(page["hits"].as_array().expect("hits").clone());
        facets.push(page["facets"].clone());
        assert!(hits.len() < 100_000, "paging does not end");
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    (hits, facets)
}

#[test]
fn cached_pages_are_the_uncached_pages_best_score_then_id() {
    use saraban::serve::{Options, router_with};
    let cached = router_with(
        archive(),
        no_log(),
        Options {
            cache_mb: 16,
            ..Options::default()
        },
    );
    let uncached = router_with(
        archive(),
        no_log(),
        Options {
            cache_mb: 0,
            ..Options::default()
        },
    );
    // Filters score alike (every hit ties); words and letter numbers do not.
    for q in [
        "type:news",
        "จังหวัด",
        "2/2566",
        "มท ๐๒๑๑.๔/ว ๗๑๖๐",
        "จังหวัด ภูเก็ต",
    ] {
        for sort in ["relevance", "date"] {
            let (a, fa) = walk_app(&uncached, q, 4, sort);
            let (b, fb) = walk_app(&cached, q, 4, sort);
            assert!(!a.is_empty(), "{q}: no hits to compare");
            assert_eq!(ids(&a), ids(&b), "{q} {sort}");
            assert_eq!(a, b, "{q} {sort}: hits differ");
            // Every page carries the facets of the whole set.
            assert!(fb.windows(2).all(|w| w[0] == w[1]), "{q} {sort}");
            assert_eq!(fa, fb, "{q} {sort}: facets differ");
            if sort == "relevance" {
                // Paging order: best score first, then by id, exactly.
                let mut expected = cli_hits(q);
                expected.sort_by(|x, y| {
                    let s = |h: &Value| h["score"].as_f64().expect("score");
                    s(y).total_cmp(&s(x))
                        .then_with(|| x["id"].as_str().cmp(&y["id"].as_str()))
                });
                assert_eq!(ids(&b), ids(&expected), "{q}: not score then id");
            }
        }
    }
}

#[test]
fn the_result_cache_is_dropped_when_an_ingest_commits() {
    use saraban::serve::{Options, router_with};
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for (d, id, text) in [
        (&first, "rec-1", "คำสั่งที่ ๒/๒๕๖๖ จังหวัดภูเก็ต"),
        (&second, "rec-2", "อ้างถึงคำสั่งที่ 2/2566 จังหวัดสงขลา"),
    ] {
        std::fs::create_dir(d).expect("mkdir");
        std::fs::write(
            d.join("records.jsonl"),
            format!("{{\"id\": \"{id}\", \"text\": \"{text}\"}}\n"),
        )
        .expect("write");
    }
    let idx = dir.path().join("index");
    let ingest = |docs: &Path| {
        let o = bin()
            .arg("--index")
            .arg(&idx)
            .args(["ingest", "--quiet"])
            .arg(docs)
            .output()
            .expect("ingest");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    ingest(&first);
    let archive = Arc::new(
        Archive::open(&idx, Analysis::load(None).expect("dictionaries")).expect("open index"),
    );
    let app = router_with(
        archive,
        no_log(),
        Options {
            cache_mb: 4,
            ..Options::default()
        },
    );
    let search = |q: &str| {
        let a = get_from(&app, &format!("/api/v1/search?q={}", enc(q)));
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        a.json()
    };
    let provinces = |v: &Value| facet_pairs(v, "province");
    for _ in 0..2 {
        // The second answer comes from the cache: the same.
        let v = search("2/2566");
        assert_eq!(v["total"].as_u64(), Some(1));
        assert_eq!(ids(v["hits"].as_array().expect("hits")), ["rec-1"]);
        assert_eq!(provinces(&v), [("ภูเก็ต".to_string(), 1)]);
    }
    ingest(&second);
    let v = search("2/2566");
    assert_eq!(v["total"].as_u64(), Some(2), "a stale result set answered");
    let mut got = ids(v["hits"].as_array().expect("hits"));
    got.sort();
    assert_eq!(got, ["rec-1", "rec-2"]);
    let mut p = provinces(&v);
    p.sort();
    assert_eq!(p, [("ภูเก็ต".to_string(), 1), ("สงขลา".to_string(), 1)]);
}

#[test]
fn strings_tested_only_where_filters_or_the_rarest_word_allow_find_the_same_hits() {
    use saraban::serve::{Options, router_with};
    let app = router_with(
        archive(),
        no_log(),
        Options {
            cache_mb: 0,
            ..Options::default()
        },
    );
    // Filters that keep at most a quarter of the corpus, so the server tests
    // the strings only on their documents; the CLI tests them everywhere
    // and scores every string on its own.
    // Words, a phrase, a short string at either alignment, one character.
    let mut compared = 0;
    for q in [
        "จังหวัด province:ภูเก็ต",
        "ที่ type:circular",
        "จังหวัด -type:news -type:circular",
        "\"ผู้ว่าราชการจังหวัด\" province:ภูเก็ต",
        "จังหวัด ภูเก็ต type:circular",
        "5 type:circular",
        "๒ type:circular",
        "กร -type:news -type:circular",
        // Bare words: the rarest is matched once, the others only where it
        // occurs, with its counts reused.
        "จังหวัด ภูเก็ต",
        "คำสั่ง ๒/๒๕๖๖",
        "ฉบับที่ 5",
        "ผู้ว่าราชการ จังหวัด",
    ] {
        let (api, _) = walk_app(&app, q, 3, "relevance");
        let mut cli = cli_hits(q);
        let score = |h: &Value| h["score"].as_f64().expect("score");
        cli.sort_by(|x, y| {
            score(y)
                .total_cmp(&score(x))
                .then_with(|| x["id"].as_str().cmp(&y["id"].as_str()))
        });
        assert_eq!(ids(&api), ids(&cli), "{q}");
        let scores = |hs: &[Value]| hs.iter().map(score).collect::<Vec<_>>();
        assert_eq!(scores(&api), scores(&cli), "{q}: scores differ");
        compared += usize::from(!api.is_empty());
    }
    assert!(compared >= 9, "too few queries with hits: {compared}");
}

/// A search answer without its timing.
fn untimed(a: &Answer) -> Value {
    let mut v = a.json();
    if let Some(o) = v.as_object_mut() {
        o.remove("took_ms");
    }
    v
}

#[test]
fn requests_beyond_the_search_bound_wait_and_answer_as_unbounded() {
    use saraban::serve::{Options, router_with};
    let queries = [
        "จังหวัด",
        "type:news",
        "2/2566",
        "มท ๐๒๑๑.๔/ว ๗๑๖๐",
        "จังหวัด ภูเก็ต",
        "ฉบับที่ 5",
        "สิทธิมนุษยชน",
        "-type:news",
    ];
    let uri = |q: &str| format!("/api/v1/search?q={}&limit=7", enc(q));
    let free = router_with(
        archive(),
        no_log(),
        Options {
            cache_mb: 0,
            max_searches: 0,
        },
    );
    let want: Vec<Value> = queries
        .iter()
        .map(|q| {
            let a = get_from(&free, &uri(q));
            assert_eq!(a.status, StatusCode::OK, "{q}: {}", a.text());
            untimed(&a)
        })
        .collect();
    // One search at a time, 32 requests at once (each query four times):
    // every one waits its turn and gets the unbounded answer.
    let one = router_with(
        archive(),
        no_log(),
        Options {
            cache_mb: 0,
            max_searches: 1,
        },
    );
    let got: Vec<(usize, StatusCode, Vec<u8>)> = runtime().block_on(async {
        let tasks: Vec<_> = (0..queries.len() * 4)
            .map(|i| {
                let app = one.clone();
                let req = Request::get(uri(queries[i % queries.len()]))
                    .body(Body::empty())
                    .expect("request");
                tokio::spawn(async move {
                    let resp = app.oneshot(req).await.expect("infallible");
                    let status = resp.status();
                    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                        .await
                        .expect("body");
                    (i, status, body.to_vec())
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("task"));
        }
        out
    });
    assert_eq!(got.len(), queries.len() * 4);
    for (i, status, body) in got {
        let a = Answer {
            status,
            headers: Default::default(),
            body,
        };
        let q = queries[i % queries.len()];
        assert_eq!(a.status, StatusCode::OK, "{q}: {}", a.text());
        assert_eq!(untimed(&a), want[i % queries.len()], "{q}");
    }
}

#[test]
fn serve_takes_max_searches_and_refuses_a_bad_one() {
    let o = bin().args(["serve", "--help"]).output().expect("help");
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("--max-searches"), "{help}");
    let o = bin()
        .arg("--index")
        .arg(index())
        .args(["serve", "--addr", "127.0.0.1:0", "--max-searches", "many"])
        .output()
        .expect("serve");
    // A usage error, as every command answers one.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--max-searches"), "{}", stderr(&o));
    let mut child = bin()
        .arg("--index")
        .arg(index())
        .args(["serve", "--addr", "127.0.0.1:0", "--max-searches", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    err.read_line(&mut first).expect("read banner");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    // Four clients at once against one search at a time: all answered.
    let clients: Vec<_> = ["จังหวัด", "type:news", "2/2566", "-type:news"]
        .into_iter()
        .map(|q| {
            let addr = addr.clone();
            std::thread::spawn(move || http_get(&addr, &format!("/api/v1/search?q={}", enc(q))))
        })
        .collect();
    for c in clients {
        let (status, body) = c.join().expect("client");
        assert_eq!(status, 200, "{body}");
    }
    let _ = child.kill();
    let _ = child.wait();
}
