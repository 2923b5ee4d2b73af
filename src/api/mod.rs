//! The stats API, in the shape of Plausible's Stats API v2, and the definitions API.
//!
//! * `POST /api/v2/query`: `{"site_id", "metrics", "date_range", "dimensions",
//!   "filters", "order_by", "pagination", "include": {"comparisons", "time_labels"}}`
//!   → `{"results": [{"dimensions", "metrics", "comparison"?}], "meta", "query"}`
//!   (`stats`).
//! * `POST /api/v2/realtime`: `{"site_id"}` → the last five minutes (`realtime`).
//! * `GET|POST|DELETE /api/v2/goals`, `GET|POST|DELETE /api/v2/content_groups`.
//! * `GET|PATCH /api/v2/sites`, `POST /api/v2/keys`: settings and new keys (`sites`).
//! * `GET /api/v2/install_check`: recent events and drops of a site (`install`).
//! * `GET /api/v2/properties`: custom property keys of a range (`properties`).
//! * `GET|PATCH|DELETE /api/v2/members`, `/api/v2/invitations`, `/api/v2/shares`,
//!   `/api/v2/audit`: people and links of a site (`members`).
//! * `/api/auth/*`: setup, sign-in and out, password, invitations, shared links (`account`).
//!
//! Authentication and roles: `auth` (an API key, a session cookie, or a shared link).

pub mod account;
pub mod attribution;
pub mod auth;
pub mod definitions;
pub mod funnel;
pub mod install;
pub mod journeys;
pub mod members;
pub mod pages;
pub mod properties;
pub mod realtime;
pub mod sites;
pub mod stats;
pub mod warm;

pub use auth::{authorize, credential_sites, Auth, Need};
pub use stats::{answer, post_query, Comparisons, Include, Pagination, QueryRequest};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::query::bounds::Cut;
use crate::query::filter::Catalog;
use crate::query::{range, QueryError};
use crate::server::error::ApiError;
use crate::server::AppState;
use crate::store::goals;
use crate::store::sites::SiteEntry;

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Invalid(msg) => ApiError::BadRequest(msg),
            QueryError::Cut(cut) => ApiError::TooHeavy(cut),
            QueryError::Store(e) => match Cut::of(&e) {
                Some(cut) => {
                    let f = crate::server::error::Failure::of(&e);
                    tracing::warn!(
                        limit = cut.name(),
                        code = f.code,
                        query_id = f.query_id.as_deref(),
                        "query stopped at a limit"
                    );
                    ApiError::TooHeavy(cut)
                }
                None => ApiError::internal(e),
            },
        }
    }
}

/// Parses a request body as JSON, authorizes its `site_id` for reading and adds a
/// shared link's fixed filters: the opening of every `POST` handler whose answer is
/// shared with `parcours query`.
pub fn site_request(
    state: &AppState,
    auth: &Auth,
    body: &[u8],
    what: &str,
) -> Result<(Value, Arc<SiteEntry>), ApiError> {
    let mut req: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("invalid {what}: {e}")))?;
    let site = req.get("site_id").and_then(Value::as_str).unwrap_or("");
    let entry = authorize(state, auth, site, Need::Read)?;
    let fixed = auth.principal.fixed_filters();
    if !fixed.is_empty() {
        let mut filters = match req.get("filters") {
            Some(Value::Array(a)) => a.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(_) => {
                return Err(ApiError::BadRequest(format!(
                    "invalid {what}: filters must be a list"
                )))
            }
        };
        filters.extend(fixed);
        req["filters"] = Value::Array(filters);
    }
    Ok((req, entry))
}

/// A request body as its typed form, with the same error as the handler's.
pub fn typed<T: serde::de::DeserializeOwned>(req: &Value, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(req.clone())
        .map_err(|e| ApiError::BadRequest(format!("invalid {what}: {e}")))
}

/// A site's goals and content groups, loaded once per request.
pub struct Definitions {
    /// Goals.
    pub goals: Vec<goals::Goal>,
    /// Content groups.
    pub groups: Vec<goals::ContentGroup>,
}

impl Definitions {
    /// Loads the site's definitions.
    pub async fn load(state: &AppState, site_id: u32) -> Result<Self, ApiError> {
        // Both at once: each round trip to ClickHouse costs some 15 ms of a query.
        let (goals, groups) = tokio::try_join!(
            goals::goals(&state.store, site_id),
            goals::groups(&state.store, site_id)
        )
        .map_err(ApiError::internal)?;
        Ok(Self { goals, groups })
    }

    /// The goal named `name`, or a 400 saying the site has none.
    pub fn goal(&self, name: &str) -> Result<&goals::Goal, ApiError> {
        self.goals
            .iter()
            .find(|g| g.name == name)
            .ok_or_else(|| ApiError::BadRequest(format!("the site has no goal named {name:?}")))
    }

    /// The query compiler's view of them.
    pub fn catalog<'a>(&'a self, timezone: &'a str) -> Catalog<'a> {
        Catalog {
            goals: &self.goals,
            groups: &self.groups,
            timezone,
        }
    }
}

/// The site's minimum group size (k), at least 1.
pub fn min_group_size(entry: &SiteEntry) -> u64 {
    u64::from(entry.site.min_group_size.max(1))
}

/// Whether the site has consented cross-day journeys (a consent key).
pub fn consented_journeys(state: &AppState, entry: &SiteEntry) -> bool {
    state.consent.key_for(entry.site.site_id).is_some()
}

/// How long the site's visitor ids live, as stated in answers, for people.
pub fn visitor_id_lifetime(state: &AppState, entry: &SiteEntry) -> &'static str {
    if consented_journeys(state, entry) {
        "1 day; longer for visitors who consented"
    } else {
        "1 day"
    }
}

/// The same as a stable code for programs (`meta.visitor_ids`): `daily` or
/// `daily_and_consented`.
pub fn visitor_ids(state: &AppState, entry: &SiteEntry) -> &'static str {
    if consented_journeys(state, entry) {
        "daily_and_consented"
    } else {
        "daily"
    }
}

/// The site's time zone and the parsed date range; `"all"` starts on the site's first
/// stored day (in its time zone), or today without events.
pub async fn site_range(
    state: &AppState,
    entry: &SiteEntry,
    date_range: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(chrono_tz::Tz, range::DateRange), ApiError> {
    let tz: chrono_tz::Tz = entry.site.timezone.parse().unwrap_or(chrono_tz::UTC);
    if date_range.as_str() == Some("all") {
        let today = now.with_timezone(&tz).date_naive();
        let first = state
            .first_days
            .first_event(&state.store, entry.site.site_id)
            .await
            .map_err(ApiError::internal)?
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map_or(today, |t| t.with_timezone(&tz).date_naive());
        return Ok((tz, range::days(first.min(today), today, tz)?));
    }
    Ok((tz, range::parse(date_range, tz, now)?))
}

/// Each site's first event time, looked up at most every ten minutes: retention and
/// imports move it rarely, and the lookup reads the site's whole timestamp column.
#[derive(Default)]
pub struct FirstDays(Mutex<HashMap<u32, (Option<i64>, Instant)>>);

impl FirstDays {
    const KEEP: Duration = Duration::from_secs(600);

    /// The site's first event time (seconds since the epoch), if it has events.
    pub async fn first_event(
        &self,
        store: &crate::store::Store,
        site_id: u32,
    ) -> Result<Option<i64>, crate::store::StoreError> {
        let cached = self.lock().get(&site_id).copied();
        if let Some((first, at)) = cached {
            if at.elapsed() < Self::KEEP {
                return Ok(first);
            }
        }
        let first = range::first_event(store, site_id).await?;
        let mut map = self.lock();
        // Sites come and go with their owners; a stale entry costs a lookup, not memory.
        map.retain(|_, (_, at)| at.elapsed() < Self::KEEP);
        // A site without events yet is asked again: its first event may come any time.
        if first.is_some() {
            map.insert(site_id, (first, Instant::now()));
        }
        Ok(first)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, (Option<i64>, Instant)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
