//! The enrichment pipeline: an ordered list of named steps, each either filling part of
//! the row (`put_*`) or dropping the event for a typed reason (`drop_*`).
//!
//! The raw IP and user agent enter here through [`Context`] and leave only as derived
//! fields (visitor id, geography, browser): nothing in the returned rows can be turned
//! back into them. Drops are counted by reason by the caller; a dropped event still
//! answers 202 so that bots learn nothing.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::beacon::Beacon;
use crate::enrich::bots::BotKind;
use crate::enrich::geoip::GeoIp;
use crate::enrich::referrer::{self, Attribution};
use crate::enrich::referrer_spam;
use crate::enrich::url::{self, ScrubbedReferrer, Utm};
use crate::enrich::user_agent::{Device, UserAgentInfo, UserAgentParser};
use crate::store::events::EventRow;
use crate::store::sites::{SiteDirectory, SiteEntry};
use crate::visitor::consent::{consented_id, ConsentKeys};
use crate::visitor::salts::SaltRing;
use crate::visitor::visitor_id;

/// Why an event was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// No registered site for the beacon's domain.
    UnknownSite,
    /// The user agent is an automated client, of the given kind.
    Bot(BotKind),
    /// The site honours Do-Not-Track / GPC and the browser asked for it.
    DoNotTrack,
    /// The referrer's host is on the referrer-spam list.
    ReferrerSpam,
    /// The page URL could not be scrubbed into a host and path.
    InvalidUrl,
    /// The page's host belongs to none of the registered sites the beacon names (a
    /// copied page, a proxy, a translation service, local development).
    ForeignHost,
}

impl DropReason {
    /// Stable label for metrics: one per bot kind (`bot_crawler`, `bot_ai_agent`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownSite => "unknown_site",
            Self::Bot(kind) => match kind {
                BotKind::Crawler => "bot_crawler",
                BotKind::Monitor => "bot_monitor",
                BotKind::Headless => "bot_headless",
                BotKind::LinkPreview => "bot_link_preview",
                BotKind::AiAgent => "bot_ai_agent",
                BotKind::HttpLibrary => "bot_http_library",
                BotKind::NoUserAgent => "bot_no_user_agent",
            },
            Self::DoNotTrack => "do_not_track",
            Self::ReferrerSpam => "referrer_spam",
            Self::InvalidUrl => "invalid_url",
            Self::ForeignHost => "foreign_host",
        }
    }

    /// The coarser label the installation check shows a site owner: every automated
    /// client, referrer spammers included, is "bot" there; the kinds are for ops.
    pub fn for_site(self) -> &'static str {
        match self {
            Self::Bot(_) | Self::ReferrerSpam => "bot",
            other => other.as_str(),
        }
    }
}

/// The pipeline could not run at all (retry later, not bad input).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// No salt for today: this node has not reached ClickHouse since it started.
    #[error("no visitor-id salt for today yet")]
    NoSalt,
}

/// What the request brings besides the body; dropped after the pipeline.
pub struct Context<'a> {
    /// Client address (socket or trusted `X-Forwarded-For`).
    pub ip: IpAddr,
    /// The `User-Agent` header.
    pub user_agent: &'a str,
    /// `DNT: 1` or `Sec-GPC: 1` was sent.
    pub do_not_track: bool,
    /// Receive time.
    pub now: DateTime<Utc>,
}

/// The long-lived enrichment resources.
pub struct Enrichers {
    /// GeoIP database, if configured.
    pub geoip: Option<GeoIp>,
    /// Cached user-agent parser.
    pub user_agents: UserAgentParser,
}

/// One event under construction.
struct Draft<'a> {
    beacon: &'a Beacon,
    ctx: &'a Context<'a>,
    site: &'a SiteEntry,
    /// The page's host belongs to one of the registered sites the beacon names.
    own_host: bool,
    ua: &'a UserAgentInfo,
    geoip: Option<&'a GeoIp>,
    referrer: Option<ScrubbedReferrer>,
    utm: Utm,
    row: EventRow,
}

type Step = fn(&mut Draft<'_>) -> Result<(), DropReason>;

/// The steps, in order. Drops come first so dropped events cost the least.
const STEPS: &[(&str, Step)] = &[
    ("drop_bot", drop_bot),
    ("drop_do_not_track", drop_do_not_track),
    ("drop_referrer_spam", drop_referrer_spam),
    ("drop_foreign_host", drop_foreign_host),
    ("put_url", put_url),
    ("put_referrer", put_referrer),
    ("put_geo", put_geo),
    ("put_user_agent", put_user_agent),
    ("put_props", put_props),
];

/// What the pipeline reads besides the request: sites, id keys, enrichment resources.
pub struct Resources<'a> {
    /// Registered sites.
    pub sites: &'a SiteDirectory,
    /// Daily salts.
    pub salts: &'a SaltRing,
    /// Per-site keys for consented ids.
    pub consent: &'a ConsentKeys,
    /// GeoIP and user agents.
    pub enrichers: &'a Enrichers,
}

/// Runs the pipeline for every site the beacon names.
pub fn run(
    beacon: &Beacon,
    ctx: &Context<'_>,
    res: &Resources<'_>,
) -> Result<Vec<Result<EventRow, DropReason>>, PipelineError> {
    let Resources {
        sites,
        salts,
        consent,
        enrichers,
    } = res;
    let ua = enrichers.user_agents.parse(ctx.user_agent);
    let named: Vec<_> = beacon.domains.iter().map(|d| sites.get(d)).collect();
    // A rollup (`d="a.fr,groupe.fr"`) takes a.fr's pages for groupe.fr as well: the host
    // must belong to one of the sites named, not necessarily to each.
    let host = crate::store::sites::normalize_domain(beacon.url.host_str().unwrap_or(""));
    let own_host = named
        .iter()
        .flatten()
        .any(|s| s.owns_normalized_host(&host));
    let mut out = Vec::with_capacity(beacon.domains.len());
    for site in named {
        let Some(site) = site else {
            out.push(Err(DropReason::UnknownSite));
            continue;
        };
        let mut draft = Draft {
            beacon,
            ctx,
            site: &site,
            own_host,
            ua: &ua,
            geoip: enrichers.geoip.as_ref(),
            referrer: None,
            utm: Utm::default(),
            row: EventRow::default(),
        };
        let dropped = STEPS.iter().find_map(|(_, step)| step(&mut draft).err());
        if let Some(reason) = dropped {
            out.push(Err(reason));
            continue;
        }
        let site_id = site.site.site_id;
        let mut row = draft.row;
        row.site_id = site_id;
        row.timestamp = u32::try_from(ctx.now.timestamp()).unwrap_or(0);
        row.timestamp_ms = u16::try_from(ctx.now.timestamp_subsec_millis()).unwrap_or(0);
        // A consent id counts only where the site enabled consented journeys.
        let consented = beacon.consent_id.as_deref().and_then(|cid| {
            consent
                .key_for(site_id)
                .map(|key| consented_id(&key, site_id, cid))
        });
        row.visitor_id = match consented {
            Some(id) => {
                row.consented = 1;
                id
            }
            None => {
                let salt = salts.salt_at(ctx.now).ok_or(PipelineError::NoSalt)?;
                visitor_id(&salt, site_id, ctx.ip, ctx.user_agent)
            }
        };
        out.push(Ok(row));
    }
    Ok(out)
}

/// Names of the steps in order (for docs and tests).
pub fn step_names() -> Vec<&'static str> {
    STEPS.iter().map(|(n, _)| *n).collect()
}

fn drop_bot(d: &mut Draft<'_>) -> Result<(), DropReason> {
    if let Some(kind) = d.ua.bot {
        return Err(DropReason::Bot(kind));
    }
    Ok(())
}

fn drop_do_not_track(d: &mut Draft<'_>) -> Result<(), DropReason> {
    if d.site.site.respect_dnt == 1 && d.ctx.do_not_track {
        return Err(DropReason::DoNotTrack);
    }
    Ok(())
}

/// Scrubs the referrer (kept for `put_referrer`) and drops known spammers.
fn drop_referrer_spam(d: &mut Draft<'_>) -> Result<(), DropReason> {
    d.referrer = d.beacon.referrer.as_deref().and_then(url::scrub_referrer);
    if d.referrer
        .as_ref()
        .is_some_and(|r| referrer_spam::is_spam(&r.host))
    {
        return Err(DropReason::ReferrerSpam);
    }
    Ok(())
}

fn drop_foreign_host(d: &mut Draft<'_>) -> Result<(), DropReason> {
    if !d.own_host {
        return Err(DropReason::ForeignHost);
    }
    Ok(())
}

fn put_url(d: &mut Draft<'_>) -> Result<(), DropReason> {
    let scrubbed =
        url::scrub_parsed_url(&d.beacon.url, d.beacon.hash_mode, &d.site.site.query_allow)
            .map_err(|_| DropReason::InvalidUrl)?;
    d.row.name = url::mask_text(&d.beacon.name);
    d.row.sensitive = u8::from(d.site.sensitive.matches(&scrubbed.pathname));
    d.row.hostname = scrubbed.hostname;
    d.row.pathname = scrubbed.pathname;
    for (k, v) in scrubbed.query {
        if !k.starts_with("utm_") {
            d.row.query_keys.push(k);
            d.row.query_values.push(v);
        }
    }
    d.utm = scrubbed.utm;
    Ok(())
}

fn put_referrer(d: &mut Draft<'_>) -> Result<(), DropReason> {
    let Attribution { source, channel } = referrer::classify(
        d.referrer.as_ref(),
        &d.row.hostname,
        &d.utm,
        &d.site.site.partner_domains,
    );
    d.row.referrer = d
        .referrer
        .as_ref()
        .map(|r| format!("{}{}", r.host, r.path))
        .unwrap_or_default();
    d.row.referrer_source = source;
    d.row.channel = channel.as_str().to_owned();
    let utm = std::mem::take(&mut d.utm);
    d.row.utm_source = utm.source;
    d.row.utm_medium = utm.medium;
    d.row.utm_campaign = utm.campaign;
    d.row.utm_content = utm.content;
    d.row.utm_term = utm.term;
    Ok(())
}

fn put_geo(d: &mut Draft<'_>) -> Result<(), DropReason> {
    let Some(geoip) = d.geoip else {
        return Ok(());
    };
    let geo = geoip.lookup(d.ctx.ip);
    if let [a, b] = geo.country_code.as_bytes() {
        d.row.country_code = [*a, *b];
    }
    // Sensitive pages keep country only: a city next to a condition can identify.
    if d.row.sensitive == 1 {
        return Ok(());
    }
    d.row.subdivision_code = geo.subdivision_code;
    d.row.region = geo.region;
    if d.site.site.city_enabled == 1 {
        d.row.city = geo.city;
        d.row.city_geoname_id = geo.city_geoname_id;
    }
    Ok(())
}

fn put_user_agent(d: &mut Draft<'_>) -> Result<(), DropReason> {
    d.row.browser = d.ua.browser.clone();
    d.row.browser_version = d.ua.browser_version.clone();
    d.row.os = d.ua.os.clone();
    d.row.os_version = d.ua.os_version.clone();
    d.row.device = match d.ua.device {
        Device::Desktop => 1,
        Device::Mobile => 2,
        Device::Tablet => 3,
        _ => 0,
    };
    Ok(())
}

fn put_props(d: &mut Draft<'_>) -> Result<(), DropReason> {
    for (k, v) in &d.beacon.props {
        // Keys get the values' masking: a key can hold an address as well as a value.
        d.row.prop_keys.push(url::mask_text(k));
        // Site owners sometimes put an email or phone number in a property by
        // mistake; it never reaches storage.
        d.row.prop_values.push(url::mask_text(v));
    }
    if let Some(rev) = &d.beacon.revenue {
        d.row.revenue_amount = rev.amount_e4;
        d.row.revenue_currency = rev.currency;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::user_agent::UserAgentParser;
    use crate::ingest::beacon;
    use crate::store::sites::Site;

    const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

    /// Outcomes of one beacon `(u, d)` against sites `a.fr` (alias `a-paris.fr`) and
    /// `groupe.fr`: `Ok(hostname stored)` or the drop reason, per domain of `d`.
    fn outcomes(u: &str, d: &str) -> Vec<Result<String, DropReason>> {
        let mut a = Site::new(1, "a.fr", "Europe/Paris");
        a.hosts = vec!["a-paris.fr".into()];
        let sites = SiteDirectory::from_sites(vec![a, Site::new(2, "groupe.fr", "Europe/Paris")]);
        let now = Utc::now();
        let salts = SaltRing::fixed([(now.date_naive(), [1u8; 32])]);
        let consent = ConsentKeys::default();
        let enrichers = Enrichers {
            geoip: None,
            user_agents: UserAgentParser::new(),
        };
        let res = Resources {
            sites: &sites,
            salts: &salts,
            consent: &consent,
            enrichers: &enrichers,
        };
        let ctx = Context {
            ip: "203.0.113.9".parse().unwrap(),
            user_agent: CHROME,
            do_not_track: false,
            now,
        };
        let body = serde_json::json!({"n": "pageview", "u": u, "d": d}).to_string();
        let b = beacon::parse(body.as_bytes()).unwrap();
        run(&b, &ctx, &res)
            .unwrap()
            .into_iter()
            .map(|o| o.map(|row| row.hostname))
            .collect()
    }

    #[test]
    fn only_the_sites_own_hosts_are_kept() {
        for u in [
            "https://a.fr/x",
            "https://www.a.fr/x",
            "https://blog.a.fr/x",
            "https://a-paris.fr/x",
        ] {
            assert!(outcomes(u, "a.fr")[0].is_ok(), "{u}");
        }
        for u in [
            "https://copie-de-a.fr/x",
            "https://a.fr.translate.goog/x",
            "http://localhost:8080/x",
            "http://127.0.0.1/x",
        ] {
            assert_eq!(outcomes(u, "a.fr"), [Err(DropReason::ForeignHost)], "{u}");
        }
        // A rollup takes the pages of the sites it names; a copied page it does not.
        let both = outcomes("https://www.a.fr/x", "a.fr,groupe.fr");
        assert_eq!(both, [Ok("a.fr".into()), Ok("a.fr".into())]);
        assert_eq!(
            outcomes("https://copie.fr/x", "a.fr,groupe.fr"),
            [Err(DropReason::ForeignHost), Err(DropReason::ForeignHost)]
        );
        // An unregistered domain in `d` vouches for nothing.
        assert_eq!(
            outcomes("https://inconnu.fr/x", "a.fr,inconnu.fr"),
            [Err(DropReason::ForeignHost), Err(DropReason::UnknownSite)]
        );
    }

    #[test]
    fn each_bot_kind_is_its_own_reason_and_the_site_sees_bot() {
        let mut labels: Vec<&str> = BotKind::ALL
            .iter()
            .map(|k| DropReason::Bot(*k).as_str())
            .collect();
        for (kind, label) in BotKind::ALL.iter().zip(&labels) {
            assert_eq!(*label, format!("bot_{}", kind.as_str()));
            assert_eq!(DropReason::Bot(*kind).for_site(), "bot");
        }
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), BotKind::ALL.len());
        assert_eq!(DropReason::ReferrerSpam.as_str(), "referrer_spam");
        assert_eq!(DropReason::ReferrerSpam.for_site(), "bot");
        assert_eq!(DropReason::DoNotTrack.for_site(), "do_not_track");
    }

    #[test]
    fn spam_is_dropped_before_anything_is_filled() {
        let names = step_names();
        let at = |n: &str| names.iter().position(|s| *s == n).unwrap();
        assert!(at("drop_referrer_spam") < at("put_url"));
        assert!(at("drop_bot") < at("drop_referrer_spam"));
    }
}
