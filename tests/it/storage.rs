//! Schema, salts and the spool against the real server.

use std::time::Duration;

use chrono::Utc;
use parcours::ingest::beacon;
use parcours::ingest::pipeline::{self, Context, Enrichers, Resources};
use parcours::store::sites::SiteDirectory;
use parcours::store::{migrations, sites};
use parcours::visitor::consent::{self, ConsentKeys};
use parcours::visitor::salts::SaltRing;

use crate::support::*;

#[tokio::test]
async fn migrations_are_idempotent() {
    let store = store("migrations").await;
    let first = migrations::migrate(&store).await.unwrap();
    assert_eq!(first.len() as u32, migrations::latest_version());
    assert!(migrations::migrate(&store).await.unwrap().is_empty());
    assert!(migrations::is_current(&store).await);
}

#[tokio::test]
async fn two_nodes_starting_at_once_agree_on_salts() {
    let store = store("salt_agreement").await;
    migrations::migrate(&store).await.unwrap();
    let (a, b) = (SaltRing::default(), SaltRing::default());
    let now = Utc::now();
    let grace = Duration::from_secs(1800);
    let (ra, rb) = tokio::join!(a.rotate(&store, now, grace), b.rotate(&store, now, grace));
    ra.unwrap();
    rb.unwrap();
    assert_eq!(a.salt_at(now), b.salt_at(now));
    let tomorrow = now + chrono::Duration::days(1);
    assert!(
        a.salt_at(tomorrow).is_some(),
        "tomorrow's salt is made a day ahead"
    );
    assert_eq!(a.salt_at(tomorrow), b.salt_at(tomorrow));
    assert_ne!(a.salt_at(now), a.salt_at(tomorrow));
}

#[tokio::test]
async fn another_days_salt_gives_another_id_and_old_salts_are_destroyed() {
    let store = store("salt_days").await;
    migrations::migrate(&store).await.unwrap();
    sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    let dir = SiteDirectory::default();
    dir.refresh(&store).await.unwrap();
    let enrichers = Enrichers {
        geoip: None,
        user_agents: parcours::enrich::user_agent::UserAgentParser::with_capacity(100),
    };
    let ring = SaltRing::default();
    let grace = Duration::from_secs(1800);
    let b = beacon::parse(
        format!(r#"{{"n":"pageview","u":"https://{SITE}/","d":"{SITE}"}}"#).as_bytes(),
    )
    .unwrap();
    let consent = ConsentKeys::default();
    let res = Resources {
        sites: &dir,
        salts: &ring,
        consent: &consent,
        enrichers: &enrichers,
    };
    let id_at = |now| {
        let ctx = Context {
            ip: "192.0.2.10".parse().unwrap(),
            user_agent: CHROME_WIN,
            do_not_track: false,
            now,
        };
        pipeline::run(&b, &ctx, &res)
            .unwrap()
            .remove(0)
            .unwrap()
            .visitor_id
    };
    let today = Utc::now()
        .date_naive()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc();
    ring.rotate(&store, today, grace).await.unwrap();
    let morning = id_at(today);
    assert_eq!(
        morning,
        id_at(today + chrono::Duration::hours(5)),
        "same day, same id"
    );
    // The next day, past the grace period: yesterday's salt must be gone everywhere.
    let next = today + chrono::Duration::days(1);
    ring.rotate(&store, next, grace).await.unwrap();
    assert_ne!(morning, id_at(next), "another day, another id");
    assert!(ring.salt_at(today).is_none(), "yesterday's salt forgotten");
    let days: Vec<u16> = store
        .client()
        .query("SELECT toUInt16(day) FROM salts")
        .fetch_all()
        .await
        .unwrap();
    let yesterday = (today.date_naive() - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
        .num_days() as u16;
    assert!(
        !days.contains(&yesterday),
        "yesterday's salt partition dropped: {days:?}"
    );
    assert!(days.contains(&(yesterday + 2)), "the day after is prepared");
}

#[tokio::test]
async fn failed_inserts_wait_on_disk_and_are_replayed() {
    use parcours::buffer::{flush, spool::Spool, Sink};
    use parcours::store::events::EventRow;
    let store = store("spool").await;
    migrations::migrate(&store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let spool = std::sync::Arc::new(Spool::open(dir.path()).unwrap());
    // Nothing listens on port 1: every insert fails as if ClickHouse were down.
    let down = parcours::store::Store::new("http://127.0.0.1:1", store.database(), "default", "");
    let sink = Sink::new(down, spool.clone(), Default::default());
    let rows: Vec<EventRow> = (0..250)
        .map(|i| EventRow {
            site_id: 1,
            timestamp: 1_790_000_000 + i,
            pathname: format!("/p/{i}"),
            ..Default::default()
        })
        .collect();
    flush(&sink, rows, 2).await;
    assert_eq!(spool.pending().len(), 1);
    assert_eq!(count_rows(&store).await, 0);
    assert_eq!(spool.replay(&store).await.unwrap(), 250);
    assert!(spool.pending().is_empty());
    assert_eq!(count_rows(&store).await, 250);
}

#[tokio::test]
async fn consented_ids_last_across_days_only_where_the_site_enabled_them() {
    let store = store("consent").await;
    migrations::migrate(&store).await.unwrap();
    let site = sites::add(&store, SITE, "Europe/Paris").await.unwrap();
    let dir = SiteDirectory::default();
    dir.refresh(&store).await.unwrap();
    let enrichers = Enrichers {
        geoip: None,
        user_agents: parcours::enrich::user_agent::UserAgentParser::with_capacity(100),
    };
    let (ring, keys) = (SaltRing::default(), ConsentKeys::default());
    let today = Utc::now();
    let tomorrow = today + chrono::Duration::days(1);
    ring.rotate(&store, today, Duration::from_secs(1800))
        .await
        .unwrap();
    let cid = "0123456789abcdef0123456789abcdef";
    let b = beacon::parse(
        format!(r#"{{"n":"pageview","u":"https://{SITE}/","d":"{SITE}","c":"{cid}"}}"#).as_bytes(),
    )
    .unwrap();
    let row_at = |now, ip: &str, keys: &ConsentKeys| {
        let res = Resources {
            sites: &dir,
            salts: &ring,
            consent: keys,
            enrichers: &enrichers,
        };
        let ctx = Context {
            ip: ip.parse().unwrap(),
            user_agent: CHROME_WIN,
            do_not_track: false,
            now,
        };
        pipeline::run(&b, &ctx, &res).unwrap().remove(0).unwrap()
    };
    // Not enabled: `c` is ignored and the daily id applies.
    let plain = row_at(today, "192.0.2.10", &keys);
    assert_eq!(plain.consented, 0);
    consent::enable(&store, site.site_id).await.unwrap();
    consent::enable(&store, site.site_id).await.unwrap(); // idempotent: the key is kept
    keys.refresh(&store).await.unwrap();
    let a = row_at(today, "192.0.2.10", &keys);
    // Tomorrow, from another network: still the same visitor, because they consented.
    ring.rotate(&store, tomorrow, Duration::from_secs(1800))
        .await
        .unwrap();
    let b2 = row_at(tomorrow, "198.51.100.7", &keys);
    assert_eq!((a.consented, b2.consented), (1, 1));
    assert_eq!(a.visitor_id, b2.visitor_id);
    assert_ne!(a.visitor_id, plain.visitor_id);
    // Disabling erases the key: the same consent id no longer links to anything.
    consent::disable(&store, site.site_id).await.unwrap();
    keys.refresh(&store).await.unwrap();
    assert!(keys.key_for(site.site_id).is_none());
    assert_eq!(row_at(tomorrow, "192.0.2.10", &keys).consented, 0);
    let stored: Vec<String> = store
        .client()
        .query("SELECT key FROM consent_keys")
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(stored, vec![String::new()], "the old key is merged away");
}

#[tokio::test]
async fn another_nodes_build_in_progress_is_not_dropped() {
    let t = TestServer::start("build_in_progress", |_| {}).await;
    let body = serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/"), "d": SITE});
    assert_eq!(
        t.beacon(&body.to_string(), "81.2.69.160", CHROME_WIN)
            .await
            .0,
        202
    );
    assert_eq!(t.wait_rows(1).await, 1);
    let now = Utc::now();
    let tomorrow = now + chrono::Duration::days(1);
    let report = parcours::query::materialize::run(&t.store, tomorrow, None)
        .await
        .unwrap();
    assert_eq!(report.built, vec![now.date_naive()]);
    // Another node rebuilding the day has written its rows and not yet recorded them.
    let in_progress: u64 = 42;
    t.store
        .client()
        .query(&parcours::query::materialize::build_day_sql(false))
        .bind(in_progress)
        .bind(now.date_naive().to_string())
        .execute()
        .await
        .unwrap();
    // Long after the current build was recorded, the job runs again on this node.
    let later = tomorrow + chrono::Duration::hours(1);
    let report = parcours::query::materialize::run(&t.store, later, None)
        .await
        .unwrap();
    assert_eq!(report.dropped, 0, "{report:?}");
    let rows: u64 = t
        .store
        .client()
        .query("SELECT count() FROM visitor_days WHERE build = ?")
        .bind(in_progress)
        .fetch_one()
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

/// Events of `site` at each of the given times, inserted directly.
async fn insert_at(store: &parcours::store::Store, site: u32, times: &[chrono::DateTime<Utc>]) {
    for (i, t) in times.iter().enumerate() {
        store
            .client()
            .query(
                "INSERT INTO events (site_id, timestamp, visitor_id, name, pathname) \
                 VALUES (?, toDateTime(?), ?, 'pageview', '/')",
            )
            .bind(site)
            .bind(t.timestamp())
            .bind(1000 + i as u64)
            .execute()
            .await
            .unwrap();
    }
}

async fn count_where(store: &parcours::store::Store, sql: &str, site: u32) -> u64 {
    store
        .client()
        .query(sql)
        .bind(site)
        .fetch_one()
        .await
        .unwrap()
}

#[tokio::test]
async fn retention_forgets_each_sites_old_data() {
    let store = store("retention").await;
    migrations::migrate(&store).await.unwrap();
    let now = Utc::now();
    let short = sites::add(&store, "short.example", "UTC").await.unwrap();
    let mut long = sites::add(&store, "long.example", "UTC").await.unwrap();
    long.retention_months = 25;
    long.updated_at += 1;
    sites::save(&store, &long).await.unwrap();
    let mut short_site = short.clone();
    short_site.retention_months = 1;
    short_site.updated_at += 1;
    sites::save(&store, &short_site).await.unwrap();
    let days = |n: i64| now - chrono::Duration::days(n);
    insert_at(&store, short.site_id, &[days(1), days(90)]).await;
    insert_at(&store, long.site_id, &[days(90), days(900)]).await;
    parcours::query::materialize::run(&store, now, None)
        .await
        .unwrap();
    let report = parcours::store::retention::run(&store, now).await.unwrap();
    // 900 days back is past both retentions: its month and its day go whole.
    assert_eq!(report.dropped, 3, "{report:?}");
    // The short site's 90-day-old rows: events, visitor-days, rollups, stored answers,
    // their rows and their runs.
    assert_eq!(report.deletions, 6, "{report:?}");
    let events = "SELECT count() FROM events WHERE site_id = ?";
    let days_of = "SELECT count() FROM visitor_days WHERE site_id = ?";
    for _ in 0..100 {
        if count_where(&store, events, short.site_id).await == 1
            && count_where(&store, days_of, short.site_id).await == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count_where(&store, events, short.site_id).await, 1);
    assert_eq!(count_where(&store, days_of, short.site_id).await, 1);
    assert_eq!(count_where(&store, events, long.site_id).await, 1);
    assert_eq!(count_where(&store, days_of, long.site_id).await, 1);
    // Nothing is left to forget.
    let again = parcours::store::retention::run(&store, now).await.unwrap();
    assert_eq!(again, parcours::store::retention::Report::default());
}

#[tokio::test]
async fn a_spool_that_cannot_be_written_turns_beacons_away_instead_of_losing_them() {
    use parcours::buffer::{flush, Sink};
    use parcours::store::events::EventRow;
    let t = TestServer::start("spool_failing", |c| c.buffer.spool_replay_seconds = 3600).await;
    let state = &t.running.state;
    assert_eq!(t.pageview("/", &ip(1), CHROME_WIN).await, 202);
    // Landed first: its insert, succeeding, would say storage works again.
    assert_eq!(t.wait_rows(1).await, 1);
    // The spool's directory goes, and a batch that needed it (ClickHouse down) is lost.
    std::fs::remove_dir_all(state.config.spool_dir()).unwrap();
    let down = parcours::store::Store::new("http://127.0.0.1:1", t.store.database(), "default", "");
    let sink = Sink::new(down, state.spool.clone(), Default::default());
    flush(&sink, vec![EventRow::default()], 1).await;
    assert!(state.spool.is_failing());
    // From then on: 503 with Retry-After, never a 202 that could not be kept.
    let r = t
        .post_beacon(
            &format!(r#"{{"n":"pageview","u":"https://{SITE}/","d":"{SITE}"}}"#),
            &ip(2),
            CHROME_WIN,
        )
        .await;
    assert_eq!(r.status().as_u16(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let ready = t
        .http
        .get(format!("{}/ready", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["spool"], false, "{ready}");
    // ClickHouse answers again (the directory is still gone): events are taken again.
    state.recheck_storage().await;
    assert!(!state.spool.is_failing());
    assert_eq!(t.pageview("/", &ip(3), CHROME_WIN).await, 202);
    assert_eq!(t.wait_rows(2).await, 2);
}

#[tokio::test]
async fn a_job_lease_is_held_by_one_node_and_handed_over_when_released() {
    use parcours::store::leases;
    let store = store("leases").await;
    migrations::migrate(&store).await.unwrap();
    let now = Utc::now().timestamp_millis() as u64;
    let ttl = 180_000;
    assert!(leases::hold(&store, "visitor_days", "a", now, ttl)
        .await
        .unwrap());
    // Held: another node waits; the holder renews.
    assert!(!leases::hold(&store, "visitor_days", "b", now + 1, ttl)
        .await
        .unwrap());
    assert!(leases::hold(&store, "visitor_days", "a", now + 2, ttl)
        .await
        .unwrap());
    // Another job is free.
    assert!(leases::hold(&store, "retention", "b", now + 3, ttl)
        .await
        .unwrap());
    // Released (a node stopping), it goes to the next node at once.
    leases::release(&store, "visitor_days", "b", now + 4)
        .await
        .unwrap();
    assert!(!leases::hold(&store, "visitor_days", "b", now + 5, ttl)
        .await
        .unwrap());
    leases::release(&store, "visitor_days", "a", now + 6)
        .await
        .unwrap();
    assert!(leases::hold(&store, "visitor_days", "b", now + 8, ttl)
        .await
        .unwrap());
    // Expired, it goes too.
    assert!(
        leases::hold(&store, "visitor_days", "a", now + 9 + ttl, ttl)
            .await
            .unwrap()
    );
}
