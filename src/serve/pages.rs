//! The web interface's pages and assets, embedded in the binary.
//!
//! Every page (`/`, `/doc/ID`, `/order/NUMBER`, `/batch`) is the same static
//! HTML: nothing of the request is written into it. Its scripts (ES modules
//! under `/assets/`) read the address and call the API, and set document
//! text with `textContent` only, so the Content-Security-Policy can forbid
//! inline script.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

/// One embedded file under `/assets/`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $type:expr) => {
        Asset {
            name: $name,
            content_type: $type,
            body: include_bytes!(concat!("assets/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Everything served under `/assets/`.
static ASSETS: &[Asset] = &[
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("app.js", JS),
    asset!("util.js", JS),
    asset!("search.js", JS),
    asset!("map.js", JS),
    asset!("doc.js", JS),
    asset!("order.js", JS),
    asset!("batch.js", JS),
    asset!("thailand.svg", "image/svg+xml"),
    asset!("thailand-SOURCE.md", "text/plain; charset=utf-8"),
    asset!("thailand-LICENSE.md", "text/plain; charset=utf-8"),
];

/// The page every view starts from.
const PAGE_HTML: &str = include_str!("assets/index.html");

/// The routes of the pages and their assets, for any router state.
pub(super) fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(page))
        .route("/batch", get(page))
        .route("/doc/{*id}", get(page))
        .route("/order/{*number}", get(page))
        .route("/assets/{name}", get(asset))
}

/// Assets change only with the binary: browsers revalidate each time.
fn no_cache(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

async fn page() -> Response {
    no_cache(
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            PAGE_HTML,
        )
            .into_response(),
    )
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => no_cache(([(header::CONTENT_TYPE, a.content_type)], a.body).into_response()),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "error": format!("no asset {name:?}") })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use std::collections::BTreeSet;
    use tower::ServiceExt;

    fn text(a: &Asset) -> &'static str {
        std::str::from_utf8(a.body).unwrap_or_default()
    }

    /// Every `/assets/...` the page links and every module a script imports
    /// is served.
    #[test]
    fn every_referenced_asset_is_embedded() {
        let names: BTreeSet<&str> = ASSETS.iter().map(|a| a.name).collect();
        let mut wanted: Vec<String> = Vec::new();
        let link = regex::Regex::new(r#"/assets/([A-Za-z0-9_.-]+)"#).unwrap();
        let import = regex::Regex::new(r#"from "\./([A-Za-z0-9_.-]+)""#).unwrap();
        for c in link.captures_iter(PAGE_HTML) {
            wanted.push(c[1].to_string());
        }
        for a in ASSETS.iter().filter(|a| a.content_type == JS) {
            for c in import.captures_iter(text(a)) {
                wanted.push(c[1].to_string());
            }
            for c in link.captures_iter(text(a)) {
                wanted.push(c[1].to_string());
            }
        }
        assert!(wanted.len() > 10, "references found: {wanted:?}");
        for w in &wanted {
            assert!(
                names.contains(w.as_str()),
                "{w} is referenced but not served"
            );
        }
    }

    /// The map names each of the 77 provinces of the gazetteer once, by a
    /// shape that exists in the vendored SVG.
    #[test]
    fn map_ids_cover_the_77_provinces() {
        let map = ASSETS.iter().find(|a| a.name == "map.js").map(text);
        let svg = ASSETS.iter().find(|a| a.name == "thailand.svg").map(text);
        let (Some(map), Some(svg)) = (map, svg) else {
            panic!("map.js or thailand.svg missing");
        };
        let pair = regex::Regex::new(r#"\b([a-z]{3,4}): "([^"]+)""#).unwrap();
        let ids: Vec<(String, String)> = pair
            .captures_iter(map)
            .map(|c| (c[1].to_string(), c[2].to_string()))
            .collect();
        let gazetteer: BTreeSet<String> = include_str!("../../dictionaries/provinces.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split('\t').next())
            .map(str::to_string)
            .collect();
        assert_eq!(gazetteer.len(), 77);
        let named: BTreeSet<String> = ids.iter().map(|(_, n)| n.clone()).collect();
        assert_eq!(named, gazetteer);
        assert_eq!(ids.len(), 77, "a province is named twice");
        for (id, name) in &ids {
            assert!(
                svg.contains(&format!("id=\"{id}\"")),
                "{id} ({name}) has no shape in thailand.svg"
            );
        }
    }

    fn get(path: &str) -> (StatusCode, String, Vec<u8>) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let resp = routes::<()>()
                .oneshot(Request::get(path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = resp.status();
            let ct = resp
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec();
            (status, ct, body)
        })
    }

    #[test]
    fn pages_are_the_static_page_and_assets_have_their_types() {
        for path in [
            "/",
            "/batch",
            "/doc/abc123",
            "/doc/a/b%2Fc",
            "/order/2/2566",
        ] {
            let (status, ct, body) = get(path);
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(ct.starts_with("text/html"), "{path}: {ct}");
            assert_eq!(body, PAGE_HTML.as_bytes(), "{path}");
        }
        let (status, ct, body) = get("/assets/doc.js");
        assert_eq!(status, StatusCode::OK);
        assert!(ct.starts_with("text/javascript"), "{ct}");
        assert!(String::from_utf8_lossy(&body).contains("export async function docPage"));
        let (_, ct, _) = get("/assets/thailand.svg");
        assert_eq!(ct, "image/svg+xml");
        let (status, _, body) = get("/assets/..%2Fmod.rs");
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(String::from_utf8_lossy(&body).contains("no asset"));
    }

    /// The page carries no inline script or style and no inline handlers:
    /// the CSP forbids them.
    #[test]
    fn page_has_no_inline_script() {
        let lower = PAGE_HTML.to_lowercase();
        for tag in lower.match_indices("<script").map(|(i, _)| &lower[i..]) {
            let end = tag.find('>').unwrap_or(tag.len());
            assert!(
                tag[..end].contains("src=\"/assets/"),
                "inline script: {}",
                &tag[..end]
            );
            assert!(tag[end..].starts_with("></script>"), "script with a body");
        }
        assert!(!lower.contains(" style="), "inline style");
        for a in ASSETS.iter().filter(|a| a.content_type == JS) {
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
            ] {
                assert!(!text(a).contains(sink), "{} uses {sink}", a.name);
            }
        }
        assert!(
            !regex::Regex::new(r"\son[a-z]+=").unwrap().is_match(&lower),
            "inline handler"
        );
    }
}
