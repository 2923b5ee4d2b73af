//! `POST /api/v2/attribution`: a goal's conversions by channel, source or campaign.
//!
//! `{"site_id", "date_range", "goal": "<goal name>", "dimension": "visit:channel",
//! "attribution": "first_touch" | "last_touch", "filters": [..]}` → `{"results":
//! [{"value", "visitors", "conversions", "conversion_rate"}], "total", "meta"}`.
//! Counts under the site's minimum group size are `null`, with their rates.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::pages::{self, Page};
use super::{
    min_group_size, site_range, site_request, typed, visitor_id_lifetime, visitor_ids, Auth,
    Definitions,
};
use crate::query::attribution::{self, Attribution, Credit, Touch};
use crate::query::filter::{Dim, Filter};
use crate::server::admission::bounded;
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

/// The request body of `POST /api/v2/attribution`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionRequest {
    /// Site domain (or numeric id).
    pub site_id: String,
    /// Period name or `[from, to]`.
    pub date_range: Value,
    /// Goal name.
    pub goal: String,
    /// A visit dimension (default `visit:channel`).
    #[serde(default)]
    pub dimension: Option<String>,
    /// `first_touch` (default) or `last_touch`.
    #[serde(default)]
    pub attribution: Option<String>,
    /// Filters, as in `/api/v2/query`.
    #[serde(default)]
    pub filters: Vec<Value>,
    /// `{"limit", "offset"}` of `results` (default 1,000 rows, at most 10,000).
    #[serde(default)]
    pub pagination: Option<Page>,
}

/// Handles `POST /api/v2/attribution`.
pub async fn post_attribution(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let (req, entry) = site_request(&state, &auth, &body, "attribution request")?;
    let work = answer(&state, &entry, &req, chrono::Utc::now());
    let out = bounded(&state, entry.site.site_id, work).await?;
    state.asked.note(super::warm::Endpoint::Attribution, &req);
    Ok(Json(out))
}

/// Answers an attribution request for a site (shared with `parcours query attribution`).
pub async fn answer(
    state: &AppState,
    entry: &SiteEntry,
    req: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, ApiError> {
    let req: AttributionRequest = typed(req, "attribution request")?;
    let touch = match req.attribution.as_deref() {
        None | Some("first_touch") => Touch::First,
        Some("last_touch") => Touch::Last,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "attribution: first_touch or last_touch".into(),
            ))
        }
    };
    let dim_name = req.dimension.as_deref().unwrap_or("visit:channel");
    let column =
        match Dim::parse(dim_name, false)? {
            Dim::Visit(c) => c,
            _ => return Err(ApiError::BadRequest(
                "dimension: a visit dimension (visit:channel, visit:source, visit:utm_medium, ...)"
                    .into(),
            )),
        };
    let (_, range) = site_range(state, entry, &req.date_range, now).await?;
    let filter = Filter::parse_list(&req.filters)?;
    let defs = Definitions::load(state, entry.site.site_id).await?;
    let goal = defs.goal(&req.goal)?;
    let catalog = defs.catalog(&entry.site.timezone);
    let k = min_group_size(entry);
    let a = Attribution {
        site_id: entry.site.site_id,
        range: &range,
        filter: filter.as_ref(),
        catalog: &catalog,
        goal,
        column,
        touch,
    };
    let ans = attribution::run(&state.store, &a, k).await?;
    let all: Vec<Value> = ans.groups.iter().map(|(c, h)| row(c, *h)).collect();
    let (results, pagination) = req.pagination.unwrap_or_default().take(all, pages::ROWS);
    let mut total = row(&ans.total.0, ans.total.1);
    if let Some(o) = total.as_object_mut() {
        o.remove("value");
    }
    Ok(json!({
        "results": results,
        "total": total,
        "meta": {
            "goal": goal.name,
            "dimension": dim_name,
            "attribution": if touch == Touch::First { "first_touch" } else { "last_touch" },
            "touch": if touch == Touch::First {
                "the visitor's first visit in range"
            } else {
                "the visit of the conversion (the last visit for visitors who did not convert)"
            },
            "time_zone": entry.site.timezone,
            "date_range": [range.first_day.to_string(), range.last_day.to_string()],
            "visitor_id_lifetime": visitor_id_lifetime(state, entry),
            "visitor_ids": visitor_ids(state, entry),
            "min_group_size": k,
            "suppressed_groups": ans.suppressed,
            "pagination": pagination,
        },
    }))
}

/// One group; hidden counts (and their rate) are null.
fn row(c: &Credit, hidden: [bool; 2]) -> Value {
    let visitors = (!hidden[0]).then_some(c.visitors);
    let conversions = (!hidden[1]).then_some(c.conversions);
    let rate = match (visitors, conversions) {
        (Some(v), Some(n)) if v > 0 => {
            json!(((n as f64 / v as f64) * 10_000.0).round() / 100.0)
        }
        _ => Value::Null,
    };
    json!({"value": c.key, "visitors": visitors, "conversions": conversions, "conversion_rate": rate})
}
