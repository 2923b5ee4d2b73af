//! The row written to `events` for every accepted beacon, and the batch insert.
//!
//! Field order matches the table's column order: RowBinary is positional.

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
}

/// Inserts a batch in one request (one part per insert, so batches must be large).
pub async fn insert(store: &Store, rows: &[EventRow]) -> Result<(), StoreError> {
    let mut insert = store.client().insert::<EventRow>("events").await?;
    for row in rows {
        insert.write(row).await?;
    }
    insert.end().await?;
    Ok(())
}
