//! Seeded, reproducible traffic of a clinic's website, with its ground truth.
//!
//! * [`model`]: the site's pages, channels, browsers and networks.
//! * [`journey`]: people and their journeys, day by day, from a seed.
//! * [`truth`]: what Parcours must report for them, computed independently.
//! * [`bulk`]: rows straight into ClickHouse in large batches (history, benchmarks).
//! * [`live`]: beacons through the real `POST /api/event` at a chosen rate (demos, load).

pub mod bulk;
pub mod journey;
pub mod live;
pub mod model;
pub mod truth;

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use journey::{Person, SimEvent, Via};
use model::{CHANNELS, PAGES};

/// Errors of a simulation.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The options make no sense; the text says why.
    #[error("{0}")]
    Invalid(String),
    /// Posting beacons failed.
    #[error("posting beacons: {0}")]
    Http(#[from] reqwest::Error),
    /// The in-process server did not start.
    #[error(transparent)]
    Server(#[from] crate::server::ServerError),
}

impl From<clickhouse::error::Error> for SimulateError {
    fn from(e: clickhouse::error::Error) -> Self {
        Self::Store(e.into())
    }
}

/// The period of whole site-local days `first..=last`, cut at `now` (no future events).
pub fn period(
    tz: Tz,
    first: NaiveDate,
    last: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), SimulateError> {
    if last < first {
        return Err(SimulateError::Invalid(format!(
            "the period ends ({last}) before it starts ({first})"
        )));
    }
    let from = day_start(tz, first);
    let to = day_start(tz, last + Days::new(1)).min(now);
    if to <= from {
        return Err(SimulateError::Invalid(format!(
            "the period starting {first} is in the future"
        )));
    }
    Ok((from, to))
}

/// Midnight of a site-local day, exactly as the stats API's date ranges start it.
pub fn day_start(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let secs = crate::query::range::local_midnight(tz, day);
    DateTime::from_timestamp(secs, 0).expect("a representable day")
}

/// The last `days` site-local days, today included (cut at now).
pub fn last_days(
    tz: Tz,
    days: u32,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), SimulateError> {
    let today = now.with_timezone(&tz).date_naive();
    let first = today - Days::new(u64::from(days.max(1) - 1));
    period(tz, first, today, now)
}

/// The JSON body the tracker would send for `e` (same URL and referrer for a page's
/// custom events as for its pageview).
pub fn beacon_body(domain: &str, person: &Person, e: &SimEvent) -> String {
    let page = e.page();
    // Patient-area URLs carry an appointment number, masked by ingestion.
    let path = page
        .path
        .replace("{id}", &(10_000 + e.at_ms.rem_euclid(90_000)).to_string());
    let (query, referrer) = match e.via {
        Via::Landing(c) => {
            let c = &CHANNELS[usize::from(c)];
            (
                c.query,
                (!c.referrer.is_empty()).then(|| c.referrer.to_owned()),
            )
        }
        Via::Internal(p) => {
            let prev = PAGES[usize::from(p)].path.replace("{id}", "20417");
            ("", Some(format!("https://{domain}{prev}")))
        }
        Via::Crawl => ("", None),
    };
    let mut body = Map::new();
    body.insert("n".into(), e.action.name().into());
    body.insert("u".into(), format!("https://{domain}{path}{query}").into());
    body.insert("d".into(), domain.into());
    body.insert("r".into(), referrer.map_or(Value::Null, Value::String));
    let props = e.action.props(usize::from(e.page));
    if !props.is_empty() {
        let p: Map<String, Value> = props
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into()))
            .collect();
        body.insert("p".into(), Value::Object(p));
    }
    if let Some(c) = &person.consent_id {
        body.insert("c".into(), c.as_str().into());
    }
    Value::Object(body).to_string()
}

/// Share of crawler "visitors" by default (they are sent, and must be dropped).
pub const DEFAULT_BOT_SHARE: f64 = 0.04;

/// Share of people accepting a consent banner by default.
pub const DEFAULT_CONSENT_SHARE: f64 = 0.3;

/// The site's time zone.
pub fn timezone(site: &crate::store::sites::Site) -> Result<Tz, SimulateError> {
    site.timezone
        .parse()
        .map_err(|_| SimulateError::Invalid(format!("unknown time zone {:?}", site.timezone)))
}

/// Enrichment resources as `serve` opens them (GeoIP from the configuration).
pub fn enrichers(
    config: &crate::config::Config,
) -> Result<crate::ingest::pipeline::Enrichers, SimulateError> {
    let geoip = match config.geoip_path() {
        Some(path) => Some(
            crate::enrich::geoip::GeoIp::open(&path)
                .map_err(|e| SimulateError::Invalid(format!("GeoIP database: {e}")))?,
        ),
        None => None,
    };
    Ok(crate::ingest::pipeline::Enrichers {
        geoip,
        user_agents: crate::enrich::user_agent::UserAgentParser::new(),
    })
}

/// Binds: site id.
pub const STORED_ROWS: &str = "SELECT count() FROM events WHERE site_id = ?";

/// Rows stored for a site.
pub async fn stored_rows(store: &crate::store::Store, site_id: u32) -> Result<u64, SimulateError> {
    Ok(store
        .client()
        .query(STORED_ROWS)
        .bind(site_id)
        .fetch_one::<u64>()
        .await?)
}

/// People per day that give about `events` stored rows over `settings`' period,
/// estimated from a pilot run of the same model with another seed.
pub fn people_per_day_for(events: u64, settings: &journey::Settings) -> f64 {
    let pilot = journey::Settings {
        seed: settings.seed ^ 0x5eed,
        to: settings.from + chrono::Duration::days(7),
        people_per_day: 300.0,
        ..settings.clone()
    };
    let (mut stored, mut started) = (0u64, 0u64);
    for p in journey::Generator::new(pilot) {
        started += 1;
        if !p.bot {
            stored += p.events.len() as u64;
        }
    }
    let per_person = stored as f64 / started.max(1) as f64;
    let days = (settings.to - settings.from).num_seconds() as f64 / 86_400.0;
    events as f64 / per_person.max(1.0) / days.max(1.0 / 24.0)
}
