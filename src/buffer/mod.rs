//! The write buffer between the ingest endpoint and ClickHouse.
//!
//! Requirements:
//! 1. Handlers never wait on ClickHouse: they `try_send` onto a bounded channel, and a
//!    full channel answers 503 rather than growing without bound. With `ack = "disk"`
//!    they wait for the write-ahead log (`wal`) instead, a few milliseconds.
//! 2. One writer task owns batching: flush every `flush_rows` rows or every
//!    `flush_interval_ms`, whichever comes first, with at most `max_inflight` inserts
//!    running (ClickHouse wants few, large inserts: clickhouse-notes P21).
//! 3. A failed insert is retried with backoff for up to `insert_retry_seconds` (a
//!    ClickHouse restart), then the batch goes to the disk spool and is replayed later;
//!    under pressure (the buffer half full, or ClickHouse known down and every insert
//!    slot taken) it goes to the spool at once. Events wait on disk, they do not vanish.
//! 4. Every batch carries an id in each row (`batch_id`) from the moment it is formed;
//!    a retry after a failure asks ClickHouse which batches already landed before it
//!    inserts again (`events::insert_once`), so an insert that timed out after
//!    ClickHouse wrote it is not doubled.
//! 5. Shutdown drains the log, then the channel, and waits for every insert (or spool write).
pub mod spool;
pub mod wal;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinHandle;

use crate::config::{Ack, BufferConfig};
use crate::metrics::Metrics;
use crate::store::events::{self, EventRow};
use crate::store::Store;
use spool::Spool;
use wal::{Wal, WalError, WalOptions, WalWriter};

/// Why an event could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum BufferError {
    /// The buffer is full: ClickHouse is slower than the incoming traffic.
    #[error("write buffer is full")]
    Full,
    /// The node is shutting down.
    #[error("write buffer is closed")]
    Closed,
    /// The write-ahead log refused the rows (full, or its disk failed).
    #[error(transparent)]
    Log(#[from] WalError),
}

/// The sending side, held by request handlers; cheap to clone.
#[derive(Clone)]
pub struct BufferHandle {
    tx: mpsc::Sender<EventRow>,
    /// Present with `ack = "disk"`.
    wal: Option<Wal>,
}

impl BufferHandle {
    /// Queues a beacon's rows, all or none: in memory at once, or, with a write-ahead
    /// log, once they are synced to it.
    pub async fn submit(&self, rows: Vec<EventRow>) -> Result<(), BufferError> {
        if !self.has_room(rows.len()) {
            return Err(BufferError::Full);
        }
        match &self.wal {
            Some(wal) => Ok(wal.commit(rows).await?),
            None => rows.into_iter().try_for_each(|row| self.try_push(row)),
        }
    }

    /// Why a beacon would be refused before it is parsed, if it would.
    pub fn refuses(&self) -> Option<BufferError> {
        self.wal.as_ref()?.refuses().map(BufferError::Log)
    }

    /// The write-ahead log, with `ack = "disk"`.
    pub fn wal(&self) -> Option<&Wal> {
        self.wal.as_ref()
    }

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
        Self { tx, wal: None }
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
    log: Option<(Wal, WalWriter)>,
}

impl Writer {
    /// Closes the log and the buffer, flushes what they hold, and waits for every
    /// insert to finish.
    pub async fn shutdown(self) {
        if let Some((wal, writer)) = self.log {
            writer.shutdown(&wal).await;
        }
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
    /// How long a batch is retried before it is spooled.
    pub retry: Duration,
    /// The log whose rows a stored batch releases (`ack = "disk"`).
    pub wal: Option<Wal>,
    /// The buffer's channel, to see how full it is.
    room: Option<mpsc::Sender<EventRow>>,
}

impl Sink {
    /// A sink retrying for 30 seconds, without a log.
    pub fn new(store: Store, spool: Arc<Spool>, metrics: Arc<Metrics>) -> Self {
        Self {
            store,
            spool,
            metrics,
            retry: Duration::from_secs(30),
            wal: None,
            room: None,
        }
    }

    /// Whether batches should go to the spool rather than wait: the buffer is half
    /// full, so waiting longer would turn beacons away.
    fn under_pressure(&self) -> bool {
        self.room
            .as_ref()
            .is_some_and(|tx| tx.capacity() < tx.max_capacity() / 2)
    }

    /// Rows are stored or spooled: the log may drop them.
    fn kept(&self, rows: &[EventRow]) {
        if let Some(wal) = &self.wal {
            wal.release(rows);
        }
    }
}

/// Errors starting the buffer.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The write-ahead log could not be opened.
    #[error(transparent)]
    Log(#[from] WalError),
}

/// Starts the writer task (and, with `ack = "disk"`, the log at `wal_dir`) and returns
/// the handle handlers push into. Segments a previous run left are the caller's to
/// replay first ([`replay_log`]).
pub fn start(
    cfg: &BufferConfig,
    mut sink: Sink,
    wal_dir: &std::path::Path,
) -> Result<(BufferHandle, Writer), StartError> {
    let (tx, rx) = mpsc::channel(cfg.capacity);
    let log = match cfg.ack {
        Ack::Memory => None,
        Ack::Disk => Some(Wal::start(
            WalOptions {
                dir: wal_dir.to_owned(),
                segment_bytes: cfg.wal_segment_mb << 20,
                max_bytes: cfg.wal_max_mb << 20,
                // Row ids of a record must fit under one batch base.
                max_group_rows: cfg.flush_rows.min(events::BATCH_MAX_ROWS / 2),
                commit_interval: Duration::from_micros(cfg.wal_commit_us),
            },
            tx.clone(),
        )?),
    };
    sink.retry = Duration::from_secs(cfg.insert_retry_seconds);
    sink.wal = log.as_ref().map(|(wal, _)| wal.clone());
    sink.room = Some(tx.clone());
    let (close_tx, close_rx) = tokio::sync::oneshot::channel();
    let handle = tokio::spawn(run(cfg.clone(), sink, rx, close_rx));
    Ok((
        BufferHandle {
            tx,
            wal: log.as_ref().map(|(wal, _)| wal.clone()),
        },
        Writer {
            handle,
            close: close_tx,
            log,
        },
    ))
}

/// Inserts (or spools) the rows of the log segments a previous run left, then deletes
/// them; returns (rows read, records skipped as damaged).
pub async fn replay_log(sink: &Sink, dir: &std::path::Path, batch_rows: usize) -> (usize, usize) {
    let mut total = (0, 0);
    for (seq, path) in wal::segments(dir) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, path = %path.display(), "cannot read a log segment; left in place");
                continue;
            }
        };
        let decoded = wal::decode(&bytes);
        if decoded.skipped > 0 {
            sink.metrics
                .records_skipped
                .get_or_create(&crate::metrics::Store { store: "wal" })
                .inc_by(decoded.skipped as u64);
            tracing::error!(skipped = decoded.skipped, path = %path.display(), "damaged log records skipped");
        }
        total.0 += decoded.rows.len();
        total.1 += decoded.skipped;
        let mut kept = true;
        for chunk in decoded.rows.chunks(batch_rows.max(1)) {
            kept &= flush_once(sink, chunk.to_vec()).await;
        }
        if kept {
            let _ = std::fs::remove_file(&path);
            tracing::info!(seq, rows = decoded.rows.len(), "log segment replayed");
        }
    }
    total
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
            // Every insert slot may be stuck on a ClickHouse that stopped answering:
            // once it is known down, the batch goes to disk rather than wait its turn
            // while the buffer fills.
            let permit = tokio::select! {
                p = inflight.clone().acquire_owned() => Some(p.expect("semaphore is never closed")),
                _ = sink.store.health().went_down() => None,
            };
            let sink = sink.clone();
            let attempts = cfg.insert_attempts;
            match permit {
                Some(permit) => {
                    tokio::spawn(async move {
                        flush(&sink, rows, attempts).await;
                        drop(permit);
                    });
                }
                // Written here, not in a task, so shutdown cannot outrun it; an fsync
                // holds the writer a few milliseconds, and only during an outage.
                None => {
                    spool_batch(&sink, &stamped(rows));
                }
            }
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

/// Numbers the rows without a batch id (those not from the log) under a fresh base.
fn stamped(mut rows: Vec<EventRow>) -> Vec<EventRow> {
    let base = events::batch_base();
    for (i, row) in rows.iter_mut().enumerate().filter(|(_, r)| r.batch_id == 0) {
        row.batch_id = base + i as u64;
    }
    rows
}

/// Inserts a batch, retrying with backoff for up to `sink.retry`, and spools it if the
/// retries run out, the buffer is under pressure, or the failure will not go away.
/// Returns whether the rows are kept (stored or spooled).
pub async fn flush(sink: &Sink, rows: Vec<EventRow>, attempts: u32) -> bool {
    store_or_spool(sink, stamped(rows), attempts, false).await
}

/// Like [`flush`] for rows that may be stored already (replays of the log and the
/// spool after a crash): it asks ClickHouse first, so none is inserted twice.
pub async fn flush_once(sink: &Sink, rows: Vec<EventRow>) -> bool {
    store_or_spool(sink, stamped(rows), 3, true).await
}

async fn store_or_spool(sink: &Sink, rows: Vec<EventRow>, attempts: u32, mut unsure: bool) -> bool {
    let started = std::time::Instant::now();
    let mut delay = Duration::from_millis(200);
    for attempt in 1..=attempts.max(1) {
        let attempt_started = std::time::Instant::now();
        // After a failure the rows may have landed all the same (a timeout or a reset
        // after the body was sent): from then on, ask before inserting.
        let result = if unsure {
            events::insert_once(&sink.store, &rows).await
        } else {
            events::insert(&sink.store, &rows)
                .await
                .map(|()| rows.len())
        };
        sink.metrics
            .insert_seconds
            .observe(attempt_started.elapsed().as_secs_f64());
        match result {
            Ok(inserted) => {
                let m = &sink.metrics;
                m.rows_inserted.inc_by(inserted as u64);
                m.rows_deduplicated.inc_by((rows.len() - inserted) as u64);
                m.inserts.inc();
                sink.spool.set_failing(false);
                sink.kept(&rows);
                return true;
            }
            Err(e) => {
                sink.metrics.insert_failed(e.class());
                // The class only: ClickHouse's message may quote the rows.
                tracing::warn!(
                    error = e.class(),
                    attempt,
                    rows = rows.len(),
                    "insert failed"
                );
                if !e.is_retryable() {
                    break;
                }
                unsure = true;
                let out_of_time = started.elapsed() + delay > sink.retry;
                if attempt == attempts || out_of_time || sink.under_pressure() {
                    break;
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
    spool_batch(sink, &rows)
}

/// Writes a batch to the spool; returns whether it is kept.
fn spool_batch(sink: &Sink, rows: &[EventRow]) -> bool {
    match sink.spool.write(rows) {
        Ok(path) => {
            sink.spool.set_failing(false);
            sink.metrics.rows_spooled.inc_by(rows.len() as u64);
            sink.kept(rows);
            tracing::warn!(rows = rows.len(), path = %path.display(), "batch spooled to disk");
            true
        }
        Err(e) => {
            sink.spool.set_failing(true);
            if sink.wal.is_some() {
                // Still in the write-ahead log, replayed at the next start.
                tracing::error!(error = %e, rows = rows.len(), "batch not spooled; it stays in the write-ahead log");
            } else {
                // Last resort: nothing else can hold these rows. Loud, counted, never silent.
                sink.metrics.rows_lost.inc_by(rows.len() as u64);
                tracing::error!(error = %e, rows = rows.len(), "batch lost: spool write failed");
            }
            false
        }
    }
}
