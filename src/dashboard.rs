//! The dashboard: the single-page app built from `dashboards/src/` into
//! `dashboards/dist/` (committed, like the tracker's `dist/`) and embedded here at
//! compile time, so `cargo build` needs no npm and a node serves it from memory.
//!
//! Assets carry their content hash in their names, so they are cached for a year as
//! immutable; the page itself is revalidated on every load (a 304 when unchanged), so
//! a new deployment shows at once. Deliberately not here: anything about data; the
//! app reads the public API like any client.

use std::sync::OnceLock;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "dashboards/dist/"]
struct Dist;

/// Paths that open the app (one per view); everything else under `/` is not it.
pub const VIEW_PATHS: [&str; 6] = [
    "/",
    "/funnels",
    "/journeys",
    "/attribution",
    "/realtime",
    "/settings",
];

/// The page's Content-Security-Policy: scripts, styles and data from this origin only,
/// nothing inline, so even a value that slipped past escaping could neither run, style
/// nor send anything. `frame-ancestors` is added per page.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
object-src 'none'";

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("js") => "application/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn etag(file: &rust_embed::EmbeddedFile) -> String {
    format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..12]))
}

fn serve(name: &str, headers: &HeaderMap, cache: &'static str) -> Response {
    let Some(file) = Dist::get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tag = etag(&file);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let common = [
        (header::ETAG, tag),
        (header::CACHE_CONTROL, cache.to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    if matches {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(header::CONTENT_TYPE, content_type(name))],
        file.data.into_owned(),
    )
        .into_response()
}

/// Serves the app's page at each view path: no framing.
pub async fn page(headers: HeaderMap) -> Response {
    with_page_headers(serve("index.html", &headers, "no-cache"), &[])
}

/// Serves the app's page for a shared link: framed only by the link's own origins.
pub async fn share_page(
    State(state): State<crate::server::AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let origins = match crate::accounts::shares::by_token(&state.store, &token).await {
        Ok(Some(share)) => share.embed_origins,
        _ => Vec::new(),
    };
    with_page_headers(serve("index.html", &headers, "no-cache"), &origins)
}

fn with_page_headers(mut r: Response, frame_origins: &[String]) -> Response {
    let ancestors = if frame_origins.is_empty() {
        "'none'".to_owned()
    } else {
        frame_origins.join(" ")
    };
    let csp = format!("{CSP}; frame-ancestors {ancestors}");
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if frame_origins.is_empty() {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    r
}

/// Serves `/assets/{file}`: content-hashed names, cached as immutable.
pub async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    if file.contains('/') || file.contains("..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    serve(
        &format!("assets/{file}"),
        &headers,
        "public, max-age=31536000, immutable",
    )
}

/// Names and sizes of the embedded files (for `parcours` diagnostics and tests).
pub fn files() -> &'static [(String, usize)] {
    static LIST: OnceLock<Vec<(String, usize)>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut v: Vec<(String, usize)> = Dist::iter()
            .filter_map(|n| Dist::get(&n).map(|f| (n.to_string(), f.data.len())))
            .collect();
        v.sort();
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_its_assets_are_embedded() {
        let names: Vec<&str> = files().iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"index.html"), "{names:?}");
        let page = String::from_utf8(Dist::get("index.html").unwrap().data.into_owned()).unwrap();
        // Every asset the page names is embedded.
        for part in page.split("\"/assets/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(names.contains(&format!("assets/{name}").as_str()), "{name}");
        }
    }
}
