//! `GET /api/v2/install_check?site_id=D`: is the tracker installed? The site's events
//! of the last minutes (`query::install`) and the beacons for its domains this node
//! did not store lately (`ingest::drops`).
//!
//! A drop shows to a site only when its domain is the site's, a subdomain of it or a
//! parent of it, and no other registered site: one tenant never sees another's domains.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::auth::{authorize, Auth, Need};
use super::definitions::SiteParam;
use crate::ingest::drops::{related, WINDOW_SECONDS};
use crate::query::install::{self, LATEST_DAYS};
use crate::server::error::ApiError;
use crate::server::AppState;

/// `GET /api/v2/install_check`.
pub async fn install_check(
    State(state): State<AppState>,
    auth: Auth,
    params: Result<Query<SiteParam>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(p) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let entry = authorize(&state, &auth, &p.site_id, Need::Member)?;
    let site = &entry.site;
    // The clock events are stamped with.
    let now = state.clock.now();
    let recent = install::run(&state.store, site.site_id, now).await?;
    let drops: Vec<Value> = state
        .drops
        .recent(now, |domain| {
            related(domain, &site.domain)
                && state
                    .sites
                    .get(domain)
                    .is_none_or(|other| other.site.site_id == site.site_id)
        })
        .into_iter()
        .map(|d| {
            json!({"domain": d.domain, "reason": d.reason, "count": d.count,
                   "last_at": d.last_at.to_rfc3339_opts(SecondsFormat::Secs, true)})
        })
        .collect();
    let buffer_ms = state.config.buffer.flush_interval_ms;
    Ok(Json(json!({
        "events_last_5_minutes": recent.events_5m,
        "pageviews_last_5_minutes": recent.pageviews_5m,
        "events_last_30_minutes": recent.events_30m,
        "last_event_at": recent.last_event.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        "recent_drops": drops,
        "meta": {
            "now": now.to_rfc3339_opts(SecondsFormat::Secs, true),
            "buffer_flush_seconds": buffer_ms as f64 / 1000.0,
            "buffer_note": "a node holds events up to buffer_flush_seconds before they reach the database and these counts",
            "last_event_window_days": LATEST_DAYS,
            "drops_window_seconds": WINDOW_SECONDS,
            "drops_scope": "this node",
        },
        "query": {"site_id": site.domain},
    })))
}
