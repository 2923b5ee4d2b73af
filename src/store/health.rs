//! Whether ClickHouse answered lately.
//!
//! Requirements:
//! 1. One flag shared by every clone of a `Store`, set by one authority: a probe
//!    (`server::probe_clickhouse`) that pings every second marks ClickHouse down after
//!    two misses and up after one answer. A single slow insert does not turn the API
//!    away.
//! 2. While it is down, batches waiting for an insert slot go to the spool instead of
//!    queueing behind inserts that hang, and API requests answer 503 at once instead
//!    of each waiting out the I/O timeout.
//! 3. A server that answers with an error is up: bad data is not an outage.

use tokio::sync::watch;

/// Shared up/down state of the ClickHouse connection: since when it is down (ms since
/// the epoch), or `None` while up; a signal, so requests can stop waiting on it.
#[derive(Debug)]
pub struct Health {
    down_since: watch::Sender<Option<i64>>,
}

impl Default for Health {
    fn default() -> Self {
        Self {
            down_since: watch::Sender::new(None),
        }
    }
}

impl Health {
    /// Resolves once ClickHouse is (or already was) marked down.
    pub async fn went_down(&self) {
        let mut rx = self.down_since.subscribe();
        let _ = rx.wait_for(Option::is_some).await;
    }

    /// Whether the last attempt to reach ClickHouse failed.
    pub fn is_down(&self) -> bool {
        self.down_since.borrow().is_some()
    }

    /// Records a failure to reach it; the first failure dates the outage.
    pub fn mark_down(&self) {
        let first = self.down_since.send_if_modified(|since| {
            let first = since.is_none();
            since.get_or_insert_with(now_ms);
            first
        });
        if first {
            tracing::warn!("ClickHouse is not answering");
        }
    }

    /// Records that it answered; returns whether it was down.
    pub fn mark_up(&self) -> bool {
        let was = self
            .down_since
            .send_if_modified(|since| since.take().is_some());
        if was {
            tracing::info!("ClickHouse answers again");
        }
        was
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_dated_by_its_first_failure() {
        let h = Health::default();
        assert!(!h.is_down());
        h.mark_down();
        let first = *h.down_since.borrow();
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.mark_down();
        assert_eq!(*h.down_since.borrow(), first);
        assert!(h.is_down());
        assert!(h.mark_up());
        assert!(!h.is_down());
        assert!(!h.mark_up());
    }

    #[tokio::test]
    async fn waiters_wake_when_it_goes_down() {
        let h = std::sync::Arc::new(Health::default());
        let waiter = tokio::spawn({
            let h = h.clone();
            async move { h.went_down().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        h.mark_down();
        waiter.await.unwrap();
        // Already down: returns at once.
        h.went_down().await;
    }
}
