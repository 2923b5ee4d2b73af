//! The router: every public path of the node in one table.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
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
    let app = app.layer(CompressionLayer::new());
    Router::new()
        .merge(ingest)
        .merge(app)
        .route("/js/{file}", get(tracker::script))
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
            get(api::sites::list_sites).patch(api::sites::patch_site),
        )
        .route("/api/v2/keys", post(api::sites::create_key))
        .route("/api/v2/install_check", get(api::install::install_check))
        .route("/api/v2/properties", get(api::properties::list_properties))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn health() -> &'static str {
    "ok"
}

/// Ready when ClickHouse answers, the schema is current and today's salt is held.
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let reachable = state.store.ping().await;
    let schema = reachable && crate::store::migrations::is_current(&state.store).await;
    let salt = state.salts.salt_at(chrono::Utc::now()).is_some();
    let ok = reachable && schema && salt;
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
        })),
    )
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    state
        .metrics
        .buffered_rows
        .set(state.config.buffer.capacity as i64 - state.buffer.room() as i64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
