//! The custom property keys of a site's events over a range (of one event name, if
//! given), with the visitors carrying each, for pickers such as the dashboard's
//! `event:props:<key>` filter.
//!
//! Read from `events`, where each event keeps its properties as `prop_keys` and
//! `prop_values` (what visitor-days copy into `e_prop_keys`, the `pk` of
//! `event:props:<key>`). Visitors are counted with `uniqExact`: a daily id lives in one
//! UTC day, so this is the sum over days the rest of the API counts, and a consented id
//! counts once.
//!
//! Keys carried by fewer than the site's minimum group size are left out, and only
//! counted. Keys are not disjoint groups (a visitor carries several) and no total is
//! given, so there is no `(other)` and nothing to recover by subtraction.

use serde::Deserialize;

use super::range::DateRange;
use super::sql::{Bind, Sql};
use super::QueryError;
use crate::store::{Store, StoreError};

/// Most keys read.
pub const MAX_KEYS: u64 = 10_000;
/// Most keys shown.
pub const MAX_SHOWN: usize = 1_000;

/// One property key.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Deserialize)]
pub struct PropertyKey {
    /// The key.
    pub key: String,
    /// Visitors with an event carrying it.
    pub visitors: u64,
}

/// The keys of a range after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    /// Keys with at least `k` visitors, most visitors first (at most [`MAX_SHOWN`]).
    pub shown: Vec<PropertyKey>,
    /// Keys left out for having fewer.
    pub suppressed: usize,
}

/// Keys and visitors of the site's events in `range` (named `event` only, if given),
/// most visitors first. The `toDate` bounds are for key pruning on 18.16 (notes P1).
fn keys_sql(site_id: u32, range: &DateRange, event: Option<&str>) -> Sql {
    let (first, last) = range.utc_days();
    let secs = |t: i64| Bind::U64(t.max(0) as u64);
    let mut sql = Sql::default();
    sql.push(
        "SELECT prop_key, toUInt64(uniqExact(visitor_id)) AS visitors \
         FROM events ARRAY JOIN prop_keys AS prop_key WHERE ",
    )
    .site_days(site_id, first, last)
    .push(" AND timestamp >= toDateTime(")
    .bind(secs(range.from))
    .push(") AND timestamp < toDateTime(")
    .bind(secs(range.to))
    .push(")");
    if let Some(name) = event {
        sql.push(" AND name = ").bind(Bind::Str(name.to_owned()));
    }
    sql.push(&format!(
        " GROUP BY prop_key ORDER BY visitors DESC, prop_key LIMIT {MAX_KEYS}"
    ));
    sql
}

/// The property keys of the range carried by at least `k` visitors.
pub async fn run(
    store: &Store,
    site_id: u32,
    range: &DateRange,
    event: Option<&str>,
    k: u64,
) -> Result<Keys, QueryError> {
    let all = keys_sql(site_id, range, event)
        .query(store.client())
        .fetch_all::<PropertyKey>()
        .await
        .map_err(StoreError::from)?;
    Ok(suppress(all, k))
}

/// Splits keys (most visitors first) at `k`.
fn suppress(all: Vec<PropertyKey>, k: u64) -> Keys {
    let (mut shown, hidden): (Vec<_>, Vec<_>) = all.into_iter().partition(|p| p.visitors >= k);
    shown.truncate(MAX_SHOWN);
    Keys {
        shown,
        suppressed: hidden.len(),
    }
}

/// Sample statements for the dialect catalog: the sample day, all events and one name.
pub fn catalog_samples() -> Vec<(String, String)> {
    let range = DateRange::utc_day(super::stats::sample_day());
    let client = clickhouse::Client::default();
    let render = |s: Sql| s.query(&client).sql_display().to_string();
    vec![
        (
            "properties::keys".to_owned(),
            render(keys_sql(7, &range, None)),
        ),
        (
            "properties::keys(event)".to_owned(),
            render(keys_sql(7, &range, Some("Booking's"))),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_bound() {
        for (name, sql) in catalog_samples() {
            assert!(!sql.contains('?'), "{name}: {sql}");
            assert!(sql.contains("toDate('2026-11-23')"), "{name}: {sql}");
        }
        assert!(catalog_samples()[1].1.contains("name = 'Booking\\'s'"));
    }

    #[test]
    fn rare_keys_are_only_counted() {
        let key = |k: &str, v: u64| PropertyKey {
            key: k.into(),
            visitors: v,
        };
        let all = vec![
            key("specialty", 12),
            key("doctor", 5),
            key("x", 4),
            key("y", 1),
        ];
        let keys = suppress(all, 5);
        assert_eq!(keys.shown, vec![key("specialty", 12), key("doctor", 5)]);
        assert_eq!(keys.suppressed, 2);
    }
}
