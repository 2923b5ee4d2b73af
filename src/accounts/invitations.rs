//! Invitations: a link token that gives an address a role on a site, valid for 48 hours
//! and once. The token is stored hashed; its public id (for listing and cancelling) is
//! a prefix of the hash.

use serde::{Deserialize, Serialize};

use super::{new_token, normalize_email, now_secs, public_id, token_hash, version};
use super::{AccountError, Role};
use crate::store::Store;

/// How long an invitation works.
pub const VALID_SECONDS: u32 = 48 * 3600;
/// Prefix of invitation tokens.
pub const PREFIX: &str = "iv_";

/// A stored invitation.
#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
pub struct Invitation {
    /// Public id (a prefix of the token hash).
    pub invite_id: String,
    /// SHA-256 of the token.
    pub token_hash: String,
    /// The site.
    pub site_id: u32,
    /// The invited address.
    pub email: String,
    /// The role given on acceptance.
    pub role: String,
    /// Who invited (an e-mail).
    pub created_by: String,
    /// Creation, seconds.
    pub created_at: u32,
    /// End of validity, seconds.
    pub expires_at: u32,
    /// 0 pending, 1 accepted, 2 cancelled.
    pub state: u8,
    /// Version (milliseconds; latest wins).
    pub updated_at: u64,
}

impl Invitation {
    /// Whether it can still be accepted.
    pub fn usable(&self) -> bool {
        self.state == 0 && now_secs() < self.expires_at
    }

    /// The role it gives (fail closed on unknown values).
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Viewer)
    }
}

/// Binds: id.
pub const BY_ID: &str = "SELECT ?fields FROM invitations FINAL WHERE invite_id = ?";
/// Binds: site id. The site's pending invitations.
pub const PENDING: &str = "SELECT ?fields FROM invitations FINAL \
    WHERE site_id = ? AND state = 0 AND expires_at > toUInt32(now()) ORDER BY created_at DESC";

/// Creates an invitation; returns it and its token (shown once, in the link).
pub async fn create(
    store: &Store,
    site_id: u32,
    email: &str,
    role: Role,
    created_by: &str,
) -> Result<(Invitation, String), AccountError> {
    let email = normalize_email(email)?;
    let token = new_token(PREFIX);
    let hash = token_hash(&token);
    let now = now_secs();
    let inv = Invitation {
        invite_id: public_id(&hash),
        token_hash: hash,
        site_id,
        email,
        role: role.as_str().to_owned(),
        created_by: created_by.to_owned(),
        created_at: now,
        expires_at: now + VALID_SECONDS,
        state: 0,
        updated_at: version(),
    };
    write(store, &inv).await?;
    Ok((inv, token))
}

/// The usable invitation of a token; every other case (unknown, expired, used,
/// cancelled) is one answer, so a link tells nothing more than "it does not work".
pub async fn usable(store: &Store, token: &str) -> Result<Option<Invitation>, AccountError> {
    if !token.starts_with(PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let inv = by_id(store, &public_id(&hash)).await?;
    Ok(inv.filter(|i| i.token_hash == hash && i.usable()))
}

/// The invitation with this public id, in any state.
pub async fn by_id(store: &Store, id: &str) -> Result<Option<Invitation>, AccountError> {
    Ok(store
        .client()
        .query(BY_ID)
        .bind(id)
        .fetch_optional::<Invitation>()
        .await?)
}

/// A site's pending invitations, newest first.
pub async fn pending(store: &Store, site_id: u32) -> Result<Vec<Invitation>, AccountError> {
    Ok(store
        .client()
        .query(PENDING)
        .bind(site_id)
        .fetch_all::<Invitation>()
        .await?)
}

/// Marks an invitation accepted (1) or cancelled (2).
pub async fn close(store: &Store, inv: &Invitation, state: u8) -> Result<(), AccountError> {
    let mut row = inv.clone();
    row.state = state;
    row.updated_at = version().max(inv.updated_at + 1);
    write(store, &row).await
}

async fn write(store: &Store, inv: &Invitation) -> Result<(), AccountError> {
    let mut insert = store.client().insert::<Invitation>("invitations").await?;
    insert.write(inv).await?;
    insert.end().await?;
    Ok(())
}
