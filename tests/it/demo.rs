//! The demo site as a newcomer finds it (`parcours demo`): its journeys answer with
//! the paths most converters took, under the small-groups rule.

use parcours::store::sites;
use serde_json::{json, Value};

use crate::support::*;
use crate::trees;

/// Sets the demo site's minimum group size.
async fn set_k(t: &TestServer, k: u16) {
    let mut site = sites::find(&t.store, parcours::demo::DOMAIN)
        .await
        .unwrap()
        .unwrap();
    site.min_group_size = k;
    site.updated_at += 1;
    sites::save(&t.store, &site).await.unwrap();
    t.running.refresh().await.unwrap();
}

#[tokio::test]
async fn paths_to_booked_go_on_past_small_branches() {
    let t = TestServer::start("demo_journeys", |_| {}).await;
    let opts = parcours::demo::Options {
        days: 30,
        people_per_day: 1200.0,
        seed: 42,
    };
    let report = parcours::demo::run(&config("demo_journeys"), &opts)
        .await
        .unwrap();
    assert!(report.rows > 100_000, "{}", report.rows);
    t.running.refresh().await.unwrap();
    let key = report.api_key;
    // Every day the demo wrote, in the site's time zone.
    let (first, last): (String, String) = t
        .store
        .client()
        .query(
            "SELECT toString(min(toDate(timestamp, 'Europe/Paris'))), \
             toString(max(toDate(timestamp, 'Europe/Paris'))) FROM events",
        )
        .fetch_one()
        .await
        .unwrap();
    let converters: u64 = t
        .store
        .client()
        .query("SELECT uniqExact(visitor_id) FROM events WHERE name = 'Booking Confirmed'")
        .fetch_one()
        .await
        .unwrap();
    let ask = |body: Value| {
        let mut b = json!({"site_id": parcours::demo::DOMAIN, "date_range": [first, last],
            "mode": "paths_to", "goal": "RDV confirmé", "tree": true});
        for (k, v) in body.as_object().unwrap() {
            b[k] = v.clone();
        }
        let (t, key) = (&t, &key);
        async move {
            let (status, a) = post_api(t, key, "/api/v2/journeys", b).await;
            assert_eq!(status, 200, "{a}");
            a
        }
    };
    // The question (the last two steps), four steps, and the default (six):
    // the deeper the tree, the smaller its last branches, and each withheld (other) is
    // left out of every count above it (on this demo at six steps, some 2.5 % of
    // converters are in withheld (other)s).
    for (max_steps, percent) in [(2, 99), (4, 99), (6, 95)] {
        let a = ask(json!({"max_steps": max_steps})).await;
        set_k(&t, 1).await;
        let raw = ask(json!({"max_steps": max_steps})).await;
        set_k(&t, 5).await;
        assert_eq!(
            raw["visitors"], converters,
            "groups of one: every converter"
        );
        let depth = trees::check_rule(&a["tree"], 5);
        let left_out = trees::check_against_raw(&a["tree"], &raw["tree"], 5);
        let shown = a["visitors"].as_u64().unwrap();
        assert_eq!(shown + left_out, converters);
        eprintln!(
            "demo paths_to Booked, max_steps {max_steps}: {converters} converters, {shown} \
             shown ({:.2} %), {left_out} in withheld (other)s, {} paths ({} shown), \
             {depth} steps deep, not_shown_visitors {}",
            shown as f64 * 100.0 / converters as f64,
            raw["total_paths"],
            a["total_paths"],
            a["meta"]["not_shown_visitors"],
        );
        assert!(depth >= max_steps.min(3), "{depth}: {a}");
        assert!(
            shown * 100 >= converters * percent,
            "{shown} of {converters}: {a}"
        );
        // The most taken path is a whole path, not an (other).
        let top = &a["paths"][0];
        assert!(
            !top["path"].as_array().unwrap().contains(&json!("(other)")),
            "{a}"
        );
        // The list and the tree show the same visitors.
        let listed: u64 = a["paths"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["visitors"].as_u64())
            .sum();
        if a["total_paths"].as_u64() <= Some(20) {
            assert_eq!(listed, shown, "{a}");
        }
        if max_steps == 2 {
            let booking = &a["tree"]["children"][0];
            let started = &booking["children"][0];
            assert_eq!(
                (&booking["node"], &started["node"]),
                (
                    &json!("Prise de rendez-vous"),
                    &json!("Prise de RDV commencée")
                ),
                "{a}"
            );
            eprintln!("demo max_steps 2 tree: {}", a["tree"]);
        }
    }
    t.running.shutdown().await;
}
