//! `POST /api/v2/query` against known traffic.

use crate::support::*;
use parcours::store::{keys, sites};
use serde_json::{json, Value};

#[tokio::test]
async fn totals_pages_and_minimum_group_size() {
    let t = TestServer::start("query_pages", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    // 8 visitors see /a then /b; 3 see /rare-1; 1 sees /rare-2 (twice).
    for i in 0..8 {
        t.pageview("/a", &ip(i), CHROME_WIN).await;
        t.pageview("/b", &ip(i), CHROME_WIN).await;
    }
    for i in 10..13 {
        t.pageview("/rare-1", &ip(i), CHROME_WIN).await;
    }
    t.pageview("/rare-2", &ip(20), CHROME_WIN).await;
    t.pageview("/rare-2", &ip(20), CHROME_WIN).await;
    assert_eq!(t.wait_rows(21).await, 21);
    let (status, totals) = ask(&t, &key, json!({"site_id": SITE, "metrics": ["visitors", "visits", "pageviews"], "date_range": "day"})).await;
    assert_eq!(status, 200, "{totals}");
    assert_eq!(totals["results"][0]["metrics"], json!([12, 12, 21]));
    let (_, pages) = ask(&t, &key, json!({"site_id": SITE, "metrics": ["visitors", "pageviews"], "date_range": "7d", "dimensions": ["event:page"]})).await;
    let rows: Vec<(String, Value)> = pages["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["dimensions"][0].as_str().unwrap().to_owned(),
                r["metrics"].clone(),
            )
        })
        .collect();
    // /rare-1 (3) and /rare-2 (1) fold into (other) with 4 visitors < 5, so the
    // smallest shown page (/b, 8) folds too: (other) = 12 visitors.
    assert_eq!(
        rows,
        vec![
            ("/a".into(), json!([8, 8])),
            ("(other)".into(), json!([12, 13]))
        ],
        "{pages}"
    );
    assert_eq!(pages["meta"]["min_group_size"], 5);
    assert_eq!(pages["meta"]["suppressed_groups"], 3);
    t.running.shutdown().await;
}

#[tokio::test]
async fn auth_and_bad_queries() {
    let t = TestServer::start("query_auth", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    let other = sites::add(&t.store, "autre-clinique.fr", "Europe/Paris")
        .await
        .unwrap();
    let other_key = keys::create(&t.store, other.site_id).await.unwrap();
    t.running.refresh().await.unwrap();
    let q = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day"});
    assert_eq!(ask(&t, "pk_nope", q.clone()).await.0, 401);
    assert_eq!(ask(&t, &other_key, q.clone()).await.0, 403);
    assert_eq!(ask(&t, &key, q).await.0, 200);
    for bad in [
        json!({"site_id": SITE, "metrics": ["visitors'; DROP TABLE events; --"], "date_range": "day"}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "fortnight"}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": ["2026-01-01' OR 1=1", "2026-01-02"]}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day", "dimensions": ["event:page\\'"]}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day", "filters": [["is", "event:page'); DROP TABLE events; --", ["/a"]]]}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day", "filters": [["like", "event:page", ["/a"]]]}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day", "filters": [["is", "event:page", "/a"]]}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day", "order_by": [["nope", "desc"]]}),
    ] {
        let (status, body) = ask(&t, &key, bad.clone()).await;
        assert_eq!(status, 400, "{bad} -> {body}");
        assert!(body["error"].is_string());
    }
    t.running.shutdown().await;
}
