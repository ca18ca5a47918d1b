//! The web interface in a real browser: headless Chromium, driven through
//! chromedriver (W3C WebDriver), against `saraban serve` on the bundled
//! corpus plus one hostile document. One server, one browser session, the
//! scenarios in order: search, paging to the last hit, facet click and
//! exclude, histogram click, map click, export download, document page with
//! highlights, order page, batch search, and a document whose `<script>`
//! must show as text and never run.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-deps.sh`);
//! `CHROMIUM` and `CHROMEDRIVER` override their paths. `SARABAN_SKIP_BROWSER=1`
//! skips the test.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saraban"))
}

/// A child process killed when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---- plain HTTP --------------------------------------------------------

/// Decodes a chunked body.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = std::str::from_utf8(&body[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || body.len() < eol + 2 + size {
            return out;
        }
        out.extend_from_slice(&body[eol + 2..eol + 2 + size]);
        body = &body[(eol + 4 + size).min(body.len())..];
    }
}

/// One HTTP request: status and body.
fn http(addr: &str, method: &str, target: &str, body: Option<&Value>) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let data = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{data}",
        data.len()
    )
    .expect("send");
    // Read the head, then as much body as it announces: a WebDriver server
    // may keep the connection open.
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut buf).expect("read");
        if n == 0 {
            break raw.len();
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let length: Option<usize> = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    let mut rest = raw.get(split + 4..).unwrap_or_default().to_vec();
    loop {
        let done = match length {
            Some(n) => rest.len() >= n,
            None if chunked => rest.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = s.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        rest.extend_from_slice(&buf[..n]);
    }
    let body = if chunked { dechunk(&rest) } else { rest };
    (status, body)
}

fn get_json(addr: &str, target: &str) -> Value {
    let (status, body) = http(addr, "GET", target, None);
    assert_eq!(status, 200, "{target}: {}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).expect("JSON")
}

/// Percent-encodes a query-string value or a path segment.
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

// ---- WebDriver -----------------------------------------------------------

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session on chromedriver.
struct Browser {
    driver: String,
    session: String,
    base: String,
    downloads: PathBuf,
}

impl Browser {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let target = format!("/session/{}{path}", self.session);
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        let (status, raw) = http(&self.driver, method, &target, body.as_ref());
        let v: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    /// Loads `path` of the server and waits until the page is drawn.
    fn goto(&self, path: &str) {
        self.call(
            "POST",
            "/url",
            Some(json!({ "url": format!("{}{path}", self.base) })),
        );
        self.wait_ready();
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs `script` (a function body) with `args`.
    fn js(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Polls `script` until it returns a truthy value (gives up after 20 s).
    fn wait_for(&self, what: &str, script: &str, args: Value) -> Value {
        let start = Instant::now();
        loop {
            let v = self.js(script, args.clone());
            if !(v.is_null() || v == json!(false) || v == json!(0) || v == json!("")) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "gave up waiting for {what} at {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_ready(&self) {
        self.wait_for(
            "the page to be drawn",
            "return document.readyState === 'complete' && document.body && document.body.dataset.ready === '1';",
            json!([]),
        );
    }

    /// The elements matching `css`.
    fn all(&self, css: &str) -> Vec<Value> {
        self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
    }

    fn find(&self, css: &str) -> Value {
        self.all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element {css} at {}", self.url()))
    }

    fn id(e: &Value) -> String {
        e[ELEMENT].as_str().unwrap_or_default().to_string()
    }

    /// Clicks `e` as a user would (through chromedriver), once it is
    /// scrolled to the middle of the window (clear of the sticky legend).
    fn click(&self, e: &Value) {
        self.js(
            "arguments[0].scrollIntoView({block: 'center', inline: 'center'});",
            json!([e]),
        );
        self.call("POST", &format!("/element/{}/click", Self::id(e)), None);
    }

    /// Clicks `e`, a link, and waits until the page it opens is drawn.
    fn click_nav(&self, e: &Value) {
        self.js("window.__stay = 1;", json!([]));
        self.click(e);
        // The marker lives until the next document replaces this one.
        self.wait_for("the next page", "return window.__stay !== 1;", json!([]));
        self.wait_ready();
    }

    fn text(&self, e: &Value) -> String {
        self.call("GET", &format!("/element/{}/text", Self::id(e)), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn prop(&self, e: &Value, name: &str) -> Value {
        self.call(
            "GET",
            &format!("/element/{}/property/{name}", Self::id(e)),
            None,
        )
    }

    fn type_text(&self, e: &Value, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", Self::id(e)),
            Some(json!({ "text": text })),
        );
    }

    /// The query of the current address.
    fn q(&self) -> String {
        self.js(
            "return new URLSearchParams(location.search).get('q') || '';",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// The ids of the hits listed on the page.
    fn hit_ids(&self) -> Vec<String> {
        self.js(
            "return Array.from(document.querySelectorAll('#hits li.hit')).map(li => li.dataset.id);",
            json!([]),
        )
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            &self.driver,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
    }
}

/// The bundled corpus plus a hostile document, indexed by the command line.
fn build_index(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("mkdir");
    for sub in ["real", "seeds"] {
        let from = root().join("corpus").join(sub);
        let to = corpus.join(sub);
        std::fs::create_dir_all(&to).expect("mkdir");
        for e in std::fs::read_dir(&from).expect("read corpus") {
            let e = e.expect("entry");
            if e.file_type().map(|t| t.is_file()).unwrap_or(false) {
                std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
            }
        }
    }
    // Scans, so the document page can show an original beside the text.
    let fixtures = corpus.join("fixtures");
    std::fs::create_dir_all(&fixtures).expect("mkdir");
    for f in [
        "scan_header_300dpi.png",
        "news_boilerplate.html",
        "news_cairo.pdf",
    ] {
        std::fs::copy(root().join("corpus/fixtures").join(f), fixtures.join(f)).expect("copy");
    }
    std::fs::write(
        corpus.join("hostile.txt"),
        "<script>window.__pwned = 1</script> หนังสือทดสอบมุ่งร้าย\n\
         <img src=x onerror=\"window.__pwned = 2\"> ข้อความนี้ต้องแสดงเป็นตัวอักษร \
         ที่จังหวัดภูเก็ต วันที่ 3 มีนาคม 2566 &lt;b&gt;ไม่ใช่ตัวหนา&lt;/b&gt; คำทดสอบมุ่งร้าย\n",
    )
    .expect("write hostile");
    let index = dir.join("index");
    let o = bin()
        .arg("--index")
        .arg(&index)
        .args(["ingest", "--quiet"])
        .arg(&corpus)
        .output()
        .expect("ingest");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    index
}

fn start_server(index: &Path) -> (Proc, String) {
    let mut child = bin()
        .arg("--index")
        .arg(index)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    err.read_line(&mut first).expect("banner");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    // Keep draining the access log so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = err.read_to_end(&mut sink);
    });
    (Proc(child), addr)
}

fn start_browser(base: &str, dir: &Path) -> (Proc, Browser) {
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    let child = Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {driver_bin} ({e}): install chromium-driver, or set SARABAN_SKIP_BROWSER=1")
        });
    let driver = format!("127.0.0.1:{port}");
    let proc = Proc(child);
    let start = Instant::now();
    while TcpStream::connect(&driver).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = dir.join("profile");
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).expect("mkdir");
    let caps = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=th",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            },
        },
    }}});
    let (status, raw) = http(&driver, "POST", "/session", Some(&caps));
    let v: Value = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    assert_eq!(status, 200, "new session: {v}");
    let session = v["value"]["sessionId"]
        .as_str()
        .expect("session id")
        .to_string();
    (
        proc,
        Browser {
            driver,
            session,
            base: format!("http://{base}"),
            downloads,
        },
    )
}

#[test]
fn the_web_interface_works_in_a_real_browser() {
    if std::env::var("SARABAN_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("SARABAN_SKIP_BROWSER=1: browser test skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let index = build_index(dir.path());
    let (_server, addr) = start_server(&index);
    let (_driver, b) = start_browser(&addr, dir.path());

    search_and_page_to_the_last_hit(&b, &addr);
    sort_by_date(&b);
    facet_click_chip_and_exclude(&b);
    histogram_click(&b, &addr);
    map_click(&b, &addr);
    export_download(&b, &addr, &index);
    document_page_with_highlights(&b, &addr);
    order_page(&b, &addr);
    batch_search(&b, &addr);
    hostile_document_does_not_run(&b);
}

/// A broad query, then "load more" until every hit is listed exactly once.
fn search_and_page_to_the_last_hit(b: &Browser, addr: &str) {
    let q = "จังหวัด";
    b.goto(&format!("/?q={}", enc(q)));
    let api = get_json(addr, &format!("/api/v1/search?q={}&limit=1000", enc(q)));
    let total = api["total"].as_u64().expect("total") as usize;
    assert!(total > 20, "the query must need several pages: {total}");
    let status = b.text(&b.find("#status"));
    assert!(status.contains(&total.to_string()), "{status}");
    assert_eq!(b.hit_ids().len(), 20, "first page");
    // Title, type, BE and CE date, snippet of the first hit.
    let first = &api["hits"][0];
    let li = b.find("#hits li.hit");
    let text = b.text(&li);
    if let Some(date) = first["date"].as_str() {
        let be = date[..4].parse::<i32>().expect("year") + 543;
        assert!(
            text.contains(&format!("พ.ศ. {be}")) && text.contains(date),
            "{text}"
        );
    }
    assert!(
        !b.all("#hits li.hit .snippet b").is_empty(),
        "highlighted snippet"
    );
    let mut pages = 1;
    while b.prop(&b.find("#more"), "hidden") == json!(false) {
        let before = b.hit_ids().len();
        b.click(&b.find("#more"));
        b.wait_for(
            "the next page",
            "return document.querySelectorAll('#hits li.hit').length > arguments[0] && !document.getElementById('more').disabled;",
            json!([before]),
        );
        pages += 1;
        assert!(pages < 100, "paging does not end");
    }
    let ids = b.hit_ids();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), total, "every hit listed");
    assert_eq!(unique.len(), total, "each hit once");
    let api_ids: BTreeSet<String> = api["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        api_ids
    );
    // The address keeps how many hits are shown: reloading it lists them all.
    let url = b.url();
    assert!(url.contains(&format!("n={total}")), "{url}");
    b.goto(&url.replacen(&b.base, "", 1));
    assert_eq!(
        b.hit_ids().len(),
        total,
        "shared address shows as many hits"
    );
}

/// Choosing "by date" reloads the search sorted newest first, with the
/// order in the address (or shows the server's error when it cannot sort).
fn sort_by_date(b: &Browser) {
    let q = "จังหวัด";
    b.goto(&format!("/?q={}", enc(q)));
    b.click_nav(&b.find("#sort option[value=date]"));
    assert!(b.url().contains("sort=date"), "{}", b.url());
    assert_eq!(b.q(), q);
    if !b.all("#status .error").is_empty() {
        let msg = b.text(&b.find("#status .error"));
        assert!(msg.contains("sort"), "{msg}");
        return;
    }
    let dates = b.js(
        "return Array.from(document.querySelectorAll('#hits li.hit .date')).map(e => e.textContent);",
        json!([]),
    );
    let ce: Vec<String> = dates
        .as_array()
        .expect("dates")
        .iter()
        .filter_map(|d| {
            let d = d.as_str()?;
            Some(d[d.rfind('(')? + 1..d.rfind(')')?].to_string())
        })
        .filter(|d| d.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(ce.len() > 5, "{dates}");
    let mut sorted = ce.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ce, sorted, "newest first");
}

/// Clicking a facet value filters; its chip removes it; "−" excludes.
fn facet_click_chip_and_exclude(b: &Browser) {
    let q = "จังหวัด";
    b.goto(&format!("/?q={}", enc(q)));
    let value = b.find(".facet[data-facet=type] li a.add");
    let token = b.prop(&value, "dataset")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let count: usize = b
        .js(
            "return parseInt(document.querySelector('.facet[data-facet=type] li .count').textContent.replace(/[^0-9]/g, ''), 10);",
            json!([]),
        )
        .as_u64()
        .expect("count") as usize;
    b.click_nav(&value);
    assert_eq!(b.q(), format!("{q} {token}"));
    b.wait_for(
        "hits",
        "return document.querySelectorAll('#hits li.hit').length > 0;",
        json!([]),
    );
    let status = b.text(&b.find("#status"));
    assert!(status.contains(&count.to_string()), "{status} vs {count}");
    let kind = token.trim_start_matches("type:").to_string();
    let types = b.js(
        "return Array.from(document.querySelectorAll('#hits li.hit .type')).map(e => e.className);",
        json!([]),
    );
    for t in types.as_array().expect("types") {
        assert!(
            t.as_str().unwrap_or("").contains(&format!("t-{kind}")),
            "{t}"
        );
    }
    // Clicking the same value again removes the filter.
    let again = b.find(".facet[data-facet=type] li.on a.add");
    b.click_nav(&again);
    assert_eq!(b.q(), q);
    // Add it back, then remove it with its chip.
    b.click_nav(&b.find(".facet[data-facet=type] li a.add"));
    let chip = b.find("#chips a.chip");
    assert!(b.text(&chip).contains(&token));
    b.click_nav(&chip);
    assert_eq!(b.q(), q);
    // Exclude.
    let minus = b.find(".facet[data-facet=type] li a.exclude");
    b.click_nav(&minus);
    assert!(b.q().ends_with(&format!("-{token}")), "{}", b.q());
    b.wait_for(
        "hits",
        "return document.getElementById('shown').textContent.length > 0;",
        json!([]),
    );
    let types = b.js(
        "return Array.from(document.querySelectorAll('#hits li.hit .type')).map(e => e.className);",
        json!([]),
    );
    for t in types.as_array().expect("types") {
        assert!(
            !t.as_str().unwrap_or("").contains(&format!("t-{kind}")),
            "{t}"
        );
    }
    assert!(!b.all("#chips a.chip.neg").is_empty(), "exclusion chip");
}

/// Clicking a year bar narrows the search to that year.
fn histogram_click(b: &Browser, addr: &str) {
    let q = "จังหวัด";
    b.goto(&format!("/?q={}", enc(q)));
    let bars = b.all(".h-year .bar:not(.empty)");
    assert!(!bars.is_empty(), "year bars");
    let bar = &bars[bars.len() / 2];
    let data = b.prop(bar, "dataset");
    let token = data["token"].as_str().expect("token").to_string();
    let count: u64 = data["count"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .expect("count");
    b.click_nav(bar);
    assert_eq!(b.q(), format!("{q} {token}"));
    let api = get_json(
        addr,
        &format!("/api/v1/search?q={}&limit=1000", enc(&b.q())),
    );
    assert_eq!(api["total"].as_u64(), Some(count), "bar count = hits");
    let be: i32 = token.trim_start_matches("date:").parse().expect("BE year");
    for h in api["hits"].as_array().expect("hits") {
        let year: i32 = h["date"].as_str().unwrap_or("0")[..4]
            .parse()
            .expect("year");
        assert_eq!(year + 543, be, "{h}");
    }
    assert!(
        !b.all(".h-year .bar.on").is_empty(),
        "the chosen bar is marked"
    );
    // A month histogram, when the server counts months, filters the same way.
    let months = b.all(".h-month .bar:not(.empty)");
    if let Some(m) = months.first() {
        let token = b.prop(m, "dataset")["token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        b.click_nav(m);
        assert!(b.q().ends_with(&token), "{} / {token}", b.q());
    }
}

/// The map is shaded by the province facet; a click filters by province.
fn map_click(b: &Browser, addr: &str) {
    let q = "จังหวัด";
    b.goto(&format!("/?q={}", enc(q)));
    b.wait_for(
        "the map",
        "return document.querySelectorAll('#map path.prov').length;",
        json!([]),
    );
    let shapes = b.all("#map path.prov");
    assert_eq!(shapes.len(), 77, "one shape per province");
    let api = get_json(addr, &format!("/api/v1/search?q={}&limit=1", enc(q)));
    let facet = api["facets"]["province"]
        .as_array()
        .expect("province facet");
    for f in facet {
        let name = f["value"].as_str().unwrap_or_default();
        let shown = b.js(
            "const p = document.querySelector(`#map path.prov[data-province=\"${arguments[0]}\"]`); return p && p.dataset.count;",
            json!([name]),
        );
        assert_eq!(shown, json!(f["count"].to_string()), "{name}");
    }
    // Click the most frequent province whose shape holds the centre of
    // its bounding box (where a WebDriver click lands).
    let clickable = b.js(
        "return Array.from(document.querySelectorAll('#map path.prov')).filter(p => { \
           const r = p.getBoundingClientRect(); \
           const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
           return at === p || p.contains(at); }).map(p => p.dataset.province);",
        json!([]),
    );
    let clickable = clickable.as_array().expect("clickable provinces");
    let (name, count) = facet
        .iter()
        .filter_map(|f| Some((f["value"].as_str()?.to_string(), f["count"].as_u64()?)))
        .find(|(n, _)| clickable.contains(&json!(n)))
        .expect("a clickable province with hits");
    let shape = b.find(&format!("#map path.prov[data-province=\"{name}\"]"));
    assert_ne!(
        b.js("return arguments[0].getAttribute('fill');", json!([shape])),
        b.js(
            "return document.querySelector('#map path.prov[data-count=\"0\"]').getAttribute('fill');",
            json!([])
        ),
        "a province with hits is shaded"
    );
    b.click_nav(&shape);
    assert_eq!(b.q(), format!("{q} province:{name}"));
    let status = b.text(&b.find("#status"));
    assert!(status.contains(&count.to_string()), "{status} vs {count}");
    assert!(
        !b.all("#map path.prov.on").is_empty(),
        "chosen province outlined"
    );
}

/// Each export link downloads what `saraban export` writes for the query.
fn export_download(b: &Browser, addr: &str, index: &Path) {
    let q = "province:ภูเก็ต";
    b.goto(&format!("/?q={}", enc(q)));
    for (kind, format) in [("provinces", "csv"), ("officials", "jsonl")] {
        let a = b.find(&format!("#exports a.dl-{kind}-{format}"));
        let href = b.prop(&a, "href").as_str().unwrap_or_default().to_string();
        let target = href.replacen(&b.base, "", 1);
        let (status, body) = http(addr, "GET", &target, None);
        assert_eq!(status, 200, "{href}");
        let o = bin()
            .arg("--index")
            .arg(index)
            .args(["export", kind, "--query", q, "--format", format])
            .output()
            .expect("export");
        assert_eq!(o.status.code(), Some(0));
        assert!(!o.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&body),
            String::from_utf8_lossy(&o.stdout),
            "{href}"
        );
    }
}

/// The document page: text as written, each mention highlighted by kind
/// and linked to its filter, the query's match marked and in view.
fn document_page_with_highlights(b: &Browser, addr: &str) {
    let hits = get_json(
        addr,
        &format!("/api/v1/search?q={}&limit=50", enc("province:ภูเก็ต")),
    );
    // A document with provinces, officials and dates, and text to find.
    let id = hits["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .find(|id| {
            let d = get_json(addr, &format!("/api/v1/documents/{}", enc(id)));
            ["provinces", "officials", "dates"]
                .iter()
                .all(|k| d[k].as_array().is_some_and(|a| !a.is_empty()))
        })
        .expect("a document with provinces, officials and dates")
        .to_string();
    let doc = get_json(addr, &format!("/api/v1/documents/{}", enc(&id)));
    let text = doc["text"].as_str().expect("text");
    // The query: a word from the end of the text, so finding it means scrolling.
    let chars: Vec<char> = text.chars().collect();
    let last = doc["provinces"]
        .as_array()
        .expect("provinces")
        .last()
        .expect("province");
    let word: String = chars[last["start"].as_u64().expect("start") as usize
        ..last["end"].as_u64().expect("end") as usize]
        .iter()
        .collect();
    b.goto(&format!(
        "/doc/{}?q={}",
        enc(&id),
        enc(&format!("\"{word}\""))
    ));
    let shown = b.js(
        "return document.getElementById('text').textContent;",
        json!([]),
    );
    assert_eq!(shown, json!(text), "the text exactly as written");
    for kind in [
        "provinces",
        "officials",
        "dates",
        "orders",
        "plans",
        "doc_numbers",
    ] {
        let mentions = doc[kind].as_array().map(Vec::len).unwrap_or(0);
        // Crossing mentions are split in pieces, never lost.
        let elements = b.js(
            "return new Set(Array.from(document.querySelectorAll(`#text .ent.k-${arguments[0]}`)).map(e => e.title + '|' + e.getAttribute('href'))).size;",
            json!([kind]),
        );
        assert!(
            elements.as_u64().unwrap_or(0) as usize <= mentions,
            "{kind}"
        );
        if mentions > 0 {
            assert!(elements.as_u64().unwrap_or(0) > 0, "{kind} highlighted");
        }
    }
    // Every province mention is a highlight whose text is the mention.
    let provinces = b.js(
        "return Array.from(document.querySelectorAll('#text .ent.k-provinces')).map(e => e.textContent);",
        json!([]),
    );
    let expected: Vec<String> = doc["provinces"]
        .as_array()
        .expect("provinces")
        .iter()
        .map(|m| {
            chars
                [m["start"].as_u64().unwrap_or(0) as usize..m["end"].as_u64().unwrap_or(0) as usize]
                .iter()
                .collect()
        })
        .collect();
    assert_eq!(provinces, json!(expected));
    // The query's match is marked and scrolled into view.
    assert!(!b.all("#text mark.qhit").is_empty(), "query match marked");
    let in_view = b.js(
        "const r = document.getElementById('first-match').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
        json!([]),
    );
    assert_eq!(in_view, json!(true), "first match in view");
    // A highlight links to its filter.
    let names: Vec<String> = doc["officials"]
        .as_array()
        .expect("officials")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .flat_map(|n| [format!("official:\"{n}\""), format!("official:{n}")])
        .collect();
    let official = b.find("#text a.ent.k-officials");
    b.click_nav(&official);
    assert!(names.contains(&b.q()), "{} not in {names:?}", b.q());
    assert!(b.hit_ids().contains(&id), "the document has its official");
    // A scan's page shows the original beside the text, and a PDF's page
    // shows the PDF in the browser's own viewer (the frame is not blocked by
    // either side's Content-Security-Policy).
    let with_suffix = |query: &str, suffix: &str| -> String {
        let all = get_json(addr, &format!("/api/v1/search?q={}&limit=1000", enc(query)));
        all["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .find(|h| h["source"].as_str().is_some_and(|s| s.ends_with(suffix)))
            .and_then(|h| h["id"].as_str())
            .unwrap_or_else(|| panic!("the corpus has a {suffix} document"))
            .to_string()
    };
    let scan_id = with_suffix("type:circular", ".png");
    let (status, _) = http(
        addr,
        "GET",
        &format!("/api/v1/documents/{}/original", enc(&scan_id)),
        None,
    );
    assert_eq!(status, 200, "the scan's original is served");
    b.goto(&format!("/doc/{}", enc(&scan_id)));
    b.wait_for("the scan", "const i = document.querySelector('#original img'); return i && i.complete && i.naturalWidth > 0;", json!([]));
    assert!(!b.all("#original a.download").is_empty());
    let pdf_id = with_suffix("type:news", "news_cairo.pdf");
    b.goto(&format!("/doc/{}", enc(&pdf_id)));
    let shown = b.wait_for(
        "the PDF in its frame",
        "const f = document.querySelector('#original iframe'); \
         const d = f && f.contentDocument; \
         return d && d.readyState === 'complete' ? d.contentType : null;",
        json!([]),
    );
    assert_eq!(
        shown,
        json!("application/pdf"),
        "the frame shows the PDF itself"
    );
    assert!(!b.all("#original a.download").is_empty());
}

/// An order's page: the order, then every document citing it, by date.
fn order_page(b: &Browser, addr: &str) {
    let api = get_json(addr, &format!("/api/v1/search?q={}&limit=1", enc("การ")));
    let number = api["facets"]["order"]
        .as_array()
        .and_then(|o| o.first())
        .and_then(|o| o["value"].as_str())
        .expect("a cited order")
        .to_string();
    let path = format!(
        "/order/{}",
        number.split('/').map(enc).collect::<Vec<_>>().join("/")
    );
    b.goto(&path);
    let cited = get_json(addr, &format!("/api/v1/orders/{}", enc(&number)));
    let want = cited["cited_by"].as_array().map(Vec::len).unwrap_or(0);
    assert!(want > 0);
    let dates = b.js(
        "return Array.from(document.querySelectorAll('#cited-by li.hit')).map(li => li.querySelector('.date').textContent);",
        json!([]),
    );
    assert_eq!(dates.as_array().map(Vec::len), Some(want));
    let ce: Vec<String> = dates
        .as_array()
        .expect("dates")
        .iter()
        .filter_map(|d| {
            let d = d.as_str()?;
            Some(d[d.rfind('(')? + 1..d.rfind(')')?].to_string())
        })
        .filter(|d| d.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let mut sorted = ce.clone();
    sorted.sort();
    assert_eq!(ce, sorted, "cited by, oldest first");
    // From a citing document, the order is one click away.
    let first = b.find("#cited-by li.hit a.title");
    b.click_nav(&first);
    b.wait_for(
        "relations",
        "return document.querySelectorAll('#relations a.order-link').length;",
        json!([]),
    );
    let links = b.js(
        "return Array.from(document.querySelectorAll('#relations a.order-link')).map(a => a.textContent);",
        json!([]),
    );
    assert!(
        links.as_array().expect("links").contains(&json!(number)),
        "{links}"
    );
}

/// Batch search: counts per line (an error line too), links, CSV.
fn batch_search(b: &Browser, addr: &str) {
    b.goto("/batch");
    let queries = ["order:2/2566", "province:ภูเก็ต", "province:", "(สิทธิมนุษยชน"];
    let area = b.find("#batch-input");
    b.type_text(&area, &queries.join("\n"));
    b.click(&b.find("#batch-run"));
    b.wait_for(
        "the table",
        "return document.querySelectorAll('#batch-table tbody tr').length;",
        json!([]),
    );
    let rows = b.js(
        "return Array.from(document.querySelectorAll('#batch-table tbody tr')).map(tr => [tr.className, tr.cells[2].textContent]);",
        json!([]),
    );
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), queries.len());
    for (q, row) in queries.iter().zip(rows) {
        let (status, body) = http(
            addr,
            "GET",
            &format!("/api/v1/search?q={}&limit=1", enc(q)),
            None,
        );
        if status == 200 {
            let v: Value = serde_json::from_slice(&body).expect("JSON");
            let total = v["total"].as_u64().expect("total");
            assert_eq!(
                row[1].as_str().map(|s| s.replace(',', "")),
                Some(total.to_string()),
                "{q}"
            );
        } else {
            assert_eq!(row[0], json!("bad"), "{q}: an error line");
        }
    }
    // The download button saves the table as a file.
    b.click(&b.find("#batch-csv"));
    let file = b.downloads.join("saraban-batch.csv");
    // The file can appear before its bytes do: wait for the whole table.
    let start = Instant::now();
    let csv = loop {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.ends_with("\r\n") && text.matches("\r\n").count() > queries.len() {
            break text;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no complete download: {text:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), queries.len() + 1, "{csv}");
    assert!(lines[0].ends_with("line,query,total,error"), "{csv}");
    assert!(lines[2].starts_with("2,province:ภูเก็ต,"), "{csv}");
    // A line's link opens its search.
    let link = b.find("#batch-table tbody tr td a");
    b.click_nav(&link);
    assert_eq!(b.q(), queries[0]);
    // An uploaded CSV: its first column is the query.
    b.goto("/batch");
    let csv = b.downloads.join("queries.csv");
    std::fs::write(
        &csv,
        "query,note\n\"official:\"\"ณรงค์ วุ่นซิ่ว\"\"\",ผู้ว่าฯ\nprovince:ภูเก็ต,จังหวัด\n",
    )
    .expect("write csv");
    b.type_text(&b.find("#batch-file"), &csv.display().to_string());
    b.wait_for(
        "the file in the box",
        "return document.getElementById('batch-input').value.includes('ณรงค์');",
        json!([]),
    );
    b.click(&b.find("#batch-run"));
    b.wait_for(
        "the table",
        "return document.querySelectorAll('#batch-table tbody tr').length;",
        json!([]),
    );
    let rows = b.js(
        "return Array.from(document.querySelectorAll('#batch-table tbody tr')).map(tr => [tr.cells[1].textContent, tr.className]);",
        json!([]),
    );
    let rows = rows.as_array().expect("rows");
    let queries: Vec<&str> = rows.iter().filter_map(|r| r[0].as_str()).collect();
    assert!(
        queries.contains(&"official:\"ณรงค์ วุ่นซิ่ว\"") && queries.contains(&"province:ภูเก็ต"),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| r[1] != json!("bad")), "{rows:?}");
}

/// A document with markup in its title and text shows it as text.
fn hostile_document_does_not_run(b: &Browser) {
    b.goto(&format!("/?q={}", enc("มุ่งร้าย")));
    b.wait_for(
        "the hit",
        "return document.querySelectorAll('#hits li.hit').length;",
        json!([]),
    );
    let title = b.text(&b.find("#hits li.hit a.title"));
    assert!(title.contains("<script>"), "{title}");
    assert_eq!(
        b.js("return typeof window.__pwned;", json!([])),
        json!("undefined")
    );
    let bold = b.js(
        "return Array.from(document.querySelectorAll('#hits li.hit .snippet b')).map(e => e.textContent);",
        json!([]),
    );
    for w in bold.as_array().expect("highlights") {
        assert!(
            w.as_str().unwrap_or("").contains("มุ่งร้าย"),
            "only matches are bold: {w}"
        );
    }
    b.click_nav(&b.find("#hits li.hit a.title"));
    b.wait_for(
        "the text",
        "return document.getElementById('text');",
        json!([]),
    );
    let text = b.js(
        "return document.getElementById('text').textContent;",
        json!([]),
    );
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("<script>window.__pwned = 1</script>"),
        "{text}"
    );
    assert!(text.contains("<img src=x onerror="), "{text}");
    assert!(text.contains("&lt;b&gt;"), "escaped text stays as written");
    assert_eq!(
        b.js("return typeof window.__pwned;", json!([])),
        json!("undefined")
    );
    let injected = b.js(
        "return document.querySelectorAll('#view script, #view img[src=x], #view b').length;",
        json!([]),
    );
    assert_eq!(injected, json!(0), "no element made from the document");
    let h1 = b.text(&b.find("#doc-title"));
    assert!(h1.contains("<script>"), "{h1}");
}
