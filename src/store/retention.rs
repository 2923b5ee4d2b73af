//! Retention: a site's events, visitor-days and rollups older than its
//! `retention_months` are deleted (DESIGN: privacy).
//!
//! Whole partitions go where every site's retention has passed: months of `events`,
//! days of `visitor_days`, `day_rollups` and the stored answers, the cheap way ClickHouse forgets. A site
//! that keeps less than the longest retention has its older rows deleted by a mutation
//! (`ALTER TABLE … DELETE`), asked once and left to ClickHouse; none is asked while an
//! earlier one on the table is still running, so nodes running this at once do not
//! pile them up.

use chrono::{DateTime, Months, NaiveDate, Utc};

use super::sites::{self, Site};
use super::{Store, StoreError};

/// Binds: database, table. Mutations of a table not yet done.
pub const PENDING_MUTATIONS: &str =
    "SELECT count() FROM system.mutations WHERE database = ? AND table = ? AND is_done = 0";

/// Binds: site, first day kept. Whether the site has events before the day.
pub const EXPIRED_EVENTS: &str = "SELECT count() FROM events WHERE site_id = ? \
    AND toDate(timestamp) < toDate(?)";

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    /// Partitions dropped, all tables together.
    pub dropped: usize,
    /// Deletions asked of ClickHouse (one per site and table).
    pub deletions: usize,
}

/// The first day a site keeps on `today`.
pub fn first_kept(site: &Site, today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(u32::from(site.retention_months.max(1))))
        .unwrap_or(NaiveDate::MIN)
}

/// Applies every site's retention on `now`.
pub async fn run(store: &Store, now: DateTime<Utc>) -> Result<Report, StoreError> {
    let sites = sites::list(store).await?;
    let today = now.date_naive();
    let Some(oldest) = sites.iter().map(|s| first_kept(s, today)).min() else {
        return Ok(Report::default());
    };
    let mut report = Report::default();
    let shards = store.shards().await?;
    for (table, expired) in [
        ("events", month_expired as fn(&str, NaiveDate) -> bool),
        ("visitor_days", day_expired),
        ("day_rollups", day_expired),
        ("answer_parts", day_expired),
        ("answer_rows", day_expired),
        ("answer_runs", day_expired),
    ] {
        for target in store.stores_for(table, &shards) {
            for p in partitions(target, table).await? {
                if expired(&p, oldest) {
                    // The partition comes from ClickHouse's own list, not from input.
                    let sql = format!("ALTER TABLE {table} DROP PARTITION {p}");
                    target.client().query(&sql).execute().await?;
                    report.dropped += 1;
                }
            }
        }
    }
    for site in &sites {
        let first = first_kept(site, today);
        if first <= oldest {
            continue;
        }
        let old: u64 = store
            .client()
            .query(EXPIRED_EVENTS)
            .bind(site.site_id)
            .bind(first.to_string())
            .fetch_one()
            .await?;
        // Visitor-days and rollups are derived from events: they go with them.
        if old == 0 {
            continue;
        }
        for (table, day) in DAY_COLUMNS {
            for target in store.stores_for(table, &shards) {
                if pending(target, table).await? {
                    continue;
                }
                target
                    .client()
                    .query(&delete_sql(table, day))
                    .bind(site.site_id)
                    .bind(first.to_string())
                    .execute()
                    .await?;
                report.deletions += 1;
            }
        }
    }
    Ok(report)
}

/// The tables a site's rows are deleted from, with each one's day expression.
pub const DAY_COLUMNS: [(&str, &str); 6] = [
    ("events", "toDate(timestamp)"),
    ("visitor_days", "day"),
    ("day_rollups", "day"),
    ("answer_parts", "day"),
    ("answer_rows", "day"),
    ("answer_runs", "day"),
];

/// Binds: site, first day kept. Deletes a site's rows of `table` before the day.
pub fn delete_sql(table: &str, day: &str) -> String {
    format!("ALTER TABLE {table} DELETE WHERE site_id = ? AND {day} < toDate(?)")
}

async fn partitions(store: &Store, table: &str) -> Result<Vec<String>, StoreError> {
    Ok(store
        .client()
        .query(super::PARTITIONS)
        .bind(store.database())
        .bind(table)
        .fetch_all::<(String, u64)>()
        .await?
        .into_iter()
        .map(|(p, _)| p)
        .collect())
}

async fn pending(store: &Store, table: &str) -> Result<bool, StoreError> {
    let n: u64 = store
        .client()
        .query(PENDING_MUTATIONS)
        .bind(store.database())
        .bind(table)
        .fetch_one()
        .await?;
    Ok(n > 0)
}

/// Whether an `events` partition (`YYYYMM`) ends before `first`.
fn month_expired(p: &str, first: NaiveDate) -> bool {
    let Ok(ym) = p.trim().parse::<u32>() else {
        return false;
    };
    let Some(start) = NaiveDate::from_ymd_opt((ym / 100) as i32, ym % 100, 1) else {
        return false;
    };
    start
        .checked_add_months(Months::new(1))
        .is_some_and(|next| next <= first)
}

/// Whether a `(YYYYMMDD, build)` partition's day is before `first`.
fn day_expired(p: &str, first: NaiveDate) -> bool {
    super::day_build_partition(p).is_some_and(|(d, _)| d < first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn retention_counts_whole_months_back() {
        let mut site = Site::new(1, "a.example", "UTC");
        site.retention_months = 25;
        assert_eq!(first_kept(&site, day(2026, 11, 23)), day(2024, 10, 23));
        site.retention_months = 1;
        assert_eq!(first_kept(&site, day(2026, 3, 31)), day(2026, 2, 28));
    }

    #[test]
    fn partitions_expire_only_when_wholly_before_the_first_day_kept() {
        let first = day(2024, 10, 23);
        assert!(month_expired("202409", first));
        assert!(!month_expired("202410", first));
        assert!(!month_expired("garbage", first));
        assert!(day_expired("(20241022,123)", first));
        assert!(!day_expired("(20241023,123)", first));
        assert!(!day_expired("(x,1)", first));
    }
}
