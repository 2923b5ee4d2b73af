//! Goals and content groups over HTTP: list, create or replace, delete.
//!
//! `GET /api/v2/goals?site_id=D`, `POST /api/v2/goals {"site_id", "name",
//! "event_name" | "page"}`, `DELETE /api/v2/goals {"site_id", "name"}`; the same for
//! `/api/v2/content_groups` with `{"site_id", "name", "patterns", "position"}`.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::authorize;
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::goals::{self, DefinitionError};

/// `?site_id=`.
#[derive(Debug, Deserialize)]
pub struct SiteParam {
    /// Site domain or id.
    pub site_id: String,
}

/// A goal to save.
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

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
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
    headers: HeaderMap,
    Query(p): Query<SiteParam>,
) -> Result<Json<Value>, ApiError> {
    let site = authorize(&state, &headers, &p.site_id).await?;
    let list = goals::goals(&state.store, site.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    let goals: Vec<Value> = list
        .iter()
        .map(|g| json!({"name": g.name, "event_name": g.event_name, "page": g.page}))
        .collect();
    Ok(Json(json!({ "goals": goals })))
}

/// `POST /api/v2/goals`.
pub async fn save_goal(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: GoalBody = parse(&body)?;
    let site = authorize(&state, &headers, &b.site_id).await?;
    let g = goals::save_goal(
        &state.store,
        site.site.site_id,
        &b.name,
        b.event_name.as_deref(),
        b.page.as_deref(),
    )
    .await?;
    Ok(Json(
        json!({"name": g.name, "event_name": g.event_name, "page": g.page}),
    ))
}

/// `DELETE /api/v2/goals`.
pub async fn delete_goal(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DeleteBody = parse(&body)?;
    let site = authorize(&state, &headers, &b.site_id).await?;
    if !goals::delete_goal(&state.store, site.site.site_id, &b.name)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::NotFound(format!("no goal named {:?}", b.name)));
    }
    Ok(Json(json!({"deleted": b.name})))
}

/// `GET /api/v2/content_groups`.
pub async fn list_groups(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<SiteParam>,
) -> Result<Json<Value>, ApiError> {
    let site = authorize(&state, &headers, &p.site_id).await?;
    let list = goals::groups(&state.store, site.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    let groups: Vec<Value> = list
        .iter()
        .map(|g| json!({"name": g.name, "patterns": g.patterns, "position": g.position}))
        .collect();
    Ok(Json(json!({ "content_groups": groups })))
}

/// `POST /api/v2/content_groups`.
pub async fn save_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: GroupBody = parse(&body)?;
    let site = authorize(&state, &headers, &b.site_id).await?;
    let g = goals::save_group(
        &state.store,
        site.site.site_id,
        &b.name,
        &b.patterns,
        b.position,
    )
    .await?;
    Ok(Json(
        json!({"name": g.name, "patterns": g.patterns, "position": g.position}),
    ))
}

/// `DELETE /api/v2/content_groups`.
pub async fn delete_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DeleteBody = parse(&body)?;
    let site = authorize(&state, &headers, &b.site_id).await?;
    if !goals::delete_group(&state.store, site.site.site_id, &b.name)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::NotFound(format!(
            "no content group named {:?}",
            b.name
        )));
    }
    Ok(Json(json!({"deleted": b.name})))
}
