//! What the marketer dashboard calls: comparisons and time series of
//! `POST /api/v2/query`, the longer date ranges, sites and keys, the installation check
//! and property keys.

use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use parcours::store::events::{self, EventRow};
use parcours::store::{keys, sites};
use serde_json::{json, Value};

use crate::support::*;

/// Today in the test site's time zone.
fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
}

/// A started server with [`SITE`] and a key for it.
async fn start(test: &str) -> (TestServer, String) {
    let t = TestServer::start(test, |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    (t, key)
}

/// `[first, last]` of an answer's `meta` field.
fn dates(answer: &Value, field: &str) -> (String, String) {
    let d = |i: usize| answer["meta"][field][i].as_str().unwrap_or("").to_owned();
    (d(0), d(1))
}

fn pair(first: NaiveDate, last: NaiveDate) -> (String, String) {
    (first.to_string(), last.to_string())
}

#[tokio::test]
async fn comparison_periods_and_longer_date_ranges() {
    let (t, key) = start("dash_periods").await;
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let compared = |comparisons: Value| {
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": ["2026-11-16", "2026-11-22"],
               "include": {"comparisons": comparisons}})
    };
    // Monday 16 to Sunday 22 November 2026.
    let cases = [
        (
            json!({"mode": "previous_period"}),
            ("2026-11-09", "2026-11-15"),
        ),
        (
            json!({"mode": "year_over_year"}),
            ("2025-11-16", "2025-11-22"),
        ),
        // 52 weeks back: Monday 17 to Sunday 23 November 2025.
        (
            json!({"mode": "year_over_year", "match_day_of_week": true}),
            ("2025-11-17", "2025-11-23"),
        ),
        (
            json!({"mode": "custom", "date_range": ["2026-01-05", "2026-01-11"]}),
            ("2026-01-05", "2026-01-11"),
        ),
    ];
    for (comparisons, want) in cases {
        let a = ask_ok(&t, &key, compared(comparisons.clone())).await;
        assert_eq!(
            dates(&a, "comparison_date_range"),
            pair(d(want.0), d(want.1)),
            "{comparisons}"
        );
        assert_eq!(a["meta"]["visitor_ids"], "daily");
        assert_eq!(
            a["results"][0]["comparison"],
            json!({"dimensions": [], "metrics": [0], "change": [null]}),
            "{comparisons}"
        );
    }
    // Ten days (Friday to Sunday) matched by weekday go back two whole weeks.
    let mut body = compared(json!({"mode": "previous_period", "match_day_of_week": true}));
    body["date_range"] = json!(["2026-11-13", "2026-11-22"]);
    let a = ask_ok(&t, &key, body).await;
    assert_eq!(
        dates(&a, "comparison_date_range"),
        pair(d("2026-10-30"), d("2026-11-08"))
    );
    for bad in [
        json!({"mode": "custom"}),
        json!({"mode": "previous_period", "date_range": "7d"}),
        json!({"mode": "last_week"}),
        json!({"mode": "custom", "date_range": ["2026-01-11", "2026-01-05"]}),
    ] {
        let (status, answer) = ask(&t, &key, compared(bad.clone())).await;
        assert_eq!(status, 400, "{bad} -> {answer}");
    }
    let (status, answer) = ask(&t, &key, json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d", "include": {"time_labels": true}})).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("time dimension"));

    // The site's own days (Europe/Paris) for the named periods.
    let today = today();
    let month = today.with_day(1).unwrap();
    let period = |name: &str| json!({"site_id": SITE, "metrics": ["visitors"], "date_range": name});
    let a = ask_ok(&t, &key, period("last_month")).await;
    assert_eq!(
        dates(&a, "date_range"),
        pair(month - Months::new(1), month - Days::new(1))
    );
    let a = ask_ok(&t, &key, period("12mo")).await;
    assert_eq!(
        dates(&a, "date_range"),
        pair(month - Months::new(11), today)
    );
    let a = ask_ok(&t, &key, period("6mo")).await;
    assert_eq!(dates(&a, "date_range"), pair(month - Months::new(5), today));
    let a = ask_ok(&t, &key, period("28d")).await;
    assert_eq!(dates(&a, "date_range"), pair(today - Days::new(27), today));
    let (status, answer) = ask(&t, &key, period("fortnight")).await;
    assert_eq!(status, 400);
    assert!(
        answer["error"].as_str().unwrap().contains("last_month"),
        "{answer}"
    );
    // Every endpoint with a date range takes them.
    let (status, answer) = post_api(
        &t,
        &key,
        "/api/v2/funnel",
        json!({"site_id": SITE, "date_range": "last_month",
               "steps": [{"name": "A", "page": "/a"}, {"name": "B", "page": "/b"}]}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["meta"]["visitor_ids"], "daily");
    t.running.shutdown().await;
}

/// `n` visitors (ids from `first_id`) on `day` at noon UTC, each with `pages` pageviews
/// a minute apart.
fn visitors(site_id: u32, day: NaiveDate, first_id: u64, n: u64, pages: u32) -> Vec<EventRow> {
    let noon = day.and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp() as u32;
    (0..n)
        .flat_map(|v| {
            (0..pages).map(move |p| EventRow {
                site_id,
                timestamp: noon + 60 * p + v as u32,
                visitor_id: first_id + v,
                name: "pageview".into(),
                hostname: SITE.into(),
                pathname: format!("/p{p}"),
                channel: "Direct".into(),
                ..Default::default()
            })
        })
        .collect()
}

#[tokio::test]
async fn a_zero_filled_series_lined_up_with_the_compared_period() {
    let (t, key) = start("dash_series").await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let id = site.site_id;
    let base = today() - Days::new(20);
    let day = |back: u64| base - Days::new(back);
    // The period: 5 days, base-4 ..= base. Buckets: 6 visitors (one page each), none,
    // 3 and 2 (both under k = 5, together exactly 5: no shown bucket folds), and 7
    // (two pages each).
    // The previous period, base-9 ..= base-5: none, 4 and 1 (hidden), 5 and 10.
    let mut rows = Vec::new();
    for (back, n, pages) in [
        (4, 6, 1),
        (2, 3, 1),
        (1, 2, 1),
        (0, 7, 2),
        (8, 4, 1),
        (7, 1, 1),
        (6, 5, 1),
        (5, 10, 1),
    ] {
        rows.extend(visitors(id, day(back), 1000 * (back + 1), n, pages));
    }
    events::insert(&t.store, &rows).await.unwrap();
    let body = |labels: bool| {
        json!({"site_id": SITE, "metrics": ["visitors", "pageviews", "bounce_rate"],
               "date_range": [day(4).to_string(), base.to_string()], "dimensions": ["time:day"],
               "include": {"time_labels": labels, "comparisons": {"mode": "previous_period"}}})
    };
    let a = ask_ok(&t, &key, body(true)).await;
    let labels: Vec<String> = (0..5).rev().map(|b| day(b).to_string()).collect();
    let compared: Vec<String> = (5..10).rev().map(|b| day(b).to_string()).collect();
    assert_eq!(a["meta"]["time_labels"], json!(labels), "{a}");
    assert_eq!(a["meta"]["comparison_time_labels"], json!(compared), "{a}");
    assert_eq!(
        (
            &a["meta"]["suppressed_groups"],
            &a["meta"]["comparison_suppressed_groups"]
        ),
        (&json!(2), &json!(2)),
        "{a}"
    );
    let want = [
        // An empty compared bucket is zeros, and no change can be told from zero.
        (
            json!([6, 6, 100]),
            json!([0, 0, 0]),
            json!([null, null, null]),
        ),
        // An empty bucket beside a hidden one.
        (json!([0, 0, 0]), Value::Null, Value::Null),
        (Value::Null, Value::Null, Value::Null),
        (Value::Null, json!([5, 5, 100]), Value::Null),
        // Percent changes, and the bounce rate's in points.
        (
            json!([7, 14, 0]),
            json!([10, 10, 100]),
            json!([-30.0, 40.0, -100.0]),
        ),
    ];
    let results = a["results"].as_array().unwrap();
    assert_eq!(results.len(), 5, "{a}");
    for (i, (r, (metrics, then, change))) in results.iter().zip(want).enumerate() {
        assert_eq!(r["dimensions"], json!([labels[i]]), "{r}");
        assert_eq!(r["metrics"], metrics, "{r}");
        assert_eq!(
            r["comparison"],
            json!({"dimensions": [compared[i]], "metrics": then, "change": change}),
            "{r}"
        );
    }

    // Without time labels: the shown buckets and (other), matched the same way.
    let a = ask_ok(&t, &key, body(false)).await;
    let rows: Vec<(Value, Value)> = a["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["dimensions"].clone(), r["comparison"].clone()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                json!([labels[0]]),
                json!({"dimensions": [compared[0]], "metrics": null, "change": null})
            ),
            (
                json!([labels[4]]),
                json!({"dimensions": [compared[4]], "metrics": [10, 10, 100],
                       "change": [-30.0, 40.0, -100.0]})
            ),
            (
                json!(["(other)"]),
                json!({"dimensions": ["(other)"], "metrics": [5, 5, 100], "change": [0.0, 0.0, 0.0]})
            ),
        ],
        "{a}"
    );
    assert!(a["meta"].get("time_labels").is_none());

    // Weeks: whole calendar weeks, so a range starting mid-week starts on its Monday.
    let week = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": [day(9).to_string(), base.to_string()],
                      "dimensions": ["time:week"], "include": {"time_labels": true}});
    let a = ask_ok(&t, &key, week).await;
    let first = day(9) - Days::new(u64::from(day(9).weekday().num_days_from_monday()));
    assert_eq!(a["meta"]["time_labels"][0], json!(first.to_string()), "{a}");
    assert_eq!(
        a["results"].as_array().unwrap().len(),
        a["meta"]["time_labels"].as_array().unwrap().len(),
        "{a}"
    );
    t.running.shutdown().await;
}

/// Calls an API path with a method, an API key and an optional JSON body; returns the
/// status and the JSON answer.
async fn call(
    t: &TestServer,
    method: reqwest::Method,
    key: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = t
        .http
        .request(method, format!("{}{path}", t.base))
        .bearer_auth(key);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn get(t: &TestServer, key: &str, path: &str) -> (u16, Value) {
    call(t, reqwest::Method::GET, key, path, None).await
}

async fn patch(t: &TestServer, key: &str, body: Value) -> (u16, Value) {
    call(t, reqwest::Method::PATCH, key, "/api/v2/sites", Some(body)).await
}

#[tokio::test]
async fn sites_settings_and_new_keys() {
    let (t, key) = start("dash_sites").await;
    let other = sites::add(&t.store, "autre-clinique.fr", "Europe/Paris")
        .await
        .unwrap();
    let other_key = keys::create(&t.store, other.site_id).await.unwrap();
    t.running.refresh().await.unwrap();

    // A key lists its own site only, with every setting.
    let (status, a) = get(&t, &key, "/api/v2/sites").await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        a,
        json!({"sites": [{
            "domain": SITE, "site_id": SITE, "role": "owner", "timezone": "Europe/Paris", "min_group_size": 5,
            "retention_months": 25, "sensitive_paths": [], "query_allow": [], "partner_domains": [],
            "hosts": [], "respect_dnt": false, "city_enabled": true, "consented_journeys": false,
        }]})
    );
    assert_eq!(get(&t, "pk_nope", "/api/v2/sites").await.0, 401);
    let (_, a) = get(&t, &other_key, "/api/v2/sites").await;
    assert_eq!(a["sites"][0]["domain"], "autre-clinique.fr");

    // Valid changes answer the site as it now is, and queries follow at once.
    let (status, a) = patch(
        &t,
        &key,
        json!({"site_id": SITE, "min_group_size": 10, "sensitive_paths": ["/pathologies/**"],
               "respect_dnt": true, "partner_domains": ["WWW.Cabinet-Dr-Lefevre.fr"],
               "query_allow": ["Lang"], "timezone": "America/Montreal", "retention_months": 13}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let changed = json!({
        "domain": SITE, "site_id": SITE, "role": "owner", "timezone": "America/Montreal", "min_group_size": 10,
        "retention_months": 13, "sensitive_paths": ["/pathologies/**"], "query_allow": ["lang"],
        "partner_domains": ["cabinet-dr-lefevre.fr"], "hosts": [], "respect_dnt": true, "city_enabled": true,
        "consented_journeys": false,
    });
    assert_eq!(a, changed);
    assert_eq!(get(&t, &key, "/api/v2/sites").await.1["sites"][0], changed);
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day"});
    let a = ask_ok(&t, &key, q.clone()).await;
    assert_eq!(
        (&a["meta"]["min_group_size"], &a["meta"]["time_zone"]),
        (&json!(10), &json!("America/Montreal"))
    );
    // Only what is given changes.
    let (status, a) = patch(&t, &key, json!({"site_id": SITE, "city_enabled": false})).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["city_enabled"].clone(), a["min_group_size"].clone()),
        (json!(false), json!(10))
    );

    // Invalid values are refused with the reason, and change nothing.
    for (bad, why) in [
        (json!({"min_group_size": 1}), "min_group_size"),
        (json!({"timezone": "Mars/Olympus"}), "time zone"),
        (json!({"sensitive_paths": ["pathologies"]}), "/"),
        (json!({"query_allow": ["a b"]}), "query key"),
        (json!({"retention_months": 0}), "retention_months"),
        (json!({"min_group_size": -3}), "min_group_size"),
        (json!({"respect_dnt": "yes"}), "respect_dnt"),
        (json!({"consented_journeys": true}), "consented_journeys"),
        (json!({"domain": "x.fr"}), "domain"),
    ] {
        let mut body = bad.clone();
        body["site_id"] = json!(SITE);
        let (status, a) = patch(&t, &key, body).await;
        assert_eq!(status, 400, "{bad} -> {a}");
        let error = a["error"].as_str().unwrap();
        assert!(error.contains(why), "{bad} -> {error}");
    }
    let (status, _) = patch(&t, &key, json!({"min_group_size": 6})).await;
    assert_eq!(status, 400);
    let (status, _) = patch(
        &t,
        &key,
        json!({"site_id": "autre-clinique.fr", "min_group_size": 6}),
    )
    .await;
    assert_eq!(status, 404);
    let (_, a) = get(&t, &key, "/api/v2/sites").await;
    assert_eq!(a["sites"][0]["min_group_size"], 10, "{a}");
    assert_eq!(a["sites"][0]["timezone"], "America/Montreal", "{a}");

    // A new key opens the same site, and only it.
    let (status, a) = post_api(&t, &key, "/api/v2/keys", json!({"site_id": SITE})).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["site_id"], SITE);
    let new_key = a["key"].as_str().unwrap().to_owned();
    assert!(new_key.starts_with("pk_") && new_key != key, "{a}");
    ask_ok(&t, &new_key, q).await;
    assert_eq!(
        get(&t, &new_key, "/api/v2/sites").await.1["sites"][0]["domain"],
        SITE
    );
    let (status, _) = post_api(
        &t,
        &key,
        "/api/v2/keys",
        json!({"site_id": "autre-clinique.fr"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post_api(&t, "pk_nope", "/api/v2/keys", json!({"site_id": SITE})).await;
    assert_eq!(status, 401);
    let (status, _) = post_api(
        &t,
        &key,
        "/api/v2/keys",
        json!({"site_id": SITE, "admin": true}),
    )
    .await;
    assert_eq!(status, 400);

    // With consented journeys, every answer that states the visitor-id lifetime says
    // so in its code too.
    let site = sites::find(&t.store, SITE).await.unwrap().unwrap();
    parcours::visitor::consent::enable(&t.store, site.site_id)
        .await
        .unwrap();
    t.running.refresh().await.unwrap();
    let (_, a) = get(&t, &key, "/api/v2/sites").await;
    assert_eq!(a["sites"][0]["consented_journeys"], true, "{a}");
    let goal = json!({"site_id": SITE, "name": "Booked", "event_name": "Booking"});
    assert_eq!(post_api(&t, &key, "/api/v2/goals", goal).await.0, 200);
    for (path, body) in [
        (
            "/api/v2/query",
            json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "7d"}),
        ),
        (
            "/api/v2/funnel",
            json!({"site_id": SITE, "date_range": "7d",
                                  "steps": [{"name": "A", "page": "/a"}, {"name": "B", "goal": "Booked"}]}),
        ),
        (
            "/api/v2/journeys",
            json!({"site_id": SITE, "date_range": "7d", "mode": "paths_to", "goal": "Booked"}),
        ),
        (
            "/api/v2/attribution",
            json!({"site_id": SITE, "date_range": "7d", "goal": "Booked"}),
        ),
    ] {
        let (status, a) = post_api(&t, &key, path, body).await;
        assert_eq!(status, 200, "{path}: {a}");
        assert_eq!(
            (&a["meta"]["visitor_ids"], &a["meta"]["visitor_id_lifetime"]),
            (
                &json!("daily_and_consented"),
                &json!("1 day; longer for visitors who consented")
            ),
            "{path}: {a}"
        );
    }
    t.running.shutdown().await;
}

/// Posts a beacon naming `domain` as visitor `i`, with extra headers; returns the status.
async fn beacon_for(
    t: &TestServer,
    domain: &str,
    i: u32,
    ua: &str,
    headers: &[(&str, &str)],
) -> u16 {
    let body = json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": domain});
    let mut r = t
        .http
        .post(format!("{}/api/event", t.base))
        .header("content-type", "text/plain")
        .header("x-forwarded-for", ip(i))
        .header("user-agent", ua);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const BOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// `(domain, reason, count)` of an installation check's drops, sorted.
fn drops(a: &Value) -> Vec<(String, String, u64)> {
    let mut out: Vec<(String, String, u64)> = a["recent_drops"]
        .as_array()
        .unwrap_or_else(|| panic!("no drops: {a}"))
        .iter()
        .map(|d| {
            assert!(d["last_at"].as_str().unwrap().ends_with('Z'), "{d}");
            (
                d["domain"].as_str().unwrap().to_owned(),
                d["reason"].as_str().unwrap().to_owned(),
                d["count"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_installation_check_sees_a_test_visit_and_recent_drops() {
    let (t, key) = start("dash_install").await;
    let shop = sites::add(&t.store, "shop.clinique-exemple.fr", "Europe/Paris")
        .await
        .unwrap();
    let shop_key = keys::create(&t.store, shop.site_id).await.unwrap();
    let changes = sites::SiteSettings {
        respect_dnt: Some(true),
        ..Default::default()
    };
    sites::update(&t.store, SITE, &changes).await.unwrap();
    t.running.refresh().await.unwrap();
    let check = |key: String, site: &'static str| {
        let t = &t;
        async move {
            let (status, a) = get(t, &key, &format!("/api/v2/install_check?site_id={site}")).await;
            assert_eq!(status, 200, "{a}");
            a
        }
    };
    let a = check(key.clone(), SITE).await;
    assert_eq!(
        (
            &a["events_last_5_minutes"],
            &a["events_last_30_minutes"],
            &a["last_event_at"],
            &a["recent_drops"]
        ),
        (&json!(0), &json!(0), &Value::Null, &json!([])),
        "{a}"
    );
    assert_eq!(a["meta"]["buffer_flush_seconds"], json!(0.05), "{a}");

    // One test visit moves the counts.
    assert_eq!(t.pageview("/", &ip(1), CHROME_WIN).await, 202);
    assert_eq!(t.wait_rows(1).await, 1);
    let a = check(key.clone(), SITE).await;
    assert_eq!(
        (
            &a["events_last_5_minutes"],
            &a["pageviews_last_5_minutes"],
            &a["events_last_30_minutes"]
        ),
        (&json!(1), &json!(1), &json!(1)),
        "{a}"
    );
    let last = chrono::DateTime::parse_from_rfc3339(a["last_event_at"].as_str().unwrap()).unwrap();
    assert!(
        (Utc::now() - last.with_timezone(&Utc)).num_seconds() < 60,
        "{a}"
    );

    // Beacons not stored: a crawler on www., a browser asking not to be tracked in
    // capitals, a subdomain nobody registered (twice), a domain nobody registered, and a
    // crawler on another tenant's subdomain.
    assert_eq!(
        beacon_for(&t, "www.clinique-exemple.fr", 2, BOT, &[]).await,
        202
    );
    assert_eq!(
        beacon_for(&t, "CLINIQUE-EXEMPLE.FR", 3, CHROME_WIN, &[("dnt", "1")]).await,
        202
    );
    for i in 4..6 {
        assert_eq!(
            beacon_for(&t, "blog.clinique-exemple.fr", i, CHROME_WIN, &[]).await,
            202
        );
    }
    assert_eq!(
        beacon_for(&t, "autre-domaine.fr", 6, CHROME_WIN, &[]).await,
        202
    );
    assert_eq!(
        beacon_for(&t, "shop.clinique-exemple.fr", 7, BOT, &[]).await,
        202
    );
    let a = check(key.clone(), SITE).await;
    let own = |d: &str, r: &str, n: u64| (d.to_owned(), r.to_owned(), n);
    assert_eq!(
        drops(&a),
        vec![
            own("blog.clinique-exemple.fr", "unknown_site", 2),
            own("clinique-exemple.fr", "bot", 1),
            own("clinique-exemple.fr", "do_not_track", 1),
        ],
        "{a}"
    );
    assert!(!a.to_string().contains(&ip(2)), "{a}");
    // The other tenant sees its own drop, and none of the parent site's.
    let a = check(shop_key.clone(), "shop.clinique-exemple.fr").await;
    assert_eq!(
        drops(&a),
        vec![own("shop.clinique-exemple.fr", "bot", 1)],
        "{a}"
    );
    assert_eq!(a["events_last_5_minutes"], 0);
    assert_eq!(count_rows(&t.store).await, 1);

    assert_eq!(
        get(
            &t,
            "pk_nope",
            &format!("/api/v2/install_check?site_id={SITE}")
        )
        .await
        .0,
        401
    );
    assert_eq!(
        get(
            &t,
            &shop_key,
            &format!("/api/v2/install_check?site_id={SITE}")
        )
        .await
        .0,
        404
    );
    let (status, a) = get(&t, &key, "/api/v2/install_check").await;
    assert_eq!(status, 400, "{a}");
    assert!(a["error"].is_string(), "{a}");
    t.running.shutdown().await;
}

/// Posts an event with properties for visitor `i`.
async fn event_with(t: &TestServer, i: u32, name: &str, props: Value) {
    let body = json!({"n": name, "u": format!("https://{SITE}/rdv"), "d": SITE, "p": props});
    let (status, text) = t.beacon(&body.to_string(), &ip(i), CHROME_WIN).await;
    assert_eq!(status, 202, "{text}");
}

#[tokio::test]
async fn property_keys_most_visitors_first_rare_ones_left_out() {
    let (t, key) = start("dash_props").await;
    // 6 visitors book with a specialty and a doctor (one of them twice); 5 read pages in
    // a language; 2 carry a rare key.
    for i in 0..6 {
        event_with(
            &t,
            i,
            "Booking",
            json!({"specialty": "cardio", "doctor": "dr-x"}),
        )
        .await;
    }
    event_with(&t, 0, "Booking", json!({"specialty": "dermato"})).await;
    for i in 10..15 {
        event_with(&t, i, "pageview", json!({"lang": "fr"})).await;
    }
    for i in 20..22 {
        event_with(&t, i, "pageview", json!({"rare": 1})).await;
    }
    assert_eq!(t.wait_rows(14).await, 14);
    let list = |query: String| {
        let (t, key) = (&t, key.clone());
        async move {
            let (status, a) = get(
                t,
                &key,
                &format!("/api/v2/properties?site_id={SITE}{query}"),
            )
            .await;
            assert_eq!(status, 200, "{query} -> {a}");
            a
        }
    };
    let a = list(String::new()).await;
    assert_eq!(
        a["properties"],
        json!([{"key": "doctor", "visitors": 6}, {"key": "specialty", "visitors": 6}, {"key": "lang", "visitors": 5}]),
        "{a}"
    );
    assert_eq!(
        (&a["meta"]["suppressed_keys"], &a["meta"]["min_group_size"]),
        (&json!(1), &json!(5))
    );
    assert_eq!(a["meta"]["date_range"][1], json!(today().to_string()));
    let a = list("&date_range=day&event=Booking".into()).await;
    assert_eq!(
        a["properties"],
        json!([{"key": "doctor", "visitors": 6}, {"key": "specialty", "visitors": 6}]),
        "{a}"
    );
    assert_eq!(a["meta"]["suppressed_keys"], 0);
    let a = list("&event=pageview".into()).await;
    assert_eq!(
        a["properties"],
        json!([{"key": "lang", "visitors": 5}]),
        "{a}"
    );
    let past = today() - Days::new(40);
    let a = list(format!("&date_range={past},{past}")).await;
    assert_eq!(a["properties"], json!([]), "{a}");
    // A larger minimum group size hides more.
    let changes = sites::SiteSettings {
        min_group_size: Some(6),
        ..Default::default()
    };
    sites::update(&t.store, SITE, &changes).await.unwrap();
    t.running.refresh().await.unwrap();
    let a = list("&date_range=7d".into()).await;
    assert_eq!(
        (
            a["properties"].as_array().unwrap().len(),
            &a["meta"]["suppressed_keys"]
        ),
        (2, &json!(2)),
        "{a}"
    );
    let long = "e".repeat(200);
    for bad in [
        "&date_range=fortnight",
        "&date_range=2026-01-02,2026-01-01",
        "&page=/",
        &format!("&event={long}"),
    ] {
        let (status, a) = get(&t, &key, &format!("/api/v2/properties?site_id={SITE}{bad}")).await;
        assert_eq!(status, 400, "{bad} -> {a}");
        assert!(a["error"].is_string(), "{a}");
    }
    t.running.shutdown().await;
}
