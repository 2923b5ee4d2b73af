//! Shared links: a read-only dashboard of one site, opened without an account by whoever
//! holds the link, optionally behind a password, optionally narrowed by fixed filters,
//! revocable. The link's token is stored hashed; a password-protected link gives a
//! short-lived grant (a session row with the link's id) once the password is right.

use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;
use serde::{Deserialize, Serialize};

use super::sessions::{self, Lifetimes};
use super::{new_token, now_secs, public_id, token_hash, version, AccountError};
use crate::store::Store;

/// Prefix of link tokens.
pub const PREFIX: &str = "sh_";
/// Prefix of grants given for a password.
pub const GRANT_PREFIX: &str = "sg_";
/// How long a grant lasts.
pub const GRANT_LIFE: Duration = Duration::from_secs(12 * 3600);

/// A stored shared link.
#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
pub struct Share {
    /// Public id (a prefix of the token hash).
    pub share_id: String,
    /// SHA-256 of the token.
    pub token_hash: String,
    /// The one site it opens.
    pub site_id: u32,
    /// A name for the people managing links ("Direction", "Agence").
    pub name: String,
    /// argon2id hash of its password, or "".
    pub password_hash: String,
    /// Stats filters added to every answer, as JSON (`[]` for none).
    pub filters: String,
    /// Origins that may frame the dashboard.
    pub embed_origins: Vec<String>,
    /// Who made it (an e-mail).
    pub created_by: String,
    /// Creation, seconds.
    pub created_at: u32,
    /// Revoked links open nothing.
    pub revoked: u8,
    /// Version (milliseconds; latest wins).
    pub updated_at: u64,
}

impl Share {
    /// The fixed filters, as stats filters.
    pub fn filter_list(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.filters).unwrap_or_default()
    }
}

/// Binds: id.
pub const BY_ID: &str = "SELECT ?fields FROM shares FINAL WHERE share_id = ?";
/// Binds: site id. The site's live links.
pub const OF_SITE: &str =
    "SELECT ?fields FROM shares FINAL WHERE site_id = ? AND revoked = 0 ORDER BY created_at DESC";

/// What a new link is made of.
pub struct NewShare<'a> {
    /// The site.
    pub site_id: u32,
    /// Its name.
    pub name: &'a str,
    /// Its password, if any.
    pub password: Option<&'a str>,
    /// Fixed filters (already checked by the caller).
    pub filters: &'a [serde_json::Value],
    /// Origins that may frame it (already normalized).
    pub embed_origins: Vec<String>,
    /// Who makes it.
    pub created_by: &'a str,
}

/// Creates a link; returns it and its token (shown once).
pub async fn create(store: &Store, new: NewShare<'_>) -> Result<(Share, String), AccountError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AccountError::Invalid(
            "a shared link needs a name of 1 to 100 characters".into(),
        ));
    }
    let password_hash = match new.password.filter(|p| !p.is_empty()) {
        Some(p) => {
            super::password::check_strength(p)?;
            super::password::hash(p).await?
        }
        None => String::new(),
    };
    let token = new_token(PREFIX);
    let hash = token_hash(&token);
    let share = Share {
        share_id: public_id(&hash),
        token_hash: hash,
        site_id: new.site_id,
        name: name.to_owned(),
        password_hash,
        filters: serde_json::to_string(new.filters).unwrap_or_else(|_| "[]".into()),
        embed_origins: new.embed_origins,
        created_by: new.created_by.to_owned(),
        created_at: now_secs(),
        revoked: 0,
        updated_at: version(),
    };
    write(store, &share).await?;
    Ok((share, token))
}

/// Normalizes an embedding origin (`https://intranet.example:8443`), refusing anything
/// with a path, a query or another scheme.
pub fn normalize_origin(origin: &str) -> Result<String, AccountError> {
    let bad = || {
        AccountError::Invalid(format!(
            "{origin:?} is not an origin like https://intranet.example"
        ))
    };
    let url = url::Url::parse(origin.trim()).map_err(|_| bad())?;
    if !matches!(url.scheme(), "https" | "http")
        || url.host_str().is_none()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(bad());
    }
    Ok(url.origin().ascii_serialization())
}

/// The link with this id, in any state.
pub async fn by_id(store: &Store, id: &str) -> Result<Option<Share>, AccountError> {
    Ok(store
        .client()
        .query(BY_ID)
        .bind(id)
        .fetch_optional::<Share>()
        .await?)
}

/// A site's live links, newest first.
pub async fn of_site(store: &Store, site_id: u32) -> Result<Vec<Share>, AccountError> {
    Ok(store
        .client()
        .query(OF_SITE)
        .bind(site_id)
        .fetch_all::<Share>()
        .await?)
}

/// Revokes a link.
pub async fn revoke(store: &Store, share: &Share) -> Result<(), AccountError> {
    let mut row = share.clone();
    row.revoked = 1;
    row.updated_at = version().max(share.updated_at + 1);
    write(store, &row).await
}

/// The live link of a token, whatever its password.
pub async fn by_token(store: &Store, token: &str) -> Result<Option<Share>, AccountError> {
    if !token.starts_with(PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let share = by_id(store, &public_id(&hash)).await?;
    Ok(share.filter(|s| s.token_hash == hash && s.revoked == 0))
}

/// A grant for a link whose password was given.
pub async fn grant(store: &Store, share: &Share) -> Result<String, AccountError> {
    sessions::create(store, "", &share.share_id, GRANT_PREFIX, GRANT_LIFE).await
}

async fn write(store: &Store, share: &Share) -> Result<(), AccountError> {
    let mut insert = store.client().insert::<Share>("shares").await?;
    insert.write(share).await?;
    insert.end().await?;
    Ok(())
}

/// Links and grants checked recently, by token hash, trusted for `ttl` (as sessions).
pub struct ShareCache {
    entries: Cache<String, (Arc<Share>, Instant)>,
    ttl: Duration,
}

impl ShareCache {
    /// A cache trusting entries for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            entries: Cache::new(1_000),
            ttl,
        }
    }

    /// The link of a credential checked lately, without asking ClickHouse.
    pub fn cached(&self, credential: &str) -> Option<Arc<Share>> {
        if !(credential.starts_with(PREFIX) || credential.starts_with(GRANT_PREFIX)) {
            return None;
        }
        self.entries
            .get(&token_hash(credential))
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(s, _)| s)
    }

    /// The link a bearer credential opens: a link token without a password, or a
    /// grant. `Err(true)`: the link exists and needs its password.
    pub async fn check(
        &self,
        store: &Store,
        credential: &str,
    ) -> Result<Result<Arc<Share>, bool>, AccountError> {
        let hash = token_hash(credential);
        if let Some((share, at)) = self.entries.get(&hash) {
            if at.elapsed() < self.ttl {
                return Ok(Ok(share));
            }
        }
        let found = if credential.starts_with(GRANT_PREFIX) && credential.len() <= 100 {
            let life = Lifetimes {
                idle: GRANT_LIFE,
                max_age: GRANT_LIFE,
            };
            match sessions::open_row(store, &hash, life).await? {
                Some(row) if !row.share_id.is_empty() => by_id(store, &row.share_id)
                    .await?
                    .filter(|s| s.revoked == 0)
                    .ok_or(false),
                _ => Err(false),
            }
        } else {
            match by_token(store, credential).await? {
                Some(s) if s.password_hash.is_empty() => Ok(s),
                Some(_) => Err(true),
                None => Err(false),
            }
        };
        match found {
            Ok(share) => {
                let share = Arc::new(share);
                self.entries.insert(hash, (share.clone(), Instant::now()));
                Ok(Ok(share))
            }
            Err(needs_password) => {
                self.entries.remove(&hash);
                Ok(Err(needs_password))
            }
        }
    }

    /// Forgets every entry (a link revoked on this node).
    pub fn clear(&self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_origins_are_plain_origins() {
        assert_eq!(
            normalize_origin("https://Intranet.Example:8443").unwrap(),
            "https://intranet.example:8443"
        );
        for bad in [
            "intranet.example",
            "https://intranet.example/page",
            "javascript:alert(1)",
            "https://intranet.example?x=1",
            "ftp://intranet.example",
        ] {
            assert!(normalize_origin(bad).is_err(), "{bad}");
        }
    }
}
