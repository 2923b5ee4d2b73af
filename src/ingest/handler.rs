//! The HTTP face of ingestion: `POST /api/event` (the tracker's beacon) and
//! `GET /api/event` (the no-JavaScript pixel).
//!
//! Nothing slow happens here: the pipeline is CPU-only (cached UA parsing, in-memory
//! GeoIP and salts) and the row is handed to the write buffer with `try_push`.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};

use super::{beacon, client_ip::client_ip, pipeline};
use crate::buffer::BufferError;
use crate::server::error::ApiError;
use crate::server::AppState;

/// Handles one beacon: 202 `ok` when accepted (or silently dropped), 400/413/429/503 otherwise.
/// With `ack = "disk"`, 202 means the rows are synced to the write-ahead log.
pub async fn post_event(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Result<(StatusCode, &'static str), ApiError> {
    // The headers are moved out rather than cloned (what the `HeaderMap` extractor
    // does); reading the body needs only the rest of the request (its size limit).
    let (mut parts, body) = request.into_parts();
    let headers = std::mem::take(&mut parts.headers);
    let body: Result<Bytes, BytesRejection> =
        Bytes::from_request(Request::from_parts(parts, body), &state).await;
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
    let beacon = beacon::parse(&body).map_err(|e| {
        m.rejected("malformed");
        ApiError::BadRequest(e.to_string())
    })?;
    accept(&state, peer, &headers, beacon).await?;
    Ok((StatusCode::ACCEPTED, "ok"))
}

/// A transparent 1×1 GIF, the smallest image every browser renders.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// The no-JavaScript fallback: `<noscript><img src=".../api/event?d=site.fr"></noscript>`.
///
/// Same beacon keys as the POST body, as query parameters; `n` defaults to `pageview`
/// and `u` to the `Referer` header (the page holding the image). Browsers send only the
/// origin as a cross-origin `Referer` unless the image says
/// `referrerpolicy="no-referrer-when-downgrade"`, as the README's snippet does.
pub async fn get_pixel(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<impl IntoResponse, ApiError> {
    let mut object = serde_json::Map::new();
    for key in ["n", "u", "d", "r"] {
        if let Some(v) = params.get(key) {
            object.insert(key.to_owned(), v.clone().into());
        }
    }
    object.entry("n").or_insert_with(|| "pageview".into());
    if !object.contains_key("u") {
        if let Some(referer) = headers.get("referer").and_then(|v| v.to_str().ok()) {
            object.insert("u".to_owned(), referer.into());
        }
    }
    let body = serde_json::Value::Object(object).to_string();
    let beacon = beacon::parse(body.as_bytes()).map_err(|e| {
        state.metrics.rejected("malformed");
        ApiError::BadRequest(e.to_string())
    })?;
    accept(&state, peer, &headers, beacon).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/gif"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        PIXEL,
    ))
}

/// Rate-limits, enriches and queues one parsed beacon; returns once it is queued (or,
/// with `ack = "disk"`, on disk).
async fn accept(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    beacon: beacon::Beacon,
) -> Result<(), ApiError> {
    let m = &state.metrics;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let ip = client_ip(
        peer.ip(),
        header("x-forwarded-for"),
        &state.config.trusted_proxies,
    );
    let now = state.clock.now();
    // Refused before any outcome: every domain the beacon names.
    let refuse = |reason| refused(state, reason, &beacon.domains, now);
    if let Some(limiter) = &state.limiter {
        // Keyed by a hash with a per-process random key, so the limiter's table
        // holds no IP addresses.
        if limiter.check_key(&state.ip_hasher.hash_one(ip)).is_err() {
            refuse("rate_limited");
            return Err(ApiError::RateLimited);
        }
    }
    // Never a 202 for an event that could not be kept: ClickHouse failed and so did the
    // spool for the last batch; the sender keeps it and retries.
    if state.spool.is_failing() {
        refuse("storage_failing");
        return Err(ApiError::Unavailable(
            "events cannot be stored now (ClickHouse and the disk spool both failed); retry later"
                .into(),
        ));
    }
    // Full spool or log: refused now rather than acknowledged and lost later.
    if state.spool.is_full() {
        refuse("spool_full");
        return Err(ApiError::Unavailable(
            "events cannot be stored now (the disk spool is full while ClickHouse catches up); retry later"
                .into(),
        ));
    }
    if let Some(e) = state.buffer.refuses() {
        refuse("log_refused");
        return Err(ApiError::Unavailable(format!("{e}; retry later")));
    }
    let started = Instant::now();
    let ctx = pipeline::Context {
        ip,
        user_agent: header("user-agent").unwrap_or(""),
        do_not_track: header("dnt") == Some("1") || header("sec-gpc") == Some("1"),
        now,
    };
    let resources = pipeline::Resources {
        sites: &state.sites,
        salts: &state.salts,
        consent: &state.consent,
        enrichers: &state.enrichers,
    };
    let outcomes = pipeline::run(&beacon, &ctx, &resources).map_err(|e| {
        refuse("no_salt");
        ApiError::Unavailable(e.to_string())
    })?;
    m.pipeline_seconds.observe(started.elapsed().as_secs_f64());
    // Outcomes come in the order of the beacon's domains; each row keeps its domain, so
    // a refusal by the buffer can name them without a second list on every beacon.
    let mut rows = Vec::with_capacity(outcomes.len());
    for (domain, outcome) in beacon.domains.iter().zip(outcomes) {
        match outcome {
            Ok(row) => rows.push((domain, row)),
            Err(reason) => {
                m.dropped(reason.as_str());
                state.drops.record(domain, reason.for_site(), now);
            }
        }
    }
    // All or nothing for multi-site beacons: a resent beacon must not double-count.
    let domains: Vec<&String> = rows.iter().map(|(d, _)| *d).collect();
    let rows: Vec<_> = rows.into_iter().map(|(_, row)| row).collect();
    let n = rows.len() as u64;
    if rows.is_empty() {
        return Ok(());
    }
    if let Err(e) = state.buffer.submit(rows).await {
        let reason = match e {
            BufferError::Full => "buffer_full",
            BufferError::Closed => "shutting_down",
            BufferError::Log(_) => "log_refused",
        };
        refused(state, reason, domains, now);
        return Err(ApiError::Unavailable(e.to_string()));
    }
    m.events_accepted.inc_by(n);
    Ok(())
}

/// Counts a refused beacon for ops, and for the installation check under each domain
/// it names (`ingest::drops`).
fn refused<'a>(
    state: &AppState,
    reason: &'static str,
    domains: impl IntoIterator<Item = &'a String>,
    now: DateTime<Utc>,
) {
    state.metrics.rejected(reason);
    for d in domains {
        state.drops.record(d, reason, now);
    }
}

/// The address type the rate limiter is keyed on (see `post_event`).
pub type IpKey = u64;
