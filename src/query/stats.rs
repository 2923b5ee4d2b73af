//! The aggregate query behind `POST /api/v2/query`: metrics by dimensions over
//! visitor-day rows, filtered, with minimum-group-size suppression.
//!
//! One query shape serves every combination: an inner SELECT per source part (built
//! visitor-days, or the open tail sessionized on the fly by `materialize`) computes per
//! row which events pass the filter (`e_ok`), which visits are included (`s_inc`) and
//! each visit's or event's group key; the aggregate SELECT `ARRAY JOIN`s visits
//! (visit-level keys) or events (event-level keys) and sums by key. Unfiltered queries
//! by one dimension read whole built days from the job's sums of the same aggregate
//! (`rollup`) instead; the last SELECT adds both up.
//!
//! Visitors are counted without hashing where ids are daily: a non-consented visitor
//! id lives in one UTC day, so "first included visit (or event) of this key in the row"
//! counts each visitor once, and days add up. Consented ids span days: their lists go
//! up to the last SELECT, which counts each id once.

use chrono::NaiveDate;
use serde::Deserialize;

use super::answers;
use super::filter::{dim_needs, Catalog, Dim, Filter};
use super::range::DateRange;
use super::rollup;
use super::source::{event_args, push_filter, Part, Sources};
use super::sql::{Bind, Sql};
use super::QueryError;
use crate::store::{Store, StoreError};

/// Label of the row holding folded small groups.
pub const OTHER: &str = "(other)";
/// Most bytes of group keys named in one statement to fold small groups into `(other)`
/// (the statement raises its `max_query_size` to fit them, see `bounds::apply`).
pub const MAX_FOLD_BYTES: usize = 4 << 20;
/// Separator of the parts of a multi-dimension key.
const SEP: char = '\u{1f}';

/// Raw sums of one group, from which every metric is derived.
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Deserialize)]
pub struct Sums {
    /// Group key (dimension values joined by U+001F).
    pub key: String,
    /// Unique visitors.
    pub visitors: u64,
    /// Visits.
    pub visits: u64,
    /// Pageviews (that pass the filter).
    pub pageviews: u64,
    /// Events (that pass the filter).
    pub events: u64,
    /// Bounced visits.
    pub bounces: u64,
    /// Total visit duration, ms.
    pub duration_ms: u64,
    /// Pageviews of the counted visits (for views per visit).
    pub visit_pageviews: u64,
    /// Time on page: summed ms to the next event, over pageviews followed by one.
    pub top_ms: u64,
    /// Pageviews followed by another event in their visit.
    pub top_n: u64,
}

/// A metric of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Unique visitors.
    Visitors,
    /// Visits.
    Visits,
    /// Pageviews.
    Pageviews,
    /// Pageviews per visit.
    ViewsPerVisit,
    /// Share of visits with one pageview and no other event, %.
    BounceRate,
    /// Mean visit duration, seconds.
    VisitDuration,
    /// Events (pageviews and custom events).
    Events,
    /// Visitors of the group over visitors of the period, %.
    ConversionRate,
    /// Mean seconds from a pageview to the next event of its visit.
    TimeOnPage,
}

impl Metric {
    /// Parses an API metric name.
    pub fn parse(name: &str) -> Result<Self, QueryError> {
        Ok(match name {
            "visitors" => Self::Visitors,
            "visits" => Self::Visits,
            "pageviews" => Self::Pageviews,
            "views_per_visit" => Self::ViewsPerVisit,
            "bounce_rate" => Self::BounceRate,
            "visit_duration" => Self::VisitDuration,
            "events" => Self::Events,
            "conversion_rate" => Self::ConversionRate,
            "time_on_page" => Self::TimeOnPage,
            other => {
                return Err(QueryError::Invalid(format!(
                    "unknown metric {:?}; supported: visitors, visits, pageviews, views_per_visit, bounce_rate, visit_duration, events, conversion_rate, time_on_page",
                    other.chars().take(80).collect::<String>()
                )))
            }
        })
    }

    /// The metric's value for a group; `total_visitors` is the period's (for rates).
    pub fn value(self, s: &Sums, total_visitors: u64) -> serde_json::Value {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let round = |x: f64, d: i32| (x * 10f64.powi(d)).round() / 10f64.powi(d);
        match self {
            Self::Visitors => s.visitors.into(),
            Self::Visits => s.visits.into(),
            Self::Pageviews => s.pageviews.into(),
            Self::Events => s.events.into(),
            Self::ViewsPerVisit => round(ratio(s.visit_pageviews, s.visits), 2).into(),
            Self::BounceRate => (round(ratio(s.bounces, s.visits) * 100.0, 0) as u64).into(),
            Self::VisitDuration => {
                (round(ratio(s.duration_ms, s.visits) / 1000.0, 0) as u64).into()
            }
            Self::ConversionRate => round(ratio(s.visitors, total_visitors) * 100.0, 2).into(),
            Self::TimeOnPage if s.top_n == 0 => serde_json::Value::Null,
            Self::TimeOnPage => (round(ratio(s.top_ms, s.top_n) / 1000.0, 0) as u64).into(),
        }
    }
}

/// One stats query, parsed.
pub struct Query<'a> {
    /// Site id.
    pub site_id: u32,
    /// Date range.
    pub range: &'a DateRange,
    /// Dimensions (may be empty).
    pub dims: &'a [Dim],
    /// Filter.
    pub filter: Option<&'a Filter>,
    /// Site goals, groups and time zone.
    pub catalog: &'a Catalog<'a>,
}

/// Keys to fold into `(other)`: every key in `keys` (`hide = true`), or every key not
/// in it.
pub(crate) struct Fold<'a> {
    keys: &'a [String],
    hide: bool,
}

/// Stats as a stored answer: the group, its sums from `visitors` on, and the consented
/// ids as histogram keys (a set, so ids seen on several days count once).
const COLUMNS: &str = "[grp] AS k1, emptyArrayString() AS k2, \
    [vd, visits, pageviews, events, bounces, duration_ms, visit_pageviews, top_ms, top_n] AS nums, \
    arrayDistinct(ids) AS hk, arrayResize([toUInt64(1)], length(hk), toUInt64(1)) AS hc";

const KIND: answers::Kind = answers::Kind {
    name: "stats",
    columns: Some(COLUMNS),
    whole_rows: true,
};

/// The sums of a stored answer's group.
fn from_summed(r: answers::Summed) -> Sums {
    let n = |i: usize| r.nums.get(i).copied().unwrap_or(0);
    Sums {
        key: r.k1.first().cloned().unwrap_or_default(),
        visitors: n(0) + r.hk.len() as u64,
        visits: n(1),
        pageviews: n(2),
        events: n(3),
        bounces: n(4),
        duration_ms: n(5),
        visit_pageviews: n(6),
        top_ms: n(7),
        top_n: n(8),
    }
}

/// Runs the query: one row per group, unsuppressed, in no particular order. Queries
/// the job's rollups do not answer (filtered, several dimensions, folds) read closed
/// days from stored partial answers (`answers`).
async fn fetch(
    store: &Store,
    q: &Query<'_>,
    src: &Sources,
    fold: Option<Fold<'_>>,
) -> Result<Vec<Sums>, QueryError> {
    if rolled_dim(q, fold.as_ref()).is_none() {
        let fold = fold.as_ref();
        let compile = |src: &Sources, range: &DateRange, _merge: bool| {
            let q = Query { range, ..*q };
            Ok((
                Vec::new(),
                aggregate(&q, src.parts(q.site_id, range), fold)?,
            ))
        };
        let rows = answers::fetch(
            store,
            &answers::Shape::new(&KIND, q.site_id, &compile),
            q.range,
            src,
            false,
        )
        .await?;
        return Ok(rows.into_iter().map(from_summed).collect());
    }
    let sql = compile(q, src, fold.as_ref())?;
    Ok(sql
        .query(store.client())
        .fetch_all::<Sums>()
        .await
        .map_err(StoreError::from)?)
}

/// The SQL of a query over the given sources: the job's per-day sums for whole built
/// days where the query has them (unfiltered, one dimension or none, no fold), the
/// visitor-day rows for the rest.
pub(crate) fn compile(
    q: &Query<'_>,
    src: &Sources,
    fold: Option<&Fold<'_>>,
) -> Result<Sql, QueryError> {
    let rolled = rolled_dim(q, fold);
    let (days, rest) = match rolled {
        Some(_) => src.split_rolled(q.range),
        None => (Vec::new(), src.clone()),
    };
    let mut sql = Sql::default();
    // Daily ids are summed; consented ids, which span days, are counted once. (Their
    // lists, not `uniqExact` states: 18.16 merges a million ids from states in 1.5 s,
    // from arrays in 0.2 s.)
    sql.push(
        "SELECT grp, toUInt64(sum(vd) + uniqExactArray(ids)), toUInt64(sum(visits)), \
         toUInt64(sum(pageviews)), toUInt64(sum(events)), toUInt64(sum(bounces)), \
         toUInt64(sum(duration_ms)), toUInt64(sum(visit_pageviews)), toUInt64(sum(top_ms)), \
         toUInt64(sum(top_n)) FROM (",
    );
    let parts = rest.parts(q.site_id, q.range);
    let live = !parts.is_empty();
    if live {
        sql.append(aggregate(q, parts, fold)?);
    }
    if let (Some(name), false) = (rolled, days.is_empty()) {
        if live {
            sql.push(" UNION ALL ");
        }
        sql.append(rollup::select(q.site_id, name, &days));
    }
    sql.push(") GROUP BY grp");
    Ok(sql)
}

/// The job's rollup answering the query, if any: unfiltered, one dimension or none,
/// no fold.
fn rolled_dim(q: &Query<'_>, fold: Option<&Fold<'_>>) -> Option<String> {
    match (fold, q.filter) {
        (None, None) => rollup::name(q.dims),
        _ => None,
    }
}

/// Sums per site and group over the rows of `parts`, in the columns of `day_rollups`
/// from `visitors` on (`vd`: visitors with daily ids; `ids`: the consented ids).
pub(super) fn aggregate(
    q: &Query<'_>,
    parts: Vec<Part>,
    fold: Option<&Fold<'_>>,
) -> Result<Sql, QueryError> {
    let event_level = q.dims.iter().any(Dim::is_event);
    // The stored first-occurrence flags are right for unfiltered event pages on rows
    // wholly inside the range; everything else computes them.
    let fast = q.filter.is_none() && q.dims == [Dim::Page];
    let mut sql = Sql::default();
    sql.push(
        "SELECT site_id, grp, toUInt64(sumIf(vf, consented = 0)) AS vd, \
         groupArrayIf(visitor_id, consented = 1 AND vf = 1) AS ids, ",
    );
    if event_level {
        sql.push(
            "toUInt64(sum(sf)) AS visits, toUInt64(countIf(nm = 'pageview')) AS pageviews, \
             toUInt64(count()) AS events, toUInt64(sumIf(s_bounce[sess], sf = 1)) AS bounces, \
             toUInt64(sumIf(s_duration[sess], sf = 1)) AS duration_ms, \
             toUInt64(sumIf(s_pageviews[sess], sf = 1)) AS visit_pageviews, \
             toUInt64(sumIf(nx, nm = 'pageview' AND nx > 0)) AS top_ms, \
             toUInt64(countIf(nm = 'pageview' AND nx > 0)) AS top_n FROM (",
        );
    } else {
        sql.push(
            "toUInt64(count()) AS visits, toUInt64(sum(pv)) AS pageviews, toUInt64(sum(ev)) AS events, \
             toUInt64(sum(b)) AS bounces, toUInt64(sum(d)) AS duration_ms, \
             toUInt64(sum(spv)) AS visit_pageviews, toUInt64(0) AS top_ms, toUInt64(0) AS top_n FROM (",
        );
    }
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        let fast = fast && part.built && part.whole;
        sql.append(row_select(
            q,
            part.from,
            part.built,
            event_level,
            fast,
            fold,
        )?);
    }
    if event_level {
        sql.push(
            ") ARRAY JOIN e_key AS grp, e_sel AS sel, e_vflag AS vf, e_sflag AS sf, \
             e_name AS nm, e_session AS sess, e_next_ms AS nx WHERE sel = 1 GROUP BY site_id, grp",
        );
    } else {
        sql.push(
            ") ARRAY JOIN s_key AS grp, s_inc AS inc, s_vflag AS vf, s_okpv AS pv, s_okev AS ev, \
             s_bounce AS b, s_duration AS d, s_pageviews AS spv WHERE inc = 1 GROUP BY site_id, grp",
        );
    }
    Ok(sql)
}

/// The per-row SELECT over `from` (a table with its WHERE, or a subquery).
fn row_select(
    q: &Query<'_>,
    from: Sql,
    built: bool,
    event_level: bool,
    fast: bool,
    fold: Option<&Fold<'_>>,
) -> Result<Sql, QueryError> {
    let mut cols: Vec<&'static str> = Vec::new();
    let mut props = false;
    if let Some(f) = q.filter {
        f.needs(&mut cols, &mut props);
    }
    if event_level {
        for d in q.dims {
            dim_needs(d, &mut cols, &mut props);
        }
    }
    // Every part gives the outer query the same columns, whatever it computes on the way.
    let mut out = Sql::default();
    out.push(if event_level {
        "SELECT site_id, visitor_id, consented, s_bounce, s_duration, s_pageviews, e_name, \
         e_session, e_next_ms, e_key, e_sel, e_vflag, e_sflag FROM ("
    } else {
        "SELECT site_id, visitor_id, consented, s_key, s_inc, s_vflag, s_okpv, s_okev, s_bounce, \
         s_duration, s_pageviews FROM ("
    });
    if fast && event_level {
        // Unfiltered pages of whole built days: the pages are the keys and, unless some
        // fold into `(other)`, the stored flags are the first occurrences; no lambda
        // over the visit arrays (about 1 s of 2.6 at 10M events).
        out.push(
            "SELECT site_id, visitor_id, consented, s_bounce, s_duration, s_pageviews, e_name, \
             e_session, e_next_ms, ",
        );
        match fold {
            None => {
                out.push(
                    "e_page AS e_key, arrayMap(n -> toUInt8(n = 'pageview'), e_name) AS e_sel, \
                     e_vfirst AS e_vflag, e_sfirst AS e_sflag FROM ",
                );
            }
            Some(f) => {
                out.push(&format!(
                    "arrayMap(p -> if({}has(",
                    if f.hide { "" } else { "NOT " }
                ))
                .bind(Bind::Strs(f.keys.to_vec()))
                .push(&format!(
                    ", p), '{OTHER}', p), e_page) AS e_key, \
                     arrayMap(n -> toUInt8(n = 'pageview'), e_name) AS e_sel, \
                     arrayMap((u, o) -> toUInt8(u = 1 AND o), arrayEnumerateUniq(e_key, e_sel), e_sel) AS e_vflag, \
                     arrayMap((u, o) -> toUInt8(u = 1 AND o), arrayEnumerateUniq(e_key, e_sel, e_session), e_sel) AS e_sflag FROM "
                ));
            }
        }
        out.append(from);
        if let Some(pre) = prefilter(q, fold)? {
            out.append(and_where(built, pre));
        }
        out.push(")");
        return Ok(out);
    }
    let (params, arrays) = event_args(&cols, props, &[]);
    let mut s = Sql::default();
    s.push("SELECT site_id, visitor_id, consented, s_bounce, s_duration, s_pageviews, e_name, e_session, e_next_ms, ");
    push_filter(&mut s, q.range, q.filter, q.catalog, &params, &arrays)?;
    let key = |s: &mut Sql, event: bool| -> Result<(), QueryError> {
        let wrap = fold.is_some();
        if wrap {
            s.push("if(");
            if !fold.is_some_and(|f| f.hide) {
                s.push("NOT ");
            }
            s.push("has(")
                .bind(Bind::Strs(fold.map_or_else(Vec::new, |f| f.keys.to_vec())))
                .push(", ");
        }
        let one = |s: &mut Sql| -> Result<(), QueryError> {
            match q.dims {
                [] => {
                    s.push("''");
                }
                [d] => q.catalog.value(d, event, s)?,
                many => {
                    s.push("concat(");
                    for (i, d) in many.iter().enumerate() {
                        if i > 0 {
                            s.push(&format!(", '\\x{:02x}', ", SEP as u32));
                        }
                        q.catalog.value(d, event, s)?;
                    }
                    s.push(")");
                }
            }
            Ok(())
        };
        one(s)?;
        if wrap {
            s.push(&format!("), '{OTHER}', "));
            one(s)?;
            s.push(")");
        }
        Ok(())
    };
    if event_level {
        s.push(&format!("arrayMap(({params}) -> "));
        key(&mut s, true)?;
        s.push(&format!(", {arrays}) AS e_key, "));
        s.push(&format!("arrayMap((o, {params}) -> toUInt8(o AND "));
        for (i, d) in q.dims.iter().filter(|d| d.is_event()).enumerate() {
            if i > 0 {
                s.push(" AND ");
            }
            q.catalog.applies(d, &mut s)?;
        }
        s.push(&format!("), e_ok, {arrays}) AS e_sel, "));
        s.push(
            "arrayMap((u, o) -> toUInt8(u = 1 AND o), arrayEnumerateUniq(e_key, e_sel), e_sel) AS e_vflag, \
             arrayMap((u, o) -> toUInt8(u = 1 AND o), arrayEnumerateUniq(e_key, e_sel, e_session), e_sel) AS e_sflag ",
        );
    } else {
        let mut vcols: Vec<&'static str> = Vec::new();
        for d in q.dims {
            dim_needs(d, &mut vcols, &mut props);
        }
        vcols.retain(|c| *c != "start");
        let vparams: Vec<String> = std::iter::once("st".to_owned())
            .chain(vcols.iter().map(|c| format!("c_{c}")))
            .collect();
        let varrays: Vec<String> = std::iter::once("s_start".to_owned())
            .chain(vcols.iter().map(|c| format!("s_{c}")))
            .collect();
        s.push(&format!("arrayMap(({}) -> ", vparams.join(", ")));
        key(&mut s, false)?;
        s.push(&format!(", {}) AS s_key, ", varrays.join(", ")));
        s.push(
            "arrayMap((u, inc) -> toUInt8(u = 1 AND inc), arrayEnumerateUniq(s_key, s_inc), s_inc) AS s_vflag, ",
        );
        if q.filter.is_none() {
            s.push("s_pageviews AS s_okpv, s_events AS s_okev ");
        } else {
            s.push(
                "\
             arrayMap((i, es, eo, en) -> toUInt32(arrayCount((x, o, m) -> x = i AND o AND m = 'pageview', es, eo, en)), \
               arrayEnumerate(s_start), arrayResize([e_session], length(s_start), e_session), \
               arrayResize([e_ok], length(s_start), e_ok), arrayResize([e_name], length(s_start), e_name)) AS s_okpv, \
             arrayMap((i, es, eo) -> toUInt32(arrayCount((x, o) -> x = i AND o, es, eo)), \
               arrayEnumerate(s_start), arrayResize([e_session], length(s_start), e_session), \
               arrayResize([e_ok], length(s_start), e_ok)) AS s_okev ",
            );
        }
    }
    s.push("FROM ").append(from);
    if let Some(pre) = prefilter(q, fold)? {
        s.append(and_where(built, pre));
    }
    out.append(s).push(")");
    Ok(out)
}

/// What a row must hold to matter to the query: the filter's row prefilter and the
/// fold's, together.
fn prefilter(q: &Query<'_>, fold: Option<&Fold<'_>>) -> Result<Option<Sql>, QueryError> {
    let mut pre = Sql::default();
    let filtered = match q.filter {
        Some(f) => q.catalog.row_prefilter(f, &mut pre)?,
        None => false,
    };
    Ok(match (filtered, fold_prefilter(q, fold)) {
        (true, Some(fp)) => {
            pre.push(" AND ").append(fp);
            Some(pre)
        }
        (true, None) => Some(pre),
        (false, fp) => fp,
    })
}

/// `cond` appended to a part's `FROM`: built parts are the table with its WHERE, the
/// tail is a subquery.
fn and_where(built: bool, cond: Sql) -> Sql {
    let mut s = Sql::default();
    s.push(if built { " AND " } else { " WHERE " }).append(cond);
    s
}

/// When a fold names the hidden keys of a one-dimension query, the rows holding one of
/// them: only the `(other)` row of a fold is used, and hidden keys are small groups by
/// definition, so a long tail of pages costs a scan of one column, not a second query.
fn fold_prefilter(q: &Query<'_>, fold: Option<&Fold<'_>>) -> Option<Sql> {
    let f = fold.filter(|f| f.hide)?;
    let col = match q.dims {
        [Dim::Page] => "e_page".to_owned(),
        [Dim::Name] => "e_name".to_owned(),
        [Dim::Visit(c)] => format!("s_{c}"),
        _ => return None,
    };
    let mut s = Sql::default();
    s.push(&format!("hasAny({col}, "))
        .bind(Bind::Strs(f.keys.to_vec()))
        .push(")");
    Some(s)
}

/// A grouped answer after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Groups shown (with `(other)` last when it is large enough), unsorted otherwise.
    pub rows: Vec<Sums>,
    /// Groups hidden (folded into `(other)`, or dropped with it).
    pub suppressed: usize,
    /// Their keys: a zero-filled time series tells a hidden bucket (null) from an
    /// empty one (0).
    pub hidden: Vec<String>,
    /// Visitors of the whole period under the same filter (for rates).
    pub total_visitors: u64,
}

/// Runs a query with minimum-group-size `k` suppression.
///
/// Complementary suppression: if `(other)` is itself under `k`, the smallest shown
/// groups are folded into it until it reaches `k` (or nothing is shown), so that no
/// hidden count can be recovered by subtracting shown rows from the totals. `(other)`
/// is computed exactly (visitors are not additive across groups).
pub async fn run(store: &Store, q: &Query<'_>, k: u64) -> Result<Answer, QueryError> {
    let src = Sources::of(store, q.site_id, q.range).await?;
    let all = fetch(store, q, &src, None).await?;
    if q.dims.is_empty() {
        let total = all.into_iter().next().unwrap_or_default();
        return Ok(Answer {
            total_visitors: total.visitors,
            rows: vec![total],
            suppressed: 0,
            hidden: Vec::new(),
        });
    }
    let (mut shown, mut hidden): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| r.visitors >= k);
    shown.sort_by(|a, b| b.visitors.cmp(&a.visitors).then_with(|| a.key.cmp(&b.key)));
    let mut other = None;
    for _ in 0..20 {
        if hidden.is_empty() {
            break;
        }
        // Name whichever list is shorter: a long tail of thousands of pages would
        // otherwise make the query text exceed ClickHouse's max_query_size.
        let hide = shown.is_empty() || hidden.len() <= shown.len();
        let keys: Vec<String> = if hide { &hidden } else { &shown }
            .iter()
            .map(|r| r.key.clone())
            .collect();
        // The keys travel in the statement's text (18.16 has no server-side parameters,
        // clickhouse-notes P11); past this many bytes the answer has too many groups to
        // be worth folding, and the client is asked for less.
        if keys.iter().map(String::len).sum::<usize>() > MAX_FOLD_BYTES {
            return Err(QueryError::Cut(super::bounds::Cut::Rows));
        }
        // Only the `(other)` row of this answer is exact (see `fold_prefilter`).
        let folded = fetch(store, q, &src, Some(Fold { keys: &keys, hide })).await?;
        let o = folded
            .into_iter()
            .find(|r| r.key == OTHER)
            .unwrap_or_default();
        if o.visitors >= k {
            other = Some(Sums {
                key: OTHER.into(),
                ..o
            });
            break;
        }
        match shown.pop() {
            Some(smallest) => hidden.push(smallest),
            None => break,
        }
    }
    shown.extend(other);
    Ok(Answer {
        rows: shown,
        suppressed: hidden.len(),
        hidden: hidden.into_iter().map(|r| r.key).collect(),
        total_visitors: 0,
    })
}

/// Visitors of the period under `filter` (the denominator of conversion rates).
pub async fn total_visitors(
    store: &Store,
    q: &Query<'_>,
    filter: Option<&Filter>,
) -> Result<u64, QueryError> {
    let q = Query {
        dims: &[],
        filter,
        ..*q
    };
    Ok(run(store, &q, 1).await?.total_visitors)
}

/// The group key of dimension values (the inverse of [`key_parts`]).
pub fn key_of(parts: &[String]) -> String {
    parts.join(&SEP.to_string())
}

/// Splits a group key into its dimension values.
pub fn key_parts(key: &str, dims: usize) -> Vec<String> {
    if key == OTHER {
        return vec![OTHER.to_owned(); dims.max(1)];
    }
    key.split(SEP).map(str::to_owned).collect()
}

/// A sample site for dialect-catalog statements: a one-day range, two goals, a group.
pub fn sample_site() -> (
    DateRange,
    Vec<crate::store::goals::Goal>,
    Vec<crate::store::goals::ContentGroup>,
) {
    use crate::store::goals::{ContentGroup, Goal};
    let day = sample_day();
    let range = DateRange::utc_day(day);
    let goals = vec![
        Goal {
            site_id: 7,
            name: "Booked".into(),
            event_name: "Booking".into(),
            page: String::new(),
            deleted: 0,
            updated_at: 0,
        },
        Goal {
            site_id: 7,
            name: "Saw b".into(),
            event_name: String::new(),
            page: "/b".into(),
            deleted: 0,
            updated_at: 0,
        },
    ];
    let groups = vec![ContentGroup {
        site_id: 7,
        name: "A pages".into(),
        // The three compiled shapes: prefix, one segment, regex (none matches `/b`).
        patterns: vec!["/a/**".into(), "/b/*".into(), "/c/*/x".into()],
        position: 0,
        deleted: 0,
        updated_at: 0,
    }];
    (range, goals, groups)
}

/// 2026-11-23 08:30 UTC: the cutoff of the catalog's open-day sample build.
pub const OPEN_SAMPLE_CUTOFF: u32 = 1_795_422_600;

pub fn sample_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

/// The sample day as built (build 1) and as open tail.
pub fn sample_sources() -> (Sources, Sources) {
    let day = sample_day();
    (
        Sources {
            built: vec![(day, 1)],
            ..Sources::default()
        },
        Sources {
            tail: vec![day],
            ..Sources::default()
        },
    )
}

/// Sample statements for the dialect catalog: the same totals from a built day and
/// from the open tail, and the other query shapes with every kind of dimension.
pub fn catalog_samples() -> Vec<(String, String)> {
    let (range, goals, groups) = sample_site();
    let catalog = Catalog {
        goals: &goals,
        groups: &groups,
        timezone: "Europe/Paris",
    };
    let (built, tail) = sample_sources();
    let filter = Filter::parse_list(&[serde_json::json!([
        "or",
        [
            ["is", "visit:channel", ["Email", "it's"]],
            ["not", ["matches", "event:page", ["/b*"]]],
            ["contains", "event:props:doctor", ["dr-\\"]]
        ]
    ])])
    .ok()
    .flatten();
    let client = clickhouse::Client::default();
    let render = |q: &Query<'_>, src: &Sources, fold: Option<Fold<'_>>| {
        compile(q, src, fold.as_ref())
            .map(|s| s.query(&client).sql_display().to_string())
            .unwrap_or_else(|e| format!("compile error: {e}"))
    };
    let q = |dims: &'static [Dim]| Query {
        site_id: 7,
        range: &range,
        dims,
        filter: None,
        catalog: &catalog,
    };
    // The catalog builds the sample day as open up to 08:30 under build 2.
    let open = Sources {
        open: vec![(sample_day(), 2, OPEN_SAMPLE_CUTOFF)],
        ..Sources::default()
    };
    // The same day read from its rollups (written by the catalog's `rollup::insert`s).
    let rolled = Sources {
        rolled: vec![sample_day()],
        ..built.clone()
    };
    let mut out = vec![
        (
            "stats::totals(built)".to_owned(),
            render(&q(&[]), &built, None),
        ),
        (
            "stats::totals(rolled)".to_owned(),
            render(&q(&[]), &rolled, None),
        ),
        (
            "stats::pages(rolled)".to_owned(),
            render(&q(&[Dim::Page]), &rolled, None),
        ),
        (
            "stats::totals(open)".to_owned(),
            render(&q(&[]), &open, None),
        ),
        (
            "stats::totals(tail)".to_owned(),
            render(&q(&[]), &tail, None),
        ),
        (
            "stats::pages(built)".to_owned(),
            render(&q(&[Dim::Page]), &built, None),
        ),
        (
            "stats::pages(tail)".to_owned(),
            render(&q(&[Dim::Page]), &tail, None),
        ),
    ];
    static MIXED: [Dim; 3] = [
        Dim::Visit("channel"),
        Dim::Goal,
        Dim::Time(super::filter::Bucket::Hour),
    ];
    let mixed = Query {
        filter: filter.as_ref(),
        ..q(&MIXED)
    };
    out.push(("stats::mixed(tail)".to_owned(), render(&mixed, &tail, None)));
    static VISIT: [Dim; 2] = [Dim::Visit("entry"), Dim::Time(super::filter::Bucket::Week)];
    let visit = Query {
        filter: filter.as_ref(),
        ..q(&VISIT)
    };
    out.push((
        "stats::visit_dims(built)".to_owned(),
        render(&visit, &built, None),
    ));
    // A filter with row prefilters (a channel, a page pattern) on both kinds of part.
    let narrow = Filter::parse_list(&[
        serde_json::json!(["is", "visit:channel", ["Direct"]]),
        serde_json::json!(["matches", "event:page", ["/**"]]),
    ])
    .ok()
    .flatten();
    for (name, src) in [("built", &built), ("tail", &tail)] {
        let q = Query {
            filter: narrow.as_ref(),
            ..q(&[Dim::Page])
        };
        out.push((format!("stats::filtered({name})"), render(&q, src, None)));
    }
    static GROUPED: [Dim; 2] = [Dim::ContentGroup, Dim::Name];
    let keys = vec!["/b".to_owned()];
    out.push((
        "stats::fold(tail)".to_owned(),
        render(
            &q(&GROUPED),
            &tail,
            Some(Fold {
                keys: &keys,
                hide: true,
            }),
        ),
    ));
    out.push((
        "stats::fold_hidden(built)".to_owned(),
        render(
            &q(&[Dim::Page]),
            &built,
            Some(Fold {
                keys: &keys,
                hide: true,
            }),
        ),
    ));
    out.push((
        "stats::fold_pages(built)".to_owned(),
        render(
            &q(&[Dim::Page]),
            &built,
            Some(Fold {
                keys: &keys,
                hide: false,
            }),
        ),
    ));
    let narrow_pages = Query {
        filter: narrow.as_ref(),
        ..q(&[Dim::Page])
    };
    let compile = |src: &Sources, range: &DateRange, _merge: bool| {
        let q = Query {
            range,
            ..narrow_pages
        };
        Ok((
            Vec::new(),
            aggregate(&q, src.parts(q.site_id, range), None)?,
        ))
    };
    out.extend(answers::catalog_entries(
        &answers::Shape::new(&KIND, 7, &compile),
        &tail,
    ));
    out
}
