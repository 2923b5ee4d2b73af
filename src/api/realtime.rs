//! `POST /api/v2/realtime` `{"site_id"}` → visitors and pageviews of the last five
//! minutes and their current pages, suppressed at the site's minimum group size.
//!
//! The query itself is `query::realtime`; this module only authorizes, picks "now" and
//! shapes the JSON (shared with `parcours query realtime`).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authorize, unfiltered_only, Auth, Need};
use crate::query::realtime::{self, WINDOW_SECONDS};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

/// The request body of `POST /api/v2/realtime`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealtimeRequest {
    /// Site domain (or numeric id).
    pub site_id: String,
}

/// Handles `POST /api/v2/realtime`.
pub async fn post_realtime(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let req: RealtimeRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("invalid realtime query: {e}")))?;
    let entry = authorize(&state, &auth, &req.site_id, Need::Read)?;
    unfiltered_only(&auth)?;
    Ok(Json(answer(&state, &entry, chrono::Utc::now()).await?))
}

/// Answers for a site with the window ending at `now` (shared with `parcours query`).
pub async fn answer(
    state: &AppState,
    entry: &SiteEntry,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, ApiError> {
    let site = &entry.site;
    let k = u64::from(site.min_group_size.max(1));
    let r = realtime::run(&state.store, site.site_id, now, k).await?;
    let pages: Vec<Value> = r
        .pages
        .iter()
        .map(|(page, visitors)| json!({"page": page, "visitors": visitors}))
        .collect();
    Ok(json!({
        "visitors": r.visitors,
        "pageviews": r.pageviews,
        "pages": pages,
        "meta": {
            "window_seconds": WINDOW_SECONDS,
            "from": r.from.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "to": r.to.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "min_group_size": k,
            "suppressed_groups": r.suppressed,
        },
        "query": {"site_id": site.domain},
    }))
}
