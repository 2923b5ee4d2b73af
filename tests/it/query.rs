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
    assert_eq!(ask(&t, &other_key, q.clone()).await.0, 404);
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

/// Posts a beacon for visitor `i` (its own address).
async fn hit(t: &TestServer, i: u32, name: &str, path: &str, referrer: &str, props: Value) {
    let body = json!({"n": name, "u": format!("https://{SITE}{path}"), "d": SITE, "r": referrer, "p": props});
    let (status, text) = t.beacon(&body.to_string(), &ip(i), CHROME_WIN).await;
    assert_eq!(status, 202, "{text}");
    // Events of one visitor in the same millisecond have no order to keep.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
}

/// `(dimension values joined by " | ", metrics)` of each result row.
fn rows(answer: &Value) -> Vec<(String, Value)> {
    answer["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {answer}"))
        .iter()
        .map(|r| {
            let dims: Vec<&str> = r["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
                .collect();
            (dims.join(" | "), r["metrics"].clone())
        })
        .collect()
}

#[tokio::test]
async fn filters_goals_content_groups_and_hostile_input() {
    let t = TestServer::start("query_filters", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    let google = "https://www.google.com/";
    let facebook = "https://www.facebook.com/";
    // 6 from search read a symptom then a doctor; 5 from Facebook read another symptom
    // and book; 2 come direct to a page whose name needs quoting.
    for i in 0..6 {
        hit(&t, i, "pageview", "/symptomes/a", google, json!({})).await;
        hit(&t, i, "pageview", "/medecins/x", "", json!({})).await;
    }
    for i in 10..15 {
        hit(&t, i, "pageview", "/symptomes/b", facebook, json!({})).await;
        hit(
            &t,
            i,
            "Booking Confirmed",
            "/symptomes/b",
            "",
            json!({"specialty": "cardiologie"}),
        )
        .await;
    }
    for i in 20..22 {
        hit(&t, i, "pageview", "/l'espace", "", json!({})).await;
    }
    assert_eq!(t.wait_rows(24).await, 24);
    assert_eq!(
        post_api(
            &t,
            &key,
            "/api/v2/goals",
            json!({"site_id": SITE, "name": "Booked", "event_name": "Booking Confirmed"})
        )
        .await
        .0,
        200
    );
    assert_eq!(post_api(&t, &key, "/api/v2/content_groups", json!({"site_id": SITE, "name": "Symptômes", "patterns": ["/symptomes/**"], "position": 1})).await.0, 200);
    assert_eq!(
        post_api(
            &t,
            &key,
            "/api/v2/content_groups",
            json!({"site_id": SITE, "name": "Médecins", "patterns": ["/medecins/*"], "position": 2})
        )
        .await
        .0,
        200
    );
    let (status, bad) = post_api(
        &t,
        &key,
        "/api/v2/content_groups",
        json!({"site_id": SITE, "name": "x", "patterns": ["no-slash"]}),
    )
    .await;
    assert_eq!(status, 400, "{bad}");
    let q = |extra: Value| {
        let mut body =
            json!({"site_id": SITE, "metrics": ["visitors", "pageviews"], "date_range": "day"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    // Content groups: the 2 direct visitors' page is in no group and too small, so it
    // folds into (other) with the smallest group (complementary suppression).
    let a = ask_ok(&t, &key, q(json!({"dimensions": ["event:content_group"]}))).await;
    assert_eq!(
        rows(&a),
        vec![
            ("Symptômes".into(), json!([11, 11])),
            ("(other)".into(), json!([8, 8]))
        ],
        "{a}"
    );
    let a = ask_ok(
        &t,
        &key,
        q(json!({"filters": [["is", "visit:channel", ["Organic Search"]]]})),
    )
    .await;
    assert_eq!(rows(&a), vec![("".into(), json!([6, 12]))], "{a}");
    let a = ask_ok(
        &t,
        &key,
        q(json!({"filters": [["not", ["is", "visit:channel", ["Organic Search"]]]]})),
    )
    .await;
    assert_eq!(rows(&a), vec![("".into(), json!([7, 7]))], "{a}");
    let a = ask_ok(&t, &key, q(json!({"dimensions": ["event:page"], "filters": [["matches", "event:page", ["/symptomes/*"]]]}))).await;
    assert_eq!(
        rows(&a),
        vec![
            ("/symptomes/a".into(), json!([6, 6])),
            ("/symptomes/b".into(), json!([5, 5]))
        ],
        "{a}"
    );
    let a = ask_ok(&t, &key, json!({"site_id": SITE, "metrics": ["visitors", "events", "conversion_rate"], "date_range": "day", "dimensions": ["event:goal"]})).await;
    assert_eq!(
        rows(&a),
        vec![("Booked".into(), json!([5, 5, 38.46]))],
        "{a}"
    );
    let a = ask_ok(&t, &key, json!({"site_id": SITE, "metrics": ["events"], "date_range": "day", "dimensions": ["visit:channel", "event:props:specialty"]})).await;
    assert_eq!(
        rows(&a),
        vec![("Organic Social | cardiologie".into(), json!([5]))],
        "{a}"
    );
    let a = ask_ok(
        &t,
        &key,
        q(json!({"dimensions": ["event:page"], "filters": [["is", "event:page", ["/l'espace"]]]})),
    )
    .await;
    // Shown to nobody: 2 visitors are under the minimum group size, and so is (other).
    assert_eq!(rows(&a), vec![], "{a}");
    assert_eq!(a["meta"]["suppressed_groups"], 1);
    let a = ask_ok(
        &t,
        &key,
        q(json!({"include": {"comparisons": {"mode": "previous_period"}}})),
    )
    .await;
    assert_eq!(
        a["results"][0]["comparison"]["metrics"],
        json!([0, 0]),
        "{a}"
    );
    // Hostile values are plain text: they match nothing and break nothing.
    for filter in [
        json!([
            "is",
            "event:page",
            ["/x' OR 1=1 --", "\\", "'; DROP TABLE events; --"]
        ]),
        json!(["contains", "event:page", ["%", "_", "\\'"]]),
        json!(["matches", "visit:source", ["(.*", "[a-z]+", "\\d"]]),
        json!(["is", "event:props:a'b\\", ["x"]]),
        json!([
            "or",
            [
                ["is", "visit:referrer", ["' UNION SELECT 1 --"]],
                ["contains_not", "event:name", ["e"]]
            ]
        ]),
    ] {
        let a = ask_ok(&t, &key, q(json!({"filters": [filter]}))).await;
        assert_eq!(rows(&a), vec![("".into(), json!([0, 0]))], "{a}");
    }
    assert_eq!(count_rows(&t.store).await, 24);
    let many: Vec<String> = (0..1001).map(|i| format!("/p{i}")).collect();
    for bad in [
        json!({"filters": [["is", "event:page", many]]}),
        json!({"dimensions": ["event:props:"]}),
        json!({"dimensions": ["visit:channel'"]}),
        json!({"filters": [["is", "event:page", [{"$ne": 1}]]]}),
        json!({"dimensions": ["event:goal", "a", "b", "c"]}),
    ] {
        let (status, body) = ask(&t, &key, q(bad.clone())).await;
        assert_eq!(status, 400, "{bad} -> {body}");
    }
    t.running.shutdown().await;
}
