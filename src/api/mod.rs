//! The stats API: `POST /api/v2/query`, in the shape of Plausible's Stats API v2.
//!
//! Request: `{"site_id", "metrics", "date_range", "dimensions", "pagination"}`.
//! Answer: `{"results": [{"metrics": [...], "dimensions": [...]}], "meta": {...}, "query": {...}}`.
//! Authentication: `Authorization: Bearer <API key>`; a key opens its own site only.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::query::{self, Dimension, Metric, QueryError};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::keys;

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest {
    /// Site domain (or numeric id).
    pub site_id: String,
    /// Metric names.
    pub metrics: Vec<String>,
    /// Period name or `[from, to]`.
    pub date_range: Value,
    /// Dimension names (at most one for now).
    #[serde(default)]
    pub dimensions: Vec<String>,
    /// Filters (not supported yet: a non-empty list is rejected, never ignored).
    #[serde(default)]
    pub filters: Vec<Value>,
    /// `{"limit", "offset"}`.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// Result paging.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Rows per page (default 10,000).
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// Rows skipped.
    #[serde(default)]
    pub offset: usize,
}

fn default_limit() -> usize {
    10_000
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Invalid(msg) => ApiError::BadRequest(msg),
            QueryError::Store(e) => ApiError::internal(e),
        }
    }
}

/// Handles `POST /api/v2/query`.
pub async fn post_query(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    let key_site = keys::site_for(&state.store, key.trim())
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::Unauthorized)?;
    let req: QueryRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("invalid query: {e}")))?;
    let entry = state
        .sites
        .find(&req.site_id)
        .ok_or_else(|| ApiError::NotFound(format!("unknown site {:?}", req.site_id)))?;
    let site = &entry.site;
    if site.site_id != key_site {
        return Err(ApiError::Forbidden);
    }
    if !req.filters.is_empty() {
        return Err(ApiError::BadRequest("filters are not supported yet".into()));
    }
    if req.metrics.is_empty() {
        return Err(ApiError::BadRequest(
            "metrics must name at least one metric".into(),
        ));
    }
    let metrics = req
        .metrics
        .iter()
        .map(|m| Metric::parse(m))
        .collect::<Result<Vec<_>, _>>()?;
    let dimension = match req.dimensions.as_slice() {
        [] => None,
        [d] => Some(Dimension::parse(d)?),
        _ => {
            return Err(ApiError::BadRequest(
                "at most one dimension is supported yet".into(),
            ))
        }
    };
    let tz: chrono_tz::Tz = site.timezone.parse().unwrap_or(chrono_tz::UTC);
    let range = query::range::parse(&req.date_range, tz, chrono::Utc::now())?;
    let k = u64::from(site.min_group_size.max(1));
    let (results, suppressed) = match dimension {
        None => {
            let c = query::totals(&state.store, site, &range).await?;
            let values: Vec<u64> = metrics.iter().map(|m| c.get(*m)).collect();
            (vec![json!({ "metrics": values, "dimensions": [] })], 0)
        }
        Some(Dimension::Page) => {
            let grouped = query::by_page(&state.store, site, &range, k).await?;
            let page = req.pagination.unwrap_or(Pagination {
                limit: default_limit(),
                offset: 0,
            });
            let rows = grouped
                .rows
                .iter()
                .skip(page.offset)
                .take(page.limit.min(10_000))
                .map(|r| {
                    let c = query::Counts {
                        visitors: r.visitors,
                        visits: r.visits,
                        pageviews: r.pageviews,
                    };
                    let values: Vec<u64> = metrics.iter().map(|m| c.get(*m)).collect();
                    json!({ "metrics": values, "dimensions": [r.group] })
                })
                .collect();
            (rows, grouped.suppressed)
        }
    };
    Ok(Json(json!({
        "results": results,
        "meta": {
            "time_zone": site.timezone,
            "date_range": [range.first_day.to_string(), range.last_day.to_string()],
            "min_group_size": k,
            "suppressed_groups": suppressed,
            "visitor_id_lifetime": if state.consent.key_for(site.site_id).is_some() {
                "1 day; longer for visitors who consented"
            } else {
                "1 day"
            },
        },
        "query": {
            "site_id": site.domain,
            "metrics": req.metrics,
            "dimensions": req.dimensions,
        },
    })))
}
