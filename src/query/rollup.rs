//! Per-day sums of whole built days for the unfiltered stats by one dimension or none
//! (totals, top pages, event names, channels, sources, …), the dashboard's everyday
//! questions.
//!
//! The job writes them with each closed day's build, from the build's rows by the very
//! aggregation queries run at query time (`stats::aggregate`), into the build's own
//! `(day, build)` partition: they are exactly what a query would sum over that day, they
//! are replaced with the build and dropped with it, and two nodes building one day
//! cannot double them. A query sums a range's whole built days from here (a few
//! thousand rows instead of every event of the month) and reads the rest (edge days of
//! a time zone, the open day) from visitor-days. Visitors with daily ids add up across
//! days; consented ids span days, so each row keeps their list, counted once by the
//! query.

use chrono::NaiveDate;

use super::filter::{visit_dims, Catalog, Dim};
use super::range::DateRange;
use super::source::Part;
use super::sql::{Bind, Sql};
use super::stats::{aggregate, Query};
use super::QueryError;
use crate::store::{Store, StoreError};

/// The rollup set the job writes; a build recorded with another (older) set is rebuilt.
pub const VERSION: u8 = 1;

/// The `dim` under which the sums of a query's dimensions are stored, when rolled up.
pub fn name(dims: &[Dim]) -> Option<String> {
    match dims {
        [] => Some(String::new()),
        [Dim::Page] => Some("event:page".into()),
        [Dim::Name] => Some("event:name".into()),
        [Dim::Visit(c)] => Some(format!("visit:{c}")),
        _ => None,
    }
}

/// The rolled-up dimension lists, each with its stored name.
fn all() -> Vec<(String, Vec<Dim>)> {
    let mut lists = vec![Vec::new(), vec![Dim::Page], vec![Dim::Name]];
    lists.extend(visit_dims().map(|d| vec![d]));
    lists
        .into_iter()
        .filter_map(|dims| Some((name(&dims)?, dims)))
        .collect()
}

/// The stored sums of `dim` for the given days (non-empty) and builds, in the columns
/// of `stats::aggregate`.
pub fn select(site_id: u32, dim: String, days: &[(NaiveDate, u64)]) -> Sql {
    let builds: Vec<String> = days.iter().map(|(_, b)| b.to_string()).collect();
    let mut s = Sql::default();
    s.push(
        "SELECT site_id, key AS grp, visitors AS vd, ids, visits, pageviews, events, bounces, \
         duration_ms, visit_pageviews, top_ms, top_n FROM day_rollups WHERE site_id = ",
    )
    .bind(Bind::U64(u64::from(site_id)))
    .push(" AND dim = ")
    .bind(Bind::Str(dim))
    .push(" AND day >= toDate(")
    .bind(Bind::Str(days[0].0.to_string()))
    .push(") AND day <= toDate(")
    .bind(Bind::Str(days[days.len() - 1].0.to_string()))
    // Build numbers come from ClickHouse, not from the request.
    .push(&format!(") AND build IN ({})", builds.join(", ")));
    s
}

/// The job's statements for one closed day's build: one `INSERT … SELECT` per
/// rolled-up dimension list, over every site of the day.
pub fn inserts(day: NaiveDate, build: u64) -> Result<Vec<Sql>, QueryError> {
    let range = DateRange::utc_day(day);
    // None of the rolled-up dimensions reads goals, groups or the time zone.
    let catalog = Catalog {
        goals: &[],
        groups: &[],
        timezone: "UTC",
    };
    let mut out = Vec::new();
    for (dim, dims) in all() {
        let q = Query {
            site_id: 0,
            range: &range,
            dims: &dims,
            filter: None,
            catalog: &catalog,
        };
        let mut rows = Sql::default();
        rows.push("visitor_days WHERE day = toDate(")
            .bind(Bind::Str(day.to_string()))
            .push(&format!(") AND build = {build}"));
        let part = Part {
            from: rows,
            whole: true,
            built: true,
        };
        let agg = aggregate(&q, vec![part], None)?;
        let mut s = Sql::default();
        s.push(
            "INSERT INTO day_rollups (site_id, day, build, dim, key, visitors, ids, visits, \
             pageviews, events, bounces, duration_ms, visit_pageviews, top_ms, top_n) \
             SELECT site_id, toDate(",
        )
        .bind(Bind::Str(day.to_string()))
        .push(&format!("), toUInt64({build}), "))
        .bind(Bind::Str(dim))
        .push(
            ", grp, vd, ids, visits, pageviews, events, bounces, duration_ms, visit_pageviews, \
             top_ms, top_n FROM (",
        )
        .append(agg)
        .push(")");
        out.push(s);
    }
    Ok(out)
}

/// Writes the rollups of one closed day's build (before the build is recorded).
pub async fn build(store: &Store, day: NaiveDate, build: u64) -> Result<(), StoreError> {
    // A missing list would read as zero visitors, so none may be skipped.
    let statements = inserts(day, build).map_err(|e| match e {
        QueryError::Store(e) => e,
        QueryError::Invalid(why) => StoreError::Invalid(format!("rollups of {day}: {why}")),
        e @ QueryError::Cut(_) => StoreError::Invalid(format!("rollups of {day}: {e}")),
    })?;
    for s in statements {
        s.query(store.client()).execute().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rolled_up_list_compiles() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(inserts(day, 3).unwrap().len(), all().len());
        assert_eq!(all().len(), 21);
        assert_eq!(name(&[Dim::Page, Dim::Name]), None);
        assert_eq!(name(&[Dim::Goal]), None);
    }
}
