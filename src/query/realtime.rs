//! The realtime query behind `POST /api/v2/realtime`: who is on the site in the last
//! five minutes, and on which page, read straight from `events`.
//!
//! Requirements:
//! 1. "Now" is an argument, so answers are reproducible (tests, the CLI).
//! 2. A visitor's current page is the page of its latest pageview in the window;
//!    visitors whose only events in the window are custom events are on no page.
//! 3. Sensitive pages never leave ClickHouse by name: they are grouped into one
//!    nameless group in SQL, which is always folded into `(other)`.
//! 4. Minimum group size with complementary suppression, as in `stats`. Each visitor
//!    has exactly one current page, so page groups are disjoint and `(other)` is the
//!    exact sum of what it holds: no second query is needed, unlike `stats::run`.
//!
//! Deliberately not here: visitor-days (they are built for closed days only, and the
//! last five minutes are never closed), sessions, and any breakdown but the page.
//! Visitor ids are daily, so a visitor active across midnight UTC counts twice.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::sql::{Bind, Sql};
use super::stats::OTHER;
use super::QueryError;
use crate::store::{Store, StoreError};

/// Length of the realtime window.
pub const WINDOW_SECONDS: i64 = 300;
/// Label of visitors with no pageview in the window (only custom events).
pub const NO_PAGE: &str = "(none)";

/// One group as ClickHouse returns it.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Deserialize)]
struct GroupRow {
    /// 0: a page; 1: some sensitive page; 2: no pageview in the window.
    kind: u8,
    /// Empty unless `kind` is a page.
    page: String,
    visitors: u64,
    pageviews: u64,
}

/// Current visitors by page, after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct Realtime {
    /// Unique visitor ids with an event in the window.
    pub visitors: u64,
    /// Pageviews in the window.
    pub pageviews: u64,
    /// `(page, current visitors)`, largest first, `(other)` last when shown.
    pub pages: Vec<(String, u64)>,
    /// Groups hidden in `(other)`, or dropped with it.
    pub suppressed: usize,
    /// Window start (exclusive).
    pub from: DateTime<Utc>,
    /// Window end (inclusive): `now`.
    pub to: DateTime<Utc>,
}

/// The current-pages statement for the window ending at `now`: one row per current
/// page of the site's visitors, sensitive pages as one nameless group (`kind` 1),
/// visitors without a pageview as another (`kind` 2).
///
/// The `toDate(timestamp)` bounds are for key pruning on 18.16 (clickhouse-notes P1);
/// the exact window is in milliseconds so that five minutes are five minutes.
fn current_pages_sql(site_id: u32, now: DateTime<Utc>) -> Sql {
    let from = now - Duration::seconds(WINDOW_SECONDS);
    let ms = |t: DateTime<Utc>| Bind::U64(t.timestamp_millis().max(0) as u64);
    let day = |t: DateTime<Utc>| t.date_naive().to_string();
    let mut sql = Sql::default();
    sql.push(
        "SELECT kind, page, toUInt64(count()) AS visitors, toUInt64(sum(pv)) AS pageviews FROM (\
         SELECT visitor_id, countIf(name = 'pageview') AS pv, \
         argMaxIf(sensitive, (timestamp, timestamp_ms), name = 'pageview') AS sens, \
         toUInt8(multiIf(pv = 0, 2, sens = 1, 1, 0)) AS kind, \
         if(kind = 0, argMaxIf(pathname, (timestamp, timestamp_ms), name = 'pageview'), '') AS page \
         FROM events WHERE ",
    )
    .site_days(site_id, day(from), day(now))
    .push(" AND toUInt64(timestamp) * 1000 + timestamp_ms > ")
    .bind(ms(from))
    .push(" AND toUInt64(timestamp) * 1000 + timestamp_ms <= ")
    .bind(ms(now))
    .push(" GROUP BY visitor_id) GROUP BY kind, page");
    sql
}

/// Visitors and pageviews of the five minutes up to `now`, with current pages
/// suppressed at minimum group size `k`.
pub async fn run(
    store: &Store,
    site_id: u32,
    now: DateTime<Utc>,
    k: u64,
) -> Result<Realtime, QueryError> {
    let rows = current_pages_sql(site_id, now)
        .query(store.client())
        .fetch_all::<GroupRow>()
        .await
        .map_err(StoreError::from)?;
    let visitors = rows.iter().map(|r| r.visitors).sum();
    let pageviews = rows.iter().map(|r| r.pageviews).sum();
    let groups = rows
        .into_iter()
        .map(|r| match r.kind {
            0 => (Some(r.page), r.visitors),
            2 => (Some(NO_PAGE.to_owned()), r.visitors),
            // Sensitive, or anything unexpected: counted, never named.
            _ => (None, r.visitors),
        })
        .collect();
    let (pages, suppressed) = suppress(groups, k);
    Ok(Realtime {
        visitors,
        pageviews,
        pages,
        suppressed,
        from: now - Duration::seconds(WINDOW_SECONDS),
        to: now,
    })
}

/// Minimum-group-size suppression over disjoint groups: `(name, visitors)`, where a
/// group without a name may never be shown by itself.
///
/// Groups under `k` (and nameless ones) fold into `(other)`; while `(other)` is under
/// `k`, the smallest shown group folds into it too, until it reaches `k` or nothing
/// is shown (then `(other)` is dropped as well). Answers the rows, largest first with
/// `(other)` last, and how many groups were hidden.
pub fn suppress(groups: Vec<(Option<String>, u64)>, k: u64) -> (Vec<(String, u64)>, usize) {
    let (mut shown, hidden): (Vec<_>, Vec<_>) = groups
        .into_iter()
        .partition(|(name, n)| name.is_some() && *n >= k);
    let mut suppressed = hidden.len();
    let mut other: u64 = hidden.iter().map(|(_, n)| n).sum();
    shown.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    while suppressed > 0 && other < k {
        let Some((_, n)) = shown.pop() else { break };
        other += n;
        suppressed += 1;
    }
    let mut rows: Vec<(String, u64)> = shown
        .into_iter()
        .map(|(name, n)| (name.unwrap_or_default(), n))
        .collect();
    if suppressed > 0 && other >= k {
        rows.push((OTHER.to_owned(), other));
    }
    (rows, suppressed)
}

/// Sample statement for the dialect catalog.
pub fn catalog_samples() -> Vec<(String, String)> {
    let now = DateTime::from_timestamp(1_795_910_400, 0).unwrap_or_default();
    let client = clickhouse::Client::default();
    vec![(
        "realtime::CURRENT_PAGES".to_owned(),
        current_pages_sql(7, now)
            .query(&client)
            .sql_display()
            .to_string(),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(rows: &[(&str, u64)]) -> Vec<(Option<String>, u64)> {
        rows.iter()
            .map(|(p, n)| (Some((*p).to_owned()), *n))
            .collect()
    }

    fn owned(rows: &[(&str, u64)]) -> Vec<(String, u64)> {
        rows.iter().map(|(p, n)| ((*p).to_owned(), *n)).collect()
    }

    #[test]
    fn small_groups_fold_into_other() {
        let (rows, hidden) = suppress(named(&[("/b", 6), ("/a", 9), ("/x", 3), ("/y", 2)]), 5);
        assert_eq!(rows, owned(&[("/a", 9), ("/b", 6), ("(other)", 5)]));
        assert_eq!(hidden, 2);
    }

    #[test]
    fn a_small_other_takes_the_smallest_shown_groups() {
        // (other) would be 4 < 5: /b folds in, so 4 cannot be read off the total.
        let (rows, hidden) = suppress(named(&[("/a", 8), ("/b", 6), ("/x", 3), ("/y", 1)]), 5);
        assert_eq!(rows, owned(&[("/a", 8), ("(other)", 10)]));
        assert_eq!(hidden, 3);
        // Nothing large enough at all: nothing shown.
        let (rows, hidden) = suppress(named(&[("/x", 3), ("/y", 1)]), 5);
        assert_eq!(rows, owned(&[]));
        assert_eq!(hidden, 2);
        // No small group: no (other), nothing folded.
        let (rows, hidden) = suppress(named(&[("/a", 5), ("/b", 7)]), 5);
        assert_eq!(rows, owned(&[("/b", 7), ("/a", 5)]));
        assert_eq!(hidden, 0);
    }

    #[test]
    fn nameless_groups_are_never_shown_by_themselves() {
        let mut groups = named(&[("/a", 7)]);
        groups.push((None, 12));
        let (rows, hidden) = suppress(groups, 5);
        assert_eq!(rows, owned(&[("/a", 7), ("(other)", 12)]));
        assert_eq!(hidden, 1);
    }

    #[test]
    fn every_value_is_bound() {
        let now = DateTime::from_timestamp(1_795_910_400, 120).unwrap();
        let sql = current_pages_sql(7, now)
            .query(&clickhouse::Client::default())
            .sql_display()
            .to_string();
        assert!(!sql.contains('?'), "{sql}");
        assert!(sql.contains("site_id = 7"), "{sql}");
        assert!(sql.contains("toDate('2026-11-29')"), "{sql}");
        assert!(sql.contains("> 1795910100000"), "{sql}");
        assert!(sql.contains("<= 1795910400000"), "{sql}");
    }
}
