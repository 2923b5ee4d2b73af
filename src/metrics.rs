//! Prometheus metrics for what ops watch: traffic accepted and dropped (by reason),
//! buffer depth, inserts, spool activity. Served as text at `GET /metrics`.

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

    /// Counts one rejected beacon.
    pub fn rejected(&self, reason: &'static str) {
        self.beacons_rejected
            .get_or_create(&Reason { reason })
            .inc();
    }
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
}
