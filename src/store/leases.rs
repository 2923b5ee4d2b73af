//! Leases on background jobs, so that the nodes sharing one ClickHouse (or one cluster)
//! run each job once rather than once per node.
//!
//! A lease is a row in the global `leases` table: who holds a job until when. A node
//! takes a free or expired lease by writing a newer row, then reads the winner back;
//! the holder renews it on every run. Without compare-and-swap, two nodes may both
//! believe they won for one round: the jobs are idempotent (see `query::materialize`),
//! so that costs repeated work, never wrong data.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// Binds: job. The current holder and its expiry (ms since the epoch).
pub const CURRENT: &str = "SELECT argMax(holder, at), argMax(until, at) FROM leases WHERE job = ?";

#[derive(Debug, clickhouse::Row, Serialize, Deserialize)]
struct Lease {
    job: String,
    holder: String,
    until: u64,
    at: u64,
}

/// Whether `holder` holds the lease on `job` for the next `ttl_ms` after `now_ms`,
/// taking or renewing it.
pub async fn hold(
    store: &Store,
    job: &str,
    holder: &str,
    now_ms: u64,
    ttl_ms: u64,
) -> Result<bool, StoreError> {
    let (current, until) = read(store, job).await?;
    if current != holder && until > now_ms {
        return Ok(false);
    }
    write(store, job, holder, now_ms + ttl_ms, now_ms).await?;
    Ok(read(store, job).await?.0 == holder)
}

async fn read(store: &Store, job: &str) -> Result<(String, u64), StoreError> {
    Ok(store
        .client()
        .query(CURRENT)
        .bind(job)
        .fetch_one::<(String, u64)>()
        .await?)
}

/// Gives up `holder`'s lease on `job`, if it holds it, so that another node (or this one
/// restarted) takes the job over on its next run instead of after the lease expires.
pub async fn release(
    store: &Store,
    job: &str,
    holder: &str,
    now_ms: u64,
) -> Result<(), StoreError> {
    if read(store, job).await?.0 != holder {
        return Ok(());
    }
    // After the holder's own last claim, even within the same millisecond.
    write(store, job, "", 0, now_ms + 1).await
}

async fn write(
    store: &Store,
    job: &str,
    holder: &str,
    until: u64,
    at: u64,
) -> Result<(), StoreError> {
    let mut insert = store.client().insert::<Lease>("leases").await?;
    insert
        .write(&Lease {
            job: job.to_owned(),
            holder: holder.to_owned(),
            until,
            at,
        })
        .await?;
    insert.end().await?;
    Ok(())
}
