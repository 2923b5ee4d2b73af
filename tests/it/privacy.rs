//! Privacy as tests: no PII in storage, sensitive paths, DNT, daily salts.

use crate::support::*;
use parcours::store::sites;

const EMAIL: &str = "jean.dupont@example.fr";
const PLANTED_IP: &str = "203.0.113.77";
const PLANTED_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) PlantedAgent/7.7 Chrome/130.0.0.0 Safari/537.36";

/// Beacons carrying the planted values everywhere a beacon can carry them.
pub fn planted_beacons() -> Vec<String> {
    let e = EMAIL;
    vec![
        serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/patients/{e}/dossier?email={e}&utm_content={e}&ip={PLANTED_IP}#{e}"), "d": SITE,
            "r": format!("https://webmail.example.fr/read/{e}?to={e}")}).to_string(),
        serde_json::json!({"n": "Contact", "u": format!("https://{SITE}/contact/jean.dupont%40example.fr"), "d": SITE,
            "p": {"contact": e, "phone": "06 12 34 56 78"}}).to_string(),
        serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/reset/3f2a9c0e-8a1b-4c7d-9e2f-1a2b3c4d5e6f/123456"), "d": SITE}).to_string(),
        // The address and the number as property keys, and the site named three ways:
        // one row, keys masked as values are.
        serde_json::json!({"n": "Rappel", "u": format!("https://{SITE}/rappel"),
            "d": format!("{SITE},{}, www.{SITE}", SITE.to_uppercase()),
            "p": {e: "oui", "rappel 0612345678": "1"}}).to_string(),
    ]
}

/// Every string-like column of every table in the database, searched for `needle`.
pub async fn occurrences(store: &parcours::store::Store, needle: &str) -> Vec<String> {
    #[derive(serde::Deserialize, clickhouse::Row)]
    struct Col {
        table: String,
        name: String,
        r#type: String,
    }
    let cols: Vec<Col> = store
        .client()
        .query("SELECT table, name, type FROM system.columns WHERE database = ? AND type LIKE '%String%'")
        .bind(store.database())
        .fetch_all()
        .await
        .unwrap();
    assert!(
        cols.len() > 20,
        "expected many string columns, got {}",
        cols.len()
    );
    let mut hits = Vec::new();
    for c in cols {
        let cond = if c.r#type.starts_with("Array(Array") {
            format!(
                "arrayExists(x -> arrayExists(y -> positionCaseInsensitive(y, ?) > 0, x), `{}`)",
                c.name
            )
        } else if c.r#type.starts_with("Array") {
            format!(
                "arrayExists(x -> positionCaseInsensitive(x, ?) > 0, `{}`)",
                c.name
            )
        } else {
            format!("positionCaseInsensitive(toString(`{}`), ?) > 0", c.name)
        };
        let n: u64 = store
            .client()
            .query(&format!("SELECT count() FROM `{}` WHERE {cond}", c.table))
            .bind(needle)
            .fetch_one()
            .await
            .unwrap();
        if n > 0 {
            hits.push(format!("{}.{}", c.table, c.name));
        }
    }
    hits
}

#[tokio::test]
async fn planted_email_ip_and_user_agent_are_stored_nowhere() {
    let t = TestServer::start("planted_pii", |_| {}).await;
    for b in planted_beacons() {
        assert_eq!(t.beacon(&b, PLANTED_IP, PLANTED_UA).await.0, 202, "{b}");
    }
    assert_eq!(t.wait_rows(4).await, 4);
    // Build today's visitor-days as if the day were over, so they are searched too.
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let built = parcours::query::materialize::run(&t.store, tomorrow, None)
        .await
        .unwrap();
    assert!(!built.built.is_empty());
    for needle in [
        EMAIL,
        "jean.dupont",
        "dupont%40",
        PLANTED_IP,
        PLANTED_UA,
        "PlantedAgent",
        "0612345678",
        "06 12 34 56 78",
    ] {
        assert_eq!(
            occurrences(&t.store, needle).await,
            Vec::<String>::new(),
            "{needle} found"
        );
    }
    let paths: Vec<String> = t
        .store
        .client()
        .query("SELECT pathname FROM events ORDER BY pathname")
        .fetch_all()
        .await
        .unwrap();
    assert!(paths.contains(&"/reset/:id/:id".to_owned()), "{paths:?}");
    t.running.shutdown().await;
}

#[tokio::test]
async fn sensitive_paths_keep_country_only_and_dnt_is_honoured() {
    let t = TestServer::start("sensitive", |_| {}).await;
    let changes = sites::SiteSettings {
        sensitive_paths: Some(vec!["/pathologies/**".into()]),
        respect_dnt: Some(true),
        ..Default::default()
    };
    sites::update(&t.store, SITE, &changes).await.unwrap();
    t.running.refresh().await.unwrap();
    assert_eq!(
        t.pageview("/pathologies/cancer-du-sein", "81.2.69.160", CHROME_WIN)
            .await,
        202
    );
    assert_eq!(
        t.pageview("/medecins", "81.2.69.160", CHROME_WIN).await,
        202
    );
    let dnt = t
        .http
        .post(format!("{}/api/event", t.base))
        .header("user-agent", FIREFOX_LINUX)
        .header("x-forwarded-for", ip(5))
        .header("dnt", "1")
        .body(
            serde_json::json!({"n": "pageview", "u": format!("https://{SITE}/dnt"), "d": SITE})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(dnt.status(), 202, "DNT is honoured silently");
    assert_eq!(t.wait_rows(2).await, 2);
    let rows: Vec<(String, u8, String, String, String)> = t
        .store
        .client()
        .query("SELECT pathname, sensitive, toString(country_code), region, city FROM events ORDER BY pathname")
        .fetch_all()
        .await
        .unwrap();
    assert_eq!(rows[0].0, "/medecins");
    assert_eq!((rows[0].1, rows[0].4.as_str()), (0, "London"));
    assert_eq!(rows[1].0, "/pathologies/cancer-du-sein");
    assert_eq!(
        (
            rows[1].1,
            rows[1].2.as_str(),
            rows[1].3.as_str(),
            rows[1].4.as_str()
        ),
        (1, "GB", "", "")
    );
    t.running.shutdown().await;
}
