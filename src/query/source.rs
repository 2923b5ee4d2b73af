//! Where a query's visitor-days come from, and the per-row filter every query shape
//! shares.
//!
//! A range reads built visitor-days for the days the background job has built and the
//! open tail (days without a build, usually today) sessionized from `events` on the fly
//! with the job's own SELECT, so both give the same rows. Each part becomes a `FROM`
//! over which the stats, funnel and journey shapes put their per-row SELECT.

use chrono::{Days, NaiveDate};

use super::filter::{Catalog, Filter};
use super::materialize::{self, build_select};
use super::range::DateRange;
use super::rollup;
use super::sql::{Bind, Sql};
use super::QueryError;
use crate::store::Store;

/// Where a query's visitor-days come from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Built days in range with their builds.
    pub built: Vec<(NaiveDate, u64)>,
    /// The open day when built up to a cutoff: (day, build, cutoff in seconds). Its
    /// visitors seen since the cutoff are read from `events` instead.
    pub open: Vec<(NaiveDate, u64, u32)>,
    /// Days in range without a build (sessionized from `events` at query time).
    pub tail: Vec<NaiveDate>,
    /// Built days whose build carries the job's per-day sums (`query::rollup`).
    pub rolled: Vec<NaiveDate>,
    /// Built days whose build is closed (the day was built whole), so answers over
    /// its rows hold until the next build (`query::answers`).
    pub closed: Vec<NaiveDate>,
    /// Stored per-row output of consented rows of stored days (`query::answers`), in
    /// the shape's own per-row columns: read with the consented rows of the parts.
    pub stored_rows: Option<Sql>,
}

/// One part of a query's rows.
pub struct Part {
    /// The `FROM`: a table with its WHERE, or a subquery.
    pub from: Sql,
    /// Every day of the part lies wholly inside the range (so every visit starts in it).
    pub whole: bool,
    /// The rows are stored visitor-days (with their first-occurrence flags).
    pub built: bool,
}

impl Sources {
    /// The sources of a site's range: each UTC day it touches, built or not.
    pub async fn of(store: &Store, site_id: u32, range: &DateRange) -> Result<Self, QueryError> {
        let (first, last) = utc_days(range);
        // Open days are the last one or two (just after midnight); both questions go
        // out at once, each round trip to ClickHouse costing some 15 ms.
        let recent = first.max(last - Days::new(1));
        let (builds, seen) = tokio::try_join!(
            async { Ok::<_, QueryError>(materialize::current_builds(store, first, last).await?) },
            last_seen(store, site_id, recent, last)
        )?;
        let mut out = Self::default();
        let mut d = first;
        while d <= last {
            // Whether the site has events on the day at or after the cutoff; unknown
            // (so yes) for an older day whose open build was never closed.
            let seen_since = |cutoff: u32| seen.get(&d).map_or(d < recent, |t| *t >= cutoff);
            match builds.get(&d) {
                // An open day without events since its cutoff is read as built: the
                // tail's parts would hold no row and still cost ClickHouse 18.16 about
                // 0.2 s to plan.
                Some(b) if b.cutoff > 0 && seen_since(b.cutoff) => {
                    out.open.push((d, b.build, b.cutoff))
                }
                Some(b) => {
                    out.built.push((d, b.build));
                    if b.cutoff == 0 {
                        out.closed.push(d);
                    }
                    if b.cutoff == 0 && b.rollups == rollup::VERSION {
                        out.rolled.push(d);
                    }
                }
                None => out.tail.push(d),
            }
            d = d + Days::new(1);
        }
        Ok(out)
    }

    /// Splits off the rolled-up days wholly inside the range (with their builds), for
    /// queries the per-day sums can answer; the rest is read as usual.
    pub fn split_rolled(&self, range: &DateRange) -> (Vec<(NaiveDate, u64)>, Sources) {
        let (rolled, built): (Vec<_>, Vec<_>) = self
            .built
            .iter()
            .partition(|(d, _)| self.rolled.contains(d) && full_day(range, *d));
        let rest = Sources {
            built,
            rolled: Vec::new(),
            ..self.clone()
        };
        (rolled, rest)
    }

    /// The parts to read: built days wholly inside the range, built days at its
    /// edges, each open day (its built rows minus the visitors seen since the cutoff,
    /// and those visitors from `events`), and the tail.
    pub fn parts(&self, site_id: u32, range: &DateRange) -> Vec<Part> {
        let mut out = Vec::new();
        let (full, edge): (Vec<_>, Vec<_>) =
            self.built.iter().partition(|(d, _)| full_day(range, *d));
        for (days, whole) in [(full, true), (edge, false)] {
            if !days.is_empty() {
                out.push(Part {
                    from: built_from(site_id, &days),
                    whole,
                    built: true,
                });
            }
        }
        for (day, build, cutoff) in &self.open {
            let whole = full_day(range, *day);
            let mut from = built_from(site_id, &[(*day, *build)]);
            from.push(" AND visitor_id NOT IN (")
                .append(recent(site_id, *day, *cutoff))
                .push(")");
            out.push(Part {
                from,
                whole,
                built: true,
            });
            let mut cond = Sql::default();
            cond.push(" AND visitor_id IN (")
                .append(recent(site_id, *day, *cutoff))
                .push(")");
            out.push(Part {
                from: tail_from(site_id, &[*day], cond),
                whole,
                built: false,
            });
        }
        if !self.tail.is_empty() {
            out.push(Part {
                from: tail_from(site_id, &self.tail, Sql::default()),
                whole: self.tail.iter().all(|d| full_day(range, *d)),
                built: false,
            });
        }
        out
    }
}

/// Binds: site, first day, last day. The time of the site's last event of each day
/// (seconds).
pub const LAST_SEEN: &str =
    "SELECT toString(toDate(timestamp)) AS d, toUInt32(max(timestamp)) AS t \
    FROM events WHERE site_id = ? AND toDate(timestamp) >= toDate(?) \
    AND toDate(timestamp) <= toDate(?) GROUP BY d";

async fn last_seen(
    store: &Store,
    site_id: u32,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<std::collections::BTreeMap<NaiveDate, u32>, QueryError> {
    let rows = store
        .client()
        .query(LAST_SEEN)
        .bind(site_id)
        .bind(first.to_string())
        .bind(last.to_string())
        .fetch_all::<(String, u32)>()
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, t)| Some((d.parse().ok()?, t)))
        .collect())
}

/// Visitor ids with events on `day` at or after `cutoff` (seconds).
fn recent(site_id: u32, day: NaiveDate, cutoff: u32) -> Sql {
    let mut s = Sql::default();
    s.push("SELECT DISTINCT visitor_id FROM events WHERE site_id = ")
        .bind(Bind::U64(u64::from(site_id)))
        .push(" AND toDate(timestamp) = toDate(")
        .bind(Bind::Str(day.to_string()))
        // The cutoff comes from ClickHouse (the build record), not from the request.
        .push(&format!(") AND timestamp >= toDateTime({cutoff})"));
    s
}

fn utc_days(range: &DateRange) -> (NaiveDate, NaiveDate) {
    let (a, b) = range.utc_days();
    let parse = |s: &str| s.parse().unwrap_or_default();
    (parse(&a), parse(&b))
}

/// Whether the UTC day lies wholly inside the range.
pub fn full_day(range: &DateRange, d: NaiveDate) -> bool {
    let start = d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    start >= range.from && start + 86_400 <= range.to
}

/// `visitor_days` of the given built days (non-empty), with its WHERE.
pub fn built_from(site_id: u32, days: &[(NaiveDate, u64)]) -> Sql {
    let mut from = Sql::default();
    let builds: Vec<String> = days.iter().map(|(_, b)| b.to_string()).collect();
    from.push("visitor_days WHERE site_id = ")
        .bind(Bind::U64(u64::from(site_id)))
        .push(" AND day >= toDate(")
        .bind(Bind::Str(days[0].0.to_string()))
        .push(") AND day <= toDate(")
        .bind(Bind::Str(days[days.len() - 1].0.to_string()))
        // Build numbers come from ClickHouse, not from the request.
        .push(&format!(") AND build IN ({})", builds.join(", ")));
    from
}

/// The open tail: the given days (non-empty) sessionized from `events`, as a subquery;
/// `extra` is appended to the events' WHERE.
pub fn tail_from(site_id: u32, days: &[NaiveDate], extra: Sql) -> Sql {
    let days: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    let mut cond = Sql::default();
    cond.site_days(site_id, days[0].clone(), days[days.len() - 1].clone())
        .push(" AND has(")
        .bind(Bind::Strs(days))
        .push(", toString(toDate(timestamp)))")
        .append(extra);
    // The tail SELECT's own text has no placeholders: split around {WHERE}.
    let select = build_select("{WHERE}", "toUInt64(0)");
    let (before, after) = select.split_once("{WHERE}").unwrap_or((&select, ""));
    let mut from = Sql::default();
    from.push("(")
        .push(before)
        .append(cond)
        .push(after)
        .push(")");
    from
}

/// Lambda parameters and arrays for per-event expressions: the fixed names of
/// `filter` (`n`, `p`, `s`, `v_in`, `pk`/`pv` with `props`, `v_<col>`) plus `extra`
/// (parameter, array) pairs.
///
/// Row-level arrays reach the lambda as arguments resized to the event count, never
/// captured: ClickHouse 18.16 loses columns captured by lambdas in some plans.
pub fn event_args(cols: &[&str], props: bool, extra: &[(&str, &str)]) -> (String, String) {
    let mut params: Vec<String> = ["n", "p", "s", "v_in"].map(str::to_owned).to_vec();
    let mut arrays = vec![
        "e_name".to_owned(),
        "e_page".to_owned(),
        "e_session".to_owned(),
        "arrayResize([s_in], length(e_name), s_in)".to_owned(),
    ];
    if props {
        params.extend(["pk".to_owned(), "pv".to_owned()]);
        arrays.extend(["e_prop_keys".to_owned(), "e_prop_values".to_owned()]);
    }
    for c in cols {
        params.push(format!("v_{c}"));
        arrays.push(format!("arrayResize([s_{c}], length(e_name), s_{c})"));
    }
    for (p, a) in extra {
        params.push((*p).to_owned());
        arrays.push((*a).to_owned());
    }
    (params.join(", "), arrays.join(", "))
}

/// Appends `s_in` (visits starting in range), `e_ok` (events passing the filter, in
/// such visits) and `s_inc` (visits with at least one such event) to a per-row SELECT;
/// `params`/`arrays` come from [`event_args`].
pub fn push_filter(
    s: &mut Sql,
    range: &DateRange,
    filter: Option<&Filter>,
    catalog: &Catalog<'_>,
    params: &str,
    arrays: &str,
) -> Result<(), QueryError> {
    s.push(&format!(
        "arrayMap(st -> toUInt8(st >= {} AND st < {}), s_start) AS s_in, ",
        range.from * 1000,
        range.to * 1000
    ));
    s.push(&format!("arrayMap(({params}) -> toUInt8(v_in[s] AND ("));
    match filter {
        Some(f) => catalog.filter(f, s)?,
        None => {
            s.push("1");
        }
    }
    s.push(&format!(")), {arrays}) AS e_ok, "));
    if filter.is_some() {
        s.push(
            "arrayDistinct(arrayFilter((x, o) -> o, e_session, e_ok)) AS ok_sessions, \
             arrayMap((i, oks) -> toUInt8(has(oks, i)), arrayEnumerate(s_start), \
               arrayResize([ok_sessions], length(s_start), ok_sessions)) AS s_inc, ",
        );
    } else {
        // Unfiltered: a visit is included when it starts in range, with all its events.
        s.push("s_in AS s_inc, ");
    }
    Ok(())
}

/// [`push_filter`] with the lambda arguments the filter needs: the inclusion columns
/// (`s_in`, `e_ok`, `s_inc`) of a per-row SELECT whose visits or events are gated.
pub fn push_inclusion(
    s: &mut Sql,
    range: &DateRange,
    filter: Option<&Filter>,
    catalog: &Catalog<'_>,
) -> Result<(), QueryError> {
    let mut cols = Vec::new();
    let mut props = false;
    if let Some(f) = filter {
        f.needs(&mut cols, &mut props);
    }
    let (params, arrays) = event_args(&cols, props, &[]);
    push_filter(s, range, filter, catalog, &params, &arrays)
}

/// Appends to a part's `FROM` the row conditions of a per-row SELECT: the consented
/// flag when given, and the filter's necessary row condition
/// ([`Catalog::row_prefilter`]).
pub fn push_row_conditions(
    s: &mut Sql,
    part: &Part,
    consented: Option<u8>,
    filter: Option<&Filter>,
    catalog: &Catalog<'_>,
) -> Result<(), QueryError> {
    let mut conds = Vec::new();
    if let Some(c) = consented {
        let mut cond = Sql::default();
        cond.push(&format!("consented = {c}"));
        conds.push(cond);
    }
    if let Some(f) = filter {
        let mut pre = Sql::default();
        if catalog.row_prefilter(f, &mut pre)? {
            conds.push(pre);
        }
    }
    // Built parts are the table with its WHERE, the others a subquery.
    for (i, c) in conds.into_iter().enumerate() {
        s.push(if i > 0 || part.built {
            " AND "
        } else {
            " WHERE "
        })
        .append(c);
    }
    Ok(())
}

/// The `UNION ALL` of one per-row SELECT per part of the range, with the stored rows
/// when consented rows are read (`consented` is not `Some(0)`).
pub fn union_parts(
    src: &Sources,
    site_id: u32,
    range: &DateRange,
    consented: Option<u8>,
    mut select: impl FnMut(Part) -> Result<Sql, QueryError>,
) -> Result<Sql, QueryError> {
    let mut selects = Vec::new();
    for p in src.parts(site_id, range) {
        selects.push(select(p)?);
    }
    // Stored rows are consented rows, already in the per-row columns.
    if let Some(rows) = src.stored_rows.as_ref().filter(|_| consented != Some(0)) {
        selects.push(rows.clone());
    }
    if selects.is_empty() {
        return Err(QueryError::Invalid("the date range covers no day".into()));
    }
    let mut out = Sql::default();
    for (i, s) in selects.into_iter().enumerate() {
        if i > 0 {
            out.push(" UNION ALL ");
        }
        out.append(s);
    }
    Ok(out)
}

/// Binds: site, first UTC day, last UTC day. Whether any event in the days is consented.
///
/// `LIMIT 1` stops at the first consented event, where counting them all read every
/// event of the range (80 ms of each journey request at 10M events).
pub const ANY_CONSENTED: &str = "SELECT toUInt8(count() > 0) FROM (SELECT 1 FROM events \
    WHERE site_id = ? AND toDate(timestamp) >= toDate(?) AND toDate(timestamp) <= toDate(?) \
    AND consented = 1 LIMIT 1)";

/// The sources of a site's range and whether it holds consented visitors, asked at
/// once.
pub async fn with_consent(
    store: &Store,
    site_id: u32,
    range: &DateRange,
) -> Result<(Sources, bool), QueryError> {
    tokio::try_join!(
        Sources::of(store, site_id, range),
        any_consented(store, site_id, range)
    )
}

/// Whether the range holds consented visitors (whose ids span days).
pub async fn any_consented(
    store: &Store,
    site_id: u32,
    range: &DateRange,
) -> Result<bool, QueryError> {
    let (first, last) = range.utc_days();
    let n: u8 = store
        .client()
        .query(ANY_CONSENTED)
        .bind(site_id)
        .bind(first)
        .bind(last)
        .fetch_one()
        .await?;
    Ok(n > 0)
}
