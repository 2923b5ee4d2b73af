//! Cluster mode end to end (issue 19): ZooKeeper and a 2-shard × 2-replica ClickHouse
//! 18.16 cluster on loopback (`scripts/cluster.sh`), then
//! 1. the same simulated events in the cluster and on a single server give the same
//!    stats, funnel, journeys and attribution answers;
//! 2. three `parcours serve` nodes behind HAProxy (health checks on `/ready`) store
//!    every acknowledged beacon exactly once while one node and one ClickHouse replica
//!    are killed mid-load, agree on salts, and keep each visitor on one shard.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parcours::query::materialize;
use parcours::store::cluster::Cluster;
use parcours::store::{keys, migrations, sites, Store};
use serde_json::{json, Value};

use crate::lifecycle::{free_port, parcours, wait_http, Process};
use crate::support::*;

const CLUSTER: &str = "parcours";
const DB: &str = "it_cluster";
const DEMO: &str = "demo.parcours.local";

/// The processes of `scripts/cluster.sh`, stopped on drop.
struct Servers {
    dir: PathBuf,
    env: HashMap<String, String>,
}

impl Servers {
    fn start() -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cluster");
        let _ = Command::new("bash")
            .args([script().as_str(), "stop", dir.to_str().unwrap()])
            .status();
        let _ = std::fs::remove_dir_all(&dir);
        let base = free_range(41);
        let out = Command::new("bash")
            .args([
                script().as_str(),
                "start",
                dir.to_str().unwrap(),
                &base.to_string(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cluster.sh start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Self { dir, env }
    }

    fn replicas(&self) -> Vec<String> {
        self.env["PARCOURS_CLICKHOUSE_REPLICAS"]
            .split(',')
            .map(str::to_owned)
            .collect()
    }

    /// A store on server `i` (0-based) in cluster mode.
    fn store(&self, i: usize) -> Store {
        let plain = Store::new(&self.replicas()[i], DB, "default", "");
        let cluster = Cluster::new(CLUSTER, &self.replicas(), &plain, "default", "");
        plain.with_cluster(cluster)
    }

    fn node(&self, what: &str, node: &str) {
        let ok = Command::new("bash")
            .args([script().as_str(), what, self.dir.to_str().unwrap(), node])
            .status()
            .unwrap()
            .success();
        assert!(ok, "cluster.sh {what} {node}");
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .args([script().as_str(), "stop", self.dir.to_str().unwrap()])
            .status();
    }
}

fn script() -> String {
    format!("{}/scripts/cluster.sh", env!("CARGO_MANIFEST_DIR"))
}

/// The first of `n` consecutive free loopback ports.
fn free_range(n: u16) -> u16 {
    'search: for _ in 0..200 {
        let base = 20_000 + (rand::random::<u16>() % 400) * 100;
        let mut held = Vec::new();
        for p in base..base + n {
            match std::net::TcpListener::bind(("127.0.0.1", p)) {
                Ok(l) => held.push(l),
                Err(_) => continue 'search,
            }
        }
        return base;
    }
    panic!("no free port range");
}

/// Runs a ClickHouse statement over HTTP against `url` and returns its text output.
async fn ch(url: &str, sql: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{url}/?load_balancing=in_order"))
        .body(sql.to_owned())
        .send()
        .await
        .unwrap();
    let ok = r.status().is_success();
    let text = r.text().await.unwrap();
    assert!(ok, "{sql}: {text}");
    text
}

/// Copies a table's rows from the cluster to the single server, byte for byte.
async fn copy_table(from: &str, to: &str, to_db: &str, table: &str) {
    let http = reqwest::Client::new();
    let rows = http
        .post(format!("{from}/?load_balancing=in_order"))
        .body(format!("SELECT * FROM {DB}.{table} FORMAT Native"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let r = http
        .post(format!(
            "{to}/?query={}",
            urlencode(&format!("INSERT INTO {to_db}.{table} FORMAT Native"))
        ))
        .body(rows)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An in-process server on `store` with the test config, as a [`TestServer`].
async fn serve(
    test: &str,
    store: Store,
    tweak: impl FnOnce(&mut parcours::config::Config),
) -> TestServer {
    let mut cfg = config(test);
    tweak(&mut cfg);
    let running = parcours::server::start(cfg, store.clone()).await.unwrap();
    running.refresh().await.unwrap();
    let base = format!("http://{}", running.addr);
    TestServer {
        running,
        store,
        http: reqwest::Client::new(),
        base,
    }
}

/// An answer without what legitimately differs between two servers.
fn comparable(mut v: Value) -> Value {
    if let Some(meta) = v.get_mut("meta").and_then(Value::as_object_mut) {
        meta.retain(|k, _| !k.contains("ms") && !k.contains("took") && !k.contains("cache"));
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cluster_mode_matches_a_single_server_and_loses_nothing_behind_a_load_balancer() {
    let servers = Servers::start();
    let replicas = servers.replicas();
    let store = servers.store(0);
    // Two nodes starting at once on a new cluster, through different servers, both
    // migrate without error, and the schema is made once.
    let fourth = servers.store(3);
    let (a, b) = tokio::join!(migrations::migrate(&store), migrations::migrate(&fourth));
    assert!(a.is_ok() && b.is_ok(), "{a:?} / {b:?}");
    assert!(migrations::is_current(&servers.store(1)).await);
    // Every server has every table, and the events' Distributed table its columns.
    for url in &replicas {
        let tables = ch(
            url,
            &format!("SELECT count() FROM system.tables WHERE database IN ('{DB}', '{DB}_shard')"),
        )
        .await;
        assert_eq!(
            tables.trim(),
            ch(
                &replicas[0],
                &format!(
                    "SELECT count() FROM system.tables WHERE database IN ('{DB}', '{DB}_shard')"
                )
            )
            .await
            .trim()
        );
    }

    // 1. The same events in the cluster and on one server.
    let started = Instant::now();
    let cluster_env: Vec<(&str, String)> = vec![
        ("PARCOURS_CLICKHOUSE_URL", replicas[0].clone()),
        ("PARCOURS_CLICKHOUSE_CLUSTER", CLUSTER.into()),
        ("PARCOURS_CLICKHOUSE_REPLICAS", replicas.join(",")),
        ("PARCOURS_CLICKHOUSE_DATABASE", DB.into()),
    ];
    let sim = Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args([
            "simulate", "--mode", "bulk", "--days", "7", "--events", "40000", "--seed", "19",
        ])
        .envs(cluster_env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PARCOURS_DATA_DIR", servers.dir.join("sim"))
        .output()
        .unwrap();
    assert!(
        sim.status.success(),
        "{}",
        String::from_utf8_lossy(&sim.stderr)
    );
    let total: u64 = ch(&replicas[0], &format!("SELECT count() FROM {DB}.events"))
        .await
        .trim()
        .parse()
        .unwrap();
    assert!(total > 30_000, "{total}");
    // Replicas of a shard agree; the shards split the rows and share no visitor.
    let local = |i: usize, what: &'static str| {
        let url = replicas[i].clone();
        async move { ch(&url, &format!("SELECT {what} FROM {DB}_shard.events")).await }
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let per_server = loop {
        let counts = [
            local(0, "count()").await,
            local(1, "count()").await,
            local(2, "count()").await,
            local(3, "count()").await,
        ];
        if (counts[0] == counts[1] && counts[2] == counts[3]) || Instant::now() > deadline {
            break counts;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(per_server[0], per_server[1]);
    assert_eq!(per_server[2], per_server[3]);
    let (a, b): (u64, u64) = (
        per_server[0].trim().parse().unwrap(),
        per_server[2].trim().parse().unwrap(),
    );
    assert_eq!(a + b, total);
    assert!(a > total / 4 && b > total / 4, "{a} / {b}");
    let ids = |s: String| -> BTreeSet<String> { s.lines().map(str::to_owned).collect() };
    let shard1 = ids(local(0, "DISTINCT visitor_id").await);
    let shard2 = ids(local(2, "DISTINCT visitor_id").await);
    assert_eq!(shard1.intersection(&shard2).count(), 0);
    eprintln!(
        "cluster: {total} events, shards {a} / {b}, {} / {} visitors, loaded in {:?}",
        shard1.len(),
        shard2.len(),
        started.elapsed()
    );

    let single = crate::support::store("cluster_single").await;
    migrations::migrate(&single).await.unwrap();
    for table in [
        "events",
        "sites",
        "consent_keys",
        "goals",
        "content_groups",
        "funnels",
    ] {
        copy_table(&replicas[0], &clickhouse_url(), single.database(), table).await;
    }
    let now = chrono::Utc::now();
    let t0 = Instant::now();
    // Two nodes racing the job (through different servers) build each day twice;
    // one build of each day wins and the answers below must not see the other.
    let other = servers.store(2);
    let (built, raced) = tokio::join!(
        materialize::run(&store, now, None),
        materialize::run(&other, now, None)
    );
    let (built, raced) = (built.unwrap(), raced.unwrap());
    let cluster_job = t0.elapsed();
    let t0 = Instant::now();
    materialize::run(&single, now, None).await.unwrap();
    eprintln!(
        "visitor-days job: cluster {cluster_job:?} ({} and {} days, two racing runs), single {:?}",
        built.built.len(),
        raced.built.len(),
        t0.elapsed()
    );
    // The job wrote each shard's visitor-days on that shard, under the day's one build.
    let vd1 = ch(
        &replicas[1],
        &format!("SELECT count() FROM {DB}_shard.visitor_days"),
    )
    .await;
    let vd2 = ch(
        &replicas[3],
        &format!("SELECT count() FROM {DB}_shard.visitor_days"),
    )
    .await;
    assert!(vd1.trim() != "0" && vd2.trim() != "0", "{vd1} / {vd2}");

    let c = serve("cluster_c", store.clone(), |cfg| {
        cfg.clickhouse.url = Some(replicas[0].clone());
        cfg.clickhouse.database = DB.into();
        cfg.clickhouse.cluster = CLUSTER.into();
        cfg.clickhouse.replicas = replicas.clone();
    })
    .await;
    let s = serve("cluster_s", single.clone(), |_| {}).await;
    let site_c = sites::find(&store, DEMO).await.unwrap().unwrap();
    let site_s = sites::find(&single, DEMO).await.unwrap().unwrap();
    assert_eq!(site_c.site_id, site_s.site_id);
    let key_c = keys::create(&store, site_c.site_id).await.unwrap();
    let key_s = keys::create(&single, site_s.site_id).await.unwrap();
    for (t, key) in [(&c, &key_c), (&s, &key_s)] {
        let (status, body) = post_api(
            t,
            key,
            "/api/v2/goals",
            json!({"site_id": DEMO, "name": "Booked", "event_name": "Booking Confirmed"}),
        )
        .await;
        assert!(status < 300, "{body}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let range = json!("7d");
    let asks: Vec<(&str, Value)> = vec![
        (
            "/api/v2/query",
            json!({"site_id": DEMO, "date_range": range, "metrics": ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "events"]}),
        ),
        (
            "/api/v2/query",
            json!({"site_id": DEMO, "date_range": range, "metrics": ["visitors", "pageviews"], "dimensions": ["event:page"]}),
        ),
        (
            "/api/v2/query",
            json!({"site_id": DEMO, "date_range": range, "metrics": ["visitors", "visits"], "dimensions": ["visit:channel"]}),
        ),
        (
            "/api/v2/query",
            json!({"site_id": DEMO, "date_range": range, "metrics": ["visitors"], "dimensions": ["visit:source", "visit:device"]}),
        ),
        (
            "/api/v2/query",
            json!({"site_id": DEMO, "date_range": range, "metrics": ["visitors", "visits"], "dimensions": ["time:day"]}),
        ),
        (
            "/api/v2/query",
            json!({"site_id": DEMO, "date_range": range, "metrics": ["visitors", "events"], "dimensions": ["event:name"], "filters": [["is", "visit:channel", ["Organic Search"]]]}),
        ),
        (
            "/api/v2/funnel",
            json!({"site_id": DEMO, "date_range": range, "window": "1d", "steps": [{"page": "/symptomes/**"}, {"page": "/medecins/*"}, {"event": "Booking Started"}, {"event": "Booking Confirmed"}]}),
        ),
        (
            "/api/v2/funnel",
            json!({"site_id": DEMO, "date_range": range, "window": "1h", "breakdown": "visit:channel", "steps": [{"page": "/medecins/*"}, {"event": "Booking Confirmed"}]}),
        ),
        (
            "/api/v2/journeys",
            json!({"site_id": DEMO, "date_range": range, "mode": "paths_to", "goal": "Booked"}),
        ),
        (
            "/api/v2/journeys",
            json!({"site_id": DEMO, "date_range": range, "mode": "paths_from", "from": {"page": "/"}}),
        ),
        (
            "/api/v2/journeys",
            json!({"site_id": DEMO, "date_range": range, "mode": "flows", "around": {"page": "/medecins/*"}}),
        ),
        (
            "/api/v2/attribution",
            json!({"site_id": DEMO, "date_range": range, "goal": "Booked", "attribution": "first_touch"}),
        ),
        (
            "/api/v2/attribution",
            json!({"site_id": DEMO, "date_range": range, "goal": "Booked", "attribution": "last_touch", "dimension": "visit:source"}),
        ),
    ];
    for (path, body) in &asks {
        // Twice: the first ask fills stored answers, the second reads them.
        for round in 0..2 {
            let t0 = Instant::now();
            let (sc, a) = post_api(&c, &key_c, path, body.clone()).await;
            let tc = t0.elapsed();
            let t0 = Instant::now();
            let (ss, b) = post_api(&s, &key_s, path, body.clone()).await;
            let ts = t0.elapsed();
            assert_eq!((sc, ss), (200, 200), "{path} {body}: {a} / {b}");
            assert_eq!(
                comparable(a),
                comparable(b),
                "{path} {body} (round {round})"
            );
            eprintln!("{path} round {round}: cluster {tc:?}, single {ts:?}");
        }
    }
    c.running.shutdown().await;
    s.running.shutdown().await;

    // 2. Three nodes behind HAProxy, one node and one replica killed mid-load.
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let node = |i: usize| {
        let mut env = vec![
            ("PARCOURS_CLICKHOUSE_URL", replicas[i].clone()),
            ("PARCOURS_CLICKHOUSE_CLUSTER", CLUSTER.to_owned()),
            ("PARCOURS_CLICKHOUSE_REPLICAS", replicas.join(",")),
            ("PARCOURS_CLICKHOUSE_DATABASE", DB.to_owned()),
            ("PARCOURS_LISTEN", format!("127.0.0.1:{}", ports[i])),
            (
                "PARCOURS_DATA_DIR",
                servers.dir.join(format!("node{i}")).display().to_string(),
            ),
            ("PARCOURS_TRUSTED_PROXIES", "127.0.0.1/32".to_owned()),
            ("PARCOURS_ACK", "disk".to_owned()),
            ("RUST_LOG", "warn".to_owned()),
        ];
        env.push(("PARCOURS_RATE_LIMIT_PER_SECOND", "0".to_owned()));
        parcours(&["serve"], &env)
    };
    let mut nodes: Vec<Option<Process>> = Vec::new();
    for i in 0..3 {
        nodes.push(Some(node(i)));
        let ready = wait_http(
            &format!("http://127.0.0.1:{}/ready", ports[i]),
            Duration::from_secs(60),
        )
        .await;
        assert!(
            ready,
            "node {i}: {}",
            std::fs::read_to_string(nodes[i].as_ref().unwrap().log.path()).unwrap()
        );
    }
    let lb_port = free_port();
    let lb = haproxy(&servers.dir, lb_port, &ports);
    let lb_url = format!("http://127.0.0.1:{lb_port}");
    assert!(wait_http(&format!("{lb_url}/ready"), Duration::from_secs(20)).await);

    // The same visitor through each node directly has one id: the nodes agree on salts.
    for (i, p) in ports.iter().enumerate() {
        let body = json!({"n": "pageview", "u": format!("https://{DEMO}/salt/{}", ["un", "deux", "trois"][i]), "d": DEMO});
        let r = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{p}/api/event"))
            .header("x-forwarded-for", "203.0.113.77")
            .header("user-agent", CHROME_WIN)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 202);
    }

    // A session made through one node is honoured by the others.
    let http = reqwest::Client::new();
    let r = http
        .post(format!("http://127.0.0.1:{}/api/auth/setup", ports[0]))
        .json(&json!({"email": "ops@clinique-exemple.fr", "password": "correct horse battery staple"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("parcours_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .expect("a session cookie");
    // Known at once: the sign-in answered after every server had the session.
    let signed_in = Instant::now();
    for p in &ports {
        let deadline = Instant::now();
        loop {
            let r = http
                .get(format!("http://127.0.0.1:{p}/api/auth/me"))
                .header("cookie", format!("parcours_session={cookie}"))
                .send()
                .await
                .unwrap();
            if r.status().as_u16() == 200 {
                eprintln!(
                    "session known to node :{p} {:?} after sign-in",
                    signed_in.elapsed()
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "node on port {p}: {}",
                r.status()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    let sent = 2_400u64;
    let acked = Arc::new(std::sync::Mutex::new(BTreeSet::new()));
    let next = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (acked, next, lb_url) = (acked.clone(), next.clone(), lb_url.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= sent {
                    break;
                }
                // About 120 beacons a second, so the kills land mid-load.
                let due = Duration::from_millis(i * 1000 / 120);
                if let Some(wait) = due.checked_sub(t0.elapsed()) {
                    tokio::time::sleep(wait).await;
                }
                let body = json!({"n": "pageview", "u": format!("https://{DEMO}/lb/{}", word(i)), "d": DEMO});
                let r = http
                    .post(format!("{lb_url}/api/event"))
                    .header("x-forwarded-for", ip(i as u32 % 5_000))
                    .header("user-agent", CHROME_WIN)
                    .body(body.to_string())
                    .send()
                    .await;
                if matches!(&r, Ok(r) if r.status().as_u16() == 202) {
                    acked.lock().unwrap().insert(word(i));
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    // kill -9 node 1 (its write-ahead log holds what it acknowledged) ...
    let mut victim = nodes[1].take().unwrap();
    victim.child.kill().unwrap();
    victim.child.wait().unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    // ... and the second replica of shard 2, which no node talks to directly.
    servers.node("kill", "n4");
    tokio::time::sleep(Duration::from_secs(4)).await;
    // The node comes back and replays its log.
    nodes[1] = Some(node(1));
    for t in tasks {
        t.await.unwrap();
    }
    let load = t0.elapsed();
    let acked: BTreeSet<String> = acked.lock().unwrap().clone();
    assert!(
        wait_http(
            &format!("http://127.0.0.1:{}/ready", ports[1]),
            Duration::from_secs(60)
        )
        .await,
        "node 1 did not come back"
    );
    // Every acknowledged beacon is stored, once.
    let stored = stored_once(&replicas[0], "/lb/%", &acked, 60).await;
    let missing: Vec<&String> = acked.iter().filter(|w| !stored.contains_key(*w)).collect();
    let doubled: Vec<(&String, &u64)> = stored.iter().filter(|(_, n)| **n > 1).collect();
    eprintln!(
        "load balancer: {sent} sent in {load:?}, {} acknowledged, {} stored, {} missing, {} doubled",
        acked.len(),
        stored.len(),
        missing.len(),
        doubled.len()
    );
    assert!(
        missing.is_empty(),
        "acknowledged but not stored: {missing:?}"
    );
    assert!(doubled.is_empty(), "stored twice: {doubled:?}");
    assert!(
        acked.len() as u64 > sent * 8 / 10,
        "{} of {sent}",
        acked.len()
    );
    // The three salt pages share one visitor id.
    let salt_ids = ch(
        &replicas[2],
        &format!(
            "SELECT count(DISTINCT visitor_id) FROM {DB}.events WHERE pathname LIKE '/salt/%'"
        ),
    )
    .await;
    assert_eq!(salt_ids.trim(), "1");
    // The killed replica catches up once back.
    servers.node("revive", "n4");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (r3, r4) = (
            ch(
                &replicas[2],
                &format!("SELECT count() FROM {DB}_shard.events"),
            )
            .await,
            ch(
                &replicas[3],
                &format!("SELECT count() FROM {DB}_shard.events"),
            )
            .await,
        );
        if r3 == r4 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "n4 did not catch up: {r3} / {r4}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // A whole shard down: its inserts fail as a whole (synchronous Distributed inserts
    // write no part of a batch), the node keeps the batch (log, retries, spool) and
    // stores it once the shard is back.
    servers.node("kill", "n3");
    servers.node("kill", "n4");
    let direct = format!("http://127.0.0.1:{}/api/event", ports[0]);
    let http = reqwest::Client::new();
    let mut down_acked = BTreeSet::new();
    for i in 0..300u64 {
        let w = format!("down-{}", word(i));
        let body = json!({"n": "pageview", "u": format!("https://{DEMO}/lb/{w}"), "d": DEMO});
        let r = http
            .post(&direct)
            .header("x-forwarded-for", ip(i as u32 + 7_000))
            .header("user-agent", CHROME_WIN)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        if r.status().as_u16() == 202 {
            down_acked.insert(w);
        }
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    servers.node("revive", "n3");
    servers.node("revive", "n4");
    let stored = stored_once(&replicas[0], "/lb/down-%", &down_acked, 90).await;
    let missing = down_acked
        .iter()
        .filter(|w| !stored.contains_key(*w))
        .count();
    let doubled = stored.values().filter(|n| **n > 1).count();
    eprintln!(
        "shard down: 300 sent, {} acknowledged, {} stored, {missing} missing, {doubled} doubled",
        down_acked.len(),
        stored.len()
    );
    assert_eq!(down_acked.len(), 300);
    assert_eq!((missing, doubled), (0, 0));

    drop(lb);
    for mut p in nodes.into_iter().flatten() {
        let _ = p.child.kill();
        let _ = p.child.wait();
    }
}

/// How many times each `/lb/` page matching `pattern` is stored, once every page of
/// `acked` is there or after `secs` seconds.
async fn stored_once(
    url: &str,
    pattern: &str,
    acked: &BTreeSet<String>,
    secs: u64,
) -> BTreeMap<String, u64> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let rows = ch(
            url,
            &format!("SELECT pathname, count() FROM {DB}.events WHERE pathname LIKE '{pattern}' GROUP BY pathname FORMAT TSV"),
        )
        .await;
        let map: BTreeMap<String, u64> = rows
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(p, n)| (p.trim_start_matches("/lb/").to_owned(), n.parse().unwrap()))
            .collect();
        if acked.iter().all(|w| map.contains_key(w)) || Instant::now() > deadline {
            return map;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A name for beacon `i` that the path scrubber keeps as is (letters only).
fn word(i: u64) -> String {
    let mut n = i;
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("page-{s}")
}

/// HAProxy in front of the nodes, health-checking `/ready`; killed on drop.
struct Haproxy(std::process::Child);

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn haproxy(dir: &Path, port: u16, nodes: &[u16]) -> Haproxy {
    let servers: String = nodes
        .iter()
        .enumerate()
        .map(|(i, p)| format!("  server node{i} 127.0.0.1:{p} check inter 500ms fall 2 rise 2\n"))
        .collect();
    let cfg = format!(
        "global\n  maxconn 2000\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n  retries 3\n  option redispatch\n\
         frontend parcours\n  bind 127.0.0.1:{port}\n  default_backend nodes\n\
         backend nodes\n  balance roundrobin\n  option httpchk GET /ready\n  http-check expect status 200\n{servers}"
    );
    let path = dir.join("haproxy.cfg");
    std::fs::write(&path, cfg).unwrap();
    let child = Command::new("haproxy")
        .args(["-f", path.to_str().unwrap(), "-db"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("haproxy.log")).unwrap())
        .spawn()
        .expect("haproxy (scripts/cluster.sh install)");
    Haproxy(child)
}
