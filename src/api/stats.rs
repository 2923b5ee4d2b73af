//! `POST /api/v2/query`: metrics by dimensions over a period, in the shape of
//! Plausible's Stats API v2, with an optional comparison period.
//!
//! The query itself is `query::stats`; this module parses the request, runs it for
//! both periods, orders and pages the rows and shapes the JSON (shared with
//! `parcours query stats`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{authorize, min_group_size, site_range, visitor_id_lifetime, visitor_ids, Definitions};
use crate::query::filter::{Dim, Filter};
use crate::query::range;
use crate::query::stats::{self, Metric, Sums, OTHER};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

/// The request body of `POST /api/v2/query`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest {
    /// Site domain (or numeric id).
    pub site_id: String,
    /// Metric names.
    pub metrics: Vec<String>,
    /// Period name or `[from, to]`.
    pub date_range: Value,
    /// Dimension names.
    #[serde(default)]
    pub dimensions: Vec<String>,
    /// Filters: `[op, dimension, values]`, `["and"|"or", [..]]`, `["not", f]`.
    #[serde(default)]
    pub filters: Vec<Value>,
    /// `[[metric or dimension, "asc"|"desc"], ..]`.
    #[serde(default)]
    pub order_by: Vec<(String, String)>,
    /// `{"limit", "offset"}`.
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// `{"comparisons": {"mode": "previous_period"}}`.
    #[serde(default)]
    pub include: Option<Include>,
}

/// Result paging.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Rows per page (default and maximum 10,000).
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// Rows skipped.
    #[serde(default)]
    pub offset: usize,
}

/// Optional parts of the answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    /// Comparison with another period.
    #[serde(default)]
    pub comparisons: Option<Comparisons>,
}

/// The comparison asked for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparisons {
    /// Only `previous_period`.
    pub mode: String,
}

fn default_limit() -> usize {
    10_000
}

/// Handles `POST /api/v2/query`.
pub async fn post_query(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let req: QueryRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("invalid query: {e}")))?;
    let entry = authorize(&state, &headers, &req.site_id).await?;
    let now = chrono::Utc::now();
    Ok(Json(answer(&state, &entry, &req, now).await?))
}

/// Answers a parsed query for a site (shared with `parcours query`).
pub async fn answer(
    state: &AppState,
    entry: &SiteEntry,
    req: &QueryRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Value, ApiError> {
    let site = &entry.site;
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
    let (tz, range) = site_range(entry, &req.date_range, now)?;
    if req.dimensions.len() > 3 {
        return Err(ApiError::BadRequest("at most 3 dimensions".into()));
    }
    let one_day = range.first_day == range.last_day;
    let dims = req
        .dimensions
        .iter()
        .map(|d| Dim::parse(d, one_day))
        .collect::<Result<Vec<_>, _>>()?;
    let filter = Filter::parse_list(&req.filters)?;
    let defs = Definitions::load(state, site.site_id).await?;
    let catalog = defs.catalog(&site.timezone);
    let k = min_group_size(entry);
    let q = stats::Query {
        site_id: site.site_id,
        range: &range,
        dims: &dims,
        filter: filter.as_ref(),
        catalog: &catalog,
    };
    let mut ans = stats::run(&state.store, &q, k).await?;
    let total_visitors = if metrics.contains(&Metric::ConversionRate) {
        let base = filter.as_ref().and_then(Filter::without_goals);
        stats::total_visitors(&state.store, &q, base.as_ref()).await?
    } else {
        ans.total_visitors
    };
    order(
        &mut ans.rows,
        &req.order_by,
        &req.dimensions,
        &req.metrics,
        &dims,
    )?;
    let comparison = match req.include.as_ref().and_then(|i| i.comparisons.as_ref()) {
        None => None,
        Some(c) if c.mode == "previous_period" => {
            let days = (range.last_day - range.first_day).num_days() as u64 + 1;
            let first = range.first_day - chrono::Days::new(days);
            let last = range.first_day - chrono::Days::new(1);
            let prev = range::parse(&json!([first.to_string(), last.to_string()]), tz, now)?;
            let pq = stats::Query { range: &prev, ..q };
            let pans = stats::run(&state.store, &pq, k).await?;
            let ptotal = if metrics.contains(&Metric::ConversionRate) {
                let base = filter.as_ref().and_then(Filter::without_goals);
                stats::total_visitors(&state.store, &pq, base.as_ref()).await?
            } else {
                pans.total_visitors
            };
            Some((prev, pans, ptotal))
        }
        Some(c) => {
            return Err(ApiError::BadRequest(format!(
                "unsupported comparison mode {:?}; use previous_period",
                c.mode
            )))
        }
    };
    let page = req.pagination.as_ref().map_or((0, default_limit()), |p| {
        (p.offset, p.limit.min(default_limit()))
    });
    let values = |s: &Sums, total: u64| -> Vec<Value> {
        metrics.iter().map(|m| m.value(s, total)).collect()
    };
    let results: Vec<Value> = ans
        .rows
        .iter()
        .skip(page.0)
        .take(page.1)
        .map(|r| {
            let mut row = json!({
                "metrics": values(r, total_visitors),
                "dimensions": if dims.is_empty() { vec![] } else { stats::key_parts(&r.key, dims.len()) },
            });
            if let Some((_, pans, ptotal)) = &comparison {
                let prev = pans.rows.iter().find(|p| p.key == r.key);
                row["comparison"] = json!({
                    "metrics": prev.map(|p| values(p, *ptotal)),
                });
            }
            row
        })
        .collect();
    let mut meta = json!({
        "time_zone": site.timezone,
        "date_range": [range.first_day.to_string(), range.last_day.to_string()],
        "min_group_size": k,
        "suppressed_groups": ans.suppressed,
        "total_rows": ans.rows.len(),
        "visitor_id_lifetime": visitor_id_lifetime(state, entry),
        "visitor_ids": visitor_ids(state, entry),
        "visits_end_at_utc_midnight": true,
    });
    if let Some((prev, pans, _)) = &comparison {
        meta["comparison_date_range"] =
            json!([prev.first_day.to_string(), prev.last_day.to_string()]);
        meta["comparison_suppressed_groups"] = json!(pans.suppressed);
    }
    Ok(json!({
        "results": results,
        "meta": meta,
        "query": {
            "site_id": site.domain,
            "metrics": req.metrics,
            "dimensions": req.dimensions,
            "date_range": [range.first_day.to_string(), range.last_day.to_string()],
            "filters": req.filters,
        },
    }))
}

/// Sorts rows as asked (default: time ascending for time dimensions, else visitors
/// descending); `(other)` stays last.
fn order(
    rows: &mut [Sums],
    order_by: &[(String, String)],
    dim_names: &[String],
    metric_names: &[String],
    dims: &[Dim],
) -> Result<(), ApiError> {
    let other_last = |a: &Sums, b: &Sums| (a.key == OTHER).cmp(&(b.key == OTHER));
    if order_by.is_empty() {
        if dims.iter().any(|d| matches!(d, Dim::Time(_))) {
            rows.sort_by(|a, b| other_last(a, b).then_with(|| a.key.cmp(&b.key)));
        }
        return Ok(());
    }
    let mut keys = Vec::new();
    for (field, dir) in order_by {
        let desc = match dir.as_str() {
            "desc" => true,
            "asc" => false,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "order_by direction {other:?}: use asc or desc"
                )))
            }
        };
        if let Some(i) = dim_names.iter().position(|d| d == field) {
            keys.push((Err(i), desc));
        } else if metric_names.contains(field) {
            keys.push((Ok(Metric::parse(field)?), desc));
        } else {
            return Err(ApiError::BadRequest(format!(
                "order_by names {field:?}, which is neither a requested metric nor a dimension"
            )));
        }
    }
    let n = dims.len();
    rows.sort_by(|a, b| {
        let mut o = other_last(a, b);
        for (key, desc) in &keys {
            let c = match key {
                Ok(m) => {
                    let (x, y) = (m.value(a, 1).as_f64(), m.value(b, 1).as_f64());
                    x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
                }
                Err(i) => stats::key_parts(&a.key, n)
                    .get(*i)
                    .cmp(&stats::key_parts(&b.key, n).get(*i)),
            };
            o = o.then(if *desc { c.reverse() } else { c });
        }
        o
    });
    Ok(())
}
