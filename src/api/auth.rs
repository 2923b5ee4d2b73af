//! Who may do what: the one place where a request's credential becomes sites and roles.
//!
//! A request brings one credential: an `Authorization: Bearer` header (an API key `pk_`,
//! a shared link `sh_` or its grant `sg_`), or else the dashboard's session cookie. A
//! request with the header is never judged by its cookie, so only cookie requests need
//! the CSRF token. Every handler names what it needs ([`Need`]) and calls [`authorize`];
//! a site the credential does not open is a 404 whether it exists or not.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::accounts::sessions::{self, Lifetimes, SessionCache, SessionInfo};
use crate::accounts::shares::{Share, ShareCache};
use crate::accounts::{AccountError, Role};
use crate::config::Config;
use crate::server::error::ApiError;
use crate::server::throttle::Throttle;
use crate::server::AppState;
use crate::store::keys::{KeyCache, KeyGrant};
use crate::store::sites::SiteEntry;

/// The caches and throttles of authentication, one set per node.
pub struct Access {
    /// API keys checked lately.
    pub keys: KeyCache,
    /// Sessions checked lately.
    pub sessions: SessionCache,
    /// Shared links and grants checked lately.
    pub shares: ShareCache,
    /// Sign-in attempts (each a password hash), per account and per client address.
    pub signins: Throttle,
    /// Invalid keys, links, grants and sessions, per client address.
    pub bad_credentials: Throttle,
    /// Credential lookups in ClickHouse (cache misses), per client address.
    pub lookups: Throttle,
}

impl Access {
    /// The set for a node's configuration.
    pub fn new(config: &Config) -> Self {
        let a = &config.accounts;
        let ttl = Duration::from_secs(a.cache_seconds);
        Self {
            keys: KeyCache::new(ttl),
            sessions: SessionCache::new(
                ttl,
                Lifetimes {
                    idle: Duration::from_secs(u64::from(a.session_idle_hours) * 3600),
                    max_age: Duration::from_secs(u64::from(a.session_max_days) * 86_400),
                },
            ),
            shares: ShareCache::new(ttl),
            signins: Throttle::attempts_per_minute(a.signin_per_minute),
            bad_credentials: Throttle::failures_per_minute(a.bad_credentials_per_minute),
            lookups: Throttle::attempts_per_minute(a.lookups_per_minute),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Invalid(m) => ApiError::BadRequest(m),
            AccountError::NotFound(m) => ApiError::NotFound(m),
            other => ApiError::internal(other),
        }
    }
}

/// What a request's credential is.
#[derive(Debug, Clone)]
pub enum Principal {
    /// An API key: its site, as owner (or viewer if read-only).
    Key(KeyGrant),
    /// A signed-in person.
    Session {
        /// The account and its roles.
        info: Arc<SessionInfo>,
        /// The cookie's token (for logout and the CSRF token).
        token: String,
    },
    /// A shared link (or its grant): one site, read-only, with fixed filters.
    Share(Arc<Share>),
}

impl Principal {
    /// The credential's role on a site, if it opens it.
    pub fn role_on(&self, site_id: u32) -> Option<Role> {
        match self {
            Self::Key(grant) if grant.site_id == site_id => Some(if grant.read_only {
                Role::Viewer
            } else {
                Role::Owner
            }),
            Self::Key(_) => None,
            Self::Session { info, .. } => info.role_on(site_id),
            Self::Share(s) => (s.site_id == site_id).then_some(Role::Viewer),
        }
    }

    /// Who, as the audit log names it.
    pub fn actor(&self) -> String {
        match self {
            Self::Key(grant) => format!("key:{}", grant.id),
            Self::Session { info, .. } => info.user.email.clone(),
            Self::Share(s) => format!("share:{}", s.share_id),
        }
    }

    /// The filters every answer gets on top of its own (a shared link's).
    pub fn fixed_filters(&self) -> Vec<Value> {
        match self {
            Self::Share(s) => s.filter_list(),
            _ => Vec::new(),
        }
    }

    /// The signed-in session, if this is one.
    pub fn session(&self) -> Option<&SessionInfo> {
        match self {
            Self::Session { info, .. } => Some(info),
            _ => None,
        }
    }
}

/// What a handler needs of the credential on the site it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Read reports (shared links too).
    Read,
    /// Read the site's own settings and installation (members and keys, not links).
    Member,
    /// Change goals, groups, funnels.
    Edit,
    /// Change settings and keys.
    Own,
    /// Manage people, links and the site itself: an owner, signed in.
    Person,
}

/// The authenticated caller of a request, and its address.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The credential.
    pub principal: Principal,
    /// The client address (socket peer, or `X-Forwarded-For` from a trusted proxy).
    pub client: IpAddr,
}

/// Where a request comes from: the client address and whether it came over TLS, as
/// far as a trusted proxy tells.
pub struct Client {
    /// The socket peer, or `X-Forwarded-For` from a trusted proxy.
    pub ip: IpAddr,
    /// A trusted proxy saw TLS (`X-Forwarded-Proto: https`).
    pub tls: bool,
    /// Sent through a proxy we do not trust (a forwarding header from an untrusted peer).
    pub proxied_untrusted: bool,
}

impl Client {
    /// The client of a request.
    pub fn of(state: &AppState, parts: &Parts) -> Self {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let headers = &parts.headers;
        let trusted = &state.config.trusted_proxies;
        let peer_trusted = trusted.iter().any(|n| n.contains(&peer));
        let xff = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        let forwarded = xff.is_some() || headers.contains_key("forwarded");
        Self {
            ip: crate::ingest::client_ip::client_ip(peer, xff, trusted),
            tls: peer_trusted
                && headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|p| p.eq_ignore_ascii_case("https")),
            proxied_untrusted: forwarded && !peer_trusted,
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Self::of(state, parts))
    }
}

/// The session token of the request's cookie, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == sessions::COOKIE)
        .map(|c| c.value().to_owned())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let client = Client::of(state, parts).ip;
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or("").trim().to_owned());
        let principal = match bearer {
            Some(value) => bearer_principal(state, &value, client).await?,
            None => cookie_principal(state, parts, client).await?,
        };
        Ok(Self { principal, client })
    }
}

async fn bearer_principal(
    state: &AppState,
    value: &str,
    client: IpAddr,
) -> Result<Principal, ApiError> {
    let throttle = &state.access.bad_credentials;
    let by_client = client.to_string();
    let credential = value.strip_prefix("Bearer ").unwrap_or("").trim();
    if let Some(grant) = state.access.keys.cached(credential) {
        return Ok(Principal::Key(grant));
    }
    if let Some(share) = state.access.shares.cached(credential) {
        return Ok(Principal::Share(share));
    }
    throttle.check(&by_client).map_err(ApiError::Throttled)?;
    state
        .access
        .lookups
        .attempt(&by_client)
        .map_err(ApiError::Throttled)?;
    let found = if credential.starts_with("pk_") {
        state
            .access
            .keys
            .site_for(&state.store, credential)
            .await
            .map_err(ApiError::internal)?
            .map(Principal::Key)
    } else if credential.starts_with("sh_") || credential.starts_with("sg_") {
        match state.access.shares.check(&state.store, credential).await? {
            Ok(share) => Some(Principal::Share(share)),
            Err(true) => {
                return Err(ApiError::Forbidden(
                    "this shared link needs its password".into(),
                ))
            }
            Err(false) => None,
        }
    } else {
        None
    };
    match found {
        Some(p) => Ok(p),
        None => {
            throttle.failed(&by_client);
            Err(ApiError::Unauthorized)
        }
    }
}

async fn cookie_principal(
    state: &AppState,
    parts: &Parts,
    client: IpAddr,
) -> Result<Principal, ApiError> {
    let token = session_cookie(&parts.headers).ok_or(ApiError::Unauthorized)?;
    let info = match state.access.sessions.cached(&token) {
        Some(info) => info,
        None => {
            let by_client = client.to_string();
            let a = &state.access;
            a.bad_credentials
                .check(&by_client)
                .map_err(ApiError::Throttled)?;
            a.lookups.attempt(&by_client).map_err(ApiError::Throttled)?;
            match a.sessions.check(&state.store, &token).await? {
                Some(info) => info,
                None => {
                    a.bad_credentials.failed(&by_client);
                    return Err(ApiError::Unauthorized);
                }
            }
        }
    };
    if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let expected = sessions::csrf_token(&token);
        if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
            return Err(ApiError::Forbidden(
                "missing or invalid CSRF token (X-CSRF-Token)".into(),
            ));
        }
    }
    Ok(Principal::Session { info, token })
}

/// The site a request may act on for `need`, named by domain or id: 404 when the
/// credential does not open it (whether it exists or not), 403 when its role is short.
pub fn authorize(
    state: &AppState,
    auth: &Auth,
    site_id: &str,
    need: Need,
) -> Result<Arc<SiteEntry>, ApiError> {
    let found = state
        .sites
        .find(site_id)
        .and_then(|e| auth.principal.role_on(e.site.site_id).map(|r| (e, r)));
    let Some((entry, role)) = found else {
        return Err(ApiError::NotFound(format!(
            "no site {site_id:?} for this credential"
        )));
    };
    let person = matches!(auth.principal, Principal::Session { .. });
    let share = matches!(auth.principal, Principal::Share(_));
    let ok = match need {
        Need::Read => true,
        Need::Member => !share,
        Need::Edit => role >= Role::Editor,
        Need::Own => role == Role::Owner,
        Need::Person => role == Role::Owner && person,
    };
    if !ok {
        let why = match need {
            Need::Person if role == Role::Owner => "only a signed-in owner of the site can do this",
            Need::Member => "a shared link cannot open this",
            _ => "your role on this site does not allow this",
        };
        return Err(ApiError::Forbidden(why.into()));
    }
    Ok(entry)
}

/// The sites the credential opens, with its role on each, by domain.
pub fn credential_sites(state: &AppState, auth: &Auth) -> Vec<(Arc<SiteEntry>, Role)> {
    let mut list: Vec<_> = state
        .sites
        .all()
        .into_iter()
        .filter_map(|e| auth.principal.role_on(e.site.site_id).map(|r| (e, r)))
        .collect();
    list.sort_by(|a, b| a.0.site.domain.cmp(&b.0.site.domain));
    list
}

/// Writes what the caller did to a site in the audit log.
pub async fn record(state: &AppState, auth: &Auth, site_id: u32, action: &str, target: &str) {
    crate::accounts::audit::record(
        &state.store,
        site_id,
        &auth.principal.actor(),
        action,
        target,
    )
    .await;
}

/// Adds a shared link's fixed filters to a request's own.
pub fn scope_filters(auth: &Auth, filters: &mut Vec<Value>) {
    filters.extend(auth.principal.fixed_filters());
}

/// Refuses a call that cannot honour a shared link's fixed filters.
pub fn unfiltered_only(auth: &Auth) -> Result<(), ApiError> {
    if auth.principal.fixed_filters().is_empty() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "not available through a shared link limited by filters".into(),
        ))
    }
}

/// The answer to a change asked from another origin.
pub fn forbidden_origin() -> axum::response::Response {
    use axum::response::IntoResponse;
    ApiError::Forbidden("cross-origin request refused".into()).into_response()
}

/// Whether a browser request comes from the page's own origin: `Sec-Fetch-Site` when
/// the browser sends it, else `Origin` against `Host`. A request with neither is not
/// from a browser page (a script, curl) and passes: CSRF is an attack through browsers.
pub fn same_origin(headers: &HeaderMap) -> bool {
    // Browsers that send Sec-Fetch-Site (all current ones) are judged by it alone: it
    // holds behind a proxy that rewrites `Host`, where comparing `Origin` would not.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map_or("", |(_, rest)| rest.trim_end_matches('/'));
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn only_same_origin_browser_requests_pass() {
        assert!(same_origin(&headers(&[])));
        assert!(same_origin(&headers(&[
            ("host", "stats.clinique.fr"),
            ("origin", "https://stats.clinique.fr"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "stats.clinique.fr"),
            ("origin", "https://evil.example"),
        ])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "a.fr")
        ])));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let h = headers(&[("cookie", "a=1; parcours_session=ps_abc; b=2")]);
        assert_eq!(session_cookie(&h).as_deref(), Some("ps_abc"));
        assert_eq!(session_cookie(&headers(&[("cookie", "a=1")])), None);
    }
}
