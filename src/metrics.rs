//! Prometheus metrics for what ops watch: traffic accepted and dropped (by reason),
//! buffer depth, inserts, spool activity, requests by route, process memory, the
//! salt's and derived data's age. Served as OpenMetrics text at `GET /metrics`.

use std::sync::atomic::{AtomicI64, Ordering};

use prometheus_client::encoding::{text::encode, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// Label for counters split by a reason.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Reason {
    /// Why, as a stable snake_case word.
    pub reason: &'static str,
}

/// Label for counters split by the store they are about.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Store {
    /// `spool` or `wal`.
    pub store: &'static str,
}

/// Label for counters split by outcome.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Outcome {
    /// `ok` or `failed`.
    pub outcome: &'static str,
}

/// Labels of the request counter: a fixed route name (never the raw path, which can
/// name a health condition) and the status code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Http {
    /// `event`, `script`, `stats_api`, `dashboard`, `auth`, `metrics`, `health` or `other`.
    pub route: &'static str,
    /// HTTP status code.
    pub status: u16,
}

/// Label for histograms split by route.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Route {
    /// As in [`Http::route`].
    pub route: &'static str,
}

/// Label for analytics answers split by endpoint.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Endpoint {
    /// `stats`, `funnel`, `journeys`, `attribution`, `realtime`, `properties`, `install_check`.
    pub endpoint: &'static str,
}

/// Label for failures split by their class (`StoreError::class`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Class {
    /// A stable snake_case class, never the error's text.
    pub class: &'static str,
}

/// A histogram family whose histograms share one set of buckets.
pub type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Request time: 0.5 ms to about 16 s.
fn request_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.000_5, 2.0, 16))
}

/// Analytics answer time: 5 ms to about 160 s (a request may take twice a statement's
/// `max_execution_seconds`).
fn query_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 16))
}

/// Marks [`Metrics::derived_until`] as never set.
const NEVER: i64 = i64::MIN;

/// Every metric the node exports.
pub struct Metrics {
    registry: Registry,
    /// Events queued for storage.
    pub events_accepted: Counter,
    /// Events not stored, by reason (unknown_site, bot_crawler, referrer_spam, ...).
    pub events_dropped: Family<Reason, Counter>,
    /// Beacons rejected with a 4xx/5xx, by reason.
    pub beacons_rejected: Family<Reason, Counter>,
    /// Rows waiting in the write buffer.
    pub buffered_rows: Gauge,
    /// Rows written to ClickHouse.
    pub rows_inserted: Counter,
    /// Successful insert requests.
    pub inserts: Counter,
    /// Failed insert attempts.
    pub insert_errors: Counter,
    /// Rows written to the disk spool.
    pub rows_spooled: Counter,
    /// Rows replayed from the spool.
    pub rows_replayed: Counter,
    /// Rows that could be neither inserted nor spooled.
    pub rows_lost: Counter,
    /// Bytes waiting in the disk spool.
    pub spool_bytes: Gauge,
    /// Bytes in the write-ahead log (`ack = "disk"`).
    pub wal_bytes: Gauge,
    /// 1 while the probe finds ClickHouse not answering.
    pub clickhouse_down: Gauge,
    /// Rows of a retried or replayed batch found already stored, so not inserted again.
    pub rows_deduplicated: Counter,
    /// Damaged or cut-short records skipped when reading the spool or the log.
    pub records_skipped: Family<Store, Counter>,
    /// Time spent in the enrichment pipeline per beacon, in seconds.
    pub pipeline_seconds: Histogram,
    /// Journey requests the job asked again to store closed days (`api::warm`).
    pub answers_warmed: Counter,
    /// Those that failed.
    pub answers_warm_errors: Counter,
    /// Sign-ins by outcome (`ok`, `failed`).
    pub signins: Family<Outcome, Counter>,
    /// Requests refused for too many failed attempts (sign-ins, keys, links).
    pub auth_throttled: Counter,
    /// Connections closed on arrival because the node held its maximum.
    pub connections_refused: Counter,
    /// Analytics requests refused with 503 for want of a slot, by reason (`site`, `node`).
    pub queries_refused: Family<Reason, Counter>,
    /// Analytics requests stopped at a bound, by reason (`time`, `memory`, `rows`, `server`).
    pub queries_cut: Family<Reason, Counter>,
    /// Analytics requests whose client left before the answer (statements killed).
    pub queries_cancelled: Counter,
    /// Requests answered, by route and status.
    pub http_requests: Family<Http, Counter>,
    /// Time to answer a request (to its response head), by route.
    pub http_request_seconds: Histograms<Route>,
    /// Time of analytics answers that ran (2xx, or 422 when cut at a bound), by endpoint.
    pub query_seconds: Histograms<Endpoint>,
    /// Time of each insert attempt into ClickHouse, failed ones included.
    pub insert_seconds: Histogram,
    /// Failed insert attempts by class (the same attempts as `insert_errors`).
    pub insert_failures: Family<Class, Counter>,
    /// Batch files waiting in the disk spool.
    pub spool_files: Gauge,
    /// Resident memory of the process, in bytes.
    pub resident_memory_bytes: Gauge,
    /// Seconds since the start of the UTC day of the salt in use; -1 when none is held.
    pub salt_age_seconds: Gauge,
    /// Seconds since the end of the newest closed day the visitor-days job has built;
    /// -1 before its first successful run.
    pub derived_lag_seconds: Gauge,
    /// Requests with a forwarding header (`X-Forwarded-For`, `Forwarded`, `X-Real-IP`)
    /// from a peer not in `trusted_proxies`.
    pub untrusted_forwarded: Counter,
    /// End of the newest closed day built (seconds since the epoch), or [`NEVER`].
    derived_until: AtomicI64,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("parcours");
        let m = Self {
            events_accepted: Counter::default(),
            events_dropped: Family::default(),
            beacons_rejected: Family::default(),
            buffered_rows: Gauge::default(),
            rows_inserted: Counter::default(),
            inserts: Counter::default(),
            insert_errors: Counter::default(),
            rows_spooled: Counter::default(),
            rows_replayed: Counter::default(),
            rows_lost: Counter::default(),
            rows_deduplicated: Counter::default(),
            spool_bytes: Gauge::default(),
            wal_bytes: Gauge::default(),
            clickhouse_down: Gauge::default(),
            records_skipped: Family::default(),
            pipeline_seconds: Histogram::new(exponential_buckets(0.000_001, 4.0, 10)),
            answers_warmed: Counter::default(),
            answers_warm_errors: Counter::default(),
            signins: Family::default(),
            auth_throttled: Counter::default(),
            connections_refused: Counter::default(),
            queries_refused: Family::default(),
            queries_cut: Family::default(),
            queries_cancelled: Counter::default(),
            http_requests: Family::default(),
            http_request_seconds: Family::new_with_constructor(request_buckets),
            query_seconds: Family::new_with_constructor(query_buckets),
            insert_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 16)),
            insert_failures: Family::default(),
            spool_files: Gauge::default(),
            resident_memory_bytes: Gauge::default(),
            salt_age_seconds: Gauge::default(),
            derived_lag_seconds: Gauge::default(),
            untrusted_forwarded: Counter::default(),
            derived_until: AtomicI64::new(NEVER),
            registry: Registry::default(),
        };
        registry.register(
            "events_accepted",
            "Events queued for storage",
            m.events_accepted.clone(),
        );
        registry.register(
            "events_dropped",
            "Events not stored, by reason",
            m.events_dropped.clone(),
        );
        registry.register(
            "beacons_rejected",
            "Beacons answered with an error, by reason",
            m.beacons_rejected.clone(),
        );
        registry.register(
            "buffered_rows",
            "Rows waiting in the write buffer",
            m.buffered_rows.clone(),
        );
        registry.register(
            "rows_inserted",
            "Rows written to ClickHouse",
            m.rows_inserted.clone(),
        );
        registry.register(
            "inserts",
            "Insert requests that succeeded",
            m.inserts.clone(),
        );
        registry.register(
            "insert_errors",
            "Insert attempts that failed",
            m.insert_errors.clone(),
        );
        registry.register(
            "rows_spooled",
            "Rows written to the disk spool",
            m.rows_spooled.clone(),
        );
        registry.register(
            "rows_replayed",
            "Rows replayed from the disk spool",
            m.rows_replayed.clone(),
        );
        registry.register(
            "rows_lost",
            "Rows neither inserted nor spooled",
            m.rows_lost.clone(),
        );
        registry.register(
            "spool_bytes",
            "Bytes waiting in the disk spool",
            m.spool_bytes.clone(),
        );
        registry.register(
            "wal_bytes",
            "Bytes in the write-ahead log",
            m.wal_bytes.clone(),
        );
        registry.register(
            "clickhouse_down",
            "1 while the probe finds ClickHouse not answering",
            m.clickhouse_down.clone(),
        );
        registry.register(
            "rows_deduplicated",
            "Rows of a retried or replayed batch already stored, not inserted again",
            m.rows_deduplicated.clone(),
        );
        registry.register(
            "records_skipped",
            "Damaged records skipped reading the spool or the write-ahead log",
            m.records_skipped.clone(),
        );
        registry.register(
            "pipeline_seconds",
            "Enrichment time per beacon",
            m.pipeline_seconds.clone(),
        );
        registry.register(
            "answers_warmed",
            "Journey requests asked again by the job to store closed days",
            m.answers_warmed.clone(),
        );
        registry.register(
            "answers_warm_errors",
            "Journey requests the job asked again that failed",
            m.answers_warm_errors.clone(),
        );
        registry.register("signins", "Sign-ins by outcome", m.signins.clone());
        registry.register(
            "auth_throttled",
            "Requests refused for too many failed attempts",
            m.auth_throttled.clone(),
        );
        registry.register(
            "connections_refused",
            "Connections closed on arrival because the node held its maximum",
            m.connections_refused.clone(),
        );
        registry.register(
            "queries_refused",
            "Analytics requests refused for want of a slot, by reason",
            m.queries_refused.clone(),
        );
        registry.register(
            "queries_cut",
            "Analytics requests stopped at a bound, by reason",
            m.queries_cut.clone(),
        );
        registry.register(
            "queries_cancelled",
            "Analytics requests whose client left before the answer",
            m.queries_cancelled.clone(),
        );
        registry.register(
            "http_requests",
            "Requests answered, by route and status",
            m.http_requests.clone(),
        );
        registry.register(
            "http_request_seconds",
            "Time to answer a request, by route",
            m.http_request_seconds.clone(),
        );
        registry.register(
            "query_seconds",
            "Time of analytics answers that ran, by endpoint",
            m.query_seconds.clone(),
        );
        registry.register(
            "insert_seconds",
            "Time of each insert attempt into ClickHouse",
            m.insert_seconds.clone(),
        );
        registry.register(
            "insert_failures",
            "Failed insert attempts, by class",
            m.insert_failures.clone(),
        );
        registry.register(
            "spool_files",
            "Batch files waiting in the disk spool",
            m.spool_files.clone(),
        );
        registry.register(
            "resident_memory_bytes",
            "Resident memory of the process",
            m.resident_memory_bytes.clone(),
        );
        registry.register(
            "salt_age_seconds",
            "Seconds since the start of the day of the salt in use (-1: none held)",
            m.salt_age_seconds.clone(),
        );
        registry.register(
            "derived_lag_seconds",
            "Seconds since the end of the newest closed day built by the visitor-days job (-1: no run yet)",
            m.derived_lag_seconds.clone(),
        );
        registry.register(
            "untrusted_forwarded",
            "Requests with a forwarding header from a peer not in trusted_proxies",
            m.untrusted_forwarded.clone(),
        );
        Self { registry, ..m }
    }
}

impl Metrics {
    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }

    /// Counts one dropped event.
    pub fn dropped(&self, reason: &'static str) {
        self.events_dropped.get_or_create(&Reason { reason }).inc();
    }

    /// Counts one failed insert attempt under its class.
    pub fn insert_failed(&self, class: &'static str) {
        self.insert_errors.inc();
        self.insert_failures.get_or_create(&Class { class }).inc();
    }

    /// Records that every closed day before `until` (seconds since the epoch) is built,
    /// and sets the lag as of `now`.
    pub fn derived_built_until(&self, until: i64, now: i64) {
        self.derived_until.store(until, Ordering::Relaxed);
        self.refresh_derived_lag(now);
    }

    /// Records that another node runs the visitor-days job (it holds the job's lease),
    /// so this node reports no lag of its own (-1) rather than one that only grows.
    pub fn derived_elsewhere(&self) {
        self.derived_until.store(NEVER, Ordering::Relaxed);
        self.derived_lag_seconds.set(-1);
    }

    /// Sets the derived-data lag as of `now`: it grows between runs, and keeps growing
    /// while the job fails.
    pub fn refresh_derived_lag(&self, now: i64) {
        let until = self.derived_until.load(Ordering::Relaxed);
        let lag = if until == NEVER {
            -1
        } else {
            (now - until).max(0)
        };
        self.derived_lag_seconds.set(lag);
    }

    /// Reads the process's resident memory; left as it was if the OS does not say.
    pub fn refresh_memory(&self) {
        if let Some(bytes) = resident_bytes() {
            self.resident_memory_bytes
                .set(i64::try_from(bytes).unwrap_or(i64::MAX));
        }
    }

    /// Counts one rejected beacon.
    pub fn rejected(&self, reason: &'static str) {
        self.beacons_rejected
            .get_or_create(&Reason { reason })
            .inc();
    }
}

/// Resident bytes from `/proc/self/statm` (its second field, in pages); `None` off Linux.
///
/// Read by hand: the `memory-stats` crate reads `/proc/self/smaps` by default, whose
/// walk of every mapping holds the process's mmap lock (the allocator's) for
/// milliseconds, and with its statm feature it does just this while adding a second
/// `windows-sys` to the lock file.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_exposed_with_the_prefix_and_total_suffix() {
        let m = Metrics::default();
        m.answers_warmed.inc();
        let text = m.render();
        assert!(text.contains("parcours_answers_warmed_total 1"), "{text}");
        assert!(
            text.contains("parcours_answers_warm_errors_total 0"),
            "{text}"
        );
    }

    #[test]
    fn the_text_is_openmetrics() {
        let text = Metrics::default().render();
        assert!(text.ends_with("# EOF\n"), "{text}");
    }

    #[test]
    fn derived_lag_is_unknown_until_a_run_then_grows() {
        let m = Metrics::default();
        m.refresh_derived_lag(1_000);
        assert_eq!(m.derived_lag_seconds.get(), -1);
        m.derived_built_until(800, 1_000);
        assert_eq!(m.derived_lag_seconds.get(), 200);
        m.refresh_derived_lag(1_300);
        assert_eq!(m.derived_lag_seconds.get(), 500);
    }

    #[test]
    fn resident_memory_is_read() {
        let m = Metrics::default();
        m.refresh_memory();
        assert!(m.resident_memory_bytes.get() > 0);
    }
}
