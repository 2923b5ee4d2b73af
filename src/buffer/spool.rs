//! Disk spool: batches ClickHouse did not take wait here, one file per batch, and are
//! replayed oldest first once it is back.
//!
//! Rows are already anonymized when they reach the spool (no IP, no user agent, no
//! query string), so the spool holds nothing the events table would not.
//! Files are written to a temporary name and renamed, so a crash never leaves half a
//! batch that would be replayed as if whole; a line damaged later (a bad block, a hand
//! edit) is skipped and counted, and the lines after it still land.
//! A replay inserts only the batches ClickHouse does not hold yet
//! (`events::insert_once`): a crash between an insert and the file's deletion does not
//! double the batch at the next replay.
//! Bounded: past `max_bytes` the node refuses beacons (503) rather than fill the disk.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::sync::Mutex;

use crate::store::events::{self, EventRow};
use crate::store::{Store, StoreError};

/// Errors of the spool.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// File system trouble.
    #[error("spool I/O at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// ClickHouse refused the replayed batch (its class only: the message may quote rows).
    #[error("ClickHouse: {}", .0.class())]
    Store(#[from] StoreError),
}

/// A directory of pending batches.
pub struct Spool {
    dir: PathBuf,
    seq: AtomicU64,
    /// Serializes replays so two timers never insert the same file twice.
    replaying: Mutex<()>,
    /// The last batch that needed the spool could not be written: until ClickHouse or
    /// the directory works again, new events would have nowhere to go, so the node
    /// refuses them (503) rather than acknowledge what it cannot keep.
    failing: AtomicBool,
    /// Bytes in the batch files.
    bytes: AtomicU64,
    /// Refuse beacons at this many bytes.
    max_bytes: AtomicU64,
    /// Damaged lines skipped by replays, not yet counted in the metrics.
    skipped: AtomicU64,
}

impl Spool {
    /// Opens (and creates) the spool directory; a directory that cannot be written is
    /// an error now, not a batch lost later.
    pub fn open(dir: &Path) -> Result<Self, SpoolError> {
        std::fs::create_dir_all(dir).map_err(|source| SpoolError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let spool = Self::unopened(dir);
        spool.probe()?;
        let held: u64 = spool
            .pending()
            .iter()
            .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .sum();
        spool.bytes.store(held, Ordering::Relaxed);
        Ok(spool)
    }

    /// Writes and removes a probe file: whether a batch could be spooled now.
    pub fn probe(&self) -> Result<(), SpoolError> {
        let path = self.dir.join(".probe");
        let io = |source| SpoolError::Io {
            path: path.clone(),
            source,
        };
        std::fs::write(&path, b"probe").map_err(io)?;
        std::fs::remove_file(&path).map_err(io)
    }

    /// Whether the last batch that needed the spool was lost.
    pub fn is_failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// Records whether batches can be kept again (an insert or a spool write worked).
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::Relaxed);
    }

    /// The spool at `dir`, without touching the disk, for a process that neither
    /// writes nor replays batches (`AppState::for_queries`): replaying from two
    /// processes at once could insert a batch twice.
    pub fn unopened(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            seq: AtomicU64::new(0),
            replaying: Mutex::new(()),
            failing: AtomicBool::new(false),
            bytes: AtomicU64::new(0),
            max_bytes: AtomicU64::new(u64::MAX),
            skipped: AtomicU64::new(0),
        }
    }

    /// Sets the size past which the node refuses beacons.
    pub fn set_max_bytes(&self, max: u64) {
        self.max_bytes.store(max, Ordering::Relaxed);
    }

    /// Whether the spool holds its maximum: beacons are refused until replays drain it.
    /// Batches already acknowledged are still written past it.
    pub fn is_full(&self) -> bool {
        self.bytes.load(Ordering::Relaxed) >= self.max_bytes.load(Ordering::Relaxed)
    }

    /// Bytes the pending batches hold.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Damaged lines skipped since the last call.
    pub fn take_skipped(&self) -> u64 {
        self.skipped.swap(0, Ordering::Relaxed)
    }

    /// Writes a batch as one JSON-lines file; returns its path.
    pub fn write(&self, rows: &[EventRow]) -> Result<PathBuf, SpoolError> {
        let name = format!(
            "batch-{:013}-{}-{:06}.jsonl",
            chrono::Utc::now().timestamp_millis(),
            std::process::id(),
            self.seq.fetch_add(1, Ordering::Relaxed)
        );
        let path = self.dir.join(&name);
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let io = |source| SpoolError::Io {
            path: tmp.clone(),
            source,
        };
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
        for row in rows {
            serde_json::to_writer(&mut file, row).map_err(|e| io(e.into()))?;
            file.write_all(b"\n").map_err(io)?;
        }
        let file = file.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        std::fs::rename(&tmp, &path).map_err(io)?;
        // The rename must survive a crash too.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        self.bytes.fetch_add(size, Ordering::Relaxed);
        Ok(path)
    }

    /// Pending batch files, oldest first.
    pub fn pending(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with("batch-") && n.ends_with(".jsonl"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Inserts pending batches oldest first, deleting each once ClickHouse has it;
    /// stops at the first failure. Returns the number of rows replayed (inserted now or
    /// found already stored).
    pub async fn replay(&self, store: &Store) -> Result<usize, SpoolError> {
        let _guard = self.replaying.lock().await;
        let mut total = 0;
        for path in self.pending() {
            let (rows, skipped) = read_batch(&path)?;
            if skipped > 0 {
                self.skipped.fetch_add(skipped as u64, Ordering::Relaxed);
                tracing::error!(skipped, path = %path.display(), "damaged spool lines skipped");
            }
            if rows.is_empty() && skipped > 0 {
                // Nothing readable: keep it for a human, out of the replay loop.
                let aside = path.with_extension("corrupt");
                let _ = std::fs::rename(&path, &aside);
                tracing::error!(path = %aside.display(), "unreadable spool file set aside");
                self.forget_bytes(&aside);
                continue;
            }
            events::insert_once(store, &rows).await?;
            self.forget_bytes(&path);
            std::fs::remove_file(&path).map_err(|source| SpoolError::Io {
                path: path.clone(),
                source,
            })?;
            total += rows.len();
            tracing::info!(rows = rows.len(), path = %path.display(), "spooled batch replayed");
        }
        Ok(total)
    }

    fn forget_bytes(&self, path: &Path) {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let _ = self
            .bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                Some(b.saturating_sub(size))
            });
    }
}

/// Reads a batch file: its rows, and how many lines were damaged and skipped.
///
/// Rows spooled before batch ids existed get ids derived from the file's name and
/// their line, the same at every replay, so a replay cut short by a crash is not
/// doubled by the next.
pub fn read_batch(path: &Path) -> Result<(Vec<EventRow>, usize), SpoolError> {
    let bytes = std::fs::read(path).map_err(|source| SpoolError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.file_name().hash(&mut h);
    let base =
        (h.finish() & !(events::BATCH_MAX_ROWS as u64 - 1)).max(events::BATCH_MAX_ROWS as u64);
    Ok(parse_batch(&bytes, base))
}

/// Parses a batch file's bytes line by line, skipping lines that are not a whole row;
/// a row without a batch id gets `base` plus its line number.
pub fn parse_batch(bytes: &[u8], base: u64) -> (Vec<EventRow>, usize) {
    let mut rows = Vec::new();
    let mut skipped = 0;
    for (line_no, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<EventRow>(line) {
            Ok(mut row) => {
                if row.batch_id == 0 {
                    row.batch_id = base + line_no as u64;
                }
                rows.push(row);
            }
            Err(_) => skipped += 1,
        }
    }
    (rows, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_round_trip_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::open(dir.path()).unwrap();
        let a = EventRow {
            pathname: "/a".into(),
            ..Default::default()
        };
        let b = EventRow {
            pathname: "/b".into(),
            country_code: *b"FR",
            ..Default::default()
        };
        let a = EventRow { batch_id: 5, ..a };
        let b = EventRow { batch_id: 6, ..b };
        let p1 = spool.write(std::slice::from_ref(&a)).unwrap();
        let p2 = spool.write(&[b.clone(), a.clone()]).unwrap();
        assert_eq!(spool.pending(), vec![p1.clone(), p2.clone()]);
        assert_eq!(read_batch(&p1).unwrap(), (vec![a.clone()], 0));
        assert_eq!(read_batch(&p2).unwrap(), (vec![b, a], 0));
        assert!(spool.bytes() > 0);
        spool.set_max_bytes(spool.bytes());
        assert!(spool.is_full());
    }

    #[test]
    fn a_directory_that_cannot_be_written_is_refused_at_start_and_flagged_later() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        assert!(Spool::open(&file.join("spool")).is_err());
        let spool = Spool::open(&dir.path().join("spool")).unwrap();
        std::fs::remove_dir_all(dir.path().join("spool")).unwrap();
        assert!(spool.probe().is_err());
        assert!(spool.write(&[EventRow::default()]).is_err());
    }

    #[test]
    fn damaged_lines_are_skipped_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("batch-1.jsonl");
        let good = serde_json::to_string(&EventRow {
            pathname: "/a".into(),
            ..Default::default()
        })
        .unwrap();
        // A line cut mid-write, then a whole one.
        std::fs::write(&path, format!("{}\n{good}\n", &good[..good.len() / 2])).unwrap();
        let (rows, skipped) = read_batch(&path).unwrap();
        assert_eq!((rows.len(), skipped), (1, 1));
        // Rows from before batch ids get the same id at every read, one per line.
        assert_ne!(rows[0].batch_id, 0);
        assert_eq!(read_batch(&path).unwrap().0[0].batch_id, rows[0].batch_id);
        let two = format!("{good}\n{good}\n");
        let (rows, _) = parse_batch(two.as_bytes(), 1 << 20);
        assert_eq!(rows[0].batch_id + 1, rows[1].batch_id);
    }
}
