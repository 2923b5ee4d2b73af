//! Analytics queries within bounds: heavy queries cut at their limits while another
//! site's cheap query answers, a dropped client's statements gone from ClickHouse,
//! `date_range: "all"` from the site's first day, paged lists, saved-definition caps.
//!
//! Durations are printed, never asserted.

use std::time::{Duration, Instant};

use crate::support::*;
use parcours::store::{keys, sites, Store};
use serde_json::{json, Value};

/// Events of `site_id` over the 60 days before today (none today): `n` rows, 5,000
/// per day, with some 50,000 pages and 30,000 referrers, so that a breakdown by page,
/// referrer and entry page has about as many groups as rows.
async fn seed(store: &Store, site_id: u32, n: u64) {
    let today = chrono::Utc::now()
        .date_naive()
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp();
    store
        .client()
        .query(
            "INSERT INTO events (site_id, timestamp, visitor_id, name, hostname, pathname, \
             referrer, referrer_source, channel) \
             SELECT ?, toDateTime(? - (1 + intDiv(number, 5000) % 60) * 86400 + (number % 5000) * 17), \
             sipHash64(number % 20000, intDiv(number, 5000) % 60), 'pageview', ?, \
             concat('/p/', toString(cityHash64(number) % 50000)), \
             concat('https://r', toString(number % 30000), '.example/'), \
             concat('r', toString(number % 30000)), 'Referral' FROM numbers(?)",
        )
        .bind(site_id)
        .bind(today)
        .bind(SITE)
        .bind(n)
        .execute()
        .await
        .unwrap();
}

/// This process's resident memory, in bytes.
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Statements of requests on this database running in ClickHouse.
async fn running(store: &Store) -> u64 {
    store
        .client()
        .query("SELECT count() FROM system.processes WHERE query_id LIKE ?")
        .bind(format!("parcours-{}-%", store.database()))
        .fetch_one()
        .await
        .unwrap()
}

fn heavy() -> Value {
    json!({
        "site_id": SITE,
        "metrics": ["visitors", "pageviews"],
        "date_range": "all",
        "dimensions": ["event:page", "visit:referrer", "visit:entry_page"],
    })
}

#[tokio::test]
async fn heavy_queries_are_cut_and_a_dropped_clients_queries_killed() {
    let t = TestServer::start("bounds_heavy", |c| {
        c.materialize_seconds = 3_600;
        c.queries.max_execution_seconds = 4;
        c.queries.max_result_rows = 5_000;
        c.queries.per_site = 4;
        c.queries.global = 8;
        c.queries.queue_ms = 300;
    })
    .await;
    let heavy_site = sites::list(&t.store).await.unwrap().remove(0);
    let other = sites::add(&t.store, "autre-clinique.fr", "Europe/Paris")
        .await
        .unwrap();
    t.running.refresh().await.unwrap();
    let key = keys::create(&t.store, heavy_site.site_id).await.unwrap();
    let other_key = keys::create(&t.store, other.site_id).await.unwrap();
    // A second node on the same database whose limits allow a slow query, started
    // before the data so that neither node's start-up build has days to build.
    let mut cfg = config("bounds_heavy_loose");
    cfg.clickhouse.database = t.store.database().to_owned();
    cfg.materialize_seconds = 3_600;
    cfg.queries.max_execution_seconds = 120;
    cfg.queries.max_result_rows = 10_000_000;
    let node = parcours::server::start(cfg, t.store.clone()).await.unwrap();
    let started = Instant::now();
    seed(&t.store, heavy_site.site_id, 300_000).await;
    println!("seeded 300,000 events in {:?}", started.elapsed());
    for i in 0..6 {
        let body =
            json!({"n": "pageview", "u": "https://autre-clinique.fr/", "d": "autre-clinique.fr"});
        t.beacon(&body.to_string(), &ip(i), CHROME_WIN).await;
    }
    t.wait_rows(300_006).await;
    let cheap = json!({"site_id": "autre-clinique.fr", "metrics": ["visitors", "pageviews"], "date_range": "day"});
    let timed = |body: Value, key: String| {
        let http = t.http.clone();
        let url = format!("{}/api/v2/query", t.base);
        async move {
            let at = Instant::now();
            let r = http
                .post(url)
                .bearer_auth(key)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let answer: Value = r.json().await.unwrap_or(Value::Null);
            (status, answer, at.elapsed())
        }
    };
    let (status, _, alone) = timed(cheap.clone(), other_key.clone()).await;
    assert_eq!(status, 200);

    // Four expensive all-time queries at once, and the other site's cheap query while
    // they run.
    let heavies: Vec<_> = (0..4)
        .map(|_| tokio::spawn(timed(heavy(), key.clone())))
        .collect();
    // A fifth finds the site's four slots taken for longer than it may wait.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = t
        .http
        .post(format!("{}/api/v2/query", t.base))
        .bearer_auth(&key)
        .json(&heavy())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "busy");
    // Peaks while they run: ClickHouse's memory for this database's statements, and
    // this process's resident memory (the node runs in it).
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let store = t.store.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let (mut ch, mut rss) = (0u64, 0u64);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let m: i64 = store
                    .client()
                    .query("SELECT toInt64(sum(memory_usage)) FROM system.processes WHERE query_id LIKE ?")
                    .bind(format!("parcours-{}-%", store.database()))
                    .fetch_one()
                    .await
                    .unwrap_or(0);
                ch = ch.max(m.max(0) as u64);
                rss = rss.max(resident_bytes());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (ch, rss)
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, answer, beside) = timed(cheap.clone(), other_key.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][0]["metrics"], json!([6, 6]));
    let mut cut = Vec::new();
    for h in heavies {
        let (status, answer, took) = h.await.unwrap();
        assert_eq!(status, 422, "a heavy query is cut at a limit: {answer}");
        assert_eq!(answer["code"], "query_too_heavy", "{answer}");
        assert!(
            answer["error"].as_str().is_some_and(|e| !e.contains("/p/")),
            "{answer}"
        );
        let said = answer["error"].as_str().unwrap_or("").split(';').next();
        cut.push((status, took, said.unwrap_or("").to_owned()));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (ch, rss) = sampler.await.unwrap();
    println!(
        "cheap query of another site: {alone:?} alone, {beside:?} beside four heavy ones; \
         heavy ones: {cut:?}; peaks while they ran: ClickHouse {} MB for them, \
         test process (node) {} MB resident",
        ch / 1_000_000,
        rss / 1_000_000
    );
    let metrics = t.metrics().await;
    assert!(
        metrics.contains("parcours_queries_cut_total{reason="),
        "{metrics}"
    );
    assert!(
        metrics.contains("parcours_queries_refused_total{reason=\"site\"} 1"),
        "{metrics}"
    );
    assert_eq!(running(&t.store).await, 0);
    t.running.shutdown().await;

    // The same data through the node whose limits allow a slow query: its client
    // leaves after 2.5 s, and its statements must go from ClickHouse.
    let base = format!("http://{}", node.addr);
    let http = reqwest::Client::new();
    let slow = {
        let http = http.clone();
        let key = key.clone();
        let url = format!("{base}/api/v2/query");
        tokio::spawn(async move {
            let mut body = heavy();
            body["metrics"] = json!(["visitors", "pageviews", "bounce_rate", "visit_duration"]);
            http.post(url)
                .bearer_auth(key)
                .json(&body)
                .timeout(Duration::from_millis(2_500))
                .send()
                .await
        })
    };
    let mut seen = false;
    for _ in 0..40 {
        if running(&t.store).await > 0 {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen, "the slow query never showed in system.processes");
    // The client leaves as soon as its statement runs: waiting for its timeout raced
    // the statement's own end on a fast machine (the first pass done, the fold cut).
    slow.abort();
    let left = Instant::now();
    assert!(slow.await.is_err_and(|e| e.is_cancelled()));
    let mut gone = None;
    for _ in 0..300 {
        if running(&t.store).await == 0 {
            gone = Some(left.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let gone = gone.expect("the dropped client's statements still run after 15 s");
    println!("a dropped client's statements left system.processes {gone:?} after it left");
    let metrics = metrics_at(&base).await;
    assert!(
        metrics.contains("parcours_queries_cancelled_total 1"),
        "{metrics}"
    );
    node.shutdown().await;
}

#[tokio::test]
async fn all_time_starts_on_the_sites_first_day() {
    let t = TestServer::start("bounds_all_time", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    let ask_all = || {
        ask_ok(
            &t,
            &key,
            json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "all"}),
        )
    };
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    // No events: all time is today.
    let a = ask_all().await;
    assert_eq!(a["meta"]["date_range"][0], today.to_string(), "{a}");
    assert_eq!(a["results"][0]["metrics"], json!([0]));
    let first = chrono::Utc::now() - chrono::Duration::days(40);
    t.store
        .client()
        .query(
            "INSERT INTO events (site_id, timestamp, visitor_id, name, pathname) \
             VALUES (?, toDateTime(?), 1, 'pageview', '/')",
        )
        .bind(site.site_id)
        .bind(first.timestamp())
        .execute()
        .await
        .unwrap();
    let a = ask_all().await;
    let first_day = first.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    assert_eq!(a["meta"]["date_range"][0], first_day.to_string(), "{a}");
    assert_eq!(a["meta"]["date_range"][1], today.to_string(), "{a}");
    assert_eq!(a["results"][0]["metrics"], json!([1]));
    t.running.shutdown().await;
}

#[tokio::test]
async fn lists_are_paged_and_saved_definitions_capped() {
    let t = TestServer::start("bounds_lists", |c| c.queries.max_saved_per_site = 3).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    for i in 0..3 {
        let (status, a) = post_api(
            &t,
            &key,
            "/api/v2/goals",
            json!({"site_id": SITE, "name": format!("G{i}"), "page": format!("/g{i}")}),
        )
        .await;
        assert_eq!(status, 200, "{a}");
    }
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/goals",
        json!({"site_id": SITE, "name": "G3", "page": "/g3"}),
    )
    .await;
    assert_eq!(status, 409, "{a}");
    assert!(a["error"].as_str().unwrap().contains("most allowed"), "{a}");
    // Replacing one of the same name is no new goal.
    let (status, _) = post_api(
        &t,
        &key,
        "/api/v2/goals",
        json!({"site_id": SITE, "name": "G1", "page": "/g1b"}),
    )
    .await;
    assert_eq!(status, 200);
    let get = |q: &str| {
        let url = format!("{}/api/v2/goals?site_id={SITE}{q}", t.base);
        let http = t.http.clone();
        let key = key.clone();
        async move {
            let r = http.get(url).bearer_auth(key).send().await.unwrap();
            r.json::<Value>().await.unwrap()
        }
    };
    let a = get("&limit=2").await;
    assert_eq!(a["goals"].as_array().unwrap().len(), 2, "{a}");
    assert_eq!(a["pagination"]["has_more"], true);
    assert_eq!(a["pagination"]["next_offset"], 2);
    let a = get("&limit=2&offset=2").await;
    assert_eq!(a["goals"].as_array().unwrap().len(), 1, "{a}");
    assert_eq!(a["pagination"]["has_more"], false);

    // Attribution rows: 12 sources of 5 visitors each, two per page.
    for i in 0..60u32 {
        let body = json!({"n": "pageview", "u": format!("https://{SITE}/g0"), "d": SITE,
            "r": format!("https://source{}.example/", i % 12)});
        t.beacon(&body.to_string(), &ip(i), CHROME_WIN).await;
    }
    t.wait_rows(60).await;
    let ask = |offset: u64| {
        post_api(
            &t,
            &key,
            "/api/v2/attribution",
            json!({"site_id": SITE, "date_range": "day", "goal": "G0", "dimension": "visit:source",
                "pagination": {"limit": 5, "offset": offset}}),
        )
    };
    let (status, a) = ask(0).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["results"].as_array().unwrap().len(), 5, "{a}");
    assert_eq!(a["meta"]["pagination"]["total"], 12, "{a}");
    assert_eq!(a["meta"]["pagination"]["next_offset"], 5, "{a}");
    let (_, a) = ask(10).await;
    assert_eq!(a["results"].as_array().unwrap().len(), 2, "{a}");
    assert_eq!(a["meta"]["pagination"]["has_more"], false, "{a}");
    t.running.shutdown().await;
}

#[tokio::test]
async fn a_long_tail_of_groups_folds_without_exceeding_the_query_size() {
    let t = TestServer::start("bounds_long_tail", |c| c.materialize_seconds = 3_600).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    let yesterday = chrono::Utc::now().timestamp() / 86_400 * 86_400 - 86_400;
    // 10,000 pages of 5 visitors (shown) and 10,000 of one (folded into `(other)`):
    // naming either list takes some 500 kB, twice ClickHouse's default max_query_size.
    t.store
        .client()
        .query(
            "INSERT INTO events (site_id, timestamp, visitor_id, name, hostname, pathname) \
             SELECT ?, toDateTime(? + number % 80000), sipHash64(number), 'pageview', ?, \
             concat('/articles/a-rather-long-title-for-page-number-', \
                    toString(if(number < 50000, number % 10000, number))) FROM numbers(60000)",
        )
        .bind(site.site_id)
        .bind(yesterday)
        .bind(SITE)
        .execute()
        .await
        .unwrap();
    let started = Instant::now();
    let a = ask_ok(
        &t,
        &key,
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d",
            "dimensions": ["event:page"], "pagination": {"limit": 10, "offset": 9995}}),
    )
    .await;
    println!("20,000 pages folded in {:?}", started.elapsed());
    assert_eq!(a["meta"]["total_rows"], 10_001, "{}", a["meta"]);
    assert_eq!(a["meta"]["suppressed_groups"], 10_000);
    let rows = a["results"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5]["dimensions"][0], "(other)");
    assert_eq!(rows[5]["metrics"], json!([10_000]));
    assert_eq!(a["meta"]["pagination"]["has_more"], false);
    t.running.shutdown().await;
}
