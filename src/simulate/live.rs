//! Live output: simulated beacons posted through the real `POST /api/event`, at a chosen
//! rate for a bounded time, each person with their own address (`X-Forwarded-For`, so
//! the server must trust this host as a proxy) and browser.
//!
//! Time is compressed: a person's events are posted back to back, in order, so each
//! person is one visitor and one visit on the server (unless the run crosses midnight
//! UTC). The ground truth is computed on that timeline; people still being posted at
//! the deadline are finished, so every counted person is complete.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::{Quota, RateLimiter};

use super::journey::{Generator, Person, Settings};
use super::truth::Truth;
use super::{beacon_body, SimulateError};

/// How to post.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// Base URL of a running Parcours (`http://127.0.0.1:8000`).
    pub url: String,
    /// Site domain the beacons name.
    pub domain: String,
    /// Beacons per second across all connections; 0 for as fast as possible.
    pub rate: u32,
    /// Stop taking new people after this long.
    pub duration: Duration,
    /// People posted at once (one connection each).
    pub concurrency: usize,
    /// Whether the site links consented people across days (for the truth).
    pub consent_enabled: bool,
}

/// What a live run did.
#[derive(Debug, Clone)]
pub struct LiveReport {
    /// Beacons posted.
    pub posted: u64,
    /// Beacons answered 202.
    pub accepted: u64,
    /// Wall time.
    pub seconds: f64,
    /// The ground truth of what was posted.
    pub truth: Truth,
}

/// Posts people from `settings` until `opts.duration` has passed or the period ends.
pub async fn post(settings: Settings, opts: &LiveOptions) -> Result<LiveReport, SimulateError> {
    let endpoint = format!("{}/api/event", opts.url.trim_end_matches('/'));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.concurrency)
        .build()?;
    let people = Arc::new(Mutex::new(Generator::new(settings)));
    let truth = Arc::new(Mutex::new(Truth::new()));
    let posted = Arc::new(AtomicU64::new(0));
    let accepted = Arc::new(AtomicU64::new(0));
    let limiter =
        NonZeroU32::new(opts.rate).map(|r| Arc::new(RateLimiter::direct(Quota::per_second(r))));
    let started = Instant::now();
    let deadline = started + opts.duration;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..opts.concurrency.max(1) {
        let (client, endpoint, people, truth) = (
            client.clone(),
            endpoint.clone(),
            people.clone(),
            truth.clone(),
        );
        let (posted, accepted, limiter) = (posted.clone(), accepted.clone(), limiter.clone());
        let (domain, consent_enabled) = (opts.domain.clone(), opts.consent_enabled);
        workers.spawn(async move {
            while Instant::now() < deadline {
                let Some(mut person) = people.lock().expect("generator lock").next() else {
                    break;
                };
                for e in &person.events {
                    if let Some(l) = &limiter {
                        l.until_ready().await;
                    }
                    let resp = client
                        .post(&endpoint)
                        .header("content-type", "text/plain")
                        .header("user-agent", person.user_agent)
                        .header("x-forwarded-for", person.ip.to_string())
                        .body(beacon_body(&domain, &person, e))
                        .send()
                        .await?;
                    posted.fetch_add(1, Ordering::Relaxed);
                    if resp.status() == reqwest::StatusCode::ACCEPTED {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                }
                compress(&mut person);
                truth
                    .lock()
                    .expect("truth lock")
                    .add(&person, consent_enabled);
            }
            Ok::<(), reqwest::Error>(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done.expect("live worker panicked")?;
    }
    let mut truth = truth.lock().expect("truth lock").clone();
    truth.generated.reused_addresses = people.lock().expect("generator lock").reused_addresses();
    let truth = truth.finish();
    Ok(LiveReport {
        posted: posted.load(Ordering::Relaxed),
        accepted: accepted.load(Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
        truth,
    })
}

/// Puts a person's events on the posting timeline: one millisecond apart, now.
fn compress(person: &mut Person) {
    let now = chrono::Utc::now().timestamp_millis();
    for (i, e) in person.events.iter_mut().enumerate() {
        e.at_ms = now + i as i64;
    }
}

/// Starts a server in-process (trusting this host as a proxy, no rate limit), posts,
/// and stops it after everything is flushed to ClickHouse.
pub async fn post_in_process(
    mut config: crate::config::Config,
    store: crate::store::Store,
    settings: Settings,
    mut opts: LiveOptions,
) -> Result<LiveReport, SimulateError> {
    config.listen = ([127, 0, 0, 1], 0).into();
    config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("valid network")];
    config.ingest.rate_limit_per_second = 0;
    let running = crate::server::start(config, store).await?;
    opts.url = format!("http://{}", running.addr);
    let report = post(settings, &opts).await;
    running.shutdown().await;
    report
}
