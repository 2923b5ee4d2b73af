//! Sites and keys over HTTP, for the dashboard's settings.
//!
//! * `GET /api/v2/sites` → `{"sites": [site]}`: the sites the credential opens, with
//!   its role on each.
//! * `POST /api/v2/sites` `{"domain", "timezone"}`: a new site (server owners).
//! * `PATCH /api/v2/sites` `{"site_id", ...settings}` → the updated site (owner).
//! * `DELETE /api/v2/sites` `{"site_id", "confirm"}`: the site and its data (owner,
//!   signed in).
//! * `GET|POST|DELETE /api/v2/keys`: the site's keys listed, created, revoked (owner).
//!
//! Validation of settings is `store::sites` (the same as `parcours sites set`).
//! Deliberately not here: consent keys (command line only).

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authorize, credential_sites, record, Auth, Need};
use super::consented_journeys;
use super::definitions::{parse, SiteParam};
use crate::accounts::{iso, Role};
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
pub fn site_json(state: &AppState, entry: &SiteEntry, role: Role) -> Value {
    let s = &entry.site;
    json!({
        "domain": s.domain,
        "site_id": s.domain,
        "role": role,
        "timezone": s.timezone,
        "min_group_size": s.min_group_size,
        "retention_months": s.retention_months,
        "sensitive_paths": s.sensitive_paths,
        "query_allow": s.query_allow,
        "partner_domains": s.partner_domains,
        "hosts": s.hosts,
        "respect_dnt": s.respect_dnt == 1,
        "city_enabled": s.city_enabled == 1,
        "consented_journeys": consented_journeys(state, entry),
    })
}

/// `GET /api/v2/sites`.
pub async fn list_sites(State(state): State<AppState>, auth: Auth) -> Json<Value> {
    let list: Vec<Value> = credential_sites(&state, &auth)
        .iter()
        .map(|(e, role)| site_json(&state, e, *role))
        .collect();
    Json(json!({ "sites": list }))
}

/// The body of `POST /api/v2/sites`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSiteBody {
    /// The domain the tracker sends.
    pub domain: String,
    /// IANA time zone.
    #[serde(default = "default_timezone")]
    pub timezone: String,
}

fn default_timezone() -> String {
    "Europe/Paris".into()
}

/// `POST /api/v2/sites`: a new site, by a server owner.
pub async fn add_site(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: NewSiteBody = parse(&body)?;
    if auth
        .principal
        .session()
        .is_none_or(|s| s.user.server_owner == 0)
    {
        return Err(ApiError::Forbidden(
            "only a server owner can add sites".into(),
        ));
    }
    let site = sites::add(&state.store, &b.domain, &b.timezone).await?;
    record(&state, &auth, site.site_id, "site_added", &site.domain).await;
    refresh_sites(&state).await?;
    Ok(Json(site_json(&state, &SiteEntry::new(site), Role::Owner)))
}

async fn refresh_sites(state: &AppState) -> Result<(), ApiError> {
    // This node answers with the change at once; the others within their refresh interval.
    state
        .sites
        .refresh(&state.store)
        .await
        .map(|_| ())
        .map_err(ApiError::internal)
}

/// `PATCH /api/v2/sites`: `{"site_id"}` and any settings of [`SiteSettings`].
pub async fn patch_site(
    State(state): State<AppState>,
    auth: Auth,
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
    let entry = authorize(&state, &auth, &site_id, Need::Own)?;
    let bad = |name: &str, e: serde_json::Error| ApiError::BadRequest(format!("{name}: {e}"));
    // One setting at a time first: serde's message alone does not name the field.
    for (name, value) in &body {
        serde_json::from_value::<SiteSettings>(json!({ name: value })).map_err(|e| bad(name, e))?;
    }
    let names: Vec<String> = body.keys().cloned().collect();
    let changes: SiteSettings =
        serde_json::from_value(Value::Object(body)).map_err(|e| bad("settings", e))?;
    let site = sites::update(&state.store, &entry.site.domain, &changes).await?;
    record(
        &state,
        &auth,
        site.site_id,
        "settings_changed",
        &names.join(","),
    )
    .await;
    refresh_sites(&state).await?;
    Ok(Json(site_json(&state, &SiteEntry::new(site), Role::Owner)))
}

/// The body of `DELETE /api/v2/sites`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteSiteBody {
    /// Site domain or id.
    pub site_id: String,
    /// The domain again, typed by the person.
    #[serde(default)]
    pub confirm: String,
}

/// `DELETE /api/v2/sites`: the site, its data and everything attached to it.
pub async fn delete_site(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: DeleteSiteBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    if sites::normalize_domain(&b.confirm) != entry.site.domain {
        return Err(ApiError::BadRequest(format!(
            "confirm must repeat the domain {:?}",
            entry.site.domain
        )));
    }
    sites::delete(&state.store, &entry.site).await?;
    record(&state, &auth, 0, "site_deleted", &entry.site.domain).await;
    refresh_sites(&state).await?;
    Ok(Json(json!({"deleted": entry.site.domain})))
}

/// `GET /api/v2/keys`: the site's live keys (never the keys themselves).
pub async fn list_keys(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<SiteParam>,
) -> Result<Json<Value>, ApiError> {
    let entry = authorize(&state, &auth, &p.site_id, Need::Own)?;
    let list = keys::list(&state.store, Some(entry.site.site_id))
        .await
        .map_err(ApiError::internal)?;
    let keys: Vec<Value> = list
        .iter()
        .map(|k| {
            json!({"id": k.id, "prefix": k.prefix, "name": k.name,
                   "created_at": iso(k.created_at), "read_only": k.read_only})
        })
        .collect();
    Ok(Json(json!({ "keys": keys })))
}

/// The body of `POST /api/v2/keys`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBody {
    /// Site domain or id.
    pub site_id: String,
    /// A name to recognise it by.
    #[serde(default)]
    pub name: String,
    /// Reads only.
    #[serde(default)]
    pub read_only: bool,
}

/// `POST /api/v2/keys`: a new key for a site the credential owns (shown once).
pub async fn create_key(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: KeyBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Own)?;
    let (key, id) = keys::create_named(&state.store, entry.site.site_id, &b.name, b.read_only)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::Invalid(m) => ApiError::BadRequest(m),
            e => ApiError::internal(e),
        })?;
    record(&state, &auth, entry.site.site_id, "key_created", &id).await;
    Ok(Json(
        json!({"key": key, "id": id, "site_id": entry.site.domain}),
    ))
}

/// The body of `DELETE /api/v2/keys` (and of the other revocations by id).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdBody {
    /// Site domain or id.
    pub site_id: String,
    /// The public id.
    pub id: String,
}

/// `DELETE /api/v2/keys`: revokes one of the site's keys.
pub async fn revoke_key(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: IdBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Own)?;
    let listed = keys::list(&state.store, Some(entry.site.site_id))
        .await
        .map_err(ApiError::internal)?;
    if !listed.iter().any(|k| k.id == b.id) {
        return Err(ApiError::NotFound(format!(
            "no key {:?} on this site",
            b.id
        )));
    }
    keys::revoke(&state.store, &b.id)
        .await
        .map_err(ApiError::internal)?;
    state.access.keys.clear();
    record(&state, &auth, entry.site.site_id, "key_revoked", &b.id).await;
    Ok(Json(json!({"revoked": b.id})))
}
