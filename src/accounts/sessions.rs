//! Dashboard sessions: a random token in an HttpOnly cookie, stored as its SHA-256 in
//! ClickHouse so that every node accepts it. A session ends after `idle` without use or
//! `max_age` after sign-in, whichever comes first, or when it is revoked (logout,
//! logout everywhere, password change, account removal).
//!
//! The CSRF token is derived from the session token (an HMAC of it), so it is bound to
//! the session, needs no storage, and a page of another origin, which cannot read the
//! cookie, cannot compute it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use quick_cache::sync::Cache;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::members::{self, Membership};
use super::users::{self, User};
use super::{new_token, now_secs, token_hash, version, AccountError, Role};
use crate::store::Store;

/// The cookie's name.
pub const COOKIE: &str = "parcours_session";
/// Prefix of session tokens.
pub const PREFIX: &str = "ps_";

/// A stored session (or shared-link grant, with `share_id` and no user).
#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
pub struct SessionRow {
    /// SHA-256 of the token.
    pub token_hash: String,
    /// The account ("" for a shared-link grant).
    pub user_id: String,
    /// The shared link a grant opens ("" for a session).
    pub share_id: String,
    /// Sign-in, seconds.
    pub created_at: u32,
    /// Last use seen, seconds (written at most every few minutes).
    pub last_seen: u32,
    /// Absolute end, seconds.
    pub expires_at: u32,
    /// Ended by a logout or a revocation.
    pub revoked: u8,
    /// Version (milliseconds; latest wins).
    pub updated_at: u64,
}

/// Binds: token hash.
pub const BY_HASH: &str = "SELECT ?fields FROM sessions FINAL WHERE token_hash = ?";
/// Binds: user id. The account's sessions still open.
pub const OF_USER: &str =
    "SELECT ?fields FROM sessions FINAL WHERE user_id = ? AND revoked = 0 AND expires_at > toUInt32(now())";

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after sign-in regardless.
    pub max_age: Duration,
}

/// What a request made with a session may do: the account and its sites.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// SHA-256 of the token (the cache's key, and what logout revokes).
    pub token_hash: String,
    /// The account.
    pub user: User,
    /// Its roles, site by site (server owners own every site besides).
    pub roles: Vec<(u32, Role)>,
}

impl SessionInfo {
    /// The account's role on a site, if any.
    pub fn role_on(&self, site_id: u32) -> Option<Role> {
        if self.user.server_owner == 1 {
            return Some(Role::Owner);
        }
        self.roles
            .iter()
            .find(|(s, _)| *s == site_id)
            .map(|(_, r)| *r)
    }
}

/// The CSRF token of a session token.
pub fn csrf_token(session_token: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(session_token.as_bytes()).expect("HMAC takes any key");
    mac.update(b"parcours csrf");
    hex::encode(&mac.finalize().into_bytes()[..20])
}

/// Opens a session for an account; returns the token (for the cookie only).
pub async fn create(
    store: &Store,
    user_id: &str,
    share_id: &str,
    prefix: &str,
    max_age: Duration,
) -> Result<String, AccountError> {
    let token = new_token(prefix);
    let now = now_secs();
    let row = SessionRow {
        token_hash: token_hash(&token),
        user_id: user_id.to_owned(),
        share_id: share_id.to_owned(),
        created_at: now,
        last_seen: now,
        expires_at: now.saturating_add(u32::try_from(max_age.as_secs()).unwrap_or(u32::MAX)),
        revoked: 0,
        updated_at: version(),
    };
    write(store, &row).await?;
    Ok(token)
}

/// The stored row of a token, if it is open at `now` under `life`.
pub async fn open_row(
    store: &Store,
    hash: &str,
    life: Lifetimes,
) -> Result<Option<SessionRow>, AccountError> {
    let Some(row) = store
        .client()
        .query(BY_HASH)
        .bind(hash)
        .fetch_optional::<SessionRow>()
        .await?
    else {
        return Ok(None);
    };
    let now = now_secs();
    let idle = u32::try_from(life.idle.as_secs()).unwrap_or(u32::MAX);
    let open = row.revoked == 0 && now < row.expires_at && now.saturating_sub(row.last_seen) < idle;
    if !open {
        return Ok(None);
    }
    // Idle expiry needs a recent `last_seen`; writing it on every request would be a
    // write per request, so it moves once it is a few minutes old.
    if now.saturating_sub(row.last_seen) > TOUCH_AFTER.min(idle / 4) {
        let mut touched = row.clone();
        touched.last_seen = now;
        touched.updated_at = version().max(row.updated_at + 1);
        write(store, &touched).await?;
    }
    Ok(Some(row))
}

/// Seconds after which a used session's `last_seen` is written again.
const TOUCH_AFTER: u32 = 300;

/// Ends one session (or grant).
pub async fn revoke(store: &Store, hash: &str) -> Result<(), AccountError> {
    let row = store
        .client()
        .query(BY_HASH)
        .bind(hash)
        .fetch_optional::<SessionRow>()
        .await?;
    if let Some(mut row) = row {
        row.revoked = 1;
        row.updated_at = version().max(row.updated_at + 1);
        write(store, &row).await?;
    }
    Ok(())
}

/// Ends every open session of an account but `keep` (a token hash, or "").
pub async fn revoke_all(store: &Store, user_id: &str, keep: &str) -> Result<usize, AccountError> {
    let rows = store
        .client()
        .query(OF_USER)
        .bind(user_id)
        .fetch_all::<SessionRow>()
        .await?;
    let v = version();
    let ended: Vec<SessionRow> = rows
        .into_iter()
        .filter(|r| r.token_hash != keep)
        .map(|mut r| {
            r.revoked = 1;
            r.updated_at = v.max(r.updated_at + 1);
            r
        })
        .collect();
    if !ended.is_empty() {
        let mut insert = store.client().insert::<SessionRow>("sessions").await?;
        for r in &ended {
            insert.write(r).await?;
        }
        insert.end().await?;
    }
    Ok(ended.len())
}

async fn write(store: &Store, row: &SessionRow) -> Result<(), AccountError> {
    // On a cluster, a session (or its end) must be known to every server before the
    // browser's next request, which the load balancer may send to any node.
    if let Some(everywhere) = store.everywhere() {
        match insert_row(&everywhere, row).await {
            Ok(()) => return Ok(()),
            Err(e) => tracing::debug!(
                class = crate::store::client_class(&e),
                "session written without the quorum (a server is down?)"
            ),
        }
    }
    Ok(insert_row(store.client(), row).await?)
}

async fn insert_row(
    client: &clickhouse::Client,
    row: &SessionRow,
) -> Result<(), clickhouse::error::Error> {
    let mut insert = client.insert::<SessionRow>("sessions").await?;
    insert.write(row).await?;
    insert.end().await
}

/// Sessions checked recently, by token hash: checking one is three ClickHouse round
/// trips. A node trusts an entry for `ttl`, which bounds how late a logout made on
/// another node is seen here. Tokens found closed are never kept.
pub struct SessionCache {
    entries: Cache<String, (Arc<SessionInfo>, Instant)>,
    ttl: Duration,
    life: Lifetimes,
}

impl SessionCache {
    /// A cache trusting entries for `ttl`, for sessions living `life`.
    pub fn new(ttl: Duration, life: Lifetimes) -> Self {
        Self {
            entries: Cache::new(10_000),
            ttl,
            life,
        }
    }

    /// How long sessions live.
    pub fn lifetimes(&self) -> Lifetimes {
        self.life
    }

    /// The session of a token checked lately, without asking ClickHouse.
    pub fn cached(&self, token: &str) -> Option<Arc<SessionInfo>> {
        if !token.starts_with(PREFIX) || token.len() > 100 {
            return None;
        }
        self.entries
            .get(&token_hash(token))
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(i, _)| i)
    }

    /// The open session of a cookie token, with its account and roles.
    pub async fn check(
        &self,
        store: &Store,
        token: &str,
    ) -> Result<Option<Arc<SessionInfo>>, AccountError> {
        if !token.starts_with(PREFIX) || token.len() > 100 {
            return Ok(None);
        }
        let hash = token_hash(token);
        if let Some((info, at)) = self.entries.get(&hash) {
            if at.elapsed() < self.ttl {
                return Ok(Some(info));
            }
        }
        let info = self.load(store, &hash).await?;
        match &info {
            Some(i) => self.entries.insert(hash, (i.clone(), Instant::now())),
            None => {
                self.entries.remove(&hash);
            }
        }
        Ok(info)
    }

    async fn load(
        &self,
        store: &Store,
        hash: &str,
    ) -> Result<Option<Arc<SessionInfo>>, AccountError> {
        let Some(row) = open_row(store, hash, self.life).await? else {
            return Ok(None);
        };
        if row.user_id.is_empty() {
            return Ok(None);
        }
        let (user, roles) = tokio::try_join!(
            users::by_id(store, &row.user_id),
            members::of_user(store, &row.user_id)
        )?;
        let Some(user) = user else {
            return Ok(None);
        };
        Ok(Some(Arc::new(SessionInfo {
            token_hash: hash.to_owned(),
            user,
            roles: roles
                .iter()
                .map(|m: &Membership| (m.site_id, m.role()))
                .collect(),
        })))
    }

    /// Forgets an entry at once (this node's own logout).
    pub fn forget(&self, hash: &str) {
        self.entries.remove(hash);
    }

    /// Forgets every entry (a role or account change made on this node).
    pub fn clear(&self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_their_session() {
        let a = csrf_token("ps_aaaa");
        assert_eq!(a, csrf_token("ps_aaaa"));
        assert_ne!(a, csrf_token("ps_aaab"));
        assert_eq!(a.len(), 40);
    }

    #[test]
    fn server_owners_own_every_site() {
        let user = User {
            user_id: "u".into(),
            email: "a@b.fr".into(),
            password_hash: String::new(),
            server_owner: 0,
            deleted: 0,
            created_at: 0,
            updated_at: 0,
        };
        let mut info = SessionInfo {
            token_hash: String::new(),
            user,
            roles: vec![(7, Role::Viewer)],
        };
        assert_eq!(info.role_on(7), Some(Role::Viewer));
        assert_eq!(info.role_on(8), None);
        info.user.server_owner = 1;
        assert_eq!(info.role_on(8), Some(Role::Owner));
    }
}
