//! Stats queries: visitors, visits and pageviews over a date range, optionally by page.
//!
//! Sessions are derived at query time from each visitor's ordered events (30 minutes
//! of inactivity ends a visit), with the portable array forms of clickhouse-notes
//! (no window functions, no `neighbor`). Every grouped answer goes through
//! minimum-group-size suppression before it leaves this module.
//!
//! Deliberately not here yet: filters, the other dimensions and metrics, funnels and
//! journeys (issue "Journeys, funnels and attribution").

pub mod range;

use serde::{Deserialize, Serialize};

use crate::store::sites::Site;
use crate::store::{Store, StoreError};
use range::DateRange;

/// Inactivity that ends a visit, in milliseconds.
const SESSION_GAP_MS: i64 = 30 * 60 * 1000;

/// Errors of a stats query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query asks for something invalid or unsupported; the text says what.
    #[error("{0}")]
    Invalid(String),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A metric the API can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Unique visitor ids.
    Visitors,
    /// Sessions.
    Visits,
    /// Pageview events.
    Pageviews,
}

impl Metric {
    /// Parses an API metric name.
    pub fn parse(name: &str) -> Result<Self, QueryError> {
        match name {
            "visitors" => Ok(Self::Visitors),
            "visits" => Ok(Self::Visits),
            "pageviews" => Ok(Self::Pageviews),
            other => Err(QueryError::Invalid(format!(
                "unsupported metric {other:?}; supported: visitors, visits, pageviews"
            ))),
        }
    }
}

/// A dimension the API can group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// `event:page`: the scrubbed pathname of pageviews.
    Page,
}

impl Dimension {
    /// Parses an API dimension name.
    pub fn parse(name: &str) -> Result<Self, QueryError> {
        match name {
            "event:page" => Ok(Self::Page),
            other => Err(QueryError::Invalid(format!(
                "unsupported dimension {other:?}; supported: event:page"
            ))),
        }
    }
}

/// The three counts every answer row carries; the API picks the requested ones.
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct Counts {
    /// Unique visitors.
    pub visitors: u64,
    /// Visits.
    pub visits: u64,
    /// Pageviews.
    pub pageviews: u64,
}

impl Counts {
    /// The value of one metric.
    pub fn get(&self, m: Metric) -> u64 {
        match m {
            Metric::Visitors => self.visitors,
            Metric::Visits => self.visits,
            Metric::Pageviews => self.pageviews,
        }
    }
}

/// One row of a grouped answer.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct GroupRow {
    /// The dimension value (`(other)` for the folded row).
    pub group: String,
    /// Unique visitors.
    pub visitors: u64,
    /// Visits.
    pub visits: u64,
    /// Pageviews.
    pub pageviews: u64,
}

/// A grouped answer after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouped {
    /// Rows shown, largest first, with `(other)` last when it is large enough.
    pub rows: Vec<GroupRow>,
    /// Groups hidden (folded into `(other)`, or dropped with it).
    pub suppressed: usize,
}

/// Label of the row holding folded small groups.
pub const OTHER: &str = "(other)";

/// The `WHERE` clause every query shares; binds: site, two UTC days, two instants.
pub const RANGE_WHERE: &str = "site_id = ? \
    AND toDate(timestamp) >= toDate(?) AND toDate(timestamp) <= toDate(?) \
    AND timestamp >= toDateTime(?) AND timestamp < toDateTime(?)";

fn bind_range(q: clickhouse::query::Query, site: &Site, r: &DateRange) -> clickhouse::query::Query {
    let (d1, d2) = r.utc_days();
    q.bind(site.site_id)
        .bind(d1)
        .bind(d2)
        .bind(r.from)
        .bind(r.to)
}

/// Totals for the range.
pub async fn totals(store: &Store, site: &Site, range: &DateRange) -> Result<Counts, QueryError> {
    let q = bind_range(store.client().query(&totals_sql()), site, range);
    let rows = q.fetch_all::<Counts>().await.map_err(StoreError::from)?;
    Ok(rows.into_iter().next().unwrap_or_default())
}

/// SQL of [`totals`]; binds as [`RANGE_WHERE`].
pub fn totals_sql() -> String {
    format!(
        "SELECT count() AS visitors, \
                sum(1 + arrayCount(d -> d > {SESSION_GAP_MS}, arrayDifference(ts))) AS visits, \
                sum(pv) AS pageviews \
         FROM ( \
            SELECT visitor_id, \
                   arraySort(groupArray(toInt64(timestamp) * 1000 + timestamp_ms)) AS ts, \
                   countIf(name = 'pageview') AS pv \
            FROM events WHERE {RANGE_WHERE} GROUP BY visitor_id)"
    )
}

/// Per-page counts with sessions: `ARRAY JOIN` of each visitor's ordered events, each
/// tagged with its visit number. `{GROUP}` is the grouping expression.
const BY_PAGE: &str = "SELECT {GROUP} AS grp, uniqExact(visitor_id) AS visitors, \
        uniqExact(visitor_id, sid) AS visits, count() AS pageviews \
    FROM ( \
        SELECT visitor_id, ev.2 AS page, ev.3 AS is_pv, sid \
        FROM ( \
            SELECT visitor_id, \
                   arraySort(x -> x.1, groupArray((toInt64(timestamp) * 1000 + timestamp_ms, pathname, name = 'pageview'))) AS evs, \
                   arrayCumSum(arrayMap(d -> if(d > {GAP}, 1, 0), arrayDifference(arrayMap(x -> x.1, evs)))) AS sids \
            FROM events WHERE {WHERE} GROUP BY visitor_id \
        ) ARRAY JOIN evs AS ev, sids AS sid \
    ) WHERE is_pv = 1 \
    GROUP BY grp";

/// Pages by visitors, with groups under `k` visitors folded into `(other)`.
///
/// Complementary suppression: if `(other)` is itself under `k`, the smallest shown
/// groups are folded into it until it reaches `k` (or nothing is shown), so that no
/// hidden count can be recovered by subtracting shown rows from the totals.
pub async fn by_page(
    store: &Store,
    site: &Site,
    range: &DateRange,
    k: u64,
) -> Result<Grouped, QueryError> {
    let all = bind_range(store.client().query(&by_page_sql(None)), site, range)
        .fetch_all::<GroupRow>()
        .await
        .map_err(StoreError::from)?;
    let (mut shown, mut hidden): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| r.visitors >= k);
    shown.sort_by(|a, b| {
        b.visitors
            .cmp(&a.visitors)
            .then_with(|| a.group.cmp(&b.group))
    });
    let mut other = None;
    // Each round folds one more shown group; a handful of rounds settles real data.
    for _ in 0..20 {
        if hidden.is_empty() {
            break;
        }
        let o = other_row(store, site, range, &shown, &hidden).await?;
        if o.visitors >= k {
            other = Some(o);
            break;
        }
        match shown.pop() {
            Some(smallest) => hidden.push(smallest),
            None => break,
        }
    }
    let suppressed = hidden.len();
    shown.extend(other);
    Ok(Grouped {
        rows: shown,
        suppressed,
    })
}

/// SQL of the per-page query: grouped by page, or, with a page `condition` (one more
/// bind: an array of pages), one `(other)` row over the pages it selects.
pub fn by_page_sql(condition: Option<&str>) -> String {
    let sql = BY_PAGE
        .replace("{GAP}", &SESSION_GAP_MS.to_string())
        .replace("{WHERE}", RANGE_WHERE);
    match condition {
        None => sql.replace("{GROUP}", "page"),
        Some(c) => sql
            .replace("{GROUP}", &format!("'{OTHER}'"))
            .replace("WHERE is_pv = 1", &format!("WHERE is_pv = 1 AND {c}")),
    }
}

/// Exact counts over the folded pages (visitors are not additive across pages).
async fn other_row(
    store: &Store,
    site: &Site,
    range: &DateRange,
    shown: &[GroupRow],
    hidden: &[GroupRow],
) -> Result<GroupRow, QueryError> {
    // Name whichever list is shorter: a long tail of thousands of pages would
    // otherwise make the query text exceed ClickHouse's max_query_size.
    let (pages, condition) = if shown.len() < hidden.len() {
        (shown, "NOT has(?, page)")
    } else {
        (hidden, "has(?, page)")
    };
    let pages: Vec<&str> = pages.iter().map(|r| r.group.as_str()).collect();
    let rows = bind_range(
        store.client().query(&by_page_sql(Some(condition))),
        site,
        range,
    )
    .bind(pages)
    .fetch_all::<GroupRow>()
    .await
    .map_err(StoreError::from)?;
    Ok(rows.into_iter().next().unwrap_or(GroupRow {
        group: OTHER.into(),
        visitors: 0,
        visits: 0,
        pageviews: 0,
    }))
}
