//! People and links of a site, for its owners (signed in): members and their roles,
//! invitations, shared links, and the audit log (see docs/API.md, "Accounts and access").

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authorize, record, Auth, Need};
use super::definitions::{parse, SiteParam};
use super::sites::IdBody;
use crate::accounts::shares::{self, NewShare};
use crate::accounts::{audit, invitations, iso, members, users, Role};
use crate::query::filter::Filter;
use crate::server::error::ApiError;
use crate::server::AppState;

/// `GET /api/v2/members`: the site's members, server owners and pending invitations.
pub async fn list_members(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<SiteParam>,
) -> Result<Json<Value>, ApiError> {
    let entry = authorize(&state, &auth, &p.site_id, Need::Person)?;
    let site_id = entry.site.site_id;
    let (all, rows, pending) = tokio::try_join!(
        users::list(&state.store),
        members::of_site(&state.store, site_id),
        invitations::pending(&state.store, site_id)
    )?;
    let me = auth.principal.actor();
    let mut list: Vec<Value> = Vec::new();
    for u in &all {
        let role = if u.server_owner == 1 {
            Some(Role::Owner)
        } else {
            rows.iter()
                .find(|m| m.user_id == u.user_id)
                .map(|m| m.role())
        };
        if let Some(role) = role {
            list.push(json!({
                "email": u.email, "role": role, "server_owner": u.server_owner == 1,
                "you": u.email == me,
            }));
        }
    }
    let invitations: Vec<Value> = pending
        .iter()
        .map(|i| json!({"id": i.invite_id, "email": i.email, "role": i.role(), "expires_at": iso(i.expires_at)}))
        .collect();
    Ok(Json(json!({"members": list, "invitations": invitations})))
}

/// The body of `PATCH /api/v2/members`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    /// Site domain or id.
    pub site_id: String,
    /// The member's e-mail.
    pub email: String,
    /// The new role.
    pub role: String,
}

/// The body of `DELETE /api/v2/members`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// Site domain or id.
    pub site_id: String,
    /// The member's e-mail.
    pub email: String,
}

/// The member by e-mail, refusing server owners and the last owner's demotion.
async fn member_change(
    state: &AppState,
    site_id: u32,
    email: &str,
    new_role: Option<Role>,
) -> Result<users::User, ApiError> {
    let not_member =
        || ApiError::NotFound(format!("{} is not a member of this site", email.trim()));
    let user = users::by_email(&state.store, email)
        .await?
        .ok_or_else(not_member)?;
    if user.server_owner == 1 {
        return Err(ApiError::BadRequest(
            "a server owner owns every site; change that with `parcours users`".into(),
        ));
    }
    let rows = members::of_site(&state.store, site_id).await?;
    let current = rows
        .iter()
        .find(|m| m.user_id == user.user_id)
        .ok_or_else(not_member)?;
    let owners_left = rows
        .iter()
        .filter(|m| m.role() == Role::Owner && m.user_id != user.user_id)
        .count();
    let server_owners = users::list(&state.store)
        .await?
        .iter()
        .any(|u| u.server_owner == 1);
    let demoted = current.role() == Role::Owner && new_role != Some(Role::Owner);
    if demoted && owners_left == 0 && !server_owners {
        return Err(ApiError::BadRequest(
            "a site keeps at least one owner: make someone else owner first".into(),
        ));
    }
    Ok(user)
}

/// `PATCH /api/v2/members`: changes a member's role.
pub async fn set_role(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: RoleBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    let role = Role::parse(&b.role)?;
    let user = member_change(&state, entry.site.site_id, &b.email, Some(role)).await?;
    members::set(&state.store, entry.site.site_id, &user.user_id, role).await?;
    state.access.sessions.clear();
    let target = format!("{}:{}", user.email, role.as_str());
    record(&state, &auth, entry.site.site_id, "role_changed", &target).await;
    Ok(Json(json!({"email": user.email, "role": role})))
}

/// `DELETE /api/v2/members`: takes a member off the site.
pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: MemberBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    let user = member_change(&state, entry.site.site_id, &b.email, None).await?;
    members::remove(&state.store, entry.site.site_id, &user.user_id).await?;
    state.access.sessions.clear();
    record(
        &state,
        &auth,
        entry.site.site_id,
        "member_removed",
        &user.email,
    )
    .await;
    Ok(Json(json!({"removed": user.email})))
}

/// The body of `POST /api/v2/invitations`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// Site domain or id.
    pub site_id: String,
    /// Who is invited.
    pub email: String,
    /// The role they get.
    pub role: String,
}

/// `POST /api/v2/invitations`: a link to send; the same answer whether the address has
/// an account or not.
pub async fn invite(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: InviteBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    let role = Role::parse(&b.role)?;
    let actor = auth.principal.actor();
    let (inv, token) =
        invitations::create(&state.store, entry.site.site_id, &b.email, role, &actor).await?;
    let target = format!("{}:{}", inv.email, role.as_str());
    record(&state, &auth, entry.site.site_id, "invited", &target).await;
    Ok(Json(json!({
        "id": inv.invite_id, "path": format!("/invite#{token}"), "expires_at": iso(inv.expires_at),
    })))
}

/// `DELETE /api/v2/invitations`: cancels a pending invitation.
pub async fn cancel_invitation(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: IdBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    let inv = invitations::by_id(&state.store, &b.id)
        .await?
        .filter(|i| i.site_id == entry.site.site_id && i.usable())
        .ok_or_else(|| ApiError::NotFound(format!("no pending invitation {:?}", b.id)))?;
    invitations::close(&state.store, &inv, 2).await?;
    record(
        &state,
        &auth,
        entry.site.site_id,
        "invitation_cancelled",
        &inv.email,
    )
    .await;
    Ok(Json(json!({"cancelled": b.id})))
}

/// `GET /api/v2/shares`: the site's live shared links.
pub async fn list_shares(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<SiteParam>,
) -> Result<Json<Value>, ApiError> {
    let entry = authorize(&state, &auth, &p.site_id, Need::Person)?;
    let list = shares::of_site(&state.store, entry.site.site_id).await?;
    let out: Vec<Value> = list
        .iter()
        .map(|s| {
            json!({
                "id": s.share_id, "name": s.name, "created_at": iso(s.created_at),
                "password": !s.password_hash.is_empty(), "filters": s.filter_list(),
                "embed_origins": s.embed_origins,
            })
        })
        .collect();
    Ok(Json(json!({"shares": out})))
}

/// The body of `POST /api/v2/shares`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    /// Site domain or id.
    pub site_id: String,
    /// Its name.
    pub name: String,
    /// Its password, if any.
    #[serde(default)]
    pub password: Option<String>,
    /// Fixed filters.
    #[serde(default)]
    pub filters: Vec<Value>,
    /// Origins that may frame it.
    #[serde(default)]
    pub embed_origins: Vec<String>,
}

/// `POST /api/v2/shares`: a new link, shown once.
pub async fn create_share(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: ShareBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    Filter::parse_list(&b.filters)?;
    let origins = b
        .embed_origins
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| shares::normalize_origin(o))
        .collect::<Result<Vec<_>, _>>()?;
    let actor = auth.principal.actor();
    let (share, token) = shares::create(
        &state.store,
        NewShare {
            site_id: entry.site.site_id,
            name: &b.name,
            password: b.password.as_deref(),
            filters: &b.filters,
            embed_origins: origins,
            created_by: &actor,
        },
    )
    .await?;
    record(
        &state,
        &auth,
        entry.site.site_id,
        "share_created",
        &share.share_id,
    )
    .await;
    Ok(Json(
        json!({"id": share.share_id, "path": format!("/share/{token}")}),
    ))
}

/// `DELETE /api/v2/shares`: revokes a link.
pub async fn revoke_share(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: IdBody = parse(&body)?;
    let entry = authorize(&state, &auth, &b.site_id, Need::Person)?;
    let share = shares::by_id(&state.store, &b.id)
        .await?
        .filter(|s| s.site_id == entry.site.site_id && s.revoked == 0)
        .ok_or_else(|| ApiError::NotFound(format!("no shared link {:?}", b.id)))?;
    shares::revoke(&state.store, &share).await?;
    state.access.shares.clear();
    record(
        &state,
        &auth,
        entry.site.site_id,
        "share_revoked",
        &share.share_id,
    )
    .await;
    Ok(Json(json!({"revoked": b.id})))
}

/// `GET /api/v2/audit`: the site's entries and its members' sign-ins, newest first.
pub async fn list_audit(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<SiteParam>,
) -> Result<Json<Value>, ApiError> {
    let entry = authorize(&state, &auth, &p.site_id, Need::Person)?;
    let site_id = entry.site.site_id;
    let (all, rows) = tokio::try_join!(
        users::list(&state.store),
        members::of_site(&state.store, site_id)
    )?;
    let emails: Vec<String> = all
        .iter()
        .filter(|u| u.server_owner == 1 || rows.iter().any(|m| m.user_id == u.user_id))
        .map(|u| u.email.clone())
        .collect();
    let list = audit::of_site(&state.store, site_id, &emails).await?;
    let out: Vec<Value> = list
        .iter()
        .map(|e| json!({"at": iso(e.at), "actor": e.actor, "action": e.action, "target": e.target}))
        .collect();
    Ok(Json(json!({"entries": out})))
}
