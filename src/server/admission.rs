//! Analytics requests within bounds on this node: how many run at once, per site and
//! in all, and the end of a request's ClickHouse statements when its client goes away.
//!
//! Requirements:
//! 1. One site's heavy requests never take every slot: each site has fewer slots than
//!    the node, so other sites' cheap queries still get one.
//! 2. A request waits a short while for a slot, then answers 503 with `Retry-After`:
//!    never an unbounded queue of requests holding memory.
//! 3. A request dropped before its answer (the client disconnected: hyper drops the
//!    handler's future) has its statements killed in ClickHouse by their id prefix
//!    (`query::bounds`), from a task of its own since `Drop` cannot wait. ClickHouse
//!    18.16 does not stop a query whose HTTP client left (modern servers only do with
//!    `cancel_http_readonly_queries_on_client_close`, absent from 18.16).
//! 4. Every statement of the request carries the bounds (`query::bounds::Scope`), and
//!    the request as a whole gets twice a statement's time (then 422, its statements
//!    killed): some requests run statements one after another.
//! 5. A site's first running request has ClickHouse's highest `priority` (1), its
//!    second 2, and so on: ClickHouse pauses lower-priority statements while higher
//!    ones run, so four heavy requests of one site weigh on another site's cheap query
//!    about as one does.
//!
//! The per-site map holds one semaphore per site that asked since the start: sites are
//! registered by their owners, so it is as bounded as the site list.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::ApiError;
use super::AppState;
use crate::config::QueriesConfig;
use crate::metrics::{Metrics, Reason};
use crate::query::bounds::{self, Scope};
use crate::store::Store;

/// The node's slots for analytics requests.
pub struct Admission {
    /// Slots of the whole node.
    node: Arc<Semaphore>,
    /// Slots of each site, created on its first request.
    sites: Mutex<HashMap<u32, Arc<Semaphore>>>,
    /// Slots per site.
    per_site: usize,
    /// Longest wait for a slot.
    wait: Duration,
}

/// A request's slots, given back when it ends.
#[derive(Debug)]
pub struct Slots {
    _site: OwnedSemaphorePermit,
    _node: OwnedSemaphorePermit,
    /// The site's requests running when this one was admitted, itself included (1 for
    /// the first): its statements' ClickHouse `priority`.
    pub rank: u64,
}

/// Which limit refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// The site's slots are taken.
    Site,
    /// The node's slots are taken.
    Node,
}

impl Admission {
    /// Slots as configured.
    pub fn new(cfg: &QueriesConfig) -> Self {
        Self {
            node: Arc::new(Semaphore::new(cfg.global)),
            sites: Mutex::new(HashMap::new()),
            per_site: cfg.per_site,
            wait: Duration::from_millis(cfg.queue_ms),
        }
    }

    /// Takes a slot of the site, then one of the node, waiting at most the configured
    /// time for both together.
    pub async fn admit(&self, site_id: u32) -> Result<Slots, Full> {
        let site = {
            let mut sites = self.sites.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(
                sites
                    .entry(site_id)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_site))),
            )
        };
        let deadline = tokio::time::Instant::now() + self.wait;
        // The site's slot first: a site over its share waits on its own semaphore
        // without holding one of the node's.
        let permit = tokio::time::timeout_at(deadline, Arc::clone(&site).acquire_owned())
            .await
            .map_err(|_| Full::Site)?
            .map_err(|_| Full::Site)?;
        let rank = (self.per_site - site.available_permits()) as u64;
        let node = tokio::time::timeout_at(deadline, Arc::clone(&self.node).acquire_owned())
            .await
            .map_err(|_| Full::Node)?
            .map_err(|_| Full::Node)?;
        Ok(Slots {
            _site: permit,
            _node: node,
            rank,
        })
    }
}

/// Runs an analytics request's work within the node's bounds: a slot of its site and of
/// the node, its statements bounded and named ([`Scope`]), killed in ClickHouse if the
/// request is dropped before it ends.
pub async fn bounded<T, F>(state: &AppState, site_id: u32, work: F) -> Result<T, ApiError>
where
    F: Future<Output = Result<T, ApiError>>,
{
    let slots = state.admission.admit(site_id).await.map_err(|full| {
        let reason = match full {
            Full::Site => "site",
            Full::Node => "node",
        };
        state
            .metrics
            .queries_refused
            .get_or_create(&Reason { reason })
            .inc();
        ApiError::Busy
    })?;
    let scope = Scope::new(&state.config.queries, state.store.database(), slots.rank);
    let mut guard = KillOnDrop {
        store: state.store.clone(),
        metrics: Arc::clone(&state.metrics),
        prefix: scope.prefix().to_owned(),
        armed: true,
    };
    // A request runs several statements, some one after another (the fold of small
    // groups, up to 20): the whole request gets twice a statement's time.
    let budget = Duration::from_secs(state.config.queries.max_execution_seconds * 2);
    let out = match tokio::time::timeout(budget, scope.run(work)).await {
        Ok(out) => out,
        Err(_) => {
            guard.kill();
            Err(ApiError::TooHeavy(bounds::Cut::Time))
        }
    };
    guard.armed = false;
    drop(slots);
    if let Err(ApiError::TooHeavy(cut)) = &out {
        state
            .metrics
            .queries_cut
            .get_or_create(&Reason { reason: cut.name() })
            .inc();
    }
    out
}

/// Kills a request's statements unless disarmed (the request ended by itself).
struct KillOnDrop {
    store: Store,
    metrics: Arc<Metrics>,
    prefix: String,
    armed: bool,
}

impl KillOnDrop {
    /// Kills the request's statements from a task of its own.
    fn kill(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let store = self.store.clone();
        let prefix = self.prefix.clone();
        runtime.spawn(async move {
            if let Err(e) = kill(&store, &prefix).await {
                tracing::warn!(
                    query_id = prefix,
                    class = e.class(),
                    code = e.code(),
                    "could not kill the queries of a dropped request"
                );
            } else {
                tracing::debug!(query_id = prefix, "killed the queries of a dropped request");
            }
        });
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.armed {
            self.metrics.queries_cancelled.inc();
            self.kill();
        }
    }
}

/// Ends the running statements whose ids start with `prefix-`.
pub async fn kill(store: &Store, prefix: &str) -> Result<(), crate::store::StoreError> {
    store
        .client()
        .query(bounds::KILL)
        .bind(bounds::like_pattern(prefix))
        .execute()
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admission(per_site: usize, global: usize) -> Admission {
        Admission::new(&QueriesConfig {
            per_site,
            global,
            queue_ms: 20,
            ..QueriesConfig::default()
        })
    }

    #[tokio::test]
    async fn a_site_over_its_share_leaves_slots_to_others() {
        let a = admission(2, 3);
        let _s1 = a.admit(1).await.unwrap();
        let _s2 = a.admit(1).await.unwrap();
        assert_eq!((_s1.rank, _s2.rank), (1, 2));
        assert_eq!(a.admit(1).await.unwrap_err(), Full::Site);
        let _o = a.admit(2).await.unwrap();
        assert_eq!(a.admit(3).await.unwrap_err(), Full::Node);
        drop(_s1);
        assert!(a.admit(1).await.is_ok());
    }
}
