//! Sites and keys over HTTP, for the dashboard's settings.
//!
//! * `GET /api/v2/sites` → `{"sites": [site]}`: the sites the credential opens.
//! * `PATCH /api/v2/sites` `{"site_id", ...settings}` → the updated site.
//! * `POST /api/v2/keys` `{"site_id"}` → `{"key", "site_id"}`: a new key for the site.
//!
//! Validation of settings is `store::sites` (the same as `parcours sites set`).
//! Deliberately not here: adding or removing sites, consent keys, listing or revoking
//! API keys (they come with accounts).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::definitions::parse;
use super::{authorize, consented_journeys, credential_sites};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::keys;
use crate::store::sites::{self, SiteEntry, SiteError, SiteSettings};

impl From<SiteError> for ApiError {
    fn from(e: SiteError) -> Self {
        match e {
            SiteError::Invalid(m) => ApiError::BadRequest(m),
            SiteError::Exists(d) => ApiError::BadRequest(format!("site {d} is already registered")),
            SiteError::Store(e) => ApiError::internal(e),
        }
    }
}

/// A site as the API shows it; `site_id` is what every other call's `site_id` takes.
pub fn site_json(state: &AppState, entry: &SiteEntry) -> Value {
    let s = &entry.site;
    json!({
        "domain": s.domain,
        "site_id": s.domain,
        "timezone": s.timezone,
        "min_group_size": s.min_group_size,
        "retention_months": s.retention_months,
        "sensitive_paths": s.sensitive_paths,
        "query_allow": s.query_allow,
        "partner_domains": s.partner_domains,
        "respect_dnt": s.respect_dnt == 1,
        "city_enabled": s.city_enabled == 1,
        "consented_journeys": consented_journeys(state, entry),
    })
}

/// `GET /api/v2/sites`.
pub async fn list_sites(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let mut readable = credential_sites(&state, &headers).await?;
    readable.sort_by(|a, b| a.site.domain.cmp(&b.site.domain));
    let list: Vec<Value> = readable.iter().map(|e| site_json(&state, e)).collect();
    Ok(Json(json!({ "sites": list })))
}

/// `PATCH /api/v2/sites`: `{"site_id"}` and any settings of [`SiteSettings`].
pub async fn patch_site(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let mut body: serde_json::Map<String, Value> = parse(&body)?;
    let site_id = match body.remove("site_id") {
        Some(Value::String(s)) => s,
        _ => {
            return Err(ApiError::BadRequest(
                "site_id must be given, as a string".into(),
            ))
        }
    };
    let bad = |name: &str, e: serde_json::Error| ApiError::BadRequest(format!("{name}: {e}"));
    // One setting at a time first: serde's message alone does not name the field.
    for (name, value) in &body {
        serde_json::from_value::<SiteSettings>(json!({ name: value })).map_err(|e| bad(name, e))?;
    }
    let changes: SiteSettings =
        serde_json::from_value(Value::Object(body)).map_err(|e| bad("settings", e))?;
    let entry = authorize(&state, &headers, &site_id).await?;
    let site = sites::update(&state.store, &entry.site.domain, &changes).await?;
    // This node answers with the new settings at once; the others within their
    // refresh interval.
    state
        .sites
        .refresh(&state.store)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(site_json(&state, &SiteEntry::new(site))))
}

/// The body of `POST /api/v2/keys`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBody {
    /// Site domain or id.
    pub site_id: String,
}

/// `POST /api/v2/keys`: a new key for a site the credential opens (shown once).
pub async fn create_key(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: KeyBody = parse(&body)?;
    let entry = authorize(&state, &headers, &b.site_id).await?;
    let key = keys::create(&state.store, entry.site.site_id)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(json!({"key": key, "site_id": entry.site.domain})))
}
