//! The tracker scripts site owners embed, served from the binary itself.
//!
//! `tracker-js/dist/` is built from `tracker-js/src/` with npm and committed, and embedded
//! here at compile time, so a running server never needs node. A test in `tracker-js`
//! checks that the committed files match a fresh build.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The default script: pageviews, SPA navigation, custom events, exclusions, consent.
pub const PARCOURS_JS: &str = include_str!("../tracker-js/dist/parcours.js");
/// The add-on with automatic events, loaded by the default script only when asked.
pub const AUTO_JS: &str = include_str!("../tracker-js/dist/parcours.auto.js");

/// A strong ETag from the content: it changes exactly when the script does.
fn etag(body: &str) -> String {
    format!(
        "\"{}\"",
        hex::encode(&Sha256::digest(body.as_bytes())[..12])
    )
}

fn etags() -> &'static [String; 2] {
    static TAGS: OnceLock<[String; 2]> = OnceLock::new();
    TAGS.get_or_init(|| [etag(PARCOURS_JS), etag(AUTO_JS)])
}

/// Serves `/js/parcours.js` and `/js/parcours.auto.js`, answering 304 to a matching ETag.
pub async fn script(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (body, tag) = match file.as_str() {
        "parcours.js" => (PARCOURS_JS, &etags()[0]),
        "parcours.auto.js" => (AUTO_JS, &etags()[1]),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    // An hour fresh, then revalidated: a new deployment reaches visitors within the hour
    // and costs them a 304, not the script, when nothing changed.
    let common = [
        (header::ETAG, tag.clone()),
        (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(
            header::CONTENT_TYPE,
            "application/javascript; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
