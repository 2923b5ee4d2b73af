//! API keys for the stats API: only a SHA-256 of each key is stored, so a copy of the
//! database does not hand out working keys.

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
    let rows = store
        .client()
        .query(SITE_FOR_KEY)
        .bind(hash(key))
        .fetch_all::<u32>()
        .await?;
    Ok(rows.first().copied())
}

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
