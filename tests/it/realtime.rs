//! `POST /api/v2/realtime` against beacons posted now, and "now" moved by the core
//! function to see the five-minute window open and close.

use crate::support::*;
use chrono::{Duration, Utc};
use parcours::store::keys;
use parcours::store::sites::{self, SiteSettings};
use serde_json::{json, Value};

/// Posts pageviews of `paths`, in order, for visitor `i`.
async fn visit(t: &TestServer, i: u32, paths: &[&str]) {
    for path in paths {
        assert_eq!(t.pageview(path, &ip(i), CHROME_WIN).await, 202);
        // A visitor's pageviews in the same millisecond would have no latest one.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
}

/// `(page, visitors)` of each row of an answer.
fn pages(answer: &Value) -> Vec<(String, u64)> {
    answer["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("no pages: {answer}"))
        .iter()
        .map(|p| {
            (
                p["page"].as_str().unwrap().to_owned(),
                p["visitors"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn rows(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(p, n)| ((*p).to_owned(), *n)).collect()
}

async fn set_min_group_size(t: &TestServer, k: u16) {
    let changes = SiteSettings {
        min_group_size: Some(k),
        ..Default::default()
    };
    sites::update(&t.store, SITE, &changes).await.unwrap();
    t.running.refresh().await.unwrap();
}

#[tokio::test]
async fn current_pages_small_groups_and_sensitive_pages() {
    let t = TestServer::start("realtime_pages", |_| {}).await;
    let changes = SiteSettings {
        sensitive_paths: Some(vec!["/pathologies/**".into()]),
        ..Default::default()
    };
    let site = sites::update(&t.store, SITE, &changes).await.unwrap();
    t.running.refresh().await.unwrap();
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    // 7 visitors read /x then /a (current page /a); 5 are on /b; 2 on /rare; 1 on
    // /rare-2; 6 on a sensitive page; 1 sent only a custom event.
    for i in 0..7 {
        visit(&t, i, &["/x", "/a"]).await;
    }
    for i in 10..15 {
        visit(&t, i, &["/b"]).await;
    }
    for i in 20..22 {
        visit(&t, i, &["/rare"]).await;
    }
    visit(&t, 30, &["/rare-2"]).await;
    for i in 40..46 {
        visit(&t, i, &["/pathologies/asthme"]).await;
    }
    let booking =
        json!({"n": "Booking Confirmed", "u": format!("https://{SITE}/booking"), "d": SITE});
    assert_eq!(
        t.beacon(&booking.to_string(), &ip(50), CHROME_WIN).await.0,
        202
    );
    assert_eq!(t.wait_rows(29).await, 29);

    let (status, a) = post_api(&t, &key, "/api/v2/realtime", json!({"site_id": SITE})).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["visitors"].as_u64(), a["pageviews"].as_u64()),
        (Some(22), Some(28)),
        "{a}"
    );
    // /rare (2), /rare-2 (1), the custom-event visitor (1) and the sensitive page
    // (6, large enough but never named) make (other).
    assert_eq!(
        pages(&a),
        rows(&[("/a", 7), ("/b", 5), ("(other)", 10)]),
        "{a}"
    );
    assert_eq!(
        a["meta"],
        json!({
            "window_seconds": 300,
            "from": a["meta"]["from"],
            "to": a["meta"]["to"],
            "min_group_size": 5,
            "suppressed_groups": 4,
        })
    );
    assert!(!a.to_string().contains("pathologies"), "{a}");

    // k = 6: /b (5) is hidden, and the sensitive page still is.
    set_min_group_size(&t, 6).await;
    let (_, a) = post_api(&t, &key, "/api/v2/realtime", json!({"site_id": SITE})).await;
    assert_eq!(pages(&a), rows(&[("/a", 7), ("(other)", 15)]), "{a}");
    assert!(!a.to_string().contains("pathologies"), "{a}");

    // Authorization and bad bodies as for /api/v2/query.
    let other = sites::add(&t.store, "autre-clinique.fr", "Europe/Paris")
        .await
        .unwrap();
    let other_key = keys::create(&t.store, other.site_id).await.unwrap();
    t.running.refresh().await.unwrap();
    let body = json!({"site_id": SITE});
    assert_eq!(
        post_api(&t, "pk_nope", "/api/v2/realtime", body.clone())
            .await
            .0,
        401
    );
    assert_eq!(
        post_api(&t, &other_key, "/api/v2/realtime", body).await.0,
        404
    );
    for bad in [json!({}), json!({"site_id": SITE, "window": 3600})] {
        let (status, answer) = post_api(&t, &key, "/api/v2/realtime", bad.clone()).await;
        assert_eq!(status, 400, "{bad} -> {answer}");
    }
    t.running.shutdown().await;
}

#[tokio::test]
async fn a_small_other_folds_shown_pages_and_the_window_closes() {
    let t = TestServer::start("realtime_window", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    for i in 0..8 {
        visit(&t, i, &["/a"]).await;
    }
    for i in 10..16 {
        visit(&t, i, &["/b"]).await;
    }
    for i in 20..23 {
        visit(&t, i, &["/c"]).await;
    }
    assert_eq!(t.wait_rows(17).await, 17);
    let ask_rt = || post_api(&t, &key, "/api/v2/realtime", json!({"site_id": SITE}));

    // (other) would be /c's 3 < 5, which the total would give away: /b folds in.
    let (_, a) = ask_rt().await;
    assert_eq!(pages(&a), rows(&[("/a", 8), ("(other)", 9)]), "{a}");
    assert_eq!(a["meta"]["suppressed_groups"], 2);
    assert_eq!(a["visitors"], 17);
    // No page reaches k = 10: everything is (other).
    set_min_group_size(&t, 10).await;
    let (_, a) = ask_rt().await;
    assert_eq!(pages(&a), rows(&[("(other)", 17)]), "{a}");
    // Not even everything reaches k = 18: no page at all, only the total.
    set_min_group_size(&t, 18).await;
    let (_, a) = ask_rt().await;
    assert_eq!(pages(&a), rows(&[]), "{a}");
    assert_eq!(
        (
            a["visitors"].as_u64(),
            a["meta"]["suppressed_groups"].as_u64()
        ),
        (Some(17), Some(3))
    );
    set_min_group_size(&t, 5).await;

    // The same answer from the core function, with "now" moved.
    let state = &t.running.state;
    let entry = state.sites.find(SITE).unwrap();
    let at = |minutes: i64| {
        parcours::api::realtime::answer(state, &entry, Utc::now() + Duration::minutes(minutes))
    };
    let a = at(4).await.unwrap();
    assert_eq!(
        (a["visitors"].as_u64(), a["pageviews"].as_u64()),
        (Some(17), Some(17)),
        "{a}"
    );
    assert_eq!(pages(&a), rows(&[("/a", 8), ("(other)", 9)]), "{a}");
    // Five minutes and a bit later, these events are out of the window...
    let a = at(6).await.unwrap();
    assert_eq!(
        (a["visitors"].as_u64(), a["pageviews"].as_u64()),
        (Some(0), Some(0)),
        "{a}"
    );
    assert_eq!(pages(&a), rows(&[]), "{a}");
    assert_eq!(a["meta"]["suppressed_groups"], 0);
    // ...and a window that ended before they happened never held them.
    let a = at(-10).await.unwrap();
    assert_eq!(a["visitors"], 0, "{a}");
    t.running.shutdown().await;
}
