//! API keys for the stats API: only a SHA-256 of each key is stored, so a copy of the
//! database does not hand out working keys.

use std::time::{Duration, Instant};

use quick_cache::sync::Cache;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Store, StoreError};

#[derive(Debug, clickhouse::Row, Serialize, Deserialize)]
struct KeyRow {
    key_hash: String,
    site_id: u32,
    created_at: u32,
    revoked: u8,
}

/// Binds: key hash.
pub const SITE_FOR_KEY: &str =
    "SELECT site_id FROM api_keys FINAL WHERE key_hash = ? AND revoked = 0";

/// Prefix that makes Parcours keys recognisable in secret scanners and logs.
const PREFIX: &str = "pk_";

/// Creates a key for `site_id` and returns it; it is shown once and never stored.
pub async fn create(store: &Store, site_id: u32) -> Result<String, StoreError> {
    let mut raw = [0u8; 24];
    rand::rng().fill_bytes(&mut raw);
    let key = format!("{PREFIX}{}", hex::encode(raw));
    let row = KeyRow {
        key_hash: hash(&key),
        site_id,
        created_at: u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(0),
        revoked: 0,
    };
    let mut insert = store.client().insert::<KeyRow>("api_keys").await?;
    insert.write(&row).await?;
    insert.end().await?;
    Ok(key)
}

/// The site a key belongs to, if the key exists and is not revoked.
pub async fn site_for(store: &Store, key: &str) -> Result<Option<u32>, StoreError> {
    if !key.starts_with(PREFIX) || key.len() > 100 {
        return Ok(None);
    }
    site_for_hash(store, &hash(key)).await
}

async fn site_for_hash(store: &Store, key_hash: &str) -> Result<Option<u32>, StoreError> {
    let rows = store
        .client()
        .query(SITE_FOR_KEY)
        .bind(key_hash)
        .fetch_all::<u32>()
        .await?;
    Ok(rows.first().copied())
}

/// How long a node trusts a key it has found, without asking ClickHouse again: a
/// revoked key keeps working on a node for at most this long.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(30);

/// Keys found recently, by hash: checking a key is a ClickHouse round trip (some
/// 15 ms on 18.16) in front of every stats request. Unknown keys are never kept.
pub struct KeyCache(Cache<String, (u32, Instant)>);

impl Default for KeyCache {
    fn default() -> Self {
        Self(Cache::new(1_000))
    }
}

impl KeyCache {
    /// [`site_for`], answered from the cache while the entry is younger than
    /// [`KEY_CACHE_TTL`].
    pub async fn site_for(&self, store: &Store, key: &str) -> Result<Option<u32>, StoreError> {
        if !key.starts_with(PREFIX) || key.len() > 100 {
            return Ok(None);
        }
        let key_hash = hash(key);
        if let Some((site, at)) = self.0.get(&key_hash) {
            if at.elapsed() < KEY_CACHE_TTL {
                return Ok(Some(site));
            }
        }
        let site = site_for_hash(store, &key_hash).await?;
        match site {
            Some(s) => self.0.insert(key_hash, (s, Instant::now())),
            None => {
                self.0.remove(&key_hash);
            }
        }
        Ok(site)
    }
}

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
