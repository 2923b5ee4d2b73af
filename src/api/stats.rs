//! `POST /api/v2/query`: metrics by dimensions over a period, in the shape of
//! Plausible's Stats API v2, with an optional comparison period.
//!
//! The query itself is `query::stats`; this module parses the request, runs it for
//! both periods, orders and pages the rows and shapes the JSON (shared with
//! `parcours query stats`).

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authorize, scope_filters, Auth, Need};
use super::pages;
use super::{min_group_size, site_range, visitor_id_lifetime, visitor_ids, Definitions};
use crate::query::filter::{Bucket, Dim, Filter};
use crate::query::range::DateRange;
use crate::query::stats::{self, Metric, Sums, OTHER};
use crate::query::{compare, timeline};
use crate::server::admission::bounded;
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
    /// `{"comparisons": {"mode", "match_day_of_week", "date_range"}, "time_labels"}`.
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
    /// Every bucket label of the time dimension in `meta.time_labels`; with a time
    /// dimension alone, one row per bucket, zero-filled.
    #[serde(default)]
    pub time_labels: bool,
}

/// The comparison asked for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparisons {
    /// `previous_period`, `year_over_year` or `custom`.
    pub mode: String,
    /// Shift by whole weeks so weekdays line up (relative modes only).
    #[serde(default)]
    pub match_day_of_week: bool,
    /// The period compared with (`custom` only).
    #[serde(default)]
    pub date_range: Option<Value>,
}

fn default_limit() -> usize {
    10_000
}

/// Handles `POST /api/v2/query`.
pub async fn post_query(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut req: QueryRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("invalid query: {e}")))?;
    let entry = authorize(&state, &auth, &req.site_id, Need::Read)?;
    scope_filters(&auth, &mut req.filters);
    let now = chrono::Utc::now();
    let site_id = entry.site.site_id;
    let work = answer(&state, &entry, &req, now);
    Ok(Json(bounded(&state, site_id, work).await?))
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
    let (tz, range) = site_range(state, entry, &req.date_range, now).await?;
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
    let include = req.include.as_ref();
    let want_labels = include.is_some_and(|i| i.time_labels);
    let compared = match include.and_then(|i| i.comparisons.as_ref()) {
        Some(c) => {
            let mode = compare::Mode::parse(&c.mode, c.date_range.as_ref())?;
            Some(compare::period(
                &mode,
                c.match_day_of_week,
                &range,
                tz,
                now,
            )?)
        }
        None => None,
    };
    let timed: Vec<(usize, Bucket)> = dims
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            Dim::Time(b) => Some((i, *b)),
            _ => None,
        })
        .collect();
    if want_labels && timed.is_empty() {
        return Err(ApiError::BadRequest(
            "include.time_labels needs a time dimension".into(),
        ));
    }
    // Compared rows are lined up by bucket position, so a compared time dimension
    // needs the labels of both periods.
    let axes = if want_labels || compared.is_some() {
        timed
            .iter()
            .map(|&(index, bucket)| Axis::new(index, bucket, &range, compared.as_ref(), tz))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
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
    let rates = metrics.contains(&Metric::ConversionRate);
    let (main, prev) = match &compared {
        Some(period) => {
            let pq = stats::Query { range: period, ..q };
            let (main, prev) =
                tokio::try_join!(figures(state, &q, rates, k), figures(state, &pq, rates, k))?;
            (main, Some(prev))
        }
        None => (figures(state, &q, rates, k).await?, None),
    };
    // A series of one time dimension gets every bucket: empty ones as zeros, hidden
    // ones (under k) as null; `(other)` (their sum) is no bucket, so it is left out.
    let zero_fill = want_labels && dims.len() == 1;
    let mut rows: Vec<Sums> = if zero_fill {
        let mut by_key: HashMap<String, Sums> = main
            .ans
            .rows
            .iter()
            .map(|r| (r.key.clone(), r.clone()))
            .collect();
        axes[0]
            .labels
            .iter()
            .map(|l| by_key.remove(l).unwrap_or_else(|| zero(l)))
            .collect()
    } else {
        main.ans.rows.clone()
    };
    order(
        &mut rows,
        &req.order_by,
        &req.dimensions,
        &req.metrics,
        &dims,
    )?;
    let hidden: HashSet<&str> = main.ans.hidden.iter().map(String::as_str).collect();
    let prev_rows: HashMap<&str, &Sums> = prev
        .iter()
        .flat_map(|p| p.ans.rows.iter().map(|r| (r.key.as_str(), r)))
        .collect();
    let prev_hidden: HashSet<&str> = prev
        .iter()
        .flat_map(|p| p.ans.hidden.iter().map(String::as_str))
        .collect();
    let page = req.pagination.as_ref().map_or((0, default_limit()), |p| {
        (p.offset, p.limit.min(default_limit()))
    });
    let values = |s: &Sums, total: u64| -> Vec<Value> {
        metrics.iter().map(|m| m.value(s, total)).collect()
    };
    let parts = |key: &str| -> Vec<String> {
        if dims.is_empty() {
            vec![]
        } else {
            stats::key_parts(key, dims.len())
        }
    };
    let results: Vec<Value> = rows
        .iter()
        .skip(page.0)
        .take(page.1)
        .map(|r| {
            let shown = !hidden.contains(r.key.as_str());
            let mut row = json!({
                "metrics": shown.then(|| values(r, main.total)),
                "dimensions": parts(&r.key),
            });
            if let Some(p) = &prev {
                let key = counterpart(&axes, dims.len(), &r.key);
                let then: Option<Sums> = key.as_deref().and_then(|k| match prev_rows.get(k) {
                    Some(s) => Some((*s).clone()),
                    None if zero_fill && !prev_hidden.contains(k) => Some(zero(k)),
                    None => None,
                });
                let change = then.as_ref().filter(|_| shown).map(|t| {
                    metrics
                        .iter()
                        .map(|m| {
                            compare::change(*m, &basis(*m, r, main.total), &basis(*m, t, p.total))
                        })
                        .collect::<Vec<_>>()
                });
                row["comparison"] = json!({
                    "dimensions": key.as_deref().map(parts),
                    "metrics": then.as_ref().map(|t| values(t, p.total)),
                    "change": change,
                });
            }
            row
        })
        .collect();
    let mut meta = json!({
        "time_zone": site.timezone,
        "date_range": [range.first_day.to_string(), range.last_day.to_string()],
        "min_group_size": k,
        "suppressed_groups": main.ans.suppressed,
        "total_rows": rows.len(),
        "pagination": pages::describe(page.1, page.0, rows.len(), page.0.saturating_add(page.1).min(rows.len())),
        "visitor_id_lifetime": visitor_id_lifetime(state, entry),
        "visitor_ids": visitor_ids(state, entry),
        "visits_end_at_utc_midnight": true,
    });
    if want_labels {
        meta["time_labels"] = json!(axes[0].labels);
    }
    if let (Some(period), Some(p)) = (&compared, &prev) {
        meta["comparison_date_range"] =
            json!([period.first_day.to_string(), period.last_day.to_string()]);
        meta["comparison_suppressed_groups"] = json!(p.ans.suppressed);
        if want_labels {
            meta["comparison_time_labels"] = json!(axes[0].compared);
        }
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

/// One period's answer and its visitors (the denominator of conversion rates).
struct Figures {
    ans: stats::Answer,
    total: u64,
}

/// Runs the query for one period; with conversion rates, also the period's visitors
/// under the filter without its goal conditions.
async fn figures(
    state: &AppState,
    q: &stats::Query<'_>,
    rates: bool,
    k: u64,
) -> Result<Figures, ApiError> {
    let ans = stats::run(&state.store, q, k).await?;
    let total = if rates {
        let base = q.filter.and_then(Filter::without_goals);
        stats::total_visitors(&state.store, q, base.as_ref()).await?
    } else {
        ans.total_visitors
    };
    Ok(Figures { ans, total })
}

/// An empty group.
fn zero(key: &str) -> Sums {
    Sums {
        key: key.to_owned(),
        ..Sums::default()
    }
}

/// A metric's value as its change is computed from: the bounce rate of no visit, or a
/// conversion rate of no visitor, is unknown rather than 0.
fn basis(m: Metric, s: &Sums, total: u64) -> Value {
    match m {
        Metric::BounceRate if s.visits == 0 => Value::Null,
        Metric::ConversionRate if total == 0 => Value::Null,
        _ => m.value(s, total),
    }
}

/// The buckets of one time dimension in the period and in the compared period.
struct Axis {
    /// Position of the dimension in the query.
    index: usize,
    /// Every bucket label of the period, in order.
    labels: Vec<String>,
    /// Each label's position in `labels`.
    position: HashMap<String, usize>,
    /// Every bucket label of the compared period (empty without a comparison).
    compared: Vec<String>,
}

impl Axis {
    fn new(
        index: usize,
        bucket: Bucket,
        range: &DateRange,
        compared: Option<&DateRange>,
        tz: chrono_tz::Tz,
    ) -> Result<Self, ApiError> {
        let labels = timeline::labels(bucket, range, tz)?;
        let compared = match compared {
            Some(r) => timeline::labels(bucket, r, tz)?,
            None => Vec::new(),
        };
        let position = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        Ok(Self {
            index,
            labels,
            position,
            compared,
        })
    }
}

/// The key of the compared row that stands beside `key`: the same key, with each time
/// bucket replaced by the compared period's bucket at the same position (none when
/// that period has fewer buckets).
fn counterpart(axes: &[Axis], n: usize, key: &str) -> Option<String> {
    if key == OTHER || axes.is_empty() {
        return Some(key.to_owned());
    }
    let mut parts = stats::key_parts(key, n);
    for a in axes {
        let at = *a.position.get(parts.get(a.index)?)?;
        parts[a.index] = a.compared.get(at)?.clone();
    }
    Some(stats::key_of(&parts))
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
