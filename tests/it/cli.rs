//! `parcours query`, `goals` and `groups` answer what the HTTP API answers.

use crate::support::*;
use clap::Parser;
use parcours::cli::definitions::{self, GoalsCommand, GroupsCommand, SiteFlags};
use parcours::cli::query::{self, Kind, QueryArgs};
use parcours::cli::{CliError, Format};
use parcours::server::AppState;
use parcours::store::{keys, sites};
use serde_json::{json, Value};

#[derive(Parser)]
struct QueryCli {
    #[command(flatten)]
    args: QueryArgs,
}

fn flags(format: Format) -> SiteFlags {
    SiteFlags {
        site: SITE.into(),
        format,
    }
}

#[tokio::test]
async fn cli_answers_equal_the_api() {
    let t = TestServer::start("cli_equals_api", |_| {}).await;
    let site = sites::list(&t.store).await.unwrap().remove(0);
    let key = keys::create(&t.store, site.site_id).await.unwrap();
    for i in 0..8 {
        t.pageview("/symptoms/fever", &ip(i), CHROME_WIN).await;
    }
    for i in 10..16 {
        t.pageview("/doctors/dr-martin", &ip(i), CHROME_WIN).await;
    }
    for i in 20..22 {
        t.pageview("/booking/confirmed", &ip(i), CHROME_WIN).await;
    }
    assert_eq!(t.wait_rows(16).await, 16);

    // Definitions made on the command line are the API's.
    let added = definitions::goals(
        &t.store,
        GoalsCommand::Add {
            site: flags(Format::Json),
            name: "Booked".into(),
            event: None,
            page: Some("/booking/confirmed".into()),
        },
    )
    .await
    .unwrap();
    let added: Value = serde_json::from_str(&added).unwrap();
    assert_eq!(
        added,
        json!({"name": "Booked", "event_name": "", "page": "/booking/confirmed"})
    );
    let group = |patterns: Vec<String>| GroupsCommand::Add {
        site: flags(Format::Table),
        name: "Symptom research".into(),
        patterns,
        position: 0,
    };
    let shown = definitions::groups(&t.store, group(vec!["/symptoms/**".into()]))
        .await
        .unwrap();
    assert!(shown.contains("Symptom research"), "{shown}");
    let r = t
        .http
        .get(format!("{}/api/v2/content_groups?site_id={SITE}", t.base))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let listed: Value = r.json().await.unwrap();
    let on_cli = definitions::groups(
        &t.store,
        GroupsCommand::List {
            site: flags(Format::Json),
        },
    )
    .await
    .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&on_cli).unwrap(), listed);
    // The same validation, with the same message.
    let (status, refused) = post_api(
        &t,
        &key,
        "/api/v2/content_groups",
        json!({"site_id": SITE, "name": "x", "patterns": ["no-slash"]}),
    )
    .await;
    assert_eq!(status, 400);
    let err = definitions::groups(&t.store, group(vec!["no-slash".into()]))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), refused["error"].as_str().unwrap());
    let err = definitions::goals(
        &t.store,
        GoalsCommand::Delete {
            site: flags(Format::Table),
            name: "Nope".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_string(), "no goal named \"Nope\"");

    // Stats: the same body answered through HTTP and in-process.
    let state = AppState::for_queries(t.running.state.config.clone(), t.store.clone())
        .await
        .unwrap();
    for body in [
        json!({"site_id": SITE, "metrics": ["visitors", "pageviews"], "date_range": "day", "dimensions": ["event:page"]}),
        json!({"site_id": SITE, "metrics": ["visitors", "conversion_rate"], "date_range": "7d", "dimensions": ["event:goal"]}),
        json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "day", "dimensions": ["event:content_group"],
               "filters": [["matches", "event:page", ["/symptoms/**", "/doctors/*"]]],
               "include": {"comparisons": {"mode": "previous_period"}}}),
    ] {
        let http = ask_ok(&t, &key, body.clone()).await;
        let cli = query::answer(&state, Kind::Stats, &body, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(cli, http, "{body}");
    }
    // Funnels, journeys and attribution: the same bodies, the same answers.
    for (kind, path, body) in [
        (
            Kind::Funnel,
            "/api/v2/funnel",
            json!({"site_id": SITE, "date_range": "day", "steps": [{"content_group": "Symptom research"}, {"goal": "Booked"}]}),
        ),
        (
            Kind::Journeys,
            "/api/v2/journeys",
            json!({"site_id": SITE, "date_range": "day", "mode": "flows", "around": {"page": "/doctors/*"}}),
        ),
        (
            Kind::Attribution,
            "/api/v2/attribution",
            json!({"site_id": SITE, "date_range": "day", "goal": "Booked"}),
        ),
    ] {
        let (status, http) = post_api(&t, &key, path, body.clone()).await;
        assert_eq!(status, 200, "{http}");
        let cli = query::answer(&state, kind, &body, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(cli, http, "{body}");
    }
    let bad = json!({"site_id": SITE, "metrics": ["visitors"], "date_range": "fortnight"});
    let (status, refused) = ask(&t, &key, bad.clone()).await;
    assert_eq!(status, 400);
    let err = query::answer(&state, Kind::Stats, &bad, chrono::Utc::now())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), refused["error"].as_str().unwrap());
    let err = query::answer(
        &state,
        Kind::Stats,
        &json!({"site_id": "nope.fr"}),
        chrono::Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CliError::UnknownSite(_)), "{err}");

    // Realtime: the same, but for the window's ends (each call has its own now).
    let (_, mut http) = post_api(&t, &key, "/api/v2/realtime", json!({"site_id": SITE})).await;
    let mut cli = query::answer(
        &state,
        Kind::Realtime,
        &json!({"site_id": SITE}),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    for a in [&mut http, &mut cli] {
        let meta = a["meta"].as_object_mut().unwrap();
        assert!(meta.remove("from").is_some() && meta.remove("to").is_some());
    }
    assert_eq!(cli, http);
    assert_eq!(cli["visitors"], 16);

    // And the whole command, flags to table.
    let cli = QueryCli::try_parse_from([
        "query",
        "stats",
        "--site",
        SITE,
        "--metrics",
        "visitors,pageviews",
        "--dimensions",
        "event:page",
        "--period",
        "day",
    ])
    .unwrap();
    let words = parcours::i18n::Words::new(parcours::i18n::Lang::En);
    let text = query::run_in(t.running.state.config.clone(), &t.store, cli.args, &words)
        .await
        .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..3],
        [
            "Page             Visitors  Pageviews",
            "/symptoms/fever         8          8",
            // /booking/confirmed (2) and then /doctors/dr-martin (6) fold.
            "(other)                 8          8",
        ],
        "{text}"
    );
    assert!(
        lines
            .last()
            .unwrap()
            .contains("Groups under 5 visitors are folded into “(other)”. 2 groups folded."),
        "{text}"
    );
    t.running.shutdown().await;
}
