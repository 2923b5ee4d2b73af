//! The HTTP server: shared state, router, background jobs and graceful shutdown.
//!
//! Shutdown order matters for "no event lost": stop accepting connections and finish
//! in-flight requests first, then drain the write buffer, then stop background jobs.

pub mod admission;
pub mod error;
pub mod listener;
mod observe;
mod routes;
pub mod throttle;

use std::collections::hash_map::RandomState;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::Quota;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::buffer::{self, spool::Spool, BufferHandle, Sink, Writer};
use crate::config::Config;
use crate::enrich::geoip::GeoIp;
use crate::enrich::user_agent::UserAgentParser;
use crate::ingest::handler::IpKey;
use crate::ingest::pipeline::Enrichers;
use crate::metrics::Metrics;
use crate::store::sites::SiteDirectory;
use crate::store::{migrations, Store};
use crate::visitor::consent::ConsentKeys;
use crate::visitor::salts::SaltRing;

/// Errors while starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// ClickHouse could not be prepared.
    #[error("ClickHouse: {0}")]
    Store(#[from] crate::store::StoreError),
    /// The spool directory is unusable.
    #[error(transparent)]
    Spool(#[from] buffer::spool::SpoolError),
    /// The write-ahead log could not be opened.
    #[error(transparent)]
    Buffer(#[from] buffer::StartError),
    /// The GeoIP database could not be opened.
    #[error("GeoIP: {0}")]
    GeoIp(#[from] crate::enrich::geoip::GeoIpError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// State shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The parts of [`AppState`].
pub struct Inner {
    /// Effective configuration.
    pub config: Config,
    /// ClickHouse.
    pub store: Store,
    /// Registered sites, refreshed in the background.
    pub sites: SiteDirectory,
    /// Visitor-id salts, rotated in the background.
    pub salts: SaltRing,
    /// Keys of sites with consented cross-day journeys.
    pub consent: ConsentKeys,
    /// GeoIP and user-agent parsing.
    pub enrichers: Enrichers,
    /// Write buffer.
    pub buffer: BufferHandle,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Keys, sessions and links checked recently, and the failure throttles.
    pub access: crate::api::auth::Access,
    /// Per-client rate limiter (None when disabled).
    pub limiter: Option<throttle::KeyedLimiter<IpKey>>,
    /// Random-keyed hasher so the limiter never holds raw IPs.
    pub ip_hasher: RandomState,
    /// Disk spool.
    pub spool: Arc<Spool>,
    /// The time beacons are stamped with.
    pub clock: Clock,
    /// Journey requests answered lately, asked again by the job (`api::warm`).
    pub asked: crate::api::warm::Asked,
    /// Beacons this node did not store lately, by domain and reason (`ingest::drops`).
    pub drops: crate::ingest::drops::RecentDrops,
    /// Slots for analytics requests (`admission`).
    pub admission: admission::Admission,
    /// Each site's first stored day, for `date_range: "all"` (`api::first_day`).
    pub first_days: crate::api::FirstDays,
}

/// The ingest clock: the system clock, shifted by an offset that only tests and
/// simulations set (to post journeys that cross midnight without waiting for it).
#[derive(Debug, Default)]
pub struct Clock {
    /// Milliseconds added to the system time.
    offset_ms: std::sync::atomic::AtomicI64,
}

impl Clock {
    /// The current time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let offset = self.offset_ms.load(std::sync::atomic::Ordering::Relaxed);
        chrono::Utc::now() + chrono::Duration::milliseconds(offset)
    }

    /// Makes [`Clock::now`] read `at` at this instant (and move on from there).
    pub fn set(&self, at: chrono::DateTime<chrono::Utc>) {
        let offset = (at - chrono::Utc::now()).num_milliseconds();
        self.offset_ms
            .store(offset, std::sync::atomic::Ordering::Relaxed);
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// After a lost batch, accepts events again once ClickHouse answers (as the probe
    /// last found it) or the spool can be written.
    pub async fn recheck_storage(&self) {
        if self.spool.is_failing() && (self.spool.probe().is_ok() || !self.store.health().is_down())
        {
            tracing::info!("storage works again: accepting events");
            self.spool.set_failing(false);
        }
    }

    /// State for answering API calls in this process without serving them
    /// (`parcours query`), so the answers come from the handlers' own code.
    ///
    /// What queries read is real: the store, and sites and consent keys loaded once
    /// (no background refresh: the process is short-lived). What only ingestion uses
    /// is inert: no salts, no GeoIP, a write buffer that takes nothing, a spool that
    /// is never written or replayed, no rate limiter, no port bound, no jobs started.
    pub async fn for_queries(config: Config, store: Store) -> Result<Self, ServerError> {
        migrations::migrate(&store).await?;
        let access = crate::api::auth::Access::new(&config);
        let admission = admission::Admission::new(&config.queries);
        let state = AppState(Arc::new(Inner {
            enrichers: Enrichers {
                geoip: None,
                user_agents: UserAgentParser::with_capacity(1),
            },
            spool: Arc::new(Spool::unopened(&config.spool_dir())),
            config,
            store,
            sites: SiteDirectory::default(),
            salts: SaltRing::default(),
            consent: ConsentKeys::default(),
            buffer: BufferHandle::closed(),
            metrics: Arc::new(Metrics::default()),
            limiter: None,
            access,
            ip_hasher: RandomState::new(),
            clock: Clock::default(),
            asked: Default::default(),
            drops: Default::default(),
            admission,
            first_days: Default::default(),
        }));
        state.sites.refresh(&state.store).await?;
        state.consent.refresh(&state.store).await?;
        Ok(state)
    }
}

/// A running server.
pub struct Running {
    /// The bound address (useful with port 0).
    pub addr: SocketAddr,
    /// Shared state, e.g. for tests to refresh sites.
    pub state: AppState,
    stop: watch::Sender<bool>,
    http: JoinHandle<()>,
    jobs: JoinHandle<()>,
    writer: Writer,
}

impl Running {
    /// Stops accepting, finishes requests, flushes every buffered event, stops jobs.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.http.await {
            tracing::error!(error = %e, "HTTP task failed");
        }
        self.writer.shutdown().await;
        let _ = self.jobs.await;
        tracing::info!("server stopped");
    }

    /// Refreshes sites and salts now instead of waiting for the next tick.
    pub async fn refresh(&self) -> Result<(), crate::store::StoreError> {
        refresh(&self.state).await
    }
}

/// Migrates, loads sites and salts, and starts serving on `config.listen`.
pub async fn start(config: Config, store: Store) -> Result<Running, ServerError> {
    migrations::migrate(&store).await?;
    let metrics = Arc::new(Metrics::default());
    let spool = Arc::new(Spool::open(&config.spool_dir())?);
    spool.set_max_bytes(config.buffer.spool_max_mb << 20);
    let geoip = match config.geoip_path() {
        Some(path) => {
            let db = GeoIp::open(&path)?;
            tracing::info!(path = %path.display(), "GeoIP database loaded");
            Some(db)
        }
        None => {
            tracing::warn!("no GeoIP database: events will have no geography");
            None
        }
    };
    let sink = Sink::new(store.clone(), spool.clone(), metrics.clone());
    // What a crash left in the log lands (once) before anything new is logged; this
    // runs whatever `ack` is now, so switching to `memory` loses nothing either.
    if !buffer::wal::segments(&config.wal_dir()).is_empty() {
        let (rows, skipped) =
            buffer::replay_log(&sink, &config.wal_dir(), config.buffer.flush_rows).await;
        tracing::info!(rows, skipped, "write-ahead log replayed at start");
    }
    let (buffer, writer) = buffer::start(&config.buffer, sink, &config.wal_dir())?;
    let limiter = NonZeroU32::new(config.ingest.rate_limit_per_second).map(|rate| {
        let burst = NonZeroU32::new(config.ingest.rate_limit_burst).unwrap_or(rate);
        throttle::KeyedLimiter::new(Quota::per_second(rate).allow_burst(burst))
    });
    let listener = listener::bind(config.listen).map_err(|source| ServerError::Bind {
        addr: config.listen,
        source,
    })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind {
        addr: config.listen,
        source,
    })?;
    let access = crate::api::auth::Access::new(&config);
    let admission = admission::Admission::new(&config.queries);
    let state = AppState(Arc::new(Inner {
        enrichers: Enrichers {
            geoip,
            user_agents: UserAgentParser::with_capacity(config.ingest.user_agent_cache),
        },
        config,
        store,
        sites: SiteDirectory::default(),
        salts: SaltRing::default(),
        consent: ConsentKeys::default(),
        buffer,
        metrics,
        limiter,
        access,
        ip_hasher: RandomState::new(),
        spool,
        clock: Clock::default(),
        asked: Default::default(),
        drops: Default::default(),
        admission,
        first_days: Default::default(),
    }));
    refresh(&state).await?;
    replay_spool(&state).await;
    let (stop, stop_rx) = watch::channel(false);
    let app = routes::router(state.clone());
    let state_for_jobs = state.clone();
    let http_stop = stop_rx.clone();
    let limits = listener::Limits {
        max_connections: match state.config.max_connections {
            0 => listener::default_max_connections(),
            n => n,
        },
        header_timeout: Duration::from_secs(state.config.header_timeout_seconds),
    };
    let http_metrics = state.metrics.clone();
    let http = tokio::spawn(async move {
        listener::serve(listener, app, limits, http_stop, http_metrics).await;
    });
    // The first run looks at all history (a node may start on data loaded in bulk);
    // later runs only at the last week, where late events can still land.
    let materializer = tokio::spawn(materialize_loop(state.clone(), stop_rx.clone()));
    let probe = tokio::spawn(probe_clickhouse(state.clone(), stop_rx.clone()));
    let jobs = tokio::spawn(async move {
        background_jobs(state_for_jobs, stop_rx).await;
        let _ = materializer.await;
        let _ = probe.await;
    });
    tracing::info!(%addr, "listening");
    Ok(Running {
        addr,
        state,
        stop,
        http,
        jobs,
        writer,
    })
}

/// Re-reads sites and rotates salts.
async fn refresh(state: &AppState) -> Result<(), crate::store::StoreError> {
    state.sites.refresh(&state.store).await?;
    state.consent.refresh(&state.store).await?;
    let grace = Duration::from_secs(u64::from(state.config.privacy.salt_grace_minutes) * 60);
    state
        .salts
        .rotate(&state.store, chrono::Utc::now(), grace)
        .await?;
    Ok(())
}

/// How often a node applies the sites' retention (a few cheap counts when nothing is due).
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Builds visitor-days for closed days, once at start over all history, then every
/// `materialize_seconds` over the last week, until stopped; applies retention at start
/// and hourly.
///
/// Each job runs on one node at a time: the one holding its lease (`store::leases`).
async fn materialize_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    let node = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let every_ms = state.config.materialize_seconds.max(1) * 1000;
    let holds = |job: &'static str, ttl_ms: u64| {
        let (store, node) = (state.store.clone(), node.clone());
        async move {
            let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
            match crate::store::leases::hold(&store, job, &node, now, ttl_ms).await {
                Ok(held) => held,
                Err(e) => {
                    let f = error::Failure::of(&e);
                    tracing::warn!(
                        job,
                        class = f.class,
                        code = f.code,
                        "job lease unreadable; skipping this run"
                    );
                    false
                }
            }
        }
    };
    let mut tick =
        tokio::time::interval(Duration::from_secs(state.config.materialize_seconds.max(1)));
    let mut retention = tokio::time::interval(RETENTION_EVERY);
    let mut lookback = None;
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = retention.tick() => {
                if !holds("retention", RETENTION_EVERY.as_millis() as u64 * 3 / 2).await {
                    continue;
                }
                match crate::store::retention::run(&state.store, chrono::Utc::now()).await {
                    Ok(r) if r.dropped > 0 || r.deletions > 0 => {
                        tracing::info!(dropped = r.dropped, deletions = r.deletions, "retention applied");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "retention failed; will retry"),
                }
            }
            _ = tick.tick() => {
                // Three missed runs and another node takes over.
                if !holds("visitor_days", every_ms * 3).await {
                    state.metrics.derived_elsewhere();
                    continue;
                }
                let now = chrono::Utc::now();
                match crate::query::materialize::run(&state.store, now, lookback).await {
                    Ok(r) => {
                        lookback = Some(7);
                        // A run that succeeds has built every closed day: up to today's midnight.
                        let midnight = now.date_naive().and_time(chrono::NaiveTime::MIN).and_utc();
                        state.metrics.derived_built_until(midnight.timestamp(), now.timestamp());
                        if !r.built.is_empty() || r.dropped > 0 {
                            tracing::info!(built = r.built.len(), dropped = r.dropped, "visitor-days job");
                        }
                        // A newly closed day: store its answers before anyone asks.
                        if r.built.iter().any(|d| *d < now.date_naive()) {
                            let w = crate::api::warm::run(&state, now).await;
                            if w.asked > 0 {
                                tracing::info!(asked = w.asked, failed = w.failed, "stored answers warmed");
                            }
                        }
                    }
                    Err(e) => {
                        let f = error::Failure::of(&e);
                        tracing::warn!(class = f.class, code = f.code, "visitor-days job failed; will retry")
                    }
                }
            }
        }
    }
    // A node that stops hands its jobs over at once: a restart (a rolling upgrade) or
    // another node takes them on its next run, not after the lease has run out.
    let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
    for job in ["visitor_days", "retention"] {
        if let Err(e) = crate::store::leases::release(&state.store, job, &node, now).await {
            let f = error::Failure::of(&e);
            tracing::debug!(
                job,
                class = f.class,
                code = f.code,
                "job lease not released"
            );
        }
    }
}

/// Resolves once shutdown has been asked for.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`; drop it before any other await.
    let _ = stop.wait_for(|s| *s).await.map(|_| ());
}

/// Replays the spool into ClickHouse, counting what it replayed and skipped.
async fn replay_spool(state: &AppState) {
    let replayed = state.spool.replay(&state.store).await;
    let skipped = state.spool.take_skipped();
    if skipped > 0 {
        state
            .metrics
            .records_skipped
            .get_or_create(&crate::metrics::Store { store: "spool" })
            .inc_by(skipped);
    }
    match replayed {
        Ok(0) => {}
        Ok(n) => {
            state.metrics.rows_replayed.inc_by(n as u64);
            tracing::info!(rows = n, "spool replayed");
        }
        Err(e) => tracing::warn!(error = %e, "spool replay failed; will retry"),
    }
}

/// Pings ClickHouse every second: two misses in a row mark it down (inserts go to the
/// spool, API requests get 503 at once), one answer marks it up.
async fn probe_clickhouse(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut misses = 0;
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = tick.tick() => {
                let health = state.store.health();
                if state.store.ping().await {
                    misses = 0;
                    health.mark_up();
                } else {
                    misses += 1;
                    if misses >= 2 {
                        health.mark_down();
                    }
                }
            }
        }
    }
}

/// Periodic refresh of sites and salts, spool replay and limiter cleanup, until stopped.
async fn background_jobs(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut refresh_tick = tokio::time::interval(Duration::from_secs(state.config.refresh_seconds));
    let mut spool_tick = tokio::time::interval(Duration::from_secs(
        state.config.buffer.spool_replay_seconds.max(1),
    ));
    refresh_tick.tick().await;
    spool_tick.tick().await;
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = refresh_tick.tick() => {
                if let Err(e) = refresh(&state).await {
                    tracing::warn!(error = %e, "refresh of sites and salts failed; keeping the last ones");
                }
                if let Some(limiter) = &state.limiter {
                    limiter.prune();
                }
                state.access.signins.retain_recent();
                state.access.bad_credentials.retain_recent();
                state.access.lookups.retain_recent();
            }
            _ = spool_tick.tick() => {
                state.recheck_storage().await;
                if state.spool.pending().is_empty() {
                    continue;
                }
                replay_spool(&state).await;
            }
        }
    }
}
