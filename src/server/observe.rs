//! What every request leaves in the metrics, recorded once around the whole router:
//! its route, status and time, the time of analytics answers by endpoint, and the
//! forwarding headers that come from a peer not trusted as a proxy.
//!
//! Routes and endpoints are a fixed set of names, never the raw path: a path can name
//! a health condition, a shared link's token, or grow the label set without bound.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::AppState;
use crate::ingest::client_ip::forwarded_by_untrusted;
use crate::metrics::{Endpoint, Http, Route};

/// The state of [`observe`].
pub struct Observer {
    state: AppState,
    /// Lets the untrusted-proxy warning through once a minute: a misconfigured node
    /// sees it on every request.
    warning: DefaultDirectRateLimiter,
}

impl Observer {
    /// An observer over the node's state.
    pub fn new(state: AppState) -> Arc<Self> {
        Arc::new(Self {
            state,
            warning: RateLimiter::direct(Quota::per_minute(NonZeroU32::MIN)),
        })
    }
}

/// Counts and times the request; notices forwarding headers from an untrusted peer.
pub async fn observe(State(o): State<Arc<Observer>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let route = route_of(path);
    let endpoint = query_endpoint(path);
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>() {
        if forwarded_by_untrusted(peer.ip(), req.headers(), &o.state.config.trusted_proxies) {
            untrusted_forwarded(&o);
        }
    }
    let started = Instant::now();
    let response = next.run(req).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status();
    let m = &o.state.metrics;
    m.http_requests
        .get_or_create(&Http {
            route,
            status: status.as_u16(),
        })
        .inc();
    m.http_request_seconds
        .get_or_create(&Route { route })
        .observe(seconds);
    // Refusals (no slot, no access, a bad request) are quick and counted elsewhere;
    // they would hide slow answers in the percentiles.
    let ran = status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY;
    if let (Some(endpoint), true) = (endpoint, ran) {
        m.query_seconds
            .get_or_create(&Endpoint { endpoint })
            .observe(seconds);
    }
    response
}

/// Counts a forwarding header from an untrusted peer, and says what to set, at most
/// once a minute. The header's addresses are visitors' and are never logged.
fn untrusted_forwarded(o: &Observer) {
    o.state.metrics.untrusted_forwarded.inc();
    if o.warning.check().is_ok() {
        tracing::warn!(
            "a request carries X-Forwarded-For, Forwarded or X-Real-IP from a peer that is not a \
             trusted proxy, so the header is ignored: if this node is behind a reverse proxy, every \
             visitor looks like the proxy (visitors merged, rate-limited together); set \
             PARCOURS_TRUSTED_PROXIES (trusted_proxies in the config file) to the proxy's address \
             (counted in parcours_untrusted_forwarded_total; logged at most once a minute)"
        );
    }
}

/// The route name of a path, from a fixed set.
pub fn route_of(path: &str) -> &'static str {
    match path {
        "/api/event" => "event",
        "/metrics" => "metrics",
        "/health" | "/ready" => "health",
        "/invite" => "dashboard",
        p if p.starts_with("/js/") => "script",
        p if p.starts_with("/api/v2/") => "stats_api",
        p if p.starts_with("/api/auth/") => "auth",
        p if p.starts_with("/assets/") || p.starts_with("/share/") => "dashboard",
        p if crate::dashboard::VIEW_PATHS.contains(&p) => "dashboard",
        _ => "other",
    }
}

/// The analytics endpoint of a path, if it is one.
pub fn query_endpoint(path: &str) -> Option<&'static str> {
    Some(match path {
        "/api/v2/query" => "stats",
        "/api/v2/funnel" => "funnel",
        "/api/v2/journeys" => "journeys",
        "/api/v2/attribution" => "attribution",
        "/api/v2/realtime" => "realtime",
        "/api/v2/properties" => "properties",
        "/api/v2/install_check" => "install_check",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_fixed_routes() {
        for (path, route) in [
            ("/api/event", "event"),
            ("/js/parcours.js", "script"),
            ("/api/v2/query", "stats_api"),
            ("/api/v2/sites", "stats_api"),
            ("/api/auth/login", "auth"),
            ("/", "dashboard"),
            ("/funnels", "dashboard"),
            ("/assets/app.js", "dashboard"),
            ("/share/abc", "dashboard"),
            ("/metrics", "metrics"),
            ("/ready", "health"),
            ("/maladie/diabete", "other"),
        ] {
            assert_eq!(route_of(path), route, "{path}");
        }
        assert_eq!(query_endpoint("/api/v2/funnel"), Some("funnel"));
        assert_eq!(query_endpoint("/api/v2/funnels"), None);
    }
}
