//! `POST /api/event` end to end: beacons over HTTP, rows read back from ClickHouse.

use std::time::Duration;

use crate::support::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, clickhouse::Row)]
struct Enriched {
    visitor_id: u64,
    name: String,
    hostname: String,
    pathname: String,
    referrer: String,
    referrer_source: String,
    channel: String,
    utm_source: String,
    utm_medium: String,
    utm_campaign: String,
    country: String,
    region: String,
    city: String,
    browser: String,
    browser_version: String,
    os: String,
    device: String,
    prop_keys: Vec<String>,
    prop_values: Vec<String>,
}

async fn enriched(store: &parcours::store::Store) -> Vec<Enriched> {
    store
        .client()
        .query(
            "SELECT visitor_id, name, hostname, pathname, referrer, referrer_source, channel, \
                    utm_source, utm_medium, utm_campaign, toString(country_code) AS country, region, city, \
                    browser, browser_version, os, toString(device) AS device, prop_keys, prop_values \
             FROM events ORDER BY timestamp, timestamp_ms, pathname",
        )
        .fetch_all()
        .await
        .unwrap()
}

#[tokio::test]
async fn enrichment_fields_for_known_ip_ua_and_referrer() {
    let t = TestServer::start("enrichment", |_| {}).await;
    let body = serde_json::json!({
        "n": "pageview",
        "u": format!("https://www.{SITE}/symptomes/douleur-au-genou?utm_source=newsletter&utm_medium=email&utm_campaign=novembre&session=abc"),
        "d": SITE,
        "r": "https://mail.google.com/mail/u/0/?q=secret",
    });
    assert_eq!(
        t.beacon(&body.to_string(), "81.2.69.160", CHROME_WIN)
            .await
            .0,
        202
    );
    let body = serde_json::json!({
        "n": "pageview", "u": format!("https://{SITE}/medecins/dr-claire-martin"), "d": SITE,
        "r": "https://www.google.fr/search?q=genou",
    });
    assert_eq!(
        t.beacon(&body.to_string(), "81.2.69.160", IPHONE).await.0,
        202
    );
    let body = serde_json::json!({
        "n": "Booking Confirmed", "u": format!("https://{SITE}/prendre-rendez-vous"), "d": SITE,
        "p": {"specialty": "cardiologie", "slot": 3},
    });
    assert_eq!(
        t.beacon(&body.to_string(), "81.2.69.160", IPHONE).await.0,
        202
    );
    assert_eq!(t.wait_rows(3).await, 3);
    let rows = enriched(&t.store).await;
    // Found by path: beacons in one millisecond have no defined order.
    let by_path = |p: &str| rows.iter().find(|r| r.pathname == p).unwrap();
    let first = by_path("/symptomes/douleur-au-genou");
    assert_eq!(first.hostname, SITE);
    assert_eq!(first.pathname, "/symptomes/douleur-au-genou");
    assert_eq!(
        (
            first.utm_source.as_str(),
            first.utm_medium.as_str(),
            first.utm_campaign.as_str()
        ),
        ("newsletter", "email", "novembre")
    );
    assert_eq!(
        first.channel, "Email",
        "UTM takes precedence over the referrer"
    );
    assert_eq!(
        first.referrer, "mail.google.com/mail/u/0",
        "referrer query dropped"
    );
    assert_eq!(first.country, "GB");
    assert_eq!(first.region, "England");
    assert_eq!(first.city, "London");
    assert_eq!(first.browser, "Chrome");
    assert_eq!(first.browser_version, "130");
    assert_eq!(first.os, "Windows");
    assert_eq!(first.device, "desktop");
    let second = by_path("/medecins/dr-claire-martin");
    assert_eq!(second.referrer_source, "Google");
    assert_eq!(second.channel, "Organic Search");
    assert_eq!(second.device, "mobile");
    assert_eq!(second.os, "iOS");
    let third = by_path("/prendre-rendez-vous");
    assert_eq!(third.name, "Booking Confirmed");
    assert_eq!(third.prop_keys, vec!["specialty", "slot"]);
    assert_eq!(third.prop_values, vec!["cardiologie", "3"]);
    assert_eq!(
        second.visitor_id, third.visitor_id,
        "same visitor, same day, same id"
    );
    assert_ne!(
        first.visitor_id, second.visitor_id,
        "same IP, other user agent: other visitor"
    );
    t.running.shutdown().await;
}

#[tokio::test]
async fn malformed_beacon_gets_400_and_the_good_ones_land() {
    let t = TestServer::start("malformed", |_| {}).await;
    let good = |i: u32| {
        serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/p/{i}"), "d": SITE})
            .to_string()
    };
    let bad = [
        "{not json".to_owned(),
        r#"{"n":"pageview","d":"clinique-exemple.fr"}"#.to_owned(),
        format!(r#"{{"n":"pageview","u":"ftp://{SITE}/","d":"{SITE}"}}"#),
        format!(r#"{{"n":"pageview","u":"https://{SITE}/","d":"{SITE}","p":{{"a":[1]}}}}"#),
    ];
    // Bad beacons interleaved with good ones from the same and other clients.
    for i in 0..20u32 {
        assert_eq!(t.beacon(&good(i), &ip(i), FIREFOX_LINUX).await.0, 202);
        if let Some(b) = bad.get(i as usize % 5) {
            let (status, body) = t.beacon(b, &ip(i), FIREFOX_LINUX).await;
            assert_eq!(status, 400, "{b}");
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(json["error"].as_str().unwrap().len() > 5, "{body}");
        }
    }
    assert_eq!(t.wait_rows(20).await, 20);
    t.running.shutdown().await;
}

#[tokio::test]
async fn limits_unknown_sites_and_bots() {
    let t = TestServer::start("limits", |c| c.ingest.max_body_bytes = 1024).await;
    let big = serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": SITE, "p": {"x": "y".repeat(2000)}});
    assert_eq!(t.beacon(&big.to_string(), &ip(1), CHROME_WIN).await.0, 413);
    let unknown =
        serde_json::json!({"n": "pageview", "u": "https://other.example/", "d": "other.example"});
    assert_eq!(
        t.beacon(&unknown.to_string(), &ip(1), CHROME_WIN).await.0,
        202
    );
    assert_eq!(
        t.pageview(
            "/",
            &ip(2),
            "Googlebot/2.1 (+http://www.google.com/bot.html)"
        )
        .await,
        202
    );
    assert_eq!(t.pageview("/", &ip(3), "curl/8.5.0").await, 202);
    assert_eq!(t.pageview("/ok", &ip(4), CHROME_WIN).await, 202);
    assert_eq!(
        t.wait_rows(1).await,
        1,
        "only the real visitor's pageview is stored"
    );
    let metrics = t.metrics().await;
    assert!(
        metrics.contains(r#"parcours_events_dropped_total{reason="unknown_site"} 1"#),
        "{metrics}"
    );
    // Bots are counted by kind: Googlebot a crawler, curl an HTTP library.
    for reason in ["bot_crawler", "bot_http_library"] {
        assert!(
            metrics.contains(&format!(
                r#"parcours_events_dropped_total{{reason="{reason}"}} 1"#
            )),
            "{reason}: {metrics}"
        );
    }
    assert!(
        metrics.contains(r#"parcours_beacons_rejected_total{reason="too_large"} 1"#),
        "{metrics}"
    );
    t.running.shutdown().await;
}

#[tokio::test]
async fn referrer_spam_and_bot_kinds_are_counted_not_stored() {
    let t = TestServer::start("referrer_spam", |_| {}).await;
    let with_referrer = |path: &str, referrer: &str| {
        serde_json::json!({"n": "pageview", "u": format!("https://{SITE}{path}"), "d": SITE, "r": referrer})
            .to_string()
    };
    // On Matomo's list, as a host and as a subdomain of a listed host.
    for (i, r) in ["https://semalt.com/", "http://www.darodar.com/x?y=z"]
        .iter()
        .enumerate()
    {
        let (status, _) = t
            .beacon(&with_referrer("/", r), &ip(i as u32), CHROME_WIN)
            .await;
        assert_eq!(status, 202, "dropped silently: {r}");
    }
    // One bot of each named kind.
    let bots = [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    ];
    for (i, ua) in bots.iter().enumerate() {
        assert_eq!(t.pageview("/", &ip(10 + i as u32), ua).await, 202, "{ua}");
    }
    // A real referrer and a person in Instagram's in-app browser are kept.
    let instagram = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
        (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone15,2; iOS 17_5; fr_FR; fr; \
        scale=3.00; 1179x2556; 606558290)";
    let kept = with_referrer("/kept", "https://www.google.com/");
    assert_eq!(t.beacon(&kept, &ip(20), CHROME_WIN).await.0, 202);
    assert_eq!(t.pageview("/insta", &ip(21), instagram).await, 202);
    assert_eq!(t.wait_rows(2).await, 2);
    let rows = enriched(&t.store).await;
    let mut paths: Vec<&str> = rows.iter().map(|r| r.pathname.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/insta", "/kept"], "only the two people are stored");

    let metrics = t.metrics().await;
    for (reason, n) in [
        ("referrer_spam", 2),
        ("bot_ai_agent", 1),
        ("bot_link_preview", 1),
        ("bot_monitor", 1),
        ("bot_headless", 1),
    ] {
        let line = format!(r#"parcours_events_dropped_total{{reason="{reason}"}} {n}"#);
        assert!(metrics.contains(&line), "{line}: {metrics}");
    }
    t.running.shutdown().await;
}

#[tokio::test]
async fn rate_limit_answers_429_per_client() {
    let t = TestServer::start("rate_limit", |c| {
        c.ingest.rate_limit_per_second = 1;
        c.ingest.rate_limit_burst = 3;
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(t.pageview("/", &ip(1), CHROME_WIN).await);
    }
    assert_eq!(&statuses[..3], &[202, 202, 202]);
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    assert_eq!(
        t.pageview("/", &ip(2), CHROME_WIN).await,
        202,
        "another client is not limited"
    );
    t.running.shutdown().await;
}

#[tokio::test]
async fn cors_and_health_endpoints() {
    let t = TestServer::start("endpoints", |_| {}).await;
    let r = t
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/api/event", t.base))
        .header("origin", "https://clinique-exemple.fr")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        t.http
            .get(format!("{}/health", t.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let ready: serde_json::Value = t
        .http
        .get(format!("{}/ready", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["ready"], true, "{ready}");
    t.running.shutdown().await;
}

#[tokio::test]
async fn tracker_script_is_served_with_etag_and_the_pixel_records_a_pageview() {
    let t = TestServer::start("tracker_assets", |_| {}).await;
    let r = t
        .http
        .get(format!("{}/js/parcours.js", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/javascript; charset=utf-8"
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(r.text().await.unwrap(), parcours::tracker::PARCOURS_JS);
    let again = t
        .http
        .get(format!("{}/js/parcours.js", t.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(
        t.http
            .get(format!("{}/js/parcours.auto.js", t.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        t.http
            .get(format!("{}/js/other.js", t.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let pixel = t
        .http
        .get(format!("{}/api/event?d={SITE}", t.base))
        .header("referer", format!("https://{SITE}/sans-javascript?token=x"))
        .header("user-agent", CHROME_WIN)
        .header("x-forwarded-for", ip(3))
        .send()
        .await
        .unwrap();
    assert_eq!(pixel.status(), 200);
    assert_eq!(pixel.headers()["content-type"], "image/gif");
    assert_eq!(t.wait_rows(1).await, 1);
    let (name, path): (String, String) = t
        .store
        .client()
        .query("SELECT name, pathname FROM events")
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(
        (name.as_str(), path.as_str()),
        ("pageview", "/sans-javascript")
    );
    t.running.shutdown().await;
}

#[tokio::test]
async fn slow_clients_cannot_hold_the_node() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestServer::start("slow_clients", |c| {
        c.max_connections = 20;
        c.header_timeout_seconds = 1;
    })
    .await;
    let addr = t.running.addr;
    // Sixty clients open connections and trickle half a header line, then wait.
    let mut slow = Vec::new();
    for _ in 0..60 {
        if let Ok(mut s) = tokio::net::TcpStream::connect(addr).await {
            let _ = s.write_all(b"POST /api/event HTTP/1.1\r\nHo").await;
            slow.push(s);
        }
    }
    // Within the header timeout every one of them is closed by the node.
    let started = std::time::Instant::now();
    for s in &mut slow {
        let mut buf = [0u8; 256];
        let closed = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await;
        assert!(closed.is_ok(), "a slow connection still open");
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    // Good beacons beside them land, once each.
    for i in 0..5 {
        assert_eq!(t.pageview("/", &ip(i), CHROME_WIN).await, 202);
    }
    assert_eq!(t.wait_rows(5).await, 5);
    let metrics = t.metrics().await;
    let refused: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("parcours_connections_refused_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        refused >= 40,
        "{refused} connections refused over the cap of 20"
    );
    t.running.shutdown().await;
}
