//! Saved funnels: a named funnel definition per site (the body of `POST /api/v2/funnel`
//! without site and period), so a marketer's funnel is asked again by name.
//!
//! The definition is kept as JSON text and validated by the API before it is saved:
//! the store does not know what a step is.

use serde::{Deserialize, Serialize};

use super::goals::DefinitionError;
use super::{Store, StoreError};

/// A saved funnel.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct SavedFunnel {
    /// Site.
    pub site_id: u32,
    /// Name, unique per site.
    pub name: String,
    /// The definition, as JSON: `{"steps", "window"?, "breakdown"?, "filters"?}`.
    pub definition: String,
    /// Tombstone.
    pub deleted: u8,
    /// Version (ms); the latest row wins.
    pub updated_at: u64,
}

/// Binds: site. Live saved funnels of a site.
pub const FUNNELS: &str = "SELECT site_id, name, definition, deleted, updated_at \
    FROM funnels FINAL WHERE site_id = ? AND deleted = 0 ORDER BY name";

/// The site's saved funnels.
pub async fn funnels(store: &Store, site_id: u32) -> Result<Vec<SavedFunnel>, StoreError> {
    Ok(store
        .client()
        .query(FUNNELS)
        .bind(site_id)
        .fetch_all::<SavedFunnel>()
        .await?)
}

/// Creates or replaces a saved funnel (`definition` already validated).
pub async fn save(
    store: &Store,
    site_id: u32,
    name: &str,
    definition: &serde_json::Value,
) -> Result<SavedFunnel, DefinitionError> {
    super::goals::check_name(name)?;
    let f = SavedFunnel {
        site_id,
        name: name.to_owned(),
        definition: definition.to_string(),
        deleted: 0,
        updated_at: super::goals::now_ms(),
    };
    write(store, &f).await?;
    Ok(f)
}

/// Deletes a saved funnel; answers whether it existed.
pub async fn delete(store: &Store, site_id: u32, name: &str) -> Result<bool, StoreError> {
    let Some(mut f) = funnels(store, site_id)
        .await?
        .into_iter()
        .find(|f| f.name == name)
    else {
        return Ok(false);
    };
    f.deleted = 1;
    f.updated_at = super::goals::now_ms().max(f.updated_at + 1);
    write(store, &f).await?;
    Ok(true)
}

async fn write(store: &Store, f: &SavedFunnel) -> Result<(), StoreError> {
    let mut insert = store.client().insert::<SavedFunnel>("funnels").await?;
    insert.write(f).await?;
    insert.end().await?;
    Ok(())
}
