//! The router: every public path of the node in one table.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};

use super::AppState;
use crate::{api, dashboard, ingest, tracker};

/// Builds the router over the shared state.
pub fn router(state: AppState) -> Router {
    // Beacons come from every site's pages: any origin, no credentials.
    let beacon_cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([axum::http::Method::POST, axum::http::Method::GET])
        .allow_headers([header::CONTENT_TYPE]);
    let ingest = Router::new()
        .route(
            "/api/event",
            post(ingest::handler::post_event).get(ingest::handler::get_pixel),
        )
        .layer(DefaultBodyLimit::max(state.config.ingest.max_body_bytes))
        .layer(beacon_cors);
    // The dashboard's page and assets, gzipped for the browser (its scripts shrink
    // to about a third); each view path serves the same page.
    let mut app = Router::new().route("/assets/{file}", get(dashboard::asset));
    for path in dashboard::VIEW_PATHS {
        app = app.route(path, get(dashboard::page));
    }
    app = app
        .route("/invite", get(dashboard::page))
        .route("/share/{token}", get(dashboard::share_page));
    let app = app.layer(CompressionLayer::new());
    // The API for people and programs: a browser request that changes something without
    // an Authorization header (a session, a sign-in) must come from the dashboard's own
    // origin (CSRF). No CORS layer: other origins' pages cannot read any answer.
    let api = Router::new()
        .route("/api/v2/query", post(api::post_query))
        .route("/api/v2/funnel", post(api::funnel::post_funnel))
        .route(
            "/api/v2/funnels",
            get(api::funnel::list_funnels)
                .post(api::funnel::save_funnel)
                .delete(api::funnel::delete_funnel),
        )
        .route(
            "/api/v2/attribution",
            post(api::attribution::post_attribution),
        )
        .route("/api/v2/journeys", post(api::journeys::post_journeys))
        .route("/api/v2/realtime", post(api::realtime::post_realtime))
        .route(
            "/api/v2/goals",
            get(api::definitions::list_goals)
                .post(api::definitions::save_goal)
                .delete(api::definitions::delete_goal),
        )
        .route(
            "/api/v2/content_groups",
            get(api::definitions::list_groups)
                .post(api::definitions::save_group)
                .delete(api::definitions::delete_group),
        )
        .route(
            "/api/v2/sites",
            get(api::sites::list_sites)
                .post(api::sites::add_site)
                .patch(api::sites::patch_site)
                .delete(api::sites::delete_site),
        )
        .route(
            "/api/v2/keys",
            get(api::sites::list_keys)
                .post(api::sites::create_key)
                .delete(api::sites::revoke_key),
        )
        .route(
            "/api/v2/members",
            get(api::members::list_members)
                .patch(api::members::set_role)
                .delete(api::members::remove_member),
        )
        .route(
            "/api/v2/invitations",
            post(api::members::invite).delete(api::members::cancel_invitation),
        )
        .route(
            "/api/v2/shares",
            get(api::members::list_shares)
                .post(api::members::create_share)
                .delete(api::members::revoke_share),
        )
        .route("/api/v2/audit", get(api::members::list_audit))
        .route("/api/v2/install_check", get(api::install::install_check))
        .route("/api/v2/properties", get(api::properties::list_properties))
        .route(
            "/api/auth/setup",
            get(api::account::setup_status).post(api::account::setup),
        )
        .route("/api/auth/login", post(api::account::login))
        .route("/api/auth/logout", post(api::account::logout))
        .route("/api/auth/me", get(api::account::me))
        .route("/api/auth/password", post(api::account::change_password))
        .route("/api/auth/invitation", post(api::account::invitation))
        .route(
            "/api/auth/invitation/accept",
            post(api::account::accept_invitation),
        )
        .route("/api/auth/share", post(api::account::open_share))
        .layer(middleware::from_fn_with_state(state.clone(), api_guard));
    Router::new()
        .merge(ingest)
        .merge(app)
        .merge(api)
        .route("/js/{file}", get(tracker::script))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .with_state(state.clone())
        .layer(middleware::from_fn_with_state(
            super::observe::Observer::new(state),
            super::observe::observe,
        ))
}

/// Refuses changes from another origin, marks API answers as not for caches, counts
/// the requests refused for too many failures, and answers 503 at once while
/// ClickHouse is known not to answer (also to requests already waiting on it).
async fn api_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let from_page = !req.headers().contains_key(header::AUTHORIZATION);
    if changes && from_page && !api::auth::same_origin(req.headers()) {
        return api::auth::forbidden_origin();
    }
    let health = state.store.health();
    let mut response = if health.is_down() {
        clickhouse_down()
    } else {
        tokio::select! {
            r = next.run(req) => r,
            () = health.went_down() => clickhouse_down(),
        }
    };
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        state.metrics.auth_throttled.inc();
    }
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(header::HeaderValue::from_static("no-store"));
    response
}

/// The answer while ClickHouse does not answer: a client retries, a person sees why.
fn clickhouse_down() -> Response {
    crate::server::error::ApiError::Unavailable(
        "the database is not answering; retry in a few seconds".into(),
    )
    .into_response()
}

/// Whether a client may read `/metrics`: open unless a token or networks are set.
fn metrics_allowed(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> bool {
    let m = &state.config.metrics;
    if m.token.is_none() && m.allow.is_empty() {
        return true;
    }
    if m.allow.iter().any(|n| n.contains(&peer.ip())) {
        return true;
    }
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    m.token.as_deref().is_some_and(|t| {
        use subtle::ConstantTimeEq;
        bool::from(t.as_bytes().ct_eq(sent.trim().as_bytes()))
    })
}

async fn health() -> &'static str {
    "ok"
}

/// Ready when ClickHouse answers, the schema is current and today's salt is held.
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    // Every wait bounded: a load balancer's probe must get an answer from a node whose
    // ClickHouse hangs.
    let reachable = state.store.ping().await;
    let bound = state.store.timeouts().connect;
    let schema = reachable
        && tokio::time::timeout(bound, crate::store::migrations::is_current(&state.store))
            .await
            .unwrap_or(false);
    let salt = state.salts.salt_at(chrono::Utc::now()).is_some();
    let spool = !state.spool.is_failing() && !state.spool.is_full();
    let log = state.buffer.refuses().is_none();
    let ok = reachable && schema && salt && spool && log;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(serde_json::json!({
            "ready": ok,
            "clickhouse": reachable,
            "schema_current": schema,
            "salt": salt,
            "spool": spool,
            "log": log,
        })),
    )
}

async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !metrics_allowed(&state, peer, &headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need a token (PARCOURS_METRICS_TOKEN) or an allowed network\n",
        )
            .into_response();
    }
    state
        .metrics
        .buffered_rows
        .set(state.config.buffer.capacity as i64 - state.buffer.room() as i64);
    let m = &state.metrics;
    m.spool_bytes
        .set(i64::try_from(state.spool.bytes()).unwrap_or(i64::MAX));
    m.wal_bytes.set(
        state
            .buffer
            .wal()
            .map_or(0, |w| i64::try_from(w.bytes()).unwrap_or(i64::MAX)),
    );
    m.clickhouse_down
        .set(i64::from(state.store.health().is_down()));
    m.spool_files
        .set(i64::try_from(state.spool.pending().len()).unwrap_or(i64::MAX));
    m.refresh_memory();
    let now = chrono::Utc::now();
    m.salt_age_seconds
        .set(state.salts.in_use_day(now).map_or(-1, |day| {
            (now - day.and_time(chrono::NaiveTime::MIN).and_utc()).num_seconds()
        }));
    m.refresh_derived_lag(now.timestamp());
    (
        // What prometheus-client renders: OpenMetrics text, ending in `# EOF`.
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
