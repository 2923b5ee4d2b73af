//! Faults, tried as they happen: the node killed with `kill -9`, ClickHouse's answer to
//! an insert lost or late, ClickHouse frozen with SIGSTOP, records damaged on disk, a
//! full spool. Each test states what was sent, acknowledged and stored, and prints it
//! (`cargo test -- --nocapture` shows the figures quoted in docs/RELIABILITY.md).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use parcours::store::{migrations, sites, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::lifecycle::{free_port, parcours, wait_http, Process};
use crate::support::*;

/// A path no scrubbing rule touches (digits would be masked as IDs): `n` in letters.
fn marker(n: usize) -> String {
    let mut n = n;
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("/fault/{s}")
}

fn beacon_body(path: &str) -> String {
    serde_json::json!({"n": "pageview", "u": format!("https://{SITE}{path}"), "d": SITE})
        .to_string()
}

/// Stored rows per path.
async fn stored(store: &Store) -> HashMap<String, u64> {
    let rows: Vec<(String, u64)> = store
        .client()
        .query("SELECT pathname, count() FROM events GROUP BY pathname")
        .fetch_all()
        .await
        .unwrap();
    rows.into_iter().collect()
}

/// Waits until the row count stops moving (and reaches `at_least`), up to `limit`.
async fn settle(store: &Store, at_least: u64, limit: Duration) -> u64 {
    let start = Instant::now();
    let mut last = u64::MAX;
    let mut still = 0;
    loop {
        let n = count_rows(store).await;
        if n == last && n >= at_least {
            still += 1;
            if still >= 4 {
                return n;
            }
        } else {
            still = 0;
        }
        last = n;
        if start.elapsed() > limit {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// What a load run saw.
#[derive(Debug, Default)]
struct Load {
    sent: usize,
    acked: Vec<String>,
    unavailable: usize,
    failed: usize,
}

/// Posts beacons with distinct paths from `workers` tasks until `stop` is set or
/// `limit` beacons were sent, `pause` apart per worker.
async fn load(
    base: String,
    workers: usize,
    limit: usize,
    pause: Duration,
    stop: Arc<AtomicBool>,
) -> Load {
    let next = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Load::default()));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (base, next, seen, http, stop) = (
            base.clone(),
            next.clone(),
            seen.clone(),
            http.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= limit {
                    break;
                }
                let path = marker(n);
                let r = http
                    .post(format!("{base}/api/event"))
                    .header("x-forwarded-for", ip(w as u32 + 1))
                    .header("user-agent", FIREFOX_LINUX)
                    .body(beacon_body(&path))
                    .send()
                    .await;
                {
                    let mut s = seen.lock().unwrap();
                    s.sent += 1;
                    match r.map(|r| r.status().as_u16()) {
                        Ok(202) => s.acked.push(path),
                        Ok(503) => s.unavailable += 1,
                        _ => s.failed += 1,
                    }
                }
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(seen).unwrap().into_inner().unwrap()
}

/// Checks every acknowledged path is stored exactly once, and nothing is stored twice;
/// returns (rows stored, paths stored more than once).
async fn every_ack_once(store: &Store, acked: &[String]) -> (u64, usize) {
    let rows = stored(store).await;
    let missing: Vec<&String> = acked.iter().filter(|p| !rows.contains_key(*p)).collect();
    let doubled = rows.values().filter(|n| **n > 1).count();
    assert!(
        missing.is_empty(),
        "{} acknowledged events lost, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert_eq!(doubled, 0, "paths stored more than once");
    (rows.values().sum(), doubled)
}

fn node_env(store: &Store, port: u16, data: &std::path::Path) -> Vec<(&'static str, String)> {
    vec![
        ("PARCOURS_CLICKHOUSE_URL", clickhouse_url()),
        ("PARCOURS_CLICKHOUSE_DATABASE", store.database().to_owned()),
        ("PARCOURS_LISTEN", format!("127.0.0.1:{port}")),
        ("PARCOURS_DATA_DIR", data.display().to_string()),
        ("PARCOURS_TRUSTED_PROXIES", "127.0.0.1".into()),
        ("PARCOURS_RATE_LIMIT_PER_SECOND", "0".into()),
        ("PARCOURS_FLUSH_INTERVAL_MS", "100".into()),
        ("PARCOURS_FLUSH_ROWS", "300".into()),
        ("RUST_LOG", "info".into()),
    ]
}

/// Ends a node at once, as a crash would.
fn kill(node: &mut Process) {
    unsafe { libc::kill(node.child.id() as i32, libc::SIGKILL) };
    let _ = node.child.wait();
}

/// Peak resident memory of a process, in MiB (VmHWM).
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::test]
async fn kill_9_with_disk_ack_loses_no_acknowledged_event() {
    let store = store("kill9").await;
    migrations::migrate(&store).await.unwrap();
    sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut env = node_env(&store, port, data.path());
    env.push(("PARCOURS_ACK", "disk".into()));
    // Batches flushed rarely: at the kill, acknowledged rows wait in the buffer, held
    // only by the log.
    env.push(("PARCOURS_FLUSH_INTERVAL_MS", "1500".into()));
    env.push(("PARCOURS_FLUSH_ROWS", "100000".into()));
    let base = format!("http://127.0.0.1:{port}");
    let mut node = parcours(&["serve"], &env);
    assert!(wait_http(&format!("{base}/ready"), Duration::from_secs(30)).await);

    let stop = Arc::new(AtomicBool::new(false));
    let run = tokio::spawn(load(
        base.clone(),
        16,
        usize::MAX,
        Duration::ZERO,
        stop.clone(),
    ));
    // Long enough for batches to land, be in flight and wait in the buffer at the kill.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    kill(&mut node);
    stop.store(true, Ordering::Relaxed);
    let seen = run.await.unwrap();
    let before_restart = count_rows(&store).await;
    let left: u64 = std::fs::read_dir(data.path().join("wal"))
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();

    let mut node = parcours(&["serve"], &env);
    assert!(wait_http(&format!("{base}/ready"), Duration::from_secs(30)).await);
    let total = settle(&store, seen.acked.len() as u64, Duration::from_secs(30)).await;
    let (rows, doubled) = every_ack_once(&store, &seen.acked).await;
    println!(
        "kill -9, ack=disk: sent {}, acknowledged {}, refused {}, failed at the kill {}; \
         stored before restart {before_restart}, log left {left} bytes; \
         stored after restart {total} ({rows} rows), duplicates {doubled}",
        seen.sent,
        seen.acked.len(),
        seen.unavailable,
        seen.failed
    );
    assert!(
        seen.acked.len() > 200,
        "the load was too light to mean much"
    );
    kill(&mut node);
}

/// What the proxy does to the answer of an insert.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Close the connection as the answer arrives: the insert landed, the client
    /// sees a reset.
    Cut,
    /// Hold the answer this long, then close: the client times out.
    Stall(Duration),
}

/// A TCP proxy in front of ClickHouse that, once armed (the returned budget set above
/// zero), spoils the answers of that many inserts; returns its URL, the budget and
/// how many it spoiled.
async fn faulty_proxy(
    upstream: String,
    fault: Fault,
) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let left = Arc::new(AtomicUsize::new(0));
    let spoiled = Arc::new(AtomicUsize::new(0));
    let (budget, counter) = (left.clone(), spoiled.clone());
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let (upstream, left, spoiled) = (upstream.clone(), left.clone(), spoiled.clone());
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let insert = Arc::new(AtomicBool::new(false));
                let seen_insert = insert.clone();
                let up = async move {
                    let mut buf = vec![0u8; 64 << 10];
                    loop {
                        let n = match cr.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        if buf[..n].windows(6).any(|w| w == b"INSERT") {
                            seen_insert.store(true, Ordering::Relaxed);
                        }
                        if sw.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                };
                let down = async move {
                    let mut buf = vec![0u8; 64 << 10];
                    loop {
                        let n = match sr.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        if insert.swap(false, Ordering::Relaxed)
                            && left
                                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                                    l.checked_sub(1)
                                })
                                .is_ok()
                        {
                            spoiled.fetch_add(1, Ordering::Relaxed);
                            if let Fault::Stall(d) = fault {
                                tokio::time::sleep(d).await;
                            }
                            return;
                        }
                        if cw.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                };
                tokio::select! {
                    () = up => {}
                    () = down => {}
                }
            });
        }
    });
    (url, budget, counter)
}

async fn spoiled_answers_double_nothing(test: &str, fault: Fault) {
    let (proxy, budget, spoiled) = faulty_proxy(clickhouse_url(), fault).await;
    let mut cfg = config(test);
    cfg.clickhouse.url = Some(proxy.clone());
    cfg.clickhouse.insert_timeout_seconds = 2;
    cfg.buffer.flush_rows = 200;
    cfg.buffer.spool_replay_seconds = 1;
    // Through the proxy for the node; the checks read ClickHouse directly.
    let direct = store(test).await;
    let node_store = Store::with_timeouts(
        &proxy,
        direct.database(),
        "default",
        "",
        cfg.clickhouse.timeouts(),
    );
    let running = parcours::server::start(cfg, node_store).await.unwrap();
    sites::add(&direct, SITE, "Europe/Paris").await.unwrap();
    running.refresh().await.unwrap();
    // Armed once the schema is in place: migrations insert too.
    budget.store(3, Ordering::Relaxed);
    let base = format!("http://{}", running.addr);
    let n = 1500;
    let seen = load(base, 8, n, Duration::ZERO, Arc::new(AtomicBool::new(false))).await;
    assert_eq!(seen.acked.len(), n, "{seen:?}");
    let total = settle(&direct, n as u64, Duration::from_secs(40)).await;
    let (rows, doubled) = every_ack_once(&direct, &seen.acked).await;
    let m = &running.state.metrics;
    let deduplicated = m.rows_deduplicated.get();
    println!(
        "{fault:?}: sent {n}, acknowledged {}, stored {total} ({rows}), duplicates {doubled}; \
         insert answers spoiled {}, insert errors {}, rows found already stored on retry {deduplicated}, \
         rows spooled {}",
        seen.acked.len(),
        spoiled.load(Ordering::Relaxed),
        m.insert_errors.get(),
        m.rows_spooled.get(),
    );
    assert_eq!(total, n as u64);
    assert!(
        spoiled.load(Ordering::Relaxed) > 0,
        "the proxy spoiled nothing"
    );
    assert!(
        deduplicated > 0,
        "a spoiled insert had landed: its retry must have found it"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn an_insert_whose_answer_is_cut_is_not_doubled() {
    spoiled_answers_double_nothing("fault_cut", Fault::Cut).await;
}

#[tokio::test]
async fn an_insert_whose_answer_stalls_is_not_doubled() {
    spoiled_answers_double_nothing("fault_stall", Fault::Stall(Duration::from_secs(5))).await;
}

#[tokio::test]
async fn clickhouse_frozen_for_20_seconds_loses_nothing_and_the_api_answers_503() {
    use parcours::store::local::LocalClickHouse;
    // A server of its own: this test freezes it.
    let ch_dir = tempfile::tempdir().unwrap();
    let ch = LocalClickHouse::start(ch_dir.path(), 0).await.unwrap();
    let store = Store::new(ch.url(), "it_frozen", "default", "");
    migrations::migrate(&store).await.unwrap();
    let site = sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    let key = parcours::store::keys::create(&store, site.site_id)
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut env = node_env(&store, port, data.path());
    env[0].1 = ch.url().to_owned();
    let base = format!("http://127.0.0.1:{port}");
    let mut node = parcours(&["serve"], &env);
    assert!(wait_http(&format!("{base}/ready"), Duration::from_secs(30)).await);

    let stop = Arc::new(AtomicBool::new(false));
    // About 400 beacons a second.
    let run = tokio::spawn(load(
        base.clone(),
        4,
        usize::MAX,
        Duration::from_millis(10),
        stop.clone(),
    ));
    tokio::time::sleep(Duration::from_secs(3)).await;
    unsafe { libc::kill(ch.pid(), libc::SIGSTOP) };
    let frozen = Instant::now();
    // A stats request while it is frozen: answered, and with 503, not left hanging.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let asked = Instant::now();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v2/query"))
        .bearer_auth(&key)
        .json(&serde_json::json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"}))
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .unwrap();
    let api_status = r.status().as_u16();
    let api_wait = asked.elapsed();
    let ready = reqwest::get(format!("{base}/ready"))
        .await
        .unwrap()
        .status()
        .as_u16();
    let frozen_rss = peak_rss_mib(node.child.id());
    tokio::time::sleep(Duration::from_secs(20).saturating_sub(frozen.elapsed())).await;
    unsafe { libc::kill(ch.pid(), libc::SIGCONT) };
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    let seen = run.await.unwrap();
    let total = settle(&store, seen.acked.len() as u64, Duration::from_secs(60)).await;
    let (rows, doubled) = every_ack_once(&store, &seen.acked).await;
    let peak = peak_rss_mib(node.child.id());
    println!(
        "SIGSTOP 20 s: sent {}, acknowledged {}, refused (503) {}, failed {}; stored {total} ({rows}), \
         duplicates {doubled}; stats API while frozen: {api_status} after {:.2} s, /ready {ready}; \
         node peak RSS {frozen_rss:.0} MiB while frozen, {peak:.0} MiB at the end",
        seen.sent,
        seen.acked.len(),
        seen.unavailable,
        seen.failed,
        api_wait.as_secs_f64()
    );
    assert_eq!(api_status, 503);
    assert_eq!(ready, 503);
    assert!(peak < 300.0, "peak RSS {peak} MiB");
    kill(&mut node);
    ch.stop().await;
}

#[tokio::test]
async fn damaged_log_and_spool_records_are_skipped_and_the_rest_land() {
    use parcours::buffer::wal;
    use parcours::store::events::EventRow;
    let mut cfg = config("damaged");
    let store = store("damaged").await;
    migrations::migrate(&store).await.unwrap();
    let row = |p: &str, batch| EventRow {
        site_id: 1,
        timestamp: 1_796_000_000,
        name: "pageview".into(),
        pathname: p.into(),
        batch_id: batch,
        ..Default::default()
    };
    // A log segment a crash left: a whole record, one cut mid-write, then another.
    let wal_dir = cfg.wal_dir();
    std::fs::create_dir_all(&wal_dir).unwrap();
    let cut = wal::encode(&[row("/log/cut", 2)]);
    let mut segment = wal::encode(&[row("/log/a", 1)]);
    segment.extend(&cut[..cut.len() - 7]);
    segment.extend(wal::encode(&[row("/log/b", 3)]));
    std::fs::write(wal_dir.join("wal-000000000001.log"), segment).unwrap();
    // A spool file with a damaged line between two good ones.
    let spool_dir = cfg.spool_dir();
    std::fs::create_dir_all(&spool_dir).unwrap();
    let line = |r: EventRow| serde_json::to_string(&r).unwrap();
    let good = line(row("/spool/a", 4));
    std::fs::write(
        spool_dir.join("batch-0000000000001-1-000001.jsonl"),
        format!("{good}\n{}\n{}\n", &good[..40], line(row("/spool/b", 4))),
    )
    .unwrap();
    cfg.buffer.spool_replay_seconds = 1;
    let running = parcours::server::start(cfg, store.clone()).await.unwrap();
    assert_eq!(wait_rows(&store, 4).await, 4);
    let paths = stored(&store).await;
    for p in ["/log/a", "/log/b", "/spool/a", "/spool/b"] {
        assert_eq!(paths.get(p), Some(&1), "{p}: {paths:?}");
    }
    let metrics = running.state.metrics.render();
    assert!(
        metrics.contains(r#"parcours_records_skipped_total{store="wal"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"parcours_records_skipped_total{store="spool"} 1"#));
    assert!(wal::segments(&running.state.config.wal_dir()).is_empty());
    assert!(running.state.spool.pending().is_empty());
    running.shutdown().await;
}

#[tokio::test]
async fn a_full_spool_answers_503_with_retry_after() {
    use parcours::store::events::EventRow;
    let t = TestServer::start("spool_full", |c| c.buffer.spool_replay_seconds = 3600).await;
    let spool = &t.running.state.spool;
    spool.write(&[EventRow::default()]).unwrap();
    spool.set_max_bytes(1);
    let r = t
        .post_beacon(&beacon_body("/full"), &ip(3), FIREFOX_LINUX)
        .await;
    assert_eq!(r.status().as_u16(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let ready = t
        .http
        .get(format!("{}/ready", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    let answer: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(answer["spool"], false);
    // Room again: accepted.
    spool.set_max_bytes(u64::MAX);
    assert_eq!(t.pageview("/room", &ip(4), FIREFOX_LINUX).await, 202);
}

#[tokio::test]
async fn a_batch_that_landed_in_part_is_completed_not_skipped_or_doubled() {
    use parcours::store::events::{self, EventRow};
    let store = store("partial").await;
    migrations::migrate(&store).await.unwrap();
    // One log record split over two inserts by the buffer, the node killed between
    // them: the replay must add the second half only.
    let base = events::batch_base();
    let rows: Vec<EventRow> = (0..40u32)
        .map(|i| EventRow {
            site_id: 1,
            // Across a month boundary too: 2026-11-30 23:59:40 onwards.
            timestamp: 1_796_083_180 + i,
            name: "pageview".into(),
            pathname: marker(i as usize),
            batch_id: base + u64::from(i),
            ..Default::default()
        })
        .collect();
    events::insert(&store, &rows[..15]).await.unwrap();
    assert_eq!(events::insert_once(&store, &rows).await.unwrap(), 25);
    assert_eq!(events::insert_once(&store, &rows).await.unwrap(), 0);
    let paths = stored(&store).await;
    assert_eq!(paths.len(), 40);
    assert!(paths.values().all(|n| *n == 1));
}
