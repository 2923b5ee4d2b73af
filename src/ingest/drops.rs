//! A small record, per node, of the beacons this node did not store lately, for the
//! installation check (`GET /api/v2/install_check`): by domain as sent and reason,
//! with a count and the last time.
//!
//! Requirements:
//! 1. Nothing about visitors: no IP, user agent or URL; only the domain a beacon names
//!    (normalized as the site directory does), the reason and times. A `d` that is not
//!    a plain host name (a URL pasted into `data-domain`) is not recorded at all.
//! 2. Bounded: entries are forgotten [`WINDOW_SECONDS`] after their last drop, and at
//!    most [`MAX_ENTRIES`] are kept; a flood of made-up domains evicts the oldest entry,
//!    it never grows the record.
//! 3. Cheap on the ingest path: one short lock per dropped beacon, no I/O, no await.
//!
//! Deliberately not here: what another node dropped (each node answers for itself),
//! and which entries a site may see (`related`, applied by the API).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::store::sites::normalize_domain;

/// How long a drop is remembered.
pub const WINDOW_SECONDS: i64 = 600;
/// Most (domain, reason) entries kept.
pub const MAX_ENTRIES: usize = 500;
/// Longest host name recorded (DNS's limit).
const MAX_DOMAIN: usize = 253;

/// One (domain, reason) as the installation check shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DropRecord {
    /// The domain as sent, lowercased and without `www.`.
    pub domain: String,
    /// Stable snake_case reason (the pipeline's `DropReason`, or a refusal).
    pub reason: &'static str,
    /// Drops in the window.
    pub count: u64,
    /// The latest of them.
    pub last_at: DateTime<Utc>,
}

/// Drops of one (domain, reason): counts per minute over the window.
#[derive(Debug, Default)]
struct Entry {
    /// (minute since the epoch, drops), oldest first, at most one per minute of the window.
    minutes: VecDeque<(i64, u64)>,
    last_at: DateTime<Utc>,
}

/// The record; shared by every request handler of the node.
#[derive(Debug, Default)]
pub struct RecentDrops {
    /// Held only for one map operation, never across an await.
    entries: Mutex<HashMap<(String, &'static str), Entry>>,
}

const WINDOW_MINUTES: i64 = WINDOW_SECONDS / 60;

impl RecentDrops {
    /// Records one beacon for `domain` not stored for `reason` at `at`.
    pub fn record(&self, domain: &str, reason: &'static str, at: DateTime<Utc>) {
        let domain = normalize_domain(domain);
        let plain = !domain.is_empty()
            && domain.len() <= MAX_DOMAIN
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
        if !plain {
            return;
        }
        let minute = at.timestamp().div_euclid(60);
        // A poisoned lock only means another thread panicked mid-update of counters.
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let key = (domain, reason);
        if !entries.contains_key(&key) && entries.len() >= MAX_ENTRIES {
            let horizon = at - chrono::Duration::seconds(WINDOW_SECONDS);
            entries.retain(|_, e| e.last_at > horizon);
            if entries.len() >= MAX_ENTRIES {
                let oldest = entries
                    .iter()
                    .min_by_key(|(_, e)| e.last_at)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    entries.remove(&k);
                }
            }
        }
        let e = entries.entry(key).or_default();
        match e.minutes.back_mut() {
            Some((m, n)) if *m == minute => *n += 1,
            _ => e.minutes.push_back((minute, 1)),
        }
        while e
            .minutes
            .front()
            .is_some_and(|(m, _)| *m <= minute - WINDOW_MINUTES)
        {
            e.minutes.pop_front();
        }
        e.last_at = e.last_at.max(at);
    }

    /// The drops of the window ending at `now` whose domain `keep` accepts, latest first.
    pub fn recent(&self, now: DateTime<Utc>, keep: impl Fn(&str) -> bool) -> Vec<DropRecord> {
        let minute = now.timestamp().div_euclid(60);
        let horizon = now - chrono::Duration::seconds(WINDOW_SECONDS);
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<DropRecord> = entries
            .iter()
            .filter(|((domain, _), e)| e.last_at > horizon && keep(domain))
            .map(|((domain, reason), e)| DropRecord {
                domain: domain.clone(),
                reason,
                count: e
                    .minutes
                    .iter()
                    .filter(|(m, _)| *m > minute - WINDOW_MINUTES)
                    .map(|(_, n)| n)
                    .sum(),
                last_at: e.last_at,
            })
            .filter(|d| d.count > 0)
            .collect();
        drop(entries);
        out.sort_by(|a, b| {
            b.last_at
                .cmp(&a.last_at)
                .then_with(|| (&a.domain, a.reason).cmp(&(&b.domain, b.reason)))
        });
        out
    }

    /// Entries held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// Whether a dropped (normalized) domain concerns a site's domain: the same, a
/// subdomain of it, or a parent of it (of two labels at least, so `fr` is nobody's).
pub fn related(dropped: &str, site: &str) -> bool {
    let under = |a: &str, b: &str| {
        a.len() > b.len() && a.ends_with(b) && a[..a.len() - b.len()].ends_with('.')
    };
    dropped == site || under(dropped, site) || (dropped.contains('.') && under(site, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: i64, second: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_795_910_400 + minute * 60 + second, 0)
            .unwrap()
    }

    #[test]
    fn counts_by_domain_and_reason_within_the_window() {
        let r = RecentDrops::default();
        r.record("WWW.Clinique.fr", "bot", at(0, 1));
        r.record("clinique.fr.", "bot", at(3, 0));
        r.record("clinique.fr", "do_not_track", at(4, 0));
        r.record(
            "https://clinique.fr/page?email=a@b.fr",
            "unknown_site",
            at(4, 0),
        );
        r.record("", "unknown_site", at(4, 0));
        let all = r.recent(at(5, 0), |_| true);
        let got: Vec<(&str, &str, u64)> = all
            .iter()
            .map(|d| (d.domain.as_str(), d.reason, d.count))
            .collect();
        assert_eq!(
            got,
            [
                ("clinique.fr", "do_not_track", 1),
                ("clinique.fr", "bot", 2)
            ]
        );
        assert_eq!(all[1].last_at, at(3, 0));
        // Ten minutes after the first drop it no longer counts; the second still does.
        let later = r.recent(at(10, 30), |_| true);
        assert_eq!(later[1].count, 1);
        assert!(r.recent(at(14, 1), |_| true).is_empty());
        assert!(r.recent(at(5, 0), |d| d == "autre.fr").is_empty());
    }

    #[test]
    fn the_record_stays_bounded() {
        let r = RecentDrops::default();
        for i in 0..(MAX_ENTRIES as i64 + 200) {
            let t = at(0, 0) + chrono::Duration::milliseconds(i);
            r.record(&format!("spam-{i}.example"), "unknown_site", t);
        }
        assert_eq!(r.len(), MAX_ENTRIES);
        // The newest are kept.
        let recent = r.recent(at(1, 0), |d| {
            d == format!("spam-{}.example", MAX_ENTRIES + 199)
        });
        assert_eq!(recent.len(), 1);
        // Old entries make room before anything is evicted.
        r.record("clinique.fr", "bot", at(20, 0));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn related_domains() {
        for d in ["clinique.fr", "blog.clinique.fr", "a.b.clinique.fr"] {
            assert!(related(d, "clinique.fr"), "{d}");
        }
        assert!(related("clinique.fr", "blog.clinique.fr"));
        for d in [
            "autre.fr",
            "fr",
            "maclinique.fr",
            "clinique.fr.evil.com",
            "evilclinique.fr",
        ] {
            assert!(!related(d, "clinique.fr"), "{d}");
        }
        assert!(!related("fr", "blog.clinique.fr"));
    }
}
