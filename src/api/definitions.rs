//! Goals and content groups over HTTP: list, create or replace, delete.
//!
//! `GET /api/v2/goals?site_id=D`, `POST /api/v2/goals {"site_id", "name",
//! "event_name" | "page"}`, `DELETE /api/v2/goals {"site_id", "name"}`; the same for
//! `/api/v2/content_groups` with `{"site_id", "name", "patterns", "position"}`.
//!
//! Validation lives in `store::goals`; the `*_answer` functions shape the JSON for both
//! the handlers here and the `parcours goals` / `parcours groups` commands.

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authorize, Auth, Need};
use super::pages::{self, Page};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::goals::{self, ContentGroup, DefinitionError, Goal};
use crate::store::Store;

/// `?site_id=`.
#[derive(Debug, Deserialize)]
pub struct SiteParam {
    /// Site domain or id.
    pub site_id: String,
}

/// A goal to save.
/// `?site_id=D&limit=N&offset=M` of a list of saved definitions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Site domain or id.
    pub site_id: String,
    /// Items per page.
    #[serde(default)]
    pub limit: Option<usize>,
    /// Items skipped.
    #[serde(default)]
    pub offset: Option<usize>,
}

impl ListParams {
    /// The page asked for.
    pub fn page(&self) -> Page {
        Page {
            limit: self.limit,
            offset: self.offset,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    /// Site domain or id.
    pub site_id: String,
    /// Goal name.
    pub name: String,
    /// Custom event name.
    #[serde(default)]
    pub event_name: Option<String>,
    /// Page pattern.
    #[serde(default)]
    pub page: Option<String>,
}

/// A content group to save.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupBody {
    /// Site domain or id.
    pub site_id: String,
    /// Group name.
    pub name: String,
    /// Path patterns.
    pub patterns: Vec<String>,
    /// Evaluation order (lowest first).
    #[serde(default)]
    pub position: u32,
}

/// A definition to delete.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteBody {
    /// Site domain or id.
    pub site_id: String,
    /// Name.
    pub name: String,
}

/// A request body as its typed form; 400 with serde's reason otherwise.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("invalid body: {e}")))
}

impl From<DefinitionError> for ApiError {
    fn from(e: DefinitionError) -> Self {
        match e {
            DefinitionError::Invalid(m) => ApiError::BadRequest(m),
            DefinitionError::Store(e) => ApiError::internal(e),
        }
    }
}

/// `GET /api/v2/goals`.
pub async fn list_goals(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let site = authorize(&state, &auth, &p.site_id, Need::Read)?;
    Ok(Json(
        goals_answer(&state.store, site.site.site_id, p.page()).await?,
    ))
}

/// `POST /api/v2/goals`.
pub async fn save_goal(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: GoalBody = parse(&body)?;
    let site = authorize(&state, &auth, &b.site_id, Need::Edit)?;
    let have = goals::goals(&state.store, site.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    let names = have.iter().map(|g| g.name.as_str());
    room(&state, names, &b.name, "goals")?;
    Ok(Json(
        save_goal_answer(&state.store, site.site.site_id, &b).await?,
    ))
}

/// `DELETE /api/v2/goals`.
pub async fn delete_goal(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DeleteBody = parse(&body)?;
    let site = authorize(&state, &auth, &b.site_id, Need::Edit)?;
    Ok(Json(
        delete_goal_answer(&state.store, site.site.site_id, &b.name).await?,
    ))
}

/// `GET /api/v2/content_groups`.
pub async fn list_groups(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let site = authorize(&state, &auth, &p.site_id, Need::Read)?;
    Ok(Json(
        groups_answer(&state.store, site.site.site_id, p.page()).await?,
    ))
}

/// `POST /api/v2/content_groups`.
pub async fn save_group(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: GroupBody = parse(&body)?;
    let site = authorize(&state, &auth, &b.site_id, Need::Edit)?;
    let have = goals::groups(&state.store, site.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    let names = have.iter().map(|g| g.name.as_str());
    room(&state, names, &b.name, "content groups")?;
    Ok(Json(
        save_group_answer(&state.store, site.site.site_id, &b).await?,
    ))
}

/// `DELETE /api/v2/content_groups`.
pub async fn delete_group(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DeleteBody = parse(&body)?;
    let site = authorize(&state, &auth, &b.site_id, Need::Edit)?;
    Ok(Json(
        delete_group_answer(&state.store, site.site.site_id, &b.name).await?,
    ))
}

// The answers below are shared with `parcours goals` and `parcours groups`, which
// resolve the site themselves (an operator with database access needs no key).

/// `{"goals": [{"name", "event_name", "page"}]}` of a site.
pub async fn goals_answer(store: &Store, site_id: u32, page: Page) -> Result<Value, ApiError> {
    let list = goals::goals(store, site_id)
        .await
        .map_err(ApiError::internal)?;
    let (goals, pagination) = page.take(list.iter().map(goal_json).collect(), pages::SAVED);
    Ok(json!({ "goals": goals, "pagination": pagination }))
}

/// Saves a goal (validated by `store::goals`); answers it.
pub async fn save_goal_answer(
    store: &Store,
    site_id: u32,
    b: &GoalBody,
) -> Result<Value, ApiError> {
    let g = goals::save_goal(
        store,
        site_id,
        &b.name,
        b.event_name.as_deref(),
        b.page.as_deref(),
    )
    .await?;
    Ok(goal_json(&g))
}

/// Deletes a goal; 404 when there is none by that name.
pub async fn delete_goal_answer(
    store: &Store,
    site_id: u32,
    name: &str,
) -> Result<Value, ApiError> {
    if !goals::delete_goal(store, site_id, name)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::NotFound(format!("no goal named {name:?}")));
    }
    Ok(json!({"deleted": name}))
}

/// `{"content_groups": [{"name", "patterns", "position"}]}` of a site.
pub async fn groups_answer(store: &Store, site_id: u32, page: Page) -> Result<Value, ApiError> {
    let list = goals::groups(store, site_id)
        .await
        .map_err(ApiError::internal)?;
    let (groups, pagination) = page.take(list.iter().map(group_json).collect(), pages::SAVED);
    Ok(json!({ "content_groups": groups, "pagination": pagination }))
}

/// Saves a content group (validated by `store::goals`); answers it.
pub async fn save_group_answer(
    store: &Store,
    site_id: u32,
    b: &GroupBody,
) -> Result<Value, ApiError> {
    let g = goals::save_group(store, site_id, &b.name, &b.patterns, b.position).await?;
    Ok(group_json(&g))
}

/// Deletes a content group; 404 when there is none by that name.
pub async fn delete_group_answer(
    store: &Store,
    site_id: u32,
    name: &str,
) -> Result<Value, ApiError> {
    if !goals::delete_group(store, site_id, name)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::NotFound(format!(
            "no content group named {name:?}"
        )));
    }
    Ok(json!({"deleted": name}))
}

/// Refuses a new definition named `name` when the site already has the most allowed
/// (`queries.max_saved_per_site`); replacing one of the same name is always allowed.
/// Every stats request loads all of a site's goals and groups, and each becomes SQL.
pub(crate) fn room<'a>(
    state: &AppState,
    mut names: impl Iterator<Item = &'a str> + Clone,
    name: &str,
    what: &str,
) -> Result<(), ApiError> {
    let max = state.config.queries.max_saved_per_site;
    if names.clone().count() >= max && !names.any(|n| n == name) {
        return Err(ApiError::Conflict(format!(
            "the site has {max} {what}, the most allowed; delete one first"
        )));
    }
    Ok(())
}

fn goal_json(g: &Goal) -> Value {
    json!({"name": g.name, "event_name": g.event_name, "page": g.page})
}

fn group_json(g: &ContentGroup) -> Value {
    json!({"name": g.name, "patterns": g.patterns, "position": g.position})
}
