//! `GET /api/v2/properties?site_id=D&date_range=30d&event=NAME`: the custom property
//! keys of a site's events over a range, most visitors first, rare keys left out
//! (`query::properties`).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authorize, unfiltered_only, Auth, Need};
use super::pages::{self, Page};
use super::{min_group_size, site_range, visitor_id_lifetime, visitor_ids};
use crate::query::properties;
use crate::server::admission::bounded;
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

/// Longest event name asked for (the longest one stored).
const MAX_EVENT: usize = 120;

/// The query string.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertiesParams {
    /// Site domain or id.
    pub site_id: String,
    /// A period name, or `from,to` (default `30d`).
    #[serde(default)]
    pub date_range: Option<String>,
    /// Only the events of this name.
    #[serde(default)]
    pub event: Option<String>,
    /// Keys per page (default 1,000, at most 10,000).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Keys skipped.
    #[serde(default)]
    pub offset: Option<usize>,
}

/// `GET /api/v2/properties`.
pub async fn list_properties(
    State(state): State<AppState>,
    auth: Auth,
    params: Result<Query<PropertiesParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(p) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let entry = authorize(&state, &auth, &p.site_id, Need::Read)?;
    unfiltered_only(&auth)?;
    let asked = p.date_range.as_deref().unwrap_or("30d");
    let date_range = match asked.split_once(',') {
        Some((from, to)) => json!([from.trim(), to.trim()]),
        None => json!(asked),
    };
    let site_id = entry.site.site_id;
    let page = Page {
        limit: p.limit,
        offset: p.offset,
    };
    let work = answer(&state, &entry, &date_range, p.event.as_deref(), page);
    Ok(Json(bounded(&state, site_id, work).await?))
}

/// The properties answer, under the request's bounds.
async fn answer(
    state: &AppState,
    entry: &SiteEntry,
    date_range: &Value,
    event: Option<&str>,
    page: Page,
) -> Result<Value, ApiError> {
    let (_, range) = site_range(state, entry, date_range, chrono::Utc::now()).await?;
    let event = event.filter(|e| !e.is_empty());
    if event.is_some_and(|e| e.len() > MAX_EVENT) {
        return Err(ApiError::BadRequest(format!(
            "event names are at most {MAX_EVENT} bytes"
        )));
    }
    let k = min_group_size(entry);
    let keys = properties::run(&state.store, entry.site.site_id, &range, event, k).await?;
    let list: Vec<Value> = keys
        .shown
        .iter()
        .map(|p| json!({"key": p.key, "visitors": p.visitors}))
        .collect();
    let (list, pagination) = page.take(list, pages::ROWS);
    Ok(json!({
        "properties": list,
        "meta": {
            "time_zone": entry.site.timezone,
            "date_range": [range.first_day.to_string(), range.last_day.to_string()],
            "event": event,
            "min_group_size": k,
            "suppressed_keys": keys.suppressed,
            "suppression": "keys carried by fewer than min_group_size visitors are left out",
            "visitor_id_lifetime": visitor_id_lifetime(state, entry),
            "visitor_ids": visitor_ids(state, entry),
            "pagination": pagination,
        },
        "query": {"site_id": entry.site.domain},
    }))
}
