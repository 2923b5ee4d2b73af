//! What ops read on `/metrics`: the families a node exports after real traffic, the
//! untrusted-proxy warning, and the Grafana dashboard's metric names against a real
//! `/metrics` output.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use parcours::metrics::{Outcome, Reason};
use parcours::store::{keys, migrations, sites};
use serde_json::{json, Value};

use crate::lifecycle::{free_port, parcours, stop, wait_http};
use crate::support::*;

/// The content type of OpenMetrics text, which prometheus-client renders.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// `/metrics` of the node at `base`: its content type and text.
async fn scrape(base: &str) -> (String, String) {
    let r = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(r.status(), 200);
    let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
    (content_type, r.text().await.unwrap())
}

/// Every sample of an exposition, by its name with labels (`name{a="b"}`).
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let (key, value) = l.rsplit_once(' ')?;
            Some((key.to_owned(), value.parse().ok()?))
        })
        .collect()
}

/// The value of one sample; fails the test if it is missing.
fn value(samples: &BTreeMap<String, f64>, key: &str) -> f64 {
    *samples
        .get(key)
        .unwrap_or_else(|| panic!("{key} missing from /metrics: {samples:#?}"))
}

/// Every series name an exposition can have, from its `# TYPE` lines: a family with no
/// sample yet (no label set created) still has one, and its suffixes follow its type.
fn series_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("# TYPE ") else {
            continue;
        };
        let Some((name, kind)) = rest.split_once(' ') else {
            continue;
        };
        let suffixes: &[&str] = match kind {
            "counter" => &["_total", "_created"],
            "histogram" => &["_bucket", "_sum", "_count", "_created"],
            "summary" => &["", "_sum", "_count", "_created"],
            "info" => &["_info"],
            _ => &[""],
        };
        for s in suffixes {
            names.insert(format!("{name}{s}"));
        }
    }
    names
}

#[tokio::test]
async fn ops_metrics_are_exported_after_traffic() {
    let t = TestServer::start("ops_metrics", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    let n = 6;
    for i in 0..n {
        // Sent with X-Forwarded-For from loopback, which this config trusts.
        assert_eq!(t.pageview("/a", &ip(i), CHROME_WIN).await, 202);
    }
    assert_eq!(t.wait_rows(u64::from(n)).await, u64::from(n));
    let js = t
        .http
        .get(format!("{}/js/parcours.js", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day"});
    assert_eq!(ask(&t, &key, q).await.0, 200);
    let (status, _) = post_api(&t, &key, "/api/v2/realtime", json!({"site_id": SITE})).await;
    assert_eq!(status, 200);
    // A path that could name a condition: counted under `other`, never by itself.
    let missing = t
        .http
        .get(format!("{}/maladies/diabete", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // The visitor-days job runs at start; its first run sets the lag.
    let mut lag = -1.0;
    for _ in 0..100 {
        lag = value(
            &samples(&scrape(&t.base).await.1),
            "parcours_derived_lag_seconds",
        );
        if lag >= 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (content_type, text) = scrape(&t.base).await;
    assert_eq!(content_type, OPENMETRICS);
    assert!(text.ends_with("# EOF\n"));
    assert!(!text.contains("diabete"), "a raw path in the labels");
    let s = samples(&text);
    let v = |key: &str| value(&s, key);
    assert!(v(r#"parcours_http_requests_total{route="event",status="202"}"#) >= f64::from(n));
    assert!(v(r#"parcours_http_requests_total{route="script",status="200"}"#) >= 1.0);
    assert!(v(r#"parcours_http_requests_total{route="stats_api",status="200"}"#) >= 2.0);
    assert!(v(r#"parcours_http_requests_total{route="other",status="404"}"#) >= 1.0);
    assert!(v(r#"parcours_http_requests_total{route="metrics",status="200"}"#) >= 1.0);
    assert!(v(r#"parcours_http_request_seconds_count{route="event"}"#) >= f64::from(n));
    assert!(v(r#"parcours_http_request_seconds_sum{route="event"}"#) > 0.0);
    assert!(v(r#"parcours_query_seconds_count{endpoint="stats"}"#) >= 1.0);
    assert!(v(r#"parcours_query_seconds_count{endpoint="realtime"}"#) >= 1.0);
    assert!(v("parcours_insert_seconds_count") >= 1.0);
    assert!(v(r#"parcours_insert_seconds_bucket{le="+Inf"}"#) >= 1.0);
    assert!(v("parcours_resident_memory_bytes") > 1e6);
    let salt_age = v("parcours_salt_age_seconds");
    assert!((0.0..86_400.0).contains(&salt_age), "salt age {salt_age}");
    assert!((0.0..86_400.0 + 60.0).contains(&lag), "derived lag {lag}");
    assert_eq!(v("parcours_spool_files"), 0.0);
    assert_eq!(v("parcours_spool_bytes"), 0.0);
    // Loopback is a trusted proxy here: its X-Forwarded-For is expected.
    assert_eq!(v("parcours_untrusted_forwarded_total"), 0.0);
    println!(
        "resident {:.1} MiB, salt age {salt_age} s, derived lag {lag} s, event p-sum {:.4} s over {} requests",
        v("parcours_resident_memory_bytes") / 1048576.0,
        v(r#"parcours_http_request_seconds_sum{route="event"}"#),
        v(r#"parcours_http_request_seconds_count{route="event"}"#),
    );
    t.running.shutdown().await;
}

#[tokio::test]
async fn forwarded_headers_from_an_untrusted_peer_are_counted_and_warned_once() {
    let store = store("ops_untrusted").await;
    migrations::migrate(&store).await.unwrap();
    sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    let port = free_port();
    let data = tempfile::tempdir().unwrap();
    // No PARCOURS_TRUSTED_PROXIES: a node put behind a proxy and left at the default.
    let child = parcours(
        &["serve"],
        &[
            ("PARCOURS_CLICKHOUSE_URL", clickhouse_url()),
            ("PARCOURS_CLICKHOUSE_DATABASE", store.database().to_owned()),
            ("PARCOURS_LISTEN", format!("127.0.0.1:{port}")),
            ("PARCOURS_DATA_DIR", data.path().display().to_string()),
            (
                "PARCOURS_GEOIP_DB",
                fixture("geoip-test.mmdb").display().to_string(),
            ),
            ("PARCOURS_RATE_LIMIT_PER_SECOND", "0".into()),
        ],
    );
    let base = format!("http://127.0.0.1:{port}");
    assert!(
        wait_http(&format!("{base}/ready"), Duration::from_secs(30)).await,
        "server not ready"
    );
    let http = reqwest::Client::new();
    let body = json!({"n": "pageview", "u": format!("https://{SITE}/a"), "d": SITE}).to_string();
    let headers = [
        ("x-forwarded-for", "203.0.113.51"),
        ("forwarded", "for=203.0.113.52"),
        ("x-real-ip", "203.0.113.53"),
    ];
    let sent = 30;
    for i in 0..sent {
        let (name, value) = headers[i % headers.len()];
        let r = http
            .post(format!("{base}/api/event"))
            .header(name, value)
            .header("user-agent", CHROME_WIN)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    let (_, text) = scrape(&base).await;
    let counted = value(&samples(&text), "parcours_untrusted_forwarded_total");
    assert_eq!(counted, sent as f64);
    let (status, logs) = stop(child).await;
    assert!(status.success(), "{logs}");
    let warnings: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("PARCOURS_TRUSTED_PROXIES"))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "one warning a minute, not one per request:\n{logs}"
    );
    println!("{sent} requests counted; logged once: {}", warnings[0]);
    for (_, value) in headers {
        let ip = value.trim_start_matches("for=");
        assert!(
            !logs.contains(ip),
            "{ip} (a visitor's address) logged:\n{logs}"
        );
    }
}

/// Every `expr` in a Grafana dashboard, wherever it sits (panels, rows, templating).
fn expressions(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("expr" | "query", Value::String(s)) => out.push(s.clone()),
                    _ => expressions(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| expressions(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn grafana_dashboard_uses_only_exported_metrics() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/grafana/parcours.json");
    let dashboard: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .expect("the dashboard is JSON");
    assert_eq!(dashboard["__inputs"][0]["name"], "DS_PROMETHEUS");
    let panels = dashboard["panels"].as_array().unwrap();
    let mut exprs = Vec::new();
    expressions(&dashboard, &mut exprs);
    assert!(panels.len() >= 15, "{} panels", panels.len());
    let t = TestServer::start("ops_grafana", |_| {}).await;
    // prometheus-client leaves a family out of the text until its first label set:
    // traffic makes the request and query ones, and the failures' ones are made here
    // so that every family the code registers is in the text.
    let key = keys::create(&t.store, sites::list(&t.store).await.unwrap()[0].site_id)
        .await
        .unwrap();
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day"});
    assert_eq!(ask(&t, &key, q).await.0, 200);
    let m = &t.running.state.metrics;
    m.insert_failed("clickhouse_network");
    m.dropped("unknown_site");
    m.rejected("malformed");
    m.queries_refused
        .get_or_create(&Reason { reason: "node" })
        .inc_by(0);
    m.queries_cut
        .get_or_create(&Reason { reason: "time" })
        .inc_by(0);
    m.signins
        .get_or_create(&Outcome { outcome: "failed" })
        .inc_by(0);
    let (_, text) = scrape(&t.base).await;
    let exported = series_names(&text);
    let name = regex::Regex::new(r"\bparcours_[a-z0-9_]+").unwrap();
    let mut used = BTreeSet::new();
    for e in &exprs {
        for m in name.find_iter(e) {
            used.insert(m.as_str().to_owned());
        }
    }
    let unknown: Vec<&String> = used.iter().filter(|n| !exported.contains(*n)).collect();
    assert!(
        unknown.is_empty(),
        "the dashboard uses metrics /metrics does not export: {unknown:?}"
    );
    assert!(used.len() >= 20, "{used:?}");
    println!(
        "{} expressions use {} series, all exported",
        exprs.len(),
        used.len()
    );
    t.running.shutdown().await;
}
