//! Hostile traffic: beacons from hosts that are not the site's, bodies built to break a
//! parser, and thousands of slow connections. The node must answer every bad request
//! with a clean 4xx, store every good beacon once, and stay within its bounds.

use parcours::store::{keys, sites};
use serde_json::{json, Value};

use crate::support::{count_rows, ip, TestServer, CHROME_WIN, SITE};

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
    let metrics = t
        .http
        .get(format!("{}/metrics", t.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
