//! Consented cross-day visitor ids: optional, per site, off by default.
//!
//! When a site enables them and a visitor consents, the tracker keeps a random id in
//! localStorage and sends it as `c`. The id itself is never stored: the visitor id is
//! `first 8 bytes of HMAC-SHA256(site key, site id ‖ consent id)`, stable across days.
//! Without a key for the site, `c` is ignored and the daily id applies. Disabling the
//! feature erases the key, which unlinks every consented id from future visits.

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError};

#[derive(Debug, clickhouse::Row, Serialize, Deserialize)]
struct KeyRow {
    site_id: u32,
    key: String,
    enabled: u8,
    updated_at: u32,
}

/// No binds: the enabled keys.
pub const ENABLED: &str =
    "SELECT site_id, key, enabled, updated_at FROM consent_keys FINAL WHERE enabled = 1";
/// Binds: site id.
pub const FOR_SITE: &str =
    "SELECT site_id, key, enabled, updated_at FROM consent_keys FINAL WHERE site_id = ?";

/// The per-site keys a node holds; swapped whole on each refresh.
#[derive(Default)]
pub struct ConsentKeys {
    by_site: ArcSwap<HashMap<u32, [u8; 32]>>,
}

impl ConsentKeys {
    /// Keys given by site, without ClickHouse (simulator, tests).
    pub fn fixed(keys: impl IntoIterator<Item = (u32, [u8; 32])>) -> Self {
        Self {
            by_site: ArcSwap::from_pointee(keys.into_iter().collect()),
        }
    }

    /// Re-reads the enabled keys.
    pub async fn refresh(&self, store: &Store) -> Result<(), StoreError> {
        let rows = store.client().query(ENABLED).fetch_all::<KeyRow>().await?;
        let mut map = HashMap::new();
        for row in rows {
            let mut key = [0u8; 32];
            if hex::decode_to_slice(&row.key, &mut key).is_ok() {
                map.insert(row.site_id, key);
            }
        }
        self.by_site.store(Arc::new(map));
        Ok(())
    }

    /// The key of a site that enabled consented journeys.
    pub fn key_for(&self, site_id: u32) -> Option<[u8; 32]> {
        self.by_site.load().get(&site_id).copied()
    }
}

/// The stable visitor id of a consenting visitor.
pub fn consented_id(key: &[u8; 32], site_id: u32, consent_id: &str) -> u64 {
    super::keyed_id(key, &[&site_id.to_be_bytes(), consent_id.as_bytes()])
}

async fn current(store: &Store, site_id: u32) -> Result<Option<KeyRow>, StoreError> {
    Ok(store
        .client()
        .query(FOR_SITE)
        .bind(site_id)
        .fetch_all::<KeyRow>()
        .await?
        .into_iter()
        .next())
}

async fn write(store: &Store, row: &KeyRow) -> Result<(), StoreError> {
    let mut insert = store.client().insert::<KeyRow>("consent_keys").await?;
    insert.write(row).await?;
    insert.end().await?;
    Ok(())
}

fn next_version(previous: Option<&KeyRow>) -> u32 {
    let now = u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    // The latest version wins in the ReplacingMergeTree: it must move forward even
    // when two changes land within one second.
    previous.map_or(now, |p| now.max(p.updated_at + 1))
}

/// Enables consented journeys for a site (idempotent: an enabled key is kept).
pub async fn enable(store: &Store, site_id: u32) -> Result<(), StoreError> {
    let previous = current(store, site_id).await?;
    if previous.as_ref().is_some_and(|p| p.enabled == 1) {
        return Ok(());
    }
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let row = KeyRow {
        site_id,
        key: hex::encode(key),
        enabled: 1,
        updated_at: next_version(previous.as_ref()),
    };
    write(store, &row).await
}

/// Disables them and erases the key.
pub async fn disable(store: &Store, site_id: u32) -> Result<(), StoreError> {
    let previous = current(store, site_id).await?;
    let row = KeyRow {
        site_id,
        key: String::new(),
        enabled: 0,
        updated_at: next_version(previous.as_ref()),
    };
    write(store, &row).await?;
    // Merge now, so the replaced row holding the key is not kept until some later merge.
    store.client().query(COMPACT).execute().await?;
    Ok(())
}

/// No binds: merges the table so replaced rows (old keys) are dropped.
pub const COMPACT: &str = "OPTIMIZE TABLE consent_keys FINAL";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_on_key_site_and_consent_id() {
        let (k1, k2) = ([1u8; 32], [2u8; 32]);
        let cid = "0123456789abcdef0123456789abcdef";
        let id = consented_id(&k1, 7, cid);
        assert_eq!(id, consented_id(&k1, 7, cid));
        assert_ne!(id, consented_id(&k2, 7, cid));
        assert_ne!(id, consented_id(&k1, 8, cid));
        assert_ne!(id, consented_id(&k1, 7, "ffffffffffffffffffffffffffffffff"));
    }
}
