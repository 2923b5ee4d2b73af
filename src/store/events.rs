//! The row written to `events` for every accepted beacon, and the batch insert.
//!
//! Field order matches the table's column order: RowBinary is positional.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// One anonymized, enriched event as stored in ClickHouse.
#[derive(Debug, Clone, Default, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct EventRow {
    /// Site the event belongs to.
    pub site_id: u32,
    /// Seconds since the epoch (UTC), set by the receiving node.
    pub timestamp: u32,
    /// Milliseconds within the second, to order a pageview and its event in one second.
    pub timestamp_ms: u16,
    /// Daily-salted HMAC of site, IP and user agent (see `visitor`).
    pub visitor_id: u64,
    /// `pageview` or a custom event name.
    pub name: String,
    /// Page host without `www.`.
    pub hostname: String,
    /// Scrubbed path (ID-like segments masked).
    pub pathname: String,
    /// Allowed query keys (beyond UTM).
    pub query_keys: Vec<String>,
    /// Values of `query_keys`, same order.
    pub query_values: Vec<String>,
    /// Referrer host and scrubbed path; never its query.
    pub referrer: String,
    /// Source name (Google, Facebook, Newsletter, a partner domain, ...).
    pub referrer_source: String,
    /// Channel (Organic Search, Email, Webinar, ...).
    pub channel: String,
    /// `utm_source`.
    pub utm_source: String,
    /// `utm_medium`.
    pub utm_medium: String,
    /// `utm_campaign`.
    pub utm_campaign: String,
    /// `utm_content`.
    pub utm_content: String,
    /// `utm_term`.
    pub utm_term: String,
    /// ISO country code, or two zero bytes when unknown.
    pub country_code: [u8; 2],
    /// ISO 3166-2 subdivision code when known.
    pub subdivision_code: String,
    /// Region name.
    pub region: String,
    /// City name (empty unless the site enables cities).
    pub city: String,
    /// GeoNames id of the city when the database has one.
    pub city_geoname_id: u32,
    /// Browser name.
    pub browser: String,
    /// Browser major version.
    pub browser_version: String,
    /// Operating system.
    pub os: String,
    /// Operating system version.
    pub os_version: String,
    /// 0 unknown, 1 desktop, 2 mobile, 3 tablet (the `Enum8` codes).
    pub device: i8,
    /// Custom property names.
    pub prop_keys: Vec<String>,
    /// Custom property values, same order.
    pub prop_values: Vec<String>,
    /// Revenue in 1/10,000 of the currency unit (`Decimal(18, 4)`).
    pub revenue_amount: i64,
    /// ISO 4217 currency, or zero bytes.
    pub revenue_currency: [u8; 3],
    /// 1 when the path matched a sensitive pattern: aggregate counts only.
    pub sensitive: u8,
    /// 1 when `visitor_id` rests on a consented, cross-day id (added by migration 5).
    /// Defaulted so spool files written before the column existed still replay.
    #[serde(default)]
    pub consented: u8,
    /// The batch or log record this row came in (added by migration 14): a retry checks
    /// which are already stored. Defaulted so older spool files still replay.
    #[serde(default)]
    pub batch_id: u64,
}

/// [`EventRow`] borrowing its strings, for bulk loads that stamp millions of rows from a
/// few templates without copying them. Same fields in the same order (RowBinary is
/// positional); a test holds the two together.
#[derive(Debug, Clone, Copy, PartialEq, clickhouse::Row, Serialize)]
pub struct EventRowRef<'a> {
    /// Site the event belongs to.
    pub site_id: u32,
    /// Seconds since the epoch (UTC), set by the receiving node.
    pub timestamp: u32,
    /// Milliseconds within the second, to order a pageview and its event in one second.
    pub timestamp_ms: u16,
    /// Daily-salted HMAC of site, IP and user agent (see `visitor`).
    pub visitor_id: u64,
    /// `pageview` or a custom event name.
    pub name: &'a str,
    /// Page host without `www.`.
    pub hostname: &'a str,
    /// Scrubbed path (ID-like segments masked).
    pub pathname: &'a str,
    /// Allowed query keys (beyond UTM).
    pub query_keys: &'a [String],
    /// Values of `query_keys`, same order.
    pub query_values: &'a [String],
    /// Referrer host and scrubbed path; never its query.
    pub referrer: &'a str,
    /// Source name (Google, Facebook, Newsletter, a partner domain, ...).
    pub referrer_source: &'a str,
    /// Channel (Organic Search, Email, Webinar, ...).
    pub channel: &'a str,
    /// `utm_source`.
    pub utm_source: &'a str,
    /// `utm_medium`.
    pub utm_medium: &'a str,
    /// `utm_campaign`.
    pub utm_campaign: &'a str,
    /// `utm_content`.
    pub utm_content: &'a str,
    /// `utm_term`.
    pub utm_term: &'a str,
    /// ISO country code, or two zero bytes when unknown.
    pub country_code: [u8; 2],
    /// ISO 3166-2 subdivision code when known.
    pub subdivision_code: &'a str,
    /// Region name.
    pub region: &'a str,
    /// City name (empty unless the site enables cities).
    pub city: &'a str,
    /// GeoNames id of the city when the database has one.
    pub city_geoname_id: u32,
    /// Browser name.
    pub browser: &'a str,
    /// Browser major version.
    pub browser_version: &'a str,
    /// Operating system.
    pub os: &'a str,
    /// Operating system version.
    pub os_version: &'a str,
    /// 0 unknown, 1 desktop, 2 mobile, 3 tablet (the `Enum8` codes).
    pub device: i8,
    /// Custom property names.
    pub prop_keys: &'a [String],
    /// Custom property values, same order.
    pub prop_values: &'a [String],
    /// Revenue in 1/10,000 of the currency unit (`Decimal(18, 4)`).
    pub revenue_amount: i64,
    /// ISO 4217 currency, or zero bytes.
    pub revenue_currency: [u8; 3],
    /// 1 when the path matched a sensitive pattern: aggregate counts only.
    pub sensitive: u8,
    /// 1 when `visitor_id` rests on a consented, cross-day id (added by migration 5).
    pub consented: u8,
    /// The batch this row came in; 0 for bulk loads, which are not retried.
    pub batch_id: u64,
}

/// Inserts a batch in one request (one part per insert, so batches must be large).
pub async fn insert(store: &Store, rows: &[EventRow]) -> Result<(), StoreError> {
    let t = store.timeouts();
    let mut insert = store
        .client()
        .insert::<EventRow>("events")
        .await?
        .with_timeouts(Some(t.insert_send), Some(t.insert_end));
    for row in rows {
        insert.write(row).await?;
    }
    insert.end().await?;
    Ok(())
}

/// The low bits of a `batch_id` number the rows of one batch or log record; the high
/// bits are the batch's own random base. Every row thus has its own id, so a batch
/// that landed only in part (a log record split over two inserts, an insert cut
/// between two month partitions) is completed, not skipped.
pub const BATCH_ROW_BITS: u32 = 20;

/// Most rows one batch id base can number.
pub const BATCH_MAX_ROWS: usize = 1 << BATCH_ROW_BITS;

// A batch is at most `buffer.flush_rows` rows, which the config caps at a million.
const _: () = assert!(BATCH_MAX_ROWS >= 1_000_000);

/// A fresh random base for a batch's row ids (nonzero, low bits clear).
pub fn batch_base() -> u64 {
    loop {
        let base = rand::random::<u64>() & !(BATCH_MAX_ROWS as u64 - 1);
        if base != 0 {
            return base;
        }
    }
}

/// Which of `rows`' batch ids are already stored.
///
/// Every list in the statement is of integers this node made (site ids, batch
/// bases), never request input. The primary key (site, day) bounds what is read to
/// the batch's sites over the seconds its rows span.
pub async fn landed(store: &Store, rows: &[EventRow]) -> Result<HashSet<u64>, StoreError> {
    let (Some(first), Some(last)) = (
        rows.iter().map(|r| r.timestamp).min(),
        rows.iter().map(|r| r.timestamp).max(),
    ) else {
        return Ok(HashSet::new());
    };
    let sites: BTreeSet<u32> = rows.iter().map(|r| r.site_id).collect();
    let bases: BTreeSet<u64> = rows.iter().map(|r| r.batch_id >> BATCH_ROW_BITS).collect();
    let found: Vec<u64> = store
        .client()
        .query(&landed_sql(&sites, &bases))
        .bind(first)
        .bind(last)
        .fetch_all()
        .await?;
    Ok(found.into_iter().collect())
}

/// The statement of [`landed`] for batch bases (ids shifted right by
/// [`BATCH_ROW_BITS`]); binds: first and last second.
pub fn landed_sql(sites: &BTreeSet<u32>, bases: &BTreeSet<u64>) -> String {
    let list = |v: Vec<String>| v.join(", ");
    format!(
        "SELECT batch_id FROM events \
         WHERE site_id IN ({}) AND timestamp >= toDateTime(?, 'UTC') \
         AND timestamp <= toDateTime(?, 'UTC') AND intDiv(batch_id, {}) IN ({})",
        list(sites.iter().map(u32::to_string).collect()),
        BATCH_MAX_ROWS,
        list(bases.iter().map(u64::to_string).collect()),
    )
}

/// Inserts the rows of `rows` not stored yet, by batch id; returns how many it
/// inserted. Retries after an ambiguous failure (a timeout or a reset after the body
/// was sent) and replays after a crash go through here, so none doubles a row.
pub async fn insert_once(store: &Store, rows: &[EventRow]) -> Result<usize, StoreError> {
    // Bounded like an insert: a ClickHouse that stopped answering must not hold a
    // retry for the whole I/O timeout.
    let landed = tokio::time::timeout(store.timeouts().insert_end, landed(store, rows))
        .await
        .map_err(|_| StoreError::ClickHouse(clickhouse::error::Error::TimedOut))??;
    if landed.is_empty() {
        insert(store, rows).await?;
        return Ok(rows.len());
    }
    let rest: Vec<EventRow> = rows
        .iter()
        .filter(|r| !landed.contains(&r.batch_id))
        .cloned()
        .collect();
    if !rest.is_empty() {
        insert(store, &rest).await?;
    }
    Ok(rest.len())
}

impl EventRowRef<'_> {
    /// An owned copy.
    pub fn to_row(&self) -> EventRow {
        let owned = |v: &[String]| v.to_vec();
        EventRow {
            site_id: self.site_id,
            timestamp: self.timestamp,
            timestamp_ms: self.timestamp_ms,
            visitor_id: self.visitor_id,
            name: self.name.into(),
            hostname: self.hostname.into(),
            pathname: self.pathname.into(),
            query_keys: owned(self.query_keys),
            query_values: owned(self.query_values),
            referrer: self.referrer.into(),
            referrer_source: self.referrer_source.into(),
            channel: self.channel.into(),
            utm_source: self.utm_source.into(),
            utm_medium: self.utm_medium.into(),
            utm_campaign: self.utm_campaign.into(),
            utm_content: self.utm_content.into(),
            utm_term: self.utm_term.into(),
            country_code: self.country_code,
            subdivision_code: self.subdivision_code.into(),
            region: self.region.into(),
            city: self.city.into(),
            city_geoname_id: self.city_geoname_id,
            browser: self.browser.into(),
            browser_version: self.browser_version.into(),
            os: self.os.into(),
            os_version: self.os_version.into(),
            device: self.device,
            prop_keys: owned(self.prop_keys),
            prop_values: owned(self.prop_values),
            revenue_amount: self.revenue_amount,
            revenue_currency: self.revenue_currency,
            sensitive: self.sensitive,
            consented: self.consented,
            batch_id: self.batch_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_bases_leave_room_for_every_row() {
        for _ in 0..100 {
            let base = batch_base();
            assert_ne!(base, 0);
            assert_eq!(base % BATCH_MAX_ROWS as u64, 0);
        }
    }

    #[test]
    fn the_borrowed_twin_serializes_field_for_field_like_the_row() {
        let row = EventRow {
            site_id: 3,
            timestamp: 1_790_000_000,
            name: "pageview".into(),
            pathname: "/a".into(),
            query_keys: vec!["ref".into()],
            query_values: vec!["x".into()],
            country_code: *b"FR",
            device: 2,
            prop_keys: vec!["k".into()],
            prop_values: vec!["v".into()],
            consented: 1,
            batch_id: 7,
            ..EventRow::default()
        };
        let twin = EventRowRef {
            site_id: row.site_id,
            timestamp: row.timestamp,
            timestamp_ms: row.timestamp_ms,
            visitor_id: row.visitor_id,
            name: &row.name,
            hostname: &row.hostname,
            pathname: &row.pathname,
            query_keys: &row.query_keys,
            query_values: &row.query_values,
            referrer: &row.referrer,
            referrer_source: &row.referrer_source,
            channel: &row.channel,
            utm_source: &row.utm_source,
            utm_medium: &row.utm_medium,
            utm_campaign: &row.utm_campaign,
            utm_content: &row.utm_content,
            utm_term: &row.utm_term,
            country_code: row.country_code,
            subdivision_code: &row.subdivision_code,
            region: &row.region,
            city: &row.city,
            city_geoname_id: row.city_geoname_id,
            browser: &row.browser,
            browser_version: &row.browser_version,
            os: &row.os,
            os_version: &row.os_version,
            device: row.device,
            prop_keys: &row.prop_keys,
            prop_values: &row.prop_values,
            revenue_amount: row.revenue_amount,
            revenue_currency: row.revenue_currency,
            sensitive: row.sensitive,
            consented: row.consented,
            batch_id: row.batch_id,
        };
        // Same names in the same order with the same values: the same RowBinary.
        assert_eq!(
            serde_json::to_string(&twin).unwrap(),
            serde_json::to_string(&row).unwrap()
        );
        assert_eq!(twin.to_row(), row);
    }
}
