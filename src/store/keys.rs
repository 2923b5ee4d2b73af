//! API keys for the stats API: only a SHA-256 of each key is stored, so a copy of the
//! database does not hand out working keys. A key's public id (for listing and
//! revoking) is a prefix of that hash; its readable prefix is the key's first characters.

use std::time::{Duration, Instant};

use quick_cache::sync::Cache;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Store, StoreError};

#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
struct KeyRow {
    key_hash: String,
    site_id: u32,
    created_at: u32,
    revoked: u8,
    prefix: String,
    name: String,
    read_only: u8,
}

/// A live key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// Public id (12 hex characters of the key's hash).
    pub id: String,
    /// The site it opens.
    pub site_id: u32,
    /// The key's first characters (`pk_5e1f`), empty for keys made before names.
    pub prefix: String,
    /// A name given at creation.
    pub name: String,
    /// Creation, seconds.
    pub created_at: u32,
    /// Reads only.
    pub read_only: bool,
}

/// What a valid key opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    /// Its site.
    pub site_id: u32,
    /// Reads only.
    pub read_only: bool,
    /// Its public id (as listed), for the audit log.
    pub id: String,
}

/// Binds: key hash.
pub const SITE_FOR_KEY: &str =
    "SELECT site_id, read_only FROM api_keys FINAL WHERE key_hash = ? AND revoked = 0";
/// No binds (`?fields` is the row's columns): live keys.
pub const LIVE: &str = "SELECT ?fields FROM api_keys FINAL WHERE revoked = 0 ORDER BY created_at";
/// Binds: public id.
pub const BY_ID: &str =
    "SELECT ?fields FROM api_keys FINAL WHERE substring(key_hash, 1, 12) = ? AND revoked = 0";

/// Prefix that makes Parcours keys recognisable in secret scanners and logs.
const PREFIX: &str = "pk_";

/// Creates a full key for `site_id` and returns it; it is shown once and never stored.
pub async fn create(store: &Store, site_id: u32) -> Result<String, StoreError> {
    Ok(create_named(store, site_id, "", false).await?.0)
}

/// Creates a key with a name, read-only or not; returns it (shown once) and its id.
pub async fn create_named(
    store: &Store,
    site_id: u32,
    name: &str,
    read_only: bool,
) -> Result<(String, String), StoreError> {
    if name.chars().count() > 100 {
        return Err(StoreError::Invalid(
            "a key's name has at most 100 characters".into(),
        ));
    }
    let mut raw = [0u8; 24];
    rand::rng().fill_bytes(&mut raw);
    let key = format!("{PREFIX}{}", hex::encode(raw));
    let row = KeyRow {
        key_hash: hash(&key),
        site_id,
        created_at: u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(0),
        revoked: 0,
        prefix: key.chars().take(PREFIX.len() + 4).collect(),
        name: name.trim().to_owned(),
        read_only: u8::from(read_only),
    };
    let id = public_id(&row.key_hash);
    write(store, &row).await?;
    Ok((key, id))
}

/// Live keys, of one site or all.
pub async fn list(store: &Store, site_id: Option<u32>) -> Result<Vec<KeyInfo>, StoreError> {
    let rows = store.client().query(LIVE).fetch_all::<KeyRow>().await?;
    Ok(rows
        .into_iter()
        .filter(|r| site_id.is_none_or(|s| s == r.site_id))
        .map(|r| info(&r))
        .collect())
}

/// Revokes the live key with this id; `None` when there is none.
pub async fn revoke(store: &Store, id: &str) -> Result<Option<KeyInfo>, StoreError> {
    let row = store
        .client()
        .query(BY_ID)
        .bind(id)
        .fetch_optional::<KeyRow>()
        .await?;
    let Some(mut row) = row else {
        return Ok(None);
    };
    let listed = info(&row);
    // The table's version column is `created_at`: the revoking row must be newer.
    row.created_at = u32::try_from(chrono::Utc::now().timestamp())
        .unwrap_or(0)
        .max(row.created_at + 1);
    row.revoked = 1;
    write(store, &row).await?;
    Ok(Some(listed))
}

fn info(r: &KeyRow) -> KeyInfo {
    KeyInfo {
        id: public_id(&r.key_hash),
        site_id: r.site_id,
        prefix: r.prefix.clone(),
        name: r.name.clone(),
        created_at: r.created_at,
        read_only: r.read_only == 1,
    }
}

fn public_id(hash: &str) -> String {
    hash.chars().take(12).collect()
}

async fn write(store: &Store, row: &KeyRow) -> Result<(), StoreError> {
    let mut insert = store.client().insert::<KeyRow>("api_keys").await?;
    insert.write(row).await?;
    insert.end().await?;
    Ok(())
}

/// The site a key belongs to, if the key exists and is not revoked.
pub async fn site_for(store: &Store, key: &str) -> Result<Option<KeyGrant>, StoreError> {
    if !looks_like_key(key) {
        return Ok(None);
    }
    grant_for_hash(store, &hash(key)).await
}

async fn grant_for_hash(store: &Store, key_hash: &str) -> Result<Option<KeyGrant>, StoreError> {
    let rows = store
        .client()
        .query(SITE_FOR_KEY)
        .bind(key_hash)
        .fetch_all::<(u32, u8)>()
        .await?;
    Ok(rows.first().map(|&(site_id, ro)| KeyGrant {
        site_id,
        read_only: ro == 1,
        id: public_id(key_hash),
    }))
}

/// Whether a string has the shape of a key (checked before any query).
pub fn looks_like_key(key: &str) -> bool {
    key.starts_with(PREFIX) && key.len() <= 100
}

/// How long a node trusts a key it has found by default, without asking ClickHouse
/// again: a revoked key keeps working on a node for at most this long.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(30);

/// Keys found recently, by hash: checking a key is a ClickHouse round trip (some
/// 15 ms on 18.16) in front of every stats request. Unknown keys are never kept.
pub struct KeyCache {
    entries: Cache<String, (KeyGrant, Instant)>,
    ttl: Duration,
}

impl Default for KeyCache {
    fn default() -> Self {
        Self::new(KEY_CACHE_TTL)
    }
}

impl KeyCache {
    /// A cache trusting entries for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            entries: Cache::new(1_000),
            ttl,
        }
    }

    /// The grant of a key found lately, without asking ClickHouse.
    pub fn cached(&self, key: &str) -> Option<KeyGrant> {
        if !looks_like_key(key) {
            return None;
        }
        self.entries
            .get(&hash(key))
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(g, _)| g)
    }

    /// [`site_for`], answered from the cache while the entry is younger than the ttl.
    pub async fn site_for(&self, store: &Store, key: &str) -> Result<Option<KeyGrant>, StoreError> {
        if !looks_like_key(key) {
            return Ok(None);
        }
        let key_hash = hash(key);
        if let Some((grant, at)) = self.entries.get(&key_hash) {
            if at.elapsed() < self.ttl {
                return Ok(Some(grant));
            }
        }
        let grant = grant_for_hash(store, &key_hash).await?;
        match &grant {
            Some(g) => self.entries.insert(key_hash, (g.clone(), Instant::now())),
            None => {
                self.entries.remove(&key_hash);
            }
        }
        Ok(grant)
    }

    /// Forgets every entry (a key revoked on this node stops here at once).
    pub fn clear(&self) {
        self.entries.clear();
    }
}

/// The public id of a key (as listed), for tests and the CLI.
pub fn id_of(key: &str) -> String {
    public_id(&hash(key))
}

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
