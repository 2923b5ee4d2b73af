//! The write buffer between the ingest endpoint and ClickHouse.
//!
//! Requirements:
//! 1. Handlers never wait on ClickHouse: they `try_send` onto a bounded channel, and a
//!    full channel answers 503 rather than growing without bound.
//! 2. One writer task owns batching: flush every `flush_rows` rows or every
//!    `flush_interval_ms`, whichever comes first, with at most `max_inflight` inserts
//!    running (ClickHouse wants few, large inserts: clickhouse-notes P21).
//! 3. A failed insert is retried with backoff; if it still fails, the batch goes to
//!    the disk spool and is replayed later. Events wait on disk, they do not vanish.
//! 4. Shutdown drains the channel and waits for every insert (or spool write).

pub mod spool;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinHandle;

use crate::config::BufferConfig;
use crate::metrics::Metrics;
use crate::store::events::{self, EventRow};
use crate::store::Store;
use spool::Spool;

/// Why an event could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum BufferError {
    /// The buffer is full: ClickHouse is slower than the incoming traffic.
    #[error("write buffer is full")]
    Full,
    /// The node is shutting down.
    #[error("write buffer is closed")]
    Closed,
}

/// The sending side, held by request handlers; cheap to clone.
#[derive(Clone)]
pub struct BufferHandle {
    tx: mpsc::Sender<EventRow>,
}

impl BufferHandle {
    /// Queues one row without waiting.
    pub fn try_push(&self, row: EventRow) -> Result<(), BufferError> {
        self.tx.try_send(row).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => BufferError::Full,
            mpsc::error::TrySendError::Closed(_) => BufferError::Closed,
        })
    }

    /// A handle that takes nothing (every push is `Closed`), for a process that
    /// answers queries but never ingests (`AppState::for_queries`).
    pub fn closed() -> Self {
        let (tx, _) = mpsc::channel(1);
        Self { tx }
    }

    /// Free slots right now.
    pub fn room(&self) -> usize {
        self.tx.capacity()
    }

    /// Whether there is room for `n` more rows right now.
    pub fn has_room(&self, n: usize) -> bool {
        self.tx.capacity() >= n
    }
}

/// The writer task; `shutdown` drains it.
pub struct Writer {
    handle: JoinHandle<()>,
    close: tokio::sync::oneshot::Sender<()>,
}

impl Writer {
    /// Closes the buffer, flushes what it holds, and waits for every insert to finish.
    pub async fn shutdown(self) {
        let _ = self.close.send(());
        if let Err(e) = self.handle.await {
            tracing::error!(error = %e, "writer task failed");
        }
    }
}

/// Where batches go: ClickHouse, with the spool as the fallback.
#[derive(Clone)]
pub struct Sink {
    /// Target database.
    pub store: Store,
    /// Disk spool for batches ClickHouse did not take.
    pub spool: Arc<Spool>,
    /// Counters for ops.
    pub metrics: Arc<Metrics>,
}

/// Starts the writer task and returns the handle handlers push into.
pub fn start(cfg: &BufferConfig, sink: Sink) -> (BufferHandle, Writer) {
    let (tx, rx) = mpsc::channel(cfg.capacity);
    let (close_tx, close_rx) = tokio::sync::oneshot::channel();
    let handle = tokio::spawn(run(cfg.clone(), sink, rx, close_rx));
    (
        BufferHandle { tx },
        Writer {
            handle,
            close: close_tx,
        },
    )
}

async fn run(
    cfg: BufferConfig,
    sink: Sink,
    mut rx: mpsc::Receiver<EventRow>,
    mut close: tokio::sync::oneshot::Receiver<()>,
) {
    // Bounds concurrent inserts; acquiring all permits at the end waits for the last.
    let inflight = Arc::new(Semaphore::new(cfg.max_inflight));
    let interval = Duration::from_millis(cfg.flush_interval_ms);
    let mut batch: Vec<EventRow> = Vec::with_capacity(cfg.flush_rows);
    let mut closing = false;
    loop {
        // One timer per batch, not one per wake-up: under load the writer wakes for
        // every few rows, and arming a fresh timer each time showed in profiles.
        let deadline = tokio::time::sleep(interval);
        tokio::pin!(deadline);
        // Collect until the batch is full, the interval ends, or shutdown starts.
        while batch.len() < cfg.flush_rows {
            let room = cfg.flush_rows - batch.len();
            tokio::select! {
                n = rx.recv_many(&mut batch, room) => {
                    if n == 0 { closing = true; break; }
                }
                _ = &mut deadline => break,
                _ = &mut close, if !closing => {
                    // Stop new rows, then keep receiving what is already queued.
                    rx.close();
                    closing = true;
                }
            }
        }
        if !batch.is_empty() {
            let rows = std::mem::replace(&mut batch, Vec::with_capacity(cfg.flush_rows));
            let permit = inflight
                .clone()
                .acquire_owned()
                .await
                .expect("semaphore is never closed");
            let sink = sink.clone();
            let attempts = cfg.insert_attempts;
            tokio::spawn(async move {
                flush(&sink, rows, attempts).await;
                drop(permit);
            });
        }
        if closing && rx.is_empty() {
            break;
        }
    }
    let _ = inflight
        .acquire_many(u32::try_from(cfg.max_inflight).unwrap_or(u32::MAX))
        .await;
    tracing::info!("write buffer drained");
}

/// Inserts a batch, retrying with exponential backoff, spooling it if all attempts fail.
pub async fn flush(sink: &Sink, rows: Vec<EventRow>, attempts: u32) {
    let mut delay = Duration::from_millis(200);
    for attempt in 1..=attempts {
        match events::insert(&sink.store, &rows).await {
            Ok(()) => {
                sink.metrics.rows_inserted.inc_by(rows.len() as u64);
                sink.metrics.inserts.inc();
                sink.spool.set_failing(false);
                return;
            }
            Err(e) => {
                sink.metrics.insert_errors.inc();
                tracing::warn!(error = %e, attempt, rows = rows.len(), "insert failed");
                if !e.is_retryable() {
                    break;
                }
                if attempt < attempts {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
    }
    match sink.spool.write(&rows) {
        Ok(path) => {
            sink.spool.set_failing(false);
            sink.metrics.rows_spooled.inc_by(rows.len() as u64);
            tracing::warn!(rows = rows.len(), path = %path.display(), "batch spooled to disk");
        }
        // Last resort: nothing else can hold these rows. Loud, counted, never silent.
        Err(e) => {
            sink.spool.set_failing(true);
            sink.metrics.rows_lost.inc_by(rows.len() as u64);
            tracing::error!(error = %e, rows = rows.len(), "batch lost: spool write failed");
        }
    }
}
