//! Bulk output: simulated events written straight into ClickHouse in large batches, for
//! history (the demo's 30 days) and query benchmarks at millions of rows.
//!
//! Requirements:
//! 1. Rows must be exactly what ingestion would have stored for the same beacons from
//!    the same address and browser at the same instant: the enrichment is the real
//!    pipeline (`ingest::pipeline::run`), run once per distinct page/referrer/event and
//!    once per person, then combined. A test checks every row against a full pipeline
//!    run.
//! 2. Fast: rows borrow their strings from the memoized parts (no copies), are encoded
//!    as they are built and streamed to ClickHouse, and one batch's insert finishes
//!    while the next is being built.
//! 3. Visitor ids come from simulated daily salts (past days' real salts are gone by
//!    design) or, for consenting people on a site with consented journeys, from the
//!    site's real consent key, exactly as ingestion computes them.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use super::journey::{Action, Generator, Person, Settings, SimEvent, Via};
use super::truth::Truth;
use super::{beacon_body, SimulateError};
use crate::ingest::beacon;
use crate::ingest::pipeline::{self, Context, Enrichers, Resources};
use crate::store::events::{EventRow, EventRowRef};
use crate::store::sites::{Site, SiteDirectory};
use crate::store::Store;
use crate::visitor::consent::{consented_id, ConsentKeys};
use crate::visitor::salts::SaltRing;
use crate::visitor::{visitor_id, Salt};

/// Rows per insert: large, so each insert makes few parts (clickhouse-notes P21).
pub const BATCH_ROWS: usize = 200_000;

/// What a bulk load did.
#[derive(Debug, Clone)]
pub struct BulkReport {
    /// Rows inserted.
    pub rows: u64,
    /// Wall time from the first generated person to the last insert's answer.
    pub seconds: f64,
    /// The ground truth of the load.
    pub truth: Truth,
}

impl BulkReport {
    /// Rows per second, end to end.
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

/// The salt the simulation uses for a UTC day, derived from the seed so a rerun gives
/// the same ids.
pub fn simulated_salt(seed: u64, day: NaiveDate) -> Salt {
    let mut h = Sha256::new();
    h.update(b"parcours simulated salt");
    h.update(seed.to_be_bytes());
    h.update(day.to_string().as_bytes());
    h.finalize().into()
}

/// Builds stored rows for simulated people, memoizing the real pipeline's output.
pub struct Stamper {
    site: Site,
    seed: u64,
    consent_key: Option<[u8; 32]>,
    sites: SiteDirectory,
    /// Enrichers with GeoIP, for the per-person part.
    enrichers: Enrichers,
    /// Enrichers without GeoIP, for the per-page part (no address involved).
    plain: Enrichers,
    /// Page parts by (page, how it was reached, event), as indices into `pages`.
    templates: HashMap<(u16, Via, Action), usize>,
    pages: Vec<EventRow>,
    /// The person being stamped: geography and browser, then per event its page part
    /// and (visitor id, consented).
    who: EventRow,
    parts: Vec<(usize, u64, u8)>,
    /// The salt of the last UTC day asked for.
    salt: Option<(NaiveDate, Salt)>,
    /// The beacon and stand-in salts of the per-person run, made once: geography and
    /// browser do not depend on the page or the day.
    home: beacon::Beacon,
    home_salts: SaltRing,
    no_consent: ConsentKeys,
}

/// The instant of the per-person pipeline run (any will do; its day has a salt).
fn home_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).expect("valid time")
}

/// Fields that depend on the page, referrer and event, not on the person.
fn page_part(row: EventRow) -> EventRow {
    EventRow {
        name: row.name,
        hostname: row.hostname,
        pathname: row.pathname,
        query_keys: row.query_keys,
        query_values: row.query_values,
        referrer: row.referrer,
        referrer_source: row.referrer_source,
        channel: row.channel,
        utm_source: row.utm_source,
        utm_medium: row.utm_medium,
        utm_campaign: row.utm_campaign,
        utm_content: row.utm_content,
        utm_term: row.utm_term,
        prop_keys: row.prop_keys,
        prop_values: row.prop_values,
        revenue_amount: row.revenue_amount,
        revenue_currency: row.revenue_currency,
        sensitive: row.sensitive,
        ..EventRow::default()
    }
}

impl Stamper {
    /// A stamper for one site; `consent_key` is the site's key when it enabled
    /// consented journeys.
    pub fn new(site: Site, seed: u64, consent_key: Option<[u8; 32]>, enrichers: Enrichers) -> Self {
        let domain = site.domain.clone();
        Self {
            sites: SiteDirectory::from_sites(vec![site.clone()]),
            site,
            seed,
            consent_key,
            enrichers,
            plain: Enrichers {
                geoip: None,
                user_agents: crate::enrich::user_agent::UserAgentParser::new(),
            },
            templates: HashMap::new(),
            pages: Vec::new(),
            who: EventRow::default(),
            parts: Vec::new(),
            salt: None,
            home: beacon::parse(
                format!(r#"{{"n":"pageview","u":"https://{domain}/","d":"{domain}"}}"#).as_bytes(),
            )
            .expect("a valid beacon"),
            home_salts: SaltRing::fixed([(home_at().date_naive(), [0u8; 32])]),
            no_consent: ConsentKeys::default(),
        }
    }

    /// Runs the real pipeline once, with a stand-in salt for `at`'s day.
    fn pipeline_row(
        &self,
        body: &str,
        ip: IpAddr,
        user_agent: &str,
        at: DateTime<Utc>,
        enrichers: &Enrichers,
    ) -> Option<EventRow> {
        let beacon = beacon::parse(body.as_bytes()).expect("simulated beacons are valid");
        let salts = SaltRing::fixed([(at.date_naive(), [0u8; 32])]);
        let consent = ConsentKeys::default();
        let res = Resources {
            sites: &self.sites,
            salts: &salts,
            consent: &consent,
            enrichers,
        };
        let ctx = Context {
            ip,
            user_agent,
            do_not_track: false,
            now: at,
        };
        let mut rows = pipeline::run(&beacon, &ctx, &res).expect("a salt is given");
        rows.pop().and_then(Result::ok)
    }

    /// Prepares `person`'s rows; false when ingestion would store none (crawlers).
    pub fn prepare(&mut self, person: &Person) -> bool {
        self.parts.clear();
        if person.events.is_empty() {
            return false;
        }
        let res = Resources {
            sites: &self.sites,
            salts: &self.home_salts,
            consent: &self.no_consent,
            enrichers: &self.enrichers,
        };
        let ctx = Context {
            ip: IpAddr::V4(person.ip),
            user_agent: person.user_agent,
            do_not_track: false,
            now: home_at(),
        };
        // The person's part: geography and browser, or a drop (crawlers).
        let mut rows = pipeline::run(&self.home, &ctx, &res).expect("a salt is given");
        let Some(Ok(who)) = rows.pop() else {
            return false;
        };
        self.who = who;
        let consented = self
            .consent_key
            .zip(person.consent_id.as_deref())
            .map(|(key, cid)| consented_id(&key, self.site.site_id, cid));
        // One HMAC per person and UTC day, not per event.
        let mut daily: Option<(i64, u64)> = None;
        for e in &person.events {
            let page = self.template(person, e);
            let (id, flag) = match consented {
                Some(id) => (id, 1),
                None => {
                    let day = e.at_ms.div_euclid(86_400_000);
                    let id = match daily {
                        Some((d, id)) if d == day => id,
                        _ => self.daily_id(e.at_ms, person.ip, person.user_agent),
                    };
                    daily = Some((day, id));
                    (id, 0)
                }
            };
            self.parts.push((page, id, flag));
        }
        true
    }

    /// The rows of the person last prepared.
    pub fn stamped<'s>(&'s self, person: &'s Person) -> impl Iterator<Item = EventRowRef<'s>> {
        let who = &self.who;
        person
            .events
            .iter()
            .zip(&self.parts)
            .map(move |(e, &(page, visitor_id, consented))| {
                let p = &self.pages[page];
                // Sensitive pages keep country only, as `put_geo` does.
                let local = p.sensitive == 0;
                let geo = |s: &'s str| if local { s } else { "" };
                EventRowRef {
                    site_id: self.site.site_id,
                    timestamp: (e.at_ms / 1000) as u32,
                    timestamp_ms: (e.at_ms % 1000) as u16,
                    visitor_id,
                    name: &p.name,
                    hostname: &p.hostname,
                    pathname: &p.pathname,
                    query_keys: &p.query_keys,
                    query_values: &p.query_values,
                    referrer: &p.referrer,
                    referrer_source: &p.referrer_source,
                    channel: &p.channel,
                    utm_source: &p.utm_source,
                    utm_medium: &p.utm_medium,
                    utm_campaign: &p.utm_campaign,
                    utm_content: &p.utm_content,
                    utm_term: &p.utm_term,
                    country_code: who.country_code,
                    subdivision_code: geo(&who.subdivision_code),
                    region: geo(&who.region),
                    city: geo(&who.city),
                    city_geoname_id: if local { who.city_geoname_id } else { 0 },
                    browser: &who.browser,
                    browser_version: &who.browser_version,
                    os: &who.os,
                    os_version: &who.os_version,
                    device: who.device,
                    prop_keys: &p.prop_keys,
                    prop_values: &p.prop_values,
                    revenue_amount: p.revenue_amount,
                    revenue_currency: p.revenue_currency,
                    sensitive: p.sensitive,
                    consented,
                    batch_id: 0,
                }
            })
    }

    /// Appends owned rows ingestion would store for `person` (none for a crawler).
    pub fn rows(&mut self, person: &Person, out: &mut Vec<EventRow>) {
        if self.prepare(person) {
            out.extend(self.stamped(person).map(|r| r.to_row()));
        }
    }

    fn daily_id(&mut self, at_ms: i64, ip: Ipv4Addr, user_agent: &str) -> u64 {
        let day = DateTime::from_timestamp_millis(at_ms)
            .expect("valid time")
            .date_naive();
        let salt = match self.salt {
            Some((d, s)) if d == day => s,
            _ => {
                let s = simulated_salt(self.seed, day);
                self.salt = Some((day, s));
                s
            }
        };
        visitor_id(&salt, self.site.site_id, IpAddr::V4(ip), user_agent)
    }

    fn template(&mut self, person: &Person, e: &SimEvent) -> usize {
        let key = (e.page, e.via, e.action);
        if let Some(&i) = self.templates.get(&key) {
            return i;
        }
        let body = beacon_body(&self.site.domain, person, e);
        let at = DateTime::from_timestamp_millis(e.at_ms).expect("valid time");
        // Any ordinary browser and address: only the page part is kept.
        let row = self
            .pipeline_row(
                &body,
                IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
                super::model::USER_AGENTS[0].0,
                at,
                &self.plain,
            )
            .expect("simulated pages are stored");
        self.pages.push(page_part(row));
        self.templates.insert(key, self.pages.len() - 1);
        self.pages.len() - 1
    }
}

/// Generates the period's traffic for `site` and inserts it; returns the ground truth.
///
/// Generation, row building and RowBinary encoding run on a dedicated thread that
/// streams each batch into ClickHouse as it is built, while the previous batch's insert
/// finishes (ClickHouse sorts and writes the part) on the runtime's other worker.
pub async fn load(
    store: &Store,
    site: Site,
    settings: Settings,
    enrichers: Enrichers,
) -> Result<BulkReport, SimulateError> {
    let consent_keys = ConsentKeys::default();
    consent_keys.refresh(store).await?;
    let consent_key = consent_keys.key_for(site.site_id);
    // Loopback: compressing would cost both ends CPU for nothing.
    let client = store
        .client()
        .clone()
        .with_compression(clickhouse::Compression::None);
    let started = Instant::now();
    let worker = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| SimulateError::Invalid(format!("bulk runtime: {e}")))?;
        runtime.block_on(generate_and_insert(
            client,
            site,
            settings,
            consent_key,
            enrichers,
        ))
    });
    let (rows, truth) = tokio::task::spawn_blocking(move || worker.join())
        .await
        .expect("join task")
        .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
    Ok(BulkReport {
        rows,
        seconds: started.elapsed().as_secs_f64(),
        truth,
    })
}

async fn generate_and_insert(
    client: clickhouse::Client,
    site: Site,
    settings: Settings,
    consent_key: Option<[u8; 32]>,
    enrichers: Enrichers,
) -> Result<(u64, Truth), SimulateError> {
    let new_insert = || client.insert::<EventRowRef<'static>>("events");
    let mut stamper = Stamper::new(site, settings.seed, consent_key, enrichers);
    let mut truth = Truth::new();
    let mut insert = new_insert().await?;
    let (mut rows, mut in_batch) = (0u64, 0usize);
    let mut ending: Option<tokio::task::JoinHandle<clickhouse::error::Result<()>>> = None;
    let mut people = Generator::new(settings);
    for person in people.by_ref() {
        truth.add(&person, consent_key.is_some());
        if !stamper.prepare(&person) {
            continue;
        }
        for row in stamper.stamped(&person) {
            insert.write(&row).await?;
            in_batch += 1;
        }
        if in_batch >= BATCH_ROWS {
            let full = std::mem::replace(&mut insert, new_insert().await?);
            if let Some(previous) = ending.take() {
                previous.await.expect("insert task")?;
            }
            ending = Some(tokio::spawn(full.end()));
            rows += in_batch as u64;
            in_batch = 0;
        }
    }
    if let Some(previous) = ending.take() {
        previous.await.expect("insert task")?;
    }
    insert.end().await?;
    rows += in_batch as u64;
    truth.generated.reused_addresses = people.reused_addresses();
    Ok((rows, truth.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::geoip::GeoIp;
    use crate::enrich::user_agent::UserAgentParser;
    use crate::simulate::model;
    use chrono::{Duration, TimeZone};

    fn demo_site() -> Site {
        let mut site = Site::new(7, "demo.parcours.local", "Europe/Paris");
        model::clinic_settings(&mut site);
        site
    }

    fn enrichers() -> Enrichers {
        Enrichers {
            geoip: Some(GeoIp::open(std::path::Path::new("tests/fixtures")).unwrap()),
            user_agents: UserAgentParser::new(),
        }
    }

    #[test]
    fn every_row_is_what_the_pipeline_stores_for_the_same_beacon() {
        let from = Utc.with_ymd_and_hms(2026, 3, 27, 0, 0, 0).unwrap();
        let settings = Settings {
            seed: 11,
            from,
            to: from + Duration::days(4),
            timezone: chrono_tz::Europe::Paris,
            people_per_day: 60.0,
            bot_share: 0.05,
            consent_share: 0.3,
        };
        let key = [5u8; 32];
        let site = demo_site();
        let mut stamper = Stamper::new(site.clone(), 11, Some(key), enrichers());
        let days = (0..20).map(|d| {
            let day = from.date_naive() + chrono::Days::new(d);
            (day, simulated_salt(11, day))
        });
        let salts = SaltRing::fixed(days);
        let consent = ConsentKeys::fixed([(site.site_id, key)]);
        let sites = SiteDirectory::from_sites(vec![site.clone()]);
        let reference = enrichers();
        let res = Resources {
            sites: &sites,
            salts: &salts,
            consent: &consent,
            enrichers: &reference,
        };
        let (mut people, mut bots, mut sensitive) = (0, 0, 0);
        for person in Generator::new(settings) {
            let mut got = Vec::new();
            stamper.rows(&person, &mut got);
            let want: Vec<EventRow> = person
                .events
                .iter()
                .filter_map(|e| {
                    let body = beacon_body(&site.domain, &person, e);
                    let ctx = Context {
                        ip: IpAddr::V4(person.ip),
                        user_agent: person.user_agent,
                        do_not_track: false,
                        now: DateTime::from_timestamp_millis(e.at_ms).unwrap(),
                    };
                    let b = beacon::parse(body.as_bytes()).unwrap();
                    pipeline::run(&b, &ctx, &res).unwrap().pop().unwrap().ok()
                })
                .collect();
            assert_eq!(got, want, "{person:?}");
            people += usize::from(!person.bot);
            bots += usize::from(person.bot);
            sensitive += got.iter().filter(|r| r.sensitive == 1).count();
        }
        assert!(
            people > 100 && bots > 0 && sensitive > 0,
            "{people} {bots} {sensitive}"
        );
    }
}
