//! The stats API, in the shape of Plausible's Stats API v2, and the definitions API.
//!
//! * `POST /api/v2/query`: `{"site_id", "metrics", "date_range", "dimensions",
//!   "filters", "order_by", "pagination", "include": {"comparisons": {"mode":
//!   "previous_period"}}}` → `{"results": [{"dimensions", "metrics", "comparison"?}],
//!   "meta", "query"}`.
//! * `POST /api/v2/realtime`: `{"site_id"}` → the last five minutes (`realtime`).
//! * `GET|POST|DELETE /api/v2/goals`, `GET|POST|DELETE /api/v2/content_groups`.
//!
//! Authentication: `Authorization: Bearer <API key>`; a key opens its own site only.

pub mod attribution;
pub mod definitions;
pub mod funnel;
pub mod journeys;
pub mod realtime;
pub mod warm;

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::query::filter::{Catalog, Dim, Filter};
use crate::query::stats::{self, Metric, Sums, OTHER};
use crate::query::{range, QueryError};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::goals;
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

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Invalid(msg) => ApiError::BadRequest(msg),
            QueryError::Store(e) => ApiError::internal(e),
        }
    }
}

/// The site a request may read: the key's own site, named by domain or id.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    site_id: &str,
) -> Result<Arc<SiteEntry>, ApiError> {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    let key_site = state
        .keys
        .site_for(&state.store, key.trim())
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::Unauthorized)?;
    let entry = state
        .sites
        .find(site_id)
        .ok_or_else(|| ApiError::NotFound(format!("unknown site {site_id:?}")))?;
    if entry.site.site_id != key_site {
        return Err(ApiError::Forbidden);
    }
    Ok(entry)
}

/// Parses a request body as JSON and authorizes its `site_id`: the opening of every
/// `POST` handler whose answer is shared with `parcours query`.
pub async fn site_request(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    what: &str,
) -> Result<(Value, Arc<SiteEntry>), ApiError> {
    let req: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("invalid {what}: {e}")))?;
    let site = req.get("site_id").and_then(Value::as_str).unwrap_or("");
    let entry = authorize(state, headers, site).await?;
    Ok((req, entry))
}

/// A request body as its typed form, with the same error as the handler's.
pub fn typed<T: serde::de::DeserializeOwned>(req: &Value, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(req.clone())
        .map_err(|e| ApiError::BadRequest(format!("invalid {what}: {e}")))
}

/// A site's goals and content groups, loaded once per request.
pub struct Definitions {
    /// Goals.
    pub goals: Vec<goals::Goal>,
    /// Content groups.
    pub groups: Vec<goals::ContentGroup>,
}

impl Definitions {
    /// Loads the site's definitions.
    pub async fn load(state: &AppState, site_id: u32) -> Result<Self, ApiError> {
        // Both at once: each round trip to ClickHouse costs some 15 ms of a query.
        let (goals, groups) = tokio::try_join!(
            goals::goals(&state.store, site_id),
            goals::groups(&state.store, site_id)
        )
        .map_err(ApiError::internal)?;
        Ok(Self { goals, groups })
    }

    /// The goal named `name`, or a 400 saying the site has none.
    pub fn goal(&self, name: &str) -> Result<&goals::Goal, ApiError> {
        self.goals
            .iter()
            .find(|g| g.name == name)
            .ok_or_else(|| ApiError::BadRequest(format!("the site has no goal named {name:?}")))
    }

    /// The query compiler's view of them.
    pub fn catalog<'a>(&'a self, timezone: &'a str) -> Catalog<'a> {
        Catalog {
            goals: &self.goals,
            groups: &self.groups,
            timezone,
        }
    }
}

/// The site's minimum group size (k), at least 1.
pub fn min_group_size(entry: &SiteEntry) -> u64 {
    u64::from(entry.site.min_group_size.max(1))
}

/// Whether the site has consented cross-day journeys (a consent key).
pub fn consented_journeys(state: &AppState, entry: &SiteEntry) -> bool {
    state.consent.key_for(entry.site.site_id).is_some()
}

/// How long the site's visitor ids live, as stated in answers, for people.
pub fn visitor_id_lifetime(state: &AppState, entry: &SiteEntry) -> &'static str {
    if consented_journeys(state, entry) {
        "1 day; longer for visitors who consented"
    } else {
        "1 day"
    }
}

/// The same as a stable code for programs (`meta.visitor_ids`): `daily` or
/// `daily_and_consented`.
pub fn visitor_ids(state: &AppState, entry: &SiteEntry) -> &'static str {
    if consented_journeys(state, entry) {
        "daily_and_consented"
    } else {
        "daily"
    }
}

/// The site's time zone and the parsed date range.
pub fn site_range(
    entry: &SiteEntry,
    date_range: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(chrono_tz::Tz, range::DateRange), ApiError> {
    let tz: chrono_tz::Tz = entry.site.timezone.parse().unwrap_or(chrono_tz::UTC);
    Ok((tz, range::parse(date_range, tz, now)?))
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
