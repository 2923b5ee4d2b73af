//! Hostile traffic: beacons from hosts that are not the site's, bodies built to break a
//! parser, and thousands of slow connections. The node must answer every bad request
//! with a clean 4xx, store every good beacon once, and stay within its bounds.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parcours::store::{keys, migrations, sites, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::support::{self, count_rows, ip, metrics_at, TestServer, CHROME_WIN, SITE};

/// The `parcours` binary serving on loopback as a child process, so that its memory
/// (`VmHWM`) and open files are its own, not the test's.
struct Node {
    child: Child,
    addr: SocketAddr,
    base: String,
    store: Store,
}

impl Node {
    /// Migrates `it_{test}`, registers [`SITE`], and starts `parcours serve` with `env`.
    async fn start(test: &str, env: &[(&str, &str)]) -> Node {
        let store = support::store(test).await;
        migrations::migrate(&store).await.unwrap();
        sites::add(&store, SITE, "Europe/Paris").await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("node-{test}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let log = std::fs::File::create(dir.join("serve.log")).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_parcours"));
        cmd.args(["serve", "--listen", &addr.to_string()])
            .env("PARCOURS_CLICKHOUSE_URL", support::clickhouse_url())
            .env("PARCOURS_CLICKHOUSE_DATABASE", format!("it_{test}"))
            .env("PARCOURS_DATA_DIR", dir.join("data"))
            .env("PARCOURS_TRUSTED_PROXIES", "127.0.0.1/32")
            .env("PARCOURS_FLUSH_INTERVAL_MS", "50")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap();
        let node = Node {
            child,
            addr,
            base: format!("http://{addr}"),
            store,
        };
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = http.get(format!("{}/ready", node.base)).send().await {
                if r.status() == 200 {
                    return node;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the node did not become ready (see {})", dir.display());
    }

    /// A line of `/proc/<pid>/status` in KiB (`VmHWM`: peak resident memory).
    fn status_kib(&self, field: &str) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// `/metrics` as text.
    async fn metrics(&self) -> String {
        metrics_at(&self.base).await
    }

    /// Stops the node as an operator would (SIGTERM: drain, flush) and waits for it.
    fn stop(mut self) {
        // SAFETY: kill only sends a signal to our own child's pid.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Files process `pid` has open now.
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// The kernel's count of connections dropped because a listen queue was full.
fn listen_overflows() -> u64 {
    let text = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let mut lines = text.lines().filter(|l| l.starts_with("TcpExt:"));
    let (Some(names), Some(values)) = (lines.next(), lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(n, _)| *n == "ListenOverflows")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

/// Raises this process's soft limit of open files to the hard one; returns it.
fn raise_open_files() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct they are given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        limit.rlim_cur = limit.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
    }
    limit.rlim_cur as usize
}

/// A path marker made of letters only (digits would be masked as an id).
fn marker(mut i: usize) -> String {
    let mut s = String::from("bon-");
    for _ in 0..4 {
        s.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
    }
    s
}

/// The body of good beacon `i`.
fn good_body(i: usize) -> String {
    json!({"n": "pageview", "u": format!("https://{SITE}/{}", marker(i)), "d": SITE}).to_string()
}

/// An error with its sources, for the report.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Rows stored per path.
async fn rows_by_path(store: &Store) -> HashMap<String, u64> {
    store
        .client()
        .query("SELECT pathname, count() FROM events GROUP BY pathname")
        .fetch_all::<(String, u64)>()
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Waits until `events` holds at least `n` rows (or 20 s); returns the count.
async fn wait_for_rows(store: &Store, n: u64) -> u64 {
    let mut count = 0;
    for _ in 0..200 {
        count = count_rows(store).await;
        if count >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A little longer, to catch rows that should not be there.
    tokio::time::sleep(Duration::from_millis(300)).await;
    count.max(count_rows(store).await)
}

/// Sends one beacon of a page at `u` naming `d`; returns the status.
async fn beacon_from(t: &TestServer, u: &str, d: &str, i: u32) -> u16 {
    let body = json!({"n": "pageview", "u": u, "d": d}).to_string();
    t.beacon(&body, &ip(i), CHROME_WIN).await.0
}

/// The value of a Prometheus sample line starting with `prefix`, or 0.
fn sample(metrics: &str, prefix: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0, |v| v as u64)
}

#[tokio::test]
async fn pages_of_foreign_hosts_are_dropped_and_counted() {
    let t = TestServer::start("foreign_hosts", |_| {}).await;
    let key = keys::create(
        &t.store,
        sites::find(&t.store, SITE).await.unwrap().unwrap().site_id,
    )
    .await
    .unwrap();
    // The site's own hosts: its domain, www. and a subdomain.
    for (i, u) in [
        format!("https://{SITE}/a"),
        format!("https://www.{SITE}/b"),
        format!("https://rdv.{SITE}/c"),
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(beacon_from(&t, u, SITE, i as u32).await, 202, "{u}");
    }
    // A copy of the page elsewhere, a translation proxy, local development: 202 (the
    // sender learns nothing) but not stored.
    for (i, u) in [
        "https://copie-de-clinique.fr/a",
        "https://clinique--exemple-fr.translate.goog/a",
        "http://localhost:8080/a",
        "http://127.0.0.1:3000/a",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(beacon_from(&t, u, SITE, 10 + i as u32).await, 202, "{u}");
    }
    assert_eq!(t.wait_rows(3).await, 3);
    let hosts: Vec<String> = t
        .store
        .client()
        .query("SELECT DISTINCT hostname FROM events ORDER BY hostname")
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(hosts, [SITE.to_owned(), format!("rdv.{SITE}")]);
    let metrics = t.metrics().await;
    assert_eq!(
        sample(
            &metrics,
            "parcours_events_dropped_total{reason=\"foreign_host\"} "
        ),
        4,
        "{metrics}"
    );
    let check: Value = t
        .http
        .get(format!("{}/api/v2/install_check?site_id={SITE}", t.base))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let drops = check["recent_drops"].as_array().unwrap();
    assert_eq!(drops.len(), 1, "{check}");
    assert_eq!(
        (&drops[0]["domain"], &drops[0]["reason"], &drops[0]["count"]),
        (&json!(SITE), &json!("foreign_host"), &json!(4)),
        "{check}"
    );
    // Once listed in the site's hosts, an alias counts, subdomains included.
    let (status, site) = {
        let r = t
            .http
            .patch(format!("{}/api/v2/sites", t.base))
            .bearer_auth(&key)
            .json(&json!({"site_id": SITE, "hosts": ["clinique-paris.fr", "localhost"]}))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 200, "{site}");
    assert_eq!(site["hosts"], json!(["clinique-paris.fr", "localhost"]));
    for (i, u) in [
        "https://www.clinique-paris.fr/d",
        "http://localhost:8080/e",
        "https://copie-de-clinique.fr/f",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(beacon_from(&t, u, SITE, 20 + i as u32).await, 202, "{u}");
    }
    assert_eq!(t.wait_rows(5).await, 5);
    assert_eq!(count_rows(&t.store).await, 5);
    t.running.shutdown().await;
}

/// One hostile request: its kind (for the report), content type and body.
struct Hostile {
    kind: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

/// The `i`-th hostile body of a seeded mix; none may be stored, each must get a 4xx.
fn hostile(i: usize, rng: &mut StdRng) -> Hostile {
    let good = good_body(rng.random_range(0..1_000_000));
    let text = "text/plain";
    let (kind, content_type, body): (&'static str, &'static str, Vec<u8>) = match i % 12 {
        0 => {
            // A good body cut anywhere: never a whole object.
            let cut = rng.random_range(0..good.len() - 1);
            ("truncated_json", text, good.as_bytes()[..cut].to_vec())
        }
        1 => {
            let len = rng.random_range(1..2_000);
            let junk: Vec<u8> = (0..len).map(|_| rng.random_range(b' '..=b'~')).collect();
            let mut body = b"x".to_vec();
            body.extend(junk);
            ("garbage", text, body)
        }
        2 => {
            // Invalid UTF-8 inside the URL string.
            let bad: &[u8] = [
                &[0xff][..],
                &[0xc3, 0x28],
                &[0xed, 0xa0, 0x80],
                &[0xf8, 0x88],
            ][rng.random_range(0..4)];
            let body = good.replacen(
                &format!("https://{SITE}/"),
                &format!("https://{SITE}/\u{1}"),
                1,
            );
            let body = body
                .into_bytes()
                .into_iter()
                .flat_map(|b| if b == 1 { bad.to_vec() } else { vec![b] })
                .collect();
            ("invalid_utf8", text, body)
        }
        3 => {
            // 10,000 deep is over the body limit; 3,000 deep is under it.
            let depth = if rng.random_bool(0.5) { 10_000 } else { 3_000 };
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let body =
                format!(r#"{{"n":"pageview","u":"https://{SITE}/","d":"{SITE}","p":{deep}}}"#);
            ("deep_nesting", text, body.into_bytes())
        }
        4 => {
            // 1,000 keys is over the body limit; 31 to 400 short ones are over the count.
            let n = if rng.random_bool(0.5) {
                1_000
            } else {
                rng.random_range(31..400)
            };
            let props: serde_json::Map<String, Value> =
                (0..n).map(|k| (format!("k{k}"), json!(k))).collect();
            let body =
                json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": SITE, "p": props});
            ("many_props", text, body.to_string().into_bytes())
        }
        5 => {
            let field = ["n", "u", "d", "r"][rng.random_range(0..4)];
            let len = [3_000, 7_000, 100_000][rng.random_range(0..3)];
            let mut body = json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": SITE});
            let huge = match field {
                "u" | "r" => format!("https://{SITE}/{}", "a".repeat(len)),
                _ => "a".repeat(len),
            };
            body[field] = json!(huge);
            ("huge_string", text, body.to_string().into_bytes())
        }
        6 => {
            let body = match rng.random_range(0..3) {
                // A raw NUL inside a string, one between tokens, and a name of NULs only.
                0 => good.replacen("pageview", "page\0view", 1).into_bytes(),
                1 => good.replacen(",", ",\0", 1).into_bytes(),
                _ => format!(r#"{{"n":"\u0000\u0000","u":"https://{SITE}/","d":"{SITE}"}}"#)
                    .into_bytes(),
            };
            ("nul_bytes", text, body)
        }
        7 => {
            let u = [
                "data:text/html,<script>alert(1)</script>",
                "javascript:alert(document.cookie)",
                "JaVaScRiPt:alert(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "file:///etc/passwd",
                "https://",
            ][rng.random_range(0..6)];
            let body = json!({"n": "pageview", "u": u, "d": SITE});
            ("bad_url", text, body.to_string().into_bytes())
        }
        8 => {
            let len = [9_000, 65_536, 1 << 17, 1 << 20][rng.random_range(0..4)];
            let pad = "x".repeat(len);
            let body = json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": SITE, "p": {"pad": pad}});
            (
                "oversized",
                "application/json",
                body.to_string().into_bytes(),
            )
        }
        9 => {
            let (ct, body) = match rng.random_range(0..3) {
                0 => (
                    "application/x-www-form-urlencoded",
                    format!("n=pageview&u=https%3A%2F%2F{SITE}%2F&d={SITE}"),
                ),
                1 => (
                    "multipart/form-data; boundary=b",
                    format!("--b\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n{SITE}\r\n--b--\r\n"),
                ),
                _ => ("application/xml", format!("<event n=\"pageview\" d=\"{SITE}\"/>")),
            };
            ("wrong_content_type", ct, body.into_bytes())
        }
        10 => {
            // A batch is not a beacon, even when every element is good.
            let body = match rng.random_range(0..3) {
                0 => format!("[{good},{{\"n\":1}}]"),
                1 => format!("[{good},{good}]"),
                _ => format!(r#"["pageview","https://{SITE}/","{SITE}"]"#),
            };
            ("batch_array", text, body.into_bytes())
        }
        _ => {
            let body = match rng.random_range(0..4) {
                0 => "null".to_owned(),
                1 => "".to_owned(),
                2 => good.replacen("\"d\"", "\"d\":\"x\",\"d\"", 1),
                _ => json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": SITE, "m": {"amount": -1, "currency": "EUR"}}).to_string(),
            };
            ("odd_values", text, body.into_bytes())
        }
    };
    Hostile {
        kind,
        content_type,
        body,
    }
}

#[tokio::test]
async fn hostile_bodies_get_4xx_beside_good_beacons() {
    const HOSTILE: usize = 10_000;
    const GOOD: usize = 2_000;
    /// The node's peak resident memory must stay under this (its own process, measured
    /// at 73 MiB in a debug build; the bound leaves room for allocator slack).
    const RSS_BOUND_KIB: u64 = 256 * 1024;
    let node = Node::start("hostile_bodies", &[]).await;
    let started = Instant::now();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut rng = StdRng::seed_from_u64(18);
    // Good and hostile requests interleaved, sent 64 at a time.
    let mut jobs: Vec<(usize, Option<Hostile>)> = (0..GOOD).map(|i| (i, None)).collect();
    jobs.extend((0..HOSTILE).map(|i| (i, Some(hostile(i, &mut rng)))));
    for i in (1..jobs.len()).rev() {
        jobs.swap(i, rng.random_range(0..=i));
    }
    let slots = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (i, bad)) in jobs.into_iter().enumerate() {
        let permit = slots.clone().acquire_owned().await.unwrap();
        let http = http.clone();
        let url = format!("{}/api/event", node.base);
        tasks.spawn(async move {
            let (kind, ct, body) = match bad {
                Some(h) => (h.kind, h.content_type, h.body),
                None => ("good", "text/plain", good_body(i).into_bytes()),
            };
            let r = http
                .post(url)
                .header("content-type", ct)
                .header("user-agent", CHROME_WIN)
                .header("x-forwarded-for", ip(n as u32 % 60_000))
                .body(body)
                .send()
                .await;
            drop(permit);
            (
                kind,
                r.map(|r| r.status().as_u16()).map_err(|e| error_chain(&e)),
            )
        });
    }
    let mut statuses: HashMap<(&str, String), usize> = HashMap::new();
    while let Some(done) = tasks.join_next().await {
        let (kind, outcome) = done.unwrap();
        let key = match outcome {
            Ok(s) => s.to_string(),
            Err(e) => format!("error: {e}"),
        };
        *statuses.entry((kind, key)).or_default() += 1;
    }
    let sent = started.elapsed();
    let mut report: Vec<String> = statuses
        .iter()
        .map(|((kind, status), n)| format!("{kind} {status}: {n}"))
        .collect();
    report.sort();
    eprintln!("hostile bodies: {}", report.join(", "));
    for ((kind, status), n) in &statuses {
        if *kind == "good" {
            assert_eq!(status, "202", "{n} good beacons got {status}");
        } else {
            assert!(
                status.starts_with('4') && status.len() == 3,
                "{n} {kind} bodies got {status}"
            );
        }
    }
    let hostile_4xx: usize = statuses
        .iter()
        .filter(|((k, _), _)| *k != "good")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(hostile_4xx, HOSTILE);
    // Every good beacon stored once, nothing else.
    assert_eq!(wait_for_rows(&node.store, GOOD as u64).await, GOOD as u64);
    let rows = rows_by_path(&node.store).await;
    for i in 0..GOOD {
        assert_eq!(
            rows.get(&format!("/{}", marker(i))),
            Some(&1),
            "{}",
            marker(i)
        );
    }
    let peak = node.status_kib("VmHWM:");
    eprintln!(
        "hostile bodies: {HOSTILE} hostile + {GOOD} good in {:.1} s, node peak RSS {} MiB (bound {} MiB)",
        sent.as_secs_f64(),
        peak / 1024,
        RSS_BOUND_KIB / 1024
    );
    assert!(peak < RSS_BOUND_KIB, "node peak RSS {peak} KiB");
    node.stop();
}

/// What became of one slow connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Slow {
    /// Connected, answered (the keep-alive kind), then closed by the node.
    ServedThenClosed,
    /// Connected and closed by the node without an answer (refused at the cap, or
    /// out of time for its headers).
    Closed,
    /// Still open when the test stopped waiting: the node let it hold a slot.
    StillOpen,
    /// The connection could not be made.
    ConnectFailed,
}

/// Headers never finished, nearly the per-connection buffer's worth.
static BIG_HEADER: [u8; 60 * 1024] = [b'a'; 60 * 1024];

/// One slow client of kind `i % 4`: trickling a header byte by byte (two in four),
/// idling after a keep-alive request, or sending 60 KiB of a header that never ends.
async fn slow_client(addr: SocketAddr, i: usize) -> Slow {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Far beyond the node's 2 s: a connect the kernel's listen queue overflowed looks
    // open here but reaches the node only when this side retransmits, seconds later
    // (thousands of overflows were counted during a run, resolved within 20 s).
    let give_up = Duration::from_secs(45);
    let connected = tokio::time::timeout(give_up, tokio::net::TcpStream::connect(addr)).await;
    let Ok(Ok(mut s)) = connected else {
        return Slow::ConnectFailed;
    };
    let mut buf = [0u8; 1024];
    let mut answered = false;
    let start: &[u8] = match i % 4 {
        2 => b"GET /health HTTP/1.1\r\nHost: node\r\n\r\n",
        3 => b"POST /api/event HTTP/1.1\r\nHost: node\r\nX-Big: ",
        _ => b"POST /api/event HTTP/1.1\r\nHost: node\r\nX-Slow: ",
    };
    if s.write_all(start).await.is_err() {
        return Slow::Closed;
    }
    if i % 4 == 3 && s.write_all(&BIG_HEADER).await.is_err() {
        return Slow::Closed;
    }
    let ended = tokio::time::timeout(give_up, async {
        loop {
            tokio::select! {
                read = s.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(_) => answered = true,
                },
                _ = tokio::time::sleep(Duration::from_millis(300)), if i % 4 < 2 => {
                    if s.write_all(b"x").await.is_err() {
                        return;
                    }
                }
            }
        }
    })
    .await;
    match (ended, answered) {
        (Err(_), _) => Slow::StillOpen,
        (Ok(()), true) => Slow::ServedThenClosed,
        (Ok(()), false) => Slow::Closed,
    }
}

/// Sends good beacon `i` on a fresh connection until it gets a 202 (a refused
/// connection is retried); returns the attempts it took, or `None` if it never did.
async fn good_beacon(base: &str, i: usize) -> Option<usize> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for attempt in 1..=1_000 {
        let sent = http
            .post(format!("{base}/api/event"))
            .header("content-type", "text/plain")
            .header("user-agent", CHROME_WIN)
            .header("x-forwarded-for", ip(i as u32))
            .body(good_body(i))
            .send()
            .await;
        match sent.map(|r| r.status().as_u16()) {
            Ok(202) => return Some(attempt),
            Ok(status) => panic!("good beacon {i} got {status}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_slow_connections_cannot_hold_the_node() {
    const CAP: usize = 2_000;
    const SLOW: usize = 20_000;
    const GOOD: usize = 1_000;
    /// The node's peak resident memory must stay under this: 2,000 connections of
    /// 64 KiB buffers at most (125 MiB) over a node of about 75 MiB, with room.
    const RSS_BOUND_KIB: u64 = 320 * 1024;
    let files = raise_open_files();
    // Sockets this test holds at once: leave a few thousand files to the tests running
    // beside it in this process. 20,000 are opened in all either way.
    let hold = files.saturating_sub(4_000).clamp(1, SLOW);
    eprintln!("slow connections: open-file limit {files}, at most {hold} held at once");
    let node = Node::start(
        "slow_connections",
        &[
            ("PARCOURS_MAX_CONNECTIONS", "2000"),
            ("PARCOURS_HEADER_TIMEOUT_SECONDS", "2"),
            ("PARCOURS_RATE_LIMIT_PER_SECOND", "0"),
        ],
    )
    .await;
    let pid = node.child.id();
    let baseline = open_files(pid);
    let overflows_before = listen_overflows();
    let started = Instant::now();
    // The node's open files, sampled while the flood lasts.
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        tokio::task::spawn_blocking(move || {
            let mut most = 0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                most = most.max(open_files(pid));
                std::thread::sleep(Duration::from_millis(20));
            }
            most
        })
    };
    let mut good = tokio::task::JoinSet::new();
    for w in 0..8 {
        let base = node.base.clone();
        good.spawn(async move {
            let mut attempts = Vec::new();
            for i in (w..GOOD).step_by(8) {
                attempts.push((i, good_beacon(&base, i).await));
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            attempts
        });
    }
    let slots = Arc::new(tokio::sync::Semaphore::new(hold));
    let mut slow = tokio::task::JoinSet::new();
    for i in 0..SLOW {
        let permit = slots.clone().acquire_owned().await.unwrap();
        let addr = node.addr;
        slow.spawn(async move {
            let outcome = slow_client(addr, i).await;
            drop(permit);
            (["trickle", "trickle", "idle", "big_header"][i % 4], outcome)
        });
    }
    let mut outcomes: HashMap<(&str, Slow), usize> = HashMap::new();
    while let Some(o) = slow.join_next().await {
        *outcomes.entry(o.unwrap()).or_default() += 1;
    }
    let flood = started.elapsed();
    let mut landed = HashMap::new();
    while let Some(w) = good.join_next().await {
        landed.extend(w.unwrap());
    }
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let most_files = sampler.await.unwrap();
    let refused = sample(&node.metrics().await, "parcours_connections_refused_total ");
    let accepted: Vec<usize> = landed.values().filter_map(|a| *a).collect();
    let first_try = accepted.iter().filter(|a| **a == 1).count();
    let retries: usize = accepted.iter().map(|a| a - 1).sum();
    let stored = wait_for_rows(&node.store, accepted.len() as u64).await;
    let rows = rows_by_path(&node.store).await;
    let peak = node.status_kib("VmHWM:");
    let overflows = listen_overflows().saturating_sub(overflows_before);
    let mut report: Vec<_> = outcomes.iter().collect();
    report.sort();
    eprintln!(
        "slow connections: {SLOW} in {:.1} s ({report:?}; listen queue overflows on this machine meanwhile: {overflows}); node: {refused} refused, at most {most_files} files open (idle {baseline}, cap {CAP}), peak RSS {} MiB (bound {} MiB); good beacons: {} of {GOOD} got 202 ({first_try} at the first try, {retries} refused connections retried), {stored} rows stored",
        flood.as_secs_f64(),
        peak / 1024,
        RSS_BOUND_KIB / 1024,
        accepted.len(),
    );
    // The cap held: never more connections than it allows (plus the node's own files:
    // ClickHouse connections, the spool, the listener).
    assert!(
        most_files <= baseline + CAP + 32,
        "{most_files} files open, cap {CAP}"
    );
    assert!(refused > 0, "no connection refused over the cap");
    // Timeouts closed every slow connection; none held its slot.
    let count = |what: Slow| -> usize {
        outcomes
            .iter()
            .filter(|((_, o), _)| *o == what)
            .map(|(_, n)| n)
            .sum()
    };
    assert_eq!(count(Slow::StillOpen), 0, "{outcomes:?}");
    assert!(count(Slow::ConnectFailed) < SLOW / 100, "{outcomes:?}");
    // Every good beacon answered 202 is stored, once.
    assert_eq!(accepted.len(), GOOD, "good beacons never accepted");
    assert_eq!(stored, GOOD as u64);
    for i in 0..GOOD {
        assert_eq!(
            rows.get(&format!("/{}", marker(i))),
            Some(&1),
            "{}",
            marker(i)
        );
    }
    assert!(peak < RSS_BOUND_KIB, "node peak RSS {peak} KiB");
    node.stop();
}
