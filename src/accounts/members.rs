//! Who belongs to which site, with which role. Server owners are not listed here: they
//! own every site by their account.

use serde::{Deserialize, Serialize};

use super::{version, AccountError, Role};
use crate::store::Store;

/// One person's role on one site.
#[derive(Debug, Clone, clickhouse::Row, Serialize, Deserialize)]
pub struct Membership {
    /// The site.
    pub site_id: u32,
    /// The account.
    pub user_id: String,
    /// `viewer`, `editor` or `owner`.
    pub role: String,
    /// Tombstone.
    pub deleted: u8,
    /// Version (milliseconds; latest wins).
    pub updated_at: u64,
}

impl Membership {
    /// The role, with unknown stored values read as the least (fail closed).
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Viewer)
    }
}

/// Binds: user id. An account's sites.
pub const OF_USER: &str = "SELECT ?fields FROM memberships FINAL WHERE user_id = ? AND deleted = 0";
/// Binds: site id. A site's members.
pub const OF_SITE: &str = "SELECT ?fields FROM memberships FINAL WHERE site_id = ? AND deleted = 0";

/// The sites an account belongs to, with its role on each.
pub async fn of_user(store: &Store, user_id: &str) -> Result<Vec<Membership>, AccountError> {
    Ok(store
        .client()
        .query(OF_USER)
        .bind(user_id)
        .fetch_all::<Membership>()
        .await?)
}

/// A site's members.
pub async fn of_site(store: &Store, site_id: u32) -> Result<Vec<Membership>, AccountError> {
    Ok(store
        .client()
        .query(OF_SITE)
        .bind(site_id)
        .fetch_all::<Membership>()
        .await?)
}

/// Gives an account a role on a site (a new member, or a changed role).
pub async fn set(
    store: &Store,
    site_id: u32,
    user_id: &str,
    role: Role,
) -> Result<(), AccountError> {
    write(store, site_id, user_id, role.as_str(), 0).await
}

/// Takes an account off a site.
pub async fn remove(store: &Store, site_id: u32, user_id: &str) -> Result<(), AccountError> {
    write(store, site_id, user_id, "viewer", 1).await
}

async fn write(
    store: &Store,
    site_id: u32,
    user_id: &str,
    role: &str,
    deleted: u8,
) -> Result<(), AccountError> {
    let row = Membership {
        site_id,
        user_id: user_id.to_owned(),
        role: role.to_owned(),
        deleted,
        updated_at: version(),
    };
    let mut insert = store.client().insert::<Membership>("memberships").await?;
    insert.write(&row).await?;
    insert.end().await?;
    Ok(())
}
