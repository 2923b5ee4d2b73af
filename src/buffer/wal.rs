//! Write-ahead log for `ack = "disk"`: a beacon is answered 202 only once its rows are
//! on disk, so `kill -9` at any moment loses no acknowledged event.
//!
//! Requirements:
//! 1. Append-only segments (`wal-<seq>.log`) of checksummed records; a segment is
//!    closed past `segment_bytes` and deleted once every row it holds is in ClickHouse
//!    or in the spool (both durable).
//! 2. Group commit: one thread gathers the commits that arrive within `commit_interval`
//!    of the first (or `max_group_rows`), writes them as one record and syncs once, so
//!    one fsync serves every beacon of that millisecond rather than one or two.
//! 3. Each record carries a fresh nonzero tag, stamped on its rows as `batch_id`; a
//!    replay after a crash inserts only the (tag, month) pairs ClickHouse does not
//!    hold (`events::insert_once`), so rows inserted just before the crash are not
//!    doubled.
//! 4. Bounded: past `max_bytes` of segments, commits are refused (the endpoint answers
//!    503 with `Retry-After`) instead of filling the disk.
//! 5. A record cut short or damaged (a crash mid-write, a bad disk block) is skipped and
//!    counted; the reader finds the next record by its magic number and keeps going.
//!
//! Record layout: `PWAL` magic, payload length (u32 LE), CRC-32 of the payload (u32
//! LE), payload (a JSON array of rows, the same encoding as the spool).

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use std::sync::mpsc as queue;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use crate::store::events::EventRow;

/// Marks the start of a record.
pub const MAGIC: [u8; 4] = *b"PWAL";
/// Magic, length, checksum.
const HEADER: usize = 12;
/// Largest payload a record may declare; anything larger is damage, not data.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// Errors of the log.
#[derive(Debug, thiserror::Error)]
pub enum WalError {
    /// File system trouble.
    #[error("write-ahead log I/O at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The log holds `max_bytes` already.
    #[error("write-ahead log is full")]
    Full,
    /// The log's writer has stopped (shutdown, or an earlier write failed).
    #[error("write-ahead log is closed")]
    Closed,
}

/// Sizes and paths of the log.
#[derive(Debug, Clone)]
pub struct WalOptions {
    /// Directory of the segments.
    pub dir: PathBuf,
    /// A segment is closed once it holds this many bytes.
    pub segment_bytes: u64,
    /// Commits are refused while the segments hold this many bytes.
    pub max_bytes: u64,
    /// Rows written as one record at most (one group commit).
    pub max_group_rows: usize,
    /// How long a group gathers commits after its first, before it is synced.
    pub commit_interval: Duration,
}

/// What one segment's replay found.
#[derive(Debug, Default, PartialEq)]
pub struct Decoded {
    /// Rows of the intact records, in order.
    pub rows: Vec<EventRow>,
    /// Records found intact.
    pub records: usize,
    /// Damaged or cut-short records skipped.
    pub skipped: usize,
}

/// Encodes one record.
pub fn encode(rows: &[EventRow]) -> Vec<u8> {
    let payload = serde_json::to_vec(rows).expect("rows always serialize");
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Decodes a segment's bytes: every intact record, skipping damaged ones.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let mut at = 0;
    // Whether bytes were passed over since the last good record, so a run of garbage
    // counts as one skipped record, not one per byte.
    let mut in_damage = false;
    while at < bytes.len() {
        match record_at(bytes, at) {
            Some((rows, next)) => {
                out.rows.extend(rows);
                out.records += 1;
                at = next;
                in_damage = false;
            }
            None => {
                if !in_damage {
                    out.skipped += 1;
                    in_damage = true;
                }
                // Resynchronise on the next magic number after this position.
                match find_magic(&bytes[at + 1..]) {
                    Some(offset) => at += 1 + offset,
                    None => break,
                }
            }
        }
    }
    out
}

/// The record starting at `at`, if it is whole and its checksum holds, and where the
/// next one starts.
fn record_at(bytes: &[u8], at: usize) -> Option<(Vec<EventRow>, usize)> {
    let header = bytes.get(at..at + HEADER)?;
    if header[..4] != MAGIC {
        return None;
    }
    let len = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
    let crc = u32::from_le_bytes(header[8..12].try_into().ok()?);
    if len > MAX_RECORD_BYTES {
        return None;
    }
    let payload = bytes.get(at + HEADER..at + HEADER + len)?;
    if crc32fast::hash(payload) != crc {
        return None;
    }
    let rows: Vec<EventRow> = serde_json::from_slice(payload).ok()?;
    Some((rows, at + HEADER + len))
}

fn find_magic(bytes: &[u8]) -> Option<usize> {
    bytes.windows(MAGIC.len()).position(|w| w == MAGIC)
}

/// Path of segment `seq`.
fn segment_path(dir: &Path, seq: u64) -> PathBuf {
    dir.join(format!("wal-{seq:012}.log"))
}

/// The segments in `dir`, oldest first, with their sequence numbers.
pub fn segments(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut found: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let seq = name.strip_prefix("wal-")?.strip_suffix(".log")?;
                    Some((seq.parse().ok()?, p.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// One commit: rows to log, and who to tell once they are on disk.
struct Commit {
    rows: Vec<EventRow>,
    done: oneshot::Sender<Result<(), WalError>>,
}

/// What the writer thread is asked.
enum Msg {
    /// Log these rows.
    Commit(Commit),
    /// Write what was queued before, then stop.
    Close,
}

/// Rows still owed to ClickHouse per segment, and which segments are closed.
#[derive(Debug, Default)]
struct Ledger {
    /// Segment → rows logged there not yet stored or spooled.
    owed: BTreeMap<u64, usize>,
    /// Tag → (segment, rows of the record not yet released).
    tags: HashMap<u64, (u64, usize)>,
    /// The segment being written.
    open: u64,
}

/// State shared by the writer thread, the handlers and the buffer's flushes.
struct Shared {
    opts: WalOptions,
    ledger: Mutex<Ledger>,
    /// Bytes in the segment files.
    bytes: AtomicU64,
    /// A write or sync failed: nothing is acknowledged any more until restart.
    broken: AtomicBool,
}

impl Shared {
    /// Deletes `seq` if it is closed and owes nothing.
    fn collect(&self, ledger: &mut Ledger, seq: u64) {
        if seq == ledger.open || ledger.owed.get(&seq).copied().unwrap_or(0) > 0 {
            return;
        }
        ledger.owed.remove(&seq);
        let path = segment_path(&self.opts.dir, seq);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                self.bytes.fetch_sub(size, Ordering::Relaxed);
            }
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "cannot delete a log segment")
            }
        }
    }
}

/// The handlers' and the buffer's side of the log; cheap to clone.
#[derive(Clone)]
pub struct Wal {
    tx: queue::Sender<Msg>,
    shared: Arc<Shared>,
}

/// The writer thread; `shutdown` waits for it.
pub struct WalWriter {
    thread: std::thread::JoinHandle<()>,
}

impl WalWriter {
    /// Writes every commit queued so far, refuses later ones, and waits for the thread.
    pub async fn shutdown(self, wal: &Wal) {
        let _ = wal.tx.send(Msg::Close);
        let thread = self.thread;
        let joined = tokio::task::spawn_blocking(move || thread.join()).await;
        if !matches!(joined, Ok(Ok(()))) {
            tracing::error!("write-ahead log thread panicked");
        }
    }
}

impl Wal {
    /// Opens the log at `opts.dir` for new segments (after the existing ones, which the
    /// caller replays with [`segments`] and [`decode`] before starting) and starts the
    /// writer, which passes every logged row on to `forward` before acknowledging it.
    pub fn start(
        opts: WalOptions,
        forward: mpsc::Sender<EventRow>,
    ) -> Result<(Self, WalWriter), WalError> {
        let dir = opts.dir.clone();
        let io = |source| WalError::Io {
            path: dir.clone(),
            source,
        };
        std::fs::create_dir_all(&opts.dir).map_err(io)?;
        // Segments the caller could not replay stay for the next start; their bytes
        // count towards `max_bytes` meanwhile.
        let existing = segments(&opts.dir);
        let bytes: u64 = existing
            .iter()
            .map(|(_, p)| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .sum();
        let first = existing.last().map_or(1, |(seq, _)| seq + 1);
        let shared = Arc::new(Shared {
            opts,
            ledger: Mutex::new(Ledger {
                open: first,
                ..Ledger::default()
            }),
            bytes: AtomicU64::new(bytes),
            broken: AtomicBool::new(false),
        });
        let file = open_segment(&shared.opts.dir, first)?;
        // Unbounded, yet bounded in practice: each commit is a request waiting on its
        // answer, and the connections are capped; the handlers checked the buffer's room.
        let (tx, rx) = queue::channel();
        let writer_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("parcours-wal".into())
            .spawn(move || write_loop(writer_shared, rx, file, first, forward))
            .map_err(io)?;
        Ok((Self { tx, shared }, WalWriter { thread }))
    }

    /// Whether a commit would be refused now (full, or broken by an I/O error).
    pub fn refuses(&self) -> Option<WalError> {
        if self.shared.broken.load(Ordering::Relaxed) {
            Some(WalError::Closed)
        } else if self.shared.bytes.load(Ordering::Relaxed) >= self.shared.opts.max_bytes {
            Some(WalError::Full)
        } else {
            None
        }
    }

    /// Logs `rows` and waits until they are synced to disk (and handed to the buffer).
    pub async fn commit(&self, rows: Vec<EventRow>) -> Result<(), WalError> {
        if let Some(refusal) = self.refuses() {
            return Err(refusal);
        }
        let (done, answer) = oneshot::channel();
        self.tx
            .send(Msg::Commit(Commit { rows, done }))
            .map_err(|_| WalError::Closed)?;
        answer.await.map_err(|_| WalError::Closed)?
    }

    /// Marks rows as stored (or spooled): a closed segment that owes nothing more is
    /// deleted. Rows that did not come through the log are ignored.
    pub fn release(&self, rows: &[EventRow]) {
        let mut per_tag: HashMap<u64, usize> = HashMap::new();
        for row in rows {
            *per_tag
                .entry(row.batch_id >> crate::store::events::BATCH_ROW_BITS)
                .or_default() += 1;
        }
        let mut ledger = self.shared.ledger.lock().expect("ledger lock");
        for (tag, n) in per_tag {
            let Some((seq, left)) = ledger.tags.get_mut(&tag) else {
                continue;
            };
            let seq = *seq;
            *left = left.saturating_sub(n);
            if *left == 0 {
                ledger.tags.remove(&tag);
            }
            if let Some(owed) = ledger.owed.get_mut(&seq) {
                *owed = owed.saturating_sub(n);
            }
            self.shared.collect(&mut ledger, seq);
        }
    }

    /// Bytes the segments hold.
    pub fn bytes(&self) -> u64 {
        self.shared.bytes.load(Ordering::Relaxed)
    }
}

fn open_segment(dir: &Path, seq: u64) -> Result<File, WalError> {
    let path = segment_path(dir, seq);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|source| WalError::Io {
            path: path.clone(),
            source,
        })?;
    // The new file's name must survive a crash too, not only its contents.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(file)
}

/// The writer thread: group commits until every `Wal` is dropped.
fn write_loop(
    shared: Arc<Shared>,
    rx: queue::Receiver<Msg>,
    mut file: File,
    mut seq: u64,
    forward: mpsc::Sender<EventRow>,
) {
    let mut written = 0u64;
    let mut closing = false;
    while !closing {
        let Ok(Msg::Commit(first)) = rx.recv() else {
            break;
        };
        let deadline = Instant::now() + shared.opts.commit_interval;
        let mut group = vec![first];
        let mut rows_in_group = group[0].rows.len();
        while rows_in_group < shared.opts.max_group_rows {
            let wait = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok(Msg::Commit(c)) => {
                    rows_in_group += c.rows.len();
                    group.push(c);
                }
                Ok(Msg::Close) | Err(queue::RecvTimeoutError::Disconnected) => {
                    closing = true;
                    break;
                }
                Err(queue::RecvTimeoutError::Timeout) => break,
            }
        }
        let base = crate::store::events::batch_base();
        let tag = base >> crate::store::events::BATCH_ROW_BITS;
        let mut rows: Vec<EventRow> = Vec::with_capacity(rows_in_group);
        let mut waiting = Vec::with_capacity(group.len());
        for commit in group {
            rows.extend(commit.rows);
            waiting.push(commit.done);
        }
        for (i, row) in rows.iter_mut().enumerate() {
            row.batch_id = base + i as u64;
        }
        let record = encode(&rows);
        let wrote = file.write_all(&record).and_then(|()| file.sync_data());
        if let Err(source) = wrote {
            // Nothing after a failed write can be trusted to be on disk: refuse all.
            shared.broken.store(true, Ordering::Relaxed);
            tracing::error!(error = %source, "write-ahead log write failed; refusing events");
            let path = segment_path(&shared.opts.dir, seq);
            for done in waiting {
                let _ = done.send(Err(WalError::Io {
                    path: path.clone(),
                    source: std::io::Error::new(source.kind(), source.to_string()),
                }));
            }
            continue;
        }
        written += record.len() as u64;
        shared
            .bytes
            .fetch_add(record.len() as u64, Ordering::Relaxed);
        {
            let mut ledger = shared.ledger.lock().expect("ledger lock");
            *ledger.owed.entry(seq).or_default() += rows.len();
            ledger.tags.insert(tag, (seq, rows.len()));
        }
        if written >= shared.opts.segment_bytes {
            match open_segment(&shared.opts.dir, seq + 1) {
                Ok(next) => {
                    file = next;
                    written = 0;
                    let closed = seq;
                    seq += 1;
                    let mut ledger = shared.ledger.lock().expect("ledger lock");
                    ledger.open = seq;
                    shared.collect(&mut ledger, closed);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot open a new log segment; keeping the current one")
                }
            }
        }
        for row in rows {
            // The handlers checked for room; waiting here only slows the next commit.
            if forward.blocking_send(row).is_err() {
                break;
            }
        }
        for done in waiting {
            let _ = done.send(Ok(()));
        }
    }
    // Shutdown: the open segment is deleted too once its rows are released; mark it
    // closed so the last release can collect it.
    let mut ledger = shared.ledger.lock().expect("ledger lock");
    ledger.open = u64::MAX;
    shared.collect(&mut ledger, seq);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(path: &str) -> EventRow {
        EventRow {
            pathname: path.into(),
            timestamp: 1_796_000_000,
            ..Default::default()
        }
    }

    #[test]
    fn records_round_trip() {
        let mut bytes = encode(&[row("/a"), row("/b")]);
        bytes.extend(encode(&[row("/c")]));
        let d = decode(&bytes);
        assert_eq!(d.records, 2);
        assert_eq!(d.skipped, 0);
        assert_eq!(
            d.rows
                .iter()
                .map(|r| r.pathname.as_str())
                .collect::<Vec<_>>(),
            ["/a", "/b", "/c"]
        );
    }

    #[test]
    fn a_record_cut_or_damaged_is_skipped_and_the_next_ones_kept() {
        let a = encode(&[row("/a")]);
        let b = encode(&[row("/b")]);
        let c = encode(&[row("/c")]);
        // b cut mid-write, then c: the reader resynchronises on c's magic.
        let mut bytes = a.clone();
        bytes.extend(&b[..b.len() / 2]);
        bytes.extend(&c);
        let d = decode(&bytes);
        assert_eq!(d.records, 2);
        assert_eq!(d.skipped, 1);
        assert_eq!(d.rows, vec![row("/a"), row("/c")]);
        // A flipped payload byte fails the checksum.
        let mut flipped = b.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0x20;
        let mut bytes = flipped;
        bytes.extend(&c);
        let d = decode(&bytes);
        assert_eq!((d.records, d.skipped), (1, 1));
        // A tail cut short, as a crash mid-write leaves it.
        let mut bytes = a.clone();
        bytes.extend(&b[..5]);
        let d = decode(&bytes);
        assert_eq!((d.records, d.skipped), (1, 1));
        // Garbage and absurd lengths never panic.
        assert_eq!(decode(b"PWAL\xff\xff\xff\xff\0\0\0\0").records, 0);
        assert_eq!(decode(&[]).records, 0);
    }

    #[tokio::test]
    async fn commits_reach_the_buffer_and_segments_go_once_released() {
        let dir = tempfile::tempdir().unwrap();
        let opts = WalOptions {
            dir: dir.path().to_owned(),
            segment_bytes: 1,
            max_bytes: 1 << 20,
            max_group_rows: 100,
            commit_interval: Duration::from_millis(1),
        };
        let (tx, mut rx) = mpsc::channel(100);
        let (wal, writer) = Wal::start(opts.clone(), tx).unwrap();
        wal.commit(vec![row("/a"), row("/b")]).await.unwrap();
        let a = rx.recv().await.unwrap();
        let b = rx.recv().await.unwrap();
        assert_ne!(a.batch_id, 0);
        assert_eq!(a.batch_id + 1, b.batch_id, "one base, numbered rows");
        // Rotated after one record (segment_bytes 1): the first segment waits for its rows.
        let on_disk = segments(dir.path());
        assert_eq!(on_disk.len(), 2);
        assert_eq!(decode(&std::fs::read(&on_disk[0].1).unwrap()).rows.len(), 2);
        wal.release(&[a]);
        assert_eq!(segments(dir.path()).len(), 2);
        wal.release(&[b]);
        assert_eq!(segments(dir.path()).len(), 1);
        writer.shutdown(&wal).await;
        assert!(segments(dir.path()).is_empty());
        assert!(matches!(
            wal.commit(vec![row("/c")]).await,
            Err(WalError::Closed)
        ));
    }

    #[tokio::test]
    async fn a_full_log_refuses_commits() {
        let dir = tempfile::tempdir().unwrap();
        let opts = WalOptions {
            dir: dir.path().to_owned(),
            segment_bytes: 1 << 20,
            max_bytes: 10,
            max_group_rows: 100,
            commit_interval: Duration::from_millis(1),
        };
        let (tx, _rx) = mpsc::channel(100);
        let (wal, _writer) = Wal::start(opts, tx).unwrap();
        wal.commit(vec![row("/a")]).await.unwrap();
        assert!(matches!(wal.refuses(), Some(WalError::Full)));
        assert!(matches!(
            wal.commit(vec![row("/b")]).await,
            Err(WalError::Full)
        ));
    }
}
