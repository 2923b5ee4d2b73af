//! The demo site `demo.parcours.local`: a private clinic's website with 30 days of
//! simulated patients, so the first dashboard a newcomer opens tells a story.
//!
//! History is written in bulk (`simulate::bulk`): the rows are exactly what ingestion
//! would have stored, but past days cannot be posted through HTTP, whose timestamps
//! are the server's clock. Live traffic on top is `parcours simulate --mode live`.

use chrono::Utc;

use crate::config::Config;
use crate::simulate::{self, bulk, journey::Settings, model, SimulateError};
use crate::store::{goals, keys, migrations, sites, Store};
use crate::visitor::consent;

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
    /// ClickHouse could not be reached or started.
    #[error(transparent)]
    Local(#[from] crate::store::local::LocalError),
    /// The simulation failed.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// A goal or content group was refused.
    #[error(transparent)]
    Definition(#[from] goals::DefinitionError),
}

/// The demo's goals: (name, event name), in the French clinic's words (the event names
/// are its developers').
const GOALS: &[(&str, &str)] = &[
    ("RDV confirmé", "Booking Confirmed"),
    ("Prise de RDV commencée", "Booking Started"),
    ("Appel téléphonique", "Phone Click"),
    ("Inscription webinaire", "Webinar Registration"),
];

/// The demo's content groups, in the clinic's words: (name, patterns).
const GROUPS: &[(&str, &[&str])] = &[
    ("Recherche de symptômes", &["/symptomes/**"]),
    ("Pathologies", &["/pathologies/**"]),
    ("Spécialités", &["/specialites/**"]),
    ("Fiches médecins", &["/medecins/**"]),
    ("Prise de rendez-vous", &["/prendre-rendez-vous/**"]),
    ("Webinaires", &["/webinaires/**"]),
    ("Actualités", &["/actualites/**"]),
];

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Days of history, today included.
    pub days: u32,
    /// People whose first visit falls on an average day.
    pub people_per_day: f64,
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
    /// Rows written now (0 when the demo data was already there).
    pub rows: u64,
    /// Rows the site already had, when the load was skipped.
    pub existing: u64,
    /// Seconds the load took.
    pub seconds: f64,
}

/// Creates the demo site if needed and fills it, unless it already has events.
pub async fn run(config: &Config, opts: &Options) -> Result<Report, DemoError> {
    let conn = crate::store::local::connect(config).await?;
    let result = fill(&conn.store, config, opts).await;
    conn.close().await;
    result
}

async fn fill(store: &Store, config: &Config, opts: &Options) -> Result<Report, DemoError> {
    let site = prepare_site(store).await?;
    let existing = simulate::stored_rows(store, site.site_id).await?;
    let (mut rows, mut seconds) = (0, 0.0);
    if existing == 0 {
        let tz = simulate::timezone(&site)?;
        let (from, to) = simulate::last_days(tz, opts.days, Utc::now())?;
        let settings = Settings {
            seed: opts.seed,
            from,
            to,
            timezone: tz,
            people_per_day: opts.people_per_day,
            bot_share: simulate::DEFAULT_BOT_SHARE,
            consent_share: simulate::DEFAULT_CONSENT_SHARE,
        };
        let report =
            bulk::load(store, site.clone(), settings, simulate::enrichers(config)?).await?;
        (rows, seconds) = (report.rows, report.seconds);
    }
    let api_key = keys::create(store, site.site_id).await?;
    Ok(Report {
        domain: DOMAIN.into(),
        api_key,
        rows,
        existing,
        seconds,
    })
}

/// Name of the demo's saved funnel.
pub const DEMO_FUNNEL: &str = "Des symptômes au rendez-vous";

/// The demo site, created with its patient area marked sensitive, referring doctors
/// as partners, cities on, consented journeys enabled, and goals and content groups
/// so that funnels and journeys read in the clinic's words.
pub async fn prepare_site(store: &Store) -> Result<sites::Site, DemoError> {
    migrations::migrate(store).await?;
    if let Some(site) = sites::find(store, DOMAIN).await? {
        return Ok(site);
    }
    let mut site = sites::add(store, DOMAIN, "Europe/Paris").await?;
    model::clinic_settings(&mut site);
    site.city_enabled = 1;
    site.updated_at += 1;
    sites::save(store, &site).await?;
    consent::enable(store, site.site_id).await?;
    for (name, event) in GOALS {
        goals::save_goal(store, site.site_id, name, Some(event), None).await?;
    }
    for (position, (name, patterns)) in GROUPS.iter().enumerate() {
        let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
        goals::save_group(store, site.site_id, name, &patterns, position as u32 + 1).await?;
    }
    // A saved funnel, so the dashboard's funnel view opens on the clinic's main journey.
    let symptom_to_booking = serde_json::json!({
        "steps": [
            {"name": "Recherche de symptômes", "content_group": "Recherche de symptômes"},
            {"name": "Fiche médecin", "content_group": "Fiches médecins"},
            {"name": "Prise de RDV commencée", "goal": "Prise de RDV commencée"},
            {"name": "RDV confirmé", "goal": "RDV confirmé"},
        ],
        "window": "1d",
    });
    crate::store::funnels::save(store, site.site_id, DEMO_FUNNEL, &symptom_to_booking).await?;
    Ok(site)
}
