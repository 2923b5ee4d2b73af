//! Visitor-days: each visitor id's day of events, ordered and cut into visits, built
//! inside ClickHouse so that stats queries read one row per visitor instead of
//! re-sorting raw events.
//!
//! A visit is a run of events of one visitor id with no gap over 30 minutes; visits
//! never cross midnight UTC, the boundary where daily visitor ids change anyway. A row
//! therefore depends on its own UTC day only, and one SELECT ([`build_select`]) serves
//! both the background job (closed days, `INSERT … SELECT` inside ClickHouse) and
//! queries (the open tail: days without a build, sessionized on the fly), so that
//! materialized and live answers cannot disagree.
//!
//! Idempotence without locks: a (re)build writes its rows under a fresh random `build`
//! number (its own partition), then records `(day, build, events)` in
//! `visitor_day_builds`; readers use the latest recorded build of each day. Two nodes
//! building the same day at once both succeed and one build wins; the others' partitions
//! are dropped a few minutes later. A day whose event count changed since its build
//! (late events replayed from a spool) is rebuilt on the next run. A closed day's build
//! also writes its per-day stats sums (`rollup`) into the same partition before it is
//! recorded; a build recorded with an older rollup set is rebuilt.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Deserialize;

use super::rollup;
use crate::store::{day_build_partition, Store, StoreError};

/// Inactivity that ends a visit, in milliseconds.
pub const VISIT_GAP_MS: u64 = 30 * 60 * 1000;

/// Events of one visitor-day beyond which the row is left out (a runaway client or an
/// undetected robot): per-row array work is quadratic in places (clickhouse-notes P8).
pub const MAX_EVENTS_PER_ROW: u64 = 20_000;

/// How long a replaced build stays readable, for queries that started before the switch.
const RETIRE_AFTER_MS: u64 = 10 * 60 * 1000;

/// The visitor-day SELECT over `events` rows matching `{WHERE}`, with `{BUILD}` as the
/// build number; columns in the order of the `visitor_days` table.
const BUILD_SELECT: &str = "SELECT site_id, day, {BUILD} AS build, visitor_id, evs[1].19 AS consented, ts[1] AS first_ms, \
  arrayFilter((t, f) -> f, ts, starts) AS s_start, \
  arrayMap((a, b) -> toUInt32(b - a), s_start, arrayFilter((t, f) -> f, ts, arrayPushBack(arrayPopFront(starts), 1))) AS s_duration, \
  arrayMap((i, es, en) -> toUInt32(arrayCount((s, n) -> s = i AND n = 'pageview', es, en)), arrayEnumerate(s_start), arrayResize([e_session], length(s_start), e_session), arrayResize([e_name], length(s_start), e_name)) AS s_pageviews, \
  arrayMap((i, es) -> toUInt32(arrayCount(s -> s = i, es)), arrayEnumerate(s_start), arrayResize([e_session], length(s_start), e_session)) AS s_events, \
  arrayMap((p, n) -> toUInt8(p = 1 AND n = 1), s_pageviews, s_events) AS s_bounce, \
  arrayMap((i, ep, es, en) -> arrayFirst((p, s, n) -> s = i AND n = 'pageview', ep, es, en), arrayEnumerate(s_start), arrayResize([e_page], length(s_start), e_page), arrayResize([e_session], length(s_start), e_session), arrayResize([e_name], length(s_start), e_name)) AS s_entry, \
  arrayMap((i, ep, es, en) -> arrayFirst((p, s, n) -> s = i AND n = 'pageview', ep, es, en), arrayEnumerate(s_start), arrayResize([arrayReverse(e_page)], length(s_start), arrayReverse(e_page)), arrayResize([arrayReverse(e_session)], length(s_start), arrayReverse(e_session)), arrayResize([arrayReverse(e_name)], length(s_start), arrayReverse(e_name))) AS s_exit, \
  arrayMap(e -> e.7, firsts) AS s_hostname, arrayMap(e -> e.8, firsts) AS s_referrer, \
  arrayMap(e -> e.9, firsts) AS s_source, arrayMap(e -> e.10, firsts) AS s_channel, \
  arrayMap(e -> e.11, firsts) AS s_utm_source, arrayMap(e -> e.12, firsts) AS s_utm_medium, \
  arrayMap(e -> e.13, firsts) AS s_utm_campaign, arrayMap(e -> e.14, firsts) AS s_utm_content, \
  arrayMap(e -> e.15, firsts) AS s_utm_term, arrayMap(e -> e.16, firsts) AS s_country, \
  arrayMap(e -> e.17, firsts) AS s_region, arrayMap(e -> e.18, firsts) AS s_city, \
  arrayMap(e -> e.20, firsts) AS s_browser, arrayMap(e -> e.21, firsts) AS s_browser_version, \
  arrayMap(e -> e.22, firsts) AS s_os, arrayMap(e -> e.23, firsts) AS s_device, \
  arrayMap(t -> toUInt32(t - ts[1]), ts) AS e_ms, e_session, \
  arrayMap((t, nt, nf) -> toUInt32(if(nf, 0, nt - t)), ts, arrayPushBack(arrayPopFront(ts), 0), arrayPushBack(arrayPopFront(starts), 1)) AS e_next_ms, \
  e_name, e_page, arrayMap(e -> e.4, evs) AS e_sensitive, \
  arrayMap(u -> toUInt8(u = 1), arrayEnumerateUniq(e_name, e_page)) AS e_vfirst, \
  arrayMap(u -> toUInt8(u = 1), arrayEnumerateUniq(e_name, e_page, e_session)) AS e_sfirst, \
  arrayMap(e -> e.5, evs) AS e_prop_keys, arrayMap(e -> e.6, evs) AS e_prop_values \
FROM ( \
  SELECT site_id, day, visitor_id, evs, ts, starts, e_session, e_name, e_page, \
         arrayFilter((e, f) -> f, evs, starts) AS firsts \
  FROM ( \
    SELECT site_id, toDate(timestamp) AS day, visitor_id, \
      arraySort(groupArray((toUInt64(timestamp) * 1000 + timestamp_ms, toString(name), pathname, sensitive, \
         prop_keys, prop_values, toString(hostname), referrer, toString(referrer_source), toString(channel), \
         toString(utm_source), toString(utm_medium), toString(utm_campaign), utm_content, utm_term, \
         toStringCutToZero(country_code), toString(region), toString(city), consented, toString(browser), \
         toString(browser_version), toString(os), toString(device)))) AS evs, \
      arrayMap(e -> e.1, evs) AS ts, \
      arrayMap((d, i) -> toUInt8(i = 1 OR d > {GAP}), arrayDifference(ts), arrayEnumerate(ts)) AS starts, \
      arrayMap(c -> toUInt32(c), arrayCumSum(starts)) AS e_session, \
      arrayMap(e -> e.2, evs) AS e_name, \
      arrayMap(e -> e.3, evs) AS e_page \
    FROM events WHERE {WHERE} \
    GROUP BY site_id, day, visitor_id \
    HAVING count() <= {MAX} \
  ) \
)";

/// The visitor-day SELECT over the events matching `condition`, writing `build`.
pub fn build_select(condition: &str, build: &str) -> String {
    BUILD_SELECT
        .replace("{WHERE}", condition)
        .replace("{BUILD}", build)
        .replace("{GAP}", &VISIT_GAP_MS.to_string())
        .replace("{MAX}", &MAX_EVENTS_PER_ROW.to_string())
}

/// The job's statement; binds: build, day, and for the open day its cutoff (seconds).
pub fn build_day_sql(open: bool) -> String {
    let cond = if open {
        "toDate(timestamp) = toDate(?) AND timestamp < toDateTime(?)"
    } else {
        "toDate(timestamp) = toDate(?)"
    };
    format!(
        "INSERT INTO visitor_days {}",
        build_select(cond, "toUInt64(?)")
    )
}

/// Binds: build, day, events, version, cutoff, rollups.
pub const RECORD_BUILD: &str =
    "INSERT INTO visitor_day_builds (build, day, events, version, cutoff, rollups) \
    VALUES (?, toDate(?), ?, ?, ?, ?)";

/// Binds: first day, last day. The current build of each day.
pub const CURRENT_BUILDS: &str = "SELECT toString(day) AS d, argMax(build, version) AS b, \
    argMax(events, version) AS n, max(version) AS v, argMax(cutoff, version) AS c, \
    argMax(rollups, version) AS r \
    FROM visitor_day_builds WHERE day >= toDate(?) AND day <= toDate(?) GROUP BY day";

/// Binds: day, cutoff (seconds). Events of the open day before the cutoff.
pub const OPEN_DAY_EVENTS: &str = "SELECT count() FROM events \
    WHERE toDate(timestamp) = toDate(?) AND timestamp < toDateTime(?)";

/// Binds: first day, day after the last. Events per UTC day.
pub const EVENTS_PER_DAY: &str = "SELECT toString(toDate(timestamp)) AS day, count() AS events \
    FROM events WHERE toDate(timestamp) >= toDate(?) AND toDate(timestamp) < toDate(?) GROUP BY day";

/// The recorded build of one day.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Deserialize)]
pub struct Build {
    /// UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Build number.
    pub build: u64,
    /// Events of the day when it was built.
    pub events: u64,
    /// When it was recorded (ms since the epoch).
    pub version: u64,
    /// For a build of the open day: the events it holds are those before this time
    /// (seconds since the epoch); 0 for a whole day.
    pub cutoff: u32,
    /// The rollup set written with the build (`rollup::VERSION`; 0 for none).
    pub rollups: u8,
}

#[derive(Debug, clickhouse::Row, Deserialize)]
struct DayCount {
    day: String,
    events: u64,
}

/// Current builds for the UTC days `first..=last`, by day.
pub async fn current_builds(
    store: &Store,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Build>, StoreError> {
    let rows = store
        .client()
        .query(CURRENT_BUILDS)
        .bind(first.to_string())
        .bind(last.to_string())
        .fetch_all::<Build>()
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|b| Some((b.day.parse().ok()?, b)))
        .collect())
}

/// What one run of the job did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct JobReport {
    /// Days (re)built.
    pub built: Vec<NaiveDate>,
    /// Retired build partitions dropped.
    pub dropped: usize,
}

/// Builds every closed UTC day (before today) that has events and no up-to-date build,
/// looking back `lookback_days` (all history when `None`), and today up to `now`
/// (queries read the rest of today's visitors from `events`), then drops retired
/// builds.
pub async fn run(
    store: &Store,
    now: DateTime<Utc>,
    lookback_days: Option<u64>,
) -> Result<JobReport, StoreError> {
    let today = now.date_naive();
    let first = match lookback_days {
        Some(n) => today - Days::new(n),
        None => NaiveDate::from_ymd_opt(1970, 1, 2).unwrap_or(today),
    };
    let counts = store
        .client()
        .query(EVENTS_PER_DAY)
        .bind(first.to_string())
        .bind(today.to_string())
        .fetch_all::<DayCount>()
        .await?;
    let builds = current_builds(store, first, today).await?;
    let shards = store.shards().await?;
    let mut report = JobReport::default();
    for c in counts {
        let Ok(day) = c.day.parse::<NaiveDate>() else {
            continue;
        };
        if builds
            .get(&day)
            .is_some_and(|b| b.events == c.events && b.cutoff == 0 && b.rollups == rollup::VERSION)
        {
            continue;
        }
        build_day(store, &shards, day, c.events, None).await?;
        report.built.push(day);
    }
    // The open day, up to the start of this second: rebuilt when it has more events.
    let cutoff = u32::try_from(now.timestamp()).unwrap_or(0);
    let open: u64 = store
        .client()
        .query(OPEN_DAY_EVENTS)
        .bind(today.to_string())
        .bind(cutoff)
        .fetch_one()
        .await?;
    let current = builds.get(&today);
    if open > 0 && !current.is_some_and(|b| b.cutoff > 0 && b.events == open) {
        build_day(store, &shards, today, open, Some(cutoff)).await?;
        report.built.push(today);
    }
    report.dropped = drop_retired(store, &shards, now).await?;
    Ok(report)
}

/// Builds one day under a fresh build number and makes it current; with `cutoff`
/// (the open day), only its events before that second.
///
/// Each shard (`shards`, from [`Store::shards`]; the one server otherwise) builds its
/// own visitors from its own events, all at once and under the same number; the build
/// is recorded once every shard has its rows, so no reader sees half a day. A shard
/// that fails leaves an unrecorded build, retired like any other.
pub async fn build_day(
    store: &Store,
    shards: &[Store],
    day: NaiveDate,
    events: u64,
    cutoff: Option<u32>,
) -> Result<u64, StoreError> {
    // Never 0: the open tail is labelled build 0 in query answers.
    let build = rand::random::<u64>() >> 1 | 1;
    let started = std::time::Instant::now();
    let mut work = tokio::task::JoinSet::new();
    for shard in shards {
        let shard = shard.clone();
        work.spawn(async move { build_shard(&shard, day, build, cutoff).await });
    }
    for done in work.join_all().await {
        done?;
    }
    // The open day is rebuilt every minute and always read from its rows: no rollups.
    let rollups = if cutoff.is_some() { 0 } else { rollup::VERSION };
    store
        .client()
        .query(RECORD_BUILD)
        .bind(build)
        .bind(day.to_string())
        .bind(events)
        .bind(Utc::now().timestamp_millis() as u64)
        .bind(cutoff.unwrap_or(0))
        .bind(rollups)
        .execute()
        .await?;
    tracing::info!(%day, events, build, shards = shards.len(), ms = started.elapsed().as_millis() as u64, "visitor-days built");
    Ok(build)
}

/// One shard's rows of a build: its visitor-days and, for a closed day, its rollups.
async fn build_shard(
    shard: &Store,
    day: NaiveDate,
    build: u64,
    cutoff: Option<u32>,
) -> Result<(), StoreError> {
    let mut insert = shard
        .client()
        .query(&build_day_sql(cutoff.is_some()))
        .bind(build)
        .bind(day.to_string());
    if let Some(c) = cutoff {
        insert = insert.bind(c);
    }
    insert.execute().await?;
    if cutoff.is_none() {
        rollup::build(shard, day, build).await?;
    }
    Ok(())
}

/// Drops partitions of builds that are no longer current, once they have been replaced
/// for a while; returns how many.
///
/// The visitor-days and rollups of a build are on every shard; its stored answers
/// are in the global tables, dropped once through `store`.
async fn drop_retired(
    store: &Store,
    shards: &[Store],
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut per_shard = Vec::with_capacity(shards.len());
    for shard in shards {
        let partitions = shard
            .client()
            .query(crate::store::PARTITIONS)
            .bind(shard.database())
            .bind("visitor_days")
            .fetch_all::<(String, u64)>()
            .await?;
        let parsed: Vec<(NaiveDate, u64, u64)> = partitions
            .iter()
            .filter_map(|(p, age)| day_build_partition(p).map(|(d, b)| (d, b, *age)))
            .collect();
        per_shard.push((shard, parsed));
    }
    let mut days: Vec<NaiveDate> = Vec::new();
    for (_, parsed) in &per_shard {
        days.extend(parsed.iter().map(|p| p.0));
    }
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return Ok(0);
    };
    // One build record per day serves every shard.
    let current = current_builds(store, first, last).await?;
    let now_ms = now.timestamp_millis().max(0) as u64;
    let mut retired = std::collections::BTreeSet::new();
    for (shard, parsed) in per_shard {
        for (day, build, age_s) in parsed {
            if retire(current.get(&day), build, now_ms, age_s) {
                for table in ["visitor_days", "day_rollups"] {
                    let sql = drop_build_sql(table, day, build);
                    shard.client().query(&sql).execute().await?;
                }
                retired.insert((day, build));
            }
        }
    }
    for (day, build) in &retired {
        for table in ["answer_parts", "answer_rows", "answer_runs"] {
            let sql = drop_build_sql(table, *day, *build);
            store.client().query(&sql).execute().await?;
        }
    }
    Ok(retired.len())
}

/// Drops one build's partition of `table`; both numbers come from ClickHouse's own
/// partition list, not from input.
fn drop_build_sql(table: &str, day: NaiveDate, build: u64) -> String {
    format!(
        "ALTER TABLE {table} DROP PARTITION ({}, {build})",
        day.format("%Y%m%d")
    )
}

/// Whether a build partition of a day goes, given the day's current build, the job's
/// clock and the seconds since the partition was last written.
///
/// Not while it may still be read (replaced less than [`RETIRE_AFTER_MS`] ago), nor
/// while it may still be written: another node's build is unrecorded until its rows
/// and rollups are in, so a fresh partition that is not current may be one in
/// progress, and dropping it would leave that build recorded without its rows. An
/// unrecorded build whose node died is dropped once the day has a current build and
/// the partition is old.
fn retire(current: Option<&Build>, build: u64, now_ms: u64, age_s: u64) -> bool {
    let settled = age_s.saturating_mul(1000) > RETIRE_AFTER_MS;
    match current {
        Some(c) => {
            c.build != build && settled && now_ms.saturating_sub(c.version) > RETIRE_AFTER_MS
        }
        // The day will be built (it has no current build), and then this goes.
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_retire_only_when_replaced_and_settled() {
        let current = Build {
            day: "2026-11-20".into(),
            build: 1,
            events: 10,
            version: 1_000_000_000,
            cutoff: 0,
            rollups: rollup::VERSION,
        };
        let later = current.version + RETIRE_AFTER_MS + 1;
        let old = RETIRE_AFTER_MS / 1000 + 1;
        assert!(retire(Some(&current), 2, later, old));
        // The current build, a replacement too recent, a partition still being written.
        assert!(!retire(Some(&current), 1, later, old));
        assert!(!retire(Some(&current), 2, current.version + 1, old));
        assert!(!retire(Some(&current), 2, later, 5));
        assert!(!retire(None, 2, later, old));
    }

    #[test]
    fn the_select_has_no_placeholders_left() {
        let s = build_select("1", "0");
        assert!(!s.contains('{'), "{s}");
    }
}
