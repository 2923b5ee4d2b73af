//! The demo site `demo.parcours.local`: a private clinic's website visited by simulated
//! patients, posted through the real `POST /api/event` path so the demo exercises
//! exactly what production does (validation, enrichment, anonymization, batching).
//!
//! Deliberately small: a seeded first version with a few thousand pageviews, timed
//! now. Multi-day history and bulk loads belong to the simulator issue.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::config::Config;
use crate::store::{keys, migrations, sites, Store};

/// Domain of the demo site.
pub const DOMAIN: &str = "demo.parcours.local";

/// Errors of the demo.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Site setup failed.
    #[error(transparent)]
    Site(#[from] sites::SiteError),
    /// The in-process server did not start.
    #[error(transparent)]
    Server(#[from] crate::server::ServerError),
    /// ClickHouse could not be reached or started.
    #[error(transparent)]
    Local(#[from] crate::store::local::LocalError),
    /// Posting beacons failed.
    #[error("posting beacons: {0}")]
    Http(#[from] reqwest::Error),
}

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Visitors to simulate.
    pub visitors: u32,
    /// Random seed.
    pub seed: u64,
}

/// What was done.
#[derive(Debug, Clone)]
pub struct Report {
    /// The demo domain.
    pub domain: String,
    /// A fresh API key for the demo site.
    pub api_key: String,
    /// Visitors simulated.
    pub visitors: u32,
    /// Beacons posted.
    pub beacons: u64,
    /// Beacons answered 202.
    pub accepted: u64,
}

/// Starts ClickHouse and a server in-process, posts the traffic, flushes and stops.
pub async fn run_in_process(mut config: Config, opts: &Options) -> Result<Report, DemoError> {
    let conn = crate::store::local::connect(&config).await?;
    config.listen = "127.0.0.1:0".parse().expect("valid address");
    // The demo stands in for many visitors behind one proxy: itself.
    config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("valid net")];
    config.ingest.rate_limit_per_second = 0;
    let result = async {
        prepare_site(&conn.store).await?;
        let running = crate::server::start(config, conn.store.clone()).await?;
        let url = format!("http://{}", running.addr);
        let posted = post_traffic(&url, opts).await;
        running.shutdown().await;
        let (beacons, accepted) = posted?;
        finish(&conn.store, opts, beacons, accepted).await
    }
    .await;
    conn.close().await;
    result
}

/// Posts the traffic to a running server (which must trust this host as a proxy).
pub async fn run_against(store: &Store, url: &str, opts: &Options) -> Result<Report, DemoError> {
    prepare_site(store).await?;
    // Give the server's site refresh a chance to see a newly created site.
    tokio::time::sleep(std::time::Duration::from_secs(11)).await;
    let (beacons, accepted) = post_traffic(url, opts).await?;
    finish(store, opts, beacons, accepted).await
}

async fn prepare_site(store: &Store) -> Result<(), DemoError> {
    migrations::migrate(store).await?;
    if sites::find(store, DOMAIN).await?.is_some() {
        return Ok(());
    }
    let mut site = sites::add(store, DOMAIN, "Europe/Paris").await?;
    site.sensitive_paths = vec!["/mon-espace-patient/**".into()];
    site.partner_domains = vec![
        "cabinet-dr-lefevre.fr".into(),
        "maison-medicale-des-lilas.fr".into(),
    ];
    site.updated_at += 1;
    sites::save(store, &site).await?;
    Ok(())
}

async fn finish(
    store: &Store,
    opts: &Options,
    beacons: u64,
    accepted: u64,
) -> Result<Report, DemoError> {
    let site = sites::find(store, DOMAIN)
        .await?
        .ok_or_else(|| crate::store::StoreError::Invalid("demo site vanished".into()))?;
    let api_key = keys::create(store, site.site_id).await?;
    Ok(Report {
        domain: DOMAIN.into(),
        api_key,
        visitors: opts.visitors,
        beacons,
        accepted,
    })
}

/// A page of the clinic's site and where it tends to lead.
const PAGES: &[&str] = &[
    "/",
    "/symptomes/douleur-au-genou",
    "/symptomes/mal-de-dos-chronique",
    "/symptomes/essoufflement",
    "/pathologies/arthrose-du-genou",
    "/pathologies/hernie-discale",
    "/pathologies/insuffisance-cardiaque",
    "/specialites/orthopedie",
    "/specialites/cardiologie",
    "/specialites/chirurgie-du-rachis",
    "/medecins",
    "/medecins/dr-claire-martin",
    "/medecins/dr-karim-benali",
    "/medecins/dr-sophie-durand",
    "/infos-pratiques/acces-et-parking",
    "/infos-pratiques/preparer-son-hospitalisation",
    "/actualites/webinaire-prothese-de-hanche",
    "/temoignages",
];

/// Where visitors come from: (referrer, landing query, weight).
const CHANNELS: &[(&str, &str, u32)] = &[
    ("https://www.google.fr/", "", 38),
    ("https://www.bing.com/", "", 5),
    ("https://www.qwant.com/", "", 2),
    ("https://duckduckgo.com/", "", 2),
    ("", "", 16),
    ("https://l.facebook.com/", "", 7),
    ("https://www.instagram.com/", "", 4),
    ("https://www.linkedin.com/", "", 3),
    ("https://www.youtube.com/", "", 3),
    (
        "",
        "?utm_source=newsletter&utm_medium=email&utm_campaign=lettre-novembre",
        8,
    ),
    (
        "",
        "?utm_source=zoom&utm_medium=webinar&utm_campaign=prothese-hanche",
        4,
    ),
    ("https://cabinet-dr-lefevre.fr/orientation", "", 5),
    ("https://www.doctolib.fr/", "", 3),
];

const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
];

/// Public address blocks of French, Belgian and Swiss access providers.
const NETWORKS: &[[u8; 2]] = &[
    [90, 0],
    [86, 200],
    [78, 192],
    [82, 64],
    [109, 0],
    [176, 128],
    [81, 240],
    [85, 0],
];

/// One simulated visitor's beacons, in order.
fn journey(rng: &mut StdRng) -> (String, String, Vec<serde_json::Value>) {
    let ip = {
        let net = NETWORKS.choose(rng).expect("non-empty");
        Ipv4Addr::new(
            net[0],
            net[1].wrapping_add(rng.random_range(0..32)),
            rng.random(),
            rng.random_range(1..255),
        )
    };
    let ua = USER_AGENTS.choose(rng).expect("non-empty").to_string();
    let (referrer, query, _) = *CHANNELS
        .choose_weighted(rng, |c| c.2)
        .expect("positive weights");
    let base = format!("https://{DOMAIN}");
    let mut beacons = Vec::new();
    let mut path = *PAGES[..7].choose(rng).expect("non-empty");
    let mut prev = referrer.to_owned();
    let mut first = true;
    let steps = rng.random_range(1..=7);
    for _ in 0..steps {
        let url = if first {
            format!("{base}{path}{query}")
        } else {
            format!("{base}{path}")
        };
        beacons.push(json!({ "n": "pageview", "u": url, "d": DOMAIN, "r": if prev.is_empty() { None } else { Some(prev.clone()) } }));
        first = false;
        prev = format!("{base}{path}");
        if path.starts_with("/medecins/") && rng.random_bool(0.3) {
            beacons.push(json!({ "n": "Booking Started", "u": prev, "d": DOMAIN, "p": { "specialty": specialty(path) } }));
            beacons.push(json!({ "n": "pageview", "u": format!("{base}/prendre-rendez-vous"), "d": DOMAIN, "r": prev }));
            if rng.random_bool(0.6) {
                beacons.push(json!({ "n": "Booking Confirmed", "u": format!("{base}/prendre-rendez-vous/confirmation"), "d": DOMAIN, "p": { "specialty": specialty(path) } }));
            }
            break;
        }
        if path == "/infos-pratiques/acces-et-parking" && rng.random_bool(0.4) {
            beacons.push(json!({ "n": "Phone Click", "u": prev, "d": DOMAIN }));
        }
        if path == "/actualites/webinaire-prothese-de-hanche" && rng.random_bool(0.3) {
            beacons.push(json!({ "n": "Webinar Registration", "u": prev, "d": DOMAIN, "p": { "webinar": "prothese-hanche" } }));
        }
        path = next_page(path, rng);
    }
    (ip.to_string(), ua, beacons)
}

fn specialty(path: &str) -> &'static str {
    match path {
        "/medecins/dr-claire-martin" => "orthopedie",
        "/medecins/dr-karim-benali" => "cardiologie",
        _ => "chirurgie-du-rachis",
    }
}

fn next_page(from: &str, rng: &mut StdRng) -> &'static str {
    let options: &[&'static str] = if from.starts_with("/symptomes/") {
        &[
            "/pathologies/arthrose-du-genou",
            "/pathologies/hernie-discale",
            "/pathologies/insuffisance-cardiaque",
            "/medecins",
        ]
    } else if from.starts_with("/pathologies/") {
        &[
            "/specialites/orthopedie",
            "/specialites/cardiologie",
            "/medecins/dr-claire-martin",
            "/medecins/dr-karim-benali",
        ]
    } else if from.starts_with("/specialites/") || from == "/medecins" {
        &[
            "/medecins/dr-claire-martin",
            "/medecins/dr-karim-benali",
            "/medecins/dr-sophie-durand",
        ]
    } else {
        PAGES
    };
    options.choose(rng).expect("non-empty")
}

/// Posts every visitor's beacons, a few visitors at a time; returns (posted, accepted).
async fn post_traffic(url: &str, opts: &Options) -> Result<(u64, u64), DemoError> {
    let client = reqwest::Client::new();
    let endpoint = format!("{}/api/event", url.trim_end_matches('/'));
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let journeys: Vec<_> = (0..opts.visitors).map(|_| journey(&mut rng)).collect();
    let posted = Arc::new(AtomicU64::new(0));
    let accepted = Arc::new(AtomicU64::new(0));
    let queue = Arc::new(tokio::sync::Mutex::new(journeys));
    let mut workers = Vec::new();
    for _ in 0..8 {
        let (client, endpoint, queue) = (client.clone(), endpoint.clone(), queue.clone());
        let (posted, accepted) = (posted.clone(), accepted.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let Some((ip, ua, beacons)) = queue.lock().await.pop() else {
                    return Ok::<(), reqwest::Error>(());
                };
                for b in beacons {
                    let resp = client
                        .post(&endpoint)
                        .header("content-type", "text/plain")
                        .header("user-agent", &ua)
                        .header("x-forwarded-for", &ip)
                        .body(b.to_string())
                        .send()
                        .await?;
                    posted.fetch_add(1, Ordering::Relaxed);
                    if resp.status() == reqwest::StatusCode::ACCEPTED {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for w in workers {
        w.await.expect("demo worker panicked")?;
    }
    Ok((
        posted.load(Ordering::Relaxed),
        accepted.load(Ordering::Relaxed),
    ))
}
