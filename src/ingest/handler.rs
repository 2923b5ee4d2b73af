//! The HTTP face of ingestion: `POST /api/event`.
//!
//! Nothing slow happens here: the pipeline is CPU-only (cached UA parsing, in-memory
//! GeoIP and salts) and the row is handed to the write buffer with `try_push`.

use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};

use super::{beacon, client_ip::client_ip, pipeline};
use crate::buffer::BufferError;
use crate::server::error::ApiError;
use crate::server::AppState;

/// Handles one beacon: 202 `ok` when accepted (or silently dropped), 400/413/429/503 otherwise.
pub async fn post_event(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, &'static str), ApiError> {
    let m = &state.metrics;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            m.rejected("too_large");
            ApiError::TooLarge(state.config.ingest.max_body_bytes)
        } else {
            m.rejected("unreadable");
            ApiError::BadRequest(rejection.body_text())
        }
    })?;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let ip = client_ip(
        peer.ip(),
        header("x-forwarded-for"),
        &state.config.trusted_proxies,
    );
    if let Some(limiter) = &state.limiter {
        // Keyed by a hash with a per-process random key, so the limiter's table
        // holds no IP addresses.
        if limiter.check_key(&state.ip_hasher.hash_one(ip)).is_err() {
            m.rejected("rate_limited");
            return Err(ApiError::RateLimited);
        }
    }
    let beacon = beacon::parse(&body).map_err(|e| {
        m.rejected("malformed");
        ApiError::BadRequest(e.to_string())
    })?;
    let started = Instant::now();
    let ctx = pipeline::Context {
        ip,
        user_agent: header("user-agent").unwrap_or(""),
        do_not_track: header("dnt") == Some("1") || header("sec-gpc") == Some("1"),
        now: chrono::Utc::now(),
    };
    let outcomes = pipeline::run(&beacon, &ctx, &state.sites, &state.salts, &state.enrichers)
        .map_err(|e| {
            m.rejected("no_salt");
            ApiError::Unavailable(e.to_string())
        })?;
    m.pipeline_seconds.observe(started.elapsed().as_secs_f64());
    let rows: Vec<_> = outcomes
        .into_iter()
        .filter_map(|o| o.map_err(|reason| m.dropped(reason.as_str())).ok())
        .collect();
    // All or nothing for multi-site beacons: a resent beacon must not double-count.
    if !state.buffer.has_room(rows.len()) {
        m.rejected("buffer_full");
        return Err(ApiError::Unavailable(BufferError::Full.to_string()));
    }
    for row in rows {
        state.buffer.try_push(row).map_err(|e| {
            m.rejected("buffer_full");
            ApiError::Unavailable(e.to_string())
        })?;
        m.events_accepted.inc();
    }
    Ok((StatusCode::ACCEPTED, "ok"))
}

/// The address type the rate limiter is keyed on (see `post_event`).
pub type IpKey = u64;
