//! Who may read what: the one place where a request's credential becomes sites.
//!
//! Today the credential is an API key (`Authorization: Bearer pk_…`), which opens its
//! own site only. Dashboard sessions, which will open an account's sites, belong here
//! too (in [`credential_sites`]), so that every handler follows without a change.

use std::sync::Arc;

use axum::http::HeaderMap;

use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::sites::SiteEntry;

/// The sites the request's credential may read; 401 without a valid credential.
pub async fn credential_sites(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Vec<Arc<SiteEntry>>, ApiError> {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    let key_site = state
        .keys
        .site_for(&state.store, key.trim())
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::Unauthorized)?;
    // A key of a removed site is still valid, and opens nothing.
    Ok(state.sites.by_id(key_site).into_iter().collect())
}

/// The site a request may read, named by domain or id: 401 without a valid
/// credential, 404 for an unknown site, 403 for a site the credential does not open.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    site_id: &str,
) -> Result<Arc<SiteEntry>, ApiError> {
    let readable = credential_sites(state, headers).await?;
    let entry = state
        .sites
        .find(site_id)
        .ok_or_else(|| ApiError::NotFound(format!("unknown site {site_id:?}")))?;
    if !readable
        .iter()
        .any(|s| s.site.site_id == entry.site.site_id)
    {
        return Err(ApiError::Forbidden);
    }
    Ok(entry)
}
