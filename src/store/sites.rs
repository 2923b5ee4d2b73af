//! Registered sites: the `sites` table and the in-memory directory nodes read from.
//!
//! Nodes keep no state of their own: the directory is a copy of the table, swapped
//! whole on each refresh so that the ingest path reads it without locks.

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwap;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::patterns::PathSet;

/// A registered site and its privacy settings.
#[derive(Debug, Clone, PartialEq, clickhouse::Row, Serialize, Deserialize)]
pub struct Site {
    /// Stable numeric id stored with every event.
    pub site_id: u32,
    /// Domain as sent by the tracker (`d`), lowercase, without `www.`.
    pub domain: String,
    /// IANA time zone used for day boundaries in reports.
    pub timezone: String,
    /// Groups with fewer visitors than this are folded into "(other)".
    pub min_group_size: u16,
    /// Months of events kept.
    pub retention_months: u16,
    /// Path patterns (`/conditions/**`) kept for aggregate counts only.
    pub sensitive_paths: Vec<String>,
    /// Query-string keys kept beyond the built-in allow-list.
    pub query_allow: Vec<String>,
    /// Domains of referring professionals (their referrals get their own channel).
    pub partner_domains: Vec<String>,
    /// Other host names the site's pages are served from (aliases), beside `domain` and
    /// its subdomains; a beacon from any other host is dropped (`foreign_host`).
    pub hosts: Vec<String>,
    /// Whether Do-Not-Track and Global Privacy Control are honoured.
    pub respect_dnt: u8,
    /// Whether city-level geography is recorded (else region at most).
    pub city_enabled: u8,
    /// Tombstone for a removed site.
    pub deleted: u8,
    /// Version of this row (latest wins).
    pub updated_at: u32,
}

impl Site {
    /// A site with the default privacy settings.
    pub fn new(site_id: u32, domain: &str, timezone: &str) -> Self {
        Self {
            site_id,
            domain: normalize_domain(domain),
            timezone: timezone.to_owned(),
            min_group_size: 5,
            retention_months: 25,
            sensitive_paths: Vec::new(),
            query_allow: Vec::new(),
            partner_domains: Vec::new(),
            hosts: Vec::new(),
            respect_dnt: 0,
            city_enabled: 1,
            deleted: 0,
            updated_at: now_secs(),
        }
    }
}

/// Lowercases and strips `www.` so `WWW.Clinic.fr` and `clinic.fr` are one site.
pub fn normalize_domain(domain: &str) -> String {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    d.strip_prefix("www.").map(str::to_owned).unwrap_or(d)
}

fn now_secs() -> u32 {
    u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(u32::MAX)
}

/// Errors of site administration.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The domain is already registered.
    #[error("site {0} is already registered")]
    Exists(String),
    /// The domain or setting is unusable.
    #[error("invalid site: {0}")]
    Invalid(String),
    /// ClickHouse failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Registers a new site; fails if the domain is taken.
pub async fn add(store: &Store, domain: &str, timezone: &str) -> Result<Site, SiteError> {
    let domain = normalize_domain(domain);
    if domain.is_empty()
        || domain.len() > 253
        || !domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(SiteError::Invalid(format!("{domain:?} is not a domain")));
    }
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        return Err(SiteError::Invalid(format!(
            "{timezone:?} is not an IANA time zone"
        )));
    }
    let sites = list(store).await?;
    if sites.iter().any(|s| s.domain == domain) {
        return Err(SiteError::Exists(domain));
    }
    // Random ids, not a counter: two admins adding sites at once cannot collide on
    // max(id)+1, and ids reveal nothing about how many sites a server hosts.
    let mut site_id = 0;
    while site_id == 0 || sites.iter().any(|s| s.site_id == site_id) {
        site_id = rand::random::<u32>() & 0x7fff_ffff;
    }
    let site = Site::new(site_id, &domain, timezone);
    save(store, &site).await?;
    Ok(site)
}

/// Changes to a site's settings; `None` leaves a setting as it is. The names are
/// those of `PATCH /api/v2/sites`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Path patterns kept for aggregate counts only.
    pub sensitive_paths: Option<Vec<String>>,
    /// Domains of referring professionals.
    pub partner_domains: Option<Vec<String>>,
    /// Other host names the site's pages are served from (aliases).
    pub hosts: Option<Vec<String>>,
    /// Query-string keys kept beyond the built-in allow-list.
    pub query_allow: Option<Vec<String>>,
    /// Honour Do-Not-Track / GPC.
    pub respect_dnt: Option<bool>,
    /// Record cities (else region at most).
    pub city_enabled: Option<bool>,
    /// Smallest group shown in reports.
    pub min_group_size: Option<u16>,
    /// Months of events kept.
    pub retention_months: Option<u16>,
}

/// The live site registered for `domain` (normalized), if any.
pub async fn find(store: &Store, domain: &str) -> Result<Option<Site>, StoreError> {
    let domain = normalize_domain(domain);
    Ok(list(store).await?.into_iter().find(|s| s.domain == domain))
}

/// Applies `changes` to the site registered for `domain`, validating every value.
pub async fn update(
    store: &Store,
    domain: &str,
    changes: &SiteSettings,
) -> Result<Site, SiteError> {
    let mut site = find(store, domain)
        .await?
        .ok_or_else(|| SiteError::Invalid(format!("no site {}", normalize_domain(domain))))?;
    apply(&mut site, changes)?;
    // Latest `updated_at` wins in the ReplacingMergeTree, so it must move forward even
    // when two updates land within one second.
    site.updated_at = now_secs().max(site.updated_at + 1);
    save(store, &site).await?;
    Ok(site)
}

/// Most aliases one site may have.
const MAX_HOSTS: usize = 50;

fn apply(site: &mut Site, c: &SiteSettings) -> Result<(), SiteError> {
    let invalid = |m: String| Err(SiteError::Invalid(m));
    if let Some(tz) = &c.timezone {
        if tz.parse::<chrono_tz::Tz>().is_err() {
            return invalid(format!("{tz:?} is not an IANA time zone"));
        }
        site.timezone = tz.clone();
    }
    if let Some(paths) = &c.sensitive_paths {
        PathSet::new(paths).map_err(|e| SiteError::Invalid(e.to_string()))?;
        site.sensitive_paths = paths.clone();
    }
    if let Some(domains) = &c.partner_domains {
        site.partner_domains = domains
            .iter()
            .map(|d| normalize_domain(d))
            .filter(|d| !d.is_empty())
            .collect();
    }
    if let Some(hosts) = &c.hosts {
        let hosts: Vec<String> = hosts
            .iter()
            .map(|h| normalize_domain(h))
            .filter(|h| !h.is_empty())
            .collect();
        if hosts.len() > MAX_HOSTS {
            return invalid(format!("at most {MAX_HOSTS} hosts"));
        }
        if let Some(bad) = hosts.iter().find(|h| {
            h.len() > 253
                || !h
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        }) {
            return invalid(format!("host {bad:?} is not a host name"));
        }
        site.hosts = hosts;
    }
    if let Some(keys) = &c.query_allow {
        if let Some(bad) = keys.iter().find(|k| {
            k.is_empty()
                || k.len() > 64
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        }) {
            return invalid(format!(
                "query key {bad:?} must be 1-64 letters, digits, _ or -"
            ));
        }
        site.query_allow = keys.iter().map(|k| k.to_ascii_lowercase()).collect();
    }
    if let Some(v) = c.respect_dnt {
        site.respect_dnt = u8::from(v);
    }
    if let Some(v) = c.city_enabled {
        site.city_enabled = u8::from(v);
    }
    if let Some(k) = c.min_group_size {
        // Below 2 a group is one person: suppression would protect nobody.
        if k < 2 {
            return invalid("min_group_size must be at least 2".into());
        }
        site.min_group_size = k;
    }
    if let Some(m) = c.retention_months {
        if !(1..=120).contains(&m) {
            return invalid("retention_months must be between 1 and 120".into());
        }
        site.retention_months = m;
    }
    Ok(())
}

/// Writes a site row (insert or update).
pub async fn save(store: &Store, site: &Site) -> Result<(), StoreError> {
    let mut insert = store.client().insert::<Site>("sites").await?;
    insert.write(site).await?;
    insert.end().await?;
    Ok(())
}

/// Every table holding a site's rows, by `site_id`: what deleting a site erases.
pub const SITE_TABLES: [&str; 15] = [
    "events",
    "visitor_days",
    "day_rollups",
    "answer_parts",
    "answer_rows",
    "answer_runs",
    "goals",
    "content_groups",
    "funnels",
    "consent_keys",
    "api_keys",
    "memberships",
    "invitations",
    "shares",
    "audit_log",
];

/// Binds: site id. Erases a site's rows of `table` (one of [`SITE_TABLES`]).
pub fn erase_sql(table: &str) -> String {
    format!("ALTER TABLE {table} DELETE WHERE site_id = ?")
}

/// Deletes a site: its row at once (ingestion and reports stop within a refresh),
/// then its rows everywhere, as mutations ClickHouse carries out in the background.
pub async fn delete(store: &Store, site: &Site) -> Result<(), SiteError> {
    let mut gone = site.clone();
    gone.deleted = 1;
    gone.updated_at = now_secs().max(site.updated_at + 1);
    save(store, &gone).await?;
    let shards = store.shards().await?;
    for table in SITE_TABLES {
        for target in store.stores_for(table, &shards) {
            target
                .client()
                .query(&erase_sql(table))
                .bind(site.site_id)
                .execute()
                .await
                .map_err(StoreError::from)?;
        }
    }
    Ok(())
}

/// No binds (`?fields` is the `Site` columns).
pub const LIST: &str = "SELECT ?fields FROM sites FINAL WHERE deleted = 0 ORDER BY domain";

/// All live sites, ordered by domain.
pub async fn list(store: &Store) -> Result<Vec<Site>, StoreError> {
    Ok(store.client().query(LIST).fetch_all::<Site>().await?)
}

/// A site with its patterns compiled, as the ingest path needs it.
#[derive(Debug)]
pub struct SiteEntry {
    /// The site's settings.
    pub site: Site,
    /// Compiled `sensitive_paths`.
    pub sensitive: PathSet,
}

impl SiteEntry {
    /// Compiles the site's patterns; broken patterns fail closed (every path sensitive).
    pub fn new(site: Site) -> Self {
        let sensitive = PathSet::new(&site.sensitive_paths).unwrap_or_else(|e| {
            tracing::error!(site = site.domain, error = %e, "treating every path as sensitive");
            PathSet::new(&["/**".to_owned()]).expect("valid pattern")
        });
        Self { site, sensitive }
    }

    /// Whether a page on `host` belongs to this site: its domain, a subdomain of it
    /// (`blog.clinique.fr` for `clinique.fr`, as Plausible counts them), or one of its
    /// `hosts` or their subdomains. `www.` and case do not matter. Nothing else does:
    /// not `localhost` or an address, unless listed in `hosts`.
    pub fn owns_host(&self, host: &str) -> bool {
        self.owns_normalized_host(&normalize_domain(host))
    }

    /// [`Self::owns_host`] for a host already through `normalize_domain`: the ingest
    /// path normalizes a beacon's host once, not once per site it names.
    pub fn owns_normalized_host(&self, host: &str) -> bool {
        let under = |name: &str| {
            host == name
                || (host.len() > name.len()
                    && host.ends_with(name)
                    && host.as_bytes()[host.len() - name.len() - 1] == b'.')
        };
        under(&self.site.domain) || self.site.hosts.iter().any(|h| under(h))
    }
}

/// Lock-free lookup of sites by domain, refreshed from ClickHouse.
#[derive(Default)]
pub struct SiteDirectory {
    by_domain: ArcSwap<HashMap<String, Arc<SiteEntry>>>,
}

impl SiteDirectory {
    /// A directory of the given sites, without ClickHouse (simulator, tests).
    pub fn from_sites(sites: Vec<Site>) -> Self {
        let map: HashMap<_, _> = sites
            .into_iter()
            .map(|s| (s.domain.clone(), Arc::new(SiteEntry::new(s))))
            .collect();
        Self {
            by_domain: ArcSwap::from_pointee(map),
        }
    }

    /// Re-reads the `sites` table and swaps the whole map at once.
    pub async fn refresh(&self, store: &Store) -> Result<usize, StoreError> {
        let sites = list(store).await?;
        let map: HashMap<_, _> = sites
            .into_iter()
            .map(|s| (s.domain.clone(), Arc::new(SiteEntry::new(s))))
            .collect();
        let n = map.len();
        self.by_domain.store(Arc::new(map));
        Ok(n)
    }

    /// The site registered for `domain` (normalized), if any.
    pub fn get(&self, domain: &str) -> Option<Arc<SiteEntry>> {
        let map = self.by_domain.load();
        match map.get(domain) {
            Some(s) => Some(s.clone()),
            None => map.get(&normalize_domain(domain)).cloned(),
        }
    }

    /// Every registered site.
    pub fn all(&self) -> Vec<Arc<SiteEntry>> {
        self.by_domain.load().values().cloned().collect()
    }

    /// The site with this numeric id or domain.
    pub fn find(&self, id_or_domain: &str) -> Option<Arc<SiteEntry>> {
        if let Some(s) = self.get(id_or_domain) {
            return Some(s);
        }
        self.by_id(id_or_domain.parse().ok()?)
    }

    /// The site with this numeric id.
    pub fn by_id(&self, id: u32) -> Option<Arc<SiteEntry>> {
        self.by_domain
            .load()
            .values()
            .find(|s| s.site.site_id == id)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_validated_before_they_apply() {
        let mut site = Site::new(1, "c.fr", "Europe/Paris");
        let ok = SiteSettings {
            sensitive_paths: Some(vec!["/pathologies/**".into()]),
            partner_domains: Some(vec!["WWW.Cabinet-Dr-Lefevre.fr".into()]),
            respect_dnt: Some(true),
            min_group_size: Some(10),
            ..Default::default()
        };
        apply(&mut site, &ok).unwrap();
        assert_eq!(site.partner_domains, vec!["cabinet-dr-lefevre.fr"]);
        assert_eq!((site.respect_dnt, site.min_group_size), (1, 10));
        for bad in [
            SiteSettings {
                sensitive_paths: Some(vec!["pathologies".into()]),
                ..Default::default()
            },
            SiteSettings {
                min_group_size: Some(1),
                ..Default::default()
            },
            SiteSettings {
                timezone: Some("Mars/Olympus".into()),
                ..Default::default()
            },
            SiteSettings {
                query_allow: Some(vec!["a b".into()]),
                ..Default::default()
            },
            SiteSettings {
                retention_months: Some(0),
                ..Default::default()
            },
        ] {
            let before = site.clone();
            assert!(apply(&mut site, &bad).is_err(), "{bad:?}");
            assert_eq!(site, before);
        }
    }

    #[test]
    fn a_site_owns_its_domain_subdomains_and_aliases() {
        let mut site = Site::new(1, "clinique.fr", "Europe/Paris");
        apply(
            &mut site,
            &SiteSettings {
                hosts: Some(vec!["WWW.Clinique-Paris.fr".into(), " localhost ".into()]),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(site.hosts, ["clinique-paris.fr", "localhost"]);
        let entry = SiteEntry::new(site);
        for own in [
            "clinique.fr",
            "www.clinique.fr",
            "CLINIQUE.FR.",
            "blog.clinique.fr",
            "a.b.clinique.fr",
            "clinique-paris.fr",
            "rdv.clinique-paris.fr",
            "localhost",
        ] {
            assert!(entry.owns_host(own), "{own}");
        }
        for foreign in [
            "maclinique.fr",
            "clinique.fr.evil.com",
            "evil.com",
            "fr",
            "127.0.0.1",
            "",
        ] {
            assert!(!entry.owns_host(foreign), "{foreign}");
        }
        let mut site = entry.site.clone();
        for bad in [vec!["a b.fr".to_owned()], vec!["h.fr".to_owned(); 51]] {
            let hosts = SiteSettings {
                hosts: Some(bad),
                ..Default::default()
            };
            assert!(apply(&mut site, &hosts).is_err());
        }
    }

    #[test]
    fn domains_are_normalized() {
        assert_eq!(
            normalize_domain(" WWW.Clinique-Exemple.FR. "),
            "clinique-exemple.fr"
        );
        assert_eq!(
            normalize_domain("demo.parcours.local"),
            "demo.parcours.local"
        );
    }
}
