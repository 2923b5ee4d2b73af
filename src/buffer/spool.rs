//! Disk spool: batches ClickHouse did not take wait here, one file per batch, and are
//! replayed oldest first once it is back.
//!
//! Rows are already anonymized when they reach the spool (no IP, no user agent, no
//! query string), so the spool holds nothing the events table would not.
//! Files are written to a temporary name and renamed, so a crash never leaves half a
//! batch that would be replayed as if whole.

use std::io::{BufRead, Write};
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
    /// A spool file could not be parsed (moved aside, not deleted).
    #[error("corrupt spool file {0}")]
    Corrupt(PathBuf),
    /// ClickHouse refused the replayed batch.
    #[error(transparent)]
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
        }
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
        std::fs::rename(&tmp, &path).map_err(io)?;
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
    /// stops at the first failure. Returns the number of rows replayed.
    pub async fn replay(&self, store: &Store) -> Result<usize, SpoolError> {
        let _guard = self.replaying.lock().await;
        let mut total = 0;
        for path in self.pending() {
            let rows = match read_batch(&path) {
                Ok(rows) => rows,
                Err(SpoolError::Corrupt(p)) => {
                    // Keep it for a human, out of the replay loop.
                    let aside = p.with_extension("corrupt");
                    let _ = std::fs::rename(&p, &aside);
                    tracing::error!(path = %aside.display(), "corrupt spool file set aside");
                    continue;
                }
                Err(e) => return Err(e),
            };
            events::insert(store, &rows).await?;
            std::fs::remove_file(&path).map_err(|source| SpoolError::Io {
                path: path.clone(),
                source,
            })?;
            total += rows.len();
            tracing::info!(rows = rows.len(), path = %path.display(), "spooled batch replayed");
        }
        Ok(total)
    }
}

fn read_batch(path: &Path) -> Result<Vec<EventRow>, SpoolError> {
    let file = std::fs::File::open(path).map_err(|source| SpoolError::Io {
        path: path.to_owned(),
        source,
    })?;
    decode_batch(std::io::BufReader::new(file), path)
}

/// The rows of a batch file's bytes (`path` names it in errors); apart from
/// `read_batch` so the fuzz target can feed it bytes.
pub(crate) fn decode_batch(batch: impl BufRead, path: &Path) -> Result<Vec<EventRow>, SpoolError> {
    batch
        .lines()
        .map(|line| {
            let line = line.map_err(|source| SpoolError::Io {
                path: path.to_owned(),
                source,
            })?;
            serde_json::from_str(&line).map_err(|_| SpoolError::Corrupt(path.to_owned()))
        })
        .collect()
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
        let p1 = spool.write(std::slice::from_ref(&a)).unwrap();
        let p2 = spool.write(&[b.clone(), a.clone()]).unwrap();
        assert_eq!(spool.pending(), vec![p1.clone(), p2.clone()]);
        assert_eq!(read_batch(&p1).unwrap(), vec![a.clone()]);
        assert_eq!(read_batch(&p2).unwrap(), vec![b, a]);
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
    fn corrupt_files_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("batch-1.jsonl");
        std::fs::write(&path, "{not json\n").unwrap();
        assert!(matches!(read_batch(&path), Err(SpoolError::Corrupt(_))));
    }
}
