//! Test tooling: a private ClickHouse started once per test run on a loopback port with
//! its own data directory, and an in-process Parcours server per test.
//!
//! Set `PARCOURS_TEST_CLICKHOUSE_URL` to run against another server (e.g. a modern one).

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use parcours::config::Config;
use parcours::server::Running;
use parcours::store::local::LocalClickHouse;
use parcours::store::{sites, Store};
use serde_json::Value;

/// URL of the shared test server.
pub fn clickhouse_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("PARCOURS_TEST_CLICKHOUSE_URL") {
            return url;
        }
        // Started from its own thread and runtime: the server must outlive every
        // test's runtime. It dies with this process (see LocalClickHouse).
        std::thread::spawn(|| {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("clickhouse-{}", std::process::id()));
            let rt = tokio::runtime::Runtime::new().unwrap();
            let server = rt
                .block_on(LocalClickHouse::start(&dir, 0))
                .expect("start the test ClickHouse server (is clickhouse-server installed? run scripts/test.sh)");
            let url = server.url().to_owned();
            // Keep it running for the whole test process.
            std::mem::forget(server);
            std::mem::forget(rt);
            url
        })
        .join()
        .unwrap()
    })
    .clone()
}

/// A fresh database named after the test.
pub async fn store(test: &str) -> Store {
    let db = format!("it_{test}");
    let store = Store::new(&clickhouse_url(), &db, "default", "");
    store
        .client()
        .clone()
        .with_database("default")
        .query(&format!("DROP DATABASE IF EXISTS {db}"))
        .execute()
        .await
        .unwrap();
    store
}

/// A config for an in-process server on a free port, trusting loopback as a proxy so
/// tests can play many clients through `X-Forwarded-For`.
pub fn config(test: &str) -> Config {
    let mut c = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Default::default()
    };
    c.clickhouse.url = Some(clickhouse_url());
    c.clickhouse.database = format!("it_{test}");
    c.data_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("data-{test}"));
    let _ = std::fs::remove_dir_all(&c.data_dir);
    c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    c.geoip.db = Some(fixture("geoip-test.mmdb"));
    c.buffer.flush_interval_ms = 50;
    c.ingest.rate_limit_per_second = 0;
    c
}

/// Path of a file under `tests/fixtures`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A running server with its database and one registered site.
pub struct TestServer {
    pub running: Running,
    pub store: Store,
    pub http: reqwest::Client,
    pub base: String,
}

pub const SITE: &str = "clinique-exemple.fr";
pub const CHROME_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
pub const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
pub const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

impl TestServer {
    /// Starts a server for `test` with `tweak` applied to its config, and registers [`SITE`].
    pub async fn start(test: &str, tweak: impl FnOnce(&mut Config)) -> Self {
        let mut cfg = config(test);
        tweak(&mut cfg);
        let store = store(test).await;
        let running = parcours::server::start(cfg, store.clone()).await.unwrap();
        sites::add(&store, SITE, "Europe/Paris").await.unwrap();
        running.refresh().await.unwrap();
        let base = format!("http://{}", running.addr);
        Self {
            running,
            store,
            http: reqwest::Client::new(),
            base,
        }
    }

    /// Posts a beacon body as a given client; returns the whole response.
    pub async fn post_beacon(&self, body: &str, ip: &str, ua: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/event", self.base))
            .header("content-type", "text/plain")
            .header("x-forwarded-for", ip)
            .header("user-agent", ua)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// Posts a beacon body as a given client; returns the status and body.
    pub async fn beacon(&self, body: &str, ip: &str, ua: &str) -> (u16, String) {
        let r = self.post_beacon(body, ip, ua).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// `/metrics` as text.
    pub async fn metrics(&self) -> String {
        metrics_at(&self.base).await
    }

    /// Posts a pageview of `path` on [`SITE`].
    pub async fn pageview(&self, path: &str, ip: &str, ua: &str) -> u16 {
        let body =
            serde_json::json!({"n": "pageview", "u": format!("https://{SITE}{path}"), "d": SITE})
                .to_string();
        self.beacon(&body, ip, ua).await.0
    }

    /// Waits until `events` holds `n` rows (the buffer flushes every 50 ms).
    pub async fn wait_rows(&self, n: u64) -> u64 {
        wait_rows(&self.store, n).await
    }
}

/// `/metrics` of the node at `base` as text.
pub async fn metrics_at(base: &str) -> String {
    reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Waits until `events` holds at least `n` rows, or 10 seconds; returns the count.
pub async fn wait_rows(store: &Store, n: u64) -> u64 {
    let mut count = 0;
    for _ in 0..200 {
        count = count_rows(store).await;
        if count >= n {
            // A little longer, to catch rows that should not be there.
            tokio::time::sleep(Duration::from_millis(150)).await;
            return count_rows(store).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    count
}

/// Rows in `events`.
pub async fn count_rows(store: &Store) -> u64 {
    store
        .client()
        .query("SELECT count() FROM events")
        .fetch_one::<u64>()
        .await
        .unwrap_or(0)
}

/// A random-looking public test address for visitor `i`.
pub fn ip(i: u32) -> String {
    let a: IpAddr = std::net::Ipv4Addr::new(198, 51, (i / 250) as u8, (i % 250 + 1) as u8).into();
    a.to_string()
}

/// Posts JSON to an API path with an API key; returns the status and the JSON answer.
pub async fn post_api(t: &TestServer, key: &str, path: &str, body: Value) -> (u16, Value) {
    let r = t
        .http
        .post(format!("{}{path}", t.base))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Asks `POST /api/v2/query` with an API key; returns the status and the JSON answer.
pub async fn ask(t: &TestServer, key: &str, body: Value) -> (u16, Value) {
    post_api(t, key, "/api/v2/query", body).await
}

/// Asks `POST /api/v2/query` and expects a 200; returns the answer.
pub async fn ask_ok(t: &TestServer, key: &str, body: Value) -> Value {
    let (status, answer) = ask(t, key, body.clone()).await;
    assert_eq!(status, 200, "{body} -> {answer}");
    answer
}
