//! The HTTP API over a read-only [`Archive`] (`saraban serve`).
//!
//! A thin front end: every answer is a library call ([`crate::archive`],
//! [`crate::browse`]) turned into JSON. Archive calls are blocking work and
//! run on tokio's blocking pool, at most [`Options::max_searches`] at once:
//! later requests wait in line, first come first served, instead of
//! sharing the cores with every other request (which stretches the long
//! ones). Bad input answers 400 (413/414 when too large) with
//! `{"error": "..."}`; only a failing index answers 500.
//!
//! The library never prints: each request is reported to the caller's
//! [`AccessLog`] function, which the command line writes to stderr.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::archive::{Archive, ArchiveError};
use crate::browse::{self, BrowseError};
use crate::export::{ExportFormat, ExportKind};

mod pages;

/// Default `limit` of a search page.
pub const DEFAULT_LIMIT: usize = 10;
/// Largest `limit` of a search page.
pub const MAX_LIMIT: usize = 1000;
/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2000;
/// Longest request target (path and query string) accepted, in bytes.
pub const MAX_URI_BYTES: usize = 8192;
/// Largest request body accepted (batch), in bytes.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Most queries in one batch.
pub const MAX_BATCH_LINES: usize = 10_000;

/// The Content-Security-Policy of every answer: no inline script, nothing
/// from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One answered request, for the access log.
#[derive(Debug, Clone)]
pub struct AccessEntry {
    /// Request method.
    pub method: String,
    /// Request path (without the query string).
    pub path: String,
    /// Status answered.
    pub status: u16,
    /// Milliseconds until the answer's head was ready.
    pub ms: f64,
}

impl std::fmt::Display for AccessEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} {:.1}ms",
            self.method, self.path, self.status, self.ms
        )
    }
}

/// Where access-log entries go.
pub type AccessLog = Arc<dyn Fn(&AccessEntry) + Send + Sync>;

/// Errors starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The runtime could not start or the server failed.
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Clone)]
struct AppState {
    archive: Arc<Archive>,
    log: AccessLog,
    reuse: Arc<browse::Reuse>,
    /// Permits to run archive work (`None`: no bound).
    searches: Option<Arc<tokio::sync::Semaphore>>,
}

/// How the server runs, besides its address.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Budget of the result cache in MB (0: no cache): the result sets and
    /// facets of recent queries, dropped when the index reloads.
    pub cache_mb: usize,
    /// Most archive calls (searches, documents, orders, counts) running at
    /// once; the requests beyond wait in line, first come first served
    /// (0: no bound). The default, [`default_max_searches`], is one per
    /// core and one more, which keeps the cores busy while a request's
    /// answer is being written; more at once only share the cores and
    /// finish later.
    pub max_searches: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cache_mb: browse::DEFAULT_CACHE_MB,
            max_searches: default_max_searches(),
        }
    }
}

/// The default [`Options::max_searches`]: the cores this process may use,
/// plus one. On 2 cores at 8 clients this gave the shortest tail (p95 20 ms
/// against 22 ms with 2 and 31 ms unbounded) at 93 % of the unbounded
/// throughput (`benches/serve_load.md`).
pub fn default_max_searches() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get) + 1
}

/// An error answer: status and message, as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(json!({ "error": self.message }))).into_response()
    }
}

impl From<BrowseError> for ApiError {
    fn from(e: BrowseError) -> Self {
        if matches!(
            e,
            BrowseError::NoOriginal(_) | BrowseError::OriginalGone { .. }
        ) {
            ApiError::new(StatusCode::NOT_FOUND, e.to_string())
        } else if matches!(e, BrowseError::OriginalChanged(_)) {
            ApiError::new(StatusCode::CONFLICT, e.to_string())
        } else if e.is_user_error() {
            ApiError::bad(e.to_string())
        } else {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
        }
    }
}

impl From<ArchiveError> for ApiError {
    fn from(e: ArchiveError) -> Self {
        BrowseError::Archive(e).into()
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError::bad(format!("bad query string: {}", e.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        ApiError::bad(format!("bad path: {}", e.body_text()))
    }
}

type ApiResult = Result<Response, ApiError>;

/// A path parameter, its rejection answered as JSON.
type PathParam = Result<Path<String>, PathRejection>;
/// Query-string parameters, their rejection answered as JSON.
type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// The answer of `/api/v1/search`. A struct, not `json!`: scores stay `f32`
/// and print as `search --json` prints them.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SearchAnswer {
    /// Every matching document.
    pub total: usize,
    /// True when `total` counts every hit (not a lower bound).
    pub total_exact: bool,
    /// The hits of this page.
    pub hits: Vec<crate::search::Hit>,
    /// The cursor of the next page (`null` on the last page).
    pub next_cursor: Option<String>,
    /// Facet counts of the whole result set (absent with `facets=false`).
    pub facets: Option<browse::Facets>,
    /// Time spent answering, in milliseconds.
    pub took_ms: f64,
}

/// An error answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What was wrong, naming the parameter, filter or position.
    pub error: String,
}

/// The OpenAPI 3 description of the API, generated from the handlers below.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "saraban",
        description = "Search Thai government records: full-text and entity search, documents, original files, orders, export, batch counts and statistics. Read-only."
    ),
    paths(search, document, original, order, export, batch, stats, openapi),
    components(schemas(
        SearchAnswer,
        ErrorBody,
        crate::search::Hit,
        browse::Facets,
        browse::FacetValue,
        browse::OrderHits,
        browse::BatchLine
    ))
)]
pub struct ApiDoc;

/// The OpenAPI description as JSON.
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    ApiDoc::openapi()
        .to_json()
        .unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}

static OPENAPI: once_cell::sync::Lazy<String> = once_cell::sync::Lazy::new(openapi_json);

/// Runs `f` on the blocking pool once a permit of `state.searches` is
/// free (waiting in line behind earlier requests), holding it until `f`
/// returns. A request dropped while waiting leaves the line.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let failed = |e: String| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("request failed: {e}"),
        )
    };
    let permit = match &state.searches {
        Some(s) => Some(
            s.clone()
                .acquire_owned()
                .await
                .map_err(|e| failed(e.to_string()))?,
        ),
        None => None,
    };
    tokio::task::spawn_blocking(move || {
        let out = f();
        drop(permit);
        out
    })
    .await
    .map_err(|e| failed(e.to_string()))?
}

/// The routes of the API over `archive`, reporting each request to `log`,
/// with the default [`Options`].
pub fn router(archive: Arc<Archive>, log: AccessLog) -> Router {
    router_with(archive, log, Options::default())
}

/// [`router`] with `options`.
pub fn router_with(archive: Arc<Archive>, log: AccessLog, options: Options) -> Router {
    app(archive, log, options).0
}

/// The router and the state it shares between requests.
fn app(archive: Arc<Archive>, log: AccessLog, options: Options) -> (Router, AppState) {
    let reuse = Arc::new(browse::Reuse::new(options.cache_mb.saturating_mul(1 << 20)));
    let searches = (options.max_searches > 0)
        .then(|| Arc::new(tokio::sync::Semaphore::new(options.max_searches)));
    let state = AppState {
        archive,
        log,
        reuse,
        searches,
    };
    let router = Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/documents/{id}", get(document))
        .route("/api/v1/documents/{id}/original", get(original))
        .route("/api/v1/orders/{*number}", get(order))
        .route("/api/v1/export/{kind}", get(export))
        .route("/api/v1/batch", post(batch))
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/openapi.json", get(openapi))
        .merge(pages::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), frame))
        .with_state(state.clone());
    (router, state)
}

/// Refuses over-long request targets, adds the security headers and
/// reports the request to the access log.
async fn frame(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let too_long = req
        .uri()
        .path_and_query()
        .is_some_and(|pq| pq.as_str().len() > MAX_URI_BYTES);
    let mut resp = if too_long {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("request target longer than {MAX_URI_BYTES} bytes"),
        )
        .into_response()
    } else if method != Method::GET && method != Method::HEAD && method != Method::POST {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "read-only: method not allowed",
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    // An original file brings its own, stricter policy.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    (state.log)(&AccessEntry {
        method: method.to_string(),
        path,
        status: resp.status().as_u16(),
        ms: start.elapsed().as_secs_f64() * 1000.0,
    });
    resp
}

/// This description.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3 description of the API", body = Object))
)]
async fn openapi(params: Params) -> ApiResult {
    known_params(&params?.0, &[])?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        OPENAPI.as_str(),
    )
        .into_response())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such endpoint")
}

/// The query parameter `q`: present, not blank, not too long.
fn query_param(
    params: &HashMap<String, String>,
    required: bool,
) -> Result<Option<String>, ApiError> {
    match params.get("q") {
        None if required => Err(ApiError::bad("missing parameter q (the query)")),
        None => Ok(None),
        Some(q) if q.chars().count() > MAX_QUERY_CHARS => Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("query longer than {MAX_QUERY_CHARS} characters"),
        )),
        Some(q) => Ok(Some(q.clone())),
    }
}

/// Rejects parameters the endpoint does not know, naming them.
fn known_params(params: &HashMap<String, String>, known: &[&str]) -> Result<(), ApiError> {
    let mut unknown: Vec<&str> = params
        .keys()
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .collect();
    unknown.sort_unstable();
    match unknown.first() {
        Some(k) if known.is_empty() => Err(ApiError::bad(format!(
            "unknown parameter {k:?} (this endpoint takes none)"
        ))),
        Some(k) => Err(ApiError::bad(format!(
            "unknown parameter {k:?} (expected one of: {})",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

/// A page of hits with the facets of the whole result set.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = String, Query, description = "the query (query language of `saraban search`)"),
        ("limit" = Option<usize>, Query, description = "hits per page, 1 to 1000 (default 10)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("sort" = Option<String>, Query, description = "`relevance` (default) or `date` (newest first, undated last)"),
        ("facets" = Option<bool>, Query, description = "count facets (default true)"),
    ),
    responses(
        (status = 200, description = "a page of hits", body = SearchAnswer),
        (status = 400, description = "bad query or parameter", body = ErrorBody), (status = 414, description = "query or request target too long", body = ErrorBody),
    )
)]
async fn search(
    State(state): State<AppState>,
    params: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult {
    let Query(params) = params?;
    known_params(&params, &["q", "limit", "cursor", "sort", "facets"])?;
    let start = Instant::now();
    let q = query_param(&params, true)?.unwrap_or_default();
    let limit = match params.get("limit").map(String::as_str) {
        None | Some("") => DEFAULT_LIMIT,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::bad(format!(
                    "limit must be a number from 1 to {MAX_LIMIT}, not {l:?}"
                )));
            }
        },
    };
    let sort: browse::Sort = match params.get("sort").map(String::as_str) {
        None | Some("") => browse::Sort::Relevance,
        Some(s) => s.parse()?,
    };
    let facets = match params.get("facets").map(String::as_str) {
        None | Some("") | Some("true") | Some("1") => true,
        Some("false") | Some("0") => false,
        Some(f) => {
            return Err(ApiError::bad(format!(
                "facets must be true or false, not {f:?}"
            )));
        }
    };
    let cursor = params.get("cursor").filter(|c| !c.is_empty()).cloned();
    let archive = state.archive.clone();
    let reuse = state.reuse.clone();
    let page = blocking(&state, move || {
        browse::page_cached(
            &archive,
            Some(&reuse),
            &q,
            limit,
            cursor.as_deref(),
            sort,
            facets,
        )
        .map_err(ApiError::from)
    })
    .await?;
    let took_ms = start.elapsed().as_secs_f64() * 1000.0;
    Ok(axum::Json(SearchAnswer {
        total: page.total,
        total_exact: true,
        hits: page.hits,
        next_cursor: page.next_cursor,
        facets: page.facets,
        took_ms,
    })
    .into_response())
}

/// What `saraban show --json` prints for a document.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "document id")),
    responses(
        (status = 200, description = "the document, its text and its tags", body = Object),
        (status = 404, description = "no such document", body = ErrorBody),
    )
)]
async fn document(State(state): State<AppState>, id: PathParam, params: Params) -> ApiResult {
    let Path(id) = id?;
    known_params(&params?.0, &[])?;
    let archive = state.archive.clone();
    let lookup = id.clone();
    let doc = blocking(&state, move || {
        browse::document_by_id(&archive, &lookup).map_err(ApiError::from)
    })
    .await?;
    match doc {
        Some(doc) => Ok(axum::Json(browse::show_json(&doc)).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no document with id {id:?}"),
        )),
    }
}

/// The Content-Security-Policy of an original file: nothing runs, nothing
/// loads; the document page may show it in a frame. Only a PDF goes
/// without `sandbox`, which would stop the browser's PDF viewer.
pub const ORIGINAL_CSP: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
/// [`ORIGINAL_CSP`] for a PDF.
pub const ORIGINAL_PDF_CSP: &str = "default-src 'none'; frame-ancestors 'self'";

/// The original file as ingested, verified against its content hash.
#[utoipa::path(get, path = "/api/v1/documents/{id}/original", tag = "documents",
    params(
        ("id" = String, Path, description = "document id"),
        ("download" = Option<bool>, Query, description = "serve as an attachment"),
    ),
    responses(
        (status = 200, description = "the file's bytes with its media type (PDF, PNG, JPEG, TIFF, DOCX; HTML and text as text/plain)", content_type = "application/octet-stream"),
        (status = 400, description = "bad query or parameter", body = ErrorBody),
        (status = 404, description = "no such document, only text was ingested, or the file is gone", body = ErrorBody),
        (status = 409, description = "the file changed since it was ingested", body = ErrorBody),
    )
)]
async fn original(State(state): State<AppState>, id: PathParam, params: Params) -> ApiResult {
    let Path(id) = id?;
    let Query(params) = params?;
    known_params(&params, &["download"])?;
    let download = match params.get("download").map(String::as_str) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(d) => {
            return Err(ApiError::bad(format!(
                "download must be true or false, not {d:?}"
            )));
        }
    };
    let archive = state.archive.clone();
    let lookup = id.clone();
    let file = blocking(&state, move || {
        browse::original(&archive, &lookup).map_err(ApiError::from)
    })
    .await?;
    let Some(file) = file else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no document with id {id:?}"),
        ));
    };
    let csp = if file.media_type == "application/pdf" {
        ORIGINAL_PDF_CSP
    } else {
        ORIGINAL_CSP
    };
    let disposition = content_disposition(download, &file.file_name);
    let mut resp = Body::from(file.bytes).into_response();
    let h = resp.headers_mut();
    let media = HeaderValue::from_str(&file.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, media);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// `inline` or `attachment`, with the file's name: an ASCII fallback and
/// the UTF-8 name percent-encoded (RFC 6266).
fn content_disposition(download: bool, name: &str) -> String {
    let kind = if download { "attachment" } else { "inline" };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || b"._-".contains(b) {
            encoded.push(char::from(*b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// An order's own document(s) and every document citing it, newest first.
#[utoipa::path(get, path = "/api/v1/orders/{number}", tag = "orders",
    params(("number" = String, Path, description = "order number in either digit set, `/` URL-encoded or not")),
    responses(
        (status = 200, description = "the order and what cites it", body = browse::OrderHits),
        (status = 400, description = "bad query or parameter", body = ErrorBody), (status = 414, description = "query or request target too long", body = ErrorBody),
    )
)]
async fn order(State(state): State<AppState>, number: PathParam, params: Params) -> ApiResult {
    let Path(number) = number?;
    known_params(&params?.0, &[])?;
    if number.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "order number too long",
        ));
    }
    let archive = state.archive.clone();
    let hits = blocking(&state, move || {
        browse::order(&archive, &number).map_err(ApiError::from)
    })
    .await?;
    Ok(axum::Json(hits).into_response())
}

/// What `saraban stats --json` prints.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats",
    responses((status = 200, description = "index statistics", body = Object))
)]
async fn stats(State(state): State<AppState>, params: Params) -> ApiResult {
    known_params(&params?.0, &[])?;
    let archive = state.archive.clone();
    let stats = blocking(&state, move || archive.stats().map_err(ApiError::from)).await?;
    Ok(axum::Json(stats).into_response())
}

/// Hit counts of many queries, one per line.
#[utoipa::path(post, path = "/api/v1/batch", tag = "search",
    request_body(content = String, content_type = "text/plain", description = "one query per line, or a CSV whose first column is the query"),
    responses(
        (status = 200, description = "one answer per query; a bad line carries its own error", body = Vec<browse::BatchLine>),
        (status = 400, description = "bad query or parameter", body = ErrorBody),
        (status = 413, description = "body too large or too many lines", body = ErrorBody),
    )
)]
async fn batch(
    State(state): State<AppState>,
    params: Params,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    known_params(&params?.0, &[])?;
    let body = body.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, format!("body larger than {MAX_BODY_BYTES} bytes"))
        } else {
            ApiError::bad(format!("cannot read body: {}", e.body_text()))
        }
    })?;
    let text = String::from_utf8(body.to_vec()).map_err(|e| {
        ApiError::bad(format!(
            "body is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if text.lines().count() > MAX_BATCH_LINES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("more than {MAX_BATCH_LINES} lines"),
        ));
    }
    let queries = browse::batch_queries(&text);
    if let Some((line, _)) = queries
        .iter()
        .find(|(_, q)| q.chars().count() > MAX_QUERY_CHARS)
    {
        return Err(ApiError::bad(format!(
            "line {line}: query longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    // A slice of queries per search permit, so a long batch takes its turn
    // in line like any other request instead of holding a core throughout.
    let mut lines = Vec::with_capacity(queries.len());
    let mut rest = queries.into_iter().peekable();
    while rest.peek().is_some() {
        let slice: Vec<(usize, String)> = rest.by_ref().take(BATCH_SLICE).collect();
        let archive = state.archive.clone();
        let answered = blocking(&state, move || {
            browse::batch_lines(&archive, slice).map_err(ApiError::from)
        })
        .await?;
        lines.extend(answered);
    }
    Ok(axum::Json(lines).into_response())
}

/// Queries of a batch run under one search permit before the next request
/// in line gets its turn.
const BATCH_SLICE: usize = 16;

/// A writer that hands its bytes to a response body, chunk by chunk.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The rows of `saraban export KIND --query Q`, streamed.
#[utoipa::path(get, path = "/api/v1/export/{kind}", tag = "export",
    params(
        ("kind" = String, Path, description = "provinces, officials, orders, doc-numbers, plans, dates or all"),
        ("q" = Option<String>, Query, description = "the query (all documents when absent)"),
        ("format" = Option<String>, Query, description = "`csv` (default) or `jsonl`"),
    ),
    responses(
        (status = 200, description = "CSV or JSON Lines rows", content_type = "text/csv"),
        (status = 400, description = "bad query or parameter", body = ErrorBody), (status = 414, description = "query or request target too long", body = ErrorBody),
    )
)]
async fn export(State(state): State<AppState>, kind: PathParam, params: Params) -> ApiResult {
    let Path(kind) = kind?;
    let Query(params) = params?;
    known_params(&params, &["q", "format"])?;
    let kind: ExportKind = kind.parse().map_err(|_| {
        let names = ExportKind::names();
        let (last, rest) = names.split_last().unwrap_or((&"all", &[]));
        ApiError::bad(format!(
            "unknown export kind {kind:?} (expected {} or {last})",
            rest.join(", ")
        ))
    })?;
    let format: ExportFormat = match params.get("format").map(String::as_str) {
        None | Some("") => ExportFormat::Csv,
        Some(f) => f
            .parse()
            .map_err(|_| ApiError::bad(format!("format must be csv or jsonl, not {f:?}")))?,
    };
    let q = query_param(&params, false)?.filter(|q| !q.is_empty());
    let archive = state.archive.clone();
    // Choose first: a bad query answers 400 before anything is streamed.
    let (archive, selection) = blocking(&state, move || {
        let selection = archive.select(q.as_deref()).map_err(ApiError::from)?;
        Ok((archive, selection))
    })
    .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let log = state.log.clone();
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let result = archive
            .export(&selection, kind, format, false, &mut out)
            .and_then(|_| std::io::Write::flush(&mut out).map_err(ArchiveError::Write));
        if let Err(e) = result
            && !e.is_broken_pipe()
        {
            // The head is sent: end the body with an error so the client
            // sees a broken transfer, not a short file.
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
            log(&AccessEntry {
                method: "EXPORT".to_string(),
                path: format!("failed: {e}"),
                status: 500,
                ms: 0.0,
            });
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let content_type = match format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Jsonl => "application/x-ndjson; charset=utf-8",
    };
    let filename = format!(
        "attachment; filename=\"saraban-{}.{}\"",
        kind.as_str(),
        format.as_str()
    );
    let mut resp = Body::from_stream(stream).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&filename) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// Serves `archive` on `addr` until Ctrl-C or SIGTERM, then finishes the
/// requests in flight. `ready` is called with the bound address (useful
/// when `addr` has port 0).
pub fn run(
    addr: SocketAddr,
    archive: Archive,
    log: AccessLog,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    run_with(addr, archive, log, Options::default(), ready)
}

/// [`run`] with `options`.
pub fn run_with(
    addr: SocketAddr,
    archive: Archive,
    log: AccessLog,
    options: Options,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        ready(listener.local_addr()?);
        let app = router_with(Arc::new(archive), log, options);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        Ok(())
    })
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    futures_util::future::select(Box::pin(ctrl_c), Box::pin(term)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::task::Poll;
    use tower::ServiceExt;

    /// An archive of two text records.
    fn archive(dir: &std::path::Path) -> Arc<Archive> {
        let docs = dir.join("docs");
        std::fs::create_dir(&docs).expect("mkdir");
        std::fs::write(
            docs.join("records.jsonl"),
            "{\"id\": \"rec-1\", \"text\": \"คำสั่งที่ ๒/๒๕๖๖ จังหวัดภูเก็ต\"}\n\
             {\"id\": \"rec-2\", \"text\": \"อ้างถึงคำสั่งที่ 2/2566 จังหวัดสงขลา\"}\n",
        )
        .expect("write");
        let analysis = crate::index::Analysis::load(None).expect("dictionaries");
        let index = dir.join("index");
        crate::archive::build(&index, &[docs], &analysis, &crate::ingest::Silent).expect("ingest");
        Arc::new(Archive::open(&index, analysis).expect("open"))
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .expect("runtime")
    }

    fn search(q: &str) -> axum::http::Request<Body> {
        axum::http::Request::get(format!("/api/v1/search?q={q}"))
            .body(Body::empty())
            .expect("request")
    }

    /// Polls `fut` once: true while it is not done.
    async fn pending<F: Future + Unpin>(fut: &mut F) -> bool {
        std::future::poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *fut).poll(cx).is_pending()))
            .await
    }

    #[test]
    fn the_default_bound_is_one_search_per_core_and_one_more() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(Options::default().max_searches, cores + 1);
        assert!(Options::default().max_searches >= 1);
    }

    #[test]
    fn a_search_beyond_the_bound_waits_for_a_permit_then_answers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = archive(dir.path());
        let log: AccessLog = Arc::new(|_: &AccessEntry| {});
        let options = Options {
            cache_mb: 0,
            max_searches: 2,
        };
        let (router, state) = app(archive, log, options);
        let sem = state.searches.clone().expect("a bound");
        assert_eq!(sem.available_permits(), 2, "the flag sets the permits");
        runtime().block_on(async move {
            // Two searches running: every permit taken.
            let held = sem.clone().acquire_many_owned(2).await.expect("permits");
            let mut waiting = Box::pin(router.clone().oneshot(search("2%2F2566")));
            assert!(pending(&mut waiting).await);
            // A permit given back goes to the request in line, not to the
            // pool: it was waiting for one.
            let mut held = held;
            drop(held.split(1));
            assert_eq!(sem.available_permits(), 0, "the request was not in line");
            let resp = waiting.await.expect("infallible");
            assert_eq!(resp.status(), StatusCode::OK);
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .expect("body");
            let v: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            assert_eq!(v["total"].as_u64(), Some(2), "{v}");
            // Done: its permit is back.
            assert_eq!(sem.available_permits(), 1);
            drop(held);
            assert_eq!(sem.available_permits(), 2);
        });
    }

    #[test]
    fn a_request_dropped_while_waiting_leaves_the_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log: AccessLog = Arc::new(|_: &AccessEntry| {});
        let options = Options {
            cache_mb: 0,
            max_searches: 1,
        };
        let (router, state) = app(archive(dir.path()), log, options);
        let sem = state.searches.clone().expect("a bound");
        runtime().block_on(async move {
            let held = sem.clone().acquire_owned().await.expect("permit");
            let mut gone = Box::pin(router.clone().oneshot(search("2%2F2566")));
            assert!(pending(&mut gone).await);
            // The client went away before its turn.
            drop(gone);
            drop(held);
            assert_eq!(
                sem.available_permits(),
                1,
                "a permit went to a dropped request"
            );
            let resp = router
                .oneshot(search("2%2F2566"))
                .await
                .expect("infallible");
            assert_eq!(resp.status(), StatusCode::OK);
        });
    }

    #[test]
    fn no_bound_when_the_flag_is_zero() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log: AccessLog = Arc::new(|_: &AccessEntry| {});
        let options = Options {
            cache_mb: 0,
            max_searches: 0,
        };
        let (router, state) = app(archive(dir.path()), log, options);
        assert!(state.searches.is_none());
        let resp = runtime()
            .block_on(router.oneshot(search("2%2F2566")))
            .expect("infallible");
        assert_eq!(resp.status(), StatusCode::OK);
    }
}
