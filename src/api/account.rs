//! Signing in and out: `/api/auth/*`, the endpoints that make or end a session or a
//! shared-link grant (see docs/API.md, "Accounts and access").
//!
//! Every answer to a failed sign-in is the same 401, after the same work (a password
//! hash is checked even for an unknown account), and failures are throttled per account
//! and per client address before any hashing.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cookie::{Cookie, SameSite};
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{Auth, Client, Principal};
use super::definitions::parse;
use crate::accounts::sessions::{self, SessionInfo};
use crate::accounts::{audit, invitations, members, password, shares, users};
use crate::server::error::ApiError;
use crate::server::AppState;

fn session_cookie(state: &AppState, c: &Client, token: &str, max_age_secs: i64) -> HeaderValue {
    let secure = state.config.accounts.secure_cookies.unwrap_or(c.tls);
    let cookie = Cookie::build((sessions::COOKIE, token.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie is ASCII")
}

/// `{"user", "csrf", "sites"}`: what the dashboard needs of its session.
fn me_json(state: &AppState, info: &SessionInfo, token: &str) -> Value {
    let mut sites: Vec<Value> = state
        .sites
        .all()
        .iter()
        .filter_map(|e| {
            info.role_on(e.site.site_id)
                .map(|r| json!({"domain": e.site.domain, "role": r}))
        })
        .collect();
    sites.sort_by(|a, b| a["domain"].as_str().cmp(&b["domain"].as_str()));
    json!({
        "user": {"email": info.user.email, "server_owner": info.user.server_owner == 1},
        "csrf": sessions::csrf_token(token),
        "sites": sites,
    })
}

/// Opens a session for an account and answers as `me`, with the cookie.
async fn signed_in(state: &AppState, c: &Client, user_id: &str) -> Result<Response, ApiError> {
    let life = state.access.sessions.lifetimes();
    let token = sessions::create(&state.store, user_id, "", sessions::PREFIX, life.max_age).await?;
    let info = state
        .access
        .sessions
        .check(&state.store, &token)
        .await?
        .ok_or(ApiError::Internal)?;
    let max_age = i64::try_from(life.max_age.as_secs()).unwrap_or(i64::MAX);
    let mut r = Json(me_json(state, &info, &token)).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state, c, &token, max_age),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Email and password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `GET /api/auth/setup`: whether a first owner is needed and may be made from here.
pub async fn setup_status(
    State(state): State<AppState>,
    c: Client,
) -> Result<Json<Value>, ApiError> {
    let needed = !users::any(&state.store).await?;
    Ok(Json(
        json!({"needed": needed, "allowed": needed && setup_allowed(&state, &c)}),
    ))
}

fn setup_allowed(state: &AppState, c: &Client) -> bool {
    // Behind a proxy we were not told to trust, every client looks like the proxy,
    // often loopback: refuse rather than let a stranger claim the server.
    !c.proxied_untrusted
        && state
            .config
            .accounts
            .setup_from
            .iter()
            .any(|n| n.contains(&c.ip))
}

/// `POST /api/auth/setup`: the first owner, from a trusted address, once.
pub async fn setup(
    State(state): State<AppState>,
    c: Client,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let b: Credentials = parse(&body)?;
    if !setup_allowed(&state, &c) {
        return Err(ApiError::Forbidden(
            "the first owner can only be created from the server itself (or run `parcours users add EMAIL --owner`)".into(),
        ));
    }
    if users::any(&state.store).await? {
        return Err(ApiError::Conflict(
            "this server already has an owner: sign in".into(),
        ));
    }
    let user = users::add(&state.store, &b.email, &b.password, true).await?;
    audit::record(&state.store, 0, &user.email, "owner_created", &user.email).await;
    signed_in(&state, &c, &user.user_id).await
}

/// Counts a password attempt for each of `keys`, refusing those out of budget.
fn throttled(state: &AppState, keys: &[&str]) -> Result<(), ApiError> {
    for k in keys {
        state
            .access
            .signins
            .attempt(k)
            .map_err(ApiError::Throttled)?;
    }
    Ok(())
}

/// `POST /api/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    c: Client,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let b: Credentials = parse(&body)?;
    let account = format!("account:{}", b.email.trim().to_lowercase());
    let address = format!("address:{}", c.ip);
    let keys = [account.as_str(), address.as_str()];
    throttled(&state, &keys)?;
    let user = users::by_email(&state.store, &b.email).await?;
    let ok = password::verify(&b.password, user.as_ref().map(|u| u.password_hash.as_str())).await;
    match user {
        Some(u) if ok => {
            audit::record(&state.store, 0, &u.email, "signin", "").await;
            state.metrics.signins.get_or_create(&ok_label(true)).inc();
            signed_in(&state, &c, &u.user_id).await
        }
        other => {
            let actor = other.map_or_else(|| "(unknown account)".to_owned(), |u| u.email);
            audit::record(&state.store, 0, &actor, "signin_failed", "").await;
            state.metrics.signins.get_or_create(&ok_label(false)).inc();
            Err(ApiError::WrongPassword)
        }
    }
}

fn ok_label(ok: bool) -> crate::metrics::Outcome {
    crate::metrics::Outcome {
        outcome: if ok { "ok" } else { "failed" },
    }
}

fn session_of(auth: &Auth) -> Result<(&SessionInfo, &str), ApiError> {
    match &auth.principal {
        Principal::Session { info, token } => Ok((info, token)),
        _ => Err(ApiError::Forbidden(
            "this needs a signed-in person, not a key or a link".into(),
        )),
    }
}

/// `GET /api/auth/me`.
pub async fn me(State(state): State<AppState>, auth: Auth) -> Result<Response, ApiError> {
    let (info, token) = session_of(&auth)?;
    let mut r = Json(me_json(&state, info, token)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// The body of `POST /api/auth/logout`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LogoutBody {
    /// End every session of the account.
    #[serde(default)]
    pub everywhere: bool,
}

/// `POST /api/auth/logout`.
pub async fn logout(
    State(state): State<AppState>,
    c: Client,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let b: LogoutBody = if body.is_empty() {
        LogoutBody::default()
    } else {
        parse(&body)?
    };
    let (info, _) = session_of(&auth)?;
    if b.everywhere {
        sessions::revoke_all(&state.store, &info.user.user_id, "").await?;
        state.access.sessions.clear();
    } else {
        sessions::revoke(&state.store, &info.token_hash).await?;
        state.access.sessions.forget(&info.token_hash);
    }
    let action = if b.everywhere {
        "signout_everywhere"
    } else {
        "signout"
    };
    audit::record(&state.store, 0, &info.user.email, action, "").await;
    let mut r = Json(json!({})).into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, &c, "", 0));
    Ok(r)
}

/// The body of `POST /api/auth/password`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The password now.
    pub current: String,
    /// The new one.
    pub new: String,
}

/// `POST /api/auth/password`: a new password; the account's other sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: PasswordBody = parse(&body)?;
    let (info, _) = session_of(&auth)?;
    let account = format!("account:{}", info.user.email);
    throttled(&state, &[&account])?;
    let user = users::by_id(&state.store, &info.user.user_id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if !password::verify(&b.current, Some(&user.password_hash)).await {
        return Err(ApiError::WrongPassword);
    }
    users::set_password(&state.store, &user, &b.new).await?;
    sessions::revoke_all(&state.store, &user.user_id, &info.token_hash).await?;
    state.access.sessions.clear();
    audit::record(&state.store, 0, &user.email, "password_changed", "").await;
    Ok(Json(json!({})))
}

/// A token in a body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// The invitation token.
    pub token: String,
}

const BAD_INVITATION: &str =
    "this invitation link does not work: it may have expired, been used or been cancelled";

fn bad_invitation(state: &AppState, c: &Client) -> ApiError {
    state.access.bad_credentials.failed(&c.ip.to_string());
    ApiError::BadRequest(BAD_INVITATION.into())
}

/// `POST /api/auth/invitation`: what an invitation offers.
pub async fn invitation(
    State(state): State<AppState>,
    c: Client,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let b: TokenBody = parse(&body)?;
    state
        .access
        .bad_credentials
        .check(&c.ip.to_string())
        .map_err(ApiError::Throttled)?;
    let inv = invitations::usable(&state.store, b.token.trim()).await?;
    let site = inv
        .as_ref()
        .and_then(|i| state.sites.by_id(i.site_id).map(|s| (i, s)));
    let Some((inv, site)) = site else {
        return Err(bad_invitation(&state, &c));
    };
    Ok(Json(json!({
        "site": site.site.domain, "role": inv.role(), "email": inv.email,
        "expires_at": crate::accounts::iso(inv.expires_at),
    })))
}

/// The body of `POST /api/auth/invitation/accept`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The invitation token.
    pub token: String,
    /// The existing account's password, or the new account's.
    pub password: String,
}

/// `POST /api/auth/invitation/accept`: joins the site (making the account if needed)
/// and signs in.
pub async fn accept_invitation(
    State(state): State<AppState>,
    c: Client,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let b: AcceptBody = parse(&body)?;
    state
        .access
        .bad_credentials
        .check(&c.ip.to_string())
        .map_err(ApiError::Throttled)?;
    let Some(inv) = invitations::usable(&state.store, b.token.trim()).await? else {
        return Err(bad_invitation(&state, &c));
    };
    if state.sites.by_id(inv.site_id).is_none() {
        return Err(bad_invitation(&state, &c));
    }
    let user = match users::by_email(&state.store, &inv.email).await? {
        Some(u) => {
            let account = format!("account:{}", u.email);
            let address = format!("address:{}", c.ip);
            throttled(&state, &[&account, &address])?;
            if !password::verify(&b.password, Some(&u.password_hash)).await {
                return Err(ApiError::WrongPassword);
            }
            u
        }
        None => users::add(&state.store, &inv.email, &b.password, false).await?,
    };
    // Closed first: a second use racing this one finds it closed sooner.
    invitations::close(&state.store, &inv, 1).await?;
    let current = members::of_user(&state.store, &user.user_id)
        .await?
        .into_iter()
        .find(|m| m.site_id == inv.site_id)
        .map(|m| m.role());
    let role = current.map_or(inv.role(), |r| r.max(inv.role()));
    if user.server_owner == 0 {
        members::set(&state.store, inv.site_id, &user.user_id, role).await?;
    }
    state.access.sessions.clear();
    audit::record(
        &state.store,
        inv.site_id,
        &user.email,
        "invitation_accepted",
        &format!("{}:{}", user.email, role.as_str()),
    )
    .await;
    signed_in(&state, &c, &user.user_id).await
}

/// The body of `POST /api/auth/share`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    /// The link's token.
    pub token: String,
    /// Its password, when it has one.
    #[serde(default)]
    pub password: Option<String>,
}

/// `POST /api/auth/share`: the credential a shared dashboard sends.
pub async fn open_share(
    State(state): State<AppState>,
    c: Client,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let b: ShareBody = parse(&body)?;
    let address = c.ip.to_string();
    state
        .access
        .bad_credentials
        .check(&address)
        .map_err(ApiError::Throttled)?;
    let share = shares::by_token(&state.store, b.token.trim()).await?;
    let Some(share) = share.filter(|s| state.sites.by_id(s.site_id).is_some()) else {
        state.access.bad_credentials.failed(&address);
        return Err(ApiError::NotFound(
            "this shared link does not work: it may have been revoked or mistyped".into(),
        ));
    };
    let grant = if share.password_hash.is_empty() {
        b.token.trim().to_owned()
    } else {
        let given = b.password.unwrap_or_default();
        let link = format!("share:{}", share.share_id);
        let wrong = |msg: &str| {
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": msg, "password_required": true})),
            )
                .into_response()
        };
        if given.is_empty() {
            return Ok(wrong("this shared link needs its password"));
        }
        throttled(&state, &[&link, &format!("address:{}", c.ip)])?;
        if !password::verify(&given, Some(&share.password_hash)).await {
            return Ok(wrong("wrong password"));
        }
        shares::grant(&state.store, &share).await?
    };
    let site = state
        .sites
        .by_id(share.site_id)
        .map(|s| s.site.domain.clone())
        .unwrap_or_default();
    let mut r = Json(json!({
        "grant": grant, "site": site, "name": share.name, "filters": share.filter_list(),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
