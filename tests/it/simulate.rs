//! The simulator against real ClickHouse: seeded runs are reproducible, and the stats
//! API agrees with the ground truth the simulator computes on its own, in bulk and live.

use std::collections::BTreeMap;

use crate::support::*;
use chrono::NaiveDate;
use parcours::ingest::pipeline::Enrichers;
use parcours::simulate::journey::Settings;
use parcours::simulate::{self, bulk, live, model, truth::Truth};
use parcours::store::{keys, migrations, sites, Store};
use serde_json::{json, Value};

fn enrichers() -> Enrichers {
    Enrichers {
        geoip: Some(parcours::enrich::geoip::GeoIp::open(&fixture("geoip-test.mmdb")).unwrap()),
        user_agents: parcours::enrich::user_agent::UserAgentParser::new(),
    }
}

/// Seven past days in Paris, across the end of summer time (2026-10-25).
fn week(seed: u64) -> Settings {
    let tz = chrono_tz::Europe::Paris;
    let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
    let (from, to) = simulate::period(tz, day(21), day(27), chrono::Utc::now()).unwrap();
    Settings {
        seed,
        from,
        to,
        timezone: tz,
        people_per_day: 120.0,
        bot_share: 0.05,
        consent_share: 0.3,
    }
}

/// Gives the test site the demo's privacy settings (partners, sensitive patient area).
async fn clinic_site(t: &TestServer) -> sites::Site {
    let mut site = sites::find(&t.store, SITE).await.unwrap().unwrap();
    model::clinic_settings(&mut site);
    site.updated_at += 1;
    sites::save(&t.store, &site).await.unwrap();
    t.running.refresh().await.unwrap();
    site
}

async fn custom_events(store: &Store) -> BTreeMap<String, u64> {
    store
        .client()
        .query("SELECT name, count() FROM events WHERE name != 'pageview' GROUP BY name")
        .fetch_all::<(String, u64)>()
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn expected_custom(truth: &Truth) -> BTreeMap<String, u64> {
    let x = &truth.expected.custom_events;
    x.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Totals and every shown page of `range` agree with the truth; returns the pages shown.
async fn check_api(t: &TestServer, key: &str, range: Value, truth: &Truth) -> usize {
    let x = &truth.expected;
    let totals = ask_ok(t, key, json!({"site_id": SITE, "metrics": ["visitors", "visits", "pageviews"], "date_range": range})).await;
    assert_eq!(
        totals["results"][0]["metrics"],
        json!([x.visitors, x.visits, x.pageviews]),
        "{totals}"
    );
    let pages = ask_ok(t, key, json!({"site_id": SITE, "metrics": ["visitors", "visits", "pageviews"], "date_range": range, "dimensions": ["event:page"]})).await;
    let rows = pages["results"].as_array().unwrap();
    let mut shown = 0;
    for r in rows {
        let page = r["dimensions"][0].as_str().unwrap();
        if page == "(other)" {
            continue;
        }
        let want = &x.pages[page];
        assert_eq!(
            r["metrics"],
            json!([want.visitors, want.visits, want.pageviews]),
            "{page}"
        );
        shown += 1;
    }
    shown
}

/// Visits by channel and custom events by name agree with the truth.
async fn check_channels_and_events(t: &TestServer, key: &str, range: Value, truth: &Truth) {
    let x = &truth.expected;
    let channels = ask_ok(t, key, json!({"site_id": SITE, "metrics": ["visits"], "date_range": range, "dimensions": ["visit:channel"]})).await;
    for r in channels["results"].as_array().unwrap() {
        let channel = r["dimensions"][0].as_str().unwrap();
        if channel != "(other)" {
            assert_eq!(
                r["metrics"][0],
                json!(x.visits_by_channel[channel]),
                "{channel}"
            );
        }
    }
    let names = ask_ok(t, key, json!({"site_id": SITE, "metrics": ["events"], "date_range": range, "dimensions": ["event:name"],
        "filters": [["is_not", "event:name", ["pageview"]]]})).await;
    let got: BTreeMap<String, u64> = names["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["dimensions"][0].as_str().unwrap().to_owned(),
                r["metrics"][0].as_u64().unwrap(),
            )
        })
        .collect();
    let want = expected_custom(truth);
    // Names under the minimum group size (in visitors) are folded into (other), whose
    // events are exactly the hidden names' events.
    let mut hidden = 0;
    for (name, n) in &want {
        match got.get(name) {
            Some(g) => assert_eq!(g, n, "{name}: {names}"),
            None => hidden += n,
        }
    }
    assert_eq!(got.get("(other)").copied().unwrap_or(0), hidden, "{names}");
    assert!(got.len() >= 3, "{names}");
}

/// Attribution, a funnel and a journey's anchor agree with the truth, consented people
/// (one visitor across days) included.
async fn check_journeys(t: &TestServer, key: &str, range: Value, truth: &Truth) {
    let x = &truth.expected;
    for (touch, want) in [
        ("first_touch", &x.conversions.first_touch),
        ("last_touch", &x.conversions.last_touch),
    ] {
        let body =
            json!({"site_id": SITE, "date_range": range, "goal": "Booked", "attribution": touch});
        let (status, a) = post_api(t, key, "/api/v2/attribution", body).await;
        assert_eq!(status, 200, "{a}");
        assert_eq!(
            a["total"]["conversions"], x.conversions.visitors,
            "{touch}: {a}"
        );
        let mut checked = 0;
        for r in a["results"].as_array().unwrap() {
            let channel = r["value"].as_str().unwrap();
            if channel != "(other)" && !r["conversions"].is_null() {
                let n = want.get(channel).copied().unwrap_or(0);
                assert_eq!(r["conversions"], n, "{touch} {channel}: {a}");
                checked += 1;
            }
        }
        assert!(checked >= 2, "{touch}: {a}");
    }
    // No window shorter than the range: steps in order within each visitor's lifetime.
    let funnel = json!({"site_id": SITE, "date_range": range, "window": "30d", "steps": [
        {"page": "/symptomes/*"}, {"page": "/medecins/*"},
        {"event": "Booking Started"}, {"event": "Booking Confirmed"}]});
    let (status, f) = post_api(t, key, "/api/v2/funnel", funnel).await;
    assert_eq!(status, 200, "{f}");
    for (i, want) in x.funnel.visitors.iter().enumerate() {
        assert_eq!(f["steps"][i]["visitors"], *want, "step {i}: {f}");
    }
    check_journey_rule(t, key, &range, truth).await;

    // Paths to the goal span a consented visitor's days (a few here book on a later
    // day than they first came): with groups of one allowed, every path is what the
    // stored events give, read in order per visitor id.
    let k = set_min_group_size(t, 1).await;
    // A visitor's journey from a page starts at its first view of it in range, once,
    // even when a consented visitor views pages on several days: as many as the stats
    // count with a pageview outside the sensitive area (never a journey's node).
    let body = json!({"site_id": SITE, "date_range": range, "mode": "paths_from", "by": "page",
        "from": {"page": "/**"}, "max_steps": 2});
    let (status, j) = post_api(t, key, "/api/v2/journeys", body).await;
    assert_eq!(status, 200, "{j}");
    let viewers = ask_ok(
        t,
        key,
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": range,
        "filters": [["is", "event:name", ["pageview"]],
            ["not", ["matches", "event:page", model::SENSITIVE_PATHS]]]}),
    )
    .await;
    let visitors = &viewers["results"][0]["metrics"][0];
    assert_eq!(&j["visitors"], visitors, "{j}");
    let body = json!({"site_id": SITE, "date_range": range, "mode": "paths_to", "by": "page",
        "goal": "Booked", "max_steps": 10, "limit": 1000});
    let (status, j) = post_api(t, key, "/api/v2/journeys", body).await;
    assert_eq!(status, 200, "{j}");
    let want = paths_to_booked(&t.store, 10).await;
    assert_eq!(j["visitors"], x.conversions.visitors, "{j}");
    let got: BTreeMap<Vec<String>, u64> = j["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let path = serde_json::from_value(p["path"].clone()).unwrap();
            (path, p["visitors"].as_u64().unwrap())
        })
        .collect();
    let differ: Vec<_> = want
        .iter()
        .filter(|(p, n)| got.get(*p) != Some(*n))
        .chain(got.iter().filter(|(p, n)| want.get(*p) != Some(*n)))
        .collect();
    assert!(
        differ.is_empty(),
        "paths_to differs from the events: {differ:?}"
    );
    set_min_group_size(t, k).await;
}

/// Sets the test site's minimum group size; returns the one it had.
async fn set_min_group_size(t: &TestServer, k: u16) -> u16 {
    let mut site = sites::find(&t.store, SITE).await.unwrap().unwrap();
    let old = site.min_group_size;
    site.min_group_size = k;
    site.updated_at += 1;
    sites::save(&t.store, &site).await.unwrap();
    t.running.refresh().await.unwrap();
    old
}

/// The rule for small groups (docs/PRIVACY.md, "Journeys") on the week's journeys:
/// each answer under the site's minimum group size against the same request with
/// groups of one, the rule within each answer, and every whole path shown against
/// the stored events.
async fn check_journey_rule(t: &TestServer, key: &str, range: &Value, truth: &Truth) {
    let body = |extra: Value| {
        let mut b = json!({"site_id": SITE, "date_range": range, "by": "page", "max_steps": 3,
            "tree": true, "limit": 1000});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let doctor = json!({"page": "/medecins/*"});
    let asks = [
        body(json!({"mode": "paths_to", "goal": "Booked"})),
        body(json!({"mode": "paths_from", "from": doctor})),
        body(json!({"mode": "paths_from", "from": doctor,
            "not_followed_by": {"event": "Booking Started"}})),
    ];
    let flow = json!({"site_id": SITE, "date_range": range, "by": "page", "mode": "flows",
        "around": doctor, "max_steps": 2, "steps_before": 2});
    let ask_all = || async {
        let mut out = Vec::new();
        for b in asks.iter().chain([&flow]) {
            let (status, a) = post_api(t, key, "/api/v2/journeys", b.clone()).await;
            assert_eq!(status, 200, "{b} -> {a}");
            out.push(a);
        }
        out
    };
    let shown = ask_all().await;
    let k = set_min_group_size(t, 1).await;
    let raw = ask_all().await;
    set_min_group_size(t, k).await;
    let k = u64::from(k);
    let truths = [
        paths_to_booked(&t.store, 3).await,
        paths_from_doctors(&t.store, None, 3).await,
        paths_from_doctors(&t.store, Some("Booking Started"), 3).await,
    ];
    assert_eq!(raw[0]["visitors"], truth.expected.conversions.visitors);
    for ((a, r), want) in shown.iter().zip(&raw).zip(&truths) {
        assert_eq!(r["visitors"], want.values().sum::<u64>(), "{r}");
        let depth = crate::trees::check_rule(&a["tree"], k);
        let left_out = crate::trees::check_against_raw(&a["tree"], &r["tree"], k);
        let visitors = a["visitors"].as_u64().unwrap_or(0);
        assert_eq!(visitors + left_out, r["visitors"].as_u64().unwrap(), "{a}");
        if let Some(n) = a["meta"]["not_shown_visitors"].as_u64() {
            assert_eq!(n, left_out, "{a}");
        }
        let mut whole = 0;
        for p in a["paths"].as_array().unwrap() {
            let path: Vec<String> = serde_json::from_value(p["path"].clone()).unwrap();
            if !path.contains(&"(other)".to_owned()) {
                assert_eq!(p["visitors"], want[&path], "{path:?}: {a}");
                whole += 1;
            }
        }
        assert!(whole > 0 && depth >= 1, "{a}");
        eprintln!(
            "{}: {visitors} of {} shown, {left_out} withheld, {whole} whole paths shown of {}, \
             {depth} steps deep",
            a["meta"]["mode"], r["visitors"], r["total_paths"]
        );
    }
    // Flows: the anchor is what each side adds up to, under the raw anchor by what the
    // answer leaves out.
    let (a, r) = (&shown[3], &raw[3]);
    let anchor = crate::trees::check_flow(a, k, 2, 2);
    let raw_anchor = crate::trees::check_flow(r, 1, 2, 2);
    assert!(anchor > 0 && anchor <= raw_anchor, "{a}");
    assert_eq!(raw_anchor, truths[1].values().sum::<u64>());
    if let Some(n) = a["meta"]["not_shown_visitors"].as_u64() {
        assert_eq!(anchor + n, raw_anchor, "{a}");
    }
    eprintln!(
        "flows: anchor {anchor} of {raw_anchor}, {} nodes",
        a["nodes"].as_array().map_or(0, Vec::len)
    );
}

/// A stored event: time (ms), UTC day, name, page, sensitive flag.
type Stored = (u64, String, String, String, u8);

/// Visitors by their path, by page, from their first view of a doctor's page
/// (`/medecins/*`, never a sensitive one) to the end of that visit, as `paths_from`
/// shows it with `max_steps` `n`; with `not`, only those who do not send that event
/// later in the visit. Straight from `events`: a visit is a visitor-day's events
/// without a 30-minute gap.
async fn paths_from_doctors(
    store: &Store,
    not: Option<&str>,
    n: usize,
) -> BTreeMap<Vec<String>, u64> {
    let rows: Vec<(u64, u64, String, String, String, u8)> = store
        .client()
        .query(
            "SELECT visitor_id, toUInt64(timestamp) * 1000 + timestamp_ms AS t, \
             toString(toDate(timestamp)), toString(name), pathname, sensitive FROM events \
             ORDER BY visitor_id, t",
        )
        .fetch_all()
        .await
        .unwrap();
    let mut by_visitor: BTreeMap<u64, Vec<Stored>> = BTreeMap::new();
    for (v, t, day, name, page, sensitive) in rows {
        by_visitor
            .entry(v)
            .or_default()
            .push((t, day, name, page, sensitive));
    }
    let is_doctor = |e: &Stored| {
        e.2 == "pageview"
            && e.4 == 0
            && e.3
                .strip_prefix("/medecins/")
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
    };
    // Nodes by page: pages outside the sensitive area, and the goal Booked.
    let node = |e: &Stored| -> Option<String> {
        match e.2.as_str() {
            "pageview" if e.4 == 0 => Some(e.3.clone()),
            "Booking Confirmed" => Some("Booked".into()),
            _ => None,
        }
    };
    let mut out = BTreeMap::new();
    for events in by_visitor.values() {
        let Some(a) = events.iter().position(is_doctor) else {
            continue;
        };
        let same_visit = |i: usize, j: usize| {
            events[i].1 == events[j].1 && events[j].0 - events[i].0 <= 30 * 60 * 1000
        };
        let mut end = a;
        while end + 1 < events.len() && same_visit(end, end + 1) {
            end += 1;
        }
        if let Some(name) = not {
            if events[a + 1..=end].iter().any(|e| e.2 == name) {
                continue;
            }
        }
        // The anchor's own page absorbs its repeats, as every node does.
        let mut walked: Vec<String> = Vec::new();
        for e in &events[a..=end] {
            if let Some(x) = node(e) {
                if walked.last() != Some(&x) {
                    walked.push(x);
                }
            }
        }
        walked.remove(0);
        let mut path = vec!["/medecins/*".to_owned()];
        if walked.len() <= n {
            path.extend(walked);
            path.push("(exit)".into());
        } else {
            path.extend(walked.into_iter().take(n));
        }
        *out.entry(path).or_default() += 1;
    }
    out
}

/// Visitors by their path to the first "Booking Confirmed" (the goal Booked), by page,
/// with the last `n` nodes before it, straight from `events`.
async fn paths_to_booked(store: &Store, n: usize) -> BTreeMap<Vec<String>, u64> {
    let rows: Vec<(u64, u64, String, String, u8)> = store
        .client()
        .query(
            "SELECT visitor_id, toUInt64(timestamp) * 1000 + timestamp_ms AS t, toString(name), \
             pathname, sensitive FROM events ORDER BY visitor_id, t",
        )
        .fetch_all()
        .await
        .unwrap();
    let mut by_visitor: BTreeMap<u64, Vec<(String, String, u8)>> = BTreeMap::new();
    for (v, _, name, page, sensitive) in rows {
        by_visitor
            .entry(v)
            .or_default()
            .push((name, page, sensitive));
    }
    let mut out = BTreeMap::new();
    for events in by_visitor.values() {
        let Some(c) = events.iter().position(|e| e.0 == "Booking Confirmed") else {
            continue;
        };
        // Nodes: pages outside the sensitive area; custom events that are not goals
        // are none. Consecutive repeats count once.
        let mut walked: Vec<String> = Vec::new();
        for (name, page, sensitive) in &events[..c] {
            if name == "pageview" && *sensitive == 0 && walked.last() != Some(page) {
                walked.push(page.clone());
            }
        }
        let mut path = Vec::new();
        if walked.len() > n {
            path.push("…".to_owned());
        }
        path.extend(walked[walked.len().saturating_sub(n)..].iter().cloned());
        path.push("Booked".to_owned());
        *out.entry(path).or_default() += 1;
    }
    out
}

/// Every metric by each dimension the job rolls up (and none), as the API answers.
async fn rolled_up_answers(t: &TestServer, key: &str, range: &Value) -> Vec<(String, Value)> {
    let dims = [
        "",
        "event:page",
        "event:name",
        "event:hostname",
        "visit:entry_page",
        "visit:exit_page",
        "visit:source",
        "visit:channel",
        "visit:referrer",
        "visit:utm_source",
        "visit:utm_medium",
        "visit:utm_campaign",
        "visit:utm_content",
        "visit:utm_term",
        "visit:country",
        "visit:region",
        "visit:city",
        "visit:device",
        "visit:browser",
        "visit:browser_version",
        "visit:os",
    ];
    let mut out = Vec::new();
    for dim in dims {
        let mut q = json!({"site_id": SITE, "date_range": range, "metrics": ["visitors", "visits",
            "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events", "time_on_page"]});
        if !dim.is_empty() {
            q["dimensions"] = json!([dim]);
        }
        let a = ask_ok(t, key, q).await;
        assert!(!a["results"].as_array().unwrap().is_empty(), "{dim}: {a}");
        out.push((dim.to_owned(), a["results"].clone()));
    }
    out
}

#[tokio::test]
async fn a_bulk_week_agrees_with_its_ground_truth() {
    let t = TestServer::start("sim_bulk", |_| {}).await;
    let site = clinic_site(&t).await;
    parcours::visitor::consent::enable(&t.store, site.site_id)
        .await
        .unwrap();
    let settings = week(9);
    let report = bulk::load(&t.store, site.clone(), settings, enrichers())
        .await
        .unwrap();
    let truth = report.truth;
    let x = &truth.expected;
    assert_eq!(report.rows, x.events);
    assert_eq!(count_rows(&t.store).await, x.events);
    assert!(truth.generated.bots > 0 && truth.generated.bot_events > 0);
    assert!(x.conversions.visitors > 0 && x.funnel.visitors[3] > 0);
    // Consented people are one visitor across days, so there are fewer visitors than
    // person-days; everyone else is one visitor per UTC day.
    let consented: u64 = t
        .store
        .client()
        .query("SELECT uniqExact(visitor_id) FROM events WHERE consented = 1")
        .fetch_one()
        .await
        .unwrap();
    assert!(consented > 0);
    assert_eq!(custom_events(&t.store).await, expected_custom(&truth));
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    parcours::store::goals::save_goal(
        &t.store,
        site.site_id,
        "Booked",
        Some("Booking Confirmed"),
        None,
    )
    .await
    .unwrap();
    // First from events at query time (no day built yet), then from visitor-days.
    let range = json!(["2026-10-21", "2026-10-27"]);
    let shown = check_api(&t, &key, range.clone(), &truth).await;
    assert!(shown > 20, "{shown}");
    let live = rolled_up_answers(&t, &key, &range).await;
    check_journeys(&t, &key, range.clone(), &truth).await;
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap();
    let report = parcours::query::materialize::run(&t.store, now.into(), None)
        .await
        .unwrap();
    assert!(report.built.len() >= 7, "{report:?}");
    assert_eq!(check_api(&t, &key, range.clone(), &truth).await, shown);
    // Whole days now come from the job's per-day sums: every metric of every rolled-up
    // dimension is what the visitor-day rows gave.
    let rolled_days: u64 = t
        .store
        .client()
        .query("SELECT uniqExact(day) FROM day_rollups WHERE dim = 'event:page'")
        .fetch_one()
        .await
        .unwrap();
    assert!(rolled_days >= 7, "{rolled_days}");
    let rolled = rolled_up_answers(&t, &key, &range).await;
    for ((dim, a), (_, b)) in live.iter().zip(&rolled) {
        assert_eq!(a, b, "{dim}");
    }
    check_channels_and_events(&t, &key, range.clone(), &truth).await;
    check_journeys(&t, &key, range.clone(), &truth).await;
    // Filtered stats, funnels, paths and attribution stored their closed days' answers
    // on the way; asked again, they read them back and still agree with the truth.
    let runs = "SELECT count() FROM answer_runs";
    let stored: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert!(stored >= 6, "{stored}");
    // Consented visitors seen on several days were corrected from the stored rows of
    // their consented visitor-days, so the checks above ran that path.
    let multi_day: u64 = t
        .store
        .client()
        .query(
            "SELECT count() FROM (SELECT visitor_id FROM visitor_days WHERE consented = 1 \
             GROUP BY visitor_id HAVING uniqExact(day) > 1)",
        )
        .fetch_one()
        .await
        .unwrap();
    assert!(multi_day > 0);
    let rows = "SELECT count() FROM answer_rows";
    let stored_rows: u64 = t.store.client().query(rows).fetch_one().await.unwrap();
    assert!(stored_rows > 0);
    assert_eq!(check_api(&t, &key, range.clone(), &truth).await, shown);
    check_journeys(&t, &key, range, &truth).await;
    let after: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert_eq!(after, stored, "stored days are read, not filled again");
    // A second run finds nothing to do.
    let again = parcours::query::materialize::run(&t.store, now.into(), None)
        .await
        .unwrap();
    assert!(again.built.is_empty(), "{again:?}");
    t.running.shutdown().await;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_rows_and_truth() {
    let mut site = sites::Site::new(42, "seeded.example", "Europe/Paris");
    site.sensitive_paths = model::SENSITIVE_PATHS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut runs = Vec::new();
    for (db, seed) in [("sim_seed_a", 5), ("sim_seed_b", 5), ("sim_seed_c", 6)] {
        let store = store(db).await;
        migrations::migrate(&store).await.unwrap();
        let report = bulk::load(&store, site.clone(), week(seed), enrichers())
            .await
            .unwrap();
        let checksum: (u64, u64) = store
            .client()
            .query(
                "SELECT count(), groupBitXor(cityHash64(visitor_id, timestamp, timestamp_ms, \
                 name, pathname, channel, referrer_source, utm_campaign, country_code, city, \
                 browser, os, device, sensitive)) FROM events",
            )
            .fetch_one()
            .await
            .unwrap();
        runs.push((report.truth, checksum));
    }
    assert_eq!(runs[0], runs[1]);
    assert_ne!(runs[0].1, runs[2].1);
    assert_ne!(runs[0].0, runs[2].0);
}

#[tokio::test]
async fn live_traffic_through_http_agrees_with_its_ground_truth() {
    let t = TestServer::start("sim_live", |_| {}).await;
    let site = clinic_site(&t).await;
    let now = chrono::Utc::now();
    let settings = Settings {
        from: now,
        to: now + chrono::Duration::days(30),
        ..week(3)
    };
    let opts = live::LiveOptions {
        url: t.base.clone(),
        domain: SITE.into(),
        rate: 0,
        duration: std::time::Duration::from_secs(2),
        concurrency: 4,
        consent_enabled: false,
    };
    let report = live::post(settings, &opts).await.unwrap();
    let truth = report.truth;
    let x = &truth.expected;
    assert_eq!(report.posted, truth.generated.events);
    assert_eq!(report.accepted, report.posted, "every beacon answered 202");
    assert!(truth.generated.bot_events > 0);
    assert_eq!(
        t.wait_rows(x.events).await,
        x.events,
        "crawlers dropped, the rest stored"
    );
    assert_eq!(custom_events(&t.store).await, expected_custom(&truth));
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    check_api(&t, &key, json!("day"), &truth).await;
    t.running.shutdown().await;
}
