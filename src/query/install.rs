//! The installation check's figures: a site's own events of the last minutes, and its
//! latest event, read straight from `events` (like realtime's totals: the events of
//! the last minutes are in no visitor-day yet).
//!
//! Totals only, no breakdown: they are given as they are, without minimum group size,
//! as realtime's are.

use chrono::{DateTime, Days, Utc};
use serde::Deserialize;

use super::sql::{Bind, Sql};
use super::QueryError;
use crate::store::{Store, StoreError};

/// The short window.
pub const SHORT_SECONDS: i64 = 300;
/// The long window.
pub const LONG_SECONDS: i64 = 1800;
/// How far back the latest event is looked for.
pub const LATEST_DAYS: u64 = 30;

/// The counts as ClickHouse returns them.
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Deserialize)]
struct CountsRow {
    events_short: u64,
    pageviews_short: u64,
    events_long: u64,
    latest: u64,
}

/// A site's recent events.
#[derive(Debug, Clone, PartialEq)]
pub struct Recent {
    /// Events of the last five minutes.
    pub events_5m: u64,
    /// Pageviews of the last five minutes.
    pub pageviews_5m: u64,
    /// Events of the last thirty minutes.
    pub events_30m: u64,
    /// The latest event of the last [`LATEST_DAYS`] days.
    pub last_event: Option<DateTime<Utc>>,
}

/// Binds a time as seconds, for `toDateTime(?)`.
fn secs(t: DateTime<Utc>) -> Bind {
    Bind::U64(t.timestamp().max(0) as u64)
}

/// A time's UTC date, for the key's `toDate(timestamp)` bounds.
fn day(t: DateTime<Utc>) -> String {
    t.date_naive().to_string()
}

/// Events and pageviews of the five minutes, events of the thirty minutes before
/// `now`, and the latest of them (0 when none). The upper day bound is a day ahead, for
/// a node whose clock runs a little fast.
fn counts_sql(site_id: u32, now: DateTime<Utc>) -> Sql {
    let short = now - chrono::Duration::seconds(SHORT_SECONDS);
    let long = now - chrono::Duration::seconds(LONG_SECONDS);
    let mut sql = Sql::default();
    sql.push("SELECT toUInt64(countIf(timestamp > toDateTime(")
        .bind(secs(short))
        .push("))) AS events_short, toUInt64(countIf(name = 'pageview' AND timestamp > toDateTime(")
        .bind(secs(short))
        .push(
            "))) AS pageviews_short, toUInt64(count()) AS events_long, \
               toUInt64(max(timestamp)) AS latest FROM events WHERE ",
        )
        .site_days(site_id, day(long), day(now + Days::new(1)))
        .push(" AND timestamp > toDateTime(")
        .bind(secs(long))
        .push(")");
    sql
}

/// The site's latest event of the last [`LATEST_DAYS`] days (0 when none): asked only
/// when the last thirty minutes have none, since it reads a month of the site.
fn latest_sql(site_id: u32, now: DateTime<Utc>) -> Sql {
    let mut sql = Sql::default();
    sql.push("SELECT toUInt64(max(timestamp)) AS latest FROM events WHERE ")
        .site_days(
            site_id,
            day(now - Days::new(LATEST_DAYS)),
            day(now + Days::new(1)),
        );
    sql
}

/// The site's recent events up to `now`.
pub async fn run(store: &Store, site_id: u32, now: DateTime<Utc>) -> Result<Recent, QueryError> {
    let c = counts_sql(site_id, now)
        .query(store.client())
        .fetch_optional::<CountsRow>()
        .await
        .map_err(StoreError::from)?
        .unwrap_or_default();
    let latest = if c.latest > 0 {
        c.latest
    } else {
        latest_sql(site_id, now)
            .query(store.client())
            .fetch_optional::<u64>()
            .await
            .map_err(StoreError::from)?
            .unwrap_or(0)
    };
    Ok(Recent {
        events_5m: c.events_short,
        pageviews_5m: c.pageviews_short,
        events_30m: c.events_long,
        last_event: (latest > 0)
            .then(|| DateTime::from_timestamp(latest as i64, 0))
            .flatten(),
    })
}

/// Sample statements for the dialect catalog.
pub fn catalog_samples() -> Vec<(String, String)> {
    // 2026-11-23 09:04 UTC: four minutes after the last of the dialect check's events.
    let now = DateTime::from_timestamp(1_795_424_640, 0).unwrap_or_default();
    let client = clickhouse::Client::default();
    let render = |s: Sql| s.query(&client).sql_display().to_string();
    vec![
        ("install::counts".to_owned(), render(counts_sql(7, now))),
        ("install::latest".to_owned(), render(latest_sql(7, now))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_bound() {
        for (name, sql) in catalog_samples() {
            assert!(!sql.contains('?'), "{name}: {sql}");
            assert!(sql.contains("site_id = 7"), "{name}: {sql}");
            assert!(sql.contains("toDate('2026-11-24')"), "{name}: {sql}");
        }
        let (_, counts) = &catalog_samples()[0];
        assert!(
            counts.contains("timestamp > toDateTime(1795424340)"),
            "{counts}"
        );
        assert!(
            counts.contains("timestamp > toDateTime(1795422840)"),
            "{counts}"
        );
    }
}
