//! The real binary: SIGTERM loses nothing, logs hold no PII, `serve` owns ClickHouse.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use parcours::store::{migrations, sites};

use crate::privacy::planted_beacons;
use crate::support::*;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary under test; its log goes to a file, not a pipe, so a chatty run can never
/// block on a full pipe buffer.
pub struct Process {
    /// The running binary.
    pub child: Child,
    /// Where its log goes.
    pub log: tempfile::NamedTempFile,
}

pub fn parcours(args: &[&str], envs: &[(&str, String)]) -> Process {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parcours"));
    cmd.args(args)
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .env_remove("RUST_LOG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Process {
        child: cmd.spawn().unwrap(),
        log,
    }
}

/// SIGTERM, wait for the exit, and return the exit status with everything logged.
pub async fn stop(mut p: Process) -> (std::process::ExitStatus, String) {
    let status = tokio::task::spawn_blocking(move || {
        (terminate_and_wait(&mut p.child, Duration::from_secs(60)), p)
    })
    .await
    .unwrap();
    let (status, p) = status;
    let logs = std::fs::read_to_string(p.log.path()).unwrap();
    (status, logs)
}

pub async fn wait_http(url: &str, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if let Ok(r) = reqwest::get(url).await {
            if r.status().is_success() {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn terminate_and_wait(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            start.elapsed() < timeout,
            "parcours did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn sigterm_flushes_every_buffered_event_and_logs_hold_no_pii() {
    let store = store("sigterm").await;
    migrations::migrate(&store).await.unwrap();
    sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    let port = free_port();
    let data = tempfile::tempdir().unwrap();
    let child = parcours(
        &["serve"],
        &[
            ("PARCOURS_CLICKHOUSE_URL", clickhouse_url()),
            ("PARCOURS_CLICKHOUSE_DATABASE", store.database().to_owned()),
            ("PARCOURS_LISTEN", format!("127.0.0.1:{port}")),
            ("PARCOURS_DATA_DIR", data.path().display().to_string()),
            ("PARCOURS_TRUSTED_PROXIES", "127.0.0.1".into()),
            (
                "PARCOURS_GEOIP_DB",
                fixture("geoip-test.mmdb").display().to_string(),
            ),
            ("PARCOURS_RATE_LIMIT_PER_SECOND", "0".into()),
            // Nothing would flush on its own during the test: only shutdown can.
            ("PARCOURS_FLUSH_INTERVAL_MS", "600000".into()),
            ("PARCOURS_FLUSH_ROWS", "100000".into()),
            (
                "RUST_LOG",
                "debug,hyper=info,hyper_util=info,h2=info,reqwest=info".into(),
            ),
        ],
    );
    let base = format!("http://127.0.0.1:{port}");
    assert!(
        wait_http(&format!("{base}/ready"), Duration::from_secs(30)).await,
        "server not ready"
    );
    let http = reqwest::Client::new();
    let mut sent = 0u64;
    let planted_ua =
        "Mozilla/5.0 (X11; Linux x86_64) PlantedAgent/7.7 Chrome/130.0.0.0 Safari/537.36";
    for b in planted_beacons() {
        let r = http
            .post(format!("{base}/api/event"))
            .header("x-forwarded-for", "203.0.113.77")
            .header("user-agent", planted_ua)
            .body(b)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        sent += 1;
    }
    // A malformed beacon quoting the email: its 400 and its log line must not echo it.
    let r = http
        .post(format!("{base}/api/event"))
        .header("x-forwarded-for", "203.0.113.77")
        .body(r#"{"n":"pageview","u":"mailto:jean.dupont@example.fr","d":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(!r.text().await.unwrap().contains("dupont"));
    let mut tasks = Vec::new();
    for i in 0..500u32 {
        let (http, base) = (http.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/page/{}", i % 37), "d": SITE}).to_string();
            http.post(format!("{base}/api/event")).header("x-forwarded-for", ip(i)).header("user-agent", FIREFOX_LINUX).body(body).send().await.unwrap().status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 202);
        sent += 1;
    }
    assert_eq!(
        count_rows(&store).await,
        0,
        "nothing flushed before shutdown"
    );
    let (status, logs) = stop(child).await;
    assert!(status.success(), "exit status {status}: {logs}");
    assert_eq!(
        count_rows(&store).await,
        sent,
        "every accepted event is stored"
    );
    assert!(logs.contains("write buffer drained"), "{logs}");
    for needle in ["jean.dupont", "203.0.113.77", "PlantedAgent", "example.fr/"] {
        assert!(!logs.contains(needle), "{needle} found in logs:\n{logs}");
    }
}

#[tokio::test]
async fn serve_without_clickhouse_url_starts_and_stops_its_own_server() {
    let port = free_port();
    let data = tempfile::tempdir().unwrap();
    let child = parcours(
        &["serve"],
        &[
            ("PARCOURS_LISTEN", format!("127.0.0.1:{port}")),
            ("PARCOURS_DATA_DIR", data.path().display().to_string()),
        ],
    );
    let ready = wait_http(
        &format!("http://127.0.0.1:{port}/ready"),
        Duration::from_secs(60),
    )
    .await;
    let pid_file = data.path().join("clickhouse").join("clickhouse.pid");
    let ch_pid: Option<i32> = std::fs::read_to_string(&pid_file)
        .ok()
        .and_then(|s| s.trim().parse().ok());
    let (status, logs) = stop(child).await;
    assert!(ready, "serve did not become ready: {logs}");
    assert!(status.success(), "{logs}");
    let ch_pid = ch_pid.expect("pid file of the owned ClickHouse");
    let alive = unsafe { libc::kill(ch_pid, 0) } == 0;
    assert!(!alive, "the owned ClickHouse must stop with serve");
}

#[tokio::test]
async fn clickhouse_outage_keeps_events_on_disk_until_it_is_back() {
    use parcours::store::local::LocalClickHouse;
    // A server of its own: this test stops it.
    let ch_dir = tempfile::tempdir().unwrap();
    let ch = LocalClickHouse::start(ch_dir.path(), 0).await.unwrap();
    let url = ch.url().to_owned();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let mut cfg = config("outage");
    cfg.clickhouse.url = Some(url.clone());
    cfg.buffer.insert_attempts = 1;
    cfg.buffer.spool_replay_seconds = 1;
    let store = parcours::store::Store::new(&url, "it_outage", "default", "");
    let running = parcours::server::start(cfg.clone(), store.clone())
        .await
        .unwrap();
    sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    running.refresh().await.unwrap();
    let http = reqwest::Client::new();
    let post = |i: u32| {
        let body =
            serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/p/{i}"), "d": SITE})
                .to_string();
        http.post(format!("http://{}/api/event", running.addr))
            .header("x-forwarded-for", ip(i))
            .header("user-agent", FIREFOX_LINUX)
            .body(body)
            .send()
    };
    for i in 0..5 {
        assert_eq!(post(i).await.unwrap().status(), 202);
    }
    assert_eq!(wait_rows(&store, 5).await, 5);

    ch.stop().await;
    for i in 5..12 {
        assert_eq!(
            post(i).await.unwrap().status(),
            202,
            "ingest goes on while ClickHouse is down"
        );
    }
    let spool = cfg.spool_dir();
    let start = Instant::now();
    while std::fs::read_dir(&spool).unwrap().count() == 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "nothing spooled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let ch = LocalClickHouse::start(ch_dir.path(), port).await.unwrap();
    assert_eq!(
        wait_rows(&store, 12).await,
        12,
        "spooled events replayed once ClickHouse is back"
    );
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0);
    running.shutdown().await;
    ch.stop().await;
}
