//! Daily salts: random, shared by all nodes through ClickHouse, destroyed after their day.
//!
//! Requirements:
//! 1. Every node hashes a given day's events with the same salt, without talking to
//!    the other nodes: salts live in the `salts` table and every node picks, for each
//!    day, the smallest candidate there, so concurrent creators converge on one.
//! 2. A ClickHouse outage must not stop ingestion: tomorrow's salt is created a day
//!    ahead, so a node holds the salt it needs for the next day at all times.
//! 3. A salt must not outlive its day by more than the grace period: its partition is
//!    dropped and the in-memory copy forgotten. Salts are random, never derived from a
//!    long-lived secret, and never logged.
//!
//! Deliberately not here: any way to export or back up a salt.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use chrono::{DateTime, Days, NaiveDate, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::Salt;
use crate::store::{Store, StoreError};

#[derive(Debug, clickhouse::Row, Serialize, Deserialize)]
struct SaltRow {
    day: u16,
    salt: String,
}

/// Days are stored as ClickHouse `Date`: days since 1970-01-01.
fn day_number(day: NaiveDate) -> u16 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    u16::try_from((day - epoch).num_days()).unwrap_or(0)
}

fn day_from_number(n: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date") + Days::new(u64::from(n))
}

/// The salts a node currently holds, by UTC day; swapped whole on each rotation.
#[derive(Default)]
pub struct SaltRing {
    by_day: ArcSwap<BTreeMap<NaiveDate, Salt>>,
}

impl SaltRing {
    /// A ring holding the given salts, without ClickHouse (simulator, tests).
    pub fn fixed(salts: impl IntoIterator<Item = (NaiveDate, Salt)>) -> Self {
        Self {
            by_day: ArcSwap::from_pointee(salts.into_iter().collect()),
        }
    }

    /// The salt for the UTC day of `at`, if this node holds it.
    pub fn salt_at(&self, at: DateTime<Utc>) -> Option<Salt> {
        self.by_day.load().get(&at.date_naive()).copied()
    }

    /// The newest day on or before `at`'s UTC day that this node holds a salt for: the
    /// salt in use, or the last one held when rotation has fallen behind.
    pub fn in_use_day(&self, at: DateTime<Utc>) -> Option<NaiveDate> {
        self.by_day
            .load()
            .range(..=at.date_naive())
            .next_back()
            .map(|(day, _)| *day)
    }

    /// Days this node holds a salt for (for tests and `/ready`).
    pub fn days(&self) -> Vec<NaiveDate> {
        self.by_day.load().keys().copied().collect()
    }

    /// Makes sure today's and tomorrow's salts exist, adopts the agreed ones and
    /// destroys those past their day plus `grace`.
    pub async fn rotate(
        &self,
        store: &Store,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> Result<(), StoreError> {
        let today = now.date_naive();
        let tomorrow = today + Days::new(1);
        let yesterday = today - Days::new(1);
        let mut agreed = read_agreed(store, yesterday).await?;
        let mut created = false;
        for day in [today, tomorrow] {
            if !agreed.contains_key(&day) {
                insert_candidate(store, day).await?;
                created = true;
            }
        }
        if created {
            // Another node may have inserted its own candidate at the same moment; a
            // short pause lets both inserts land before everyone picks the minimum.
            tokio::time::sleep(Duration::from_millis(300)).await;
            agreed = read_agreed(store, yesterday).await?;
        }
        let grace_over = now
            .signed_duration_since(today.and_time(chrono::NaiveTime::MIN).and_utc())
            >= chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::zero());
        let keep_from = if grace_over { today } else { yesterday };
        agreed.retain(|day, _| *day >= keep_from);
        self.by_day.store(Arc::new(agreed));
        destroy_before(store, keep_from).await?;
        Ok(())
    }
}

/// Binds: first day. The smallest candidate per day is the agreed salt.
pub const AGREED: &str = "SELECT day, min(salt) FROM salts WHERE day >= toDate(?) GROUP BY day";
/// Binds: day. Partitions of days before it.
pub const EXPIRED: &str = "SELECT DISTINCT toYYYYMMDD(day) FROM salts WHERE day < toDate(?)";

/// Destroys one day's salts; `partition` is a `YYYYMMDD` number read from ClickHouse.
pub fn drop_partition(partition: u32) -> String {
    format!("ALTER TABLE salts DROP PARTITION {partition}")
}

async fn read_agreed(
    store: &Store,
    from: NaiveDate,
) -> Result<BTreeMap<NaiveDate, Salt>, StoreError> {
    let rows = store
        .client()
        .query(AGREED)
        .bind(from.to_string())
        .fetch_all::<SaltRow>()
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let mut salt = [0u8; 32];
        hex::decode_to_slice(&row.salt, &mut salt)
            .map_err(|_| StoreError::Invalid("malformed salt in salts table".into()))?;
        out.insert(day_from_number(row.day), salt);
    }
    Ok(out)
}

async fn insert_candidate(store: &Store, day: NaiveDate) -> Result<(), StoreError> {
    let mut salt = [0u8; 32];
    rand::rng().fill_bytes(&mut salt);
    #[derive(clickhouse::Row, Serialize)]
    struct NewSalt {
        day: u16,
        salt: String,
        created_at: u32,
    }
    let mut insert = store.client().insert::<NewSalt>("salts").await?;
    insert
        .write(&NewSalt {
            day: day_number(day),
            salt: hex::encode(salt),
            created_at: u32::try_from(Utc::now().timestamp()).unwrap_or(0),
        })
        .await?;
    insert.end().await?;
    Ok(())
}

/// Drops every salt partition of a day before `day`.
async fn destroy_before(store: &Store, day: NaiveDate) -> Result<(), StoreError> {
    let old = store
        .client()
        .query(EXPIRED)
        .bind(day.to_string())
        .fetch_all::<u32>()
        .await?;
    for partition in old {
        // `partition` is a number read back from ClickHouse, not user input.
        store
            .client()
            .query(&drop_partition(partition))
            .execute()
            .await?;
        tracing::info!(partition, "salt destroyed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(day_from_number(day_number(d)), d);
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }

    #[test]
    fn the_day_in_use_is_the_newest_not_after_today() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let ring = SaltRing::fixed([(day(7), [0; 32]), (day(8), [1; 32])]);
        let at = |d: u32| day(d).and_hms_opt(13, 0, 0).unwrap().and_utc();
        assert_eq!(ring.in_use_day(at(7)), Some(day(7)));
        // Rotation stalled for two days: the last salt held is a day old.
        assert_eq!(ring.in_use_day(at(9)), Some(day(8)));
        assert_eq!(ring.in_use_day(at(6)), None);
    }
}
