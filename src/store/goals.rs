//! Per-site goals (an event name or a page pattern) and content groups (path patterns
//! named in the marketer's words), so answers read "Booking" rather than a URL list.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::patterns;

/// A goal: a custom event name, or pageviews of pages matching a pattern.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct Goal {
    /// Site.
    pub site_id: u32,
    /// Display name, unique per site.
    pub name: String,
    /// Custom event name (empty for page goals).
    pub event_name: String,
    /// Page pattern such as `/booking/confirmed` or `/booking/**` (empty for event goals).
    pub page: String,
    /// Tombstone.
    pub deleted: u8,
    /// Version (ms); the latest row wins.
    pub updated_at: u64,
}

/// A content group: pages matching any of its patterns are shown under its name.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct ContentGroup {
    /// Site.
    pub site_id: u32,
    /// Name shown in answers, unique per site.
    pub name: String,
    /// Path patterns (`/symptoms/**`, `/doctors/*`).
    pub patterns: Vec<String>,
    /// Order of evaluation: a page belongs to the first group (lowest position) it matches.
    pub position: u32,
    /// Tombstone.
    pub deleted: u8,
    /// Version (ms); the latest row wins.
    pub updated_at: u64,
}

/// Errors of goal and group definitions.
#[derive(Debug, thiserror::Error)]
pub enum DefinitionError {
    /// The definition is unusable; the text says why.
    #[error("{0}")]
    Invalid(String),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Binds: site. Live goals of a site.
pub const GOALS: &str = "SELECT site_id, name, event_name, page, deleted, updated_at \
    FROM goals FINAL WHERE site_id = ? AND deleted = 0 ORDER BY name";
/// Binds: site. Live content groups of a site.
pub const GROUPS: &str = "SELECT site_id, name, patterns, position, deleted, updated_at \
    FROM content_groups FINAL WHERE site_id = ? AND deleted = 0 ORDER BY position, name";

pub(crate) fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis().max(0) as u64
}

pub(crate) fn check_name(name: &str) -> Result<(), DefinitionError> {
    if name.trim().is_empty() || name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(DefinitionError::Invalid(
            "a name has 1 to 120 printable characters".into(),
        ));
    }
    Ok(())
}

/// The site's goals.
pub async fn goals(store: &Store, site_id: u32) -> Result<Vec<Goal>, StoreError> {
    Ok(store
        .client()
        .query(GOALS)
        .bind(site_id)
        .fetch_all::<Goal>()
        .await?)
}

/// Creates or replaces a goal; exactly one of `event_name` and `page` must be given.
pub async fn save_goal(
    store: &Store,
    site_id: u32,
    name: &str,
    event_name: Option<&str>,
    page: Option<&str>,
) -> Result<Goal, DefinitionError> {
    check_name(name)?;
    let (event_name, page) = match (event_name, page) {
        (Some(e), None) if !e.is_empty() && e.len() <= 120 => (e.to_owned(), String::new()),
        (None, Some(p)) => {
            patterns::to_regex(p).map_err(|e| DefinitionError::Invalid(e.to_string()))?;
            (String::new(), p.to_owned())
        }
        _ => {
            return Err(DefinitionError::Invalid(
                "a goal has either an event name (1 to 120 characters) or a page pattern".into(),
            ))
        }
    };
    let goal = Goal {
        site_id,
        name: name.to_owned(),
        event_name,
        page,
        deleted: 0,
        updated_at: now_ms(),
    };
    let mut insert = store
        .client()
        .insert::<Goal>("goals")
        .await
        .map_err(StoreError::from)?;
    insert.write(&goal).await.map_err(StoreError::from)?;
    insert.end().await.map_err(StoreError::from)?;
    Ok(goal)
}

/// Deletes a goal; answers whether it existed.
pub async fn delete_goal(store: &Store, site_id: u32, name: &str) -> Result<bool, StoreError> {
    let Some(mut goal) = goals(store, site_id)
        .await?
        .into_iter()
        .find(|g| g.name == name)
    else {
        return Ok(false);
    };
    goal.deleted = 1;
    goal.updated_at = now_ms().max(goal.updated_at + 1);
    let mut insert = store.client().insert::<Goal>("goals").await?;
    insert.write(&goal).await?;
    insert.end().await?;
    Ok(true)
}

/// The site's content groups, in evaluation order.
pub async fn groups(store: &Store, site_id: u32) -> Result<Vec<ContentGroup>, StoreError> {
    Ok(store
        .client()
        .query(GROUPS)
        .bind(site_id)
        .fetch_all::<ContentGroup>()
        .await?)
}

/// Creates or replaces a content group.
pub async fn save_group(
    store: &Store,
    site_id: u32,
    name: &str,
    pattern_list: &[String],
    position: u32,
) -> Result<ContentGroup, DefinitionError> {
    check_name(name)?;
    if pattern_list.is_empty() || pattern_list.len() > 50 {
        return Err(DefinitionError::Invalid(
            "a content group has 1 to 50 path patterns".into(),
        ));
    }
    for p in pattern_list {
        patterns::to_regex(p).map_err(|e| DefinitionError::Invalid(e.to_string()))?;
    }
    let group = ContentGroup {
        site_id,
        name: name.to_owned(),
        patterns: pattern_list.to_vec(),
        position,
        deleted: 0,
        updated_at: now_ms(),
    };
    let mut insert = store
        .client()
        .insert::<ContentGroup>("content_groups")
        .await
        .map_err(StoreError::from)?;
    insert.write(&group).await.map_err(StoreError::from)?;
    insert.end().await.map_err(StoreError::from)?;
    Ok(group)
}

/// Deletes a content group; answers whether it existed.
pub async fn delete_group(store: &Store, site_id: u32, name: &str) -> Result<bool, StoreError> {
    let Some(mut group) = groups(store, site_id)
        .await?
        .into_iter()
        .find(|g| g.name == name)
    else {
        return Ok(false);
    };
    group.deleted = 1;
    group.updated_at = now_ms().max(group.updated_at + 1);
    let mut insert = store
        .client()
        .insert::<ContentGroup>("content_groups")
        .await?;
    insert.write(&group).await?;
    insert.end().await?;
    Ok(true)
}
