//! Funnels, journeys and attribution against traffic posted through `POST /api/event`
//! with a steered ingest clock, checked against figures computed here from the events
//! sent (an independent, naive model of visits, funnels and paths).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use parcours::store::{keys, sites};
use serde_json::{json, Value};

use crate::support::*;

const GOOGLE: &str = "https://www.google.com/";
const FACEBOOK: &str = "https://www.facebook.com/";
const BOT: &str = "Googlebot/2.1 (+http://www.google.com/bot.html)";

/// One beacon: visitor, seconds after the base time, name, path (with query), referrer,
/// props.
type Hit = (u32, i64, &'static str, &'static str, &'static str, Value);

/// The traffic: visitor groups with known journeys (see each comment).
fn traffic() -> Vec<Hit> {
    let mut v: Vec<Hit> = Vec::new();
    let pv = |i, t, path, r| (i, t, "pageview", path, r, json!({}));
    // 6 from Google: symptom, doctor, a sensitive page, booking, booked (cardiology).
    for i in 0..6 {
        let s = i64::from(i) * 7;
        v.push(pv(i, s, "/symptomes/palpitations", GOOGLE));
        v.push(pv(i, s + 60, "/medecins/dr-martin", ""));
        v.push(pv(i, s + 90, "/mon-espace-patient/dossier", ""));
        v.push(pv(i, s + 120, "/prendre-rendez-vous", ""));
        v.push((
            i,
            s + 125,
            "Booking Started",
            "/prendre-rendez-vous",
            "",
            json!({}),
        ));
        v.push((
            i,
            s + 300,
            "Booking Confirmed",
            "/prendre-rendez-vous",
            "",
            json!({"specialty": "cardiologie"}),
        ));
    }
    // 5 from Facebook: symptom, doctor, gone.
    for i in 10..15 {
        v.push(pv(i, 40, "/symptomes/vertiges", FACEBOOK));
        v.push(pv(i, 130, "/medecins/dr-rousseau", ""));
    }
    // 4 from the newsletter (a group just under the threshold): a symptom page only.
    for i in 20..24 {
        v.push(pv(
            i,
            50,
            "/symptomes/sciatique?utm_source=newsletter&utm_medium=email",
            "",
        ));
    }
    // Direct, one each: steps out of order; a step repeated; the second step 70 minutes
    // later (a new visit, outside a 1-hour window); a journey crossing midnight UTC;
    // every step but another specialty, after a doctor page first.
    v.push((
        30,
        0,
        "Booking Started",
        "/prendre-rendez-vous",
        "",
        json!({}),
    ));
    v.push(pv(30, 30, "/medecins/dr-martin", ""));
    v.push(pv(30, 60, "/symptomes/palpitations", ""));
    v.push(pv(31, 0, "/symptomes/palpitations", ""));
    v.push(pv(31, 30, "/symptomes/vertiges", ""));
    v.push(pv(31, 60, "/medecins/dr-martin", ""));
    v.push(pv(31, 90, "/medecins/dr-rousseau", ""));
    v.push((
        31,
        100,
        "Booking Started",
        "/prendre-rendez-vous",
        "",
        json!({}),
    ));
    v.push(pv(32, -80 * 60, "/symptomes/sciatique", ""));
    v.push(pv(32, -10 * 60, "/medecins/dr-rousseau", ""));
    v.push(pv(33, 55 * 60, "/symptomes/sciatique", ""));
    v.push(pv(33, 65 * 60, "/medecins/dr-rousseau", ""));
    v.push(pv(34, 0, "/medecins/dr-martin", ""));
    v.push(pv(34, 60, "/symptomes/palpitations", ""));
    v.push(pv(34, 120, "/medecins/dr-martin", ""));
    v.push(pv(34, 180, "/prendre-rendez-vous", ""));
    v.push((
        34,
        185,
        "Booking Started",
        "/prendre-rendez-vous",
        "",
        json!({}),
    ));
    v.push((
        34,
        300,
        "Booking Confirmed",
        "/prendre-rendez-vous",
        "",
        json!({"specialty": "orthopedie"}),
    ));
    // Calls straight from the patient area: no node before the goal "Phone call" (a
    // sensitive page is never one), so that path is the goal alone.
    v.push(pv(35, 10, "/mon-espace-patient/rendez-vous", ""));
    v.push((
        35,
        20,
        "Phone Click",
        "/mon-espace-patient/rendez-vous",
        "",
        json!({}),
    ));
    v.sort_by_key(|h| h.1);
    v
}

/// The same events as the model sees them: per visitor-day (daily ids change at
/// midnight UTC), in order, with their visit's channel.
#[derive(Debug, Clone)]
struct Event {
    t_ms: i64,
    name: String,
    path: String,
    props: Value,
    channel: String,
}

fn channel(referrer: &str, path: &str) -> &'static str {
    if path.contains("utm_medium=email") {
        "Email"
    } else if referrer == GOOGLE {
        "Organic Search"
    } else if referrer == FACEBOOK {
        "Organic Social"
    } else {
        "Direct"
    }
}

fn model(hits: &[Hit], base: DateTime<Utc>) -> BTreeMap<(u32, chrono::NaiveDate), Vec<Event>> {
    let mut by: BTreeMap<(u32, chrono::NaiveDate), Vec<Event>> = BTreeMap::new();
    for (i, t, name, path, referrer, props) in hits {
        let at = base + Duration::seconds(*t);
        let evs = by.entry((*i, at.date_naive())).or_default();
        let new_visit = evs
            .last()
            .is_none_or(|e| at.timestamp_millis() - e.t_ms > 30 * 60 * 1000);
        let ch = if new_visit {
            channel(referrer, path).to_owned()
        } else {
            evs.last().map(|e| e.channel.clone()).unwrap_or_default()
        };
        evs.push(Event {
            t_ms: at.timestamp_millis(),
            name: (*name).to_owned(),
            path: path.split('?').next().unwrap_or("").to_owned(),
            props: props.clone(),
            channel: ch,
        });
    }
    by
}

/// The funnel of the test, as the model evaluates it.
fn step_of(e: &Event, k: usize) -> bool {
    match k {
        0 => e.name == "pageview" && e.path.starts_with("/symptomes/"),
        1 => e.name == "pageview" && e.path.starts_with("/medecins/"),
        2 => e.name == "Booking Started",
        _ => e.name == "Booking Confirmed" && e.props["specialty"] == "cardiologie",
    }
}

/// Level reached and ms between steps of the chain counted, plus the chain's channel.
fn funnel_of(evs: &[Event], window_ms: i64) -> (usize, Vec<i64>, String) {
    let mut best = (0, Vec::new(), String::new());
    for (s, e) in evs.iter().enumerate() {
        if !step_of(e, 0) {
            continue;
        }
        let (mut at, mut deltas) = (s, vec![0]);
        for k in 1..4 {
            match (at + 1..evs.len())
                .find(|&j| step_of(&evs[j], k) && evs[j].t_ms <= e.t_ms + window_ms)
            {
                Some(j) => {
                    deltas.push(evs[j].t_ms - evs[at].t_ms);
                    at = j;
                }
                None => break,
            }
        }
        if deltas.len() > best.0 {
            best = (deltas.len(), deltas, e.channel.clone());
        }
    }
    best
}

/// `quantileExact(0.5)`: the element at index n / 2 of the sorted values.
fn median(mut v: Vec<i64>) -> i64 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn node(e: &Event) -> Option<String> {
    if e.name == "Booking Confirmed" {
        return Some("Booked".into());
    }
    if e.name != "pageview" || e.path.starts_with("/mon-espace-patient") {
        return None;
    }
    Some(
        if e.path.starts_with("/symptomes/") {
            "Symptom research"
        } else if e.path.starts_with("/medecins/") {
            "Doctor profile"
        } else if e.path.starts_with("/prendre-rendez-vous") {
            "Booking"
        } else {
            &e.path
        }
        .to_owned(),
    )
}

fn collapse(nodes: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in nodes {
        if out.last() != Some(&n) {
            out.push(n);
        }
    }
    out
}

#[tokio::test]
async fn funnels_journeys_and_attribution_match_the_traffic() {
    let t = TestServer::start("journeys", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    sites::update(
        &t.store,
        SITE,
        &sites::SiteSettings {
            sensitive_paths: Some(vec!["/mon-espace-patient/**".into()]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    t.running.refresh().await.unwrap();
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    for (path, body) in [
        (
            "/api/v2/goals",
            json!({"site_id": SITE, "name": "Booked", "event_name": "Booking Confirmed"}),
        ),
        (
            "/api/v2/goals",
            json!({"site_id": SITE, "name": "Phone call", "event_name": "Phone Click"}),
        ),
        (
            "/api/v2/content_groups",
            json!({"site_id": SITE, "name": "Symptom research", "patterns": ["/symptomes/**"], "position": 1}),
        ),
        (
            "/api/v2/content_groups",
            json!({"site_id": SITE, "name": "Doctor profile", "patterns": ["/medecins/*"], "position": 2}),
        ),
        (
            "/api/v2/content_groups",
            json!({"site_id": SITE, "name": "Booking", "patterns": ["/prendre-rendez-vous/**"], "position": 3}),
        ),
    ] {
        assert_eq!(post_api(&t, &key, path, body).await.0, 200);
    }
    // 23:00 UTC today: journeys run into tomorrow, whose salt the node already holds.
    let today = Utc::now().date_naive();
    let base = today.and_hms_opt(23, 0, 0).unwrap().and_utc();
    let hits = traffic();
    let mut sent = 0;
    for (i, s, name, path, referrer, props) in &hits {
        t.running.state.clock.set(base + Duration::seconds(*s));
        let u = format!("https://{SITE}{path}");
        let body = json!({"n": name, "u": u, "d": SITE, "r": referrer, "p": props});
        let (status, text) = t.beacon(&body.to_string(), &ip(*i), CHROME_WIN).await;
        assert_eq!(status, 202, "{text}");
        sent += 1;
        // A robot walks the same pages; it must count nowhere.
        if *i == 0 {
            let (status, _) = t.beacon(&body.to_string(), &ip(99), BOT).await;
            assert_eq!(status, 202);
        }
    }
    assert_eq!(t.wait_rows(sent).await, sent);
    let visitors = model(&hits, base);
    let range = json!([
        today.to_string(),
        (today + chrono::Days::new(1)).to_string()
    ]);
    let steps = json!([
        {"name": "Symptom research", "content_group": "Symptom research"},
        {"name": "Doctor", "page": "/medecins/*"},
        {"name": "Booking started", "event": "Booking Started"},
        {"name": "Booked", "event": "Booking Confirmed", "props": {"specialty": "cardiologie"}}
    ]);
    let funnel = |window: &str, extra: Value| {
        let mut b = json!({"site_id": SITE, "date_range": range, "steps": steps, "window": window});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };

    // The funnel, as the model computes it.
    let mut reached = [0u64; 4];
    let mut deltas: Vec<Vec<i64>> = vec![Vec::new(); 4];
    let mut by_channel: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for evs in visitors.values() {
        let (level, d, ch) = funnel_of(evs, 3_600_000);
        for k in 0..level {
            reached[k] += 1;
            by_channel.entry(ch.clone()).or_default()[k] += 1;
            if k > 0 {
                deltas[k].push(d[k]);
            }
        }
    }
    // 6 + 5 + 4 + the 5 direct visitors who saw a symptom page before midnight.
    assert_eq!(reached, [20, 13, 8, 6]);
    let (status, a) = post_api(&t, &key, "/api/v2/funnel", funnel("1h", json!({}))).await;
    assert_eq!(status, 200, "{a}");
    for k in 0..4 {
        let s = &a["steps"][k];
        assert_eq!(s["visitors"], reached[k], "step {k}: {a}");
        if k > 0 {
            let secs = (median(deltas[k].clone()) as f64 / 1000.0).round();
            assert_eq!(s["median_seconds_from_previous"], secs, "step {k}: {a}");
            assert_eq!(s["dropoff"], reached[k - 1] - reached[k]);
        }
    }
    assert_eq!(a["steps"][3]["conversion_rate"], 30.0);
    assert_eq!(a["steps"][1]["step_conversion_rate"], 65.0);
    assert_eq!(a["meta"]["window_seconds"], 3_600);
    // A 1-day window lets the visitor whose doctor page came 70 minutes later through.
    let (_, a) = post_api(&t, &key, "/api/v2/funnel", funnel("1d", json!({}))).await;
    assert_eq!(a["steps"][1]["visitors"], reached[1] + 1, "{a}");

    // Breakdown by channel: Email (4) is under k = 5 and takes the smallest group
    // (Organic Social, 5) into (other); cells under 5 are hidden with enough others
    // that no hidden count is a difference of shown ones.
    assert_eq!(by_channel["Email"], [4, 0, 0, 0]);
    assert_eq!(by_channel["Organic Social"], [5, 5, 0, 0]);
    assert_eq!(by_channel["Direct"], [5, 2, 2, 0]);
    let (_, a) = post_api(
        &t,
        &key,
        "/api/v2/funnel",
        funnel("1h", json!({"breakdown": "visit:channel"})),
    )
    .await;
    let live = a.clone();
    let groups: Vec<(String, Vec<Value>)> = a["breakdown"]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{a}"))
        .iter()
        .map(|g| {
            (
                g["value"].as_str().unwrap().to_owned(),
                g["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["visitors"].clone())
                    .collect(),
            )
        })
        .collect();
    let n = Value::Null;
    assert_eq!(
        groups,
        vec![
            (
                "Organic Search".into(),
                vec![json!(6), json!(6), n.clone(), json!(6)]
            ),
            (
                "Direct".into(),
                vec![json!(5), n.clone(), n.clone(), json!(0)]
            ),
            (
                "(other)".into(),
                vec![json!(9), n.clone(), json!(0), json!(0)]
            ),
        ],
        "{a}"
    );
    assert_eq!(a["meta"]["suppressed_groups"], 2);
    assert_eq!(a["meta"]["min_group_size"], 5);
    assert_eq!(a["steps"][0]["visitors"], 20);

    // A saved funnel answers as the same funnel asked in full.
    let mut save = funnel("1h", json!({"breakdown": "visit:channel"}));
    save.as_object_mut().unwrap().remove("date_range");
    save["name"] = json!("Cardiology bookings");
    let (status, body) = post_api(&t, &key, "/api/v2/funnels", save).await;
    assert_eq!(status, 200, "{body}");
    let (_, by_name) = post_api(
        &t,
        &key,
        "/api/v2/funnel",
        json!({"site_id": SITE, "date_range": range, "funnel": "Cardiology bookings"}),
    )
    .await;
    assert_eq!(by_name["breakdown"], live["breakdown"], "{by_name}");
    let (status, _) = post_api(
        &t,
        &key,
        "/api/v2/funnels",
        json!({"site_id": SITE, "name": "Bad", "steps": [{"page": "no-slash"}, {"page": "/b"}]}),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = post_api(
        &t,
        &key,
        "/api/v2/funnel",
        json!({"site_id": SITE, "date_range": range, "funnel": "Nope"}),
    )
    .await;
    assert_eq!(status, 404);

    // Edge cases: a filter that matches nothing, an empty range, bad input.
    let (_, a) = post_api(
        &t,
        &key,
        "/api/v2/funnel",
        funnel(
            "1h",
            json!({"filters": [["is", "visit:channel", ["Nope"]]]}),
        ),
    )
    .await;
    assert_eq!(a["steps"][0]["visitors"], 0, "{a}");
    let mut empty = funnel("1h", json!({}));
    empty["date_range"] = json!(["2020-01-01", "2020-01-31"]);
    let (status, a) = post_api(&t, &key, "/api/v2/funnel", empty).await;
    assert_eq!(
        (status, a["steps"][3]["visitors"].clone()),
        (200, json!(0)),
        "{a}"
    );
    for bad in [
        funnel("1h", json!({"steps": [{"page": "/a"}]})),
        funnel("1w", json!({})),
        funnel("1h", json!({"breakdown": "event:page"})),
        funnel(
            "1h",
            json!({"steps": [{"page": "/a", "event": "x"}, {"page": "/b"}]}),
        ),
        funnel(
            "1h",
            json!({"steps": [{"goal": "Nope'); DROP TABLE events; --"}, {"page": "/b"}]}),
        ),
        funnel(
            "1h",
            json!({"steps": [{"page": "no-slash"}, {"page": "/b"}]}),
        ),
    ] {
        let (status, body) = post_api(&t, &key, "/api/v2/funnel", bad.clone()).await;
        assert_eq!(status, 400, "{bad} -> {body}");
    }
    // Hostile values are literal text: they match nothing and break nothing.
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/funnel",
        funnel(
            "1h",
            json!({"steps": [
                {"page": "/symptomes/'); DROP TABLE events; --"},
                {"event": "x\\' OR 1=1 --", "props": {"k') OR ('1": "\\"}}
            ]}),
        ),
    )
    .await;
    assert_eq!(
        (status, a["steps"][0]["visitors"].clone()),
        (200, json!(0)),
        "{a}"
    );

    // Paths to "Booked", as the model computes them: nodes up to the first conversion.
    let mut converters: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for evs in visitors.values() {
        if let Some(c) = evs.iter().position(|e| e.name == "Booking Confirmed") {
            let mut nodes = collapse(evs[..c].iter().filter_map(node).collect());
            nodes.push("Booked".into());
            *converters.entry(nodes).or_default() += 1;
        }
    }
    let journeys = |body: Value| {
        let mut b = json!({"site_id": SITE, "date_range": range});
        for (k, v) in body.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(json!({"mode": "paths_to", "goal": "Booked"})),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let live_paths = a.clone();
    let total: u64 = converters.values().sum();
    assert_eq!(total, 7);
    // The 6 from Google share one path, shown whole; the 7th went back to a doctor's
    // page before the symptom page (1 < 5): an (other) without a count, left out of
    // every count above it, the total included.
    assert_eq!(
        a["paths"],
        json!([
            {"path": ["Symptom research", "Doctor profile", "Booking", "Booked"],
             "visitors": 6, "share": 100.0, "median_seconds": 300.0},
            {"path": ["(other)", "Symptom research", "Doctor profile", "Booking", "Booked"],
             "visitors": null, "share": null, "median_seconds": null},
        ]),
        "{a}"
    );
    assert_eq!(a["visitors"], 6, "{a}");
    assert_eq!(a["meta"]["not_shown_visitors"], Value::Null, "{a}");
    for p in a["paths"].as_array().unwrap() {
        let path: Vec<String> = serde_json::from_value(p["path"].clone()).unwrap();
        assert!(
            !path.iter().any(|n| n.contains("espace")),
            "sensitive page shown: {a}"
        );
        if !path.contains(&"(other)".to_owned()) {
            assert_eq!(p["visitors"], converters[&path], "{a}");
        }
    }

    // The same as a tree, from the goal back: the 6 began at a symptom page, the 7th
    // went on (back to a doctor's page) and is withheld there.
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(json!({"mode": "paths_to", "goal": "Booked", "tree": true})),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let tree = &a["tree"];
    assert_eq!(
        (&tree["node"], &tree["visitors"]),
        (&json!("Booked"), &json!(6)),
        "{a}"
    );
    let symptom = &tree["children"][0]["children"][0]["children"][0];
    assert_eq!(
        symptom["children"],
        json!([
            {"node": null, "end": "began", "visitors": 6, "share": 100.0,
             "share_of_parent": 100.0, "median_seconds": 300.0, "children": []},
            {"node": "(other)", "visitors": null, "share": null, "share_of_parent": null,
             "median_seconds": null, "children": []}
        ]),
        "{a}"
    );
    assert_eq!(symptom["node"], "Symptom research", "{a}");
    assert_eq!(a["paths"], live_paths["paths"], "{a}");

    // A goal reached with nothing before it: one converter, under k, so nothing shown.
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(json!({"mode": "paths_to", "goal": "Phone call"})),
    )
    .await;
    assert_eq!(
        (status, a["visitors"].clone(), a["paths"].clone()),
        (200, Value::Null, json!([])),
        "{a}"
    );

    // Paths from the doctor pages, by page: where people go and where they leave.
    let (_, a) = post_api(&t, &key, "/api/v2/journeys", journeys(json!({"mode": "paths_from", "from": {"content_group": "Doctor profile"}, "max_steps": 3}))).await;
    let mut from: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for evs in visitors.values() {
        let Some(c) = evs
            .iter()
            .position(|e| node(e).as_deref() == Some("Doctor profile"))
        else {
            continue;
        };
        // The rest of that visit.
        let end = (c + 1..evs.len())
            .find(|&j| evs[j].t_ms - evs[j - 1].t_ms > 30 * 60 * 1000)
            .unwrap_or(evs.len());
        let mut nodes = collapse(evs[c..end].iter().filter_map(node).collect());
        if nodes.len() <= 4 {
            nodes.push("(exit)".into());
        } else {
            nodes.truncate(4);
        }
        *from.entry(nodes).or_default() += 1;
    }
    for p in a["paths"].as_array().unwrap() {
        let path: Vec<String> = serde_json::from_value(p["path"].clone()).unwrap();
        if !path.contains(&"(other)".to_owned()) {
            assert_eq!(p["visitors"], from[&path], "{path:?}: {a}");
        }
    }
    // 8 leave after the doctor page and the 6 who book are shown as they are; the 2
    // who went back to a symptom page (2 < 5) are one (other) without a count, left
    // out of the total.
    let listed: Vec<(Value, Value)> = a["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["path"].clone(), p["visitors"].clone()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (json!(["Doctor profile", "(exit)"]), json!(8)),
            (
                json!(["Doctor profile", "Booking", "Booked", "(exit)"]),
                json!(6)
            ),
            (json!(["Doctor profile", "(other)"]), Value::Null),
        ],
        "{a}"
    );
    assert_eq!(from.values().sum::<u64>(), 16);
    assert_eq!(a["visitors"], 14, "{a}");
    let live_from = a.clone();

    // The drop-off after the doctor pages: visitors who, later in that visit, never
    // booked cardiology. The 6 who did are gone; the orthopedics booking (visitor 34)
    // stays, with the other symptom page (2 < 5: withheld).
    let cardiology = json!({"event": "Booking Confirmed", "props": {"specialty": "cardiologie"}});
    let mut dropped: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for evs in visitors.values() {
        let Some(c) = evs
            .iter()
            .position(|e| node(e).as_deref() == Some("Doctor profile"))
        else {
            continue;
        };
        let end = (c + 1..evs.len())
            .find(|&j| evs[j].t_ms - evs[j - 1].t_ms > 30 * 60 * 1000)
            .unwrap_or(evs.len());
        if evs[c + 1..end].iter().any(|e| step_of(e, 3)) {
            continue;
        }
        let mut nodes = collapse(evs[c..end].iter().filter_map(node).collect());
        if nodes.len() <= 4 {
            nodes.push("(exit)".into());
        } else {
            nodes.truncate(4);
        }
        *dropped.entry(nodes).or_default() += 1;
    }
    assert_eq!(dropped.values().sum::<u64>(), 10);
    let drop_off = journeys(
        json!({"mode": "paths_from", "from": {"content_group": "Doctor profile"},
        "not_followed_by": cardiology, "max_steps": 3}),
    );
    let (status, a) = post_api(&t, &key, "/api/v2/journeys", drop_off.clone()).await;
    assert_eq!(status, 200, "{a}");
    let listed: Vec<(Value, Value)> = a["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["path"].clone(), p["visitors"].clone()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (
                json!(["Doctor profile", "(exit)"]),
                json!(dropped[&vec!["Doctor profile".to_owned(), "(exit)".to_owned()]])
            ),
            (json!(["Doctor profile", "(other)"]), Value::Null),
        ],
        "{a}"
    );
    assert_eq!(a["visitors"], 8, "{a}");
    assert_eq!(a["meta"]["not_followed_by"], "Booking Confirmed", "{a}");
    let live_drop_off = a.clone();
    for bad in [
        json!({"mode": "flows", "around": {"content_group": "Doctor profile"}, "not_followed_by": {"goal": "Booked"}}),
        json!({"mode": "paths_from", "from": {"content_group": "Doctor profile"}, "not_followed_by": {"page": "/a", "goal": "Booked"}}),
    ] {
        let (status, body) = post_api(&t, &key, "/api/v2/journeys", journeys(bad)).await;
        assert_eq!(status, 400, "{body}");
    }

    // Flows around the doctor pages: every node and link at least k, links adding up.
    let (_, a) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(json!({"mode": "flows", "around": {"page": "/medecins/*"}, "max_steps": 2})),
    )
    .await;
    let nodes = a["nodes"].as_array().unwrap_or_else(|| panic!("{a}"));
    let anchor = nodes.iter().find(|n| n["step"] == 0).unwrap();
    for n in nodes {
        assert!(n["visitors"].as_u64().unwrap() >= 5, "{a}");
        assert!(!n["name"].as_str().unwrap().contains("espace"), "{a}");
    }
    // A visitor counts on both sides or on neither: the 2 withheld after the anchor
    // (symptom pages) and then the 2 whose visit began at a doctor's page (left
    // under k) are out, so the anchor is what both sides add up to.
    let links = a["links"].as_array().unwrap();
    let through = |end: &str| -> u64 {
        links
            .iter()
            .filter(|l| l[end] == anchor["id"])
            .map(|l| l["visitors"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(anchor["visitors"], 12, "{a}");
    assert_eq!(through("source"), 12, "{a}");
    assert_eq!(through("target"), 12, "{a}");
    assert_eq!(a["visitors"], 12, "{a}");
    assert_eq!(a["meta"]["not_shown_visitors"], Value::Null, "{a}");

    // Anchors may be events (with props) and goals too; a path starts with the anchor's
    // label. The 6 cardiology bookings end their visits.
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(
            json!({"mode": "paths_from", "from": {"name": "Cardiology booked",
            "event": "Booking Confirmed", "props": {"specialty": "cardiologie"}}}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        a["paths"],
        json!([{"path": ["Cardiology booked", "(exit)"], "visitors": 6, "share": 100.0,
            "median_seconds": 0.0}]),
        "{a}"
    );
    // Around the goal: all 7 converters came from a booking page after a doctor's.
    let (status, a) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(json!({"mode": "flows", "around": {"goal": "Booked"}})),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let visitors_of = |id: &str| {
        a["nodes"]
            .as_array()
            .and_then(|n| n.iter().find(|n| n["id"] == id))
            .map(|n| n["visitors"].clone())
    };
    for id in ["0:Booked", "1:(exit)", "-1:Booking", "-2:Doctor profile"] {
        assert_eq!(visitors_of(id), Some(json!(7)), "{id}: {a}");
    }
    for bad in [
        json!({"page": "/a", "event": "x"}),
        json!({"page": "/a", "props": {"k": "v"}}),
        json!({}),
    ] {
        let (status, body) = post_api(
            &t,
            &key,
            "/api/v2/journeys",
            journeys(json!({"mode": "paths_from", "from": bad})),
        )
        .await;
        assert_eq!(status, 400, "{body}");
    }

    // Attribution of "Booked", first touch: every visitor-day by its first visit.
    let mut credit: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for evs in visitors.values() {
        let c = credit.entry(evs[0].channel.clone()).or_default();
        c.0 += 1;
        c.1 += u64::from(evs.iter().any(|e| e.name == "Booking Confirmed"));
    }
    let attribution = json!({"site_id": SITE, "date_range": range, "goal": "Booked", "attribution": "first_touch"});
    let (status, a) = post_api(&t, &key, "/api/v2/attribution", attribution.clone()).await;
    assert_eq!(status, 200, "{a}");
    let live_attribution = a.clone();
    assert_eq!(a["total"]["conversions"], 7, "{a}");
    for r in a["results"].as_array().unwrap() {
        let name = r["value"].as_str().unwrap();
        if name == "(other)" {
            continue;
        }
        assert_eq!(r["visitors"], credit[name].0, "{name}: {a}");
        if !r["conversions"].is_null() {
            assert_eq!(r["conversions"], credit[name].1, "{name}: {a}");
        }
    }
    // Direct holds the one orthopedics conversion (1 < 5): hidden, and Google's 6
    // with it, so the total's 7 gives nothing away.
    let direct = a["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == "Direct")
        .unwrap();
    assert_eq!(direct["conversions"], Value::Null, "{a}");

    // Built visitor-days give the same answers: today built up to 23:02:30 (the
    // visitors seen since then read from events), then both days closed and built.
    for (now, days) in [
        (base + Duration::seconds(150), 1),
        (base + Duration::days(2), 2),
    ] {
        let report = parcours::query::materialize::run(&t.store, now, Some(7))
            .await
            .unwrap();
        assert_eq!(report.built.len(), days, "{report:?}");
        let (_, built) = post_api(
            &t,
            &key,
            "/api/v2/funnel",
            funnel("1h", json!({"breakdown": "visit:channel"})),
        )
        .await;
        assert_eq!(built["steps"], live["steps"], "{built}");
        assert_eq!(built["breakdown"], live["breakdown"], "{built}");
        let (_, paths) = post_api(
            &t,
            &key,
            "/api/v2/journeys",
            journeys(json!({"mode": "paths_to", "goal": "Booked"})),
        )
        .await;
        assert_eq!(paths["paths"], live_paths["paths"], "{paths}");
        // The start and its drop-off are two stored shapes: neither reads the other's.
        let from = journeys(json!({"mode": "paths_from",
            "from": {"content_group": "Doctor profile"}, "max_steps": 3}));
        let (_, paths) = post_api(&t, &key, "/api/v2/journeys", from).await;
        assert_eq!(paths["paths"], live_from["paths"], "{paths}");
        let (_, paths) = post_api(&t, &key, "/api/v2/journeys", drop_off.clone()).await;
        assert_eq!(paths["paths"], live_drop_off["paths"], "{paths}");
        let (_, credit) = post_api(&t, &key, "/api/v2/attribution", attribution.clone()).await;
        assert_eq!(credit["results"], live_attribution["results"], "{credit}");
    }
    // Both days are closed now, so those answers summed a stored answer of the one UTC
    // day wholly inside the (Paris) range with the live rest.
    let runs = "SELECT count() FROM answer_runs";
    let stored: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert_eq!(stored, 5, "1 day x 5 shapes");
    // A new shape asked twice at once: both requests may fill the days, and only one
    // run of each day counts, now and after.
    let one_day = || post_api(&t, &key, "/api/v2/funnel", funnel("1d", json!({})));
    let ((_, a), (_, b)) = tokio::join!(one_day(), one_day());
    let (_, c) = one_day().await;
    for x in [&a, &b, &c] {
        assert_eq!(x["steps"][1]["visitors"], reached[1] + 1, "{x}");
        assert_eq!(x["steps"], a["steps"], "{x}");
    }
    let after: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert!(after > stored, "{stored} -> {after}");
    let (_, again) = post_api(
        &t,
        &key,
        "/api/v2/journeys",
        journeys(json!({"mode": "paths_to", "goal": "Booked"})),
    )
    .await;
    assert_eq!(again["paths"], live_paths["paths"], "{again}");
    let unchanged: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert_eq!(unchanged, after, "stored days are read, not filled again");
    // The job asks again what this node answered (as it does once a day closes): a
    // shape answered before its days were stored has them stored by the job, and
    // the next ask reads them.
    let warmed = funnel("2h", json!({}));
    let state = &t.running.state;
    state
        .asked
        .note(parcours::api::warm::Endpoint::Funnel, &warmed);
    let w = parcours::api::warm::run(state, base + Duration::days(2)).await;
    assert_eq!(w.failed, 0, "{w:?}");
    assert!(
        w.asked > 5,
        "every request answered above, and the new one: {w:?}"
    );
    let warm_runs: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert!(warm_runs > unchanged, "{unchanged} -> {warm_runs}");
    let (status, f) = post_api(&t, &key, "/api/v2/funnel", warmed).await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["steps"][0]["visitors"], a["steps"][0]["visitors"], "{f}");
    let read: u64 = t.store.client().query(runs).fetch_one().await.unwrap();
    assert_eq!(read, warm_runs, "the warmed day is read, not filled");
    t.running.shutdown().await;
}
